//! The rule engine: conformance of each port to the loaded specs
//! ([`conformance`]), pair checks between partner ports ([`pair`]), the
//! fleet matrix ([`matrix`]), and rule examples ([`examples`]). Rules never
//! print.

pub mod conformance;
pub mod examples;
pub mod matrix;
pub mod pair;

use crate::diagnostic::{Diagnostic, FileId};
use crate::model::world::World;
use crate::spec::RuleSet;
use crate::syntax::Span;
use rayon::prelude::*;

/// A declared `mating` that the pair rules compared. Its verdict is decided
/// by the caller with [`pair::outcome`], after any configuration has changed
/// the severities of its findings.
#[derive(Clone, Debug)]
pub struct Mating {
    /// The file and the span of the mating's id.
    pub file: FileId,
    pub span: Span,
    pub id: String,
    /// `vehicle.port` of each side.
    pub chaser: String,
    pub target: String,
    /// The pair findings (also added to the run's diagnostics).
    pub diagnostics: Vec<Diagnostic>,
    /// Whether no loaded spec decides the pair.
    pub undecided: bool,
    /// How the pair would mate.
    pub way: pair::How,
}

/// Runs every rule of `set` (or only `only`) over the world: port rules on
/// each port, pair rules on each declared mating. Returns the matings that
/// were compared.
pub fn check_world(
    set: &RuleSet,
    only: Option<&str>,
    world: &World,
    out: &mut Vec<Diagnostic>,
) -> Vec<Mating> {
    // files in parallel, their findings joined in the world's file order:
    // the same diagnostics in the same order for any thread count
    // (in runs of at most 256 vehicles, so that one large file uses every
    // core too)
    let runs: Vec<(FileId, &[crate::model::Vehicle])> = world
        .models
        .iter()
        .flat_map(|(file, model)| model.vehicles.chunks(256).map(move |c| (*file, c)))
        .collect();
    let per_run: Vec<Vec<Diagnostic>> = runs
        .par_iter()
        .map_init(
            || conformance::Plan::new(set),
            |plan, &(file, vehicles)| {
                let mut found = Vec::new();
                for v in vehicles {
                    conformance::check_vehicle(plan, only, file, v, &mut found);
                }
                found
            },
        )
        .collect();
    out.extend(per_run.into_iter().flatten());
    run_pairs(set, only, world, out)
}

/// Runs the pair rules over every declared `mating` whose refs resolve (on
/// two different vehicles).
pub fn run_pairs(
    set: &RuleSet,
    only: Option<&str>,
    world: &World,
    out: &mut Vec<Diagnostic>,
) -> Vec<Mating> {
    let declared: Vec<(FileId, &crate::model::Mating)> = world
        .models
        .iter()
        .flat_map(|(file, model)| model.matings.iter().map(move |m| (*file, m)))
        .collect();
    // matings in parallel, joined in declaration order
    let compared: Vec<Option<Mating>> = declared
        .par_iter()
        .map(|&(file, m)| mating(set, only, world, file, m))
        .collect();
    let matings: Vec<Mating> = compared.into_iter().flatten().collect();
    for m in &matings {
        out.extend(m.diagnostics.iter().cloned());
    }
    matings
}

/// The chaser's and the target's side of a declared mating, when both refs
/// resolve.
fn ends<'m>(
    world: &World<'m>,
    m: &crate::model::Mating,
) -> Option<(pair::Side<'m>, pair::Side<'m>)> {
    let side = |r: &Option<crate::model::Spanned<crate::model::PortRef>>| {
        let r = &r.as_ref()?.value;
        let (file, vehicle, port) = world.port(&r.vehicle.value, &r.port.value)?;
        Some(pair::Side {
            file,
            vehicle,
            port,
        })
    };
    Some((side(&m.chaser)?, side(&m.target)?))
}

/// The pair rules over one declared mating, when its refs resolve to ports
/// of two different vehicles.
fn mating(
    set: &RuleSet,
    only: Option<&str>,
    world: &World,
    file: FileId,
    m: &crate::model::Mating,
) -> Option<Mating> {
    let (chaser, target) = ends(world, m)?;
    // a vehicle does not mate with itself (ICD-REF says so)
    if chaser.vehicle.id.value == target.vehicle.id.value {
        return None;
    }
    let declared = pair::Declared {
        file,
        span: m.id.span,
        id: &m.id.value,
    };
    let outcome = pair::mate(set, only, chaser, target, Some(declared));
    Some(Mating {
        file,
        span: m.id.span,
        id: m.id.value.clone(),
        chaser: chaser.name(),
        target: target.name(),
        diagnostics: outcome.diagnostics,
        undecided: outcome.undecided,
        way: outcome.way,
    })
}

/// The ids of the rules that applied to one file, sorted; files that
/// share a set share one list.
pub type RuleIds = std::sync::Arc<[String]>;

/// The rules that applied to each file of the world (rule ids, sorted):
/// the port rules whose filter selects one of its ports, and the pair rules
/// that apply to both ports of a mating it declares.
pub fn applied(set: &RuleSet, world: &World) -> std::collections::BTreeMap<FileId, RuleIds> {
    // which rules (by index) apply to each file, in parallel and joined in
    // file order: the port rules of its ports, then the pair rules of its
    // matings; each distinct set turned into sorted ids once
    let marks: Vec<(FileId, Vec<bool>)> = world
        .models
        .par_iter()
        .map_init(
            || conformance::Plan::new(set),
            |plan, (file, model)| {
                let mut on = vec![false; set.rules.len()];
                for p in model.vehicles.iter().flat_map(|v| &v.ports) {
                    for &i in plan.port_rules(p) {
                        if let Some(x) = on.get_mut(i) {
                            *x = true;
                        }
                    }
                }
                for m in &model.matings {
                    let Some((chaser, target)) = ends(world, m) else {
                        continue;
                    };
                    let on_target = plan.pair_rules(target.port).to_vec();
                    for &i in plan.pair_rules(chaser.port) {
                        if on_target.contains(&i)
                            && let Some(x) = on.get_mut(i)
                        {
                            *x = true;
                        }
                    }
                }
                (*file, on)
            },
        )
        .collect();
    let mut by_id: Vec<usize> = (0..set.rules.len()).collect();
    by_id.sort_by(|&a, &b| set.rules[a].rule.id.cmp(&set.rules[b].rule.id));
    let mut lists: std::collections::HashMap<Vec<bool>, RuleIds, foldhash::fast::FixedState> =
        Default::default();
    let mut out = std::collections::BTreeMap::new();
    for (file, on) in marks {
        let ids = match lists.get(&on) {
            Some(ids) => ids.clone(),
            None => {
                let ids: RuleIds = by_id
                    .iter()
                    .filter(|&&i| on.get(i).copied().unwrap_or(false))
                    .map(|&i| set.rules[i].rule.id.clone())
                    .collect();
                lists.insert(on, ids.clone());
                ids
            }
        };
        out.insert(file, ids);
    }
    out
}
