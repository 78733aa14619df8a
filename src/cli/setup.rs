//! What every command that checks needs: the configuration, the specs and
//! the rule set, with per-rule severities applied.

pub use super::output::FlagError;
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::spec::config::{self, FailOn};
use crate::spec::{RuleSet, load::codes};
use crate::syntax::Span;
use crate::workspace::{Root, SourceMap};
use std::path::{Path, PathBuf};

/// Flags that choose specs and configuration.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SpecArgs {
    /// Add a spec file (repeatable).
    #[arg(long = "spec", value_name = "FILE")]
    pub specs: Vec<PathBuf>,
    /// Do not load the built-in specs.
    #[arg(long)]
    pub no_default_spec: bool,
    /// Use this configuration file instead of looking for dockcheck.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any dockcheck.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Set a rule's level, on top of dockcheck.toml: `ID=error|warning|info|off`
    /// (repeatable).
    #[arg(long = "rule", value_name = "ID=LEVEL")]
    pub rule_levels: Vec<String>,
    /// Report only these codes (comma-separated; a prefix such as `IDSS` or
    /// `MATE-` selects every code it starts). Language and spec errors are
    /// always reported.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub select: Vec<String>,
    /// Do not report these codes (comma-separated; prefixes as for
    /// `--select`). Language and spec errors are always reported.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub ignore: Vec<String>,
    /// Say on stderr which dockcheck.toml and which specs are used.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Flags that bound what a command reads.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LimitArgs {
    /// Do not read .icd files larger than SIZE (bytes, or with a unit: B,
    /// kB, MB, GB, KiB, MiB, GiB; `64MiB`); a larger file is ICD-TOO-LARGE
    /// and is not checked (exit 2) [default: the configuration's
    /// `[limits] max-file-size`, else 256MiB].
    #[arg(long, value_name = "SIZE", value_parser = crate::limits::parse_size)]
    pub max_file_size: Option<u64>,
}

/// What `--select` and `--ignore` keep.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    select: Vec<String>,
    ignore: Vec<String>,
}

impl Selection {
    /// Whether a finding with `code` is reported. Language and spec errors
    /// (the file or spec could not be read as written) always are.
    pub fn keeps(&self, code: &str) -> bool {
        let protected = (code.starts_with("ICD-") || code.starts_with("SPEC-"))
            && crate::diagnostic::code_severity(code) == Severity::Error;
        if protected {
            return true;
        }
        let hit = |list: &[String]| list.iter().any(|p| matches_code(p, code));
        (self.select.is_empty() || hit(&self.select)) && !hit(&self.ignore)
    }
}

/// `IDSS-PASSAGE` matches itself; `IDSS` and `IDSS-` match every `IDSS-*`.
fn matches_code(pattern: &str, code: &str) -> bool {
    code == pattern
        || (code.starts_with(pattern)
            && (pattern.ends_with('-') || code.as_bytes().get(pattern.len()) == Some(&b'-')))
}

/// Checks `--select`/`--ignore` entries against every known code: a typo
/// must never switch a check off silently.
fn selection(args: &SpecArgs, rules: &RuleSet) -> Result<Selection, FlagError> {
    let known: Vec<&str> = rules
        .rules
        .iter()
        .map(|r| r.rule.id.as_str())
        .chain(crate::diagnostic::explained_codes().map(|(_, c)| c.0))
        .collect();
    for (flag, list) in [("--select", &args.select), ("--ignore", &args.ignore)] {
        for p in list {
            if p.is_empty() || !known.iter().any(|c| matches_code(p, c)) {
                let hint = match crate::diagnostic::closest(p, known.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "`dockcheck rules` and `dockcheck explain CODE` list the codes".into(),
                };
                return Err(FlagError::new(
                    format!("{flag} {p}"),
                    format!("{flag}: no code is or starts with `{p}`; {hint}"),
                ));
            }
        }
    }
    Ok(Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    })
}

/// Reads `--rule ID=LEVEL` flags: each id must be a loaded rule.
fn rule_levels(
    args: &SpecArgs,
    rules: &RuleSet,
) -> Result<Vec<(String, config::Level)>, FlagError> {
    const LEVELS: &[&str] = &["error", "warning", "info", "off"];
    let mut out = Vec::new();
    for flag in &args.rule_levels {
        let Some((id, level)) = flag.split_once('=') else {
            return Err(FlagError::new(
                format!("--rule {flag}"),
                format!(
                    "--rule `{flag}`: write `--rule ID=LEVEL`, e.g. `--rule IDSS-REVISION=off`"
                ),
            ));
        };
        let (id, level) = (id.trim(), level.trim());
        if rules.rule(id).is_none() {
            let hint = match crate::diagnostic::closest(
                id,
                rules.rules.iter().map(|r| r.rule.id.as_str()),
            ) {
                Some(c) => format!("did you mean `{c}`?"),
                None => "`dockcheck rules` lists the loaded rules".into(),
            };
            return Err(FlagError::new(
                format!("--rule {flag}"),
                format!("--rule: unknown rule `{id}`; {hint}"),
            ));
        }
        let level = match level {
            "error" => config::Level::Error,
            "warning" => config::Level::Warning,
            "info" => config::Level::Info,
            "off" => config::Level::Off,
            other => {
                let prefix = LEVELS
                    .iter()
                    .copied()
                    .find(|l| !other.is_empty() && l.starts_with(&other.to_ascii_lowercase()));
                let hint = prefix
                    .or_else(|| crate::diagnostic::closest(other, LEVELS.iter().copied()))
                    .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"));
                return Err(FlagError::new(
                    format!("--rule {flag}"),
                    format!(
                        "--rule {id}: the level is one of `error`, `warning`, `info`, `off`, not `{other}`{hint}"
                    ),
                ));
            }
        };
        out.push((id.to_string(), level));
    }
    Ok(out)
}

/// The waiver file found in the project root.
pub const WAIVER_FILE: &str = "waivers.toml";

/// A ready rule set.
pub struct Setup {
    /// `waivers.toml` in the project root, when there is one.
    pub waiver_file: Option<PathBuf>,
    pub sources: SourceMap,
    pub rules: RuleSet,
    pub config: Option<config::Loaded>,
    /// `--select` and `--ignore`.
    pub selection: Selection,
}

impl Setup {
    /// The built-in specs alone, no configuration and no flags (`check
    /// --no-config` from a directory without `waivers.toml`). No I/O.
    pub fn builtin() -> Result<Setup, (SourceMap, Vec<Diagnostic>)> {
        Setup::with_specs(&[])
    }

    /// The built-in specs and spec texts held in memory, each shown under
    /// its name (what `--spec FILE` reads from a file), no configuration
    /// and no flags. No I/O.
    pub fn with_specs(specs: &[(&str, Vec<u8>)]) -> Result<Setup, (SourceMap, Vec<Diagnostic>)> {
        let mut sources = SourceMap::default();
        let mut files = Vec::new();
        let mut diags = Vec::new();
        for (name, bytes) in specs {
            match crate::workspace::add_bytes(&mut sources, name, bytes.clone()) {
                Ok(id) => files.push(id),
                Err(d) => diags.push(*d),
            }
        }
        let rules = RuleSet::load_texts(&mut sources, true, &files, diags);
        match rules {
            Ok(rules) => Ok(Setup {
                waiver_file: None,
                sources,
                rules,
                config: None,
                selection: Selection::default(),
            }),
            Err(d) => Err((sources, d)),
        }
    }

    /// What `--verbose` says: the configuration and the specs in use, and
    /// the project root.
    pub fn describe(&self) -> String {
        let mut text = match &self.config {
            Some(c) => match c.file {
                Some(f) => format!("dockcheck: configuration {}\n", self.sources.get(f).path),
                None => "dockcheck: configuration given\n".to_string(),
            },
            None => "dockcheck: no dockcheck.toml\n".to_string(),
        };
        for spec in &self.rules.specs {
            text.push_str(&format!("dockcheck: spec {}\n", spec.name));
        }
        text.push_str(&format!(
            "dockcheck: {} rules, paths shown from {}\n",
            self.rules.rules.len(),
            self.sources.root().dir().display()
        ));
        text
    }

    /// The limits of the run: `--max-file-size` when given, else the
    /// configuration's `[limits]`, else the defaults.
    pub fn limits(&self, flags: &LimitArgs) -> crate::limits::Limits {
        let mut l = self.config.as_ref().map(|c| c.limits).unwrap_or_default();
        if let Some(n) = flags.max_file_size {
            l.max_file_size = n;
        }
        l
    }

    /// The fail level: the flag, else the configuration's, else `error`.
    pub fn fail_on(&self, flag: Option<FailOn>) -> FailOn {
        flag.or_else(|| self.config.as_ref().and_then(|c| c.config.fail_on))
            .unwrap_or(FailOn::Error)
    }

    /// Applies per-path overrides (changes severities or drops findings),
    /// then `--select` and `--ignore`.
    pub fn apply_overrides(&self, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
        self.apply_config(sources, diags);
        self.select(diags);
    }

    /// What [`Setup::apply_overrides`] makes of one finding (its file,
    /// rule id and severity): the severity it keeps, or `None` when it is
    /// dropped.
    pub fn adjusted(
        &self,
        sources: &SourceMap,
        file: FileId,
        code: &str,
        severity: Severity,
    ) -> Option<Severity> {
        let level = match &self.config {
            Some(cfg) => match cfg.override_for(&sources.get(file).path, code) {
                Some(level) => level.severity(),
                None => Some(severity),
            },
            None => Some(severity),
        };
        level.filter(|_| self.selection.keeps(code))
    }

    /// `--select` and `--ignore`.
    pub fn select(&self, diags: &mut Vec<Diagnostic>) {
        diags.retain(|d| self.selection.keeps(&d.code));
    }

    /// Applies the configuration's per-path overrides: changes severities
    /// or drops findings.
    pub fn apply_config(&self, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
        let Some(cfg) = &self.config else { return };
        diags.retain_mut(
            |d| match cfg.override_for(&sources.get(d.file).path, &d.code) {
                None => true,
                Some(level) => match level.severity() {
                    None => false,
                    Some(s) => {
                        d.severity = s;
                        true
                    }
                },
            },
        );
    }
}

/// Where to start looking for `dockcheck.toml`: the deepest directory that
/// holds every checked path, so that the order of the paths never matters.
pub fn config_start(paths: &[PathBuf]) -> PathBuf {
    // `.` and `..` resolved, so that `icd/..` does not count as under `icd`
    let abs: Vec<PathBuf> = paths
        .iter()
        .map(|p| crate::workspace::normalize(p))
        .collect();
    let Some(first) = abs.first() else {
        return PathBuf::from(".");
    };
    let mut common: PathBuf = if first.is_dir() {
        first.clone()
    } else {
        first.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    for p in &abs[1..] {
        while !p.starts_with(&common) {
            if !common.pop() {
                return PathBuf::from("/");
            }
        }
    }
    common
}

/// Loads the configuration (found from `start` upward) and the specs. The
/// directory holding the configuration is the project root that paths are
/// shown from; without one, the current directory.
pub fn setup(args: &SpecArgs, start: &Path) -> Result<Setup, (SourceMap, Vec<Diagnostic>)> {
    let cfg_path = if args.no_config {
        None
    } else {
        args.config.clone().or_else(|| config::find(start))
    };
    // the project root: the directory of dockcheck.toml; without one, of
    // the nearest waivers.toml; else the current directory. Found from the
    // checked paths, so that the answer does not depend on where dockcheck
    // runs.
    let (root, waiver_file) = match &cfg_path {
        Some(p) => {
            let dir = config::dir_of(p);
            let w = dir.join(WAIVER_FILE);
            (Root::new(&dir), w.is_file().then_some(w))
        }
        None => match config::find_named(start, WAIVER_FILE) {
            Some(w) => (Root::new(&config::dir_of(&w)), Some(w)),
            None => (Root::cwd(), None),
        },
    };
    let mut sources = SourceMap::with_root(root);
    let cfg = match cfg_path {
        Some(p) => Some(config::load(&mut sources, &p).map_err(|d| (sources.clone(), d))?),
        None => None,
    };
    let mut specs: Vec<PathBuf> = Vec::new();
    if let Some(c) = &cfg {
        specs.extend(c.config.specs.iter().map(|s| c.dir.join(s)));
    }
    specs.extend(args.specs.iter().cloned());
    let builtin = !args.no_default_spec
        && cfg
            .as_ref()
            .and_then(|c| c.config.default_spec)
            .unwrap_or(true);
    let refs: Vec<&Path> = specs.iter().map(PathBuf::as_path).collect();
    let mut rules = match RuleSet::load(&mut sources, builtin, &refs) {
        Ok(r) => r,
        Err(d) => return Err((sources, d)),
    };
    if let Some(c) = &cfg {
        let mut diags = Vec::new();
        for id in c.named_rules() {
            if rules.rule(id).is_none() {
                let help = match crate::diagnostic::closest(
                    id,
                    rules.rules.iter().map(|r| r.rule.id.as_str()),
                ) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "`dockcheck rules` lists the loaded rules".into(),
                };
                let span = c
                    .file
                    .map(|f| rule_key_span(&sources.get(f).text, id, &c.config))
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::error(
                        codes::INVALID,
                        c.file.unwrap_or_default(),
                        span,
                        format!("unknown rule `{id}` in the configuration"),
                    )
                    .with_help(help),
                );
            }
        }
        if !diags.is_empty() {
            return Err((sources, diags));
        }
        rules.rules.retain_mut(
            |r| match c.config.rules.get(&r.rule.id).map(|l| l.severity()) {
                None => true,
                Some(None) => false,
                Some(Some(s)) => {
                    r.severity = s;
                    true
                }
            },
        );
    }
    // the command line, on top of the configuration
    let levels = match rule_levels(args, &rules) {
        Ok(l) => l,
        Err(e) => {
            let d = flag_diagnostic(&mut sources, e);
            return Err((sources, vec![d]));
        }
    };
    let selection = match selection(args, &rules) {
        Ok(s) => s,
        Err(e) => {
            let d = flag_diagnostic(&mut sources, e);
            return Err((sources, vec![d]));
        }
    };
    rules.rules.retain_mut(|r| {
        match levels
            .iter()
            .rev()
            .find(|(id, _)| *id == r.rule.id)
            .map(|(_, l)| l.severity())
        {
            None => true,
            Some(None) => false,
            Some(Some(s)) => {
                r.severity = s;
                true
            }
        }
    });
    Ok(Setup {
        waiver_file,
        sources,
        rules,
        config: cfg,
        selection,
    })
}

/// A flag's usage error as a diagnostic on the flag as written (shown as
/// the file `command line`), so that it comes out in the format the command
/// was asked for, like every other setup error; exit 2.
pub fn flag_diagnostic(sources: &mut SourceMap, e: FlagError) -> Diagnostic {
    let len = e.arg.len();
    let id = sources.add("command line", e.arg);
    Diagnostic::error(codes::FLAG, id, Span::new(0, len), e.message)
        .with_label("on the command line")
}

/// Where a rule id is named in the configuration: under `[rules]` or in an
/// override's `rules`.
fn rule_key_span(text: &str, id: &str, cfg: &config::Config) -> Span {
    use crate::spec::load::{Seg, key_span_in};
    if let Some(s) = key_span_in(text, &[Seg::Key("rules".into()), Seg::Key(id.into())]) {
        return s;
    }
    for (i, o) in cfg.overrides.iter().enumerate() {
        if o.rules.contains_key(id)
            && let Some(s) = key_span_in(
                text,
                &[
                    Seg::Key("overrides".into()),
                    Seg::Index(i),
                    Seg::Key("rules".into()),
                    Seg::Key(id.into()),
                ],
            )
        {
            return s;
        }
    }
    find_text(text, id)
}

fn find_text(text: &str, needle: &str) -> Span {
    text.find(needle)
        .map_or(Span::default(), |i| Span::new(i, i + needle.len()))
}

/// [`setup`], printing the diagnostics when it fails in the format the
/// command was asked for; `Err` holds the exit code.
pub fn setup_or_report(
    args: &SpecArgs,
    start: &Path,
    format: super::output::SetupFormat,
    color: super::Color,
) -> Result<Setup, u8> {
    let s = setup(args, start)
        .map_err(|(sources, diags)| super::output::setup_failed(&sources, diags, format, color))?;
    if args.verbose {
        super::err(&s.describe());
    }
    Ok(s)
}

/// Loads the `.icd` files for `mate` and `matrix`; an unreadable path is
/// reported (in the command's format) and gives exit code 2.
pub fn load_or_report(
    setup: &Setup,
    paths: &[PathBuf],
    limits: &crate::limits::Limits,
    format: super::output::SetupFormat,
    color: super::Color,
) -> Result<crate::load::Loaded, u8> {
    let loaded = crate::load::read_files(setup.sources.clone(), paths, limits);
    if loaded.unreadable > 0 {
        let diags: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| crate::diagnostic::codes::unread(&d.code))
            .cloned()
            .collect();
        return Err(super::output::setup_failed(
            &loaded.sources,
            diags,
            format,
            color,
        ));
    }
    Ok(loaded)
}

/// The world of the loaded files for `mate` and `matrix`; says on stderr
/// when the files have errors (which `check` would show).
pub fn world_or_warn(loaded: &crate::load::Loaded) -> crate::model::world::World<'_> {
    let mut cross = Vec::new();
    let world = loaded.checked_world(&mut cross);
    let errors = loaded
        .diagnostics
        .iter()
        .chain(&cross)
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        super::err(&format!(
            "dockcheck: the loaded files have {errors} error(s); `dockcheck check` shows them\n"
        ));
    }
    world
}
