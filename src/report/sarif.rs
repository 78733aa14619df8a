//! The `sarif` format: SARIF 2.1.0, as GitHub code scanning reads it. One
//! run; `tool.driver.rules` lists every code of the run (sorted by id) and
//! each result points at its rule by `ruleId` and `ruleIndex`. Lines and
//! columns are 1-based, columns count UTF-16 code units (`columnKind`), and
//! the end is exclusive. URIs are the shown paths, percent-encoded and
//! relative to `%SRCROOT%` (the project root) unless the shown path is
//! absolute; never `file://`. A waived finding is still a result, with an
//! accepted suppression whose justification is the waiver's reason.

use super::{CodeInfo, Columns, Run};
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::syntax::Span;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

pub(crate) const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub(crate) const INFORMATION_URI: &str = "https://github.com/dockcheck/dockcheck";
/// The key of the fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "dockcheck/v1";
/// The base that relative URIs are resolved against: the project root.
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
struct Message<'a> {
    text: std::borrow::Cow<'a, str>,
}

impl<'a> Message<'a> {
    fn borrowed(text: &'a str) -> Message<'a> {
        Message {
            text: std::borrow::Cow::Borrowed(text),
        }
    }
    fn owned(text: String) -> Message<'a> {
        Message {
            text: std::borrow::Cow::Owned(text),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    short_description: Message<'a>,
    full_description: Message<'a>,
    help: Message<'a>,
    default_configuration: Configuration,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RuleProperties<'a>>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message<'a>,
    locations: Vec<Location<'a>>,
    related_locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
    properties: SuppressionProperties<'a>,
}

#[derive(Serialize)]
struct SuppressionProperties<'a> {
    /// The waiver's id.
    id: &'a str,
    /// `inline`, or the waiver file's shown path.
    source: &'a str,
}

/// Writes the run in this format.
pub fn write(w: &mut dyn Write, run: &Run) -> std::io::Result<()> {
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [SarifRun {
            tool: Tool {
                driver: Driver {
                    name: "dockcheck",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: run.codes.iter().map(rule).collect(),
                },
            },
            results: run
                .diags
                .iter()
                .enumerate()
                .map(|(i, d)| result(run, i, d))
                .collect(),
            column_kind: "utf16CodeUnits",
        }],
    };
    serde_json::to_writer_pretty(&mut *w, &log).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}

/// SARIF's level of a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first of the texts that is not blank (the last one otherwise).
fn first_text<'a>(texts: &[&'a str]) -> &'a str {
    texts
        .iter()
        .copied()
        .find(|t| !t.trim().is_empty())
        .or_else(|| texts.last().copied())
        .unwrap_or_default()
}

fn rule(c: &CodeInfo) -> Rule<'_> {
    let summary = first_text(&[&c.summary, &c.id]);
    let mut help = first_text(&[c.help.as_deref().unwrap_or_default(), summary]).to_string();
    if let Some(r) = c.reference.as_deref().filter(|r| !r.trim().is_empty()) {
        help.push_str("\nreference: ");
        help.push_str(r);
    }
    // the schema wants the tags unique
    let mut tags: Vec<&str> = Vec::new();
    for t in &c.tags {
        if !tags.contains(&t.as_str()) {
            tags.push(t);
        }
    }
    Rule {
        id: &c.id,
        short_description: Message::borrowed(summary),
        full_description: Message::borrowed(first_text(&[&c.description, summary])),
        help: Message::owned(help),
        default_configuration: Configuration {
            level: level(c.severity),
        },
        properties: (!tags.is_empty()).then_some(RuleProperties { tags }),
    }
}

fn result<'a>(run: &Run<'a>, i: usize, d: &'a Diagnostic) -> SarifResult<'a> {
    let mut partial_fingerprints = BTreeMap::new();
    if let Some(fp) = run.fingerprints.get(i) {
        partial_fingerprints.insert(FINGERPRINT_KEY, fp.as_str());
    }
    SarifResult {
        rule_id: &d.code,
        rule_index: run
            .codes
            .binary_search_by(|c| c.id.as_str().cmp(&d.code))
            .ok(),
        level: level(d.severity),
        message: Message::borrowed(&d.message),
        locations: vec![Location {
            id: None,
            physical_location: physical(run, d.file, d.span),
            message: d.label.as_deref().map(Message::borrowed),
        }],
        related_locations: d
            .labels
            .iter()
            .enumerate()
            .map(|(id, l)| Location {
                id: Some(id),
                physical_location: physical(run, l.file, l.span),
                message: Some(Message::borrowed(&l.message)),
            })
            .collect(),
        partial_fingerprints,
        suppressions: d
            .waived
            .iter()
            .map(|w| Suppression {
                kind: if w.source == "inline" {
                    "inSource"
                } else {
                    "external"
                },
                status: "accepted",
                justification: &w.reason,
                properties: SuppressionProperties {
                    id: &w.id,
                    source: &w.source,
                },
            })
            .collect(),
    }
}

fn physical(run: &Run, file: FileId, span: Span) -> PhysicalLocation {
    let ((start_line, start_column), (end_line, end_column)) =
        super::region(run.sources, file, span, Columns::Utf16);
    let path = run.path(file);
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri(path),
            uri_base_id: (!is_absolute(path)).then_some(SRCROOT),
        },
        region: Region {
            start_line,
            start_column,
            end_line,
            end_column,
        },
    }
}

/// Whether a shown path is absolute (`/x`, `C:/x`, `//server/x`).
fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/') || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// A shown path as a URI reference (RFC 3986): every byte but the
/// unreserved characters and `/` percent-encoded, so that no part of it
/// reads as a scheme, query or fragment.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Waived;
    use crate::spec::RuleSet;
    use crate::workspace::SourceMap;
    use serde_json::{Value, json};

    const ROCKETS: &str = "vehicle v {\n  name = \"🚀🚀\"; colour = \"red\"\n}\n";

    fn render_with(sources: &SourceMap, diags: &[Diagnostic], codes: &[CodeInfo]) -> String {
        crate::report::testing::render_with(write, sources, diags, codes)
    }

    fn render(sources: &SourceMap, diags: &[Diagnostic]) -> String {
        render_with(sources, diags, &CodeInfo::all(&RuleSet::default()))
    }

    use crate::report::testing::at;

    fn schema() -> Value {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let shared = dir.join("../shared/schemas/sarif-schema-2.1.0.json");
        let path = if shared.is_file() {
            shared
        } else {
            dir.join("tests/data/sarif-schema-2.1.0.json")
        };
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn vendored_schema_is_the_shared_one() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let vendored = std::fs::read(dir.join("tests/data/sarif-schema-2.1.0.json")).unwrap();
        if let Ok(shared) = std::fs::read(dir.join("../shared/schemas/sarif-schema-2.1.0.json")) {
            assert!(
                vendored == shared,
                "tests/data/sarif-schema-2.1.0.json is out of date"
            );
        }
    }

    /// The schema errors of a SARIF log, as `path: message` lines.
    fn schema_errors(instance: &Value) -> Vec<String> {
        let schema = schema();
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        validator
            .iter_errors(instance)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect()
    }

    /// Every string value and every key, anywhere in the document.
    fn walk<'v>(v: &'v Value, found: &mut Vec<(&'v str, &'v Value)>) {
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    found.push((k, c));
                    walk(c, found);
                }
            }
            Value::Array(items) => items.iter().for_each(|c| walk(c, found)),
            _ => {}
        }
    }

    /// A run with every feature: a waived finding, a label in a second
    /// file, a path with a space, an empty span, a message with a newline.
    fn full_run() -> String {
        let mut sources = SourceMap::default();
        let chaser = "vehicle c {\n  port p { docking { system = \"IDSS\" } }\n}\n";
        let target = "vehicle t {\n  port q { }\n}\n";
        let f = sources.add("ships/kestrel 2.icd", chaser.to_string());
        let g = sources.add("station/iss.icd", target.to_string());
        let h = sources.add("v.icd", ROCKETS.to_string());
        let mut waived = Diagnostic::error("ICD-UNKNOWN", h, at(ROCKETS, "colour"), "unknown");
        waived.waived = Some(Waived {
            id: "W-0042".to_string(),
            reason: "paint is decided later".to_string(),
            source: "waivers.toml".to_string(),
        });
        let mut diags = vec![
            Diagnostic::error("ICD-REF", f, at(chaser, "p {"), "no partner\nport")
                .with_label("this port")
                .with_related(g, at(target, "q"), "the partner port")
                .with_related(f, Span::new(0, 7), "in this vehicle"),
            Diagnostic::new("ICD-SYSTEM", Severity::Warning, f, Span::new(5, 5), "empty"),
            Diagnostic::new("ICD-LIMIT", Severity::Info, g, Span::new(0, 1), "note"),
            waived,
        ];
        crate::report::sort(&mut diags, &sources);
        render(&sources, &diags)
    }

    #[test]
    fn columns_count_utf16_code_units() {
        let mut sources = SourceMap::default();
        let f = sources.add("v.icd", ROCKETS.to_string());
        let d = Diagnostic::error("ICD-UNKNOWN", f, at(ROCKETS, "colour"), "unknown attribute");
        let v: Value = serde_json::from_str(&render(&sources, &[d])).unwrap();
        let result = &v["runs"][0]["results"][0];
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"],
            json!({"startLine": 2, "startColumn": 18, "endLine": 2, "endColumn": 24})
        );
        assert_eq!(v["runs"][0]["columnKind"], "utf16CodeUnits");
    }

    #[test]
    fn validates_against_the_sarif_schema() {
        let out = full_run();
        assert!(out.ends_with("}\n"));
        assert!(!out.contains("null"), "{out}");
        assert!(!out.contains("file:"), "{out}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let errors = schema_errors(&v);
        assert!(errors.is_empty(), "{}", errors.join("\n"));
        // an empty run validates too
        let empty: Value = serde_json::from_str(&render(&SourceMap::default(), &[])).unwrap();
        let errors = schema_errors(&empty);
        assert!(errors.is_empty(), "{}", errors.join("\n"));
        assert_eq!(empty["runs"][0]["results"], json!([]));
    }

    #[test]
    fn schema_check_can_fail() {
        let mut v: Value = serde_json::from_str(&full_run()).unwrap();
        v["runs"][0]["results"][0]["level"] = json!("fatal");
        assert!(!schema_errors(&v).is_empty());
    }

    #[test]
    fn no_nulls_and_no_empty_texts() {
        let v: Value = serde_json::from_str(&full_run()).unwrap();
        let mut found = Vec::new();
        walk(&v, &mut found);
        for (k, c) in found {
            assert!(!c.is_null(), "{k} is null");
            if k == "text" {
                assert!(!c.as_str().unwrap().is_empty(), "empty text");
            }
        }
    }

    #[test]
    fn top_level_and_driver() {
        let v: Value = serde_json::from_str(&full_run()).unwrap();
        assert_eq!(v["$schema"], SCHEMA);
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["runs"].as_array().unwrap().len(), 1);
        let driver = &v["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "dockcheck");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert!(
            driver["informationUri"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
        let codes = CodeInfo::all(&RuleSet::default());
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), codes.len());
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let want: Vec<&str> = codes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, want);
        for r in rules {
            assert!(!r["properties"]["tags"].as_array().unwrap().is_empty());
            assert!(!r["help"]["text"].as_str().unwrap().is_empty());
        }
        // every result points at its rule
        for res in v["runs"][0]["results"].as_array().unwrap() {
            let i = res["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], res["ruleId"]);
        }
    }

    #[test]
    fn rules_from_code_info() {
        let code = |id: &str, help: Option<&str>, reference: Option<&str>, severity| CodeInfo {
            id: id.to_string(),
            summary: format!("{id} summary"),
            description: format!("{id} rationale"),
            help: help.map(str::to_string),
            reference: reference.map(str::to_string),
            severity,
            tags: vec!["conformance".into(), "IDSS".into(), "conformance".into()],
        };
        let codes = vec![
            code(
                "A-1",
                Some("fix it"),
                Some("IDSS IDD rev. G, 3.2.1 (verbatim)"),
                Severity::Error,
            ),
            code("B-2", None, None, Severity::Info),
            code("C-3", None, Some("doc 7"), Severity::Warning),
        ];
        let mut sources = SourceMap::default();
        let f = sources.add("v.icd", ROCKETS.to_string());
        let diags = vec![
            Diagnostic::new("B-2", Severity::Info, f, Span::new(0, 7), "b"),
            Diagnostic::error("Z-9", f, Span::new(0, 7), "not a known code"),
        ];
        let out = render_with(&sources, &diags, &codes);
        let v: Value = serde_json::from_str(&out).unwrap();
        let rules = &v["runs"][0]["tool"]["driver"]["rules"];
        assert_eq!(
            rules[0],
            json!({
                "id": "A-1",
                "shortDescription": {"text": "A-1 summary"},
                "fullDescription": {"text": "A-1 rationale"},
                "help": {"text": "fix it\nreference: IDSS IDD rev. G, 3.2.1 (verbatim)"},
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": ["conformance", "IDSS"]}
            })
        );
        assert_eq!(rules[1]["help"]["text"], "B-2 summary");
        assert_eq!(rules[1]["defaultConfiguration"]["level"], "note");
        assert_eq!(rules[2]["help"]["text"], "C-3 summary\nreference: doc 7");
        assert_eq!(rules[2]["defaultConfiguration"]["level"], "warning");
        let results = &v["runs"][0]["results"];
        assert_eq!(results[0]["ruleIndex"], 1);
        assert_eq!(results[0]["level"], "note");
        // a code that is not listed gets no index rather than a wrong one
        assert_eq!(results[1]["ruleId"], "Z-9");
        assert!(results[1].get("ruleIndex").is_none());
        let errors = schema_errors(&v);
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }

    #[test]
    fn results_locations_fingerprints_and_suppressions() {
        let v: Value = serde_json::from_str(&full_run()).unwrap();
        let results = v["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        // sorted by path: "ships/kestrel 2.icd" (two), "station/iss.icd", "v.icd"
        let mate = results.iter().find(|r| r["ruleId"] == "ICD-REF").unwrap();
        assert_eq!(mate["level"], "error");
        assert_eq!(mate["message"]["text"], "no partner\nport");
        let loc = &mate["locations"][0];
        assert_eq!(
            loc["physicalLocation"]["artifactLocation"],
            json!({"uri": "ships/kestrel%202.icd", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(loc["message"]["text"], "this port");
        assert_eq!(
            mate["relatedLocations"],
            json!([
                {
                    "id": 0,
                    "physicalLocation": {
                        "artifactLocation": {"uri": "station/iss.icd", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 2, "startColumn": 8, "endLine": 2, "endColumn": 9}
                    },
                    "message": {"text": "the partner port"}
                },
                {
                    "id": 1,
                    "physicalLocation": {
                        "artifactLocation": {"uri": "ships/kestrel%202.icd", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 8}
                    },
                    "message": {"text": "in this vehicle"}
                }
            ])
        );
        let fp = mate["partialFingerprints"][FINGERPRINT_KEY]
            .as_str()
            .unwrap();
        assert_eq!(fp.len(), 16);
        assert!(mate.get("suppressions").is_none());

        // an empty span has an empty region
        let empty = results
            .iter()
            .find(|r| r["ruleId"] == "ICD-SYSTEM")
            .unwrap();
        assert_eq!(
            empty["locations"][0]["physicalLocation"]["region"],
            json!({"startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 6})
        );
        assert_eq!(empty["level"], "warning");
        assert!(empty["relatedLocations"].as_array().unwrap().is_empty());

        let waived = results
            .iter()
            .find(|r| r["ruleId"] == "ICD-UNKNOWN")
            .unwrap();
        assert_eq!(waived["level"], "error");
        assert_eq!(
            waived["suppressions"],
            json!([{
                "kind": "external",
                "status": "accepted",
                "justification": "paint is decided later",
                "properties": {"id": "W-0042", "source": "waivers.toml"}
            }])
        );

        // fingerprints differ between results
        let mut fps: Vec<&str> = results
            .iter()
            .map(|r| r["partialFingerprints"][FINGERPRINT_KEY].as_str().unwrap())
            .collect();
        fps.sort();
        fps.dedup();
        assert_eq!(fps.len(), 4);
    }

    #[test]
    fn inline_waiver_is_in_source() {
        let mut sources = SourceMap::default();
        let f = sources.add("v.icd", ROCKETS.to_string());
        let mut d = Diagnostic::error("ICD-UNKNOWN", f, at(ROCKETS, "colour"), "unknown");
        d.waived = Some(Waived {
            id: "W-7".to_string(),
            reason: "ok".to_string(),
            source: "inline".to_string(),
        });
        let v: Value = serde_json::from_str(&render(&sources, &[d])).unwrap();
        let s = &v["runs"][0]["results"][0]["suppressions"][0];
        assert_eq!(s["kind"], "inSource");
        assert_eq!(s["justification"], "ok");
        assert_eq!(s["properties"]["id"], "W-7");
    }

    #[test]
    fn uris_are_percent_encoded_references() {
        assert_eq!(uri("ships/kestrel 2.icd"), "ships/kestrel%202.icd");
        assert_eq!(uri("a-b_c.d~e/F9.icd"), "a-b_c.d~e/F9.icd");
        assert_eq!(uri("100%/#1?.icd"), "100%25/%231%3F.icd");
        assert_eq!(uri("C:/x/é.icd"), "C%3A/x/%C3%A9.icd");
        assert_eq!(uri("command line"), "command%20line");
        assert_eq!(uri("/abs/x y.icd"), "/abs/x%20y.icd");
        assert!(is_absolute("/abs/x.icd") && is_absolute("C:/x.icd"));
        assert!(!is_absolute("ships/x.icd") && !is_absolute("../x.icd"));

        let mut sources = SourceMap::default();
        let f = sources.add("/abs/x y.icd", ROCKETS.to_string());
        let d = Diagnostic::error("ICD-IO", f, Span::new(0, 0), "cannot read");
        let v: Value = serde_json::from_str(&render(&sources, &[d])).unwrap();
        assert_eq!(
            v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"],
            json!({"uri": "/abs/x%20y.icd"})
        );
        assert!(schema_errors(&v).is_empty());
    }
}
