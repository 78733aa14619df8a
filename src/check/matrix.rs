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

/// Builds the matrix; `adjust` applies configuration (per-path severities)
/// to each pair's findings before its verdict is taken.
pub fn build(
    set: &RuleSet,
    world: &World,
    adjust: &(dyn Fn(&mut Vec<Diagnostic>) + Sync),
) -> Matrix {
    let sides = ports(world);
    let pairs: Vec<(usize, usize)> = (0..sides.len())
        .flat_map(|i| (0..sides.len()).map(move |j| (i, j)))
        .filter(|(i, j)| sides[*i].vehicle.id.value != sides[*j].vehicle.id.value)
        .collect();
    let cells: Vec<Cell> = pairs
        .par_iter()
        .map(|(i, j)| {
            let (c, t) = (sides[*i], sides[*j]);
            let raw = pair::mate(set, None, c, t, None);
            let mut diags = raw.diagnostics;
            adjust(&mut diags);
            let o = pair::outcome(diags, raw.undecided, raw.way);
            let mut reasons: Vec<String> = o
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::diagnostic::Severity::Error)
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
        })
        .collect();
    Matrix {
        ports: sides.iter().map(|s| s.name()).collect(),
        pairs: cells,
    }
}
