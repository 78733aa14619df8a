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
    /// A docking system that no loaded spec's families name (a warning).
    pub const SYSTEM: &str = "ICD-SYSTEM";
    /// A path that cannot be read (exit code 2).
    pub const IO: &str = "ICD-IO";
    /// A file larger than `max-file-size`: not read, not checked (exit
    /// code 2).
    pub const TOO_LARGE: &str = "ICD-TOO-LARGE";
    /// Whether `code` says a path was not read at all (ICD-IO,
    /// ICD-TOO-LARGE): the run could not check it, exit code 2.
    pub fn unread(code: &str) -> bool {
        code == IO || code == TOO_LARGE
    }
    /// More diagnostics in one file than are reported.
    pub const LIMIT: &str = "ICD-LIMIT";
    /// A malformed waiver (an error; it waives nothing).
    pub const WAIVER: &str = "ICD-WAIVER";
    /// A waiver that accepted no finding (a warning).
    pub const WAIVER_UNUSED: &str = "ICD-WAIVER-UNUSED";
    /// A waiver past its `expires` date (a warning; it waives nothing).
    pub const WAIVER_EXPIRED: &str = "ICD-WAIVER-EXPIRED";
    /// A baseline entry that matches no finding any more (a warning).
    pub const BASELINE_STALE: &str = "ICD-BASELINE-STALE";
}

/// The language diagnostics, explained (`dockcheck explain ICD-UNIT`):
/// (code, summary, explanation, example).
pub const LANGUAGE_CODES: &[(&str, &str, &str, &str)] = &[
    (
        codes::SYNTAX,
        "The text does not follow the grammar.",
        "A statement is `key = value` or `kind [id] { ... }`, and ends at a newline, `;` or the `}` of its block. The message says what was expected. One bad statement gives one diagnostic; the parser goes on with the next.",
        "mass =            # expected a value",
    ),
    (
        codes::UNKNOWN,
        "A block kind or attribute that is not in the vocabulary.",
        "Unknown names are reported, never silently ignored, with \"did you mean\" when a known name is close.",
        "port p { powr { direction = supply } }   # did you mean `power`?",
    ),
    (
        codes::UNIT,
        "An unknown unit, or a unit of the wrong dimension.",
        "Every quantity is checked against the dimension its attribute needs; the message names the dimension expected and the unit given.",
        "passageway = 800 kg   # a mass where a length is needed",
    ),
    (
        codes::TYPE,
        "A value of the wrong kind.",
        "A string where a quantity is expected, a symbol outside its list, a single value where a range is needed, a list where a scalar is needed, a fractional count.",
        "role = sideways   # a docking role is active, passive or dual",
    ),
    (
        codes::DUPLICATE,
        "The same attribute or id twice.",
        "Points at both places. Vehicle ids are unique across all files of a run; port ids within their vehicle; bus, link and mating ids within their block or file.",
        "port p1 { }\nport p1 { }",
    ),
    (
        codes::RANGE,
        "A value outside what can be meant.",
        "A range whose lower end is above its upper end, a negative value where none can be, a number that is not finite as a 64-bit float, an unsupported `format`.",
        "mass = 9 t .. 4 t",
    ),
    (
        codes::MISSING,
        "A required attribute is absent.",
        "`vehicle.name`, `docking.system`, `docking.role`, `mating.chaser` and `mating.target` are required.",
        "vehicle v { mass = 3 t }   # needs `name`",
    ),
    (
        codes::REF,
        "A reference that does not resolve.",
        "A mating names a vehicle no file of the run defines, a port that vehicle does not have, or two ports of one vehicle.",
        "mating m { chaser = probe.p2; target = station.a }",
    ),
    (
        codes::ENCODING,
        "The file is not valid UTF-8.",
        "Gives the byte offset of the first invalid byte; typical cause: a file saved as Latin-1.",
        "name = \"Caf\\xE9\"",
    ),
    (
        codes::IO,
        "A path that cannot be read.",
        "The path does not exist, cannot be read, or is neither a file nor a directory. dockcheck exits with status 2.",
        "dockcheck check no/such/file.icd",
    ),
    (
        codes::TOO_LARGE,
        "A file larger than the size limit: it was not checked.",
        "A file over `max-file-size` (default 256 MiB; `[limits]` in dockcheck.toml, or `--max-file-size`) is not read at all: its size is taken before reading, and a read stops one byte past the limit (a file that grows, or a pipe). The message gives the size and the limit, the help a limit that lets the file through. dockcheck exits with status 2, as for a path it cannot read: the file was not checked.",
        "dockcheck check --max-file-size 1MiB huge.icd   # ICD-TOO-LARGE",
    ),
    (
        codes::LIMIT,
        "More problems in one file than are reported.",
        "At most 1,000 diagnostics are reported per file; this warning counts the rest.",
        "(a file with thousands of errors)",
    ),
    (
        codes::SYSTEM,
        "A `docking.system` that no loaded spec's family names (a warning).",
        "No conformance or mate rule can decide a port whose docking system is in no family of the loaded specs, so such a port would otherwise pass silently. The message suggests the closest known system. Fix: use a system from the family table (`dockcheck rules` lists the families and their systems), or load a spec whose families name it.",
        "docking { system = \"IDDS\"; role = active }   # did you mean `IDSS`?",
    ),
    (
        codes::WAIVER,
        "A malformed waiver: it waives nothing.",
        "An inline waiver is `# waiver: RULE ID \"reason\"` with an optional `expires=YYYY-MM-DD`; a `[[waiver]]` entry of a waiver file needs `rule`, `id`, `reason` and one of `path` (a glob on the path from the project root) or `ref` (`vehicle` or `vehicle.port`). A waiver without its rule, id or reason, or naming a code that does not exist, is an error and the finding it meant stays unwaived. Waiver codes themselves cannot be waived.",
        "# waiver: IDSS-PASSAGE W-2031   # no reason: waives nothing",
    ),
    (
        codes::WAIVER_UNUSED,
        "A waiver that accepted no finding (a warning).",
        "The finding was fixed, or the waiver names the wrong rule, line, path or ref. Remove the waiver, or correct it. An inline waiver covers its own line, or the next line that is not blank or a comment. A waiver of a rule that `--select`/`--ignore` leaves out, or of files that were not checked, is not called unused.",
        "# waiver: IDSS-PASSAGE W-0043 \"no longer needed\"\npassageway = 800 mm",
    ),
    (
        codes::WAIVER_EXPIRED,
        "A waiver past its `expires` date (a warning): it waives nothing.",
        "An approved deviation is approved until a date. After it, the finding counts again and this warning says why. Renew the waiver with a new decision and date, or fix the finding. The date is today's in UTC, or `DOCKCHECK_TODAY` (`YYYY-MM-DD`) for a reproducible run.",
        "# waiver: IDSS-PASSAGE W-0045 \"until the new hatch flies\" expires=2020-01-01",
    ),
    (
        codes::BASELINE_STALE,
        "A baseline entry that matches no finding any more (a warning).",
        "`--baseline FILE` hides the findings recorded by `--write-baseline FILE` (matched by fingerprint: rule, file, model path and index, never the line, so moved text stays hidden). An entry of a checked file that matches nothing was fixed: write the baseline again to drop it.",
        "dockcheck check --baseline dockcheck-baseline.json",
    ),
];

/// The severity a code without a spec entry is reported at: the language
/// diagnostics and the spec errors are errors, but for these warnings.
pub fn code_severity(code: &str) -> Severity {
    match code {
        codes::LIMIT
        | codes::SYSTEM
        | codes::WAIVER_UNUSED
        | codes::WAIVER_EXPIRED
        | codes::BASELINE_STALE => Severity::Warning,
        _ => Severity::Error,
    }
}

/// Every code explained without a spec entry, with the kind of problem it
/// belongs to: the language diagnostics (`ICD-*`) and the problems of spec
/// and configuration files (`SPEC-*`). Rule ids (`IDSS-*`, `MATE-*`, ...)
/// are explained from their spec entry. `dockcheck explain` knows every
/// code listed here or loaded as a rule, and nothing else is emitted.
pub fn explained_codes() -> impl Iterator<
    Item = (
        &'static str,
        &'static (&'static str, &'static str, &'static str, &'static str),
    ),
> {
    LANGUAGE_CODES
        .iter()
        .map(|c| ("language", c))
        .chain(crate::spec::load::SPEC_CODES.iter().map(|c| ("spec", c)))
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
    /// The approved deviation that accepts this finding: it is still listed
    /// in every format but never counts toward the summary or the exit code.
    pub waived: Option<Waived>,
}

/// A waiver that accepted a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waived {
    /// The waiver's id (`W-2031`).
    pub id: String,
    pub reason: String,
    /// `inline`, or the waiver file's path as shown.
    pub source: String,
}

/// The most bytes a diagnostic's message, label or help keeps. A longer
/// text (a megabyte-long number, identifier or unit echoed from a hostile
/// file) keeps its start and end around a note of how much was cut: the
/// span still points at the whole of it.
pub const MAX_TEXT: usize = 1000;

/// `text`, cut in the middle to at most about [`MAX_TEXT`] bytes.
pub fn clip(text: String) -> String {
    if text.len() <= MAX_TEXT {
        return text;
    }
    let head = crate::workspace::floor_boundary(&text, MAX_TEXT * 3 / 5);
    let mut tail = text.len() - MAX_TEXT / 5;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!(
        "{} … ({} bytes cut) … {}",
        &text[..head],
        tail - head,
        &text[tail..]
    )
}

impl Label {
    /// A label, its text cut as [`clip`] does.
    pub fn new(file: FileId, span: Span, message: impl Into<String>) -> Label {
        Label {
            file,
            span,
            message: clip(message.into()),
        }
    }
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
            message: clip(message.into()),
            file,
            span,
            label: None,
            labels: Vec::new(),
            help: None,
            reference: None,
            waived: None,
        }
    }
    pub fn error(code: &str, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, file, span, message)
    }
    pub fn with_label(mut self, text: impl Into<String>) -> Self {
        self.label = Some(clip(text.into()));
        self
    }
    pub fn with_related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label::new(file, span, message));
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(clip(help.into()));
        self
    }
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help.map(clip);
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

/// How many diagnostics an ICD-LIMIT note counts: the number that
/// [`limit_note`] puts first in its message.
fn suppressed_by(note: &Diagnostic) -> usize {
    note.message
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Keeps at most [`MAX_PER_FILE`] diagnostics per file (in their order) and
/// ends each file that had more with one ICD-LIMIT note (merging the notes
/// that earlier stages left). Returns whether it appended a note.
pub fn cap_per_file(diags: &mut Vec<Diagnostic>) -> bool {
    use std::collections::{BTreeMap, HashMap};
    let mut dropped: BTreeMap<FileId, usize> = BTreeMap::new();
    diags.retain(|d| {
        if d.code == codes::LIMIT {
            *dropped.entry(d.file).or_insert(0) += suppressed_by(d);
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
    let mut added = false;
    for (file, n) in dropped {
        if n > 0 {
            diags.push(limit_note(file, n));
            added = true;
        }
    }
    added
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Waived findings, which the other counts leave out.
    pub waived: usize,
}

impl Counts {
    pub fn of(diags: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diags {
            if d.waived.is_some() {
                c.waived += 1;
                continue;
            }
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
    fn long_texts_are_cut_on_character_boundaries() {
        assert_eq!(clip("short".into()), "short");
        let exact = "x".repeat(MAX_TEXT);
        assert_eq!(clip(exact.clone()), exact);
        for unit in ["a", "é", "€", "𝄞"] {
            for extra in 0..4 {
                let text = format!("{}{}", "b".repeat(extra), unit.repeat(3000));
                let cut = clip(text.clone());
                assert!(cut.len() <= MAX_TEXT + 40, "{unit}: {}", cut.len());
                let (head, rest) = cut.split_once(" … (").unwrap();
                let (note, tail) = rest.split_once(") … ").unwrap();
                assert!(text.starts_with(head) && text.ends_with(tail));
                assert_eq!(
                    note,
                    format!("{} bytes cut", text.len() - head.len() - tail.len())
                );
            }
        }
        let d = Diagnostic::error("ICD-X", 0, Span::default(), "m".repeat(5000))
            .with_label("l".repeat(5000))
            .with_related(0, Span::default(), "r".repeat(5000))
            .with_help("h".repeat(5000));
        for text in [
            &d.message,
            d.label.as_ref().unwrap(),
            &d.labels[0].message,
            d.help.as_ref().unwrap(),
        ] {
            assert!(text.len() < 1100 && text.contains("bytes cut"), "{text}");
        }
    }

    #[test]
    fn limit_notes_merge_and_count_what_was_cut() {
        let d = |file| Diagnostic::error(codes::UNKNOWN, file, Span::default(), "x");
        let mut diags: Vec<Diagnostic> = (0..MAX_PER_FILE + 5).map(|_| d(0)).collect();
        diags.push(limit_note(0, 7));
        diags.push(d(1));
        cap_per_file(&mut diags);
        let notes: Vec<&Diagnostic> = diags.iter().filter(|x| x.code == codes::LIMIT).collect();
        assert_eq!(notes.len(), 1);
        assert_eq!(suppressed_by(notes[0]), 12);
        assert_eq!(
            diags.iter().filter(|x| x.file == 0).count(),
            MAX_PER_FILE + 1
        );
        assert_eq!(diags.iter().filter(|x| x.file == 1).count(), 1);
    }

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
