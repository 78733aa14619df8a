//! The typed model: vehicles, ports and their interfaces, every field with its
//! span, every quantity in SI with its dimension. Lowered from the syntax tree
//! by [`lower`], which emits the language diagnostics; printed back to `.icd`
//! text by [`print`]; cross-file ids and refs are checked by [`world`].

pub mod lower;
pub mod print;
pub mod vocab;
pub mod world;

use crate::syntax::Span;
use crate::units::{Dim, approx_eq};
use serde::Serialize;
use std::fmt;

pub use lower::lower;

/// A value and the span it was written at. Equality compares values only.
/// (Block spans, the `span` fields of the structs below, are compared: two
/// models are equal as values when those are cleared, as the round-trip test
/// does.)
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

/// A quantity: its SI value and dimension, and the number and unit as written
/// (for messages in the user's units).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Quantity {
    /// The value in SI units.
    pub si: f64,
    /// The dimension's name (`length`, `velocity`, ...).
    #[schemars(with = "String")]
    pub dimension: Dim,
    pub number: f64,
    /// The unit as written; one shared text per distinct unit of a file.
    #[schemars(with = "String")]
    pub unit: std::sync::Arc<str>,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.dimension == other.dimension && approx_eq(self.si, other.si)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.unit.is_empty() {
            write!(f, "{}", fmt_number(self.number))
        } else {
            write!(f, "{} {}", fmt_number(self.number), self.unit)
        }
    }
}

/// Prints a number the shortest way that reads back to the same value.
pub fn fmt_number(n: f64) -> String {
    if n == 0.0 {
        return "0".into();
    }
    let s = format!("{n}");
    if s.len() > 12 { format!("{n:e}") } else { s }
}

/// An inclusive range; a tolerance (`120 V ± 5 %`) is stored as the range it
/// means, with `text` keeping how it was written.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Range {
    pub lo: Quantity,
    pub hi: Quantity,
    /// The value as written in the source (one shared text per distinct
    /// value a thread lowers).
    #[schemars(with = "String")]
    pub text: std::sync::Arc<str>,
}

impl PartialEq for Range {
    fn eq(&self, other: &Self) -> bool {
        self.lo == other.lo && self.hi == other.hi
    }
}

impl Range {
    /// `self` lies inside `outer` (inclusive, with the contract's tolerance).
    pub fn within(&self, outer: &Range) -> bool {
        crate::units::le(outer.lo.si, self.lo.si) && crate::units::le(self.hi.si, outer.hi.si)
    }
    /// `q` lies inside the range.
    pub fn contains(&self, q: &Quantity) -> bool {
        crate::units::le(self.lo.si, q.si) && crate::units::le(q.si, self.hi.si)
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// One `.icd` file, lowered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Model {
    pub format: Option<Spanned<u32>>,
    pub vehicles: Vec<Vehicle>,
    pub matings: Vec<Mating>,
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Vehicle {
    pub id: Spanned<String>,
    pub name: Option<Spanned<String>>,
    pub operator: Option<Spanned<String>>,
    pub tags: Option<Spanned<Vec<String>>>,
    /// A single mass is stored as a range with equal ends.
    pub mass: Option<Spanned<Range>>,
    /// The cabin behind the hatch (language 1.1).
    pub atmosphere: Option<Box<Atmosphere>>,
    pub ports: Vec<Port>,
    pub span: Span,
    /// Paths (`vehicle.mass`) written but invalid: a language diagnostic was
    /// reported there, so rules that read them skip this vehicle's ports.
    #[serde(skip)]
    #[schemars(skip)]
    pub invalid: Vec<String>,
}

/// The cabin atmosphere a vehicle holds behind its hatch (language 1.1).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Atmosphere {
    /// Total pressure the cabin can hold.
    pub pressure: Option<Spanned<Range>>,
    /// Oxygen fraction (`%`: 0.195 .. 0.235 in SI).
    pub oxygen: Option<Spanned<Range>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Port {
    pub id: Spanned<String>,
    pub location: Option<Spanned<String>>,
    pub docking: Option<Box<Docking>>,
    pub power: Option<Box<Power>>,
    pub data: Option<Data>,
    pub comms: Option<Comms>,
    pub span: Span,
    /// Paths relative to the port (`docking.passageway`,
    /// `docking.capture.closing_velocity`) written but invalid: a language
    /// diagnostic was reported there, so rules that read them skip the port
    /// (present but invalid is neither a finding nor missing).
    #[serde(skip)]
    #[schemars(skip)]
    pub invalid: Vec<String>,
}

/// `path` is `prefix` or lies under it (`docking.capture.x` under `docking`).
pub fn under(path: &str, prefix: &str) -> bool {
    path == prefix || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'.'))
}

impl Port {
    /// Whether the value a rule reads at `path` (relative to the port, or
    /// `vehicle.*`) was written but invalid, on this port or its vehicle.
    pub fn is_invalid(&self, vehicle: &Vehicle, path: &str) -> bool {
        self.invalid
            .iter()
            .chain(&vehicle.invalid)
            .any(|x| under(path, x))
    }
    /// Whether anything under `prefix` (`power`, `docking.capture`) was
    /// written but invalid, on this port or its vehicle.
    pub fn has_invalid_under(&self, vehicle: &Vehicle, prefix: &str) -> bool {
        self.invalid
            .iter()
            .chain(&vehicle.invalid)
            .any(|x| under(x, prefix) || under(prefix, x))
    }
}

/// The docking role a port can play.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Active,
    Passive,
    Dual,
}

impl Role {
    pub const NAMES: &'static [&'static str] = &["active", "passive", "dual"];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Active => "active",
            Role::Passive => "passive",
            Role::Dual => "dual",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "active" => Some(Role::Active),
            "passive" => Some(Role::Passive),
            "dual" => Some(Role::Dual),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Docking {
    pub system: Option<Spanned<String>>,
    pub standard: Option<Spanned<String>>,
    pub revision: Option<Spanned<String>>,
    pub role: Option<Spanned<Role>>,
    pub passageway: Option<Spanned<Quantity>>,
    pub hooks: Option<Spanned<Quantity>>,
    pub guide_petals: Option<Spanned<Quantity>>,
    pub capture: Option<Box<Envelope>>,
    pub approach: Option<Box<Envelope>>,
    pub span: Span,
}

/// Contact conditions: what a mechanism can capture (`capture`) or what a
/// chaser delivers (`approach`).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Envelope {
    pub closing_velocity: Option<Spanned<Range>>,
    pub lateral_velocity: Option<Spanned<Quantity>>,
    pub lateral_misalignment: Option<Spanned<Quantity>>,
    pub angular_misalignment: Option<Spanned<Quantity>>,
    pub roll_misalignment: Option<Spanned<Quantity>>,
    pub angular_rate: Option<Spanned<Quantity>>,
    /// Only in `capture`.
    pub partner_mass: Option<Spanned<Range>>,
    pub span: Span,
}

/// Power flow across the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Supply,
    Receive,
    Both,
}

impl Direction {
    pub const NAMES: &'static [&'static str] = &["supply", "receive", "both"];
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Supply => "supply",
            Direction::Receive => "receive",
            Direction::Both => "both",
        }
    }
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "supply" => Some(Direction::Supply),
            "receive" => Some(Direction::Receive),
            "both" => Some(Direction::Both),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Power {
    pub direction: Option<Spanned<Direction>>,
    pub voltage: Option<Spanned<Range>>,
    pub current: Option<Spanned<Quantity>>,
    pub connector: Option<Spanned<String>>,
    /// Supply: the most it delivers; receive: the most it draws (language 1.1).
    pub power: Option<Spanned<Quantity>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Data {
    pub buses: Vec<Bus>,
    pub span: Span,
}

/// A bus node's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BusRole {
    Controller,
    Terminal,
    Peer,
}

impl BusRole {
    pub const NAMES: &'static [&'static str] = &["controller", "terminal", "peer"];
    pub fn as_str(self) -> &'static str {
        match self {
            BusRole::Controller => "controller",
            BusRole::Terminal => "terminal",
            BusRole::Peer => "peer",
        }
    }
    pub fn parse(s: &str) -> Option<BusRole> {
        match s {
            "controller" => Some(BusRole::Controller),
            "terminal" => Some(BusRole::Terminal),
            "peer" => Some(BusRole::Peer),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Bus {
    pub id: Spanned<String>,
    pub protocol: Option<Spanned<String>>,
    pub rate: Option<Spanned<Quantity>>,
    pub role: Option<Spanned<BusRole>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Comms {
    pub links: Vec<Link>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Link {
    pub id: Spanned<String>,
    pub band: Option<Spanned<String>>,
    pub protocol: Option<Spanned<String>>,
    pub transmit: Option<Spanned<Range>>,
    pub receive: Option<Spanned<Range>>,
    pub span: Span,
}

/// `vehicle.port`
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PortRef {
    pub vehicle: Spanned<String>,
    pub port: Spanned<String>,
}

impl fmt::Display for PortRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.vehicle.value, self.port.value)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Mating {
    pub id: Spanned<String>,
    pub chaser: Option<Spanned<PortRef>>,
    pub target: Option<Spanned<PortRef>>,
    pub span: Span,
}

/// The document `dockcheck export` prints (its schema: `dockcheck schema model`).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(title = "dockcheck exported model")]
pub struct ExportDoc {
    /// Always 1.
    pub version: u32,
    pub files: Vec<ExportFile>,
}

/// One file's model.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ExportFile {
    /// The path as given.
    pub file: String,
    #[serde(flatten)]
    pub model: Model,
}
