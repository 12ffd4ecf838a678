//! Memory is flat in `--runs`: runs are folded as they arrive, so what a
//! simulation or a forecast holds does not depend on how many runs it made;
//! and requests that could not finish in a week are refused up front.

use predicates::prelude::*;

use crate::common::{flowcast, model, temp_file};
use flowcast::model::Variant;
use flowcast::sim::montecarlo::{Settings, completions, simulate};

/// Runs `yaml`'s baseline and one what-if `runs` times; returns the bytes retained.
fn retained(yaml: &str, runs: u64) -> usize {
    let base = model(yaml);
    let mut faster = base.clone();
    faster.stages[0].capacity = flowcast::model::Capacity::Workers(2);
    let variants = vec![
        Variant::baseline(&base),
        Variant {
            name: "two workers".into(),
            model: faster,
            cost: None,
            cost_per_year: None,
        },
    ];
    let settings = Settings {
        runs,
        seed: 3,
        threads: Some(2),
    };
    let o = simulate(&variants, &settings, &|| {}).expect("runs");
    assert!(
        o.baseline_lead_means.len() <= flowcast::sim::results::REPRESENTATIVE_POOL,
        "the representative pool is bounded"
    );
    o.retained_bytes
}

// Proves the state `run` folds its runs into has a size that does not depend on the
// number of runs (structural, not timed): 1,100 and 3,300 runs of an open stream, and of
// a dated backlog with constant work (one completion date), retain exactly as many bytes.
// Before the fold, every run kept ~94 bytes per variant.
#[test]
fn run_state_does_not_grow_with_runs() {
    let open = "name: m\narrivals: {rate: 0.5}\nsimulation: {items: 30, warmup: 3}\nstages:\n  - {name: a, workers: 1, work: {dist: exponential, mean: 1}}\n";
    assert_eq!(retained(open, 1100), retained(open, 3300));
    let dated = "name: d\ntime_unit: days\nstart: 2027-01-04\narrivals: {backlog: 6}\nstages:\n  - {name: a, workers: 1, work: 1}\n";
    assert_eq!(retained(dated, 1100), retained(dated, 3300));
    let split = "name: s\narrivals: {rate: 0.2}\nsimulation: {items: 30, warmup: 3}\nstages:\n  - {name: a, workers: 1, work: {dist: exponential, mean: 1}, split: {into: {dist: uniform, min: 1, max: 4}}}\n  - {name: b, workers: 2, work: 1}\n";
    assert_eq!(retained(split, 1100), retained(split, 3300));
}

// Proves a forecast's tallies (completion days, counts by the deadline, milestone days)
// are histograms: with constant work every run finishes on the same day, and 10 runs
// retain exactly as many bytes as 5,000.
#[test]
fn forecast_state_does_not_grow_with_runs() {
    let m = model(
        "name: f\ntime_unit: days\nstart: 2027-01-04\narrivals: {backlog: 40}\nstages:\n  - {name: a, workers: 2, work: 1}\n",
    );
    let marks = flowcast::analysis::forecast::milestones(40);
    let day1 = jiff::civil::date(2027, 1, 4);
    let bytes = |runs| {
        let t = completions(&[&m], day1, runs, 1, Some(2), 10.0, &marks, &|| {}).expect("runs");
        assert_eq!(t[0].end_days.values().sum::<u64>(), runs);
        t[0].retained_bytes()
    };
    assert_eq!(bytes(10), bytes(5000));
}

// Proves `--runs` beyond what could finish in a week is refused before running, with exit
// 2 and how long it would take: 10^6 runs (the most `--runs` takes) of 10^7 items ≈
// 3·10^13 events ≈ a month.
#[test]
fn runs_that_cannot_finish_are_refused() {
    let yaml = "name: m\narrivals: {rate: 0.5}\nsimulation: {items: 10000000}\nstages:\n  - {name: a, workers: 1, work: {dist: exponential, mean: 1}}\n";
    let (_d, path) = temp_file("m.yaml", yaml);
    flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "1000000", "--threads", "1", "--quiet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would simulate about"))
        .stderr(predicate::str::contains("over a week"));
    let backlog = "name: b\ntime_unit: days\nstart: 2027-01-04\narrivals: {backlog: 2000000}\nstages:\n  - {name: a, workers: 1, work: 1}\n  - {name: b, workers: 1, work: 1}\n  - {name: c, workers: 1, work: 1}\n  - {name: d, workers: 1, work: 1}\n  - {name: e, workers: 1, work: 1}\n";
    let (_d, path) = temp_file("b.yaml", backlog);
    flowcast()
        .arg("forecast")
        .arg(&path)
        .args(["--runs", "1000000", "--quiet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would simulate about"));
}

/// Counts the heap allocations made on each thread, so a test can measure its own.
struct Counting;

thread_local! {
    static ALLOCATIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

// SAFETY: every call is passed on to the system allocator unchanged; the count
// lives in a const-initialised thread local, which never allocates.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from `alloc` above, that is from the system allocator.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: as for `alloc` and `dealloc`.
        unsafe { std::alloc::System.realloc(ptr, layout, size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Allocations on this thread while `f` runs.
fn allocations(f: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.with(|c| c.get());
    f();
    ALLOCATIONS.with(|c| c.get()) - before
}

// Proves a run in steady state allocates nothing per event, splits included:
// once an engine has run once (its buffers grown), running the same run again
// — tens of thousands of events, hundreds of features split into stories that
// reuse the slots of delivered ones, handoff batches, rework and a WIP limit —
// allocates only the run's summary lists (per stage, per type), a handful.
#[test]
fn a_run_allocates_nothing_per_event() {
    use flowcast::model::keys::run_key;
    use flowcast::sim::engine::Engine;
    use flowcast::stats::LogHistogram;
    let m = model(
        "name: s\ntime_unit: days\narrivals: {rate: 0.4, mix: {feature: 0.7, defect: 0.3}}\n\
         simulation: {items: 3000, warmup: 100}\nstages:\n  \
         - {name: analysis, workers: 2, work: {dist: exponential, mean: 1.5}, split: {into: {dist: uniform, min: 1, max: 5}, types: [feature], as: story}}\n  \
         - {name: build, workers: 3, wip_limit: 8, work: {story: {dist: exponential, mean: 1}, defect: 0.5}}\n  \
         - {name: review, workers: 1, work: {dist: exponential, mean: 0.2}, handoff_batch: {size: 2, max_wait: 1}, rework: {probability: 0.2, to: build}}\n",
    );
    let mut engine = Engine::new(&m);
    let mut hist = LogHistogram::new();
    let key = run_key(9, 0);
    let first = engine.run(key, &mut hist).expect("run");
    let mut again = None;
    let n = allocations(|| again = Some(engine.run(key, &mut hist).expect("run")));
    let again = again.expect("ran");
    assert_eq!(first, again, "the same run twice");
    assert!(
        again.children_made > 1000 && again.events > 20_000,
        "{again:?}"
    );
    assert!(
        n <= 8,
        "a run of {} events allocated {n} times: something allocates per event",
        again.events
    );
}
