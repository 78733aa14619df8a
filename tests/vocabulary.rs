//! The vocabulary table (`model::vocab::BLOCKS` and `ATTRS`) is the one
//! description of the language's blocks and keys: the lowering accepts every
//! key it lists with a value of its kind and rejects a value of another kind,
//! rejects keys it does not list, and the printer writes every key back.

use dockcheck::diagnostic::Diagnostic;
use dockcheck::load::parse_and_lower;
use dockcheck::model::print::print;
use dockcheck::model::vocab::{ATTRS, Attr, BLOCKS, Kind, block_def};
use dockcheck::units::{Dim, examples};

/// The first example unit of a dimension (`m` for a length).
fn unit(d: Dim) -> &'static str {
    let u = examples(d).split(", ").next().unwrap_or("");
    if d == Dim::NONE { "" } else { u }
}

/// A value of `kind`.
fn good(kind: Kind) -> String {
    match kind {
        Kind::Str => "\"x\"".into(),
        Kind::StrList => "[\"x\", \"y\"]".into(),
        Kind::Symbol(names) => names[0].into(),
        Kind::Count => "1".into(),
        Kind::Quantity(d) => format!("2 {}", unit(d)),
        Kind::Range(d) => format!("1 .. 2 {}", unit(d)),
        Kind::Ref => "v.p".into(),
        Kind::Envelope | Kind::Block => unreachable!("attributes hold values"),
    }
}

/// A value not of `kind` (for a quantity, one of another dimension).
fn bad(kind: Kind) -> String {
    match kind {
        Kind::Str | Kind::StrList | Kind::Symbol(_) | Kind::Ref => "7 kg".into(),
        Kind::Count => "\"four\"".into(),
        Kind::Quantity(d) | Kind::Range(d) => {
            let other = if d == Dim::MASS {
                Dim::VOLTAGE
            } else {
                Dim::MASS
            };
            match kind {
                Kind::Range(_) => format!("1 .. 2 {}", unit(other)),
                _ => format!("2 {}", unit(other)),
            }
        }
        Kind::Envelope | Kind::Block => unreachable!(),
    }
}

/// The chain of blocks from the top level down to `block`.
fn chain(block: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut at = block;
    while let Some(d) = block_def(at) {
        out.push(d.name);
        at = d.parent;
    }
    out.reverse();
    out
}

/// A file holding one vehicle `v` with port `p` and a mating `m` of it,
/// where `line` is written inside a `block`; also the line's number.
fn file_with(block: &str, line: &str) -> (String, usize) {
    let mut text = String::from(
        "vehicle v {\n  name = \"V\"\n  port p {\n    docking {\n      system = \"NDS\"\n      role = passive\n    }\n  }\n}\nmating m {\n  chaser = v.p\n  target = v.p\n}\n",
    );
    if block == "file" {
        return (format!("{line}\n{text}"), 0);
    }
    let mut open = String::new();
    let mut close = String::new();
    for b in chain(block) {
        let keyed = block_def(b).is_some_and(|d| d.keyed);
        open.push_str(&if keyed {
            format!("{b} k{} {{\n", b.len())
        } else {
            format!("{b} {{\n")
        });
        close.push_str("}\n");
    }
    let top = chain(block)[0];
    // a second top-level block holding the line; `vehicle` blocks need a name
    let extra = if top == "vehicle" && block != "vehicle" {
        "name = \"K\"\n"
    } else {
        ""
    };
    let open = open.replacen('\n', &format!("\n{extra}"), 1);
    let line_no = text.lines().count() + open.lines().count();
    text.push_str(&open);
    text.push_str(line);
    text.push('\n');
    text.push_str(&close);
    (text, line_no)
}

/// The diagnostics that start on line `n` (0-based) of `text`.
fn on_line<'d>(text: &str, diags: &'d [Diagnostic], n: usize) -> Vec<&'d Diagnostic> {
    let start: usize = text.lines().take(n).map(|l| l.len() + 1).sum();
    let end = start + text.lines().nth(n).map_or(0, str::len);
    diags
        .iter()
        .filter(|d| d.span.start >= start && d.span.start <= end)
        .collect()
}

fn lowered(a: &Attr, value: &str) -> (String, usize, Vec<Diagnostic>) {
    let (text, n) = file_with(a.block, &format!("{} = {value}", a.key));
    let (_, diags, _) = parse_and_lower(0, &text);
    (text, n, diags)
}

#[test]
fn every_listed_key_is_read_as_its_kind() {
    for a in ATTRS {
        let (text, n, diags) = lowered(a, &good(a.kind));
        let here = on_line(&text, &diags, n);
        assert!(
            here.is_empty(),
            "`{}.{}` = {} was not accepted:\n{text}\n{here:#?}",
            a.block,
            a.key,
            good(a.kind)
        );
        let (text, n, diags) = lowered(a, &bad(a.kind));
        let here = on_line(&text, &diags, n);
        assert!(
            here.iter().any(|d| d.code.starts_with("ICD-")),
            "`{}.{}` = {} (not {}) was accepted:\n{text}",
            a.block,
            a.key,
            bad(a.kind),
            a.kind.describe()
        );
    }
}

#[test]
fn a_key_the_table_does_not_list_is_unknown() {
    for b in BLOCKS.iter().map(|b| b.name).chain(["file"]) {
        let (text, n) = file_with(b, "not_a_key = 1");
        let (_, diags, _) = parse_and_lower(0, &text);
        let here = on_line(&text, &diags, n);
        assert!(
            here.iter().any(|d| d.code == "ICD-UNKNOWN"),
            "`not_a_key` in `{b}` was not reported:\n{text}"
        );
    }
}

#[test]
fn every_block_nests_where_the_table_says() {
    for b in BLOCKS {
        let (text, n) = file_with(
            b.parent,
            &if b.keyed {
                format!("{} z {{ }}", b.name)
            } else {
                format!("{} {{ }}", b.name)
            },
        );
        let (_, diags, _) = parse_and_lower(0, &text);
        let here = on_line(&text, &diags, n);
        assert!(
            here.iter()
                .all(|d| d.code != "ICD-UNKNOWN" && d.code != "ICD-SYNTAX"),
            "`{}` in `{}` was not accepted:\n{text}\n{here:#?}",
            b.name,
            b.parent
        );
    }
}

#[test]
fn the_printer_writes_every_key() {
    for a in ATTRS {
        let (text, _, diags) = lowered(a, &good(a.kind));
        let (model, _, _) = parse_and_lower(0, &text);
        let printed = print(&model);
        assert!(
            printed
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{} = ", a.key))),
            "the printer dropped `{}.{}`:\n{printed}\n(diagnostics: {diags:?})",
            a.block,
            a.key
        );
    }
}
