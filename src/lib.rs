//! credlint: a linter for LLM-provider credential configuration.
//!
//! The pipeline runs in one direction: [`walk`] finds and classifies files,
//! [`extract`] turns each file into [`fact`]s, [`rule`]s turn facts into
//! [`finding`]s, and [`report`] renders them. No layer reaches across another.

pub mod atomic_write;
pub mod baseline;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod consumers;
pub mod edit;
pub mod embedded;
pub mod extract;
pub mod fact;
pub mod file_ref;
pub mod finding;
pub mod fix;
pub mod graph;
pub mod history;
pub mod index;
pub mod language;
pub mod progress;
pub mod provider;
pub mod redact;
pub mod report;
pub mod rule;
pub mod source;
pub mod staged;
pub mod verify;
pub mod walk;
