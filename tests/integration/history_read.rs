//! `forecast --history` reads exports as trackers write them (issue 12 §1–2):
//! date forms, `--tz`, `--date-format`, "not delivered" markers, the date
//! column, `--where`, separators, encodings, line numbers at the end of a big
//! file, and the guardrails of the CLI.

use flowcast::analysis::forecast::{Filter, History, HistoryError, HistoryOptions, ReadSummary};
use jiff::civil::{Date, date};

use crate::common::{flowcast, temp_file};

/// The days with deliveries and how many on each.
fn delivered(h: &History) -> Vec<(Date, u32)> {
    let first = h.span().0;
    h.daily()
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| {
            let day = first
                .checked_add(jiff::Span::new().days(i as i64))
                .expect("in range");
            (day, *n)
        })
        .collect()
}

fn read(text: &str, opts: &HistoryOptions) -> (History, ReadSummary) {
    History::read(text, opts).unwrap_or_else(|e| panic!("{text:?} does not read: {e}"))
}

fn with_tz(tz: &str) -> HistoryOptions {
    HistoryOptions {
        tz: Some(tz.into()),
        ..HistoryOptions::default()
    }
}

// Proves every date form lands on the day written: ISO date, date-time with and
// without seconds, with an offset (the day as written, not UTC's), `Z`, and
// Jira's 24-hour and 12-hour forms.
#[test]
fn every_date_form_is_read() {
    let text = "key,resolved\n\
        A,2025-03-01\n\
        B,2025-03-01T23:30\n\
        C,2025-03-01 08:15:00\n\
        D,2025-03-01T23:30:00-05:00\n\
        E,2025-03-02T00:10:00Z\n\
        F,20/Jul/22 20:51\n\
        G,30/Sep/21 5:20 PM\n";
    let (h, summary) = read(text, &HistoryOptions::default());
    assert_eq!(summary.column, "resolved");
    assert_eq!(summary.rows, 7);
    let days = delivered(&h);
    assert_eq!(
        days,
        vec![
            (date(2021, 9, 30), 1),
            (date(2022, 7, 20), 1),
            (date(2025, 3, 1), 4),
            (date(2025, 3, 2), 1),
        ]
    );
}

// Proves --tz moves an instant into the team's day: 02:00 UTC on 1 March is
// 21:00 on 28 February in New York (UTC−5 in winter); a time written with an
// offset of its own is moved too; a time without an offset is already the
// team's local time and stays on its day.
#[test]
fn tz_moves_deliveries_across_midnight() {
    let text = "date\n2025-03-01T02:00:00Z\n2025-03-01T03:00:00+01:00\n2025-03-01T02:00\n";
    let (utc, _) = read(text, &HistoryOptions::default());
    assert_eq!(delivered(&utc), vec![(date(2025, 3, 1), 3)]);
    let (ny, _) = read(text, &with_tz("America/New_York"));
    assert_eq!(
        delivered(&ny),
        vec![(date(2025, 2, 28), 2), (date(2025, 3, 1), 1)]
    );
    let err = History::read(text, &with_tz("Mars/Olympus")).expect_err("no such zone");
    assert!(err.to_string().contains("Mars/Olympus"), "{err}");
}

// Proves --date-format reads a US date that is otherwise refused with a hint
// naming the flag and the line.
#[test]
fn date_format_reads_other_forms() {
    let text = "date\n09/30/2021\n10/01/2021\n";
    let err = History::read(text, &HistoryOptions::default()).expect_err("US dates");
    assert_eq!(
        err,
        HistoryError::NotADate {
            line: 2,
            value: "09/30/2021".into()
        }
    );
    assert!(err.to_string().contains("--date-format"), "{err}");
    let opts = HistoryOptions {
        date_format: Some("%m/%d/%Y".into()),
        ..HistoryOptions::default()
    };
    let (h, _) = read(text, &opts);
    assert_eq!(
        delivered(&h),
        vec![(date(2021, 9, 30), 1), (date(2021, 10, 1), 1)]
    );
}

// Proves empty cells and None, NaN, null, - (in any case) are items not
// delivered: skipped and counted, not errors.
#[test]
fn not_delivered_markers_are_skipped_and_counted() {
    let text = "key,resolved\nA,2025-01-02\nB,\nC,None\nD,NaN\nE,null\nF,-\nG,NULL\nH,2025-01-03\n";
    let (h, summary) = read(text, &HistoryOptions::default());
    assert_eq!(summary.rows, 8);
    assert_eq!(summary.not_delivered, 6);
    assert_eq!(h.deliveries(), 2);
}

// Proves the date column: the first usual name there is (in any case, GitHub's
// closed_at and closedAt included), else the first column; --column overrides,
// and a --column not in the header is refused naming what the header has.
#[test]
fn column_choice_and_column_flag() {
    let pick = |text: &str, column: Option<&str>| {
        let opts = HistoryOptions {
            column: column.map(str::to_string),
            ..HistoryOptions::default()
        };
        let (h, s) = read(text, &opts);
        (s.column, h.span().0)
    };
    let rows = "number,created_at,closed_at\n1,2024-01-01,2024-02-01\n";
    assert_eq!(pick(rows, None), ("closed_at".into(), date(2024, 2, 1)));
    let camel = "number,createdAt,closedAt\n1,2024-01-01,2024-02-01\n";
    assert_eq!(pick(camel, None), ("closedAt".into(), date(2024, 2, 1)));
    let jira = "Issue key,Created,Resolved\nX-1,2024-01-01,2024-03-01\n";
    assert_eq!(pick(jira, None), ("Resolved".into(), date(2024, 3, 1)));
    let other = "when,key\n2024-04-01,X-1\n";
    assert_eq!(pick(other, None), ("when".into(), date(2024, 4, 1)));
    let headless = "2024-05-01,X-1\n2024-05-02,X-2\n";
    assert_eq!(pick(headless, None), ("column 1".into(), date(2024, 5, 1)));
    assert_eq!(
        pick(rows, Some("CREATED_AT")),
        ("created_at".into(), date(2024, 1, 1))
    );
    let opts = HistoryOptions {
        column: Some("done_at".into()),
        ..HistoryOptions::default()
    };
    let err = History::read(rows, &opts).expect_err("no such column");
    assert_eq!(
        err.to_string(),
        "--column names the column `done_at`, but the header has only: number, created_at, closed_at"
    );
}

// Proves --where keeps only rows whose cell is one of the values (ignoring case
// and spaces), every filter must hold, and the rows left out are counted.
#[test]
fn where_filters_rows() {
    let text = "key,type,resolution,resolved\n\
        A,Story,Fixed,2025-01-01\n\
        B,Story,Duplicate,2025-01-02\n\
        C,Bug,Done,2025-01-03\n\
        D,Story, done ,2025-01-04\n\
        E,Story,Won't Fix,2025-01-05\n\
        F,Story,Fixed,\n";
    let filter = |specs: &[&str]| HistoryOptions {
        filters: specs
            .iter()
            .map(|s| Filter::parse(s).expect("a filter"))
            .collect(),
        ..HistoryOptions::default()
    };
    let (h, s) = read(text, &filter(&["resolution=Fixed,Done"]));
    assert_eq!((s.rows, s.filtered_out, s.not_delivered), (6, 2, 1));
    assert_eq!(
        delivered(&h),
        vec![
            (date(2025, 1, 1), 1),
            (date(2025, 1, 3), 1),
            (date(2025, 1, 4), 1)
        ]
    );
    let (h, s) = read(text, &filter(&["resolution=Fixed,Done", "type=story"]));
    assert_eq!(s.filtered_out, 3);
    assert_eq!(
        delivered(&h),
        vec![(date(2025, 1, 1), 1), (date(2025, 1, 4), 1)]
    );
    let err = History::read(text, &filter(&["status=Done"])).expect_err("no status column");
    assert!(
        err.to_string()
            .starts_with("--where names the column `status`"),
        "{err}"
    );
    for bad in ["resolution", "=Done", "resolution="] {
        assert!(Filter::parse(bad).is_err(), "{bad}");
    }
}

// Proves the separator is sniffed from the header line: semicolons (with a
// comma inside a value) and tabs.
#[test]
fn semicolon_and_tab_files() {
    let semi = "key;summary;resolved\nA;one, two;2025-01-01\nB;three;2025-01-02\n";
    let (h, s) = read(semi, &HistoryOptions::default());
    assert_eq!(s.column, "resolved");
    assert_eq!(
        delivered(&h),
        vec![(date(2025, 1, 1), 1), (date(2025, 1, 2), 1)]
    );
    let tab = "key\tsummary\tresolved\nA\tone; two, three\t2025-01-01\nB\tfour\t2025-01-01\n";
    let (h, s) = read(tab, &HistoryOptions::default());
    assert_eq!(s.column, "resolved");
    assert_eq!(delivered(&h), vec![(date(2025, 1, 1), 2)]);
}

/// The bytes of `text` in UTF-16, with its byte-order mark.
fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        let b = if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        };
        out.extend_from_slice(&b);
    }
    out
}

// Proves the encodings: Windows-1252 (é as the single byte 0xE9, in a column
// that --where then matches as text), UTF-16 in both byte orders, and UTF-8
// with a byte-order mark before the header's `date`.
#[test]
fn encodings_are_decoded() {
    let mut cp1252 = b"key;team;resolved\nA;Caf".to_vec();
    cp1252.extend_from_slice(&[0xE9]);
    cp1252.extend_from_slice(b";2025-01-01\nB;Bar;2025-01-02\n");
    let opts = HistoryOptions {
        filters: vec![Filter::parse("team=Café").expect("a filter")],
        ..HistoryOptions::default()
    };
    let (h, s) = History::read_bytes(&cp1252, &opts).expect("Windows-1252 reads");
    assert_eq!((s.column.as_str(), s.filtered_out), ("resolved", 1));
    assert_eq!(delivered(&h), vec![(date(2025, 1, 1), 1)]);

    let text = "key,summary,resolved\nA,Überprüfung,2025-01-01\nB,b,2025-01-03\n";
    for little in [true, false] {
        let (h, s) = History::read_bytes(&utf16(text, little), &HistoryOptions::default())
            .expect("UTF-16 reads");
        assert_eq!(s.column, "resolved");
        assert_eq!(
            delivered(&h),
            vec![(date(2025, 1, 1), 1), (date(2025, 1, 3), 1)]
        );
    }
    let bom = "\u{feff}date,key\n2025-01-01,A\n";
    let (h, s) = History::read_bytes(bom.as_bytes(), &HistoryOptions::default()).expect("BOM");
    assert_eq!((s.column.as_str(), h.deliveries()), ("date", 1));
}

// Proves reading does proportional work to the end of a big file: in a
// 200,000-row export with blank lines every 1,000 rows, a bad value on the last
// row is reported on its true line (header 1, rows 2…, 200 blank lines), and
// the rows before it are all read.
#[test]
fn big_file_line_numbers_are_right_at_the_end() {
    let mut text = String::from("key,resolved\n");
    let mut line = 1u64;
    for i in 0..200_000u64 {
        if i % 1000 == 999 {
            text.push('\n');
            line += 1;
        }
        let day = date(2020, 1, 1)
            .checked_add(jiff::Span::new().days((i / 100) as i64))
            .expect("in range");
        text.push_str(&format!("X-{i},{day}T12:00\n"));
        line += 1;
    }
    let (h, s) = read(&text, &HistoryOptions::default());
    assert_eq!((s.rows, h.deliveries()), (200_000, 200_000));
    assert_eq!(h.daily().len(), 2000);
    text.push_str("X-last,not yet\n");
    line += 1;
    assert_eq!(line, 1 + 200_000 + 200 + 1);
    let err = History::read(&text, &HistoryOptions::default()).expect_err("a bad last row");
    assert_eq!(
        err,
        HistoryError::NotADate {
            line,
            value: "not yet".into()
        }
    );
}

/// A history of `n` deliveries, one a day from 1 June 2026.
fn daily_history(n: u32) -> String {
    let mut csv = String::from("key,resolution,resolved\n");
    for i in 0..n {
        let day = date(2026, 6, 1)
            .checked_add(jiff::Span::new().days(i64::from(i)))
            .expect("in range");
        csv.push_str(&format!("X-{i},Fixed,{day}T10:00:00Z\n"));
        csv.push_str(&format!("D-{i},Duplicate,{day}T11:00:00Z\n"));
    }
    csv.push_str("Y-1,Fixed,\n");
    csv
}

// Proves the JSON's `sample` and the terminal line say what was read: 28
// deliveries (28 Duplicates left out) over 28 days from column `resolved`.
#[test]
fn cli_says_what_was_used() {
    let (_d, path) = temp_file("history.csv", &daily_history(28));
    let out = flowcast()
        .args(["forecast", "--history"])
        .arg(&path)
        .args([
            "--backlog",
            "5",
            "--where",
            "resolution=Fixed",
            "--json",
            "-",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        v["sample"],
        serde_json::json!({
            "deliveries": 28, "from": "2026-06-01", "to": "2026-06-28", "days": 28,
            "column": "resolved", "method": "daily"
        })
    );
    let terminal = String::from_utf8_lossy(&out.stderr);
    assert!(
        terminal.contains(
            "History: 28 deliveries from 2026-06-01 to 2026-06-28, 1.0 a day or 7.0 a week, \
             read from column `resolved`; 1 row not delivered (no date) skipped; \
             28 rows left out by --where"
        ),
        "{terminal}"
    );
    assert!(
        terminal.contains("; method: daily resampling"),
        "{terminal}"
    );
    assert!(!terminal.contains("rests on too little"), "{terminal}");
}

// Proves --tz and --date-format reach the reader from the command line: the
// last delivery at 02:00 UTC on 1 March is New York's 28 February, so day 1
// (the day after it) is 1 March instead of 2 March.
#[test]
fn cli_tz_and_date_format() {
    let mut csv = String::from("date\n");
    for day in 1..=27 {
        csv.push_str(&format!("2025-02-{day:02}T15:00:00Z\n"));
    }
    csv.push_str("2025-03-01T02:00:00Z\n");
    let (_d, path) = temp_file("history.csv", &csv);
    let start = |extra: &[&str]| {
        let out = flowcast()
            .args(["forecast", "--history"])
            .arg(&path)
            .args(["--backlog", "3", "--json", "-", "--quiet"])
            .args(extra)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        (v["start"].clone(), v["sample"]["to"].clone())
    };
    assert_eq!(start(&[]), ("2025-03-02".into(), "2025-03-01".into()));
    assert_eq!(
        start(&["--tz", "America/New_York"]),
        ("2025-03-01".into(), "2025-02-28".into())
    );
    let us: String = (1..=20)
        .map(|d| format!("04/{d:02}/2025\n"))
        .collect::<Vec<_>>()
        .concat();
    let (_u, us_path) = temp_file("us.csv", &us);
    let out = flowcast()
        .args(["forecast", "--history"])
        .arg(&us_path)
        .args([
            "--backlog",
            "3",
            "--date-format",
            "%m/%d/%Y",
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
    assert_eq!(v["sample"]["from"], "2025-04-01");
    assert_eq!(v["sample"]["column"], "column 1");
}

fn forecast_history(csv: &str, extra: &[&str]) -> std::process::Output {
    let (_d, path) = temp_file("history.csv", csv);
    flowcast()
        .args(["forecast", "--history"])
        .arg(&path)
        .args(["--backlog", "5"])
        .args(extra)
        .output()
        .expect("runs")
}

// Proves the guardrails: --by before the start is refused naming both dates;
// one delivery is refused; fewer than 10 deliveries, or a window under 14
// days, is forecast with a warning; 14 days of 10+ deliveries have none.
#[test]
fn guardrails() {
    let history = daily_history(28);
    let out = forecast_history(&history, &["--start", "2026-07-10", "--by", "2026-07-09"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--by 2026-07-09 is before the start date 2026-07-10"),
        "{err}"
    );
    let out = forecast_history("date\n2026-06-01\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("only one delivery (on 2026-06-01"), "{err}");
    let warning = "warning: the history forecast rests on too little";
    for (csv, days) in [(daily_history(5), 5), (daily_history(13), 13)] {
        let out = forecast_history(&csv, &["--where", "resolution=Fixed"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("{warning}: {days} deliveries over {days} days")),
            "{err}"
        );
    }
    // 26 deliveries (Duplicates count without --where) but only 13 days.
    let out = forecast_history(&daily_history(13), &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("26 deliveries over 13 days"));
    let out = forecast_history(&daily_history(14), &["--where", "resolution=Fixed"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains(warning), "{err}");
    // Too short to calibrate: said, and daily resampling used instead.
    assert!(
        err.contains("too short to calibrate") && err.contains("daily resampling instead"),
        "{err}"
    );
    // A one-delivery window of a longer history is refused too.
    let out = forecast_history(
        &history,
        &[
            "--window",
            "2026-06-05..2026-06-05",
            "--where",
            "resolution=Fixed",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only one delivery (on 2026-06-05"));
}
