//! `dockcheck diff` of a fleet of N one-port vehicles (one file each) where
//! one vehicle's capture envelope changed, next to a baseline measured in the
//! same run: mating that one port against every other port once (what the
//! review must at least do, twice: before and after). The ratio says what the
//! model comparison, the family index and the conformance re-check cost on
//! top of the pair checks.
//!
//! Run with `cargo bench --bench diff`.

use divan::{Bencher, black_box};
use dockcheck::check::{matrix, pair};
use dockcheck::diagnostic::FileId;
use dockcheck::diff::{self, Version};
use dockcheck::model::Model;
use dockcheck::model::world::World;
use dockcheck::spec::RuleSet;
use dockcheck::workspace::SourceMap;

fn main() {
    divan::main();
}

const SIZES: &[usize] = &[100, 1000];

fn vehicle(i: usize, closing: &str) -> String {
    format!(
        r#"vehicle v{i} {{
  name = "Vehicle {i}"
  mass = 10 t
  port p {{
    docking {{
      system = "IDSS"; standard = "IDSS IDD"; revision = "F"; role = dual
      passageway = 800 mm; hooks = 12; guide_petals = 3
      capture {{ closing_velocity = {closing}; lateral_velocity = 0.04 m/s; partner_mass = 2 t .. 20 t }}
      approach {{ closing_velocity = 0.06 .. 0.09 m/s; lateral_velocity = 0.01 m/s }}
    }}
    power {{ direction = supply; voltage = 28 V ± 2 V; current = 15 A; connector = "P28" }}
  }}
}}
"#
    )
}

/// One side: its sources and models, vehicle 0 with `closing`.
fn fleet(n: usize, closing: &str) -> (SourceMap, Vec<(FileId, Model)>) {
    let mut sources = SourceMap::default();
    let mut models = Vec::new();
    for i in 0..n {
        let text = vehicle(i, if i == 0 { closing } else { "0.05 .. 0.10 m/s" });
        let (m, diags, _) = dockcheck::load::parse_and_lower(sources.len(), &text);
        assert!(diags.is_empty(), "{diags:?}");
        let id = sources.add(format!("v{i}.icd"), text);
        models.push((id, m));
    }
    (sources, models)
}

fn rules() -> RuleSet {
    let mut s = SourceMap::default();
    RuleSet::load(&mut s, true, &[]).unwrap_or_else(|d| panic!("{d:?}"))
}

#[divan::bench(args = SIZES)]
fn diff_one_changed_vehicle(bencher: Bencher, n: usize) {
    let set = rules();
    let (os, om) = fleet(n, "0.05 .. 0.10 m/s");
    let (ns, nm) = fleet(n, "0.07 .. 0.08 m/s");
    let key = |f: FileId| format!("v{f}.icd");
    bencher.bench(|| {
        let mut d = Vec::new();
        let orefs: Vec<(FileId, &Model)> = om.iter().map(|(f, m)| (*f, m)).collect();
        let nrefs: Vec<(FileId, &Model)> = nm.iter().map(|(f, m)| (*f, m)).collect();
        let ow = World::build(&orefs, &mut d);
        let nw = World::build(&nrefs, &mut d);
        let (ov, nv) = (
            Version {
                world: &ow,
                sources: &os,
                name: &key,
                key: &key,
            },
            Version {
                world: &nw,
                sources: &ns,
                name: &key,
                key: &key,
            },
        );
        let r = diff::review(&set, &ov, &nv, &|_, _| {});
        assert_eq!(r.changes.len(), 1);
        black_box(r)
    });
}

#[divan::bench(args = SIZES)]
fn baseline_mate_one_port_against_all(bencher: Bencher, n: usize) {
    let set = rules();
    let (_, nm) = fleet(n, "0.07 .. 0.08 m/s");
    bencher.bench(|| {
        let mut d = Vec::new();
        let refs: Vec<(FileId, &Model)> = nm.iter().map(|(f, m)| (*f, m)).collect();
        let w = World::build(&refs, &mut d);
        let sides = matrix::ports(&w);
        let one = sides[0];
        let mut verdicts = 0;
        for other in &sides[1..] {
            verdicts += pair::mate(&set, None, one, *other, None).diagnostics.len();
            verdicts += pair::mate(&set, None, *other, one, None).diagnostics.len();
        }
        black_box(verdicts)
    });
}
