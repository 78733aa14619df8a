//! Helpers shared by the integration tests that drive the binary.
#![allow(dead_code)] // each test binary uses a different part

use assert_cmd::Command;
use std::time::Duration;

/// The built binary, colourless, at the default report width, with a
/// timeout so that a hang fails the test instead of stalling it.
pub fn dockcheck() -> Command {
    let mut c = Command::cargo_bin("dockcheck").expect("the dockcheck binary is built");
    c.env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .timeout(Duration::from_secs(120));
    c
}

/// Parses a command's stdout as JSON.
pub fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("JSON output")
}

/// Runs `dockcheck check --format json FILES...`: (exit code, report).
pub fn check_json<I, S>(files: I) -> (i32, serde_json::Value)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = dockcheck()
        .args(["check", "--format", "json"])
        .args(files)
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), json(&out.stdout))
}

/// The codes of a report's diagnostics, in report order.
pub fn codes(doc: &serde_json::Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// Writes `text` to `name` in a fresh temporary directory (kept alive by the
/// returned guard).
pub fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    (dir, p)
}

/// The first diagnostic of a report with this code.
pub fn find<'a>(doc: &'a serde_json::Value, code: &str) -> Option<&'a serde_json::Value> {
    doc["diagnostics"]
        .as_array()?
        .iter()
        .find(|d| d["code"] == code)
}
