//! The `json` format: the document in SPEC §3. Field names and their order
//! are a contract: fields may be added, never renamed.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::finding::{Finding, Related, Severity};

/// The version of the document layout (`"version"`).
pub const DOCUMENT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    summary: SummaryDoc<'a>,
    findings: Vec<FindingDoc<'a>>,
}

/// Fields a command adds to the document, after the SPEC's: `credlint
/// history` adds the commit that introduced each finding.
#[derive(Debug, Default)]
pub struct Extra<'a> {
    /// Added to `summary`.
    pub summary: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// Added to each finding, in order (one map per finding, or none).
    pub findings: &'a [serde_json::Map<String, serde_json::Value>],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct SummaryDoc<'a> {
    files_scanned: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Files not scanned, by reason (added to the SPEC layout).
    skipped: &'a BTreeMap<&'static str, usize>,
    /// Their total (added to the SPEC layout).
    files_skipped: usize,
    /// Folders not entered, by reason (added; only when there are some).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    folders_skipped: &'a BTreeMap<&'static str, usize>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    extra: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

#[derive(Serialize)]
struct FindingDoc<'a> {
    rule: &'a str,
    name: &'a str,
    severity: Severity,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: &'a str,
    fingerprint: &'a str,
    related: Vec<RelatedDoc<'a>>,
    /// The fix, when there is one (added to the SPEC layout).
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixDoc<'a>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    extra: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

#[derive(Serialize)]
struct FixDoc<'a> {
    applicability: &'static str,
    message: &'a str,
    edits: Vec<EditDoc<'a>>,
}

#[derive(Serialize)]
struct EditDoc<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    content: &'a str,
}

impl<'a> FixDoc<'a> {
    /// `None` for a fix whose content could be a key: never printed.
    fn new(fix: &'a crate::fix::Fix, providers: &crate::provider::Providers) -> Option<Self> {
        if fix.holds_secret(providers) {
            return None;
        }
        Some(FixDoc {
            applicability: fix.applicability.as_str(),
            message: &fix.description,
            edits: fix
                .edits
                .iter()
                .map(|e| EditDoc {
                    path: &e.path,
                    line: e.start.line,
                    column: e.start.column,
                    end_line: e.end.line,
                    end_column: e.end.column,
                    content: &e.content,
                })
                .collect(),
        })
    }
}

#[derive(Serialize)]
struct RelatedDoc<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

impl<'a> FindingDoc<'a> {
    /// A finding as written; its fix is left out if it could hold a key of
    /// `providers`.
    fn new(f: &'a Finding, providers: &crate::provider::Providers) -> Self {
        FindingDoc {
            rule: &f.code,
            name: &f.name,
            severity: f.severity,
            path: &f.path,
            line: f.start.line,
            column: f.start.column,
            end_line: f.end.line,
            end_column: f.end.column,
            message: &f.message,
            help: &f.help,
            fingerprint: &f.fingerprint,
            related: f.related.iter().map(RelatedDoc::from).collect(),
            fix: f.fix.as_ref().and_then(|fix| FixDoc::new(fix, providers)),
            extra: None,
        }
    }
}

impl<'a> From<&'a Related> for RelatedDoc<'a> {
    fn from(r: &'a Related) -> Self {
        RelatedDoc {
            path: &r.path,
            line: r.start.line,
            column: r.start.column,
            message: &r.message,
        }
    }
}

pub fn render(report: &super::Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    render_extended(report, &Extra::default(), out)
}

/// The document with `extra` fields after the SPEC's (fields are added,
/// never renamed).
pub fn render_extended(
    report: &super::Report<'_>,
    extra: &Extra<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let s = report.summary;
    let doc = Document {
        version: DOCUMENT_VERSION,
        tool: Tool {
            name: "credlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: SummaryDoc {
            files_scanned: s.files_scanned,
            findings: s.findings,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            skipped: &s.skipped,
            files_skipped: s.skipped_total(),
            folders_skipped: &s.folders_skipped,
            extra: extra.summary,
        },
        findings: report
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| FindingDoc {
                extra: extra.findings.get(i),
                ..FindingDoc::new(f, report.providers)
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::super::test_fixtures::Fixture;
    use super::*;

    fn render_string(fx: &Fixture) -> String {
        let mut out = Vec::new();
        render(&fx.report(false), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn document() {
        let fx = Fixture::new();
        let text = render_string(&fx);
        assert!(text.ends_with("}\n"));
        // The version is the crate's, so the snapshot does not churn on release.
        let text = text.replace(
            &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"version\": \"[version]\"",
        );
        insta::assert_snapshot!(text);
    }

    #[test]
    fn contract_fields_and_order() {
        let fx = Fixture::new();
        let text = render_string(&fx);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["tool"]["name"], "credlint");
        assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(v["summary"]["findings"], 6);
        assert_eq!(v["summary"]["files_skipped"], 4);
        assert_eq!(v["summary"]["skipped"]["too large"], 1);
        let findings = v["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 6);
        for f in findings {
            let keys: Vec<&str> = f.as_object().unwrap().keys().map(|k| k.as_str()).collect();
            assert!(f["related"].is_array(), "related is always present");
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            let mut expected = vec![
                "rule",
                "name",
                "severity",
                "path",
                "line",
                "column",
                "end_line",
                "end_column",
                "message",
                "help",
                "fingerprint",
                "related",
            ];
            expected.sort_unstable();
            assert_eq!(sorted, expected);
        }
        // Field order in the text is the SPEC's.
        let first = text.find("\"rule\"").unwrap();
        let order = [
            "\"rule\"",
            "\"name\"",
            "\"severity\"",
            "\"path\"",
            "\"line\"",
            "\"column\"",
            "\"end_line\"",
            "\"end_column\"",
            "\"message\"",
            "\"help\"",
            "\"fingerprint\"",
            "\"related\"",
        ];
        let positions: Vec<usize> = order
            .iter()
            .map(|key| text[first..].find(key).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        let zero = &findings[0];
        assert_eq!(zero["line"], 2);
        assert_eq!(zero["column"], 16);
        assert_eq!(zero["end_line"], 2);
        assert_eq!(zero["end_column"], 16);
        assert_eq!(zero["related"], serde_json::json!([]));
    }

    #[test]
    fn empty_report() {
        let mut fx = Fixture::new();
        fx.findings.clear();
        fx.summary = Default::default();
        let text = render_string(&fx);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["findings"], serde_json::json!([]));
        assert_eq!(v["summary"]["skipped"], serde_json::json!({}));
        assert_eq!(v["summary"]["files_skipped"], 0);
    }
}
