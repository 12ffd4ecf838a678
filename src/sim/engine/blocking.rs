//! Blocked work (`blocked:` on a stage): a visit is blocked with the stage's
//! probability, after a share of its work (`at`, or drawn uniformly), for a
//! drawn time, once per visit.
//!
//! Three draws per visit, each from its own stream (common random numbers):
//! whether it is blocked (`DRAW_BLOCKED`), where in the work (`DRAW_BLOCK_AT`)
//! and for how long (`DRAW_BLOCK_TIME`). The work itself is the draw the visit
//! has without blocking, so a variant that removes the block changes nothing
//! else. A block is elapsed time and counts as wait, not active time.
//!
//! A worker who holds the item waits with it and goes on with the rest of the
//! work when the block is over. Otherwise the worker is free at once; when the
//! block is over, the item queues again at its stage ahead of new work (behind
//! items that came back from a block earlier, and among those of the same
//! instant in arrival order), and the rest of its work starts when a worker is
//! free. The event log shows it in work all along, as a board shows a blocked
//! card in its column.

use super::*;

impl Engine<'_> {
    /// Starts `slot`'s work at `s`, a stage with blocked work: the rest of the
    /// work when it resumes after a block; otherwise its whole work, or the part
    /// before the block when this visit is blocked.
    pub(super) fn start_blockable(&mut self, slot: u32, s: usize, visit: u32) {
        let it = self.items[slot as usize];
        if !it.rest.is_nan() {
            self.items[slot as usize].rest = f64::NAN;
            self.run_work(slot, s, it.rest, Kind::WorkDone);
            return;
        }
        let stage = &self.model.stages[s];
        let b = stage
            .blocked
            .as_ref()
            .expect("only stages with blocked work start work here");
        let d = stage.work[it.ty as usize]
            .sample(&mut self.rng(DRAW_WORK, it.idx, stage.key, visit))
            * Self::effort_at(&it, s);
        let u: f64 = self.rng(DRAW_BLOCKED, it.idx, stage.key, visit).random();
        self.note(slot, Status::InWork(s as u16));
        if u < b.probability {
            let at =
                b.at.unwrap_or_else(|| self.rng(DRAW_BLOCK_AT, it.idx, stage.key, visit).random());
            let first = d * at;
            self.items[slot as usize].rest = d - first;
            self.run_work(slot, s, first, Kind::Blocked);
        } else {
            self.run_work(slot, s, d, Kind::WorkDone);
        }
    }

    /// `slot`'s work at `s` reached its block: the block's time is drawn and
    /// counted, and a worker who does not hold the item is free.
    pub(super) fn on_blocked(&mut self, s: usize, slot: u32) {
        let stage = &self.model.stages[s];
        let b = stage
            .blocked
            .as_ref()
            .expect("only stages with blocked work block");
        let holds = b.holds_worker;
        let vi = slot as usize * self.n_stages + s;
        let visit = self.visits[vi] - 1;
        let idx = self.items[slot as usize].idx;
        let d = b
            .duration
            .sample(&mut self.rng(DRAW_BLOCK_TIME, idx, stage.key, visit));
        self.acc[vi * ACC + 4] += d;
        if !holds {
            self.touch(s);
            self.st[s].busy -= 1;
            if let Start::Pool(p) = self.starts[s] {
                self.pools[p as usize].busy -= 1;
            }
            self.touch_decision(s);
            self.items[slot as usize].phase = Phase::Blocked;
            self.refront(slot);
        }
        self.push(self.now + d, Kind::Unblocked, s, slot);
    }

    /// `slot`'s block at `s` is over: the worker who held it goes on with the
    /// rest of the work; otherwise the item queues again, ahead of new work.
    pub(super) fn on_unblocked(&mut self, s: usize, slot: u32) {
        if self.items[slot as usize].phase != Phase::Blocked {
            let rest = self.items[slot as usize].rest;
            self.items[slot as usize].rest = f64::NAN;
            self.run_work(slot, s, rest, Kind::WorkDone);
            return;
        }
        self.touch(s);
        let now = self.now;
        let rt = &mut self.st[s];
        rt.prework += 1;
        let it = &mut self.items[slot as usize];
        it.phase = Phase::Queued;
        it.since = now;
        it.listed = now;
        let idx = it.idx;
        if rt.queue.is_ranked() {
            self.join_ranked(slot, s, true);
        } else {
            // Behind the items that resumed earlier; among those of this
            // instant, in arrival order.
            let mut at = rt.resumed as usize;
            while at > 0 {
                let prev = &self.items[rt.queue.fifo[at - 1] as usize];
                if prev.listed == now && prev.idx > idx {
                    at -= 1;
                } else {
                    break;
                }
            }
            rt.queue.fifo.insert(at, slot);
            rt.resumed += 1;
        }
        self.refront(slot);
        self.touch_decision(s);
    }
}
