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

/// An example's `.icd` text: a whole file as written, or a snippet (the
/// body of a `docking { }` block, recognised by having no `vehicle` block)
/// put in a one-port vehicle, with the `system` and `role` of the rule's
/// filter supplied unless the snippet sets them.
pub fn example_text(set: &RuleSet, rule: &CompiledRule, icd: &str) -> String {
    let is_file = icd
        .lines()
        .any(|l| l.trim_start().starts_with("vehicle ") || l.trim_start() == "vehicle");
    if is_file {
        return icd.to_string();
    }
    let sets = |key: &str| {
        icd.split([';', '\n']).any(|stmt| {
            stmt.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
    };
    let a = &rule.rule.applies_to;
    let system = a
        .families
        .iter()
        .filter_map(|f| set.family(f))
        .flat_map(|f| f.systems.iter())
        .chain(a.systems.iter())
        .next()
        .cloned()
        .or_else(|| {
            set.families
                .first()
                .and_then(|f| f.systems.first().cloned())
        });
    let role = match a.roles.first() {
        Some(crate::spec::RoleName::Active) => "active",
        Some(crate::spec::RoleName::Dual) => "dual",
        _ => "passive",
    };
    let mut head = String::new();
    if !sets("system")
        && let Some(sys) = system
    {
        head.push_str(&format!("      system = \"{sys}\"\n"));
    }
    if !sets("role") {
        head.push_str(&format!("      role = {role}\n"));
    }
    let body: String = icd.lines().map(|l| format!("      {l}\n")).collect();
    format!(
        "vehicle example {{\n  name = \"Example\"\n  port p {{\n    docking {{\n{head}{body}    }}\n  }}\n}}\n"
    )
}

/// Runs one example.
pub fn run_example(
    set: &RuleSet,
    rule: &CompiledRule,
    index: usize,
    ex: &Example,
) -> ExampleResult {
    let name = format!("{}#example-{}", rule.rule.id, index + 1);
    let text = example_text(set, rule, &ex.icd);
    let (_, diags) = check_text(set, rule, &name, &text);
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
