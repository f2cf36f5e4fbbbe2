//! The `gitlab` format: a GitLab Code Quality report (the subset of the Code
//! Climate issue format that GitLab reads), for
//! `artifacts: reports: codequality:`. One issue per finding:
//!
//! - `description`: the message, then ` — help: …`; GitLab shows one line.
//! - `check_name`: the rule code; `categories` and `type` as Code Climate
//!   has them.
//! - `fingerprint`: the finding's fingerprint, made unique within the report
//!   ([`super::unique_fingerprints`]): GitLab keeps one issue per fingerprint
//!   and compares them between the source and target branch.
//! - `severity`: **error → `critical`, warning → `major`, info → `info`**.
//!   An error is a request that fails with 401 or a key in the repository,
//!   a warning a configuration likely to fail. credlint has three levels, so
//!   GitLab's `minor` and `blocker` are not used.
//! - `location`: `path` and `lines {begin, end}`.

use std::io::{self, Write};

use serde::Serialize;

use crate::finding::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'a str,
    categories: [&'static str; 1],
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// The Code Quality severity of a finding's severity.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

pub fn render(report: &super::Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let fingerprints = super::unique_fingerprints(report.findings);
    let issues: Vec<Issue<'_>> = report
        .findings
        .iter()
        .zip(fingerprints)
        .map(|(f, fp)| Issue {
            kind: "issue",
            description: if f.help.is_empty() {
                f.message.clone()
            } else {
                format!("{} — help: {}", f.message, f.help)
            },
            check_name: &f.code,
            // Code Climate's category for credentials, ours being mostly
            // keys and the accounts they unlock.
            categories: ["Security"],
            fingerprint: fp.into_owned(),
            severity: severity(f.severity),
            location: Location {
                path: &f.path,
                lines: Lines {
                    begin: f.start.line.max(1),
                    end: f.end.line.max(f.start.line).max(1),
                },
            },
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::super::test_fixtures::Fixture;
    use super::*;

    fn render_value(fx: &Fixture) -> (String, serde_json::Value) {
        let mut out = Vec::new();
        render(&fx.report(false), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let v = serde_json::from_str(&text).unwrap();
        (text, v)
    }

    #[test]
    fn report() {
        let fx = Fixture::new();
        let (text, _) = render_value(&fx);
        insta::assert_snapshot!(text);
    }

    #[test]
    fn required_fields_and_mapping() {
        let fx = Fixture::new();
        let (_, v) = render_value(&fx);
        let issues = v.as_array().unwrap();
        assert_eq!(issues.len(), fx.findings.len());
        for (i, f) in issues.iter().zip(&fx.findings) {
            for k in ["description", "check_name", "fingerprint", "severity"] {
                assert!(i[k].is_string(), "{k}: {i}");
            }
            assert_eq!(i["check_name"], f.code.as_str());
            assert_eq!(i["location"]["path"], f.path.as_str());
            assert_eq!(i["location"]["lines"]["begin"], f.start.line);
            assert_eq!(i["location"]["lines"]["end"], f.end.line);
            assert!(i["description"].as_str().unwrap().starts_with(&f.message));
        }
        let severities: Vec<&str> = issues
            .iter()
            .map(|i| i["severity"].as_str().unwrap())
            .collect();
        assert_eq!(
            severities,
            ["major", "info", "major", "critical", "major", "critical"]
        );
        // the multi-line finding spans lines 4–5
        assert_eq!(issues[1]["location"]["lines"]["begin"], 4);
        assert_eq!(issues[1]["location"]["lines"]["end"], 5);
    }

    #[test]
    fn fingerprints_are_unique() {
        let mut fx = Fixture::new();
        let twin = fx.findings[0].clone();
        fx.findings.push(twin.clone());
        fx.findings.push(twin);
        let (_, v) = render_value(&fx);
        let mut fps: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(fps[0], fx.findings[0].fingerprint);
        fps.sort_unstable();
        let n = fps.len();
        fps.dedup();
        assert_eq!(fps.len(), n);
    }

    #[test]
    fn text_is_escaped_as_json() {
        let mut fx = Fixture::new();
        fx.findings.truncate(1);
        fx.findings[0].path = "dir \"x\"/a\\b\n.env".to_string();
        fx.findings[0].message = "line\nbreak \u{1b}".to_string();
        let (text, v) = render_value(&fx);
        assert!(text.contains(r#""path": "dir \"x\"/a\\b\n.env""#), "{text}");
        assert!(text.contains(r"line\nbreak \u001b"), "{text}");
        assert_eq!(v[0]["location"]["path"], "dir \"x\"/a\\b\n.env");
    }

    #[test]
    fn empty_report_is_an_empty_array() {
        let mut fx = Fixture::new();
        fx.findings.clear();
        let (text, _) = render_value(&fx);
        assert_eq!(text, "[]\n");
    }
}
