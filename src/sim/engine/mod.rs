//! One run of one variant: a discrete-event simulation of items flowing through
//! the stages.
//!
//! Time advances in three phases (SPEC §2.2, "one decision per instant"):
//!
//! 1. **Events** (`events.rs`): every event of the current instant is applied —
//!    arrivals, finished work and batches, ticks of schedules, batch timeouts.
//!    Items move (`flow.rs`): a finished item is reworked, or goes to the outbox,
//!    into the next stage's queue, or out of the stream. Lists that several items
//!    join at the same instant keep them in arrival order.
//! 2. **Decisions** (`decisions.rs`), once, on the state the events left: handoff
//!    batches move on (`batches.rs`), stages with room pull blocked items and the
//!    entrance lets held items in (`pulls.rs`) until nothing more moves; then work
//!    starts — one item per free worker, process batches, scheduled takes
//!    (`schedules.rs`). Work that takes no time makes events at the same instant,
//!    and the two phases repeat until the instant is over.
//! 3. **Counting** (`counting.rs`): the instant's deliveries are counted in arrival
//!    order, up to the run's target, so a batch that ends the run never counts
//!    more than `items − warmup`.
//!
//! No result depends on the order in which same-time events were recorded
//! ([`Engine::reverse_ties`] lets tests check that). The event list is a binary
//! heap ordered by (time, insertion sequence). Items live in a slab whose slots
//! are reused; every buffer lives in the [`Engine`] and is reused from run to
//! run, so a run in steady state allocates nothing per event, and nothing is
//! allocated per worker.
//!
//! A run can be recorded ([`Engine::run_recorded`], `record.rs`): every entry of
//! an item into a status goes to a caller's sink in chunks. When not recording,
//! each status change costs one check of a flag.
//!
//! A stage's queue is first in, first out, or ranked by its queue policy
//! (`queues.rs`: class priority, WSJF, shortest expected work, due date); a
//! rank is fixed when an item joins the queue, so the best waits in front.
//! When every stage is FIFO the queues are the plain `VecDeque`s they always
//! were, behind one flag check. Items of a WIP-exempt class (an expedite lane)
//! enter stages and the stream whatever their WIP limits (`flow.rs`,
//! `pulls.rs`); deliveries are also counted per class of service, with whether
//! they came by their due date (`counting.rs`).
//!
//! A stage served by a shared pool (`workers: qa`) draws on the pool's people:
//! when one is free, the pool's decision (`decisions.rs`) takes the best waiting
//! item across the queues of all its stages — by their policy, then by when it
//! joined its queue, then by arrival (under FIFO: the oldest) — so the choice
//! depends on the state, never on which stage's event came first.
//!
//! Blocked work (`blocking.rs`): a visit drawn to be blocked does the first
//! part of its work, waits out the block, then does the rest. A worker who
//! holds the item waits with it; otherwise the worker takes other work, and the
//! item queues again at the front, ahead of new work, when the block is over.
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
use crate::model::{Arrivals, Capacity, MAX_LIVE_ITEMS, Model, QueuePolicy, Split};
use crate::stats::LogHistogram;

mod batches;
mod blocking;
mod counting;
mod decisions;
mod events;
mod flow;
mod pulls;
mod queues;
mod record;
mod schedules;
mod split;
mod summary;

pub use record::{Record, Status};
pub use summary::{ClassSummary, LevelSummary, RunSummary, SimError, StageSummary, TypeSummary};

// Purposes of random draws, so that different draws for the same item never share a stream.
const DRAW_ARRIVAL: u64 = 1;
const DRAW_TYPE: u64 = 2;
const DRAW_WAIT: u64 = 3;
const DRAW_WORK: u64 = 4;
const DRAW_REWORK: u64 = 5;
const DRAW_BLOCKED: u64 = 6;
const DRAW_BLOCK_TIME: u64 = 7;
const DRAW_BLOCK_AT: u64 = 8;
const DRAW_SPLIT: u64 = 9;

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
    /// Item `a`'s work at a stage reached its block.
    Blocked,
    /// Item `a`'s block at a stage is over.
    Unblocked,
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
    /// Blocked in the middle of its work, waiting on someone outside the stage.
    Blocked,
    /// Finished at a stage: in its outbox (forming a batch, or blocked by the next stage).
    Outbox,
    /// Split into children: out of the stages, waiting for its last child's delivery.
    Split,
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
    /// One item per free worker of shared pool number `.0`, which serves the
    /// queues of all its stages, best waiting item first (by their queue policy).
    Pool(u32),
    /// Everything at once.
    Unlimited,
    /// At scheduled instants.
    Schedule,
}

/// Per item and stage: wait before work, active work, outbox, off-hours while
/// in work, blocked.
const ACC: usize = 5;

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
    /// Work left after a block, to do when the item resumes (NaN: none).
    rest: f64,
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
    /// A child's parent slot ([`NONE32`]: not a child).
    parent: u32,
    /// A split parent's children not yet delivered.
    kids: u32,
}

#[derive(Debug, Default)]
struct StageRt {
    queue: queues::Queue,
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
    /// Items at the front of `queue` that resume after a block, ahead of new work.
    resumed: u32,
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

/// A shared pool's people in one run: how many, how many are busy, and the
/// stages whose queues they serve.
#[derive(Debug)]
struct PoolRt {
    workers: u32,
    busy: u32,
    /// Stages naming the pool, in file order.
    stages: Vec<u32>,
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
    /// Per (stage, item type): the rank its queue policy gives the type there.
    ranks: Vec<f64>,
    /// Per item type: its class may pass WIP limits (empty when none may).
    exempt: Vec<bool>,
    /// Per item type: its class's index (empty without classes).
    class_of: Vec<usize>,
    /// Per item type: the time from arrival to its due date (infinite: none).
    due: Vec<f64>,
    /// Every lead time counted by this engine's runs, per class of service.
    class_hists: Vec<LogHistogram>,
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
    /// Shared pools, in the order of the model's.
    pools: Vec<PoolRt>,
    /// Stages whose handoff batch may move on in this instant.
    release_dirty: Vec<u32>,
    /// Stages with items blocked by their WIP limit that may now have room.
    pull_dirty: bool,
    entrance: VecDeque<u32>,
    /// Arrived items of WIP-exempt classes, let in at the next decision whatever the limits.
    entrance_exempt: VecDeque<u32>,
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
    /// The event log, when the run is recorded ([`Engine::run_recorded`]).
    rec: record::Recorder,
    /// Whether a stage splits items (`split.rs`).
    splitting: bool,
    /// Per item type: whether its items split.
    split_types: Vec<bool>,
    /// The state of splits in this run (`split.rs`).
    sp: split::Levels,
}

const NONE16: u16 = u16::MAX;
const NONE32: u32 = u32::MAX;

/// The routing tables of [`Engine`]: `next[t*(S+1)+i]`, the first stage ≥ i that
/// type t visits (S: none), and `back[t*(S+1)+p]`, the earliest stage a rework at
/// or after p can send type t to.
fn routes(model: &Model) -> (Vec<u16>, Vec<u16>) {
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
    (next, back)
}

impl Start {
    /// The decision `stage` takes when it may start work.
    fn of(stage: &crate::model::Stage) -> Start {
        match (&stage.capacity, &stage.process) {
            (Capacity::Workers(n), None) => Start::Workers(*n),
            (Capacity::Workers(n), Some(pb)) => Start::Batches {
                workers: *n,
                min: pb.min,
                max: pb.max,
            },
            (Capacity::Pool(p), _) => Start::Pool(*p as u32),
            (Capacity::Unlimited, _) => Start::Unlimited,
            (Capacity::Schedule(_), _) => Start::Schedule,
        }
    }
}

impl<'m> Engine<'m> {
    /// Prepares the tables and buffers for runs of `model`.
    pub fn new(model: &'m Model) -> Engine<'m> {
        let s = model.stages.len();
        let nt = model.types.len();
        let (next, back) = routes(model);
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
        let st = model
            .stages
            .iter()
            .map(|stage| StageRt {
                queue: queues::Queue::new(stage.queue != QueuePolicy::Fifo),
                ..StageRt::default()
            })
            .collect();
        let exempt: Vec<bool> = (0..nt)
            .map(|t| model.class_of(t).is_some_and(|c| c.wip_exempt))
            .collect();
        Engine {
            model,
            n_stages: s,
            n_types: nt,
            next,
            back,
            cum_share,
            batch_stages,
            ranks: queues::rank_table(model),
            exempt: if exempt.contains(&true) {
                exempt
            } else {
                Vec::new()
            },
            class_of: model.type_class.clone(),
            due: (0..nt)
                .map(|t| {
                    model
                        .class_of(t)
                        .and_then(|c| c.due)
                        .unwrap_or(f64::INFINITY)
                })
                .collect(),
            class_hists: model.classes.iter().map(|_| LogHistogram::new()).collect(),
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
            starts: model.stages.iter().map(Start::of).collect(),
            pools: (0..model.pools.len())
                .map(|p| PoolRt {
                    workers: model.pools[p].workers,
                    busy: 0,
                    stages: model.pool_stages(p).map(|i| i as u32).collect(),
                })
                .collect(),
            release_dirty: Vec::new(),
            pull_dirty: false,
            entrance: VecDeque::new(),
            entrance_exempt: VecDeque::new(),
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
            rec: record::Recorder::default(),
            calendar: model.calendar.is_some(),
            work_ratio: model
                .clock()
                .map_or(1.0, |c| c.work_unit_hours() / model.time_unit.hours()),
            clock: model.clock(),
            deadline: f64::INFINITY,
            milestones: Vec::new(),
            reached: Vec::new(),
            splitting: model.split_stage().is_some(),
            split_types: (0..nt).map(|t| model.splits_type(t).is_some()).collect(),
            sp: split::Levels::default(),
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

    /// Every lead time counted in this engine's runs so far, per class of
    /// service (in the order of [`Model::classes`]; empty without classes):
    /// the per-class counterpart of the histogram [`Engine::run`] fills.
    pub fn class_histograms(&self) -> &[LogHistogram] {
        &self.class_hists
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
    /// every event of an instant is applied first (`apply`), then the
    /// decisions — moving batches and blocked items on, letting items in, starting
    /// work — are taken once on the state at the end of the instant
    /// (`decide`); work that takes no time makes more events at the same
    /// instant, and the two phases repeat until the instant is over. Deliveries of
    /// the instant are then counted in arrival order.
    pub fn run(&mut self, run_key: u64, hist: &mut LogHistogram) -> Result<RunSummary, SimError> {
        self.run_with(run_key, hist, None)
    }

    /// [`Engine::run`], handing full buffers of the event log to `sink` when the
    /// run is recorded.
    fn run_with(
        &mut self,
        run_key: u64,
        hist: &mut LogHistogram,
        mut sink: record::Sink<'_>,
    ) -> Result<RunSummary, SimError> {
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
            if self.sp.overflow {
                return Err(SimError::Runaway {
                    delivered: self.delivered,
                });
            }
            self.close_instant(&mut sink);
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
            rt.resumed = 0;
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
        self.pools.iter_mut().for_each(|p| p.busy = 0);
        self.dirty.iter_mut().for_each(|w| *w = 0);
        self.any_dirty = false;
        self.release_dirty.clear();
        self.pull_dirty = false;
        self.entrance.clear();
        self.entrance_exempt.clear();
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
        self.sp = split::Levels::default();
        self.out = RunSummary {
            stages: vec![StageSummary::default(); self.n_stages],
            types: vec![TypeSummary::default(); self.n_types],
            classes: vec![ClassSummary::default(); self.class_hists.len()],
            ..RunSummary::default()
        };
    }
}
