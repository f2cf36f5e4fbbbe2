#!/usr/bin/env bash
# Rebuild the real-world regression corpora from fetched git snapshots.
#
#   bench/real/build.sh [apps|llm|all]        (default: all)
#
#   MIRROR=/work/.mirror        folder holding the snapshots, one bare git dir
#                               per repository at $MIRROR/owner+name/repo
#   APPS_ROOT=~/.cache/credlint-apps     where the application trees go
#                                        (one folder per repository: owner+name/)
#   LLM_ROOT=~/.cache/credlint-corpus    where the LLM-library trees go
#                                        (one folder per repository: name/)
#
# The repositories and their commits are listed in apps.tsv and llm.tsv beside
# this script. Each tree is the recorded commit exported as plain files, then
# made a git repository with every file tracked (`git add -A -f`), as in the
# real repositories (credlint's "committed" rules depend on it). Blobs absent
# from a snapshot (>= 4 MiB, LFS), symlinks and submodules are skipped and
# counted. No network: a repository whose snapshot (or recorded commit) is not
# in MIRROR is listed as missing, and the script exits 1 after building the
# others. Fetch it first (the search tool's `fetch github:owner/name`).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
MIRROR=${MIRROR:-/work/.mirror}
APPS_ROOT=${APPS_ROOT:-$HOME/.cache/credlint-apps}
LLM_ROOT=${LLM_ROOT:-$HOME/.cache/credlint-corpus}
WHICH=${1:-all}
case $WHICH in apps|llm|all) ;; *) echo "usage: $0 [apps|llm|all]" >&2; exit 2 ;; esac

export_tree() { # git_dir commit dest -> prints "files bytes missing links"
  python3 - "$1" "$2" "$3" <<'PY'
import os, subprocess, sys
gd, commit, dest = sys.argv[1], sys.argv[2], sys.argv[3]
ls = subprocess.run(["git", f"--git-dir={gd}", "ls-tree", "-r", "-z", commit],
                    check=True, capture_output=True).stdout.split(b"\0")
entries, links = [], 0
for e in ls:
    if not e:
        continue
    meta, path = e.split(b"\t", 1)
    mode, typ, sha = meta.split()
    if typ != b"blob" or mode == b"120000":
        links += 1
        continue
    entries.append((mode, sha.decode(), path))
p = subprocess.Popen(["git", f"--git-dir={gd}", "cat-file", "--batch"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
files = nbytes = missing = 0
for mode, sha, path in entries:
    p.stdin.write(sha.encode() + b"\n"); p.stdin.flush()
    hdr = p.stdout.readline().split()
    if len(hdr) < 3 or hdr[1] == b"missing":
        missing += 1
        continue
    size = int(hdr[2]); data = p.stdout.read(size); p.stdout.read(1)
    out = os.path.join(dest.encode(), path)
    # a path component named .git would turn the tree into something else
    if b".git" in path.split(b"/"):
        missing += 1
        continue
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(data)
    if mode == b"100755":
        os.chmod(out, 0o755)
    files += 1; nbytes += size
p.stdin.close(); p.wait()
print(f"{files}\t{nbytes}\t{missing}\t{links}")
PY
}

missing=()
build_list() { # tsv root naming(full|name)
  local tsv=$1 root=$2 naming=$3
  mkdir -p "$root"
  local repo commit _rest dir gd stats
  while IFS=$'\t' read -r repo commit _rest; do
    case $repo in ''|'#'*|repo) continue ;; esac
    if [ "$naming" = full ]; then dir=${repo/\//+}; else dir=${repo#*/}; fi
    gd="$MIRROR/${repo/\//+}/repo"
    [ -d "$gd/.git" ] && gd="$gd/.git"
    if [ ! -d "$gd" ] || ! git --git-dir="$gd" cat-file -e "$commit^{commit}" 2>/dev/null; then
      missing+=("$repo@$commit")
      continue
    fi
    rm -rf "${root:?}/$dir"; mkdir -p "$root/$dir"
    stats=$(export_tree "$gd" "$commit" "$root/$dir")
    ( cd "$root/$dir" && git init -q && git -c core.safecrlf=false add -A -f &&
      git -c user.name=corpus -c user.email=corpus@localhost -c commit.gpgsign=false \
        commit -qm corpus --allow-empty )
    printf '%s\t%s\t%s\n' "$repo" "$commit" "$stats"
  done < "$tsv"
}

echo -e "repo\tcommit\tfiles\tbytes\tskipped_missing\tskipped_links"
if [ "$WHICH" != llm ]; then build_list "$HERE/apps.tsv" "$APPS_ROOT" full; fi
if [ "$WHICH" != apps ]; then build_list "$HERE/llm.tsv" "$LLM_ROOT" name; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing snapshots (fetch them, e.g. fetch github:owner/name, then run again):" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi
