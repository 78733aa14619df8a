//! Generators of typed models for property tests (`roundtrip.rs`, `fmt.rs`),
//! included with `#[path]`: each model prints, with `model::print`, to text
//! that parses back to it.
#![allow(dead_code)]

use dockcheck::model::*;
use dockcheck::syntax::Span;
use dockcheck::units::Dim;
use proptest::prelude::*;
use proptest::{collection::vec, option, sample::select};
use std::collections::HashSet;
use std::f64::consts::PI;

// ------------------------------------------------------------ building blocks

pub fn sp<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Span::default())
}

/// A unit symbol as written and its factor to SI.
type Unit = (&'static str, f64);

const LENGTH: &[Unit] = &[("mm", 1e-3), ("m", 1.0), ("in", 0.0254)];
const MASS: &[Unit] = &[("kg", 1.0), ("t", 1e3)];
const VELOCITY: &[Unit] = &[("m/s", 1.0), ("cm/s", 1e-2), ("mm/s", 1e-3)];
const ANGLE: &[Unit] = &[
    ("deg", PI / 180.0),
    ("rad", 1.0),
    ("arcmin", PI / 180.0 / 60.0),
];
const ANGULAR_RATE: &[Unit] = &[("deg/s", PI / 180.0), ("rad/s", 1.0)];
const VOLTAGE: &[Unit] = &[("V", 1.0)];
const CURRENT: &[Unit] = &[("A", 1.0)];
const DATA_RATE: &[Unit] = &[("Mbit/s", 1e6), ("kbit/s", 1e3)];
const FREQUENCY: &[Unit] = &[("MHz", 1e6)];
const POWER: &[Unit] = &[("W", 1.0), ("kW", 1e3)];
const PRESSURE: &[Unit] = &[("Pa", 1.0), ("kPa", 1e3), ("psi", 6_894.757_293_168)];

/// Non-negative numbers: whole numbers, decimals, and values over fifteen
/// orders of magnitude (which print in exponent form).
pub fn magnitude() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u32..100_000).prop_map(f64::from),
        (0u32..10_000_000).prop_map(|n| f64::from(n) / 1000.0),
        (1.0f64..10.0, -6i32..9).prop_map(|(m, e)| m * 10f64.powi(e)),
    ]
}

pub fn number(signed: bool) -> impl Strategy<Value = f64> {
    (magnitude(), any::<bool>()).prop_map(move |(n, neg)| if signed && neg { -n } else { n })
}

pub fn quantity(units: &'static [Unit], dim: Dim, signed: bool) -> impl Strategy<Value = Quantity> {
    (number(signed), select(units)).prop_map(move |(number, (unit, factor))| Quantity {
        si: number * factor,
        dimension: dim,
        number,
        unit: unit.into(),
    })
}

pub fn count() -> impl Strategy<Value = Quantity> {
    (0u32..100).prop_map(|n| Quantity {
        si: f64::from(n),
        dimension: Dim::NONE,
        number: f64::from(n),
        unit: "".into(),
    })
}

/// A range whose ends may be in different units, lower end first.
pub fn range(units: &'static [Unit], dim: Dim, signed: bool) -> impl Strategy<Value = Range> {
    (quantity(units, dim, signed), quantity(units, dim, signed)).prop_map(|(a, b)| {
        let (lo, hi) = if a.si <= b.si { (a, b) } else { (b, a) };
        Range {
            lo,
            hi,
            text: "".into(),
        }
    })
}

/// `[a-z][a-z0-9-]{0,8}`, with words such as `true` now and then (they are
/// identifiers in a block header and in a ref).
pub fn id() -> impl Strategy<Value = String> {
    prop_oneof![9 => "[a-z][a-z0-9-]{0,8}", 1 => select(vec!["true", "false", "inf", "nan", "e1", "port", "vehicle"]).prop_map(String::from)]
}

/// Printable text with the characters that need escaping, any Unicode
/// scalar now and then, and control characters (printed as `\u{..}`).
pub fn text() -> impl Strategy<Value = String> {
    let special = select(vec![
        '"', '\\', '\n', '\t', '\r', '\0', '\u{7f}', '#', '{', '}', ';', 'é', 'Ω', '±', '🚀',
        '\u{feff}', '\u{2028}',
    ]);
    vec(
        prop_oneof![6 => prop::char::range(' ', '~'), 2 => special, 1 => any::<char>()],
        0..16,
    )
    .prop_map(String::from_iter)
}

pub fn opt<S: Strategy>(s: S) -> impl Strategy<Value = Option<S::Value>> {
    option::of(s)
}

/// Keeps the first item of each id.
pub fn unique<T>(items: Vec<T>, id: impl Fn(&T) -> &str) -> Vec<T> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|x| seen.insert(id(x).to_string()))
        .collect()
}

// ------------------------------------------------------------ the model

pub fn envelope(capture: bool) -> impl Strategy<Value = Envelope> {
    let partner_mass = if capture {
        opt(range(MASS, Dim::MASS, false).prop_map(sp)).boxed()
    } else {
        Just(None).boxed()
    };
    (
        opt(range(VELOCITY, Dim::VELOCITY, false).prop_map(sp)),
        opt(quantity(VELOCITY, Dim::VELOCITY, false).prop_map(sp)),
        opt(quantity(LENGTH, Dim::LENGTH, false).prop_map(sp)),
        opt(quantity(ANGLE, Dim::ANGLE, false).prop_map(sp)),
        opt(quantity(ANGLE, Dim::ANGLE, false).prop_map(sp)),
        opt(quantity(ANGULAR_RATE, Dim::ANGULAR_RATE, false).prop_map(sp)),
        partner_mass,
    )
        .prop_map(
            |(
                closing_velocity,
                lateral_velocity,
                lateral_misalignment,
                angular_misalignment,
                roll_misalignment,
                angular_rate,
                partner_mass,
            )| {
                Envelope {
                    closing_velocity,
                    lateral_velocity,
                    lateral_misalignment,
                    angular_misalignment,
                    roll_misalignment,
                    angular_rate,
                    partner_mass,
                    span: Span::default(),
                }
            },
        )
}

pub fn docking() -> impl Strategy<Value = Docking> {
    (
        text(),
        opt(text().prop_map(sp)),
        opt(text().prop_map(sp)),
        select(vec![Role::Active, Role::Passive, Role::Dual]),
        opt(quantity(LENGTH, Dim::LENGTH, false).prop_map(sp)),
        opt(count().prop_map(sp)),
        opt(count().prop_map(sp)),
        opt(envelope(true)),
        opt(envelope(false)),
    )
        .prop_map(
            |(
                system,
                standard,
                revision,
                role,
                passageway,
                hooks,
                guide_petals,
                capture,
                approach,
            )| Docking {
                system: Some(sp(system)),
                standard,
                revision,
                role: Some(sp(role)),
                passageway,
                hooks,
                guide_petals,
                capture: capture.map(Box::new),
                approach: approach.map(Box::new),
                span: Span::default(),
            },
        )
}

pub fn power() -> impl Strategy<Value = Power> {
    (
        opt(select(vec![Direction::Supply, Direction::Receive, Direction::Both]).prop_map(sp)),
        opt(range(VOLTAGE, Dim::VOLTAGE, true).prop_map(sp)),
        opt(quantity(CURRENT, Dim::CURRENT, false).prop_map(sp)),
        opt(text().prop_map(sp)),
        opt(quantity(POWER, Dim::POWER, false).prop_map(sp)),
    )
        .prop_map(|(direction, voltage, current, connector, power)| Power {
            direction,
            voltage,
            current,
            connector,
            power,
            span: Span::default(),
        })
}

/// An oxygen fraction in `%`, from 0 % to 100 % in steps of 0.1 %.
pub fn percent() -> impl Strategy<Value = Quantity> {
    (0u32..=1000).prop_map(|n| {
        let number = f64::from(n) / 10.0;
        Quantity {
            si: number * 0.01,
            dimension: Dim::RATIO,
            number,
            unit: "%".into(),
        }
    })
}

pub fn atmosphere() -> impl Strategy<Value = Atmosphere> {
    let oxygen = (percent(), percent()).prop_map(|(a, b)| {
        let (lo, hi) = if a.si <= b.si { (a, b) } else { (b, a) };
        Range {
            lo,
            hi,
            text: "".into(),
        }
    });
    (
        opt(range(PRESSURE, Dim::PRESSURE, false).prop_map(sp)),
        opt(oxygen.prop_map(sp)),
    )
        .prop_map(|(pressure, oxygen)| Atmosphere {
            pressure,
            oxygen,
            span: Span::default(),
        })
}

pub fn data() -> impl Strategy<Value = Data> {
    let bus = (
        id(),
        opt(text().prop_map(sp)),
        opt(quantity(DATA_RATE, Dim::DATA_RATE, false).prop_map(sp)),
        opt(select(vec![BusRole::Controller, BusRole::Terminal, BusRole::Peer]).prop_map(sp)),
    )
        .prop_map(|(id, protocol, rate, role)| Bus {
            id: sp(id),
            protocol,
            rate,
            role,
            span: Span::default(),
        });
    vec(bus, 0..3).prop_map(|buses| Data {
        buses: unique(buses, |b| &b.id.value),
        span: Span::default(),
    })
}

pub fn comms() -> impl Strategy<Value = Comms> {
    let link = (
        id(),
        opt(text().prop_map(sp)),
        opt(text().prop_map(sp)),
        opt(range(FREQUENCY, Dim::FREQUENCY, false).prop_map(sp)),
        opt(range(FREQUENCY, Dim::FREQUENCY, false).prop_map(sp)),
    )
        .prop_map(|(id, band, protocol, transmit, receive)| Link {
            id: sp(id),
            band,
            protocol,
            transmit,
            receive,
            span: Span::default(),
        });
    vec(link, 0..3).prop_map(|links| Comms {
        links: unique(links, |l| &l.id.value),
        span: Span::default(),
    })
}

pub fn port() -> impl Strategy<Value = Port> {
    (
        id(),
        opt(text().prop_map(sp)),
        opt(docking()),
        opt(power()),
        opt(data()),
        opt(comms()),
    )
        .prop_map(|(id, location, docking, power, data, comms)| Port {
            id: sp(id),
            location,
            docking: docking.map(Box::new),
            power: power.map(Box::new),
            data,
            comms,
            span: Span::default(),
            invalid: Vec::new(),
        })
}

pub fn vehicle() -> impl Strategy<Value = Vehicle> {
    (
        id(),
        text(),
        opt(text().prop_map(sp)),
        opt(vec(text(), 0..4).prop_map(sp)),
        opt(range(MASS, Dim::MASS, false).prop_map(sp)),
        opt(atmosphere()),
        vec(port(), 0..3),
    )
        .prop_map(
            |(id, name, operator, tags, mass, atmosphere, ports)| Vehicle {
                id: sp(id),
                name: Some(sp(name)),
                operator,
                tags,
                mass,
                atmosphere: atmosphere.map(Box::new),
                ports: unique(ports, |p| &p.id.value),
                span: Span::default(),
                invalid: Vec::new(),
            },
        )
}

pub fn port_ref() -> impl Strategy<Value = Spanned<PortRef>> {
    (id(), id()).prop_map(|(v, p)| {
        sp(PortRef {
            vehicle: sp(v),
            port: sp(p),
        })
    })
}

pub fn mating() -> impl Strategy<Value = Mating> {
    (id(), port_ref(), port_ref()).prop_map(|(id, chaser, target)| Mating {
        id: sp(id),
        chaser: Some(chaser),
        target: Some(target),
        span: Span::default(),
    })
}

pub fn model() -> impl Strategy<Value = Model> {
    (any::<bool>(), vec(vehicle(), 0..4), vec(mating(), 0..3)).prop_map(
        |(format, vehicles, matings)| Model {
            format: format.then(|| sp(1)),
            vehicles: unique(vehicles, |v| &v.id.value),
            matings: unique(matings, |m| &m.id.value),
        },
    )
}
