//! The command line: clap definitions, one file per command, exit codes.
//! No business logic lives here.

pub mod check;
mod coverage;
mod diff;
mod explain;
mod export;
mod fmt;
mod mate;
mod matrix;
pub mod output;
mod ruledev;
mod rules;
mod schema;
pub mod setup;
mod test;

use clap::{Parser as ClapParser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code: nothing at or above the fail level.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the fail level.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage error, unreadable path, broken spec or internal error.
pub const EXIT_TROUBLE: u8 = 2;

/// Checks spacecraft interface descriptions (.icd) against docking-interface standards.
#[derive(ClapParser, Debug)]
#[command(name = "dockcheck", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Worker threads for reading, parsing and checking [default: the
    /// `RAYON_NUM_THREADS` environment variable, else one per CPU]. The
    /// output is the same whatever the number.
    #[arg(long, short = 'j', global = true, value_name = "N")]
    pub threads: Option<std::num::NonZeroUsize>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check .icd files and directories (default: the current directory).
    Check(check::Args),
    /// Print the typed models of the given files as JSON (refs are not resolved).
    Export(export::Args),
    /// Check two ports against each other: verdict mates, fails or undecided.
    Mate(mate::Args),
    /// Review a change: what changed between two versions of a fleet, and which partners it breaks.
    Diff(diff::Args),
    /// Check every ordered pair of ports on different vehicles.
    Matrix(matrix::Args),
    /// List the loaded rules (built-in and from specs, at their configured
    /// levels; rules turned off are left out): a table of id, severity,
    /// provenance and summary, or JSON.
    Rules(rules::Args),
    /// Explain a rule: summary, rationale, reference, provenance, examples.
    Explain(explain::Args),
    /// Run a spec repository's rules over its annotated fixtures
    /// (`fixtures/<spec>/*.icd`) and each rule's examples; `--snapshot`
    /// compares the diagnostics with `<fixture>.snap`.
    Test(test::Args),
    /// Which sections of the standard the fixtures cover: per rule, the
    /// passing and failing fixtures.
    Coverage(coverage::Args),
    /// Lay .icd files out in the one canonical layout (default: the current
    /// directory); `--check` lists the files that would change, `--diff`
    /// shows how. Files with syntax errors are left alone.
    Fmt(fmt::Args),
    /// Print a JSON Schema: of spec files, of dockcheck.toml, or of the exported model.
    Schema(schema::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff): of dockcheck, or of one command
    /// (`dockcheck man check > dockcheck-check.1`).
    Man {
        /// The command whose page to print [default: dockcheck itself].
        command: Option<String>,
    },
}

pub use output::Format;

/// Output format of `explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// the entry as text: summary, explanation or rationale, reference, provenance and examples
    Human,
    /// the entry as one JSON document, version 1
    Json,
}

/// When to use colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// colour when stdout is a terminal, unless `NO_COLOR` is set; `CLICOLOR_FORCE=1` forces it
    Auto,
    /// always colour
    Always,
    /// never colour
    Never,
}

impl Color {
    /// Colour on stdout. `auto`: never with a non-empty `NO_COLOR`; always
    /// with `CLICOLOR_FORCE` set to anything but `0`; else on a terminal.
    pub fn enabled(self) -> bool {
        let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                if set("NO_COLOR").is_some() {
                    false
                } else if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                    true
                } else {
                    std::io::stdout().is_terminal()
                }
            }
        }
    }
}

/// Report width for the human format: the terminal's, else 100.
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}

/// Writes to stdout, ignoring a closed pipe.
pub fn out(s: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(s.as_bytes());
    let _ = o.flush();
}

/// Writes bytes to stdout, ignoring a closed pipe.
pub fn out_bytes(b: &[u8]) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(b);
    let _ = o.flush();
}

/// Writes to stderr.
pub fn err(s: &str) {
    let mut e = std::io::stderr().lock();
    let _ = e.write_all(s.as_bytes());
}

pub fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    }
}

/// `dockcheck man [COMMAND]`: the man page, generated from the clap
/// definitions so that it cannot drift from `--help`.
fn man(command: Option<&str>) -> u8 {
    let root = <Cli as clap::CommandFactory>::command();
    let (page, title) = match command {
        None => (root, "dockcheck".to_string()),
        Some(name) => {
            let names: Vec<String> = root
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            match root.find_subcommand(name) {
                Some(c) => (
                    c.clone()
                        .bin_name(format!("dockcheck {name}"))
                        .display_name(format!("dockcheck-{name}")),
                    format!("dockcheck-{name}"),
                ),
                None => {
                    let hint = crate::diagnostic::closest(name, names.iter().map(String::as_str))
                        .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"));
                    err(&format!(
                        "dockcheck: no command `{name}`{hint}; commands: {}\n",
                        names.join(", ")
                    ));
                    return EXIT_TROUBLE;
                }
            }
        }
    };
    let mut buf = Vec::new();
    if let Err(e) = clap_mangen::Man::new(page).title(title).render(&mut buf) {
        err(&format!("dockcheck: cannot render the man page: {e}\n"));
        return EXIT_TROUBLE;
    }
    out_bytes(&buf);
    EXIT_OK
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_TROUBLE
            } else {
                EXIT_OK
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if let Some(n) = cli.threads
        && let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n.get())
            .build_global()
    {
        err(&format!("dockcheck: cannot start {n} threads: {e}\n"));
        return ExitCode::from(EXIT_TROUBLE);
    }
    let code = match cli.command {
        Command::Check(a) => check::run(a),
        Command::Export(a) => export::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Mate(a) => mate::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Matrix(a) => matrix::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Fmt(a) => fmt::run(a),
        Command::Test(a) => test::run(a),
        Command::Coverage(a) => coverage::run(a),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "dockcheck", &mut buf);
            out(&String::from_utf8_lossy(&buf));
            EXIT_OK
        }
        Command::Man { command } => man(command.as_deref()),
    };
    ExitCode::from(code)
}
