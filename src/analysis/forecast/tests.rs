//! Tests of forecasts: percentile conventions, the spread, history resampling.

use super::*;
use crate::sim::results::when;
use jiff::civil::{Weekday, date};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

fn plus(d: Date, days: i64) -> Date {
    d.checked_add(Span::new().days(days))
        .expect("test dates are in range")
}

// Proves the `when` convention on 20 runs finishing on days 1..=20:
// p50 is the 10th earliest date (10 of 20 runs done by then), p85 the
// 17th (ceil(0.85 × 20) = 17), p95 the 19th.
#[test]
fn when_is_the_nearest_rank_completion_date() {
    let base = date(2027, 1, 3);
    let order = [
        7, 3, 20, 1, 14, 9, 18, 2, 11, 5, 16, 8, 13, 4, 19, 6, 10, 17, 12, 15,
    ];
    let dates: Vec<Date> = order.iter().map(|k| plus(base, *k)).collect();
    let w = when(&dates).expect("runs");
    assert_eq!(w.p50, plus(base, 10));
    assert_eq!(w.p70, plus(base, 14));
    assert_eq!(w.p85, plus(base, 17));
    assert_eq!(w.p95, plus(base, 19));
    assert_eq!(when(&[]), None);
    // One run answers every level.
    let one = when(&[base]).expect("a run");
    assert_eq!((one.p50, one.p95), (base, base));
}

// Proves the `how_many` convention on 20 runs delivering 1..=20 items:
// p50 = 11 (runs delivering 11..=20 are exactly 10, half), p95 = 2 (19
// runs delivered 2 or more), and the counts fall as confidence rises.
#[test]
fn how_many_falls_as_confidence_rises() {
    let by = date(2027, 2, 1);
    let counts: Vec<u64> = [
        5, 12, 1, 20, 8, 17, 3, 14, 9, 11, 2, 19, 6, 15, 4, 18, 7, 13, 10, 16,
    ]
    .to_vec();
    let h = how_many(by, &counts).expect("runs");
    assert_eq!((h.by, h.p50, h.p70, h.p85, h.p95), (by, 11, 7, 4, 2));
    assert!(h.p95 <= h.p85 && h.p85 <= h.p70 && h.p70 <= h.p50);
    // Each level is the largest count at least that share of runs reached.
    for (level, n) in [(50, h.p50), (70, h.p70), (85, h.p85), (95, h.p95)] {
        let reached = |n| counts.iter().filter(|c| **c >= n).count() * 100;
        assert!(reached(n) >= level * counts.len());
        assert!(reached(n + 1) < level * counts.len());
    }
    assert_eq!(how_many(by, &[]), None);
}

// Proves the JSON shape of SPEC §4: ISO dates and plain counts.
#[test]
fn serialises_as_the_spec_shows() {
    let d = date(2027, 2, 12);
    let w = When {
        p50: d,
        p70: d,
        p85: d,
        p95: d,
    };
    let json = serde_json::to_string(&w).expect("serialisable");
    assert_eq!(
        json,
        r#"{"p50":"2027-02-12","p70":"2027-02-12","p85":"2027-02-12","p95":"2027-02-12"}"#
    );
    let h = HowMany {
        by: date(2027, 2, 1),
        p50: 31,
        p70: 29,
        p85: 27,
        p95: 25,
    };
    let json = serde_json::to_string(&h).expect("serialisable");
    assert_eq!(
        json,
        r#"{"by":"2027-02-01","p50":31,"p70":29,"p85":27,"p95":25}"#
    );
}

// Proves a plain list of dates without header reads, and daily counts
// cover every day from first to last with zeros between.
#[test]
fn csv_plain_dates() {
    let h = History::from_csv("2026-11-05\n2026-11-03\n2026-11-05\n").expect("valid");
    assert_eq!(h.daily(), &[1, 0, 2]);
    assert_eq!(h.span(), (date(2026, 11, 3), date(2026, 11, 5)));
}

// Proves a header with extra columns is skipped and the `date` column is
// found by name in any case, wherever it is; blank lines are skipped.
#[test]
fn csv_header_extra_columns_and_blank_lines() {
    let text = "id,title,Date,team\n\nA-1,Login,2026-11-03,web\n   \nA-2,\"Pay, now\",2026-11-04,web\n,,,\nA-3,Logout,2026-11-04,app\n";
    let h = History::from_csv(text).expect("valid");
    assert_eq!(h.daily(), &[1, 2]);
}

// Proves Jira-style exports read: `Resolved` is the date column (not
// `Created`, not `Resolution`), date-times give their date, and an
// unresolved issue with an empty cell is skipped.
#[test]
fn csv_jira_export() {
    let text = "Issue key,Created,Resolution,Resolved\n\
                    PAY-1,2026-10-01 10:00,Done,2026-11-03 14:05\n\
                    PAY-2,2026-10-02T09:00:00,Done,2026-11-03T23:59:59\n\
                    PAY-3,2026-10-03 11:00,,\n\
                    PAY-4,2026-10-04 11:00,Fixed,2026-11-05T08:00:00+01:00\n";
    let h = History::from_csv(text).expect("valid");
    assert_eq!(h.span(), (date(2026, 11, 3), date(2026, 11, 5)));
    assert_eq!(h.daily(), &[2, 0, 1]);
    for name in ["resolution date", "Resolution_Date", "DONE", "completed"] {
        let text = format!("key,created,{name}\nX-1,2026-01-01,2026-02-02\n");
        let h = History::from_csv(&text).expect("valid");
        assert_eq!(h.span().0, date(2026, 2, 2), "column {name}");
    }
}

// Proves a bad value is reported with its line number and the value, and
// that the message tells the user how dates are written.
#[test]
fn csv_bad_value_names_its_line() {
    let text = "date\n2026-11-03\n\n2026-13-01\n";
    let err = History::from_csv(text).expect_err("month 13");
    assert_eq!(
        err,
        HistoryError::NotADate {
            line: 4,
            value: "2026-13-01".into()
        }
    );
    let message = err.to_string();
    assert!(
        message.starts_with("line 4: `2026-13-01` is not a date"),
        "{message}"
    );
    let err = History::from_csv("2026-11-03\nyesterday\n").expect_err("not a date");
    assert_eq!(
        err,
        HistoryError::NotADate {
            line: 2,
            value: "yesterday".into()
        }
    );
}

// Proves an empty file and a header-only file are "no delivery dates".
#[test]
fn csv_without_dates_is_an_error() {
    for text in [
        "",
        "\n\n",
        "date\n",
        "key,resolved\n\n",
        "key,resolved\nA-1,\n",
    ] {
        let err = History::from_csv(text).expect_err("no dates");
        assert_eq!(err, HistoryError::NoDates, "{text:?}");
        assert!(err.to_string().starts_with("no delivery dates"));
    }
}

// Proves the window keeps the zero days inside it, is cut to the history's
// span, and refuses windows with no delivery or backwards.
#[test]
fn window_narrows_the_samples() {
    let h = History::from_csv("2026-11-01\n2026-11-03\n2026-11-03\n2026-11-06\n").expect("valid");
    assert_eq!(h.daily(), &[1, 0, 2, 0, 0, 1]);
    let w = h
        .window(Some(date(2026, 11, 2)), Some(date(2026, 11, 5)))
        .expect("has deliveries");
    assert_eq!(w.daily(), &[0, 2, 0, 0]);
    assert_eq!(w.span(), (date(2026, 11, 2), date(2026, 11, 5)));
    let open = h
        .window(Some(date(2026, 11, 3)), None)
        .expect("has deliveries");
    assert_eq!(open.daily(), &[2, 0, 0, 1]);
    let wide = h
        .window(Some(date(2026, 1, 1)), Some(date(2027, 1, 1)))
        .expect("all");
    assert_eq!(wide, h);
    let err = h
        .window(Some(date(2026, 11, 4)), Some(date(2026, 11, 5)))
        .expect_err("empty");
    assert!(matches!(err, HistoryError::EmptyWindow { .. }), "{err}");
    let err = h
        .window(Some(date(2027, 1, 1)), None)
        .expect_err("after the history");
    assert!(matches!(err, HistoryError::BackwardWindow { .. }), "{err}");
    let err = h
        .window(Some(date(2025, 1, 1)), Some(date(2025, 2, 1)))
        .expect_err("before");
    assert!(matches!(err, HistoryError::EmptyWindow { .. }), "{err}");
}

fn constant_history(per_day: usize, days: i64) -> History {
    let first = date(2026, 10, 1);
    let mut text = String::from("date\n");
    for d in 0..days {
        for _ in 0..per_day {
            text.push_str(&format!("{}\n", plus(first, d)));
        }
    }
    History::from_csv(&text).expect("valid")
}

// Proves the day counting: exactly 2 a day, a backlog of 10 is done on
// day 5 (start + 4 days) in every run, and by start + 9 days (10 days)
// the 20 resampled deliveries are capped at the backlog of 10 at every level.
#[test]
fn constant_throughput_is_forecast_exactly() {
    let h = constant_history(2, 30);
    assert_eq!(h.daily(), &[2; 30]);
    let monday = date(2027, 1, 4);
    assert_eq!(monday.weekday(), Weekday::Monday);
    let by = plus(monday, 9);
    let (w, hm) = h.forecast(monday, 10, Some(by), 200, 1).expect("forecast");
    let day5 = plus(monday, 4);
    assert_eq!(
        w,
        When {
            p50: day5,
            p70: day5,
            p85: day5,
            p95: day5
        }
    );
    assert_eq!(
        hm,
        Some(HowMany {
            by,
            p50: 10,
            p70: 10,
            p85: 10,
            p95: 10
        })
    );
    // Deliveries on the start date count: by the start itself, 2 items.
    let (_, hm) = h
        .forecast(monday, 10, Some(monday), 10, 1)
        .expect("forecast");
    assert_eq!(hm.map(|h| h.p95), Some(2));
    // A `by` before the start has nothing delivered; no backlog is done at once.
    let (w, hm) = h
        .forecast(monday, 0, Some(plus(monday, -1)), 10, 1)
        .expect("forecast");
    assert_eq!((w.p50, hm.map(|h| h.p50)), (monday, Some(0)));
}

// Proves the resampling is unbiased: with days alternating 0 and 4 (mean
// 2, sd 2), 40 items need about 40 / 2 = 20 days. Ground truth: the
// completion day is the position of the 10th "4" in fair coin flips, whose
// median is 19 (P(T ≤ 19) = P(Bin(19, ½) ≥ 10) = ½ exactly) or 20
// (P(T ≤ 20) = 0.59), sd √20 ≈ 4.5 days. With 4,000 runs the sample
// median's standard error is 1.25 × 4.5 / √4000 ≈ 0.09 days, so the p50
// lands within 20 ± (1 day of discreteness + 4 standard errors) = 19..=21.
#[test]
fn alternating_throughput_forecasts_the_mean_pace() {
    let first = date(2026, 10, 1);
    let mut text = String::new();
    for d in 0..30 {
        if d % 2 == 1 {
            for _ in 0..4 {
                text.push_str(&format!("{}\n", plus(first, d)));
            }
        }
    }
    // The first day (a zero) is not in the file: start the window there.
    let h = History::from_csv(&text).expect("valid");
    let h = History {
        first,
        last: h.last,
        daily: [vec![0], h.daily].concat(),
        workdays: None,
    };
    assert_eq!(h.daily().len(), 30);
    assert_eq!(h.daily().iter().sum::<u32>(), 60);
    let start = date(2027, 1, 4);
    let (w, _) = h.forecast(start, 40, None, 4_000, 11).expect("forecast");
    let days_p50 = day_number(start, w.p50) + 1;
    assert!((19..=21).contains(&days_p50), "p50 after {days_p50} days");
    assert!(w.p50 <= w.p70 && w.p70 <= w.p85 && w.p85 <= w.p95);
}

// Proves `when` and `how_many` come from the same draws: a run has the
// whole backlog by `by` exactly when its count by `by` reaches it, so
// the two answers agree at every level.
#[test]
fn when_and_how_many_agree() {
    let h = History::from_csv(
        "2026-11-01\n2026-11-01\n2026-11-02\n2026-11-05\n2026-11-05\n2026-11-05\n",
    )
    .expect("valid");
    let start = date(2027, 3, 1);
    let (w, hm) = h
        .forecast(start, 25, Some(w_by(start)), 2_000, 3)
        .expect("forecast");
    let hm = hm.expect("by was given");
    for (date, count) in [
        (w.p50, hm.p50),
        (w.p70, hm.p70),
        (w.p85, hm.p85),
        (w.p95, hm.p95),
    ] {
        assert_eq!(date <= hm.by, count >= 25, "{date} vs {count}");
    }
}

fn w_by(start: Date) -> Date {
    plus(start, 20)
}

// Proves determinism: the same seed gives the same forecast, another seed
// (almost surely) another one.
#[test]
fn same_seed_same_forecast() {
    let h = History::from_csv("2026-11-01\n2026-11-03\n2026-11-03\n2026-11-04\n2026-11-08\n")
        .expect("valid");
    let start = date(2027, 1, 4);
    let by = Some(plus(start, 30));
    let a = h.forecast(start, 30, by, 500, 42).expect("forecast");
    let b = h.forecast(start, 30, by, 500, 42).expect("forecast");
    assert_eq!(a, b);
    let seeds: Vec<_> = (0..5)
        .map(|s| h.forecast(start, 30, by, 500, s).expect("forecast"))
        .collect();
    assert!(
        seeds.iter().any(|c| *c != a),
        "different seeds, different draws"
    );
}

// Proves a history of zeros, an unreachable backlog, a far `by` and zero
// runs are errors, not endless loops.
#[test]
fn impossible_forecasts_are_errors() {
    let start = date(2027, 1, 4);
    let zeros = History {
        first: date(2026, 1, 1),
        last: date(2026, 1, 30),
        daily: vec![0; 30],
        workdays: None,
    };
    let err = zeros
        .forecast(start, 10, None, 100, 1)
        .expect_err("never done");
    assert!(matches!(err, HistoryError::NoDeliveries { .. }));
    assert!(err.to_string().contains("no deliveries"), "{err}");
    // One delivery in 1,000 days: 100 items would take about 270 years.
    let mut daily = vec![0; 1_000];
    daily[500] = 1;
    let sparse = History {
        first: date(2020, 1, 1),
        last: plus(date(2020, 1, 1), 999),
        daily,
        workdays: None,
    };
    let err = sparse
        .forecast(start, 100, None, 10, 1)
        .expect_err("too long");
    assert_eq!(
        err,
        HistoryError::TooLong {
            backlog: 100,
            years: 100
        }
    );
    let h = constant_history(1, 3);
    let err = h
        .forecast(start, 1, Some(date(2200, 1, 1)), 10, 1)
        .expect_err("far");
    assert!(matches!(err, HistoryError::ByTooFar { .. }));
    assert_eq!(h.forecast(start, 1, None, 0, 1), Err(HistoryError::NoRuns));
    let err = h
        .forecast(date(9999, 12, 30), 5, None, 10, 1)
        .expect_err("past 9999");
    assert_eq!(err, HistoryError::OutOfRange);
}

// Proves the burn-up's reading on four hand-made runs of three items,
// reaching them on days r1 [0,1,2], r2 [0,2,4], r3 [1,1,3], r4 [1,3,5].
// Per item the sorted days are [0,0,1,1], [1,1,2,3], [2,3,4,5]; at 50% the
// 2nd of 4 (ceil(0.5 × 4)) counts, at 95% the 4th.
#[test]
fn spread_by_hand() {
    let start = date(2027, 1, 4);
    let runs: [&[u32]; 4] = [&[0, 1, 2], &[0, 2, 4], &[1, 1, 3], &[1, 3, 5]];
    let s = Spread::new(start, 0, vec![1, 2, 3], runs);
    assert_eq!(s.band(50), vec![(0, 1), (1, 2), (3, 3)]);
    assert_eq!(s.band(95), vec![(0, 0), (1, 1), (3, 2), (5, 3)]);
    // By day 2: three runs have 2 items (75% ≥ 50%) but only r1 has 3, so
    // 2 at 50%; every run has 1 but only 75% have 2, so 1 at 95%.
    assert_eq!((s.count_by(50, 2), s.count_by(95, 2)), (2, 1));
    assert_eq!((s.count_by(50, -1), s.count_by(95, 99)), (0, 3));
    assert_eq!(s.completion_days(), &[(2, 1), (3, 1), (4, 1), (5, 1)]);
    assert_eq!(s.chance_done_by(plus(start, 3)), 0.5);
    assert_eq!(s.chance_done_by(plus(start, 1)), 0.0);
    assert_eq!(s.total(), 3);
    assert_eq!((s.date(5), s.day_of(plus(start, -2))), (plus(start, 5), -2));
    // Items done before the start lift every count.
    let lifted = Spread::new(start, 7, vec![1, 2, 3], runs);
    assert_eq!(lifted.band(50), vec![(0, 8), (1, 9), (3, 10)]);
    assert_eq!((lifted.count_by(95, -1), lifted.total()), (7, 10));
    // Nothing left: done from the start.
    let none = Spread::new(start, 4, vec![], std::iter::empty());
    assert_eq!(
        (none.band(95), none.chance_done_by(start)),
        (vec![(0, 4)], 1.0)
    );
}

// Proves the burn-up agrees with the two answers on random runs: on every
// day and at every level, its count equals `how_many` for that date, and
// its completion quantile equals `when` — the same convention, read per day.
#[test]
fn spread_agrees_with_when_and_how_many() {
    let start = date(2027, 3, 1);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    for (runs, items) in [(1usize, 5u64), (7, 12), (40, 30), (101, 64)] {
        let per_run: Vec<Vec<u32>> = (0..runs)
            .map(|_| {
                let mut day = 0u32;
                (0..items)
                    .map(|_| {
                        day += rng.random_range(0..3);
                        day
                    })
                    .collect()
            })
            .collect();
        let s = Spread::new(
            start,
            2,
            milestones(items),
            per_run.iter().map(Vec::as_slice),
        );
        let last = per_run.iter().map(|r| r[r.len() - 1]).max().unwrap_or(0);
        for day in 0..=i64::from(last) + 1 {
            let by = plus(start, day);
            let counts: Vec<u64> = per_run
                .iter()
                .map(|r| 2 + r.iter().filter(|d| i64::from(**d) <= day).count() as u64)
                .collect();
            let h = how_many(by, &counts).expect("runs");
            for (level, n) in [(50, h.p50), (70, h.p70), (85, h.p85), (95, h.p95)] {
                assert_eq!(
                    s.count_by(level, day),
                    n,
                    "{runs} runs, day {day}, {level}%"
                );
            }
        }
        let ends: Vec<Date> = per_run
            .iter()
            .map(|r| plus(start, i64::from(r[r.len() - 1])))
            .collect();
        let w = when(&ends).expect("runs");
        for (level, d) in [(50, w.p50), (70, w.p70), (85, w.p85), (95, w.p95)] {
            let band = s.band(level);
            let (day, n) = band[band.len() - 1];
            assert_eq!((s.date(day), n), (d, 2 + items), "{level}%");
        }
    }
}

// Proves the milestones: every item up to the limit, then evenly spread,
// strictly increasing and ending at the backlog.
#[test]
fn milestones_cover_the_backlog() {
    assert!(milestones(0).is_empty());
    assert_eq!(milestones(64), (1..=64).collect::<Vec<_>>());
    for left in [65, 100, 129, 1_000, 123_457, u64::MAX / 2] {
        let m = milestones(left);
        assert_eq!((m.len() as u64, m[m.len() - 1]), (BURNUP_POINTS, left));
        assert!(m.windows(2).all(|w| w[0] < w[1]), "{left}");
        // Evenly spread: each step within one item of left / 64.
        let step = left as f64 / BURNUP_POINTS as f64;
        assert!(
            m.windows(2)
                .all(|w| ((w[1] - w[0]) as f64 - step).abs() <= 1.0)
        );
    }
}

// Proves the history's burn-up on exactly 2 deliveries a day with 3 items
// already done: day d (from 0) has 3 + 2(d + 1) done at every level, capped
// at the backlog of 13, and the counts include the done ones.
#[test]
fn history_burn_up_is_exact_for_constant_throughput() {
    let h = constant_history(2, 30);
    let start = date(2027, 1, 4);
    let f = h
        .forecast_spread(start, 13, 3, Some(plus(start, 2)), 50, 9)
        .expect("forecast");
    let expected: Vec<(u32, u64)> = vec![(0, 5), (1, 7), (2, 9), (3, 11), (4, 13)];
    for level in [50, 70, 85, 95] {
        assert_eq!(f.spread.band(level), expected_with_start(&expected, 3));
    }
    assert_eq!(f.how_many.map(|h| (h.p50, h.p95)), Some((9, 9)));
    assert_eq!(f.when.p95, plus(start, 4));
    assert_eq!(f.spread.total(), 13);
    assert_eq!(f.spread.chance_done_by(plus(start, 3)), 0.0);
    assert_eq!(f.spread.chance_done_by(plus(start, 4)), 1.0);
}

fn expected_with_start(points: &[(u32, u64)], done: u64) -> Vec<(u32, u64)> {
    let mut v = vec![(0, done)];
    for p in points {
        match v.last_mut() {
            Some(last) if last.0 == p.0 => last.1 = p.1,
            _ => v.push(*p),
        }
    }
    v
}
