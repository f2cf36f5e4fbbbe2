//! What each file format looks like to credlint, in one place: how it
//! writes comments ([`Comments`], read by directive scanning and by the
//! literal scan of files whose extractor does not report comments), and how
//! a value of it reads an env variable instead of a literal ([`EnvRef`],
//! built by the extractors and spelled by help lines and fixes), and how
//! an env file's entry is written ([`env_entry`]).
//!
//! A source language's comments and env read are in its row of the
//! language table ([`crate::language`]), beside its file extensions.

use std::fmt;

pub use crate::language::Comments;
use crate::walk::{FileKind, Language};

const HTML_BLOCK: &[(&str, &str)] = &[("<!--", "-->")];
const ALL_BLOCKS: &[(&str, &str)] = &[("/*", "*/"), ("<!--", "-->")];

/// How a file kind writes comments. Plain JSON has none: nothing there can
/// be suppressed inline (use a baseline or `exclude`).
pub fn comments(kind: FileKind) -> Comments {
    match kind {
        FileKind::Env { .. } | FileKind::Yaml | FileKind::Toml | FileKind::Dockerfile => {
            Comments::HASH
        }
        FileKind::Properties => Comments::new(&["#", "!"], &[], b""),
        FileKind::Json { comments: true } => Comments::c_like(b"\""),
        FileKind::Json { comments: false } => Comments::NONE,
        // The raw notebook is JSON: cell source lines are JSON strings, so
        // quotes cannot tell code from comments there.
        FileKind::Notebook => Comments::new(&["#", "//"], &[], b"").unsure(&["#", "//"]),
        FileKind::Code(lang) => lang.comments(),
        FileKind::Docs => Comments::new(&[], HTML_BLOCK, b""),
        FileKind::Other => Comments::new(&["#", "//", "--", ";"], ALL_BLOCKS, b"\"'")
            .unsure(&["--", "/*", "*", "<!--"]),
    }
}

/// An env file's entry as credlint writes one: `NAME=value`, `NAME=` for
/// an empty value. (Each extractor reads its format's entries itself.)
pub fn env_entry(name: &str, value: &str) -> String {
    format!("{name}={value}")
}

/// How a file would read an env variable instead of a literal: a reference
/// in its own syntax, or the instruction its tool takes instead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EnvRef {
    pub syntax: EnvRefSyntax,
    /// The variable read.
    pub var: String,
}

/// The syntaxes of [`EnvRef`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EnvRefSyntax {
    /// compose, LibreChat, Spring: `${VAR}`.
    Braced,
    /// GitHub Actions (keys) and Continue: `${{ secrets.VAR }}`.
    Secrets,
    /// GitHub Actions (other slots): `${{ vars.VAR }}`.
    Vars,
    /// LiteLLM: `os.environ/VAR`.
    LiteLlm,
    /// A Kubernetes container: `valueFrom.secretKeyRef`.
    SecretKeyRef,
    /// A Kubernetes Secret: create it from an untracked env file.
    KubectlSecret,
    /// .NET: user secrets for the setting's key path.
    DotNetSecrets { key: String },
    /// Codex: `env_key = "VAR"`.
    CodexKey,
    /// Codex: `env_http_headers = { "HEADER" = "VAR" }`.
    CodexHeader { header: String },
    /// Dockerfile `ENV`: pass it at run time.
    DockerRun,
    /// Dockerfile `ARG`: a build secret.
    DockerSecret,
    /// Source code: the language's own env read (`os.environ.get("VAR")`,
    /// `process.env.VAR`, `$VAR`).
    Code(Language),
}

impl EnvRef {
    pub fn new(syntax: EnvRefSyntax, var: impl Into<String>) -> EnvRef {
        EnvRef {
            syntax,
            var: var.into(),
        }
    }

    /// Whether the reference can stand where a config value was, by
    /// itself (`${VAR}`, `${{ secrets.VAR }}`, `os.environ/VAR`), rather
    /// than being an instruction (`docker run -e VAR`).
    pub fn is_value(&self) -> bool {
        let ident = self
            .var
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && self
                .var
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        ident
            && matches!(
                self.syntax,
                EnvRefSyntax::Braced
                    | EnvRefSyntax::Secrets
                    | EnvRefSyntax::Vars
                    | EnvRefSyntax::LiteLlm
            )
    }

    /// Whether the variable lives in a store of the tool (GitHub Actions
    /// and Continue secrets and variables), not in an env file.
    pub fn in_tool_store(&self) -> bool {
        matches!(self.syntax, EnvRefSyntax::Secrets | EnvRefSyntax::Vars)
    }
}

impl fmt::Display for EnvRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let var = &self.var;
        match &self.syntax {
            EnvRefSyntax::Braced => write!(f, "${{{var}}}"),
            EnvRefSyntax::Secrets => write!(f, "${{{{ secrets.{var} }}}}"),
            EnvRefSyntax::Vars => write!(f, "${{{{ vars.{var} }}}}"),
            EnvRefSyntax::LiteLlm => write!(f, "os.environ/{var}"),
            EnvRefSyntax::SecretKeyRef => f.write_str("valueFrom.secretKeyRef"),
            EnvRefSyntax::KubectlSecret => {
                f.write_str("kubectl create secret generic … --from-env-file=.env")
            }
            EnvRefSyntax::DotNetSecrets { key } => write!(f, "dotnet user-secrets set \"{key}\" …"),
            EnvRefSyntax::CodexKey => write!(f, "env_key = \"{var}\""),
            EnvRefSyntax::CodexHeader { header } => {
                write!(f, "env_http_headers = {{ \"{header}\" = \"{var}\" }}")
            }
            EnvRefSyntax::DockerRun => write!(f, "docker run -e {var}"),
            EnvRefSyntax::DockerSecret => {
                write!(f, "RUN --mount=type=secret,id={var},env={var}")
            }
            EnvRefSyntax::Code(lang) => f.write_str(&lang.env_read(var)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_lines_of_the_literal_scan() {
        let starts = |kind, head| comments(kind).starts_line(head);
        assert!(starts(FileKind::Yaml, "# k"));
        assert!(!starts(FileKind::Yaml, "// k"));
        assert!(starts(FileKind::Properties, "! k"));
        assert!(starts(FileKind::Json { comments: true }, "* k"));
        assert!(!starts(FileKind::Json { comments: false }, "// k"));
        assert!(!comments(FileKind::Notebook).has_line_comments());
        assert!(starts(FileKind::Code(Language::Php), "# k"));
        assert!(starts(FileKind::Code(Language::Go), "/* k"));
        assert!(starts(FileKind::Code(Language::Other), "-- k"));
        assert!(!starts(FileKind::Code(Language::Other), "; k"));
        assert!(starts(FileKind::Other, "; k"));
        assert!(!starts(FileKind::Other, "-- k"));
        assert!(!starts(FileKind::Other, "* k"));
    }

    #[test]
    fn references_spell_themselves() {
        let r = |s, v: &str| EnvRef::new(s, v).to_string();
        assert_eq!(r(EnvRefSyntax::Braced, "A_B"), "${A_B}");
        assert_eq!(r(EnvRefSyntax::Secrets, "A_B"), "${{ secrets.A_B }}");
        assert_eq!(r(EnvRefSyntax::Vars, "A_B"), "${{ vars.A_B }}");
        assert_eq!(r(EnvRefSyntax::LiteLlm, "A_B"), "os.environ/A_B");
        assert_eq!(
            r(EnvRefSyntax::Code(Language::Python), "A_B"),
            "os.environ.get(\"A_B\")"
        );
        assert_eq!(r(EnvRefSyntax::Code(Language::Shell), "A_B"), "$A_B");
        assert!(EnvRef::new(EnvRefSyntax::Braced, "A_B").is_value());
        assert!(!EnvRef::new(EnvRefSyntax::Braced, "A-B").is_value());
        assert!(!EnvRef::new(EnvRefSyntax::DockerRun, "A_B").is_value());
    }
}
