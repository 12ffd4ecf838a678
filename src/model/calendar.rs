//! Working time: which hours of which days workers work, and how the
//! simulation's elapsed time maps onto dates (SPEC §2.6).
//!
//! Simulated time is a count of the scenario's time unit since the start
//! instant. Elapsed time (lead time, waits, arrivals, schedules) runs through
//! nights, weekends and holidays; `work` runs only in working time. A
//! [`Clock`] does both conversions: [`Clock::datetime`] turns elapsed time into
//! a date and time of day, and [`Clock::finish`] says when a piece of work that
//! becomes ready at some elapsed time is done.
//!
//! ```
//! use flowcast::model::calendar::{Calendar, Clock};
//! use jiff::civil::{date, time, Weekday};
//!
//! let weekdays = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday,
//!                 Weekday::Thursday, Weekday::Friday];
//! let calendar = Calendar::new(8.0, &weekdays, time(9, 0, 0, 0), vec![]).unwrap();
//! // Friday 2026-12-04 at 09:00, time unit days.
//! let clock = Clock::new(date(2026, 12, 4).at(9, 0, 0, 0), 24.0, Some(calendar));
//! // A working day and a half of work ends on Monday at 13:00.
//! let done = clock.finish(0.0, 1.5);
//! assert_eq!(clock.datetime(done), date(2026, 12, 7).at(13, 0, 0, 0));
//! ```
//!
//! Inside a [`Clock`], instants are seconds since midnight of the start date,
//! held as `f64`: the scenario's units are whole numbers of seconds (60, 3 600,
//! 86 400, 604 800), so work in whole minutes or hours from a whole-hour start
//! is computed exactly. Day numbers count calendar days from the start date;
//! jiff gives every date its day number and weekday once, in [`Clock::new`],
//! so the per-item arithmetic in [`Clock::finish`] is on plain numbers and
//! never allocates.

use jiff::SignedDuration;
use jiff::civil::{Date, DateTime, Time, Weekday};

/// Seconds in a calendar day (jiff's civil days are always 24 hours).
const DAY: f64 = 86_400.0;
/// Seconds in an hour.
const HOUR: f64 = 3_600.0;
/// Slack, in seconds, when comparing instants that went through floating
/// point: work that ends within 10 µs of closing time ends at closing time.
const EPS: f64 = 1e-5;
/// Instants further than this from the start (about 300,000 years, far beyond
/// any date jiff can show) are treated as never.
const MAX_SECS: f64 = 1e13;
/// Upper bound on the day-by-day steps of one call: only reachable with
/// absurd inputs, turned into "never" rather than a hang.
const MAX_STEPS: u32 = 10_000_000;

/// When people work: the working weekdays, the hours of a working day, and
/// the holidays (SPEC §2.6 `calendar`).
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    hours_per_day: f64,
    /// Indexed by [`Weekday::to_monday_zero_offset`].
    working: [bool; 7],
    day_starts: Time,
    /// Sorted, without duplicates.
    holidays: Vec<Date>,
}

impl Calendar {
    /// Builds a calendar, checking it: `0 < hours_per_day ≤ 24`, the working
    /// day ends by midnight (`day_starts + hours_per_day ≤ 24:00`), and at
    /// least one weekday is a working day. Errors are plain English and name
    /// the field. Holidays may come in any order and repeat.
    pub fn new(
        hours_per_day: f64,
        days: &[Weekday],
        day_starts: Time,
        mut holidays: Vec<Date>,
    ) -> Result<Calendar, String> {
        if hours_per_day.is_nan() || hours_per_day <= 0.0 || hours_per_day > 24.0 {
            return Err(format!(
                "hours_per_day must be more than 0 and at most 24, not {hours_per_day}"
            ));
        }
        if days.is_empty() {
            return Err(
                "days must list at least one working day (mon, tue, wed, thu, fri, sat, sun)"
                    .to_string(),
            );
        }
        let opens = seconds_of_day(day_starts);
        if opens + hours_per_day * HOUR > DAY + EPS {
            return Err(format!(
                "day_starts {} plus hours_per_day {hours_per_day} runs past midnight: \
                 the working day must end by 24:00 (start earlier or shorten hours_per_day)",
                day_starts.strftime("%H:%M"),
            ));
        }
        let mut working = [false; 7];
        for d in days {
            working[weekday_index(*d)] = true;
        }
        holidays.sort_unstable();
        holidays.dedup();
        Ok(Calendar {
            hours_per_day,
            working,
            day_starts,
            holidays,
        })
    }

    /// Reads a weekday as written in a scenario: `mon tue wed thu fri sat sun`
    /// or the full English name, in any case.
    pub fn parse_weekday(s: &str) -> Option<Weekday> {
        let day = match s.trim().to_ascii_lowercase().as_str() {
            "mon" | "monday" => Weekday::Monday,
            "tue" | "tuesday" => Weekday::Tuesday,
            "wed" | "wednesday" => Weekday::Wednesday,
            "thu" | "thursday" => Weekday::Thursday,
            "fri" | "friday" => Weekday::Friday,
            "sat" | "saturday" => Weekday::Saturday,
            "sun" | "sunday" => Weekday::Sunday,
            _ => return None,
        };
        Some(day)
    }

    /// Working hours in a working day.
    pub fn hours_per_day(&self) -> f64 {
        self.hours_per_day
    }

    /// The calendar in a sentence, for reports: "8 h a day from 09:00, Mon–Fri,
    /// 4 holidays".
    pub fn describe(&self) -> String {
        let days: Vec<&str> = (0..7)
            .filter(|i| self.working[*i])
            .map(|i| {
                const WEEK: [Weekday; 7] = [
                    Weekday::Monday,
                    Weekday::Tuesday,
                    Weekday::Wednesday,
                    Weekday::Thursday,
                    Weekday::Friday,
                    Weekday::Saturday,
                    Weekday::Sunday,
                ];
                weekday_short(WEEK[i])
            })
            .collect();
        // A run of consecutive days reads as a range.
        let first = (0..7).find(|i| self.working[*i]).unwrap_or(0);
        let contiguous = days.len() > 2 && (first..first + days.len()).all(|i| self.working[i % 7]);
        let days = if contiguous {
            format!("{}–{}", days[0], days[days.len() - 1])
        } else {
            days.join(", ")
        };
        let hours = self.hours_per_day;
        let holidays = match self.holidays.len() {
            0 => String::new(),
            1 => ", 1 holiday".to_string(),
            n => format!(", {n} holidays"),
        };
        format!(
            "{hours} h a day from {}, {days}{holidays}",
            self.day_starts.strftime("%H:%M")
        )
    }

    fn working_days_per_week(&self) -> usize {
        self.working.iter().filter(|w| **w).count()
    }
}

/// A weekday in three letters, as scenarios write it: `Mon` … `Sun`.
pub fn weekday_short(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    }
}

/// Maps the simulation's elapsed time onto dates and working time.
#[derive(Debug, Clone)]
pub struct Clock {
    start: DateTime,
    unit_hours: f64,
    /// Length of one time unit in seconds.
    unit_secs: f64,
    /// Seconds from midnight of the start date to the start instant.
    origin: f64,
    /// Weekday of day number `d` is `weekdays[d mod 7]` (day 0 is the start date).
    weekdays: [Weekday; 7],
    /// Working-time tables, when there is a calendar.
    work: Option<WorkTime>,
}

/// A calendar turned into day numbers and seconds, for fast arithmetic.
#[derive(Debug, Clone)]
struct WorkTime {
    /// Whether day number `d` is a working weekday: `works[d mod 7]`.
    works: [bool; 7],
    /// Opening and closing time of a working day, in seconds since midnight.
    opens: f64,
    closes: f64,
    /// Working seconds in a week without holidays.
    week: f64,
    /// Working seconds one scenario unit of work stands for.
    work_unit: f64,
    /// Day numbers of the holidays, sorted.
    holidays: Vec<i64>,
}

impl WorkTime {
    /// A cursor at the first holiday on or after `day` (binary search).
    #[inline]
    fn cursor(&self, day: i64) -> usize {
        self.holidays.partition_point(|h| *h < day)
    }

    /// Whether day `day` has working hours. `next` is a cursor into the
    /// holidays; days must be asked about in increasing order.
    #[inline]
    fn works_on(&self, day: i64, next: &mut usize) -> bool {
        self.works[day.rem_euclid(7) as usize] && !self.is_holiday(day, next)
    }

    #[inline]
    fn is_holiday(&self, day: i64, next: &mut usize) -> bool {
        self.next_holiday(day, next) == day
    }

    /// The first holiday on or after `day` (`i64::MAX` when none), moving the cursor.
    #[inline]
    fn next_holiday(&self, day: i64, next: &mut usize) -> i64 {
        while *next < self.holidays.len() && self.holidays[*next] < day {
            *next += 1;
        }
        self.holidays.get(*next).copied().unwrap_or(i64::MAX)
    }

    /// Working seconds of day `day` between `from` and `to` (seconds since midnight).
    #[inline]
    fn overlap(&self, day: i64, from: f64, to: f64, next: &mut usize) -> f64 {
        if !self.works_on(day, next) {
            return 0.0;
        }
        (to.min(self.closes) - from.max(self.opens)).max(0.0)
    }

    /// Whole weeks that can be skipped from the start of `day`: at most
    /// `limit`, and none that would contain a holiday.
    #[inline]
    fn free_weeks(&self, day: i64, limit: i64, next: &mut usize) -> i64 {
        let holiday = self.next_holiday(day, next);
        limit.min(holiday.saturating_sub(day) / 7).max(0)
    }
}

impl Clock {
    /// Sets up the clock for a run starting at `start`, whose time unit is
    /// `unit_hours` hours long (minutes 1/60, hours 1, days 24, weeks 168),
    /// working to `calendar` if there is one.
    ///
    /// # Panics
    ///
    /// If `unit_hours` is not a positive finite number: the time unit comes
    /// from the scenario's `time_unit`, never from a free number.
    pub fn new(start: DateTime, unit_hours: f64, calendar: Option<Calendar>) -> Clock {
        assert!(
            unit_hours.is_finite() && unit_hours > 0.0,
            "a time unit is a positive number of hours"
        );
        // The scenario units are whole seconds; snap away the rounding of 1/60 h.
        let raw = unit_hours * HOUR;
        let unit_secs = if (raw - raw.round()).abs() <= 1e-9 * raw {
            raw.round()
        } else {
            raw
        };
        let origin = seconds_of_day(start.time());
        let first = start.date().weekday();
        let weekdays: [Weekday; 7] = std::array::from_fn(|k| first.wrapping_add(k as i64));
        let day0 = start.date();
        let work = calendar.map(|cal| {
            let works = weekdays.map(|w| cal.working[weekday_index(w)]);
            let opens = seconds_of_day(cal.day_starts);
            let day_secs = cal.hours_per_day * HOUR;
            let week = cal.working_days_per_week() as f64 * day_secs;
            let work_unit = if (unit_secs - DAY).abs() < 1e-6 {
                day_secs
            } else if (unit_secs - 7.0 * DAY).abs() < 1e-6 {
                week
            } else {
                unit_secs
            };
            let holidays = cal
                .holidays
                .iter()
                .map(|h| day0.duration_until(*h).as_secs().div_euclid(86_400))
                .collect();
            WorkTime {
                works,
                opens,
                closes: opens + day_secs,
                week,
                work_unit,
                holidays,
            }
        });
        Clock {
            start,
            unit_hours,
            unit_secs,
            origin,
            weekdays,
            work,
        }
    }

    /// The instant `t` units after the start (to the microsecond; times
    /// beyond the dates jiff can show saturate at its first or last instant).
    pub fn datetime(&self, t: f64) -> DateTime {
        // `as` saturates (and maps NaN to 0), so any f64 gives a duration.
        let micros = (t * self.unit_secs * 1e6).round() as i64;
        self.start
            .saturating_add(SignedDuration::from_micros(micros))
    }

    /// The date of the instant `t`: what "delivered on a date" means.
    pub fn date(&self, t: f64) -> Date {
        self.datetime(t).date()
    }

    /// Elapsed units from the start to `dt` (negative before the start).
    pub fn at(&self, dt: DateTime) -> f64 {
        self.start.duration_until(dt).as_secs_f64() / self.unit_secs
    }

    /// When work of `work` scenario units (in working time, see
    /// [`Clock::work_unit_hours`]) that becomes ready at elapsed time `t`
    /// finishes, as elapsed time.
    ///
    /// Without a calendar this is `t + work`. With one, work ready outside
    /// working time starts at the next working period, pauses over nights,
    /// non-working days and holidays, and work that ends exactly at closing
    /// time is done then, not the next morning. Zero (or negative) work is
    /// done at `t`; work that could never finish gives `f64::INFINITY`.
    /// Allocation-free; the cost grows with the working days spanned (whole
    /// weeks free of holidays are skipped in one step).
    pub fn finish(&self, t: f64, work: f64) -> f64 {
        let Some(w) = &self.work else {
            return t + work;
        };
        if work.is_nan() || work <= 0.0 {
            return t;
        }
        let s = self.origin + t * self.unit_secs;
        let mut remaining = work * w.work_unit;
        if s.is_nan() || s.abs() >= MAX_SECS || remaining >= MAX_SECS {
            return f64::INFINITY;
        }
        let (mut day, mut tod) = split(s);
        let mut next = w.cursor(day);
        for _ in 0..MAX_STEPS {
            if tod < w.closes && w.works_on(day, &mut next) {
                let begin = tod.max(w.opens);
                let available = w.closes - begin;
                if remaining <= available + EPS {
                    return self.elapsed(day, (begin + remaining).min(w.closes));
                }
                remaining -= available;
            }
            day += 1;
            tod = 0.0;
            if remaining > w.week + EPS {
                // Leave between 0 and one week of work for the day-by-day steps,
                // so that ending at a closing time is still decided there.
                let wanted = ((remaining - EPS) / w.week).floor() as i64;
                let weeks = w.free_weeks(day, wanted, &mut next);
                day += 7 * weeks;
                remaining -= weeks as f64 * w.week;
            }
        }
        f64::INFINITY
    }

    /// Working time, in working hours, between the elapsed instants `a` and
    /// `b` (0 when `b ≤ a`); without a calendar `(b − a) × unit_hours`.
    /// Allocation-free, like [`Clock::finish`].
    pub fn working_hours_between(&self, a: f64, b: f64) -> f64 {
        let Some(w) = &self.work else {
            return (b - a) * self.unit_hours;
        };
        if a.is_nan() || b.is_nan() || b <= a {
            return 0.0;
        }
        let (sa, sb) = (
            self.origin + a * self.unit_secs,
            self.origin + b * self.unit_secs,
        );
        if sa.abs() >= MAX_SECS || sb.abs() >= MAX_SECS {
            return f64::INFINITY;
        }
        let ((first, from), (last, to)) = (split(sa), split(sb));
        let mut next = w.cursor(first);
        if first == last {
            return w.overlap(first, from, to, &mut next) / HOUR;
        }
        let mut total = w.overlap(first, from, DAY, &mut next);
        let mut day = first + 1;
        while day < last {
            let weeks = w.free_weeks(day, (last - day) / 7, &mut next);
            if weeks > 0 {
                total += weeks as f64 * w.week;
                day += 7 * weeks;
            } else {
                total += w.overlap(day, 0.0, DAY, &mut next);
                day += 1;
            }
        }
        total += w.overlap(last, 0.0, to, &mut next);
        total / HOUR
    }

    /// The working hours one scenario unit of work stands for: `unit_hours`
    /// without a calendar or when the unit is minutes or hours; with a
    /// calendar, `hours_per_day` when the unit is days and working days per
    /// week × `hours_per_day` when it is weeks.
    pub fn work_unit_hours(&self) -> f64 {
        match &self.work {
            Some(w) => w.work_unit / HOUR,
            None => self.unit_hours,
        }
    }

    /// The first instant at or after elapsed time `t` that falls on one of
    /// `days` at time of day `at`, skipping holidays when there is a calendar:
    /// the next tick of a schedule written as weekdays (`schedule: {on: [tue],
    /// at: "10:00"}`). Returns `t` itself when it is such an instant, and
    /// `f64::INFINITY` when `days` is empty.
    pub fn next_weekly(&self, t: f64, days: &[Weekday], at: Time) -> f64 {
        let s = self.origin + t * self.unit_secs;
        if days.is_empty() || s.is_nan() || s.abs() >= MAX_SECS {
            return f64::INFINITY;
        }
        let at = seconds_of_day(at);
        let (today, tod) = split(s);
        let holidays = self.work.as_ref().map_or(0, |w| w.holidays.len());
        // Each week has a matching day; only holidays can take it away.
        let horizon = 7 * (holidays as i64 + 2);
        let mut next = self.work.as_ref().map_or(0, |w| w.cursor(today));
        for day in today..today + horizon {
            if day == today && at < tod - EPS {
                continue;
            }
            if !days.contains(&self.weekdays[day.rem_euclid(7) as usize]) {
                continue;
            }
            if (self.work.as_ref()).is_some_and(|w| w.is_holiday(day, &mut next)) {
                continue;
            }
            if day == today && (at - tod).abs() <= EPS {
                return t;
            }
            return self.elapsed(day, at);
        }
        f64::INFINITY
    }

    /// Elapsed units at second `secs` of day number `day`.
    #[inline]
    fn elapsed(&self, day: i64, secs: f64) -> f64 {
        (day as f64 * DAY + secs - self.origin) / self.unit_secs
    }
}

/// Splits seconds since midnight of day 0 into a day number and seconds into that day.
#[inline]
fn split(s: f64) -> (i64, f64) {
    let day = (s / DAY).floor();
    (day as i64, s - day * DAY)
}

/// Seconds from midnight to `t`.
fn seconds_of_day(t: Time) -> f64 {
    Time::midnight().duration_until(t).as_secs_f64()
}

fn weekday_index(d: Weekday) -> usize {
    d.to_monday_zero_offset() as usize
}

#[cfg(test)]
mod tests {
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

    // Proves the calendar's sentence in reports: ranges for consecutive days,
    // lists otherwise, and the holiday count.
    #[test]
    fn describes_itself() {
        let c = Calendar::new(8.0, &WEEKDAYS, time(9, 0, 0, 0), vec![]).expect("valid");
        assert_eq!(c.describe(), "8 h a day from 09:00, Mon–Fri");
        let c = Calendar::new(
            7.5,
            &[Weekday::Monday, Weekday::Wednesday, Weekday::Saturday],
            time(8, 30, 0, 0),
            vec![date(2026, 12, 25), date(2026, 12, 25), date(2027, 1, 1)],
        )
        .expect("valid");
        assert_eq!(
            c.describe(),
            "7.5 h a day from 08:30, Mon, Wed, Sat, 2 holidays"
        );
    }
}
