//! The event log of one run as CSV (`flowcast run --events`): one row per entry
//! of an item into a status — the long status-history format `flowcast
//! calibrate` reads, so a known scenario can be calibrated from its own log.
//!
//! Columns `key,type,status,timestamp`: `item-N` (N from 1 in order of arrival;
//! `item-N.K` for the K-th child of item N when it splits, item N's own rows
//! ending with its `done` when its last child is done);
//! the item type from `arrivals.mix` (empty when there is only one type);
//! `arrived` (held at the entrance for a positive time), `{stage}: waiting`,
//! `{stage}: in work`, `{stage}: finished` (kept in the outbox for a positive
//! time) and `done`; and the time — a UTC date-time with milliseconds when the
//! scenario has a `start`, else the simulated time in the scenario's unit.

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::model::Model;
use crate::model::calendar::Clock;
use crate::sim::engine::{Record, RunSummary, Status};
use crate::sim::montecarlo;

/// The header row of an event log.
pub const HEADER: [&str; 4] = ["key", "type", "status", "timestamp"];

/// How the rows of one model's log are written: its status and type names,
/// made once, and its clock.
#[derive(Debug)]
pub struct Rows {
    /// Per stage: `{stage}: waiting`, `{stage}: in work`, `{stage}: finished`.
    stages: Vec<[String; 3]>,
    types: Vec<String>,
    /// The dates of simulated time, when the scenario has a `start`.
    clock: Option<Clock>,
}

impl Rows {
    /// The names and clock of `model`'s log.
    pub fn new(model: &Model) -> Rows {
        let stages = model
            .stages
            .iter()
            .map(|s| {
                let n = &s.name;
                [
                    format!("{n}: waiting"),
                    format!("{n}: in work"),
                    format!("{n}: finished"),
                ]
            })
            .collect();
        let types = if model.types.len() == 1 {
            vec![String::new()]
        } else {
            model.types.iter().map(|t| t.name.clone()).collect()
        };
        let clock = model.start.and(model.clock());
        Rows {
            stages,
            types,
            clock,
        }
    }

    /// The status column of `status`.
    pub fn status(&self, status: Status) -> &str {
        let of = |s: u16, k: usize| self.stages.get(s as usize).map_or("", |n| n[k].as_str());
        match status {
            Status::Arrived => "arrived",
            Status::Waiting(s) => of(s, 0),
            Status::InWork(s) => of(s, 1),
            Status::Finished(s) => of(s, 2),
            Status::Done => "done",
        }
    }

    /// The type column of item type `ty`.
    pub fn type_name(&self, ty: u16) -> &str {
        self.types.get(ty as usize).map_or("", String::as_str)
    }

    /// The timestamp column of simulated time `t`: `2025-01-06T09:00:00.000+00:00`
    /// when the scenario has a `start`, else `t` itself (shortest form).
    pub fn timestamp(&self, t: f64) -> String {
        match &self.clock {
            Some(c) => c
                .datetime(t)
                .strftime("%Y-%m-%dT%H:%M:%S%.3f+00:00")
                .to_string(),
            None => format!("{t}"),
        }
    }
}

/// Simulates run 0 of `model` with `seed` (the first run of `flowcast run` with
/// that seed) and writes its event log as CSV to `out`; `name` is the file
/// named in errors. Returns the run's summary.
pub fn write_csv(
    model: &Model,
    seed: u64,
    out: impl Write,
    name: &Path,
) -> Result<RunSummary, Error> {
    let rows = Rows::new(model);
    let mut w = csv::Writer::from_writer(out);
    let mut failed: Option<csv::Error> = None;
    if let Err(e) = w.write_record(HEADER) {
        failed = Some(e);
    }
    let mut key = String::new();
    let mut sink = |records: &[Record]| {
        if failed.is_some() {
            return;
        }
        for r in records {
            key.clear();
            key.push_str("item-");
            key.push_str(&r.item.to_string());
            if r.part > 0 {
                key.push('.');
                key.push_str(&r.part.to_string());
            }
            let row = [
                key.as_str(),
                rows.type_name(r.ty),
                rows.status(r.status),
                &rows.timestamp(r.time),
            ];
            if let Err(e) = w.write_record(row) {
                failed = Some(e);
                return;
            }
        }
    };
    let summary = montecarlo::event_log(model, seed, &mut sink)?;
    let io = |source: std::io::Error| Error::Io {
        action: "write",
        path: name.to_path_buf(),
        source,
    };
    if let Some(e) = failed {
        return Err(io(e.into()));
    }
    w.flush().map_err(io)?;
    Ok(summary)
}
