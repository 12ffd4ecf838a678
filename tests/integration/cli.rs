//! Command-line behaviour: located validation errors with exit code 2, `new`,
//! `check`, JSON output and its independence from the thread count.

use predicates::prelude::*;

use crate::common::{flowcast, scenarios_dir, temp_file};

const GOOD: &str = "name: Small stream
time_unit: days
seed: 3
arrivals:
  rate: 0.8
stages:
  - name: develop
    workers: 2
    work: {dist: lognormal, mean: 2, cv: 0.8}
  - name: review
    workers: 1
    work: {dist: exponential, mean: 0.5}
    rework: {probability: 0.2, to: develop, effort: 0.5}
simulation: {runs: 40, items: 400, warmup: 40}
";

/// Runs `flowcast check` on `yaml` and asserts exit 2 with a message located at
/// `line:column` that contains every one of `words`.
fn assert_invalid(yaml: &str, line: u32, column: u32, words: &[&str]) {
    let (_dir, path) = temp_file("bad.yaml", yaml);
    let out = flowcast()
        .arg("check")
        .arg(&path)
        .output()
        .expect("flowcast runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "exit code for:\n{stderr}");
    let at = format!("{}:{line}:{column}: ", path.display());
    assert!(
        stderr.starts_with(&format!("error: {at}")),
        "expected `{at}` in:\n{stderr}"
    );
    for w in words {
        assert!(stderr.contains(w), "expected `{w}` in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout for an invalid scenario"
    );
}

// Proves an unknown key is located and the nearest valid key suggested.
#[test]
fn unknown_key_suggests_nearest() {
    let yaml = GOOD.replace("    workers: 2", "    wokers: 2");
    assert_invalid(
        &yaml,
        8,
        5,
        &["unknown key `wokers`", "did you mean `workers`?"],
    );
}

// Proves an unknown top-level key is located too.
#[test]
fn unknown_top_level_key() {
    let yaml = GOOD.replace("seed: 3", "sead: 3");
    assert_invalid(&yaml, 3, 1, &["unknown key `sead`", "did you mean `seed`?"]);
}

// Proves bad distribution parameters name the stage, the field and the line.
#[test]
fn bad_distribution_parameters() {
    let yaml = GOOD.replace("mean: 2, cv: 0.8", "mean: -2, cv: 0.8");
    assert_invalid(&yaml, 9, 11, &["stage `develop`", "work", "mean is -2"]);
    let yaml = GOOD.replace(
        "{dist: lognormal, mean: 2, cv: 0.8}",
        "{dist: triangular, min: 3, mode: 2, max: 5}",
    );
    assert_invalid(
        &yaml,
        9,
        11,
        &["stage `develop`", "mode (2) must lie between"],
    );
    let yaml = GOOD.replace(
        "{dist: lognormal, mean: 2, cv: 0.8}",
        "{dist: lognormal, p50: 3, p90: 2}",
    );
    assert_invalid(&yaml, 9, 11, &["p90 (2) is below p50 (3)"]);
    let yaml = GOOD.replace(
        "{dist: lognormal, mean: 2, cv: 0.8}",
        "{dist: lognormal, mean: 2, cv: 0}",
    );
    assert_invalid(&yaml, 9, 11, &["cv is 0"]);
    let yaml = GOOD.replace(
        "{dist: lognormal, mean: 2, cv: 0.8}",
        "{dist: empirical, samples: []}",
    );
    assert_invalid(&yaml, 9, 11, &["samples is empty"]);
    let yaml = GOOD.replace(
        "{dist: lognormal, mean: 2, cv: 0.8}",
        "{dist: lognormol, mean: 2, cv: 0.8}",
    );
    assert_invalid(
        &yaml,
        9,
        11,
        &[
            "unknown distribution `lognormol`",
            "did you mean `lognormal`?",
        ],
    );
    let yaml = GOOD.replace(
        "{dist: lognormal, mean: 2, cv: 0.8}",
        "{dist: lognormal, mean: 2, sd: 0.8}",
    );
    assert_invalid(&yaml, 9, 11, &["lognormal has no parameter `sd`"]);
}

// Proves rework to a later stage, to a missing stage, and with probability ≥ 1 are refused
// at the offending value.
#[test]
fn bad_rework() {
    let yaml = GOOD.replace(
        "    work: {dist: lognormal, mean: 2, cv: 0.8}\n",
        "    work: {dist: lognormal, mean: 2, cv: 0.8}\n    rework: {probability: 0.1, to: review}\n",
    );
    assert_invalid(
        &yaml,
        10,
        36,
        &["rework goes forward to `review`", "earlier one"],
    );
    let yaml = GOOD.replace("to: develop", "to: devlop");
    assert_invalid(
        &yaml,
        13,
        36,
        &["`devlop` that does not exist", "did you mean `develop`?"],
    );
    let yaml = GOOD.replace("probability: 0.2", "probability: 1.0");
    assert_invalid(&yaml, 13, 27, &["rework probability is 1", "below 1"]);
}

// Proves a stream without stages and duplicate stage names are refused.
#[test]
fn no_stages_and_duplicates() {
    let yaml = "name: x\narrivals: {rate: 1}\nstages: []\n";
    assert_invalid(yaml, 3, 9, &["no stages"]);
    let yaml = GOOD.replace("name: review", "name: develop");
    assert_invalid(&yaml, 10, 11, &["two stages are named `develop`", "line 7"]);
}

// Proves an unknown duration unit is refused with the units we accept.
#[test]
fn unknown_duration_unit() {
    let yaml = GOOD.replace("{dist: exponential, mean: 0.5}", "3y");
    assert_invalid(
        &yaml,
        12,
        11,
        &["unknown duration unit `y`", "m, h, d or w"],
    );
}

// Proves bad mix shares are refused (they must add up to 1, each between 0 and 1).
#[test]
fn bad_mix_shares() {
    let yaml = GOOD.replace(
        "  rate: 0.8",
        "  rate: 0.8\n  mix: {feature: 0.6, defect: 0.3}",
    );
    assert_invalid(&yaml, 6, 8, &["mix shares add up to 0.9, not 1"]);
    let yaml = GOOD.replace(
        "  rate: 0.8",
        "  rate: 0.8\n  mix: {feature: 1.5, defect: -0.5}",
    );
    assert_invalid(&yaml, 6, 8, &["share of `feature` is 1.5"]);
}

// Proves arrivals need exactly one form, and a WIP limit below a handoff batch is refused.
#[test]
fn arrivals_and_wip_limits() {
    let yaml = GOOD.replace("  rate: 0.8", "  rate: 0.8\n  backlog: 10");
    assert_invalid(
        &yaml,
        5,
        3,
        &["more than one of rate, interval and backlog"],
    );
    let yaml = GOOD.replace(
        "    workers: 2\n",
        "    workers: 2\n    handoff_batch: 5\n    wip_limit: 3\n",
    );
    assert_invalid(
        &yaml,
        10,
        16,
        &["wip_limit 3 is below its handoff_batch of 5"],
    );
}

// Proves YAML syntax errors are located.
#[test]
fn yaml_syntax_error() {
    let yaml = GOOD.replace("  - name: review", "  - name: [review");
    let (_dir, path) = temp_file("bad.yaml", &yaml);
    flowcast()
        .arg("run")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(format!(
            "error: {}:",
            path.display()
        )))
        .stderr(predicate::str::contains("panicked").not());
}

// Proves a missing file exits 2 and names it.
#[test]
fn missing_file() {
    flowcast()
        .args(["run", "no-such-scenario.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-scenario.yaml"))
        .stderr(predicate::str::contains("No such file"));
}

// Proves bad command-line values exit 2 (clap's usage errors).
#[test]
fn bad_arguments() {
    let (_dir, path) = temp_file("good.yaml", GOOD);
    flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "0"])
        .assert()
        .code(2);
    flowcast()
        .arg("run")
        .arg(&path)
        .args(["--threads", "x"])
        .assert()
        .code(2);
    flowcast().args(["frobnicate"]).assert().code(2);
}

// Proves `--json -` writes only JSON to stdout, byte-identical with 1 and 2 threads,
// with every key SPEC §4 requires.
#[test]
fn json_is_identical_for_any_thread_count() {
    let (_dir, path) = temp_file("good.yaml", GOOD);
    let run = |threads: &str| {
        let out = flowcast()
            .arg("run")
            .arg(&path)
            .args(["--json", "-", "--threads", threads, "--runs", "150"])
            .output()
            .expect("flowcast runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let one = run("1");
    let two = run("2");
    assert!(
        one == two,
        "JSON differs between --threads 1 and --threads 2"
    );
    let v: serde_json::Value = serde_json::from_slice(&one).expect("stdout is JSON alone");
    for key in [
        "scenario",
        "time_unit",
        "runs",
        "seed",
        "events",
        "variants",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["runs"], 150);
    assert_eq!(v["seed"], 3);
    let b = &v["variants"][0];
    assert_eq!(b["name"], "baseline");
    for key in [
        "lead_time",
        "flow_efficiency",
        "flow_efficiency_mean",
        "throughput",
        "wip",
        "delivered",
        "stages",
        "bottleneck",
        "delta",
    ] {
        assert!(b.get(key).is_some(), "missing variants[0].{key}");
    }
    for key in ["mean", "mean_ci95", "p50", "p85", "p95", "max"] {
        assert!(b["lead_time"].get(key).is_some(), "missing lead_time.{key}");
    }
    for key in ["name", "utilization", "wait", "queue", "work", "visits"] {
        assert!(b["stages"][0].get(key).is_some(), "missing stages[0].{key}");
    }
    assert!(b["delta"].is_null());
    assert_eq!(b["delivered"], 360.0);
    assert!(v["events"].as_u64().unwrap() > 150 * 400);
}

// Proves a different seed changes the numbers and the same seed repeats them.
#[test]
fn seed_controls_output() {
    let (_dir, path) = temp_file("good.yaml", GOOD);
    let run = |seed: &str| {
        flowcast()
            .arg("run")
            .arg(&path)
            .args(["--json", "-", "--quiet", "--runs", "20", "--seed", seed])
            .output()
            .expect("flowcast runs")
            .stdout
    };
    assert_eq!(run("5"), run("5"));
    assert_ne!(run("5"), run("6"));
}

// Proves the terminal table names the bottleneck and flow efficiency, and warnings go
// to stderr before an overloaded stream runs.
#[test]
fn table_and_overload_warning() {
    let (_dir, path) = temp_file("good.yaml", GOOD);
    flowcast()
        .arg("run")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("baseline"))
        .stdout(predicate::str::contains("Bottleneck: "))
        .stdout(predicate::str::contains("Flow efficiency"));
    let hot = GOOD.replace("rate: 0.8", "rate: 1.5");
    let (_dir2, path2) = temp_file("hot.yaml", &hot);
    flowcast()
        .arg("run")
        .arg(&path2)
        .args(["--runs", "5"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: stage `develop` is overloaded",
        ));
    flowcast()
        .arg("check")
        .arg(&path2)
        .assert()
        .success()
        .stdout(predicate::str::contains("OVERLOADED"));
}

// Proves `new` writes a starter scenario that `check` and `run` accept, and never overwrites.
#[test]
fn new_writes_a_working_starter_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    flowcast()
        .current_dir(dir.path())
        .args(["new", "team"])
        .assert()
        .success();
    let file = dir.path().join("team.yaml");
    let text = std::fs::read_to_string(&file).expect("team.yaml written");
    assert!(text.contains("name: team"));
    flowcast()
        .current_dir(dir.path())
        .args(["check", "team.yaml"])
        .assert()
        .success();
    flowcast()
        .current_dir(dir.path())
        .args(["run", "team.yaml", "--runs", "10"])
        .assert()
        .success();
    std::fs::write(&file, "mine").expect("write");
    flowcast()
        .current_dir(dir.path())
        .args(["new", "team"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "mine");
}

// Proves every shipped example scenario is valid and not overloaded.
#[test]
fn example_scenarios_check_clean() {
    let mut n = 0;
    for entry in std::fs::read_dir(scenarios_dir()).expect("scenarios/ exists") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            n += 1;
            flowcast()
                .arg("check")
                .arg(&path)
                .assert()
                .success()
                .stdout(predicate::str::contains("is valid"));
        }
    }
    assert!(
        n >= 5,
        "expected at least five example scenarios, found {n}"
    );
}

// Proves overload warnings stay readable at any load: a percentage up to a few times over,
// "N times faster" beyond, and no "inf%" or 300-digit numbers for absurd values.
#[test]
fn overload_warnings_read_well_at_any_load() {
    let warn = |work: &str| {
        let yaml = format!(
            "name: hot\ntime_unit: days\narrivals: {{rate: 1}}\nstages:\n  - {{name: develop, workers: 2, work: {work}}}\n"
        );
        flowcast::describe::overload_warnings(&crate::common::model(&yaml)).join("\n")
    };
    assert!(
        warn("2.6").contains("work arrives at 130% of what 2 workers can do"),
        "{}",
        warn("2.6")
    );
    assert!(
        warn("70").contains("work arrives 35 times faster than 2 workers can do it"),
        "{}",
        warn("70")
    );
    // Three million days of work per item (just inside the 10,000-year bound on durations).
    let absurd = warn("3e6");
    assert!(absurd.contains("over a million times faster"), "{absurd}");
    assert!(!absurd.contains("inf") && absurd.len() < 400, "{absurd}");
    assert_eq!(warn("1.9"), "");
    // `check` shows such loads as multiples, not "inf%".
    let (_d, path) = temp_file(
        "absurd.yaml",
        "name: hot\ntime_unit: days\narrivals: {rate: 1}\nstages:\n  - {name: develop, workers: 2, work: 3e6}\n",
    );
    flowcast()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("> 10⁶× OVERLOADED"))
        .stdout(predicate::str::contains("inf").not());
}

// Proves `completions` prints a bash script that bash accepts and that knows the commands
// and their flags; an unknown shell is a usage error.
#[test]
fn completions_for_bash() {
    let out = flowcast()
        .args(["completions", "bash"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).expect("UTF-8");
    for word in ["forecast", "--what-if", "--history", "--report", "check"] {
        assert!(script.contains(word), "the script lacks {word}");
    }
    let (_d, path) = temp_file("flowcast.bash", &script);
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("bash runs");
    assert!(syntax.success(), "bash rejects the completion script");
    flowcast().args(["completions", "tcsh"]).assert().code(2);
}
