//! Calibration: learn a scenario from the status history a team already has
//! (issue 11). The pipeline, one file per step:
//!
//! ```text
//! files ─▶ read (long CSV, Jira JSON, wide CSV) ─▶ History (items, their status entries)
//!       ─▶ workflow (given or inferred) ─▶ journeys (visits per stage: queue, active, blocked)
//!       ─▶ fit (arrivals, work, workers, rework, schedules, batches, calendar) ─▶ Calibration
//!       ─▶ scenario text with provenance ─▶ fit check (simulated beside observed)
//! ```
//!
//! Times are whole milliseconds since the Unix epoch (UTC) — [`Millis`] — so
//! that sums are exact; conversions to the scenario's time unit happen once,
//! when numbers are fitted.
//!
//! May use `sim`, `model`, `scenario` (to read back the scenario it writes) and
//! `stats`; never prints or writes files.

pub mod backtest;
pub mod check;
pub mod fit;
pub mod history;
mod infer;
pub mod journeys;
pub mod observe;
pub mod pipeline;
pub mod read;
pub mod scenario_text;
pub mod time;
pub mod workers;
pub mod workflow;

pub use history::{Entry, History, ItemHistory, Quality};
pub use journeys::{End, Journey, Journeys, Visit, journeys};
pub use read::{Columns, ReadOptions, read};
pub use time::{format_millis, window};
pub use workflow::{Role, Workflow, WorkflowStage, infer};

/// Milliseconds since 1970-01-01T00:00:00Z. In an undated event log (a scenario
/// without `start`), the simulated time in milliseconds of the time unit's
/// length counted from 1970-01-01, so that every step downstream is the same.
pub type Millis = i64;

/// One hour in [`Millis`].
pub const HOUR: Millis = 3_600_000;
/// One day (24 h) in [`Millis`].
pub const DAY: Millis = 24 * HOUR;
