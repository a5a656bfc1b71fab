#!/bin/sh
# Benchmark of `rio import` on the synthetic national profile (docs/BENCHMARKS.md).
# usage: tests/bench/import_bench.sh BUILD_DIR [SCALE]
# Prints: data size, wc -l time, python csv time, import time and peak RSS, and the ratios.
set -eu
build=${1:?usage: import_bench.sh BUILD_DIR [SCALE]}
scale=${2:-1}
here=$(cd "$(dirname "$0")" && pwd)
data=${OOAPI_BENCH_DIR:-var/bench/duo-national}
mkdir -p "$data"
if [ ! -f "$data/truth.json" ]; then
  /usr/bin/time -f "generate: %e s" "$build/tests/sync/ooapi-duo-generate" --out "$data" \
    --profile national --scale "$scale" >/dev/null
fi
bytes=$(cat "$data"/*.csv | wc -c)
echo "data: $(ls "$data"/*.csv | wc -l) files, $bytes bytes"
cat "$data"/*.csv >/dev/null  # warm the page cache for every contender alike
t() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
wc_out=$(t wc -l "$data"/*.csv)
py_out=$(t python3 "$here/import_python_baseline.py" "$data" 100B490)
rm -f "$data/bench.db"
imp_out=$(t "$build/app/ooapi-endpoint" rio import --from "$data" --bestuur 100B490 \
  --ref-date 2025-09-01 --db "$data/bench.db")
echo "wc -l:            $wc_out (seconds, peak RSS kB)"
echo "python csv:       $py_out"
echo "rio import:       $imp_out"
python3 - "$bytes" "$wc_out" "$py_out" "$imp_out" <<'PY'
import sys
b = int(sys.argv[1])
wc, py, imp = (list(map(float, a.split())) for a in sys.argv[2:5])
mb = b / 1e6
print(f"throughput MB/s: wc -l {mb/wc[0]:.0f}, python csv {mb/py[0]:.0f}, rio import {mb/imp[0]:.0f}")
print(f"rio import vs wc -l: {wc[0]/imp[0]*100:.0f}% of its throughput (target >= 25%)")
print(f"rio import vs python csv: {py[0]/imp[0]:.1f}x faster (target >= 10x)")
print(f"rio import peak RSS: {imp[1]/1024:.0f} MB (target < 256 MB)")
PY
