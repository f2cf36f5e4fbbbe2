//! Rule data files (`rules/CODE.toml`): deserialized with unknown fields
//! rejected, validated (codes unique and equal to file names, message
//! placeholders declared) and compiled once.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::finding::Severity;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    code: String,
    name: String,
    severity: Severity,
    summary: String,
    /// Names that the message and help templates may use as `{name}`.
    #[serde(default)]
    args: Vec<String>,
    message: String,
    help: String,
    #[serde(default)]
    variants: BTreeMap<String, VariantFile>,
    docs: Docs,
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    negative_examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantFile {
    message: Option<String>,
    help: Option<String>,
}

/// The documentation of a rule, in fixed headings (as ruff does).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    pub what: String,
    pub why: String,
    pub example: String,
    pub fix: String,
}

/// An example repository: files and, for positive examples, the findings
/// of this rule expected in it as `path:line:col`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub description: String,
    pub files: BTreeMap<String, String>,
    #[serde(default)]
    pub expect: Vec<String>,
    /// Make the example folder a git work tree (default true).
    #[serde(default = "yes")]
    pub git: bool,
    /// Paths to pass to `credlint check` (default: the whole folder).
    #[serde(default)]
    pub args: Vec<String>,
    /// Check with `--verify`, every request sent to the test suite's mock
    /// provider (`tests/common/mock.rs`), whose key table decides the
    /// answers.
    #[serde(default)]
    pub verify: bool,
}

fn yes() -> bool {
    true
}

/// One compiled rule.
#[derive(Debug)]
pub struct RuleSpec {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    pub args: Vec<String>,
    pub message: String,
    pub help: String,
    pub variants: BTreeMap<String, (Option<String>, Option<String>)>,
    pub docs: Docs,
    pub examples: Vec<Example>,
    pub negative_examples: Vec<Example>,
}

impl RuleSpec {
    /// The message and help templates of a variant (or the defaults).
    pub fn templates(&self, variant: Option<&str>) -> (&str, &str) {
        let v = variant.and_then(|v| self.variants.get(v));
        let message = v.and_then(|v| v.0.as_deref()).unwrap_or(&self.message);
        let help = v.and_then(|v| v.1.as_deref()).unwrap_or(&self.help);
        (message, help)
    }
}

/// The project's repository (`package.repository` in `Cargo.toml`): the one
/// place its address is written; rule documentation URLs are built on it.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// Where a rule's documentation page lives in the repository. The pages
/// are generated from `rules/*.toml` ([`doc_page`]) and a test keeps them
/// current.
pub fn doc_path(code: &str) -> String {
    format!("docs/rules/{code}.md")
}

/// The URL of a rule's documentation page on the main branch of
/// `repository` (SARIF `helpUri`, `credlint rule CODE`, terminal links).
pub fn doc_url_in(repository: &str, code: &str) -> String {
    format!(
        "{}/blob/main/{}",
        repository.trim_end_matches('/'),
        doc_path(code)
    )
}

/// The URL of a rule's documentation page in credlint's own repository.
pub fn doc_url(code: &str) -> String {
    doc_url_in(REPOSITORY, code)
}

/// The headings of a rule's documentation, in the order every view shows
/// them (as ruff's rule pages do).
pub fn doc_sections(docs: &Docs) -> [(&'static str, &str); 4] {
    [
        ("What it does", &docs.what),
        ("Why is this bad?", &docs.why),
        ("Example", &docs.example),
        ("Fix", &docs.fix),
    ]
}

/// The Markdown page of a rule (`docs/rules/CODE.md`), made from its data
/// file alone so that it cannot say anything the file does not.
pub fn doc_page(r: &RuleSpec) -> String {
    let code = &r.code;
    let mut s = format!(
        "<!-- Generated from rules/{code}.toml; edit that file, then run\n     \
         `CREDLINT_BLESS=1 cargo test --test dist rule_pages` to regenerate. -->\n\n\
         # {code}: {name}\n\n\
         Default severity: **{sev}** · defined in [`rules/{code}.toml`](../../rules/{code}.toml)\n\n\
         {summary}\n",
        name = r.name,
        sev = r.severity.as_str(),
        summary = r.summary.trim(),
    );
    for (title, body) in doc_sections(&r.docs) {
        let body = body.trim();
        if !body.is_empty() {
            s.push_str(&format!("\n## {title}\n\n{body}\n"));
        }
    }
    s.push_str(&format!(
        "\n## Where it applies\n\n{}\n",
        super::scope::describe(code)
    ));
    let other = match r.severity {
        Severity::Error => "warning",
        Severity::Warning | Severity::Info => "error",
    };
    s.push_str(&format!(
        "\n## Configuration\n\n\
         - Turn it off: `ignore = [\"{code}\"]` in `credlint.toml`, or `--ignore {code}`.\n\
         - Change its severity: `{code} = \"{other}\"` under `[severity]` in `credlint.toml`.\n\
         - Silence one place: a `credlint: ignore[{code}]` comment on the line or the line above.\n\
         - In a terminal: `credlint rule {code}` prints the same documentation.\n"
    ));
    s
}

/// `docs/rules/README.md`: every rule's page, by code.
pub fn doc_index(rules: &RuleSet) -> String {
    let mut s = String::from(
        "<!-- Generated from rules/*.toml by `CREDLINT_BLESS=1 cargo test --test dist rule_pages`. -->\n\n\
         # credlint rules\n\n\
         One page per rule, generated from its data file in `rules/`. \
         `credlint rules` lists them and `credlint rule CODE` prints a page.\n\n\
         | code | name | severity | fires when |\n|---|---|---|---|\n",
    );
    for r in rules.iter() {
        s.push_str(&format!(
            "| [{code}]({code}.md) | {} | {} | {} |\n",
            r.name,
            r.severity.as_str(),
            r.summary.trim().replace('|', "\\|"),
            code = r.code
        ));
    }
    s
}

/// An error in a rule data file.
#[derive(Debug)]
pub struct SpecError {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for SpecError {}

/// Every rule, by code, in code order.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<RuleSpec>,
    by_code: HashMap<String, usize>,
}

impl RuleSet {
    /// Load and validate rule files given as `(path, text)`.
    pub fn load(files: &[(&str, &str)]) -> Result<RuleSet, SpecError> {
        let mut rules = Vec::new();
        let mut by_code = HashMap::new();
        let mut names = HashMap::new();
        for (path, text) in files {
            let err = |message: String| SpecError {
                file: path.to_string(),
                message,
            };
            let f: RuleFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
            let stem = path
                .rsplit('/')
                .next()
                .unwrap_or(path)
                .trim_end_matches(".toml");
            if f.code != stem {
                return Err(err(format!("code {} differs from the file name", f.code)));
            }
            if !is_kebab(&f.name) {
                return Err(err(format!("name {:?} is not kebab-case", f.name)));
            }
            if let Some(other) = names.insert(f.name.clone(), f.code.clone()) {
                return Err(err(format!("name {} is also used by {other}", f.name)));
            }
            let mut templates = vec![("message", &f.message), ("help", &f.help)];
            for v in f.variants.values() {
                templates.extend(v.message.iter().map(|m| ("variant message", m)));
                templates.extend(v.help.iter().map(|h| ("variant help", h)));
            }
            for (what, t) in templates {
                for p in placeholders(t) {
                    if !f.args.iter().any(|a| a == p) {
                        return Err(err(format!("{what} uses {{{p}}}, which is not in args")));
                    }
                }
            }
            if f.examples.is_empty() || f.negative_examples.is_empty() {
                return Err(err("a rule needs positive and negative examples".into()));
            }
            for e in &f.examples {
                if e.expect.is_empty() {
                    return Err(err(format!(
                        "positive example {:?} expects no finding",
                        e.description
                    )));
                }
            }
            by_code.insert(f.code.clone(), rules.len());
            rules.push(RuleSpec {
                code: f.code,
                name: f.name,
                severity: f.severity,
                summary: f.summary,
                args: f.args,
                message: f.message,
                help: f.help,
                variants: f
                    .variants
                    .into_iter()
                    .map(|(k, v)| (k, (v.message, v.help)))
                    .collect(),
                docs: f.docs,
                examples: f.examples,
                negative_examples: f.negative_examples,
            });
        }
        rules.sort_by(|a, b| a.code.cmp(&b.code));
        by_code = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code.clone(), i))
            .collect();
        Ok(RuleSet { rules, by_code })
    }

    pub fn get(&self, code: &str) -> Option<&RuleSpec> {
        self.by_code.get(code).map(|&i| &self.rules[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = &RuleSpec> {
        self.rules.iter()
    }

    /// Codes matching a selector: a full code, a code prefix (`KEY`,
    /// `PAIR00`), or a name prefix (`hardcoded`).
    pub fn matching(&self, selector: &str) -> Vec<&RuleSpec> {
        let upper = selector.to_ascii_uppercase();
        self.rules
            .iter()
            .filter(|r| {
                upper == "ALL" || r.code.starts_with(&upper) || r.name.starts_with(selector)
            })
            .collect()
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The `{name}` placeholders of a template.
pub fn placeholders(t: &str) -> impl Iterator<Item = &str> {
    t.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(p, _)| p))
}

/// Fill a template's `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.split_once('}') {
            Some((name, tail)) if args.iter().any(|(k, _)| *k == name) => {
                if let Some((_, v)) = args.iter().find(|(k, _)| *k == name) {
                    out.push_str(v);
                }
                rest = tail;
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_templates() {
        assert_eq!(
            fill("{var} is empty; {x}", &[("var", "OPENAI_API_KEY".into())]),
            "OPENAI_API_KEY is empty; {x}"
        );
        assert_eq!(placeholders("a {b} c {d}").collect::<Vec<_>>(), ["b", "d"]);
    }
}
