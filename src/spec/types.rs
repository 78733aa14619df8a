//! The spec file format (TOML). These types are the single source of the
//! published JSON Schema (`dockcheck schema spec`, `specs/spec.schema.json`).

use crate::diagnostic::Severity;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A rule spec: the standard it encodes, families of compatible docking
/// systems, and rules.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "dockcheck rule spec")]
pub struct SpecFile {
    /// The standard this spec encodes.
    pub standard: Standard,
    /// Families of docking systems that mate with each other.
    #[serde(default)]
    pub families: Vec<Family>,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// The standard a spec encodes.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    /// Short id, e.g. `IDSS`.
    pub id: String,
    /// Full title.
    pub title: String,
    /// The revision the values were taken from, e.g. `E`.
    pub revision: String,
}

/// How sure we are of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    /// Read in the issuing body's own document.
    Primary,
    /// Read in a derived source (a transcription, an encyclopedia, the press).
    Secondary,
    /// Not checked against any source.
    Unverified,
}

impl Provenance {
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Primary => "primary",
            Provenance::Secondary => "secondary",
            Provenance::Unverified => "unverified",
        }
    }
}

/// Where in a standard a rule or fact comes from.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The document, e.g. `IDSS IDD`.
    pub document: String,
    /// Its revision, e.g. `E`.
    pub revision: String,
    /// The section, table or page; say so when it is not known.
    pub section: String,
    /// Where the value was read, when not in the document itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rev = self.revision.trim();
        if rev.eq_ignore_ascii_case("n/a") || rev.is_empty() {
            write!(f, "{}, {}", self.document, self.section)
        } else if rev.to_ascii_lowercase().starts_with("not identified") {
            write!(
                f,
                "{} (revision not identified), {}",
                self.document, self.section
            )
        } else {
            write!(f, "{} Rev {}, {}", self.document, rev, self.section)
        }
    }
}

/// How the members of a family mate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FamilyKind {
    /// Any two members mate when their roles are complementary.
    Androgynous,
    /// Probe (active) to drogue (passive) only, whichever side approaches.
    Gendered,
    /// Mates by berthing, not docking: an active half to a passive half,
    /// placed by a robot arm, so no capture envelope applies.
    Berthing,
}

/// A family of compatible docking systems.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// Short id, e.g. `idss`.
    pub id: String,
    /// Human name.
    pub name: String,
    pub kind: FamilyKind,
    /// The `docking.system` names in the family, exactly as written
    /// (case-sensitive).
    pub systems: Vec<String>,
    pub reference: Reference,
    pub provenance: Provenance,
    /// Systems that are one half of the family whatever role a port
    /// declares (`ACBM = "active"`, `PCBM = "passive"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub halves: BTreeMap<String, RoleName>,
    /// Families whose compatibility with this one is unresolved: a pair
    /// across them is undecided (`MATE-UNDECIDED`), never a failure. The
    /// relation is symmetric; naming it on one side is enough.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undecided_with: Vec<String>,
    /// Where the unresolved relation is stated (the family's `reference`
    /// when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undecided_reference: Option<Reference>,
    /// How sure we are that the relation is unresolved (the family's
    /// `provenance` when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undecided_provenance: Option<Provenance>,
}

impl Family {
    /// Where the family's unresolved relations are stated, and how sure we
    /// are of them.
    pub fn undecided_source(&self) -> (&Reference, Provenance) {
        (
            self.undecided_reference.as_ref().unwrap_or(&self.reference),
            self.undecided_provenance.unwrap_or(self.provenance),
        )
    }

    /// The half a port of `system` is in this family: the one `halves`
    /// fixes for it, else the role it declares.
    pub fn half(&self, system: &str, declared: Option<RoleName>) -> Option<RoleName> {
        self.halves.get(system).copied().or(declared)
    }
}

/// Severity of a rule.
pub type RuleSeverity = Severity;

/// A rule.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, e.g. `IDSS-PASSAGE` (upper case words joined by `-`).
    pub id: String,
    pub severity: RuleSeverity,
    /// One line: what the rule checks.
    pub summary: String,
    /// Why it matters.
    pub rationale: String,
    pub reference: Reference,
    pub provenance: Provenance,
    /// Which ports the rule applies to (all when empty).
    #[serde(default)]
    pub applies_to: AppliesTo,
    pub check: Check,
    /// Message template for port rules; `{path}` (the full path), `{attr}`
    /// (its last part), `{value}` and `{limit}` are filled in. Pair rules
    /// write their own messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Help text shown with a finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// At least one passing and one failing example.
    pub examples: Vec<Example>,
}

/// An applicability filter. When `families` or `systems` is given, the
/// port's `docking.system` must be in one of the families or among the
/// systems; when `roles` is given, its role must be one of them too. An empty
/// filter selects every port. A pair rule applies when both ports match.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppliesTo {
    /// Family ids whose systems the port's `docking.system` must be in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub families: Vec<String>,
    /// `docking.system` names, exactly as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub systems: Vec<String>,
    /// Docking roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleName>,
}

/// A docking role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoleName {
    Active,
    Passive,
    Dual,
}

impl From<crate::model::Role> for RoleName {
    fn from(r: crate::model::Role) -> RoleName {
        match r {
            crate::model::Role::Active => RoleName::Active,
            crate::model::Role::Passive => RoleName::Passive,
            crate::model::Role::Dual => RoleName::Dual,
        }
    }
}

impl RoleName {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleName::Active => "active",
            RoleName::Passive => "passive",
            RoleName::Dual => "dual",
        }
    }
}

/// The kind of check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Every path in `paths` (or `path`) is declared.
    Required,
    /// The value at `path` is at least `limit`.
    AtLeast,
    /// The value at `path` is at most `limit`.
    AtMost,
    /// The value at `path` equals `limit`.
    Equals,
    /// The string or symbol at `path` is one of `values`.
    OneOf,
    /// The value or range at `path` lies inside the range `limit`.
    Within,
    /// The envelope at `path` covers every value of `envelope`.
    Covers,
    /// The envelope at `path` lies inside every value of `envelope` (each
    /// range within its range, each value at most its value): the
    /// conditions a chaser arrives in stay inside what the standard allows.
    Inside,
    /// A check between the two ports of a mating, named by `pair`.
    Pair,
}

/// What to report when the checked attribute is not declared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum IfMissing {
    /// Nothing.
    #[default]
    Skip,
    /// An `info` finding.
    Info,
    /// A `warning` finding.
    Warning,
}

/// The built-in pair checks of a mate rule, declared where they are
/// registered (`check/pair/mod.rs`), so that a new pair check is one file
/// and one registry line.
pub use crate::check::pair::PairCheck;

/// The check a rule makes.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub kind: CheckKind,
    /// The attribute checked, relative to a port (`docking.passageway`) or its
    /// vehicle (`vehicle.mass`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// For `required`: several paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// The limit with its unit (`"800 mm"`, `"12"`, `"0.05 .. 0.10 m/s"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    /// For `one_of`: the allowed strings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// For `covers` and `inside`: envelope key → value or range.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub envelope: BTreeMap<String, String>,
    /// What to report when the attribute is absent.
    #[serde(default)]
    pub if_missing: IfMissing,
    /// For `pair`: which pair check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair: Option<PairCheck>,
    /// For `pair = "passage"`: the relative difference tolerated (`"1 %"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<String>,
}

/// Whether an example must pass or fail the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
}

/// An example `.icd` snippet.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub outcome: Outcome,
    /// What the example shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A complete `.icd` text.
    pub icd: String,
}
