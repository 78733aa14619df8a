//! Snapshots of the rendered reports for every fixture in fixtures/invalid/:
//! the human report (colourless, 100 columns) and one JSON report.
//!
//! Paths are relative (cargo runs integration tests from the crate root), so
//! the snapshots show `fixtures/invalid/NAME.icd`.

use dockcheck::diagnostic::Diagnostic;
use dockcheck::load::{Loaded, load};
use dockcheck::report::{self, human::Style};
use std::path::PathBuf;

fn load_sorted(path: &str) -> (Loaded, Vec<Diagnostic>) {
    let loaded = load(&[PathBuf::from(path)]);
    let mut diags = loaded.diagnostics.clone();
    report::sort(&mut diags, &loaded.sources);
    (loaded, diags)
}

/// The human report of one fixture, as `dockcheck check` would print it
/// without colour at 100 columns.
fn human(path: &str) -> String {
    let (loaded, diags) = load_sorted(path);
    assert!(!diags.is_empty(), "{path} reports nothing");
    report::human::render(
        &loaded.sources,
        &diags,
        Style {
            color: false,
            width: 100,
        },
    )
}

/// One test per fixture, so a changed rendering names the fixture it broke.
macro_rules! human_snapshots {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                let path = concat!("fixtures/invalid/", $file);
                let out = human(path);
                assert!(out.contains(path), "the report names {path}:\n{out}");
                assert!(!out.contains('\u{1b}'), "no ANSI escapes without colour:\n{out}");
                insta::assert_snapshot!(stringify!($test), out);
            }
        )*

        #[test]
        fn every_invalid_fixture_has_a_human_snapshot() {
            let mut covered = vec![$($file),*];
            covered.sort();
            let mut on_disk: Vec<String> = std::fs::read_dir("fixtures/invalid")
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".icd"))
                .collect();
            on_disk.sort();
            assert_eq!(on_disk, covered);
        }
    };
}

human_snapshots! {
    human_duplicate => "duplicate.icd",
    human_encoding => "encoding.icd",
    human_enum => "enum.icd",
    human_missing => "missing.icd",
    human_range => "range.icd",
    human_ref => "ref.icd",
    human_several => "several.icd",
    human_syntax => "syntax.icd",
    human_type => "type.icd",
    human_unit => "unit.icd",
    human_unknown_unit => "unknown-unit.icd",
    human_unknown => "unknown.icd",
}

#[test]
fn json_several() {
    let (loaded, mut diags) = load_sorted("fixtures/invalid/several.icd");
    report::dedup(&mut diags);
    let out = report::json::render(&loaded.sources, &diags, &[], loaded.sources.len());
    let parsed: serde_json::Value = serde_json::from_str(&out).expect("the JSON report parses");
    assert_eq!(parsed["summary"]["errors"], 5);
    insta::assert_snapshot!("json_several", out);
}
