//! `credlint check --statistics`: how many findings each rule has, in place
//! of the findings themselves, as ruff's `--statistics` does (which mimics
//! flake8's): one line per rule that fired, `count<TAB>CODE<TAB>name`, the
//! count right-aligned and the code padded, sorted by count (most first),
//! then by code. The CLI prints the summary line after them, as after
//! findings. With `--format json` it is a JSON array of
//! `{"code", "name", "severity", "count"}` in the same order; the other
//! formats have no statistics form.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::finding::{Finding, Severity};

/// The findings of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statistic<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub severity: Severity,
    pub count: usize,
}

/// Counts per rule, most first, then by code.
pub fn count(findings: &[Finding]) -> Vec<Statistic<'_>> {
    let mut by_code: BTreeMap<&str, Statistic<'_>> = BTreeMap::new();
    for f in findings {
        by_code
            .entry(&f.code)
            .or_insert(Statistic {
                code: &f.code,
                name: &f.name,
                severity: f.severity,
                count: 0,
            })
            .count += 1;
    }
    let mut stats: Vec<Statistic<'_>> = by_code.into_values().collect();
    // stable: ties keep the code order of the map
    stats.sort_by_key(|s| std::cmp::Reverse(s.count));
    stats
}

/// The text form: `count<TAB>CODE<TAB>name` lines; nothing without findings.
pub fn render_text(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let stats = count(findings);
    let count_width = stats
        .iter()
        .map(|s| s.count.to_string().len())
        .max()
        .unwrap_or(1);
    let code_width = stats.iter().map(|s| s.code.len()).max().unwrap_or(0);
    for s in &stats {
        writeln!(
            out,
            "{:>count_width$}\t{:<code_width$}\t{}",
            s.count, s.code, s.name
        )?;
    }
    Ok(())
}

/// The JSON form: an array, `[]` without findings.
pub fn render_json(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &count(findings))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::super::test_fixtures::Fixture;
    use super::*;

    fn fixture() -> Fixture {
        let mut fx = Fixture::new();
        // KEY002 ×3, ORG001 ×2, one each of the rest
        let extra = [0, 0, 3];
        for i in extra {
            let f = fx.findings[i].clone();
            fx.findings.push(f);
        }
        fx
    }

    #[test]
    fn counts_sorted_by_count_then_code() {
        let fx = fixture();
        let stats = count(&fx.findings);
        let got: Vec<(usize, &str)> = stats.iter().map(|s| (s.count, s.code)).collect();
        assert_eq!(
            got,
            [
                (3, "KEY002"),
                (2, "ORG001"),
                (1, "ENV001"),
                (1, "ENV004"),
                (1, "KEY001"),
                (1, "PRJ001"),
            ]
        );
    }

    #[test]
    fn text_lines() {
        let fx = fixture();
        let mut out = Vec::new();
        render_text(&fx.findings, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\
3\tKEY002\tempty-api-key
2\tORG001\thardcoded-organization-id
1\tENV001\tduplicate-variable
1\tENV004\tmultiline-value
1\tKEY001\thardcoded-api-key
1\tPRJ001\thardcoded-project-id
"
        );
    }

    #[test]
    fn counts_are_right_aligned_and_codes_padded() {
        let mut fx = Fixture::new();
        fx.findings.truncate(2);
        fx.findings[1].code = "X1".to_string();
        let f = fx.findings[0].clone();
        for _ in 0..10 {
            fx.findings.push(f.clone());
        }
        let mut out = Vec::new();
        render_text(&fx.findings, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "11\tKEY002\tempty-api-key\n 1\tX1    \tmultiline-value\n"
        );
    }

    #[test]
    fn json_array() {
        let fx = fixture();
        let mut out = Vec::new();
        render_json(&fx.findings, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v[0],
            serde_json::json!({"code": "KEY002", "name": "empty-api-key", "severity": "warning", "count": 3})
        );
        assert_eq!(v.as_array().unwrap().len(), 6);
    }

    #[test]
    fn nothing_to_count() {
        let mut out = Vec::new();
        render_text(&[], &mut out).unwrap();
        assert!(out.is_empty());
        render_json(&[], &mut out).unwrap();
        assert_eq!(out, b"[]\n");
    }
}
