# Shared helpers for the shell-level tests. Source it; needs $work.

# kit_dir: the OOAPI conformance kit (../shared/ooapi next to the repository, or $OOAPI_KIT_DIR).
kit_dir() {
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  local dir=${OOAPI_KIT_DIR:-$here/../../../shared/ooapi}
  if [ ! -f "$dir/ooapi-validate.js" ]; then
    echo "FAIL: the OOAPI kit (ooapi-validate.js) is not at $dir; set OOAPI_KIT_DIR" >&2
    return 1
  fi
  (cd "$dir" && pwd)
}

# start_server CONFIG: starts `serve` in the background, sets $server_pid and $port.
start_server() {
  "$bin" serve --config "$1" > "$work/serve.out" 2> "$work/serve.err" &
  server_pid=$!
  port=""
  for _ in $(seq 1 300); do
    port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$work/serve.out")
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "FAIL: server did not start" >&2
  cat "$work/serve.err" >&2
  return 1
}

stop_server() {
  if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" || true
  fi
  server_pid=""
}

# write_config DBPATH FILE: a config for port 0 on DBPATH.
write_config() {
  cat > "$2" <<YAML
server:
  port: 0
  threads: 4
sis:
  sqlite:
    path: "$1"
logging:
  access_log: false
YAML
}
