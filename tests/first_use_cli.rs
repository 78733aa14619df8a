//! Issue 7, "First use without surprises": one test per item, named after
//! it, driving the built binary.

mod common;

use common::{check_json, dockcheck, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

// ------------------------------------------------------------ item 2

const KESTREL: &str = "fixtures/mating/pass.icd";
const HUB: &str = "fixtures/mating/hub.icd";

/// A project: `dockcheck.toml` (fail on warnings; `IDSS-PASSAGE` off under
/// `partners/`), `icd/kestrel.icd` (clean, with a mating to the hub) and
/// `partners/` holding the hub and a visitor whose 700 mm passageway is an
/// `IDSS-PASSAGE` warning. Returns the temporary directory and the project.
fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("proj");
    std::fs::create_dir_all(proj.join("icd")).unwrap();
    std::fs::create_dir_all(proj.join("partners")).unwrap();
    std::fs::copy(KESTREL, proj.join("icd/kestrel.icd")).unwrap();
    std::fs::copy(HUB, proj.join("partners/hub.icd")).unwrap();
    let visitor = std::fs::read_to_string("fixtures/mating/passage-warn.icd")
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("mating"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("ship-passage-warn", "visitor");
    std::fs::write(proj.join("partners/visitor.icd"), visitor).unwrap();
    std::fs::write(
        proj.join("dockcheck.toml"),
        "fail-on = \"warning\"\n\n[[overrides]]\npaths = [\"partners/**\"]\nrules = { IDSS-PASSAGE = \"off\" }\n",
    )
    .unwrap();
    (tmp, proj)
}

/// `check --format json ARGS` run in `dir`: (exit code, stdout).
fn check_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = dockcheck()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn item_02_overrides_same_for_every_path_spelling() {
    let (tmp, proj) = project();
    let icd = proj.join("icd");
    let abs = proj.to_str().unwrap().to_string();
    // the control: without the configuration the visitor has its warning
    let (_, plain) = check_in(&proj, &["--no-config", "icd", "partners"]);
    let plain = json(plain.as_bytes());
    assert!(
        common::codes(&plain).contains(&"IDSS-PASSAGE".to_string()),
        "{plain}"
    );

    let mut runs: Vec<(String, PathBuf, Vec<String>)> = vec![
        (
            "project: icd partners".into(),
            proj.clone(),
            vec!["icd".into(), "partners".into()],
        ),
        (
            "project: ./icd/kestrel.icd ./partners/".into(),
            proj.clone(),
            vec!["./icd/kestrel.icd".into(), "./partners/".into()],
        ),
        (
            "icd/: . ../partners".into(),
            icd.clone(),
            vec![".".into(), "../partners".into()],
        ),
        (
            "icd/: kestrel.icd ../partners".into(),
            icd.clone(),
            vec!["kestrel.icd".into(), "../partners".into()],
        ),
        (
            "icd/: absolute".into(),
            icd.clone(),
            vec![format!("{abs}/icd/kestrel.icd"), format!("{abs}/partners")],
        ),
        (
            "icd/: ../icd/../partners and ./kestrel.icd".into(),
            icd.clone(),
            vec!["../icd/../partners".into(), "./kestrel.icd".into()],
        ),
    ];
    #[cfg(unix)]
    {
        // the same project through a symbolic link to its directory, and a
        // link inside the project to the partners' directory
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&proj, &link).unwrap();
        std::os::unix::fs::symlink(proj.join("partners"), icd.join("them")).unwrap();
        let l = link.to_str().unwrap().to_string();
        runs.push((
            "icd/: through a linked project".into(),
            icd.clone(),
            vec![format!("{l}/icd"), format!("{l}/partners")],
        ));
        runs.push((
            "link/icd: kestrel.icd them".into(),
            link.join("icd"),
            vec!["kestrel.icd".into(), "them".into()],
        ));
    }
    let mut first: Option<(String, String)> = None;
    for (name, dir, args) in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out) = check_in(dir, &args);
        assert_eq!(code, 0, "{name}: the override applies\n{out}");
        match &first {
            None => first = Some((name.clone(), out)),
            Some((n0, o0)) => assert_eq!(&out, o0, "`{name}` and `{n0}` differ"),
        }
    }
    let (_, out) = first.unwrap();
    let doc = json(out.as_bytes());
    // paths are shown relative to the directory holding dockcheck.toml
    assert_eq!(doc["summary"]["files"], 3, "{doc}");
    assert_eq!(doc["matings"][0]["file"], "icd/kestrel.icd", "{doc}");
    assert!(common::codes(&doc).is_empty(), "{doc}");
}

#[test]
fn item_02_override_globs_match_the_shown_path() {
    // a rule level that applies to `icd/**` only: the warning under
    // partners/ stays and fails the run, from either directory
    let (_tmp, proj) = project();
    std::fs::write(
        proj.join("dockcheck.toml"),
        "fail-on = \"warning\"\n\n[[overrides]]\npaths = [\"icd/**\"]\nrules = { IDSS-PASSAGE = \"off\" }\n",
    )
    .unwrap();
    let (code_a, a) = check_in(&proj, &["icd", "partners"]);
    let (code_b, b) = check_in(&proj.join("icd"), &[".", "../partners"]);
    assert_eq!((code_a, code_b), (1, 1));
    assert_eq!(a, b);
    let doc = json(a.as_bytes());
    let d = common::find(&doc, "IDSS-PASSAGE").expect("the warning is reported");
    assert_eq!(d["file"], "partners/visitor.icd");
}

// ------------------------------------------------------------ item 5

#[test]
fn item_05_mate_a_port_with_itself_is_a_usage_error() {
    let out = dockcheck()
        .args(["mate", "hub.a", "hub.a", HUB])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no verdict is printed");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not mate with itself"), "{err}");

    // two ports of one vehicle: the same usage error, as `check` says ICD-REF
    let out = dockcheck()
        .args(["mate", "iss.ida2", "iss.ida3", "fixtures/fleet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("one vehicle `iss`"), "{err}");

    // the JSON format is no different: nothing on stdout
    let out = dockcheck()
        .args(["mate", "hub.a", "hub.a", HUB, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

// ------------------------------------------------------------ item 6

#[test]
fn item_06_counts_only_files_read() {
    let out = dockcheck().args(["check", "nosuchdir"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("0 files checked: 1 error,"), "{err}");

    let (code, doc) = check_json([KESTREL, HUB, "no/such/path"]);
    assert_eq!(code, 2);
    assert_eq!(doc["summary"]["files"], 2, "{doc}");
    assert_eq!(doc["summary"]["errors"], 1, "{doc}");
    let io = common::find(&doc, "ICD-IO").expect("the missing path is ICD-IO");
    assert_eq!(io["severity"], "error");
    assert_eq!(io["file"], "no/such/path");

    let out = dockcheck()
        .args(["check", KESTREL, HUB, "no/such/path"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 files checked: 1 error,"), "{err}");
}

// ------------------------------------------------------------ item 10

/// Jargon of JSON Schema validators that must not reach users.
const JARGON: &[&str] = &[
    "oneOf",
    "anyOf",
    "schemas listed",
    "is not valid under",
    "is not of type",
    "additionalProperties",
];

fn assert_no_jargon(text: &str) {
    for j in JARGON {
        assert!(!text.contains(j), "`{j}` in\n{text}");
    }
}

#[test]
fn item_10_config_errors_speak_toml_not_json_schema() {
    let (dir, _) = common::temp_file(
        "dockcheck.toml",
        "fail-on = \"warn\"\n[rules]\nIDSS-PASSAGE = \"warn\"\n\n[[overrides]]\npath = [\"legacy/**\"]\nrules = {}\n",
    );
    std::fs::copy(KESTREL, dir.path().join("kestrel.icd")).unwrap();
    let out = dockcheck()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_no_jargon(&text);
    let doc = json(&out.stdout);
    let diags = doc["diagnostics"].as_array().unwrap();
    let level = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("IDSS-PASSAGE"))
        .expect("the rule level is reported");
    assert!(
        level["message"]
            .as_str()
            .unwrap()
            .contains("one of `error`, `warning`, `info`, `off`"),
        "{level}"
    );
    assert_eq!(level["help"], "did you mean `warning`?");
    assert_eq!(level["span"]["start"]["line"], 3);
    let fail_on = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("fail-on"))
        .expect("fail-on is reported");
    assert!(
        fail_on["message"]
            .as_str()
            .unwrap()
            .contains("one of `error`, `warning`, `info`, `never`"),
        "{fail_on}"
    );
    assert_eq!(fail_on["help"], "did you mean `warning`?");
    let key = diags
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .contains("unknown key `path`")
        })
        .expect("the unknown key is reported");
    let message = key["message"].as_str().unwrap();
    assert!(message.contains("did you mean `paths`?"), "{message}");
    assert!(!message.contains("did you mean `path`?"), "{message}");
    assert_eq!(key["span"]["start"]["line"], 6);

    // the human report says the same
    let out = dockcheck()
        .current_dir(dir.path())
        .args(["check"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_no_jargon(&text);
    assert!(text.contains("did you mean `warning`?"), "{text}");
}

#[test]
fn item_10_spec_errors_speak_toml_not_json_schema() {
    let spec = std::fs::read_to_string("specs/idss.toml")
        .unwrap()
        .replacen("severity = \"warning\"", "severity = \"warn\"", 1)
        .replacen("summary = ", "sumary = ", 1);
    let (dir, path) = common::temp_file("mine.toml", &spec);
    let out = dockcheck()
        .current_dir(dir.path())
        .args(["rules", "--no-default-spec", "--spec"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_no_jargon(&text);
    assert!(text.contains("unknown key `sumary`"), "{text}");
    assert!(text.contains("did you mean `summary`?"), "{text}");
    assert!(text.contains("did you mean `warning`?"), "{text}");
    assert!(text.contains("`error`, `warning`, `info`"), "{text}");
}

// ------------------------------------------------------------ item 12

#[test]
fn item_12_check_reports_each_mating_verdict() {
    let out = dockcheck().args(["check", HUB, KESTREL]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("✓ mating pass: ship-pass.fwd → hub.a mates"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("matings: 1 mates, 0 fails, 0 undecided"),
        "{stderr}"
    );

    let (_, doc) = check_json([HUB, KESTREL]);
    assert_eq!(
        doc["summary"]["matings"],
        serde_json::json!({"mates": 1, "fails": 0, "undecided": 0})
    );
    assert_eq!(doc["matings"][0]["verdict"], "mates");
    assert_eq!(doc["matings"][0]["id"], "pass");

    // failing and undecided matings get their verdict line too, as in `mate`
    let (code, doc) = check_json([
        HUB,
        KESTREL,
        "fixtures/mating/mass-fail.icd",
        "fixtures/mating/undecided.icd",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        doc["summary"]["matings"],
        serde_json::json!({"mates": 1, "fails": 1, "undecided": 1})
    );
    let out = dockcheck()
        .args([
            "check",
            HUB,
            KESTREL,
            "fixtures/mating/mass-fail.icd",
            "fixtures/mating/undecided.icd",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("✗ mating mass-fail: ship-mass-fail.fwd → hub.a fails (MATE-MASS)"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("? mating undecided: ship-undecided.fwd → hub.a undecided (MATE-UNDECIDED)"),
        "{stdout}"
    );
}

// ------------------------------------------------------------ item 13

/// Every diagnostic code the binary can emit: each `"ICD-…"`, `"SPEC-…"`,
/// `"MATE-…"` or `"IDSS-…"` string literal in `src/` (outside unit tests),
/// and each rule id of the built-in specs.
fn every_code() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    fn literals(text: &str, out: &mut BTreeSet<String>) {
        for part in text.split('"').skip(1).step_by(2) {
            let code = part.split_once('-').is_some_and(|(head, tail)| {
                ["ICD", "SPEC", "MATE", "IDSS"].contains(&head)
                    && !tail.is_empty()
                    && tail
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            });
            if code {
                out.insert(part.to_string());
            }
        }
    }
    let mut files = Vec::new();
    walk(Path::new("src"), &mut files);
    let mut codes = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        // unit tests name wrong codes on purpose
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        literals(code, &mut codes);
    }
    for spec in ["specs/idss.toml", "specs/mating.toml"] {
        let text = std::fs::read_to_string(spec).unwrap();
        let mut in_rule = false;
        for line in text.lines() {
            if line.starts_with('[') {
                in_rule = line.trim() == "[[rules]]";
            } else if in_rule && let Some(v) = line.strip_prefix("id = ") {
                codes.insert(v.trim_matches('"').to_string());
            }
        }
    }
    codes
}

#[test]
fn item_13_explain_knows_every_code() {
    let codes = every_code();
    // the enumeration itself finds each kind of code
    for must in [
        "ICD-SYNTAX",
        "ICD-IO",
        "ICD-SYSTEM",
        "SPEC-SCHEMA",
        "SPEC-INVALID",
        "MATE-UNDECIDED",
        "MATE-MASS",
        "IDSS-PASSAGE",
    ] {
        assert!(codes.contains(must), "{must} not found in {codes:?}");
    }
    for code in &codes {
        let out = dockcheck()
            .args(["explain", code, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "explain {code}");
        let doc = json(&out.stdout);
        assert_eq!(doc["code"], code.as_str());
        assert!(
            ["error", "warning", "info"].contains(&doc["severity"].as_str().unwrap_or("")),
            "{doc}"
        );
        assert!(!doc["summary"].as_str().unwrap_or("").is_empty(), "{doc}");
        let human = dockcheck().args(["explain", code]).output().unwrap();
        assert_eq!(human.status.code(), Some(0), "explain {code}");
        assert!(String::from_utf8_lossy(&human.stdout).starts_with(code.as_str()));
    }
}

#[test]
fn item_13_explain_json_has_the_whole_entry() {
    let out = dockcheck()
        .args(["explain", "ICD-SYSTEM", "--format", "json"])
        .output()
        .unwrap();
    let doc = json(&out.stdout);
    assert_eq!(doc["severity"], "warning");
    assert_eq!(doc["kind"], "language");
    let text = doc["explanation"].as_str().unwrap();
    assert!(
        text.contains("pass silently") && text.contains("dockcheck rules"),
        "{text}"
    );

    let out = dockcheck()
        .args(["explain", "IDSS-PASSAGE", "--format", "json"])
        .output()
        .unwrap();
    let doc = json(&out.stdout);
    assert_eq!(doc["kind"], "rule");
    assert_eq!(doc["spec_file"], "specs/idss.toml");
    assert!(!doc["examples"].as_array().unwrap().is_empty());
    assert!(doc["rationale"].as_str().is_some_and(|r| !r.is_empty()));

    // an unknown code is still a usage error with a suggestion
    let out = dockcheck()
        .args(["explain", "SPEC-SCHEME", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`SPEC-SCHEMA`"));
}
