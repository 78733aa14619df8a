//! Hostile shapes of input that must stay fast and bounded: very long lines,
//! many diagnostics, many ports, a matrix too large to build.

use assert_cmd::Command;
use std::time::Duration;

fn dockcheck() -> Command {
    let mut c = Command::cargo_bin("dockcheck").unwrap();
    c.env("NO_COLOR", "1").timeout(Duration::from_secs(120));
    c
}

#[test]
fn a_very_long_line_is_not_printed_once_per_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("long.icd");
    std::fs::write(
        &p,
        format!(
            "vehicle v {{ name = \"x\"; {}}}\n",
            "colour = 1; ".repeat(100_000)
        ),
    )
    .unwrap();
    let out = dockcheck().arg("check").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.len() < 200_000, "human output is {} bytes", text.len());
    assert!(
        text.contains("99800 more diagnostics"),
        "{}",
        &text[text.len().saturating_sub(300)..]
    );
    // the JSON report keeps every finding
    let out = dockcheck()
        .args(["check", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["errors"], 100_000);
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
    assert_eq!(
        diags.iter().filter(|d| d["code"] == "ICD-REF").count(),
        20_000
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
