#!/usr/bin/env bash
# Fails when a function outside tests/ is longer than the limit (150 lines, from the line that
# names the function to its closing brace). testing/ counts as code; tests/, including the
# benchmarks in tests/bench, does not. Exceptions, each with its reason, are in
# tests/function_length_exceptions.txt.
#
# Uses universal-ctags (`end:` fields; deploy/install-deps.sh --test installs it). Exuberant ctags
# gives no end lines, so the script refuses it rather than pass silently.
# Usage: tests/check_function_length.sh [--limit N] [--top N]
#   --top N  also print the N longest functions (offenders or not)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

limit=150
top=0
while [ $# -gt 0 ]; do
  case "$1" in
    --limit) limit=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    *) echo "usage: $0 [--limit N] [--top N]" >&2; exit 2 ;;
  esac
done

ctags=""
for c in ctags-universal universal-ctags ctags; do
  if command -v "$c" > /dev/null 2>&1 && "$c" --version 2>/dev/null | grep -q "Universal Ctags"; then
    ctags=$(command -v "$c")
    break
  fi
done
if [ -z "$ctags" ]; then
  echo "check_function_length: universal-ctags not found (deploy/install-deps.sh --test)" >&2
  exit 2
fi

# Self-check: the installed ctags must report where a C++ function ends.
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf 'namespace n {\nint F(int a) {\n  return a;\n}\n}  // namespace n\n' > "$probe_dir/probe.cc"
probe=$("$ctags" --kinds-c++=f --fields=+ne --sort=no -f - --output-format=json "$probe_dir/probe.cc" \
  2> /dev/null || true)
if ! grep -q '"end": 4' <<< "$probe"; then
  echo "check_function_length: $ctags gives no end lines for C++ functions" >&2
  exit 2
fi

mapfile -t files < <(git ls-files --cached --others --exclude-standard -- \
  '*.cc' '*.cpp' '*.h' '*.hpp' | grep -v '^tests/' | while read -r f; do [ -f "$f" ] && echo "$f"; done)

report=$(cat << 'PYTHON'
import json, re, sys

limit, top, exceptions_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

def display(tag):
    """Class::Method or Function; lambdas as <lambda> inside their function."""
    name = tag["name"]
    if name.startswith("__anon"):
        name = "<lambda>"
    scope = [s for s in tag.get("scope", "").split("::") if s and not s.startswith("__anon")]
    if tag.get("scopeKind") in ("class", "struct", "union", "function") and scope:
        return scope[-1] + "::" + name
    return name

exceptions, errors = {}, []
with open(exceptions_path) as f:
    for number, line in enumerate(f, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^(\S+)\s+(\S+)\s+--\s+(\S.*)$", line)
        if not m:
            errors.append(f"{exceptions_path}:{number}: expected `path function -- reason`")
            continue
        exceptions[(m.group(1), m.group(2))] = m.group(3)

functions = []
for line in sys.stdin:
    tag = json.loads(line)
    if "end" not in tag:
        errors.append(f"{tag['path']}:{tag['line']}: ctags found no end of {tag['name']}")
        continue
    functions.append((tag["end"] - tag["line"] + 1, tag["path"], tag["line"], display(tag)))
functions.sort(key=lambda f: (-f[0], f[1], f[2]))

offenders, excused, used = [], [], set()
for length, path, line, name in functions:
    if length <= limit:
        continue
    if (path, name) in exceptions:
        used.add((path, name))
        excused.append((length, path, line, name))
    else:
        offenders.append((length, path, line, name))

for length, path, line, name in excused:
    print(f"excepted: {path}:{line}: {name}: {length} lines ({exceptions[(path, name)]})")
for key in sorted(set(exceptions) - used):
    print(f"note: exception {key[0]} {key[1]} matches no function over {limit} lines; remove it")
if top:
    print(f"the {top} longest functions:")
    for length, path, line, name in functions[:top]:
        print(f"  {length:5d}  {path}:{line}: {name}")
for e in errors:
    print(e, file=sys.stderr)
if offenders:
    print(f"functions longer than {limit} lines (split them, or list them with a reason in "
          f"{exceptions_path}):")
    for length, path, line, name in offenders:
        print(f"{path}:{line}: {name}: {length} lines")
print(f"check_function_length: {len(functions)} functions, {len(offenders)} over {limit} lines")
sys.exit(1 if offenders or errors else 0)
PYTHON
)

"$ctags" --language-force=c++ --kinds-c++=f --fields=+neK --sort=no -f - --output-format=json \
  "${files[@]}" | python3 -c "$report" "$limit" "$top" tests/function_length_exceptions.txt
