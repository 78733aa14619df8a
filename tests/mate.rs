//! Mate checks: every pair rule on its fixtures, unit-independence, the
//! fleet matrix against the real-world record, and the HTML matrix.

use dockcheck::check::matrix;
use dockcheck::check::pair::Verdict;
use dockcheck::spec::RuleSet;
use dockcheck::workspace::SourceMap;
use std::path::PathBuf;

mod common;
use common::*;

/// Error codes (sorted, unique) and the exit code of `check` on the files.
fn check(files: &[&str]) -> (i32, Vec<String>, serde_json::Value) {
    let (rc, doc) = check_json(files);
    let mut errors: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    errors.sort();
    errors.dedup();
    (rc, errors, doc)
}

const HUB: &str = "fixtures/mating/hub.icd";

#[test]
fn each_pair_rule_fails_on_its_fixture_and_points_into_both_files() {
    let cases = [
        ("capture-fail.icd", "MATE-CAPTURE"),
        ("rate-fail.icd", "MATE-CAPTURE"),
        ("mass-fail.icd", "MATE-MASS"),
        ("voltage-fail.icd", "MATE-VOLTAGE"),
        ("voltage-narrow-fail.icd", "MATE-VOLTAGE"),
        ("current-fail.icd", "MATE-CURRENT"),
        ("connector-fail.icd", "MATE-CONNECTOR"),
        ("data-fail.icd", "MATE-DATA"),
        ("data-protocol-fail.icd", "MATE-DATA"),
        ("comms-fail.icd", "MATE-COMMS"),
        ("system-fail.icd", "MATE-SYSTEM"),
        ("undecided.icd", "MATE-UNDECIDED"),
    ];
    for (file, code) in cases {
        let path = format!("fixtures/mating/{file}");
        let (rc, codes, doc) = check(&[HUB, &path]);
        // the pair rules that fail (an approach may also break IDSS-APPROACH)
        let codes: Vec<String> = codes
            .into_iter()
            .filter(|c| c.starts_with("MATE-"))
            .collect();
        assert_eq!((rc, codes.clone()), (1, vec![code.to_string()]), "{file}");
        let d = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .unwrap();
        let mut files: Vec<String> = vec![d["file"].as_str().unwrap().to_string()];
        files.extend(
            d["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["file"].as_str().unwrap().to_string()),
        );
        assert!(
            files.iter().any(|f| f.ends_with("hub.icd")),
            "{file}: {files:?}"
        );
        assert!(files.iter().any(|f| f.ends_with(file)), "{file}: {files:?}");
        assert!(d["span"]["start"]["line"].as_u64().unwrap() > 0);
    }
}

#[test]
fn passing_pairs_raise_no_error() {
    for file in ["pass.icd", "pass-units.icd"] {
        let (rc, codes, _) = check(&[HUB, &format!("fixtures/mating/{file}")]);
        assert_eq!((rc, codes), (0, vec![]), "{file}");
    }
    let (rc, codes, _) = check(&["fixtures/mating/role-pass.icd"]);
    assert_eq!((rc, codes), (0, vec![]));
}

#[test]
fn role_fails_for_two_passive_ports() {
    let (rc, codes, _) = check(&["fixtures/mating/role-fail.icd"]);
    assert_eq!((rc, codes), (1, vec!["MATE-ROLE".to_string()]));
}

#[test]
fn passage_difference_is_a_warning_naming_the_smaller() {
    let (_, _, doc) = check(&[HUB, "fixtures/mating/passage-warn.icd"]);
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "MATE-PASSAGE")
        .expect("MATE-PASSAGE");
    assert_eq!(d["severity"], "warning");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("ship-passage-warn.fwd's 700 mm"),
        "{}",
        d["message"]
    );
}

#[test]
fn other_units_give_the_same_verdicts() {
    let pairs = [
        ("pass.icd", "pass-units.icd"),
        ("capture-fail.icd", "capture-fail-units.icd"),
        ("mass-fail.icd", "mass-fail-units.icd"),
        ("voltage-narrow-fail.icd", "voltage-fail-units.icd"),
        ("comms-fail.icd", "comms-fail-units.icd"),
    ];
    for (base, units) in pairs {
        let a = check(&[HUB, &format!("fixtures/mating/{base}")]);
        let b = check(&[HUB, &format!("fixtures/mating/{units}")]);
        assert_eq!((a.0, &a.1), (b.0, &b.1), "{base} vs {units}");
    }
}

fn mate(chaser: &str, target: &str, paths: &[&str]) -> (i32, String, Vec<String>) {
    let out = dockcheck()
        .args(["mate", chaser, target, "--format", "json"])
        .args(paths)
        .output()
        .unwrap();
    let doc = json(&out.stdout);
    let codes = doc["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    (
        out.status.code().unwrap_or(-1),
        doc["verdict"].as_str().unwrap().to_string(),
        codes,
    )
}

#[test]
fn mate_command_prints_the_verdict_and_exits_accordingly() {
    assert_eq!(
        mate("crew-dragon.forward", "iss.ida2", &["fixtures/fleet"]),
        (0, "mates".into(), vec![])
    );
    assert_eq!(
        mate(
            "crew-dragon.forward",
            "starliner.forward",
            &["fixtures/fleet"]
        ),
        (1, "fails".into(), vec!["MATE-ROLE".into()])
    );
    assert_eq!(
        mate(
            "ship-undecided.fwd",
            "hub.a",
            &[HUB, "fixtures/mating/undecided.icd"]
        ),
        (1, "undecided".into(), vec!["MATE-UNDECIDED".into()])
    );
    let out = dockcheck()
        .args(["mate", "crew-dragon.forwrd", "iss.ida2", "fixtures/fleet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("crew-dragon.forward"));
}

fn fleet_matrix() -> matrix::Matrix {
    let mut sources = SourceMap::default();
    let set = RuleSet::load(&mut sources, true, &[]).expect("built-in specs");
    let loaded = dockcheck::load::load_into(sources, &[PathBuf::from("fixtures/fleet")]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let mut d = Vec::new();
    let world = loaded.world(&mut d);
    matrix::build(&set, &world, &|_, _, s| Some(s))
}

#[test]
fn fleet_matrix_matches_the_real_world_record() {
    let m = fleet_matrix();
    let v = |c: &str, t: &str| {
        m.pairs
            .iter()
            .find(|p| p.chaser == c && p.target == t)
            .map(|p| p.verdict)
            .unwrap_or_else(|| panic!("{c} -> {t} missing"))
    };
    for capsule in ["crew-dragon.forward", "starliner.forward"] {
        for ida in ["iss.ida2", "iss.ida3"] {
            assert_eq!(v(capsule, ida), Verdict::Mates, "{capsule} -> {ida}");
        }
        for other in ["iss.poisk", "iss.rassvet", "iss.harmony-nadir"] {
            assert_eq!(v(capsule, other), Verdict::Fails, "{capsule} -> {other}");
        }
    }
    assert_eq!(
        v("crew-dragon.forward", "starliner.forward"),
        Verdict::Fails
    );
    assert_eq!(
        v("starliner.forward", "crew-dragon.forward"),
        Verdict::Fails
    );
    for russian in ["soyuz-ms.forward", "progress-ms.aft"] {
        for drogue in ["iss.poisk", "iss.rassvet"] {
            assert_eq!(v(russian, drogue), Verdict::Mates, "{russian} -> {drogue}");
        }
        for ida in ["iss.ida2", "iss.ida3"] {
            assert_eq!(v(russian, ida), Verdict::Fails, "{russian} -> {ida}");
        }
    }
    // Cygnus berths at Harmony nadir (PCBM to ACBM), whichever side is
    // called the chaser, and nothing docks to a CBM port
    for (c, t) in [
        ("cygnus.pcbm", "iss.harmony-nadir"),
        ("iss.harmony-nadir", "cygnus.pcbm"),
    ] {
        let p = m.pairs.iter().find(|p| p.chaser == c && p.target == t);
        let p = p.unwrap_or_else(|| panic!("{c} -> {t} missing"));
        assert_eq!(p.verdict, Verdict::Mates, "{c} -> {t}");
        assert_eq!(
            p.how,
            Some(dockcheck::check::pair::How::Berthing),
            "{c} -> {t}"
        );
    }
    for p in &m.pairs {
        let cbm = ["iss.harmony-nadir", "cygnus.pcbm"];
        let one = cbm.contains(&p.chaser.as_str()) != cbm.contains(&p.target.as_str());
        if one {
            assert_eq!(p.verdict, Verdict::Fails, "{} -> {}", p.chaser, p.target);
        }
        if p.verdict == Verdict::Mates && !cbm.contains(&p.chaser.as_str()) {
            assert_eq!(
                p.how,
                Some(dockcheck::check::pair::How::Docking),
                "{} -> {}",
                p.chaser,
                p.target
            );
        }
        if p.verdict != Verdict::Mates {
            assert_eq!(p.how, None, "{} -> {}", p.chaser, p.target);
        }
    }
    // every ordered pair of ports on different vehicles, once
    let n = m.ports.len();
    let same: usize = m
        .ports
        .iter()
        .map(|a| {
            m.ports
                .iter()
                .filter(|b| a.split('.').next() == b.split('.').next())
                .count()
        })
        .sum();
    assert_eq!(m.pairs.len(), n * n - same);
}

#[test]
fn fleet_matrix_snapshot() {
    let m = fleet_matrix();
    insta::assert_snapshot!(
        "fleet_matrix_table",
        dockcheck::report::matrix::table(&m, false)
    );
    insta::assert_snapshot!("fleet_matrix_csv", dockcheck::report::matrix::csv(&m));
}

#[test]
fn html_matrix_is_well_formed_and_has_one_cell_per_pair() {
    let out = dockcheck()
        .args(["matrix", "fixtures/fleet", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains("<script"),
        "not self-contained"
    );
    // well-formed: every element closed in order (the page is written as XHTML-compatible HTML)
    let mut reader = quick_xml::Reader::from_str(&html);
    let mut cells = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                if e.name().as_ref() == b"rect"
                    && e.attributes()
                        .flatten()
                        .any(|a| a.key.as_ref() == b"data-verdict")
                {
                    cells += 1;
                }
            }
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
    let m = fleet_matrix();
    assert_eq!(cells, m.pairs.len());
}

#[test]
fn matrix_json_lists_ports_and_pairs() {
    let out = dockcheck()
        .args(["matrix", "fixtures/fleet", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out.stdout);
    assert_eq!(doc["version"], 1);
    let pair = doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["chaser"] == "crew-dragon.forward" && p["target"] == "iss.ida2")
        .unwrap();
    assert_eq!(pair["verdict"], "mates");
    assert_eq!(pair["codes"].as_array().unwrap().len(), 0);
    let out2 = dockcheck()
        .args(["matrix", "fixtures/fleet", "--format", "json"])
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.stdout, out2.stdout,
        "same bytes whatever the thread count"
    );
}

#[test]
fn two_file_diagnostic_snapshots() {
    for file in [
        "capture-fail.icd",
        "voltage-fail.icd",
        "comms-fail.icd",
        "data-fail.icd",
        "mass-fail.icd",
        "system-fail.icd",
    ] {
        let out = dockcheck()
            .args(["check", HUB, &format!("fixtures/mating/{file}")])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        insta::assert_snapshot!(format!("mate_{}", file.trim_end_matches(".icd")), text);
    }
}

#[test]
fn configuration_reaches_the_mate_verdict() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["hub.icd", "data-fail.icd"] {
        std::fs::copy(format!("fixtures/mating/{f}"), dir.path().join(f)).unwrap();
    }
    let paths = [dir.path().to_str().unwrap()];
    assert_eq!(mate("ship-data-fail.fwd", "hub.a", &paths).1, "fails");
    std::fs::write(
        dir.path().join("dockcheck.toml"),
        "[[overrides]]\npaths = [\"data-fail.icd\"]\nrules = { MATE-DATA = \"warning\" }\n",
    )
    .unwrap();
    assert_eq!(
        mate("ship-data-fail.fwd", "hub.a", &paths),
        (0, "mates".into(), vec![])
    );
}

#[test]
fn without_pair_rules_nothing_is_decided() {
    let out = dockcheck()
        .args([
            "matrix",
            "fixtures/fleet",
            "--format",
            "json",
            "--no-default-spec",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out.stdout);
    let pairs = doc["pairs"].as_array().unwrap();
    assert!(!pairs.is_empty());
    assert!(pairs.iter().all(|p| p["verdict"] == "undecided"), "{doc}");
}

#[test]
fn a_missing_data_rate_or_protocol_is_skipped_not_failed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pair.icd");
    std::fs::write(
        &p,
        "vehicle a { name = \"A\"; mass = 5 t; port p { docking { system = \"IDSS\"; role = active }\n data { } } }\nvehicle b { name = \"B\"; port p { docking { system = \"IDSS\"; role = passive }\n data { } } }\nmating m { chaser = a.p; target = b.p }\n",
    )
    .unwrap();
    let out = dockcheck()
        .args(["check", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    let doc = json(&out.stdout);
    let data: Vec<&serde_json::Value> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "MATE-DATA")
        .collect();
    assert_eq!(data.len(), 1);
    assert_eq!(data[0]["severity"], "info");
}

/// `matrix` writes csv, table and json row by row as it checks; each must
/// be what the whole matrix, built in memory, renders to.
#[test]
fn the_streamed_matrix_is_the_matrix_built_in_memory() {
    let m = fleet_matrix();
    let run = |format: &str| {
        let out = dockcheck()
            .args([
                "matrix",
                "fixtures/fleet",
                "--color",
                "never",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(run("csv"), dockcheck::report::matrix::csv(&m));
    assert_eq!(run("table"), dockcheck::report::matrix::table(&m, false));
    let streamed: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(streamed["version"], 1);
    assert_eq!(streamed["ports"], serde_json::to_value(&m.ports).unwrap());
    assert_eq!(streamed["pairs"], serde_json::to_value(&m.pairs).unwrap());
    // and with `-o`, the file holds the same bytes
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.csv");
    let out = dockcheck()
        .args(["matrix", "fixtures/fleet", "--format", "csv", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), run("csv"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}
