//! `pair = "mass"` (MATE-MASS): the captured vehicle's `mass` lies inside
//! the capturing side's `capture.partner_mass`. Fixtures:
//! `fixtures/mating/mass-fail.icd` and `fixtures/mating/mass-fail-units.icd`.

use super::{Checker, Ctx, capturer};

pub(super) const CHECK: Checker = Checker {
    docking_only: true,
    reads: &[
        "docking.role",
        "docking.system",
        "docking.capture.partner_mass",
        "vehicle.mass",
    ],
    run,
    not_compared: super::capture::not_compared,
};

pub(super) fn run(ctx: &mut Ctx) {
    if ctx.berthing() || !ctx.both_docking() {
        return;
    }
    let Some((cap, captured)) = capturer(ctx.chaser, ctx.target) else {
        return;
    };
    let pm = cap
        .port
        .docking
        .as_ref()
        .and_then(|d| d.capture.as_ref())
        .and_then(|e| e.partner_mass.as_ref());
    let (Some(pm), Some(mass)) = (pm, captured.vehicle.mass.as_ref()) else {
        ctx.skipped(|| match pm {
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
    if mass.value.within(&pm.value) {
        return;
    }
    let vehicle = &captured.vehicle.id.value;
    ctx.fail(|| {
        format!(
            "`{vehicle}` ({}) lies outside the partner mass {} that {} can capture",
            mass.value,
            pm.value,
            cap.name()
        )
    })
    .between(
        (captured, mass.span, || {
            format!("{vehicle} has mass {}", mass.value)
        }),
        (cap, pm.span, || {
            format!("{} captures {}", cap.name(), pm.value)
        }),
    )
    .help("the captured vehicle's mass must lie inside the capturing side's `partner_mass`")
    .push();
}
