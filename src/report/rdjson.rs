//! The `rdjson` format: reviewdog's Diagnostic Format (`DiagnosticResult`),
//! `{"source": {...}, "diagnostics": [...]}`. Lines and columns are 1-based,
//! columns count UTF-8 bytes, and `end` is exclusive. A waived finding is
//! `INFO` and its message ends with ` (waived W-0042: reason)`.

use super::{Columns, Run};
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::syntax::Span;
use serde::Serialize;
use std::io::Write;

/// The tool that produced the diagnostics.
#[derive(Serialize)]
struct Source {
    name: &'static str,
    url: &'static str,
}

const SOURCE: Source = Source {
    name: "dockcheck",
    url: "https://github.com/dockcheck/dockcheck",
};

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    range: Range,
}

#[derive(Serialize)]
struct Code<'a> {
    value: &'a str,
}

#[derive(Serialize)]
struct RelatedLocation<'a> {
    message: &'a str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct RdDiagnostic<'a> {
    message: String,
    location: Location<'a>,
    severity: &'static str,
    code: Code<'a>,
    related_locations: Vec<RelatedLocation<'a>>,
}

/// The diagnostics as a JSON array, converted one at a time while writing.
struct DiagSeq<'a, 'r> {
    run: &'r Run<'a>,
}

impl Serialize for DiagSeq<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.run.diags.iter().map(|d| diagnostic(self.run, d)))
    }
}

#[derive(Serialize)]
struct Report<'a, 'r> {
    source: Source,
    diagnostics: DiagSeq<'a, 'r>,
}

/// Writes the run in this format.
pub fn write(w: &mut dyn Write, run: &Run) -> std::io::Result<()> {
    let report = Report {
        source: SOURCE,
        diagnostics: DiagSeq { run },
    };
    serde_json::to_writer_pretty(&mut *w, &report).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}

fn location<'a>(run: &Run<'a>, file: FileId, span: Span) -> Location<'a> {
    let ((sl, sc), (el, ec)) = super::region(run.sources, file, span, Columns::Bytes);
    Location {
        path: &run.sources.get(file).path,
        range: Range {
            start: Position {
                line: sl,
                column: sc,
            },
            end: Position {
                line: el,
                column: ec,
            },
        },
    }
}

/// reviewdog's severity: a waived finding is only information.
fn severity(d: &Diagnostic) -> &'static str {
    if d.waived.is_some() {
        return "INFO";
    }
    match d.severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

fn diagnostic<'a>(run: &Run<'a>, d: &'a Diagnostic) -> RdDiagnostic<'a> {
    let mut message = d.message.clone();
    if let Some(w) = &d.waived {
        message.push_str(&format!(" (waived {}: {})", w.id, w.reason));
    }
    RdDiagnostic {
        message,
        location: location(run, d.file, d.span),
        severity: severity(d),
        code: Code { value: &d.code },
        related_locations: d
            .labels
            .iter()
            .map(|l| RelatedLocation {
                message: &l.message,
                location: location(run, l.file, l.span),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Waived;
    use crate::workspace::SourceMap;
    use serde_json::{Value, json};

    const ROCKETS: &str = "vehicle v {\n  name = \"🚀🚀\"; colour = \"red\"\n}\n";

    fn render(sources: &SourceMap, diags: &[Diagnostic]) -> String {
        crate::report::testing::render(write, sources, diags)
    }

    use crate::report::testing::at;

    #[test]
    fn columns_count_utf8_bytes() {
        let mut sources = SourceMap::default();
        let f = sources.add("ships/v.icd", ROCKETS.to_string());
        let d = Diagnostic::error("ICD-UNKNOWN", f, at(ROCKETS, "colour"), "unknown attribute");
        let out = render(&sources, &[d]);
        assert!(out.ends_with("}\n"), "{out}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v,
            json!({
                "source": {"name": "dockcheck", "url": "https://github.com/dockcheck/dockcheck"},
                "diagnostics": [{
                    "message": "unknown attribute",
                    "location": {
                        "path": "ships/v.icd",
                        "range": {
                            "start": {"line": 2, "column": 22},
                            "end": {"line": 2, "column": 28}
                        }
                    },
                    "severity": "ERROR",
                    "code": {"value": "ICD-UNKNOWN"},
                    "related_locations": []
                }]
            })
        );
    }

    #[test]
    fn severities_and_waived_findings() {
        let mut sources = SourceMap::default();
        let f = sources.add("v.icd", ROCKETS.to_string());
        let span = at(ROCKETS, "name");
        let mut waived = Diagnostic::error("ICD-TYPE", f, span, "wrong kind");
        waived.waived = Some(Waived {
            id: "W-0042".to_string(),
            reason: "accepted by the board".to_string(),
            source: "inline".to_string(),
        });
        let diags = vec![
            Diagnostic::error("ICD-UNKNOWN", f, span, "e"),
            Diagnostic::new("ICD-SYSTEM", Severity::Warning, f, span, "w"),
            Diagnostic::new("ICD-LIMIT", Severity::Info, f, span, "i"),
            waived,
        ];
        let v: Value = serde_json::from_str(&render(&sources, &diags)).unwrap();
        let ds = v["diagnostics"].as_array().unwrap();
        let sev: Vec<&str> = ds.iter().map(|d| d["severity"].as_str().unwrap()).collect();
        assert_eq!(sev, ["ERROR", "WARNING", "INFO", "INFO"]);
        assert_eq!(
            ds[3]["message"],
            "wrong kind (waived W-0042: accepted by the board)"
        );
        assert_eq!(ds[3]["code"], json!({"value": "ICD-TYPE"}));
        assert_eq!(ds[0]["message"], "e");
    }

    #[test]
    fn related_locations_point_into_other_files() {
        let mut sources = SourceMap::default();
        let chaser = "vehicle c {\n  port p { }\n}\n";
        let target = "vehicle t {\n  port q { }\n}\n";
        let f = sources.add("chaser.icd", chaser.to_string());
        let g = sources.add("target.icd", target.to_string());
        let d = Diagnostic::error("ICD-REF", f, at(chaser, "p {"), "ports do not mate")
            .with_related(g, at(target, "q"), "the partner port");
        let out = render(&sources, &[d]);
        assert!(!out.contains("null"), "{out}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v["diagnostics"][0]["related_locations"],
            json!([{
                "message": "the partner port",
                "location": {
                    "path": "target.icd",
                    "range": {
                        "start": {"line": 2, "column": 8},
                        "end": {"line": 2, "column": 9}
                    }
                }
            }])
        );
    }

    #[test]
    fn empty_run_has_empty_diagnostics() {
        let sources = SourceMap::default();
        let v: Value = serde_json::from_str(&render(&sources, &[])).unwrap();
        assert_eq!(v["diagnostics"], json!([]));
        assert_eq!(v["source"]["name"], "dockcheck");
    }
}
