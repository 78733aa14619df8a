//! Parse + lower of a generated file of N vehicles, next to a baseline that
//! only counts the lines of the same text, so a ratio can be quoted.
//!
//! Run with `cargo bench --bench parse`. `fleet` parses one file of 1,000
//! vehicles from the benchmark corpus generator (examples/gen-fleet.rs:
//! 1-6 fully described ports, comments, mixed units), the row `scripts/bench`
//! quotes as parse MB/s on one core.

use divan::{Bencher, black_box, counter::BytesCount};

#[path = "../examples/gen_fleet/gen.rs"]
#[allow(dead_code)]
mod generator;

fn main() {
    divan::main();
}

/// One generated file of `n` full-size vehicles (and their matings).
fn fleet_text(n: usize) -> String {
    let dir = std::env::temp_dir().join(format!("dockcheck-bench-parse-{}", std::process::id()));
    let opts = generator::Options {
        vehicles: n,
        ports: None,
        seed: 1,
        one_file: true,
        json: false,
        size: generator::Size::Full,
    };
    generator::generate(&opts, &dir).expect("the generator writes to the temp dir");
    let text = std::fs::read_to_string(dir.join("fleet.icd")).expect("the generated file");
    let _ = std::fs::remove_dir_all(&dir);
    text
}

/// Parse + lower of a generated fleet of 1,000 vehicles in one file.
#[divan::bench]
fn fleet(bencher: Bencher) {
    let text = fleet_text(1000);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| dockcheck::load::parse_and_lower(0, black_box(&text)));
}

const SIZES: &[usize] = &[10, 100, 1000];

/// A valid file of `n` vehicles, each with one fully described port.
fn generate(n: usize) -> String {
    let mut text = String::from("format = 1\n");
    for i in 0..n {
        text.push_str(&format!(
            r#"
vehicle v{i} {{
  name = "Vehicle {i}"
  operator = "Agency"
  tags = ["crew", "cargo"]
  mass = 12.5 t .. 13 t
  port fwd {{
    location = "forward"
    docking {{
      system = "IDSS"
      role = active
      passageway = 800 mm
      hooks = 12
      capture {{
        closing_velocity = 0.05 .. 0.10 m/s
        lateral_misalignment = 10 cm
        angular_rate = 0.15 deg/s
        partner_mass = 5 t .. 400 t
      }}
    }}
    power {{ direction = supply; voltage = 120 V ± 5 %; current = 10 A; connector = "J1" }}
    data {{ bus b1 {{ protocol = "1553"; rate = 1 Mbit/s; role = controller }} }}
    comms {{ link s {{ band = "S"; protocol = "CCSDS"; transmit = 2200 .. 2290 MHz; receive = 2025 .. 2110 MHz }} }}
  }}
}}
"#
        ));
    }
    text
}

#[divan::bench(args = SIZES)]
fn parse_and_lower(bencher: Bencher, n: usize) {
    let text = generate(n);
    let (_, diags, _) = dockcheck::load::parse_and_lower(0, &text);
    assert!(diags.is_empty(), "the generated text is valid: {diags:?}");
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| dockcheck::load::parse_and_lower(0, black_box(&text)));
}

#[divan::bench(args = SIZES)]
fn baseline_count_lines(bencher: Bencher, n: usize) {
    let text = generate(n);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| black_box(&text).lines().count());
}
