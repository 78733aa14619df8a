//! Issue 8: the CI gate. Output formats, waivers, baselines, determinism and
//! the command-line conventions, each driven through the real binary.

mod common;

use common::{dockcheck, json};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary in `dir`: (exit code, stdout, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = dockcheck().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run(args: &[&str]) -> (i32, String, String) {
    run_in(&root(), args)
}

fn diags(doc: &Value) -> &Vec<Value> {
    doc["diagnostics"].as_array().unwrap()
}

fn line(d: &Value) -> u64 {
    d["span"]["start"]["line"].as_u64().unwrap()
}

/// (code, line, waiver id) of each diagnostic of `file`.
fn seen(doc: &Value, file: &str) -> Vec<(String, u64, Option<String>)> {
    diags(doc)
        .iter()
        .filter(|d| d["file"].as_str().unwrap().ends_with(file))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                line(d),
                d["waived"]["id"].as_str().map(String::from),
            )
        })
        .collect()
}

fn s(code: &str, line: u64, waiver: Option<&str>) -> (String, u64, Option<String>) {
    (code.to_string(), line, waiver.map(String::from))
}

/// A copy of `fixtures/ci/repo` in a temporary directory.
fn repo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("repo");
    copy_dir(&root().join("fixtures/ci/repo"), &dst);
    (tmp, dst)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

// ---- waivers

#[test]
fn inline_waiver_scope_is_its_line_or_the_next_code_line() {
    let (rc, out, _) = run(&["check", "--format", "json", "fixtures/ci/waivers.icd"]);
    let doc = json(out.as_bytes());
    assert_eq!(rc, 1, "port aft is not waived");
    assert_eq!(
        seen(&doc, "waivers.icd"),
        vec![
            s("IDSS-PASSAGE", 14, Some("W-1001")),
            s("IDSS-PASSAGE", 25, None),
            s("IDSS-PASSAGE", 36, Some("W-1002")),
        ]
    );
    let w = &diags(&doc)[0]["waived"];
    assert_eq!(
        w,
        &serde_json::json!({"id": "W-1001", "reason": "flight-proven 790 mm hatch, board decision 2026-03", "source": "inline"})
    );
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["waived"], 2);
}

#[test]
fn malformed_unused_and_expired_waivers() {
    let (rc, out, _) = run(&["check", "--format", "json", "fixtures/ci/bad-waivers.icd"]);
    let doc = json(out.as_bytes());
    assert_eq!(rc, 1);
    assert_eq!(
        seen(&doc, "bad-waivers.icd"),
        vec![
            // no reason: an error, and the finding below stays
            s("ICD-WAIVER", 10, None),
            s("IDSS-PASSAGE", 11, None),
            // the finding was fixed
            s("ICD-WAIVER-UNUSED", 22, None),
            // expired: waives nothing, and is not also unused
            s("ICD-WAIVER-EXPIRED", 34, None),
            s("IDSS-PASSAGE", 35, None),
            // a typo in the rule never waives silently
            s("ICD-WAIVER", 46, None),
            s("IDSS-PASSAGE", 47, None),
        ]
    );
    let typo = diags(&doc).iter().find(|d| line(d) == 46).unwrap();
    assert!(
        typo["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `IDSS-PASSAGE`"),
        "{typo}"
    );
    for d in diags(&doc) {
        let sev = d["severity"].as_str().unwrap();
        match d["code"].as_str().unwrap() {
            "ICD-WAIVER" => assert_eq!(sev, "error"),
            "ICD-WAIVER-UNUSED" | "ICD-WAIVER-EXPIRED" => assert_eq!(sev, "warning"),
            _ => {}
        }
    }
}

#[test]
fn an_expiry_date_is_compared_with_today() {
    // the same waiver before and after its date
    let (_d, p) = common::temp_file(
        "m.icd",
        "vehicle m {\n  name = \"M\"\n  port p {\n    docking {\n      system = \"IDSS\"; standard = \"IDSS IDD\"; revision = \"E\"; role = passive\n      passageway = 790 mm   # waiver: IDSS-PASSAGE W-9 \"temporary\" expires=2027-06-30\n      hooks = 12; guide_petals = 3\n    }\n  }\n}\n",
    );
    let at = |today: &str| {
        let out = dockcheck()
            .env("DOCKCHECK_TODAY", today)
            .args(["check", "--format", "json"])
            .arg(&p)
            .output()
            .unwrap();
        (out.status.code(), common::codes(&json(&out.stdout)))
    };
    assert_eq!(
        at("2027-06-30"),
        (Some(0), vec!["IDSS-PASSAGE".to_string()])
    );
    assert_eq!(
        at("2027-07-01"),
        (
            Some(1),
            vec!["IDSS-PASSAGE".to_string(), "ICD-WAIVER-EXPIRED".to_string()]
        )
    );
}

#[test]
fn waivers_toml_at_the_project_root_waives_by_path_and_ref() {
    let (_t, dir) = repo();
    let (rc, out, _) = run_in(&dir, &["check", "--format", "json", "modules"]);
    let doc = json(out.as_bytes());
    assert_eq!(rc, 1, "{out}");
    assert_eq!(
        seen(&doc, ".icd"),
        vec![
            s("IDSS-PASSAGE", 9, Some("W-3002")),
            s("IDSS-PASSAGE", 20, None),
            s("IDSS-PASSAGE", 9, Some("W-3001")),
        ]
    );
    assert_eq!(
        seen(&doc, "waivers.toml"),
        vec![s("ICD-WAIVER-UNUSED", 15, None), s("ICD-WAIVER", 21, None)]
    );
    let sources: Vec<&str> = diags(&doc)
        .iter()
        .filter_map(|d| d["waived"]["source"].as_str())
        .collect();
    assert_eq!(sources, ["waivers.toml", "waivers.toml"]);
}

#[test]
fn waivers_flag_reads_another_file_and_names_it() {
    let (_t, dir) = repo();
    std::fs::create_dir(dir.join("ci")).unwrap();
    std::fs::rename(dir.join("waivers.toml"), dir.join("ci/deviations.toml")).unwrap();
    let (_, out, _) = run_in(&dir, &["check", "--format", "json", "modules"]);
    let none = json(out.as_bytes());
    assert!(diags(&none).iter().all(|d| d["waived"].is_null()));
    let (_, out, _) = run_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "--waivers",
            "ci/deviations.toml",
            "modules",
        ],
    );
    let doc = json(out.as_bytes());
    let sources: Vec<&str> = diags(&doc)
        .iter()
        .filter_map(|d| d["waived"]["source"].as_str())
        .collect();
    assert_eq!(sources, ["ci/deviations.toml", "ci/deviations.toml"]);
    let (rc, _, err) = run_in(&dir, &["check", "--waivers", "ci/nosuch.toml", "modules"]);
    assert_eq!(rc, 2, "{err}");
}

#[test]
fn a_waiver_of_an_unchecked_file_or_unselected_rule_is_not_unused() {
    let (_t, dir) = repo();
    // only hub.icd: W-3001 (legacy-*) names no checked file
    let (_, out, _) = run_in(&dir, &["check", "--format", "json", "modules/hub.icd"]);
    let doc = json(out.as_bytes());
    let unused: Vec<u64> = diags(&doc)
        .iter()
        .filter(|d| d["code"] == "ICD-WAIVER-UNUSED")
        .map(line)
        .collect();
    assert_eq!(unused, [15], "only W-3003 (modules/*.icd, IDSS-HOOKS)");
    // --select IDSS-PASSAGE: the IDSS-HOOKS waiver is not called unused
    let (_, out, _) = run_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "--select",
            "IDSS-PASSAGE,ICD-WAIVER",
            "modules",
        ],
    );
    let doc = json(out.as_bytes());
    assert!(common::find(&doc, "ICD-WAIVER-UNUSED").is_none(), "{doc:#}");
}

#[test]
fn a_waiver_cannot_waive_a_waiver_code() {
    let (_d, p) = common::temp_file(
        "m.icd",
        "vehicle m {\n  name = \"M\"   # waiver: ICD-WAIVER-UNUSED W-1 \"quiet\"\n}\n",
    );
    let (_, doc) = common::check_json([&p]);
    assert_eq!(common::codes(&doc), ["ICD-WAIVER"]);
    assert!(
        diags(&doc)[0]["message"]
            .as_str()
            .unwrap()
            .contains("cannot be waived")
    );
}

// ---- baseline

#[test]
fn baseline_hides_known_findings_moved_or_not_and_flags_stale_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let port = |id: &str, passage: &str| {
        format!(
            "  port {id} {{\n    docking {{\n      system = \"IDSS\"; standard = \"IDSS IDD\"; revision = \"E\"; role = passive\n      passageway = {passage}\n      hooks = 12; guide_petals = 3\n    }}\n  }}\n"
        )
    };
    let file = |ports: &[(&str, &str)], above: &str| {
        let body: String = ports.iter().map(|(i, p)| port(i, p)).collect();
        format!("{above}vehicle legacy {{\n  name = \"Legacy\"\n{body}}}\n")
    };
    let m = tmp.path().join("m.icd");
    std::fs::write(&m, file(&[("a", "790 mm"), ("b", "790 mm")], "")).unwrap();
    let (rc, _, err) = run_in(
        tmp.path(),
        &["check", "--write-baseline", "base.json", "m.icd"],
    );
    assert_eq!(rc, 0, "{err}");
    let b = json(&std::fs::read(tmp.path().join("base.json")).unwrap());
    assert_eq!(b["version"], 1);
    assert_eq!(b["findings"].as_array().unwrap().len(), 2);
    assert_eq!(b["findings"][0]["path"], "legacy.a.docking.passageway");

    // moved down by three lines: still hidden
    std::fs::write(
        &m,
        file(&[("a", "790 mm"), ("b", "790 mm")], "# a\n# b\n\n"),
    )
    .unwrap();
    let (rc, out, _) = run_in(
        tmp.path(),
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "base.json",
            "m.icd",
        ],
    );
    assert_eq!(rc, 0, "{out}");
    assert!(diags(&json(out.as_bytes())).is_empty(), "{out}");

    // a fixed, b kept, c new
    std::fs::write(
        &m,
        file(
            &[("a", "800 mm"), ("b", "790 mm"), ("c", "790 mm")],
            "# a\n# b\n\n",
        ),
    )
    .unwrap();
    let (rc, out, _) = run_in(
        tmp.path(),
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "base.json",
            "m.icd",
        ],
    );
    let doc = json(out.as_bytes());
    assert_eq!(rc, 1);
    let got: Vec<(String, String)> = diags(&doc)
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().into(),
                d["file"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("ICD-BASELINE-STALE".to_string(), "base.json".to_string()),
            ("IDSS-PASSAGE".to_string(), "m.icd".to_string()),
        ]
    );
    let new = &diags(&doc)[1];
    assert_eq!(line(new), 3 + 2 + 7 * 2 + 4, "port c's passageway");
    assert_eq!(diags(&doc)[0]["severity"], "warning");

    // not a baseline: exit 2
    std::fs::write(tmp.path().join("junk.json"), "{\"findings\": 3}").unwrap();
    let (rc, out, _) = run_in(
        tmp.path(),
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "junk.json",
            "m.icd",
        ],
    );
    assert_eq!(rc, 2);
    assert_eq!(common::codes(&json(out.as_bytes())), ["SPEC-BASELINE"]);
}

// ---- command-line conventions

#[test]
fn quiet_prints_findings_only() {
    let (_, out, err) = run(&["check", "--quiet", "fixtures/mating"]);
    let (_, loud_out, loud_err) = run(&["check", "fixtures/mating"]);
    assert!(loud_err.contains("files checked"), "{loud_err}");
    assert!(
        loud_out.contains("mating "),
        "verdict lines without --quiet"
    );
    assert!(!err.contains("checked"), "{err}");
    assert!(
        !out.contains("✓ mating") && !out.contains("✗ mating"),
        "{out}"
    );
    assert!(out.contains("MATE-"), "findings stay: {out}");
}

#[test]
fn stdin_with_stdin_filename_resolves_config_and_overrides_from_it() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("legacy")).unwrap();
    std::fs::write(
        tmp.path().join("dockcheck.toml"),
        "[[overrides]]\npaths = [\"legacy/**\"]\nrules = { IDSS-PASSAGE = \"warning\" }\n",
    )
    .unwrap();
    let text =
        std::fs::read_to_string(root().join("fixtures/ci/repo/modules/legacy-ring.icd")).unwrap();
    let with_name = |name: &str| {
        let out = dockcheck()
            .current_dir(root())
            .args(["check", "--format", "json", "--stdin-filename"])
            .arg(tmp.path().join(name))
            .arg("-")
            .write_stdin(text.clone())
            .output()
            .unwrap();
        (out.status.code(), json(&out.stdout))
    };
    let (rc, doc) = with_name("legacy/ring.icd");
    assert_eq!(rc, Some(0), "{doc:#}");
    assert_eq!(diags(&doc)[0]["file"], "legacy/ring.icd");
    assert_eq!(diags(&doc)[0]["severity"], "warning");
    let (rc, doc) = with_name("new/ring.icd");
    assert_eq!(rc, Some(1));
    assert_eq!(diags(&doc)[0]["severity"], "error");
    assert_eq!(doc["summary"]["files"], 1);
    // without a name the input is `-`
    let out = dockcheck()
        .args(["check", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(diags(&json(&out.stdout))[0]["file"], "-");
}

#[test]
fn select_ignore_and_rule_on_the_command_line() {
    let f = "fixtures/ci/bad-waivers.icd";
    let codes_of = |args: &[&str]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        all.push(f);
        let (rc, out, _) = run(&all);
        (rc, common::codes(&json(out.as_bytes())))
    };
    let (_, all) = codes_of(&[]);
    assert!(all.contains(&"IDSS-PASSAGE".to_string()));
    let (_, sel) = codes_of(&["--select", "ICD-WAIVER-"]);
    assert!(sel.iter().all(|c| c.starts_with("ICD-WAIVER")), "{sel:?}");
    let (_, ign) = codes_of(&["--ignore", "IDSS"]);
    assert!(!ign.iter().any(|c| c.starts_with("IDSS-")), "{ign:?}");
    assert!(
        ign.contains(&"ICD-WAIVER".to_string()),
        "language errors stay"
    );
    let (rc, _) = codes_of(&[
        "--rule",
        "IDSS-PASSAGE=warning",
        "--ignore",
        "ICD-WAIVER-UNUSED",
    ]);
    // ICD-WAIVER errors remain: exit 1, but IDSS-PASSAGE is a warning now
    let (_, out, _) = run(&[
        "check",
        "--format",
        "json",
        "--rule",
        "IDSS-PASSAGE=warning",
        f,
    ]);
    let doc = json(out.as_bytes());
    assert!(
        diags(&doc)
            .iter()
            .filter(|d| d["code"] == "IDSS-PASSAGE")
            .all(|d| d["severity"] == "warning")
    );
    assert_eq!(rc, 1);
    let (rc, _) = codes_of(&["--rule", "IDSS-PASSAGE=off"]);
    assert_eq!(rc, 1, "the malformed waivers are still errors");
    // typos are usage errors, never a silent switch-off
    for bad in [
        &["--select", "IDSS-PASAGE"][..],
        &["--ignore", "NOPE"],
        &["--rule", "IDSS-PASAGE=off"],
        &["--rule", "IDSS-PASSAGE=warn"],
        &["--rule", "IDSS-PASSAGE"],
    ] {
        let (rc, codes) = codes_of(bad);
        assert_eq!((rc, codes), (2, vec!["SPEC-FLAG".to_string()]), "{bad:?}");
    }
    let (_, out, _) = run(&[
        "check",
        "--format",
        "json",
        "--rule",
        "IDSS-PASSAGE=warn",
        f,
    ]);
    assert!(out.contains("did you mean `warning`"), "{out}");
}

#[test]
fn verbose_names_the_configuration_and_specs_on_stderr() {
    let (_t, dir) = repo();
    std::fs::write(dir.join("dockcheck.toml"), "fail-on = \"error\"\n").unwrap();
    let (_, out, err) = run_in(&dir, &["check", "--verbose", "--format", "json", "modules"]);
    assert!(err.contains("configuration dockcheck.toml"), "{err}");
    assert!(err.contains("spec specs/idss.toml"), "{err}");
    json(out.as_bytes()); // stdout stays JSON
    let (_, _, quiet) = run_in(&dir, &["check", "--format", "json", "modules"]);
    assert!(!quiet.contains("configuration"), "{quiet}");
}

#[test]
fn setup_errors_come_out_in_the_format_asked_for() {
    let (_d, spec) = common::temp_file("broken.toml", "[standard\n");
    let spec = spec.to_str().unwrap();
    for args in [
        &["rules", "--format", "json", "--spec", spec][..],
        &[
            "matrix",
            "fixtures/fleet",
            "--format",
            "json",
            "--spec",
            spec,
        ],
        &[
            "explain",
            "IDSS-PASSAGE",
            "--format",
            "json",
            "--spec",
            spec,
        ],
    ] {
        let (rc, out, _) = run(args);
        assert_eq!(rc, 2, "{args:?}");
        let doc = json(out.as_bytes());
        assert_eq!(doc["version"], 1, "{args:?}");
        assert!(
            doc["error"].as_str().unwrap().starts_with("setup failed"),
            "{doc:#}"
        );
        assert_eq!(doc["diagnostics"][0]["code"], "SPEC-SYNTAX", "{args:?}");
    }
    let (rc, out, _) = run(&[
        "check",
        "fixtures/fleet",
        "--format",
        "json",
        "--spec",
        spec,
    ]);
    assert_eq!(rc, 2);
    assert_eq!(common::codes(&json(out.as_bytes())), ["SPEC-SYNTAX"]);
    let (rc, out, _) = run(&[
        "check",
        "fixtures/fleet",
        "--format",
        "sarif",
        "--spec",
        spec,
    ]);
    assert_eq!(rc, 2);
    let sarif = json(out.as_bytes());
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "SPEC-SYNTAX");
    let (rc, out, _) = run(&[
        "check",
        "fixtures/fleet",
        "--format",
        "short",
        "--spec",
        spec,
    ]);
    assert_eq!(rc, 2);
    assert!(out.contains("error[SPEC-SYNTAX]"), "{out}");
}

#[test]
fn output_flags_write_exactly_what_format_prints() {
    let tmp = tempfile::tempdir().unwrap();
    let sarif = tmp.path().join("r.sarif");
    let junit = tmp.path().join("r.xml");
    let out = dockcheck()
        .current_dir(root())
        .args([
            "check",
            "fixtures/fleet",
            "fixtures/ci",
            "--format",
            "human",
            "--output",
        ])
        .arg(format!("sarif={}", sarif.display()))
        .arg("-o")
        .arg(format!("junit={}", junit.display()))
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("IDSS-PASSAGE"), "{human}");
    for (fmt, path) in [("sarif", &sarif), ("junit", &junit)] {
        let (_, want, _) = run(&["check", "fixtures/fleet", "fixtures/ci", "--format", fmt]);
        assert_eq!(std::fs::read_to_string(path).unwrap(), want, "{fmt}");
    }
    let (rc, out, _) = run(&[
        "check",
        "fixtures/fleet",
        "--format",
        "json",
        "--output",
        "sarf=x",
    ]);
    assert_eq!(rc, 2);
    assert!(out.contains("did you mean `sarif`"), "{out}");
}

#[test]
fn statistics_count_per_code() {
    let (_, out, err) = run(&["check", "--format", "json", "--statistics", "fixtures/ci"]);
    let doc = json(out.as_bytes());
    let mut want: std::collections::BTreeMap<String, usize> = Default::default();
    for c in common::codes(&doc) {
        *want.entry(c).or_default() += 1;
    }
    let got: std::collections::BTreeMap<String, usize> = err
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let n = it.next()?.parse().ok()?;
            Some((it.next()?.to_string(), n))
        })
        .collect();
    assert_eq!(got, want);
    let (_, out, _) = run(&["check", "--format", "short", "--statistics", "fixtures/ci"]);
    assert!(
        out.lines()
            .any(|l| l.trim() == format!("{}  IDSS-PASSAGE", want["IDSS-PASSAGE"])),
        "{out}"
    );
}

#[test]
fn fail_on_sets_the_exit_code() {
    let f = "fixtures/ci/bad-waivers.icd";
    assert_eq!(run(&["check", f]).0, 1);
    assert_eq!(run(&["check", "--fail-on", "never", f]).0, 0);
    // port aft's finding, lowered: the waived ones never count
    let w = "fixtures/ci/waivers.icd";
    let at = |level: &str, fail_on: &str| {
        run(&[
            "check",
            "--rule",
            &format!("IDSS-PASSAGE={level}"),
            "--fail-on",
            fail_on,
            w,
        ])
        .0
    };
    assert_eq!(run(&["check", "--rule", "IDSS-PASSAGE=warning", w]).0, 0);
    assert_eq!(at("warning", "warning"), 1);
    assert_eq!(at("info", "warning"), 0);
    assert_eq!(at("info", "info"), 1);
    assert_eq!(at("error", "never"), 0);
    // dockcheck.toml's fail-on, overridden by the flag
    let (_t, dir) = repo();
    std::fs::write(dir.join("dockcheck.toml"), "fail-on = \"never\"\n").unwrap();
    assert_eq!(run_in(&dir, &["check", "modules"]).0, 0);
    assert_eq!(
        run_in(&dir, &["check", "--fail-on", "error", "modules"]).0,
        1
    );
}

// ---- determinism and the formats

const FORMATS: &[&str] = &[
    "human", "short", "json", "sarif", "github", "junit", "rdjson",
];

#[test]
fn same_bytes_for_any_thread_count_and_path_order() {
    let targets = [
        "fixtures/ci",
        "fixtures/fleet",
        "fixtures/invalid",
        "fixtures/mating",
    ];
    let mut reversed = targets;
    reversed.reverse();
    for fmt in FORMATS {
        let mut a = vec!["check", "--format", fmt, "--threads", "1"];
        a.extend(targets);
        let mut b = vec!["check", "--format", fmt, "--threads", "4"];
        b.extend(reversed);
        let (ra, oa, _) = run(&a);
        let (rb, ob, _) = run(&b);
        assert_eq!(ra, rb, "{fmt}");
        assert!(!oa.trim().is_empty(), "{fmt} printed nothing");
        assert!(
            oa == ob,
            "{fmt} differs between --threads 1 and 4 with reversed paths"
        );
    }
}

#[test]
fn every_format_lists_a_waived_finding_as_waived() {
    let f = "fixtures/ci/waivers.icd";
    for fmt in FORMATS {
        let (_, out, _) = run(&["check", "--format", fmt, f]);
        assert!(out.contains("W-1001"), "{fmt}: {out}");
    }
    let (_, gh, _) = run(&["check", "--format", "github", f]);
    let w = gh.lines().find(|l| l.contains("W-1001")).unwrap();
    assert!(w.starts_with("::notice "), "{w}");
}

/// The SARIF schema: from ../shared when present, else the vendored copy.
fn sarif_schema() -> Value {
    let shared = root().join("../shared/schemas/sarif-schema-2.1.0.json");
    let path = if shared.is_file() {
        shared
    } else {
        root().join("tests/data/sarif-schema-2.1.0.json")
    };
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn sarif_of_the_fleet_and_invalid_fixtures_is_valid_and_github_ready() {
    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let (rc, out, _) = run(&[
        "check",
        "--format",
        "sarif",
        "fixtures/fleet",
        "fixtures/invalid",
        "fixtures/ci",
    ]);
    let (rc_json, json_out, _) = run(&[
        "check",
        "--format",
        "json",
        "fixtures/fleet",
        "fixtures/invalid",
        "fixtures/ci",
    ]);
    assert_eq!(rc, rc_json);
    let doc = json(out.as_bytes());
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(doc["version"], "2.1.0");
    let driver = &doc["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "dockcheck");
    assert!(driver["version"].is_string());
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let rules = driver["rules"].as_array().unwrap();
    for r in rules {
        for k in ["shortDescription", "fullDescription", "help"] {
            assert!(!r[k]["text"].as_str().unwrap().is_empty(), "{r}");
        }
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
        assert!(!r["properties"]["tags"].as_array().unwrap().is_empty());
    }
    let passage = rules.iter().find(|r| r["id"] == "IDSS-PASSAGE").unwrap();
    assert!(
        passage["help"]["text"]
            .as_str()
            .unwrap()
            .contains("reference"),
        "{passage}"
    );
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), diags(&json(json_out.as_bytes())).len());
    let mut prints = std::collections::BTreeSet::new();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            !uri.contains("://") && !uri.starts_with('/') && root().join(uri).is_file(),
            "{uri}"
        );
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
        prints.insert(r["partialFingerprints"].to_string());
    }
    assert_eq!(prints.len(), results.len(), "one fingerprint per finding");
    let waived = results
        .iter()
        .find(|r| r["message"]["text"].as_str().unwrap().contains("780 mm"))
        .unwrap();
    assert_eq!(
        waived["suppressions"][0]["justification"],
        "same-line waiver"
    );
    // a mate finding points into the partner's file
    let mate = results
        .iter()
        .find(|r| {
            r["ruleId"].as_str().unwrap().starts_with("MATE-") && r["relatedLocations"].is_array()
        })
        .expect("a mate finding with related locations");
    let here = &mate["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert!(
        mate["relatedLocations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| &l["physicalLocation"]["artifactLocation"]["uri"] != here)
    );
}

#[test]
fn columns_count_characters_utf16_units_or_bytes_by_format() {
    let (_d, p) = common::temp_file(
        "rocket.icd",
        "vehicle v {\n  name = \"🚀🚀\"; colour = \"red\"\n}\n",
    );
    let p = p.to_str().unwrap();
    let col = |fmt: &str| -> u64 {
        let (_, out, _) = run(&["check", "--format", fmt, p]);
        match fmt {
            "json" => json(out.as_bytes())["diagnostics"][0]["span"]["start"]["column"].as_u64().unwrap(),
            "sarif" => json(out.as_bytes())["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"].as_u64().unwrap(),
            "rdjson" => json(out.as_bytes())["diagnostics"][0]["location"]["range"]["start"]["column"].as_u64().unwrap(),
            "short" => out.split(':').nth(2).unwrap().parse().unwrap(),
            _ => unreachable!(),
        }
    };
    assert_eq!(
        [col("json"), col("short"), col("sarif"), col("rdjson")],
        [16, 16, 18, 22]
    );
}

#[test]
fn github_shows_at_most_ten_per_level_and_counts_the_rest() {
    // 12 errors and 12 waived findings
    let port = |i: usize, waived: bool| {
        let w = if waived {
            format!("   # waiver: IDSS-PASSAGE W-{i} \"ok\"")
        } else {
            String::new()
        };
        format!(
            "  port p{i} {{\n    docking {{\n      system = \"IDSS\"; standard = \"IDSS IDD\"; revision = \"E\"; role = passive\n      passageway = 790 mm{w}\n      hooks = 12; guide_petals = 3\n    }}\n  }}\n"
        )
    };
    let body: String = (0..24).map(|i| port(i, i % 2 == 1)).collect();
    let (d, p) = common::temp_file(
        "crowded.icd",
        &format!("vehicle crowded {{\n  name = \"C\"\n{body}}}\n"),
    );
    let summary = d.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = dockcheck()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--format", "github"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let count = |lvl: &str| {
        lines
            .iter()
            .filter(|l| l.starts_with(&format!("::{lvl} ")))
            .count()
    };
    assert_eq!(count("error"), 10);
    assert!(
        lines.iter().all(|l| l.starts_with("::error ")
            || l.starts_with("::notice ")
            || l.starts_with("::notice::")),
        "{text}"
    );
    let located_notices = count("notice");
    let overflow: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("::notice::"))
        .collect();
    assert_eq!(overflow.len(), 1, "{text}");
    assert!(located_notices + overflow.len() <= 10);
    let hidden = 24 - 10 - located_notices;
    assert!(
        overflow[0].contains(&format!("{hidden} more")),
        "{}",
        overflow[0]
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::notice ") && l.contains("waived"))
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("earlier step\n") && md.contains("IDSS-PASSAGE") && !md.contains("::"),
        "{md}"
    );
}

#[test]
fn junit_has_a_suite_per_file_and_failures_follow_fail_on() {
    let (_, out, _) = run(&["check", "--format", "json", "fixtures/fleet", "fixtures/ci"]);
    let doc = json(out.as_bytes());
    let files = doc["summary"]["files"].as_u64().unwrap() as usize;
    let errors = doc["summary"]["errors"].as_u64().unwrap() as usize;
    let warnings = doc["summary"]["warnings"].as_u64().unwrap() as usize;
    let xml = |args: &[&str]| {
        let mut a = vec!["check", "--format", "junit"];
        a.extend_from_slice(args);
        a.extend(["fixtures/fleet", "fixtures/ci"]);
        run(&a).1
    };
    let count = |x: &str, tag: &str| {
        x.matches(&format!("<{tag} ")).count()
            + x.matches(&format!("<{tag}>")).count()
            + x.matches(&format!("<{tag}/>")).count()
    };
    let default = xml(&[]);
    assert!(default.contains("<testsuites"));
    assert_eq!(count(&default, "testsuite"), files);
    assert_eq!(count(&default, "failure"), errors);
    assert_eq!(
        count(&default, "skipped"),
        doc["summary"]["waived"].as_u64().unwrap() as usize
    );
    assert!(default.contains("name=\"language\""));
    assert!(default.contains("name=\"IDSS-PASSAGE\""));
    let strict = xml(&["--fail-on", "warning"]);
    assert_eq!(count(&strict, "failure"), errors + warnings);
}

#[test]
fn mate_speaks_every_format_too() {
    for fmt in FORMATS {
        let (rc, out, _) = run(&[
            "mate",
            "starliner.forward",
            "crew-dragon.forward",
            "fixtures/fleet",
            "--format",
            fmt,
        ]);
        assert_eq!(rc, 1, "{fmt}");
        assert!(out.contains("MATE-ROLE"), "{fmt}: {out}");
    }
}

#[test]
fn man_pages_and_the_pre_commit_hook_are_real() {
    let (rc, out, _) = run(&["man"]);
    assert_eq!(rc, 0);
    assert!(
        out.contains(".TH dockcheck 1"),
        "{}",
        &out[..200.min(out.len())]
    );
    assert!(out.contains("completions"), "the page lists the commands");
    let (rc, out, _) = run(&["man", "check"]);
    assert_eq!(rc, 0);
    assert!(
        out.contains(".TH dockcheck-check 1") && out.contains("stdin\\-filename"),
        "{}",
        &out[..300.min(out.len())]
    );
    let (rc, _, err) = run(&["man", "chek"]);
    assert_eq!(rc, 2);
    assert!(err.contains("did you mean `check`"), "{err}");
    // the hook's entry is a command line that works on a file
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .unwrap();
    let words: Vec<&str> = entry.split_whitespace().collect();
    assert_eq!(words[0], "dockcheck");
    let mut args = words[1..].to_vec();
    args.push("fixtures/ci/waivers.icd");
    let (rc, out, _) = run(&args);
    assert_eq!(rc, 1);
    assert!(out.lines().all(|l| l.contains("[IDSS-PASSAGE]")), "{out}");
}

#[test]
fn waivers_toml_gives_the_same_answer_from_any_directory() {
    let (t, dir) = repo();
    let inside = run_in(&dir, &["check", "--format", "json", "modules"]);
    let above = run_in(t.path(), &["check", "--format", "json", "repo/modules"]);
    let below = run_in(&dir.join("modules"), &["check", "--format", "json", "."]);
    let abs = dir.join("modules");
    let absolute = run_in(
        Path::new("/"),
        &["check", "--format", "json", abs.to_str().unwrap()],
    );
    assert!(inside.1.contains("W-3001"), "{}", inside.1);
    for other in [&above, &below, &absolute] {
        assert_eq!((other.0, &other.1), (inside.0, &inside.1));
    }
}

#[test]
fn following_the_waiver_and_baseline_helps_gives_a_clean_run() {
    // ICD-WAIVER's help: `# waiver: RULE ID "reason"`
    let (_d, p) = common::temp_file(
        "m.icd",
        "vehicle m {\n  name = \"M\"\n  port p {\n    docking {\n      system = \"IDSS\"; standard = \"IDSS IDD\"; revision = \"E\"; role = passive\n      # waiver: IDSS-PASSAGE W-7\n      passageway = 790 mm\n      hooks = 12; guide_petals = 3\n    }\n  }\n}\n",
    );
    let (rc, doc) = common::check_json([&p]);
    assert_eq!(rc, 1);
    let help = common::find(&doc, "ICD-WAIVER").unwrap()["help"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(help.contains("# waiver: RULE ID \"reason\""), "{help}");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace(
            "# waiver: IDSS-PASSAGE W-7",
            "# waiver: IDSS-PASSAGE W-7 \"board decision 2026-03\"",
        ),
    )
    .unwrap();
    let (rc, doc) = common::check_json([&p]);
    assert_eq!(
        (
            rc,
            doc["summary"]["errors"].as_u64(),
            doc["summary"]["waived"].as_u64()
        ),
        (0, Some(0), Some(1)),
        "{doc:#}"
    );

    // ICD-BASELINE-STALE's help: write the baseline again
    let dir = p.parent().unwrap();
    assert_eq!(
        run_in(
            dir,
            &[
                "check",
                "--rule",
                "IDSS-PASSAGE=off",
                "--rule",
                "IDSS-HOOKS=warning",
                "--write-baseline",
                "b.json",
                "m.icd"
            ]
        )
        .0,
        0
    );
    std::fs::write(&p, text.replace("hooks = 12", "hooks = 8")).unwrap();
    assert_eq!(
        run_in(dir, &["check", "--write-baseline", "b.json", "m.icd"]).0,
        0
    );
    std::fs::write(
        &p,
        text.replace("# waiver: IDSS-PASSAGE W-7\n", "")
            .replace("790 mm", "800 mm"),
    )
    .unwrap();
    let (_, out, _) = run_in(
        dir,
        &["check", "--format", "json", "--baseline", "b.json", "m.icd"],
    );
    let doc = json(out.as_bytes());
    let stale = common::find(&doc, "ICD-BASELINE-STALE").unwrap();
    assert!(
        stale["help"].as_str().unwrap().contains("--write-baseline"),
        "{stale}"
    );
    assert_eq!(
        run_in(dir, &["check", "--write-baseline", "b.json", "m.icd"]).0,
        0
    );
    let (rc, out, _) = run_in(
        dir,
        &["check", "--format", "json", "--baseline", "b.json", "m.icd"],
    );
    assert_eq!(rc, 0);
    assert!(diags(&json(out.as_bytes())).is_empty(), "{out}");
}
