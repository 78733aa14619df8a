//! Mate checks: two ports, a chaser and a target, compared rule by rule
//! (roles, systems, capture envelope, mass, power, data, comms, passageway).
//! Which systems form a family is data from the specs; the verdict is
//! `fails` if any error-level pair rule fails, else `undecided` if a system
//! is unknown to every loaded spec, else `mates`.
//!
//! Each pair check lives in its own file as a `Checker`: what it reads,
//! how it runs, and why it compared nothing when it stayed silent.
//! `checker` maps a spec's `pair = "..."` to it; [`mate`] runs them.

mod atmosphere;
mod capture;
mod comms;
mod data;
mod mass;
mod passage;
mod power;
mod role;
mod system;
mod undecided;

use super::conformance::{applies, reference};
use crate::diagnostic::{Diagnostic, FileId, Label, Severity};
use crate::model::{Port, Role, Spanned, Vehicle};
use crate::spec::{Compiled, CompiledRule, Family, FamilyKind, RuleSet};
use crate::syntax::Span;
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
    /// How the pair would mate (by its families), whatever the verdict.
    pub way: How,
    /// How it mates: `Some` only when the verdict is `mates`.
    pub how: Option<How>,
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

/// One built-in pair check.
struct Checker {
    /// Whether it judges only dockings: a berthing pair (nothing is
    /// captured) is not its concern, and it is neither run nor reported
    /// as skipped for one.
    docking_only: bool,
    /// What it reads on each side (paths or prefixes of paths): a value
    /// with a language error under one of them makes the rule say nothing.
    reads: &'static [&'static str],
    /// Compares the pair, adding findings (and info skips) to the context.
    run: fn(&mut Ctx),
    /// Why the check, having reported nothing, compared nothing: the data it
    /// needs is absent, or the pair is not a docking it judges. `None` when
    /// it made its comparison and passed.
    not_compared: fn(&Ctx) -> Option<String>,
}

/// Declares the pair checks: the `PairCheck` a spec names with
/// `pair = "snake_case_name"` (and the JSON Schema lists), and the
/// [`Checker`] each runs.
macro_rules! pair_checks {
    ($($variant:ident => $checker:path,)*) => {
        /// The built-in pair checks of a mate rule.
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq,
            serde::Deserialize, serde::Serialize, schemars::JsonSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum PairCheck {
            $($variant,)*
        }

        /// The check a spec's `pair = "..."` names.
        fn checker(check: PairCheck) -> &'static Checker {
            match check {
                $(PairCheck::$variant => &$checker,)*
            }
        }
    };
}

// The registry: one line per pair check.
pair_checks! {
    Role => role::CHECK,
    System => system::CHECK,
    Undecided => undecided::CHECK,
    Capture => capture::CHECK,
    Mass => mass::CHECK,
    Voltage => power::VOLTAGE,
    Current => power::CURRENT,
    Connector => power::CONNECTOR,
    Data => data::CHECK,
    Comms => comms::CHECK,
    Passage => passage::CHECK,
    Atmosphere => atmosphere::CHECK,
    Power => power::POWER,
}

/// The text of a finding (a message, a label, a reason), made only when it
/// is kept: a `String`, a `&'static str`, or a closure that formats it. A
/// matrix asks only for verdicts and codes, and formats nothing.
trait Text {
    fn text(self) -> String;
}

impl Text for String {
    fn text(self) -> String {
        self
    }
}

impl Text for &'static str {
    fn text(self) -> String {
        self.to_owned()
    }
}

impl<F: FnOnce() -> String> Text for F {
    fn text(self) -> String {
        self()
    }
}

/// How much of each finding a pair check makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Messages, labels, help, references and skip reasons.
    Full,
    /// What a matrix cell shows: the verdict, the codes and the skip
    /// reasons; findings carry only their rule, severity and place
    /// (configuration overrides go by the file), with no text.
    Skips,
    /// [`Detail::Skips`] without the skip reasons.
    Verdict,
    /// The verdict and the way of mating only: the checks stop at the first
    /// failure (a table cell).
    Mark,
}

/// What a pair check sees: the rule, the loaded specs, both sides, and the
/// findings so far.
struct Ctx<'a, 'r> {
    set: &'r RuleSet,
    rule: &'r CompiledRule,
    /// The rule's `tolerance`, for `pair = "passage"`.
    tolerance: Option<f64>,
    chaser: Side<'a>,
    target: Side<'a>,
    /// The chaser's and the target's family, looked up once per pair.
    families: Families<'r>,
    out: Vec<Diagnostic>,
    /// The findings of a check made with no text ([`Detail::Skips`],
    /// [`Detail::Verdict`], [`Detail::Mark`]): their severity and file.
    found: Vec<(Severity, FileId)>,
    /// Why this rule compared nothing, when it said so in an info finding.
    skips: Vec<String>,
    /// Whether findings carry no text (every detail but [`Detail::Full`]).
    quiet: bool,
    /// Whether skip reasons are kept (not [`Detail::Verdict`]).
    reasons: bool,
}

impl<'a, 'r> Ctx<'a, 'r> {
    /// Whether `s` is the chaser's side of the pair.
    fn is_chaser(&self, s: Side) -> bool {
        s.port.span == self.chaser.port.span && s.file == self.chaser.file
    }

    /// The family of a side's docking system (`None`: no system, or one no
    /// loaded family lists).
    fn family(&self, s: Side) -> Option<&'r Family> {
        if self.is_chaser(s) {
            self.families[0]
        } else {
            self.families[1]
        }
    }

    /// `chaser` or `target`, for labels.
    fn word(&self, s: Side) -> &'static str {
        if self.is_chaser(s) {
            "chaser"
        } else {
            "target"
        }
    }

    /// Both sides, the chaser first.
    fn sides(&self) -> [Side<'a>; 2] {
        [self.chaser, self.target]
    }

    fn both_docking(&self) -> bool {
        self.chaser.port.docking.is_some() && self.target.port.docking.is_some()
    }

    /// Whether either side's system is in a berthing family.
    fn berthing(&self) -> bool {
        self.families
            .iter()
            .any(|f| f.is_some_and(|f| f.kind == FamilyKind::Berthing))
    }

    /// A finding of the rule at its severity, with `message`; built with
    /// [`Finding::at`], [`Finding::related`], [`Finding::help`] and added by
    /// [`Finding::push`].
    fn fail(&mut self, message: impl Text) -> Finding<'_, 'a, 'r> {
        let at = (self.chaser.file, self.chaser.header(), String::new());
        let message = if self.quiet {
            String::new()
        } else {
            message.text()
        };
        Finding {
            ctx: self,
            message,
            at,
            related: Vec::new(),
            help: None,
            reference: None,
        }
    }

    /// Says at info level that a check was skipped for lack of data.
    fn skipped(&mut self, why: impl Text) {
        let (c, t) = (self.chaser, self.target);
        if self.quiet {
            self.found.push((Severity::Info, c.file));
            if self.reasons {
                self.skips.push(why.text());
            }
            return;
        }
        let why = why.text();
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

/// A finding being built (see [`Ctx::fail`]).
#[must_use = "a finding is reported only by `push`"]
struct Finding<'c, 'a, 'r> {
    ctx: &'c mut Ctx<'a, 'r>,
    message: String,
    /// The primary label (the chaser's port header until [`Finding::at`]).
    at: (FileId, Span, String),
    related: Vec<(FileId, Span, String)>,
    help: Option<String>,
    /// `Some(None)`: no reference; `Some(Some(text))`: this one instead of
    /// the rule's.
    reference: Option<Option<String>>,
}

impl Finding<'_, '_, '_> {
    /// The primary label: `span` in `side`'s file.
    fn at(mut self, side: Side, span: Span, label: impl Text) -> Self {
        self.at = (side.file, span, self.text(label));
        self
    }

    /// A related label: `span` in `side`'s file.
    fn related(mut self, side: Side, span: Span, label: impl Text) -> Self {
        if !self.ctx.quiet {
            self.related.push((side.file, span, label.text()));
        }
        self
    }

    /// `t`'s text, or nothing for a finding without text.
    fn text(&self, t: impl Text) -> String {
        if self.ctx.quiet {
            String::new()
        } else {
            t.text()
        }
    }

    /// A value on each side: the primary label goes on the chaser's value
    /// and the related one on the target's.
    fn between(self, a: (Side, Span, impl Text), b: (Side, Span, impl Text)) -> Self {
        let (a, b) = ((a.0, a.1, self.text(a.2)), (b.0, b.1, self.text(b.2)));
        let (p, r) = if self.ctx.is_chaser(a.0) {
            (a, b)
        } else {
            (b, a)
        };
        self.at(p.0, p.1, p.2).related(r.0, r.1, r.2)
    }

    /// The help shown when the spec gives none (the spec's help, when it
    /// has one, is the rule's one place for it).
    fn help(mut self, help: impl Text) -> Self {
        if !self.ctx.quiet {
            self.help = Some(help.text());
        }
        self
    }

    /// No reference to the rule's source on this finding.
    fn no_reference(mut self) -> Self {
        self.reference = Some(None);
        self
    }

    /// This reference (with its provenance) instead of the rule's.
    fn reference(mut self, text: impl Text) -> Self {
        if !self.ctx.quiet {
            self.reference = Some(Some(text.text()));
        }
        self
    }

    fn push(self) {
        let rule = self.ctx.rule;
        let (file, span, label) = self.at;
        if self.ctx.quiet {
            self.ctx.found.push((rule.severity, file));
            return;
        }
        let mut d = Diagnostic::new(&rule.rule.id, rule.severity, file, span, self.message)
            .with_label(label);
        for (f, s, m) in self.related {
            d = d.with_related(f, s, m);
        }
        d = d.with_help_opt(
            (rule.rule.help.clone())
                .or(self.help)
                .or_else(|| Some(rule.rule.summary.clone())),
        );
        d.reference = self.reference.unwrap_or_else(|| Some(reference(rule)));
        self.ctx.out.push(d);
    }
}

/// Why a check compared nothing when a block is absent on one side or both:
/// `None` when both ports have it.
fn lacks(ctx: &Ctx, what: &str, has: impl Fn(&Port) -> bool) -> Option<String> {
    let (c, t) = (ctx.chaser, ctx.target);
    match (has(c.port), has(t.port)) {
        (true, true) => None,
        (false, false) => Some(format!("neither port declares a `{what}` block")),
        (false, true) => Some(format!("{} declares no `{what}` block", c.name())),
        (true, false) => Some(format!("{} declares no `{what}` block", t.name())),
    }
}

/// [`lacks`] for the `docking` block.
fn lacks_docking(ctx: &Ctx) -> Option<String> {
    lacks(ctx, "docking", |p| p.docking.is_some())
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

/// Whether pair rule `r` can run on side `s`: its filter takes the port and
/// nothing it reads has a language error (a value that is present but
/// invalid: the rule cannot compare the pair and says nothing).
fn runs_on(set: &RuleSet, r: &CompiledRule, check: &Checker, s: Side) -> bool {
    applies(set, &r.rule.applies_to, s.port)
        && !check
            .reads
            .iter()
            .any(|path| s.port.has_invalid_under(s.vehicle, path))
}

/// A port made ready to be paired many times (a matrix): its name, its
/// vehicle's index, and for each rule of the set whether it can run on this
/// side, decided once.
#[derive(Clone, Debug)]
pub struct Prepared<'a> {
    pub side: Side<'a>,
    pub name: String,
    /// The same number for every port of one vehicle (a matrix pairs only
    /// ports of different vehicles).
    pub vehicle: usize,
    runs: Vec<bool>,
}

impl<'a> Prepared<'a> {
    pub fn new(set: &RuleSet, side: Side<'a>, vehicle: usize) -> Self {
        let runs = set
            .rules
            .iter()
            .map(|r| match &r.check {
                Compiled::Pair { check, .. } => runs_on(set, r, checker(*check), side),
                _ => false,
            })
            .collect();
        Prepared {
            side,
            name: side.name(),
            vehicle,
            runs,
        }
    }
}

/// Runs the pair rules of `set` (or only `only`) on one pair.
pub fn mate(
    set: &RuleSet,
    only: Option<&str>,
    chaser: Side<'_>,
    target: Side<'_>,
    declared: Option<Declared<'_>>,
) -> Outcome {
    let runs = |_: usize, r: &CompiledRule, check: &Checker| {
        only.is_none_or(|id| id == r.rule.id)
            && runs_on(set, r, check, chaser)
            && runs_on(set, r, check, target)
    };
    let mut out = Vec::new();
    let (how, skipped, _, _) = each_rule(set, (chaser, target), (false, true), runs, |ctx| {
        out.append(&mut ctx.out);
        true
    });
    // with no pair rule loaded, nothing decides the pair
    let undecided = !has_pair_rules(set) || is_undecided(set, chaser, target);
    if let Some(d) = declared {
        for diag in &mut out {
            if diag.severity != Severity::Info {
                diag.labels
                    .push(Label::new(d.file, d.span, format!("in mating `{}`", d.id)));
            }
        }
    }
    Outcome {
        skipped,
        ..outcome(out, undecided, how)
    }
}

/// A configuration's say on one finding (its file, rule id and severity):
/// the severity it keeps, or `None` when it is dropped.
pub type Adjust<'x> = dyn Fn(FileId, &str, Severity) -> Option<Severity> + Sync + 'x;

/// What a matrix cell shows of a pair, made with no finding text: see
/// [`quick`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quick<'r> {
    pub verdict: Verdict,
    /// How it mates: `Some` only when the verdict is `mates`.
    pub how: Option<How>,
    /// The rules that failed (and `MATE-UNDECIDED` when undecided), sorted;
    /// with [`Detail::Mark`], only the first that failed.
    pub codes: Vec<&'r str>,
    /// How many findings the pair has after `adjust` (all levels); with
    /// [`Detail::Mark`], up to the first failure.
    pub findings: usize,
    /// The skip reasons, with [`Detail::Skips`] only.
    pub skipped: Vec<Skip>,
}

/// Runs the pair rules of `set` on two prepared ports to `detail` (not
/// [`Detail::Full`]: nothing is formatted), each finding adjusted by the
/// configuration as it is made. With [`Detail::Mark`] the checks stop at the
/// first failure, which decides the verdict.
pub fn quick<'r>(
    set: &'r RuleSet,
    c: &Prepared,
    t: &Prepared,
    detail: Detail,
    adjust: &Adjust,
) -> Quick<'r> {
    let runs = |i: usize, _: &CompiledRule, _: &Checker| {
        c.runs.get(i).copied().unwrap_or(false) && t.runs.get(i).copied().unwrap_or(false)
    };
    let mark = detail == Detail::Mark;
    let mut codes: Vec<&'r str> = Vec::new();
    let mut findings = 0;
    let (way, skipped, stopped, families) = each_rule(
        set,
        (c.side, t.side),
        (true, detail == Detail::Skips),
        runs,
        |ctx| {
            let id = ctx.rule.rule.id.as_str();
            for &(severity, file) in &ctx.found {
                let Some(s) = adjust(file, id, severity) else {
                    continue;
                };
                findings += 1;
                if s == Severity::Error && id != "MATE-UNDECIDED" {
                    codes.push(id);
                }
            }
            !mark || codes.is_empty()
        },
    );
    let verdict = if !codes.is_empty() {
        Verdict::Fails
    } else if !stopped && (!has_pair_rules(set) || undecided_families(set, families)) {
        codes.push("MATE-UNDECIDED");
        Verdict::Undecided
    } else {
        Verdict::Mates
    };
    codes.sort_unstable();
    codes.dedup();
    Quick {
        verdict,
        how: (verdict == Verdict::Mates).then_some(way),
        codes,
        findings,
        skipped,
    }
}

/// Whether `set` has a pair rule (with none, nothing decides a pair).
fn has_pair_rules(set: &RuleSet) -> bool {
    set.rules
        .iter()
        .any(|r| matches!(r.check, Compiled::Pair { .. }))
}

/// Runs each pair rule `runs` admits (by index, rule and check) on the
/// pair, its findings made with no text when `quiet` and its skip reasons
/// kept when `reasons`, handing each rule's context to `take` when it has
/// run; stops when `take` returns false. Returns the way the pair would mate, the skip
/// reasons (sorted), whether it stopped early, and the two sides' families.
fn each_rule<'a, 'r>(
    set: &'r RuleSet,
    (chaser, target): (Side<'a>, Side<'a>),
    (quiet, reasons): (bool, bool),
    runs: impl Fn(usize, &CompiledRule, &Checker) -> bool,
    mut take: impl FnMut(&mut Ctx<'a, 'r>) -> bool,
) -> (How, Vec<Skip>, bool, Families<'r>) {
    let mut skipped = Vec::new();
    let families = [family(set, chaser), family(set, target)];
    let how = way_of(families);
    let mut stopped = false;
    // one set of buffers for every rule of the pair (a matrix makes a
    // million pairs)
    let (mut out, mut found, mut skips) = (Vec::new(), Vec::new(), Vec::new());
    for (i, r) in set.rules.iter().enumerate() {
        let Compiled::Pair { check, tolerance } = &r.check else {
            continue;
        };
        let check = checker(*check);
        if check.docking_only && how == How::Berthing {
            continue;
        }
        if !runs(i, r, check) {
            continue;
        }
        let mut ctx = Ctx {
            set,
            rule: r,
            tolerance: *tolerance,
            chaser,
            target,
            families,
            out,
            found,
            skips,
            quiet,
            reasons,
        };
        (check.run)(&mut ctx);
        if reasons
            && ctx.skips.is_empty()
            && ctx.out.is_empty()
            && ctx.found.is_empty()
            && let Some(why) = (check.not_compared)(&ctx)
        {
            ctx.skips.push(why);
        }
        skipped.extend(ctx.skips.drain(..).map(|reason| Skip {
            rule: r.rule.id.clone(),
            reason,
        }));
        let go_on = take(&mut ctx);
        (out, found, skips) = (ctx.out, ctx.found, ctx.skips);
        out.clear();
        found.clear();
        if !go_on {
            stopped = true;
            break;
        }
    }
    skipped.sort();
    skipped.dedup();
    (how, skipped, stopped, families)
}

/// The verdict of a pair from its findings (after any configuration has
/// changed their severities): `fails` if any error-level finding other than
/// MATE-UNDECIDED, else `undecided` when a system is unknown, else `mates`.
pub fn outcome(diagnostics: Vec<Diagnostic>, undecided: bool, way: How) -> Outcome {
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
        way,
        how: (verdict == Verdict::Mates).then_some(way),
        skipped: Vec::new(),
    }
}

/// A system no loaded spec lists (or a port with no docking system), or two
/// families whose compatibility is unresolved.
pub fn is_undecided(set: &RuleSet, chaser: Side<'_>, target: Side<'_>) -> bool {
    undecided_families(set, [family(set, chaser), family(set, target)])
}

/// [`is_undecided`] of two sides' families.
fn undecided_families(set: &RuleSet, families: Families) -> bool {
    match families {
        [Some(a), Some(b)] => set.undecided_between(a, b).is_some(),
        _ => true,
    }
}

/// The chaser's and the target's family.
type Families<'r> = [Option<&'r Family>; 2];

/// The family of a side's docking system.
fn family<'r>(set: &'r RuleSet, s: Side) -> Option<&'r Family> {
    s.system().and_then(|x| set.family_of(&x.value))
}

/// How a pair mates: by berthing when both systems are in a berthing
/// family, else by docking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    Docking,
    Berthing,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Docking => "docking",
            How::Berthing => "berthing",
        }
    }
}

/// The way `chaser` and `target` would mate.
pub fn way(set: &RuleSet, chaser: Side<'_>, target: Side<'_>) -> How {
    way_of([family(set, chaser), family(set, target)])
}

/// [`way`] from the two sides' families.
fn way_of(families: Families) -> How {
    let berths = |f: Option<&Family>| f.is_some_and(|f| f.kind == FamilyKind::Berthing);
    if berths(families[0]) && berths(families[1]) {
        How::Berthing
    } else {
        How::Docking
    }
}

/// Both sides' blocks and the pairs of their items that share a protocol.
type Shared<'a, B, T> = (&'a B, &'a B, smallvec::SmallVec<[(&'a T, &'a T); 4]>);

/// `s` without white space at either end; a text that starts and ends
/// with a visible ASCII character (nearly every name) is returned as is,
/// without the scan of Unicode white space (a matrix compares a million
/// pairs).
pub(super) fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        [only] if only.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// The items of both sides that share a protocol (compared ignoring case),
/// or `None` after saying at info level why the subsystem is not compared
/// (a block or every protocol missing on one side). Used by `data` and
/// `comms`.
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
            let who = if blocks.0.is_none() { c } else { t };
            ctx.skipped(|| format!("{} declares no `{what}` block", who.name()));
        }
        return None;
    };
    let declares = |b: &'a B| items(b).iter().any(|x| protocol(x).is_some());
    if !declares(cb) || !declares(tb) {
        let who = if !declares(cb) { c } else { t };
        ctx.skipped(|| {
            format!(
                "{} declares nothing with a `protocol` in `{what}`",
                who.name()
            )
        });
        return None;
    }
    let common = items(cb)
        .iter()
        .flat_map(|a| items(tb).iter().map(move |b| (a, b)))
        .filter(|(a, b)| matches!((protocol(a), protocol(b)), (Some(x), Some(y)) if x.eq_ignore_ascii_case(y)))
        .collect();
    Some((cb, tb, common))
}
