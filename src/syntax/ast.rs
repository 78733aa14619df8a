//! The syntax tree: what the text says, with a byte span on every node.
//! Nothing here knows about units' meaning or the vocabulary. The tree
//! borrows its names, unit texts and strings (those without escapes) from
//! the source text: parsing allocates only the tree's nodes.

use crate::units::UnitFactor;
use std::borrow::Cow;

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
pub struct Ident<'a> {
    /// Borrowed from the source text.
    pub name: &'a str,
    pub span: Span,
}

/// A statement: a block or an attribute.
#[derive(Clone, Debug, PartialEq)]
pub enum Stmt<'a> {
    Block(Block<'a>),
    Attr(Attr<'a>),
}

impl Stmt<'_> {
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
pub struct Block<'a> {
    pub kind: Ident<'a>,
    pub id: Option<Ident<'a>>,
    pub body: Vec<Stmt<'a>>,
    /// From the kind to the closing brace (or to the end of the file when it
    /// was never closed).
    pub span: Span,
}

impl Block<'_> {
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
pub struct Attr<'a> {
    pub key: Ident<'a>,
    pub value: Value<'a>,
    pub span: Span,
}

/// A value with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Value<'a> {
    pub kind: ValueKind<'a>,
    pub span: Span,
}

/// A number as written, with its optional unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity<'a> {
    pub number: f64,
    /// The unit expression as written (empty when bare), borrowed from the
    /// source. Its factors are read from it when needed
    /// ([`Quantity::factors`]); a lowering resolves each distinct unit text
    /// once.
    pub unit_text: &'a str,
    /// The byte offset of `unit_text` in the source (the end of the number
    /// when bare).
    pub unit_at: usize,
    pub span: Span,
}

impl<'a> Quantity<'a> {
    /// Whether a unit is written.
    pub fn has_unit(&self) -> bool {
        !self.unit_text.is_empty()
    }
    /// The unit's factors, with spans in the source. The parser accepted
    /// the unit text, so it reads back; empty when bare.
    pub fn factors(&self) -> Vec<UnitFactor<'a>> {
        if !self.has_unit() {
            return Vec::new();
        }
        let mut out = crate::units::parse_unit_text(self.unit_text).unwrap_or_default();
        for f in &mut out {
            f.span = (f.span.0 + self.unit_at, f.span.1 + self.unit_at);
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind<'a> {
    Quantity(Quantity<'a>),
    Range(Quantity<'a>, Quantity<'a>),
    /// `nominal ± tolerance`; a `%` tolerance has the unit `%`.
    Tolerance(Quantity<'a>, Quantity<'a>),
    /// Borrowed from the source unless it has escapes.
    Str(Cow<'a, str>),
    Bool(bool),
    Ref(Ident<'a>, Ident<'a>),
    Symbol(&'a str),
    List(Vec<Value<'a>>),
    /// A value that did not parse; a diagnostic was already emitted. The
    /// attribute stays in the tree so that it is not reported missing too.
    Error,
}

impl ValueKind<'_> {
    /// What kind of value this is, in words, for diagnostics.
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::Quantity(q) if !q.has_unit() => "a plain number",
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
