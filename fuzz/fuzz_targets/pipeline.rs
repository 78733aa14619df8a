//! Arbitrary bytes as one `.icd` file through the whole `check` pipeline
//! (load, the built-in IDSS and mating specs, the gate, fingerprints) and
//! both the human (miette) and the JSON renderer: none may panic or hang.
#![no_main]

use dockcheck::cli::check::check_texts;
use dockcheck::cli::output::{Format, Kind, render};
use dockcheck::cli::setup::Setup;
use dockcheck::spec::config::FailOn;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| match Setup::builtin() {
        Ok(s) => s,
        Err((_, d)) => panic!("the built-in specs do not load: {d:?}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let (loaded, gated) = check_texts(setup(), vec![("fuzz.icd".into(), data.to_vec())]);
    let run = gated.run(&loaded.sources, FailOn::Error);
    let kind = Kind::Check {
        t0: std::time::Instant::now(),
    };
    for format in [Format::Human, Format::Json] {
        let _ = render(format, &run, &kind, false, false);
    }
    // colour takes another path through miette
    let _ = render(Format::Human, &run, &kind, true, false);
});
