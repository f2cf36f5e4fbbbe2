//! The CI formats end to end, through the binary on the fixture
//! repositories: SARIF validated against the official OASIS schema and
//! checked for what GitHub code scanning needs, GitHub workflow commands,
//! GitLab Code Quality; and `--statistics`, `--output-file`.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

use common::fixture_repo;

const FIXTURES: [&str; 5] = [
    "python-app",
    "env-mistakes",
    "leaky-node",
    "clean-app",
    "configs",
];

fn credlint() -> Command {
    let mut c = Command::cargo_bin("credlint").expect("binary");
    c.env("CREDLINT_NO_CACHE", "1");
    c.env("NO_COLOR", "1");
    c
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = credlint()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).expect("schema file")).expect("schema");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// Schema violations, plus artifact URIs that are not URI references: the
/// schema says `"format": "uri-reference"`, a format that draft-04 (the
/// schema's draft) does not define, so the draft-04 validator skips it and
/// the draft-07 one checks it here.
fn schema_errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    let mut errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    let uri_ref = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&serde_json::json!({"type": "string", "format": "uri-reference"}))
        .expect("uri-reference schema");
    let mut stack = vec![doc];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(uri) = m.get("artifactLocation").and_then(|a| a.get("uri"))
                    && !uri_ref.is_valid(uri)
                {
                    errors.push(format!("not a URI reference: {uri}"));
                }
                stack.extend(m.values());
            }
            serde_json::Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    errors
}

#[test]
fn the_schema_rejects_what_it_should() {
    // The validation below is only worth something if the schema bites.
    let v = sarif_validator();
    let bad = [
        serde_json::json!({"version": "2.1.0"}),
        serde_json::json!({"version": "2.0.0", "runs": []}),
        serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}),
        serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
            "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}),
        serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
            "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation":
                {"artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}]}]}),
        serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
            "columnKind": "bytes"}]}),
        // formats are checked: a path with a space is not a URI reference
        serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
            "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation":
                {"artifactLocation": {"uri": "my dir/a b.env"}}}]}]}]}),
    ];
    for doc in &bad {
        assert!(!schema_errors(&v, doc).is_empty(), "accepted {doc}");
    }
    let ok = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation":
            {"artifactLocation": {"uri": "my%20dir/a%20b.env"}}}]}]}]});
    assert_eq!(schema_errors(&v, &ok), Vec::<String>::new());
}

#[test]
fn sarif_output_of_every_fixture_is_valid_sarif_2_1_0() {
    let v = sarif_validator();
    let mut results_seen = 0;
    for fixture in FIXTURES {
        let repo = fixture_repo(fixture);
        let (code, stdout, stderr) = run(repo.path(), &["check", "--format", "sarif"]);
        assert!(matches!(code, Some(0 | 1)), "{fixture}: {stderr}");
        let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
        let errors = schema_errors(&v, &doc);
        assert!(errors.is_empty(), "{fixture}: {errors:#?}");
        results_seen += doc["runs"][0]["results"].as_array().map_or(0, |r| r.len());
    }
    assert!(results_seen >= 5, "the fixtures produce results");
}

/// What GitHub code scanning needs beyond the schema: rules with ids that
/// results point at, a region with a start line, a relative URI with a
/// base, a fingerprint, and help for the rule.
#[test]
fn sarif_has_what_github_code_scanning_uses() {
    let repo = fixture_repo("python-app");
    let (code, stdout, _) = run(repo.path(), &["check", "--format", "sarif"]);
    assert_eq!(code, Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(doc["version"], "2.1.0");
    assert!(
        doc["$schema"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://"))
    );
    let runs = doc["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "credlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    let listed = run(repo.path(), &["rules"]).1;
    assert_eq!(
        rules.len(),
        listed.lines().count(),
        "every rule is described"
    );
    for r in rules {
        let id = r["id"].as_str().expect("id");
        assert!(listed.contains(id));
        for k in ["text", "markdown"] {
            assert!(
                r["help"][k]
                    .as_str()
                    .is_some_and(|t| t.contains("Why is this bad?")),
                "{id} help.{k}"
            );
        }
        assert!(r["shortDescription"]["text"].is_string());
        assert!(r["fullDescription"]["text"].is_string());
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap_or(""))
        );
    }
    let results = runs[0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for res in results {
        let i = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap_or("")));
        let text = res["message"]["text"].as_str().expect("message");
        assert!(text.contains("\n\nhelp: "), "{text}");
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(repo.path().join(uri).is_file(), "{uri} names a file");
        let region = &loc["region"];
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[k].as_u64().is_some_and(|n| n >= 1), "{k}: {region}");
        }
        let fp = res["partialFingerprints"]["credlint/v1"]
            .as_str()
            .expect("fp");
        assert_eq!(fp.len(), 32);
    }
    // the same findings as the JSON format, in the same order
    let json: serde_json::Value =
        serde_json::from_str(&run(repo.path(), &["check", "--format", "json"]).1).expect("json");
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), results.len());
    for (f, r) in findings.iter().zip(results) {
        assert_eq!(f["rule"], r["ruleId"]);
        assert_eq!(f["fingerprint"], r["partialFingerprints"]["credlint/v1"]);
        assert_eq!(
            f["line"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
        );
        assert_eq!(
            f["end_column"],
            r["locations"][0]["physicalLocation"]["region"]["endColumn"]
        );
    }
}

#[test]
fn sarif_with_related_locations_is_valid() {
    // ENV003 reports the second definition with the first as related.
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir(dir.path().join(".git")).expect("git");
    fs::write(
        dir.path().join(".env"),
        "OPENAI_ORG_ID=org-YgojjHRg80USP2W5DfJXcaYi\nOPENAI_ORG_ID=org-YgojjHRg80USP2W5DfJXcaYi\n",
    )
    .expect("write");
    let (_, stdout, stderr) = run(
        dir.path(),
        &["check", "--format", "sarif", "--select", "ENV003"],
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect(&stderr);
    let errors = schema_errors(&sarif_validator(), &doc);
    assert!(errors.is_empty(), "{errors:#?}");
    let res = &doc["runs"][0]["results"][0];
    assert_eq!(res["ruleId"], "ENV003");
    let related = res["relatedLocations"].as_array().expect("related");
    assert_eq!(related[0]["physicalLocation"]["region"]["startLine"], 1);
    assert_eq!(
        related[0]["physicalLocation"]["artifactLocation"]["uri"],
        ".env"
    );
}

#[test]
fn github_format_one_annotation_per_finding() {
    let repo = fixture_repo("python-app");
    let (code, stdout, _) = run(repo.path(), &["check", "--format", "github"]);
    assert_eq!(code, Some(1));
    let json: serde_json::Value =
        serde_json::from_str(&run(repo.path(), &["check", "--format", "json"]).1).expect("json");
    let findings = json["findings"].as_array().expect("findings");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), findings.len(), "no summary line:\n{stdout}");
    for (l, f) in lines.iter().zip(findings) {
        let cmd = match f["severity"].as_str() {
            Some("error") => "::error ",
            Some("warning") => "::warning ",
            _ => "::notice ",
        };
        assert!(l.starts_with(cmd), "{l}");
        let head = format!(
            "file={},line={},",
            f["path"].as_str().expect("path"),
            f["line"]
        );
        assert!(l.contains(&head), "{l}");
        let title = format!(
            ",title={} {}::",
            f["rule"].as_str().expect("rule"),
            f["name"].as_str().expect("name")
        );
        assert!(l.contains(&title), "{l}");
        let message = format!(
            "{}\nhelp: {}",
            f["message"].as_str().expect("m"),
            f["help"].as_str().expect("h")
        );
        let escaped = message
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        assert!(l.ends_with(&format!("::{escaped}")), "{l}");
    }
}

#[test]
fn gitlab_format_is_a_code_quality_report() {
    let repo = fixture_repo("leaky-node");
    let (code, stdout, _) = run(repo.path(), &["check", "--format", "gitlab"]);
    assert_eq!(code, Some(1));
    let issues: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let issues = issues.as_array().expect("array");
    assert!(!issues.is_empty());
    let mut fps = Vec::new();
    for i in issues {
        for k in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[k].is_string(), "{k}: {i}");
        }
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&i["severity"].as_str().unwrap_or(""))
        );
        let path = i["location"]["path"].as_str().expect("path");
        assert!(repo.path().join(path).is_file(), "{path}");
        assert!(
            i["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|n| n >= 1)
        );
        fps.push(i["fingerprint"].as_str().expect("fp").to_string());
    }
    let n = fps.len();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), n, "fingerprints are unique");
    // a clean repository is an empty report, not nothing
    let clean = fixture_repo("clean-app");
    let (code, stdout, _) = run(clean.path(), &["check", "--format", "gitlab"]);
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "[]\n");
}

#[test]
fn statistics_replace_the_findings() {
    let repo = fixture_repo("python-app");
    let (code, stdout, _) = run(
        repo.path(),
        &["check", "--statistics", "--format", "concise"],
    );
    assert_eq!(code, Some(1), "findings still fail the run, as in ruff");
    let json: serde_json::Value =
        serde_json::from_str(&run(repo.path(), &["check", "--format", "json"]).1).expect("json");
    let findings = json["findings"].as_array().expect("findings");
    let mut lines: Vec<&str> = stdout.lines().collect();
    let summary = lines.pop().expect("summary line");
    assert!(
        summary.starts_with(&format!("Found {} problems", findings.len())),
        "{summary}"
    );
    let mut total = 0;
    let mut previous = usize::MAX;
    for l in &lines {
        let cols: Vec<&str> = l.split('\t').collect();
        assert_eq!(cols.len(), 3, "{l:?}");
        let n: usize = cols[0].trim().parse().expect("count");
        assert!(n <= previous, "sorted by count: {stdout}");
        previous = n;
        total += n;
        let code = cols[1].trim();
        let expected = findings.iter().filter(|f| f["rule"] == code).count();
        assert_eq!(n, expected, "{code}");
        assert!(
            findings
                .iter()
                .any(|f| f["rule"] == code && f["name"] == cols[2])
        );
    }
    assert_eq!(total, findings.len());
    assert!(!stdout.contains(".env"), "no finding lines: {stdout}");

    // -q: the counts only
    let (_, quiet, _) = run(repo.path(), &["check", "--statistics", "-q"]);
    assert_eq!(quiet.lines().count(), lines.len());

    // JSON statistics
    let (_, stdout, _) = run(repo.path(), &["check", "--statistics", "--format", "json"]);
    let stats: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let sum: u64 = stats
        .as_array()
        .expect("array")
        .iter()
        .map(|s| s["count"].as_u64().expect("count"))
        .sum();
    assert_eq!(sum as usize, findings.len());

    // no statistics form for the CI formats
    credlint()
        .current_dir(repo.path())
        .args(["check", "--statistics", "--format", "sarif"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--statistics works with"));

    // a clean repository: just the summary
    let clean = fixture_repo("clean-app");
    let (code, stdout, _) = run(clean.path(), &["check", "--statistics"]);
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("No problems found"), "{stdout}");
}

#[test]
fn output_file_gets_the_report_and_stdout_nothing() {
    let repo = fixture_repo("python-app");
    let out_dir = tempfile::tempdir().expect("tmp");
    let target = out_dir.path().join("credlint.sarif");
    fs::write(&target, "stale").expect("write");
    let (code, stdout, stderr) = run(
        repo.path(),
        &[
            "check",
            "--format",
            "sarif",
            "--output-file",
            target.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stdout, "");
    let written = fs::read_to_string(&target).expect("report");
    let direct = run(repo.path(), &["check", "--format", "sarif"]).1;
    assert_eq!(written, direct);
    let leftovers: Vec<_> = fs::read_dir(out_dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");

    // without --format, a file gets the concise format (not a terminal), with
    // the summary line, and a relative path is relative to the working folder
    let (code, stdout, _) = run(repo.path(), &["check", "-o", "report.txt"]);
    assert_eq!(code, Some(1));
    assert_eq!(stdout, "");
    let text = fs::read_to_string(repo.path().join("report.txt")).expect("report");
    assert!(text.contains("app/client.py:8:19: ORG001"), "{text}");
    assert!(text.lines().last().is_some_and(|l| l.starts_with("Found ")));
    assert!(!text.contains('\u{1b}'), "no colour in a file");
}

#[test]
fn output_file_in_a_missing_folder_is_an_error() {
    let repo = fixture_repo("clean-app");
    credlint()
        .current_dir(repo.path())
        .args(["check", "--output-file", "no/such/dir/report.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot write the report to no/such/dir/report.json",
        ));
    assert!(!repo.path().join("no").exists());
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let repo = fixture_repo("python-app");
    let (_, _, stderr) = run(repo.path(), &["check"]);
    assert!(!stderr.contains("files/s"), "{stderr}");
    assert!(!stderr.contains('\r'), "{stderr:?}");
}

#[test]
fn an_earlier_report_in_the_tree_is_not_linted() {
    for format in ["sarif", "json", "gitlab"] {
        let repo = fixture_repo("python-app");
        let name = format!("credlint.{format}");
        let first = run(repo.path(), &["check", "--format", format, "-o", &name]);
        let second = run(repo.path(), &["check", "--format", format, "-o", &name]);
        assert_eq!(first.0, second.0);
        assert_eq!(
            fs::read_to_string(repo.path().join(&name)).expect("report"),
            run(
                repo.path(),
                &["check", "--format", format, "--exclude", "credlint.*"]
            )
            .1,
            "{format}: the second run did not lint the first report"
        );
    }
    // Without --output-file naming it, a stale report is scanned like any
    // JSON file (and quotes org IDs): that is why the README says to keep
    // reports out of the tree or in .gitignore.
    let repo = fixture_repo("python-app");
    run(
        repo.path(),
        &["check", "--format", "json", "-o", "credlint.json"],
    );
    let (_, stdout, _) = run(repo.path(), &["check", "--format", "concise"]);
    assert!(stdout.contains("credlint.json:"), "{stdout}");
    let ignore = repo.path().join(".gitignore");
    let mut rules = fs::read_to_string(&ignore).expect(".gitignore");
    rules.push_str("credlint.json\n");
    fs::write(&ignore, rules).expect("gitignore");
    let (_, stdout, _) = run(repo.path(), &["check", "--format", "concise"]);
    assert!(!stdout.contains("credlint.json:"), "{stdout}");
}

/// The commands of the "Use in CI" recipes (docs/ci.md) run as written.
#[test]
fn ci_recipes_run() {
    let doc =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci.md")).expect("docs/ci.md");
    let start = doc.find("## Use in CI").expect("Use in CI section");
    let section = &doc[start..];
    let end = section[3..].find("\n## ").map_or(section.len(), |i| i + 3);
    let commands: Vec<&str> = section[..end]
        .lines()
        .filter_map(|l| l.split_once("credlint check").map(|(_, rest)| rest))
        .filter(|rest| rest.starts_with(" --"))
        .collect();
    assert!(commands.len() >= 4, "{commands:?}");
    for rest in commands {
        let repo = fixture_repo("python-app");
        let mut args = vec!["check"];
        args.extend(rest.split_whitespace());
        let (code, stdout, stderr) = run(repo.path(), &args);
        assert_eq!(code, Some(1), "credlint {args:?}: {stderr}");
        if let Some(i) = args.iter().position(|a| *a == "--output-file") {
            let out = fs::read_to_string(repo.path().join(args[i + 1])).expect("report");
            assert!(out.contains("ORG001"), "{args:?}");
            assert_eq!(stdout, "");
        } else {
            assert!(stdout.contains("ORG001"), "{args:?}");
        }
    }
}

/// Keys made at run time (no key is committed): an Azure key (32 hex), a
/// Mistral key (32 alphanumerics), a service-account key.
fn azure_key() -> String {
    "3f9c2a7de1b04c6fa85d9e13b7c2f460".chars().rev().collect()
}

fn mistral_key() -> String {
    "aUe6Yc3JhGf8Ds1NpKw4RzT9bV2mL7xQ".chars().rev().collect()
}

fn svcacct_key() -> String {
    let body: String = "GHli2GgpRCXNQmKi1qUCCNL18KDZhELj3Hc3OEYl4Etfw91m3ufXoxgUEANTM5cvarXNUlcc_8"
        .chars()
        .rev()
        .collect();
    format!("sk-svcacct-{body}T3BlbkFJ{}cvUD", &body[4..])
}

/// Whether `text` shows any 8 characters of `key` after its first `skip`.
fn shows_part(text: &str, key: &str, skip: usize) -> bool {
    key.as_bytes()[skip..]
        .windows(8)
        .any(|w| text.contains(std::str::from_utf8(w).expect("ascii")))
}

#[test]
fn keys_without_a_prefix_are_masked_on_every_snippet_line() {
    let azure = azure_key();
    let mistral = mistral_key();
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir(dir.path().join(".git")).expect("git");
    // The Azure key is the finding's own line (ORG002 masks it in the
    // message); the Mistral key a context line of the Python finding.
    fs::write(
        dir.path().join(".env"),
        format!("OPENAI_ORG_ID={azure}\nOPENAI_API_KEY=\n"),
    )
    .expect("write");
    fs::write(
        dir.path().join("app.py"),
        format!(
            "from openai import OpenAI\n# note: {mistral}\nclient = OpenAI(organization=\"org-YgojjHRg80USP2W5DfJXcaYi\")\n"
        ),
    )
    .expect("write");
    let (code, pretty, _) = run(dir.path(), &["check", "--format", "pretty"]);
    assert_eq!(code, Some(1));
    assert!(pretty.contains("ORG002"), "{pretty}");
    let head = |key: &str| key[..3].to_string();
    assert!(
        pretty.contains(&format!("OPENAI_ORG_ID={}*", head(&azure))),
        "the line is shown, masked"
    );
    assert!(
        pretty.contains(&format!("# note: {}*", head(&mistral))),
        "the line is shown, masked"
    );
    let (_, diff, _) = run(dir.path(), &["check", "--diff", "--unsafe-fixes"]);
    assert!(
        diff.contains(&format!(" # note: {}*", head(&mistral))),
        "the context line is shown, masked"
    );
    for (out, what) in [(&pretty, "pretty"), (&diff, "--diff --unsafe-fixes")] {
        assert!(!shows_part(out, &azure, 0), "{what} shows the Azure key");
        assert!(
            !shows_part(out, &mistral, 0),
            "{what} shows the Mistral key"
        );
    }
}

#[test]
fn bearer_stays_readable_and_a_service_account_key_keeps_four_characters() {
    let key = svcacct_key();
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir(dir.path().join(".git")).expect("git");
    fs::write(
        dir.path().join(".env"),
        format!("OPENAI_API_KEY=\"Bearer {key}\"\n"),
    )
    .expect("write");
    fs::write(
        dir.path().join("docker-compose.yml"),
        format!("services:\n  app:\n    environment:\n      OPENAI_API_KEY: \"{key}\\n\"\n"),
    )
    .expect("write");
    let (_, pretty, _) = run(dir.path(), &["check", "--format", "pretty"]);
    assert!(
        pretty.contains("OPENAI_API_KEY=\"Bearer sk-svcacct-***"),
        "`Bearer` is not the secret: {pretty}"
    );
    let (_, diff, _) = run(dir.path(), &["check", "--diff"]);
    // The last 4 characters shown are the key's, not `UD\n`.
    assert!(
        diff.contains("-      OPENAI_API_KEY: \"sk-svcacct-***"),
        "{diff}"
    );
    assert!(diff.contains("*cvUD\\n\"\n"), "{diff}");
    assert!(
        diff.contains("+      OPENAI_API_KEY: \"sk-svcacct-***"),
        "{diff}"
    );
    assert!(diff.contains("*cvUD\"\n"), "{diff}");
    for out in [&pretty, &diff] {
        assert!(!shows_part(out, &key, "sk-svcacct-".len()));
    }
}

/// `credlint check --isolated --format pretty rules`: the examples of the
/// repository's own rule files hold keys of every shape; none is shown.
#[test]
fn the_rule_files_examples_show_no_key() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let providers = credlint::provider::Providers::builtin();
    let mut keys = Vec::new();
    for e in fs::read_dir(root.join("rules")).expect("rules").flatten() {
        let Ok(text) = fs::read_to_string(e.path()) else {
            continue;
        };
        for (_, p) in providers.iter() {
            for k in &p.keys {
                keys.extend(
                    k.regex
                        .find_iter(&text)
                        .map(|m| (m.as_str().to_string(), k.prefix.len()))
                        // Placeholders (`sk-xxxx…`) are no secret.
                        .filter(|(key, prefix)| {
                            let distinct: std::collections::BTreeSet<u8> =
                                key.bytes().skip(*prefix).collect();
                            distinct.len() >= 8
                        }),
                );
            }
        }
    }
    assert!(
        keys.iter().any(|(_, prefix)| *prefix == 0),
        "the rule files hold a key without a prefix"
    );
    let (code, out, err) = run(
        root,
        &["check", "--isolated", "--format", "pretty", "rules"],
    );
    assert!(matches!(code, Some(0 | 1)), "{err}");
    assert!(out.contains("KEY001"), "the examples are reported");
    for (key, prefix) in &keys {
        // 12 characters: a window never spans only `T3BlbkFJ`.
        let shown = key.as_bytes()[*prefix..]
            .windows(12)
            .any(|w| out.contains(std::str::from_utf8(w).expect("ascii")));
        assert!(
            !shown,
            "a key of the rule files is shown (prefix {}, ends {})",
            &key[..*prefix],
            &key[key.len() - 4..]
        );
    }
}

/// `pretty` on findings past column 65,535 (miette fails there): a long
/// minified file and a notebook saved as compact JSON. The line is shown
/// as a window around the finding, with `…`; the header keeps the column.
#[test]
fn pretty_windows_very_long_lines() {
    let org = "org-YgojjHRg80USP2W5DfJXcaYi";
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir(dir.path().join(".git")).expect("git");
    let pad = "a=b+c;".repeat(11_500);
    fs::write(
        dir.path().join("app.min.js"),
        format!("{pad}var o=\"{org}\";{pad}\n"),
    )
    .expect("write");
    let cell = serde_json::json!({
        "cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
            "source": [format!("x = '{}'\n", "y".repeat(70_000)),
                       format!("client = OpenAI(organization=\"{org}\")\n")]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5});
    fs::write(
        dir.path().join("a.ipynb"),
        serde_json::to_string(&cell).expect("json"),
    )
    .expect("write");
    let (code, out, err) = run(dir.path(), &["check", "--format", "pretty"]);
    assert_eq!(code, Some(1), "{err}");
    let col = pad.len() + "var o=\"".len() + 1;
    assert!(out.contains(&format!("[app.min.js:1:{col}]")), "{out}");
    assert!(out.contains("[a.ipynb:1:"), "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("var o="))
        .expect("the finding's line");
    assert!(line.starts_with(" 1 │ …") && line.ends_with('…'), "{line}");
    assert!(line.contains(&format!("\"{org}\";a=b+c;")), "{line}");
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 400, "a line of {longest} characters");
    assert_eq!(out.matches("ORG001").count(), 2, "{out}");
}
