//! Generates a realistic, deterministic fleet of `.icd` files (or their JSON
//! twin) for benchmarks and robustness tests.
//!
//! ```text
//! cargo run --release --example gen-fleet -- --vehicles 10000 --out target/fleet
//! cargo run --release --example gen-fleet -- --vehicles 680000 --one-file --out target/big
//! cargo run --release --example gen-fleet -- --ports 1000 --out target/m1000
//! cargo run --release --example gen-fleet -- --vehicles 10000 --json --out target/fleet-json
//! ```
//!
//! See docs/performance.md; the generator itself is examples/gen_fleet/gen.rs.

#[path = "gen_fleet/gen.rs"]
mod generator;

use generator::{Options, Size};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
usage: gen-fleet (--vehicles N | --ports P) --out DIR [--seed S] [--one-file] [--json] [--size full|small]

  --vehicles N    number of vehicles (every tenth one is a station)
  --ports P       instead of --vehicles: as many vehicles as give exactly P ports
  --out DIR       output directory (created); files go to DIR/gNNN/vNNNNN.icd,
                  1000 a folder, or to DIR/fleet.icd with --one-file
  --seed S        the seed (default 1): the same seed gives the same bytes
  --one-file      write every vehicle and mating into one file
  --json          write the JSON twin (SI numbers) instead of .icd text
  --size full|small
                  full: 1-6 described ports a vehicle, about 2.7 KB (default);
                  small: one port on one line, about 150 bytes (the default
                  with --one-file: 680,000 vehicles make about 100 MB)
  -h, --help      this text

prints one line to stdout: vehicles= ports= matings= cross_family_matings=
planted_ports= files= bytes= seconds=";

fn fail(msg: &str) -> ExitCode {
    eprintln!("gen-fleet: {msg}\n\n{USAGE}");
    ExitCode::from(2)
}

fn parse_count(flag: &str, value: Option<String>) -> Result<u64, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value
        .replace('_', "")
        .parse::<u64>()
        .map_err(|_| format!("{flag} takes a whole number, not `{value}`"))
}

struct Args {
    opts: Options,
    out: PathBuf,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut vehicles = None;
    let mut ports = None;
    let mut out = None;
    let mut seed = 1;
    let mut one_file = false;
    let mut json = false;
    let mut size = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next());
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--vehicles" => vehicles = Some(parse_count("--vehicles", value())?),
            "--ports" => ports = Some(parse_count("--ports", value())?),
            "--seed" => seed = parse_count("--seed", value())?,
            "--out" => {
                out = Some(PathBuf::from(
                    value().ok_or_else(|| "--out needs a directory".to_string())?,
                ))
            }
            "--one-file" => one_file = true,
            "--json" => json = true,
            "--size" => {
                size = Some(match value().as_deref() {
                    Some("full") => Size::Full,
                    Some("small") => Size::Small,
                    Some(other) => {
                        return Err(format!("--size is `full` or `small`, not `{other}`"));
                    }
                    None => return Err("--size needs a value: full or small".into()),
                })
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let out = out.ok_or_else(|| "--out DIR is required".to_string())?;
    let (vehicles, ports) = match (vehicles, ports) {
        (Some(_), Some(_)) => return Err("give --vehicles or --ports, not both".into()),
        (None, None) => return Err("--vehicles N (or --ports P) is required".into()),
        (Some(0), _) => return Err("--vehicles must be at least 1".into()),
        (_, Some(0)) => return Err("--ports must be at least 1".into()),
        (Some(v), None) => (v, None),
        (None, Some(p)) => (0, Some(p)),
    };
    let too_big = |n: u64| n > 100_000_000;
    if too_big(vehicles) || ports.is_some_and(too_big) {
        return Err("at most 100,000,000 vehicles or ports".into());
    }
    let size = size.unwrap_or(if one_file { Size::Small } else { Size::Full });
    Ok(Some(Args {
        opts: Options {
            vehicles: vehicles as usize,
            ports: ports.map(|p| p as usize),
            seed,
            one_file,
            json,
            size,
        },
        out,
    }))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => return fail(&msg),
    };
    let start = Instant::now();
    match generator::generate(&args.opts, &args.out) {
        Ok(s) => {
            println!(
                "vehicles={} ports={} matings={} cross_family_matings={} planted_ports={} files={} bytes={} seconds={:.2}",
                s.vehicles,
                s.ports,
                s.matings,
                s.cross_family_matings,
                s.planted,
                s.files,
                s.bytes,
                start.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-fleet: writing to {}: {e}", args.out.display());
            ExitCode::from(1)
        }
    }
}
