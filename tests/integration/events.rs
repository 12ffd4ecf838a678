//! `flowcast run --events`: the event log of run 1 — hand-computed logs, dates,
//! rework visits, outbox rows, item types, seeds, and the file it writes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{flowcast, model, runs, temp_file};
use flowcast::report::events::write_csv;
use flowcast::sim::engine::RunSummary;

/// One row of a log: key, type, status, timestamp.
type Row = [String; 4];

/// The log of run 1 of `yaml` with `seed`, as text, and the run's summary.
fn log_text(yaml: &str, seed: u64) -> (String, RunSummary) {
    let m = model(yaml);
    let mut out = Vec::new();
    let summary = write_csv(&m, seed, &mut out, Path::new("test.csv")).expect("the log is written");
    (String::from_utf8(out).expect("the log is UTF-8"), summary)
}

/// The rows of a log (header checked and left out).
fn parse(text: &str) -> Vec<Row> {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("key,type,status,timestamp"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 4, "row {l:?}");
            [f[0], f[1], f[2], f[3]].map(String::from)
        })
        .collect()
}

fn log(yaml: &str, seed: u64) -> (Vec<Row>, RunSummary) {
    let (text, s) = log_text(yaml, seed);
    (parse(&text), s)
}

/// Rows as `key status time` lines, for comparing with a hand-written log.
fn brief(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .map(|r| format!("{} {} {}", r[0], r[2], r[3]))
        .collect()
}

/// Each item's rows in order: key → [(status, time)].
fn journeys(rows: &[Row]) -> BTreeMap<String, Vec<(String, f64)>> {
    let mut j: BTreeMap<String, Vec<(String, f64)>> = BTreeMap::new();
    for r in rows {
        let t: f64 = r[3].parse().expect("an undated log has numeric times");
        j.entry(r[0].clone()).or_default().push((r[2].clone(), t));
    }
    j
}

// Items arrive at 1, 2, 3, …; stage a takes 1.5 with one worker, b 0.5.
// a works item 1 over 1–2.5, item 2 over 2.5–4, item 3 over 4–5.5, item 4 over 5.5–7;
// b works each right after a: 2.5–3, 4–4.5, 5.5–6, 7–7.5. The run ends with the fourth
// delivery at 7.5; items 5, 6, 7 arrived at 5, 6, 7, and item 5 started at a at 7.
// Same-time rows: events first (work done, arrival), then decisions stage by stage.
#[test]
fn hand_case_every_row_and_time() {
    let yaml = "name: hand\ntime_unit: days\narrivals: {interval: 1}\n\
                simulation: {items: 4, warmup: 0}\nstages:\n\
                \x20 - {name: a, workers: 1, work: 1.5}\n  - {name: b, workers: 1, work: 0.5}\n";
    let (rows, s) = log(yaml, 1);
    let want = [
        "item-1 a: waiting 1",
        "item-1 a: in work 1",
        "item-2 a: waiting 2",
        "item-1 b: waiting 2.5",
        "item-2 a: in work 2.5",
        "item-1 b: in work 2.5",
        "item-1 done 3",
        "item-3 a: waiting 3",
        "item-2 b: waiting 4",
        "item-4 a: waiting 4",
        "item-3 a: in work 4",
        "item-2 b: in work 4",
        "item-2 done 4.5",
        "item-5 a: waiting 5",
        "item-3 b: waiting 5.5",
        "item-4 a: in work 5.5",
        "item-3 b: in work 5.5",
        "item-3 done 6",
        "item-6 a: waiting 6",
        "item-4 b: waiting 7",
        "item-7 a: waiting 7",
        "item-5 a: in work 7",
        "item-4 b: in work 7",
        "item-4 done 7.5",
    ];
    assert_eq!(brief(&rows), want);
    assert!(rows.iter().all(|r| r[1].is_empty()), "no mix: empty type");
    assert_eq!(s.delivered_all, 4);
}

// The stream holds one item (wip_limit: 1); items arrive every 1.0001 h from
// 2024-12-31 23:00 UTC and take 1.5 h at a. Item 1 arrives at 1.0001 h = 3600.36 s
// → 2025-01-01T00:00:00.360 and works until 2.5001 h (01:30:00.360). Item 2 arrives
// at 2.0002 h (01:00:00.720), is held ("arrived") and enters at 01:30:00.360, when
// item 1 leaves. Item 1 was never held, so it has no "arrived" row.
#[test]
fn dated_log_has_utc_milliseconds_and_held_arrivals() {
    let yaml = "name: dated\ntime_unit: hours\nstart: 2024-12-31T23:00\nwip_limit: 1\n\
                arrivals: {interval: 1.0001}\nsimulation: {items: 2, warmup: 0}\nstages:\n\
                \x20 - {name: a, workers: 1, work: 1.5}\n";
    let (rows, _) = log(yaml, 1);
    let want = [
        "item-1 a: waiting 2025-01-01T00:00:00.360+00:00",
        "item-1 a: in work 2025-01-01T00:00:00.360+00:00",
        "item-2 arrived 2025-01-01T01:00:00.720+00:00",
        "item-1 done 2025-01-01T01:30:00.360+00:00",
        "item-2 a: waiting 2025-01-01T01:30:00.360+00:00",
        "item-2 a: in work 2025-01-01T01:30:00.360+00:00",
    ];
    assert_eq!(brief(&rows)[..6], want);
    // Item 3 arrives at 3.0003 h and is held; item 2 works 1.5 h from 01:30:00.360,
    // and item 3 comes in as it leaves.
    let then = [
        "item-3 arrived 2025-01-01T02:00:01.080+00:00",
        "item-2 done 2025-01-01T03:00:00.360+00:00",
        "item-3 a: waiting 2025-01-01T03:00:00.360+00:00",
    ];
    assert_eq!(brief(&rows)[6..9], then);
}

// Every visit to a stage is its own rows: after b's work an item is either reworked
// (a: waiting again) or done. Visits to a per item are geometric with p = 0.5: mean
// 1/(1−p) = 2, variance p/(1−p)² = 2.
#[test]
fn rework_writes_every_visit() {
    let n = 2000;
    let yaml = format!(
        "name: rw\ntime_unit: days\narrivals: {{rate: 0.2}}\nsimulation: {{items: {n}, warmup: 0}}\n\
         stages:\n  - {{name: a, workers: 1, work: {{dist: exponential, mean: 1}}}}\n\
         \x20 - {{name: b, workers: unlimited, work: 1, rework: {{probability: 0.5, to: a}}}}\n"
    );
    let (rows, s) = log(&yaml, 3);
    let mut visits = Vec::new();
    for (key, j) in journeys(&rows) {
        if j.last().map(|x| x.0.as_str()) != Some("done") {
            continue;
        }
        let names: Vec<&str> = j.iter().map(|x| x.0.as_str()).collect();
        let k = (names.len() - 1) / 4;
        let mut want = Vec::new();
        for _ in 0..k {
            want.extend(["a: waiting", "a: in work", "b: waiting", "b: in work"]);
        }
        want.push("done");
        assert_eq!(names, want, "{key}");
        assert!(
            j.windows(2).all(|w| w[0].1 <= w[1].1),
            "{key} in time order"
        );
        visits.push(k as f64);
    }
    assert_eq!(visits.len() as u64, s.delivered_all);
    let mean = visits.iter().sum::<f64>() / visits.len() as f64;
    let se = (2.0 / visits.len() as f64).sqrt();
    assert!((mean - 2.0).abs() < 4.0 * se, "mean visits {mean}, se {se}");
}

// A backlog of 4, a finishes items at 1, 2, 3, 4 into a handoff batch of 2: batches
// leave at 2 and 4. Items 1 and 3 wait in the outbox (finished at 1 and 3), items 2
// and 4 complete their batch and leave at once (no zero-length finished row). A
// finished row is written when its instant is over, after that instant's other rows.
#[test]
fn handoff_batch_writes_finished_rows_with_positive_durations() {
    let yaml = "name: hand\ntime_unit: days\narrivals: {backlog: 4}\nstages:\n\
                \x20 - {name: a, workers: 1, work: 1, handoff_batch: 2}\n\
                \x20 - {name: b, workers: unlimited, work: 0}\n";
    let (rows, s) = log(yaml, 1);
    let want = [
        "item-1 a: waiting 0",
        "item-2 a: waiting 0",
        "item-3 a: waiting 0",
        "item-4 a: waiting 0",
        "item-1 a: in work 0",
        "item-2 a: in work 1",
        "item-1 a: finished 1",
        "item-1 b: waiting 2",
        "item-2 b: waiting 2",
        "item-3 a: in work 2",
        "item-1 b: in work 2",
        "item-2 b: in work 2",
        "item-1 done 2",
        "item-2 done 2",
        "item-4 a: in work 3",
        "item-3 a: finished 3",
        "item-3 b: waiting 4",
        "item-4 b: waiting 4",
        "item-3 b: in work 4",
        "item-4 b: in work 4",
        "item-3 done 4",
        "item-4 done 4",
    ];
    assert_eq!(brief(&rows), want);
    assert_eq!(s.delivered_all, 4);
    // Every finished row lasts: the item's next row comes later.
    for (key, j) in journeys(&rows) {
        for w in j.windows(2) {
            if w[0].0.ends_with("finished") {
                assert!(w[1].1 > w[0].1, "{key}: {w:?}");
            }
        }
    }
}

// Types come from mix: every row of an item carries its type, and the share of
// features among items is 0.7 within four standard errors √(0.7·0.3/n).
#[test]
fn types_from_the_mix() {
    let yaml = "name: mix\ntime_unit: days\n\
                arrivals: {rate: 1, mix: {feature: 0.7, defect: 0.3}}\n\
                simulation: {items: 3000, warmup: 0}\nstages:\n\
                \x20 - {name: a, workers: 2, work: {dist: exponential, mean: 1}}\n";
    let (rows, _) = log(yaml, 5);
    let mut ty: BTreeMap<&str, &str> = BTreeMap::new();
    for r in &rows {
        assert!(r[1] == "feature" || r[1] == "defect", "{r:?}");
        let first = ty.entry(r[0].as_str()).or_insert(r[1].as_str());
        assert_eq!(*first, r[1], "{} keeps its type", r[0]);
    }
    let n = ty.len() as f64;
    let share = ty.values().filter(|t| **t == "feature").count() as f64 / n;
    let se = (0.7 * 0.3 / n).sqrt();
    assert!((share - 0.7).abs() < 4.0 * se, "share {share}, se {se}");
}

const RANDOM: &str = "name: random\ntime_unit: days\narrivals: {rate: 0.9}\n\
                      simulation: {items: 500, warmup: 0}\nstages:\n\
                      \x20 - {name: a, workers: 1, work: {dist: exponential, mean: 0.5}}\n\
                      \x20 - {name: b, workers: 2, work: {dist: lognormal, mean: 1, cv: 0.5}}\n";

// The log is run 1 of `flowcast run` with the seed: same draws as the engine's
// first run (its mean lead time comes back from the log), the same log for the
// same seed, another for another seed.
#[test]
fn log_is_run_one_of_the_seed() {
    let (a, s) = log_text(RANDOM, 7);
    let (b, _) = log_text(RANDOM, 7);
    let (c, _) = log_text(RANDOM, 8);
    assert_eq!(a, b);
    assert_ne!(a, c);
    let (rs, _) = runs(&model(RANDOM), 1, 7);
    let first = &rs[0];
    assert_eq!(s.delivered_all, first.delivered_all);
    assert_eq!(s.lead_sum, first.lead_sum);
    assert_eq!(first.delivered, first.delivered_all, "no warm-up, no ties");
    let leads: Vec<f64> = journeys(&parse(&a))
        .values()
        .filter(|j| j.last().map(|x| x.0.as_str()) == Some("done"))
        .map(|j| j[j.len() - 1].1 - j[0].1)
        .collect();
    assert_eq!(leads.len() as u64, first.delivered);
    let mean = leads.iter().sum::<f64>() / leads.len() as f64;
    let truth = first.lead_sum / first.delivered as f64;
    assert!((mean - truth).abs() <= 1e-12 * truth, "{mean} vs {truth}");
}

// Warm-up items are in the log too: done rows = every delivery of the run.
#[test]
fn done_rows_count_every_delivery_warm_up_included() {
    let yaml = RANDOM.replace("warmup: 0", "warmup: 100");
    let (rows, s) = log(&yaml, 2);
    let done = rows.iter().filter(|r| r[2] == "done").count() as u64;
    assert_eq!(done, s.delivered_all);
    assert_eq!(s.delivered_all, s.delivered + 100);
    assert_eq!(rows[0][0], "item-1");
}

// The CLI writes the same log as the library for the command's seed, never over an
// existing file unless --force.
#[test]
fn cli_writes_the_log_and_keeps_existing_files() {
    let (dir, scenario) = temp_file("s.yaml", RANDOM);
    let target = dir.path().join("events.csv");
    flowcast()
        .args(["run", "--runs", "3", "--seed", "7", "--quiet", "--events"])
        .arg(&target)
        .arg(&scenario)
        .assert()
        .success();
    let written = std::fs::read_to_string(&target).expect("the log is written");
    assert_eq!(written, log_text(RANDOM, 7).0);

    std::fs::write(&target, "keep").expect("write");
    flowcast()
        .args(["run", "--runs", "3", "--quiet", "--events"])
        .arg(&target)
        .arg(&scenario)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep");

    flowcast()
        .args([
            "run", "--runs", "3", "--seed", "7", "--quiet", "--force", "--events",
        ])
        .arg(&target)
        .arg(&scenario)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&target).expect("read"), written);
}

// A backlog of 3; a takes 1, b (WIP limit 1) takes 2. a finishes items at 1, 2, 3;
// b works item 1 over 1–3, item 2 over 3–5, item 3 over 5–7. Item 2 is blocked in
// a's outbox from 2 to 3, item 3 from 3 to 5: finished rows at 2 and 3; item 1
// enters b at once (no finished row).
#[test]
fn blocked_by_a_wip_limit_writes_finished_rows() {
    let yaml = "name: hand\ntime_unit: days\narrivals: {backlog: 3}\nstages:\n\
                \x20 - {name: a, workers: 1, work: 1}\n\
                \x20 - {name: b, workers: 1, work: 2, wip_limit: 1}\n";
    let (rows, _) = log(yaml, 1);
    let want = [
        "item-1 a: waiting 0",
        "item-2 a: waiting 0",
        "item-3 a: waiting 0",
        "item-1 a: in work 0",
        "item-1 b: waiting 1",
        "item-2 a: in work 1",
        "item-1 b: in work 1",
        "item-3 a: in work 2",
        "item-2 a: finished 2",
        "item-1 done 3",
        "item-2 b: waiting 3",
        "item-2 b: in work 3",
        "item-3 a: finished 3",
        "item-2 done 5",
        "item-3 b: waiting 5",
        "item-3 b: in work 5",
        "item-3 done 7",
    ];
    assert_eq!(brief(&rows), want);
}

// A backlog of 3; a takes 1 (done at 1, 2, 3); release takes everything waiting at
// 2, 4, 6, … and works 0.5. Items 1 and 2 wait for the instant at 2 (item 2 arrives
// just then and is taken too), item 3 for the one at 4: in work at the schedule's
// instants, done half a day later.
#[test]
fn scheduled_stage_is_in_work_at_its_instants() {
    let yaml = "name: hand\ntime_unit: days\narrivals: {backlog: 3}\nstages:\n\
                \x20 - {name: a, workers: 1, work: 1}\n\
                \x20 - {name: release, schedule: {every: 2, first: 2}, work: 0.5}\n";
    let (rows, _) = log(yaml, 1);
    let want = [
        "item-1 a: waiting 0",
        "item-2 a: waiting 0",
        "item-3 a: waiting 0",
        "item-1 a: in work 0",
        "item-1 release: waiting 1",
        "item-2 a: in work 1",
        "item-2 release: waiting 2",
        "item-3 a: in work 2",
        "item-1 release: in work 2",
        "item-2 release: in work 2",
        "item-1 done 2.5",
        "item-2 done 2.5",
        "item-3 release: waiting 3",
        "item-3 release: in work 4",
        "item-3 done 4.5",
    ];
    assert_eq!(brief(&rows), want);
}
