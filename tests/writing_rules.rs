//! docs/writing-rules.md, followed step by step in an empty directory: a
//! block after "File `PATH`:" writes that file, a block after "File `PATH`
//! now holds:" must equal it, and each `$ dockcheck ...` of a `console`
//! block must print exactly what the doc shows (stdout, then stderr; `$ echo
//! $?` prints the status of the command before it).
//!
//! This is also issue 9's end-to-end test of rule development: a temporary
//! spec repository with one rule, a passing and a failing fixture; `dockcheck
//! test` passes, a broken limit fails with the fixture's line, `--bless`
//! stores snapshots, and a changed diagnostic fails with a `.snap.new`.

use std::path::Path;
use std::process::Command;

enum Step {
    Write(String, String),
    Holds(String, String),
    Run(String, String, usize),
}

fn steps(doc: &str) -> Vec<Step> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut pending: Option<(String, bool)> = None;
    while i < lines.len() {
        let l = lines[i];
        if let Some((path, tail)) = l.strip_prefix("File `").and_then(|r| r.split_once('`')) {
            pending = Some((path.to_string(), tail.trim() == "now holds:"));
        }
        if let Some(info) = l.strip_prefix("```")
            && !info.is_empty()
        {
            let start = i + 1;
            let mut end = start;
            while end < lines.len() && lines[end] != "```" {
                end += 1;
            }
            let body: String = lines[start..end].iter().map(|l| format!("{l}\n")).collect();
            if info == "console" {
                let mut cmd: Option<(String, String, usize)> = None;
                for (k, l) in lines[start..end].iter().enumerate() {
                    if let Some(c) = l.strip_prefix("$ ") {
                        if let Some(done) = cmd.take() {
                            out.push(Step::Run(done.0, done.1, done.2));
                        }
                        cmd = Some((c.to_string(), String::new(), start + k + 1));
                    } else if let Some(c) = cmd.as_mut() {
                        c.1.push_str(l);
                        c.1.push('\n');
                    }
                }
                if let Some(done) = cmd {
                    out.push(Step::Run(done.0, done.1, done.2));
                }
            } else if let Some((path, holds)) = pending.take() {
                out.push(if holds {
                    Step::Holds(path, body)
                } else {
                    Step::Write(path, body)
                });
            }
            i = end + 1;
            continue;
        }
        i += 1;
    }
    out
}

fn run(dir: &Path, command: &str) -> (String, i32) {
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[0], "dockcheck", "only dockcheck commands: {command}");
    let out = Command::new(env!("CARGO_BIN_EXE_dockcheck"))
        .args(&words[1..])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (text, out.status.code().unwrap_or(-1))
}

#[test]
fn the_writing_rules_walkthrough_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/writing-rules.md")).unwrap();
    let steps = steps(&doc);
    let runs = steps.iter().filter(|s| matches!(s, Step::Run(..))).count();
    assert!(runs >= 6, "the walkthrough runs dockcheck {runs} times");
    let tmp = tempfile::tempdir().unwrap();
    let mut status = 0;
    let mut saw_snap_new = false;
    for step in steps {
        match step {
            Step::Write(path, body) => {
                let p = tmp.path().join(&path);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, body).unwrap();
            }
            Step::Holds(path, body) => {
                let got = std::fs::read_to_string(tmp.path().join(&path))
                    .unwrap_or_else(|e| panic!("{path}: {e}"));
                assert_eq!(got, body, "{path} differs from the doc");
            }
            Step::Run(command, want, line) => {
                let (got, code) = if command == "echo $?" {
                    (format!("{status}\n"), 0)
                } else {
                    run(tmp.path(), &command)
                };
                assert_eq!(
                    got, want,
                    "docs/writing-rules.md:{line}: `{command}` printed something else"
                );
                if command != "echo $?" {
                    status = code;
                }
                if command == "dockcheck test --snapshot" && code == 1 {
                    let new = tmp.path().join("fixtures/hatch/narrow.icd.snap.new");
                    assert!(new.is_file(), "a changed diagnostic leaves a .snap.new");
                    let old =
                        std::fs::read_to_string(tmp.path().join("fixtures/hatch/narrow.icd.snap"))
                            .unwrap();
                    assert!(old.contains("is below the"), "the .snap is untouched");
                    saw_snap_new = true;
                }
            }
        }
    }
    assert!(saw_snap_new, "the walkthrough shows a failing snapshot");
    assert!(
        !tmp.path()
            .join("fixtures/hatch/narrow.icd.snap.new")
            .exists(),
        "--bless removed the .snap.new"
    );
    let blessed =
        std::fs::read_to_string(tmp.path().join("fixtures/hatch/narrow.icd.snap")).unwrap();
    assert!(blessed.contains("is narrower than"), "{blessed}");
}
