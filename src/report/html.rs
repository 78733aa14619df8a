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

pub fn matrix(m: &Matrix) -> String {
    let by: BTreeMap<(&str, &str), &crate::check::matrix::Cell> = m
        .pairs
        .iter()
        .map(|c| ((c.chaser.as_str(), c.target.as_str()), c))
        .collect();
    let n = m.ports.len();
    let cell = 28usize;
    let label_w = 10 * m.ports.iter().map(|p| p.chars().count()).max().unwrap_or(8) + 16;
    let (w, h) = (label_w + n * cell + 20, label_w + n * cell + 20);
    let mut svg = format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"mate matrix\">\n"
    );
    for (j, t) in m.ports.iter().enumerate() {
        let x = label_w + j * cell + cell / 2;
        svg.push_str(&format!(
            "<text class=\"col\" transform=\"translate({x},{}) rotate(-60)\">{}</text>\n",
            label_w - 6,
            esc(t)
        ));
    }
    for (i, c) in m.ports.iter().enumerate() {
        let y = label_w + i * cell;
        svg.push_str(&format!(
            "<text class=\"row\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
            label_w - 6,
            y + cell / 2 + 5,
            esc(c)
        ));
        for (j, t) in m.ports.iter().enumerate() {
            let x = label_w + j * cell;
            match by.get(&(c.as_str(), t.as_str())) {
                Some(cellv) => {
                    let mut tip = format!("{c} → {t}: {}", cellv.verdict.as_str());
                    for r in &cellv.reasons {
                        tip.push('\n');
                        tip.push_str(r);
                    }
                    let id = format!("p{i}-{j}");
                    svg.push_str(&format!(
                        "<a href=\"#{id}\"><rect class=\"cell {v}\" data-chaser=\"{ce}\" data-target=\"{te}\" data-verdict=\"{v}\" x=\"{x}\" y=\"{y}\" width=\"{s}\" height=\"{s}\" fill=\"{col}\"><title>{tip}</title></rect><text class=\"mark\" x=\"{tx}\" y=\"{ty}\">{sym}</text></a>\n",
                        v = cellv.verdict.as_str(),
                        ce = esc(c),
                        te = esc(t),
                        s = cell - 2,
                        col = colour(cellv.verdict),
                        tip = esc(&tip),
                        tx = x + cell / 2 - 1,
                        ty = y + cell / 2 + 4,
                        sym = cellv.verdict.symbol()
                    ));
                }
                None => svg.push_str(&format!(
                    "<rect class=\"self\" x=\"{x}\" y=\"{y}\" width=\"{s}\" height=\"{s}\"/>\n",
                    s = cell - 2
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
                    "<details id=\"p{i}-{j}\" class=\"{v}\"><summary>{sym} {ce} → {te}: {v}</summary>",
                    v = cellv.verdict.as_str(),
                    sym = cellv.verdict.symbol(),
                    ce = esc(c),
                    te = esc(t)
                ));
                if cellv.reasons.is_empty() {
                    details.push_str("<p>No failing rule.</p>");
                } else {
                    details.push_str("<ul>");
                    for r in &cellv.reasons {
                        details.push_str(&format!("<li>{}</li>", esc(r)));
                    }
                    details.push_str("</ul>");
                }
                details.push_str("</details>\n");
            }
        }
    }
    let count = |v: Verdict| m.pairs.iter().filter(|c| c.verdict == v).count();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>dockcheck mate matrix</title>\n<style>\n\
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}\n\
svg text {{ font-size: 13px; font-family: ui-monospace, monospace; }}\n\
svg .mark {{ fill: #fff; text-anchor: middle; font-weight: bold; pointer-events: none; }}\n\
svg rect.cell:hover {{ stroke: #000; stroke-width: 2; }}\n\
svg rect.self {{ fill: #eee; }}\n\
.legend span {{ display: inline-block; padding: 0.1em 0.6em; margin-right: 0.6em; color: #fff; border-radius: 3px; }}\n\
details {{ margin: 0.2em 0; }} details:target {{ background: #fff8c4; }}\n\
details.mates summary {{ color: #2e7d32; }} details.fails summary {{ color: #c62828; }} details.undecided summary {{ color: #8d6e00; }}\n\
</style>\n</head>\n<body>\n<h1>Mate matrix</h1>\n\
<p>Rows are chasers, columns targets. {n} ports, {p} ordered pairs: {a} mate, {f} fail, {u} undecided. Hover a cell for its reasons; click it for the list below.</p>\n\
<p class=\"legend\"><span style=\"background:#2e7d32\">✓ mates</span><span style=\"background:#c62828\">✗ fails</span><span style=\"background:#f9a825\">? undecided</span></p>\n\
{svg}<h2>Pairs</h2>\n{details}</body>\n</html>\n",
        p = m.pairs.len(),
        a = count(Verdict::Mates),
        f = count(Verdict::Fails),
        u = count(Verdict::Undecided)
    )
}
