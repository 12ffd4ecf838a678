//! Items' paths through the workflow's stages: the visits that everything else
//! is fitted from.
//!
//! [`journeys`] walks each item's entries once:
//! - the journey starts at the first entry into a stage's status (queue or
//!   active): `arrived`; entries before it (unmapped, blocked, done) are ignored,
//!   and an item that never enters a stage has no journey;
//! - entering a status of another stage closes the visit (`left`) and opens a
//!   new one, a rework visit when its stage index is lower than the highest
//!   reached before;
//! - within a visit, time in queue statuses counts as `queue`, in active ones as
//!   `active`, in blocked ones as `blocked`, in unmapped ones as `queue`;
//! - entering done (not delivered) closes the visit and ends the journey
//!   `Delivered` (`NotDelivered`). If the item leaves that status again, the
//!   end is undone: its last visit is reopened, the time spent in done counts as
//!   that visit's `blocked` time, and the walk goes on;
//! - a visit still open at the end of the item's history (right-censored) has
//!   `left = None` and counts its last status's time up to the end of the
//!   history's span, so that its times are what was observed so far.

use super::workflow::{Role, Workflow};
use super::{History, Millis};

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

/// Stays shorter than this are zero-length (bulk moves): one minute.
pub const ZERO_LENGTH: Millis = 60_000;

/// The journeys of every item of `history` through `workflow`'s stages.
pub fn journeys(history: &History, workflow: &Workflow) -> Journeys {
    let roles = workflow.roles(history);
    let mut entries_per_status = vec![0usize; history.statuses.len()];
    let mut span: Option<(Millis, Millis)> = None;
    for it in &history.items {
        for e in &it.entries {
            entries_per_status[e.status as usize] += 1;
            span = Some(match span {
                None => (e.at, e.at),
                Some((a, b)) => (a.min(e.at), b.max(e.at)),
            });
        }
    }
    let span = span.unwrap_or((0, 0));
    let mut out = Journeys {
        journeys: Vec::new(),
        span,
        unmapped: Vec::new(),
        zero_length: vec![0; workflow.stages.len()],
    };
    for (i, it) in history.items.iter().enumerate() {
        if let Some(j) = walk(i as u32, &it.entries, &roles, span.1) {
            for v in &j.visits {
                if v.left.is_some_and(|l| l - v.entered < ZERO_LENGTH) {
                    out.zero_length[v.stage as usize] += 1;
                }
            }
            out.journeys.push(j);
        }
    }
    let mut unmapped: Vec<(String, usize)> = (0..history.statuses.len())
        .filter(|&s| roles[s] == Role::Unmapped && entries_per_status[s] > 0)
        .map(|s| (history.statuses[s].clone(), entries_per_status[s]))
        .collect();
    unmapped.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.unmapped = unmapped;
    out
}

/// One item's journey, or `None` when it never enters a stage.
///
/// Long on purpose: one pass over the item's entries, each role handled where
/// it occurs, so the state of the open visit stays in one place.
fn walk(
    item: u32,
    entries: &[super::Entry],
    roles: &[Role],
    end_of_history: Millis,
) -> Option<Journey> {
    let first = entries
        .iter()
        .position(|e| matches!(roles[e.status as usize], Role::Queue(_) | Role::Active(_)))?;
    let mut visits: Vec<Visit> = Vec::new();
    let mut open: Option<Visit> = None;
    let mut end = End::Open;
    let mut highest: Option<u32> = None;
    let mut prev: (Role, Millis) = (Role::Unmapped, entries[first].at);
    for e in &entries[first..] {
        let role = roles[e.status as usize];
        let t = e.at;
        if let Some(v) = open.as_mut() {
            add_time(v, prev.0, t - prev.1);
        } else if matches!(prev.0, Role::Done | Role::NotDelivered)
            && !matches!(role, Role::Done | Role::NotDelivered)
        {
            // Left done again: undo the end, reopen the last visit.
            end = End::Open;
            if let Some(mut v) = visits.pop() {
                v.left = None;
                v.blocked += t - prev.1;
                open = Some(v);
            }
        }
        match role {
            Role::Queue(s) | Role::Active(s) => {
                if open.is_some_and(|v| v.stage != s) {
                    if let Some(mut v) = open.take() {
                        v.left = Some(t);
                        visits.push(v);
                    }
                }
                let v = open.get_or_insert(Visit {
                    stage: s,
                    entered: t,
                    started: None,
                    left: None,
                    queue: 0,
                    active: 0,
                    blocked: 0,
                    rework: highest.is_some_and(|h| s < h),
                });
                if matches!(role, Role::Active(_)) && v.started.is_none() {
                    v.started = Some(t);
                }
                highest = Some(highest.map_or(s, |h| h.max(s)));
            }
            Role::Done | Role::NotDelivered => {
                if let Some(mut v) = open.take() {
                    v.left = Some(t);
                    visits.push(v);
                }
                if !matches!(end, End::Delivered(_) | End::NotDelivered(_))
                    || !matches!(prev.0, Role::Done | Role::NotDelivered)
                {
                    end = if role == Role::Done {
                        End::Delivered(t)
                    } else {
                        End::NotDelivered(t)
                    };
                }
            }
            Role::Blocked | Role::Unmapped => {}
        }
        prev = (role, t);
    }
    if let Some(mut v) = open.take() {
        add_time(&mut v, prev.0, (end_of_history - prev.1).max(0));
        visits.push(v);
    }
    Some(Journey {
        item,
        arrived: entries[first].at,
        visits,
        end,
    })
}

fn add_time(v: &mut Visit, role: Role, d: Millis) {
    match role {
        Role::Active(_) => v.active += d,
        Role::Blocked => v.blocked += d,
        Role::Queue(_) | Role::Unmapped => v.queue += d,
        // Unreachable with an open visit (entering done closes it); counted as waiting.
        Role::Done | Role::NotDelivered => v.blocked += d,
    }
}
