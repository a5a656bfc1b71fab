#!/bin/sh
# End-to-end test of linking: synthetic DUO data -> rio import -> sync plan (every proposal
# accepted) -> sync apply against the SURFeduhub simulator with injected faults, killed with
# SIGKILL in the middle -> sync apply again -> the simulator's RIO state exported as DUO files ->
# rio import -> sync verify. Asserts: every planned link present, nothing else changed, zero
# duplicate submissions in the simulator's log; a lost answer leaves the job in doubt, never sent
# twice unasked; verify reports a difference planted behind its back.
#
# usage: link_e2e.sh BIN DUO_GENERATOR SYNC_FIXTURE WORK_DIR SOURCE_DIR
set -u
bin=${1:?BIN}
generate=${2:?DUO_GENERATOR}
fixture=${3:?SYNC_FIXTURE}
work=${4:?WORK_DIR}
src=${5:?SOURCE_DIR}
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
ok() { echo "ok:   $*"; }

rm -rf "$work"
mkdir -p "$work"
sim_pid=
sims=
cleanup() { [ -n "$sims" ] && kill $sims 2> /dev/null; }
trap cleanup EXIT

"$generate" --out "$work/duo" --profile institution --seed 3 > /dev/null || fail "generator"
"$bin" rio import --from "$work/duo" --bestuur 100B490 --ref-date 2025-09-01 \
  --db "$work/sync.db" > /dev/null 2> "$work/import1.err" || fail "rio import: $(cat "$work/import1.err")"
"$fixture" plan --db "$work/sync.db" --out "$work/plan.json" --accept > "$work/fixture.out" ||
  fail "sync plan"
accepted=$(sed -n 's/^accepted //p' "$work/fixture.out")
[ "${accepted:-0}" -gt 100 ] || fail "only '${accepted:-}' links accepted"
# The admin also overrides the generator's malformed code 1234o5678 (a lowercase
# letter in an opleidingseenheidcode), which sync apply must refuse locally whatever the matcher made of it.
python3 - "$work/plan.json" << 'PY' || fail "no item 1234o5678 in the plan"
import json, sys
path = sys.argv[1]
plan = json.load(open(path))
item = next(i for i in plan["items"] if i["rio_code"] == "1234o5678")
item["decision"] = "override"
item["override_sis_id"] = "0badc0de-0000-4000-8000-000000000001"
json.dump(plan, open(path, "w"), indent=1)
PY

# The simulator: the token endpoint is down for the first two requests, and three job POSTs get
# a 503, from the start.
python3 "$src/tests/sync/surf_sim.py" --port 0 --port-file "$work/port" --duo "$work/duo" \
  --job-seconds 0.01 --retry-wait-seconds 0.01 --fault token-down:2 --fault 5xx:3 \
  > "$work/sim.out" 2>&1 &
sim_pid=$!
sims="$sims $sim_pid"
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port" 2> /dev/null)
[ -n "$port" ] || { fail "the simulator did not start: $(cat "$work/sim.out")"; exit 1; }
sim="http://127.0.0.1:$port"
fault() { curl -s -X POST -H 'Content-Type: application/json' -d "$1" "$sim/_sim/fault" > /dev/null; }
count() { python3 -c "import json,sys; print(len(json.load(sys.stdin)$1))"; }

cat > "$work/config.yaml" << YAML
sis:
  sqlite:
    path: $work/no-sis.db
surfeduhub:
  base_url: $sim
  token_url: $sim/oauth/token
  client_id: ooapi-endpoint-test
  poll_initial_ms: 20
  poll_max_ms: 200
  max_in_flight: 4
YAML
export SURFEDUHUB_CLIENT_SECRET=sim-secret
apply() { "$bin" sync apply "$work/plan.json" --config "$work/config.yaml" --db "$work/sync.db" "$@"; }

# Run 1 is killed (SIGKILL, no cleanup) right after its 60th token is recorded, with jobs
# submitted and not yet settled.
OOAPI_TEST_CRASH_POINT=after-record:60 apply > "$work/run1.out" 2>&1
rc=$?
[ "$rc" -eq 137 ] && ok "run 1 killed by SIGKILL mid-way" || fail "run 1 was not killed (exit $rc): $(tail -3 "$work/run1.out")"
valid=$(sed -n 's/^plan .*: [0-9]* accepted link(s), \([0-9]*\) valid.*/\1/p' "$work/run1.out")
[ "${valid:-0}" -gt 100 ] || fail "run 1 found '${valid:-}' valid links"
grep -q "refused: oe:1234o5678: rio code" "$work/run1.out" && ok "a malformed RIO code is refused locally" ||
  fail "the planted 1234o5678 was not refused: $(grep refused "$work/run1.out")"

# Run 2 meets slow answers and a revoked token, and finishes the work. Its exit status is 1
# only because of the refused entry.
fault '{"mode": "slow", "count": 6, "seconds": 0.3}'
fault '{"mode": "revoke"}'
apply > "$work/run2.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "run 2 exit $rc (1 expected: one entry refused): $(tail -5 "$work/run2.out")"
grep -q "^applied: [0-9]* done, 0 error, 0 time-out, 0 rejected, 0 in doubt, 0 waiting" \
  "$work/run2.out" || fail "run 2: $(grep '^applied' "$work/run2.out")"
grep -q "^ledger: [1-9][0-9]* already done" "$work/run2.out" && ok "run 2 skipped what run 1 finished" ||
  fail "run 2 did not resume: $(grep '^ledger' "$work/run2.out")"
done_jobs=$("$bin" jobs --status done --format json --db "$work/sync.db" | count "")
[ "$done_jobs" = "$valid" ] && ok "$done_jobs of $valid links done" || fail "$done_jobs jobs done, $valid expected"
submitted=$(curl -s "$sim/_sim/log" | count "")
dups=$(curl -s "$sim/_sim/duplicates" | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])")
[ "$submitted" = "$valid" ] && [ "$dups" = "0" ] &&
  ok "the simulator received $submitted submissions for $valid links, $dups duplicates" ||
  fail "the simulator received $submitted submissions for $valid links, $dups duplicates"

# Run 3 has nothing left to do.
apply > "$work/run3.out" 2>&1
grep -q "^ledger: $valid already done, 0 to run" "$work/run3.out" && ok "run 3 is a no-op" ||
  fail "run 3: $(grep '^ledger' "$work/run3.out")"

# What RIO holds now, as DUO files, imported and verified against the ledger and the first
# snapshot.
curl -s -X POST -H 'Content-Type: application/json' -d "{\"to\": \"$work/after\"}" \
  "$sim/_sim/export" > "$work/export.out"
"$bin" rio import --from "$work/after" --bestuur 100B490 --ref-date 2025-09-01 \
  --db "$work/sync.db" > /dev/null 2>&1 || fail "rio import of the exported state"
"$bin" sync verify --db "$work/sync.db" > "$work/verify.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && grep -q ": $valid applied link(s) present, 0 difference(s)" "$work/verify.out" &&
  ok "sync verify: $(head -1 "$work/verify.out")" || fail "sync verify (exit $rc): $(head -5 "$work/verify.out")"

# A change behind the ledger's back (a key removed in RIO) is reported by verify.
mkdir -p "$work/tampered"
cp "$work/after/"* "$work/tampered/"
key=$(python3 - "$work/tampered" "$work/plan.json" << 'PY'
import csv, json, os, sys
d, plan = sys.argv[1], json.load(open(sys.argv[2]))
ao = next(i for i in plan["items"] if i["kind"] == "ao" and i["decision"] == "accept")
name = "aangeboden_ho_opleidingen.csv" if ao["sector"] == "HO" else "aangeboden_nfo_opleidingen.csv"
path = os.path.join(d, name)
raw = open(path, encoding="utf-8-sig", newline="").read()
print(ao["rio_code"])
open(path, "w", encoding="utf-8", newline="").write(raw.replace(ao["sis_id"], ""))
# ... and a name changed behind the ledger's back.
oe = next(i for i in plan["items"] if i["kind"] == "oe" and i["sector"] == "HO" and i["rio_name"]
          and i["class"] == "rio_only")
path = os.path.join(d, "ho_opleidingen.csv")
raw = open(path, encoding="utf-8-sig", newline="").read()
assert oe["rio_name"] in raw
open(path, "w", encoding="utf-8", newline="").write(raw.replace(oe["rio_name"], oe["rio_name"] + " Nieuw"))
print(oe["rio_code"], file=open(os.path.join(d, "..", "renamed.txt"), "w"))
PY
)
"$bin" rio import --from "$work/tampered" --bestuur 100B490 --ref-date 2025-09-01 \
  --db "$work/sync.db" > /dev/null 2>&1 || fail "rio import of the tampered state"
"$bin" sync verify --db "$work/sync.db" > "$work/verify2.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -qi "ao:$key: key is ''" "$work/verify2.out" &&
  ok "sync verify reports the removed key of $key" || fail "verify missed the tampering (exit $rc): $(head -5 "$work/verify2.out")"
renamed=$(cat "$work/renamed.txt")
grep -qi "oe:$renamed: changed outside the ledger since snapshot [0-9]*: .*NAAM" "$work/verify2.out" &&
  ok "sync verify reports the renamed $renamed as changed outside the ledger" ||
  fail "verify missed the renamed $renamed: $(head -5 "$work/verify2.out")"

# A crash between the POST and recording its token: the job is in doubt and not sent again
# unasked.
"$bin" rio import --from "$work/after" --bestuur 100B490 --ref-date 2025-09-01 \
  --db "$work/sync.db" > /dev/null 2>&1
code=$(python3 -c "
import json; p = json.load(open('$work/plan.json'))
print(next(i['rio_code'] for i in p['items'] if i['kind'] == 'oe' and i['class'] == 'already_linked' and i['rio_key']))")
OOAPI_TEST_CRASH_POINT=after-post:1 "$bin" unlink education-specifications "$code" \
  --config "$work/config.yaml" --db "$work/sync.db" > "$work/doubt1.out" 2>&1
rc=$?
[ "$rc" -eq 137 ] || fail "the unlink was not killed (exit $rc)"
"$bin" unlink education-specifications "$code" --config "$work/config.yaml" --db "$work/sync.db" \
  > "$work/doubt2.out" 2>&1
rc=$?
[ "$rc" -ne 0 ] && grep -q "in doubt" "$work/doubt2.out" &&
  [ "$(curl -s "$sim/_sim/log" | count "")" = "$((valid + 1))" ] &&
  ok "a lost answer leaves the job in doubt; nothing sent twice" ||
  fail "in-doubt handling (exit $rc): $(cat "$work/doubt2.out")"
# The admin decides to send it again: it ends done, and the simulator counts exactly this one
# repeat of a finished job (the first submission had been queued and done).
"$bin" unlink education-specifications "$code" --resubmit-in-doubt --config "$work/config.yaml" \
  --db "$work/sync.db" > "$work/doubt3.out" 2>&1
rc=$?
dups=$(curl -s "$sim/_sim/duplicates" | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])")
[ "$rc" -eq 0 ] && [ "$dups" = "1" ] &&
  ok "--resubmit-in-doubt sends it again on the admin's word (the one duplicate the simulator counts)" ||
  fail "--resubmit-in-doubt (exit $rc, $dups duplicates): $(cat "$work/doubt3.out")"

# The mapper's other jobs through the same ledger: an upsert sent without waiting, then followed
# with `job ID --refresh`.
pid=$(python3 -c "
import json; p = json.load(open('$work/plan.json'))
print(next(i['sis_id'] for i in p['items'] if i['kind'] == 'ao' and i['sis_type'] == 'program' and i['sis_id']))")
"$bin" push upsert programs "$pid" --no-wait --config "$work/config.yaml" --db "$work/sync.db" \
  > "$work/push.out" 2>&1 || fail "push upsert --no-wait: $(cat "$work/push.out")"
job=$(sed -n 's/^job \([0-9]*\): .*/\1/p' "$work/push.out")
state=
for _ in $(seq 50); do
  state=$("$bin" job "$job" --refresh --config "$work/config.yaml" --db "$work/sync.db" |
    python3 -c "import json,sys; print(json.load(sys.stdin)['state'])")
  [ "$state" = "done" ] && break
  sleep 0.1
done
[ "$state" = "done" ] && ok "push upsert --no-wait, then job $job --refresh: done" ||
  fail "push upsert: job '$job' is '$state': $(cat "$work/push.out")"
"$bin" push upsert programs "NOT-A-UUID" --config "$work/config.yaml" --db "$work/sync.db" \
  > "$work/push2.out" 2>&1
[ $? -eq 2 ] && grep -q "id: 'NOT-A-UUID' must be a lowercase UUID" "$work/push2.out" &&
  ok "push refuses a malformed id before sending" || fail "push with a bad id: $(cat "$work/push2.out")"

# The admin API of the real `serve`: refused without admin credentials, a link accepted with
# them and run by serve's background runner, every request in the audit log, no secret in it.
"$bin" demo-data --db "$work/sis.db" > /dev/null 2>&1 || fail "demo-data"
admin_hash=$(printf 'admin-token-42' | "$bin" hash-secret)
cat > "$work/serve.yaml" << YAML
server:
  port: 0
sis:
  sqlite:
    path: $work/sis.db
surfeduhub:
  base_url: $sim
  token_url: $sim/oauth/token
  client_id: ooapi-endpoint-test
  poll_initial_ms: 20
  poll_max_ms: 200
admin:
  enabled: true
  port: 0
  db: $work/sync.db
  audit_log: $work/audit/admin.log
  clients:
    - name: beheerder
      bearer_token_hash: "$admin_hash"
YAML
"$bin" serve --config "$work/serve.yaml" > "$work/serve.out" 2> "$work/serve.err" &
serve_pid=$!
admin_port=
for _ in $(seq 100); do
  admin_port=$(sed -n 's/.*"listener":"admin".*"port":\([0-9]*\).*/\1/p' "$work/serve.err" | head -1)
  [ -n "$admin_port" ] && break
  sleep 0.1
done
if [ -n "$admin_port" ]; then
  admin="http://127.0.0.1:$admin_port/admin"
  target=$(python3 -c "
import json; p = json.load(open('$work/plan.json'))
print(next(i['rio_code'] for i in p['items'] if i['kind'] == 'oe' and i['class'] == 'rio_only' and not i['rio_key']))")
  body="{\"type\": \"education-specifications\", \"rio_code\": \"$target\", \"id\": \"0badc0de-0000-4000-8000-0000000000a1\"}"
  anon=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$body" "$admin/link")
  created=$(curl -s -w '\n%{http_code}' -X POST -H 'Authorization: Bearer admin-token-42' \
    -H 'Content-Type: application/json' -d "$body" "$admin/link")
  job=$(echo "$created" | head -1 | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])" 2> /dev/null)
  state=
  for _ in $(seq 100); do
    state=$(curl -s -H 'Authorization: Bearer admin-token-42' "$admin/jobs/$job" |
      python3 -c "import json,sys; print(json.load(sys.stdin)['state'])" 2> /dev/null)
    [ "$state" = "done" ] && break
    sleep 0.1
  done
  key=$(curl -s "$sim/_sim/state/$target" | python3 -c "import json,sys; print(json.load(sys.stdin)['key'])")
  [ "$anon" = "401" ] && [ "$(echo "$created" | tail -1)" = "202" ] && [ "$state" = "done" ] &&
    [ "$key" = "0badc0de-0000-4000-8000-0000000000a1" ] &&
    ok "admin API: 401 without credentials; link $target accepted (202), run by serve: done, in RIO" ||
    fail "admin API: anonymous $anon, created $(echo "$created" | tail -1), state '$state', key '$key'"
  grep -q '"client":"beheerder".*"status":202' "$work/audit/admin.log" &&
    grep -q '"status":401' "$work/audit/admin.log" && ! grep -q "admin-token-42" "$work/audit/admin.log" &&
    ok "audit log: the accepted link with its client, the refused request, no token" ||
    fail "audit log: $(cat "$work/audit/admin.log")"
else
  fail "serve with the admin API did not start: $(tail -3 "$work/serve.err")"
fi
kill -TERM "$serve_pid" 2> /dev/null
wait "$serve_pid" || fail "serve did not stop cleanly"

# Several processes applying the same plan at once, with the snapshots and the ledger in
# PostgreSQL (rows claimed with FOR UPDATE SKIP LOCKED): no job is submitted twice.
if [ -n "${OOAPI_TEST_PG_URL:-}" ]; then
  schema="link_e2e_$$"
  psql -q "$OOAPI_TEST_PG_URL" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" \
    > /dev/null 2>&1 ||
    fail "cannot create schema $schema"
  pg="$OOAPI_TEST_PG_URL?options=-csearch_path%3D$schema"
  kill "$sim_pid" 2>/dev/null
  wait "$sim_pid" 2>/dev/null
  rm -f "$work/port"
  python3 "$src/tests/sync/surf_sim.py" --port 0 --port-file "$work/port" --duo "$work/duo" \
    --job-seconds 0.01 --retry-wait-seconds 0.01 --fault 5xx:2 > "$work/sim2.out" 2>&1 &
  sim_pid=$!
  sims="$sims $sim_pid"
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  sim="http://127.0.0.1:$(cat "$work/port")"
  sed -i "s|http://127.0.0.1:[0-9]*|$sim|" "$work/config.yaml"
  "$bin" rio import --from "$work/duo" --bestuur 100B490 --ref-date 2025-09-01 --db "$pg" \
    > /dev/null 2> "$work/pg_import.err" || fail "rio import into PostgreSQL: $(cat "$work/pg_import.err")"
  for i in 1 2 3; do
    "$bin" sync apply "$work/plan.json" --config "$work/config.yaml" --db "$pg" \
      > "$work/pg_run$i.out" 2>&1 &
    eval "apply_pid$i=\$!"
  done
  wait "$apply_pid1" "$apply_pid2" "$apply_pid3"
  done_jobs=$("$bin" jobs --status done --format json --db "$pg" | count "")
  submitted=$(curl -s "$sim/_sim/log" | count "")
  dups=$(curl -s "$sim/_sim/duplicates" | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])")
  [ "$done_jobs" = "$valid" ] && [ "$submitted" = "$valid" ] && [ "$dups" = "0" ] &&
    ok "3 concurrent applies on PostgreSQL: $done_jobs done, $submitted submissions, $dups duplicates" ||
    fail "concurrent applies on PostgreSQL: $done_jobs done, $submitted submitted, $dups duplicates, $valid expected: $(tail -2 "$work"/pg_run*.out)"
  psql -q "$OOAPI_TEST_PG_URL" -c "DROP SCHEMA IF EXISTS $schema CASCADE" > /dev/null 2>&1
else
  echo "skip: concurrent applies on PostgreSQL (OOAPI_TEST_PG_URL not set)"
  [ -n "${OOAPI_TEST_REQUIRE_POSTGRES:-}" ] && fail "PostgreSQL required but OOAPI_TEST_PG_URL not set"
fi

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
