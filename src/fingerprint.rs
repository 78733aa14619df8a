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

/// The top-level statements of a file that parsed without a syntax error,
/// as its model knows them (its vehicles' and matings' spans, sorted): a
/// finding inside one needs only that statement parsed again.
pub type Outline<'a> = &'a (dyn Fn(usize) -> Option<Vec<Span>> + Sync);

/// The spans of a model's vehicles and matings, sorted, each outside the
/// others (one inside another is left out: only top-level statements
/// count), for an [`Outline`] of a file that parsed without a syntax error.
pub fn top_spans(m: &crate::model::Model) -> Option<Vec<Span>> {
    let mut all: Vec<Span> = m
        .vehicles
        .iter()
        .map(|v| v.span)
        .chain(m.matings.iter().map(|x| x.span))
        .collect();
    all.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut tops: Vec<Span> = Vec::with_capacity(all.len());
    for s in all {
        if tops.last().is_none_or(|t| s.start >= t.end) {
            tops.push(s);
        }
    }
    Some(tops)
}

/// The model path of each diagnostic (`""` for a file that is not `.icd`
/// text, such as a spec or a waiver file, or a finding outside any block).
pub fn model_paths(diags: &[Diagnostic], sources: &SourceMap) -> Vec<String> {
    model_paths_outlined(diags, sources, &|_| None)
}

/// [`model_paths`], parsing again only the parts of a file that hold a
/// finding (a top-level statement, or the text between two) when `outline`
/// knows its top-level statements, the parts in parallel; else the whole
/// file.
pub fn model_paths_outlined(
    diags: &[Diagnostic],
    sources: &SourceMap,
    outline: Outline,
) -> Vec<String> {
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
            let mut at: Vec<(usize, usize)> =
                idx.iter().map(|i| (diags[*i].span.start, *i)).collect();
            at.sort_unstable();
            let text = &sources.get(*file).text;
            match outline(*file) {
                Some(tops) => by_statement(&tops, text.len(), &at)
                    .par_iter()
                    .flat_map_iter(|(part, at)| paths_in(text, *part, at))
                    .collect(),
                None => paths_in(text, Span::new(0, text.len()), &at),
            }
        })
        .collect();
    let mut out = vec![String::new(); diags.len()];
    for (i, p) in found.into_iter().flatten() {
        if let Some(slot) = out.get_mut(i) {
            *slot = p;
        }
    }
    out
}

/// The findings (offset, index; sorted) grouped by the part of a `len`-byte
/// text that holds each: the top-level statement of `tops` it is in, else
/// the stretch between two of them (whole statements too, as `tops` are).
fn by_statement(
    tops: &[Span],
    len: usize,
    at: &[(usize, usize)],
) -> Vec<(Span, Vec<(usize, usize)>)> {
    let mut out: Vec<(Span, Vec<(usize, usize)>)> = Vec::new();
    for &(offset, i) in at {
        // the last statement starting at or before the offset
        let k = tops.partition_point(|t| t.start <= offset);
        let before = k.checked_sub(1).and_then(|j| tops.get(j));
        let part = match before {
            Some(t) if offset < t.end.max(t.start + 1) => *t,
            _ => Span::new(
                before.map_or(0, |t| t.end.max(t.start + 1)).min(len),
                tops.get(k).map_or(len, |t| t.start).max(offset.min(len)),
            ),
        };
        match out.last_mut() {
            Some((p, list)) if *p == part => list.push((offset, i)),
            _ => out.push((part, vec![(offset, i)])),
        }
    }
    out
}

/// The paths of the findings `at` (offset, index; sorted) inside `part` of
/// `text`, parsed again statement by statement: each top-level statement
/// answers the findings inside it and is dropped (the later of two
/// statements holding one wins, as in `path_at`), so no whole tree is held
/// and no finding walks the whole part.
fn paths_in(text: &str, part: Span, at: &[(usize, usize)]) -> Vec<(usize, String)> {
    let Some(src) = text.get(part.start..part.end) else {
        return Vec::new();
    };
    let base = part.start;
    let mut paths: HashMap<usize, String> = HashMap::new();
    let _ = syntax::parse_each(
        src,
        &crate::model::vocab::nests,
        // as deep as any configuration lets a check parse: a path is never
        // cut shorter than the check's tree
        crate::limits::MAX_NESTING_CEILING,
        &mut |s: Stmt| {
            let span = s.span();
            let (start, end) = (base + span.start, base + span.end.max(span.start + 1));
            let from = at.partition_point(|(o, _)| *o < start);
            let to = at.partition_point(|(o, _)| *o < end);
            for (offset, i) in at.get(from..to).unwrap_or_default() {
                paths.insert(*i, path_at(std::slice::from_ref(&s), offset - base));
            }
        },
    );
    paths.into_iter().collect()
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
    with_paths_outlined(diags, sources, &|_| None)
}

/// [`with_paths`], with the files' top-level statements from their models
/// (see [`model_paths_outlined`]).
pub fn with_paths_outlined(
    diags: &[Diagnostic],
    sources: &SourceMap,
    outline: Outline,
) -> (Vec<String>, Vec<String>) {
    let paths = model_paths_outlined(diags, sources, outline);
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

    /// Parsing again only the parts that hold findings gives every finding
    /// the path that parsing the whole file gives: every fixture, with its
    /// language and conformance findings, a finding at every line start
    /// (comments, `format`, the text between statements and after the last)
    /// and one at every `=`, `{` and `}`.
    #[test]
    fn outlined_paths_equal_whole_file_paths() {
        let mut sources = SourceMap::default();
        let Ok(set) = crate::spec::RuleSet::load(&mut sources, true, &[]) else {
            panic!("the built-in specs load");
        };
        let mut stack = vec![std::path::PathBuf::from("fixtures")];
        let mut files = Vec::new();
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "icd") {
                    files.push(p);
                }
            }
        }
        files.sort();
        let (mut compared, mut outlined) = (0, 0);
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let file = sources.add(path.display().to_string(), text.clone());
            let (model, mut diags, broken) = crate::load::parse_and_lower(file, &text);
            crate::check::conformance::check_model(&set, None, file, &model, &mut diags);
            let mut offset = 0;
            for line in text.split_inclusive('\n') {
                diags.push(Diagnostic::error(
                    "X",
                    file,
                    Span::new(offset, offset),
                    "line",
                ));
                offset += line.len();
            }
            for (i, _) in text.match_indices(['=', '{', '}']) {
                diags.push(Diagnostic::error("X", file, Span::new(i, i + 1), "mark"));
            }
            diags.push(Diagnostic::error(
                "X",
                file,
                Span::new(text.len(), text.len()),
                "end",
            ));
            let tops = if broken { None } else { top_spans(&model) };
            outlined += usize::from(tops.is_some());
            let whole = model_paths(&diags, &sources);
            let parts = model_paths_outlined(&diags, &sources, &|f| {
                if f == file { tops.clone() } else { None }
            });
            assert_eq!(parts, whole, "{}", path.display());
            compared += diags.len();
        }
        assert!(
            outlined > 100 && compared > 8000,
            "{outlined} files, {compared} findings"
        );
    }
}
