//! Items' paths through the workflow's stages: the visits that everything else
//! is fitted from.

use super::Millis;

/// One visit of an item to a stage: from entering one of its statuses until
/// entering a status of another stage (or done).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    /// Index into [`super::Workflow::stages`].
    pub stage: u32,
    /// When the item entered the stage (queue or active status).
    pub entered: Millis,
    /// First entry into an active status of this visit, if any.
    pub started: Option<Millis>,
    /// When the item left for another stage or done; `None` while still there
    /// at the end of the history (right-censored).
    pub left: Option<Millis>,
    /// Time spent in the stage's queue statuses.
    pub queue: Millis,
    /// Time spent in the stage's active statuses.
    pub active: Millis,
    /// Time spent in blocked statuses during this visit.
    pub blocked: Millis,
    /// True when the item came back to this stage after having reached a later
    /// one (a rework visit).
    pub rework: bool,
}

/// How an item's history ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Entered a done status at this time.
    Delivered(Millis),
    /// Ended in a not-delivered status at this time.
    NotDelivered(Millis),
    /// Still in the stream at the end of the history.
    Open,
}

/// One item's path.
#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    /// Index into [`super::History::items`].
    pub item: u32,
    /// Entry into its first stage (its arrival).
    pub arrived: Millis,
    /// Its visits in time order.
    pub visits: Vec<Visit>,
    /// How it ends.
    pub end: End,
}

/// All journeys of a history under a workflow.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Journeys {
    /// One per item that entered a stage of the workflow.
    pub journeys: Vec<Journey>,
    /// The history's span: first and last timestamp seen (after `--window`).
    pub span: (Millis, Millis),
    /// Statuses not in the workflow, with their number of entries (ignored).
    pub unmapped: Vec<(String, usize)>,
    /// Stays of zero length (bulk moves), per stage: reported, not fitted as work.
    pub zero_length: Vec<usize>,
}
