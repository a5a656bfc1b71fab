#!/usr/bin/env bash
# The example in adapters/postgres/examples: a foreign SIS schema mapped onto the SIS contract with
# views only, in its own database, served by the real executable and crawled like SURF's RIO
# validator does. Also checks values that only come out right if the views translate the SIS
# codes (two-letter forms, integer keys, old names as timeline overrides).
# usage: pg_foreign_sis.sh BINARY WORKDIR SOURCE_DIR      (exit 77 = skipped: no test cluster)
set -uo pipefail
bin=$1
work=$2
src=$3
source "$(dirname "$0")/lib.sh"
if [ -z "${OOAPI_TEST_PG_PORT:-}" ]; then
  echo "no test PostgreSQL (tests/run.sh starts one)"
  [ -n "${OOAPI_TEST_REQUIRE_POSTGRES:-}" ] && exit 1
  exit 77
fi
kit=$(kit_dir) || exit 1
rm -rf "$work"
mkdir -p "$work"
db=foreign_$$
psql() { "$OOAPI_TEST_PG_BIN/psql" -qX -v ON_ERROR_STOP=1 "$@"; }
server="postgresql://ooapi@127.0.0.1:$OOAPI_TEST_PG_PORT"
cleanup() {
  stop_server
  psql "$server/ooapi_test" -c "DROP DATABASE IF EXISTS $db" > /dev/null 2>&1
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

psql "$server/ooapi_test" -c "CREATE DATABASE $db" || fail "create database"
psql "$server/$db" -f "$src/adapters/postgres/examples/foreign_sis.sql" \
  -f "$src/adapters/postgres/examples/contract_views.sql" || fail "loading the example"
cat > "$work/config.yaml" <<YAML
server:
  port: 0
sis:
  adapter: postgres
  postgres:
    port: $OOAPI_TEST_PG_PORT
    database: $db
    user: ooapi
    sslmode: disable
    schema: ooapi
logging:
  access_log: false
YAML
"$bin" check-config "$work/config.yaml" > /dev/null || fail "check-config"
start_server "$work/config.yaml" || fail "server did not start on the example views"
base="http://127.0.0.1:$port"
fail=0
run_crawl foreign-rio 20 --spec "$kit/rio-profile-v5.json" --rio-mapper --crawl rio
[ $fail -eq 0 ] || fail "the RIO crawl of the example found problems"

get() { curl -sf "$base$1"; }
programs=$(get "/programs?pageSize=250")
grep -q '"value":"Informatica deeltijd"' <<< "$programs" || fail "program names from the views"
grep -q '"modeOfStudy":"dual training"' <<< "$programs" || fail "vorm DU -> dual training"
grep -q '"teachingLanguage":"eng"' <<< "$programs" || fail "taal EN -> eng"
[ "$(get "/programs?pageSize=250&consumer=rio" | grep -o '"programId"' | wc -l)" = "4" ] ||
  fail "consumer=rio leaves out the programme that is not reported to RIO"
espec=$(grep -o '"educationSpecification":"[0-9a-f-]*"' <<< "$programs" | head -n 1 | cut -d'"' -f4)
get "/education-specifications?pageSize=250" | grep -q '"code":"34479"' || fail "ISAT code"
overrides=$(get "/education-specifications/$espec?returnTimelineOverrides=true")
echo "$overrides" > "$work/espec.json"
offerings=$(get "/programs?pageSize=250" | grep -o '"programId":"[0-9a-f-]*"' | cut -d'"' -f4 |
  while read -r p; do get "/programs/$p/offerings?pageSize=250&consumer=rio"; done)
grep -q '"code":"INF-VT-2026-09"' <<< "$offerings" || fail "cohort codes built from the SIS keys"
grep -q '"amount":"2601.00"' <<< "$offerings" || fail "prices as decimal strings"
grep -rq '"value":"HBO-ICT"' "$work/espec.json" ||
  get "/education-specifications?pageSize=250" | grep -o '"educationSpecificationId":"[0-9a-f-]*"' |
    cut -d'"' -f4 | while read -r e; do get "/education-specifications/$e?returnTimelineOverrides=true"; done |
    grep -q '"value":"HBO-ICT"' || fail "the old name as a timeline override"
echo "ok: the foreign SIS is served through views only and passes the RIO crawl"
