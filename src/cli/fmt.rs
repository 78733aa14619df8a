//! `dockcheck fmt [PATHS] [--check] [--diff]`: the canonical layout
//! (`crate::fmt`), written back atomically, listed or shown as a diff.

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};
use crate::fmt::Formatted;
use crate::report::human;
use crate::workspace::{self, Root, SourceMap};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and directories to format [default: the current directory].
    pub paths: Vec<PathBuf>,
    /// Write nothing: list the files that would change, one path per line,
    /// and exit 1 if any would.
    #[arg(long, conflicts_with = "diff")]
    pub check: bool,
    /// Write nothing: print a unified diff of each file that would change,
    /// and exit 1 if any would.
    #[arg(long)]
    pub diff: bool,
}

pub fn run(args: Args) -> u8 {
    let paths = super::default_paths(args.paths);
    let root = Root::cwd();
    let (files, errors) = workspace::discover(&paths, &root);
    let mut trouble = !errors.is_empty();
    for e in &errors {
        super::err(&format!(
            "dockcheck: cannot read {}: {}\n",
            e.path, e.message
        ));
    }
    let style = human::Style {
        color: false,
        width: super::width(),
    };
    let (mut changed, mut unchanged, mut refused) = (0usize, 0usize, 0usize);
    for (path, shown) in &files {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                super::err(&format!(
                    "dockcheck: cannot read {shown}: {}\n",
                    workspace::io_message(&e)
                ));
                trouble = true;
                continue;
            }
        };
        let text = match workspace::decode(bytes) {
            Ok(t) => t,
            Err((lossy, _)) if crate::fmt::is_off(&lossy) => {
                unchanged += 1;
                continue;
            }
            Err((_, at)) => {
                super::err(&format!(
                    "dockcheck: {shown}: invalid UTF-8 at byte offset {at}; not formatted\n"
                ));
                refused += 1;
                continue;
            }
        };
        let new = match crate::fmt::format(&text) {
            Formatted::Text(t) => t,
            Formatted::Off => {
                unchanged += 1;
                continue;
            }
            Formatted::Errors(errs) => {
                let mut sources = SourceMap::with_root(root.clone());
                let id = sources.add(shown.clone(), text);
                let diags = crate::load::syntax_diagnostics(id, &errs);
                super::err(&human::render(&sources, &diags, style));
                super::err(&format!(
                    "dockcheck: {shown} has syntax errors; not formatted\n"
                ));
                refused += 1;
                continue;
            }
            Formatted::Internal(why) => {
                super::err(&format!(
                    "dockcheck: {shown}: not formatted: {why} (a bug in dockcheck; please report it)\n"
                ));
                refused += 1;
                continue;
            }
        };
        if new == text {
            unchanged += 1;
            continue;
        }
        changed += 1;
        if args.check {
            super::out(&format!("{shown}\n"));
        } else if args.diff {
            let diff = similar::TextDiff::from_lines(&text, &new);
            super::out(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(shown, shown)
                    .to_string(),
            );
        } else if let Err(e) = workspace::write_atomic(path, &new) {
            super::err(&format!(
                "dockcheck: cannot write {shown}: {}\n",
                workspace::io_message(&e)
            ));
            trouble = true;
        }
    }
    if !args.check && !args.diff && changed > 0 {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        super::err(&format!(
            "{changed} file{} reformatted, {unchanged} unchanged\n",
            s(changed)
        ));
    }
    if trouble {
        EXIT_TROUBLE
    } else if refused > 0 || ((args.check || args.diff) && changed > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
