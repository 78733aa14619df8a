//! All files of one run form one world: vehicle ids are unique across them,
//! and mating refs resolve among them.

use super::{Model, Port, PortRef, Spanned, Vehicle};
use crate::diagnostic::{Diagnostic, FileId, closest, codes};
use std::collections::BTreeMap;

/// The models of one run, by file, with a vehicle index.
#[derive(Debug, Default)]
pub struct World<'m> {
    /// How many "did you mean" searches are left for ref diagnostics (each
    /// costs a pass over the vehicle ids).
    /// (Atomic so that the world can be shared by the threads of a
    /// check; the ref checks that spend it run on one thread, in order.)
    suggestions: std::sync::atomic::AtomicUsize,
    pub models: Vec<(FileId, &'m Model)>,
    /// Vehicle id → (file, vehicle); the first definition in path order wins.
    pub vehicles: BTreeMap<&'m str, (FileId, &'m Vehicle)>,
    /// (vehicle id, port id) → port, for look-ups in constant time.
    ports: std::collections::HashMap<(&'m str, &'m str), &'m Port>,
}

impl<'m> World<'m> {
    /// Builds the world; `models` must be in the run's file order. Emits
    /// ICD-DUPLICATE for vehicle ids defined twice.
    pub fn build(models: &[(FileId, &'m Model)], diags: &mut Vec<Diagnostic>) -> World<'m> {
        let mut w = World {
            suggestions: std::sync::atomic::AtomicUsize::new(200),
            models: models.to_vec(),
            vehicles: BTreeMap::new(),
            ports: std::collections::HashMap::new(),
        };
        let mut reported: std::collections::HashMap<FileId, usize> =
            std::collections::HashMap::new();
        let mut suppressed: BTreeMap<FileId, usize> = BTreeMap::new();
        for (file, m) in models {
            for v in &m.vehicles {
                if v.id.value.is_empty() {
                    continue;
                }
                if let Some((ffile, first)) = w.vehicles.get(v.id.value.as_str()) {
                    let n = reported.entry(*file).or_insert(0);
                    if *n >= crate::diagnostic::MAX_PER_FILE {
                        *suppressed.entry(*file).or_insert(0) += 1;
                        continue;
                    }
                    *n += 1;
                    diags.push(
                        Diagnostic::error(
                            codes::DUPLICATE,
                            *file,
                            v.id.span,
                            format!("duplicate vehicle id `{}`", v.id.value),
                        )
                        .with_label("defined again here")
                        .with_related(*ffile, first.id.span, "first defined here")
                        .with_help("vehicle ids are unique across all files of one run"),
                    );
                    continue;
                }
                w.vehicles.insert(&v.id.value, (*file, v));
                for p in &v.ports {
                    w.ports.entry((&v.id.value, &p.id.value)).or_insert(p);
                }
            }
        }
        for (file, n) in suppressed {
            diags.push(crate::diagnostic::limit_note(file, n));
        }
        w
    }

    /// Finds `vehicle.port`.
    pub fn port(&self, vehicle: &str, port: &str) -> Option<(FileId, &'m Vehicle, &'m Port)> {
        let (f, v) = self.vehicles.get(vehicle)?;
        let p = self.ports.get(&(vehicle, port))?;
        Some((*f, v, p))
    }

    /// How many candidates the next suggestion may compare: all of them while
    /// the run's budget lasts (and the list is not huge), else none.
    fn suggestion_budget(&self, n: usize) -> usize {
        use std::sync::atomic::Ordering::Relaxed;
        let left = self.suggestions.load(Relaxed);
        if left == 0 || n > crate::diagnostic::MAX_SUGGEST_CANDIDATES {
            return 0;
        }
        self.suggestions.store(left - 1, Relaxed);
        usize::MAX
    }

    /// Checks every mating ref (ICD-REF).
    pub fn check_refs(&self, diags: &mut Vec<Diagnostic>) {
        for (file, m) in &self.models {
            for mating in &m.matings {
                let mut resolved = true;
                for r in [&mating.chaser, &mating.target].into_iter().flatten() {
                    if let Some(d) = self.ref_diagnostic(*file, r) {
                        diags.push(d);
                        resolved = false;
                    }
                }
                if let (true, Some(c), Some(t)) = (resolved, &mating.chaser, &mating.target)
                    && c.value.vehicle.value == t.value.vehicle.value
                {
                    let what = if c.value.port.value == t.value.port.value {
                        "a port cannot mate with itself"
                    } else {
                        "two ports of one vehicle cannot mate with each other"
                    };
                    diags.push(
                            Diagnostic::error(codes::REF, *file, t.span, format!("mating `{}`: {what}", mating.id.value))
                                .with_label(format!("the chaser is `{}`", c.value))
                                .with_help("a mating names a port of the chaser vehicle and a port of another vehicle"),
                        );
                }
            }
        }
    }

    /// ICD-REF for a ref that does not resolve, with "did you mean".
    pub fn ref_diagnostic(&self, file: FileId, r: &Spanned<PortRef>) -> Option<Diagnostic> {
        let PortRef { vehicle, port } = &r.value;
        match self.vehicles.get(vehicle.value.as_str()) {
            None => {
                // a suggestion is worth its cost only among a readable number of names
                let candidates = self
                    .vehicles
                    .keys()
                    .copied()
                    .take(self.suggestion_budget(self.vehicles.len()));
                let help = match closest(&vehicle.value, candidates) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "define the vehicle in one of the files being checked, or check that file too".into(),
                };
                Some(
                    Diagnostic::error(
                        codes::REF,
                        file,
                        vehicle.span,
                        format!("no vehicle `{}` in the files being checked", vehicle.value),
                    )
                    .with_label("unknown vehicle")
                    .with_help(help),
                )
            }
            Some((vf, v))
                if !self
                    .ports
                    .contains_key(&(vehicle.value.as_str(), port.value.as_str())) =>
            {
                let candidates = v
                    .ports
                    .iter()
                    .map(|p| p.id.value.as_str())
                    .take(self.suggestion_budget(v.ports.len()));
                let help = match closest(&port.value, candidates) {
                    Some(c) => format!("did you mean `{}.{c}`?", vehicle.value),
                    None => {
                        let mut ports: Vec<String> = v
                            .ports
                            .iter()
                            .take(10)
                            .map(|p| format!("`{}`", p.id.value))
                            .collect();
                        if v.ports.len() > 10 {
                            ports.push(format!("and {} more", v.ports.len() - 10));
                        }
                        if ports.is_empty() {
                            format!("vehicle `{}` has no ports", vehicle.value)
                        } else {
                            format!("vehicle `{}` has: {}", vehicle.value, ports.join(", "))
                        }
                    }
                };
                Some(
                    Diagnostic::error(
                        codes::REF,
                        file,
                        port.span,
                        format!("vehicle `{}` has no port `{}`", vehicle.value, port.value),
                    )
                    .with_label("unknown port")
                    .with_related(
                        *vf,
                        v.id.span,
                        format!("vehicle `{}` is defined here", vehicle.value),
                    )
                    .with_help(help),
                )
            }
            Some(_) => None,
        }
    }
}
