//! `pair = "role"` (MATE-ROLE): the docking roles are complementary — not
//! both active-only, not both passive-only. Fixtures:
//! `fixtures/mating/role-fail.icd` (two passive ports) and
//! `fixtures/mating/role-pass.icd`.

use super::{Checker, Ctx, lacks_docking};
use crate::model::Role;

pub(super) const CHECK: Checker = Checker {
    docking_only: false,
    reads: &["docking.role"],
    run,
    not_compared: lacks_docking,
};

pub(super) fn run(ctx: &mut Ctx) {
    let (c, t) = (ctx.chaser, ctx.target);
    let (Some(cr), Some(tr)) = (c.role(), t.role()) else {
        if ctx.both_docking() {
            ctx.skipped("a docking role is not declared");
        }
        return;
    };
    let bad = matches!(
        (cr.value, tr.value),
        (Role::Active, Role::Active) | (Role::Passive, Role::Passive)
    );
    if !bad {
        return;
    }
    let what = cr.value.as_str();
    let help = if what == "active" {
        "two active-only ports cannot dock; one of them must be passive or dual"
    } else {
        "two passive-only ports cannot dock; one of them must be active or dual"
    };
    ctx.fail(|| format!(
        "{} and {} are both {what}-only: one side must be active and the other passive (or dual)",
        c.name(),
        t.name()
    ))
    .at(c, cr.span, || format!("chaser is {what}"))
    .related(t, tr.span, || format!("target is {}", tr.value.as_str()))
    .help(help)
    .push();
}
