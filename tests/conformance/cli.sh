#!/usr/bin/env bash
# The executable's contract: subcommands, --help, exit codes (0 ok, 2 usage/config, 1 runtime),
# error messages that name the place, and a clean exit on SIGTERM.
# usage: cli.sh BINARY WORKDIR SOURCE_DIR DUO_GENERATOR
set -uo pipefail
bin=$1
work=$2
src=$3
generate=$4
source "$(dirname "$0")/lib.sh"
rm -rf "$work"
mkdir -p "$work"
trap stop_server EXIT
failures=0

# expect RC NEEDLE -- COMMAND...: runs COMMAND, checks its exit code and that stderr/stdout has NEEDLE.
expect() {
  local want=$1 needle=$2
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$want" ] || ! grep -qF -- "$needle" <<< "$out"; then
    echo "FAIL: '$*' gave exit $rc (want $want) and output:"
    echo "$out" | head -5
    echo "      (expected to contain: $needle)"
    failures=$((failures + 1))
  else
    echo "ok:   exit $rc  $*"
  fi
}

expect 2 "usage: ooapi-endpoint COMMAND" -- "$bin"
expect 0 "usage: ooapi-endpoint COMMAND" -- "$bin" --help
expect 2 "unknown command 'srve'" -- "$bin" srve
for c in serve demo-data check-config; do
  expect 0 "usage: ooapi-endpoint $c" -- "$bin" "$c" --help
done
expect 2 "option '--config' is required" -- "$bin" serve
expect 2 "unknown option '--port'" -- "$bin" serve --config x.yaml --port 1

# One parser for every command: the same --help layout, group help listing the subcommands, and
# exit 2 for a usage error in every command group, before anything is opened.
for g in rio sync; do
  expect 0 "usage: ooapi-endpoint $g COMMAND" -- "$bin" "$g" --help
  expect 2 "usage: ooapi-endpoint $g COMMAND" -- "$bin" "$g"
done
for c in "rio import" "rio diff" "sync plan" "sync apply" "sync verify" link unlink push jobs job; do
  # shellcheck disable=SC2086  # $c is a command and its subcommand
  expect 0 "exit status: 0 ok, 2 usage" -- "$bin" $c --help
done
expect 2 "unknown command 'imprt'" -- "$bin" rio imprt
expect 2 "missing argument PLAN" -- "$bin" sync apply
expect 2 "option '--out' given twice" -- "$bin" sync plan --out=a.json --out b.json
expect 2 "missing argument RIOCODE" -- "$bin" link programs
expect 2 "option '--limit' must be a whole number" -- "$bin" jobs --limit 0
expect 2 "missing argument ID" -- "$bin" push upsert programs
expect 2 "unknown option '--bogus'" -- "$bin" unlink --bogus

expect 0 "OK" -- "$bin" check-config "$src/config/example.yaml"
expect 0 "OK" -- "$bin" check-config "$src/config/demo.yaml"
printf 'server:\n  port: 8080\n  thread: 4\n' > "$work/typo.yaml"
expect 2 "typo.yaml:3" -- "$bin" check-config "$work/typo.yaml"
printf 'sis:\n  adapter: oracle\n' > "$work/adapter.yaml"
expect 2 "unknown SIS adapter 'oracle'" -- "$bin" check-config "$work/adapter.yaml"
expect 2 "cannot read file" -- "$bin" check-config "$work/missing.yaml"
expect 2 "OOAPI_SERVER__PORT" -- env OOAPI_SERVER__PORT=abc "$bin" check-config "$src/config/example.yaml"

expect 2 "--scale" -- "$bin" demo-data --db "$work/x.db" --scale huge
expect 2 "--seed" -- "$bin" demo-data --db "$work/x.db" --seed -1
expect 0 "offerings" -- "$bin" demo-data --db "$work/demo.db" --today 2026-01-15
expect 1 "already contains" -- "$bin" demo-data --db "$work/demo.db"

# check-rio: 0 on the clean demo, 1 with a finding per planted defect, 2 on a bad format.
write_config "$work/demo.db" "$work/clean.yaml"
expect 0 "0 finding" -- "$bin" check-rio --config "$work/clean.yaml"
expect 2 "--format" -- "$bin" check-rio --config "$work/clean.yaml" --format xml
expect 0 "planted" -- "$bin" demo-data --db "$work/broken.db" --today 2026-01-15 --plant-rio-defects
write_config "$work/broken.db" "$work/broken.yaml"
expect 1 "study-load-integer" -- "$bin" check-rio --config "$work/broken.yaml" --format csv

# Under OOAPI's own default window (since=<today>) the RIO mapper would not see running cohorts:
# check-rio reports them.
write_config "$work/demo.db" "$work/window.yaml"
printf 'offerings:\n  default_window: spec\n' >> "$work/window.yaml"
expect 1 "offering-window" -- "$bin" check-rio --config "$work/window.yaml"

write_config "$work/nowhere.db" "$work/nowhere.yaml"
expect 1 "nowhere.db" -- "$bin" serve --config "$work/nowhere.yaml"

# hash-secret reads stdin only; a served auth config then refuses requests without credentials.
expect 2 "standard input" -- "$bin" hash-secret < /dev/null
hash=$(printf 'gateway-pw\n' | "$bin" hash-secret)
case "$hash" in pbkdf2-sha256\$*) echo "ok:   hash-secret prints a pbkdf2-sha256 hash" ;;
  *) echo "FAIL: hash-secret printed '$hash'"; failures=$((failures + 1)) ;; esac
write_config "$work/demo.db" "$work/auth.yaml"
cat >> "$work/auth.yaml" <<YAML
auth:
  enabled: true
  realm: cli test
  clients:
    - name: gateway
      basic_user: surfeduhub
      basic_password_hash: "$hash"
YAML
expect 0 "auth          on, 1 client" -- "$bin" check-config "$work/auth.yaml"
if start_server "$work/auth.yaml"; then
  anon=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/programs")
  authed=$(curl -s -o /dev/null -w '%{http_code}' -u surfeduhub:gateway-pw \
    "http://127.0.0.1:$port/programs")
  health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/live")
  if [ "$anon/$authed/$health" = "401/200/200" ]; then
    echo "ok:   auth: 401 without credentials, 200 with them, health open"
  else
    echo "FAIL: auth gave anonymous $anon, authenticated $authed, health $health"
    failures=$((failures + 1))
  fi
  grep -q "gateway-pw" "$work/serve.err" && { echo "FAIL: the secret is in the log"; failures=$((failures + 1)); }
  stop_server
else
  failures=$((failures + 1))
fi

# The RIO side: synthetic DUO files -> rio import -> sync plan against the demo SIS.
"$generate" --out "$work/duo" --profile tiny --seed 1 > /dev/null
expect 2 "--bestuur" -- "$bin" rio import --from "$work/duo" --db "$work/sync.db"
expect 0 "oe linked" -- "$bin" rio import --from "$work/duo" --bestuur 100B490 --db "$work/sync.db"
# A snapshot the user names that does not exist is refused (2); a database that cannot be opened
# is a runtime failure (1).
expect 2 "no snapshot with id 7" -- "$bin" rio overview --snapshot 7 --format csv --out "$work/o.csv" \
  --db "$work/sync.db"
expect 1 "cannot open" -- "$bin" rio snapshots --db "$work/no/such/dir/sync.db"
expect 0 "rio_only" -- "$bin" sync plan --db "$work/sync.db" --config "$work/clean.yaml" \
  --out "$work/plan.json" --report "$work/plan.html"
grep -q '"format": "ooapi-endpoint/sync-plan"' "$work/plan.json" ||
  { echo "FAIL: plan.json is not a sync plan"; failures=$((failures + 1)); }
echo '{"format": "something else"}' > "$work/bogus.json"
expect 2 "bogus.json" -- "$bin" sync plan --db "$work/sync.db" --config "$work/clean.yaml" \
  --out "$work/plan2.json" --merge "$work/bogus.json"

# Serving, then SIGTERM: exit 0 after the drain.
write_config "$work/demo.db" "$work/serve.yaml"
if start_server "$work/serve.yaml"; then
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/programs?pageSize=250")
  [ "$code" = "200" ] || { echo "FAIL: /programs gave $code"; failures=$((failures + 1)); }
  kill -TERM "$server_pid"
  wait "$server_pid"
  rc=$?
  server_pid=""
  if [ $rc -ne 0 ]; then
    echo "FAIL: serve exited $rc on SIGTERM"
    failures=$((failures + 1))
  else
    echo "ok:   serve exits 0 on SIGTERM"
  fi
  grep -q '"event":"stopped"' "$work/serve.err" || { echo "FAIL: no stop log line"; failures=$((failures + 1)); }
else
  failures=$((failures + 1))
fi

echo "$failures failed"
[ "$failures" -eq 0 ]
