#!/usr/bin/env bash
# Losing the database: while clients keep asking, the PostgreSQL cluster of tests/pg_cluster.sh is
# stopped and started again. The endpoint must answer 503 problem+json quickly during the outage
# (never hang, never 500) and 200 again afterwards without a restart of its own.
# usage: pg_restart.sh BINARY WORKDIR      (exit 77 = skipped: no test cluster configured)
set -uo pipefail
bin=$1
work=$2
source "$(dirname "$0")/lib.sh"
if [ -z "${OOAPI_TEST_PG_PORT:-}" ]; then
  echo "no test PostgreSQL (tests/run.sh starts one)"
  [ -n "${OOAPI_TEST_REQUIRE_POSTGRES:-}" ] && exit 1
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
pg_ctl() { $OOAPI_TEST_PG_RUNAS "$OOAPI_TEST_PG_BIN/pg_ctl" -D "$OOAPI_TEST_PG_DATA" "$@"; }
cleanup() {
  stop_server
  pg_ctl -w -o "$OOAPI_TEST_PG_OPTS" start > /dev/null 2>&1 || true  # never leave it down
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

schema=restart_$$
url="postgresql://ooapi@127.0.0.1:$OOAPI_TEST_PG_PORT/ooapi_test"
"$OOAPI_TEST_PG_BIN/psql" -qX "$url" -c "CREATE SCHEMA $schema" || fail "cannot create schema"
"$bin" demo-data --db "$url?options=-csearch_path%3D$schema" --today 2026-11-01 > /dev/null ||
  fail "demo-data on PostgreSQL"
cat > "$work/config.yaml" <<YAML
server:
  port: 0
  workers: 4
sis:
  adapter: postgres
  acquire_timeout_ms: 1000
  postgres:
    port: $OOAPI_TEST_PG_PORT
    database: ooapi_test
    user: ooapi
    sslmode: disable
    schema: $schema
    statement_timeout_ms: 1000
    connect_timeout_s: 2
logging:
  access_log: false
YAML
start_server "$work/config.yaml" || fail "server did not start"
base="http://127.0.0.1:$port"
pid=$server_pid

# A client that keeps asking, recording "<status> <seconds>" per request.
(
  end=$((SECONDS + 40))
  while [ $SECONDS -lt $end ] && [ ! -f "$work/stop-client" ]; do
    curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}\n' \
      "$base/programs?pageSize=10" >> "$work/statuses"
    sleep 0.05
  done
) &
client=$!

sleep 1
pg_ctl -m fast -w stop > /dev/null || fail "pg_ctl stop"
sleep 3
ready=$(curl -s -o "$work/ready.json" --max-time 5 -w '%{http_code}' "$base/health/ready")
[ "$ready" = "503" ] || fail "/health/ready gave $ready during the outage"
grep -q '"status":"503"' "$work/ready.json" || fail "readiness is not problem+json"
during=$(curl -s -D "$work/headers" -o "$work/during.json" --max-time 5 -w '%{http_code}' "$base/programs")
[ "$during" = "503" ] || fail "/programs gave $during during the outage"
grep -qi 'content-type: application/problem+json' "$work/headers" || fail "503 is not problem+json"
pg_ctl -w -o "$OOAPI_TEST_PG_OPTS" start > /dev/null || fail "pg_ctl start"
recovered=""
for _ in $(seq 1 50); do
  code=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$base/programs?pageSize=10")
  [ "$code" = "200" ] && { recovered=yes; break; }
  sleep 0.2
done
[ -n "$recovered" ] || fail "no 200 within 10 s after the database came back"
sleep 1
touch "$work/stop-client"
wait $client
kill -0 "$pid" 2> /dev/null || fail "the endpoint process died"
[ "$server_pid" = "$pid" ] || fail "the endpoint was restarted"

# The client saw 200s, then 503s, then 200s again; nothing else, and nothing slow.
codes=$(awk '{print $1}' "$work/statuses" | uniq | tr '\n' ' ')
echo "status sequence seen by the client: $codes"
[ "$(awk '{print $1}' "$work/statuses" | grep -cvE '^(200|503)$')" = "0" ] ||
  fail "answers other than 200/503: $(sort "$work/statuses" | awk '{print $1}' | uniq -c | tr '\n' ' ')"
case "$codes" in
  "200 503 200 ") ;;
  *) fail "expected 200, then 503, then 200; got: $codes" ;;
esac
slowest=$(awk '$1 == 503 {print $2}' "$work/statuses" | sort -n | tail -n 1)
echo "slowest 503: ${slowest}s (statement timeout 1 s, connect timeout 2 s)"
awk -v s="$slowest" 'BEGIN { exit !(s < 3.0) }' || fail "a 503 took ${slowest}s"
"$OOAPI_TEST_PG_BIN/psql" -qX "$url" -c "DROP SCHEMA $schema CASCADE" > /dev/null
echo "ok: 503 during the outage, 200 after it, same process"
