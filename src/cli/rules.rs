//! `dockcheck rules`: the loaded rules, as a table or JSON.

use super::EXIT_OK;
use super::setup::{self, SpecArgs};
use crate::spec::{CheckKind, Provenance, Reference, RuleSet};
use serde::Serialize;

/// Output format of `rules`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    /// a table: id, severity, provenance and summary of each rule, sorted by id, then a count
    Human,
    /// `{"version": 1, "rules": [...]}`: id, severity, summary, reference, provenance, standard, spec, check kind and number of examples of each rule
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    pub format: RulesFormat,
    #[command(flatten)]
    pub spec: SpecArgs,
}

#[derive(Serialize)]
struct RuleRow<'a> {
    id: &'a str,
    severity: &'static str,
    summary: &'a str,
    reference: &'a Reference,
    provenance: Provenance,
    standard: &'a str,
    spec: &'a str,
    check: CheckKind,
    examples: usize,
}

#[derive(Serialize)]
struct RulesDoc<'a> {
    version: u32,
    rules: Vec<RuleRow<'a>>,
}

fn rows(set: &RuleSet) -> Vec<RuleRow<'_>> {
    let mut rows: Vec<RuleRow> = set
        .rules
        .iter()
        .map(|r| RuleRow {
            id: &r.rule.id,
            severity: r.severity.as_str(),
            summary: &r.rule.summary,
            reference: &r.rule.reference,
            provenance: r.rule.provenance,
            standard: &set.specs[r.spec].spec.standard.id,
            spec: &set.specs[r.spec].name,
            check: r.rule.check.kind,
            examples: r.rule.examples.len(),
        })
        .collect();
    rows.sort_by(|a, b| a.id.cmp(b.id));
    rows
}

pub fn run(args: Args) -> u8 {
    let setup = match setup::setup_or_report(
        &args.spec,
        std::path::Path::new("."),
        match args.format {
            RulesFormat::Json => super::output::SetupFormat::JsonError,
            RulesFormat::Human => super::output::SetupFormat::Report(super::Format::Human),
        },
        super::Color::Auto,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let rows = rows(&setup.rules);
    match args.format {
        RulesFormat::Json => super::out(&crate::report::json::to_string(&RulesDoc {
            version: 1,
            rules: rows,
        })),
        RulesFormat::Human => {
            let w = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
            let mut out = format!(
                "{:w$}  {:8}  {:10}  SUMMARY\n",
                "ID", "SEVERITY", "PROVENANCE"
            );
            for r in &rows {
                out.push_str(&format!(
                    "{:w$}  {:8}  {:10}  {}\n",
                    r.id,
                    r.severity,
                    r.provenance.as_str(),
                    r.summary
                ));
            }
            out.push_str(&format!(
                "\n{} rules. `dockcheck explain ID` shows one in full.\n",
                rows.len()
            ));
            super::out(&out);
        }
    }
    EXIT_OK
}
