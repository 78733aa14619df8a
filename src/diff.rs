//! Change review: what changed between two versions of a fleet (model
//! changes, not text changes) and what the change does to partners (pairs
//! whose verdict or findings changed, conformance findings that appear or
//! go, declared matings whose verdict changed). Never does I/O: the caller
//! loads both versions.

use crate::check::pair::{self, How, Side, Verdict};
use crate::check::{self, matrix};
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::model::Vehicle;
use crate::model::world::World;
use crate::spec::RuleSet;
use crate::workspace::SourceMap;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One version of the fleet.
pub struct Version<'a> {
    pub world: &'a World<'a>,
    pub sources: &'a SourceMap,
    /// How a file of this version is named in reports (`REV:path`).
    pub name: &'a dyn Fn(FileId) -> String,
    /// The file's identity across versions (its path from the compared
    /// root): a vehicle whose key changed has moved.
    pub key: &'a dyn Fn(FileId) -> String,
}

/// Where a value stands in one version.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Loc {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The file in the version's source map, and the byte span, for the
    /// human report's snippets.
    #[serde(skip)]
    pub id: FileId,
    #[serde(skip)]
    pub span: (usize, usize),
}

/// What kind of model change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
    Moved,
}

/// One model change: a vehicle, port or attribute added, removed, changed,
/// or a vehicle moved to another file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub vehicle: String,
    pub port: Option<String>,
    /// The attribute's path in its port (`docking.capture.closing_velocity`)
    /// or vehicle (`vehicle.mass`); `None` for a whole vehicle or port.
    pub path: Option<String>,
    pub kind: ChangeKind,
    /// The value as written, in the author's units.
    pub old: Option<String>,
    pub new: Option<String>,
    pub old_at: Option<Loc>,
    pub new_at: Option<Loc>,
    pub note: Option<String>,
}

/// How a change affects a pair, a port or a mating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    Breaking,
    Fixed,
    Changed,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::Fixed => "fixed",
            Impact::Changed => "changed",
        }
    }
}

/// A finding of a pair or port, without its location.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub message: String,
}

/// An ordered pair of ports whose verdict or findings changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PairChange {
    pub impact: Impact,
    pub chaser: String,
    pub target: String,
    /// `None`: the pair does not exist in that version (a port added or
    /// removed).
    pub old: Option<Verdict>,
    pub new: Option<Verdict>,
    pub old_how: Option<How>,
    pub new_how: Option<How>,
    /// Findings (errors and warnings) the new version has and the old does
    /// not, and the reverse.
    pub added: Vec<Finding>,
    pub removed: Vec<Finding>,
    /// The model changes behind it (indexes into [`Review::changes`]): those
    /// of either port, or of either port's vehicle.
    pub because: Vec<usize>,
}

/// A conformance finding that appeared (breaking, for an error) or went.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PortChange {
    pub impact: Impact,
    pub vehicle: String,
    pub finding: Finding,
    /// Where it stands (the new version for a new finding, the old one for a
    /// finding that went).
    pub at: Loc,
    /// Whether the finding appeared (it stands in the new version) or went.
    pub appeared: bool,
    /// The model changes of its vehicle (indexes into [`Review::changes`]).
    pub because: Vec<usize>,
}

/// A declared mating whose verdict changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MatingChange {
    pub impact: Impact,
    pub id: String,
    pub chaser: String,
    pub target: String,
    pub old: Option<Verdict>,
    pub new: Option<Verdict>,
    /// The mating's id (in the new version, or the old one for a mating that
    /// went).
    pub at: Loc,
    /// The model changes of either port (indexes into [`Review::changes`]).
    pub because: Vec<usize>,
}

/// The whole review.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Review {
    pub changes: Vec<Change>,
    pub pairs: Vec<PairChange>,
    pub ports: Vec<PortChange>,
    pub matings: Vec<MatingChange>,
}

impl Review {
    /// How many pairs, ports and matings have each impact.
    pub fn count(&self, i: Impact) -> usize {
        self.pairs.iter().filter(|p| p.impact == i).count()
            + self.ports.iter().filter(|p| p.impact == i).count()
            + self.matings.iter().filter(|m| m.impact == i).count()
    }
}

// ------------------------------------------------------------ model changes

/// A value of the model as it can be compared: `key` ignores spans, the
/// spelling of numbers and the unit (`800 mm` = `0.8 m`); `shown` is as
/// written.
#[derive(Clone, Debug)]
struct Leaf {
    key: Value,
    shown: String,
    span: Option<(usize, usize)>,
}

/// The comparable form of a value: quantities by dimension and SI value
/// (to 8 significant digits, so a conversion's rounding is no change), ranges by their two ends, written text
/// dropped.
fn key_of(v: &Value) -> Value {
    match v {
        Value::Object(m) if m.contains_key("si") => {
            let si = m.get("si").and_then(Value::as_f64).unwrap_or(f64::NAN);
            Value::String(format!(
                "{}:{:.7e}",
                m.get("dimension").and_then(Value::as_str).unwrap_or(""),
                si
            ))
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "text" | "span"))
                .map(|(k, x)| (k.clone(), key_of(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(key_of).collect()),
        other => other.clone(),
    }
}

/// A value as the author wrote it.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) if m.contains_key("text") => m
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        Value::Object(m) if m.contains_key("si") => {
            let n = m.get("number").and_then(Value::as_f64).unwrap_or(f64::NAN);
            let u = m.get("unit").and_then(Value::as_str).unwrap_or("");
            let n = crate::model::fmt_number(n);
            if u.is_empty() { n } else { format!("{n} {u}") }
        }
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(shown).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

fn span_of(v: &Value) -> Option<(usize, usize)> {
    let s = v.get("span")?;
    Some((
        s.get("start")?.as_u64()? as usize,
        s.get("end")?.as_u64()? as usize,
    ))
}

/// The leaves of a serialised block under `prefix`: a `{span, value}`
/// object is one value; keyed items (`buses`, `links`) are named by id.
fn flatten(v: &Value, prefix: &str, out: &mut BTreeMap<String, Leaf>) {
    let Value::Object(m) = v else { return };
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    if m.len() == 2 && m.contains_key("span") && m.contains_key("value") {
        let value = m.get("value").unwrap_or(&Value::Null);
        out.insert(
            prefix.to_string(),
            Leaf {
                key: key_of(value),
                shown: shown(value),
                span: span_of(v),
            },
        );
        return;
    }
    for (k, child) in m {
        if matches!(k.as_str(), "span" | "id" | "ports") || child.is_null() {
            continue;
        }
        match child {
            Value::Array(items) => {
                for it in items {
                    let id = it
                        .get("id")
                        .and_then(|i| i.get("value"))
                        .and_then(Value::as_str)
                        .unwrap_or("?");
                    // `data.buses` → `data.bus.lan`
                    let kind = k.trim_end_matches("es").trim_end_matches('s');
                    flatten(it, &join(&format!("{kind}.{id}")), out);
                }
            }
            _ => flatten(child, &join(k), out),
        }
    }
}

/// A vehicle's own values (`vehicle.*`) and each port's, by port id.
type Flat = (
    BTreeMap<String, Leaf>,
    BTreeMap<String, BTreeMap<String, Leaf>>,
);

fn flat_vehicle(v: &Vehicle) -> Flat {
    let mut own = BTreeMap::new();
    let value = serde_json::to_value(v).unwrap_or(Value::Null);
    flatten(&value, "vehicle", &mut own);
    let mut ports = BTreeMap::new();
    for p in &v.ports {
        let mut leaves = BTreeMap::new();
        flatten(
            &serde_json::to_value(p).unwrap_or(Value::Null),
            "",
            &mut leaves,
        );
        ports.insert(p.id.value.clone(), leaves);
    }
    (own, ports)
}

fn loc(ver: &Version, file: FileId, (start, end): (usize, usize)) -> Loc {
    let (line, column) = ver.sources.get(file).line_col(start);
    Loc {
        file: (ver.name)(file),
        line,
        column,
        id: file,
        span: (start, end.max(start)),
    }
}

/// Compares two sets of leaves, adding a change per differing path.
fn compare_leaves(
    (old, new): (&BTreeMap<String, Leaf>, &BTreeMap<String, Leaf>),
    (ov, nv): (&Version, &Version),
    (of, nf): (FileId, FileId),
    vehicle: &str,
    port: Option<&str>,
    out: &mut Vec<Change>,
) {
    let paths: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for path in paths {
        let (o, n) = (old.get(path), new.get(path));
        let kind = match (o, n) {
            (Some(a), Some(b)) if a.key == b.key => continue,
            (Some(_), Some(_)) => ChangeKind::Changed,
            (Some(_), None) => ChangeKind::Removed,
            (None, Some(_)) => ChangeKind::Added,
            (None, None) => continue,
        };
        out.push(Change {
            vehicle: vehicle.to_string(),
            port: port.map(String::from),
            path: Some(path.clone()),
            kind,
            old: o.map(|l| l.shown.clone()),
            new: n.map(|l| l.shown.clone()),
            old_at: o.and_then(|l| l.span).map(|s| loc(ov, of, s)),
            new_at: n.and_then(|l| l.span).map(|s| loc(nv, nf, s)),
            note: None,
        });
    }
}

/// The model changes between two versions, sorted.
pub fn model_changes(old: &Version, new: &Version) -> Vec<Change> {
    let mut out = Vec::new();
    let ids: BTreeSet<&str> = old
        .world
        .vehicles
        .keys()
        .chain(new.world.vehicles.keys())
        .copied()
        .collect();
    for id in ids {
        let whole = |kind, at: Option<Loc>, old_at: Option<Loc>| Change {
            vehicle: id.to_string(),
            port: None,
            path: None,
            kind,
            old: None,
            new: None,
            old_at,
            new_at: at,
            note: None,
        };
        match (old.world.vehicles.get(id), new.world.vehicles.get(id)) {
            (None, Some((f, v))) => out.push(whole(
                ChangeKind::Added,
                Some(loc(new, *f, (v.id.span.start, v.id.span.end))),
                None,
            )),
            (Some((f, v)), None) => out.push(whole(
                ChangeKind::Removed,
                None,
                Some(loc(old, *f, (v.id.span.start, v.id.span.end))),
            )),
            (Some((of, ov)), Some((nf, nv))) => {
                let (okey, nkey) = ((old.key)(*of), (new.key)(*nf));
                if okey != nkey {
                    let (oname, nname) = ((old.name)(*of), (new.name)(*nf));
                    let mut c = whole(
                        ChangeKind::Moved,
                        Some(loc(new, *nf, (nv.id.span.start, nv.id.span.end))),
                        Some(loc(old, *of, (ov.id.span.start, ov.id.span.end))),
                    );
                    c.old = Some(oname);
                    c.new = Some(nname);
                    out.push(c);
                }
                // the same text is the same model: skip the comparison
                let text = |ver: &Version, f: FileId, v: &Vehicle| {
                    ver.sources
                        .get(f)
                        .text
                        .get(v.span.start..v.span.end)
                        .map(str::to_owned)
                };
                if text(old, *of, ov).is_some() && text(old, *of, ov) == text(new, *nf, nv) {
                    continue;
                }
                vehicle_changes(id, (old, new), (*of, *nf), (ov, nv), &mut out);
            }
            (None, None) => {}
        }
    }
    out.sort();
    out
}

fn vehicle_changes(
    id: &str,
    (old, new): (&Version, &Version),
    (of, nf): (FileId, FileId),
    (ov, nv): (&Vehicle, &Vehicle),
    out: &mut Vec<Change>,
) {
    let (oown, oports) = flat_vehicle(ov);
    let (nown, nports) = flat_vehicle(nv);
    compare_leaves((&oown, &nown), (old, new), (of, nf), id, None, out);
    let removed: Vec<&String> = oports.keys().filter(|p| !nports.contains_key(*p)).collect();
    let added: Vec<&String> = nports.keys().filter(|p| !oports.contains_key(*p)).collect();
    for (pid, leaves) in &oports {
        if let Some(nl) = nports.get(pid) {
            compare_leaves((leaves, nl), (old, new), (of, nf), id, Some(pid), out);
        }
    }
    let span = |v: &Vehicle, p: &str| {
        v.ports
            .iter()
            .find(|x| x.id.value == p)
            .map(|x| (x.id.span.start, x.id.span.end))
    };
    for p in &removed {
        // a port whose contents reappear under another id: a rename
        let twin = added
            .iter()
            .find(|a| same_leaves(&oports[*p], &nports[**a]));
        out.push(Change {
            vehicle: id.to_string(),
            port: Some((*p).clone()),
            path: None,
            kind: ChangeKind::Removed,
            old: None,
            new: None,
            old_at: span(ov, p).map(|s| loc(old, of, s)),
            new_at: None,
            note: twin.map(|a| format!("same contents as the added port `{a}`: a rename?")),
        });
    }
    for p in &added {
        let twin = removed
            .iter()
            .find(|r| same_leaves(&oports[**r], &nports[*p]));
        out.push(Change {
            vehicle: id.to_string(),
            port: Some((*p).clone()),
            path: None,
            kind: ChangeKind::Added,
            old: None,
            new: None,
            old_at: None,
            new_at: span(nv, p).map(|s| loc(new, nf, s)),
            note: twin.map(|r| format!("same contents as the removed port `{r}`: a rename?")),
        });
    }
}

fn same_leaves(a: &BTreeMap<String, Leaf>, b: &BTreeMap<String, Leaf>) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|(k, l)| b.get(k).is_some_and(|m| m.key == l.key))
}

// ------------------------------------------------------------ partner impact

/// The ports a change touches: ports with a changed or added attribute, and
/// every port of a vehicle whose own values changed or that was added or
/// moved. Removed ports are the `removed` set.
fn touched(changes: &[Change], new: &World) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut ports = BTreeSet::new();
    let mut removed = BTreeSet::new();
    for c in changes {
        match (&c.port, c.path.is_some(), c.kind) {
            (Some(p), false, ChangeKind::Removed) => {
                removed.insert(format!("{}.{p}", c.vehicle));
            }
            (Some(p), _, _) => {
                ports.insert(format!("{}.{p}", c.vehicle));
            }
            (None, _, ChangeKind::Removed) if c.path.is_none() => {}
            (None, _, _) => {
                if let Some((_, v)) = new.vehicles.get(c.vehicle.as_str()) {
                    for p in &v.ports {
                        ports.insert(format!("{}.{}", c.vehicle, p.id.value));
                    }
                }
            }
        }
    }
    (ports, removed)
}

/// The ports of removed vehicles, from the old version.
fn removed_vehicle_ports(changes: &[Change], old: &World) -> BTreeSet<String> {
    changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Removed && c.port.is_none() && c.path.is_none())
        .filter_map(|c| old.vehicles.get(c.vehicle.as_str()))
        .flat_map(|(_, v)| {
            v.ports
                .iter()
                .map(move |p| format!("{}.{}", v.id.value, p.id.value))
        })
        .collect()
}

/// A pair's verdict, how it mates and its findings, as configured by
/// `adjust`.
type Judged = (Verdict, Option<How>, BTreeSet<Finding>);

fn judge(
    set: &RuleSet,
    c: Side,
    t: Side,
    adjust: &(dyn Fn(&SourceMap, &mut Vec<Diagnostic>) + Sync),
    sources: &SourceMap,
) -> Judged {
    let raw = pair::mate(set, None, c, t, None);
    let mut diags = raw.diagnostics;
    adjust(sources, &mut diags);
    let o = pair::outcome(diags, raw.undecided, raw.way);
    let findings = o
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| Finding {
            code: d.code.clone(),
            severity: d.severity,
            message: d.message.clone(),
        })
        .collect();
    (o.verdict, o.how, findings)
}

/// Compares every ordered pair that involves a touched port (in the new
/// fleet) or a removed one (in the old), before and after.
pub fn pair_changes(
    set: &RuleSet,
    (old, new): (&Version, &Version),
    changes: &[Change],
    adjust: &(dyn Fn(&SourceMap, &mut Vec<Diagnostic>) + Sync),
) -> Vec<PairChange> {
    let (mut touched, mut removed) = touched(changes, new.world);
    removed.extend(removed_vehicle_ports(changes, old.world));
    touched.retain(|p| !removed.contains(p));
    let old_sides = matrix::ports(old.world);
    let new_sides = matrix::ports(new.world);
    let index = |sides: &[Side<'_>]| -> std::collections::HashMap<String, usize> {
        sides
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name(), i))
            .collect()
    };
    let (old_index, new_index) = (index(&old_sides), index(&new_sides));
    // ports indexed by family: a pair across two known families that are
    // neither one nor undecided with each other fails MATE-SYSTEM before and
    // after, so only a touched port's own family (in either version), its
    // undecided partners and ports of no known family are compared with it
    let family = |s: &Side| {
        s.port
            .docking
            .as_ref()
            .and_then(|d| d.system.as_ref())
            .and_then(|x| set.family_of(&x.value))
    };
    let mut by_family: BTreeMap<Option<&str>, Vec<(usize, bool)>> = BTreeMap::new();
    for (i, s) in new_sides.iter().enumerate() {
        by_family
            .entry(family(s).map(|f| f.id.as_str()))
            .or_default()
            .push((i, true));
    }
    for (i, s) in old_sides.iter().enumerate() {
        by_family
            .entry(family(s).map(|f| f.id.as_str()))
            .or_default()
            .push((i, false));
    }
    let related = |f: Option<&str>| -> Vec<Option<&str>> {
        let Some(f) = f.and_then(|id| set.family(id)) else {
            // no known family: anything may be undecided with it
            return by_family.keys().copied().collect();
        };
        let mut out = vec![Some(f.id.as_str()), None];
        for g in &set.families {
            if set.undecided_between(f, g).is_some() {
                out.push(Some(g.id.as_str()));
            }
        }
        out
    };
    let mut wanted: BTreeSet<(String, String)> = BTreeSet::new();
    let name_of = |(i, in_new): (usize, bool)| {
        if in_new {
            new_sides[i].name()
        } else {
            old_sides[i].name()
        }
    };
    let vehicle_of = |(i, in_new): (usize, bool)| {
        if in_new {
            new_sides[i].vehicle.id.value.as_str()
        } else {
            old_sides[i].vehicle.id.value.as_str()
        }
    };
    for (sides, ix, names) in [
        (&new_sides, &new_index, &touched),
        (&old_sides, &old_index, &removed),
    ] {
        for n in names {
            let Some(&i) = ix.get(n) else { continue };
            let me = sides[i];
            // the touched port's families in both versions
            let mut fams = related(family(&me).map(|f| f.id.as_str()));
            if let Some(&j) = old_index.get(n) {
                fams.extend(related(family(&old_sides[j]).map(|f| f.id.as_str())));
            }
            fams.sort();
            fams.dedup();
            for f in fams {
                for &other in by_family.get(&f).map_or(&[][..], Vec::as_slice) {
                    if vehicle_of(other) == me.vehicle.id.value {
                        continue;
                    }
                    let o = name_of(other);
                    wanted.insert((n.clone(), o.clone()));
                    wanted.insert((o, n.clone()));
                }
            }
        }
    }
    let wanted: Vec<(String, String)> = wanted.into_iter().collect();
    let judged: Vec<(String, String, Option<Judged>, Option<Judged>)> = wanted
        .into_par_iter()
        .map(|(c, t)| {
            let old_side = |n: &str| old_index.get(n).map(|&i| old_sides[i]);
            let new_side = |n: &str| new_index.get(n).map(|&i| new_sides[i]);
            let before = match (old_side(&c), old_side(&t)) {
                (Some(a), Some(b)) => Some(judge(set, a, b, adjust, old.sources)),
                _ => None,
            };
            let after = match (new_side(&c), new_side(&t)) {
                (Some(a), Some(b)) => Some(judge(set, a, b, adjust, new.sources)),
                _ => None,
            };
            (c, t, before, after)
        })
        .collect();
    let mut out = Vec::new();
    for (c, t, before, after) in judged {
        if let Some(p) = classify(c, t, before, after) {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn classify(
    c: String,
    t: String,
    before: Option<Judged>,
    after: Option<Judged>,
) -> Option<PairChange> {
    let empty = BTreeSet::new();
    let (ov, oh, of) = match &before {
        Some((v, h, f)) => (Some(*v), *h, f),
        None => (None, None, &empty),
    };
    let (nv, nh, nf) = match &after {
        Some((v, h, f)) => (Some(*v), *h, f),
        None => (None, None, &empty),
    };
    let mates = |v: Option<Verdict>| v == Some(Verdict::Mates);
    let impact = if mates(ov) && !mates(nv) {
        Impact::Breaking
    } else if !mates(ov) && mates(nv) {
        Impact::Fixed
    } else if ov.is_none() || nv.is_none() {
        // a pair that appears or goes without ever mating: nothing lost
        return None;
    } else if ov != nv || oh != nh || of != nf {
        Impact::Changed
    } else {
        return None;
    };
    Some(PairChange {
        impact,
        chaser: c,
        target: t,
        old: ov,
        new: nv,
        old_how: oh,
        new_how: nh,
        added: nf.difference(of).cloned().collect(),
        removed: of.difference(nf).cloned().collect(),
        because: Vec::new(),
    })
}

/// The vehicle (by id) whose block holds `d`, in its file.
fn vehicle_at<'w>(world: &'w World, d: &Diagnostic) -> Option<&'w str> {
    let (_, model) = world.models.iter().find(|(f, _)| *f == d.file)?;
    model
        .vehicles
        .iter()
        .find(|v| v.span.start <= d.span.start && d.span.start <= v.span.end)
        .map(|v| v.id.value.as_str())
}

/// Conformance findings (errors and warnings of rules that are not pair
/// rules) that appeared or went, and declared matings whose verdict changed.
pub fn port_and_mating_changes(
    set: &RuleSet,
    (old, new): (&Version, &Version),
    changes: &[Change],
    adjust: &(dyn Fn(&SourceMap, &mut Vec<Diagnostic>) + Sync),
) -> (Vec<PortChange>, Vec<MatingChange>) {
    type Keyed = BTreeMap<(String, Finding), Loc>;
    // conformance can change only in a changed vehicle: check the files
    // that hold one, on both sides
    let changed: BTreeSet<&str> = changes.iter().map(|c| c.vehicle.as_str()).collect();
    type Declared = BTreeMap<String, (String, String, Verdict, Loc)>;
    let run = |ver: &Version| -> (Keyed, Declared) {
        let mut diags = Vec::new();
        let files: BTreeSet<FileId> = changed
            .iter()
            .filter_map(|v| ver.world.vehicles.get(v).map(|(f, _)| *f))
            .collect();
        for (file, model) in &ver.world.models {
            if files.contains(file) {
                check::conformance::check_model(set, None, *file, model, &mut diags);
            }
        }
        let matings = check::run_pairs(set, None, ver.world, &mut diags);
        adjust(ver.sources, &mut diags);
        let mut found = Keyed::new();
        for d in &diags {
            if d.severity == Severity::Info || d.code.starts_with("MATE-") {
                continue;
            }
            let Some(v) = vehicle_at(ver.world, d) else {
                continue;
            };
            let f = Finding {
                code: d.code.clone(),
                severity: d.severity,
                message: d.message.clone(),
            };
            found
                .entry((v.to_string(), f))
                .or_insert_with(|| loc(ver, d.file, (d.span.start, d.span.end)));
        }
        let mut m = BTreeMap::new();
        for x in matings {
            let mut ds = x.diagnostics;
            adjust(ver.sources, &mut ds);
            let o = pair::outcome(ds, x.undecided, x.way);
            let at = loc(ver, x.file, (x.span.start, x.span.end));
            m.insert(x.id, (x.chaser, x.target, o.verdict, at));
        }
        (found, m)
    };
    let (of, om) = run(old);
    let (nf, nm) = run(new);
    // a finding on one side only: an error that appears breaks, one that
    // goes is fixed, a warning either way is a change
    let mut ports = Vec::new();
    for (here, there, appeared) in [(&nf, &of, true), (&of, &nf, false)] {
        for ((v, f), at) in here {
            if there.contains_key(&(v.clone(), f.clone())) {
                continue;
            }
            let impact = match (f.severity == Severity::Error, appeared) {
                (true, true) => Impact::Breaking,
                (true, false) => Impact::Fixed,
                (false, _) => Impact::Changed,
            };
            ports.push(PortChange {
                impact,
                vehicle: v.clone(),
                finding: f.clone(),
                at: at.clone(),
                appeared,
                because: Vec::new(),
            });
        }
    }
    ports.sort();
    let mut matings = Vec::new();
    let ids: BTreeSet<&String> = om.keys().chain(nm.keys()).collect();
    for id in ids {
        let (o, n) = (om.get(id), nm.get(id));
        let (ov, nv) = (o.map(|x| x.2), n.map(|x| x.2));
        let mates = |v: Option<Verdict>| v == Some(Verdict::Mates);
        let impact = if mates(ov) && n.is_some() && !mates(nv) {
            Impact::Breaking
        } else if !mates(ov) && mates(nv) {
            Impact::Fixed
        } else if ov != nv && ov.is_some() && nv.is_some() {
            Impact::Changed
        } else {
            continue;
        };
        let Some((chaser, target, _, at)) = n.or(o).cloned() else {
            continue;
        };
        matings.push(MatingChange {
            impact,
            id: id.clone(),
            chaser,
            target,
            old: ov,
            new: nv,
            at,
            because: Vec::new(),
        });
    }
    matings.sort();
    (ports, matings)
}

/// The whole review of `old` against `new`.
pub fn review(
    set: &RuleSet,
    old: &Version,
    new: &Version,
    adjust: &(dyn Fn(&SourceMap, &mut Vec<Diagnostic>) + Sync),
) -> Review {
    let changes = model_changes(old, new);
    // the changes of a port (`v.p`) or of a whole vehicle (`v`)
    let touches = |port: &str| -> Vec<usize> {
        let (v, id) = port.split_once('.').unwrap_or((port, ""));
        changes
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.vehicle == v && (id.is_empty() || c.port.as_deref().is_none_or(|x| x == id))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let both = |a: &str, b: &str| {
        let mut v = touches(a);
        v.extend(touches(b));
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut pairs = pair_changes(set, (old, new), &changes, adjust);
    for p in &mut pairs {
        p.because = both(&p.chaser, &p.target);
    }
    let (mut ports, mut matings) = port_and_mating_changes(set, (old, new), &changes, adjust);
    for p in &mut ports {
        p.because = touches(&p.vehicle);
    }
    for m in &mut matings {
        m.because = both(&m.chaser, &m.target);
    }
    Review {
        changes,
        pairs,
        ports,
        matings,
    }
}
