//! The engine against closed-form queueing theory.
//!
//! Every stream here is open (Poisson arrivals) and stable. Each assertion
//! compares the mean over independent runs with the theoretical value, within
//! four standard errors derived from the runs' own 95% confidence interval
//! (see `common::assert_mean_matches`). Runs are long (4,000 deliveries, the first
//! 400 left out) so the start-up bias of an empty stream is far below one SE.

use crate::common::{assert_mean_matches, model, per_run, runs};

const RUNS: u64 = 300;

fn open_stream(rate: f64, stages: &str) -> String {
    format!(
        "name: theory\ntime_unit: hours\narrivals: {{rate: {rate}}}\nsimulation: {{items: 4000, warmup: 400}}\nstages:\n{stages}"
    )
}

/// Erlang C: the probability that an arrival waits in an M/M/c queue.
pub(crate) fn erlang_c(c: u32, lambda: f64, mu: f64) -> f64 {
    let a = lambda / mu;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / f64::from(k);
        sum += term;
    }
    let last = term * a / f64::from(c) * f64::from(c) / (f64::from(c) - a);
    last / (sum + last)
}

// Proves M/M/1 (λ = 0.8, μ = 1): mean lead time 1/(μ−λ) = 5, mean wait before work
// ρ/(μ−λ) = 4, utilisation ρ = 0.8, WIP L = ρ/(1−ρ) = 4, throughput λ.
#[test]
fn mm1_mean_wait_utilisation_wip() {
    let m = model(&open_stream(
        0.8,
        "  - {name: serve, workers: 1, work: {dist: exponential, mean: 1}}\n",
    ));
    let (rs, _) = runs(&m, RUNS, 11);
    let lead = per_run(&rs, |r| r.lead_sum / r.delivered as f64);
    assert_mean_matches("M/M/1 lead time", &lead, 5.0);
    let wait = per_run(&rs, |r| r.stages[0].wait / r.stages[0].visits as f64);
    assert_mean_matches("M/M/1 wait before work", &wait, 4.0);
    let util = per_run(&rs, |r| r.stages[0].busy_area / r.window);
    assert_mean_matches("M/M/1 utilisation", &util, 0.8);
    let wip = per_run(&rs, |r| r.wip_area / r.window);
    assert_mean_matches("M/M/1 WIP", &wip, 4.0);
    let queue = per_run(&rs, |r| r.stages[0].queue_area / r.window);
    assert_mean_matches("M/M/1 queue length", &queue, 3.2);
    let tp = per_run(&rs, |r| r.delivered as f64 / r.window);
    assert_mean_matches("M/M/1 throughput", &tp, 0.8);
}

// Proves M/M/1 lead-time percentiles: the sojourn time is exponential with rate
// μ−λ = 0.2, so p50 = ln 2 / 0.2, p85 = −ln 0.15 / 0.2, p95 = −ln 0.05 / 0.2;
// per-run percentiles and the pooled histogram (≤ 0.2% error) both agree.
#[test]
fn mm1_lead_time_percentiles() {
    let m = model(&open_stream(
        0.8,
        "  - {name: serve, workers: 1, work: {dist: exponential, mean: 1}}\n",
    ));
    let (rs, hist) = runs(&m, RUNS, 12);
    let truth = |q: f64| -(1.0f64 - q).ln() / 0.2;
    for (q, f) in [
        (
            0.50,
            (|r: &flowcast::sim::engine::RunSummary| r.lead_p50) as fn(&_) -> f64,
        ),
        (0.85, |r| r.lead_p85),
        (0.95, |r| r.lead_p95),
    ] {
        let xs = per_run(&rs, f);
        assert_mean_matches(
            &format!("M/M/1 per-run p{}", (q * 100.0) as u32),
            &xs,
            truth(q),
        );
        let pooled = hist.quantile(q);
        let ci = flowcast::stats::mean_ci95(&xs);
        // The pooled percentile of 1.08 million items is far more precise than one
        // run's: allow four per-run-mean SEs plus the histogram's resolution.
        let tol = 4.0 * ci.half_width() / 1.96 + 0.002 * truth(q);
        assert!(
            (pooled - truth(q)).abs() <= tol,
            "pooled p{q}: {pooled} vs {} (tolerance {tol})",
            truth(q)
        );
    }
}

// Proves M/M/2 against Erlang C (λ = 1.6, μ = 1, c = 2, ρ = 0.8):
// W = C(2, 1.6)/(cμ − λ) + 1/μ.
#[test]
fn mmc_matches_erlang_c() {
    let m = model(&open_stream(
        1.6,
        "  - {name: serve, workers: 2, work: {dist: exponential, mean: 1}}\n",
    ));
    let (rs, _) = runs(&m, RUNS, 13);
    let c = erlang_c(2, 1.6, 1.0);
    let wq = c / (2.0 - 1.6);
    let lead = per_run(&rs, |r| r.lead_sum / r.delivered as f64);
    assert_mean_matches("M/M/2 lead time", &lead, wq + 1.0);
    let util = per_run(&rs, |r| r.stages[0].busy_area / (2.0 * r.window));
    assert_mean_matches("M/M/2 utilisation", &util, 0.8);
}

// Proves M/M/5 against Erlang C at a different load (λ = 3.5, μ = 1, c = 5, ρ = 0.7).
#[test]
fn mm5_matches_erlang_c() {
    let m = model(&open_stream(
        3.5,
        "  - {name: serve, workers: 5, work: {dist: exponential, mean: 1}}\n",
    ));
    let (rs, _) = runs(&m, RUNS, 14);
    let wq = erlang_c(5, 3.5, 1.0) / (5.0 - 3.5);
    let wait = per_run(&rs, |r| r.stages[0].wait / r.stages[0].visits as f64);
    assert_mean_matches("M/M/5 wait before work", &wait, wq);
}

// Proves M/D/1 against Pollaczek–Khinchine (λ = 0.8, constant work 1):
// Wq = ρ/(2μ(1−ρ)) = 2, W = 3.
#[test]
fn md1_matches_pollaczek_khinchine() {
    let m = model(&open_stream(
        0.8,
        "  - {name: serve, workers: 1, work: 1}\n",
    ));
    let (rs, _) = runs(&m, RUNS, 15);
    let lead = per_run(&rs, |r| r.lead_sum / r.delivered as f64);
    assert_mean_matches("M/D/1 lead time", &lead, 3.0);
}

// Proves a tandem line of two M/M/1 stages (Jackson): W = Σ 1/(μᵢ − λ) with
// λ = 0.8, μ₁ = 1.25, μ₂ = 2.
#[test]
fn tandem_line_matches_jackson() {
    let m = model(&open_stream(
        0.8,
        "  - {name: a, workers: 1, work: {dist: exponential, mean: 0.8}}\n  - {name: b, workers: 1, work: {dist: exponential, mean: 0.5}}\n",
    ));
    let (rs, _) = runs(&m, RUNS, 16);
    let lead = per_run(&rs, |r| r.lead_sum / r.delivered as f64);
    assert_mean_matches(
        "tandem lead time",
        &lead,
        1.0 / (1.25 - 0.8) + 1.0 / (2.0 - 0.8),
    );
}

// Proves M/M/1 with Bernoulli rework feedback to itself (λ = 0.5, μ = 1, p = 0.3):
// effective load λ/(μ(1−p)) = 0.714, mean visits 1/(1−p), W = 1/(μ(1−p) − λ) = 5.
#[test]
fn mm1_with_rework_feedback() {
    let m = model(&open_stream(
        0.5,
        "  - {name: serve, workers: 1, work: {dist: exponential, mean: 1}, rework: {probability: 0.3}}\n",
    ));
    let (rs, _) = runs(&m, RUNS, 17);
    let lead = per_run(&rs, |r| r.lead_sum / r.delivered as f64);
    assert_mean_matches("M/M/1 + feedback lead time", &lead, 5.0);
    let visits = per_run(&rs, |r| r.stages[0].visits as f64 / r.delivered as f64);
    assert_mean_matches("M/M/1 + feedback visits", &visits, 1.0 / 0.7);
    let util = per_run(&rs, |r| r.stages[0].busy_area / r.window);
    assert_mean_matches("M/M/1 + feedback utilisation", &util, 0.5 / 0.7);
}

// Proves a Jackson network with feedback between stages: rework from b back to a
// with p = 0.25 (λ = 0.5, μa = 1.25, μb = 1.5). Traffic equations give
// λa = λb = λ/(1−p); W = Σ ρᵢ/(1−ρᵢ) ÷ λ.
#[test]
fn jackson_network_with_feedback() {
    let m = model(&open_stream(
        0.5,
        "  - {name: a, workers: 1, work: {dist: exponential, mean: 0.8}}\n  - {name: b, workers: 1, work: {dist: exponential, mean: 0.6666666666666666}, rework: {probability: 0.25, to: a}}\n",
    ));
    let (rs, _) = runs(&m, RUNS, 18);
    let lam = 0.5 / 0.75;
    let (ra, rb) = (lam / 1.25, lam / 1.5);
    let w = (ra / (1.0 - ra) + rb / (1.0 - rb)) / 0.5;
    let lead = per_run(&rs, |r| r.lead_sum / r.delivered as f64);
    assert_mean_matches("Jackson feedback lead time", &lead, w);
    let util_a = per_run(&rs, |r| r.stages[0].busy_area / r.window);
    assert_mean_matches("Jackson feedback utilisation a", &util_a, ra);
    // The model's expected visits come from the same traffic equations.
    let v = m.expected_visits(0);
    assert!(
        (v[0] - 1.0 / 0.75).abs() < 1e-12 && (v[1] - 1.0 / 0.75).abs() < 1e-12,
        "{v:?}"
    );
}

// Proves Little's law in every run: time-averaged WIP = throughput × mean lead
// time over the same window, within sampling error, on a stream with batching,
// rework and a schedule (no closed form, so only the law itself is checked).
#[test]
fn littles_law_holds_on_a_complex_stream() {
    let m = model(&open_stream(
        0.7,
        "  - {name: a, workers: 2, work: {dist: lognormal, mean: 2, cv: 0.8}, handoff_batch: 3}\n  - {name: b, workers: 1, wait: 0.5, work: {dist: exponential, mean: 0.5}, rework: {probability: 0.2, to: a, effort: 0.5}}\n  - {name: c, workers: 1, work: 1, process_batch: {max: 4}}\n  - {name: d, schedule: {every: 12, capacity: 20}, work: 0.25}\n",
    ));
    let (rs, _) = runs(&m, 200, 19);
    let diff = per_run(&rs, |r| {
        r.wip_area / r.window - (r.delivered as f64 / r.window) * (r.lead_sum / r.delivered as f64)
    });
    let wip = per_run(&rs, |r| r.wip_area / r.window);
    let ci = flowcast::stats::mean_ci95(&diff);
    let mean_wip = flowcast::stats::mean_ci95(&wip).mean;
    // Items straddling the window's edges make the law inexact within one run by
    // O(WIP / deliveries); across runs the paired difference must be ~0 relative to WIP.
    assert!(
        ci.mean.abs() <= 4.0 * ci.half_width() / 1.97 + 0.01 * mean_wip,
        "L − λW = {} (CI {}–{}), WIP {mean_wip}",
        ci.mean,
        ci.lo,
        ci.hi
    );
}
