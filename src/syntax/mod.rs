//! Text to syntax tree: spans, the tree, and the nom parser with recovery.
//! This stage knows nothing of units' meaning or of the vocabulary.

pub mod ast;
pub mod parser;

pub use ast::*;
pub use parser::{ErrorCode, Parsed, SyntaxError, parse, parse_value, parse_with};
