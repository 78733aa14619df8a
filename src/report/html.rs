//! The fleet matrix as one self-contained HTML page: inline CSS and SVG, no
//! scripts from anywhere, no network. Each cell shows its reasons on hover
//! (a `<title>`) and on click (a `<details>` list below the grid).

use crate::check::matrix::Matrix;
use crate::check::pair::Verdict;
use std::collections::BTreeMap;

/// Escapes text for HTML and SVG.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn colour(v: Verdict) -> &'static str {
    match v {
        Verdict::Mates => "#2e7d32",
        Verdict::Fails => "#c62828",
        Verdict::Undecided => "#f9a825",
    }
}

/// What the page was made from, shown in its header (no date, so the same
/// inputs give the same bytes).
pub struct Meta {
    /// dockcheck's version.
    pub version: &'static str,
    /// The `.icd` files loaded, as shown in diagnostics, sorted.
    pub files: Vec<String>,
    /// The specs loaded, one line each.
    pub specs: Vec<String>,
}

/// An estimate of the advance of one character of the SVG's 13 px monospace
/// font (0.6 em), rounded up, for sizing the drawing around its labels.
const CHAR_W: usize = 8;

/// The SVG's geometry: the left margin (row labels), the top margin (column
/// labels rotated by 60°), the cell size, and the total width and height.
struct Geometry {
    left: usize,
    top: usize,
    cell: usize,
    width: usize,
    height: usize,
}

fn geometry(ports: &[String]) -> Geometry {
    let n = ports.len();
    let cell = 28usize;
    let longest = ports.iter().map(|p| p.chars().count()).max().unwrap_or(0) * CHAR_W;
    // a row label ends 6 px left of the grid
    let left = longest + 16;
    // a column label rises at 60°: sin 60° ≈ 0.866 of its length up, half of
    // it to the right of its column
    let top = (longest * 866).div_ceil(1000) + 16;
    let grid_right = left + n * cell;
    let label_right = match n {
        0 => 0,
        _ => left + (n - 1) * cell + cell / 2 + longest.div_ceil(2),
    };
    Geometry {
        left,
        top,
        cell,
        width: grid_right.max(label_right) + 16,
        height: top + n * cell + 16,
    }
}

fn skipped_rules(cell: &crate::check::matrix::Cell) -> String {
    cell.skipped
        .iter()
        .map(|s| s.rule.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn matrix(m: &Matrix, meta: &Meta) -> String {
    let by: BTreeMap<(&str, &str), &crate::check::matrix::Cell> = m
        .pairs
        .iter()
        .map(|c| ((c.chaser.as_str(), c.target.as_str()), c))
        .collect();
    let n = m.ports.len();
    let Geometry {
        left,
        top,
        cell,
        width: w,
        height: h,
    } = geometry(&m.ports);
    let mut svg = format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"mate matrix\">\n"
    );
    for (j, t) in m.ports.iter().enumerate() {
        let x = left + j * cell + cell / 2;
        svg.push_str(&format!(
            "<text class=\"col\" transform=\"translate({x},{}) rotate(-60)\">{}</text>\n",
            top - 6,
            esc(t)
        ));
    }
    for (i, c) in m.ports.iter().enumerate() {
        let y = top + i * cell;
        svg.push_str(&format!(
            "<text class=\"row\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
            left - 6,
            y + cell / 2 + 5,
            esc(c)
        ));
        for (j, t) in m.ports.iter().enumerate() {
            let x = left + j * cell;
            match by.get(&(c.as_str(), t.as_str())) {
                Some(cellv) => {
                    let mut tip = format!(
                        "{c} → {t}: {}",
                        super::verdict_text(cellv.verdict, cellv.how)
                    );
                    for r in &cellv.reasons {
                        tip.push('\n');
                        tip.push_str(r);
                    }
                    if !cellv.skipped.is_empty() {
                        tip.push_str("\nnot compared: ");
                        tip.push_str(&skipped_rules(cellv));
                    }
                    let id = format!("p{i}-{j}");
                    svg.push_str(&format!(
                        "<a href=\"#{id}\"><rect class=\"cell {v}\" data-chaser=\"{ce}\" data-target=\"{te}\" data-verdict=\"{v}\" data-how=\"{how}\" data-skipped=\"{sk}\" x=\"{x}\" y=\"{y}\" width=\"{s}\" height=\"{s}\" fill=\"{col}\"><title>{tip}</title></rect><text class=\"mark\" x=\"{tx}\" y=\"{ty}\">{sym}</text></a>\n",
                        v = cellv.verdict.as_str(),
                        how = cellv.how.map_or("", crate::check::pair::How::as_str),
                        ce = esc(c),
                        te = esc(t),
                        sk = cellv.skipped.len(),
                        s = cell - 2,
                        col = colour(cellv.verdict),
                        tip = esc(&tip),
                        tx = x + cell / 2 - 1,
                        ty = y + cell / 2 + 4,
                        sym = super::matrix::symbol(cellv.verdict, cellv.how)
                    ));
                }
                None => svg.push_str(&format!(
                    "<rect class=\"self\" x=\"{x}\" y=\"{y}\" width=\"{s}\" height=\"{s}\"><title>{ce} → {te}: same vehicle</title></rect>\n",
                    s = cell - 2,
                    ce = esc(c),
                    te = esc(t),
                )),
            }
        }
    }
    svg.push_str("</svg>\n");
    let mut details = String::new();
    for (i, c) in m.ports.iter().enumerate() {
        for (j, t) in m.ports.iter().enumerate() {
            if let Some(cellv) = by.get(&(c.as_str(), t.as_str())) {
                details.push_str(&format!(
                    "<details id=\"p{i}-{j}\" class=\"{v}\"><summary>{sym} {ce} → {te}: {text}</summary>",
                    v = cellv.verdict.as_str(),
                    text = super::verdict_text(cellv.verdict, cellv.how),
                    sym = super::matrix::symbol(cellv.verdict, cellv.how),
                    ce = esc(c),
                    te = esc(t)
                ));
                match (cellv.reasons.is_empty(), cellv.skipped.is_empty()) {
                    (true, true) => {
                        details.push_str("<p>No failing rule; every pair rule was compared.</p>")
                    }
                    (true, false) => details.push_str(&format!(
                        "<p>No failing rule among the checks made; {} not compared.</p>",
                        count_rules(cellv.skipped.len())
                    )),
                    (false, _) => {
                        details.push_str("<ul class=\"reasons\">");
                        for r in &cellv.reasons {
                            details.push_str(&format!("<li>{}</li>", esc(r)));
                        }
                        details.push_str("</ul>");
                    }
                }
                if !cellv.skipped.is_empty() {
                    details.push_str("<p>Not compared:</p><ul class=\"skipped\">");
                    for sk in &cellv.skipped {
                        details.push_str(&format!(
                            "<li><code>{}</code>: {}</li>",
                            esc(&sk.rule),
                            esc(&sk.reason)
                        ));
                    }
                    details.push_str("</ul>");
                }
                details.push_str("</details>\n");
            }
        }
    }
    let count = |v: Verdict| m.pairs.iter().filter(|c| c.verdict == v).count();
    let list = |items: &[String]| -> String {
        if items.is_empty() {
            return "<dd>none</dd>".into();
        }
        let mut o = String::from("<dd><ul>");
        for i in items {
            o.push_str(&format!("<li><code>{}</code></li>", esc(i)));
        }
        o.push_str("</ul></dd>");
        o
    };
    let about = format!(
        "<dl class=\"meta\">\n<dt>Made by</dt><dd>dockcheck {}</dd>\n<dt>Input files ({})</dt>{}\n<dt>Specs ({})</dt>{}\n</dl>\n",
        esc(meta.version),
        meta.files.len(),
        list(&meta.files),
        meta.specs.len(),
        list(&meta.specs)
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"generator\" content=\"dockcheck {version}\"/>\n<title>dockcheck mate matrix</title>\n<style>\n\
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}\n\
svg text {{ font-size: 13px; font-family: ui-monospace, monospace; }}\n\
svg .mark {{ fill: #fff; text-anchor: middle; font-weight: bold; pointer-events: none; }}\n\
svg rect.cell:hover {{ stroke: #000; stroke-width: 2; }}\n\
svg rect.self {{ fill: #eee; }}\n\
dl.meta dt {{ font-weight: bold; }} dl.meta ul {{ margin: 0; padding-left: 1.2em; }}\n\
.legend span {{ display: inline-block; padding: 0.1em 0.6em; margin-right: 0.6em; color: #fff; border-radius: 3px; }}\n\
.legend span.self {{ color: #222; border: 1px solid #ccc; }}\n\
details {{ margin: 0.2em 0; }} details:target {{ background: #fff8c4; }}\n\
details.mates summary {{ color: #2e7d32; }} details.fails summary {{ color: #c62828; }} details.undecided summary {{ color: #8d6e00; }}\n\
</style>\n</head>\n<body>\n<h1>Mate matrix</h1>\n{about}\
<p>Rows are chasers, columns targets. {n} ports, {p} ordered pairs: {a} mate, {f} fail, {u} undecided. Hover a cell for its reasons; click it for the list below, with the checks that were not compared for lack of data.</p>\n\
<p class=\"legend\"><span style=\"background:#2e7d32\">✓ mates (docking)</span><span style=\"background:#2e7d32\">⊕ mates (berthing)</span><span style=\"background:#c62828\">✗ fails</span><span style=\"background:#f9a825\">? undecided</span><span class=\"self\" style=\"background:#eee\">same vehicle (not a pair)</span></p>\n\
{svg}<h2>Pairs</h2>\n{details}</body>\n</html>\n",
        version = esc(meta.version),
        p = m.pairs.len(),
        a = count(Verdict::Mates),
        f = count(Verdict::Fails),
        u = count(Verdict::Undecided)
    )
}

fn count_rules(n: usize) -> String {
    if n == 1 {
        "1 pair rule was".into()
    } else {
        format!("{n} pair rules were")
    }
}
