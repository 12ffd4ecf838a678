//! The fitted model as a forecaster of the past (`flowcast backtest --model`):
//! at a cut-off, calibrate a scenario from the status history's window before
//! it (calibrate's own fitting), simulate it, and count its deliveries day by
//! day after it — scored beside the history methods.
//!
//! The model starts empty, while the team at a cut-off has work in progress;
//! each simulated run therefore first runs `warmup_days` (the fitting
//! window's length) and counts deliveries from there, so the forecast is the
//! fitted stream in its steady state.

use std::path::PathBuf;

use jiff::civil::Date;

use super::journeys::{End, journeys};
use super::pipeline::{Request, calibrate};
use super::read::{ReadOptions, read};
use super::workflow::{Workflow, infer};
use super::{DAY, Millis};
use crate::error::Error;
use crate::scenario::Scenario;
use crate::sim::engine::{Record, Status};
use crate::sim::montecarlo::event_log_of_run;

/// The status history's deliveries: the date (UTC) each item first entered
/// a done status of `workflow` (inferred when `None`), and the workflow used.
pub fn delivery_dates(
    paths: &[PathBuf],
    opts: &ReadOptions,
    workflow: Option<&Workflow>,
) -> Result<(Vec<Date>, Workflow), Error> {
    let history = read(paths, opts)?;
    let workflow = workflow.cloned().unwrap_or_else(|| infer(&history));
    let j = journeys(&history, &workflow);
    let dates = j
        .journeys
        .iter()
        .filter_map(|jr| match jr.end {
            End::Delivered(at) => date_of(at),
            _ => None,
        })
        .collect();
    Ok((dates, workflow))
}

/// The UTC date of an instant.
pub fn date_of(at: Millis) -> Option<Date> {
    jiff::Timestamp::from_millisecond(at)
        .ok()
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// What the model forecast at one cut-off needs.
pub struct ModelForecast<'a> {
    /// The status history files.
    pub paths: &'a [PathBuf],
    /// How to read them (its window is set per cut-off).
    pub read: &'a ReadOptions,
    /// The workflow.
    pub workflow: &'a Workflow,
    /// Simulated runs per cut-off.
    pub runs: u64,
    /// Seed.
    pub seed: u64,
}

impl ModelForecast<'_> {
    /// Fits the model on `[from, cut)` and returns, per run, the items it
    /// delivered by the end of each of `days` days from `cut`, after a
    /// warm-up as long as the window.
    pub fn paths(&self, from: Date, cut: Date, days: usize) -> Result<Vec<Vec<u64>>, Error> {
        let ms = |d: Date| -> Result<Millis, Error> {
            d.to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp().as_millisecond())
                .map_err(|e| Error::Usage(e.to_string()))
        };
        let window = (ms(from)?, ms(cut)? - 1);
        let req = Request {
            paths: self.paths.to_vec(),
            read: ReadOptions {
                window: Some(window),
                ..self.read.clone()
            },
            workflow: Some(self.workflow.clone()),
            strict: false,
            name: "backtest".into(),
            out_name: "backtest.yaml".into(),
            seed: self.seed,
            check_runs: 1,
            weekdays_only: None,
            version: env!("CARGO_PKG_VERSION").into(),
        };
        let outcome = calibrate(&req)?;
        let scenario = Scenario::from_text("backtest.yaml", &outcome.text)
            .map_err(|e| Error::Simulation(format!("the fitted scenario did not validate: {e}")))?;
        let mut model = scenario.model;
        // Warm-up of the window's length, then the days counted.
        let warmup = (window.1 - window.0) as f64 / DAY as f64;
        let end = warmup + days as f64;
        let rate = model.arrivals.rate().unwrap_or(1.0);
        model.simulation.items = ((rate * end * 1.5).ceil() as u64).clamp(100, 1_000_000);
        model.simulation.warmup = 0;
        let mut out = Vec::with_capacity(self.runs as usize);
        let mut records: Vec<Record> = Vec::new();
        for k in 0..self.runs {
            records.clear();
            event_log_of_run(&model, self.seed, k, &mut |chunk: &[Record]| {
                records.extend_from_slice(chunk)
            })?;
            let mut per_day = vec![0u64; days];
            for r in &records {
                if r.status == Status::Done && r.time >= warmup && r.time < end {
                    per_day[((r.time - warmup) as usize).min(days - 1)] += 1;
                }
            }
            let path = per_day
                .iter()
                .scan(0u64, |s, d| {
                    *s += d;
                    Some(*s)
                })
                .collect();
            out.push(path);
        }
        Ok(out)
    }
}
