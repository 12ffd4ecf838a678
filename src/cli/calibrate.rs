//! `flowcast calibrate`: learn a scenario from a status history and show how
//! well it reproduces it.

use std::path::PathBuf;

use crate::analysis::calibrate::pipeline::{Request, calibrate};
use crate::analysis::calibrate::read::{Columns, ReadOptions};
use crate::analysis::calibrate::time;
use crate::analysis::calibrate::workflow::Workflow;
use crate::error::Error;
use crate::report;
use crate::report::calibrate as out;

use super::args::ReportArgs;
use super::output::{check_outputs, write_file, write_stdout};

/// Arguments of `flowcast calibrate`.
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Status history files: long CSV (key, status, timestamp[, type]), Jira
    /// REST JSON pages (expand=changelog), or a wide CSV (one date column per status).
    #[arg(required = true, value_name = "HISTORY")]
    pub history: Vec<PathBuf>,
    /// Which statuses belong to which stage (YAML); inferred when not given.
    #[arg(long, value_name = "FILE")]
    pub workflow: Option<PathBuf>,
    /// Only rows in this window: FROM..TO, dates or date-times (TO's whole day counts).
    #[arg(long, value_name = "FROM..TO")]
    pub window: Option<String>,
    /// Write the calibrated scenario here (never over an existing file without --force).
    #[arg(long, value_name = "FILE.yaml")]
    pub out: Option<PathBuf>,
    /// Write the fit check as JSON to FILE, or to standard output with `-`.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// The report folder.
    #[command(flatten)]
    pub report: ReportArgs,
    /// Column names of a long CSV: key=…,status=…,timestamp=…,type=…
    #[arg(long, value_name = "SPEC")]
    pub columns: Option<String>,
    /// The timestamps' strftime format when they are not ISO 8601 or Jira's, e.g. '%d.%m.%Y %H:%M'.
    #[arg(long, value_name = "FORMAT")]
    pub date_format: Option<String>,
    /// Time zone of timestamps written without an offset (default UTC), e.g. Europe/Berlin.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Save the workflow used (inferred or given) to FILE, to correct and pass back with --workflow.
    #[arg(long, value_name = "FILE")]
    pub write_workflow: Option<PathBuf>,
    /// Statuses missing from --workflow are an error instead of being ignored.
    #[arg(long)]
    pub strict: bool,
    /// Seed of the workers search and the fit check.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Simulated windows pooled in the fit check.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub runs: u64,
    /// No table (warnings and errors still go to stderr).
    #[arg(long, short)]
    pub quiet: bool,
}

fn refuse_existing(path: &Option<PathBuf>, flag: &str, force: bool) -> Result<(), Error> {
    match path {
        Some(p) if p.exists() && !force => Err(Error::Usage(format!(
            "{flag} {} exists; nothing was read or written. Choose another name, or pass --force to replace it",
            p.display()
        ))),
        _ => Ok(()),
    }
}

/// Runs `flowcast calibrate`.
pub fn run(args: CalibrateArgs) -> Result<u8, Error> {
    check_outputs(args.json.as_deref(), &args.report)?;
    refuse_existing(&args.out, "--out", args.report.force)?;
    refuse_existing(&args.write_workflow, "--write-workflow", args.report.force)?;
    let columns = match &args.columns {
        Some(spec) => Columns::parse(spec)?,
        None => Columns::default(),
    };
    let window = args.window.as_deref().map(time::window).transpose()?;
    let workflow = args.workflow.as_deref().map(Workflow::load).transpose()?;
    let name = args
        .out
        .as_ref()
        .or(args.history.first())
        .and_then(|p| p.file_stem())
        .map_or("calibrated".to_string(), |s| {
            s.to_string_lossy().into_owned()
        });
    let out_name = args
        .out
        .as_ref()
        .map_or("calibrated.yaml".to_string(), |p| p.display().to_string());
    let req = Request {
        paths: args.history.clone(),
        read: ReadOptions {
            columns,
            date_format: args.date_format.clone(),
            tz: args.tz.clone(),
            window,
            ..ReadOptions::default()
        },
        workflow,
        strict: args.strict,
        name: format!("{name} (calibrated)"),
        out_name: out_name.clone(),
        seed: args.seed,
        check_runs: args.runs,
        weekdays_only: None,
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let outcome = calibrate(&req)?;
    if let Some(path) = &args.write_workflow {
        write_file(path, &outcome.workflow.to_yaml())?;
    }
    if let Some(path) = &args.out {
        write_file(path, &outcome.text)?;
    }
    let written = args.out.as_ref().map(|p| p.display().to_string());
    let json = serde_json::to_string_pretty(&out::json(&outcome, written.as_deref()))
        .unwrap_or_else(|_| "{}".into())
        + "\n";
    if let Some(dir) = &args.report.report {
        report::folder::write(
            dir,
            &out::files(&outcome, &out_name, &json),
            args.report.force,
        )?;
        if !args.quiet {
            eprintln!("Report written to {}/report.html", dir.display());
        }
    }
    match args.json.as_deref() {
        Some("-") => write_stdout(&json)?,
        Some(target) => write_file(std::path::Path::new(target), &json)?,
        None => {}
    }
    if !args.quiet && args.json.as_deref() != Some("-") {
        write_stdout(&out::terminal(&outcome, written.as_deref()))?;
        if written.is_none() {
            eprintln!("(the scenario was not written: pass --out FILE.yaml to keep it)");
        }
    }
    Ok(0)
}
