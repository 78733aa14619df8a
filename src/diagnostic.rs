//! One diagnostic type for every stage: a stable code, a severity, a message,
//! a primary span, related labels (possibly in other files), help and a
//! reference. Renderers in `report` turn it into text; nothing here prints.

use crate::syntax::Span;
use serde::{Deserialize, Serialize};

/// Index of a file in the [`crate::workspace::SourceMap`].
pub type FileId = usize;

/// Stable codes of the language diagnostics.
pub mod codes {
    pub const SYNTAX: &str = "ICD-SYNTAX";
    pub const UNKNOWN: &str = "ICD-UNKNOWN";
    pub const UNIT: &str = "ICD-UNIT";
    pub const TYPE: &str = "ICD-TYPE";
    pub const DUPLICATE: &str = "ICD-DUPLICATE";
    pub const RANGE: &str = "ICD-RANGE";
    pub const MISSING: &str = "ICD-MISSING";
    pub const REF: &str = "ICD-REF";
    pub const ENCODING: &str = "ICD-ENCODING";
    /// A path that cannot be read (exit code 2).
    pub const IO: &str = "ICD-IO";
    /// More diagnostics in one file than are reported.
    pub const LIMIT: &str = "ICD-LIMIT";
}

/// How serious a finding is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// Higher is more serious.
    pub fn rank(self) -> u8 {
        match self {
            Severity::Error => 3,
            Severity::Warning => 2,
            Severity::Info => 1,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Another place a diagnostic points at.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// A finding with everything a renderer needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub file: FileId,
    pub span: Span,
    /// Text of the primary label (defaults to the message in renderers).
    pub label: Option<String>,
    /// Other places, in this file or another.
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// The standard's reference (document, revision, section) for rule findings.
    pub reference: Option<String>,
}

impl Diagnostic {
    pub fn new(
        code: &str,
        severity: Severity,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code: code.to_string(),
            severity,
            message: message.into(),
            file,
            span,
            label: None,
            labels: Vec::new(),
            help: None,
            reference: None,
        }
    }
    pub fn error(code: &str, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, file, span, message)
    }
    pub fn with_label(mut self, text: impl Into<String>) -> Self {
        self.label = Some(text.into());
        self
    }
    pub fn with_related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// At most this many diagnostics are reported for one file; past that, one
/// ICD-LIMIT note says how many were left out.
pub const MAX_PER_FILE: usize = 1000;

/// The note that ends a file's diagnostics when [`MAX_PER_FILE`] is reached.
pub fn limit_note(file: FileId, suppressed: usize) -> Diagnostic {
    Diagnostic::new(
        codes::LIMIT,
        Severity::Warning,
        file,
        Span::default(),
        format!("{suppressed} more diagnostics in this file were not reported (at most {MAX_PER_FILE} per file)"),
    )
    .with_label("the limit was reached in this file")
    .with_help("fix the problems reported first; is this an .icd file?")
}

/// Keeps at most [`MAX_PER_FILE`] diagnostics per file (in their order) and
/// ends each file that had more with one ICD-LIMIT note (merging the notes
/// that earlier stages left).
pub fn cap_per_file(diags: &mut Vec<Diagnostic>) {
    use std::collections::{BTreeMap, HashMap};
    let mut dropped: BTreeMap<FileId, usize> = BTreeMap::new();
    diags.retain(|d| {
        if d.code == codes::LIMIT {
            let n = d
                .message
                .split(' ')
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0);
            *dropped.entry(d.file).or_insert(0) += n;
            false
        } else {
            true
        }
    });
    let mut count: HashMap<FileId, usize> = HashMap::new();
    diags.retain(|d| {
        let n = count.entry(d.file).or_insert(0);
        *n += 1;
        if *n > MAX_PER_FILE {
            *dropped.entry(d.file).or_insert(0) += 1;
            false
        } else {
            true
        }
    });
    for (file, n) in dropped {
        if n > 0 {
            diags.push(limit_note(file, n));
        }
    }
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(diags: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diags {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

/// "Did you mean": the closest candidate within a small edit distance.
/// Names longer than this get no "did you mean" (the search is quadratic in
/// the length).
pub const MAX_SUGGEST_LEN: usize = 64;
/// At most this many candidates are compared.
pub const MAX_SUGGEST_CANDIDATES: usize = 5000;

/// "Did you mean": the closest candidate within a small edit distance
/// (transpositions count as one edit). Bounded: long words and long
/// candidate lists get no suggestion.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wlen = word.chars().count();
    if wlen > MAX_SUGGEST_LEN {
        return None;
    }
    let lw = word.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates.into_iter().take(MAX_SUGGEST_CANDIDATES) {
        let clen = c.chars().count();
        let limit = (clen.max(wlen) + 1) / 3;
        let limit = limit.max(1);
        if clen > MAX_SUGGEST_LEN || clen.abs_diff(wlen) > limit {
            continue;
        }
        let d = strsim::osa_distance(&lw, &c.to_ascii_lowercase());
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names() {
        assert_eq!(closest("powr", ["power", "docking", "data"]), Some("power"));
        assert_eq!(closest("pwr", ["power", "docking", "data"]), Some("power"));
        assert_eq!(closest("nmae", ["name", "operator"]), Some("name"));
        assert_eq!(closest(&"a".repeat(100), ["a"]), None);
        assert_eq!(
            closest("colour", ["name", "operator", "tags", "mass"]),
            None
        );
        assert_eq!(
            closest("IDSS-PASSAGX", ["IDSS-PASSAGE", "IDSS-HOOKS"]),
            Some("IDSS-PASSAGE")
        );
    }
}
