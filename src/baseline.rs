//! Baselines: the findings a legacy repository already has, recorded by
//! fingerprint, so that a CI gate can fail on new findings only. A baseline
//! is written by `check --write-baseline FILE` and read by `--baseline
//! FILE`; an entry that matches no finding of a checked file any more is an
//! `ICD-BASELINE-STALE` warning (it was fixed). Nothing here prints.

use crate::diagnostic::{Diagnostic, FileId, Severity, codes};
use crate::syntax::Span;
use crate::workspace::SourceMap;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// The baseline file, version 1.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One recorded finding. Only the fingerprint decides a match; the rest is
/// for the people who read the file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub file: String,
    /// Where in the model (`legacy.nose.docking.passageway`).
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub message: String,
}

/// The baseline of these findings (unwaived ones only), sorted by file,
/// rule and fingerprint.
pub fn record(
    sources: &SourceMap,
    diags: &[Diagnostic],
    fingerprints: &[String],
    paths: &[String],
) -> Baseline {
    let mut findings: Vec<Entry> = diags
        .iter()
        .zip(fingerprints)
        .zip(paths)
        .filter(|((d, _), _)| d.waived.is_none() && d.code != codes::BASELINE_STALE)
        .map(|((d, fp), path)| Entry {
            fingerprint: fp.clone(),
            rule: d.code.clone(),
            file: sources.get(d.file).path.clone(),
            path: path.clone(),
            message: d.message.clone(),
        })
        .collect();
    findings.sort_by(|a, b| {
        (&a.file, &a.rule, &a.path, &a.fingerprint).cmp(&(
            &b.file,
            &b.rule,
            &b.path,
            &b.fingerprint,
        ))
    });
    Baseline {
        version: 1,
        findings,
    }
}

/// The baseline as pretty JSON with a final newline.
pub fn to_json(b: &Baseline) -> String {
    crate::report::json::to_string(b)
}

/// Reads a baseline file already in `sources` as `file`. `Err` is an
/// error diagnostic (the file is not a baseline): the run cannot gate on it.
pub fn parse(sources: &SourceMap, file: FileId) -> Result<Baseline, Box<Diagnostic>> {
    let f = sources.get(file);
    let bad = |message: String, span: Span| {
        Box::new(
            Diagnostic::error(crate::spec::load::codes::BASELINE, file, span, message)
                .with_label("not a dockcheck baseline")
                .with_help("write a baseline with `dockcheck check --write-baseline FILE`"),
        )
    };
    let b: Baseline = serde_json::from_str(&f.text).map_err(|e| {
        let offset = f.line_start(e.line().saturating_sub(1)) + e.column().saturating_sub(1);
        let offset = crate::workspace::floor_boundary(&f.text, offset.min(f.text.len()));
        bad(
            format!("the baseline cannot be read: {e}"),
            Span::new(offset, offset),
        )
    })?;
    if b.version != 1 {
        return Err(bad(
            format!(
                "baseline version {} is not supported (this dockcheck reads version 1)",
                b.version
            ),
            Span::default(),
        ));
    }
    Ok(b)
}

/// Hides the findings the baseline records. Returns which diagnostics to
/// keep (parallel to `diags`) and an `ICD-BASELINE-STALE` warning, located
/// in the baseline file, for each entry of a checked file that matched
/// nothing. `checked` holds the shown paths of the files of this run.
pub fn filter(
    baseline: &Baseline,
    file: FileId,
    sources: &SourceMap,
    diags: &[Diagnostic],
    fingerprints: &[String],
    checked: &BTreeSet<&str>,
) -> (Vec<bool>, Vec<Diagnostic>) {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, e) in baseline.findings.iter().enumerate() {
        index.entry(e.fingerprint.as_str()).or_insert(i);
    }
    let mut matched = vec![false; baseline.findings.len()];
    let keep: Vec<bool> = diags
        .iter()
        .zip(fingerprints)
        .map(|(d, fp)| {
            if d.waived.is_some() {
                return true;
            }
            match index.get(fp.as_str()) {
                Some(&i) if baseline.findings[i].rule == d.code => {
                    matched[i] = true;
                    false
                }
                _ => true,
            }
        })
        .collect();
    let text = &sources.get(file).text;
    let mut stale = Vec::new();
    for (e, m) in baseline.findings.iter().zip(matched) {
        if m || !checked.contains(e.file.as_str()) {
            continue;
        }
        let span = text
            .find(&format!("\"{}\"", e.fingerprint))
            .map_or(Span::default(), |i| {
                Span::new(i, i + e.fingerprint.len() + 2)
            });
        let place = if e.path.is_empty() {
            e.file.clone()
        } else {
            format!("{} ({})", e.file, e.path)
        };
        stale.push(
            Diagnostic::new(
                codes::BASELINE_STALE,
                Severity::Warning,
                file,
                span,
                format!(
                    "baseline entry {} ({} in {place}) matches no finding: it was fixed",
                    e.fingerprint, e.rule
                ),
            )
            .with_label("stale entry")
            .with_help("write the baseline again with `--write-baseline` to drop fixed findings"),
        );
    }
    (keep, stale)
}
