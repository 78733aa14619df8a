//! The command examples of README.md and docs/*.md, run against the binary,
//! so that a doc line cannot drift from what dockcheck prints.
//!
//! Every fenced block whose info string is `console` is a transcript:
//!
//! - a line starting with `$ ` is a command; the lines after it, up to the
//!   next command or the end of the block, are its expected output (stdout
//!   and stderr as one stream, in the order a terminal shows them);
//! - `dockcheck` is the binary under test; leading `VAR=value` words set
//!   environment variables; `$ echo $?` prints the exit status of the command
//!   before it;
//! - commands run from the repository root with `NO_COLOR=1` and
//!   `COLUMNS=100`; a run time `in 1.23s` is compared as `in 0.00s`;
//! - in expected output, `[..]` matches any text within a line, and a line
//!   that is only `...` matches any number of lines.
//!
//! Blocks that only illustrate (hypothetical files) use `sh` or `text`
//! fences and are not run.
//!
//! **Bless mode.** After a deliberate change of output, run
//!
//! ```sh
//! DOCKCHECK_BLESS_DOCS=1 cargo test --test docs
//! ```
//!
//! It rewrites, in the docs, the expected output of every command whose
//! output no longer matches, from the binary (a single `...` is kept: the
//! same number of lines before and after it are taken from the new output;
//! `[..]` in a rewritten output is lost). Review the result with `git diff`.

use std::path::{Path, PathBuf};
use std::process::Command;

const DOCS: &[&str] = &[
    "README.md",
    "docs/language.md",
    "docs/mating.md",
    "docs/specs.md",
    "docs/ci.md",
    "docs/review.md",
];

/// One command of a transcript: its line, and the range of lines of the
/// document holding its expected output.
struct Example {
    command: String,
    line: usize,
    output: std::ops::Range<usize>,
    /// The indentation of the block (a block inside a list item).
    indent: usize,
}

/// The commands of the `console` blocks of a document.
fn examples(lines: &[&str]) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_block = false;
    let mut indent = 0;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if !in_block {
            in_block = t.starts_with("```console");
            indent = l.len() - t.len();
            continue;
        }
        if t.starts_with("```") {
            in_block = false;
            continue;
        }
        if let Some(cmd) = unindent(l, indent).strip_prefix("$ ") {
            out.push(Example {
                command: cmd.to_string(),
                line: i + 1,
                output: i + 1..i + 1,
                indent,
            });
        } else if let Some(last) = out.last_mut() {
            last.output.end = i + 1;
        }
    }
    out
}

/// `l` without up to `n` leading spaces.
fn unindent(l: &str, n: usize) -> &str {
    let spaces = l.len() - l.trim_start_matches(' ').len();
    &l[spaces.min(n)..]
}

/// Splits a command line into words, honouring single and double quotes.
fn words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in cmd.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs one command; returns its output (stdout and stderr interleaved) and
/// exit status.
fn run(command: &str, last_status: i32) -> (String, i32) {
    if command.trim() == "echo $?" {
        return (format!("{last_status}\n"), 0);
    }
    let mut w = words(command);
    let mut env = Vec::new();
    while let Some((k, v)) = w.first().and_then(|x| x.split_once('=')) {
        if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            break;
        }
        env.push((k.to_string(), v.to_string()));
        w.remove(0);
    }
    assert_eq!(
        w.first().map(String::as_str),
        Some("dockcheck"),
        "only dockcheck commands are run: `{command}`"
    );
    let (reader, writer) = std::io::pipe().expect("a pipe");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockcheck"));
    cmd.args(&w[1..])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .stdin(std::process::Stdio::null())
        .stdout(writer.try_clone().expect("a pipe"))
        .stderr(writer);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("dockcheck runs");
    // the parent's copies of the writer must be closed for the read to end
    drop(cmd);
    let mut text = String::new();
    let mut reader = reader;
    std::io::Read::read_to_string(&mut reader, &mut text).expect("UTF-8 output");
    let status = child.wait().expect("dockcheck ends");
    (normalise(&text), status.code().unwrap_or(-1))
}

/// Replaces the run time of a summary line (`in 0.42s`) by `in 0.00s`.
fn normalise(text: &str) -> String {
    text.lines()
        .map(|l| {
            let Some(at) = l.rfind(" in ") else {
                return l.to_string();
            };
            let tail = &l[at + 4..];
            let is_time = tail.ends_with('s')
                && tail.len() > 1
                && tail[..tail.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.');
            if is_time {
                format!("{} in 0.00s", &l[..at])
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect()
}

/// Whether `line` matches the pattern `pat` (with `[..]` wildcards).
fn line_matches(pat: &str, line: &str) -> bool {
    let parts: Vec<&str> = pat.split("[..]").collect();
    if parts.len() == 1 {
        return pat == line;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !line.starts_with(first) || !line[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &line[first.len()..line.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}

/// Whether the output lines match the expected lines (with `...` lines).
fn matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"...", rest)) => (0..=actual.len()).any(|k| matches(rest, &actual[k..])),
        Some((p, rest)) => {
            !actual.is_empty() && line_matches(p, actual[0]) && matches(rest, &actual[1..])
        }
    }
}

/// The lines to write for `actual`, keeping the shape of a single `...` in
/// `expected`.
fn blessed(expected: &[&str], actual: &[&str]) -> Vec<String> {
    let dots: Vec<usize> = (0..expected.len())
        .filter(|i| expected[*i] == "...")
        .collect();
    if let [d] = dots[..] {
        let (head, tail) = (d, expected.len() - d - 1);
        if head + tail < actual.len() {
            let mut out: Vec<String> = actual[..head].iter().map(|s| s.to_string()).collect();
            out.push("...".into());
            out.extend(actual[actual.len() - tail..].iter().map(|s| s.to_string()));
            return out;
        }
    }
    actual.iter().map(|s| s.to_string()).collect()
}

fn check_doc(doc: &Path, bless: bool) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(doc)).expect("the doc is readable");
    let lines: Vec<&str> = text.lines().collect();
    let mut failures = Vec::new();
    let mut replacements: Vec<(std::ops::Range<usize>, Vec<String>)> = Vec::new();
    let mut status = 0;
    for ex in examples(&lines) {
        let (out, code) = run(&ex.command, status);
        status = code;
        let expected: Vec<&str> = lines[ex.output.clone()]
            .iter()
            .map(|l| unindent(l, ex.indent))
            .collect();
        let expected = &expected[..];
        // blank lines at the end of a block's output are not significant
        let trim = |v: &[&str]| {
            let mut n = v.len();
            while n > 0 && v[n - 1].trim().is_empty() {
                n -= 1;
            }
            n
        };
        let actual: Vec<&str> = out.lines().collect();
        let (e, a) = (&expected[..trim(expected)], &actual[..trim(&actual)]);
        if !matches(e, a) {
            failures.push(format!(
                "{}:{}: `$ {}` printed:\n{}\n--- but the doc says:\n{}\n",
                doc.display(),
                ex.line,
                ex.command,
                a.join("\n"),
                e.join("\n")
            ));
            let pad = " ".repeat(ex.indent);
            let with = blessed(e, a)
                .into_iter()
                .map(|l| if l.is_empty() { l } else { format!("{pad}{l}") })
                .collect();
            replacements.push((ex.output.start..ex.output.start + e.len(), with));
        }
    }
    if bless && !replacements.is_empty() {
        let mut new: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        for (range, with) in replacements.into_iter().rev() {
            new.splice(range, with);
        }
        let mut out = new.join("\n");
        if text.ends_with('\n') {
            out.push('\n');
        }
        std::fs::write(root().join(doc), out).expect("the doc is writable");
        eprintln!("blessed {}", doc.display());
        return Vec::new();
    }
    failures
}

#[test]
fn item_14_doc_examples_match_the_binary() {
    let bless = std::env::var_os("DOCKCHECK_BLESS_DOCS").is_some_and(|v| !v.is_empty() && v != "0");
    let mut failures = Vec::new();
    let mut commands = 0;
    for doc in DOCS {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        commands += examples(&text.lines().collect::<Vec<_>>()).len();
        failures.extend(check_doc(Path::new(doc), bless));
    }
    assert!(commands >= 10, "only {commands} doc commands found");
    assert!(
        failures.is_empty(),
        "{} doc example(s) differ from the binary (bless with DOCKCHECK_BLESS_DOCS=1):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn doc_example_matching_can_fail() {
    // the matcher itself: wildcards match, and a drifted line does not
    assert!(matches(
        &["a [..] c", "...", "z"],
        &["a b c", "x", "y", "z"]
    ));
    assert!(!matches(
        &["crew-dragon.icd:17:3"],
        &["crew-dragon.icd:23:3"]
    ));
    assert!(!matches(&["a", "..."], &["b"]));
    assert!(!matches(&[], &["extra"]));
    assert_eq!(
        blessed(&["h", "...", "t"], &["1", "2", "3", "4"]),
        ["1", "...", "4"]
    );
    assert_eq!(
        normalise("dockcheck: 1 file checked: 0 errors in 0.42s\n"),
        "dockcheck: 1 file checked: 0 errors in 0.00s\n"
    );
    assert_eq!(
        words("NO_COLOR=1 dockcheck 'a b' c"),
        ["NO_COLOR=1", "dockcheck", "a b", "c"]
    );
}

mod common;

fn help(args: &[&str]) -> String {
    let out = common::dockcheck()
        .args(args)
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `--format` section of a command's `--help`, if it has one.
fn format_section(text: &str) -> Option<String> {
    let start = text.find("--format <FORMAT>")?;
    let rest = &text[start..];
    let end = rest.find("[default:").unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

#[test]
fn item_14_every_format_value_has_a_description() {
    let mut with_format = 0;
    for cmd in [
        "check",
        "mate",
        "matrix",
        "rules",
        "explain",
        "schema",
        "export",
        "completions",
    ] {
        let Some(section) = format_section(&help(&[cmd])) else {
            continue;
        };
        with_format += 1;
        assert!(
            !section.contains("[possible values:"),
            "`{cmd} --format` values have no descriptions:\n{section}"
        );
        let values: Vec<&str> = section
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("- "))
            .collect();
        assert!(!values.is_empty(), "{cmd}: {section}");
        for v in values {
            let (_, desc) = v.split_once(':').unwrap_or((v, ""));
            assert!(
                desc.trim().len() > 10,
                "`{cmd} --format` value without a description: {v}"
            );
        }
    }
    assert!(with_format >= 4);
}

#[test]
fn item_14_rules_help_describes_what_human_prints() {
    let text = help(&["rules"]);
    let section = format_section(&text).expect("rules has --format");
    let human = section
        .lines()
        .find(|l| l.trim_start().starts_with("- human:"))
        .expect("human is described");
    assert!(human.contains("table"), "{human}");
    assert!(!human.contains("miette"), "{human}");
}

#[test]
fn item_14_threads_flag_sets_the_worker_count_and_not_the_output() {
    let run = |threads: Option<&str>, env: Option<&str>| {
        let mut c = common::dockcheck();
        c.args([
            "check",
            "--format",
            "json",
            "fixtures/mating",
            "fixtures/fleet",
        ]);
        if let Some(n) = threads {
            c.args(["-j", n]);
        }
        if let Some(n) = env {
            c.env("RAYON_NUM_THREADS", n);
        }
        let out = c.output().unwrap();
        (out.status.code(), out.stdout)
    };
    let one = run(Some("1"), None);
    assert_eq!(one.0, Some(1), "the mating fixtures have failures");
    assert_eq!(one, run(Some("2"), None));
    assert_eq!(one, run(None, Some("1")));
    assert_eq!(one, run(Some("4"), Some("1")));
    // `--threads` is global: it works after any command, and 0 is refused
    let out = common::dockcheck()
        .args(["matrix", "fixtures/fleet", "--threads", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = common::dockcheck()
        .args(["check", "-j", "0", "fixtures/fleet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn item_14_walk_skips_hidden_and_ignored_files() {
    // fixtures/docs/walk: tug.icd, and three broken files the walk skips:
    // .scratch.icd (hidden), .drafts/draft.icd (hidden directory) and
    // old/old.icd (listed in .ignore)
    let (code, doc) = common::check_json(["fixtures/docs/walk"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["summary"]["files"], 1);
    // named on the command line, a skipped file is read
    for f in [
        "fixtures/docs/walk/.scratch.icd",
        "fixtures/docs/walk/.drafts/draft.icd",
        "fixtures/docs/walk/old/old.icd",
    ] {
        let (code, _) = common::check_json([f]);
        assert_eq!(code, 1, "{f}");
    }
}

#[test]
fn item_14_unit_without_a_space_is_accepted() {
    let (_dir, p) = common::temp_file(
        "v.icd",
        "vehicle v {\n  name = \"V\"\n  mass = 12t\n  port p { power { direction = supply; voltage = 28V .. 30V; current = 5A } }\n}\n",
    );
    let (code, doc) = common::check_json([&p]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(common::codes(&doc), Vec::<String>::new());
}
