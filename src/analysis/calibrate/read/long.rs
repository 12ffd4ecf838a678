//! Long CSV: one row per entry into a status (key, status, timestamp, type).

use std::fs::File;
use std::path::Path;

use super::{Builder, Columns, Row, input, wide};
use crate::Error;
use crate::analysis::calibrate::time::TimeReader;

/// Usual names of the key column, in order of preference (lower case).
pub(super) const KEY_NAMES: [&str; 5] = ["key", "issue key", "id", "issue_key", "issue"];
const STATUS_NAMES: [&str; 6] = [
    "status",
    "to",
    "tostring",
    "to status",
    "to_status",
    "tostatus",
];
const TIME_NAMES: [&str; 5] = ["timestamp", "date", "changed", "created", "time"];
/// Usual names of the item type column (lower case).
pub(super) const TYPE_NAMES: [&str; 4] = ["type", "issue type", "issuetype", "issue_type"];

/// The column index for `given` (a `--columns` name) or the first usual name.
/// `Err` carries the missing given name.
pub(super) fn find_column<'a>(
    header: &[String],
    given: Option<&'a str>,
    usual: &[&str],
) -> Result<Option<usize>, &'a str> {
    let lower: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    match given {
        Some(name) => {
            let n = name.trim().to_lowercase();
            lower.iter().position(|h| *h == n).map(Some).ok_or(name)
        }
        None => Ok(usual.iter().find_map(|u| lower.iter().position(|h| h == u))),
    }
}

/// Reads a CSV file: long when it has a status column, else wide.
pub(super) fn read_csv(
    path: &Path,
    mut rdr: csv::Reader<File>,
    columns: &Columns,
    times: &TimeReader,
    b: &mut Builder,
) -> Result<(), Error> {
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(input(path, 1, format!("cannot read the CSV header: {e}"))),
    };
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(input(
            path,
            1,
            "the file is empty; export the status history as CSV with a header row",
        ));
    }
    let missing = |name: &str| {
        input(
            path,
            1,
            format!(
                "--columns names `{name}` but the header has no such column; it has: {}",
                header.join(", ")
            ),
        )
    };
    let status = find_column(&header, columns.status.as_deref(), &STATUS_NAMES).map_err(missing)?;
    let Some(status) = status else {
        return wide::read(path, rdr, &header, columns, times, b);
    };
    let key = find_column(&header, columns.key.as_deref(), &KEY_NAMES).map_err(missing)?;
    let time = find_column(&header, columns.timestamp.as_deref(), &TIME_NAMES).map_err(missing)?;
    let kind = find_column(&header, columns.kind.as_deref(), &TYPE_NAMES).map_err(missing)?;
    let (Some(key), Some(time)) = (key, time) else {
        return Err(input(
            path,
            1,
            format!(
                "the header has a status column but no {} column; name it with --columns key=…,timestamp=… (the header has: {})",
                if key.is_none() { "key" } else { "timestamp" },
                header.join(", ")
            ),
        ));
    };
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                return Err(input(path, line, format!("cannot read the CSV row: {e}")));
            }
        }
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let field = |i: usize, what: &str| -> Result<&str, Error> {
            let bytes = rec.get(i).ok_or_else(|| {
                input(path, line, format!(
                    "the row has {} fields but the {what} is field {} (`{}`); check for a missing comma or an unquoted comma",
                    rec.len(),
                    i + 1,
                    header[i]
                ))
            })?;
            std::str::from_utf8(bytes).map_err(|_| {
                input(
                    path,
                    line,
                    format!("the {what} is not UTF-8 text; save the file as UTF-8"),
                )
            })
        };
        let stamp_text = field(time, "timestamp")?;
        let at = times.read(stamp_text).map_err(|m| input(path, line, m))?;
        let row = Row {
            key: field(key, "key")?,
            kind: match kind {
                Some(k) => Some(field(k, "type")?),
                None => None,
            },
            status: field(status, "status")?,
            at,
        };
        b.add(path, line, row)?;
    }
}
