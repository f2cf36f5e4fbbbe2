#!/usr/bin/env python3
"""Generate a seeded, realistic repository for benchmarking credlint.

    bench/corpus.py OUT_DIR [--files 50000] [--size-mb 1000] [--seed 7]

The tree looks like a monorepo of LLM apps: Python, JS/TS, Go, Java, Ruby,
Rust sources (mostly ordinary code, a few client constructors, env reads and
literals), YAML/TOML/JSON configs (compose, Kubernetes, workflows, LiteLLM),
env files and templates, notebooks, Markdown docs, a vendored
`node_modules/` and a gitignored `build/` folder, binaries, and a few huge
files (minified JS, a log, a data dump). Fake keys have the real shape with
random bodies. The same seed gives the same bytes.
"""
import argparse
import json
import os
import random
import string

ALNUM = string.ascii_letters + string.digits


def rnd(r, n, alphabet=ALNUM):
    return "".join(r.choice(alphabet) for _ in range(n))


def fake_key(r):
    kind = r.random()
    if kind < 0.4:
        return "sk-proj-" + rnd(r, 58, ALNUM + "_-") + "T3Blbk" + "FJ" + rnd(r, 58, ALNUM + "_-")
    if kind < 0.6:
        return "sk-" + rnd(r, 20) + "T3Blbk" + "FJ" + rnd(r, 20)
    if kind < 0.8:
        return "sk-ant-api03-" + rnd(r, 93, ALNUM + "_-") + "AA"
    return "gsk_" + rnd(r, 52)


def org(r):
    return "org-" + rnd(r, 24)


WORDS = ("request response client session token model prompt message stream "
         "retry cache config user account billing invoice payment order item "
         "queue worker handler router service store index search vector embed "
         "chunk document score rank filter batch limit offset cursor page").split()


def ident(r):
    return "_".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))


def python_file(r, special):
    out = ["import os", "import json", "from typing import Any", ""]
    if special == "client":
        out += ["from openai import OpenAI", "",
                f'client = OpenAI(organization="{org(r)}")' if r.random() < 0.5 else "client = OpenAI()", ""]
    if special == "env":
        out += ['API_KEY = os.environ.get("OPENAI_API_KEY")', ""]
    for _ in range(r.randint(5, 40)):
        name = ident(r)
        out += [f"def {name}(value: Any, limit: int = {r.randint(1, 100)}) -> dict:",
                f'    """Return the {r.choice(WORDS)} for {r.choice(WORDS)}."""',
                f"    result = {{'{r.choice(WORDS)}': value, 'task-id': '{rnd(r, 12)}'}}",
                f"    for i in range(limit):",
                f"        result[str(i)] = json.dumps({{'{r.choice(WORDS)}': i * {r.randint(2, 9)}}})",
                "    return result", ""]
    if special == "leak":
        out.append(f'LEAKED = "{fake_key(r)}"')
    return "\n".join(out) + "\n"


def js_file(r, special):
    out = ["import fs from 'node:fs';", ""]
    if special == "client":
        out += ["import OpenAI from 'openai';",
                f"const client = new OpenAI({{ organization: '{org(r)}' }});" if r.random() < 0.5
                else "const client = new OpenAI();", ""]
    if special == "env":
        out.append("const key = process.env.OPENAI_API_KEY;")
    for _ in range(r.randint(5, 40)):
        name = ident(r).replace("_", "")
        out += [f"export function {name}(input, opts = {{ limit: {r.randint(1, 50)} }}) {{",
                f"  // {r.choice(WORDS)} {r.choice(WORDS)} https://example.com/{rnd(r, 8)}",
                f"  const out = {{ {r.choice(WORDS)}: input, desk: 'desk-{rnd(r, 10)}' }};",
                "  for (let i = 0; i < opts.limit; i++) { out[i] = JSON.stringify({ i }); }",
                "  return out;", "}", ""]
    return "\n".join(out) + "\n"


def go_file(r, special):
    out = ["package main", "", 'import (', '\t"fmt"', '\t"os"', ")", ""]
    if special == "env":
        out.append('var key = os.Getenv("OPENAI_API_KEY")')
    for _ in range(r.randint(5, 30)):
        out += [f"func {ident(r).title().replace('_', '')}(n int) string {{",
                f'\treturn fmt.Sprintf("%d-{rnd(r, 6)}", n*{r.randint(2, 9)})', "}", ""]
    return "\n".join(out) + "\n"


def generic_code(r, lang):
    body = [f"// {lang} {r.choice(WORDS)} {r.choice(WORDS)}"]
    for _ in range(r.randint(20, 200)):
        body.append(f"    {ident(r)} = compute({r.randint(0, 999)}, \"{rnd(r, 16)}\");")
    return "\n".join(body) + "\n"


def env_file(r, template):
    lines = ["# settings", "DEBUG=false", f"DATABASE_URL=postgres://app@db/{rnd(r, 6)}"]
    if template:
        lines += ["OPENAI_API_KEY=", "OPENAI_ORG_ID="]
    else:
        lines += [f"OPENAI_API_KEY={fake_key(r)}", f"OPENAI_ORG_ID={org(r)}" if r.random() < 0.5 else "OPENAI_ORG_ID="]
    return "\n".join(lines) + "\n"


def compose(r):
    return ("services:\n  app:\n    image: app:latest\n    environment:\n"
            "      - OPENAI_API_KEY=${OPENAI_API_KEY}\n"
            f"      - OPENAI_ORG_ID={org(r) if r.random() < 0.3 else '${OPENAI_ORG_ID}'}\n"
            "    env_file: .env\n")


def k8s(r):
    return ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: api\n          image: api:1\n          env:\n"
            "            - name: OPENAI_API_KEY\n              valueFrom:\n                secretKeyRef:\n"
            "                  name: openai\n                  key: api-key\n")


def workflow(r):
    return ("name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n"
            "      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n    steps:\n      - run: make test\n")


def notebook(r):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Analysis\n", f"Org {org(r)} notes\n"]},
             {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
              "source": ["from openai import OpenAI\n", f"client = OpenAI(organization=\"{org(r)}\")\n"]}]
    for _ in range(r.randint(2, 10)):
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                      "source": [f"{ident(r)} = {r.randint(0, 99)}\n"]})
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)


def docs(r):
    paras = []
    for _ in range(r.randint(3, 30)):
        paras.append(" ".join(r.choice(WORDS) for _ in range(r.randint(20, 80))))
    return "# " + ident(r) + "\n\n" + "\n\n".join(paras) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=50000)
    ap.add_argument("--size-mb", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    r = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    os.makedirs(os.path.join(a.out, ".git"), exist_ok=True)
    with open(os.path.join(a.out, ".gitignore"), "w") as f:
        f.write("build/\n.env\n*.log\n")
    written = 0
    budget = a.size_mb * 1024 * 1024
    huge = [("assets/vendor.min.js", 4_500_000), ("logs/app.log", 4_000_000), ("data/dump.json", 4_800_000),
            ("data/huge.csv", 12_000_000)]
    for path, size in huge:
        p = os.path.join(a.out, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            chunk = "".join(r.choice(ALNUM + "{}();,.= ") for _ in range(65536))
            n = 0
            while n < size:
                f.write(chunk)
                n += len(chunk)
            written += n
    n_files = a.files - len(huge)
    avg = max(1, (budget - written) // max(1, n_files))
    kinds = ["py"] * 22 + ["js"] * 12 + ["ts"] * 10 + ["go"] * 6 + ["java"] * 5 + ["rb"] * 3 + ["rs"] * 3 + \
            ["md"] * 8 + ["yaml"] * 5 + ["json"] * 6 + ["toml"] * 2 + ["env"] * 1 + ["ipynb"] * 1 + ["bin"] * 3 + \
            ["vendor"] * 10 + ["build"] * 3
    for i in range(n_files):
        kind = r.choice(kinds)
        app = f"apps/app{r.randint(0, 199):03d}"
        special = r.choices(["", "client", "env", "leak"], [0.95, 0.02, 0.025, 0.005])[0]
        if kind == "py":
            path, text = f"{app}/src/{ident(r)}_{i}.py", python_file(r, special)
        elif kind in ("js", "ts"):
            path, text = f"{app}/web/{ident(r)}_{i}.{kind}", js_file(r, special)
        elif kind == "go":
            path, text = f"{app}/cmd/{ident(r)}_{i}.go", go_file(r, special)
        elif kind in ("java", "rb", "rs"):
            path, text = f"{app}/lib/{ident(r)}_{i}.{kind}", generic_code(r, kind)
        elif kind == "md":
            path, text = f"{app}/docs/{ident(r)}_{i}.md", docs(r)
        elif kind == "yaml":
            gen = r.choice([compose, k8s, workflow])
            name = {compose: "docker-compose.yml", k8s: f"k8s/deploy-{i}.yaml", workflow: f".github/workflows/ci-{i}.yml"}[gen]
            path, text = f"{app}/{name}", gen(r)
        elif kind == "json":
            path, text = f"{app}/config/{ident(r)}_{i}.json", json.dumps({ident(r): rnd(r, 40) for _ in range(r.randint(5, 60))}, indent=2)
        elif kind == "toml":
            path, text = f"{app}/{ident(r)}_{i}.toml", "\n".join(f'{ident(r)} = "{rnd(r, 20)}"' for _ in range(30)) + "\n"
        elif kind == "env":
            template = r.random() < 0.6
            path, text = f"{app}/.env.example" if template else f"{app}/.env", env_file(r, template)
        elif kind == "ipynb":
            path, text = f"{app}/notebooks/{ident(r)}_{i}.ipynb", notebook(r)
        elif kind == "bin":
            path = f"{app}/assets/{ident(r)}_{i}.png"
            data = b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(r.getrandbits(8) for _ in range(r.randint(1000, 2 * avg)))
            p = os.path.join(a.out, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
            written += len(data)
            continue
        elif kind == "vendor":
            path, text = f"node_modules/pkg{r.randint(0, 999)}/lib/{ident(r)}_{i}.js", js_file(r, "")
        else:
            path, text = f"build/out{r.randint(0, 99)}/{ident(r)}_{i}.js", js_file(r, "")
        # Pad ordinary files toward the average size by repeating their body
        # (cheap, and keeps the content realistic for a scanner).
        target = int(avg * r.uniform(0.3, 1.7))
        if kind in ("py", "js", "ts", "go", "md", "vendor", "build", "java", "rb", "rs") and len(text) < target:
            text = (text * (target // max(1, len(text)) + 1))[:target]
            text = text[: text.rfind("\n") + 1] or text
        p = os.path.join(a.out, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        written += len(text)
    print(f"{a.files} files, {written / 1e6:.0f} MB in {a.out}")


if __name__ == "__main__":
    main()
