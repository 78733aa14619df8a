//! End-to-end tests of the `dockcheck` binary: exit codes, the JSON contract,
//! path handling and hostile inputs.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod common;
use common::*;

/// Runs `dockcheck check --format json ARGS` and returns (exit code, parsed JSON, raw stdout).
fn check_json(args: &[&str]) -> (i32, Value, Vec<u8>) {
    let out = dockcheck()
        .arg("check")
        .arg("--format")
        .arg("json")
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().expect("exited normally");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (code, json, out.stdout)
}

fn diagnostics(json: &Value) -> &Vec<Value> {
    json["diagnostics"]
        .as_array()
        .expect("`diagnostics` is an array")
}

/// The diagnostics of one file as (code, line) pairs.
fn codes_and_lines(json: &Value, file: &str) -> BTreeSet<(String, u64)> {
    diagnostics(json)
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["span"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn invalid_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("fixtures/invalid")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".icd"))
        .collect();
    names.sort();
    names
}

/// What each fixture in fixtures/invalid/ plants, from its header comment:
/// (file name, [(code, 1-based line)]).
const PLANTED: &[(&str, &[(&str, u64)])] = &[
    ("duplicate.icd", &[("ICD-DUPLICATE", 13)]),
    ("encoding.icd", &[("ICD-ENCODING", 8)]),
    ("enum.icd", &[("ICD-TYPE", 13)]),
    ("missing.icd", &[("ICD-MISSING", 8)]),
    ("range.icd", &[("ICD-RANGE", 8)]),
    ("ref.icd", &[("ICD-REF", 23)]),
    (
        "several.icd",
        &[
            ("ICD-TYPE", 14),
            ("ICD-UNKNOWN", 15),
            ("ICD-UNIT", 20),
            ("ICD-RANGE", 24),
            ("ICD-REF", 31),
        ],
    ),
    ("syntax.icd", &[("ICD-SYNTAX", 11)]),
    ("type.icd", &[("ICD-TYPE", 8)]),
    ("unit.icd", &[("ICD-UNIT", 14)]),
    ("unknown-unit.icd", &[("ICD-UNIT", 8)]),
    ("unknown.icd", &[("ICD-UNKNOWN", 12)]),
];

// ------------------------------------------------------------ exit codes and fixtures

#[test]
fn fleet_checks_clean_with_exit_0() {
    dockcheck()
        .args(["check", "fixtures/fleet"])
        .assert()
        .code(0);
}

#[test]
fn fleet_json_report_has_no_errors() {
    let (code, json, _) = check_json(&["fixtures/fleet"]);
    assert_eq!(code, 0);
    assert_eq!(json["summary"]["errors"], 0, "{json:#}");
    assert_eq!(json["summary"]["files"], 7);
}

#[test]
fn invalid_fixtures_exit_1() {
    dockcheck()
        .args(["check", "fixtures/invalid"])
        .assert()
        .code(1);
}

#[test]
fn every_invalid_fixture_has_an_expectation() {
    let table: Vec<String> = PLANTED.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(
        invalid_fixtures(),
        table,
        "fixtures/invalid/ and the PLANTED table disagree"
    );
}

#[test]
fn each_invalid_fixture_reports_exactly_its_planted_errors() {
    let (code, json, _) = check_json(&["fixtures/invalid"]);
    assert_eq!(code, 1);
    for (file, planted) in PLANTED {
        let path = format!("fixtures/invalid/{file}");
        let want: BTreeSet<(String, u64)> =
            planted.iter().map(|(c, l)| (c.to_string(), *l)).collect();
        let errors: BTreeSet<(String, u64)> = diagnostics(&json)
            .iter()
            .filter(|d| d["file"] == path.as_str() && d["severity"] == "error")
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["span"]["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(errors, want, "errors reported for {path}");
        // a planted error is reported once, not several times
        let count = diagnostics(&json)
            .iter()
            .filter(|d| d["file"] == path.as_str() && d["severity"] == "error")
            .count();
        assert_eq!(count, planted.len(), "number of errors in {path}");
    }
    assert_eq!(json["summary"]["files"], PLANTED.len());
}

#[test]
fn encoding_error_gives_the_byte_offset() {
    let (_, json, _) = check_json(&["fixtures/invalid/encoding.icd"]);
    let d = &diagnostics(&json)[0];
    assert_eq!(d["code"], "ICD-ENCODING");
    assert_eq!(d["span"]["start"]["offset"], 307);
    assert!(d["message"].as_str().unwrap().contains("307"), "{d:#}");
}

#[test]
fn duplicate_points_back_at_the_first_definition() {
    let (_, json, _) = check_json(&["fixtures/invalid/duplicate.icd"]);
    let d = &diagnostics(&json)[0];
    assert_eq!(d["code"], "ICD-DUPLICATE");
    let labels = d["labels"].as_array().unwrap();
    assert!(
        labels.iter().any(|l| l["span"]["start"]["line"] == 10),
        "no label on line 10: {d:#}"
    );
}

// ------------------------------------------------------------ JSON contract

fn assert_position(p: &Value, what: &str) {
    let obj = p
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object: {p}"));
    let keys: BTreeSet<&str> = obj.keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["line", "column", "offset"]), "{what}");
    assert!(
        p["line"].as_u64().unwrap() >= 1,
        "{what}: lines are 1-based"
    );
    assert!(
        p["column"].as_u64().unwrap() >= 1,
        "{what}: columns are 1-based"
    );
    assert!(p["offset"].is_u64(), "{what}");
}

fn assert_span(s: &Value, what: &str) {
    let keys: BTreeSet<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["start", "end"]), "{what}");
    assert_position(&s["start"], &format!("{what}.start"));
    assert_position(&s["end"], &format!("{what}.end"));
    assert!(
        s["start"]["offset"].as_u64() <= s["end"]["offset"].as_u64(),
        "{what}: start after end"
    );
}

#[test]
fn json_report_follows_the_version_1_contract() {
    let (_, json, _) = check_json(&["fixtures/invalid"]);
    let top: BTreeSet<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        top,
        BTreeSet::from(["version", "diagnostics", "matings", "summary"])
    );
    // fixtures/invalid declares no mating that resolves
    assert_eq!(json["matings"], serde_json::json!([]));
    assert_eq!(json["version"], 1);

    let diags = diagnostics(&json);
    assert!(!diags.is_empty());
    let required = ["code", "severity", "message", "file", "span", "labels"];
    let optional = ["label", "help", "reference"];
    for (i, d) in diags.iter().enumerate() {
        let what = format!("diagnostics[{i}]");
        let keys: BTreeSet<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        for k in required {
            assert!(keys.contains(k), "{what} lacks `{k}`: {d:#}");
        }
        for k in &keys {
            assert!(
                required.contains(k) || optional.contains(k),
                "{what} has unexpected key `{k}`"
            );
        }
        assert!(d["code"].as_str().unwrap().starts_with("ICD-"), "{what}");
        assert!(
            ["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()),
            "{what}"
        );
        assert!(!d["message"].as_str().unwrap().is_empty(), "{what}");
        assert!(
            d["file"].as_str().unwrap().starts_with("fixtures/invalid/"),
            "{what}"
        );
        assert_span(&d["span"], &format!("{what}.span"));
        if let Some(h) = d.get("help") {
            assert!(h.is_string(), "{what}.help");
        }
        for (j, l) in d["labels"].as_array().unwrap().iter().enumerate() {
            let keys: BTreeSet<&str> = l.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(
                keys,
                BTreeSet::from(["file", "span", "message"]),
                "{what}.labels[{j}]"
            );
            assert_span(&l["span"], &format!("{what}.labels[{j}].span"));
        }
    }

    let summary = &json["summary"];
    let keys: BTreeSet<&str> = summary
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from(["files", "errors", "warnings", "infos", "waived", "matings"])
    );
    assert_eq!(
        summary["matings"],
        serde_json::json!({"mates": 0, "fails": 0, "undecided": 0})
    );
    let count = |sev: &str| diags.iter().filter(|d| d["severity"] == sev).count();
    assert_eq!(summary["errors"], count("error"));
    assert_eq!(summary["warnings"], count("warning"));
    assert_eq!(summary["infos"], count("info"));
    assert_eq!(summary["files"], invalid_fixtures().len());
}

#[test]
fn json_diagnostics_are_sorted_by_file_offset_and_code() {
    let (_, json, _) = check_json(&["fixtures/invalid"]);
    let keys: Vec<(String, u64, String)> = diagnostics(&json)
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["span"]["start"]["offset"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // several.icd alone has five diagnostics in line order
    let several: Vec<u64> = diagnostics(&json)
        .iter()
        .filter(|d| d["file"] == "fixtures/invalid/several.icd")
        .map(|d| d["span"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(several, [14, 15, 20, 24, 31]);
}

#[test]
fn json_output_does_not_depend_on_argument_order() {
    let files: Vec<String> = invalid_fixtures()
        .iter()
        .map(|f| format!("fixtures/invalid/{f}"))
        .collect();
    let forward: Vec<&str> = files.iter().map(String::as_str).collect();
    let backward: Vec<&str> = forward.iter().rev().copied().collect();
    let (code_f, _, bytes_f) = check_json(&forward);
    let (code_b, _, bytes_b) = check_json(&backward);
    assert_eq!(code_f, code_b);
    assert_eq!(
        String::from_utf8(bytes_f).unwrap(),
        String::from_utf8(bytes_b).unwrap()
    );
}

#[test]
fn json_columns_count_unicode_scalars_not_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("greek.icd");
    // `colour` follows `  name = "Ωμέγα"; `: 18 characters but 23 bytes
    let text = "vehicle greek {\n  name = \"Ωμέγα\"; colour = \"red\"\n}\n";
    std::fs::write(&path, text).unwrap();
    let (code, json, _) = check_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let d = &diagnostics(&json)[0];
    assert_eq!(d["code"], "ICD-UNKNOWN", "{d:#}");
    assert_eq!(d["span"]["start"]["line"], 2);
    assert_eq!(d["span"]["start"]["column"], 19);
    assert_eq!(d["span"]["start"]["offset"], text.find("colour").unwrap());
    assert_eq!(d["span"]["end"]["column"], 25);
}

// ------------------------------------------------------------ paths and usage

#[test]
fn nonexistent_path_exits_2_and_other_files_are_still_reported() {
    let (code, json, _) = check_json(&["fixtures/invalid/type.icd", "no/such/file.icd"]);
    assert_eq!(code, 2);
    let type_codes = codes_and_lines(&json, "fixtures/invalid/type.icd");
    assert_eq!(type_codes, BTreeSet::from([("ICD-TYPE".to_string(), 8)]));
    let io = codes_and_lines(&json, "no/such/file.icd");
    assert!(io.iter().any(|(c, _)| c == "ICD-IO"), "{json:#}");
}

#[test]
fn nonexistent_path_exits_2_even_when_the_other_files_are_valid() {
    dockcheck()
        .args(["check", "fixtures/fleet", "no/such/dir"])
        .assert()
        .code(2);
}

#[test]
fn unknown_flag_is_a_usage_error_with_exit_2() {
    let out = dockcheck()
        .args(["check", "--no-such-flag", "fixtures/fleet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--no-such-flag") && stderr.contains("Usage"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing on stdout for a usage error");
}

#[test]
fn directory_walk_honours_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "ignored.icd\n").unwrap();
    std::fs::write(
        dir.path().join("ignored.icd"),
        "vehicle broken {\n  name = \n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ok.icd"),
        "vehicle ok {\n  name = \"Fine\"\n}\n",
    )
    .unwrap();
    let (code, json, _) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["summary"]["files"], 1);
    // the ignored file is broken: checking it by name fails
    dockcheck()
        .arg("check")
        .arg(dir.path().join("ignored.icd"))
        .assert()
        .code(1);
}

// ------------------------------------------------------------ export

#[test]
fn export_prints_the_vehicle_names_as_json() {
    let out = dockcheck()
        .args([
            "export",
            "fixtures/fleet/iss.icd",
            "fixtures/fleet/soyuz-ms.icd",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let names: Vec<&str> = files
        .iter()
        .flat_map(|f| f["vehicles"].as_array().unwrap())
        .map(|v| v["name"]["value"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"International Space Station"), "{names:?}");
    let ids: Vec<&str> = files
        .iter()
        .flat_map(|f| f["vehicles"].as_array().unwrap())
        .map(|v| v["id"]["value"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"iss"), "{ids:?}");
    assert!(ids.iter().any(|i| i.starts_with("soyuz")), "{ids:?}");
}

#[test]
fn export_exits_1_on_a_syntax_error() {
    let out = dockcheck()
        .args(["export", "fixtures/invalid/syntax.icd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ICD-SYNTAX"));
}

// ------------------------------------------------------------ hostile inputs

/// Checks one generated file: the run finishes within the timeout, does not
/// panic, and exits with one of `allowed`. Returns stdout (JSON) and stderr.
fn check_hostile(name: &str, bytes: &[u8], allowed: &[i32]) -> (Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    run_hostile(&path, allowed)
}

fn run_hostile(path: &Path, allowed: &[i32]) -> (Value, String) {
    let out = dockcheck()
        .arg("check")
        .arg("--format")
        .arg("json")
        .arg(path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "panic on {}:\n{stderr}",
        path.display()
    );
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal on {}: {stderr}", path.display()));
    assert!(
        allowed.contains(&code),
        "exit {code} on {} (allowed {allowed:?}); stderr:\n{stderr}",
        path.display()
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("stdout is the JSON report");
    (json, stderr)
}

fn codes(json: &Value) -> BTreeSet<String> {
    diagnostics(json)
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn ten_thousand_nested_blocks_are_refused_without_overflow() {
    let mut text = String::from("vehicle v {\n");
    text.push_str(&"x {".repeat(10_000));
    text.push_str(&"}".repeat(10_000));
    text.push_str("\n}\n");
    let (json, _) = check_hostile("nested.icd", text.as_bytes(), &[1]);
    assert!(codes(&json).contains("ICD-SYNTAX"), "{:?}", codes(&json));
}

#[test]
fn fifty_megabyte_file_is_checked_without_panic_or_hang() {
    let mut text = String::with_capacity(50_100_000);
    let mut i = 0u64;
    while text.len() < 50_000_000 {
        text.push_str(&format!(
            "vehicle v{i} {{\n  name = \"Vehicle {i}\"\n  mass = 7.5 t\n  port p1 {{\n    docking {{ system = \"SSVP-G4000\"; role = passive }}\n  }}\n}}\n"
        ));
        i += 1;
    }
    assert!(text.len() >= 50_000_000);
    let (json, _) = check_hostile("big.icd", text.as_bytes(), &[0, 1, 2]);
    // the file is valid: nothing should be reported
    assert_eq!(
        json["summary"]["errors"],
        0,
        "first diagnostic: {:#}",
        diagnostics(&json).first().cloned().unwrap_or_default()
    );
}

/// A fixed-seed linear congruential generator (Knuth's MMIX constants).
fn lcg_bytes(len: usize, mut state: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect()
}

#[test]
fn random_bytes_are_rejected_without_panic() {
    for seed in [1, 2, 3] {
        let bytes = lcg_bytes(200 * 1024, seed);
        check_hostile("random.icd", &bytes, &[1, 2]);
    }
}

#[test]
fn random_ascii_is_rejected_without_panic() {
    // valid UTF-8, so it reaches the parser instead of stopping at decoding
    let bytes: Vec<u8> = lcg_bytes(200 * 1024, 7)
        .into_iter()
        .map(|b| b & 0x7f)
        .collect();
    let (json, _) = check_hostile("random-ascii.icd", &bytes, &[1, 2]);
    assert!(codes(&json).contains("ICD-SYNTAX"), "{:?}", codes(&json));
}

#[test]
fn latin1_byte_in_a_string_is_an_encoding_error() {
    let text = b"vehicle v {\n  name = \"Caf\xe9\"\n}\n";
    let (json, _) = check_hostile("latin1.icd", text, &[1]);
    let d = &diagnostics(&json)[0];
    assert_eq!(d["code"], "ICD-ENCODING");
    assert_eq!(
        d["span"]["start"]["offset"],
        text.iter().position(|b| *b == 0xe9).unwrap()
    );
    assert_eq!(d["span"]["start"]["line"], 2);
}

#[test]
fn nul_byte_is_rejected_without_panic() {
    let (json, _) = check_hostile("nul.icd", b"vehicle v {\n  name = \"x\"\n  \0\n}\n", &[1]);
    assert!(codes(&json).contains("ICD-SYNTAX"), "{:?}", codes(&json));
}

#[test]
fn nul_byte_inside_a_string_is_rejected_without_panic() {
    check_hostile(
        "nul-string.icd",
        b"vehicle v {\n  name = \"a\0b\"\n}\n",
        &[0, 1],
    );
}

#[test]
fn empty_file_is_clean() {
    let (json, _) = check_hostile("empty.icd", b"", &[0]);
    assert_eq!(json["summary"]["files"], 1);
    assert!(diagnostics(&json).is_empty());
}

#[test]
fn number_overflowing_f64_is_a_range_error() {
    let (json, _) = check_hostile(
        "huge.icd",
        b"vehicle v {\n  name = \"x\"\n  mass = 1e999 kg\n}\n",
        &[1],
    );
    let d = &diagnostics(&json)[0];
    assert_eq!(d["code"], "ICD-RANGE", "{json:#}");
    assert_eq!(d["span"]["start"]["line"], 3);
}

#[test]
fn completions_are_printed_for_bash() {
    let out = assert_cmd::Command::cargo_bin("dockcheck")
        .unwrap()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("_dockcheck") && text.contains("matrix"),
        "{text}"
    );
}
