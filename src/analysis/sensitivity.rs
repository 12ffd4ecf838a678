//! One-at-a-time sensitivity: each numeric parameter of the baseline 20% lower
//! and 20% higher, the rest unchanged, so a leader sees where to look first.

use serde::Serialize;

use crate::model::Variant;
use crate::model::{Arrivals, Capacity, Model};
use crate::sim::results::overloaded;

/// How far each parameter is moved, as a fraction.
pub const STEP: f64 = 0.2;

/// One parameter moved down and up.
#[derive(Debug, Clone)]
pub struct Probe {
    /// What was changed, in the user's words (`review work`, `develop workers`).
    pub parameter: String,
    /// The value as written and the two probed values, for display.
    pub values: [String; 3],
    /// The model with the parameter lowered.
    pub low: Model,
    /// The model with the parameter raised.
    pub high: Model,
}

/// The result for one parameter: mean lead-time change at each end.
///
/// A probe that overloads a stage (its queue would grow without bound) is not
/// simulated: its change only measures how long a run lasts, so it is `None`
/// (JSON `null`) and `low_overloaded` / `high_overloaded` says why.
#[derive(Debug, Clone, Serialize)]
pub struct Effect {
    /// The parameter.
    pub parameter: String,
    /// Baseline, lowered and raised values.
    pub values: [String; 3],
    /// Mean lead time change when lowered (null when the lowered probe overloads).
    pub low: Option<f64>,
    /// Its CI.
    pub low_ci95: Option<[f64; 2]>,
    /// Whether the lowered probe overloads a stage.
    pub low_overloaded: bool,
    /// Mean lead time change when raised (null when the raised probe overloads).
    pub high: Option<f64>,
    /// Its CI.
    pub high_ci95: Option<[f64; 2]>,
    /// Whether the raised probe overloads a stage.
    pub high_overloaded: bool,
}

impl Effect {
    /// The larger of the two absolute changes, for ranking; a probe that
    /// overloads a stage is the largest effect there is.
    pub fn swing(&self) -> f64 {
        if self.low_overloaded || self.high_overloaded {
            return f64::INFINITY;
        }
        let abs = |x: Option<f64>| x.map_or(0.0, f64::abs);
        abs(self.low).max(abs(self.high))
    }
}

fn num(x: f64) -> String {
    crate::stats::fmt_sig(x, 3)
}

/// Integer parameters move by 20% rounded, and by at least one.
fn int_steps(n: u32, min: u32) -> Option<(u32, u32)> {
    let lo = ((f64::from(n) * (1.0 - STEP)).round() as u32)
        .min(n.saturating_sub(1))
        .max(min);
    let hi = ((f64::from(n) * (1.0 + STEP)).round() as u32).max(n + 1);
    (lo < n).then_some((lo, hi))
}

/// Every numeric parameter of the baseline, each lowered and raised: the
/// arrivals, the stream's WIP limit, shared pools, then stage by stage.
pub fn probes(base: &Model) -> Vec<Probe> {
    let mut out = Vec::new();
    out.extend(arrival_probe(base));
    if let Some(w) = base.wip_limit
        && let Some((lo, hi)) = int_steps(w, 1)
    {
        let mut low = base.clone();
        low.wip_limit = Some(lo);
        let mut high = base.clone();
        high.wip_limit = Some(hi);
        if crate::model::wip_limit_ok(&low) {
            out.push(counted("stream WIP limit".into(), [w, lo, hi], low, high));
        }
    }
    out.extend(pool_probes(base));
    for i in 0..base.stages.len() {
        stage_probes(base, i, &mut out);
    }
    out
}

/// Each shared pool's people, lowered and raised once for all its stages (a
/// pool of one is not lowered to none, so it is not varied).
fn pool_probes(base: &Model) -> Vec<Probe> {
    (0..base.pools.len())
        .filter_map(|p| {
            let n = base.pools[p].workers;
            let (lo, hi) = int_steps(n, 1)?;
            let mut low = base.clone();
            low.pools[p].workers = lo;
            let mut high = base.clone();
            high.pools[p].workers = hi;
            Some(counted(
                format!("{} pool people", base.pools[p].name),
                [n, lo, hi],
                low,
                high,
            ))
        })
        .collect()
}

/// The baseline with `edit` applied at factor 1 − [`STEP`] and 1 + [`STEP`].
fn vary(base: &Model, edit: &dyn Fn(&mut Model, f64)) -> (Model, Model) {
    let mut low = base.clone();
    edit(&mut low, 1.0 - STEP);
    let mut high = base.clone();
    edit(&mut high, 1.0 + STEP);
    (low, high)
}

/// A continuous parameter of `value` scaled by `edit` down and up by [`STEP`].
fn scaled(parameter: String, value: f64, base: &Model, edit: &dyn Fn(&mut Model, f64)) -> Probe {
    let (low, high) = vary(base, edit);
    Probe {
        parameter,
        values: [
            num(value),
            num(value * (1.0 - STEP)),
            num(value * (1.0 + STEP)),
        ],
        low,
        high,
    }
}

/// A whole-number parameter: its value as is, lowered and raised.
fn counted<T: ToString>(parameter: String, values: [T; 3], low: Model, high: Model) -> Probe {
    Probe {
        parameter,
        values: values.map(|v| v.to_string()),
        low,
        high,
    }
}

/// The arrival rate, the time between arrivals, or the backlog.
fn arrival_probe(base: &Model) -> Option<Probe> {
    match &base.arrivals {
        Arrivals::Rate(r) => Some(scaled("arrival rate".into(), *r, base, &|m, f| {
            m.arrivals = Arrivals::Rate(r * f)
        })),
        Arrivals::Interval(d) => Some(scaled(
            "time between arrivals".into(),
            d.mean(),
            base,
            &|m, f| m.arrivals = Arrivals::Interval(d.scaled(f)),
        )),
        Arrivals::Backlog(n) => {
            let (lo, hi) = int_steps(*n as u32, 1)?;
            if u64::from(hi) > crate::model::MAX_BACKLOG {
                return None;
            }
            let mut low = base.clone();
            low.arrivals = Arrivals::Backlog(u64::from(lo));
            let mut high = base.clone();
            high.arrivals = Arrivals::Backlog(u64::from(hi));
            Some(counted(
                "backlog".into(),
                [*n, u64::from(lo), u64::from(hi)],
                low,
                high,
            ))
        }
    }
}

/// Stage `i`'s parameters: work, wait, workers or schedule interval, rework
/// probability, handoff batch, blocked probability and duration.
fn stage_probes(base: &Model, i: usize, out: &mut Vec<Probe>) {
    let s = &base.stages[i];
    let name = &s.name;
    let mean_work: f64 = s.work.iter().map(|d| d.mean()).sum::<f64>() / s.work.len() as f64;
    if mean_work > 0.0 {
        out.push(scaled(format!("{name} work"), mean_work, base, &|m, f| {
            let st = &mut m.stages[i];
            st.work = st.work.iter().map(|d| d.scaled(f)).collect();
        }));
    }
    if let Some(w) = &s.wait
        && w.mean() > 0.0
    {
        out.push(scaled(format!("{name} wait"), w.mean(), base, &|m, f| {
            m.stages[i].wait = m.stages[i].wait.as_ref().map(|d| d.scaled(f));
        }));
    }
    out.extend(capacity_probe(base, i));
    if let Some(r) = &s.rework
        && r.probability > 0.0
    {
        let p = r.probability;
        let (low, high) = vary(base, &|m, f| {
            if let Some(x) = &mut m.stages[i].rework {
                x.probability = (p * f).min(0.99);
            }
        });
        out.push(Probe {
            parameter: format!("{name} rework probability"),
            values: [
                num(p),
                num(p * (1.0 - STEP)),
                num((p * (1.0 + STEP)).min(0.99)),
            ],
            low,
            high,
        });
    }
    out.extend(handoff_probe(base, i));
    blocked_probes(base, i, out);
}

/// Stage `i`'s blocked work: the probability (raised to at most 1) and the
/// block's duration.
fn blocked_probes(base: &Model, i: usize, out: &mut Vec<Probe>) {
    let Some(b) = &base.stages[i].blocked else {
        return;
    };
    let name = &base.stages[i].name;
    let p = b.probability;
    if p > 0.0 {
        let (low, high) = vary(base, &|m, f| {
            if let Some(x) = &mut m.stages[i].blocked {
                x.probability = (p * f).min(1.0);
            }
        });
        out.push(Probe {
            parameter: format!("{name} blocked probability"),
            values: [
                num(p),
                num(p * (1.0 - STEP)),
                num((p * (1.0 + STEP)).min(1.0)),
            ],
            low,
            high,
        });
    }
    let mean = b.duration.mean();
    if p > 0.0 && mean > 0.0 {
        out.push(scaled(
            format!("{name} block duration"),
            mean,
            base,
            &|m, f| {
                if let Some(x) = &mut m.stages[i].blocked {
                    x.duration = x.duration.scaled(f);
                }
            },
        ));
    }
}

/// Stage `i`'s workers, or the interval of its elapsed schedule.
fn capacity_probe(base: &Model, i: usize) -> Option<Probe> {
    let name = &base.stages[i].name;
    match &base.stages[i].capacity {
        Capacity::Workers(n) => {
            let (lo, hi) = int_steps(*n, 1)?;
            let mut low = base.clone();
            low.stages[i].capacity = Capacity::Workers(lo);
            let mut high = base.clone();
            high.stages[i].capacity = Capacity::Workers(hi);
            Some(counted(format!("{name} workers"), [*n, lo, hi], low, high))
        }
        Capacity::Schedule(sc) if sc.weekly.is_none() => {
            let every = sc.every;
            Some(scaled(format!("{name} interval"), every, base, &|m, f| {
                if let Capacity::Schedule(x) = &mut m.stages[i].capacity {
                    x.every = every * f;
                    x.first *= f;
                }
            }))
        }
        // Pools are varied once each, not per stage (`pool_probes`).
        Capacity::Pool(_) | Capacity::Schedule(_) | Capacity::Unlimited => None,
    }
}

/// Stage `i`'s handoff batch, when the raised batch still fits the WIP limits.
fn handoff_probe(base: &Model, i: usize) -> Option<Probe> {
    let s = &base.stages[i];
    let h = s.handoff.as_ref()?;
    let (lo, hi) = int_steps(h.size, 1)?;
    let mut low = base.clone();
    let mut high = base.clone();
    if let Some(x) = &mut low.stages[i].handoff {
        x.size = lo;
    }
    if let Some(x) = &mut high.stages[i].handoff {
        x.size = hi;
    }
    let limit_ok = s.wip_limit.is_none_or(|l| hi <= l);
    (limit_ok && crate::model::wip_limit_ok(&high)).then(|| {
        counted(
            format!("{} handoff batch", s.name),
            [h.size, lo, hi],
            low,
            high,
        )
    })
}

impl Probe {
    /// Whether the lowered and the raised model overload a stage (checked
    /// before anything runs, by the rule of SPEC §2.5).
    pub fn overloaded(&self) -> [bool; 2] {
        [
            !overloaded(&self.low).is_empty(),
            !overloaded(&self.high).is_empty(),
        ]
    }
}

/// The variants to simulate: the baseline, then each probe's low and high —
/// leaving out every probe that overloads a stage, whose figures would only
/// measure how long a run lasts.
pub fn variants(base: &Model, probes: &[Probe]) -> Vec<Variant> {
    let mut v = vec![Variant::baseline(base)];
    for p in probes {
        let [low_over, high_over] = p.overloaded();
        for (over, sign, model) in [(low_over, '−', &p.low), (high_over, '+', &p.high)] {
            if !over {
                v.push(Variant {
                    name: format!("{} {sign}20%", p.parameter),
                    model: model.clone(),
                    cost: None,
                    cost_per_year: None,
                });
            }
        }
    }
    v
}

/// Reads each probe's effect off a simulation of [`variants`] (same order).
pub fn effects(probes: &[Probe], outcome: &crate::sim::results::Outcome) -> Vec<Effect> {
    let mut next = outcome.variants.iter().skip(1);
    let mut take = |over: bool| -> (Option<f64>, Option<[f64; 2]>) {
        if over {
            return (None, None);
        }
        let d = next.next().and_then(|v| v.delta.as_ref());
        (
            d.map(|d| d.lead_time_mean),
            d.map(|d| d.lead_time_mean_ci95),
        )
    };
    probes
        .iter()
        .map(|p| {
            let [low_overloaded, high_overloaded] = p.overloaded();
            let (low, low_ci95) = take(low_overloaded);
            let (high, high_ci95) = take(high_overloaded);
            Effect {
                parameter: p.parameter.clone(),
                values: p.values.clone(),
                low,
                low_ci95,
                low_overloaded,
                high,
                high_ci95,
                high_overloaded,
            }
        })
        .collect()
}
