//! `dockcheck matrix [PATHS]...`: every ordered pair of ports on different
//! vehicles, as a table, JSON, CSV or a self-contained HTML page.

use super::setup::{self, SpecArgs};
use super::{EXIT_OK, EXIT_TROUBLE};
use crate::report;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatrixFormat {
    /// A terminal grid of ✓ ✗ ? (coloured on a terminal) with numbered targets and a legend
    Table,
    /// `{"version": 1, "ports": [...], "pairs": [...]}`: each pair's verdict, failing codes and skipped checks
    Json,
    /// One row per ordered pair: chaser, target, verdict, codes (`;`-separated)
    Csv,
    /// One self-contained HTML page (inline CSS and SVG): inputs, specs, legend, each pair's reasons and skipped checks
    Html,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and directories to load (default: .).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MatrixFormat::Table)]
    pub format: MatrixFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Refuse to build a matrix of more ports than this (the matrix has
    /// ports² pairs).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_ports: usize,
    /// Colour of the table's ✓ ✗ ? (auto: on a terminal, unless NO_COLOR is
    /// set; CLICOLOR_FORCE=1 forces it).
    #[arg(long, value_enum, default_value_t = super::Color::Auto)]
    pub color: super::Color,
    #[command(flatten)]
    pub spec: SpecArgs,
}

use std::path::PathBuf;

pub fn run(args: Args) -> u8 {
    let paths = super::default_paths(args.paths);
    let setup = match setup::setup_or_report(
        &args.spec,
        &setup::config_start(&paths),
        setup_format(args.format),
        super::Color::Auto,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let loaded = match setup::load_or_report(
        &setup,
        &paths,
        setup_format(args.format),
        super::Color::Auto,
    ) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let world = setup::world_or_warn(&loaded);
    let adjust =
        |d: &mut Vec<crate::diagnostic::Diagnostic>| setup.apply_overrides(&loaded.sources, d);
    let ports = crate::check::matrix::ports(&world).len();
    if ports > args.max_ports {
        super::err(&format!(
            "dockcheck: {ports} ports, more than `--max-ports {}`: the matrix would have {} pairs; raise `--max-ports` or check fewer files\n",
            args.max_ports,
            ports.saturating_mul(ports.saturating_sub(1)),
        ));
        return EXIT_TROUBLE;
    }
    let m = crate::check::matrix::build(&setup.rules, &world, &adjust);
    if m.ports.is_empty() {
        super::err("dockcheck: no ports found: the matrix is empty\n");
    } else if m.pairs.is_empty() {
        super::err(&format!(
            "dockcheck: no pairs: all {} ports are on one vehicle\n",
            m.ports.len()
        ));
    }
    let mut files: Vec<String> = loaded
        .files
        .iter()
        .map(|(f, _)| loaded.sources.get(*f).path.clone())
        .collect();
    files.sort();
    files.dedup();
    let meta = report::html::Meta {
        version: env!("CARGO_PKG_VERSION"),
        files,
        specs: setup
            .rules
            .specs
            .iter()
            .map(|s| {
                format!(
                    "{} ({} revision {})",
                    s.name, s.spec.standard.id, s.spec.standard.revision
                )
            })
            .collect(),
    };
    let color = args.output.is_none() && args.color.enabled();
    let text = match args.format {
        MatrixFormat::Json => report::json::to_string(&MatrixDoc {
            version: 1,
            matrix: &m,
        }),
        MatrixFormat::Csv => report::matrix::csv(&m),
        MatrixFormat::Table => report::matrix::table(&m, color),
        MatrixFormat::Html => report::html::matrix(&m, &meta),
    };
    match args.output {
        Some(p) => {
            if let Err(e) = std::fs::write(&p, text) {
                super::err(&format!("dockcheck: cannot write {}: {e}\n", p.display()));
                return EXIT_TROUBLE;
            }
        }
        None => super::out(&text),
    }
    EXIT_OK
}

#[derive(serde::Serialize)]
struct MatrixDoc<'a> {
    version: u32,
    #[serde(flatten)]
    matrix: &'a crate::check::matrix::Matrix,
}

/// Setup errors come out as a JSON error object for `--format json`.
fn setup_format(f: MatrixFormat) -> super::output::SetupFormat {
    match f {
        MatrixFormat::Json => super::output::SetupFormat::JsonError,
        _ => super::output::SetupFormat::Report(super::Format::Human),
    }
}
