//! `dockcheck coverage [DIRS]...`: which clauses of the standard the
//! fixtures cover. Per spec, each referenced section with its rules, each
//! rule's passing and failing fixtures and its provenance. A failing fixture
//! of a rule expects its code; a passing fixture is one where the rule
//! applied (its conditions matched) and that does not expect it.

use super::ruledev;
use super::{EXIT_FINDINGS, EXIT_OK};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Output format of `coverage`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoverageFormat {
    /// a table per spec: section, rule, provenance, passing and failing fixtures, then the rules without fixtures
    Human,
    /// `{"version": 1, "specs": [{"spec", "rules": [{"id", "section", "provenance", "passing", "failing"}]}]}`
    Json,
    /// a markdown table per spec, for a spec repository's README
    Markdown,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Spec repositories (default: the current directory).
    pub dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CoverageFormat::Human)]
    pub format: CoverageFormat,
    /// Exit 1 when fewer than this percentage of the rules have both a
    /// passing and a failing fixture, naming each rule short of it on stderr.
    #[arg(long, value_name = "PERCENT")]
    pub min: Option<f64>,
}

#[derive(Serialize, Clone)]
struct Row {
    id: String,
    section: String,
    provenance: crate::spec::Provenance,
    passing: usize,
    failing: usize,
}

#[derive(Serialize)]
struct SpecRows {
    spec: String,
    rules: Vec<Row>,
}

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    specs: &'a [SpecRows],
}

fn covered(r: &Row) -> bool {
    r.passing > 0 && r.failing > 0
}

pub fn run(args: Args) -> u8 {
    let repos = match ruledev::load_all(&args.dirs, args.format == CoverageFormat::Json) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut specs: Vec<SpecRows> = Vec::new();
    for repo in &repos {
        let files = repo.tests();
        // per fixture: the codes it expects and the rules that applied
        let seen: Vec<(BTreeSet<String>, BTreeSet<String>)> = files
            .par_iter()
            .map(|p| {
                let c = repo.check(p);
                let expected = c
                    .annotations
                    .expects
                    .iter()
                    .map(|e| e.code.clone())
                    .collect();
                (expected, c.applied)
            })
            .collect();
        let mut by_spec: BTreeMap<usize, Vec<Row>> = BTreeMap::new();
        for r in &repo.rules.rules {
            let id = &r.rule.id;
            let failing = seen.iter().filter(|(e, _)| e.contains(id)).count();
            let passing = seen
                .iter()
                .filter(|(e, a)| a.contains(id) && !e.contains(id))
                .count();
            by_spec.entry(r.spec).or_default().push(Row {
                id: id.clone(),
                section: r.rule.reference.section.clone(),
                provenance: r.rule.provenance,
                passing,
                failing,
            });
        }
        for (i, mut rows) in by_spec {
            rows.sort_by(|a, b| (&a.section, &a.id).cmp(&(&b.section, &b.id)));
            specs.push(SpecRows {
                spec: repo.rules.specs[i].name.clone(),
                rules: rows,
            });
        }
    }
    match args.format {
        CoverageFormat::Json => super::out(&crate::report::json::to_string(&Doc {
            version: 1,
            specs: &specs,
        })),
        CoverageFormat::Human => super::out(&table(&specs)),
        CoverageFormat::Markdown => super::out(&markdown(&specs)),
    }
    let all: Vec<&Row> = specs.iter().flat_map(|s| s.rules.iter()).collect();
    let share = if all.is_empty() {
        100.0
    } else {
        100.0 * all.iter().filter(|r| covered(r)).count() as f64 / all.len() as f64
    };
    if let Some(min) = args.min
        && share + 1e-9 < min
    {
        let mut text = format!(
            "dockcheck: {share:.0} % of the rules have a passing and a failing fixture, below --min {min}\n"
        );
        for r in all.iter().filter(|r| !covered(r)) {
            let lacks = match (r.passing, r.failing) {
                (0, 0) => "no fixture",
                (0, _) => "no passing fixture",
                _ => "no failing fixture",
            };
            text.push_str(&format!("  {} has {lacks}\n", r.id));
        }
        super::err(&text);
        return EXIT_FINDINGS;
    }
    EXIT_OK
}

fn table(specs: &[SpecRows]) -> String {
    let mut out = String::new();
    for s in specs {
        out.push_str(&format!("spec {}\n", s.spec));
        let w = s.rules.iter().map(|r| r.id.len()).max().unwrap_or(4).max(4);
        out.push_str(&format!(
            "  {:<w$}  {:<11} {:>7} {:>7}  SECTION\n",
            "RULE", "PROVENANCE", "PASSING", "FAILING"
        ));
        for r in &s.rules {
            out.push_str(&format!(
                "  {:<w$}  {:<11} {:>7} {:>7}  {}\n",
                r.id,
                r.provenance.as_str(),
                r.passing,
                r.failing,
                r.section
            ));
        }
        let bare: Vec<&str> = s
            .rules
            .iter()
            .filter(|r| r.passing + r.failing == 0)
            .map(|r| r.id.as_str())
            .collect();
        if !bare.is_empty() {
            out.push_str(&format!("  without fixtures: {}\n", bare.join(", ")));
        }
        out.push('\n');
    }
    let all: Vec<&Row> = specs.iter().flat_map(|s| s.rules.iter()).collect();
    let n = all.iter().filter(|r| covered(r)).count();
    out.push_str(&format!(
        "{n} of {} rules have a passing and a failing fixture\n",
        all.len()
    ));
    out
}

fn markdown(specs: &[SpecRows]) -> String {
    let mut out = String::new();
    for s in specs {
        out.push_str(&format!(
            "### {}\n\n| section | rule | provenance | passing | failing |\n|---|---|---|---:|---:|\n",
            s.spec
        ));
        for r in &s.rules {
            out.push_str(&format!(
                "| {} | `{}` | {} | {} | {} |\n",
                r.section.replace('|', "\\|"),
                r.id,
                r.provenance.as_str(),
                r.passing,
                r.failing
            ));
        }
        out.push('\n');
    }
    out
}
