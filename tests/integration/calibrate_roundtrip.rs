//! Ground truth for `flowcast calibrate`: simulate a known stream, write its
//! event log exactly as `flowcast run --events` does, calibrate the log, and
//! get the known stream back.

use flowcast::Scenario;
use flowcast::analysis::calibrate::fit::{Capacity, Fitted};
use flowcast::analysis::calibrate::pipeline::{Outcome, Request, calibrate};
use flowcast::analysis::calibrate::{ReadOptions, Workflow};
use flowcast::model::{Model, Variant};
use flowcast::report::events::write_csv;
use flowcast::sim::montecarlo::{Settings, simulate};

/// Five stages, 1–4 workers, lognormal work (per type at develop), rework 0.2
/// from test to develop, a weekly release, two item types, 12,000 items.
const TRUTH: &str = "
name: Round trip
time_unit: days
start: 2025-01-06
arrivals:
  rate: 2
  mix: {feature: 0.7, defect: 0.3}
stages:
  - name: analyse
    workers: 2
    work: {dist: lognormal, mean: 0.6, cv: 0.8}
  - name: develop
    workers: 4
    work:
      feature: {dist: lognormal, mean: 1.4, cv: 0.7}
      defect: {dist: lognormal, mean: 0.8, cv: 0.9}
  - name: review
    workers: 1
    work: {dist: lognormal, mean: 0.3, cv: 0.6}
  - name: test
    workers: 3
    work: {dist: lognormal, mean: 0.8, cv: 0.5}
    rework: {probability: 0.2, to: develop, effort: 0.5}
  - name: release
    schedule: {every: 1w}
simulation: {items: 12000, warmup: 1000}
";

const WORKFLOW: &str = "
workflow:
  - {stage: analyse, queue: ['analyse: waiting', 'analyse: finished'], active: ['analyse: in work']}
  - {stage: develop, queue: ['develop: waiting', 'develop: finished'], active: ['develop: in work']}
  - {stage: review, queue: ['review: waiting', 'review: finished'], active: ['review: in work']}
  - {stage: test, queue: ['test: waiting', 'test: finished'], active: ['test: in work']}
  - {stage: release, queue: ['release: waiting'], active: ['release: in work']}
done: [done]
";

/// True work means per stage and type (feature, defect).
const WORK: [(&str, [f64; 2]); 4] = [
    ("analyse", [0.6, 0.6]),
    ("develop", [1.4, 0.8]),
    ("review", [0.3, 0.3]),
    ("test", [0.8, 0.8]),
];
const WORKERS: [u32; 4] = [2, 4, 1, 3];

fn truth() -> Model {
    Scenario::from_text("truth.yaml", TRUTH)
        .expect("the truth scenario is valid")
        .model
}

fn calibrated(dir: &std::path::Path) -> Outcome {
    let path = dir.join("events.csv");
    let file = std::fs::File::create(&path).expect("temp file");
    write_csv(&truth(), 11, file, &path).expect("event log written");
    let req = Request {
        paths: vec![path],
        read: ReadOptions::default(),
        workflow: Some(Workflow::from_text("workflow.yaml", WORKFLOW).expect("workflow")),
        strict: true,
        name: "Round trip (calibrated)".into(),
        out_name: "calibrated.yaml".into(),
        seed: 5,
        check_runs: 4,
        weekdays_only: None,
        version: "test".into(),
    };
    calibrate(&req).expect("calibration succeeds")
}

fn fitted_mean(f: &Fitted) -> f64 {
    f.mean()
}

/// Mean work and its standard error from the fitted sample size: SE = cv·mean/√n.
fn n_of(f: &Fitted) -> usize {
    match f {
        Fitted::Family { n, .. } | Fitted::Empirical { n, .. } => *n,
        _ => 0,
    }
}

#[test]
fn calibrating_a_simulated_log_recovers_the_stream() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = calibrated(dir.path());
    let cal = &out.calibration;
    assert!(
        !cal.weekdays_only,
        "a stream that never stops has no weekday calendar"
    );
    assert!(cal.types.len() == 2, "two item types: {:?}", cal.types);

    // Workers: exactly.
    for (s, w) in WORKERS.iter().enumerate() {
        assert_eq!(
            cal.stages[s].capacity,
            Capacity::Workers(*w),
            "stage {} workers (tried {:?})",
            cal.stages[s].name,
            cal.stages[s].tried
        );
    }

    // Work per stage and type: within 5% (the bar). The bar is only a
    // test if the sample makes 5% more than 3 standard errors.
    for (s, (name, means)) in WORK.iter().enumerate() {
        let st = &cal.stages[s];
        assert_eq!(st.name, *name);
        assert_eq!(st.work_by_type.len(), 2, "{name}: work per type");
        for (t, (ty, f)) in st.work_by_type.iter().enumerate() {
            let truth = if ty == "feature" { means[0] } else { means[1] };
            let _ = t;
            let n = n_of(f);
            assert!(n >= 1000, "{name}/{ty}: {n} visits");
            let m = fitted_mean(f);
            assert!(
                (m - truth).abs() <= 0.05 * truth,
                "{name}/{ty}: fitted mean work {m} vs {truth}"
            );
        }
    }

    // Rework out of test, back to develop: within 3 standard errors.
    let r = cal.stages[3].rework.as_ref().expect("rework at test");
    assert_eq!(r.to, 1, "rework goes back to develop");
    assert!(
        (r.probability - 0.2).abs() <= 3.0 * r.se,
        "rework probability {} ± {}",
        r.probability,
        r.se
    );
    // Effort: rework visits' work ÷ first visits' (0.5 in truth). Its SE is
    // about cv/√(rework visits) ≈ 0.8/√7000 ≈ 1%; 10% is far outside noise.
    assert!((r.effort - 0.5).abs() < 0.05, "rework effort {}", r.effort);
    for (s, st) in cal.stages.iter().enumerate() {
        if s != 3 {
            assert!(st.rework.is_none(), "{}: no rework in truth", st.name);
        }
    }

    // Arrivals: rate within 3 standard errors.
    let a = &cal.arrivals;
    assert!(
        (a.rate - 2.0).abs() <= 3.0 * a.rate_se,
        "arrival rate {} ± {}",
        a.rate,
        a.rate_se
    );
    assert!(
        a.interval.is_none(),
        "Poisson arrivals are fitted as a rate"
    );

    // The release cadence: exactly one week.
    match &cal.stages[4].capacity {
        Capacity::Schedule { every, .. } => assert_eq!(*every, 7.0),
        other => panic!("release is not scheduled: {other:?}"),
    }
    assert!(
        cal.stages.iter().all(|s| s.leftover_wait.is_none()),
        "no stage has a handoff wait in truth: {:?}",
        cal.stages
            .iter()
            .map(|s| s.leftover_wait)
            .collect::<Vec<_>>()
    );

    // The calibrated scenario runs, and its mean lead time is the truth's within 5%.
    let model = Scenario::from_text("calibrated.yaml", &out.text)
        .unwrap_or_else(|e| panic!("calibrated scenario invalid: {e}\n{}", out.text))
        .model;
    let settings = Settings {
        runs: 40,
        seed: 9,
        threads: None,
    };
    let t = simulate(&[Variant::baseline(&truth())], &settings, &|| {}).expect("truth runs");
    let c = simulate(&[Variant::baseline(&model)], &settings, &|| {}).expect("calibrated runs");
    let (lt, lc) = (t.variants[0].lead_time.mean, c.variants[0].lead_time.mean);
    assert!(
        (lc - lt).abs() <= 0.05 * lt,
        "mean lead time: calibrated {lc} vs truth {lt}"
    );

    // The fit check agrees with itself: the simulated stream is the observed one.
    assert_eq!(
        out.check.lead.verdict.word(),
        "close",
        "lead-time KS {} (critical {})",
        out.check.lead.ks,
        out.check.lead.critical
    );
}
