//! Cost of delay per item type: what delay costs a stream, and what an
//! intervention saves, computed by hand.

use predicates::prelude::*;

use crate::common::{flowcast, temp_file};
use flowcast::Scenario;
use flowcast::scenario::interventions::{build, from_file};
use flowcast::sim::montecarlo::{Settings, simulate};
use flowcast::sim::results::Outcome;

fn outcome(yaml: &str, runs: u64) -> Outcome {
    let s = Scenario::from_text("test.yaml", yaml).unwrap_or_else(|e| panic!("{e}"));
    let ivs = from_file(&s).unwrap_or_else(|e| panic!("{e}"));
    let variants = build(&s, &ivs).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings {
        runs,
        seed: 7,
        threads: None,
    };
    simulate(&variants, &settings, &|| {}).unwrap_or_else(|e| panic!("{e}"))
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-12)
}

/// A backlog of 200 items, half features (2 days of work) and half defects (1
/// day), with no queue (unlimited workers): every feature's lead time is 2 days
/// and every defect's 1 day. With 700 per feature-week and 140 per defect-week a
/// feature costs 2/7 × 700 = 200 and a defect 1/7 × 140 = 20, so a run's
/// backlog costs 200 n_f + 20 n_d, and the mean over runs is 200 × (200 s_f + 20
/// s_d), s the share of each type over all runs. Halving feature work saves 100
/// per feature: 200 × 100 s_f for the backlog.
const BACKLOG: &str = "name: priced\ntime_unit: days\narrivals: {backlog: 200, mix: {feature: 0.5, defect: 0.5}}\n\
    economics: {cost_of_delay: {feature: 700, defect: 140}, currency: EUR}\nstages:\n\
    \x20 - {name: a, workers: unlimited, work: {feature: 2, defect: 1}}\n\
    interventions:\n  - {name: halve features, set: {a.work.feature: 1}}\n";

#[test]
fn backlog_cost_of_delay_by_hand() {
    let o = outcome(BACKLOG, 20);
    let base = &o.variants[0];
    let sf = base
        .types
        .iter()
        .find(|t| t.name == "feature")
        .expect("feature")
        .share;
    let sd = 1.0 - sf;
    let c = base.cost_of_delay.as_ref().expect("priced");
    let want = 200.0 * (200.0 * sf + 20.0 * sd);
    assert!(close(c.mean, want, 1e-9), "{} vs {want}", c.mean);
    assert_eq!(c.basis, "for the backlog");
    assert_eq!(c.currency, "EUR");
    // The type draws vary by run, so the CI has width, and holds the mean.
    assert!(c.mean_ci95[0] < c.mean && c.mean < c.mean_ci95[1]);
    let v = &o.variants[1];
    let e = v.economics.as_ref().expect("valued");
    let saved = 200.0 * 100.0 * sf;
    assert!(
        close(e.value.expect("value"), saved, 1e-9),
        "{:?} vs {saved}",
        e.value
    );
    let d = v.delta.as_ref().expect("delta");
    assert!(close(-d.cost_of_delay.expect("priced delta"), saved, 1e-9));
    let [lo, hi] = e.value_ci95.expect("a CI");
    assert!(lo < saved && saved < hi, "{lo} {saved} {hi}");
    let vc = v.cost_of_delay.as_ref().expect("priced");
    assert!(close(vc.mean, want - saved, 1e-9));
}

/// An open stream with one item a day and no queue (work below a day): a
/// feature (half a day of work, 1,400 a week) costs 100, a defect (a quarter
/// day, 560 a week) 20; at one delivery a day that is 365 × (100 s_f + 20 s_d)
/// a year, up to the counting window's edge (one day in 1,800).
#[test]
fn open_stream_cost_of_delay_per_year_by_hand() {
    let yaml = "name: open\ntime_unit: days\narrivals: {interval: 1, mix: {feature: 0.3, defect: 0.7}}\n\
        economics: {cost_of_delay: {defect: 560, feature: 1400}}\nsimulation: {items: 2000, warmup: 200}\n\
        stages:\n  - {name: a, workers: 1, work: {feature: 0.5, defect: 0.25}}\n";
    let o = outcome(yaml, 10);
    let base = &o.variants[0];
    let sf = base
        .types
        .iter()
        .find(|t| t.name == "feature")
        .expect("feature")
        .share;
    let want = 365.0 * (100.0 * sf + 20.0 * (1.0 - sf));
    let c = base.cost_of_delay.as_ref().expect("priced");
    assert_eq!(c.basis, "per year");
    assert!(close(c.mean, want, 1e-3), "{} vs {want}", c.mean);
}

/// One figure prices every type alike; the old single-number form still works
/// and agrees with lead time × throughput × cost of delay.
#[test]
fn one_figure_prices_every_type() {
    let yaml = BACKLOG.replace("{feature: 700, defect: 140}", "700");
    let o = outcome(&yaml, 5);
    let base = &o.variants[0];
    let c = base.cost_of_delay.as_ref().expect("priced");
    let want = 200.0 * base.lead_time.mean / 7.0 * 700.0;
    assert!(close(c.mean, want, 1e-9), "{} vs {want}", c.mean);
}

#[test]
fn bad_cost_of_delay_is_located() {
    for (bad, words) in [
        ("{feature: 700}", "gives no figure for defect"),
        (
            "{feature: 700, defect: 1, bug: 3}",
            "`bug`, which is not an item type",
        ),
        ("{feature: -1, defect: 1}", "must be 0 or more"),
        ("lots", "not an amount of money"),
    ] {
        let yaml = BACKLOG.replace("{feature: 700, defect: 140}", bad);
        let (_d, path) = temp_file("bad.yaml", &yaml);
        flowcast()
            .arg("check")
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(words))
            .stderr(predicate::str::contains("bad.yaml:4:28:"));
    }
}

/// The terminal and the report lead with the cost of delay.
#[test]
fn run_shows_cost_of_delay_first_in_economics() {
    let (_d, path) = temp_file("priced.yaml", BACKLOG);
    flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "5"])
        .assert()
        .success()
        .stdout(predicate::str::contains("cost of delay for the backlog"))
        .stdout(predicate::str::contains(
            "costs of delay of EUR 700 per feature, EUR 140 per defect",
        ));
}

/// The example scenario makes its point: every way of picking work delivers the
/// same throughput (the paired change within 0.5%, the items and the people
/// being the same), while the cost of delay differs by far more than its CI —
/// WSJF over all waiting work saves at least a fifth of the baseline's.
#[test]
fn throughput_is_not_value_scenario() {
    let path = crate::common::scenarios_dir().join("throughput-is-not-value.yaml");
    let text = std::fs::read_to_string(&path).expect("the scenario");
    let o = outcome(&text, 60);
    let base = &o.variants[0];
    let base_cod = base.cost_of_delay.as_ref().expect("priced").mean;
    for v in &o.variants[1..] {
        let d = v.delta.as_ref().expect("delta");
        assert!(
            d.throughput.abs() <= 0.005 * base.throughput,
            "{}: throughput changes by {}",
            v.name,
            d.throughput
        );
    }
    let best = o
        .variants
        .iter()
        .find(|v| v.name == "wsjf on everything waiting")
        .expect("variant");
    let e = best.economics.as_ref().expect("valued");
    let [lo, _] = e.value_ci95.expect("CI");
    assert!(lo > 0.2 * base_cod, "saves {lo} of {base_cod}");
    let words = flowcast::report::words::summary(
        &Scenario::from_text("x.yaml", &text).expect("valid").model,
        &o,
    );
    assert!(
        words[0].starts_with("Throughput does not tell these ways of working apart"),
        "{}",
        words[0]
    );
}
