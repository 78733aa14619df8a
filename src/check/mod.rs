//! The rule engine: conformance of each port to the loaded specs, and pair
//! checks between partner ports. Rules never print.

pub mod conformance;
pub mod examples;

use crate::diagnostic::Diagnostic;
use crate::model::world::World;
use crate::spec::RuleSet;

/// Runs the pair rules over every declared mating (filled in by the mate checks).
pub fn run_pairs(_set: &RuleSet, _only: Option<&str>, _world: &World, _out: &mut Vec<Diagnostic>) {}
