//! The `short` format: one line per diagnostic and nothing else,
//! `file:line:col: severity[CODE] message`, the kind of line editors and
//! `grep` understand. Lines and columns are 1-based, columns count Unicode
//! scalar values. A waived finding keeps its severity and ends with
//! ` (waived W-0042: reason)`.

use super::{Columns, Run};
use crate::diagnostic::Diagnostic;
use std::io::Write;

/// Writes the run in this format.
pub fn write(w: &mut dyn Write, run: &Run) -> std::io::Result<()> {
    for d in run.diags {
        writeln!(w, "{}", line(run, d))?;
    }
    Ok(())
}

/// The line of one diagnostic, without its line end.
pub fn line(run: &Run, d: &Diagnostic) -> String {
    let ((line, col), _) = super::region(run.sources, d.file, d.span, Columns::Chars);
    let mut s = format!(
        "{}:{}:{}: {}[{}] {}",
        one_line(run.path(d.file)),
        line,
        col,
        d.severity.as_str(),
        d.code,
        one_line(&d.message)
    );
    if let Some(w) = &d.waived {
        s.push_str(&format!(
            " (waived {}: {})",
            one_line(&w.id),
            one_line(&w.reason)
        ));
    }
    s
}

/// The text with every line end (`\r\n`, `\n` or `\r`) replaced by a space.
fn one_line(s: &str) -> String {
    s.replace("\r\n", " ").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Severity, Waived};
    use crate::syntax::Span;
    use crate::workspace::SourceMap;

    const ROCKETS: &str = "vehicle v {\n  name = \"🚀🚀\"; colour = \"red\"\n}\n";

    fn render(sources: &SourceMap, diags: &[Diagnostic]) -> String {
        crate::report::testing::render(write, sources, diags)
    }

    use crate::report::testing::at;

    /// `file:line:col: severity[CODE] message`, checked piece by piece.
    fn assert_short_line(l: &str) {
        let (file, rest) = l.split_once(':').unwrap();
        assert!(!file.is_empty(), "{l}");
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().unwrap();
        let col = parts.next().unwrap();
        let rest = parts.next().unwrap();
        assert!(line.parse::<usize>().unwrap() >= 1, "{l}");
        assert!(col.parse::<usize>().unwrap() >= 1, "{l}");
        let rest = rest.strip_prefix(' ').unwrap();
        let (sev, rest) = rest.split_once('[').unwrap();
        assert!(["error", "warning", "info"].contains(&sev), "{l}");
        let (code, message) = rest.split_once("] ").unwrap();
        assert!(
            !code.is_empty()
                && code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
            "{l}"
        );
        assert!(!message.is_empty(), "{l}");
    }

    #[test]
    fn column_counts_characters() {
        let mut sources = SourceMap::default();
        let f = sources.add("ships/v.icd", ROCKETS.to_string());
        let d = Diagnostic::error("ICD-UNKNOWN", f, at(ROCKETS, "colour"), "unknown attribute");
        let out = render(&sources, &[d]);
        assert_eq!(
            out,
            "ships/v.icd:2:16: error[ICD-UNKNOWN] unknown attribute\n"
        );
    }

    #[test]
    fn one_line_per_diagnostic_and_nothing_else() {
        let mut sources = SourceMap::default();
        let f = sources.add("a.icd", ROCKETS.to_string());
        let g = sources.add("dir with space/b.icd", "vehicle w {\n}\n".to_string());
        let diags = vec![
            Diagnostic::error(
                "ICD-SYNTAX",
                f,
                Span::new(0, 0),
                "expected a value\nfound `}`",
            ),
            Diagnostic::new(
                "ICD-SYSTEM",
                Severity::Warning,
                f,
                at(ROCKETS, "name"),
                "no spec names it",
            ),
            Diagnostic::new("ICD-LIMIT", Severity::Info, g, Span::new(12, 13), "note"),
        ];
        let out = render(&sources, &diags);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(out.ends_with('\n'));
        for l in &lines {
            assert_short_line(l);
        }
        assert_eq!(
            lines[0],
            "a.icd:1:1: error[ICD-SYNTAX] expected a value found `}`"
        );
        assert_eq!(lines[1], "a.icd:2:3: warning[ICD-SYSTEM] no spec names it");
        assert_eq!(lines[2], "dir with space/b.icd:2:1: info[ICD-LIMIT] note");
    }

    #[test]
    fn waived_finding_keeps_severity_and_names_the_waiver() {
        let mut sources = SourceMap::default();
        let f = sources.add("v.icd", ROCKETS.to_string());
        let mut d = Diagnostic::error("ICD-UNKNOWN", f, at(ROCKETS, "colour"), "unknown attribute");
        d.waived = Some(Waived {
            id: "W-0042".to_string(),
            reason: "paint is decided\nlater".to_string(),
            source: "waivers.toml".to_string(),
        });
        let out = render(&sources, &[d]);
        assert_eq!(
            out,
            "v.icd:2:16: error[ICD-UNKNOWN] unknown attribute (waived W-0042: paint is decided later)\n"
        );
        assert_short_line(out.trim_end());
    }

    #[test]
    fn no_diagnostics_no_output() {
        let sources = SourceMap::default();
        assert_eq!(render(&sources, &[]), "");
    }
}
