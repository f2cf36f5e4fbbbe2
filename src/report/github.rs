//! The `github` format: one GitHub Actions workflow command per finding,
//! which the runner turns into an annotation on the file and line:
//!
//! ```text
//! ::error file=app/client.py,line=8,col=18,endLine=8,endColumn=46,title=ORG001 hardcoded-organization-id::organization ID … is hardcoded%0Ahelp: …
//! ```
//!
//! Errors are `::error`, warnings `::warning`, infos `::notice`. The message
//! is the finding's message and, on a second line, its help. Values are
//! escaped as the Actions toolkit does (`@actions/core`): in the message
//! `%` `\r` `\n` become `%25` `%0D` `%0A`; in properties `:` and `,` also
//! become `%3A` `%2C`. Other control characters are shown escaped (`\t`,
//! `\u{1b}`), so nothing from a scanned file can end the command early,
//! start another one, or drive the log viewer. Columns are given only for a
//! single-line finding: GitHub ignores them on a multi-line annotation.
//! Paths are relative to the folder credlint ran in: run it from the
//! repository root for the annotations to land on the files.

use std::io::{self, Write};

use super::needs_escape;
use crate::finding::{Finding, Severity};

/// The workflow command of a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub fn render(report: &super::Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    for f in report.findings {
        writeln!(out, "{}", line(f))?;
    }
    Ok(())
}

/// One finding's workflow command, without the line break.
pub fn line(f: &Finding) -> String {
    let mut props = vec![
        ("file", escape_property(&f.path)),
        ("line", f.start.line.to_string()),
    ];
    if f.start.line == f.end.line {
        props.push(("col", f.start.column.to_string()));
        props.push(("endLine", f.end.line.to_string()));
        props.push(("endColumn", f.end.column.to_string()));
    } else {
        props.push(("endLine", f.end.line.to_string()));
    }
    props.push(("title", escape_property(&format!("{} {}", f.code, f.name))));
    let props: Vec<String> = props.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut message = f.message.clone();
    if !f.help.is_empty() {
        message.push_str("\nhelp: ");
        message.push_str(&f.help);
    }
    format!(
        "::{} {}::{}",
        command(f.severity),
        props.join(","),
        escape_data(&message)
    )
}

/// Escape a command's message (`escapeData` in `@actions/core`).
pub fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// Escape a command property (`escapeProperty` in `@actions/core`).
pub fn escape_property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if needs_escape(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
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
    fn one_command_per_finding() {
        let fx = Fixture::new();
        insta::assert_snapshot!(render_string(&fx));
    }

    #[test]
    fn severities_and_columns() {
        let fx = Fixture::new();
        let text = render_string(&fx);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), fx.findings.len());
        assert!(lines[0].starts_with("::warning file=.env,line=2,col=16,endLine=2,endColumn=16,"));
        // the multi-line finding: lines only
        assert!(
            lines[1]
                .starts_with("::notice file=.env,line=4,endLine=5,title=ENV004 multiline-value::")
        );
        assert!(lines[3].starts_with("::error file=app/client.py,line=8,col=18,"));
        assert!(lines[3].contains(",title=ORG001 hardcoded-organization-id::"));
        assert!(lines[3].ends_with(
            "::organization ID org-AbCdEfGhIjKlMnOpQrStUv is hardcoded in source%0Ahelp: \
             delete `organization=` and set OPENAI_ORG_ID in .env, or drop it: a key already \
             belongs to an organization"
        ));
    }

    #[test]
    fn data_escaping() {
        assert_eq!(escape_data("100% sure"), "100%25 sure");
        assert_eq!(escape_data("a\r\nb"), "a%0D%0Ab");
        // `%` first: an already-escaped sequence is not decoded by GitHub
        assert_eq!(escape_data("%0A"), "%250A");
        // `:` and `,` are fine in the message
        assert_eq!(escape_data("a: b, c"), "a: b, c");
        assert_eq!(
            escape_data("tab\there\u{1b}[2J\u{202e}"),
            "tab\\there\\u{1b}[2J\\u{202e}"
        );
    }

    #[test]
    fn property_escaping() {
        assert_eq!(escape_property("dir,x/a:b.env"), "dir%2Cx/a%3Ab.env");
        assert_eq!(escape_property("50%\n"), "50%25%0A");
        assert_eq!(escape_property("Zürich ✓"), "Zürich ✓");
    }

    #[test]
    fn hostile_path_and_message_cannot_start_another_command() {
        let mut fx = Fixture::new();
        fx.findings.truncate(1);
        fx.findings[0].path = "a,line=1::x\n::error file=evil::owned.env".to_string();
        fx.findings[0].message = "m\n::warning::injected".to_string();
        fx.findings[0].help = String::new();
        let text = render_string(&fx);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert_eq!(
            text,
            "::warning file=a%2Cline=1%3A%3Ax%0A%3A%3Aerror file=evil%3A%3Aowned.env,\
             line=2,col=16,endLine=2,endColumn=16,title=KEY002 empty-api-key::\
             m%0A::warning::injected\n"
        );
    }

    #[test]
    fn no_findings_no_output() {
        let mut fx = Fixture::new();
        fx.findings.clear();
        assert!(render_string(&fx).is_empty());
    }
}
