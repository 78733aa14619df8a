//! Loading a spec: TOML → JSON Schema validation (each violation a diagnostic
//! at its TOML line) → serde → compiled checks (limits parsed with units,
//! paths checked against the vocabulary). A broken spec is never half-loaded.

use super::limit::{Limit, parse_limit};
use super::types::*;
use crate::diagnostic::{Diagnostic, FileId, Severity};
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
    /// A command-line flag names a code, rule or level that does not exist.
    pub const FLAG: &str = "SPEC-FLAG";
    /// The file given with `--baseline` is not a dockcheck baseline.
    pub const BASELINE: &str = "SPEC-BASELINE";
}

/// The problems of spec files and `dockcheck.toml`, explained (`dockcheck
/// explain SPEC-SCHEMA`): (code, summary, explanation, example). Any of
/// them stops the run with exit code 2 before a rule runs.
pub const SPEC_CODES: &[(&str, &str, &str, &str)] = &[
    (
        codes::SYNTAX,
        "A spec file or dockcheck.toml is not valid TOML.",
        "The TOML parser's message is shown at the place it stopped: an unclosed string or table header, a key without a value, a duplicate key. Nothing is checked until the file parses; dockcheck exits with status 2.",
        "[[rules]\nid = \"X-ONE\"   # the table header is not closed",
    ),
    (
        codes::SCHEMA,
        "A spec file or dockcheck.toml does not have the expected shape.",
        "The file is checked against its JSON Schema (`dockcheck schema spec`, `dockcheck schema config`) before it is read: an unknown key (with \"did you mean\"), a missing required key, a value of the wrong type, a value outside its list (the message lists the accepted values). The problem is shown at its TOML line; dockcheck exits with status 2.",
        "[rules]\nIDSS-PASSAGE = \"warn\"   # one of `error`, `warning`, `info`, `off`; did you mean `warning`?",
    ),
    (
        codes::INVALID,
        "A spec file or dockcheck.toml has the right shape but says something impossible.",
        "A limit in the wrong dimension for its path, an unknown path, a malformed or duplicate rule id, a field the rule's check does not use, a system in two families, an invalid glob in `overrides`, a rule id in dockcheck.toml that no loaded spec defines. dockcheck exits with status 2.",
        "[rules]\nIDSS-PASAGE = \"off\"   # unknown rule; did you mean `IDSS-PASSAGE`?",
    ),
    (
        codes::FLAG,
        "A command-line flag names a code, rule or level that does not exist.",
        "`--select` and `--ignore` take codes or code prefixes that some loaded rule or built-in code has; `--rule` takes `ID=LEVEL` with a loaded rule id and one of `error`, `warning`, `info`, `off`. A typo never switches a check off silently: the run stops with status 2 and \"did you mean\".",
        "dockcheck check --ignore IDSS-PASAGE   # did you mean `IDSS-PASSAGE`?",
    ),
    (
        codes::BASELINE,
        "The file given with `--baseline` is not a dockcheck baseline.",
        "A baseline is the JSON that `dockcheck check --write-baseline FILE` writes: `{\"version\": 1, \"findings\": [{\"fingerprint\", \"rule\", \"file\", \"path\", \"message\"}]}`. A file that is not valid JSON of that shape cannot gate a run: dockcheck exits with status 2.",
        "dockcheck check --baseline README.md   # not a baseline",
    ),
];

/// The JSON Schema of spec files.
pub fn spec_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(SpecFile)).unwrap_or_default()
}

fn spec_schema_cached() -> &'static serde_json::Value {
    static S: OnceLock<serde_json::Value> = OnceLock::new();
    S.get_or_init(spec_schema)
}

fn spec_validator() -> Option<&'static jsonschema::Validator> {
    static V: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    V.get_or_init(|| jsonschema::validator_for(spec_schema_cached()).ok())
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
    /// `covers` (the envelope covers the items) or, when `inside`, `inside`
    /// (it lies inside them).
    Covers {
        path: String,
        items: Vec<(String, Limit)>,
        inside: bool,
    },
    Pair {
        check: PairCheck,
        tolerance: Option<f64>,
    },
}

/// One rule ready to run.
#[derive(Clone, Debug)]
pub struct CompiledRule {
    /// Index of its spec in [`RuleSet::specs`](super::RuleSet::specs).
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
    schema: &serde_json::Value,
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
        let node = schema_at(schema, &segments);
        let (message, label, hint) = explain_error(&err, node, schema);
        // an unknown key is shown at the key, the rest at the value
        let span =
            if let jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } =
                err.kind()
            {
                let mut path = segments.clone();
                path.push(Seg::Key(unexpected.first().cloned().unwrap_or_default()));
                key_span(&table, &path).unwrap_or_else(|| value_span(&table, &segments))
            } else {
                value_span(&table, &segments)
            };
        let message = message.replace("{where}", &where_(&pointer));
        let help = match hint {
            Some(h) => h,
            None => format!("see `dockcheck schema {what}` for the {what} format"),
        };
        diags.push(
            Diagnostic::error(codes::SCHEMA, file, span, message)
                .with_label(label)
                .with_help(help),
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

/// A schema violation in words a user of the file understands (no JSON
/// Schema keywords): (message with `{where}` for the place, label, help
/// when there is one more useful than the pointer to the schema).
fn explain_error(
    err: &jsonschema::ValidationError<'_>,
    node: Option<&serde_json::Value>,
    schema: &serde_json::Value,
) -> (String, String, Option<String>) {
    use jsonschema::error::ValidationErrorKind as K;
    let value = err.instance();
    match err.kind() {
        K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => {
            let key = unexpected.first().cloned().unwrap_or_default();
            let allowed = node.map(|n| property_names(schema, n)).unwrap_or_default();
            let help = match suggest(&key, allowed.iter().map(String::as_str)) {
                Some(c) => format!(" (did you mean `{c}`?)"),
                None => String::new(),
            };
            let hint = (!allowed.is_empty()).then(|| {
                format!(
                    "the keys here are {}",
                    allowed
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            (
                format!("unknown key `{key}` in {{where}}{help}"),
                "unknown key".to_string(),
                hint,
            )
        }
        K::Required { property } => {
            let key = property.as_str().unwrap_or_default().to_string();
            (
                format!("{{where}} needs the key `{key}`"),
                format!("`{key}` is missing"),
                None,
            )
        }
        K::Enum { .. }
        | K::Constant { .. }
        | K::OneOfNotValid { .. }
        | K::AnyOf { .. }
        | K::Type { .. } => {
            let options = node.map(|n| allowed_values(schema, n)).unwrap_or_default();
            if options.is_empty() {
                return (
                    format!("{{where}} {}", type_words(schema, node, value)),
                    "does not match the format".to_string(),
                    None,
                );
            }
            let list = options
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let found = match value.as_str() {
                Some(v) => format!("`{v}`"),
                None => describe(value),
            };
            let help = value
                .as_str()
                .and_then(|v| suggest(v, options.iter().map(String::as_str)))
                .map(|c| format!("did you mean `{c}`?"));
            (
                format!("{{where}} must be one of {list}, not {found}"),
                format!("not one of {list}"),
                help,
            )
        }
        _ => (
            format!("{{where}}: {err}"),
            "does not match the format".to_string(),
            None,
        ),
    }
}

/// "must be a boolean, not a string" from a schema node.
fn type_words(
    schema: &serde_json::Value,
    node: Option<&serde_json::Value>,
    value: &serde_json::Value,
) -> String {
    let mut types = Vec::new();
    if let Some(n) = node {
        collect_types(schema, n, &mut types);
    }
    types.retain(|t| t != "null");
    types.dedup();
    if types.is_empty() {
        return format!(
            "does not have the expected form ({} found)",
            describe(value)
        );
    }
    let words: Vec<String> = types.iter().map(|t| article(t)).collect();
    format!("must be {}, not {}", words.join(" or "), describe(value))
}

fn article(t: &str) -> String {
    match t {
        "array" => "an array".into(),
        "object" => "a table".into(),
        "integer" => "an integer".into(),
        other => format!("a {other}"),
    }
}

/// A value's kind in TOML words.
fn describe(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "nothing".into(),
        serde_json::Value::Bool(_) => "a boolean".into(),
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => "an integer".into(),
        serde_json::Value::Number(_) => "a number".into(),
        serde_json::Value::String(_) => "a string".into(),
        serde_json::Value::Array(_) => "an array".into(),
        serde_json::Value::Object(_) => "a table".into(),
    }
}

/// "Did you mean": a candidate the word starts (`warn` → `warning`), else
/// the closest by edit distance; never the word itself.
fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    let lw = word.to_ascii_lowercase();
    if lw.len() >= 2
        && let Some(c) = candidates
            .clone()
            .into_iter()
            .find(|c| c != &word && c.to_ascii_lowercase().starts_with(&lw))
    {
        return Some(c);
    }
    crate::diagnostic::closest(word, candidates.into_iter().filter(|c| *c != word))
}

/// Follows a local `$ref` (`#/$defs/Name`).
fn resolve<'s>(
    schema: &'s serde_json::Value,
    node: &'s serde_json::Value,
) -> &'s serde_json::Value {
    let mut cur = node;
    for _ in 0..16 {
        match cur.get("$ref").and_then(|r| r.as_str()) {
            Some(r) => match r.strip_prefix('#').and_then(|p| schema.pointer(p)) {
                Some(next) => cur = next,
                None => break,
            },
            None => break,
        }
    }
    cur
}

/// A node and the branches of its `anyOf`/`oneOf`/`allOf`, `$ref`s resolved.
fn branches<'s>(
    schema: &'s serde_json::Value,
    node: &'s serde_json::Value,
) -> Vec<&'s serde_json::Value> {
    let mut out = Vec::new();
    let mut stack = vec![(node, 0)];
    while let Some((n, depth)) = stack.pop() {
        let n = resolve(schema, n);
        out.push(n);
        if depth >= 8 {
            continue;
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(arr) = n.get(key).and_then(|a| a.as_array()) {
                stack.extend(arr.iter().rev().map(|b| (b, depth + 1)));
            }
        }
    }
    out
}

/// The schema that describes the value at an instance path.
fn schema_at<'s>(schema: &'s serde_json::Value, segs: &[Seg]) -> Option<&'s serde_json::Value> {
    let mut node = schema;
    for s in segs {
        let next = branches(schema, node).into_iter().find_map(|b| match s {
            Seg::Key(k) => b
                .get("properties")
                .and_then(|p| p.get(k.as_str()))
                .or_else(|| b.get("additionalProperties").filter(|a| a.is_object())),
            Seg::Index(_) => b.get("items").filter(|i| i.is_object()),
        });
        node = next?;
    }
    Some(node)
}

/// The keys a table at this schema node may have, in schema order.
fn property_names(schema: &serde_json::Value, node: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for b in branches(schema, node) {
        if let Some(p) = b.get("properties").and_then(|p| p.as_object()) {
            for k in p.keys() {
                if !out.contains(k) {
                    out.push(k.clone());
                }
            }
        }
    }
    out
}

/// The strings a value at this schema node may be (`enum` and `const`).
fn allowed_values(schema: &serde_json::Value, node: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for b in branches(schema, node) {
        let mut add = |v: &serde_json::Value| {
            if let Some(s) = v.as_str()
                && !out.iter().any(|o| o == s)
            {
                out.push(s.to_string());
            }
        };
        if let Some(e) = b.get("enum").and_then(|e| e.as_array()) {
            e.iter().for_each(&mut add);
        }
        if let Some(c) = b.get("const") {
            add(c);
        }
    }
    out
}

fn collect_types(schema: &serde_json::Value, node: &serde_json::Value, out: &mut Vec<String>) {
    for b in branches(schema, node) {
        match b.get("type") {
            Some(serde_json::Value::String(t)) => out.push(t.clone()),
            Some(serde_json::Value::Array(ts)) => {
                out.extend(ts.iter().filter_map(|t| t.as_str().map(String::from)))
            }
            _ => {}
        }
    }
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

/// Reads a built-in spec: its text is part of the binary and a test checks
/// it against the schema, so it is read without validating it again (the
/// validated path gives the same spec, also tested, and is taken should the
/// direct read ever fail).
pub fn load_trusted(sources: &SourceMap, file: FileId) -> Result<SpecFile, Vec<Diagnostic>> {
    toml::from_str::<SpecFile>(sources.get(file).text.as_str())
        .or_else(|_| load_spec(sources, file))
}

/// Reads one spec, validated against the schema. `file` must already be in
/// `sources`.
pub fn load_spec(sources: &SourceMap, file: FileId) -> Result<SpecFile, Vec<Diagnostic>> {
    let text = sources.get(file).text.as_str();
    let json = validate_toml(file, text, spec_validator(), spec_schema_cached(), "spec")?;
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
    // the TOML's spans are needed only to point at a problem: compile
    // without them first, and again with them when there is one
    match compile_at(file, spec, spec_index, (families, taken), None) {
        Ok(rules) => Ok(rules),
        Err(_) => {
            let table = DeTable::parse(sources.get(file).text.as_str()).ok();
            compile_at(file, spec, spec_index, (families, taken), table.as_ref())
        }
    }
}

fn compile_at(
    file: FileId,
    spec: &SpecFile,
    spec_index: usize,
    (families, taken): (&[String], &[String]),
    table: Option<&toml::Spanned<DeTable>>,
) -> Result<Vec<CompiledRule>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (ri, rule) in spec.rules.iter().enumerate() {
        let at = At { table, rule: ri };
        let mut bad = |(span, msg): (Span, String)| {
            diags.push(Diagnostic::error(codes::INVALID, file, span, msg).with_label("here"))
        };
        id_problems(&at, rule, &seen, taken)
            .into_iter()
            .for_each(&mut bad);
        seen.push(&rule.id);
        rule_problems(&at, rule, families)
            .into_iter()
            .for_each(&mut bad);
        match compile_check(&at, &rule.check) {
            Ok(check) => out.push(CompiledRule {
                spec: spec_index,
                rule: rule.clone(),
                check,
                severity: rule.severity,
            }),
            Err((span, msg)) => bad((span, format!("rule `{}`: {msg}", rule.id))),
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// Where the keys of one rule (`rules[i]`) are in its spec's TOML.
struct At<'t, 'de> {
    table: Option<&'t toml::Spanned<DeTable<'de>>>,
    rule: usize,
}

/// A problem with a rule: where, and what.
type Problem = (Span, String);

impl At<'_, '_> {
    fn span(&self, segs: &[Seg]) -> Span {
        self.table.map_or(Span::default(), |t| value_span(t, segs))
    }

    /// `rules[i].key`
    fn rule(&self, key: &str) -> Span {
        self.span(&[
            Seg::Key("rules".into()),
            Seg::Index(self.rule),
            Seg::Key(key.into()),
        ])
    }

    /// `rules[i].check.key`
    fn check(&self, key: &str) -> Span {
        self.span(&[
            Seg::Key("rules".into()),
            Seg::Index(self.rule),
            Seg::Key("check".into()),
            Seg::Key(key.into()),
        ])
    }

    /// `rules[i].check.envelope.key`
    fn envelope(&self, key: &str) -> Span {
        self.span(&[
            Seg::Key("rules".into()),
            Seg::Index(self.rule),
            Seg::Key("check".into()),
            Seg::Key("envelope".into()),
            Seg::Key(key.into()),
        ])
    }
}

/// A malformed id, or one that an earlier rule (`seen`) or an earlier spec
/// (`taken`) already defines.
fn id_problems(at: &At, rule: &Rule, seen: &[&str], taken: &[String]) -> Vec<Problem> {
    let mut out = Vec::new();
    if !valid_id(&rule.id) {
        out.push((
            at.rule("id"),
            format!(
                "rule id `{}` must be upper-case words joined by `-`, e.g. `IDSS-PASSAGE`",
                rule.id
            ),
        ));
    }
    if seen.contains(&rule.id.as_str()) {
        out.push((at.rule("id"), format!("duplicate rule id `{}`", rule.id)));
    } else if taken.iter().any(|t| t == &rule.id) {
        out.push((
            at.rule("id"),
            format!(
                "rule id `{}` is already defined by an earlier spec",
                rule.id
            ),
        ));
    }
    out
}

/// Fields the check kind does not use, a `message` on a pair rule, unknown
/// families, and missing passing or failing examples.
fn rule_problems(at: &At, rule: &Rule, families: &[String]) -> Vec<Problem> {
    let mut out = unused_fields(at, rule);
    if rule.check.kind == CheckKind::Pair && rule.message.is_some() {
        out.push((
            at.rule("message"),
            format!(
                "rule `{}`: pair rules write their own messages; remove `message`",
                rule.id
            ),
        ));
    }
    for f in &rule.applies_to.families {
        if !families.iter().any(|x| x == f) {
            out.push((
                at.rule("applies_to"),
                format!("unknown family `{f}`; known: {}", families.join(", ")),
            ));
        }
    }
    let passes = rule
        .examples
        .iter()
        .filter(|e| e.outcome == Outcome::Pass)
        .count();
    let fails = rule.examples.len() - passes;
    if passes == 0 || fails == 0 {
        out.push((
            at.rule("examples"),
            format!(
                "rule `{}` needs at least one passing and one failing example",
                rule.id
            ),
        ));
    }
    out
}

/// Fields a check kind does not use are a mistake, not silently ignored.
fn unused_fields(at: &At, rule: &Rule) -> Vec<Problem> {
    let c = &rule.check;
    let used: &[&str] = match c.kind {
        CheckKind::Required => &["path", "paths"],
        CheckKind::AtLeast | CheckKind::AtMost | CheckKind::Equals => {
            &["path", "limit", "if_missing"]
        }
        CheckKind::OneOf => &["path", "values", "if_missing"],
        CheckKind::Within => &["path", "limit", "if_missing"],
        CheckKind::Covers | CheckKind::Inside => &["path", "envelope", "if_missing"],
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
    given
        .into_iter()
        .filter(|(field, present)| *present && !used.contains(field))
        .map(|(field, _)| {
            (
                at.check(field),
                format!(
                    "rule `{}`: `{field}` is not used by a `{}` check",
                    rule.id,
                    kind_name(c.kind)
                ),
            )
        })
        .collect()
}

/// Compiles a rule's check: one function per check kind.
fn compile_check(at: &At, c: &Check) -> Result<Compiled, Problem> {
    match c.kind {
        CheckKind::Required => compile_required(at, c),
        CheckKind::AtLeast | CheckKind::AtMost | CheckKind::Equals => compile_compare(at, c),
        CheckKind::OneOf => compile_one_of(at, c),
        CheckKind::Within => compile_within(at, c),
        CheckKind::Covers | CheckKind::Inside => compile_covers(at, c),
        CheckKind::Pair => compile_pair(at, c),
    }
}

/// The check's `path` and what it holds.
fn check_path(at: &At, c: &Check) -> Result<(String, Kind), Problem> {
    let p = c.path.clone().ok_or((
        at.rule("check"),
        format!("a `{}` check needs `path`", kind_name(c.kind)),
    ))?;
    let k = vocab::kind_of(&p).ok_or((
        at.check("path"),
        format!("unknown path `{p}`; see docs/specs.md for the paths a rule may address"),
    ))?;
    Ok((p, k))
}

fn compile_required(at: &At, c: &Check) -> Result<Compiled, Problem> {
    let mut ps = c.paths.clone();
    ps.extend(c.path.clone());
    if ps.is_empty() {
        return Err((at.rule("check"), "a `required` check needs `paths`".into()));
    }
    for p in &ps {
        if vocab::kind_of(p).is_none() {
            return Err((
                at.check(if c.paths.is_empty() { "path" } else { "paths" }),
                format!("unknown path `{p}`"),
            ));
        }
    }
    Ok(Compiled::Required(ps))
}

/// `at_least`, `at_most` and `equals`: a single value with a unit.
fn compile_compare(at: &At, c: &Check) -> Result<Compiled, Problem> {
    let (p, k) = check_path(at, c)?;
    let dim = match k {
        Kind::Quantity(d) => d,
        Kind::Count => Dim::NONE,
        other => {
            return Err((
                at.check("path"),
                format!(
                    "`{p}` holds {}, which `{}` cannot compare",
                    other.describe(),
                    kind_name(c.kind)
                ),
            ));
        }
    };
    let text = c.limit.clone().ok_or((
        at.rule("check"),
        format!("a `{}` check needs `limit`", kind_name(c.kind)),
    ))?;
    let limit = match parse_limit(&text, dim, false, true) {
        Ok(Limit::Quantity(q)) => q,
        Ok(Limit::Range(_)) => {
            return Err((at.check("limit"), "expected a single value".into()));
        }
        Err(e) => return Err((at.check("limit"), format!("limit for `{p}`: {e}"))),
    };
    let path = p;
    Ok(match c.kind {
        CheckKind::AtLeast => Compiled::AtLeast { path, limit, text },
        CheckKind::AtMost => Compiled::AtMost { path, limit, text },
        _ => Compiled::Equals { path, limit, text },
    })
}

fn compile_one_of(at: &At, c: &Check) -> Result<Compiled, Problem> {
    let (p, k) = check_path(at, c)?;
    if !matches!(k, Kind::Str | Kind::Symbol(_)) {
        return Err((
            at.check("path"),
            format!(
                "`one_of` compares strings, but `{p}` holds {}",
                k.describe()
            ),
        ));
    }
    if c.values.is_empty() {
        return Err((at.rule("check"), "a `one_of` check needs `values`".into()));
    }
    Ok(Compiled::OneOf {
        path: p,
        values: c.values.clone(),
    })
}

fn compile_within(at: &At, c: &Check) -> Result<Compiled, Problem> {
    let (p, k) = check_path(at, c)?;
    let dim = match k {
        Kind::Quantity(d) | Kind::Range(d) => d,
        Kind::Count => Dim::NONE,
        other => {
            return Err((
                at.check("path"),
                format!(
                    "`within` needs a quantity or range, but `{p}` holds {}",
                    other.describe()
                ),
            ));
        }
    };
    let text = c.limit.clone().ok_or((
        at.rule("check"),
        "a `within` check needs `limit`".to_string(),
    ))?;
    match parse_limit(&text, dim, true, false) {
        Ok(Limit::Range(range)) => Ok(Compiled::Within { path: p, range }),
        Ok(_) => Err((at.check("limit"), "`within` needs a range limit".into())),
        Err(e) => Err((at.check("limit"), format!("limit for `{p}`: {e}"))),
    }
}

fn compile_covers(at: &At, c: &Check) -> Result<Compiled, Problem> {
    let (p, k) = check_path(at, c)?;
    if k != Kind::Envelope {
        return Err((
            at.check("path"),
            format!(
                "`{}` needs an envelope path (`docking.capture`), but `{p}` holds {}",
                kind_name(c.kind),
                k.describe()
            ),
        ));
    }
    if c.envelope.is_empty() {
        return Err((
            at.rule("check"),
            format!("a `{}` check needs `envelope`", kind_name(c.kind)),
        ));
    }
    let mut items = Vec::new();
    for (key, text) in &c.envelope {
        let Some(kind) = vocab::kind_of(&format!("{p}.{key}")) else {
            return Err((
                at.check("envelope"),
                format!("unknown envelope key `{key}`"),
            ));
        };
        let limit = match kind {
            Kind::Range(d) => parse_limit(text, d, true, false),
            Kind::Quantity(d) => parse_limit(text, d, false, true),
            _ => Err("not comparable".into()),
        }
        .map_err(|e| (at.envelope(key), format!("envelope `{key}`: {e}")))?;
        items.push((key.clone(), limit));
    }
    Ok(Compiled::Covers {
        path: p,
        items,
        inside: c.kind == CheckKind::Inside,
    })
}

fn compile_pair(at: &At, c: &Check) -> Result<Compiled, Problem> {
    let check = c
        .pair
        .ok_or((at.rule("check"), "a `pair` check needs `pair`".to_string()))?;
    let tolerance = match &c.tolerance {
        None => None,
        Some(t) => match parse_limit(t, Dim::RATIO, false, true) {
            Ok(Limit::Quantity(q)) => Some(q.si),
            _ => {
                return Err((
                    at.check("tolerance"),
                    format!("tolerance `{t}` must be a percentage such as `1 %`"),
                ));
            }
        },
    };
    Ok(Compiled::Pair { check, tolerance })
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
        CheckKind::Inside => "inside",
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
