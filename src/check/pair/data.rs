//! `pair = "data"` (MATE-DATA): the two `data` blocks share a bus protocol,
//! and on at least one common bus both sides run at the same rate and (for
//! MIL-STD-1553) exactly one side is the bus controller. Fixtures:
//! `fixtures/mating/data-fail.icd` (rate) and
//! `fixtures/mating/data-protocol-fail.icd` (no common protocol).

use super::{Checker, Ctx, common_protocol, lacks, trim};
use crate::model::{Bus, BusRole, Data};
use crate::syntax::Span;
use crate::units::approx_eq;

pub(super) const CHECK: Checker = Checker {
    docking_only: false,
    reads: &["data"],
    run,
    not_compared: |ctx| lacks(ctx, "data", |p| p.data.is_some()),
};

fn is_1553(protocol: &str) -> bool {
    protocol.contains("1553")
}

fn proto(b: &Bus) -> Option<&str> {
    b.protocol.as_ref().map(|p| trim(&p.value))
}

/// How many of the two buses are the controller.
fn controllers(a: &Bus, b: &Bus) -> usize {
    [a, b]
        .iter()
        .filter(|x| {
            x.role
                .as_ref()
                .is_some_and(|r| r.value == BusRole::Controller)
        })
        .count()
}

fn rate_ok(a: &Bus, b: &Bus) -> bool {
    match (&a.rate, &b.rate) {
        (Some(x), Some(y)) => approx_eq(x.value.si, y.value.si),
        _ => true,
    }
}

fn controllers_ok(a: &Bus, b: &Bus) -> bool {
    !proto(a).is_some_and(is_1553) || controllers(a, b) == 1
}

pub(super) fn run(ctx: &mut Ctx) {
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
        no_common_protocol(ctx, cd, td);
        return;
    }
    // a common protocol must run at the same rate on at least one pair
    if common
        .iter()
        .any(|(a, b)| rate_ok(a, b) && controllers_ok(a, b))
    {
        return;
    }
    let (a, b) = common[0];
    if !rate_ok(a, b) {
        rate_differs(ctx, a, b);
    } else {
        controller_count(ctx, a, b);
    }
}

fn no_common_protocol(ctx: &mut Ctx, cd: &Data, td: &Data) {
    let (c, t) = (ctx.chaser, ctx.target);
    let list = |d: &Data| {
        d.buses
            .iter()
            .filter_map(proto)
            .collect::<Vec<_>>()
            .join(", ")
    };
    ctx.fail(|| format!("{} and {} share no data bus protocol", c.name(), t.name()))
        .at(c, Span::new(cd.span.start, cd.span.start + 4), || {
            format!("chaser buses: {}", list(cd))
        })
        .related(t, Span::new(td.span.start, td.span.start + 4), || {
            format!("target buses: {}", list(td))
        })
        .help("declare a bus with a protocol both sides speak")
        .push();
}

fn rate_differs(ctx: &mut Ctx, a: &Bus, b: &Bus) {
    let (c, t) = (ctx.chaser, ctx.target);
    let (Some(ar), Some(br)) = (a.rate.as_ref(), b.rate.as_ref()) else {
        return;
    };
    ctx.fail(|| {
        format!(
            "{} runs at {} on {} but at {} on {}",
            proto(a).unwrap_or("the common bus"),
            ar.value,
            c.name(),
            br.value,
            t.name()
        )
    })
    .at(c, ar.span, || {
        format!("chaser {} at {}", proto(a).unwrap_or(""), ar.value)
    })
    .related(t, br.span, || {
        format!("target {} at {}", proto(b).unwrap_or(""), br.value)
    })
    .help("a common bus protocol must run at the same rate on both sides")
    .push();
}

fn controller_count(ctx: &mut Ctx, a: &Bus, b: &Bus) {
    let (c, t) = (ctx.chaser, ctx.target);
    let n = controllers(a, b);
    let span_of = |x: &Bus| x.role.as_ref().map_or(x.id.span, |r| r.span);
    let role_of = |x: &Bus| {
        x.role
            .as_ref()
            .map_or("without a role", |r| r.value.as_str())
    };
    ctx.fail(|| {
        format!(
            "the {} bus between {} and {} has {n} controllers; it needs exactly one",
            proto(a).unwrap_or("MIL-STD-1553"),
            c.name(),
            t.name()
        )
    })
    .at(c, span_of(a), || {
        format!("chaser bus `{}` is {}", a.id.value, role_of(a))
    })
    .related(t, span_of(b), || {
        format!("target bus `{}` is {}", b.id.value, role_of(b))
    })
    .help("make exactly one side the bus controller and the other a terminal")
    .push();
}
