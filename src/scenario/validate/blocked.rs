//! `blocked:` on a stage: the probability a visit is blocked, how long the block
//! lasts (a distribution in elapsed time, read like `wait`), whether the worker
//! stays with the item, and where in the work it starts.

use serde_saphyr::Spanned;

use super::{Builder, Scales, loc};
use crate::error::ScenarioError;
use crate::model::{Blocking, Capacity, ProcessBatch};
use crate::scenario::raw::RawBlocked;

impl Builder<'_> {
    /// A stage's blocked work, refused where the stage does not work item by
    /// item (schedules, process batches).
    pub(super) fn blocked(
        &self,
        b: &Spanned<RawBlocked>,
        capacity: &Capacity,
        process: Option<&ProcessBatch>,
        scales: &Scales,
        ctx: &dyn Fn(&str) -> String,
    ) -> Result<Blocking, ScenarioError> {
        if matches!(capacity, Capacity::Schedule(_)) {
            return Err(self.err(
                loc(b),
                ctx("has blocked work and a schedule"),
                "a scheduled stage takes items only at its instants, so a block cannot hand its work to \
                 someone else; put `blocked` on the stage whose people do the work",
            ));
        }
        if process.is_some() {
            return Err(self.err(
                loc(b),
                ctx("has blocked work and a process_batch"),
                "one piece of work covers the whole batch, so one item cannot be blocked on its own; \
                 put `blocked` on a stage that works item by item, or remove the process_batch",
            ));
        }
        let v = &b.value;
        let p = &v.probability;
        if !(p.value.is_finite() && (0.0..=1.0).contains(&p.value)) {
            return Err(self.err(
                loc(p),
                ctx(&format!("blocked.probability is {}", p.value)),
                "it is the share of visits that get blocked, from 0 to 1 (0.3: three visits in ten)",
            ));
        }
        let duration = self.dist(&v.duration, &scales.elapsed, &ctx("blocked.duration"))?;
        let at = match &v.at {
            None => None,
            Some(a) if a.value.is_finite() && (0.0..=1.0).contains(&a.value) => Some(a.value),
            Some(a) => {
                return Err(self.err(
                    loc(a),
                    ctx(&format!("blocked.at is {}", a.value)),
                    "it is the share of the work done when the block starts, from 0 to 1 (0.5: halfway); \
                     leave it out to draw it anew for every block",
                ));
            }
        };
        Ok(Blocking {
            probability: p.value,
            duration,
            holds_worker: v.holds_worker.as_ref().is_some_and(|h| h.value),
            at,
        })
    }
}
