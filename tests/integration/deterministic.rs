//! Hand-computed deterministic cases: constant work and backlogs, so every lead
//! time can be worked out on paper (the derivation is in each test's comment).

use crate::common::{model, runs};
use flowcast::sim::engine::RunSummary;

/// Runs a hand-computed scenario once.
pub(crate) fn one_run(yaml: &str) -> RunSummary {
    let m = model(yaml);
    let (mut rs, _) = runs(&m, 1, 1);
    rs.remove(0)
}

/// A days scenario with a backlog of `n` and the given stage lines.
pub(crate) fn backlog(n: u32, stages: &str) -> String {
    format!("name: hand\ntime_unit: days\narrivals: {{backlog: {n}}}\nstages:\n{stages}")
}

// Proves handoff batches: A finishes items at 1,2,3,4; batches of 2 leave at 2 and 4,
// so lead times are 2,2,4,4 (mean 3) and the outbox holds items 1 and 3 for 1 day each.
#[test]
fn handoff_batch_full_batches() {
    let r = one_run(&backlog(
        4,
        "  - {name: a, workers: 1, work: 1, handoff_batch: 2}\n  - {name: b, workers: unlimited, work: 0}\n",
    ));
    assert_eq!(r.delivered, 4);
    assert_eq!(r.lead_sum, 12.0);
    assert_eq!(r.lead_max, 4.0);
    assert_eq!(r.stages[0].outbox, 2.0);
}

// Proves a partial handoff batch leaves as soon as no further item can join:
// with 5 items the fifth finishes at 5 and leaves alone at once (leads 2,2,4,4,5).
#[test]
fn handoff_batch_partial_at_end_of_backlog() {
    let r = one_run(&backlog(
        5,
        "  - {name: a, workers: 1, work: 1, handoff_batch: 2}\n  - {name: b, workers: 1, work: 1}\n",
    ));
    // b then works 2→3, 3→4, 4→5, 5→6, 6→7 (items queue behind each other).
    // Item 5 reaches b at 5 and starts at 6: leads 3,4,5,6,7.
    assert_eq!(r.delivered, 5);
    assert_eq!(r.lead_sum, 3.0 + 4.0 + 5.0 + 6.0 + 7.0);
    assert_eq!(r.end_time, 7.0);
}

// Proves a handoff batch's max_wait: batch of 3 with max_wait 1.5; A finishes at 1,2,3,4,5.
// The timer starts when item 1 enters the empty outbox (1) and fires at 2.5 → items 1,2 leave;
// item 3 starts a new timer at 3 → fires at 4.5 with items 3,4; item 5 then leaves alone at 5
// (end of backlog). Leads: 2.5, 2.5, 4.5, 4.5, 5.
#[test]
fn handoff_batch_max_wait() {
    let r = one_run(&backlog(
        5,
        "  - {name: a, workers: 1, work: 1, handoff_batch: {size: 3, max_wait: 1.5}}\n  - {name: b, workers: unlimited, work: 0}\n",
    ));
    assert_eq!(r.lead_sum, 2.5 + 2.5 + 4.5 + 4.5 + 5.0);
}

// Proves process batches with a minimum: A releases items at 1..5; test takes 2–3 at once,
// work 4. At 2 two wait → batch done at 6; at 6 items 3,4,5 wait → batch done at 10.
// Leads 6,6,10,10,10; each item is active for its whole batch (4 days) plus 1 at A.
#[test]
fn process_batch_min_and_max() {
    let r = one_run(&backlog(
        5,
        "  - {name: a, workers: 1, work: 1}\n  - {name: test, workers: 1, work: 4, process_batch: {min: 2, max: 3}}\n",
    ));
    assert_eq!(r.lead_sum, 6.0 + 6.0 + 10.0 + 10.0 + 10.0);
    assert_eq!(r.active_sum, 5.0 * 5.0);
    assert_eq!(r.stages[1].work, 20.0);
}

// Proves process batches without a minimum: item 1 starts alone at 1 (done 5), then 2,3,4
// together (done 9), then 5 (done 13). Leads 5,9,9,9,13.
#[test]
fn process_batch_without_min() {
    let r = one_run(&backlog(
        5,
        "  - {name: a, workers: 1, work: 1}\n  - {name: test, workers: 1, work: 4, process_batch: {max: 3}}\n",
    ));
    assert_eq!(r.lead_sum, 5.0 + 9.0 + 9.0 + 9.0 + 13.0);
}

// Proves a partial process batch below `min` starts once no further item can arrive:
// 5 items all waiting at 0, min 4, max 4: batch of 4 at 0 (done 3), then the fifth alone at 3
// (done 6). Leads 3,3,3,3,6.
#[test]
fn process_batch_partial_at_end_of_backlog() {
    let r = one_run(&backlog(
        5,
        "  - {name: test, workers: 1, work: 3, process_batch: {min: 4, max: 4}}\n",
    ));
    assert_eq!(r.lead_sum, 18.0);
}

// Proves schedules with capacity: board meets at 2, 9, 16 (first 2, every 7) and takes at
// most 2 items, each leaving after 1 day of work: leads 3,3,10,10,17; utilisation is not
// defined, and items wait 2, 2, 9, 9, 16 before work.
#[test]
fn schedule_with_capacity() {
    let r = one_run(&backlog(
        5,
        "  - {name: board, schedule: {every: 7, first: 2, capacity: 2}, work: 1}\n",
    ));
    assert_eq!(r.lead_sum, 3.0 + 3.0 + 10.0 + 10.0 + 17.0);
    assert_eq!(r.stages[0].wait, 2.0 + 2.0 + 9.0 + 9.0 + 16.0);
}

// Proves durations with units inside schedules: `every: 1w, first: 2d` in days.
#[test]
fn schedule_durations_with_units() {
    let r = one_run(&backlog(
        1,
        "  - {name: release, schedule: {every: 1w, first: 2d}}\n",
    ));
    assert_eq!(r.lead_sum, 2.0);
}

// Proves the handoff wait: both items enter at 0 and wait 2 days before they can be picked
// up; then one worker does them 2→3 and 3→4. Leads 3 and 4; wait before work 2 and 3.
#[test]
fn handoff_wait() {
    let r = one_run(&backlog(2, "  - {name: a, workers: 1, wait: 2, work: 1}\n"));
    assert_eq!(r.lead_sum, 7.0);
    assert_eq!(r.stages[0].wait, 5.0);
    assert_eq!(r.active_sum, 2.0);
}

// Proves a stage WIP limit pulls: A does 3 items by 1; B (limit 1, work 5) takes one at a
// time, the others wait in A's outbox: B works 1–6, 6–11, 11–16. Leads 6, 11, 16; A's outbox
// holds items 2 and 3 for 5 and 10 days.
#[test]
fn stage_wip_limit_blocks_upstream() {
    let r = one_run(&backlog(
        3,
        "  - {name: a, workers: 3, work: 1}\n  - {name: b, workers: 1, work: 5, wip_limit: 1}\n",
    ));
    assert_eq!(r.lead_sum, 6.0 + 11.0 + 16.0);
    assert_eq!(r.stages[0].outbox, 15.0);
    assert_eq!(r.stages[1].wait, 0.0);
}

// Proves the stream WIP limit (CONWIP): one item at a time although two people could work:
// 0–2, 2–4, 4–6. Lead times 2, 4, 6 include the 0, 2, 4 days held outside.
#[test]
fn stream_wip_limit_holds_items_outside() {
    let mut yaml = backlog(3, "  - {name: a, workers: 2, work: 2}\n");
    yaml.push_str("wip_limit: 1\n");
    let r = one_run(&yaml);
    assert_eq!(r.lead_sum, 12.0);
    assert_eq!(r.entry_wait_sum, 6.0);
}

// Proves cycle time starts at the commitment stage: with the stream held to one item,
// item 2 enters `b` only at 2 and item 3 at 4, so every cycle time is 1 (b's work) + 1 (a).
#[test]
fn commitment_starts_cycle_time() {
    let mut yaml = backlog(
        3,
        "  - {name: a, workers: 1, work: 1}\n  - {name: b, workers: 1, work: 1}\n",
    );
    yaml.push_str("wip_limit: 1\ncommitment: a\n");
    let r = one_run(&yaml);
    assert_eq!(r.cycle_n, 3);
    assert_eq!(r.cycle_sum, 6.0);
    assert_eq!(r.lead_sum, 2.0 + 4.0 + 6.0);
}

// Proves rework: one item, A works 1, B works 2 and sends it back to A with p = 0.5 and
// effort 0.5. Each loop adds 0.5 at A and 1 at B — the factor applies to every stage passed
// again and does not compound — so lead = 3 + 1.5 × (visits to A − 1) in every run, and
// the number of loops is geometric with mean p/(1−p) = 1.
#[test]
fn rework_effort_and_loops() {
    let m = model(&backlog(
        1,
        "  - {name: a, workers: 1, work: 1}\n  - {name: b, workers: 1, work: 2, rework: {probability: 0.5, to: a, effort: 0.5}}\n",
    ));
    let (rs, _) = runs(&m, 4000, 3);
    for r in &rs {
        let loops = r.stages[0].visits as f64 - 1.0;
        assert_eq!(r.lead_sum, 3.0 + 1.5 * loops);
        assert_eq!(r.stages[1].visits, r.stages[0].visits);
        assert_eq!(r.active_sum, r.lead_sum);
    }
    let loops: Vec<f64> = rs.iter().map(|r| r.stages[0].visits as f64 - 1.0).collect();
    // Geometric(0.5) loops: mean 1, variance 2 → SE = sqrt(2/4000).
    crate::common::assert_mean_matches("rework loops", &loops, 1.0);
}

// Proves item types: skipped stages are not visited and per-type work applies. Two types
// drawn 50/50; features take 2 at `a`, defects 1 and skip `b` (work 3).
#[test]
fn item_types_skip_and_per_type_work() {
    let m = model(
        "name: mix\narrivals: {backlog: 200, mix: {feature: 0.5, defect: 0.5}}\nstages:\n  - {name: a, workers: unlimited, work: {feature: 2, defect: 1}}\n  - {name: b, workers: unlimited, work: {feature: 3}, skip: [defect]}\n",
    );
    let (rs, _) = runs(&m, 3, 5);
    for r in &rs {
        let (f, d) = (&r.types[0], &r.types[1]);
        assert_eq!(f.delivered + d.delivered, 200);
        assert!(f.delivered > 60 && d.delivered > 60, "{f:?} {d:?}");
        // No queues: every feature takes exactly 5, every defect 1.
        assert_eq!(f.lead_sum, 5.0 * f.delivered as f64);
        assert_eq!(d.lead_sum, d.delivered as f64);
        assert_eq!(r.stages[1].visits, f.delivered);
    }
}

// Proves the accounting identity on a stream with every feature: each item's lead time
// is exactly its time held outside plus, at every stage, its wait, work and outbox time.
#[test]
fn lead_time_is_the_sum_of_its_parts() {
    let m = model(
        "name: all\narrivals: {rate: 0.9, mix: {feature: 0.7, defect: 0.3}}\nwip_limit: 40\ncommitment: b\nsimulation: {items: 3000, warmup: 300}\nstages:\n  - {name: a, workers: 2, work: {dist: triangular, min: 0.5, mode: 1, max: 3}, handoff_batch: {size: 4, max_wait: 5}}\n  - {name: b, workers: 3, wait: 0.3, work: {feature: {dist: lognormal, mean: 2, cv: 0.8}, defect: {dist: gamma, mean: 1, cv: 0.5}}, wip_limit: 8, rework: {probability: 0.1}}\n  - {name: c, workers: 1, work: {dist: uniform, min: 0.1, max: 0.5}, process_batch: {max: 5}, rework: {probability: 0.2, to: b, effort: 0.5}, skip: [defect]}\n  - {name: d, schedule: {every: 7, first: 1, capacity: 30}, work: 0.1}\n",
    );
    let (rs, _) = runs(&m, 20, 9);
    for r in &rs {
        let parts: f64 = r.entry_wait_sum
            + r.stages
                .iter()
                .map(|s| s.wait + s.work + s.outbox + s.off_hours)
                .sum::<f64>();
        assert!(
            (parts - r.lead_sum).abs() <= 1e-9 * r.lead_sum,
            "lead {} vs parts {parts}",
            r.lead_sum
        );
        assert!(
            (r.active_sum - r.stages.iter().map(|s| s.work).sum::<f64>()).abs()
                <= 1e-9 * r.active_sum
        );
        assert_eq!(r.delivered, 2700);
    }
}

// Proves runs are reproducible: the same run key gives the same summary.
#[test]
fn same_seed_same_run() {
    let m = model(&backlog(
        30,
        "  - {name: a, workers: 2, work: {dist: exponential, mean: 1}}\n",
    ));
    let (a, _) = runs(&m, 5, 77);
    let (b, _) = runs(&m, 5, 77);
    assert_eq!(a, b);
    let (c, _) = runs(&m, 5, 78);
    assert_ne!(a, c);
}
