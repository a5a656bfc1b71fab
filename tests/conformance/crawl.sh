#!/usr/bin/env bash
# Crawls the small demo served by the real executable with the OOAPI validator, the way SURF's
# validator does: the RIO profile plus the RIO mapper's own rules, and the full OOAPI v5 profile.
# Passes only with 0 errors and 0 [rio-mapper] warnings.
# usage: crawl.sh BINARY WORKDIR
set -euo pipefail
bin=$1
work=$2
source "$(dirname "$0")/lib.sh"
kit=$(kit_dir)
rm -rf "$work"
mkdir -p "$work"
trap stop_server EXIT

"$bin" demo-data --db "$work/demo.db" --scale small --seed 7 > /dev/null
write_config "$work/demo.db" "$work/config.yaml"
start_server "$work/config.yaml"
base="http://127.0.0.1:$port"

fail=0
run_crawl rio 200 --spec "$kit/rio-profile-v5.json" --rio-mapper --crawl rio
run_crawl ooapi 500 --crawl ooapi --max-requests 1500
# Error answers and paging edges, checked against the documented responses of each operation.
unknown=99999999-9999-4999-8999-999999999999
run_crawl targeted 6 --spec "$kit/rio-profile-v5.json" --rio-mapper \
  "/programs/$unknown" "/courses/$unknown/offerings?pageSize=250&consumer=rio" \
  "/programs?pageSize=250&pageNumber=9999" "/programs?pageSize=7" "/courses?sort=bogus" \
  "/education-specifications?consumer=rio&pageSize=250"
exit $fail
