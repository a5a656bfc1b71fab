# Sourced by tests/run.sh: a throwaway PostgreSQL cluster in a temporary directory on a free
# loopback port, stopped (and removed) when the shell exits, also when tests fail. Works as root
# (the server then runs as the `postgres` system user) and as an ordinary user.
# Exports OOAPI_TEST_PG_PORT, OOAPI_TEST_PG_URL, OOAPI_TEST_PG_BIN, OOAPI_TEST_PG_DATA,
# OOAPI_TEST_PG_RUNAS, OOAPI_TEST_PG_OPTS and OOAPI_TEST_REQUIRE_POSTGRES=1 (PostgreSQL tests fail instead of skipping).

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
  echo "pg_cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  return 1
fi
pg_dir=$(mktemp -d /tmp/ooapi-pg.XXXXXX)
pg_runas=""
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$pg_dir"
  pg_runas="runuser -u postgres --"
fi
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

pg_stop() {
  $pg_runas "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap pg_stop EXIT

$pg_runas "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U ooapi -E UTF8 --locale=C --no-sync \
  > "$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; return 1; }
pg_opts="-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
$pg_runas "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 -o "$pg_opts" \
  start > /dev/null || { cat "$pg_dir/server.log" >&2; return 1; }
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U ooapi ooapi_test

export OOAPI_TEST_PG_PORT=$pg_port
export OOAPI_TEST_PG_URL="postgresql://ooapi@127.0.0.1:$pg_port/ooapi_test"
export OOAPI_TEST_PG_BIN=$pg_bin
export OOAPI_TEST_PG_DATA=$pg_dir/data
export OOAPI_TEST_PG_RUNAS=$pg_runas
export OOAPI_TEST_PG_OPTS=$pg_opts  # pass to `pg_ctl start -o` after a stop
export OOAPI_TEST_REQUIRE_POSTGRES=1
echo "pg_cluster: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
