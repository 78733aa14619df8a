//! Mate checks: two ports, a chaser and a target, compared rule by rule
//! (roles, systems, capture envelope, mass, power, data, comms, passageway).
//! Which systems form a family is data from the specs; the verdict is
//! `fails` if any error-level pair rule fails, else `undecided` if a system
//! is unknown to every loaded spec, else `mates`.

use super::conformance::{applies, limit_in, reference};
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::model::vocab::{self, Field, Lookup};
use crate::model::{Bus, Direction, Envelope, Link, Port, Quantity, Range, Role, Spanned, Vehicle};
use crate::spec::{Compiled, CompiledRule, FamilyKind, PairCheck, RuleSet};
use crate::syntax::Span;
use crate::units::{approx_eq, le};
use serde::Serialize;

/// The outcome of a mate check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Mates,
    Fails,
    Undecided,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Mates => "mates",
            Verdict::Fails => "fails",
            Verdict::Undecided => "undecided",
        }
    }
    pub fn symbol(self) -> &'static str {
        match self {
            Verdict::Mates => "✓",
            Verdict::Fails => "✗",
            Verdict::Undecided => "?",
        }
    }
}

/// One side of a pair.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    pub file: FileId,
    pub vehicle: &'a Vehicle,
    pub port: &'a Port,
}

impl Side<'_> {
    pub fn name(&self) -> String {
        format!("{}.{}", self.vehicle.id.value, self.port.id.value)
    }
    fn role(&self) -> Option<&Spanned<Role>> {
        self.port.docking.as_ref()?.role.as_ref()
    }
    fn system(&self) -> Option<&Spanned<String>> {
        self.port.docking.as_ref()?.system.as_ref()
    }
    /// The port header, for labels when a value is absent.
    fn header(&self) -> Span {
        Span::new(
            self.port.span.start,
            self.port.id.span.end.max(self.port.span.start),
        )
    }
    fn role_or_header(&self) -> Span {
        self.role().map_or(self.header(), |r| r.span)
    }
}

/// The result of comparing two ports.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub verdict: Verdict,
    pub diagnostics: Vec<Diagnostic>,
    /// Ids of the rules that failed (and `MATE-UNDECIDED` when undecided), sorted.
    pub codes: Vec<String>,
    /// Whether no loaded spec decides the pair.
    pub undecided: bool,
    /// The pair rules that compared nothing for this pair, and why, sorted
    /// by rule id. Filled by [`mate`]; a pair "mates" only on the checks
    /// that were made.
    pub skipped: Vec<Skip>,
}

/// A pair rule that compared nothing for one pair, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skip {
    pub rule: String,
    pub reason: String,
}

/// Where a mating was declared, for a label on the mating block.
#[derive(Clone, Copy, Debug)]
pub struct Declared<'a> {
    pub file: FileId,
    pub span: Span,
    pub id: &'a str,
}

struct Ctx<'a, 'r> {
    rule: &'r CompiledRule,
    chaser: Side<'a>,
    target: Side<'a>,
    out: Vec<Diagnostic>,
    /// Why this rule compared nothing, when it said so in an info finding.
    skips: Vec<String>,
}

impl Ctx<'_, '_> {
    /// A finding with its primary label in `file` and related labels.
    #[allow(clippy::too_many_arguments)]
    fn finding(
        &mut self,
        severity: Severity,
        file: FileId,
        span: Span,
        label: String,
        message: String,
        related: Vec<(FileId, Span, String)>,
        help: Option<String>,
    ) {
        let mut d =
            Diagnostic::new(&self.rule.rule.id, severity, file, span, message).with_label(label);
        for (f, s, m) in related {
            d = d.with_related(f, s, m);
        }
        // the spec's help, when it has one, is the rule's one place for it
        d.help = self
            .rule
            .rule
            .help
            .clone()
            .or(help)
            .or_else(|| Some(self.rule.rule.summary.clone()));
        d.reference = Some(reference(self.rule));
        self.out.push(d);
    }

    fn fail(
        &mut self,
        file: FileId,
        span: Span,
        label: String,
        message: String,
        related: Vec<(FileId, Span, String)>,
        help: Option<String>,
    ) {
        let sev = self.rule.severity;
        self.finding(sev, file, span, label, message, related, help);
    }

    /// A finding between a value on each side; the primary label goes on the
    /// chaser's value and the related one on the target's.
    fn fail_between(
        &mut self,
        a: (Side, Span, String),
        b: (Side, Span, String),
        message: String,
        help: &str,
    ) {
        let is_chaser =
            |s: &Side| s.port.span == self.chaser.port.span && s.file == self.chaser.file;
        let (p, r) = if is_chaser(&a.0) { (a, b) } else { (b, a) };
        self.fail(
            p.0.file,
            p.1,
            p.2,
            message,
            vec![(r.0.file, r.1, r.2)],
            Some(help.into()),
        );
    }

    /// Says at info level that a check was skipped for lack of data.
    fn skipped(&mut self, why: String) {
        let (c, t) = (self.chaser, self.target);
        let msg = format!(
            "{} skipped for {} → {}: {why}",
            self.rule.rule.id,
            c.name(),
            t.name()
        );
        self.skips.push(why);
        let d = Diagnostic::new(&self.rule.rule.id, Severity::Info, c.file, c.header(), msg)
            .with_label("not compared")
            .with_related(t.file, t.header(), "partner port");
        self.out.push(d);
    }
}

/// The capturing side: the active one (active beats dual); for dual+dual
/// the chaser. `None` when neither can capture (passive+passive) or both are
/// active-only.
pub fn capturer<'a>(chaser: Side<'a>, target: Side<'a>) -> Option<(Side<'a>, Side<'a>)> {
    let (c, t) = (chaser.role()?.value, target.role()?.value);
    match (c, t) {
        (Role::Active, Role::Passive)
        | (Role::Active, Role::Dual)
        | (Role::Dual, Role::Passive)
        | (Role::Dual, Role::Dual) => Some((chaser, target)),
        (Role::Passive, Role::Active)
        | (Role::Dual, Role::Active)
        | (Role::Passive, Role::Dual) => Some((target, chaser)),
        _ => None,
    }
}

fn pretty_q(q: &Quantity) -> String {
    q.to_string()
}

/// Runs the pair rules of `set` (or only `only`) on one pair.
pub fn mate(
    set: &RuleSet,
    only: Option<&str>,
    chaser: Side<'_>,
    target: Side<'_>,
    declared: Option<Declared<'_>>,
) -> Outcome {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    let mut pair_rules = 0;
    for r in &set.rules {
        let Compiled::Pair { check, tolerance } = &r.check else {
            continue;
        };
        pair_rules += 1;
        if only.is_some_and(|id| id != r.rule.id) {
            continue;
        }
        let filter = &r.rule.applies_to;
        if !(applies(set, filter, chaser.port) && applies(set, filter, target.port)) {
            continue;
        }
        // a value with a language error is present but invalid: the rule
        // cannot compare this pair and says nothing
        let broken = reads(*check).iter().any(|path| {
            [chaser, target]
                .iter()
                .any(|s| s.port.has_invalid_under(s.vehicle, path))
        });
        if broken {
            continue;
        }
        let mut ctx = Ctx {
            rule: r,
            chaser,
            target,
            out: Vec::new(),
            skips: Vec::new(),
        };
        run_check(set, &mut ctx, *check, *tolerance);
        if ctx.skips.is_empty()
            && ctx.out.is_empty()
            && let Some(why) = not_compared(set, *check, chaser, target)
        {
            ctx.skips.push(why);
        }
        skipped.extend(ctx.skips.into_iter().map(|reason| Skip {
            rule: r.rule.id.clone(),
            reason,
        }));
        out.extend(ctx.out);
    }
    skipped.sort();
    skipped.dedup();
    // with no pair rule loaded, nothing decides the pair
    let undecided = pair_rules == 0 || is_undecided(set, chaser, target);
    if let Some(d) = declared {
        for diag in &mut out {
            if diag.severity != Severity::Info {
                diag.labels.push(crate::diagnostic::Label {
                    file: d.file,
                    span: d.span,
                    message: format!("in mating `{}`", d.id),
                });
            }
        }
    }
    Outcome {
        skipped,
        ..outcome(out, undecided)
    }
}

/// The verdict of a pair from its findings (after any configuration has
/// changed their severities): `fails` if any error-level finding other than
/// MATE-UNDECIDED, else `undecided` when a system is unknown, else `mates`.
pub fn outcome(diagnostics: Vec<Diagnostic>, undecided: bool) -> Outcome {
    let mut codes: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code != "MATE-UNDECIDED")
        .map(|d| d.code.clone())
        .collect();
    let verdict = if !codes.is_empty() {
        Verdict::Fails
    } else if undecided {
        codes.push("MATE-UNDECIDED".into());
        Verdict::Undecided
    } else {
        Verdict::Mates
    };
    codes.sort();
    codes.dedup();
    Outcome {
        verdict,
        diagnostics,
        codes,
        undecided,
        skipped: Vec::new(),
    }
}

/// Why a pair rule that reported nothing compared nothing, for the cases
/// where it stays silent (no info finding): the data it needs is absent on
/// both sides, or the pair is not a docking it judges. `None` when the rule
/// made its comparison and passed.
fn not_compared(set: &RuleSet, check: PairCheck, c: Side<'_>, t: Side<'_>) -> Option<String> {
    let lacks = |what: &str, has: &dyn Fn(&Port) -> bool| -> Option<String> {
        match (has(c.port), has(t.port)) {
            (true, true) => None,
            (false, false) => Some(format!("neither port declares a `{what}` block")),
            (false, true) => Some(format!("{} declares no `{what}` block", c.name())),
            (true, false) => Some(format!("{} declares no `{what}` block", t.name())),
        }
    };
    let docking = || lacks("docking", &|p| p.docking.is_some());
    let unknown_system = || {
        [c, t].into_iter().find_map(|s| match s.system() {
            None => Some(format!("{} declares no docking system", s.name())),
            Some(x) if set.family_of(&x.value).is_none() => {
                Some(format!("`{}` is in no loaded family", x.value))
            }
            Some(_) => None,
        })
    };
    let berthing = || {
        [c, t].into_iter().find_map(|s| {
            let x = s.system()?;
            (set.family_of(&x.value)?.kind == FamilyKind::Berthing)
                .then(|| format!("`{}` is berthing: nothing is captured", x.value))
        })
    };
    let power = || lacks("power", &|p| p.power.is_some());
    match check {
        PairCheck::Undecided => None,
        PairCheck::Role => docking(),
        PairCheck::System => docking().or_else(unknown_system),
        PairCheck::Capture | PairCheck::Mass => docking().or_else(berthing).or_else(|| {
            capturer(c, t)
                .is_none()
                .then(|| "no side can capture (see MATE-ROLE)".to_string())
        }),
        PairCheck::Voltage | PairCheck::Current => power(),
        PairCheck::Connector => power().or_else(|| {
            match power_roles(c, t) {
                None => return Some("a power `direction` is not declared".into()),
                Some(p) if p.is_empty() => {
                    return Some(
                        "both sides supply, or both receive: no power is transferred".into(),
                    );
                }
                Some(_) => {}
            }
            let has = |s: Side| s.port.power.as_ref().is_some_and(|p| p.connector.is_some());
            [c, t]
                .into_iter()
                .find(|s| !has(*s))
                .map(|s| format!("{} declares no `connector`", s.name()))
        }),
        PairCheck::Data => lacks("data", &|p| p.data.is_some()),
        PairCheck::Comms => lacks("comms", &|p| p.comms.is_some()),
        PairCheck::Passage => {
            let has = |s: Side| {
                s.port
                    .docking
                    .as_ref()
                    .is_some_and(|d| d.passageway.is_some())
            };
            [c, t]
                .into_iter()
                .find(|s| !has(*s))
                .map(|s| format!("{} declares no `passageway`", s.name()))
        }
    }
}

/// A system no loaded spec lists (or a port with no docking system).
pub fn is_undecided(set: &RuleSet, chaser: Side<'_>, target: Side<'_>) -> bool {
    [chaser, target].iter().any(|s| {
        s.system()
            .is_none_or(|sys| set.family_of(&sys.value).is_none())
    })
}

/// What a pair check reads on each side (paths or prefixes of paths).
fn reads(check: PairCheck) -> &'static [&'static str] {
    match check {
        PairCheck::Role => &["docking.role"],
        PairCheck::System => &["docking.system", "docking.role"],
        PairCheck::Undecided => &["docking.system"],
        PairCheck::Capture => &[
            "docking.role",
            "docking.system",
            "docking.capture",
            "docking.approach",
        ],
        PairCheck::Mass => &[
            "docking.role",
            "docking.system",
            "docking.capture.partner_mass",
            "vehicle.mass",
        ],
        PairCheck::Voltage => &["power.direction", "power.voltage"],
        PairCheck::Current => &["power.direction", "power.current"],
        PairCheck::Connector => &["power.direction", "power.connector"],
        PairCheck::Data => &["data"],
        PairCheck::Comms => &["comms"],
        PairCheck::Passage => &["docking.passageway"],
    }
}

fn run_check(set: &RuleSet, ctx: &mut Ctx, check: PairCheck, tolerance: Option<f64>) {
    let (c, t) = (ctx.chaser, ctx.target);
    let both_docking = c.port.docking.is_some() && t.port.docking.is_some();
    let berthing = [c, t].iter().any(|s| {
        s.system()
            .and_then(|x| set.family_of(&x.value))
            .is_some_and(|f| f.kind == FamilyKind::Berthing)
    });
    match check {
        PairCheck::Role => {
            let (Some(cr), Some(tr)) = (c.role(), t.role()) else {
                if both_docking {
                    ctx.skipped("a docking role is not declared".into());
                }
                return;
            };
            let bad = matches!(
                (cr.value, tr.value),
                (Role::Active, Role::Active) | (Role::Passive, Role::Passive)
            );
            if bad {
                let what = cr.value.as_str();
                ctx.fail(
                    c.file,
                    cr.span,
                    format!("chaser is {what}"),
                    format!("{} and {} are both {what}-only: one side must be active and the other passive (or dual)", c.name(), t.name()),
                    vec![(t.file, tr.span, format!("target is {}", tr.value.as_str()))],
                    Some(if what == "active" {
                        "two active-only ports cannot dock; one of them must be passive or dual".into()
                    } else {
                        "two passive-only ports cannot dock; one of them must be active or dual".into()
                    }),
                );
            }
        }
        PairCheck::System => {
            let (Some(cs), Some(ts)) = (c.system(), t.system()) else {
                return;
            };
            let (Some(cf), Some(tf)) = (set.family_of(&cs.value), set.family_of(&ts.value)) else {
                return;
            };
            let related = vec![(
                t.file,
                ts.span,
                format!("target system `{}` ({})", ts.value, tf.name),
            )];
            if cf.id != tf.id {
                ctx.fail(
                    c.file,
                    cs.span,
                    format!("chaser system `{}`", cs.value),
                    format!(
                        "`{}` ({}) and `{}` ({}) are not in one compatible family",
                        cs.value, cf.name, ts.value, tf.name
                    ),
                    related,
                    Some(
                        "partners need docking systems of one family, or a declared adapter port"
                            .into(),
                    ),
                );
            } else if cf.kind == FamilyKind::Berthing {
                ctx.fail(
                    c.file,
                    cs.span,
                    format!("`{}` is a berthing mechanism", cs.value),
                    format!("`{}` is berthing, not docking: {} and {} do not dock", cs.value, c.name(), t.name()),
                    related,
                    Some("berthed modules are placed by a robot arm; check them as berthing, not as a docking".into()),
                );
            } else if cf.kind == FamilyKind::Gendered {
                let probe_on_chaser = c.role().is_some_and(|r| r.value == Role::Active)
                    && t.role().is_some_and(|r| r.value == Role::Passive);
                if !probe_on_chaser {
                    ctx.fail(
                        c.file,
                        c.role_or_header(),
                        format!("chaser is {}", c.role().map_or("undeclared", |r| r.value.as_str())),
                        format!("`{}` is probe and drogue: the chaser must carry the probe (active) and the target the drogue (passive)", cs.value),
                        vec![(t.file, t.role_or_header(), format!("target is {}", t.role().map_or("undeclared", |r| r.value.as_str())))],
                        Some("a probe-drogue docking needs an active chaser and a passive target".into()),
                    );
                }
            }
        }
        PairCheck::Undecided => {
            // the first side whose system no spec decides (the chaser first)
            let unknown = [c, t]
                .into_iter()
                .find(|s| s.system().is_none_or(|x| set.family_of(&x.value).is_none()));
            let Some(u) = unknown else { return };
            let place = |s: Side| s.system().map_or(s.header(), |x| x.span);
            let what = |s: Side| match s.system() {
                Some(x) if set.family_of(&x.value).is_none() => {
                    format!("`{}` is in no loaded spec", x.value)
                }
                Some(x) => format!("system `{}`", x.value),
                None => format!("{} declares no docking system", s.name()),
            };
            let other = if u.port.span == c.port.span && u.file == c.file {
                t.name()
            } else {
                c.name()
            };
            let message = match u.system() {
                Some(x) => format!(
                    "no loaded spec decides whether {} (`{}`) mates with {other}: docking system `{}` is not in any loaded family; {}verdict undecided",
                    u.name(),
                    x.value,
                    x.value,
                    super::conformance::system_suggestion(set, &x.value),
                ),
                None => format!("{} declares no docking system: verdict undecided", u.name()),
            };
            let help = match u.system() {
                Some(_) => super::conformance::system_help(set),
                None => "add a `docking` block with `system` and `role`".into(),
            };
            ctx.fail(
                c.file,
                place(c),
                format!("chaser: {}", what(c)),
                message,
                vec![(t.file, place(t), format!("target: {}", what(t)))],
                Some(help),
            );
            // the rule's reference is about systems whose compatibility is
            // unresolved; a name no family lists is not that case
            if let Some(d) = ctx.out.last_mut() {
                d.reference = None;
            }
        }
        PairCheck::Capture => {
            if berthing || !both_docking {
                return;
            }
            let Some((cap, _captured)) = capturer(c, t) else {
                return;
            };
            let capture = cap.port.docking.as_ref().and_then(|d| d.capture.as_ref());
            let approach = c.port.docking.as_ref().and_then(|d| d.approach.as_ref());
            let (Some(capture), Some(approach)) = (capture, approach) else {
                let why = match (capture, approach) {
                    (None, _) => format!(
                        "the capturing side {} declares no `capture` envelope",
                        cap.name()
                    ),
                    _ => format!("the chaser {} declares no `approach` envelope", c.name()),
                };
                ctx.skipped(why);
                return;
            };
            compare_envelopes(ctx, cap, approach, capture);
        }
        PairCheck::Mass => {
            if berthing || !both_docking {
                return;
            }
            let Some((cap, captured)) = capturer(c, t) else {
                return;
            };
            let pm = cap
                .port
                .docking
                .as_ref()
                .and_then(|d| d.capture.as_ref())
                .and_then(|e| e.partner_mass.as_ref());
            let (Some(pm), Some(mass)) = (pm, captured.vehicle.mass.as_ref()) else {
                ctx.skipped(match pm {
                    None => format!(
                        "the capturing side {} declares no `partner_mass`",
                        cap.name()
                    ),
                    Some(_) => format!(
                        "the captured vehicle `{}` declares no `mass`",
                        captured.vehicle.id.value
                    ),
                });
                return;
            };
            if !mass.value.within(&pm.value) {
                let mass_side = (
                    captured.file,
                    mass.span,
                    format!("{} has mass {}", captured.vehicle.id.value, mass.value),
                );
                let pm_side = (
                    cap.file,
                    pm.span,
                    format!("{} captures {}", cap.name(), pm.value),
                );
                let (primary, related) =
                    if captured.port.span == c.port.span && captured.file == c.file {
                        (mass_side, pm_side)
                    } else {
                        (pm_side, mass_side)
                    };
                ctx.fail(
                    primary.0,
                    primary.1,
                    primary.2,
                    format!("`{}` ({}) lies outside the partner mass {} that {} can capture", captured.vehicle.id.value, mass.value, pm.value, cap.name()),
                    vec![related],
                    Some("the captured vehicle's mass must lie inside the capturing side's `partner_mass`".into()),
                );
            }
        }
        PairCheck::Voltage | PairCheck::Current | PairCheck::Connector => power(ctx, check),
        PairCheck::Data => data(ctx),
        PairCheck::Comms => comms(ctx),
        PairCheck::Passage => {
            let cp = c.port.docking.as_ref().and_then(|d| d.passageway.as_ref());
            let tp = t.port.docking.as_ref().and_then(|d| d.passageway.as_ref());
            let (Some(cp), Some(tp)) = (cp, tp) else {
                return;
            };
            let tol = tolerance.unwrap_or(0.01);
            let (a, b) = (cp.value.si, tp.value.si);
            let larger = a.max(b);
            if larger > 0.0 && (a - b).abs() > tol * larger * (1.0 + 1e-9) {
                let (small_name, small) = if a < b {
                    (c.name(), &cp.value)
                } else {
                    (t.name(), &tp.value)
                };
                ctx.fail(
                    c.file,
                    cp.span,
                    format!("chaser passageway {}", cp.value),
                    format!(
                        "passageways differ ({} vs {}): the clear opening is {}'s {}",
                        cp.value, tp.value, small_name, small
                    ),
                    vec![(t.file, tp.span, format!("target passageway {}", tp.value))],
                    Some(format!(
                        "crew and cargo must fit through the smaller opening, {small}"
                    )),
                );
            }
        }
    }
}

/// Compares the chaser's approach with the capturer's capture, key by key.
fn compare_envelopes(ctx: &mut Ctx, cap: Side, approach: &Envelope, capture: &Envelope) {
    let (c, t) = (ctx.chaser, ctx.target);
    let same_side = cap.port.span == c.port.span && cap.file == c.file;
    for (key, _) in vocab::ENVELOPE_KEYS.iter().take(6) {
        let (Lookup::Found(a), Lookup::Found(k)) = (
            vocab::envelope_key(approach, "approach", key),
            vocab::envelope_key(capture, "capture", key),
        ) else {
            continue;
        };
        // (chaser's value, capture value, spans, relation word)
        let bad = match (a, k) {
            (Field::Range(a), Field::Range(k)) => (!a.value.within(&k.value)).then(|| {
                (
                    a.value.to_string(),
                    k.value.to_string(),
                    a.span,
                    k.span,
                    "outside",
                )
            }),
            (Field::Quantity(a), Field::Quantity(k)) => (!le(a.value.si, k.value.si)).then(|| {
                (
                    format!("up to {}", pretty_q(&a.value)),
                    limit_in(&k.value, &pretty_q(&k.value), &a.value.unit),
                    a.span,
                    k.span,
                    "above",
                )
            }),
            _ => None,
        };
        let Some((aval, kval, aspan, kspan, relation)) = bad else {
            continue;
        };
        let word = key.replace('_', " ");
        let limit_word = if relation == "above" { "up to " } else { "" };
        let mut related = vec![(
            cap.file,
            kspan,
            format!(
                "{} captures {word} {limit_word}{kval}",
                if same_side { "chaser" } else { "target" }
            ),
        )];
        if same_side {
            related.push((
                t.file,
                t.role_or_header(),
                format!("{} is the captured partner", t.name()),
            ));
        }
        ctx.fail(
            c.file,
            aspan,
            format!("chaser approaches at {word} {aval}"),
            format!(
                "{} approaches {} with {word} {aval}, {relation} the {kval} that {} captures",
                c.name(),
                t.name(),
                cap.name()
            ),
            related,
            Some(format!(
                "bring the chaser's approach {word} inside the capture envelope, or widen the capture envelope"
            )),
        );
    }
}

/// Supplier and receiver of a power transfer, when there is one.
fn power_roles<'a>(c: Side<'a>, t: Side<'a>) -> Option<Vec<(Side<'a>, Side<'a>)>> {
    let cd = c.port.power.as_ref()?.direction.as_ref()?.value;
    let td = t.port.power.as_ref()?.direction.as_ref()?.value;
    use Direction::*;
    match (cd, td) {
        (Supply, Receive) | (Supply, Both) | (Both, Receive) => Some(vec![(c, t)]),
        (Receive, Supply) | (Both, Supply) | (Receive, Both) => Some(vec![(t, c)]),
        (Both, Both) => Some(vec![(c, t), (t, c)]),
        _ => Some(vec![]),
    }
}

fn power(ctx: &mut Ctx, check: PairCheck) {
    let (c, t) = (ctx.chaser, ctx.target);
    let (Some(cp), Some(tp)) = (c.port.power.as_ref(), t.port.power.as_ref()) else {
        if c.port.power.is_some() || t.port.power.is_some() {
            let who = if c.port.power.is_none() {
                c.name()
            } else {
                t.name()
            };
            ctx.skipped(format!("{who} declares no `power` block"));
        }
        return;
    };
    let transfers = power_roles(c, t).is_some_and(|p| !p.is_empty());
    if check == PairCheck::Connector && !transfers {
        return;
    }
    if check == PairCheck::Connector {
        if let (Some(a), Some(b)) = (&cp.connector, &tp.connector)
            && !a.value.trim().eq_ignore_ascii_case(b.value.trim())
        {
            ctx.fail(
                c.file,
                a.span,
                format!("chaser connector \"{}\"", a.value),
                format!(
                    "power connectors differ: \"{}\" on {} and \"{}\" on {}",
                    a.value,
                    c.name(),
                    b.value,
                    t.name()
                ),
                vec![(t.file, b.span, format!("target connector \"{}\"", b.value))],
                Some("both sides must use the same umbilical connector".into()),
            );
        }
        return;
    }
    let Some(pairs) = power_roles(c, t) else {
        ctx.skipped("a power `direction` is not declared".into());
        return;
    };
    if pairs.is_empty() {
        ctx.skipped("both sides supply, or both receive: no power is transferred".into());
        return;
    }
    for (sup, rec) in pairs {
        let (Some(sp), Some(rp)) = (sup.port.power.as_ref(), rec.port.power.as_ref()) else {
            continue;
        };
        let label = |s: Side| {
            if s.port.span == c.port.span && s.file == c.file {
                "chaser"
            } else {
                "target"
            }
        };
        match check {
            PairCheck::Voltage => {
                let (Some(sv), Some(rv)) = (&sp.voltage, &rp.voltage) else {
                    ctx.skipped("a voltage is not declared".into());
                    continue;
                };
                if !sv.value.within(&rv.value) {
                    ctx.fail_between(
                        (sup, sv.span, format!("{} supplies {}", label(sup), sv.value)),
                        (rec, rv.span, format!("{} accepts {}", label(rec), rv.value)),
                        format!("{} supplies {} but {} accepts only {}", sup.name(), sv.value, rec.name(), rv.value),
                        "the supplied voltage range must lie inside the receiver's accepted range; add a converter or change the bus",
                    );
                }
            }
            PairCheck::Current => {
                let (Some(sc), Some(rc)) = (&sp.current, &rp.current) else {
                    ctx.skipped("a current is not declared".into());
                    continue;
                };
                if !le(rc.value.si, sc.value.si) {
                    ctx.fail_between(
                        (
                            sup,
                            sc.span,
                            format!("{} delivers up to {}", label(sup), sc.value),
                        ),
                        (rec, rc.span, format!("{} draws {}", label(rec), rc.value)),
                        format!(
                            "{} draws {} but {} delivers at most {}",
                            rec.name(),
                            rc.value,
                            sup.name(),
                            limit_in(&sc.value, &sc.value.to_string(), &rc.value.unit)
                        ),
                        "the receiver's draw must not exceed the supplier's current",
                    );
                }
            }
            _ => {}
        }
    }
}

fn is_1553(protocol: &str) -> bool {
    protocol.contains("1553")
}

fn proto(b: &Bus) -> Option<&str> {
    b.protocol.as_ref().map(|p| p.value.trim())
}

/// Both sides' blocks and the pairs of their items that share a protocol.
type Shared<'a, B, T> = (&'a B, &'a B, Vec<(&'a T, &'a T)>);

/// The items of both sides that share a protocol (compared ignoring case),
/// or `None` after saying at info level why the subsystem is not compared
/// (a block or every protocol missing on one side).
fn common_protocol<'a, B, T>(
    ctx: &mut Ctx,
    what: &str,
    blocks: (Option<&'a B>, Option<&'a B>),
    items: impl Fn(&'a B) -> &'a [T],
    protocol: impl Fn(&T) -> Option<&str>,
) -> Option<Shared<'a, B, T>> {
    let (c, t) = (ctx.chaser, ctx.target);
    let (Some(cb), Some(tb)) = blocks else {
        if blocks.0.is_some() || blocks.1.is_some() {
            let who = if blocks.0.is_none() {
                c.name()
            } else {
                t.name()
            };
            ctx.skipped(format!("{who} declares no `{what}` block"));
        }
        return None;
    };
    let declares = |b: &'a B| items(b).iter().any(|x| protocol(x).is_some());
    if !declares(cb) || !declares(tb) {
        let who = if !declares(cb) { c.name() } else { t.name() };
        ctx.skipped(format!(
            "{who} declares nothing with a `protocol` in `{what}`"
        ));
        return None;
    }
    let common = items(cb)
        .iter()
        .flat_map(|a| items(tb).iter().map(move |b| (a, b)))
        .filter(|(a, b)| matches!((protocol(a), protocol(b)), (Some(x), Some(y)) if x.eq_ignore_ascii_case(y)))
        .collect();
    Some((cb, tb, common))
}

fn data(ctx: &mut Ctx) {
    let (c, t) = (ctx.chaser, ctx.target);
    let Some((cd, td, common)) = common_protocol(
        ctx,
        "data",
        (c.port.data.as_ref(), t.port.data.as_ref()),
        |d| &d.buses,
        proto,
    ) else {
        return;
    };
    if common.is_empty() {
        let list = |d: &crate::model::Data| {
            d.buses
                .iter()
                .filter_map(proto)
                .collect::<Vec<_>>()
                .join(", ")
        };
        ctx.fail(
            c.file,
            Span::new(cd.span.start, cd.span.start + 4),
            format!("chaser buses: {}", list(cd)),
            format!("{} and {} share no data bus protocol", c.name(), t.name()),
            vec![(
                t.file,
                Span::new(td.span.start, td.span.start + 4),
                format!("target buses: {}", list(td)),
            )],
            Some("declare a bus with a protocol both sides speak".into()),
        );
        return;
    }
    // a common protocol must run at the same rate on at least one pair
    let rate_ok = |a: &Bus, b: &Bus| match (&a.rate, &b.rate) {
        (Some(x), Some(y)) => approx_eq(x.value.si, y.value.si),
        _ => true,
    };
    let controllers_ok = |a: &Bus, b: &Bus| {
        if proto(a).is_some_and(is_1553) {
            let n = [a, b]
                .iter()
                .filter(|x| {
                    x.role
                        .as_ref()
                        .is_some_and(|r| r.value == crate::model::BusRole::Controller)
                })
                .count();
            n == 1
        } else {
            true
        }
    };
    if common
        .iter()
        .any(|(a, b)| rate_ok(a, b) && controllers_ok(a, b))
    {
        return;
    }
    let (a, b) = common[0];
    if !rate_ok(a, b) {
        let (ar, br) = (a.rate.as_ref(), b.rate.as_ref());
        let (Some(ar), Some(br)) = (ar, br) else {
            return;
        };
        ctx.fail(
            c.file,
            ar.span,
            format!("chaser {} at {}", proto(a).unwrap_or(""), ar.value),
            format!(
                "{} runs at {} on {} but at {} on {}",
                proto(a).unwrap_or("the common bus"),
                ar.value,
                c.name(),
                br.value,
                t.name()
            ),
            vec![(
                t.file,
                br.span,
                format!("target {} at {}", proto(b).unwrap_or(""), br.value),
            )],
            Some("a common bus protocol must run at the same rate on both sides".into()),
        );
    } else {
        let n = [a, b]
            .iter()
            .filter(|x| {
                x.role
                    .as_ref()
                    .is_some_and(|r| r.value == crate::model::BusRole::Controller)
            })
            .count();
        let span_of = |x: &Bus| x.role.as_ref().map_or(x.id.span, |r| r.span);
        ctx.fail(
            c.file,
            span_of(a),
            format!(
                "chaser bus `{}` is {}",
                a.id.value,
                a.role
                    .as_ref()
                    .map_or("without a role", |r| r.value.as_str())
            ),
            format!(
                "the {} bus between {} and {} has {n} controllers; it needs exactly one",
                proto(a).unwrap_or("MIL-STD-1553"),
                c.name(),
                t.name()
            ),
            vec![(
                t.file,
                span_of(b),
                format!(
                    "target bus `{}` is {}",
                    b.id.value,
                    b.role
                        .as_ref()
                        .map_or("without a role", |r| r.value.as_str())
                ),
            )],
            Some("make exactly one side the bus controller and the other a terminal".into()),
        );
    }
}

fn link_proto(l: &Link) -> Option<&str> {
    l.protocol.as_ref().map(|p| p.value.trim())
}

fn comms(ctx: &mut Ctx) {
    let (c, t) = (ctx.chaser, ctx.target);
    let Some((cc, tc, common)) = common_protocol(
        ctx,
        "comms",
        (c.port.comms.as_ref(), t.port.comms.as_ref()),
        |x| &x.links,
        link_proto,
    ) else {
        return;
    };
    if common.is_empty() {
        ctx.fail(
            c.file,
            Span::new(cc.span.start, cc.span.start + 5),
            "chaser links".into(),
            format!("{} and {} share no comms link protocol", c.name(), t.name()),
            vec![(
                t.file,
                Span::new(tc.span.start, tc.span.start + 5),
                "target links".into(),
            )],
            Some("declare a link with a protocol both sides use".into()),
        );
        return;
    }
    let hears = |tx: &Option<Spanned<Range>>, rx: &Option<Spanned<Range>>| match (tx, rx) {
        (Some(tx), Some(rx)) => tx.value.within(&rx.value),
        _ => true,
    };
    if common
        .iter()
        .any(|(a, b)| hears(&a.transmit, &b.receive) && hears(&b.transmit, &a.receive))
    {
        return;
    }
    let (a, b) = common[0];
    // report the first direction that fails
    let (tx_side, tx, rx_side, rx) = if !hears(&a.transmit, &b.receive) {
        (c, &a.transmit, t, &b.receive)
    } else {
        (t, &b.transmit, c, &a.receive)
    };
    let (Some(tx), Some(rx)) = (tx, rx) else {
        return;
    };
    ctx.fail_between(
        (
            tx_side,
            tx.span,
            format!("{} transmits {}", tx_side.name(), tx.value),
        ),
        (
            rx_side,
            rx.span,
            format!("{} receives {}", rx_side.name(), rx.value),
        ),
        format!(
            "{} transmits {} but {} receives only {} ({})",
            tx_side.name(),
            tx.value,
            rx_side.name(),
            rx.value,
            link_proto(a).unwrap_or("")
        ),
        "each side's transmit range must lie inside the other's receive range",
    );
}
