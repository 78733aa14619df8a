//! `dockcheck mate CHASER TARGET [PATHS]...`

use super::setup::{self, SpecArgs};
use super::{Color, EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE, Format};
use crate::check::pair::{self, Side, Verdict};
use crate::report::{self, human};
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The chaser port, `vehicle.port`.
    pub chaser: String,
    /// The target port, `vehicle.port`.
    pub target: String,
    /// Files and directories to load the vehicles from (default: .).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    #[command(flatten)]
    pub spec: SpecArgs,
}

#[derive(Serialize)]
struct MateDoc {
    version: u32,
    chaser: String,
    target: String,
    verdict: Verdict,
    codes: Vec<String>,
    diagnostics: Vec<report::json::JsonDiagnostic>,
}

pub fn run(args: Args) -> u8 {
    let paths = super::default_paths(args.paths);
    let setup = match setup::setup_or_report(
        &args.spec,
        &setup::config_start(&paths),
        args.format,
        args.color,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let loaded = match setup::load_or_report(&setup, &paths, args.color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let world = setup::world_or_warn(&loaded);
    let find = |r: &str| -> Result<Side, String> {
        let Some((v, p)) = r.split_once('.') else {
            return Err(format!("`{r}` is not a `vehicle.port` reference"));
        };
        match world.port(v, p) {
            Some((file, vehicle, port)) => Ok(Side {
                file,
                vehicle,
                port,
            }),
            None => {
                let names: Vec<String> = crate::check::matrix::ports(&world)
                    .iter()
                    .map(|s| s.name())
                    .collect();
                let hint = match crate::diagnostic::closest(r, names.iter().map(String::as_str)) {
                    Some(c) => format!("; did you mean `{c}`?"),
                    None => String::new(),
                };
                Err(format!("no port `{r}` in the files loaded{hint}"))
            }
        }
    };
    let (chaser, target) = match (find(&args.chaser), find(&args.target)) {
        (Ok(c), Ok(t)) => (c, t),
        (Err(e), _) | (_, Err(e)) => {
            super::err(&format!("dockcheck: {e}\n"));
            return EXIT_TROUBLE;
        }
    };
    // a vehicle does not mate with itself: `check` says so of such a mating
    // (ICD-REF), and comparing the ports would only report nonsense
    if chaser.vehicle.id.value == target.vehicle.id.value {
        let (c, t) = (chaser.name(), target.name());
        let what = if c == t {
            format!("`{c}` is both the chaser and the target; a port does not mate with itself")
        } else {
            format!(
                "`{c}` and `{t}` are ports of one vehicle `{}`; a vehicle does not mate with itself",
                chaser.vehicle.id.value
            )
        };
        super::err(&format!(
            "dockcheck: {what}\n  help: name a port of another vehicle; `dockcheck matrix` lists every pair\n"
        ));
        return EXIT_TROUBLE;
    }
    let raw = pair::mate(&setup.rules, None, chaser, target, None);
    let mut diags = raw.diagnostics;
    setup.apply_overrides(&loaded.sources, &mut diags);
    // the verdict follows the findings as configured
    let outcome = pair::outcome(diags.clone(), raw.undecided);
    report::sort(&mut diags, &loaded.sources);
    let (c, t) = (chaser.name(), target.name());
    match args.format {
        Format::Json => {
            let doc = MateDoc {
                version: 1,
                chaser: c,
                target: t,
                verdict: outcome.verdict,
                codes: outcome.codes.clone(),
                diagnostics: diags
                    .iter()
                    .map(|d| report::json::diagnostic(&loaded.sources, d))
                    .collect(),
            };
            super::out(&report::json::to_string(&doc));
        }
        Format::Human => {
            let style = human::Style {
                color: args.color.enabled(),
                width: super::width(),
            };
            super::out(&human::render(&loaded.sources, &diags, style));
            super::out(&format!(
                "{} {c} → {t}: {}\n",
                outcome.verdict.symbol(),
                outcome.verdict.as_str()
            ));
        }
    }
    if outcome.verdict == Verdict::Mates {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}
