//! One decision per instant (SPEC §2.2): everything that happens at the same
//! simulated time is applied first, then decisions are taken once on the state
//! at the end of the instant; no result depends on the order in which same-time
//! events were recorded. And a run counts exactly `items − warmup` deliveries.
//! Each case is hand-computed (the derivation is in its comment).

use crate::common::model;
use crate::deterministic::{backlog, one_run};
use flowcast::model::keys::run_key;
use flowcast::sim::engine::Engine;
use flowcast::stats::LogHistogram;

// Proves simultaneous arrivals form full process batches: 8 items all finish `dev` at
// t=1 and reach `test` together, so test runs two full batches of 4, 1→3 and 3→5:
// leads 3 (×4) and 5 (×4), mean 4.0, max 5.0. (Deciding per arriving item gave
// batches of 1, 4 and 3: mean 5.5, max 7.)
#[test]
fn simultaneous_arrivals_fill_process_batches() {
    let r = one_run(&backlog(
        8,
        "  - {name: dev, workers: unlimited, work: 1}\n  - {name: test, workers: 1, work: 2, process_batch: {max: 4}}\n",
    ));
    assert_eq!(r.delivered, 8);
    assert_eq!(r.lead_sum / 8.0, 4.0);
    assert_eq!(r.lead_max, 5.0);
    assert_eq!(r.end_time, 5.0);
}

// Proves a backlog that starts at t=0 straight into a process batch is one batch:
// 5 items wait at 0, max 5, work 2 → every lead time is 2.
#[test]
fn backlog_at_time_zero_is_one_batch() {
    let r = one_run(&backlog(
        5,
        "  - {name: test, workers: 1, work: 2, process_batch: {max: 5}}\n",
    ));
    assert_eq!(r.lead_sum, 10.0);
    assert_eq!(r.lead_max, 2.0);
}

// Proves a handoff batch that releases several items at once feeds one process
// batch: six items finish `a` at 1 and leave in two batches of 3 at that instant;
// `test` takes all six in one batch 1→3: every lead time is 3.
#[test]
fn handoff_release_feeds_one_process_batch() {
    let r = one_run(&backlog(
        6,
        "  - {name: a, workers: unlimited, work: 1, handoff_batch: 3}\n  - {name: test, workers: 1, work: 2, process_batch: {max: 6}}\n",
    ));
    assert_eq!(r.lead_sum, 18.0);
    assert_eq!(r.lead_max, 3.0);
}

// Proves a process batch that finishes the run does not overshoot `items`:
// arrivals at 1, 2, 3, …; one tester takes up to 10 waiting items, 4.3 days a batch.
// Batches: {1} 1→5.3, {2..5} 5.3→9.6, {6..9} 9.6→13.9, {10..13} 13.9→18.2.
// The 10th delivery is item 10 at 18.2; warm-up = items 1 and 2 (the window opens
// at 9.6). Counted: items 3..10 = 8 deliveries, leads 6.6 5.6 4.6 7.9 6.9 5.9 4.9 8.2,
// mean 6.325; throughput 8 / (18.2 − 9.6) = 0.930. (Counting the whole last batch gave
// 11 deliveries and throughput 1.279.)
#[test]
fn a_last_process_batch_counts_only_up_to_items() {
    let r = one_run(
        "name: hand\ntime_unit: days\narrivals: {interval: 1}\nstages:\n  - {name: test, workers: 1, work: 4.3, process_batch: {max: 10}}\nsimulation: {items: 10, warmup: 2}\n",
    );
    assert_eq!(r.delivered, 8);
    assert!(
        (r.lead_sum / 8.0 - 6.325).abs() < 1e-9,
        "{}",
        r.lead_sum / 8.0
    );
    assert!((r.window - 8.6).abs() < 1e-9, "{}", r.window);
    assert!((r.delivered as f64 / r.window - 8.0 / 8.6).abs() < 1e-9);
    // Little's law holds on the window: WIP area / window = throughput × mean lead time
    // only approximately per run, but the area must cover the counted items' time there.
    assert!(r.wip_area > 0.0);
}

// Proves a handoff batch on the last stage does not overshoot either: arrivals at
// 1, 2, …, work 0.5 with unlimited workers, batches of 4. Items 1–4 leave at 4.5
// (leads 3.5 2.5 1.5 0.5), items 5–8 at 8.5; `items: 6` counts items 5 and 6 only
// (leads 3.5, 2.5): 6 deliveries, Σ lead 14.
#[test]
fn a_last_handoff_batch_counts_only_up_to_items() {
    let r = one_run(
        "name: hand\ntime_unit: days\narrivals: {interval: 1}\nstages:\n  - {name: a, workers: unlimited, work: 0.5, handoff_batch: 4}\nsimulation: {items: 6, warmup: 0}\n",
    );
    assert_eq!(r.delivered, 6);
    assert!((r.lead_sum - 14.0).abs() < 1e-9, "{}", r.lead_sum);
    assert_eq!(r.end_time, 8.5);
}

// Proves an item that reaches a scheduled stage at the very instant of a tick goes
// with it: arrivals at 7, 14, 21; the release happens every 7 days from day 7.
// Every lead time is 0.
#[test]
fn an_item_arriving_at_a_tick_leaves_with_it() {
    let r = one_run(
        "name: hand\ntime_unit: days\narrivals: {interval: 7}\nstages:\n  - {name: release, schedule: {every: 7}}\nsimulation: {items: 3, warmup: 0}\n",
    );
    assert_eq!(r.delivered, 3);
    assert_eq!(r.lead_sum, 0.0);
}

// Proves a schedule costs nothing while idle: a release every 0.001 days over a run
// of about 200 days would tick 200,000 times; only instants with items waiting
// count, so the run processes a few events per item.
#[test]
fn idle_schedules_cost_nothing() {
    let r = one_run(
        "name: hand\ntime_unit: days\narrivals: {rate: 1}\nstages:\n  - {name: a, workers: 1, work: {dist: exponential, mean: 0.5}}\n  - {name: release, schedule: {every: 0.001}}\nsimulation: {items: 200, warmup: 0}\n",
    );
    assert_eq!(r.delivered, 200);
    assert!(r.events < 5 * 200, "{} events for 200 items", r.events);
    // Each item waits less than one period for its release.
    assert!(r.stages[1].wait <= 200.0 * 0.001 + 1e-9);
}

// Proves nothing is allocated per worker: two billion workers with process batches
// run like unlimited ones (each item alone, lead = work).
#[test]
fn huge_worker_counts_allocate_nothing() {
    let r = one_run(&backlog(
        50,
        "  - {name: test, workers: 2147483647, work: 2, process_batch: {max: 10}}\n",
    ));
    assert_eq!(r.delivered, 50);
    assert_eq!(r.lead_max, 2.0);
}

/// Scenarios full of same-instant events: constant work, backlogs, batches of every
/// kind, schedules, WIP limits, CONWIP, rework, item types, shared pools, classes
/// of service, queue policies and blocked work.
const TIED: &[&str] = &[
    "arrivals: {backlog: 23}\nstages:\n  - {name: dev, workers: unlimited, work: 1}\n  - {name: test, workers: 1, work: 2, process_batch: {max: 4, min: 2}}\n",
    "arrivals: {backlog: 17}\nstages:\n  - {name: a, workers: 3, work: 1, handoff_batch: 2}\n  - {name: b, workers: 2, work: 1, wip_limit: 3}\n  - {name: c, workers: 1, work: 0.5, handoff_batch: {size: 3, max_wait: 1}}\n",
    "arrivals: {interval: 0.5}\nwip_limit: 4\nstages:\n  - {name: a, workers: 2, work: 1}\n  - {name: board, schedule: {every: 2, capacity: 3}, work: 0.5}\n  - {name: b, workers: 1, work: 0.25, rework: {probability: 0.3, to: a, effort: 0.5}}\nsimulation: {items: 120, warmup: 10}\n",
    "arrivals: {backlog: 30, mix: {feature: 0.6, defect: 0.4}}\nstages:\n  - {name: a, workers: 2, work: {feature: 2, defect: 1}}\n  - {name: b, workers: 1, skip: [defect], work: 1, wip_limit: 2}\n  - {name: c, workers: 2, wait: 1, work: 1, process_batch: {max: 5}}\n  - {name: release, schedule: {every: 3, first: 1}}\n",
    "arrivals: {interval: 1}\nstages:\n  - {name: a, workers: 2, work: 2, handoff_batch: {size: 3, max_wait: 2}}\n  - {name: b, workers: 1, work: 1, wip_limit: 2, process_batch: {max: 2}}\n  - {name: c, workers: 1, work: 0.5, rework: {probability: 0.4, to: b}}\nsimulation: {items: 80, warmup: 5}\n",
    "arrivals: {interval: 1}\nresources: {qa: 2}\nstages:\n  - {name: a, workers: qa, work: 1}\n  - {name: b, workers: 1, work: 1, wip_limit: 2}\n  - {name: c, workers: qa, work: 2, rework: {probability: 0.3, to: a}}\nsimulation: {items: 80, warmup: 5}\n",
    "arrivals: {backlog: 20}\nresources: {qa: 3}\nstages:\n  - {name: a, workers: qa, work: 1, handoff_batch: 2}\n  - {name: b, workers: qa, work: 1}\n  - {name: c, workers: qa, wait: 1, work: 1}\n",
    "arrivals: {backlog: 30, mix: {feature: 0.6, incident: 0.4}}\nwip_limit: 5\nclasses: {expedite: {types: [incident], priority: 0, wip_exempt: true}}\nqueue: priority\nstages:\n  - {name: a, workers: 2, work: {feature: 2, incident: 1}}\n  - {name: b, workers: 1, work: 1, wip_limit: 2}\n  - {name: c, workers: 2, work: 1, process_batch: {max: 3}}\n  - {name: release, schedule: {every: 3, capacity: 4}}\n",
    "arrivals: {interval: 1, mix: {x: 0.5, z: 0.5}}\nresources: {qa: 2}\nclasses: {fast: {types: [x], due: 3}}\nqueue: due_date\neconomics: {cost_of_delay: 10}\nstages:\n  - {name: a, workers: qa, work: {x: 1, z: 2}}\n  - {name: b, workers: 1, work: 1, queue: shortest_first}\n  - {name: c, workers: qa, work: 2, rework: {probability: 0.3, to: a}}\n  - {name: d, workers: 1, work: {x: 0.5, z: 1}, queue: wsjf}\nsimulation: {items: 80, warmup: 5}\n",
    // Blocked work: blocks ending as others start, resumed items tying with new ones.
    "arrivals: {backlog: 24, mix: {feature: 0.5, defect: 0.5}}\nstages:\n  - {name: a, workers: 2, work: {feature: 2, defect: 1}, blocked: {probability: 0.5, duration: 1, at: 0.5}}\n  - {name: b, workers: 1, work: 1, wip_limit: 3, blocked: {probability: 0.4, duration: 2, holds_worker: true, at: 0.5}}\n  - {name: c, workers: unlimited, work: 1, blocked: {probability: 1, duration: 1, at: 0}, handoff_batch: 2}\n",
    "arrivals: {interval: 1}\nresources: {qa: 2}\nstages:\n  - {name: a, workers: qa, work: 2, blocked: {probability: 0.6, duration: 1, at: 0.5}}\n  - {name: b, workers: 1, work: 1, rework: {probability: 0.3, to: a}, blocked: {probability: 0.5, duration: {dist: exponential, mean: 2}}}\n  - {name: c, workers: qa, work: 1, blocked: {probability: 0.5, duration: 2, at: 1}}\nsimulation: {items: 80, warmup: 5}\n",
    // Blocked work in ranked queues and a pool: resumed items go ahead of new ones by any policy.
    "arrivals: {backlog: 30, mix: {feature: 0.5, incident: 0.5}}\nresources: {qa: 2}\nclasses: {expedite: {types: [incident], priority: 0}}\nqueue: priority\nstages:\n  - {name: a, workers: qa, work: {feature: 2, incident: 1}, blocked: {probability: 0.5, duration: 1, at: 0.5}}\n  - {name: b, workers: 1, work: 1, queue: shortest_first, blocked: {probability: 0.5, duration: 2, at: 0.5}}\n  - {name: c, workers: qa, work: 1, blocked: {probability: 0.5, duration: 1, at: 0}}\n",
];

// Proves decisions do not depend on the order in which same-time events were
// recorded: every scenario above gives the identical run summary (every sum, every
// time integral, every percentile) when events of one instant pop in reverse order.
#[test]
fn results_do_not_depend_on_the_order_of_same_time_events() {
    for (i, body) in TIED.iter().enumerate() {
        let m = model(&format!("name: tied\ntime_unit: days\n{body}"));
        let mut forward = Engine::new(&m);
        let mut reverse = Engine::new(&m);
        reverse.reverse_ties(true);
        for r in 0..5 {
            let key = run_key(3, r);
            let a = forward.run(key, &mut LogHistogram::new()).expect("run");
            let b = reverse.run(key, &mut LogHistogram::new()).expect("run");
            assert_eq!(
                a, b,
                "scenario {i}, run {r}: the order of same-time events changed the result"
            );
        }
    }
}
