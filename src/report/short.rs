//! The `short` format (being written).

use super::Run;
use std::io::Write;

/// Writes the run in this format.
pub fn write(w: &mut dyn Write, run: &Run) -> std::io::Result<()> {
    let _ = (w, run);
    Ok(())
}
