//! The fit check: simulate the calibrated scenario over a window as long as
//! the history's, read the simulated event log exactly as the real one was
//! read (same journeys, same measures, same censoring at the window's end),
//! and put the two side by side with distances between their distributions.

use super::history::{Entry, History, ItemHistory};
use super::journeys::{self, End, Journeys};
use super::observe::days;
use super::workflow::{Workflow, WorkflowStage};
use super::{DAY, Millis};
use crate::error::Error;
use crate::model::Model;
use crate::sim::engine::{Record, Status};
use crate::sim::montecarlo::event_log_of_run;
use crate::stats::distance::{ks_critical_5_two_sample, ks_two_sample, wasserstein_1};

/// Simulated windows pooled for the check.
pub const RUNS: u64 = 20;

/// What a set of journeys says, measured the same way for the history and
/// for a simulation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Lead time of each delivered item, days.
    pub lead: Vec<f64>,
    /// Deliveries per week.
    pub throughput: f64,
    /// Mean items in the stream (arrived, not yet delivered or dropped).
    pub wip: f64,
    /// Active time ÷ lead time over delivered items.
    pub flow_efficiency: f64,
    /// Share of delivered items that went back at least once.
    pub rework_share: f64,
    /// Per stage and delivered item: days waiting (queue and blocked) there.
    pub queue: Vec<Vec<f64>>,
    /// Per stage and delivered item: days in active statuses there.
    pub active: Vec<Vec<f64>>,
    /// Windows measured (1 for a history).
    pub windows: usize,
}

impl Summary {
    /// Adds another window's measures (pooling simulated runs).
    fn pool(&mut self, other: Summary) {
        let w = self.windows as f64;
        let total = w + 1.0;
        self.throughput = (self.throughput * w + other.throughput) / total;
        self.wip = (self.wip * w + other.wip) / total;
        self.lead.extend(other.lead);
        for (a, b) in self.queue.iter_mut().zip(other.queue) {
            a.extend(b);
        }
        for (a, b) in self.active.iter_mut().zip(other.active) {
            a.extend(b);
        }
        self.windows += 1;
    }

    fn finish_ratios(&mut self, active_sum: f64, lead_sum: f64, reworked: usize) {
        self.flow_efficiency = if lead_sum > 0.0 {
            active_sum / lead_sum
        } else {
            0.0
        };
        self.rework_share = if self.lead.is_empty() {
            0.0
        } else {
            reworked as f64 / self.lead.len() as f64
        };
    }
}

/// Measures journeys over `window` (milliseconds) with `stages` stages.
pub fn summarize(j: &Journeys, stages: usize, window: (Millis, Millis)) -> Summary {
    let mut s = Summary {
        queue: vec![Vec::new(); stages],
        active: vec![Vec::new(); stages],
        windows: 1,
        ..Summary::default()
    };
    let span = (window.1 - window.0).max(1);
    let (mut active_sum, mut lead_sum, mut reworked) = (0.0, 0.0, 0usize);
    let mut in_stream: i128 = 0;
    for jr in &j.journeys {
        let end = match jr.end {
            End::Delivered(t) | End::NotDelivered(t) => t,
            End::Open => window.1,
        };
        let (a, b) = (jr.arrived.max(window.0), end.min(window.1));
        if b > a {
            in_stream += i128::from(b - a);
        }
        let End::Delivered(done) = jr.end else {
            continue;
        };
        if done > window.1 {
            continue;
        }
        let lead = days(done - jr.arrived);
        s.lead.push(lead);
        lead_sum += lead;
        let mut q = vec![0.0; stages];
        let mut act = vec![0.0; stages];
        for v in &jr.visits {
            let i = v.stage as usize;
            if i < stages {
                q[i] += days(v.queue + v.blocked);
                act[i] += days(v.active);
            }
        }
        active_sum += act.iter().sum::<f64>();
        if jr.visits.iter().any(|v| v.rework) {
            reworked += 1;
        }
        for i in 0..stages {
            s.queue[i].push(q[i]);
            s.active[i].push(act[i]);
        }
    }
    s.throughput = s.lead.len() as f64 / (days(span) / 7.0);
    s.wip = in_stream as f64 / span as f64;
    s.finish_ratios(active_sum, lead_sum, reworked);
    s
}

/// The workflow of a simulated event log: each stage's `waiting` is its
/// queue, `in work` its active status, `finished` (outbox) counts as waiting.
pub fn simulated_workflow(model: &Model) -> Workflow {
    Workflow {
        stages: model
            .stages
            .iter()
            .map(|s| WorkflowStage {
                stage: s.name.clone(),
                queue: vec![
                    format!("{}: waiting", s.name),
                    format!("{}: finished", s.name),
                ],
                active: vec![format!("{}: in work", s.name)],
            })
            .collect(),
        done: vec!["done".into()],
        not_delivered: Vec::new(),
        blocked: Vec::new(),
        commitment: model.commitment.map(|c| model.stages[c].name.clone()),
    }
}

/// Turns records into a history (statuses named as `flowcast run --events`
/// writes them), keeping records up to `horizon` days.
pub fn history_from_records(records: &[Record], model: &Model, horizon: f64) -> History {
    let mut statuses: Vec<String> = Vec::new();
    let n = model.stages.len();
    for s in &model.stages {
        statuses.push(format!("{}: waiting", s.name));
        statuses.push(format!("{}: in work", s.name));
        statuses.push(format!("{}: finished", s.name));
    }
    statuses.push("done".into());
    statuses.push("arrived".into());
    let mut items: Vec<ItemHistory> = Vec::new();
    let mut index: std::collections::HashMap<(u64, u32), usize> = std::collections::HashMap::new();
    for r in records {
        if r.time > horizon {
            continue;
        }
        let status = match r.status {
            Status::Waiting(s) => 3 * s as usize,
            Status::InWork(s) => 3 * s as usize + 1,
            Status::Finished(s) => 3 * s as usize + 2,
            Status::Done => 3 * n,
            Status::Arrived => 3 * n + 1,
        } as u32;
        let at = (r.time * DAY as f64).round() as Millis;
        let i = *index.entry((r.item, r.part)).or_insert_with(|| {
            items.push(ItemHistory {
                key: if r.part == 0 {
                    format!("item-{}", r.item)
                } else {
                    format!("item-{}.{}", r.item, r.part)
                },
                kind: model.types.get(r.ty as usize).map(|t| t.name.clone()),
                entries: Vec::new(),
            });
            items.len() - 1
        });
        let e = &mut items[i].entries;
        if e.last().is_some_and(|l| l.status == status) {
            continue;
        }
        e.push(Entry { status, at });
    }
    History {
        statuses,
        items,
        ..History::default()
    }
}

/// Simulates `runs` windows of `horizon` days of `model` (run k uses the
/// random numbers of run k of `flowcast run` with `seed`) and measures them.
pub fn simulate(model: &Model, seed: u64, runs: u64, horizon: f64) -> Result<Summary, Error> {
    let workflow = simulated_workflow(model);
    let n = model.stages.len();
    let mut m = model.clone();
    let rate = m.arrivals.rate().unwrap_or(1.0);
    let expected = (rate * horizon * 1.2).ceil().max(100.0);
    m.simulation.items = (expected as u64).min(1_000_000);
    m.simulation.warmup = 0;
    let mut pooled: Option<Summary> = None;
    let mut records: Vec<Record> = Vec::new();
    for k in 0..runs {
        records.clear();
        event_log_of_run(&m, seed, k, &mut |chunk: &[Record]| {
            records.extend_from_slice(chunk)
        })?;
        let history = history_from_records(&records, &m, horizon);
        let j = journeys::journeys(&history, &workflow);
        let window = (0, (horizon * DAY as f64).round() as Millis);
        let s = summarize(&j, n, window);
        match &mut pooled {
            None => pooled = Some(s),
            Some(p) => p.pool(s),
        }
    }
    Ok(pooled.unwrap_or_default())
}

/// Percentiles and mean of a sample of days.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Quantiles {
    /// Median.
    pub p50: f64,
    /// 85th percentile.
    pub p85: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Mean.
    pub mean: f64,
}

impl Quantiles {
    /// Of a sample (zeros when empty).
    pub fn of(xs: &[f64]) -> Quantiles {
        if xs.is_empty() {
            return Quantiles::default();
        }
        let mut v = xs.to_vec();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| {
            let h = p * (v.len() - 1) as f64;
            let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (h - lo as f64)
        };
        Quantiles {
            p50: q(0.5),
            p85: q(0.85),
            p95: q(0.95),
            mean: v.iter().sum::<f64>() / v.len() as f64,
        }
    }
}

/// How close a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Distributions: the two-sample KS test at 5% does not tell them apart.
    /// Numbers: within 10%.
    Close,
    /// Distributions: KS distance under twice the critical value. Numbers:
    /// within 25%.
    Fair,
    /// Further apart.
    Off,
}

impl Verdict {
    /// The word shown.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Close => "close",
            Verdict::Fair => "fair",
            Verdict::Off => "off",
        }
    }

    fn of_distance(ks: f64, critical: f64) -> Verdict {
        if ks.is_nan() {
            Verdict::Off
        } else if ks <= critical {
            Verdict::Close
        } else if ks <= 2.0 * critical {
            Verdict::Fair
        } else {
            Verdict::Off
        }
    }

    fn of_numbers(observed: f64, simulated: f64) -> Verdict {
        let scale = observed.abs().max(1e-9);
        let rel = (simulated - observed).abs() / scale;
        if (observed.abs() < 1e-9 && simulated.abs() < 1e-9) || rel <= 0.10 {
            Verdict::Close
        } else if rel <= 0.25 {
            Verdict::Fair
        } else {
            Verdict::Off
        }
    }
}

/// Observed beside simulated for one distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct DistanceRow {
    /// Observed sample size.
    pub n_observed: usize,
    /// Simulated sample size.
    pub n_simulated: usize,
    /// Two-sample Kolmogorov–Smirnov distance.
    pub ks: f64,
    /// Its 5% critical value for these sample sizes.
    pub critical: f64,
    /// 1-Wasserstein (earth mover's) distance, days.
    pub wasserstein: f64,
    /// How close.
    pub verdict: Verdict,
}

impl DistanceRow {
    fn of(observed: &[f64], simulated: &[f64]) -> DistanceRow {
        let (n, m) = (observed.len(), simulated.len());
        if n == 0 || m == 0 {
            return DistanceRow {
                n_observed: n,
                n_simulated: m,
                ks: f64::NAN,
                critical: f64::NAN,
                wasserstein: f64::NAN,
                verdict: Verdict::Off,
            };
        }
        let ks = ks_two_sample(observed, simulated);
        let critical = ks_critical_5_two_sample(n, m);
        DistanceRow {
            n_observed: n,
            n_simulated: m,
            ks,
            critical,
            wasserstein: wasserstein_1(observed, simulated),
            verdict: Verdict::of_distance(ks, critical),
        }
    }
}

/// One stage in the fit check.
#[derive(Debug, Clone, PartialEq)]
pub struct StageCheck {
    /// Stage name.
    pub name: String,
    /// Mean days per delivered item waiting there, observed.
    pub observed_queue: f64,
    /// The same, simulated.
    pub simulated_queue: f64,
    /// Mean days per delivered item in work there, observed.
    pub observed_active: f64,
    /// The same, simulated.
    pub simulated_active: f64,
    /// Distances between the distributions of the time spent there (waiting
    /// plus in work) per delivered item.
    pub distance: DistanceRow,
}

/// A scalar observed beside simulated.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberRow {
    /// Observed.
    pub observed: f64,
    /// Simulated.
    pub simulated: f64,
    /// Within 10% (close), 25% (fair) or further (off).
    pub verdict: Verdict,
}

impl NumberRow {
    fn of(observed: f64, simulated: f64) -> NumberRow {
        NumberRow {
            observed,
            simulated,
            verdict: Verdict::of_numbers(observed, simulated),
        }
    }
}

/// The whole fit check.
#[derive(Debug, Clone, PartialEq)]
pub struct FitCheck {
    /// Lead time percentiles and mean, observed.
    pub lead_observed: Quantiles,
    /// Lead time percentiles and mean, simulated.
    pub lead_simulated: Quantiles,
    /// Distances between the lead-time distributions.
    pub lead: DistanceRow,
    /// Deliveries per week.
    pub throughput: NumberRow,
    /// Mean items in the stream.
    pub wip: NumberRow,
    /// Flow efficiency (0–1).
    pub flow_efficiency: NumberRow,
    /// Share of delivered items reworked (0–1).
    pub rework_share: NumberRow,
    /// Per stage.
    pub stages: Vec<StageCheck>,
    /// Simulated windows pooled.
    pub runs: usize,
    /// Both lead-time samples, sorted, for the CDF chart.
    pub lead_samples: (Vec<f64>, Vec<f64>),
}

/// Compares a history's summary with a simulation's.
pub fn compare(observed: &Summary, simulated: &Summary, names: &[String]) -> FitCheck {
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let stages = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let total = |s: &Summary| -> Vec<f64> {
                s.queue[i]
                    .iter()
                    .zip(&s.active[i])
                    .map(|(q, a)| q + a)
                    .collect()
            };
            StageCheck {
                name: name.clone(),
                observed_queue: mean(&observed.queue[i]),
                simulated_queue: mean(&simulated.queue[i]),
                observed_active: mean(&observed.active[i]),
                simulated_active: mean(&simulated.active[i]),
                distance: DistanceRow::of(&total(observed), &total(simulated)),
            }
        })
        .collect();
    let sorted = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v
    };
    FitCheck {
        lead_observed: Quantiles::of(&observed.lead),
        lead_simulated: Quantiles::of(&simulated.lead),
        lead: DistanceRow::of(&observed.lead, &simulated.lead),
        throughput: NumberRow::of(observed.throughput, simulated.throughput),
        wip: NumberRow::of(observed.wip, simulated.wip),
        flow_efficiency: NumberRow::of(observed.flow_efficiency, simulated.flow_efficiency),
        rework_share: NumberRow::of(observed.rework_share, simulated.rework_share),
        stages,
        runs: simulated.windows,
        lead_samples: (sorted(&observed.lead), sorted(&simulated.lead)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let q = Quantiles::of(&[4.0, 1.0, 3.0, 2.0, 5.0]);
        assert_eq!(q.p50, 3.0);
        assert!((q.p85 - 4.4).abs() < 1e-12);
        assert!((q.p95 - 4.8).abs() < 1e-12);
        assert_eq!(q.mean, 3.0);
    }

    #[test]
    fn number_verdicts_follow_relative_error() {
        assert_eq!(Verdict::of_numbers(10.0, 10.9), Verdict::Close);
        assert_eq!(Verdict::of_numbers(10.0, 12.0), Verdict::Fair);
        assert_eq!(Verdict::of_numbers(10.0, 13.0), Verdict::Off);
        assert_eq!(Verdict::of_numbers(0.0, 0.0), Verdict::Close);
    }
}
