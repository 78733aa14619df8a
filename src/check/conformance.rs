//! Conformance: applies every port rule of the loaded specs to every port it
//! applies to, and turns violations into diagnostics carrying the rule id.

use crate::diagnostic::{Diagnostic, FileId, Severity, closest, codes};
use crate::model::vocab::{self, Field, Lookup};
use crate::model::{Envelope, Model, Port, Quantity, Range, Vehicle};
use crate::spec::limit::Limit;
use crate::spec::{AppliesTo, Compiled, CompiledRule, IfMissing, RoleName, RuleSet};
use crate::syntax::Span;
use crate::units::{self, approx_eq, le};

/// Runs the port rules over one file's model.
pub fn check_model(
    rules: &RuleSet,
    only: Option<&str>,
    file: FileId,
    model: &Model,
    out: &mut Vec<Diagnostic>,
) {
    let mut plan = Plan::new(rules);
    for v in &model.vehicles {
        check_vehicle(&mut plan, only, file, v, out);
    }
}

/// [`check_model`] of one vehicle of `file`, with a [`Plan`] kept across
/// the vehicles of a run.
pub fn check_vehicle(
    plan: &mut Plan,
    only: Option<&str>,
    file: FileId,
    v: &Vehicle,
    out: &mut Vec<Diagnostic>,
) {
    let rules = plan.set;
    for p in &v.ports {
        if only.is_none() {
            unknown_system(rules, file, p, out);
        }
        let clean = p.invalid.is_empty() && v.invalid.is_empty();
        for &i in plan.port_rules(p) {
            let r = &rules.rules[i];
            if only.is_some_and(|id| id != r.rule.id) {
                continue;
            }
            // a value with a language error is present but invalid:
            // the rule cannot decide this port and says nothing
            if clean || !reads(&r.check).any(|path| p.is_invalid(v, &path)) {
                check_port(r, file, v, p, out);
            }
        }
    }
}

/// The port rules and the pair rules whose filter selects a port.
type Selected = (Vec<usize>, Vec<usize>);

/// Which rules select a port, decided once per distinct docking system and
/// role of a run rather than once per port and rule (a rule's filter reads
/// only those two).
pub struct Plan<'s> {
    set: &'s RuleSet,
    /// System names met so far → their row of `rows`; ports with no
    /// system use row 0.
    systems: std::collections::HashMap<Box<str>, usize, foldhash::fast::FixedState>,
    /// Per system, per role (none, active, passive, dual): the port rules
    /// and the pair rules (indices into `set.rules`) whose filter selects it.
    rows: Vec<[Option<Selected>; 4]>,
}

impl<'s> Plan<'s> {
    pub fn new(set: &'s RuleSet) -> Plan<'s> {
        Plan {
            set,
            systems: Default::default(),
            rows: vec![Default::default()],
        }
    }

    fn entry(&mut self, p: &Port) -> &Selected {
        let docking = p.docking.as_deref();
        let row = match docking.and_then(|d| d.system.as_ref()) {
            None => 0,
            Some(s) => match self.systems.get(s.value.as_str()) {
                Some(&row) => row,
                None => {
                    self.rows.push(Default::default());
                    let row = self.rows.len() - 1;
                    self.systems.insert(s.value.as_str().into(), row);
                    row
                }
            },
        };
        let role = match docking.and_then(|d| d.role.as_ref()).map(|r| r.value) {
            None => 0,
            Some(crate::model::Role::Active) => 1,
            Some(crate::model::Role::Passive) => 2,
            Some(crate::model::Role::Dual) => 3,
        };
        let set = self.set;
        self.rows[row][role].get_or_insert_with(|| {
            let selected = set
                .rules
                .iter()
                .enumerate()
                .filter(|(_, r)| applies(set, &r.rule.applies_to, p));
            let (pair, port): (Vec<_>, Vec<_>) =
                selected.partition(|(_, r)| matches!(r.check, Compiled::Pair { .. }));
            (
                port.into_iter().map(|(i, _)| i).collect(),
                pair.into_iter().map(|(i, _)| i).collect(),
            )
        })
    }

    /// The port rules (indices into the rule set's `rules`, in order) whose
    /// filter selects `p`.
    pub fn port_rules(&mut self, p: &Port) -> &[usize] {
        &self.entry(p).0
    }

    /// The pair rules whose filter selects `p`.
    pub fn pair_rules(&mut self, p: &Port) -> &[usize] {
        &self.entry(p).1
    }
}

/// `ICD-SYSTEM`: a docking system that no loaded family names would pass
/// every rule silently (no rule applies to it), so it is said aloud.
fn unknown_system(rules: &RuleSet, file: FileId, p: &Port, out: &mut Vec<Diagnostic>) {
    let Some(sys) = p.docking.as_ref().and_then(|d| d.system.as_ref()) else {
        return;
    };
    if rules.family_of(&sys.value).is_some() {
        return;
    }
    out.push(unknown_system_diagnostic(rules, file, sys.span, &sys.value));
}

/// "did you mean `IDSS`? " for a system no loaded family names, or nothing.
pub fn system_suggestion(rules: &RuleSet, system: &str) -> String {
    let known = rules
        .families
        .iter()
        .flat_map(|f| f.systems.iter().map(String::as_str));
    closest(system.trim(), known).map_or(String::new(), |c| format!("did you mean `{c}`? "))
}

/// The help for a system no loaded family names: the systems that are known.
pub fn system_help(rules: &RuleSet) -> String {
    let known: Vec<String> = rules
        .families
        .iter()
        .flat_map(|f| f.systems.iter().map(|s| format!("`{s}`")))
        .collect();
    if known.is_empty() {
        return "no loaded spec declares a family of docking systems; load one that does (the built-in specs do, see docs/specs.md)".into();
    }
    format!(
        "the loaded families name {}; correct the name, or add the system to a family in a spec (docs/specs.md)",
        known.join(", ")
    )
}

fn unknown_system_diagnostic(
    rules: &RuleSet,
    file: FileId,
    span: Span,
    system: &str,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        codes::SYSTEM,
        Severity::Warning,
        file,
        span,
        format!(
            "docking system `{system}` is not in any loaded family; {}No conformance or mate rule can decide this port",
            system_suggestion(rules, system)
        ),
    )
    .with_label("in no loaded family");
    d.help = Some(system_help(rules));
    d
}

/// Whether a rule's filter selects this port.
pub fn applies(rules: &RuleSet, a: &AppliesTo, p: &Port) -> bool {
    let system = p
        .docking
        .as_ref()
        .and_then(|d| d.system.as_ref())
        .map(|s| s.value.as_str());
    if !a.families.is_empty() || !a.systems.is_empty() {
        let Some(system) = system else { return false };
        let in_family = a
            .families
            .iter()
            .filter_map(|f| rules.family(f))
            .any(|f| f.systems.iter().any(|s| s == system));
        let listed = a.systems.iter().any(|s| s == system);
        if !(in_family || listed) {
            return false;
        }
    }
    if !a.roles.is_empty() {
        let Some(role) = p.docking.as_ref().and_then(|d| d.role.as_ref()) else {
            return false;
        };
        let want = match role.value {
            crate::model::Role::Active => RoleName::Active,
            crate::model::Role::Passive => RoleName::Passive,
            crate::model::Role::Dual => RoleName::Dual,
        };
        if !a.roles.contains(&want) {
            return false;
        }
    }
    true
}

/// The paths a port rule reads (an envelope rule reads each of its keys).
fn reads(c: &Compiled) -> Box<dyn Iterator<Item = String> + '_> {
    match c {
        Compiled::Required(paths) => Box::new(paths.iter().cloned()),
        Compiled::AtLeast { path, .. }
        | Compiled::AtMost { path, .. }
        | Compiled::Equals { path, .. }
        | Compiled::OneOf { path, .. }
        | Compiled::Within { path, .. } => Box::new(std::iter::once(path.clone())),
        Compiled::Covers { path, items, .. } => Box::new(
            std::iter::once(path.clone())
                .chain(items.iter().map(move |(k, _)| format!("{path}.{k}"))),
        ),
        Compiled::Pair { .. } => Box::new(std::iter::empty()),
    }
}

/// The last segment of a path, for messages (`docking.passageway` → `passageway`).
fn attr(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// Shows a spec limit, and its value in the user's unit when that differs.
pub fn limit_in(limit: &Quantity, text: &str, user_unit: &str) -> String {
    if user_unit.is_empty() || user_unit == &*limit.unit {
        return text.to_string();
    }
    match units::parse_unit_text(user_unit).and_then(|f| units::resolve(&f).ok()) {
        Some(u) if u.dim == limit.dimension && u.factor != 0.0 => {
            let n = (limit.si - u.offset) / u.factor;
            format!("{text} ({} {user_unit})", round_sig(n))
        }
        _ => text.to_string(),
    }
}

/// A number to at most 4 decimals, without trailing zeros.
pub fn round_sig(n: f64) -> String {
    let s = format!("{n:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

struct Finding {
    span: Span,
    path: String,
    attr: String,
    value: String,
    limit: String,
    severity: Severity,
    missing: bool,
    /// A sentence added to the message (a likely rounding).
    note: Option<String>,
}

impl Finding {
    /// A value that breaks the rule, at the rule's severity.
    fn violation(r: &CompiledRule, span: Span, attr: &str, value: String, limit: String) -> Self {
        Finding {
            span,
            path: String::new(),
            attr: attr.to_string(),
            value,
            limit,
            severity: r.severity,
            missing: false,
            note: None,
        }
    }

    /// A value that is not declared, at `level` (nothing when `None`).
    fn absent(level: Option<Severity>, span: Span, path: &str) -> Option<Self> {
        Some(Finding {
            span,
            path: String::new(),
            attr: attr(path).to_string(),
            value: String::new(),
            limit: String::new(),
            severity: level?,
            missing: true,
            note: None,
        })
    }
}

fn check_port(r: &CompiledRule, file: FileId, v: &Vehicle, p: &Port, out: &mut Vec<Diagnostic>) {
    for mut f in findings(r, v, p) {
        f.path = full_path(&r.check, &f.attr);
        out.push(diagnostic(r, file, v, p, &f));
    }
}

/// The level of a finding for an absent value (the rule's `if_missing`),
/// never above the rule's own severity (a rule lowered to info stays info).
fn missing_level(r: &CompiledRule) -> Option<Severity> {
    match r.rule.check.if_missing {
        IfMissing::Skip => None,
        IfMissing::Info => Some(Severity::Info),
        IfMissing::Warning => Some(Severity::Warning),
    }
    .map(|l| {
        if r.severity.rank() < l.rank() {
            r.severity
        } else {
            l
        }
    })
}

/// What a port rule finds on one port: one function per check kind.
fn findings(r: &CompiledRule, v: &Vehicle, p: &Port) -> Vec<Finding> {
    let level = missing_level(r);
    match &r.check {
        Compiled::Required(paths) => paths
            .iter()
            .filter_map(|path| match vocab::lookup(v, p, path) {
                Lookup::Missing(span) => Finding::absent(Some(r.severity), span, path),
                _ => None,
            })
            .collect(),
        Compiled::AtLeast { path, limit, text }
        | Compiled::AtMost { path, limit, text }
        | Compiled::Equals { path, limit, text } => {
            compare(r, level, vocab::lookup(v, p, path), path, limit, text)
                .into_iter()
                .collect()
        }
        Compiled::OneOf { path, values } => {
            one_of(r, level, vocab::lookup(v, p, path), path, values)
                .into_iter()
                .collect()
        }
        Compiled::Within { path, range } => {
            within(r, level, vocab::lookup(v, p, path), path, range)
                .into_iter()
                .collect()
        }
        Compiled::Covers {
            path,
            items,
            inside,
        } => match vocab::lookup(v, p, path) {
            Lookup::Found(Field::Envelope(e)) => items
                .iter()
                .filter_map(|(key, limit)| envelope_item(r, level, (e, path, key), limit, *inside))
                .collect(),
            Lookup::Missing(span) => Finding::absent(level, span, path).into_iter().collect(),
            _ => Vec::new(),
        },
        Compiled::Pair { .. } => Vec::new(),
    }
}

/// `at_least`, `at_most`, `equals`.
fn compare(
    r: &CompiledRule,
    level: Option<Severity>,
    found: Lookup,
    path: &str,
    limit: &Quantity,
    text: &str,
) -> Option<Finding> {
    match found {
        Lookup::Found(Field::Quantity(q)) => {
            let ok = match &r.check {
                Compiled::AtLeast { .. } => le(limit.si, q.value.si),
                Compiled::AtMost { .. } => le(q.value.si, limit.si),
                _ => approx_eq(q.value.si, limit.si),
            };
            (!ok).then(|| {
                let note = rounding(&q.value, limit, text);
                let limit = limit_in(limit, text, &q.value.unit);
                let mut f = Finding::violation(r, q.span, attr(path), q.value.to_string(), limit);
                f.note = note;
                f
            })
        }
        Lookup::Missing(span) => Finding::absent(level, span, path),
        _ => None,
    }
}

/// Imperial units, in which sources round metric figures (domain.md fact
/// 23: "0.8 m (31 in)" is quoted for the 800 mm IDSS passage).
const IMPERIAL: &[&str] = &["in", "ft"];

/// For a value written in inches or feet within 2 % of a metric limit it
/// misses: "31 in is 787 mm; if this is a rounding of 800 mm, write `800 mm`".
fn rounding(value: &Quantity, limit: &Quantity, text: &str) -> Option<String> {
    if !IMPERIAL.contains(&&*value.unit) || IMPERIAL.contains(&&*limit.unit) {
        return None;
    }
    if limit.si == 0.0 || ((value.si - limit.si) / limit.si).abs() > 0.02 {
        return None;
    }
    let u = units::parse_unit_text(&limit.unit).and_then(|f| units::resolve(&f).ok())?;
    if u.factor == 0.0 {
        return None;
    }
    let n = (value.si - u.offset) / u.factor;
    let n = if limit.number.fract() == 0.0 {
        format!("{}", n.round())
    } else {
        round_sig(n)
    };
    Some(format!(
        "{value} is {n} {}; if this is a rounding of {text}, write `{text}`",
        limit.unit
    ))
}

fn one_of(
    r: &CompiledRule,
    level: Option<Severity>,
    found: Lookup,
    path: &str,
    values: &[String],
) -> Option<Finding> {
    match found {
        Lookup::Found(Field::Str(s, span)) if !values.iter().any(|x| x == s) => {
            let list: Vec<String> = values.iter().map(|x| format!("`{x}`")).collect();
            Some(Finding::violation(
                r,
                span,
                attr(path),
                s.to_string(),
                list.join(", "),
            ))
        }
        Lookup::Missing(span) => Finding::absent(level, span, path),
        _ => None,
    }
}

fn within(
    r: &CompiledRule,
    level: Option<Severity>,
    found: Lookup,
    path: &str,
    range: &Range,
) -> Option<Finding> {
    let (span, value) = match found {
        Lookup::Found(Field::Quantity(q)) if !range.contains(&q.value) => {
            (q.span, q.value.to_string())
        }
        Lookup::Found(Field::Range(x)) if !x.value.within(range) => (x.span, x.value.to_string()),
        Lookup::Missing(span) => return Finding::absent(level, span, path),
        _ => return None,
    };
    Some(Finding::violation(
        r,
        span,
        attr(path),
        value,
        range.text.to_string(),
    ))
}

/// One key of a `covers` envelope.
/// One key of a `covers` check (the envelope's value covers `limit`) or,
/// when `inside`, of an `inside` check (it lies inside `limit`).
fn envelope_item(
    r: &CompiledRule,
    level: Option<Severity>,
    (e, path, key): (&Envelope, &str, &str),
    limit: &Limit,
    inside: bool,
) -> Option<Finding> {
    match (vocab::envelope_key(e, attr(path), key), limit) {
        (Lookup::Found(Field::Range(x)), Limit::Range(req)) => {
            let ok = if inside {
                x.value.within(req)
            } else {
                req.within(&x.value)
            };
            (!ok).then(|| {
                Finding::violation(r, x.span, key, x.value.to_string(), req.text.to_string())
            })
        }
        (Lookup::Found(Field::Quantity(q)), Limit::Quantity(req)) => {
            let ok = if inside {
                le(q.value.si, req.si)
            } else {
                le(req.si, q.value.si)
            };
            (!ok).then(|| {
                let shown = limit_in(req, &quantity_text(req), &q.value.unit);
                let limit = if inside {
                    shown
                } else {
                    format!("up to {shown}")
                };
                Finding::violation(r, q.span, key, q.value.to_string(), limit)
            })
        }
        (Lookup::Missing(span), _) => Finding::absent(level, span, key),
        _ => None,
    }
}

/// A finding as a diagnostic: the spec's message (or the default one), the
/// label, help and reference.
fn diagnostic(r: &CompiledRule, file: FileId, v: &Vehicle, p: &Port, f: &Finding) -> Diagnostic {
    let message = if f.missing {
        let block = match &r.check {
            Compiled::Covers { path, .. } if f.attr != "capture" && f.attr != "approach" => {
                format!(
                    "the `{}` envelope of port `{}.{}`",
                    attr(path),
                    v.id.value,
                    p.id.value
                )
            }
            _ => format!("port `{}.{}`", v.id.value, p.id.value),
        };
        match (&r.check, &r.rule.message) {
            (Compiled::Required(_), Some(m)) => fill(m, f),
            _ => format!(
                "{block} declares no `{}` ({})",
                f.attr,
                r.rule.summary.trim_end_matches('.')
            ),
        }
    } else {
        let m = match &r.rule.message {
            Some(m) => fill(m, f),
            None => default_message(&r.check, f),
        };
        match &f.note {
            Some(n) => format!("{m}; {n}"),
            None => m,
        }
    };
    let label = if f.missing {
        format!("no `{}` here", f.attr)
    } else {
        format!("{} {}", f.attr, f.value)
    };
    let mut d = Diagnostic::new(&r.rule.id, f.severity, file, f.span, message).with_label(label);
    d.help = r.rule.help.clone().or_else(|| Some(r.rule.summary.clone()));
    d.reference = Some(reference(r));
    d
}

fn quantity_text(q: &Quantity) -> String {
    q.to_string()
}

/// The full path of a finding's attribute, for `{path}` in messages.
fn full_path(c: &Compiled, attr: &str) -> String {
    match c {
        Compiled::Required(ps) => ps
            .iter()
            .find(|p| p.rsplit('.').next() == Some(attr))
            .cloned()
            .unwrap_or_else(|| attr.to_string()),
        Compiled::AtLeast { path, .. }
        | Compiled::AtMost { path, .. }
        | Compiled::Equals { path, .. }
        | Compiled::OneOf { path, .. }
        | Compiled::Within { path, .. } => path.clone(),
        Compiled::Covers { path, .. } if path.rsplit('.').next() == Some(attr) => path.clone(),
        Compiled::Covers { path, .. } => format!("{path}.{attr}"),
        Compiled::Pair { .. } => attr.to_string(),
    }
}

fn fill(template: &str, f: &Finding) -> String {
    template
        .replace("{attr}", &f.attr)
        .replace("{path}", &f.path)
        .replace("{value}", &f.value)
        .replace("{limit}", &f.limit)
}

fn default_message(c: &Compiled, f: &Finding) -> String {
    let (a, v, l) = (&f.attr, &f.value, &f.limit);
    match c {
        Compiled::AtLeast { .. } => format!("{a} {v} is below the minimum {l}"),
        Compiled::AtMost { .. } => format!("{a} {v} is above the maximum {l}"),
        Compiled::Equals { .. } => format!("{a} {v} differs from the required {l}"),
        Compiled::OneOf { .. } => format!("{a} `{v}` is not one of {l}"),
        Compiled::Within { .. } => format!("{a} {v} lies outside {l}"),
        Compiled::Covers { inside: true, .. } => format!("{a} {v} exceeds {l}"),
        Compiled::Covers { .. } => format!("{a} {v} does not cover {l}"),
        _ => format!("{a} {v}"),
    }
}

/// "IDSS IDD Rev E, Table 3.3.1.1-2 \[secondary\]"
pub fn reference(r: &CompiledRule) -> String {
    format!("{} [{}]", r.rule.reference, r.rule.provenance.as_str())
}
