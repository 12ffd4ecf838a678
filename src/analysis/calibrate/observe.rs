//! What the journeys show, stage by stage, before anything is fitted: visits,
//! first-visit work, queue times, how many items were worked on at once, the
//! backward moves and the instants items left. Everything in days.

use super::journeys::{End, Journeys};
use super::{DAY, Millis};

/// Shorter stays than this are bulk moves (zero-length), not work.
pub const ZERO_LENGTH: Millis = 60_000;

/// One stage as observed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StageObservation {
    /// Visits (first and rework).
    pub visits: usize,
    /// Visits that are not rework visits.
    pub first_visits: usize,
    /// First visits that lasted at least a minute in active statuses: active
    /// days, the item type's index (into [`Observation::types`]) when items
    /// have types, and the instant work started.
    pub work: Vec<(f64, Option<u32>, Millis)>,
    /// Active days of rework visits (to a stage the item had been at before;
    /// at least a minute).
    pub rework_work: Vec<f64>,
    /// Visits with less than a minute in the stage's active statuses although
    /// the stage has some (bulk moves).
    pub zero_length: usize,
    /// Queue (and blocked) days per finished visit: from entering the stage
    /// until starting work there (or leaving, when never started).
    pub queue: Vec<f64>,
    /// Active intervals `[started, started + active)` of finished visits, for
    /// concurrency and calendars.
    pub active_intervals: Vec<(Millis, Millis)>,
    /// Instants items started work here (for schedules and process batches).
    pub starts: Vec<Millis>,
    /// Instants items left (for schedules and handoff batches).
    pub exits: Vec<Millis>,
    /// Visits that ended by moving back to an earlier stage, by target stage.
    pub sent_back: Vec<usize>,
    /// Visits that ended by moving on (forward, or done).
    pub moved_on: usize,
    /// Most items in the stage at once (queue, active, blocked).
    pub max_wip: u32,
}

impl StageObservation {
    /// Most items in active statuses at once.
    pub fn max_concurrency(&self) -> u32 {
        max_overlap(&self.active_intervals)
    }

    /// Mean items in active statuses over `span` milliseconds.
    pub fn mean_concurrency(&self, span: Millis) -> f64 {
        if span <= 0 {
            return 0.0;
        }
        let busy: i128 = self
            .active_intervals
            .iter()
            .map(|(a, b)| i128::from(b - a))
            .sum();
        busy as f64 / span as f64
    }

    /// Mean queue days per finished visit (0 without visits).
    pub fn queue_mean(&self) -> f64 {
        mean(&self.queue)
    }
}

/// The whole history as observed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observation {
    /// Per workflow stage.
    pub stages: Vec<StageObservation>,
    /// Arrival instants (entry into the first stage), sorted.
    pub arrivals: Vec<Millis>,
    /// Item type names, in order of first appearance.
    pub types: Vec<String>,
    /// Items per type (same order).
    pub type_counts: Vec<usize>,
    /// Items without a type.
    pub untyped: usize,
    /// Every status entry instant, for the calendar (weekend) check.
    pub moves: Vec<Millis>,
    /// The history's span.
    pub span: (Millis, Millis),
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

/// Most intervals overlapping at one instant; half-open, so one ending when
/// another starts do not overlap.
pub fn max_overlap(intervals: &[(Millis, Millis)]) -> u32 {
    let mut edges: Vec<(Millis, i32)> = Vec::with_capacity(intervals.len() * 2);
    for &(a, b) in intervals {
        if b > a {
            edges.push((a, 1));
            edges.push((b, -1));
        }
    }
    // Ends (-1) sort before starts (+1) at the same instant.
    edges.sort_unstable();
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        most = most.max(now);
    }
    most.max(0) as u32
}

/// Days in `ms` milliseconds.
pub fn days(ms: Millis) -> f64 {
    ms as f64 / DAY as f64
}

/// Observes the journeys of a history with `stages` workflow stages.
/// `kinds[item]` is the type of each history item (`None` when untyped) and
/// `stage_has_active[s]` says whether the stage has active statuses at all.
///
/// Long on purpose: one pass over every visit, filling each measure as it goes.
pub fn observe(
    journeys: &Journeys,
    stage_has_active: &[bool],
    kinds: &[Option<String>],
) -> Observation {
    let n = stage_has_active.len();
    let mut obs = Observation {
        stages: vec![StageObservation::default(); n],
        span: journeys.span,
        ..Observation::default()
    };
    for s in &mut obs.stages {
        s.sent_back = vec![0; n];
    }
    let mut wip_edges: Vec<Vec<(Millis, i32)>> = vec![Vec::new(); n];
    let mut seen = vec![false; n];
    for j in &journeys.journeys {
        obs.arrivals.push(j.arrived);
        let ty = type_index(
            &mut obs,
            kinds.get(j.item as usize).and_then(|k| k.as_deref()),
        );
        seen.iter_mut().for_each(|x| *x = false);
        for (i, v) in j.visits.iter().enumerate() {
            let s = v.stage as usize;
            if s >= n {
                continue;
            }
            obs.moves.push(v.entered);
            // A visit to a stage the item has been at before is a rework visit:
            // the engine scales work by the rework effort exactly there.
            let again = std::mem::replace(&mut seen[s], true);
            let st = &mut obs.stages[s];
            st.visits += 1;
            if !again {
                st.first_visits += 1;
            }
            let leave = v.left.unwrap_or(journeys.span.1);
            wip_edges[s].push((v.entered, 1));
            wip_edges[s].push((leave, -1));
            let Some(left) = v.left else {
                continue; // still there: its times are censored, not fitted
            };
            st.exits.push(left);
            let start = v.started.unwrap_or(left);
            st.queue.push(days((start - v.entered).max(0)));
            if let Some(started) = v.started {
                st.starts.push(started);
                if v.active >= ZERO_LENGTH {
                    st.active_intervals.push((started, started + v.active));
                }
            }
            if stage_has_active[s] {
                if v.active < ZERO_LENGTH {
                    st.zero_length += 1;
                } else if again {
                    st.rework_work.push(days(v.active));
                } else {
                    st.work
                        .push((days(v.active), ty, v.started.unwrap_or(v.entered)));
                }
            }
            match j.visits.get(i + 1) {
                Some(next) if (next.stage as usize) < s => st.sent_back[next.stage as usize] += 1,
                Some(_) => st.moved_on += 1,
                None => {
                    if matches!(j.end, End::Delivered(_) | End::NotDelivered(_)) {
                        st.moved_on += 1;
                    }
                }
            }
        }
    }
    for (s, mut edges) in wip_edges.into_iter().enumerate() {
        edges.sort_unstable();
        let (mut now, mut most) = (0i32, 0i32);
        for (_, d) in edges {
            now += d;
            most = most.max(now);
        }
        obs.stages[s].max_wip = most.max(0) as u32;
    }
    obs.arrivals.sort_unstable();
    obs.moves.sort_unstable();
    obs
}

fn type_index(obs: &mut Observation, kind: Option<&str>) -> Option<u32> {
    let Some(k) = kind.filter(|k| !k.trim().is_empty()) else {
        obs.untyped += 1;
        return None;
    };
    let i = match obs.types.iter().position(|t| t == k) {
        Some(i) => i,
        None => {
            obs.types.push(k.to_string());
            obs.type_counts.push(0);
            obs.types.len() - 1
        }
    };
    obs.type_counts[i] += 1;
    Some(i as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_counts_half_open_intervals() {
        assert_eq!(max_overlap(&[]), 0);
        assert_eq!(max_overlap(&[(0, 10), (10, 20)]), 1);
        assert_eq!(max_overlap(&[(0, 10), (5, 20), (6, 7), (20, 30)]), 3);
        assert_eq!(max_overlap(&[(0, 10), (0, 10)]), 2);
    }
}
