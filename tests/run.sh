#!/usr/bin/env bash
# Installs what the tests need, builds everything with ASan+UBSan, starts a throwaway PostgreSQL
# and runs every test with ctest.
# Used by CI (.ci/run) on a clean clone. Environment:
#   OOAPI_TEST_BUILD_DIR  build directory (default build/test)
#   OOAPI_KIT_DIR         the OOAPI conformance kit (default ../shared/ooapi beside the repository)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

deploy/install-deps.sh --test

# The validator's two npm modules, outside the repository (../shared/ooapi/README.md).
validator_modules="${XDG_CACHE_HOME:-$HOME/.cache}/ooapi-validate"
if [ ! -d "$validator_modules/node_modules/ajv-formats" ]; then
  npm install --silent --no-audit --no-fund --prefix "$validator_modules" ajv@8 ajv-formats@3 js-yaml@4
fi

build=${OOAPI_TEST_BUILD_DIR:-build/test}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DOOAPI_SANITIZE=address,undefined > /dev/null
cmake --build "$build" -j"$(nproc)"

# The quickstart's optimised build too: g++ -O2 warns about things -O0 does not (-Werror).
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DOOAPI_BUILD_TESTS=OFF > /dev/null
cmake --build build/release -j"$(nproc)"

# A throwaway PostgreSQL for the postgres adapter's tests; stopped on exit, also on failure.
source tests/pg_cluster.sh

cd "$build"
ctest --output-on-failure -j2 --timeout 900
