//! The fleet matrix: every ordered pair of ports on different vehicles,
//! checked in parallel, sorted by port name.

use super::pair::{self, Detail, Prepared, Side, Skip, Verdict};
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

/// Every port of the world, sorted by `vehicle.port` and made ready to be
/// paired (its name and the rules that can run on it, decided once).
pub fn prepared<'a>(set: &RuleSet, world: &World<'a>) -> Vec<Prepared<'a>> {
    ports(world)
        .into_iter()
        .map(|s| Prepared::new(set, s))
        .collect()
}

/// One cell, checked to `detail`: the pair's verdict after `adjust`
/// (configuration); `reasons` only with [`Detail::Full`].
fn cell(
    set: &RuleSet,
    (c, t): (&Prepared, &Prepared),
    adjust: &(dyn Fn(&mut Vec<Diagnostic>) + Sync),
    detail: Detail,
) -> Cell {
    let raw = pair::mate_prepared(set, c, t, detail);
    let mut diags = raw.diagnostics;
    adjust(&mut diags);
    let o = pair::outcome(diags, raw.undecided, raw.way);
    let mut reasons: Vec<String> = o
        .diagnostics
        .iter()
        .filter(|d| detail == Detail::Full && d.severity == crate::diagnostic::Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    reasons.sort();
    Cell {
        chaser: c.name.clone(),
        target: t.name.clone(),
        verdict: o.verdict,
        how: o.how,
        codes: o.codes,
        reasons,
        skipped: raw.skipped,
    }
}

/// The cells of one chaser (`sides[i]`) against every port on another
/// vehicle, in target order, checked in parallel to `detail` and each
/// handed to `f` on the thread that checked it (a renderer formats its line
/// there). A matrix written row by row holds one row at a time, however
/// many ports there are.
pub fn row<T: Send>(
    set: &RuleSet,
    sides: &[Prepared],
    i: usize,
    adjust: &(dyn Fn(&mut Vec<Diagnostic>) + Sync),
    detail: Detail,
    f: &(dyn Fn(Cell) -> T + Sync),
) -> Vec<T> {
    let Some(c) = sides.get(i) else {
        return Vec::new();
    };
    sides
        .par_iter()
        .filter(|t| t.side.vehicle.id.value != c.side.vehicle.id.value)
        .map(|t| f(cell(set, (c, t), adjust, detail)))
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
    let sides = prepared(set, world);
    let pairs = (0..sides.len())
        .flat_map(|i| row(set, &sides, i, adjust, Detail::Full, &|c| c))
        .collect();
    Matrix {
        ports: sides.into_iter().map(|s| s.name).collect(),
        pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::SourceMap;

    /// The verdict-only pair checks a matrix uses decide every pair of the
    /// mating, history and fleet fixtures as the full checks do: same
    /// verdict, way, codes and number of findings, and the same skip
    /// reasons where the JSON keeps them.
    #[test]
    fn verdict_only_checks_agree_with_full_checks() {
        let mut sources = SourceMap::default();
        let Ok(set) = RuleSet::load(&mut sources, true, &[]) else {
            panic!("the built-in specs load");
        };
        let mut pairs = 0;
        for dir in [
            "fixtures/mating",
            "fixtures/history",
            "fixtures/fleet",
            "fixtures/idss",
        ] {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            // every file of the directory in one world (a vehicle id seen
            // twice keeps its first file)
            let mut models = Vec::new();
            for path in paths
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "icd"))
            {
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                let file = sources.add(path.display().to_string(), text.clone());
                let (model, _, _) = crate::load::parse_and_lower(file, &text);
                models.push((file, model));
            }
            let models: Vec<_> = models.iter().map(|(f, m)| (*f, m)).collect();
            let world = World::build(&models, &mut Vec::new());
            let sides = prepared(&set, &world);
            for c in &sides {
                for t in sides
                    .iter()
                    .filter(|t| t.side.vehicle.id.value != c.side.vehicle.id.value)
                {
                    let full = pair::mate(&set, None, c.side, t.side, None);
                    let skips = pair::mate_prepared(&set, c, t, Detail::Skips);
                    let bare = pair::mate_prepared(&set, c, t, Detail::Verdict);
                    let at = format!("{} → {} in {dir}", c.name, t.name);
                    for o in [&skips, &bare] {
                        assert_eq!(o.verdict, full.verdict, "{at}");
                        assert_eq!(o.codes, full.codes, "{at}");
                        assert_eq!(o.way, full.way, "{at}");
                        assert_eq!(o.diagnostics.len(), full.diagnostics.len(), "{at}");
                    }
                    assert_eq!(skips.skipped, full.skipped, "{at}");
                    assert!(bare.skipped.is_empty(), "{at}");
                    pairs += 1;
                }
            }
        }
        assert!(pairs > 1000, "only {pairs} pairs compared");
    }
}
