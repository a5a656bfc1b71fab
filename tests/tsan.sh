#!/usr/bin/env bash
# ThreadSanitizer over the multi-threaded code: builds the HTTP server tests, the link runner tests
# and the admin API tests (and what they need) with -fsanitize=thread in a build directory of their
# own, starts a throwaway PostgreSQL (tests/pg_cluster.sh) and runs those tests with ctest. Fails on
# a failing test and on any ThreadSanitizer report, also one from a child process; the reports
# are printed at the end. The Python simulators the tests start are separate, uninstrumented
# processes: TSan neither sees nor reports them.
# Environment:
#   OOAPI_TSAN_BUILD_DIR  build directory (default build/tsan)
#   OOAPI_TSAN_TARGETS    test targets (default: http_tests sync_link_tests sync_admin_tests)
#   OOAPI_TSAN_FILTER     a ctest -R regex, to run only some of their tests
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

deploy/install-deps.sh --test

build=${OOAPI_TSAN_BUILD_DIR:-build/tsan}
read -r -a targets <<< "${OOAPI_TSAN_TARGETS:-http_tests sync_link_tests sync_admin_tests}"
mkdir -p "$build"
build=$(cd "$build" && pwd)

# GCC 12's TSan runtime cannot map its shadow memory when the kernel randomises mmap with more
# than 28 bits (vm.mmap_rnd_bits = 32 on some recent kernels): every instrumented binary dies
# with "FATAL: ThreadSanitizer: unexpected memory mapping". Running without address-space
# randomisation (setarch -R, inherited by child processes) avoids it without root.
probe="$build/tsan-probe"
printf '#include <thread>\nint main() { std::thread t([] {}); t.join(); }\n' > "$probe.cc"
c++ -std=c++20 -fsanitize=thread "$probe.cc" -o "$probe"
run=()
if ! "$probe" > "$probe.log" 2>&1; then
  if setarch "$(uname -m)" -R "$probe" > /dev/null 2>&1; then
    echo "tsan: $(head -n 1 "$probe.log"); running without ASLR (setarch -R)"
    run=(setarch "$(uname -m)" -R)
  else
    cat "$probe.log" >&2
    echo "tsan: ThreadSanitizer cannot run here; try: sudo sysctl vm.mmap_rnd_bits=28" >&2
    exit 2
  fi
fi

# -Werror stays off: warnings are enforced by the builds of tests/run.sh, and g++ 12 warns about
# what TSan cannot instrument (-Wtsan) inside libstdc++.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DOOAPI_SANITIZE=thread -DOOAPI_WERROR=OFF \
  > /dev/null
# The build runs the test binaries too (gtest_discover_tests lists their tests), hence "${run[@]}".
"${run[@]}" cmake --build "$build" -j2 --target "${targets[@]}"

# Only the tests of the binaries built here: their suites, from the binaries themselves.
suites=()
for t in "${targets[@]}"; do
  binary=$(find "$build/tests" -type f -name "$t" -perm -u+x | head -n 1)
  [ -n "$binary" ] || { echo "tsan: $t not found under $build/tests" >&2; exit 2; }
  mapfile -t -O "${#suites[@]}" suites < <("${run[@]}" "$binary" --gtest_list_tests |
    sed -n 's/^\([A-Za-z0-9_/]*\)\.\( .*\)\{0,1\}$/\1/p')
done
filter="^($(printf '%s\n' "${suites[@]}" | sort -u | paste -sd '|'))\\."
if [ -n "${OOAPI_TSAN_FILTER:-}" ]; then
  filter=$OOAPI_TSAN_FILTER
fi

# A throwaway PostgreSQL for the ledger's PostgreSQL tests; stopped on exit, also on failure.
source tests/pg_cluster.sh

# Libraries of the system are not instrumented: TSan does not see their atomic operations, so it
# cannot see that a shared_ptr's count, dropped by our thread and then by a library thread, orders
# the free after our last use. Pistache frees its Peer and Promise control blocks on its I/O
# threads after our worker threads drop their copies (ResponseWriter, the Promise of send()):
# reported as a race on the free, a false one. called_from_lib ignores only what the runtime's
# interceptors (free, memcpy, ...) do when Pistache itself calls them; a race between two of our
# own accesses is still reported, with Pistache frames on the stack or not.
cat > "$build/tsan.supp" << 'SUPPRESSIONS'
called_from_lib:libpistache.so
SUPPRESSIONS

# Every report goes to a file of its own (tsan.<pid>), whichever process wrote it.
reports="$build/tsan-reports"
rm -rf "$reports"
mkdir -p "$reports"
export TSAN_OPTIONS="log_path=$reports/tsan:suppressions=$build/tsan.supp:history_size=4"
TSAN_OPTIONS+=":second_deadlock_stack=1:halt_on_error=0"
status=0
(cd "$build/tests" && "${run[@]}" ctest -R "$filter" --output-on-failure -j2 --timeout 900) ||
  status=$?

shopt -s nullglob
found=("$reports"/tsan*)
if [ ${#found[@]} -gt 0 ]; then
  echo "tsan: ${#found[@]} processes reported (reports kept in $reports):"
  for f in "${found[@]}"; do
    echo "==== $f"
    cat "$f"
  done
  status=1
fi
echo "tsan: $( [ "$status" -eq 0 ] && echo passed || echo FAILED )"
exit "$status"
