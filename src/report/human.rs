//! The human report: miette's graphical rendering, one diagnostic at a time.
//! Labels in other files are rendered as related notes with their own source.

use crate::diagnostic::{Diagnostic, Severity};
use crate::workspace::{SourceFile, SourceMap};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

/// Rendering options.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

/// A source file as miette sees it: a line index makes reading a span cost
/// only the lines around it, however large the file.
struct Source<'a> {
    file: &'a SourceFile,
}

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let f = self.file;
        let text = f.safe_text();
        let start = span.offset().min(text.len());
        let end = (span.offset() + span.len()).min(text.len());
        let first_line = f.line_index(start).saturating_sub(before + 1);
        let last_line = (f.line_index(end) + after + 2).min(f.line_count());
        let lo = crate::workspace::floor_boundary(text, f.line_start(first_line));
        let hi = crate::workspace::floor_boundary(text, f.line_start(last_line));
        let window: &'a str = &text[lo..hi.max(lo)];
        let local = SourceSpan::new((start - lo).into(), end - start);
        let inner = window.read_span(&local, before, after)?;
        let data: &'a [u8] = inner.data();
        let shifted = SourceSpan::new((inner.span().offset() + lo).into(), inner.span().len());
        Ok(Box::new(MietteSpanContents::new_named(
            f.path.clone(),
            data,
            shifted,
            inner.line() + first_line,
            // miette counts bytes; the header must count characters, as the
            // JSON report does
            if before == 0 {
                f.line_col(start).1 - 1
            } else {
                inner.column()
            },
            inner.line_count(),
        )))
    }
}

/// A diagnostic ready for miette.
struct Report<'a> {
    d: &'a Diagnostic,
    src: Source<'a>,
    related: Vec<Note<'a>>,
    show_reference: bool,
}

/// A label in another file, shown as a related note.
struct Note<'a> {
    message: String,
    span: SourceSpan,
    src: Source<'a>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}
impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}
impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.d.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match (&self.d.help, &self.d.reference) {
            (Some(h), Some(r)) if self.show_reference => {
                Some(Box::new(format!("{h}\nreference: {r}")))
            }
            (None, Some(r)) if self.show_reference => Some(Box::new(format!("reference: {r}"))),
            (Some(h), _) => Some(Box::new(h)),
            _ => None,
        }
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        if self.src.file.text.is_empty() {
            None
        } else {
            Some(&self.src)
        }
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.src.file.text.is_empty() {
            return None;
        }
        let primary = LabeledSpan::new_primary_with_span(
            Some(self.d.label.clone().unwrap_or_else(|| "here".into())),
            to_span(self.d.span.start, self.d.span.end),
        );
        let same = self
            .d
            .labels
            .iter()
            .filter(|l| l.file == self.d.file)
            .map(|l| {
                LabeledSpan::new_with_span(
                    Some(l.message.clone()),
                    to_span(l.span.start, l.span.end),
                )
            });
        Some(Box::new(std::iter::once(primary).chain(same)))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|n| n as &dyn miette::Diagnostic),
        ))
    }
}

fn to_span(start: usize, end: usize) -> SourceSpan {
    SourceSpan::new(start.into(), end.saturating_sub(start))
}

impl fmt::Debug for Note<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for Note<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "in {}", self.src.file.path)
    }
}
impl std::error::Error for Note<'_> {}
impl miette::Diagnostic for Note<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.message.clone()), self.span),
        )))
    }
}

/// Escapes terminal control and bidirectional-override characters in text
/// that came from a user's file (`\u{1b}` instead of a raw ESC).
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(crate::workspace::is_unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if crate::workspace::is_unsafe_char(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A copy of a diagnostic whose texts are safe to print on a terminal.
fn cleaned(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    d.message = clean(&d.message).into_owned();
    d.label = d.label.as_deref().map(|l| clean(l).into_owned());
    d.help = d.help.as_deref().map(|h| clean(h).into_owned());
    for l in &mut d.labels {
        l.message = clean(&l.message).into_owned();
    }
    d
}

/// Renders one diagnostic. Infos (checks skipped for lack of data) are one
/// compact line each; errors and warnings get the full graphical report.
pub fn render_one(sources: &SourceMap, d: &Diagnostic, style: Style) -> String {
    let owned = cleaned(d);
    let d = &owned;
    if let Some(w) = &d.waived {
        let f = sources.get(d.file);
        let (line, col) = f.line_col(d.span.start);
        return format!(
            "waived[{}]: {} ({}:{line}:{col}); waiver {} ({}): {}\n",
            d.code,
            d.message,
            f.path,
            clean(&w.id),
            clean(&w.source),
            clean(&w.reason)
        );
    }
    if d.severity == Severity::Info && !too_long(sources, d) {
        let f = sources.get(d.file);
        let (line, col) = f.line_col(d.span.start);
        return format!(
            "info[{}]: {} ({}:{line}:{col})\n",
            d.code, d.message, f.path
        );
    }
    drawn(sources, d, style)
}

/// Renders one diagnostic as miette's graphical report, whatever its
/// severity (an info is drawn as advice), with its labels in other files as
/// related notes; its texts are made safe for a terminal first.
pub fn render_drawn(sources: &SourceMap, d: &Diagnostic, style: Style) -> String {
    drawn(sources, &cleaned(d), style)
}

fn drawn(sources: &SourceMap, d: &Diagnostic, style: Style) -> String {
    if too_long(sources, d) {
        return compact(sources, d);
    }
    let related = d
        .labels
        .iter()
        .filter(|l| l.file != d.file)
        .map(|l| Note {
            message: l.message.clone(),
            span: to_span(l.span.start, l.span.end),
            src: Source {
                file: sources.get(l.file),
            },
        })
        .collect();
    let report = Report {
        d,
        src: Source {
            file: sources.get(d.file),
        },
        related,
        show_reference: true,
    };
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        out = format!("{}[{}]: {}\n", d.severity.as_str(), d.code, d.message);
    }
    out
}

/// Lines longer than this are not drawn as a snippet (a minified or
/// generated file would otherwise print the whole line per diagnostic).
pub const MAX_SNIPPET_LINE: usize = 1000;

/// Whether a line a diagnostic points at is too long to draw.
fn too_long(sources: &SourceMap, d: &Diagnostic) -> bool {
    let spans = std::iter::once((d.file, d.span)).chain(d.labels.iter().map(|l| (l.file, l.span)));
    spans.into_iter().any(|(file, span)| {
        let f = sources.get(file);
        let first = f.line_index(span.start.min(f.text.len()));
        let last = f.line_index(span.end.min(f.text.len()));
        (first..=last.min(first + 3))
            .any(|l| f.line_start(l + 1).saturating_sub(f.line_start(l)) > MAX_SNIPPET_LINE)
    })
}

/// One diagnostic without a drawn snippet: location, message, a short
/// excerpt, labels and help.
fn compact(sources: &SourceMap, d: &Diagnostic) -> String {
    let f = sources.get(d.file);
    let (line, col) = f.line_col(d.span.start);
    let mut out = format!(
        "{}[{}]: {}\n  --> {}:{line}:{col}\n",
        d.severity.as_str(),
        d.code,
        d.message,
        f.path
    );
    let start = crate::workspace::floor_boundary(&f.text, d.span.start.min(f.text.len()));
    let end = crate::workspace::floor_boundary(
        &f.text,
        (start + 80)
            .min(f.text.len())
            .min(d.span.end.max(start + 1)),
    );
    let excerpt: String = f.text[start..end]
        .chars()
        .take(80)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if !excerpt.trim().is_empty() {
        out.push_str(&format!("   | {excerpt}\n"));
    }
    for l in &d.labels {
        let lf = sources.get(l.file);
        let (ll, lc) = lf.line_col(l.span.start);
        out.push_str(&format!("  note: {} ({}:{ll}:{lc})\n", l.message, lf.path));
    }
    if let Some(h) = &d.help {
        out.push_str(&format!("  help: {h}\n"));
    }
    out
}

/// At most this many diagnostics of one file are drawn; the JSON output
/// always has them all.
pub const MAX_PER_FILE: usize = 200;

/// Renders every diagnostic (already sorted), separated by blank lines.
pub fn render(sources: &SourceMap, diags: &[Diagnostic], style: Style) -> String {
    let mut out = Vec::new();
    let _ = write(&mut out, sources, diags, style);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes every diagnostic (already sorted) to `w`, one at a time.
pub fn write(
    w: &mut dyn std::io::Write,
    sources: &SourceMap,
    diags: &[Diagnostic],
    style: Style,
) -> std::io::Result<()> {
    let mut i = 0;
    while i < diags.len() {
        let file = diags[i].file;
        let n = diags[i..].iter().take_while(|d| d.file == file).count();
        for d in diags[i..i + n].iter().take(MAX_PER_FILE) {
            w.write_all(render_one(sources, d, style).as_bytes())?;
            if d.severity != Severity::Info && d.waived.is_none() {
                w.write_all(b"\n")?;
            }
        }
        if n > MAX_PER_FILE {
            writeln!(
                w,
                "… {} more diagnostics in {} are not shown; `--format json` lists them all\n",
                n - MAX_PER_FILE,
                sources.get(file).path
            )?;
        }
        i += n;
    }
    Ok(())
}
