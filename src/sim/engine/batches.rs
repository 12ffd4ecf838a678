//! Handoff batches (the outbox moves on when full, timed out, or when no item can
//! still join it) and process batches (one piece of work for several items), with
//! the frontier counts that tell when a backlog's partial batch is complete.

use super::*;

impl Engine<'_> {
    /// Re-registers an item's frontier (the earliest queue and outbox it can still
    /// reach) after it moved, so partial batches know when no one else can join.
    pub(super) fn refront(&mut self, slot: u32) {
        if !self.track {
            return;
        }
        let it = self.items[slot as usize];
        let s = self.n_stages;
        let row = it.ty as usize * (s + 1);
        let (fq, fc) = match it.phase {
            Phase::Entrance => {
                let p = self.next_stage(it.ty, 0);
                let f = p.min(self.back_of(it.ty, p));
                (f, f)
            }
            // A blocked item joins its stage's queue again.
            Phase::Waiting | Phase::Blocked => {
                let p = it.stage as usize;
                let f = p.min(self.back_of(it.ty, p));
                (f, f)
            }
            Phase::Queued | Phase::Working => {
                let p = it.stage as usize;
                let b = self.back_of(it.ty, p);
                ((p + 1).min(b), p.min(b))
            }
            Phase::Outbox => {
                let n = it.stage as usize + 1;
                let f = n.min(self.back_of(it.ty, n));
                (f, f)
            }
            Phase::Split => unreachable!("a split item has left the stages and never moves again"),
        };
        if it.fq != NONE16 {
            self.fq_cnt[row + it.fq as usize] -= 1;
            self.fc_cnt[row + it.fc as usize] -= 1;
        }
        self.fq_cnt[row + fq] += 1;
        self.fc_cnt[row + fc] += 1;
        let m = &mut self.items[slot as usize];
        m.fq = fq as u16;
        m.fc = fc as u16;
    }

    pub(super) fn unfront(&mut self, slot: u32) {
        if !self.track {
            return;
        }
        let it = self.items[slot as usize];
        if it.fq != NONE16 {
            let row = it.ty as usize * (self.n_stages + 1);
            self.fq_cnt[row + it.fq as usize] -= 1;
            self.fc_cnt[row + it.fc as usize] -= 1;
        }
    }

    /// Handoff batches that are full, or whose oldest item has waited long
    /// enough, move on.
    pub(super) fn release_batches(&mut self) -> bool {
        let mut moved = false;
        let mut k = 0;
        while k < self.release_dirty.len() {
            let s = self.release_dirty[k] as usize;
            k += 1;
            self.st[s].release_dirty = false;
            let Some(h) = &self.model.stages[s].handoff else {
                continue;
            };
            let (size, max_wait) = (h.size as usize, h.max_wait);
            while self.st[s].forming.len() >= size {
                self.release_batch(s, size, max_wait);
                moved = true;
            }
            if self.st[s].expired {
                let n = self.st[s].forming.len();
                self.release_batch(s, n, max_wait);
                moved = true;
            }
        }
        self.release_dirty.clear();
        moved
    }

    /// The oldest `n` items of the outbox of `s` move on together; the rest start
    /// the next batch, whose clock starts now.
    pub(super) fn release_batch(&mut self, s: usize, n: usize, max_wait: Option<f64>) {
        let rt = &mut self.st[s];
        rt.batch_no = rt.batch_no.wrapping_add(1);
        rt.expired = false;
        rt.moving.clear();
        let n = n.min(rt.forming.len());
        rt.moving.extend(rt.forming.drain(..n));
        if !rt.forming.is_empty()
            && let Some(mw) = max_wait
        {
            let oldest = self.items[rt.forming[0] as usize].listed;
            let batch_no = rt.batch_no;
            self.push(oldest.max(self.now) + mw, Kind::Timeout, s, batch_no);
        }
        let mut moving = std::mem::take(&mut self.st[s].moving);
        for &slot in &moving {
            self.forward(slot, s);
        }
        moving.clear();
        self.st[s].moving = moving;
    }

    pub(super) fn start_batch(&mut self, s: usize, k: usize) {
        self.touch(s);
        let job = match self.st[s].free_jobs.pop() {
            Some(job) => job,
            None => {
                self.st[s].jobs.push(Vec::new());
                (self.st[s].jobs.len() - 1) as u32
            }
        };
        let stage = &self.model.stages[s];
        let first = self.st[s]
            .queue
            .front()
            .expect("a batch starts with waiting items");
        let fi = self.items[first as usize];
        let visit = self.visits[first as usize * self.n_stages + s] - 1;
        let d = stage.work[fi.ty as usize]
            .sample(&mut self.rng(DRAW_WORK, fi.idx, stage.key, visit))
            * Self::effort_at(&fi, s);
        let (elapsed, active) = self.work_span(d);
        self.st[s].busy += 1;
        for _ in 0..k {
            let slot = self.st[s].queue.pop_front().expect("k ≤ queue length");
            self.st[s].prework -= 1;
            let vi = slot as usize * self.n_stages + s;
            let since = self.items[slot as usize].since;
            self.acc[vi * ACC] += self.now - since;
            self.acc[vi * ACC + 1] += active;
            self.acc[vi * ACC + 3] += elapsed - active;
            let m = &mut self.items[slot as usize];
            m.active += active;
            m.phase = Phase::Working;
            self.refront(slot);
            self.note(slot, Status::InWork(s as u16));
            self.st[s].jobs[job as usize].push(slot);
        }
        self.push(self.now + elapsed, Kind::BatchDone, s, job);
    }

    /// Whether a process batch waiting in stage `s`'s queue can no longer grow:
    /// no item still in the stream can reach that queue.
    pub(super) fn no_one_can_join_queue(&self, s: usize) -> bool {
        self.track && self.no_one_can_join(s, &self.fq_cnt, self.st[s].queue.iter(), |it| it.fq)
    }

    /// Whether a handoff batch forming in stage `s`'s outbox can no longer grow.
    pub(super) fn no_one_can_join_outbox(&self, s: usize) -> bool {
        self.no_one_can_join(s, &self.fc_cnt, self.st[s].forming.iter(), |it| it.fc)
    }

    /// Counts, from the per-type `frontier` counters, the items that can still
    /// reach stage `s` (those whose frontier is at or before it, of types that
    /// visit it), less those already `there`: none left means the batch is
    /// complete.
    pub(super) fn no_one_can_join<'a>(
        &self,
        s: usize,
        frontier: &[u32],
        there: impl Iterator<Item = &'a u32>,
        mark: fn(&Item) -> u16,
    ) -> bool {
        let w = self.n_stages + 1;
        let mut n: i64 = 0;
        for t in 0..self.n_types {
            if self.model.stages[s].skip[t] {
                continue;
            }
            n += frontier[t * w..t * w + s + 1]
                .iter()
                .map(|&c| i64::from(c))
                .sum::<i64>();
        }
        for &slot in there {
            if (mark(&self.items[slot as usize]) as usize) <= s {
                n -= 1;
            }
        }
        n <= 0
    }

    /// Releases partial handoff batches that no further item can join (the end of
    /// a backlog), and marks process batches that may now start short.
    pub(super) fn release_partials(&mut self) -> bool {
        let mut moved = false;
        for k in 0..self.batch_stages.len() {
            let s = self.batch_stages[k];
            if !self.st[s].forming.is_empty() && self.no_one_can_join_outbox(s) {
                let n = self.st[s].forming.len();
                let mw = self.model.stages[s]
                    .handoff
                    .as_ref()
                    .and_then(|h| h.max_wait);
                self.release_batch(s, n, mw);
                moved = true;
            }
            if self.model.stages[s].process.is_some() && !self.st[s].queue.is_empty() {
                self.touch_decision(s);
            }
        }
        moved
    }

    /// Nothing is scheduled to happen: release the most upstream partial batch
    /// (a rework loop can make two batches wait for each other), or give up.
    pub(super) fn unstick(&mut self) -> Result<(), SimError> {
        for k in 0..self.batch_stages.len() {
            let s = self.batch_stages[k];
            if !self.st[s].forming.is_empty() {
                let n = self.st[s].forming.len();
                let mw = self.model.stages[s]
                    .handoff
                    .as_ref()
                    .and_then(|h| h.max_wait);
                self.release_batch(s, n, mw);
                return Ok(());
            }
            let stage = &self.model.stages[s];
            if let (Some(pb), Capacity::Workers(n)) = (&stage.process, &stage.capacity) {
                let waiting = self.st[s].queue.len();
                if waiting > 0 && self.st[s].busy < *n {
                    self.start_batch(s, waiting.min(pb.max as usize));
                    return Ok(());
                }
            }
        }
        Err(SimError::Stuck {
            time: self.now,
            stuck: self.live,
        })
    }
}
