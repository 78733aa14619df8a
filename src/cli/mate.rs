//! `dockcheck mate CHASER TARGET [PATHS]...`

use super::output::{self, Kind, MateView, OutputArgs, SetupFormat};
use super::setup::{self, SpecArgs};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};
use crate::check::pair::{self, Side, Verdict};
use crate::report::{self, CheckedFile, CodeInfo, Run};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The chaser port, `vehicle.port`.
    pub chaser: String,
    /// The target port, `vehicle.port`.
    pub target: String,
    /// Files and directories to load the vehicles from (default: .).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub limits: setup::LimitArgs,
}

pub fn run(args: Args) -> u8 {
    let paths = super::default_paths(args.paths);
    let setup = match setup::setup_or_report(
        &args.spec,
        &setup::config_start(&paths),
        SetupFormat::Report(args.out.format),
        args.out.color,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let loaded = match setup::load_or_report(
        &setup,
        &paths,
        &setup.limits(&args.limits),
        SetupFormat::Report(args.out.format),
        args.out.color,
    ) {
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
    let outcome = pair::outcome(diags.clone(), raw.undecided, raw.way);
    report::finish(&mut diags, &loaded.sources);
    let fingerprints = crate::fingerprint::fingerprints(&diags, &loaded.sources);
    let codes = CodeInfo::all(&setup.rules);
    let files_out = match output::outputs(&args.out) {
        Ok(f) => f,
        Err(e) => {
            let mut sources = loaded.sources.clone();
            let d = setup::flag_diagnostic(&mut sources, e);
            return output::setup_failed(
                &sources,
                vec![d],
                SetupFormat::Report(args.out.format),
                args.out.color,
            );
        }
    };
    let pair_rules: crate::check::RuleIds = setup
        .rules
        .rules
        .iter()
        .filter(|r| {
            matches!(r.check, crate::spec::Compiled::Pair { .. })
                && crate::check::conformance::applies(&setup.rules, &r.rule.applies_to, chaser.port)
                && crate::check::conformance::applies(&setup.rules, &r.rule.applies_to, target.port)
        })
        .map(|r| r.rule.id.clone())
        .collect();
    let mut sides = vec![chaser.file, target.file];
    sides.sort_by(|a, b| {
        loaded
            .sources
            .get(*a)
            .path
            .cmp(&loaded.sources.get(*b).path)
    });
    sides.dedup();
    let files: Vec<CheckedFile> = sides
        .into_iter()
        .map(|file| CheckedFile {
            file,
            rules: pair_rules.clone(),
        })
        .collect();
    let run = Run {
        sources: &loaded.sources,
        diags: &diags,
        fingerprints: &fingerprints,
        matings: &[],
        files: &files,
        codes: &codes,
        fail_on: setup.fail_on(None),
    };
    let view = MateView {
        chaser: chaser.name(),
        target: target.name(),
        verdict: outcome.verdict,
        how: outcome.how,
        codes: outcome.codes.clone(),
    };
    if let Err(code) = output::emit(&args.out, &files_out, &run, &Kind::Mate(&view)) {
        return code;
    }
    if outcome.verdict == Verdict::Mates {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}
