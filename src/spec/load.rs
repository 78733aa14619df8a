//! Loading a spec: TOML → JSON Schema validation (each violation a diagnostic
//! at its TOML line) → serde → compiled checks (limits parsed with units,
//! paths checked against the vocabulary). A broken spec is never half-loaded.

use super::types::*;
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::model::lower::{Limit, parse_limit};
use crate::model::vocab::{self, Kind};
use crate::syntax::Span;
use crate::units::Dim;
use crate::workspace::SourceMap;
use std::sync::OnceLock;
use toml::de::{DeTable, DeValue};

/// Codes of spec-loading diagnostics.
pub mod codes {
    /// The file is not valid TOML.
    pub const SYNTAX: &str = "SPEC-SYNTAX";
    /// The file does not match the JSON Schema.
    pub const SCHEMA: &str = "SPEC-SCHEMA";
    /// The file matches the schema but says something impossible (a limit
    /// in the wrong dimension, an unknown path, a duplicate rule id, ...).
    pub const INVALID: &str = "SPEC-INVALID";
}

/// The JSON Schema of spec files.
pub fn spec_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(SpecFile)).unwrap_or_default()
}

fn spec_validator() -> Option<&'static jsonschema::Validator> {
    static V: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    V.get_or_init(|| jsonschema::validator_for(&spec_schema()).ok())
        .as_ref()
}

/// A compiled check.
#[derive(Clone, Debug)]
pub enum Compiled {
    Required(Vec<String>),
    AtLeast {
        path: String,
        limit: crate::model::Quantity,
        text: String,
    },
    AtMost {
        path: String,
        limit: crate::model::Quantity,
        text: String,
    },
    Equals {
        path: String,
        limit: crate::model::Quantity,
        text: String,
    },
    OneOf {
        path: String,
        values: Vec<String>,
    },
    Within {
        path: String,
        range: crate::model::Range,
    },
    Covers {
        path: String,
        items: Vec<(String, Limit)>,
    },
    Pair {
        check: PairCheck,
        tolerance: Option<f64>,
    },
}

/// One rule ready to run.
#[derive(Clone, Debug)]
pub struct CompiledRule {
    /// Index of its spec in [`RuleSet::specs`].
    pub spec: usize,
    pub rule: Rule,
    pub check: Compiled,
    /// The severity in force (after configuration).
    pub severity: Severity,
}

/// A loaded spec file.
#[derive(Clone, Debug)]
pub struct LoadedSpec {
    pub file: FileId,
    pub name: String,
    pub spec: SpecFile,
    pub builtin: bool,
}

/// Validates a TOML document against a schema, mapping each violation back
/// to its TOML span. Returns the parsed document as JSON when it is valid.
pub fn validate_toml(
    file: FileId,
    text: &str,
    validator: Option<&jsonschema::Validator>,
    what: &str,
) -> Result<serde_json::Value, Vec<Diagnostic>> {
    let table = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let span = e
                .span()
                .map_or(Span::default(), |r| Span::new(r.start, r.end));
            let msg = e.message().trim().to_string();
            return Err(vec![
                Diagnostic::error(codes::SYNTAX, file, span, format!("invalid TOML: {msg}"))
                    .with_label("here"),
            ]);
        }
    };
    let value: toml::Value = match toml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let span = e
                .span()
                .map_or(Span::default(), |r| Span::new(r.start, r.end));
            return Err(vec![
                Diagnostic::error(
                    codes::SYNTAX,
                    file,
                    span,
                    format!("invalid TOML: {}", e.message().trim()),
                )
                .with_label("here"),
            ]);
        }
    };
    let json = serde_json::to_value(&value).unwrap_or_default();
    let Some(validator) = validator else {
        return Err(vec![Diagnostic::error(
            codes::SCHEMA,
            file,
            Span::default(),
            format!("internal error: the {what} schema does not compile"),
        )]);
    };
    let mut diags = Vec::new();
    for err in validator.iter_errors(&json) {
        let segments: Vec<Seg> = err
            .instance_path()
            .iter()
            .map(|s| match s {
                jsonschema::paths::LocationSegment::Property(p) => Seg::Key(p.to_string()),
                jsonschema::paths::LocationSegment::Index(i) => Seg::Index(i),
            })
            .collect();
        let pointer = pointer_text(&segments);
        let (span, message, label) = match err.kind() {
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                let key = unexpected.first().cloned().unwrap_or_default();
                let mut path = segments.clone();
                path.push(Seg::Key(key.clone()));
                let span = key_span(&table, &path).unwrap_or_else(|| value_span(&table, &segments));
                let allowed = allowed_keys(&segments, &json);
                let help =
                    match crate::diagnostic::closest(&key, allowed.iter().map(String::as_str)) {
                        Some(c) => format!(" (did you mean `{c}`?)"),
                        None => String::new(),
                    };
                (
                    span,
                    format!("unknown key `{key}` in {}{help}", where_(&pointer)),
                    "unknown key".to_string(),
                )
            }
            _ => (
                value_span(&table, &segments),
                format!("{} {}", where_(&pointer), err),
                "does not match the schema".to_string(),
            ),
        };
        diags.push(
            Diagnostic::error(codes::SCHEMA, file, span, message)
                .with_label(label)
                .with_help(format!(
                    "see `dockcheck schema {what}` for the {what} format"
                )),
        );
    }
    if diags.is_empty() {
        Ok(json)
    } else {
        Err(diags)
    }
}

fn where_(pointer: &str) -> String {
    if pointer.is_empty() {
        "the file".into()
    } else {
        format!("`{pointer}`")
    }
}

fn allowed_keys(_segments: &[Seg], _json: &serde_json::Value) -> Vec<String> {
    const KEYS: &[&str] = &[
        "standard",
        "families",
        "rules",
        "id",
        "title",
        "revision",
        "name",
        "kind",
        "systems",
        "reference",
        "provenance",
        "severity",
        "summary",
        "rationale",
        "applies_to",
        "check",
        "message",
        "help",
        "examples",
        "document",
        "section",
        "source",
        "roles",
        "path",
        "paths",
        "limit",
        "values",
        "envelope",
        "if_missing",
        "pair",
        "tolerance",
        "outcome",
        "description",
        "icd",
        "specs",
        "default-spec",
        "fail-on",
        "overrides",
    ];
    KEYS.iter().map(|s| s.to_string()).collect()
}

/// One step of a path into a TOML document.
#[derive(Clone, Debug)]
pub enum Seg {
    Key(String),
    Index(usize),
}

fn pointer_text(segs: &[Seg]) -> String {
    let mut out = String::new();
    for s in segs {
        match s {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The span of the value at a path in a TOML text (or of the deepest part
/// that exists; the start of the file when it does not parse).
pub fn span_in(text: &str, segs: &[Seg]) -> Span {
    DeTable::parse(text).map_or(Span::default(), |t| value_span(&t, segs))
}

/// The span of the key at a path in a TOML text.
pub fn key_span_in(text: &str, segs: &[Seg]) -> Option<Span> {
    DeTable::parse(text).ok().and_then(|t| key_span(&t, segs))
}

/// The span of the value at a path (or of the deepest part that exists).
fn value_span(root: &toml::Spanned<DeTable<'_>>, segs: &[Seg]) -> Span {
    let mut span = Span::new(0, 0);
    let mut cur: Option<&DeValue> = None;
    let mut table: Option<&DeTable> = Some(root.get_ref());
    for s in segs {
        let next = match (s, table, cur) {
            (Seg::Key(k), Some(t), _) => t.get(k.as_str()),
            (Seg::Index(i), _, Some(DeValue::Array(a))) => a.get(*i),
            _ => None,
        };
        let Some(v) = next else { break };
        let r = v.span();
        span = Span::new(r.start, r.end);
        cur = Some(v.get_ref());
        table = v.get_ref().as_table();
    }
    // a table's span can cover many lines: point at its first line
    span
}

/// The span of a key at a path.
fn key_span(root: &toml::Spanned<DeTable<'_>>, segs: &[Seg]) -> Option<Span> {
    let (last, parent) = segs.split_last()?;
    let Seg::Key(k) = last else { return None };
    let mut table: &DeTable = root.get_ref();
    let mut cur: Option<&DeValue> = None;
    for s in parent {
        let v = match (s, cur) {
            (Seg::Key(k), _) => table.get(k.as_str())?,
            (Seg::Index(i), Some(DeValue::Array(a))) => a.get(*i)?,
            _ => return None,
        };
        cur = Some(v.get_ref());
        if let Some(t) = v.get_ref().as_table() {
            table = t;
        }
    }
    let (key, _) = table.get_key_value(k.as_str())?;
    let r = key.span();
    Some(Span::new(r.start, r.end))
}

/// Reads one spec, validated against the schema. `file` must already be in
/// `sources`.
pub fn load_spec(sources: &SourceMap, file: FileId) -> Result<SpecFile, Vec<Diagnostic>> {
    let text = sources.get(file).text.as_str();
    let json = validate_toml(file, text, spec_validator(), "spec")?;
    let spec: SpecFile = serde_json::from_value(json).map_err(|e| {
        vec![Diagnostic::error(
            codes::SCHEMA,
            file,
            Span::default(),
            format!("the spec does not match its format: {e}"),
        )]
    })?;
    Ok(spec)
}

/// Compiles a spec's rules, reporting SPEC-INVALID at the offending TOML line.
pub fn compile(
    sources: &SourceMap,
    file: FileId,
    spec: &SpecFile,
    spec_index: usize,
    families: &[String],
    taken: &[String],
) -> Result<Vec<CompiledRule>, Vec<Diagnostic>> {
    let text = sources.get(file).text.as_str();
    let table = DeTable::parse(text).ok();
    let at = |segs: Vec<Seg>| {
        table
            .as_ref()
            .map_or(Span::default(), |t| value_span(t, &segs))
    };
    let mut diags = Vec::new();
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (ri, rule) in spec.rules.iter().enumerate() {
        let rk = |k: &str| vec![Seg::Key("rules".into()), Seg::Index(ri), Seg::Key(k.into())];
        let ck = |k: &str| {
            vec![
                Seg::Key("rules".into()),
                Seg::Index(ri),
                Seg::Key("check".into()),
                Seg::Key(k.into()),
            ]
        };
        let mut bad = |span: Span, msg: String| {
            diags.push(Diagnostic::error(codes::INVALID, file, span, msg).with_label("here"))
        };
        if !valid_id(&rule.id) {
            bad(
                at(rk("id")),
                format!(
                    "rule id `{}` must be upper-case words joined by `-`, e.g. `IDSS-PASSAGE`",
                    rule.id
                ),
            );
        }
        if seen.contains(&rule.id.as_str()) {
            bad(at(rk("id")), format!("duplicate rule id `{}`", rule.id));
        } else if taken.iter().any(|t| t == &rule.id) {
            bad(
                at(rk("id")),
                format!(
                    "rule id `{}` is already defined by an earlier spec",
                    rule.id
                ),
            );
        }
        seen.push(&rule.id);
        // fields a check kind does not use are a mistake, not silently ignored
        let c = &rule.check;
        let used: &[&str] = match c.kind {
            CheckKind::Required => &["path", "paths"],
            CheckKind::AtLeast | CheckKind::AtMost | CheckKind::Equals => {
                &["path", "limit", "if_missing"]
            }
            CheckKind::OneOf => &["path", "values", "if_missing"],
            CheckKind::Within => &["path", "limit", "if_missing"],
            CheckKind::Covers => &["path", "envelope", "if_missing"],
            CheckKind::Pair if c.pair == Some(PairCheck::Passage) => &["pair", "tolerance"],
            CheckKind::Pair => &["pair"],
        };
        let given = [
            ("path", c.path.is_some()),
            ("paths", !c.paths.is_empty()),
            ("limit", c.limit.is_some()),
            ("values", !c.values.is_empty()),
            ("envelope", !c.envelope.is_empty()),
            ("if_missing", c.if_missing != IfMissing::Skip),
            ("pair", c.pair.is_some()),
            ("tolerance", c.tolerance.is_some()),
        ];
        for (field, present) in given {
            if present && !used.contains(&field) {
                bad(
                    at(ck(field)),
                    format!(
                        "rule `{}`: `{field}` is not used by a `{}` check",
                        rule.id,
                        kind_name(c.kind)
                    ),
                );
            }
        }
        if c.kind == CheckKind::Pair && rule.message.is_some() {
            bad(
                at(rk("message")),
                format!(
                    "rule `{}`: pair rules write their own messages; remove `message`",
                    rule.id
                ),
            );
        }
        for f in &rule.applies_to.families {
            if !families.iter().any(|x| x == f) {
                bad(
                    at(rk("applies_to")),
                    format!("unknown family `{f}`; known: {}", families.join(", ")),
                );
            }
        }
        let passes = rule
            .examples
            .iter()
            .filter(|e| e.outcome == Outcome::Pass)
            .count();
        let fails = rule.examples.len() - passes;
        if passes == 0 || fails == 0 {
            bad(
                at(rk("examples")),
                format!(
                    "rule `{}` needs at least one passing and one failing example",
                    rule.id
                ),
            );
        }
        let c = &rule.check;
        let path = || -> Result<(String, Kind), (Span, String)> {
            let p = c.path.clone().ok_or((
                at(rk("check")),
                format!("a `{}` check needs `path`", kind_name(c.kind)),
            ))?;
            let k = vocab::kind_of(&p).ok_or((
                at(ck("path")),
                format!("unknown path `{p}`; see docs/specs.md for the paths a rule may address"),
            ))?;
            Ok((p, k))
        };
        let compiled: Result<Compiled, (Span, String)> = (|| match c.kind {
            CheckKind::Required => {
                let mut ps = c.paths.clone();
                ps.extend(c.path.clone());
                if ps.is_empty() {
                    return Err((at(rk("check")), "a `required` check needs `paths`".into()));
                }
                for p in &ps {
                    if vocab::kind_of(p).is_none() {
                        return Err((
                            at(ck(if c.paths.is_empty() { "path" } else { "paths" })),
                            format!("unknown path `{p}`"),
                        ));
                    }
                }
                Ok(Compiled::Required(ps))
            }
            CheckKind::AtLeast | CheckKind::AtMost | CheckKind::Equals => {
                let (p, k) = path()?;
                let dim = match k {
                    Kind::Quantity(d) => d,
                    Kind::Count => Dim::NONE,
                    other => {
                        return Err((
                            at(ck("path")),
                            format!(
                                "`{p}` holds {}, which `{}` cannot compare",
                                other.describe(),
                                kind_name(c.kind)
                            ),
                        ));
                    }
                };
                let text = c.limit.clone().ok_or((
                    at(rk("check")),
                    format!("a `{}` check needs `limit`", kind_name(c.kind)),
                ))?;
                let limit = match parse_limit(&text, dim, false, true) {
                    Ok(Limit::Quantity(q)) => q,
                    Ok(Limit::Range(_)) => {
                        return Err((at(ck("limit")), "expected a single value".into()));
                    }
                    Err(e) => return Err((at(ck("limit")), format!("limit for `{p}`: {e}"))),
                };
                Ok(match c.kind {
                    CheckKind::AtLeast => Compiled::AtLeast {
                        path: p,
                        limit,
                        text,
                    },
                    CheckKind::AtMost => Compiled::AtMost {
                        path: p,
                        limit,
                        text,
                    },
                    _ => Compiled::Equals {
                        path: p,
                        limit,
                        text,
                    },
                })
            }
            CheckKind::OneOf => {
                let (p, k) = path()?;
                if !matches!(k, Kind::Str | Kind::Symbol(_)) {
                    return Err((
                        at(ck("path")),
                        format!(
                            "`one_of` compares strings, but `{p}` holds {}",
                            k.describe()
                        ),
                    ));
                }
                if c.values.is_empty() {
                    return Err((at(rk("check")), "a `one_of` check needs `values`".into()));
                }
                Ok(Compiled::OneOf {
                    path: p,
                    values: c.values.clone(),
                })
            }
            CheckKind::Within => {
                let (p, k) = path()?;
                let dim = match k {
                    Kind::Quantity(d) | Kind::Range(d) => d,
                    Kind::Count => Dim::NONE,
                    other => {
                        return Err((
                            at(ck("path")),
                            format!(
                                "`within` needs a quantity or range, but `{p}` holds {}",
                                other.describe()
                            ),
                        ));
                    }
                };
                let text = c.limit.clone().ok_or((
                    at(rk("check")),
                    "a `within` check needs `limit`".to_string(),
                ))?;
                match parse_limit(&text, dim, true, false) {
                    Ok(Limit::Range(range)) => Ok(Compiled::Within { path: p, range }),
                    Ok(_) => Err((at(ck("limit")), "`within` needs a range limit".into())),
                    Err(e) => Err((at(ck("limit")), format!("limit for `{p}`: {e}"))),
                }
            }
            CheckKind::Covers => {
                let (p, k) = path()?;
                if k != Kind::Envelope {
                    return Err((
                        at(ck("path")),
                        format!(
                            "`covers` needs an envelope path (`docking.capture`), but `{p}` holds {}",
                            k.describe()
                        ),
                    ));
                }
                if c.envelope.is_empty() {
                    return Err((at(rk("check")), "a `covers` check needs `envelope`".into()));
                }
                let mut items = Vec::new();
                for (key, text) in &c.envelope {
                    let Some(kind) = vocab::kind_of(&format!("{p}.{key}")) else {
                        return Err((at(ck("envelope")), format!("unknown envelope key `{key}`")));
                    };
                    let span = table.as_ref().map_or(Span::default(), |t| {
                        value_span(
                            t,
                            &[
                                Seg::Key("rules".into()),
                                Seg::Index(ri),
                                Seg::Key("check".into()),
                                Seg::Key("envelope".into()),
                                Seg::Key(key.clone()),
                            ],
                        )
                    });
                    let limit = match kind {
                        Kind::Range(d) => parse_limit(text, d, true, false),
                        Kind::Quantity(d) => parse_limit(text, d, false, true),
                        _ => Err("not comparable".into()),
                    }
                    .map_err(|e| (span, format!("envelope `{key}`: {e}")))?;
                    items.push((key.clone(), limit));
                }
                Ok(Compiled::Covers { path: p, items })
            }
            CheckKind::Pair => {
                let check = c
                    .pair
                    .ok_or((at(rk("check")), "a `pair` check needs `pair`".to_string()))?;
                let tolerance = match &c.tolerance {
                    None => None,
                    Some(t) => match parse_limit(t, Dim::RATIO, false, true) {
                        Ok(Limit::Quantity(q)) => Some(q.si),
                        _ => {
                            return Err((
                                at(ck("tolerance")),
                                format!("tolerance `{t}` must be a percentage such as `1 %`"),
                            ));
                        }
                    },
                };
                Ok(Compiled::Pair { check, tolerance })
            }
        })();
        match compiled {
            Ok(check) => out.push(CompiledRule {
                spec: spec_index,
                rule: rule.clone(),
                check,
                severity: rule.severity,
            }),
            Err((span, msg)) => bad(span, format!("rule `{}`: {msg}", rule.id)),
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

fn kind_name(k: CheckKind) -> &'static str {
    match k {
        CheckKind::Required => "required",
        CheckKind::AtLeast => "at_least",
        CheckKind::AtMost => "at_most",
        CheckKind::Equals => "equals",
        CheckKind::OneOf => "one_of",
        CheckKind::Within => "within",
        CheckKind::Covers => "covers",
        CheckKind::Pair => "pair",
    }
}

/// `IDSS-PASSAGE`: upper-case alphanumeric words joined by single hyphens.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        && id.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}
