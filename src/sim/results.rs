//! What a simulation found, in the shape of the JSON output (SPEC §4).
//!
//! Times are in the scenario's time unit. Ratio estimators are used across runs:
//! throughput = Σ counted deliveries ÷ Σ window lengths and WIP = Σ ∫WIP dt ÷ Σ
//! window lengths, so WIP ÷ throughput is the pooled mean time in the stream and
//! Little's law holds up to the items that straddle the window's edges.

use serde::Serialize;

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};

use crate::model::Model;
use crate::model::calendar::Clock;
use crate::stats::{MeanCi, PairedDelta, percent_rank, t_critical_95};

/// How many of the baseline's first runs the report's representative run is
/// chosen from (all of them when there are no more).
pub const REPRESENTATIVE_POOL: usize = 1024;

/// What the output says in place of a figure of a stream that cannot settle.
pub const OVERLOADED: &str = "overloaded: queue grows without bound";

/// The stages of `model` whose offered load exceeds their capacity: arrival
/// rate × mean work × visits (rework loops counted) above the workers, as in
/// [`Model::loads`] and `check` (SPEC §2.5). A backlog has no arrival rate and
/// is never overloaded.
///
/// A shared pool whose stages' loads add up to more than its people is listed
/// as `pool NAME`.
pub fn overloaded(model: &Model) -> Vec<String> {
    let loads = model.loads();
    let stages = loads
        .iter()
        .zip(&model.stages)
        .filter(|(l, _)| l.load.is_some_and(|x| x > 1.0))
        .map(|(_, s)| s.name.clone());
    let pools = model
        .pool_loads_from(&loads)
        .into_iter()
        .zip(&model.pools)
        .filter(|(l, _)| l.load.is_some_and(|x| x > 1.0))
        .map(|(_, p)| format!("pool {}", p.name))
        .collect::<Vec<_>>();
    stages.chain(pools).collect()
}

/// Everything one `run` produced.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Total events processed, all runs and variants.
    pub events: u64,
    /// One entry per variant, baseline first.
    pub variants: Vec<VariantResult>,
    /// The baseline's mean lead time in each of its first
    /// [`REPRESENTATIVE_POOL`] runs, in run order: where the representative run
    /// of the report is chosen (bounded, so memory stays flat in `--runs`).
    #[serde(skip)]
    pub baseline_lead_means: Vec<f64>,
    /// Per variant: every counted lead time, as a histogram (for distribution charts).
    #[serde(skip)]
    pub histograms: Vec<crate::stats::LogHistogram>,
    /// The heap bytes the runs were folded into: independent of the number of
    /// runs (a test holds it to that).
    #[serde(skip)]
    pub retained_bytes: usize,
}

/// The figures of one variant.
#[derive(Debug, Clone, Serialize)]
pub struct VariantResult {
    /// `baseline` or the intervention.
    pub name: String,
    /// Lead time (arrival to delivery).
    pub lead_time: LeadTime,
    /// Mean cycle time from entering the commitment stage, when one is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle_time: Option<f64>,
    /// Mean time held before entering the first stage (WIP limits).
    pub entry_wait: f64,
    /// Σ active ÷ Σ lead time.
    pub flow_efficiency: f64,
    /// Mean of per-item active ÷ lead time.
    pub flow_efficiency_mean: f64,
    /// Deliveries per time unit.
    pub throughput: f64,
    /// Time-averaged items in the stream.
    pub wip: f64,
    /// Mean items counted per run.
    pub delivered: f64,
    /// Mean simulated time per run.
    pub duration: f64,
    /// A backlog with a start date: when the whole backlog is delivered, at
    /// 50/70/85/95% of runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_by: Option<When>,
    /// A dated backlog whose completion date at some of 50/70/85/95% lies after
    /// 9999-12-31, the last date that can be shown: those levels (and no
    /// `done_by`, since no date shown would be the answer).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub done_by_beyond_9999: Vec<usize>,
    /// Per stage, in file order.
    pub stages: Vec<StageResult>,
    /// Per shared pool, in the order of `resources:` (absent without pools).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pools: Vec<PoolResult>,
    /// The stage where items wait longest per item.
    pub bottleneck: String,
    /// The busiest people: a stage with a fixed number of workers, or a
    /// shared pool as `qa pool`.
    pub most_utilized: Option<String>,
    /// Flow distribution: lead time and share per item type.
    pub types: Vec<TypeResult>,
    /// Per class of service, most urgent first (absent without `classes`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<ClassResult>,
    /// The cost of delay the stream incurs, when the scenario prices delay.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_of_delay: Option<CostOfDelay>,
    /// A stream that splits items: lead time, throughput and WIP of the items
    /// that split and of their children (absent without a split).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<SplitResult>,
    /// The intervention's one-off cost, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// The intervention's yearly cost, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_per_year: Option<f64>,
    /// Stages whose offered load exceeds their capacity (SPEC §2.5, rework
    /// visits counted), checked before the run; empty when the stream can
    /// settle. An overloaded variant's lead times only measure how long the run
    /// was, so its figures and delta are not findings.
    pub overloaded: Vec<String>,
    /// Variant − baseline (null for the baseline).
    pub delta: Option<Delta>,
    /// What the lead-time change is worth (with `economics` or a `cost`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub economics: Option<EconomicValue>,
}

/// The formula behind [`CostOfDelay`], stated in the output and the docs.
pub const COST_OF_DELAY_FORMULA: &str = "cost of delay per year = Σ over delivered items of (cost of delay of its type, \
     per item per week × its lead time in weeks), per year of deliveries";

/// The formula behind [`EconomicValue`], stated in the output and the docs.
pub const VALUE_FORMULA: &str = "value per year = the baseline's cost of delay per year − the intervention's \
     (paired run by run); net value per year = value per year − yearly cost; payback = one-off cost ÷ net value per year";

/// The formula behind a backlog's [`EconomicValue`].
pub const VALUE_FORMULA_BACKLOG: &str = "value for the backlog = the baseline's cost of delay for the backlog − the intervention's \
     (Σ over the backlog's items of cost of delay per item per week × lead time in weeks)";

/// The cost of delay a variant incurs: Σ over delivered items of cost of
/// delay × lead time, per year of deliveries (open streams) or for the whole
/// backlog.
#[derive(Debug, Clone, Serialize)]
pub struct CostOfDelay {
    /// Mean over runs.
    pub mean: f64,
    /// Its 95% CI across runs.
    pub mean_ci95: [f64; 2],
    /// `per year` for open streams, `for the backlog` for a backlog.
    pub basis: &'static str,
    /// Currency label.
    pub currency: String,
}

/// What the baseline delivers, for valuing lead-time changes.
#[derive(Debug, Clone, Copy)]
pub struct ValueBasis<'a> {
    /// Length of the scenario's time unit in hours.
    pub unit_hours: f64,
    /// Items per year (the baseline's throughput), or the backlog's size.
    pub deliveries: f64,
    /// Whether the stream is a backlog.
    pub backlog: bool,
    /// Whether the scenario prices delay (`economics.cost_of_delay`).
    pub priced: bool,
    /// Currency label.
    pub currency: &'a str,
}

/// What an intervention's lead-time change is worth.
#[derive(Debug, Clone, Serialize)]
pub struct EconomicValue {
    /// Mean lead time saved per item, in weeks (negative: slower).
    pub lead_time_saved_weeks: f64,
    /// Its 95% CI.
    pub lead_time_saved_weeks_ci95: [f64; 2],
    /// Items delivered per year (the baseline's throughput); for a backlog, its size.
    pub deliveries: f64,
    /// `per year` for open streams, `for the backlog` for a backlog.
    pub basis: &'static str,
    /// Cost of delay the intervention avoids: the baseline's minus its own,
    /// per year or for the backlog (null without a cost of delay).
    pub value: Option<f64>,
    /// Its 95% CI.
    pub value_ci95: Option<[f64; 2]>,
    /// The intervention's one-off cost, when given.
    pub cost: Option<f64>,
    /// Its yearly cost, when given.
    pub cost_per_year: Option<f64>,
    /// Value per year minus the yearly cost (open streams with a cost of delay).
    pub net_value_per_year: Option<f64>,
    /// Weeks until the value repays the cost (null: never, or not computable).
    pub payback_weeks: Option<f64>,
    /// Currency label.
    pub currency: String,
}

impl EconomicValue {
    /// Values a lead-time delta against the baseline's `basis`, with the
    /// intervention's one-off and yearly costs.
    pub fn from_delta(
        delta: &Delta,
        basis: &ValueBasis<'_>,
        cost: Option<f64>,
        cost_per_year: Option<f64>,
    ) -> EconomicValue {
        let ValueBasis {
            unit_hours,
            deliveries,
            backlog,
            priced,
            currency,
        } = *basis;
        let weeks = unit_hours / 168.0;
        let saved = -delta.lead_time_mean * weeks;
        let ci = [
            -delta.lead_time_mean_ci95[1] * weeks,
            -delta.lead_time_mean_ci95[0] * weeks,
        ];
        let value = delta.cost_of_delay.filter(|_| priced).map(|d| -d);
        let value_ci95 = delta
            .cost_of_delay_ci95
            .filter(|_| priced)
            .map(|c| [-c[1], -c[0]]);
        let net_value_per_year = value
            .filter(|_| !backlog)
            .map(|v| v - cost_per_year.unwrap_or(0.0));
        let payback_weeks = match (cost, net_value_per_year) {
            (Some(k), Some(v)) if v > 0.0 => Some(k / v * 365.0 / 7.0),
            _ => None,
        };
        EconomicValue {
            lead_time_saved_weeks: saved,
            lead_time_saved_weeks_ci95: ci,
            deliveries,
            basis: if backlog {
                "for the backlog"
            } else {
                "per year"
            },
            value,
            value_ci95,
            cost,
            cost_per_year,
            net_value_per_year,
            payback_weeks,
            currency: currency.to_string(),
        }
    }
}

/// Lead-time summary.
#[derive(Debug, Clone, Serialize)]
pub struct LeadTime {
    /// Exact mean over counted items.
    pub mean: f64,
    /// 95% CI of the mean across runs.
    pub mean_ci95: [f64; 2],
    /// Median over all counted items (histogram, ≤ 0.2% relative error).
    pub p50: f64,
    /// 85th percentile.
    pub p85: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Exact longest.
    pub max: f64,
}

/// One stage's figures.
#[derive(Debug, Clone, Serialize)]
pub struct StageResult {
    /// Stage name.
    pub name: String,
    /// Busy worker-time ÷ available worker-time (null: unlimited or scheduled).
    /// For a stage served by a shared pool: its share of the pool's worker-time,
    /// so the pool's stages add up to the pool's utilisation.
    pub utilization: Option<f64>,
    /// Mean time per visit from entering the stage to starting work (and, after
    /// a block that freed the worker, from queueing again to resuming).
    pub wait: f64,
    /// Time-averaged items waiting here (entered, not started).
    pub queue: f64,
    /// Mean active time per visit.
    pub work: f64,
    /// Visits per item.
    pub visits: f64,
    /// Mean time per visit in the outbox (batching, or blocked by the next stage's limit).
    pub outbox_wait: f64,
    /// Wait per item here, all visits, outbox and blocked time included.
    pub wait_per_item: f64,
    /// Active time per item here, all visits.
    pub active_per_item: f64,
    /// Time blocked per item here, all visits (part of `wait_per_item`): waiting
    /// on someone outside the stage in the middle of the work.
    pub time_blocked: f64,
}

/// One shared pool's figures.
#[derive(Debug, Clone, Serialize)]
pub struct PoolResult {
    /// Pool name.
    pub name: String,
    /// People in the pool.
    pub workers: u32,
    /// Busy worker-time ÷ available worker-time, over all the pool's stages
    /// (the sum of their `utilization`s).
    pub utilization: f64,
    /// The stages it serves, in file order.
    pub stages: Vec<String>,
    /// Mean time per visit from entering one of its stages to starting work.
    pub wait: f64,
}

/// Flow distribution for one item type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeResult {
    /// Type name.
    pub name: String,
    /// Share of counted deliveries.
    pub share: f64,
    /// Mean lead time of this type.
    pub lead_time_mean: f64,
    /// Σ active ÷ Σ lead of this type.
    pub flow_efficiency: f64,
}

/// The figures of one class of service.
#[derive(Debug, Clone, Serialize)]
pub struct ClassResult {
    /// Class name (`standard` for the implicit class of types no class names).
    pub name: String,
    /// Its item types, in mix order.
    pub types: Vec<String>,
    /// Whether its items may pass WIP limits.
    pub wip_exempt: bool,
    /// Time from arrival to the due date, when the class has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<f64>,
    /// Share of counted deliveries.
    pub share: f64,
    /// Its lead time.
    pub lead_time: ClassLeadTime,
    /// Share of its counted deliveries made by their due date (classes with
    /// `due` only): pooled over every counted item of every run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_time: Option<f64>,
    /// 95% CI of the on-time share across runs (each run's share).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_time_ci95: Option<[f64; 2]>,
}

/// Lead-time summary of one class of service.
#[derive(Debug, Clone, Serialize)]
pub struct ClassLeadTime {
    /// Exact mean over its counted items.
    pub mean: f64,
    /// 95% CI of the mean across runs (each run's mean for the class).
    pub mean_ci95: [f64; 2],
    /// Median (histogram, ≤ 0.2% relative error).
    pub p50: f64,
    /// 85th percentile.
    pub p85: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// The two levels of a stream that splits items (features into stories).
#[derive(Debug, Clone, Serialize)]
pub struct SplitResult {
    /// The stage where items split.
    pub stage: String,
    /// Children made per item that split, all runs (warm-up included).
    pub children_per_parent: f64,
    /// The items that split, each delivered when its last child is; lead time
    /// from its arrival (they are among the variant's counted items).
    pub parents: LevelResult,
    /// Their children, lead time from the split to their own delivery; those
    /// delivered in the counting window.
    pub children: LevelResult,
}

/// Lead time, throughput and WIP of one level of a split stream.
#[derive(Debug, Clone, Serialize)]
pub struct LevelResult {
    /// What the items of this level are called: the split item types
    /// (`feature`), and the children's type (`story`) or `part of feature`.
    pub name: String,
    /// Mean lead time with its 95% CI across runs, and the longest.
    pub lead_time: LevelLead,
    /// Σ active ÷ Σ lead time.
    pub flow_efficiency: f64,
    /// Deliveries per time unit in the window.
    pub throughput: f64,
    /// Time-averaged items of this level in the stream over the window
    /// (Little's law: ≈ throughput × mean lead time).
    pub wip: f64,
    /// Mean deliveries counted per run.
    pub delivered: f64,
}

/// A level's lead time.
#[derive(Debug, Clone, Serialize)]
pub struct LevelLead {
    /// Exact mean over the counted deliveries.
    pub mean: f64,
    /// 95% CI of the mean across runs.
    pub mean_ci95: [f64; 2],
    /// Exact longest.
    pub max: f64,
}

/// Variant − baseline, from paired per-run differences.
#[derive(Debug, Clone, Serialize)]
pub struct Delta {
    /// Mean lead-time difference (negative: faster).
    pub lead_time_mean: f64,
    /// Its 95% CI.
    pub lead_time_mean_ci95: [f64; 2],
    /// Mean difference of per-run 85th percentiles.
    pub lead_time_p85: f64,
    /// Its 95% CI.
    pub lead_time_p85_ci95: [f64; 2],
    /// Flow efficiency difference.
    pub flow_efficiency: f64,
    /// Its 95% CI.
    pub flow_efficiency_ci95: [f64; 2],
    /// Throughput difference.
    pub throughput: f64,
    /// Its 95% CI.
    pub throughput_ci95: [f64; 2],
    /// WIP difference.
    pub wip: f64,
    /// Its 95% CI.
    pub wip_ci95: [f64; 2],
    /// Share of runs in which the variant's mean lead time was lower.
    pub share_of_runs_faster: f64,
    /// Cost of delay incurred, variant − baseline (per year, or for the
    /// backlog), when the scenario prices delay; negative: less delay cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_of_delay: Option<f64>,
    /// Its 95% CI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_of_delay_ci95: Option<[f64; 2]>,
}

/// Per-run figures kept for confidence intervals and paired deltas.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunScalars {
    /// Cost of delay the run's counted deliveries incurred (0 unpriced).
    pub cost_of_delay: f64,
    /// Mean lead time of the run.
    pub lead_mean: f64,
    /// 85th percentile lead time of the run.
    pub lead_p85: f64,
    /// Aggregate flow efficiency of the run.
    pub efficiency: f64,
    /// Deliveries per time unit in the window.
    pub throughput: f64,
    /// Time-averaged WIP in the window.
    pub wip: f64,
    /// When the run ended (the last delivery).
    pub end_time: f64,
}

/// The confidence levels every forecast reports, in percent.
pub const LEVELS: [usize; 4] = [50, 70, 85, 95];

/// Delivery dates at 50, 70, 85 and 95% confidence: `p85` is the date by
/// which the whole backlog is delivered in 85% of runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct When {
    /// Done by this date in half of the runs.
    pub p50: Date,
    /// Done by this date in 70% of runs.
    pub p70: Date,
    /// Done by this date in 85% of runs.
    pub p85: Date,
    /// Done by this date in 95% of runs.
    pub p95: Date,
}

/// Computes [`When`] from each run's completion date (in any order); `None`
/// when there are no runs.
pub fn when(completion: &[Date]) -> Option<When> {
    let mut counts = BTreeMap::new();
    for d in completion {
        *counts.entry(Some(*d)).or_insert(0u64) += 1;
    }
    when_from_counts(&counts).ok().flatten()
}

/// The nearest-rank `level`% value of a histogram (value → runs, ascending):
/// the smallest value on or before which at least `level`% of the runs lie.
/// `None` when it is empty.
pub fn rank_in_counts<K: Copy + Ord>(counts: &BTreeMap<K, u64>, level: usize) -> Option<K> {
    let n: u64 = counts.values().sum();
    if n == 0 {
        return None;
    }
    let rank = percent_rank(level, usize::try_from(n).unwrap_or(usize::MAX)) as u64;
    let mut seen = 0;
    for (k, c) in counts {
        seen += c;
        if seen >= rank {
            return Some(*k);
        }
    }
    counts.keys().next_back().copied()
}

/// Computes [`When`] from a histogram of completion dates, `None` standing for
/// runs that finish after the last date that can be shown (or never). `Ok(None)`
/// when there are no runs; `Err(levels)` with the confidence levels whose date
/// lies beyond 9999-12-31, since no date printed for them would be the answer.
pub fn when_from_counts(counts: &BTreeMap<Option<Date>, u64>) -> Result<Option<When>, Vec<usize>> {
    // `None` sorts first in an `Option`; move it to the end, where it belongs.
    let mut ordered: BTreeMap<(bool, Date), u64> = BTreeMap::new();
    for (d, c) in counts {
        *ordered
            .entry((d.is_none(), d.unwrap_or(Date::MAX)))
            .or_insert(0) += c;
    }
    let mut dates = [Date::MAX; 4];
    let mut beyond = Vec::new();
    for (i, level) in LEVELS.iter().enumerate() {
        match rank_in_counts(&ordered, *level) {
            None => return Ok(None),
            Some((true, _)) => beyond.push(*level),
            Some((false, d)) => dates[i] = d,
        }
    }
    if !beyond.is_empty() {
        return Err(beyond);
    }
    Ok(Some(When {
        p50: dates[0],
        p70: dates[1],
        p85: dates[2],
        p95: dates[3],
    }))
}

/// The levels of [`LEVELS`] in words: "85% and 95%".
pub fn levels_text(levels: &[usize]) -> String {
    let words: Vec<String> = levels.iter().map(|l| format!("{l}%")).collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The date of elapsed time `t` on `clock`, or `None` when `t` is never (not
/// finite) or falls after 9999-12-31, the last date that can be shown — where
/// [`Clock::date`] would saturate and print a date that is not the answer.
pub fn date_in_range(clock: &Clock, t: f64) -> Option<Date> {
    if !t.is_finite() {
        return None;
    }
    let dt = clock.datetime(t);
    (dt < DateTime::MAX).then(|| dt.date())
}

/// A mean and its 95% CI folded one value at a time, in order, in constant
/// memory: sums of the values' differences from the first one (which keeps
/// the sums small, so the variance does not cancel away). The mean is
/// computed exactly as [`crate::stats::mean_ci95`] computes it; the interval
/// agrees with it to rounding.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Running {
    n: u64,
    first: f64,
    sum: f64,
    sum_sq: f64,
}

impl Running {
    /// Adds the next value.
    pub fn add(&mut self, x: f64) {
        if self.n == 0 {
            self.first = x;
        }
        let d = x - self.first;
        self.sum += d;
        self.sum_sq += d * d;
        self.n += 1;
    }

    /// The values added so far.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The mean with its t-based 95% interval (as [`crate::stats::mean_ci95`]:
    /// all `NaN` with no values, `NaN` bounds with one).
    pub fn ci95(&self) -> MeanCi {
        let n = self.n;
        if n == 0 {
            return MeanCi {
                mean: f64::NAN,
                lo: f64::NAN,
                hi: f64::NAN,
                n,
            };
        }
        let nf = n as f64;
        let mean = self.first + self.sum / nf;
        if n < 2 {
            return MeanCi {
                mean,
                lo: f64::NAN,
                hi: f64::NAN,
                n,
            };
        }
        let ss = (self.sum_sq - self.sum * self.sum / nf).max(0.0);
        let half = t_critical_95(n - 1) * (ss / (nf - 1.0)).sqrt() / nf.sqrt();
        MeanCi {
            mean,
            lo: mean - half,
            hi: mean + half,
            n,
        }
    }
}

/// A paired comparison folded run by run: the differences variant − baseline
/// and how often the variant was strictly better (see [`crate::stats::paired_delta`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PairedRunning {
    diffs: Running,
    better: u64,
    lower_is_better: bool,
}

impl PairedRunning {
    /// An empty comparison; `lower_is_better` says which way "better" is.
    pub fn new(lower_is_better: bool) -> PairedRunning {
        PairedRunning {
            lower_is_better,
            ..PairedRunning::default()
        }
    }

    /// Adds one run's pair.
    pub fn add(&mut self, variant: f64, baseline: f64) {
        self.diffs.add(variant - baseline);
        let better = if self.lower_is_better {
            variant < baseline
        } else {
            variant > baseline
        };
        self.better += u64::from(better);
    }

    /// The mean difference with its 95% CI and the share of runs better.
    pub fn delta(&self) -> PairedDelta {
        let ci = self.diffs.ci95();
        PairedDelta {
            mean: ci.mean,
            lo: ci.lo,
            hi: ci.hi,
            n: ci.n,
            share_better: if ci.n == 0 {
                f64::NAN
            } else {
                self.better as f64 / ci.n as f64
            },
        }
    }
}
