//! What `dockcheck test` and `dockcheck coverage` share: a spec repository
//! (`specs/<spec>.toml` with `fixtures/<spec>/`), its rule set (only the
//! repository's own specs, no built-in one, no dockcheck.toml), and running
//! one annotated fixture with its partners.

use crate::diagnostic::{Diagnostic, FileId};
use crate::fixture::{self, Annotations};
use crate::spec::RuleSet;
use crate::workspace::{Root, SourceMap};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A spec repository, loaded.
pub struct Repo {
    pub sources: SourceMap,
    pub rules: RuleSet,
    /// (spec name, its fixtures in path order).
    pub fixtures: Vec<(String, Vec<PathBuf>)>,
}

/// Why a repository cannot be tested.
pub enum RepoError {
    /// Not a spec repository (no `specs/*.toml`): a usage error.
    Usage(String),
    /// Its specs do not load.
    Specs(SourceMap, Vec<Diagnostic>),
}

fn icd_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            icd_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "icd") {
            out.push(p);
        }
    }
}

/// Loads the repository at `dir`.
pub fn load(dir: &Path) -> Result<Repo, RepoError> {
    let specs_dir = dir.join("specs");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&specs_dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    specs.sort();
    if specs.is_empty() {
        return Err(RepoError::Usage(format!(
            "{} is not a spec repository: it has no specs/*.toml (layout: specs/<spec>.toml with fixtures/<spec>/)",
            dir.display()
        )));
    }
    let mut sources = SourceMap::with_root(Root::new(dir));
    let refs: Vec<&Path> = specs.iter().map(PathBuf::as_path).collect();
    let rules = match RuleSet::load(&mut sources, false, &refs) {
        Ok(r) => r,
        Err(d) => return Err(RepoError::Specs(sources, d)),
    };
    let fixtures = specs
        .iter()
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(String::from))
        .map(|name| {
            let mut files = Vec::new();
            icd_files(&dir.join("fixtures").join(&name), &mut files);
            (name, files)
        })
        .collect();
    Ok(Repo {
        sources,
        rules,
        fixtures,
    })
}

/// One fixture, checked with its partners.
pub struct Checked {
    pub sources: SourceMap,
    pub file: FileId,
    pub annotations: Annotations,
    /// Every diagnostic of the run, final (sorted), waived ones marked.
    pub diags: Vec<Diagnostic>,
    /// The rules that applied to the fixture.
    pub applied: BTreeSet<String>,
}

impl Repo {
    /// The fixtures that only serve as another fixture's partner and say
    /// nothing themselves: they are not tests of their own.
    pub fn partners_only(&self) -> BTreeSet<PathBuf> {
        let mut named = BTreeSet::new();
        for (_, files) in &self.fixtures {
            for f in files {
                let text = std::fs::read_to_string(f).unwrap_or_default();
                let a = fixture::parse(&text);
                let folder = f.parent().unwrap_or(Path::new("."));
                for p in a.partners {
                    named.insert(crate::workspace::normalize(&folder.join(p)));
                }
            }
        }
        self.fixtures
            .iter()
            .flat_map(|(_, files)| files.iter())
            .filter(|f| {
                named.contains(&crate::workspace::normalize(f))
                    && !fixture::parse(&std::fs::read_to_string(f).unwrap_or_default()).any()
            })
            .cloned()
            .collect()
    }

    /// The fixtures that are tests: all but those that only serve as
    /// another's partner.
    pub fn tests(&self) -> Vec<&PathBuf> {
        let skip = self.partners_only();
        self.fixtures
            .iter()
            .flat_map(|(_, f)| f.iter())
            .filter(|f| !skip.contains(*f))
            .collect()
    }

    /// Checks one fixture with its partners, as `check` would (inline
    /// waivers included).
    pub fn check(&self, path: &Path) -> Checked {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let annotations = fixture::parse(&text);
        let folder = path.parent().unwrap_or(Path::new("."));
        let mut paths = vec![path.to_path_buf()];
        paths.extend(annotations.partners.iter().map(|p| folder.join(p)));
        let loaded = crate::load::read_files(
            self.sources.clone(),
            &paths,
            &crate::limits::Limits::default(),
        );
        let mut diags = loaded.diagnostics.clone();
        let world = loaded.checked_world(&mut diags);
        crate::check::check_world(&self.rules, None, &world, &mut diags);
        let sources = &loaded.sources;
        let shown = sources.show(path);
        let file = loaded
            .read
            .iter()
            .copied()
            .find(|&id| sources.get(id).path == shown)
            .unwrap_or_default();
        let applied: std::collections::BTreeSet<String> =
            crate::check::applied(&self.rules, &world)
                .remove(&file)
                .map(|ids| ids.iter().cloned().collect())
                .unwrap_or_default();
        let codes = crate::report::CodeInfo::all(&self.rules);
        let known: Vec<&str> = codes.iter().map(|c| c.id.as_str()).collect();
        let mut waivers = Vec::new();
        for &id in &loaded.read {
            waivers.extend(crate::waiver::inline(
                id,
                &sources.get(id).text,
                &known,
                &mut diags,
            ));
        }
        crate::waiver::apply(
            &waivers,
            sources,
            &mut diags,
            crate::waiver::today(),
            &|_| true,
            &|_| true,
        );
        crate::report::finish(&mut diags, sources);
        drop(world);
        Checked {
            sources: loaded.sources.clone(),
            file,
            annotations,
            diags,
            applied,
        }
    }
}

/// Every repository of `dirs` (default: the current directory), loaded, or
/// the exit code of the first that cannot be ([`load_or_report`]).
pub fn load_all(dirs: &[PathBuf], json: bool) -> Result<Vec<Repo>, u8> {
    if dirs.is_empty() {
        return Ok(vec![load_or_report(Path::new("."), json)?]);
    }
    dirs.iter().map(|d| load_or_report(d, json)).collect()
}

/// [`load`], reporting why a repository cannot be tested (a usage error on
/// stderr, or the spec errors in the command's format); `Err` is exit 2.
pub fn load_or_report(dir: &Path, json: bool) -> Result<Repo, u8> {
    load(dir).map_err(|e| match e {
        RepoError::Usage(m) => {
            super::err(&format!("dockcheck: {m}\n"));
            super::EXIT_TROUBLE
        }
        RepoError::Specs(sources, diags) => {
            let f = if json {
                super::output::SetupFormat::JsonError
            } else {
                super::output::SetupFormat::Report(super::Format::Human)
            };
            super::output::setup_failed(&sources, diags, f, super::Color::Auto)
        }
    })
}
