//! The evaluations behind [`super::Invest`]: a cache of per-run figures per
//! combination, grown wave by wave, racing, the search, interactions and hires.

use std::collections::BTreeMap;

use super::*;

/// Builds the variant of a combination (member indexes, increasing).
pub type Build<'a> = dyn Fn(&[usize]) -> Result<Variant, Error> + 'a;

/// A combination's state: simulated so far, or left out.
enum Slot {
    Ready {
        variant: Box<Variant>,
        figs: Vec<RunFigures>,
    },
    Unsettled(String),
}

struct Lab<'a> {
    plan: &'a Plan,
    base: &'a Variant,
    base_figs: Vec<RunFigures>,
    build: &'a Build<'a>,
    progress: &'a (dyn Fn(u64) + Sync),
    cache: BTreeMap<Vec<usize>, Slot>,
    simulated: u64,
    priced: bool,
    backlog: bool,
}

impl Lab<'_> {
    fn cost(&self, key: &[usize]) -> (f64, f64) {
        key.iter().fold((0.0, 0.0), |(a, b), &i| {
            let c = &self.plan.candidates[i];
            (a + c.cost, b + c.cost_per_year)
        })
    }

    /// Builds what is not built yet; false when the combination cannot settle.
    fn admit(&mut self, key: &[usize]) -> Result<bool, Error> {
        if key.is_empty() {
            return Ok(true);
        }
        if !self.cache.contains_key(key) {
            let variant = (self.build)(key)?;
            let slot = if overloaded(&variant.model).is_empty() {
                Slot::Ready {
                    variant: Box::new(variant),
                    figs: Vec::new(),
                }
            } else {
                Slot::Unsettled(variant.name)
            };
            self.cache.insert(key.to_vec(), slot);
        }
        Ok(matches!(self.cache.get(key), Some(Slot::Ready { .. })))
    }

    fn figs(&self, key: &[usize]) -> &[RunFigures] {
        if key.is_empty() {
            return &self.base_figs;
        }
        match self.cache.get(key) {
            Some(Slot::Ready { figs, .. }) => figs,
            _ => &[],
        }
    }

    /// Simulates runs up to `n` for the baseline and every key that has fewer.
    fn ensure(&mut self, keys: &[Vec<usize>], n: u64) -> Result<(), Error> {
        let (seed, threads) = (self.plan.seed, self.plan.threads);
        if (self.base_figs.len() as u64) < n {
            let start = self.base_figs.len() as u64;
            let p = self.progress;
            let f = per_run_figures(&[self.base], seed, start..n, threads, &|| p(1))?;
            self.simulated += n - start;
            self.base_figs.extend(f.into_iter().flatten());
        }
        // Group by how far each has got, so each group is one parallel pass.
        let mut groups: BTreeMap<u64, Vec<Vec<usize>>> = BTreeMap::new();
        for k in keys.iter().filter(|k| !k.is_empty()) {
            let have = self.figs(k).len() as u64;
            let group = groups.entry(have).or_default();
            // A key asked for twice is simulated once.
            if have < n
                && matches!(self.cache.get(k), Some(Slot::Ready { .. }))
                && !group.contains(k)
            {
                group.push(k.clone());
            }
        }
        for (start, ks) in groups {
            let variants: Vec<&Variant> = ks
                .iter()
                .map(|k| match self.cache.get(k) {
                    Some(Slot::Ready { variant, .. }) => variant.as_ref(),
                    _ => unreachable!("only ready combinations are grouped"),
                })
                .collect();
            let width = variants.len() as u64;
            let p = self.progress;
            let out = per_run_figures(&variants, seed, start..n, threads, &|| p(width))?;
            self.simulated += width * (n - start);
            for (k, f) in ks.iter().zip(out) {
                if let Some(Slot::Ready { figs, .. }) = self.cache.get_mut(k) {
                    figs.extend(f);
                }
            }
        }
        Ok(())
    }

    /// Per run, what `key` is ranked by (higher is better), over its runs.
    fn scores(&self, key: &[usize]) -> Vec<f64> {
        let yearly = self.cost(key).1;
        self.figs(key)
            .iter()
            .zip(&self.base_figs)
            .map(|(f, b)| {
                if self.priced {
                    b.cost_of_delay - f.cost_of_delay - if self.backlog { 0.0 } else { yearly }
                } else {
                    b.lead_mean - f.lead_mean
                }
            })
            .collect()
    }

    /// Races `keys` to the plan's runs; returns the survivors.
    fn race(&mut self, keys: &[Vec<usize>]) -> Result<Vec<Vec<usize>>, Error> {
        let mut alive = Vec::new();
        for k in keys {
            if self.admit(k)? {
                alive.push(k.clone());
            }
        }
        let waves = waves(self.plan.runs);
        let decisions = (waves.len() - 1).max(1) as f64;
        for (w, &b) in waves.iter().enumerate() {
            self.ensure(&alive, b)?;
            if w + 1 == waves.len() {
                break;
            }
            let scores: Vec<Vec<f64>> = alive
                .iter()
                .map(|k| self.scores(k)[..b as usize].to_vec())
                .collect();
            let drop = drop_dominated(&scores, ALPHA / decisions);
            alive = alive
                .into_iter()
                .zip(drop)
                .filter(|(_, d)| !d)
                .map(|(k, _)| k)
                .collect();
        }
        Ok(alive)
    }

    fn combination(&self, key: &[usize], best: Option<(&[f64], &[Vec<usize>])>) -> Combination {
        let (cost, cost_per_year) = self.cost(key);
        let figs = self.figs(key);
        let base = &self.base_figs[..figs.len()];
        let saved: Vec<f64> = figs
            .iter()
            .zip(base)
            .map(|(f, b)| b.lead_mean - f.lead_mean)
            .collect();
        let avoided: Vec<f64> = figs
            .iter()
            .zip(base)
            .map(|(f, b)| b.cost_of_delay - f.cost_of_delay)
            .collect();
        let value = self.priced.then(|| Est::of(&avoided));
        let net = value.filter(|_| !self.backlog).map(|v| Est {
            mean: v.mean - cost_per_year,
            ci95: [v.ci95[0] - cost_per_year, v.ci95[1] - cost_per_year],
        });
        let runs = figs.len() as u64;
        let full = best.is_none_or(|(_, survivors)| survivors.iter().any(|s| s == key));
        let as_good = full
            && best.is_some_and(|(b, _)| {
                let s = self.scores(key);
                let d: Vec<f64> = b.iter().zip(&s).map(|(x, y)| x - y).collect();
                let e = Est::of(&d);
                d.iter().all(|x| *x == 0.0) || e.ci95[0] <= 0.0
            });
        Combination {
            members: key
                .iter()
                .map(|&i| self.plan.candidates[i].name.clone())
                .collect(),
            indexes: key.to_vec(),
            cost,
            cost_per_year,
            lead_time_saved: Est::of(&saved),
            cost_of_delay_avoided: value,
            net_value_per_year: net,
            runs,
            dropped: !full,
            as_good_as_best: as_good,
            pareto: false,
            pareto_cost_of_delay: None,
        }
    }
}

/// Evaluates the plan: every admissible combination (or the greedy search
/// beyond [`ALL_SUBSETS_UP_TO`] candidates), raced; then interactions in the
/// top combinations and the single hires, topped up to the full runs.
/// `progress` gets the number of variant-runs just finished.
pub fn evaluate(
    plan: &Plan,
    base: &Variant,
    build: &Build<'_>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Invest, Error> {
    let priced = base
        .model
        .economics
        .as_ref()
        .is_some_and(|e| e.cost_of_delay.is_some());
    let mut lab = Lab {
        plan,
        base,
        base_figs: Vec::new(),
        build,
        progress,
        cache: BTreeMap::new(),
        simulated: 0,
        priced,
        backlog: base.model.is_backlog(),
    };
    let pool: Vec<usize> = (0..plan.candidates.len())
        .filter(|&i| plan.candidates[i].combine)
        .collect();
    let cost = |k: &[usize]| k.iter().map(|&i| plan.candidates[i].cost).sum::<f64>();
    let exhaustive = plan.max_size.is_some() || pool.len() <= ALL_SUBSETS_UP_TO;
    let (survivors, over_budget, search) = if exhaustive {
        let k = plan.max_size.unwrap_or(pool.len());
        let (mut keys, over) = subsets(&pool, k, &plan.conflicts, &cost, plan.budget);
        if keys.len() > MOST_COMBINATIONS {
            return Err(Error::Usage(format!(
                "{} combinations are too many to evaluate; ask for fewer with --max-size",
                keys.len()
            )));
        }
        let n = keys.len();
        keys.insert(0, Vec::new());
        let s = lab.race(&keys)?;
        let text = format!(
            "every combination of up to {k} of the {} candidates that can be combined and fits the budget: {n}, and funding nothing",
            pool.len()
        );
        (s, over, text)
    } else {
        greedy(&mut lab, &pool, &cost)?
    };
    finish(lab, survivors, over_budget, search)
}

/// Greedy forward selection: from nothing, race the current set against it
/// plus each compatible candidate within budget; keep the winner; stop when
/// nothing added wins.
fn greedy(
    lab: &mut Lab,
    pool: &[usize],
    cost: &dyn Fn(&[usize]) -> f64,
) -> Result<(Vec<Vec<usize>>, usize, String), Error> {
    let plan = lab.plan;
    let mut current: Vec<usize> = Vec::new();
    let mut over = 0;
    let mut steps = 0;
    let mut last = Vec::new();
    loop {
        let mut options = vec![current.clone()];
        for &c in pool.iter().filter(|c| !current.contains(c)) {
            let clash = current.iter().any(|&m| {
                plan.conflicts
                    .iter()
                    .any(|(x, y, _)| (*x == m && *y == c) || (*x == c && *y == m))
            });
            let mut k = current.clone();
            k.push(c);
            k.sort_unstable();
            if clash {
                continue;
            }
            if plan.budget.is_some_and(|b| cost(&k) > b) {
                over += 1;
                continue;
            }
            options.push(k);
        }
        if options.len() == 1 {
            break;
        }
        steps += 1;
        let alive = lab.race(&options)?;
        let winner = alive
            .iter()
            .max_by(|a, b| {
                let (x, y) = (mean(&lab.scores(a)), mean(&lab.scores(b)));
                x.total_cmp(&y)
            })
            .cloned()
            .unwrap_or_default();
        last = alive;
        if winner == current {
            break;
        }
        current = winner;
    }
    let text = format!(
        "greedy forward selection over {} candidates ({steps} steps): starting from nothing, each step \
         raced the current set against it plus each candidate that fits, and kept the best; \
         each step's racing has its own 5% error rate",
        pool.len()
    );
    Ok((last, over, text))
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len().max(1) as f64
}

/// Ranks, marks the best and the fronts, and adds interactions and hires.
fn finish(
    mut lab: Lab,
    survivors: Vec<Vec<usize>>,
    over_budget: usize,
    search: String,
) -> Result<Invest, Error> {
    let plan = lab.plan;
    let best_key = survivors
        .iter()
        .max_by(|a, b| mean(&lab.scores(a)).total_cmp(&mean(&lab.scores(b))))
        .cloned()
        .unwrap_or_default();
    let best_scores = lab.scores(&best_key);
    let mut keys: Vec<Vec<usize>> = vec![Vec::new()];
    keys.extend(
        lab.cache
            .iter()
            .filter(|(_, s)| matches!(s, Slot::Ready { .. }))
            .map(|(k, _)| k.clone()),
    );
    let mut combos: Vec<Combination> = keys
        .iter()
        .map(|k| lab.combination(k, Some((&best_scores, &survivors))))
        .collect();
    combos.sort_by(|a, b| {
        a.dropped
            .cmp(&b.dropped)
            .then(b.score().mean.total_cmp(&a.score().mean))
    });
    mark_fronts(&mut combos, lab.priced);
    let interactions = interactions(&mut lab, &combos)?;
    let hires = hires(&mut lab)?;
    let waves = waves(plan.runs);
    let refused = plan.conflicts.iter().map(|(_, _, r)| r.clone()).collect();
    let unsettled = lab
        .cache
        .values()
        .filter_map(|s| match s {
            Slot::Unsettled(n) => Some(n.clone()),
            Slot::Ready { .. } => None,
        })
        .collect();
    Ok(Invest {
        combinations: combos,
        interactions,
        hires,
        refused,
        over_budget,
        unsettled,
        search,
        racing: format!(
            "runs in waves of {}; after each wave but the last, a combination was dropped when the \
             leader beat it in a one-sided paired t test at 5% ÷ ({} decisions × the other survivors) \
             (Bonferroni), so the chance that the truly best was ever dropped is at most 5%",
            waves
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            (waves.len() - 1).max(1)
        ),
        ranked_by: if !lab.priced {
            "lead time saved"
        } else if lab.backlog {
            "cost of delay avoided for the backlog"
        } else {
            "net value per year"
        },
        simulated_runs: lab.simulated,
    })
}

/// Marks the Pareto fronts of first-year cost against lead time saved (and cost of delay avoided).
fn mark_fronts(combos: &mut [Combination], priced: bool) {
    let pts: Vec<(f64, f64)> = combos
        .iter()
        .map(|c| (c.first_year_cost(), c.lead_time_saved.mean))
        .collect();
    for (c, p) in combos.iter_mut().zip(pareto(&pts)) {
        c.pareto = p;
    }
    if priced {
        let pts: Vec<(f64, f64)> = combos
            .iter()
            .map(|c| {
                let v = c.cost_of_delay_avoided.map_or(0.0, |v| v.mean);
                (c.first_year_cost(), v)
            })
            .collect();
        for (c, p) in combos.iter_mut().zip(pareto(&pts)) {
            c.pareto_cost_of_delay = Some(p);
        }
    }
}

/// Pairs of members of the top combinations (the best three that were not
/// dropped, and any as good as the best), each with A, B and A + B topped up
/// to the full runs; at most 15 pairs.
fn interactions(lab: &mut Lab, combos: &[Combination]) -> Result<Vec<Interaction>, Error> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, c) in combos.iter().filter(|c| !c.dropped).enumerate() {
        if i >= 3 && !c.as_good_as_best {
            continue;
        }
        for (x, &a) in c.indexes.iter().enumerate() {
            for &b in &c.indexes[x + 1..] {
                if !pairs.contains(&(a, b)) && pairs.len() < 15 {
                    pairs.push((a, b));
                }
            }
        }
    }
    let keys: Vec<Vec<usize>> = pairs
        .iter()
        .flat_map(|&(a, b)| [vec![a], vec![b], vec![a, b]])
        .collect();
    let mut ok = Vec::new();
    for k in &keys {
        ok.push(lab.admit(k)?);
    }
    lab.ensure(&keys, lab.plan.runs)?;
    let mut out = Vec::new();
    for (p, &(a, b)) in pairs.iter().enumerate() {
        if !ok[3 * p..3 * p + 3].iter().all(|x| *x) {
            continue;
        }
        let (fa, fb, fab) = (lab.figs(&[a]), lab.figs(&[b]), lab.figs(&[a, b]));
        let base = &lab.base_figs;
        let per = |g: &dyn Fn(&RunFigures) -> f64| -> Vec<f64> {
            (0..fab.len())
                .map(|r| g(&fa[r]) + g(&fb[r]) - g(&fab[r]) - g(&base[r]))
                .collect()
        };
        let together: Vec<f64> = fab
            .iter()
            .zip(base)
            .map(|(f, b)| b.lead_mean - f.lead_mean)
            .collect();
        let alone = |f: &[RunFigures]| {
            mean(
                &f.iter()
                    .zip(base)
                    .map(|(f, b)| b.lead_mean - f.lead_mean)
                    .collect::<Vec<_>>(),
            )
        };
        out.push(Interaction {
            members: [
                lab.plan.candidates[a].name.clone(),
                lab.plan.candidates[b].name.clone(),
            ],
            together: Est::of(&together),
            alone_sum: alone(fa) + alone(fb),
            interaction: Est::of(&per(&|f| f.lead_mean)),
            cost_of_delay_interaction: lab.priced.then(|| Est::of(&per(&|f| f.cost_of_delay))),
            runs: fab.len() as u64,
        });
    }
    Ok(out)
}

/// Every hire candidate alone, at the full runs, by value per unit of cost.
fn hires(lab: &mut Lab) -> Result<Vec<Hire>, Error> {
    let plan = lab.plan;
    let idx: Vec<usize> = (0..plan.candidates.len())
        .filter(|&i| plan.candidates[i].hire)
        .collect();
    let mut keys = Vec::new();
    for &i in &idx {
        if lab.admit(&[i])? {
            keys.push(vec![i]);
        }
    }
    lab.ensure(&keys, plan.runs)?;
    let mut out: Vec<Hire> = keys
        .iter()
        .map(|k| {
            let c = lab.combination(k, None);
            let salary = plan.candidates[k[0]].cost_per_year;
            Hire {
                name: plan.candidates[k[0]].name.clone(),
                salary,
                lead_time_saved: c.lead_time_saved,
                net_value_per_year: c.net_value_per_year,
                value_per_cost: c
                    .cost_of_delay_avoided
                    .filter(|_| salary > 0.0 && !lab.backlog)
                    .map(|v| v.mean / salary),
                runs: c.runs,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |h: &Hire| h.value_per_cost.unwrap_or(h.lead_time_saved.mean);
        key(b).total_cmp(&key(a))
    });
    Ok(out)
}
