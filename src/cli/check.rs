//! `dockcheck check [PATHS]...`

use super::{Color, EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE, Format};
use crate::diagnostic::Counts;
use crate::report::{self, human};
use std::path::PathBuf;
use std::time::Instant;

/// The level at or above which findings fail the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// never fail on findings (exit 2 still means trouble)
    Never,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and directories to check; directories are walked for *.icd
    /// (honouring .gitignore).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on findings at or above this level.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

pub fn run(args: Args) -> u8 {
    let t0 = Instant::now();
    let paths = super::default_paths(args.paths);
    let loaded = crate::load::load(&paths);
    let mut diags = loaded.diagnostics.clone();
    report::sort(&mut diags, &loaded.sources);
    report::dedup(&mut diags);
    let files = loaded.sources.len();
    match args.format {
        Format::Json => super::out(&report::json::render(&loaded.sources, &diags, files)),
        Format::Human => {
            let style = human::Style { color: args.color.enabled(), width: super::width() };
            super::out(&human::render(&loaded.sources, &diags, style));
            let c = Counts::of(&diags);
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
    if loaded.unreadable > 0 {
        return EXIT_TROUBLE;
    }
    let min_rank = match args.fail_on {
        FailOn::Error => 3,
        FailOn::Warning => 2,
        FailOn::Info => 1,
        FailOn::Never => u8::MAX,
    };
    if diags.iter().any(|d| d.severity.rank() >= min_rank) { EXIT_FINDINGS } else { EXIT_OK }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
