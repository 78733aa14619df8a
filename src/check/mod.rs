//! The rule engine: conformance of each port to the loaded specs
//! ([`conformance`]), pair checks between partner ports ([`pair`]), the
//! fleet matrix ([`matrix`]), and rule examples ([`examples`]). Rules never
//! print.

pub mod conformance;
pub mod examples;
pub mod matrix;
pub mod pair;

use crate::diagnostic::Diagnostic;
use crate::model::world::World;
use crate::spec::RuleSet;

/// Runs every rule of `set` (or only `only`) over the world: port rules on
/// each port, pair rules on each declared mating.
pub fn check_world(set: &RuleSet, only: Option<&str>, world: &World, out: &mut Vec<Diagnostic>) {
    for (file, model) in &world.models {
        conformance::check_model(set, only, *file, model, out);
    }
    run_pairs(set, only, world, out);
}

/// Runs the pair rules over every declared `mating` whose refs resolve.
pub fn run_pairs(set: &RuleSet, only: Option<&str>, world: &World, out: &mut Vec<Diagnostic>) {
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
            out.extend(pair::mate(set, only, chaser, target, Some(declared)).diagnostics);
        }
    }
}
