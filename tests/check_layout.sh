#!/usr/bin/env bash
# Fails when the tree breaks one of its layout rules:
#   a. a production target (defined outside tests/ and testing/) links ooapi_testing or
#      ooapi_testing_gtest, directly or through other targets (read from CMake's link graph);
#   b. a file outside tests/ and testing/ includes "ooapi/testing/...";
#   c. the sync libraries depend backwards: sync/rio on endpoint, sync/plan or sync/link, sync/plan
#      on sync/link (includes, and the link graph);
#   d. a third-party library (Pistache, yaml-cpp, SQLite3, libpqxx, libcurl, libxlsxwriter,
#      libcrypto, libxxhash) is linked directly by more than one of our targets (one target each,
#      see the top-level CMakeLists.txt);
#   e. a comment points at an issue number or at a file outside the repository (a reader of the
#      repository has neither).
# Usage: tests/check_layout.sh [build-dir]
#   With a configured build directory (tests/run.sh passes build/test) CMake is re-run there to
#   write the link graph; without one the tree is configured in a temporary directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

work=$(mktemp -d /tmp/ooapi-layout.XXXXXX)
trap 'rm -rf "$work"' EXIT
build=${1:-$work/build}
# CMake's file API names each target's source directory; --graphviz writes the link edges.
mkdir -p "$build/.cmake/api/v1/query/client-ooapi-layout"
touch "$build/.cmake/api/v1/query/client-ooapi-layout/codemodel-v2"
if [ $# -ge 1 ]; then
  cmake --graphviz="$work/graph/links.dot" "$build" > "$work/cmake.log" 2>&1 ||
    { cat "$work/cmake.log" >&2; exit 2; }
else
  cmake -S . -B "$build" -DOOAPI_BUILD_TESTS=ON --graphviz="$work/graph/links.dot" \
    > "$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; exit 2; }
fi

git ls-files --cached --others --exclude-standard -z > "$work/files"

check=$(cat << 'PYTHON'
import glob, json, os, re, sys

build, graph, files_list = sys.argv[1], sys.argv[2], sys.argv[3]
files = sorted(f for f in open(files_list).read().split("\0")
               if f and os.path.isfile(f) and not f.startswith("build"))
findings = {k: [] for k in "abcde"}

# --- targets and the link graph -----------------------------------------------------------------
reply = os.path.join(build, ".cmake/api/v1/reply")
index = max(glob.glob(os.path.join(reply, "index-*.json")))
codemodel = json.load(open(os.path.join(reply, json.load(open(index))["reply"]
                                        ["client-ooapi-layout"]["codemodel-v2"]["jsonFile"])))
ours = {}  # target name -> source directory relative to the root
for config in codemodel["configurations"][:1]:
    for t in config["targets"]:
        detail = json.load(open(os.path.join(reply, t["jsonFile"])))
        ours[t["name"]] = detail["paths"]["source"]

edges = {}  # name -> set of names it links (PUBLIC, PRIVATE and INTERFACE alike)
for line in open(graph):
    m = re.search(r'//\s*(\S+)\s*->\s*(\S+)\s*$', line)
    if m and m.group(1) != m.group(2):
        edges.setdefault(m.group(1), set()).add(m.group(2))
# The graph names a target by its alias when it was linked through one.
alias = {}
for line in open(graph):
    m = re.search(r'label = "([^"\\]+)\\n\(([^)]+)\)"', line)
    if m:
        alias[m.group(2)] = m.group(1)
def canon(name):
    return alias.get(name, name)
links = {}
for a, bs in edges.items():
    links.setdefault(canon(a), set()).update(canon(b) for b in bs)

def closure(name):
    seen, todo = set(), [name]
    while todo:
        for b in links.get(todo.pop(), ()):
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return seen

def test_only(directory):
    return directory == "tests" or directory.startswith(("tests/", "testing"))

testing_targets = {"ooapi_testing", "ooapi_testing_gtest"}
for name, directory in sorted(ours.items()):
    if test_only(directory):
        continue
    bad = sorted(closure(name) & testing_targets)
    if bad:
        direct = sorted(links.get(name, set()) & testing_targets)
        how = "directly" if direct else "through its dependencies"
        findings["a"].append(f"{name} ({directory}) links {', '.join(bad)} {how}")

backwards = {"ooapi_sync_rio": ["ooapi_endpoint_lib", "ooapi_sync_plan", "ooapi_sync_link"],
             "ooapi_sync_plan": ["ooapi_sync_link"]}
for name, forbidden in backwards.items():
    for b in forbidden:
        if b in closure(name):
            findings["c"].append(f"{name} links {b} (link graph)")

third_party = {
    "Pistache": r"pistache",
    "yaml-cpp": r"yaml",
    "SQLite3": r"sqlite",
    "libpqxx": r"pqxx|(^|[^a-z])pq$|libpq",
    "libcurl": r"curl",
    "libxlsxwriter": r"xlsxwriter",
    "libcrypto": r"crypto|openssl|(^|[^a-z])ssl",
    "libxxhash": r"xxhash",
}
for lib, pattern in third_party.items():
    users = sorted(a for a, bs in links.items() if a in ours and
                   any(b not in ours and re.search(pattern, b, re.I) for b in bs))
    if len(users) > 1:
        findings["d"].append(f"{lib} is linked by {len(users)} targets: {', '.join(users)}")

# --- includes -----------------------------------------------------------------------------------
cxx = [f for f in files if f.endswith((".cc", ".cpp", ".h", ".hpp"))]
include = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
layers = [("sync/rio/", ("ooapi/endpoint/", "ooapi/sync/plan/", "ooapi/sync/link/")),
          ("sync/plan/", ("ooapi/sync/link/",))]
for f in cxx:
    for number, line in enumerate(open(f, errors="replace"), 1):
        m = include.match(line)
        if not m:
            continue
        header = m.group(1)
        if header.startswith("ooapi/testing/") and not test_only(f):
            findings["b"].append(f"{f}:{number}: includes {header}")
        for folder, forbidden in layers:
            if f.startswith(folder) and header.startswith(forbidden):
                findings["c"].append(f"{f}:{number}: includes {header}")

# --- comments -----------------------------------------------------------------------------------
IDENT = re.compile(r"[A-Za-z0-9_]")
RAW = re.compile(r'(?:u8|u|U|L)?R"([^()\\\s]{0,16})\(')

def cpp_comments(text):
    """(line, text) of each // and /* */ comment line, string and character literals skipped."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            yield line, text[i + 2:j]
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j
            for k, part in enumerate(text[i + 2:j].split("\n")):
                yield line + k, part
            line += text.count("\n", i, j)
            i = j + 2
        elif RAW.match(text, i) and (i == 0 or not IDENT.match(text[i - 1])):
            m = RAW.match(text, i)
            end = text.find(")" + m.group(1) + '"', m.end())
            end = n if end < 0 else end + len(m.group(1)) + 2
            line += text.count("\n", i, end)
            i = end
        elif IDENT.match(c):
            while i < n and IDENT.match(text[i]):
                i += 1
            if i < n and text[i] == "'" and text[i - 1].isdigit():  # digit separator 1'000
                i += 1
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        else:
            i += 1

def hash_comments(text, python=False):
    """# comments (shell, CMake, Python, YAML); for Python also the docstrings."""
    doc = None
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if python:
            if doc:
                yield number, raw
                if doc in raw:
                    doc = None
                continue
            for q in ('"""', "'''"):
                if stripped.lstrip("rb").startswith(q):
                    yield number, raw
                    doc = q if stripped.count(q) == 1 else None
                    break
            else:
                q = None
            if q:
                continue
        quote, prev = None, " "
        for k, ch in enumerate(raw):
            if quote:
                if ch == quote and prev != "\\":
                    quote = None
            elif ch in "\"'" and (python or not prev.isalnum()):
                quote = ch
            elif ch == "#" and prev.isspace():
                yield number, raw[k + 1:]
                break
            prev = ch

def sql_comments(text):
    for number, raw in enumerate(text.split("\n"), 1):
        k = raw.find("--")
        if k >= 0:
            yield number, raw[k + 2:]

def comments(path):
    text = open(path, errors="replace").read()
    base = os.path.basename(path)
    if base.endswith((".cc", ".cpp", ".h", ".hpp")):
        return cpp_comments(text)
    if base.endswith(".sql"):
        return sql_comments(text)
    if base.endswith(".py"):
        return hash_comments(text, python=True)
    if (base == "CMakeLists.txt" or base.endswith((".cmake", ".sh", ".yaml", ".yml", ".conf",
                                                    ".service", ".supp")) or
            base in (".clang-tidy", ".clang-format", ".gitignore") or path.startswith(".ci/")):
        return hash_comments(text)
    return ()

issue = re.compile(r"\bissues?\s*#?\s*\d+|\(#\d+\b|\b(?:see|pr|pull)\s+#\d+|\bgh-\d+", re.I)
outside = re.compile(r"\.\./shared|\bsync-guide\b")
doc_name = re.compile(r"(?<![\w/.-])((?:\.{1,2}/)?[\w./-]*[\w-]\.(?:md|pdf|html|docx?))\b")
basenames = {os.path.basename(f) for f in files}
for f in files:
    for number, text in comments(f):
        where = f"{f}:{number}"
        for m in issue.finditer(text):
            findings["e"].append(f"{where}: issue number: {m.group(0).strip()!r}: {text.strip()}")
        for m in outside.finditer(text):
            findings["e"].append(f"{where}: outside the repository: {m.group(0)!r}: {text.strip()}")
        for m in doc_name.finditer(text):
            name = m.group(1)
            if outside.search(name):
                continue
            candidates = [name, os.path.normpath(os.path.join(os.path.dirname(f), name))]
            if any(os.path.exists(c) for c in candidates) or (
                    "/" not in name and name in basenames):
                continue
            findings["e"].append(f"{where}: not in the repository: {name!r}: {text.strip()}")

titles = {
    "a": "production targets linking test-only code",
    "b": "test-only headers included outside tests/ and testing/",
    "c": "sync libraries depending backwards (rio <- plan <- link)",
    "d": "third-party libraries linked by more than one target",
    "e": "comments pointing at issue numbers or at files outside the repository",
}
total = 0
for key, title in titles.items():
    if findings[key]:
        print(f"{key}. {title}: {len(findings[key])}")
        for finding in findings[key]:
            print(f"  {finding}")
        total += len(findings[key])
print(f"check_layout: {len(ours)} targets, {len(files)} files, {total} findings")
sys.exit(1 if total else 0)
PYTHON
)

python3 -c "$check" "$build" "$work/graph/links.dot" "$work/files"
