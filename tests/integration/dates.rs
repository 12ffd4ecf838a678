//! Dates past the calendar's range: a forecast whose answer lies after
//! 9999-12-31 says so — which confidence levels — and exits 1, rather than
//! print a date that is not the answer.

use crate::common::{flowcast, temp_file};

const NO_CALENDAR: &str = "name: far\ntime_unit: days\nstart: 2026-11-30\narrivals: {backlog: 5}\nstages:\n  - {name: develop, workers: 1, wait: 3000000, work: 1}\n";
const CALENDAR: &str = "name: far\ntime_unit: days\nstart: 2026-11-30\ncalendar: {hours_per_day: 8, days: [mon, tue, wed, thu, fri]}\narrivals: {backlog: 5}\nstages:\n  - {name: develop, workers: 1, wait: 3000000, work: 1}\n";

fn forecast_beyond(yaml: &str, levels: &str) {
    let (_d, path) = temp_file("far.yaml", yaml);
    let out = flowcast()
        .arg("forecast")
        .arg(&path)
        .args(["--runs", "1000", "--by", "2027-01-01"])
        .output()
        .expect("runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.is_empty(), "no answer is printed:\n{stdout}");
    assert!(
        stderr.contains(&format!("the forecast's {levels}")) && stderr.contains("after 9999-12-31"),
        "{stderr}"
    );
}

// Proves a backlog waiting 3·10⁶ days (8,200 years) is not forecast "done by 9999-12-31"
// at every level: every level is beyond the range, and the exit code is 1.
#[test]
fn forecast_past_year_9999_is_an_error() {
    forecast_beyond(NO_CALENDAR, "50%, 70%, 85% and 95% dates fall");
}

// Proves the same with a working calendar, where work runs only in working time.
#[test]
fn forecast_past_year_9999_with_a_calendar_is_an_error() {
    forecast_beyond(CALENDAR, "50%, 70%, 85% and 95% dates fall");
}

// Proves the message names the levels that are beyond: one item waiting an exponential
// 2·10⁶ days is done before 10000 in 1 − e^(−2.91/2) ≈ 77% of runs, so the 50% and 70%
// dates exist but the 85% and 95% ones do not.
#[test]
fn forecast_names_the_levels_past_year_9999() {
    let yaml = "name: far\ntime_unit: days\nstart: 2026-11-30\narrivals: {backlog: 1}\nstages:\n  - {name: develop, workers: 1, wait: {dist: exponential, mean: 2000000}, work: 1}\n";
    forecast_beyond(yaml, "85% and 95% dates fall");
}

// Proves `run` on such a backlog still reports its lead times but shows no completion
// date: the terminal says the dates are after 9999-12-31 and the JSON has no `done_by`.
#[test]
fn run_shows_no_date_past_year_9999() {
    let (_d, path) = temp_file("far.yaml", NO_CALENDAR);
    let out = flowcast()
        .arg("run")
        .arg(&path)
        .args(["--runs", "20", "--json", "-"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        v["variants"][0].get("done_by").is_none(),
        "{}",
        v["variants"][0]
    );
    assert_eq!(
        v["variants"][0]["done_by_beyond_9999"],
        serde_json::json!([50, 70, 85, 95])
    );
    let table = String::from_utf8_lossy(&out.stderr);
    assert!(
        table.contains("after 9999-12-31 at 50%, 70%, 85% and 95% confidence"),
        "{table}"
    );
    assert!(!table.contains("9999-12-31 ("), "{table}");
}
