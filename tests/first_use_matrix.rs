//! Issue 7, items 15 and 16: the matrix (HTML page, table colour, limits,
//! the empty case) and `export` (spans, unreadable paths), driving the binary.

mod common;
use common::{dockcheck, json};

/// A directory with two vehicles of three ports each (six ports).
fn six_ports() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for v in ["alpha", "beta"] {
        let mut text = format!("vehicle {v} {{\n  name = \"{v}\"\n");
        for p in ["p1", "p2", "p3"] {
            text.push_str(&format!(
                "  port {p} {{ docking {{ system = \"IDSS\"; role = dual }} }}\n"
            ));
        }
        text.push_str("}\n");
        std::fs::write(dir.path().join(format!("{v}.icd")), text).unwrap();
    }
    dir
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn item_16_max_ports_counts_ports() {
    let dir = six_ports();
    let out = dockcheck()
        .args(["matrix", "--max-ports", "3"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("6 ports, more than `--max-ports 3`"),
        "{}",
        stderr(&out)
    );
    // six ports are allowed at --max-ports 6
    let out = dockcheck()
        .args(["matrix", "--max-ports", "6"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn item_16_empty_matrix_says_no_ports_found() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["table", "json", "csv", "html"] {
        let out = dockcheck()
            .args(["matrix", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(
            stderr(&out).contains("no ports found"),
            "{format}: {}",
            stderr(&out)
        );
    }
    // a matrix with ports says nothing of the kind
    let out = dockcheck()
        .args(["matrix", "fixtures/fleet"])
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("no ports found"));
}

/// (line, column) of a byte offset, 1-based, columns in characters.
fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u64, col as u64)
}

#[test]
fn item_16_export_spans_carry_line_and_column() {
    let path = "fixtures/fleet/soyuz-ms.icd";
    let text = std::fs::read_to_string(path).unwrap();
    let out = dockcheck().args(["export", path]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out.stdout);
    let id = &doc["files"][0]["vehicles"][0]["id"];
    assert_eq!(id["value"], "soyuz-ms");
    for end in ["start", "end"] {
        let pos = &id["span"][end];
        let offset = pos["offset"].as_u64().expect("an offset") as usize;
        let (line, column) = line_col(&text, offset);
        assert_eq!(pos["line"], line, "{end}: {pos}");
        assert_eq!(pos["column"], column, "{end}: {pos}");
    }
    let start = id["span"]["start"]["offset"].as_u64().unwrap() as usize;
    let end = id["span"]["end"]["offset"].as_u64().unwrap() as usize;
    assert_eq!(&text[start..end], "soyuz-ms");
    // the same shape as a `check --format json` span
    let (_, report) = common::check_json(["fixtures/invalid/unit.icd"]);
    let check_span = &report["diagnostics"][0]["span"];
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(check_span), keys(&id["span"]));
    assert_eq!(keys(&check_span["start"]), keys(&id["span"]["start"]));
}

#[test]
fn item_16_export_nosuch_prints_nothing_and_exits_2() {
    let out = dockcheck().args(["export", "nosuch"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    assert!(stderr(&out).contains("nosuch"), "{}", stderr(&out));
    // also beside a good file: no partial document
    let out = dockcheck()
        .args(["export", "fixtures/fleet/soyuz-ms.icd", "nosuch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
}

fn fleet_html() -> String {
    let out = dockcheck()
        .args(["matrix", "fixtures/fleet", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn item_15_html_matrix_says_what_it_is() {
    let html = fleet_html();
    assert!(
        html.contains(&format!("dockcheck {}", env!("CARGO_PKG_VERSION"))),
        "no version"
    );
    for f in std::fs::read_dir("fixtures/fleet").unwrap() {
        let name = f.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            html.contains(&format!("fixtures/fleet/{name}")),
            "input {name} not named"
        );
    }
    for spec in ["specs/idss.toml", "specs/mating.toml"] {
        assert!(html.contains(spec), "spec {spec} not named");
    }
    // a legend entry for every kind of cell
    let legend = html
        .lines()
        .find(|l| l.contains("class=\"legend\""))
        .expect("a legend");
    for kind in ["mates", "fails", "undecided", "same vehicle"] {
        assert!(legend.contains(kind), "legend lacks {kind}: {legend}");
    }
    // reproducible: no date, same bytes on a second run
    let year = regex_like_date(&html);
    assert!(year.is_none(), "a date in the page: {year:?}");
    assert_eq!(html, fleet_html());
}

/// The first `YYYY-MM-DD` in `s`.
fn regex_like_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(10))
        .find(|&i| {
            b[i..i + 10].iter().enumerate().all(|(k, c)| match k {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
        })
        .map(|i| s[i..i + 10].to_string())
}

#[test]
fn item_15_html_matrix_lists_skipped_checks() {
    // crew-dragon.forward → iss.ida2 mates, but neither port declares power,
    // data or comms: those rules compared nothing
    let out = dockcheck()
        .args(["matrix", "fixtures/fleet", "--format", "json"])
        .output()
        .unwrap();
    let doc = json(&out.stdout);
    let pair = doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["chaser"] == "crew-dragon.forward" && p["target"] == "iss.ida2")
        .expect("the pair");
    assert_eq!(pair["verdict"], "mates");
    let skipped: Vec<&str> = pair["skipped"]
        .as_array()
        .expect("a skipped list")
        .iter()
        .map(|s| s["rule"].as_str().unwrap())
        .collect();
    for rule in ["MATE-VOLTAGE", "MATE-DATA", "MATE-COMMS"] {
        assert!(skipped.contains(&rule), "{rule} not in {skipped:?}");
    }
    let html = fleet_html();
    let start = html
        .find("<summary>✓ crew-dragon.forward → iss.ida2: mates (docking)</summary>")
        .expect("the pair's details");
    let details = &html[start..start + html[start..].find("</details>").unwrap()];
    assert!(!details.contains("No failing rule."), "{details}");
    for rule in ["MATE-VOLTAGE", "MATE-DATA", "MATE-COMMS"] {
        assert!(details.contains(rule), "{rule} not in {details}");
    }
    assert!(
        details.contains("neither port declares a `power` block"),
        "{details}"
    );
}

/// Two vehicles whose port names are 60 characters long.
fn long_labels() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let long = "p".repeat(60);
    for v in ["a", "b"] {
        std::fs::write(
            dir.path().join(format!("{v}.icd")),
            format!(
                "vehicle {v} {{\n  name = \"{v}\"\n  port {long} {{ docking {{ system = \"IDSS\"; role = dual }} }}\n  port x {{ docking {{ system = \"IDSS\"; role = dual }} }}\n}}\n"
            ),
        )
        .unwrap();
    }
    dir
}

/// The number after `name="` in `tag`.
fn attr(tag: &str, name: &str) -> f64 {
    let at = tag.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
    tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
}

#[test]
fn item_15_html_column_labels_are_not_clipped() {
    let dir = long_labels();
    let out = dockcheck()
        .args(["matrix", "--format", "html"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = stdout(&out);
    let svg = html.lines().find(|l| l.starts_with("<svg")).unwrap();
    let (w, h) = (attr(svg, "width"), attr(svg, "height"));
    // a 13 px monospace character advances 0.6 em
    let advance = 13.0 * 0.6;
    let mut cols = 0;
    for line in html
        .lines()
        .filter(|l| l.starts_with("<text class=\"col\""))
    {
        let at = line.find("translate(").unwrap() + "translate(".len();
        let xy: Vec<f64> = line[at..at + line[at..].find(')').unwrap()]
            .split(',')
            .map(|n| n.parse().unwrap())
            .collect();
        let label = &line[line.find('>').unwrap() + 1..line.find("</text>").unwrap()];
        let len = label.chars().count() as f64 * advance;
        // rotated by -60°: half its length to the right, 0.866 of it up
        assert!(xy[0] + len * 0.5 <= w, "{label} clipped right: {w}");
        assert!(xy[1] - len * 0.866 >= 0.0, "{label} clipped at the top");
        assert!(xy[1] <= h);
        cols += 1;
    }
    assert_eq!(cols, 4);
    for line in html
        .lines()
        .filter(|l| l.starts_with("<text class=\"row\""))
    {
        let label = &line[line.find('>').unwrap() + 1..line.find("</text>").unwrap()];
        let len = label.chars().count() as f64 * advance;
        assert!(attr(line, "x") - len >= 0.0, "{label} clipped left");
    }
}

#[test]
fn item_15_matrix_table_colours_marks() {
    let run = |envs: &[(&str, &str)], args: &[&str]| {
        let mut c = dockcheck();
        c.env_remove("NO_COLOR");
        for (k, v) in envs {
            c.env(k, v);
        }
        let out = c
            .args(["matrix", "fixtures/fleet"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        stdout(&out)
    };
    let forced = run(&[("CLICOLOR_FORCE", "1")], &[]);
    assert!(forced.contains("\u{1b}[32m✓\u{1b}[0m"), "{forced}");
    assert!(forced.contains("\u{1b}[31m✗\u{1b}[0m"), "{forced}");
    // the grid stays aligned: without the escapes it is the plain table
    let plain = run(&[], &[]);
    assert!(!plain.contains('\u{1b}'), "not a terminal: no colour");
    let stripped = ["\u{1b}[32m", "\u{1b}[31m", "\u{1b}[33m", "\u{1b}[0m"]
        .iter()
        .fold(forced.clone(), |s, e| s.replace(e, ""));
    assert_eq!(stripped, plain);
    // NO_COLOR wins over CLICOLOR_FORCE; --color never and always win over both
    assert!(!run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]).contains('\u{1b}'));
    assert!(!run(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]).contains('\u{1b}'));
    assert!(run(&[("NO_COLOR", "1")], &["--color", "always"]).contains('\u{1b}'));
}
