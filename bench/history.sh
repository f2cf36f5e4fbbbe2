#!/usr/bin/env bash
# Time `credlint history` against the floor: `git log -p` piped to rg with
# the same key/org patterns (one regex pass over every added and removed
# line git prints), and gitleaks' git mode when it is installed.
#
#   bench/history.sh [REPO]   default REPO: a seeded synthetic repository of
#                             COMMITS commits generated with git fast-import
#                             into target/bench/history-repo
#   COMMITS=10000             commits of the synthetic repository
#   RANGE=100                 also time the last RANGE commits (a pull request)
#   RUNS=5                    runs per command (hyperfine when installed,
#                             else the median of RUNS timed runs)
#   THREADS=$(nproc)
#
# A real repository works too: clone it (with a work tree) and pass its
# path; blobs missing from a partial or damaged clone are counted, and
# `git log -p` is given `':(exclude)*.mp4'` etc. via EXCLUDE if they make it
# fail.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
COMMITS=${COMMITS:-10000}
RANGE=${RANGE:-100}
RUNS=${RUNS:-5}
THREADS=${THREADS:-$(nproc)}
EXCLUDE=${EXCLUDE:-}
REPO=${1:-$ROOT/target/bench/history-repo}
CREDLINT="$ROOT/target/release/credlint"

# Patterns of bench/run.sh (OpenAI keys, org IDs) plus the other prefixed
# keys credlint knows best; ASCII word boundaries keep rg on its fast path.
RG_KEY='(?-u:\b)sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48})'
RG_ANT='(?-u:\b)sk-ant-api03-[A-Za-z0-9_-]{90,}'
RG_GSK='(?-u:\b)gsk_[A-Za-z0-9]{52}'
RG_ORG='(?-u:\b)org-[A-Za-z0-9]{24}(?-u:\b)'

generate() { # DIR COMMITS
  local dir=$1 n=$2
  rm -rf "$dir"
  mkdir -p "$dir"
  git -C "$dir" init -q -b main
  python3 - "$n" <<'PY' | git -C "$dir" fast-import --quiet
# A seeded history: ~400 files (Python, YAML, Markdown, JSON, env templates,
# a few binaries and an LFS pointer), then commits that each change one to
# three files; about one commit in 300 adds a fake key or org ID (real
# shape, random body), and half of those are removed again a few commits
# later. Counts of what was planted go to stderr.
import random, string, sys
n = int(sys.argv[1])
r = random.Random(11)
AL = string.ascii_letters + string.digits
out = sys.stdout.buffer
def rnd(k, al=AL): return "".join(r.choice(al) for _ in range(k))
def key():
    x = r.random()
    if x < 0.5: return "sk-" + "proj-" + rnd(58, AL + "_-") + "T3Blbk" + "FJ" + rnd(58, AL + "_-")
    if x < 0.8: return "sk-" + "ant-api03-" + rnd(93, AL + "_-") + "AA"
    return "gs" + "k_" + rnd(52)
WORDS = ("request response client session token model prompt message stream retry cache "
         "config user account billing invoice payment order item queue worker handler router "
         "service store index search vector embed chunk document score rank filter batch").split()
def words(k): return " ".join(r.choice(WORDS) for _ in range(k))
def py_line():
    x = r.random()
    if x < 0.03: return 'client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])'
    if x < 0.06: return 'model = os.getenv("OPENAI_MODEL", "gpt-4o")'
    if x < 0.2: return "# " + words(8)
    return "%s_%d = %s(%r)" % (r.choice(WORDS), r.randint(0, 999), r.choice(WORDS), words(4))
def yaml_line(): return "%s_%d: %s" % (r.choice(WORDS), r.randint(0, 999), words(3))
def md_line(): return words(12)
def json_line(): return '  "%s_%d": "%s",' % (r.choice(WORDS), r.randint(0, 999), words(3))
KINDS = [("py", py_line, 0.5), ("yaml", yaml_line, 0.2), ("md", md_line, 0.2), ("json", json_line, 0.1)]
files = {}
def new_path():
    ext, gen, _ = r.choices(KINDS, weights=[k[2] for k in KINDS])[0]
    d = r.choice(["app", "app/api", "services/billing", "services/search", "docs", "config", "lib/core"])
    return "%s/%s_%d.%s" % (d, r.choice(WORDS), r.randint(0, 99999), ext), gen
gens = {}
for _ in range(400):
    p, g = new_path()
    files[p] = [g() for _ in range(r.randint(20, 150))]
    gens[p] = g
files[".env.example"] = ["OPENAI_API_KEY=", "OPENAI_ORG_ID=", "LOG_LEVEL=info"]
gens[".env.example"] = lambda: "FLAG_%d=%d" % (r.randint(0, 99), r.randint(0, 9))
binaries = {"assets/logo_%d.png" % i: bytes(r.getrandbits(8) for _ in range(3000)) for i in range(5)}
lfs = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + rnd(64, "0123456789abcdef").encode() + b"\nsize 123456\n"
mark = [0]
def blob(data):
    mark[0] += 1
    out.write(b"blob\nmark :%d\ndata %d\n" % (mark[0], len(data)))
    out.write(data)
    out.write(b"\n")
    return mark[0]
def text(p): return ("\n".join(files[p]) + "\n").encode()
planted = {"keys": 0, "orgs": 0, "removed": 0}
pending = []  # (commit index, path, line) to remove later
t0 = 1700000000
for i in range(n):
    changes = []
    if i == 0:
        for p in files: changes.append(("M", p, blob(text(p))))
        for p, b in binaries.items(): changes.append(("M", p, blob(b)))
        changes.append(("M", "data/model.bin", blob(lfs)))
    else:
        touched = set()
        for _ in range(r.randint(1, 3)):
            p = r.choice(list(files))
            lines = files[p]
            x = r.random()
            if x < 0.5 and lines: lines[r.randrange(len(lines))] = gens[p]()
            elif x < 0.8: lines.insert(r.randint(0, len(lines)), gens[p]())
            elif lines: del lines[r.randrange(len(lines))]
            touched.add(p)
        if r.random() < 1 / 300:
            p = r.choice([q for q in files if q.endswith((".py", ".yaml"))])
            if r.random() < 0.6:
                line = ('API_KEY = "%s"' if p.endswith(".py") else "api_key: %s") % key()
                planted["keys"] += 1
            else:
                line = ('ORG = "org-%s"' if p.endswith(".py") else "organization: org-%s") % rnd(24)
                planted["orgs"] += 1
            files[p].insert(r.randint(0, len(files[p])), line)
            touched.add(p)
            if r.random() < 0.5: pending.append((i + r.randint(1, 50), p, line))
        for due, p, line in list(pending):
            if due <= i and p in files and line in files[p]:
                files[p].remove(line)
                touched.add(p)
                pending.remove((due, p, line))
                planted["removed"] += 1
        if r.random() < 0.01:
            p, g = new_path()
            files[p] = [g() for _ in range(r.randint(20, 100))]
            gens[p] = g
            touched.add(p)
        if r.random() < 0.003:
            p = "assets/shot_%d.png" % i
            changes.append(("M", p, blob(bytes(r.getrandbits(8) for _ in range(2000)))))
        for p in sorted(touched): changes.append(("M", p, blob(text(p))))
    msg = b"change %d\n" % i
    # Commits chain through the branch: fast-import gives each the
    # branch's tip as its parent.
    out.write(b"commit refs/heads/main\n")
    out.write(b"author Dev <dev@example.com> %d +0000\n" % (t0 + 600 * i))
    out.write(b"committer Dev <dev@example.com> %d +0000\n" % (t0 + 600 * i))
    out.write(b"data %d\n%s" % (len(msg), msg))
    for op, p, m in changes: out.write(b"M 100644 :%d %s\n" % (m, p.encode()))
    out.write(b"\n")
out.write(b"done\n")
sys.stderr.write("planted: %(keys)d keys, %(orgs)d org IDs; %(removed)d removed again\n" % planted)
PY
  git -C "$dir" checkout -q -f main
}

if [ ! -d "$REPO/.git" ]; then
  echo "generating $COMMITS commits in $REPO (seeded)" >&2
  generate "$REPO" "$COMMITS"
fi
(cd "$ROOT" && cargo build --release -q)
command -v rg >/dev/null || { echo "rg is not installed (apt-get install ripgrep): the floor needs it" >&2; exit 2; }

cd "$REPO"
commits=$(git rev-list --count HEAD)
echo "repository: $REPO — $commits commits; $THREADS threads"
echo "credlint: $("$CREDLINT" history -j "$THREADS" --format concise 2>/dev/null | tail -1)"
echo

floor="git log -p --root --no-color HEAD -- . $EXCLUDE | rg -c -e '$RG_KEY' -e '$RG_ANT' -e '$RG_GSK' -e '$RG_ORG'"
floor_range="git log -p --no-color HEAD~$RANGE..HEAD -- . $EXCLUDE | rg -c -e '$RG_KEY' -e '$RG_ANT' -e '$RG_GSK' -e '$RG_ORG'"
full="$CREDLINT history -q -j $THREADS --format json"
part="$CREDLINT history -q -j $THREADS --format json HEAD~$RANGE..HEAD"
peers=()
if command -v gitleaks >/dev/null; then
  peers+=("gitleaks git --no-banner --log-level error --exit-code 0 -f json -r /dev/null .")
fi

if command -v hyperfine >/dev/null; then
  hyperfine -N -w 1 -r "$RUNS" -i -n "credlint history (all $commits commits)" "$full" "${peers[@]}" 2>/dev/null | grep -v '^ *$' || true
  hyperfine -w 1 -r "$RUNS" -i -n "floor: git log -p | rg (all)" "$floor" 2>/dev/null | grep -v '^ *$' || true
  hyperfine -N -w 1 -r "$RUNS" -i -n "credlint history (last $RANGE commits)" "$part" 2>/dev/null | grep -v '^ *$' || true
  hyperfine -w 1 -r "$RUNS" -i -n "floor: git log -p | rg (last $RANGE)" "$floor_range" 2>/dev/null | grep -v '^ *$' || true
else
  median() { # CMD -> median wall seconds of RUNS runs
    local t=()
    for _ in $(seq "$RUNS"); do
      local s e
      s=$(date +%s.%N); bash -c "$1" >/dev/null 2>&1 || true; e=$(date +%s.%N)
      t+=("$(echo "$e - $s" | bc)")
    done
    printf '%s\n' "${t[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
  }
  echo "credlint history (all):  $(median "$full") s"
  echo "floor git log -p | rg:   $(median "$floor") s"
  echo "credlint history (last $RANGE): $(median "$part") s"
  echo "floor (last $RANGE):           $(median "$floor_range") s"
  for p in "${peers[@]}"; do echo "$p: $(median "$p") s"; done
fi
