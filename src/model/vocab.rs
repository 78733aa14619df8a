//! The vocabulary as data for rule specs: every path a rule may address,
//! relative to a port (`docking.passageway`) or its vehicle (`vehicle.mass`),
//! the kind of value found there, and typed look-up into a model.

use super::{Envelope, Port, Quantity, Range, Spanned, Vehicle};
use crate::syntax::Span;
use crate::units::Dim;
use std::sync::LazyLock;

/// What a path holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Str,
    /// A list of strings (`tags = ["crew"]`).
    StrList,
    Symbol(&'static [&'static str]),
    Count,
    Quantity(Dim),
    Range(Dim),
    /// A port reference (`vehicle.port`).
    Ref,
    Envelope,
    Block,
}

impl Kind {
    pub fn describe(self) -> String {
        match self {
            Kind::Str => "a string".into(),
            Kind::StrList => "a list of strings".into(),
            Kind::Symbol(v) => format!("one of {}", v.join(", ")),
            Kind::Count => "a count".into(),
            Kind::Quantity(d) => d.name().into_owned(),
            Kind::Range(d) => format!("a range of {}", d.name()),
            Kind::Ref => "a port reference".into(),
            Kind::Envelope => "an envelope block".into(),
            Kind::Block => "a block".into(),
        }
    }
}

/// A block of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockDef {
    pub name: &'static str,
    /// The block that holds it (`file`: the top level).
    pub parent: &'static str,
    /// Whether it takes an id (`port main { ... }`).
    pub keyed: bool,
}

/// An attribute of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr {
    pub block: &'static str,
    pub key: &'static str,
    pub kind: Kind,
}

const fn block(name: &'static str, parent: &'static str, keyed: bool) -> BlockDef {
    BlockDef {
        name,
        parent,
        keyed,
    }
}

const fn attr(block: &'static str, key: &'static str, kind: Kind) -> Attr {
    Attr { block, key, kind }
}

/// Every block, in the order the printer writes them.
pub const BLOCKS: &[BlockDef] = &[
    block("vehicle", "file", true),
    block("mating", "file", true),
    block("atmosphere", "vehicle", false),
    block("port", "vehicle", true),
    block("docking", "port", false),
    block("power", "port", false),
    block("data", "port", false),
    block("comms", "port", false),
    block("capture", "docking", false),
    block("approach", "docking", false),
    block("bus", "data", true),
    block("link", "comms", true),
];

/// Every attribute of every block, in the order the printer writes them.
/// The lowering accepts exactly these keys and reads each as its kind
/// (`tests/vocabulary.rs` writes every one with a value of its kind, and of
/// another kind); [`PATHS`] and [`ENVELOPE_KEYS`] are the part of it rules
/// address (tested below).
pub const ATTRS: &[Attr] = &[
    attr("file", "format", Kind::Count),
    attr("vehicle", "name", Kind::Str),
    attr("vehicle", "operator", Kind::Str),
    attr("vehicle", "tags", Kind::StrList),
    attr("vehicle", "mass", Kind::Range(Dim::MASS)),
    attr("atmosphere", "pressure", Kind::Range(Dim::PRESSURE)),
    attr("atmosphere", "oxygen", Kind::Range(Dim::RATIO)),
    attr("port", "location", Kind::Str),
    attr("docking", "system", Kind::Str),
    attr("docking", "standard", Kind::Str),
    attr("docking", "revision", Kind::Str),
    attr("docking", "role", Kind::Symbol(super::Role::NAMES)),
    attr("docking", "passageway", Kind::Quantity(Dim::LENGTH)),
    attr("docking", "hooks", Kind::Count),
    attr("docking", "guide_petals", Kind::Count),
    attr("capture", "closing_velocity", Kind::Range(Dim::VELOCITY)),
    attr("capture", "lateral_velocity", Kind::Quantity(Dim::VELOCITY)),
    attr(
        "capture",
        "lateral_misalignment",
        Kind::Quantity(Dim::LENGTH),
    ),
    attr(
        "capture",
        "angular_misalignment",
        Kind::Quantity(Dim::ANGLE),
    ),
    attr("capture", "roll_misalignment", Kind::Quantity(Dim::ANGLE)),
    attr("capture", "angular_rate", Kind::Quantity(Dim::ANGULAR_RATE)),
    attr("capture", "partner_mass", Kind::Range(Dim::MASS)),
    attr("approach", "closing_velocity", Kind::Range(Dim::VELOCITY)),
    attr(
        "approach",
        "lateral_velocity",
        Kind::Quantity(Dim::VELOCITY),
    ),
    attr(
        "approach",
        "lateral_misalignment",
        Kind::Quantity(Dim::LENGTH),
    ),
    attr(
        "approach",
        "angular_misalignment",
        Kind::Quantity(Dim::ANGLE),
    ),
    attr("approach", "roll_misalignment", Kind::Quantity(Dim::ANGLE)),
    attr(
        "approach",
        "angular_rate",
        Kind::Quantity(Dim::ANGULAR_RATE),
    ),
    attr("power", "direction", Kind::Symbol(super::Direction::NAMES)),
    attr("power", "voltage", Kind::Range(Dim::VOLTAGE)),
    attr("power", "current", Kind::Quantity(Dim::CURRENT)),
    attr("power", "connector", Kind::Str),
    attr("power", "power", Kind::Quantity(Dim::POWER)),
    attr("bus", "protocol", Kind::Str),
    attr("bus", "rate", Kind::Quantity(Dim::DATA_RATE)),
    attr("bus", "role", Kind::Symbol(super::BusRole::NAMES)),
    attr("link", "band", Kind::Str),
    attr("link", "protocol", Kind::Str),
    attr("link", "transmit", Kind::Range(Dim::FREQUENCY)),
    attr("link", "receive", Kind::Range(Dim::FREQUENCY)),
    attr("mating", "chaser", Kind::Ref),
    attr("mating", "target", Kind::Ref),
];

/// The block named `name`.
pub fn block_def(name: &str) -> Option<&'static BlockDef> {
    BLOCKS.iter().find(|b| b.name == name)
}

/// Groups `(group, item)` pairs, in order: the table behind [`children`]
/// and [`attrs`], built once each.
type Groups = foldhash::HashMap<&'static str, Vec<&'static str>>;

fn grouped(pairs: impl Iterator<Item = (&'static str, &'static str)>) -> Groups {
    let mut t = Groups::default();
    for (group, item) in pairs {
        t.entry(group).or_default().push(item);
    }
    t
}

/// The blocks a block of `kind` holds (none for a leaf or unknown kind).
pub fn children(kind: &str) -> &'static [&'static str] {
    static TABLE: LazyLock<Groups> =
        LazyLock::new(|| grouped(BLOCKS.iter().map(|b| (b.parent, b.name))));
    TABLE.get(kind).map_or(&[], Vec::as_slice)
}

/// The attribute keys a block of `kind` takes, in order.
pub fn attrs(kind: &str) -> &'static [&'static str] {
    static TABLE: LazyLock<Groups> =
        LazyLock::new(|| grouped(ATTRS.iter().map(|a| (a.block, a.key))));
    TABLE.get(kind).map_or(&[], Vec::as_slice)
}

/// The kind of attribute `key` of a `block`.
pub fn attr_kind(block: &str, key: &str) -> Option<Kind> {
    ATTRS
        .iter()
        .find(|a| a.block == block && a.key == key)
        .map(|a| a.kind)
}

/// Whether a block of kind `parent` (`None`: the top level) holds `child`
/// blocks. The parser uses it to tell an unclosed inner block from an
/// unknown one.
pub fn nests(parent: Option<&str>, child: &str) -> bool {
    let parent = parent.unwrap_or("file");
    BLOCKS.iter().any(|b| b.parent == parent && b.name == child)
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
    ("vehicle.atmosphere", Kind::Block),
    ("vehicle.atmosphere.pressure", Kind::Range(Dim::PRESSURE)),
    ("vehicle.atmosphere.oxygen", Kind::Range(Dim::RATIO)),
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
    ("power.power", Kind::Quantity(Dim::POWER)),
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
            "atmosphere" => v
                .atmosphere
                .as_ref()
                .map_or(Lookup::Missing(vh), |a| Lookup::Found(Field::Block(a.span))),
            "atmosphere.pressure" | "atmosphere.oxygen" => {
                let Some(a) = &v.atmosphere else {
                    return Lookup::Missing(vh);
                };
                let ah = head(a.span, 10);
                if rest.ends_with("pressure") {
                    opt_r(&a.pressure, ah)
                } else {
                    opt_r(&a.oxygen, ah)
                }
            }
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
                "power" => opt_q(&pw.power, pwh),
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

    /// `PATHS` and `ENVELOPE_KEYS` are the table's rule-addressable part:
    /// every leaf path names an attribute of the table with the same kind,
    /// and every value attribute of a vehicle, port, `docking` or `power`
    /// (but a vehicle's `tags`) is addressable.
    #[test]
    fn paths_are_the_addressable_part_of_the_table() {
        let table_path = |a: &Attr| match a.block {
            "vehicle" => Some(format!("vehicle.{}", a.key)),
            "atmosphere" => Some(format!("vehicle.atmosphere.{}", a.key)),
            "port" => Some(a.key.to_string()),
            "docking" | "power" => Some(format!("{}.{}", a.block, a.key)),
            "capture" | "approach" => Some(format!("docking.{}.{}", a.block, a.key)),
            _ => None,
        };
        for a in ATTRS {
            let Some(p) = table_path(a) else { continue };
            if a.kind == Kind::StrList {
                assert_eq!(kind_of(&p), None, "{p}");
            } else {
                assert_eq!(kind_of(&p), Some(a.kind), "{p}");
            }
        }
        for (p, k) in PATHS {
            if matches!(k, Kind::Block | Kind::Envelope) {
                let last = p.rsplit('.').next().unwrap_or(p);
                assert!(block_def(last).is_some(), "{p}");
                continue;
            }
            assert!(
                ATTRS
                    .iter()
                    .any(|a| table_path(a).as_deref() == Some(p) && a.kind == *k),
                "{p} is not in ATTRS as {k:?}"
            );
        }
        for (key, k) in ENVELOPE_KEYS {
            assert_eq!(attr_kind("capture", key), Some(*k), "{key}");
        }
        assert_eq!(attrs("approach").len() + 1, ENVELOPE_KEYS.len());
    }
}
