//! The fleet matrix as a terminal table and as CSV.

use crate::check::matrix::Matrix;
use std::collections::BTreeMap;

fn cells(m: &Matrix) -> BTreeMap<(&str, &str), &crate::check::matrix::Cell> {
    m.pairs
        .iter()
        .map(|c| ((c.chaser.as_str(), c.target.as_str()), c))
        .collect()
}

/// Rows are chasers, columns targets (numbered, with a key below).
pub fn table(m: &Matrix) -> String {
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
            let s = match by.get(&(c.as_str(), t.as_str())) {
                Some(cell) => cell.verdict.symbol(),
                None => "·",
            };
            out.push_str(&format!("{s:>3}"));
        }
        out.push('\n');
    }
    out.push_str("\ntargets:\n");
    for (i, p) in m.ports.iter().enumerate() {
        out.push_str(&format!("{:>3}  {p}\n", i + 1));
    }
    out.push_str("\nlegend: ✓ mates   ✗ fails   ? undecided   · same vehicle\n");
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One row per ordered pair: chaser, target, verdict, codes (`;`-separated).
pub fn csv(m: &Matrix) -> String {
    let mut out = String::from("chaser,target,verdict,codes\n");
    for c in &m.pairs {
        out.push_str(&format!(
            "{},{},{},{}\n",
            csv_field(&c.chaser),
            csv_field(&c.target),
            c.verdict.as_str(),
            csv_field(&c.codes.join(";"))
        ));
    }
    out
}
