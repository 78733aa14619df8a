//! The limits that bound what one run reads: the size of an `.icd` file and
//! the nesting of its blocks. Set in `dockcheck.toml` (`[limits]`) and, for
//! the file size, with `--max-file-size`; nothing here does I/O.

/// `max-file-size` when neither the configuration nor a flag sets it.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * MIB;
/// `max-nesting` when the configuration does not set it.
pub const DEFAULT_MAX_NESTING: usize = crate::syntax::MAX_BLOCK_DEPTH;
/// The largest `max-nesting` accepted: deeper trees are walked by recursive
/// code (lowering, the formatter, dropping the tree) on threads with a
/// bounded stack.
pub const MAX_NESTING_CEILING: usize = 1024;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

/// The limits of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest `.icd` file read, in bytes; a larger one is ICD-TOO-LARGE.
    pub max_file_size: u64,
    /// How deep blocks may nest; deeper is ICD-SYNTAX.
    pub max_nesting: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_nesting: DEFAULT_MAX_NESTING,
        }
    }
}

/// Reads a size: a whole number of bytes with an optional unit, `B`, `kB`,
/// `MB`, `GB` (powers of 1000) or `KiB`, `MiB`, `GiB` (powers of 1024), in
/// any case, with or without a space: `1048576`, `64 MiB`, `100MB`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let unit = unit.trim();
    let bad = || {
        format!(
            "`{text}` is not a size: write a whole number of bytes with an optional unit (B, kB, MB, GB, KiB, MiB, GiB), e.g. `64 MiB`"
        )
    };
    if num.is_empty() {
        return Err(bad());
    }
    let n: u64 = num.parse().map_err(|_| bad())?;
    let factor = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" | "k" => 1000,
        "mb" | "m" => 1000 * 1000,
        "gb" | "g" => 1000 * 1000 * 1000,
        "kib" => KIB,
        "mib" => MIB,
        "gib" => GIB,
        _ => return Err(bad()),
    };
    let bytes = n
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large a size"))?;
    if bytes == 0 {
        return Err(format!("`{text}`: the size limit must be at least 1 byte"));
    }
    Ok(bytes)
}

/// A size for messages: in the largest binary unit that divides it, else
/// in bytes (`64 MiB`, `1000 bytes`).
pub fn show_size(bytes: u64) -> String {
    for (unit, name) in [(GIB, "GiB"), (MIB, "MiB"), (KIB, "KiB")] {
        if bytes >= unit && bytes.is_multiple_of(unit) {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} byte{}", if bytes == 1 { "" } else { "s" })
}

/// The limit to suggest for a file of `bytes`: the next whole MiB above it,
/// in the spelling `--max-file-size` and `max-file-size` accept (`101MiB`).
pub fn suggested_limit(bytes: u64) -> String {
    format!("{}MiB", bytes / MIB + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_and_without_units() {
        assert_eq!(parse_size("1048576"), Ok(MIB));
        assert_eq!(parse_size("64 MiB"), Ok(64 * MIB));
        assert_eq!(parse_size("64mib"), Ok(64 * MIB));
        assert_eq!(parse_size("100MB"), Ok(100_000_000));
        assert_eq!(parse_size(" 2 kB "), Ok(2000));
        assert_eq!(parse_size("7 B"), Ok(7));
        assert!(parse_size("").is_err());
        assert!(parse_size("MiB").is_err());
        assert!(parse_size("1.5 MiB").is_err());
        assert!(parse_size("64 furlongs").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("99999999999999 GiB").is_err());
    }

    #[test]
    fn sizes_shown_and_suggested() {
        assert_eq!(show_size(256 * MIB), "256 MiB");
        assert_eq!(show_size(2 * GIB), "2 GiB");
        assert_eq!(show_size(1000), "1000 bytes");
        assert_eq!(show_size(1), "1 byte");
        assert_eq!(suggested_limit(100 * MIB), "101MiB");
        let s = parse_size(&suggested_limit(12_345_678)).unwrap();
        assert!(s >= 12_345_678);
    }
}
