//! `dockcheck diff OLD NEW` and `dockcheck diff --base REV [PATHS]`: the
//! model changes between two versions of a fleet and what they do to
//! partners (see docs/review.md).

use super::setup::{self, SpecArgs};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};
use crate::diagnostic::{Diagnostic, FileId};
use crate::diff::{self, ChangeKind, Impact, Review, Version};
use crate::load::Loaded;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// The changes, then each pair, port and mating the change affects
    Human,
    /// `{"version": 1, "changes", "pairs", "ports", "matings", "summary"}` (docs/review.md)
    Json,
    /// A table for a pull-request comment: counts, then breaking pairs first
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Exit 1 when a pair, port or mating breaks
    Breaking,
    /// Exit 1 when anything a partner sees changed (breaking, fixed or changed)
    Changed,
    /// Always exit 0 (2 still means the inputs could not be read)
    Never,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// `OLD NEW` (files or directories), or with `--base`, the paths to
    /// compare with that revision (default: .).
    pub paths: Vec<PathBuf>,
    /// Compare the files at this git revision with the working tree.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// What makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Breaking)]
    pub fail_on: FailOn,
    #[command(flatten)]
    pub spec: SpecArgs,
}

/// One side as loaded: its files and how to name them.
struct Loaded2 {
    loaded: Loaded,
    /// The prefix stripped from a file's path to get its key (the side's
    /// root directory), and what to put in front for display.
    root: PathBuf,
    shown_prefix: String,
    /// For single-file roots: the key of the file (so OLD and NEW files are
    /// one file).
    single: Option<String>,
}

impl Loaded2 {
    fn key(&self, f: FileId) -> String {
        if let Some(s) = &self.single {
            return s.clone();
        }
        let p = PathBuf::from(&self.loaded.sources.get(f).path);
        let p = crate::workspace::normalize(&p);
        let root = crate::workspace::normalize(&self.root);
        p.strip_prefix(&root)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/")
    }

    fn shown(&self, f: FileId) -> String {
        if self.shown_prefix.is_empty() {
            self.loaded.sources.get(f).path.clone()
        } else {
            format!("{}{}", self.shown_prefix, self.key(f))
        }
    }
}

fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git ({e}); `--base` needs git on the PATH"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(out.stdout)
}

/// Writes the `.icd` files under `paths` at `rev` into `dir`, at their
/// repository paths; returns the cwd's prefix in the repository.
fn materialize(rev: &str, paths: &[PathBuf], dir: &Path) -> Result<String, String> {
    let prefix = String::from_utf8_lossy(&git(&["rev-parse", "--show-prefix"])?)
        .trim()
        .to_string();
    let commit = format!("{rev}^{{commit}}");
    git(&["rev-parse", "--verify", "--quiet", &commit])
        .map_err(|_| format!("`{rev}` is not a revision of this repository"))?;
    let mut args = vec!["ls-tree", "-r", "--name-only", "--full-tree", rev, "--"];
    let specs: Vec<String> = paths
        .iter()
        .map(|p| {
            let n = crate::workspace::normalize(p);
            let s = n.to_string_lossy().replace('\\', "/");
            let s = s.trim_start_matches("./").to_string();
            if s == "." || s.is_empty() {
                prefix.clone()
            } else {
                format!("{prefix}{s}")
            }
        })
        .collect();
    args.extend(specs.iter().map(String::as_str));
    let listing = String::from_utf8_lossy(&git(&args)?).into_owned();
    for name in listing.lines().filter(|l| l.ends_with(".icd")) {
        let bytes = git(&["show", &format!("{rev}:{name}")])?;
        let target = dir.join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&target, bytes).map_err(|e| e.to_string())?;
    }
    Ok(prefix)
}

pub fn run(args: Args) -> u8 {
    let tmp;
    let (old_paths, new_paths, old_root, new_root, old_shown, new_prefix) = match &args.base {
        Some(rev) => {
            let new_paths = super::default_paths(args.paths.clone());
            tmp = match tempfile::tempdir() {
                Ok(t) => t,
                Err(e) => {
                    super::err(&format!(
                        "dockcheck: cannot make a temporary directory: {e}\n"
                    ));
                    return EXIT_TROUBLE;
                }
            };
            let prefix = match materialize(rev, &new_paths, tmp.path()) {
                Ok(p) => p,
                Err(e) => {
                    super::err(&format!("dockcheck: diff --base {rev}: {e}\n"));
                    return EXIT_TROUBLE;
                }
            };
            let old_paths: Vec<PathBuf> = vec![tmp.path().to_path_buf()];
            (
                old_paths,
                new_paths,
                tmp.path().to_path_buf(),
                PathBuf::from("."),
                format!("{rev}:"),
                prefix,
            )
        }
        None => {
            let [old, new] = args.paths.as_slice() else {
                super::err(
                    "dockcheck: diff needs OLD and NEW (files or directories), or --base REV [PATHS]\n  help: `dockcheck diff before/ after/` or `dockcheck diff --base main`\n",
                );
                return EXIT_TROUBLE;
            };
            (
                vec![old.clone()],
                vec![new.clone()],
                old.clone(),
                new.clone(),
                String::new(),
                String::new(),
            )
        }
    };
    for p in old_paths.iter().chain(&new_paths) {
        if !p.exists() {
            super::err(&format!(
                "dockcheck: {}: no such file or directory\n",
                p.display()
            ));
            return EXIT_TROUBLE;
        }
    }
    let setup = match setup::setup_or_report(
        &args.spec,
        &setup::config_start(&new_paths),
        super::output::SetupFormat::Report(super::Format::Human),
        super::Color::Auto,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let load = |paths: &[PathBuf], root: &Path, prefix: String, based: bool| {
        let loaded = crate::load::read_files(setup.sources.clone(), paths);
        let single = (!based && root.is_file()).then(|| "file".to_string());
        Loaded2 {
            loaded,
            root: root.to_path_buf(),
            shown_prefix: prefix,
            single,
        }
    };
    let based = args.base.is_some();
    let old = load(&old_paths, &old_root, old_shown, based);
    let mut new = load(&new_paths, &new_root, String::new(), based);
    if based {
        // the working tree's keys are repository paths, as the revision's are
        new.root = PathBuf::from(".");
    }
    if old.loaded.unreadable > 0 || new.loaded.unreadable > 0 {
        let diags: Vec<&Diagnostic> = old
            .loaded
            .diagnostics
            .iter()
            .chain(&new.loaded.diagnostics)
            .filter(|d| d.code == "ICD-IO")
            .collect();
        for d in diags {
            super::err(&format!("dockcheck: {}\n", d.message));
        }
        return EXIT_TROUBLE;
    }
    let mut cross = Vec::new();
    let ow = old.loaded.checked_world(&mut cross);
    let nw = new.loaded.checked_world(&mut cross);
    let key_new = |f: FileId| format!("{new_prefix}{}", new.key(f));
    let (oname, okey) = (|f: FileId| old.shown(f), |f: FileId| old.key(f));
    let nname = |f: FileId| new.shown(f);
    let ov = Version {
        world: &ow,
        sources: &old.loaded.sources,
        name: &oname,
        key: &okey,
    };
    let nv = Version {
        world: &nw,
        sources: &new.loaded.sources,
        name: &nname,
        key: &key_new,
    };
    let adjust =
        |s: &crate::workspace::SourceMap, d: &mut Vec<Diagnostic>| setup.apply_overrides(s, d);
    let review = diff::review(&setup.rules, &ov, &nv, &adjust);
    // the language diagnostics of either side, so nothing is compared silently
    let mut problems: Vec<String> = Vec::new();
    for (side, l) in [(&old, &old.loaded), (&new, &new.loaded)] {
        for d in l
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diagnostic::Severity::Error)
        {
            let (line, col) = l.sources.get(d.file).line_col(d.span.start);
            problems.push(format!(
                "{}:{line}:{col}: error[{}] {}",
                side.shown(d.file),
                d.code,
                d.message
            ));
        }
    }
    problems.sort();
    let text = match args.format {
        DiffFormat::Human => human(&review, &problems),
        DiffFormat::Json => json(&review, &problems),
        DiffFormat::Markdown => markdown(&review),
    };
    super::out(&text);
    let fails = match args.fail_on {
        FailOn::Breaking => review.count(Impact::Breaking) > 0,
        FailOn::Changed => {
            review.count(Impact::Breaking)
                + review.count(Impact::Fixed)
                + review.count(Impact::Changed)
                > 0
        }
        FailOn::Never => false,
    };
    if fails { EXIT_FINDINGS } else { EXIT_OK }
}

fn at(l: &Option<diff::Loc>) -> String {
    l.as_ref().map_or(String::new(), |l| {
        format!("{}:{}:{}", l.file, l.line, l.column)
    })
}

fn what(c: &diff::Change) -> String {
    let mut s = c.vehicle.clone();
    if let Some(p) = &c.port {
        s.push('.');
        s.push_str(p);
    }
    match &c.path {
        Some(p) if c.port.is_some() => format!("{s} {p}"),
        Some(p) => p.replacen("vehicle", &s, 1),
        None if c.port.is_some() => format!("port {s}"),
        None => format!("vehicle {s}"),
    }
}

fn change_line(c: &diff::Change) -> String {
    let mut line = match c.kind {
        ChangeKind::Changed => format!(
            "~ {}: {} → {}  ({} → {})",
            what(c),
            c.old.as_deref().unwrap_or(""),
            c.new.as_deref().unwrap_or(""),
            at(&c.old_at),
            at(&c.new_at)
        ),
        ChangeKind::Added => match &c.new {
            Some(v) => format!("+ {} = {v}  ({})", what(c), at(&c.new_at)),
            None => format!("+ {}  ({})", what(c), at(&c.new_at)),
        },
        ChangeKind::Removed => match &c.old {
            Some(v) => format!("- {} = {v}  (was {})", what(c), at(&c.old_at)),
            None => format!("- {}  (was {})", what(c), at(&c.old_at)),
        },
        ChangeKind::Moved => format!(
            "→ {} moved: {} → {}",
            what(c),
            c.old.as_deref().unwrap_or(""),
            c.new.as_deref().unwrap_or("")
        ),
    };
    if let Some(n) = &c.note {
        line.push_str(&format!("\n    note: {n}"));
    }
    line
}

fn verdict(v: Option<crate::check::pair::Verdict>, h: Option<crate::check::pair::How>) -> String {
    match v {
        Some(v) => crate::report::verdict_text(v, h),
        None => "absent".into(),
    }
}

fn summary(r: &Review) -> String {
    format!(
        "{} model change{}; {} breaking, {} fixed, {} changed",
        r.changes.len(),
        if r.changes.len() == 1 { "" } else { "s" },
        r.count(Impact::Breaking),
        r.count(Impact::Fixed),
        r.count(Impact::Changed)
    )
}

fn human(r: &Review, problems: &[String]) -> String {
    let mut out = String::new();
    for p in problems {
        out.push_str(p);
        out.push('\n');
    }
    if !problems.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!("Model changes ({}):\n", r.changes.len()));
    for c in &r.changes {
        out.push_str(&format!("  {}\n", change_line(c)));
    }
    let mut impacts: Vec<(Impact, String)> = Vec::new();
    for p in &r.pairs {
        let mut s = format!(
            "{} → {}: {} → {}",
            p.chaser,
            p.target,
            verdict(p.old, p.old_how),
            verdict(p.new, p.new_how)
        );
        for f in &p.added {
            s.push_str(&format!(
                "\n      + {}[{}] {}",
                f.severity.as_str(),
                f.code,
                f.message
            ));
        }
        for f in &p.removed {
            s.push_str(&format!(
                "\n      - {}[{}] {}",
                f.severity.as_str(),
                f.code,
                f.message
            ));
        }
        impacts.push((p.impact, s));
    }
    for p in &r.ports {
        let sign = if p.impact == Impact::Fixed { "-" } else { "+" };
        impacts.push((
            p.impact,
            format!(
                "vehicle {}: {sign} {}[{}] {}  ({}:{}:{})",
                p.vehicle,
                p.finding.severity.as_str(),
                p.finding.code,
                p.finding.message,
                p.at.file,
                p.at.line,
                p.at.column
            ),
        ));
    }
    for m in &r.matings {
        impacts.push((
            m.impact,
            format!(
                "mating {}: {} → {}: {} → {}",
                m.id,
                m.chaser,
                m.target,
                verdict(m.old, None),
                verdict(m.new, None)
            ),
        ));
    }
    impacts.sort_by_key(|a| a.0);
    out.push_str(&format!("\nPartner impact ({}):\n", impacts.len()));
    for (i, s) in impacts {
        out.push_str(&format!("  {:<8}  {s}\n", i.as_str()));
    }
    out.push_str(&format!("\n{}\n", summary(r)));
    out
}

#[derive(serde::Serialize)]
struct Doc<'a> {
    version: u32,
    #[serde(flatten)]
    review: &'a Review,
    /// Language errors on either side (what could not be compared).
    diagnostics: &'a [String],
    summary: Summary,
}

#[derive(serde::Serialize)]
struct Summary {
    changes: usize,
    breaking: usize,
    fixed: usize,
    changed: usize,
}

fn json(r: &Review, problems: &[String]) -> String {
    crate::report::json::to_string(&Doc {
        version: 1,
        review: r,
        diagnostics: problems,
        summary: Summary {
            changes: r.changes.len(),
            breaking: r.count(Impact::Breaking),
            fixed: r.count(Impact::Fixed),
            changed: r.count(Impact::Changed),
        },
    })
}

fn md(s: &str) -> String {
    s.replace('|', "\\|")
}

fn markdown(r: &Review) -> String {
    let mut out = String::from("### dockcheck diff\n\n");
    out.push_str(&format!(
        "**{}** breaking · **{}** fixed · **{}** changed · {} model change{}\n\n",
        r.count(Impact::Breaking),
        r.count(Impact::Fixed),
        r.count(Impact::Changed),
        r.changes.len(),
        if r.changes.len() == 1 { "" } else { "s" }
    ));
    let mut rows: Vec<(Impact, String)> = Vec::new();
    for p in &r.pairs {
        let codes: Vec<String> = p
            .added
            .iter()
            .chain(&p.removed)
            .map(|f| format!("`{}`", f.code))
            .collect();
        rows.push((
            p.impact,
            format!(
                "| {} | `{}` → `{}` | {} → {} | {} |",
                p.impact.as_str(),
                md(&p.chaser),
                md(&p.target),
                verdict(p.old, p.old_how),
                verdict(p.new, p.new_how),
                codes.join(" ")
            ),
        ));
    }
    for p in &r.ports {
        rows.push((
            p.impact,
            format!(
                "| {} | `{}` | conformance | `{}` {} |",
                p.impact.as_str(),
                md(&p.vehicle),
                p.finding.code,
                md(&p.finding.message)
            ),
        ));
    }
    for m in &r.matings {
        rows.push((
            m.impact,
            format!(
                "| {} | mating `{}` | {} → {} | |",
                m.impact.as_str(),
                md(&m.id),
                verdict(m.old, None),
                verdict(m.new, None)
            ),
        ));
    }
    rows.sort_by_key(|a| a.0);
    if !rows.is_empty() {
        out.push_str("| impact | pair or port | verdict | findings |\n|---|---|---|---|\n");
        for (_, r) in rows {
            out.push_str(&r);
            out.push('\n');
        }
        out.push('\n');
    }
    if !r.changes.is_empty() {
        out.push_str("<details><summary>Model changes</summary>\n\n");
        for c in &r.changes {
            out.push_str(&format!("- {}\n", md(&change_line(c)).replace('\n', " ")));
        }
        out.push_str("\n</details>\n");
    }
    out
}
