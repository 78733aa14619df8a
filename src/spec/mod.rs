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

/// Where key `k` of the `fi`-th `[[families]]` entry stands in a spec's text.
fn family_key_span(text: &str, fi: usize, k: &str) -> crate::syntax::Span {
    use load::Seg;
    load::span_in(
        text,
        &[
            Seg::Key("families".into()),
            Seg::Index(fi),
            Seg::Key(k.into()),
        ],
    )
}

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
    /// Each system's family (an index into `families`), built once the
    /// families are merged ([`RuleSet::load`]); empty until then, when
    /// [`RuleSet::family_of`] searches the families instead.
    by_system: foldhash::HashMap<String, usize>,
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
            files.extend(Self::add_builtin(sources));
        }
        for p in extra {
            match crate::workspace::read_into(sources, p) {
                Ok(id) => files.push((id, false)),
                Err(d) => diags.push(*d),
            }
        }
        Self::load_files(sources, files, diags)
    }

    /// [`RuleSet::load`] of spec files already in the source map (texts
    /// held in memory), after the built-in specs unless `builtin` is false;
    /// `diags` holds what went wrong reading them. No I/O.
    pub fn load_texts(
        sources: &mut SourceMap,
        builtin: bool,
        extra: &[FileId],
        diags: Vec<Diagnostic>,
    ) -> Result<RuleSet, Vec<Diagnostic>> {
        let mut files: Vec<(FileId, bool)> = Vec::new();
        if builtin {
            files.extend(Self::add_builtin(sources));
        }
        files.extend(extra.iter().map(|&id| (id, false)));
        Self::load_files(sources, files, diags)
    }

    /// Adds the built-in specs to the source map.
    fn add_builtin(sources: &mut SourceMap) -> Vec<(FileId, bool)> {
        BUILTIN
            .iter()
            .map(|(name, text)| (sources.add(*name, (*text).to_string()), true))
            .collect()
    }

    /// Reads, merges and compiles the specs (`true`: built in, trusted).
    fn load_files(
        sources: &SourceMap,
        files: Vec<(FileId, bool)>,
        mut diags: Vec<Diagnostic>,
    ) -> Result<RuleSet, Vec<Diagnostic>> {
        let mut set = RuleSet::default();
        for (file, builtin) in files {
            let read = if builtin {
                load::load_trusted(sources, file)
            } else {
                load::load_spec(sources, file)
            };
            match read {
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
        set.check_relations(sources, &mut diags);
        set.index_systems();
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
        let mut owner: Vec<(String, String)> = Vec::new(); // (system as written, family id)
        for s in &self.specs {
            let text = &sources.get(s.file).text;
            let mut ids_here: Vec<&str> = Vec::new();
            for (fi, f) in s.spec.families.iter().enumerate() {
                let at = |k: &str| family_key_span(text, fi, k);
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
                    let key = sys.clone();
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
                            if !existing.systems.contains(sys) {
                                existing.systems.push(sys.clone());
                            }
                        }
                        for id in &f.undecided_with {
                            if !existing.undecided_with.contains(id) {
                                existing.undecided_with.push(id.clone());
                            }
                        }
                        existing.halves.extend(f.halves.clone());
                        if existing.undecided_reference.is_none() {
                            existing.undecided_reference = f.undecided_reference.clone();
                            existing.undecided_provenance = f.undecided_provenance;
                        }
                    }
                    None => self.families.push(f.clone()),
                }
            }
        }
    }

    /// Checks each family's `halves` and `undecided_with` once all specs are
    /// merged: a half names a system of its family; an unresolved relation
    /// names a known family other than itself, of the same way of mating
    /// (berthing with berthing, docking with docking).
    fn check_relations(&self, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
        for s in &self.specs {
            let text = &sources.get(s.file).text;
            for (fi, f) in s.spec.families.iter().enumerate() {
                let at = |k: &str| family_key_span(text, fi, k);
                let mut bad = |k: &str, msg: String| {
                    diags.push(Diagnostic::error(load::codes::INVALID, s.file, at(k), msg));
                };
                for sys in f.halves.keys() {
                    if !f.systems.contains(sys) {
                        bad(
                            "halves",
                            format!(
                                "`halves` names `{sys}`, which is not among the systems of family `{}`",
                                f.id
                            ),
                        );
                    }
                }
                for id in &f.undecided_with {
                    let Some(other) = self.family(id) else {
                        let known: Vec<&str> =
                            self.families.iter().map(|x| x.id.as_str()).collect();
                        bad(
                            "undecided_with",
                            format!(
                                "unknown family `{id}` in `undecided_with` of `{}`; {}known: {}",
                                f.id,
                                crate::diagnostic::closest(id, known.iter().copied())
                                    .map_or(String::new(), |c| format!("did you mean `{c}`? ")),
                                known.join(", ")
                            ),
                        );
                        continue;
                    };
                    if other.id == f.id {
                        bad(
                            "undecided_with",
                            format!("family `{id}` cannot be undecided with itself"),
                        );
                    } else if (other.kind == FamilyKind::Berthing)
                        != (f.kind == FamilyKind::Berthing)
                    {
                        bad(
                            "undecided_with",
                            format!(
                                "`{}` berths and `{}` docks: a berthing family and a docking family are never undecided, they do not mate",
                                if f.kind == FamilyKind::Berthing {
                                    &f.id
                                } else {
                                    id
                                },
                                if f.kind == FamilyKind::Berthing {
                                    id
                                } else {
                                    &f.id
                                },
                            ),
                        );
                    }
                }
            }
        }
    }

    /// The family a docking system belongs to, by its exact name.
    pub fn family_of(&self, system: &str) -> Option<&Family> {
        if self.by_system.is_empty() {
            return self
                .families
                .iter()
                .find(|f| f.systems.iter().any(|m| m == system));
        }
        self.families.get(*self.by_system.get(system)?)
    }

    /// Builds the system index of [`RuleSet::family_of`] (the first family
    /// that lists a system keeps it, as the search would find it).
    fn index_systems(&mut self) {
        self.by_system.clear();
        for (i, f) in self.families.iter().enumerate() {
            for sys in &f.systems {
                self.by_system.entry(sys.clone()).or_insert(i);
            }
        }
    }

    /// Whether `a` and `b` are different families whose compatibility is
    /// unresolved; the family that states it (the one with its own
    /// `undecided_reference`, else the first that names the other).
    pub fn undecided_between<'s>(&'s self, a: &Family, b: &Family) -> Option<&'s Family> {
        if a.id == b.id {
            return None;
        }
        let (fa, fb) = (self.family(&a.id)?, self.family(&b.id)?);
        let names = |x: &Family, y: &Family| x.undecided_with.contains(&y.id);
        // the side with its own `undecided_reference` states it, else the
        // first side that names the other (no allocation: a matrix asks
        // this for every pair across families)
        match (names(fa, fb), names(fb, fa)) {
            (true, true)
                if fa.undecided_reference.is_none() && fb.undecided_reference.is_some() =>
            {
                Some(fb)
            }
            (true, _) => Some(fa),
            (false, true) => Some(fb),
            (false, false) => None,
        }
    }

    /// Every unresolved relation once, as (family, family, the family that
    /// states it), the pair's ids in order.
    pub fn undecided_relations(&self) -> Vec<(&Family, &Family, &Family)> {
        let mut out: Vec<(&Family, &Family, &Family)> = Vec::new();
        for a in &self.families {
            for b in &self.families {
                if a.id < b.id
                    && let Some(stated) = self.undecided_between(a, b)
                {
                    out.push((a, b, stated));
                }
            }
        }
        out.sort_by(|x, y| (&x.0.id, &x.1.id).cmp(&(&y.0.id, &y.1.id)));
        out
    }

    /// A family by id.
    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.id == id)
    }

    pub fn rule(&self, id: &str) -> Option<&CompiledRule> {
        self.rules.iter().find(|r| r.rule.id == id)
    }
}
