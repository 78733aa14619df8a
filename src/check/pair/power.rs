//! The power checks between a supplier and a receiver (by each side's
//! `power.direction`):
//! - `pair = "voltage"` (MATE-VOLTAGE): the supplied voltage range lies
//!   inside the receiver's accepted range. Fixtures:
//!   `fixtures/mating/voltage-fail.icd`, `fixtures/mating/voltage-fail-units.icd`,
//!   `fixtures/mating/voltage-narrow-fail.icd`.
//! - `pair = "current"` (MATE-CURRENT): the receiver's draw does not exceed
//!   the supplier's current. Fixture: `fixtures/mating/current-fail.icd`.
//! - `pair = "connector"` (MATE-CONNECTOR): both sides of a power transfer
//!   use the same connector. Fixture: `fixtures/mating/connector-fail.icd`.
//! - `pair = "power"` (MATE-POWER): the receiver's `power` (the most it
//!   draws) does not exceed the supplier's (the most it delivers). Fixture:
//!   `fixtures/mating/power-fail.icd`.

use super::{Checker, Ctx, Side, lacks, trim};
use crate::check::conformance::limit_in;
use crate::model::{Direction, Power, Quantity, Spanned};
use crate::units::le;

pub(super) const VOLTAGE: Checker = Checker {
    docking_only: false,
    reads: &["power.direction", "power.voltage"],
    run: voltage,
    not_compared: lacks_power,
};

pub(super) const CURRENT: Checker = Checker {
    docking_only: false,
    reads: &["power.direction", "power.current"],
    run: current,
    not_compared: lacks_power,
};

pub(super) const CONNECTOR: Checker = Checker {
    docking_only: false,
    reads: &["power.direction", "power.connector"],
    run: connector,
    not_compared: connector_not_compared,
};

pub(super) const POWER: Checker = Checker {
    docking_only: false,
    reads: &["power.direction", "power.power"],
    run: power,
    not_compared: lacks_power,
};

/// Supplier and receiver of a power transfer, when there is one (both ways
/// for `both` + `both`; empty when both supply or both receive). `None`
/// when a direction is not declared.
fn transfers<'a>(c: Side<'a>, t: Side<'a>) -> Option<Vec<(Side<'a>, Side<'a>)>> {
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

/// Both sides' power blocks, or `None` (said at info level when only one
/// side has one).
fn blocks<'a>(ctx: &mut Ctx<'a, '_>) -> Option<(&'a Power, &'a Power)> {
    let (c, t) = (ctx.chaser, ctx.target);
    let (Some(cp), Some(tp)) = (c.port.power.as_ref(), t.port.power.as_ref()) else {
        if c.port.power.is_some() || t.port.power.is_some() {
            let who = if c.port.power.is_none() { c } else { t };
            ctx.skipped(|| format!("{} declares no `power` block", who.name()));
        }
        return None;
    };
    Some((cp, tp))
}

/// The (supplier, receiver) pairs of a transfer, or `None` after saying at
/// info level why nothing is transferred.
fn supplies<'a>(ctx: &mut Ctx<'a, '_>) -> Option<Vec<(Side<'a>, Side<'a>)>> {
    blocks(ctx)?;
    let Some(pairs) = transfers(ctx.chaser, ctx.target) else {
        ctx.skipped("a power `direction` is not declared");
        return None;
    };
    if pairs.is_empty() {
        ctx.skipped("both sides supply, or both receive: no power is transferred");
        return None;
    }
    Some(pairs)
}

fn voltage(ctx: &mut Ctx) {
    let Some(pairs) = supplies(ctx) else { return };
    for (sup, rec) in pairs {
        let (Some(sp), Some(rp)) = (sup.port.power.as_ref(), rec.port.power.as_ref()) else {
            continue;
        };
        let (Some(sv), Some(rv)) = (&sp.voltage, &rp.voltage) else {
            ctx.skipped("a voltage is not declared");
            continue;
        };
        if sv.value.within(&rv.value) {
            continue;
        }
        let (sw, rw) = (ctx.word(sup), ctx.word(rec));
        ctx.fail(|| format!(
            "{} supplies {} but {} accepts only {}",
            sup.name(),
            sv.value,
            rec.name(),
            rv.value
        ))
        .between(
            (sup, sv.span, || format!("{sw} supplies {}", sv.value)),
            (rec, rv.span, || format!("{rw} accepts {}", rv.value)),
        )
        .help("the supplied voltage range must lie inside the receiver's accepted range; a voltage mismatch needs a declared converter, in the direction power flows and within its rating (the Shuttle's 28 V reached the ISS's 120 V bus through the APCU, orbiter to ISS), or a change of bus")
        .push();
    }
}

fn current(ctx: &mut Ctx) {
    let Some(pairs) = supplies(ctx) else { return };
    for (sup, rec) in pairs {
        let (Some(sp), Some(rp)) = (sup.port.power.as_ref(), rec.port.power.as_ref()) else {
            continue;
        };
        let (Some(sc), Some(rc)) = (&sp.current, &rp.current) else {
            ctx.skipped("a current is not declared");
            continue;
        };
        if le(rc.value.si, sc.value.si) {
            continue;
        }
        let (sw, rw) = (ctx.word(sup), ctx.word(rec));
        ctx.fail(|| {
            format!(
                "{} draws {} but {} delivers at most {}",
                rec.name(),
                rc.value,
                sup.name(),
                limit_in(&sc.value, &sc.value.to_string(), &rc.value.unit)
            )
        })
        .between(
            (sup, sc.span, || format!("{sw} delivers up to {}", sc.value)),
            (rec, rc.span, || format!("{rw} draws {}", rc.value)),
        )
        .help("the receiver's draw must not exceed the supplier's current")
        .push();
    }
}

/// MATE-POWER: for each (supplier, receiver), the receiver's rated draw is at
/// most what the supplier delivers. Skipped (info) like `current` when a
/// side of the transfer declares no `power`.
fn power(ctx: &mut Ctx) {
    let Some(pairs) = supplies(ctx) else { return };
    for (sup, rec) in pairs {
        let (Some(sp), Some(rp)) = (rating(sup), rating(rec)) else {
            let who = if rating(sup).is_none() { sup } else { rec };
            ctx.skipped(|| format!("{} declares no `power` rating", who.name()));
            continue;
        };
        if le(rp.value.si, sp.value.si) {
            continue;
        }
        let (sw, rw) = (ctx.word(sup), ctx.word(rec));
        ctx.fail(|| format!(
            "{} draws up to {} but {} delivers at most {}",
            rec.name(),
            rp.value,
            sup.name(),
            limit_in(&sp.value, &sp.value.to_string(), &rp.value.unit)
        ))
        .between(
            (sup, sp.span, || format!("{sw} delivers up to {}", sp.value)),
            (rec, rp.span, || format!("{rw} draws up to {}", rp.value)),
        )
        .help("the receiver's `power` must not exceed what the supplier delivers: lower the receiver's load, or supply it from a source rated for it (the Shuttle's PTU delivered up to 8 kW from the ISS)")
        .push();
    }
}

/// A side's `power` rating.
fn rating(s: Side<'_>) -> Option<&Spanned<Quantity>> {
    s.port.power.as_ref()?.power.as_ref()
}

fn connector(ctx: &mut Ctx) {
    let (c, t) = (ctx.chaser, ctx.target);
    let Some((cp, tp)) = blocks(ctx) else { return };
    if transfers(c, t).is_none_or(|p| p.is_empty()) {
        return;
    }
    let (Some(a), Some(b)) = (&cp.connector, &tp.connector) else {
        return;
    };
    if trim(&a.value).eq_ignore_ascii_case(trim(&b.value)) {
        return;
    }
    ctx.fail(|| {
        format!(
            "power connectors differ: \"{}\" on {} and \"{}\" on {}",
            a.value,
            c.name(),
            b.value,
            t.name()
        )
    })
    .at(c, a.span, || format!("chaser connector \"{}\"", a.value))
    .related(t, b.span, || format!("target connector \"{}\"", b.value))
    .help("both sides must use the same umbilical connector")
    .push();
}

fn lacks_power(ctx: &Ctx) -> Option<String> {
    lacks(ctx, "power", |p| p.power.is_some())
}

/// No power block, no transfer, or a side without a `connector`.
fn connector_not_compared(ctx: &Ctx) -> Option<String> {
    lacks_power(ctx).or_else(|| {
        match transfers(ctx.chaser, ctx.target) {
            None => return Some("a power `direction` is not declared".into()),
            Some(p) if p.is_empty() => {
                return Some("both sides supply, or both receive: no power is transferred".into());
            }
            Some(_) => {}
        }
        let has = |s: Side| s.port.power.as_ref().is_some_and(|p| p.connector.is_some());
        ctx.sides()
            .into_iter()
            .find(|s| !has(*s))
            .map(|s| format!("{} declares no `connector`", s.name()))
    })
}
