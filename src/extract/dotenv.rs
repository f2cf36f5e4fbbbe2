//! Env files (being written on another branch; this stub keeps the build
//! green until it lands).

use crate::fact::FileFacts;
use crate::provider::Providers;
use crate::source::{Source, Span};

pub struct EnvFile {
    pub facts: FileFacts,
    pub comments: Vec<Span>,
}

pub fn extract(_source: &Source, _providers: &Providers, _shell: bool) -> EnvFile {
    EnvFile {
        facts: FileFacts::default(),
        comments: Vec::new(),
    }
}
