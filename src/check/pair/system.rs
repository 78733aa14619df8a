//! `pair = "system"` (MATE-SYSTEM): both docking systems are in one family
//! of the loaded specs, the family docks (is not berthing), and a gendered
//! (probe and drogue) family has the probe on the chaser. Fixture:
//! `fixtures/mating/system-fail.icd` (APAS-95 against the IDSS hub).

use super::{Checker, Ctx, lacks_docking};
use crate::model::Role;
use crate::spec::FamilyKind;

pub(super) const CHECK: Checker = Checker {
    reads: &["docking.system", "docking.role"],
    run,
    not_compared,
};

pub(super) fn run(ctx: &mut Ctx) {
    let (c, t) = (ctx.chaser, ctx.target);
    let (Some(cs), Some(ts)) = (c.system(), t.system()) else {
        return;
    };
    let (Some(cf), Some(tf)) = (ctx.set.family_of(&cs.value), ctx.set.family_of(&ts.value)) else {
        return;
    };
    let target_label = format!("target system `{}` ({})", ts.value, tf.name);
    if cf.id != tf.id {
        ctx.fail(format!(
            "`{}` ({}) and `{}` ({}) are not in one compatible family",
            cs.value, cf.name, ts.value, tf.name
        ))
        .at(c, cs.span, format!("chaser system `{}`", cs.value))
        .related(t, ts.span, target_label)
        .help("partners need docking systems of one family, or a declared adapter port")
        .push();
    } else if cf.kind == FamilyKind::Berthing {
        ctx.fail(format!(
            "`{}` is berthing, not docking: {} and {} do not dock",
            cs.value,
            c.name(),
            t.name()
        ))
        .at(
            c,
            cs.span,
            format!("`{}` is a berthing mechanism", cs.value),
        )
        .related(t, ts.span, target_label)
        .help("berthed modules are placed by a robot arm; check them as berthing, not as a docking")
        .push();
    } else if cf.kind == FamilyKind::Gendered {
        let probe_on_chaser = c.role().is_some_and(|r| r.value == Role::Active)
            && t.role().is_some_and(|r| r.value == Role::Passive);
        if probe_on_chaser {
            return;
        }
        let role = |s: super::Side| s.role().map_or("undeclared", |r| r.value.as_str());
        ctx.fail(format!(
            "`{}` is probe and drogue: the chaser must carry the probe (active) and the target the drogue (passive)",
            cs.value
        ))
        .at(c, c.role_or_header(), format!("chaser is {}", role(c)))
        .related(t, t.role_or_header(), format!("target is {}", role(t)))
        .help("a probe-drogue docking needs an active chaser and a passive target")
        .push();
    }
}

/// No docking block, or a system in no loaded family.
fn not_compared(ctx: &Ctx) -> Option<String> {
    lacks_docking(ctx).or_else(|| {
        ctx.sides().into_iter().find_map(|s| match s.system() {
            None => Some(format!("{} declares no docking system", s.name())),
            Some(x) if ctx.set.family_of(&x.value).is_none() => {
                Some(format!("`{}` is in no loaded family", x.value))
            }
            Some(_) => None,
        })
    })
}
