//! Working days for a delivery history (SPEC §2.6): which weekdays a team
//! works and which dates are holidays, so that a history forecast resamples
//! working days only, counts deliveries made on a day off toward the next
//! working day, and steps its dates over days off — as the model does with the
//! scenario's `calendar`.
//!
//! ```
//! use flowcast::analysis::forecast::WorkDays;
//! use jiff::civil::date;
//!
//! let days = WorkDays::parse_days("mon-fri").unwrap();
//! let wd = WorkDays::new(days, vec![date(2026, 12, 25)]).unwrap();
//! assert!(wd.is_working(date(2026, 12, 24)));  // a Thursday
//! assert!(!wd.is_working(date(2026, 12, 25))); // a holiday
//! assert!(!wd.is_working(date(2026, 12, 26))); // a Saturday
//! ```

use jiff::civil::Date;

use crate::model::calendar::Calendar;

/// The working weekdays and the holidays of a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkDays {
    /// Indexed by `Weekday::to_monday_zero_offset`.
    working: [bool; 7],
    /// Sorted, without duplicates.
    holidays: Vec<Date>,
}

/// A holidays file's line that is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl WorkDays {
    /// The working `days` with `holidays` (any order, repeats allowed);
    /// `None` when no weekday is a working day.
    pub fn new(working: [bool; 7], mut holidays: Vec<Date>) -> Option<WorkDays> {
        if !working.contains(&true) {
            return None;
        }
        holidays.sort_unstable();
        holidays.dedup();
        Some(WorkDays { working, holidays })
    }

    /// The working days and holidays of a scenario's calendar.
    pub fn from_calendar(c: &Calendar) -> WorkDays {
        WorkDays {
            working: c.working_weekdays(),
            holidays: c.holidays().to_vec(),
        }
    }

    /// These working days with `more` holidays as well.
    pub fn with_holidays(mut self, more: &[Date]) -> WorkDays {
        self.holidays.extend_from_slice(more);
        self.holidays.sort_unstable();
        self.holidays.dedup();
        self
    }

    /// Reads `--calendar`: `mon-fri`, `every-day`, or weekdays as
    /// `mon,tue,wed`. The message says what is wrong.
    pub fn parse_days(spec: &str) -> Result<[bool; 7], String> {
        let s = spec.trim().to_ascii_lowercase();
        match s.as_str() {
            "mon-fri" | "weekdays" => return Ok([true, true, true, true, true, false, false]),
            "every-day" | "all" | "mon-sun" => return Ok([true; 7]),
            _ => {}
        }
        let mut working = [false; 7];
        for part in s.split(',') {
            let Some(day) = Calendar::parse_weekday(part.trim()) else {
                return Err(format!(
                    "--calendar `{spec}`: `{}` is not a weekday; write mon-fri, every-day, or \
                     weekdays such as mon,tue,wed,thu",
                    part.trim()
                ));
            };
            working[day.to_monday_zero_offset() as usize] = true;
        }
        Ok(working)
    }

    /// Reads a holidays file: one ISO date per line; blank lines and text
    /// after `#` are ignored. The error names the line.
    pub fn read_holidays(text: &str) -> Result<Vec<Date>, HolidayError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let value = line.split('#').next().unwrap_or("").trim();
            if value.is_empty() {
                continue;
            }
            let date = value.parse::<Date>().map_err(|_| HolidayError {
                line: i + 1,
                message: format!(
                    "`{value}` is not a date; write one holiday per line as 2026-12-25 \
                     (text after # is a comment)"
                ),
            })?;
            out.push(date);
        }
        Ok(out)
    }

    /// Whether `date` is a working day.
    pub fn is_working(&self, date: Date) -> bool {
        self.working[date.weekday().to_monday_zero_offset() as usize]
            && self.holidays.binary_search(&date).is_err()
    }

    /// The holidays, sorted.
    pub fn holidays(&self) -> &[Date] {
        &self.holidays
    }

    /// In words: `Monday to Friday, 3 holidays`.
    pub fn describe(&self) -> String {
        const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let days = match self.working {
            [true, true, true, true, true, false, false] => "Monday to Friday".to_string(),
            [true, true, true, true, true, true, true] => "every day".to_string(),
            w => NAMES
                .iter()
                .zip(w)
                .filter(|(_, on)| *on)
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
        };
        match self.holidays.len() {
            0 => days,
            1 => format!("{days}, 1 holiday"),
            n => format!("{days}, {n} holidays"),
        }
    }

    /// The working days from `from` on, day by day, as a [`Mask`].
    pub fn mask(&self, from: Date) -> Mask {
        Mask::new(Some(self), from)
    }
}

/// Which days, counted from a start date (0 = the start), are working days:
/// weekday arithmetic and a search among the holidays, so no per-day
/// allocation. Without a calendar every day works.
#[derive(Debug, Clone)]
pub struct Mask {
    w0: usize,
    working: [bool; 7],
    /// Day numbers of the holidays from the start, sorted.
    holidays: Vec<i64>,
}

impl Mask {
    /// The mask of `workdays` (every day when `None`) from `from`.
    pub fn new(workdays: Option<&WorkDays>, from: Date) -> Mask {
        match workdays {
            None => Mask {
                w0: 0,
                working: [true; 7],
                holidays: Vec::new(),
            },
            Some(w) => Mask {
                w0: from.weekday().to_monday_zero_offset() as usize,
                working: w.working,
                holidays: w
                    .holidays
                    .iter()
                    .map(|h| super::day_number(from, *h))
                    .collect(),
            },
        }
    }

    /// Whether day `d` (0 = the start) is a working day.
    pub fn at(&self, d: usize) -> bool {
        self.working[(self.w0 + d) % 7]
            && (self.holidays.is_empty() || self.holidays.binary_search(&(d as i64)).is_err())
    }

    /// Working days among days `0..days`.
    pub fn count(&self, days: usize) -> usize {
        (0..days).filter(|d| self.at(*d)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    // Proves the holidays file: comments and blank lines skipped, a bad line named.
    #[test]
    fn holidays_file() {
        let text = "# team holidays\n2026-12-25\n\n2026-12-24 # Christmas Eve\n";
        assert_eq!(
            WorkDays::read_holidays(text).unwrap(),
            vec![date(2026, 12, 25), date(2026, 12, 24)]
        );
        let err = WorkDays::read_holidays("2026-12-25\n25/12/2026\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("25/12/2026"), "{}", err.message);
    }

    // Proves the weekday specs and the mask over a holiday week.
    #[test]
    fn days_and_mask() {
        assert!(WorkDays::parse_days("mon,wed").unwrap()[2]);
        assert!(WorkDays::parse_days("funday").is_err());
        let wd = WorkDays::new(
            WorkDays::parse_days("mon-fri").unwrap(),
            vec![date(2026, 12, 25)],
        )
        .unwrap();
        // From Monday 21 December: Mon–Thu work, Fri 25 is a holiday, the weekend is off.
        let m = wd.mask(date(2026, 12, 21));
        let days: Vec<bool> = (0..8).map(|d| m.at(d)).collect();
        assert_eq!(days, [true, true, true, true, false, false, false, true]);
        assert_eq!(m.count(8), 5);
        assert_eq!(wd.describe(), "Monday to Friday, 1 holiday");
        assert!(WorkDays::new([false; 7], vec![]).is_none());
    }
}
