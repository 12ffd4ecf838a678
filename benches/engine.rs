//! The SPEC §6 yardstick: runs per second on the benchmark model (10 stages × 2
//! workers, exponential work of mean 1, Poisson arrivals at 1.6, 2,000 items a
//! run, no warm-up), on one thread and on all cores.
//!
//! `cargo bench` prints time per batch of 256 runs and, as `item/s`, runs per
//! second; the events-per-run figure is printed once before the benchmarks.

use divan::counter::ItemsCount;
use flowcast::Scenario;
use flowcast::model::Model;
use flowcast::model::Variant;
use flowcast::sim::montecarlo::{Settings, simulate};

const RUNS: u64 = 256;

fn model() -> Model {
    Scenario::from_text("benches/benchmark.yaml", include_str!("benchmark.yaml"))
        .expect("the benchmark model is valid")
        .model
}

fn go(threads: usize) -> u64 {
    let variants = vec![Variant::baseline(&model())];
    let settings = Settings {
        runs: RUNS,
        seed: 1,
        threads: Some(threads),
    };
    simulate(&variants, &settings, &|| {})
        .expect("the benchmark runs")
        .events
}

/// 64 runs on one thread.
#[divan::bench(sample_count = 8)]
fn one_thread(b: divan::Bencher) {
    b.counter(ItemsCount::new(RUNS)).bench(|| go(1));
}

/// 64 runs on all cores.
#[divan::bench(sample_count = 8)]
fn all_cores(b: divan::Bencher) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    b.counter(ItemsCount::new(RUNS)).bench(|| go(cores));
}

fn main() {
    println!("events per run: {}", go(1) / RUNS);
    divan::main();
}
