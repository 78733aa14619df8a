//! `dockcheck check [PATHS]...`

use super::output::{self, Format, Kind, OutputArgs, SetupFormat};
use super::setup::{self, Setup, SpecArgs};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};
use crate::baseline;
use crate::check::pair;
use crate::diagnostic::{Diagnostic, FileId, Waived};
use crate::report::{self, CheckedFile, CodeInfo, MatingVerdict, Run};
use crate::spec::config::FailOn;
use crate::waiver::{self, Scope, Waiver};
use crate::workspace::SourceMap;
use std::collections::{BTreeSet, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and directories to check; directories are walked for *.icd,
    /// skipping hidden files and directories and what .gitignore and .ignore
    /// exclude (a file named here is always read). `-` reads standard
    /// input. Default: the current directory.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Fail (exit 1) on findings at or above this level [default: error, or
    /// the configuration's `fail-on`].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// The path that `-` (standard input) stands for: it is shown as that
    /// file, and dockcheck.toml, overrides and waivers are found from it.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// The waiver file [default: waivers.toml in the project root, when it
    /// exists].
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Report only findings that are not in this baseline (written by
    /// `--write-baseline`); entries that match nothing any more are
    /// ICD-BASELINE-STALE warnings.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current unwaived findings in FILE as a baseline, then
    /// exit 0 (unless a path could not be read).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub limits: setup::LimitArgs,
}

/// A progress bar on stderr, shown only when stderr is a terminal and the
/// reading takes longer than half a second.
struct Bar {
    bar: indicatif::ProgressBar,
    t0: Instant,
    tty: bool,
    shown: std::sync::atomic::AtomicBool,
}

impl Bar {
    fn new(quiet: bool) -> Bar {
        Bar {
            bar: indicatif::ProgressBar::hidden(),
            t0: Instant::now(),
            tty: !quiet && std::io::stderr().is_terminal(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

impl crate::load::Progress for Bar {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
    }
    fn tick(&self) {
        self.bar.inc(1);
        use std::sync::atomic::Ordering;
        if self.tty
            && self.t0.elapsed().as_millis() > 500
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} files {msg}")
            {
                self.bar.set_style(style);
            }
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Whether standard input is read: a path is `-` (or `--stdin-filename` is
/// given without paths). Takes `-` out of the path list.
fn take_stdin(paths: &mut Vec<PathBuf>, stdin_filename: Option<&Path>) -> bool {
    let before = paths.len();
    paths.retain(|p| p.as_os_str() != "-");
    paths.len() < before || (before == 0 && stdin_filename.is_some())
}

/// Standard input, up to `limit` bytes.
fn read_stdin(limit: u64) -> Result<Vec<u8>, crate::workspace::ReadError> {
    crate::workspace::read_limited(std::io::stdin().lock(), limit, 0)
}

/// Reads a file named by a flag into the sources (`Err`: ICD-IO, exit 2).
fn read_flag_file(
    sources: &mut SourceMap,
    path: &Path,
    what: &str,
) -> Result<FileId, Box<Diagnostic>> {
    let shown = sources.show(path);
    match std::fs::read(path) {
        Ok(bytes) => Ok(sources.add(shown, String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) => {
            let id = sources.add(shown.clone(), String::new());
            Err(Box::new(Diagnostic::error(
                crate::diagnostic::codes::IO,
                id,
                crate::syntax::Span::default(),
                format!(
                    "cannot read the {what} {shown}: {}",
                    crate::workspace::io_message(&e)
                ),
            )))
        }
    }
}

pub fn run(args: Args) -> u8 {
    let t0 = Instant::now();
    let mut paths = args.paths.clone();
    let stdin = take_stdin(&mut paths, args.stdin_filename.as_deref());
    if !stdin {
        paths = super::default_paths(paths);
    }
    // the configuration is found from every checked path, standard input's
    // name (or the current directory) included
    let mut anchors = paths.clone();
    if stdin {
        anchors.push(
            args.stdin_filename
                .clone()
                .unwrap_or_else(|| PathBuf::from(".")),
        );
    }
    let start = setup::config_start(&anchors);
    let format = SetupFormat::Report(args.out.format);
    let color = args.out.color;
    let setup = match setup::setup(&args.spec, &start) {
        Ok(s) => s,
        Err((sources, diags)) => return output::setup_failed(&sources, diags, format, color),
    };
    if args.spec.verbose {
        super::err(&setup.describe());
    }
    let mut sources = setup.sources.clone();
    let files_out = match output::outputs(&args.out) {
        Ok(f) => f,
        Err(e) => {
            let d = setup::flag_diagnostic(&mut sources, e);
            return output::setup_failed(&sources, vec![d], format, color);
        }
    };
    // the waiver and baseline files, read before the .icd files so that
    // their findings can point into them
    let waiver_file = match &args.waivers {
        Some(p) => match read_flag_file(&mut sources, p, "waiver file") {
            Ok(id) => Some(id),
            Err(d) => return output::setup_failed(&sources, vec![*d], format, color),
        },
        None => match &setup.waiver_file {
            Some(p) => match read_flag_file(&mut sources, p, "waiver file") {
                Ok(id) => Some(id),
                Err(d) => return output::setup_failed(&sources, vec![*d], format, color),
            },
            None => None,
        },
    };
    let baseline = match &args.baseline {
        Some(p) => {
            let id = match read_flag_file(&mut sources, p, "baseline") {
                Ok(id) => id,
                Err(d) => return output::setup_failed(&sources, vec![*d], format, color),
            };
            match baseline::parse(&sources, id) {
                Ok(b) => Some((id, b)),
                Err(d) => return output::setup_failed(&sources, vec![*d], format, color),
            }
        }
        None => None,
    };
    let limits = setup.limits(&args.limits);
    let stdin = stdin.then(|| crate::load::Stdin {
        shown: args
            .stdin_filename
            .as_deref()
            .map_or_else(|| "-".to_string(), |p| sources.show(p)),
        bytes: read_stdin(limits.max_file_size),
    });
    let fail_on = setup.fail_on(args.fail_on);
    let bar = Bar::new(args.out.quiet || args.out.format != Format::Human);
    // what was read lives until the process exits: freeing every file's
    // text and model just before exiting costs time and gives nothing back
    let loaded: &crate::load::Loaded = Box::leak(Box::new(crate::load::read_files_with(
        sources, &paths, stdin, &bar, &limits,
    )));
    drop(bar);
    // (a path that could not be read, or was too large, says so itself)
    if loaded.checked == 0 && loaded.unreadable == 0 {
        super::err("dockcheck: warning: no .icd files found\n");
    }
    let sources = &loaded.sources;
    let mut gated = gate(&setup, loaded, waiver_file);
    let read_paths: BTreeSet<&str> = loaded
        .read
        .iter()
        .map(|&id| sources.get(id).path.as_str())
        .collect();

    let mut code = EXIT_OK;
    if let Some(path) = &args.write_baseline {
        let b = baseline::record(
            sources,
            &gated.diags,
            &gated.fingerprints,
            &gated.model_paths,
        );
        match std::fs::write(path, baseline::to_json(&b)) {
            Ok(()) => super::err(&format!(
                "dockcheck: wrote {} finding{} to the baseline {}\n",
                b.findings.len(),
                output::plural(b.findings.len()),
                path.display()
            )),
            Err(e) => {
                super::err(&format!(
                    "dockcheck: cannot write the baseline {}: {}\n",
                    path.display(),
                    crate::workspace::io_message(&e)
                ));
                code = EXIT_TROUBLE;
            }
        }
    }
    if let Some((file, b)) = &baseline {
        let (keep, stale) = baseline::filter(
            b,
            *file,
            sources,
            &gated.diags,
            &gated.fingerprints,
            &read_paths,
        );
        let stale_prints = crate::fingerprint::fingerprints(&stale, sources);
        let diags = std::mem::take(&mut gated.diags);
        let fingerprints = std::mem::take(&mut gated.fingerprints);
        let mut pairs: Vec<(Diagnostic, String)> = diags
            .into_iter()
            .zip(fingerprints)
            .zip(keep)
            .filter_map(|(p, k)| k.then_some(p))
            .chain(stale.into_iter().zip(stale_prints))
            .collect();
        pairs.sort_by(|a, b| report::compare(&a.0, &b.0, sources));
        (gated.diags, gated.fingerprints) = pairs.into_iter().unzip();
    }

    let run = gated.run(sources, fail_on);
    if let Err(c) = output::emit(&args.out, &files_out, &run, &Kind::Check { t0 }) {
        code = c;
    }
    if loaded.unreadable > 0 || code == EXIT_TROUBLE {
        return EXIT_TROUBLE;
    }
    if args.write_baseline.is_some() {
        return EXIT_OK;
    }
    if gated.diags.iter().any(|d| run.fails(d)) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// What `check` reports of the files loaded, before a baseline: every
/// finding through the gate (configuration, waivers, `--select` and
/// `--ignore`), sorted, with its fingerprint; the declared matings' verdicts;
/// the files checked with the rules that applied; every code's description.
#[derive(Debug)]
pub struct Gated {
    pub diags: Vec<Diagnostic>,
    pub fingerprints: Vec<String>,
    /// Each finding's model path (what a baseline records).
    pub model_paths: Vec<String>,
    pub matings: Vec<MatingVerdict>,
    pub files: Vec<CheckedFile>,
    pub codes: Vec<CodeInfo>,
}

impl Gated {
    /// The run the renderers format.
    pub fn run<'a>(&'a self, sources: &'a SourceMap, fail_on: FailOn) -> Run<'a> {
        Run {
            sources,
            diags: &self.diags,
            fingerprints: &self.fingerprints,
            matings: &self.matings,
            files: &self.files,
            codes: &self.codes,
            fail_on,
        }
    }
}

/// The rules of `setup` over the loaded files, and the gate: what `check`
/// does between reading and rendering, without I/O (`waiver_file`, when
/// given, is already in the loaded sources).
pub fn gate(setup: &Setup, loaded: &crate::load::Loaded, waiver_file: Option<FileId>) -> Gated {
    let mut diags = loaded.diagnostics.clone();
    let world = loaded.checked_world(&mut diags);
    let matings = crate::check::check_world(&setup.rules, None, &world, &mut diags);
    let applied = crate::check::applied(&setup.rules, &world);
    let sources = &loaded.sources;
    setup.apply_config(sources, &mut diags);

    // waivers, then --select/--ignore
    let codes = CodeInfo::all(&setup.rules);
    let known: Vec<&str> = codes.iter().map(|c| c.id.as_str()).collect();
    let mut waivers: Vec<Waiver> = Vec::new();
    for &id in &loaded.read {
        waivers.extend(waiver::inline(
            id,
            &sources.get(id).text,
            &known,
            &mut diags,
        ));
    }
    if let Some(id) = waiver_file {
        waivers.extend(waiver::from_file(id, sources, &known, &mut diags));
    }
    let read_paths: BTreeSet<&str> = loaded
        .read
        .iter()
        .map(|&id| sources.get(id).path.as_str())
        .collect();
    let in_run = |w: &Waiver| match &w.scope {
        Scope::Line(..) => true,
        Scope::Path(g) => read_paths.iter().any(|p| g.is_match(p)),
        Scope::Ref(r) => world
            .vehicles
            .contains_key(r.split('.').next().unwrap_or_default()),
    };
    waiver::apply(
        &waivers,
        sources,
        &mut diags,
        waiver::today(),
        &|rule| setup.selection.keeps(rule),
        &in_run,
    );
    setup.select(&mut diags);

    let mut verdicts = verdicts(setup, sources, matings, &diags);
    report::sort_matings(&mut verdicts, sources);
    report::finish(&mut diags, sources);
    let outline = outline(loaded);
    let (fingerprints, model_paths) =
        crate::fingerprint::with_paths_outlined(&diags, sources, &|f| outline(f));
    let mut files: Vec<CheckedFile> = loaded
        .read
        .iter()
        .map(|&id| CheckedFile {
            file: id,
            rules: applied
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Vec::new().into()),
        })
        .collect();
    files.sort_by(|a, b| sources.get(a.file).path.cmp(&sources.get(b.file).path));
    index_lines(sources, &diags, &verdicts);
    Gated {
        diags,
        fingerprints,
        model_paths,
        matings: verdicts,
        files,
        codes,
    }
}

/// Makes, in parallel, the line index of every file the report points
/// into (each finding's position is given as line and column), which the
/// renderers would otherwise make one file after another.
fn index_lines(sources: &SourceMap, diags: &[Diagnostic], matings: &[MatingVerdict]) {
    use rayon::prelude::*;
    let mut files: Vec<FileId> = diags
        .iter()
        .flat_map(|d| std::iter::once(d.file).chain(d.labels.iter().map(|l| l.file)))
        .chain(matings.iter().map(|m| m.file))
        .filter(|&f| f < sources.len())
        .collect();
    files.sort_unstable();
    files.dedup();
    files.par_iter().for_each(|&f| sources.get(f).index_lines());
}

/// The top-level statements of each loaded file that parsed without a
/// syntax error, from its model (see [`crate::fingerprint::Outline`]).
fn outline(
    loaded: &crate::load::Loaded,
) -> impl Fn(FileId) -> Option<Vec<crate::syntax::Span>> + Sync + '_ {
    use crate::diagnostic::codes;
    let broken: std::collections::HashSet<FileId> = loaded
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code.as_str(),
                codes::SYNTAX | codes::RANGE | codes::ENCODING
            )
        })
        .map(|d| d.file)
        .collect();
    let models: HashMap<FileId, &crate::model::Model> =
        loaded.files.iter().map(|(f, m)| (*f, m)).collect();
    move |f| {
        if broken.contains(&f) {
            return None;
        }
        crate::fingerprint::top_spans(models.get(&f)?)
    }
}

/// `check` of texts held in memory, each shown under its name, with the
/// rules of `setup` (as `check -` reads standard input): the loaded files
/// and what `check` would report of them, before any baseline. No I/O.
pub fn check_texts(setup: &Setup, texts: Vec<(String, Vec<u8>)>) -> (crate::load::Loaded, Gated) {
    let loaded = crate::load::read_texts(setup.sources.clone(), texts);
    let gated = gate(setup, &loaded, None);
    (loaded, gated)
}

/// Each declared mating's verdict, following its findings as configured,
/// waived and selected (as in `mate`): a waived finding does not fail it.
fn verdicts(
    setup: &Setup,
    sources: &SourceMap,
    matings: Vec<crate::check::Mating>,
    diags: &[Diagnostic],
) -> Vec<MatingVerdict> {
    type Key<'a> = (FileId, usize, usize, &'a str, &'a str);
    let waived: HashMap<Key, &Waived> = diags
        .iter()
        .filter_map(|d| {
            d.waived.as_ref().map(|w| {
                (
                    (
                        d.file,
                        d.span.start,
                        d.span.end,
                        d.code.as_str(),
                        d.message.as_str(),
                    ),
                    w,
                )
            })
        })
        .collect();
    matings
        .into_iter()
        .map(|m| {
            let mut found = m.diagnostics;
            setup.apply_config(sources, &mut found);
            setup.select(&mut found);
            found.retain(|d| {
                !waived.contains_key(&(
                    d.file,
                    d.span.start,
                    d.span.end,
                    d.code.as_str(),
                    d.message.as_str(),
                ))
            });
            let outcome = pair::outcome(found, m.undecided, m.way);
            MatingVerdict {
                file: m.file,
                span: m.span,
                id: m.id,
                chaser: m.chaser,
                target: m.target,
                verdict: outcome.verdict,
                how: outcome.how,
                codes: outcome.codes,
            }
        })
        .collect()
}
