//! dockcheck: checks spacecraft interface descriptions against
//! docking-interface standards.
//!
//! Data flows one way: text → [`syntax`] → [`model`] → checks →
//! [`diagnostic`] → [`report`]. See ARCHITECTURE.md.

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod report;
pub mod spec;
pub mod syntax;
pub mod units;
pub mod workspace;
