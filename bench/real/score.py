#!/usr/bin/env python3
"""Re-score a credlint binary against the audited real-world corpora.

    CREDLINT=path/to/credlint bench/real/score.py [--corpus apps|llm|all] [--check]

Runs `credlint check --format json .` inside every tree of the chosen corpus
(trees built by build.sh: APPS_ROOT/owner+name/, LLM_ROOT/name/), matches each
finding to the audited verdict rows by (repo, rule, path, line) -- the trees
are fixed commits, so lines do not move -- and prints, per rule:

  findings   what the binary reports now
  TRUE       findings matched to a TRUE row (or to a MISSED row: now caught)
  FALSE      findings matched to a FALSE row
  DEB        findings matched to a DEBATABLE row (left out of precision)
  UNAUD      findings with no verdict row: audit them (README.md)
  prec       TRUE / (TRUE + FALSE)
  lost       TRUE rows the binary no longer reports (regressions)
  fixed      FALSE rows the binary no longer reports
  miss       MISSED rows still not reported
  recall     reported / (TRUE rows + MISSED rows)

With --check the exit status is 1 when a TRUE row is lost, a finding is
unaudited (unless --allow-unaudited), a tree is missing or fails to scan, or
precision is under --min-precision overall or --min-rule-precision for any
rule that has TRUE or FALSE findings. Output is deterministic. Only rule
codes, paths and lines are printed, never a finding's message (which shows
key prefixes).
"""
import argparse
import collections
import concurrent.futures
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VERDICTS = ("TRUE", "FALSE", "DEBATABLE", "MISSED")


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = None
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                continue
            rows.append((n, cols))
    return rows


def load_corpus(kind, apps_root, llm_root):
    """Return ({repo: tree}, [verdict rows]) for one corpus."""
    if kind == "apps":
        trees = {cols[0]: os.path.join(apps_root, cols[0].replace("/", "+", 1))
                 for _, cols in read_tsv(os.path.join(HERE, "apps.tsv"))}
        vfile = "apps-verdicts.tsv"
    else:
        # the LLM verdicts name repositories by their short name
        trees = {cols[0].split("/", 1)[1]: os.path.join(llm_root, cols[0].split("/", 1)[1])
                 for _, cols in read_tsv(os.path.join(HERE, "llm.tsv"))}
        vfile = "llm-verdicts.tsv"
    rows = []
    for n, cols in read_tsv(os.path.join(HERE, vfile)):
        if len(cols) < 6:
            sys.exit(f"{vfile}:{n}: expected 6 tab-separated columns, got {len(cols)}")
        repo, rule, loc, verdict, klass, reason = cols[:6]
        path, sep, line = loc.rpartition(":")
        if not sep or not line.isdigit():
            sys.exit(f"{vfile}:{n}: location {loc!r} is not path:line")
        if verdict not in VERDICTS:
            sys.exit(f"{vfile}:{n}: verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
        if repo not in trees:
            sys.exit(f"{vfile}:{n}: repository {repo!r} is not listed in the corpus")
        rows.append({"corpus": kind, "repo": repo, "rule": rule, "path": path,
                     "line": int(line), "verdict": verdict, "class": klass,
                     "src": f"{vfile}:{n}"})
    return trees, rows


def scan(credlint, tree):
    """Run credlint in a tree; return (findings, error)."""
    if not os.path.isdir(tree):
        return None, "tree missing (run build.sh)"
    try:
        p = subprocess.run([credlint, "check", "--format", "json", "."], cwd=tree,
                           capture_output=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"could not run: {e.__class__.__name__}"
    if p.returncode not in (0, 1):
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, f"exit {p.returncode}: {err[-1] if err else ''}"
    try:
        doc = json.loads(p.stdout)
    except json.JSONDecodeError:
        return None, "output is not JSON"
    return [(f["rule"], f["path"], int(f["line"])) for f in doc.get("findings", [])], None


def pct(num, den):
    return f"{100 * num / den:5.1f}%" if den else "    -"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=("apps", "llm", "all"), default="all")
    ap.add_argument("--credlint", default=os.environ.get("CREDLINT"),
                    help="binary to score (default: $CREDLINT)")
    ap.add_argument("--apps-root", default=os.environ.get(
        "APPS_ROOT", os.path.expanduser("~/.cache/credlint-apps")))
    ap.add_argument("--llm-root", default=os.environ.get(
        "LLM_ROOT", os.path.expanduser("~/.cache/credlint-corpus")))
    ap.add_argument("--jobs", type=int, default=1, help="trees scanned at once")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--min-precision", type=float, default=90.0,
                    help="overall precision target in percent (default 90)")
    ap.add_argument("--min-rule-precision", type=float, default=80.0,
                    help="per-rule precision target in percent (default 80)")
    ap.add_argument("--allow-unaudited", action="store_true",
                    help="with --check, do not fail on findings without a verdict row")
    ap.add_argument("--list", action="store_true",
                    help="also list every matched finding with its verdict and class")
    args = ap.parse_args()
    if not args.credlint:
        ap.error("set CREDLINT=path/to/credlint or pass --credlint")
    credlint = os.path.abspath(args.credlint)

    kinds = ["apps", "llm"] if args.corpus == "all" else [args.corpus]
    jobs = []  # (corpus, repo, tree)
    rows = []
    for kind in kinds:
        trees, krows = load_corpus(kind, args.apps_root, args.llm_root)
        rows += krows
        jobs += [(kind, repo, trees[repo]) for repo in sorted(trees)]

    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(scan, credlint, tree): (kind, repo) for kind, repo, tree in jobs}
        for fut in concurrent.futures.as_completed(futs):
            results[futs[fut]] = fut.result()

    errors = sorted((k, r, e) for (k, r), (_, e) in results.items() if e)
    # multiset matching: several findings may share (rule, path, line) (two
    # variables on one line) and so may the rows that audit them
    by_key = collections.defaultdict(list)
    for row in rows:
        by_key[(row["corpus"], row["repo"], row["rule"], row["path"], row["line"])].append(row)
    for lst in by_key.values():
        # a finding is matched to an audited row before a MISSED one
        lst.sort(key=lambda r: (r["verdict"] == "MISSED", r["src"]))

    stats = collections.defaultdict(collections.Counter)
    unaudited, lost, fixed, caught, still_missed, matched = [], [], [], [], [], []
    used = set()
    for (kind, repo), (findings, err) in sorted(results.items()):
        if err:
            continue
        for rule, path, line in sorted(findings):
            key = (kind, repo, rule, path, line)
            cands = [r for r in by_key.get(key, []) if id(r) not in used]
            s = stats[rule]
            s["findings"] += 1
            if not cands:
                s["UNAUDITED"] += 1
                unaudited.append(key)
                continue
            row = cands[0]
            used.add(id(row))
            matched.append((key, row))
            if row["verdict"] == "MISSED":
                s["TRUE"] += 1
                caught.append(key)
            else:
                s[row["verdict"]] += 1
    scanned = {(k, r) for (k, r), (_, e) in results.items() if not e}
    for row in rows:
        if (row["corpus"], row["repo"]) not in scanned:
            continue
        key = (row["corpus"], row["repo"], row["rule"], row["path"], row["line"])
        s = stats[row["rule"]]
        if row["verdict"] in ("TRUE", "MISSED"):
            s["expected"] += 1
        if id(row) in used:
            if row["verdict"] in ("TRUE", "MISSED"):
                s["recalled"] += 1
            continue
        if row["verdict"] == "TRUE":
            s["lost"] += 1
            lost.append(key)
        elif row["verdict"] == "MISSED":
            s["miss"] += 1
            still_missed.append(key)
        elif row["verdict"] == "FALSE":
            s["fixed"] += 1
            fixed.append(key)

    out = []
    out.append(f"credlint: {credlint}")
    out.append(f"corpus: {args.corpus}; trees scanned: {len(scanned)} of {len(jobs)}")
    hdr = ("rule", "findings", "TRUE", "FALSE", "DEB", "UNAUD", "prec",
           "lost", "fixed", "miss", "recall")
    fmt = "{:<9}{:>9}{:>6}{:>6}{:>5}{:>6}{:>8}{:>6}{:>6}{:>5}{:>8}"
    out.append(fmt.format(*hdr))
    tot = collections.Counter()
    failing = []
    for rule in sorted(stats):
        s = stats[rule]
        tot.update(s)
        p_den = s["TRUE"] + s["FALSE"]
        out.append(fmt.format(rule, s["findings"], s["TRUE"], s["FALSE"], s["DEBATABLE"],
                              s["UNAUDITED"], pct(s["TRUE"], p_den), s["lost"], s["fixed"],
                              s["miss"], pct(s["recalled"], s["expected"])))
        if p_den and 100 * s["TRUE"] / p_den < args.min_rule_precision:
            failing.append(f"{rule} precision {100 * s['TRUE'] / p_den:.1f}% "
                           f"< {args.min_rule_precision:g}%")
    p_den = tot["TRUE"] + tot["FALSE"]
    out.append(fmt.format("all", tot["findings"], tot["TRUE"], tot["FALSE"], tot["DEBATABLE"],
                          tot["UNAUDITED"], pct(tot["TRUE"], p_den), tot["lost"], tot["fixed"],
                          tot["miss"], pct(tot["recalled"], tot["expected"])))
    if p_den and 100 * tot["TRUE"] / p_den < args.min_precision:
        failing.insert(0, f"overall precision {100 * tot['TRUE'] / p_den:.1f}% "
                          f"< {args.min_precision:g}%")

    def section(title, keys):
        if keys:
            out.append("")
            out.append(f"{title} ({len(keys)}):")
            out.extend(f"  [{k}] {r}  {rule}  {p}:{ln}" for k, r, rule, p, ln in sorted(keys))

    for kind, repo, err in errors:
        out.append(f"ERROR [{kind}] {repo}: {err}")
    section("TRUE findings no longer reported (regressions)", lost)
    section("findings without a verdict row (audit them)", unaudited)
    section("MISSED rows now reported", caught)
    section("FALSE rows no longer reported", fixed)
    section("MISSED rows still not reported", still_missed)
    if args.list:
        out.append("")
        out.append("matched findings:")
        for key, row in sorted(matched, key=lambda m: m[0]):
            k, r, rule, p, ln = key
            out.append(f"  [{k}] {r}  {rule}  {p}:{ln}  {row['verdict']}  {row['class']}")
    print("\n".join(out))

    if args.check:
        problems = list(failing)
        if lost:
            problems.append(f"{len(lost)} TRUE finding(s) lost")
        if unaudited and not args.allow_unaudited:
            problems.append(f"{len(unaudited)} unaudited finding(s)")
        if errors:
            problems.append(f"{len(errors)} tree(s) not scanned")
        if problems:
            print("\ncheck failed: " + "; ".join(problems))
            return 1
        print("\ncheck passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
