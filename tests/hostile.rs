//! Hostile input (issue 12, item 5): files and paths built at test time to
//! break a reader, each checked in one run beside a valid file. Every case
//! asserts the diagnostic's text, the exit code, that the valid file was
//! still checked (its finding is in the JSON report), and that the run
//! ended within a watchdog's time; the largest cases also bound the peak
//! memory, measured with `/usr/bin/time` when it is there.
//!
//! The 100 MB file is `#[ignore]`d (about 40 s and 4.4 GB in a debug build
//! on two cores); `.ci/run` runs the ignored tests of this file with the
//! release build. The size limit itself is tested on small files here.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run is killed, and its test fails, after this long.
const WATCHDOG: Duration = Duration::from_secs(60);

/// The valid file placed beside every hostile one, and its one finding.
const VALID: &str = "vehicle ok { name = \"ok\"; colour = 1 }\n";
const VALID_CODE: &str = "ICD-UNKNOWN";

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    elapsed: Duration,
    /// Peak resident memory in KiB, when `/usr/bin/time` measured it.
    peak_kib: Option<u64>,
}

impl Run {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}\nstderr: {}",
                String::from_utf8_lossy(&self.stdout),
                self.stderr
            )
        })
    }
}

fn time_works() -> bool {
    Command::new("/usr/bin/time")
        .args(["-f", "%M", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs dockcheck in `dir` with a watchdog: the process group is killed
/// and the test fails when the run takes longer than [`WATCHDOG`].
fn run_in(dir: &Path, args: &[&str]) -> Run {
    let bin = env!("CARGO_BIN_EXE_dockcheck");
    let rss = dir.join(".peak-rss");
    let _ = std::fs::remove_file(&rss);
    let timed = time_works();
    let mut cmd = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("%M").arg("-o").arg(&rss).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let t0 = Instant::now();
    let mut child = cmd.spawn().expect("dockcheck starts");
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if t0.elapsed() > WATCHDOG {
            // the whole group: /usr/bin/time and dockcheck under it
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            panic!("dockcheck {args:?} still running after {WATCHDOG:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = t0.elapsed();
    let stdout = out_t.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&err_t.join().unwrap_or_default()).into_owned();
    let peak_kib = std::fs::read_to_string(&rss)
        .ok()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()));
    Run {
        code: status.code(),
        stdout,
        stderr,
        elapsed,
        peak_kib,
    }
}

/// A temporary directory holding the valid file `ok.icd`.
fn dir_with_valid() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("ok.icd"), VALID).expect("write ok.icd");
    dir
}

/// `check --format json` of `paths` (and `ok.icd`) in `dir`.
fn check(dir: &Path, extra: &[&str], paths: &[&str]) -> Run {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    args.extend_from_slice(paths);
    args.push("ok.icd");
    run_in(dir, &args)
}

fn diags(doc: &serde_json::Value) -> Vec<serde_json::Value> {
    doc["diagnostics"].as_array().cloned().unwrap_or_default()
}

/// The valid file was read and checked: its finding is in the report.
fn assert_valid_checked(doc: &serde_json::Value) {
    assert!(
        diags(doc)
            .iter()
            .any(|d| d["file"] == "ok.icd" && d["code"] == VALID_CODE),
        "the valid file's finding is missing: {doc:#}"
    );
}

/// The first diagnostic of `file` with `code` whose message contains `text`.
fn assert_diag(doc: &serde_json::Value, file: &str, code: &str, text: &str) -> serde_json::Value {
    let all = diags(doc);
    all.iter()
        .find(|d| {
            d["file"] == file
                && d["code"] == code
                && d["message"].as_str().is_some_and(|m| m.contains(text))
        })
        .cloned()
        .unwrap_or_else(|| {
            let same: Vec<_> = all
                .iter()
                .filter(|d| d["file"] == file && d["code"] == code)
                .map(|d| d["message"].clone())
                .take(5)
                .collect();
            panic!("no {code} in {file} saying {text:?}; its {code} messages: {same:?}")
        })
}

fn assert_fast(r: &Run, max_peak_mib: u64) {
    assert!(r.elapsed < WATCHDOG, "took {:?}", r.elapsed);
    match r.peak_kib {
        Some(kib) => assert!(
            kib / 1024 < max_peak_mib,
            "peak RSS {} MiB, over {max_peak_mib} MiB",
            kib / 1024
        ),
        None => eprintln!("note: /usr/bin/time unavailable; peak memory not measured"),
    }
    eprintln!(
        "took {:?}, peak RSS {}",
        r.elapsed,
        r.peak_kib
            .map_or("not measured".to_string(), |k| format!("{} MiB", k / 1024))
    );
}

// 1. nesting a million deep

#[test]
fn blocks_nested_a_million_deep_stop_at_the_limit() {
    let dir = dir_with_valid();
    std::fs::write(dir.path().join("deep.icd"), "a {".repeat(1_000_000)).unwrap();
    let r = check(dir.path(), &[], &["deep.icd"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let doc = r.json();
    let d = assert_diag(
        &doc,
        "deep.icd",
        "ICD-SYNTAX",
        "blocks nested deeper than 64 levels",
    );
    // at the 65th `{`: 64 blocks of `a {` end at byte 192
    assert_eq!(d["span"]["start"]["offset"], 194, "{d}");
    assert_valid_checked(&doc);
    assert_fast(&r, 200);
}

#[test]
fn lists_nested_a_million_deep_stop_at_the_limit() {
    let dir = dir_with_valid();
    let text = format!(
        "vehicle l {{ name = \"l\"; tags = {} }}\n",
        "[".repeat(1_000_000)
    );
    std::fs::write(dir.path().join("lists.icd"), text).unwrap();
    let r = check(dir.path(), &[], &["lists.icd"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let doc = r.json();
    assert_diag(
        &doc,
        "lists.icd",
        "ICD-SYNTAX",
        "lists nested deeper than 32 levels",
    );
    assert_valid_checked(&doc);
    assert_fast(&r, 200);
}

#[test]
fn max_nesting_in_the_configuration_sets_the_block_limit() {
    let dir = dir_with_valid();
    let port =
        "vehicle v { name = \"v\"; port p { docking { system = \"IDSS\"; role = active } } }\n";
    std::fs::write(dir.path().join("port.icd"), port).unwrap();
    std::fs::write(
        dir.path().join("dockcheck.toml"),
        "[limits]\nmax-nesting = 2\n",
    )
    .unwrap();
    let r = check(dir.path(), &["--select", "ICD"], &["port.icd"]);
    assert_eq!(r.code, Some(1));
    let doc = r.json();
    assert_diag(
        &doc,
        "port.icd",
        "ICD-SYNTAX",
        "blocks nested deeper than 2 levels",
    );
    assert_valid_checked(&doc);
    // the ceiling: a million deep with the largest limit is still bounded
    std::fs::write(dir.path().join("deep.icd"), "a {".repeat(1_000_000)).unwrap();
    std::fs::write(
        dir.path().join("dockcheck.toml"),
        "[limits]\nmax-nesting = 1024\n",
    )
    .unwrap();
    let r = check(dir.path(), &["--select", "ICD"], &["deep.icd", "port.icd"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let doc = r.json();
    assert!(
        !diags(&doc).iter().any(|d| d["file"] == "port.icd"),
        "{doc:#}"
    );
    assert_diag(&doc, "deep.icd", "ICD-SYNTAX", "unclosed block `a`");
    assert_valid_checked(&doc);
    assert_fast(&r, 300);
}

// 2. one 100 MB file, and the size limit

/// `n` small vehicles of about 50 bytes each.
fn many_vehicles(target: usize) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(target + 100);
    let mut i = 0u64;
    while s.len() < target {
        let _ = writeln!(
            s,
            "vehicle v{i} {{ name = \"V{i}\"; mass = {} kg }}",
            1000 + i % 9000
        );
        i += 1;
    }
    s
}

#[test]
#[ignore = "about 40 s and 4.4 GB in a debug build on two cores; .ci/run runs it with --release"]
fn a_100_mb_file_is_checked() {
    let dir = dir_with_valid();
    let text = many_vehicles(100 * 1024 * 1024);
    std::fs::write(dir.path().join("big.icd"), &text).unwrap();
    let r = check(dir.path(), &[], &["big.icd"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let doc = r.json();
    assert!(
        !diags(&doc).iter().any(|d| d["file"] == "big.icd"),
        "the big file is valid: {}",
        diags(&doc).len()
    );
    assert_eq!(doc["summary"]["files"], 2);
    assert_valid_checked(&doc);
    // observed with the release build: 18 s and 4.4 GB (the issue asks for
    // under 5 s; see the report of issue 12)
    assert_fast(&r, 8 * 1024);
}

#[test]
fn a_file_over_max_file_size_is_not_read_and_the_hint_lets_it_through() {
    let dir = dir_with_valid();
    let text = many_vehicles(3 * 1024 * 1024 + 17);
    std::fs::write(dir.path().join("big.icd"), &text).unwrap();
    let size = text.len();
    let r = check(dir.path(), &["--max-file-size", "1MiB"], &["big.icd"]);
    assert_eq!(r.code, Some(2), "not checked is trouble: {}", r.stderr);
    let doc = r.json();
    let d = assert_diag(
        &doc,
        "big.icd",
        "ICD-TOO-LARGE",
        &format!("big.icd is {size} bytes, over the 1 MiB limit of `max-file-size`"),
    );
    assert_valid_checked(&doc);
    assert_eq!(doc["summary"]["files"], 1, "only ok.icd was checked");
    // follow the hint's flag: the file is checked
    let help = d["help"].as_str().unwrap_or_default().to_string();
    let flag = help
        .split('`')
        .find(|s| s.starts_with("--max-file-size "))
        .unwrap_or_else(|| panic!("no flag in the help: {help}"));
    let value = flag.trim_start_matches("--max-file-size ");
    let r = check(dir.path(), &["--max-file-size", value], &["big.icd"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["summary"]["files"], 2, "{doc:#}");
    assert!(!diags(&doc).iter().any(|d| d["file"] == "big.icd"));
    // and the hint's configuration line does the same
    let line = help
        .split('`')
        .find(|s| s.starts_with("max-file-size = "))
        .unwrap_or_else(|| panic!("no config line in the help: {help}"));
    std::fs::write(
        dir.path().join("dockcheck.toml"),
        "[limits]\nmax-file-size = 100\n",
    )
    .unwrap();
    let r = check(dir.path(), &[], &["big.icd"]);
    assert_eq!(r.code, Some(2));
    assert_diag(
        &r.json(),
        "big.icd",
        "ICD-TOO-LARGE",
        "over the 100 bytes limit",
    );
    std::fs::write(
        dir.path().join("dockcheck.toml"),
        format!("[limits]\n{line}\n"),
    )
    .unwrap();
    let r = check(dir.path(), &[], &["big.icd"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(r.json()["summary"]["files"], 2);
    // the flag wins over the configuration
    let r = check(dir.path(), &["--max-file-size", "1 MiB"], &["big.icd"]);
    assert_eq!(r.code, Some(2));
}

#[test]
fn standard_input_is_bounded_by_max_file_size_too() {
    let dir = dir_with_valid();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockcheck"))
        .args([
            "check",
            "--format",
            "json",
            "--max-file-size",
            "1kB",
            "-",
            "ok.icd",
        ])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // more than the limit; the reader stops early, so the pipe may close
    let _ = std::io::Write::write_all(&mut stdin, many_vehicles(50_000).as_bytes());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_diag(
        &doc,
        "-",
        "ICD-TOO-LARGE",
        "- has more than 1000 bytes, over the 1000 bytes limit",
    );
    assert_valid_checked(&doc);
}

#[test]
fn limits_in_the_configuration_are_checked() {
    let dir = dir_with_valid();
    for (toml, code, text) in [
        (
            "[limits]\nmax_file_size = 10\n",
            "SPEC-SCHEMA",
            "unknown key `max_file_size` in `limits` (did you mean `max-file-size`?)",
        ),
        (
            "[limits]\nmax-size = 10\n",
            "SPEC-SCHEMA",
            "unknown key `max-size` in `limits`",
        ),
        (
            "[limits]\nmax-file-size = \"10 parsecs\"\n",
            "SPEC-INVALID",
            "`10 parsecs` is not a size",
        ),
        (
            "[limits]\nmax-file-size = 0\n",
            "SPEC-INVALID",
            "at least 1 byte",
        ),
        (
            "[limits]\nmax-nesting = 5000\n",
            "SPEC-SCHEMA",
            "5000 is greater than the maximum of 1024",
        ),
    ] {
        std::fs::write(dir.path().join("dockcheck.toml"), toml).unwrap();
        let r = check(dir.path(), &[], &[]);
        assert_eq!(r.code, Some(2), "{toml}");
        let doc = r.json();
        let d = assert_diag(&doc, "dockcheck.toml", code, text);
        assert_eq!(d["span"]["start"]["line"], 2, "{toml}: {d}");
    }
    let r = run_in(dir.path(), &["check", "--max-file-size", "lots", "ok.icd"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("`lots` is not a size"), "{}", r.stderr);
}

// 3. a 10 MB single line

#[test]
fn a_10_mb_single_line_is_read_and_reported_briefly() {
    let dir = dir_with_valid();
    let text = format!(
        "vehicle l {{ name = \"{}\"; colour = 1 }}",
        "x".repeat(10 * 1024 * 1024)
    );
    std::fs::write(dir.path().join("line.icd"), &text).unwrap();
    let r = check(dir.path(), &[], &["line.icd"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let doc = r.json();
    let d = assert_diag(
        &doc,
        "line.icd",
        "ICD-UNKNOWN",
        "unknown attribute `colour` in a `vehicle`",
    );
    assert_eq!(d["span"]["start"]["line"], 1);
    assert_valid_checked(&doc);
    assert_fast(&r, 500);
    // the human report draws an excerpt of the line, not 10 MB
    let r = run_in(dir.path(), &["check", "line.icd", "ok.icd"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stdout.len() < 20_000, "{} bytes", r.stdout.len());
    assert!(String::from_utf8_lossy(&r.stdout).contains("ok.icd:1:27"));
}

/// A megabyte-long number, attribute name or unit is named in its
/// diagnostic by its start and end, not echoed whole: the span points at
/// all of it.
#[test]
fn megabyte_long_words_are_cut_in_the_message() {
    let dir = dir_with_valid();
    let long = 1024 * 1024;
    let words = [
        (
            "number.icd",
            format!(
                "vehicle n {{ name = \"n\"; mass = {}.5 kg }}\n",
                "1".repeat(long)
            ),
            "ICD-RANGE",
            "the number `111",
        ),
        (
            "key.icd",
            format!("vehicle k {{ name = \"k\"; {} = 1 }}\n", "a".repeat(long)),
            "ICD-UNKNOWN",
            "unknown attribute `aaa",
        ),
        (
            "unit.icd",
            format!(
                "vehicle u {{ name = \"u\"; mass = 5 {} }}\n",
                "q".repeat(long)
            ),
            "ICD-UNIT",
            "unknown unit `qqq",
        ),
    ];
    for (file, text, _, _) in &words {
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    let r = check(dir.path(), &[], &["number.icd", "key.icd", "unit.icd"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stdout.len() < 100_000, "{} bytes of JSON", r.stdout.len());
    let doc = r.json();
    for (file, _, code, start) in &words {
        let d = assert_diag(&doc, file, code, start);
        let message = d["message"].as_str().unwrap_or_default();
        assert!(message.len() <= 1100, "{file}: {} bytes", message.len());
        assert!(message.contains("bytes cut"), "{file}: {message}");
        let span = d["span"]["end"]["offset"].as_u64().unwrap_or(0)
            - d["span"]["start"]["offset"].as_u64().unwrap_or(0);
        assert!(span >= long as u64, "{file}: the span covers {span} bytes");
    }
    assert_valid_checked(&doc);
    assert_fast(&r, 500);
}

// 4. NUL bytes

#[test]
fn nul_bytes_are_a_syntax_error_naming_the_character() {
    let dir = dir_with_valid();
    std::fs::write(
        dir.path().join("nul.icd"),
        b"vehicle n { name = \"n\" }\n\0\0\0vehicle m { name = \"m\" }\n",
    )
    .unwrap();
    let r = check(dir.path(), &[], &["nul.icd"]);
    assert_eq!(r.code, Some(1));
    let doc = r.json();
    let d = assert_diag(
        &doc,
        "nul.icd",
        "ICD-SYNTAX",
        "found the control character U+0000",
    );
    assert_eq!(d["span"]["start"]["line"], 2);
    assert_valid_checked(&doc);
    // the human report never prints the NUL itself
    let r = run_in(dir.path(), &["check", "nul.icd", "ok.icd"]);
    assert!(!r.stdout.contains(&0u8));
}

// 5. invalid UTF-8

#[test]
fn invalid_utf8_is_an_encoding_error_at_its_byte() {
    let dir = dir_with_valid();
    std::fs::write(
        dir.path().join("latin1.icd"),
        b"vehicle c { name = \"Caf\xe9\" }\n",
    )
    .unwrap();
    let r = check(dir.path(), &[], &["latin1.icd"]);
    assert_eq!(r.code, Some(1));
    let doc = r.json();
    let d = assert_diag(
        &doc,
        "latin1.icd",
        "ICD-ENCODING",
        "invalid UTF-8 at byte offset 23",
    );
    assert_eq!(d["help"], "save the file as UTF-8");
    assert_valid_checked(&doc);
}

// 6. 1e999 and -0

#[test]
fn numbers_that_overflow_are_range_errors_and_minus_zero_is_zero() {
    let dir = dir_with_valid();
    std::fs::write(
        dir.path().join("num.icd"),
        "vehicle a { name = \"a\"; mass = 1e999 kg }\nvehicle b { name = \"b\"; mass = 1e308 Mg }\nvehicle z { name = \"z\"; mass = -0 kg }\n",
    )
    .unwrap();
    let r = check(dir.path(), &[], &["num.icd"]);
    assert_eq!(r.code, Some(1));
    let doc = r.json();
    let mine: Vec<_> = diags(&doc)
        .into_iter()
        .filter(|d| d["file"] == "num.icd")
        .collect();
    let lines: Vec<_> = mine
        .iter()
        .map(|d| (d["code"].clone(), d["span"]["start"]["line"].clone()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (serde_json::json!("ICD-RANGE"), serde_json::json!(1)),
            (serde_json::json!("ICD-RANGE"), serde_json::json!(2)),
        ],
        "{mine:#?}"
    );
    assert!(
        mine[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("the number `1e999` is not finite as a 64-bit float"),
        "{}",
        mine[0]
    );
    assert_valid_checked(&doc);
    // -0 is 0: the model holds 0, not -0
    let out = run_in(dir.path(), &["export", "num.icd"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"text\": \"-0 kg\""), "{text}");
    assert!(!text.contains("-0.0"), "{text}");
    // and a zero passageway is below any minimum, signed or not
    std::fs::write(
        dir.path().join("zero.icd"),
        "vehicle z { name = \"z\"; port p { docking { system = \"IDSS\"; role = passive; passageway = -0 mm } } }\n",
    )
    .unwrap();
    let r = check(dir.path(), &["--select", "IDSS-PASSAGE"], &["zero.icd"]);
    assert_eq!(r.code, Some(1));
    assert_diag(
        &r.json(),
        "zero.icd",
        "IDSS-PASSAGE",
        "passageway 0 mm is below",
    );
}

// 7. an empty file

#[test]
fn an_empty_file_is_checked_and_has_nothing_to_report() {
    let dir = dir_with_valid();
    std::fs::write(dir.path().join("empty.icd"), "").unwrap();
    let r = check(dir.path(), &[], &["empty.icd"]);
    assert_eq!(r.code, Some(1), "from ok.icd's finding");
    let doc = r.json();
    assert!(!diags(&doc).iter().any(|d| d["file"] == "empty.icd"));
    assert_eq!(doc["summary"]["files"], 2, "the empty file counts as read");
    assert_valid_checked(&doc);
    // alone, it passes
    let r = run_in(dir.path(), &["check", "--format", "json", "empty.icd"]);
    assert_eq!(r.code, Some(0));
}

// 8. a symbolic link loop

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_walked_directory_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let walk = dir.path().join("walk");
    std::fs::create_dir_all(walk.join("sub")).unwrap();
    std::fs::write(walk.join("ok.icd"), VALID).unwrap();
    std::os::unix::fs::symlink("..", walk.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(".", walk.join("self")).unwrap();
    std::os::unix::fs::symlink("me.icd", walk.join("me.icd")).unwrap();
    let r = run_in(dir.path(), &["check", "--format", "json", "walk"]);
    assert_eq!(
        r.code,
        Some(2),
        "the looping link named *.icd cannot be read"
    );
    let doc = r.json();
    assert!(
        diags(&doc)
            .iter()
            .any(|d| d["file"] == "walk/ok.icd" && d["code"] == VALID_CODE),
        "{doc:#}"
    );
    assert_diag(
        &doc,
        "walk/me.icd",
        "ICD-IO",
        "cannot read walk/me.icd: broken symbolic link",
    );
    // the valid file once, however many loops lead back to it
    assert_eq!(doc["summary"]["files"], 1, "{doc:#}");
    assert_fast(&r, 200);
}

// 9. paths that are not there

#[cfg(unix)]
#[test]
fn a_missing_file_and_a_dangling_link_are_io_errors_and_the_rest_is_checked() {
    let dir = dir_with_valid();
    let walk = dir.path().join("walk");
    std::fs::create_dir_all(&walk).unwrap();
    std::fs::write(walk.join("gone.icd"), VALID).unwrap();
    std::os::unix::fs::symlink("gone.icd", walk.join("dangling.icd")).unwrap();
    // the link's target vanishes before the run
    std::fs::remove_file(walk.join("gone.icd")).unwrap();
    let r = check(dir.path(), &[], &["walk", "missing.icd"]);
    assert_eq!(r.code, Some(2));
    let doc = r.json();
    assert_diag(
        &doc,
        "missing.icd",
        "ICD-IO",
        "cannot read missing.icd: no such file or directory",
    );
    assert_diag(
        &doc,
        "walk/dangling.icd",
        "ICD-IO",
        "broken symbolic link (no such file or directory)",
    );
    assert_valid_checked(&doc);
    // named directly, the dangling link is a missing file
    let r = check(dir.path(), &[], &["walk/dangling.icd"]);
    assert_eq!(r.code, Some(2));
    assert_diag(
        &r.json(),
        "walk/dangling.icd",
        "ICD-IO",
        "no such file or directory",
    );
}

// 10. an unreadable file

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_an_io_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_with_valid();
    let p = dir.path().join("secret.icd");
    std::fs::write(&p, VALID.replace("ok", "secret")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        eprintln!("note: skipped: a file with mode 000 is readable here (running as root?)");
        return;
    }
    let r = check(dir.path(), &[], &["secret.icd"]);
    assert_eq!(r.code, Some(2));
    let doc = r.json();
    assert_diag(
        &doc,
        "secret.icd",
        "ICD-IO",
        "cannot read secret.icd: permission denied",
    );
    assert_valid_checked(&doc);
    let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644));
}

// 11. a FIFO

fn mkfifo(p: &Path) -> bool {
    Command::new("mkfifo")
        .arg(p)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_waiting_on_it() {
    let dir = dir_with_valid();
    let walk = dir.path().join("walk");
    std::fs::create_dir_all(&walk).unwrap();
    std::fs::write(walk.join("ok.icd"), VALID).unwrap();
    let fifo: PathBuf = walk.join("pipe.icd");
    if !mkfifo(&fifo) {
        eprintln!("note: skipped: mkfifo is not available");
        return;
    }
    // inside a walked directory, and named directly
    for target in ["walk", "walk/pipe.icd"] {
        let r = check(dir.path(), &[], &[target]);
        assert_eq!(r.code, Some(2), "{target}");
        let doc = r.json();
        assert_diag(
            &doc,
            "walk/pipe.icd",
            "ICD-IO",
            "cannot read walk/pipe.icd: not a regular file or a directory",
        );
        assert_valid_checked(&doc);
        assert!(r.elapsed < Duration::from_secs(30), "{:?}", r.elapsed);
    }
}
