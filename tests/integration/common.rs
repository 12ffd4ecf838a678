//! Shared helpers: build a model from YAML, run the engine, compare with truth.

use std::path::PathBuf;

use assert_cmd::Command;
use flowcast::Scenario;
use flowcast::model::Model;
use flowcast::model::keys::run_key;
use flowcast::sim::engine::{Engine, RunSummary};
use flowcast::stats::{LogHistogram, mean_ci95, t_critical_95};

/// Parses and validates a scenario written inline.
pub fn model(yaml: &str) -> Model {
    match Scenario::from_text("test.yaml", yaml) {
        Ok(s) => s.model,
        Err(e) => panic!("test scenario is invalid:\n{e}"),
    }
}

/// Runs the engine `runs` times (run keys as in `flowcast run`), returning every
/// run's summary and the pooled lead-time histogram.
pub fn runs(model: &Model, runs: u64, seed: u64) -> (Vec<RunSummary>, LogHistogram) {
    let mut engine = Engine::new(model);
    let mut hist = LogHistogram::new();
    let out = (0..runs)
        .map(|r| {
            engine
                .run(run_key(seed, r), &mut hist)
                .expect("run finishes")
        })
        .collect();
    (out, hist)
}

/// Asserts that the mean of per-run `values` agrees with `truth` within four
/// standard errors of the mean (SE = 95% CI half-width ÷ t). A correct engine
/// fails this with probability below 1 in 10,000 per assertion; a biased one
/// fails as soon as its bias exceeds a few SE.
pub fn assert_mean_matches(label: &str, values: &[f64], truth: f64) {
    let ci = mean_ci95(values);
    let se = ci.half_width() / t_critical_95(values.len() as u64 - 1);
    let err = (ci.mean - truth).abs();
    assert!(
        err <= 4.0 * se,
        "{label}: simulated {:.5} (95% CI {:.5}–{:.5}), theory {truth:.5}: off by {:.1} standard errors",
        ci.mean,
        ci.lo,
        ci.hi,
        err / se
    );
    // The check is only meaningful if the interval is tight relative to the value.
    assert!(
        se < 0.05 * truth.abs().max(1e-9),
        "{label}: the standard error {se:.5} is too wide to test against {truth:.5}"
    );
}

/// Per-run values of a summary field.
pub fn per_run(rs: &[RunSummary], f: impl Fn(&RunSummary) -> f64) -> Vec<f64> {
    rs.iter().map(f).collect()
}

/// The `flowcast` binary.
pub fn flowcast() -> Command {
    Command::cargo_bin("flowcast").expect("the flowcast binary is built")
}

/// Writes `text` into a fresh temporary folder as `name`; returns (folder, path).
pub fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write the test scenario");
    (dir, path)
}

/// The repository's scenarios folder.
pub fn scenarios_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}
