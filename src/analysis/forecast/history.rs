//! Forecasts from a delivery history: reading the CSV of delivery dates,
//! choosing a window of it, and resampling its days into the future.

use jiff::Span;
use jiff::civil::Date;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::collections::BTreeMap;

use super::calibrated::{Calibration, quantile_of_run};
use super::read::{HistoryOptions, ReadSummary};
use super::workdays::{Mask, WorkDays};
use super::{
    Forecast, HORIZON_DAYS, HORIZON_YEARS, HowMany, Spread, day_number, how_many_from_counts,
    milestones,
};
use crate::sim::results::{When, when_from_counts};

/// What is wrong with a delivery history or a forecast from it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    /// A value in the date column is not a date.
    #[error(
        "line {line}: `{value}` is not a date; write delivery dates as 2026-11-03, \
         2026-11-03T14:05 or Jira's 20/Jul/22 20:51, or give --date-format (e.g. %m/%d/%Y)"
    )]
    NotADate {
        /// 1-based line of the file.
        line: u64,
        /// The value as written.
        value: String,
    },
    /// The file holds no delivery dates (it is empty or has only a header).
    #[error(
        "no delivery dates: the history needs one delivery date per row, such as \
         2026-11-03 (a header line and other columns are allowed)"
    )]
    NoDates,
    /// The file is not readable as CSV.
    #[error("line {line}: {message}")]
    Csv {
        /// 1-based line of the file.
        line: u64,
        /// What the CSV reader found wrong.
        message: String,
    },
    /// A column named by `--column` or `--where` is not in the header.
    #[error("{flag} names the column `{name}`, but the header has only: {header}")]
    NoColumn {
        /// The flag that named it.
        flag: String,
        /// The name given.
        name: String,
        /// The header's names, comma-separated.
        header: String,
    },
    /// An option of the reader is wrong (such as an unknown `--tz`).
    #[error("{message}")]
    Option {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The window starts after it ends.
    #[error("the window starts on {from}, after it ends on {to}; swap the two dates")]
    BackwardWindow {
        /// The window's first date.
        from: Date,
        /// The window's last date.
        to: Date,
    },
    /// No delivery falls in the window.
    #[error(
        "no deliveries between {from} and {to}; the history has deliveries from \
         {first} to {last}, so choose a window inside those dates"
    )]
    EmptyWindow {
        /// The window's first date.
        from: Date,
        /// The window's last date.
        to: Date,
        /// The history's first date.
        first: Date,
        /// The history's last date.
        last: Date,
    },
    /// Every sampled day delivered nothing, so no backlog would ever be done.
    #[error(
        "the history has no deliveries in the window ({first} to {last}), so the \
         backlog would never be done; widen the window"
    )]
    NoDeliveries {
        /// The first day sampled.
        first: Date,
        /// The last day sampled.
        last: Date,
    },
    /// At the history's pace the backlog would take longer than the horizon.
    #[error(
        "at the pace of the history, {backlog} items would take more than {years} \
         years; check the backlog size and the history's dates"
    )]
    TooLong {
        /// The backlog asked about.
        backlog: u64,
        /// The horizon, in years.
        years: u32,
    },
    /// The `by` date is further ahead than the horizon.
    #[error("{by} is more than {years} years after the start {start}; choose an earlier date")]
    ByTooFar {
        /// The date asked about.
        by: Date,
        /// The forecast's start date.
        start: Date,
        /// The horizon, in years.
        years: u32,
    },
    /// A forecast was asked for with no runs.
    #[error("the number of runs must be at least 1")]
    NoRuns,
    /// The history is too short for the calibrated method.
    #[error(
        "the calibrated method needs at least {needed} days of history (its pace is measured \
         over the last {level_days} days, and it checks how far that pace was off at enough \
         earlier dates), but this history spans {days}; give a longer history, or use \
         --method daily, whose ranges on real teams come true less often than they say"
    )]
    TooShortToCalibrate {
        /// Days the history spans.
        days: usize,
        /// Days needed.
        needed: usize,
        /// Days the pace is measured over.
        level_days: usize,
    },
    /// The history is too short to forecast its past at even one cut-off.
    #[error(
        "a backtest of this history needs at least {needed} days (the window before a cut-off, \
         the longest horizon after it, and what the methods need to forecast), but it spans \
         {days}; give a longer history, a shorter --window or shorter --horizons"
    )]
    TooShortToBacktest {
        /// Days the history spans.
        days: usize,
        /// Days needed.
        needed: usize,
    },
    /// A forecast date falls after the last date that can be shown.
    #[error("the forecast runs past 9999-12-31, the last date that can be shown; start earlier")]
    OutOfRange,
}

/// A delivery history read from CSV: the number of items delivered on every
/// calendar day of its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// The first day of the history.
    pub(super) first: Date,
    /// The last day of the history.
    pub(super) last: Date,
    /// Deliveries on `first`, the day after, … `last`.
    pub(super) daily: Vec<u32>,
    /// The team's working days, when only those are resampled.
    pub(super) workdays: Option<WorkDays>,
}

impl History {
    /// Reads a CSV of delivery dates, one delivered item per row.
    ///
    /// A header line and other columns are allowed. The date column is the
    /// one named `date` (in any case), else one named as Jira and similar
    /// tools export it (`resolved`, `resolution date`, `done`, `completed`,
    /// `delivered`, `closed` …), else the first column. Dates are ISO
    /// (`2026-11-03`) or ISO date-times (`2026-11-03T14:05:00`,
    /// `2026-11-03 14:05`, with or without an offset), of which the date as
    /// written counts. Blank lines, and rows whose date cell is empty (items
    /// not delivered yet, as in a Jira export), are skipped. Any other value
    /// that is not a date is an error naming its line.
    pub fn from_csv(text: &str) -> Result<History, HistoryError> {
        History::read(text, &HistoryOptions::default()).map(|(h, _)| h)
    }

    /// Reads a CSV of delivery dates as [`History::from_csv`] does, under the
    /// user's options, and says what it used and left out.
    ///
    /// The separator (`,`, `;` or tab) is the header line's. The date column
    /// is `opts.column`, else the first of [`DATE_COLUMNS`](super::DATE_COLUMNS) there is, else the
    /// first. Dates are ISO (with or without time and offset), Jira's
    /// `20/Jul/22 20:51` and `30/Sep/21 5:20 PM`, or `opts.date_format`; with
    /// `opts.tz`, a time is moved into that zone's day. Empty cells and
    /// `None`, `NaN`, `null`, `-` are items not delivered (counted); rows not
    /// meeting every `opts.filters` are left out (counted).
    pub fn read(text: &str, opts: &HistoryOptions) -> Result<(History, ReadSummary), HistoryError> {
        super::read::read(text, opts)
    }

    /// [`History::read`] of a file's bytes in any of the encodings of
    /// [`decode`](super::read::decode).
    pub fn read_bytes(
        bytes: &[u8],
        opts: &HistoryOptions,
    ) -> Result<(History, ReadSummary), HistoryError> {
        super::read::read(&super::read::decode(bytes), opts)
    }

    /// The number of deliveries in the history (or its window).
    pub fn deliveries(&self) -> u64 {
        self.daily.iter().map(|n| u64::from(*n)).sum()
    }

    /// A history of `daily` deliveries per calendar day from `first`; `None`
    /// when it is empty or runs past the last date there is.
    pub fn from_daily(first: Date, daily: Vec<u32>) -> Option<History> {
        let days = i64::try_from(daily.len()).ok()?.checked_sub(1)?;
        let last = first.checked_add(jiff::Span::new().days(days)).ok()?;
        Some(History {
            first,
            last,
            daily,
            workdays: None,
        })
    }

    /// Builds the daily counts from delivery dates; `None` when there are none.
    pub fn from_dates(dates: &[Date]) -> Option<History> {
        let first = *dates.iter().min()?;
        let last = *dates.iter().max()?;
        let mut daily = vec![0u32; day_number(first, last) as usize + 1];
        for d in dates {
            let slot = &mut daily[day_number(first, *d) as usize];
            *slot = slot.saturating_add(1);
        }
        Some(History {
            first,
            last,
            daily,
            workdays: None,
        })
    }

    /// Restricts the days resampled to those in `[from, to]` (the
    /// `--window`); a missing bound is the history's own first or last day.
    /// Days outside the history's span are not known, so the window is also
    /// cut to that span. An error when no delivery falls in the window.
    pub fn window(&self, from: Option<Date>, to: Option<Date>) -> Result<History, HistoryError> {
        let (from, to) = (from.unwrap_or(self.first), to.unwrap_or(self.last));
        if from > to {
            return Err(HistoryError::BackwardWindow { from, to });
        }
        let empty = HistoryError::EmptyWindow {
            from,
            to,
            first: self.first,
            last: self.last,
        };
        let (first, last) = (from.max(self.first), to.min(self.last));
        if first > last {
            return Err(empty);
        }
        let (a, b) = (day_number(self.first, first), day_number(self.first, last));
        let daily = self.daily[a as usize..=b as usize].to_vec();
        if daily.iter().all(|n| *n == 0) {
            return Err(empty);
        }
        Ok(History {
            first,
            last,
            daily,
            workdays: self.workdays.clone(),
        })
    }

    /// The daily throughput samples: one per calendar day from the first to
    /// the last date, days with no delivery counting as 0.
    pub fn daily(&self) -> &[u32] {
        &self.daily
    }

    /// The first and last day of the history (or of its window).
    pub fn span(&self) -> (Date, Date) {
        (self.first, self.last)
    }

    /// The history on the team's working days: deliveries on a day off count
    /// toward the next working day (the span grows to it when the history
    /// ends on days off), and forecasts resample working days only and step
    /// their dates over days off.
    pub fn with_workdays(self, workdays: WorkDays) -> History {
        let mut daily = Vec::with_capacity(self.daily.len() + 7);
        let mut carry = 0u32;
        let mask = workdays.mask(self.first);
        for (d, n) in self.daily.iter().enumerate() {
            carry = carry.saturating_add(*n);
            if mask.at(d) {
                daily.push(carry);
                carry = 0;
            } else {
                daily.push(0);
            }
        }
        while carry > 0 {
            let d = daily.len();
            if mask.at(d) {
                daily.push(carry);
                carry = 0;
            } else {
                daily.push(0);
            }
        }
        History::from_daily(self.first, daily)
            .map(|h| History {
                workdays: Some(workdays),
                ..h
            })
            .unwrap_or(self)
    }

    /// The working days, when the history has them.
    pub fn workdays(&self) -> Option<&WorkDays> {
        self.workdays.as_ref()
    }

    /// Which days from `from` are working days (all without working days).
    pub fn mask(&self, from: Date) -> Mask {
        Mask::new(self.workdays.as_ref(), from)
    }

    /// The days resampled: every day's deliveries, or the working days' only.
    pub fn samples(&self) -> Vec<u32> {
        match &self.workdays {
            None => self.daily.clone(),
            Some(_) => {
                let mask = self.mask(self.first);
                self.daily
                    .iter()
                    .enumerate()
                    .filter(|(d, _)| mask.at(*d))
                    .map(|(_, n)| *n)
                    .collect()
            }
        }
    }

    /// Working days among the last `days` days of the history.
    pub fn working_days_in_last(&self, days: usize) -> usize {
        let n = self.daily.len();
        let from = n.saturating_sub(days);
        let mask = self.mask(self.first);
        (from..n).filter(|d| mask.at(*d)).count()
    }

    /// Forecasts a backlog by resampling daily throughput (Monte Carlo, the
    /// method of ActionableAgile and the public forecasting spreadsheets).
    ///
    /// Each run draws every calendar day's throughput, from `start` onwards,
    /// uniformly at random from [`History::daily`]. [`When`] is how long until
    /// `backlog` items are done: day 1 is `start`, so a run needing `n` days
    /// completes on `start + (n − 1)` days (a backlog of 0 completes on
    /// `start`). [`HowMany`], when `by` is given, counts items delivered from
    /// `start` through `by` inclusive (0 when `by` is before `start`), at most
    /// the backlog, since resampled throughput would go on past it; both
    /// come from the same draws. Run `r` draws from its own generator seeded
    /// from `(seed, r)`, so the result depends only on the arguments.
    pub fn forecast(
        &self,
        start: Date,
        backlog: u64,
        by: Option<Date>,
        runs: u64,
        seed: u64,
    ) -> Result<(When, Option<HowMany>), HistoryError> {
        let f = self.forecast_spread(start, backlog, 0, by, runs, seed)?;
        Ok((f.when, f.how_many))
    }

    /// [`History::forecast`] of the `backlog − done` items left, with the
    /// counts of [`HowMany`] capped at what is left and `done` added, and the
    /// runs' [`Spread`] for the charts.
    pub fn forecast_spread(
        &self,
        start: Date,
        backlog: u64,
        done: u64,
        by: Option<Date>,
        runs: u64,
        seed: u64,
    ) -> Result<Forecast, HistoryError> {
        let left = backlog.saturating_sub(done);
        if runs == 0 {
            return Err(HistoryError::NoRuns);
        }
        let samples = self.samples();
        if samples.iter().all(|n| *n == 0) {
            return Err(HistoryError::NoDeliveries {
                first: self.first,
                last: self.last,
            });
        }
        let mask = self.mask(start);
        let by_days = days_through(start, by)?;
        let marks = milestones(left);
        // Histograms, not runs: memory does not grow with `runs`.
        let mut needed: BTreeMap<u64, u64> = BTreeMap::new();
        let mut counts: BTreeMap<u64, u64> = BTreeMap::new();
        let mut reached: Vec<BTreeMap<u32, u64>> = vec![BTreeMap::new(); marks.len()];
        for run in 0..runs {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(run_seed(seed, run));
            let (days, by_count) = resample(
                &samples,
                &mask,
                &mut rng,
                left,
                by_days,
                &marks,
                &mut reached,
            )?;
            *needed.entry(days).or_insert(0) += 1;
            if by.is_some() {
                // Resampled throughput does not stop at the backlog: no more than
                // what is left can be done.
                *counts.entry(by_count.min(left) + done).or_insert(0) += 1;
            }
        }
        assemble(start, done, by, marks, needed, &counts, &reached)
    }

    /// The forecast of [`History::forecast_spread`] by `method`: daily
    /// resampling of the whole history (or window), or the
    /// [calibrated](super::calibrated) method, whose pace is the last
    /// `level_days` of it and whose ranges come from all of it.
    #[allow(clippy::too_many_arguments)] // the forecast's question, as the other methods take it
    pub fn forecast_with(
        &self,
        method: Method,
        start: Date,
        backlog: u64,
        done: u64,
        by: Option<Date>,
        runs: u64,
        seed: u64,
    ) -> Result<Forecast, HistoryError> {
        match method {
            Method::Daily => self.forecast_spread(start, backlog, done, by, runs, seed),
            Method::Calibrated { level_days } => {
                let calibration = match &self.workdays {
                    None => Calibration::new(&self.daily, level_days)?,
                    Some(_) => {
                        Calibration::new(&self.samples(), self.working_days_in_last(level_days))?
                    }
                };
                let mask = self.workdays.is_some().then(|| self.mask(start));
                calibrated_forecast(&calibration, start, backlog, done, by, runs, mask.as_ref())
            }
        }
    }
}

/// One resampled future: days drawn from `samples` until the `left` items
/// are done and `by_days` have passed, each working day of `mask` drawing its
/// deliveries and days off delivering nothing. Counts the day each milestone
/// of `marks` is reached into `reached`; returns the day the last item is
/// done and the items done by day `by_days`.
fn resample(
    samples: &[u32],
    mask: &Mask,
    rng: &mut Xoshiro256PlusPlus,
    left: u64,
    by_days: u64,
    marks: &[u64],
    reached: &mut [BTreeMap<u32, u64>],
) -> Result<(u64, u64), HistoryError> {
    let (mut finished_by, mut day) = (0u64, 0u64);
    let (mut finished, mut by_count) = (None, 0);
    let mut next = 0;
    if left == 0 {
        finished = Some(1);
    }
    while finished.is_none() || day < by_days {
        if day >= HORIZON_DAYS {
            return Err(HistoryError::TooLong {
                backlog: left,
                years: HORIZON_YEARS,
            });
        }
        if mask.at(day as usize) {
            finished_by += u64::from(samples[rng.random_range(0..samples.len())]);
        }
        day += 1;
        while next < marks.len() && finished_by >= marks[next] {
            // Day numbers count from 0 and stay below the horizon.
            *reached[next].entry((day - 1) as u32).or_insert(0) += 1;
            next += 1;
        }
        if day == by_days {
            by_count = finished_by;
        }
        if finished.is_none() && finished_by >= left {
            finished = Some(day);
        }
    }
    let days = finished.expect("the loop runs until the backlog is finished");
    Ok((days, by_count))
}

/// The calibrated method's forecast: run `i` follows the `(i + ½)/runs`
/// quantile at every horizon (see [`super::calibrated`]).
pub(super) fn calibrated_forecast(
    calibration: &Calibration,
    start: Date,
    backlog: u64,
    done: u64,
    by: Option<Date>,
    runs: u64,
    mask: Option<&Mask>,
) -> Result<Forecast, HistoryError> {
    let left = backlog.saturating_sub(done);
    if runs == 0 {
        return Err(HistoryError::NoRuns);
    }
    let by_days = days_through(start, by)? as usize;
    let marks = milestones(left);
    let mut needed: BTreeMap<u64, u64> = BTreeMap::new();
    let mut counts: BTreeMap<u64, u64> = BTreeMap::new();
    let mut reached: Vec<BTreeMap<u32, u64>> = vec![BTreeMap::new(); marks.len()];
    let mut path = Vec::new();
    for i in 0..runs {
        path.clear();
        let u = quantile_of_run(i, runs);
        if !calibration.extend_on(u, left, by_days, HORIZON_DAYS as usize, mask, &mut path) {
            return Err(if calibration.pace() == 0.0 {
                HistoryError::NoDeliveries {
                    first: start,
                    last: start,
                }
            } else {
                HistoryError::TooLong {
                    backlog: left,
                    years: HORIZON_YEARS,
                }
            });
        }
        let days = if left == 0 {
            1
        } else {
            path.partition_point(|c| *c < left) as u64 + 1
        };
        *needed.entry(days).or_insert(0) += 1;
        if by.is_some() {
            let by_count = if by_days == 0 { 0 } else { path[by_days - 1] };
            *counts.entry(by_count.min(left) + done).or_insert(0) += 1;
        }
        for (j, m) in marks.iter().enumerate() {
            let day = path.partition_point(|c| c < m);
            *reached[j].entry(day as u32).or_insert(0) += 1;
        }
    }
    assemble(start, done, by, marks, needed, &counts, &reached)
}

/// The forecast from the runs' histograms: days needed (1 = the start
/// date), items by `by`, and the days each milestone was reached.
pub(super) fn assemble(
    start: Date,
    done: u64,
    by: Option<Date>,
    marks: Vec<u64>,
    needed: BTreeMap<u64, u64>,
    counts: &BTreeMap<u64, u64>,
    reached: &[BTreeMap<u32, u64>],
) -> Result<Forecast, HistoryError> {
    let mut dates = BTreeMap::new();
    for (days, n) in needed {
        let date = start
            .checked_add(Span::new().days(days as i64 - 1))
            .map_err(|_| HistoryError::OutOfRange)?;
        *dates.entry(Some(date)).or_insert(0) += n;
    }
    let when = when_from_counts(&dates)
        .map_err(|_| HistoryError::OutOfRange)?
        .expect("there is at least one run");
    let how_many = by.and_then(|by| how_many_from_counts(by, counts));
    let spread = Spread::from_counts(start, done, marks, reached);
    Ok(Forecast {
        when,
        how_many,
        spread,
    })
}

/// How a history forecast turns past deliveries into ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every future day's deliveries drawn from a day of the history (the
    /// method of ActionableAgile and the public spreadsheets).
    Daily,
    /// The pace of the last `level_days`, widened by how far that pace was off
    /// at every earlier date of the history ([`super::calibrated`]).
    Calibrated {
        /// Days the pace is measured over.
        level_days: usize,
    },
}

impl Method {
    /// The method's name as `--method` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Method::Daily => "daily",
            Method::Calibrated { .. } => "calibrated",
        }
    }
}

/// Days from `start` through `by`, both counted (0 without `by`); refused
/// beyond the horizon.
fn days_through(start: Date, by: Option<Date>) -> Result<u64, HistoryError> {
    let Some(by) = by else {
        return Ok(0);
    };
    let days = (day_number(start, by) + 1).max(0) as u64;
    if days > HORIZON_DAYS {
        return Err(HistoryError::ByTooFar {
            by,
            start,
            years: HORIZON_YEARS,
        });
    }
    Ok(days)
}

/// The seed of run `run`: SplitMix64's finaliser over the master seed and
/// the run number, so neighbouring runs get unrelated streams.
pub(super) fn run_seed(seed: u64, run: u64) -> u64 {
    splitmix(splitmix(seed ^ 0xf04e_ca57_0000_0000).wrapping_add(run))
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
