//! Rule specs as data: the format ([`types`]), schema-checked loading and
//! compilation ([`load`]), the built-in specs embedded in the binary, and the
//! `dockcheck.toml` configuration ([`config`]).

pub mod config;
pub mod load;
pub mod types;

use crate::diagnostic::{Diagnostic, FileId};
use crate::workspace::SourceMap;
pub use load::{Compiled, CompiledRule, LoadedSpec};
use std::path::Path;
pub use types::*;

/// The built-in specs: (name shown in diagnostics, text).
pub const BUILTIN: &[(&str, &str)] = &[
    ("specs/idss.toml", include_str!("../../specs/idss.toml")),
    ("specs/mating.toml", include_str!("../../specs/mating.toml")),
];

/// The specs and rules of one run.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    pub specs: Vec<LoadedSpec>,
    pub rules: Vec<CompiledRule>,
}

impl RuleSet {
    /// Loads the built-in specs (unless `builtin` is false) and the given
    /// spec files. All or nothing: any diagnostic means no rule set.
    pub fn load(
        sources: &mut SourceMap,
        builtin: bool,
        extra: &[&Path],
    ) -> Result<RuleSet, Vec<Diagnostic>> {
        let mut files: Vec<(FileId, bool)> = Vec::new();
        let mut diags = Vec::new();
        if builtin {
            for (name, text) in BUILTIN {
                files.push((sources.add(*name, (*text).to_string()), true));
            }
        }
        for p in extra {
            let shown = crate::workspace::display_path(p);
            match std::fs::read(p).map(crate::workspace::decode) {
                Ok(Ok(text)) => files.push((sources.add(shown, text), false)),
                Ok(Err((text, at))) => {
                    let id = sources.add(shown, text);
                    diags.push(Diagnostic::error(
                        crate::diagnostic::codes::ENCODING,
                        id,
                        crate::syntax::Span::new(at, at + 1),
                        format!("invalid UTF-8 at byte offset {at}"),
                    ));
                }
                Err(e) => {
                    let id = sources.add(shown.clone(), String::new());
                    diags.push(Diagnostic::error(
                        crate::diagnostic::codes::IO,
                        id,
                        crate::syntax::Span::default(),
                        format!(
                            "cannot read spec {shown}: {}",
                            crate::workspace::io_message(&e)
                        ),
                    ));
                }
            }
        }
        let mut set = RuleSet::default();
        for (file, builtin) in files {
            match load::load_spec(sources, file, builtin) {
                Ok(spec) => {
                    let name = sources.get(file).path.clone();
                    set.specs.push(LoadedSpec {
                        file,
                        name,
                        spec,
                        builtin,
                    });
                }
                Err(d) => diags.extend(d),
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let families: Vec<String> = set
            .specs
            .iter()
            .flat_map(|s| s.spec.families.iter().map(|f| f.id.clone()))
            .collect();
        for (i, s) in set.specs.iter().enumerate() {
            match load::compile(sources, s.file, &s.spec, i, &families) {
                Ok(rules) => {
                    for r in rules {
                        if let Some(first) = set.rules.iter().find(|x| x.rule.id == r.rule.id) {
                            diags.push(
                                Diagnostic::error(
                                    load::codes::INVALID,
                                    s.file,
                                    crate::syntax::Span::default(),
                                    format!("rule id `{}` is defined twice", r.rule.id),
                                )
                                .with_related(
                                    set.specs[first.spec].file,
                                    crate::syntax::Span::default(),
                                    "first defined in this spec",
                                ),
                            );
                        } else {
                            set.rules.push(r);
                        }
                    }
                }
                Err(d) => diags.extend(d),
            }
        }
        if diags.is_empty() {
            Ok(set)
        } else {
            Err(diags)
        }
    }

    /// The family a docking system belongs to (case-insensitive).
    pub fn family_of(&self, system: &str) -> Option<&Family> {
        let s = system.trim();
        self.specs
            .iter()
            .flat_map(|x| x.spec.families.iter())
            .find(|f| f.systems.iter().any(|m| m.trim().eq_ignore_ascii_case(s)))
    }

    /// A family by id.
    pub fn family(&self, id: &str) -> Option<&Family> {
        self.specs
            .iter()
            .flat_map(|x| x.spec.families.iter())
            .find(|f| f.id == id)
    }

    pub fn rule(&self, id: &str) -> Option<&CompiledRule> {
        self.rules.iter().find(|r| r.rule.id == id)
    }
}
