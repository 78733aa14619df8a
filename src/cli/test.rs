//! `dockcheck test [DIRS]...`: runs each spec repository's rules over its
//! annotated fixtures (and each rule's inline examples), optionally against
//! insta-format snapshots, like a compiler's UI tests.

use super::ruledev::{self, Checked, Repo};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};
use crate::fixture::{self, Kind, Mismatch};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Output format of `test`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestFormat {
    /// one line per test (`ok` or `FAILED`), each mismatch as `file:line: KIND: expected …, found …`, then `N passed, M failed`
    Human,
    /// `{"version": 1, "tests": [{"name", "ok", "mismatches": [...]}], "summary": {"passed", "failed"}}`
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Spec repositories (each with specs/<spec>.toml and fixtures/<spec>/);
    /// default: the current directory.
    pub dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    /// Also compare each fixture's diagnostics (short format) with
    /// `<fixture>.snap`; a missing or different one is written to
    /// `<fixture>.snap.new` and fails.
    #[arg(long)]
    pub snapshot: bool,
    /// With --snapshot: write `<fixture>.snap` from what dockcheck prints
    /// now (atomically) and delete `<fixture>.snap.new`.
    #[arg(long, requires = "snapshot")]
    pub bless: bool,
}

/// One test: a fixture or a rule's example.
#[derive(Serialize)]
pub struct TestResult {
    pub name: String,
    pub ok: bool,
    pub mismatches: Vec<Mismatch>,
}

#[derive(Serialize)]
struct Summary {
    passed: usize,
    failed: usize,
}

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    tests: &'a [TestResult],
    summary: Summary,
}

/// The snapshot text of a fixture: an insta header, then one short line per
/// diagnostic located in it.
pub fn snapshot_text(c: &Checked) -> String {
    let f = c.sources.get(c.file);
    let mut out = format!(
        "---\nsource: {}\nexpression: dockcheck test --snapshot\n---\n",
        f.path
    );
    for d in c.diags.iter().filter(|d| d.file == c.file) {
        let (line, col) = f.line_col(d.span.start);
        out.push_str(&format!(
            "{}:{line}:{col}: {}[{}] {}",
            f.path,
            d.severity.as_str(),
            d.code,
            d.message.replace(['\n', '\r'], " ")
        ));
        if let Some(w) = &d.waived {
            out.push_str(&format!(" (waived {}: {})", w.id, w.reason));
        }
        out.push('\n');
    }
    out
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Compares (or blesses) a fixture's snapshot.
fn snapshot(c: &Checked, path: &Path, bless: bool) -> Result<Option<Mismatch>, String> {
    let snap = with_suffix(path, ".snap");
    let new = with_suffix(path, ".snap.new");
    let text = snapshot_text(c);
    let shown = c.sources.get(c.file).path.clone();
    if bless {
        crate::workspace::write_atomic(&snap, &text)
            .map_err(|e| format!("cannot write {}: {e}", snap.display()))?;
        if new.exists() {
            std::fs::remove_file(&new)
                .map_err(|e| format!("cannot remove {}: {e}", new.display()))?;
        }
        return Ok(None);
    }
    let old = std::fs::read_to_string(&snap).ok();
    if old.as_deref() == Some(text.as_str()) {
        if new.exists() {
            let _ = std::fs::remove_file(&new);
        }
        return Ok(None);
    }
    crate::workspace::write_atomic(&new, &text)
        .map_err(|e| format!("cannot write {}: {e}", new.display()))?;
    let review =
        "review with `cargo insta review`, or bless with `dockcheck test --snapshot --bless`";
    let (expected, found) = match old {
        Some(_) => (
            format!("the diagnostics of {shown}.snap"),
            format!("others, written to {shown}.snap.new ({review})"),
        ),
        None => (
            format!("a snapshot {shown}.snap"),
            format!("none; the diagnostics are in {shown}.snap.new ({review})"),
        ),
    };
    Ok(Some(Mismatch {
        file: shown.clone(),
        line: 1,
        kind: Kind::Snapshot,
        expected,
        found,
    }))
}

/// The tests of one repository.
fn run_repo(repo: &Repo, args: &Args) -> Result<Vec<TestResult>, String> {
    let files = repo.tests();
    let mut results: Vec<Result<TestResult, String>> = files
        .par_iter()
        .map(|path| {
            let c = repo.check(path);
            let name = c.sources.get(c.file).path.clone();
            let mut mismatches = if c.annotations.any() {
                fixture::compare(&c.annotations, &c.sources, c.file, &c.diags)
            } else {
                vec![Mismatch {
                    file: name.clone(),
                    line: 1,
                    kind: Kind::NoExpectation,
                    expected: "`# expect: CODE` or `# expect-none`".into(),
                    found: "no annotation (a fixture says what it must give, unless it only serves as another fixture's `# partner:`)".into(),
                }]
            };
            // a partner that cannot be read is said aloud, not only through
            // the unresolved refs it leaves
            for d in c.diags.iter().filter(|d| d.code == crate::diagnostic::codes::IO) {
                mismatches.push(Mismatch {
                    file: name.clone(),
                    line: 1,
                    kind: Kind::Unexpected,
                    expected: "readable `# partner:` files".into(),
                    found: format!("{}: {}", d.code, d.message),
                });
            }
            if args.snapshot
                && let Some(m) = snapshot(&c, path, args.bless)?
            {
                mismatches.push(m);
            }
            Ok(TestResult {
                ok: mismatches.is_empty(),
                name,
                mismatches,
            })
        })
        .collect();
    // each rule's inline examples
    let spec_name = |i: usize| repo.sources.get(repo.rules.specs[i].file).path.clone();
    for r in crate::check::examples::run_all(&repo.rules) {
        let rule = repo.rules.rule(&r.rule);
        let file = rule.map_or_else(String::new, |c| spec_name(c.spec));
        let mismatches: Vec<Mismatch> = r
            .problem
            .iter()
            .map(|p| Mismatch {
                file: file.clone(),
                line: 1,
                kind: match r.outcome {
                    crate::spec::Outcome::Pass => Kind::Unexpected,
                    crate::spec::Outcome::Fail => Kind::Missing,
                },
                expected: format!(
                    "example {} of {} to {}",
                    r.index + 1,
                    r.rule,
                    match r.outcome {
                        crate::spec::Outcome::Pass => "pass",
                        crate::spec::Outcome::Fail => "fail",
                    }
                ),
                found: p.clone(),
            })
            .collect();
        results.push(Ok(TestResult {
            name: format!("{file}#{}-example-{}", r.rule, r.index + 1),
            ok: mismatches.is_empty(),
            mismatches,
        }));
    }
    results.into_iter().collect()
}

pub fn run(args: Args) -> u8 {
    let repos = match ruledev::load_all(&args.dirs, args.format == TestFormat::Json) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut all: Vec<TestResult> = Vec::new();
    for repo in &repos {
        match run_repo(repo, &args) {
            Ok(r) => all.extend(r),
            Err(e) => {
                super::err(&format!("dockcheck: {e}\n"));
                return EXIT_TROUBLE;
            }
        }
    }
    all.sort_by(|a, b| a.name.cmp(&b.name));
    let failed = all.iter().filter(|t| !t.ok).count();
    let passed = all.len() - failed;
    match args.format {
        TestFormat::Json => super::out(&crate::report::json::to_string(&Doc {
            version: 1,
            tests: &all,
            summary: Summary { passed, failed },
        })),
        TestFormat::Human => {
            let mut text = String::new();
            for t in &all {
                text.push_str(&format!(
                    "test {} ... {}\n",
                    t.name,
                    if t.ok { "ok" } else { "FAILED" }
                ));
                for m in &t.mismatches {
                    text.push_str(&format!("  {}\n", m.line()));
                }
            }
            text.push_str(&format!("\n{passed} passed, {failed} failed\n"));
            super::out(&text);
        }
    }
    if failed > 0 { EXIT_FINDINGS } else { EXIT_OK }
}
