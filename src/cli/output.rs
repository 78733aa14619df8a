//! The one emitter: every command prints its report, and its setup errors,
//! through here, in the format it was asked for. `check` and `mate` may also
//! write other formats to files (`--output sarif=results.sarif`); each file
//! holds exactly the bytes `--format` of that format prints.

use super::{Color, EXIT_TROUBLE};
use crate::check::pair::Verdict;
use crate::diagnostic::{Counts, Diagnostic};
use crate::report::{self, CodeInfo, MatingCounts, Run, human};
use crate::spec::config::FailOn;
use crate::workspace::SourceMap;
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Output format of `check` and `mate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum Format {
    /// each finding as a report with the source lines it points at, then a summary line on stderr (`check`) or the verdict line (`mate`)
    Human,
    /// one line per finding: `file:line:col: severity[CODE] message`, nothing else
    Short,
    /// one JSON document, version 1: `check` gives diagnostics, matings and a summary, `mate` the verdict, codes and diagnostics
    Json,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers (columns in UTF-16 code units)
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…`), at most 10 per level; a markdown summary to `$GITHUB_STEP_SUMMARY` when it is set
    Github,
    /// JUnit XML: one testsuite per file checked, one testcase per rule that applied and one for the language checks
    Junit,
    /// reviewdog's diagnostic format (rdjson; columns in UTF-8 bytes)
    Rdjson,
}

impl Format {
    pub fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string())
    }
    /// Whether the format is for programs (statistics then go to stderr).
    fn machine(self) -> bool {
        !matches!(self, Format::Human | Format::Short)
    }
}

/// The output flags of `check` and `mate`.
#[derive(clap::Args, Debug, Clone)]
pub struct OutputArgs {
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also write a format to a file, `FORMAT=PATH` (repeatable), e.g.
    /// `--output sarif=results.sarif --output junit=report.xml`.
    #[arg(long = "output", short = 'o', value_name = "FORMAT=PATH")]
    pub outputs: Vec<String>,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print the findings only: no summary line and no mating verdict lines.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print `COUNT  CODE` per code after the report (on stdout for human
    /// and short, on stderr for the machine formats).
    #[arg(long)]
    pub statistics: bool,
}

/// A usage error in a flag (exit 2): the flag as written, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct FlagError {
    pub arg: String,
    pub message: String,
}

impl FlagError {
    pub fn new(arg: String, message: String) -> FlagError {
        FlagError { arg, message }
    }
}

/// Reads `--output FORMAT=PATH` flags.
pub fn outputs(args: &OutputArgs) -> Result<Vec<(Format, PathBuf)>, FlagError> {
    let mut out = Vec::new();
    for flag in &args.outputs {
        let names: Vec<String> = Format::value_variants().iter().map(|f| f.name()).collect();
        let Some((name, path)) = flag.split_once('=').filter(|(_, p)| !p.is_empty()) else {
            return Err(FlagError::new(
                format!("--output {flag}"),
                format!(
                    "--output `{flag}`: write `--output FORMAT=PATH`, e.g. `--output sarif=results.sarif`; formats: {}",
                    names.join(", ")
                ),
            ));
        };
        let Ok(format) = Format::from_str(name.trim(), true) else {
            let hint = crate::diagnostic::closest(name, names.iter().map(String::as_str))
                .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"));
            return Err(FlagError::new(
                format!("--output {flag}"),
                format!(
                    "--output: `{name}` is not a format{hint}; formats: {}",
                    names.join(", ")
                ),
            ));
        };
        out.push((format, PathBuf::from(path)));
    }
    Ok(out)
}

/// What `mate` adds to a run: the pair and its verdict.
pub struct MateView {
    pub chaser: String,
    pub target: String,
    pub verdict: Verdict,
    pub how: Option<crate::check::pair::How>,
    pub codes: Vec<String>,
}

/// The command a report is of.
pub enum Kind<'a> {
    /// `check`: `files` read, the summary line with the time since `t0`.
    Check { t0: Instant },
    /// `mate`: the verdict.
    Mate(&'a MateView),
    /// A setup error of any command: no file was checked.
    Setup,
}

/// The bytes `format` prints on stdout for this run.
pub fn render(format: Format, run: &Run, kind: &Kind, color: bool, quiet: bool) -> Vec<u8> {
    let mut w: Vec<u8> = Vec::new();
    // writing to memory cannot fail
    let _ = render_into(&mut w, format, run, kind, color, quiet);
    w
}

/// [`render`], written to `w` as it is made (a report of a large run is
/// never held whole in memory on its way to stdout).
pub fn render_into(
    mut w: &mut dyn Write,
    format: Format,
    run: &Run,
    kind: &Kind,
    color: bool,
    quiet: bool,
) -> std::io::Result<()> {
    match format {
        Format::Human => {
            let style = human::Style {
                color,
                width: super::width(),
            };
            let r = human::write(&mut w, run.sources, run.diags, style);
            match kind {
                Kind::Check { .. } if !quiet => {
                    for m in run.matings {
                        let _ = writeln!(w, "{}", m.line());
                    }
                }
                Kind::Mate(m) => {
                    let _ = writeln!(
                        w,
                        "{} {} → {}: {}",
                        m.verdict.symbol(),
                        m.chaser,
                        m.target,
                        report::verdict_text(m.verdict, m.how)
                    );
                }
                _ => {}
            }
            r
        }
        Format::Json => match kind {
            Kind::Mate(m) => report::json::write_mate(
                &mut w,
                run.sources,
                run.diags,
                &report::json::MatePair {
                    chaser: &m.chaser,
                    target: &m.target,
                    verdict: m.verdict,
                    how: m.how,
                    codes: &m.codes,
                },
            ),
            _ => report::json::write_report(
                &mut w,
                run.sources,
                run.diags,
                run.matings,
                run.files.len(),
            ),
        },
        Format::Short => report::short::write(&mut w, run),
        Format::Sarif => report::sarif::write(&mut w, run),
        Format::Github => report::github::write(&mut w, run),
        Format::Junit => report::junit::write(&mut w, run),
        Format::Rdjson => report::rdjson::write(&mut w, run),
    }
}

/// Prints the report on stdout, writes the `--output` files, appends the
/// GitHub step summary, and prints the summary line and statistics.
/// `Err` holds the exit code when a file could not be written.
pub fn emit(
    args: &OutputArgs,
    files: &[(Format, PathBuf)],
    run: &Run,
    kind: &Kind,
) -> Result<(), u8> {
    let color = args.color.enabled();
    // the report goes to stdout as it is made, unless an `--output` file
    // takes the same bytes
    let shared = files.iter().any(|(f, _)| *f == args.format) && !color;
    let stdout = if shared {
        let bytes = render(args.format, run, kind, color, args.quiet);
        super::out_bytes(&bytes);
        bytes
    } else {
        let mut o = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        // (a closed pipe is ignored, as `out_bytes` does)
        let _ =
            render_into(&mut o, args.format, run, kind, color, args.quiet).and_then(|()| o.flush());
        Vec::new()
    };
    let mut trouble = false;
    for (format, path) in files {
        let bytes = if shared && *format == args.format {
            stdout.clone()
        } else {
            render(*format, run, kind, false, args.quiet)
        };
        if let Err(e) = std::fs::write(path, &bytes) {
            super::err(&format!(
                "dockcheck: cannot write {} output to {}: {}\n",
                format.name(),
                path.display(),
                crate::workspace::io_message(&e)
            ));
            trouble = true;
        }
    }
    let github = args.format == Format::Github || files.iter().any(|(f, _)| *f == Format::Github);
    if github
        && !matches!(kind, Kind::Setup)
        && let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())
    {
        let text = report::github::step_summary(run);
        let appended = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = appended {
            super::err(&format!(
                "dockcheck: cannot append to $GITHUB_STEP_SUMMARY ({}): {}\n",
                PathBuf::from(&path).display(),
                crate::workspace::io_message(&e)
            ));
            trouble = true;
        }
    }
    if args.statistics {
        let text = statistics(run.diags);
        if args.format.machine() {
            super::err(&text);
        } else {
            super::out(&text);
        }
    }
    if let Kind::Check { t0 } = kind
        && args.format == Format::Human
        && !args.quiet
    {
        super::err(&format!(
            "{} in {:.2}s\n",
            summary_line(run),
            t0.elapsed().as_secs_f64()
        ));
    }
    if trouble { Err(EXIT_TROUBLE) } else { Ok(()) }
}

/// `dockcheck: 2 files checked: 1 error, 0 warnings, 0 infos; 1 waived;
/// matings: 1 mates, 0 fails, 0 undecided` (without the time).
pub fn summary_line(run: &Run) -> String {
    let c = Counts::of(run.diags);
    let files = run.files.len();
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
    if c.waived > 0 {
        line.push_str(&format!("; {} waived", c.waived));
    }
    if !run.matings.is_empty() {
        let m = MatingCounts::of(run.matings);
        line.push_str(&format!(
            "; matings: {} mates, {} fails, {} undecided",
            m.mates, m.fails, m.undecided
        ));
    }
    line
}

/// `COUNT  CODE` per code, most frequent first, then by code.
pub fn statistics(diags: &[Diagnostic]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in diags {
        *counts.entry(d.code.as_str()).or_insert(0) += 1;
    }
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    rows.iter()
        .map(|(code, n)| format!("{n:>5}  {code}\n"))
        .collect()
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// How a command that is not `check` or `mate` prints a setup error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupFormat {
    /// The format of `check` and `mate`.
    Report(Format),
    /// `{"version": 1, "error": ..., "diagnostics": [...]}` (`rules`,
    /// `matrix`, `explain` with `--format json`).
    JsonError,
}

/// Prints the diagnostics of a failed setup (a broken spec, configuration,
/// waiver or baseline file, a bad flag) in the format the command was asked
/// for; returns exit code 2.
pub fn setup_failed(
    sources: &SourceMap,
    mut diags: Vec<Diagnostic>,
    format: SetupFormat,
    color: Color,
) -> u8 {
    report::finish(&mut diags, sources);
    match format {
        SetupFormat::JsonError => {
            #[derive(serde::Serialize)]
            struct ErrorDoc {
                version: u32,
                error: String,
                diagnostics: Vec<report::json::JsonDiagnostic>,
            }
            let first = diags.first().map_or(String::new(), |d| d.message.clone());
            super::out(&report::json::to_string(&ErrorDoc {
                version: 1,
                error: format!("setup failed: {first}"),
                diagnostics: diags
                    .iter()
                    .map(|d| report::json::diagnostic(sources, d))
                    .collect(),
            }));
        }
        SetupFormat::Report(format) => {
            let fingerprints = crate::fingerprint::fingerprints(&diags, sources);
            let codes = CodeInfo::all(&crate::spec::RuleSet::default());
            let run = Run {
                sources,
                diags: &diags,
                fingerprints: &fingerprints,
                matings: &[],
                files: &[],
                codes: &codes,
                fail_on: FailOn::Error,
            };
            super::out_bytes(&render(format, &run, &Kind::Setup, color.enabled(), false));
            if format == Format::Human {
                super::err(&format!("{}\n", summary_line(&run)));
            }
        }
    }
    EXIT_TROUBLE
}
