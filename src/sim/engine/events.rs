//! Phase one: the events of an instant applied to the state — arrivals, finished
//! work, ticks and timeouts — and the bookkeeping they share (random draws, the
//! event list, time integrals, new items). No decision is taken here.

use super::*;

impl Engine<'_> {
    #[inline]
    pub(super) fn rng(
        &self,
        purpose: u64,
        idx: u64,
        stage_key: u64,
        visit: u32,
    ) -> Xoshiro256PlusPlus {
        let h = mix64(self.run_key ^ mix64(idx.wrapping_add(purpose << 56)));
        let h = mix64(h ^ stage_key.wrapping_add(u64::from(visit)));
        Xoshiro256PlusPlus::seed_from_u64(h)
    }

    pub(super) fn interval(&self, idx: u64) -> f64 {
        let mut r = self.rng(DRAW_ARRIVAL, idx, 0, 0);
        match &self.model.arrivals {
            Arrivals::Rate(rate) => {
                let e: f64 = rand_distr::Distribution::sample(&rand_distr::Exp1, &mut r);
                e / rate
            }
            Arrivals::Interval(d) => d.sample(&mut r),
            Arrivals::Backlog(_) => 0.0,
        }
    }

    #[inline]
    pub(super) fn push(&mut self, t: f64, kind: Kind, stage: usize, a: u32) {
        self.seq += 1;
        self.heap.push(Ev {
            t,
            seq: if self.reverse_ties {
                u64::MAX - self.seq
            } else {
                self.seq
            },
            kind,
            stage: stage as u32,
            a,
        });
    }

    /// Phase one: applies one event to the state; decisions wait for the end of
    /// the instant.
    pub(super) fn apply(&mut self, ev: Ev) -> Result<(), SimError> {
        let s = ev.stage as usize;
        match ev.kind {
            Kind::Arrival => self.on_arrival()?,
            Kind::WaitOver => self.join_queue(ev.a, s),
            Kind::WorkDone => self.on_work_done(s, ev.a),
            Kind::BatchDone => self.on_batch_done(s, ev.a),
            Kind::Tick => self.on_tick(s),
            Kind::Timeout => self.on_timeout(s, ev.a),
            Kind::Blocked => self.on_blocked(s, ev.a),
            Kind::Unblocked => self.on_unblocked(s, ev.a),
        }
        Ok(())
    }

    /// Marks stage `s` for the decision phase of this instant.
    #[inline]
    pub(super) fn touch_decision(&mut self, s: usize) {
        self.dirty[s / 64] |= 1 << (s % 64);
        self.any_dirty = true;
    }

    /// Marks stage `s`'s handoff batch for the decision phase of this instant.
    #[inline]
    pub(super) fn touch_release(&mut self, s: usize) {
        let rt = &mut self.st[s];
        if !rt.release_dirty {
            rt.release_dirty = true;
            self.release_dirty.push(s as u32);
        }
    }

    #[inline]
    pub(super) fn touch(&mut self, s: usize) {
        let rt = &mut self.st[s];
        let dt = self.now - rt.last;
        rt.queue_area += f64::from(rt.prework) * dt;
        rt.busy_area += f64::from(rt.busy) * dt;
        rt.last = self.now;
    }

    #[inline]
    pub(super) fn touch_wip(&mut self) {
        self.wip_area += self.live as f64 * (self.now - self.wip_last);
        self.wip_last = self.now;
    }

    pub(super) fn create_item(&mut self, arrival: f64) -> u32 {
        let idx = self.next_idx;
        self.next_idx += 1;
        let ty = if self.n_types == 1 {
            0
        } else {
            let u: f64 = self.rng(DRAW_TYPE, idx, 0, 0).random();
            self.cum_share
                .iter()
                .position(|&c| u < c)
                .unwrap_or(self.n_types - 1)
        };
        let item = Item {
            idx,
            arrival,
            since: arrival,
            listed: arrival,
            commit: f64::NAN,
            active: 0.0,
            entry_wait: 0.0,
            rest: f64::NAN,
            effort: 1.0,
            redo_upto: -1,
            ty: ty as u16,
            stage: NONE16,
            phase: Phase::Entrance,
            fq: NONE16,
            fc: NONE16,
            band: 0,
            parent: NONE32,
            kids: 0,
        };
        let slot = self.alloc(item);
        self.touch_wip();
        self.live += 1;
        if self.splitting && self.split_types[ty] {
            self.parent_arrived();
        }
        self.mark(slot, 0);
        if self.is_exempt(ty as u16) {
            self.entrance_exempt.push_back(slot);
        } else {
            self.entrance.push_back(slot);
        }
        self.refront(slot);
        slot
    }

    /// A slot for `item` (a reused one, or a new one), its visits and
    /// accumulators zeroed.
    pub(super) fn alloc(&mut self, item: Item) -> u32 {
        let s = self.n_stages;
        match self.free.pop() {
            Some(slot) => {
                self.items[slot as usize] = item;
                let base = slot as usize * s;
                self.visits[base..base + s].iter_mut().for_each(|v| *v = 0);
                self.acc[base * ACC..(base + s) * ACC]
                    .iter_mut()
                    .for_each(|v| *v = 0.0);
                slot
            }
            None => {
                self.items.push(item);
                self.visits.extend(std::iter::repeat_n(0, s));
                self.acc.extend(std::iter::repeat_n(0.0, ACC * s));
                (self.items.len() - 1) as u32
            }
        }
    }

    pub(super) fn on_arrival(&mut self) -> Result<(), SimError> {
        let slot = self.create_item(self.now);
        let idx = self.items[slot as usize].idx;
        let next = self.now + self.interval(idx + 1);
        self.push(next, Kind::Arrival, 0, 0);
        if self.live as usize > MAX_LIVE_ITEMS {
            return Err(SimError::Runaway {
                delivered: self.delivered,
            });
        }
        Ok(())
    }

    pub(super) fn on_work_done(&mut self, s: usize, slot: u32) {
        self.touch(s);
        self.st[s].busy -= 1;
        if let Start::Pool(p) = self.starts[s] {
            self.pools[p as usize].busy -= 1;
        }
        self.touch_decision(s);
        self.finish_work(slot, s);
    }

    pub(super) fn on_batch_done(&mut self, s: usize, job: u32) {
        self.touch(s);
        self.st[s].busy -= 1;
        self.touch_decision(s);
        let mut tmp = std::mem::take(&mut self.batch_tmp);
        tmp.clear();
        tmp.extend_from_slice(&self.st[s].jobs[job as usize]);
        self.st[s].jobs[job as usize].clear();
        self.st[s].free_jobs.push(job);
        for &slot in &tmp {
            self.finish_work(slot, s);
        }
        self.batch_tmp = tmp;
    }

    pub(super) fn on_timeout(&mut self, s: usize, batch_no: u32) {
        let rt = &mut self.st[s];
        if rt.batch_no == batch_no && !rt.forming.is_empty() {
            rt.expired = true;
            self.touch_release(s);
        }
    }
}
