//! Scheduled stages (change boards, release trains): instants computed as
//! first + k·every or weekday times, taken up to capacity; a tick is in the event
//! list only while items wait, so an idle schedule costs nothing.

use super::*;

impl Engine<'_> {
    /// The first instant of scheduled stage `s` at or after `t` (strictly after
    /// `t` when `after` is set).
    pub(super) fn next_tick(&self, s: usize, t: f64, after: bool) -> f64 {
        let Capacity::Schedule(sc) = &self.model.stages[s].capacity else {
            unreachable!("ticks are only asked for scheduled stages")
        };
        match (&sc.weekly, &self.clock) {
            (Some((days, at)), Some(clock)) => {
                // One second past an instant, so the same instant is not found again.
                let nudge = if after {
                    1.0 / 3600.0 / self.model.time_unit.hours()
                } else {
                    0.0
                };
                clock.next_weekly(t + nudge, days, *at)
            }
            _ => {
                // Instants first + k·every, k = 0, 1, …: computed, not accumulated,
                // so an idle schedule costs nothing and long runs do not drift.
                let at = |k: f64| sc.first + k * sc.every;
                let before = |x: f64| if after { x <= t } else { x < t };
                if !before(sc.first) {
                    return sc.first;
                }
                let mut k = ((t - sc.first) / sc.every).ceil().max(0.0);
                while k > 0.0 && !before(at(k - 1.0)) {
                    k -= 1.0;
                }
                while before(at(k)) {
                    k += 1.0;
                }
                at(k)
            }
        }
    }

    pub(super) fn on_tick(&mut self, s: usize) {
        let Capacity::Schedule(sc) = &self.model.stages[s].capacity else {
            unreachable!("ticks are only pushed for scheduled stages")
        };
        let cap = sc.capacity.unwrap_or(u32::MAX);
        let rt = &mut self.st[s];
        rt.tick_pending = false;
        rt.due_at = self.now;
        rt.due_left = cap;
        self.touch_decision(s);
    }

    /// A scheduled stage takes up to its capacity at its instant, oldest first;
    /// while items wait, the next instant is in the event list (and only then,
    /// so an idle schedule costs nothing).
    pub(super) fn take_scheduled(&mut self, s: usize) {
        if self.st[s].due_at == self.now {
            while self.st[s].due_left > 0 {
                let Some(slot) = self.st[s].queue.pop_front() else {
                    break;
                };
                self.st[s].due_left -= 1;
                self.start_work(slot, s);
            }
        }
        if !self.st[s].queue.is_empty() && !self.st[s].tick_pending {
            let after = self.st[s].due_at == self.now;
            let t = self.next_tick(s, self.now, after);
            self.st[s].tick_pending = true;
            self.push(t, Kind::Tick, s, 0);
        }
    }
}
