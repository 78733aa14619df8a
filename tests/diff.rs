//! `dockcheck diff`: the before/after pairs of fixtures/diff/, each with its
//! expected report (an insta snapshot of the human output, and the JSON
//! contract's counts), and `diff --base` in a temporary git repository.

mod common;
use common::dockcheck;
use serde_json::Value;
use std::path::Path;

fn diff(args: &[&str]) -> (i32, String, String) {
    let out = dockcheck().arg("diff").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn case(name: &str, format: &str) -> (i32, String) {
    let before = format!("fixtures/diff/{name}/before");
    let after = format!("fixtures/diff/{name}/after");
    let (rc, out, err) = diff(&[&before, &after, "--format", format]);
    assert!(err.is_empty(), "{name}: {err}");
    (rc, out)
}

/// (case, exit status, changes, breaking, fixed, changed)
const CASES: &[(&str, i32, u64, u64, u64, u64)] = &[
    ("capture-narrowed", 1, 1, 3, 0, 0),
    ("role-changed", 1, 1, 3, 0, 0),
    ("voltage-moved", 1, 1, 3, 0, 0),
    ("unit-only", 0, 0, 0, 0, 0),
    ("comment-only", 0, 0, 0, 0, 0),
    ("port-renamed", 1, 2, 2, 2, 0),
    ("vehicle-moved", 0, 1, 0, 0, 0),
];

#[test]
fn every_case_gives_its_expected_report() {
    for (name, rc, changes, breaking, fixed, changed) in CASES {
        let (code, out) = case(name, "human");
        assert_eq!(code, *rc, "{name}:\n{out}");
        insta::assert_snapshot!(format!("diff-{name}"), out);
        let (_, json) = case(name, "json");
        let doc: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["version"], 1);
        let s = &doc["summary"];
        assert_eq!(
            (
                s["changes"].as_u64(),
                s["breaking"].as_u64(),
                s["fixed"].as_u64(),
                s["changed"].as_u64()
            ),
            (
                Some(*changes),
                Some(*breaking),
                Some(*fixed),
                Some(*changed)
            ),
            "{name}: {json}"
        );
    }
}

#[test]
fn a_narrowed_envelope_names_the_change_the_pair_and_the_rule() {
    let (_, json) = case("capture-narrowed", "json");
    let doc: Value = serde_json::from_str(&json).unwrap();
    let c = &doc["changes"][0];
    assert_eq!(c["kind"], "changed");
    assert_eq!(c["path"], "docking.capture.closing_velocity");
    assert_eq!(c["old"], "0.05 .. 0.10 m/s");
    assert_eq!(c["new"], "0.07 .. 0.08 m/s");
    assert_eq!(c["old_at"]["line"], 21);
    assert!(
        c["new_at"]["file"]
            .as_str()
            .unwrap()
            .ends_with("after/hub.icd")
    );
    let p = &doc["pairs"][0];
    assert_eq!(
        (p["impact"].as_str(), p["old"].as_str(), p["new"].as_str()),
        (Some("breaking"), Some("mates"), Some("fails"))
    );
    assert_eq!(p["old_how"], "docking");
    assert_eq!(p["new_how"], Value::Null);
    assert_eq!(p["added"][0]["code"], "MATE-CAPTURE");
    assert_eq!(doc["matings"][0]["id"], "pass");
}

#[test]
fn fail_on_and_markdown() {
    let (b, a) = (
        "fixtures/diff/port-renamed/before",
        "fixtures/diff/port-renamed/after",
    );
    assert_eq!(diff(&[b, a, "--fail-on", "never"]).0, 0);
    assert_eq!(diff(&[b, a, "--fail-on", "changed"]).0, 1);
    let (b2, a2) = (
        "fixtures/diff/vehicle-moved/before",
        "fixtures/diff/vehicle-moved/after",
    );
    assert_eq!(
        diff(&[b2, a2, "--fail-on", "changed"]).0,
        0,
        "a move changes nothing for partners"
    );
    let (_, md, _) = diff(&[b, a, "--format", "markdown"]);
    assert!(
        md.starts_with("### dockcheck diff\n\n**2** breaking · **2** fixed"),
        "{md}"
    );
    // breaking rows come first
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| breaking") || l.starts_with("| fixed"))
        .collect();
    assert_eq!(rows.len(), 4, "{md}");
    assert!(
        rows[0].starts_with("| breaking") && rows[3].starts_with("| fixed"),
        "{md}"
    );
}

#[test]
fn bad_inputs_are_exit_2_with_a_reason() {
    let (rc, _, err) = diff(&["fixtures/diff/nope", "fixtures/diff/unit-only/after"]);
    assert_eq!(rc, 2);
    assert!(err.contains("no such file or directory"), "{err}");
    let (rc, _, err) = diff(&["fixtures/diff/unit-only/after"]);
    assert_eq!(rc, 2);
    assert!(err.contains("OLD and NEW"), "{err}");
}

#[test]
fn output_is_the_same_from_any_directory_spelling() {
    let (_, a) = case("voltage-moved", "json");
    let (_, b, _) = diff(&[
        "./fixtures/diff/voltage-moved/before/",
        "fixtures/../fixtures/diff/voltage-moved/after",
        "--format",
        "json",
    ]);
    let strip = |s: &str| {
        let v: Value = serde_json::from_str(s).unwrap();
        (v["summary"].clone(), v["pairs"].clone())
    };
    assert_eq!(strip(&a), strip(&b));
}

fn git(dir: &Path, args: &[&str]) {
    let st = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}

#[test]
fn base_compares_a_revision_with_the_working_tree() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fleet = d.join("fleet");
    std::fs::create_dir_all(&fleet).unwrap();
    for f in ["hub.icd", "ship.icd"] {
        std::fs::copy(
            format!("fixtures/diff/voltage-moved/before/{f}"),
            fleet.join(f),
        )
        .unwrap();
    }
    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "one"]);
    std::fs::copy(
        "fixtures/diff/voltage-moved/after/ship.icd",
        fleet.join("ship.icd"),
    )
    .unwrap();
    git(d, &["commit", "-q", "-am", "two"]);
    let run = |args: &[&str]| {
        let out = dockcheck()
            .arg("diff")
            .args(args)
            .current_dir(d)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (rc, out, err) = run(&["--base", "HEAD~1", "fleet", "--format", "json"]);
    assert_eq!(rc, Some(1), "{out}{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["changes"], 1, "{out}");
    assert_eq!(doc["changes"][0]["path"], "power.voltage");
    assert_eq!(doc["changes"][0]["old_at"]["file"], "HEAD~1:fleet/ship.icd");
    assert_eq!(doc["summary"]["breaking"], 3);
    // nothing changed against HEAD
    let (rc, out, _) = run(&["--base", "HEAD", "fleet"]);
    assert_eq!(rc, Some(0), "{out}");
    // a revision that does not exist
    let (rc, _, err) = run(&["--base", "no-such-rev", "fleet"]);
    assert_eq!(rc, Some(2));
    assert!(err.contains("not a revision"), "{err}");
    // outside a repository
    let bare = tempfile::tempdir().unwrap();
    std::fs::copy(
        "fixtures/diff/voltage-moved/before/hub.icd",
        bare.path().join("hub.icd"),
    )
    .unwrap();
    let out = dockcheck()
        .args(["diff", "--base", "HEAD"])
        .current_dir(bare.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_file_that_does_not_parse_on_one_side_is_reported_and_the_rest_compared() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    for d in [&old, &new] {
        std::fs::create_dir_all(d).unwrap();
        for f in ["hub.icd", "ship.icd"] {
            std::fs::copy(format!("fixtures/diff/voltage-moved/before/{f}"), d.join(f)).unwrap();
        }
    }
    let ship = std::fs::read_to_string(old.join("ship.icd")).unwrap();
    assert!(ship.contains("voltage = 24 V .. 32 V"));
    std::fs::write(
        old.join("ship.icd"),
        ship.replace("voltage = 24 V .. 32 V", "voltage = 24 V .. "),
    )
    .unwrap();
    let (rc, out, _) = diff(&[
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(rc, 0, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{out}");
    assert!(
        diags[0].as_str().unwrap().contains("error[ICD-SYNTAX]"),
        "{out}"
    );
    // what could be compared was: the voltage is new on the fixed side
    assert_eq!(doc["changes"][0]["path"], "power.voltage");
    assert_eq!(doc["changes"][0]["kind"], "added");
}

#[test]
fn sarif_lists_the_breaking_findings_at_the_change_and_is_valid() {
    let schema_path = [
        "../shared/schemas/sarif-schema-2.1.0.json",
        "tests/data/sarif-schema-2.1.0.json",
    ]
    .into_iter()
    .find(|p| Path::new(p).is_file())
    .unwrap();
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let (rc, out) = case("capture-narrowed", "sarif");
    assert_eq!(rc, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{out}");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{out}");
    let pair = results
        .iter()
        .find(|r| r["ruleId"] == "MATE-CAPTURE")
        .expect("the pair");
    let loc = &pair["locations"][0]["physicalLocation"];
    assert!(
        loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("after/hub.icd"),
        "{out}"
    );
    assert_eq!(loc["region"]["startLine"], 21);
    // nothing breaking, no results
    let (_, out) = case("unit-only", "sarif");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn the_human_report_draws_each_impact_in_both_versions() {
    let (_, out) = case("capture-narrowed", "human");
    // the pair's report: the new snippet labelled `now`, the old one `was`
    let pair = out
        .split("\nbreaking\n")
        .find(|r| r.contains("ship-pass.fwd → hub.a: mates (docking) → fails"))
        .expect("a drawn report for the broken pair");
    assert!(
        pair.contains("╭─[fixtures/diff/capture-narrowed/after/hub.icd:21:28]"),
        "{pair}"
    );
    assert!(
        pair.contains("╭─[fixtures/diff/capture-narrowed/before/hub.icd:21:28]"),
        "{pair}"
    );
    assert!(pair.contains("now 0.07 .. 0.08 m/s"), "{pair}");
    assert!(pair.contains("was 0.05 .. 0.10 m/s"), "{pair}");
    assert!(pair.contains("+ error[MATE-CAPTURE]"), "{pair}");
    // a fixed pair is advice, not an error
    let (_, renamed) = case("port-renamed", "human");
    let fixed = renamed
        .split("\nfixed\n")
        .nth(1)
        .expect("a drawn report for a fixed pair");
    assert!(fixed.contains("☞ hub.a → ship-pass.front"), "{fixed}");
    assert!(fixed.contains("a rename?"), "{fixed}");
}
