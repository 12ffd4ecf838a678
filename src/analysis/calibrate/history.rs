//! A status history as read from a file: items and their entries into statuses.

use super::Millis;

/// One entry of an item into a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Index into [`History::statuses`].
    pub status: u32,
    /// When the item entered the status.
    pub at: Millis,
}

/// Everything known about one item (ticket, issue, pull request).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemHistory {
    /// The tracker's key, e.g. `AEAREP-6661`.
    pub key: String,
    /// The item type (`Issue Type`), when the file has one.
    pub kind: Option<String>,
    /// Entries in time order (stable for equal times: file order). Consecutive
    /// entries into the same status are collapsed into the first.
    pub entries: Vec<Entry>,
}

/// What was odd in the file: counted and reported, never silently dropped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quality {
    /// Data rows read (all files, including those outside `--window`): rows of a
    /// long CSV, filled status cells of a wide CSV, status entries (creation and
    /// each status change) of Jira JSON.
    pub rows: usize,
    /// Items whose rows were not in time order in the file (they were sorted).
    pub out_of_order: usize,
    /// Rows repeating an item's previous status (collapsed).
    pub duplicates: usize,
    /// Items with a single status entry (they never moved: no stage time can be
    /// measured from them; they still count as arrivals).
    pub single_status: usize,
    /// Items whose timestamps carry different UTC offsets (read correctly; reported
    /// because it often means a server moved or daylight saving time).
    pub mixed_offsets: usize,
    /// Rows outside `--window` (left out).
    pub outside_window: usize,
}

/// A whole history: interned status names, items in order of first appearance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// Every status name seen, in order of first appearance.
    pub statuses: Vec<String>,
    /// The items, in order of first appearance in the files.
    pub items: Vec<ItemHistory>,
    /// What was odd.
    pub quality: Quality,
    /// True when the timestamps were plain numbers (an undated event log from
    /// `flowcast run --events` on a scenario without `start`).
    pub undated: bool,
}
