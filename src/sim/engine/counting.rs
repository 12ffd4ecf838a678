//! Phase three: an instant's deliveries counted in arrival order up to the run's
//! target, the warm-up window, and the run's summary.

use super::*;

impl Engine<'_> {
    /// Counts this instant's deliveries in arrival order, up to the run's target.
    pub(super) fn settle_deliveries(&mut self) {
        if self.delivering.is_empty() {
            return;
        }
        let mut list = std::mem::take(&mut self.delivering);
        if list.len() > 1 {
            let items = &self.items;
            list.sort_unstable_by_key(|&slot| items[slot as usize].idx);
        }
        if self.splitting {
            self.settle_children(&mut list);
        }
        self.touch_wip();
        for &slot in &list {
            if self.splitting && self.items[slot as usize].phase == Phase::Split {
                self.parent_done();
            }
            self.live -= 1;
            self.delivered += 1;
            if !self.done {
                if self.now < self.deadline {
                    self.out.delivered_by += 1;
                }
                if self.milestones.get(self.reached.len()) == Some(&self.delivered) {
                    self.reached.push(self.now);
                }
                self.mark(slot, self.n_stages + 1);
                if self.counting {
                    self.record(slot);
                }
                if self.delivered == self.warmup {
                    self.open_window();
                }
                if self.delivered >= self.target {
                    self.done = true;
                }
            }
            self.free.push(slot);
        }
        list.clear();
        self.delivering = list;
    }

    pub(super) fn record(&mut self, slot: u32) {
        let it = self.items[slot as usize];
        let lead = self.now - it.arrival;
        let o = &mut self.out;
        o.delivered += 1;
        o.lead_sum += lead;
        o.lead_max = o.lead_max.max(lead);
        o.active_sum += it.active;
        o.efficiency_sum += if lead > 0.0 { it.active / lead } else { 1.0 };
        if !it.commit.is_nan() {
            o.cycle_sum += self.now - it.commit;
            o.cycle_n += 1;
        }
        o.entry_wait_sum += it.entry_wait;
        if it.phase == Phase::Split {
            o.parents.add(lead, it.active);
        }
        let ty = &mut o.types[it.ty as usize];
        ty.delivered += 1;
        ty.lead_sum += lead;
        ty.active_sum += it.active;
        let base = slot as usize * self.n_stages;
        for (s, st) in o.stages.iter_mut().enumerate() {
            let vi = base + s;
            st.visits += u64::from(self.visits[vi]);
            st.wait += self.acc[vi * ACC];
            st.work += self.acc[vi * ACC + 1];
            st.outbox += self.acc[vi * ACC + 2];
            st.off_hours += self.acc[vi * ACC + 3];
            st.blocked += self.acc[vi * ACC + 4];
        }
        if !self.class_of.is_empty() {
            self.record_class(&it, lead);
        }
        self.leads.push(lead);
    }

    /// Counts a delivery of `it` in its class: lead time, and whether it came
    /// by its due date (arrival + due, the date its queue ranks it by).
    fn record_class(&mut self, it: &Item, lead: f64) {
        let t = it.ty as usize;
        let c = self.class_of[t];
        let o = &mut self.out.classes[c];
        o.delivered += 1;
        o.lead_sum += lead;
        o.on_time += u64::from(self.now <= it.arrival + self.due[t]);
        self.class_hists[c].record(lead);
    }

    /// The warm-up is over: time integrals count from now.
    pub(super) fn open_window(&mut self) {
        self.counting = true;
        self.window_start = self.now;
        self.touch_wip();
        self.base_wip = self.wip_area;
        if self.splitting {
            self.open_levels();
        }
        for s in 0..self.n_stages {
            self.touch(s);
            self.base_q[s] = self.st[s].queue_area;
            self.base_b[s] = self.st[s].busy_area;
        }
    }

    pub(super) fn finish_run(&mut self, hist: &mut LogHistogram) -> RunSummary {
        self.touch_wip();
        for s in 0..self.n_stages {
            self.touch(s);
            let o = &mut self.out.stages[s];
            o.queue_area = self.st[s].queue_area - self.base_q[s];
            o.busy_area = self.st[s].busy_area - self.base_b[s];
        }
        self.out.wip_area = self.wip_area - self.base_wip;
        if self.splitting {
            self.finish_levels();
        }
        self.out.window = self.now - self.window_start;
        self.out.end_time = self.now;
        self.out.arrived = self.next_idx;
        self.out.delivered_all = self.delivered;
        self.out.remaining = self.live;
        if let (Some(c), true) = (&self.clock, self.calendar) {
            self.out.window_working =
                c.working_hours_between(self.window_start, self.now) / self.model.time_unit.hours();
        }
        for &l in &self.leads {
            hist.record(l);
        }
        if !self.leads.is_empty() {
            // Nearest-rank percentiles, each selected within the part above the last.
            let n = self.leads.len();
            let rank = |q: f64| ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
            let mut lo = 0;
            let mut pick = |q: f64| {
                let r = rank(q);
                let (_, v, _) = self.leads[lo..].select_nth_unstable_by(r - lo, f64::total_cmp);
                lo = r;
                *v
            };
            self.out.lead_p50 = pick(0.50);
            self.out.lead_p85 = pick(0.85);
            self.out.lead_p95 = pick(0.95);
        }
        std::mem::take(&mut self.out)
    }
}
