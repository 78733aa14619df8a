//! The syntax tree: what the text says, with a byte span on every node.
//! Nothing here knows about units' meaning or the vocabulary.

use crate::units::UnitFactor;

/// A byte range `[start, end)` in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// As exported (`dockcheck export`), a span is written like the check
/// report's: `start` and `end` positions, each with a 1-based `line`, a
/// 1-based `column` (in Unicode scalar values) and a byte `offset`; `end`
/// is exclusive.
impl schemars::JsonSchema for Span {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Span".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let position = schemars::json_schema!({
            "type": "object",
            "properties": {
                "line": { "type": "integer", "minimum": 1, "description": "1-based line" },
                "column": { "type": "integer", "minimum": 1, "description": "1-based column, in Unicode scalar values" },
                "offset": { "type": "integer", "minimum": 0, "description": "byte offset" }
            },
            "required": ["line", "column", "offset"],
            "additionalProperties": false
        });
        schemars::json_schema!({
            "description": "A range of the source file; `end` is exclusive.",
            "type": "object",
            "properties": { "start": position, "end": position },
            "required": ["start", "end"],
            "additionalProperties": false
        })
    }
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }
    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// An identifier with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A statement: a block or an attribute.
#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Block(Block),
    Attr(Attr),
}

impl Stmt {
    /// The statement's span: a block's from its kind to its closing brace.
    pub fn span(&self) -> Span {
        match self {
            Stmt::Block(b) => b.span,
            Stmt::Attr(a) => a.span,
        }
    }
}

/// `kind [id] { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub kind: Ident,
    pub id: Option<Ident>,
    pub body: Vec<Stmt>,
    /// From the kind to the closing brace (or to the end of the file when it
    /// was never closed).
    pub span: Span,
}

impl Block {
    /// The header: kind and id.
    pub fn header(&self) -> Span {
        match &self.id {
            Some(id) => self.kind.span.join(id.span),
            None => self.kind.span,
        }
    }
}

/// `key = value`
#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    pub key: Ident,
    pub value: Value,
    pub span: Span,
}

/// A value with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

/// A number as written, with its optional unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    pub number: f64,
    /// The unit expression as written (empty when bare).
    pub unit_text: String,
    pub unit: Vec<UnitFactor>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    Quantity(Quantity),
    Range(Quantity, Quantity),
    /// `nominal ± tolerance`; a `%` tolerance has the unit `%`.
    Tolerance(Quantity, Quantity),
    Str(String),
    Bool(bool),
    Ref(Ident, Ident),
    Symbol(String),
    List(Vec<Value>),
    /// A value that did not parse; a diagnostic was already emitted. The
    /// attribute stays in the tree so that it is not reported missing too.
    Error,
}

impl ValueKind {
    /// What kind of value this is, in words, for diagnostics.
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::Quantity(q) if q.unit.is_empty() => "a plain number",
            ValueKind::Quantity(_) => "a quantity",
            ValueKind::Range(..) => "a range",
            ValueKind::Tolerance(..) => "a tolerance",
            ValueKind::Str(_) => "a string",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::Ref(..) => "a reference",
            ValueKind::Symbol(_) => "a symbol",
            ValueKind::List(_) => "a list",
            ValueKind::Error => "an invalid value",
        }
    }
}
