//! `dockcheck check [PATHS]...`

use super::setup::{self, SpecArgs};
use super::{Color, EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE, Format};
use crate::check::pair;
use crate::diagnostic::{Counts, Diagnostic};
use crate::report::{self, MatingCounts, MatingVerdict, human};
use crate::spec::config::FailOn;
use crate::workspace::SourceMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and directories to check; directories are walked for *.icd,
    /// skipping hidden files and directories and what .gitignore and .ignore
    /// exclude (a file named here is always read). Default: the current
    /// directory.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on findings at or above this level [default: error, or
    /// the configuration's `fail-on`].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print the findings only: no summary line and no mating verdict lines.
    #[arg(short, long)]
    pub quiet: bool,
    /// The path that `-` (standard input) stands for: it is shown as that
    /// file, and dockcheck.toml and its overrides are found from it.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    #[command(flatten)]
    pub spec: SpecArgs,
}

/// Prints diagnostics and mating verdicts in the chosen format, with the
/// summary line.
pub fn emit(
    sources: &SourceMap,
    diags: &mut Vec<Diagnostic>,
    matings: &mut [MatingVerdict],
    files: usize,
    format: Format,
    color: Color,
    t0: Instant,
) {
    report::finish(diags, sources);
    report::sort_matings(matings, sources);
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Json => {
            let _ = report::json::write_report(&mut w, sources, diags, matings, files);
            let _ = std::io::Write::flush(&mut w);
        }
        Format::Human => {
            let style = human::Style {
                color: color.enabled(),
                width: super::width(),
            };
            let _ = human::write(&mut w, sources, diags, style);
            for m in matings.iter() {
                let _ = writeln!(w, "{}", m.line());
            }
            let _ = std::io::Write::flush(&mut w);
            let c = Counts::of(diags);
            let mut line = format!(
                "dockcheck: {} file{} checked: {} error{}, {} warning{}, {} info{}",
                files,
                plural(files),
                c.errors,
                plural(c.errors),
                c.warnings,
                plural(c.warnings),
                c.infos,
                plural(c.infos),
            );
            if !matings.is_empty() {
                let m = MatingCounts::of(matings);
                line.push_str(&format!(
                    "; matings: {} mates, {} fails, {} undecided",
                    m.mates, m.fails, m.undecided
                ));
            }
            super::err(&format!("{line} in {:.2}s\n", t0.elapsed().as_secs_f64()));
        }
    }
}

pub fn run(args: Args) -> u8 {
    let t0 = Instant::now();
    let paths = super::default_paths(args.paths);
    let setup = match setup::setup(&args.spec, &setup::config_start(&paths)) {
        Ok(s) => s,
        Err((sources, mut diags)) => {
            emit(
                &sources,
                &mut diags,
                &mut [],
                0,
                args.format,
                args.color,
                t0,
            );
            return EXIT_TROUBLE;
        }
    };
    let fail_on = setup.fail_on(args.fail_on);
    let mut loaded = crate::load::read_files(setup.sources.clone(), &paths);
    let mut diags = std::mem::take(&mut loaded.diagnostics);
    if loaded.checked == 0 {
        super::err("dockcheck: warning: no .icd files found\n");
    }
    let world = loaded.checked_world(&mut diags);
    let matings = crate::check::check_world(&setup.rules, None, &world, &mut diags);
    setup.apply_overrides(&loaded.sources, &mut diags);
    // each verdict follows its findings as configured, as in `mate`
    let mut verdicts: Vec<MatingVerdict> = matings
        .into_iter()
        .map(|m| {
            let mut found = m.diagnostics;
            setup.apply_overrides(&loaded.sources, &mut found);
            let outcome = pair::outcome(found, m.undecided);
            MatingVerdict {
                file: m.file,
                span: m.span,
                id: m.id,
                chaser: m.chaser,
                target: m.target,
                verdict: outcome.verdict,
                codes: outcome.codes,
            }
        })
        .collect();
    emit(
        &loaded.sources,
        &mut diags,
        &mut verdicts,
        loaded.checked,
        args.format,
        args.color,
        t0,
    );
    if loaded.unreadable > 0 {
        return EXIT_TROUBLE;
    }
    if setup::fails(&diags, fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
