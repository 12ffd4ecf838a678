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

    /// Which weekdays are working days, indexed Monday = 0 … Sunday = 6.
    pub fn working_weekdays(&self) -> [bool; 7] {
        self.working
    }

    /// When the working day starts.
    pub fn day_starts(&self) -> Time {
        self.day_starts
    }

    /// The holidays, sorted, without duplicates.
    pub fn holidays(&self) -> &[Date] {
        &self.holidays
    }

    /// Working hours in a working week without holidays: `hours_per_day` × the
    /// number of working weekdays. What `1w` of work stands for (SPEC §2.6).
    pub fn hours_per_week(&self) -> f64 {
        self.hours_per_day * self.working_days_per_week() as f64
    }

    fn working_days_per_week(&self) -> usize {
        self.working.iter().filter(|w| **w).count()
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
mod tests;
