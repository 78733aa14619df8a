//! The fleet matrix as a terminal table and as CSV.

use crate::check::matrix::{Cell, Matrix, View};

/// The symbol of a berthing cell: it mates, by berthing.
pub const BERTHS: &str = "⊕";

/// A cell's symbol: its verdict's, or [`BERTHS`] for a pair that mates by
/// berthing.
pub fn symbol(
    v: crate::check::pair::Verdict,
    how: Option<crate::check::pair::How>,
) -> &'static str {
    if how == Some(crate::check::pair::How::Berthing) {
        BERTHS
    } else {
        v.symbol()
    }
}

/// A cell's symbol, right-aligned in three columns, in its colour (ANSI)
/// when `color`: ✓ and ⊕ green, ✗ red, ? yellow.
fn mark(
    v: Option<(crate::check::pair::Verdict, Option<crate::check::pair::How>)>,
    color: bool,
) -> String {
    use crate::check::pair::Verdict;
    let s = v.map_or("·", |(v, h)| symbol(v, h));
    let code = match v.map(|x| x.0) {
        Some(Verdict::Mates) => "32",
        Some(Verdict::Fails) => "31",
        Some(Verdict::Undecided) => "33",
        None => "",
    };
    if color && !code.is_empty() {
        format!("  \u{1b}[{code}m{s}\u{1b}[0m")
    } else {
        format!("{s:>3}")
    }
}

/// The rows of an in-memory matrix: its cells grouped by chaser, in port
/// order (a port with no pair has an empty row).
fn rows(m: &Matrix) -> Vec<&[Cell]> {
    let mut out = Vec::with_capacity(m.ports.len());
    let mut rest = &m.pairs[..];
    for p in &m.ports {
        let n = rest.iter().take_while(|c| &c.chaser == p).count();
        out.push(&rest[..n]);
        rest = &rest[n..];
    }
    out
}

/// What the table shows of a cell: its target, verdict and way of mating.
pub type Mark<'c> = (
    &'c str,
    crate::check::pair::Verdict,
    Option<crate::check::pair::How>,
);

/// The table written row by row: [`Table::head`], one [`Table::row`] per
/// chaser in port order, [`Table::tail`].
pub struct Table<'a> {
    ports: &'a [String],
    width: usize,
    color: bool,
}

impl<'a> Table<'a> {
    pub fn new(ports: &'a [String], color: bool) -> Table<'a> {
        let width = ports
            .iter()
            .map(|p| p.chars().count())
            .max()
            .unwrap_or(6)
            .max(14);
        Table {
            ports,
            width,
            color,
        }
    }

    pub fn head(&self) -> String {
        let w = self.width;
        let mut out = format!("{:w$}  ", "chaser \\ target");
        for i in 0..self.ports.len() {
            out.push_str(&format!("{:>3}", i + 1));
        }
        out.push('\n');
        out
    }

    /// The row of chaser `i`, from its cells' (target, verdict, how), in
    /// target order.
    pub fn row<'c>(&self, i: usize, cells: impl IntoIterator<Item = Mark<'c>>) -> String {
        let w = self.width;
        let c = self.ports.get(i).map_or("", String::as_str);
        let mut out = format!("{c:w$}  ");
        let mut cells = cells.into_iter().peekable();
        for t in self.ports {
            let v = cells.next_if(|m| m.0 == t).map(|m| (m.1, m.2));
            out.push_str(&mark(v, self.color));
        }
        out.push('\n');
        out
    }

    pub fn tail(&self) -> String {
        use crate::check::pair::{How, Verdict};
        let color = self.color;
        let mut out = String::from("\ntargets:\n");
        for (i, p) in self.ports.iter().enumerate() {
            out.push_str(&format!("{:>3}  {p}\n", i + 1));
        }
        out.push_str(&format!(
            "\nlegend: {} mates (docking)   {} mates (berthing)   {} fails   {} undecided   · same vehicle\n",
            mark(Some((Verdict::Mates, Some(How::Docking))), color).trim_start(),
            mark(Some((Verdict::Mates, Some(How::Berthing))), color).trim_start(),
            mark(Some((Verdict::Fails, None)), color).trim_start(),
            mark(Some((Verdict::Undecided, None)), color).trim_start(),
        ));
        out
    }
}

/// Rows are chasers, columns targets (numbered, with a key below); the
/// symbols are coloured when `color`.
pub fn table(m: &Matrix, color: bool) -> String {
    let t = Table::new(&m.ports, color);
    let mut out = t.head();
    for (i, cells) in rows(m).into_iter().enumerate() {
        out.push_str(&t.row(
            i,
            cells.iter().map(|c| (c.target.as_str(), c.verdict, c.how)),
        ));
    }
    out.push_str(&t.tail());
    out
}

/// Whether a CSV field must be quoted.
fn needs_quotes(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n'))
}

fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_quotes(s) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// The CSV header line.
pub const CSV_HEAD: &str = "chaser,target,verdict,codes,how\n";

/// The CSV line of a cell.
pub fn csv_line(c: &View) -> String {
    let mut out = String::with_capacity(c.chaser.len() + c.target.len() + 32);
    csv_line_into(&mut out, c);
    out
}

/// [`csv_line`], appended to `out`.
pub fn csv_line_into(out: &mut String, c: &View) {
    for s in [c.chaser, c.target] {
        out.push_str(&csv_field(s));
        out.push(',');
    }
    out.push_str(c.verdict.as_str());
    out.push(',');
    // the codes as one field, joined in place when none needs quotes
    if c.codes.iter().any(|x| needs_quotes(x)) {
        out.push_str(&csv_field(&c.codes.join(";")));
    } else {
        for (i, code) in c.codes.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            out.push_str(code);
        }
    }
    out.push(',');
    out.push_str(c.how.map_or("", crate::check::pair::How::as_str));
    out.push('\n');
}

/// CSV lines of some cells.
pub fn csv_rows(cells: &[Cell]) -> String {
    cells
        .iter()
        .map(|c| csv_line(&c.view(&c.codes_str())))
        .collect()
}

/// One row per ordered pair: chaser, target, verdict, codes (`;`-separated),
/// how (`docking`, `berthing`, or empty when it does not mate).
pub fn csv(m: &Matrix) -> String {
    let mut out = String::from(CSV_HEAD);
    out.push_str(&csv_rows(&m.pairs));
    out
}

/// The matrix JSON document (`{"version": 1, "ports", "pairs"}`, pretty,
/// as [`crate::report::json::to_string`] writes it) written in pieces:
/// [`Json::head`], [`Json::cells`] per row, [`Json::tail`].
#[derive(Default)]
pub struct Json {
    any: bool,
}

impl Json {
    pub fn head(ports: &[String]) -> String {
        let list = serde_json::to_string_pretty(ports).unwrap_or_else(|_| "[]".into());
        format!(
            "{{\n  \"version\": 1,\n  \"ports\": {},\n  \"pairs\": [",
            list.replace('\n', "\n  ")
        )
    }

    /// A cell as it stands in the `pairs` list (pretty, indented).
    pub fn cell(c: &View) -> String {
        let one = serde_json::to_string_pretty(c).unwrap_or_else(|_| "null".into());
        one.replace('\n', "\n    ")
    }

    /// Cells made by [`Json::cell`], with the separators between them.
    pub fn cells(&mut self, cells: &[String]) -> String {
        let mut out = String::new();
        for c in cells {
            out.push_str(if self.any { ",\n    " } else { "\n    " });
            self.any = true;
            out.push_str(c);
        }
        out
    }

    pub fn tail(&self) -> String {
        if self.any { "\n  ]\n}\n" } else { "]\n}\n" }.to_string()
    }
}
