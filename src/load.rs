//! One run's front half: read every file, parse and lower it (in parallel),
//! then check ids and refs across files. The result holds the sources, the
//! models and the language diagnostics; nothing here prints.

use crate::diagnostic::{Diagnostic, FileId, codes};
use crate::limits::{self, Limits};
use crate::model::{self, Model, world::World};
use crate::syntax::{self, ErrorCode, Span};
use crate::workspace::{self, ReadError, SourceMap};
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
    /// Paths that could not be read or were over `max-file-size` (exit
    /// code 2: they were not checked).
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
    pub bytes: Result<Vec<u8>, ReadError>,
}

fn one(path: &std::path::Path, shown: String, file: FileId, limits: &Limits) -> One {
    one_of(
        workspace::read_bounded(path, limits.max_file_size),
        shown,
        file,
        limits,
    )
}

/// The diagnostic of a file that could not be read (ICD-IO) or is over
/// the size limit (ICD-TOO-LARGE); either way it is not checked.
pub fn read_diagnostic(e: &ReadError, shown: &str, file: FileId) -> Diagnostic {
    match e {
        ReadError::Io(e) => Diagnostic::error(
            codes::IO,
            file,
            Span::default(),
            format!("cannot read {shown}: {}", workspace::io_message(e)),
        ),
        ReadError::NotFile => Diagnostic::error(
            codes::IO,
            file,
            Span::default(),
            format!("cannot read {shown}: {}", workspace::NOT_FILE),
        ),
        ReadError::TooLarge { size, limit } => {
            let (what, suggest) = match size {
                Some(n) => (format!("is {n} bytes"), *n),
                None => (format!("has more than {limit} bytes"), limit + 1),
            };
            let s = limits::suggested_limit(suggest);
            Diagnostic::error(
                codes::TOO_LARGE,
                file,
                Span::default(),
                format!(
                    "{shown} {what}, over the {} limit of `max-file-size`; it was not checked",
                    limits::show_size(*limit)
                ),
            )
            .with_help(format!(
                "to check it, raise the limit: `--max-file-size {s}`, or `max-file-size = \"{s}\"` under `[limits]` in dockcheck.toml"
            ))
        }
    }
}

fn one_of(read: Result<Vec<u8>, ReadError>, shown: String, file: FileId, limits: &Limits) -> One {
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            let d = read_diagnostic(&e, &shown, file);
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
    let (model, diags, _) = parse_and_lower_limited(file, &text, limits.max_nesting);
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
    parse_and_lower_limited(file, text, limits::DEFAULT_MAX_NESTING)
}

/// [`parse_and_lower`], with blocks allowed to nest `max_nesting` deep.
/// Each vehicle is lowered as soon as the parser completes it and its tree
/// dropped ([`model::lower::lower_each`]).
pub fn parse_and_lower_limited(
    file: FileId,
    text: &str,
    max_nesting: usize,
) -> (Model, Vec<Diagnostic>, bool) {
    let mut lowered = Vec::new();
    let (model, errors) = match pipelined(file, text, max_nesting, &mut lowered) {
        Some(done) => done,
        None => {
            let mut errors = Vec::new();
            let model = model::lower::lower_each(file, text, &mut lowered, |each| {
                errors = syntax::parse_each(text, &model::vocab::nests, max_nesting, each);
            });
            (model, errors)
        }
    };
    let mut diags = syntax_diagnostics(file, &errors);
    diags.append(&mut lowered);
    (model, diags, !errors.is_empty())
}

/// From this size on, a file is parsed on a thread of its own while the
/// calling thread lowers each top-level statement the parser hands over (a
/// bounded queue: the tree in flight stays small). Below it a thread costs
/// more than it saves, and a run of many files keeps every core busy with
/// files anyway.
pub const PIPELINE_FROM: usize = 1 << 20;

/// [`parse_and_lower_limited`]'s work split in two for a large file: the
/// parser on its own thread, lowering on this one, in source order (the
/// same model and diagnostics as one thread doing both). `None` when the
/// file is small or no thread could be started (the caller does both).
fn pipelined(
    file: FileId,
    text: &str,
    max_nesting: usize,
    lowered: &mut Vec<Diagnostic>,
) -> Option<(model::Model, Vec<syntax::SyntaxError>)> {
    if text.len() < PIPELINE_FROM {
        return None;
    }
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(256);
        let parser = std::thread::Builder::new()
            .name("dockcheck-parse".into())
            .spawn_scoped(scope, move || {
                syntax::parse_each(text, &model::vocab::nests, max_nesting, &mut |s| {
                    // the receiver lives until the parser is joined
                    let _ = tx.send(s);
                })
            })
            .ok()?;
        let model = model::lower::lower_each(file, text, lowered, |each| {
            for s in rx.iter() {
                each(s);
            }
        });
        match parser.join() {
            Ok(errors) => Some((model, errors)),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
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

/// Loads the `.icd` files under `paths` into one world and checks refs
/// (with the default limits).
pub fn load(paths: &[PathBuf]) -> Loaded {
    load_into(SourceMap::default(), paths)
}

/// Like [`load`], adding the files to an existing source map (which may
/// already hold spec files).
pub fn load_into(sources: SourceMap, paths: &[PathBuf]) -> Loaded {
    let mut out = read_files(sources, paths, &Limits::default());
    let mut diags = Vec::new();
    out.checked_world(&mut diags);
    out.diagnostics.extend(diags);
    out
}

/// Reads, parses and lowers the files (in parallel) without the checks
/// across files; callers that go on to use the world build it once with
/// [`Loaded::checked_world`].
pub fn read_files(sources: SourceMap, paths: &[PathBuf], limits: &Limits) -> Loaded {
    read_files_with(sources, paths, None, &Quiet, limits)
}

/// [`read_files`], with the text of standard input as one more file and a
/// progress report.
pub fn read_files_with(
    sources: SourceMap,
    paths: &[PathBuf],
    stdin: Option<Stdin>,
    progress: &dyn Progress,
    limits: &Limits,
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
            let r = one(p, shown.clone(), base + i, limits);
            progress.tick();
            r
        })
        .collect();
    if let Some(input) = stdin {
        let id = base + results.len();
        results.push(one_of(input.bytes, input.shown, id, limits));
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
        .map(|(i, (shown, bytes))| one_of(Ok(bytes), shown, base + i, &Limits::default()))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A file large enough to be pipelined gives the model and diagnostics
    /// of one thread doing both, syntax and language errors included.
    #[test]
    fn a_pipelined_file_lowers_as_one_thread_does() {
        let mut text = String::new();
        let mut n = 0;
        while text.len() <= PIPELINE_FROM {
            n += 1;
            text.push_str(&format!(
                "vehicle v{n} {{\n  name = \"V {n}\"\n  mass = 1 .. {n} kg\n  port p {{ docking {{ system = \"IDSS\"; role = dual; passageway = {n} furlongs }} }}\n}}\n"
            ));
            if n % 5000 == 0 {
                text.push_str("vehicle broken { port q { docking { role = \n}\n");
            }
        }
        text.push_str("mating m { chaser = v1.p; target = v2.p }\n");
        let file = FileId::default();
        let mut lowered = Vec::new();
        let Some((model, errors)) = pipelined(file, &text, 64, &mut lowered) else {
            panic!("a {} byte file is pipelined", text.len());
        };
        let mut serial_lowered = Vec::new();
        let mut serial_errors = Vec::new();
        let serial = model::lower::lower_each(file, &text, &mut serial_lowered, |each| {
            serial_errors = syntax::parse_each(&text, &model::vocab::nests, 64, each);
        });
        assert!(model.vehicles.len() > 5000);
        assert!(!errors.is_empty() && !lowered.is_empty());
        assert_eq!(model, serial);
        assert_eq!(errors, serial_errors);
        assert_eq!(lowered, serial_lowered);
        // a small file is not
        assert!(pipelined(file, "vehicle a {}\n", 64, &mut Vec::new()).is_none());
    }
}
