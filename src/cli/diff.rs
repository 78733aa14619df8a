//! `dockcheck diff OLD NEW` and `dockcheck diff --base REV [PATHS]`: the
//! model changes between two versions of a fleet and what they do to
//! partners (see docs/review.md).

use super::setup::{self, SpecArgs};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::diff::{self, ChangeKind, Impact, Review, Version};
use crate::report::human;
use crate::workspace::SourceMap;
use std::collections::{BTreeMap, BTreeSet};
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
    /// SARIF 2.1.0 of the breaking findings, each at the change behind it
    Sarif,
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
    /// Colour of the human report (auto: on a terminal, unless NO_COLOR is
    /// set; CLICOLOR_FORCE=1 forces it).
    #[arg(long, value_enum, default_value_t = super::Color::Auto)]
    pub color: super::Color,
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub limits: setup::LimitArgs,
}

/// Runs git in the current directory; its stdout, or its complaint.
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

fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| l.ends_with(".icd"))
        .map(String::from)
        .collect()
}

/// A path as a repository-style key: `/`-separated, no `./`.
fn slash(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.trim_start_matches("./").to_string()
}

/// Where the old version of the fleet differs from the new one: files of
/// the new fleet whose old version differs or that are new (by key), and the
/// old versions to read (path on disk, key).
struct OldSide {
    /// Keys of new files that the old version does not share.
    differs: BTreeSet<String>,
    /// Old files to read: (path on disk, key).
    read: Vec<(PathBuf, String)>,
    /// How an old file is shown, by key.
    shown: Box<dyn Fn(&str) -> String>,
    _tmp: Option<tempfile::TempDir>,
}

/// `--base REV`: the files that differ between REV and the working tree
/// under `paths` (changed, added, deleted, untracked), and REV's versions of
/// them written to a temporary directory.
fn base_side(rev: &str, paths: &[PathBuf]) -> Result<OldSide, String> {
    let prefix = String::from_utf8_lossy(&git(&["rev-parse", "--show-prefix"])?)
        .trim()
        .to_string();
    let commit = format!("{rev}^{{commit}}");
    git(&["rev-parse", "--verify", "--quiet", &commit])
        .map_err(|_| format!("`{rev}` is not a revision of this repository"))?;
    let specs: Vec<String> = paths
        .iter()
        .map(|p| slash(&crate::workspace::normalize(p)))
        .map(|s| {
            if s == "." || s.is_empty() {
                ".".to_string()
            } else {
                s
            }
        })
        .collect();
    let mut args = vec!["diff", "--name-only", "--no-renames", rev, "--"];
    args.extend(specs.iter().map(String::as_str));
    let mut changed = lines(&git(&args)?);
    let mut args = vec![
        "ls-files",
        "--others",
        "--exclude-standard",
        "--full-name",
        "--",
    ];
    args.extend(specs.iter().map(String::as_str));
    changed.extend(lines(&git(&args)?));
    changed.sort();
    changed.dedup();
    let tmp = tempfile::tempdir().map_err(|e| format!("cannot make a temporary directory: {e}"))?;
    let mut read = Vec::new();
    for name in &changed {
        // a file added since REV has no old version
        let Ok(bytes) = git(&["show", &format!("{rev}:{name}")]) else {
            continue;
        };
        let target = tmp.path().join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&target, bytes).map_err(|e| e.to_string())?;
        read.push((target, name.clone()));
    }
    let rev = rev.to_string();
    Ok(OldSide {
        // keys of the working tree are repository paths too
        differs: changed.into_iter().collect(),
        read,
        shown: Box::new(move |k| format!("{rev}:{k}")),
        _tmp: Some(tmp),
    })
    .map(|mut o| {
        o.differs = o
            .differs
            .into_iter()
            .map(|k| k.strip_prefix(&prefix).map_or(k.clone(), String::from))
            .collect();
        o.read = o
            .read
            .into_iter()
            .map(|(p, k)| {
                let k2 = k.strip_prefix(&prefix).map_or(k.clone(), String::from);
                (p, k2)
            })
            .collect();
        o
    })
}

/// `OLD NEW`: the old files whose text differs from the new file of the
/// same key (or that have none), found by reading them.
fn dir_side(
    old: &Path,
    new_texts: &BTreeMap<String, &str>,
    root: &crate::workspace::Root,
) -> OldSide {
    let (files, _) = crate::workspace::discover(&[old.to_path_buf()], root);
    let single = old.is_file();
    let key_of = |p: &Path| {
        if single {
            "file".to_string()
        } else {
            slash(p.strip_prefix(old).unwrap_or(p))
        }
    };
    use rayon::prelude::*;
    let compared: Vec<(PathBuf, String, bool)> = files
        .into_par_iter()
        .map(|(p, _)| {
            let key = key_of(&p);
            let same = std::fs::read(&p).ok().is_some_and(|b| {
                new_texts
                    .get(&key)
                    .is_some_and(|t| t.as_bytes() == b.as_slice())
            });
            (p, key, same)
        })
        .collect();
    let mut differs = BTreeSet::new();
    let mut read = Vec::new();
    let mut seen = BTreeSet::new();
    for (p, key, same) in compared {
        seen.insert(key.clone());
        if !same {
            differs.insert(key.clone());
            read.push((p, key));
        }
    }
    // new files the old version does not have
    for k in new_texts.keys() {
        if !seen.contains(k) {
            differs.insert(k.clone());
        }
    }
    let base = old.to_path_buf();
    OldSide {
        differs,
        read,
        shown: Box::new(move |k| {
            if single {
                slash(&base)
            } else {
                slash(&base.join(k))
            }
        }),
        _tmp: None,
    }
}

pub fn run(args: Args) -> u8 {
    let based = args.base.is_some();
    let (old_path, new_paths) = if based {
        (None, super::default_paths(args.paths.clone()))
    } else {
        let [old, new] = args.paths.as_slice() else {
            super::err(
                "dockcheck: diff needs OLD and NEW (files or directories), or --base REV [PATHS]\n  help: `dockcheck diff before/ after/` or `dockcheck diff --base main`\n",
            );
            return EXIT_TROUBLE;
        };
        (Some(old.clone()), vec![new.clone()])
    };
    for p in old_path.iter().chain(&new_paths) {
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
    // the new fleet, read once; the old one shares its unchanged files
    let limits = setup.limits(&args.limits);
    let new = crate::load::read_files(setup.sources.clone(), &new_paths, &limits);
    let new_root = match (&old_path, new_paths.first()) {
        (Some(_), Some(p)) => p.clone(),
        _ => PathBuf::from("."),
    };
    let single = old_path.is_some() && new_root.is_file();
    let new_key = |f: FileId| -> String {
        if single {
            return "file".into();
        }
        let p = crate::workspace::normalize(Path::new(&new.sources.get(f).path));
        let root = crate::workspace::normalize(&new_root);
        slash(p.strip_prefix(&root).unwrap_or(&p))
    };
    let new_texts: BTreeMap<String, &str> = new
        .read
        .iter()
        .map(|f| (new_key(*f), new.sources.get(*f).text.as_str()))
        .collect();
    let side = match (&args.base, &old_path) {
        (Some(rev), _) => match base_side(rev, &new_paths) {
            Ok(s) => s,
            Err(e) => {
                super::err(&format!("dockcheck: diff --base {rev}: {e}\n"));
                return EXIT_TROUBLE;
            }
        },
        (None, Some(old)) => dir_side(old, &new_texts, new.sources.root()),
        (None, None) => return EXIT_TROUBLE,
    };
    // the old sources: the new ones, then the old versions of what differs
    let read_paths: Vec<PathBuf> = side.read.iter().map(|(p, _)| p.clone()).collect();
    let first_old = new.sources.len();
    let old_read = crate::load::read_files(new.sources.clone(), &read_paths, &limits);
    if new.unreadable > 0 || old_read.unreadable > 0 {
        for d in new
            .diagnostics
            .iter()
            .chain(&old_read.diagnostics)
            .filter(|d| crate::diagnostic::codes::unread(&d.code))
        {
            super::err(&format!("dockcheck: {}\n", d.message));
        }
        return EXIT_TROUBLE;
    }
    let old_keys: std::collections::HashMap<FileId, String> = old_read
        .read
        .iter()
        .filter_map(|f| {
            let shown = Path::new(&old_read.sources.get(*f).path);
            side.read
                .iter()
                .find(|(p, _)| {
                    crate::workspace::normalize(p) == crate::workspace::normalize(shown)
                        || old_read.sources.root().show(p) == old_read.sources.get(*f).path
                })
                .map(|(_, k)| (*f, k.clone()))
        })
        .collect();
    let mut old_models: Vec<(String, FileId, &crate::model::Model)> = new
        .files
        .iter()
        .filter(|(f, _)| !side.differs.contains(&new_key(*f)))
        .map(|(f, m)| (new_key(*f), *f, m))
        .collect();
    old_models.extend(
        old_read
            .files
            .iter()
            .filter(|(f, _)| *f >= first_old)
            .map(|(f, m)| (old_keys.get(f).cloned().unwrap_or_default(), *f, m)),
    );
    old_models.sort_by(|a, b| a.0.cmp(&b.0));
    let mut cross = Vec::new();
    let models: Vec<(FileId, &crate::model::Model)> =
        old_models.iter().map(|(_, f, m)| (*f, *m)).collect();
    let ow = crate::model::world::World::build(&models, &mut cross);
    ow.check_refs(&mut cross);
    let nw = new.checked_world(&mut cross);
    let okey = |f: FileId| -> String {
        if f >= first_old {
            old_keys.get(&f).cloned().unwrap_or_default()
        } else {
            new_key(f)
        }
    };
    let oname = |f: FileId| (side.shown)(&okey(f));
    let nname = |f: FileId| new.sources.get(f).path.clone();
    let ov = Version {
        world: &ow,
        sources: &old_read.sources,
        name: &oname,
        key: &okey,
    };
    let nv = Version {
        world: &nw,
        sources: &new.sources,
        name: &nname,
        key: &new_key,
    };
    let adjust =
        |s: &crate::workspace::SourceMap, d: &mut Vec<Diagnostic>| setup.apply_overrides(s, d);
    let review = diff::review(&setup.rules, &ov, &nv, &adjust);
    // the language errors of either side, so nothing is compared silently
    let mut problems: Vec<String> = Vec::new();
    type Named<'n> = &'n dyn Fn(FileId) -> String;
    let sides: [(&crate::load::Loaded, Named, bool); 2] =
        [(&old_read, &oname, true), (&new, &nname, false)];
    for (l, name, old_side) in sides {
        for d in l
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diagnostic::Severity::Error)
            .filter(|d| !old_side || d.file >= first_old)
        {
            let (line, col) = l.sources.get(d.file).line_col(d.span.start);
            problems.push(format!(
                "{}:{line}:{col}: error[{}] {}",
                name(d.file),
                d.code,
                d.message
            ));
        }
    }
    problems.sort();
    problems.dedup();
    let text = match args.format {
        DiffFormat::Human => human(
            &review,
            &problems,
            &old_read.sources,
            human::Style {
                color: args.color.enabled(),
                width: super::width(),
            },
        ),
        DiffFormat::Json => json(&review, &problems),
        DiffFormat::Markdown => markdown(&review),
        DiffFormat::Sarif => sarif(&review),
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

/// `a.p → b.q: mates (docking) → fails`.
fn pair_text(p: &diff::PairChange) -> String {
    format!(
        "{} → {}: {} → {}",
        p.chaser,
        p.target,
        verdict(p.old, p.old_how),
        verdict(p.new, p.new_how)
    )
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

/// The files the human report draws, each under the name its version gives
/// it (an unchanged file is shared by both versions under two names).
struct Drawn<'a> {
    from: &'a SourceMap,
    map: SourceMap,
    ids: BTreeMap<(FileId, String), FileId>,
}

impl Drawn<'_> {
    fn id(&mut self, l: &diff::Loc) -> FileId {
        if let Some(id) = self.ids.get(&(l.id, l.file.clone())) {
            return *id;
        }
        let text = self.from.get(l.id).text.clone();
        let id = self.map.add(l.file.clone(), text);
        self.ids.insert((l.id, l.file.clone()), id);
        id
    }
    fn span(l: &diff::Loc) -> crate::syntax::ast::Span {
        crate::syntax::ast::Span {
            start: l.span.0,
            end: l.span.1,
        }
    }
}

/// At most this many changes are drawn under one impact; the rest are named.
const MAX_DRAWN_CHANGES: usize = 6;

/// The labels of a change: where it stands now, and where it stood.
fn change_labels(c: &diff::Change) -> Vec<(&diff::Loc, String)> {
    let eq = |v: &Option<String>| v.as_ref().map_or(String::new(), |v| format!(" = {v}"));
    let mut out = Vec::new();
    match c.kind {
        ChangeKind::Changed => {
            let (o, n) = (
                c.old.as_deref().unwrap_or(""),
                c.new.as_deref().unwrap_or(""),
            );
            out.extend(c.new_at.iter().map(|l| (l, format!("now {n} (was {o})"))));
            out.extend(c.old_at.iter().map(|l| (l, format!("was {o}"))));
        }
        ChangeKind::Added => {
            out.extend(c.new_at.iter().map(|l| (l, format!("added{}", eq(&c.new)))))
        }
        ChangeKind::Removed => out.extend(
            c.old_at
                .iter()
                .map(|l| (l, format!("removed{}", eq(&c.old)))),
        ),
        ChangeKind::Moved => {
            out.extend(c.new_at.iter().map(|l| (l, "moved here".to_string())));
            out.extend(c.old_at.iter().map(|l| (l, "was here".to_string())));
        }
    }
    out
}

/// One impact as a drawn report: `primary` (if any) and the changes behind
/// it, each labelled in both versions.
#[allow(clippy::too_many_arguments)]
fn impact_report(
    drawn: &mut Drawn,
    r: &Review,
    impact: Impact,
    message: String,
    primary: Option<(&diff::Loc, String)>,
    because: &[usize],
    mut help: Vec<String>,
    style: human::Style,
) -> String {
    let severity = match impact {
        Impact::Breaking => Severity::Error,
        Impact::Changed => Severity::Warning,
        Impact::Fixed => Severity::Info,
    };
    let causes: Vec<&diff::Change> = because.iter().filter_map(|i| r.changes.get(*i)).collect();
    let mut labels: Vec<(&diff::Loc, String)> = primary.into_iter().collect();
    for c in causes.iter().take(MAX_DRAWN_CHANGES) {
        labels.extend(change_labels(c));
        if let Some(n) = &c.note {
            help.push(format!("note: {n}"));
        }
    }
    if causes.len() > MAX_DRAWN_CHANGES {
        help.push(format!(
            "and {} more model changes of these ports (listed above)",
            causes.len() - MAX_DRAWN_CHANGES
        ));
    }
    let Some(((first, text), rest)) = labels.split_first() else {
        let mut out = format!("{}: {message}\n", impact.as_str());
        for h in help {
            out.push_str(&format!("  {h}\n"));
        }
        return out;
    };
    let mut d = Diagnostic::new(
        impact.as_str(),
        severity,
        drawn.id(first),
        Drawn::span(first),
        message,
    )
    .with_label(text.clone());
    for (l, text) in rest {
        let id = drawn.id(l);
        d = d.with_related(id, Drawn::span(l), text.clone());
    }
    if !help.is_empty() {
        d = d.with_help(help.join("\n"));
    }
    human::render_drawn(&drawn.map, &d, style)
}

fn finding_line(sign: char, f: &diff::Finding) -> String {
    format!("{sign} {}[{}] {}", f.severity.as_str(), f.code, f.message)
}

fn human(r: &Review, problems: &[String], sources: &SourceMap, style: human::Style) -> String {
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
    let mut drawn = Drawn {
        from: sources,
        map: SourceMap::with_root(sources.root().clone()),
        ids: BTreeMap::new(),
    };
    let mut impacts: Vec<(Impact, String)> = Vec::new();
    for p in &r.pairs {
        let mut help: Vec<String> = p.added.iter().map(|f| finding_line('+', f)).collect();
        help.extend(p.removed.iter().map(|f| finding_line('-', f)));
        let text = impact_report(
            &mut drawn,
            r,
            p.impact,
            pair_text(p),
            None,
            &p.because,
            help,
            style,
        );
        impacts.push((p.impact, text));
    }
    for p in &r.ports {
        let (sign, label) = if p.appeared {
            ('+', format!("{} now fails here", p.finding.code))
        } else {
            ('-', format!("{} failed here", p.finding.code))
        };
        let message = format!(
            "vehicle {}: {} {}[{}] {}",
            p.vehicle,
            sign,
            p.finding.severity.as_str(),
            p.finding.code,
            p.finding.message
        );
        let text = impact_report(
            &mut drawn,
            r,
            p.impact,
            message,
            Some((&p.at, label)),
            &p.because,
            Vec::new(),
            style,
        );
        impacts.push((p.impact, text));
    }
    for m in &r.matings {
        let message = format!(
            "mating {}: {} → {}: {} → {}",
            m.id,
            m.chaser,
            m.target,
            verdict(m.old, None),
            verdict(m.new, None)
        );
        let label = format!("mating `{}`", m.id);
        let text = impact_report(
            &mut drawn,
            r,
            m.impact,
            message,
            Some((&m.at, label)),
            &m.because,
            Vec::new(),
            style,
        );
        impacts.push((m.impact, text));
    }
    // breaking first, each kind in the review's sorted order
    impacts.sort_by_key(|a| a.0);
    out.push_str(&format!("\nPartner impact ({}):\n\n", impacts.len()));
    for (_, s) in impacts {
        out.push_str(&s);
        out.push('\n');
    }
    out.push_str(&format!("{}\n", summary(r)));
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

/// A SARIF location for a report location (its file as written).
fn sarif_location(l: &diff::Loc) -> serde_json::Value {
    serde_json::json!({
        "physicalLocation": {
            "artifactLocation": {"uri": l.file.replace('\\', "/")},
            "region": {"startLine": l.line, "startColumn": l.column}
        }
    })
}

/// SARIF 2.1.0 of the breaking findings: a pair at the change behind it
/// (its new location, else its old one), a port finding where it stands.
fn sarif(r: &Review) -> String {
    let mut results = Vec::new();
    let mut rules: BTreeSet<String> = BTreeSet::new();
    for p in r.pairs.iter().filter(|p| p.impact == Impact::Breaking) {
        let codes: Vec<&str> = p.added.iter().map(|f| f.code.as_str()).collect();
        let rule = codes
            .first()
            .copied()
            .unwrap_or("DIFF-BREAKING")
            .to_string();
        rules.insert(rule.clone());
        let locations: Vec<serde_json::Value> = p
            .because
            .iter()
            .filter_map(|i| r.changes.get(*i))
            .filter_map(|c| c.new_at.as_ref().or(c.old_at.as_ref()))
            .take(1)
            .map(sarif_location)
            .collect();
        let mut text = pair_text(p);
        for f in &p.added {
            text.push_str(&format!("; {}: {}", f.code, f.message));
        }
        results.push(serde_json::json!({
            "ruleId": rule,
            "level": "error",
            "message": {"text": text},
            "locations": locations,
        }));
    }
    for p in r.ports.iter().filter(|p| p.impact == Impact::Breaking) {
        rules.insert(p.finding.code.clone());
        results.push(serde_json::json!({
            "ruleId": p.finding.code,
            "level": "error",
            "message": {"text": format!("{}: {}", p.vehicle, p.finding.message)},
            "locations": [sarif_location(&p.at)],
        }));
    }
    for m in r.matings.iter().filter(|m| m.impact == Impact::Breaking) {
        rules.insert("DIFF-MATING".into());
        results.push(serde_json::json!({
            "ruleId": "DIFF-MATING",
            "level": "error",
            "message": {"text": format!(
                "mating {}: {} → {}: {} → {}",
                m.id, m.chaser, m.target, verdict(m.old, None), verdict(m.new, None)
            )},
        }));
    }
    let rules: Vec<serde_json::Value> = rules
        .into_iter()
        .map(|id| serde_json::json!({"id": id, "shortDescription": {"text": format!("{id}: breaking for partners")}}))
        .collect();
    let doc = serde_json::json!({
        "$schema": crate::report::sarif::SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dockcheck",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": crate::report::sarif::INFORMATION_URI,
                "rules": rules,
            }},
            "results": results,
        }],
    });
    crate::report::json::to_string(&doc)
}
