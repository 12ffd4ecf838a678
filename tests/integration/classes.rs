//! Classes of service and queue policies (issue 13, item 2) against queueing
//! theory (Cobham's non-preemptive priority M/G/1) and by hand.

use predicates::prelude::*;

use crate::common::{assert_mean_matches, flowcast, model, per_run, runs, temp_file};
use crate::deterministic::one_run;
use flowcast::model::Model;
use flowcast::sim::engine::{RunSummary, Status};
use flowcast::sim::montecarlo::event_log_of_run;

/// Each item's (type, delivery time), by item number, in run 0 with `seed`.
fn deliveries(m: &Model, seed: u64) -> Vec<(String, f64)> {
    let mut done: Vec<(u64, u16, f64)> = Vec::new();
    event_log_of_run(m, seed, 0, &mut |recs| {
        done.extend(
            recs.iter()
                .filter(|r| r.status == Status::Done)
                .map(|r| (r.item, r.ty, r.time)),
        );
    })
    .expect("the run finishes");
    done.sort_by_key(|d| d.0);
    done.iter()
        .map(|&(_, ty, t)| (m.types[ty as usize].name.clone(), t))
        .collect()
}

/// The types of the items, by item number.
fn kinds(d: &[(String, f64)]) -> Vec<&str> {
    d.iter().map(|(k, _)| k.as_str()).collect()
}

/// The delivery times, by item number.
fn times(d: &[(String, f64)]) -> Vec<f64> {
    d.iter().map(|(_, t)| *t).collect()
}

/// Three classes through one worker, Poisson arrivals at 0.75 an hour split by
/// the mix: `urgent` (type a, 20%, exponential work of mean 0.8), `normal`
/// (type b, 30%, constant work 1) and `low` (type c, 50%, exponential mean 1.2).
fn cobham_scenario(queue: &str) -> String {
    format!(
        "name: cobham\ntime_unit: hours\narrivals: {{rate: 0.75, mix: {{a: 0.2, b: 0.3, c: 0.5}}}}\n\
         classes:\n  low: {{types: [c], priority: 3}}\n  urgent: {{types: [a], priority: 1}}\n  normal: {{types: [b], priority: 2}}\n\
         queue: {queue}\nsimulation: {{items: 6000, warmup: 600}}\nstages:\n\
         \x20 - {{name: serve, work: {{a: {{dist: exponential, mean: 0.8}}, b: 1, c: {{dist: exponential, mean: 1.2}}}}}}\n"
    )
}

// Proves non-preemptive priority against Cobham's formula for M/G/1: with
// classes k = 1, 2, 3 (most urgent first), arrival rates λ_k, work S_k and
// σ_k = Σ_{i≤k} λ_i E[S_i], the mean wait of class k is
// W_k = W0 / ((1 − σ_{k−1})(1 − σ_k)), W0 = Σ λ_i E[S_i²] / 2, and its lead
// time W_k + E[S_k]. Here ρ = 0.795 (0.12 + 0.225 + 0.45); W0 = 0.7485, so the
// waits are 0.851, 1.299 and 5.574 hours. Each class's mean lead time per run
// must lie within four standard errors of theory, and the overall mean wait
// with them; the classes are declared out of order, so the priorities order them.
#[test]
fn priority_matches_cobham() {
    let m = model(&cobham_scenario("priority"));
    assert_eq!(
        m.classes
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["urgent", "normal", "low"]
    );
    let (rs, _) = runs(&m, 200, 13);
    let lambda = [0.75 * 0.2, 0.75 * 0.3, 0.75 * 0.5];
    let mean = [0.8, 1.0, 1.2];
    let second = [2.0 * 0.8 * 0.8, 1.0, 2.0 * 1.2 * 1.2];
    let w0: f64 = (0..3).map(|k| lambda[k] * second[k]).sum::<f64>() / 2.0;
    let mut sigma = 0.0;
    for k in 0..3 {
        let before = sigma;
        sigma += lambda[k] * mean[k];
        let wait = w0 / ((1.0 - before) * (1.0 - sigma));
        let lead = per_run(&rs, |r| {
            r.classes[k].lead_sum / r.classes[k].delivered as f64
        });
        let ci = flowcast::stats::mean_ci95(&lead);
        eprintln!(
            "class {}: lead simulated {:.4} (95% CI {:.4}–{:.4}), Cobham {:.4} (wait {wait:.4})",
            m.classes[k].name,
            ci.mean,
            ci.lo,
            ci.hi,
            wait + mean[k]
        );
        assert_mean_matches(
            &format!("class {} lead time", m.classes[k].name),
            &lead,
            wait + mean[k],
        );
        let wait_k = per_run(&rs, |r| {
            r.classes[k].lead_sum / r.classes[k].delivered as f64 - mean[k]
        });
        assert_mean_matches(&format!("class {} wait", m.classes[k].name), &wait_k, wait);
    }
}

// Proves FIFO with the same classes is the plain M/G/1 (Pollaczek–Khinchine):
// every class waits W0 / (1 − ρ) = 3.652 hours, so classes change nothing
// unless a queue policy uses them.
#[test]
fn fifo_ignores_classes() {
    let m = model(&cobham_scenario("fifo"));
    let (rs, _) = runs(&m, 200, 14);
    let w0 = (0.15 * 1.28 + 0.225 * 1.0 + 0.375 * 2.88) / 2.0;
    let wait = w0 / (1.0 - 0.795);
    for (k, work) in [0.8, 1.0, 1.2].into_iter().enumerate() {
        let lead = per_run(&rs, |r| {
            r.classes[k].lead_sum / r.classes[k].delivered as f64
        });
        let ci = flowcast::stats::mean_ci95(&lead);
        eprintln!(
            "FIFO class {}: lead simulated {:.4} (95% CI {:.4}–{:.4}), Pollaczek–Khinchine {:.4}",
            m.classes[k].name,
            ci.mean,
            ci.lo,
            ci.hi,
            wait + work
        );
        assert_mean_matches(
            &format!("FIFO class {} lead", m.classes[k].name),
            &lead,
            wait + work,
        );
    }
}

/// Two item types through `dev` (one person; a takes 1 day, b 2) and an
/// automated `test` (a takes 3 days, b none): a has more work ahead of it.
fn two_step(queue: &str) -> String {
    priced(queue, "", "1000")
}

/// [`two_step`] with classes (`extra`) and a cost of delay as written.
fn priced(queue: &str, extra: &str, cost: &str) -> String {
    format!(
        "name: hand\ntime_unit: days\narrivals: {{backlog: 4, mix: {{a: 0.5, b: 0.5}}}}\n{extra}\
         economics: {{cost_of_delay: {cost}}}\nstages:\n\
         \x20 - {{name: dev, work: {{a: 1, b: 2}}, queue: {queue}}}\n\
         \x20 - {{name: test, workers: unlimited, work: {{a: 3, b: 0}}}}\n"
    )
}

// Proves WSJF and shortest_first by hand on a backlog of four (seed 11 gives
// types a, b, a, b). WSJF at dev ranks by cost of delay ÷ remaining work: the
// same cost for both, a has 1 + 3 = 4 days ahead and b 2, so b goes first:
// dev runs item 2 0–2, item 4 2–4, item 1 4–5, item 3 5–6, and a's test adds 3:
// deliveries 8, 2, 9, 4. shortest_first looks only at dev's work (a 1 < b 2):
// items 1 0–1, 3 1–2, 2 2–4, 4 4–6, delivered 4, 4, 5, 6. FIFO: 1 0–1, 2 1–3,
// 3 3–4, 4 4–6, delivered 4, 3, 7, 6.
#[test]
fn wsjf_and_shortest_first_by_hand() {
    let wsjf = deliveries(&model(&two_step("wsjf")), 11);
    assert_eq!(kinds(&wsjf), ["a", "b", "a", "b"]);
    assert_eq!(times(&wsjf), [8.0, 2.0, 9.0, 4.0]);
    let sf = deliveries(&model(&two_step("shortest_first")), 11);
    assert_eq!(times(&sf), [4.0, 4.0, 5.0, 6.0]);
    let fifo = deliveries(&model(&two_step("fifo")), 11);
    assert_eq!(times(&fifo), [4.0, 3.0, 7.0, 6.0]);
}

// Proves WSJF weighs each type's own cost of delay, given per type or per class
// of service, by hand (the scenario of the test above, seed 11: a, b, a, b).
// {a: 8000, b: 2000} per week: a scores 8000 ÷ 4 = 2000, b 2000 ÷ 2 = 1000, so a
// goes first, and dev runs as shortest_first did: delivered 4, 4, 5, 6. A class
// `urgent` of b priced 9000 gives b 4500 > a's 2000: b first again, 8, 2, 9, 4.
// A type's own figure wins over its class's: class `all` at 1000 with a at
// 8000 scores a 2000, b 500: 4, 4, 5, 6.
#[test]
fn wsjf_weighs_cost_of_delay_per_type_and_class() {
    let per_type = model(&priced("wsjf", "", "{a: 8000, b: 2000}"));
    assert_eq!(times(&deliveries(&per_type, 11)), [4.0, 4.0, 5.0, 6.0]);
    let urgent = "classes: {urgent: {types: [b]}}\n";
    let by_class = model(&priced("wsjf", urgent, "{urgent: 9000, a: 8000}"));
    assert_eq!(times(&deliveries(&by_class, 11)), [8.0, 2.0, 9.0, 4.0]);
    let all = "classes: {all: {types: [a, b]}}\n";
    let type_wins = model(&priced("wsjf", all, "{all: 1000, a: 8000}"));
    let e = type_wins.economics.as_ref().expect("economics");
    assert_eq!(e.cost_of_delay, Some(vec![8000.0, 1000.0]));
    assert_eq!(times(&deliveries(&type_wins, 11)), [4.0, 4.0, 5.0, 6.0]);
}

const DUE: &str = "name: hand\ntime_unit: days\narrivals: {backlog: 5, mix: {u: 0.4, v: 0.3, w: 0.3}}\n\
    classes:\n  later: {types: [v], due: 30}\n  soon: {types: [u], due: 1.5}\n\
    stages:\n  - {name: dev, work: 1}\n";

// Proves due_date by hand (seed 13 gives types w, u, v, u, w; w is in no class,
// so in the implicit `standard`, which has no due date). Earliest due date
// first: the u items (due 1.5) 2 and 4 at 0–1 and 1–2, then v (due 30) item 3
// at 2–3, then the w items in arrival order, 1 at 3–4 and 5 at 4–5. Class
// `soon` is on time for item 2 (1 ≤ 1.5), late for item 4 (2 > 1.5): 1 of 2;
// `later` 1 of 1. Under FIFO (the default) the u items finish at 2 and 4, both late.
#[test]
fn due_date_by_hand() {
    let m = model(&DUE.replace("stages:", "queue: due_date\nstages:"));
    assert_eq!(
        m.classes
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["later", "soon", "standard"]
    );
    let d = deliveries(&m, 13);
    assert_eq!(kinds(&d), ["w", "u", "v", "u", "w"]);
    assert_eq!(times(&d), [4.0, 1.0, 3.0, 2.0, 5.0]);
    let (rs, _) = runs(&m, 1, 13);
    let c = &rs[0].classes;
    assert_eq!((c[0].delivered, c[0].on_time, c[0].lead_sum), (1, 1, 3.0));
    assert_eq!((c[1].delivered, c[1].on_time, c[1].lead_sum), (2, 1, 3.0));
    assert_eq!((c[2].delivered, c[2].lead_sum), (2, 9.0));

    let fifo = model(DUE);
    assert_eq!(times(&deliveries(&fifo, 13)), [1.0, 2.0, 3.0, 4.0, 5.0]);
    let (rs, _) = runs(&fifo, 1, 13);
    assert_eq!(rs[0].classes[1].on_time, 0);
}

/// An expedite class for incidents, queues by priority.
const EXPEDITE: &str = "name: hand\ntime_unit: days\n\
    classes: {expedite: {types: [incident], priority: 0, wip_exempt: true}}\nqueue: priority\n";

// Proves an expedite item passes a full stream WIP limit, by hand (seed 11:
// feature, incident, feature, incident; one stage, work 1, wip_limit 1). At 0
// both incidents enter over the limit and the features wait outside: dev works
// item 2 0–1 and item 4 1–2; the stream is empty at 2, so item 1 enters, 2–3,
// then item 3, 3–4. Delivered 3, 1, 4, 2. Without the exemption one item is
// let in at a time, in arrival order: 1, 2, 3, 4.
#[test]
fn expedite_passes_the_stream_wip_limit() {
    let body = "arrivals: {backlog: 4, mix: {feature: 0.5, incident: 0.5}}\nwip_limit: 1\n\
                stages:\n  - {name: dev, work: 1}\n";
    let m = model(&format!("{EXPEDITE}{body}"));
    let d = deliveries(&m, 11);
    assert_eq!(kinds(&d), ["feature", "incident", "feature", "incident"]);
    assert_eq!(times(&d), [3.0, 1.0, 4.0, 2.0]);
    let held = model(&format!("{EXPEDITE}{body}").replace("wip_exempt: true", "wip_exempt: false"));
    assert_eq!(times(&deliveries(&held, 11)), [1.0, 2.0, 3.0, 4.0]);
}

// Proves an expedite item passes a full stage WIP limit, by hand (seed 2:
// feature, feature, feature, incident). dev is automated (features take 1 day,
// the incident 1.5); review has one person, work 2 and wip_limit 2. At 1 the
// features finish and review pulls items 1 and 2 (full); it works item 1 1–3.
// At 1.5 the incident enters review over its limit and, by priority, goes
// before item 2: it is worked 3–5. At 5 review has room for item 3: item 2 is
// worked 5–7, item 3 7–9. Delivered 3, 7, 9, 5. Without the exemption the
// incident waits behind item 3 to enter, and enters at 5: item 2 3–5, the
// incident 5–7 (before item 3, by priority), item 3 7–9: 3, 5, 9, 7.
#[test]
fn expedite_passes_a_full_stage() {
    let body = "arrivals: {backlog: 4, mix: {feature: 0.5, incident: 0.5}}\nstages:\n\
                \x20 - {name: dev, workers: unlimited, work: {feature: 1, incident: 1.5}}\n\
                \x20 - {name: review, work: 2, wip_limit: 2}\n";
    let m = model(&format!("{EXPEDITE}{body}"));
    let d = deliveries(&m, 2);
    assert_eq!(kinds(&d), ["feature", "feature", "feature", "incident"]);
    assert_eq!(times(&d), [3.0, 7.0, 9.0, 5.0]);
    let held = model(&format!("{EXPEDITE}{body}").replace("wip_exempt: true", "wip_exempt: false"));
    assert_eq!(times(&deliveries(&held, 2)), [3.0, 5.0, 9.0, 7.0]);
}

// Proves a shared pool chooses across its stages by their policy, by hand: one
// person serves a (work 1) and b (work 2), queues by priority, with a backlog of
// three (seed 11: types x, w, x; x is expedite). At 0 all wait at a: item 1
// (x) 0–1, item 3 (x) 1–2; at 2 item 1 waits at b and item 2 (w) at a — the
// expedite item at b goes first, 2–4, then item 3 at b (x, since 2) 4–6, then
// item 2 at a 6–7 and at b 7–9. Delivered 4, 9, 6. Under FIFO the pool takes the
// item waiting longest, so a empties first (items 1, 2, 3 at 0–3) and b takes
// them in the order they joined it: 3–5, 5–7, 7–9, delivered 5, 7, 9.
#[test]
fn pool_uses_its_stages_policy() {
    let yaml = "name: hand\ntime_unit: days\narrivals: {backlog: 3, mix: {x: 0.5, w: 0.5}}\n\
                resources: {qa: 1}\nclasses: {expedite: {types: [x]}}\nqueue: priority\nstages:\n\
                \x20 - {name: a, workers: qa, work: 1}\n  - {name: b, workers: qa, work: 2}\n";
    let d = deliveries(&model(yaml), 11);
    assert_eq!(kinds(&d), ["x", "w", "x"]);
    assert_eq!(times(&d), [4.0, 9.0, 6.0]);
    let fifo = model(&yaml.replace("queue: priority", "queue: fifo"));
    assert_eq!(times(&deliveries(&fifo, 11)), [5.0, 7.0, 9.0]);
}

/// A run summary of `yaml` (seed 1), to check classes change nothing of FIFO runs.
fn summary(yaml: &str) -> RunSummary {
    one_run(yaml)
}

// Proves declaring classes leaves a FIFO stream's run exactly as it was: every
// sum and time integral is identical; only the per-class sums are added.
#[test]
fn classes_alone_change_nothing() {
    let plain = "name: x\ntime_unit: days\narrivals: {rate: 0.8, mix: {a: 0.3, b: 0.7}}\n\
                 simulation: {items: 500, warmup: 50}\nstages:\n\
                 \x20 - {name: s, workers: 1, work: {dist: exponential, mean: 1}}\n";
    let with = plain.replace(
        "stages:",
        "classes: {top: {types: [a], priority: 0}}\nstages:",
    );
    let (a, mut b) = (summary(plain), summary(&with));
    assert_eq!(b.classes.len(), 2);
    assert_eq!(b.classes[0].delivered, b.types[0].delivered);
    assert_eq!(b.classes[1].lead_sum, b.types[1].lead_sum);
    b.classes.clear();
    assert_eq!(a, b);
}

// Proves the results carry a per-class section: share, lead time with its CI
// and percentiles, and the on-time share of classes with a due date; the JSON
// has `classes` only when the scenario declares them.
#[test]
fn results_and_json_have_classes() {
    let yaml = cobham_scenario("priority")
        .replace(
            "urgent: {types: [a], priority: 1}",
            "urgent: {types: [a], priority: 1, due: 2}",
        )
        .replace(
            "items: 6000, warmup: 600",
            "items: 2000, warmup: 200, runs: 20",
        );
    let (_dir, path) = temp_file("c.yaml", &yaml);
    let out = flowcast()
        .args(["run", "--json", "-", "--seed", "3"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let classes = v["variants"][0]["classes"].as_array().expect("classes");
    let names: Vec<&str> = classes
        .iter()
        .map(|c| c["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["urgent", "normal", "low"]);
    let urgent = &classes[0];
    assert_eq!(urgent["types"], serde_json::json!(["a"]));
    let share = urgent["share"].as_f64().expect("share");
    assert!((share - 0.2).abs() < 0.02, "{share}");
    let lead = &urgent["lead_time"];
    let (mean, lo, hi) = (
        lead["mean"].as_f64().expect("mean"),
        lead["mean_ci95"][0].as_f64().expect("lo"),
        lead["mean_ci95"][1].as_f64().expect("hi"),
    );
    assert!(lo < mean && mean < hi, "{lead}");
    assert!(lead["p85"].as_f64().expect("p85") > lead["p50"].as_f64().expect("p50"));
    let on_time = urgent["on_time"].as_f64().expect("on_time");
    assert!(on_time > 0.5 && on_time < 1.0, "{on_time}");
    assert!(classes[1].get("on_time").is_none());

    let plain = "name: x\narrivals: {rate: 0.5}\nsimulation: {runs: 3, items: 50}\nstages:\n  - {name: s, work: 1}\n";
    let (_d2, p2) = temp_file("p.yaml", plain);
    let out = flowcast()
        .args(["run", "--json", "-"])
        .arg(&p2)
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(v["variants"][0].get("classes").is_none());
}

// Proves the terminal and `check` show classes and policies.
#[test]
fn terminal_and_check_show_classes() {
    let yaml = cobham_scenario("priority")
        .replace(
            "urgent: {types: [a], priority: 1}",
            "urgent: {types: [a], priority: 1, due: 2, wip_exempt: true}",
        )
        .replace(
            "items: 6000, warmup: 600",
            "items: 1000, warmup: 100, runs: 10",
        );
    let (_dir, path) = temp_file("c.yaml", &yaml);
    flowcast()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("Classes of service"))
        .stdout(predicate::str::contains(
            "urgent (a; priority 1; due 2.00 hours; passes WIP limits)",
        ))
        .stdout(predicate::str::contains("queue priority"));
    flowcast()
        .arg("run")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("Classes of service"))
        .stdout(predicate::str::contains("on time"));
}

/// Runs `flowcast check` on `yaml`: exit 2, and stderr with every one of `words`.
fn refused(yaml: &str, words: &[&str]) {
    let (_dir, path) = temp_file("bad.yaml", yaml);
    let out = flowcast().arg("check").arg(&path).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for w in words {
        assert!(stderr.contains(w), "expected `{w}` in:\n{stderr}");
    }
}

const BASE: &str =
    "name: bad\ntime_unit: days\narrivals: {rate: 0.5, mix: {feature: 0.7, incident: 0.3}}\n";

// Proves bad classes and queue policies are located errors with a way out (exit 2).
#[test]
fn bad_classes_and_policies_are_located() {
    refused(
        &format!(
            "{BASE}classes:\n  a: {{types: [incident]}}\n  b: {{types: [feature, incident]}}\nstages:\n  - {{name: s, work: 1}}\n"
        ),
        &[
            "bad.yaml:6:",
            "class `b`",
            "`incident` is already in class `a`",
        ],
    );
    refused(
        &format!("{BASE}classes:\n  a: {{types: [incidnet]}}\nstages:\n  - {{name: s, work: 1}}\n"),
        &["bad.yaml:5:", "`incidnet`", "did you mean `incident`?"],
    );
    refused(
        &format!(
            "{BASE}classes: {{urgent: {{types: [incident]}}}}\neconomics: {{cost_of_delay: {{urgnet: 5}}}}\n\
             stages:\n  - {{name: s, work: 1}}\n"
        ),
        &[
            "bad.yaml:5:",
            "neither an item type",
            "did you mean `urgent`?",
        ],
    );
    refused(
        &format!(
            "{BASE}classes: {{urgent: {{types: [incident]}}}}\neconomics: {{cost_of_delay: {{urgent: 5}}}}\n\
             stages:\n  - {{name: s, work: 1}}\n"
        ),
        &["bad.yaml:5:", "no figure for feature", "its class's"],
    );
    refused(
        &format!("{BASE}stages:\n  - {{name: s, work: 1, queue: priorty}}\n"),
        &[
            "bad.yaml:5:",
            "`priorty` is not a queue policy",
            "did you mean `priority`?",
        ],
    );
    refused(
        &format!("{BASE}queue: lifo\nstages:\n  - {{name: s, work: 1}}\n"),
        &[
            "bad.yaml:4:",
            "queue policies are: fifo, priority, wsjf, shortest_first, due_date",
        ],
    );
    refused(
        &format!("{BASE}stages:\n  - {{name: s, work: 1, queue: wsjf}}\n"),
        &["bad.yaml:5:", "wsjf", "cost of delay", "economics"],
    );
    refused(
        &format!("{BASE}queue: priority\nstages:\n  - {{name: s, work: 1}}\n"),
        &["bad.yaml:4:", "no classes of service"],
    );
    refused(
        &format!(
            "{BASE}classes: {{x: {{types: [incident]}}}}\nstages:\n  - {{name: s, work: 1, queue: due_date}}\n"
        ),
        &["bad.yaml:6:", "no class of service has a due date"],
    );
    refused(
        &format!(
            "{BASE}classes: {{x: {{types: [incident], due: 0}}}}\nstages:\n  - {{name: s, work: 1}}\n"
        ),
        &["bad.yaml:4:", "due must be longer than 0"],
    );
    refused(
        &format!(
            "{BASE}classes: {{x: {{types: [incident], urgent: true}}}}\nstages:\n  - {{name: s, work: 1}}\n"
        ),
        &["bad.yaml:4:", "urgent"],
    );
    refused(
        &format!(
            "{BASE}resources: {{qa: 1}}\nclasses: {{x: {{types: [incident]}}}}\nstages:\n\
             \x20 - {{name: a, workers: qa, work: 1, queue: priority}}\n  - {{name: b, workers: qa, work: 1}}\n"
        ),
        &[
            "bad.yaml:",
            "same pool `qa`",
            "give the pool's stages the same `queue`",
        ],
    );
}

// Proves queue policies can be set per variant: `set: {review.queue: priority}`
// in the file, `--what-if 'queue=shortest_first'` for every stage, and a bad
// policy in a what-if is refused naming the flag.
#[test]
fn queue_is_settable_per_variant() {
    use flowcast::Scenario;
    use flowcast::model::QueuePolicy;
    use flowcast::scenario::interventions::{build, from_file, parse_what_if};
    let yaml = format!(
        "{BASE}classes: {{expedite: {{types: [incident], priority: 0}}}}\neconomics: {{cost_of_delay: 100}}\n\
         stages:\n  - {{name: dev, work: 1}}\n  - {{name: review, work: 0.5}}\n\
         interventions:\n  - name: expedite in review\n    set: {{review.queue: priority}}\n"
    );
    let s = Scenario::from_text("t.yaml", &yaml).unwrap_or_else(|e| panic!("{e}"));
    let mut ivs = from_file(&s).unwrap_or_else(|e| panic!("{e}"));
    ivs.push(parse_what_if("queue=shortest_first").unwrap_or_else(|e| panic!("{e}")));
    ivs.push(parse_what_if("review.queue=wsjf").unwrap_or_else(|e| panic!("{e}")));
    let v = build(&s, &ivs).unwrap_or_else(|e| panic!("{e}"));
    let q = |i: usize| {
        v[i].model
            .stages
            .iter()
            .map(|s| s.queue)
            .collect::<Vec<_>>()
    };
    assert_eq!(q(0), [QueuePolicy::Fifo, QueuePolicy::Fifo]);
    assert_eq!(q(1), [QueuePolicy::Fifo, QueuePolicy::Priority]);
    assert_eq!(
        q(2),
        [QueuePolicy::ShortestFirst, QueuePolicy::ShortestFirst]
    );
    assert_eq!(q(3), [QueuePolicy::Fifo, QueuePolicy::Wsjf]);

    let (_dir, path) = temp_file("t.yaml", &yaml);
    flowcast()
        .args(["run", "--runs", "2", "--what-if", "review.queue=lifo"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--what-if 'review.queue=lifo'"))
        .stderr(predicate::str::contains("not a queue policy"));
}
