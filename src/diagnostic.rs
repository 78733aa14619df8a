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
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lw = word.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = strsim::levenshtein(&lw, &c.to_ascii_lowercase());
        let limit = (c.chars().count().max(word.chars().count()) / 3).max(1);
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
