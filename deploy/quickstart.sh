#!/usr/bin/env bash
# From a fresh Debian 12 machine to an OOAPI v5 endpoint on http://127.0.0.1:8080 serving the
# demo institution from an embedded SQLite database. Re-running reuses the build and the data.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

deploy/install-deps.sh
build=build/release
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DOOAPI_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" -j"$(nproc)"
bin="$build/app/ooapi-endpoint"

mkdir -p var
if [ ! -f var/demo.db ]; then
  "$bin" demo-data --db var/demo.db --scale small
fi
echo "quickstart: try  curl 'http://127.0.0.1:8080/programs?pageSize=10'   (Ctrl-C stops)"
exec "$bin" serve --config config/demo.yaml
