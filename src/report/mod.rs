//! Renderers: one file per output format. They decide nothing about what is
//! a finding; they only format diagnostics.

pub mod html;
pub mod human;
pub mod json;
pub mod matrix;

use crate::diagnostic::Diagnostic;
use crate::workspace::SourceMap;

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
