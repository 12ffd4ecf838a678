//! Reading a delivery history as trackers export it: the text's encoding and
//! separator, which column holds the delivery date, which rows count
//! (`--where`), and dates in Jira's, ISO or the user's own form (the
//! [`TimeReader`] `flowcast calibrate` uses). One pass over the file: the work
//! is linear in its size.

use std::borrow::Cow;

use super::DATE_COLUMNS;
use super::history::{History, HistoryError};
use crate::analysis::calibrate::DAY;
use crate::analysis::calibrate::time::TimeReader;

/// Cells that mean "not delivered yet" (besides an empty cell), as exports
/// write them; compared ignoring case.
pub const NOT_DELIVERED: [&str; 4] = ["none", "nan", "null", "-"];

/// How to read a delivery history (`forecast --history` flags).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryOptions {
    /// The date column (`--column`, any case); `None` = the first usual name,
    /// else the first column.
    pub column: Option<String>,
    /// A strftime format for dates in another form (`--date-format`, e.g. `%m/%d/%Y`).
    pub date_format: Option<String>,
    /// The team's IANA time zone (`--tz`): times are moved into its day.
    pub tz: Option<String>,
    /// Only rows meeting every filter are deliveries (`--where`).
    pub filters: Vec<Filter>,
}

/// One `--where COLUMN=VALUE[,VALUE…]`: the row counts when its cell in
/// `column` is one of `values` (both compared trimmed and ignoring case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The column's name as given.
    pub column: String,
    /// The values that let a row through.
    pub values: Vec<String>,
}

impl Filter {
    /// Reads `resolution=Fixed,Done`; the message says what is wrong.
    pub fn parse(spec: &str) -> Result<Filter, String> {
        let usage = |why: &str| {
            format!(
                "--where `{spec}`: {why}; write COLUMN=VALUE[,VALUE…], e.g. resolution=Fixed,Done"
            )
        };
        let Some((column, values)) = spec.split_once('=') else {
            return Err(usage("no `=`"));
        };
        let column = column.trim();
        if column.is_empty() {
            return Err(usage("no column name before `=`"));
        }
        let values: Vec<String> = values
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            return Err(usage("no value after `=`"));
        }
        Ok(Filter {
            column: column.to_string(),
            values,
        })
    }
}

/// What reading found: the column used and the rows that were not deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadSummary {
    /// The date column's header name, or `column 1` in a file without a header.
    pub column: String,
    /// Data rows read (not counting the header and blank lines).
    pub rows: u64,
    /// Rows whose date is empty or a "not delivered" marker ([`NOT_DELIVERED`]).
    pub not_delivered: u64,
    /// Rows left out by `--where`.
    pub filtered_out: u64,
}

/// The text of a file's bytes: UTF-8, UTF-16 (little or big endian) or UTF-8
/// after a byte-order mark; else, when not valid UTF-8, Windows-1252 (what
/// spreadsheets on Windows save as "CSV").
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// The separator of the first non-blank line: whichever of `,` `;` and tab
/// occurs most often outside quotes (`,` on a tie or when none does).
pub fn sniff_separator(text: &str) -> u8 {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    seps[best]
}

/// Where things are in the file, settled by its first row.
struct Layout {
    column: usize,
    name: String,
    /// Per filter: its column and its values in lower case.
    filters: Vec<(usize, Vec<String>)>,
}

/// Reads `text` (already decoded) into a history; see [`History::read`].
pub(super) fn read(
    text: &str,
    opts: &HistoryOptions,
) -> Result<(History, ReadSummary), HistoryError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let times =
        TimeReader::new(opts.date_format.as_deref(), opts.tz.as_deref(), DAY).map_err(|e| {
            HistoryError::Option {
                message: e.to_string(),
            }
        })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(sniff_separator(text))
        .from_reader(text.as_bytes());
    let mut layout = None;
    let mut dates = Vec::new();
    let mut lines = LineCounter::default();
    let mut summary = ReadSummary {
        column: String::new(),
        rows: 0,
        not_delivered: 0,
        filtered_out: 0,
    };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(HistoryError::Csv {
                    line: e.position().map_or(0, |p| lines.line_at(text, p.byte())),
                    message: e.to_string(),
                });
            }
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        // The reader's own line count skips blank lines; count from the byte offset.
        let line = record
            .position()
            .map_or(0, |p| lines.line_at(text, p.byte()));
        let l = match &layout {
            Some(l) => l,
            None => {
                let (found, is_header) = first_row(&record, opts, &times)?;
                summary.column = found.name.clone();
                let l = layout.insert(found);
                if is_header {
                    continue;
                }
                l
            }
        };
        summary.rows += 1;
        let kept = l.filters.iter().all(|(col, values)| {
            let cell = record.get(*col).unwrap_or("").to_lowercase();
            values.contains(&cell)
        });
        if !kept {
            summary.filtered_out += 1;
            continue;
        }
        let value = record.get(l.column).unwrap_or("");
        if is_not_delivered(value) {
            summary.not_delivered += 1;
            continue;
        }
        match times.read_day(value) {
            Ok(d) => dates.push(d),
            Err(_) => {
                return Err(HistoryError::NotADate {
                    line,
                    value: value.to_string(),
                });
            }
        }
    }
    let history = History::from_dates(&dates).ok_or(HistoryError::NoDates)?;
    Ok((history, summary))
}

/// Whether a date cell says the item is not delivered yet.
fn is_not_delivered(value: &str) -> bool {
    value.is_empty() || NOT_DELIVERED.iter().any(|m| value.eq_ignore_ascii_case(m))
}

/// The layout from the first row, and whether that row is a header: it is,
/// unless no column or filter is named and its first cell is a date.
fn first_row(
    record: &csv::StringRecord,
    opts: &HistoryOptions,
    times: &TimeReader,
) -> Result<(Layout, bool), HistoryError> {
    let header: Vec<&str> = record.iter().collect();
    let named = date_column(record);
    let headless = opts.column.is_none()
        && opts.filters.is_empty()
        && named.is_none()
        && record.get(0).is_some_and(|c| times.read_day(c).is_ok());
    if headless {
        let layout = Layout {
            column: 0,
            name: "column 1".into(),
            filters: Vec::new(),
        };
        return Ok((layout, false));
    }
    let find = |name: &str, flag: &str| {
        let wanted = name.trim().to_lowercase();
        header
            .iter()
            .position(|h| h.to_lowercase() == wanted)
            .ok_or_else(|| HistoryError::NoColumn {
                flag: flag.into(),
                name: name.into(),
                header: header.join(", "),
            })
    };
    let column = match &opts.column {
        Some(name) => find(name, "--column")?,
        None => named.unwrap_or(0),
    };
    let mut filters = Vec::new();
    for f in &opts.filters {
        let values = f.values.iter().map(|v| v.to_lowercase()).collect();
        filters.push((find(&f.column, "--where")?, values));
    }
    let name = header.get(column).map_or("column 1", |h| h).to_string();
    Ok((
        Layout {
            column,
            name,
            filters,
        },
        true,
    ))
}

/// Which column of a header row holds the delivery date, if one is named so.
fn date_column(header: &csv::StringRecord) -> Option<usize> {
    let names: Vec<String> = header.iter().map(normalise).collect();
    DATE_COLUMNS
        .iter()
        .find_map(|wanted| names.iter().position(|n| n == wanted))
}

/// A column name in lower case, with `_` and `-` as spaces and spaces collapsed.
fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The 1-based line of `text` on which the record found at byte `byte`
/// starts: the reader reports the end of the previous record, before any
/// blank lines it skipped.
#[derive(Default)]
struct LineCounter {
    /// Bytes already counted, and the newlines among them.
    upto: usize,
    newlines: usize,
}

impl LineCounter {
    /// The line of `byte`; offsets come in increasing order, so each byte of the
    /// text is looked at once (reading stays linear in the file size).
    fn line_at(&mut self, text: &str, byte: u64) -> u64 {
        let bytes = text.as_bytes();
        let end = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        if end < self.upto {
            *self = LineCounter::default();
        }
        self.newlines += bytes[self.upto..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.upto = end;
        let blank = bytes[end..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .filter(|b| **b == b'\n')
            .count();
        (self.newlines + blank) as u64 + 1
    }
}
