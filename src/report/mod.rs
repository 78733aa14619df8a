//! Renderers: one file per output format. They decide nothing about what is
//! a finding; they only format diagnostics.

pub mod html;
pub mod human;
pub mod json;
pub mod matrix;

use crate::check::pair::Verdict;
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
    /// The failed rules (or `MATE-UNDECIDED`), sorted.
    pub codes: Vec<String>,
}

impl MatingVerdict {
    /// `✓ mating kestrel-1: kestrel.forward → iss.ida2 mates`, with the
    /// codes that decided a verdict other than `mates`.
    pub fn line(&self) -> String {
        let mut s = format!(
            "{} mating {}: {} → {} {}",
            self.verdict.symbol(),
            self.id,
            self.chaser,
            self.target,
            self.verdict.as_str()
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

/// Sorts diagnostics for output: by file path, start offset, code, then
/// message. The one place where order is decided.
pub fn sort(diags: &mut [Diagnostic], sources: &SourceMap) {
    diags.sort_by(|a, b| {
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
    });
    // identical diagnostics (same code, place and message) are reported once
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
