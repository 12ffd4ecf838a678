//! Phase two: the decisions of an instant, taken once on the state its events
//! left — batches and blocked items move on, held items come in, then work starts.

use super::*;

impl Engine<'_> {
    /// Elapsed time a piece of work takes when started now, and its active time,
    /// both in the time unit: the same without a calendar; with one, work runs only
    /// in working time and the active time is the working hours it takes.
    #[inline]
    pub(super) fn work_span(&self, work: f64) -> (f64, f64) {
        match (&self.clock, self.calendar) {
            (Some(c), true) => (c.finish(self.now, work) - self.now, work * self.work_ratio),
            _ => (work, work),
        }
    }

    /// Takes this instant's decisions on the state its events left: batches and
    /// blocked items move on and held items come in until nothing more moves,
    /// then work starts; repeated while starting work lets a partial batch go.
    pub(super) fn decide(&mut self) {
        loop {
            let mut moved = true;
            while moved {
                moved = self.release_batches();
                moved |= self.pull_blocked();
                moved |= self.admit_entrance();
                if self.track {
                    moved |= self.release_partials();
                }
            }
            // Starting work frees no place, so only partial batches (tracked in
            // backlogs) can have more to do after it.
            if !self.start_work_everywhere() || !self.track {
                break;
            }
        }
    }

    /// Starts work at every stage marked in this instant; true when something started.
    pub(super) fn start_work_everywhere(&mut self) -> bool {
        let mut started = false;
        while self.any_dirty {
            self.any_dirty = false;
            for w in 0..self.dirty.len() {
                while self.dirty[w] != 0 {
                    let bit = self.dirty[w].trailing_zeros() as usize;
                    self.dirty[w] &= self.dirty[w] - 1;
                    started |= self.try_start(w * 64 + bit);
                }
            }
        }
        started
    }

    /// Starts work at `s` while workers are free and items wait; true when
    /// something started.
    pub(super) fn try_start(&mut self, s: usize) -> bool {
        let before = self.st[s].queue.len();
        match self.starts[s] {
            Start::Pool(p) => return self.start_pool(p as usize),
            Start::Workers(n) => {
                while self.st[s].busy < n {
                    let Some(slot) = self.take_front(s) else {
                        break;
                    };
                    self.start_work(slot, s);
                }
            }
            Start::Batches { workers, min, max } => {
                while self.st[s].busy < workers && !self.st[s].queue.is_empty() {
                    let waiting = self.st[s].queue.len();
                    if waiting < min as usize && !self.no_one_can_join_queue(s) {
                        break;
                    }
                    self.start_batch(s, waiting.min(max as usize));
                }
            }
            Start::Unlimited => {
                while let Some(slot) = self.take_front(s) {
                    self.start_work(slot, s);
                }
            }
            Start::Schedule => self.take_scheduled(s),
        }
        self.st[s].queue.len() != before
    }

    /// Gives each free worker of pool `p` the oldest waiting item across the
    /// queues of the pool's stages; true when something started.
    fn start_pool(&mut self, p: usize) -> bool {
        let mut started = false;
        while self.pools[p].busy < self.pools[p].workers {
            let Some(s) = self.next_in_pool(p) else {
                break;
            };
            let slot = self
                .take_front(s)
                .expect("the pool's next item is at the front of its stage's queue");
            self.pools[p].busy += 1;
            self.start_work(slot, s);
            started = true;
        }
        started
    }

    /// The stage of pool `p` whose queue holds the item to start next: an
    /// item resuming after a block first (they go ahead of new work across the
    /// pool, as in their queue), then the best by the pool's policy (its stages
    /// share one), then the earliest to join its queue, then the first to
    /// arrive. Under FIFO that is the item waiting longest. Each queue keeps its
    /// best in front, so only their fronts are compared.
    fn next_in_pool(&self, p: usize) -> Option<usize> {
        let mut best: Option<((f64, f64, u64), usize)> = None;
        for &s in &self.pools[p].stages {
            let s = s as usize;
            if let Some(k) = self.front_key(s)
                && best.is_none_or(|(b, _)| key_before(k, b))
            {
                best = Some((k, s));
            }
        }
        best.map(|(_, s)| s)
    }

    /// Takes the item that starts next at `s`: one resuming after a block, if any.
    #[inline]
    fn take_front(&mut self, s: usize) -> Option<u32> {
        let rt = &mut self.st[s];
        let slot = rt.queue.pop_front()?;
        rt.resumed = rt.resumed.saturating_sub(1);
        Some(slot)
    }

    pub(super) fn start_work(&mut self, slot: u32, s: usize) {
        self.touch(s);
        let rt = &mut self.st[s];
        rt.prework -= 1;
        rt.busy += 1;
        let stage = &self.model.stages[s];
        let vi = slot as usize * self.n_stages + s;
        let visit = self.visits[vi] - 1;
        let it = self.items[slot as usize];
        self.acc[vi * ACC] += self.now - it.since;
        if stage.blocked.is_some() {
            return self.start_blockable(slot, s, visit);
        }
        let d = stage.work[it.ty as usize]
            .sample(&mut self.rng(DRAW_WORK, it.idx, stage.key, visit))
            * Self::effort_at(&it, s);
        self.note(slot, Status::InWork(s as u16));
        self.run_work(slot, s, d, Kind::WorkDone);
    }

    /// `slot` is worked on at `s` for `work` (in the work unit), which ends in
    /// `then` (the work done, or a block): active and off-hours time counted.
    #[inline]
    pub(super) fn run_work(&mut self, slot: u32, s: usize, work: f64, then: Kind) {
        let vi = slot as usize * self.n_stages + s;
        let (elapsed, active) = self.work_span(work);
        self.acc[vi * ACC + 1] += active;
        self.acc[vi * ACC + 3] += elapsed - active;
        let m = &mut self.items[slot as usize];
        m.active += active;
        m.phase = Phase::Working;
        self.refront(slot);
        self.push(self.now + elapsed, then, s, slot);
    }
}

/// Whether queue key `a` (rank, time listed, arrival) comes before `b`.
#[inline]
fn key_before(a: (f64, f64, u64), b: (f64, f64, u64)) -> bool {
    a.0.total_cmp(&b.0)
        .then(a.1.total_cmp(&b.1))
        .then(a.2.cmp(&b.2))
        .is_lt()
}
