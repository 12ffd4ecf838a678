//! Delivery forecasts: *when* will a backlog be done, and *how many* items by a
//! date (SPEC §2.6, §4) — from simulated runs or from a delivery history.
//!
//! The two answers read the runs in opposite directions, which is why one
//! rises and the other falls as confidence rises:
//!
//! - [`When`]`.p85` is the date by which the whole backlog is delivered in 85%
//!   of runs: the smallest date on or before which at least 85% of runs
//!   finished (the nearest-rank 85th percentile of completion dates).
//! - [`HowMany`]`.p85` is the number of items delivered by the `by` date in at
//!   least 85% of runs: the largest count that at least 85% of runs reached.
//!
//! Day 1 is the start date, and an item delivered on a date counts "by" that
//! date.
//!
//! ```
//! use flowcast::analysis::forecast::History;
//! use jiff::civil::date;
//!
//! let csv = "key,resolved\nA-1,2026-11-02\nA-2,2026-11-02\nA-3,2026-11-04\n";
//! let history = History::from_csv(csv).unwrap();
//! assert_eq!(history.daily(), &[2, 0, 1]);
//! let (when, how_many) = history
//!     .forecast(date(2026, 12, 1), 10, Some(date(2026, 12, 10)), 500, 7)
//!     .unwrap();
//! assert!(when.p50 <= when.p95);
//! let how_many = how_many.unwrap();
//! assert!(how_many.p95 <= how_many.p50);
//! ```

use jiff::Span;
use jiff::civil::{Date, DateTime};
use serde::Serialize;

use crate::error::Error;
use crate::model::{Arrivals, Model};
use std::collections::BTreeMap;

use crate::sim::montecarlo::{self, BEYOND, Tally};
use crate::sim::results::{LEVELS, PairedRunning, When, levels_text, when_from_counts};
use crate::stats::{PairedDelta, percent_rank};

pub mod backtest;
pub mod calibrated;
mod history;
pub mod read;
pub mod workdays;

pub use history::{History, HistoryError, Method};
pub use read::{Filter, HistoryOptions, ReadSummary};
pub use workdays::{Mask, WorkDays};

/// How far ahead a history forecast may look before it gives up.
const HORIZON_YEARS: u32 = 100;
const HORIZON_DAYS: u64 = 36_525;

/// Column names, normalised, that hold the delivery date, best first: ours,
/// then what Jira, ActionableAgile and similar tools export.
pub const DATE_COLUMNS: [&str; 20] = [
    "date",
    "delivery date",
    "delivered",
    "delivered date",
    "delivered at",
    "done",
    "done date",
    "completed",
    "completed date",
    "completion date",
    "completed at",
    "resolved",
    "resolution date",
    "resolutiondate",
    "resolved date",
    "resolved at",
    "closed",
    "closed date",
    "closed at",
    "closedat",
];

/// Items delivered by a date at 50, 70, 85 and 95% confidence: `p85` is the
/// number delivered by `by` in at least 85% of runs (so it falls as
/// confidence rises).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HowMany {
    /// The date the counts are for (deliveries on it count).
    pub by: Date,
    /// Delivered by `by` in at least half of the runs.
    pub p50: u64,
    /// Delivered by `by` in at least 70% of runs.
    pub p70: u64,
    /// Delivered by `by` in at least 85% of runs.
    pub p85: u64,
    /// Delivered by `by` in at least 95% of runs.
    pub p95: u64,
}

/// A whole forecast: the two answers and the runs behind them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    /// When the backlog is done.
    pub when: When,
    /// How many items are done by the date asked about, if one was.
    pub how_many: Option<HowMany>,
    /// The runs day by day, for the completion-date chart and the burn-up.
    pub spread: Spread,
}

/// Computes [`HowMany`] from each run's count of items delivered by `by`
/// (in any order); `None` when there are no runs.
pub fn how_many(by: Date, counts: &[u64]) -> Option<HowMany> {
    if counts.is_empty() {
        return None;
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    // At least `rank` runs delivered the rank-th largest count or more.
    let at = |level| sorted[sorted.len() - percent_rank(level, sorted.len())];
    Some(HowMany {
        by,
        p50: at(LEVELS[0]),
        p70: at(LEVELS[1]),
        p85: at(LEVELS[2]),
        p95: at(LEVELS[3]),
    })
}

/// Computes [`HowMany`] from a histogram of per-run counts (count → runs);
/// the same answers as [`how_many`] on the runs' counts. `None` when empty.
pub fn how_many_from_counts(by: Date, counts: &BTreeMap<u64, u64>) -> Option<HowMany> {
    let n: u64 = counts.values().sum();
    if n == 0 {
        return None;
    }
    // The rank-th largest count: at least `rank` runs delivered it or more.
    let at = |level| {
        let rank = percent_rank(level, usize::try_from(n).unwrap_or(usize::MAX)) as u64;
        let mut seen = 0;
        for (k, c) in counts.iter().rev() {
            seen += c;
            if seen >= rank {
                return *k;
            }
        }
        *counts.keys().next().expect("not empty")
    };
    Some(HowMany {
        by,
        p50: at(LEVELS[0]),
        p70: at(LEVELS[1]),
        p85: at(LEVELS[2]),
        p95: at(LEVELS[3]),
    })
}

/// At most this many points of a burn-up are kept per run — every item when the
/// backlog is no larger — so a run's summary stays a few hundred bytes.
pub const BURNUP_POINTS: u64 = 64;

/// The item counts, from the start of a forecast, at which its burn-up is
/// sampled: every count `1..=left` when `left` ≤ [`BURNUP_POINTS`], else
/// [`BURNUP_POINTS`] counts spread evenly, always ending at `left`.
///
/// ```
/// assert_eq!(flowcast::analysis::forecast::milestones(3), vec![1, 2, 3]);
/// let m = flowcast::analysis::forecast::milestones(1000);
/// assert_eq!((m.len(), m[0], m[63]), (64, 16, 1000));
/// ```
pub fn milestones(left: u64) -> Vec<u64> {
    if left <= BURNUP_POINTS {
        return (1..=left).collect();
    }
    (1..=BURNUP_POINTS)
        .map(|j| {
            let m = (u128::from(j) * u128::from(left)).div_ceil(u128::from(BURNUP_POINTS));
            u64::try_from(m).unwrap_or(left)
        })
        .collect()
}

/// A forecast's runs seen day by day: on which day (0 = the start date) each
/// run reached each milestone count. The completion-date chart and the burn-up
/// are drawn from it.
///
/// The burn-up's `level`% line is the [`HowMany`] convention applied to every
/// day: the largest count that at least `level`% of runs had reached by the end
/// of that day. A run has `n` items done by day `d` exactly when it reached
/// milestone `n` on or before `d`, so that count is the largest milestone whose
/// nearest-rank `level`% day is `d` or earlier — which is how
/// [`Spread::count_by`] computes it. With every item a milestone (backlogs of
/// up to [`BURNUP_POINTS`]), it equals [`how_many`] at every date.
///
/// It holds, per milestone, how many runs reached it on each day — a histogram,
/// exact at day resolution — so its size grows with the days spanned, never
/// with the number of runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spread {
    start: Date,
    done: u64,
    milestones: Vec<u64>,
    /// `days[j]`: (day, runs that reached `milestones[j]` that day), by day.
    days: Vec<Vec<(u32, u64)>>,
}

impl Spread {
    /// Builds the spread from each run's days of reaching `milestones` (in the
    /// milestones' order); `done` items were done before the start and are
    /// added to every count. A run that reached only some milestones counts for
    /// those alone.
    pub fn new<'a>(
        start: Date,
        done: u64,
        milestones: Vec<u64>,
        runs: impl IntoIterator<Item = &'a [u32]>,
    ) -> Spread {
        let mut days = vec![BTreeMap::new(); milestones.len()];
        for run in runs {
            for (j, d) in run.iter().take(milestones.len()).enumerate() {
                *days[j].entry(*d).or_insert(0) += 1;
            }
        }
        Spread::from_counts(start, done, milestones, &days)
    }

    /// Builds the spread from per-milestone histograms (day → runs that
    /// reached the milestone that day), in the milestones' order.
    pub fn from_counts(
        start: Date,
        done: u64,
        milestones: Vec<u64>,
        days: &[BTreeMap<u32, u64>],
    ) -> Spread {
        let days = days
            .iter()
            .take(milestones.len())
            .map(|m| m.iter().map(|(d, c)| (*d, *c)).collect())
            .collect();
        Spread {
            start,
            done,
            milestones,
            days,
        }
    }

    /// Heap bytes held: a few words per (milestone, day), none per run.
    pub fn retained_bytes(&self) -> usize {
        self.days
            .iter()
            .map(|d| d.capacity() * size_of::<(u32, u64)>())
            .sum::<usize>()
            + self.milestones.capacity() * size_of::<u64>()
    }

    /// Day 1 of the forecast (day number 0).
    pub fn start(&self) -> Date {
        self.start
    }

    /// Items done before the start.
    pub fn done(&self) -> u64 {
        self.done
    }

    /// The whole backlog: done before the start plus the items forecast.
    pub fn total(&self) -> u64 {
        self.done + self.milestones.last().copied().unwrap_or(0)
    }

    /// The date of day number `day` (0 = the start), saturating at the last date
    /// that can be shown.
    pub fn date(&self, day: u32) -> Date {
        self.start
            .checked_add(Span::new().days(i64::from(day)))
            .unwrap_or(Date::MAX)
    }

    /// The day number of `date` (negative before the start).
    pub fn day_of(&self, date: Date) -> i64 {
        day_number(self.start, date)
    }

    /// On which days runs delivered their last item: (day, runs), by day (empty
    /// when nothing was left to do). A run that finished after the last date
    /// that can be shown is at day [`montecarlo::BEYOND`].
    pub fn completion_days(&self) -> &[(u32, u64)] {
        self.days.last().map_or(&[], Vec::as_slice)
    }

    /// The runs that delivered the whole backlog (0 when nothing was left to do).
    pub fn runs(&self) -> u64 {
        self.completion_days().iter().map(|(_, c)| c).sum()
    }

    /// The nearest-rank `level`% day of milestone `j`: the earliest day by which
    /// at least `level`% of runs had reached it.
    fn day_at(&self, level: usize, j: usize) -> Option<u32> {
        let d = &self.days[j];
        let n: u64 = d.iter().map(|(_, c)| c).sum();
        if n == 0 {
            return None;
        }
        let rank = percent_rank(level, usize::try_from(n).unwrap_or(usize::MAX)) as u64;
        let mut seen = 0;
        d.iter()
            .find(|(_, c)| {
                seen += c;
                seen >= rank
            })
            .map(|(day, _)| *day)
    }

    /// The burn-up line at `level`% confidence: (day, items done) at each day on
    /// which the count rises, starting from (0, done).
    pub fn band(&self, level: usize) -> Vec<(u32, u64)> {
        let mut out = vec![(0, self.done)];
        for (j, m) in self.milestones.iter().enumerate() {
            if let Some(day) = self.day_at(level, j) {
                match out.last_mut() {
                    Some(last) if last.0 == day => last.1 = self.done + m,
                    _ => out.push((day, self.done + m)),
                }
            }
        }
        out
    }

    /// The share of runs (0 to 1) that delivered the whole backlog by the end of
    /// `date` (1 when nothing was left to do).
    pub fn chance_done_by(&self, date: Date) -> f64 {
        let days = self.completion_days();
        let runs = self.runs();
        if runs == 0 {
            return 1.0;
        }
        let day = self.day_of(date);
        let n: u64 = days
            .iter()
            .take_while(|(d, _)| i64::from(*d) <= day)
            .map(|(_, c)| c)
            .sum();
        n as f64 / runs as f64
    }

    /// Items done by the end of day `day` in at least `level`% of runs.
    pub fn count_by(&self, level: usize, day: i64) -> u64 {
        self.band(level)
            .iter()
            .take_while(|(d, _)| i64::from(*d) <= day)
            .last()
            .map_or(self.done, |p| p.1)
    }
}

/// Days from `from` to `to` (negative when `to` is earlier).
fn day_number(from: Date, to: Date) -> i64 {
    // A civil day is exactly 24 hours in jiff's civil arithmetic.
    from.duration_until(to).as_secs().div_euclid(86_400)
}

/// What a forecast is asked: the same for the model and the history.
pub struct Plan {
    /// Day 1 of the forecast.
    pub start: DateTime,
    /// Items in the backlog.
    pub backlog: u64,
    /// Items of the backlog already done.
    pub done: u64,
    /// The date "how many by" is asked about.
    pub by: Option<Date>,
    /// Runs.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Worker threads (`None`: all cores).
    pub threads: Option<usize>,
}

/// Simulates the items left of the backlog from the start date, `plan.runs`
/// times, under each model (the baseline first; all on the same random draws).
/// Returns each model's forecast and, for every model after the first, the
/// change in completion day against the first, run by run.
///
/// A forecast whose date at some confidence level lies after 9999-12-31 (or
/// never comes) is an error that says which levels: no date shown for them
/// would be the answer.
pub fn from_models(
    models: &[&Model],
    plan: &Plan,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<(Forecast, Option<PairedDelta>)>, Error> {
    let left = plan.backlog - plan.done;
    let day1 = plan.start.date();
    let marks = milestones(left);
    let tallies = if left == 0 {
        nothing_left(models.len(), plan.runs, progress)
    } else {
        simulate_left(models, plan, left, &marks, progress)?
    };
    tallies
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut dates = BTreeMap::new();
            for (day, n) in &t.end_days {
                let date = (*day != BEYOND)
                    .then(|| day1.checked_add(Span::new().days(i64::from(*day))).ok())
                    .flatten();
                *dates.entry(date).or_insert(0) += n;
            }
            let when = when_from_counts(&dates)
                .map_err(|levels| beyond_range(&levels, &dates, plan.runs))?
                .ok_or_else(|| Error::Usage("no runs".into()))?;
            let counts: BTreeMap<u64, u64> = t
                .delivered_by
                .iter()
                .map(|(k, n)| (k + plan.done, *n))
                .collect();
            let forecast = Forecast {
                when,
                how_many: plan.by.and_then(|b| how_many_from_counts(b, &counts)),
                spread: Spread::from_counts(day1, plan.done, marks.clone(), &t.reached),
            };
            Ok((forecast, (i > 0).then(|| t.change.delta())))
        })
        .collect()
}

/// The tallies when nothing is left: every run is done on day 1 with what was done.
fn nothing_left(count: usize, runs: u64, progress: &(dyn Fn() + Sync)) -> Vec<Tally> {
    let mut change = PairedRunning::new(true);
    for _ in 0..runs {
        change.add(0.0, 0.0);
        progress();
    }
    let tally = Tally {
        end_days: BTreeMap::from([(0, runs)]),
        delivered_by: BTreeMap::from([(0, runs)]),
        reached: Vec::new(),
        change,
    };
    vec![tally; count]
}

/// Simulates the `left` items from day 1 under each model, with the date
/// asked about as the deadline and `marks` as milestones.
fn simulate_left(
    models: &[&Model],
    plan: &Plan,
    left: u64,
    marks: &[u64],
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Tally>, Error> {
    let day1 = plan.start.date();
    let prepared: Vec<Model> = models
        .iter()
        .map(|model| {
            let mut m = (*model).clone();
            m.arrivals = Arrivals::Backlog(left);
            m.start = Some(plan.start);
            m
        })
        .collect();
    let clock = prepared[0]
        .clock()
        .expect("a model with a start date has a clock");
    let deadline = match plan.by {
        Some(d) => clock.at(d
            .tomorrow()
            .map_err(|_| Error::Usage("--by is too late".into()))?
            .at(0, 0, 0, 0)),
        None => f64::INFINITY,
    };
    let refs: Vec<&Model> = prepared.iter().collect();
    montecarlo::completions(
        &refs,
        day1,
        plan.runs,
        plan.seed,
        plan.threads,
        deadline,
        marks,
        progress,
    )
}

/// The error for a forecast whose date at `levels` lies after 9999-12-31.
fn beyond_range(levels: &[usize], dates: &BTreeMap<Option<Date>, u64>, runs: u64) -> Error {
    let late = dates.get(&None).copied().unwrap_or(0);
    Error::Simulation(format!(
        "the forecast's {} date{} after 9999-12-31, the last date that can be shown: \
         in {late} of {runs} runs the backlog is not done before the year 10000. \
         Check the scenario's work and wait times (and their units), or forecast fewer items",
        levels_text(levels),
        if levels.len() == 1 {
            " falls"
        } else {
            "s fall"
        },
    ))
}

#[cfg(test)]
mod tests;
