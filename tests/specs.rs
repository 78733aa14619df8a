//! The built-in specs: their examples, their schema, and how broken specs
//! are refused.

use dockcheck::spec::{Outcome, RuleSet};
use dockcheck::workspace::SourceMap;

mod common;
use common::*;

fn builtin() -> RuleSet {
    let mut sources = SourceMap::default();
    match RuleSet::load(&mut sources, true, &[]) {
        Ok(set) => set,
        Err(d) => panic!("built-in specs do not load: {d:?}"),
    }
}

#[test]
fn every_builtin_rule_has_a_passing_and_a_failing_example() {
    let set = builtin();
    assert!(
        set.rules.len() >= 5,
        "expected the five IDSS rules at least"
    );
    for r in &set.rules {
        let pass = r
            .rule
            .examples
            .iter()
            .filter(|e| e.outcome == Outcome::Pass)
            .count();
        let fail = r
            .rule
            .examples
            .iter()
            .filter(|e| e.outcome == Outcome::Fail)
            .count();
        assert!(
            pass >= 1 && fail >= 1,
            "{} has {pass} passing and {fail} failing examples",
            r.rule.id
        );
    }
}

#[test]
fn every_builtin_example_behaves_as_declared() {
    let set = builtin();
    let results = dockcheck::check::examples::run_all(&set);
    assert!(results.len() >= 10);
    let bad: Vec<String> = results
        .iter()
        .filter_map(|r| {
            r.problem
                .as_ref()
                .map(|p| format!("{} example {}: {p}", r.rule, r.index + 1))
        })
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_required_idss_rule_ids_exist() {
    let set = builtin();
    for id in [
        "IDSS-PASSAGE",
        "IDSS-HOOKS",
        "IDSS-PETALS",
        "IDSS-CAPTURE",
        "IDSS-REVISION",
    ] {
        assert!(set.rule(id).is_some(), "missing {id}");
    }
    assert_eq!(
        set.rule("IDSS-REVISION").map(|r| r.severity),
        Some(dockcheck::diagnostic::Severity::Warning)
    );
}

#[test]
fn committed_spec_schema_is_in_sync() {
    let committed =
        std::fs::read_to_string("specs/spec.schema.json").expect("specs/spec.schema.json exists");
    let out = dockcheck().args(["schema", "spec"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        committed,
        "specs/spec.schema.json is stale: run `cargo run -- schema spec > specs/spec.schema.json`"
    );
}

#[test]
fn families_are_data_in_the_spec() {
    let set = builtin();
    assert_eq!(set.family_of("NDS").map(|f| f.id.as_str()), Some("idss"));
    // names are exact, as the contract says: a wrong case is not a member
    assert_eq!(set.family_of("nds").map(|f| f.id.as_str()), None);
    assert_eq!(
        set.family_of("APAS-95").map(|f| f.id.as_str()),
        Some("apas")
    );
    assert_eq!(
        set.family_of("CBM").map(|f| f.kind),
        Some(dockcheck::spec::FamilyKind::Berthing)
    );
    assert!(set.family_of("ZX-9").is_none());
}

fn write_icd(dir: &std::path::Path, name: &str, passage: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    let text = format!(
        "vehicle v {{\n  name = \"V\"\n  port p {{\n    docking {{\n      system = \"IDSS\"\n      standard = \"IDSS IDD\"\n      revision = \"E\"\n      role = passive\n      passageway = {passage}\n      hooks = 12\n      guide_petals = 3\n    }}\n  }}\n}}\n"
    );
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_narrow_passageway_is_reported_at_its_line_and_inches_convert() {
    let dir = tempfile::tempdir().unwrap();
    let narrow = write_icd(dir.path(), "narrow.icd", "750 mm");
    let out = dockcheck()
        .args(["check", "--format", "json"])
        .arg(&narrow)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out.stdout);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "IDSS-PASSAGE");
    assert_eq!(d["span"]["start"]["line"], 9);
    let msg = d["message"].as_str().unwrap();
    assert!(msg.contains("750 mm") && msg.contains("800 mm"), "{msg}");

    let dir2 = tempfile::tempdir().unwrap();
    let inches = write_icd(dir2.path(), "inches.icd", "31.5 in");
    let out = dockcheck()
        .args(["check", "--format", "json"])
        .arg(&inches)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        json(&out.stdout)["diagnostics"].as_array().unwrap().len(),
        0
    );
}

fn broken_spec(replace: (&str, &str)) -> (tempfile::TempDir, std::path::PathBuf, usize) {
    let text = std::fs::read_to_string("specs/idss.toml").unwrap();
    let line = text
        .lines()
        .position(|l| l.trim() == replace.0)
        .expect("line to break")
        + 1;
    let broken = text.replacen(replace.0, replace.1, 1);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("broken.toml");
    std::fs::write(&p, broken).unwrap();
    (dir, p, line)
}

#[test]
fn a_misspelled_spec_key_is_refused_at_its_line() {
    let (_d, spec, line) = broken_spec((
        "summary = \"An IDSS-family port declares 12 structural hooks on its hard-capture ring (hooks on one side).\"",
        "sumary = \"x\"",
    ));
    let out = dockcheck()
        .args(["check", "--no-default-spec", "--format", "json", "--spec"])
        .arg(&spec)
        .arg("fixtures/fleet")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc = json(&out.stdout);
    let lines: Vec<i64> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["span"]["start"]["line"].as_i64().unwrap())
        .collect();
    assert!(
        lines.contains(&(line as i64)),
        "want line {line}, got {lines:?}"
    );
    let text = doc.to_string();
    assert!(
        text.contains("sumary") && text.contains("summary"),
        "{text}"
    );
}

#[test]
fn a_wrongly_typed_spec_value_is_refused_naming_the_expectation() {
    let (_d, spec, line) = broken_spec(("severity = \"warning\"", "severity = 3"));
    let out = dockcheck()
        .args(["check", "--no-default-spec", "--spec"])
        .arg(&spec)
        .arg("fixtures/fleet")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("broken.toml:{line}:")),
        "want line {line}: {text}"
    );
    assert!(
        text.contains("SPEC-SCHEMA")
            && text.contains("must be one of `error`, `warning`, `info`, not an integer"),
        "{text}"
    );
}

#[test]
fn a_limit_in_the_wrong_dimension_is_refused() {
    let (_d, spec, line) = broken_spec(("limit = \"800 mm\"", "limit = \"800 kg\""));
    let out = dockcheck()
        .args(["check", "--no-default-spec", "--format", "json", "--spec"])
        .arg(&spec)
        .arg("fixtures/fleet")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc = json(&out.stdout);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "SPEC-INVALID");
    assert_eq!(d["span"]["start"]["line"], line as i64);
}

#[test]
fn explain_prints_the_rule_and_suggests_on_typos() {
    let out = dockcheck()
        .args(["explain", "IDSS-CAPTURE"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "IDSS-CAPTURE",
        "Table 3.3.1.1-2",
        "secondary",
        "Why",
        "passes",
        "fails",
    ] {
        assert!(text.contains(want), "missing {want}: {text}");
    }
    let out = dockcheck()
        .args(["explain", "IDSS-PASAGE"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("IDSS-PASSAGE"));
}

#[test]
fn rules_json_lists_every_rule_with_provenance() {
    let out = dockcheck()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc = json(&out.stdout);
    assert_eq!(doc["version"], 1);
    let rules = doc["rules"].as_array().unwrap();
    assert!(rules.len() >= 5);
    for r in rules {
        for k in ["id", "severity", "summary", "reference", "provenance"] {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
        assert!(
            ["primary", "secondary", "unverified"].contains(&r["provenance"].as_str().unwrap())
        );
    }
}

#[test]
fn config_turns_rules_off_and_changes_severity() {
    let dir = tempfile::tempdir().unwrap();
    write_icd(dir.path(), "narrow.icd", "750 mm");
    std::fs::write(
        dir.path().join("dockcheck.toml"),
        "[rules]\nIDSS-PASSAGE = \"warning\"\n",
    )
    .unwrap();
    let out = dockcheck()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out.stdout);
    assert_eq!(doc["diagnostics"][0]["severity"], "warning");

    std::fs::write(dir.path().join("dockcheck.toml"), "fail-on = \"warning\"\n[[overrides]]\npaths = [\"*.icd\"]\nrules = { IDSS-PASSAGE = \"off\" }\n").unwrap();
    let out = dockcheck()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json(&out.stdout)["diagnostics"].as_array().unwrap().len(),
        0
    );

    std::fs::write(
        dir.path().join("dockcheck.toml"),
        "[rules]\nIDSS-PASAGE = \"off\"\n",
    )
    .unwrap();
    let out = dockcheck()
        .args(["check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("IDSS-PASSAGE"));
}

fn spec_file(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let p = dir.join("extra.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// A spec with one family of one system (the header lines 1-4, the family
/// from line 6, its `systems` on line 10).
fn family_spec(id: &str, name: &str, kind: &str, system: &str) -> String {
    format!(
        "{EXTRA_HEADER}\n[[families]]\nid = \"{id}\"\nname = \"{name}\"\nkind = \"{kind}\"\nsystems = [\"{system}\"]\nprovenance = \"unverified\"\n\n[families.reference]\ndocument = \"d\"\nrevision = \"r\"\nsection = \"s\"\n"
    )
}

const EXTRA_HEADER: &str = "[standard]\nid = \"X\"\ntitle = \"Extra\"\nrevision = \"1\"\n";

#[test]
fn a_user_spec_can_add_a_system_to_a_builtin_family() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec_file(
        dir.path(),
        &family_spec("idss", "IDSS family", "androgynous", "HLS-IDSS"),
    );
    let icd = dir.path().join("pair.icd");
    std::fs::write(
        &icd,
        "vehicle a { name = \"A\"; port p { docking { system = \"HLS-IDSS\"; role = active } } }\nvehicle b { name = \"B\"; port p { docking { system = \"IDSS\"; role = passive } } }\n",
    )
    .unwrap();
    let out = dockcheck()
        .args(["mate", "a.p", "b.p", "--format", "json", "--spec"])
        .arg(&spec)
        .arg(&icd)
        .output()
        .unwrap();
    assert_eq!(
        json(&out.stdout)["verdict"],
        "mates",
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // without the extra spec the system is unknown
    let out = dockcheck()
        .args(["mate", "a.p", "b.p", "--format", "json"])
        .arg(&icd)
        .output()
        .unwrap();
    assert_eq!(json(&out.stdout)["verdict"], "undecided");
}

#[test]
fn a_system_in_two_families_or_a_changed_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec_file(
        dir.path(),
        &family_spec("mine", "Mine", "androgynous", "NDS"),
    );
    let out = dockcheck()
        .args(["rules", "--spec"])
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("SPEC-INVALID") && text.contains("`NDS`") && text.contains("extra.toml:10:"),
        "{text}"
    );

    let spec = spec_file(dir.path(), &family_spec("idss", "IDSS", "gendered", "X-1"));
    let out = dockcheck()
        .args(["rules", "--spec"])
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("kind"));
}

#[test]
fn a_check_field_the_kind_does_not_use_is_refused() {
    let (_d, spec, line) =
        broken_spec(("limit = \"800 mm\"", "limit = \"800 mm\"\nvalues = [\"x\"]"));
    let out = dockcheck()
        .args(["rules", "--no-default-spec", "--format", "json", "--spec"])
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("`values` is not used by an `at_least` check")
            || text.contains("`values` is not used by a `at_least` check"),
        "{text}"
    );
    // setup errors of `rules --format json` are a JSON error object
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(
        doc["error"].as_str().unwrap().contains("`values`"),
        "{text}"
    );
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "SPEC-INVALID", "{text}");
    assert!(
        d["file"].as_str().unwrap().ends_with("broken.toml"),
        "{text}"
    );
    assert_eq!(d["span"]["start"]["line"], line as u64 + 1, "{text}");
}

#[test]
fn a_missing_attribute_follows_a_lowered_rule_severity() {
    let (dir, p) = temp_file(
        "bare.icd",
        "vehicle v { name = \"V\"; port p { docking { system = \"IDSS\"; standard = \"IDSS IDD\"; revision = \"E\"; role = passive; hooks = 12; guide_petals = 3 } } }\n",
    );
    let severity = || {
        let (_, doc) = check_json([&p]);
        find(&doc, "IDSS-PASSAGE").expect("missing passageway reported")["severity"].clone()
    };
    assert_eq!(severity(), "warning");
    std::fs::write(
        dir.path().join("dockcheck.toml"),
        "[rules]\nIDSS-PASSAGE = \"info\"\n",
    )
    .unwrap();
    assert_eq!(severity(), "info");
}

#[test]
fn explain_knows_every_language_code() {
    for code in [
        "ICD-SYNTAX",
        "ICD-UNKNOWN",
        "ICD-UNIT",
        "ICD-TYPE",
        "ICD-DUPLICATE",
        "ICD-RANGE",
        "ICD-MISSING",
        "ICD-REF",
        "ICD-ENCODING",
        "ICD-IO",
        "ICD-LIMIT",
    ] {
        let out = dockcheck().args(["explain", code]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{code}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with(code) && text.contains("Example"), "{text}");
    }
    let out = dockcheck().args(["explain", "ICD-UNITS"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`ICD-UNIT`"));
}

#[test]
fn export_output_validates_against_schema_model() {
    let schema = json(
        &dockcheck()
            .args(["schema", "model"])
            .output()
            .unwrap()
            .stdout,
    );
    let export = dockcheck()
        .args(["export", "fixtures/fleet", "fixtures/mating"])
        .output()
        .unwrap();
    assert_eq!(export.status.code(), Some(0));
    let doc = json(&export.stdout);
    let validator = jsonschema::validator_for(&schema).expect("schema model compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(doc["files"].as_array().unwrap().len() >= 7);
}

#[test]
fn schema_config_validates_a_documented_config() {
    let schema = json(
        &dockcheck()
            .args(["schema", "config"])
            .output()
            .unwrap()
            .stdout,
    );
    let validator = jsonschema::validator_for(&schema).expect("schema config compiles");
    let good: toml::Value = toml::from_str("specs = [\"x.toml\"]\ndefault-spec = true\nfail-on = \"warning\"\n[rules]\nIDSS-REVISION = \"off\"\n[[overrides]]\npaths = [\"legacy/**\"]\nrules = { IDSS-PASSAGE = \"warning\" }\n").unwrap();
    assert!(validator.is_valid(&serde_json::to_value(&good).unwrap()));
    let bad: toml::Value = toml::from_str("fail_on = \"warning\"\n").unwrap();
    assert!(!validator.is_valid(&serde_json::to_value(&bad).unwrap()));
}

/// docs/specs.md's tables of paths and envelope keys are the vocabulary's.
#[test]
fn the_docs_path_list_is_the_vocabulary() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/specs.md")).unwrap();
    let first_cells = |header: &str| -> Vec<String> {
        let start = doc
            .find(header)
            .unwrap_or_else(|| panic!("no table {header:?}"));
        doc[start..]
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .filter_map(|l| l.split('|').nth(1))
            .map(|c| c.trim().trim_matches('`').to_string())
            .collect()
    };
    let mut paths: Vec<String> = first_cells("| Path |");
    paths.retain(|p| !p.contains("KEY"));
    let vocab: Vec<String> = dockcheck::model::vocab::PATHS
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    assert_eq!(paths, vocab, "docs/specs.md's path table");
    let keys = first_cells("| Key | Holds |");
    let vocab_keys: Vec<String> = dockcheck::model::vocab::ENVELOPE_KEYS
        .iter()
        .map(|(k, _)| k.to_string())
        .collect();
    assert_eq!(keys, vocab_keys, "docs/specs.md's envelope keys");
}

/// The contract's severity policy: a built-in conformance rule (a value from
/// a source, checked on one port) whose provenance is `unverified` is at
/// most a warning by default.
#[test]
fn an_unverified_builtin_conformance_rule_is_at_most_a_warning() {
    use dockcheck::diagnostic::Severity;
    use dockcheck::spec::{CheckKind, Provenance};
    let set = builtin();
    let mut seen = 0;
    for r in &set.rules {
        if r.rule.check.kind == CheckKind::Pair || r.rule.provenance != Provenance::Unverified {
            continue;
        }
        seen += 1;
        assert_ne!(
            r.rule.severity,
            Severity::Error,
            "{} is unverified but an error",
            r.rule.id
        );
    }
    // IDSS-HOOKS is one (domain.md fact 22), so the test looks at something
    assert!(seen >= 1, "no unverified conformance rule was seen");
    let hooks = set.rule("IDSS-HOOKS").map(|r| r.rule.severity);
    assert_eq!(hooks, Some(Severity::Warning));
}

/// A family's `undecided_with` (and `halves`) in a user spec, with one line
/// inserted after its `systems`.
fn family_with(id: &str, kind: &str, system: &str, extra: &str) -> String {
    family_spec(id, id, kind, system).replace(
        &format!("systems = [\"{system}\"]\n"),
        &format!("systems = [\"{system}\"]\n{extra}\n"),
    )
}

/// Runs `rules --spec SPEC` and returns (status, stdout).
fn rules_with(spec: &std::path::Path) -> (Option<i32>, String) {
    let out = dockcheck()
        .args(["rules", "--spec"])
        .arg(spec)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_broken_unresolved_relation_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // an unknown family id, with the near one suggested
        (
            family_with("mine", "androgynous", "M-1", "undecided_with = [\"idsss\"]"),
            "unknown family `idsss`",
        ),
        // a berthing family in a relation with a docking family
        (
            family_with("mine", "berthing", "M-1", "undecided_with = [\"idss\"]"),
            "a berthing family and a docking family are never undecided",
        ),
        // a family undecided with itself
        (
            family_with("mine", "androgynous", "M-1", "undecided_with = [\"mine\"]"),
            "cannot be undecided with itself",
        ),
        // a half that is not one of the family's systems
        (
            family_with("mine", "berthing", "M-1", "halves = { M-2 = \"active\" }"),
            "not among the systems",
        ),
    ];
    for (text, want) in cases {
        let spec = spec_file(dir.path(), &text);
        let (code, out) = rules_with(&spec);
        assert_eq!(code, Some(2), "{out}");
        assert!(
            out.contains("SPEC-INVALID") && out.contains(want),
            "{want}: {out}"
        );
        // at the TOML line of the key (line 10, after the header and the id)
        assert!(out.contains("extra.toml:11:"), "{want}: {out}");
    }
    let spec = spec_file(
        dir.path(),
        &family_with("mine", "androgynous", "M-1", "undecided_with = [\"idsss\"]"),
    );
    assert!(rules_with(&spec).1.contains("did you mean `idss`?"));
}

#[test]
fn an_unresolved_relation_is_symmetric_and_undecided_not_failed() {
    let dir = tempfile::tempdir().unwrap();
    // the relation is stated on one side only
    let spec = spec_file(
        dir.path(),
        &family_with("mine", "androgynous", "M-1", "undecided_with = [\"idss\"]"),
    );
    let icd = dir.path().join("pair.icd");
    std::fs::write(
        &icd,
        "vehicle a { name = \"A\"; port p { docking { system = \"M-1\"; role = active } } }\nvehicle b { name = \"B\"; port p { docking { system = \"IDSS\"; role = passive } } }\n",
    )
    .unwrap();
    for (c, t) in [("a.p", "b.p"), ("b.p", "a.p")] {
        let out = dockcheck()
            .args(["mate", c, t, "--format", "json", "--spec"])
            .arg(&spec)
            .arg(&icd)
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["verdict"], "undecided", "{c} -> {t}: {doc}");
        assert_eq!(doc["how"], serde_json::Value::Null);
        assert_eq!(doc["codes"], serde_json::json!(["MATE-UNDECIDED"]), "{doc}");
    }
}

#[test]
fn a_system_name_in_the_wrong_case_is_said_aloud_with_the_right_one() {
    let dir = tempfile::tempdir().unwrap();
    let icd = dir.path().join("lower.icd");
    std::fs::write(
        &icd,
        "vehicle v {\n  name = \"V\"\n  port p {\n    docking { system = \"idss\"; role = passive }\n  }\n}\n",
    )
    .unwrap();
    let out = dockcheck()
        .args(["check", "--format", "short"])
        .arg(&icd)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("lower.icd:4:24: warning[ICD-SYSTEM]")
            && text.contains("did you mean `IDSS`?"),
        "{text}"
    );
}

/// The rounding hint of IDSS-PASSAGE leads to a file that passes: writing
/// `800 mm` as it says clears the finding.
#[test]
fn following_the_inch_rounding_hint_gives_a_passing_file() {
    let text = std::fs::read_to_string("fixtures/idss/passage-inches.icd").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = |text: &str| {
        let p = dir.path().join("p.icd");
        std::fs::write(&p, text).unwrap();
        let out = dockcheck()
            .args(["check", "--format", "short"])
            .arg(&p)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (rc, out) = run(&text);
    assert_eq!(rc, Some(1), "{out}");
    let hint = "write `800 mm`";
    assert!(out.contains(hint), "{out}");
    assert!(text.contains("passageway = 31 in"));
    let (rc, out) = run(&text.replace("passageway = 31 in", "passageway = 800 mm"));
    assert_eq!(rc, Some(0), "{out}");
    assert!(!out.contains("IDSS-PASSAGE"), "{out}");
}

/// ICD-SYSTEM's "did you mean `IDSS`?" leads to a file without it.
#[test]
fn following_the_system_spelling_hint_clears_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("lower.icd");
    let text = "vehicle v {\n  name = \"V\"\n  port p {\n    docking { system = \"idss\"; role = passive }\n  }\n}\n";
    let run = |text: &str| {
        std::fs::write(&p, text).unwrap();
        let out = dockcheck()
            .args(["check", "--format", "short"])
            .arg(&p)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run(text).contains("did you mean `IDSS`?"));
    let out = run(&text.replace("\"idss\"", "\"IDSS\""));
    assert!(!out.contains("ICD-SYSTEM"), "{out}");
}

/// MATE-UNDECIDED's help for an unresolved relation says to record the
/// decision as a waiver on the chaser's `system` line; doing exactly that
/// makes `check` pass.
#[test]
fn following_the_unresolved_help_gives_a_passing_check() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pair.icd");
    let text = "vehicle a {\n  name = \"A\"\n  port p {\n    docking {\n      system = \"CDM\"; role = active\n    }\n  }\n}\nvehicle b {\n  name = \"B\"\n  port p {\n    docking {\n      system = \"IDSS\"; role = passive\n    }\n  }\n}\nmating m { chaser = a.p; target = b.p }\n";
    let run = |text: &str| {
        std::fs::write(&p, text).unwrap();
        let out = dockcheck()
            .args(["check", "--format", "json", "--select", "MATE"])
            .arg(&p)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (rc, out) = run(text);
    assert_eq!(rc, Some(1), "{out}");
    assert!(
        out.contains("record the decision as a waiver on the chaser's `system` line"),
        "{out}"
    );
    let waived = text.replace(
        "      system = \"CDM\"; role = active\n",
        "      # waiver: MATE-UNDECIDED W-7 \"CDM to IDSS confirmed by both IDDs\"\n      system = \"CDM\"; role = active\n",
    );
    let (rc, out) = run(&waived);
    assert_eq!(rc, Some(0), "{out}");
}

/// The built-in specs are read without validating them at every run; they
/// must pass the schema, and the direct read must give the very spec the
/// validated read gives.
#[test]
fn built_in_specs_read_directly_are_the_validated_specs() {
    use dockcheck::spec::{BUILTIN, load};
    for (name, text) in BUILTIN {
        let mut sources = dockcheck::workspace::SourceMap::default();
        let id = sources.add(*name, (*text).to_string());
        let checked = load::load_spec(&sources, id).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        let direct: dockcheck::spec::types::SpecFile =
            toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            serde_json::to_value(&direct).unwrap(),
            serde_json::to_value(&checked).unwrap(),
            "{name}"
        );
        assert!(!checked.rules.is_empty(), "{name} has rules");
    }
}
