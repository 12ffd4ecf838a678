//! Runs × variants spread over cores, merged in run order.
//!
//! Run `r` of every variant uses the same random streams (common random numbers),
//! so per-run differences between a variant and the baseline come from the
//! policy, not from luck. Runs are processed in fixed-size chunks: each chunk is
//! simulated in parallel, then its per-run summaries are folded into the totals
//! sequentially in run order. Floating-point sums therefore never depend on how
//! rayon split the work, and the output is byte-identical for any thread count.
//! Lead-time histograms hold integer counts, so merging them in any order is exact.
//!
//! Memory is flat in the number of runs: each run's figures are folded into
//! running sums as they arrive (means and CIs by [`Running`], paired deltas by
//! [`PairedRunning`], completion dates and counts as histograms), so nothing
//! is kept per run beyond the chunk in flight and the first
//! [`REPRESENTATIVE_POOL`] baseline lead times the report picks its
//! representative run from.

use rayon::prelude::*;

mod per_run;
pub use per_run::{RunFigures, per_run_figures};

use crate::error::Error;
use crate::model::calendar::Clock;
use crate::model::keys::run_key;
use crate::model::{Capacity, Model, Variant};
use crate::sim::engine::{
    ClassSummary, Engine, LevelSummary, RunSummary, SimError, StageSummary, TypeSummary,
};
use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::sim::results::{
    ClassLeadTime, ClassResult, CostOfDelay, Delta, EconomicValue, LeadTime, LevelLead,
    LevelResult, Outcome, PairedRunning, PoolResult, REPRESENTATIVE_POOL, RunScalars, Running,
    SplitResult, StageResult, TypeResult, ValueBasis, VariantResult, date_in_range, overloaded,
    when_from_counts,
};
use crate::stats::LogHistogram;

/// Runs per chunk; fixed so that results never depend on the thread count.
const CHUNK: u64 = 64;

/// Runs per chunk of a forecast, whose runs are short: larger chunks keep the
/// threads busy between folds (a chunk in flight holds a few hundred bytes a run).
const FORECAST_CHUNK: u64 = 2048;

/// Events one core processes per second, about (SPEC §6 measures 7–8 million
/// on the benchmark model); used only to refuse requests that cannot finish.
pub const EVENTS_PER_SECOND: f64 = 1e7;

/// The longest simulation flowcast agrees to start, in seconds: a week.
pub const LONGEST_SECONDS: f64 = 7.0 * 86_400.0;

/// About how many events one run of `model` takes when it delivers `items`:
/// items × expected visits per item (rework loops counted) × 3 (arrival,
/// start and end of work, roughly, per visit).
pub fn events_per_run(model: &Model, items: u64) -> f64 {
    let visits: f64 = model.loads().iter().map(|l| l.visits).sum();
    items as f64 * visits.max(1.0) * 3.0
}

/// Refuses, before anything runs, a simulation that would take longer than
/// [`LONGEST_SECONDS`]: `runs` runs of models whose runs take
/// `events_per_run` events between them, on `threads` cores (all when `None`).
pub fn check_duration(events_per_run: f64, runs: u64, threads: Option<usize>) -> Result<(), Error> {
    let cores = threads
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
        .max(1);
    let events = events_per_run * runs as f64;
    let seconds = events / (EVENTS_PER_SECOND * cores as f64);
    if seconds <= LONGEST_SECONDS {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{runs} runs would simulate about {} events: about {} on {cores} core{} at roughly 10 million \
         events a second each, and flowcast does not start anything that takes over a week. \
         Ask for fewer --runs (a few thousand already give tight intervals) or fewer items per run",
        crate::stats::fmt_sig(events, 2),
        duration_words(seconds),
        if cores == 1 { "" } else { "s" },
    )))
}

/// A long duration in the largest unit that reads well: "3.2 weeks", "41 years".
fn duration_words(seconds: f64) -> String {
    let (value, unit) = if seconds >= 2.0 * 365.25 * 86_400.0 {
        (seconds / (365.25 * 86_400.0), "years")
    } else if seconds >= 14.0 * 86_400.0 {
        (seconds / (7.0 * 86_400.0), "weeks")
    } else {
        (seconds / 86_400.0, "days")
    };
    if value.is_finite() && value < 1e6 {
        format!("{} {unit}", crate::stats::fmt_sig(value, 2))
    } else {
        "over a million years".to_string()
    }
}

/// How many runs, with which seed, on how many threads.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Replications per variant.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Worker threads (`None`: all cores).
    pub threads: Option<usize>,
}

#[derive(Debug, Clone)]
struct Acc {
    runs: u64,
    delivered: u64,
    lead_sum: f64,
    lead_max: f64,
    active_sum: f64,
    efficiency_sum: f64,
    cycle_sum: f64,
    cycle_n: u64,
    entry_wait_sum: f64,
    window_sum: f64,
    wip_area_sum: f64,
    end_time_sum: f64,
    window_working_sum: f64,
    events: u64,
    stages: Vec<StageSummary>,
    types: Vec<TypeSummary>,
    /// Split streams: the levels' sums, per-run mean leads, and parts made.
    parents: LevelSummary,
    children: LevelSummary,
    parent_means: Running,
    child_means: Running,
    parents_made: u64,
    children_made: u64,
    /// Per-run mean lead times, for the CI across runs.
    lead_means: Running,
    /// Per class of service: sums, per-run means and on-time shares, lead times.
    classes: Vec<ClassSummary>,
    class_means: Vec<Running>,
    class_on_time: Vec<Running>,
    class_hists: Vec<LogHistogram>,
    /// Per-run cost of delay incurred, for its CI.
    cost_of_delay: Running,
    /// Runs finishing on each date (dated backlogs only; `None`: after 9999-12-31).
    done_dates: BTreeMap<Option<Date>, u64>,
    hist: LogHistogram,
}

/// Paired differences against the baseline, folded run by run.
#[derive(Debug, Clone, Copy)]
struct Pairs {
    lead: PairedRunning,
    p85: PairedRunning,
    efficiency: PairedRunning,
    throughput: PairedRunning,
    wip: PairedRunning,
    cost_of_delay: PairedRunning,
}

impl Pairs {
    fn new() -> Pairs {
        Pairs {
            lead: PairedRunning::new(true),
            p85: PairedRunning::new(true),
            efficiency: PairedRunning::new(false),
            throughput: PairedRunning::new(false),
            wip: PairedRunning::new(true),
            cost_of_delay: PairedRunning::new(true),
        }
    }

    fn add(&mut self, v: &RunScalars, b: &RunScalars) {
        self.lead.add(v.lead_mean, b.lead_mean);
        self.p85.add(v.lead_p85, b.lead_p85);
        self.efficiency.add(v.efficiency, b.efficiency);
        self.throughput.add(v.throughput, b.throughput);
        self.wip.add(v.wip, b.wip);
        self.cost_of_delay.add(v.cost_of_delay, b.cost_of_delay);
    }

    /// The paired deltas; `priced`: whether the scenario has a cost of delay.
    fn delta(&self, priced: bool) -> Delta {
        let cod = self.cost_of_delay.delta();
        let (lead, p85, eff, tp, wip) = (
            self.lead.delta(),
            self.p85.delta(),
            self.efficiency.delta(),
            self.throughput.delta(),
            self.wip.delta(),
        );
        Delta {
            lead_time_mean: lead.mean,
            lead_time_mean_ci95: [lead.lo, lead.hi],
            lead_time_p85: p85.mean,
            lead_time_p85_ci95: [p85.lo, p85.hi],
            flow_efficiency: eff.mean,
            flow_efficiency_ci95: [eff.lo, eff.hi],
            throughput: tp.mean,
            throughput_ci95: [tp.lo, tp.hi],
            wip: wip.mean,
            wip_ci95: [wip.lo, wip.hi],
            share_of_runs_faster: lead.share_better,
            cost_of_delay: priced.then_some(cod.mean),
            cost_of_delay_ci95: priced.then_some([cod.lo, cod.hi]),
        }
    }
}

/// How a run's lead times are priced: money per time unit of lead time for
/// each item type, and whether the total is per year (open streams) or for
/// the whole backlog.
#[derive(Debug, Clone)]
struct Pricing {
    per_unit: Vec<f64>,
    /// Time units in a year, for open streams; `None` for a backlog.
    units_per_year: Option<f64>,
}

impl Pricing {
    /// The pricing of `m`'s cost of delay, when it has one.
    fn of(m: &Model) -> Option<Pricing> {
        let e = m.economics.as_ref()?;
        e.cost_of_delay.as_ref()?;
        let weeks_per_unit = m.time_unit.hours() / 168.0;
        Some(Pricing {
            per_unit: (0..m.types.len())
                .map(|t| e.cost_of_delay_of(t) * weeks_per_unit)
                .collect(),
            units_per_year: (!m.is_backlog()).then(|| 8760.0 / m.time_unit.hours()),
        })
    }

    /// The cost of delay the run's counted deliveries incurred: Σ cost of delay
    /// × lead time, per year of the counting window (open streams) or in all (a
    /// backlog).
    fn incurred(&self, r: &RunSummary) -> f64 {
        let total: f64 = self
            .per_unit
            .iter()
            .zip(&r.types)
            .map(|(c, t)| c * t.lead_sum)
            .sum();
        match self.units_per_year {
            Some(y) => total / r.window * y,
            None => total,
        }
    }
}

/// A run's figures behind CIs and paired deltas.
fn scalars(r: &RunSummary, pricing: Option<&Pricing>) -> RunScalars {
    let n = r.delivered as f64;
    RunScalars {
        cost_of_delay: pricing.map_or(0.0, |p| p.incurred(r)),
        lead_mean: r.lead_sum / n,
        lead_p85: r.lead_p85,
        efficiency: if r.lead_sum > 0.0 {
            r.active_sum / r.lead_sum
        } else {
            1.0
        },
        throughput: n / r.window,
        wip: r.wip_area / r.window,
        end_time: r.end_time,
    }
}

impl Acc {
    fn new(model: &Model) -> Acc {
        Acc {
            runs: 0,
            delivered: 0,
            lead_sum: 0.0,
            lead_max: 0.0,
            active_sum: 0.0,
            efficiency_sum: 0.0,
            cycle_sum: 0.0,
            cycle_n: 0,
            entry_wait_sum: 0.0,
            window_sum: 0.0,
            wip_area_sum: 0.0,
            end_time_sum: 0.0,
            window_working_sum: 0.0,
            events: 0,
            stages: vec![StageSummary::default(); model.stages.len()],
            types: vec![TypeSummary::default(); model.types.len()],
            parents: LevelSummary::default(),
            children: LevelSummary::default(),
            parent_means: Running::default(),
            child_means: Running::default(),
            parents_made: 0,
            children_made: 0,
            lead_means: Running::default(),
            classes: vec![ClassSummary::default(); model.classes.len()],
            class_means: vec![Running::default(); model.classes.len()],
            class_on_time: vec![Running::default(); model.classes.len()],
            class_hists: model.classes.iter().map(|_| LogHistogram::new()).collect(),
            cost_of_delay: Running::default(),
            done_dates: BTreeMap::new(),
            hist: LogHistogram::new(),
        }
    }

    /// Folds in the next run; `clock` is set for a dated backlog.
    fn add(&mut self, r: &RunSummary, sc: &RunScalars, clock: Option<&Clock>) {
        self.runs += 1;
        self.delivered += r.delivered;
        self.lead_sum += r.lead_sum;
        self.lead_max = self.lead_max.max(r.lead_max);
        self.active_sum += r.active_sum;
        self.efficiency_sum += r.efficiency_sum;
        self.cycle_sum += r.cycle_sum;
        self.cycle_n += r.cycle_n;
        self.entry_wait_sum += r.entry_wait_sum;
        self.window_sum += r.window;
        self.wip_area_sum += r.wip_area;
        self.end_time_sum += r.end_time;
        self.window_working_sum += r.window_working;
        self.events += r.events;
        for (a, b) in self.stages.iter_mut().zip(&r.stages) {
            a.visits += b.visits;
            a.wait += b.wait;
            a.work += b.work;
            a.outbox += b.outbox;
            a.off_hours += b.off_hours;
            a.blocked += b.blocked;
            a.busy_area += b.busy_area;
            a.queue_area += b.queue_area;
        }
        for (a, b) in self.types.iter_mut().zip(&r.types) {
            a.delivered += b.delivered;
            a.lead_sum += b.lead_sum;
            a.active_sum += b.active_sum;
        }
        for (a, b, m) in [
            (&mut self.parents, &r.parents, &mut self.parent_means),
            (&mut self.children, &r.children, &mut self.child_means),
        ] {
            a.delivered += b.delivered;
            a.lead_sum += b.lead_sum;
            a.lead_max = a.lead_max.max(b.lead_max);
            a.active_sum += b.active_sum;
            a.area += b.area;
            if b.delivered > 0 {
                m.add(b.lead_sum / b.delivered as f64);
            }
        }
        self.parents_made += r.parents_made;
        self.children_made += r.children_made;
        self.lead_means.add(sc.lead_mean);
        for (k, b) in r.classes.iter().enumerate() {
            let a = &mut self.classes[k];
            a.delivered += b.delivered;
            a.lead_sum += b.lead_sum;
            a.on_time += b.on_time;
            // A run that delivered none of a class says nothing about its mean.
            if b.delivered > 0 {
                let n = b.delivered as f64;
                self.class_means[k].add(b.lead_sum / n);
                self.class_on_time[k].add(b.on_time as f64 / n);
            }
        }
        self.cost_of_delay.add(sc.cost_of_delay);
        if let Some(clock) = clock {
            *self
                .done_dates
                .entry(date_in_range(clock, r.end_time))
                .or_insert(0) += 1;
        }
    }

    /// The heap bytes this accumulator holds besides its fixed-size lead-time
    /// histogram: the same for any number of runs (the date histogram grows
    /// with the distinct completion dates only).
    fn retained_bytes(&self) -> usize {
        self.stages.capacity() * size_of::<StageSummary>()
            + self.types.capacity() * size_of::<TypeSummary>()
            + self.classes.capacity() * size_of::<ClassSummary>()
            + (self.class_means.capacity() + self.class_on_time.capacity()) * size_of::<Running>()
            + self.done_dates.len() * size_of::<(Option<Date>, u64)>()
    }
}

struct Part<'m> {
    rows: Vec<(u64, Result<Vec<RunSummary>, SimError>)>,
    hists: Vec<LogHistogram>,
    engines: Vec<Engine<'m>>,
}

/// Lead-time histograms of a chunk per variant: all counted items, and per
/// class of service (integer counts, so merging in any order is exact).
#[derive(Debug)]
struct Hists {
    all: Vec<LogHistogram>,
    classes: Vec<Vec<LogHistogram>>,
}

impl Hists {
    fn merge(&mut self, o: &Hists) {
        for (a, b) in self.all.iter_mut().zip(&o.all) {
            a.merge(b);
        }
        for (a, b) in self.classes.iter_mut().zip(&o.classes) {
            for (x, y) in a.iter_mut().zip(b) {
                x.merge(y);
            }
        }
    }
}

/// Simulates every variant `settings.runs` times and summarises them.
/// `progress` is called once per finished run (all variants of it).
pub fn simulate(
    variants: &[Variant],
    settings: &Settings,
    progress: &(dyn Fn() + Sync),
) -> Result<Outcome, Error> {
    if variants.is_empty() {
        return Err(Error::Usage("nothing to simulate".into()));
    }
    if settings.runs == 0 {
        return Err(Error::Usage("--runs must be at least 1".into()));
    }
    let pool = thread_pool(settings.threads)?;
    let mut folded = Folded {
        accs: variants.iter().map(|v| Acc::new(&v.model)).collect(),
        pairs: variants.iter().skip(1).map(|_| Pairs::new()).collect(),
        representative: Vec::new(),
        pricing: variants.iter().map(|v| Pricing::of(&v.model)).collect(),
        clocks: variants
            .iter()
            .map(|v| {
                let m = &v.model;
                (m.is_backlog() && m.start.is_some())
                    .then(|| m.clock())
                    .flatten()
            })
            .collect(),
    };
    pool.install(|| -> Result<(), Error> {
        let mut start = 0;
        while start < settings.runs {
            let end = (start + CHUNK).min(settings.runs);
            let (rows, hists) = run_chunk(variants, settings.seed, start..end, progress);
            folded.add(rows, &hists, settings.seed)?;
            start = end;
        }
        Ok(())
    })?;
    let Folded {
        accs,
        pairs,
        representative,
        ..
    } = folded;
    let mut results: Vec<VariantResult> = variants
        .iter()
        .zip(&accs)
        .map(|(v, a)| summarise(v, a))
        .collect();
    compare(&mut results, &pairs, variants);
    let retained = accs.iter().map(Acc::retained_bytes).sum::<usize>()
        + pairs.capacity() * size_of::<Pairs>()
        + representative.capacity() * size_of::<f64>();
    Ok(Outcome {
        events: accs.iter().map(|a| a.events).sum(),
        histograms: accs.into_iter().map(|a| a.hist).collect(),
        baseline_lead_means: representative,
        variants: results,
        retained_bytes: retained,
    })
}

/// A pool of `threads` workers (all cores when `None`).
fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Error> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        builder = builder.num_threads(t);
    }
    builder
        .build()
        .map_err(|e| Error::Simulation(format!("cannot start worker threads: {e}")))
}

/// One chunk's finished runs, each with every variant's summary (or the first
/// error), and its lead-time histograms per variant.
type Chunk = (Vec<(u64, Result<Vec<RunSummary>, SimError>)>, Hists);

/// Runs `runs` of every variant in parallel, each thread with its own engines
/// (rows in any order).
fn run_chunk(
    variants: &[Variant],
    seed: u64,
    runs: std::ops::Range<u64>,
    progress: &(dyn Fn() + Sync),
) -> Chunk {
    (runs.start as usize..runs.end as usize)
        .into_par_iter()
        .with_min_len(2)
        .fold(
            || Part {
                rows: Vec::new(),
                hists: variants.iter().map(|_| LogHistogram::new()).collect(),
                engines: variants.iter().map(|v| Engine::new(&v.model)).collect(),
            },
            |mut part, r| {
                let r = r as u64;
                let key = run_key(seed, r);
                let mut out = Vec::with_capacity(variants.len());
                let mut failed = None;
                for (e, h) in part.engines.iter_mut().zip(part.hists.iter_mut()) {
                    match e.run(key, h) {
                        Ok(s) => out.push(s),
                        Err(err) => {
                            failed = Some(err);
                            break;
                        }
                    }
                }
                progress();
                part.rows.push((r, failed.map_or(Ok(out), Err)));
                part
            },
        )
        .map(|p| {
            let classes = p
                .engines
                .iter()
                .map(|e| e.class_histograms().to_vec())
                .collect();
            (
                p.rows,
                Hists {
                    all: p.hists,
                    classes,
                },
            )
        })
        .reduce(
            || {
                (
                    Vec::new(),
                    Hists {
                        all: variants.iter().map(|_| LogHistogram::new()).collect(),
                        classes: variants
                            .iter()
                            .map(|v| {
                                v.model
                                    .classes
                                    .iter()
                                    .map(|_| LogHistogram::new())
                                    .collect()
                            })
                            .collect(),
                    },
                )
            },
            |(mut ra, mut ha), (rb, hb)| {
                ra.extend(rb);
                ha.merge(&hb);
                (ra, ha)
            },
        )
}

/// Everything kept of the runs so far: running sums per variant, paired sums
/// per variant after the baseline, and the baseline's first run means.
struct Folded {
    accs: Vec<Acc>,
    pairs: Vec<Pairs>,
    representative: Vec<f64>,
    clocks: Vec<Option<Clock>>,
    /// Each variant's cost-of-delay pricing, when the scenario has one.
    pricing: Vec<Option<Pricing>>,
}

impl Folded {
    /// Folds a chunk's runs in run order (so the sums are the same for any
    /// thread count); the first failed run is the error.
    fn add(
        &mut self,
        mut rows: Vec<(u64, Result<Vec<RunSummary>, SimError>)>,
        hists: &Hists,
        seed: u64,
    ) -> Result<(), Error> {
        rows.sort_by_key(|(r, _)| *r);
        for (r, res) in rows {
            let sums =
                res.map_err(|e| Error::Simulation(format!("run {} (seed {seed}): {e}", r + 1)))?;
            let sc: Vec<RunScalars> = sums
                .iter()
                .zip(&self.pricing)
                .map(|(x, p)| scalars(x, p.as_ref()))
                .collect();
            for ((acc, s), (x, clock)) in self
                .accs
                .iter_mut()
                .zip(&sums)
                .zip(sc.iter().zip(&self.clocks))
            {
                acc.add(s, x, clock.as_ref());
            }
            for (p, x) in self.pairs.iter_mut().zip(&sc[1..]) {
                p.add(x, &sc[0]);
            }
            if self.representative.len() < REPRESENTATIVE_POOL {
                self.representative.push(sc[0].lead_mean);
            }
        }
        for ((acc, h), ch) in self.accs.iter_mut().zip(&hists.all).zip(&hists.classes) {
            acc.hist.merge(h);
            for (a, b) in acc.class_hists.iter_mut().zip(ch) {
                a.merge(b);
            }
        }
        Ok(())
    }
}

/// Each variant's paired change against the baseline and, when the stream
/// settles and something is priced, what the change is worth.
fn compare(results: &mut [VariantResult], pairs: &[Pairs], variants: &[Variant]) {
    let base_model = &variants[0].model;
    let base_throughput = results[0].throughput;
    let results_base_settles = results[0].overloaded.is_empty();
    let priced = results[0].cost_of_delay.is_some();
    for ((res, p), v) in results.iter_mut().skip(1).zip(pairs).zip(&variants[1..]) {
        let d = p.delta(priced);
        // The value of a lead-time change of a stream that cannot settle means nothing.
        let settles = res.overloaded.is_empty() && results_base_settles;
        if settles && (priced || v.cost.is_some() || v.cost_per_year.is_some()) {
            let unit = base_model.time_unit.hours();
            let deliveries = if base_model.is_backlog() {
                base_model.items_per_run() as f64
            } else {
                base_throughput * 8760.0 / unit
            };
            let currency = base_model
                .economics
                .as_ref()
                .map_or("", |e| e.currency.as_str());
            let basis = ValueBasis {
                unit_hours: unit,
                deliveries,
                backlog: base_model.is_backlog(),
                priced,
                currency,
            };
            res.economics = Some(EconomicValue::from_delta(
                &d,
                &basis,
                v.cost,
                v.cost_per_year,
            ));
        }
        res.delta = Some(d);
    }
}

/// Per stage of `m`: utilization, waits, work, queue and visits, averaged
/// over every counted item of every run.
fn stage_results(m: &Model, a: &Acc) -> Vec<StageResult> {
    let n = a.delivered as f64;
    let window = a.window_sum;
    m.stages
        .iter()
        .zip(&a.stages)
        .map(|(s, x)| {
            let visits = x.visits as f64;
            let per_visit = |t: f64| if visits > 0.0 { t / visits } else { 0.0 };
            StageResult {
                name: s.name.clone(),
                utilization: match s.capacity {
                    // With a calendar: active working time ÷ the workers' working time.
                    Capacity::Workers(w) if m.calendar.is_some() => {
                        Some(x.work / (f64::from(w) * a.window_working_sum))
                    }
                    Capacity::Workers(w) => Some(x.busy_area / (f64::from(w) * window)),
                    // A pool stage's share of its pool's worker-time.
                    Capacity::Pool(p) if m.calendar.is_some() => {
                        Some(x.work / (f64::from(m.pools[p].workers) * a.window_working_sum))
                    }
                    Capacity::Pool(p) => {
                        Some(x.busy_area / (f64::from(m.pools[p].workers) * window))
                    }
                    _ => None,
                },
                wait: per_visit(x.wait),
                queue: x.queue_area / window,
                work: per_visit(x.work),
                visits: visits / n,
                outbox_wait: per_visit(x.outbox),
                wait_per_item: (x.wait + x.outbox + x.off_hours + x.blocked) / n,
                active_per_item: x.work / n,
                time_blocked: x.blocked / n,
            }
        })
        .collect()
}

/// Per shared pool of `m`: utilisation (the sum of its stages' shares) and
/// mean wait per visit across its stages.
fn pool_results(m: &Model, a: &Acc, stages: &[StageResult]) -> Vec<PoolResult> {
    (0..m.pools.len())
        .map(|p| {
            let idx: Vec<usize> = m.pool_stages(p).collect();
            let visits: u64 = idx.iter().map(|&i| a.stages[i].visits).sum();
            let wait: f64 = idx.iter().map(|&i| a.stages[i].wait).sum();
            PoolResult {
                name: m.pools[p].name.clone(),
                workers: m.pools[p].workers,
                utilization: idx.iter().filter_map(|&i| stages[i].utilization).sum(),
                stages: idx.iter().map(|&i| m.stages[i].name.clone()).collect(),
                wait: if visits > 0 {
                    wait / visits as f64
                } else {
                    0.0
                },
            }
        })
        .collect()
}

/// Per item type of `m`: its share of deliveries, mean lead time and flow
/// efficiency.
fn type_results(m: &Model, a: &Acc) -> Vec<TypeResult> {
    let n = a.delivered as f64;
    m.types
        .iter()
        .zip(&a.types)
        .map(|(t, x)| TypeResult {
            name: t.name.clone(),
            share: x.delivered as f64 / n,
            lead_time_mean: if x.delivered > 0 {
                x.lead_sum / x.delivered as f64
            } else {
                f64::NAN
            },
            flow_efficiency: if x.lead_sum > 0.0 {
                x.active_sum / x.lead_sum
            } else {
                f64::NAN
            },
        })
        .collect()
}

/// Per class of service of `m`: its share of deliveries, lead time (mean
/// with its CI across runs, percentiles) and, with a due date, the share
/// delivered by it.
fn class_results(m: &Model, a: &Acc) -> Vec<ClassResult> {
    let n = a.delivered as f64;
    m.classes
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let x = &a.classes[k];
            let d = x.delivered as f64;
            let ci = a.class_means[k].ci95();
            let hist = &a.class_hists[k];
            let q = |p: f64| {
                if hist.count() > 0 {
                    hist.quantile(p)
                } else {
                    f64::NAN
                }
            };
            let on_ci = a.class_on_time[k].ci95();
            ClassResult {
                name: c.name.clone(),
                types: c.types.iter().map(|&t| m.types[t].name.clone()).collect(),
                wip_exempt: c.wip_exempt,
                due: c.due,
                share: d / n,
                lead_time: ClassLeadTime {
                    mean: if x.delivered > 0 {
                        x.lead_sum / d
                    } else {
                        f64::NAN
                    },
                    mean_ci95: [ci.lo, ci.hi],
                    p50: q(0.50),
                    p85: q(0.85),
                    p95: q(0.95),
                },
                on_time: c.due.map(|_| {
                    if x.delivered > 0 {
                        x.on_time as f64 / d
                    } else {
                        f64::NAN
                    }
                }),
                on_time_ci95: c.due.map(|_| [on_ci.lo, on_ci.hi]),
            }
        })
        .collect()
}

/// The cost of delay `m` incurs over its runs, when it prices delay.
fn cost_of_delay(m: &Model, a: &Acc) -> Option<CostOfDelay> {
    let e = m.economics.as_ref()?;
    e.cost_of_delay.as_ref()?;
    let ci = a.cost_of_delay.ci95();
    Some(CostOfDelay {
        mean: ci.mean,
        mean_ci95: [ci.lo, ci.hi],
        basis: if m.is_backlog() {
            "for the backlog"
        } else {
            "per year"
        },
        currency: e.currency.clone(),
    })
}

/// The two levels of a split stream, when `m` splits.
fn split_result(m: &Model, a: &Acc) -> Option<SplitResult> {
    let k = m.split_stage()?;
    let sp = m.stages[k].split.as_ref()?;
    let parents: Vec<&str> = m
        .types
        .iter()
        .zip(&sp.types)
        .filter(|(_, s)| **s)
        .map(|(t, _)| t.name.as_str())
        .collect();
    let parent_name = parents.join(" and ");
    let child_name = match sp.child_type {
        Some(c) => m.types[c].name.clone(),
        None => format!("part of {parent_name}"),
    };
    let level = |name: String, x: &LevelSummary, means: &Running| {
        let n = x.delivered as f64;
        let ci = means.ci95();
        LevelResult {
            name,
            lead_time: LevelLead {
                mean: x.lead_sum / n,
                mean_ci95: [ci.lo, ci.hi],
                max: x.lead_max,
            },
            flow_efficiency: if x.lead_sum > 0.0 {
                x.active_sum / x.lead_sum
            } else {
                1.0
            },
            throughput: n / a.window_sum,
            wip: x.area / a.window_sum,
            delivered: n / a.runs as f64,
        }
    };
    Some(SplitResult {
        stage: m.stages[k].name.clone(),
        children_per_parent: a.children_made as f64 / a.parents_made as f64,
        parents: level(parent_name, &a.parents, &a.parent_means),
        children: level(child_name, &a.children, &a.child_means),
    })
}

fn summarise(v: &Variant, a: &Acc) -> VariantResult {
    let m = &v.model;
    let n = a.delivered as f64;
    let ci = a.lead_means.ci95();
    let window = a.window_sum;
    let stages = stage_results(m, a);
    let bottleneck = stages
        .iter()
        .enumerate()
        .max_by(|(i, x), (j, y)| x.wait_per_item.total_cmp(&y.wait_per_item).then(j.cmp(i)))
        .map(|(_, s)| s.name.clone())
        .unwrap_or_default();
    let types = type_results(m, a);
    let pools = pool_results(m, a, &stages);
    // Busiest people: a stage with its own workers, or a whole shared pool.
    let most_utilized = stages
        .iter()
        .enumerate()
        .filter(|(i, _)| !matches!(m.stages[*i].capacity, Capacity::Pool(_)))
        .filter_map(|(i, s)| s.utilization.map(|u| (i, u, s.name.clone())))
        .chain(pools.iter().enumerate().map(|(p, x)| {
            (
                m.stages.len() + p,
                x.utilization,
                format!("{} pool", x.name),
            )
        }))
        .max_by(|(i, x, _), (j, y, _)| x.total_cmp(y).then(j.cmp(i)))
        .map(|(_, _, name)| name);
    VariantResult {
        name: v.name.clone(),
        lead_time: LeadTime {
            mean: a.lead_sum / n,
            mean_ci95: [ci.lo, ci.hi],
            p50: a.hist.quantile(0.50),
            p85: a.hist.quantile(0.85),
            p95: a.hist.quantile(0.95),
            max: a.lead_max,
        },
        cycle_time: (a.cycle_n > 0).then(|| a.cycle_sum / a.cycle_n as f64),
        entry_wait: a.entry_wait_sum / n,
        flow_efficiency: if a.lead_sum > 0.0 {
            a.active_sum / a.lead_sum
        } else {
            1.0
        },
        flow_efficiency_mean: a.efficiency_sum / n,
        throughput: n / window,
        wip: a.wip_area_sum / window,
        delivered: n / a.runs as f64,
        duration: a.end_time_sum / a.runs as f64,
        done_by: when_from_counts(&a.done_dates).ok().flatten(),
        done_by_beyond_9999: when_from_counts(&a.done_dates).err().unwrap_or_default(),
        stages,
        pools,
        bottleneck,
        most_utilized,
        types,
        classes: class_results(m, a),
        cost_of_delay: cost_of_delay(m, a),
        split: split_result(m, a),
        cost: v.cost,
        cost_per_year: v.cost_per_year,
        overloaded: overloaded(m),
        delta: None,
        economics: None,
    }
}

/// Re-runs the baseline's median run (by mean lead time, among the first
/// [`REPRESENTATIVE_POOL`] runs whose `lead_means` are given) with a flow trace,
/// for the cumulative flow diagram of one representative run. Returns the run
/// index too.
pub fn representative_trace(
    model: &Model,
    lead_means: &[f64],
    seed: u64,
) -> Result<(u64, Vec<(f64, u16)>), Error> {
    let mut order: Vec<usize> = (0..lead_means.len()).collect();
    order.sort_by(|&a, &b| lead_means[a].total_cmp(&lead_means[b]).then(a.cmp(&b)));
    let run = order.get(order.len() / 2).copied().unwrap_or(0) as u64;
    let mut engine = Engine::new(model);
    let mut hist = LogHistogram::new();
    let (_, trace) = engine
        .run_traced(run_key(seed, run), &mut hist)
        .map_err(|e| Error::Simulation(format!("run {} (seed {seed}): {e}", run + 1)))?;
    Ok((run, trace))
}

/// Runs run 0 of `model` with `seed` — the same random draws as the first run
/// of [`simulate`] — and hands its event log to `sink` in time order (see
/// [`Engine::run_recorded`]). Returns the run's summary.
pub fn event_log(
    model: &Model,
    seed: u64,
    sink: &mut dyn FnMut(&[crate::sim::engine::Record]),
) -> Result<RunSummary, Error> {
    event_log_of_run(model, seed, 0, sink)
}

/// Like [`event_log`] for run `run` (from 0) of `simulate`'s runs with `seed`.
pub fn event_log_of_run(
    model: &Model,
    seed: u64,
    run: u64,
    sink: &mut dyn FnMut(&[crate::sim::engine::Record]),
) -> Result<RunSummary, Error> {
    let mut engine = Engine::new(model);
    let mut hist = LogHistogram::new();
    engine
        .run_recorded(run_key(seed, run), &mut hist, sink)
        .map_err(|e| Error::Simulation(format!("run {} (seed {seed}): {e}", run + 1)))
}

/// The day number of a run that never finishes, or finishes after the last
/// date that can be shown.
pub const BEYOND: u32 = u32::MAX;

/// What a forecast keeps of its runs, for one model: histograms whose size does
/// not grow with the number of runs (day resolution is exact for dates).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Runs by the day (0 = day 1) they delivered their last item ([`BEYOND`]:
    /// never, or after 9999-12-31).
    pub end_days: BTreeMap<u32, u64>,
    /// Runs by the number of items they delivered before the deadline.
    pub delivered_by: BTreeMap<u64, u64>,
    /// Per milestone: runs by the day they reached it (runs that never did are
    /// not counted).
    pub reached: Vec<BTreeMap<u32, u64>>,
    /// The completion day against the first model's, run by run (in days).
    pub change: PairedRunning,
}

impl Tally {
    /// Heap bytes held, for the test that memory is flat in runs: a few words
    /// per distinct day or count, none per run.
    pub fn retained_bytes(&self) -> usize {
        let entry = size_of::<(u64, u64)>();
        (self.end_days.len() + self.delivered_by.len()) * entry
            + self.reached.iter().map(|m| m.len() * entry).sum::<usize>()
            + self.reached.capacity() * size_of::<BTreeMap<u32, u64>>()
    }
}

/// One run of one model, in day numbers.
struct Completion {
    end: u32,
    delivered_by: u64,
    reached: Vec<u32>,
}

/// The day number (0 = `day1`) of elapsed time `t` on `clock`, [`BEYOND`] when
/// it is never or after the last date that can be shown.
fn day_number(clock: &Clock, day1: Date, t: f64) -> u32 {
    date_in_range(clock, t)
        .and_then(|d| {
            let days = day1.duration_until(d).as_hours().div_euclid(24);
            u32::try_from(days.max(0)).ok()
        })
        .map_or(BEYOND, |d| d.min(BEYOND - 1))
}

/// Runs every backlog model (the baseline first, each with a start date)
/// `runs` times on common random numbers and tallies, per model, on which day
/// (0 = `day1`) the last item was delivered, how many were delivered before
/// `deadline`, and on which day the delivered count reached each of
/// `milestones` (increasing counts). Runs are simulated in fixed chunks and
/// folded in run order, so the result does not depend on the thread count,
/// and nothing is kept per run.
#[allow(clippy::too_many_arguments)]
pub fn completions(
    models: &[&Model],
    day1: Date,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
    deadline: f64,
    milestones: &[u64],
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Tally>, Error> {
    let pool = thread_pool(threads)?;
    let clocks: Vec<Clock> = models
        .iter()
        .map(|m| m.clock().expect("a forecast's model has a start date"))
        .collect();
    let mut tallies: Vec<Tally> = models
        .iter()
        .map(|_| Tally {
            reached: vec![BTreeMap::new(); milestones.len()],
            change: PairedRunning::new(true),
            ..Tally::default()
        })
        .collect();
    let one = |state: &mut (Vec<Engine>, LogHistogram), r: u64| -> Result<Vec<Completion>, Error> {
        let (engines, hist) = state;
        let mut out = Vec::with_capacity(engines.len());
        for (engine, clock) in engines.iter_mut().zip(&clocks) {
            hist.clear();
            let s = engine
                .run(run_key(seed, r), hist)
                .map_err(|e| Error::Simulation(format!("run {} (seed {seed}): {e}", r + 1)))?;
            out.push(Completion {
                end: day_number(clock, day1, s.end_time),
                delivered_by: s.delivered_by,
                reached: engine
                    .milestones_reached()
                    .iter()
                    .map(|t| day_number(clock, day1, *t))
                    .collect(),
            });
        }
        progress();
        Ok(out)
    };
    pool.install(|| -> Result<(), Error> {
        let mut start = 0;
        while start < runs {
            let end = (start + FORECAST_CHUNK).min(runs);
            // An indexed parallel iterator collects in run order.
            let chunk: Vec<Result<Vec<Completion>, Error>> = (start..end)
                .into_par_iter()
                .map_init(
                    || {
                        let engines = models
                            .iter()
                            .map(|m| {
                                let mut e = Engine::new(m);
                                e.set_deadline(deadline);
                                e.set_milestones(milestones);
                                e
                            })
                            .collect();
                        (engines, LogHistogram::new())
                    },
                    |state, r| one(state, r),
                )
                .collect();
            for run in chunk {
                tally(&mut tallies, &run?);
            }
            start = end;
        }
        Ok(())
    })?;
    Ok(tallies)
}

/// Counts one run's completion of every model into its tally, and its end
/// against the baseline's.
fn tally(tallies: &mut [Tally], run: &[Completion]) {
    let base_end = f64::from(run[0].end);
    for (t, c) in tallies.iter_mut().zip(run) {
        *t.end_days.entry(c.end).or_insert(0) += 1;
        *t.delivered_by.entry(c.delivered_by).or_insert(0) += 1;
        for (m, d) in t.reached.iter_mut().zip(&c.reached) {
            *m.entry(*d).or_insert(0) += 1;
        }
        t.change.add(f64::from(c.end), base_end);
    }
}
