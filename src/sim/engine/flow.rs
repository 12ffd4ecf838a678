//! Items moving through the stream: entering a stage, joining its queue in
//! (time, arrival) order, finishing work (rework or the outbox), moving on to the
//! next stage and leaving the stream.

use super::*;

impl Engine<'_> {
    #[inline]
    pub(super) fn next_stage(&self, ty: u16, from: usize) -> usize {
        self.next[ty as usize * (self.n_stages + 1) + from] as usize
    }

    #[inline]
    pub(super) fn back_of(&self, ty: u16, p: usize) -> usize {
        self.back[ty as usize * (self.n_stages + 1) + p.min(self.n_stages)] as usize
    }

    /// Puts `slot` into `list` in order of (time listed, arrival index): items that
    /// join a list at the same instant stand in arrival order, whatever order
    /// their events were recorded in.
    /// `last` is the list's latest insertion time: when it is earlier than now, no
    /// entry can tie, and the item simply goes to the back. The first `floor`
    /// entries stay ahead whatever their time (items resuming after a block).
    #[inline]
    pub(super) fn insert_ordered(
        items: &mut [Item],
        list: &mut VecDeque<u32>,
        last: &mut f64,
        slot: u32,
        now: f64,
        floor: u32,
    ) {
        let it = &mut items[slot as usize];
        it.listed = now;
        if *last != now {
            *last = now;
            list.push_back(slot);
        } else {
            Self::insert_tied(items, list, slot, now, floor as usize);
        }
    }

    /// [`Engine::insert_ordered`] when the list already has an entry of this instant.
    #[inline(never)]
    pub(super) fn insert_tied(
        items: &[Item],
        list: &mut VecDeque<u32>,
        slot: u32,
        now: f64,
        floor: usize,
    ) {
        let idx = items[slot as usize].idx;
        let mut at = list.len();
        while at > floor {
            let prev = &items[list[at - 1] as usize];
            if prev.listed == now && prev.idx > idx {
                at -= 1;
            } else {
                break;
            }
        }
        list.insert(at, slot);
    }

    /// Whether items of type `ty` may pass WIP limits (an expedite class).
    #[inline]
    pub(super) fn is_exempt(&self, ty: u16) -> bool {
        !self.exempt.is_empty() && self.exempt[ty as usize]
    }

    #[inline]
    pub(super) fn has_room(&self, s: usize) -> bool {
        match self.model.stages[s].wip_limit {
            Some(l) => self.st[s].count < l,
            None => true,
        }
    }

    pub(super) fn enter_stage(&mut self, slot: u32, s: usize, via_rework: bool) {
        self.touch(s);
        let rt = &mut self.st[s];
        rt.count += 1;
        rt.prework += 1;
        let vi = slot as usize * self.n_stages + s;
        let visit = self.visits[vi];
        self.visits[vi] += 1;
        if visit == 0 && self.trace.is_some() {
            // A feature's band follows its first child into later stages.
            let who = match self.items[slot as usize].parent {
                NONE32 => slot,
                p => p,
            };
            if (s + 1) as u16 > self.items[who as usize].band {
                self.mark(who, s + 1);
            }
        }
        let stage = &self.model.stages[s];
        let it = &mut self.items[slot as usize];
        it.stage = s as u16;
        it.since = self.now;
        self.note(slot, Status::Waiting(s as u16));
        let it = &mut self.items[slot as usize];
        if self.model.commitment == Some(s) && it.commit.is_nan() {
            it.commit = self.now;
            // A split item is committed when its first child is.
            let p = it.parent;
            if p != NONE32 && self.items[p as usize].commit.is_nan() {
                self.items[p as usize].commit = self.now;
            }
        }
        let it = &mut self.items[slot as usize];
        match (&stage.wait, via_rework) {
            (Some(w), false) => {
                let idx = it.idx;
                it.phase = Phase::Waiting;
                let d = w.sample(&mut self.rng(DRAW_WAIT, idx, stage.key, visit));
                self.refront(slot);
                self.push(self.now + d, Kind::WaitOver, s, slot);
            }
            _ => self.join_queue(slot, s),
        }
    }

    pub(super) fn join_queue(&mut self, slot: u32, s: usize) {
        self.items[slot as usize].phase = Phase::Queued;
        let rt = &mut self.st[s];
        if rt.queue.is_ranked() {
            self.join_ranked(slot, s, false);
        } else {
            Self::insert_ordered(
                &mut self.items,
                &mut rt.queue.fifo,
                &mut rt.queue_last,
                slot,
                self.now,
                rt.resumed,
            );
        }
        self.refront(slot);
        self.touch_decision(s);
    }

    #[inline]
    pub(super) fn effort_at(it: &Item, s: usize) -> f64 {
        if (s as i32) <= it.redo_upto {
            it.effort
        } else {
            1.0
        }
    }

    /// An item finished its work at `s`: rework, or on to the outbox.
    pub(super) fn finish_work(&mut self, slot: u32, s: usize) {
        let stage = &self.model.stages[s];
        let it = self.items[slot as usize];
        if let Some(rw) = &stage.rework {
            let visit = self.visits[slot as usize * self.n_stages + s] - 1;
            let u: f64 = self.rng(DRAW_REWORK, it.idx, stage.key, visit).random();
            if u < rw.probability {
                let m = &mut self.items[slot as usize];
                m.effort = rw.effort;
                m.redo_upto = m.redo_upto.max(s as i32);
                let target = self.next_stage(it.ty, rw.to);
                self.touch(s);
                self.st[s].count -= 1;
                self.enter_stage(slot, target, true);
                self.on_space(s);
                return;
            }
        }
        if let Some(sp) = &stage.split
            && it.parent == NONE32
            && sp.types[it.ty as usize]
            && self.split(slot, s)
        {
            return;
        }
        self.put_in_outbox(slot, s);
    }

    /// A finished item goes to the outbox of `s`: on at once, or into the
    /// forming handoff batch.
    pub(super) fn put_in_outbox(&mut self, slot: u32, s: usize) {
        let stage = &self.model.stages[s];
        let m = &mut self.items[slot as usize];
        m.phase = Phase::Outbox;
        m.since = self.now;
        self.refront(slot);
        match &stage.handoff {
            None => self.forward(slot, s),
            Some(h) => {
                let max_wait = h.max_wait;
                let rt = &mut self.st[s];
                Self::insert_ordered(
                    &mut self.items,
                    &mut rt.forming,
                    &mut rt.forming_last,
                    slot,
                    self.now,
                    0,
                );
                if rt.forming.len() == 1
                    && let Some(mw) = max_wait
                {
                    let batch_no = rt.batch_no;
                    self.push(self.now + mw, Kind::Timeout, s, batch_no);
                }
                self.touch_release(s);
            }
        }
    }

    /// Moves a finished item to its next stage, or delivers it; a stage with a
    /// WIP limit takes it in the decision phase, oldest first, when it has room
    /// (an item of a WIP-exempt class enters at once, whatever the limit).
    pub(super) fn forward(&mut self, slot: u32, from: usize) {
        let ty = self.items[slot as usize].ty;
        let nxt = self.next_stage(ty, from + 1);
        if nxt == self.n_stages {
            self.deliver(slot, from);
        } else if self.model.stages[nxt].wip_limit.is_none() || self.is_exempt(ty) {
            self.leave_outbox(slot, from);
            self.enter_stage(slot, nxt, false);
            self.on_space(from);
        } else {
            let rt = &mut self.st[nxt];
            Self::insert_ordered(
                &mut self.items,
                &mut rt.blocked,
                &mut rt.blocked_last,
                slot,
                self.now,
                0,
            );
            self.pull_dirty = true;
        }
    }

    pub(super) fn leave_outbox(&mut self, slot: u32, from: usize) {
        let vi = slot as usize * self.n_stages + from;
        self.acc[vi * ACC + 2] += self.now - self.items[slot as usize].since;
        self.touch(from);
        self.st[from].count -= 1;
    }

    /// Space may have freed in `s`: its blocked items and the entrance are
    /// looked at in the decision phase.
    #[inline]
    pub(super) fn on_space(&mut self, s: usize) {
        if !self.st[s].blocked.is_empty() {
            self.pull_dirty = true;
        }
    }

    /// The item leaves the stream from the outbox of `from`.
    pub(super) fn deliver(&mut self, slot: u32, from: usize) {
        self.leave_outbox(slot, from);
        self.on_space(from);
        self.leave_stream(slot);
    }

    /// The item is delivered: it frees its place in the stream (and no longer
    /// holds back partial batches) now, and is counted when the instant is over.
    pub(super) fn leave_stream(&mut self, slot: u32) {
        self.in_stream -= 1;
        self.note(slot, Status::Done);
        self.unfront(slot);
        self.items[slot as usize].fq = NONE16;
        self.delivering.push(slot);
    }
}
