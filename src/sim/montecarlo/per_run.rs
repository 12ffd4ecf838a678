//! Per-run figures of several variants over a range of runs, for analyses that
//! decide between waves of runs (racing in `flowcast invest`).
//!
//! Unlike [`super::simulate`], this keeps a few numbers per run and variant
//! (lead time and cost of delay), because racing compares variants with each
//! other run by run, not only with the baseline. Runs are collected in run
//! order, so the result does not depend on the thread count.

use rayon::prelude::*;

use super::{Pricing, thread_pool};
use crate::error::Error;
use crate::model::Variant;
use crate::model::keys::run_key;
use crate::sim::engine::Engine;
use crate::stats::LogHistogram;

/// One run of one variant, as racing needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunFigures {
    /// Mean lead time of the run's counted deliveries.
    pub lead_mean: f64,
    /// Cost of delay the run incurred, per year (open streams) or for the
    /// backlog (0 when nothing is priced).
    pub cost_of_delay: f64,
}

/// Runs `runs` (indexes, with `seed`: the same draws as [`super::simulate`]'s
/// runs) of every variant; returns per variant its figures in run order.
/// `progress` is called once per run (all variants of it).
pub fn per_run_figures(
    variants: &[&Variant],
    seed: u64,
    runs: std::ops::Range<u64>,
    threads: Option<usize>,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Vec<RunFigures>>, Error> {
    let pool = thread_pool(threads)?;
    let pricing: Vec<Option<Pricing>> = variants.iter().map(|v| Pricing::of(&v.model)).collect();
    let rows: Vec<Result<Vec<RunFigures>, Error>> = pool.install(|| {
        runs.clone()
            .into_par_iter()
            .map_init(
                || {
                    let engines: Vec<Engine> =
                        variants.iter().map(|v| Engine::new(&v.model)).collect();
                    (engines, LogHistogram::new())
                },
                |(engines, hist), r| {
                    let mut out = Vec::with_capacity(engines.len());
                    for (e, p) in engines.iter_mut().zip(&pricing) {
                        hist.clear();
                        let s = e.run(run_key(seed, r), hist).map_err(|err| {
                            Error::Simulation(format!("run {} (seed {seed}): {err}", r + 1))
                        })?;
                        out.push(RunFigures {
                            lead_mean: s.lead_sum / s.delivered as f64,
                            cost_of_delay: p.as_ref().map_or(0.0, |p| p.incurred(&s)),
                        });
                    }
                    progress();
                    Ok(out)
                },
            )
            .collect()
    });
    let mut per_variant = vec![Vec::with_capacity(rows.len()); variants.len()];
    for row in rows {
        for (v, f) in per_variant.iter_mut().zip(row?) {
            v.push(f);
        }
    }
    Ok(per_variant)
}
