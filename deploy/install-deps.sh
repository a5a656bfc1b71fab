#!/usr/bin/env bash
# Installs the Debian 12 packages ooapi-endpoint needs. Idempotent: only missing packages are
# installed. Usage: deploy/install-deps.sh [--test]   (--test adds what tests/run.sh needs)
set -euo pipefail

packages=(build-essential cmake pkg-config libpistache-dev rapidjson-dev libyaml-cpp-dev
          libsqlite3-dev libpqxx-dev libcurl4-openssl-dev libxlsxwriter-dev libssl-dev
          libxxhash-dev)
if [ "${1:-}" = "--test" ]; then
  # universal-ctags: tests/check_function_length.sh; clang-tidy-14: tests/tidy.sh.
  packages+=(libgtest-dev libgmock-dev curl python3 postgresql universal-ctags clang-tidy-14)
  command -v node > /dev/null 2>&1 || packages+=(nodejs)
  command -v npm > /dev/null 2>&1 || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
