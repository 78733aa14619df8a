//! The canonical layout of an `.icd` file (`dockcheck fmt`).
//!
//! The formatter lays out the syntax tree of a file that parsed without
//! errors, copying every leaf (identifier, number, unit, string, symbol,
//! reference) byte for byte from the source through its span, and puts back
//! the comments, which the tree does not hold, from the language's own
//! comment scanner (`syntax::comment_start`). The result is checked before it
//! is returned: it must parse without errors, hold the same comments in the
//! same order, and lower to the same model with the same diagnostics.
//!
//! **The formatter never does I/O** and never panics on any input.
//!
//! Layout: two spaces per level; one statement per line; ` = ` between key
//! and value; one space between a number and its unit; ` .. ` and ` ± `
//! (or ` +/- `, as written) spaced; lists on one line when the line fits in
//! [`WIDTH`] columns and holds no comment, else one item per line with a
//! trailing comma; at most one blank line between statements, none after `{`
//! or before `}`; an empty block as `kind id {}`; a final newline. An
//! end-of-line comment stays at the end of its statement's line, two spaces
//! after the code; an own-line comment stays on its own line, indented as
//! the statement it precedes. A line that a comment annotates (the comment
//! at its end, or comments right above it: the lines waivers and `# expect:`
//! annotations apply to) is not split: the statements that stand wholly on
//! it stay on one line, joined by `; `, so that the comment keeps its scope.
//! A file with a line `# fmt: off` (on its own;
//! the first line is the place for it) is left alone.

use crate::syntax::{self, Block, Span, Stmt, SyntaxError, Value, ValueKind};
use std::collections::BTreeMap;

/// Lists longer than this many columns (with their indentation) are broken
/// over lines, one item per line.
pub const WIDTH: usize = 100;

/// The first line that makes `fmt` leave a file alone.
pub const OFF_MARKER: &str = "# fmt: off";

/// What formatting a text gives.
#[derive(Clone, Debug, PartialEq)]
pub enum Formatted {
    /// The canonical text (possibly equal to the input).
    Text(String),
    /// The file starts with `# fmt: off`: left alone.
    Off,
    /// The file has syntax errors: refused.
    Errors(Vec<SyntaxError>),
    /// The layout would have lost something (a bug): refused, with why.
    Internal(String),
}

/// Whether a line of the text reads `# fmt: off` (on its own, blanks
/// around it allowed): such a file is left alone. The first line is the place
/// to put it; anywhere else works too, so that a fixture whose line numbers
/// matter can carry it at its end.
pub fn is_off(src: &str) -> bool {
    src.lines()
        .any(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}') == OFF_MARKER)
}

/// Formats one file's text.
pub fn format(src: &str) -> Formatted {
    if is_off(src) {
        return Formatted::Off;
    }
    let parsed = syntax::parse_with(src, &crate::model::vocab::nests);
    if !parsed.errors.is_empty() {
        return Formatted::Errors(parsed.errors);
    }
    let out = layout(src, &parsed.stmts);
    match verify(src, &out) {
        Ok(()) => Formatted::Text(out),
        Err(why) => Formatted::Internal(why),
    }
}

/// The guarantee, checked: same comments, same model, same diagnostics.
fn verify(src: &str, out: &str) -> Result<(), String> {
    let again = syntax::parse_with(out, &crate::model::vocab::nests);
    if let Some(e) = again.errors.first() {
        return Err(format!("the formatted text does not parse: {}", e.message));
    }
    let texts = |s: &str| -> Vec<String> {
        comments(s)
            .into_iter()
            .map(|c| s[c.start..c.end].to_string())
            .collect()
    };
    if texts(src) != texts(out) {
        return Err("the formatted text would not keep every comment in place".into());
    }
    let (m1, d1, _) = crate::load::parse_and_lower(0, src);
    let (m2, d2, _) = crate::load::parse_and_lower(0, out);
    let msgs = |d: &[crate::diagnostic::Diagnostic]| -> Vec<(String, String)> {
        d.iter()
            .map(|d| (d.code.to_string(), d.message.clone()))
            .collect()
    };
    if crate::model::print::print(&m1) != crate::model::print::print(&m2) || msgs(&d1) != msgs(&d2)
    {
        return Err("the formatted text would not mean the same".into());
    }
    Ok(())
}

/// A comment: `#` to the end of its line, trailing blanks left out.
#[derive(Clone, Copy, Debug)]
struct Comment {
    start: usize,
    end: usize,
    line_start: usize,
}

/// Every comment of a text, in order, found line by line with the
/// language's comment scanner (strings never span lines).
fn comments(src: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in src.split_inclusive('\n') {
        if let Some(i) = syntax::comment_start(line) {
            let text = line[i..].trim_end();
            out.push(Comment {
                start: line_start + i,
                end: line_start + i + text.len(),
                line_start,
            });
        }
        line_start += line.len();
    }
    out
}

/// The byte after a block's `{` (only blanks stand between header and brace).
fn brace_end(src: &str, b: &Block) -> usize {
    let from = b.header().end;
    src.get(from..)
        .and_then(|r| r.find('{'))
        .map_or(from, |i| from + i + 1)
}

/// The offsets where code ends that a comment on the same line may follow.
fn anchors(src: &str, stmts: &[Stmt], out: &mut Vec<usize>) {
    for s in stmts {
        match s {
            Stmt::Attr(a) => {
                out.push(a.span.end);
                value_anchors(&a.value, out);
            }
            Stmt::Block(b) => {
                out.push(brace_end(src, b));
                out.push(b.span.end);
                anchors(src, &b.body, out);
            }
        }
    }
}

fn value_anchors(v: &Value, out: &mut Vec<usize>) {
    if let ValueKind::List(items) = &v.kind {
        out.push(v.span.start + 1);
        out.push(v.span.end);
        for it in items {
            out.push(it.span.end);
            value_anchors(it, out);
        }
    }
}

/// One output line: indentation level, code (or an own-line comment), and
/// the end-of-line comments that follow it.
#[derive(Default)]
struct Line {
    indent: usize,
    text: String,
    comments: Vec<String>,
}

struct Layout<'a> {
    src: &'a str,
    /// The byte offset where each source line starts.
    line_starts: Vec<usize>,
    /// Per source line: whether a comment annotates it (one at its end, or
    /// comments right above it), as waivers and `# expect:` read them.
    annotated: Vec<bool>,
    lines: Vec<Line>,
    /// Own-line comments, in order.
    own: Vec<Comment>,
    /// Anchor offset → output line.
    at: BTreeMap<usize, usize>,
}

fn layout(src: &str, stmts: &[Stmt]) -> String {
    let mut points = Vec::new();
    anchors(src, stmts, &mut points);
    points.sort_unstable();
    let all = comments(src);
    let mut own = Vec::new();
    let mut eol = Vec::new();
    for c in all {
        // the last code end at or before the comment, on its line
        let k = points.partition_point(|&p| p <= c.start);
        match k.checked_sub(1).map(|k| points[k]) {
            Some(p) if p > c.line_start => eol.push((p, c)),
            _ => own.push(c),
        }
    }
    let mut line_starts = vec![0];
    let mut annotated = Vec::new();
    let mut pending = false;
    for line in src.split_inclusive('\n') {
        line_starts.push(line_starts[line_starts.len() - 1] + line.len());
        if syntax::has_code(line) {
            annotated.push(pending || syntax::comment_start(line).is_some());
            pending = false;
        } else {
            annotated.push(false);
            pending |= syntax::comment_start(line).is_some();
        }
    }
    let mut l = Layout {
        src,
        line_starts,
        annotated,
        lines: Vec::new(),
        own,
        at: BTreeMap::new(),
    };
    let start = if src.starts_with('\u{feff}') { 3 } else { 0 };
    l.body(stmts, start, src.len(), 0);
    for (p, c) in eol {
        let text = src[c.start..c.end].to_string();
        match l.at.range(..=p).next_back() {
            Some((_, &line)) => l.lines[line].comments.push(text),
            None => l.lines.push(Line {
                indent: 0,
                text,
                comments: Vec::new(),
            }),
        }
    }
    let mut out = String::with_capacity(src.len());
    if start == 3 {
        out.push('\u{feff}');
    }
    for line in &l.lines {
        if !line.text.is_empty() {
            push_indent(&mut out, line.indent);
            out.push_str(&line.text);
        }
        let mut cs = line.comments.iter();
        if let Some(c) = cs.next() {
            if !line.text.is_empty() {
                out.push_str("  ");
            }
            out.push_str(c);
        }
        // never expected: a second end-of-line comment goes on its own line
        for c in cs {
            out.push('\n');
            push_indent(&mut out, line.indent);
            out.push_str(c);
        }
        out.push('\n');
    }
    out
}

fn push_indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push_str("  ");
    }
}

fn stmt_span(s: &Stmt) -> Span {
    match s {
        Stmt::Attr(a) => a.span,
        Stmt::Block(b) => b.span,
    }
}

/// Whether the source between two items holds a blank line.
fn blank_between(text: &str) -> bool {
    let parts: Vec<&str> = text.split('\n').collect();
    parts.len() > 2
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| p.trim().is_empty())
}

/// An item of a sequence (a block's body, the file, a list).
enum Item<'t, T> {
    Node(&'t T),
    Comment(Comment),
}

impl<'a> Layout<'a> {
    fn line(&mut self, indent: usize, text: String) -> usize {
        self.lines.push(Line {
            indent,
            text,
            comments: Vec::new(),
        });
        self.lines.len() - 1
    }

    fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    /// The nodes of `[lo, hi)` and the own-line comments between them, in order.
    fn items<'t, T>(
        &self,
        nodes: &'t [T],
        span: impl Fn(&T) -> Span,
        lo: usize,
        hi: usize,
    ) -> Vec<(Span, Item<'t, T>)> {
        let mut out: Vec<(Span, Item<'t, T>)> = Vec::new();
        let mut cs = self
            .own
            .iter()
            .filter(|c| c.start >= lo && c.start < hi)
            .filter(|c| {
                !nodes.iter().any(|n| {
                    let s = span(n);
                    c.start >= s.start && c.start < s.end
                })
            })
            .peekable();
        for n in nodes {
            let s = span(n);
            while let Some(c) = cs.next_if(|c| c.start < s.start) {
                out.push((Span::new(c.start, c.end), Item::Comment(*c)));
            }
            out.push((s, Item::Node(n)));
        }
        for c in cs {
            out.push((Span::new(c.start, c.end), Item::Comment(*c)));
        }
        out
    }

    fn has_comment(&self, lo: usize, hi: usize) -> bool {
        let any = |c: &Comment| c.start >= lo && c.start < hi;
        self.own.iter().any(any) || comments_in(self.src, lo, hi)
    }

    /// The 0-based source line of a byte offset.
    fn line_of(&self, at: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= at)
            .saturating_sub(1)
    }

    /// The source line a statement stands on when it starts and ends there.
    fn one_line(&self, s: &Stmt) -> Option<usize> {
        let span = stmt_span(s);
        let l = self.line_of(span.start);
        (self.line_of(span.end.saturating_sub(1).max(span.start)) == l).then_some(l)
    }

    fn body(&mut self, stmts: &[Stmt], lo: usize, hi: usize, depth: usize) {
        let items = self.items(stmts, stmt_span, lo, hi);
        let mut prev: Option<usize> = None;
        let mut k = 0;
        while k < items.len() {
            let (s, item) = &items[k];
            if let Some(p) = prev
                && blank_between(self.src.get(p..s.start).unwrap_or(""))
            {
                self.blank();
            }
            prev = Some(s.end);
            k += 1;
            match item {
                Item::Comment(c) => {
                    let text = self.src[c.start..c.end].to_string();
                    self.line(depth, text);
                }
                Item::Node(stmt) => {
                    // a line that a comment annotates is not split, so that
                    // the comment keeps its scope: the statements that stand
                    // wholly on it stay on one line
                    let mut group = vec![*stmt];
                    let mut k2 = k;
                    if let Some(l) = self.one_line(stmt).filter(|&l| self.annotated[l]) {
                        while let Some((_, Item::Node(next))) = items.get(k2) {
                            if self.one_line(next) != Some(l) {
                                break;
                            }
                            group.push(*next);
                            k2 += 1;
                        }
                    }
                    let nested = matches!(stmt, Stmt::Block(b) if !b.body.is_empty());
                    let annotated = self.one_line(stmt).is_some_and(|l| self.annotated[l]);
                    if annotated && (group.len() > 1 || nested) && self.whole_line(&group) {
                        k = k2;
                        prev = group.last().map(|g| stmt_span(g).end);
                        let text: Vec<String> = group.iter().map(|s| self.inline_stmt(s)).collect();
                        let n = self.line(depth, text.join("; "));
                        let mut points = Vec::new();
                        for g in &group {
                            anchors(self.src, std::slice::from_ref(*g), &mut points);
                        }
                        for p in points {
                            self.at.insert(p, n);
                        }
                        continue;
                    }
                    match stmt {
                        Stmt::Attr(a) => {
                            let prefix = format!("{} = ", a.key.name);
                            self.value(&prefix, &a.value, "", depth);
                        }
                        Stmt::Block(b) => self.block(b, depth),
                    }
                }
            }
        }
    }

    /// Whether the statements are all the code of their line (but `;`), so
    /// that the comments annotating the line still annotate them when they
    /// stay together.
    fn whole_line(&self, group: &[&Stmt]) -> bool {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            return false;
        };
        let (start, end) = (stmt_span(first).start, stmt_span(last).end);
        let line = self.line_of(start);
        let line_start = self.line_starts.get(line).copied().unwrap_or(0);
        let line_end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.src.len());
        let blank = |t: &str| {
            t.chars()
                .all(|c| c.is_whitespace() || c == ';' || c == '\u{feff}')
        };
        let before = self.src.get(line_start..start).unwrap_or("x");
        let after = self.src.get(end..line_end).unwrap_or("x");
        let after = match syntax::comment_start(after) {
            Some(i) => &after[..i],
            None => after,
        };
        blank(before) && blank(after)
    }

    /// A statement on one line: `key = value`, `kind id { a = 1; b = 2 }`.
    fn inline_stmt(&self, s: &Stmt) -> String {
        match s {
            Stmt::Attr(a) => format!("{} = {}", a.key.name, self.inline(&a.value)),
            Stmt::Block(b) => {
                let mut head = b.kind.name.to_string();
                if let Some(id) = &b.id {
                    head.push(' ');
                    head.push_str(id.name);
                }
                if b.body.is_empty() {
                    format!("{head} {{}}")
                } else {
                    let body: Vec<String> = b.body.iter().map(|s| self.inline_stmt(s)).collect();
                    format!("{head} {{ {} }}", body.join("; "))
                }
            }
        }
    }

    fn block(&mut self, b: &Block, depth: usize) {
        let mut head = b.kind.name.to_string();
        if let Some(id) = &b.id {
            head.push(' ');
            head.push_str(id.name);
        }
        let brace = brace_end(self.src, b);
        let close = b.span.end.saturating_sub(1).max(brace);
        if b.body.is_empty() && !self.has_comment(brace, close) {
            let n = self.line(depth, format!("{head} {{}}"));
            self.at.insert(brace, n);
            self.at.insert(b.span.end, n);
            return;
        }
        let n = self.line(depth, format!("{head} {{"));
        self.at.insert(brace, n);
        self.body(&b.body, brace, close, depth + 1);
        let n = self.line(depth, "}".into());
        self.at.insert(b.span.end, n);
    }

    /// A value after `prefix` and before `suffix`, at `depth`.
    fn value(&mut self, prefix: &str, v: &Value, suffix: &str, depth: usize) {
        if let ValueKind::List(items) = &v.kind {
            let one = format!("{prefix}{}{suffix}", self.inline(v));
            let wide = depth * 2 + one.chars().count() > WIDTH;
            if (wide || self.has_comment(v.span.start, v.span.end)) && !items.is_empty() {
                let n = self.line(depth, format!("{prefix}["));
                self.at.insert(v.span.start + 1, n);
                let lo = v.span.start + 1;
                let hi = v.span.end.saturating_sub(1).max(lo);
                for (_, item) in self.items(items, |i: &Value| i.span, lo, hi) {
                    match item {
                        Item::Comment(c) => {
                            let text = self.src[c.start..c.end].to_string();
                            self.line(depth + 1, text);
                        }
                        Item::Node(it) => self.value("", it, ",", depth + 1),
                    }
                }
                let n = self.line(depth, format!("]{suffix}"));
                self.at.insert(v.span.end, n);
                return;
            }
            let n = self.line(depth, one);
            self.at.insert(v.span.end, n);
            return;
        }
        let n = self.line(depth, format!("{prefix}{}{suffix}", self.inline(v)));
        self.at.insert(v.span.end, n);
    }

    /// A value on one line.
    fn inline(&self, v: &Value) -> String {
        let text = |s: Span| self.src.get(s.start..s.end).unwrap_or("").to_string();
        match &v.kind {
            ValueKind::Quantity(q) => self.quantity(q),
            ValueKind::Range(lo, hi) => format!("{} .. {}", self.quantity(lo), self.quantity(hi)),
            ValueKind::Tolerance(n, t) => {
                let op = self
                    .src
                    .get(n.span.end..t.span.start)
                    .map_or("±", str::trim);
                format!("{} {op} {}", self.quantity(n), self.quantity(t))
            }
            ValueKind::List(items) => {
                let items: Vec<String> = items.iter().map(|i| self.inline(i)).collect();
                format!("[{}]", items.join(", "))
            }
            ValueKind::Ref(a, b) => format!("{}.{}", a.name, b.name),
            ValueKind::Str(_) | ValueKind::Bool(_) | ValueKind::Symbol(_) | ValueKind::Error => {
                text(v.span)
            }
        }
    }

    /// `number unit`, both as written.
    fn quantity(&self, q: &syntax::Quantity) -> String {
        let number_end = if q.has_unit() { q.unit_at } else { q.span.end };
        let number = self
            .src
            .get(q.span.start..number_end)
            .unwrap_or("")
            .trim_end_matches([' ', '\t']);
        if q.unit_text.is_empty() {
            number.to_string()
        } else {
            format!("{number} {}", q.unit_text)
        }
    }
}

/// Whether any comment (of either kind) starts in `[lo, hi)`.
fn comments_in(src: &str, lo: usize, hi: usize) -> bool {
    let (Some(lo_line), Some(text)) = (
        src.get(..lo).map(|s| s.rfind('\n').map_or(0, |i| i + 1)),
        src.get(..hi),
    ) else {
        return false;
    };
    let mut start = lo_line;
    for line in text[lo_line..].split_inclusive('\n') {
        if let Some(i) = syntax::comment_start(line) {
            let at = start + i;
            if at >= lo && at < hi {
                return true;
            }
        }
        start += line.len();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        match format(s) {
            Formatted::Text(t) => t,
            other => panic!("not formatted: {other:?}"),
        }
    }

    #[test]
    fn splits_joined_statements_and_spaces_values() {
        let src = "vehicle v {name=\"V\"; mass = 1..2t; port p { power { voltage=120V+/-5%;current = 3A } } }\n";
        assert_eq!(
            fmt(src),
            "vehicle v {\n  name = \"V\"\n  mass = 1 .. 2 t\n  port p {\n    power {\n      voltage = 120 V +/- 5 %\n      current = 3 A\n    }\n  }\n}\n"
        );
    }

    #[test]
    fn keeps_numbers_strings_and_comments_as_written() {
        let src = "# head\nvehicle v { # after brace\n  name = \"a\\u{41}\\n\"   # eol\n\n\n  # own\n  mass = 0.10 .. 1e3 kg ; tags = []\n}\n";
        assert_eq!(
            fmt(src),
            "# head\nvehicle v {  # after brace\n  name = \"a\\u{41}\\n\"  # eol\n\n  # own\n  mass = 0.10 .. 1e3 kg; tags = []\n}\n"
        );
    }

    #[test]
    fn breaks_long_lists_and_lists_with_comments() {
        let items: Vec<String> = (0..12).map(|i| format!("\"tag-number-{i}\"")).collect();
        let src = format!("vehicle v {{ tags = [{}] }}", items.join(","));
        let out = fmt(&src);
        assert!(out.contains("  tags = [\n    \"tag-number-0\",\n"), "{out}");
        assert!(out.contains("    \"tag-number-11\",\n  ]\n}\n"), "{out}");
        let src = "vehicle v { tags = [\"a\", # first\n \"b\"] }";
        assert_eq!(
            fmt(src),
            "vehicle v {\n  tags = [\n    \"a\",  # first\n    \"b\",\n  ]\n}\n"
        );
    }

    #[test]
    fn empty_blocks_blank_lines_and_edges() {
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("\n\n# only\n\n\n"), "# only\n");
        assert_eq!(
            fmt("\n\nvehicle a {\n\n name = \"A\"\n\n}\n\n\n\nvehicle b {}\n\n"),
            "vehicle a {\n  name = \"A\"\n}\n\nvehicle b {}\n"
        );
        assert_eq!(
            fmt("vehicle b {\n  # inside\n}"),
            "vehicle b {\n  # inside\n}\n"
        );
        assert_eq!(fmt("\u{feff}format = 1"), "\u{feff}format = 1\n");
        assert_eq!(fmt("format = 1\r\n"), "format = 1\n");
    }

    #[test]
    fn a_line_a_comment_annotates_is_not_split() {
        let src = "port p {\n  docking {system=\"X\";role = active}   # waiver: X\n  a=1;b=2 # expect: Y\n  # waiver: Z\n\n  c = 3; d {e = 4}\n  f = 5; g = 6\n}\n";
        assert_eq!(
            fmt(src),
            "port p {\n  docking { system = \"X\"; role = active }  # waiver: X\n  a = 1; b = 2  # expect: Y\n  # waiver: Z\n\n  c = 3; d { e = 4 }\n  f = 5\n  g = 6\n}\n"
        );
    }

    #[test]
    fn refuses_syntax_errors_and_honours_the_marker() {
        assert!(matches!(format("vehicle v {"), Formatted::Errors(_)));
        assert!(matches!(format("a = = 1"), Formatted::Errors(_)));
        assert_eq!(format("# fmt: off\nformat   =   1\n"), Formatted::Off);
        assert!(is_off("format = 1\n  # fmt: off\n"));
        assert!(!is_off("format = 1  # fmt: off\n# fmt: offline\n"));
    }

    #[test]
    fn idempotent_on_a_messy_file() {
        let src = "vehicle v{name=\"V\";port p{docking{system=\"NDS\";role=passive} # d\n}}\nmating m{chaser=v.p;target=v.p}";
        let once = fmt(src);
        assert_eq!(fmt(&once), once);
    }
}
