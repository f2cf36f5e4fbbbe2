//! The `pretty` format: one miette graphical report per finding, with the
//! source snippet, a label on the finding's span carrying the message, the
//! related locations and the help line.
//!
//! Lines and columns come from [`Source`] (1-based, columns in characters),
//! not from miette's own byte count, so they agree with every other format.
//! Text from scanned files is shown with control characters replaced byte for
//! byte, so a file cannot drive the terminal. miette is given only the lines
//! a report shows, a long line cut to a window around its labels (see
//! [`Excerpt`]): it draws every line it gets in full and fails on a label
//! past column 65,535, and a 200 MB one-line file must cost no more than a
//! short one to show.

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

/// Lines longer than this (in characters) are not shown whole: miette
/// draws every line it is given in full, and fails on a label past column
/// 65,535 (a minified file, a notebook saved as one line).
pub const MAX_LINE: usize = 240;
/// How much of a longer line is shown, in characters: a window around the
/// labels on it, with `…` where the line goes on (as rustc and ruff do).
pub const WINDOW: usize = 160;
/// Characters shown before the first label in a window.
const LEAD: usize = 40;
const ELLIPSIS: &str = "…";

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    render_with_links(report, false, out)
}

/// [`render`], with each built-in rule's code a terminal hyperlink (OSC 8)
/// to the rule's page when `links` is set (and colour is on): the caller
/// decides, from the terminal, as ruff does; the text shown is the same.
pub fn render_with_links(report: &Report<'_>, links: bool, out: &mut dyn Write) -> io::Result<()> {
    let links = links && report.color;
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
    for (i, finding) in report.findings.iter().enumerate() {
        let mut diagnostic = FindingDiagnostic::new(finding, report.sources);
        if links && report.rules.get(&finding.code).is_some() {
            // the title starts with the code (`CODE name`)
            if let Some(rest) = diagnostic.title.strip_prefix(finding.code.as_str()) {
                let url = crate::rule::spec::doc_url(&finding.code);
                diagnostic.title = format!("{}{rest}", hyperlink(&url, &finding.code));
            }
        }
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

/// `text` as an OSC 8 terminal hyperlink to `url`.
fn hyperlink(url: &str, text: &str) -> String {
    format!("\u{1b}]8;;{url}\u{1b}\\{text}\u{1b}]8;;\u{1b}\\")
}

/// The part of a file one diagnostic shows, as miette reads it: the lines
/// around its labels (the rest of the file is left out, the lines in
/// between as empty lines), each line longer than [`MAX_LINE`] cut to a
/// window of [`WINDOW`] characters around its first label. Control
/// characters (other than tab and line breaks) and bidirectional controls
/// are replaced by characters of the same byte length. Lines are those of
/// [`Source`] (`\n`-terminated), not miette's own count, which also breaks
/// at a lone `\r`; a line break is appended so that a position at the very
/// end of the file (an empty value on a last line without one) falls on a
/// line miette draws. Line numbers and columns are the file's.
struct Excerpt {
    text: String,
    /// The file's line number of the first row.
    first: usize,
    /// One per line from `first`.
    rows: Vec<Row>,
    /// The number of lines of the file that have text or a line break.
    file_lines: usize,
}

/// One line of an [`Excerpt`].
#[derive(Debug)]
struct Row {
    /// Where the row starts in the excerpt's text.
    at: usize,
    /// Bytes of the row's text in the excerpt, without its line break.
    len: usize,
    /// Where the row ends in the excerpt's text, after its line break.
    end: usize,
    /// The line in the file, without its line break.
    line: Span,
    /// The part of the line shown (all of it, unless the line is long).
    window: Span,
    /// Bytes of the `…` before and after the window (0 or 3).
    lead: usize,
    trail: usize,
    /// The column (0-based, in characters) of the window's start.
    column: usize,
}

impl Excerpt {
    /// The excerpt of `source` for labels on `spans`, and those spans in
    /// the excerpt. Spans are moved inside the text and onto character
    /// boundaries; the first one anchors a long line's window.
    fn new(source: &Source, spans: &[Span]) -> (Excerpt, Vec<SourceSpan>) {
        let text = source.text();
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let spans: Vec<Span> = spans
            .iter()
            .map(|s| {
                let start = floor(s.start);
                Span::new(start, floor(s.end.max(start)))
            })
            .collect();
        let file_lines = memchr::memchr_iter(b'\n', text.as_bytes()).count()
            + usize::from(!text.is_empty() && !text.ends_with('\n'));
        // The lines miette may ask for: each label's, with its context.
        let shown: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let start = source.position(s.start).line;
                let end = source.position(s.end).line;
                (
                    start.saturating_sub(CONTEXT_LINES).max(1),
                    (end + CONTEXT_LINES).min(file_lines).max(end),
                )
            })
            .collect();
        let first = shown.iter().map(|r| r.0).min().unwrap_or(1);
        let last = shown.iter().map(|r| r.1).max().unwrap_or(1);
        // The first label starting on a line anchors its window.
        let mut anchors: HashMap<usize, usize> = HashMap::new();
        for s in &spans {
            anchors
                .entry(source.position(s.start).line)
                .or_insert(s.start);
        }

        let mut out = String::new();
        let mut rows = Vec::with_capacity(last + 1 - first);
        for n in first..=last {
            let line = source.line_span(n);
            let next = source.line_span(n + 1).start.min(text.len());
            let at = out.len();
            if !shown.iter().any(|&(a, b)| (a..=b).contains(&n)) {
                out.push('\n');
                rows.push(Row {
                    at,
                    len: 0,
                    end: out.len(),
                    line,
                    window: Span::new(line.start, line.start),
                    lead: 0,
                    trail: 0,
                    column: 0,
                });
                continue;
            }
            let content = &text[line.start..line.end];
            let (window, column) = window(content, anchors.get(&n).map(|&a| a - line.start));
            let lead = if window.start > 0 { ELLIPSIS.len() } else { 0 };
            let trail = if window.end < content.len() {
                ELLIPSIS.len()
            } else {
                0
            };
            if lead > 0 {
                out.push_str(ELLIPSIS);
            }
            push_shown(&mut out, text, window.shift(line.start));
            if trail > 0 {
                out.push_str(ELLIPSIS);
            }
            let len = out.len() - at;
            push_shown(&mut out, text, Span::new(line.end, next));
            rows.push(Row {
                at,
                len,
                end: out.len(),
                line,
                window: window.shift(line.start),
                lead,
                trail,
                column,
            });
        }
        out.push('\n');
        if let Some(row) = rows.last_mut()
            && row.end == row.at + row.len
        {
            // A last line without a line break ends with the one appended.
            row.end = out.len();
        }
        let excerpt = Excerpt {
            text: out,
            first,
            rows,
            file_lines,
        };
        let mapped = spans
            .iter()
            .map(|s| {
                let start = excerpt.map(source, s.start, false);
                let end = excerpt.map(source, s.end, true).max(start);
                SourceSpan::new(start.into(), end - start)
            })
            .collect();
        (excerpt, mapped)
    }

    /// Where the file's byte `offset` is in the excerpt: a position cut
    /// from a long line falls on the `…` that stands for it.
    fn map(&self, source: &Source, offset: usize, end: bool) -> usize {
        let n = source.position(offset).line;
        let Some(row) = n.checked_sub(self.first).and_then(|i| self.rows.get(i)) else {
            return self.text.len() - 1;
        };
        if offset < row.window.start {
            row.at
        } else if offset <= row.window.end {
            row.at + row.lead + (offset - row.window.start)
        } else if offset <= row.line.end {
            // In the part cut after the window.
            row.at + row.len - if end { 0 } else { row.trail }
        } else {
            // In the line break.
            row.at + row.len + (offset - row.line.end)
        }
    }

    /// The row holding the excerpt's byte `offset`.
    fn row(&self, offset: usize) -> usize {
        self.rows
            .partition_point(|r| r.at <= offset)
            .saturating_sub(1)
    }

    /// The file's column (0-based, in characters) of the excerpt's byte
    /// `offset` in row `i`.
    fn column(&self, i: usize, offset: usize) -> usize {
        let Some(row) = self.rows.get(i) else {
            return 0;
        };
        let from = row.at + row.lead;
        if offset <= from {
            return row.column;
        }
        row.column
            + self
                .text
                .get(from..offset.min(from + row.window.len()))
                .map_or(0, |t| t.chars().count())
    }
}

/// The part of a line (`content`, without its line break) to show, and
/// the column of its start: all of a line of at most [`MAX_LINE`]
/// characters; else [`WINDOW`] characters from [`LEAD`] before `anchor`
/// (a byte offset into the line), or from the start without one.
fn window(content: &str, anchor: Option<usize>) -> (Span, usize) {
    if content.len() <= MAX_LINE || content.chars().nth(MAX_LINE).is_none() {
        return (Span::new(0, content.len()), 0);
    }
    let anchor = anchor.unwrap_or(0).min(content.len());
    let back = |from: usize, n: usize| {
        content[..from]
            .char_indices()
            .rev()
            .take(n)
            .last()
            .map_or(from, |(i, _)| i)
    };
    let forward = |from: usize, n: usize| {
        content[from..]
            .char_indices()
            .nth(n)
            .map_or(content.len(), |(i, _)| from + i)
    };
    let mut start = back(anchor, LEAD);
    let end = forward(start, WINDOW);
    if end == content.len() {
        start = back(end, WINDOW);
    }
    let column = content[..start].chars().count();
    (Span::new(start, end), column)
}

/// Append `span` of `text` with control characters (other than tab and
/// line breaks) and bidirectional controls replaced by characters of the
/// same byte length; a lone `\r` too, as it is no line break here.
fn push_shown(out: &mut String, text: &str, span: Span) {
    let Some(part) = text.get(span.start..span.end) else {
        return;
    };
    let needs =
        |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_bidi_control(c);
    let lone_cr = |i: usize| text.as_bytes().get(span.start + i + 1) != Some(&b'\n');
    for (i, c) in part.char_indices() {
        if needs(c) || (c == '\r' && lone_cr(i)) {
            match c.len_utf8() {
                1 => out.push('?'),
                2 => out.push('¿'),
                _ => out.push(char::REPLACEMENT_CHARACTER),
            }
        } else {
            out.push(c);
        }
    }
}

impl fmt::Debug for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Excerpt")
            .field("first", &self.first)
            .field("rows", &self.rows.len())
            .finish()
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = &self.text;
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() || self.rows.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let first_row = self.row(start);
        let last_row = self.row(end.saturating_sub(1).max(start));
        let last = self.first + self.rows.len() - 1;
        let line = self.first + first_row;
        let end_line = self.first + last_row;
        let from = line
            .saturating_sub(context_lines_before)
            .max(1)
            .max(self.first);
        let to = (end_line + context_lines_after)
            .min(self.file_lines)
            .max(end_line)
            .min(last);
        let data_start = self.rows[from - self.first].at;
        // Through the line break that ends the last line, as miette expects.
        let data_end = self.rows[to - self.first].end;
        let column = if context_lines_before == 0 {
            self.column(first_row, start)
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
    source: Option<NamedSource<Excerpt>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiagnostic>,
    /// `= related: path:line:col: message` for related locations whose file
    /// is not available, printed after the report.
    notes: Vec<String>,
}

impl FindingDiagnostic {
    fn new(finding: &Finding, sources: &HashMap<String, Arc<Source>>) -> Self {
        let here = location(&finding.path, finding.start.line, finding.start.column);
        let message = escape_control(&finding.message).into_owned();
        let mut title = format!("{} {}", finding.code, escape_control(&finding.name));
        let own = sources.get(&finding.path);
        // Related locations in the finding's file are labels of its
        // excerpt; in another file, nested reports with their own.
        let (same, other): (Vec<&Related>, Vec<&Related>) = finding
            .related
            .iter()
            .partition(|r| own.is_some() && r.path == finding.path);
        let mut labels = Vec::new();
        let source = own.map(|src| {
            let spans: Vec<Span> = std::iter::once(finding.span)
                .chain(same.iter().map(|r| r.span))
                .collect();
            let (excerpt, mapped) = Excerpt::new(src, &spans);
            let mut mapped = mapped.into_iter();
            if let Some(span) = mapped.next() {
                labels.push(LabeledSpan::new_primary_with_span(
                    Some(message.clone()),
                    span,
                ));
            }
            for (r, span) in same.iter().zip(mapped) {
                labels.push(LabeledSpan::new_with_span(
                    Some(escape_control(&r.message).into_owned()),
                    span,
                ));
            }
            NamedSource::new(escape_control(&finding.path), excerpt)
        });
        if source.is_none() {
            title = format!("{title}\n{here}: {message}");
        }
        let mut related = Vec::new();
        let mut notes = Vec::new();
        for r in other {
            let r_message = escape_control(&r.message).into_owned();
            match sources.get(&r.path) {
                Some(src) => related.push(RelatedDiagnostic::new(r, r_message, src)),
                None => notes.push(format!(
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
    source: NamedSource<Excerpt>,
    label: LabeledSpan,
}

impl RelatedDiagnostic {
    fn new(related: &Related, message: String, source: &Source) -> Self {
        let (excerpt, mapped) = Excerpt::new(source, &[related.span]);
        let span = mapped
            .into_iter()
            .next()
            .unwrap_or_else(|| SourceSpan::new(0.into(), 0));
        RelatedDiagnostic {
            title: format!("related: {message}"),
            source: NamedSource::new(escape_control(&related.path), excerpt),
            label: LabeledSpan::new_primary_with_span(None, span),
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

    #[test]
    fn codes_link_to_their_rule_page_only_when_asked() {
        let fx = Fixture::new();
        let render = |color: bool, links: bool| {
            let mut out = Vec::new();
            render_with_links(&fx.report(color), links, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let linked = render(true, true);
        let url = crate::rule::spec::doc_url("ENV001");
        assert!(
            linked.contains(&format!("\u{1b}]8;;{url}\u{1b}\\ENV001\u{1b}]8;;\u{1b}\\")),
            "{linked:?}"
        );
        // codes that are not built-in rules (the fixture's ENV004) link nowhere
        assert!(!linked.contains("docs/rules/ENV004.md"));
        // the text is the same, links removed
        let osc = regex::Regex::new("\u{1b}]8;;[^\u{1b}]*\u{1b}\\\\").unwrap();
        assert_eq!(osc.replace_all(&linked, ""), render(true, false));
        // no colour (NO_COLOR, a file, a pipe): no links either
        assert_eq!(render(false, true), render(false, false));
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
            rules: crate::rule::builtin(),
            providers: crate::provider::Providers::builtin(),
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

    #[test]
    fn long_lines_are_windowed() {
        let digits = |n: usize| -> String {
            (0..n)
                .map(|i| char::from(b'0' + u8::try_from(i % 10).unwrap()))
                .collect()
        };
        let long = digits(300);
        let at = |text: &str, needle: &str| text.find(needle).unwrap();
        let mut cases: Vec<(String, Span, Option<Span>)> = Vec::new();
        // A span in the middle of a long line, long context lines around.
        let text = format!("{long}\nA={long}KEY{long}\n{long}\n");
        let k = at(&text, "KEY");
        cases.push((text.clone(), Span::new(k, k + 3), None));
        // At the very end of a long line without a line break, and at
        // its start.
        let text = format!("{long}END");
        cases.push((text.clone(), Span::new(300, 303), None));
        cases.push((text.clone(), Span::new(0, 3), None));
        // A span longer than the window; a related label on the same long
        // line, far from the finding (cut to the window's edge).
        let text = format!("A={long}\n");
        cases.push((text.clone(), Span::new(2, 302), Some(Span::new(250, 252))));
        // A span over two long lines, CRLF endings, wide characters.
        let wide = "é".repeat(300);
        let text = format!("{wide}X\r\n{wide}Y\r\n");
        let x = at(&text, "X");
        let y = at(&text, "Y");
        cases.push((text.clone(), Span::new(x, y + 1), None));
        let mut all = String::new();
        for (text, span, related) in cases {
            all.push_str(&format!("--- {} bytes {span:?} {related:?}\n", text.len()));
            all.push_str(&one(&text, span, related));
        }
        insta::assert_snapshot!(all);
    }

    #[test]
    fn columns_past_u16_render_with_the_file_column() {
        // miette fails on a label past column 65,535.
        let text = format!("{}\"x\"\n", "a".repeat(70_000));
        let out = one(&text, Span::new(70_000, 70_003), None);
        assert!(out.contains("[x.env:1:70001]"), "{out}");
        assert!(out.contains(" 1 │ …aaaa"), "{out}");
        assert!(out.contains("aaaa\"x\"\n"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() < 300), "{out}");
    }
}
