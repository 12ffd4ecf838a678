//! Forecasting the past: at cut-offs through a delivery history, forecast
//! from what was known then, and count how often the forecasts came true.
//!
//! At cut-off `c` (a day of the history; days before it are known), each
//! method forecasts from the history before `c` — daily resampling from the
//! last `window` days, the calibrated method with its pace over the last
//! `window` days and its ranges from everything before `c` — and is scored,
//! at every horizon `h`, against what happened in the `h` days from `c`:
//!
//! - **how many**: the `p`% forecast ("at least this many by then") came true
//!   when at least that many were delivered;
//! - **when**: for the next `N` items, `N` being what the window's pace
//!   delivers in `h` days (at least 1), the `p`% date came true when the
//!   `N`-th item was delivered on or before it (a date past the end of the
//!   history whose outcome is not known is left out);
//! - the **median's error**: |delivered − the 50% forecast|.
//!
//! The last cut-off leaves the longest horizon inside the history; the others
//! come `every` days apart before it, as far back as every method can forecast
//! (or `last` days). Each cut-off draws from its own seed, so the result does
//! not depend on the thread count.

use jiff::Span;
use jiff::civil::Date;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;

use super::calibrated::{Calibration, quantile_of_run};
use super::history::run_seed;
use super::{History, HistoryError, Method};
use crate::sim::results::LEVELS;
use crate::stats::percent_rank;

/// What a backtest is asked.
#[derive(Debug, Clone)]
pub struct Options {
    /// Days between cut-offs.
    pub every: usize,
    /// Days before a cut-off whose pace the forecast uses.
    pub window: usize,
    /// Horizons scored, in days, ascending.
    pub horizons: Vec<usize>,
    /// The methods compared, the first being the one the verdict is about.
    pub methods: Vec<Method>,
    /// Only cut-offs in the last this many days of the history.
    pub last: Option<usize>,
    /// Runs of the resampling methods.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
}

/// The scores of every method at every horizon.
#[derive(Debug, Clone, Serialize)]
pub struct Backtest {
    /// The first and last cut-off dates.
    pub first_cutoff: Date,
    /// The last cut-off date.
    pub last_cutoff: Date,
    /// Cut-offs scored.
    pub cutoffs: usize,
    /// Days between cut-offs.
    pub every_days: usize,
    /// Days of pace before each cut-off.
    pub window_days: usize,
    /// The confidence levels scored, in percent.
    pub levels: [usize; 4],
    /// Per method, in the order asked.
    pub methods: Vec<MethodScore>,
    /// A few cut-offs' forecast fans against what happened, for the first method.
    pub fans: Vec<Fan>,
}

/// One method's scores.
#[derive(Debug, Clone, Serialize)]
pub struct MethodScore {
    /// The method's name (`calibrated`, `daily`).
    pub method: &'static str,
    /// Per horizon, shortest first.
    pub horizons: Vec<HorizonScore>,
}

/// How one method did at one horizon.
#[derive(Debug, Clone, Serialize)]
pub struct HorizonScore {
    /// The horizon, in days.
    pub days: usize,
    /// Cut-offs scored.
    pub cutoffs: usize,
    /// Per level of [`Backtest::levels`]: the share of cut-offs whose "how
    /// many" forecast came true.
    pub how_many_came_true: [f64; 4],
    /// Per level: the share of cut-offs whose "when (next N items)" date came true.
    pub when_came_true: [f64; 4],
    /// Per level: the cut-offs whose "when" outcome is known.
    pub when_cutoffs: [usize; 4],
    /// Mean |delivered − the 50% "how many"|.
    pub median_abs_error: f64,
    /// Mean items delivered in the horizon.
    pub mean_delivered: f64,
}

/// One cut-off's forecast, day by day, against what happened.
#[derive(Debug, Clone, Serialize)]
pub struct Fan {
    /// The cut-off (day 1 of the forecast).
    pub cutoff: Date,
    /// Per level of [`Backtest::levels`], items by the end of day 1, 2, … of the longest horizon.
    pub bands: Vec<Vec<u64>>,
    /// Items actually delivered by the end of day 1, 2, …
    pub actual: Vec<u64>,
}

/// Another forecaster scored beside the history methods (such as the model
/// fitted on each window): given a cut-off (days from the history's first day)
/// and a number of days, its runs' items delivered by the end of each day.
pub struct External<'a> {
    /// Its name in the table.
    pub name: &'static str,
    /// Days of history before a cut-off it needs.
    pub needs_days: usize,
    /// The runs' paths at a cut-off; the message says why it could not forecast.
    pub paths: &'a (dyn Fn(usize, usize) -> Result<Vec<Vec<u64>>, String> + Sync),
}

/// One forecaster of a backtest.
#[derive(Clone, Copy)]
enum Source<'a, 'b> {
    Method(Method),
    External(&'a External<'b>),
}

/// Backtests `history` (its whole span, day by day).
pub fn run(history: &History, opts: &Options) -> Result<Backtest, HistoryError> {
    run_with(history, opts, &[])
}

/// [`run`] with `external` forecasters scored after the methods.
pub fn run_with(
    history: &History,
    opts: &Options,
    external: &[External],
) -> Result<Backtest, HistoryError> {
    let sources: Vec<Source> = opts
        .methods
        .iter()
        .map(|m| Source::Method(*m))
        .chain(external.iter().map(Source::External))
        .collect();
    let daily = history.daily();
    let n = daily.len();
    let longest = opts.horizons.iter().copied().max().unwrap_or(28).max(1);
    let window = opts.window.max(1);
    let earliest = opts
        .methods
        .iter()
        .map(|m| match m {
            Method::Daily => window,
            Method::Calibrated { .. } => Calibration::days_needed(window),
        })
        .max()
        .unwrap_or(window)
        .max(external.iter().map(|e| e.needs_days).max().unwrap_or(0))
        .max(n.saturating_sub(opts.last.unwrap_or(n)));
    let Some(last_cut) = n.checked_sub(longest).filter(|c| *c >= earliest) else {
        return Err(HistoryError::TooShortToBacktest {
            days: n,
            needed: earliest + longest,
        });
    };
    let every = opts.every.max(1);
    let cuts: Vec<usize> = (0..)
        .map(|k| last_cut as i64 - (k * every) as i64)
        .take_while(|c| *c >= earliest as i64)
        .map(|c| c as usize)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    // Paths run on past the longest horizon so that slow runs still reach N.
    let path_days = 3 * longest;
    let scored: Vec<Vec<CutScore>> = cuts
        .par_iter()
        .map(|&c| {
            sources
                .iter()
                .map(|src| {
                    let paths = match src {
                        Source::Method(m) => paths_of(
                            history,
                            c,
                            *m,
                            window,
                            path_days,
                            opts.runs.max(1),
                            opts.seed,
                        )?,
                        Source::External(e) => {
                            (e.paths)(c, path_days).map_err(|message| HistoryError::Option {
                                message: format!(
                                    "{} at the cut-off {}: {message}",
                                    e.name,
                                    day_date(history.span().0, c)
                                ),
                            })?
                        }
                    };
                    Ok(score_cut(
                        history,
                        c,
                        &paths,
                        window,
                        path_days,
                        &opts.horizons,
                    ))
                })
                .collect::<Result<Vec<_>, HistoryError>>()
        })
        .collect::<Result<_, _>>()?;
    let methods = sources
        .iter()
        .enumerate()
        .map(|(mi, src)| MethodScore {
            method: match src {
                Source::Method(m) => m.name(),
                Source::External(e) => e.name,
            },
            horizons: (0..opts.horizons.len())
                .map(|hi| {
                    summarise(
                        opts.horizons[hi],
                        scored.iter().map(|s| &s[mi].horizons[hi]),
                    )
                })
                .collect(),
        })
        .collect();
    let date = |c: usize| day_date(history.span().0, c);
    let fan_cuts = fan_picks(cuts.len());
    let fans = fan_cuts
        .iter()
        .map(|&k| Fan {
            cutoff: date(cuts[k]),
            bands: scored[k][0].bands.clone(),
            actual: cumulative(&daily[cuts[k]..(cuts[k] + longest).min(n)]),
        })
        .collect();
    Ok(Backtest {
        first_cutoff: date(cuts[0]),
        last_cutoff: date(*cuts.last().expect("at least one cut-off")),
        cutoffs: cuts.len(),
        every_days: every,
        window_days: window,
        levels: LEVELS,
        methods,
        fans,
    })
}

/// The cut-offs whose fans are drawn: the first, the middle and the last.
fn fan_picks(count: usize) -> Vec<usize> {
    let mut k = vec![0, count / 2, count.saturating_sub(1)];
    k.dedup();
    k
}

/// The date `days` after `first`.
fn day_date(first: Date, days: usize) -> Date {
    first
        .checked_add(Span::new().days(days as i64))
        .unwrap_or(Date::MAX)
}

/// Running totals of `days`.
fn cumulative(days: &[u32]) -> Vec<u64> {
    days.iter()
        .scan(0u64, |s, d| {
            *s += u64::from(*d);
            Some(*s)
        })
        .collect()
}

/// One method at one cut-off.
struct CutScore {
    horizons: Vec<Outcome>,
    /// Per level, the "how many" by day 1 … longest horizon.
    bands: Vec<Vec<u64>>,
}

/// One method at one cut-off and horizon.
struct Outcome {
    how_many: [bool; 4],
    /// Per level: `None` when not known.
    when: [Option<bool>; 4],
    abs_error: f64,
    delivered: u64,
}

/// The runs' paths of one method at cut-off `c`: items by the end of each of
/// `days` days.
pub fn paths(
    daily: &[u32],
    c: usize,
    method: Method,
    window: usize,
    days: usize,
    runs: u64,
    seed: u64,
) -> Result<Vec<Vec<u64>>, HistoryError> {
    let h = History::from_daily(jiff::civil::date(2000, 1, 1), daily.to_vec())
        .ok_or(HistoryError::NoDates)?;
    paths_of(&h, c, method, window, days, runs, seed)
}

/// [`paths`] of a history, on its working days when it has them: only
/// working days are resampled or calibrated, days off deliver nothing.
pub fn paths_of(
    history: &History,
    c: usize,
    method: Method,
    window: usize,
    days: usize,
    runs: u64,
    seed: u64,
) -> Result<Vec<Vec<u64>>, HistoryError> {
    let daily = history.daily();
    let first = history.span().0;
    let at_cut = history.mask(day_date(first, c));
    // The days before the cut-off that are samples: all, or the working ones.
    let working = |from: usize| -> Vec<u32> {
        let m = history.mask(day_date(first, from));
        (from..c)
            .filter(|d| m.at(d - from))
            .map(|d| daily[d])
            .collect()
    };
    match method {
        Method::Daily => {
            let w = working(c.saturating_sub(window));
            if w.iter().all(|d| *d == 0) {
                return Ok(vec![vec![0; days]; runs as usize]);
            }
            Ok((0..runs)
                .map(|r| {
                    let mut rng = Xoshiro256PlusPlus::seed_from_u64(run_seed(seed ^ c as u64, r));
                    let drawn: Vec<u32> = (0..days)
                        .map(|d| {
                            if at_cut.at(d) {
                                w[rng.random_range(0..w.len())]
                            } else {
                                0
                            }
                        })
                        .collect();
                    cumulative(&drawn)
                })
                .collect())
        }
        Method::Calibrated { .. } => {
            let (cal, mask) = if history.workdays().is_none() {
                (Calibration::new(&daily[..c], window)?, None)
            } else {
                let level = working(c.saturating_sub(window)).len();
                (Calibration::new(&working(0), level)?, Some(&at_cut))
            };
            Ok((0..runs)
                .map(|r| {
                    let mut p = Vec::with_capacity(days);
                    cal.extend_on(quantile_of_run(r, runs), 0, days, days, mask, &mut p);
                    p
                })
                .collect())
        }
    }
}

/// Scores one method at cut-off `c` at every horizon.
fn score_cut(
    history: &History,
    c: usize,
    paths: &[Vec<u64>],
    window: usize,
    path_days: usize,
    horizons: &[usize],
) -> CutScore {
    let daily = history.daily();
    let w = &daily[c.saturating_sub(window)..c];
    let pace = w.iter().map(|d| f64::from(*d)).sum::<f64>() / w.len() as f64;
    let actual = cumulative(&daily[c..]);
    let longest = horizons.iter().copied().max().unwrap_or(1);
    let at_level = |day: usize, level: usize| -> u64 {
        let mut v: Vec<u64> = paths.iter().map(|p| p[day]).collect();
        v.sort_unstable();
        v[v.len() - percent_rank(level, v.len())]
    };
    let bands = LEVELS
        .iter()
        .map(|l| (0..longest).map(|d| at_level(d, *l)).collect())
        .collect();
    let outcomes = horizons
        .iter()
        .map(|&h| {
            let delivered = actual[h - 1];
            let how_many = LEVELS.map(|l| delivered >= at_level(h - 1, l));
            let median = at_level(h - 1, LEVELS[0]);
            let next = ((pace * h as f64).round() as u64).max(1);
            // The day (0-based) each run delivered the next-th item, if it did.
            let mut done: Vec<usize> = paths
                .iter()
                .map(|p| p.partition_point(|x| *x < next))
                .collect();
            done.sort_unstable();
            let actual_day = actual.partition_point(|x| *x < next);
            let when = LEVELS.map(|l| {
                let day = done[percent_rank(l, done.len()) - 1];
                if day >= path_days {
                    None // later than the paths reach: not scored
                } else if day < actual.len() {
                    Some(actual_day <= day)
                } else {
                    (actual_day < actual.len()).then_some(true)
                }
            });
            Outcome {
                how_many,
                when,
                abs_error: (delivered as f64 - median as f64).abs(),
                delivered,
            }
        })
        .collect();
    CutScore {
        horizons: outcomes,
        bands,
    }
}

/// Shares of cut-offs whose forecasts came true at one horizon.
fn summarise<'a>(days: usize, outcomes: impl Iterator<Item = &'a Outcome>) -> HorizonScore {
    let outcomes: Vec<&Outcome> = outcomes.collect();
    let m = outcomes.len().max(1) as f64;
    let mut how_many = [0.0; 4];
    let mut when = [0.0; 4];
    let mut when_cutoffs = [0; 4];
    for o in &outcomes {
        for i in 0..4 {
            how_many[i] += f64::from(u8::from(o.how_many[i]));
            if let Some(t) = o.when[i] {
                when_cutoffs[i] += 1;
                when[i] += f64::from(u8::from(t));
            }
        }
    }
    for i in 0..4 {
        how_many[i] /= m;
        when[i] /= when_cutoffs[i].max(1) as f64;
    }
    HorizonScore {
        days,
        cutoffs: outcomes.len(),
        how_many_came_true: how_many,
        when_came_true: when,
        when_cutoffs,
        median_abs_error: outcomes.iter().map(|o| o.abs_error).sum::<f64>() / m,
        mean_delivered: outcomes.iter().map(|o| o.delivered as f64).sum::<f64>() / m,
    }
}
