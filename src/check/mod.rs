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
    for (file, model) in &world.models {
        conformance::check_model(set, only, *file, model, out);
    }
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
    let mut matings = Vec::new();
    for (file, model) in &world.models {
        for m in &model.matings {
            let (Some(c), Some(t)) = (&m.chaser, &m.target) else {
                continue;
            };
            let (Some((cf, cv, cp)), Some((tf, tv, tp))) = (
                world.port(&c.value.vehicle.value, &c.value.port.value),
                world.port(&t.value.vehicle.value, &t.value.port.value),
            ) else {
                continue;
            };
            // a vehicle does not mate with itself (ICD-REF says so)
            if c.value.vehicle.value == t.value.vehicle.value {
                continue;
            }
            let chaser = pair::Side {
                file: cf,
                vehicle: cv,
                port: cp,
            };
            let target = pair::Side {
                file: tf,
                vehicle: tv,
                port: tp,
            };
            let declared = pair::Declared {
                file: *file,
                span: m.id.span,
                id: &m.id.value,
            };
            let outcome = pair::mate(set, only, chaser, target, Some(declared));
            out.extend(outcome.diagnostics.iter().cloned());
            matings.push(Mating {
                file: *file,
                span: m.id.span,
                id: m.id.value.clone(),
                chaser: chaser.name(),
                target: target.name(),
                diagnostics: outcome.diagnostics,
                undecided: outcome.undecided,
                way: outcome.way,
            });
        }
    }
    matings
}

/// The rules that applied to each file of the world (rule ids, sorted):
/// the port rules whose filter selects one of its ports, and the pair rules
/// that apply to both ports of a mating it declares.
pub fn applied<'s>(
    set: &'s RuleSet,
    world: &World,
) -> std::collections::BTreeMap<FileId, std::collections::BTreeSet<&'s str>> {
    use crate::spec::Compiled;
    let mut out: std::collections::BTreeMap<FileId, std::collections::BTreeSet<&'s str>> =
        std::collections::BTreeMap::new();
    for (file, model) in &world.models {
        let ids = out.entry(*file).or_default();
        for v in &model.vehicles {
            for p in &v.ports {
                for r in &set.rules {
                    if !matches!(r.check, Compiled::Pair { .. })
                        && conformance::applies(set, &r.rule.applies_to, p)
                    {
                        ids.insert(r.rule.id.as_str());
                    }
                }
            }
        }
        for m in &model.matings {
            let (Some(c), Some(t)) = (&m.chaser, &m.target) else {
                continue;
            };
            let (Some((_, _, cp)), Some((_, _, tp))) = (
                world.port(&c.value.vehicle.value, &c.value.port.value),
                world.port(&t.value.vehicle.value, &t.value.port.value),
            ) else {
                continue;
            };
            for r in &set.rules {
                if matches!(r.check, Compiled::Pair { .. })
                    && conformance::applies(set, &r.rule.applies_to, cp)
                    && conformance::applies(set, &r.rule.applies_to, tp)
                {
                    ids.insert(r.rule.id.as_str());
                }
            }
        }
    }
    out
}
