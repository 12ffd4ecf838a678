//! How many people each stage has: the fewest workers whose simulated queue
//! time is no longer than the observed one. Queue time that capacity does not
//! explain becomes a handoff `wait`.
//!
//! Stages are searched in flow order, each with the stages before it already
//! fitted and the ones after it at their observed maximum concurrency. Every
//! candidate is simulated with the same seed, so the runs share their random
//! numbers (common random numbers) and the comparison between candidates is
//! not blurred by noise. Queue time falls as workers are added, so the search
//! is a bisection between 1 and the most items ever seen in active statuses.

use super::fit::{Calibration, Capacity};
use crate::error::Error;
use crate::model::{self, Model, Variant};
use crate::sim::montecarlo::{Settings, simulate};

/// Runs per candidate. The observed mean has one history's noise; eight runs
/// make the simulated mean's noise small beside it.
pub const RUNS: u64 = 8;
/// The busiest a fitted stage may be: above this offered load its queue
/// depends on how long the stream has run rather than on the stream, so
/// queue time that would need a busier stage is taken as a handoff wait.
pub const MAX_LOAD: f64 = 0.9;
/// A simulated queue may exceed the observed one by this many standard errors
/// of the comparison and still count as "no longer".
pub const Z: f64 = 2.5;

/// Searches workers for every `Workers` stage of `cal`, whose scenario is
/// `model` (as written from `cal` and read back), then sets each stage's
/// leftover queue time as a wait (the scenario is then written again from `cal`).
pub fn search(cal: &mut Calibration, model: &Model, seed: u64) -> Result<(), Error> {
    let mut model = model.clone();
    let items = cal.arrivals.count.clamp(2000, 20_000) as u64;
    model.simulation.items = items;
    model.simulation.warmup = items / 10;
    for s in 0..cal.stages.len() {
        let Capacity::Workers(hi) = cal.stages[s].capacity else {
            continue;
        };
        let target = cal.stages[s].observed_queue;
        let tol = Z * cal.stages[s].observed_queue_se * (1.0 + 1.0 / RUNS as f64).sqrt();
        let mut tried: Vec<(u32, f64)> = Vec::new();
        let mut queue_with = |c: u32, model: &Model| -> Result<f64, Error> {
            if let Some(&(_, q)) = tried.iter().find(|(t, _)| *t == c) {
                return Ok(q);
            }
            let q = simulated_queue(model, s, c, seed)?;
            tried.push((c, q));
            Ok(q)
        };
        // Bisection for the smallest c with queue(c) ≤ target + tol, among the
        // c that keep the offered load at or below MAX_LOAD.
        let least = least_workers(&model, s);
        if least > hi {
            cal.warnings.push(format!(
                "stage {}: its work needs at least {least} people to keep up (at most {hi} \
                 were seen at work at once); work time may include waiting",
                cal.stages[s].name
            ));
        }
        let (mut lo, mut hi) = (least.max(1), hi.max(least).max(1));
        let ok_hi = queue_with(hi, &model)? <= target + tol;
        if ok_hi {
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if queue_with(mid, &model)? <= target + tol {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
        } else {
            cal.warnings.push(format!(
                "stage {}: even {hi} workers (the most ever seen at work at once) queue longer \
                 in simulation than observed; its active time may include waiting",
                cal.stages[s].name
            ));
        }
        let workers = hi;
        let q = queue_with(workers, &model)?;
        tried.sort_by_key(|t| t.0);
        let st = &mut cal.stages[s];
        st.capacity = Capacity::Workers(workers);
        st.tried = tried;
        let leftover = target - q;
        st.leftover_wait = (leftover > tol && leftover > 0.0).then_some(leftover);
        set_stage(&mut model, s, workers, st.leftover_wait);
    }
    Ok(())
}

/// The fewest workers that keep stage `s`'s offered load at or below
/// [`MAX_LOAD`] (1 when the load is unknown).
fn least_workers(model: &Model, s: usize) -> u32 {
    let Some(model::Capacity::Workers(c)) = model.stages.get(s).map(|st| &st.capacity) else {
        return 1;
    };
    let load = model.loads().get(s).and_then(|l| l.load).unwrap_or(0.0);
    let busy = load * f64::from(*c);
    if busy.is_finite() && busy > 0.0 {
        ((busy / MAX_LOAD).ceil() as u32).clamp(1, 100_000)
    } else {
        1
    }
}

fn set_stage(model: &mut Model, s: usize, workers: u32, wait: Option<f64>) {
    if let Some(st) = model.stages.get_mut(s) {
        st.capacity = model::Capacity::Workers(workers);
        if let Some(w) = wait {
            if let Ok(d) = model::dist::Dist::new(&model::dist::DistSpec::Exponential(w)) {
                st.wait = Some(d);
            }
        }
    }
}

/// Mean queue time per visit at stage `s` with `c` workers; an overloaded
/// candidate that cannot finish counts as an endless queue.
fn simulated_queue(model: &Model, s: usize, c: u32, seed: u64) -> Result<f64, Error> {
    let mut m = model.clone();
    set_stage(&mut m, s, c, None);
    let variants = vec![Variant::baseline(&m)];
    let settings = Settings {
        runs: RUNS,
        seed,
        threads: None,
    };
    match simulate(&variants, &settings, &|| {}) {
        Ok(out) => Ok(out.variants[0]
            .stages
            .get(s)
            .map_or(f64::INFINITY, |r| r.wait)),
        Err(Error::Simulation(_)) => Ok(f64::INFINITY),
        Err(e) => Err(e),
    }
}
