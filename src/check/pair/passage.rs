//! `pair = "passage"` (MATE-PASSAGE): the two passageways have the same
//! diameter within the rule's `tolerance` (1 % when not given). Fixture:
//! `fixtures/mating/passage-warn.icd` (700 mm against the hub's 800 mm).

use super::{Checker, Ctx, Side};

pub(super) const CHECK: Checker = Checker {
    docking_only: false,
    reads: &["docking.passageway"],
    run,
    not_compared,
};

pub(super) fn run(ctx: &mut Ctx) {
    let (c, t) = (ctx.chaser, ctx.target);
    let cp = c.port.docking.as_ref().and_then(|d| d.passageway.as_ref());
    let tp = t.port.docking.as_ref().and_then(|d| d.passageway.as_ref());
    let (Some(cp), Some(tp)) = (cp, tp) else {
        return;
    };
    let tol = ctx.tolerance.unwrap_or(0.01);
    let (a, b) = (cp.value.si, tp.value.si);
    let larger = a.max(b);
    if !(larger > 0.0 && (a - b).abs() > tol * larger * (1.0 + 1e-9)) {
        return;
    }
    let (small_name, small) = if a < b {
        (c.name(), &cp.value)
    } else {
        (t.name(), &tp.value)
    };
    ctx.fail(|| {
        format!(
            "passageways differ ({} vs {}): the clear opening is {}'s {}",
            cp.value, tp.value, small_name, small
        )
    })
    .at(c, cp.span, || format!("chaser passageway {}", cp.value))
    .related(t, tp.span, || format!("target passageway {}", tp.value))
    .help(|| format!("crew and cargo must fit through the smaller opening, {small}"))
    .push();
}

/// A side without a `passageway`.
fn not_compared(ctx: &Ctx) -> Option<String> {
    let has = |s: Side| {
        s.port
            .docking
            .as_ref()
            .is_some_and(|d| d.passageway.is_some())
    };
    ctx.sides()
        .into_iter()
        .find(|s| !has(*s))
        .map(|s| format!("{} declares no `passageway`", s.name()))
}
