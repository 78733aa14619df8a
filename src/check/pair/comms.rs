//! `pair = "comms"` (MATE-COMMS): the two `comms` blocks share a link
//! protocol, and on at least one common link each side's transmit range
//! lies inside the other's receive range. Fixtures:
//! `fixtures/mating/comms-fail.icd` and `fixtures/mating/comms-fail-units.icd`.

use super::{Checker, Ctx, common_protocol, lacks, trim};
use crate::model::{Link, Range, Spanned};
use crate::syntax::Span;

pub(super) const CHECK: Checker = Checker {
    docking_only: false,
    reads: &["comms"],
    run,
    not_compared: |ctx| lacks(ctx, "comms", |p| p.comms.is_some()),
};

fn link_proto(l: &Link) -> Option<&str> {
    l.protocol.as_ref().map(|p| trim(&p.value))
}

/// Whether a receiver hears a transmitter (true when either is undeclared).
fn hears(tx: &Option<Spanned<Range>>, rx: &Option<Spanned<Range>>) -> bool {
    match (tx, rx) {
        (Some(tx), Some(rx)) => tx.value.within(&rx.value),
        _ => true,
    }
}

pub(super) fn run(ctx: &mut Ctx) {
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
        ctx.fail(|| format!("{} and {} share no comms link protocol", c.name(), t.name()))
            .at(
                c,
                Span::new(cc.span.start, cc.span.start + 5),
                "chaser links",
            )
            .related(
                t,
                Span::new(tc.span.start, tc.span.start + 5),
                "target links",
            )
            .help("declare a link with a protocol both sides use")
            .push();
        return;
    }
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
    ctx.fail(|| {
        format!(
            "{} transmits {} but {} receives only {} ({})",
            tx_side.name(),
            tx.value,
            rx_side.name(),
            rx.value,
            link_proto(a).unwrap_or("")
        )
    })
    .between(
        (tx_side, tx.span, || {
            format!("{} transmits {}", tx_side.name(), tx.value)
        }),
        (rx_side, rx.span, || {
            format!("{} receives {}", rx_side.name(), rx.value)
        }),
    )
    .help("each side's transmit range must lie inside the other's receive range")
    .push();
}
