//! `dockcheck schema spec|config|model`: the JSON Schemas, generated from the
//! Rust types by schemars.

use super::EXIT_OK;

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Which {
    /// Rule spec files (specs/*.toml)
    Spec,
    /// The configuration file (dockcheck.toml)
    Config,
    /// The model printed by `dockcheck export`
    Model,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Which schema to print.
    #[arg(value_enum)]
    pub which: Which,
}

/// The schema text, as committed in specs/spec.schema.json.
pub fn schema_text(which: Which) -> String {
    let v = match which {
        Which::Spec => crate::spec::load::spec_schema(),
        Which::Config => crate::spec::config::config_schema(),
        Which::Model => {
            serde_json::to_value(schemars::schema_for!(crate::model::ExportDoc)).unwrap_or_default()
        }
    };
    crate::report::json::to_string(&v)
}

pub fn run(args: Args) -> u8 {
    super::out(&schema_text(args.which));
    EXIT_OK
}
