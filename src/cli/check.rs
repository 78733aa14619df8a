//! `dockcheck check [PATHS]...`

use super::setup::{self, SpecArgs};
use super::{Color, EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE, Format};
use crate::diagnostic::{Counts, Diagnostic};
use crate::report::{self, human};
use crate::spec::config::FailOn;
use crate::workspace::SourceMap;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and directories to check; directories are walked for *.icd
    /// (honouring .gitignore). Default: the current directory.
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
    #[command(flatten)]
    pub spec: SpecArgs,
}

/// Prints diagnostics in the chosen format, with the summary line.
pub fn emit(
    sources: &SourceMap,
    diags: &mut Vec<Diagnostic>,
    files: usize,
    format: Format,
    color: Color,
    t0: Instant,
) {
    report::sort(diags, sources);
    report::dedup(diags);
    match format {
        Format::Json => super::out(&report::json::render(sources, diags, files)),
        Format::Human => {
            let style = human::Style {
                color: color.enabled(),
                width: super::width(),
            };
            super::out(&human::render(sources, diags, style));
            let c = Counts::of(diags);
            super::err(&format!(
                "dockcheck: {} file{} checked: {} error{}, {} warning{}, {} info{} in {:.2}s\n",
                files,
                plural(files),
                c.errors,
                plural(c.errors),
                c.warnings,
                plural(c.warnings),
                c.infos,
                plural(c.infos),
                t0.elapsed().as_secs_f64()
            ));
        }
    }
}

pub fn run(args: Args) -> u8 {
    let t0 = Instant::now();
    let paths = super::default_paths(args.paths);
    let setup = match setup::setup(&args.spec, &paths[0]) {
        Ok(s) => s,
        Err((sources, mut diags)) => {
            emit(&sources, &mut diags, 0, args.format, args.color, t0);
            return EXIT_TROUBLE;
        }
    };
    let fail_on = setup.fail_on(args.fail_on);
    let loaded = crate::load::load_into(setup.sources.clone(), &paths);
    let mut diags = loaded.diagnostics.clone();
    for (file, model) in &loaded.files {
        crate::check::conformance::check_model(&setup.rules, None, *file, model, &mut diags);
    }
    let mut scratch = Vec::new();
    let world = loaded.world(&mut scratch);
    crate::check::run_pairs(&setup.rules, None, &world, &mut diags);
    setup.apply_overrides(&loaded.sources, &mut diags);
    emit(
        &loaded.sources,
        &mut diags,
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
