# Shared helpers for the shell-level tests. Source it; needs $work.

# kit_dir: the OOAPI conformance kit ($OOAPI_KIT_DIR, by default shared/ooapi in the folder that
# holds the repository).
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

# run_crawl NAME MIN VALIDATOR-ARGS...: runs ooapi-validate.js against $base and requires 0 errors,
# 0 [rio-mapper] warnings and at least MIN responses; sets fail=1 otherwise. Needs $kit, $base, $work.
run_crawl() {
  local name=$1
  local min=$2
  shift 2
  local rc=0
  node "$kit/ooapi-validate.js" "$@" --base "$base" --json > "$work/$name.json" 2> "$work/$name.err" || rc=$?
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    let errors = 0, warnings = 0, mapper = 0;
    const seen = new Map();
    for (const x of r.results) for (const f of x.findings) {
      if (f.level === "error") errors++;
      if (f.level === "warning") warnings++;
      const isMapper = f.level === "warning" && /rio-mapper/.test(f.message);
      if (isMapper) mapper++;
      if (f.level === "error" || isMapper) seen.set(f.message, (seen.get(f.message) || 0) + 1);
    }
    console.log(process.argv[2] + ": " + r.results.length + " responses checked, " + errors +
                " errors, " + warnings + " warnings (" + mapper + " [rio-mapper])");
    for (const [m, n] of seen) console.log("  x" + n + " " + m);
    const enough = r.results.length >= Number(process.argv[3]);
    if (!enough) console.log("  too few responses: the crawl did not reach the data");
    process.exit(errors === 0 && mapper === 0 && enough ? 0 : 1);
  ' "$work/$name.json" "$name" "$min" || rc=1
  if [ $rc -ne 0 ]; then
    echo "FAIL: $name crawl reported problems; see $work/$name.json" >&2
    fail=1
  fi
}

