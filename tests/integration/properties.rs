//! Invariants of the engine over random valid scenarios (proptest).
//!
//! The scenarios come from [`generate`]: 1–6 stages with any mix of workers,
//! schedules, batches, waits, WIP limits, rework, blocked work and item types, fed by Poisson
//! arrivals, a constant interval or a backlog, always lightly loaded so that a
//! run of at most 300 items takes milliseconds. Each property is its own test
//! with a fixed proptest seed, so a failure reproduces on every machine; the
//! failing case is printed as the scenario YAML. Set `PROPTEST_CASES` to run
//! more cases than the fixed default while hunting.
//!
//! The same-instant hand cases the properties first failed on (simultaneous
//! arrivals into a process batch, a batch that ends the run) live in
//! `instants.rs`.

mod generate;

use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed};

use flowcast::model::Model;
use flowcast::model::Variant;
use flowcast::model::keys::run_key;
use flowcast::scenario::interventions as variants;
use flowcast::sim::engine::{Engine, RunSummary};
use flowcast::sim::montecarlo::{Settings, simulate};
use flowcast::stats::{LogHistogram, mean_ci95, t_critical_95};
use flowcast::{Scenario, report};

use generate::{Cap, Options, Spec, spec};

/// Fixed cases and seed: the same scenarios on every run and machine.
fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(0x0f10_ca57),
        failure_persistence: None,
        max_shrink_iters: 2_000,
        max_global_rejects: 4_096,
        ..Config::default()
    }
}

/// Longest a handful of runs of a generated scenario may take before we call it a hang.
const HANG: Duration = Duration::from_secs(10);

/// Runs the engine `runs` times with the run keys of `flowcast run --seed seed`;
/// a run that does not finish within [`HANG`] fails the test instead of hanging it.
fn run_engine(model: &Model, runs: u64, seed: u64) -> Vec<RunSummary> {
    let m = model.clone();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut engine = Engine::new(&m);
        let mut hist = LogHistogram::new();
        let out: Result<Vec<_>, _> = (0..runs)
            .map(|r| engine.run(run_key(seed, r), &mut hist))
            .collect();
        let _ = tx.send(out.map_err(|e| e.to_string()));
    });
    match rx.recv_timeout(HANG) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => panic!("a run failed: {e}"),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{runs} runs did not finish within {HANG:?}: the engine hangs")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the engine panicked"),
    }
}

/// `a` and `b` agree to a relative `tol` (absolute near zero).
fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0)
}

const RUNS: u64 = 4;

proptest! {
    #![proptest_config(config(128))]

    // Proves items are conserved: every item that arrived in a run was either
    // delivered (warm-up included) or is still in the stream when the run ends.
    #[test]
    fn items_are_conserved(s in spec(Options::default())) {
        for (r, run) in run_engine(&s.model(), RUNS, 1).iter().enumerate() {
            prop_assert_eq!(
                run.arrived, run.delivered_all + run.remaining,
                "run {}: arrived {}, delivered {} (all), remaining {}",
                r, run.arrived, run.delivered_all, run.remaining
            );
            prop_assert!(run.delivered <= run.delivered_all);
        }
    }

    // Proves no result depends on the order in which same-time events were
    // recorded, over random scenarios (with classes of service, queue policies
    // and WIP-exempt items among them): every run summary is bit for bit the
    // same when the events of each instant pop in reverse order.
    #[test]
    fn same_time_event_order_changes_nothing(s in spec(Options { constant_only: true, ..Options::default() })) {
        let m = s.model();
        let mut forward = Engine::new(&m);
        let mut reverse = Engine::new(&m);
        reverse.reverse_ties(true);
        for r in 0..RUNS {
            let key = run_key(2, r);
            let a = forward.run(key, &mut LogHistogram::new()).expect("run");
            let b = reverse.run(key, &mut LogHistogram::new()).expect("run");
            prop_assert_eq!(a, b, "run {}", r);
        }
    }

    // Proves lead time is fully accounted for: summed over the counted items of a
    // run, lead time is the time held at the entrance plus, at every stage, the
    // wait before work, the work, the off-hours inside work, the time blocked and
    // the outbox time.
    #[test]
    fn lead_time_is_the_sum_of_its_parts(s in spec(Options::default())) {
        for (r, run) in run_engine(&s.model(), RUNS, 2).iter().enumerate() {
            let parts = run.entry_wait_sum
                + run
                    .stages
                    .iter()
                    .map(|st| st.wait + st.work + st.off_hours + st.blocked + st.outbox)
                    .sum::<f64>();
            prop_assert!(
                close(run.lead_sum, parts, 1e-9),
                "run {}: lead_sum {} but its parts add up to {}",
                r, run.lead_sum, parts
            );
            let active: f64 = run.stages.iter().map(|st| st.work).sum();
            prop_assert!(close(run.active_sum, active, 1e-9));
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    // Proves the stopping rule (SPEC §2.5): an open stream counts exactly
    // `items − warmup` deliveries per run, a backlog exactly its size.
    //
    // Minimal failing scenario today (known defect 2, a batch finishing the run
    // delivers all its items and overshoots `items`): run 0 counts 154, not 153.
    //   arrivals: {rate: 4}
    //   stages: [{name: s0, workers: 1, work: 0.125, process_batch: {max: 3, min: 2}}]
    //   simulation: {items: 153, warmup: 0}
    #[test]
    fn counted_deliveries_are_exact(s in spec(Options::default())) {
        for (r, run) in run_engine(&s.model(), RUNS, 3).iter().enumerate() {
            prop_assert_eq!(run.delivered, s.counted(), "run {}", r);
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    // Proves Little's law where it holds exactly, per run. The WIP integral runs
    // over the window (last warm-up delivery, last delivery]; the counted lead
    // times are those of the items delivered in it. For a backlog everything
    // arrives at 0 and is delivered inside the window, so ∫WIP dt = Σ lead exactly.
    // For an open stream without warm-up the window starts at 0, and the only
    // difference is the items still inside at the end, which add area but no
    // lead time: ∫WIP dt ≥ Σ lead.
    #[test]
    fn littles_law_exact_cases(s in spec(Options::default())) {
        for (r, run) in run_engine(&s.model(), RUNS, 4).iter().enumerate() {
            if s.is_backlog() {
                prop_assert!(
                    close(run.wip_area, run.lead_sum, 1e-9),
                    "run {}: backlog ∫WIP {} ≠ Σ lead {}", r, run.wip_area, run.lead_sum
                );
            } else if s.warmup == 0 {
                prop_assert!(
                    run.wip_area >= run.lead_sum - 1e-9 * run.lead_sum.max(1.0),
                    "run {}: ∫WIP {} < Σ lead {} without warm-up", r, run.wip_area, run.lead_sum
                );
            }
        }
    }

    // Proves Little's law on open Poisson streams in the mean (SPEC §2.5). With a
    // warm-up it is not exact per run: counted items that arrived before the window
    // bring lead time from before it (Σ lead > ∫WIP), items still inside at the end
    // bring area without lead time (∫WIP > Σ lead), so per run
    // L − λW = (∫WIP − Σ lead) / window = (end term − start term) / window.
    // In steady state both terms are sums of the ages of the items inside at a
    // delivery instant, so they nearly cancel in the mean — but not exactly:
    // (1) a stream that starts empty is not in steady state after a short warm-up
    // (at 10 deliveries a stream holding 12 on average may still hold 3), so the
    // warm-up is set from a pilot estimate of L to 5 L (at least 20), with 200
    // counted deliveries after it; (2) with batches or schedules, what is inside at
    // the k-th delivery depends on k's place in the batch cycle, and the warm-up
    // and final deliveries generally sit at different places, so the two terms
    // differ in expectation by up to about one WIP's worth of lead time, L·W. The
    // mean of L − λW over 40 runs must therefore lie within 4 standard errors (from
    // the runs' own spread) plus L·W / window (= L²/n, e.g. 2.5% of L = 5 over
    // n = 200) of 0; a WIP or lead-time accounting error of more than that fails.
    //
    // (A batch finishing the run overshoots `items` today, known defect 2, which
    // moves its extra items from the end term into the counted ones; at n = 200
    // that stays within the allowance.)
    #[test]
    fn littles_law_in_the_mean(s in spec(Options { arrivals: 2, ..Options::default() })
    ) {
        assert_littles_law(s)?;
    }
}

/// Little's law in the mean over 40 runs after a warm-up of 5 L, within 4 SE plus
/// the boundary allowance L·W / window (see `littles_law_in_the_mean`).
fn assert_littles_law(s: Spec) -> Result<(), TestCaseError> {
    let pilot = run_engine(&s.model(), 5, 5);
    let l0 = pilot.iter().map(|r| r.wip_area / r.window).sum::<f64>() / 5.0;
    let warmup = ((5.0 * l0).ceil() as u32).max(20);
    prop_assume!(warmup <= 100, "a stream this full needs longer runs");
    let s = Spec {
        warmup,
        items: warmup + 200,
        ..s
    };
    let runs = run_engine(&s.model(), 40, 5);
    let l: Vec<f64> = runs.iter().map(|r| r.wip_area / r.window).collect();
    let d: Vec<f64> = runs
        .iter()
        .map(|r| (r.wip_area - r.lead_sum) / r.window)
        .collect();
    let ci = mean_ci95(&d);
    let se = ci.half_width() / t_critical_95(d.len() as u64 - 1);
    let wip = mean_ci95(&l).mean;
    let delivered: u64 = runs.iter().map(|r| r.delivered).sum();
    let lead = runs.iter().map(|r| r.lead_sum).sum::<f64>() / delivered as f64;
    let window = runs.iter().map(|r| r.window).sum::<f64>() / runs.len() as f64;
    let boundary = wip * lead / window;
    prop_assert!(
        ci.mean.abs() <= 4.0 * se + boundary,
        "L − λW = {} (SE {}, boundary allowance {}) with L = {}, warm-up {}",
        ci.mean,
        se,
        boundary,
        wip,
        warmup
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(24))]

    // Proves SPEC §2.4: the JSON of a baseline and a what-if variant (paired deltas
    // included) is byte-identical on 1 and 2 threads, over 70 runs (two chunks).
    #[test]
    fn json_is_independent_of_threads(s in spec(Options::default())) {
        let yaml = s.yaml();
        let scenario = Scenario::from_text("property.yaml", &yaml).expect("generated scenarios are valid");
        let what_if = format!("{}.wait=0.25", s.stages[0].name);
        let iv = variants::parse_what_if(&what_if).expect("a valid --what-if");
        let vs = variants::build(&scenario, &[iv])
            .unwrap_or_else(|_| vec![Variant::baseline(&scenario.model)]);
        let json = |threads| {
            let settings = Settings { runs: 70, seed: 6, threads: Some(threads) };
            let outcome = simulate(&vs, &settings, &|| {}).expect("runs finish");
            report::json(&scenario.model, 70, 6, &[], &outcome, None)
        };
        let one = json(1);
        prop_assert!(one == json(2), "JSON differs between 1 and 2 threads");
    }
}

/// Asserts that `b` is `a` with every time multiplied by `k`.
fn assert_scaled(a: &RunSummary, b: &RunSummary, k: f64) -> Result<(), TestCaseError> {
    let t = |x: f64, y: f64, what: &str| -> Result<(), TestCaseError> {
        prop_assert!(close(x * k, y, 1e-9), "{}: {} × {} ≠ {}", what, x, k, y);
        Ok(())
    };
    prop_assert_eq!(a.delivered, b.delivered);
    prop_assert_eq!(a.delivered_all, b.delivered_all);
    prop_assert_eq!(a.arrived, b.arrived);
    prop_assert_eq!(a.events, b.events);
    prop_assert_eq!(a.cycle_n, b.cycle_n);
    t(a.lead_sum, b.lead_sum, "lead_sum")?;
    t(a.lead_max, b.lead_max, "lead_max")?;
    t(a.lead_p50, b.lead_p50, "lead_p50")?;
    t(a.lead_p85, b.lead_p85, "lead_p85")?;
    t(a.lead_p95, b.lead_p95, "lead_p95")?;
    t(a.active_sum, b.active_sum, "active_sum")?;
    t(a.entry_wait_sum, b.entry_wait_sum, "entry_wait_sum")?;
    t(a.window, b.window, "window")?;
    t(a.wip_area, b.wip_area, "wip_area")?;
    t(a.end_time, b.end_time, "end_time")?;
    prop_assert!(
        close(a.efficiency_sum, b.efficiency_sum, 1e-9),
        "efficiency_sum"
    );
    if a.window > 0.0 {
        let (ta, tb) = (a.delivered as f64 / a.window, b.delivered as f64 / b.window);
        prop_assert!(
            close(ta / k, tb, 1e-9),
            "throughput {} / {} ≠ {}",
            ta,
            k,
            tb
        );
    }
    for (i, (x, y)) in a.stages.iter().zip(&b.stages).enumerate() {
        prop_assert_eq!(x.visits, y.visits, "stage {} visits", i);
        t(x.wait, y.wait, "stage wait")?;
        t(x.work, y.work, "stage work")?;
        t(x.outbox, y.outbox, "stage outbox")?;
        t(x.blocked, y.blocked, "stage blocked")?;
        t(x.busy_area, y.busy_area, "stage busy_area")?;
        t(x.queue_area, y.queue_area, "stage queue_area")?;
    }
    for (x, y) in a.types.iter().zip(&b.types) {
        prop_assert_eq!(x.delivered, y.delivered);
        t(x.lead_sum, y.lead_sum, "type lead_sum")?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    // Proves the engine has no built-in time scale: with constant work, waits and
    // intervals (exact multiples of 1/8, so every tie stays a tie), multiplying every
    // duration by k — work, wait, interval, schedule every/first, max_wait, and
    // dividing the rate by k — multiplies every time output by k and throughput by
    // 1/k, for k = 2, ½ and 10, while counts and events stay the same.
    #[test]
    fn scaling_time_scales_every_time(
        s in spec(Options { constant_only: true, ..Options::default() }),
        k in prop_oneof![Just(2.0), Just(0.5), Just(10.0)],
    ) {
        let base = run_engine(&s.model(), RUNS, 7);
        let scaled = run_engine(&s.scaled(k).model(), RUNS, 7);
        for (a, b) in base.iter().zip(&scaled) {
            assert_scaled(a, b, k)?;
        }
    }

    // Proves a stage's name matters only to the items that visit it: renaming a
    // stage that every item type skips (whatever it is: schedule, batches, rework)
    // leaves every run's summary bit for bit the same.
    #[test]
    fn renaming_an_unvisited_stage_changes_nothing(
        s in spec(Options { mix: true, ..Options::default() }),
        at in 0usize..=6,
        ghost in generate::dur(),
    ) {
        let mut with = s.clone();
        let at = at.min(with.stages.len());
        let all: Vec<usize> = (0..s.mix.len()).collect();
        let ghost_stage = generate::StageSpec {
            name: "ghost".into(),
            cap: Cap::Schedule { every: ghost, first: None, capacity: Some(1) },
            work: generate::Dist::Const(ghost),
            wait: Some(generate::Dist::Exp(ghost)),
            handoff: Some((3, None)),
            process: None,
            wip_limit: None,
            rework: None,
            skip: all,
            blocked: None,
            split: None,
        };
        // Rework targets are indices: shift those at or after the insertion.
        for st in &mut with.stages {
            if let Some((_, to, _)) = &mut st.rework && *to >= at {
                *to += 1;
            }
        }
        with.stages.insert(at, ghost_stage);
        prop_assume!(with.is_valid());
        let mut renamed = with.clone();
        renamed.stages[at].name = "renamed-phantom".into();
        prop_assert_eq!(run_engine(&with.model(), RUNS, 8), run_engine(&renamed.model(), RUNS, 8));
    }
}

/// Scenarios where adding a worker at the last stage provably cannot delay anyone:
/// a backlog (every item counted, so sums compare the same items), the last stage
/// a plain FIFO stage of N workers without batches or rework, and no WIP limit
/// that could let its pace feed back upstream.
fn one_more_worker_cases() -> impl Strategy<Value = (Spec, Spec)> {
    spec(Options {
        arrivals: 3,
        stream_wip: false,
        // Under a priority order one more worker can delay an item (a lower-ranked
        // one started sooner holds a worker); the property is FIFO's.
        policies: false,
        ..Options::default()
    })
    .prop_filter_map("a plain last stage", |s| {
        let last = s.stages.last()?;
        let Cap::Workers(n) = last.cap else {
            return None;
        };
        if last.handoff.is_some()
            || last.process.is_some()
            || last.rework.is_some()
            || last.wip_limit.is_some()
            || last.blocked.is_some()
        {
            return None;
        }
        let mut more = s.clone();
        more.stages.last_mut()?.cap = Cap::Workers(n + 1);
        Some((s, more))
    })
}

proptest! {
    #![proptest_config(config(128))]

    // Proves pathwise monotonicity under common random numbers: the stage's arrivals
    // are the same in both variants (nothing downstream feeds back), each item keeps
    // its work (drawn per item and visit), and in a FIFO multi-worker queue the
    // Kiefer–Wolfowitz workload recursion is monotone in the number of workers — so
    // no item waits longer there, and since it is the last stage no item is delivered
    // later: per run, Σ wait at that stage, Σ lead and max lead never grow.
    //
    // It is deliberately the *last* stage: at an inner stage an extra worker lets a
    // long item overtake and reach the next stage first, where a short item then
    // queues behind it, so Σ lead can rise (baseline: B (work 1) reaches a 1-worker
    // test at 1, A (work 10) at 2 → leads 2 and 12; with A sped up to 0.5, B waits
    // behind A → leads 11.5 and 10.5). Open streams are left out because their counted
    // items (deliveries after the warm-up, up to `items`) are not the same set of items
    // when overtaking reorders deliveries.
    #[test]
    fn one_more_worker_never_delays_anyone((base, more) in one_more_worker_cases()) {
        let last = base.stages.len() - 1;
        let a = run_engine(&base.model(), RUNS, 9);
        let b = run_engine(&more.model(), RUNS, 9);
        for (r, (x, y)) in a.iter().zip(&b).enumerate() {
            let tol = |v: f64| v + 1e-9 * v.abs().max(1.0);
            prop_assert!(y.stages[last].wait <= tol(x.stages[last].wait),
                "run {}: Σ wait {} → {}", r, x.stages[last].wait, y.stages[last].wait);
            prop_assert!(y.lead_sum <= tol(x.lead_sum),
                "run {}: Σ lead {} → {}", r, x.lead_sum, y.lead_sum);
            prop_assert!(y.lead_max <= tol(x.lead_max),
                "run {}: max lead {} → {}", r, x.lead_max, y.lead_max);
        }
    }
}

// Proves a backlog finishes when its last item leaves in a partial handoff batch
// at the last stage (SPEC §2.2: "a partial batch moves on as soon as no further
// item can still join it … so a backlog never deadlocks"): one item, batch of 3,
// delivered at 0.125 with lead 0.125. Found by these properties: the engine before
// the three-phase rewrite failed with "the stream stopped flowing at time 0.125
// with 0 items inside" (it looked for a stuck batch after the run was done).
#[test]
fn backlog_ending_in_a_partial_handoff_batch_finishes() {
    let m = Scenario::from_text(
        "hand.yaml",
        "name: hand\ntime_unit: days\narrivals: {backlog: 1}\nstages:\n  \
         - {name: s0, workers: 1, work: 0.125, handoff_batch: 3}\n",
    )
    .expect("a valid scenario")
    .model;
    let mut engine = Engine::new(&m);
    let r = engine
        .run(run_key(1, 0), &mut LogHistogram::new())
        .expect("the backlog is delivered");
    assert_eq!(r.delivered, 1);
    assert_eq!(r.lead_sum, 0.125);
}

// Proves a stage WIP limit that cannot hold a process batch's `min` beside a
// partly filled handoff batch is refused when the scenario is read. Here the
// outbox keeps 1 item waiting for a second (batch of 2), so at most 4 can ever
// queue for a batch that needs 5: the stage stops for good. Found by these
// properties: today it validates, and `flowcast run` piles up 2,000,000 items
// and fails with "overloaded far beyond its capacity", which is not the cause.
#[test]
fn wip_limit_below_process_min_plus_handoff_batch_is_an_error() {
    let yaml = "name: deadlock\ntime_unit: days\narrivals: {rate: 4}\nstages:\n  \
                - {name: s0, workers: 1, work: 0.125, handoff_batch: 2, process_batch: {max: 5, min: 5}, wip_limit: 5}\n  \
                - {name: s1, workers: 1, work: 0.125}\nsimulation: {items: 50, warmup: 0}\n";
    let err = Scenario::from_text("deadlock.yaml", yaml)
        .expect_err("wip_limit 5 cannot hold min 5 beside a partial batch of 2")
        .to_string();
    assert!(err.contains("wip_limit"), "{err}");
}

/// Options for scenarios where one stage may split items into parts.
fn splitting() -> Options {
    Options {
        splits: true,
        ..Options::default()
    }
}

proptest! {
    #![proptest_config(config(96))]

    // Proves the engine's invariants hold when items split (issue 13 item 4):
    // items and children are conserved; a run counts exactly `items − warmup`
    // (or the backlog) deliveries of the items as they arrived; an item's lead
    // time is still the sum of its parts (after the split, its last child's);
    // parents are among the counted items, children are only made by splits;
    // and in a backlog Little's law is exact at every level — ∫ items dt = Σ
    // lead for the stream, the items that split and their children.
    #[test]
    fn splitting_keeps_every_invariant(s in spec(splitting())) {
        for (r, run) in run_engine(&s.model(), RUNS, 12).iter().enumerate() {
            prop_assert_eq!(run.arrived, run.delivered_all + run.remaining, "run {}", r);
            prop_assert_eq!(
                run.children_made,
                run.children_delivered_all + run.children_remaining,
                "run {}: children", r
            );
            prop_assert_eq!(run.delivered, s.counted(), "run {}", r);
            prop_assert!(run.parents.delivered <= run.delivered);
            prop_assert!(run.children_made >= run.parents_made);
            let parts = run.entry_wait_sum
                + run
                    .stages
                    .iter()
                    .map(|st| st.wait + st.work + st.off_hours + st.blocked + st.outbox)
                    .sum::<f64>();
            prop_assert!(close(run.lead_sum, parts, 1e-9),
                "run {}: lead_sum {} but its parts add up to {}", r, run.lead_sum, parts);
            prop_assert!(run.active_sum <= run.lead_sum * (1.0 + 1e-9) + 1e-9);
            if s.is_backlog() {
                prop_assert!(close(run.wip_area, run.lead_sum, 1e-9), "run {}: stream", r);
                prop_assert!(close(run.parents.area, run.parents.lead_sum, 1e-9),
                    "run {}: parents ∫ {} ≠ Σ lead {}", r, run.parents.area, run.parents.lead_sum);
                prop_assert!(close(run.children.area, run.children.lead_sum, 1e-9),
                    "run {}: children ∫ {} ≠ Σ lead {}", r, run.children.area, run.children.lead_sum);
                prop_assert_eq!(run.children.delivered, run.children_made);
            }
        }
    }

    // Proves no result of a splitting stream depends on the order of same-time
    // events: with constant durations (ties everywhere), the summary is bit for
    // bit the same when events of one instant pop in reverse order.
    #[test]
    fn splitting_does_not_depend_on_the_order_of_ties(
        s in spec(Options { constant_only: true, ..splitting() })
    ) {
        let m = s.model();
        let mut forward = Engine::new(&m);
        let mut reverse = Engine::new(&m);
        reverse.reverse_ties(true);
        for r in 0..RUNS {
            let key = run_key(13, r);
            let a = forward.run(key, &mut LogHistogram::new()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let b = reverse.run(key, &mut LogHistogram::new()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(a, b, "run {}", r);
        }
    }

    // Proves a splitting stream has no built-in time scale either: multiplying
    // every duration by k (the part counts stay) multiplies every time output by
    // k, the levels' sums and integrals included, and keeps every count.
    #[test]
    fn splitting_scales_with_time(
        s in spec(Options { constant_only: true, ..splitting() }),
        k in prop_oneof![Just(2.0), Just(0.5), Just(10.0)],
    ) {
        let base = run_engine(&s.model(), RUNS, 14);
        let scaled = run_engine(&s.scaled(k).model(), RUNS, 14);
        for (a, b) in base.iter().zip(&scaled) {
            assert_scaled(a, b, k)?;
            prop_assert_eq!(a.children_made, b.children_made);
            for (x, y) in [(&a.parents, &b.parents), (&a.children, &b.children)] {
                prop_assert_eq!(x.delivered, y.delivered);
                prop_assert!(close(x.lead_sum * k, y.lead_sum, 1e-9));
                prop_assert!(close(x.area * k, y.area, 1e-9));
            }
        }
    }
}
