//! Renderers. Each output format is one view of the same `Finding` list;
//! no rule knows which is in use. Secrets never reach a renderer unmasked:
//! messages are built with [`crate::redact::redact`] by the rules.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use crate::finding::{Finding, Summary};
use crate::source::Source;

pub mod concise;
pub mod json;
pub mod pretty;

/// Output formats (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Pretty,
    Concise,
    Json,
}

/// Everything a renderer needs.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub summary: &'a Summary,
    /// The text of every file that has a finding or a related location,
    /// keyed by display path (for snippets).
    pub sources: &'a HashMap<String, Arc<Source>>,
    /// Whether to use colour (pretty only).
    pub color: bool,
}

/// Render a report in a format.
pub fn render(format: Format, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Pretty => pretty::render(report, out),
        Format::Concise => concise::render(report, out),
        Format::Json => json::render(report, out),
    }
}

/// The closing line after pretty and concise output (stub until the report
/// branch lands).
pub fn summary_line(summary: &Summary) -> String {
    format!("{} findings in {} files.", summary.findings, summary.files_scanned)
}
