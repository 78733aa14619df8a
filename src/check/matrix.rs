//! The fleet matrix: every ordered pair of ports on different vehicles,
//! checked in parallel, sorted by port name.

use super::pair::{self, Adjust, Detail, Prepared, Quick, Side, Skip, Verdict};
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

impl Cell {
    /// Its codes, borrowed (for [`Cell::view`]).
    pub fn codes_str(&self) -> Vec<&str> {
        self.codes.iter().map(String::as_str).collect()
    }

    /// The cell as the streamed formats write it, with `codes` from
    /// [`Cell::codes_str`].
    pub fn view<'a>(&'a self, codes: &'a [&'a str]) -> View<'a> {
        View {
            chaser: &self.chaser,
            target: &self.target,
            verdict: self.verdict,
            how: self.how,
            codes,
            skipped: &self.skipped,
        }
    }
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
/// paired (its name, its vehicle and the rules that can run on it, decided
/// once).
pub fn prepared<'a>(set: &RuleSet, world: &World<'a>) -> Vec<Prepared<'a>> {
    let mut vehicles: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    ports(world)
        .into_iter()
        .map(|s| {
            let n = vehicles.len();
            let v = *vehicles.entry(s.vehicle.id.value.as_str()).or_insert(n);
            Prepared::new(set, s, v)
        })
        .collect()
}

/// One cell with every finding's text: the pair's verdict after `adjust`
/// (configuration), and its reasons.
fn full_cell(set: &RuleSet, (c, t): (&Prepared, &Prepared), adjust: &Adjust) -> Cell {
    let raw = pair::mate(set, None, c.side, t.side, None);
    let mut diags = raw.diagnostics;
    diags.retain_mut(|d| match adjust(d.file, &d.code, d.severity) {
        Some(s) => {
            d.severity = s;
            true
        }
        None => false,
    });
    let o = pair::outcome(diags, raw.undecided, raw.way);
    let mut reasons: Vec<String> = o
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
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

/// A cell as the streamed formats write it (the JSON fields of [`Cell`],
/// borrowed).
#[derive(Debug, serde::Serialize)]
pub struct View<'a> {
    pub chaser: &'a str,
    pub target: &'a str,
    pub verdict: Verdict,
    pub how: Option<pair::How>,
    pub codes: &'a [&'a str],
    pub skipped: &'a [Skip],
}

impl<'a> View<'a> {
    /// The cell of `chaser` (its name) against `target`, from their quick
    /// check.
    pub fn of(chaser: &'a str, target: &'a Prepared, q: &'a Quick) -> View<'a> {
        View {
            chaser,
            target: &target.name,
            verdict: q.verdict,
            how: q.how,
            codes: &q.codes,
            skipped: &q.skipped,
        }
    }
}

/// The cells of one chaser (`sides[i]`) against every port on another
/// vehicle, in target order, checked in parallel to `detail` (not
/// [`Detail::Full`]: see [`pair::quick`]) and each handed to `f` with its
/// target on the thread that checked it (a renderer formats its line
/// there). A matrix written row by row holds one row at a time, however
/// many ports there are.
pub fn row<'r, 's, 'a, T: Send>(
    set: &'r RuleSet,
    sides: &'s [Prepared<'a>],
    i: usize,
    adjust: &Adjust,
    detail: Detail,
    f: &(dyn Fn(&'s Prepared<'a>, Quick<'r>) -> T + Sync),
) -> Vec<T> {
    let Some(c) = sides.get(i) else {
        return Vec::new();
    };
    sides
        .par_iter()
        .filter(|t| t.vehicle != c.vehicle)
        .map(|t| f(t, pair::quick(set, c, t, detail, adjust)))
        .collect()
}

/// [`row`] written as text: each cell appended by `f` to the text of the
/// thread that checked it, the pieces in target order (a CSV row in a few
/// strings, not one per cell).
pub fn row_text<'r, 's, 'a>(
    set: &'r RuleSet,
    sides: &'s [Prepared<'a>],
    i: usize,
    adjust: &Adjust,
    detail: Detail,
    f: &(dyn Fn(&mut String, &'s Prepared<'a>, Quick<'r>) + Sync),
) -> Vec<String> {
    let Some(c) = sides.get(i) else {
        return Vec::new();
    };
    sides
        .par_iter()
        .fold_with(String::new(), |mut text, t| {
            if t.vehicle != c.vehicle {
                f(&mut text, t, pair::quick(set, c, t, detail, adjust));
            }
            text
        })
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

/// Builds the whole matrix in memory, every finding's text included (for
/// the HTML page and for tests); `adjust` applies configuration (per-path
/// severities) to each pair's findings before its verdict is taken.
pub fn build(set: &RuleSet, world: &World, adjust: &Adjust) -> Matrix {
    let sides = prepared(set, world);
    let pairs = sides
        .iter()
        .flat_map(|c| {
            sides
                .par_iter()
                .filter(|t| t.vehicle != c.vehicle)
                .map(|t| full_cell(set, (c, t), adjust))
                .collect::<Vec<_>>()
        })
        .collect();
    Matrix {
        ports: sides.into_iter().map(|s| s.name).collect(),
        pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{FileId, Severity};
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
                for t in sides.iter().filter(|t| t.vehicle != c.vehicle) {
                    let full = pair::mate(&set, None, c.side, t.side, None);
                    let keep = |_: FileId, _: &str, s: Severity| Some(s);
                    let skips = pair::quick(&set, c, t, Detail::Skips, &keep);
                    let bare = pair::quick(&set, c, t, Detail::Verdict, &keep);
                    let mark = pair::quick(&set, c, t, Detail::Mark, &keep);
                    let at = format!("{} → {} in {dir}", c.name, t.name);
                    for o in [&skips, &bare, &mark] {
                        assert_eq!(o.verdict, full.verdict, "{at}");
                        assert_eq!(o.how, full.how, "{at}");
                    }
                    for o in [&skips, &bare] {
                        assert_eq!(o.codes, full.codes, "{at}");
                        assert_eq!(o.findings, full.diagnostics.len(), "{at}");
                    }
                    // a mark stops at its first failure, one of the codes
                    if full.verdict == Verdict::Fails {
                        assert_eq!(mark.codes.len(), 1, "{at}");
                        assert!(full.codes.iter().any(|x| x == mark.codes[0]), "{at}");
                    }
                    assert_eq!(skips.skipped, full.skipped, "{at}");
                    assert!(bare.skipped.is_empty(), "{at}");
                    pairs += 1;
                }
            }
        }
        assert!(pairs > 1000, "only {pairs} pairs compared");
    }

    /// A configuration's adjustment reaches the quick checks: a failing
    /// rule turned off (or down to a warning) no longer fails the pair, and
    /// the table's mark agrees with the CSV's verdict.
    #[test]
    fn quick_checks_apply_the_adjustment() {
        let mut sources = SourceMap::default();
        let Ok(set) = RuleSet::load(&mut sources, true, &[]) else {
            panic!("the built-in specs load");
        };
        let dir = "fixtures/mating";
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "icd"))
            .collect();
        paths.sort();
        let mut loaded = Vec::new();
        for path in &paths {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let file = sources.add(path.display().to_string(), text.clone());
            loaded.push((file, crate::load::parse_and_lower(file, &text).0));
        }
        let models: Vec<_> = loaded.iter().map(|(f, m)| (*f, m)).collect();
        let world = World::build(&models, &mut Vec::new());
        let sides = prepared(&set, &world);
        let keep = |_: FileId, _: &str, s: Severity| Some(s);
        let mut checked = 0;
        for c in &sides {
            for t in sides.iter().filter(|t| t.vehicle != c.vehicle) {
                let before = pair::quick(&set, c, t, Detail::Verdict, &keep);
                if before.verdict != Verdict::Fails {
                    continue;
                }
                let failing = before.codes.clone();
                let off =
                    |_: FileId, code: &str, s: Severity| (!failing.contains(&code)).then_some(s);
                let warn = |_: FileId, code: &str, s: Severity| {
                    Some(if failing.contains(&code) {
                        Severity::Warning
                    } else {
                        s
                    })
                };
                for adjust in [&off as &Adjust, &warn] {
                    let v = pair::quick(&set, c, t, Detail::Verdict, adjust);
                    let m = pair::quick(&set, c, t, Detail::Mark, adjust);
                    assert_ne!(v.verdict, Verdict::Fails, "{} → {}", c.name, t.name);
                    assert_eq!((m.verdict, m.how), (v.verdict, v.how));
                }
                checked += 1;
            }
        }
        assert!(checked > 20, "only {checked} failing pairs in {dir}");
    }
}
