//! `dockcheck explain RULE-ID`: a rule in full, generated from its spec entry.

use super::setup::{self, SpecArgs};
use super::{EXIT_OK, EXIT_TROUBLE};
use crate::spec::{CompiledRule, Outcome, RuleSet};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The rule id or code, e.g. IDSS-PASSAGE, ICD-UNIT, SPEC-SCHEMA.
    pub rule: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::DocFormat::Human)]
    pub format: super::DocFormat,
    #[command(flatten)]
    pub spec: SpecArgs,
}

/// `explain --format json` of a rule from a spec.
#[derive(serde::Serialize)]
struct RuleDoc<'a> {
    version: u32,
    code: &'a str,
    kind: &'static str,
    severity: &'static str,
    summary: &'a str,
    rationale: &'a str,
    standard: &'a crate::spec::types::Standard,
    reference: &'a crate::spec::types::Reference,
    provenance: &'static str,
    applies_to: &'a crate::spec::types::AppliesTo,
    check: &'a crate::spec::types::Check,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    spec_file: &'a str,
    examples: &'a [crate::spec::types::Example],
    /// For MATE-UNDECIDED: the loaded families whose compatibility is
    /// unresolved, with where each relation is stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    unresolved: Option<Vec<Relation<'a>>>,
}

/// `explain --format json` of a language or spec code.
#[derive(serde::Serialize)]
struct CodeDoc<'a> {
    version: u32,
    code: &'a str,
    kind: &'static str,
    severity: &'static str,
    summary: &'a str,
    explanation: &'a str,
    example: &'a str,
    more: &'static str,
}

/// Where a code without a spec entry is documented.
fn more(kind: &str) -> &'static str {
    if kind == "spec" {
        "docs/specs.md"
    } else {
        "docs/language.md, section \"Diagnostics\""
    }
}

fn indent(text: &str, by: &str) -> String {
    text.trim_matches('\n')
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{by}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The explanation text of one rule.
/// The loaded families whose compatibility is unresolved, each relation with
/// where it is stated.
fn unresolved(set: &RuleSet) -> String {
    let relations = set.undecided_relations();
    if relations.is_empty() {
        return "\nUnresolved families\n  none in the loaded specs\n".into();
    }
    let mut out = String::from("\nUnresolved families (undecided, never failed)\n");
    for (a, b, stated) in relations {
        let (reference, provenance) = stated.undecided_source();
        out.push_str(&format!(
            "  {} ↔ {}: {reference} [{}]\n",
            a.id,
            b.id,
            provenance.as_str()
        ));
        if let Some(s) = &reference.source {
            out.push_str(&format!("    read in: {s}\n"));
        }
    }
    out
}

/// An unresolved relation in `explain --format json`.
#[derive(serde::Serialize)]
struct Relation<'a> {
    families: [&'a str; 2],
    reference: &'a crate::spec::Reference,
    provenance: &'static str,
}

fn relations(set: &RuleSet) -> Vec<Relation<'_>> {
    set.undecided_relations()
        .into_iter()
        .map(|(a, b, stated)| {
            let (reference, provenance) = stated.undecided_source();
            Relation {
                families: [a.id.as_str(), b.id.as_str()],
                reference,
                provenance: provenance.as_str(),
            }
        })
        .collect()
}

pub fn explain(set: &RuleSet, r: &CompiledRule) -> String {
    let rule = &r.rule;
    let spec = &set.specs[r.spec];
    let c = &rule.check;
    let mut check = serde_json::to_value(c.kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
        .to_string();
    if let Some(p) = &c.path {
        check.push_str(&format!(" {p}"));
    }
    if !c.paths.is_empty() {
        check.push_str(&format!(" {}", c.paths.join(", ")));
    }
    if let Some(l) = &c.limit {
        check.push_str(&format!(" {l}"));
    }
    if !c.values.is_empty() {
        check.push_str(&format!(" [{}]", c.values.join(", ")));
    }
    for (k, v) in &c.envelope {
        check.push_str(&format!("\n             {k} {v}"));
    }
    if let Some(p) = &c.pair {
        check.push_str(&format!(
            " {}",
            serde_json::to_value(p)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        ));
    }
    let mut applies = Vec::new();
    if !rule.applies_to.families.is_empty() {
        applies.push(format!("families {}", rule.applies_to.families.join(", ")));
    }
    if !rule.applies_to.systems.is_empty() {
        applies.push(format!("systems {}", rule.applies_to.systems.join(", ")));
    }
    if !rule.applies_to.roles.is_empty() {
        let roles: Vec<String> = rule
            .applies_to
            .roles
            .iter()
            .map(|r| format!("{r:?}").to_lowercase())
            .collect();
        applies.push(format!("roles {}", roles.join(", ")));
    }
    let mut out = String::new();
    out.push_str(&format!("{} ({})\n", rule.id, r.severity.as_str()));
    out.push_str(&format!("{}\n\n", rule.summary));
    out.push_str(&format!(
        "Standard:    {} — {} (Rev {})\n",
        spec.spec.standard.id, spec.spec.standard.title, spec.spec.standard.revision
    ));
    out.push_str(&format!("Reference:   {}\n", rule.reference));
    if let Some(s) = &rule.reference.source {
        out.push_str(&format!("Read in:     {s}\n"));
    }
    out.push_str(&format!("Provenance:  {}\n", rule.provenance.as_str()));
    out.push_str(&format!(
        "Applies to:  {}\n",
        match (c.kind == crate::spec::CheckKind::Pair, applies.is_empty()) {
            (false, true) => "every port".into(),
            (false, false) => format!("ports with {}", applies.join("; ")),
            (true, true) => "every pair of ports (a mating, `mate`, `matrix`)".into(),
            (true, false) => format!("pairs where both ports have {}", applies.join("; ")),
        }
    ));
    out.push_str(&format!("Check:       {check}\n"));
    out.push_str(&format!("Spec file:   {}\n", spec.name));
    out.push_str(&format!("\nWhy\n{}\n", indent(&rule.rationale, "  ")));
    if c.pair == Some(crate::spec::PairCheck::Undecided) {
        out.push_str(&unresolved(set));
    }
    out.push_str("\nExamples\n");
    for e in &rule.examples {
        let mark = match e.outcome {
            Outcome::Pass => "✓ passes",
            Outcome::Fail => "✗ fails",
        };
        match &e.description {
            Some(d) => out.push_str(&format!("  {mark}: {d}\n")),
            None => out.push_str(&format!("  {mark}\n")),
        }
        out.push_str(&indent(&e.icd, "    "));
        out.push_str("\n\n");
    }
    out
}

pub fn run(args: Args) -> u8 {
    let setup = match setup::setup_or_report(
        &args.spec,
        std::path::Path::new("."),
        match args.format {
            super::DocFormat::Json => super::output::SetupFormat::JsonError,
            super::DocFormat::Human => super::output::SetupFormat::Report(super::Format::Human),
        },
        super::Color::Auto,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let set = &setup.rules;
    let found = set.rule(&args.rule).or_else(|| {
        set.rules
            .iter()
            .find(|r| r.rule.id.eq_ignore_ascii_case(&args.rule))
    });
    if found.is_none()
        && let Some((kind, (code, summary, text, example))) = crate::diagnostic::explained_codes()
            .find(|(_, (c, ..))| c.eq_ignore_ascii_case(&args.rule))
    {
        let severity = crate::diagnostic::code_severity(code).as_str();
        match args.format {
            super::DocFormat::Json => super::out(&crate::report::json::to_string(&CodeDoc {
                version: 1,
                code,
                kind,
                severity,
                summary,
                explanation: text,
                example,
                more: more(kind),
            })),
            super::DocFormat::Human => {
                let what = if kind == "spec" {
                    "spec or configuration file"
                } else {
                    "language diagnostic"
                };
                super::out(&format!(
                    "{code} ({what}, {severity})\n{summary}\n\n{text}\n\nExample\n{}\n\nMore: {}.\n",
                    indent(example, "    "),
                    more(kind)
                ));
            }
        }
        return EXIT_OK;
    }
    match found {
        Some(r) => {
            match args.format {
                super::DocFormat::Human => super::out(&explain(set, r)),
                super::DocFormat::Json => {
                    let spec = &set.specs[r.spec];
                    super::out(&crate::report::json::to_string(&RuleDoc {
                        version: 1,
                        code: &r.rule.id,
                        kind: "rule",
                        severity: r.severity.as_str(),
                        summary: &r.rule.summary,
                        rationale: &r.rule.rationale,
                        standard: &spec.spec.standard,
                        reference: &r.rule.reference,
                        provenance: r.rule.provenance.as_str(),
                        applies_to: &r.rule.applies_to,
                        check: &r.rule.check,
                        help: r.rule.help.as_deref(),
                        spec_file: &spec.name,
                        examples: &r.rule.examples,
                        unresolved: (r.rule.check.pair == Some(crate::spec::PairCheck::Undecided))
                            .then(|| relations(set)),
                    }))
                }
            }
            EXIT_OK
        }
        None => {
            let names = set
                .rules
                .iter()
                .map(|r| r.rule.id.as_str())
                .chain(crate::diagnostic::explained_codes().map(|(_, (c, ..))| *c));
            let hint = match crate::diagnostic::closest(&args.rule, names) {
                Some(c) => format!("; did you mean `{c}`?"),
                None => "; `dockcheck rules` lists them".into(),
            };
            super::err(&format!("dockcheck: unknown rule `{}`{hint}\n", args.rule));
            EXIT_TROUBLE
        }
    }
}
