//! Language 1.1's `atmosphere` block and `power` rating: a broken value is
//! one language diagnostic at the value, and the pair rule that reads it
//! (MATE-ATMOSPHERE, MATE-POWER) then says nothing about it (one language
//! error, one diagnostic).

mod common;
use common::{check_json, temp_file};

/// A chaser whose cabin line is `atmosphere`, against a target of
/// sea-level air, in one mating.
fn pair(atmosphere: &str) -> String {
    format!(
        "vehicle a {{\n  name = \"A\"\n  {atmosphere}\n  port p {{\n    docking {{ system = \"IDSS\"; role = active }}\n  }}\n}}\n\
         vehicle b {{\n  name = \"B\"\n  atmosphere {{ pressure = 97.9 kPa .. 102.7 kPa; oxygen = 19.5 % .. 23.5 % }}\n  port p {{\n    docking {{ system = \"IDSS\"; role = passive }}\n  }}\n}}\n\
         mating m {{ chaser = a.p; target = b.p }}\n"
    )
}

/// The (code, start offset, severity) of every language diagnostic and
/// pair finding (not the IDSS conformance warnings of these bare ports, nor
/// infos).
fn findings(text: &str) -> Vec<(String, usize, String)> {
    let (_dir, path) = temp_file("pair.icd", text);
    let (_, doc) = check_json([&path]);
    doc["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .filter(|d| d["severity"] != "info")
        .filter(|d| {
            d["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("ICD-") || c.starts_with("MATE-"))
        })
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["span"]["start"]["offset"].as_u64().unwrap_or(u64::MAX) as usize,
                d["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Each broken atmosphere gives exactly one diagnostic of `code`, starting
/// at `at` (a piece of the line), and no MATE-ATMOSPHERE.
#[test]
fn a_broken_atmosphere_value_is_one_diagnostic_at_the_value_and_no_pair_finding() {
    let cases = [
        // a pressure in volts
        (
            "atmosphere { pressure = 97 V .. 103 V; oxygen = 95 % .. 100 % }",
            "ICD-UNIT",
            "97 V",
        ),
        // an oxygen fraction over 100 %
        (
            "atmosphere { pressure = 34 kPa ± 1 kPa; oxygen = 95 % .. 120 % }",
            "ICD-RANGE",
            "95 % .. 120 %",
        ),
        // over 100 % by tolerance
        (
            "atmosphere { pressure = 34 kPa ± 1 kPa; oxygen = 99 % ± 2 % }",
            "ICD-RANGE",
            "99 % ± 2 %",
        ),
        // a negative pressure
        (
            "atmosphere { pressure = -5 kPa .. 34 kPa; oxygen = 95 % .. 100 % }",
            "ICD-RANGE",
            "-5 kPa",
        ),
        // a negative oxygen fraction
        (
            "atmosphere { pressure = 34 kPa ± 1 kPa; oxygen = -1 % .. 100 % }",
            "ICD-RANGE",
            "-1 %",
        ),
        // lower end above upper end
        (
            "atmosphere { pressure = 35 kPa .. 33 kPa; oxygen = 95 % .. 100 % }",
            "ICD-RANGE",
            "35 kPa .. 33 kPa",
        ),
        // a single value where a range belongs
        (
            "atmosphere { pressure = 34 kPa; oxygen = 95 % .. 100 % }",
            "ICD-TYPE",
            "34 kPa;",
        ),
        // a bare number for a fraction
        (
            "atmosphere { pressure = 34 kPa ± 1 kPa; oxygen = 0.95 .. 1 }",
            "ICD-UNIT",
            "0.95 .. 1",
        ),
    ];
    for (line, code, at) in cases {
        let text = pair(line);
        let start = text.find(line).unwrap_or(0) + line.find(at).unwrap_or(0);
        let got = findings(&text);
        assert_eq!(
            got,
            vec![(code.to_string(), start, "error".to_string())],
            "for `{line}`"
        );
    }
    // and the same cabins, written correctly, give the warning: the cases
    // above are silent because of the broken value, not by accident
    let text = pair("atmosphere { pressure = 34 kPa ± 1 kPa; oxygen = 95 % .. 100 % }");
    let got = findings(&text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].0.as_str(), got[0].2.as_str()),
        ("MATE-ATMOSPHERE", "warning")
    );
}

/// Overlap, not containment: a cabin range that only touches the other's
/// edge can be equalised through the hatch.
#[test]
fn cabins_that_share_a_value_pass() {
    let text = pair("atmosphere { pressure = 69 kPa .. 97.9 kPa; oxygen = 21 % .. 30 % }");
    assert_eq!(findings(&text), vec![]);
    let text = pair("atmosphere { pressure = 69 kPa .. 97.8 kPa; oxygen = 21 % .. 30 % }");
    let got: Vec<String> = findings(&text).into_iter().map(|f| f.0).collect();
    assert_eq!(got, vec!["MATE-ATMOSPHERE"]);
    // the oxygen alone apart
    let text = pair("atmosphere { pressure = 100 kPa ± 1 kPa; oxygen = 24 % .. 30 % }");
    let got: Vec<String> = findings(&text).into_iter().map(|f| f.0).collect();
    assert_eq!(got, vec!["MATE-ATMOSPHERE"]);
}

/// A power rating in amperes is `ICD-UNIT` at the value, and MATE-POWER
/// then says nothing; written in watts, the same draw fails MATE-POWER.
#[test]
fn a_broken_power_rating_is_one_diagnostic_and_no_pair_finding() {
    let power = |receiver: &str| {
        format!(
            "vehicle a {{\n  name = \"A\"\n  port p {{\n    docking {{ system = \"IDSS\"; role = active }}\n    power {{ direction = receive; power = {receiver} }}\n  }}\n}}\n\
             vehicle b {{\n  name = \"B\"\n  port p {{\n    docking {{ system = \"IDSS\"; role = passive }}\n    power {{ direction = supply; power = 8 kW }}\n  }}\n}}\n\
             mating m {{ chaser = a.p; target = b.p }}\n"
        )
    };
    let text = power("10 A");
    let start = text.find("10 A").unwrap_or(0);
    assert_eq!(
        findings(&text),
        vec![("ICD-UNIT".to_string(), start, "error".to_string())]
    );
    let text = power("-10 kW");
    let start = text.find("-10 kW").unwrap_or(0);
    assert_eq!(
        findings(&text),
        vec![("ICD-RANGE".to_string(), start, "error".to_string())]
    );
    let got: Vec<String> = findings(&power("10 kW")).into_iter().map(|f| f.0).collect();
    assert_eq!(got, vec!["MATE-POWER"]);
    assert_eq!(findings(&power("8000 W")), vec![]);
}
