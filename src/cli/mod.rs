//! The command line: argument definitions, and one module per command.

mod args;
pub mod backtest;
pub mod calibrate;
pub mod check;
pub mod completions;
mod events;
pub mod forecast;
pub mod invest;
pub mod new;
mod output;
pub mod run;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::Error;
pub use args::{ReportArgs, SimArgs};
use backtest::BacktestArgs;
use calibrate::CalibrateArgs;
use forecast::ForecastArgs;
use invest::InvestArgs;
use run::RunArgs;

/// Simulate a software-delivery value stream and see how lead time, flow
/// efficiency and throughput change — with honest uncertainty.
#[derive(Debug, Parser)]
#[command(name = "flowcast", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and print lead time, flow efficiency, throughput and the bottleneck.
    Run(RunArgs),
    /// Forecast delivery dates for a backlog: when will N items be done, and how many by a date.
    Forecast(ForecastArgs),
    /// Learn a scenario from a status history (CSV or Jira JSON) and show how well it reproduces it.
    Calibrate(CalibrateArgs),
    /// Forecast the past of a delivery history and see how often each method's forecasts came true.
    Backtest(BacktestArgs),
    /// Which combination of the file's interventions to fund for a budget: ranked, raced, with interactions.
    Invest(InvestArgs),
    /// Validate a scenario and print it back with each stage's expected load.
    Check {
        /// The scenario file (YAML).
        scenario: PathBuf,
    },
    /// Write a commented starter scenario (never over an existing file).
    New {
        /// File to write; `.yaml` is added when missing.
        #[arg(default_value = "scenario.yaml")]
        name: String,
    },
    /// Print a shell completion script, e.g. `flowcast completions bash > ~/.local/share/bash-completion/completions/flowcast`.
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

/// Runs a parsed command line; returns the exit code.
pub fn execute(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Forecast(args) => forecast::run(args),
        Command::Calibrate(args) => calibrate::run(args),
        Command::Backtest(args) => backtest::run(args),
        Command::Invest(args) => invest::run(args),
        Command::Check { scenario } => check::run(&scenario),
        Command::New { name } => new::run(&name),
        Command::Completions { shell } => {
            completions::run(shell, &mut <Cli as clap::CommandFactory>::command())
        }
    }
}
