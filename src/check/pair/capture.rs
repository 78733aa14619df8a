//! `pair = "capture"` (MATE-CAPTURE): the chaser's `approach` envelope lies
//! inside the capturing side's `capture` envelope, key by key (ranges
//! inside ranges, limits not above limits). Fixtures:
//! `fixtures/mating/capture-fail.icd`, `fixtures/mating/capture-fail-units.icd`
//! and `fixtures/mating/rate-fail.icd`.

use super::{Checker, Ctx, Side, capturer, lacks_docking};
use crate::check::conformance::limit_in;
use crate::model::Envelope;
use crate::model::vocab::{self, Field, Lookup};
use crate::spec::FamilyKind;
use crate::units::le;

pub(super) const CHECK: Checker = Checker {
    docking_only: true,
    reads: &[
        "docking.role",
        "docking.system",
        "docking.capture",
        "docking.approach",
    ],
    run,
    not_compared,
};

pub(super) fn run(ctx: &mut Ctx) {
    let c = ctx.chaser;
    if ctx.berthing() || !ctx.both_docking() {
        return;
    }
    let Some((cap, _captured)) = capturer(c, ctx.target) else {
        return;
    };
    let capture = cap.port.docking.as_ref().and_then(|d| d.capture.as_ref());
    let approach = c.port.docking.as_ref().and_then(|d| d.approach.as_ref());
    let (Some(capture), Some(approach)) = (capture, approach) else {
        // worded only when a report shows it (a matrix makes a million pairs)
        ctx.skipped(|| match capture {
            None => format!(
                "the capturing side {} declares no `capture` envelope",
                cap.name()
            ),
            Some(_) => format!("the chaser {} declares no `approach` envelope", c.name()),
        });
        return;
    };
    compare_envelopes(ctx, cap, approach, capture);
}

/// Compares the chaser's approach with the capturer's capture, key by key.
fn compare_envelopes(ctx: &mut Ctx, cap: Side, approach: &Envelope, capture: &Envelope) {
    let (c, t) = (ctx.chaser, ctx.target);
    let (same_side, cap_word) = (ctx.is_chaser(cap), ctx.word(cap));
    for (key, _) in vocab::ENVELOPE_KEYS.iter().take(6) {
        let (Lookup::Found(a), Lookup::Found(k)) = (
            vocab::envelope_key(approach, "approach", key),
            vocab::envelope_key(capture, "capture", key),
        ) else {
            continue;
        };
        // the spans and relation word of a failure; its words (the chaser's
        // value, the capture value) are made only when a report shows them
        let (aspan, kspan, relation) = match (a, k) {
            (Field::Range(a), Field::Range(k)) if !a.value.within(&k.value) => {
                (a.span, k.span, "outside")
            }
            (Field::Quantity(a), Field::Quantity(k)) if !le(a.value.si, k.value.si) => {
                (a.span, k.span, "above")
            }
            _ => continue,
        };
        let aval = || match a {
            Field::Quantity(a) => format!("up to {}", a.value),
            Field::Range(a) => a.value.to_string(),
            _ => String::new(),
        };
        let kval = || match (a, k) {
            (Field::Quantity(a), Field::Quantity(k)) => {
                limit_in(&k.value, &k.value.to_string(), &a.value.unit)
            }
            (_, Field::Range(k)) => k.value.to_string(),
            _ => String::new(),
        };
        let word = || key.replace('_', " ");
        let limit_word = if relation == "above" { "up to " } else { "" };
        let mut finding = ctx
            .fail(|| {
                format!(
                    "{} approaches {} with {} {}, {relation} the {} that {} captures",
                    c.name(),
                    t.name(),
                    word(),
                    aval(),
                    kval(),
                    cap.name()
                )
            })
            .at(c, aspan, || {
                format!("chaser approaches at {} {}", word(), aval())
            })
            .related(cap, kspan, || {
                format!("{cap_word} captures {} {limit_word}{}", word(), kval())
            });
        if same_side {
            finding = finding.related(t, t.role_or_header(), || {
                format!("{} is the captured partner", t.name())
            });
        }
        finding
            .help(|| format!(
                "bring the chaser's approach {} inside the capture envelope, or widen the capture envelope",
                word()
            ))
            .push();
    }
}

/// No docking block, a berthing system (nothing is captured), or no side
/// that can capture. Shared with `mass`.
pub(super) fn not_compared(ctx: &Ctx) -> Option<String> {
    lacks_docking(ctx)
        .or_else(|| {
            ctx.sides().into_iter().find_map(|s| {
                let x = s.system()?;
                (ctx.family(s)?.kind == FamilyKind::Berthing)
                    .then(|| format!("`{}` is berthing: nothing is captured", x.value))
            })
        })
        .or_else(|| {
            capturer(ctx.chaser, ctx.target)
                .is_none()
                .then(|| "no side can capture (see MATE-ROLE)".to_string())
        })
}
