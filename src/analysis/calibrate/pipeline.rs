//! The whole calibration, files to fit check, as one call.

use std::path::PathBuf;

use super::check::{self, FitCheck};
use super::fit::{self, Calibration};
use super::history::{History, Quality};
use super::journeys::{self, End};
use super::observe;
use super::read::{self, ReadOptions};
use super::scenario_text::{Provenance, scenario_text};
use super::workers;
use super::workflow::{self, Workflow};
use super::{DAY, Millis};
use crate::error::Error;
use crate::scenario::Scenario;

/// What to calibrate and how.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The history files.
    pub paths: Vec<PathBuf>,
    /// How to read them.
    pub read: ReadOptions,
    /// The workflow (`None`: inferred).
    pub workflow: Option<Workflow>,
    /// Statuses outside the workflow are an error rather than ignored.
    pub strict: bool,
    /// The scenario's name.
    pub name: String,
    /// The file the scenario will be written to (for messages about it).
    pub out_name: String,
    /// Seed for the workers search and the fit check.
    pub seed: u64,
    /// Simulated windows in the fit check.
    pub check_runs: u64,
    /// Force (`Some(true)`) or forbid a Monday–Friday calendar; `None` decides.
    pub weekdays_only: Option<bool>,
    /// The flowcast version, for the header.
    pub version: String,
}

/// Everything calibrate found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// What was odd in the files.
    pub quality: Quality,
    /// The workflow used.
    pub workflow: Workflow,
    /// Whether it was inferred.
    pub inferred: bool,
    /// Statuses outside the workflow, with their entries (ignored).
    pub unmapped: Vec<(String, usize)>,
    /// Items with a journey, and how many were delivered.
    pub items: usize,
    /// Items delivered in the window.
    pub delivered: usize,
    /// The window measured.
    pub window: (Millis, Millis),
    /// The fitted numbers.
    pub calibration: Calibration,
    /// The scenario text (read back and accepted by `run`).
    pub text: String,
    /// Observed beside simulated.
    pub check: FitCheck,
}

/// Reads, fits, writes the scenario text, searches the workers and checks
/// the fit.
pub fn calibrate(req: &Request) -> Result<Outcome, Error> {
    let history = read::read(&req.paths, &req.read)?;
    let (workflow, inferred) = match &req.workflow {
        Some(w) => (w.clone(), false),
        None => (workflow::infer(&history), true),
    };
    if workflow.stages.is_empty() {
        return Err(Error::Usage(
            "no stage could be found in the history; give a workflow with --workflow FILE".into(),
        ));
    }
    let j = journeys::journeys(&history, &workflow);
    if req.strict && !j.unmapped.is_empty() {
        let list: Vec<String> = j
            .unmapped
            .iter()
            .map(|(s, n)| format!("{s} ({n})"))
            .collect();
        return Err(Error::Usage(format!(
            "--strict: statuses not in the workflow: {}; add them to a stage, done, \
             not_delivered or blocked",
            list.join(", ")
        )));
    }
    if j.journeys.is_empty() {
        return Err(Error::Usage(
            "no item entered a stage of the workflow; check the workflow's status names".into(),
        ));
    }
    let window = req.read.window.unwrap_or(j.span);
    if window.1 - window.0 < super::HOUR {
        return Err(Error::Usage(format!(
            "the history spans {} minutes ({} .. {}): there is no time between moves to learn \
             from; give a longer history or a wider --window",
            (window.1 - window.0) / 60_000,
            super::time::format_millis(window.0),
            super::time::format_millis(window.1)
        )));
    }
    let kinds: Vec<Option<String>> = history.items.iter().map(|i| i.kind.clone()).collect();
    let has_active: Vec<bool> = workflow
        .stages
        .iter()
        .map(|s| !s.active.is_empty())
        .collect();
    let names: Vec<String> = workflow.stages.iter().map(|s| s.stage.clone()).collect();
    let obs = observe::observe(&j, &has_active, &kinds);
    let mut cal = fit::fit(&obs, &names, &has_active, req.weekdays_only);
    let delivered = j
        .journeys
        .iter()
        .filter(|jr| matches!(jr.end, End::Delivered(_)))
        .count();
    if delivered == 0 {
        cal.warnings.push(
            "no item was delivered in the history: lead time and throughput cannot be \
             compared; check that the workflow's `done` names the final status"
                .into(),
        );
    }
    let prov = provenance(req, &history, j.journeys.len(), delivered, window);
    // Write, read back, search workers on the model, write again.
    let first = scenario_text(&cal, &workflow, &prov);
    let scenario = read_back(req, &first)?;
    workers::search(&mut cal, &scenario.model, req.seed)?;
    let text = scenario_text(&cal, &workflow, &prov);
    let scenario = read_back(req, &text)?;
    let observed = check::summarize(&j, names.len(), window);
    let horizon = (window.1 - window.0) as f64 / DAY as f64;
    let simulated = check::simulate(&scenario.model, req.seed, req.check_runs.max(1), horizon)?;
    let fit_check = check::compare(&observed, &simulated, &names);
    Ok(Outcome {
        quality: history.quality.clone(),
        workflow,
        inferred,
        unmapped: j.unmapped.clone(),
        items: j.journeys.len(),
        delivered,
        window,
        calibration: cal,
        text,
        check: fit_check,
    })
}

fn read_back(req: &Request, text: &str) -> Result<Scenario, Error> {
    Scenario::from_text(&req.out_name, text).map_err(|e| {
        Error::Simulation(format!(
            "the calibrated scenario did not validate (a flowcast bug; please report it): {e}"
        ))
    })
}

fn provenance(
    req: &Request,
    history: &History,
    items: usize,
    delivered: usize,
    window: (Millis, Millis),
) -> Provenance {
    Provenance {
        name: req.name.clone(),
        files: req.paths.iter().map(|p| p.display().to_string()).collect(),
        rows: history.quality.rows,
        items,
        delivered,
        window: (date_of(window.0), date_of(window.1)),
        start: (!history.undated).then(|| date_of(window.1)),
        version: req.version.clone(),
    }
}

/// The calendar date (UTC) of an instant, `YYYY-MM-DD`.
pub fn date_of(at: Millis) -> String {
    jiff::Timestamp::from_millisecond(at)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
        .unwrap_or_else(|_| "2026-01-01".into())
}
