//! Prints a model back as `.icd` text. Parsing the printed text gives a model
//! equal to the original (tested by a property test).

use super::*;
use std::fmt::Write;

/// Escapes a string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn q(x: &Quantity) -> String {
    if x.unit.is_empty() {
        fmt_number(x.number)
    } else {
        format!("{} {}", fmt_number(x.number), x.unit)
    }
}

fn r(x: &Range) -> String {
    format!("{} .. {}", q(&x.lo), q(&x.hi))
}

struct P {
    out: String,
    depth: usize,
}

impl P {
    fn line(&mut self, s: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }
    fn open(&mut self, s: &str) {
        self.line(&format!("{s} {{"));
        self.depth += 1;
    }
    fn close(&mut self) {
        self.depth -= 1;
        self.line("}");
    }
    fn str(&mut self, key: &str, v: &Option<Spanned<String>>) {
        if let Some(v) = v {
            self.line(&format!("{key} = {}", quote(&v.value)));
        }
    }
    fn q(&mut self, key: &str, v: &Option<Spanned<Quantity>>) {
        if let Some(v) = v {
            self.line(&format!("{key} = {}", q(&v.value)));
        }
    }
    fn r(&mut self, key: &str, v: &Option<Spanned<Range>>) {
        if let Some(v) = v {
            self.line(&format!("{key} = {}", r(&v.value)));
        }
    }
}

/// The model as `.icd` text.
pub fn print(m: &Model) -> String {
    let mut p = P {
        out: String::new(),
        depth: 0,
    };
    if m.format.is_some() {
        p.line("format = 1");
    }
    for v in &m.vehicles {
        p.open(&format!("vehicle {}", v.id.value));
        p.str("name", &v.name);
        p.str("operator", &v.operator);
        if let Some(t) = &v.tags {
            let items: Vec<String> = t.value.iter().map(|s| quote(s)).collect();
            p.line(&format!("tags = [{}]", items.join(", ")));
        }
        p.r("mass", &v.mass);
        if let Some(a) = &v.atmosphere {
            p.open("atmosphere");
            p.r("pressure", &a.pressure);
            p.r("oxygen", &a.oxygen);
            p.close();
        }
        for port in &v.ports {
            p.open(&format!("port {}", port.id.value));
            p.str("location", &port.location);
            if let Some(d) = &port.docking {
                p.open("docking");
                p.str("system", &d.system);
                p.str("standard", &d.standard);
                p.str("revision", &d.revision);
                if let Some(role) = &d.role {
                    p.line(&format!("role = {}", role.value.as_str()));
                }
                p.q("passageway", &d.passageway);
                p.q("hooks", &d.hooks);
                p.q("guide_petals", &d.guide_petals);
                for (kind, env) in [("capture", &d.capture), ("approach", &d.approach)] {
                    if let Some(e) = env {
                        p.open(kind);
                        p.r("closing_velocity", &e.closing_velocity);
                        p.q("lateral_velocity", &e.lateral_velocity);
                        p.q("lateral_misalignment", &e.lateral_misalignment);
                        p.q("angular_misalignment", &e.angular_misalignment);
                        p.q("roll_misalignment", &e.roll_misalignment);
                        p.q("angular_rate", &e.angular_rate);
                        p.r("partner_mass", &e.partner_mass);
                        p.close();
                    }
                }
                p.close();
            }
            if let Some(pw) = &port.power {
                p.open("power");
                if let Some(d) = &pw.direction {
                    p.line(&format!("direction = {}", d.value.as_str()));
                }
                p.r("voltage", &pw.voltage);
                p.q("current", &pw.current);
                p.str("connector", &pw.connector);
                p.q("power", &pw.power);
                p.close();
            }
            if let Some(data) = &port.data {
                p.open("data");
                for b in &data.buses {
                    p.open(&format!("bus {}", b.id.value));
                    p.str("protocol", &b.protocol);
                    p.q("rate", &b.rate);
                    if let Some(role) = &b.role {
                        p.line(&format!("role = {}", role.value.as_str()));
                    }
                    p.close();
                }
                p.close();
            }
            if let Some(c) = &port.comms {
                p.open("comms");
                for l in &c.links {
                    p.open(&format!("link {}", l.id.value));
                    p.str("band", &l.band);
                    p.str("protocol", &l.protocol);
                    p.r("transmit", &l.transmit);
                    p.r("receive", &l.receive);
                    p.close();
                }
                p.close();
            }
            p.close();
        }
        p.close();
    }
    for m in &m.matings {
        p.open(&format!("mating {}", m.id.value));
        if let Some(c) = &m.chaser {
            p.line(&format!("chaser = {}", c.value));
        }
        if let Some(t) = &m.target {
            p.line(&format!("target = {}", t.value));
        }
        p.close();
    }
    p.out
}
