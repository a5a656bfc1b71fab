#!/usr/bin/env bash
# Installs what the tests need, checks the shape of the tree, builds everything with ASan+UBSan,
# starts a throwaway PostgreSQL and runs every test with ctest; then ThreadSanitizer over the
# threaded code and clang-tidy over what changed. Any finding fails the run.
# Used by CI (.ci/run) on a clean clone. Environment:
#   OOAPI_TEST_BUILD_DIR  build directory (default build/test)
#   OOAPI_KIT_DIR         the OOAPI conformance kit (default: tests/conformance/lib.sh)
#   OOAPI_TSAN            0 skips the ThreadSanitizer run (tests/tsan.sh); default 1
#   OOAPI_TIDY_BASE       clang-tidy checks the files changed since this commit (default: see
#                         tests/tidy.sh --changed); "all" checks every file (about 28 minutes)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

deploy/install-deps.sh --test

# The cheap checks first (seconds), so that CI fails before it builds.
tests/check_function_length.sh

build=${OOAPI_TEST_BUILD_DIR:-build/test}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DOOAPI_SANITIZE=address,undefined > /dev/null
# The link graph of the configured build; no compiling yet.
tests/check_layout.sh "$build"

# The validator's two npm modules, in a cache outside the repository.
validator_modules="${XDG_CACHE_HOME:-$HOME/.cache}/ooapi-validate"
if [ ! -d "$validator_modules/node_modules/ajv-formats" ]; then
  npm install --silent --no-audit --no-fund --prefix "$validator_modules" ajv@8 ajv-formats@3 js-yaml@4
fi

cmake --build "$build" -j"$(nproc)"

# The quickstart's optimised build too: g++ -O2 warns about things -O0 does not (-Werror).
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DOOAPI_BUILD_TESTS=OFF > /dev/null
cmake --build build/release -j"$(nproc)"

# A throwaway PostgreSQL for the postgres adapter's tests; stopped on exit, also on failure.
# In a subshell: tests/tsan.sh below starts a cluster of its own.
(
  source tests/pg_cluster.sh
  cd "$build"
  ctest --output-on-failure -j2 --timeout 900
)

# The slow checks, once the tests pass (CONTRIBUTING.md, "Checks").
if [ "${OOAPI_TSAN:-1}" = 1 ]; then
  tests/tsan.sh
fi
if [ "${OOAPI_TIDY_BASE:-}" = all ]; then
  tests/tidy.sh "$build"
else
  tests/tidy.sh --changed ${OOAPI_TIDY_BASE:+"$OOAPI_TIDY_BASE"} "$build"
fi
