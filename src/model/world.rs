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
    /// (vehicle id, port id) → (file, vehicle, port), for look-ups in
    /// constant time.
    ports: foldhash::HashMap<(&'m str, &'m str), (FileId, &'m Vehicle, &'m Port)>,
}

impl<'m> World<'m> {
    /// Builds the world; `models` must be in the run's file order. Emits
    /// ICD-DUPLICATE for vehicle ids defined twice.
    pub fn build(models: &[(FileId, &'m Model)], diags: &mut Vec<Diagnostic>) -> World<'m> {
        // every definition in run order, sorted by id (stable: the first
        // definition of an id comes first), so that the index is built from
        // sorted input in one pass instead of a search per vehicle
        // (each numbered with its place in run order)
        let mut defs: Vec<(usize, (&'m str, FileId, &'m Vehicle))> = models
            .iter()
            .flat_map(|(f, m)| m.vehicles.iter().map(move |v| (v.id.value.as_str(), *f, v)))
            .filter(|(id, _, _)| !id.is_empty())
            .enumerate()
            .collect();
        defs.sort_by(|a, b| a.1.0.cmp(b.1.0));
        // the later definitions of an id, with the first, in run order
        let mut again: Vec<(usize, FileId, &'m Vehicle, FileId, &'m Vehicle)> = Vec::new();
        let mut firsts: Vec<(&'m str, (FileId, &'m Vehicle))> = Vec::with_capacity(defs.len());
        let mut ports = foldhash::HashMap::default();
        for &(i, (id, file, v)) in &defs {
            match firsts.last() {
                Some(&(last, (ffile, first))) if last == id => {
                    again.push((i, file, v, ffile, first));
                }
                _ => {
                    firsts.push((id, (file, v)));
                    for p in &v.ports {
                        ports
                            .entry((id, p.id.value.as_str()))
                            .or_insert((file, v, p));
                    }
                }
            }
        }
        // duplicates reported in run order
        again.sort_by_key(|d| d.0);
        let mut reported: foldhash::HashMap<FileId, usize> = foldhash::HashMap::default();
        let mut suppressed: BTreeMap<FileId, usize> = BTreeMap::new();
        for (_, file, v, ffile, first) in again {
            let n = reported.entry(file).or_insert(0);
            if *n >= crate::diagnostic::MAX_PER_FILE {
                *suppressed.entry(file).or_insert(0) += 1;
                continue;
            }
            *n += 1;
            diags.push(
                Diagnostic::error(
                    codes::DUPLICATE,
                    file,
                    v.id.span,
                    format!("duplicate vehicle id `{}`", v.id.value),
                )
                .with_label("defined again here")
                .with_related(ffile, first.id.span, "first defined here")
                .with_help("vehicle ids are unique across all files of one run"),
            );
        }
        for (file, n) in suppressed {
            diags.push(crate::diagnostic::limit_note(file, n));
        }
        World {
            suggestions: std::sync::atomic::AtomicUsize::new(200),
            models: models.to_vec(),
            // sorted and without repeats: built in one pass
            vehicles: firsts.into_iter().collect(),
            ports,
        }
    }

    /// Finds `vehicle.port`.
    pub fn port(&self, vehicle: &str, port: &str) -> Option<(FileId, &'m Vehicle, &'m Port)> {
        self.ports.get(&(vehicle, port)).copied()
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
        if self
            .ports
            .contains_key(&(vehicle.value.as_str(), port.value.as_str()))
        {
            return None;
        }
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
            // (a port of a known vehicle was found above)
            Some((vf, v)) => {
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::SourceMap;

    /// The first definition of an id in run order wins, each later one is
    /// reported in run order (file order, then place in the file) with a
    /// label on the first, and ports resolve on the first.
    #[test]
    fn duplicates_are_reported_in_run_order_against_the_first() {
        let texts = [
            "vehicle b { port p1 {} }\nvehicle a { port p1 {} }\n",
            "vehicle c { port p1 {} }\nvehicle a { port p2 {} }\nvehicle b { port p2 {} }\n",
            "vehicle a { port p3 {} }\n",
        ];
        let mut sources = SourceMap::default();
        let mut models = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let f = sources.add(format!("f{i}.icd"), t.to_string());
            models.push((f, crate::load::parse_and_lower(f, t).0));
        }
        let refs: Vec<_> = models.iter().map(|(f, m)| (*f, m)).collect();
        let mut diags = Vec::new();
        let w = World::build(&refs, &mut diags);
        let (f0, f1, f2) = (models[0].0, models[1].0, models[2].0);
        let got: Vec<(FileId, String, FileId)> = diags
            .iter()
            .map(|d| (d.file, d.message.clone(), d.labels[0].file))
            .collect();
        let want = vec![
            (f1, "duplicate vehicle id `a`".to_string(), f0),
            (f1, "duplicate vehicle id `b`".to_string(), f0),
            (f2, "duplicate vehicle id `a`".to_string(), f0),
        ];
        assert_eq!(got, want);
        let ids: Vec<&str> = w.vehicles.keys().copied().collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert!(w.port("a", "p1").is_some());
        assert!(w.port("a", "p2").is_none() && w.port("a", "p3").is_none());
        assert!(w.port("b", "p1").is_some() && w.port("b", "p2").is_none());
        assert_eq!(w.port("c", "p1").map(|x| x.0), Some(f1));
    }
}
