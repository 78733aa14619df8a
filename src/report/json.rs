//! The JSON contract, version 1:
//! `{"version":1,"diagnostics":[...],"matings":[...],"summary":{...}}`.
//! Lines and columns are 1-based, columns count Unicode scalar values, and
//! `end` is exclusive.

use crate::diagnostic::{Counts, Diagnostic, FileId};
use crate::syntax::Span;
use crate::workspace::SourceMap;
use serde::Serialize;

#[derive(Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

#[derive(Serialize)]
pub struct JsonSpan {
    pub start: Position,
    pub end: Position,
}

#[derive(Serialize)]
pub struct JsonLabel {
    pub file: String,
    pub span: JsonSpan,
    pub message: String,
}

#[derive(Serialize)]
pub struct JsonDiagnostic {
    pub code: String,
    pub severity: &'static str,
    pub message: String,
    pub file: String,
    pub span: JsonSpan,
    /// The text of the primary label, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub labels: Vec<JsonLabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The waiver that accepted this finding: it does not count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<JsonWaived>,
}

/// `{"id", "reason", "source"}`: `source` is `inline` or the waiver file.
#[derive(Serialize)]
pub struct JsonWaived {
    pub id: String,
    pub reason: String,
    pub source: String,
}

#[derive(Serialize)]
pub struct Summary {
    pub files: usize,
    /// Errors, warnings and infos leave waived findings out.
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub waived: usize,
    /// Declared matings by verdict.
    pub matings: super::MatingCounts,
}

/// A declared mating and its verdict.
#[derive(Serialize)]
pub struct JsonMating {
    pub id: String,
    pub file: String,
    pub span: JsonSpan,
    pub chaser: String,
    pub target: String,
    pub verdict: crate::check::pair::Verdict,
    /// `docking` or `berthing` when the verdict is `mates`, else null.
    pub how: Option<crate::check::pair::How>,
    pub codes: Vec<String>,
}

pub fn mating(sources: &SourceMap, m: &super::MatingVerdict) -> JsonMating {
    JsonMating {
        id: m.id.clone(),
        file: sources.get(m.file).path.clone(),
        span: span(sources, m.file, m.span),
        chaser: m.chaser.clone(),
        target: m.target.clone(),
        verdict: m.verdict,
        how: m.how,
        codes: m.codes.clone(),
    }
}

pub fn span(sources: &SourceMap, file: FileId, span: Span) -> JsonSpan {
    let f = sources.get(file);
    let pos = |o: usize| {
        let (line, column) = f.line_col(o);
        Position {
            line,
            column,
            offset: o.min(f.text.len()),
        }
    };
    // an end inside a character (an encoding error's byte) counts that character
    let mut e = span.end.min(f.text.len());
    while e < f.text.len() && !f.text.is_char_boundary(e) {
        e += 1;
    }
    let (line, column) = f.line_col(e);
    JsonSpan {
        start: pos(span.start),
        end: Position {
            line,
            column,
            offset: span.end.min(f.text.len()),
        },
    }
}

pub fn diagnostic(sources: &SourceMap, d: &Diagnostic) -> JsonDiagnostic {
    JsonDiagnostic {
        code: d.code.clone(),
        severity: d.severity.as_str(),
        message: d.message.clone(),
        file: sources.get(d.file).path.clone(),
        span: span(sources, d.file, d.span),
        label: d.label.clone(),
        labels: d
            .labels
            .iter()
            .map(|l| JsonLabel {
                file: sources.get(l.file).path.clone(),
                span: span(sources, l.file, l.span),
                message: l.message.clone(),
            })
            .collect(),
        help: d.help.clone(),
        reference: d.reference.clone(),
        waived: d.waived.as_ref().map(|w| JsonWaived {
            id: w.id.clone(),
            reason: w.reason.clone(),
            source: w.source.clone(),
        }),
    }
}

/// The diagnostics as a JSON array, converted one at a time while writing.
struct DiagSeq<'a> {
    sources: &'a SourceMap,
    diags: &'a [Diagnostic],
}

impl Serialize for DiagSeq<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.diags.iter().map(|d| diagnostic(self.sources, d)))
    }
}

#[derive(Serialize)]
struct StreamedReport<'a> {
    version: u32,
    diagnostics: DiagSeq<'a>,
    matings: Vec<JsonMating>,
    summary: Summary,
}

/// Writes the check report (diagnostics and matings already sorted) to `w`
/// without building the diagnostics in memory first.
pub fn write_report(
    w: &mut dyn std::io::Write,
    sources: &SourceMap,
    diags: &[Diagnostic],
    matings: &[super::MatingVerdict],
    files: usize,
) -> std::io::Result<()> {
    let c = Counts::of(diags);
    let report = StreamedReport {
        version: 1,
        diagnostics: DiagSeq { sources, diags },
        matings: matings.iter().map(|m| mating(sources, m)).collect(),
        summary: Summary {
            files,
            errors: c.errors,
            warnings: c.warnings,
            infos: c.infos,
            waived: c.waived,
            matings: super::MatingCounts::of(matings),
        },
    };
    // serde_json writes token by token: a buffer of its own here keeps
    // those writes out of `dyn Write` (one dynamic call per 64 KiB)
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut out, &report).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    // hands what is buffered to `w` (flushing `w` is its owner's say)
    out.into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    Ok(())
}

/// Renders the check report (diagnostics and matings already sorted).
pub fn render(
    sources: &SourceMap,
    diags: &[Diagnostic],
    matings: &[super::MatingVerdict],
    files: usize,
) -> String {
    let mut out = Vec::new();
    // writing to memory cannot fail
    let _ = write_report(&mut out, sources, diags, matings, files);
    String::from_utf8_lossy(&out).into_owned()
}

/// Pretty JSON with a final newline.
pub fn to_string<T: Serialize>(v: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// The `export` document with every span given as in the check report
/// (`start` and `end`, each with `line`, `column` and `offset`). `files[i]`
/// of `doc` was read from `ids[i]`.
pub fn export(sources: &SourceMap, doc: &crate::model::ExportDoc, ids: &[FileId]) -> String {
    #[derive(Serialize)]
    struct Out {
        version: u32,
        files: Vec<serde_json::Value>,
    }
    let files = doc
        .files
        .iter()
        .zip(ids)
        .map(|(f, id)| {
            let mut v = serde_json::to_value(f).unwrap_or_default();
            positions(sources, *id, &mut v);
            v
        })
        .collect();
    to_string(&Out {
        version: doc.version,
        files,
    })
}

/// Replaces every `"span": {"start": N, "end": M}` under `v` by its lines
/// and columns.
fn positions(sources: &SourceMap, file: FileId, v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                let offsets = (k == "span")
                    .then(|| Some((child.get("start")?.as_u64()?, child.get("end")?.as_u64()?)))
                    .flatten();
                match offsets {
                    Some((a, b)) => {
                        let (a, b) = (a as usize, b as usize);
                        *child = serde_json::to_value(span(sources, file, Span::new(a, b)))
                            .unwrap_or_default();
                    }
                    None => positions(sources, file, child),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for i in items {
                positions(sources, file, i);
            }
        }
        _ => {}
    }
}

#[derive(Serialize)]
struct MateDoc<'a> {
    version: u32,
    chaser: &'a str,
    target: &'a str,
    verdict: crate::check::pair::Verdict,
    how: Option<crate::check::pair::How>,
    codes: &'a [String],
    diagnostics: DiagSeq<'a>,
    summary: MateSummary,
}

#[derive(Serialize)]
struct MateSummary {
    errors: usize,
    warnings: usize,
    infos: usize,
    waived: usize,
}

/// The pair a `mate` report is of: its ports, verdict, how it mates and
/// the codes that decided it.
pub struct MatePair<'a> {
    pub chaser: &'a str,
    pub target: &'a str,
    pub verdict: crate::check::pair::Verdict,
    pub how: Option<crate::check::pair::How>,
    pub codes: &'a [String],
}

/// Writes the `mate` report: the pair, its verdict and how it mates, the
/// codes that decided it and the diagnostics (sorted).
pub fn write_mate(
    w: &mut dyn std::io::Write,
    sources: &SourceMap,
    diags: &[Diagnostic],
    pair: &MatePair,
) -> std::io::Result<()> {
    let c = Counts::of(diags);
    let doc = MateDoc {
        version: 1,
        chaser: pair.chaser,
        target: pair.target,
        verdict: pair.verdict,
        how: pair.how,
        codes: pair.codes,
        diagnostics: DiagSeq { sources, diags },
        summary: MateSummary {
            errors: c.errors,
            warnings: c.warnings,
            infos: c.infos,
            waived: c.waived,
        },
    };
    serde_json::to_writer_pretty(&mut *w, &doc).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}
