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

run_crawl rio 200 --spec "$kit/rio-profile-v5.json" --rio-mapper --crawl rio
run_crawl ooapi 500 --crawl ooapi --max-requests 1500
# Error answers and paging edges, checked against the documented responses of each operation.
unknown=99999999-9999-4999-8999-999999999999
run_crawl targeted 6 --spec "$kit/rio-profile-v5.json" --rio-mapper \
  "/programs/$unknown" "/courses/$unknown/offerings?pageSize=250&consumer=rio" \
  "/programs?pageSize=250&pageNumber=9999" "/programs?pageSize=7" "/courses?sort=bogus" \
  "/education-specifications?consumer=rio&pageSize=250"
exit $fail
