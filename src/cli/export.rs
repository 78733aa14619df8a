//! `dockcheck export FILE...`: the typed models as JSON, refs unresolved.

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};
use crate::model::{ExportDoc, ExportFile};
use crate::report::{self, human};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and directories to export.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> u8 {
    let (files, errors) = crate::workspace::discover(&args.paths, &crate::workspace::Root::cwd());
    let mut sources = crate::workspace::SourceMap::default();
    let mut models = Vec::new();
    let mut diags = Vec::new();
    let mut unparsed = false;
    for (p, shown) in &files {
        let shown = shown.clone();
        let bytes = match std::fs::read(p) {
            Ok(b) => b,
            Err(e) => {
                super::err(&format!(
                    "dockcheck: cannot read {shown}: {}\n",
                    crate::workspace::io_message(&e)
                ));
                return EXIT_TROUBLE;
            }
        };
        match crate::workspace::decode(bytes) {
            Ok(text) => {
                let id = sources.len();
                let (model, d, bad) = crate::load::parse_and_lower(id, &text);
                sources.add(shown, text);
                unparsed |= bad;
                diags.extend(d);
                models.push((id, model));
            }
            Err((_, at)) => {
                super::err(&format!(
                    "dockcheck: {shown}: invalid UTF-8 at byte offset {at}\n"
                ));
                unparsed = true;
            }
        }
    }
    for e in &errors {
        super::err(&format!(
            "dockcheck: cannot read {}: {}\n",
            e.path, e.message
        ));
    }
    if !errors.is_empty() {
        // a partial document on stdout would pass for the whole one
        return EXIT_TROUBLE;
    }
    let ids: Vec<_> = models.iter().map(|(id, _)| *id).collect();
    let doc = ExportDoc {
        version: 1,
        files: models
            .into_iter()
            .map(|(id, model)| ExportFile {
                file: sources.get(id).path.clone(),
                model,
            })
            .collect(),
    };
    super::out(&report::json::export(&sources, &doc, &ids));
    report::sort(&mut diags, &sources);
    if !diags.is_empty() {
        let style = human::Style {
            color: false,
            width: super::width(),
        };
        super::err(&human::render(&sources, &diags, style));
    }
    if unparsed { EXIT_FINDINGS } else { EXIT_OK }
}
