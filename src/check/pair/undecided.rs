//! `pair = "undecided"` (MATE-UNDECIDED): a side whose docking system no
//! loaded spec lists (or that declares none) leaves the verdict undecided;
//! said aloud with the known systems. Fixture:
//! `fixtures/mating/undecided.icd` (`ZX-9`).

use super::{Checker, Ctx, Side};
use crate::check::conformance::{system_help, system_suggestion};

pub(super) const CHECK: Checker = Checker {
    reads: &["docking.system"],
    run,
    not_compared: |_| None,
};

pub(super) fn run(ctx: &mut Ctx) {
    let (c, t, set) = (ctx.chaser, ctx.target, ctx.set);
    // the first side whose system no spec decides (the chaser first)
    let unknown = ctx
        .sides()
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
    let other = if ctx.is_chaser(u) { t.name() } else { c.name() };
    let message = match u.system() {
        Some(x) => format!(
            "no loaded spec decides whether {} (`{}`) mates with {other}: docking system `{}` is not in any loaded family; {}verdict undecided",
            u.name(),
            x.value,
            x.value,
            system_suggestion(set, &x.value),
        ),
        None => format!("{} declares no docking system: verdict undecided", u.name()),
    };
    let help = match u.system() {
        Some(_) => system_help(set),
        None => "add a `docking` block with `system` and `role`".into(),
    };
    // the rule's reference is about systems whose compatibility is
    // unresolved; a name no family lists is not that case
    ctx.fail(message)
        .at(c, place(c), format!("chaser: {}", what(c)))
        .related(t, place(t), format!("target: {}", what(t)))
        .help(help)
        .no_reference()
        .push();
}
