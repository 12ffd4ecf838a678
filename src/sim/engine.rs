//! One run of one variant: a discrete-event simulation of items flowing through
//! the stages.
//!
//! The event list is a binary heap ordered by (time, insertion sequence), so ties
//! resolve in a fixed order. Items live in a slab whose slots are reused; every
//! buffer lives in the [`Engine`] and is reused from run to run, so a run in
//! steady state allocates nothing per event.
//!
//! Randomness follows common random numbers (SPEC §2.4): every draw comes from a
//! generator seeded by (run, item, stage name, visit, purpose), so the same item
//! gets the same work at the same stage and visit in every variant, whatever
//! else changed.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::model::keys::mix64;
use crate::model::{Arrivals, Capacity, MAX_LIVE_ITEMS, Model};
use crate::stats::LogHistogram;

// Purposes of random draws, so that different draws for the same item never share a stream.
const DRAW_ARRIVAL: u64 = 1;
const DRAW_TYPE: u64 = 2;
const DRAW_WAIT: u64 = 3;
const DRAW_WORK: u64 = 4;
const DRAW_REWORK: u64 = 5;

/// What an entry of the event list announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Kind {
    /// The next item arrives.
    Arrival,
    /// An item's handoff wait at a stage is over: it may be picked up.
    WaitOver,
    /// One item's work at a stage is done.
    WorkDone,
    /// A process batch (job `a`) at a stage is done.
    BatchDone,
    /// A scheduled stage's instant has come.
    Tick,
    /// The oldest item of handoff batch number `a` has waited `max_wait`.
    Timeout,
}

/// Where an item is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
enum Phase {
    /// Arrived, held at the entrance of the stream.
    #[default]
    Entrance,
    /// In its handoff wait at a stage.
    Waiting,
    /// In a stage's queue.
    Queued,
    /// Being worked on.
    Working,
    /// Finished at a stage: in its outbox (forming a batch, or blocked by the next stage).
    Outbox,
}

/// How a stage starts work (the decision it takes).
#[derive(Clone, Copy, Debug)]
enum Start {
    /// Up to this many items at once, one each.
    Workers(u32),
    /// Up to `workers` process batches of `min..=max` items at once.
    Batches {
        /// Workers (batches at once).
        workers: u32,
        /// Fewest items to start (unless no more can come).
        min: u32,
        /// Most items per batch.
        max: u32,
    },
    /// Everything at once.
    Unlimited,
    /// At scheduled instants.
    Schedule,
}

/// Per item and stage: wait before work, active work, outbox, off-hours while in work.
const ACC: usize = 4;

#[derive(Clone, Copy, Debug)]
struct Ev {
    t: f64,
    seq: u64,
    kind: Kind,
    stage: u32,
    a: u32,
}

impl PartialEq for Ev {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Ev {}
impl PartialOrd for Ev {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Ev {
    // Reversed, so the std max-heap pops the earliest (time, sequence) first.
    fn cmp(&self, o: &Self) -> Ordering {
        o.t.total_cmp(&self.t).then(o.seq.cmp(&self.seq))
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct Item {
    /// Arrival index: the item's identity for random draws, and its rank among
    /// items that do the same thing at the same instant.
    idx: u64,
    arrival: f64,
    /// When the item entered its current stage (or outbox).
    since: f64,
    /// When it joined the list it is in (queue, outbox batch, blocked list).
    listed: f64,
    commit: f64,
    active: f64,
    entry_wait: f64,
    /// Rework effort factor and the last stage it applies to (-1: none).
    effort: f64,
    redo_upto: i32,
    ty: u16,
    stage: u16,
    phase: Phase,
    /// Frontier values counted for partial-batch release (backlogs only).
    fq: u16,
    fc: u16,
    /// Furthest flow-diagram band reached (only kept while tracing).
    band: u16,
}

#[derive(Debug, Default)]
struct StageRt {
    queue: VecDeque<u32>,
    /// Items wanting to enter this stage, blocked by its WIP limit (counted upstream).
    blocked: VecDeque<u32>,
    /// Outbox items waiting for a handoff batch to fill.
    forming: VecDeque<u32>,
    moving: Vec<u32>,
    batch_no: u32,
    /// The timeout of the forming batch has come.
    expired: bool,
    busy: u32,
    /// Items in the stage: waiting, queued, in work, in the outbox.
    count: u32,
    /// Items entered but not yet started (handoff wait + queue).
    prework: u32,
    queue_area: f64,
    busy_area: f64,
    last: f64,
    /// Process-batch jobs: the items of each batch in work, and the free ones.
    /// Grown on demand, so nothing is allocated per worker.
    jobs: Vec<Vec<u32>>,
    free_jobs: Vec<u32>,
    /// Scheduled stages: a tick is in the event list.
    tick_pending: bool,
    /// Scheduled stages: the instant of the last tick, and what it may still take then.
    due_at: f64,
    due_left: u32,
    /// Marked for handoff-batch release in this instant.
    release_dirty: bool,
    /// The latest insertion time into `queue`, `blocked` and `forming`.
    queue_last: f64,
    blocked_last: f64,
    forming_last: f64,
}

/// What one run measured over its counting window (a few hundred bytes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    /// Items counted (deliveries after the warm-up).
    pub delivered: u64,
    /// Σ lead time of counted items.
    pub lead_sum: f64,
    /// Longest lead time.
    pub lead_max: f64,
    /// This run's median lead time (nearest rank).
    pub lead_p50: f64,
    /// This run's 85th percentile lead time (nearest rank).
    pub lead_p85: f64,
    /// This run's 95th percentile lead time (nearest rank).
    pub lead_p95: f64,
    /// Σ active time.
    pub active_sum: f64,
    /// Σ per-item flow efficiency.
    pub efficiency_sum: f64,
    /// Σ cycle time (from entering the commitment stage) and how many had one.
    pub cycle_sum: f64,
    /// Items with a cycle time.
    pub cycle_n: u64,
    /// Σ time held at the entrance (stream WIP limit, full first stage).
    pub entry_wait_sum: f64,
    /// Length of the counting window.
    pub window: f64,
    /// ∫ WIP dt over the window.
    pub wip_area: f64,
    /// Simulated time at the end of the run.
    pub end_time: f64,
    /// Working time within the window, with a calendar, in hours ÷ the unit's hours
    /// (the same measure as active time).
    pub window_working: f64,
    /// Deliveries (all, warm-up included) before the deadline set by
    /// [`Engine::set_deadline`].
    pub delivered_by: u64,
    /// Events processed.
    pub events: u64,
    /// Items that arrived in the run (created at the entrance).
    pub arrived: u64,
    /// Deliveries in the run, warm-up included.
    pub delivered_all: u64,
    /// Items still in the stream (or held at its entrance) when the run ended;
    /// `arrived == delivered_all + remaining` always.
    pub remaining: u64,
    /// Per stage, in file order.
    pub stages: Vec<StageSummary>,
    /// Per item type, in mix order.
    pub types: Vec<TypeSummary>,
}

/// Per-stage sums of one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StageSummary {
    /// Visits by counted items.
    pub visits: u64,
    /// Σ time from entering the stage to starting work, counted items.
    pub wait: f64,
    /// Σ active time here, counted items.
    pub work: f64,
    /// Σ time in the outbox (batching, blocked by a full next stage), counted items.
    pub outbox: f64,
    /// Σ time in work outside working hours (nights, weekends), counted items.
    pub off_hours: f64,
    /// ∫ busy workers dt over the window.
    pub busy_area: f64,
    /// ∫ items waiting (entered, not started) dt over the window.
    pub queue_area: f64,
}

/// Per-item-type sums of one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeSummary {
    /// Counted deliveries of this type.
    pub delivered: u64,
    /// Σ their lead time.
    pub lead_sum: f64,
    /// Σ their active time.
    pub active_sum: f64,
}

/// Why a run could not finish.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// More items piled up than memory allows.
    #[error(
        "more than {MAX_LIVE_ITEMS} items piled up in the stream after {delivered} deliveries: it is overloaded far beyond \
         its capacity. Lower the arrival rate or add capacity (see `flowcast check`)."
    )]
    Runaway {
        /// Deliveries before it stopped.
        delivered: u64,
    },
    /// Nothing can move any more.
    #[error(
        "the stream stopped flowing at time {time} with {stuck} items inside; no batch or stage can move them"
    )]
    Stuck {
        /// Simulated time.
        time: f64,
        /// Items left.
        stuck: u64,
    },
}

/// The reusable state of runs of one model; keep one per thread and variant.
#[derive(Debug)]
pub struct Engine<'m> {
    model: &'m Model,
    n_stages: usize,
    n_types: usize,
    /// `next[t*(S+1)+i]`: first stage ≥ i that type t visits (S: none).
    next: Vec<u16>,
    /// `back[t*(S+1)+p]`: earliest stage a rework at or after p can send type t to.
    back: Vec<u16>,
    /// Cumulative type shares.
    cum_share: Vec<f64>,
    /// Stages with batches, for partial release in backlogs.
    batch_stages: Vec<usize>,
    track: bool,
    target: u64,
    warmup: u64,
    /// Same-time events pop in reverse push order (tests: no result may depend on it).
    reverse_ties: bool,

    run_key: u64,
    now: f64,
    seq: u64,
    heap: BinaryHeap<Ev>,
    items: Vec<Item>,
    free: Vec<u32>,
    visits: Vec<u32>,
    acc: Vec<f64>,
    st: Vec<StageRt>,
    /// Stages marked for the decision phase of this instant, one bit each.
    dirty: Vec<u64>,
    /// Whether any bit of `dirty` is set.
    any_dirty: bool,
    /// How each stage starts work, read once from the model.
    starts: Vec<Start>,
    /// Stages whose handoff batch may move on in this instant.
    release_dirty: Vec<u32>,
    /// Stages with items blocked by their WIP limit that may now have room.
    pull_dirty: bool,
    entrance: VecDeque<u32>,
    in_stream: u32,
    live: u64,
    next_idx: u64,
    delivered: u64,
    /// Items delivered in this instant, counted at its end in arrival order.
    delivering: Vec<u32>,
    counting: bool,
    done: bool,
    wip_area: f64,
    wip_last: f64,
    window_start: f64,
    base_wip: f64,
    base_q: Vec<f64>,
    base_b: Vec<f64>,
    fq_cnt: Vec<u32>,
    fc_cnt: Vec<u32>,
    batch_tmp: Vec<u32>,
    leads: Vec<f64>,
    out: RunSummary,
    /// Dates and working time, when the model has a calendar or weekday schedules.
    clock: Option<crate::model::calendar::Clock>,
    /// Whether work happens only in working time.
    calendar: bool,
    /// Working hours one unit of work stands for ÷ hours in one unit of elapsed time.
    work_ratio: f64,
    /// Deliveries before this instant are counted in `delivered_by` (forecasts).
    deadline: f64,
    /// Delivery counts whose instants a forecast's burn-up needs, increasing.
    milestones: Vec<u64>,
    /// The instants this run reached `milestones[..reached.len()]`.
    reached: Vec<f64>,
    /// When recording: (time, band) for every arrival (band 0), first entry into
    /// stage s (band s + 1) and delivery (band S + 1), for flow diagrams.
    trace: Option<Vec<(f64, u16)>>,
}

const NONE16: u16 = u16::MAX;

impl<'m> Engine<'m> {
    /// Prepares the tables and buffers for runs of `model`.
    pub fn new(model: &'m Model) -> Engine<'m> {
        let s = model.stages.len();
        let nt = model.types.len();
        let mut next = vec![s as u16; nt * (s + 1)];
        let mut back = vec![s as u16; nt * (s + 1)];
        for t in 0..nt {
            for i in (0..s).rev() {
                next[t * (s + 1) + i] = if model.stages[i].skip[t] {
                    next[t * (s + 1) + i + 1]
                } else {
                    i as u16
                };
            }
            for p in (0..s).rev() {
                let mut b = back[t * (s + 1) + p + 1];
                let st = &model.stages[p];
                if !st.skip[t]
                    && let Some(r) = &st.rework
                {
                    b = b.min(next[t * (s + 1) + r.to]);
                }
                back[t * (s + 1) + p] = b;
            }
        }
        let mut cum = 0.0;
        let cum_share = model
            .types
            .iter()
            .map(|t| {
                cum += t.share;
                cum
            })
            .collect();
        let batch_stages: Vec<usize> = (0..s)
            .filter(|&i| model.stages[i].handoff.is_some() || model.stages[i].process.is_some())
            .collect();
        let track = model.is_backlog() && !batch_stages.is_empty();
        let st = (0..s).map(|_| StageRt::default()).collect();
        Engine {
            model,
            n_stages: s,
            n_types: nt,
            next,
            back,
            cum_share,
            batch_stages,
            track,
            target: model.items_per_run(),
            warmup: model.warmup(),
            reverse_ties: false,
            run_key: 0,
            now: 0.0,
            seq: 0,
            heap: BinaryHeap::new(),
            items: Vec::new(),
            free: Vec::new(),
            visits: Vec::new(),
            acc: Vec::new(),
            st,
            dirty: vec![0; s.div_ceil(64)],
            any_dirty: false,
            starts: model
                .stages
                .iter()
                .map(|stage| match (&stage.capacity, &stage.process) {
                    (Capacity::Workers(n), None) => Start::Workers(*n),
                    (Capacity::Workers(n), Some(pb)) => Start::Batches {
                        workers: *n,
                        min: pb.min,
                        max: pb.max,
                    },
                    (Capacity::Unlimited, _) => Start::Unlimited,
                    (Capacity::Schedule(_), _) => Start::Schedule,
                })
                .collect(),
            release_dirty: Vec::new(),
            pull_dirty: false,
            entrance: VecDeque::new(),
            in_stream: 0,
            live: 0,
            next_idx: 0,
            delivered: 0,
            delivering: Vec::new(),
            counting: false,
            done: false,
            wip_area: 0.0,
            wip_last: 0.0,
            window_start: 0.0,
            base_wip: 0.0,
            base_q: vec![0.0; s],
            base_b: vec![0.0; s],
            fq_cnt: vec![0; nt * (s + 1)],
            fc_cnt: vec![0; nt * (s + 1)],
            batch_tmp: Vec::new(),
            leads: Vec::new(),
            out: RunSummary::default(),
            trace: None,
            calendar: model.calendar.is_some(),
            work_ratio: model
                .clock()
                .map_or(1.0, |c| c.work_unit_hours() / model.time_unit.hours()),
            clock: model.clock(),
            deadline: f64::INFINITY,
            milestones: Vec::new(),
            reached: Vec::new(),
        }
    }

    /// Counts deliveries before elapsed time `t` in [`RunSummary::delivered_by`]
    /// (for "how many by this date").
    pub fn set_deadline(&mut self, t: f64) {
        self.deadline = t;
    }

    /// Makes events of the same instant pop in the reverse of the order they were
    /// recorded. Results must not change (SPEC §2.2, "one decision per instant"):
    /// tests run both orders and compare.
    #[doc(hidden)]
    pub fn reverse_ties(&mut self, on: bool) {
        self.reverse_ties = on;
    }

    /// Asks every run to note when its delivered count reaches each of `counts`
    /// (increasing), for a forecast's burn-up; read them with
    /// [`Engine::milestones_reached`] after a run.
    pub fn set_milestones(&mut self, counts: &[u64]) {
        self.milestones.clear();
        self.milestones.extend_from_slice(counts);
        self.reached.clear();
        self.reached.reserve(counts.len());
    }

    /// When the last run reached each milestone set by [`Engine::set_milestones`],
    /// in the same order; shorter when the run ended before reaching them all.
    pub fn milestones_reached(&self) -> &[f64] {
        &self.reached
    }

    /// Elapsed time a piece of work takes when started now, and its active time,
    /// both in the time unit: the same without a calendar; with one, work runs only
    /// in working time and the active time is the working hours it takes.
    #[inline]
    fn work_span(&self, work: f64) -> (f64, f64) {
        match (&self.clock, self.calendar) {
            (Some(c), true) => (c.finish(self.now, work) - self.now, work * self.work_ratio),
            _ => (work, work),
        }
    }

    /// The first instant of scheduled stage `s` at or after `t` (strictly after
    /// `t` when `after` is set).
    fn next_tick(&self, s: usize, t: f64, after: bool) -> f64 {
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

    /// Runs once like [`Engine::run`] and also returns the run's flow trace:
    /// (time, band) with band 0 = arrived, s + 1 = entered stage s for the first
    /// time, S + 1 = delivered — what a cumulative flow diagram plots.
    pub fn run_traced(
        &mut self,
        run_key: u64,
        hist: &mut LogHistogram,
    ) -> Result<(RunSummary, Vec<(f64, u16)>), SimError> {
        self.trace = Some(Vec::new());
        let res = self.run(run_key, hist);
        let trace = self.trace.take().unwrap_or_default();
        res.map(|r| (r, trace))
    }

    /// Records that an item reached `band`, and passed every band before it (a
    /// stage its type skips counts as passed), so flow-diagram bands stay nested.
    #[inline]
    fn mark(&mut self, slot: u32, band: usize) {
        if let Some(t) = &mut self.trace {
            let it = &mut self.items[slot as usize];
            let from = if band == 0 { 0 } else { it.band as usize + 1 };
            for b in from..=band {
                t.push((self.now, b as u16));
            }
            it.band = it.band.max(band as u16);
        }
    }

    /// Runs once with the random streams of `run_key`, recording every counted lead
    /// time into `hist`.
    ///
    /// Time advances in three phases (SPEC §2.2, "one decision per instant"):
    /// every event of an instant is applied first ([`Engine::apply`]), then the
    /// decisions — moving batches and blocked items on, letting items in, starting
    /// work — are taken once on the state at the end of the instant
    /// ([`Engine::decide`]); work that takes no time makes more events at the same
    /// instant, and the two phases repeat until the instant is over. Deliveries of
    /// the instant are then counted in arrival order.
    pub fn run(&mut self, run_key: u64, hist: &mut LogHistogram) -> Result<RunSummary, SimError> {
        self.reset(run_key);
        match &self.model.arrivals {
            Arrivals::Backlog(n) => {
                for _ in 0..*n {
                    self.create_item(0.0);
                }
            }
            _ => {
                let first = self.interval(0);
                self.push(first, Kind::Arrival, 0, 0);
            }
        }
        loop {
            loop {
                while let Some(ev) = self.heap.peek().copied()
                    && ev.t == self.now
                {
                    self.heap.pop();
                    self.out.events += 1;
                    self.apply(ev)?;
                }
                self.decide();
                if self.heap.peek().is_none_or(|ev| ev.t != self.now) {
                    break;
                }
            }
            self.settle_deliveries();
            if self.done {
                break;
            }
            match self.heap.peek() {
                Some(ev) => self.now = ev.t,
                None => self.unstick()?,
            }
        }
        Ok(self.finish_run(hist))
    }

    fn reset(&mut self, run_key: u64) {
        self.run_key = run_key;
        self.now = 0.0;
        self.seq = 0;
        self.heap.clear();
        self.items.clear();
        self.free.clear();
        self.visits.clear();
        self.acc.clear();
        for rt in &mut self.st {
            rt.queue.clear();
            rt.blocked.clear();
            rt.forming.clear();
            rt.moving.clear();
            rt.batch_no = 0;
            rt.expired = false;
            rt.busy = 0;
            rt.count = 0;
            rt.prework = 0;
            rt.queue_area = 0.0;
            rt.busy_area = 0.0;
            rt.last = 0.0;
            for j in &mut rt.jobs {
                j.clear();
            }
            rt.free_jobs.clear();
            rt.free_jobs.extend((0..rt.jobs.len() as u32).rev());
            rt.tick_pending = false;
            rt.due_at = f64::NAN;
            rt.due_left = 0;
            rt.release_dirty = false;
            rt.queue_last = f64::NAN;
            rt.blocked_last = f64::NAN;
            rt.forming_last = f64::NAN;
        }
        self.dirty.iter_mut().for_each(|w| *w = 0);
        self.any_dirty = false;
        self.release_dirty.clear();
        self.pull_dirty = false;
        self.entrance.clear();
        self.in_stream = 0;
        self.live = 0;
        self.next_idx = 0;
        self.delivered = 0;
        self.delivering.clear();
        self.reached.clear();
        self.counting = self.warmup == 0;
        self.done = false;
        self.wip_area = 0.0;
        self.wip_last = 0.0;
        self.window_start = 0.0;
        self.base_wip = 0.0;
        self.base_q.iter_mut().for_each(|x| *x = 0.0);
        self.base_b.iter_mut().for_each(|x| *x = 0.0);
        self.fq_cnt.iter_mut().for_each(|x| *x = 0);
        self.fc_cnt.iter_mut().for_each(|x| *x = 0);
        self.leads.clear();
        self.out = RunSummary {
            stages: vec![StageSummary::default(); self.n_stages],
            types: vec![TypeSummary::default(); self.n_types],
            ..RunSummary::default()
        };
    }

    // ----- random draws -------------------------------------------------------

    #[inline]
    fn rng(&self, purpose: u64, idx: u64, stage_key: u64, visit: u32) -> Xoshiro256PlusPlus {
        let h = mix64(self.run_key ^ mix64(idx.wrapping_add(purpose << 56)));
        let h = mix64(h ^ stage_key.wrapping_add(u64::from(visit)));
        Xoshiro256PlusPlus::seed_from_u64(h)
    }

    fn interval(&self, idx: u64) -> f64 {
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

    // ----- the event list ----------------------------------------------------

    #[inline]
    fn push(&mut self, t: f64, kind: Kind, stage: usize, a: u32) {
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
    fn apply(&mut self, ev: Ev) -> Result<(), SimError> {
        let s = ev.stage as usize;
        match ev.kind {
            Kind::Arrival => self.on_arrival()?,
            Kind::WaitOver => self.join_queue(ev.a, s),
            Kind::WorkDone => self.on_work_done(s, ev.a),
            Kind::BatchDone => self.on_batch_done(s, ev.a),
            Kind::Tick => self.on_tick(s),
            Kind::Timeout => self.on_timeout(s, ev.a),
        }
        Ok(())
    }

    /// Marks stage `s` for the decision phase of this instant.
    #[inline]
    fn touch_decision(&mut self, s: usize) {
        self.dirty[s / 64] |= 1 << (s % 64);
        self.any_dirty = true;
    }

    /// Marks stage `s`'s handoff batch for the decision phase of this instant.
    #[inline]
    fn touch_release(&mut self, s: usize) {
        let rt = &mut self.st[s];
        if !rt.release_dirty {
            rt.release_dirty = true;
            self.release_dirty.push(s as u32);
        }
    }

    // ----- time integrals ----------------------------------------------------

    #[inline]
    fn touch(&mut self, s: usize) {
        let rt = &mut self.st[s];
        let dt = self.now - rt.last;
        rt.queue_area += f64::from(rt.prework) * dt;
        rt.busy_area += f64::from(rt.busy) * dt;
        rt.last = self.now;
    }

    #[inline]
    fn touch_wip(&mut self) {
        self.wip_area += self.live as f64 * (self.now - self.wip_last);
        self.wip_last = self.now;
    }

    // ----- items -------------------------------------------------------------

    fn create_item(&mut self, arrival: f64) -> u32 {
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
            effort: 1.0,
            redo_upto: -1,
            ty: ty as u16,
            stage: NONE16,
            phase: Phase::Entrance,
            fq: NONE16,
            fc: NONE16,
            band: 0,
        };
        let s = self.n_stages;
        let slot = match self.free.pop() {
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
        };
        self.touch_wip();
        self.live += 1;
        self.mark(slot, 0);
        self.entrance.push_back(slot);
        self.refront(slot);
        slot
    }

    #[inline]
    fn next_stage(&self, ty: u16, from: usize) -> usize {
        self.next[ty as usize * (self.n_stages + 1) + from] as usize
    }

    #[inline]
    fn back_of(&self, ty: u16, p: usize) -> usize {
        self.back[ty as usize * (self.n_stages + 1) + p.min(self.n_stages)] as usize
    }

    /// Puts `slot` into `list` in order of (time listed, arrival index): items that
    /// join a list at the same instant stand in arrival order, whatever order
    /// their events were recorded in.
    /// `last` is the list's latest insertion time: when it is earlier than now, no
    /// entry can tie, and the item simply goes to the back.
    #[inline]
    fn insert_ordered(
        items: &mut [Item],
        list: &mut VecDeque<u32>,
        last: &mut f64,
        slot: u32,
        now: f64,
    ) {
        let it = &mut items[slot as usize];
        it.listed = now;
        if *last != now {
            *last = now;
            list.push_back(slot);
        } else {
            Self::insert_tied(items, list, slot, now);
        }
    }

    /// [`Engine::insert_ordered`] when the list already has an entry of this instant.
    #[inline(never)]
    fn insert_tied(items: &[Item], list: &mut VecDeque<u32>, slot: u32, now: f64) {
        let idx = items[slot as usize].idx;
        let mut at = list.len();
        while at > 0 {
            let prev = &items[list[at - 1] as usize];
            if prev.listed == now && prev.idx > idx {
                at -= 1;
            } else {
                break;
            }
        }
        list.insert(at, slot);
    }

    /// Re-registers an item's frontier (the earliest queue and outbox it can still
    /// reach) after it moved, so partial batches know when no one else can join.
    fn refront(&mut self, slot: u32) {
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
            Phase::Waiting => {
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

    fn unfront(&mut self, slot: u32) {
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

    // ----- events (phase one) ------------------------------------------------

    fn on_arrival(&mut self) -> Result<(), SimError> {
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

    fn on_work_done(&mut self, s: usize, slot: u32) {
        self.touch(s);
        self.st[s].busy -= 1;
        self.touch_decision(s);
        self.finish_work(slot, s);
    }

    fn on_batch_done(&mut self, s: usize, job: u32) {
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

    fn on_tick(&mut self, s: usize) {
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

    fn on_timeout(&mut self, s: usize, batch_no: u32) {
        let rt = &mut self.st[s];
        if rt.batch_no == batch_no && !rt.forming.is_empty() {
            rt.expired = true;
            self.touch_release(s);
        }
    }

    // ----- flow (phase one) --------------------------------------------------

    #[inline]
    fn has_room(&self, s: usize) -> bool {
        match self.model.stages[s].wip_limit {
            Some(l) => self.st[s].count < l,
            None => true,
        }
    }

    fn enter_stage(&mut self, slot: u32, s: usize, via_rework: bool) {
        self.touch(s);
        let rt = &mut self.st[s];
        rt.count += 1;
        rt.prework += 1;
        let vi = slot as usize * self.n_stages + s;
        let visit = self.visits[vi];
        self.visits[vi] += 1;
        if visit == 0 && self.trace.is_some() && (s + 1) as u16 > self.items[slot as usize].band {
            self.mark(slot, s + 1);
        }
        let stage = &self.model.stages[s];
        let it = &mut self.items[slot as usize];
        it.stage = s as u16;
        it.since = self.now;
        if self.model.commitment == Some(s) && it.commit.is_nan() {
            it.commit = self.now;
        }
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

    fn join_queue(&mut self, slot: u32, s: usize) {
        self.items[slot as usize].phase = Phase::Queued;
        let rt = &mut self.st[s];
        Self::insert_ordered(
            &mut self.items,
            &mut rt.queue,
            &mut rt.queue_last,
            slot,
            self.now,
        );
        self.refront(slot);
        self.touch_decision(s);
    }

    #[inline]
    fn effort_at(it: &Item, s: usize) -> f64 {
        if (s as i32) <= it.redo_upto {
            it.effort
        } else {
            1.0
        }
    }

    /// An item finished its work at `s`: rework, or on to the outbox.
    fn finish_work(&mut self, slot: u32, s: usize) {
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
    /// WIP limit takes it in the decision phase, oldest first, when it has room.
    fn forward(&mut self, slot: u32, from: usize) {
        let ty = self.items[slot as usize].ty;
        let nxt = self.next_stage(ty, from + 1);
        if nxt == self.n_stages {
            self.deliver(slot, from);
        } else if self.model.stages[nxt].wip_limit.is_none() {
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
            );
            self.pull_dirty = true;
        }
    }

    fn leave_outbox(&mut self, slot: u32, from: usize) {
        let vi = slot as usize * self.n_stages + from;
        self.acc[vi * ACC + 2] += self.now - self.items[slot as usize].since;
        self.touch(from);
        self.st[from].count -= 1;
    }

    /// Space may have freed in `s`: its blocked items and the entrance are
    /// looked at in the decision phase.
    #[inline]
    fn on_space(&mut self, s: usize) {
        if !self.st[s].blocked.is_empty() {
            self.pull_dirty = true;
        }
    }

    /// The item leaves the stream from the outbox of `from`.
    fn deliver(&mut self, slot: u32, from: usize) {
        self.leave_outbox(slot, from);
        self.on_space(from);
        self.leave_stream(slot);
    }

    /// The item is delivered: it frees its place in the stream (and no longer
    /// holds back partial batches) now, and is counted when the instant is over.
    fn leave_stream(&mut self, slot: u32) {
        self.in_stream -= 1;
        self.unfront(slot);
        self.items[slot as usize].fq = NONE16;
        self.delivering.push(slot);
    }

    // ----- decisions (phase two) ---------------------------------------------

    /// Takes this instant's decisions on the state its events left: batches and
    /// blocked items move on and held items come in until nothing more moves,
    /// then work starts; repeated while starting work lets a partial batch go.
    fn decide(&mut self) {
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

    /// Handoff batches that are full, or whose oldest item has waited long
    /// enough, move on.
    fn release_batches(&mut self) -> bool {
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
    fn release_batch(&mut self, s: usize, n: usize, max_wait: Option<f64>) {
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

    /// Stages with room take their blocked items, oldest first; downstream first,
    /// so space freed by a pull is offered upstream in the same pass.
    fn pull_blocked(&mut self) -> bool {
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
    fn admit_entrance(&mut self) -> bool {
        let mut moved = false;
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
            self.in_stream += 1;
            moved = true;
            let it = &mut self.items[slot as usize];
            it.entry_wait = self.now - it.arrival;
            if first == self.n_stages {
                self.leave_stream(slot);
            } else {
                self.enter_stage(slot, first, false);
            }
        }
        moved
    }

    /// Starts work at every stage marked in this instant; true when something started.
    fn start_work_everywhere(&mut self) -> bool {
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
    fn try_start(&mut self, s: usize) -> bool {
        let before = self.st[s].queue.len();
        match self.starts[s] {
            Start::Workers(n) => {
                while self.st[s].busy < n {
                    let Some(slot) = self.st[s].queue.pop_front() else {
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
                while let Some(slot) = self.st[s].queue.pop_front() {
                    self.start_work(slot, s);
                }
            }
            Start::Schedule => self.take_scheduled(s),
        }
        self.st[s].queue.len() != before
    }

    /// A scheduled stage takes up to its capacity at its instant, oldest first;
    /// while items wait, the next instant is in the event list (and only then,
    /// so an idle schedule costs nothing).
    fn take_scheduled(&mut self, s: usize) {
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

    fn start_work(&mut self, slot: u32, s: usize) {
        self.touch(s);
        let rt = &mut self.st[s];
        rt.prework -= 1;
        rt.busy += 1;
        let stage = &self.model.stages[s];
        let vi = slot as usize * self.n_stages + s;
        let visit = self.visits[vi] - 1;
        let it = self.items[slot as usize];
        let d = stage.work[it.ty as usize]
            .sample(&mut self.rng(DRAW_WORK, it.idx, stage.key, visit))
            * Self::effort_at(&it, s);
        let (elapsed, active) = self.work_span(d);
        self.acc[vi * ACC] += self.now - it.since;
        self.acc[vi * ACC + 1] += active;
        self.acc[vi * ACC + 3] += elapsed - active;
        let m = &mut self.items[slot as usize];
        m.active += active;
        m.phase = Phase::Working;
        self.refront(slot);
        self.push(self.now + elapsed, Kind::WorkDone, s, slot);
    }

    fn start_batch(&mut self, s: usize, k: usize) {
        self.touch(s);
        let job = match self.st[s].free_jobs.pop() {
            Some(job) => job,
            None => {
                self.st[s].jobs.push(Vec::new());
                (self.st[s].jobs.len() - 1) as u32
            }
        };
        let stage = &self.model.stages[s];
        let first = *self.st[s]
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
            self.st[s].jobs[job as usize].push(slot);
        }
        self.push(self.now + elapsed, Kind::BatchDone, s, job);
    }

    // ----- the end of an instant (phase three) -------------------------------

    /// Counts this instant's deliveries in arrival order, up to the run's target.
    fn settle_deliveries(&mut self) {
        if self.delivering.is_empty() {
            return;
        }
        let mut list = std::mem::take(&mut self.delivering);
        if list.len() > 1 {
            let items = &self.items;
            list.sort_unstable_by_key(|&slot| items[slot as usize].idx);
        }
        self.touch_wip();
        for &slot in &list {
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

    fn record(&mut self, slot: u32) {
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
        }
        self.leads.push(lead);
    }

    /// The warm-up is over: time integrals count from now.
    fn open_window(&mut self) {
        self.counting = true;
        self.window_start = self.now;
        self.touch_wip();
        self.base_wip = self.wip_area;
        for s in 0..self.n_stages {
            self.touch(s);
            self.base_q[s] = self.st[s].queue_area;
            self.base_b[s] = self.st[s].busy_area;
        }
    }

    fn finish_run(&mut self, hist: &mut LogHistogram) -> RunSummary {
        self.touch_wip();
        for s in 0..self.n_stages {
            self.touch(s);
            let o = &mut self.out.stages[s];
            o.queue_area = self.st[s].queue_area - self.base_q[s];
            o.busy_area = self.st[s].busy_area - self.base_b[s];
        }
        self.out.wip_area = self.wip_area - self.base_wip;
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

    // ----- partial batches at the end of a backlog ---------------------------

    /// Whether a process batch waiting in stage `s`'s queue can no longer grow:
    /// no item still in the stream can reach that queue.
    fn no_one_can_join_queue(&self, s: usize) -> bool {
        self.track && self.no_one_can_join(s, &self.fq_cnt, self.st[s].queue.iter(), |it| it.fq)
    }

    /// Whether a handoff batch forming in stage `s`'s outbox can no longer grow.
    fn no_one_can_join_outbox(&self, s: usize) -> bool {
        self.no_one_can_join(s, &self.fc_cnt, self.st[s].forming.iter(), |it| it.fc)
    }

    /// Counts, from the per-type `frontier` counters, the items that can still
    /// reach stage `s` (those whose frontier is at or before it, of types that
    /// visit it), less those already `there`: none left means the batch is
    /// complete.
    fn no_one_can_join<'a>(
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
    fn release_partials(&mut self) -> bool {
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
    fn unstick(&mut self) -> Result<(), SimError> {
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
