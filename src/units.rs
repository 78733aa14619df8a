//! Dimensions, the unit table, and conversion to SI.
//!
//! A unit expression is a product/quotient of symbols with optional integer
//! powers (`m/s`, `kg*m^2`, `Mbit/s`). Every symbol maps to a dimension vector
//! and a factor to SI; `degC` also carries an offset, which applies only when it
//! stands alone. Angle and information (bits) are dimensions of their own so
//! that `deg/s` is not `Hz` and `Mbit/s` is not `Hz` either.

use serde::Serialize;
use std::fmt;

/// Number of base dimensions.
const N: usize = 9;
/// Names of the base dimensions, in vector order.
const BASE: [&str; N] = ["m", "kg", "s", "A", "K", "rad", "bit", "dB", "ratio"];

/// A physical dimension as a vector of integer exponents over the base
/// dimensions (length, mass, time, current, temperature, angle, information,
/// level in dB, ratio).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(into = "String")]
pub struct Dim(pub [i8; N]);

impl Dim {
    pub const NONE: Dim = Dim([0; N]);
    const fn base(i: usize) -> Dim {
        let mut d = [0; N];
        d[i] = 1;
        Dim(d)
    }
    pub const LENGTH: Dim = Dim::base(0);
    pub const MASS: Dim = Dim::base(1);
    pub const TIME: Dim = Dim::base(2);
    pub const CURRENT: Dim = Dim::base(3);
    pub const TEMPERATURE: Dim = Dim::base(4);
    pub const ANGLE: Dim = Dim::base(5);
    pub const INFO: Dim = Dim::base(6);
    pub const LEVEL: Dim = Dim::base(7);
    pub const RATIO: Dim = Dim::base(8);
    pub const VELOCITY: Dim = Dim([1, 0, -1, 0, 0, 0, 0, 0, 0]);
    pub const ANGULAR_RATE: Dim = Dim([0, 0, -1, 0, 0, 1, 0, 0, 0]);
    pub const FREQUENCY: Dim = Dim([0, 0, -1, 0, 0, 0, 0, 0, 0]);
    pub const DATA_RATE: Dim = Dim([0, 0, -1, 0, 0, 0, 1, 0, 0]);
    pub const FORCE: Dim = Dim([1, 1, -2, 0, 0, 0, 0, 0, 0]);
    pub const PRESSURE: Dim = Dim([-1, 1, -2, 0, 0, 0, 0, 0, 0]);
    pub const POWER: Dim = Dim([2, 1, -3, 0, 0, 0, 0, 0, 0]);
    pub const VOLTAGE: Dim = Dim([2, 1, -3, -1, 0, 0, 0, 0, 0]);

    fn mul(self, other: Dim, power: i32) -> Option<Dim> {
        let mut out = self.0;
        for (o, x) in out.iter_mut().zip(other.0) {
            let v = i32::from(*o) + i32::from(x) * power;
            *o = i8::try_from(v).ok()?;
        }
        Some(Dim(out))
    }

    /// Whether the dimension has a name of its own ("length", "ratio").
    pub fn is_named(self) -> bool {
        NAMED.iter().any(|(d, _)| *d == self)
    }

    /// A human name for the dimension ("length", "velocity", or the base form).
    pub fn name(self) -> std::borrow::Cow<'static, str> {
        for (d, n) in NAMED {
            if *d == self {
                return std::borrow::Cow::Borrowed(n);
            }
        }
        std::borrow::Cow::Owned(self.to_string())
    }
}

const NAMED: &[(Dim, &str)] = &[
    (Dim::NONE, "count (no unit)"),
    (Dim::LENGTH, "length"),
    (Dim::MASS, "mass"),
    (Dim::TIME, "time"),
    (Dim::CURRENT, "current"),
    (Dim::TEMPERATURE, "temperature"),
    (Dim::ANGLE, "angle"),
    (Dim::INFO, "information"),
    (Dim::LEVEL, "level (dB)"),
    (Dim::RATIO, "ratio"),
    (Dim::VELOCITY, "velocity"),
    (Dim::ANGULAR_RATE, "angular rate"),
    (Dim::FREQUENCY, "frequency"),
    (Dim::DATA_RATE, "data rate"),
    (Dim::FORCE, "force"),
    (Dim::PRESSURE, "pressure"),
    (Dim::POWER, "power"),
    (Dim::VOLTAGE, "voltage"),
];

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Dim::NONE {
            return f.write_str("1");
        }
        let mut first = true;
        for (i, e) in self.0.iter().enumerate() {
            if *e == 0 {
                continue;
            }
            if !first {
                f.write_str("*")?;
            }
            first = false;
            if *e == 1 {
                write!(f, "{}", BASE[i])?;
            } else {
                write!(f, "{}^{}", BASE[i], e)?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dim({self})")
    }
}

impl From<Dim> for String {
    fn from(d: Dim) -> String {
        d.name().into_owned()
    }
}

/// One unit symbol: its dimension, factor to SI, offset (temperature only),
/// and whether SI prefixes may be put before it.
struct Symbol {
    sym: &'static str,
    dim: Dim,
    factor: f64,
    offset: f64,
    prefixable: bool,
}

const fn s(sym: &'static str, dim: Dim, factor: f64, prefixable: bool) -> Symbol {
    Symbol {
        sym,
        dim,
        factor,
        offset: 0.0,
        prefixable,
    }
}

const DEG: f64 = std::f64::consts::PI / 180.0;

/// The unit table. Exact symbols are looked up before prefixed ones, so
/// `min` is a minute (not a milli-inch) and `mm` a millimetre.
const SYMBOLS: &[Symbol] = &[
    // length
    s("m", Dim::LENGTH, 1.0, true),
    s("in", Dim::LENGTH, 0.0254, false),
    s("ft", Dim::LENGTH, 0.3048, false),
    // mass
    s("g", Dim::MASS, 1e-3, true),
    s("t", Dim::MASS, 1e3, false),
    s("lb", Dim::MASS, 0.453_592_37, false),
    // time
    s("s", Dim::TIME, 1.0, true),
    s("min", Dim::TIME, 60.0, false),
    s("h", Dim::TIME, 3600.0, false),
    // angle
    s("rad", Dim::ANGLE, 1.0, true),
    s("deg", Dim::ANGLE, DEG, false),
    s("arcmin", Dim::ANGLE, DEG / 60.0, false),
    s("arcsec", Dim::ANGLE, DEG / 3600.0, false),
    s("°", Dim::ANGLE, DEG, false),
    // electrical
    s("V", Dim::VOLTAGE, 1.0, true),
    s("A", Dim::CURRENT, 1.0, true),
    s("W", Dim::POWER, 1.0, true),
    // frequency
    s("Hz", Dim::FREQUENCY, 1.0, true),
    // information and data rate
    s("bit", Dim::INFO, 1.0, true),
    s("B", Dim::INFO, 8.0, true),
    s("bps", Dim::DATA_RATE, 1.0, false),
    s("kbps", Dim::DATA_RATE, 1e3, false),
    s("Mbps", Dim::DATA_RATE, 1e6, false),
    s("Gbps", Dim::DATA_RATE, 1e9, false),
    // force and pressure
    s("N", Dim::FORCE, 1.0, true),
    s("lbf", Dim::FORCE, 4.448_221_615_260_5, false),
    s("Pa", Dim::PRESSURE, 1.0, true),
    s("psi", Dim::PRESSURE, 6_894.757_293_168, false),
    // temperature
    s("K", Dim::TEMPERATURE, 1.0, false),
    Symbol {
        sym: "degC",
        dim: Dim::TEMPERATURE,
        factor: 1.0,
        offset: 273.15,
        prefixable: false,
    },
    Symbol {
        sym: "°C",
        dim: Dim::TEMPERATURE,
        factor: 1.0,
        offset: 273.15,
        prefixable: false,
    },
    // ratios
    s("%", Dim::RATIO, 0.01, false),
    s("dB", Dim::LEVEL, 1.0, false),
];

const PREFIXES: &[(&str, f64)] = &[
    ("n", 1e-9),
    ("µ", 1e-6),
    ("u", 1e-6),
    ("m", 1e-3),
    ("c", 1e-2),
    ("d", 1e-1),
    ("k", 1e3),
    ("M", 1e6),
    ("G", 1e9),
    ("T", 1e12),
];

/// Looks up one symbol (with an optional SI prefix): (dimension, factor,
/// offset), in a table of every symbol and prefixed form built once. A
/// symbol of the table wins over a prefixed reading of it (`min`, `mm`);
/// among prefixed readings the first prefix of [`PREFIXES`] wins.
fn lookup(sym: &str) -> Option<(Dim, f64, f64)> {
    type Table = std::collections::HashMap<String, (Dim, f64, f64)>;
    static TABLE: std::sync::LazyLock<Table> = std::sync::LazyLock::new(|| {
        let mut t = Table::new();
        for (p, pf) in PREFIXES {
            for x in SYMBOLS.iter().filter(|x| x.prefixable) {
                t.entry(format!("{p}{}", x.sym))
                    .or_insert((x.dim, x.factor * pf, 0.0));
            }
        }
        for x in SYMBOLS {
            t.insert(x.sym.to_string(), (x.dim, x.factor, x.offset));
        }
        t
    });
    TABLE.get(sym).copied()
}

/// One factor of a unit expression as written: a symbol, its power, and
/// whether it stands after a `/`.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitFactor<'a> {
    pub symbol: &'a str,
    pub power: i32,
    pub divide: bool,
    /// Byte range of the symbol in the source.
    pub span: (usize, usize),
}

/// A resolved unit: dimension, factor to SI and offset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unit {
    pub dim: Dim,
    pub factor: f64,
    pub offset: f64,
}

impl Unit {
    pub const ONE: Unit = Unit {
        dim: Dim::NONE,
        factor: 1.0,
        offset: 0.0,
    };

    /// Converts a value in this unit to SI.
    pub fn to_si(self, v: f64) -> f64 {
        v * self.factor + self.offset
    }
}

/// Why a unit expression could not be resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum UnitError {
    /// The symbol at this byte range is not in the unit table.
    Unknown {
        symbol: String,
        span: (usize, usize),
    },
    /// The powers overflow any sensible dimension.
    TooLarge { span: (usize, usize) },
}

/// Resolves a parsed unit expression.
pub fn resolve(factors: &[UnitFactor]) -> Result<Unit, UnitError> {
    if factors.is_empty() {
        return Ok(Unit::ONE);
    }
    let single = factors.len() == 1 && factors[0].power == 1 && !factors[0].divide;
    let mut unit = Unit::ONE;
    for f in factors {
        let (dim, factor, offset) = lookup(f.symbol).ok_or_else(|| UnitError::Unknown {
            symbol: f.symbol.to_string(),
            span: f.span,
        })?;
        let p = if f.divide { -f.power } else { f.power };
        if p.abs() > 12 {
            return Err(UnitError::TooLarge { span: f.span });
        }
        unit.dim = unit
            .dim
            .mul(dim, p)
            .ok_or(UnitError::TooLarge { span: f.span })?;
        unit.factor *= factor.powi(p);
        if single {
            unit.offset = offset;
        }
    }
    Ok(unit)
}

/// Parses a unit string such as `m/s` or `kg*m^2` (used by spec files, whose
/// limits are written as text) into factors with spans relative to the string.
pub fn parse_unit_text(text: &str) -> Option<Vec<UnitFactor<'_>>> {
    let mut out = Vec::new();
    let mut divide = false;
    let mut rest = text;
    let mut pos = 0;
    loop {
        let len = rest.find(['*', '/', '^']).unwrap_or(rest.len());
        let sym = &rest[..len];
        if sym.is_empty() || !sym.chars().all(is_unit_char) {
            return None;
        }
        let mut f = UnitFactor {
            symbol: sym,
            power: 1,
            divide,
            span: (pos, pos + len),
        };
        rest = &rest[len..];
        pos += len;
        if let Some(r) = rest.strip_prefix('^') {
            let n = r.find(['*', '/']).unwrap_or(r.len());
            f.power = r[..n].parse().ok()?;
            rest = &r[n..];
            pos += 1 + n;
        }
        out.push(f);
        match rest.chars().next() {
            None => return Some(out),
            Some(c) => {
                divide = c == '/';
                rest = &rest[1..];
                pos += 1;
            }
        }
    }
}

/// Characters allowed in a unit symbol.
pub fn is_unit_char(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '%' || c == 'µ' || c == '°'
}

/// Every symbol in the table, and the common prefixed forms (for "did you mean").
pub const KNOWN_SYMBOLS: &[&str] = &[
    "m", "mm", "cm", "km", "in", "ft", "kg", "g", "t", "lb", "s", "ms", "min", "h", "deg", "rad",
    "arcmin", "arcsec", "V", "mV", "kV", "A", "mA", "W", "kW", "Hz", "kHz", "MHz", "GHz", "bit",
    "kbit", "Mbit", "Gbit", "bps", "kbps", "Mbps", "Gbps", "N", "kN", "lbf", "Pa", "kPa", "psi",
    "K", "degC", "%", "dB",
];

/// Example units for a dimension, for help texts.
pub fn examples(dim: Dim) -> &'static str {
    match dim {
        d if d == Dim::LENGTH => "m, mm, cm, km, in, ft",
        d if d == Dim::MASS => "kg, g, t, lb",
        d if d == Dim::TIME => "s, ms, min, h",
        d if d == Dim::VELOCITY => "m/s, cm/s, mm/s, km/h",
        d if d == Dim::ANGLE => "deg, rad, arcmin",
        d if d == Dim::ANGULAR_RATE => "deg/s, rad/s, arcmin/s",
        d if d == Dim::VOLTAGE => "V, mV, kV",
        d if d == Dim::CURRENT => "A, mA",
        d if d == Dim::POWER => "W, kW",
        d if d == Dim::FREQUENCY => "Hz, kHz, MHz, GHz",
        d if d == Dim::DATA_RATE => "bit/s, kbit/s, Mbit/s, Gbit/s, bps, kbps, Mbps, Gbps",
        d if d == Dim::FORCE => "N, kN, lbf",
        d if d == Dim::PRESSURE => "Pa, kPa, psi",
        d if d == Dim::TEMPERATURE => "K, degC",
        d if d == Dim::RATIO => "%",
        d if d == Dim::NONE => "no unit",
        _ => "a compound of the unit table's symbols",
    }
}

/// Spellings people write for a unit of the table (`tons`, `VDC`), and the
/// symbol they mean.
pub const ALIASES: &[(&str, &str)] = &[
    ("ton", "t"),
    ("tons", "t"),
    ("tonne", "t"),
    ("tonnes", "t"),
    ("mt", "t"),
    ("kgs", "kg"),
    ("lbs", "lb"),
    ("VDC", "V"),
    ("Vdc", "V"),
    ("VAC", "V"),
    ("Vac", "V"),
    ("volt", "V"),
    ("volts", "V"),
    ("amp", "A"),
    ("amps", "A"),
    ("ampere", "A"),
    ("amperes", "A"),
    ("watt", "W"),
    ("watts", "W"),
    ("sec", "s"),
    ("secs", "s"),
    ("second", "s"),
    ("seconds", "s"),
    ("meter", "m"),
    ("meters", "m"),
    ("metre", "m"),
    ("metres", "m"),
    ("inch", "in"),
    ("inches", "in"),
    ("feet", "ft"),
    ("foot", "ft"),
    ("degree", "deg"),
    ("degrees", "deg"),
    ("hz", "Hz"),
    ("khz", "kHz"),
    ("mhz", "MHz"),
    ("ghz", "GHz"),
];

/// The dimension of a single unit symbol of the table.
fn symbol_dim(symbol: &str) -> Option<Dim> {
    lookup(symbol).map(|(d, _, _)| d)
}

/// The symbol of the table closest to an unknown `symbol`: a known
/// misspelling first, then the closest symbol of dimension `dim` (when the
/// symbol is the whole unit), then the closest of any dimension.
pub fn suggest(symbol: &str, dim: Option<Dim>) -> Option<&'static str> {
    let fits = |s: &str| dim.is_none_or(|d| symbol_dim(s) == Some(d));
    if let Some((_, to)) = ALIASES
        .iter()
        .find(|(a, to)| *a == symbol && fits(to))
        .or_else(|| {
            ALIASES
                .iter()
                .find(|(a, to)| a.eq_ignore_ascii_case(symbol) && fits(to))
        })
    {
        return Some(to);
    }
    match dim {
        Some(_) => {
            crate::diagnostic::closest(symbol, KNOWN_SYMBOLS.iter().copied().filter(|s| fits(s)))
        }
        None => crate::diagnostic::closest(symbol, KNOWN_SYMBOLS.iter().copied()),
    }
}

/// The unit an example of dimension `dim` is written in (`mm` for a length,
/// `V` for a voltage), or `None` for a dimension with no unit of its own.
pub fn example_unit(dim: Dim) -> Option<&'static str> {
    if dim == Dim::LENGTH {
        return Some("mm");
    }
    match examples(dim).split(", ").next() {
        Some(u) if u != "no unit" && !u.contains(' ') => Some(u),
        _ => None,
    }
}

/// Relative tolerance used for every comparison of quantities.
pub const REL_TOL: f64 = 1e-9;

/// `a <= b` with the relative tolerance of the language contract.
pub fn le(a: f64, b: f64) -> bool {
    a <= b || approx_eq(a, b)
}

/// `a == b` within the relative tolerance of the language contract.
pub fn approx_eq(a: f64, b: f64) -> bool {
    let scale = a.abs().max(b.abs());
    (a - b).abs() <= REL_TOL * scale || a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(text: &str) -> Unit {
        resolve(&parse_unit_text(text).unwrap()).unwrap()
    }

    fn si(v: f64, text: &str) -> f64 {
        u(text).to_si(v)
    }

    fn close(a: f64, b: f64) -> bool {
        approx_eq(a, b)
    }

    #[test]
    fn lengths() {
        assert!(close(si(800.0, "mm"), 0.8));
        assert!(close(si(80.0, "cm"), 0.8));
        assert!(close(si(1.2, "km"), 1200.0));
        assert!(close(si(1.0, "in"), 0.0254));
        assert!(close(si(1.0, "ft"), 0.3048));
        assert!(close(si(31.5, "in"), 0.8001));
        assert_eq!(u("m").dim, Dim::LENGTH);
    }

    #[test]
    fn inches_and_millimetres_compare() {
        assert!(le(si(800.0, "mm"), si(31.5, "in")));
        assert!(!le(si(31.5, "in"), si(800.0, "mm")));
    }

    #[test]
    fn masses() {
        assert!(close(si(1.0, "kg"), 1.0));
        assert!(close(si(1.0, "g"), 1e-3));
        assert!(close(si(1.0, "t"), 1000.0));
        assert!(close(si(1.0, "lb"), 0.453_592_37));
        assert_eq!(u("t").dim, Dim::MASS);
    }

    #[test]
    fn times() {
        assert!(close(si(1.0, "s"), 1.0));
        assert!(close(si(5.0, "ms"), 0.005));
        assert!(close(si(2.0, "min"), 120.0));
        assert!(close(si(1.0, "h"), 3600.0));
    }

    #[test]
    fn velocities() {
        assert_eq!(u("m/s").dim, Dim::VELOCITY);
        assert!(close(si(4.0, "cm/s"), 0.04));
        assert!(close(si(216.0, "m/h"), 0.06));
        assert!(close(si(36.0, "km/h"), 10.0));
    }

    #[test]
    fn angles() {
        assert_eq!(u("deg").dim, Dim::ANGLE);
        assert!(close(si(180.0, "deg"), std::f64::consts::PI));
        assert!(close(si(240.0, "arcmin"), si(4.0, "deg")));
        assert!(close(si(1.0, "rad"), 1.0));
        assert!(close(si(3.0, "arcmin/s"), si(0.05, "deg/s")));
    }

    #[test]
    fn angle_rate_is_not_frequency() {
        assert_eq!(u("deg/s").dim, Dim::ANGULAR_RATE);
        assert_ne!(u("deg/s").dim, u("Hz").dim);
    }

    #[test]
    fn electrical() {
        assert!(close(si(28.0, "V"), 28.0));
        assert!(close(si(500.0, "mV"), 0.5));
        assert!(close(si(0.024, "kV"), 24.0));
        assert!(close(si(10000.0, "mA"), 10.0));
        assert!(close(si(1.0, "A"), 1.0));
        assert!(close(si(2.0, "kW"), 2000.0));
        assert!(close(si(3.0, "W"), 3.0));
        assert_eq!(u("V").dim, Dim::VOLTAGE);
        assert_eq!(u("W").dim, Dim::POWER);
        assert_eq!(u("A").dim, Dim::CURRENT);
        // V*A is a power
        assert_eq!(u("V*A").dim, Dim::POWER);
    }

    #[test]
    fn frequencies() {
        assert!(close(si(1.0, "kHz"), 1e3));
        assert!(close(si(1.0, "MHz"), 1e6));
        assert!(close(si(2.2, "GHz"), 2.2e9));
        assert!(close(si(436000.0, "kHz"), si(436.0, "MHz")));
        assert_eq!(u("Hz").dim, Dim::FREQUENCY);
    }

    #[test]
    fn data_rates() {
        assert_eq!(u("bit/s").dim, Dim::DATA_RATE);
        assert!(close(si(1.0, "kbit/s"), 1e3));
        assert!(close(si(1.0, "Mbit/s"), 1e6));
        assert!(close(si(1.0, "Gbit/s"), 1e9));
        assert!(close(si(1.0, "bps"), 1.0));
        assert!(close(si(1.0, "kbps"), 1e3));
        assert!(close(si(100.0, "Mbps"), si(100.0, "Mbit/s")));
        assert!(close(si(1.0, "Gbps"), 1e9));
        assert_eq!(u("Mbps").dim, u("Mbit/s").dim);
        assert_ne!(u("Mbit/s").dim, u("MHz").dim);
    }

    #[test]
    fn forces_and_pressures() {
        assert!(close(si(1.0, "kN"), 1000.0));
        assert!(close(si(1.0, "lbf"), 4.448_221_615_260_5));
        assert_eq!(u("N").dim, Dim::FORCE);
        assert_eq!(u("kg*m/s^2").dim, Dim::FORCE);
        assert!(close(si(1.0, "kPa"), 1000.0));
        assert!(close(si(1.0, "psi"), 6_894.757_293_168));
        assert_eq!(u("N/m^2").dim, Dim::PRESSURE);
        assert_eq!(u("N*m").dim, Dim([2, 1, -2, 0, 0, 0, 0, 0, 0]));
        assert_eq!(u("kg*m^2").dim, Dim([2, 1, 0, 0, 0, 0, 0, 0, 0]));
    }

    #[test]
    fn temperatures() {
        assert!(close(si(0.0, "degC"), 273.15));
        assert!(close(si(-30.0, "degC"), 243.15));
        assert!(close(si(300.0, "K"), 300.0));
        assert_eq!(u("degC").dim, Dim::TEMPERATURE);
        // the offset applies only to a lone degC
        assert!(close(u("degC/s").to_si(1.0), 1.0));
    }

    #[test]
    fn degree_sign_aliases() {
        assert!(close(si(4.0, "°"), si(4.0, "deg")));
        assert!(close(si(0.2, "°/s"), si(0.2, "deg/s")));
        assert!(close(si(20.0, "°C"), si(20.0, "degC")));
        assert!(close(si(1.0, "µs"), 1e-6));
    }

    #[test]
    fn ratios() {
        assert!(close(si(5.0, "%"), 0.05));
        assert_eq!(u("dB").dim, Dim::LEVEL);
        assert_ne!(u("dB").dim, u("%").dim);
    }

    #[test]
    fn unknown_symbols() {
        let e = resolve(&parse_unit_text("furlongs").unwrap()).unwrap_err();
        assert!(matches!(e, UnitError::Unknown { ref symbol, .. } if symbol == "furlongs"));
        let e = resolve(&parse_unit_text("m/parsec").unwrap()).unwrap_err();
        assert!(matches!(e, UnitError::Unknown { ref symbol, span: (2, 8) } if symbol == "parsec"));
        // prefixes only where they make sense
        assert!(resolve(&parse_unit_text("kin").unwrap()).is_err());
        assert!(resolve(&parse_unit_text("mdeg").unwrap()).is_err());
    }

    #[test]
    fn unit_text_parsing() {
        assert!(parse_unit_text("").is_none());
        assert!(parse_unit_text("m/").is_none());
        assert!(parse_unit_text("m^x").is_none());
        let f = parse_unit_text("kg*m^2/s^2").unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[1].power, 2);
        assert!(f[2].divide);
    }

    #[test]
    fn dimension_names() {
        assert_eq!(Dim::VOLTAGE.name(), "voltage");
        assert_eq!(Dim::LENGTH.name(), "length");
        assert_eq!(u("kg*m^2").dim.name(), "m^2*kg");
    }

    #[test]
    fn tolerant_comparison() {
        assert!(le(0.1, 0.1 + 1e-12));
        assert!(le(0.1 + 1e-12, 0.1));
        assert!(!le(0.1 + 1e-6, 0.1));
        assert!(approx_eq(0.0, 0.0));
    }
}
