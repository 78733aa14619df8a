//! `pair = "system"` (MATE-SYSTEM): both docking systems are in one family
//! of the loaded specs (or in two families whose compatibility is
//! unresolved, which `undecided` reports), and in a gendered (probe and
//! drogue) or berthing family one side is the active half and the other the
//! passive half, whichever of them approaches. Fixtures:
//! `fixtures/mating/system-fail.icd` (APAS-95 against the IDSS hub),
//! `fixtures/history/missions.icd` (Apollo's probe against APAS-75).

use super::{Checker, Ctx, Side, lacks_docking};
use crate::spec::{Family, FamilyKind, RoleName};

pub(super) const CHECK: Checker = Checker {
    docking_only: false,
    reads: &["docking.system", "docking.role"],
    run,
    not_compared,
};

pub(super) fn run(ctx: &mut Ctx) {
    let (c, t) = (ctx.chaser, ctx.target);
    let (Some(cs), Some(ts)) = (c.system(), t.system()) else {
        return;
    };
    let [Some(cf), Some(tf)] = ctx.families else {
        return;
    };
    let target_label = || format!("target system `{}` ({})", ts.value, tf.name);
    if cf.id != tf.id {
        if ctx.set.undecided_between(cf, tf).is_some() {
            return;
        }
        let how = |f: &Family| {
            if f.kind == FamilyKind::Berthing {
                "berths"
            } else {
                "docks"
            }
        };
        let help = || {
            if (cf.kind == FamilyKind::Berthing) != (tf.kind == FamilyKind::Berthing) {
                format!(
                    "`{}` {} and `{}` {}: a berthing port takes only the other half of its berthing mechanism",
                    cs.value,
                    how(cf),
                    ts.value,
                    how(tf)
                )
            } else {
                "partners need docking systems of one family, or a declared adapter port".into()
            }
        };
        ctx.fail(|| {
            format!(
                "`{}` ({}) and `{}` ({}) are not in one compatible family",
                cs.value, cf.name, ts.value, tf.name
            )
        })
        .at(c, cs.span, || format!("chaser system `{}`", cs.value))
        .related(t, ts.span, target_label)
        .help(help)
        .push();
        return;
    }
    if cf.kind == FamilyKind::Androgynous {
        return;
    }
    // gendered and berthing: an active half and a passive half, in either
    // order (who approaches decides nothing: ASTP redocking, 1975)
    let half = |s: Side| {
        let declared = s.role().map(|r| RoleName::from(r.value));
        s.system().and_then(|x| cf.half(&x.value, declared))
    };
    let (ch, th) = (half(c), half(t));
    if matches!(
        (ch, th),
        (Some(RoleName::Active), Some(RoleName::Passive))
            | (Some(RoleName::Passive), Some(RoleName::Active))
    ) {
        return;
    }
    let name = |h: Option<RoleName>| h.map_or("undeclared", RoleName::as_str);
    let berthing = cf.kind == FamilyKind::Berthing;
    let message = || {
        if berthing {
            format!(
                "`{}` and `{}` are both {} halves of {}: berthing takes an active half (the station's ACBM) and a passive half (the visitor's PCBM)",
                cs.value,
                ts.value,
                name(ch),
                cf.name
            )
        } else {
            format!(
                "`{}` is probe and drogue: one side must carry the probe (active) and the other the drogue (passive); here the chaser is {} and the target {}",
                cs.value,
                name(ch),
                name(th)
            )
        }
    };
    let help = if berthing {
        "one side must be the active half and the other the passive half"
    } else {
        "a probe-drogue docking needs a probe (active) on one side and a drogue (passive) on the other"
    };
    // the family's own source says how its halves mate
    let reference = || format!("{} [{}]", cf.reference, cf.provenance.as_str());
    if ch == th && berthing {
        ctx.fail(message)
            .reference(reference)
            .at(c, cs.span, || format!("chaser half: {}", name(ch)))
            .related(t, ts.span, || format!("target half: {}", name(th)))
            .help(help)
            .push();
    } else {
        ctx.fail(message)
            .reference(reference)
            .at(c, c.role_or_header(), || format!("chaser is {}", name(ch)))
            .related(t, t.role_or_header(), || format!("target is {}", name(th)))
            .help(help)
            .push();
    }
}

/// No docking block, or a system in no loaded family.
fn not_compared(ctx: &Ctx) -> Option<String> {
    lacks_docking(ctx).or_else(|| {
        ctx.sides().into_iter().find_map(|s| match s.system() {
            None => Some(format!("{} declares no docking system", s.name())),
            Some(x) if ctx.family(s).is_none() => {
                Some(format!("`{}` is in no loaded family", x.value))
            }
            Some(_) => None,
        })
    })
}
