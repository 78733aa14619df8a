//! Rule specs as data: the format ([`types`]), schema-checked loading and
//! compilation ([`load`]), the built-in specs embedded in the binary, and the
//! `dockcheck.toml` configuration ([`config`]).

pub mod config;
pub mod limit;
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
    /// The families of all specs, merged by id: a later spec may add systems
    /// to a family of an earlier one (of the same kind).
    pub families: Vec<Family>,
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
            match crate::workspace::read_into(sources, p) {
                Ok(id) => files.push((id, false)),
                Err(d) => diags.push(*d),
            }
        }
        let mut set = RuleSet::default();
        for (file, builtin) in files {
            match load::load_spec(sources, file) {
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
        set.merge_families(sources, &mut diags);
        let families: Vec<String> = set.families.iter().map(|f| f.id.clone()).collect();
        let mut taken: Vec<String> = Vec::new();
        for (i, s) in set.specs.iter().enumerate() {
            match load::compile(sources, s.file, &s.spec, i, &families, &taken) {
                Ok(rules) => {
                    taken.extend(rules.iter().map(|r| r.rule.id.clone()));
                    set.rules.extend(rules);
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

    /// Merges the specs' families by id; reports a family id used twice in
    /// one spec, a kind that disagrees across specs, and a system listed in
    /// two families.
    fn merge_families(&mut self, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
        use load::Seg;
        let mut owner: Vec<(String, String)> = Vec::new(); // (system lower-case, family id)
        for s in &self.specs {
            let text = &sources.get(s.file).text;
            let mut ids_here: Vec<&str> = Vec::new();
            for (fi, f) in s.spec.families.iter().enumerate() {
                let at = |k: &str| {
                    load::span_in(
                        text,
                        &[
                            Seg::Key("families".into()),
                            Seg::Index(fi),
                            Seg::Key(k.into()),
                        ],
                    )
                };
                if ids_here.contains(&f.id.as_str()) {
                    diags.push(Diagnostic::error(
                        load::codes::INVALID,
                        s.file,
                        at("id"),
                        format!("family id `{}` is used twice in this spec", f.id),
                    ));
                    continue;
                }
                ids_here.push(&f.id);
                for sys in &f.systems {
                    let key = sys.trim().to_ascii_lowercase();
                    match owner.iter().find(|(k, _)| *k == key) {
                        Some((_, other)) if *other != f.id => diags.push(Diagnostic::error(
                            load::codes::INVALID,
                            s.file,
                            at("systems"),
                            format!("system `{sys}` is in family `{other}` already; a system belongs to one family"),
                        )),
                        Some(_) => {}
                        None => owner.push((key, f.id.clone())),
                    }
                }
                match self.families.iter_mut().find(|x| x.id == f.id) {
                    Some(existing) if existing.kind != f.kind => diags.push(Diagnostic::error(
                        load::codes::INVALID,
                        s.file,
                        at("kind"),
                        format!("family `{}` is {:?} in an earlier spec; a spec can add systems to it but not change its kind", f.id, existing.kind).to_lowercase(),
                    )),
                    Some(existing) => {
                        for sys in &f.systems {
                            if !existing.systems.iter().any(|x| x.trim().eq_ignore_ascii_case(sys.trim())) {
                                existing.systems.push(sys.clone());
                            }
                        }
                    }
                    None => self.families.push(f.clone()),
                }
            }
        }
    }

    /// The family a docking system belongs to (case-insensitive).
    pub fn family_of(&self, system: &str) -> Option<&Family> {
        let s = system.trim();
        self.families
            .iter()
            .find(|f| f.systems.iter().any(|m| m.trim().eq_ignore_ascii_case(s)))
    }

    /// A family by id.
    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.id == id)
    }

    pub fn rule(&self, id: &str) -> Option<&CompiledRule> {
        self.rules.iter().find(|r| r.rule.id == id)
    }
}
