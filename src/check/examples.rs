//! Runs a rule's own examples: a passing example must raise no finding of the
//! rule (and no language error), a failing one at least one finding.

use crate::diagnostic::{Diagnostic, Severity};
use crate::spec::{CompiledRule, Example, Outcome, RuleSet};
use crate::workspace::SourceMap;

/// The outcome of one example.
#[derive(Debug)]
pub struct ExampleResult {
    pub rule: String,
    pub index: usize,
    pub outcome: Outcome,
    /// `None` when the example behaves as declared, else what went wrong.
    pub problem: Option<String>,
}

/// Checks an `.icd` text with one rule only: its language diagnostics and
/// the rule's findings.
pub fn check_text(
    set: &RuleSet,
    rule: &CompiledRule,
    name: &str,
    text: &str,
) -> (SourceMap, Vec<Diagnostic>) {
    let mut sources = SourceMap::default();
    let file = sources.add(name, text.to_string());
    let (model, mut diags, _) = crate::load::parse_and_lower(file, text);
    let models = [(file, &model)];
    let world = crate::model::world::World::build(&models, &mut diags);
    world.check_refs(&mut diags);
    super::check_world(set, Some(&rule.rule.id), &world, &mut diags);
    (sources, diags)
}

/// Runs one example.
pub fn run_example(
    set: &RuleSet,
    rule: &CompiledRule,
    index: usize,
    ex: &Example,
) -> ExampleResult {
    let name = format!("{}#example-{}", rule.rule.id, index + 1);
    let (_, diags) = check_text(set, rule, &name, &ex.icd);
    let language: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.code.starts_with("ICD-") && d.severity == Severity::Error)
        .collect();
    let hits = diags.iter().filter(|d| d.code == rule.rule.id).count();
    let problem = if let Some(d) = language.first() {
        Some(format!(
            "the example does not check clean: {} {}",
            d.code, d.message
        ))
    } else {
        match (ex.outcome, hits) {
            (Outcome::Pass, 0) => None,
            (Outcome::Pass, n) => Some(format!(
                "should pass but raised {n} finding(s) of {}",
                rule.rule.id
            )),
            (Outcome::Fail, 0) => Some(format!(
                "should fail but raised no finding of {}",
                rule.rule.id
            )),
            (Outcome::Fail, _) => None,
        }
    };
    ExampleResult {
        rule: rule.rule.id.clone(),
        index,
        outcome: ex.outcome,
        problem,
    }
}

/// Runs every example of every rule.
pub fn run_all(set: &RuleSet) -> Vec<ExampleResult> {
    set.rules
        .iter()
        .flat_map(|r| {
            r.rule
                .examples
                .iter()
                .enumerate()
                .map(move |(i, e)| run_example(set, r, i, e))
        })
        .collect()
}
