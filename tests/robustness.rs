//! Hostile shapes of input that must stay fast and bounded: very long lines,
//! many diagnostics, many ports, a matrix too large to build.

use std::time::Duration;

mod common;
use common::*;

#[test]
fn a_very_long_line_is_not_printed_once_per_diagnostic() {
    let (_dir, p) = temp_file(
        "long.icd",
        &format!(
            "vehicle v {{ name = \"x\"; {}}}\n",
            "colour = 1; ".repeat(100_000)
        ),
    );
    let out = dockcheck().arg("check").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.len() < 200_000, "human output is {} bytes", text.len());
    assert!(
        text.contains("more diagnostics in"),
        "{}",
        &text[text.len().saturating_sub(300)..]
    );
    // the JSON report has the first 1,000 and a note counting the rest
    let out = dockcheck()
        .args(["check", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["errors"], 1000);
    let limit = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ICD-LIMIT")
        .expect("ICD-LIMIT note");
    assert!(
        limit["message"]
            .as_str()
            .unwrap()
            .starts_with("99000 more diagnostics"),
        "{limit}"
    );
}

#[test]
fn many_ports_and_refs_stay_linear() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ports.icd");
    let mut text = String::from("vehicle big {\n  name = \"Big\"\n");
    for i in 0..50_000 {
        text.push_str(&format!("  port p{i} {{ location = \"x\" }}\n"));
    }
    text.push_str("  port p7 { location = \"again\" }\n}\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "mating m{i} {{ chaser = big.q{i}; target = big.p{i} }}\n"
        ));
    }
    std::fs::write(&p, text).unwrap();
    let t0 = std::time::Instant::now();
    let out = dockcheck()
        .args(["check", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(
        diags
            .iter()
            .filter(|d| d["code"] == "ICD-DUPLICATE")
            .count(),
        1
    );
    assert_eq!(diags.iter().filter(|d| d["code"] == "ICD-REF").count(), 999);
    let limit = diags
        .iter()
        .find(|d| d["code"] == "ICD-LIMIT")
        .expect("ICD-LIMIT note");
    assert!(
        limit["message"]
            .as_str()
            .unwrap()
            .starts_with("19001 more diagnostics"),
        "{limit}"
    );
    assert!(
        t0.elapsed() < Duration::from_secs(60),
        "took {:?}",
        t0.elapsed()
    );
}

#[test]
fn a_matrix_beyond_max_ports_is_refused() {
    let out = dockcheck()
        .args(["matrix", "fixtures/fleet", "--max-ports", "3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-ports"));
}

#[test]
fn a_tolerance_that_overflows_is_a_range_error_not_infinity() {
    let (_dir, p) = temp_file(
        "inf.icd",
        "vehicle a { name = \"a\"; mass = 1e308 kg ± 1e308 kg }\nvehicle b { name = \"b\"; port p { power { direction = supply; voltage = 1.7e308 V ± 28 % } } }\n",
    );
    let (rc, doc) = check_json([&p]);
    assert_eq!(rc, 1);
    assert_eq!(codes(&doc), vec!["ICD-RANGE", "ICD-RANGE"]);
}

#[test]
fn terminal_escapes_from_a_file_never_reach_the_terminal() {
    let (_dir, p) = temp_file(
        "esc.icd",
        "vehicle v { name = \"x\"; colour = 1 } # \u{1b}]0;PWNED\u{7}\u{1b}[2J\nvehicle w { name = \"w\"; port p { docking { system = \"\\u{1b}[31mRED\u{202e}\"; role = active } } }\nvehicle z { name = \"z\"; port p { docking { system = \"IDSS\"; role = passive } } }\nmating m { chaser = w.p; target = z.p }\n",
    );
    let out = dockcheck().arg("check").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ICD-UNKNOWN") && text.contains("MATE-UNDECIDED"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(
        text.contains("\\u{1b}[31mRED"),
        "escaped in messages: {text}"
    );
}

#[test]
fn human_and_json_columns_agree_on_multibyte_lines() {
    let (_dir, p) = temp_file("u.icd", "vehicle v { name = \"ééééé\"; colour = 1 }\n");
    let (_, doc) = check_json([&p]);
    assert_eq!(doc["diagnostics"][0]["span"]["start"]["column"], 29);
    let out = dockcheck().arg("check").arg(&p).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("u.icd:1:29]"));
}

#[test]
fn the_order_of_paths_does_not_choose_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let (d1, d2) = (dir.path().join("d1"), dir.path().join("d2"));
    std::fs::create_dir_all(&d1).unwrap();
    std::fs::create_dir_all(&d2).unwrap();
    std::fs::write(d1.join("dockcheck.toml"), "fail-on = \"never\"\n").unwrap();
    let bad = "vehicle v { colour = 1 }\n";
    std::fs::write(d1.join("a.icd"), bad).unwrap();
    std::fs::write(d2.join("b.icd"), bad.replace("v {", "w {")).unwrap();
    let a = dockcheck()
        .args(["check", "--format", "json"])
        .arg(d1.join("a.icd"))
        .arg(d2.join("b.icd"))
        .output()
        .unwrap();
    let b = dockcheck()
        .args(["check", "--format", "json"])
        .arg(d2.join("b.icd"))
        .arg(d1.join("a.icd"))
        .output()
        .unwrap();
    assert_eq!(a.status.code(), b.status.code());
    assert_eq!(a.stdout, b.stdout);
    // a single directory still finds its own configuration
    let c = dockcheck().arg("check").arg(&d1).output().unwrap();
    assert_eq!(c.status.code(), Some(0));
}

#[test]
fn a_lone_carriage_return_is_not_a_space_but_crlf_is_a_line_end() {
    let (dir, p) = temp_file(
        "cr.icd",
        "vehicle v {\r\n  name = \"x\"\r\n  mass = 5\r\r\rkg\r\n}\r\n",
    );
    let (rc, doc) = check_json([&p]);
    assert_eq!(rc, 1);
    assert_eq!(codes(&doc), vec!["ICD-SYNTAX"]);
    assert_eq!(doc["diagnostics"][0]["span"]["start"]["line"], 3);
    let q = dir.path().join("crlf.icd");
    std::fs::write(
        &q,
        "vehicle v {\r\n  name = \"x\"\r\n  mass = 5 kg\r\n}\r\n",
    )
    .unwrap();
    assert_eq!(check_json([&q]).0, 0);
}

#[test]
fn a_mating_of_a_vehicle_with_itself_is_refused() {
    let (_dir, p) = temp_file(
        "self.icd",
        "vehicle v { name = \"v\"; port a { }; port b { } }\nmating m { chaser = v.a; target = v.a }\nmating n { chaser = v.a; target = v.b }\n",
    );
    let (rc, doc) = check_json([&p]);
    assert_eq!(rc, 1);
    assert_eq!(codes(&doc), vec!["ICD-REF", "ICD-REF"]);
}

#[test]
fn one_bad_statement_gives_one_diagnostic() {
    let (_dir, p) = temp_file(
        "one.icd",
        "vehicle v {\n  name = \"x\"\n  name = 1e999\n  colour = \"unterminated\n  port p { docking { system = \"IDSS\"; role = active; capture { closing_velocity = 1 .. 2 } } }\n}\nvehicle = { }\n",
    );
    let (_, doc) = check_json([&p]);
    let lines: Vec<i64> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["span"]["start"]["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 4, 5, 7], "{doc}");
}
