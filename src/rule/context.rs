//! What a rule sees and how it reports: the context every rule may consult
//! besides facts ([`RuleContext`]), the [`Rule`] trait, the finding collector
//! ([`Findings`]) and the helpers rules share to point at settings and word
//! their help. Rules import this room, never the runner in `rule.rs`.

use super::pairs::Pairs;
use super::placeholder::Placeholders;
use super::spec::{self, RuleSet};
use crate::fact::{EnvRef, EnvRefSyntax, Setting};
use crate::file_ref::FileRef;
use crate::finding::{Finding, Related, fingerprint};
use crate::graph::Graph;
use crate::provider::Providers;
use crate::source::Span;

/// What every rule may consult besides facts.
pub struct RuleContext<'a> {
    pub providers: &'a Providers,
    pub rules: &'a RuleSet,
    pub placeholders: &'a Placeholders,
    /// `[[pair]]` declarations from credlint.toml (PAIR005).
    pub pairs: &'a Pairs,
    /// `--verify`: the provider's answers about each scope's key, asked
    /// before the rules run (VERIFY*).
    pub verify: Option<&'a crate::verify::Verified>,
    /// The env-file settings of variables found by data flow, computed by
    /// the first rule that asks (see `super::flow::settings`) and shared by
    /// the six value rules that use them: a `RuleContext` serves one run of the
    /// repository rules over one set of files.
    pub flow: std::sync::OnceLock<Vec<(usize, crate::fact::Setting)>>,
}

/// A rule's logic.
pub trait Rule: Sync {
    fn code(&self) -> &'static str;
    /// Findings within one file.
    fn check_file(&self, _cx: &RuleContext<'_>, _file: &FileRef<'_>, _out: &mut Findings<'_>) {}
    /// Findings that need several files (files are in path order; the graph
    /// joins their scopes).
    fn check_repo(
        &self,
        _cx: &RuleContext<'_>,
        _files: &[FileRef<'_>],
        _graph: &Graph<'_>,
        _out: &mut Findings<'_>,
    ) {
    }
}

/// Whether a rule runs only with `--verify` (it asks the provider).
pub fn needs_verify(code: &str) -> bool {
    code.starts_with("VERIFY")
}

/// Collects findings, filling message and help from the rule's templates.
pub struct Findings<'a> {
    rules: &'a RuleSet,
    pub findings: Vec<Finding>,
}

impl<'a> Findings<'a> {
    pub fn new(rules: &'a RuleSet) -> Self {
        Findings {
            rules,
            findings: Vec::new(),
        }
    }

    /// Findings a finding of rule `code` at `span` of `file`. `content` is what
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
pub fn env_ref_at<'f>(file: &'f FileRef<'_>, span: Span) -> Option<&'f EnvRef> {
    setting_holding(file, span).and_then(|s| s.env_ref.as_ref())
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
pub fn code_variant(file: &FileRef<'_>, s: &Setting) -> (Option<&'static str>, String) {
    let how = s.env_ref.as_ref();
    let text = how.map(ToString::to_string).unwrap_or_default();
    match how {
        Some(_) if is_code(file) => (Some("code"), text),
        how => (ref_variant(how), text),
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
pub fn ref_variant(how: Option<&EnvRef>) -> Option<&'static str> {
    match how {
        Some(h) if h.syntax == EnvRefSyntax::SecretKeyRef => Some("secret-ref"),
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
