//! The fleet generator behind `cargo run --example gen-fleet` (and so behind
//! scripts/bench): what it writes parses with no language (ICD-*) diagnostic,
//! carries the planted violations it claims, is the same for the same seed,
//! and its JSON twin holds the SI values that `dockcheck export` reads.

#[path = "../examples/gen_fleet/gen.rs"]
#[allow(dead_code)]
mod generator;

use generator::{Options, Size};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn options(vehicles: usize) -> Options {
    Options {
        vehicles,
        ports: None,
        seed: 1,
        one_file: false,
        json: false,
        size: Size::Full,
    }
}

fn check_json(path: &Path) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_dockcheck"))
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .expect("dockcheck runs");
    let code = out.status.code().expect("dockcheck exits");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check --format json gives JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, report)
}

fn codes(report: &Value) -> BTreeSet<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_string())
        .collect()
}

fn assert_clean_language(code: i32, report: &Value) -> BTreeSet<String> {
    assert!(code == 0 || code == 1, "exit {code}: {report}");
    let codes = codes(report);
    let language: Vec<_> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("ICD-")))
        .collect();
    assert!(
        language.is_empty(),
        "the generated fleet has language diagnostics: {language:#?}"
    );
    codes
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_fleet_of_200_vehicles_parses_and_carries_planted_violations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = generator::generate(&options(200), dir.path()).expect("generate");
    assert_eq!(s.vehicles, 200);
    assert_eq!(s.files, 200);
    assert!(s.planted > 0 && s.matings > 0 && s.cross_family_matings > 0);
    assert_eq!(files(dir.path(), "icd").len(), 200);
    let (code, report) = check_json(dir.path());
    let codes = assert_clean_language(code, &report);
    assert_eq!(code, 1, "the planted errors fail the run");
    for planted in ["IDSS-PASSAGE", "IDSS-HOOKS", "IDSS-PETALS", "MATE-SYSTEM"] {
        assert!(codes.contains(planted), "{planted} in {codes:?}");
    }
    let m = &report["summary"]["matings"];
    assert!(m["mates"].as_u64().unwrap_or(0) > m["fails"].as_u64().unwrap_or(u64::MAX));
}

#[test]
fn small_vehicles_in_one_file_parse() {
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = Options {
        one_file: true,
        size: Size::Small,
        ..options(3000)
    };
    let s = generator::generate(&opts, dir.path()).expect("generate");
    assert_eq!((s.files, s.vehicles, s.ports), (1, 3000, 3000));
    // About 150 bytes a vehicle: 680,000 make about 100 MB.
    let per_vehicle = s.bytes as f64 / 3000.0;
    assert!((120.0..190.0).contains(&per_vehicle), "{per_vehicle}");
    let (code, report) = check_json(&dir.path().join("fleet.icd"));
    let codes = assert_clean_language(code, &report);
    assert!(codes.contains("IDSS-PASSAGE") || codes.contains("IDSS-HOOKS"));
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let read = |seed: u64, json: bool| {
        let dir = tempfile::tempdir().expect("tempdir");
        let opts = Options {
            seed,
            one_file: true,
            json,
            ..options(300)
        };
        generator::generate(&opts, dir.path()).expect("generate");
        let name = if json { "fleet.json" } else { "fleet.icd" };
        fs::read(dir.path().join(name)).expect("read")
    };
    assert_eq!(read(7, false), read(7, false));
    assert_eq!(read(7, true), read(7, true));
    assert_ne!(read(7, false), read(8, false));
}

#[test]
fn ports_gives_exactly_that_many_ports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = Options {
        ports: Some(1000),
        ..options(0)
    };
    let s = generator::generate(&opts, dir.path()).expect("generate");
    assert_eq!(s.ports, 1000);
    let (code, report) = check_json(dir.path());
    assert_clean_language(code, &report);
}

/// `dockcheck export`'s model in the twin's shape: spans and nulls dropped,
/// quantities as their SI number, ranges as {lo, hi}, a mass always a range.
fn twin_of_export(v: &Value, key: &str) -> Value {
    match v {
        Value::Object(m) if m.len() == 2 && m.contains_key("span") && m.contains_key("value") => {
            twin_of_export(&m["value"], key)
        }
        Value::Object(m) if m.contains_key("si") && m.contains_key("dimension") => {
            if key == "mass" {
                serde_json::json!({"lo": m["si"], "hi": m["si"]})
            } else {
                m["si"].clone()
            }
        }
        Value::Object(m) if m.contains_key("lo") && m.contains_key("text") => {
            serde_json::json!({"lo": twin_of_export(&m["lo"], ""), "hi": twin_of_export(&m["hi"], "")})
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, v)| !v.is_null() && *k != "span")
                .map(|(k, v)| (k.clone(), twin_of_export(v, k)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| twin_of_export(x, "")).collect()),
        other => other.clone(),
    }
}

fn assert_same(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let kx: BTreeSet<_> = x.keys().collect();
            let ky: BTreeSet<_> = y.keys().collect();
            assert_eq!(kx, ky, "keys at {path}");
            for k in x.keys() {
                assert_same(&x[k], &y[k], &format!("{path}/{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "length at {path}");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                assert_same(p, q, &format!("{path}/{i}"));
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().expect("f64"), y.as_f64().expect("f64"));
            assert!(
                (x - y).abs() <= 1e-9 * x.abs().max(y.abs()),
                "{path}: {x} != {y}"
            );
        }
        _ => assert_eq!(a, b, "at {path}"),
    }
}

#[test]
fn the_json_twin_holds_what_export_reads() {
    let icd = tempfile::tempdir().expect("tempdir");
    let json = tempfile::tempdir().expect("tempdir");
    generator::generate(&options(60), icd.path()).expect("generate");
    let opts = Options {
        json: true,
        ..options(60)
    };
    generator::generate(&opts, json.path()).expect("generate");
    let icd_files = files(icd.path(), "icd");
    let out = Command::new(env!("CARGO_BIN_EXE_dockcheck"))
        .arg("export")
        .args(&icd_files)
        .output()
        .expect("dockcheck runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let export: Value = serde_json::from_slice(&out.stdout).expect("export gives JSON");
    let exported = export["files"].as_array().expect("files");
    assert_eq!(exported.len(), icd_files.len());
    for f in exported {
        let path = PathBuf::from(f["file"].as_str().expect("file"));
        // shown relative to the project root, which may or may not lie
        // beside the temporary directory: the generator's layout is
        // DIR/gNNN/vNNNNN.icd, so the last two components name the twin
        let tail: Vec<_> = path.components().rev().take(2).collect();
        let rel: PathBuf = tail.into_iter().rev().collect();
        let twin_path = json.path().join(&rel).with_extension("json");
        let twin: Value =
            serde_json::from_slice(&fs::read(&twin_path).expect("twin")).expect("twin is JSON");
        let got = serde_json::json!({
            "version": 1,
            "vehicles": twin_of_export(&f["vehicles"], ""),
            "matings": twin_of_export(&f["matings"], ""),
        });
        assert_same(&got, &twin, &rel.display().to_string());
    }
}
