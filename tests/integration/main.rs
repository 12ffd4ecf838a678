//! flowcast's integration tests, one binary with a module per topic.

mod cli;
mod common;
mod deterministic;
mod forecast;
mod fuzz_regressions;
mod input;
mod instants;
mod properties;
mod report;
mod theory;
mod whatif;
