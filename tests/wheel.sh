#!/usr/bin/env bash
# credlint as a Python wheel, built from source and run from a clean
# virtualenv, as `pip install credlint` / `pipx run credlint` / `uvx
# credlint` will run it once wheels are published.
#
# 1. Installs maturin (and pre-commit, which brings PyYAML) from PyPI into
#    a venv cached under target/wheel/ (re-runs are fast).
# 2. `maturin build --release --locked`: the wheel of pyproject.toml, built
#    in the usual target/ (the release dependencies are shared with any
#    `cargo build --release`).
# 3. Installs the wheel alone (`--no-index`) into a new, empty virtualenv
#    and runs its `credlint`: version, `check` of a fixture with findings
#    (exit 1, ORG001) and of a clean one (exit 0), completions, man page.
# 4. The pre-commit mirror (packaging/credlint-pre-commit/, `language:
#    python`) under the real pre-commit: its hook installs that same wheel
#    (found with PIP_FIND_LINKS) and fails on a hardcoded organization ID.
# 5. The GitHub Action's install step (action.yml, `install: pypi`) with
#    pip pointed at the wheel: it puts a working credlint on GITHUB_PATH.
#
# Needs: the Rust toolchain, git, python3 (with venv and pip), PyPI.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$here/target}
case $target in /*) ;; *) target=$here/$target ;; esac
cache=$target/wheel
tools=$cache/venv
dist=$cache/dist
export PIP_DISABLE_PIP_VERSION_CHECK=1
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE
export NO_COLOR=1
started=$SECONDS

step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - started))"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# A virtualenv at $1: `python3 -m venv`, or the `virtualenv` package where
# the interpreter lacks venv/ensurepip (some distributions split it out).
make_venv() {
    rm -rf "$1"
    if ! python3 -m venv "$1" 2>/dev/null; then
        rm -rf "$1"
        python3 -m pip install --quiet --user virtualenv
        python3 -m virtualenv --quiet "$1"
    fi
}

if ! { [ -x "$tools/bin/maturin" ] && "$tools/bin/python" -c 'import pre_commit, yaml' 2>/dev/null; }; then
    step "installing maturin and pre-commit from PyPI into $tools"
    mkdir -p "$cache"
    make_venv "$tools"
    "$tools/bin/python" -m pip install --quiet "maturin>=1.5,<2" "pre-commit>=3,<5"
fi
py=$tools/bin/python
"$tools/bin/maturin" --version

step "maturin build --release (the wheel of pyproject.toml)"
rm -rf "$dist"
(cd "$here" && "$tools/bin/maturin" build --release --locked --out "$dist")
wheels=("$dist"/credlint-*.whl)
[ "${#wheels[@]}" = 1 ] && [ -f "${wheels[0]}" ] || fail "expected one wheel in $dist: ${wheels[*]}"
wheel=${wheels[0]}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/Cargo.toml" | head -n 1)
case $(basename "$wheel") in
    "credlint-$version-py3-none-"*) ;;
    *) fail "wheel $(basename "$wheel") is not credlint $version for any Python 3" ;;
esac
"$py" - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
scripts = [n for n in names if ".data/scripts/" in n]
assert [s.rsplit("/", 1)[1] for s in scripts] in (["credlint"], ["credlint.exe"]), names
print("wheel carries", scripts[0])
PY

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "installing the wheel alone into a clean virtualenv"
clean=$work/clean
make_venv "$clean"
"$clean/bin/python" -m pip install --quiet --no-index "$wheel"
bin=$clean/bin/credlint
[ -x "$bin" ] || fail "no credlint in the virtualenv's bin/"
got=$("$bin" --version)
[ "$got" = "credlint $version" ] || fail "credlint --version said '$got'"
echo "$got from $bin"

# A fixture as a git work tree (its _gitignore becomes .gitignore).
fixture() {
    local to=$work/$1
    cp -R "$here/fixtures/$1" "$to"
    [ ! -f "$to/_gitignore" ] || mv "$to/_gitignore" "$to/.gitignore"
    git -C "$to" init -q
    echo "$to"
}

step "the installed credlint checks a repository with findings"
app=$(fixture python-app)
set +e
out=$(cd "$app" && "$bin" check --format concise 2>&1)
rc=$?
set -e
printf '%s\n' "$out"
[ "$rc" = 1 ] || fail "credlint check exited $rc on python-app, expected 1"
grep -q '^app/client.py:8:19: ORG001' <<<"$out" || fail "no ORG001 at app/client.py:8:19"

step "and passes a clean one"
ok=$(fixture clean-app)
(cd "$ok" && "$bin" check --format concise) || fail "credlint check failed on clean-app"

step "completions and the man page come with it"
"$bin" completions bash | grep -q 'credlint' || fail "no bash completions"
"$bin" man | grep -q '^\.TH credlint 1' || fail "no man page"

step "the pre-commit mirror (language: python) installs the wheel"
mirror=$work/mirror
cp -R "$here/packaging/credlint-pre-commit" "$mirror"
git -C "$mirror" init -q
git -C "$mirror" add -A
git -C "$mirror" -c user.name=credlint -c user.email=credlint@example.com commit -q -m mirror
repo=$work/repo
mkdir "$repo"
git -C "$repo" init -q
printf 'ORGANIZATION = "org-Sbj9nZeGYXBA4FKv0bIUqVZG"\n' > "$repo/config.py"
git -C "$repo" add config.py
cat > "$repo/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $mirror
    rev: $(git -C "$mirror" rev-parse HEAD)
    hooks:
      - id: credlint
EOF
set +e
# pip in the hook's environment finds credlint==VERSION in $dist (PyPI has
# no such wheel until it is published) and setuptools on PyPI.
out=$(cd "$repo" && PIP_FIND_LINKS="$dist" PRE_COMMIT_HOME="$work/pre-commit-home" \
    "$py" -m pre_commit run --color never --files config.py 2>&1)
rc=$?
set -e
printf '%s\n' "$out"
[ "$rc" = 1 ] || fail "the mirror's hook exited $rc, expected 1"
grep -q 'config.py:1:17: ORG001' <<<"$out" || fail "the mirror's hook did not report ORG001"
hook_bin=$(find "$work/pre-commit-home" -path '*/bin/credlint' | head -n 1)
[ -n "$hook_bin" ] || fail "pre-commit's environment has no credlint"
cmp -s "$hook_bin" "$bin" || fail "the hook's credlint is not the wheel's binary"

step "the GitHub Action's install step (install: pypi) installs the wheel"
"$py" - "$here/action.yml" > "$work/install.sh" <<'PY'
import sys, yaml
steps = yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]
print(next(s for s in steps if s.get("id") == "install")["run"])
PY
runner=$work/runner
mkdir -p "$runner"
: > "$runner/path"
(
    export GITHUB_ACTION_PATH=$here RUNNER_TEMP=$runner GITHUB_PATH=$runner/path
    export CREDLINT_INSTALL=pypi PIP_FIND_LINKS=$dist PIP_NO_INDEX=1
    # as GitHub runs `shell: bash`
    bash --noprofile --norc -eo pipefail "$work/install.sh"
)
action_dir=$(head -n 1 "$runner/path")
[ -n "$action_dir" ] || fail "the install step added nothing to GITHUB_PATH"
got=$("$action_dir/credlint" --version)
[ "$got" = "credlint $version" ] || fail "the action's credlint --version said '$got'"
echo "$got from $action_dir"

step "wheel: all checks passed"
