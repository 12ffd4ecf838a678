//! A workflow guessed from a history, for the user to correct (`--write-workflow`).
//!
//! 1. Statuses are classified by their name's words: done (done, closed,
//!    released, resolved, complete …), not delivered (cancelled, won't do,
//!    rejected, duplicate, declined …), blocked (blocked, on hold, waiting for
//!    info, impediment …), waiting (to do, ready, waiting, open, pending,
//!    selected, approved, backlog, new, queue …) or work (all others). Without a
//!    done-like name, the most common final status of items that moved is done.
//! 2. Waiting and work statuses are put in flow order by a Copeland ranking:
//!    status A scores one point for every status B that items more often enter
//!    (first) after A than before A; ties go to the lower median position in
//!    items' paths, then to the earlier first appearance in the file.
//! 3. Each work status becomes a stage named after it; the waiting statuses
//!    just before it are its queue. Waiting statuses after the last work status
//!    form a last, queue-only stage.

use super::History;
use super::workflow::{Workflow, WorkflowStage};

const DONE: [&str; 9] = [
    "done",
    "closed",
    "released",
    "resolved",
    "complete",
    "completed",
    "finished",
    "delivered",
    "shipped",
];
const NOT_DELIVERED: [&str; 11] = [
    "cancelled",
    "canceled",
    "won t do",
    "wont do",
    "won t fix",
    "rejected",
    "duplicate",
    "declined",
    "abandoned",
    "withdrawn",
    "obsolete",
];
const BLOCKED: [&str; 7] = [
    "blocked",
    "on hold",
    "hold",
    "waiting for info",
    "waiting for information",
    "impediment",
    "impeded",
];
const WAITING: [&str; 13] = [
    "to do", "todo", "ready", "waiting", "open", "pending", "selected", "approved", "backlog",
    "new", "queue", "queued", "reopened",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Done,
    NotDelivered,
    Blocked,
    Waiting,
    Work,
}

/// The name as ` word word `: lower-case alphanumeric runs between single spaces.
fn words(name: &str) -> String {
    let mut out = String::from(" ");
    for w in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(&w.to_lowercase());
        out.push(' ');
    }
    out
}

fn has_any(name: &str, patterns: &[&str]) -> bool {
    let w = words(name);
    patterns.iter().any(|p| w.contains(&format!(" {p} ")))
}

fn kind_of(name: &str) -> Kind {
    if has_any(name, &NOT_DELIVERED) {
        Kind::NotDelivered
    } else if has_any(name, &DONE) {
        Kind::Done
    } else if has_any(name, &BLOCKED) {
        Kind::Blocked
    } else if has_any(name, &WAITING) {
        Kind::Waiting
    } else {
        Kind::Work
    }
}

/// Guesses the workflow of `history` (deterministic; see the module doc).
pub fn infer(history: &History) -> Workflow {
    let n = history.statuses.len();
    let mut kinds: Vec<Kind> = history.statuses.iter().map(|s| kind_of(s)).collect();
    if !kinds.contains(&Kind::Done) {
        let mut finals = vec![0usize; n];
        for it in history.items.iter().filter(|i| i.entries.len() > 1) {
            if let Some(last) = it.entries.last() {
                finals[last.status as usize] += 1;
            }
        }
        let best = (0..n)
            .filter(|&s| matches!(kinds[s], Kind::Waiting | Kind::Work) && finals[s] > 0)
            .max_by_key(|&s| (finals[s], std::cmp::Reverse(s)));
        if let Some(s) = best {
            kinds[s] = Kind::Done;
        }
    }
    let order = flow_order(history, &kinds);
    let mut stages: Vec<WorkflowStage> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    for s in order {
        let name = history.statuses[s].clone();
        if kinds[s] == Kind::Waiting {
            pending.push(name);
        } else {
            let stage = unique_name(&stages, &name);
            stages.push(WorkflowStage {
                stage,
                queue: std::mem::take(&mut pending),
                active: vec![name],
            });
        }
    }
    if let Some(first) = pending.first() {
        let stage = unique_name(&stages, first);
        stages.push(WorkflowStage {
            stage,
            queue: pending,
            active: Vec::new(),
        });
    }
    let named = |k: Kind| -> Vec<String> {
        (0..n)
            .filter(|&s| kinds[s] == k)
            .map(|s| history.statuses[s].clone())
            .collect()
    };
    Workflow {
        stages,
        done: named(Kind::Done),
        not_delivered: named(Kind::NotDelivered),
        blocked: named(Kind::Blocked),
        commitment: None,
    }
}

/// Waiting and work statuses in flow order (Copeland ranking on first entries).
fn flow_order(history: &History, kinds: &[Kind]) -> Vec<usize> {
    let flow: Vec<usize> = (0..kinds.len())
        .filter(|&s| matches!(kinds[s], Kind::Waiting | Kind::Work))
        .collect();
    let mut slot = vec![usize::MAX; kinds.len()];
    for (i, &s) in flow.iter().enumerate() {
        slot[s] = i;
    }
    let m = flow.len();
    let mut before = vec![0u32; m * m];
    let mut positions: Vec<Vec<usize>> = vec![Vec::new(); m];
    let mut path: Vec<usize> = Vec::new();
    let mut seen = vec![false; m];
    for it in &history.items {
        path.clear();
        for e in &it.entries {
            let f = slot[e.status as usize];
            if f != usize::MAX && !seen[f] {
                seen[f] = true;
                path.push(f);
            }
        }
        for (i, &a) in path.iter().enumerate() {
            seen[a] = false;
            positions[a].push(i);
            for &b in &path[i + 1..] {
                before[a * m + b] += 1;
            }
        }
    }
    let score = |a: usize| {
        (0..m)
            .filter(|&b| before[a * m + b] > before[b * m + a])
            .count()
    };
    let median = |a: usize| {
        let mut p = positions[a].clone();
        p.sort_unstable();
        p.get(p.len() / 2).copied().unwrap_or(usize::MAX)
    };
    let mut ranked: Vec<(usize, usize, usize)> = (0..m).map(|a| (score(a), median(a), a)).collect();
    ranked.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    ranked.into_iter().map(|(_, _, a)| flow[a]).collect()
}

/// A stage name from a status name (`Writing Report (Part C)` → `writing_report_part_c`),
/// made unique among `stages`.
fn unique_name(stages: &[WorkflowStage], status: &str) -> String {
    let w = words(status);
    let mut base = w.trim().replace(' ', "_");
    if base.is_empty() {
        base = "stage".into();
    }
    let mut name = base.clone();
    let mut k = 2;
    while stages.iter().any(|s| s.stage == name) {
        name = format!("{base}_{k}");
        k += 1;
    }
    name
}
