//! flowcast's integration tests, one binary with a module per topic.

mod backtest_cli;
mod backtest_coverage;
mod calibrate_cli;
mod calibrate_read;
mod calibrate_roundtrip;
mod classes;
mod cli;
mod common;
mod dates;
mod deterministic;
mod events;
mod forecast;
mod fuzz_regressions;
mod history_read;
mod input;
mod instants;
mod invest;
mod memory;
mod outputs;
mod overload;
mod pools;
mod properties;
mod report;
mod theory;
mod value;
mod whatif;
