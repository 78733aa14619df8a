//! Annotated fixtures for rule development: comments in an `.icd` file that
//! say which diagnostics it must give, and the comparison of those
//! expectations with what the rules found. Nothing here reads files or
//! prints.
//!
//! - `# expect: IDSS-PASSAGE` expects a finding of that code on the next
//!   line that is not blank or a comment, or, at the end of a line, on that
//!   line; `# expect: IDSS-PASSAGE @15 "below the 800 mm"` also pins the
//!   column (characters, as in JSON) and a substring of the message; several
//!   codes are separated by commas.
//! - `# expect-none`: the file must be clean.
//! - `# partner: station.icd`: the file is checked together with that one
//!   (relative to the fixture's folder); findings located in the partner
//!   belong to the partner's own test.
//!
//! Every error and warning located in a fixture must be expected; an info
//! only when annotated; a waived finding counts as absent.

use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::syntax::{annotated_line, comment_start};
use crate::workspace::SourceMap;

/// One expected finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    pub code: String,
    /// The 1-based line the expectation points at.
    pub line: usize,
    /// The 1-based column in characters, when pinned.
    pub column: Option<usize>,
    /// A substring of the message, when pinned.
    pub message: Option<String>,
}

/// The annotations of one fixture.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations {
    pub expects: Vec<Expectation>,
    /// `# expect-none` was written.
    pub none: bool,
    /// The partner files, as written (relative to the fixture's folder).
    pub partners: Vec<String>,
    /// Malformed annotations: (1-based line, what is wrong).
    pub errors: Vec<(usize, String)>,
}

impl Annotations {
    /// Whether the file says anything about what it must give.
    pub fn any(&self) -> bool {
        self.none || !self.expects.is_empty() || !self.errors.is_empty()
    }
}

/// Reads the annotations of a fixture's text.
pub fn parse(text: &str) -> Annotations {
    let lines: Vec<&str> = text.lines().collect();
    let mut a = Annotations::default();
    for (n, line) in lines.iter().enumerate() {
        let Some(hash) = comment_start(line) else {
            continue;
        };
        let body = line[hash + 1..].trim();
        if body == "expect-none" || body.starts_with("expect-none ") {
            a.none = true;
        } else if let Some(rest) = body.strip_prefix("partner:") {
            let p = rest.trim();
            if p.is_empty() {
                a.errors.push((n + 1, "`# partner:` names no file".into()));
            } else {
                a.partners.push(p.to_string());
            }
        } else if let Some(rest) = body.strip_prefix("expect:") {
            let Some(target) = annotated_line(&lines, n) else {
                a.errors.push((
                    n + 1,
                    "`# expect:` is followed by no line to point at".into(),
                ));
                continue;
            };
            match expectation(rest) {
                Ok((codes, column, message)) => {
                    for code in codes {
                        a.expects.push(Expectation {
                            code,
                            line: target + 1,
                            column,
                            message: message.clone(),
                        });
                    }
                }
                Err(e) => a.errors.push((n + 1, e)),
            }
        }
    }
    a
}

type Parsed = (Vec<String>, Option<usize>, Option<String>);

/// `IDSS-PASSAGE, IDSS-HOOKS @15 "below the"`
fn expectation(s: &str) -> Result<Parsed, String> {
    let s = s.trim();
    let (head, message) = match s.find('"') {
        Some(q) => {
            let rest = &s[q + 1..];
            let Some(end) = rest.rfind('"') else {
                return Err("the message of `# expect:` is not closed with `\"`".into());
            };
            (&s[..q], Some(rest[..end].to_string()))
        }
        None => (s, None),
    };
    let (codes, column) = match head.find('@') {
        Some(at) => {
            let col = head[at + 1..].trim();
            match col.parse::<usize>() {
                Ok(c) if c > 0 => (&head[..at], Some(c)),
                _ => return Err(format!("`@{col}` is not a column; write `@15`")),
            }
        }
        None => (head, None),
    };
    let codes: Vec<String> = codes
        .split(',')
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return Err("`# expect:` names no code".into());
    }
    if let Some(bad) = codes.iter().find(|c| {
        !c.chars()
            .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '-')
    }) {
        return Err(format!(
            "`{bad}` is not a code; codes are upper case, e.g. `IDSS-PASSAGE`"
        ));
    }
    Ok((codes, column, message))
}

/// What kind of mismatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Missing,
    Unexpected,
    WrongColumn,
    WrongMessage,
    NoExpectation,
    Snapshot,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Missing => "missing",
            Kind::Unexpected => "unexpected",
            Kind::WrongColumn => "wrong-column",
            Kind::WrongMessage => "wrong-message",
            Kind::NoExpectation => "no-expectation",
            Kind::Snapshot => "snapshot",
        }
    }
}

/// One difference between a fixture's expectations and its findings.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Mismatch {
    pub file: String,
    pub line: usize,
    pub kind: Kind,
    pub expected: String,
    pub found: String,
}

impl Mismatch {
    /// `file:line: KIND: expected …, found …`
    pub fn line(&self) -> String {
        format!(
            "{}:{}: {}: expected {}, found {}",
            self.file,
            self.line,
            self.kind.as_str(),
            self.expected,
            self.found
        )
    }
}

/// Compares a fixture's expectations with the diagnostics located in it
/// (`file`); `diags` may hold findings of other files, which are left out.
pub fn compare(
    a: &Annotations,
    sources: &SourceMap,
    file: FileId,
    diags: &[Diagnostic],
) -> Vec<Mismatch> {
    let f = sources.get(file);
    let shown = f.path.clone();
    let mut out: Vec<Mismatch> = a
        .errors
        .iter()
        .map(|(line, e)| Mismatch {
            file: shown.clone(),
            line: *line,
            kind: Kind::NoExpectation,
            expected: "a well-formed annotation".into(),
            found: e.clone(),
        })
        .collect();
    // (line, column, diagnostic) of the findings in this file
    let here: Vec<(usize, usize, &Diagnostic)> = diags
        .iter()
        .filter(|d| d.file == file && d.waived.is_none())
        .map(|d| {
            let (l, c) = f.line_col(d.span.start);
            (l, c, d)
        })
        .collect();
    let mut used = vec![false; here.len()];
    for e in &a.expects {
        let candidates: Vec<usize> = (0..here.len())
            .filter(|&i| !used[i] && here[i].2.code == e.code && here[i].0 == e.line)
            .collect();
        let fits = |i: &usize| {
            let (_, c, d) = here[*i];
            e.column.is_none_or(|col| col == c)
                && e.message.as_deref().is_none_or(|m| d.message.contains(m))
        };
        if let Some(&i) = candidates.iter().find(|i| fits(i)) {
            used[i] = true;
            continue;
        }
        let Some(&i) = candidates.first() else {
            let at_line: Vec<String> = here
                .iter()
                .filter(|(l, _, _)| *l == e.line)
                .map(|(_, _, d)| d.code.clone())
                .collect();
            out.push(Mismatch {
                file: shown.clone(),
                line: e.line,
                kind: Kind::Missing,
                expected: e.code.clone(),
                found: if at_line.is_empty() {
                    "nothing".into()
                } else {
                    at_line.join(", ")
                },
            });
            continue;
        };
        used[i] = true;
        let (_, c, d) = here[i];
        if let Some(col) = e.column.filter(|col| *col != c) {
            out.push(Mismatch {
                file: shown.clone(),
                line: e.line,
                kind: Kind::WrongColumn,
                expected: format!("{} @{col}", e.code),
                found: format!("{} @{c}", d.code),
            });
        } else if let Some(m) = &e.message {
            out.push(Mismatch {
                file: shown.clone(),
                line: e.line,
                kind: Kind::WrongMessage,
                expected: format!("{} with \"{m}\"", e.code),
                found: format!("\"{}\"", d.message),
            });
        }
    }
    for (i, (l, c, d)) in here.iter().enumerate() {
        if used[i] || d.severity == Severity::Info {
            continue;
        }
        out.push(Mismatch {
            file: shown.clone(),
            line: *l,
            kind: Kind::Unexpected,
            expected: "nothing".into(),
            found: format!("{} @{c} {}: {}", d.code, d.severity.as_str(), d.message),
        });
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Span;

    #[test]
    fn annotations_point_at_their_line() {
        let text = "# partner: hub.icd\nv {\n  # expect: A-B, C-D @3 \"x y\"\n\n  # note\n  x = 1\n  y = 2   # expect: E-F\n}\n# expect-none\n";
        let a = parse(text);
        assert_eq!(a.partners, ["hub.icd"]);
        assert!(a.none);
        let got: Vec<(&str, usize, Option<usize>, Option<&str>)> = a
            .expects
            .iter()
            .map(|e| (e.code.as_str(), e.line, e.column, e.message.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("A-B", 6, Some(3), Some("x y")),
                ("C-D", 6, Some(3), Some("x y")),
                ("E-F", 7, None, None)
            ]
        );
        assert!(
            parse("x = 1 # expect: lower\n").errors[0]
                .1
                .contains("not a code")
        );
        assert!(!parse("x = 1 # a comment\n").any());
    }

    #[test]
    fn compare_reports_each_kind() {
        let text = "a = 1\nb = 2\nc = 3\n";
        let mut s = SourceMap::default();
        let f = s.add("f.icd", text.to_string());
        let d = |code: &str, at: usize, msg: &str| {
            Diagnostic::error(code, f, Span::new(at, at + 1), msg)
        };
        let diags = vec![
            d("X-A", 0, "alpha"),
            d("X-B", 6, "beta"),
            d("X-C", 12, "gamma"),
        ];
        let a =
            parse("a = 1 # expect: X-A @2\nb = 2 # expect: X-B \"delta\"\nc = 3 # expect: X-D\n");
        let kinds: Vec<(Kind, usize)> = compare(&a, &s, f, &diags)
            .iter()
            .map(|m| (m.kind, m.line))
            .collect();
        assert_eq!(
            kinds,
            [
                (Kind::WrongColumn, 1),
                (Kind::WrongMessage, 2),
                (Kind::Missing, 3),
                (Kind::Unexpected, 3)
            ]
        );
        let ok =
            parse("a = 1 # expect: X-A @1 \"alp\"\nb = 2 # expect: X-B\nc = 3 # expect: X-C\n");
        assert!(compare(&ok, &s, f, &diags).is_empty());
    }
}
