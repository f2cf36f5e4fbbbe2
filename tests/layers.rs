//! The layers of `src/` import one way only: a module may use modules of
//! its own layer and of the layers below it, never one above. Drawn from
//! the code's own `use crate::…` / `use super::…` lines and inline
//! `crate::…` paths (comments and `#[cfg(test)] mod tests` blocks left
//! out), so the check needs nothing but the source text.
//!
//! `cargo test --test layers -- --nocapture import_graph_report` prints the
//! measures: the largest import loop (strongly connected component, in
//! files) and every import that runs up a layer.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module belongs to the layer of the longest
/// prefix of its path listed here. See `docs/architecture.md`.
const LAYERS: &[(&str, &[&str])] = &[
    // Text, file classification, embedded data, terminal plumbing.
    (
        "base",
        &[
            "source",
            "walk",
            "language",
            "index",
            "embedded",
            "atomic_write",
            "progress",
        ],
    ),
    // What credlint knows about providers, and masking with that knowledge.
    ("providers", &["provider", "redact"]),
    // Facts about one file and the extractors that produce them; the plain
    // data a finding carries.
    (
        "facts",
        &["fact", "file_ref", "extract", "finding", "edit", "cache"],
    ),
    // Views across files: the configuration graph, consumers, verification.
    ("analysis", &["graph", "consumers", "verify"]),
    // Rules, suppression, fixes built from findings.
    ("rules", &["rule", "suppress", "fix", "baseline"]),
    // Renderers of findings.
    ("report", &["report"]),
    // The pipeline: configuration, check, history, staged files, applying fixes.
    (
        "pipeline",
        &["config", "check", "history", "staged", "fix::apply"],
    ),
    // The command line.
    ("app", &["cli", "main", "lib"]),
];

/// Imports allowed to run up a layer, each with its reason.
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

/// At most this many files may import each other in one loop.
const MAX_LOOP: usize = 2;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `src/rule.rs` (or `src/rule/mod.rs`) → `rule`, `src/fix/build.rs` →
/// `fix::build`.
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts.join("::")
}

fn is_test_file(module: &str) -> bool {
    let last = module.rsplit("::").next().unwrap_or(module);
    last == "tests" || last.ends_with("_tests") || last == "testutil" || last == "test_fixtures"
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The source without comments, string contents and test modules.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            // Skip a plain string literal (raw strings hold no `crate::`
            // that matters here often enough to parse them apart).
            out.push('"');
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            out.push('"');
            i += 1;
        } else if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            // A one-character literal such as '"'.
            out.push_str("' '");
            i += 3;
        } else if b[i] == b'\'' && b.get(i + 1) == Some(&b'\\') {
            out.push_str("' '");
            i += 2;
            while i < b.len() && b[i] != b'\'' {
                i += 1;
            }
            i += 1;
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    // Drop `#[cfg(test)] mod … { … }` blocks (they sit at the end by habit;
    // cut from the attribute to the end of the file).
    let mut cut = out.len();
    let mut search = 0;
    while let Some(at) = out[search..].find("#[cfg(test)]") {
        let at = search + at;
        let rest = out[at + "#[cfg(test)]".len()..].trim_start();
        if rest.starts_with("mod ") || rest.starts_with("pub(crate) mod ") {
            cut = at;
            break;
        }
        search = at + 1;
    }
    out.truncate(cut);
    out
}

/// Expand a `use` tree (`a::{b, c::{d, e}}`) into full paths.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.to_string()];
    };
    let prefix = tree[..open].trim_end_matches("::").trim();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .flat_map(expand)
        .map(|p| {
            if p == "self" {
                prefix.to_string()
            } else {
                format!("{prefix}::{p}")
            }
        })
        .collect()
}

/// Every path the module names: `use` trees and inline `crate::` paths,
/// made absolute (without the `crate::`).
fn paths_of(module: &str, code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    // `use` statements.
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before_ok = at == 0 || {
            let c = rest.as_bytes()[at - 1];
            !(c.is_ascii_alphanumeric() || c == b'_')
        };
        let after = &rest[at + 4..];
        let end = after.find(';').unwrap_or(after.len());
        if before_ok {
            let tree: String = after[..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if tree.starts_with("crate::")
                || tree.starts_with("super::")
                || tree.starts_with("self::")
            {
                paths.extend(expand(&tree).into_iter().map(|p| unalias(&p).0));
            }
        }
        rest = &after[end.min(after.len())..];
    }
    // Inline paths.
    for root in ["crate::", "super::"] {
        let mut rest = code;
        while let Some(at) = rest.find(root) {
            let before_ok = at == 0 || {
                let c = rest.as_bytes()[at - 1];
                !(c.is_ascii_alphanumeric() || c == b'_' || c == b':' || c == b'{' || c == b'$')
            };
            let after = &rest[at..];
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(after.len());
            // `use super::{…}` and `use crate::{…}` are read above.
            if before_ok && len > root.len() {
                paths.push(after[..len].trim_end_matches(':').to_string());
            }
            rest = &after[len.max(1)..];
        }
    }
    // Children named by a relative path (`key005::Key005`, `pub use
    // build::rename`): a parent using its child's items.
    let children: Vec<&str> = code
        .split(';')
        .filter_map(|stmt| {
            let stmt = stmt.trim();
            let stmt = stmt.rsplit(['}', ']']).next().unwrap_or(stmt).trim();
            let name = stmt
                .strip_prefix("pub mod ")
                .or_else(|| stmt.strip_prefix("pub(crate) mod "))
                .or_else(|| stmt.strip_prefix("mod "))?;
            Some(name.trim())
        })
        .collect();
    for child in children {
        let needle = format!("{child}::");
        let used = code.match_indices(&needle).any(|(at, _)| {
            at == 0 || {
                let c = code.as_bytes()[at - 1];
                !(c.is_ascii_alphanumeric() || c == b'_' || c == b':')
            }
        });
        if used {
            paths.push(format!("self::{child}"));
        }
    }
    paths
        .into_iter()
        .filter_map(|p| absolute(module, &p))
        .collect()
}

/// `a::b as c` → (`a::b`, `c`); `a::b` → (`a::b`, `b`).
fn unalias(path: &str) -> (String, String) {
    match path.split_once(" as ") {
        Some((p, name)) => (p.trim().to_string(), name.trim().to_string()),
        None => {
            let name = path.rsplit("::").next().unwrap_or(path);
            (path.trim().to_string(), name.trim().to_string())
        }
    }
}

/// The names a module brings in with `use` (re-exported or not, as a
/// child may name its parent's imports with `super::`): name → the
/// absolute path of the item. A path through such an alias depends on the
/// item's own module, not on the module that merely names it.
fn reexports(module: &str, code: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for stmt in code.split(';') {
        // The `use` keyword at a word start (after a `}` or `]` of an
        // earlier item, or a `pub`/`pub(crate)`).
        let Some(at) = stmt.match_indices("use ").map(|(i, _)| i).find(|&i| {
            i == 0 || {
                let c = stmt.as_bytes()[i - 1];
                c.is_ascii_whitespace() || c == b'}' || c == b']' || c == b')'
            }
        }) else {
            continue;
        };
        let tree = &stmt[at + 4..];
        let tree: String = tree.split_whitespace().collect::<Vec<_>>().join(" ");
        for item in expand(&tree) {
            let (path, name) = unalias(&item);
            if name == "*" || name == "self" {
                continue;
            }
            let rel = if path.starts_with("crate::")
                || path.starts_with("super::")
                || path.starts_with("self::")
            {
                path
            } else {
                format!("self::{path}")
            };
            if let Some(abs) = absolute(module, &rel) {
                out.insert(name, abs);
            }
        }
    }
    out
}

fn absolute(module: &str, path: &str) -> Option<String> {
    let mut base: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
    let mut segs = path.split("::").peekable();
    match segs.peek().copied() {
        Some("crate") => {
            segs.next();
            base.clear();
        }
        Some("super") => {
            while segs.peek() == Some(&"super") {
                segs.next();
                base.pop();
            }
        }
        Some("self") => {
            segs.next();
        }
        _ => return None,
    }
    let mut out: Vec<&str> = base;
    out.extend(segs);
    Some(out.join("::"))
}

struct Graph {
    modules: BTreeSet<String>,
    /// importer → imported module → the path as written (first seen).
    edges: BTreeMap<String, BTreeMap<String, String>>,
}

fn graph() -> Graph {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let sources: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).expect("under src");
            let text = fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (module_of(rel), text)
        })
        .filter(|(m, _)| !is_test_file(m))
        .collect();
    let modules: BTreeSet<String> = sources.iter().map(|(m, _)| m.clone()).collect();
    let codes: Vec<(String, String)> = sources
        .iter()
        .map(|(m, t)| (m.clone(), code_of(t)))
        .collect();
    let aliases: BTreeMap<String, BTreeMap<String, String>> = codes
        .iter()
        .map(|(m, c)| (m.clone(), reexports(m, c)))
        .collect();
    // The module a path lands in, through re-exports.
    let resolve = |path: &str| -> Option<String> {
        let mut path = path.to_string();
        for _ in 0..8 {
            let segs: Vec<&str> = path.split("::").collect();
            let n = (1..=segs.len())
                .rev()
                .find(|&n| modules.contains(&segs[..n].join("::")))?;
            let module = segs[..n].join("::");
            let via = segs
                .get(n)
                .and_then(|name| aliases.get(&module).and_then(|a| a.get(*name)));
            match via {
                Some(origin) if *origin != path => {
                    let rest = segs[n + 1..].join("::");
                    path = if rest.is_empty() {
                        origin.clone()
                    } else {
                        format!("{origin}::{rest}")
                    };
                }
                _ => return Some(module),
            }
        }
        None
    };
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (module, code) in &codes {
        for path in paths_of(module, code) {
            let Some(target) = resolve(&path) else {
                continue;
            };
            if &target == module {
                continue;
            }
            edges
                .entry(module.clone())
                .or_default()
                .entry(target)
                .or_insert(path);
        }
    }
    Graph { modules, edges }
}

fn layer_of(module: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, (_, prefixes)) in LAYERS.iter().enumerate() {
        for p in *prefixes {
            if (module == *p || module.starts_with(&format!("{p}::")))
                && best.is_none_or(|(len, _)| p.len() > len)
            {
                best = Some((p.len(), i));
            }
        }
    }
    best.map(|(_, i)| i)
}

/// Imports from a lower layer to a higher one: (importer, imported, path).
fn upward(g: &Graph) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (from, tos) in &g.edges {
        for (to, path) in tos {
            if let (Some(a), Some(b)) = (layer_of(from), layer_of(to))
                && b > a
            {
                out.push((from.clone(), to.clone(), path.clone()));
            }
        }
    }
    out
}

/// Strongly connected components (Tarjan), largest first.
fn loops(g: &Graph) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        on: BTreeSet<&'a str>,
        stack: Vec<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        if let Some(tos) = t.g.edges.get(v) {
            for w in tos.keys() {
                let w = w.as_str();
                if !t.index.contains_key(w) {
                    visit(t, w);
                    let lw = t.low[w];
                    let lv = t.low[v];
                    t.low.insert(v, lv.min(lw));
                } else if t.on.contains(w) {
                    let iw = t.index[w];
                    let lv = t.low[v];
                    t.low.insert(v, lv.min(iw));
                }
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            comp.sort();
            t.out.push(comp);
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        on: BTreeSet::new(),
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for m in &g.modules {
        if !t.index.contains_key(m.as_str()) {
            visit(&mut t, m);
        }
    }
    let mut out = t.out;
    out.retain(|c| c.len() > 1);
    out.sort_by_key(|c| std::cmp::Reverse(c.len()));
    out
}

fn excepted(from: &str, to: &str) -> bool {
    EXCEPTIONS.iter().any(|(f, t, _)| *f == from && *t == to)
}

#[test]
fn import_graph_report() {
    let g = graph();
    let loops = loops(&g);
    let up = upward(&g);
    println!("files: {}", g.modules.len());
    println!(
        "largest import loop: {} files",
        loops.first().map_or(1, Vec::len)
    );
    for c in &loops {
        println!("  loop of {}: {}", c.len(), c.join(" "));
    }
    println!("upward imports: {}", up.len());
    for (from, to, path) in &up {
        println!("  {from} -> {to}  (crate::{path})");
    }
}

#[test]
fn every_module_has_a_layer() {
    let g = graph();
    let missing: Vec<_> = g.modules.iter().filter(|m| layer_of(m).is_none()).collect();
    assert!(
        missing.is_empty(),
        "give these modules a layer in tests/layers.rs: {missing:?}"
    );
}

#[test]
fn no_import_runs_up_a_layer() {
    assert!(EXCEPTIONS.len() <= 5, "at most 5 exceptions");
    let g = graph();
    let up: Vec<_> = upward(&g)
        .into_iter()
        .filter(|(f, t, _)| !excepted(f, t))
        .map(|(f, t, p)| format!("{f} -> {t} (crate::{p})"))
        .collect();
    assert!(
        up.is_empty(),
        "these imports run up a layer (see docs/architecture.md):\n  {}",
        up.join("\n  ")
    );
    for (f, t, why) in EXCEPTIONS {
        assert!(
            g.edges.get(*f).is_some_and(|tos| tos.contains_key(*t)),
            "stale exception {f} -> {t} ({why}): remove it"
        );
    }
}

#[test]
fn no_import_loop_of_more_than_two_files() {
    let g = graph();
    let big: Vec<_> = loops(&g)
        .into_iter()
        .filter(|c| c.len() > MAX_LOOP)
        .map(|c| c.join(" "))
        .collect();
    assert!(big.is_empty(), "import loops:\n  {}", big.join("\n  "));
}

#[test]
fn readme_links_every_top_level_doc() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).expect("README.md");
    let mut missing = Vec::new();
    for e in fs::read_dir(root.join("docs"))
        .expect("docs/")
        .filter_map(Result::ok)
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && !readme.contains(&format!("docs/{name}")) {
            missing.push(name);
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "README.md does not link docs/{missing:?}"
    );
    assert!(
        readme.lines().count() <= 200,
        "README.md is for users: keep it to 200 lines, the rest goes to docs/"
    );
}
