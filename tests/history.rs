//! The historical record of matings (fixtures/history/), checked against the
//! real binary. The table below is taken from the record (domain.md facts
//! 9, 11-14, 16-20 and the 5a catalog), not from running the tool: who
//! mated with whom, by docking or by berthing, and which findings the pair
//! must give. For every entry it asserts that
//!   (a) `mate CHASER TARGET` gives that verdict, `how` and codes;
//!   (b) the matrix gives the same verdict and `how` for the pair and for
//!       the reversed pair (who approaches never decides the verdict);
//!   (c) `check` gives each mating of missions.icd the expected verdict;
//! and that the `# expect:` annotations of the folder match what `check`
//! reports there (every error and warning expected, as `dockcheck test`
//! would ask of a fixture).

mod common;
use common::dockcheck;
use serde_json::Value;
use std::collections::BTreeMap;

const DIR: &str = "fixtures/history";

/// One mating of the record.
struct Entry {
    /// The mating's id in missions.icd.
    id: &'static str,
    chaser: &'static str,
    target: &'static str,
    verdict: &'static str,
    /// `"docking"` / `"berthing"`, `None` when the verdict is not `mates`.
    how: Option<&'static str>,
    /// Error codes of the pair (the JSON `codes`).
    errors: &'static [&'static str],
    /// Warning codes of the pair (diagnostics of severity warning).
    warnings: &'static [&'static str],
}

const fn e(
    id: &'static str,
    chaser: &'static str,
    target: &'static str,
    verdict: &'static str,
    how: Option<&'static str>,
    errors: &'static [&'static str],
    warnings: &'static [&'static str],
) -> Entry {
    Entry {
        id,
        chaser,
        target,
        verdict,
        how,
        errors,
        warnings,
    }
}

const DOCKING: Option<&str> = Some("docking");
const BERTHING: Option<&str> = Some("berthing");

#[rustfmt::skip]
const RECORD: &[Entry] = &[
    // Apollo–Soyuz, 17 Jul 1975 (fact 12); 34 kPa O2 against 69..101 kPa (fact 17)
    e("astp-docking", "apollo.apas-active", "soyuz-19.apas-passive", "mates", DOCKING, &[], &["MATE-ATMOSPHERE"]),
    // the redocking, 19 Jul 1975: chaser passive, target active (fact 13)
    e("astp-redocking", "apollo.apas-passive", "soyuz-19.apas-active", "mates", DOCKING, &[], &["MATE-ATMOSPHERE"]),
    // CSM probe into the DM drogue (fact 14)
    e("apollo-csm-dm", "apollo-csm.probe", "apollo-dm.drogue", "mates", DOCKING, &[], &[]),
    // the same pair with the drogue side approaching (fact 13, language 1.1)
    e("apollo-dm-csm-reversed", "apollo-dm.drogue", "apollo-csm.probe", "mates", DOCKING, &[], &[]),
    // Apollo probe against APAS-75: different families (fact 14)
    e("apollo-probe-soyuz", "apollo-csm.probe", "soyuz-19.apas-passive", "fails", None, &["MATE-SYSTEM"], &["MATE-ATMOSPHERE"]),
    // STS-71, APAS-95 into APAS-89 (fact 16)
    e("sts-71-docking", "shuttle.ods", "mir.kristall", "mates", DOCKING, &[], &[]),
    // HTV-1 and Dragon C2+ berthed at Harmony nadir (fact 9)
    e("htv-1-berthing", "htv-1.pcbm", "iss.harmony-nadir", "mates", BERTHING, &[], &[]),
    e("dragon-c2-berthing", "dragon-c2.pcbm", "iss.harmony-nadir", "mates", BERTHING, &[], &[]),
    // ATV-1 into Zvezda aft (fact 18)
    e("atv-1-docking", "atv-1.probe", "iss.zvezda-aft", "mates", DOCKING, &[], &[]),
    // Soyuz MS-17 at Rassvet, then Poisk (fact 19)
    e("soyuz-ms-17-rassvet", "soyuz-ms-17.probe", "iss.rassvet", "mates", DOCKING, &[], &[]),
    e("soyuz-ms-17-poisk", "soyuz-ms-17.probe", "iss.poisk", "mates", DOCKING, &[], &[]),
    // Shenzhou 8 to Tiangong-1 (fact 11)
    e("shenzhou-8-docking", "shenzhou-8.cdm", "tiangong-1.cdm", "mates", DOCKING, &[], &[]),
    // Crew Dragon Demo-1 and Starliner OFT-2 at IDA-2 (fact 20)
    e("demo-1-docking", "crew-dragon-demo-1.forward", "iss.ida2", "mates", DOCKING, &[], &[]),
    e("oft-2-docking", "starliner-oft-2.forward", "iss.ida2", "mates", DOCKING, &[], &[]),
    // Artemis III (planned): HLS dual chaser, Orion passive (5a)
    e("artemis-3-docking", "starship-hls.dock", "orion.dock", "mates", DOCKING, &[], &[]),
];

fn run(args: &[&str]) -> (i32, Value, String) {
    let out = dockcheck().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|err| {
        panic!(
            "`dockcheck {}` did not print JSON ({err})\nstdout:\n{}\nstderr:\n{stderr}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().unwrap_or(-1), doc, stderr)
}

fn strings(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn sorted(codes: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = codes.iter().map(|s| s.to_string()).collect();
    out.sort();
    out
}

/// The pair-rule warnings among a result's diagnostics, sorted.
fn pair_warnings(doc: &Value) -> Vec<String> {
    let mut out: Vec<String> = doc["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|d| d["severity"] == "warning")
                .filter_map(|d| d["code"].as_str())
                .filter(|c| c.starts_with("MATE-"))
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// `how` as the record writes it: the JSON has the key always, `null` when
/// the pair does not mate (the contract), which is `None`.
fn how(v: &Value) -> Option<&str> {
    match v.get("how") {
        Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        other => panic!("`how` must be a string or null, found {other:?} in {v}"),
    }
}

/// A one-line summary of a pair result, for failure messages.
fn brief(v: &Value) -> String {
    format!(
        "verdict {} how {} codes {}",
        v["verdict"],
        v.get("how").unwrap_or(&Value::Null),
        v["codes"]
    )
}

#[test]
fn record_table_matches_missions_icd() {
    // the table and missions.icd list the same matings, so (c) covers both
    let (_, doc, stderr) = run(&["check", DIR, "--format", "json"]);
    let matings = doc["matings"]
        .as_array()
        .unwrap_or_else(|| panic!("no `matings` in check's JSON: {doc}\n{stderr}"));
    let mut in_file: Vec<(String, String, String)> = matings
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap_or("?").to_string(),
                m["chaser"].as_str().unwrap_or("?").to_string(),
                m["target"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect();
    in_file.sort();
    let mut in_table: Vec<(String, String, String)> = RECORD
        .iter()
        .map(|e| (e.id.into(), e.chaser.into(), e.target.into()))
        .collect();
    in_table.sort();
    assert_eq!(in_table, in_file, "the table and missions.icd differ");
}

#[test]
fn a_mate_gives_the_recorded_verdict_and_how() {
    let mut wrong = Vec::new();
    for e in RECORD {
        let (rc, doc, stderr) = run(&["mate", e.chaser, e.target, DIR, "--format", "json"]);
        let got = (
            doc["verdict"].as_str().unwrap_or("?").to_string(),
            how(&doc).map(String::from),
            strings(&doc["codes"]),
            pair_warnings(&doc),
        );
        let want = (
            e.verdict.to_string(),
            e.how.map(String::from),
            sorted(e.errors),
            sorted(e.warnings),
        );
        let want_rc = if e.verdict == "mates" { 0 } else { 1 };
        if got != want || rc != want_rc {
            wrong.push(format!(
                "{} ({} → {}): expected {want:?} (exit {want_rc}), found {got:?} (exit {rc})\n  diagnostics: {}\n  stderr: {stderr}",
                e.id,
                e.chaser,
                e.target,
                doc["diagnostics"]
                    .as_array()
                    .map(|a| a
                        .iter()
                        .map(|d| format!("{}[{}] {}", d["severity"], d["code"], d["message"]))
                        .collect::<Vec<_>>()
                        .join("; "))
                    .unwrap_or_default()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} wrong:\n{}",
        wrong.len(),
        RECORD.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_matrix_agrees_both_ways() {
    let (_, doc, stderr) = run(&["matrix", DIR, "--format", "json"]);
    let pairs: BTreeMap<(String, String), &Value> = doc["pairs"]
        .as_array()
        .unwrap_or_else(|| panic!("no `pairs` in the matrix JSON: {doc}\n{stderr}"))
        .iter()
        .map(|p| {
            (
                (
                    p["chaser"].as_str().unwrap_or("?").to_string(),
                    p["target"].as_str().unwrap_or("?").to_string(),
                ),
                p,
            )
        })
        .collect();
    let mut wrong = Vec::new();
    for e in RECORD {
        for (a, b, dir) in [
            (e.chaser, e.target, "as flown"),
            (e.target, e.chaser, "reversed"),
        ] {
            let Some(p) = pairs.get(&(a.to_string(), b.to_string())) else {
                wrong.push(format!("{} {dir}: no matrix cell {a} → {b}", e.id));
                continue;
            };
            let got = (
                p["verdict"].as_str().unwrap_or("?"),
                how(p),
                strings(&p["codes"]),
            );
            let want = (e.verdict, e.how, sorted(e.errors));
            if got != want {
                wrong.push(format!(
                    "{} {dir} ({a} → {b}): expected verdict {} how {:?} codes {:?}, found {}",
                    e.id,
                    e.verdict,
                    e.how,
                    e.errors,
                    brief(p)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn check_gives_each_mating_its_recorded_verdict() {
    let (rc, doc, stderr) = run(&["check", DIR, "--format", "json"]);
    // the probe against APAS-75 fails, so the run fails
    assert_eq!(rc, 1, "exit code of check {DIR}\n{stderr}");
    let matings: BTreeMap<String, &Value> = doc["matings"]
        .as_array()
        .unwrap_or_else(|| panic!("no `matings` in check's JSON: {doc}"))
        .iter()
        .map(|m| (m["id"].as_str().unwrap_or("?").to_string(), m))
        .collect();
    let mut wrong = Vec::new();
    for e in RECORD {
        let Some(m) = matings.get(e.id) else {
            wrong.push(format!("{}: not among check's matings", e.id));
            continue;
        };
        let got = (
            m["chaser"].as_str().unwrap_or("?"),
            m["target"].as_str().unwrap_or("?"),
            m["verdict"].as_str().unwrap_or("?"),
            how(m),
            strings(&m["codes"]),
        );
        let want = (e.chaser, e.target, e.verdict, e.how, sorted(e.errors));
        if got != want {
            wrong.push(format!("{}: expected {want:?}, found {got:?}", e.id));
        }
    }
    let s = &doc["summary"]["matings"];
    assert!(
        wrong.is_empty(),
        "{} wrong (summary {s}):\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn check_reports_what_the_annotations_expect() {
    // As `dockcheck test` asks of a fixture: every error and warning located
    // in a file of the folder is expected there (file, line, code), and every
    // expectation is found; an info only when annotated.
    let (_, doc, _) = run(&["check", DIR, "--format", "json"]);
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "icd"))
        .collect();
    files.sort();
    let mut expected: Vec<(String, usize, String)> = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let a = dockcheck::fixture::parse(&text);
        assert!(
            a.errors.is_empty(),
            "{}: malformed annotations {:?}",
            f.display(),
            a.errors
        );
        let name = f.to_string_lossy().replace('\\', "/");
        for x in a.expects {
            expected.push((name.clone(), x.line, x.code));
        }
    }
    let annotated_codes: Vec<(String, usize, String)> = expected.clone();
    let mut found: Vec<(String, usize, String)> = json_diags(&doc)
        .into_iter()
        .filter(|(f, l, c, sev)| {
            sev != "info"
                || annotated_codes
                    .iter()
                    .any(|(af, al, ac)| af == f && al == l && ac == c)
        })
        .map(|(f, l, c, _)| (f, l, c))
        .collect();
    found.sort();
    expected.sort();
    let missing: Vec<_> = expected
        .iter()
        .filter(|x| !contains_n(&found, &expected, x))
        .collect();
    let unexpected: Vec<_> = found
        .iter()
        .filter(|x| !contains_n(&expected, &found, x))
        .collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "annotations and findings differ\n  missing (expected, not found): {missing:#?}\n  unexpected (found, not expected): {unexpected:#?}"
    );
}

/// (file, line, code, severity) of a report's diagnostics.
fn json_diags(doc: &Value) -> Vec<(String, usize, String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("?").to_string(),
                d["span"]["start"]["line"].as_u64().unwrap_or(0) as usize,
                d["code"].as_str().unwrap_or("?").to_string(),
                d["severity"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect()
}

/// Whether `x` occurs in `other` at least as often as in `mine`
/// (multiset containment for one element).
fn contains_n<T: PartialEq>(other: &[T], mine: &[T], x: &T) -> bool {
    other.iter().filter(|y| *y == x).count() >= mine.iter().filter(|y| *y == x).count()
}
