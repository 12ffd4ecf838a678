//! Simulating a model: [`engine`] runs one replication of one variant as a
//! discrete-event simulation; [`montecarlo`] runs runs × variants on common
//! random numbers, spread over cores and merged in run order; [`results`] holds
//! what they produce.
//!
//! May use `model` and `stats`; never threads in the engine, files, printing or YAML.

pub mod engine;
pub mod montecarlo;
pub mod results;
