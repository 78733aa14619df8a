//! Fingerprints: a finding's identity that survives edits elsewhere in the
//! file. A fingerprint hashes the rule id, the file as shown, the finding's
//! *model path* (`legacy.nose.docking.passageway`: the vehicle and port ids,
//! the blocks and the attribute it stands in; for a syntax error, the
//! nearest enclosing block) and its index among findings with the same three
//! keys. It never includes a line or a column, so moving text does not change
//! it. SARIF `partialFingerprints` and baselines use it.

use crate::diagnostic::Diagnostic;
use crate::syntax::{self, Span, Stmt};
use crate::workspace::SourceMap;
use std::collections::{BTreeMap, HashMap};

/// The model path of the innermost statement containing `offset`, found by
/// walking down the tree from the top (no path is built for the others).
fn path_at(stmts: &[Stmt], offset: usize) -> String {
    let contains = |s: Span| s.start <= offset && offset < s.end.max(s.start + 1);
    let mut path = String::new();
    let mut level = stmts;
    loop {
        // the last statement that starts at or before `offset` and holds it:
        // among those starting at one place, the innermost is the later one
        let Some(s) = level.iter().rev().find(|s| contains(s.span())) else {
            return path;
        };
        if !path.is_empty() {
            path.push('.');
        }
        match s {
            Stmt::Attr(a) => {
                path.push_str(a.key.name);
                return path;
            }
            Stmt::Block(b) => {
                // keyed blocks are named by their id, the others by kind
                match (&b.id, b.kind.name) {
                    (Some(id), "vehicle" | "port") => path.push_str(id.name),
                    (Some(id), kind) => {
                        path.push_str(kind);
                        path.push('.');
                        path.push_str(id.name);
                    }
                    (None, kind) => path.push_str(kind),
                }
                level = &b.body;
            }
        }
    }
}

/// FNV-1a, 64 bits: stable across runs, platforms and versions.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The model path of each diagnostic (`""` for a file that is not `.icd`
/// text, such as a spec or a waiver file, or a finding outside any block).
pub fn model_paths(diags: &[Diagnostic], sources: &SourceMap) -> Vec<String> {
    use rayon::prelude::*;
    // each file with a diagnostic is parsed once, the files in parallel
    let mut by_file: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, d) in diags.iter().enumerate() {
        if d.file >= sources.len() {
            continue;
        }
        let f = sources.get(d.file);
        if f.path.ends_with(".icd") || f.path == "-" {
            by_file.entry(d.file).or_default().push(i);
        }
    }
    let groups: Vec<(usize, Vec<usize>)> = by_file.into_iter().collect();
    let found: Vec<Vec<(usize, String)>> = groups
        .par_iter()
        .map(|(file, idx)| {
            // the file is parsed again, statement by statement: each
            // top-level statement answers the diagnostics inside it and is
            // dropped (the later of two statements holding one wins, as in
            // `path_at`), so no whole tree is held and no diagnostic walks
            // the whole file
            let mut at: Vec<(usize, usize)> =
                idx.iter().map(|i| (diags[*i].span.start, *i)).collect();
            at.sort_unstable();
            let mut paths: HashMap<usize, String> = HashMap::new();
            let _ = syntax::parse_each(
                &sources.get(*file).text,
                &crate::model::vocab::nests,
                // as deep as any configuration lets a check parse: a path
                // is never cut shorter than the check's tree
                crate::limits::MAX_NESTING_CEILING,
                &mut |s: Stmt| {
                    let span = s.span();
                    let end = span.end.max(span.start + 1);
                    let from = at.partition_point(|(o, _)| *o < span.start);
                    let to = at.partition_point(|(o, _)| *o < end);
                    for (offset, i) in &at[from..to] {
                        paths.insert(*i, path_at(std::slice::from_ref(&s), *offset));
                    }
                },
            );
            paths.into_iter().collect::<Vec<_>>()
        })
        .collect();
    let mut out = vec![String::new(); diags.len()];
    for (i, p) in found.into_iter().flatten() {
        out[i] = p;
    }
    out
}

/// One fingerprint per diagnostic, in the same order: 16 hex digits.
/// Diagnostics must be in report order (sorted), so that the index among
/// equal keys is stable.
pub fn fingerprints(diags: &[Diagnostic], sources: &SourceMap) -> Vec<String> {
    with_paths(diags, sources).0
}

/// [`fingerprints`] and the model paths they were made from, in one pass
/// (each file is outlined once).
pub fn with_paths(diags: &[Diagnostic], sources: &SourceMap) -> (Vec<String>, Vec<String>) {
    let paths = model_paths(diags, sources);
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    let prints = diags
        .iter()
        .zip(&paths)
        .map(|(d, path)| {
            let file = if d.file < sources.len() {
                sources.get(d.file).path.clone()
            } else {
                String::new()
            };
            let key = (d.code.clone(), file, path.clone());
            let n = seen.entry(key.clone()).or_insert(0);
            let index = n.to_string();
            *n += 1;
            format!("{:016x}", fnv1a(&[&key.0, &key.1, &key.2, &index]))
        })
        .collect();
    (prints, paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_path_names_vehicle_port_block_and_attribute() {
        let text = "vehicle legacy {\n  name = \"L\"\n  port nose {\n    docking {\n      passageway = 790 mm\n    }\n  }\n}\n";
        let parsed = syntax::parse_with(text, &crate::model::vocab::nests);
        let o = |at: usize| path_at(&parsed.stmts, at);
        assert_eq!(
            o(text.find("790").unwrap()),
            "legacy.nose.docking.passageway"
        );
        assert_eq!(o(text.find("docking").unwrap()), "legacy.nose.docking");
        assert_eq!(o(text.find("name").unwrap()), "legacy.name");
        assert_eq!(o(0), "legacy");
        assert_eq!(o(text.len()), "");
    }

    #[test]
    fn the_hash_depends_on_every_part() {
        let a = fnv1a(&["IDSS-PASSAGE", "m.icd", "a.p.docking.passageway", "0"]);
        assert_ne!(
            a,
            fnv1a(&["IDSS-PASSAGE", "m.icd", "a.p.docking.passageway", "1"])
        );
        assert_ne!(
            a,
            fnv1a(&["IDSS-PASSAGE", "m.icd", "a.q.docking.passageway", "0"])
        );
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }
}
