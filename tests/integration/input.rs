//! Scenario input (issue 9): working-calendar units, bounds on durations and
//! sizes, names that look like numbers, located errors inside interventions,
//! messages in the user's words, and files that are not scenarios.

use predicates::prelude::*;

use crate::common::{flowcast, model, runs, scenarios_dir, temp_file};
use flowcast::Scenario;
use flowcast::scenario::interventions::{build, from_file, parse_what_if};
use flowcast::sim::engine::RunSummary;

/// Words of Rust or of the YAML library that must never reach a user.
const LIBRARY_WORDS: [&str; 11] = [
    "Option<",
    "u64",
    "u32",
    "f64",
    "Depth {",
    "Policy",
    "configured policy",
    "Raw",
    "struct ",
    "serde",
    "saphyr",
];

/// Runs `flowcast check` on `yaml` and asserts exit 2, a message at `at` (line,
/// column) when given, every one of `words`, and no library wording; returns stderr.
fn refused(yaml: &str, at: Option<(usize, usize)>, words: &[&str]) -> String {
    let (_dir, path) = temp_file("bad.yaml", yaml);
    refused_file(&path, at, words)
}

fn refused_file(path: &std::path::Path, at: Option<(usize, usize)>, words: &[&str]) -> String {
    let out = flowcast()
        .arg("check")
        .arg(path)
        .output()
        .expect("flowcast runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "exit code for:\n{stderr}");
    if let Some((line, column)) = at {
        let want = format!("error: {}:{line}:{column}: ", path.display());
        assert!(stderr.starts_with(&want), "expected `{want}` in:\n{stderr}");
    }
    for w in words {
        assert!(stderr.contains(w), "expected `{w}` in:\n{stderr}");
    }
    for w in LIBRARY_WORDS {
        assert!(!stderr.contains(w), "library wording `{w}` in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Line and column (1-based) of the first `needle` in `yaml` at or after line `from`.
fn place(yaml: &str, from: usize, needle: &str) -> (usize, usize) {
    yaml.lines()
        .enumerate()
        .skip(from - 1)
        .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, l[..c].chars().count() + 1)))
        .unwrap_or_else(|| panic!("`{needle}` not in the test scenario"))
}

fn one_run(yaml: &str) -> RunSummary {
    let (mut rs, _) = runs(&model(yaml), 1, 1);
    rs.remove(0)
}

const HOURS_IN: [(&str, f64); 4] = [
    ("minutes", 1.0 / 60.0),
    ("hours", 1.0),
    ("days", 24.0),
    ("weeks", 168.0),
];

/// One item of a backlog, started on Monday 2026-01-05 at 00:00, with an 8-hour
/// Mon–Fri calendar from 09:00.
fn calendar_item(unit: &str, work: &str) -> String {
    format!(
        "name: cal\ntime_unit: {unit}\nstart: 2026-01-05\ncalendar: {{hours_per_day: 8}}\n\
         arrivals: {{backlog: 1}}\nstages:\n  - {{name: a, workers: 1, work: {work}}}\n"
    )
}

// Proves `8h` of work under an 8-hour calendar is eight working hours with time_unit
// days: from Monday 00:00 it runs 09:00–17:00, so the lead time is 17 h = 17/24 d and
// the active time 8 h = 1/3 d (it was 2.67 working hours before issue 9).
#[test]
fn hours_of_work_are_working_hours_in_days() {
    let r = one_run(&calendar_item("days", "8h"));
    assert!((r.lead_max - 17.0 / 24.0).abs() < 1e-12, "{}", r.lead_max);
    assert!(
        (r.active_sum - 8.0 / 24.0).abs() < 1e-12,
        "{}",
        r.active_sum
    );
}

// Proves `1d` of work with time_unit hours is one working day of 8 hours (not 24):
// Monday 09:00–17:00, lead time 17 h (it was 65 h before issue 9), active 8 h.
#[test]
fn a_day_of_work_is_a_working_day_in_hours() {
    let r = one_run(&calendar_item("hours", "1d"));
    assert!((r.lead_max - 17.0).abs() < 1e-9, "{}", r.lead_max);
    assert!((r.active_sum - 8.0).abs() < 1e-9, "{}", r.active_sum);
}

// Proves a week of work is hours_per_day × working days: `1w` with 8 h Mon–Fri is
// 40 working hours, Monday 09:00 to Friday 17:00 = 4 × 24 + 17 = 113 h.
#[test]
fn a_week_of_work_is_a_working_week() {
    let r = one_run(&calendar_item("hours", "1w"));
    assert!((r.lead_max - 113.0).abs() < 1e-9, "{}", r.lead_max);
}

// Proves the same stream gives the same instants in every time unit and with work
// written in any unit: three items, develop 8 working hours each (one worker), a 4 h
// elapsed handoff wait, review 90 working minutes. By hand from Monday 00:00: develop
// Mon/Tue/Wed 09–17, ready 21:00, reviewed 09:00–10:30 the next morning → leads
// 34.5, 58.5 and 82.5 h (sum 175.5 h); active 3 × 9.5 = 28.5 h.
#[test]
fn the_same_stream_in_any_unit_gives_the_same_instants() {
    let works = [
        ("480m", "90m"),
        ("8h", "1.5h"),
        ("1d", "0.1875d"),
        ("0.2w", "0.0375w"),
    ];
    for (unit, hours) in HOURS_IN {
        for (develop, review) in works {
            let yaml = format!(
                "name: same\ntime_unit: {unit}\ncalendar: {{hours_per_day: 8, days: [mon, tue, wed, thu, fri]}}\n\
                 arrivals: {{backlog: 3}}\nstages:\n  - {{name: develop, workers: 1, work: {develop}}}\n\
                 \x20 - {{name: review, workers: 1, wait: 4h, work: {review}}}\n"
            );
            let r = one_run(&yaml);
            let what = format!("{unit}, work {develop} and {review}");
            assert!(
                (r.lead_max * hours - 82.5).abs() < 1e-6,
                "{what}: {}",
                r.lead_max
            );
            assert!(
                (r.lead_sum * hours - 175.5).abs() < 1e-6,
                "{what}: {}",
                r.lead_sum
            );
            assert!(
                (r.active_sum * hours - 28.5).abs() < 1e-6,
                "{what}: {}",
                r.active_sum
            );
        }
    }
}

// Proves a bare number of work is the time unit in working time: `work: 1` with
// time_unit days is one working day (Monday 09:00–17:00, lead 17/24 d).
#[test]
fn a_bare_number_of_work_is_the_unit_in_working_time() {
    let r = one_run(&calendar_item("days", "1"));
    assert!((r.lead_max - 17.0 / 24.0).abs() < 1e-12, "{}", r.lead_max);
}

// Proves the example release's review of `mean: 2h` is two working hours, a quarter of
// an 8-hour working day (it was 2/24 d = 40 working minutes), and develop's p50 of 1.5d
// is one and a half working days, as the comments say.
#[test]
fn example_release_review_is_two_working_hours() {
    let s = Scenario::load(&scenarios_dir().join("forecast-the-release.yaml")).expect("valid");
    let review = &s.model.stages[1];
    assert_eq!(review.name, "review");
    assert!((review.work[0].mean() - 0.25).abs() < 1e-12);
    // The wait stays elapsed time: 4 h = 1/6 d.
    let wait = review.wait.as_ref().expect("a wait").mean();
    assert!((wait - 4.0 / 24.0).abs() < 1e-12);
    let spec = format!("{:?}", s.model.stages[0].work[0].spec());
    assert_eq!(spec, "LogNormalP50P90(1.5, 4.0)");
}

// Proves a schedule period below one second is refused at its value, with the bound in
// the scenario's unit (1 s = 1/3600 h).
#[test]
fn schedule_periods_below_a_second_are_refused() {
    let yaml = "arrivals: {rate: 1}\nstages:\n  - {name: a, work: 0.5}\n  - {name: board, schedule: {every: 1e-300}}\n";
    let (l, c) = place(yaml, 4, "1e-300");
    refused(
        yaml,
        Some((l, c)),
        &["schedule.every", "at least one second", "0.0002778 hours"],
    );
}

// Proves durations that are infinite or absurd after unit conversion are refused where
// they are written, naming the bound: periods, first instants, max_wait, work, wait,
// intervals and distribution parameters.
#[test]
fn absurd_and_infinite_durations_are_refused() {
    let stage = |extra: &str| {
        format!(
            "time_unit: days\narrivals: {{rate: 1}}\nstages:\n  - {{name: a, work: 0.5}}\n  - {extra}\n"
        )
    };
    for (extra, value) in [
        ("{name: b, schedule: {every: 1e308w}}", "1e308w"),
        ("{name: b, schedule: {every: 1w, first: 1e308w}}", "1e308w"),
        (
            "{name: b, work: 1, handoff_batch: {size: 2, max_wait: 1e308w}}",
            "{size",
        ),
        ("{name: b, work: 1e300}", "1e300"),
        ("{name: b, work: 20000000d}", "20000000d"),
        (
            "{name: b, work: {dist: uniform, min: 1, max: 1e300}}",
            "{dist",
        ),
        (
            "{name: b, work: 1, wait: {dist: exponential, mean: 1e305h}}",
            "{dist",
        ),
    ] {
        let yaml = stage(extra);
        let (l, c) = place(&yaml, 5, value);
        refused(&yaml, Some((l, c)), &["10,000 years"]);
    }
    let yaml = "arrivals: {interval: 1e300w}\nstages:\n  - {name: a, work: 0.5}\n";
    refused(
        yaml,
        Some(place(yaml, 1, "1e300w")),
        &["arrivals.interval", "10,000 years", "87660000 hours"],
    );
    // A Weibull with a tiny shape has an unbounded mean even with a small scale.
    let yaml = stage("{name: b, work: {dist: weibull, shape: 0.001, scale: 1}}");
    refused(
        &yaml,
        Some(place(&yaml, 5, "{dist")),
        &["mean longer than 10,000 years"],
    );
    // `.inf` is not a number anyone means.
    let yaml = stage("{name: b, work: .inf}");
    refused(
        &yaml,
        Some(place(&yaml, 5, ".inf")),
        &["not a finite number"],
    );
}

/// A stream whose names all look like numbers.
const NUMERIC: &str = "name: 2026
time_unit: hours
arrivals: {rate: 0.5, mix: {3: 0.5, feature: 0.5}}
commitment: 1
stages:
  - {name: 1, work: 0.5}
  - {name: 2, work: {3: 0.2, feature: 0.4}, rework: {probability: 0.1, to: 1}}
  - {name: 7, work: 0.1, skip: [3]}
simulation: {runs: 2, items: 200, warmup: 20}
interventions:
  - name: two on 1
    set: {1.workers: 2, arrivals.mix.3: 0.4, arrivals.mix.feature: 0.6, 2.work.3: 0.1}
  - name: drop 7
    remove: [7]
  - name: add 4
    add: [{after: 1, stage: {name: 4, work: 0.1, skip: [3]}}]
";

// Proves names written as numbers (a scenario `2026`, stages `1`, `2`, `7`, an item
// type `3`) work in every intervention — set paths, mix keys, work per type, remove,
// add after, rework.to, commitment, skip — and in `--what-if`.
#[test]
fn names_that_look_like_numbers_work_in_interventions() {
    let s = Scenario::from_text("numeric.yaml", NUMERIC).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.model.name, "2026");
    let mut ivs = from_file(&s).unwrap_or_else(|e| panic!("{e}"));
    ivs.push(parse_what_if("1.workers=2").unwrap_or_else(|e| panic!("{e}")));
    ivs.push(parse_what_if("2.rework.to=1,commitment=2").unwrap_or_else(|e| panic!("{e}")));
    let v = build(&s, &ivs).unwrap_or_else(|e| panic!("{e}"));
    let names =
        |i: usize| -> Vec<&str> { v[i].model.stages.iter().map(|s| s.name.as_str()).collect() };
    assert_eq!(v[1].model.stages[0].workers(), Some(2));
    assert_eq!(v[1].model.types[0].name, "3");
    assert_eq!(v[1].model.types[0].share, 0.4);
    assert_eq!(v[1].model.stages[1].work[0].mean(), 0.1);
    assert_eq!(names(2), ["1", "2"]);
    assert_eq!(names(3), ["1", "4", "2", "7"]);
    assert_eq!(v[3].model.stages[1].skip, [true, false]);
    assert_eq!(v[4].name, "1.workers=2");
    assert_eq!(v[4].model.stages[0].workers(), Some(2));
    assert_eq!(v[5].model.commitment, Some(1));
    // Every variant keeps the names (and so the random streams) of the baseline.
    assert_eq!(v[4].model.stages[2].key, s.model.stages[2].key);
    let (_d, path) = temp_file("numeric.yaml", NUMERIC);
    flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "2", "--what-if", "1.workers=2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1.workers=2"));
}

const ONE_STAGE: &str = "name: s\ntime_unit: hours\narrivals: {rate: 0.5}\nstages:\n  - {name: a, work: 1}\ninterventions:\n";

// Proves a bad value in `set:` is reported at the value in the file, naming the
// intervention, like every other scenario error.
#[test]
fn bad_set_values_are_located() {
    let yaml = format!("{ONE_STAGE}  - name: faster\n    set: {{a.work: 2x}}\n");
    refused(
        &yaml,
        Some(place(&yaml, 7, "2x")),
        &[
            "intervention `faster`",
            "stage `a`: work",
            "unknown duration unit `x`",
        ],
    );
    let yaml = format!("{ONE_STAGE}  - name: tight\n    set: {{wip_limit: -1}}\n");
    refused(
        &yaml,
        Some(place(&yaml, 7, "-1")),
        &["intervention `tight`", "a WIP limit is a whole number ≥ 1"],
    );
    let yaml =
        format!("{ONE_STAGE}  - name: board\n    set: {{a.schedule: {{every: 1w, frist: 2d}}}}\n");
    refused(
        &yaml,
        Some(place(&yaml, 7, "frist")),
        &["unknown key `frist`", "did you mean `first`?"],
    );
}

// Proves a bad value inside a stage added by an intervention is reported where it is written.
#[test]
fn bad_added_stages_are_located() {
    let yaml = format!(
        "{ONE_STAGE}  - name: pair\n    add: [{{after: a, stage: {{name: b, work: {{dist: exponential, mean: -1}}}}}}]\n"
    );
    refused(
        &yaml,
        Some(place(&yaml, 7, "{dist")),
        &["intervention `pair`", "stage `b`: work", "mean is -1"],
    );
    let yaml =
        format!("{ONE_STAGE}  - name: pair\n    add: [{{after: a, stage: {{name: b, wrk: 2}}}}]\n");
    refused(
        &yaml,
        Some(place(&yaml, 7, "wrk")),
        &["unknown key `wrk`", "did you mean `work`?"],
    );
    // A second stage `a`: the message names the line of the first, in the file.
    let yaml = format!(
        "{ONE_STAGE}  - name: twice\n    add: [{{after: a, stage: {{name: a, work: 1}}}}]\n"
    );
    refused(
        &yaml,
        Some(place(&yaml, 8, "a, work")),
        &[
            "intervention `twice`",
            "two stages are named `a` (the first is on line 5)",
        ],
    );
}

// Proves `--what-if` errors name the flag's text (no line: it is not in the file).
#[test]
fn bad_what_if_values_name_the_flag() {
    let (_d, path) = temp_file("s.yaml", ONE_STAGE.trim_end_matches("interventions:\n"));
    for (w, words) in [
        ("a.work=2x", &["unknown duration unit `x`"][..]),
        ("wip_limit=-1", &["a WIP limit is a whole number ≥ 1"]),
        ("a.work={dist: exponential, mean: 1e300}", &["10,000 years"]),
    ] {
        let out = flowcast()
            .arg("run")
            .arg(&path)
            .args(["--runs", "2", "--what-if", w])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.starts_with(&format!("error: --what-if '{w}': ")),
            "{stderr}"
        );
        for word in words {
            assert!(stderr.contains(word), "expected `{word}` in:\n{stderr}");
        }
        for lib in LIBRARY_WORDS {
            assert!(
                !stderr.contains(lib),
                "library wording `{lib}` in:\n{stderr}"
            );
        }
    }
}

const GOOD_TAIL: &str = "arrivals: {rate: 1}\nstages:\n  - {name: a, work: 0.5}\n";

// Proves a key written twice is "duplicate key `work`" with both places.
#[test]
fn duplicate_keys_name_both_places() {
    let yaml = "arrivals: {rate: 1}\nstages:\n  - {name: a, work: 0.5, work: 1}\n";
    refused(
        yaml,
        Some((3, 26)),
        &["duplicate key `work` (first written at line 3, column 15)"],
    );
    let yaml =
        "arrivals: {rate: 1}\nstages:\n  - name: a\n    work: 0.5\n    wait: 1\n    work: 1\n";
    refused(
        yaml,
        Some((6, 5)),
        &["duplicate key `work` (first written at line 4, column 5)"],
    );
}

// Proves a number that is not a whole number ≥ 0 where one is needed says so in words.
#[test]
fn whole_numbers_are_asked_for_in_words() {
    let yaml = format!("wip_limit: -1\n{GOOD_TAIL}");
    refused(
        &yaml,
        Some((1, 12)),
        &["`-1` is not allowed here: a WIP limit is a whole number ≥ 1"],
    );
    let yaml = format!("wip_limit: 2.5\n{GOOD_TAIL}");
    refused(&yaml, Some((1, 12)), &["a WIP limit is a whole number ≥ 1"]);
    let yaml = format!("seed: -3\n{GOOD_TAIL}");
    refused(&yaml, Some((1, 7)), &["a seed is a whole number ≥ 0"]);
    let yaml = "arrivals: {rate: fast}\nstages:\n  - {name: a, work: 0.5}\n";
    refused(yaml, Some((1, 18)), &["an arrival rate is a number"]);
}

// Proves an empty stage name says a stage needs a name.
#[test]
fn an_empty_name_says_a_stage_needs_one() {
    let yaml = "arrivals: {rate: 1}\nstages:\n  - {name: ~, work: 0.5}\n";
    refused(yaml, Some((3, 12)), &["a stage needs a name"]);
}

// Proves a file nested 70 levels deep says it nests deeper than 64 levels.
#[test]
fn deep_nesting_is_said_in_words() {
    let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
    let yaml = format!("arrivals: {{rate: 1}}\nstages:\n  - {{name: a, work: {deep}}}\n");
    refused(&yaml, None, &["the file nests deeper than 64 levels"]);
}

// Proves aliases that refer to themselves or to nothing are explained.
#[test]
fn bad_aliases_are_explained() {
    let yaml = "arrivals: {rate: 1}\nstages: &s\n  - {name: a, work: 0.5, skip: *s}\n";
    refused(yaml, None, &["YAML aliases may not refer to themselves"]);
    let yaml = "arrivals: {rate: 1}\nstages:\n  - {name: a, work: *nothing}\n";
    refused(
        yaml,
        Some((3, 21)),
        &["alias refers to an anchor that is not defined"],
    );
}

// Proves values of the wrong shape say what was expected in the user's words.
#[test]
fn wrong_shapes_are_said_in_words() {
    refused(
        "arrivals: {rate: 1}\nstages: {name: a}\n",
        Some((2, 9)),
        &["`stages` must be a list"],
    );
    let yaml = "arrivals: {rate: 1}\nstages:\n  - {name: a, work: 0.5, skip: x}\n";
    refused(yaml, Some((3, 32)), &["`skip` must be a list"]);
    refused("", None, &["the file is empty"]);
}

// Proves tabs, several documents and a mapping where a name belongs are explained.
#[test]
fn other_yaml_mistakes_are_said_in_words() {
    let yaml = "arrivals: {rate: 1}\nstages:\n\t- {name: a, work: 0.5}\n";
    refused(
        yaml,
        Some((3, 2)),
        &["YAML does not allow tabs for indentation"],
    );
    let yaml = format!("{GOOD_TAIL}---\n{GOOD_TAIL}");
    refused(&yaml, None, &["more than one YAML document"]);
    let yaml = format!("name: {{a: 1}}\n{GOOD_TAIL}");
    refused(&yaml, Some((1, 7)), &["`name` must be a single value here"]);
}

// Proves a file that is not UTF-8 is refused at its first bad byte: `é` in Latin-1 is
// the byte 0xE9, line 1, column 10 of `name: caf\xE9`.
#[test]
fn non_utf8_files_are_located() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("latin1.yaml");
    let mut bytes = b"name: caf\xE9\n".to_vec();
    bytes.extend_from_slice(GOOD_TAIL.as_bytes());
    std::fs::write(&path, bytes).expect("write");
    refused_file(
        &path,
        Some((1, 10)),
        &["not UTF-8", "0xE9", "save the file as UTF-8"],
    );
}

// Proves huge files stop at the 16 MiB bound instead of being read whole: a sparse
// 5 GB file and, where it exists, /dev/zero.
#[test]
fn huge_files_stop_at_the_size_bound() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("huge.yaml");
    let f = std::fs::File::create(&path).expect("create");
    f.set_len(5_000_000_000).expect("a sparse file");
    refused_file(&path, None, &["larger than 16 MiB"]);
    let zero = std::path::Path::new("/dev/zero");
    if zero.exists() {
        refused_file(zero, None, &["larger than 16 MiB"]);
    }
}

// Proves a folder or an unreadable file is a clear exit-2 error.
#[test]
fn folders_and_unreadable_files_are_refused() {
    let dir = tempfile::tempdir().expect("a folder");
    refused_file(dir.path(), None, &["is a folder, not a scenario file"]);
    let path = dir.path().join("secret.yaml");
    std::fs::write(&path, GOOD_TAIL).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        // Root reads anything; only check where the permission really bites.
        if std::fs::read(&path).is_err() {
            refused_file(&path, None, &["permission denied"]);
        }
    }
}

// Proves 10,000 stages are refused at the stage list with how to fix it.
#[test]
fn ten_thousand_stages_are_refused() {
    let mut yaml = String::from("arrivals: {rate: 1}\nstages:\n");
    for i in 0..10_000 {
        yaml.push_str(&format!("  - {{name: s{i}, work: 0.001}}\n"));
    }
    refused(
        &yaml,
        Some((3, 3)),
        &["10000 stages is more than the 1000", "merge steps"],
    );
}

// Proves a million workers are validated, checked and run without allocating per
// worker: a short run finishes and `check` shows the stage.
#[test]
fn a_million_workers_run() {
    let yaml = "arrivals: {rate: 100}\nstages:\n  - {name: farm, workers: 1000000, work: 1}\nsimulation: {runs: 2, items: 500, warmup: 50}\n";
    let (_d, path) = temp_file("farm.yaml", yaml);
    flowcast()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("1000000"));
    flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "2"])
        .assert()
        .success();
}

// Proves items and runs above their bounds (10^7 and 10^6) are refused at the value,
// with how to fix it.
#[test]
fn too_many_items_or_runs_are_refused() {
    let yaml = format!("{GOOD_TAIL}simulation: {{items: 1000000000}}\n");
    refused(
        &yaml,
        Some((4, 21)),
        &[
            "simulation.items is 1000000000, more than the 10000000",
            "lower items",
        ],
    );
    let yaml = format!("{GOOD_TAIL}simulation: {{runs: 10000000}}\n");
    refused(
        &yaml,
        Some((4, 20)),
        &["simulation.runs is 10000000, more than the 1000000"],
    );
    // The same bound holds for --runs.
    let (_d, path) = temp_file("ok.yaml", GOOD_TAIL);
    flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "2000000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("1000000"));
}

// Proves a backlog of 10^12 items is refused at its value.
#[test]
fn a_huge_backlog_is_refused() {
    let yaml = "arrivals: {backlog: 1000000000000}\nstages:\n  - {name: a, work: 0.5}\n";
    refused(
        yaml,
        Some((1, 21)),
        &["a backlog of 1000000000000 items is too large"],
    );
}

// Proves work of 10^300 is refused by the bound on durations.
#[test]
fn work_of_ten_to_the_300_is_refused() {
    let yaml = "arrivals: {rate: 1}\nstages:\n  - {name: a, work: 1e300}\n";
    refused(yaml, Some((3, 21)), &["10,000 years"]);
}
