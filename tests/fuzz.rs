//! The library entries the fuzz targets (fuzz/) drive: `check` of a text
//! held in memory gives what `dockcheck check -` prints, and spec texts held
//! in memory load as `--spec FILE` does. Inputs the fuzzers found are kept
//! in fixtures/fuzz/ and replayed here through the same functions.

use dockcheck::cli::check::check_texts;
use dockcheck::cli::output::{Format, Kind, render};
use dockcheck::cli::setup::Setup;
use dockcheck::spec::config::FailOn;
use std::path::{Path, PathBuf};

mod common;
use common::*;

/// What the `pipeline` target does with one text: the human and the JSON
/// report (no colour).
fn pipeline(name: &str, bytes: &[u8]) -> (String, String) {
    let setup = Setup::builtin().unwrap_or_else(|(_, d)| panic!("{d:?}"));
    let (loaded, gated) = check_texts(&setup, vec![(name.to_string(), bytes.to_vec())]);
    let run = gated.run(&loaded.sources, FailOn::Error);
    let kind = Kind::Check {
        t0: std::time::Instant::now(),
    };
    let text = |f| String::from_utf8(render(f, &run, &kind, false, false)).unwrap();
    (text(Format::Human), text(Format::Json))
}

/// What the `mate` target does: two texts split at the first NUL byte, the
/// pair rules over every pair of ports on different vehicles (8 × 8 at
/// most), each finding rendered.
fn mate(data: &[u8]) {
    use dockcheck::check::pair;
    let (a, b) = match data.iter().position(|&c| c == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let setup = Setup::builtin().unwrap_or_else(|(_, d)| panic!("{d:?}"));
    let loaded = dockcheck::load::read_texts(
        setup.sources.clone(),
        vec![("a.icd".into(), a.to_vec()), ("b.icd".into(), b.to_vec())],
    );
    let world = loaded.checked_world(&mut Vec::new());
    let ports = dockcheck::check::matrix::ports(&world);
    for chaser in ports.iter().take(8) {
        for target in ports.iter().take(8) {
            if chaser.vehicle.id.value != target.vehicle.id.value {
                let mut diags = pair::mate(&setup.rules, None, *chaser, *target, None).diagnostics;
                dockcheck::report::finish(&mut diags, &loaded.sources);
                let _ = dockcheck::report::human::render(
                    &loaded.sources,
                    &diags,
                    dockcheck::report::human::Style {
                        color: false,
                        width: 100,
                    },
                );
            }
        }
    }
}

#[test]
fn two_texts_in_memory_load_as_two_files() {
    let hub = std::fs::read("fixtures/mating/hub.icd").unwrap();
    let ship = std::fs::read("fixtures/mating/pass.icd").unwrap();
    let setup = Setup::builtin().unwrap_or_else(|(_, d)| panic!("{d:?}"));
    let loaded = dockcheck::load::read_texts(
        setup.sources.clone(),
        vec![
            ("hub.icd".into(), hub.clone()),
            ("pass.icd".into(), ship.clone()),
        ],
    );
    assert_eq!(
        (loaded.checked, loaded.read.len(), loaded.files.len()),
        (2, 2, 2)
    );
    let mut joined = ship;
    joined.push(0);
    joined.extend(hub);
    mate(&joined);
}

fn files_in(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn a_text_in_memory_is_checked_as_check_reads_standard_input() {
    for path in ["fixtures/docs/shuttle.icd", "fixtures/fleet/missions.icd"] {
        let bytes = std::fs::read(path).unwrap();
        for format in ["json", "human"] {
            let out = dockcheck()
                .args([
                    "check",
                    "--no-config",
                    "--color",
                    "never",
                    "--format",
                    format,
                ])
                .args(["--stdin-filename", path, "-"])
                .write_stdin(bytes.clone())
                .output()
                .unwrap();
            let (human, json) = pipeline(path, &bytes);
            let ours = if format == "json" { json } else { human };
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                ours,
                "{path} --format {format}"
            );
        }
    }
}

#[test]
fn spec_texts_in_memory_load_as_spec_files_do() {
    let good = std::fs::read("fixtures/docs/specs/outpost.toml").unwrap();
    let setup =
        Setup::with_specs(&[("outpost.toml", good)]).unwrap_or_else(|(_, d)| panic!("{d:?}"));
    assert!(setup.rules.specs.iter().any(|s| s.name == "outpost.toml"));
    assert!(setup.rules.specs.iter().any(|s| s.builtin));
    let broken = std::fs::read("fixtures/docs/specs/broken-idss.toml").unwrap();
    let Err((_, diags)) = Setup::with_specs(&[("broken.toml", broken)]) else {
        panic!("a broken spec loads");
    };
    assert!(
        diags.iter().all(|d| d.code.starts_with("SPEC-")),
        "{diags:?}"
    );
    let Err((_, diags)) = Setup::with_specs(&[("bad.toml", b"x = \"\xff\"".to_vec())]) else {
        panic!("a spec that is not UTF-8 loads");
    };
    assert_eq!(diags[0].code, "ICD-ENCODING");
}

/// Every input a fuzzer found, through the target that found it (the
/// directory says which): none may panic.
#[test]
fn fuzz_findings_replay() {
    for path in files_in("fixtures/fuzz/pipeline", "icd") {
        let bytes = std::fs::read(&path).unwrap();
        let _ = pipeline(&path.display().to_string(), &bytes);
        let text = String::from_utf8_lossy(&bytes);
        let _ = dockcheck::load::parse_and_lower(0, &text);
    }
    for path in files_in("fixtures/fuzz/parse", "icd") {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let _ = dockcheck::load::parse_and_lower(0, &text);
    }
    for path in files_in("fixtures/fuzz/mate", "icd") {
        mate(&std::fs::read(&path).unwrap());
    }
    for path in files_in("fixtures/fuzz/spec", "toml") {
        let bytes = std::fs::read(&path).unwrap();
        let _ = Setup::with_specs(&[(path.to_str().unwrap_or("spec.toml"), bytes)]);
    }
    assert!(Path::new("fixtures").is_dir());
}
