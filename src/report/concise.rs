//! The `concise` format: one line per finding, `path:line:col: CODE message`,
//! and nothing else (the CLI prints the summary line after it).

use std::io::{self, Write};

use super::escape_control;

pub fn render(report: &super::Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    for f in report.findings {
        writeln!(
            out,
            "{}:{}:{}: {} {}",
            escape_control(&f.path),
            f.start.line,
            f.start.column,
            f.code,
            escape_control(&f.message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_fixtures::Fixture;
    use super::*;

    #[test]
    fn one_line_per_finding() {
        let fx = Fixture::new();
        let mut out = Vec::new();
        render(&fx.report(false), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\
.env:2:16: KEY002 OPENAI_API_KEY is set to an empty value
.env:4:17: ENV004 value of OPENAI_BASE_URL spans 2 lines: the closing quote is on line 5
.env:6:1: ENV001 OPENAI_ORG_ID is defined twice; this definition wins
app/client.py:8:18: ORG001 organization ID org-AbCdEfGhIjKlMnOpQrStUv is hardcoded in source
app/client.py:10:39: PRJ001 project ID proj_AbCdEfGhIjKl is hardcoded in source
config/secrets.toml:3:11: KEY001 OpenAI API key sk-proj-…Ab3d is hardcoded
"
        );
    }

    #[test]
    fn control_characters_cannot_split_a_line() {
        let mut fx = Fixture::new();
        fx.findings.truncate(1);
        fx.findings[0].path = "odd\nname\u{1b}[2J.env".to_string();
        fx.findings[0].message = "a\r\nb".to_string();
        let mut out = Vec::new();
        render(&fx.report(false), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "odd\\nname\\u{1b}[2J.env:2:16: KEY002 a\\r\\nb\n");
    }

    #[test]
    fn no_findings_no_output() {
        let mut fx = Fixture::new();
        fx.findings.clear();
        let mut out = Vec::new();
        render(&fx.report(false), &mut out).unwrap();
        assert!(out.is_empty());
    }
}
