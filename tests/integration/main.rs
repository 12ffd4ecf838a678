//! flowcast's integration tests, one binary with a module per topic.

mod cli;
mod common;
mod deterministic;
mod forecast;
mod input;
mod instants;
mod report;
mod theory;
mod whatif;
