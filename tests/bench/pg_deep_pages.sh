#!/usr/bin/env bash
# Deep pages on PostgreSQL: /courses?pageSize=250 page 100 against page 1 on the large demo
# (30,000 courses), measured with wrk in the same run; plus the RIO mapper's worst offerings page.
# Starts its own throwaway cluster (tests/pg_cluster.sh). Needs a Release build.
# usage: tests/bench/pg_deep_pages.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
seconds=${2:-10}
bin="$build/app/ooapi-endpoint"
work="$root/var/bench-pg"
mkdir -p "$work"
source "$root/tests/pg_cluster.sh"
url="postgresql://ooapi@127.0.0.1:$OOAPI_TEST_PG_PORT/ooapi_test"
start=$(date +%s)
"$bin" demo-data --db "$url" --scale large --seed 1 --today 2026-11-01 > /dev/null
echo "large demo loaded into PostgreSQL in $(( $(date +%s) - start )) s"
busiest=$("$OOAPI_TEST_PG_BIN/psql" -qAtX "$url" -c "SELECT program_id FROM offerings WHERE
  program_id IS NOT NULL AND rio_relevant = 1 GROUP BY program_id ORDER BY count(*) DESC LIMIT 1")
cat > "$work/bench.yaml" <<YAML
server:
  port: 0
  threads: 2
  workers: 8
sis:
  adapter: postgres
  postgres:
    port: $OOAPI_TEST_PG_PORT
    database: ooapi_test
    user: ooapi
    sslmode: disable
logging:
  access_log: false
YAML
"$bin" serve --config "$work/bench.yaml" > "$work/serve.out" 2> "$work/serve.err" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true; pg_stop' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$work/serve.out")
  [ -n "$port" ] && break
  sleep 0.1
done
base="http://127.0.0.1:$port"
measure() {  # measure CONNECTIONS PATH -> "p50 p99 rps" (ms)
  local c=$1 t=$(( $1 < 2 ? 1 : 2 ))
  local out
  out=$(wrk -t$t -c"$c" -d"${seconds}s" --latency "$base$2")
  if grep -q "Non-2xx" <<< "$out"; then echo "non-2xx for $2" >&2; exit 1; fi
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def ms(v):
    m = re.match(r'([0-9.]+)(us|ms|s)$', v); n = float(m.group(1))
    return n / 1000 if m.group(2) == 'us' else n * 1000 if m.group(2) == 's' else n
p50 = ms(re.search(r'^\s+50%\s+(\S+)', out, re.M).group(1))
p99 = ms(re.search(r'^\s+99%\s+(\S+)', out, re.M).group(1))
rps = re.search(r'^Requests/sec:\s+(\S+)', out, re.M).group(1)
print(round(p50, 2), round(p99, 2), rps)
PY
}
for path in "/courses?pageSize=250" "/courses?pageSize=250&pageNumber=100"; do
  curl -sf "$base$path" > /dev/null
done
echo
echo "wrk -d${seconds}s --latency; server 2 I/O threads, 8 workers; PostgreSQL $("$OOAPI_TEST_PG_BIN/postgres" --version | awk '{print $3}') on the same 2 cores"
echo
echo "| connections | request | p50 ms | p99 ms | req/s | p50 vs page 1 |"
echo "|---|---|---|---|---|---|"
for c in 1 8; do
  read -r a50 a99 arps <<< "$(measure $c "/courses?pageSize=250")"
  read -r b50 b99 brps <<< "$(measure $c "/courses?pageSize=250&pageNumber=100")"
  read -r o50 o99 orps <<< "$(measure $c "/programs/$busiest/offerings?pageSize=250&consumer=rio")"
  echo "| $c | /courses?pageSize=250 (page 1) | $a50 | $a99 | $arps | 1.0x |"
  echo "| $c | /courses?pageSize=250&pageNumber=100 | $b50 | $b99 | $brps | $(python3 -c "print(round($b50/$a50, 2))")x |"
  echo "| $c | /programs/{busiest}/offerings?pageSize=250&consumer=rio | $o50 | $o99 | $orps | — |"
done
