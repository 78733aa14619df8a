//! The fleet matrix as a terminal table and as CSV.

use crate::check::matrix::Matrix;
use std::collections::BTreeMap;

fn cells(m: &Matrix) -> BTreeMap<(&str, &str), &crate::check::matrix::Cell> {
    m.pairs
        .iter()
        .map(|c| ((c.chaser.as_str(), c.target.as_str()), c))
        .collect()
}

/// The symbol of a berthing cell: it mates, by berthing.
pub const BERTHS: &str = "⊕";

/// A cell's symbol: its verdict's, or [`BERTHS`] for a pair that mates by
/// berthing.
pub fn symbol(
    v: crate::check::pair::Verdict,
    how: Option<crate::check::pair::How>,
) -> &'static str {
    if how == Some(crate::check::pair::How::Berthing) {
        BERTHS
    } else {
        v.symbol()
    }
}

/// A cell's symbol, right-aligned in three columns, in its colour (ANSI)
/// when `color`: ✓ and ⊕ green, ✗ red, ? yellow.
fn mark(
    v: Option<(crate::check::pair::Verdict, Option<crate::check::pair::How>)>,
    color: bool,
) -> String {
    use crate::check::pair::Verdict;
    let s = v.map_or("·", |(v, h)| symbol(v, h));
    let code = match v.map(|x| x.0) {
        Some(Verdict::Mates) => "32",
        Some(Verdict::Fails) => "31",
        Some(Verdict::Undecided) => "33",
        None => "",
    };
    if color && !code.is_empty() {
        format!("  \u{1b}[{code}m{s}\u{1b}[0m")
    } else {
        format!("{s:>3}")
    }
}

/// Rows are chasers, columns targets (numbered, with a key below); the
/// symbols are coloured when `color`.
pub fn table(m: &Matrix, color: bool) -> String {
    use crate::check::pair::{How, Verdict};
    let by = cells(m);
    let w = m
        .ports
        .iter()
        .map(|p| p.chars().count())
        .max()
        .unwrap_or(6)
        .max(14);
    let mut out = format!("{:w$}  ", "chaser \\ target");
    for i in 0..m.ports.len() {
        out.push_str(&format!("{:>3}", i + 1));
    }
    out.push('\n');
    for c in &m.ports {
        out.push_str(&format!("{c:w$}  "));
        for t in &m.ports {
            let v = by
                .get(&(c.as_str(), t.as_str()))
                .map(|cell| (cell.verdict, cell.how));
            out.push_str(&mark(v, color));
        }
        out.push('\n');
    }
    out.push_str("\ntargets:\n");
    for (i, p) in m.ports.iter().enumerate() {
        out.push_str(&format!("{:>3}  {p}\n", i + 1));
    }
    out.push_str(&format!(
        "\nlegend: {} mates (docking)   {} mates (berthing)   {} fails   {} undecided   · same vehicle\n",
        mark(Some((Verdict::Mates, Some(How::Docking))), color).trim_start(),
        mark(Some((Verdict::Mates, Some(How::Berthing))), color).trim_start(),
        mark(Some((Verdict::Fails, None)), color).trim_start(),
        mark(Some((Verdict::Undecided, None)), color).trim_start(),
    ));
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One row per ordered pair: chaser, target, verdict, codes (`;`-separated),
/// how (`docking`, `berthing`, or empty when it does not mate).
pub fn csv(m: &Matrix) -> String {
    let mut out = String::from("chaser,target,verdict,codes,how\n");
    for c in &m.pairs {
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            csv_field(&c.chaser),
            csv_field(&c.target),
            c.verdict.as_str(),
            csv_field(&c.codes.join(";")),
            c.how.map_or("", crate::check::pair::How::as_str)
        ));
    }
    out
}
