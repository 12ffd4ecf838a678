//! Splitting items (`split: {into, types, as}`, issue 13 item 4): features
//! become stories at a stage, each story flows on as an item, and a feature is
//! delivered when its last story is. Hand-computed cases, batch-arrival queueing
//! theory (M^X/M/1), Little's law per level, input errors, `--what-if`, CRN,
//! and forecasts of a backlog that splits.

use predicates::prelude::*;

use crate::common::{assert_mean_matches, flowcast, model, per_run, runs, temp_file};
use crate::deterministic::{backlog, one_run};
use flowcast::model::keys::run_key;
use flowcast::sim::engine::{Engine, Record, RunSummary, Status};
use flowcast::stats::{LogHistogram, mean_ci95, t_critical_95};

/// Runs `yaml` once (run key of `flowcast run --seed 1`, run 1) and returns its
/// summary and event log.
fn recorded(yaml: &str) -> (RunSummary, Vec<Record>) {
    let m = model(yaml);
    let mut e = Engine::new(&m);
    let mut log = Vec::new();
    let r = e
        .run_recorded(
            run_key(1, 0),
            &mut LogHistogram::new(),
            &mut |c: &[Record]| log.extend_from_slice(c),
        )
        .expect("run finishes");
    (r, log)
}

/// When (item, part) was delivered, from an event log.
fn done_at(log: &[Record], item: u64, part: u32) -> f64 {
    log.iter()
        .find(|r| r.item == item && r.part == part && r.status == Status::Done)
        .map(|r| r.time)
        .unwrap_or_else(|| panic!("item {item} part {part} is never done"))
}

// Proves the split by hand: one feature, 2 days at analysis, then 3 stories;
// build (1 worker, 1 day each) takes them 2→3, 3→4, 4→5. Stories are delivered
// at 3, 4, 5 (leads 1, 2, 3 from the split at 2), the feature at 5 with its
// last story (lead 5). The feature's time after the split is its last story's:
// analysis 2 work, build 2 wait + 1 work, so flow efficiency 3/5. Little's law
// is exact per level in a backlog: ∫ features dt = 5 = Σ lead, ∫ stories dt =
// 1 + 2 + 3 = 6 = Σ lead.
#[test]
fn one_feature_three_stories_one_builder() {
    let (r, log) = recorded(&backlog(
        1,
        "  - {name: analysis, workers: 1, work: 2, split: {into: 3}}\n  - {name: build, workers: 1, work: 1}\n",
    ));
    assert_eq!((r.delivered, r.lead_sum, r.end_time), (1, 5.0, 5.0));
    assert_eq!(
        [1, 2, 3].map(|k| done_at(&log, 1, k)),
        [3.0, 4.0, 5.0],
        "stories' deliveries"
    );
    assert_eq!(done_at(&log, 1, 0), 5.0, "the feature's delivery");
    assert_eq!(r.parents.delivered, 1);
    assert_eq!((r.parents.lead_sum, r.parents.lead_max), (5.0, 5.0));
    assert_eq!(r.children.delivered, 3);
    assert_eq!((r.children.lead_sum, r.children.lead_max), (6.0, 3.0));
    assert_eq!((r.parents.area, r.children.area), (5.0, 6.0));
    assert_eq!((r.parents_made, r.children_made), (1, 3));
    assert_eq!((r.children_delivered_all, r.children_remaining), (3, 0));
    assert_eq!(r.active_sum, 3.0);
    assert_eq!(
        (r.stages[1].wait, r.stages[1].work, r.stages[1].visits),
        (2.0, 1.0, 1)
    );
    assert_eq!(r.wip_area, 5.0);
}

// Proves two builders take two stories at once: stories reach build at 2, two
// start at once (2→3), the third at 3 (3→4). Story leads 1, 1, 2; the feature
// is delivered with the third at 4 (lead 4).
#[test]
fn one_feature_three_stories_two_builders() {
    let (r, log) = recorded(&backlog(
        1,
        "  - {name: analysis, workers: 1, work: 2, split: {into: 3}}\n  - {name: build, workers: 2, work: 1}\n",
    ));
    assert_eq!([1, 2, 3].map(|k| done_at(&log, 1, k)), [3.0, 3.0, 4.0]);
    assert_eq!((r.lead_sum, r.parents.lead_sum), (4.0, 4.0));
    assert_eq!((r.children.lead_sum, r.children.lead_max), (4.0, 2.0));
    assert_eq!(r.children.area, 4.0);
}

// Proves stories queue first come, first served across features: two features
// (analysis 0→1 and 1→2) split into 2 stories each; the one builder takes 1a
// 1→2, 1b 2→3, 2a 3→4, 2b 4→5. Features are done at 3 and 5 (leads 3, 5);
// stories' leads 1, 2 (feature 1, split at 1) and 2, 3 (feature 2, split at 2).
#[test]
fn stories_of_two_features_queue_in_order() {
    let (r, log) = recorded(&backlog(
        2,
        "  - {name: analysis, workers: 1, work: 1, split: {into: 2}}\n  - {name: build, workers: 1, work: 1}\n",
    ));
    assert_eq!(
        [(1, 1), (1, 2), (2, 1), (2, 2)].map(|(i, k)| done_at(&log, i, k)),
        [2.0, 3.0, 4.0, 5.0]
    );
    assert_eq!([done_at(&log, 1, 0), done_at(&log, 2, 0)], [3.0, 5.0]);
    assert_eq!(r.lead_sum, 8.0);
    assert_eq!(r.children.lead_sum, 1.0 + 2.0 + 2.0 + 3.0);
}

// Proves `as`: features split into stories, a type of their own that only
// splits make (it passes analysis by and has its own work at build). One
// feature: analysis 0→2, two stories of 0.5 each at build (2→2.5, 2.5→3):
// feature lead 3, stories done at 2.5 and 3, recorded as type `story`.
#[test]
fn children_take_their_own_type_and_work() {
    let yaml = "name: hand\ntime_unit: days\narrivals: {backlog: 1, mix: {feature: 1}}\nstages:\n  \
                - {name: analysis, workers: 1, work: 2, split: {into: 2, types: [feature], as: story}}\n  \
                - {name: build, workers: 1, work: {feature: 9, story: 0.5}}\n";
    let (r, log) = recorded(yaml);
    assert_eq!([1, 2].map(|k| done_at(&log, 1, k)), [2.5, 3.0]);
    assert_eq!(r.lead_sum, 3.0);
    let story = log.iter().find(|x| x.part == 1).expect("a story's record");
    assert_eq!(story.ty, 1, "stories are the type `story`, after the mix's");
    assert_eq!(r.types[0].delivered, 1, "the feature counts as a feature");
}

// Proves an item type left out of `types` does not split: a backlog of 40 with
// a mix of features and defects; every defect is one item through build, every
// feature three stories. Stories made = 3 × features; features + defects = 40.
#[test]
fn types_not_listed_do_not_split() {
    let yaml = "name: hand\ntime_unit: days\narrivals: {backlog: 40, mix: {feature: 0.5, defect: 0.5}}\nstages:\n  \
                - {name: analysis, workers: 2, work: 1, split: {into: 3, types: [feature]}}\n  \
                - {name: build, workers: 3, work: 1}\n";
    let r = one_run(yaml);
    let features = r.types[0].delivered;
    assert_eq!(r.types[0].delivered + r.types[1].delivered, 40);
    assert!(features > 5 && features < 35, "{features} features");
    assert_eq!(r.parents_made, features);
    assert_eq!(r.children_made, 3 * features);
    assert_eq!(r.parents.delivered, features);
}

/// The M^X/M/1 scenario of [`stories_match_batch_arrival_queueing_theory`].
const MX_M_1: &str = "name: mx\ntime_unit: days\narrivals: {rate: 0.5}\nsimulation: {items: 3000, warmup: 300}\nstages:\n  \
    - {name: analysis, workers: unlimited, work: {dist: exponential, mean: 1}, split: {into: {dist: empirical, samples: [1, 2, 3, 4]}}}\n  \
    - {name: build, workers: 1, work: {dist: exponential, mean: 0.5}}\n";

// Proves stories and features against queueing theory. Features arrive as a
// Poisson stream (λ = 0.5/day) and spend an exponential day at analysis with
// unlimited people: the output of an M/M/∞ station is Poisson again, so splits
// happen as a Poisson stream, each into X stories, X uniform on {1, 2, 3, 4}
// (E X = 2.5, E X² = 7.5). Build is one person with exponential work of mean
// 1/μ = 0.5, first come first served: an M^X/M/1 queue with ρ = λ E X / μ =
// 0.625. A feature's first story waits for the work in build when it arrives
// (Poisson arrivals see time averages), V = λ E[S_b²] / (2(1 − ρ)) with batch
// work E[S_b²] = (E X + E X²)/μ² — V = 5/3. Its last story leaves when the
// whole batch is done: feature lead = 1 + V + E X/μ = 3.9167 days. A story's
// mean time in build is W = (E X² + E X) / (2 μ E X (1 − ρ)) = 8/3 days.
// Throughputs: λ features and λ E X = 1.25 stories a day. Each within 4 SE.
#[test]
fn stories_match_batch_arrival_queueing_theory() {
    let (rs, _) = runs(&model(MX_M_1), 200, 11);
    let (lambda, ex, ex2, mu) = (0.5, 2.5, 7.5, 2.0);
    let rho = lambda * ex / mu;
    let v = lambda * (ex + ex2) / (mu * mu) / (2.0 * (1.0 - rho));
    let feature = 1.0 + v + ex / mu;
    let story = (ex2 + ex) / (2.0 * mu * ex * (1.0 - rho));
    let checks: [(&str, Vec<f64>, f64); 5] = [
        (
            "feature lead time",
            per_run(&rs, |r| r.parents.lead_sum / r.parents.delivered as f64),
            feature,
        ),
        (
            "story lead time",
            per_run(&rs, |r| r.children.lead_sum / r.children.delivered as f64),
            story,
        ),
        (
            "feature throughput",
            per_run(&rs, |r| r.parents.delivered as f64 / r.window),
            lambda,
        ),
        (
            "story throughput",
            per_run(&rs, |r| r.children.delivered as f64 / r.window),
            lambda * ex,
        ),
        (
            "build utilisation",
            per_run(&rs, |r| r.stages[1].busy_area / r.window),
            rho,
        ),
    ];
    for (label, values, truth) in &checks {
        let ci = mean_ci95(values);
        eprintln!(
            "M^X/M/1 {label}: simulated {:.4} (95% CI {:.4}–{:.4}), theory {truth:.4}",
            ci.mean, ci.lo, ci.hi
        );
        assert_mean_matches(label, values, *truth);
    }
    // Every feature splits: the main line is the features' line.
    for r in &rs {
        assert_eq!(r.parents.delivered, r.delivered);
        assert_eq!(r.parents.lead_sum, r.lead_sum);
    }
}

/// Little's law at one level over runs: the mean of (∫ level dt − Σ lead) /
/// window must lie within 4 SE of 0 plus the window-edge allowance L·W/window
/// (items straddling the window's start and end; see properties.rs).
fn assert_littles_law(label: &str, rs: &[RunSummary], level: fn(&RunSummary) -> (f64, f64, u64)) {
    let d: Vec<f64> = rs
        .iter()
        .map(|r| {
            let (area, lead, _) = level(r);
            (area - lead) / r.window
        })
        .collect();
    let ci = mean_ci95(&d);
    let se = ci.half_width() / t_critical_95(d.len() as u64 - 1);
    let window: f64 = rs.iter().map(|r| r.window).sum();
    let area: f64 = rs.iter().map(|r| level(r).0).sum();
    let lead: f64 = rs.iter().map(|r| level(r).1).sum();
    let n: u64 = rs.iter().map(|r| level(r).2).sum();
    let (l, w) = (area / window, lead / n as f64);
    let boundary = l * w / (window / rs.len() as f64);
    eprintln!(
        "Little's law, {label}: L = {l:.4}, λW = {:.4} (λ = {:.4}, W = {w:.4}); mean L − λW = {:.5}, SE {se:.5}, allowance {boundary:.5}",
        lead / window,
        n as f64 / window,
        ci.mean
    );
    assert!(
        ci.mean.abs() <= 4.0 * se + boundary,
        "{label}: L − λW = {} (SE {se}, allowance {boundary})",
        ci.mean
    );
}

// Proves Little's law per level on an open Poisson stream with random split
// counts, rework after the split, a WIP limit and a handoff batch: mean
// features in the stream (arrival to last story) = feature throughput × mean
// feature lead time, and mean stories in the stream (split to delivery) = story
// throughput × mean story lead time, each within 4 SE plus the window-edge
// allowance; and the main line's too.
#[test]
fn littles_law_holds_per_level() {
    let yaml = "name: little\ntime_unit: days\narrivals: {rate: 0.4, mix: {feature: 0.7, defect: 0.3}}\n\
                simulation: {items: 2000, warmup: 200}\nstages:\n  \
                - {name: analysis, workers: 2, work: {dist: exponential, mean: 1.5}, split: {into: {dist: uniform, min: 1, max: 5}, types: [feature], as: story}}\n  \
                - {name: build, workers: 3, wip_limit: 8, work: {story: {dist: lognormal, mean: 1, cv: 0.8}, defect: {dist: exponential, mean: 0.5}}}\n  \
                - {name: review, workers: 1, work: {dist: exponential, mean: 0.2}, handoff_batch: {size: 2, max_wait: 1}, rework: {probability: 0.2, to: build, effort: 0.5}}\n";
    let (rs, _) = runs(&model(yaml), 60, 5);
    assert_littles_law("features", &rs, |r| {
        (r.parents.area, r.parents.lead_sum, r.parents.delivered)
    });
    assert_littles_law("stories", &rs, |r| {
        (r.children.area, r.children.lead_sum, r.children.delivered)
    });
    assert_littles_law("every item as it arrived", &rs, |r| {
        (r.wip_area, r.lead_sum, r.delivered)
    });
    for r in &rs {
        assert_eq!(
            r.children_made,
            r.children_delivered_all + r.children_remaining
        );
        assert_eq!(r.arrived, r.delivered_all + r.remaining);
    }
}

// Proves splitting keeps every invariant of the instants: a scenario full of
// same-instant events (backlog, constant work, batches, WIP limits, CONWIP,
// rework after and before the split, a schedule) gives the identical summary
// when same-time events pop in reverse order.
#[test]
fn split_results_do_not_depend_on_the_order_of_same_time_events() {
    let bodies = [
        "arrivals: {backlog: 12, mix: {feature: 0.7, defect: 0.3}}\nwip_limit: 9\nstages:\n  \
         - {name: analysis, workers: 2, work: 1, split: {into: {dist: empirical, samples: [1, 2, 3, 4]}, types: [feature], as: story}}\n  \
         - {name: build, workers: 2, work: {story: 1, defect: 2}, wip_limit: 4, handoff_batch: 2}\n  \
         - {name: test, workers: 1, work: 0.5, process_batch: {max: 3}, rework: {probability: 0.3, to: analysis}}\n  \
         - {name: release, schedule: {every: 2}}\n",
        "arrivals: {interval: 1}\nstages:\n  \
         - {name: a, workers: unlimited, work: 2, split: {into: 3}}\n  \
         - {name: b, workers: 2, work: 1, handoff_batch: {size: 4, max_wait: 2}}\n  \
         - {name: c, workers: 1, work: 0.25, rework: {probability: 0.4, to: a}}\nsimulation: {items: 60, warmup: 5}\n",
    ];
    for (i, body) in bodies.iter().enumerate() {
        let m = model(&format!("name: tied\ntime_unit: days\n{body}"));
        let mut forward = Engine::new(&m);
        let mut reverse = Engine::new(&m);
        reverse.reverse_ties(true);
        for r in 0..5 {
            let key = run_key(3, r);
            let a = forward.run(key, &mut LogHistogram::new()).expect("run");
            let b = reverse.run(key, &mut LogHistogram::new()).expect("run");
            assert!(a.children_made > 0);
            assert_eq!(a, b, "scenario {i}, run {r}: order of same-time events");
        }
    }
}

// Proves common random numbers for children: a change downstream of the split
// (a second builder) leaves the number of stories of every feature, and the
// work each story draws, the same — so the stories made per run are identical
// in both variants, and so is their work at build.
#[test]
fn children_draw_the_same_in_every_variant() {
    let one = "name: crn\ntime_unit: days\narrivals: {backlog: 30}\nstages:\n  \
               - {name: analysis, workers: 1, work: {dist: exponential, mean: 1}, split: {into: {dist: uniform, min: 1, max: 6}}}\n  \
               - {name: build, workers: 1, work: {dist: exponential, mean: 1}}\n";
    let two = one.replace("build, workers: 1", "build, workers: 2");
    let (a, _) = runs(&model(one), 10, 4);
    let (b, _) = runs(&model(&two), 10, 4);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.children_made, y.children_made);
        assert!((x.children.active_sum - y.children.active_sum).abs() < 1e-9);
        assert!(y.lead_sum <= x.lead_sum + 1e-9);
    }
}

/// Runs `flowcast check` on `yaml` and asserts exit 2, the error at `line`, and `words`.
fn refused(yaml: &str, line: usize, words: &[&str]) {
    let (_dir, path) = temp_file("bad.yaml", yaml);
    let out = flowcast().arg("check").arg(&path).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let want = format!("error: {}:{line}:", path.display());
    assert!(stderr.starts_with(&want), "expected `{want}` in:\n{stderr}");
    for w in words {
        assert!(stderr.contains(w), "expected `{w}` in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// Proves bad splits are located errors with exit 2: fewer than one part (a
// constant 0, a mean below 1), a duration for a count, an item type that is
// not in the mix (with the nearest one suggested), two stages that split, an
// unknown key.
#[test]
fn bad_splits_are_located_errors() {
    let head = "name: bad\ntime_unit: days\narrivals: {rate: 1, mix: {feature: 0.8, defect: 0.2}}\nstages:\n";
    let case = |split: &str| {
        format!(
            "{head}  - name: analysis\n    work: 1\n    split: {split}\n  - {{name: build, work: 0.1}}\n"
        )
    };
    refused(
        &case("{into: 0}"),
        7,
        &[
            "stage `analysis`: split.into is 0",
            "at least 1 part",
            "into: 4",
        ],
    );
    refused(
        &case("{into: {dist: uniform, min: 0, max: 1}}"),
        7,
        &["a distribution with mean 0.5", "at least 1 part"],
    );
    refused(
        &case("{into: 3d}"),
        7,
        &["`3d`, a duration", "number of parts"],
    );
    refused(
        &case("{into: 3, types: [featur]}"),
        7,
        &[
            "split.types names an item type `featur`",
            "did you mean `feature`?",
        ],
    );
    refused(&case("{into: 3, typs: [feature]}"), 7, &["typs"]);
    refused(
        &case("{into: 20000}"),
        7,
        &["more than the 10000 flowcast supports"],
    );
    let two = format!(
        "{head}  - {{name: analysis, work: 1, split: {{into: 2}}}}\n  - {{name: build, work: 0.1, split: {{into: 2}}}}\n"
    );
    refused(
        &two,
        6,
        &[
            "stage `build` splits items, and so does stage `analysis` on line 5",
            "only one stage",
        ],
    );
}

// Proves splits can be changed on the command line: `analysis.split.into=5`,
// `analysis.split.into.value=5` (a constant's value) and a distribution's
// parameter each give 5 stories per feature (or a mean of 5); a bad value is
// refused with exit 2 naming the flag.
#[test]
fn what_if_changes_the_split() {
    let yaml = "name: w\ntime_unit: days\narrivals: {backlog: 4}\nstages:\n  \
                - {name: analysis, workers: 1, work: 1, split: {into: 2}}\n  \
                - {name: build, workers: 2, work: 1}\n";
    let (_dir, path) = temp_file("w.yaml", yaml);
    let out = flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "3", "--quiet", "--json", "-"])
        .args(["--what-if", "analysis.split.into=5"])
        .args(["--what-if", "analysis.split.into.value=5"])
        .args([
            "--what-if",
            "analysis.split.into={dist: uniform, min: 4.5, max: 5.5}",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let per = |i: usize| json["variants"][i]["split"]["children_per_parent"].as_f64();
    assert_eq!(per(0), Some(2.0));
    assert_eq!(per(1), Some(5.0));
    assert_eq!(per(2), Some(5.0));
    assert_eq!(per(3), Some(5.0));
    assert_eq!(json["variants"][0]["split"]["stage"], "analysis");
    assert_eq!(json["variants"][1]["split"]["children"]["delivered"], 20.0);
    flowcast()
        .arg("run")
        .arg(&path)
        .args([
            "--runs",
            "3",
            "--quiet",
            "--what-if",
            "analysis.split.into=0",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--what-if 'analysis.split.into=0'",
        ))
        .stderr(predicate::str::contains("at least 1 part"));
}

// Proves the terminal shows both levels' lead times and `check` lists the split
// and counts the stories' visits in the expected load (3 stories of 1 day per
// feature at 0.25 features a day: build 75% busy).
#[test]
fn terminal_and_check_show_the_split() {
    let yaml = "name: t\ntime_unit: days\narrivals: {rate: 0.25, mix: {feature: 1}}\nsimulation: {items: 200, warmup: 20}\nstages:\n  \
                - {name: analysis, workers: 1, work: 1, split: {into: 3, as: story}}\n  \
                - {name: build, workers: 1, work: 1}\n";
    let (_dir, path) = temp_file("t.yaml", yaml);
    flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "4"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Split at analysis: features become 3.00 stories each on average",
        ))
        .stdout(predicate::str::is_match(r"(?m)^  features\s+\d").expect("regex"))
        .stdout(predicate::str::is_match(r"(?m)^  stories\s+\d").expect("regex"));
    flowcast()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("split into 3 stories"))
        .stdout(predicate::str::is_match(r"build\s+1\s+1\.00\s+3\.00\s+75%").expect("regex"));
}

// Proves a forecast of a backlog that splits counts the backlog's items (the
// features), each done when its last story is: 2 features, one analyst at 1
// day each (0→1, 1→2), 3 stories each, one builder at 1 day a story (feature
// 1's stories 1→4, feature 2's 4→7): features are done at 4 and 7. Day 1 is
// Mon 4 Jan 2027, so t = 7 is 11 Jan (the whole backlog); by Sat 9 Jan (t < 6)
// one feature is done.
#[test]
fn forecasts_count_the_backlogs_items() {
    let yaml = "name: f\ntime_unit: days\nstart: 2027-01-04\narrivals: {backlog: 2}\nstages:\n  \
                - {name: analysis, workers: 1, work: 1, split: {into: 3}}\n  \
                - {name: build, workers: 1, work: 1}\n";
    let r = one_run(yaml);
    assert_eq!((r.delivered, r.end_time), (2, 7.0));
    let (_dir, path) = temp_file("f.yaml", yaml);
    let out = flowcast()
        .arg("forecast")
        .arg(&path)
        .args(["--runs", "20", "--json", "-", "--by", "2027-01-09"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["backlog"], 2);
    assert_eq!(json["when"]["p95"], "2027-01-11");
    assert_eq!(json["how_many"]["p50"], 1);
}

// Proves the terminal forecast says what an item is when the stream splits.
#[test]
fn forecasts_say_what_counts_as_an_item() {
    let yaml = "name: f\ntime_unit: days\nstart: 2027-01-04\narrivals: {backlog: 3, mix: {feature: 1}}\nstages:\n  \
                - {name: analysis, workers: 1, work: 1, split: {into: 2, as: story}}\n  \
                - {name: build, workers: 1, work: 1}\n";
    let (_dir, path) = temp_file("f.yaml", yaml);
    flowcast()
        .arg("forecast")
        .arg(&path)
        .args(["--runs", "5"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "a feature split at analysis into stories counts once, when the last of them is done",
        ));
}

// Proves the event log names children `item-N.K` and ends a split item's rows
// with its `done` at its last child's: one feature into 2 stories (the case of
// `children_take_their_own_type_and_work`).
#[test]
fn the_event_log_names_children() {
    let yaml = "name: e\ntime_unit: days\narrivals: {backlog: 1, mix: {feature: 1}}\nstages:\n  \
                - {name: analysis, workers: 1, work: 2, split: {into: 2, as: story}}\n  \
                - {name: build, workers: 1, work: {feature: 9, story: 0.5}}\n";
    let (dir, path) = temp_file("e.yaml", yaml);
    let csv = dir.path().join("events.csv");
    flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "1", "--quiet", "--events"])
        .arg(&csv)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).expect("the log");
    for row in [
        "item-1,feature,analysis: in work,0",
        "item-1.1,story,build: in work,2",
        "item-1.2,story,build: waiting,2",
        "item-1.2,story,done,3",
        "item-1,feature,done,3",
    ] {
        assert!(text.contains(row), "no `{row}` in:\n{text}");
    }
}
