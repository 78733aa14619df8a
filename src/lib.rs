//! dockcheck: checks spacecraft interface descriptions against
//! docking-interface standards.
//!
//! Data flows one way: text → [`syntax`] → [`model`] → checks →
//! [`diagnostic`] → [`report`]. See ARCHITECTURE.md.
//!
//! ```
//! let text = "vehicle v { name = \"V\"; port p { docking { system = \"NDS\"; role = passive; passageway = 31.5 in } } }";
//! let (model, diags, _) = dockcheck::load::parse_and_lower(0, text);
//! assert!(diags.is_empty());
//! let passage = model.vehicles[0].ports[0].docking.as_ref().and_then(|d| d.passageway.as_ref()).unwrap();
//! assert!((passage.value.si - 0.8001).abs() < 1e-9); // stored in SI metres
//! ```

pub mod baseline;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod fingerprint;
pub mod fixture;
pub mod fmt;
pub mod limits;
pub mod load;
pub mod model;
pub mod report;
pub mod spec;
pub mod syntax;
pub mod units;
pub mod waiver;
pub mod workspace;
