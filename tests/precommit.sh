#!/usr/bin/env bash
# credlint under the real pre-commit tool.
#
# Installs pre-commit from PyPI into a venv cached under target/ (re-runs
# are fast), builds credlint, checks that .pre-commit-hooks.yaml is a valid
# manifest with the keys the hook needs, then drives pre-commit in a
# temporary git repository. The hook under test is the manifest's own
# (entry, types, pass_filenames, require_serial) with `language: system`
# pointing at the binary just built: `language: rust` would make pre-commit
# `cargo install` the crate into its cache, a full release build on every
# clean CI machine. Set CREDLINT_TRY_REPO=1 to also run the real
# `language: rust` hook with `pre-commit try-repo` (slow: it builds).
#
# Needs: the Rust toolchain, git, python3 (with venv and pip).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$here/target}
case $target in /*) ;; *) target=$here/$target ;; esac
cache=$target/precommit
venv=$cache/venv
export PRE_COMMIT_HOME=$cache/home
export PIP_DISABLE_PIP_VERSION_CHECK=1
# a hook run must not see an outer repository's index
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export NO_COLOR=1

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# A venv where python3 has the venv module; else a plain pip --target
# folder (some distributions ship python3 without venv).
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import pre_commit' 2>/dev/null; then
    py=$venv/bin/python
elif [ -d "$cache/site/pre_commit" ]; then
    py=python3
    export PYTHONPATH=$cache/site
else
    step "installing pre-commit from PyPI into $cache"
    mkdir -p "$cache"
    if python3 -m venv "$venv" 2>/dev/null; then
        py=$venv/bin/python
        "$py" -m pip install --quiet "pre-commit>=3,<5"
    else
        rm -rf "$venv"
        py=python3
        python3 -m pip install --quiet --target "$cache/site" "pre-commit>=3,<5"
        export PYTHONPATH=$cache/site
    fi
fi
pc() { "$py" -m pre_commit "$@"; }
pc --version

step "building credlint"
(cd "$here" && cargo build --quiet --locked --bin credlint)
bin=$target/debug/credlint
[ -x "$bin" ] || fail "no binary at $bin"

step "the manifest is valid and has the hook's keys"
pc validate-manifest "$here/.pre-commit-hooks.yaml"
"$py" - "$here/.pre-commit-hooks.yaml" <<'PY'
import sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
hook = next(h for h in hooks if h["id"] == "credlint")
want = {"name": "credlint", "language": "rust", "pass_filenames": True,
        "types": ["text"], "require_serial": True}
for k, v in want.items():
    assert hook.get(k) == v, f"{k}: {hook.get(k)!r} != {v!r}"
assert hook["entry"].split()[:2] == ["credlint", "check"], hook["entry"]
print("manifest ok:", hook["entry"])
PY

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
mkdir "$repo"
cd "$repo"
git init -q
git config user.name credlint
git config user.email credlint@example.com

# The hook of the manifest, run from the binary just built.
"$py" - "$here/.pre-commit-hooks.yaml" "$bin" <<'PY' > .pre-commit-config.yaml
import sys, yaml
hook = next(h for h in yaml.safe_load(open(sys.argv[1])) if h["id"] == "credlint")
local = {k: hook[k] for k in ("id", "name", "entry", "types", "pass_filenames", "require_serial")}
local["entry"] = local["entry"].replace("credlint", sys.argv[2], 1)
local["language"] = "system"
# the same hook without a file-type filter, for the binary-only check
untyped = dict(local, id="credlint-untyped", name="credlint (any file)", stages=["manual"])
del untyped["types"]
print(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local, untyped]}]}, sort_keys=False))
PY
cat .pre-commit-config.yaml

# run EXPECTED_EXIT ARGS...: pre-commit run, output kept in $out
run() {
    local want=$1; shift
    set +e
    out=$(pc run --color never "$@" 2>&1)
    local got=$?
    set -e
    printf '%s\n' "$out"
    [ "$got" = "$want" ] || fail "pre-commit run $* exited $got, expected $want"
}

step "a clean repository passes"
cat > app.py <<'PY'
import os
from openai import OpenAI

client = OpenAI(organization=os.environ["OPENAI_ORG_ID"])
PY
printf 'OPENAI_API_KEY=\nOPENAI_ORG_ID=\n' > .env.example
printf '# App\n\nSet OPENAI_API_KEY in .env.\n' > README.md
git add -A
run 0 --all-files
grep -q 'credlint.*Passed' <<<"$out" || fail "the hook did not run and pass"

step "a staged hardcoded organization ID fails --all-files"
printf 'ORGANIZATION = "org-Sbj9nZeGYXBA4FKv0bIUqVZG"\n' > config.py
git add config.py
run 1 --all-files
grep -q 'config.py:1:17: ORG001' <<<"$out" || fail "no ORG001 finding at config.py:1:17"

step "--files: the file with the finding fails, a clean one passes"
run 1 --files config.py
grep -q 'ORG001' <<<"$out" || fail "no ORG001 with --files config.py"
run 0 --files app.py README.md

step "files credlint has no interest in are read, and pass"
printf 'int main(void) { return 0; }\n' > main.c
git add main.c
run 0 --files main.c --verbose
grep -q 'No problems found in 1 file' <<<"$out" || fail "main.c was not scanned"

step "no scannable file: never a silent pass"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR' > logo.png
git add logo.png
# pre-commit's own filter: it says it checked nothing
run 0 --files logo.png
grep -q 'credlint.*no files to check.*Skipped' <<<"$out" || fail "pre-commit did not say it skipped"
# without the filter credlint gets the binary and refuses to pass
run 1 --hook-stage manual credlint-untyped --files logo.png
grep -q 'no file could be scanned' <<<"$out" || fail "credlint passed having scanned nothing"
# text to pre-commit (no NUL in the first KiB), binary to credlint (NUL in
# the first 8 KiB): credlint refuses to pass
{ head -c 2000 /dev/zero | tr '\0' 'a'; printf '\x00tail\n'; } > data.txt
git add data.txt
run 1 --files data.txt
grep -q 'no file could be scanned' <<<"$out" || fail "credlint passed having scanned nothing"

step "files excluded by credlint.toml pass, and say so"
mkdir -p vendor
printf 'ORG = "org-1CURF0WYcVsZQ4plvJGFu0rZ"\n' > vendor/lib.py
printf 'exclude = ["vendor/"]\n' > credlint.toml
git add vendor/lib.py credlint.toml
run 0 --files vendor/lib.py --verbose
grep -q 'every file given is excluded' <<<"$out" || fail "no note about excluded files"

step "the installed git hook blocks the commit"
git rm -q --cached data.txt logo.png
pc install >/dev/null
set +e
commit_out=$(git commit -q -m "with a hardcoded org" 2>&1)
commit_rc=$?
set -e
printf '%s\n' "$commit_out"
[ "$commit_rc" != 0 ] || fail "git commit passed with a hardcoded organization ID"
grep -q 'ORG001' <<<"$commit_out" || fail "the commit hook did not report ORG001"
git rm -q --cached config.py
git commit -q -m "clean" || fail "a clean commit was blocked"

step "a tracked .env that .gitignore lists is still committed: the hook reports its key"
# a key of the real shape with a random body (it exists nowhere else)
body() { head -c 600 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9' | head -c 58; }
key="sk-proj-$(body)T3Blbk""FJ$(body)"
printf 'OPENAI_API_KEY=%s\n' "$key" > .env
git add .env
git commit -q --no-verify -m "env committed by mistake"
printf '.env\n' > .gitignore
printf 'OPENAI_API_KEY=%s\nDEBUG=1\n' "$key" > .env
git add .gitignore .env
run 1 --files .env
grep -q '.env:1:16: KEY001' <<<"$out" || fail "no KEY001 at .env:1:16 for a tracked, ignored .env"
set +e
commit_out=$(git commit -q -m "ignore .env" 2>&1)
commit_rc=$?
set -e
printf '%s\n' "$commit_out"
[ "$commit_rc" != 0 ] || fail "git commit passed with a key in a tracked, ignored .env"
grep -q 'KEY001' <<<"$commit_out" || fail "the commit hook did not report KEY001"

step "git add -f .env: the hook reports its key; untracked again, it is local"
git rm -q --cached .env
git commit -q -m "stop tracking .env" || fail "untracking .env was blocked"
git add -f .env
set +e
commit_out=$(git commit -q -m "force-added env" 2>&1)
commit_rc=$?
set -e
printf '%s\n' "$commit_out"
[ "$commit_rc" != 0 ] || fail "git commit passed with a key in a force-added .env"
grep -q 'KEY001' <<<"$commit_out" || fail "the commit hook did not report KEY001 for git add -f"
git rm -q --cached .env
# local again: its key is where keys belong
printf 'OPENAI_API_KEY=%s\nOPENAI_ORG_ID=org-Sbj9nZeGYXBA4FKv0bIUqVZG\n' "$key" > .env
run 0 --all-files

if [ "${CREDLINT_TRY_REPO:-}" = 1 ]; then
    step "the real language: rust hook (pre-commit try-repo builds it)"
    git add config.py
    set +e
    out=$(pc try-repo --color never "$here" credlint --files config.py 2>&1)
    rc=$?
    set -e
    printf '%s\n' "$out"
    [ "$rc" = 1 ] || fail "try-repo exited $rc, expected 1"
    grep -q 'ORG001' <<<"$out" || fail "try-repo: no ORG001"
fi

step "pre-commit: all checks passed"
