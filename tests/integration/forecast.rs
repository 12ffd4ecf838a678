//! Calendars, weekday schedules and delivery-date forecasts, hand-computed.

use predicates::prelude::*;

use crate::common::{flowcast, model, runs, temp_file};

fn one(yaml: &str) -> flowcast::sim::engine::RunSummary {
    let (mut rs, _) = runs(&model(yaml), 1, 1);
    rs.remove(0)
}

const FRIDAY: &str = "name: cal\ntime_unit: days\nstart: 2026-11-27\ncalendar: {hours_per_day: 8, days: [mon, tue, wed, thu, fri]}\narrivals: {backlog: 3}\nstages:\n  - {name: a, workers: 1, work: 1d}\n";

// Proves working calendars: a Friday start, one worker, a working day of work per item.
// Item 1 works Fri 09:00–17:00 (ends at the close, not on Monday), item 2 Mon 09:00–17:00,
// item 3 Tue 09:00–17:00: leads 17/24, 3 + 17/24 and 4 + 17/24 days. Each item is active
// 8 hours (1/3 day); the worker is busy for all 24 working hours of the window.
#[test]
fn friday_start_one_working_day_each() {
    let r = one(FRIDAY);
    let h = 17.0 / 24.0;
    assert!(
        (r.lead_sum - (h + (3.0 + h) + (4.0 + h))).abs() < 1e-9,
        "{}",
        r.lead_sum
    );
    assert!((r.end_time - (4.0 + h)).abs() < 1e-9);
    assert!((r.active_sum - 1.0).abs() < 1e-9, "{}", r.active_sum);
    assert!(
        (r.window_working - 1.0).abs() < 1e-9,
        "{}",
        r.window_working
    );
    // The lead time is still the sum of its parts: nights and the weekend spent in work
    // are counted as off-hours, not as work.
    let parts: f64 = r
        .stages
        .iter()
        .map(|s| s.wait + s.work + s.outbox + s.off_hours)
        .sum();
    assert!((parts - r.lead_sum).abs() < 1e-9);
}

// Proves holidays: with Monday 30 November off, item 2 finishes on Tuesday and item 3 on
// Wednesday, both at 17:00.
#[test]
fn holidays_are_not_worked() {
    let yaml = FRIDAY.replace(
        "days: [mon, tue, wed, thu, fri]}",
        "days: [mon, tue, wed, thu, fri], holidays: [2026-11-30]}",
    );
    let r = one(&yaml);
    let h = 17.0 / 24.0;
    assert!(
        (r.lead_sum - (h + (4.0 + h) + (5.0 + h))).abs() < 1e-9,
        "{}",
        r.lead_sum
    );
}

// Proves a weekday schedule: from Friday 27 November, a release `on: [tue], at: "10:00"`
// first happens on Tuesday 1 December at 10:00 — 4 days and 10 hours after the start.
#[test]
fn weekday_release_schedule() {
    let yaml = "name: rel\ntime_unit: days\nstart: 2026-11-27\narrivals: {backlog: 2}\nstages:\n  - {name: release, schedule: {on: [tue], at: \"10:00\"}}\n";
    let r = one(yaml);
    assert!(
        (r.lead_sum - 2.0 * (4.0 + 10.0 / 24.0)).abs() < 1e-9,
        "{}",
        r.lead_sum
    );
}

const TEN: &str = "name: Ten items\ntime_unit: days\nseed: 4\nstart: 2026-11-30\ncalendar: {hours_per_day: 8}\narrivals: {backlog: 10}\nstages:\n  - {name: build, workers: 1, work: 1d}\nsimulation: {runs: 20}\n";

// Proves the forecast on a deterministic backlog: one item per working day from Monday
// 30 November, so all ten are done on Friday 11 December in every run, and by Friday
// 4 December five are done. With 4 already done, the 6 left finish Monday 7 December and
// 4 + 5 = 9 are done by the 4th.
#[test]
fn forecast_hand_computed() {
    let (_d, path) = temp_file("ten.yaml", TEN);
    let json = |extra: &[&str]| -> serde_json::Value {
        let out = flowcast()
            .arg("forecast")
            .arg(&path)
            .args(["--by", "2026-12-04", "--json", "-", "--quiet"])
            .args(extra)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let v = json(&[]);
    for p in ["p50", "p70", "p85", "p95"] {
        assert_eq!(v["when"][p], "2026-12-11", "{v}");
        assert_eq!(v["how_many"][p], 5, "{v}");
    }
    assert_eq!(v["how_many"]["by"], "2026-12-04");
    assert_eq!(
        (
            v["scenario"].as_str(),
            v["backlog"].as_u64(),
            v["runs"].as_u64(),
            v["seed"].as_u64()
        ),
        (Some("Ten items"), Some(10), Some(20), Some(4))
    );
    let v = json(&["--done", "4"]);
    assert_eq!(v["when"]["p85"], "2026-12-07");
    assert_eq!(v["how_many"]["p85"], 9);
}

// Proves the percentile conventions on a random stream: later dates and fewer items as
// confidence rises; output identical for 1 and 2 threads and across repeats.
#[test]
fn forecast_conventions_and_reproducibility() {
    let yaml = "name: Release\ntime_unit: days\nseed: 2\nstart: 2026-11-30\ncalendar: {hours_per_day: 8, holidays: [2026-12-25]}\narrivals: {backlog: 40}\nstages:\n  - {name: develop, workers: 3, work: {dist: lognormal, mean: 2, cv: 0.6}}\n  - {name: release, schedule: {on: [tue, thu], at: \"10:00\"}}\nsimulation: {runs: 200}\n";
    let (_d, path) = temp_file("rel.yaml", yaml);
    let run = |threads: &str| {
        flowcast()
            .arg("forecast")
            .arg(&path)
            .args([
                "--by",
                "2027-01-04",
                "--json",
                "-",
                "--quiet",
                "--threads",
                threads,
            ])
            .output()
            .expect("runs")
            .stdout
    };
    let (a, b) = (run("1"), run("2"));
    assert!(a == b, "forecast differs between thread counts");
    let v: serde_json::Value = serde_json::from_slice(&a).expect("JSON");
    let d = |p: &str| v["when"][p].as_str().expect("a date").to_string();
    assert!(
        d("p50") <= d("p70") && d("p70") <= d("p85") && d("p85") <= d("p95"),
        "{v}"
    );
    let n = |p: &str| v["how_many"][p].as_u64().expect("a count");
    assert!(
        n("p50") >= n("p70") && n("p70") >= n("p85") && n("p85") >= n("p95"),
        "{v}"
    );
    // Releases happen on Tuesdays and Thursdays only, so every completion date is one.
    for p in ["p50", "p70", "p85", "p95"] {
        let date: jiff::civil::Date = d(p).parse().expect("ISO date");
        assert!(
            matches!(
                date.weekday(),
                jiff::civil::Weekday::Tuesday | jiff::civil::Weekday::Thursday
            ),
            "{date}"
        );
    }
}

// Proves the history forecast on a synthetic file with exactly 2 deliveries a day for 30
// days: 10 items from 1 September are done on the 5th in every run, and by the 10th the
// resampled 20 deliveries are capped at the backlog of 10 — at every confidence level.
#[test]
fn history_with_known_throughput() {
    let mut csv = String::from("key,resolved\n");
    for day in 1..=30 {
        for k in 0..2 {
            csv.push_str(&format!("X-{day}-{k},2026-06-{day:02}T10:00:00\n"));
        }
    }
    let (_d, path) = temp_file("history.csv", &csv);
    let out = flowcast()
        .args(["forecast", "--history"])
        .arg(&path)
        .args([
            "--backlog",
            "10",
            "--start",
            "2026-09-01",
            "--by",
            "2026-09-10",
            "--json",
            "-",
            "--quiet",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["when"]["p95"], "2026-09-05", "{v}");
    assert_eq!(v["how_many"]["p95"], 10, "capped at the backlog: {v}");
    assert!(v["scenario"].is_null());
}

// Proves invalid dates, empty histories and missing inputs exit 2 with a clear message.
#[test]
fn forecast_errors() {
    let (_d, path) = temp_file("ten.yaml", TEN);
    let f = || {
        let mut c = flowcast();
        c.arg("forecast");
        c
    };
    f().arg(&path)
        .args(["--by", "2026-13-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--by `2026-13-01` is not a date"));
    f().arg(&path)
        .args(["--start", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--start"));
    f().arg(&path)
        .args(["--done", "11"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more than the backlog"));
    f().assert()
        .code(2)
        .stderr(predicate::str::contains("needs a scenario"));
    let (_e, empty) = temp_file("empty.csv", "date\n");
    f().arg("--history")
        .arg(&empty)
        .args(["--backlog", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no delivery dates"));
    let (_g, bad) = temp_file("bad.csv", "date\n2026-01-01\nyesterday\n");
    f().arg("--history")
        .arg(&bad)
        .args(["--backlog", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("yesterday"));
    let no_start = TEN.replace("start: 2026-11-30\n", "");
    let (_h, p2) = temp_file("nostart.yaml", &no_start);
    f().arg(&p2)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--start DATE"));
    f().arg(&path)
        .args(["--backlog", "100000000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--backlog 100000000 is too large"));
    let huge = TEN.replace("backlog: 10", "backlog: 2000001");
    let (_j, p4) = temp_file("huge.yaml", &huge);
    f().arg(&p4)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "huge.yaml:6:21: a backlog of 2000001 items is too large",
        ));
    let open = TEN.replace("backlog: 10", "rate: 1");
    let (_i, p3) = temp_file("open.yaml", &open);
    f().arg(&p3)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--backlog N"));
    let bad_cal = TEN.replace(
        "calendar: {hours_per_day: 8}",
        "calendar: {hours_per_day: 30}",
    );
    let (_j, p4) = temp_file("badcal.yaml", &bad_cal);
    flowcast()
        .arg("check")
        .arg(&p4)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("calendar"));
    let bad_day = TEN.replace(
        "calendar: {hours_per_day: 8}",
        "calendar: {days: [mon, funday]}",
    );
    let (_k, p5) = temp_file("badday.yaml", &bad_day);
    flowcast()
        .arg("check")
        .arg(&p5)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`funday` is not a weekday"));
}

/// Runs `flowcast forecast` with `args` (and `--quiet`); panics unless it succeeds.
fn forecast_ok(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let out = flowcast()
        .arg("forecast")
        .args(args)
        .arg("--quiet")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The text of every SVG `<text>` in `file`, which must parse as SVG.
fn svg_text(file: &std::path::Path) -> String {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The files of a report folder, sorted.
fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the report folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// Proves `forecast --report` on the hand-computed backlog (one item per working day from
// Monday 30 November): the folder holds the pages, the JSON (identical to --json) and both
// charts, which parse as SVG, carry their titles and mark the hand-computed answers —
// every percentile on Friday 11 December, 5 items by Friday 4 December, no run done by then.
#[test]
fn forecast_report_marks_the_answers() {
    let (d, path) = temp_file("ten.yaml", TEN);
    let dir = d.path().join("forecast");
    let by = ["--by", "2026-12-04"].map(std::ffi::OsStr::new);
    let json = forecast_ok(&[
        path.as_os_str(),
        by[0],
        by[1],
        "--json".as_ref(),
        "-".as_ref(),
    ]);
    forecast_ok(&[
        path.as_os_str(),
        by[0],
        by[1],
        "--report".as_ref(),
        dir.as_os_str(),
    ]);
    assert_eq!(
        listing(&dir),
        [
            ".flowcast-report",
            "burn-up.svg",
            "completion-dates.svg",
            "report.html",
            "report.md",
            "summary.json"
        ]
    );
    assert_eq!(
        std::fs::read(dir.join("summary.json")).expect("summary.json"),
        json.stdout
    );
    let dates = svg_text(&dir.join("completion-dates.svg"));
    for s in [
        "When the backlog is done",
        "50%: 2026-12-11",
        "95%: 2026-12-11",
        "by 4 Dec: all done in 0% of runs",
    ] {
        assert!(dates.contains(s), "completion chart lacks `{s}`:\n{dates}");
    }
    let burn = svg_text(&dir.join("burn-up.svg"));
    for s in [
        "Burn-up: items done by each date",
        "by 4 Dec: 5 / 5 / 5 items at 50 / 85 / 95%",
        "all 10 items",
        "85% confidence",
    ] {
        assert!(burn.contains(s), "burn-up lacks `{s}`:\n{burn}");
    }
    let html = std::fs::read_to_string(dir.join("report.html")).expect("html");
    for s in [
        "With 85% confidence, all 10 items are done by Fri 11 Dec 2026",
        "By Fri 4 Dec 2026, at least 5 of the 10 items are done with 85% confidence",
        "Everything is done by then in 0% of the runs",
        "ten.yaml)</h2>",
        "8 h a day from 09:00, Mon–Fri",
    ] {
        assert!(html.contains(s), "report.html lacks `{s}`");
    }
    for bad in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(bad), "report.html contains `{bad}`");
    }
    let stripped = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!stripped.contains("http://") && !stripped.contains("https://"));
    let md = std::fs::read_to_string(dir.join("report.md")).expect("md");
    for file in ["completion-dates.svg", "burn-up.svg"] {
        assert!(md.contains(&format!("]({file})")), "report.md lacks {file}");
    }
}

// Proves the burn-up of a mid-project forecast starts from the items already done: with 4
// of 10 done, 4 + 5 = 9 are done by 4 December.
#[test]
fn forecast_report_counts_done_items() {
    let (d, path) = temp_file("ten.yaml", TEN);
    let dir = d.path().join("r");
    forecast_ok(
        &[
            path.as_os_str(),
            "--by".as_ref(),
            "2026-12-04".as_ref(),
            "--done".as_ref(),
            "4".as_ref(),
            "--report".as_ref(),
            dir.as_os_str(),
        ][..],
    );
    let burn = svg_text(&dir.join("burn-up.svg"));
    assert!(burn.contains("by 4 Dec: 9 / 9 / 9 items"), "{burn}");
    assert!(burn.contains("all 10 items"), "{burn}");
}

// Proves a model and a history together give a pair of charts each, on the same dates, and
// the words compare the two; history alone gives its own pair.
#[test]
fn forecast_report_with_history_side_by_side() {
    let mut csv = String::from("key,resolved\n");
    for day in 1..=28 {
        csv.push_str(&format!("X-{day},2026-06-{day:02}\n"));
    }
    let (d, hist) = temp_file("history.csv", &csv);
    let model = d.path().join("ten.yaml");
    std::fs::write(&model, TEN).expect("write");
    let both = d.path().join("both");
    forecast_ok(&[
        model.as_os_str(),
        "--history".as_ref(),
        hist.as_os_str(),
        "--by".as_ref(),
        "2026-12-04".as_ref(),
        // The scenario works Monday to Friday; this history delivered every day.
        "--calendar".as_ref(),
        "every-day".as_ref(),
        "--report".as_ref(),
        both.as_os_str(),
    ]);
    let files = listing(&both);
    for f in [
        "completion-dates.svg",
        "burn-up.svg",
        "completion-dates-history.svg",
        "burn-up-history.svg",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing: {files:?}");
    }
    // One delivery a day: 10 items from Monday 30 November take until Wednesday 9
    // December in every run, two days before the model's Friday 11th.
    let h = svg_text(&both.join("completion-dates-history.svg"));
    assert!(
        h.contains("When the backlog is done (delivery history)"),
        "{h}"
    );
    assert!(h.contains("85%: 2026-12-09"), "{h}");
    let m = svg_text(&both.join("completion-dates.svg"));
    assert!(m.contains("When the backlog is done (model)"), "{m}");
    let html = std::fs::read_to_string(both.join("report.html")).expect("html");
    assert!(
        html.contains("28 deliveries from 2026-06-01 to 2026-06-28, 1.0 a day or 7.0 a week"),
        "{html}"
    );
    assert!(
        html.contains("at 85% confidence, 2 days earlier than the model"),
        "{html}"
    );
    assert!(html.contains("The two agree within a few days"), "{html}");
    let alone = d.path().join("alone");
    forecast_ok(&[
        "--history".as_ref(),
        hist.as_os_str(),
        "--backlog".as_ref(),
        "10".as_ref(),
        "--report".as_ref(),
        alone.as_os_str(),
    ]);
    let files = listing(&alone);
    assert!(files.contains(&"burn-up.svg".to_string()));
    assert!(!files.contains(&"burn-up-history.svg".to_string()));
    let b = svg_text(&alone.join("burn-up.svg"));
    assert!(b.contains("(delivery history)"), "{b}");
}

// Proves the report (interventions included) is byte-identical for 1 and 2 threads, and that a folder which is not
// a report is refused before anything runs — and replaced only with --force.
#[test]
fn forecast_report_is_reproducible_and_safe() {
    let yaml = "name: Release\ntime_unit: days\nseed: 2\nstart: 2026-11-30\ncalendar: {hours_per_day: 8}\narrivals: {backlog: 40}\nstages:\n  - {name: develop, workers: 3, work: {dist: lognormal, mean: 2, cv: 0.6}}\n  - {name: release, schedule: {on: [tue, thu], at: \"10:00\"}}\ninterventions:\n  - {name: four developers, set: {develop.workers: 4}}\nsimulation: {runs: 150}\n";
    let (d, path) = temp_file("rel.yaml", yaml);
    let report = |name: &str, threads: &str| {
        let dir = d.path().join(name);
        forecast_ok(&[
            path.as_os_str(),
            "--by".as_ref(),
            "2027-01-04".as_ref(),
            "--threads".as_ref(),
            threads.as_ref(),
            "--report".as_ref(),
            dir.as_os_str(),
        ]);
        listing(&dir)
            .into_iter()
            .map(|f| (f.clone(), std::fs::read(dir.join(&f)).expect("file")))
            .collect::<Vec<_>>()
    };
    assert!(
        report("one", "1") == report("two", "2"),
        "reports differ by threads"
    );

    let foreign = d.path().join("notes");
    std::fs::create_dir(&foreign).expect("mkdir");
    std::fs::write(foreign.join("plan.txt"), "mine").expect("write");
    flowcast()
        .arg("forecast")
        .arg(&path)
        .arg("--report")
        .arg(&foreign)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a flowcast report"));
    assert_eq!(listing(&foreign), ["plan.txt"]);
    forecast_ok(&[
        path.as_os_str(),
        "--report".as_ref(),
        foreign.as_os_str(),
        "--force".as_ref(),
    ]);
    assert!(foreign.join("burn-up.svg").is_file());
    assert!(!foreign.join("plan.txt").exists());
}

// Proves a forecast with nothing left says so and draws no empty charts.
#[test]
fn forecast_report_with_nothing_left() {
    let (d, path) = temp_file("ten.yaml", TEN);
    let dir = d.path().join("r");
    forecast_ok(&[
        path.as_os_str(),
        "--done".as_ref(),
        "10".as_ref(),
        "--report".as_ref(),
        dir.as_os_str(),
    ]);
    assert_eq!(
        listing(&dir),
        [
            ".flowcast-report",
            "report.html",
            "report.md",
            "summary.json"
        ]
    );
    let html = std::fs::read_to_string(dir.join("report.html")).expect("html");
    assert!(html.contains("All 10 items are already done"), "{html}");
}

// Proves forecasts per intervention on the hand-computed backlog: a second builder does two
// items a working day, so the ten are done on Friday 4 December instead of Friday 11th — in
// every run exactly 7 days earlier (CI [−7, −7]) — and all ten are done by the 4th. A no-op
// intervention changes nothing at all. The report adds the table and a chart per variant.
#[test]
fn forecast_per_intervention() {
    let yaml = format!(
        "{TEN}interventions:\n  - {{name: a second builder, set: {{build.workers: 2}}}}\n  - {{name: same again, set: {{build.workers: 1}}}}\n"
    );
    let (d, path) = temp_file("ten.yaml", &yaml);
    let out = forecast_ok(&[
        path.as_os_str(),
        "--by".as_ref(),
        "2026-12-04".as_ref(),
        "--json".as_ref(),
        "-".as_ref(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let variants = v["variants"].as_array().expect("variants");
    assert_eq!(variants.len(), 3, "{v}");
    assert_eq!(variants[0]["name"], "baseline");
    assert!(variants[0]["completion_change_days"].is_null());
    assert_eq!(
        variants[0]["when"], v["when"],
        "the baseline is the top level"
    );
    let two = &variants[1];
    assert_eq!(two["when"]["p95"], "2026-12-04", "{two}");
    assert_eq!(two["how_many"]["p95"], 10, "{two}");
    assert_eq!(two["chance_all_done_by"], 1.0, "{two}");
    let change = &two["completion_change_days"];
    assert_eq!(change["mean"], -7.0, "{change}");
    assert_eq!(
        change["mean_ci95"],
        serde_json::json!([-7.0, -7.0]),
        "{change}"
    );
    assert_eq!(change["share_of_runs_earlier"], 1.0, "{change}");
    let same = &variants[2]["completion_change_days"];
    assert_eq!(same["mean_ci95"], serde_json::json!([0.0, 0.0]), "{same}");

    let table = String::from_utf8(
        flowcast()
            .arg("forecast")
            .arg(&path)
            .args(["--by", "2026-12-04", "--what-if", "build.workers=3"])
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("UTF-8");
    assert!(table.contains("What the interventions change"), "{table}");
    for row in ["a second builder", "same again", "build.workers=3"] {
        assert!(table.contains(row), "{table}");
    }
    assert!(table.contains("no difference at all"), "{table}");

    let dir = d.path().join("r");
    forecast_ok(&[path.as_os_str(), "--report".as_ref(), dir.as_os_str()]);
    let chart = svg_text(&dir.join("completion-by-intervention.svg"));
    for s in [
        "Chance that everything is done by each date",
        "baseline",
        "a second builder",
    ] {
        assert!(chart.contains(s), "{chart}");
    }
    let html = std::fs::read_to_string(dir.join("report.html")).expect("html");
    assert!(
        html.contains("“a second builder” brings the date forward most: done by Fri 4 Dec 2026"),
        "{html}"
    );
    // --what-if needs a model to change.
    flowcast()
        .args(["forecast", "--history"])
        .arg(&path)
        .args(["--what-if", "a.workers=2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give the scenario too"));
}

// Proves the model forecast against ground truth. One worker doing exponential work of mean
// 1 day, no calendar: the backlog of 20 is done after the sum of 20 exponentials, an
// Erlang(20, 1) time T, so all is done by the end of day d (day 0 = the start) with
// probability P(T < d + 1) = 1 − Σ_{i<20} e^{−t} tⁱ/i! at t = d + 1. The simulated chance
// must match within four binomial standard errors (4,000 runs: SE ≤ 0.8 points).
#[test]
fn forecast_chance_matches_the_erlang_distribution() {
    let yaml = "name: Erlang\ntime_unit: days\nseed: 17\nstart: 2027-01-04\narrivals: {backlog: 20}\nstages:\n  - {name: build, workers: 1, work: {dist: exponential, mean: 1}}\nsimulation: {runs: 4000}\n";
    let (_d, path) = temp_file("erlang.yaml", yaml);
    let erlang_cdf = |t: f64| {
        let (mut term, mut sum) = ((-t).exp(), 0.0);
        for i in 0..20 {
            if i > 0 {
                term *= t / f64::from(i);
            }
            sum += term;
        }
        1.0 - sum
    };
    for (by, d) in [
        ("2027-01-19", 15.0),
        ("2027-01-23", 19.0),
        ("2027-01-28", 24.0),
    ] {
        let out = forecast_ok(&[
            path.as_os_str(),
            "--by".as_ref(),
            by.as_ref(),
            "--json".as_ref(),
            "-".as_ref(),
        ]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let got = v["chance_all_done_by"].as_f64().expect("a chance");
        let truth = erlang_cdf(d + 1.0);
        let se = (truth * (1.0 - truth) / 4000.0).sqrt();
        assert!(
            (got - truth).abs() <= 4.0 * se,
            "by {by}: simulated {got:.4}, Erlang {truth:.4}, off by {:.1} SE",
            (got - truth) / se
        );
        assert!(se < 0.05 * truth, "the SE {se} is too wide to test {truth}");
    }
}

// Proves `run` on a backlog with a start date shows when it is done, and that these are the
// forecast's dates: the same runs, the same convention, for every variant.
#[test]
fn run_shows_the_forecast_dates_of_a_dated_backlog() {
    let yaml = "name: Release\ntime_unit: days\nseed: 2\nstart: 2026-11-30\ncalendar: {hours_per_day: 8}\narrivals: {backlog: 30}\nstages:\n  - {name: develop, workers: 3, work: {dist: lognormal, mean: 2, cv: 0.6}}\n  - {name: release, schedule: {on: [tue, thu], at: \"10:00\"}}\ninterventions:\n  - {name: four developers, set: {develop.workers: 4}}\nsimulation: {runs: 120}\n";
    let (_d, path) = temp_file("rel.yaml", yaml);
    let json = |cmd: &str| -> serde_json::Value {
        let out = flowcast()
            .arg(cmd)
            .arg(&path)
            .args(["--json", "-", "--quiet"])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let (run, forecast) = (json("run"), json("forecast"));
    for name in ["baseline", "four developers"] {
        let pick = |doc: &serde_json::Value| {
            doc["variants"]
                .as_array()
                .expect("variants")
                .iter()
                .find(|v| v["name"] == name)
                .cloned()
                .expect("the variant")
        };
        assert_eq!(pick(&run)["done_by"], pick(&forecast)["when"], "{name}");
    }
    let table = String::from_utf8(
        flowcast()
            .arg("run")
            .arg(&path)
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("UTF-8");
    let p85 = forecast["when"]["p85"].as_str().expect("a date");
    assert!(
        table.contains("The whole backlog is done by (day 1 is 2026-11-30"),
        "{table}"
    );
    assert!(table.contains(&format!("{p85} (85%)")), "{table}");
    // Without a start date there are no dates to show.
    let undated = yaml.replace("start: 2026-11-30\n", "");
    let (_e, p2) = temp_file("undated.yaml", &undated);
    let out = flowcast().arg("run").arg(&p2).output().expect("runs");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("whole backlog is done by"));
}

// Proves `check` shows a dated, calendared backlog as the user wrote it: day 1, the
// working calendar, a weekday release schedule by its days and time (not an interval), and
// drain times in working days.
#[test]
fn check_shows_dates_calendar_and_weekday_schedules() {
    let yaml = "name: Release\ntime_unit: days\nstart: 2026-11-30\ncalendar: {hours_per_day: 8, holidays: [2026-12-25]}\narrivals: {backlog: 30}\nstages:\n  - {name: develop, workers: 3, work: 2}\n  - {name: release, schedule: {on: [tue, thu], at: \"10:00\"}}\n";
    let (_d, path) = temp_file("rel.yaml", yaml);
    let out = flowcast().arg("check").arg(&path).output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    for s in [
        "Day 1: Mon 30 Nov 2026\n",
        "Working calendar: 8 h a day from 09:00, Mon–Fri, 1 holiday",
        "Tue, Thu at 10:00",
        "20.0 working days",
        "drain time = items × work per item ÷ workers",
    ] {
        assert!(text.contains(s), "check lacks `{s}`:\n{text}");
    }
    assert!(!text.contains("every 3.50"), "{text}");
}

// Proves a forecast running for centuries still gives small, readable charts: bars, burn-up
// points and date ticks are thinned to a bounded number (this once wrote 30 MB SVGs).
#[test]
fn charts_stay_small_over_very_long_forecasts() {
    let yaml = "name: slow\ntime_unit: days\nstart: 2026-11-30\narrivals: {backlog: 40}\nstages:\n  - {name: a, workers: 1, work: 20000}\nsimulation: {runs: 20}\n";
    let (d, path) = temp_file("slow.yaml", yaml);
    let dir = d.path().join("r");
    forecast_ok(&[path.as_os_str(), "--report".as_ref(), dir.as_os_str()]);
    for f in ["completion-dates.svg", "burn-up.svg"] {
        let size = std::fs::metadata(dir.join(f)).expect(f).len();
        assert!(size < 200_000, "{f} is {size} bytes");
        svg_text(&dir.join(f));
    }
}

const CHRISTMAS: &str = "name: Christmas\ntime_unit: days\nseed: 3\nstart: 2026-12-21\ncalendar: {hours_per_day: 8, holidays: [2026-12-24, 2026-12-25, 2026-12-31, 2027-01-01]}\narrivals: {backlog: 15}\nstages:\n  - {name: build, workers: 1, work: 1d}\nsimulation: {runs: 20}\n";

/// One delivery per working day (Monday to Friday) from 2 March to 18 December
/// 2026, except that Monday's is recorded on the Sunday before: on working days
/// it counts toward Monday again.
fn one_a_working_day() -> String {
    let mut csv = String::from("key,resolved\n");
    let mut d = jiff::civil::date(2026, 3, 2);
    let end = jiff::civil::date(2026, 12, 18);
    let mut k = 0;
    while d <= end {
        use jiff::civil::Weekday::*;
        let recorded = match d.weekday() {
            Saturday | Sunday => None,
            Monday => Some(d.yesterday().expect("a date")),
            _ => Some(d),
        };
        if let Some(r) = recorded {
            k += 1;
            csv.push_str(&format!("T-{k},{r}\n"));
        }
        d = d.tomorrow().expect("a date");
    }
    csv
}

// Proves working calendars for history: one worker finishing a working day's item
// each working day, and a history of one delivery per working day (Mondays'
// recorded on Sundays), forecast over Christmas with the scenario's holidays.
// Items are done Dec 21, 22, 23 (24–25 off), 28, 29, 30 (31 and Jan 1 off),
// Jan 4–8 and Jan 11–14: the 15th on 14 January at every level, and by
// 24 December 3, by 31 December 6, by 5 January 8 — for the model and for the
// history, with either method, and the same with `--calendar mon-fri --holidays FILE`
// instead of the scenario's calendar.
#[test]
fn model_and_history_agree_over_christmas() {
    let (_d, scenario) = temp_file("christmas.yaml", CHRISTMAS);
    let (_h, history) = temp_file("done.csv", &one_a_working_day());
    let (_x, holidays) = temp_file(
        "holidays.txt",
        "# office closed\n2026-12-24\n2026-12-25 # Christmas\n\n2026-12-31\n2027-01-01\n",
    );
    for (by, count) in [("2026-12-24", 3), ("2026-12-31", 6), ("2027-01-05", 8)] {
        for method in ["daily", "calibrated"] {
            let out = flowcast()
                .arg("forecast")
                .arg(&scenario)
                .arg("--history")
                .arg(&history)
                .args(["--method", method, "--by", by, "--json", "-", "--quiet"])
                .output()
                .expect("runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
            for side in [&v, &v["history"]] {
                for level in ["p50", "p70", "p85", "p95"] {
                    assert_eq!(
                        side["when"][level], "2027-01-14",
                        "{method} {level}: {side}"
                    );
                    assert_eq!(
                        side["how_many"][level], count,
                        "{method} {by} {level}: {side}"
                    );
                }
            }
            // History alone, with the calendar from the flags.
            let out = flowcast()
                .arg("forecast")
                .arg("--history")
                .arg(&history)
                .args([
                    "--backlog",
                    "15",
                    "--start",
                    "2026-12-21",
                    "--calendar",
                    "mon-fri",
                ])
                .arg("--holidays")
                .arg(&holidays)
                .args(["--method", method, "--by", by, "--json", "-", "--quiet"])
                .output()
                .expect("runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
            assert_eq!(v["when"]["p85"], "2027-01-14", "{v}");
            assert_eq!(v["how_many"]["p85"], count, "{v}");
        }
    }
    // Without working days the Sunday deliveries and empty Saturdays are resampled
    // as days: the history no longer agrees with the model.
    let out = flowcast()
        .arg("forecast")
        .arg("--history")
        .arg(&history)
        .args([
            "--backlog",
            "15",
            "--start",
            "2026-12-21",
            "--method",
            "daily",
        ])
        .args(["--json", "-", "--quiet"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_ne!(v["when"]["p95"], "2027-01-14", "{v}");
}

// Proves a holidays file's bad line is refused with exit 2 naming file and line,
// and a bad --calendar names the weekday.
#[test]
fn bad_holidays_are_located() {
    let (_h, history) = temp_file("done.csv", &one_a_working_day());
    let (_x, holidays) = temp_file("holidays.txt", "2026-12-25\n26.12.2026\n");
    flowcast()
        .arg("forecast")
        .arg("--history")
        .arg(&history)
        .args(["--backlog", "15", "--holidays"])
        .arg(&holidays)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holidays.txt:2:"))
        .stderr(predicate::str::contains("26.12.2026"));
    flowcast()
        .arg("backtest")
        .arg(&history)
        .arg("--holidays")
        .arg(&holidays)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holidays.txt:2:"));
    flowcast()
        .arg("forecast")
        .arg("--history")
        .arg(&history)
        .args(["--backlog", "15", "--calendar", "mon,funday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("funday"));
}
