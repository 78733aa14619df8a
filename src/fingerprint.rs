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
use std::collections::HashMap;

/// The statements of one file as (span, model path), innermost last among
/// those that start at the same place.
struct Outline(Vec<(Span, String)>);

impl Outline {
    fn of(text: &str) -> Outline {
        let parsed = syntax::parse_with(text, &crate::model::vocab::nests);
        let mut out = Vec::new();
        // an explicit stack: (statements, path of their block)
        let mut stack: Vec<(&[Stmt], String)> = vec![(&parsed.stmts, String::new())];
        let mut keep = Vec::new();
        while let Some((stmts, prefix)) = stack.pop() {
            for s in stmts {
                let join = |seg: &str| {
                    if prefix.is_empty() {
                        seg.to_string()
                    } else {
                        format!("{prefix}.{seg}")
                    }
                };
                match s {
                    Stmt::Attr(a) => out.push((a.span, join(&a.key.name))),
                    Stmt::Block(b) => {
                        // keyed blocks are named by their id, the others by kind
                        let seg = match (&b.id, b.kind.name.as_str()) {
                            (Some(id), "vehicle" | "port") => id.name.clone(),
                            (Some(id), kind) => format!("{kind}.{}", id.name),
                            (None, kind) => kind.to_string(),
                        };
                        let path = join(&seg);
                        out.push((b.span, path.clone()));
                        keep.push((&b.body[..], path));
                    }
                }
            }
            stack.append(&mut keep);
        }
        out.sort_by_key(|(span, _)| (span.start, std::cmp::Reverse(span.end)));
        Outline(out)
    }

    /// The innermost statement containing `offset`.
    fn path_at(&self, offset: usize) -> &str {
        let upto = self.0.partition_point(|(s, _)| s.start <= offset);
        self.0[..upto]
            .iter()
            .rev()
            .find(|(s, _)| offset < s.end.max(s.start + 1))
            .map_or("", |(_, p)| p.as_str())
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
    let mut outlines: HashMap<usize, Outline> = HashMap::new();
    diags
        .iter()
        .map(|d| {
            if d.file >= sources.len() {
                return String::new();
            }
            let f = sources.get(d.file);
            if !f.path.ends_with(".icd") && f.path != "-" {
                return String::new();
            }
            outlines
                .entry(d.file)
                .or_insert_with(|| Outline::of(&f.text))
                .path_at(d.span.start)
                .to_string()
        })
        .collect()
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
        let o = Outline::of(text);
        let at = text.find("790").unwrap();
        assert_eq!(o.path_at(at), "legacy.nose.docking.passageway");
        assert_eq!(
            o.path_at(text.find("docking").unwrap()),
            "legacy.nose.docking"
        );
        assert_eq!(o.path_at(text.find("name").unwrap()), "legacy.name");
        assert_eq!(o.path_at(0), "legacy");
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
