//! The nom parser with statement-level recovery.
//!
//! Lexemes and values are nom parsers over `&str`; the statement loop keeps an
//! explicit stack of open blocks, so nesting never recurses, and recovers after
//! a bad statement by skipping to the next statement boundary (a newline, `;`
//! or the `}` that closes the block). One bad statement gives one diagnostic.
//! The parser never does I/O and never panics on any input.

use super::ast::*;
use crate::units::{UnitFactor, is_unit_char};
use nom::{
    IResult, Parser,
    bytes::complete::{tag, take_while1},
    character::complete::char,
    combinator::{opt, recognize},
    error::{ErrorKind, ParseError},
};
use std::borrow::Cow;

/// Blocks nested deeper than this are refused (the vocabulary needs four).
pub const MAX_BLOCK_DEPTH: usize = 64;
/// Lists nested deeper than this are refused.
pub const MAX_LIST_DEPTH: usize = 32;
/// After this many syntax errors in one file the parser stops reporting.
pub const MAX_ERRORS: usize = 500;

/// The kind of a syntax-level problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// ICD-SYNTAX
    Syntax,
    /// ICD-RANGE: a number that is not finite as a 64-bit float.
    Range,
}

/// A problem found while parsing, with the byte span it concerns.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub code: ErrorCode,
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

/// The result of parsing one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed<'a> {
    pub stmts: Vec<Stmt<'a>>,
    pub errors: Vec<SyntaxError>,
}

/// nom's error type here: where it happened and what was expected.
#[derive(Clone, Debug, PartialEq)]
pub struct PErr<'a> {
    pub at: &'a str,
    pub len: usize,
    pub message: String,
    pub code: ErrorCode,
    pub help: Option<String>,
}

impl<'a> ParseError<&'a str> for PErr<'a> {
    /// nom's own errors are made (and mostly thrown away) on every failed
    /// alternative, so they carry no text: [`PErr::text`] words them only
    /// when one is reported.
    fn from_error_kind(input: &'a str, _: ErrorKind) -> Self {
        PErr {
            at: input,
            len: 0,
            message: String::new(),
            code: ErrorCode::Syntax,
            help: None,
        }
    }
    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }
}

impl PErr<'_> {
    /// The message to report.
    fn text(self) -> String {
        if self.message.is_empty() {
            format!("unexpected input: {}", found(self.at))
        } else {
            self.message
        }
    }
}

type Res<'a, T> = IResult<&'a str, T, PErr<'a>>;

fn fail<'a, T>(at: &'a str, len: usize, message: impl Into<String>) -> Res<'a, T> {
    Err(nom::Err::Failure(PErr {
        at,
        len,
        message: message.into(),
        code: ErrorCode::Syntax,
        help: None,
    }))
}

fn fail_help<'a, T>(
    at: &'a str,
    len: usize,
    message: impl Into<String>,
    help: impl Into<String>,
) -> Res<'a, T> {
    Err(nom::Err::Failure(PErr {
        at,
        len,
        message: message.into(),
        code: ErrorCode::Syntax,
        help: Some(help.into()),
    }))
}

/// Byte offset of `rest` inside `base` (both slices of one text).
fn off(base: &str, rest: &str) -> usize {
    (rest.as_ptr() as usize)
        .saturating_sub(base.as_ptr() as usize)
        .min(base.len())
}

/// Describes the next character for "found ..." messages.
fn found(rest: &str) -> String {
    match rest.chars().next() {
        None => "the end of the file".into(),
        Some('\n') | Some('\r') => "the end of the line".into(),
        Some(c) if c.is_control() => format!("the control character U+{:04X}", c as u32),
        Some(c) => format!("`{c}`"),
    }
}

fn char_len(rest: &str) -> usize {
    rest.chars().next().map_or(0, char::len_utf8)
}

// ---------------------------------------------------------------- lexemes

/// Spaces and tabs, and a carriage return only where it ends a line (CRLF);
/// a lone `\r` is not white space.
///
/// The lexemes of white space scan bytes: every byte they stop at is ASCII,
/// so each slice ends on a character boundary.
fn sp(i: &str) -> Res<'_, &str> {
    let n = sp_len(i.as_bytes());
    Ok((&i[n..], &i[..n]))
}

/// The length of the white space [`sp`] takes at the start of `b`.
fn sp_len(b: &[u8]) -> usize {
    let mut n = 0;
    loop {
        match b.get(n) {
            Some(b' ' | b'\t') => n += 1,
            Some(b'\r') if b.get(n + 1) == Some(&b'\n') => n += 1,
            _ => return n,
        }
    }
}

/// The length of a `#` comment at the start of `b`, up to (not including)
/// the newline; `None` when `b` does not start with one.
fn comment_len(b: &[u8]) -> Option<usize> {
    if b.first() != Some(&b'#') {
        return None;
    }
    Some(memchr::memchr(b'\n', b).unwrap_or(b.len()))
}

/// A `#` comment up to (not including) the newline.
fn comment(i: &str) -> Res<'_, &str> {
    match comment_len(i.as_bytes()) {
        Some(n) => Ok((&i[n..], &i[..n])),
        None => Err(nom::Err::Error(PErr::from_error_kind(i, ErrorKind::Char))),
    }
}

/// Spaces, tabs and comments, but not newlines.
fn sp_comments(i: &str) -> &str {
    let b = i.as_bytes();
    let mut n = 0;
    loop {
        n += sp_len(&b[n..]);
        match comment_len(&b[n..]) {
            Some(c) => n += c,
            None => return &i[n..],
        }
    }
}

/// Any whitespace, newlines and comments.
fn ws_all(i: &str) -> &str {
    let mut rest = sp_comments(i);
    while let Some(after) = rest.strip_prefix('\n') {
        rest = sp_comments(after);
    }
    rest
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// `[A-Za-z_][A-Za-z0-9_-]*`
fn ident<'a>(base: &'a str) -> impl FnMut(&'a str) -> Res<'a, Ident<'a>> {
    move |i: &'a str| {
        // ASCII only, so a byte scan ends on a character boundary
        let b = i.as_bytes();
        if !b.first().is_some_and(|&c| is_ident_start(char::from(c))) {
            return Err(nom::Err::Error(PErr::from_error_kind(
                i,
                ErrorKind::Satisfy,
            )));
        }
        let len = 1 + b[1..]
            .iter()
            .take_while(|&&c| is_ident_char(char::from(c)))
            .count();
        let (text, rest) = i.split_at(len);
        let start = off(base, i);
        Ok((
            rest,
            Ident {
                name: text,
                span: Span::new(start, start + text.len()),
            },
        ))
    }
}

/// Digits separated by single underscores: `12`, `12_500`.
fn digits(i: &str) -> Res<'_, &str> {
    let b = i.as_bytes();
    let run = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut n = run(0);
    if n == 0 {
        return Err(nom::Err::Error(PErr::from_error_kind(
            i,
            ErrorKind::TakeWhile1,
        )));
    }
    while b.get(n) == Some(&b'_') {
        match run(n + 1) {
            0 => {
                return fail_help(
                    &i[n..],
                    1,
                    "an underscore in a number must stand between two digits",
                    "write `12_500`, not `12__500` or `12_`",
                );
            }
            m => n += 1 + m,
        }
    }
    Ok((&i[n..], &i[..n]))
}

/// `digits` at byte `at` of `i`: the end of the digits, `None` when there
/// are none (a backtracking error); a failure (a misplaced underscore) is
/// passed on.
fn digits_end(i: &str, at: usize) -> Result<Option<usize>, nom::Err<PErr<'_>>> {
    match digits(&i[at..]) {
        Ok((_, d)) => Ok(Some(at + d.len())),
        Err(nom::Err::Error(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A number: `12`, `-3.5`, `0.10`, `6.5e3`, `12_500`. Returns the value.
fn number(i: &str) -> Res<'_, f64> {
    // sign, digits, then an optional fraction and exponent, each taken
    // only when digits follow (as `opt` would), scanned as bytes
    let b = i.as_bytes();
    let sign = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let mut end = sign + digits(&i[sign..])?.1.len();
    if b.get(end) == Some(&b'.')
        && let Some(e) = digits_end(i, end + 1)?
    {
        end = e;
    }
    if matches!(b.get(end), Some(b'e' | b'E')) {
        let at = end + 1 + usize::from(matches!(b.get(end + 1), Some(b'-' | b'+')));
        if let Some(e) = digits_end(i, at)? {
            end = e;
        }
    }
    let (rest, text) = (&i[end..], &i[..end]);
    let parsed = if let Some(v) = simple_decimal(&text.as_bytes()[sign..]) {
        Ok(if text.starts_with('-') { -v } else { v })
    } else if text.as_bytes().contains(&b'_') {
        text.replace('_', "").parse::<f64>()
    } else {
        text.parse::<f64>()
    };
    match parsed {
        // `+ 0.0` turns `-0` into 0 (and changes no other number), so no
        // sign of zero reaches a model, a division or JSON
        Ok(v) if v.is_finite() => Ok((rest, v + 0.0)),
        _ => Err(nom::Err::Failure(PErr {
            at: i,
            len: text.len(),
            message: format!("the number `{text}` is not finite as a 64-bit float"),
            code: ErrorCode::Range,
            help: Some("numbers must lie within about ±1.8e308".into()),
        })),
    }
}

/// Digits with an optional fraction (no sign, exponent or underscore) of at
/// most 15 significant digits, read exactly: the digits as an integer and
/// the power of ten are both exact in an `f64`, so one division rounds
/// once, to the value `str::parse` gives (Clinger's fast path). `None`
/// for anything else, which `str::parse` reads.
fn simple_decimal(text: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (mut mantissa, mut digits, mut fraction, mut dot) = (0u64, 0usize, 0usize, false);
    for &b in text {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
                fraction += usize::from(dot);
                if digits > 15 {
                    return None;
                }
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    (digits > 0).then(|| mantissa as f64 / POW10[fraction])
}

/// One unit symbol with an optional `^power`.
fn unit_factor<'a>(base: &'a str, divide: bool) -> impl FnMut(&'a str) -> Res<'a, UnitFactor<'a>> {
    move |i: &'a str| {
        let (rest, sym) = take_while1(is_unit_char).parse(i)?;
        let start = off(base, i);
        let span = (start, start + sym.len());
        let (rest, power) = match rest.strip_prefix('^') {
            Some(r) => {
                let (r2, p) =
                    recognize((opt(char('-')), take_while1(|c: char| c.is_ascii_digit())))
                        .parse(r)
                        .or_else(|_: nom::Err<PErr>| {
                            fail_help(
                                r,
                                char_len(r),
                                format!(
                                    "expected an integer power after `{sym}^`, found {}",
                                    found(r)
                                ),
                                "write powers as `m^2` or `s^-1`",
                            )
                        })?;
                let p: i32 = match p.parse() {
                    Ok(v) if (-12..=12).contains(&v) => v,
                    _ => {
                        return fail(
                            r,
                            p.len(),
                            format!("the power `{p}` is out of range (-12 ..= 12)"),
                        );
                    }
                };
                (r2, p)
            }
            None => (rest, 1),
        };
        Ok((
            rest,
            UnitFactor {
                symbol: sym,
                power,
                divide,
                span,
            },
        ))
    }
}

/// A unit expression: `m`, `m/s`, `kg*m^2`, `Mbit/s`. It is checked here
/// and kept as text; returns the number of factors.
fn unit<'a>(base: &'a str) -> impl FnMut(&'a str) -> Res<'a, usize> {
    move |i: &'a str| {
        let (mut rest, _) = unit_factor(base, false).parse(i)?;
        let mut out = 1;
        loop {
            let divide = match rest.chars().next() {
                Some('*') => false,
                Some('/') => true,
                _ => break,
            };
            let after = &rest[1..];
            match unit_factor(base, divide).parse(after) {
                Ok((r, _)) => {
                    out += 1;
                    rest = r;
                }
                Err(nom::Err::Failure(e)) => return Err(nom::Err::Failure(e)),
                Err(_) => {
                    return fail(
                        after,
                        char_len(after),
                        format!(
                            "expected a unit symbol after `{}`, found {}",
                            &rest[..1],
                            found(after)
                        ),
                    );
                }
            }
            if out > 16 {
                return fail(
                    i,
                    rest.len().min(1),
                    "a unit expression may have at most 16 factors",
                );
            }
        }
        Ok((rest, out))
    }
}

/// `number [unit]`; only spaces or tabs may stand between them.
fn quantity<'a>(base: &'a str) -> impl FnMut(&'a str) -> Res<'a, Quantity<'a>> {
    move |i: &'a str| {
        let (rest, n) = number(i)?;
        let after_sp = sp(rest)?.0;
        let (rest, unit_at) = match after_sp.chars().next() {
            Some(c) if is_unit_char(c) && !is_range_word(after_sp) => {
                (unit(base).parse(after_sp)?.0, off(base, after_sp))
            }
            _ => (rest, off(base, rest)),
        };
        let start = off(base, i);
        let end = off(base, rest);
        Ok((
            rest,
            Quantity {
                number: n,
                unit_text: &base[unit_at.min(end)..end],
                unit_at,
                span: Span::new(start, end),
            },
        ))
    }
}

/// `to` followed by a space and a number: the word of `24 to 32 V`, not a unit.
fn is_range_word(i: &str) -> bool {
    i.strip_prefix("to")
        .and_then(|r| r.strip_prefix([' ', '\t']))
        .is_some_and(|r| starts_number(r.trim_start_matches([' ', '\t'])))
}

/// A string literal with escapes `\" \\ \n \t \u{XXXX}`; no raw newlines.
fn string<'a>(base: &'a str) -> impl FnMut(&'a str) -> Res<'a, Cow<'a, str>> {
    move |i: &'a str| {
        let (body, _) = char('"').parse(i)?;
        // a string with no escape is borrowed from the source
        if let Some(end) = body.find(['"', '\\', '\n', '\r'])
            && body.as_bytes()[end] == b'"'
        {
            return Ok((&body[end + 1..], Cow::Borrowed(&body[..end])));
        }
        let mut rest = body;
        let mut out = String::new();
        loop {
            let Some(c) = rest.chars().next() else {
                return fail_help(
                    i,
                    1,
                    "unterminated string: the file ends before the closing `\"`",
                    "close the string with `\"`",
                );
            };
            match c {
                '"' => return Ok((&rest[1..], Cow::Owned(out))),
                '\n' | '\r' => {
                    return fail_help(
                        i,
                        1,
                        "unterminated string: the line ends before the closing `\"`",
                        "close the string on the same line; write a newline as `\\n`",
                    );
                }
                '\\' => {
                    let esc = &rest[1..];
                    match esc.chars().next() {
                        Some('"') => out.push('"'),
                        Some('\\') => out.push('\\'),
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        Some('u') => {
                            let (r, ch) = unicode_escape(base, rest)?;
                            out.push(ch);
                            rest = r;
                            continue;
                        }
                        _ => {
                            let n = 1 + char_len(esc);
                            return fail_help(
                                rest,
                                n,
                                format!("invalid escape `{}` in a string", &rest[..n]),
                                "the escapes are \\\" \\\\ \\n \\t and \\u{XXXX}",
                            );
                        }
                    }
                    rest = &esc[1..];
                }
                c => {
                    out.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
    }
}

/// `\u{XXXX}` starting at the backslash.
fn unicode_escape<'a>(_base: &'a str, i: &'a str) -> Res<'a, char> {
    let bad = |len: usize| {
        fail_help(
            i,
            len.max(2),
            "invalid unicode escape",
            "write a unicode escape as \\u{XXXX} with 1 to 6 hex digits of a valid code point",
        )
    };
    let Ok((r, _)) = tag::<_, _, PErr>("\\u{").parse(i) else {
        return bad(2);
    };
    let Ok((r, hex)) = take_while1::<_, _, PErr>(|c: char| c.is_ascii_hexdigit()).parse(r) else {
        return bad(3);
    };
    let Some(r) = r.strip_prefix('}') else {
        return bad(3 + hex.len());
    };
    if hex.len() > 6 {
        return bad(4 + hex.len());
    }
    match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
        Some(c) => Ok((r, c)),
        None => bad(4 + hex.len()),
    }
}

fn starts_number(i: &str) -> bool {
    let mut cs = i.chars();
    match cs.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('-') | Some('+') => cs.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// A quantity, range or tolerance.
fn numeric<'a>(base: &'a str) -> impl FnMut(&'a str) -> Res<'a, ValueKind<'a>> {
    move |i: &'a str| {
        let (rest, lo) = quantity(base).parse(i)?;
        let r = sp(rest)?.0;
        if let Some(r2) = r.strip_prefix("..") {
            let r2 = sp(r2)?.0;
            if !starts_number(r2) {
                return fail(
                    r2,
                    char_len(r2),
                    format!("expected a number after `..`, found {}", found(r2)),
                );
            }
            let (rest, hi) = quantity(base).parse(r2)?;
            return Ok((rest, ValueKind::Range(lo, hi)));
        }
        let pm = r.strip_prefix('±').or_else(|| r.strip_prefix("+/-"));
        if let Some(r2) = pm {
            let r2 = sp(r2)?.0;
            if !starts_number(r2) {
                return fail_help(
                    r2,
                    char_len(r2),
                    format!("expected a number after `±`, found {}", found(r2)),
                    "write a tolerance as `120 V ± 6 V` or `120 V +/- 5 %`",
                );
            }
            let (rest, tol) = quantity(base).parse(r2)?;
            return Ok((rest, ValueKind::Tolerance(lo, tol)));
        }
        if let Some(e) = misspelt_range_or_tolerance(base, &lo, r) {
            return Err(nom::Err::Failure(e));
        }
        Ok((rest, ValueKind::Quantity(lo)))
    }
}

/// A quantity as written, for help texts: `28 V`.
fn written_q(q: &Quantity) -> String {
    let n = crate::model::fmt_number(q.number);
    if q.unit_text.is_empty() {
        n
    } else {
        format!("{n} {}", q.unit_text)
    }
}

/// The spellings of a tolerance or range that people try after a quantity
/// (`+-`, `+4/-2 V`, `24 V - 32 V`, `24 V to 32 V`), each as one error that
/// names the accepted form. `r` is the text after the quantity and spaces.
fn misspelt_range_or_tolerance<'a>(base: &'a str, lo: &Quantity, r: &'a str) -> Option<PErr<'a>> {
    let err = |len: usize, message: String, help: String| PErr {
        at: r,
        len,
        message,
        code: ErrorCode::Syntax,
        help: Some(help),
    };
    // a second quantity after a separator of `len` bytes, as written
    let then_q = |len: usize| {
        let after = sp(&r[len..]).map_or(&r[len..], |x| x.0);
        if !starts_number(after) {
            return None;
        }
        quantity(base).parse(after).ok().map(|(_, q)| q)
    };
    // the unit a bare end takes from the other end
    let with_unit = |q: &Quantity, other: &Quantity| {
        if q.unit_text.is_empty() && !other.unit_text.is_empty() {
            format!("{} {}", crate::model::fmt_number(q.number), other.unit_text)
        } else {
            written_q(q)
        }
    };
    for sign in ["+-", "-+", "+ -", "- +"] {
        if r.starts_with(sign) {
            let tol = then_q(sign.len());
            let example = match &tol {
                Some(t) => format!("{} ± {}", written_q(lo), written_q(t)),
                None => format!("{} ± 4 {}", written_q(lo), lo.unit_text)
                    .trim_end()
                    .to_string(),
            };
            return Some(err(
                sign.len(),
                format!("`{sign}` is not a tolerance sign"),
                format!("write a tolerance with `±` or `+/-`: `{example}`"),
            ));
        }
    }
    // `+4/-2 V`: an asymmetric tolerance
    if r.starts_with('+') && starts_number(r) {
        let len = r.find(['\n', ';', '#', '}']).unwrap_or(r.len());
        let text = r[..len].trim_end();
        let asym = (|| {
            let (rest, up) = quantity(base).parse(r).ok()?;
            let rest = sp(rest).ok()?.0.strip_prefix('/')?;
            let rest = sp(rest).ok()?.0;
            let (_, down) = quantity(base).parse(rest).ok()?;
            let unit = [&down.unit_text, &up.unit_text, &lo.unit_text]
                .into_iter()
                .find(|u| !u.is_empty())
                .cloned()
                .unwrap_or_default();
            if unit != lo.unit_text && !lo.unit_text.is_empty() {
                return None;
            }
            let q = |n: f64| {
                format!("{} {unit}", crate::model::fmt_number(n))
                    .trim_end()
                    .to_string()
            };
            Some(format!(
                "{} .. {}",
                q(lo.number + down.number),
                q(lo.number + up.number)
            ))
        })();
        let help = match asym {
            Some(range) => format!(
                "a tolerance is symmetric (`±` or `+/-`); write the range it means as `lo .. hi`: `{range}`"
            ),
            None => "a tolerance is symmetric (`±` or `+/-`); write an asymmetric one as the range it means, `lo .. hi`".into(),
        };
        return Some(err(
            text.len(),
            format!("`{text}` is not a tolerance the language reads"),
            help,
        ));
    }
    // `24 V - 32 V` or `24 V – 32 V`: a range with a dash
    for dash in ["-", "–", "—"] {
        if r.starts_with(dash) {
            let Some(hi) = then_q(dash.len()) else {
                continue;
            };
            return Some(err(
                dash.len(),
                format!("`{dash}` does not make a range"),
                format!(
                    "write a range as `lo .. hi`: `{} .. {}`",
                    with_unit(lo, &hi),
                    written_q(&hi)
                ),
            ));
        }
    }
    // `24 V to 32 V`
    let word = r.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    if word.eq_ignore_ascii_case("to") || word.eq_ignore_ascii_case("..to") {
        let hi = then_q(word.len());
        let example = match &hi {
            Some(hi) => format!("`{} .. {}`", with_unit(lo, hi), written_q(hi)),
            None => "`lo .. hi`".into(),
        };
        return Some(err(
            word.len(),
            format!("`{word}` does not make a range"),
            format!("write a range as `lo .. hi`: {example}"),
        ));
    }
    None
}

/// Any value; `depth` bounds list nesting.
fn value<'a>(base: &'a str, depth: usize) -> impl FnMut(&'a str) -> Res<'a, Value<'a>> {
    move |i: &'a str| {
        let start = off(base, i);
        let (rest, kind) = match i.chars().next() {
            Some('"') => {
                let (r, s) = string(base).parse(i)?;
                (r, ValueKind::Str(s))
            }
            Some('[') => {
                if depth >= MAX_LIST_DEPTH {
                    return fail(
                        i,
                        1,
                        format!("lists nested deeper than {MAX_LIST_DEPTH} levels"),
                    );
                }
                list(base, depth + 1).parse(i)?
            }
            Some(c) if c.is_ascii_digit() || ((c == '-' || c == '+') && starts_number(i)) => {
                numeric(base).parse(i)?
            }
            Some(c) if is_ident_start(c) => {
                let (r, id) = ident(base).parse(i)?;
                if let Some(r2) = r.strip_prefix('.') {
                    match ident(base).parse(r2) {
                        Ok((r3, port)) => (r3, ValueKind::Ref(id, port)),
                        Err(_) => {
                            return fail_help(
                                r2,
                                char_len(r2),
                                format!(
                                    "expected a port id after `{}.`, found {}",
                                    id.name,
                                    found(r2)
                                ),
                                "a reference is written `vehicle.port`",
                            );
                        }
                    }
                } else {
                    match id.name {
                        "true" => (r, ValueKind::Bool(true)),
                        "false" => (r, ValueKind::Bool(false)),
                        _ => (r, ValueKind::Symbol(id.name)),
                    }
                }
            }
            _ => {
                return fail_help(
                    i,
                    char_len(i),
                    format!("expected a value, found {}", found(i)),
                    "a value is a number with an optional unit, a range `a .. b`, a string, a list, a symbol or a `vehicle.port` reference",
                );
            }
        };
        Ok((
            rest,
            Value {
                kind,
                span: Span::new(start, off(base, rest)),
            },
        ))
    }
}

/// `[ value, ... ]` with free newlines and an optional trailing comma.
fn list<'a>(base: &'a str, depth: usize) -> impl FnMut(&'a str) -> Res<'a, ValueKind<'a>> {
    move |i: &'a str| {
        let (mut rest, _) = char('[').parse(i)?;
        let mut items = Vec::new();
        loop {
            rest = ws_all(rest);
            if let Some(r) = rest.strip_prefix(']') {
                return Ok((r, ValueKind::List(items)));
            }
            if rest.is_empty() {
                return fail_help(
                    i,
                    1,
                    "unclosed list: the file ends before `]`",
                    "close the list with `]`",
                );
            }
            let (r, v) = value(base, depth).parse(rest)?;
            items.push(v);
            rest = ws_all(r);
            if let Some(r) = rest.strip_prefix(',') {
                rest = r;
            } else if !rest.starts_with(']') {
                return fail(
                    rest,
                    char_len(rest),
                    format!("expected `,` or `]` in a list, found {}", found(rest)),
                );
            }
        }
    }
}

// ---------------------------------------------------------------- statements

/// A block under construction on the explicit stack.
struct Open<'a> {
    kind: Ident<'a>,
    id: Option<Ident<'a>>,
    body: Vec<Stmt<'a>>,
    brace: usize,
}

impl<'a> Open<'a> {
    /// The finished block, ending at byte `end`.
    fn close(self, end: usize) -> Stmt<'a> {
        let span = Span::new(self.kind.span.start, end);
        Stmt::Block(Block {
            kind: self.kind,
            id: self.id,
            body: self.body,
            span,
        })
    }
}

/// Parses a whole file with no knowledge of which blocks nest where.
pub fn parse(src: &str) -> Parsed<'_> {
    parse_with(src, &|_, _| true)
}

/// Parses a whole file. Never panics; always returns a tree (possibly with
/// statements dropped) and every problem found.
///
/// `nests(parent, child)` says whether a `parent` block (`None`: the top
/// level) holds `child` blocks. A block header that its open block does not
/// hold but an enclosing one does means the open block was not closed, as
/// rustc reads an unclosed delimiter: one error at that block's header, and
/// the block is closed there.
pub fn parse_with<'a>(src: &'a str, nests: &dyn Fn(Option<&str>, &str) -> bool) -> Parsed<'a> {
    parse_limited(src, nests, MAX_BLOCK_DEPTH)
}

/// [`parse_with`], with blocks allowed to nest `max_depth` deep (the
/// configuration's `[limits] max-nesting`) instead of [`MAX_BLOCK_DEPTH`].
pub fn parse_limited<'a>(
    src: &'a str,
    nests: &dyn Fn(Option<&str>, &str) -> bool,
    max_depth: usize,
) -> Parsed<'a> {
    let mut stmts = Vec::new();
    let errors = parse_each(src, nests, max_depth, &mut |s| stmts.push(s));
    Parsed { stmts, errors }
}

/// Like [`parse_limited`], handing each top-level statement to `on_top` as
/// soon as it is complete (in source order) instead of keeping the tree:
/// a caller that lowers each statement and drops it never holds the whole
/// tree of a large file. Returns the syntax errors, in source order.
pub fn parse_each<'a>(
    src: &'a str,
    nests: &dyn Fn(Option<&str>, &str) -> bool,
    max_depth: usize,
    on_top: &mut dyn FnMut(Stmt<'a>),
) -> Vec<SyntaxError> {
    let base = src;
    let mut errors: Vec<SyntaxError> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let top = on_top;
    let mut i = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut line_starts: Option<Vec<usize>> = None;

    let push = |stack: &mut Vec<Open<'a>>, top: &mut dyn FnMut(Stmt<'a>), s: Stmt<'a>| match stack
        .last_mut()
    {
        Some(b) => b.body.push(s),
        None => top(s),
    };

    loop {
        if errors.len() >= MAX_ERRORS {
            let at = off(base, i);
            errors.push(SyntaxError {
                code: ErrorCode::Syntax,
                message: format!("too many syntax errors; stopped after {MAX_ERRORS}"),
                span: Span::new(at, at + char_len(i)),
                help: Some("is this an .icd file?".into()),
            });
            break;
        }
        // separators between statements
        i = ws_all(i);
        while let Some(r) = i.strip_prefix(';') {
            i = ws_all(r);
        }
        let stmt_start = i;
        let Some(c) = i.chars().next() else { break };
        if c == '}' {
            let at = off(base, i);
            match stack.pop() {
                Some(open) => {
                    let block = open.close(at + 1);
                    push(&mut stack, top, block);
                }
                None => errors.push(SyntaxError {
                    code: ErrorCode::Syntax,
                    message: "unexpected `}` with no open block".into(),
                    span: Span::new(at, at + 1),
                    help: Some("remove it, or open a block before it".into()),
                }),
            }
            i = &i[1..];
            continue;
        }
        match statement(base, i, stack.len(), max_depth) {
            Ok((rest, Step::Attr(a))) => {
                push(&mut stack, top, Stmt::Attr(a));
                i = rest;
            }
            Ok((rest, Step::Open(kind, id))) => {
                close_unclosed(
                    base,
                    &mut stack,
                    top,
                    &mut errors,
                    &kind,
                    nests,
                    &mut line_starts,
                );
                let brace = off(base, rest) - 1;
                stack.push(Open {
                    kind,
                    id,
                    body: Vec::new(),
                    brace,
                });
                i = rest;
            }
            Err(e) => {
                let (at, len, code, help, key, message) = match e {
                    StmtErr::Parse(e, key) => (
                        off(base, e.at),
                        e.len,
                        e.code,
                        e.help.clone(),
                        key,
                        e.text(),
                    ),
                };
                let end = (at + len.max(1)).min(base.len());
                errors.push(SyntaxError {
                    code,
                    message,
                    span: Span::new(at, end),
                    help,
                });
                let rest = skip_statement(stmt_start);
                // keep the attribute's key so that it is not reported missing too
                if let Some(key) = key {
                    let span = Span::new(key.span.start, off(base, rest));
                    let v = Value {
                        kind: ValueKind::Error,
                        span,
                    };
                    push(
                        &mut stack,
                        top,
                        Stmt::Attr(Attr {
                            key,
                            value: v,
                            span,
                        }),
                    );
                }
                i = if rest.len() == stmt_start.len() {
                    &stmt_start[char_len(stmt_start)..]
                } else {
                    rest
                };
            }
        }
    }
    // blocks never closed
    while let Some(open) = stack.pop() {
        errors.push(SyntaxError {
            code: ErrorCode::Syntax,
            message: format!(
                "unclosed block `{}`: the file ends before its `}}`",
                open.kind.name
            ),
            span: Span::new(open.brace, open.brace + 1),
            help: Some("add the missing `}`".into()),
        });
        let block = open.close(src.len());
        push(&mut stack, top, block);
    }
    // keep errors in source order (recovery may find them out of order)
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    errors
}

/// Closes the open blocks that cannot hold a `kind` block when an enclosing
/// one (or the top level) can: each was left unclosed before it.
fn close_unclosed<'a>(
    base: &'a str,
    stack: &mut Vec<Open<'a>>,
    top: &mut dyn FnMut(Stmt<'a>),
    errors: &mut Vec<SyntaxError>,
    kind: &Ident<'a>,
    nests: &dyn Fn(Option<&str>, &str) -> bool,
    line_starts: &mut Option<Vec<usize>>,
) {
    let name = kind.name;
    let holds = |i: Option<usize>, stack: &[Open]| nests(i.map(|i| stack[i].kind.name), name);
    let Some(top_i) = stack.len().checked_sub(1) else {
        return;
    };
    if holds(Some(top_i), stack) {
        return;
    }
    // the innermost enclosing block (or the top level) that holds it
    let Some(keep) = (0..top_i)
        .rev()
        .map(Some)
        .chain(std::iter::once(None))
        .find(|i| holds(*i, stack))
    else {
        return;
    };
    let keep_len = keep.map_or(0, |i| i + 1);
    let at = kind.span.start;
    while stack.len() > keep_len {
        let Some(open) = stack.pop() else { break };
        // the line index is built once, and only when this error occurs
        let starts = line_starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(base.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= open.kind.span.start);
        errors.push(SyntaxError {
            code: ErrorCode::Syntax,
            message: format!(
                "`{}` (line {line}) is not closed before `{name}`",
                open.kind.name
            ),
            span: open.kind.span,
            help: Some(format!(
                "add the `}}` that closes `{}` before `{name}`",
                open.kind.name
            )),
        });
        // end the block at the last statement it holds
        let end = base[..at].trim_end().len().max(open.brace + 1);
        let block = open.close(end);
        match stack.last_mut() {
            Some(b) => b.body.push(block),
            None => top(block),
        }
    }
}

enum Step<'a> {
    Attr(Attr<'a>),
    Open(Ident<'a>, Option<Ident<'a>>),
}

enum StmtErr<'a> {
    /// The error, and the attribute's key when it got that far.
    Parse(PErr<'a>, Option<Ident<'a>>),
}

fn unwrap_err<'a>(e: nom::Err<PErr<'a>>, at: &'a str) -> PErr<'a> {
    match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e,
        nom::Err::Incomplete(_) => PErr {
            at,
            len: 0,
            message: "unexpected end of input".into(),
            code: ErrorCode::Syntax,
            help: None,
        },
    }
}

/// One statement: `key = value` followed by its end, or a block header up to
/// and including `{`.
fn statement<'a>(
    base: &'a str,
    i: &'a str,
    depth: usize,
    max_depth: usize,
) -> Result<(&'a str, Step<'a>), StmtErr<'a>> {
    let perr = |at: &'a str, len: usize, msg: String, help: Option<&str>| PErr {
        at,
        len,
        message: msg,
        code: ErrorCode::Syntax,
        help: help.map(str::to_string),
    };
    let (rest, key) = match ident(base).parse(i) {
        Ok(x) => x,
        Err(_) => {
            return Err(StmtErr::Parse(
                perr(
                    i,
                    char_len(i),
                    format!("expected an attribute or a block, found {}", found(i)),
                    Some("a statement is `key = value` or `kind [id] { ... }`"),
                ),
                None,
            ));
        }
    };
    let r = sp_comments(rest);
    if let Some(r) = r.strip_prefix('=') {
        let r = sp(r).map(|x| x.0).unwrap_or(r);
        if r.is_empty() || r.starts_with(['\n', ';', '}', '#']) || r.starts_with("\r\n") {
            let e = perr(
                r,
                char_len(r),
                format!(
                    "expected a value after `{} =`, found {}",
                    key.name,
                    found(r)
                ),
                Some("give the attribute a value, or remove the line"),
            );
            return Err(StmtErr::Parse(e, Some(key)));
        }
        let (r2, v) = value(base, 0)
            .parse(r)
            .map_err(|e| StmtErr::Parse(unwrap_err(e, r), Some(key.clone())))?;
        let end = sp_comments(r2);
        if !(end.is_empty() || end.starts_with(['\n', ';', '}'])) {
            let e = perr(
                end,
                char_len(end),
                format!(
                    "expected the end of the statement after the value of `{}`, found {}",
                    key.name,
                    found(end)
                ),
                Some("end a statement with a newline or `;`"),
            );
            return Err(StmtErr::Parse(e, Some(key)));
        }
        let span = Span::new(key.span.start, off(base, r2));
        return Ok((
            r2,
            Step::Attr(Attr {
                key,
                value: v,
                span,
            }),
        ));
    }
    // a block header: kind [id] {
    let (r, id) = match ident(base).parse(r) {
        Ok((r2, id)) => (sp_comments(r2), Some(id)),
        Err(_) => (r, None),
    };
    if let Some(r2) = r.strip_prefix('{') {
        if depth >= max_depth {
            return Err(StmtErr::Parse(
                perr(
                    r,
                    1,
                    format!("blocks nested deeper than {max_depth} levels"),
                    Some("the vocabulary nests at most four blocks deep"),
                ),
                None,
            ));
        }
        return Ok((r2, Step::Open(key, id)));
    }
    let msg = match &id {
        Some(id) => format!(
            "expected `{{` after `{} {}`, found {}",
            key.name,
            id.name,
            found(r)
        ),
        None => format!(
            "expected `=` or `{{` after `{}`, found {}",
            key.name,
            found(r)
        ),
    };
    Err(StmtErr::Parse(
        perr(
            r,
            char_len(r),
            msg,
            Some("a statement is `key = value` or `kind [id] { ... }`"),
        ),
        None,
    ))
}

/// Skips a bad statement: up to (not including) the next newline outside a
/// list, `;`, or `}`; strings and comments are skipped whole, and a `{ ... }`
/// met on the way is skipped with everything inside it.
fn skip_statement(mut i: &str) -> &str {
    let mut brackets = 0usize;
    loop {
        let Some(c) = i.chars().next() else { return i };
        match c {
            '\n' if brackets == 0 => return i,
            ';' | '}' => return i,
            '[' => brackets += 1,
            ']' => brackets = brackets.saturating_sub(1),
            '#' => {
                i = comment(i).map(|x| x.0).unwrap_or(&i[1..]);
                continue;
            }
            '"' => {
                i = skip_string(i);
                continue;
            }
            '{' => return skip_braces(i),
            _ => {}
        }
        i = &i[c.len_utf8()..];
    }
}

/// Skips a string literal, or to the end of its line when unterminated.
fn skip_string(i: &str) -> &str {
    let mut rest = &i[1..];
    loop {
        match rest.chars().next() {
            None => return rest,
            Some('\n') => return rest,
            Some('"') => return &rest[1..],
            Some('\\') => {
                let skip = 1 + rest[1..]
                    .chars()
                    .next()
                    .map_or(0, |c| if c == '\n' { 0 } else { c.len_utf8() });
                rest = &rest[skip..];
            }
            Some(c) => rest = &rest[c.len_utf8()..],
        }
    }
}

/// Skips a balanced `{ ... }` starting at `{` (iteratively, at any depth).
fn skip_braces(i: &str) -> &str {
    let mut depth = 0usize;
    let mut rest = i;
    loop {
        let Some(c) = rest.chars().next() else {
            return rest;
        };
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &rest[1..];
                }
            }
            '"' => {
                rest = skip_string(rest);
                continue;
            }
            '#' => {
                rest = comment(rest).map(|x| x.0).unwrap_or(&rest[1..]);
                continue;
            }
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// Parses one value on its own (as written in a spec file's limit, e.g.
/// `"800 mm"` or `"0.05 .. 0.10 m/s"`).
pub fn parse_value(text: &str) -> Result<Value<'_>, SyntaxError> {
    let base = text;
    let i = sp(text).map(|x| x.0).unwrap_or(text);
    match value(base, 0).parse(i) {
        Ok((rest, v)) => {
            let rest = sp(rest).map(|x| x.0).unwrap_or(rest);
            if rest.is_empty() {
                Ok(v)
            } else {
                let at = off(base, rest);
                Err(SyntaxError {
                    code: ErrorCode::Syntax,
                    message: format!("unexpected {} after the value", found(rest)),
                    span: Span::new(at, at + char_len(rest)),
                    help: None,
                })
            }
        }
        Err(e) => {
            let e = unwrap_err(e, i);
            let at = off(base, e.at);
            let (code, len, help) = (e.code, e.len, e.help.clone());
            Err(SyntaxError {
                code,
                message: e.text(),
                span: Span::new(at, at + len),
                help,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-level lexemes take what the combinators they replaced took:
    /// a fraction or an exponent only when digits follow, an underscore
    /// only between digits, a lone `\r` never as white space.
    #[test]
    fn lexemes_take_what_the_grammar_says() {
        let num = |s: &'static str| number(s).map(|(rest, v)| (v, rest));
        assert_eq!(num("12 m"), Ok((12.0, " m")));
        assert_eq!(num("-3.5e2x"), Ok((-350.0, "x")));
        assert_eq!(num("+6.5E-1"), Ok((0.65, "")));
        assert_eq!(num("1."), Ok((1.0, ".")));
        assert_eq!(num("1.x"), Ok((1.0, ".x")));
        assert_eq!(num("2e"), Ok((2.0, "e")));
        assert_eq!(num("2e+"), Ok((2.0, "e+")));
        assert_eq!(num("12_500 N"), Ok((12500.0, " N")));
        assert_eq!(num("1_0.2_5"), Ok((10.25, "")));
        assert_eq!(num("-0"), Ok((0.0, "")));
        assert!(num("-0").unwrap().0.is_sign_positive());
        assert!(matches!(num("x"), Err(nom::Err::Error(_))));
        assert!(matches!(num("-"), Err(nom::Err::Error(_))));
        for bad in ["12__500", "12_", "1.5_", "1e5_"] {
            match num(bad) {
                Err(nom::Err::Failure(e)) => assert!(e.message.contains("underscore"), "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        // the fast path reads what `str::parse` reads, bit for bit
        for t in [
            "0",
            "7",
            "12",
            "0.1",
            "0.2",
            "0.3",
            "2.675",
            "800",
            "31.5",
            "0.05",
            "123456789012345",
            "1234567890.12345",
            "0.000000000000001",
            "999999999999999",
            "9007199254740993",
            "1234567890123456",
            "0.1234567890123456",
            "3.",
            "08.50",
        ] {
            let want = t.parse::<f64>().ok();
            let got = simple_decimal(t.as_bytes());
            if let Some(g) = got {
                assert_eq!(Some(g.to_bits()), want.map(f64::to_bits), "{t}");
            }
            assert_eq!(
                num(t).map(|(v, _)| v.to_bits()).ok(),
                want.map(f64::to_bits),
                "{t}"
            );
        }
        // and on 200,000 pseudo-random decimals of 1 to 17 digits
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 17 + 1) as usize;
            let mut t: String = (0..digits)
                .map(|k| char::from(b'0' + ((x >> (k * 3)) % 10) as u8))
                .collect();
            let dot = (x >> 58) as usize % (digits + 1);
            if dot < digits {
                t.insert(dot, '.');
            }
            if let (Some(g), Ok(w)) = (simple_decimal(t.as_bytes()), t.parse::<f64>()) {
                assert_eq!(g.to_bits(), w.to_bits(), "{t}");
            }
        }
        assert_eq!(simple_decimal(b"1234567890123456"), None);
        assert_eq!(simple_decimal(b"1e5"), None);
        match num("1e999") {
            Err(nom::Err::Failure(e)) => assert_eq!(e.code, ErrorCode::Range),
            other => panic!("{other:?}"),
        }

        assert_eq!(ws_all(" \t# c\r\n\n  # d\nx"), "x");
        assert_eq!(ws_all("\r x"), "\r x");
        assert_eq!(ws_all("# only a comment"), "");
        assert_eq!(sp_comments("  # c\nx"), "\nx");
        assert_eq!(sp(" \t\r\nx"), Ok(("\nx", " \t\r")));
        assert_eq!(sp("\rx"), Ok(("\rx", "")));

        let id = |s: &'static str| ident(s)(s).map(|(rest, i)| (i.name, rest));
        assert_eq!(id("port-a_1 {"), Ok(("port-a_1", " {")));
        assert_eq!(id("_x"), Ok(("_x", "")));
        assert!(id("1x").is_err());
        assert!(id("éa").is_err());
        assert_eq!(id("aé"), Ok(("a", "é")));
    }
}
