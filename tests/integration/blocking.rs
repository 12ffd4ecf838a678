//! Blocked work (`blocked:` on a stage) against queueing theory and by hand:
//! a block that holds the worker makes the stage an M/G/c whose service is the
//! work plus the block; one that frees the worker leaves it to other work and
//! the item resumes ahead of new work. Also the located input errors, the
//! `--what-if` paths and the results that carry the time blocked.

use flowcast::model::keys::run_key;
use flowcast::sim::engine::{Engine, Record, RunSummary, Status};
use flowcast::stats::LogHistogram;

use crate::common::{assert_mean_matches, flowcast, model, per_run, runs, temp_file};

const RUNS: u64 = 300;

/// One stage of `workers` with exponential work of mean 1, Poisson arrivals at
/// `rate`, blocked with probability `p` for a constant `d`, holding the worker or not.
fn blocked_stream(rate: f64, workers: u32, p: f64, d: f64, holds: bool) -> String {
    format!(
        "name: blocked theory\ntime_unit: hours\narrivals: {{rate: {rate}}}\n\
         simulation: {{items: 4000, warmup: 400}}\nstages:\n\
         \x20 - {{name: serve, workers: {workers}, work: {{dist: exponential, mean: 1}}, \
         blocked: {{probability: {p}, duration: {d}, holds_worker: {holds}}}}}\n"
    )
}

fn mean_of(label: &str, v: &[f64]) {
    let m = flowcast::stats::mean_ci95(v);
    eprintln!(
        "{label}: simulated {:.4} (95% CI {:.4}–{:.4})",
        m.mean, m.lo, m.hi
    );
}

// Proves a block that holds the worker is part of the service time (M/G/1,
// Pollaczek–Khinchine): λ = 0.4, work exponential with mean 1, blocked with
// p = 0.3 for D = 2 at a point drawn anew each time (where does not matter when
// the worker waits). S = work + B with B = D w.p. p: E[S] = 1 + pD = 1.6,
// E[S²] = 2 + 2pD + pD² = 4.4, ρ = λE[S] = 0.64, mean wait before work
// Wq = λE[S²] / (2(1 − ρ)) = 2.444, lead time Wq + E[S] = 4.044, time blocked
// pD = 0.6 per item, utilisation ρ. Each within four standard errors.
#[test]
fn holding_the_worker_is_mg1_pollaczek_khinchine() {
    let (lambda, p, d) = (0.4, 0.3, 2.0);
    let m = model(&blocked_stream(lambda, 1, p, d, true));
    let (rs, _) = runs(&m, RUNS, 41);
    let es = 1.0 + p * d;
    let es2 = 2.0 + 2.0 * p * d + p * d * d;
    let rho = lambda * es;
    let wq = lambda * es2 / (2.0 * (1.0 - rho));
    let wait = per_run(&rs, |r| r.stages[0].wait / r.stages[0].visits as f64);
    mean_of(&format!("M/G/1 wait (theory {wq:.4})"), &wait);
    assert_mean_matches("M/G/1 wait before work", &wait, wq);
    let lead = per_run(&rs, |r| r.lead_sum / r.delivered as f64);
    mean_of(&format!("M/G/1 lead time (theory {:.4})", wq + es), &lead);
    assert_mean_matches("M/G/1 lead time", &lead, wq + es);
    let blocked = per_run(&rs, |r| r.stages[0].blocked / r.delivered as f64);
    mean_of(
        &format!("M/G/1 time blocked (theory {:.4})", p * d),
        &blocked,
    );
    assert_mean_matches("M/G/1 time blocked per item", &blocked, p * d);
    let util = per_run(&rs, |r| r.stages[0].busy_area / r.window);
    mean_of(&format!("M/G/1 utilisation (theory {rho:.4})"), &util);
    assert_mean_matches("M/G/1 utilisation", &util, rho);
    // Blocked time is waiting: the active time is the work alone.
    let active = per_run(&rs, |r| r.active_sum / r.delivered as f64);
    assert_mean_matches("M/G/1 active time per item", &active, 1.0);
}

// Proves the exact figures of an M/G/2 whose blocks hold the worker (its mean
// wait has no closed form, so only these are checked): utilisation λE[S]/c with
// E[S] = 1 + pD (λ = 1, c = 2, p = 0.5, D = 1.2: 0.8), throughput λ, time
// blocked pD = 0.6, active time 1 per item.
#[test]
fn holding_the_worker_in_mg2_is_busy_for_the_block() {
    let (lambda, p, d) = (1.0, 0.5, 1.2);
    let m = model(&blocked_stream(lambda, 2, p, d, true));
    let (rs, _) = runs(&m, 200, 42);
    let util = per_run(&rs, |r| r.stages[0].busy_area / (2.0 * r.window));
    mean_of("M/G/2 utilisation (theory 0.8)", &util);
    assert_mean_matches("M/G/2 utilisation", &util, lambda * (1.0 + p * d) / 2.0);
    let tp = per_run(&rs, |r| r.delivered as f64 / r.window);
    assert_mean_matches("M/G/2 throughput", &tp, lambda);
    let blocked = per_run(&rs, |r| r.stages[0].blocked / r.delivered as f64);
    assert_mean_matches("M/G/2 time blocked per item", &blocked, p * d);
}

// Proves a block that frees the worker costs the worker nothing: λ = 0.4, one
// worker, exponential work of mean 1, blocked half the time for D = 5. Held, the
// load would be 0.4 × (1 + 2.5) = 1.4 (overloaded); freed, the worker is busy
// λE[work] = 0.4 of the time, throughput is λ, the time blocked pD = 2.5 per
// item, the active time 1 — and Little's law holds for the whole stream (WIP =
// λ × lead time; exact up to the window's edges, so within 4 SE of each other).
#[test]
fn freeing_the_worker_keeps_utilisation_at_the_work() {
    let (lambda, p, d) = (0.4, 0.5, 5.0);
    let m = model(&blocked_stream(lambda, 1, p, d, false));
    let (rs, _) = runs(&m, RUNS, 43);
    let util = per_run(&rs, |r| r.stages[0].busy_area / r.window);
    mean_of("freed: utilisation (theory 0.4)", &util);
    assert_mean_matches("freed: utilisation", &util, lambda);
    let tp = per_run(&rs, |r| r.delivered as f64 / r.window);
    assert_mean_matches("freed: throughput", &tp, lambda);
    let blocked = per_run(&rs, |r| r.stages[0].blocked / r.delivered as f64);
    mean_of("freed: time blocked (theory 2.5)", &blocked);
    assert_mean_matches("freed: time blocked per item", &blocked, p * d);
    let active = per_run(&rs, |r| r.active_sum / r.delivered as f64);
    assert_mean_matches("freed: active time per item", &active, 1.0);
    // Little's law per run, with the run's own throughput: WIP = X × lead time
    // (up to the items straddling the window's edges).
    let wip = per_run(&rs, |r| r.wip_area / r.window);
    let xw = per_run(&rs, |r| r.lead_sum / r.window);
    let (w, l) = (
        flowcast::stats::mean_ci95(&wip).mean,
        flowcast::stats::mean_ci95(&xw).mean,
    );
    eprintln!("freed: WIP {w:.4}, throughput × lead {l:.4}");
    assert!((w - l).abs() < 0.01 * w, "Little's law: WIP {w} vs X·W {l}");
    let l = flowcast::stats::mean_ci95(&per_run(&rs, |r| r.lead_sum / r.delivered as f64)).mean;
    // Lead time beyond M/M/1's 1/(1 − 0.4) = 1.67: the block's 2.5 (never queued behind).
    assert!(l > 1.0 / (1.0 - lambda) + p * d - 0.1, "lead {l}");
}

/// One run of `yaml`, with its event log.
fn recorded(yaml: &str) -> (RunSummary, Vec<Record>) {
    let m = model(yaml);
    let mut engine = Engine::new(&m);
    let mut log = Vec::new();
    let r = engine
        .run_recorded(
            run_key(1, 0),
            &mut LogHistogram::new(),
            &mut |rs: &[Record]| log.extend_from_slice(rs),
        )
        .expect("the run finishes");
    (r, log)
}

/// When item `n` (from 1) entered `status`, every time.
fn entries(log: &[Record], n: u64, status: Status) -> Vec<f64> {
    log.iter()
        .filter(|r| r.item == n && r.status == status)
        .map(|r| r.time)
        .collect()
}

// Proves, by hand, a block that frees the worker: one worker, a backlog of 2,
// work 2 each, every visit blocked for 3 after half its work. Item 1 works 0–1,
// is blocked 1–4; the worker takes item 2 at 1 (works 1–2, blocked 2–5); item 1
// resumes at 4 and is done at 5; item 2 queues again at 5, resumes, done at 6.
// Lead times 5 and 6; 3 blocked each; waits 0 and 1; the worker busy 0–2 and
// 4–6, 4 of the 6 hours; the log shows each item in work once.
#[test]
fn a_freed_worker_takes_the_next_item_by_hand() {
    let (r, log) = recorded(
        "name: hand\ntime_unit: days\narrivals: {backlog: 2}\nstages:\n\
         \x20 - {name: dev, workers: 1, work: 2, blocked: {probability: 1, duration: 3, at: 0.5}}\n",
    );
    assert_eq!(r.delivered, 2);
    assert_eq!(r.lead_sum, 5.0 + 6.0);
    assert_eq!(r.lead_max, 6.0);
    assert_eq!(r.end_time, 6.0);
    let st = &r.stages[0];
    assert_eq!(st.blocked, 6.0);
    assert_eq!(st.wait, 1.0);
    assert_eq!(st.work, 4.0);
    assert_eq!(st.busy_area, 4.0);
    assert_eq!(r.active_sum, 4.0);
    assert_eq!(r.efficiency_sum, 2.0 / 5.0 + 2.0 / 6.0);
    assert_eq!(entries(&log, 1, Status::InWork(0)), [0.0]);
    assert_eq!(entries(&log, 2, Status::InWork(0)), [1.0]);
    assert_eq!(entries(&log, 1, Status::Done), [5.0]);
    assert_eq!(entries(&log, 2, Status::Done), [6.0]);
}

// Proves, by hand, that an item back from a block goes ahead of new work: one
// worker, a backlog of 3, work 2, every visit blocked for 1 after half its work.
// Item 1 works 0–1 (blocked 1–2), item 2 works 1–2 (blocked 2–3); at 2 item 1 is
// back and goes before item 3, which has waited since 0: 2–3, done at 3; item 2
// is back at 3 and goes first again: 3–4, done at 4; item 3 works 4–5, is blocked
// 5–6 with the worker idle, and is done at 7. Lead times 3, 4, 7; waits 0, 1, 4.
// In first-come order item 3 would have started at 2.
#[test]
fn back_from_a_block_goes_ahead_of_new_work_by_hand() {
    let (r, _) = recorded(
        "name: hand\ntime_unit: days\narrivals: {backlog: 3}\nstages:\n\
         \x20 - {name: dev, workers: 1, work: 2, blocked: {probability: 1, duration: 1, at: 0.5}}\n",
    );
    assert_eq!(r.lead_sum, 3.0 + 4.0 + 7.0);
    assert_eq!(r.lead_max, 7.0);
    assert_eq!(r.stages[0].wait, 0.0 + 1.0 + 4.0);
    assert_eq!(r.stages[0].blocked, 3.0);
    assert_eq!(r.stages[0].busy_area, 6.0);
}

// Proves, by hand, a block that holds the worker: one worker, a backlog of 2, work
// 2, blocked for 3 after half the work. Item 1 holds the worker 0–5 (work 0–1,
// blocked 1–4, work 4–5); item 2 starts at 5 and is done at 10. The worker is
// busy all 10 hours, though only 4 of them are work.
#[test]
fn a_held_worker_waits_with_the_item_by_hand() {
    let (r, log) = recorded(
        "name: hand\ntime_unit: days\narrivals: {backlog: 2}\nstages:\n\
         \x20 - {name: dev, workers: 1, work: 2, blocked: {probability: 1, duration: 3, holds_worker: true, at: 0.5}}\n",
    );
    assert_eq!(r.lead_sum, 5.0 + 10.0);
    assert_eq!(r.stages[0].wait, 5.0);
    assert_eq!(r.stages[0].blocked, 6.0);
    assert_eq!(r.stages[0].busy_area, 10.0);
    assert_eq!(r.active_sum, 4.0);
    assert_eq!(entries(&log, 2, Status::InWork(0)), [5.0]);
}

// Proves probability 0 changes nothing and `at` bounds are exact: a block at 0
// (before any work) and at 1 (after all of it) of a lone item both add the block
// to its lead time, and probability 0 gives the stream without blocking, draw for
// draw (common random numbers: the work does not depend on the block's draws).
#[test]
fn probability_zero_and_the_ends_of_the_work() {
    let base = "name: hand\ntime_unit: days\narrivals: {rate: 0.5}\nsimulation: {items: 300, warmup: 30}\nstages:\n\
                \x20 - {name: dev, workers: 1, work: {dist: exponential, mean: 1}}\n";
    let zero = base.replace(
        "mean: 1}}",
        "mean: 1}, blocked: {probability: 0, duration: 5}}",
    );
    let (a, _) = runs(&model(base), 5, 3);
    let (b, _) = runs(&model(&zero), 5, 3);
    assert_eq!(a, b);
    for at in ["0", "1"] {
        let (r, _) = recorded(&format!(
            "name: hand\ntime_unit: days\narrivals: {{backlog: 1}}\nstages:\n\
             \x20 - {{name: dev, work: 2, blocked: {{probability: 1, duration: 3, at: {at}}}}}\n"
        ));
        assert_eq!(r.lead_sum, 5.0, "at {at}");
        assert_eq!(r.stages[0].blocked, 3.0, "at {at}");
    }
}

// Proves blocking works with a shared pool, by hand, and that an item back from a
// block goes ahead of new work across the pool: one person serves a (work 2,
// blocked 3 after half) and b (work 1), backlog 2. a: item 1 0–1, item 2 1–2;
// item 1 back at 4, works 4–5 and joins b at 5, when item 2 is back at a: item 2
// goes first (5–6), then b takes item 1 (6–7) and item 2 (7–8). Lead times 7 and
// 8; the person busy 6 of 8 hours. First come first served across the pool would
// have taken item 1 at b at 5 (lead times 6 and 8).
#[test]
fn pools_serve_items_back_from_a_block_first_by_hand() {
    let (r, _) = recorded(
        "name: hand\ntime_unit: hours\narrivals: {backlog: 2}\nresources: {qa: 1}\nstages:\n\
         \x20 - {name: a, workers: qa, work: 2, blocked: {probability: 1, duration: 3, at: 0.5}}\n\
         \x20 - {name: b, workers: qa, work: 1}\n",
    );
    assert_eq!(r.lead_sum, 7.0 + 8.0);
    assert_eq!(r.end_time, 8.0);
    assert_eq!(r.stages[0].blocked, 6.0);
    assert_eq!(r.stages[0].busy_area + r.stages[1].busy_area, 6.0);
}

/// Runs `flowcast check` on `yaml`; asserts exit 2, the message at `needle`'s
/// line and column, and every one of `words`.
fn refused(yaml: &str, needle: &str, words: &[&str]) {
    let (_dir, path) = temp_file("bad.yaml", yaml);
    let out = flowcast()
        .arg("check")
        .arg(&path)
        .output()
        .expect("flowcast runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "exit code for:\n{stderr}");
    let (line, col) = yaml
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, l[..c].chars().count() + 1)))
        .expect("the needle is in the scenario");
    let want = format!("error: {}:{line}:{col}: ", path.display());
    assert!(stderr.starts_with(&want), "expected `{want}` in:\n{stderr}");
    for w in words {
        assert!(stderr.contains(w), "expected `{w}` in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

const STAGE: &str =
    "name: bad\ntime_unit: days\narrivals: {rate: 0.5}\nstages:\n  - name: dev\n    work: 1\n";

// Proves bad blocked work is refused before running, at its line and column, with
// a help line: a probability outside 0–1, an `at` outside 0–1, an unknown key
// (with the nearest), a missing duration, a bad distribution, and blocking on a
// schedule or with a process batch.
#[test]
fn bad_blocked_work_is_located() {
    let bad = |b: &str| format!("{STAGE}    blocked: {b}\n");
    refused(
        &bad("{probability: 1.5, duration: 3d}"),
        "1.5",
        &["blocked.probability is 1.5", "from 0 to 1"],
    );
    refused(
        &bad("{probability: -0.1, duration: 3d}"),
        "-0.1",
        &["blocked.probability is -0.1"],
    );
    refused(
        &bad("{probability: 0.3, duration: 3d, at: 2}"),
        "2}",
        &["blocked.at is 2", "share of the work done"],
    );
    refused(
        &bad("{probability: 0.3, duration: 3d, holds_workers: true}"),
        "holds_workers",
        &["holds_workers", "holds_worker"],
    );
    refused(
        &bad("{probability: 0.3}"),
        "probability: 0.3}",
        &["`duration` is missing"],
    );
    refused(
        &bad("{probability: 0.3, duration: {dist: lognormal, p50: 5d, p90: 2d}}"),
        "{dist",
        &["stage `dev`: blocked.duration"],
    );
    refused(
        &format!(
            "{STAGE}    schedule: {{every: 1w}}\n    blocked: {{probability: 0.3, duration: 1}}\n"
        )
        .replace("    work: 1\n", ""),
        "{probability",
        &["blocked work and a schedule", "put `blocked` on the stage"],
    );
    refused(
        &format!(
            "{STAGE}    process_batch: {{max: 3}}\n    blocked: {{probability: 0.3, duration: 1}}\n"
        ),
        "{probability",
        &["blocked work and a process_batch"],
    );
}

const REVIEW: &str = "name: review blocked\ntime_unit: hours\narrivals: {rate: 0.4}\nsimulation: {items: 4000, warmup: 400}\nstages:\n\
    \x20 - name: review\n    work: {dist: exponential, mean: 1}\n    blocked: {probability: 0.3, duration: 2, holds_worker: true}\n";

// Proves `--what-if 'review.blocked.probability=0.1'` makes a variant with that
// probability (M/G/1 again: E[S] = 1.2, E[S²] = 2.8, ρ = 0.48, lead time
// λE[S²]/(2(1 − ρ)) + E[S] = 2.277, time blocked 0.2 per item), that
// `review.blocked.duration=4` sets the block's length, and that the results JSON
// carries `time_blocked` per stage for every variant.
#[test]
fn what_if_sets_the_block_probability() {
    use flowcast::Scenario;
    use flowcast::scenario::interventions::{build, parse_what_if};
    let s = Scenario::from_text("test.yaml", REVIEW).expect("valid");
    let iv = parse_what_if("review.blocked.probability=0.1").expect("a what-if");
    let variants = build(&s, &[iv]).expect("it applies");
    let b = variants[1].model.stages[0]
        .blocked
        .as_ref()
        .expect("still blocked");
    assert_eq!(b.probability, 0.1);
    assert!(b.holds_worker);
    let (rs, _) = runs(&variants[1].model, RUNS, 44);
    let (lambda, p, d) = (0.4, 0.1, 2.0);
    let (es, es2) = (1.0 + p * d, 2.0 + 2.0 * p * d + p * d * d);
    let lead_theory = lambda * es2 / (2.0 * (1.0 - lambda * es)) + es;
    let lead = per_run(&rs, |r| r.lead_sum / r.delivered as f64);
    mean_of(
        &format!("what-if p = 0.1: lead (theory {lead_theory:.4})"),
        &lead,
    );
    assert_mean_matches("what-if p = 0.1: lead time", &lead, lead_theory);
    let blocked = per_run(&rs, |r| r.stages[0].blocked / r.delivered as f64);
    assert_mean_matches("what-if p = 0.1: time blocked", &blocked, p * d);

    let (_dir, path) = temp_file("review.yaml", REVIEW);
    let out = flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "20", "--quiet", "--json", "-"])
        .args(["--what-if", "review.blocked.probability=0.1"])
        .args(["--what-if", "review.blocked.duration=4"])
        .output()
        .expect("flowcast runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let blocked: Vec<f64> = json["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .map(|v| {
            v["stages"][0]["time_blocked"]
                .as_f64()
                .expect("time_blocked")
        })
        .collect();
    assert_eq!(blocked.len(), 3);
    // 20 runs of 3,600 items: within 5% of pD = 0.6, 0.2 and 1.2.
    assert!((blocked[0] - 0.6).abs() < 0.03, "{blocked:?}");
    assert!((blocked[1] - 0.2).abs() < 0.01, "{blocked:?}");
    assert!((blocked[2] - 1.2).abs() < 0.06, "{blocked:?}");
}

// Proves a bad blocked path names the fields a block has.
#[test]
fn bad_blocked_paths_are_refused() {
    let (_dir, path) = temp_file("review.yaml", REVIEW);
    let out = flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "2", "--what-if", "review.blocked.chance=0.1"])
        .output()
        .expect("flowcast runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("blocked has no field `chance`"), "{stderr}");
}

// Proves the stage table says how much of the waiting is blocked, and check lists
// the block among the stage's policies.
#[test]
fn the_stage_table_and_check_show_blocking() {
    let (_dir, path) = temp_file("review.yaml", REVIEW);
    let out = flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "5"])
        .output()
        .expect("flowcast runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("of it blocked"), "{stdout}");
    let out = flowcast().arg("check").arg(&path).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .contains("blocked 30% of visits for 2.00, at a random point of the work, worker held"),
        "{stdout}"
    );
    // The held block counts in the load: 0.4 × (1 + 0.6) = 64%.
    assert!(stdout.contains("64%"), "{stdout}");
}

// Proves, by hand, that an item back from a block goes ahead of new work under
// a priority queue too, whatever the classes: one worker, a backlog of 3
// (features and incidents, incidents first), work 2, every visit blocked for 1
// after half. Whichever items they are, the first started is back at 2 and goes
// before the third (which may be an incident), done at 3; the second is back at
// 3 and done at 4; the third works 4–5, blocked 5–6, done at 7: lead times sum
// to 3 + 4 + 7 in every run. Were a resumed feature ranked by its class, an
// incident waiting since 0 would start at 2 in the runs that draw one last.
#[test]
fn back_from_a_block_goes_ahead_under_a_priority_queue_by_hand() {
    let m = model(
        "name: hand\ntime_unit: days\narrivals: {backlog: 3, mix: {feature: 0.5, incident: 0.5}}\n\
         classes: {expedite: {types: [incident], priority: 0}}\nqueue: priority\nstages:\n\
         \x20 - {name: dev, workers: 1, work: 2, blocked: {probability: 1, duration: 1, at: 0.5}}\n",
    );
    let mut engine = Engine::new(&m);
    for k in 0..40 {
        let r = engine
            .run(run_key(7, k), &mut LogHistogram::new())
            .expect("the run finishes");
        assert_eq!(r.lead_sum, 3.0 + 4.0 + 7.0, "run {k}");
        assert_eq!(r.stages[0].wait, 0.0 + 1.0 + 4.0, "run {k}");
    }
}
