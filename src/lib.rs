//! flowcast simulates software-delivery value streams.
//!
//! Delivery leaders describe how work flows — stages, people, batch sizes,
//! rework, approval queues, release windows, WIP limits — in a YAML scenario.
//! flowcast runs a discrete-event simulation of it many times in parallel (Monte
//! Carlo) and reports lead time, flow efficiency, throughput and WIP with their
//! uncertainty.
//!
//! Data flows one way, and the folders say so:
//!
//! ```text
//! scenario file ─▶ scenario (raw YAML, validation, interventions) ─▶ model (validated stream)
//!    ─▶ sim (engine: one run; montecarlo: runs × variants; results)
//!    ─▶ analysis (sensitivity, forecasts) ─▶ report (terminal, JSON, documents, charts) ◀─ cli
//! ```
//!
//! Every import points down this table; nothing in `model` or `sim` imports
//! `scenario`, `report`, `analysis` or `cli`.
//!
//! | module | what lives there | may use |
//! |---|---|---|
//! | [`cli`] | clap definitions, one file per command (run, check, forecast, calibrate, new, completions), shared arguments and output | everything below |
//! | [`report`] | one module per output format: terminal, JSON, the check listing, HTML/Markdown documents, charts, the forecast's rendering, the report folder | analysis, sim, model, describe, stats, error |
//! | [`analysis`] | what runs mean: sensitivity, forecasts from runs or a delivery history, calibration from status history (read, fit, search workers, write the scenario, check the fit) | sim, model, scenario (to read back the scenario it writes), stats, error |
//! | [`sim`] | the engine (one run, one file per part under `sim/engine/`), the Monte Carlo driver (runs × variants), the result types | model, stats, error |
//! | [`scenario`] | the file format: raw serde layer, validation into the model (one file per section), interventions and `--what-if`, the starter template | model, describe, error |
//! | [`describe`] | the model in words: distributions, calendars, schedules, overload warnings, for the scenario's messages and the reports | model, stats |
//! | [`model`] | what is simulated: the validated stream, distributions, the working calendar, random-stream keys; formats no text for people | stats, error |
//! | [`stats`] | pure numerics: t intervals, paired deltas, the log histogram, number formatting, special functions, maximum-likelihood fits, KS and Wasserstein distances | nothing of ours |
//! | [`error`] | typed errors with file and line | nothing of ours |
//!
//! # Example
//!
//! ```
//! use flowcast::Scenario;
//! use flowcast::model::Variant;
//! use flowcast::sim::montecarlo::{simulate, Settings};
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

pub mod analysis;
pub mod cli;
pub mod describe;
pub mod error;
pub mod model;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod stats;

pub use error::{Error, ScenarioError};
pub use model::Model;
pub use scenario::Scenario;
