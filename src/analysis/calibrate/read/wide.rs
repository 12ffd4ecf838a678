//! Wide CSV: one row per item, one column per status holding the date the item
//! entered it (the cycle-time export of jira-agile-metrics and ActionableAgile),
//! columns in workflow order, empty cells skipped.
//!
//! Columns other than the key and type are status columns when most of their
//! non-empty cells read as dates; others (names, links, cycle times) are left out.
//! A status column's unreadable cell is an error with its line.

use std::fs::File;
use std::path::Path;

use super::long::{KEY_NAMES, TYPE_NAMES, find_column};
use super::{Builder, Columns, Row, input};
use crate::Error;
use crate::analysis::calibrate::time::{Stamp, TimeReader};

pub(super) fn read(
    path: &Path,
    mut rdr: csv::Reader<File>,
    header: &[String],
    columns: &Columns,
    times: &TimeReader,
    b: &mut Builder,
) -> Result<(), Error> {
    let missing = |name: &str| {
        input(
            path,
            1,
            format!("--columns names `{name}` but the header has no such column"),
        )
    };
    let key = find_column(header, columns.key.as_deref(), &KEY_NAMES)
        .map_err(missing)?
        .unwrap_or(0);
    let kind = find_column(header, columns.kind.as_deref(), &TYPE_NAMES).map_err(missing)?;
    let mut rows: Vec<(usize, csv::StringRecord)> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            input(
                path,
                e.position().map_or(0, |p| p.line() as usize),
                format!("cannot read the CSV row: {e}"),
            )
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        rows.push((line, rec));
    }
    let is_status = |c: usize| {
        if c == key || Some(c) == kind {
            return false;
        }
        let cells: Vec<&str> = rows
            .iter()
            .filter_map(|(_, r)| r.get(c))
            .filter(|s| !s.trim().is_empty())
            .collect();
        let dates = cells
            .iter()
            .filter(|s| matches!(times.read(s), Ok(Stamp::Dated(..))))
            .count();
        !cells.is_empty() && 2 * dates > cells.len()
    };
    let status_cols: Vec<usize> = (0..header.len()).filter(|&c| is_status(c)).collect();
    if status_cols.is_empty() {
        return Err(input(
            path,
            1,
            format!(
                "no status column: the header ({}) has none of status/to/toString/To Status, and no column holds dates (a wide export); name the columns with --columns key=…,status=…,timestamp=…",
                header.join(", ")
            ),
        ));
    }
    for (line, rec) in &rows {
        let k = rec.get(key).unwrap_or("");
        for &c in &status_cols {
            let cell = rec.get(c).unwrap_or("");
            if cell.trim().is_empty() {
                continue;
            }
            let at = times
                .read(cell)
                .map_err(|m| input(path, *line, format!("column `{}`: {m}", header[c])))?;
            let row = Row {
                key: k,
                kind: kind.and_then(|t| rec.get(t)),
                status: &header[c],
                at,
            };
            b.add(path, *line, row)?;
        }
    }
    Ok(())
}
