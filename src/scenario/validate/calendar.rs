//! `time_unit`, `start` and `calendar`: how simulated time maps onto the clock.

use serde_saphyr::Spanned;

use super::{Builder, loc};
use crate::error::{ScenarioError, nearest};
use crate::model::TimeUnit;
use crate::model::calendar::Calendar;
use crate::scenario::raw::{RawCalendar, RawValue, parse_start};

impl Builder<'_> {
    pub(super) fn time_unit(
        &self,
        unit: Option<&Spanned<String>>,
    ) -> Result<TimeUnit, ScenarioError> {
        Ok(match unit {
            None => TimeUnit::Hours,
            Some(u) => match u.value.trim() {
                "minutes" => TimeUnit::Minutes,
                "hours" => TimeUnit::Hours,
                "days" => TimeUnit::Days,
                "weeks" => TimeUnit::Weeks,
                other => {
                    let hint = nearest(other, ["minutes", "hours", "days", "weeks"])
                        .map(|n| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    return Err(self.err(
                        loc(u),
                        format!("unknown time_unit `{other}`"),
                        format!("{hint}time_unit is one of minutes, hours, days, weeks"),
                    ));
                }
            },
        })
    }

    pub(super) fn start(
        &self,
        v: &Spanned<RawValue>,
    ) -> Result<jiff::civil::DateTime, ScenarioError> {
        let text = match &v.value {
            RawValue::Str(t) => t.trim().to_string(),
            other => other.show(),
        };
        parse_start(&text).map_err(|m| {
            self.err(
                loc(v),
                format!("start: {m}"),
                "write a date such as 2026-12-01, or a date and time such as 2026-12-01T09:00",
            )
        })
    }

    pub(super) fn time_of_day(
        &self,
        v: &Spanned<RawValue>,
        ctx: &str,
    ) -> Result<jiff::civil::Time, ScenarioError> {
        let text = match &v.value {
            RawValue::Str(t) => t.trim().to_string(),
            other => {
                return Err(self.err(
                    loc(v),
                    format!("{ctx} is {}, not a time of day", other.show()),
                    "write the time in quotes, e.g. \"10:00\"",
                ));
            }
        };
        text.parse::<jiff::civil::Time>().map_err(|_| {
            self.err(
                loc(v),
                format!("{ctx}: `{text}` is not a time of day"),
                "write e.g. \"09:00\" or \"14:30\"",
            )
        })
    }

    pub(super) fn calendar(&self, c: &Spanned<RawCalendar>) -> Result<Calendar, ScenarioError> {
        let v = &c.value;
        let hours = v.hours_per_day.as_ref().map_or(8.0, |h| h.value);
        let days = match &v.days {
            None => vec![
                jiff::civil::Weekday::Monday,
                jiff::civil::Weekday::Tuesday,
                jiff::civil::Weekday::Wednesday,
                jiff::civil::Weekday::Thursday,
                jiff::civil::Weekday::Friday,
            ],
            Some(d) => {
                let mut out = Vec::new();
                for name in &d.value {
                    let w = Calendar::parse_weekday(name).ok_or_else(|| {
                        self.err(
                            loc(d),
                            format!("calendar.days: `{name}` is not a weekday"),
                            "weekdays are mon, tue, wed, thu, fri, sat, sun",
                        )
                    })?;
                    if !out.contains(&w) {
                        out.push(w);
                    }
                }
                out
            }
        };
        let starts = match &v.day_starts {
            None => jiff::civil::time(9, 0, 0, 0),
            Some(t) => self.time_of_day(t, "calendar.day_starts")?,
        };
        let mut holidays = Vec::new();
        if let Some(h) = &v.holidays {
            for d in &h.value {
                let text = match d {
                    RawValue::Str(t) => t.trim().to_string(),
                    other => other.show(),
                };
                let date = text.parse::<jiff::civil::Date>().map_err(|_| {
                    self.err(
                        loc(h),
                        format!("calendar.holidays: `{text}` is not a date"),
                        "write dates as 2026-12-25",
                    )
                })?;
                holidays.push(date);
            }
        }
        Calendar::new(hours, &days, starts, holidays)
            .map_err(|m| self.err(loc(c), format!("calendar: {m}"), ""))
    }
}
