//! Renderers: one file per output format. They decide nothing about what is
//! a finding; they only format diagnostics.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod matrix;
pub mod rdjson;
pub mod sarif;
pub mod short;

use crate::check::pair::{How, Verdict};
use crate::diagnostic::{Diagnostic, FileId};
use crate::syntax::Span;
use crate::workspace::SourceMap;

/// The verdict of a declared mating, as `check` reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct MatingVerdict {
    /// The file and the span of the mating's id.
    pub file: FileId,
    pub span: Span,
    pub id: String,
    pub chaser: String,
    pub target: String,
    pub verdict: Verdict,
    /// How it mates (`None` unless the verdict is `mates`).
    pub how: Option<How>,
    /// The failed rules (or `MATE-UNDECIDED`), sorted.
    pub codes: Vec<String>,
}

/// `mates (berthing)`, `fails`: a verdict with how it mates.
pub fn verdict_text(verdict: Verdict, how: Option<How>) -> String {
    match how {
        Some(h) => format!("{} ({})", verdict.as_str(), h.as_str()),
        None => verdict.as_str().to_string(),
    }
}

impl MatingVerdict {
    /// `✓ mating kestrel-1: kestrel.forward → iss.ida2 mates (docking)`,
    /// with the codes that decided a verdict other than `mates`.
    pub fn line(&self) -> String {
        let mut s = format!(
            "{} mating {}: {} → {} {}",
            self.verdict.symbol(),
            self.id,
            self.chaser,
            self.target,
            verdict_text(self.verdict, self.how)
        );
        if !self.codes.is_empty() {
            s.push_str(&format!(" ({})", self.codes.join(", ")));
        }
        s
    }
}

/// Counts of matings by verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct MatingCounts {
    pub mates: usize,
    pub fails: usize,
    pub undecided: usize,
}

impl MatingCounts {
    pub fn of(matings: &[MatingVerdict]) -> MatingCounts {
        let mut c = MatingCounts::default();
        for m in matings {
            match m.verdict {
                Verdict::Mates => c.mates += 1,
                Verdict::Fails => c.fails += 1,
                Verdict::Undecided => c.undecided += 1,
            }
        }
        c
    }
}

/// Sorts mating verdicts by file path, then place in the file.
pub fn sort_matings(matings: &mut [MatingVerdict], sources: &SourceMap) {
    matings.sort_by(|a, b| {
        (sources.get(a.file).path.as_str(), a.span.start, &a.id).cmp(&(
            sources.get(b.file).path.as_str(),
            b.span.start,
            &b.id,
        ))
    });
}

/// The output order of two diagnostics: file path, start offset, code,
/// message, end offset.
pub fn compare(a: &Diagnostic, b: &Diagnostic, sources: &SourceMap) -> std::cmp::Ordering {
    (
        sources.get(a.file).path.as_str(),
        a.span.start,
        &a.code,
        &a.message,
        a.span.end,
    )
        .cmp(&(
            sources.get(b.file).path.as_str(),
            b.span.start,
            &b.code,
            &b.message,
            b.span.end,
        ))
}

/// Sorts diagnostics for output ([`compare`]). The one place where order
/// is decided.
pub fn sort(diags: &mut [Diagnostic], sources: &SourceMap) {
    diags.sort_by(|a, b| compare(a, b, sources));
}

/// Removes exact duplicates after sorting.
pub fn dedup(diags: &mut Vec<Diagnostic>) {
    diags.dedup_by(|a, b| {
        a.file == b.file && a.span == b.span && a.code == b.code && a.message == b.message
    });
}

/// Puts diagnostics in their final form for output: sorted, without exact
/// duplicates, at most [`crate::diagnostic::MAX_PER_FILE`] per file.
pub fn finish(diags: &mut Vec<Diagnostic>, sources: &SourceMap) {
    sort(diags, sources);
    dedup(diags);
    if crate::diagnostic::cap_per_file(diags) {
        // the limit notes were appended; put them in their place
        sort(diags, sources);
    }
}

/// One checked `.icd` file and the rules that applied to it (rule ids,
/// sorted): the rules whose filter selected one of its ports, and the pair
/// rules of the matings it declares.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedFile {
    pub file: FileId,
    pub rules: crate::check::RuleIds,
}

/// What the machine formats say about a code: rules from their spec entry,
/// built-in codes (`ICD-*`, `SPEC-*`) from their explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeInfo {
    pub id: String,
    /// One line.
    pub summary: String,
    /// The rationale (rules) or the explanation (built-in codes).
    pub description: String,
    /// The help shown with findings, when the code has one.
    pub help: Option<String>,
    /// The standard's reference with its provenance, for rules.
    pub reference: Option<String>,
    /// The level in force.
    pub severity: crate::diagnostic::Severity,
    /// `language`, `spec`, `conformance` or `pair`, then the spec's name
    /// and the provenance for rules.
    pub tags: Vec<String>,
}

impl CodeInfo {
    /// Every code of a run: the loaded rules, then every built-in code,
    /// sorted by id.
    pub fn all(rules: &crate::spec::RuleSet) -> Vec<CodeInfo> {
        let mut out: Vec<CodeInfo> = rules
            .rules
            .iter()
            .map(|r| CodeInfo {
                id: r.rule.id.clone(),
                summary: r.rule.summary.clone(),
                description: r.rule.rationale.clone(),
                help: r.rule.help.clone(),
                reference: Some(crate::check::conformance::reference(r)),
                severity: r.severity,
                tags: vec![
                    match r.check {
                        crate::spec::Compiled::Pair { .. } => "pair".to_string(),
                        _ => "conformance".to_string(),
                    },
                    rules.specs[r.spec].name.clone(),
                    r.rule.provenance.as_str().to_string(),
                ],
            })
            .collect();
        for (kind, (code, summary, explanation, _)) in crate::diagnostic::explained_codes() {
            if out.iter().any(|c| c.id == *code) {
                continue;
            }
            out.push(CodeInfo {
                id: code.to_string(),
                summary: summary.to_string(),
                description: explanation.to_string(),
                help: None,
                reference: None,
                severity: crate::diagnostic::code_severity(code),
                tags: vec![kind.to_string()],
            });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }
}

/// Everything a renderer needs about one run of `check` or `mate`. The
/// diagnostics are final: sorted and capped ([`finish`]), waived ones
/// included (each carries its [`crate::diagnostic::Waived`]).
#[derive(Clone, Copy)]
pub struct Run<'a> {
    pub sources: &'a SourceMap,
    pub diags: &'a [Diagnostic],
    /// One fingerprint per diagnostic, in the same order
    /// ([`crate::fingerprint::fingerprints`]).
    pub fingerprints: &'a [String],
    pub matings: &'a [MatingVerdict],
    /// The `.icd` files read, sorted by shown path.
    pub files: &'a [CheckedFile],
    /// Every code that can appear, sorted by id ([`CodeInfo::all`]).
    pub codes: &'a [CodeInfo],
    /// Findings at or above this level fail the run.
    pub fail_on: crate::spec::config::FailOn,
}

impl Run<'_> {
    /// Whether this finding fails the run (waived findings never do).
    pub fn fails(&self, d: &Diagnostic) -> bool {
        d.waived.is_none() && d.severity.rank() >= self.fail_on.min_rank()
    }
    /// The shown path of a file (forward slashes, relative to the project
    /// root).
    pub fn path(&self, file: FileId) -> &str {
        &self.sources.get(file).path
    }
    /// The entry of a code, when it has one.
    pub fn code(&self, id: &str) -> Option<&CodeInfo> {
        self.codes
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.codes[i])
    }
}

/// How a column is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    /// Unicode scalar values (JSON, short, human, github).
    Chars,
    /// UTF-16 code units (SARIF).
    Utf16,
    /// UTF-8 bytes (rdjson).
    Bytes,
}

/// The 1-based line and column of a byte offset, the column counted in
/// `unit`. An offset inside a character counts from that character's start.
pub fn line_col(sources: &SourceMap, file: FileId, offset: usize, unit: Columns) -> (usize, usize) {
    let f = sources.get(file);
    let offset = crate::workspace::floor_boundary(&f.text, offset.min(f.text.len()));
    let line = f.line_index(offset);
    let mut start = f.line_start(line).min(offset);
    // a byte-order mark is not a column (as in `SourceFile::line_col`)
    if line == 0 && offset >= 3 && f.text.starts_with('\u{feff}') {
        start = 3;
    }
    let before = &f.text[start..offset];
    let col = match unit {
        Columns::Chars => before.chars().count(),
        Columns::Utf16 => before.encode_utf16().count(),
        Columns::Bytes => before.len(),
    };
    (line + 1, col + 1)
}

/// The 1-based start and end (exclusive) of a span as (line, column) pairs.
pub fn region(
    sources: &SourceMap,
    file: FileId,
    span: Span,
    unit: Columns,
) -> ((usize, usize), (usize, usize)) {
    let f = sources.get(file);
    // an end inside a character (an encoding error's byte) counts that character
    let mut end = span.end.min(f.text.len());
    while end < f.text.len() && !f.text.is_char_boundary(end) {
        end += 1;
    }
    let end = end.max(span.start.min(f.text.len()));
    (
        line_col(sources, file, span.start, unit),
        line_col(sources, file, end, unit),
    )
}

/// What renderer tests share: a run of these diagnostics (no matings, no
/// checked files, fail level `error`) rendered by `write`, and the span of a
/// word in a text.
#[cfg(test)]
pub(crate) mod testing {
    use super::{CodeInfo, Run};
    use crate::diagnostic::Diagnostic;
    use crate::syntax::Span;
    use crate::workspace::SourceMap;

    pub type Writer = fn(&mut dyn std::io::Write, &Run) -> std::io::Result<()>;

    pub fn render_with(
        write: Writer,
        sources: &SourceMap,
        diags: &[Diagnostic],
        codes: &[CodeInfo],
    ) -> String {
        let fingerprints = crate::fingerprint::fingerprints(diags, sources);
        let run = Run {
            sources,
            diags,
            fingerprints: &fingerprints,
            matings: &[],
            files: &[],
            codes,
            fail_on: crate::spec::config::FailOn::Error,
        };
        let mut out = Vec::new();
        write(&mut out, &run).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// With every built-in code.
    pub fn render(write: Writer, sources: &SourceMap, diags: &[Diagnostic]) -> String {
        render_with(
            write,
            sources,
            diags,
            &CodeInfo::all(&crate::spec::RuleSet::default()),
        )
    }

    pub fn at(text: &str, word: &str) -> Span {
        let i = text.find(word).unwrap();
        Span::new(i, i + word.len())
    }
}
