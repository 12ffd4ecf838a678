//! `flowcast calibrate` from the command line: the real AEA history end to end,
//! the JSON contract, files never overwritten, bad input with exit code 2.

use std::path::PathBuf;

use predicates::prelude::*;

use crate::common::{flowcast, scenarios_dir};

fn aea() -> (PathBuf, PathBuf) {
    let s = scenarios_dir();
    (
        s.join("data/aea-jira/transitions.csv"),
        s.join("workflows/aea-jira.workflow.yaml"),
    )
}

#[test]
fn aea_history_calibrates_into_a_scenario_that_runs() {
    let (history, workflow) = aea();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("aea.yaml");
    let report = dir.path().join("report");
    flowcast()
        .arg("calibrate")
        .arg(&history)
        .arg("--workflow")
        .arg(&workflow)
        .arg("--out")
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .args(["--runs", "5"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Fit check"))
        .stdout(predicate::str::contains("lead time (distribution)"))
        .stdout(predicate::str::contains("replicate"));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("Calibrated by flowcast"), "provenance header");
    assert!(
        text.contains("# observed maximum WIP"),
        "max WIP noted per stage"
    );
    for f in [
        "report.html",
        "report.md",
        "summary.json",
        "lead-time-fit.svg",
        "stages-fit.svg",
    ] {
        assert!(report.join(f).is_file(), "{f} in the report");
    }
    // `run` accepts the written scenario unchanged.
    flowcast()
        .arg("run")
        .arg(&out)
        .args(["--runs", "5", "--quiet"])
        .assert()
        .success();
    // Never over an existing file without --force.
    flowcast()
        .arg("calibrate")
        .arg(&history)
        .arg("--workflow")
        .arg(&workflow)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        text,
        "kept as it was"
    );
}

#[test]
fn json_has_the_promised_fields() {
    let (history, workflow) = aea();
    let output = flowcast()
        .arg("calibrate")
        .arg(&history)
        .arg("--workflow")
        .arg(&workflow)
        .args(["--runs", "3", "--json", "-"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(v["items"], 648);
    assert_eq!(v["delivered"], 346);
    assert_eq!(v["window"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["workflow"]["stages"][0]["stage"], "replicate");
    let lead = &v["fit"]["lead_time"];
    for k in ["p50", "p85", "p95", "mean"] {
        assert!(lead["observed"][k].as_f64().unwrap() > 0.0, "observed {k}");
        assert!(
            lead["simulated"][k].as_f64().unwrap() > 0.0,
            "simulated {k}"
        );
    }
    let ks = lead["ks"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&ks));
    assert!(lead["wasserstein"].as_f64().unwrap() >= 0.0);
    assert!(v["fit"]["throughput"]["observed"].as_f64().unwrap() > 0.0);
    let stages = v["fit"]["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 5);
    for s in stages {
        for k in [
            "name",
            "observed_queue",
            "simulated_queue",
            "observed_active",
            "simulated_active",
            "ks",
        ] {
            assert!(!s[k].is_null(), "stage field {k}");
        }
    }
    // Observed throughput per week is the history's own: 346 deliveries over its span.
    let days = 370.05;
    let tp = v["fit"]["throughput"]["observed"].as_f64().unwrap();
    assert!((tp - 346.0 / (days / 7.0)).abs() < 0.05, "throughput {tp}");
}

#[test]
fn an_inferred_workflow_is_printed_and_saved() {
    let (history, _) = aea();
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("workflow.yaml");
    flowcast()
        .arg("calibrate")
        .arg(&history)
        .arg("--write-workflow")
        .arg(&saved)
        .args(["--runs", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Inferred workflow"));
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(
        text.contains("workflow:") && text.contains("done:"),
        "{text}"
    );
    // The saved workflow is read back by --workflow.
    flowcast()
        .arg("calibrate")
        .arg(&history)
        .arg("--workflow")
        .arg(&saved)
        .args(["--runs", "2", "--quiet"])
        .assert()
        .success();
}

#[test]
fn strict_refuses_statuses_outside_the_workflow() {
    let (history, _) = aea();
    let dir = tempfile::tempdir().unwrap();
    let wf = dir.path().join("wf.yaml");
    std::fs::write(
        &wf,
        "workflow:\n  - stage: work\n    queue: [Open]\n    active: [In Progress]\ndone: [Done]\n",
    )
    .unwrap();
    flowcast()
        .arg("calibrate")
        .arg(&history)
        .arg("--workflow")
        .arg(&wf)
        .arg("--strict")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Assigned"));
}

#[test]
fn a_malformed_row_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("h.csv");
    std::fs::write(
        &csv,
        "key,status,timestamp\nA-1,Open,2025-01-02T10:00:00Z\nA-1,Done,not a date\n",
    )
    .unwrap();
    flowcast()
        .arg("calibrate")
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("h.csv"))
        .stderr(predicate::str::contains("3"));
}

#[test]
fn a_stage_with_few_visits_is_warned_about_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("few.csv");
    let mut text = String::from("key,status,timestamp\n");
    for i in 0..12 {
        let d = 1 + i;
        text.push_str(&format!(
            "K-{i},Ready,2025-03-{d:02}T09:00:00Z\nK-{i},Doing,2025-03-{d:02}T10:00:00Z\nK-{i},Done,2025-03-{d:02}T1{}:30:00Z\n",
            i % 7 + 1
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let wf = dir.path().join("wf.yaml");
    std::fs::write(
        &wf,
        "workflow:\n  - stage: build\n    queue: [Ready]\n    active: [Doing]\ndone: [Done]\n",
    )
    .unwrap();
    flowcast()
        .arg("calibrate")
        .arg(&csv)
        .arg("--workflow")
        .arg(&wf)
        .args(["--runs", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("stage build: only 12 visits"));
}

#[test]
fn a_history_without_time_between_moves_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("same.csv");
    std::fs::write(
        &csv,
        "key,status,timestamp\nA-1,Open,2025-01-02T10:00:00Z\nA-1,Done,2025-01-02T10:00:00Z\n",
    )
    .unwrap();
    flowcast()
        .arg("calibrate")
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no time between moves"));
}
