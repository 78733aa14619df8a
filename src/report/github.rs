//! The `github` format (being written).

use super::Run;
use std::io::Write;

/// Writes the run in this format.
pub fn write(w: &mut dyn Write, run: &Run) -> std::io::Result<()> {
    let _ = (w, run);
    Ok(())
}

/// The markdown appended to `$GITHUB_STEP_SUMMARY`.
pub fn step_summary(run: &Run) -> String {
    let _ = run;
    String::new()
}
