//! The `sarif` format: one SARIF 2.1.0 log (OASIS Standard, errata 01) with
//! one run, shaped for GitHub code scanning (`codeql-action/upload-sarif`).
//!
//! - `tool.driver.rules` lists every built-in rule, not only those that
//!   fired, so that a viewer can show any rule's help: `shortDescription` is
//!   the rule's summary, `fullDescription` its "What it does" paragraph, and
//!   `help` the whole documentation (`credlint rule CODE`) as text and
//!   Markdown. `helpUri` is the rule's page,
//!   `<repository>/blob/main/docs/rules/CODE.md` (generated from the rule's
//!   data file, see [`crate::rule::spec::doc_url_in`]), and `informationUri`
//!   the repository; both come from `package.repository` in `Cargo.toml`
//!   (left out if it were unset: SARIF makes them optional).
//! - A result's `message.text` is the finding's message, then a blank line
//!   and `help: …` (SARIF `fixes` are for machine-applicable edits, which
//!   credlint does not make).
//! - Locations are relative to `%SRCROOT%` (the folder credlint ran in);
//!   a path outside it is an absolute `file://` URI. Columns count Unicode
//!   code points, as everywhere in credlint, declared by `columnKind`.
//! - `partialFingerprints["credlint/v1"]` is the finding's fingerprint (made
//!   unique within the log, see [`super::unique_fingerprints`]), so alerts
//!   survive lines moving.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::finding::{Finding, Related, Severity};
use crate::rule::{RuleSet, RuleSpec};

/// The `$schema` of the log: the OASIS schema this output is tested against
/// (vendored in `tests/data/`).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of credlint's fingerprint in `partialFingerprints`; the version
/// changes if the fingerprint's recipe ever does.
pub const FINGERPRINT_KEY: &str = "credlint/v1";

/// The base that relative artifact URIs resolve against.
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'a str>,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Help>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

/// The SARIF `level` of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The repository URL from `Cargo.toml` (`package.repository`), if set.
fn repository() -> Option<&'static str> {
    let r = crate::rule::spec::REPOSITORY.trim_end_matches('/');
    (!r.is_empty()).then_some(r)
}

pub fn render(report: &super::Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    render_with(report, report.rules, repository(), out)
}

/// Render with an explicit rule set and repository URL (tests use small ones).
pub(crate) fn render_with(
    report: &super::Report<'_>,
    rules: &RuleSet,
    repository: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut descriptors: Vec<Descriptor<'_>> =
        rules.iter().map(|r| descriptor(r, repository)).collect();
    let mut index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.as_str(), i))
        .collect();
    // A finding of a rule the set does not know (none today) still gets a
    // descriptor, so that every ruleIndex points at its rule.
    for f in report.findings {
        if !index.contains_key(f.code.as_str()) {
            index.insert(&f.code, descriptors.len());
            descriptors.push(Descriptor {
                id: &f.code,
                name: &f.name,
                short_description: None,
                full_description: None,
                help: None,
                help_uri: None,
                default_configuration: Configuration {
                    level: level(f.severity),
                },
            });
        }
    }
    let fingerprints = super::unique_fingerprints(report.findings);
    let results = report
        .findings
        .iter()
        .zip(fingerprints)
        .map(|(f, fp)| SarifResult {
            rule_id: &f.code,
            rule_index: index.get(f.code.as_str()).copied().unwrap_or(0),
            level: level(f.severity),
            message: Text {
                text: message_text(f),
            },
            locations: [Location {
                id: None,
                physical_location: physical(&f.path, region(f)),
                message: None,
            }],
            related_locations: f
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| related(i, r))
                .collect(),
            partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fp.into_owned())]),
        })
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "credlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: repository,
                    rules: descriptors,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

fn descriptor<'a>(r: &'a RuleSpec, repository: Option<&str>) -> Descriptor<'a> {
    Descriptor {
        id: &r.code,
        name: &r.name,
        short_description: Some(Text {
            text: r.summary.trim().to_string(),
        }),
        full_description: Some(Text {
            text: unwrap_lines(&r.docs.what),
        }),
        help: Some(Help {
            text: help_text(r, false),
            markdown: help_text(r, true),
        }),
        help_uri: repository.map(|repo| crate::rule::spec::doc_url_in(repo, &r.code)),
        default_configuration: Configuration {
            level: level(r.severity),
        },
    }
}

/// A rule's documentation under the headings `credlint rule CODE` prints:
/// Markdown headings, or plain ones for the text variant. The bodies are
/// Markdown already (fenced examples read fine as plain text too).
fn help_text(r: &RuleSpec, markdown: bool) -> String {
    let mut s = String::new();
    if markdown {
        let _ = write!(s, "**{}** ({}): {}", r.code, r.name, r.summary.trim());
    } else {
        let _ = write!(s, "{} ({}): {}", r.code, r.name, r.summary.trim());
    }
    for (title, body) in crate::rule::spec::doc_sections(&r.docs) {
        let body = body.trim();
        if body.is_empty() {
            continue;
        }
        if markdown {
            let _ = write!(s, "\n\n## {title}\n\n{body}");
        } else {
            let _ = write!(s, "\n\n{title}\n\n{body}");
        }
    }
    s.push('\n');
    s
}

/// Prose hard-wrapped in the rule file, as one line per paragraph: viewers
/// show `fullDescription` as plain text, where the file's line breaks would
/// land mid-sentence.
fn unwrap_lines(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The result message: the finding's message, then its help line.
fn message_text(f: &Finding) -> String {
    if f.help.is_empty() {
        f.message.clone()
    } else {
        format!("{}\n\nhelp: {}", f.message, f.help)
    }
}

fn region(f: &Finding) -> Region {
    Region {
        start_line: f.start.line.max(1),
        start_column: f.start.column.max(1),
        end_line: Some(f.end.line.max(f.start.line).max(1)),
        end_column: Some(f.end.column.max(1)),
    }
}

fn related(i: usize, r: &Related) -> Location {
    Location {
        id: Some(i + 1),
        physical_location: physical(
            &r.path,
            Region {
                start_line: r.start.line.max(1),
                start_column: r.start.column.max(1),
                end_line: None,
                end_column: None,
            },
        ),
        message: Some(Text {
            text: r.message.clone(),
        }),
    }
}

fn physical(path: &str, region: Region) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact(path),
        region,
    }
}

/// The artifact location of a reported path: a relative URI reference
/// against `%SRCROOT%`, or a `file://` URI for an absolute path (one outside
/// the folder credlint ran in).
fn artifact(path: &str) -> ArtifactLocation {
    let drive = path.len() >= 3
        && path.as_bytes()[0].is_ascii_alphabetic()
        && path.as_bytes()[1] == b':'
        && matches!(path.as_bytes()[2], b'/' | b'\\');
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", encode_path(path, false)),
            uri_base_id: None,
        }
    } else if drive {
        let path = path.replace('\\', "/");
        ArtifactLocation {
            uri: format!("file:///{}{}", &path[..2], encode_path(&path[2..], false)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_path(path, true),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// Percent-encode a `/`-separated path as a URI path (RFC 3986): unreserved
/// characters, sub-delimiters, `@` and `/` stay, every other byte of the
/// UTF-8 text is `%XX`. `:` is encoded too in a relative reference, where it
/// would otherwise read as a scheme (`c:odd/name`).
pub fn encode_path(path: &str, relative: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            )
            || (b == b':' && !relative);
        if keep {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_fixtures::Fixture;
    use super::*;

    /// Two small rules, so that the snapshot shows the descriptor shape
    /// without churning whenever a built-in rule's docs change.
    fn rules() -> RuleSet {
        let example = r#"
[[examples]]
description = "x"
files = { ".env" = "X=\n" }
expect = [".env:1:1"]

[[negative_examples]]
description = "y"
files = { ".env" = "" }
"#;
        let key002 = format!(
            r#"code = "KEY002"
name = "empty-api-key"
severity = "error"
summary = "A key setting is empty."
message = "key is empty"
help = "set it"

[docs]
what = "Finds empty keys.\n"
why = "An empty key is sent as `Bearer `.\n"
example = "```sh\nOPENAI_API_KEY=\n```\n"
fix = "Set the key.\n"
{example}"#
        );
        let org001 = format!(
            r#"code = "ORG001"
name = "hardcoded-organization-id"
severity = "warning"
summary = "An organization ID is hardcoded."
message = "org is hardcoded"
help = "use the env"

[docs]
what = "Finds org IDs in code.\n"
why = "They go stale.\n"
example = ""
fix = "Move it to `.env`.\n"
{example}"#
        );
        RuleSet::load(&[
            ("rules/KEY002.toml", key002.as_str()),
            ("rules/ORG001.toml", org001.as_str()),
        ])
        .unwrap()
    }

    fn render_string(fx: &Fixture, repository: Option<&str>) -> String {
        let mut out = Vec::new();
        render_with(&fx.report(false), &rules(), repository, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn stable(text: &str) -> String {
        text.replace(
            &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
            "\"[version]\"",
        )
    }

    #[test]
    fn log() {
        let fx = Fixture::new();
        let text = render_string(&fx, Some("https://example.invalid/credlint"));
        assert!(text.ends_with("}\n"));
        insta::assert_snapshot!(stable(&text));
    }

    #[test]
    fn log_is_valid_against_the_oasis_schema() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/sarif-schema-2.1.0.json"
        );
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let validator = jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        // `uri-reference` is not a draft-04 format: check it with draft-07
        let uri_ref = jsonschema::draft7::options()
            .should_validate_formats(true)
            .build(&serde_json::json!({"format": "uri-reference"}))
            .unwrap();
        let mut fx = Fixture::new();
        // odd paths too: they must still be valid URI references
        let odd = [
            "my dir/100%/Zürich#1.env",
            "/abs/pa th/.env",
            "c:x/[a]?.env",
            "C:/w/a b",
        ];
        for (f, path) in fx.findings.iter_mut().zip(odd) {
            f.path = path.to_string();
        }
        for repository in [None, Some("https://example.invalid/credlint")] {
            let v: serde_json::Value =
                serde_json::from_str(&render_string(&fx, repository)).unwrap();
            let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{errors:#?}");
            for r in v["runs"][0]["results"].as_array().unwrap() {
                let uri = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
                assert!(uri_ref.is_valid(uri), "{uri}");
            }
        }
        assert!(!uri_ref.is_valid(&serde_json::json!("my dir/x")));
    }

    #[test]
    fn rule_indexes_point_at_their_rule() {
        let fx = Fixture::new();
        let v: serde_json::Value = serde_json::from_str(&render_string(&fx, None)).unwrap();
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        // the two known rules first, in code order, then the fixture's
        // unknown codes in report order
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            ["KEY002", "ORG001", "ENV004", "ENV001", "PRJ001", "KEY001"]
        );
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), fx.findings.len());
        for r in results {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
        // no repository: no URIs at all
        assert!(run["tool"]["driver"].get("informationUri").is_none());
        assert!(rules.iter().all(|r| r.get("helpUri").is_none()));
    }

    #[test]
    fn levels_regions_and_fingerprints() {
        let fx = Fixture::new();
        let v: serde_json::Value = serde_json::from_str(&render_string(&fx, None)).unwrap();
        let results = v["runs"][0]["results"].as_array().unwrap();
        let levels: Vec<&str> = results
            .iter()
            .map(|r| r["level"].as_str().unwrap())
            .collect();
        assert_eq!(
            levels,
            ["warning", "note", "warning", "error", "warning", "error"]
        );
        // zero-length span: an insertion point, start == end
        let region = &results[0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 2);
        assert_eq!(region["startColumn"], 16);
        assert_eq!(region["endLine"], 2);
        assert_eq!(region["endColumn"], 16);
        // multi-line span
        let region = &results[1]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 4);
        assert_eq!(region["endLine"], 5);
        assert_eq!(region["endColumn"], 2);
        for (r, f) in results.iter().zip(&fx.findings) {
            assert_eq!(
                r["partialFingerprints"]["credlint/v1"],
                f.fingerprint.as_str()
            );
            let text = r["message"]["text"].as_str().unwrap();
            assert_eq!(text, format!("{}\n\nhelp: {}", f.message, f.help));
        }
        // related locations carry their own message and an id
        let related = results[3]["relatedLocations"].as_array().unwrap();
        assert_eq!(related.len(), 1);
        assert_eq!(related[0]["id"], 1);
        assert_eq!(related[0]["message"]["text"], "OPENAI_ORG_ID is set here");
        assert_eq!(
            related[0]["physicalLocation"]["artifactLocation"]["uri"],
            ".env"
        );
        assert!(results[0].get("relatedLocations").is_none());
    }

    #[test]
    fn repeated_fingerprints_are_made_unique() {
        let mut fx = Fixture::new();
        let twin = fx.findings[3].clone();
        fx.findings.insert(4, twin);
        let v: serde_json::Value = serde_json::from_str(&render_string(&fx, None)).unwrap();
        let fps: Vec<&str> = v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["credlint/v1"].as_str().unwrap())
            .collect();
        let mut unique = fps.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), fps.len());
        assert_eq!(fps[3], fx.findings[3].fingerprint);
        assert_ne!(fps[4], fx.findings[4].fingerprint);
        assert_eq!(fps[4].len(), fx.findings[4].fingerprint.len());
    }

    #[test]
    fn uris_are_encoded_relative_references() {
        assert_eq!(artifact("app/client.py").uri, "app/client.py");
        assert_eq!(artifact("app/client.py").uri_base_id, Some(SRCROOT));
        assert_eq!(
            artifact("my dir/100%/a#b?c.env").uri,
            "my%20dir/100%25/a%23b%3Fc.env"
        );
        assert_eq!(artifact("c:odd/Zürich.env").uri, "c%3Aodd/Z%C3%BCrich.env");
        assert_eq!(artifact("../sibling/.env").uri, "../sibling/.env");
        let abs = artifact("/srv/app/.env");
        assert_eq!(abs.uri, "file:///srv/app/.env");
        assert_eq!(abs.uri_base_id, None);
        assert_eq!(artifact("C:/work/a b.py").uri, "file:///C:/work/a%20b.py");
        assert_eq!(artifact("odd\nname").uri, "odd%0Aname");
    }

    #[test]
    fn full_description_is_unwrapped() {
        assert_eq!(
            unwrap_lines("Finds keys\n  in files.\n\nSecond\nparagraph.\n"),
            "Finds keys in files.\n\nSecond paragraph."
        );
    }

    #[test]
    fn help_has_the_rule_docs() {
        let rules = rules();
        let r = rules.get("KEY002").unwrap();
        let md = help_text(r, true);
        assert!(md.starts_with("**KEY002** (empty-api-key): A key setting is empty."));
        assert!(md.contains("\n\n## Why is this bad?\n\nAn empty key is sent as `Bearer `.\n"));
        assert!(md.contains("```sh\nOPENAI_API_KEY=\n```"));
        let text = help_text(r, false);
        assert!(text.contains("\n\nFix\n\nSet the key.\n"));
        assert!(!text.contains("## "));
        // an empty section is left out
        let org = help_text(rules.get("ORG001").unwrap(), true);
        assert!(!org.contains("## Example"));
    }

    #[test]
    fn every_builtin_rule_is_described() {
        let fx = Fixture::new();
        let mut out = Vec::new();
        render(&fx.report(false), &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        for spec in crate::rule::builtin().iter() {
            let d = rules
                .iter()
                .find(|d| d["id"] == spec.code.as_str())
                .unwrap_or_else(|| panic!("{} not described", spec.code));
            assert_eq!(d["name"], spec.name.as_str());
            assert!(d["help"]["markdown"].as_str().unwrap().contains("## Fix"));
            assert_eq!(d["defaultConfiguration"]["level"], level(spec.severity));
        }
    }
}
