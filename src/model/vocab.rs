//! The vocabulary as data for rule specs: every path a rule may address,
//! relative to a port (`docking.passageway`) or its vehicle (`vehicle.mass`),
//! the kind of value found there, and typed look-up into a model.

use super::{Envelope, Port, Quantity, Range, Spanned, Vehicle};
use crate::syntax::Span;
use crate::units::Dim;

/// What a path holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Str,
    Symbol(&'static [&'static str]),
    Count,
    Quantity(Dim),
    Range(Dim),
    Envelope,
    Block,
}

impl Kind {
    pub fn describe(self) -> String {
        match self {
            Kind::Str => "a string".into(),
            Kind::Symbol(v) => format!("one of {}", v.join(", ")),
            Kind::Count => "a count".into(),
            Kind::Quantity(d) => d.name(),
            Kind::Range(d) => format!("a range of {}", d.name()),
            Kind::Envelope => "an envelope block".into(),
            Kind::Block => "a block".into(),
        }
    }
}

/// Which blocks each block holds (`file` is the top level). The lowering
/// checks bodies against it, and the parser uses it to tell an unclosed inner
/// block from an unknown one.
pub const NESTING: &[(&str, &[&str])] = &[
    ("file", &["vehicle", "mating"]),
    ("vehicle", &["port"]),
    ("port", &["docking", "power", "data", "comms"]),
    ("docking", &["capture", "approach"]),
    ("data", &["bus"]),
    ("comms", &["link"]),
];

/// The blocks a block of `kind` holds (none for a leaf or unknown kind).
pub fn children(kind: &str) -> &'static [&'static str] {
    NESTING
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[], |(_, c)| c)
}

/// Whether a block of kind `parent` (`None`: the top level) holds `child`
/// blocks.
pub fn nests(parent: Option<&str>, child: &str) -> bool {
    children(parent.unwrap_or("file")).contains(&child)
}

/// Envelope keys, in order; the last one exists only in `capture`.
pub const ENVELOPE_KEYS: &[(&str, Kind)] = &[
    ("closing_velocity", Kind::Range(Dim::VELOCITY)),
    ("lateral_velocity", Kind::Quantity(Dim::VELOCITY)),
    ("lateral_misalignment", Kind::Quantity(Dim::LENGTH)),
    ("angular_misalignment", Kind::Quantity(Dim::ANGLE)),
    ("roll_misalignment", Kind::Quantity(Dim::ANGLE)),
    ("angular_rate", Kind::Quantity(Dim::ANGULAR_RATE)),
    ("partner_mass", Kind::Range(Dim::MASS)),
];

/// Every addressable path and its kind.
pub const PATHS: &[(&str, Kind)] = &[
    ("vehicle.name", Kind::Str),
    ("vehicle.operator", Kind::Str),
    ("vehicle.mass", Kind::Range(Dim::MASS)),
    ("location", Kind::Str),
    ("docking", Kind::Block),
    ("docking.system", Kind::Str),
    ("docking.standard", Kind::Str),
    ("docking.revision", Kind::Str),
    ("docking.role", Kind::Symbol(super::Role::NAMES)),
    ("docking.passageway", Kind::Quantity(Dim::LENGTH)),
    ("docking.hooks", Kind::Count),
    ("docking.guide_petals", Kind::Count),
    ("docking.capture", Kind::Envelope),
    ("docking.approach", Kind::Envelope),
    ("power", Kind::Block),
    ("power.direction", Kind::Symbol(super::Direction::NAMES)),
    ("power.voltage", Kind::Range(Dim::VOLTAGE)),
    ("power.current", Kind::Quantity(Dim::CURRENT)),
    ("power.connector", Kind::Str),
    ("data", Kind::Block),
    ("comms", Kind::Block),
];

/// The kind at a path, including `docking.capture.KEY` and `docking.approach.KEY`.
pub fn kind_of(path: &str) -> Option<Kind> {
    if let Some((k, _)) = PATHS.iter().find(|(p, _)| *p == path).map(|(p, k)| (*k, p)) {
        return Some(k);
    }
    let (env, key) = path.rsplit_once('.')?;
    if env == "docking.capture" || env == "docking.approach" {
        let k = ENVELOPE_KEYS.iter().find(|(n, _)| *n == key)?;
        if key == "partner_mass" && env == "docking.approach" {
            return None;
        }
        return Some(k.1);
    }
    None
}

/// A value found at a path.
#[derive(Clone, Copy, Debug)]
pub enum Field<'a> {
    Quantity(&'a Spanned<Quantity>),
    Range(&'a Spanned<Range>),
    Str(&'a str, Span),
    Envelope(&'a Envelope),
    Block(Span),
}

impl Field<'_> {
    pub fn span(&self) -> Span {
        match self {
            Field::Quantity(q) => q.span,
            Field::Range(r) => r.span,
            Field::Str(_, s) | Field::Block(s) => *s,
            Field::Envelope(e) => e.span,
        }
    }
}

/// The result of a look-up.
#[derive(Clone, Copy, Debug)]
pub enum Lookup<'a> {
    Found(Field<'a>),
    /// Not declared; the span is the header of the innermost enclosing block
    /// that exists (the port, when the `docking` or `power` block is absent).
    Missing(Span),
    /// Not a path of the vocabulary.
    Absent,
}

/// The first `len` bytes of a block's span: its header keyword.
fn head(span: Span, len: usize) -> Span {
    Span::new(span.start, (span.start + len).min(span.end))
}

fn opt_str(s: &Option<Spanned<String>>, parent: Span) -> Lookup<'_> {
    match s {
        Some(s) => Lookup::Found(Field::Str(&s.value, s.span)),
        None => Lookup::Missing(parent),
    }
}

fn opt_q(q: &Option<Spanned<Quantity>>, parent: Span) -> Lookup<'_> {
    q.as_ref().map_or(Lookup::Missing(parent), |q| {
        Lookup::Found(Field::Quantity(q))
    })
}

fn opt_r(r: &Option<Spanned<Range>>, parent: Span) -> Lookup<'_> {
    r.as_ref()
        .map_or(Lookup::Missing(parent), |r| Lookup::Found(Field::Range(r)))
}

/// Looks up an envelope key.
/// Looks up an envelope key; `kind` is `capture` or `approach` (its header
/// is where a missing key is reported).
pub fn envelope_key<'a>(e: &'a Envelope, kind: &str, key: &str) -> Lookup<'a> {
    let h = head(e.span, kind.len());
    match key {
        "closing_velocity" => opt_r(&e.closing_velocity, h),
        "lateral_velocity" => opt_q(&e.lateral_velocity, h),
        "lateral_misalignment" => opt_q(&e.lateral_misalignment, h),
        "angular_misalignment" => opt_q(&e.angular_misalignment, h),
        "roll_misalignment" => opt_q(&e.roll_misalignment, h),
        "angular_rate" => opt_q(&e.angular_rate, h),
        "partner_mass" => opt_r(&e.partner_mass, h),
        _ => Lookup::Absent,
    }
}

/// Looks up a path on a port of a vehicle.
pub fn lookup<'a>(v: &'a Vehicle, p: &'a Port, path: &str) -> Lookup<'a> {
    if let Some(rest) = path.strip_prefix("vehicle.") {
        let vh = Span::new(v.span.start, v.id.span.end.max(v.span.start));
        return match rest {
            "name" => opt_str(&v.name, vh),
            "operator" => opt_str(&v.operator, vh),
            "mass" => opt_r(&v.mass, vh),
            _ => Lookup::Absent,
        };
    }
    let ph = Span::new(p.span.start, p.id.span.end.max(p.span.start));
    let (first, rest) = path.split_once('.').unwrap_or((path, ""));
    match first {
        "location" => opt_str(&p.location, ph),
        "docking" => {
            let Some(d) = &p.docking else {
                return Lookup::Missing(ph);
            };
            let dh = head(d.span, 7);
            let (h2, r2) = rest.split_once('.').unwrap_or((rest, ""));
            match h2 {
                "" => Lookup::Found(Field::Block(d.span)),
                "system" => opt_str(&d.system, dh),
                "standard" => opt_str(&d.standard, dh),
                "revision" => opt_str(&d.revision, dh),
                "role" => match &d.role {
                    Some(r) => Lookup::Found(Field::Str(r.value.as_str(), r.span)),
                    None => Lookup::Missing(dh),
                },
                "passageway" => opt_q(&d.passageway, dh),
                "hooks" => opt_q(&d.hooks, dh),
                "guide_petals" => opt_q(&d.guide_petals, dh),
                "capture" | "approach" => {
                    let env = if h2 == "capture" {
                        &d.capture
                    } else {
                        &d.approach
                    };
                    match (env, r2) {
                        (None, _) => Lookup::Missing(dh),
                        (Some(e), "") => Lookup::Found(Field::Envelope(e)),
                        (Some(e), key) => envelope_key(e, h2, key),
                    }
                }
                _ => Lookup::Absent,
            }
        }
        "power" => {
            let Some(pw) = &p.power else {
                return Lookup::Missing(ph);
            };
            let pwh = head(pw.span, 5);
            match rest {
                "" => Lookup::Found(Field::Block(pw.span)),
                "direction" => match &pw.direction {
                    Some(d) => Lookup::Found(Field::Str(d.value.as_str(), d.span)),
                    None => Lookup::Missing(pwh),
                },
                "voltage" => opt_r(&pw.voltage, pwh),
                "current" => opt_q(&pw.current, pwh),
                "connector" => opt_str(&pw.connector, pwh),
                _ => Lookup::Absent,
            }
        }
        "data" => p
            .data
            .as_ref()
            .map_or(Lookup::Missing(ph), |d| Lookup::Found(Field::Block(d.span))),
        "comms" => p
            .comms
            .as_ref()
            .map_or(Lookup::Missing(ph), |c| Lookup::Found(Field::Block(c.span))),
        _ => Lookup::Absent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_path_has_a_kind() {
        for (p, k) in PATHS {
            assert_eq!(kind_of(p), Some(*k), "{p}");
        }
        assert_eq!(
            kind_of("docking.capture.closing_velocity"),
            Some(Kind::Range(Dim::VELOCITY))
        );
        assert_eq!(kind_of("docking.approach.partner_mass"), None);
        assert_eq!(kind_of("docking.nope"), None);
    }
}
