//! `pair = "undecided"` (MATE-UNDECIDED): the verdict is left undecided,
//! and said aloud, when a side's docking system no loaded spec lists (or it
//! declares none), or when the two systems are in families whose
//! compatibility is unresolved (`undecided_with`; the finding cites where
//! that is stated). Fixtures: `fixtures/mating/undecided.icd` (`ZX-9`),
//! `fixtures/mating/undecided-cdm.icd` (the Chinese mechanism against IDSS).

use super::{Checker, Ctx, Side};
use crate::check::conformance::{system_help, system_suggestion};
use crate::spec::Family;

pub(super) const CHECK: Checker = Checker {
    docking_only: false,
    reads: &["docking.system"],
    run,
    not_compared: |_| None,
};

pub(super) fn run(ctx: &mut Ctx) {
    let (c, t, set) = (ctx.chaser, ctx.target, ctx.set);
    // the first side whose system no spec decides (the chaser first)
    let unknown = ctx.sides().into_iter().find(|&s| ctx.family(s).is_none());
    let Some(u) = unknown else {
        unresolved(ctx);
        return;
    };
    let place = |s: Side| s.system().map_or(s.header(), |x| x.span);
    let [cf, tf] = ctx.families;
    let what = |s: Side, family: Option<&Family>| match s.system() {
        Some(x) if family.is_none() => {
            format!("`{}` is in no loaded spec", x.value)
        }
        Some(x) => format!("system `{}`", x.value),
        None => format!("{} declares no docking system", s.name()),
    };
    let other = if ctx.is_chaser(u) { t } else { c };
    let message = || match u.system() {
        Some(x) => format!(
            "no loaded spec decides whether {} (`{}`) mates with {}: docking system `{}` is not in any loaded family; {}verdict undecided",
            u.name(),
            x.value,
            other.name(),
            x.value,
            system_suggestion(set, &x.value),
        ),
        None => format!("{} declares no docking system: verdict undecided", u.name()),
    };
    let help = || match u.system() {
        Some(_) => system_help(set),
        None => "add a `docking` block with `system` and `role`".to_owned(),
    };
    // the rule's reference is about systems whose compatibility is
    // unresolved; a name no family lists is not that case
    ctx.fail(message)
        .at(c, place(c), || format!("chaser: {}", what(c, cf)))
        .related(t, place(t), || format!("target: {}", what(t, tf)))
        .help(help)
        .no_reference()
        .push();
}

/// Two known families whose compatibility is unresolved.
fn unresolved(ctx: &mut Ctx) {
    let (c, t, set) = (ctx.chaser, ctx.target, ctx.set);
    let (Some(cs), Some(ts)) = (c.system(), t.system()) else {
        return;
    };
    let [Some(cf), Some(tf)] = ctx.families else {
        return;
    };
    let Some(stated) = set.undecided_between(cf, tf) else {
        return;
    };
    let (reference, provenance) = stated.undecided_source();
    ctx.fail(|| format!(
        "whether `{}` ({}) mates with `{}` ({}) is unresolved: verdict undecided",
        cs.value, cf.name, ts.value, tf.name
    ))
    .at(c, cs.span, || format!("chaser system `{}`", cs.value))
    .related(t, ts.span, || format!("target system `{}`", ts.value))
    .help(|| format!(
        "no source settles whether {} and {} mate; confirm it against both interface documents, then record the decision as a waiver on the chaser's `system` line (`# waiver: MATE-UNDECIDED ID \"reason\"`, docs/ci.md)",
        cf.id, tf.id
    ))
    .reference(|| format!("{reference} [{}]", provenance.as_str()))
    .push();
}
