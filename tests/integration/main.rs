//! flowcast's integration tests, one binary with a module per topic.

mod cli;
mod common;
mod deterministic;
mod forecast;
mod instants;
mod overload;
mod report;
mod theory;
mod whatif;
