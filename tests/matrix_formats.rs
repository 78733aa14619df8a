//! The matrix's formats agree cell for cell, with and without configuration
//! (`--rule`, `--ignore`, a `dockcheck.toml` override by path): the table
//! stops each pair at its first failure and the CSV and JSON make no finding
//! text, so each is checked against the others and against the plain run.

mod common;
use common::{dockcheck, json};
use std::collections::BTreeMap;

/// (chaser, target) → (verdict, codes, how).
type Cells = BTreeMap<(String, String), (String, String, String)>;

fn run(dir: &std::path::Path, format: &str, args: &[&str]) -> String {
    let out = dockcheck()
        .current_dir(dir)
        .args(["matrix", ".", "--format", format])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{format} {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn csv(dir: &std::path::Path, args: &[&str]) -> Cells {
    let text = run(dir, "csv", args);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("chaser,target,verdict,codes,how"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 5, "{l}");
            (
                (f[0].to_string(), f[1].to_string()),
                (f[2].to_string(), f[3].to_string(), f[4].to_string()),
            )
        })
        .collect()
}

fn json_cells(dir: &std::path::Path, args: &[&str]) -> Cells {
    let doc = json(run(dir, "json", args).as_bytes());
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let codes: Vec<String> = c["codes"].as_array().unwrap().iter().map(s).collect();
            (
                (s(&c["chaser"]), s(&c["target"])),
                (s(&c["verdict"]), codes.join(";"), s(&c["how"])),
            )
        })
        .collect()
}

/// (chaser, target) → the table's symbol.
fn table(dir: &std::path::Path, args: &[&str]) -> BTreeMap<(String, String), String> {
    let text = run(dir, "table", args);
    let ports: Vec<String> = text
        .split("\ntargets:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.is_empty())
        .map(|l| l.trim_start().split_once("  ").unwrap().1.to_string())
        .collect();
    let mut out = BTreeMap::new();
    for (row, chaser) in text.lines().skip(1).zip(&ports) {
        let chars: Vec<char> = row.chars().collect();
        let marks = &chars[chars.len() - 3 * ports.len()..];
        assert!(row.starts_with(chaser.as_str()), "{row}");
        for (mark, target) in marks.chunks(3).zip(&ports) {
            let m: String = mark.iter().collect::<String>().trim().to_string();
            if m != "·" {
                out.insert((chaser.clone(), target.clone()), m);
            }
        }
    }
    out
}

fn symbol(verdict: &str, how: &str) -> &'static str {
    match (verdict, how) {
        ("mates", "berthing") => "⊕",
        ("mates", _) => "✓",
        ("fails", _) => "✗",
        _ => "?",
    }
}

/// The three formats give one matrix.
fn agree(dir: &std::path::Path, args: &[&str]) -> Cells {
    let c = csv(dir, args);
    assert_eq!(json_cells(dir, args), c, "json and csv, {args:?}");
    let t = table(dir, args);
    let from_csv: BTreeMap<_, _> = c
        .iter()
        .map(|(k, (v, _, h))| (k.clone(), symbol(v, h).to_string()))
        .collect();
    assert_eq!(t, from_csv, "table and csv, {args:?}");
    c
}

fn with(cells: &Cells, code: &str) -> usize {
    cells
        .values()
        .filter(|(_, codes, _)| codes.split(';').any(|c| c == code))
        .count()
}

#[test]
fn formats_agree_with_and_without_configuration() {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir("fixtures/mating").unwrap().flatten() {
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let plain = agree(dir.path(), &[]);
    assert!(plain.len() > 500, "{} pairs", plain.len());
    let fails = |c: &Cells| c.values().filter(|v| v.0 == "fails").count();
    assert!(with(&plain, "MATE-ROLE") > 0 && with(&plain, "MATE-SYSTEM") > 0);

    // a rule turned off, a code ignored: gone from every cell, and pairs
    // that failed only by it no longer fail
    for args in [
        &["--rule", "MATE-ROLE=off"][..],
        &["--ignore", "MATE-SYSTEM"],
    ] {
        let code = if args[0] == "--rule" {
            "MATE-ROLE"
        } else {
            "MATE-SYSTEM"
        };
        let cells = agree(dir.path(), args);
        assert_eq!(with(&cells, code), 0, "{args:?}");
        assert!(fails(&cells) < fails(&plain), "{args:?}");
    }
    // a rule lowered to a warning: no longer a failing code
    let cells = agree(dir.path(), &["--rule", "MATE-ROLE=warning"]);
    assert_eq!(with(&cells, "MATE-ROLE"), 0);

    // an override by path: only the chasers in the matched files change
    std::fs::write(
        dir.path().join("dockcheck.toml"),
        "[[overrides]]\npaths = [\"role-*.icd\"]\nrules = { \"MATE-ROLE\" = \"off\" }\n",
    )
    .unwrap();
    let cells = agree(dir.path(), &[]);
    // the vehicles of the matched files
    let mut matched_vehicles = Vec::new();
    for e in std::fs::read_dir(dir.path()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("role-") && name.ends_with(".icd") {
            let text = std::fs::read_to_string(e.path()).unwrap();
            for l in text.lines() {
                if let Some(v) = l.strip_prefix("vehicle ") {
                    matched_vehicles.push(format!("{}.", v.trim_end_matches(" {")));
                }
            }
        }
    }
    assert!(!matched_vehicles.is_empty());
    let in_matched = |port: &str| {
        matched_vehicles
            .iter()
            .any(|v| port.starts_with(v.as_str()))
    };
    let role_chasers = |c: &Cells, matched: bool| {
        c.iter()
            .filter(|((chaser, _), _)| in_matched(chaser) == matched)
            .filter(|(_, (_, codes, _))| codes.split(';').any(|x| x == "MATE-ROLE"))
            .count()
    };
    assert!(role_chasers(&plain, true) > 0);
    assert_eq!(role_chasers(&cells, true), 0);
    assert_eq!(role_chasers(&cells, false), role_chasers(&plain, false));
}
