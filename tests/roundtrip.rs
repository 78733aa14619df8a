//! Property: a model printed with `model::print` parses back, without
//! diagnostics, to an equal model.

use dockcheck::load::parse_and_lower;
use dockcheck::model::print::print;
use dockcheck::model::*;
use dockcheck::syntax::Span;
use dockcheck::units::Dim;
use proptest::prelude::*;

#[path = "common/models.rs"]
mod models;
use models::{model, sp};

// ------------------------------------------------------------ comparing

/// Resets the block spans, which are plain `Span` fields (not `Spanned`) and
/// so take part in the derived equality; the generated model has none.
fn without_block_spans(mut m: Model) -> Model {
    let none = Span::default();
    for v in &mut m.vehicles {
        v.span = none;
        if let Some(a) = &mut v.atmosphere {
            a.span = none;
        }
        for p in &mut v.ports {
            p.span = none;
            if let Some(d) = &mut p.docking {
                d.span = none;
                for e in [&mut d.capture, &mut d.approach].into_iter().flatten() {
                    e.span = none;
                }
            }
            if let Some(pw) = &mut p.power {
                pw.span = none;
            }
            if let Some(data) = &mut p.data {
                data.span = none;
                data.buses.iter_mut().for_each(|b| b.span = none);
            }
            if let Some(c) = &mut p.comms {
                c.span = none;
                c.links.iter_mut().for_each(|l| l.span = none);
            }
        }
    }
    m.matings.iter_mut().for_each(|x| x.span = none);
    m
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn printed_model_parses_back_to_an_equal_model(original in model()) {
        let text = print(&original);
        let (parsed, diags, unparsed) = parse_and_lower(0, &text);
        let messages: Vec<String> = diags.iter().map(|d| format!("{} at {:?}: {}", d.code, d.span, d.message)).collect();
        prop_assert!(diags.is_empty(), "diagnostics {:#?}\nfor the printed text:\n{}", messages, text);
        prop_assert!(!unparsed);
        prop_assert_eq!(&without_block_spans(parsed), &original, "printed text:\n{}", text);
    }

    #[test]
    fn printing_a_parsed_model_gives_the_same_text(original in model()) {
        let text = print(&original);
        let (parsed, _, _) = parse_and_lower(0, &text);
        prop_assert_eq!(print(&parsed), text);
    }
}

#[test]
fn roundtrip_keeps_escapes_and_units() {
    let q = |number: f64, unit: &str, factor: f64, dim: Dim| Quantity {
        si: number * factor,
        dimension: dim,
        number,
        unit: unit.into(),
    };
    let original = Model {
        format: Some(sp(1)),
        vehicles: vec![Vehicle {
            id: sp("a-1".into()),
            name: Some(sp(
                "quote \" backslash \\ newline \n tab \t nul \0 Ω 🚀".into()
            )),
            operator: None,
            tags: Some(sp(vec![String::new(), "x,y".into()])),
            mass: Some(sp(Range {
                lo: q(3.0, "t", 1e3, Dim::MASS),
                hi: q(3500.0, "kg", 1.0, Dim::MASS),
                text: "".into(),
            })),
            atmosphere: None,
            ports: vec![],
            span: Span::default(),
            invalid: Vec::new(),
        }],
        matings: vec![],
    };
    let text = print(&original);
    let (parsed, diags, _) = parse_and_lower(0, &text);
    assert!(diags.is_empty(), "{diags:?}\n{text}");
    assert_eq!(without_block_spans(parsed.clone()), original, "{text}");
    // and equality is not vacuous: a different mass compares unequal
    let mut other = original.clone();
    other.vehicles[0].mass.as_mut().unwrap().value.hi = q(3.6, "t", 1e3, Dim::MASS);
    assert_ne!(without_block_spans(parsed), other);
}

// ------------------------------------------------------------ streaming

/// Every `.icd` under `dir`, recursively.
fn icd_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            icd_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "icd") {
            out.push(p);
        }
    }
}

/// `parse_and_lower` lowers each vehicle as soon as the parser completes it
/// and drops its tree; it must give the model and the diagnostics of
/// lowering the whole tree at once, on every fixture (the malformed ones
/// included) and with spans compared too.
#[test]
fn lowering_while_parsing_equals_lowering_the_whole_tree() {
    let mut files = Vec::new();
    icd_files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut files,
    );
    files.sort();
    assert!(files.len() > 50, "the fixtures are found: {}", files.len());
    let key = |d: &dockcheck::diagnostic::Diagnostic| {
        (d.span.start, d.span.end, d.code.clone(), d.message.clone())
    };
    let mut with_vehicles = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // the fixture of invalid UTF-8
        };
        let (streamed, mut ds, _) = parse_and_lower(0, &text);
        let parsed = dockcheck::syntax::parse_with(&text, &dockcheck::model::vocab::nests);
        let mut dw = dockcheck::load::syntax_diagnostics(0, &parsed.errors);
        let whole = lower(0, &text, &parsed.stmts, &mut dw);
        assert_eq!(streamed, whole, "{}", path.display());
        assert_eq!(
            format!("{streamed:?}"),
            format!("{whole:?}"),
            "spans too: {}",
            path.display()
        );
        ds.sort_by_key(key);
        dw.sort_by_key(key);
        let (ds, dw): (Vec<_>, Vec<_>) =
            (ds.iter().map(key).collect(), dw.iter().map(key).collect());
        assert_eq!(ds, dw, "{}", path.display());
        with_vehicles += usize::from(!whole.vehicles.is_empty());
    }
    assert!(with_vehicles > 30, "{with_vehicles} fixtures hold vehicles");
}
