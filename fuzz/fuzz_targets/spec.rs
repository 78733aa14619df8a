//! Arbitrary bytes as a spec file (what `--spec FILE` reads): schema check,
//! deserialising, merging with the built-in specs and compiling, then the
//! setup error rendered as `check` prints it, or the rules run over a fleet
//! file. None may panic or hang.
#![no_main]

use dockcheck::cli::check::check_texts;
use dockcheck::cli::output::{Format, Kind, render};
use dockcheck::cli::setup::Setup;
use dockcheck::report::{CodeInfo, Run};
use dockcheck::spec::config::FailOn;
use libfuzzer_sys::fuzz_target;

const ICD: &str = include_str!("../../fixtures/fleet/iss.icd");

fuzz_target!(|data: &[u8]| {
    match Setup::with_specs(&[("fuzz.toml", data.to_vec())]) {
        Ok(setup) => {
            let (loaded, gated) = check_texts(&setup, vec![("iss.icd".into(), ICD.into())]);
            let run = gated.run(&loaded.sources, FailOn::Error);
            let kind = Kind::Check {
                t0: std::time::Instant::now(),
            };
            let _ = render(Format::Human, &run, &kind, false, false);
        }
        Err((sources, mut diags)) => {
            // as `output::setup_failed` prints them
            dockcheck::report::finish(&mut diags, &sources);
            let fingerprints = dockcheck::fingerprint::fingerprints(&diags, &sources);
            let codes = CodeInfo::all(&dockcheck::spec::RuleSet::default());
            let run = Run {
                sources: &sources,
                diags: &diags,
                fingerprints: &fingerprints,
                matings: &[],
                files: &[],
                codes: &codes,
                fail_on: FailOn::Error,
            };
            for format in [Format::Human, Format::Json] {
                let _ = render(format, &run, &Kind::Setup, false, false);
            }
        }
    }
});
