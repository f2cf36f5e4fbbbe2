//! Source languages credlint knows, one row each: the file extensions that
//! name it, its name in provider data (`[[clients]]`), how it writes
//! comments and how it reads an env variable. How credlint parses a
//! language (its grammar and engine syntax) is the code extractor's row
//! (`extract::code::reader`); how every file kind writes comments is
//! `extract::format`, which takes a language's from here.

/// Source languages credlint knows by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Language {
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Go,
    Java,
    CSharp,
    Ruby,
    Rust,
    Php,
    Shell,
    /// Other code (C, C++, Kotlin, Swift, …): scanned as text.
    Other,
}

/// How a text format writes comments.
#[derive(Debug, Clone, Copy)]
pub struct Comments {
    /// Markers that start a comment running to the end of the line.
    pub line: &'static [&'static str],
    /// Block comments: opener and closer.
    pub block: &'static [(&'static str, &'static str)],
    /// Quote characters that start a string in which markers do not count.
    pub quotes: &'static [u8],
    /// Markers of [`Self::line`] and [`Self::block`] that are only a guess
    /// for this format (a file of unknown syntax, where `--` starts a
    /// command-line flag as often as a comment; the raw JSON of a
    /// notebook): a directive after them counts, since it names itself,
    /// but a line they start is not taken for a comment by the literal
    /// scan.
    pub unsure: &'static [&'static str],
}

/// The `/* */` block comment.
pub const C_BLOCK: &[(&str, &str)] = &[("/*", "*/")];

impl Comments {
    /// `#` to the end of the line; `"` and `'` quote.
    pub const HASH: Comments = Comments::new(&["#"], &[], b"\"'");
    /// No comments at all.
    pub const NONE: Comments = Comments::new(&[], &[], b"");

    pub const fn new(
        line: &'static [&'static str],
        block: &'static [(&'static str, &'static str)],
        quotes: &'static [u8],
    ) -> Comments {
        Comments {
            line,
            block,
            quotes,
            unsure: &[],
        }
    }

    /// `//` and `/* */`, with the given quotes.
    pub const fn c_like(quotes: &'static [u8]) -> Comments {
        Comments::new(&["//"], C_BLOCK, quotes)
    }

    /// These comments, with `unsure` markers (see [`Self::unsure`]).
    pub const fn unsure(self, unsure: &'static [&'static str]) -> Comments {
        Comments { unsure, ..self }
    }

    /// Whether a line whose text starts as `head` (leading blanks removed)
    /// is a comment line: it starts with a line marker, a block opener, or
    /// the `*` of a `/* */` block's continuation line.
    pub fn starts_line(&self, head: &str) -> bool {
        let sure = |m: &str| !self.unsure.contains(&m) && head.starts_with(m);
        self.line.iter().any(|m| sure(m))
            || self.block.iter().any(|(open, _)| sure(open))
            || (self.block.iter().any(|(open, _)| *open == "/*") && sure("*"))
    }

    /// Whether any line of this format can be a comment line.
    pub fn has_line_comments(&self) -> bool {
        self.line
            .iter()
            .chain(self.block.iter().map(|(open, _)| open))
            .any(|m| !self.unsure.contains(m))
    }
}

/// One language.
struct Row {
    language: Language,
    /// Its file extensions (lower case, without the dot).
    extensions: &'static [&'static str],
    /// Its name in provider data (`[[clients]] language`); several
    /// languages may share one.
    data_name: Option<&'static str>,
    comments: Comments,
    /// How it reads env variable `var`.
    env_read: fn(&str) -> String,
}

const JS_COMMENTS: Comments = Comments::c_like(b"\"'`");

/// One row per language, in the order of [`Language`] (`Other` last).
const ROWS: &[Row] = &[
    Row {
        language: Language::Python,
        extensions: &["py", "pyi", "pyw"],
        data_name: Some("python"),
        comments: Comments::HASH,
        env_read: |var| format!("os.environ.get(\"{var}\")"),
    },
    Row {
        language: Language::JavaScript,
        extensions: &["js", "mjs", "cjs", "jsx"],
        data_name: Some("javascript"),
        comments: JS_COMMENTS,
        env_read: |var| format!("process.env.{var}"),
    },
    Row {
        language: Language::TypeScript,
        extensions: &["ts", "mts", "cts"],
        data_name: Some("javascript"),
        comments: JS_COMMENTS,
        env_read: |var| format!("process.env.{var}"),
    },
    Row {
        language: Language::Tsx,
        extensions: &["tsx"],
        data_name: Some("javascript"),
        comments: JS_COMMENTS,
        env_read: |var| format!("process.env.{var}"),
    },
    Row {
        language: Language::Go,
        extensions: &["go"],
        data_name: Some("go"),
        comments: Comments::c_like(b"\"'`"),
        env_read: |var| format!("os.Getenv(\"{var}\")"),
    },
    Row {
        language: Language::Java,
        extensions: &["java"],
        data_name: Some("java"),
        comments: Comments::c_like(b"\"'"),
        env_read: |var| format!("System.getenv(\"{var}\")"),
    },
    Row {
        language: Language::CSharp,
        extensions: &["cs"],
        data_name: Some("csharp"),
        comments: Comments::c_like(b"\"'"),
        env_read: |var| format!("Environment.GetEnvironmentVariable(\"{var}\")"),
    },
    Row {
        language: Language::Ruby,
        extensions: &["rb", "rake", "gemspec"],
        data_name: Some("ruby"),
        comments: Comments::HASH,
        env_read: |var| format!("ENV[\"{var}\"]"),
    },
    Row {
        language: Language::Rust,
        extensions: &["rs"],
        data_name: Some("rust"),
        comments: Comments::c_like(b"\""),
        env_read: |var| format!("std::env::var(\"{var}\")"),
    },
    Row {
        language: Language::Php,
        extensions: &["php"],
        data_name: Some("php"),
        comments: Comments::new(&["#", "//"], C_BLOCK, b"\"'"),
        env_read: |var| format!("getenv('{var}')"),
    },
    Row {
        language: Language::Shell,
        extensions: &["sh", "bash", "zsh", "ksh"],
        data_name: Some("shell"),
        comments: Comments::new(&["#"], &[], b"\"'`"),
        env_read: |var| format!("${var}"),
    },
    OTHER,
];

/// Code credlint reads as text only: any of the common comment markers.
const OTHER: Row = Row {
    language: Language::Other,
    extensions: &[
        "c", "h", "cc", "cpp", "cxx", "hpp", "kt", "kts", "swift", "scala", "dart", "lua", "r",
        "pl", "pm", "ex", "exs", "erl", "hs", "ml", "clj", "groovy", "gradle", "vue", "svelte",
        "ps1", "fish", "sql",
    ],
    data_name: None,
    comments: Comments::new(&["//", "#", "--", ";"], C_BLOCK, b"\"'").unsure(&[";"]),
    env_read: |var| var.to_string(),
};

impl Language {
    fn row(self) -> &'static Row {
        ROWS.get(self as usize).unwrap_or(&OTHER)
    }

    /// The language of a file extension (lower case, without the dot).
    pub fn from_extension(ext: &str) -> Option<Language> {
        ROWS.iter()
            .find(|r| r.extensions.contains(&ext))
            .map(|r| r.language)
    }

    /// The languages a name of provider data (`[[clients]] language`)
    /// stands for.
    pub fn named(name: &str) -> impl Iterator<Item = Language> + '_ {
        ROWS.iter()
            .filter(move |r| r.data_name == Some(name))
            .map(|r| r.language)
    }

    /// How the language writes comments.
    pub fn comments(self) -> Comments {
        self.row().comments
    }

    /// How the language reads env variable `var` (`os.environ.get("VAR")`).
    pub fn env_read(self, var: &str) -> String {
        (self.row().env_read)(var)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_row_in_order() {
        assert_eq!(ROWS.len(), Language::Other as usize + 1);
        for (i, r) in ROWS.iter().enumerate() {
            assert_eq!(r.language as usize, i, "{:?}", r.language);
            assert_eq!(r.language.row().language, r.language);
            for ext in r.extensions {
                assert_eq!(Language::from_extension(ext), Some(r.language), "{ext}");
            }
        }
    }
}
