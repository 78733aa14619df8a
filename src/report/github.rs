//! The `github` format: GitHub Actions workflow commands, one per finding
//! (`::error file=…,line=…,endLine=…,col=…,endColumn=…,title=CODE::message`;
//! `col` and `endColumn` only when the span is on one line, as GitHub takes
//! them), nothing else. GitHub shows at most 10 annotations per level and step, so
//! at most 10 are printed per level; when any is hidden, one last `::notice`
//! (without a file, counted against the 10 notices) says how many. Errors
//! and warnings keep their level; infos and waived findings are notices.
//! [`step_summary`] is the markdown appended to `$GITHUB_STEP_SUMMARY`.

use super::{Columns, Run};
use crate::diagnostic::{Counts, Diagnostic, Severity};
use std::collections::BTreeMap;
use std::io::Write;

/// GitHub shows at most this many annotations of one level per step.
pub const PER_LEVEL: usize = 10;

/// The level a finding is annotated at.
fn level(d: &Diagnostic) -> &'static str {
    match (&d.waived, d.severity) {
        (Some(_), _) | (None, Severity::Info) => "notice",
        (None, Severity::Error) => "error",
        (None, Severity::Warning) => "warning",
    }
}

/// Escapes a command's message (data).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn message(d: &Diagnostic) -> String {
    match &d.waived {
        Some(w) => format!("{} (waived {}: {})", d.message, w.id, w.reason),
        None => d.message.clone(),
    }
}

/// Writes the run as workflow commands.
pub fn write(w: &mut dyn Write, run: &Run) -> std::io::Result<()> {
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    let mut hidden = 0usize;
    let total = run.diags.len();
    // when findings will be hidden, the count takes one notice's place
    let per_level = run
        .diags
        .iter()
        .fold(BTreeMap::<&str, usize>::new(), |mut m, d| {
            *m.entry(level(d)).or_default() += 1;
            m
        });
    let will_hide = per_level.values().any(|&n| n > PER_LEVEL);
    let notice_cap = if will_hide { PER_LEVEL - 1 } else { PER_LEVEL };
    for d in run.diags {
        let lvl = level(d);
        let cap = if lvl == "notice" {
            notice_cap
        } else {
            PER_LEVEL
        };
        let n = shown.entry(lvl).or_default();
        if *n >= cap {
            hidden += 1;
            continue;
        }
        *n += 1;
        let ((line, col), (end_line, end_col)) =
            super::region(run.sources, d.file, d.span, Columns::Chars);
        // GitHub takes columns only for an annotation on one line
        let columns = if line == end_line {
            format!(",col={col},endColumn={end_col}")
        } else {
            String::new()
        };
        writeln!(
            w,
            "::{lvl} file={},line={line},endLine={end_line}{columns},title={}::{}",
            property(run.path(d.file)),
            property(&d.code),
            data(&message(d))
        )?;
    }
    if hidden > 0 {
        writeln!(
            w,
            "::notice::{}",
            data(&format!(
                "{hidden} more of {total} findings were not shown (GitHub shows at most {PER_LEVEL} per level); see the full report with --format human or sarif"
            ))
        )?;
    }
    Ok(())
}

/// The markdown summary for `$GITHUB_STEP_SUMMARY`: counts per level and
/// per code.
pub fn step_summary(run: &Run) -> String {
    let c = Counts::of(run.diags);
    let files = run.files.len();
    let mut out = String::from("### dockcheck\n\n");
    out.push_str(&format!(
        "{files} file{} checked.\n\n| level | count |\n|---|---:|\n| error | {} |\n| warning | {} |\n| info | {} |\n| waived | {} |\n",
        if files == 1 { "" } else { "s" },
        c.errors,
        c.warnings,
        c.infos,
        c.waived
    ));
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for d in run.diags {
        *per.entry(d.code.as_str()).or_default() += 1;
    }
    if !per.is_empty() {
        let mut rows: Vec<(&str, usize)> = per.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out.push_str("\n| code | count |\n|---|---:|\n");
        for (code, n) in rows {
            // a code is `[A-Z0-9-]`, but never trust text into markdown
            let code = code.replace('|', "\\|");
            out.push_str(&format!("| `{code}` | {n} |\n"));
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Waived};
    use crate::report::CheckedFile;
    use crate::spec::config::FailOn;
    use crate::syntax::Span;
    use crate::workspace::SourceMap;

    fn run_of(sources: &SourceMap, diags: &[Diagnostic], f: impl FnOnce(&Run) -> String) -> String {
        let files = [CheckedFile {
            file: 0,
            rules: Vec::new().into(),
        }];
        let run = Run {
            sources,
            diags,
            fingerprints: &[],
            matings: &[],
            files: &files,
            codes: &[],
            fail_on: FailOn::Error,
        };
        f(&run)
    }

    fn text(run: &Run) -> String {
        let mut out = Vec::new();
        write(&mut out, run).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn at_most_ten_per_level_and_an_overflow_notice_that_counts() {
        let mut s = SourceMap::default();
        let body: String = (0..24).map(|i| format!("x{i} = 1\n")).collect();
        let f = s.add("a,b:c%.icd", body.clone());
        let diags: Vec<Diagnostic> = (0..24)
            .map(|i| {
                let at = body.find(&format!("x{i} ")).unwrap();
                let mut d = Diagnostic::error(
                    "IDSS-PASSAGE",
                    f,
                    Span::new(at, at + 2),
                    format!("bad\nline {i}"),
                );
                if i % 2 == 1 {
                    d.waived = Some(Waived {
                        id: format!("W-{i}"),
                        reason: "ok".into(),
                        source: "inline".into(),
                    });
                }
                d
            })
            .collect();
        let out = run_of(&s, &diags, text);
        let lines: Vec<&str> = out.lines().collect();
        let count = |p: &str| lines.iter().filter(|l| l.starts_with(p)).count();
        assert_eq!(count("::error "), 10);
        assert_eq!(count("::notice "), 9);
        assert_eq!(count("::notice::"), 1);
        assert!(lines.last().unwrap().contains("5 more of 24"), "{out}");
        assert!(lines[0].starts_with("::error file=a%2Cb%3Ac%25.icd,line=1,endLine=1,col=1,endColumn=3,title=IDSS-PASSAGE::bad%0Aline 0"), "{}", lines[0]);
        assert!(out.contains("(waived W-1: ok)"));
    }

    #[test]
    fn nothing_hidden_means_no_overflow_notice_and_columns_are_characters() {
        let mut s = SourceMap::default();
        let text_ = "vehicle v {\n  name = \"🚀🚀\"; colour = \"red\"\n}\n";
        let f = s.add("v.icd", text_.to_string());
        let at = text_.find("colour").unwrap();
        let mut info =
            Diagnostic::error("ICD-UNKNOWN", f, Span::new(at, at + 6), "unknown attribute");
        let d = info.clone();
        info.severity = Severity::Info;
        let out = run_of(&s, &[d, info], text);
        assert_eq!(out.lines().count(), 2, "{out}");
        assert!(
            out.starts_with(
                "::error file=v.icd,line=2,endLine=2,col=16,endColumn=22,title=ICD-UNKNOWN::"
            ),
            "{out}"
        );
        assert!(
            out.lines().nth(1).unwrap().starts_with("::notice file="),
            "{out}"
        );
    }

    #[test]
    fn a_span_over_several_lines_has_no_columns() {
        let mut s = SourceMap::default();
        let f = s.add("v.icd", "port p {\n  x = 1\n}\n".to_string());
        let d = Diagnostic::error("ICD-SYNTAX", f, Span::new(0, 18), "unclosed");
        let out = run_of(&s, &[d], text);
        assert_eq!(
            out,
            "::error file=v.icd,line=1,endLine=3,title=ICD-SYNTAX::unclosed\n"
        );
    }

    #[test]
    fn the_step_summary_counts_levels_and_codes() {
        let mut s = SourceMap::default();
        let f = s.add("v.icd", "x = 1\n".to_string());
        let diags = vec![
            Diagnostic::error("IDSS-PASSAGE", f, Span::new(0, 1), "a"),
            Diagnostic::error("IDSS-PASSAGE", f, Span::new(0, 1), "b"),
            Diagnostic::error("ICD-UNIT", f, Span::new(0, 1), "c"),
        ];
        let md = run_of(&s, &diags, step_summary);
        assert!(md.starts_with("### dockcheck\n"), "{md}");
        assert!(md.contains("| error | 3 |"), "{md}");
        let passage = md.find("`IDSS-PASSAGE` | 2").unwrap();
        let unit = md.find("`ICD-UNIT` | 1").unwrap();
        assert!(passage < unit, "most frequent first: {md}");
        assert!(!md.contains("::"));
    }
}
