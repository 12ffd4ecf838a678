//! What-if comparisons: interventions against theory and hand computation,
//! common random numbers, economics, sensitivity and bad paths.

use predicates::prelude::*;

use crate::common::{assert_mean_matches, flowcast, temp_file};
use flowcast::Scenario;
use flowcast::scenario::interventions::{build, from_file, parse_what_if};
use flowcast::sim::montecarlo::{Settings, simulate};
use flowcast::sim::results::Outcome;
use flowcast::stats::{mean_ci95, t_critical_95};

/// Runs the scenario's baseline, its file interventions and the given what-ifs.
fn compare(yaml: &str, what_ifs: &[&str], runs: u64, seed: u64) -> Outcome {
    let s = Scenario::from_text("test.yaml", yaml).unwrap_or_else(|e| panic!("{e}"));
    let mut ivs = from_file(&s).unwrap_or_else(|e| panic!("{e}"));
    for w in what_ifs {
        ivs.push(parse_what_if(w).unwrap_or_else(|e| panic!("{e}")));
    }
    let variants = build(&s, &ivs).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings {
        runs,
        seed,
        threads: None,
    };
    simulate(&variants, &settings, &|| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// Per variant, each run's mean lead time, from the engine run by run with the run
/// keys `simulate` uses (which keeps none of them: it folds them as they come).
struct PerRun(Vec<Vec<f64>>);

fn per_run(yaml: &str, what_ifs: &[&str], runs: u64, seed: u64) -> PerRun {
    let s = Scenario::from_text("test.yaml", yaml).unwrap_or_else(|e| panic!("{e}"));
    let mut ivs = from_file(&s).unwrap_or_else(|e| panic!("{e}"));
    for w in what_ifs {
        ivs.push(parse_what_if(w).unwrap_or_else(|e| panic!("{e}")));
    }
    let variants = build(&s, &ivs).unwrap_or_else(|e| panic!("{e}"));
    PerRun(
        variants
            .iter()
            .map(|v| {
                let (rs, _) = crate::common::runs(&v.model, runs, seed);
                rs.iter().map(|r| r.lead_sum / r.delivered as f64).collect()
            })
            .collect(),
    )
}

fn lead_means(p: &PerRun, v: usize) -> Vec<f64> {
    p.0[v].clone()
}

fn paired_diffs(p: &PerRun, v: usize) -> Vec<f64> {
    p.0[v].iter().zip(&p.0[0]).map(|(a, b)| a - b).collect()
}

/// Asserts the folded delta of variant `v` equals the two-pass statistics of the
/// per-run differences: the mean exactly, the CI to rounding.
fn assert_folded_matches(o: &Outcome, p: &PerRun, v: usize) {
    let d = o.variants[v].delta.as_ref().expect("a delta");
    let ci = mean_ci95(&paired_diffs(p, v));
    assert_eq!(d.lead_time_mean, ci.mean, "folded mean");
    for (a, b) in d.lead_time_mean_ci95.iter().zip([ci.lo, ci.hi]) {
        assert!(
            (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            "folded CI {a} vs {b}"
        );
    }
    let m = mean_ci95(&lead_means(p, v));
    assert_eq!(o.variants[v].lead_time.mean_ci95.len(), 2);
    assert!((o.variants[v].lead_time.mean_ci95[0] - m.lo).abs() <= 1e-9 * m.lo.abs().max(1.0));
}

const MM1: &str = "name: mm1\ntime_unit: hours\narrivals: {rate: 0.8}\nsimulation: {items: 4000, warmup: 400}\nstages:\n  - {name: serve, workers: 1, work: {dist: exponential, mean: 1}}\n";

// Proves `--what-if serve.workers=2` turns M/M/1 into M/M/2 and matches Erlang C:
// λ = 0.8, μ = 1, c = 2 → C = 0.2286, W = C/(2 − 0.8) + 1 = 1.1905.
#[test]
fn adding_a_worker_matches_erlang_c() {
    let o = compare(MM1, &["serve.workers=2"], 300, 21);
    let p = per_run(MM1, &["serve.workers=2"], 300, 21);
    assert_folded_matches(&o, &p, 1);
    assert_eq!(o.variants[1].name, "serve.workers=2");
    let a: f64 = 0.8;
    let c = (a * a / 2.0 * 2.0 / (2.0 - a)) / (1.0 + a + a * a / 2.0 * 2.0 / (2.0 - a));
    assert_mean_matches("M/M/2 via what-if", &lead_means(&p, 1), c / 1.2 + 1.0);
    assert_mean_matches("M/M/1 baseline", &lead_means(&p, 0), 5.0);
    let d = o.variants[1].delta.as_ref().expect("a delta");
    assert!(
        d.lead_time_mean_ci95[1] < 0.0 && d.share_of_runs_faster > 0.99,
        "{d:?}"
    );
}

// Proves halving a rework probability in a Jackson network with feedback matches the
// traffic equations: b sends items back to a with p = 0.25 → 0.125 (λ = 0.5,
// μa = 1.25, μb = 1.5): λᵢ = λ/(1−p), W = Σ ρᵢ/(1−ρᵢ) ÷ λ.
#[test]
fn halving_rework_matches_traffic_equations() {
    let yaml = "name: jackson\ntime_unit: hours\narrivals: {rate: 0.5}\nsimulation: {items: 4000, warmup: 400}\nstages:\n  - {name: a, workers: 1, work: {dist: exponential, mean: 0.8}}\n  - {name: b, workers: 1, work: {dist: exponential, mean: 0.6666666666666666}, rework: {probability: 0.25, to: a}}\ninterventions:\n  - name: halve rework\n    set: {b.rework.probability: 0.125}\n";
    let o = compare(yaml, &[], 300, 22);
    let p = per_run(yaml, &[], 300, 22);
    assert_folded_matches(&o, &p, 1);
    let w = |p: f64| {
        let lam = 0.5 / (1.0 - p);
        let (ra, rb) = (lam / 1.25, lam / 1.5);
        (ra / (1.0 - ra) + rb / (1.0 - rb)) / 0.5
    };
    assert_eq!(o.variants[1].name, "halve rework");
    assert_mean_matches("Jackson p = 0.125", &lead_means(&p, 1), w(0.125));
    assert_mean_matches("Jackson delta", &paired_diffs(&p, 1), w(0.125) - w(0.25));
}

// Proves removing a stage from a tandem line matches theory: without b (μ = 2) the
// line loses 1/(2 − 0.8) = 0.833 of mean lead time.
#[test]
fn removing_a_stage_matches_theory() {
    let yaml = "name: tandem\ntime_unit: hours\narrivals: {rate: 0.8}\nsimulation: {items: 4000, warmup: 400}\nstages:\n  - {name: a, workers: 1, work: {dist: exponential, mean: 0.8}}\n  - {name: b, workers: 1, work: {dist: exponential, mean: 0.5}}\ninterventions:\n  - {name: drop b, remove: [b]}\n";
    let o = compare(yaml, &[], 300, 23);
    let p = per_run(yaml, &[], 300, 23);
    assert_mean_matches("tandem without b", &lead_means(&p, 1), 1.0 / (1.25 - 0.8));
    assert_mean_matches("removing b", &paired_diffs(&p, 1), -1.0 / 1.2);
    assert_eq!(o.variants[1].stages.len(), 1);
}

// Proves a deterministic handoff-batch halving gives the hand-computed delta exactly:
// 8 items done at 1..8; batches of 4 leave at 4 and 8 (mean lead 6), batches of 2 at
// 2, 4, 6, 8 (mean lead 5): delta −1 in every run, so its CI is exactly [−1, −1].
#[test]
fn handoff_halving_hand_computed_delta() {
    let yaml = "name: hand\ntime_unit: days\narrivals: {backlog: 8}\nstages:\n  - {name: a, workers: 1, work: 1, handoff_batch: 4}\n  - {name: b, workers: unlimited, work: 0}\n";
    let o = compare(yaml, &["a.handoff_batch=2"], 5, 1);
    assert_eq!(o.variants[0].lead_time.mean, 6.0);
    assert_eq!(o.variants[1].lead_time.mean, 5.0);
    let d = o.variants[1].delta.as_ref().expect("a delta");
    assert_eq!(d.lead_time_mean, -1.0);
    assert_eq!(d.lead_time_mean_ci95, [-1.0, -1.0]);
    assert_eq!(d.share_of_runs_faster, 1.0);
}

// Proves an intervention that changes nothing shows exactly 0 with a CI of exactly
// [0, 0] on every metric: common random numbers make every run identical.
#[test]
fn no_op_intervention_is_exactly_zero() {
    // The mix is deliberately not in alphabetical order and work depends on the type:
    // variants must keep the file's order so the same draw gives the same type.
    let yaml = "name: mix\ntime_unit: hours\narrivals: {rate: 0.8, mix: {b: 0.3, a: 0.7}}\nsimulation: {items: 2000, warmup: 200}\nstages:\n  - {name: serve, workers: 1, work: {b: 0.5, a: {dist: exponential, mean: 1.1}}}\n";
    let o = compare(yaml, &["serve.workers=1", "serve.work.a.mean=1.1"], 40, 5);
    for v in &o.variants[1..] {
        let d = v.delta.as_ref().expect("a delta");
        for (x, ci) in [
            (d.lead_time_mean, d.lead_time_mean_ci95),
            (d.lead_time_p85, d.lead_time_p85_ci95),
            (d.flow_efficiency, d.flow_efficiency_ci95),
            (d.throughput, d.throughput_ci95),
            (d.wip, d.wip_ci95),
        ] {
            assert_eq!((x, ci), (0.0, [0.0, 0.0]), "{}", v.name);
        }
        assert_eq!(d.share_of_runs_faster, 0.0);
    }
}

// Proves common random numbers narrow the comparison: on the same runs, the paired
// CI of the lead-time difference is far narrower than the CI the same numbers would
// give as independent samples (here a faster reviewer in a two-stage stream; measured
// ratio about 0.25, i.e. the variance of the difference is about 16 times smaller).
#[test]
fn paired_ci_is_much_narrower_than_independent() {
    let yaml = "name: crn\ntime_unit: hours\narrivals: {rate: 0.7}\nsimulation: {items: 2000, warmup: 200}\nstages:\n  - {name: develop, workers: 1, work: {dist: exponential, mean: 1}}\n  - {name: review, workers: 1, work: {dist: exponential, mean: 1}}\n";
    let o = compare(
        yaml,
        &["review.work={dist: exponential, mean: 0.9}"],
        200,
        7,
    );
    let p = per_run(
        yaml,
        &["review.work={dist: exponential, mean: 0.9}"],
        200,
        7,
    );
    assert_folded_matches(&o, &p, 1);
    let n = 200.0f64;
    let paired = mean_ci95(&paired_diffs(&p, 1)).half_width();
    let (a, b) = (mean_ci95(&lead_means(&p, 1)), mean_ci95(&lead_means(&p, 0)));
    let t = t_critical_95(199);
    let sd = |c: &flowcast::stats::MeanCi| c.half_width() / t * n.sqrt();
    let independent = t * ((sd(&a).powi(2) + sd(&b).powi(2)) / n).sqrt();
    assert!(
        paired < 0.35 * independent,
        "paired half-width {paired} vs independent {independent}"
    );
}

// Proves economics on a hand-computed case: the batch halving above saves 1 day per
// item; with 8 items and a cost of delay of 700 per item per week the backlog gains
// 1/7 × 8 × 700 = 800. An intervention costing 400 has no payback period for a backlog.
#[test]
fn economics_hand_computed() {
    let yaml = "name: hand\ntime_unit: days\narrivals: {backlog: 8}\neconomics: {cost_of_delay: 700, currency: EUR}\nstages:\n  - {name: a, workers: 1, work: 1, handoff_batch: 4}\n  - {name: b, workers: unlimited, work: 0}\ninterventions:\n  - {name: halve, set: {a.handoff_batch: 2}, cost: 400}\n";
    let o = compare(yaml, &[], 3, 1);
    let e = o.variants[1].economics.as_ref().expect("valued");
    assert!((e.value.expect("a value") - 800.0).abs() < 1e-9, "{e:?}");
    assert!((e.lead_time_saved_weeks - 1.0 / 7.0).abs() < 1e-12);
    assert_eq!(e.cost, Some(400.0));
    assert_eq!(e.basis, "for the backlog");
}

// Proves the yearly value of an open stream: the value is the cost of delay the
// intervention avoids (the paired delta of cost of delay per year), and payback =
// cost ÷ net value per year.
#[test]
fn economics_per_year_and_payback() {
    // 2 days saved per item = 2/7 week, 365 deliveries a year, 1,000 per item-week:
    // the intervention incurs 104,285.71 less cost of delay a year (CI from 1 to 3 days).
    let per_day = 365.0 * 1000.0 / 7.0;
    let d = flowcast::sim::results::Delta {
        cost_of_delay: Some(-2.0 * per_day),
        cost_of_delay_ci95: Some([-3.0 * per_day, -per_day]),
        lead_time_mean: -2.0,
        lead_time_mean_ci95: [-3.0, -1.0],
        lead_time_p85: 0.0,
        lead_time_p85_ci95: [0.0; 2],
        flow_efficiency: 0.0,
        flow_efficiency_ci95: [0.0; 2],
        throughput: 0.0,
        throughput_ci95: [0.0; 2],
        wip: 0.0,
        wip_ci95: [0.0; 2],
        share_of_runs_faster: 1.0,
    };
    let basis = flowcast::sim::results::ValueBasis {
        unit_hours: 24.0,
        deliveries: 365.0,
        backlog: false,
        priced: true,
        currency: "EUR",
    };
    let e = flowcast::sim::results::EconomicValue::from_delta(&d, &basis, Some(52_142.857), None);
    let v = e.value.expect("a value");
    assert!((v - 2.0 / 7.0 * 365.0 * 1000.0).abs() < 1e-6, "{v}");
    assert_eq!(
        e.value_ci95.map(|c| (c[0] < v, c[1] > v)),
        Some((true, true))
    );
    // Half a year of value repays the cost: 26.07 weeks.
    assert!((e.payback_weeks.expect("payback") - 26.071_428).abs() < 1e-3);
    // A yearly cost (a salary) is taken off the value before payback: 104,285.71 − 90,000
    // = 14,285.71 a year net, so 10,000 once pays back in 0.7 years = 36.5 weeks…
    let e = flowcast::sim::results::EconomicValue::from_delta(
        &d,
        &basis,
        Some(10_000.0),
        Some(90_000.0),
    );
    assert!((e.net_value_per_year.expect("net") - (2.0 / 7.0 * 365_000.0 - 90_000.0)).abs() < 1e-6);
    assert!(
        (e.payback_weeks.expect("payback")
            - 10_000.0 / (2.0 / 7.0 * 365_000.0 - 90_000.0) * 365.0 / 7.0)
            .abs()
            < 1e-9
    );
    // …and a yearly cost above the value never pays back.
    let e = flowcast::sim::results::EconomicValue::from_delta(
        &d,
        &basis,
        Some(10_000.0),
        Some(200_000.0),
    );
    assert_eq!(e.payback_weeks, None);
    assert!(e.net_value_per_year.expect("net") < 0.0);
}

// Proves a bad path is an exit-2 error that names it and lists the nearest valid paths,
// and that a change that makes the stream invalid says so.
#[test]
fn bad_what_if_paths() {
    let (_d, path) = temp_file("mm1.yaml", MM1);
    let run = |w: &str| {
        flowcast()
            .arg("run")
            .arg(&path)
            .args(["--runs", "3", "--what-if", w])
            .assert()
            .code(2)
    };
    run("serve.wokers=2")
        .stderr(predicate::str::contains("--what-if 'serve.wokers=2'"))
        .stderr(predicate::str::contains("no field `wokers`"))
        .stderr(predicate::str::contains(
            "nearest valid paths: serve.workers",
        ));
    run("serv.workers=2").stderr(predicate::str::contains("serve.workers"));
    run("serve.rework.probability=1.5")
        .stderr(predicate::str::contains("rework probability is 1.5"));
    run("serve.workers").stderr(predicate::str::contains("has no `=`"));
    run("simulation.items=10").stderr(predicate::str::contains("cannot differ between variants"));
}

// Proves interventions in the file are checked and located: removing a missing stage
// points at the intervention's line; `add` inserts a stage; a comma inside braces does
// not split a what-if.
#[test]
fn file_interventions() {
    let bad = format!("{MM1}interventions:\n  - name: drop review\n    remove: [review]\n");
    let (_d, path) = temp_file("bad.yaml", &bad);
    flowcast()
        .arg("run")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:8:11: intervention `drop review`",
            path.display()
        )))
        .stderr(predicate::str::contains("cannot remove stage `review`"));
    let add = format!(
        "{MM1}interventions:\n  - name: add check\n    add: [{{after: serve, stage: {{name: check, workers: unlimited, work: 0.5}}}}]\n"
    );
    let o = compare(
        &add,
        &["serve.work={dist: uniform, min: 0.5, max: 1.5},serve.workers=2"],
        20,
        3,
    );
    assert_eq!(o.variants[1].stages.len(), 2);
    assert_eq!(o.variants[1].stages[1].name, "check");
    // No queue at an unlimited stage: exactly 0.5 more per item in every run.
    let d = o.variants[1].delta.as_ref().expect("a delta");
    assert!((d.lead_time_mean - 0.5).abs() < 1e-9, "{d:?}");
    assert_eq!(
        o.variants[2].name,
        "serve.work={dist: uniform, min: 0.5, max: 1.5},serve.workers=2"
    );
}

// Proves the terminal comparison ranks by improvement and says "no clear difference"
// when the CI spans zero.
#[test]
fn terminal_comparison_is_ranked() {
    let (_d, path) = temp_file("mm1.yaml", MM1);
    let out = flowcast()
        .arg("run")
        .arg(&path)
        .args([
            "--runs",
            "30",
            "--what-if",
            "serve.work=0.5",
            "--what-if",
            "serve.workers=2",
            "--what-if",
            "serve.workers=1",
        ])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let pos = |s: &str| {
        text.find(s)
            .unwrap_or_else(|| panic!("`{s}` missing in:\n{text}"))
    };
    // Constant work of 0.5 (M/D/1, W = 0.667) beats a second worker (M/M/2, W = 1.19).
    assert!(pos("serve.work=0.5  ") < pos("serve.workers=2  "), "{text}");
    assert!(
        pos("serve.workers=2  ") < pos("serve.workers=1  "),
        "{text}"
    );
    assert!(text.contains("no difference at all"), "{text}");
    assert!(text.contains("Where the time goes"), "{text}");
}

// Proves `--sensitivity` ranks parameters by their effect: in a stream whose review is
// nearly saturated, review's work matters most, and more work means longer lead time.
#[test]
fn sensitivity_ranks_the_bottleneck_first() {
    let yaml = "name: sens\ntime_unit: hours\narrivals: {rate: 0.6}\nsimulation: {items: 1500, warmup: 150}\nstages:\n  - {name: develop, workers: 3, work: {dist: exponential, mean: 1}}\n  - {name: review, workers: 1, work: {dist: exponential, mean: 1.3}}\n";
    let (_d, path) = temp_file("sens.yaml", yaml);
    let out = flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "60", "--sensitivity", "--json", "-", "--quiet"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let effects = v["sensitivity"].as_array().expect("a sensitivity list");
    let swing = |e: &serde_json::Value| {
        e["low"]
            .as_f64()
            .unwrap()
            .abs()
            .max(e["high"].as_f64().unwrap().abs())
    };
    let top = effects
        .iter()
        .max_by(|a, b| swing(a).total_cmp(&swing(b)))
        .expect("effects");
    assert!(
        top["parameter"] == "review work" || top["parameter"] == "arrival rate",
        "top parameter {}",
        top["parameter"]
    );
    let rw = effects
        .iter()
        .find(|e| e["parameter"] == "review work")
        .expect("review work probed");
    assert!(rw["high_ci95"][0].as_f64().unwrap() > 0.0, "{rw}");
    assert!(rw["low_ci95"][1].as_f64().unwrap() < 0.0, "{rw}");
    assert!(effects.iter().any(|e| e["parameter"] == "develop workers"));
}

// Proves `check` validates interventions too: a missing stage is an exit-2 error at the
// intervention's line, and an intervention that overloads a stage is warned about.
#[test]
fn check_validates_interventions() {
    let bad = format!("{MM1}interventions:\n  - name: slower\n    set: {{serv.work: 2}}\n");
    let (_d, path) = temp_file("bad.yaml", &bad);
    flowcast()
        .arg("check")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:8:11: intervention `slower`",
            path.display()
        )))
        .stderr(predicate::str::contains("nearest valid paths: serve.work"));
    let hot = format!(
        "{MM1}interventions:\n  - name: slower\n    set: {{serve.work: 2}}\n    cost: 100\n"
    );
    let (_d2, path2) = temp_file("hot.yaml", &hot);
    flowcast()
        .arg("check")
        .arg(&path2)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "slower: serve.work = 2 · cost 100",
        ))
        .stdout(predicate::str::contains(
            "warning: in `slower`: stage `serve` is overloaded",
        ));
}
