#!/usr/bin/env bash
# Latency of the worst-case RIO mapper requests on the large demo, under concurrent load (wrk), with
# /health/live measured in the same run as the baseline. Prints a Markdown table for
# docs/BENCHMARKS.md. Needs a Release build.
# usage: tests/bench/http_bench.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
seconds=${2:-15}
connections=${3:-16}
bin="$build/app/ooapi-endpoint"
wrk_threads=$(( connections < 2 ? 1 : 2 ))
work="$root/var/bench"
mkdir -p "$work"
command -v wrk > /dev/null || { echo "install wrk (apt-get install wrk)"; exit 2; }
command -v python3 > /dev/null || { echo "install python3"; exit 2; }

if [ ! -f "$work/large.db" ]; then
  /usr/bin/time -f "demo-data large: %e s, %M KB peak" \
    "$bin" demo-data --db "$work/large.db" --scale large --seed 1 --today 2026-11-01
fi
busiest=$(python3 - "$work/large.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(*c.execute("SELECT program_id, COUNT(*) FROM offerings WHERE program_id IS NOT NULL "
                 "AND rio_relevant = 1 GROUP BY program_id ORDER BY 2 DESC LIMIT 1").fetchone())
PY
)
program=${busiest% *}
count=${busiest#* }

cat > "$work/bench.yaml" <<YAML
server:
  port: 0
  threads: 2
  workers: 8
sis:
  sqlite:
    path: "$work/large.db"
logging:
  access_log: false
YAML
"$bin" serve --config "$work/bench.yaml" > "$work/serve.out" 2> "$work/serve.err" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$work/serve.out")
  [ -n "$port" ] && break
  sleep 0.1
done
base="http://127.0.0.1:$port"

measure() {  # measure NAME PATH -> "p50 p99 req/s" in ms
  local out
  out=$(wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" --latency "$base$2")
  local p50 p99 rps
  p50=$(awk '/^ +50%/{print $2}' <<< "$out")
  p99=$(awk '/^ +99%/{print $2}' <<< "$out")
  rps=$(awk '/^Requests\/sec/{print $2}' <<< "$out")
  errors=$(grep -c "Non-2xx" <<< "$out" || true)
  [ "$errors" = "0" ] || { echo "non-2xx answers for $2" >&2; exit 1; }
  echo "$(to_ms "$p50") $(to_ms "$p99") $rps"
}
to_ms() {  # wrk prints 1.23ms / 456.00us / 1.02s
  python3 -c "
import re,sys
v=sys.argv[1]; m=re.match(r'([0-9.]+)(us|ms|s)$', v)
n=float(m.group(1)); print(round(n/1000 if m.group(2)=='us' else n*1000 if m.group(2)=='s' else n, 3))" "$1"
}

curl -sf "$base/programs/$program/offerings?pageSize=250&consumer=rio" > /dev/null
read -r h50 h99 hrps <<< "$(measure health /health/live)"
read -r o50 o99 orps <<< "$(measure offerings "/programs/$program/offerings?pageSize=250&consumer=rio")"
read -r c1_50 c1_99 c1rps <<< "$(measure courses1 "/courses?pageSize=250")"
read -r c50 c99 crps <<< "$(measure courses100 "/courses?pageSize=250&pageNumber=100")"
ratio() { python3 -c "print(round($1/$2, 1))"; }
budget() { python3 -c "print(str(round(100*$1/2000, 1)) + '%')"; }

echo
echo "wrk -t$wrk_threads -c$connections -d${seconds}s --latency, server: 2 I/O threads, 8 workers; large demo (seed 1), $(nproc) cores"
echo "busiest program: $program ($count RIO offerings, $(( (count + 249) / 250 )) pages of 250)"
echo
echo "| request | p50 ms | p99 ms | req/s | p50 vs /health/live | p99 as share of the 2 s budget |"
echo "|---|---|---|---|---|---|"
echo "| /health/live (baseline) | $h50 | $h99 | $hrps | 1.0x | $(budget "$h99") |"
echo "| /programs/{busiest}/offerings?pageSize=250&consumer=rio | $o50 | $o99 | $orps | $(ratio "$o50" "$h50")x | $(budget "$o99") |"
echo "| /courses?pageSize=250 | $c1_50 | $c1_99 | $c1rps | $(ratio "$c1_50" "$h50")x | $(budget "$c1_99") |"
echo "| /courses?pageSize=250&pageNumber=100 | $c50 | $c99 | $crps | $(ratio "$c50" "$h50")x | $(budget "$c99") |"
