//! The `pretty` format: one miette graphical report per finding, with the
//! source snippet, a label on the finding's span carrying the message, the
//! related locations and the help line.
//!
//! Lines and columns come from [`Source`] (1-based, columns in characters),
//! not from miette's own byte count, so they agree with every other format.
//! Text from scanned files is shown with control characters replaced byte for
//! byte, so a file cannot drive the terminal.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};

use super::{Report, escape_control, is_bidi_control};
use crate::finding::{Finding, Related, Severity};
use crate::source::{Source, Span};

/// The fixed width reports are wrapped at, so output does not depend on the
/// terminal.
pub const WIDTH: usize = 100;
/// Lines of context shown before and after a span.
pub const CONTEXT_LINES: usize = 2;

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let theme = if report.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_context_lines(CONTEXT_LINES)
        .with_urls(false)
        .with_show_related_as_nested(true)
        .with_primary_span_start()
        .without_syntax_highlighting();
    let mut snippets = Snippets::new(report.sources);
    for (i, finding) in report.findings.iter().enumerate() {
        let diagnostic = FindingDiagnostic::new(finding, &mut snippets);
        let mut text = String::new();
        handler
            .render_report(&mut text, &diagnostic)
            .map_err(|_| io::Error::other("failed to render a report"))?;
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(text.as_bytes())?;
        for line in &diagnostic.notes {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// The miette view of each source file, built once per render.
struct Snippets<'a> {
    sources: &'a HashMap<String, Arc<Source>>,
    cache: HashMap<&'a str, Arc<Snippet>>,
}

impl<'a> Snippets<'a> {
    fn new(sources: &'a HashMap<String, Arc<Source>>) -> Self {
        Snippets {
            sources,
            cache: HashMap::new(),
        }
    }

    fn get(&mut self, path: &str) -> Option<Arc<Snippet>> {
        let (key, source) = self.sources.get_key_value(path)?;
        Some(
            self.cache
                .entry(key.as_str())
                .or_insert_with(|| Arc::new(Snippet::new(source)))
                .clone(),
        )
    }
}

/// A file's text as shown in a snippet: control characters (other than tab
/// and line breaks) and bidirectional controls are replaced by characters of
/// the same byte length, so every span still points at the same bytes. Lines
/// are those of [`Source`] (`\n`-terminated), not miette's own count, which
/// also breaks at a lone `\r`. A line break is appended so that a position
/// at the very end of the file (an empty value on a last line without one)
/// falls on a line miette draws.
struct Snippet {
    text: Source,
    /// The length of the file's text (without the appended line break).
    len: usize,
    /// The number of lines of the file that have text or a line break.
    lines: usize,
}

impl Snippet {
    fn new(source: &Source) -> Self {
        let original = source.text();
        let needs =
            |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_bidi_control(c);
        let lone_cr = |i: usize| original.as_bytes().get(i + 1) != Some(&b'\n');
        let mut text = String::with_capacity(original.len() + 1);
        for (i, c) in original.char_indices() {
            if needs(c) || (c == '\r' && lone_cr(i)) {
                match c.len_utf8() {
                    1 => text.push('?'),
                    2 => text.push('¿'),
                    _ => text.push(char::REPLACEMENT_CHARACTER),
                }
            } else {
                text.push(c);
            }
        }
        debug_assert_eq!(text.len(), original.len());
        text.push('\n');
        Snippet {
            text: Source::new(text),
            len: original.len(),
            lines: original.split_terminator('\n').count(),
        }
    }

    /// A span moved inside the file's text and onto character boundaries.
    fn clamp(&self, span: Span) -> SourceSpan {
        let text = self.text.text();
        let floor = |mut i: usize| {
            i = i.min(self.len);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(span.start);
        let end = floor(span.end.max(start));
        SourceSpan::new(start.into(), end - start)
    }
}

impl fmt::Debug for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snippet")
            .field("len", &self.text.text().len())
            .finish()
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.text();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.text.position(start);
        let last = self.text.position(end.saturating_sub(1).max(start)).line;
        let from = first.line.saturating_sub(context_lines_before).max(1);
        let to = (last + context_lines_after).min(self.lines).max(last);
        let data_start = self.text.line_span(from).start;
        // Through the line break that ends the last line, as miette expects.
        let data_end = self.text.line_span(to + 1).start.min(text.len());
        let column = if context_lines_before == 0 {
            first.column - 1
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new(
            &text.as_bytes()[data_start..data_end],
            SourceSpan::new(data_start.into(), data_end - data_start),
            from - 1,
            column,
            to + 1 - from,
        )))
    }
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn location(path: &str, line: usize, column: usize) -> String {
    format!("{}:{line}:{column}", escape_control(path))
}

/// One finding as a miette diagnostic: the header is `CODE name`, the
/// message is the label on the span (or, without a source, a line under the
/// header), related locations in the same file are secondary labels and in
/// other files nested snippets.
#[derive(Debug)]
struct FindingDiagnostic {
    title: String,
    severity: miette::Severity,
    help: String,
    source: Option<NamedSource<Arc<Snippet>>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiagnostic>,
    /// `= related: path:line:col: message` for related locations whose file
    /// is not available, printed after the report.
    notes: Vec<String>,
}

impl FindingDiagnostic {
    fn new(finding: &Finding, snippets: &mut Snippets<'_>) -> Self {
        let here = location(&finding.path, finding.start.line, finding.start.column);
        let message = escape_control(&finding.message).into_owned();
        let mut title = format!("{} {}", finding.code, escape_control(&finding.name));
        let mut labels = Vec::new();
        let snippet = snippets.get(&finding.path);
        let source = snippet.as_ref().map(|snippet| {
            labels.push(LabeledSpan::new_primary_with_span(
                Some(message.clone()),
                snippet.clamp(finding.span),
            ));
            NamedSource::new(escape_control(&finding.path), snippet.clone())
        });
        if source.is_none() {
            title = format!("{title}\n{here}: {message}");
        }
        let mut related = Vec::new();
        let mut notes = Vec::new();
        for r in &finding.related {
            let r_message = escape_control(&r.message).into_owned();
            match (&snippet, snippets.get(&r.path)) {
                (Some(own), Some(_)) if r.path == finding.path => {
                    labels.push(LabeledSpan::new_with_span(
                        Some(r_message),
                        own.clamp(r.span),
                    ));
                }
                (_, Some(other)) => related.push(RelatedDiagnostic::new(r, r_message, other)),
                (_, None) => notes.push(format!(
                    "  = related: {}: {r_message}",
                    location(&r.path, r.start.line, r.start.column)
                )),
            }
        }
        FindingDiagnostic {
            title,
            severity: miette_severity(finding.severity),
            help: escape_control(&finding.help).into_owned(),
            source,
            labels,
            related,
            notes,
        }
    }
}

impl fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// A related location in another file whose text is available: its own
/// snippet, nested under the finding.
#[derive(Debug)]
struct RelatedDiagnostic {
    title: String,
    source: NamedSource<Arc<Snippet>>,
    label: LabeledSpan,
}

impl RelatedDiagnostic {
    fn new(related: &Related, message: String, snippet: Arc<Snippet>) -> Self {
        let label = LabeledSpan::new_primary_with_span(None, snippet.clamp(related.span));
        RelatedDiagnostic {
            title: format!("related: {message}"),
            source: NamedSource::new(escape_control(&related.path), snippet),
            label,
        }
    }
}

impl fmt::Display for RelatedDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for RelatedDiagnostic {}

impl Diagnostic for RelatedDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::super::test_fixtures::Fixture;
    use super::*;
    use crate::finding::Summary;

    fn render_string(fx: &Fixture, color: bool) -> String {
        let mut out = Vec::new();
        render(&fx.report(color), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn all_findings() {
        let fx = Fixture::new();
        insta::assert_snapshot!(render_string(&fx, false));
    }

    #[test]
    fn colour_only_when_asked_and_never_links() {
        let fx = Fixture::new();
        let plain = render_string(&fx, false);
        assert!(!plain.contains('\u{1b}'));
        let coloured = render_string(&fx, true);
        assert!(coloured.contains("\u{1b}["));
        assert!(!coloured.contains("\u{1b}]8;"));
        assert!(coloured.contains("ORG001 hardcoded-organization-id"));
    }

    /// One finding with span `span` in a file `x.env` holding `text`, and
    /// optionally a related location in the same file.
    fn one(text: &str, span: Span, related: Option<Span>) -> String {
        let source = Arc::new(Source::new(text.to_string()));
        let finding = Finding {
            code: "ENV002".into(),
            name: "edge-case".into(),
            severity: Severity::Warning,
            path: "x.env".into(),
            span,
            start: source.position(span.start),
            end: source.position(span.end),
            message: "here".into(),
            help: String::new(),
            fingerprint: "0".into(),
            related: related
                .into_iter()
                .map(|span| Related {
                    path: "x.env".into(),
                    span,
                    start: source.position(span.start),
                    message: "and here".into(),
                })
                .collect(),
            fix: None,
        };
        let sources = HashMap::from([("x.env".to_string(), source)]);
        let summary = Summary::default();
        let findings = [finding];
        let report = Report {
            findings: &findings,
            summary: &summary,
            sources: &sources,
            color: false,
        };
        let mut out = Vec::new();
        render(&report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn edge_cases() {
        let far: String = (1..=12).map(|i| format!("VAR_{i}=value\n")).collect();
        let cases = [
            // An empty value, on a last line without a line break.
            ("A=", Span::new(2, 2), None),
            // The position right after the final line break.
            ("A=1\n", Span::new(4, 4), None),
            ("", Span::new(0, 0), None),
            // A span past the end of the text is cut to it.
            ("A=1\n", Span::new(2, 99), None),
            // Control characters and a bidi override are not sent to the
            // terminal; a lone CR does not start a line.
            ("A=\u{1b}[2Jx\rB=\u{202e}y\n", Span::new(2, 7), None),
            ("A=1\r\nB=2\r\n", Span::new(7, 8), None),
            // Columns count characters.
            ("A=é\nB=ü\n", Span::new(9, 9), None),
            // A related location far from the finding in the same file.
            (
                far.as_str(),
                Span::new(far.find("VAR_11").unwrap(), far.find("VAR_11").unwrap() + 6),
                Some(Span::new(0, 5)),
            ),
        ];
        let mut all = String::new();
        for (text, span, related) in cases {
            all.push_str(&format!("--- {text:?} {span:?}\n"));
            all.push_str(&one(text, span, related));
        }
        insta::assert_snapshot!(all);
    }
}
