//! WIP limits: items blocked by a full stage are pulled in when it has room, and
//! items held at the entrance come in while the stream limit and their first
//! stage allow, oldest first. Items of a WIP-exempt class come in at once.

use super::*;

impl Engine<'_> {
    /// Stages with room take their blocked items, oldest first; downstream first,
    /// so space freed by a pull is offered upstream in the same pass.
    pub(super) fn pull_blocked(&mut self) -> bool {
        if !self.pull_dirty {
            return false;
        }
        self.pull_dirty = false;
        let mut moved = false;
        for s in (0..self.n_stages).rev() {
            while !self.st[s].blocked.is_empty() && self.has_room(s) {
                let slot = self.st[s]
                    .blocked
                    .pop_front()
                    .expect("the blocked list is not empty");
                let origin = self.items[slot as usize].stage as usize;
                self.leave_outbox(slot, origin);
                self.enter_stage(slot, s, false);
                self.on_space(origin);
                moved = true;
            }
        }
        moved
    }

    /// Lets held items into the stream while the stream limit and their first
    /// stage allow, oldest first.
    pub(super) fn admit_entrance(&mut self) -> bool {
        let mut moved = false;
        while let Some(slot) = self.entrance_exempt.pop_front() {
            moved = true;
            self.enter_stream(slot);
        }
        while let Some(&slot) = self.entrance.front() {
            if let Some(l) = self.model.wip_limit
                && self.in_stream >= l
            {
                break;
            }
            let ty = self.items[slot as usize].ty;
            let first = self.next_stage(ty, 0);
            if first < self.n_stages
                && (!self.has_room(first) || !self.st[first].blocked.is_empty())
            {
                break;
            }
            self.entrance.pop_front();
            moved = true;
            self.enter_stream(slot);
        }
        moved
    }

    /// The item leaves the entrance for its first stage (or is delivered at
    /// once when its type skips them all).
    fn enter_stream(&mut self, slot: u32) {
        self.in_stream += 1;
        let it = &mut self.items[slot as usize];
        it.entry_wait = self.now - it.arrival;
        let ty = it.ty;
        let first = self.next_stage(ty, 0);
        if first == self.n_stages {
            self.leave_stream(slot);
        } else {
            self.enter_stage(slot, first, false);
        }
    }
}
