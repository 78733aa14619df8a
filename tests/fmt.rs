//! `dockcheck fmt`: the canonical layout keeps the meaning, the comments and
//! itself (idempotent), over every fixture and generated files; the command's
//! exit codes, `--check`, `--diff`, refusals and atomic writes.

mod common;
#[path = "common/models.rs"]
mod models;

use common::dockcheck;
use dockcheck::fmt::{Formatted, format};
use dockcheck::load::parse_and_lower;
use dockcheck::model::print::print;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// What a text means: the printed model and the diagnostics (code, message).
fn meaning(text: &str) -> (String, Vec<(String, String)>) {
    let (model, diags, _) = parse_and_lower(0, text);
    let diags = diags
        .into_iter()
        .map(|d| (d.code.to_string(), d.message))
        .collect();
    (print(&model), diags)
}

/// The comments of a text, in order (the scanner the waivers use).
fn comment_texts(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| dockcheck::syntax::comment_start(l).map(|i| l[i..].trim_end().to_string()))
        .collect()
}

fn formatted(text: &str) -> String {
    match format(text) {
        Formatted::Text(t) => t,
        other => panic!("not formatted: {other:?}\n{text}"),
    }
}

/// Lines of canonical output: no tab or trailing blank, even indentation,
/// no `;`-joined statements outside strings and comments, at most one blank
/// line in a row, none at the start, a final newline.
fn assert_canonical(out: &str) {
    if out.is_empty() {
        return;
    }
    let mut above = false;
    assert!(out.ends_with('\n') && !out.ends_with("\n\n"), "{out}");
    assert!(!out.starts_with('\n'), "{out}");
    assert!(!out.contains("\n\n\n"), "{out}");
    for line in out.lines() {
        assert_eq!(line, line.trim_end(), "trailing blanks in {line:?}");
        let indent = line.len() - line.trim_start_matches(' ').len();
        assert_eq!(indent % 2, 0, "odd indentation in {line:?}");
        assert!(!line.starts_with('\t'), "{line:?}");
        let code = match dockcheck::syntax::comment_start(line) {
            Some(i) => &line[..i],
            None => line,
        };
        // a line that a comment annotates keeps its statements together
        let annotated = above || dockcheck::syntax::comment_start(line).is_some();
        assert!(
            annotated || !without_strings(code).contains(';'),
            "joined statements in {line:?}"
        );
        if dockcheck::syntax::has_code(line) {
            above = false;
        } else if dockcheck::syntax::comment_start(line).is_some() {
            above = true;
        }
        if let Some(i) = dockcheck::syntax::comment_start(line)
            && !code.trim().is_empty()
        {
            assert!(
                line[..i].ends_with("  ") && !line[..i].ends_with("   "),
                "{line:?}"
            );
        }
    }
}

/// The text with its string literals left out.
fn without_strings(code: &str) -> String {
    let (mut out, mut in_string, mut escaped) = (String::new(), false, false);
    for c in code.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else {
            out.push(c);
        }
    }
    out
}

fn icd_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            icd_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "icd") {
            out.push(p);
        }
    }
}

#[test]
fn every_fixture_that_parses_keeps_its_meaning_and_comments_and_is_a_fixed_point() {
    let mut files = Vec::new();
    icd_files(Path::new("fixtures"), &mut files);
    assert!(files.len() > 50, "fixtures not found: {}", files.len());
    let mut formatted_count = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue; // not UTF-8: refused, tested below
        };
        let (_, _, unparsed) = parse_and_lower(0, &text);
        if unparsed {
            assert!(
                matches!(format(&text), Formatted::Errors(_) | Formatted::Off),
                "{}",
                f.display()
            );
            continue;
        }
        let body = text.replace("# fmt: off\n", "");
        let out = formatted(&body);
        assert_eq!(meaning(&out), meaning(&body), "{}", f.display());
        assert_eq!(comment_texts(&out), comment_texts(&body), "{}", f.display());
        assert_eq!(formatted(&out), out, "not idempotent on {}", f.display());
        assert_canonical(&out);
        formatted_count += 1;
    }
    assert!(formatted_count > 50, "{formatted_count}");
}

#[test]
fn a_messy_file_gets_the_canonical_layout() {
    let messy = concat!(
        "\n\n# The hub.\n",
        "vehicle   hub{   # after the brace\n",
        "\tname=\"Hub \\\"one\\\"\";operator = \"X\"\n",
        "  location = \"nose\"   # end of line\n",
        "\n\n\n",
        "      mass=40t;tags=[\"a\",\"b\" ,]\n",
        "  port a {docking{system=\"IDSS\"; role=passive;passageway=800mm}\n",
        "  power { direction=supply ; voltage=120V±5%; current = 0.10A }\n",
        "\n",
        "  # before the closing brace\n",
        "  }\n",
        "\n",
        "}\n",
        "mating m{chaser=hub.a;target=hub.a}",
    );
    let expected = concat!(
        "# The hub.\n",
        "vehicle hub {  # after the brace\n",
        "  name = \"Hub \\\"one\\\"\"\n",
        "  operator = \"X\"\n",
        "  location = \"nose\"  # end of line\n",
        "\n",
        "  mass = 40 t\n",
        "  tags = [\"a\", \"b\"]\n",
        "  port a {\n",
        "    docking {\n",
        "      system = \"IDSS\"\n",
        "      role = passive\n",
        "      passageway = 800 mm\n",
        "    }\n",
        "    power {\n",
        "      direction = supply\n",
        "      voltage = 120 V ± 5 %\n",
        "      current = 0.10 A\n",
        "    }\n",
        "\n",
        "    # before the closing brace\n",
        "  }\n",
        "}\n",
        "mating m {\n",
        "  chaser = hub.a\n",
        "  target = hub.a\n",
        "}\n",
    );
    assert_eq!(formatted(messy), expected);
    assert_eq!(meaning(expected), meaning(messy));
}

#[test]
fn long_lists_break_one_item_per_line() {
    let tags: Vec<String> = (0..9)
        .map(|i| format!("\"a rather long tag {i}\""))
        .collect();
    let src = format!(
        "vehicle v {{\n  name = \"V\"\n  tags = [{}]\n}}\n",
        tags.join(", ")
    );
    let out = formatted(&src);
    let mut expected = String::from("vehicle v {\n  name = \"V\"\n  tags = [\n");
    for t in &tags {
        expected.push_str(&format!("    {t},\n"));
    }
    expected.push_str("  ]\n}\n");
    assert_eq!(out, expected);
    // a short one stays on one line, and a broken short one is joined
    let short = "vehicle v {\n  name = \"V\"\n  tags = [\n    \"a\",\n    \"b\",\n  ]\n}\n";
    assert_eq!(
        formatted(short),
        "vehicle v {\n  name = \"V\"\n  tags = [\"a\", \"b\"]\n}\n"
    );
    // a list holding a comment stays broken, the comment in place
    let commented =
        "vehicle v {\n  name = \"V\"\n  tags = [\n    # why\n    \"a\", \"b\"  # b\n  ]\n}\n";
    assert_eq!(
        formatted(commented),
        "vehicle v {\n  name = \"V\"\n  tags = [\n    # why\n    \"a\",\n    \"b\",  # b\n  ]\n}\n"
    );
}

// ------------------------------------------------------------ the property

/// Re-spaces printed text: random indentation and spacing (outside strings),
/// statements joined with `;`, and (when `trivia`) blank lines and comments.
fn messy(printed: &str, choices: &[u8], trivia: bool) -> String {
    let mut k = 0usize;
    let mut next = || {
        let c = choices.get(k % choices.len().max(1)).copied().unwrap_or(0);
        k += 1;
        c
    };
    let ws = |c: u8| ["", " ", "  ", "\t"][usize::from(c % 4)];
    let mut out = String::new();
    let lines: Vec<&str> = printed.lines().collect();
    for (n, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let code = match code.split_once(" = ") {
            Some((key, value)) => {
                let value = if value.contains('"') {
                    value.to_string()
                } else {
                    value.split(' ').collect::<Vec<_>>().join(ws(next()))
                };
                format!("{key}{}={}{value}", ws(next()), ws(next()))
            }
            None => code.replace(" {", &format!("{}{{", ws(next() % 3 + 1))),
        };
        out.push_str(ws(next()));
        out.push_str(&code);
        if n + 1 == lines.len() {
            break;
        }
        match next() % 8 {
            0 | 1 => out.push_str(&format!("{}; ", ws(next()))),
            2 if trivia => out.push_str(&format!("{}# note {n}\n", ws(next()))),
            3 if trivia => out.push_str(&format!("\n{}\n\n", ws(next()))),
            4 if trivia => out.push_str(&format!("\n{}# own {n}\n", ws(next()))),
            _ => out.push('\n'),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn fmt_keeps_the_meaning_and_gives_one_layout(
        model in models::model(),
        choices in proptest::collection::vec(any::<u8>(), 1..64),
    ) {
        let printed = print(&model);
        let canonical = formatted(&printed);
        // spacing and `;` joins do not change the layout
        let plain = messy(&printed, &choices, false);
        prop_assert_eq!(&formatted(&plain), &canonical, "messy:\n{}", plain);
        // with comments and blank lines: same meaning, comments kept, canonical, idempotent
        let noisy = messy(&printed, &choices, true);
        let out = formatted(&noisy);
        prop_assert_eq!(meaning(&out), meaning(&printed), "messy:\n{}", noisy);
        prop_assert_eq!(comment_texts(&out), comment_texts(&noisy));
        prop_assert_eq!(&formatted(&out), &out);
        assert_canonical(&out);
    }
}

// ------------------------------------------------------------ the command

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const MESSY: &str = "vehicle v {name = \"V\"; mass=1..2t}\n";
const TIDY: &str = "vehicle v {\n  name = \"V\"\n  mass = 1 .. 2 t\n}\n";

#[test]
fn fmt_rewrites_files_atomically_and_says_how_many() {
    let d = tmp();
    std::fs::write(d.path().join("a.icd"), MESSY).unwrap();
    std::fs::write(d.path().join("b.icd"), TIDY).unwrap();
    let out = dockcheck()
        .current_dir(d.path())
        .args(["fmt", "."])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "1 file reformatted, 1 unchanged\n"
    );
    assert_eq!(
        std::fs::read_to_string(d.path().join("a.icd")).unwrap(),
        TIDY
    );
    assert_eq!(
        std::fs::read_to_string(d.path().join("b.icd")).unwrap(),
        TIDY
    );
    assert_eq!(
        listing(d.path()),
        ["a.icd", "b.icd"],
        "a temporary file was left"
    );
    // a second run has nothing to do
    let out = dockcheck()
        .current_dir(d.path())
        .arg("fmt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty() && out.stdout.is_empty());
}

#[test]
fn check_lists_the_files_that_would_change_and_writes_nothing() {
    let d = tmp();
    std::fs::create_dir(d.path().join("sub")).unwrap();
    std::fs::write(d.path().join("sub/a.icd"), MESSY).unwrap();
    std::fs::write(d.path().join("b.icd"), TIDY).unwrap();
    let out = dockcheck()
        .current_dir(d.path())
        .args(["fmt", "--check", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "sub/a.icd\n");
    assert_eq!(
        std::fs::read_to_string(d.path().join("sub/a.icd")).unwrap(),
        MESSY
    );
    let out = dockcheck()
        .current_dir(d.path())
        .args(["fmt", "--check", "b.icd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let d = tmp();
    std::fs::write(d.path().join("a.icd"), MESSY).unwrap();
    let out = dockcheck()
        .current_dir(d.path())
        .args(["fmt", "--diff", "a.icd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "--- a.icd\n+++ a.icd\n@@ -1 +1,4 @@\n-vehicle v {name = \"V\"; mass=1..2t}\n+vehicle v {\n+  name = \"V\"\n+  mass = 1 .. 2 t\n+}\n"
    );
    assert_eq!(
        std::fs::read_to_string(d.path().join("a.icd")).unwrap(),
        MESSY
    );
}

#[test]
fn a_file_with_syntax_errors_is_refused_untouched_and_the_run_goes_on() {
    let d = tmp();
    let bad = "vehicle v {\n  name =\n  mass=1 t\n}\n";
    std::fs::write(d.path().join("a.icd"), bad).unwrap();
    std::fs::write(d.path().join("b.icd"), MESSY).unwrap();
    let out = dockcheck()
        .current_dir(d.path())
        .args(["fmt", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ICD-SYNTAX"), "{stderr}");
    assert!(
        stderr.contains("expected a value after `name =`"),
        "{stderr}"
    );
    assert!(stderr.contains("a.icd:2:9"), "{stderr}");
    assert!(
        stderr.contains("a.icd has syntax errors; not formatted"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(d.path().join("a.icd")).unwrap(),
        bad.as_bytes()
    );
    assert_eq!(
        std::fs::read_to_string(d.path().join("b.icd")).unwrap(),
        TIDY
    );
    assert_eq!(listing(d.path()), ["a.icd", "b.icd"]);
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_a_diagnostic() {
    let d = tmp();
    let bytes = b"vehicle v { name = \"Caf\xE9\" }\n";
    std::fs::write(d.path().join("a.icd"), bytes).unwrap();
    let out = dockcheck()
        .current_dir(d.path())
        .args(["fmt", "a.icd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("a.icd: invalid UTF-8 at byte offset 23"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(d.path().join("a.icd")).unwrap(), bytes);
}

#[test]
fn the_off_marker_leaves_a_file_alone() {
    let d = tmp();
    let off = "# fmt: off\nvehicle v {name = \"V\"; mass=1..2t}\n";
    std::fs::write(d.path().join("a.icd"), off).unwrap();
    let out = dockcheck()
        .current_dir(d.path())
        .args(["fmt", "--check", "a.icd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = dockcheck()
        .current_dir(d.path())
        .args(["fmt", "a.icd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(d.path().join("a.icd")).unwrap(),
        off
    );
}

#[test]
fn bad_flags_and_missing_paths_exit_2() {
    let d = tmp();
    std::fs::write(d.path().join("a.icd"), MESSY).unwrap();
    let out = dockcheck()
        .current_dir(d.path())
        .args(["fmt", "--check", "--diff", "a.icd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = dockcheck()
        .current_dir(d.path())
        .args(["fmt", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = dockcheck()
        .current_dir(d.path())
        .args(["fmt", "missing.icd", "a.icd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read missing.icd"));
    // the readable file was still formatted
    assert_eq!(
        std::fs::read_to_string(d.path().join("a.icd")).unwrap(),
        TIDY
    );
}
