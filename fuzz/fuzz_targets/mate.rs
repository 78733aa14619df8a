//! Two texts (split at the first NUL byte) as two `.icd` files, and the pair
//! rules of the built-in specs over every pair of ports on different
//! vehicles (at most 8 × 8), each way, as `mate CHASER TARGET` runs them;
//! the findings rendered as `mate` prints them (human and JSON). None may
//! panic or hang.
#![no_main]

use dockcheck::check::pair;
use dockcheck::cli::output::{Format, Kind, MateView, render};
use dockcheck::cli::setup::Setup;
use dockcheck::report::Run;
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
    let (a, b) = match data.iter().position(|&c| c == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let setup = setup();
    let loaded = dockcheck::load::read_texts(
        setup.sources.clone(),
        vec![("a.icd".into(), a.to_vec()), ("b.icd".into(), b.to_vec())],
    );
    let mut cross = Vec::new();
    let world = loaded.checked_world(&mut cross);
    let ports = dockcheck::check::matrix::ports(&world);
    for chaser in ports.iter().take(8) {
        for target in ports.iter().take(8) {
            if chaser.vehicle.id.value == target.vehicle.id.value {
                continue;
            }
            let raw = pair::mate(&setup.rules, None, *chaser, *target, None);
            let mut diags = raw.diagnostics;
            let outcome = pair::outcome(diags.clone(), raw.undecided, raw.way);
            dockcheck::report::finish(&mut diags, &loaded.sources);
            let fingerprints = dockcheck::fingerprint::fingerprints(&diags, &loaded.sources);
            let run = Run {
                sources: &loaded.sources,
                diags: &diags,
                fingerprints: &fingerprints,
                matings: &[],
                files: &[],
                codes: &[],
                fail_on: FailOn::Error,
            };
            let view = MateView {
                chaser: chaser.name(),
                target: target.name(),
                verdict: outcome.verdict,
                how: outcome.how,
                codes: outcome.codes,
            };
            for format in [Format::Human, Format::Json] {
                let _ = render(format, &run, &Kind::Mate(&view), false, false);
            }
        }
    }
});
