//! `pair = "atmosphere"` (MATE-ATMOSPHERE, a warning): the two vehicles'
//! cabins (`vehicle.atmosphere`) overlap in total pressure and in oxygen
//! fraction, so that the hatch can be opened without an airlock or an
//! equalisation. Fixture: `fixtures/mating/atmosphere-warn.icd` (34 kPa of
//! pure oxygen against the hub's sea-level air).

use super::{Checker, Ctx, Side};
use crate::model::{Atmosphere, Range, Spanned};
use crate::units::le;

pub(super) const CHECK: Checker = Checker {
    docking_only: false,
    reads: &["vehicle.atmosphere"],
    run,
    not_compared,
};

fn atmosphere<'a>(s: Side<'a>) -> Option<&'a Atmosphere> {
    s.vehicle.atmosphere.as_deref()
}

/// Whether two inclusive ranges share a value.
fn overlap(a: &Range, b: &Range) -> bool {
    le(a.lo.si, b.hi.si) && le(b.lo.si, a.hi.si)
}

/// Both sides' values of one key, when both declare it and they do not overlap.
fn apart<'a>(
    c: &'a Option<Spanned<Range>>,
    t: &'a Option<Spanned<Range>>,
) -> Option<(&'a Spanned<Range>, &'a Spanned<Range>)> {
    let (c, t) = (c.as_ref()?, t.as_ref()?);
    (!overlap(&c.value, &t.value)).then_some((c, t))
}

pub(super) fn run(ctx: &mut Ctx) {
    let (c, t) = (ctx.chaser, ctx.target);
    let (Some(ca), Some(ta)) = (atmosphere(c), atmosphere(t)) else {
        // one side described: say so (info), as for other subsystems
        if let Some(why) = not_compared(ctx)
            && (atmosphere(c).is_some() || atmosphere(t).is_some())
        {
            ctx.skipped(why);
        }
        return;
    };
    if let Some(why) = not_compared(ctx) {
        ctx.skipped(why);
        return;
    }
    let pressure = apart(&ca.pressure, &ta.pressure);
    let oxygen = apart(&ca.oxygen, &ta.oxygen);
    let (cv, tv) = (&c.vehicle.id.value, &t.vehicle.id.value);
    let mut what = Vec::new();
    if let Some((a, b)) = pressure {
        what.push(format!("pressure {} against {}", a.value, b.value));
    }
    if let Some((a, b)) = oxygen {
        what.push(format!("oxygen {} against {}", a.value, b.value));
    }
    let mut pairs = pressure
        .map(|p| ("pressure", p))
        .into_iter()
        .chain(oxygen.map(|o| ("oxygen", o)));
    let Some((first, (a, b))) = pairs.next() else {
        return;
    };
    let mut f = ctx
        .fail(|| format!(
            "the cabins of `{cv}` and `{tv}` do not overlap ({}): the hatch cannot be opened without an airlock or equalisation",
            what.join("; ")
        ))
        .between(
            (c, a.span, || format!("`{cv}` holds {first} {}", a.value)),
            (t, b.span, || format!("`{tv}` holds {first} {}", b.value)),
        );
    for (key, (a, b)) in pairs {
        f = f
            .related(c, a.span, || format!("`{cv}` holds {key} {}", a.value))
            .related(t, b.span, || format!("`{tv}` holds {key} {}", b.value));
    }
    f.help(
        "plan an airlock or a pressure and gas equalisation before the hatch opens (the Apollo–Soyuz Docking Module was such an airlock, 1975), or bring the cabins to a common pressure and oxygen fraction",
    )
    .push();
}

/// A vehicle without an `atmosphere` block, or no key both declare. `run`
/// says so at info level unless neither vehicle has the block.
fn not_compared(ctx: &Ctx) -> Option<String> {
    let (c, t) = (ctx.chaser, ctx.target);
    let (cv, tv) = (&c.vehicle.id.value, &t.vehicle.id.value);
    let (ca, ta) = match (atmosphere(c), atmosphere(t)) {
        (Some(a), Some(b)) => (a, b),
        (None, None) => {
            return Some("neither vehicle declares an `atmosphere` block".into());
        }
        (None, Some(_)) => return Some(format!("`{cv}` declares no `atmosphere` block")),
        (Some(_), None) => return Some(format!("`{tv}` declares no `atmosphere` block")),
    };
    let both = |a: &Option<Spanned<Range>>, b: &Option<Spanned<Range>>| a.is_some() && b.is_some();
    if both(&ca.pressure, &ta.pressure) || both(&ca.oxygen, &ta.oxygen) {
        return None;
    }
    Some(format!(
        "`{cv}` and `{tv}` declare no `pressure` or `oxygen` in common"
    ))
}
