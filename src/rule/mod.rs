//! Rules read facts — never files, never parsers — and emit findings. Each
//! rule's code, name, severity, message and help templates, docs and
//! examples live in `rules/CODE.toml`; the logic that the data cannot
//! express lives in one Rust file named after the rule.

use std::sync::LazyLock;

use crate::fact::{FileFacts, Setting, Slot, ValueKind};
use crate::finding::{Finding, Related, fingerprint};
use crate::graph::Graph;
use crate::provider::Providers;
use crate::source::{Source, Span};
use crate::walk::FileEntry;

pub mod placeholder;
pub mod scope;
pub mod spec;

mod env001;
mod env002;
mod env003;
mod key001;
mod key002;
mod key003;
mod key004;
mod key005;
mod org001;
mod org002;
mod org003;
mod org004;
mod org005;
mod pair001;
mod pair002;
mod pair003;
mod pair004;
mod pair005;
mod parse001;
pub mod sup001;
mod verify;

pub use placeholder::Placeholders;
pub use spec::{RuleSet, RuleSpec};

static BUILTIN: LazyLock<RuleSet> = LazyLock::new(|| {
    // Embedded data, validated by the test suite.
    match RuleSet::load(crate::data::RULE_FILES) {
        Ok(r) => r,
        Err(e) => panic!("built-in rule data is invalid: {e}"),
    }
});

/// The rules embedded in the binary.
pub fn builtin() -> &'static RuleSet {
    &BUILTIN
}

/// What every rule may consult besides facts.
pub struct Ctx<'a> {
    pub providers: &'a Providers,
    pub rules: &'a RuleSet,
    pub placeholders: &'a Placeholders,
    /// `[[pair]]` declarations from credlint.toml (PAIR005).
    pub pairs: &'a crate::config::Pairs,
    /// `--verify`: asks the provider about each scope's key (VERIFY*).
    pub verify: Option<&'a crate::verify::Verifier>,
}

/// One scanned file as rules see it.
pub struct FileRef<'a> {
    pub entry: &'a FileEntry,
    pub source: &'a Source,
    pub facts: &'a FileFacts,
}

impl FileRef<'_> {
    /// Settings in the same scope as `s` (including `s`).
    pub fn scope_of<'b>(&'b self, s: &'b Setting) -> impl Iterator<Item = &'b Setting> + 'b {
        self.facts
            .settings
            .iter()
            .filter(move |o| o.scope == s.scope)
    }

    /// Whether the scope of `s` points the provider at a base URL other than
    /// the provider's own (a proxy or a local server, where keys are free-form).
    pub fn custom_base_url(&self, s: &Setting, providers: &Providers) -> bool {
        let hosts = &providers.get(s.provider).hosts;
        self.scope_of(s).any(|o| {
            o.provider == s.provider
                && o.slot == Slot::BaseUrl
                && o.value.kind != ValueKind::Empty
                && !hosts.iter().any(|h| o.value.text.contains(h.as_str()))
        })
    }
}

/// A rule's logic.
pub trait Rule: Sync {
    fn code(&self) -> &'static str;
    /// Findings within one file.
    fn check_file(&self, _cx: &Ctx<'_>, _file: &FileRef<'_>, _out: &mut Emit<'_>) {}
    /// Findings that need several files (files are in path order; the graph
    /// joins their scopes).
    fn check_repo(
        &self,
        _cx: &Ctx<'_>,
        _files: &[FileRef<'_>],
        _graph: &Graph<'_>,
        _out: &mut Emit<'_>,
    ) {
    }
}

/// Whether a rule runs only with `--verify` (it asks the provider).
pub fn needs_verify(code: &str) -> bool {
    code.starts_with("VERIFY")
}

/// Every rule with logic, in code order.
pub fn all() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(env001::Env001),
        Box::new(env002::Env002),
        Box::new(env003::Env003),
        Box::new(key001::Key001),
        Box::new(key002::Key002),
        Box::new(key003::Key003),
        Box::new(key004::Key004),
        Box::new(key005::Key005),
        Box::new(org001::Org001),
        Box::new(org002::Org002),
        Box::new(org003::Org003),
        Box::new(org004::Org004),
        Box::new(org005::Org005),
        Box::new(pair001::Pair001),
        Box::new(pair002::Pair002),
        Box::new(pair003::Pair003),
        Box::new(pair004::Pair004),
        Box::new(pair005::Pair005),
        Box::new(parse001::Parse001),
        Box::new(sup001::Sup001),
        Box::new(verify::Verify("VERIFY001")),
        Box::new(verify::Verify("VERIFY002")),
        Box::new(verify::Verify("VERIFY003")),
        Box::new(verify::Verify("VERIFY004")),
    ]
}

/// Collects findings, filling message and help from the rule's templates.
pub struct Emit<'a> {
    rules: &'a RuleSet,
    pub findings: Vec<Finding>,
}

impl<'a> Emit<'a> {
    pub fn new(rules: &'a RuleSet) -> Self {
        Emit {
            rules,
            findings: Vec::new(),
        }
    }

    /// Emit a finding of rule `code` at `span` of `file`. `content` is what
    /// the fingerprint hashes (the offending value; hashed, never stored).
    pub fn emit(
        &mut self,
        code: &str,
        file: &FileRef<'_>,
        span: Span,
        content: &str,
        variant: Option<&str>,
        args: &[(&str, String)],
    ) -> &mut Finding {
        let (name, severity, message, help) = match self.rules.get(code) {
            Some(spec) => {
                let (m, h) = spec.templates(variant);
                (
                    spec.name.clone(),
                    spec.severity,
                    spec::fill(m, args),
                    spec::fill(h, args),
                )
            }
            // A rule without a data file is a build defect caught by the
            // test suite; report it rather than crash.
            None => (
                code.to_ascii_lowercase(),
                crate::finding::Severity::Error,
                format!("{code} (rule data missing)"),
                String::new(),
            ),
        };
        let path = &file.entry.display;
        self.findings.push(Finding {
            code: code.to_string(),
            name,
            severity,
            path: path.clone(),
            span,
            start: file.source.position(span.start),
            end: file.source.position(span.end),
            message,
            help,
            fingerprint: fingerprint(code, path, content),
            related: Vec::new(),
            fix: None,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}

/// The setting whose value holds `span`, if it tells how its format reads
/// an env variable instead (for the help line of literal findings).
pub fn env_ref_at<'f>(file: &'f FileRef<'_>, span: Span) -> Option<&'f str> {
    setting_holding(file, span).and_then(|s| s.env_ref.as_deref())
}

/// The setting whose value holds `span` and says how to read its variable
/// instead.
pub fn setting_holding<'f>(file: &'f FileRef<'_>, span: Span) -> Option<&'f Setting> {
    file.facts.settings.iter().find(|s| {
        s.env_ref.is_some() && s.value.span.start <= span.start && span.end <= s.value.span.end
    })
}

/// Whether a file is source code (a notebook too): help lines then name
/// the argument to change, in the file's own language.
pub fn is_code(file: &FileRef<'_>) -> bool {
    matches!(
        file.entry.class.kind,
        crate::walk::FileKind::Code(_) | crate::walk::FileKind::Notebook
    )
}

/// The variant and `how` argument of a value rule's finding on setting `s`:
/// `code` with the file's own env read when the setting is in code, else
/// the reference hint of [`ref_variant`].
pub fn code_variant<'s>(file: &FileRef<'_>, s: &'s Setting) -> (Option<&'static str>, &'s str) {
    match s.env_ref.as_deref() {
        Some(how) if is_code(file) => (Some("code"), how),
        how => (ref_variant(how), how.unwrap_or_default()),
    }
}

/// Where a finding about a whole setting points: its assignment (name
/// through value), or its value alone when the value is on another line
/// than the name (a Kubernetes `- name: X` / `value: ""` entry), so that
/// the reported line is the value's.
pub fn setting_at(file: &FileRef<'_>, s: &Setting) -> Span {
    let between = file
        .source
        .text()
        .get(s.name_span.end..s.value.span.start)
        .unwrap_or("");
    if between.contains('\n') {
        s.value.span
    } else {
        s.assignment()
    }
}

/// The help variant for a reference hint: `secret-ref` for a Kubernetes
/// `valueFrom` (the value must first move to a Secret), `reference` for any
/// other syntax, `None` when the file's format has none.
pub fn ref_variant(how: Option<&str>) -> Option<&'static str> {
    match how {
        Some(h) if h.starts_with("valueFrom") => Some("secret-ref"),
        Some(_) => Some("reference"),
        None => None,
    }
}

/// A related location in `file`.
pub fn related(file: &FileRef<'_>, span: Span, message: String) -> Related {
    Related {
        path: file.entry.display.clone(),
        span,
        start: file.source.position(span.start),
        message,
    }
}

/// Run every rule over the files and return the findings in report order.
pub fn run(cx: &Ctx<'_>, files: &[FileRef<'_>]) -> Vec<Finding> {
    use rayon::prelude::*;
    let rules = all();
    let mut findings: Vec<Finding> = files
        .par_iter()
        .flat_map_iter(|f| {
            let mut out = Emit::new(cx.rules);
            if !f.facts.is_empty() {
                for r in &rules {
                    r.check_file(cx, f, &mut out);
                }
            }
            out.findings
        })
        .collect();
    let graph = Graph::build(files);
    let mut out = Emit::new(cx.rules);
    for r in &rules {
        r.check_repo(cx, files, &graph, &mut out);
    }
    findings.extend(out.findings);
    crate::fix::finalize(&mut findings, files);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.code == b.code && a.path == b.path && a.span == b.span);
    findings
}
