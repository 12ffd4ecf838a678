//! Tests of the working calendar and the clock.

use super::*;
use jiff::civil::{date, time};

const WEEKDAYS: [Weekday; 5] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
];

fn office(holidays: Vec<Date>) -> Calendar {
    Calendar::new(8.0, &WEEKDAYS, time(9, 0, 0, 0), holidays).expect("a valid calendar")
}

/// Friday 2026-12-04 at 09:00.
fn friday_nine() -> DateTime {
    let dt = date(2026, 12, 4).at(9, 0, 0, 0);
    assert_eq!(dt.weekday(), Weekday::Friday);
    dt
}

// Proves the "done at closing time" rule: one working day (8 h) from
// Friday 09:00 ends Friday 17:00, not Monday morning.
#[test]
fn a_working_day_from_friday_morning_ends_friday_at_close() {
    let clock = Clock::new(friday_nine(), 24.0, Some(office(vec![])));
    let done = clock.finish(0.0, 1.0);
    assert_eq!(clock.datetime(done), date(2026, 12, 4).at(17, 0, 0, 0));
}

// Proves work pauses over the weekend: 1.5 working days = 8 h on Friday
// plus 4 h on Monday from 09:00, so Monday 13:00.
#[test]
fn a_day_and_a_half_from_friday_ends_monday_at_one() {
    let clock = Clock::new(friday_nine(), 24.0, Some(office(vec![])));
    let done = clock.finish(0.0, 1.5);
    assert_eq!(clock.datetime(done), date(2026, 12, 7).at(13, 0, 0, 0));
}

// Proves work ready outside working time starts at the next working
// period: 4 h ready on Saturday 10:00 starts Monday 09:00, ends 13:00.
#[test]
fn work_ready_on_saturday_starts_monday() {
    let clock = Clock::new(friday_nine(), 1.0, Some(office(vec![])));
    let saturday = clock.at(date(2026, 12, 5).at(10, 0, 0, 0));
    assert_eq!(saturday, 25.0);
    let done = clock.finish(saturday, 4.0);
    assert_eq!(clock.datetime(done), date(2026, 12, 7).at(13, 0, 0, 0));
}

// Proves the edges of a working day: work ready exactly at closing time
// waits for the next working morning, work ready mid-morning resumes the
// next working day where it left off, and work ready before opening
// waits for 09:00.
#[test]
fn work_ready_at_the_edges_of_a_day() {
    let clock = Clock::new(friday_nine(), 1.0, Some(office(vec![])));
    let friday_close = clock.at(date(2026, 12, 4).at(17, 0, 0, 0));
    assert_eq!(friday_close, 8.0);
    let done = clock.finish(friday_close, 1.0);
    assert_eq!(clock.datetime(done), date(2026, 12, 7).at(10, 0, 0, 0));
    let friday_noon = clock.at(date(2026, 12, 4).at(12, 0, 0, 0));
    let done = clock.finish(friday_noon, 8.0);
    assert_eq!(clock.datetime(done), date(2026, 12, 7).at(12, 0, 0, 0));
    let tuesday_dawn = clock.at(date(2026, 12, 8).at(6, 30, 0, 0));
    let done = clock.finish(tuesday_dawn, 0.5);
    assert_eq!(clock.datetime(done), date(2026, 12, 8).at(9, 30, 0, 0));
}

// Proves holidays are skipped: with Monday 2026-12-07 a holiday, the same
// 4 h from Saturday 10:00 end on Tuesday 13:00.
#[test]
fn a_monday_holiday_pushes_work_to_tuesday() {
    let clock = Clock::new(friday_nine(), 1.0, Some(office(vec![date(2026, 12, 7)])));
    let saturday = clock.at(date(2026, 12, 5).at(10, 0, 0, 0));
    let done = clock.finish(saturday, 4.0);
    assert_eq!(clock.datetime(done), date(2026, 12, 8).at(13, 0, 0, 0));
}

// Proves the unit of work follows the time unit: 1.5 working days in a
// days scenario and 12 working hours in an hours scenario end at the same
// instant, and so do 0.3 working weeks (5 days × 8 h × 0.3 = 12 h).
#[test]
fn hours_days_and_weeks_give_the_same_instants() {
    let start = friday_nine();
    let hours = Clock::new(start, 1.0, Some(office(vec![])));
    let days = Clock::new(start, 24.0, Some(office(vec![])));
    let weeks = Clock::new(start, 168.0, Some(office(vec![])));
    let minutes = Clock::new(start, 1.0 / 60.0, Some(office(vec![])));
    assert_eq!(hours.work_unit_hours(), 1.0);
    assert_eq!(days.work_unit_hours(), 8.0);
    assert_eq!(weeks.work_unit_hours(), 40.0);
    assert_eq!(minutes.work_unit_hours(), 1.0 / 60.0);
    let expected = date(2026, 12, 7).at(13, 0, 0, 0);
    assert_eq!(hours.datetime(hours.finish(0.0, 12.0)), expected);
    assert_eq!(days.datetime(days.finish(0.0, 1.5)), expected);
    assert_eq!(weeks.datetime(weeks.finish(0.0, 0.3)), expected);
    assert_eq!(minutes.datetime(minutes.finish(0.0, 720.0)), expected);
    // Ready on Saturday noon, given in each unit.
    let saturday = date(2026, 12, 5).at(12, 0, 0, 0);
    let monday_eleven = date(2026, 12, 7).at(11, 0, 0, 0);
    assert_eq!(
        hours.datetime(hours.finish(hours.at(saturday), 2.0)),
        monday_eleven
    );
    assert_eq!(
        days.datetime(days.finish(days.at(saturday), 0.25)),
        monday_eleven
    );
}

// Proves the weekend-and-night arithmetic of working time: from Friday
// 15:00 to Monday 11:00 there are 2 h on Friday and 2 h on Monday.
#[test]
fn working_hours_across_a_weekend() {
    let clock = Clock::new(friday_nine(), 1.0, Some(office(vec![])));
    let a = clock.at(date(2026, 12, 4).at(15, 0, 0, 0));
    let b = clock.at(date(2026, 12, 7).at(11, 0, 0, 0));
    assert_eq!(clock.working_hours_between(a, b), 4.0);
    // Five full weeks plus that span: 5 × 40 h more, the weeks skipped whole.
    assert_eq!(clock.working_hours_between(a, b + 5.0 * 168.0), 204.0);
    // A holiday on the Wednesday of the second week removes 8 h.
    let with_holiday = Clock::new(friday_nine(), 1.0, Some(office(vec![date(2026, 12, 16)])));
    assert_eq!(
        with_holiday.working_hours_between(a, b + 5.0 * 168.0),
        196.0
    );
    // Without a calendar it is plain elapsed time.
    let plain = Clock::new(friday_nine(), 24.0, None);
    assert_eq!(plain.working_hours_between(0.0, 2.5), 60.0);
}

// Proves working_hours_between and finish agree: the working time between
// a ready time and its finish is the work, over holidays and many weeks.
#[test]
fn finish_and_working_hours_agree() {
    let holidays = vec![date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)];
    let clock = Clock::new(friday_nine(), 24.0, Some(office(holidays)));
    for (ready, work) in [
        (0.0, 3.0),
        (0.3, 0.7),
        (5.1, 12.25),
        (17.9, 60.0),
        (2.0, 400.0),
    ] {
        let done = clock.finish(ready, work);
        let hours = clock.working_hours_between(ready, done);
        assert!(
            (hours - work * 8.0).abs() < 1e-6,
            "{ready} + {work}: {hours} h"
        );
    }
}

// Proves long work skips whole weeks correctly and still ends at closing
// time: 10 working weeks (50 days) from Friday 09:00 end on the Thursday
// 10 weeks later at 17:00.
#[test]
fn long_work_ends_at_close_after_whole_weeks() {
    let clock = Clock::new(friday_nine(), 24.0, Some(office(vec![])));
    let done = clock.finish(0.0, 50.0);
    assert_eq!(clock.datetime(done), date(2027, 2, 11).at(17, 0, 0, 0));
}

// Proves weekly schedules: from Wednesday, "tue at 10:00" is the next
// Tuesday; a holiday on that Tuesday moves it a week; an instant that is
// already a tick is returned unchanged.
#[test]
fn next_weekly_finds_the_next_tuesday_and_skips_holidays() {
    let wednesday = date(2026, 12, 9).at(8, 0, 0, 0);
    let plain = Clock::new(friday_nine(), 1.0, None);
    let t = plain.at(wednesday);
    let tick = plain.next_weekly(t, &[Weekday::Tuesday], time(10, 0, 0, 0));
    assert_eq!(plain.datetime(tick), date(2026, 12, 15).at(10, 0, 0, 0));
    assert_eq!(
        plain.next_weekly(tick, &[Weekday::Tuesday], time(10, 0, 0, 0)),
        tick
    );

    let holiday = Clock::new(friday_nine(), 1.0, Some(office(vec![date(2026, 12, 15)])));
    let tick = holiday.next_weekly(t, &[Weekday::Tuesday], time(10, 0, 0, 0));
    assert_eq!(holiday.datetime(tick), date(2026, 12, 22).at(10, 0, 0, 0));

    // Later the same day still counts; a minute late waits a week.
    let tue_9 = plain.at(date(2026, 12, 15).at(9, 0, 0, 0));
    let tue_1001 = plain.at(date(2026, 12, 15).at(10, 1, 0, 0));
    let days = [Weekday::Tuesday, Weekday::Friday];
    let at = time(10, 0, 0, 0);
    assert_eq!(
        plain.datetime(plain.next_weekly(tue_9, &days, at)),
        date(2026, 12, 15).at(10, 0, 0, 0)
    );
    assert_eq!(
        plain.datetime(plain.next_weekly(tue_1001, &days, at)),
        date(2026, 12, 18).at(10, 0, 0, 0)
    );
    assert_eq!(plain.next_weekly(0.0, &[], at), f64::INFINITY);
}

// Proves datetime and at are inverses, for every unit, before and after
// the start, and that date takes the calendar date of the instant.
#[test]
fn datetime_and_at_round_trip() {
    for unit in [1.0 / 60.0, 1.0, 24.0, 168.0] {
        let clock = Clock::new(friday_nine(), unit, None);
        for dt in [
            date(2026, 12, 4).at(9, 0, 0, 0),
            date(2026, 12, 31).at(23, 59, 0, 0),
            date(2026, 11, 1).at(0, 0, 0, 0),
            date(2030, 2, 28).at(13, 17, 30, 0),
        ] {
            assert_eq!(clock.datetime(clock.at(dt)), dt, "unit {unit} h");
        }
    }
    let days = Clock::new(friday_nine(), 24.0, None);
    assert_eq!(days.at(date(2026, 12, 5).at(21, 0, 0, 0)), 1.5);
    assert_eq!(days.date(0.62), date(2026, 12, 4));
    assert_eq!(days.date(0.63), date(2026, 12, 5));
    assert_eq!(days.at(date(2026, 12, 3).at(9, 0, 0, 0)), -1.0);
}

// Proves invalid calendars are refused with the field named.
#[test]
fn invalid_calendars_are_refused() {
    let nine = time(9, 0, 0, 0);
    let zero = Calendar::new(0.0, &WEEKDAYS, nine, vec![]).unwrap_err();
    assert!(zero.contains("hours_per_day"), "{zero}");
    let too_many = Calendar::new(25.0, &WEEKDAYS, time(0, 0, 0, 0), vec![]).unwrap_err();
    assert!(too_many.contains("hours_per_day"), "{too_many}");
    assert!(Calendar::new(f64::NAN, &WEEKDAYS, nine, vec![]).is_err());
    let no_days = Calendar::new(8.0, &[], nine, vec![]).unwrap_err();
    assert!(no_days.contains("days"), "{no_days}");
    let late = Calendar::new(8.0, &WEEKDAYS, time(20, 0, 0, 0), vec![]).unwrap_err();
    assert!(late.contains("day_starts 20:00"), "{late}");
    // The limits themselves are fine.
    assert!(Calendar::new(24.0, &WEEKDAYS, time(0, 0, 0, 0), vec![]).is_ok());
    assert!(Calendar::new(8.0, &WEEKDAYS, time(16, 0, 0, 0), vec![]).is_ok());
}

// Proves weekday names parse as a scenario writes them.
#[test]
fn weekday_names() {
    assert_eq!(Calendar::parse_weekday("tue"), Some(Weekday::Tuesday));
    assert_eq!(Calendar::parse_weekday("Saturday"), Some(Weekday::Saturday));
    assert_eq!(Calendar::parse_weekday("SUN"), Some(Weekday::Sunday));
    assert_eq!(Calendar::parse_weekday("tues"), None);
    assert_eq!(Calendar::parse_weekday(""), None);
}

// Proves the calendar-free path is plain addition and that degenerate
// work never hangs: zero work is done at once, absurd work is "never".
#[test]
fn degenerate_work() {
    let plain = Clock::new(friday_nine(), 24.0, None);
    assert_eq!(plain.finish(1.25, 2.5), 3.75);
    let clock = Clock::new(friday_nine(), 24.0, Some(office(vec![])));
    assert_eq!(clock.finish(3.3, 0.0), 3.3);
    assert_eq!(clock.finish(0.0, 1e300), f64::INFINITY);
    assert_eq!(clock.finish(0.0, f64::INFINITY), f64::INFINITY);
    assert!(clock.finish(0.0, 1e6).is_finite());
    // A calendar working only on Sundays, with the next 30 Sundays off.
    let sundays: Vec<Date> = (0..30)
        .map(|k| date(2026, 12, 6).saturating_add(jiff::Span::new().weeks(k)))
        .collect();
    let sunday_only =
        Calendar::new(8.0, &[Weekday::Sunday], time(9, 0, 0, 0), sundays).expect("valid");
    let clock = Clock::new(friday_nine(), 1.0, Some(sunday_only));
    let done = clock.finish(0.0, 8.0);
    assert_eq!(clock.datetime(done), date(2027, 7, 4).at(17, 0, 0, 0));
}

// Measures the cost of `finish` for a 3-day work item (run with
// `cargo test --release -- --ignored --nocapture finish_speed`).
#[test]
#[ignore = "timing, not a check"]
fn finish_speed() {
    // Ten years of public holidays: 10 a year.
    let many: Vec<Date> = (0..100)
        .map(|k| date(2026, 12, 25).saturating_add(jiff::Span::new().days(k * 37)))
        .collect();
    let few = vec![date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)];
    for (name, calendar) in [
        ("no calendar", None),
        ("3 holidays", Some(office(few))),
        ("100 holidays", Some(office(many))),
    ] {
        let clock = Clock::new(friday_nine(), 24.0, calendar);
        let n = 10_000_000u32;
        let started = std::time::Instant::now();
        let mut t = 0.0;
        for i in 0..n {
            // Ready times spread over a year so that weekends and holidays are hit.
            let ready = std::hint::black_box(f64::from(i % 365) + 0.37);
            t += clock.finish(ready, std::hint::black_box(3.0));
        }
        let per_call = started.elapsed().as_nanos() as f64 / f64::from(n);
        println!("finish, 3 working days, {name}: {per_call:.1} ns per call ({t})");
    }
}
