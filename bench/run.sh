#!/usr/bin/env bash
# Benchmark credlint against rg (the practical limit: one regex pass over
# every byte, same key/org patterns) and the peer tools that are installed.
#
#   bench/run.sh [TREE]        default TREE: a seeded 50,000-file / ~1 GB
#                              corpus generated into target/bench/corpus
#   bench/run.sh llm           the nine-repository LLM corpus of bench/real
#                              (LLM_ROOT, default ~/.cache/credlint-corpus;
#                              built by bench/real/build.sh llm if missing),
#                              with a single-thread row per repository and
#                              the pre-commit case in crewAI's work tree
#   RUNS=3                     runs per tool (median is reported)
#   PEERS="kingfisher ripsecrets dotenv-linter"   peers to run, if installed
#                              (install them with bench/install_peers.sh)
#
# Prints one table: wall time, MB/s, files/s, peak RSS, and wall time as a
# ratio to rg's, plus the pre-commit case (20 file arguments). credlint is
# timed twice: `credlint` without its fact cache (--no-cache: every file
# read and parsed), and `credlint-warm` with the cache filled by a run
# before (nothing changed since); the cache lives in target/bench/cache,
# never in the tree measured. The llm mode also compares the findings of
# the three runs (none, cold, warm): they must be identical.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RUNS=${RUNS:-3}
PEERS=${PEERS:-"kingfisher ripsecrets dotenv-linter semgrep gitleaks trufflehog3"}
PEER_ROOT=${PEER_ROOT:-$HOME/.cache/credlint-peers}
export PATH="$PEER_ROOT/bin:$PEER_ROOT/venv/bin:$PATH"
THREADS=${THREADS:-$(nproc)}
# A tool still running after TIMEOUT seconds is stopped and reported as
# slower than that (its later runs are skipped).
TIMEOUT=${TIMEOUT:-120}

if [ "${1:-}" = __run ]; then
  TREE=$3
  CREDLINT="$ROOT/target/release/credlint"
  RG_KEY='(?-u:\b)sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48})'
  RG_ORG='(?-u:\b)org-[A-Za-z0-9]{24}(?-u:\b)'
  RG_ORGARG='(?i-u)(?-u:\b)organi[sz]ation["'"'"']?\s*[=:]'
  RG_ENV='(?-u:\b)OPENAI_(?:API_KEY|ORG_ID|ORGANIZATION|ORGANIZATION_ID|PROJECT_ID|PROJECT|BASE_URL|API_BASE)(?-u:\b)'
  RUN_ONLY=$2
fi
LLM=
if [ "${1:-}" = llm ]; then
  LLM=1
  TREE=${LLM_ROOT:-$HOME/.cache/credlint-corpus}
  [ -d "$TREE/crewAI" ] || LLM_ROOT=$TREE "$HERE/real/build.sh" llm >&2
fi
TREE=${TREE:-${1:-$ROOT/target/bench/corpus}}
if [ -z "${RUN_ONLY:-}" ] && [ ! -d "$TREE" ]; then
  echo "generating the corpus in $TREE (seeded; about two minutes)" >&2
  python3 "$HERE/corpus.py" "$TREE" --files 50000 --size-mb 1000 --seed 7 >&2
fi
[ -n "${RUN_ONLY:-}" ] || (cd "$ROOT" && cargo build --release -q)
CREDLINT="$ROOT/target/release/credlint"
# The fact cache of the warm rows, outside the trees measured.
CACHE="$ROOT/target/bench/cache"
mkdir -p "$ROOT/target/bench"

[ -n "${RUN_ONLY:-}" ] || files=$(find "$TREE" -type f -not -path '*/.git/*' | wc -l)
[ -n "${RUN_ONLY:-}" ] || bytes=$(du -sb --exclude=.git "$TREE" | cut -f1)

# The patterns of the shared peer scripts: keys, org IDs, `organization=`,
# credential variable names; ASCII word boundaries keep rg on its fast path.
RG_KEY='(?-u:\b)sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48})'
RG_ORG='(?-u:\b)org-[A-Za-z0-9]{24}(?-u:\b)'
RG_ORGARG='(?i-u)(?-u:\b)organi[sz]ation["'"'"']?\s*[=:]'
RG_ENV='(?-u:\b)OPENAI_(?:API_KEY|ORG_ID|ORGANIZATION|ORGANIZATION_ID|PROJECT_ID|PROJECT|BASE_URL|API_BASE)(?-u:\b)'

run_tool() { # NAME: exec the tool (so that time(1) measures it alone)
  case $1 in
    credlint)   exec "$CREDLINT" check --isolated -q --format json -j "$THREADS" --no-cache "$TREE" ;;
    credlint-warm) exec "$CREDLINT" check --isolated -q --format json -j "$THREADS" --cache-dir "$CACHE" "$TREE" ;;
    rg)         exec rg -j "$THREADS" --no-require-git --hidden -c -e "$RG_KEY" -e "$RG_ORG" -e "$RG_ORGARG" -e "$RG_ENV" "$TREE" ;;
    rg-uu)      exec rg -uu -j "$THREADS" -c -e "$RG_KEY" -e "$RG_ORG" -e "$RG_ORGARG" -e "$RG_ENV" "$TREE" ;;
    kingfisher) exec kingfisher scan "$TREE" --no-validate --no-update-check --git-history none -j "$THREADS" -q -f jsonl ;;
    ripsecrets) exec ripsecrets "$TREE" ;;
    dotenv-linter) cd "$TREE" && exec dotenv-linter check -r --plain --skip-updates . ;;
    semgrep)    exec semgrep scan --config "$HERE/semgrep-openai.yml" --metrics=off --disable-version-check \
                  -j "$THREADS" --x-ignore-semgrepignore-files --quiet --json "$TREE" ;;
    gitleaks)   GOMAXPROCS=$THREADS exec gitleaks dir "$TREE" --no-banner --log-level error --exit-code 0 -f json -r /dev/null ;;
    trufflehog3) exec trufflehog3 --no-history -z -p "$THREADS" -f JSON "$TREE" ;;
  esac
}

if [ -n "${RUN_ONLY:-}" ]; then
  run_tool "$RUN_ONLY"
fi

have() {
  case $1 in
    credlint|credlint-warm|rg|rg-uu) return 0 ;;
    dotenv-linter) command -v dotenv-linter >/dev/null ;;
    *) command -v "$1" >/dev/null ;;
  esac
}

measure() { # NAME ARGS... -> "median_wall peak_kb"
  local name=$1 walls=() peaks=()
  for _ in $(seq "$RUNS"); do
    local out
    local tmp
    tmp=$(mktemp)
    local rc=0
    /usr/bin/time -f "%e %M" -o "$tmp" timeout "$TIMEOUT" "$0" __run "$name" "$TREE" >/dev/null 2>&1 || rc=$?
    out=$(tail -1 "$tmp")
    rm -f "$tmp"
    if [ "$rc" = 124 ]; then
      echo "timeout"
      return
    fi
    walls+=("${out% *}"); peaks+=("${out#* }")
  done
  local wall peak
  wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  peak=$(printf '%s\n' "${peaks[@]}" | sort -g | tail -1)
  echo "$wall $peak"
}

if [ -z "${LLM_ONLY:-}" ]; then
echo "tree: $TREE — $files files, $((bytes / 1000000)) MB; $THREADS threads; median of $RUNS runs"
echo
printf '| %-14s | %8s | %8s | %9s | %9s | %6s |\n' tool "wall s" "MB/s" "files/s" "peak MiB" "× rg"
printf '|%s|%s|%s|%s|%s|%s|\n' ---------------- ---------- ---------- ----------- ----------- --------
read -r rg_wall rg_peak < <(measure rg)
row() { # NAME WALL PEAK
  awk -v n="$1" -v w="$2" -v p="$3" -v b="$bytes" -v f="$files" -v r="$rg_wall" 'BEGIN {
    printf "| %-14s | %8.2f | %8.0f | %9.0f | %9.1f | %6.2f |\n", n, w, b / 1e6 / (w > 0 ? w : 0.001), f / (w > 0 ? w : 0.001), p / 1024, w / (r > 0 ? r : 0.001) }'
}
row rg "$rg_wall" "$rg_peak"
# Fill the cache for the warm row (and check that a cold run that fills it
# finds what a run without it finds).
rm -rf "$CACHE"
"$CREDLINT" check --isolated -q --format json -j "$THREADS" --no-cache "$TREE" >"$ROOT/target/bench/none.json" 2>/dev/null || true
"$CREDLINT" check --isolated -q --format json -j "$THREADS" --cache-dir "$CACHE" "$TREE" >"$ROOT/target/bench/cold.json" 2>/dev/null || true
cmp -s "$ROOT/target/bench/none.json" "$ROOT/target/bench/cold.json" || echo "WARNING: findings differ with a cold cache" >&2
cold_wall=
for t in credlint credlint-warm rg-uu $PEERS; do
  if have "$t"; then
    read -r w p < <(measure "$t")
    if [ "$w" = timeout ]; then
      printf '| %-14s | %8s | %8s | %9s | %9s | %6s |\n' "$t" "> $TIMEOUT" - - - -
    else
      row "$t" "$w" "$p"
      [ "$t" = credlint ] && cold_wall=$w
      [ "$t" = credlint-warm ] && warm_wall=$w
    fi
  fi
done
"$CREDLINT" check --isolated -q --format json -j "$THREADS" --cache-dir "$CACHE" "$TREE" >"$ROOT/target/bench/warm.json" 2>/dev/null || true
cmp -s "$ROOT/target/bench/none.json" "$ROOT/target/bench/warm.json" || echo "WARNING: findings differ with a warm cache" >&2
if [ -n "$cold_wall" ] && [ -n "${warm_wall:-}" ]; then
  awk -v w="$warm_wall" -v c="$cold_wall" -v r="$rg_wall" 'BEGIN {
    printf "\ncache: warm %.2f s = %.2f x cold (%.2f s), %.2f x rg; cache file %s\n", w, w / (c > 0 ? c : 0.001), c, w / (r > 0 ? r : 0.001), "'"$(du -sh "$CACHE" 2>/dev/null | cut -f1)"'" }'
fi

fi
spread() { # FILES... -> 20 evenly spaced
  local n=$# step
  step=$(( n / 20 > 0 ? n / 20 : 1 ))
  local all=("$@") i
  for ((i = 0; i < n && i / step < 20; i += step)); do echo "${all[$i]}"; done
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { # CMD... -> wall seconds (output and exit status ignored)
  local t
  t=$(mktemp)
  /usr/bin/time -f "%e" -o "$t" "$@" >/dev/null 2>&1 || true
  tail -1 "$t"
  rm -f "$t"
}

if [ -n "$LLM" ]; then
  # Per repository, one thread each: where the time goes, tool for tool.
  echo
  echo "per repository, one thread, median of $RUNS runs:"
  echo
  printf '| %-22s | %7s | %9s | %8s | %6s |\n' repository files "credlint s" "rg s" "× rg"
  printf '|%s|%s|%s|%s|%s|\n' ------------------------ --------- ----------- ---------- --------
  for repo in "$TREE"/*/; do
    repo=${repo%/}
    n=$(git -C "$repo" ls-files | wc -l)
    cw=() rw=()
    for _ in $(seq "$RUNS"); do
      cw+=("$(timed "$CREDLINT" check --isolated -q --format json -j 1 --no-cache "$repo")")
      rw+=("$(timed rg -j 1 --no-require-git --hidden -c -e "$RG_KEY" -e "$RG_ORG" -e "$RG_ORGARG" -e "$RG_ENV" "$repo")")
    done
    c=$(printf '%s\n' "${cw[@]}" | median) r=$(printf '%s\n' "${rw[@]}" | median)
    awk -v n="$(basename "$repo")" -v f="$n" -v c="$c" -v r="$r" 'BEGIN {
      printf "| %-22s | %7d | %9.2f | %8.2f | %6.1f |\n", n, f, c, r, c / (r > 0 ? r : 0.01) }'
  done
  # The pre-commit case in a large real work tree: 20 files of crewAI, a
  # .env file and a module that reads OPENAI_API_KEY among them.
  crew="$TREE/crewAI"
  mapfile -t crew_py < <(cd "$crew" && git ls-files '*.py' | sort)
  mapfile -t crew_files < <(
    echo .env.test
    echo scripts/age90_file_input_runner.py
    spread "${crew_py[@]}" | head -18
  )
  # Cold: no cache; warm: the cache of a full run of the work tree before.
  crew_cache="$ROOT/target/bench/cache-crewai"
  rm -rf "$crew_cache"
  (cd "$crew" && "$CREDLINT" check --isolated -q --format json --cache-dir "$crew_cache" . >/dev/null 2>&1 || true)
  # The three are run in turn, so that the machine's drift affects them
  # alike: the cold case is compared with the full scan it must not exceed.
  pc=() pw=() pf=()
  for _ in $(seq 5); do
    pc+=("$(cd "$crew" && timed "$CREDLINT" check --isolated -q --format json --no-cache "${crew_files[@]}")")
    pw+=("$(cd "$crew" && timed "$CREDLINT" check --isolated -q --format json --cache-dir "$crew_cache" "${crew_files[@]}")")
    pf+=("$(cd "$crew" && timed "$CREDLINT" check --isolated -q --format json --no-cache .)")
  done
  echo
  echo "pre-commit case, crewAI work tree (${#crew_files[@]} file arguments, .env.test and a module reading OPENAI_API_KEY among them), median of 5 runs: cold (--no-cache) $(printf '%s\n' "${pc[@]}" | median) s, warm cache $(printf '%s\n' "${pw[@]}" | median) s; full scan of the work tree (--no-cache) $(printf '%s\n' "${pf[@]}" | median) s"
  exit 0
fi

# The pre-commit case: 20 files named on the command line (what pre-commit
# passes). Named files that carry credential configuration (settings,
# definitions, env reads, clients) need the rest of the repository as
# context for the cross-file rules; others are checked alone. Two commits
# are timed: 20 files spread over the tree (a .env and a module reading
# OPENAI_API_KEY among them), and 20 source files with no credential
# configuration (the usual commit).
mapfile -t candidates < <(cd "$TREE" && find . -type f \( -name '*.py' -o -name '*.ts' -o -name '.env*' \) -not -path './node_modules/*' -not -path './build/*' | sort)
mapfile -t mixed < <(spread "${candidates[@]}")
mapfile -t plain < <(cd "$TREE" && printf '%s\n' "${candidates[@]}" | grep -v '/\.env' \
  | xargs grep -L -E 'OPENAI|ANTHROPIC|_API_KEY|org-|process\.env|getenv|environ|OpenAI|Anthropic' | sort)
mapfile -t plain < <(spread "${plain[@]}")
precommit() { # LABEL FILES...
  local label=$1 pc=() tmp
  shift
  tmp=$(mktemp)
  for _ in $(seq 5); do
    (cd "$TREE" && /usr/bin/time -f "%e" -o "$tmp" "$CREDLINT" check --isolated -q --format json --no-cache "$@" >/dev/null 2>&1 || true)
    pc+=("$(tail -1 "$tmp")")
  done
  rm -f "$tmp"
  echo "pre-commit case, $label ($# file arguments): median $(printf '%s\n' "${pc[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') s over 5 runs"
}
echo
precommit "files spread over the tree" "${mixed[@]}"
precommit "source files without credential configuration" "${plain[@]}"
