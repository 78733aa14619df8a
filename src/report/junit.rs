//! The `junit` format: JUnit XML for test-report viewers.
//!
//! `<testsuites>` holds one `<testsuite>` per checked file (in path order),
//! with one `<testcase>` per rule that applied to the file (and per other
//! rule with a finding there) plus one named `language` for the language
//! checks (`ICD-*`, `SPEC-*`). In a testcase, each finding that fails the run
//! (at or above `--fail-on`) is a `<failure message=… type=CODE>` with its
//! location; a finding below that level is a line of `<system-out>`; a waived
//! finding is a `<skipped>` naming its waiver. Findings in a file that was not
//! checked (a waiver file, a baseline, a spec) are never lost: each such file
//! gets a suite of its own after the checked ones. Built with quick-xml's
//! writer, so every text and attribute is escaped.

use super::{Columns, Run};
use crate::diagnostic::{Diagnostic, FileId};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// The testcase that holds the language checks.
pub const LANGUAGE: &str = "language";

fn is_language(code: &str) -> bool {
    code.starts_with("ICD-") || code.starts_with("SPEC-")
}

/// One suite: its name, and its testcases in order with their findings.
struct Suite<'a> {
    name: &'a str,
    cases: Vec<(String, Vec<&'a Diagnostic>)>,
}

fn suites<'a>(run: &'a Run<'a>) -> Vec<Suite<'a>> {
    let mut by_file: BTreeMap<FileId, Vec<&'a Diagnostic>> = BTreeMap::new();
    for d in run.diags {
        by_file.entry(d.file).or_default().push(d);
    }
    let build = |name: &'a str, rules: &[String], diags: Vec<&'a Diagnostic>| {
        let mut ids: BTreeSet<String> = rules.iter().cloned().collect();
        ids.extend(
            diags
                .iter()
                .filter(|d| !is_language(&d.code))
                .map(|d| d.code.clone()),
        );
        let mut cases: Vec<(String, Vec<&'a Diagnostic>)> =
            ids.into_iter().map(|id| (id, Vec::new())).collect();
        cases.push((LANGUAGE.to_string(), Vec::new()));
        for d in diags {
            let case = if is_language(&d.code) {
                LANGUAGE
            } else {
                d.code.as_str()
            };
            if let Some(c) = cases.iter_mut().find(|(id, _)| id == case) {
                c.1.push(d);
            }
        }
        Suite { name, cases }
    };
    let mut out: Vec<Suite> = run
        .files
        .iter()
        .map(|f| {
            build(
                run.path(f.file),
                &f.rules,
                by_file.remove(&f.file).unwrap_or_default(),
            )
        })
        .collect();
    // findings in files that were not checked, by shown path
    let mut rest: Vec<(FileId, Vec<&'a Diagnostic>)> = by_file.into_iter().collect();
    rest.sort_by(|a, b| run.path(a.0).cmp(run.path(b.0)));
    for (file, diags) in rest {
        out.push(build(run.path(file), &[], diags));
    }
    out
}

/// `path:line:col: severity[CODE] message`, then help and reference lines.
fn details(run: &Run, d: &Diagnostic) -> String {
    let (line, col) = super::line_col(run.sources, d.file, d.span.start, Columns::Chars);
    let mut s = format!(
        "{}:{line}:{col}: {}[{}] {}",
        run.path(d.file),
        d.severity.as_str(),
        d.code,
        d.message
    );
    if let Some(h) = &d.help {
        s.push_str(&format!("\nhelp: {h}"));
    }
    if let Some(r) = &d.reference {
        s.push_str(&format!("\nreference: {r}"));
    }
    s
}

#[derive(Default, Clone, Copy)]
struct Tally {
    tests: usize,
    failures: usize,
    skipped: usize,
}

fn tally(run: &Run, cases: &[(String, Vec<&Diagnostic>)]) -> Tally {
    let mut t = Tally {
        tests: cases.len(),
        ..Tally::default()
    };
    for (_, diags) in cases {
        t.failures += diags.iter().filter(|d| run.fails(d)).count();
        t.skipped += diags.iter().filter(|d| d.waived.is_some()).count();
    }
    t
}

/// Writes the run as JUnit XML.
pub fn write(w: &mut dyn Write, run: &Run) -> std::io::Result<()> {
    let suites = suites(run);
    let tallies: Vec<Tally> = suites.iter().map(|s| tally(run, &s.cases)).collect();
    let total = tallies.iter().fold(Tally::default(), |a, t| Tally {
        tests: a.tests + t.tests,
        failures: a.failures + t.failures,
        skipped: a.skipped + t.skipped,
    });
    let mut x = Writer::new_with_indent(&mut *w, b' ', 2);
    x.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    x.create_element("testsuites")
        .with_attributes([
            ("name", "dockcheck"),
            ("tests", total.tests.to_string().as_str()),
            ("failures", total.failures.to_string().as_str()),
            ("skipped", total.skipped.to_string().as_str()),
            ("errors", "0"),
        ])
        .write_inner_content(|x| {
            for (suite, t) in suites.iter().zip(&tallies) {
                x.create_element("testsuite")
                    .with_attributes([
                        ("name", suite.name),
                        ("tests", t.tests.to_string().as_str()),
                        ("failures", t.failures.to_string().as_str()),
                        ("skipped", t.skipped.to_string().as_str()),
                        ("errors", "0"),
                    ])
                    .write_inner_content(|x| {
                        for (case, diags) in &suite.cases {
                            write_case(x, run, suite.name, case, diags)?;
                        }
                        Ok::<(), std::io::Error>(())
                    })?;
            }
            Ok::<(), std::io::Error>(())
        })?;
    w.write_all(b"\n")
}

fn write_case<W: Write>(
    x: &mut Writer<W>,
    run: &Run,
    suite: &str,
    case: &str,
    diags: &[&Diagnostic],
) -> std::io::Result<()> {
    let el = x
        .create_element("testcase")
        .with_attributes([("name", case), ("classname", suite)]);
    if diags.is_empty() {
        el.write_empty()?;
        return Ok(());
    }
    el.write_inner_content(|x| {
        let mut out: Vec<String> = Vec::new();
        for d in diags {
            if let Some(wv) = &d.waived {
                x.create_element("skipped")
                    .with_attribute((
                        "message",
                        format!("waived {} ({}): {}", wv.id, wv.source, wv.reason).as_str(),
                    ))
                    .write_empty()?;
            } else if run.fails(d) {
                x.create_element("failure")
                    .with_attributes([("message", d.message.as_str()), ("type", d.code.as_str())])
                    .write_text_content(BytesText::new(&details(run, d)))?;
            } else {
                out.push(details(run, d));
            }
        }
        if !out.is_empty() {
            x.create_element("system-out")
                .write_text_content(BytesText::new(&out.join("\n")))?;
        }
        Ok::<(), std::io::Error>(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Severity, Waived};
    use crate::report::CheckedFile;
    use crate::spec::config::FailOn;
    use crate::syntax::Span;
    use crate::workspace::SourceMap;

    fn xml(
        sources: &SourceMap,
        diags: &[Diagnostic],
        files: &[CheckedFile],
        fail_on: FailOn,
    ) -> String {
        let run = Run {
            sources,
            diags,
            fingerprints: &[],
            matings: &[],
            files,
            codes: &[],
            fail_on,
        };
        let mut out = Vec::new();
        write(&mut out, &run).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The elements of a document, by name, with their attributes.
    fn elements(text: &str) -> Vec<(String, BTreeMap<String, String>)> {
        let mut r = quick_xml::Reader::from_str(text);
        let mut out = Vec::new();
        loop {
            match r.read_event().unwrap() {
                Event::Start(e) | Event::Empty(e) => {
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (
                                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                                a.unescape_value().unwrap().into_owned(),
                            )
                        })
                        .collect();
                    out.push((
                        String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
                        attrs,
                    ));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }

    fn count(els: &[(String, BTreeMap<String, String>)], name: &str) -> usize {
        els.iter().filter(|(n, _)| n == name).count()
    }

    #[test]
    fn suites_cases_failures_system_out_and_skipped() {
        let mut s = SourceMap::default();
        let a = s.add("a.icd", "x = 1\ny = 2\n".into());
        let b = s.add("b.icd", "z = 3\n".into());
        let w = s.add("waivers.toml", "[[waiver]]\n".into());
        let mut warn =
            Diagnostic::error("IDSS-HOOKS", a, Span::new(6, 7), "few <hooks> & \"petals\"");
        warn.severity = Severity::Warning;
        let mut waived = Diagnostic::error("IDSS-PASSAGE", a, Span::new(0, 1), "narrow");
        waived.waived = Some(Waived {
            id: "W-1".into(),
            reason: "board".into(),
            source: "inline".into(),
        });
        let diags = vec![
            Diagnostic::error("ICD-UNIT", a, Span::new(0, 1), "unit"),
            waived,
            warn,
            Diagnostic::error("ICD-WAIVER", w, Span::new(0, 10), "no reason"),
        ];
        let files = [
            CheckedFile {
                file: a,
                rules: vec!["IDSS-HOOKS".into(), "IDSS-PASSAGE".into()].into(),
            },
            CheckedFile {
                file: b,
                rules: vec!["IDSS-PASSAGE".into()].into(),
            },
        ];
        let text = xml(&s, &diags, &files, FailOn::Error);
        let els = elements(&text);
        assert_eq!(els[0].0, "testsuites");
        let suites: Vec<&str> = els
            .iter()
            .filter(|(n, _)| n == "testsuite")
            .map(|(_, a)| a["name"].as_str())
            .collect();
        assert_eq!(suites, ["a.icd", "b.icd", "waivers.toml"]);
        assert_eq!(count(&els, "testcase"), 3 + 2 + 1);
        assert_eq!(count(&els, "failure"), 2, "ICD-UNIT and ICD-WAIVER: {text}");
        assert_eq!(count(&els, "skipped"), 1);
        assert!(
            els.iter()
                .any(|(n, a)| n == "skipped" && a["message"].contains("W-1"))
        );
        assert!(
            text.contains("<system-out>a.icd:2:1: warning[IDSS-HOOKS] few &lt;hooks&gt; &amp;"),
            "{text}"
        );
        assert_eq!(els[0].1["failures"], "2");
        // at --fail-on warning the warning is a failure too
        let strict = elements(&xml(&s, &diags, &files, FailOn::Warning));
        assert_eq!(count(&strict, "failure"), 3);
        let hooks = strict
            .iter()
            .find(|(n, a)| n == "failure" && a["type"] == "IDSS-HOOKS")
            .unwrap();
        assert_eq!(hooks.1["message"], "few <hooks> & \"petals\"");
    }

    #[test]
    fn no_findings_is_one_passing_suite_per_file() {
        let mut s = SourceMap::default();
        let a = s.add("a.icd", String::new());
        let text = xml(
            &s,
            &[],
            &[CheckedFile {
                file: a,
                rules: Vec::new().into(),
            }],
            FailOn::Error,
        );
        let els = elements(&text);
        assert_eq!(count(&els, "testsuite"), 1);
        assert_eq!(count(&els, "testcase"), 1);
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    }
}
