//! `flowcast calibrate` on a 100,000-row history: the event log of
//! `benches/calibrate.yaml` (8,000 items), read, fitted, workers searched by
//! simulation and the fit check (20 simulated windows) included.
//!
//! `cargo bench --bench calibrate` prints the time per calibration; the row
//! count is printed once before.

use flowcast::Scenario;
use flowcast::analysis::calibrate::pipeline::{Request, calibrate};
use flowcast::analysis::calibrate::{ReadOptions, Workflow};
use flowcast::report::events::write_csv;

fn history() -> (tempfile::TempDir, std::path::PathBuf) {
    let model = Scenario::from_text("benches/calibrate.yaml", include_str!("calibrate.yaml"))
        .expect("the benchmark stream is valid")
        .model;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("history.csv");
    let file = std::fs::File::create(&path).expect("a temporary file");
    write_csv(&model, 1, std::io::BufWriter::new(file), &path).expect("the event log");
    (dir, path)
}

fn request(path: &std::path::Path) -> Request {
    Request {
        paths: vec![path.to_path_buf()],
        read: ReadOptions::default(),
        workflow: Some(
            Workflow::from_text(
                "benches/calibrate.workflow.yaml",
                include_str!("calibrate.workflow.yaml"),
            )
            .expect("the benchmark workflow is valid"),
        ),
        strict: true,
        name: "benchmark".into(),
        out_name: "benchmark.yaml".into(),
        seed: 1,
        check_runs: 20,
        weekdays_only: None,
        version: "bench".into(),
    }
}

/// One whole calibration of the 100,000-row history.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn calibrate_100k_rows(b: divan::Bencher) {
    let (_dir, path) = history();
    let req = request(&path);
    b.bench(|| calibrate(&req).expect("calibration succeeds").items);
}

fn main() {
    let (_dir, path) = history();
    let rows = std::fs::read_to_string(&path)
        .map(|t| t.lines().count().saturating_sub(1))
        .unwrap_or(0);
    println!("history: {rows} rows");
    divan::main();
}
