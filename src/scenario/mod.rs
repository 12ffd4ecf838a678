//! The scenario file format: [`raw`] is the YAML as written (serde, with
//! locations); [`validate`] turns it into a [`Model`], one function per section
//! of the file; [`interventions`] applies named changes and `--what-if` paths to
//! the baseline, on the located [`tree`] of the file; [`TEMPLATE`] is the
//! starter scenario `flowcast new` writes. `messages` puts the YAML reader's
//! errors in the user's words.
//!
//! May use `model` and `error`; never samples or simulates.

pub mod combine;
pub mod interventions;
mod messages;
pub mod raw;
pub mod tree;
pub mod validate;

use std::path::Path;

use crate::error::{self, Error};
use crate::model::Model;

/// The starter scenario `flowcast new` writes.
pub const TEMPLATE: &str = include_str!("template.yaml");

/// A scenario file, parsed and validated.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The text and its file name, for located errors.
    pub source: error::Source,
    /// The file as written.
    pub raw: raw::RawScenario,
    /// The validated baseline.
    pub model: Model,
}

impl Scenario {
    /// Reads, parses and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, Error> {
        let (source, raw) = raw::load(path)?;
        let model = validate::model(&raw, &source)?;
        Ok(Scenario { source, raw, model })
    }

    /// Parses and validates scenario text; `name` is shown as the file in errors.
    pub fn from_text(name: &str, text: &str) -> Result<Scenario, Error> {
        let source = error::Source {
            name: name.to_string(),
            text: text.to_string(),
        };
        let raw = raw::parse(&source)?;
        let model = validate::model(&raw, &source)?;
        Ok(Scenario { source, raw, model })
    }
}
