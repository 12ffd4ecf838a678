//! Arguments that `run` and `forecast` share.

use std::path::PathBuf;

use clap::Args;

use crate::error::Error;
use crate::report;

/// How many runs, from which seed, on how many threads (`run` and `forecast`).
#[derive(Debug, Clone, Copy, Args)]
pub struct SimArgs {
    /// Replications (default: the file's simulation.runs, else 1000; at most 1,000,000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=crate::model::MAX_RUNS))]
    pub runs: Option<u64>,
    /// Seed for reproducible output (default: the file's seed, else 1).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores); the output does not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
}

/// Where to write a report folder (`run` and `forecast`).
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Write a report folder: report.html, report.md, summary.json and the charts as SVG.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Replace what exists: a --report folder that is not a flowcast report, and output
    /// files given with --events, --out or --write-workflow.
    #[arg(long)]
    pub force: bool,
}

impl ReportArgs {
    /// Refuses, before anything is simulated, a --report folder that would be
    /// refused after: a file, or a foreign non-empty folder without --force.
    pub fn check_before_running(&self) -> Result<(), Error> {
        let Some(dir) = &self.report else {
            return Ok(());
        };
        if dir.is_file() {
            return Err(Error::Usage(format!(
                "{} is a file, not a folder; choose a folder name for --report",
                dir.display()
            )));
        }
        if !self.force && !report::folder::replaceable(dir)? {
            return Err(Error::Usage(format!(
                "{} is not empty and is not a flowcast report; nothing was run or written. \
                 Choose another folder for --report, or pass --force to replace it",
                dir.display()
            )));
        }
        Ok(())
    }
}
