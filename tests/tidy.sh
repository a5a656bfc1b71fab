#!/usr/bin/env bash
# Runs clang-tidy 14 (.clang-tidy) over every .cc outside tests/ (testing/ included), two at a
# time, and fails on any warning. A warning in a header is counted once, however many files
# include it. Prints the warnings, then their counts per folder and per check.
# Usage: tests/tidy.sh [--changed [BASE]] [build-dir]   (default build/tidy: configured here if it
#   has no compile_commands.json; nothing is compiled, the generated sources are written by CMake)
# --changed: only the .cc files changed since BASE (committed or not), and the .cc files that
#   include a header changed since then (its warnings show through them). BASE defaults to the
#   merge base with the upstream branch when HEAD is ahead of it, else HEAD~1 (the commit under
#   test on a fresh clone). tests/run.sh uses this; the whole tree takes about 28 minutes.
# Environment: OOAPI_TIDY_JOBS (default 2), OOAPI_TIDY_FILES (a regex: only the matching .cc).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

changed_only=0
base=""
if [ "${1:-}" = "--changed" ]; then
  changed_only=1
  shift
  if [ $# -gt 0 ] && git rev-parse --verify --quiet "$1^{commit}" > /dev/null; then
    base=$1
    shift
  fi
  if [ -z "$base" ]; then
    upstream=$(git merge-base HEAD '@{upstream}' 2> /dev/null || true)
    if [ -n "$upstream" ] && [ "$upstream" != "$(git rev-parse HEAD)" ]; then
      base=$upstream
    else
      base=$(git rev-parse --verify --quiet 'HEAD~1^{commit}' || true)
    fi
  fi
fi

tidy=$(command -v clang-tidy-14 || true)
if [ -z "$tidy" ]; then
  echo "tidy: clang-tidy-14 not found (deploy/install-deps.sh --test installs it)" >&2
  exit 2
fi
build=${1:-build/tidy}
if [ ! -f "$build/compile_commands.json" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DOOAPI_BUILD_TESTS=ON > /dev/null
fi
build=$(cd "$build" && pwd)
jobs=${OOAPI_TIDY_JOBS:-2}

# The .cc files of the tree outside tests/, and that each one is compiled somewhere.
mapfile -t sources < <(git ls-files --cached --others --exclude-standard -- '*.cc' |
  grep -v '^tests/' | grep -E "${OOAPI_TIDY_FILES:-.}" |
  while read -r f; do [ -f "$f" ] && echo "$f"; done)

# --changed: keep the changed .cc files and those including a changed header (by its path below
# include/, or its file name for a private header beside the sources).
if [ "$changed_only" = 1 ]; then
  if [ -z "$base" ]; then
    echo "tidy: --changed: no base commit (a one-commit clone?); checking every file"
  else
    mapfile -t changed < <({ git diff --name-only "$base" --; git ls-files --others --exclude-standard; } |
      grep -E '\.(cc|h)$' | grep -v '^tests/' | sort -u)
    mapfile -t sources < <(python3 - "${#changed[@]}" "${changed[@]}" "${sources[@]}" << 'PYTHON'
import os, re, sys
n = int(sys.argv[1])
changed, sources = sys.argv[2:2 + n], sys.argv[2 + n:]
names = set()
for h in (c for c in changed if c.endswith(".h")):
    names.add(h.split("/include/", 1)[1] if "/include/" in h else os.path.basename(h))
include = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
for src in sources:
    if src in changed or (names and names & set(include.findall(open(src, errors="replace").read()))):
        print(src)
PYTHON
    )
    echo "tidy: --changed since $(git rev-parse --short "$base"): ${#sources[@]} files"
    if [ "${#sources[@]}" = 0 ]; then
      echo "tidy: nothing to check"
      exit 0
    fi
  fi
fi
missing=$(python3 -c '
import json, os, sys
known = {os.path.realpath(os.path.join(e["directory"], e["file"])) for e in json.load(open(sys.argv[1]))}
print("\n".join(f for f in sys.argv[2:] if os.path.realpath(f) not in known))
' "$build/compile_commands.json" "${sources[@]}")
if [ -n "$missing" ]; then
  echo "tidy: not in $build/compile_commands.json (not built by any target?):" >&2
  echo "$missing" >&2
  exit 2
fi

logs="$build/tidy-logs"
rm -rf "$logs"
mkdir -p "$logs"
start=$(date +%s)
# -Wno-unknown-warning-option: the compile commands are g++'s (-Wno-restrict is unknown to clang).
# -Wno-ambiguous-reversed-operator: clang reports every comparison of RapidJSON 1.1's member
# iterators under C++20 (the header, not our code); clang-tidy 14 cannot filter it in .clang-tidy.
printf '%s\n' "${sources[@]}" | xargs -P "$jobs" -I{} sh -c '
  out="$2/$(echo "$3" | tr / _).log"
  "$0" -p "$1" --quiet --extra-arg=-Wno-unknown-warning-option \
    --extra-arg=-Wno-ambiguous-reversed-operator "$3" > "$out" 2>&1 ||
    echo "clang-tidy exited with $? on $3" >> "$out"
' "$tidy" "$build" "$logs" {}
seconds=$(( $(date +%s) - start ))

python3 - "$root" "$logs" "$seconds" "${#sources[@]}" << 'PYTHON'
import collections, glob, os, re, sys

root, logs, seconds, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
warning = re.compile(r"^(/[^:]+):(\d+):(\d+): (warning|error): (.*?) \[([\w.,-]+)\]$")
found, failures = {}, []
for log in sorted(glob.glob(os.path.join(logs, "*.log"))):
    for line in open(log, errors="replace"):
        line = line.rstrip("\n")
        m = warning.match(line)
        if m:
            path = os.path.relpath(m.group(1), root)
            key = (path, int(m.group(2)), int(m.group(3)), m.group(6))
            found.setdefault(key, f"{path}:{m.group(2)}:{m.group(3)}: {m.group(4)}: "
                                  f"{m.group(5)} [{m.group(6)}]")
        elif line.startswith("clang-tidy exited with") or ": error: " in line:
            failures.append(line)

def folder(path):
    if path.startswith("../"):
        return "(system headers, on a path from our code)"
    parts = path.split("/")
    if len(parts) > 2 and parts[0] in ("sync", "adapters") and parts[1] not in ("include", "src"):
        return "/".join(parts[:2])
    return parts[0] if len(parts) > 1 else "."

for key in sorted(found):
    print(found[key])
for f in failures:
    print(f)
per_folder = collections.Counter(folder(k[0]) for k in found)
per_check = collections.Counter(c for k in found for c in k[3].split(","))
if found:
    print("per folder:")
    for name, n in per_folder.most_common():
        print(f"  {n:5d}  {name}")
    print("per check:")
    for name, n in per_check.most_common():
        print(f"  {n:5d}  {name}")
print(f"tidy: {count} files in {seconds} s, {len(found)} warnings"
      + (f", {len(failures)} failures" if failures else ""))
sys.exit(1 if found or failures else 0)
PYTHON
