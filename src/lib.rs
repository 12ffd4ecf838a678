//! flowcast simulates software-delivery value streams.
//!
//! Delivery leaders describe how work flows — stages, people, batch sizes,
//! rework, approval queues, release windows, WIP limits — in a YAML scenario.
//! flowcast runs a discrete-event simulation of it many times in parallel (Monte
//! Carlo) and reports lead time, flow efficiency, throughput and WIP with their
//! uncertainty.
//!
//! Data flows one way:
//!
//! ```text
//! scenario file ─▶ scenario (raw YAML) ─▶ model (validated) ─▶ montecarlo (runs × variants)
//!    ─▶ engine (one run) ─▶ stats (summaries, CIs) ─▶ report (terminal, JSON)
//! ```
//!
//! # Example
//!
//! ```
//! use flowcast::{Scenario, montecarlo::{simulate, Settings, Variant}};
//!
//! let yaml = "
//! name: Two-step stream
//! time_unit: days
//! arrivals: {rate: 0.8}
//! stages:
//!   - {name: develop, workers: 1, work: {dist: exponential, mean: 1}}
//!   - {name: review, work: 0.5}
//! simulation: {items: 500, warmup: 50}
//! ";
//! let scenario = Scenario::from_text("example.yaml", yaml).unwrap();
//! let variants = vec![Variant::baseline(&scenario.model)];
//! let settings = Settings { runs: 20, seed: 1, threads: Some(1) };
//! let outcome = simulate(&variants, &settings, &|| {}).unwrap();
//! let lead = outcome.variants[0].lead_time.mean;
//! assert!(lead > 1.5 && lead < 20.0);
//! ```
#![warn(missing_docs, unreachable_pub)]

pub mod calendar;
pub mod cli;
pub mod dist;
pub mod engine;
pub mod error;
pub mod forecast;
pub mod forecast_cmd;
pub mod model;
pub mod montecarlo;
pub mod report;
pub mod results;
pub mod scenario;
pub mod sensitivity;
pub mod stats;
pub mod variants;

use std::path::Path;

pub use error::{Error, ScenarioError};
pub use model::Model;

/// A scenario file, parsed and validated.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The text and its file name, for located errors.
    pub source: error::Source,
    /// The file as written.
    pub raw: scenario::RawScenario,
    /// The validated baseline.
    pub model: Model,
}

impl Scenario {
    /// Reads, parses and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, Error> {
        let (source, raw) = scenario::load(path)?;
        let model = Model::from_raw(&raw, &source)?;
        Ok(Scenario { source, raw, model })
    }

    /// Parses and validates scenario text; `name` is shown as the file in errors.
    pub fn from_text(name: &str, text: &str) -> Result<Scenario, Error> {
        let source = error::Source {
            name: name.to_string(),
            text: text.to_string(),
        };
        let raw = scenario::parse(&source)?;
        let model = Model::from_raw(&raw, &source)?;
        Ok(Scenario { source, raw, model })
    }
}
