//! A rule's limit: text in a spec (`"800 mm"`, `"0.05 .. 0.10 m/s"`, `"12"`)
//! read with the language's own value reader, so a spec and an `.icd` file
//! agree on units, ranges and tolerances.

use crate::model::lower::{Standalone, standalone};
use crate::model::{Quantity, Range};
use crate::units::Dim;

/// A parsed limit.
#[derive(Clone, Debug, PartialEq)]
pub enum Limit {
    Quantity(Quantity),
    Range(Range),
}

/// Reads a limit of dimension `dim` (`Dim::NONE` for counts). A range is
/// accepted only when `range` is true; a single value only when `single` is.
pub fn parse_limit(text: &str, dim: Dim, range: bool, single: bool) -> Result<Limit, String> {
    Ok(match standalone(text, dim, range, single)? {
        Standalone::Quantity(q) => Limit::Quantity(q),
        Standalone::Range(r) => Limit::Range(r),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_the_language_reads_values() {
        let Ok(Limit::Quantity(q)) = parse_limit("31 in", Dim::LENGTH, false, true) else {
            panic!("31 in is a length");
        };
        assert!((q.si - 0.7874).abs() < 1e-9, "{}", q.si);
        assert!(matches!(
            parse_limit("0.05 .. 0.10 m/s", Dim::VELOCITY, true, false),
            Ok(Limit::Range(_))
        ));
        let e = parse_limit("800 V", Dim::LENGTH, false, true).unwrap_err();
        assert!(e.contains("800 V"), "{e}");
        assert!(parse_limit("1 .. 2 m", Dim::LENGTH, false, true).is_err());
    }
}
