#!/bin/sh
# Benchmark of `sync plan` (issue 6, docs/BENCHMARKS.md): the largest bestuur of the national
# profile at scale 1 (200B061, its largest NFO provider: 45,690 RIO items; the target bestuur
# 100B490 has 7,926), planned at 1x, 4x and 16x its size.
# usage: tests/bench/plan_bench.sh BUILD_DIR
# Generates the national profile (scale 1) once into $OOAPI_BENCH_DIR (default
# var/bench/plan-national), then runs ooapi-plan-bench per size; /usr/bin/time adds wall time and peak
# RSS of the whole process (import, copies and the SIS side included).
set -eu
build=${1:?usage: plan_bench.sh BUILD_DIR}
data=${OOAPI_BENCH_DIR:-var/bench/plan-national}
mkdir -p "$data"
if [ ! -f "$data/truth.json" ]; then
  "$build/tests/sync/ooapi-duo-generate" --out "$data" --profile national --scale 1 >/dev/null
fi
for copies in 1 4 16; do
  /usr/bin/time -f "  process: %e s wall, peak RSS %M kB" \
    "$build/tests/sync/ooapi-plan-bench" --dir "$data" --bestuur 200B061 --ref-date 2025-09-01 \
    --copies "$copies"
done
