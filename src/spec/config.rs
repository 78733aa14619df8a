//! `dockcheck.toml`: which specs to load, per-rule severities (or `off`),
//! per-path-glob overrides and the fail level. Found from the checked path
//! upward; schema'd and validated like specs.

use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::workspace::SourceMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The configuration file's name.
pub const FILE_NAME: &str = "dockcheck.toml";

/// A rule's level in the configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    /// The rule does not run.
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// The level at or above which findings fail a run.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Findings never fail the run (exit 2 still means trouble).
    Never,
}

impl FailOn {
    /// The minimum severity rank that fails.
    pub fn min_rank(self) -> u8 {
        match self {
            FailOn::Error => 3,
            FailOn::Warning => 2,
            FailOn::Info => 1,
            FailOn::Never => u8::MAX,
        }
    }
}

/// dockcheck's configuration (`dockcheck.toml`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "dockcheck configuration")]
pub struct Config {
    /// Extra spec files, relative to this file.
    #[serde(default)]
    pub specs: Vec<String>,
    /// Load the built-in specs (default: true).
    #[serde(default)]
    pub default_spec: Option<bool>,
    /// Fail on findings at or above this level (default: error).
    #[serde(default)]
    pub fail_on: Option<FailOn>,
    /// Rule id → level (`error`, `warning`, `info` or `off`).
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// Per-path overrides, applied in order (later wins).
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// Limits on what a run reads.
    #[serde(default)]
    pub limits: LimitsTable,
}

/// `[limits]`: bounds on what a run reads.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitsTable {
    /// The largest .icd file read: bytes (`67108864`) or a size with a
    /// unit (`"64 MiB"`, `"100 MB"`; B, kB, MB, GB, KiB, MiB, GiB). A larger
    /// file is ICD-TOO-LARGE and is not checked (default: 256 MiB;
    /// `--max-file-size` wins).
    #[serde(default)]
    pub max_file_size: Option<Size>,
    /// How deep blocks may nest; deeper is ICD-SYNTAX (default: 64, at
    /// most 1024).
    #[serde(default)]
    #[schemars(range(min = 1, max = 1024))]
    pub max_nesting: Option<u32>,
}

/// A size: bytes, or text with a unit.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Size {
    Bytes(u64),
    Text(String),
}

impl Size {
    /// The size in bytes, read as `--max-file-size` reads it.
    fn bytes(&self) -> Result<u64, String> {
        match self {
            Size::Bytes(n) => crate::limits::parse_size(&n.to_string()),
            Size::Text(t) => crate::limits::parse_size(t),
        }
    }
}

/// Rule levels for files matching globs.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Globs relative to the configuration file's directory (`legacy/**`).
    pub paths: Vec<String>,
    /// Rule id → level.
    pub rules: BTreeMap<String, Level>,
}

/// A loaded configuration.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub config: Config,
    /// The directory relative paths are resolved from, and the project
    /// root that shown paths and override globs are relative to.
    pub dir: PathBuf,
    pub file: Option<FileId>,
    globs: Vec<(globset::GlobSet, BTreeMap<String, Level>)>,
    /// `[limits]` read, with the defaults for what it leaves out.
    pub limits: crate::limits::Limits,
}

pub fn config_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Config)).unwrap_or_default()
}

fn schema() -> &'static serde_json::Value {
    static S: OnceLock<serde_json::Value> = OnceLock::new();
    S.get_or_init(config_schema)
}

fn validator() -> Option<&'static jsonschema::Validator> {
    static V: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    V.get_or_init(|| jsonschema::validator_for(schema()).ok())
        .as_ref()
}

/// Finds `dockcheck.toml` from `start` (a file or directory) upward.
pub fn find(start: &Path) -> Option<PathBuf> {
    find_named(start, FILE_NAME)
}

/// The nearest file called `name` in `start` (or its directory, for a
/// file) or an enclosing directory.
pub fn find_named(start: &Path, name: &str) -> Option<PathBuf> {
    let abs = crate::workspace::normalize(start);
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        let c = d.join(name);
        if c.is_file() {
            return Some(c);
        }
        dir = d.parent();
    }
    None
}

/// The directory holding a configuration file: absolute, `.` and `..`
/// resolved.
pub fn dir_of(path: &Path) -> PathBuf {
    let abs = crate::workspace::normalize(path);
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}

/// Reads and validates a configuration file.
pub fn load(sources: &mut SourceMap, path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let file = crate::workspace::read_into(sources, path).map_err(|d| vec![*d])?;
    let json = super::load::validate_toml(
        file,
        &sources.get(file).text,
        validator(),
        schema(),
        "config",
    )?;
    let config: Config = serde_json::from_value(json).map_err(|e| {
        vec![Diagnostic::error(
            super::load::codes::SCHEMA,
            file,
            crate::syntax::Span::default(),
            format!("the configuration does not match its format: {e}"),
        )]
    })?;
    let dir = dir_of(path);
    let mut globs = Vec::new();
    let mut diags = Vec::new();
    let mut limits = crate::limits::Limits::default();
    match config.limits.max_file_size.as_ref().map(Size::bytes) {
        None => {}
        Some(Ok(n)) => limits.max_file_size = n,
        Some(Err(e)) => {
            use super::load::Seg;
            let span = super::load::span_in(
                &sources.get(file).text,
                &[Seg::Key("limits".into()), Seg::Key("max-file-size".into())],
            );
            diags.push(
                Diagnostic::error(
                    super::load::codes::INVALID,
                    file,
                    span,
                    format!("`limits.max-file-size`: {e}"),
                )
                .with_label("not a size"),
            );
        }
    }
    if let Some(n) = config.limits.max_nesting {
        limits.max_nesting = n as usize;
    }
    for o in &config.overrides {
        let mut b = globset::GlobSetBuilder::new();
        for g in &o.paths {
            match globset::Glob::new(g) {
                Ok(g) => {
                    b.add(g);
                }
                Err(e) => diags.push(Diagnostic::error(
                    super::load::codes::INVALID,
                    file,
                    crate::syntax::Span::default(),
                    format!("invalid glob `{g}`: {e}"),
                )),
            }
        }
        if let Ok(set) = b.build() {
            globs.push((set, o.rules.clone()));
        }
    }
    if diags.is_empty() {
        Ok(Loaded {
            config,
            dir,
            file: Some(file),
            globs,
            limits,
        })
    } else {
        Err(diags)
    }
}

impl Loaded {
    /// Every rule id the configuration names, for checking against the loaded rules.
    pub fn named_rules(&self) -> impl Iterator<Item = &str> {
        self.config
            .rules
            .keys()
            .chain(self.config.overrides.iter().flat_map(|o| o.rules.keys()))
            .map(String::as_str)
    }

    /// The level for `rule` in a file from the per-path overrides, when one
    /// applies. `path` is the file's shown path, which is relative to the
    /// configuration's directory (see [`crate::workspace::Root`]), so that a
    /// glob matches the path users see whatever spelling reached the file;
    /// a file outside that directory matches no glob.
    pub fn override_for(&self, path: &str, rule: &str) -> Option<Level> {
        let rel = Path::new(path);
        if self.globs.is_empty()
            || rel.is_absolute()
            || rel
                .components()
                .next()
                .is_some_and(|c| c == std::path::Component::ParentDir)
        {
            return None;
        }
        let mut out = None;
        for (set, rules) in &self.globs {
            if set.is_match(rel)
                && let Some(l) = rules.get(rule)
            {
                out = Some(*l);
            }
        }
        out
    }
}
