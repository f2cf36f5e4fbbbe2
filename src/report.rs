//! Renderers. Each output format is one view of the same `Finding` list;
//! no rule knows which is in use. Secrets never reach a renderer unmasked:
//! messages are built with [`crate::redact::redact`] by the rules and
//! pass [`crate::check::redact_findings`]; the sources are the files' text
//! with every key masked in place ([`crate::check::hidden_spans`]).

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::finding::Summary;

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod pretty;
pub mod sarif;
mod shared;
pub mod statistics;

pub use shared::Report;
pub(crate) use shared::{escape_control, is_bidi_control, needs_escape, unique_fingerprints};

/// Output formats (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Pretty,
    Concise,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
}

/// Render a report in a format.
pub fn render(format: Format, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Pretty => pretty::render(report, out),
        Format::Concise => concise::render(report, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Github => github::render(report, out),
        Format::Gitlab => gitlab::render(report, out),
    }
}

/// The one-line summary the CLI prints after `pretty` and `concise` output:
/// `Found 3 problems (2 errors, 1 warning) in 120 files.` or
/// `No problems found in 120 files.`, followed by
/// ` Skipped 4 files (2 binary, 1 too large, 1 unreadable).` when files were
/// skipped, and folders not entered counted apart (` Skipped 1 file (1
/// binary) and 2 folders (2 symlinks).`). Infos are mentioned only when
/// there are some.
pub fn summary_line(summary: &Summary) -> String {
    let files = plural(summary.files_scanned, "file", "files");
    let mut line = if summary.findings == 0 {
        format!("No problems found in {files}.")
    } else {
        let mut counts = vec![
            plural(summary.errors, "error", "errors"),
            plural(summary.warnings, "warning", "warnings"),
        ];
        if summary.infos > 0 {
            counts.push(plural(summary.infos, "info", "infos"));
        }
        format!(
            "Found {} ({}) in {files}.",
            plural(summary.findings, "problem", "problems"),
            counts.join(", ")
        )
    };
    let groups: Vec<String> = [
        (&summary.skipped, "file", "files"),
        (&summary.folders_skipped, "folder", "folders"),
    ]
    .into_iter()
    .filter_map(|(counts, one, many)| {
        let total: usize = counts.values().sum();
        let reasons: Vec<String> = counts
            .iter()
            .filter(|&(_, &n)| n > 0)
            .map(|(reason, &n)| crate::walk::skipped_count(reason, n))
            .collect();
        (total > 0).then(|| format!("{} ({})", plural(total, one, many), reasons.join(", ")))
    })
    .collect();
    if !groups.is_empty() {
        let _ = write!(line, " Skipped {}.", groups.join(" and "));
    }
    line
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
pub(crate) mod test_fixtures {
    //! Hand-built findings shared by the renderer tests: a zero-length span,
    //! a multi-line span, related locations in the same and in another file
    //! (with and without its source), a non-ASCII line and a finding whose
    //! file could not be read. Values are already redacted, as rules do.

    use std::collections::{BTreeMap, HashMap};
    use std::sync::Arc;

    use super::Report;
    use crate::finding::{Finding, Related, Severity, Summary, fingerprint};
    use crate::source::{Source, Span};

    pub const ENV: &str = "\
# Lokale Einstellungen – nicht einchecken
OPENAI_API_KEY=
OPENAI_ORG_ID=org-AbCdEfGhIjKlMnOpQrStUv
OPENAI_BASE_URL=\"https://api.openai.com/v1
\"
OPENAI_ORG_ID=org-ZyXwVuTsRqPoNmLkJiHgFe
";

    pub const CLIENT: &str = "\
import os

from openai import OpenAI

# Büro Zürich – shared client
client = OpenAI(
    api_key=os.environ[\"OPENAI_API_KEY\"],
    organization=\"org-AbCdEfGhIjKlMnOpQrStUv\",
)
greeting = \"¡Hola, señor!\"; project = \"proj_AbCdEfGhIjKl\"
";

    pub struct Fixture {
        pub findings: Vec<Finding>,
        pub summary: Summary,
        pub sources: HashMap<String, Arc<Source>>,
    }

    /// The span of the `nth` (0-based) occurrence of `needle` in `text`.
    fn find(text: &str, needle: &str, nth: usize) -> Span {
        let start = text
            .match_indices(needle)
            .nth(nth)
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("{needle:?} not in fixture"));
        Span::new(start, start + needle.len())
    }

    struct Spec<'a> {
        code: &'a str,
        name: &'a str,
        severity: Severity,
        path: &'a str,
        span: Span,
        message: &'a str,
        help: &'a str,
    }

    fn finding(sources: &HashMap<String, Arc<Source>>, s: Spec<'_>) -> Finding {
        let (start, end) = match sources.get(s.path) {
            Some(src) => (src.position(s.span.start), src.position(s.span.end)),
            // An unreadable file: the position the rule recorded.
            None => (
                crate::source::Position {
                    line: 3,
                    column: 11,
                },
                crate::source::Position {
                    line: 3,
                    column: 62,
                },
            ),
        };
        Finding {
            code: s.code.to_string(),
            name: s.name.to_string(),
            severity: s.severity,
            path: s.path.to_string(),
            span: s.span,
            start,
            end,
            message: s.message.to_string(),
            help: s.help.to_string(),
            fingerprint: fingerprint(s.code, s.path, s.message),
            related: Vec::new(),
            fix: None,
        }
    }

    fn related(src: &Source, path: &str, span: Span, message: &str) -> Related {
        Related {
            path: path.to_string(),
            span,
            start: src.position(span.start),
            message: message.to_string(),
        }
    }

    impl Fixture {
        pub fn new() -> Self {
            let env = Arc::new(Source::new(ENV.to_string()));
            let client = Arc::new(Source::new(CLIENT.to_string()));
            let mut sources = HashMap::new();
            sources.insert(".env".to_string(), env.clone());
            sources.insert("app/client.py".to_string(), client.clone());

            // The empty value right after `OPENAI_API_KEY=`.
            let eq = find(ENV, "OPENAI_API_KEY=", 0).end;
            let empty = finding(
                &sources,
                Spec {
                    code: "KEY002",
                    name: "empty-api-key",
                    severity: Severity::Warning,
                    path: ".env",
                    span: Span::new(eq, eq),
                    message: "OPENAI_API_KEY is set to an empty value",
                    help: "set a key or delete the line: an empty value hides the one in your environment",
                },
            );

            let open = find(ENV, "\"https", 0).start;
            let close = ENV.rfind("\"\n").unwrap() + 1;
            let multiline = finding(
                &sources,
                Spec {
                    code: "ENV004",
                    name: "multiline-value",
                    severity: Severity::Info,
                    path: ".env",
                    span: Span::new(open, close),
                    message: "value of OPENAI_BASE_URL spans 2 lines: the closing quote is on line 5",
                    help: "close the quote on the same line: the newline becomes part of the URL",
                },
            );

            let mut duplicate = finding(
                &sources,
                Spec {
                    code: "ENV001",
                    name: "duplicate-variable",
                    severity: Severity::Warning,
                    path: ".env",
                    span: find(ENV, "OPENAI_ORG_ID", 1),
                    message: "OPENAI_ORG_ID is defined twice; this definition wins",
                    help: "delete one of the two definitions",
                },
            );
            duplicate.related.push(related(
                &env,
                ".env",
                find(ENV, "OPENAI_ORG_ID", 0),
                "first defined here",
            ));

            let mut org = finding(
                &sources,
                Spec {
                    code: "ORG001",
                    name: "hardcoded-organization-id",
                    severity: Severity::Error,
                    path: "app/client.py",
                    span: find(CLIENT, "\"org-AbCdEfGhIjKlMnOpQrStUv\"", 0),
                    message: "organization ID org-AbCdEfGhIjKlMnOpQrStUv is hardcoded in source",
                    help: "delete `organization=` and set OPENAI_ORG_ID in .env, or drop it: a key already belongs to an organization",
                },
            );
            org.related.push(related(
                &env,
                ".env",
                find(ENV, "OPENAI_ORG_ID=org-AbCdEfGhIjKlMnOpQrStUv", 0),
                "OPENAI_ORG_ID is set here",
            ));

            let mut project = finding(
                &sources,
                Spec {
                    code: "PRJ001",
                    name: "hardcoded-project-id",
                    severity: Severity::Warning,
                    path: "app/client.py",
                    span: find(CLIENT, "\"proj_AbCdEfGhIjKl\"", 0),
                    message: "project ID proj_AbCdEfGhIjKl is hardcoded in source",
                    help: "set OPENAI_PROJECT_ID in .env instead",
                },
            );
            project.related.push(Related {
                path: "deploy/settings.ini".to_string(),
                span: Span::new(40, 57),
                start: crate::source::Position {
                    line: 4,
                    column: 12,
                },
                message: "OPENAI_PROJECT_ID is also set here".to_string(),
            });

            let unreadable = finding(
                &sources,
                Spec {
                    code: "KEY001",
                    name: "hardcoded-api-key",
                    severity: Severity::Error,
                    path: "config/secrets.toml",
                    span: Span::new(60, 111),
                    message: "OpenAI API key sk-proj-…Ab3d is hardcoded",
                    help: "move the key to .env (ignored by git) and revoke this one",
                },
            );

            let findings = vec![empty, multiline, duplicate, org, project, unreadable];
            let mut summary = Summary {
                files_scanned: 120,
                skipped: BTreeMap::from([("binary", 2), ("too large", 1), ("unreadable", 1)]),
                ..Summary::default()
            };
            summary.count(&findings);
            Fixture {
                findings,
                summary,
                sources,
            }
        }

        pub fn report(&self, color: bool) -> Report<'_> {
            Report {
                rules: crate::rule::builtin(),
                providers: crate::provider::Providers::builtin(),
                findings: &self.findings,
                summary: &self.summary,
                sources: &self.sources,
                color,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn summary(files: usize, errors: usize, warnings: usize, infos: usize) -> Summary {
        Summary {
            files_scanned: files,
            findings: errors + warnings + infos,
            errors,
            warnings,
            infos,
            skipped: Default::default(),
            folders_skipped: Default::default(),
        }
    }

    #[test]
    fn summary_line_counts_and_plurals() {
        assert_eq!(
            summary_line(&summary(120, 2, 1, 0)),
            "Found 3 problems (2 errors, 1 warning) in 120 files."
        );
        assert_eq!(
            summary_line(&summary(1, 1, 0, 0)),
            "Found 1 problem (1 error, 0 warnings) in 1 file."
        );
        assert_eq!(
            summary_line(&summary(7, 0, 2, 1)),
            "Found 3 problems (0 errors, 2 warnings, 1 info) in 7 files."
        );
        assert_eq!(
            summary_line(&summary(7, 0, 0, 2)),
            "Found 2 problems (0 errors, 0 warnings, 2 infos) in 7 files."
        );
        assert_eq!(
            summary_line(&summary(120, 0, 0, 0)),
            "No problems found in 120 files."
        );
        assert_eq!(
            summary_line(&summary(1, 0, 0, 0)),
            "No problems found in 1 file."
        );
        assert_eq!(
            summary_line(&summary(0, 0, 0, 0)),
            "No problems found in 0 files."
        );
    }

    #[test]
    fn summary_line_skipped_files() {
        let mut s = summary(120, 2, 1, 0);
        s.skipped.insert("binary", 2);
        s.skipped.insert("too large", 1);
        s.skipped.insert("unreadable", 1);
        assert_eq!(
            summary_line(&s),
            "Found 3 problems (2 errors, 1 warning) in 120 files. \
             Skipped 4 files (2 binary, 1 too large, 1 unreadable)."
        );
        let mut s = summary(3, 0, 0, 0);
        s.skipped.insert("binary", 1);
        assert_eq!(
            summary_line(&s),
            "No problems found in 3 files. Skipped 1 file (1 binary)."
        );
        // Nouns agree with their counts; folders are not counted as files.
        let mut s = summary(3, 0, 0, 0);
        s.skipped.insert("symlink", 6);
        s.skipped.insert("not a regular file", 2);
        s.folders_skipped.insert("symlink", 1);
        s.folders_skipped.insert("unreadable", 2);
        assert_eq!(
            summary_line(&s),
            "No problems found in 3 files. Skipped 8 files (2 not regular files, 6 symlinks) \
             and 3 folders (1 symlink, 2 unreadable)."
        );
        let mut s = summary(0, 0, 0, 0);
        s.folders_skipped.insert("unreadable", 1);
        assert_eq!(
            summary_line(&s),
            "No problems found in 0 files. Skipped 1 folder (1 unreadable)."
        );
    }

    #[test]
    fn escape_control_leaves_plain_text_alone() {
        assert!(matches!(escape_control("Büro ✓"), Cow::Borrowed(_)));
        assert_eq!(
            escape_control("a\tb\u{1b}[0m\u{202e}"),
            "a\\tb\\u{1b}[0m\\u{202e}"
        );
    }
}
