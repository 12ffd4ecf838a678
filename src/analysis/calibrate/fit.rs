//! From observations to the numbers of a scenario: arrivals, work per stage
//! (and per type), rework, schedules, batches and the calendar. Workers are
//! searched by simulation afterwards ([`super::workers`]).

use super::observe::{Observation, StageObservation, days};
use super::{DAY, Millis};
use crate::stats::fit::{self as sfit, FitChoice};

/// Fewer visits than this: the stage's work falls back to an empirical or
/// constant fit, with a warning naming it.
pub const MIN_VISITS: usize = 20;
/// Work per type needs at least this many first visits of every type.
pub const MIN_TYPE_VISITS: usize = 30;
/// Share of moves on Saturdays and Sundays below which the stream works Monday
/// to Friday (a stream that never stops would have 2/7 ≈ 29%).
pub const WEEKEND_SHARE: f64 = 0.05;
/// Empirical distributions keep at most this many order statistics.
pub const MAX_EMPIRICAL: usize = 1000;

/// A fitted distribution of days, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub enum Fitted {
    /// No time at all.
    Zero,
    /// Always the same.
    Constant(f64),
    /// A parametric family chosen by AIC, with its KS distance.
    Family {
        /// The distribution.
        dist: sfit::Dist,
        /// One-sample KS distance to the data.
        ks: f64,
        /// The 5% critical value it passed.
        critical: f64,
        /// Samples it was fitted to.
        n: usize,
    },
    /// The observed values (no family fits).
    Empirical {
        /// Sorted values (at most [`MAX_EMPIRICAL`] order statistics).
        samples: Vec<f64>,
        /// KS distance of the best family, which failed.
        best_ks: Option<f64>,
        /// Samples observed.
        n: usize,
    },
}

impl Fitted {
    /// Fits samples of days.
    pub fn from_samples(xs: &[f64]) -> Fitted {
        let positive: Vec<f64> = xs
            .iter()
            .copied()
            .filter(|x| x.is_finite() && *x > 0.0)
            .collect();
        if positive.is_empty() {
            return Fitted::Zero;
        }
        if positive.len() < MIN_VISITS {
            return empirical(&positive, None);
        }
        match sfit::best_fit(&positive) {
            FitChoice::Unfit => Fitted::Zero,
            FitChoice::Constant(v) => Fitted::Constant(v),
            FitChoice::Fitted { best, critical, .. } => Fitted::Family {
                dist: best.dist,
                ks: best.ks,
                critical,
                n: best.n,
            },
            FitChoice::Empirical { all, .. } => empirical(&positive, all.first().map(|f| f.ks)),
        }
    }

    /// Mean in days.
    pub fn mean(&self) -> f64 {
        match self {
            Fitted::Zero => 0.0,
            Fitted::Constant(v) => *v,
            Fitted::Family { dist, .. } => dist.mean(),
            Fitted::Empirical { samples, .. } => {
                samples.iter().sum::<f64>() / samples.len().max(1) as f64
            }
        }
    }
}

fn empirical(xs: &[f64], best_ks: Option<f64>) -> Fitted {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    if v.len() <= 1 || v.first() == v.last() {
        return Fitted::Constant(v[0]);
    }
    let n = v.len();
    let samples = if n > MAX_EMPIRICAL {
        (0..MAX_EMPIRICAL)
            .map(|i| v[(i * (n - 1)) / (MAX_EMPIRICAL - 1)])
            .collect()
    } else {
        v
    };
    Fitted::Empirical {
        samples,
        best_ks,
        n,
    }
}

/// How items arrive.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrivalsFit {
    /// Arrivals counted.
    pub count: usize,
    /// Days they were counted over.
    pub days: f64,
    /// Items per day.
    pub rate: f64,
    /// Standard error of the rate (Poisson: √n ÷ days).
    pub rate_se: f64,
    /// Coefficient of variation of the times between arrivals.
    pub interval_cv: f64,
    /// A fitted interval distribution when the intervals are far from
    /// exponential (cv outside 0.7–1.3); `None`: Poisson at `rate`.
    pub interval: Option<Fitted>,
}

/// One item type of the mix.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeShare {
    /// As in the history.
    pub name: String,
    /// Items of this type.
    pub count: usize,
    /// Share of typed items.
    pub share: f64,
}

/// Rework out of a stage.
#[derive(Debug, Clone, PartialEq)]
pub struct ReworkFit {
    /// Share of finished visits sent back.
    pub probability: f64,
    /// Its standard error, √(p(1−p)/n).
    pub se: f64,
    /// Finished visits it was counted over.
    pub n: usize,
    /// The stage most of them went back to.
    pub to: usize,
    /// Rework visits' mean active time ÷ first visits' (1 when unmeasurable).
    pub effort: f64,
}

/// Who works at a stage.
#[derive(Debug, Clone, PartialEq)]
pub enum Capacity {
    /// This many at once (searched by simulation).
    Workers(u32),
    /// A pure delay: no one is waited for (no active statuses).
    Unlimited,
    /// Items leave at regular instants: `every` days, the first `first` days
    /// after the scenario's start.
    Schedule {
        /// Days between instants.
        every: f64,
        /// Days from start to the first instant.
        first: f64,
        /// Mean items per instant.
        per_instant: f64,
        /// Share of exits on the cadence.
        on_cadence: f64,
    },
    /// Items are taken on these weekdays at one time of day (UTC).
    Weekdays {
        /// Monday = 0 … Sunday = 6.
        days: Vec<u8>,
        /// Minutes after midnight.
        at_minute: u32,
        /// Mean items per instant.
        per_instant: f64,
        /// Share of instants on these days.
        share: f64,
    },
}

/// A detected batch.
#[derive(Debug, Clone, PartialEq)]
pub enum Batch {
    /// Items finished together and left together: a handoff batch of this size.
    Handoff(u32),
    /// Items started together: a process batch of at most this size.
    Process(u32),
}

/// One stage's fitted numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct StageFit {
    /// Stage name.
    pub name: String,
    /// Visits seen, first visits, zero-length visits.
    pub visits: usize,
    /// Visits that were not rework.
    pub first_visits: usize,
    /// Zero-length stays (bulk moves), not fitted as work.
    pub zero_length: usize,
    /// Work per visit (first visits), days (working days under a calendar).
    pub work: Fitted,
    /// Work per item type, when every type has enough visits.
    pub work_by_type: Vec<(String, Fitted)>,
    /// Observed mean queue days per visit.
    pub observed_queue: f64,
    /// Its standard error.
    pub observed_queue_se: f64,
    /// Observed mean active days per visit.
    pub observed_active: f64,
    /// Most items in active statuses at once.
    pub max_concurrency: u32,
    /// Mean items in active statuses.
    pub mean_concurrency: f64,
    /// Most items in the stage at once (a WIP limit cannot be seen; this is a hint).
    pub max_wip: u32,
    /// Who works here.
    pub capacity: Capacity,
    /// Queue time that capacity does not explain: a handoff wait, days.
    pub wait: Option<Fitted>,
    /// Rework out of this stage.
    pub rework: Option<ReworkFit>,
    /// A detected batch.
    pub batch: Option<Batch>,
    /// Workers tried by the search and the mean queue days per visit each
    /// gave in simulation (empty until [`super::workers::search`] ran).
    pub tried: Vec<(u32, f64)>,
    /// Mean queue days per visit that the searched workers leave unexplained:
    /// written as an exponential handoff `wait`.
    pub leftover_wait: Option<f64>,
}

/// Everything fitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// First and last instant of the history.
    pub span: (Millis, Millis),
    /// Arrivals.
    pub arrivals: ArrivalsFit,
    /// Item types (empty: untyped).
    pub types: Vec<TypeShare>,
    /// Stages in flow order.
    pub stages: Vec<StageFit>,
    /// Share of moves on weekends, and whether a Monday–Friday calendar was chosen.
    pub weekend_share: f64,
    /// A Monday–Friday calendar (24 h a working day: only weekends stop work).
    pub weekdays_only: bool,
    /// Warnings for the user (stages with few visits, …).
    pub warnings: Vec<String>,
}

/// Fits everything that does not need a simulation. `stage_names[s]` and
/// `has_active[s]` describe the workflow's stages; `weekdays_only` forces the
/// calendar choice (`None`: decide from the weekend share).
pub fn fit(
    obs: &Observation,
    stage_names: &[String],
    has_active: &[bool],
    weekdays_only: Option<bool>,
) -> Calibration {
    let span = obs.span;
    let weekend_share = weekend_share(&obs.moves);
    let weekdays_only =
        weekdays_only.unwrap_or(obs.moves.len() >= 100 && weekend_share < WEEKEND_SHARE);
    let mut warnings = Vec::new();
    let types = type_shares(obs);
    let mut stages = Vec::new();
    for (s, so) in obs.stages.iter().enumerate() {
        let name = stage_names.get(s).cloned().unwrap_or_default();
        let active = has_active.get(s).copied().unwrap_or(false);
        stages.push(fit_stage(
            so,
            &name,
            active,
            &types,
            span,
            weekdays_only,
            &mut warnings,
        ));
    }
    let effort = rework_effort(obs);
    for st in &mut stages {
        if let Some(r) = &mut st.rework {
            r.effort = effort;
        }
    }
    Calibration {
        span,
        arrivals: fit_arrivals(&obs.arrivals, span),
        types,
        stages,
        weekend_share,
        weekdays_only,
        warnings,
    }
}

fn type_shares(obs: &Observation) -> Vec<TypeShare> {
    let typed: usize = obs.type_counts.iter().sum();
    if typed == 0 || obs.types.len() < 2 {
        return Vec::new();
    }
    obs.types
        .iter()
        .zip(&obs.type_counts)
        .map(|(name, &count)| TypeShare {
            name: name.clone(),
            count,
            share: count as f64 / typed as f64,
        })
        .collect()
}

fn fit_arrivals(arrivals: &[Millis], span: (Millis, Millis)) -> ArrivalsFit {
    let count = arrivals.len();
    let d = days(span.1 - span.0).max(1e-9);
    let rate = count as f64 / d;
    let gaps: Vec<f64> = arrivals.windows(2).map(|w| days(w[1] - w[0])).collect();
    let (m, sd) = mean_sd(&gaps);
    let interval_cv = if m > 0.0 { sd / m } else { 0.0 };
    let interval = if gaps.len() >= MIN_VISITS && !(0.7..=1.3).contains(&interval_cv) {
        Some(Fitted::from_samples(&gaps))
    } else {
        None
    };
    ArrivalsFit {
        count,
        days: d,
        rate,
        rate_se: (count as f64).sqrt() / d,
        interval_cv,
        interval,
    }
}

/// Mean and sample standard deviation.
pub fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let m = xs.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (m, 0.0);
    }
    let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64;
    (m, v.sqrt())
}

fn fit_stage(
    so: &StageObservation,
    name: &str,
    has_active: bool,
    types: &[TypeShare],
    span: (Millis, Millis),
    weekdays_only: bool,
    warnings: &mut Vec<String>,
) -> StageFit {
    let samples: Vec<f64> = so
        .work
        .iter()
        .map(|&(d, _, started)| working_days(d, started, weekdays_only))
        .collect();
    if has_active && samples.len() < MIN_VISITS && so.first_visits > 0 {
        warnings.push(format!(
            "stage {name}: only {} visits with measurable work (fewer than {MIN_VISITS}); \
             its work is the observed values, not a fitted distribution",
            samples.len()
        ));
    }
    let work = Fitted::from_samples(&samples);
    let work_by_type = work_by_type(so, &samples, types);
    let (observed_queue, sd) = mean_sd(&so.queue);
    let schedule = detect_schedule(so, span);
    let capacity = match (&schedule, has_active) {
        (Some(c), _) => c.clone(),
        (None, false) => Capacity::Unlimited,
        (None, true) => Capacity::Workers(so.max_concurrency().max(1)),
    };
    let wait = match capacity {
        Capacity::Unlimited => Some(Fitted::from_samples(&so.queue)),
        _ => None,
    };
    let batch = match capacity {
        Capacity::Workers(_) => detect_batch(so),
        _ => None,
    };
    StageFit {
        name: name.to_string(),
        visits: so.visits,
        first_visits: so.first_visits,
        zero_length: so.zero_length,
        observed_active: mean_sd(&samples).0,
        work,
        work_by_type,
        observed_queue,
        observed_queue_se: sd / (so.queue.len().max(1) as f64).sqrt(),
        max_concurrency: so.max_concurrency(),
        mean_concurrency: so.mean_concurrency(span.1 - span.0),
        max_wip: so.max_wip,
        capacity,
        wait,
        rework: fit_rework(so),
        batch,
        tried: Vec::new(),
        leftover_wait: None,
    }
}

/// Active days without the weekends they spanned, under a Monday–Friday
/// calendar (the active time is taken as one stretch from `started`).
fn working_days(d: f64, started: Millis, weekdays_only: bool) -> f64 {
    if !weekdays_only {
        return d;
    }
    let end = started + (d * DAY as f64).round() as Millis;
    days(end - started - weekend_ms(started, end))
}

/// Milliseconds of Saturdays and Sundays (UTC) in `[a, b)`.
pub fn weekend_ms(a: Millis, b: Millis) -> Millis {
    if b <= a {
        return 0;
    }
    // 1970-01-01 was a Thursday: day index 0 = Thu, so Sat = 2, Sun = 3 (mod 7).
    let mut total = 0;
    let mut day = a.div_euclid(DAY);
    while day * DAY < b {
        let wd = day.rem_euclid(7);
        if wd == 2 || wd == 3 {
            let lo = (day * DAY).max(a);
            let hi = ((day + 1) * DAY).min(b);
            total += (hi - lo).max(0);
        }
        day += 1;
        if day - a.div_euclid(DAY) > 36_600 {
            break; // a century: nothing real lasts this long
        }
    }
    total
}

/// Share of instants on a Saturday or Sunday (UTC).
pub fn weekend_share(moves: &[Millis]) -> f64 {
    if moves.is_empty() {
        return 0.0;
    }
    let w = moves
        .iter()
        .filter(|&&t| matches!(t.div_euclid(DAY).rem_euclid(7), 2 | 3))
        .count();
    w as f64 / moves.len() as f64
}

fn work_by_type(
    so: &StageObservation,
    samples: &[f64],
    types: &[TypeShare],
) -> Vec<(String, Fitted)> {
    if types.len() < 2 {
        return Vec::new();
    }
    let mut per: Vec<Vec<f64>> = vec![Vec::new(); types.len()];
    for (&(_, ty, _), &x) in so.work.iter().zip(samples) {
        if let Some(t) = ty.and_then(|t| per.get_mut(t as usize)) {
            t.push(x);
        }
    }
    if per.iter().any(|v| v.len() < MIN_TYPE_VISITS) {
        return Vec::new();
    }
    types
        .iter()
        .zip(per)
        .map(|(t, v)| (t.name.clone(), Fitted::from_samples(&v)))
        .collect()
}

fn fit_rework(so: &StageObservation) -> Option<ReworkFit> {
    let back: usize = so.sent_back.iter().sum();
    let n = back + so.moved_on;
    if back == 0 || n == 0 {
        return None;
    }
    let p = back as f64 / n as f64;
    let to = so
        .sent_back
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
        .map_or(0, |(i, _)| i);
    Some(ReworkFit {
        probability: p.min(0.95),
        se: (p * (1.0 - p) / n as f64).sqrt(),
        n,
        to,
        effort: 1.0,
    })
}

/// Rework effort: every stage's rework visits' mean active time ÷ its first
/// visits', pooled by visits (1 when nothing was measured).
pub fn rework_effort(obs: &Observation) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for s in &obs.stages {
        if s.rework_work.is_empty() || s.work.is_empty() {
            continue;
        }
        let first = s.work.iter().map(|w| w.0).sum::<f64>() / s.work.len() as f64;
        num += s.rework_work.iter().sum::<f64>();
        den += first * s.rework_work.len() as f64;
    }
    if den > 0.0 { num / den } else { 1.0 }
}

/// A stage whose items are taken together at few instants is scheduled: on
/// a regular cadence (`every`), or else on fixed weekdays at one time of day.
/// The instants are when work started there (when the history shows it),
/// else when items left.
fn detect_schedule(so: &StageObservation, span: (Millis, Millis)) -> Option<Capacity> {
    let taken = if so.starts.len() >= MIN_VISITS {
        &so.starts
    } else {
        &so.exits
    };
    let instants = distinct_minutes(taken);
    if taken.len() < MIN_VISITS || instants.len() < 4 {
        return None;
    }
    let per_instant = taken.len() as f64 / instants.len() as f64;
    if per_instant < 2.0 {
        return None;
    }
    cadence(&instants, per_instant, span).or_else(|| weekdays(&instants, per_instant))
}

/// Instants on a regular cadence: the modal gap, with 80% of gaps a multiple of it.
fn cadence(instants: &[Millis], per_instant: f64, span: (Millis, Millis)) -> Option<Capacity> {
    let gaps: Vec<Millis> = instants.windows(2).map(|w| w[1] - w[0]).collect();
    let every = modal_gap(&gaps)?;
    let on = gaps
        .iter()
        .filter(|&&g| {
            let k = (g as f64 / every as f64).round();
            k >= 1.0 && (g as f64 - k * every as f64).abs() <= 60_000.0
        })
        .count();
    let on_cadence = on as f64 / gaps.len() as f64;
    if on_cadence < 0.8 {
        return None;
    }
    // The scenario starts at the history's end; the first instant after it.
    let last = *instants.last()?;
    let mut next = last;
    while next <= span.1 {
        next += every;
    }
    Some(Capacity::Schedule {
        every: days(every),
        first: days(next - span.1),
        per_instant,
        on_cadence,
    })
}

/// Instants on one or two weekdays (UTC) at one time of day, 80% of them.
fn weekdays(instants: &[Millis], per_instant: f64) -> Option<Capacity> {
    let mut by_day = [0usize; 7];
    for t in instants {
        by_day[weekday_of(*t)] += 1;
    }
    let mut order: Vec<usize> = (0..7).collect();
    order.sort_by_key(|&d| (std::cmp::Reverse(by_day[d]), d));
    let n = instants.len() as f64;
    let one = by_day[order[0]] as f64 / n;
    let days: Vec<usize> = if one >= 0.8 {
        vec![order[0]]
    } else if (by_day[order[0]] + by_day[order[1]]) as f64 / n >= 0.8 {
        let mut d = vec![order[0], order[1]];
        d.sort_unstable();
        d
    } else {
        return None;
    };
    let on: Vec<Millis> = instants
        .iter()
        .copied()
        .filter(|t| days.contains(&weekday_of(*t)))
        .collect();
    // The most common minute of the day among them.
    let mut minutes: Vec<i64> = on.iter().map(|t| t.rem_euclid(DAY) / 60_000).collect();
    minutes.sort_unstable();
    let mut best = (0usize, 0i64);
    let mut i = 0;
    while i < minutes.len() {
        let j = minutes[i..].partition_point(|&m| m == minutes[i]) + i;
        if j - i > best.0 {
            best = (j - i, minutes[i]);
        }
        i = j;
    }
    let share = on.len() as f64 / n;
    Some(Capacity::Weekdays {
        days: days.iter().map(|&d| d as u8).collect(),
        at_minute: best.1 as u32,
        per_instant,
        share,
    })
}

/// The scenario's names of weekdays (Monday = 0).
pub fn weekday_names(days: &[u8]) -> Vec<&'static str> {
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    days.iter()
        .filter_map(|d| NAMES.get(*d as usize).copied())
        .collect()
}

/// Monday = 0 … Sunday = 6, of an instant (UTC). 1970-01-01 was a Thursday.
pub fn weekday_of(t: Millis) -> usize {
    (t.div_euclid(DAY) + 3).rem_euclid(7) as usize
}

fn distinct_minutes(ts: &[Millis]) -> Vec<Millis> {
    let mut m: Vec<Millis> = ts.iter().map(|t| t.div_euclid(60_000) * 60_000).collect();
    m.sort_unstable();
    m.dedup();
    m
}

/// The most common gap, to the hour, among gaps of at least an hour.
fn modal_gap(gaps: &[Millis]) -> Option<Millis> {
    let mut hours: Vec<i64> = gaps
        .iter()
        .map(|g| (g + 1_800_000).div_euclid(3_600_000))
        .filter(|&h| h >= 1)
        .collect();
    hours.sort_unstable();
    let mut best = (0usize, 0i64);
    let mut i = 0;
    while i < hours.len() {
        let j = hours[i..].partition_point(|&h| h == hours[i]) + i;
        if j - i > best.0 {
            best = (j - i, hours[i]);
        }
        i = j;
    }
    (best.0 > 0).then_some(best.1 * 3_600_000)
}

/// Several items leaving in the same minute, most of the time: a batch.
fn detect_batch(so: &StageObservation) -> Option<Batch> {
    let size = |ts: &[Millis]| -> Option<u32> {
        let groups = distinct_minutes(ts).len();
        if ts.len() < MIN_VISITS || groups == 0 {
            return None;
        }
        let mean = ts.len() as f64 / groups as f64;
        (mean >= 1.8).then(|| mean.round() as u32)
    };
    if let Some(n) = size(&so.starts) {
        return Some(Batch::Process(n.max(2)));
    }
    size(&so.exits).map(|n| Batch::Handoff(n.max(2)))
}

#[cfg(test)]
#[path = "fit_tests.rs"]
mod tests;
