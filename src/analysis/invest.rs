//! `flowcast invest`: which combination of interventions to fund.
//!
//! Every combination runs on the same random draws as the baseline (common
//! random numbers), so run by run its lead time saved, its cost of delay
//! avoided and the differences between combinations are paired. Runs come in
//! waves (50, 100, 200, 400 …); at each wave boundary a combination is dropped
//! when the current leader beats it in a one-sided paired t test at level
//! α ÷ (decisions × (survivors − 1)) — Bonferroni over the candidates and the
//! waves, so the chance of ever dropping the truly best combination is at most
//! α (5%). Decisions are taken at wave boundaries only, on runs collected in
//! run order, so the result does not depend on the thread count.
//!
//! The pure parts ([`waves`], [`drop_dominated`], [`pareto`], [`subsets`])
//! are unit-tested here; [`evaluate`] runs simulations through
//! [`crate::sim::montecarlo::per_run_figures`].

use serde::Serialize;

use crate::error::Error;
use crate::model::Variant;
use crate::sim::montecarlo::{RunFigures, per_run_figures};
use crate::sim::results::overloaded;
use crate::stats::{mean_ci95, t_critical_upper};

#[cfg(test)]
mod tests;

/// The family-wise error rate of racing: the chance of ever dropping the best.
pub const ALPHA: f64 = 0.05;

/// Most candidates whose subsets are all evaluated without `--max-size`.
pub const ALL_SUBSETS_UP_TO: usize = 8;

/// Most combinations one evaluation enumerates.
pub const MOST_COMBINATIONS: usize = 4096;

/// One fundable change: an intervention of the file, or one more person.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Its name.
    pub name: String,
    /// One-off cost (0 when none is given).
    pub cost: f64,
    /// Yearly cost (0 when none is given).
    pub cost_per_year: f64,
    /// "One more person at …".
    pub hire: bool,
    /// Whether it joins combinations (hires do with `--hire` only).
    pub combine: bool,
}

/// What to evaluate, and how.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The candidates, in file order (hires last).
    pub candidates: Vec<Candidate>,
    /// Pairs that touch the same setting, with the reason.
    pub conflicts: Vec<(usize, usize, String)>,
    /// Most one-off cost a combination may have.
    pub budget: Option<f64>,
    /// Most members of a combination.
    pub max_size: Option<usize>,
    /// Runs the survivors get.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Worker threads (`None`: all cores).
    pub threads: Option<usize>,
}

/// A mean with its 95% CI.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Est {
    /// Mean over runs.
    pub mean: f64,
    /// Its 95% CI.
    pub ci95: [f64; 2],
}

impl Est {
    /// The mean of `xs` with its t interval.
    pub fn of(xs: &[f64]) -> Est {
        let c = mean_ci95(xs);
        Est {
            mean: c.mean,
            ci95: [c.lo, c.hi],
        }
    }
}

/// One evaluated combination.
#[derive(Debug, Clone, Serialize)]
pub struct Combination {
    /// Member names, in file order (empty: fund nothing).
    pub members: Vec<String>,
    /// Member indexes into the plan's candidates.
    #[serde(skip)]
    pub indexes: Vec<usize>,
    /// One-off cost.
    pub cost: f64,
    /// Yearly cost.
    pub cost_per_year: f64,
    /// Mean lead time saved per item, in the scenario's time unit.
    pub lead_time_saved: Est,
    /// Cost of delay avoided, per year or for the backlog (priced scenarios).
    pub cost_of_delay_avoided: Option<Est>,
    /// Cost of delay avoided minus yearly costs (priced open streams).
    pub net_value_per_year: Option<Est>,
    /// Runs it got (fewer than the plan's when racing dropped it).
    pub runs: u64,
    /// Whether racing dropped it as clearly worse than the leader.
    pub dropped: bool,
    /// Whether its paired difference from the best is within noise (95% CI includes 0).
    pub as_good_as_best: bool,
    /// On the front of first-year cost against lead time saved.
    pub pareto: bool,
    /// On the front of first-year cost against cost of delay avoided (priced only).
    pub pareto_cost_of_delay: Option<bool>,
}

impl Combination {
    /// What it is ranked by: net value per year, else value, else lead time saved.
    pub fn score(&self) -> Est {
        self.net_value_per_year
            .or(self.cost_of_delay_avoided)
            .unwrap_or(self.lead_time_saved)
    }

    /// One-off cost plus one year of yearly costs: the Pareto charts' axis.
    pub fn first_year_cost(&self) -> f64 {
        self.cost + self.cost_per_year
    }
}

/// Together against apart: the interaction of two members.
#[derive(Debug, Clone, Serialize)]
pub struct Interaction {
    /// The two members, in file order.
    pub members: [String; 2],
    /// Lead time the two save together.
    pub together: Est,
    /// What the two save alone, added up (means).
    pub alone_sum: f64,
    /// Together − A alone − B alone, run by run (positive: more than the sum).
    pub interaction: Est,
    /// The same for the cost of delay avoided (priced scenarios).
    pub cost_of_delay_interaction: Option<Est>,
    /// Runs it is computed on.
    pub runs: u64,
}

/// One more person somewhere.
#[derive(Debug, Clone, Serialize)]
pub struct Hire {
    /// "one more person at analyse".
    pub name: String,
    /// The salary a year.
    pub salary: f64,
    /// Lead time saved per item.
    pub lead_time_saved: Est,
    /// Cost of delay avoided minus the salary (priced open streams).
    pub net_value_per_year: Option<Est>,
    /// Cost of delay avoided per unit of salary (priced open streams).
    pub value_per_cost: Option<f64>,
    /// Runs.
    pub runs: u64,
}

/// What `flowcast invest` found.
#[derive(Debug, Clone, Serialize)]
pub struct Invest {
    /// Every evaluated combination, best first (survivors, then dropped ones).
    pub combinations: Vec<Combination>,
    /// Pairs in the top combinations.
    pub interactions: Vec<Interaction>,
    /// Where to add a person, best value per unit of cost first.
    pub hires: Vec<Hire>,
    /// Pairs left out, and why.
    pub refused: Vec<String>,
    /// Combinations left out for their one-off cost.
    pub over_budget: usize,
    /// Combinations left out because their stream cannot settle.
    pub unsettled: Vec<String>,
    /// How the combinations were chosen.
    pub search: String,
    /// How racing decided, with its error rate.
    pub racing: String,
    /// What the ranking is by.
    pub ranked_by: &'static str,
    /// Runs simulated in all (variant × run).
    pub simulated_runs: u64,
}

/// The cumulative run counts at which racing decides: 50, 100, 200 … then `n`.
pub fn waves(n: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut b = 50;
    while b < n {
        out.push(b);
        b *= 2;
    }
    out.push(n);
    out
}

/// Which of `scores` (per candidate, per run, the same runs; higher is
/// better) the leader (highest mean, first on ties) beats in a one-sided
/// paired t test at level `alpha_wave ÷ (candidates − 1)`.
pub fn drop_dominated(scores: &[Vec<f64>], alpha_wave: f64) -> Vec<bool> {
    let m = scores.len();
    let mut out = vec![false; m];
    if m < 2 {
        return out;
    }
    let means: Vec<f64> = scores.iter().map(|s| mean_ci95(s).mean).collect();
    let leader = (0..m)
        .max_by(|&a, &b| means[a].total_cmp(&means[b]).then(b.cmp(&a)))
        .expect("at least two candidates");
    let per_test = alpha_wave / (m - 1) as f64;
    for c in (0..m).filter(|&c| c != leader) {
        let d: Vec<f64> = scores[leader]
            .iter()
            .zip(&scores[c])
            .map(|(l, x)| l - x)
            .collect();
        let n = d.len();
        if n < 2 {
            continue;
        }
        let mean = d.iter().sum::<f64>() / n as f64;
        let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let se = (var / n as f64).sqrt();
        out[c] = if se <= 1e-12 * mean.abs().max(1e-300) {
            mean > 0.0
        } else {
            mean / se > t_critical_upper(per_test, n as u64 - 1)
        };
    }
    out
}

/// Which points (cost, gain) no other point dominates (cost ≤, gain ≥, one strictly).
pub fn pareto(points: &[(f64, f64)]) -> Vec<bool> {
    points
        .iter()
        .map(|&(c, g)| {
            !points
                .iter()
                .any(|&(c2, g2)| c2 <= c && g2 >= g && (c2 < c || g2 > g))
        })
        .collect()
}

/// Every subset of `pool` (indexes, increasing) of 1 to `k` members with no
/// pair in `conflicts`; subsets over `budget` (by `cost`) are counted, not kept.
pub fn subsets(
    pool: &[usize],
    k: usize,
    conflicts: &[(usize, usize, String)],
    cost: &dyn Fn(&[usize]) -> f64,
    budget: Option<f64>,
) -> (Vec<Vec<usize>>, usize) {
    let clash = |a: usize, b: usize| {
        conflicts
            .iter()
            .any(|(x, y, _)| (*x == a && *y == b) || (*x == b && *y == a))
    };
    let mut out = Vec::new();
    let mut over = 0;
    let n = pool.len().min(30);
    for mask in 1u64..(1u64 << n) {
        if mask.count_ones() as usize > k {
            continue;
        }
        let s: Vec<usize> = (0..n)
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| pool[i])
            .collect();
        if s.iter()
            .enumerate()
            .any(|(i, &a)| s[i + 1..].iter().any(|&b| clash(a, b)))
        {
            continue;
        }
        if budget.is_some_and(|b| cost(&s) > b) {
            over += 1;
            continue;
        }
        out.push(s);
    }
    (out, over)
}

mod lab;

pub use lab::{Build, evaluate};
