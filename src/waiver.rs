//! Waivers: approved deviations. A waiver accepts the findings of one rule
//! in one place; a waived finding is still listed in every format, with its
//! waiver, but never counts toward the summary or the exit code.
//!
//! Two sources:
//! - inline, a comment on the finding's line or above it (it then applies to
//!   the next line that is not blank or a comment):
//!   `# waiver: IDSS-PASSAGE W-2031 "board decision 2026-03" expires=2027-06-30`;
//! - a waiver file (`waivers.toml` at the project root, or `--waivers FILE`)
//!   whose `[[waiver]]` entries name a `path` glob (on the shown path) or a
//!   `ref` (a vehicle or `vehicle.port`).
//!
//! A malformed waiver is `ICD-WAIVER` (error; it waives nothing), a waiver
//! that accepted nothing `ICD-WAIVER-UNUSED`, an expired one
//! `ICD-WAIVER-EXPIRED` (warnings; an expired waiver waives nothing). These
//! codes cannot be waived. Nothing here prints or reads the clock: the caller
//! passes today's date.

use crate::diagnostic::{Diagnostic, FileId, Severity, Waived, closest, codes};
use crate::syntax::{Span, annotated_line, comment_start};
use crate::workspace::SourceMap;

/// A calendar date (`YYYY-MM-DD`), ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` (a real calendar day).
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.split('-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= days_in(date))
            .then_some(date)
    }

    /// The civil date of a count of days since 1970-01-01 (UTC).
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in(d: Date) -> u8 {
    match d.month {
        2 if (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// What a waiver covers.
#[derive(Clone, Debug)]
pub enum Scope {
    /// Findings whose primary location starts on this 0-based line of this
    /// file (an inline waiver); `None` when no line follows the comment.
    Line(FileId, Option<usize>),
    /// Findings in files whose shown path matches the glob.
    Path(globset::GlobMatcher),
    /// Findings in this vehicle or `vehicle.port`.
    Ref(String),
}

/// One well-formed waiver.
#[derive(Clone, Debug)]
pub struct Waiver {
    pub rule: String,
    pub id: String,
    pub reason: String,
    pub expires: Option<Date>,
    pub scope: Scope,
    /// Where the waiver is written.
    pub file: FileId,
    pub span: Span,
    /// `inline`, or the waiver file's shown path.
    pub source: String,
}

/// Codes that no waiver can accept.
pub fn unwaivable(code: &str) -> bool {
    matches!(
        code,
        codes::WAIVER | codes::WAIVER_UNUSED | codes::WAIVER_EXPIRED
    )
}

/// Checks a waiver's rule against the known codes: `Err` is the message.
fn known_rule(rule: &str, known: &[&str]) -> Result<(), String> {
    if unwaivable(rule) {
        return Err(format!("`{rule}` cannot be waived"));
    }
    if known.contains(&rule) {
        return Ok(());
    }
    let hint = closest(rule, known.iter().copied())
        .map_or(String::new(), |c| format!("; did you mean `{c}`?"));
    Err(format!(
        "the waiver names `{rule}`, which is not a loaded rule or code{hint}"
    ))
}

/// The inline waivers of one `.icd` text, and an `ICD-WAIVER` error for
/// each malformed one.
pub fn inline(
    file: FileId,
    text: &str,
    known: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Waiver> {
    // most files hold no waiver: one substring search, and no line index
    if !text.contains("waiver:") {
        return Vec::new();
    }
    let lines: Vec<(usize, &str)> = {
        let mut at = 0;
        text.split_inclusive('\n')
            .map(|l| {
                let start = at;
                at += l.len();
                (start, l.trim_end_matches(['\n', '\r']))
            })
            .collect()
    };
    let texts: Vec<&str> = lines.iter().map(|(_, l)| *l).collect();
    let mut out = Vec::new();
    for (n, (start, line)) in lines.iter().enumerate() {
        let Some(hash) = comment_start(line) else {
            continue;
        };
        let body = line[hash + 1..].trim_start();
        let Some(rest) = body.strip_prefix("waiver:") else {
            continue;
        };
        let span = Span::new(start + hash, start + line.len());
        let target = annotated_line(&texts, n);
        match parse_inline(rest) {
            Ok(p) => {
                if let Err(m) = known_rule(&p.rule, known) {
                    diags.push(malformed(file, span, m));
                    continue;
                }
                out.push(Waiver {
                    rule: p.rule,
                    id: p.id,
                    reason: p.reason,
                    expires: p.expires,
                    scope: Scope::Line(file, target),
                    file,
                    span,
                    source: "inline".into(),
                });
            }
            Err(m) => diags.push(malformed(file, span, m)),
        }
    }
    out
}

fn malformed(file: FileId, span: Span, message: String) -> Diagnostic {
    Diagnostic::error(codes::WAIVER, file, span, message)
        .with_label("this waiver waives nothing")
        .with_help(
            "write `# waiver: RULE ID \"reason\"`, optionally followed by `expires=YYYY-MM-DD`, e.g. `# waiver: IDSS-PASSAGE W-2031 \"flight-proven 790 mm hatch, board decision 2026-03\"`",
        )
}

struct Parsed {
    rule: String,
    id: String,
    reason: String,
    expires: Option<Date>,
}

/// `IDSS-PASSAGE W-2031 "reason" expires=2027-06-30`
fn parse_inline(s: &str) -> Result<Parsed, String> {
    let s = s.trim();
    let word = |s: &str| -> (String, usize) {
        let end = s.find(char::is_whitespace).unwrap_or(s.len());
        (s[..end].to_string(), end)
    };
    let (rule, n) = word(s);
    if rule.is_empty() {
        return Err("the waiver names no rule".into());
    }
    if rule.starts_with('"') {
        return Err("the waiver names no rule before its reason".into());
    }
    let s = s[n..].trim_start();
    let (id, n) = word(s);
    if id.is_empty() {
        return Err(format!("the waiver of `{rule}` has no id and no reason"));
    }
    if id.starts_with('"') {
        return Err(format!(
            "the waiver of `{rule}` has no id before its reason"
        ));
    }
    let s = s[n..].trim_start();
    let Some(quoted) = s.strip_prefix('"') else {
        return Err(format!(
            "waiver {id} of `{rule}` has no reason; a waiver says why, in quotes"
        ));
    };
    let mut reason = String::new();
    let mut escaped = false;
    let mut end = None;
    for (i, c) in quoted.char_indices() {
        match c {
            _ if escaped => {
                reason.push(c);
                escaped = false;
            }
            '\\' => escaped = true,
            '"' => {
                end = Some(i);
                break;
            }
            _ => reason.push(c),
        }
    }
    let Some(end) = end else {
        return Err(format!("the reason of waiver {id} is not closed with `\"`"));
    };
    if reason.trim().is_empty() {
        return Err(format!("waiver {id} of `{rule}` has an empty reason"));
    }
    let mut expires = None;
    for item in quoted[end + 1..].split_whitespace() {
        match item.split_once('=') {
            Some(("expires", v)) => match Date::parse(v) {
                Some(d) => expires = Some(d),
                None => {
                    return Err(format!(
                        "`expires={v}` is not a date; write `expires=YYYY-MM-DD`"
                    ));
                }
            },
            _ => {
                return Err(format!(
                    "unexpected `{item}` after the reason; only `expires=YYYY-MM-DD` may follow"
                ));
            }
        }
    }
    Ok(Parsed {
        rule,
        id,
        reason,
        expires,
    })
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    waiver: Vec<toml::Spanned<Entry>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    rule: Option<toml::Spanned<String>>,
    id: Option<toml::Spanned<String>>,
    reason: Option<toml::Spanned<String>>,
    path: Option<toml::Spanned<String>>,
    #[serde(rename = "ref")]
    reference: Option<toml::Spanned<String>>,
    expires: Option<toml::Spanned<toml::value::Datetime>>,
}

/// The waivers of a waiver file (already in `sources` as `file`), and an
/// `ICD-WAIVER` error for each malformed entry (a file that is not TOML of
/// this shape waives nothing).
pub fn from_file(
    file: FileId,
    sources: &SourceMap,
    known: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Waiver> {
    let f = sources.get(file);
    let source = f.path.clone();
    let help = "each `[[waiver]]` needs `rule`, `id`, `reason` and one of `path` (a glob on the path from the project root) or `ref` (`vehicle` or `vehicle.port`); `expires = YYYY-MM-DD` is optional";
    let doc: FileDoc = match toml::from_str(&f.text) {
        Ok(d) => d,
        Err(e) => {
            let span = e
                .span()
                .map_or(Span::default(), |r| Span::new(r.start, r.end));
            diags.push(
                Diagnostic::error(
                    codes::WAIVER,
                    file,
                    span,
                    format!("the waiver file cannot be read: {}", e.message()),
                )
                .with_label("this file waives nothing")
                .with_help(help),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for entry in doc.waiver {
        let whole = Span::new(entry.span().start, entry.span().end);
        let e = entry.into_inner();
        // the entry is shown at its first line
        let header = {
            let text = &f.text[whole.start.min(f.text.len())..whole.end.min(f.text.len())];
            let line_end = text.find('\n').unwrap_or(text.len());
            Span::new(whole.start, whole.start + line_end)
        };
        let bad = |m: String| {
            Diagnostic::error(codes::WAIVER, file, header, m)
                .with_label("this waiver waives nothing")
                .with_help(help)
        };
        let missing: Vec<&str> = [
            ("rule", e.rule.is_none()),
            ("id", e.id.is_none()),
            (
                "reason",
                e.reason
                    .as_ref()
                    .is_none_or(|r| r.get_ref().trim().is_empty()),
            ),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(k, _)| *k)
        .collect();
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
            diags.push(bad(format!("the waiver has no {}", list.join(", no "))));
            continue;
        }
        let (Some(rule), Some(id), Some(reason)) = (e.rule, e.id, e.reason) else {
            continue;
        };
        if let Err(m) = known_rule(rule.get_ref(), known) {
            let s = Span::new(rule.span().start, rule.span().end);
            diags.push(
                Diagnostic::error(codes::WAIVER, file, s, m)
                    .with_label("this waiver waives nothing")
                    .with_help(help),
            );
            continue;
        }
        let scope = match (e.path, e.reference) {
            (Some(_), Some(_)) => {
                diags.push(bad(format!(
                    "waiver {} names both `path` and `ref`; name one",
                    id.get_ref()
                )));
                continue;
            }
            (None, None) => {
                diags.push(bad(format!(
                    "waiver {} names neither `path` nor `ref`; a waiver covers a place, never a whole rule",
                    id.get_ref()
                )));
                continue;
            }
            (Some(p), None) => match globset::GlobBuilder::new(p.get_ref())
                .literal_separator(true)
                .build()
            {
                Ok(g) => Scope::Path(g.compile_matcher()),
                Err(err) => {
                    let s = Span::new(p.span().start, p.span().end);
                    diags.push(
                        Diagnostic::error(
                            codes::WAIVER,
                            file,
                            s,
                            format!("invalid glob `{}`: {}", p.get_ref(), err.kind()),
                        )
                        .with_label("this waiver waives nothing")
                        .with_help(help),
                    );
                    continue;
                }
            },
            (None, Some(r)) => {
                let ok = {
                    let parts: Vec<&str> = r.get_ref().split('.').collect();
                    parts.len() <= 2 && parts.iter().all(|p| is_ident(p))
                };
                if !ok {
                    let s = Span::new(r.span().start, r.span().end);
                    diags.push(
                        Diagnostic::error(
                            codes::WAIVER,
                            file,
                            s,
                            format!(
                                "`ref = \"{}\"` is not a vehicle or `vehicle.port`",
                                r.get_ref()
                            ),
                        )
                        .with_label("this waiver waives nothing")
                        .with_help(help),
                    );
                    continue;
                }
                Scope::Ref(r.into_inner())
            }
        };
        let expires = match e.expires {
            None => None,
            Some(d) => {
                let s = Span::new(d.span().start, d.span().end);
                let text = d.get_ref().to_string();
                match (d.get_ref().time.is_none(), Date::parse(&text)) {
                    (true, Some(date)) => Some(date),
                    _ => {
                        diags.push(
                            Diagnostic::error(
                                codes::WAIVER,
                                file,
                                s,
                                format!(
                                    "`expires = {text}` is not a date; write `expires = YYYY-MM-DD`"
                                ),
                            )
                            .with_label("this waiver waives nothing")
                            .with_help(help),
                        );
                        continue;
                    }
                }
            }
        };
        out.push(Waiver {
            rule: rule.into_inner(),
            id: id.into_inner(),
            reason: reason.into_inner(),
            expires,
            scope,
            file,
            span: header,
            source: source.clone(),
        });
    }
    out
}

fn is_ident(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || x == '-')
}

/// Whether a model path (`solo.nose.docking.passageway`) is inside a ref
/// (`solo` or `solo.nose`).
fn within(path: &str, reference: &str) -> bool {
    path == reference
        || (path.starts_with(reference) && path.as_bytes().get(reference.len()) == Some(&b'.'))
}

/// Applies the waivers to `diags` (in place: a waived finding gets its
/// [`Waived`]), then adds `ICD-WAIVER-EXPIRED` for every expired waiver and
/// `ICD-WAIVER-UNUSED` for every waiver that accepted nothing. The model
/// paths of the findings ([`crate::fingerprint::model_paths`]) are worked
/// out only when a waiver names a `ref`.
/// `reported(rule)` says whether the run reports a rule at all (`--select`,
/// `--ignore`): a waiver of a rule the run does not report is not called
/// unused. `in_run(waiver)` says whether the run checked anything the
/// waiver's place names (a waiver of a file that was not checked is not
/// unused either).
pub fn apply(
    waivers: &[Waiver],
    sources: &SourceMap,
    diags: &mut Vec<Diagnostic>,
    today: Date,
    reported: &dyn Fn(&str) -> bool,
    in_run: &dyn Fn(&Waiver) -> bool,
) {
    let mut used = vec![false; waivers.len()];
    let live: Vec<bool> = waivers
        .iter()
        .map(|w| w.expires.is_none_or(|e| e >= today))
        .collect();
    if waivers.is_empty() {
        return;
    }
    let paths = if waivers.iter().any(|w| matches!(w.scope, Scope::Ref(_))) {
        crate::fingerprint::model_paths(diags, sources)
    } else {
        vec![String::new(); diags.len()]
    };
    for (d, path) in diags.iter_mut().zip(&paths) {
        if d.waived.is_some() || unwaivable(&d.code) {
            continue;
        }
        let f = sources.get(d.file);
        let hit = waivers.iter().enumerate().find(|(i, w)| {
            live[*i]
                && w.rule == d.code
                && match &w.scope {
                    Scope::Line(file, line) => {
                        *file == d.file
                            && *line == Some(f.line_index(d.span.start.min(f.text.len())))
                    }
                    Scope::Path(g) => g.is_match(&f.path),
                    Scope::Ref(r) => within(path, r),
                }
        });
        if let Some((i, w)) = hit {
            used[i] = true;
            d.waived = Some(Waived {
                id: w.id.clone(),
                reason: w.reason.clone(),
                source: w.source.clone(),
            });
        }
    }
    for (i, w) in waivers.iter().enumerate() {
        if !live[i] {
            let expired = w.expires.map(|e| e.to_string()).unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    codes::WAIVER_EXPIRED,
                    Severity::Warning,
                    w.file,
                    w.span,
                    format!(
                        "waiver {} of `{}` expired on {expired}; it waives nothing",
                        w.id, w.rule
                    ),
                )
                .with_label("expired")
                .with_help("renew the waiver with a new board decision and a later `expires`, or fix the finding and remove the waiver"),
            );
        } else if !used[i] && reported(&w.rule) && in_run(w) {
            diags.push(
                Diagnostic::new(
                    codes::WAIVER_UNUSED,
                    Severity::Warning,
                    w.file,
                    w.span,
                    format!(
                        "waiver {} of `{}` accepts no finding",
                        w.id, w.rule
                    ),
                )
                .with_label("waives nothing")
                .with_help(match w.scope {
                    Scope::Line(..) => "an inline waiver covers its own line, or the next line that is not blank or a comment; remove it if the finding was fixed",
                    _ => "remove the waiver if the finding was fixed, or correct its `rule`, `path` or `ref`",
                }),
            );
        }
    }
}

/// Today's date: `DOCKCHECK_TODAY` (`YYYY-MM-DD`) when set, for
/// reproducible runs; else the system clock (UTC).
pub fn today() -> Date {
    if let Some(d) = std::env::var("DOCKCHECK_TODAY")
        .ok()
        .and_then(|s| Date::parse(s.trim()))
    {
        return d;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days((secs / 86_400) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_order() {
        assert_eq!(
            Date::parse("2027-06-30"),
            Some(Date {
                year: 2027,
                month: 6,
                day: 30
            })
        );
        assert_eq!(Date::parse("2027-02-30"), None);
        assert_eq!(Date::parse("2028-02-29").map(|d| d.day), Some(29));
        assert_eq!(Date::parse("27-06-30"), None);
        assert!(Date::parse("2020-01-01") < Date::parse("2026-12-01"));
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_788).to_string(), "2026-12-01");
    }

    #[test]
    fn inline_waivers_parse_or_say_what_is_missing() {
        let known = ["IDSS-PASSAGE"];
        let text = "a {\n  # waiver: IDSS-PASSAGE W-1 \"why \\\"so\\\"\" expires=2027-06-30\n\n  # note\n  x = 1\n  y = \"#\" # waiver: IDSS-PASSAGE W-2\n  # waiver: IDSS-PASAGE W-3 \"r\"\n}\n";
        let mut diags = Vec::new();
        let w = inline(0, text, &known, &mut diags);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].reason, "why \"so\"");
        assert!(matches!(w[0].scope, Scope::Line(0, Some(4))));
        assert_eq!(
            w[0].expires.map(|d| d.to_string()).as_deref(),
            Some("2027-06-30")
        );
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(
            diags[0].message.contains("no reason"),
            "{}",
            diags[0].message
        );
        assert!(
            diags[1].message.contains("did you mean `IDSS-PASSAGE`"),
            "{}",
            diags[1].message
        );
    }

    #[test]
    fn refs_cover_their_vehicle_or_port_only() {
        assert!(within("solo.nose.docking.passageway", "solo.nose"));
        assert!(within("solo.nose", "solo"));
        assert!(!within("solo.nosecone.docking", "solo.nose"));
        assert!(!within("solo2.nose", "solo"));
    }
}
