//! Every built-in rule's fixtures (`fixtures/<spec>/`) and fail examples,
//! rendered and pinned with insta: messages, spans and labels are
//! snapshot, not only counted (as oxc's `test_and_snapshot` does).

mod common;

use common::dockcheck;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures(spec: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures").join(spec))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "icd"))
        .collect();
    out.sort();
    out
}

#[test]
fn the_built_in_fixtures_pass_dockcheck_test() {
    let out = dockcheck()
        .current_dir(root())
        .args(["test", "--format", "json"])
        .output()
        .unwrap();
    let doc = common::json(&out.stdout);
    let failed: Vec<&serde_json::Value> = doc["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["ok"] != true)
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(out.status.code(), Some(0));
    let names: Vec<&str> = doc["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"fixtures/idss/passage-narrow.icd"),
        "{names:?}"
    );
    assert!(
        names.contains(&"fixtures/mating/capture-fail.icd"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"fixtures/mating/hub.icd"),
        "a partner only is not a test"
    );
}

/// The diagnostics located in a fixture (checked with its partners), in the
/// short format.
fn short(fixture: &Path) -> String {
    let text = std::fs::read_to_string(fixture).unwrap();
    let a = dockcheck::fixture::parse(&text);
    let folder = fixture.parent().unwrap();
    let rel = |p: &Path| {
        p.strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut cmd = dockcheck();
    cmd.current_dir(root())
        .args(["check", "--no-config", "--format", "short"])
        .arg(rel(fixture));
    for p in &a.partners {
        cmd.arg(rel(&folder.join(p)));
    }
    let out = cmd.output().unwrap();
    let me = format!("{}:", rel(fixture));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with(&me))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn built_in_fixtures_snapshot() {
    for spec in ["idss", "mating"] {
        for f in fixtures(spec) {
            let name = f.file_stem().unwrap().to_string_lossy().into_owned();
            if name == "hub" {
                continue; // only a partner
            }
            insta::assert_snapshot!(format!("fixture-{spec}-{name}"), short(&f));
        }
    }
}

#[test]
fn built_in_fail_examples_snapshot() {
    let mut sources = dockcheck::workspace::SourceMap::default();
    let set = dockcheck::spec::RuleSet::load(&mut sources, true, &[]).unwrap();
    let style = dockcheck::report::human::Style {
        color: false,
        width: 100,
    };
    let mut n = 0;
    for r in &set.rules {
        for (i, ex) in r.rule.examples.iter().enumerate() {
            if ex.outcome != dockcheck::spec::Outcome::Fail {
                continue;
            }
            let text = dockcheck::check::examples::example_text(&set, r, &ex.icd);
            let name = format!("{}#example-{}", r.rule.id, i + 1);
            let (sources, mut diags) =
                dockcheck::check::examples::check_text(&set, r, &name, &text);
            dockcheck::report::finish(&mut diags, &sources);
            let rendered = dockcheck::report::human::render(&sources, &diags, style);
            assert!(rendered.contains(&r.rule.id), "{name}: {rendered}");
            insta::assert_snapshot!(format!("{}-{}", r.rule.id, i + 1), rendered);
            n += 1;
        }
    }
    assert!(n >= 16, "{n} fail examples");
}
