//! Issue 9: `dockcheck test` and `dockcheck coverage` on a copy of this
//! repository's specs and fixtures.

mod common;

use common::{dockcheck, json};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dst = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dst);
        } else {
            std::fs::copy(&p, dst).unwrap();
        }
    }
}

/// A spec repository: this repository's specs and its idss and mating
/// fixtures.
fn repo() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    copy_dir(&root().join("specs"), &t.path().join("specs"));
    for spec in ["idss", "mating"] {
        copy_dir(
            &root().join("fixtures").join(spec),
            &t.path().join("fixtures").join(spec),
        );
    }
    t
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = dockcheck().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (kind, line) of the mismatches of the test whose name ends with `name`.
fn kinds(doc: &Value, name: &str) -> Vec<(String, u64)> {
    doc["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["name"].as_str().unwrap().ends_with(name))
        .flat_map(|t| t["mismatches"].as_array().unwrap().iter())
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_string(),
                m["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_copied_repository_passes_and_json_has_the_contract() {
    let t = repo();
    let (rc, out, _) = run(t.path(), &["test", "--format", "json"]);
    let doc = json(out.as_bytes());
    assert_eq!(rc, 0, "{out}");
    assert_eq!(doc["version"], 1);
    let tests = doc["tests"].as_array().unwrap();
    assert_eq!(
        doc["summary"]["passed"].as_u64().unwrap() as usize,
        tests.len()
    );
    assert_eq!(doc["summary"]["failed"], 0);
    let (_, human, _) = run(t.path(), &["test"]);
    assert!(
        human.ends_with(&format!("{} passed, 0 failed\n", tests.len())),
        "{human}"
    );
}

#[test]
fn pinned_columns_and_messages_are_checked() {
    let t = repo();
    let f = "fixtures/idss/passage-narrow.icd";
    edit(t.path(), f, "@20", "@21");
    let (rc, out, _) = run(t.path(), &["test", "--format", "json"]);
    assert_eq!(rc, 1);
    assert_eq!(
        kinds(&json(out.as_bytes()), "passage-narrow.icd"),
        [("wrong-column".to_string(), 11)]
    );
    edit(t.path(), f, "@21 \"below the 800 mm\"", "@20 \"above\"");
    let (_, out, _) = run(t.path(), &["test", "--format", "json"]);
    assert_eq!(
        kinds(&json(out.as_bytes()), "passage-narrow.icd"),
        [("wrong-message".to_string(), 11)]
    );
}

#[test]
fn a_swapped_code_is_missing_and_unexpected_and_human_names_the_line() {
    let t = repo();
    edit(
        t.path(),
        "fixtures/idss/hooks-few.icd",
        "# expect: IDSS-HOOKS",
        "# expect: IDSS-PETALS",
    );
    let (rc, out, _) = run(t.path(), &["test", "--format", "json"]);
    assert_eq!(rc, 1);
    assert_eq!(
        kinds(&json(out.as_bytes()), "hooks-few.icd"),
        [("missing".to_string(), 11), ("unexpected".to_string(), 11)]
    );
    let (_, human, _) = run(t.path(), &["test"]);
    assert!(
        human.contains(
            "fixtures/idss/hooks-few.icd:11: missing: expected IDSS-PETALS, found IDSS-HOOKS"
        ),
        "{human}"
    );
    assert!(
        human.contains(
            "fixtures/idss/hooks-few.icd:11: unexpected: expected nothing, found IDSS-HOOKS"
        ),
        "{human}"
    );
}

#[test]
fn an_unannotated_fixture_fails_but_a_partner_only_file_is_not_a_test() {
    let t = repo();
    std::fs::write(
        t.path().join("fixtures/idss/bare.icd"),
        "vehicle bare {\n  name = \"Bare\"\n}\n",
    )
    .unwrap();
    let (rc, out, _) = run(t.path(), &["test", "--format", "json"]);
    let doc = json(out.as_bytes());
    assert_eq!(rc, 1);
    assert_eq!(kinds(&doc, "bare.icd"), [("no-expectation".to_string(), 1)]);
    let names: Vec<&str> = doc["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with("hub.icd")), "{names:?}");
    // without its partner a pair fixture cannot resolve its mating
    edit(
        t.path(),
        "fixtures/mating/mass-fail.icd",
        "# partner: hub.icd",
        "",
    );
    let (_, out, _) = run(t.path(), &["test", "--format", "json"]);
    let k = kinds(&json(out.as_bytes()), "mass-fail.icd");
    assert!(k.iter().any(|(kind, _)| kind == "unexpected"), "{k:?}");
    // a partner that does not exist is named
    edit(
        t.path(),
        "fixtures/mating/capture-fail.icd",
        "# partner: hub.icd",
        "# partner: nosuch.icd",
    );
    let (_, out, _) = run(t.path(), &["test", "--format", "json"]);
    let doc = json(out.as_bytes());
    let named = doc["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["name"].as_str().unwrap().ends_with("capture-fail.icd"))
        .flat_map(|t| t["mismatches"].as_array().unwrap().iter())
        .any(|m| {
            m["found"].as_str().unwrap().contains("ICD-IO")
                && m["found"].as_str().unwrap().contains("nosuch.icd")
        });
    assert!(named, "{doc:#}");
}

#[test]
fn snapshots_are_written_new_compared_and_blessed() {
    let t = repo();
    let snap = t.path().join("fixtures/idss/passage-narrow.icd.snap");
    let new = t.path().join("fixtures/idss/passage-narrow.icd.snap.new");
    let (rc, _, _) = run(t.path(), &["test", "--snapshot"]);
    assert_eq!(rc, 1);
    assert!(new.is_file() && !snap.exists());
    let (rc, _, _) = run(t.path(), &["test", "--snapshot", "--bless"]);
    assert_eq!(rc, 0);
    assert!(snap.is_file() && !new.exists());
    let text = std::fs::read_to_string(&snap).unwrap();
    assert!(
        text.starts_with("---\nsource: fixtures/idss/passage-narrow.icd\n"),
        "{text}"
    );
    assert!(text.contains("error[IDSS-PASSAGE]"), "{text}");
    let (rc, _, _) = run(t.path(), &["test", "--snapshot"]);
    assert_eq!(rc, 0);
    std::fs::write(&snap, format!("{text}stale line\n")).unwrap();
    let (rc, out, _) = run(t.path(), &["test", "--snapshot", "--format", "json"]);
    assert_eq!(rc, 1);
    assert_eq!(
        kinds(&json(out.as_bytes()), "passage-narrow.icd"),
        [("snapshot".to_string(), 1)]
    );
    assert_eq!(std::fs::read_to_string(&new).unwrap(), text);
    assert!(
        std::fs::read_to_string(&snap)
            .unwrap()
            .ends_with("stale line\n")
    );
    let (rc, _, _) = run(t.path(), &["test", "--bless"]);
    assert_eq!(rc, 2, "--bless needs --snapshot");
}

#[test]
fn coverage_counts_passing_and_failing_fixtures() {
    let t = repo();
    let (rc, out, _) = run(t.path(), &["coverage", "--format", "json", "--min", "100"]);
    assert_eq!(rc, 0);
    let doc = json(out.as_bytes());
    assert_eq!(doc["version"], 1);
    let rows: Vec<&Value> = doc["specs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["rules"].as_array().unwrap().iter())
        .collect();
    assert_eq!(rows.len(), 19);
    for r in &rows {
        assert!(
            r["passing"].as_u64().unwrap() >= 1 && r["failing"].as_u64().unwrap() >= 1,
            "{r}"
        );
        assert!(r["section"].is_string() && r["provenance"].is_string());
    }
    let hooks = rows.iter().find(|r| r["id"] == "IDSS-HOOKS").unwrap();
    assert_eq!(hooks["failing"], 1);
    std::fs::remove_file(t.path().join("fixtures/idss/hooks-few.icd")).unwrap();
    let (rc, _, err) = run(t.path(), &["coverage", "--min", "100"]);
    assert_eq!(rc, 1);
    assert!(err.contains("IDSS-HOOKS has no failing fixture"), "{err}");
    assert!(!err.contains("IDSS-PASSAGE"), "{err}");
    assert_eq!(run(t.path(), &["coverage", "--min", "90"]).0, 0);
    let (_, md, _) = run(t.path(), &["coverage", "--format", "markdown"]);
    assert!(
        md.contains("| section | rule | provenance | passing | failing |"),
        "{md}"
    );
}

#[test]
fn not_a_spec_repository_and_broken_specs_are_exit_2() {
    let t = tempfile::tempdir().unwrap();
    let (rc, _, err) = run(t.path(), &["test"]);
    assert_eq!(rc, 2);
    assert!(err.contains("no specs/*.toml"), "{err}");
    std::fs::create_dir(t.path().join("specs")).unwrap();
    std::fs::write(t.path().join("specs/broken.toml"), "[standard\n").unwrap();
    let (rc, out, _) = run(t.path(), &["test", "--format", "json"]);
    assert_eq!(rc, 2);
    assert_eq!(
        json(out.as_bytes())["diagnostics"][0]["code"],
        "SPEC-SYNTAX"
    );
    assert_eq!(run(t.path(), &["coverage"]).0, 2);
}
