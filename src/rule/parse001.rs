//! PARSE001 unparseable-file: the extractor could not parse the file; the
//! finding points at the syntax error and the run goes on.

use super::{FileRef, Findings, Rule, RuleContext};

pub struct Parse001;

impl Rule for Parse001 {
    fn code(&self) -> &'static str {
        "PARSE001"
    }

    fn check_file(&self, _cx: &RuleContext<'_>, file: &FileRef<'_>, out: &mut Findings<'_>) {
        for e in &file.facts.parse_errors {
            // The offending line's text, not its number, so the fingerprint
            // survives lines moving.
            let line = file.source.position(e.span.start).line;
            let text = file.source.slice(file.source.line_span(line));
            out.emit(
                self.code(),
                file,
                e.span,
                &format!("{text}\0{}", e.message),
                None,
                &[("error", e.message.clone())],
            );
        }
    }
}
