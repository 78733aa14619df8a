//! The fleet matrix: every ordered pair of ports on different vehicles,
//! checked in parallel, sorted by port name.

use super::pair::{self, Side, Skip, Verdict};
use crate::diagnostic::Diagnostic;
use crate::model::world::World;
use crate::spec::RuleSet;
use rayon::prelude::*;

/// One cell.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Cell {
    pub chaser: String,
    pub target: String,
    pub verdict: Verdict,
    /// `docking` or `berthing` when the verdict is `mates`, else null.
    pub how: Option<pair::How>,
    pub codes: Vec<String>,
    /// One line per failing or undecided finding.
    #[serde(skip)]
    pub reasons: Vec<String>,
    /// The pair rules that compared nothing for this pair, and why.
    pub skipped: Vec<Skip>,
}

/// The matrix.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Matrix {
    pub ports: Vec<String>,
    pub pairs: Vec<Cell>,
}

/// Every port of the world, sorted by `vehicle.port`.
pub fn ports<'a>(world: &World<'a>) -> Vec<Side<'a>> {
    let mut out: Vec<Side> = world
        .vehicles
        .values()
        .flat_map(|(f, v)| {
            v.ports.iter().map(move |p| Side {
                file: *f,
                vehicle: v,
                port: p,
            })
        })
        .collect();
    out.sort_by_key(|s| s.name());
    out.dedup_by_key(|s| s.name());
    out
}

/// One cell, checked: the pair's verdict after `adjust` (configuration).
fn cell(
    set: &RuleSet,
    (c, t): (Side, Side),
    adjust: &(dyn Fn(&mut Vec<Diagnostic>) + Sync),
    with_reasons: bool,
) -> Cell {
    let raw = pair::mate(set, None, c, t, None);
    let mut diags = raw.diagnostics;
    adjust(&mut diags);
    let o = pair::outcome(diags, raw.undecided, raw.way);
    let mut reasons: Vec<String> = o
        .diagnostics
        .iter()
        .filter(|d| with_reasons && d.severity == crate::diagnostic::Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    reasons.sort();
    Cell {
        chaser: c.name(),
        target: t.name(),
        verdict: o.verdict,
        how: o.how,
        codes: o.codes,
        reasons,
        skipped: raw.skipped,
    }
}

/// The cells of one chaser (`sides[i]`) against every port on another
/// vehicle, in target order, checked in parallel and each handed to `f` on
/// the thread that checked it (a renderer formats its line there). A matrix
/// written row by row holds one row at a time, however many ports there
/// are. Cells made for `f` carry no `reasons` (only the HTML page shows
/// them).
pub fn row<T: Send>(
    set: &RuleSet,
    sides: &[Side],
    i: usize,
    adjust: &(dyn Fn(&mut Vec<Diagnostic>) + Sync),
    f: &(dyn Fn(Cell) -> T + Sync),
) -> Vec<T> {
    let Some(c) = sides.get(i).copied() else {
        return Vec::new();
    };
    sides
        .par_iter()
        .filter(|t| t.vehicle.id.value != c.vehicle.id.value)
        .map(|t| f(cell(set, (c, *t), adjust, false)))
        .collect()
}

/// How many ordered pairs of ports on different vehicles there are.
pub fn pair_count(sides: &[Side]) -> usize {
    let mut per_vehicle: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for s in sides {
        *per_vehicle.entry(s.vehicle.id.value.as_str()).or_default() += 1;
    }
    let n = sides.len();
    per_vehicle.values().fold(n * n, |acc, k| acc - k * k)
}

/// Builds the whole matrix in memory (for the HTML page and for tests);
/// `adjust` applies configuration (per-path severities) to each pair's
/// findings before its verdict is taken.
pub fn build(
    set: &RuleSet,
    world: &World,
    adjust: &(dyn Fn(&mut Vec<Diagnostic>) + Sync),
) -> Matrix {
    let sides = ports(world);
    let pairs = (0..sides.len())
        .flat_map(|i| {
            let c = sides[i];
            sides
                .par_iter()
                .filter(|t| t.vehicle.id.value != c.vehicle.id.value)
                .map(|t| cell(set, (c, *t), adjust, true))
                .collect::<Vec<Cell>>()
        })
        .collect();
    Matrix {
        ports: sides.iter().map(|s| s.name()).collect(),
        pairs,
    }
}
