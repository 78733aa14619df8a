//! Lowering: syntax tree → typed model, checking the vocabulary, kinds of
//! values, units and dimensions, ranges, duplicates and required attributes.

use super::vocab;
use super::*;
use crate::diagnostic::{Diagnostic, FileId, closest, codes};
use crate::syntax::{self, Attr, Block, Stmt, ValueKind};
use crate::units::{self, Dim, Unit, UnitError};

/// Lowers one parsed file. Diagnostics are appended to `diags`.
pub fn lower(file: FileId, src: &str, stmts: &[Stmt], diags: &mut Vec<Diagnostic>) -> Model {
    let mut lw = Lowerer::new(file, src, diags);
    let model = lw.file_level(stmts, Vec::new());
    lw.finish(model)
}

/// Lowers one file while it is parsed: `parse` hands each top-level
/// statement over as soon as it is complete (see
/// [`crate::syntax::parse_each`]); a vehicle is lowered there and its tree
/// dropped, so a large file's whole tree never exists. The other top-level
/// statements (format, matings) are kept and lowered at the end, matings
/// after every vehicle. The model and the diagnostics are those of
/// [`lower`] on the whole tree (diagnostics perhaps in another order; they
/// are sorted for output).
pub fn lower_each<'s>(
    file: FileId,
    src: &'s str,
    diags: &mut Vec<Diagnostic>,
    parse: impl FnOnce(&mut dyn FnMut(Stmt<'s>)),
) -> Model {
    let mut lw = Lowerer::new(file, src, diags);
    let mut vehicles = Vec::new();
    let mut rest = Vec::new();
    parse(&mut |s| match s {
        // what `fields` checks of a top-level vehicle block: a known block
        // with an id (duplicate vehicles are found across files by `world`)
        Stmt::Block(b) if b.kind.name == "vehicle" && b.id.is_some() => {
            vehicles.push(lw.vehicle(&b));
        }
        other => rest.push(other),
    });
    let model = lw.file_level(&rest, vehicles);
    lw.finish(model)
}

impl<'d> Lowerer<'d> {
    fn new(file: FileId, src: &'d str, diags: &'d mut Vec<Diagnostic>) -> Lowerer<'d> {
        let left = crate::diagnostic::MAX_PER_FILE.saturating_sub(diags.len());
        Lowerer {
            file,
            src,
            diags,
            left,
            suppressed: 0,
            prefix: "",
            invalid: Vec::new(),
            vehicles: Vec::new(),
        }
    }

    /// The model, after the note of the diagnostics dropped past the limit.
    fn finish(self, model: Model) -> Model {
        if self.suppressed > 0 {
            self.diags
                .push(crate::diagnostic::limit_note(self.file, self.suppressed));
        }
        model
    }
}

struct Lowerer<'d> {
    file: FileId,
    /// The source text, so that values keep their text as written.
    src: &'d str,
    /// How many more diagnostics this file may report, and how many were
    /// dropped past that.
    left: usize,
    suppressed: usize,
    diags: &'d mut Vec<Diagnostic>,
    /// Where the block being lowered sits (`docking.capture`), and the paths
    /// written there whose values had a language error, for `Port::invalid`.
    prefix: &'static str,
    invalid: Vec<String>,
    /// This file's vehicles while its matings are lowered, for hints on
    /// refs (moved here and back, not copied).
    vehicles: Vec<Vehicle>,
}

/// Unit texts → the unit and the models' shared copy of the text.
type UnitCache =
    std::collections::HashMap<Box<str>, (Unit, std::sync::Arc<str>), foldhash::fast::FixedState>;

/// How many unit texts (and range texts) a thread keeps, and how long each
/// may be:
/// a file (or a run) of many distinct or long unit texts costs a resolution
/// for each, never unbounded memory.
const CACHE_ENTRIES: usize = 4096;
const CACHE_TEXT: usize = 64;

thread_local! {
    /// The units resolved so far on this thread, by unit text: the files a
    /// thread lowers share them (resolving a unit depends on its text only).
    static UNITS: std::cell::RefCell<UnitCache> =
        std::cell::RefCell::new(UnitCache::from_iter([("".into(), (Unit::ONE, "".into()))]));
}

thread_local! {
    /// The range texts made so far on this thread (a fleet writes the same
    /// few ranges over and over), bounded as the unit cache is.
    static TEXTS: std::cell::RefCell<std::collections::HashSet<std::sync::Arc<str>, foldhash::fast::FixedState>> =
        Default::default();
}

/// `text` as a shared text: the copy this thread made before, when it is
/// short and the cache has room.
fn shared_text(text: &str) -> std::sync::Arc<str> {
    if text.len() > CACHE_TEXT {
        return text.into();
    }
    TEXTS.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(t) = c.get(text) {
            return t.clone();
        }
        let t: std::sync::Arc<str> = text.into();
        if c.len() < CACHE_ENTRIES {
            c.insert(t.clone());
        }
        t
    })
}

fn cached_unit(text: &str) -> Option<(Unit, std::sync::Arc<str>)> {
    UNITS.with(|c| c.borrow().get(text).cloned())
}

fn cache_unit(text: &str, u: Unit) {
    if text.len() > CACHE_TEXT {
        return;
    }
    UNITS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() < CACHE_ENTRIES {
            c.insert(text.into(), (u, std::sync::Arc::from(text)));
        }
    });
}

/// What a value must be.
#[derive(Clone, Copy)]
enum Want {
    Str,
    StrList,
    Symbol(&'static [&'static str], &'static str),
    Count,
    Quantity(Dim, bool),
    /// A range (or tolerance); `single_ok`: a single value is accepted too.
    Range(Dim, bool, bool),
    Ref,
}

/// Attributes and child blocks of one block, checked for unknown names and
/// duplicates.
struct Fields<'t> {
    /// (Held inline: most blocks have a handful of each.)
    attrs: smallvec::SmallVec<[&'t Attr<'t>; 8]>,
    blocks: smallvec::SmallVec<[&'t Block<'t>; 8]>,
    /// The block's header span, for "missing" diagnostics.
    header: Span,
    kind: &'static str,
}

impl<'t> Fields<'t> {
    fn attr(&self, key: &str) -> Option<&'t Attr<'t>> {
        self.attrs.iter().copied().find(|a| a.key.name == key)
    }
    fn blocks_of(&self, kind: &'static str) -> impl Iterator<Item = &'t Block<'t>> + '_ {
        self.blocks
            .iter()
            .copied()
            .filter(move |b| b.kind.name == kind)
    }
    fn block(&self, kind: &'static str) -> Option<&'t Block<'t>> {
        self.blocks_of(kind).next()
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// "which is a voltage", or "of dimension m^2" for an unnamed dimension.
fn dim_phrase(d: Dim) -> String {
    let name = d.name();
    if !d.is_named() {
        format!("of dimension {name}")
    } else {
        format!("which is {} {name}", article(&name))
    }
}

fn want_words(w: Want) -> String {
    match w {
        Want::Str => "a string".into(),
        Want::StrList => "a list of strings".into(),
        Want::Symbol(opts, what) => format!("{} {what} ({})", article(what), opts.join(", ")),
        Want::Count => "a plain count".into(),
        Want::Quantity(d, _) => format!("{} {}", article(&d.name()), d.name()),
        Want::Range(d, _, true) => format!(
            "{} {} or a range of {}",
            article(&d.name()),
            d.name(),
            d.name()
        ),
        Want::Range(d, _, false) => format!(
            "a range of {} (`lo .. hi` or `nominal ± tolerance`)",
            d.name()
        ),
        Want::Ref => "a reference `vehicle.port`".into(),
    }
}

impl Lowerer<'_> {
    /// [`Lowerer::written`], shared with every equal text the thread lowers.
    fn written_shared(&self, v: &syntax::Value) -> std::sync::Arc<str> {
        match self.src.get(v.span.start..v.span.end) {
            Some(t) if !t.is_empty() => shared_text(t),
            _ => self_text(v).into(),
        }
    }

    /// A value's text as written in the source (normalised when unavailable).
    fn written(&self, v: &syntax::Value) -> String {
        match self.src.get(v.span.start..v.span.end) {
            Some(t) if !t.is_empty() => t.to_string(),
            _ => self_text(v),
        }
    }

    fn emit(&mut self, d: Diagnostic) {
        if self.left == 0 {
            self.suppressed += 1;
            return;
        }
        self.left -= 1;
        self.diags.push(d);
    }

    fn err(&mut self, code: &str, span: Span, msg: impl Into<String>, help: Option<String>) {
        let label = match code {
            codes::UNIT => "wrong unit",
            codes::TYPE => "not the kind of value it needs",
            codes::RANGE => "out of range",
            codes::UNKNOWN => "not in the vocabulary",
            _ => "here",
        };
        let d = Diagnostic::error(code, self.file, span, msg)
            .with_help_opt(help)
            .with_label(label);
        self.emit(d);
    }

    fn err_label(
        &mut self,
        code: &str,
        span: Span,
        msg: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        let d = Diagnostic::error(code, self.file, span, msg)
            .with_help_opt(help)
            .with_label(label);
        self.emit(d);
    }

    /// Sorts a block's statements into attributes and blocks, reporting
    /// unknown names and duplicates.
    fn fields<'t>(&mut self, body: &'t [Stmt], kind: &'static str, header: Span) -> Fields<'t> {
        let (attrs, blocks) = (vocab::attrs(kind), vocab::children(kind));
        let mut f = Fields {
            attrs: smallvec::SmallVec::new(),
            blocks: smallvec::SmallVec::new(),
            header,
            kind,
        };
        // ids of keyed blocks seen so far, so that duplicates cost O(1) each
        let mut ids: foldhash::HashMap<(&'t str, &'t str), &'t Block> =
            foldhash::HashMap::default();
        for s in body {
            match s {
                Stmt::Attr(a) => {
                    let name = a.key.name;
                    // a statement that did not parse was reported already:
                    // keep its key (so it is not "missing") and say no more
                    let broken = matches!(a.value.kind, ValueKind::Error);
                    if broken && (!attrs.contains(&name) || f.attr(name).is_some()) {
                        continue;
                    }
                    if !attrs.contains(&name) {
                        let msg = if blocks.contains(&name) {
                            format!(
                                "`{name}` is a block in {} `{kind}`, not an attribute",
                                article(kind)
                            )
                        } else {
                            format!("unknown attribute `{name}` in {} `{kind}`", article(kind))
                        };
                        let help = if blocks.contains(&name) {
                            Some(format!("write `{name} {{ ... }}`"))
                        } else {
                            suggest(name, attrs, blocks, kind)
                        };
                        self.err(codes::UNKNOWN, a.key.span, msg, help);
                        continue;
                    }
                    if let Some(first) = f.attr(name) {
                        let d = Diagnostic::error(
                            codes::DUPLICATE,
                            self.file,
                            a.key.span,
                            format!("duplicate attribute `{name}`"),
                        )
                        .with_label("defined again here")
                        .with_related(self.file, first.key.span, "first defined here")
                        .with_help("remove one of the two");
                        self.emit(d);
                        continue;
                    }
                    f.attrs.push(a);
                }
                Stmt::Block(b) => {
                    let name = b.kind.name;
                    if !blocks.contains(&name) {
                        let msg = if attrs.contains(&name) {
                            format!(
                                "`{name}` is an attribute of {} `{kind}`, not a block",
                                article(kind)
                            )
                        } else {
                            format!("unknown block `{name}` in {} `{kind}`", article(kind))
                        };
                        let help = if attrs.contains(&name) {
                            Some(format!("write `{name} = ...`"))
                        } else {
                            suggest(name, blocks, attrs, kind)
                        };
                        self.err(codes::UNKNOWN, b.kind.span, msg, help);
                        continue;
                    }
                    let keyed = vocab::block_def(name).is_some_and(|d| d.keyed);
                    if keyed {
                        let Some(id) = &b.id else {
                            self.err(
                                codes::SYNTAX,
                                b.kind.span,
                                format!("a `{name}` block needs an id"),
                                Some(format!(
                                    "write `{name} ID {{ ... }}`, e.g. `{name} main {{ ... }}`"
                                )),
                            );
                            continue;
                        };
                        // vehicles are checked across files by `world`
                        if name != "vehicle"
                            && let Some(first) = ids.get(&(name, id.name)).copied()
                        {
                            let d = Diagnostic::error(
                                codes::DUPLICATE,
                                self.file,
                                id.span,
                                format!("duplicate {name} id `{}`", id.name),
                            )
                            .with_label("defined again here")
                            .with_related(
                                self.file,
                                first.id.as_ref().map_or(first.kind.span, |i| i.span),
                                "first defined here",
                            )
                            .with_help(format!("give each {name} its own id"));
                            self.emit(d);
                            continue;
                        }
                    } else {
                        if let Some(id) = &b.id {
                            self.err(
                                codes::SYNTAX,
                                id.span,
                                format!("a `{name}` block takes no id"),
                                Some(format!("write `{name} {{ ... }}`")),
                            );
                            continue;
                        }
                        if let Some(first) = f.blocks_of_dyn(name).next() {
                            let d = Diagnostic::error(
                                codes::DUPLICATE,
                                self.file,
                                b.kind.span,
                                format!("duplicate `{name}` block"),
                            )
                            .with_label("defined again here")
                            .with_related(self.file, first.kind.span, "first defined here")
                            .with_help(format!(
                                "{} `{kind}` has at most one `{name}` block; merge them",
                                article(kind)
                            ));
                            self.emit(d);
                            continue;
                        }
                    }
                    // vehicles are checked across files by `world`, not here
                    if let (Some(id), false) = (&b.id, name == "vehicle") {
                        ids.entry((name, id.name)).or_insert(b);
                    }
                    f.blocks.push(b);
                }
            }
        }
        f
    }

    /// `ICD-MISSING` for a required attribute. It counts as invalid too:
    /// the rules that read it say nothing more (one error, one diagnostic).
    fn missing(&mut self, f: &Fields, key: &str, example: &str) {
        if f.attr(key).is_none() {
            self.invalid.push(match self.prefix {
                "" => key.to_string(),
                p => format!("{p}.{key}"),
            });
            let d = Diagnostic::error(
                codes::MISSING,
                self.file,
                f.header,
                format!("{} `{}` needs `{key}`", article(f.kind), f.kind),
            )
            .with_label(format!("this {} has no `{key}`", f.kind))
            .with_help(format!("add `{key} = {example}`"));
            self.emit(d);
        }
    }

    // ------------------------------------------------------------ values

    /// The attribute's value if it has the wanted kind; diagnostics otherwise.
    /// An attribute that is written but invalid is recorded as such, so that
    /// rules reading it skip the port instead of calling it missing.
    fn get(&mut self, f: &Fields, key: &str, want: Want) -> Option<Typed> {
        f.attr(key)?;
        let typed = self.get_checked(f, key, want);
        if typed.is_none() {
            self.invalid.push(match self.prefix {
                "" => key.to_string(),
                p => format!("{p}.{key}"),
            });
        }
        typed
    }

    fn get_checked(&mut self, f: &Fields, key: &str, want: Want) -> Option<Typed> {
        let a = f.attr(key)?;
        let v = &a.value;
        if matches!(v.kind, ValueKind::Error) {
            return None;
        }
        // the dimension before the shape: `voltage = 28 A` is a unit error,
        // and a hint about its shape would lead to another one
        if let Want::Quantity(dim, _) | Want::Range(dim, _, _) = want {
            self.dimension_first(key, v, want, dim)?;
        }
        let wrong = |lw: &mut Self| {
            let found = v.kind.describe();
            let mut help = None;
            if let (Want::Range(dim, _, false), ValueKind::Quantity(q)) = (want, &v.kind) {
                let unit = if q.unit_text.is_empty() {
                    units::example_unit(dim).unwrap_or_default()
                } else {
                    q.unit_text
                };
                help = Some(format!(
                    "write a range, e.g. `{key} = {}`",
                    fix(want, v, unit)
                ));
            }
            if let (Want::Str, ValueKind::Symbol(s)) = (want, &v.kind) {
                help = Some(format!("quote it: `{key} = \"{s}\"`"));
            }
            if let ValueKind::Str(s) = &v.kind
                && unquoted_fits(s, want)
            {
                help = Some(format!("remove the quotes: `{key} = {}`", s.trim()));
            }
            if let (Want::Ref, ValueKind::Symbol(s)) = (want, &v.kind) {
                help = Some(lw.ref_help(s));
            }
            lw.err_label(
                codes::TYPE,
                v.span,
                format!("`{key}` must be {}, found {found}", want_words(want)),
                format!("{found}, not {}", want_words(want)),
                help,
            );
            None
        };
        match (want, &v.kind) {
            (Want::Str, ValueKind::Str(s)) => Some(Typed::Str(s.to_string())),
            (Want::StrList, ValueKind::List(items)) => {
                let mut out = Vec::new();
                for it in items {
                    match &it.kind {
                        ValueKind::Str(s) => out.push(s.to_string()),
                        other => {
                            self.err_label(
                                codes::TYPE,
                                it.span,
                                format!(
                                    "`{key}` must be a list of strings, found {} in it",
                                    other.describe()
                                ),
                                format!("{}, not a string", other.describe()),
                                Some("quote every item: `[\"crew\", \"cargo\"]`".into()),
                            );
                            return None;
                        }
                    }
                }
                Some(Typed::StrList(out))
            }
            (Want::Symbol(opts, what), ValueKind::Symbol(s)) => {
                if let Some(o) = opts.iter().find(|o| **o == *s) {
                    Some(Typed::Sym(o))
                } else {
                    let help = match closest(s, opts.iter().copied()) {
                        _ if key == "role" && matches!(*s, "chaser" | "target") => format!(
                            "`chaser` and `target` are not docking roles: they belong in a `mating` block (`mating ID {{ chaser = vehicle.port; target = vehicle.port }}`); a port's `role` is one of {}; the chaser's port is usually `role = active`",
                            opts.join(", ")
                        ),
                        Some(c) => format!(
                            "did you mean `{c}`? write `{key} = {c}`; {what} is one of: {}",
                            opts.join(", ")
                        ),
                        None => format!("{what} is one of: {}", opts.join(", ")),
                    };
                    self.err_label(
                        codes::TYPE,
                        v.span,
                        format!("`{s}` is not {} {what}", article(what)),
                        format!("not one of {}", opts.join(", ")),
                        Some(help),
                    );
                    None
                }
            }
            (Want::Symbol(opts, _), ValueKind::Str(s)) if opts.contains(&s.as_ref()) => {
                self.err_label(
                    codes::TYPE,
                    v.span,
                    format!("`{key}` must be {}, found a string", want_words(want)),
                    "a string, not a symbol",
                    Some(format!("remove the quotes: `{key} = {s}`")),
                );
                None
            }
            (Want::Count, ValueKind::Quantity(q)) => self.count(key, q).map(Typed::Q),
            (Want::Quantity(dim, nonneg), ValueKind::Quantity(q)) => {
                self.quantity(key, q, dim, nonneg, None).map(Typed::Q)
            }
            (Want::Range(dim, nonneg, _), ValueKind::Range(lo, hi)) => {
                self.range(key, v.span, lo, hi, dim, nonneg).map(Typed::R)
            }
            (Want::Range(dim, nonneg, _), ValueKind::Tolerance(nom, tol)) => self
                .tolerance(key, v.span, nom, tol, dim, nonneg)
                .map(Typed::R),
            (Want::Range(dim, nonneg, true), ValueKind::Quantity(q)) => {
                let q = self.quantity(key, q, dim, nonneg, None)?;
                Some(Typed::R(Range {
                    lo: q.clone(),
                    hi: q,
                    // (set by the getter, `rng` or `voltage`, from the attribute)
                    text: shared_text(""),
                }))
            }
            (Want::Ref, ValueKind::Ref(a, b)) => Some(Typed::Ref(PortRef {
                vehicle: Spanned::new(a.name.to_string(), a.span),
                port: Spanned::new(b.name.to_string(), b.span),
            })),
            _ => wrong(self),
        }
    }

    /// Checks the units of a numeric value against the wanted dimension
    /// before anything else: an unknown unit (with a suggestion of that
    /// dimension), a unit of another dimension, or no unit at all. Each is one
    /// `ICD-UNIT` whose help is the corrected attribute.
    fn dimension_first(
        &mut self,
        key: &str,
        v: &syntax::Value,
        want: Want,
        dim: Dim,
    ) -> Option<()> {
        if dim == Dim::NONE || unit_parts(&v.kind).next().is_none() {
            return Some(());
        }
        for q in unit_parts(&v.kind) {
            if !q.has_unit() {
                continue;
            }
            let unit = self.unit_of(q);
            if matches!(unit, Ok(u) if u.dim == dim) {
                continue;
            }
            // (the words of a diagnostic, made only for one)
            let dim_name = dim.name();
            let a = article(&dim_name);
            match unit {
                Ok(u) => {
                    let help = match units::example_unit(dim) {
                        Some(eu) => format!(
                            "use a unit of {dim_name} ({}): `{key} = {}`",
                            units::examples(dim),
                            fix(want, v, eu)
                        ),
                        None => format!("use a unit of {dim_name}: {}", units::examples(dim)),
                    };
                    let (is, label) = if u.dim.is_named() {
                        let n = u.dim.name();
                        (
                            format!("is {} {n}", article(&n)),
                            format!("{} {n}, not {a} {dim_name}", article(&n)),
                        )
                    } else {
                        (
                            format!("is of dimension {}", u.dim.name()),
                            format!("not {a} {dim_name}"),
                        )
                    };
                    self.err_label(
                        codes::UNIT,
                        q.span,
                        format!("`{key}` needs {a} {dim_name}; `{}` {is}", q.unit_text),
                        label,
                        Some(help),
                    );
                    return None;
                }
                Err(UnitError::Unknown { symbol, span }) => {
                    let single = q.factors().len() == 1;
                    let sugg = units::suggest(&symbol, single.then_some(dim))
                        .or_else(|| units::suggest(&symbol, None));
                    let help = match sugg {
                        Some(c) => {
                            // the unit with the symbol replaced, when that fits
                            let start = q.unit_at;
                            let unit_text = format!(
                                "{}{c}{}",
                                self.src.get(start..span.0).unwrap_or(""),
                                self.src.get(span.1..q.span.end).unwrap_or("")
                            );
                            let fits = units::parse_unit_text(&unit_text)
                                .and_then(|f| units::resolve(&f).ok())
                                .is_some_and(|u| u.dim == dim);
                            if fits {
                                format!(
                                    "did you mean `{c}`? write `{key} = {}`",
                                    fix(want, v, &unit_text)
                                )
                            } else {
                                format!(
                                    "did you mean `{c}`? see the unit table in docs/language.md"
                                )
                            }
                        }
                        None => format!(
                            "{a} {dim_name} is written in {}; see the unit table in docs/language.md",
                            units::examples(dim)
                        ),
                    };
                    self.err_label(
                        codes::UNIT,
                        Span::new(span.0, span.1),
                        format!("unknown unit `{symbol}`"),
                        "unknown unit",
                        Some(help),
                    );
                    return None;
                }
                Err(UnitError::TooLarge { span }) => {
                    self.err(
                        codes::UNIT,
                        Span::new(span.0, span.1),
                        "this unit's powers are out of range",
                        None,
                    );
                    return None;
                }
            }
        }
        if unit_parts(&v.kind).all(|q| !q.has_unit()) {
            let dim_name = dim.name();
            let a = article(&dim_name);
            let help = match units::example_unit(dim) {
                Some(eu) => format!(
                    "add the unit it is in ({}), e.g. `{key} = {}`",
                    units::examples(dim),
                    fix(want, v, eu)
                ),
                None => format!("add a unit of {dim_name}: {}", units::examples(dim)),
            };
            self.err_label(
                codes::UNIT,
                v.span,
                format!(
                    "`{key}` needs {a} {dim_name}; `{}` has no unit",
                    self.written(v)
                ),
                "no unit",
                Some(help),
            );
            return None;
        }
        Some(())
    }

    /// The help for a bare name where a `vehicle.port` ref belongs: the
    /// ports of that vehicle when this file declares it.
    fn ref_help(&self, name: &str) -> String {
        match self.vehicles.iter().find(|v| v.id.value == name) {
            Some(v) if !v.ports.is_empty() => {
                let list: Vec<String> = (v.ports.iter())
                    .map(|p| format!("`{name}.{}`", p.id.value))
                    .collect();
                format!("a ref is `vehicle.port`: {}", list.join(", "))
            }
            _ => format!(
                "a ref is `vehicle.port`, e.g. `{name}.PORT` with the id of one of its ports"
            ),
        }
    }

    /// The unit of `q`, resolved once per distinct unit text of the file
    /// (an unknown symbol is resolved again each time, to report it).
    fn unit_of(&mut self, q: &syntax::Quantity) -> Result<Unit, UnitError> {
        if !q.has_unit() {
            return Ok(Unit::ONE);
        }
        if let Some(u) = UNITS.with(|c| c.borrow().get(q.unit_text).map(|(u, _)| *u)) {
            return Ok(u);
        }
        let resolved = units::resolve(&q.factors());
        if let Ok(u) = resolved {
            cache_unit(q.unit_text, u);
        }
        resolved
    }

    /// The model's text of a unit: shared by every quantity of the file
    /// written in it (the cache holds "" and every unit resolved; a text
    /// not resolved is copied, never cached as if it were).
    fn shared_unit(&self, text: &str) -> std::sync::Arc<str> {
        match cached_unit(text) {
            Some((_, t)) => t,
            None => std::sync::Arc::from(text),
        }
    }

    fn resolve_unit(&mut self, q: &syntax::Quantity) -> Option<Unit> {
        match self.unit_of(q) {
            Ok(u) => Some(u),
            Err(UnitError::Unknown { symbol, span }) => {
                let help = match closest(&symbol, units::KNOWN_SYMBOLS.iter().copied()) {
                    Some(c) => {
                        format!("did you mean `{c}`? see the unit table in docs/language.md")
                    }
                    None => "see the unit table in docs/language.md".to_string(),
                };
                self.err_label(
                    codes::UNIT,
                    Span::new(span.0, span.1),
                    format!("unknown unit `{symbol}`"),
                    "unknown unit",
                    Some(help),
                );
                None
            }
            Err(UnitError::TooLarge { span }) => {
                self.err(
                    codes::UNIT,
                    Span::new(span.0, span.1),
                    "this unit's powers are out of range",
                    None,
                );
                None
            }
        }
    }

    /// A quantity of the wanted dimension; `fallback` is the unit a bare
    /// number takes (the other end of a range).
    fn quantity(
        &mut self,
        key: &str,
        q: &syntax::Quantity,
        dim: Dim,
        nonneg: bool,
        fallback: Option<&syntax::Quantity>,
    ) -> Option<Quantity> {
        let unit_q = match (q.has_unit(), fallback) {
            (false, Some(fb)) => fb,
            _ => q,
        };
        let unit_text = unit_q.unit_text;
        let unit = self.resolve_unit(unit_q)?;
        if unit.dim != dim {
            let (msg, help) = if !unit_q.has_unit() {
                (
                    format!(
                        "`{key}` must be {} {}, found a plain number",
                        article(&dim.name()),
                        dim.name()
                    ),
                    format!("add a unit of {}: {}", dim.name(), units::examples(dim)),
                )
            } else {
                (
                    format!(
                        "`{key}` must be {} {}, found `{unit_text}`, {}",
                        article(&dim.name()),
                        dim.name(),
                        dim_phrase(unit.dim)
                    ),
                    format!("use a unit of {}: {}", dim.name(), units::examples(dim)),
                )
            };
            let label = if !unit_q.has_unit() {
                "no unit".to_string()
            } else {
                dim_phrase(unit.dim)
                    .trim_start_matches("which is ")
                    .to_string()
            };
            self.err_label(codes::UNIT, q.span, msg, label, Some(help));
            return None;
        }
        let si = unit.to_si(q.number);
        if !si.is_finite() {
            self.err(
                codes::RANGE,
                q.span,
                format!("`{key}` is too large to represent"),
                None,
            );
            return None;
        }
        if nonneg && q.number < 0.0 {
            self.err_label(
                codes::RANGE,
                q.span,
                format!("`{key}` cannot be negative"),
                "negative",
                Some(format!("give a {} of zero or more", dim.name())),
            );
            return None;
        }
        Some(Quantity {
            si,
            dimension: dim,
            number: q.number,
            unit: self.shared_unit(unit_text),
        })
    }

    fn count(&mut self, key: &str, q: &syntax::Quantity) -> Option<Quantity> {
        if q.has_unit() {
            let span = Span::new(q.unit_at, q.span.end);
            self.err_label(
                codes::UNIT,
                span,
                format!("`{key}` is a plain count, found the unit `{}`", q.unit_text),
                "a count has no unit",
                Some(format!(
                    "write `{key} = {}`",
                    crate::model::fmt_number(q.number)
                )),
            );
            return None;
        }
        if q.number < 0.0 {
            self.err_label(
                codes::RANGE,
                q.span,
                format!("`{key}` cannot be negative"),
                "negative",
                Some(format!(
                    "a count is zero or more: `{key} = {}`",
                    crate::model::fmt_number(-q.number)
                )),
            );
            return None;
        }
        if q.number > 1e15 {
            self.err(
                codes::RANGE,
                q.span,
                format!("`{key}` is too large for a count (at most 1e15)"),
                None,
            );
            return None;
        }
        if q.number.fract() != 0.0 {
            self.err_label(
                codes::TYPE,
                q.span,
                format!(
                    "`{key}` must be a whole number, found {}",
                    crate::model::fmt_number(q.number)
                ),
                "not a whole number",
                None,
            );
            return None;
        }
        Some(Quantity {
            si: q.number,
            dimension: Dim::NONE,
            number: q.number,
            unit: self.shared_unit(""),
        })
    }

    fn range(
        &mut self,
        key: &str,
        span: Span,
        lo: &syntax::Quantity,
        hi: &syntax::Quantity,
        dim: Dim,
        nonneg: bool,
    ) -> Option<Range> {
        // a negative end is named, with the range as it should read
        if nonneg
            && let Some((part, q)) = [("lower end", lo), ("upper end", hi)]
                .into_iter()
                .find(|(_, q)| q.number < 0.0)
        {
            self.err_label(
                codes::RANGE,
                q.span,
                format!("the {part} `{}` of `{key}` cannot be negative", q_text(q)),
                "negative",
                Some(format!("give a {} of zero or more", dim.name())),
            );
            return None;
        }
        // one statement, one diagnostic: the upper end is checked only when
        // the lower end is fine
        let lo_q = self.quantity(key, lo, dim, nonneg, Some(hi))?;
        let hi_q = self.quantity(key, hi, dim, nonneg, Some(lo))?;
        if !units::le(lo_q.si, hi_q.si) {
            let d = Diagnostic::error(
                codes::RANGE,
                self.file,
                span,
                format!("the lower end {lo_q} of `{key}` is above its upper end {hi_q}"),
            )
            .with_label("lower end above upper end")
            .with_help(format!("write it as `{hi_q} .. {lo_q}`"));
            self.emit(d);
            return None;
        }
        Some(Range {
            lo: lo_q,
            hi: hi_q,
            text: shared_text(""),
        })
    }

    fn tolerance(
        &mut self,
        key: &str,
        span: Span,
        nom: &syntax::Quantity,
        tol: &syntax::Quantity,
        dim: Dim,
        nonneg: bool,
    ) -> Option<Range> {
        if tol.number < 0.0 {
            let d = Diagnostic::error(
                codes::RANGE,
                self.file,
                tol.span,
                format!(
                    "the deviation `{}` of `{key}` is written with a sign",
                    q_text(tol)
                ),
            )
            .with_label("a deviation has no sign")
            .with_help(format!(
                "a tolerance spreads both ways from the nominal value; write `{key} = {} ± {}`",
                q_text(nom),
                q_text(&syntax::Quantity {
                    number: -tol.number,
                    ..tol.clone()
                })
            ));
            self.emit(d);
            return None;
        }
        let nominal = self.quantity(key, nom, dim, false, None)?;
        let nom_unit = self.resolve_unit(nom)?;
        let percent = tol.unit_text.starts_with('%')
            && matches!(tol.factors().as_slice(), [f] if f.symbol == "%" && f.power == 1);
        let t = if percent {
            nominal.number.abs() * tol.number / 100.0
        } else if !tol.has_unit() {
            tol.number
        } else {
            // checks the deviation's dimension and sign; it converts by factor
            // only (a temperature deviation has no offset)
            self.quantity(key, tol, dim, true, None)?;
            let tu = self.resolve_unit(tol)?;
            tol.number * tu.factor / nom_unit.factor
        };
        if t < 0.0 {
            self.err(
                codes::RANGE,
                tol.span,
                "a tolerance cannot be negative",
                None,
            );
            return None;
        }
        let mk = |n: f64| Quantity {
            si: nom_unit.to_si(n),
            dimension: dim,
            number: n,
            unit: nominal.unit.clone(),
        };
        let (lo, hi) = (mk(nominal.number - t), mk(nominal.number + t));
        if ![lo.number, hi.number, lo.si, hi.si]
            .iter()
            .all(|x| x.is_finite())
        {
            self.err(
                codes::RANGE,
                span,
                format!(
                    "`{key}` is too large to represent (its ends are not finite as 64-bit floats)"
                ),
                None,
            );
            return None;
        }
        if nonneg && lo.number < 0.0 {
            self.err(
                codes::RANGE,
                span,
                format!("`{key}` reaches below zero ({lo})"),
                None,
            );
            return None;
        }
        Some(Range {
            lo,
            hi,
            text: shared_text(""),
        })
    }

    // ------------------------------------------------------------ typed getters

    fn string(&mut self, f: &Fields, key: &str) -> Option<Spanned<String>> {
        let span = f.attr(key)?.value.span;
        match self.get(f, key, Want::Str)? {
            Typed::Str(s) => Some(Spanned::new(s, span)),
            _ => None,
        }
    }

    fn symbol(
        &mut self,
        f: &Fields,
        key: &str,
        opts: &'static [&'static str],
        what: &'static str,
    ) -> Option<Spanned<&'static str>> {
        let span = f.attr(key)?.value.span;
        match self.get(f, key, Want::Symbol(opts, what))? {
            Typed::Sym(s) => Some(Spanned::new(s, span)),
            _ => None,
        }
    }

    fn qty(&mut self, f: &Fields, key: &str, want: Want) -> Option<Spanned<Quantity>> {
        let span = f.attr(key)?.value.span;
        match self.get(f, key, want)? {
            Typed::Q(q) => Some(Spanned::new(q, span)),
            _ => None,
        }
    }

    fn rng(&mut self, f: &Fields, key: &str, dim: Dim, single_ok: bool) -> Option<Spanned<Range>> {
        let a = f.attr(key)?;
        let span = a.value.span;
        match self.get(f, key, Want::Range(dim, true, single_ok))? {
            Typed::R(mut r) => {
                r.text = self.written_shared(&a.value);
                Some(Spanned::new(r, span))
            }
            _ => None,
        }
    }

    fn voltage(&mut self, f: &Fields) -> Option<Spanned<Range>> {
        let a = f.attr("voltage")?;
        let span = a.value.span;
        match self.get(f, "voltage", Want::Range(Dim::VOLTAGE, false, false))? {
            Typed::R(mut r) => {
                r.text = self.written_shared(&a.value);
                Some(Spanned::new(r, span))
            }
            _ => None,
        }
    }

    fn reference(&mut self, f: &Fields, key: &str) -> Option<Spanned<PortRef>> {
        let span = f.attr(key)?.value.span;
        match self.get(f, key, Want::Ref)? {
            Typed::Ref(r) => Some(Spanned::new(r, span)),
            _ => None,
        }
    }

    // ------------------------------------------------------------ blocks

    /// The file level; `vehicles` were lowered already (by [`lower_each`]).
    fn file_level(&mut self, stmts: &[Stmt], vehicles: Vec<Vehicle>) -> Model {
        let f = self.fields(stmts, "file", Span::default());
        let mut model = Model {
            vehicles,
            ..Model::default()
        };
        if let Some(a) = f.attr("format") {
            match &a.value.kind {
                ValueKind::Quantity(q) if !q.has_unit() && q.number == 1.0 => {
                    model.format = Some(Spanned::new(1, a.value.span));
                }
                ValueKind::Quantity(q) if !q.has_unit() => self.err(
                    codes::RANGE,
                    a.value.span,
                    format!(
                        "unsupported format version {}",
                        crate::model::fmt_number(q.number)
                    ),
                    Some("this dockcheck reads `format = 1`".into()),
                ),
                ValueKind::Error => {}
                other => self.err_label(
                    codes::TYPE,
                    a.value.span,
                    format!(
                        "`format` must be a plain number, found {}",
                        other.describe()
                    ),
                    format!("{}, not a plain number", other.describe()),
                    Some("write `format = 1`".into()),
                ),
            }
        }
        for b in f.blocks_of("vehicle") {
            model.vehicles.push(self.vehicle(b));
        }
        self.vehicles = std::mem::take(&mut model.vehicles);
        for b in f.blocks_of("mating") {
            model.matings.push(self.mating(b));
        }
        model.vehicles = std::mem::take(&mut self.vehicles);
        model.vehicles.shrink_to_fit();
        model.matings.shrink_to_fit();
        model
    }

    fn vehicle(&mut self, b: &Block) -> Vehicle {
        let f = self.fields(&b.body, "vehicle", b.header());
        self.prefix = "vehicle";
        self.missing(&f, "name", "\"Human name\"");
        let tags = f.attr("tags").and_then(|a| {
            let span = a.value.span;
            match self.get(&f, "tags", Want::StrList)? {
                Typed::StrList(v) => Some(Spanned::new(v, span)),
                _ => None,
            }
        });
        let name = self.string(&f, "name");
        let operator = self.string(&f, "operator");
        let mass = self.rng(&f, "mass", Dim::MASS, true);
        self.prefix = "vehicle.atmosphere";
        let atmosphere = f.block("atmosphere").map(|x| self.atmosphere(x));
        self.prefix = "vehicle";
        let invalid = take_exact(&mut self.invalid);
        Vehicle {
            id: ident_of(b),
            name,
            operator,
            tags,
            mass,
            atmosphere: atmosphere.map(Box::new),
            ports: {
                let mut ports: Vec<Port> = f.blocks_of("port").map(|p| self.port(p)).collect();
                ports.shrink_to_fit();
                ports
            },
            span: b.span,
            invalid,
        }
    }

    fn atmosphere(&mut self, b: &Block) -> Atmosphere {
        let f = self.fields(&b.body, "atmosphere", b.header());
        let pressure = self.rng(&f, "pressure", Dim::PRESSURE, false);
        let oxygen = self.rng(&f, "oxygen", Dim::RATIO, false).and_then(|o| {
            // a fraction of the cabin's gas: at most all of it
            if units::le(o.value.hi.si, 1.0) {
                return Some(o);
            }
            self.err_label(
                codes::RANGE,
                o.span,
                format!(
                    "`oxygen` is a fraction of the cabin's gas; {} goes above 100 %",
                    o.value
                ),
                "above 100 %",
                Some("write the oxygen fraction as a percentage of at most 100 %, e.g. `oxygen = 19.5 % .. 23.5 %`".into()),
            );
            self.invalid.push("vehicle.atmosphere.oxygen".into());
            None
        });
        Atmosphere {
            pressure,
            oxygen,
            span: b.span,
        }
    }

    fn port(&mut self, b: &Block) -> Port {
        let f = self.fields(&b.body, "port", b.header());
        self.prefix = "";
        let location = self.string(&f, "location");
        self.prefix = "docking";
        let docking = f.block("docking").map(|x| self.docking(x));
        self.prefix = "power";
        let power = f.block("power").map(|x| self.power(x));
        self.prefix = "data";
        let data = f.block("data").map(|x| self.data(x));
        self.prefix = "comms";
        let comms = f.block("comms").map(|x| self.comms(x));
        self.prefix = "";
        Port {
            id: ident_of(b),
            location,
            docking: docking.map(Box::new),
            power: power.map(Box::new),
            data,
            comms,
            span: b.span,
            invalid: take_exact(&mut self.invalid),
        }
    }

    fn docking(&mut self, b: &Block) -> Docking {
        let f = self.fields(&b.body, "docking", b.header());
        self.missing(&f, "system", "\"IDSS\"");
        self.missing(&f, "role", "passive");
        let role = self
            .symbol(&f, "role", Role::NAMES, "docking role")
            .and_then(|s| Some(Spanned::new(Role::parse(s.value)?, s.span)));
        let (system, standard, revision) = (
            self.string(&f, "system"),
            self.string(&f, "standard"),
            self.string(&f, "revision"),
        );
        let passageway = self.qty(&f, "passageway", Want::Quantity(Dim::LENGTH, true));
        let hooks = self.qty(&f, "hooks", Want::Count);
        let guide_petals = self.qty(&f, "guide_petals", Want::Count);
        self.prefix = "docking.capture";
        let capture = f.block("capture").map(|x| self.envelope(x, true));
        self.prefix = "docking.approach";
        let approach = f.block("approach").map(|x| self.envelope(x, false));
        self.prefix = "docking";
        Docking {
            system,
            standard,
            revision,
            role,
            passageway,
            hooks,
            guide_petals,
            capture: capture.map(Box::new),
            approach: approach.map(Box::new),
            span: b.span,
        }
    }

    fn envelope(&mut self, b: &Block, capture: bool) -> Envelope {
        let kind = if capture { "capture" } else { "approach" };
        let f = self.fields(&b.body, kind, b.header());
        Envelope {
            closing_velocity: self.rng(&f, "closing_velocity", Dim::VELOCITY, false),
            lateral_velocity: self.qty(&f, "lateral_velocity", Want::Quantity(Dim::VELOCITY, true)),
            lateral_misalignment: self.qty(
                &f,
                "lateral_misalignment",
                Want::Quantity(Dim::LENGTH, true),
            ),
            angular_misalignment: self.qty(
                &f,
                "angular_misalignment",
                Want::Quantity(Dim::ANGLE, true),
            ),
            roll_misalignment: self.qty(&f, "roll_misalignment", Want::Quantity(Dim::ANGLE, true)),
            angular_rate: self.qty(&f, "angular_rate", Want::Quantity(Dim::ANGULAR_RATE, true)),
            partner_mass: if capture {
                self.rng(&f, "partner_mass", Dim::MASS, false)
            } else {
                None
            },
            span: b.span,
        }
    }

    fn power(&mut self, b: &Block) -> Power {
        let f = self.fields(&b.body, "power", b.header());
        let direction = self
            .symbol(&f, "direction", Direction::NAMES, "power direction")
            .and_then(|s| Some(Spanned::new(Direction::parse(s.value)?, s.span)));
        Power {
            direction,
            voltage: self.voltage(&f),
            current: self.qty(&f, "current", Want::Quantity(Dim::CURRENT, true)),
            connector: self.string(&f, "connector"),
            power: self.qty(&f, "power", Want::Quantity(Dim::POWER, true)),
            span: b.span,
        }
    }

    fn data(&mut self, b: &Block) -> Data {
        let f = self.fields(&b.body, "data", b.header());
        let mut buses = Vec::new();
        for bus in f.blocks_of("bus") {
            let g = self.fields(&bus.body, "bus", bus.header());
            let role = self
                .symbol(&g, "role", BusRole::NAMES, "bus role")
                .and_then(|s| Some(Spanned::new(BusRole::parse(s.value)?, s.span)));
            buses.push(Bus {
                id: ident_of(bus),
                protocol: self.string(&g, "protocol"),
                rate: self.qty(&g, "rate", Want::Quantity(Dim::DATA_RATE, true)),
                role,
                span: bus.span,
            });
        }
        // a Vec grown by pushes holds room for four: keep only what is used
        // (most ports have one bus or link, and a fleet has many ports)
        buses.shrink_to_fit();
        Data {
            buses,
            span: b.span,
        }
    }

    fn comms(&mut self, b: &Block) -> Comms {
        let f = self.fields(&b.body, "comms", b.header());
        let mut links = Vec::new();
        for link in f.blocks_of("link") {
            let g = self.fields(&link.body, "link", link.header());
            links.push(Link {
                id: ident_of(link),
                band: self.string(&g, "band"),
                protocol: self.string(&g, "protocol"),
                transmit: self.rng(&g, "transmit", Dim::FREQUENCY, false),
                receive: self.rng(&g, "receive", Dim::FREQUENCY, false),
                span: link.span,
            });
        }
        links.shrink_to_fit();
        Comms {
            links,
            span: b.span,
        }
    }

    fn mating(&mut self, b: &Block) -> Mating {
        let f = self.fields(&b.body, "mating", b.header());
        self.missing(&f, "chaser", "vehicle.port");
        self.missing(&f, "target", "vehicle.port");
        Mating {
            id: ident_of(b),
            chaser: self.reference(&f, "chaser"),
            target: self.reference(&f, "target"),
            span: b.span,
        }
    }
}

impl Fields<'_> {
    fn blocks_of_dyn<'s>(&'s self, kind: &'s str) -> impl Iterator<Item = &'s Block<'s>> + 's {
        self.blocks
            .iter()
            .copied()
            .filter(move |b| b.kind.name == kind)
    }
}

/// The paths taken from `invalid`, in a Vec of their number (the model
/// keeps one per vehicle and port).
fn take_exact(invalid: &mut Vec<String>) -> Vec<String> {
    let mut out = std::mem::take(invalid);
    out.shrink_to_fit();
    out
}

/// A quantity as written: `28 V`, `12`.
fn q_text(q: &syntax::Quantity) -> String {
    if q.unit_text.is_empty() {
        fmt_number(q.number)
    } else {
        format!("{} {}", fmt_number(q.number), q.unit_text)
    }
}

/// The value `v` rewritten with `unit` in the shape `want` needs: what a
/// hint proposes (`28 A` for a voltage range → `28 V .. 28 V`).
fn fix(want: Want, v: &syntax::Value, unit: &str) -> String {
    let q = |n: f64| format!("{} {unit}", fmt_number(n)).trim_end().to_string();
    match (&v.kind, want) {
        (ValueKind::Range(lo, hi), Want::Range(..)) => {
            format!("{} .. {}", q(lo.number), q(hi.number))
        }
        (ValueKind::Tolerance(nom, tol), Want::Range(..)) => {
            let dev = if tol.unit_text == "%" {
                format!("{} %", fmt_number(tol.number.abs()))
            } else {
                q(tol.number.abs())
            };
            format!("{} ± {dev}", q(nom.number))
        }
        (ValueKind::Quantity(x), Want::Range(_, _, false)) => {
            format!("{} .. {}", q(x.number), q(x.number))
        }
        (ValueKind::Quantity(x), _) => q(x.number),
        (ValueKind::Range(lo, _) | ValueKind::Tolerance(lo, _), _) => q(lo.number),
        _ => String::new(),
    }
}

/// The quantities of a numeric value that carry its unit (not a `%` deviation).
fn unit_parts<'a>(v: &'a ValueKind<'a>) -> impl Iterator<Item = &'a syntax::Quantity<'a>> {
    let (a, b) = match v {
        ValueKind::Quantity(q) => (Some(q), None),
        ValueKind::Range(a, b) => (Some(a), Some(b)),
        ValueKind::Tolerance(a, b) if b.unit_text == "%" => (Some(a), None),
        ValueKind::Tolerance(a, b) => (Some(a), Some(b)),
        _ => (None, None),
    };
    a.into_iter().chain(b)
}

/// Whether the text of a string, unquoted, is a value of the wanted kind
/// (`"28 V"`, `"12"`, `"kestrel.forward"`).
fn unquoted_fits(s: &str, want: Want) -> bool {
    let Ok(v) = syntax::parse_value(s.trim()) else {
        return false;
    };
    matches!(
        (want, &v.kind),
        (Want::Count | Want::Quantity(..), ValueKind::Quantity(_))
            | (
                Want::Range(..),
                ValueKind::Quantity(_) | ValueKind::Range(..) | ValueKind::Tolerance(..)
            )
            | (Want::Ref, ValueKind::Ref(..))
            | (Want::Symbol(..), ValueKind::Symbol(_))
    )
}

enum Typed {
    Str(String),
    /// One of a symbol's options (as the vocabulary spells it).
    Sym(&'static str),
    StrList(Vec<String>),
    Q(Quantity),
    R(Range),
    Ref(PortRef),
}

/// A value's text as it would be printed from the syntax tree.
fn self_text(v: &syntax::Value) -> String {
    fn q(x: &syntax::Quantity) -> String {
        if x.unit_text.is_empty() {
            fmt_number(x.number)
        } else {
            format!("{} {}", fmt_number(x.number), x.unit_text)
        }
    }
    match &v.kind {
        ValueKind::Quantity(x) => q(x),
        ValueKind::Range(a, b) => format!("{} .. {}", q(a), q(b)),
        ValueKind::Tolerance(a, b) => format!("{} ± {}", q(a), q(b)),
        _ => String::new(),
    }
}

fn ident_of(b: &Block) -> Spanned<String> {
    match &b.id {
        Some(id) => Spanned::new(id.name.to_string(), id.span),
        None => Spanned::new(String::new(), b.kind.span),
    }
}

fn suggest(
    name: &str,
    primary: &[&'static str],
    secondary: &[&'static str],
    kind: &str,
) -> Option<String> {
    if let Some(c) = closest(name, primary.iter().chain(secondary).copied()) {
        return Some(format!("did you mean `{c}`?"));
    }
    let mut all: Vec<String> = primary.iter().map(|s| format!("`{s}`")).collect();
    all.extend(secondary.iter().map(|s| format!("`{s}`")));
    if all.is_empty() {
        return Some(format!(
            "{} `{kind}` block takes nothing by that name",
            article(kind)
        ));
    }
    Some(format!(
        "{} `{kind}` takes: {}",
        article(kind),
        all.join(", ")
    ))
}

/// A value written on its own, outside any file (a spec's limit: `"800 mm"`,
/// `"0.05 .. 0.10 m/s"`, `"12"`), read exactly as the language reads values.
#[derive(Clone, Debug, PartialEq)]
pub enum Standalone {
    Quantity(Quantity),
    Range(Range),
}

/// Reads a standalone value of dimension `dim` (`Dim::NONE` for counts). A
/// range is accepted only when `range` is true; a single value only when
/// `single` is. The error is a sentence naming the text.
pub fn standalone(text: &str, dim: Dim, range: bool, single: bool) -> Result<Standalone, String> {
    let v = syntax::parse_value(text).map_err(|e| e.message)?;
    let mut diags = Vec::new();
    let mut lw = Lowerer::new(0, text, &mut diags);
    lw.left = usize::MAX;
    let out = match &v.kind {
        ValueKind::Quantity(q) if single => if dim == Dim::NONE {
            lw.count("limit", q)
        } else {
            lw.quantity("limit", q, dim, false, None)
        }
        .map(Standalone::Quantity),
        ValueKind::Range(a, b) if range => lw
            .range("limit", v.span, a, b, dim, false)
            .map(Standalone::Range),
        ValueKind::Tolerance(a, b) if range => lw
            .tolerance("limit", v.span, a, b, dim, false)
            .map(Standalone::Range),
        other => {
            let want = match (single, range) {
                (true, true) => format!("{} {} or a range", article(&dim.name()), dim.name()),
                (true, false) => format!("{} {}", article(&dim.name()), dim.name()),
                _ => format!("a range of {}", dim.name()),
            };
            return Err(format!(
                "`{text}` must be {want}, found {}",
                other.describe()
            ));
        }
    };
    match out {
        Some(Standalone::Range(mut r)) => {
            r.text = self_text(&v).into();
            Ok(Standalone::Range(r))
        }
        Some(l) => Ok(l),
        None => Err(diags.first().map_or_else(
            || format!("`{text}` is not a valid limit"),
            |d| d.message.replace("`limit`", &format!("`{text}`")),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(text: &str) -> (Model, Vec<Diagnostic>) {
        let parsed = syntax::parse_with(text, &vocab::nests);
        let mut diags = Vec::new();
        let model = lower(FileId::default(), text, &parsed.stmts, &mut diags);
        (model, diags)
    }

    /// The units a thread resolved for one file serve the next: a file
    /// lowered after others gives the model and diagnostics it gives on a
    /// fresh thread (nothing cached but "").
    #[test]
    fn units_cached_by_other_files_change_nothing() {
        let first = "vehicle a { port p { docking { system = \"IDSS\"; role = active; passageway = 31 in; hooks = 12 } power { voltage = 120 V ± 5 %; current = 3 A } } }\n";
        let second = "vehicle b {\n  mass = 9 t .. 12000 kg\n  port q { docking { system = \"IDSS\"; role = passive; passageway = 800 mm; capture { closing_velocity = 0.05 .. 0.1 m/s; lateral_misalignment = 4 in; angular_rate = 0.2 furlong } } power { voltage = 28 V; current = 3 kg } }\n}\n";
        let fresh = std::thread::spawn(move || lowered(second))
            .join()
            .expect("the fresh thread lowers");
        let _ = lowered(first);
        let warm = lowered(second);
        assert_eq!(warm, fresh);
        assert!(!warm.1.is_empty(), "the second file has unit errors");
        let q = &warm.0.vehicles[0].ports[0];
        let d = q.docking.as_ref().expect("docking");
        assert_eq!(
            &*d.passageway.as_ref().expect("passageway").value.unit,
            "mm"
        );
    }

    /// The cache is bounded: texts past the entry limit, or too long, are
    /// resolved each time and never kept.
    #[test]
    fn the_unit_cache_is_bounded() {
        std::thread::spawn(|| {
            for i in 0..(CACHE_ENTRIES + 100) {
                cache_unit(&format!("u{i}"), Unit::ONE);
            }
            cache_unit(&"m".repeat(CACHE_TEXT + 1), Unit::ONE);
            UNITS.with(|c| {
                let c = c.borrow();
                assert_eq!(c.len(), CACHE_ENTRIES);
                assert!(!c.contains_key("m".repeat(CACHE_TEXT + 1).as_str()));
            });
        })
        .join()
        .expect("the bound holds");
    }
}
