//! The core of `gen-fleet`: a deterministic generator of realistic `.icd`
//! fleets (and of their JSON twins) for benchmarks and robustness tests.
//!
//! Shared by `examples/gen-fleet.rs` (the command line) and
//! `tests/gen_fleet.rs` (which includes this file with `#[path]`), so it uses
//! nothing but the standard library: the random numbers come from a
//! splitmix64 generator seeded per vehicle, and the same seed gives the same
//! bytes on every machine.
//!
//! The fleet: every tenth vehicle (v1, v11, v21, ...) is a station with 4 to 6
//! ports (two passive IDSS-family ports and two to four of SSVP drogue, ACBM,
//! APAS, CDM, Apollo drogue, SSVP-M); the others are visitors with 1 to 3
//! ports (the first one chases: IDSS mostly, some SSVP probes, PCBM, APAS,
//! CDM, Apollo probes) or, one in twenty, IDSS tugs with a dual port. Each
//! chasing port is mated, in the visitor's own file, to a station port of its
//! family; about 4 % of the matings go to a port of another family on
//! purpose. About 5 % of the ports carry one planted violation that an
//! IDSS-* conformance rule or a MATE-* pair rule reports; the generated text
//! never has a language (ICD-*) error.
//!
//! Two sizes: `Size::Full` (the default for one file per vehicle, about
//! 2.7 KB per vehicle with comments) and `Size::Small` (the default for
//! `--one-file`: one port per vehicle on one line, about 150 bytes, so that
//! 680,000 vehicles make about 100 MB).

use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// How much each vehicle says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// 1 to 6 fully described ports, comments, atmosphere, power, data, comms.
    Full,
    /// One port on one line; a few attributes; about 150 bytes a vehicle.
    Small,
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Number of vehicles (ignored when `ports` is set).
    pub vehicles: usize,
    /// Generate vehicles until the fleet has exactly this many ports.
    pub ports: Option<usize>,
    pub seed: u64,
    /// Everything in `fleet.icd` (or `fleet.json`) instead of one file per vehicle.
    pub one_file: bool,
    /// Write the JSON twin instead of `.icd` text.
    pub json: bool,
    pub size: Size,
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub vehicles: usize,
    pub ports: usize,
    pub matings: usize,
    /// Matings sent to a port of another family on purpose.
    pub cross_family_matings: usize,
    /// Ports that carry a planted violation.
    pub planted: usize,
    pub files: usize,
    pub bytes: u64,
}

// ------------------------------------------------------------------ random

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, good enough here.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, stream: u64, index: u64) -> Rng {
        let mut r = Rng(seed
            ^ stream.wrapping_mul(0xD6E8_FEB8_6659_FD93)
            ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next_u64();
        r
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0 .. n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

const STREAM_PLAN: u64 = 1;
const STREAM_TEXT: u64 = 2;

// ------------------------------------------------------------------ units

/// The SI factor of the units the generator writes (docs/language.md §6).
fn factor(unit: &str) -> f64 {
    let deg = std::f64::consts::PI / 180.0;
    match unit {
        "m" | "m/s" | "rad" | "rad/s" | "kg" | "V" | "A" | "W" | "Hz" | "bit/s" | "Pa" => 1.0,
        "mm" | "mm/s" | "mrad" | "mrad/s" | "mV" | "mA" | "g" => 1e-3,
        "cm" | "cm/s" | "%" => 1e-2,
        "in" => 0.0254,
        "ft" => 0.3048,
        "t" => 1000.0,
        "lb" => 0.453_592_37,
        "deg" | "°" | "deg/s" => deg,
        "arcmin" | "arcmin/s" => deg / 60.0,
        "kV" | "kW" | "kHz" | "kbit/s" | "kbps" | "kPa" => 1e3,
        "MHz" | "Mbit/s" | "Mbps" | "MPa" => 1e6,
        "GHz" | "Gbit/s" | "Gbps" => 1e9,
        "MB/s" => 8e6,
        "psi" => 6_894.757_293_168,
        _ => panic!("gen-fleet: no factor for unit {unit}"),
    }
}

/// A number as the language spells it: no exponent, no trailing zeros.
fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        let s = s.trim_end_matches('0');
        s.trim_end_matches('.').to_string()
    }
}

/// A whole number with `_` between groups of three digits (`12_500`).
fn num_underscored(x: u64) -> String {
    let digits = x.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('_');
        }
        out.push(c);
    }
    out
}

// ------------------------------------------------------------------ values

/// A value with its text and its SI reading (what the JSON twin holds).
#[derive(Clone, Debug)]
pub enum V {
    Str(String),
    Sym(&'static str),
    Count(u64),
    /// A single quantity.
    Q {
        text: String,
        si: f64,
    },
    /// A range or a tolerance.
    R {
        text: String,
        lo: f64,
        hi: f64,
    },
    /// A list of strings, written over several lines (with a comment) when `true`.
    Tags(Vec<String>, bool),
    Ref(String, String),
}

fn q(x: f64, u: &str) -> V {
    V::Q {
        text: format!("{} {u}", num(x)),
        si: x * factor(u),
    }
}

/// A quantity written without a space before its unit (`800mm`).
fn q_tight(x: f64, u: &str) -> V {
    V::Q {
        text: format!("{}{u}", num(x)),
        si: x * factor(u),
    }
}

/// A whole quantity written with underscores (`12_500 kg`).
fn q_under(x: u64, u: &str) -> V {
    V::Q {
        text: format!("{} {u}", num_underscored(x)),
        si: x as f64 * factor(u),
    }
}

/// A quantity in exponent notation (`6.5e3 kg`).
fn q_exp(mantissa: f64, exp: i32, u: &str) -> V {
    V::Q {
        text: format!("{}e{exp} {u}", num(mantissa)),
        si: mantissa * 10f64.powi(exp) * factor(u),
    }
}

/// `lo .. hi unit` (bare lower end) or `lo unit .. hi unit`.
fn r(lo: f64, hi: f64, u: &str, bare: bool) -> V {
    let text = if bare {
        format!("{} .. {} {u}", num(lo), num(hi))
    } else {
        format!("{} {u} .. {} {u}", num(lo), num(hi))
    };
    V::R {
        text,
        lo: lo * factor(u),
        hi: hi * factor(u),
    }
}

/// A range whose ends use two units of one dimension.
fn r2(lo: f64, ulo: &str, hi: f64, uhi: &str) -> V {
    V::R {
        text: format!("{} {ulo} .. {} {uhi}", num(lo), num(hi)),
        lo: lo * factor(ulo),
        hi: hi * factor(uhi),
    }
}

/// `nominal unit ± deviation unit` (`+/-` when `ascii`); a bare deviation
/// (`28 V ± 4`) when `bare`.
fn tol(nom: f64, dev: f64, u: &str, ascii: bool, bare: bool) -> V {
    let pm = if ascii { "+/-" } else { "±" };
    let text = if bare {
        format!("{} {u} {pm} {}", num(nom), num(dev))
    } else {
        format!("{} {u} {pm} {} {u}", num(nom), num(dev))
    };
    V::R {
        text,
        lo: (nom - dev) * factor(u),
        hi: (nom + dev) * factor(u),
    }
}

/// `nominal unit ± pct %`.
fn tol_pct(nom: f64, pct: f64, u: &str, ascii: bool) -> V {
    let pm = if ascii { "+/-" } else { "±" };
    let dev = nom * pct / 100.0;
    V::R {
        text: format!("{} {u} {pm} {} %", num(nom), num(pct)),
        lo: (nom - dev) * factor(u),
        hi: (nom + dev) * factor(u),
    }
}

// ------------------------------------------------------------------ tree

/// `key = value`, with an optional trailing comment.
#[derive(Clone, Debug)]
pub struct Attr {
    pub key: &'static str,
    pub v: V,
    pub note: Option<String>,
}

/// A block: kind, optional id, attributes, then child blocks.
#[derive(Clone, Debug)]
pub struct Block {
    pub kind: &'static str,
    pub id: Option<String>,
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
    /// Written on one line (`bus b { protocol = ...; rate = ... }`).
    pub inline: bool,
    /// A comment line before the block.
    pub comment: Option<String>,
}

impl Block {
    fn new(kind: &'static str, id: Option<String>) -> Block {
        Block {
            kind,
            id,
            attrs: Vec::new(),
            blocks: Vec::new(),
            inline: false,
            comment: None,
        }
    }
    fn set(&mut self, key: &'static str, v: V) -> &mut Block {
        self.attrs.push(Attr { key, v, note: None });
        self
    }
    fn note(&mut self, key: &'static str, v: V, note: impl Into<String>) -> &mut Block {
        self.attrs.push(Attr {
            key,
            v,
            note: Some(note.into()),
        });
        self
    }
}

// ------------------------------------------------------------------ .icd text

fn icd_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn icd_value(out: &mut String, v: &V, indent: usize) {
    match v {
        V::Str(s) => icd_str(out, s),
        V::Sym(s) => out.push_str(s),
        V::Count(n) => {
            let _ = write!(out, "{n}");
        }
        V::Q { text, .. } | V::R { text, .. } => out.push_str(text),
        V::Tags(tags, multi) => {
            if *multi {
                out.push_str("[\n");
                for (i, t) in tags.iter().enumerate() {
                    pad(out, indent + 2);
                    icd_str(out, t);
                    out.push(',');
                    if i == 0 {
                        out.push_str("  # the first tag is the vehicle's class");
                    }
                    out.push('\n');
                }
                pad(out, indent);
                out.push(']');
            } else {
                out.push('[');
                for (i, t) in tags.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    icd_str(out, t);
                }
                out.push(']');
            }
        }
        V::Ref(a, b) => {
            let _ = write!(out, "{a}.{b}");
        }
    }
}

fn pad(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn icd_block(out: &mut String, b: &Block, indent: usize) {
    if let Some(c) = &b.comment {
        pad(out, indent);
        let _ = writeln!(out, "# {c}");
    }
    pad(out, indent);
    out.push_str(b.kind);
    if let Some(id) = &b.id {
        out.push(' ');
        out.push_str(id);
    }
    out.push_str(" {");
    if b.inline {
        icd_inline_body(out, b);
        out.push_str(" }");
        if let Some(note) = b.attrs.iter().find_map(|a| a.note.as_ref()) {
            let _ = write!(out, "  # {note}");
        }
        out.push('\n');
        return;
    }
    out.push('\n');
    for a in &b.attrs {
        pad(out, indent + 2);
        out.push_str(a.key);
        out.push_str(" = ");
        icd_value(out, &a.v, indent + 2);
        if let Some(note) = &a.note {
            let _ = write!(out, "  # {note}");
        }
        out.push('\n');
    }
    for c in &b.blocks {
        icd_block(out, c, indent + 2);
    }
    pad(out, indent);
    out.push_str("}\n");
}

/// ` a = 1; b = 2 child { ... }` for a block written on one line.
fn icd_inline_body(out: &mut String, b: &Block) {
    for (i, a) in b.attrs.iter().enumerate() {
        out.push_str(if i == 0 { " " } else { "; " });
        out.push_str(a.key);
        out.push_str(" = ");
        icd_value(out, &a.v, 0);
    }
    for c in &b.blocks {
        out.push_str(if b.attrs.is_empty() { " " } else { "; " });
        out.push_str(c.kind);
        if let Some(id) = &c.id {
            out.push(' ');
            out.push_str(id);
        }
        out.push_str(" {");
        icd_inline_body(out, c);
        out.push_str(" }");
    }
}

// ------------------------------------------------------------------ JSON text

fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_num(out: &mut String, x: f64) {
    // Rust's Display for f64 is the shortest text that reads back as the same
    // number, never with an exponent: valid JSON.
    let _ = write!(out, "{x}");
}

fn json_value(out: &mut String, key: &str, v: &V) {
    match v {
        V::Str(s) => json_str(out, s),
        V::Sym(s) => json_str(out, s),
        V::Count(n) => {
            let _ = write!(out, "{n}");
        }
        // `mass` may be a single value or a range in the language; the twin
        // always gives it as a range, as `dockcheck export` does.
        V::Q { si, .. } if key == "mass" => {
            out.push_str("{\"lo\":");
            json_num(out, *si);
            out.push_str(",\"hi\":");
            json_num(out, *si);
            out.push('}');
        }
        V::Q { si, .. } => json_num(out, *si),
        V::R { lo, hi, .. } => {
            out.push_str("{\"lo\":");
            json_num(out, *lo);
            out.push_str(",\"hi\":");
            json_num(out, *hi);
            out.push('}');
        }
        V::Tags(tags, _) => {
            out.push('[');
            for (i, t) in tags.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_str(out, t);
            }
            out.push(']');
        }
        V::Ref(a, b) => {
            out.push_str("{\"vehicle\":");
            json_str(out, a);
            out.push_str(",\"port\":");
            json_str(out, b);
            out.push('}');
        }
    }
}

/// The array a child block with an id goes to.
fn plural(kind: &str) -> &'static str {
    match kind {
        "port" => "ports",
        "bus" => "buses",
        "link" => "links",
        "mating" => "matings",
        _ => "vehicles",
    }
}

fn json_block(out: &mut String, b: &Block) {
    out.push('{');
    let mut first = true;
    let mut comma = |out: &mut String| {
        if !first {
            out.push(',');
        }
        first = false;
    };
    if let Some(id) = &b.id {
        comma(out);
        out.push_str("\"id\":");
        json_str(out, id);
    }
    for a in &b.attrs {
        comma(out);
        json_str(out, a.key);
        out.push(':');
        json_value(out, a.key, &a.v);
    }
    // Id-less children are keys; children with ids go to an array per kind,
    // in the order they stand.
    let mut i = 0;
    while i < b.blocks.len() {
        let c = &b.blocks[i];
        comma(out);
        if c.id.is_none() {
            json_str(out, c.kind);
            out.push(':');
            json_block(out, c);
            i += 1;
            continue;
        }
        json_str(out, plural(c.kind));
        out.push_str(":[");
        let mut j = i;
        while j < b.blocks.len() && b.blocks[j].kind == c.kind && b.blocks[j].id.is_some() {
            if j > i {
                out.push(',');
            }
            json_block(out, &b.blocks[j]);
            j += 1;
        }
        out.push(']');
        i = j;
    }
    // The twin names an empty `data` or `comms` list as such.
    if b.blocks.is_empty() && (b.kind == "data" || b.kind == "comms") {
        comma(out);
        out.push_str(if b.kind == "data" {
            "\"buses\":[]"
        } else {
            "\"links\":[]"
        });
    }
    out.push('}');
}

// ------------------------------------------------------------------ the fleet plan

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fam {
    Idss,
    Apas,
    Apas75,
    Ssvp,
    SsvpM,
    Cbm,
    ApolloPd,
    Cdm,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Active,
    Passive,
    Dual,
}

impl Role {
    fn word(self) -> &'static str {
        match self {
            Role::Active => "active",
            Role::Passive => "passive",
            Role::Dual => "dual",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Station,
    Visitor,
    Tug,
}

#[derive(Clone, Debug)]
pub struct Slot {
    pub id: String,
    pub fam: Fam,
    pub role: Role,
    pub system: &'static str,
    /// This port approaches a partner (its vehicle's file mates it).
    pub chaser: bool,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub kind: Kind,
    pub slots: Vec<Slot>,
}

/// What every vehicle's plan depends on: the seed, the fleet size and the
/// last vehicle's port cap (with `--ports`).
#[derive(Clone, Debug)]
pub struct Fleet {
    pub seed: u64,
    pub n: usize,
    pub size: Size,
    /// (vehicle, ports it keeps) for the last vehicle when `--ports` cut it.
    pub cap: Option<(usize, usize)>,
    pub width: usize,
}

impl Fleet {
    pub fn new(seed: u64, n: usize, size: Size, cap: Option<(usize, usize)>) -> Fleet {
        let width = n.to_string().len().max(5);
        Fleet {
            seed,
            n,
            size,
            cap,
            width,
        }
    }

    pub fn vid(&self, i: usize) -> String {
        format!("v{i:0w$}", w = self.width)
    }

    pub fn kind(&self, i: usize) -> Kind {
        if (i - 1).is_multiple_of(10) {
            Kind::Station
        } else if (i - 1) % self.tug_every() == 5 {
            Kind::Tug
        } else {
            Kind::Visitor
        }
    }

    /// One tug in 20 vehicles; in 100 for small vehicles, whose tug (with
    /// its capture envelope on one line) is three times the size of the rest.
    fn tug_every(&self) -> usize {
        match self.size {
            Size::Full => 20,
            Size::Small => 100,
        }
    }

    fn stations(&self) -> usize {
        self.n.div_ceil(10)
    }

    /// The ports of vehicle `i` (1-based): computed from `i` alone, so that a
    /// visitor can name a station's port without generating the station.
    pub fn plan(&self, i: usize) -> Plan {
        let mut rng = Rng::new(self.seed, STREAM_PLAN, i as u64);
        let kind = self.kind(i);
        let mut slots = match (self.size, kind) {
            (Size::Full, Kind::Station) => station_slots(&mut rng),
            (Size::Full, Kind::Visitor) => visitor_slots(&mut rng),
            (Size::Full, Kind::Tug) => tug_slots(&mut rng),
            (Size::Small, _) => small_slot(&mut rng, kind),
        };
        if let Some((last, keep)) = self.cap
            && last == i
        {
            slots.truncate(keep.max(1));
        }
        Plan { kind, slots }
    }
}

fn idss_system(rng: &mut Rng, station: bool) -> &'static str {
    if station {
        const STATION: [&str; 5] = ["IDA", "IDA", "IDSS", "NDS", "IBDM"];
        let s: &&str = rng.pick(&STATION);
        s
    } else {
        const VISITOR: [&str; 4] = ["IDSS", "IDSS", "NDS", "IBDM"];
        let s: &&str = rng.pick(&VISITOR);
        s
    }
}

fn station_slots(rng: &mut Rng) -> Vec<Slot> {
    let mut slots = vec![
        Slot {
            id: "ida1".into(),
            fam: Fam::Idss,
            role: Role::Passive,
            system: idss_system(rng, true),
            chaser: false,
        },
        Slot {
            id: "ida2".into(),
            fam: Fam::Idss,
            role: Role::Passive,
            system: idss_system(rng, true),
            chaser: false,
        },
    ];
    // Two to four more, of distinct families, SSVP and CBM most often.
    let pool: [(Fam, &str, &str, Role, u32); 7] = [
        (Fam::Ssvp, "drogue", "SSVP-G4000", Role::Passive, 30),
        (Fam::Cbm, "acbm", "ACBM", Role::Active, 25),
        (Fam::Apas, "apas", "APAS-95", Role::Passive, 15),
        (Fam::Cdm, "cdm", "CDM", Role::Passive, 12),
        (Fam::ApolloPd, "drogue-pd", "Apollo-PD", Role::Passive, 6),
        (Fam::SsvpM, "hybrid", "SSVP-M8000", Role::Passive, 6),
        (Fam::Apas75, "apas75", "APAS-75", Role::Dual, 6),
    ];
    let extra = 2 + rng.below(3);
    let mut taken = [false; 7];
    while slots.len() < 2 + extra {
        let weights: Vec<u32> = pool
            .iter()
            .zip(taken)
            .map(|(p, t)| if t { 0 } else { p.4 })
            .collect();
        let k = rng.weighted(&weights);
        taken[k] = true;
        let (fam, id, system, role, _) = pool[k];
        let system = if fam == Fam::Cbm {
            *rng.pick(&["ACBM", "ACBM", "CBM"])
        } else if fam == Fam::Ssvp {
            *rng.pick(&["SSVP-G4000", "SSVP-G4000", "SSVP"])
        } else {
            system
        };
        slots.push(Slot {
            id: id.into(),
            fam,
            role,
            system,
            chaser: false,
        });
    }
    slots
}

fn chaser_family(rng: &mut Rng) -> (Fam, &'static str, Role) {
    match rng.weighted(&[62, 12, 10, 6, 5, 3, 1, 1]) {
        0 => (Fam::Idss, idss_system(rng, false), Role::Active),
        1 => (Fam::Ssvp, "SSVP-G4000", Role::Active),
        2 => (Fam::Cbm, "PCBM", Role::Passive),
        3 => (Fam::Apas, *rng.pick(&["APAS-95", "APAS-89"]), Role::Active),
        4 => (Fam::Cdm, "CDM", Role::Active),
        5 => (Fam::ApolloPd, "Apollo-PD", Role::Active),
        6 => (Fam::SsvpM, "SSVP-M8000", Role::Active),
        _ => (Fam::Apas75, "APAS-75", Role::Active),
    }
}

fn visitor_slots(rng: &mut Rng) -> Vec<Slot> {
    let (fam, system, role) = chaser_family(rng);
    let mut slots = vec![Slot {
        id: "fwd".into(),
        fam,
        role,
        system,
        chaser: true,
    }];
    let more = rng.weighted(&[20, 45, 35]);
    if more >= 1 {
        // An aft port that others dock to.
        let (fam, system) = match rng.weighted(&[70, 20, 10]) {
            0 => (Fam::Idss, idss_system(rng, false)),
            1 => (Fam::Ssvp, "SSVP-G4000"),
            _ => (Fam::Apas, "APAS-95"),
        };
        slots.push(Slot {
            id: "aft".into(),
            fam,
            role: Role::Passive,
            system,
            chaser: false,
        });
    }
    if more >= 2 {
        slots.push(Slot {
            id: "zenith".into(),
            fam: Fam::Idss,
            role: Role::Passive,
            system: idss_system(rng, false),
            chaser: false,
        });
    }
    slots
}

fn tug_slots(rng: &mut Rng) -> Vec<Slot> {
    let mut slots = vec![Slot {
        id: "dock".into(),
        fam: Fam::Idss,
        role: Role::Dual,
        system: idss_system(rng, false),
        chaser: true,
    }];
    if rng.chance(0.5) {
        slots.push(Slot {
            id: "aft".into(),
            fam: Fam::Idss,
            role: Role::Passive,
            system: idss_system(rng, false),
            chaser: false,
        });
    }
    slots
}

fn small_slot(rng: &mut Rng, kind: Kind) -> Vec<Slot> {
    let (fam, system, role, chaser) = match kind {
        Kind::Station => match rng.weighted(&[40, 22, 18, 10, 7, 3]) {
            0 => (Fam::Idss, idss_system(rng, true), Role::Passive, false),
            1 => (Fam::Ssvp, "SSVP-G4000", Role::Passive, false),
            2 => (Fam::Cbm, "ACBM", Role::Active, false),
            3 => (Fam::Apas, "APAS-95", Role::Passive, false),
            4 => (Fam::Cdm, "CDM", Role::Passive, false),
            _ => (Fam::ApolloPd, "Apollo-PD", Role::Passive, false),
        },
        Kind::Tug => (Fam::Idss, idss_system(rng, false), Role::Dual, true),
        // Only berthing visitors and tugs chase here: a probe with no capture
        // envelope on one line would make every mating an info that the
        // capture and mass checks were skipped.
        Kind::Visitor => match rng.weighted(&[30, 28, 20, 12, 6, 4]) {
            0 => (Fam::Idss, idss_system(rng, false), Role::Passive, false),
            1 => (Fam::Ssvp, "SSVP-G4000", Role::Active, false),
            2 => (Fam::Cbm, "PCBM", Role::Passive, true),
            3 => (Fam::Apas, "APAS-95", Role::Active, false),
            4 => (Fam::Cdm, "CDM", Role::Active, false),
            _ => (Fam::ApolloPd, "Apollo-PD", Role::Active, false),
        },
    };
    vec![Slot {
        id: "p".into(),
        fam,
        role,
        system,
        chaser,
    }]
}

// ------------------------------------------------------------------ vehicle content

const STATION_NAMES: &[&str] = &[
    "Gateway",
    "Haven",
    "Orbital Reef",
    "Starlab",
    "Harbor",
    "Lunar Outpost",
    "Waypoint",
    "Meridian",
];
const VISITOR_NAMES: &[&str] = &[
    "Kestrel",
    "Dream Chaser",
    "Cargo Dragon",
    "Tianzhou",
    "HTV-X",
    "Progress",
    "Probe #",
    "Skylark",
    "Étoile",
    "Heron",
];
const TUG_NAMES: &[&str] = &["Tug", "Mission Extension Vehicle", "Shepherd"];
const OPERATORS: &[&str] = &[
    "NASA",
    "ESA",
    "JAXA",
    "Roscosmos",
    "CMSA",
    "Consortium",
    "Lander \"Co\"",
    "Société Européenne de Logistique",
    "Orbital Services \\ Ltd",
];
const NOTES: &[&str] = &[
    "per the partner ICD",
    "TBC at CDR",
    "measured at acceptance test",
    "from the 2026 design review",
    "conservative",
    "see note 4",
    "value #2 of the trade study",
];
const LOCATIONS: &[&str] = &[
    "node 1 forward",
    "node 2 zenith",
    "habitat aft",
    "airlock nadir",
    "service module aft",
    "crew module forward",
    "logistics module",
];

/// What a port gets wrong on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plant {
    None,
    Passage,
    Hooks,
    Petals,
    Revision,
    Approach,
    Capture,
    Voltage,
    Current,
    Connector,
    DataRate,
    Comms,
    Mass,
    Power,
}

fn plant_for(rng: &mut Rng, slot: &Slot, kind: Kind, size: Size) -> Plant {
    let idss = slot.fam == Fam::Idss;
    // Small vehicles can only get an IDSS port wrong: plant those more often,
    // so that about 5 % of all ports still carry a violation.
    let p = if size == Size::Small && idss {
        0.16
    } else {
        0.05
    };
    if !rng.chance(p) {
        return Plant::None;
    }
    let mut options: Vec<Plant> = Vec::new();
    if idss {
        options.extend([Plant::Passage, Plant::Hooks, Plant::Petals]);
        if size == Size::Full {
            options.push(Plant::Revision);
        }
        if size == Size::Full && slot.chaser {
            options.extend([Plant::Approach, Plant::Capture]);
        }
    }
    if size == Size::Full && slot.chaser && kind != Kind::Station {
        options.extend([
            Plant::Voltage,
            Plant::Current,
            Plant::Connector,
            Plant::DataRate,
            Plant::Power,
        ]);
        if slot.fam != Fam::Cbm {
            options.push(Plant::Comms);
            options.push(Plant::Mass);
        }
    }
    if options.is_empty() {
        return Plant::None;
    }
    *rng.pick(&options)
}

fn docking_block(rng: &mut Rng, fleet: &Fleet, slot: &Slot, plant: Plant) -> Block {
    let mut d = Block::new("docking", None);
    d.set("system", V::Str(slot.system.into()));
    let idss = slot.fam == Fam::Idss;
    if idss {
        d.set("standard", V::Str("IDSS IDD".into()));
        if plant == Plant::Revision {
            d.comment = Some("planted: the revision is not declared".into());
        } else {
            let rev = *rng.pick(&["E", "F", "F", "G"]);
            if rng.chance(0.2) {
                d.note("revision", V::Str(rev.into()), *rng.pick(NOTES));
            } else {
                d.set("revision", V::Str(rev.into()));
            }
        }
    } else if slot.fam == Fam::Apas && rng.chance(0.5) {
        d.set("standard", V::Str("APAS-95 ICD".into()));
    }
    d.set("role", V::Sym(slot.role.word()));
    // Passageway: 800 mm in its spellings; planted: narrower.
    match slot.fam {
        Fam::Idss | Fam::Cdm | Fam::Apas => {
            if plant == Plant::Passage {
                let v = match rng.below(3) {
                    0 => q(750.0, "mm"),
                    1 => q(29.5, "in"),
                    _ => q(0.76, "m"),
                };
                d.note("passageway", v, "planted: narrower than IDSS");
            } else if idss || fleet.size == Size::Full || rng.chance(0.3) {
                let v = match rng.below(6) {
                    0 | 1 => q(800.0, "mm"),
                    2 => q(0.8, "m"),
                    3 => q(80.0, "cm"),
                    4 => q(31.5, "in"),
                    _ => q_tight(800.0, "mm"),
                };
                d.set("passageway", v);
            }
        }
        _ => {}
    }
    let hooks = match slot.fam {
        Fam::Idss | Fam::Apas | Fam::Cdm => Some(12),
        Fam::Ssvp => Some(8),
        Fam::SsvpM => Some(12),
        _ => None,
    };
    if let Some(h) = hooks {
        if plant == Plant::Hooks {
            let h = *rng.pick(&[8u64, 24]);
            d.note("hooks", V::Count(h), "planted: not the IDSS count");
        } else if idss || fleet.size == Size::Full {
            d.set("hooks", V::Count(h));
        }
    }
    if idss {
        if plant == Plant::Petals {
            d.note("guide_petals", V::Count(4), "planted: four petals");
        } else {
            d.set("guide_petals", V::Count(3));
        }
    }
    let captures = matches!(slot.role, Role::Active | Role::Dual) && slot.fam != Fam::Cbm;
    if fleet.size == Size::Small {
        if captures && idss {
            d.blocks.push(idss_capture(rng, Plant::None, true));
            if slot.chaser {
                let mut a = idss_approach(rng, Plant::None);
                a.inline = true;
                d.blocks.push(a);
            }
        }
        d.inline = true;
        return d;
    }
    if captures {
        let mut c = if idss {
            idss_capture(rng, plant, false)
        } else {
            other_capture(rng)
        };
        if plant == Plant::Mass {
            c.note(
                "partner_mass",
                r(5.0, 50.0, "t", true),
                "planted: too light for a station",
            );
        } else {
            c.set("partner_mass", partner_mass(rng));
        }
        d.blocks.push(c);
    }
    if slot.chaser && slot.fam != Fam::Cbm {
        d.blocks.push(if idss {
            idss_approach(rng, plant)
        } else {
            other_approach(rng)
        });
    }
    d
}

/// A capture envelope that covers the IDSS initial contact conditions.
fn idss_capture(rng: &mut Rng, plant: Plant, compact: bool) -> Block {
    let mut c = Block::new("capture", None);
    c.comment = Some("covers the IDSS initial contact conditions".into());
    let bare = rng.chance(0.6);
    let closing = match rng.below(6) {
        0 => r(0.05, 0.1, "m/s", bare),
        1 => r(5.0, 10.0, "cm/s", bare),
        2 => r(0.04, 0.12, "m/s", bare),
        3 => tol(0.075, 0.025, "m/s", rng.chance(0.5), false),
        4 => r(50.0, 100.0, "mm/s", bare),
        _ => r2(5.0, "cm/s", 0.1, "m/s"),
    };
    let narrow = plant == Plant::Capture;
    if narrow && rng.chance(0.5) {
        c.note(
            "closing_velocity",
            r(0.05, 0.08, "m/s", true),
            "planted: narrower than IDSS",
        );
    } else {
        c.set("closing_velocity", closing);
    }
    c.set(
        "lateral_velocity",
        match rng.below(4) {
            0 => q(0.04, "m/s"),
            1 => q(4.0, "cm/s"),
            2 => q(0.05, "m/s"),
            _ => q(40.0, "mm/s"),
        },
    );
    if narrow && c.attrs.iter().all(|a| a.note.is_none()) {
        c.note(
            "lateral_misalignment",
            q(80.0, "mm"),
            "planted: below the IDSS 0.10 m",
        );
    } else {
        c.set(
            "lateral_misalignment",
            match rng.below(5) {
                0 => q(0.1, "m"),
                1 => q(100.0, "mm"),
                2 => q(10.0, "cm"),
                3 => q(4.0, "in"),
                _ => q(0.15, "m"),
            },
        );
    }
    c.set(
        "angular_misalignment",
        match rng.below(5) {
            0 => q(4.0, "deg"),
            1 => q(240.0, "arcmin"),
            2 => q(5.0, "deg"),
            3 => q(0.07, "rad"),
            _ => q_tight(4.0, "°"),
        },
    );
    c.set(
        "roll_misalignment",
        match rng.below(4) {
            0 => q(4.0, "deg"),
            1 => q(240.0, "arcmin"),
            2 => q(4.5, "deg"),
            _ => q(70.0, "mrad"),
        },
    );
    c.set(
        "angular_rate",
        match rng.below(4) {
            0 => q(0.2, "deg/s"),
            1 => q(12.0, "arcmin/s"),
            2 => q(0.25, "deg/s"),
            _ => q(3.5, "mrad/s"),
        },
    );
    if compact {
        c.set("partner_mass", r(5.0, 500.0, "t", true));
        c.comment = None;
        c.inline = true;
    } else {
        c.inline = rng.chance(0.1);
    }
    c
}

fn partner_mass(rng: &mut Rng) -> V {
    match rng.below(4) {
        0 => r(5.0, 500.0, "t", true),
        1 => r2(5000.0, "kg", 450.0, "t"),
        2 => r2(11000.0, "lb", 500.0, "t"),
        _ => tol(250.0, 245.0, "t", false, false),
    }
}

/// An approach inside the IDSS initial contact conditions (and so inside
/// every IDSS capture envelope this generator writes).
fn idss_approach(rng: &mut Rng, plant: Plant) -> Block {
    let mut a = Block::new("approach", None);
    let bare = rng.chance(0.6);
    if plant == Plant::Approach && rng.chance(0.5) {
        a.note(
            "closing_velocity",
            r(0.05, 0.2, "m/s", true),
            "planted: faster than IDSS allows",
        );
    } else {
        a.set(
            "closing_velocity",
            match rng.below(5) {
                0 => r(0.06, 0.08, "m/s", bare),
                1 => r(6.0, 9.0, "cm/s", bare),
                2 => tol(0.07, 0.01, "m/s", rng.chance(0.5), false),
                3 => tol_pct(0.075, 20.0, "m/s", rng.chance(0.5)),
                _ => r(55.0, 95.0, "mm/s", bare),
            },
        );
    }
    if plant == Plant::Approach && a.attrs.iter().all(|x| x.note.is_none()) {
        a.note(
            "lateral_velocity",
            q(6.0, "cm/s"),
            "planted: above the IDSS 0.04 m/s",
        );
    } else {
        a.set(
            "lateral_velocity",
            match rng.below(4) {
                0 => q(0.01, "m/s"),
                1 => q(2.0, "cm/s"),
                2 => q(15.0, "mm/s"),
                _ => q(0.03, "m/s"),
            },
        );
    }
    a.set(
        "lateral_misalignment",
        match rng.below(4) {
            0 => q(30.0, "mm"),
            1 => q(5.0, "cm"),
            2 => q(0.08, "m"),
            _ => q(2.0, "in"),
        },
    );
    a.set(
        "angular_misalignment",
        match rng.below(4) {
            0 => q(1.5, "deg"),
            1 => q(90.0, "arcmin"),
            2 => q(0.03, "rad"),
            _ => q(2.0, "deg"),
        },
    );
    a.set(
        "roll_misalignment",
        match rng.below(4) {
            0 => q(1.0, "deg"),
            1 => q(60.0, "arcmin"),
            2 => q(0.5, "deg"),
            _ => q(20.0, "mrad"),
        },
    );
    a.set(
        "angular_rate",
        match rng.below(4) {
            0 => q(0.05, "deg/s"),
            1 => q(6.0, "arcmin/s"),
            2 => q(1.0, "mrad/s"),
            _ => q(0.1, "deg/s"),
        },
    );
    a.inline = rng.chance(0.1);
    a
}

/// The capture envelope of a probe or an APAS/CDM ring: wider than IDSS.
fn other_capture(rng: &mut Rng) -> Block {
    let mut c = Block::new("capture", None);
    c.set("closing_velocity", r(0.1, 0.35, "m/s", rng.chance(0.5)));
    c.set("lateral_velocity", q(0.1, "m/s"));
    c.set(
        "lateral_misalignment",
        if rng.chance(0.5) {
            q(0.2, "m")
        } else {
            q(200.0, "mm")
        },
    );
    c.set("angular_misalignment", q(7.0, "deg"));
    c.set("roll_misalignment", q(7.0, "deg"));
    c.set("angular_rate", q(1.0, "deg/s"));
    c
}

fn other_approach(rng: &mut Rng) -> Block {
    let mut a = Block::new("approach", None);
    a.set("closing_velocity", r(0.12, 0.3, "m/s", rng.chance(0.5)));
    a.set("lateral_velocity", q(5.0, "cm/s"));
    a.set("lateral_misalignment", q(0.1, "m"));
    a.set("angular_misalignment", q(3.0, "deg"));
    a.set("roll_misalignment", q(3.0, "deg"));
    a.set(
        "angular_rate",
        if rng.chance(0.5) {
            q(0.5, "deg/s")
        } else {
            q(30.0, "arcmin/s")
        },
    );
    a
}

/// Which power bus a family's ports use.
fn high_voltage(fam: Fam) -> bool {
    matches!(fam, Fam::Idss | Fam::Cbm)
}

fn power_block(rng: &mut Rng, slot: &Slot, supply: bool, plant: Plant) -> Block {
    let mut p = Block::new("power", None);
    let hv = high_voltage(slot.fam);
    let ascii = rng.chance(0.4);
    if supply {
        p.set("direction", V::Sym("supply"));
        if hv {
            p.set(
                "voltage",
                match rng.below(4) {
                    0 => tol_pct(120.0, 2.0, "V", ascii),
                    1 => tol(120.0, 2.4, "V", ascii, false),
                    2 => tol_pct(0.12, 2.0, "kV", ascii),
                    _ => r(118.0, 122.0, "V", false),
                },
            );
            p.set(
                "current",
                if rng.chance(0.7) {
                    q(25.0, "A")
                } else {
                    q_under(25000, "mA")
                },
            );
            p.set("connector", V::Str("UMB-120".into()));
            p.set(
                "power",
                if rng.chance(0.5) {
                    q(3.0, "kW")
                } else {
                    q(3000.0, "W")
                },
            );
        } else {
            p.set(
                "voltage",
                match rng.below(3) {
                    0 => tol(28.0, 1.0, "V", ascii, false),
                    1 => r(27.0, 29.0, "V", true),
                    _ => tol_pct(28.0, 3.0, "V", ascii),
                },
            );
            p.set("current", q(15.0, "A"));
            p.set("connector", V::Str("P28".into()));
            p.set("power", q(420.0, "W"));
        }
    } else {
        p.set("direction", V::Sym("receive"));
        let v = if plant == Plant::Voltage {
            Some(if hv {
                r(24.0, 32.0, "V", false)
            } else {
                tol_pct(120.0, 5.0, "V", ascii)
            })
        } else {
            None
        };
        match v {
            Some(v) => {
                p.note(
                    "voltage",
                    v,
                    "planted: the partner's bus is another voltage",
                );
            }
            None if hv => {
                p.set(
                    "voltage",
                    match rng.below(4) {
                        0 => r(112.0, 128.0, "V", rng.chance(0.5)),
                        1 => tol(120.0, 8.0, "V", ascii, false),
                        2 => r(0.112, 0.128, "kV", false),
                        _ => tol_pct(120.0, 6.0, "V", ascii),
                    },
                );
            }
            None => {
                p.set(
                    "voltage",
                    match rng.below(3) {
                        0 => r(24.0, 32.0, "V", false),
                        1 => tol(28.0, 4.0, "V", ascii, true),
                        _ => V::R {
                            text: "24_000 mV .. 32_000 mV".into(),
                            lo: 24.0,
                            hi: 32.0,
                        },
                    },
                );
            }
        }
        if plant == Plant::Current {
            p.note(
                "current",
                q(if hv { 40.0 } else { 20.0 }, "A"),
                "planted: more than the supply",
            );
        } else if hv {
            p.set(
                "current",
                match rng.below(3) {
                    0 => q(20.0, "A"),
                    1 => q(12.5, "A"),
                    _ => q_under(18000, "mA"),
                },
            );
        } else {
            p.set("current", q(if rng.chance(0.5) { 10.0 } else { 7.5 }, "A"));
        }
        let connector = if hv { "UMB-120" } else { "P28" };
        if plant == Plant::Connector {
            p.note(
                "connector",
                V::Str(format!("{connector}-B")),
                "planted: another connector",
            );
        } else if rng.chance(0.1) {
            // Connector names compare without case and surrounding spaces.
            p.set(
                "connector",
                V::Str(format!(" {} ", connector.to_lowercase())),
            );
        } else {
            p.set("connector", V::Str(connector.into()));
        }
        if plant == Plant::Power {
            p.note(
                "power",
                q(if hv { 5.0 } else { 0.6 }, "kW"),
                "planted: more than the supply delivers",
            );
        } else if hv {
            p.set(
                "power",
                if rng.chance(0.5) {
                    q(2.4, "kW")
                } else {
                    q(1500.0, "W")
                },
            );
        } else {
            p.set(
                "power",
                if rng.chance(0.5) {
                    q(280.0, "W")
                } else {
                    q(0.3, "kW")
                },
            );
        }
    }
    p.inline = rng.chance(0.2);
    p
}

fn rate_1m(rng: &mut Rng) -> V {
    match rng.below(4) {
        0 => q(1.0, "Mbit/s"),
        1 => q(1000.0, "kbit/s"),
        2 => q(1.0, "Mbps"),
        _ => q_under(1_000_000, "bit/s"),
    }
}

fn rate_100m(rng: &mut Rng) -> V {
    match rng.below(4) {
        0 => q(100.0, "Mbit/s"),
        1 => q(0.1, "Gbit/s"),
        2 => q(100.0, "Mbps"),
        _ => q(12.5, "MB/s"),
    }
}

fn bus(id: &str, protocol: &str, rate: V, role: &'static str, inline: bool) -> Block {
    let mut b = Block::new("bus", Some(id.into()));
    b.set("protocol", V::Str(protocol.into()));
    b.set("rate", rate);
    b.set("role", V::Sym(role));
    b.inline = inline;
    b
}

fn data_block(rng: &mut Rng, slot: &Slot, station: bool, plant: Plant) -> Block {
    let mut d = Block::new("data", None);
    let inline = rng.chance(0.5);
    let lan_capable = matches!(slot.fam, Fam::Idss | Fam::Cbm);
    if station {
        d.blocks.push(bus(
            "avionics",
            "MIL-STD-1553B",
            rate_1m(rng),
            "controller",
            inline,
        ));
        if lan_capable {
            d.blocks
                .push(bus("lan", "100BASE-TX", rate_100m(rng), "peer", inline));
            if rng.chance(0.3) {
                d.blocks
                    .push(bus("video", "1000BASE-T", q(1.0, "Gbit/s"), "peer", inline));
            }
        }
        return d;
    }
    if plant == Plant::DataRate {
        if lan_capable {
            let mut b = bus("lan", "100BASE-TX", q(10.0, "Mbit/s"), "peer", false);
            b.attrs[1].note = Some("planted: the partner runs 100 Mbit/s".into());
            d.blocks.push(b);
        } else {
            let mut b = bus(
                "avionics",
                "MIL-STD-1553B",
                rate_1m(rng),
                "controller",
                false,
            );
            b.attrs[2].note = Some("planted: a second bus controller".into());
            d.blocks.push(b);
        }
        return d;
    }
    let which = if lan_capable { rng.below(3) } else { 0 };
    if which != 1 {
        d.blocks.push(bus(
            "avionics",
            "MIL-STD-1553B",
            rate_1m(rng),
            "terminal",
            inline,
        ));
    }
    if which != 0 {
        d.blocks.push(bus(
            "lan",
            if rng.chance(0.1) {
                "100base-tx"
            } else {
                "100BASE-TX"
            },
            rate_100m(rng),
            "peer",
            inline,
        ));
    }
    d
}

fn link(id: &str, band: &str, protocol: &str, tx: V, rx: V, inline: bool) -> Block {
    let mut l = Block::new("link", Some(id.into()));
    l.set("band", V::Str(band.into()));
    l.set("protocol", V::Str(protocol.into()));
    l.set("transmit", tx);
    l.set("receive", rx);
    l.inline = inline;
    l
}

fn comms_block(rng: &mut Rng, slot: &Slot, station: bool, plant: Plant) -> Block {
    let mut c = Block::new("comms", None);
    let inline = rng.chance(0.4);
    let bare = rng.chance(0.5);
    let kurs = matches!(slot.fam, Fam::Ssvp | Fam::SsvpM);
    if kurs {
        if station {
            c.blocks.push(link(
                "kurs",
                "S",
                "Kurs-NA",
                r(2.40, 2.41, "GHz", bare),
                r(2.30, 2.32, "GHz", bare),
                inline,
            ));
        } else if plant == Plant::Comms {
            let mut l = link(
                "kurs",
                "S",
                "Kurs-NA",
                r(2.305, 2.315, "GHz", bare),
                r(2.42, 2.43, "GHz", bare),
                false,
            );
            l.attrs[3].note = Some("planted: deaf to the station".into());
            c.blocks.push(l);
        } else {
            c.blocks.push(link(
                "kurs",
                "S",
                "Kurs-NA",
                r2(2305.0, "MHz", 2.315, "GHz"),
                r(2395.0, 2415.0, "MHz", bare),
                inline,
            ));
        }
        return c;
    }
    if station {
        c.blocks.push(link(
            "uhf",
            "UHF",
            "CCSDS Proximity-1",
            r(437.0, 438.0, "MHz", bare),
            r(400.0, 402.0, "MHz", bare),
            inline,
        ));
        c.blocks.push(link(
            "sband",
            "S",
            "CCSDS TM/TC",
            r(2200.0, 2210.0, "MHz", bare),
            r(2025.0, 2035.0, "MHz", bare),
            inline,
        ));
        return c;
    }
    if plant == Plant::Comms {
        let mut l = link(
            "uhf",
            "UHF",
            "CCSDS Proximity-1",
            r(400.5, 401.5, "MHz", bare),
            r(445.0, 450.0, "MHz", bare),
            false,
        );
        l.attrs[3].note = Some("planted: deaf to the station".into());
        c.blocks.push(l);
        return c;
    }
    let tx = if rng.chance(0.5) {
        r(400.5, 401.5, "MHz", bare)
    } else {
        r2(400_500.0, "kHz", 401.5, "MHz")
    };
    let rx = if rng.chance(0.5) {
        r(436.0, 439.0, "MHz", bare)
    } else {
        r2(436.0, "MHz", 0.439, "GHz")
    };
    c.blocks
        .push(link("uhf", "UHF", "CCSDS Proximity-1", tx, rx, inline));
    if rng.chance(0.4) {
        c.blocks.push(link(
            "sband",
            "S",
            "CCSDS TM/TC",
            r(2026.0, 2034.0, "MHz", bare),
            r(2.195, 2.215, "GHz", false),
            inline,
        ));
    }
    c
}

fn atmosphere(rng: &mut Rng, planted: bool) -> Block {
    let mut a = Block::new("atmosphere", None);
    if planted {
        a.note(
            "pressure",
            tol(34.0, 1.0, "kPa", false, false),
            "planted: a pure-oxygen cabin",
        );
        a.set("oxygen", r(95.0, 100.0, "%", false));
        return a;
    }
    a.set(
        "pressure",
        match rng.below(4) {
            0 => r(97.9, 102.7, "kPa", false),
            1 => r(14.2, 14.9, "psi", false),
            2 => tol_pct(101.3, 2.0, "kPa", rng.chance(0.5)),
            _ => V::R {
                text: "99_000 Pa .. 102_000 Pa".into(),
                lo: 99000.0,
                hi: 102000.0,
            },
        },
    );
    a.set(
        "oxygen",
        match rng.below(3) {
            0 => r(19.5, 23.5, "%", false),
            1 => tol_pct(21.0, 5.0, "%", false),
            _ => r(20.0, 24.0, "%", true),
        },
    );
    a.inline = rng.chance(0.3);
    a
}

fn mass(rng: &mut Rng, kind: Kind) -> V {
    match kind {
        Kind::Station => match rng.below(5) {
            0 => q((60 + rng.below(360)) as f64, "t"),
            1 => q_under((60 + rng.below(360)) as u64 * 1000, "kg"),
            2 => q_exp(3.2, 5, "kg"),
            3 => {
                let lo = (60 + rng.below(300)) as f64;
                r(lo, lo + 30.0, "t", true)
            }
            _ => tol_pct(400.0, 5.0, "t", false),
        },
        _ => match rng.below(6) {
            0 => q(12.5, "t"),
            1 => q_under((8 + rng.below(15)) as u64 * 1000 + 500, "kg"),
            2 => r(12.0, 13.5, "t", true),
            3 => tol(9.0, 0.5, "t", rng.chance(0.5), false),
            4 => q(27000.0, "lb"),
            _ => q_exp(6.5, 3, "kg"),
        },
    }
}

/// Trailing comments on some attributes of the blocks written over lines,
/// as engineers leave them.
fn annotate(rng: &mut Rng, b: &mut Block) {
    if !b.inline {
        for a in &mut b.attrs {
            if a.note.is_none() && rng.chance(0.1) {
                a.note = Some((*rng.pick(NOTES)).into());
            }
        }
    }
    for c in &mut b.blocks {
        annotate(rng, c);
    }
}

/// A station port a chaser of `slot`'s family can mate with, or on purpose
/// (`cross`) one of another family.
fn find_target(rng: &mut Rng, fleet: &Fleet, slot: &Slot, cross: bool) -> Option<(usize, String)> {
    let stations = fleet.stations();
    if stations == 0 {
        return None;
    }
    for _ in 0..16 {
        let j = 1 + 10 * rng.below(stations);
        if j > fleet.n {
            continue;
        }
        let plan = fleet.plan(j);
        let fits = |s: &Slot| {
            if cross {
                return s.fam != slot.fam;
            }
            if s.fam != slot.fam {
                return false;
            }
            match slot.role {
                Role::Passive => matches!(s.role, Role::Active | Role::Dual),
                _ => matches!(s.role, Role::Passive | Role::Dual),
            }
        };
        let candidates: Vec<&Slot> = plan.slots.iter().filter(|s| fits(s)).collect();
        if !candidates.is_empty() {
            let s = rng.pick(&candidates);
            return Some((j, s.id.clone()));
        }
    }
    None
}

/// One generated vehicle and the matings its file declares.
pub struct Generated {
    pub vehicle: Block,
    pub matings: Vec<Block>,
    pub comment: String,
    pub ports: usize,
    pub planted: usize,
    pub cross: usize,
}

fn vehicle_name(rng: &mut Rng, kind: Kind, i: usize) -> String {
    let base = match kind {
        Kind::Station => *rng.pick(STATION_NAMES),
        Kind::Visitor => *rng.pick(VISITOR_NAMES),
        Kind::Tug => *rng.pick(TUG_NAMES),
    };
    if base.ends_with('#') {
        format!("{base}{i}")
    } else {
        format!("{base} {i}")
    }
}

pub fn generate_vehicle(fleet: &Fleet, i: usize) -> Generated {
    let plan = fleet.plan(i);
    let mut rng = Rng::new(fleet.seed, STREAM_TEXT, i as u64);
    let vid = fleet.vid(i);
    let mut v = Block::new("vehicle", Some(vid.clone()));
    v.set("name", V::Str(vehicle_name(&mut rng, plan.kind, i)));
    let small = fleet.size == Size::Small;
    let mut planted = 0;
    if !small {
        v.set("operator", V::Str((*rng.pick(OPERATORS)).into()));
        let tags: Vec<String> = match plan.kind {
            Kind::Station => vec!["station".into(), (*rng.pick(&["leo", "lunar"])).into()],
            Kind::Visitor => vec![(*rng.pick(&["crew", "cargo"])).into()],
            Kind::Tug => vec!["tug".into(), "uncrewed".into()],
        };
        let multi = rng.chance(0.15);
        v.set("tags", V::Tags(tags, multi));
    }
    if !small || plan.kind == Kind::Station || rng.chance(0.15) {
        let m = mass(&mut rng, plan.kind);
        if !small && rng.chance(0.2) {
            v.note("mass", m, "the mass at docking");
        } else {
            v.set("mass", m);
        }
    }
    if !small && plan.kind != Kind::Tug {
        let planted_atmosphere = plan.kind == Kind::Visitor && rng.chance(0.01);
        let a = atmosphere(&mut rng, planted_atmosphere);
        v.blocks.push(a);
    }
    let station = plan.kind == Kind::Station;
    let mut matings = Vec::new();
    let mut cross = 0;
    for slot in &plan.slots {
        let plant = plant_for(&mut rng, slot, plan.kind, fleet.size);
        if plant != Plant::None {
            planted += 1;
        }
        let mut p = Block::new("port", Some(slot.id.clone()));
        if !small {
            p.comment = Some(format!(
                "{} port: {} ({})",
                slot.id,
                slot.system,
                slot.role.word()
            ));
            p.set("location", V::Str((*rng.pick(LOCATIONS)).into()));
        }
        let d = docking_block(&mut rng, fleet, slot, plant);
        p.blocks.push(d);
        if !small {
            // Stations supply power; a chasing visitor receives it. Ports that
            // are only docked to get a `both` or no power block.
            if station || slot.chaser {
                p.blocks.push(power_block(&mut rng, slot, station, plant));
            } else if rng.chance(0.5) {
                let mut pw = Block::new("power", None);
                pw.set("direction", V::Sym("both"));
                pw.set("voltage", r(24.0, 32.0, "V", false));
                pw.inline = true;
                p.blocks.push(pw);
            }
            if slot.fam != Fam::ApolloPd && slot.fam != Fam::Apas75 {
                p.blocks.push(data_block(&mut rng, slot, station, plant));
                if slot.fam != Fam::Cbm {
                    p.blocks.push(comms_block(&mut rng, slot, station, plant));
                }
            }
        } else {
            p.inline = true;
        }
        v.blocks.push(p);
        if slot.chaser {
            let mate = !small || rng.chance(0.7);
            if mate {
                let is_cross = rng.chance(0.04);
                if let Some((j, port)) = find_target(&mut rng, fleet, slot, is_cross) {
                    if is_cross {
                        cross += 1;
                    }
                    let mut m = Block::new("mating", Some(format!("m-{vid}-{}", slot.id)));
                    m.set("chaser", V::Ref(vid.clone(), slot.id.clone()));
                    m.set("target", V::Ref(fleet.vid(j), port));
                    m.inline = small || rng.chance(0.8);
                    if is_cross && !small {
                        m.comment = Some("planted: the target is of another docking family".into());
                    }
                    matings.push(m);
                }
            }
        }
    }
    if !small {
        annotate(&mut rng, &mut v);
    }
    let mut comment = format!(
        "{vid}: a generated {} with {} port{}",
        match plan.kind {
            Kind::Station => "station",
            Kind::Visitor => "visitor",
            Kind::Tug => "tug",
        },
        plan.slots.len(),
        if plan.slots.len() == 1 { "" } else { "s" }
    );
    if !small {
        let ports: Vec<String> = plan
            .slots
            .iter()
            .map(|s| format!("{} ({}, {})", s.id, s.system, s.role.word()))
            .collect();
        let _ = write!(
            comment,
            ":\n#   {}.\n# Units are mixed on purpose; every value converts to SI as docs/language.md says.",
            ports.join(", ")
        );
    }
    Generated {
        vehicle: v,
        matings,
        comment,
        ports: plan.slots.len(),
        planted,
        cross,
    }
}

// ------------------------------------------------------------------ files

/// The `.icd` text of one vehicle's own file.
pub fn vehicle_icd(seed: u64, g: &Generated, out: &mut String) {
    let _ = writeln!(
        out,
        "# Generated by gen-fleet (seed {seed}); not a real vehicle."
    );
    let _ = writeln!(out, "# {}", g.comment);
    out.push_str("format = 1\n\n");
    icd_block(out, &g.vehicle, 0);
    if !g.matings.is_empty() {
        out.push('\n');
    }
    for m in &g.matings {
        icd_block(out, m, 0);
    }
}

/// The JSON twin of a list of vehicles and matings.
pub fn fleet_json<'a>(
    vehicles: impl Iterator<Item = &'a Block>,
    matings: impl Iterator<Item = &'a Block>,
    out: &mut String,
) {
    out.push_str("{\"version\":1,\"vehicles\":[");
    for (k, v) in vehicles.enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push('\n');
        json_block(out, v);
    }
    out.push_str("\n],\"matings\":[");
    for (k, m) in matings.enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push('\n');
        json_block(out, m);
    }
    out.push_str("\n]}\n");
}

/// The number of vehicles that give exactly `ports` ports, and the last
/// vehicle's cap.
pub fn vehicles_for_ports(seed: u64, ports: usize, size: Size) -> (usize, Option<(usize, usize)>) {
    // The plan of a vehicle depends on the fleet size only through the
    // station count, which `plan` does not read: count with a provisional size.
    let probe = Fleet::new(seed, usize::MAX / 2, size, None);
    let mut total = 0;
    let mut i = 0;
    while total < ports {
        i += 1;
        let n = probe.plan(i).slots.len();
        if total + n >= ports {
            let keep = ports - total;
            return (i, if keep == n { None } else { Some((i, keep)) });
        }
        total += n;
    }
    (i, None)
}

/// The path of vehicle `i`'s own file: `DIR/gNNN/vNNNNN.ext`, 1000 a folder.
pub fn vehicle_path(dir: &Path, fleet: &Fleet, i: usize, ext: &str) -> PathBuf {
    dir.join(format!("g{:03}", (i - 1) / 1000))
        .join(format!("{}.{ext}", fleet.vid(i)))
}

/// Writes the fleet under `dir` (created if needed).
pub fn generate(opts: &Options, dir: &Path) -> io::Result<Summary> {
    let (n, cap) = match opts.ports {
        Some(p) => vehicles_for_ports(opts.seed, p, opts.size),
        None => (opts.vehicles, None),
    };
    let fleet = Fleet::new(opts.seed, n, opts.size, cap);
    fs::create_dir_all(dir)?;
    let mut s = Summary::default();
    let ext = if opts.json { "json" } else { "icd" };
    if opts.one_file {
        let path = dir.join(format!("fleet.{ext}"));
        let mut w = BufWriter::with_capacity(1 << 20, fs::File::create(&path)?);
        let mut buf = String::new();
        let mut json_matings = String::new();
        if opts.json {
            w.write_all(b"{\"version\":1,\"vehicles\":[")?;
        } else {
            let _ = writeln!(
                buf,
                "# Generated by gen-fleet (seed {}): {n} vehicles in one file; not real vehicles.\nformat = 1\n",
                opts.seed
            );
        }
        for i in 1..=n {
            let g = generate_vehicle(&fleet, i);
            count(&mut s, &g);
            if opts.json {
                if i > 1 {
                    buf.push(',');
                }
                buf.push('\n');
                json_block(&mut buf, &g.vehicle);
                for m in &g.matings {
                    if !json_matings.is_empty() {
                        json_matings.push(',');
                    }
                    json_matings.push('\n');
                    json_block(&mut json_matings, m);
                }
            } else {
                if opts.size == Size::Full {
                    let _ = writeln!(buf, "# {}", g.comment);
                }
                icd_block(&mut buf, &g.vehicle, 0);
                for m in &g.matings {
                    icd_block(&mut buf, m, 0);
                }
                if opts.size == Size::Full {
                    buf.push('\n');
                }
            }
            if buf.len() > 1 << 16 {
                w.write_all(buf.as_bytes())?;
                s.bytes += buf.len() as u64;
                buf.clear();
            }
        }
        if opts.json {
            buf.push_str("\n],\"matings\":[");
            buf.push_str(&json_matings);
            buf.push_str("\n]}\n");
        }
        w.write_all(buf.as_bytes())?;
        s.bytes += buf.len() as u64;
        w.flush()?;
        s.files = 1;
        return Ok(s);
    }
    let mut buf = String::with_capacity(16 << 10);
    let mut made_dir = usize::MAX;
    for i in 1..=n {
        let g = generate_vehicle(&fleet, i);
        count(&mut s, &g);
        buf.clear();
        if opts.json {
            fleet_json(std::iter::once(&g.vehicle), g.matings.iter(), &mut buf);
        } else {
            vehicle_icd(opts.seed, &g, &mut buf);
        }
        let path = vehicle_path(dir, &fleet, i, ext);
        if (i - 1) / 1000 != made_dir {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            made_dir = (i - 1) / 1000;
        }
        fs::write(&path, buf.as_bytes())?;
        s.bytes += buf.len() as u64;
        s.files += 1;
    }
    Ok(s)
}

fn count(s: &mut Summary, g: &Generated) {
    s.vehicles += 1;
    s.ports += g.ports;
    s.matings += g.matings.len();
    s.cross_family_matings += g.cross;
    s.planted += g.planted;
}
