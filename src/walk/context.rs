//! The context of a file (SPEC §1 "Context"), decided once from its path
//! and the nearest package manifest: what the file is for, which decides
//! which rules apply to it (`crate::rule::scope`).
//!
//! In order, the first that matches wins:
//!
//! 1. *vendored*: a folder `vendor/`, `node_modules/`, `bower_components/`,
//!    `site-packages/`, `third_party/`, `third-party/`, a virtualenv (`venv/`,
//!    `.venv/`, or any folder with a `pyvenv.cfg`);
//! 2. *foreign template*: a path segment with `{{`/`{%` (cookiecutter), a
//!    `.j2`/`.jinja`/`.jinja2` file; a config file whose text has Jinja
//!    syntax outside quotes is one too ([`jinja_text`], decided when it is
//!    read);
//! 3. *recording*: a YAML or JSON file in a folder `cassettes/`,
//!    `cassette/` or `__recordings__/` (VCR, pytest-recording, Polly); a
//!    YAML/JSON document shaped as recorded HTTP traffic is one too
//!    ([`recording_text`], decided when it is read), in a `recordings/`
//!    folder or anywhere else;
//! 4. *docs*: a folder `docs/`, `doc/`, `examples/`, `example/`, `samples/`,
//!    `sample/`, `tutorials/`, `tutorial/`, `cookbook/`, `cookbooks/`,
//!    `notebooks` under those included; a file named `example.*`,
//!    `*_example.*`, `example_*.*`; an API spec named `openapi*` or `swagger*`
//!    (YAML/JSON). A `demo/` folder is not docs: it is often the app itself
//!    (Spring Initializr names its project `demo`);
//! 5. *test*: the test paths of SPEC §1 and `integration_tests/`, `e2e/`,
//!    `cassettes/`, `ecosystem-tests/`, `conftest.py`, jest/vitest setup
//!    files, and CI workflows whose file name says they run tests (decided
//!    per file, not per job);
//! 6. *library*: code in the package of a manifest that declares a library
//!    (see [`Libraries`]);
//! 7. *application*: everything else.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::{Context, FileKind};

const VENDORED_DIRS: &[&str] = &[
    "vendor",
    "node_modules",
    "bower_components",
    "site-packages",
    "dist-packages",
    "third_party",
    "third-party",
    "venv",
    ".venv",
];

const DOCS_DIRS: &[&str] = &[
    "docs",
    "doc",
    "examples",
    "example",
    "samples",
    "sample",
    "tutorials",
    "tutorial",
    "cookbook",
    "cookbooks",
];

/// Folders of recorded HTTP traffic. A `recordings/` folder is not among
/// them: an application's audio or screen recordings live in one too, so
/// only what its files' text looks like decides ([`recording_text`]).
const RECORDING_DIRS: &[&str] = &["cassettes", "cassette", "__recordings__"];

/// Folders of tests beyond SPEC §1's list.
pub(super) const MORE_TEST_DIRS: &[&str] = &[
    "integration_tests",
    "integration-tests",
    "e2e",
    "cassettes",
    "ecosystem-tests",
    "__mocks__",
];

/// Whether a file name is a test setup or CI test file beyond SPEC §1's
/// `test_*`/`*_test.*`/`*.test.*`/`*.spec.*` names.
pub(super) fn is_test_setup_name(display: &str, lower: &str) -> bool {
    if lower == "conftest.py" {
        return true;
    }
    // A test runner script (`run_integration_tests.py`).
    let stem = lower.split('.').next().unwrap_or("");
    if stem.ends_with("_tests") || stem.ends_with("-tests") {
        return true;
    }
    if ["jest.setup.", "vitest.setup.", "setuptests.", "testsetup."]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    // A workflow whose name says it runs tests (`tests.yml`,
    // `integration-test.yaml`): decided per file, not per job.
    display.contains(".github/workflows/")
        && (lower.ends_with(".yml") || lower.ends_with(".yaml"))
        && lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| matches!(w, "test" | "tests" | "testing" | "e2e"))
}

/// The context of a file at `path` (shown as `display`, named `name`),
/// with `test` its test-path flag.
pub(super) fn decide(
    path: &Path,
    display: &str,
    name: &str,
    test: bool,
    kind: FileKind,
) -> Context {
    let lower = name.to_ascii_lowercase();
    let mut dirs: Vec<&str> = display.split('/').collect();
    dirs.pop();
    if dirs.iter().any(|d| named(d, VENDORED_DIRS)) || in_virtualenv(path) {
        return Context::Vendored;
    }
    if dirs.iter().any(|d| d.contains("{{") || d.contains("{%"))
        || lower.contains("{{")
        || [".j2", ".jinja", ".jinja2"]
            .iter()
            .any(|e| lower.ends_with(e))
    {
        return Context::ForeignTemplate;
    }
    if matches!(kind, FileKind::Yaml | FileKind::Json { .. })
        && dirs.iter().any(|d| named(d, RECORDING_DIRS))
    {
        return Context::Recording;
    }
    if is_docs_path(&dirs, &lower, kind) {
        return Context::Docs;
    }
    if test {
        return Context::Test;
    }
    if matches!(kind, FileKind::Code(_)) && libraries().contains(path) {
        return Context::Library;
    }
    Context::Application
}

/// Whether a folder's name is one of `names` (lowercase), case aside.
fn named(dir: &str, names: &[&str]) -> bool {
    names.iter().any(|n| dir.eq_ignore_ascii_case(n))
}

fn is_docs_path(dirs: &[&str], lower: &str, kind: FileKind) -> bool {
    if dirs.iter().any(|d| named(d, DOCS_DIRS)) {
        return true;
    }
    let stem = lower.split('.').next().unwrap_or("");
    let spec = matches!(kind, FileKind::Yaml | FileKind::Json { .. })
        && (stem.starts_with("openapi") || stem.starts_with("swagger"));
    let example_code = matches!(kind, FileKind::Code(_) | FileKind::Notebook)
        && (stem == "example"
            || stem == "examples"
            || stem.ends_with("_example")
            || stem.ends_with("-example")
            || stem.starts_with("example_"));
    spec || example_code
}

/// Whether a config file's text is a template of another tool: a Jinja
/// statement (`{% … %}`) or expression (`{{ … }}`, not GitHub's `${{ … }}`)
/// outside quotes on some line. Such text is no valid YAML, TOML or JSON;
/// quoted Jinja (`key: "{{ var }}"`, as Ansible writes it) still parses and
/// is read as config.
pub fn jinja_text(kind: FileKind, text: &str) -> bool {
    if !matches!(
        kind,
        FileKind::Yaml | FileKind::Toml | FileKind::Json { .. }
    ) {
        return false;
    }
    // Only a line with `{{` or `{%` can hold Jinja syntax: each such line
    // is read once, the others not at all.
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'{', &b[from..]).map(|i| from + i) {
        if !matches!(b.get(i + 1), Some(b'{' | b'%')) {
            from = i + 1;
            continue;
        }
        let start = memchr::memrchr(b'\n', &b[..i]).map_or(0, |n| n + 1);
        let end = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
        // As `str::lines` gives it: without the line ending.
        let line = &text[start..end];
        if unquoted_jinja(line.strip_suffix('\r').unwrap_or(line)) {
            return true;
        }
        from = end;
    }
    false
}

fn unquoted_jinja(line: &str) -> bool {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) => {
                if c == b'\\' && q == b'"' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                b'"' => quote = Some(c),
                // An apostrophe inside a word is no quote.
                b'\'' if i == 0 || !bytes[i - 1].is_ascii_alphanumeric() => quote = Some(c),
                b'#' if i == 0 || bytes[i - 1] == b' ' => return false,
                b'{' if matches!(bytes.get(i + 1), Some(b'{' | b'%'))
                    && (i == 0 || bytes[i - 1] != b'$') =>
                {
                    let close = if bytes[i + 1] == b'%' { "%}" } else { "}}" };
                    if line.get(i + 2..).is_some_and(|r| r.contains(close)) {
                        return true;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    false
}

/// Whether a YAML or JSON file's text is an OpenAPI/Swagger document (its
/// first key is `openapi` or `swagger`): a generated API spec, docs
/// context, whose example payloads hold the providers' sample IDs.
pub fn api_spec_text(kind: FileKind, text: &str) -> bool {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("---"));
    let Some(first) = first else { return false };
    match kind {
        FileKind::Yaml => first.starts_with("openapi:") || first.starts_with("swagger:"),
        FileKind::Json { .. } => text
            .trim_start()
            .strip_prefix('{')
            .map(str::trim_start)
            .is_some_and(|b| b.starts_with("\"openapi\"") || b.starts_with("\"swagger\"")),
        _ => false,
    }
}

/// Whether a YAML or JSON file's text is recorded HTTP traffic:
/// - YAML: a VCR.py / go-vcr cassette (its first key `interactions`, or
///   `version` followed by `interactions`) or a Ruby VCR one
///   (`http_interactions`), with `request:` and `response:` in it;
/// - JSON: the same shapes (`{"interactions": …}`, `{"version": 1,
///   "interactions": …}`), a Polly HAR (`{"log": {"_recordingName": …`) or
///   a nock recording (`[{"scope": "http…`).
///
/// Only the document's first lines are looked at, so the check costs
/// nothing on large files.
pub fn recording_text(kind: FileKind, text: &str) -> bool {
    match kind {
        FileKind::Yaml => yaml_recording(text),
        FileKind::Json { .. } => json_recording(text),
        _ => false,
    }
}

fn yaml_recording(text: &str) -> bool {
    const KEYS: &[&str] = &["interactions:", "http_interactions:"];
    // The top-level lines (no indent, no list item) before the first
    // interaction, past comments and document markers.
    let mut top = text.lines().take(64).filter(|l| {
        !l.is_empty() && !l.starts_with([' ', '\t', '#', '-', '%']) && !l.trim_end().is_empty()
    });
    let first = top.next().map(str::trim_end);
    let shaped = match first {
        Some(l) if KEYS.contains(&l) => true,
        Some(l) if l.starts_with("version:") => top
            .next()
            .map(str::trim_end)
            .is_some_and(|l| KEYS.contains(&l)),
        _ => false,
    };
    shaped && text.contains("request:") && text.contains("response:")
}

fn json_recording(text: &str) -> bool {
    // The first bytes without whitespace: keys hold none.
    let compact: String = text
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .take(96)
        .collect();
    compact.starts_with("{\"interactions\":[")
        || compact.starts_with("{\"http_interactions\":[")
        || (compact.starts_with("{\"version\":") && compact.contains(",\"interactions\":["))
        || compact.starts_with("{\"log\":{\"_recordingName\":")
        || compact.starts_with("[{\"scope\":\"http")
}

/// Whether a folder above `path` holds a `pyvenv.cfg` (a virtualenv).
fn in_virtualenv(path: &Path) -> bool {
    let Some(dir) = path.parent() else {
        return false;
    };
    // Once per folder: every file of a folder has the same answer.
    by_dir(&VENV_DIRS, dir, || {
        dir.ancestors()
            .take(8)
            .any(|d| cached(&VENV, d, |d| d.join("pyvenv.cfg").is_file()))
    })
}

static VENV_DIRS: OnceLock<Mutex<DirMap<bool>>> = OnceLock::new();

/// `compute` for the folder `dir`, memoized by the folder's path as bytes
/// (cheaper to hash than a `Path`, which hashes component by component).
fn by_dir<T: Clone>(
    cache: &'static OnceLock<Mutex<DirMap<T>>>,
    dir: &Path,
    compute: impl FnOnce() -> T,
) -> T {
    let map = cache.get_or_init(|| Mutex::new(DirMap::default()));
    if let Some(v) = map
        .lock()
        .ok()
        .and_then(|m| m.get(dir.as_os_str()).cloned())
    {
        return v;
    }
    let v = compute();
    if let Ok(mut m) = map.lock() {
        m.insert(dir.as_os_str().to_os_string(), v.clone());
    }
    v
}

static VENV: OnceLock<Mutex<DirMap<bool>>> = OnceLock::new();
static GIT_ROOTS: OnceLock<Mutex<DirMap<bool>>> = OnceLock::new();

/// Answers per folder, keyed by the folder's path as bytes.
type DirMap<T> = HashMap<std::ffi::OsString, T, crate::index::FastHash>;

fn cached(
    cache: &'static OnceLock<Mutex<DirMap<bool>>>,
    dir: &Path,
    compute: impl FnOnce(&Path) -> bool,
) -> bool {
    by_dir(cache, dir, || compute(dir))
}

/// The package folders of library manifests, looked up once per folder.
///
/// A manifest declares a library when:
/// - `pyproject.toml` has `[build-system]` and `[project]` or
///   `[tool.poetry]`; its package folders are `src/<any>/`, `<name>/` (the
///   project name with `-`/`.` as `_`) and the `packages` its build backend
///   lists (`[tool.hatch.build.targets.wheel] packages`, poetry's
///   `packages = [{ include = … }]`);
/// - `package.json` is not `"private": true` and declares what it exports
///   (`exports`, `types` or `typings`; a bare `main` is what `npm init`
///   writes for apps too); its package folders are `src/` and `lib/`;
/// - `Cargo.toml` has `[lib]`, or `src/lib.rs` and no `src/main.rs` nor
///   `[[bin]]`; its package folder is `src/`.
///
/// An application with a `pyproject.toml` (most have one, for its
/// dependencies) keeps its code outside such folders, so it stays an
/// application.
pub(super) struct Libraries {
    dirs: Mutex<HashMap<PathBuf, Option<Vec<PathBuf>>>>,
}

static NEAREST: OnceLock<Mutex<DirMap<std::sync::Arc<Vec<PathBuf>>>>> = OnceLock::new();

fn libraries() -> &'static Libraries {
    static L: OnceLock<Libraries> = OnceLock::new();
    L.get_or_init(|| Libraries {
        dirs: Mutex::new(HashMap::new()),
    })
}

impl Libraries {
    /// Whether `path` lies in a package folder of the nearest manifest
    /// above it (not above the repository root).
    fn contains(&self, path: &Path) -> bool {
        let Some(parent) = path.parent() else {
            return false;
        };
        self.nearest(parent).iter().any(|p| path.starts_with(p))
    }

    /// The package folders of the nearest manifest at or above `dir` (not
    /// above the repository root), found once per folder.
    fn nearest(&self, dir: &Path) -> std::sync::Arc<Vec<PathBuf>> {
        by_dir(&NEAREST, dir, || {
            for d in dir.ancestors() {
                if let Some(packages) = self.packages(d) {
                    return std::sync::Arc::new(packages);
                }
                if cached(&GIT_ROOTS, d, |d| d.join(".git").exists()) {
                    break;
                }
            }
            std::sync::Arc::new(Vec::new())
        })
    }

    /// The package folders of the manifest in `dir`: `None` if it has no
    /// manifest, an empty list if its manifest is not a library's.
    fn packages(&self, dir: &Path) -> Option<Vec<PathBuf>> {
        if let Some(v) = self.dirs.lock().ok().and_then(|m| m.get(dir).cloned()) {
            return v;
        }
        let v = manifest_packages(dir);
        if let Ok(mut m) = self.dirs.lock() {
            m.insert(dir.to_path_buf(), v.clone());
        }
        v
    }
}

fn manifest_packages(dir: &Path) -> Option<Vec<PathBuf>> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    if let Some(text) = read("pyproject.toml") {
        return Some(python_packages(dir, &text));
    }
    if let Some(text) = read("package.json") {
        return Some(node_packages(dir, &text));
    }
    if let Some(text) = read("Cargo.toml") {
        return Some(cargo_packages(dir, &text));
    }
    None
}

fn python_packages(dir: &Path, text: &str) -> Vec<PathBuf> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let project = doc.get("project").and_then(|p| p.as_table());
    let poetry = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.as_table());
    if doc.get("build-system").is_none() || (project.is_none() && poetry.is_none()) {
        return Vec::new();
    }
    let mut out = vec![dir.join("src")];
    let name = project
        .or(poetry)
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str());
    if let Some(name) = name {
        out.push(dir.join(name.to_ascii_lowercase().replace(['-', '.'], "_")));
    }
    let hatch = doc
        .get("tool")
        .and_then(|t| t.get("hatch"))
        .and_then(|h| h.get("build"))
        .and_then(|b| b.get("targets"))
        .and_then(|t| t.get("wheel"))
        .and_then(|w| w.get("packages"))
        .and_then(|p| p.as_array());
    for p in hatch.into_iter().flatten().filter_map(|p| p.as_str()) {
        out.push(dir.join(p));
    }
    let poetry_packages = poetry
        .and_then(|p| p.get("packages"))
        .and_then(|p| p.as_array());
    for p in poetry_packages.into_iter().flatten() {
        if let Some(include) = p.get("include").and_then(|i| i.as_str()) {
            let from = p.get("from").and_then(|f| f.as_str()).unwrap_or("");
            out.push(dir.join(from).join(include));
        }
    }
    out
}

fn node_packages(dir: &Path, text: &str) -> Vec<PathBuf> {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    if doc.get("private").and_then(|p| p.as_bool()) == Some(true) {
        return Vec::new();
    }
    if ["exports", "types", "typings"]
        .iter()
        .any(|k| doc.get(k).is_some())
    {
        vec![dir.join("src"), dir.join("lib")]
    } else {
        Vec::new()
    }
}

fn cargo_packages(dir: &Path, text: &str) -> Vec<PathBuf> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let lib = doc.contains_key("lib")
        || (dir.join("src/lib.rs").is_file()
            && !dir.join("src/main.rs").is_file()
            && !doc.contains_key("bin"));
    if lib {
        vec![dir.join("src")]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (rel, text) in files {
            let p = root.join(rel);
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d).expect("mkdir");
            }
            std::fs::write(p, text).expect("write");
        }
    }

    fn context(root: &Path, rel: &str) -> Context {
        super::super::classify(&root.join(rel), rel, true, true).context
    }

    #[test]
    fn contexts_by_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir(root.join(".git")).expect("mkdir");
        for (rel, want) in [
            ("app.py", Context::Application),
            // Spring Initializr's `demo` project is the app itself.
            ("demo/src/main/java/App.java", Context::Application),
            ("demo/app.py", Context::Application),
            ("docs/guide/setup.py", Context::Docs),
            ("examples/groq/groq_example.py", Context::Docs),
            ("python/docs/src/models.ipynb", Context::Docs),
            ("cookbook/rag.ipynb", Context::Docs),
            ("samples/Basic/CreateAgent.cs", Context::Docs),
            ("scripts/azure_example.py", Context::Docs),
            ("api_reference/openapi.transformed.yml", Context::Docs),
            ("swagger.json", Context::Docs),
            ("tests/test_client.py", Context::Test),
            ("integration_tests/conftest.py", Context::Test),
            ("conftest.py", Context::Test),
            (".github/scripts/run_integration_tests.py", Context::Test),
            ("web/jest.setup.ts", Context::Test),
            ("web/src/setupTests.js", Context::Test),
            ("e2e/chat.ts", Context::Test),
            ("ecosystem-tests/node-js/main.js", Context::Test),
            (".github/workflows/tests.yml", Context::Test),
            (".github/workflows/update-test-durations.yml", Context::Test),
            (".github/workflows/deploy.yml", Context::Application),
            (".github/workflows/latest.yml", Context::Application),
            ("vendor/github.com/x/client.go", Context::Vendored),
            ("web/node_modules/openai/index.js", Context::Vendored),
            (
                ".venv/lib/python3.12/site-packages/openai/_client.py",
                Context::Vendored,
            ),
            ("third_party/sdk/client.py", Context::Vendored),
            (
                "{{cookiecutter.name}}/pyproject.toml",
                Context::ForeignTemplate,
            ),
            ("deploy/.env.j2", Context::ForeignTemplate),
            ("ansible/config.yaml.jinja", Context::ForeignTemplate),
            (
                "tests/models/cassettes/test_openai/test_chat.yaml",
                Context::Recording,
            ),
            ("spec/cassette/chat.json", Context::Recording),
            (
                "web/__recordings__/openai_1/recording.json",
                Context::Recording,
            ),
            // Code beside cassettes is test code; a `recordings/` folder
            // is decided by its files' text.
            ("tests/cassettes/helpers.py", Context::Test),
            ("recordings/config.yaml", Context::Application),
        ] {
            assert_eq!(context(root, rel), want, "{rel}");
        }
    }

    #[test]
    fn a_committed_virtualenv_is_vendored() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        write(root, &[("env/pyvenv.cfg", "home = /usr/bin\n")]);
        assert_eq!(context(root, "env/lib/x/client.py"), Context::Vendored);
        assert_eq!(context(root, "envs/client.py"), Context::Application);
    }

    #[test]
    fn library_packages() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir(root.join(".git")).expect("mkdir");
        let lib = "[build-system]\nrequires = [\"hatchling\"]\n[project]\nname = \"my-sdk\"\n";
        write(
            root,
            &[
                // A library: `src/` layout, its name's folder, hatch packages.
                ("sdk/pyproject.toml", lib),
                ("sdk/src/my_sdk/providers/openai.py", ""),
                ("sdk/scripts/release.py", ""),
                ("flat/pyproject.toml", lib),
                ("flat/my_sdk/client.py", ""),
                (
                    "slim/pyproject.toml",
                    "[build-system]\n[project]\nname = \"x-slim\"\n\
                     [tool.hatch.build.targets.wheel]\npackages = [\"x\"]\n",
                ),
                ("slim/x/providers/groq.py", ""),
                // An application with a pyproject.toml for its dependencies.
                (
                    "app/pyproject.toml",
                    "[project]\nname = \"bot\"\ndependencies = [\"streamlit\"]\n",
                ),
                ("app/src/bot/main.py", ""),
                ("app/bot/main.py", ""),
                // A built app that names its own folder: no `src/`, no match.
                ("svc/pyproject.toml", lib),
                ("svc/app/main.py", ""),
                // npm: a package that exports, an app with a bare `main`.
                (
                    "pkg/package.json",
                    "{\"name\": \"x\", \"exports\": \"./lib/index.js\"}",
                ),
                ("pkg/src/client.ts", ""),
                (
                    "web/package.json",
                    "{\"name\": \"web\", \"main\": \"index.js\"}",
                ),
                ("web/src/index.js", ""),
                (
                    "priv/package.json",
                    "{\"private\": true, \"types\": \"x.d.ts\"}",
                ),
                ("priv/src/index.ts", ""),
                ("crate/Cargo.toml", "[package]\nname = \"c\"\n"),
                ("crate/src/lib.rs", ""),
                ("bin/Cargo.toml", "[package]\nname = \"b\"\n"),
                ("bin/src/main.rs", ""),
            ],
        );
        for (rel, want) in [
            ("sdk/src/my_sdk/providers/openai.py", Context::Library),
            ("sdk/scripts/release.py", Context::Application),
            ("flat/my_sdk/client.py", Context::Library),
            ("slim/x/providers/groq.py", Context::Library),
            ("app/src/bot/main.py", Context::Application),
            ("app/bot/main.py", Context::Application),
            ("svc/app/main.py", Context::Application),
            ("pkg/src/client.ts", Context::Library),
            ("web/src/index.js", Context::Application),
            ("priv/src/index.ts", Context::Application),
            ("crate/src/lib.rs", Context::Library),
            ("bin/src/main.rs", Context::Application),
        ] {
            assert_eq!(context(root, rel), want, "{rel}");
        }
    }

    #[test]
    fn api_specs_by_their_first_key() {
        assert!(api_spec_text(
            FileKind::Yaml,
            "# spec\nopenapi: 3.1.0\ninfo: {}\n"
        ));
        assert!(api_spec_text(FileKind::Yaml, "swagger: '2.0'\n"));
        assert!(api_spec_text(
            FileKind::Json { comments: false },
            "{\n  \"openapi\": \"3.0.0\"\n}"
        ));
        assert!(!api_spec_text(FileKind::Yaml, "services:\n  openapi: x\n"));
        assert!(!api_spec_text(FileKind::Toml, "openapi = 1\n"));
    }

    #[test]
    fn recordings_by_their_shape() {
        let yaml = FileKind::Yaml;
        let json = FileKind::Json { comments: false };
        let vcr =
            "interactions:\n- request:\n    body: ''\n  response:\n    status: {}\nversion: 1\n";
        assert!(recording_text(yaml, vcr));
        assert!(recording_text(
            yaml,
            "---\nversion: 2\ninteractions:\n    - request:\n      response:\n"
        ));
        assert!(recording_text(
            yaml,
            "---\nhttp_interactions:\n- request:\n  response:\nrecorded_with: VCR 6.0.0\n"
        ));
        assert!(recording_text(
            json,
            "{\n  \"interactions\": [\n {\"request\": {}, \"response\": {}}], \"version\": 1}"
        ));
        assert!(recording_text(
            json,
            "{\"version\": 1, \"interactions\": []}"
        ));
        assert!(recording_text(
            json,
            "{\n  \"log\": {\n    \"_recordingName\": \"openai\"}}"
        ));
        assert!(recording_text(
            json,
            "[\n  {\n    \"scope\": \"https://api.openai.com:443\", \"method\": \"POST\"}]"
        ));
        // A config that happens to have such a key, or no request/response.
        assert!(!recording_text(yaml, "model: gpt-4o\ninteractions: 3\n"));
        assert!(!recording_text(yaml, "interactions:\n  max: 3\n"));
        assert!(!recording_text(
            yaml,
            "version: 1\nservices:\n  request:\n  response:\n"
        ));
        assert!(!recording_text(
            json,
            "{\"settings\": {\"interactions\": []}}"
        ));
        assert!(!recording_text(FileKind::Toml, "interactions = []\n"));
        assert!(!recording_text(yaml, ""));
    }

    #[test]
    fn jinja_outside_quotes() {
        let toml = FileKind::Toml;
        assert!(jinja_text(
            toml,
            "[project.scripts]\n{{folder_name}} = \"x\"\n"
        ));
        assert!(jinja_text(
            toml,
            "deps = [\n{%- if x -%}\n\"a\",\n{% endif %}\n]\n"
        ));
        assert!(jinja_text(
            FileKind::Json { comments: true },
            "{\n  \"role\": {{role_json}},\n}\n"
        ));
        assert!(!jinja_text(toml, "name = \"{{folder_name}}\"\n"));
        assert!(!jinja_text(FileKind::Yaml, "key: '{{ var }}'\n"));
        assert!(!jinja_text(
            FileKind::Yaml,
            "env:\n  OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n"
        ));
        assert!(!jinja_text(FileKind::Yaml, "# {{ comment }}\na: 1\n"));
        assert!(!jinja_text(FileKind::Docs, "{{ x }}"));
        // Each line is judged alone: a quoted `{{` on one line and a `}}`
        // on the next are no template, an unquoted one after them is; a
        // CRLF ending changes nothing.
        let yaml = FileKind::Yaml;
        assert!(!jinja_text(yaml, "a: \"{{ x\"\nb: y }}\n"));
        assert!(jinja_text(yaml, "a: \"{{ x }}\"\r\nb: {{ y }}\r\n"));
        assert!(jinja_text(
            yaml,
            "a: {b: {c: 1}}\nd: {% if e %}1{% endif %}"
        ));
        assert!(!jinja_text(yaml, "a: {b: {c: 1}}\n# {% if e %}\n{{"));
    }
}
