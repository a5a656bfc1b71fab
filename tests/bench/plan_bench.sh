#!/bin/sh
# Benchmark of `sync plan` (docs/BENCHMARKS.md): the largest bestuur of the national
# profile at scale 1 (200B061, its largest NFO provider: 45,690 RIO items; the target bestuur
# 100B490 has 7,926), planned at 1x, 4x and 16x its size.
# usage: tests/bench/plan_bench.sh BUILD_DIR
# Generates the national profile (scale 1) once into $OOAPI_BENCH_DIR (default
# var/bench/plan-national). Per size, `ooapi-plan-bench prepare` stores the bestuur (copied K
# times) as a snapshot in a SQLite file, as `rio import` does; then `ooapi-plan-bench plan` runs
# `sync plan --db FILE --out plan.json` through the command's own code (load the snapshot, read the
# SIS, match, the cohort-loss check through Api::Handle, write the plan) against an in-memory SIS
# derived from it. /usr/bin/time gives the plan process's wall time and peak RSS (%e %M).
set -eu
build=${1:?usage: plan_bench.sh BUILD_DIR}
data=${OOAPI_BENCH_DIR:-var/bench/plan-national}
work=${OOAPI_BENCH_WORK:-var/bench/plan-work}
mkdir -p "$data" "$work"
if [ ! -f "$data/truth.json" ]; then
  "$build/tests/sync/ooapi-duo-generate" --out "$data" --profile national --scale 1 >/dev/null
fi
for copies in 1 4 16; do
  "$build/tests/sync/ooapi-plan-bench" prepare --dir "$data" --bestuur 200B061 \
    --ref-date 2025-09-01 --copies "$copies" --db "$work/snapshot-x$copies.db"
  /usr/bin/time -f "  plan process: %e s wall, peak RSS %M kB (user %U s, system %S s)" \
    "$build/tests/sync/ooapi-plan-bench" plan --db "$work/snapshot-x$copies.db" \
    --out "$work/plan-x$copies.json" | grep -v '^[a-z_]* [0-9]*$'
done
