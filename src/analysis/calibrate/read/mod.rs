//! Reads status histories — long CSV, Jira REST JSON, wide CSV — into a
//! [`History`]. The format is detected per file: a `.json` name or a first
//! non-blank byte `{`/`[` is Jira JSON; a CSV with a status column is long;
//! any other CSV is wide (one column per status holding entry dates).
//!
//! Reading is one pass over each file; entries are interned (status names and
//! keys are stored once) and each item's entries are sorted and collapsed once
//! at the end, so the work is linear in the file size (plus the sort of an
//! item's own entries when a file is not in time order).

mod jira;
mod long;
mod wide;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::time::{Stamp, TimeReader};
use super::{DAY, Entry, History, ItemHistory, Millis, Quality};
use crate::Error;

/// Files larger than this are refused (1 GiB).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Which CSV columns hold what (`--columns`); `None` = found among the usual names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// The item key column (`key`, `Issue key`, `id`).
    pub key: Option<String>,
    /// The status entered (`status`, `to`, `toString`, `To Status`).
    pub status: Option<String>,
    /// When it was entered (`timestamp`, `date`, `changed`, `created`).
    pub timestamp: Option<String>,
    /// The item type (`type`, `Issue Type`).
    pub kind: Option<String>,
}

impl Columns {
    /// Reads `key=Issue key,status=To,timestamp=Changed,type=Type` (any subset,
    /// any order; names are matched case-insensitively).
    pub fn parse(spec: &str) -> Result<Columns, Error> {
        let mut c = Columns::default();
        for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let Some((role, name)) = part.split_once('=') else {
                return Err(Error::Usage(format!(
                    "--columns: `{part}` has no `=`; write e.g. key=Issue key,status=To,timestamp=Changed,type=Type"
                )));
            };
            let name = name.trim();
            if name.is_empty() {
                return Err(Error::Usage(format!("--columns: `{part}` names no column")));
            }
            let slot = match role.trim().to_ascii_lowercase().as_str() {
                "key" => &mut c.key,
                "status" => &mut c.status,
                "timestamp" | "time" | "date" => &mut c.timestamp,
                "type" | "kind" => &mut c.kind,
                other => {
                    return Err(Error::Usage(format!(
                        "--columns: unknown role `{other}`; the roles are key, status, timestamp and type"
                    )));
                }
            };
            *slot = Some(name.to_string());
        }
        Ok(c)
    }
}

/// How to read history files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Column names (`--columns`).
    pub columns: Columns,
    /// A strftime format for timestamps in another form (`--date-format`).
    pub date_format: Option<String>,
    /// The IANA zone of times written without an offset (`--tz`); UTC when `None`.
    pub tz: Option<String>,
    /// Only rows in this inclusive range are kept (`--window`); the others are counted.
    pub window: Option<(Millis, Millis)>,
    /// Milliseconds per time unit for plain-number timestamps (default one day).
    pub undated_unit: Millis,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            columns: Columns::default(),
            date_format: None,
            tz: None,
            window: None,
            undated_unit: DAY,
        }
    }
}

/// Reads every file into one history (items keep the order of first appearance).
pub fn read(paths: &[PathBuf], opts: &ReadOptions) -> Result<History, Error> {
    if paths.is_empty() {
        return Err(Error::Usage("no history file given".into()));
    }
    let times = TimeReader::new(
        opts.date_format.as_deref(),
        opts.tz.as_deref(),
        opts.undated_unit,
    )?;
    let mut b = Builder::new(opts.window);
    for path in paths {
        let before = b.quality.rows;
        read_file(path, opts, &times, &mut b)?;
        if b.quality.rows == before {
            return Err(input(
                path,
                0,
                "the file has no rows (only a header, or nothing); export the status history with one row per status change",
            ));
        }
    }
    let history = b.finish();
    if history.items.is_empty() {
        return Err(Error::Usage(format!(
            "all {} rows are outside --window; widen the window or leave it out",
            history.quality.rows
        )));
    }
    Ok(history)
}

fn read_file(
    path: &Path,
    opts: &ReadOptions,
    times: &TimeReader,
    b: &mut Builder,
) -> Result<(), Error> {
    let io = |source| Error::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(input(
            path,
            0,
            format!(
                "the file is {:.1} GiB, more than the 1 GiB flowcast reads; split it or use --window on a smaller export",
                size as f64 / MAX_FILE_BYTES as f64
            ),
        ));
    }
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut head = [0u8; 4096];
    let n = file.read(&mut head).map_err(io)?;
    let first = head[..n]
        .iter()
        .copied()
        .find(|c| !(c.is_ascii_whitespace() || *c == 0xEF || *c == 0xBB || *c == 0xBF));
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || matches!(first, Some(b'{' | b'['));
    if is_json {
        jira::read(path, times, b)
    } else {
        let file = std::fs::File::open(path).map_err(io)?;
        let rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(file);
        long::read_csv(path, rdr, &opts.columns, times, b)
    }
}

/// An input error about `file` at `line`.
fn input(file: &Path, line: usize, message: impl Into<String>) -> Error {
    Error::Input {
        file: file.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// Collects entries row by row; sorts, collapses and counts at the end.
struct Builder {
    statuses: Vec<String>,
    status_ix: HashMap<String, u32>,
    items: Vec<ItemHistory>,
    item_ix: HashMap<String, u32>,
    /// Per item: the first UTC offset seen and whether another one was seen.
    offsets: Vec<(Option<i32>, bool)>,
    quality: Quality,
    window: Option<(Millis, Millis)>,
    /// `Some(true)` once a dated row was read, `Some(false)` once an undated one.
    dated: Option<bool>,
}

/// One row as read from any format.
struct Row<'a> {
    key: &'a str,
    kind: Option<&'a str>,
    status: &'a str,
    at: Stamp,
}

impl Builder {
    fn new(window: Option<(Millis, Millis)>) -> Builder {
        Builder {
            statuses: Vec::new(),
            status_ix: HashMap::new(),
            items: Vec::new(),
            item_ix: HashMap::new(),
            offsets: Vec::new(),
            quality: Quality::default(),
            window,
            dated: None,
        }
    }

    /// Adds one row: its item, status and time, counting what is odd.
    ///
    /// Long on purpose: each check of a row, in order, with its own count.
    fn add(&mut self, file: &Path, line: usize, row: Row<'_>) -> Result<(), Error> {
        self.quality.rows += 1;
        let key = row.key.trim();
        let status = row.status.trim();
        if key.is_empty() {
            return Err(input(
                file,
                line,
                "the row has no item key; every row needs the key of the item that moved",
            ));
        }
        if status.is_empty() {
            return Err(input(
                file,
                line,
                format!(
                    "the row of `{key}` has no status; every row needs the status the item entered"
                ),
            ));
        }
        let (at, offset, dated) = match row.at {
            Stamp::Dated(ms, off) => (ms, off, true),
            Stamp::Undated(ms) => (ms, None, false),
        };
        match self.dated {
            Some(d) if d != dated => {
                return Err(input(
                    file,
                    line,
                    format!(
                        "this row's timestamp is {} but earlier rows' are {}; a history is either dated or plain numbers (an undated `flowcast run --events` log), not both",
                        if dated { "a date" } else { "a plain number" },
                        if d { "dates" } else { "plain numbers" }
                    ),
                ));
            }
            _ => self.dated = Some(dated),
        }
        if let Some((from, to)) = self.window {
            if at < from || at > to {
                self.quality.outside_window += 1;
                return Ok(());
            }
        }
        let status = match self.status_ix.get(status) {
            Some(&s) => s,
            None => {
                let s = self.statuses.len() as u32;
                self.statuses.push(status.to_string());
                self.status_ix.insert(status.to_string(), s);
                s
            }
        };
        let item = match self.item_ix.get(key) {
            Some(&i) => i as usize,
            None => {
                self.item_ix
                    .insert(key.to_string(), self.items.len() as u32);
                self.items.push(ItemHistory {
                    key: key.to_string(),
                    kind: None,
                    entries: Vec::new(),
                });
                self.offsets.push((None, false));
                self.items.len() - 1
            }
        };
        let it = &mut self.items[item];
        if it.kind.is_none() {
            if let Some(k) = row.kind.map(str::trim).filter(|k| !k.is_empty()) {
                it.kind = Some(k.to_string());
            }
        }
        it.entries.push(Entry { status, at });
        if let Some(off) = offset {
            let o = &mut self.offsets[item];
            match o.0 {
                None => o.0 = Some(off),
                Some(first) if first != off => o.1 = true,
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn finish(self) -> History {
        let mut q = self.quality;
        let mut items = self.items;
        for (it, off) in items.iter_mut().zip(&self.offsets) {
            if !it.entries.is_sorted_by_key(|e| e.at) {
                it.entries.sort_by_key(|e| e.at);
                q.out_of_order += 1;
            }
            let before = it.entries.len();
            it.entries.dedup_by_key(|e| e.status);
            q.duplicates += before - it.entries.len();
            if it.entries.len() == 1 {
                q.single_status += 1;
            }
            if off.1 {
                q.mixed_offsets += 1;
            }
        }
        History {
            statuses: self.statuses,
            items,
            quality: q,
            undated: self.dated == Some(false),
        }
    }
}
