//! Shared pools (`resources:`, `workers: NAME`) against theory and by hand.

use crate::common::{assert_mean_matches, model, per_run, runs};
use crate::theory::erlang_c;

const RUNS: u64 = 300;

/// Two stages with exponential work of mean 1, both served by pool `qa` of
/// `c` people, Poisson arrivals at `rate`.
fn two_stage_pool(rate: f64, c: u32) -> String {
    format!(
        "name: pool theory\ntime_unit: hours\narrivals: {{rate: {rate}}}\nresources: {{qa: {c}}}\n\
         simulation: {{items: 4000, warmup: 400}}\nstages:\n\
         \x20 - {{name: a, workers: qa, work: {{dist: exponential, mean: 1}}}}\n\
         \x20 - {{name: b, workers: qa, work: {{dist: exponential, mean: 1}}}}\n"
    )
}

/// Mean time per visit (wait + work) of a stage over one run's counted items.
fn per_visit(r: &flowcast::sim::engine::RunSummary, s: usize) -> f64 {
    let st = &r.stages[s];
    (st.wait + st.work) / st.visits as f64
}

/// Checks the pool of [`two_stage_pool`] against Erlang C: the pool is one
/// first-come-first-served station visited twice with the same exponential work,
/// so (Kelly: product form) it behaves as an M/M/c station with arrival rate 2λ.
/// Its mean time per visit is W = C(c, 2λ/μ) / (cμ − 2λ) + 1/μ, the same at both
/// stages; lead time is 2W and the pool's utilisation 2λ/(cμ). Each figure must
/// lie within four standard errors of the mean over independent runs.
fn check_against_erlang_c(rate: f64, c: u32, seed: u64) {
    let m = model(&two_stage_pool(rate, c));
    let (rs, _) = runs(&m, RUNS, seed);
    let lambda = 2.0 * rate;
    let w = erlang_c(c, lambda, 1.0) / (f64::from(c) - lambda) + 1.0;
    let label = |what: &str| format!("pool of {c}, λ = {rate}: {what}");
    for s in 0..2 {
        let v = per_run(&rs, |r| per_visit(r, s));
        let mean = flowcast::stats::mean_ci95(&v);
        eprintln!(
            "{}: simulated {:.4} (95% CI {:.4}–{:.4}), Erlang C {w:.4}",
            label(&format!("time per visit at stage {s}")),
            mean.mean,
            mean.lo,
            mean.hi
        );
        assert_mean_matches(&label(&format!("time per visit at stage {s}")), &v, w);
    }
    let both = per_run(&rs, |r| {
        (r.stages[0].wait + r.stages[0].work + r.stages[1].wait + r.stages[1].work)
            / (r.stages[0].visits + r.stages[1].visits) as f64
    });
    assert_mean_matches(&label("time per visit, both stages"), &both, w);
    let lead = per_run(&rs, |r| r.lead_sum / r.delivered as f64);
    assert_mean_matches(&label("lead time"), &lead, 2.0 * w);
    let util = per_run(&rs, |r| {
        (r.stages[0].busy_area + r.stages[1].busy_area) / (f64::from(c) * r.window)
    });
    assert_mean_matches(&label("pool utilisation"), &util, lambda / f64::from(c));
}

// Proves a pool of 2 serving two stages is an M/M/2 station at twice the
// arrival rate (λ = 0.8 per stage, 1.6 at the pool, ρ = 0.8).
#[test]
fn pool_of_two_matches_erlang_c() {
    check_against_erlang_c(0.8, 2, 31);
}

// Proves the same for a pool of 3 at a lower load (λ = 0.9, 1.8 at the pool, ρ = 0.6).
#[test]
fn pool_of_three_matches_erlang_c() {
    check_against_erlang_c(0.9, 3, 32);
}

// Proves the pool's figures reach the results: per-pool utilisation (the sum of
// its stages' shares) and the JSON-facing result agree with Erlang C's ρ.
#[test]
fn pool_result_reports_utilisation() {
    use flowcast::model::Variant;
    use flowcast::sim::montecarlo::{Settings, simulate};
    let m = model(&two_stage_pool(0.8, 2));
    let settings = Settings {
        runs: 100,
        seed: 5,
        threads: Some(1),
    };
    let out = simulate(&[Variant::baseline(&m)], &settings, &|| {}).expect("runs");
    let v = &out.variants[0];
    assert_eq!(v.pools.len(), 1);
    let p = &v.pools[0];
    assert_eq!((p.name.as_str(), p.workers), ("qa", 2));
    assert_eq!(p.stages, ["a", "b"]);
    let shares: f64 = v.stages.iter().filter_map(|s| s.utilization).sum();
    assert!((p.utilization - shares).abs() < 1e-12);
    // 100 runs of 3,600 counted items: the pooled ratio is within 1% of ρ = 0.8.
    assert!((p.utilization - 0.8).abs() < 0.01, "{}", p.utilization);
}

const BY_HAND: &str = "name: by hand\ntime_unit: hours\narrivals: {backlog: 3}\nresources: {qa: 1}\nstages:\n\
  \x20 - {name: a, workers: qa, work: 1}\n  - {name: b, workers: qa, work: 2}\n";

// Proves the default policy, by hand: one person serves a (work 1) and b (work 2)
// for a backlog of 3. The oldest waiting item goes first, oldest by when it joined
// its queue: items 0, 1, 2 wait at a since 0, so a runs 0–1, 1–2, 2–3 even though
// item 0 has waited at b since 1; then b runs 3–5, 5–7, 7–9. Deliveries at 5, 7, 9
// (mean 7); waits at a 0, 1, 2 (mean 1) and at b 2, 3, 4 (mean 3); the person is
// busy all 9 hours, a third of them at a. With a person each, lead time is 4.
#[test]
fn pool_takes_the_oldest_waiting_item_by_hand() {
    let m = model(BY_HAND);
    let (rs, _) = runs(&m, 1, 1);
    let r = &rs[0];
    assert_eq!(r.delivered, 3);
    assert_eq!(r.lead_sum, 5.0 + 7.0 + 9.0);
    assert_eq!(r.lead_max, 9.0);
    assert_eq!(r.window, 9.0);
    assert_eq!(r.stages[0].wait, 0.0 + 1.0 + 2.0);
    assert_eq!(r.stages[1].wait, 2.0 + 3.0 + 4.0);
    assert_eq!(r.stages[0].busy_area, 3.0);
    assert_eq!(r.stages[1].busy_area, 6.0);

    let own = model(&BY_HAND.replace("workers: qa", "workers: 1"));
    let (rs, _) = runs(&own, 1, 1);
    assert_eq!(rs[0].lead_sum, 3.0 + 5.0 + 7.0);
}

// Proves a pool never works on more items at once than it has people, across its
// stages: with 2 people, 3 stages of constant work 1 and a backlog of 6, the 18
// hours of work take exactly 9 hours, and no stage's busy time exceeds the pool's.
#[test]
fn pool_caps_work_in_progress_across_its_stages() {
    let m = model(
        "name: cap\ntime_unit: hours\narrivals: {backlog: 6}\nresources: {qa: 2}\nstages:\n\
         \x20 - {name: a, workers: qa, work: 1}\n  - {name: b, workers: qa, work: 1}\n  - {name: c, workers: qa, work: 1}\n",
    );
    let (rs, _) = runs(&m, 1, 1);
    let r = &rs[0];
    assert_eq!(r.end_time, 9.0);
    let busy: f64 = r.stages.iter().map(|s| s.busy_area).sum();
    assert_eq!(busy, 18.0);
}

const POOLED: &str = "name: pooled\ntime_unit: hours\narrivals: {rate: 0.8}\nresources: {qa: 2}\n\
    simulation: {items: 1500, warmup: 150}\nstages:\n\
    \x20 - {name: a, workers: qa, work: {dist: exponential, mean: 1}}\n\
    \x20 - {name: b, workers: qa, work: {dist: exponential, mean: 1}}\n";

// Proves a pool's size is a setting like a stage's workers: `set: {resources.qa: 3}`
// in the file and `--what-if resources.qa=3` give the same variant (the same
// numbers, by common random numbers), which matches Erlang C for a pool of 3 at
// λ = 1.6 per hour: W = C(3, 1.6) / (3 − 1.6) + 1 per visit, lead time 2W.
#[test]
fn pool_size_is_set_by_file_and_what_if() {
    let yaml = format!("{POOLED}interventions:\n  - {{name: three, set: {{resources.qa: 3}}}}\n");
    let (_d, path) = crate::common::temp_file("pooled.yaml", &yaml);
    let json = |extra: &[&str]| -> serde_json::Value {
        let out = crate::common::flowcast()
            .arg("run")
            .arg(&path)
            .args(["--runs", "200", "--json", "-"])
            .args(extra)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let j = json(&["--what-if", "resources.qa=3"]);
    let v = j["variants"].as_array().expect("variants");
    assert_eq!(v.len(), 3);
    assert_eq!(v[1]["name"], "three");
    assert_eq!(
        v[1]["lead_time"], v[2]["lead_time"],
        "file and --what-if differ"
    );
    assert_eq!(v[1]["pools"][0]["workers"], 3);
    let w = erlang_c(3, 1.6, 1.0) / (3.0 - 1.6) + 1.0;
    let l = &v[1]["lead_time"];
    let (lo, hi) = (
        l["mean_ci95"][0].as_f64().expect("lo"),
        l["mean_ci95"][1].as_f64().expect("hi"),
    );
    // The 95% CI widened to ±4 SE (×4/1.97) must hold theory.
    let (mid, half) = ((lo + hi) / 2.0, (hi - lo) / 2.0 * 4.0 / 1.97);
    assert!(
        (mid - 2.0 * w).abs() <= half,
        "lead {mid} ± {half}, Erlang C {}",
        2.0 * w
    );
    let u = v[1]["pools"][0]["utilization"]
        .as_f64()
        .expect("utilisation");
    assert!((u - 1.6 / 3.0).abs() < 0.01, "{u}");
    // An unknown pool is a located, suggested error.
    crate::common::flowcast()
        .arg("run")
        .arg(&path)
        .args(["--what-if", "resources.qb=3"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "nearest valid paths: resources.qa",
        ));
}

// Proves sensitivity varies a pool once (not per stage) and that `check` lists
// the pool's load as the sum of its stages': 0.8 × 1 / 2 per stage, 80% in all.
#[test]
fn pools_in_sensitivity_and_check() {
    let m = model(POOLED);
    let probes = flowcast::analysis::sensitivity::probes(&m);
    let names: Vec<&str> = probes.iter().map(|p| p.parameter.as_str()).collect();
    assert!(names.contains(&"qa pool people"), "{names:?}");
    assert!(!names.iter().any(|n| n.ends_with(" workers")), "{names:?}");
    let p = probes
        .iter()
        .find(|p| p.parameter == "qa pool people")
        .expect("probe");
    assert_eq!((p.low.pools[0].workers, p.high.pools[0].workers), (1, 3));
    assert_eq!(p.overloaded(), [true, false]);
    let text = flowcast::report::check(&m);
    assert!(
        text.contains("pool `qa`: 2 people serve a, b — load 80%"),
        "{text}"
    );
}
