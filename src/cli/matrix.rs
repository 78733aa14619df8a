//! `dockcheck matrix [PATHS]...`: every ordered pair of ports on different
//! vehicles, as a table, JSON, CSV or a self-contained HTML page.

use super::setup::{self, SpecArgs};
use super::{EXIT_OK, EXIT_TROUBLE};
use crate::check::matrix::View;
use crate::check::pair::Detail;
use crate::diagnostic::{FileId, Severity};
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
    #[command(flatten)]
    pub limits: setup::LimitArgs,
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
        &setup.limits(&args.limits),
        setup_format(args.format),
        super::Color::Auto,
    ) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let world = setup::world_or_warn(&loaded);
    let sides = crate::check::matrix::prepared(&setup.rules, &world);
    // what the configuration makes of each rule's findings in each file,
    // decided once (a glob match per finding of a million pairs is not)
    let mut adjusted: foldhash::HashMap<(FileId, &str, Severity), Option<Severity>> =
        foldhash::HashMap::default();
    let files: std::collections::BTreeSet<FileId> = sides.iter().map(|s| s.side.file).collect();
    for &f in &files {
        for r in &setup.rules.rules {
            for s in [r.severity, Severity::Info] {
                let id = r.rule.id.as_str();
                adjusted.insert((f, id, s), setup.adjusted(&loaded.sources, f, id, s));
            }
        }
    }
    // with no configuration and no selection, every finding stays as it is
    let keeps_all = adjusted.iter().all(|((_, _, s), a)| *a == Some(*s));
    let adjust = |file: FileId, code: &str, s: Severity| {
        if keeps_all {
            return Some(s);
        }
        match adjusted.get(&(file, code, s)) {
            Some(a) => *a,
            None => setup.adjusted(&loaded.sources, file, code, s),
        }
    };
    let ports = crate::check::matrix::ports(&world).len();
    if ports > args.max_ports {
        super::err(&format!(
            "dockcheck: {ports} ports, more than `--max-ports {}`: the matrix would have {} pairs; raise `--max-ports` or check fewer files\n",
            args.max_ports,
            ports.saturating_mul(ports.saturating_sub(1)),
        ));
        return EXIT_TROUBLE;
    }
    let names: Vec<String> = sides.iter().map(|s| s.name.clone()).collect();
    if names.is_empty() {
        super::err("dockcheck: no ports found: the matrix is empty\n");
    } else if crate::check::matrix::pair_count(&crate::check::matrix::ports(&world)) == 0 {
        super::err(&format!(
            "dockcheck: no pairs: all {} ports are on one vehicle\n",
            names.len()
        ));
    }
    // where the matrix goes: stdout, or a temporary file renamed over the
    // output when complete (no reader sees half a matrix)
    let (mut sink, temp): (Box<dyn std::io::Write>, _) = match &args.output {
        Some(p) => {
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            match tempfile::NamedTempFile::new_in(dir) {
                Ok(t) => match t.reopen() {
                    Ok(f) => (Box::new(std::io::BufWriter::new(f)), Some(t)),
                    Err(e) => return cannot_write(p, &e),
                },
                Err(e) => return cannot_write(p, &e),
            }
        }
        None => (
            Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            None,
        ),
    };
    let row = |i: usize, detail: Detail, f: &(dyn Fn(&View) -> String + Sync)| {
        let c = sides.get(i).map_or("", |s| s.name.as_str());
        crate::check::matrix::row(&setup.rules, &sides, i, &adjust, detail, &|t, q| {
            f(&View::of(c, t, &q))
        })
    };
    let color = args.output.is_none() && args.color.enabled();
    // the formats that are written row by row hold one row at a time, each
    // cell rendered on the thread that checked it
    let written: std::io::Result<()> = (|| {
        match args.format {
            MatrixFormat::Json => {
                let mut j = report::matrix::Json::default();
                sink.write_all(report::matrix::Json::head(&names).as_bytes())?;
                for i in 0..sides.len() {
                    let cells = row(i, Detail::Skips, &report::matrix::Json::cell);
                    sink.write_all(j.cells(&cells).as_bytes())?;
                }
                sink.write_all(j.tail().as_bytes())?;
            }
            MatrixFormat::Csv => {
                sink.write_all(report::matrix::CSV_HEAD.as_bytes())?;
                for i in 0..sides.len() {
                    let c = sides.get(i).map_or("", |s| s.name.as_str());
                    let pieces = crate::check::matrix::row_text(
                        &setup.rules,
                        &sides,
                        i,
                        &adjust,
                        Detail::Verdict,
                        &|out, t, q| report::matrix::csv_line_into(out, &View::of(c, t, &q)),
                    );
                    for piece in pieces {
                        sink.write_all(piece.as_bytes())?;
                    }
                }
            }
            MatrixFormat::Table => {
                let t = report::matrix::Table::new(&names, color);
                sink.write_all(t.head().as_bytes())?;
                for i in 0..sides.len() {
                    let marks = crate::check::matrix::row(
                        &setup.rules,
                        &sides,
                        i,
                        &adjust,
                        Detail::Mark,
                        &|t, q| (t.name.as_str(), q.verdict, q.how),
                    );
                    let line = t.row(i, marks);
                    sink.write_all(line.as_bytes())?;
                }
                sink.write_all(t.tail().as_bytes())?;
            }
            MatrixFormat::Html => {
                let m = crate::check::matrix::build(&setup.rules, &world, &adjust);
                sink.write_all(report::html::matrix(&m, &html_meta(&setup, &loaded)).as_bytes())?;
            }
        }
        sink.flush()
    })();
    drop(sink);
    match (args.output, temp) {
        (Some(p), Some(t)) => {
            if let Err(e) = written {
                return cannot_write(&p, &e);
            }
            if let Err(e) = t.persist(&p) {
                return cannot_write(&p, &e.error);
            }
        }
        // a closed pipe on stdout is the reader's choice, not an error
        _ => {
            if let Err(e) = written
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                super::err(&format!("dockcheck: cannot write the matrix: {e}\n"));
                return EXIT_TROUBLE;
            }
        }
    }
    EXIT_OK
}

fn cannot_write(p: &std::path::Path, e: &std::io::Error) -> u8 {
    super::err(&format!("dockcheck: cannot write {}: {e}\n", p.display()));
    EXIT_TROUBLE
}

/// The HTML page's header: the version, the files and the specs.
fn html_meta(setup: &setup::Setup, loaded: &crate::load::Loaded) -> report::html::Meta {
    let mut files: Vec<String> = loaded
        .files
        .iter()
        .map(|(f, _)| loaded.sources.get(*f).path.clone())
        .collect();
    files.sort();
    files.dedup();
    report::html::Meta {
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
    }
}

/// Setup errors come out as a JSON error object for `--format json`.
fn setup_format(f: MatrixFormat) -> super::output::SetupFormat {
    match f {
        MatrixFormat::Json => super::output::SetupFormat::JsonError,
        _ => super::output::SetupFormat::Report(super::Format::Human),
    }
}
