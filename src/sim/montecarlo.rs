//! Runs × variants spread over cores, merged in run order.
//!
//! Run `r` of every variant uses the same random streams (common random numbers),
//! so per-run differences between a variant and the baseline come from the
//! policy, not from luck. Runs are processed in fixed-size chunks: each chunk is
//! simulated in parallel, then its per-run summaries are folded into the totals
//! sequentially in run order. Floating-point sums therefore never depend on how
//! rayon split the work, and the output is byte-identical for any thread count.
//! Lead-time histograms hold integer counts, so merging them in any order is exact.

use rayon::prelude::*;

use crate::error::Error;
use crate::model::keys::run_key;
use crate::model::{Capacity, Model, Variant};
use crate::sim::engine::{Engine, RunSummary, SimError, StageSummary, TypeSummary};
use crate::sim::results::{
    Delta, EconomicValue, LeadTime, Outcome, RunScalars, StageResult, TypeResult, ValueBasis,
    VariantResult, When, overloaded, when,
};
use crate::stats::{LogHistogram, mean_ci95, paired_delta};

/// Runs per chunk; fixed so that results never depend on the thread count.
const CHUNK: u64 = 64;

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
    per_run: Vec<RunScalars>,
    hist: LogHistogram,
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
            per_run: Vec::new(),
            hist: LogHistogram::new(),
        }
    }

    fn add(&mut self, r: &RunSummary) {
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
            a.busy_area += b.busy_area;
            a.queue_area += b.queue_area;
        }
        for (a, b) in self.types.iter_mut().zip(&r.types) {
            a.delivered += b.delivered;
            a.lead_sum += b.lead_sum;
            a.active_sum += b.active_sum;
        }
        let n = r.delivered as f64;
        self.per_run.push(RunScalars {
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
        });
    }
}

struct Part<'m> {
    rows: Vec<(u64, Result<Vec<RunSummary>, SimError>)>,
    hists: Vec<LogHistogram>,
    engines: Vec<Engine<'m>>,
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
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = settings.threads {
        builder = builder.num_threads(t);
    }
    let pool = builder
        .build()
        .map_err(|e| Error::Simulation(format!("cannot start worker threads: {e}")))?;
    let mut accs: Vec<Acc> = variants.iter().map(|v| Acc::new(&v.model)).collect();

    pool.install(|| -> Result<(), Error> {
        let mut start = 0;
        while start < settings.runs {
            let end = (start + CHUNK).min(settings.runs);
            let part = (start as usize..end as usize)
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
                        let key = run_key(settings.seed, r);
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
                .map(|p| (p.rows, p.hists))
                .reduce(
                    || {
                        (
                            Vec::new(),
                            variants.iter().map(|_| LogHistogram::new()).collect(),
                        )
                    },
                    |(mut ra, mut ha), (rb, hb)| {
                        ra.extend(rb);
                        for (a, b) in ha.iter_mut().zip(&hb) {
                            a.merge(b);
                        }
                        (ra, ha)
                    },
                );
            let (mut rows, hists) = part;
            rows.sort_by_key(|(r, _)| *r);
            for (r, res) in rows {
                let sums = res.map_err(|e| {
                    Error::Simulation(format!("run {} (seed {}): {e}", r + 1, settings.seed))
                })?;
                for (acc, s) in accs.iter_mut().zip(&sums) {
                    acc.add(s);
                }
            }
            for (acc, h) in accs.iter_mut().zip(&hists) {
                acc.hist.merge(h);
            }
            start = end;
        }
        Ok(())
    })?;

    let results: Vec<VariantResult> = variants
        .iter()
        .zip(&accs)
        .map(|(v, a)| summarise(v, a))
        .collect();
    let mut results = results;
    let base = accs[0].per_run.clone();
    let base_model = &variants[0].model;
    let base_throughput = results[0].throughput;
    let results_base_settles = results[0].overloaded.is_empty();
    for ((res, acc), v) in results.iter_mut().zip(&accs).zip(variants).skip(1) {
        let d = delta(&acc.per_run, &base);
        let cod = base_model.economics.as_ref().and_then(|e| e.cost_of_delay);
        // The value of a lead-time change of a stream that cannot settle means nothing.
        let settles = res.overloaded.is_empty() && results_base_settles;
        if settles && (cod.is_some() || v.cost.is_some() || v.cost_per_year.is_some()) {
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
                cost_of_delay: cod,
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
    Ok(Outcome {
        events: accs.iter().map(|a| a.events).sum(),
        histograms: accs.iter().map(|a| a.hist.clone()).collect(),
        per_run: accs.into_iter().map(|a| a.per_run).collect(),
        variants: results,
    })
}

fn delta(v: &[RunScalars], b: &[RunScalars]) -> Delta {
    let col = |xs: &[RunScalars], f: fn(&RunScalars) -> f64| xs.iter().map(f).collect::<Vec<f64>>();
    let lead = paired_delta(&col(v, |r| r.lead_mean), &col(b, |r| r.lead_mean), true);
    let p85 = paired_delta(&col(v, |r| r.lead_p85), &col(b, |r| r.lead_p85), true);
    let eff = paired_delta(&col(v, |r| r.efficiency), &col(b, |r| r.efficiency), false);
    let tp = paired_delta(&col(v, |r| r.throughput), &col(b, |r| r.throughput), false);
    let wip = paired_delta(&col(v, |r| r.wip), &col(b, |r| r.wip), true);
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
    }
}

/// For a backlog with a start date: the dates by which the whole backlog is
/// delivered in 50/70/85/95% of runs (the `when` of `flowcast forecast`).
fn done_by(m: &Model, per_run: &[RunScalars]) -> Option<When> {
    if !m.is_backlog() || m.start.is_none() {
        return None;
    }
    let clock = m.clock()?;
    let dates: Vec<jiff::civil::Date> = per_run.iter().map(|r| clock.date(r.end_time)).collect();
    when(&dates)
}

fn summarise(v: &Variant, a: &Acc) -> VariantResult {
    let m = &v.model;
    let n = a.delivered as f64;
    let means: Vec<f64> = a.per_run.iter().map(|r| r.lead_mean).collect();
    let ci = mean_ci95(&means);
    let window = a.window_sum;
    let stages: Vec<StageResult> = m
        .stages
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
                    _ => None,
                },
                wait: per_visit(x.wait),
                queue: x.queue_area / window,
                work: per_visit(x.work),
                visits: visits / n,
                outbox_wait: per_visit(x.outbox),
                wait_per_item: (x.wait + x.outbox + x.off_hours) / n,
                active_per_item: x.work / n,
            }
        })
        .collect();
    let bottleneck = stages
        .iter()
        .enumerate()
        .max_by(|(i, x), (j, y)| x.wait_per_item.total_cmp(&y.wait_per_item).then(j.cmp(i)))
        .map(|(_, s)| s.name.clone())
        .unwrap_or_default();
    let most_utilized = stages
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.utilization.map(|u| (i, u, &s.name)))
        .max_by(|(i, x, _), (j, y, _)| x.total_cmp(y).then(j.cmp(i)))
        .map(|(_, _, name)| name.clone());
    let types = m
        .types
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
        .collect();
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
        done_by: done_by(m, &a.per_run),
        stages,
        bottleneck,
        most_utilized,
        types,
        cost: v.cost,
        cost_per_year: v.cost_per_year,
        overloaded: overloaded(m),
        delta: None,
        economics: None,
    }
}

/// Re-runs the baseline's median run (by mean lead time) with a flow trace, for the
/// cumulative flow diagram of one representative run. Returns the run index too.
pub fn representative_trace(
    model: &Model,
    per_run: &[RunScalars],
    seed: u64,
) -> Result<(u64, Vec<(f64, u16)>), Error> {
    let mut order: Vec<usize> = (0..per_run.len()).collect();
    order.sort_by(|&a, &b| {
        per_run[a]
            .lead_mean
            .total_cmp(&per_run[b].lead_mean)
            .then(a.cmp(&b))
    });
    let run = order.get(order.len() / 2).copied().unwrap_or(0) as u64;
    let mut engine = Engine::new(model);
    let mut hist = LogHistogram::new();
    let (_, trace) = engine
        .run_traced(run_key(seed, run), &mut hist)
        .map_err(|e| Error::Simulation(format!("run {} (seed {seed}): {e}", run + 1)))?;
    Ok((run, trace))
}

/// One forecast run: what "when", "how many by" and the burn-up need.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// When the last item was delivered.
    pub end: f64,
    /// Items delivered before the deadline.
    pub delivered_by: u64,
    /// When the run's delivered count reached each milestone asked for.
    pub reached: Vec<f64>,
}

/// Runs a backlog model `runs` times and returns, per run in run order, when the
/// last item was delivered, how many were delivered before `deadline`, and when
/// the delivered count reached each of `milestones` (increasing counts; a few
/// dozen at most, so a run's summary stays a few hundred bytes).
pub fn completions(
    model: &Model,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
    deadline: f64,
    milestones: &[u64],
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Completion>, Error> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        builder = builder.num_threads(t);
    }
    let pool = builder
        .build()
        .map_err(|e| Error::Simulation(format!("cannot start worker threads: {e}")))?;
    pool.install(|| {
        (0..runs as usize)
            .into_par_iter()
            .map_init(
                || {
                    let mut engine = Engine::new(model);
                    engine.set_deadline(deadline);
                    engine.set_milestones(milestones);
                    (engine, LogHistogram::new())
                },
                |(engine, hist), r| {
                    hist.clear();
                    let out = engine
                        .run(run_key(seed, r as u64), hist)
                        .map(|s| Completion {
                            end: s.end_time,
                            delivered_by: s.delivered_by,
                            reached: engine.milestones_reached().to_vec(),
                        })
                        .map_err(|e| {
                            Error::Simulation(format!("run {} (seed {seed}): {e}", r + 1))
                        });
                    progress();
                    out
                },
            )
            .collect()
    })
}
