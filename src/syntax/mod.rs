//! Text to syntax tree: spans, the tree, and the nom parser with recovery.
//! This stage knows nothing of units' meaning or of the vocabulary.

pub mod ast;
pub mod parser;

pub use ast::*;
pub use parser::{
    ErrorCode, MAX_BLOCK_DEPTH, Parsed, SyntaxError, parse, parse_each, parse_limited, parse_value,
    parse_with,
};

/// The byte offset of the `#` that starts a comment on this line, outside
/// strings (for tools that read comments: waivers, fixture annotations).
pub fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '#' {
            return Some(i);
        }
    }
    None
}

/// Whether a line holds anything but blanks and a comment.
pub fn has_code(line: &str) -> bool {
    let code = match comment_start(line) {
        Some(i) => &line[..i],
        None => line,
    };
    !code.trim().is_empty()
}

/// The 0-based line a comment on line `n` annotates: its own line when it
/// ends a line of code, else the next line that is not blank or a comment.
pub fn annotated_line(lines: &[&str], n: usize) -> Option<usize> {
    if lines.get(n).is_some_and(|l| has_code(l)) {
        return Some(n);
    }
    (n + 1..lines.len()).find(|&k| has_code(lines[k]))
}
