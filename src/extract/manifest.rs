//! Dependency manifests: which SDKs and frameworks a repository uses, and
//! at which versions (openai-python 0.x reads `OPENAI_ORGANIZATION`, 1.x
//! reads `OPENAI_ORG_ID`). The package names come from the provider data
//! (`[[packages]]`); this module only knows how each ecosystem writes a
//! dependency and its version.

use crate::fact::{Dependency, FileFacts};
use crate::provider::Providers;
use crate::source::{Source, Span};

/// A package ecosystem, as named in the provider data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ecosystem {
    PyPi,
    Npm,
    Go,
    Maven,
    RubyGems,
    Crates,
    NuGet,
}

impl Ecosystem {
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::PyPi => "pypi",
            Ecosystem::Npm => "npm",
            Ecosystem::Go => "go",
            Ecosystem::Maven => "maven",
            Ecosystem::RubyGems => "rubygems",
            Ecosystem::Crates => "crates",
            Ecosystem::NuGet => "nuget",
        }
    }
}

/// The ecosystem of a manifest file name, if it is one.
pub fn ecosystem(file_name: &str) -> Option<Ecosystem> {
    let n = file_name.to_ascii_lowercase();
    Some(match n.as_str() {
        "pyproject.toml" | "pipfile" | "setup.cfg" | "setup.py" | "environment.yml" => {
            Ecosystem::PyPi
        }
        "package.json" => Ecosystem::Npm,
        "go.mod" => Ecosystem::Go,
        "pom.xml" | "build.gradle" | "build.gradle.kts" => Ecosystem::Maven,
        "gemfile" | "gems.rb" => Ecosystem::RubyGems,
        "cargo.toml" => Ecosystem::Crates,
        _ if n.starts_with("requirements") && n.ends_with(".txt") => Ecosystem::PyPi,
        _ if n.ends_with(".csproj")
            || n == "packages.config"
            || n == "directory.packages.props" =>
        {
            Ecosystem::NuGet
        }
        _ => return None,
    })
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/' | b'@' | b':')
}

/// Find the known packages of `eco` in a manifest's text.
pub fn extract(source: &Source, eco: Ecosystem, providers: &Providers, facts: &mut FileFacts) {
    let text = source.text();
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    for pkg in providers.packages().filter(|p| p.ecosystem == eco.name()) {
        let needle = pkg.name.to_ascii_lowercase();
        let mut from = 0;
        while let Some(i) = lower[from..].find(&needle) {
            let start = from + i;
            let end = start + needle.len();
            from = end;
            // The whole name, not a part of a longer one (`openai` in
            // `langchain-openai`). PyPI treats `-`, `_` and `.` alike, but a
            // neighbouring one still makes a different package.
            let before = start.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(end).copied();
            if before.is_some_and(is_name_byte) || after.is_some_and(is_name_byte) {
                continue;
            }
            if line_is_comment(&lower, start) {
                continue;
            }
            let version = version_after(text, end, eco);
            facts.dependencies.push(Dependency {
                package: pkg.name.clone(),
                ecosystem: pkg.ecosystem.clone(),
                version,
                span: Span::new(start, end),
            });
            break;
        }
    }
}

fn line_is_comment(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let head = text[line_start..at].trim_start();
    head.starts_with('#') || head.starts_with("//") || head.starts_with("<!--")
}

/// The version requirement written after a package name, as far as the
/// ecosystem's syntax can be read from one line (or the next XML element).
fn version_after(text: &str, end: usize, eco: Ecosystem) -> Option<String> {
    let rest = text.get(end..)?;
    let window: &str = match eco {
        // <artifactId>openai-java</artifactId><version>1.2.3</version>
        Ecosystem::Maven | Ecosystem::NuGet => rest.get(..rest.len().min(300)).unwrap_or(rest),
        _ => rest.split('\n').next().unwrap_or(""),
    };
    let mut start = None;
    for (i, c) in window.char_indices() {
        if c.is_ascii_digit() {
            // A digit that starts a version: preceded by an operator, quote,
            // space, `v`, `>` or `:`.
            let prev = window[..i].chars().next_back();
            if prev.is_none_or(|p| "=<>~^!\"' v:>(,[".contains(p)) {
                start = Some(i);
                break;
            }
        }
        if c == '\n' && matches!(eco, Ecosystem::Maven | Ecosystem::NuGet) {
            continue;
        }
    }
    let s = start?;
    let op_start = window[..s]
        .rfind(|c: char| !"=<>~^!".contains(c))
        .map_or(0, |i| i + 1);
    let v_end = window[s..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '*'))
        .map_or(window.len(), |i| s + i);
    Some(format!("{}{}", &window[op_start..s], &window[s..v_end]))
}

/// The major version a requirement allows, as well as can be told: the first
/// number of `==0.28.1`, `~=0.27`, `^1.3`, `<1` (→ 0), `>=1.40` (→ 1).
pub fn major(requirement: &str) -> Option<u64> {
    let digits_at = requirement.find(|c: char| c.is_ascii_digit())?;
    let op = requirement[..digits_at].trim();
    let num: String = requirement[digits_at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let n: u64 = num.parse().ok()?;
    let rest = &requirement[digits_at + num.len()..];
    let is_zero_fraction = rest
        .trim_start_matches('.')
        .chars()
        .all(|c| c == '0' || c == '.');
    if op == "<" && is_zero_fraction {
        return n.checked_sub(1);
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(name: &str, text: &str) -> Vec<(String, Option<String>)> {
        let source = Source::new(text.to_string());
        let mut facts = FileFacts::default();
        let eco = ecosystem(name).expect("a manifest");
        extract(&source, eco, Providers::builtin(), &mut facts);
        facts
            .dependencies
            .into_iter()
            .map(|d| (d.package, d.version))
            .collect()
    }

    fn has(d: &[(String, Option<String>)], name: &str, version: Option<&str>) -> bool {
        d.iter().any(|(n, v)| n == name && v.as_deref() == version)
    }

    #[test]
    fn python_manifests() {
        let d = deps(
            "requirements.txt",
            "# openai is pinned\nopenai==0.28.1\nlangchain-openai>=0.1\n",
        );
        assert!(has(&d, "openai", Some("==0.28.1")), "{d:?}");
        assert!(has(&d, "langchain-openai", Some(">=0.1")), "{d:?}");
        let d = deps(
            "pyproject.toml",
            "[project]\ndependencies = [\"openai>=1.40\", \"httpx\"]\n",
        );
        assert!(has(&d, "openai", Some(">=1.40")), "{d:?}");
        let d = deps("requirements-dev.txt", "litellm\n");
        assert!(has(&d, "litellm", None), "{d:?}");
    }

    #[test]
    fn other_ecosystems() {
        let d = deps(
            "package.json",
            "{\"dependencies\": {\"openai\": \"^4.52.0\", \"@ai-sdk/openai\": \"1.0.0\"}}",
        );
        assert!(has(&d, "openai", Some("^4.52.0")), "{d:?}");
        assert!(has(&d, "@ai-sdk/openai", Some("1.0.0")), "{d:?}");
        let d = deps(
            "go.mod",
            "require (\n\tgithub.com/sashabaranov/go-openai v1.20.0\n)\n",
        );
        assert!(
            has(&d, "github.com/sashabaranov/go-openai", Some("1.20.0")),
            "{d:?}"
        );
        let d = deps("Gemfile", "gem \"ruby-openai\", \"~> 7.0\"\n");
        assert!(has(&d, "ruby-openai", Some("7.0")), "{d:?}");
        let d = deps("Cargo.toml", "[dependencies]\nasync-openai = \"0.20\"\n");
        assert!(has(&d, "async-openai", Some("0.20")), "{d:?}");
        let d = deps(
            "App.csproj",
            "<PackageReference Include=\"OpenAI\" Version=\"2.0.0\" />",
        );
        assert!(has(&d, "OpenAI", Some("2.0.0")), "{d:?}");
    }

    #[test]
    fn names_inside_longer_names_and_comments_do_not_count() {
        let d = deps(
            "requirements.txt",
            "# openai\nlangchain-openai\nopenai-whisper\n",
        );
        assert!(!d.iter().any(|(n, _)| n == "openai"), "{d:?}");
    }

    #[test]
    fn majors() {
        assert_eq!(major("==0.28.1"), Some(0));
        assert_eq!(major(">=1.40"), Some(1));
        assert_eq!(major("<1"), Some(0));
        assert_eq!(major("<1.0"), Some(0));
        assert_eq!(major("~=0.27"), Some(0));
        assert_eq!(major("^4.52.0"), Some(4));
        assert_eq!(major("*"), None);
    }
}
