//! Streams that cannot settle: overloaded variants and sensitivity probes are
//! flagged before they run and never reported as findings; the starter is stable.

use crate::common::{flowcast, model, temp_file};
use flowcast::analysis::sensitivity;
use flowcast::sim::results::overloaded;

/// Runs `flowcast run` with `args` and returns (JSON on stdout, table on stderr).
fn run_json(path: &std::path::Path, args: &[&str]) -> (serde_json::Value, String) {
    let out = flowcast()
        .arg("run")
        .arg(path)
        .args(args)
        .args(["--json", "-"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let v = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    (v, stderr)
}

const STARTER: &str = include_str!("../../src/scenario/template.yaml");

// Proves the starter `flowcast new` writes is comfortably stable: every stage's offered
// load (rework visits counted) is under 85%, no ±20% sensitivity probe overloads a
// stage, and the simulated utilisation agrees.
#[test]
fn starter_is_comfortably_stable() {
    let m = model(STARTER);
    for (l, s) in m.loads().iter().zip(&m.stages) {
        if let Some(x) = l.load {
            assert!(x < 0.85, "{} is {:.0}% loaded", s.name, x * 100.0);
        }
    }
    for p in sensitivity::probes(&m) {
        assert_eq!(p.overloaded(), [false, false], "{} overloads", p.parameter);
    }
    let (_d, path) = temp_file("starter.yaml", STARTER);
    let (v, _) = run_json(&path, &["--runs", "12", "--sensitivity"]);
    for e in v["sensitivity"].as_array().expect("sensitivity") {
        assert_eq!(e["low_overloaded"], false, "{e}");
        assert_eq!(e["high_overloaded"], false, "{e}");
        assert!(e["low"].is_number() && e["high"].is_number(), "{e}");
    }
    let base = &v["variants"][0];
    assert_eq!(base["overloaded"], serde_json::json!([]));
    for s in base["stages"].as_array().expect("stages") {
        if let Some(u) = s["utilization"].as_f64() {
            assert!(u < 0.85, "{} is {:.0}% busy", s["name"], u * 100.0);
        }
    }
}

// Proves an intervention that removes a worker, leaving develop at 140% load (0.7 × 2 ÷ 1),
// is flagged: `"overloaded": ["develop"]` in its JSON (empty for the baseline) and the
// terminal row says so in place of a change in lead time.
#[test]
fn intervention_that_removes_a_worker_is_overloaded() {
    let yaml = "name: lose a dev\ntime_unit: days\narrivals: {rate: 0.7}\nsimulation: {items: 600, warmup: 60}\nstages:\n  - {name: develop, workers: 2, work: {dist: exponential, mean: 2}}\n  - {name: review, workers: 1, work: 0.2}\ninterventions:\n  - name: one developer leaves\n    set: {develop.workers: 1}\n";
    let (_d, path) = temp_file("lose.yaml", yaml);
    let (v, table) = run_json(&path, &["--runs", "10"]);
    assert_eq!(v["variants"][0]["overloaded"], serde_json::json!([]));
    assert_eq!(v["variants"][1]["name"], "one developer leaves");
    assert_eq!(
        v["variants"][1]["overloaded"],
        serde_json::json!(["develop"])
    );
    let row = table
        .lines()
        .find(|l| l.starts_with("one developer leaves"))
        .unwrap_or_else(|| panic!("no row for the variant:\n{table}"));
    assert!(
        row.contains("overloaded: queue grows without bound (develop)"),
        "{row}"
    );
    // A backlog has no arrival rate: it is never overloaded, however few workers.
    let backlog = model(
        "name: b\narrivals: {backlog: 50}\nstages:\n  - {name: develop, workers: 1, work: 100}\n",
    );
    assert!(overloaded(&backlog).is_empty());
}

// Proves a sensitivity probe that overloads a stage is not given a number: review is 90%
// loaded (0.6 × 1.5), so review work +20% (108%) and arrivals +20% overload it, and the
// JSON has `"high": null` with `"high_overloaded": true`, while the lowered ends are numbers;
// the terminal says "overloaded" in their place and ranks them first.
#[test]
fn sensitivity_probe_that_overloads_is_null() {
    let yaml = "name: sens\ntime_unit: hours\narrivals: {rate: 0.6}\nsimulation: {items: 800, warmup: 80}\nstages:\n  - {name: develop, workers: 3, work: {dist: exponential, mean: 1}}\n  - {name: review, workers: 1, work: {dist: exponential, mean: 1.5}}\n";
    let (_d, path) = temp_file("sens.yaml", yaml);
    let (v, table) = run_json(&path, &["--runs", "12", "--sensitivity"]);
    let effects = v["sensitivity"].as_array().expect("sensitivity");
    for name in ["review work", "arrival rate"] {
        let e = effects
            .iter()
            .find(|e| e["parameter"] == name)
            .unwrap_or_else(|| panic!("{name} probed"));
        assert_eq!(e["high"], serde_json::Value::Null, "{e}");
        assert_eq!(e["high_ci95"], serde_json::Value::Null, "{e}");
        assert_eq!(e["high_overloaded"], true, "{e}");
        assert_eq!(e["low_overloaded"], false, "{e}");
        assert!(e["low"].as_f64().is_some_and(|x| x < 0.0), "{e}");
    }
    let develop = effects
        .iter()
        .find(|e| e["parameter"] == "develop workers")
        .expect("develop workers probed");
    assert!(develop["low"].is_number() && develop["high"].is_number());
    let sens = &table[table.find("Sensitivity").expect("a sensitivity table")..];
    let rows: Vec<&str> = sens.lines().skip(3).take(2).collect();
    for r in &rows {
        assert!(
            r.contains("overloaded: queue grows without bound"),
            "overloaded probes rank first:\n{sens}"
        );
    }
}
