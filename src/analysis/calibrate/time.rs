//! Timestamps of a status history: the forms trackers write, `--window` and
//! dates in messages. All calendar work is jiff's.
//!
//! Accepted forms (in this order):
//! - with `--date-format`: only that strftime format (`jiff::fmt::strtime`);
//! - a plain number (`12`, `3.5`): an undated time, the number × the time unit;
//! - Jira's export forms `20/Jul/22 20:51` and `30/Sep/21 5:20 PM`;
//! - ISO 8601 / RFC 3339: `2024-12-02T13:15:37.415-05:00`, `…Z`, `…+0000`,
//!   without an offset (`2024-12-02T13:15`, `2024-12-02 13:15:37`) or a date only
//!   (`2024-12-02`, midnight).
//!
//! Times written without an offset are in the `--tz` zone (UTC when not given).

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::fmt::strtime;
use jiff::fmt::temporal::Pieces;
use jiff::tz::TimeZone;

use super::{DAY, Millis};
use crate::Error;

/// A timestamp as read from a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// A date or date-time; the UTC offset in seconds when the text had one.
    Dated(Millis, Option<i32>),
    /// A plain number, already multiplied by the time unit.
    Undated(Millis),
}

/// Reads timestamp cells under the user's `--date-format`, `--tz` and time unit.
#[derive(Debug, Clone)]
pub struct TimeReader {
    format: Option<String>,
    tz: TimeZone,
    /// Whether `--tz` was given (days are then the zone's, not as written).
    zone_given: bool,
    unit: Millis,
}

impl TimeReader {
    /// A reader for `format` (strftime, optional), zone `tz` (IANA name, optional:
    /// UTC) and `unit` ms per plain-number time unit.
    pub fn new(format: Option<&str>, tz: Option<&str>, unit: Millis) -> Result<TimeReader, Error> {
        let tz_given = tz.is_some();
        let tz = match tz {
            None => TimeZone::UTC,
            Some(name) => TimeZone::get(name).map_err(|e| {
                Error::Usage(format!(
                    "--tz `{name}` is not a known time zone ({e}); write an IANA name such as Europe/Berlin or America/New_York"
                ))
            })?,
        };
        if unit <= 0 {
            return Err(Error::Usage(format!(
                "the time unit of undated timestamps must be positive, got {unit} ms"
            )));
        }
        Ok(TimeReader {
            format: format.map(str::to_string),
            zone_given: tz_given,
            tz,
            unit,
        })
    }

    /// Reads one cell; the error says what is wrong and how to fix it.
    pub fn read(&self, text: &str) -> Result<Stamp, String> {
        let t = text.trim();
        if let Some(fmt) = &self.format {
            return self.with_format(fmt, t).ok_or_else(|| {
                format!("cannot read the timestamp `{t}` with --date-format `{fmt}`; check the format (strftime, e.g. %d.%m.%Y %H:%M)")
            });
        }
        if t.is_empty() {
            return Err(
                "the timestamp is empty; every row needs the time the item entered the status"
                    .into(),
            );
        }
        if t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            && !t[1..].contains('-')
        {
            if let Ok(x) = t.parse::<f64>() {
                let ms = x * self.unit as f64;
                if ms.is_finite() && ms.abs() < 8.0e15 {
                    return Ok(Stamp::Undated(ms.round() as Millis));
                }
            }
        }
        let parsed =
            if (t.len() > 7 && t.as_bytes()[2] == b'/') || t.as_bytes().get(1) == Some(&b'/') {
                self.jira(t)
            } else {
                self.iso(t)
            };
        parsed.ok_or_else(|| {
            format!("cannot read the timestamp `{t}`; write ISO 8601 (2024-12-02T13:15:37-05:00 or 2024-12-02), Jira's 20/Jul/22 20:51, or pass --date-format")
        })
    }

    /// Reads one cell as a calendar day: with `--tz`, the day in that zone of
    /// the instant written; without, the day as written (a time's own offset
    /// is kept, so `2025-03-01T02:00:00Z` is 2025-03-01). Plain numbers are
    /// not days.
    pub fn read_day(&self, text: &str) -> Result<Date, String> {
        let (ms, offset) = match self.read(text)? {
            Stamp::Dated(ms, offset) => (ms, offset),
            Stamp::Undated(_) => {
                return Err(format!("`{}` is a plain number, not a date", text.trim()));
            }
        };
        let (at, zone) = if self.zone_given {
            (ms, self.tz.clone())
        } else {
            let shift = Millis::from(offset.unwrap_or(0)) * 1000;
            (ms + shift, TimeZone::UTC)
        };
        Timestamp::from_millisecond(at)
            .map(|ts| ts.to_zoned(zone).date())
            .map_err(|_| format!("`{}` is outside the dates flowcast can use", text.trim()))
    }

    fn civil(&self, dt: DateTime) -> Option<Stamp> {
        let ts = self.tz.to_timestamp(dt).ok()?;
        Some(Stamp::Dated(ts.as_millisecond(), None))
    }

    fn iso(&self, t: &str) -> Option<Stamp> {
        let pieces = Pieces::parse(t).ok()?;
        let dt = pieces.date().to_datetime(pieces.time().unwrap_or_default());
        match pieces.to_numeric_offset() {
            Some(off) => {
                let ts = off.to_timestamp(dt).ok()?;
                Some(Stamp::Dated(ts.as_millisecond(), Some(off.seconds())))
            }
            None => self.civil(dt),
        }
    }

    fn jira(&self, t: &str) -> Option<Stamp> {
        const FORMS: [&str; 4] = [
            "%d/%b/%y %H:%M",
            "%d/%b/%y %I:%M %p",
            "%d/%b/%Y %H:%M",
            "%d/%b/%y",
        ];
        FORMS.iter().find_map(|f| self.with_format(f, t))
    }

    fn with_format(&self, fmt: &str, t: &str) -> Option<Stamp> {
        let tm = strtime::parse(fmt, t).ok()?;
        if let Some(off) = tm.offset() {
            let ts = tm.to_timestamp().ok()?;
            return Some(Stamp::Dated(ts.as_millisecond(), Some(off.seconds())));
        }
        let dt = match tm.to_datetime() {
            Ok(dt) => dt,
            Err(_) => tm
                .to_date()
                .ok()?
                .to_datetime(jiff::civil::Time::midnight()),
        };
        self.civil(dt)
    }
}

/// Reads `--window FROM..TO` (dates or date-times, UTC when written without an
/// offset); TO is inclusive: a date means up to the end of that day. Returns
/// the first and the last included millisecond.
pub fn window(spec: &str) -> Result<(Millis, Millis), Error> {
    let usage = |why: &str| {
        Error::Usage(format!(
            "--window `{spec}`: {why}; write FROM..TO, e.g. 2025-01-01..2025-06-30 or 2025-01-01T08:00..2025-02-01T18:00"
        ))
    };
    let Some((from, to)) = spec.split_once("..") else {
        return Err(usage("no `..` between the two ends"));
    };
    let reader = TimeReader::new(None, None, DAY)?;
    let end = |text: &str, is_to: bool| -> Result<Millis, Error> {
        let t = text.trim();
        match reader.read(t) {
            Ok(Stamp::Dated(ms, _)) => {
                let date_only = t.len() == 10 && t.parse::<Date>().is_ok();
                Ok(if is_to && date_only { ms + DAY - 1 } else { ms })
            }
            _ => Err(usage(&format!("`{t}` is not a date or date-time"))),
        }
    };
    let (a, b) = (end(from, false)?, end(to, true)?);
    if a > b {
        return Err(usage("FROM is after TO"));
    }
    Ok((a, b))
}

/// A time for messages and JSON: `2025-01-06` at midnight UTC, else
/// `2025-01-06T13:15:37Z` (with milliseconds when it has some).
pub fn format_millis(at: Millis) -> String {
    let Ok(ts) = Timestamp::from_millisecond(at) else {
        return format!("{at} ms");
    };
    let dt = ts.to_zoned(TimeZone::UTC).datetime();
    if dt.time() == jiff::civil::Time::midnight() {
        dt.date().to_string()
    } else if at % 1000 == 0 {
        format!("{}Z", dt.strftime("%Y-%m-%dT%H:%M:%S"))
    } else {
        format!("{}Z", dt.strftime("%Y-%m-%dT%H:%M:%S%.3f"))
    }
}

/// Midnight UTC of a date, in [`Millis`] (for tests and callers building times).
pub fn date_millis(y: i16, m: i8, d: i8) -> Millis {
    let dt = jiff::civil::date(y, m, d).to_datetime(jiff::civil::Time::midnight());
    TimeZone::UTC
        .to_timestamp(dt)
        .map(|t| t.as_millisecond())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: Millis = super::super::HOUR;

    fn dated(r: &TimeReader, t: &str) -> (Millis, Option<i32>) {
        match r.read(t) {
            Ok(Stamp::Dated(ms, off)) => (ms, off),
            other => panic!("{t}: {other:?}"),
        }
    }

    // Proves every accepted form lands on the hand-computed UTC millisecond.
    #[test]
    fn every_form() {
        let r = TimeReader::new(None, None, DAY).unwrap();
        let d = date_millis(2024, 12, 2);
        let x = d + 18 * H + 15 * 60_000 + 37_415;
        assert_eq!(
            dated(&r, "2024-12-02T13:15:37.415-05:00"),
            (x, Some(-5 * 3600))
        );
        assert_eq!(dated(&r, "2024-12-02T18:15:37.415Z"), (x, Some(0)));
        assert_eq!(dated(&r, "2024-12-02T18:15:37.415+0000"), (x, Some(0)));
        assert_eq!(dated(&r, "2024-12-02T18:15:37.415"), (x, None));
        assert_eq!(dated(&r, "2024-12-02 18:15"), (x - 37_415, None));
        assert_eq!(dated(&r, "2024-12-02"), (d, None));
        let j = date_millis(2022, 7, 20) + 20 * H + 51 * 60_000;
        assert_eq!(dated(&r, "20/Jul/22 20:51"), (j, None));
        let p = date_millis(2021, 9, 30) + 17 * H + 20 * 60_000;
        assert_eq!(dated(&r, "30/Sep/21 5:20 PM"), (p, None));
        assert_eq!(r.read("12.5"), Ok(Stamp::Undated(12 * DAY + DAY / 2)));
        assert_eq!(r.read("0"), Ok(Stamp::Undated(0)));
        let bad = r.read("32/13/22").unwrap_err();
        assert!(
            bad.contains("`32/13/22`") && bad.contains("--date-format"),
            "{bad}"
        );
    }

    // Proves --tz shifts offset-less times (winter: New York is UTC-5) and
    // --date-format reads a custom form.
    #[test]
    fn zone_and_format() {
        let ny = TimeReader::new(None, Some("America/New_York"), DAY).unwrap();
        let d = date_millis(2024, 12, 2);
        assert_eq!(dated(&ny, "2024-12-02T13:00"), (d + 18 * H, None));
        let f = TimeReader::new(Some("%d.%m.%Y %H:%M"), None, DAY).unwrap();
        assert_eq!(dated(&f, "02.12.2024 13:00"), (d + 13 * H, None));
        let fd = TimeReader::new(Some("%d.%m.%Y"), None, DAY).unwrap();
        assert_eq!(dated(&fd, "02.12.2024"), (d, None));
        assert!(f.read("2024-12-02").is_err());
        assert!(TimeReader::new(None, Some("Mars/Olympus"), DAY).is_err());
    }

    // Proves read_day: without --tz the day as written (offset kept), with it the
    // zone's day (02:00 UTC is 21:00 the day before in New York); numbers are not days.
    #[test]
    fn days_as_written_or_in_the_zone() {
        let utc = TimeReader::new(None, None, DAY).unwrap();
        let ny = TimeReader::new(None, Some("America/New_York"), DAY).unwrap();
        let day = jiff::civil::date;
        assert_eq!(utc.read_day("2025-03-01T02:00:00Z"), Ok(day(2025, 3, 1)));
        assert_eq!(ny.read_day("2025-03-01T02:00:00Z"), Ok(day(2025, 2, 28)));
        assert_eq!(utc.read_day("2025-03-01T23:30-05:00"), Ok(day(2025, 3, 1)));
        assert_eq!(ny.read_day("2025-03-01T23:30"), Ok(day(2025, 3, 1)));
        assert_eq!(utc.read_day("30/Sep/21 5:20 PM"), Ok(day(2021, 9, 30)));
        assert!(utc.read_day("12").unwrap_err().contains("plain number"));
    }

    // Proves the window's TO date is inclusive to its last millisecond.
    #[test]
    fn window_ends() {
        let (a, b) = window("2025-01-01..2025-06-30").unwrap();
        assert_eq!(a, date_millis(2025, 1, 1));
        assert_eq!(b, date_millis(2025, 7, 1) - 1);
        let (_, b) = window("2025-01-01..2025-01-02T12:00").unwrap();
        assert_eq!(b, date_millis(2025, 1, 2) + 12 * H);
        assert!(window("2025-01-01").is_err());
        assert!(window("2025-02-01..2025-01-01").is_err());
        assert_eq!(window("x..y").unwrap_err().exit_code(), 2);
    }

    // Proves dates print short at midnight and in full otherwise.
    #[test]
    fn formats() {
        let d = date_millis(2025, 1, 6);
        assert_eq!(format_millis(d), "2025-01-06");
        assert_eq!(format_millis(d + 13 * H), "2025-01-06T13:00:00Z");
        assert_eq!(format_millis(d + 1), "2025-01-06T00:00:00.001Z");
    }
}
