//! One run's front half: read every file, parse and lower it (in parallel),
//! then check ids and refs across files. The result holds the sources, the
//! models and the language diagnostics; nothing here prints.

use crate::diagnostic::{Diagnostic, FileId, codes};
use crate::model::{self, Model, world::World};
use crate::syntax::{self, ErrorCode, Span};
use crate::workspace::{self, SourceMap};
use rayon::prelude::*;
use std::path::PathBuf;

/// Everything loaded in one run.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    /// The `.icd` files, in path order, with their model when they parsed
    /// far enough to have one.
    pub files: Vec<(FileId, Model)>,
    pub diagnostics: Vec<Diagnostic>,
    /// Paths that could not be read (exit code 2).
    pub unreadable: usize,
    /// How many `.icd` files were read (a path that could not be read is
    /// an ICD-IO error, not a file).
    pub checked: usize,
    /// The ids of the files read, in path order.
    pub read: Vec<FileId>,
}

/// Told how reading goes, for a progress bar: `start` with the number of
/// files, then `tick` once per file read (from any thread).
pub trait Progress: Sync {
    fn start(&self, total: usize);
    fn tick(&self);
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {
    fn start(&self, _: usize) {}
    fn tick(&self) {}
}

impl Loaded {
    /// The world of the run, with its cross-file diagnostics (duplicate
    /// vehicle ids, unresolved refs) added to `diags`.
    pub fn checked_world(&self, diags: &mut Vec<Diagnostic>) -> World<'_> {
        let world = self.world(diags);
        world.check_refs(diags);
        world
    }

    pub fn world(&self, diags: &mut Vec<Diagnostic>) -> World<'_> {
        let models: Vec<(FileId, &Model)> = self.files.iter().map(|(f, m)| (*f, m)).collect();
        World::build(&models, diags)
    }
}

/// The result of reading and parsing one file.
struct One {
    path: String,
    text: String,
    model: Option<Model>,
    diags: Vec<Diagnostic>,
    unreadable: bool,
}

/// Text given on standard input (`-`), with the path it stands for.
#[derive(Debug)]
pub struct Stdin {
    /// As shown: `--stdin-filename`'s path from the root, else `-`.
    pub shown: String,
    pub bytes: std::io::Result<Vec<u8>>,
}

fn one(path: &PathBuf, shown: String, file: FileId) -> One {
    one_of(std::fs::read(path), shown, file)
}

fn one_of(read: std::io::Result<Vec<u8>>, shown: String, file: FileId) -> One {
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::error(
                codes::IO,
                file,
                Span::default(),
                format!("cannot read {shown}: {}", workspace::io_message(&e)),
            );
            return One {
                path: shown,
                text: String::new(),
                model: None,
                diags: vec![d],
                unreadable: true,
            };
        }
    };
    let text = match workspace::decode(bytes) {
        Ok(t) => t,
        Err((lossy, at)) => {
            // one byte, so that offsets stay those of the original file
            let end = (at + 1).min(lossy.len());
            let d = Diagnostic::error(
                codes::ENCODING,
                file,
                Span::new(at, end),
                format!("invalid UTF-8 at byte offset {at}"),
            )
            .with_label("not UTF-8")
            .with_help("save the file as UTF-8");
            return One {
                path: shown,
                text: lossy,
                model: None,
                diags: vec![d],
                unreadable: false,
            };
        }
    };
    let (model, diags, _) = parse_and_lower(file, &text);
    One {
        path: shown,
        text,
        model: Some(model),
        diags,
        unreadable: false,
    }
}

/// Parses and lowers one text: the model, its diagnostics, and whether the
/// text had syntax errors.
pub fn parse_and_lower(file: FileId, text: &str) -> (Model, Vec<Diagnostic>, bool) {
    let parsed = syntax::parse_with(text, &model::vocab::nests);
    let mut diags = syntax_diagnostics(file, &parsed.errors);
    let unparsed = !parsed.errors.is_empty();
    let model = model::lower(file, text, &parsed.stmts, &mut diags);
    (model, diags, unparsed)
}

/// The diagnostics of a file's syntax errors (ICD-SYNTAX, ICD-RANGE).
pub fn syntax_diagnostics(file: FileId, errors: &[syntax::SyntaxError]) -> Vec<Diagnostic> {
    errors
        .iter()
        .map(|e| {
            let code = match e.code {
                ErrorCode::Syntax => codes::SYNTAX,
                ErrorCode::Range => codes::RANGE,
            };
            let label = if e.code == ErrorCode::Range {
                "not a finite number"
            } else {
                "syntax error"
            };
            Diagnostic::error(code, file, e.span, e.message.clone())
                .with_help_opt(e.help.clone())
                .with_label(label)
        })
        .collect()
}

/// Loads the `.icd` files under `paths` into one world and checks refs.
pub fn load(paths: &[PathBuf]) -> Loaded {
    load_into(SourceMap::default(), paths)
}

/// Like [`load`], adding the files to an existing source map (which may
/// already hold spec files).
pub fn load_into(sources: SourceMap, paths: &[PathBuf]) -> Loaded {
    let mut out = read_files(sources, paths);
    let mut diags = Vec::new();
    out.checked_world(&mut diags);
    out.diagnostics.extend(diags);
    out
}

/// Reads, parses and lowers the files (in parallel) without the checks
/// across files; callers that go on to use the world build it once with
/// [`Loaded::checked_world`].
pub fn read_files(sources: SourceMap, paths: &[PathBuf]) -> Loaded {
    read_files_with(sources, paths, None, &Quiet)
}

/// [`read_files`], with the text of standard input as one more file and a
/// progress report.
pub fn read_files_with(
    sources: SourceMap,
    paths: &[PathBuf],
    stdin: Option<Stdin>,
    progress: &dyn Progress,
) -> Loaded {
    let (files, path_errors) = workspace::discover(paths, sources.root());
    progress.start(files.len());
    let base = sources.len();
    let mut out = Loaded {
        sources,
        ..Loaded::default()
    };
    let mut results: Vec<One> = files
        .par_iter()
        .enumerate()
        .map(|(i, (p, shown))| {
            let r = one(p, shown.clone(), base + i);
            progress.tick();
            r
        })
        .collect();
    if let Some(input) = stdin {
        let id = base + results.len();
        results.push(one_of(input.bytes, input.shown, id));
    }
    out.add(results, path_errors);
    out
}

/// Parses and lowers texts held in memory, each shown under its name, as
/// [`read_files`] does files (`check -` reads standard input this way): no
/// I/O. The checks across files are left to [`Loaded::checked_world`].
pub fn read_texts(sources: SourceMap, texts: Vec<(String, Vec<u8>)>) -> Loaded {
    let base = sources.len();
    let mut out = Loaded {
        sources,
        ..Loaded::default()
    };
    let results: Vec<One> = texts
        .into_iter()
        .enumerate()
        .map(|(i, (shown, bytes))| one_of(Ok(bytes), shown, base + i))
        .collect();
    out.add(results, Vec::new());
    out
}

impl Loaded {
    /// Adds what was read, in order (file ids were given in that order),
    /// then the paths that could not be walked.
    fn add(&mut self, results: Vec<One>, path_errors: Vec<workspace::PathError>) {
        self.checked = results.iter().filter(|r| !r.unreadable).count();
        for r in results {
            let id = self.sources.add(r.path, r.text);
            self.unreadable += usize::from(r.unreadable);
            if !r.unreadable {
                self.read.push(id);
            }
            self.diagnostics.extend(r.diags);
            if let Some(m) = r.model {
                self.files.push((id, m));
            }
        }
        for e in path_errors {
            let id = self.sources.add(e.path.clone(), String::new());
            self.unreadable += 1;
            self.diagnostics.push(Diagnostic::error(
                codes::IO,
                id,
                Span::default(),
                format!("cannot read {}: {}", e.path, e.message),
            ));
        }
    }
}
