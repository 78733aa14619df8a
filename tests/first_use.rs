//! Issue 7, the new user's mistakes: `fixtures/first-use/` holds each one as
//! a file whose `# expect: CODE` comments name the diagnostics it must give
//! (on the next line that is not blank or a comment, or on the comment's own
//! line when the comment ends a line; `# expect-none`: clean). Each file is
//! checked beside `fixtures/fleet/iss.icd`, the partner of its matings.
//! Tests are named after the issue's items; every hint is followed in a test.

mod common;

use common::{check_json, dockcheck, find};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const ISS: &str = "fixtures/fleet/iss.icd";

fn fixture(name: &str) -> PathBuf {
    Path::new("fixtures/first-use").join(name)
}

/// The (code, line) pairs a fixture's annotations expect.
fn expectations(text: &str) -> BTreeSet<(String, u64)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = BTreeSet::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line.find("# expect:") else {
            continue;
        };
        let target = if line[..at].trim().is_empty() {
            // the next line that is not blank or a comment
            (i + 1..lines.len())
                .find(|&j| {
                    let t = lines[j].trim();
                    !t.is_empty() && !t.starts_with('#')
                })
                .expect("an expectation before a statement")
        } else {
            i
        };
        for code in line[at + "# expect:".len()..].split(',') {
            out.insert((code.trim().to_string(), target as u64 + 1));
        }
    }
    out
}

/// The errors and warnings located in `file`, as (code, line).
fn found_in(doc: &Value, file: &Path) -> BTreeSet<(String, u64)> {
    let name = file.to_string_lossy().replace('\\', "/");
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == name.as_str() && d["severity"] != "info")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["span"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn check_with_iss(file: &Path) -> (i32, Value) {
    check_json([file, Path::new(ISS)])
}

/// The diagnostics of a report located in `file`.
fn in_file<'a>(doc: &'a Value, file: &Path) -> Vec<&'a Value> {
    // shown paths are relative to the repository root (with `..` for a file
    // outside it) or absolute: resolve them before comparing
    let want = std::fs::canonicalize(file).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["file"]
                .as_str()
                .is_some_and(|f| std::fs::canonicalize(root.join(f)).is_ok_and(|p| p == want))
        })
        .collect()
}

/// The diagnostic with `code` in `doc`, or a failure that shows the report.
fn the<'a>(doc: &'a Value, code: &str) -> &'a Value {
    find(doc, code).unwrap_or_else(|| panic!("no {code} in {doc:#}"))
}

fn text(d: &Value, field: &str) -> String {
    d[field].as_str().unwrap_or_default().to_string()
}

#[test]
fn first_use_fixtures_give_exactly_their_annotated_diagnostics() {
    let mut files: Vec<PathBuf> = std::fs::read_dir("fixtures/first-use")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "icd"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "the first-use fixtures are there");
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let want = expectations(&text);
        assert!(
            !want.is_empty() || text.contains("# expect-none"),
            "{} has no annotation",
            f.display()
        );
        let (code, doc) = check_with_iss(&f);
        assert_eq!(found_in(&doc, &f), want, "{}", f.display());
        let errors = want.iter().any(|(c, _)| c != "ICD-SYSTEM");
        assert_eq!(code, i32::from(errors), "exit code of {}", f.display());
    }
}

// ------------------------------------------------------------ item 1

#[test]
fn item_01_unknown_docking_system_is_a_warning_with_did_you_mean() {
    let (code, doc) = check_with_iss(&fixture("unknown-system.icd"));
    let d = the(&doc, "ICD-SYSTEM");
    assert_eq!(d["severity"], "warning");
    assert_eq!(
        text(d, "message"),
        "docking system `IDDS` is not in any loaded family; did you mean `IDSS`? \
         No conformance or mate rule can decide this port"
    );
    assert_eq!(d["span"]["start"]["line"], 7);
    assert_eq!(d["span"]["start"]["column"], 16, "at the value");
    assert!(text(d, "help").contains("`IDSS`"), "{d:#}");
    assert_eq!(code, 0, "a warning, as the issue asks");
}

#[test]
fn item_01_fixing_the_typo_switches_the_idss_rules_on() {
    let src = std::fs::read_to_string(fixture("unknown-system.icd")).unwrap();
    let fixed = src.replace("\"IDDS\"", "\"IDSS\"");
    let (_dir, f) = common::temp_file("kestrel.icd", &fixed);
    let (code, doc) = check_json([&f]);
    let codes = common::codes(&doc);
    assert!(!codes.contains(&"ICD-SYSTEM".to_string()), "{codes:?}");
    for c in ["IDSS-PASSAGE", "IDSS-HOOKS"] {
        assert!(codes.contains(&c.to_string()), "{c} in {codes:?}");
    }
    assert_eq!(code, 1);
}

#[test]
fn item_01_undecided_mating_suggests_the_system_and_cites_nothing_unrelated() {
    let (code, doc) = check_with_iss(&fixture("unknown-system-mating.icd"));
    let d = the(&doc, "MATE-UNDECIDED");
    let message = text(d, "message");
    assert!(message.contains("did you mean `IDSS`?"), "{message}");
    let help = text(d, "help");
    assert!(
        help.contains("`IDSS`") && !help.contains("Chinese"),
        "{help}"
    );
    assert!(
        d["reference"].is_null() || !d["reference"].as_str().unwrap().contains("Chinese Docking"),
        "{d:#}"
    );
    assert_eq!(code, 1);
}

#[test]
fn item_01_a_spec_without_families_makes_every_system_undecidable_aloud() {
    // the same port under a spec with no family: ICD-SYSTEM, no suggestion
    let spec = r#"
[standard]
id = "ONLY"
title = "No families"
revision = "A"

[[rules]]
id = "ONLY-LOCATION"
severity = "warning"
summary = "A port says where it is."
rationale = "Review needs it."
provenance = "unverified"

[rules.reference]
document = "none"
revision = "A"
section = "1"

[rules.check]
kind = "required"
paths = ["location"]

[[rules.examples]]
outcome = "pass"
description = "a port with a location"
icd = """
vehicle v {
  name = "V"
  port p { location = "nose" }
}
"""

[[rules.examples]]
outcome = "fail"
description = "a port without one"
icd = """
vehicle v {
  name = "V"
  port p { }
}
"""
"#;
    let (_dir, spec_file) = common::temp_file("only.toml", spec);
    let out = dockcheck()
        .args(["check", "--format", "json", "--no-default-spec", "--spec"])
        .arg(&spec_file)
        .arg(fixture("unknown-system.icd"))
        .output()
        .unwrap();
    let doc = common::json(&out.stdout);
    let d = the(&doc, "ICD-SYSTEM");
    assert!(!text(d, "message").contains("did you mean"), "{d:#}");
    assert!(
        text(d, "help").contains("no loaded spec declares a family"),
        "{d:#}"
    );
}

// ------------------------------------------------------------ item 3

#[test]
fn item_03_a_value_with_a_language_error_is_not_also_missing() {
    for (file, code, not) in [
        ("passageway-no-unit.icd", "ICD-UNIT", "IDSS-PASSAGE"),
        ("closing-velocity-single.icd", "ICD-TYPE", "IDSS-CAPTURE"),
    ] {
        let (_, doc) = check_with_iss(&fixture(file));
        let codes = common::codes(&doc);
        assert!(codes.contains(&code.to_string()), "{file}: {codes:?}");
        assert!(!codes.contains(&not.to_string()), "{file}: {codes:?}");
    }
}

#[test]
fn item_03_pair_rules_skip_an_invalid_value_without_a_skipped_note() {
    // a mating whose chaser voltage has a unit error: no MATE-VOLTAGE at all
    let src = std::fs::read_to_string(fixture("kestrel.icd"))
        .unwrap()
        .replace("voltage = 24 V .. 32 V", "voltage = 24 .. 32")
        .replace(
            "mating kestrel-1 {",
            "mating kestrel-1 {\n  # the hub's power\n",
        );
    let hub = "vehicle hub {\n  name = \"Hub\"\n  port p {\n    docking {\n      system = \"IDSS\"\n      standard = \"IDSS IDD\"\n      revision = \"E\"\n      role = passive\n      passageway = 800 mm\n      hooks = 12\n      guide_petals = 3\n    }\n    power {\n      direction = supply\n      voltage = 28 V ± 2 V\n      current = 20 A\n      connector = \"umbilical-A\"\n    }\n  }\n}\n";
    let src = src.replace("target = iss.ida2", "target = hub.p");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kestrel.icd"), &src).unwrap();
    std::fs::write(dir.path().join("hub.icd"), hub).unwrap();
    let (_, doc) = check_json([dir.path()]);
    let codes = common::codes(&doc);
    assert!(codes.contains(&"ICD-UNIT".to_string()), "{codes:?}");
    assert!(!codes.contains(&"MATE-VOLTAGE".to_string()), "{codes:?}");
    // the current is still compared: only the rule reading the bad value stops
    let fine = src
        .replace("voltage = 24 .. 32", "voltage = 24 V .. 32 V")
        .replace("current = 10 A", "current = 30 A");
    std::fs::write(
        dir.path().join("kestrel.icd"),
        fine.replace("voltage = 24 V .. 32 V", "voltage = 24 .. 32"),
    )
    .unwrap();
    let (_, doc) = check_json([dir.path()]);
    let codes = common::codes(&doc);
    assert!(codes.contains(&"MATE-CURRENT".to_string()), "{codes:?}");
}

// ------------------------------------------------------------ item 4

#[test]
fn item_04_an_unclosed_inner_block_is_one_error_at_its_header() {
    let f = fixture("unclosed-docking.icd");
    let (_, doc) = check_with_iss(&f);
    let diags = in_file(&doc, &f);
    assert_eq!(diags.len(), 1, "{doc:#}");
    let d = &diags[0];
    assert_eq!(d["code"], "ICD-SYNTAX");
    assert_eq!(
        text(d, "message"),
        "`docking` (line 6) is not closed before `power`"
    );
    assert_eq!(d["span"]["start"]["line"], 6);
    assert_eq!(d["span"]["start"]["column"], 5);
    let out = serde_json::to_string(&doc).unwrap();
    assert!(!out.contains("not in the vocabulary"), "{out}");
    assert!(!out.contains("unknown block"), "{out}");
}

#[test]
fn item_04_adding_the_brace_the_help_names_gives_a_clean_file() {
    let f = fixture("unclosed-docking.icd");
    let (_, doc) = check_with_iss(&f);
    assert!(text(the(&doc, "ICD-SYNTAX"), "help").contains("before `power`"));
    let src = std::fs::read_to_string(&f).unwrap();
    let fixed = src.replacen("    power {", "    }\n    power {", 1);
    let (_dir, p) = common::temp_file("unclosed.icd", &fixed);
    let (code, doc) = check_json([&p]);
    assert_eq!(code, 0, "{doc:#}");
    assert!(common::codes(&doc).is_empty(), "{doc:#}");
}

#[test]
fn item_04_an_unclosed_vehicle_before_the_next_vehicle_is_named_too() {
    let src = "vehicle a {\n  name = \"A\"\n\nvehicle b {\n  name = \"B\"\n}\n";
    let (_dir, p) = common::temp_file("two.icd", src);
    let (_, doc) = check_json([&p]);
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{doc:#}");
    assert_eq!(
        text(&diags[0], "message"),
        "`vehicle` (line 1) is not closed before `vehicle`"
    );
}

// ------------------------------------------------------------ item 7

#[test]
fn item_07_the_dimension_is_checked_before_the_shape() {
    let f = fixture("voltage-in-amperes.icd");
    let (_, doc) = check_with_iss(&f);
    let codes: Vec<&Value> = in_file(&doc, &f).iter().map(|d| &d["code"]).collect();
    assert_eq!(codes, ["ICD-UNIT"], "{doc:#}");
    let d = the(&doc, "ICD-UNIT");
    assert_eq!(
        text(d, "message"),
        "`voltage` needs a voltage; `A` is a current"
    );
    let help = text(d, "help");
    assert!(help.contains("`voltage = 28 V .. 28 V`"), "{help}");
    assert!(!help.contains(" A"), "never the wrong unit: {help}");
}

#[test]
fn item_07_examples_never_have_an_empty_unit() {
    let src = "vehicle v {\n  name = \"V\"\n  port p {\n    power {\n      direction = receive\n      voltage = 28\n    }\n  }\n}\n";
    let (_dir, p) = common::temp_file("bare.icd", src);
    let (_, doc) = check_json([&p]);
    let d = the(&doc, "ICD-UNIT");
    let help = text(d, "help");
    assert!(help.contains("`voltage = 28 V .. 28 V`"), "{help}");
    assert!(!help.contains("28  ..") && !help.contains("28 `"), "{help}");
}

// ------------------------------------------------------------ item 8

#[test]
fn item_08_tolerance_and_range_spellings_name_the_accepted_form() {
    let f = fixture("tolerance-spellings.icd");
    let (_, doc) = check_with_iss(&f);
    let diags = in_file(&doc, &f);
    let by_line = |line: u64| -> Vec<&Value> {
        diags
            .iter()
            .filter(|d| d["span"]["start"]["line"] == line)
            .copied()
            .collect()
    };
    for (line, message, help) in [
        (8, "`+-` is not a tolerance sign", "`28 V ± 4 V`"),
        (
            14,
            "`+4/-2 V` is not a tolerance the language reads",
            "`26 V .. 32 V`",
        ),
        (20, "`-` does not make a range", "`24 V .. 32 V`"),
        (26, "`to` does not make a range", "`24 V .. 32 V`"),
    ] {
        let ds = by_line(line);
        assert_eq!(ds.len(), 1, "one diagnostic on line {line}: {ds:#?}");
        assert_eq!(ds[0]["code"], "ICD-SYNTAX");
        assert_eq!(text(ds[0], "message"), message);
        assert!(text(ds[0], "help").contains(help), "{:#}", ds[0]);
    }
    assert_eq!(diags.len(), 4, "{doc:#}");
}

#[test]
fn item_08_to_without_a_unit_on_the_lower_end_is_the_word_to() {
    let src = "vehicle v {\n  name = \"V\"\n  port p {\n    power {\n      direction = receive\n      voltage = 24 to 32 V\n    }\n  }\n}\n";
    let (_dir, p) = common::temp_file("to.icd", src);
    let (_, doc) = check_json([&p]);
    assert_eq!(common::codes(&doc), ["ICD-SYNTAX"], "{doc:#}");
    let d = the(&doc, "ICD-SYNTAX");
    assert_eq!(text(d, "message"), "`to` does not make a range");
    assert!(text(d, "help").contains("`24 V .. 32 V`"), "{d:#}");
}

// ------------------------------------------------------------ item 9

#[test]
fn item_09_a_signed_deviation_names_the_deviation() {
    let (_, doc) = check_with_iss(&fixture("negative-deviation.icd"));
    let d = the(&doc, "ICD-RANGE");
    let message = text(d, "message");
    assert!(message.contains("deviation `-4 V`"), "{message}");
    assert!(!message.contains("cannot be negative"), "{message}");
    assert_eq!(d["span"]["start"]["column"], 24, "at the deviation");
    assert!(text(d, "help").contains("`voltage = 28 V ± 4 V`"), "{d:#}");
}

// ------------------------------------------------------------ item 11

#[test]
fn item_11_quotes_around_a_number_or_ref_get_remove_the_quotes() {
    let (_, doc) = check_with_iss(&fixture("quoted-values.icd"));
    let helps: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "ICD-TYPE")
        .map(|d| text(d, "help"))
        .collect();
    assert_eq!(
        helps,
        [
            "remove the quotes: `mass = 12 t`",
            "remove the quotes: `hooks = 12`",
            "remove the quotes: `chaser = kestrel-quotes.forward`",
        ]
    );
}

#[test]
fn item_11_a_bare_vehicle_where_a_ref_belongs_lists_its_ports() {
    let (_, doc) = check_with_iss(&fixture("mating-words.icd"));
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["span"]["start"]["line"] == 13)
        .expect("the chaser diagnostic");
    assert_eq!(
        text(d, "help"),
        "a ref is `vehicle.port`: `kestrel-words.forward`"
    );
}

#[test]
fn item_11_role_chaser_says_chaser_belongs_in_a_mating() {
    let (_, doc) = check_with_iss(&fixture("mating-words.icd"));
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["span"]["start"]["line"] == 7)
        .expect("the role diagnostic");
    assert!(text(d, "help").contains("belong in a `mating`"), "{d:#}");
    assert_eq!(d["label"], "not one of active, passive, dual", "{d:#}");
}

#[test]
fn item_11_unit_typos_suggest_a_unit_of_the_expected_dimension() {
    let (_, doc) = check_with_iss(&fixture("unit-typos.icd"));
    let helps: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "ICD-UNIT")
        .map(|d| text(d, "help"))
        .collect();
    assert_eq!(
        helps,
        [
            "did you mean `t`? write `mass = 12 t`",
            "did you mean `V`? write `voltage = 28 V .. 28 V`",
            "did you mean `t`? write `mass = 12 t`",
        ]
    );
}

#[test]
fn item_11_a_unit_typo_of_a_length_stays_a_length() {
    // `mt` is close to `m` too, but a mass wants `t`; a length wants `m`
    let src = "vehicle v {\n  name = \"V\"\n  port p {\n    docking {\n      system = \"APAS-95\"\n      role = active\n      passageway = 800 mn\n    }\n  }\n}\n";
    let (_dir, p) = common::temp_file("len.icd", src);
    let (_, doc) = check_json([&p]);
    let help = text(the(&doc, "ICD-UNIT"), "help");
    assert!(help.starts_with("did you mean `m"), "{help}");
}

// ------------------------------------------------------------ every hint

/// The last backticked snippet of a help text.
fn snippet(help: &str) -> Option<String> {
    let parts: Vec<&str> = help.split('`').collect();
    (parts.len() >= 3).then(|| parts[parts.len() - 2].to_string())
}

/// Applies a help's snippet to its line: `key = value` replaces the
/// statement, a bare value replaces the value after `=`.
fn apply(line: &str, fix: &str) -> String {
    let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
    let comment = line.find(" #").map_or("", |i| &line[i..]);
    let key = line.trim_start().split('=').next().unwrap_or("").trim();
    if fix.contains(" = ") {
        format!("{indent}{fix}{comment}")
    } else {
        format!("{indent}{key} = {fix}{comment}")
    }
}

#[test]
fn every_hint_in_the_first_use_fixtures_leads_to_a_passing_file() {
    // files whose fix is not a one-line replacement are tested above
    for name in [
        "mating-words.icd",
        "negative-deviation.icd",
        "passageway-no-unit.icd",
        "quoted-values.icd",
        "tolerance-spellings.icd",
        "unit-typos.icd",
        "voltage-in-amperes.icd",
    ] {
        let f = fixture(name);
        let (_, doc) = check_with_iss(&f);
        let src = std::fs::read_to_string(&f).unwrap();
        let mut lines: Vec<String> = src.lines().map(str::to_string).collect();
        for d in in_file(&doc, &f) {
            if d["severity"] == "info" {
                continue;
            }
            let help = text(d, "help");
            let fix = snippet(&help).unwrap_or_else(|| panic!("{name}: no snippet in {help:?}"));
            let line = d["span"]["start"]["line"].as_u64().unwrap() as usize - 1;
            lines[line] = apply(&lines[line], &fix);
        }
        let fixed = lines.join("\n") + "\n";
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), &fixed).unwrap();
        let (code, doc) = check_json([dir.path().join(name).as_path(), Path::new(ISS)]);
        let left: Vec<&Value> = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] != "info" && d["file"].as_str().unwrap().ends_with(name))
            .collect();
        assert!(
            left.is_empty(),
            "{name} after its hints:\n{fixed}\n{left:#?}"
        );
        assert_eq!(code, 0, "{name}: {doc:#}");
    }
}

#[test]
fn the_closing_velocity_hint_gives_a_valid_value_that_the_rule_then_judges() {
    // `closing_velocity = 0.1 m/s` means no band; the hint writes the exact
    // value as one (`0.1 m/s .. 0.1 m/s`), which is valid language, and the
    // IDSS rule then judges it honestly: one speed does not cover the band.
    let f = fixture("closing-velocity-single.icd");
    let (_, doc) = check_with_iss(&f);
    let help = text(the(&doc, "ICD-TYPE"), "help");
    let fix = snippet(&help).unwrap();
    assert_eq!(fix, "closing_velocity = 0.1 m/s .. 0.1 m/s");
    let src = std::fs::read_to_string(&f).unwrap();
    let fixed = src.replace("closing_velocity = 0.1 m/s", &fix);
    let (_dir, p) = common::temp_file("closing.icd", &fixed);
    let (_, doc) = check_json([&p]);
    let codes = common::codes(&doc);
    assert!(codes.iter().all(|c| !c.starts_with("ICD-")), "{codes:?}");
    let d = the(&doc, "IDSS-CAPTURE");
    assert!(text(d, "message").contains("0.1 m/s .. 0.1 m/s"), "{d:#}");
}

#[test]
fn item_03_a_missing_required_system_is_not_also_an_undecided_mating() {
    let src = "vehicle v {\n  name = \"V\"\n  port p {\n    docking {\n      role = active\n    }\n  }\n}\n\nmating m {\n  chaser = v.p\n  target = iss.ida2\n}\n";
    let (_dir, p) = common::temp_file("nosys.icd", src);
    let (_, doc) = check_json([p.as_path(), Path::new(ISS)]);
    let codes: Vec<&Value> = in_file(&doc, &p)
        .iter()
        .filter(|d| d["severity"] != "info")
        .map(|d| &d["code"])
        .collect();
    assert_eq!(codes, ["ICD-MISSING"], "{doc:#}");
}
