//! The validated model the engine runs: stages, capacities, batches, schedules.
//!
//! The scenario layer (`scenario::validate`, above this one) builds a
//! [`Model`] from a scenario file, or a located error that says how to fix it.
//! Nothing downstream re-checks the model. The model formats no text for
//! people: `describe` puts its values in words.

pub mod calendar;
mod classes;
pub mod dist;
pub mod keys;

pub use classes::{Class, QueuePolicy};

use serde::Serialize;

use calendar::{Calendar, Clock};
use dist::Dist;

/// A validated value stream.
#[derive(Debug, Clone)]
pub struct Model {
    /// Display name.
    pub name: String,
    /// Unit of every time in the model and the output.
    pub time_unit: TimeUnit,
    /// Seed from the file.
    pub seed: Option<u64>,
    /// The instant simulated time 0 stands for (needed for dates and weekday schedules).
    pub start: Option<jiff::civil::DateTime>,
    /// Working time, when the people work only part of the day.
    pub calendar: Option<Calendar>,
    /// How work arrives.
    pub arrivals: Arrivals,
    /// Item types with their shares (one type `item` when there is no mix).
    pub types: Vec<ItemType>,
    /// Whole-stream WIP limit (CONWIP).
    pub wip_limit: Option<u32>,
    /// Index of the stage whose entry starts cycle time.
    pub commitment: Option<usize>,
    /// The stages in flow order.
    pub stages: Vec<Stage>,
    /// Shared pools of workers (`resources:`), in file order; stages name them
    /// with [`Capacity::Pool`].
    pub pools: Vec<Pool>,
    /// Run settings.
    pub simulation: Simulation,
    /// Cost of delay, when given.
    pub economics: Option<Economics>,
    /// Classes of service (`classes:`), most urgent first; empty when the
    /// scenario declares none (every item is then alike to every queue).
    pub classes: Vec<Class>,
    /// Per item type, in mix order: the index of its class in `classes`
    /// (empty when there are no classes).
    pub type_class: Vec<usize>,
}

/// The largest backlog a scenario may have: every item of a backlog is in the
/// stream from the start, and a run holds at most this many at once.
pub const MAX_BACKLOG: u64 = MAX_LIVE_ITEMS as u64;

/// More items than this in the stream at once means the stream is overloaded far
/// beyond its capacity (or cannot flow); the run stops with an error rather than
/// exhausting memory.
pub const MAX_LIVE_ITEMS: usize = 2_000_000;

/// The longest duration a scenario may give anywhere (work, wait, interval,
/// schedule, `max_wait`), in seconds: 10,000 years of 365.25 days. Far beyond
/// any value stream, and far enough inside the calendar's horizon (about
/// 300,000 years) that working time stays computable.
pub const MAX_DURATION_SECS: f64 = 10_000.0 * 365.25 * 86_400.0;

/// The shortest period a schedule may have, in seconds: a schedule ticks at
/// most once a second, so a run cannot drown in empty ticks.
pub const MIN_PERIOD_SECS: f64 = 1.0;

/// The most deliveries one run may count (`simulation.items`): a run's time
/// grows with its items, and ten million already take minutes per run.
pub const MAX_ITEMS: u64 = 10_000_000;

/// The most runs per variant (`simulation.runs`): each run keeps a summary of a
/// few hundred bytes until the results are folded.
pub const MAX_RUNS: u64 = 1_000_000;

/// How long each unit a duration may be written in is, in seconds, and which
/// of them a bare number means.
///
/// Elapsed time (waits, intervals, schedules) has 24-hour days and 7-day
/// weeks. Under a calendar, `work` is in working time: a day is the calendar's
/// `hours_per_day` and a week its working days × `hours_per_day`, whatever
/// the scenario's `time_unit` (SPEC §2.6). A number in the model is always a
/// count of the scenario's unit on the matching scale, which is what the
/// engine's working clock expects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timescale {
    /// The scenario's unit: what a bare number means and what results are in.
    pub unit: TimeUnit,
    day_secs: f64,
    week_secs: f64,
    working: bool,
}

impl Timescale {
    /// Elapsed time in `unit`: 24-hour days, 7-day weeks.
    pub fn elapsed(unit: TimeUnit) -> Timescale {
        Timescale {
            unit,
            day_secs: 86_400.0,
            week_secs: 604_800.0,
            working: false,
        }
    }

    /// Working time in `unit` under `calendar`: working hours, working days of
    /// `hours_per_day`, working weeks of [`Calendar::hours_per_week`].
    pub fn working(unit: TimeUnit, calendar: &Calendar) -> Timescale {
        Timescale {
            unit,
            day_secs: calendar.hours_per_day() * 3_600.0,
            week_secs: calendar.hours_per_week() * 3_600.0,
            working: true,
        }
    }

    /// Whether this is working time (a calendar's hours) rather than elapsed time.
    pub fn is_working(&self) -> bool {
        self.working
    }

    /// Seconds one `u` stands for on this scale.
    pub fn seconds(&self, u: TimeUnit) -> f64 {
        match u {
            TimeUnit::Minutes => 60.0,
            TimeUnit::Hours => 3_600.0,
            TimeUnit::Days => self.day_secs,
            TimeUnit::Weeks => self.week_secs,
        }
    }

    /// `value` written in `from`, as a count of the scenario's unit.
    pub fn convert(&self, value: f64, from: TimeUnit) -> f64 {
        if from == self.unit {
            value
        } else {
            value * self.seconds(from) / self.seconds(self.unit)
        }
    }

    /// `secs` seconds (of this scale) as a count of the scenario's unit.
    pub fn from_seconds(&self, secs: f64) -> f64 {
        secs / self.seconds(self.unit)
    }
}

/// Units a duration may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    /// 60 seconds.
    Minutes,
    /// 60 minutes.
    Hours,
    /// 24 hours of elapsed time.
    Days,
    /// 7 days of elapsed time.
    Weeks,
}

impl TimeUnit {
    /// Length in hours.
    pub fn hours(self) -> f64 {
        match self {
            TimeUnit::Minutes => 1.0 / 60.0,
            TimeUnit::Hours => 1.0,
            TimeUnit::Days => 24.0,
            TimeUnit::Weeks => 168.0,
        }
    }

    /// The plural name used in files and output.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Minutes => "minutes",
            TimeUnit::Hours => "hours",
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
        }
    }
}

/// How work arrives.
#[derive(Debug, Clone)]
pub enum Arrivals {
    /// Poisson arrivals, items per time unit.
    Rate(f64),
    /// Time between arrivals.
    Interval(Dist),
    /// All items waiting at time 0.
    Backlog(u64),
}

impl Arrivals {
    /// Items per time unit for open streams; `None` for a backlog.
    pub fn rate(&self) -> Option<f64> {
        match self {
            Arrivals::Rate(r) => Some(*r),
            Arrivals::Interval(d) => Some(1.0 / d.mean()),
            Arrivals::Backlog(_) => None,
        }
    }
}

/// One item type of the mix.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemType {
    /// Its name (`feature`, `defect` …).
    pub name: String,
    /// Share of arrivals, 0–1.
    pub share: f64,
}

/// One validated stage.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Unique name.
    pub name: String,
    /// A stable key derived from the name, so random draws follow the stage
    /// (not its position) across variants.
    pub key: u64,
    /// Who works here.
    pub capacity: Capacity,
    /// Work per visit, one distribution per item type.
    pub work: Vec<Dist>,
    /// Handoff delay before pick-up.
    pub wait: Option<Dist>,
    /// Sending items back.
    pub rework: Option<Rework>,
    /// Blocked work: waiting on someone outside the stage while in work.
    pub blocked: Option<Blocking>,
    /// Transfer batch.
    pub handoff: Option<HandoffBatch>,
    /// Process batch.
    pub process: Option<ProcessBatch>,
    /// Most items in the stage at once.
    pub wip_limit: Option<u32>,
    /// Per item type: passes this stage by.
    pub skip: Vec<bool>,
    /// How its queue chooses the next item (its own `queue`, else the stream's).
    pub queue: QueuePolicy,
    /// Splitting items into parts when they finish here (`split:`).
    pub split: Option<Split>,
}

/// The most parts one item may split into: each draw of `split.into` is
/// bounded by it, and a distribution whose mean is above it is refused.
pub const MAX_PARTS: u32 = 10_000;

/// Splitting at a stage (`split: {into, types, as}`): an item of one of
/// `types` that finishes its work there (after any rework there) becomes
/// [`Split::parts`] child items that flow on through the later stages; it is
/// delivered when its last child is.
#[derive(Debug, Clone)]
pub struct Split {
    /// How many children an item becomes: each draw rounded to the nearest
    /// whole number (halves up), at least 1 and at most [`MAX_PARTS`].
    pub into: Dist,
    /// Per item type: whether items of that type split here.
    pub types: Vec<bool>,
    /// The item type of the children (`None`: each keeps its parent's type).
    pub child_type: Option<usize>,
    /// Expected children per split, draws rounded and bounded as the engine does.
    pub mean_parts: f64,
}

impl Split {
    /// A split into `into` children for the item types marked in `types`;
    /// computes the expected number of children.
    pub fn new(into: Dist, types: Vec<bool>, child_type: Option<usize>) -> Split {
        let mean_parts = expected_parts(&into);
        Split {
            into,
            types,
            child_type,
            mean_parts,
        }
    }

    /// The number of children a draw of `into` stands for.
    #[inline]
    pub fn parts(draw: f64) -> u32 {
        if draw.is_nan() {
            return 1;
        }
        draw.round().clamp(1.0, f64::from(MAX_PARTS)) as u32
    }
}

/// E[parts(X)] for X drawn from `into`: exact for a constant and for observed
/// values; otherwise the mean of 20,000 draws from a fixed seed (within about
/// 1% of the standard deviation: enough for loads and warnings, which is all it
/// is used for).
fn expected_parts(into: &Dist) -> f64 {
    use rand::SeedableRng;
    match into.spec() {
        dist::DistSpec::Constant(v) => f64::from(Split::parts(*v)),
        dist::DistSpec::Empirical(v) => {
            v.iter().map(|x| f64::from(Split::parts(*x))).sum::<f64>() / v.len().max(1) as f64
        }
        _ if into.is_constant() => f64::from(Split::parts(into.mean())),
        _ => {
            const DRAWS: u32 = 20_000;
            let mut r = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(0x5_9117);
            (0..DRAWS)
                .map(|_| f64::from(Split::parts(into.sample(&mut r))))
                .sum::<f64>()
                / f64::from(DRAWS)
        }
    }
}

/// Who works at a stage.
#[derive(Debug, Clone, PartialEq)]
pub enum Capacity {
    /// N items at once, from a queue ordered by the stage's policy (FIFO by default).
    Workers(u32),
    /// The people of shared pool number `.0` of [`Model::pools`], who serve the
    /// queues of every stage naming the pool, best waiting item first by their
    /// queue policy (under FIFO the oldest).
    Pool(usize),
    /// No queue at all.
    Unlimited,
    /// Only at scheduled instants.
    Schedule(Schedule),
}

/// A shared pool of workers (`resources: {qa: 3}`): one group of people
/// serving the queues of every stage that names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    /// Its name, as stages' `workers` write it.
    pub name: String,
    /// People in the pool: items worked at once across its stages.
    pub workers: u32,
}

/// Expected load on one shared pool: the sum of its stages' loads.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolLoad {
    /// Expected work per item across the pool's stages, all visits.
    pub work_per_item: f64,
    /// Offered load ÷ the pool's workers: above 1 its queues grow without bound.
    pub load: Option<f64>,
    /// Backlog only: expected time for the pool to put the whole backlog through its stages.
    pub drain_time: Option<f64>,
}

/// Scheduled instants of a change board or release train.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// Time between instants (for weekday schedules: one week, for display).
    pub every: f64,
    /// The first instant (elapsed schedules).
    pub first: f64,
    /// Most items taken per instant (`None`: all waiting).
    pub capacity: Option<u32>,
    /// Weekday schedules: these days at this time of day (elapsed `every` otherwise).
    pub weekly: Option<(Vec<jiff::civil::Weekday>, jiff::civil::Time)>,
}

/// Rework: items sent back with a probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Rework {
    /// Probability of being sent back, 0 ≤ p < 1.
    pub probability: f64,
    /// Index of the stage sent back to (this one or earlier).
    pub to: usize,
    /// Work multiplier on the way round again.
    pub effort: f64,
}

/// Blocked work (`blocked:`): while being worked at a stage, an item is blocked
/// with a probability per visit — waiting on another team, a decision — for a
/// drawn time, after part of its work is done.
#[derive(Debug, Clone)]
pub struct Blocking {
    /// Probability that a visit is blocked once, 0 ≤ p ≤ 1.
    pub probability: f64,
    /// How long a block lasts, in elapsed time (it is waiting, not work).
    pub duration: Dist,
    /// Whether the worker stays with the item during the block; otherwise the
    /// worker takes other work and the item queues again, ahead of new work.
    pub holds_worker: bool,
    /// The share of the visit's work done when the block starts; `None`: drawn
    /// uniformly between 0 and 1 for each blocked visit.
    pub at: Option<f64>,
}

impl Blocking {
    /// Expected blocked time per visit: probability × mean duration.
    pub fn mean_per_visit(&self) -> f64 {
        self.probability * self.duration.mean()
    }
}

/// A transfer batch.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoffBatch {
    /// Items that move on together.
    pub size: u32,
    /// Longest the oldest may wait before a partial batch moves.
    pub max_wait: Option<f64>,
}

/// A process batch.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessBatch {
    /// Fewest items to start.
    pub min: u32,
    /// Most items per batch.
    pub max: u32,
}

/// Run settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// Replications per variant.
    pub runs: u64,
    /// Deliveries per run, warm-up included (open streams).
    pub items: u64,
    /// Deliveries left out of statistics (open streams).
    pub warmup: u64,
}

/// Cost of delay.
#[derive(Debug, Clone, PartialEq)]
pub struct Economics {
    /// Per item per week of lead time, one value per item type in mix order
    /// (`cost_of_delay: 4000` gives every type the same); `None` when not given.
    pub cost_of_delay: Option<Vec<f64>>,
    /// Currency label.
    pub currency: String,
}

impl Economics {
    /// The one cost of delay every item type shares, when they all share one.
    pub fn uniform_cost_of_delay(&self) -> Option<f64> {
        let c = self.cost_of_delay.as_ref()?;
        let first = *c.first()?;
        c.iter().all(|&x| x == first).then_some(first)
    }

    /// The cost of delay of item type `t` per item per week (0 without one).
    pub fn cost_of_delay_of(&self, t: usize) -> f64 {
        self.cost_of_delay
            .as_ref()
            .and_then(|c| c.get(t).copied())
            .unwrap_or(0.0)
    }
}

/// Expected load on one stage, for `check` and overload warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct StageLoad {
    /// Expected visits per item (rework loops included).
    pub visits: f64,
    /// Expected work per item at this stage, all visits.
    pub work_per_item: f64,
    /// Offered load ÷ capacity: above 1 the queue grows without bound.
    pub load: Option<f64>,
    /// Backlog only: expected time to put the whole backlog through this stage.
    pub drain_time: Option<f64>,
}

/// The start used for a calendar without a `start` date: a Monday, 00:00.
pub const DEFAULT_START: jiff::civil::DateTime = jiff::civil::date(2026, 1, 5).at(0, 0, 0, 0);

impl Model {
    /// The clock mapping simulated time onto dates and working time (`None` when the
    /// model has neither a start date nor a calendar).
    pub fn clock(&self) -> Option<Clock> {
        let weekly = self
            .stages
            .iter()
            .any(|s| matches!(&s.capacity, Capacity::Schedule(sc) if sc.weekly.is_some()));
        if self.start.is_none() && self.calendar.is_none() && !weekly {
            return None;
        }
        Some(Clock::new(
            self.start.unwrap_or(DEFAULT_START),
            self.time_unit.hours(),
            self.calendar.clone(),
        ))
    }

    /// The item types that arrive (share above 0), in mix order: a type only
    /// splits make (`split: {as: story}`) is not among them.
    pub fn arriving_types(&self) -> impl Iterator<Item = &ItemType> + '_ {
        self.types.iter().filter(|t| t.share > 0.0)
    }

    /// Index of a stage by name.
    pub fn stage_index(&self, name: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.name == name)
    }

    /// Whether the stream is a backlog (all items at time 0).
    pub fn is_backlog(&self) -> bool {
        matches!(self.arrivals, Arrivals::Backlog(_))
    }

    /// Deliveries per run (the backlog, or `simulation.items`).
    pub fn items_per_run(&self) -> u64 {
        match self.arrivals {
            Arrivals::Backlog(n) => n,
            _ => self.simulation.items,
        }
    }

    /// Deliveries left out at the start of each run.
    pub fn warmup(&self) -> u64 {
        if self.is_backlog() {
            0
        } else {
            self.simulation.warmup
        }
    }

    /// Expected visits per item of type `t` at every stage, from the traffic
    /// equations of the rework loops (an item's own visits; the children of a
    /// split are in [`Model::flows`]).
    pub fn expected_visits(&self, t: usize) -> Vec<f64> {
        self.visits_between(t, 0, None)
    }

    /// The index of the stage that splits items, when one does.
    pub fn split_stage(&self) -> Option<usize> {
        self.stages.iter().position(|s| s.split.is_some())
    }

    /// Whether items of type `t` pass stage `i` by only because of the split:
    /// a type that only splits make, up to the split stage, or a type that
    /// splits into another, after it.
    pub fn passes_by_split(&self, i: usize, t: usize) -> bool {
        let Some(k) = self.split_stage() else {
            return false;
        };
        let Some(sp) = &self.stages[k].split else {
            return false;
        };
        let child_only = sp.child_type == Some(t) && self.types[t].share == 0.0;
        let parent =
            sp.child_type.is_some_and(|c| c != t) && sp.types[t] && !self.stages[k].skip[t];
        (child_only && i <= k) || (parent && i > k)
    }

    /// Whether items of type `t` split (they reach the split stage and it splits their type).
    pub fn splits_type(&self, t: usize) -> Option<usize> {
        let k = self.split_stage()?;
        let st = &self.stages[k];
        (!st.skip[t] && st.split.as_ref().is_some_and(|sp| sp.types[t])).then_some(k)
    }

    /// What one arriving item of type `t` puts through the stages: (the item
    /// type whose work is done, how many such items per arrival, their expected
    /// visits per stage). One entry without a split; with one, the item until
    /// it splits and then its expected children from the split stage on.
    pub fn flows(&self, t: usize) -> Vec<(usize, f64, Vec<f64>)> {
        match self.splits_type(t) {
            None => vec![(t, 1.0, self.expected_visits(t))],
            Some(k) => {
                let sp = self.stages[k]
                    .split
                    .as_ref()
                    .expect("the split stage splits");
                let c = sp.child_type.unwrap_or(t);
                vec![
                    (t, 1.0, self.visits_between(t, 0, Some(k))),
                    (c, sp.mean_parts, self.visits_between(c, k + 1, None)),
                ]
            }
        }
    }

    /// Expected visits per stage of one item of type `t` that enters the stream
    /// at the first stage ≥ `entry` it visits and leaves after passing `stop`
    /// (where it splits) or the last stage.
    fn visits_between(&self, t: usize, entry: usize, stop: Option<usize>) -> Vec<f64> {
        let n = self.stages.len();
        let next = |from: usize| (from..n).find(|&j| !self.stages[j].skip[t]);
        // v = e + vP, solved as (I - Pᵀ) v = e by Gaussian elimination.
        let mut a = vec![vec![0.0; n + 1]; n];
        for (i, row) in a.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        if let Some(first) = next(entry) {
            a[first][n] = 1.0;
        }
        for (q, stage) in self.stages.iter().enumerate() {
            if stage.skip[t] {
                continue;
            }
            let p = stage.rework.as_ref().map_or(0.0, |r| r.probability);
            if stop != Some(q)
                && let Some(j) = next(q + 1)
            {
                a[j][q] -= 1.0 - p;
            }
            if let Some(r) = &stage.rework
                && let Some(j) = next(r.to)
            {
                a[j][q] -= p;
            }
        }
        for col in 0..n {
            let piv = (col..n)
                .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
                .unwrap_or(col);
            a.swap(col, piv);
            let d = a[col][col];
            if d.abs() < 1e-300 {
                continue;
            }
            a[col].iter_mut().skip(col).for_each(|x| *x /= d);
            let pivot_row = a[col].clone();
            for (r, row) in a.iter_mut().enumerate() {
                let f = row[col];
                if r != col && f != 0.0 {
                    for (x, p) in row.iter_mut().zip(&pivot_row).skip(col) {
                        *x -= f * p;
                    }
                }
            }
        }
        a.iter().map(|row| row[n].max(0.0)).collect()
    }

    /// Expected visits, work and load per stage, averaged over the item mix;
    /// the children of a split count as the items they are (each visit is work).
    pub fn loads(&self) -> Vec<StageLoad> {
        let rate = self.arrivals.rate();
        let flows: Vec<Vec<(usize, f64, Vec<f64>)>> =
            (0..self.types.len()).map(|t| self.flows(t)).collect();
        self.stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut visits = 0.0;
                let mut work = 0.0;
                let e = s.rework_effort_hint(self, i);
                for (ty, fl) in self.types.iter().zip(&flows) {
                    for (wt, weight, v) in fl {
                        let v = v[i];
                        let w = s.work[*wt].mean() * (v.min(1.0) + e * (v - 1.0).max(0.0));
                        visits += ty.share * weight * v;
                        work += ty.share * weight * w;
                    }
                }
                // A block that holds the worker keeps them from other work as
                // work would (under a calendar, its elapsed time counts as if working).
                let held = s
                    .blocked
                    .as_ref()
                    .filter(|b| b.holds_worker)
                    .map_or(0.0, |b| visits * b.mean_per_visit());
                let per_server = match &s.capacity {
                    Capacity::Workers(c) => {
                        let batch = s.process.as_ref().map_or(1, |p| p.max) as f64;
                        Some((work + held) / (*c as f64 * batch))
                    }
                    // The stage's share of its pool: the pool's load is the sum.
                    Capacity::Pool(p) => Some((work + held) / f64::from(self.pools[*p].workers)),
                    Capacity::Unlimited => None,
                    Capacity::Schedule(sc) => sc.capacity.map(|c| visits * sc.every / c as f64),
                };
                let load = rate.and_then(|r| per_server.map(|p| r * p));
                let drain_time = match self.arrivals {
                    Arrivals::Backlog(n) => per_server.map(|p| n as f64 * p),
                    _ => None,
                };
                StageLoad {
                    visits,
                    work_per_item: work,
                    load,
                    drain_time,
                }
            })
            .collect()
    }
}

impl Model {
    /// Expected load per shared pool, in the order of [`Model::pools`]: the sum
    /// of the loads (or drain times) of the stages that name it.
    pub fn pool_loads(&self) -> Vec<PoolLoad> {
        self.pool_loads_from(&self.loads())
    }

    /// [`Model::pool_loads`] from stage loads already computed.
    pub fn pool_loads_from(&self, loads: &[StageLoad]) -> Vec<PoolLoad> {
        let add = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(x), Some(y)) => Some(x + y),
            _ => None,
        };
        let mut out: Vec<PoolLoad> = self
            .pools
            .iter()
            .map(|_| PoolLoad {
                work_per_item: 0.0,
                load: self.arrivals.rate().map(|_| 0.0),
                drain_time: self.is_backlog().then_some(0.0),
            })
            .collect();
        for (s, l) in self.stages.iter().zip(loads) {
            if let Capacity::Pool(p) = s.capacity {
                let o = &mut out[p];
                o.work_per_item += l.work_per_item;
                o.load = add(o.load, l.load);
                o.drain_time = add(o.drain_time, l.drain_time);
            }
        }
        out
    }

    /// The stages that name pool `p`, in file order.
    pub fn pool_stages(&self, p: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.stages.len()).filter(move |&i| self.stages[i].capacity == Capacity::Pool(p))
    }
}

impl Stage {
    /// The rework effort factor applied to repeat visits of stage `i` (the largest
    /// loop covering it), for expected-work estimates.
    fn rework_effort_hint(&self, model: &Model, i: usize) -> f64 {
        model
            .stages
            .iter()
            .enumerate()
            .filter_map(|(q, s)| s.rework.as_ref().map(|r| (q, r)))
            .filter(|(q, r)| r.to <= i && i <= *q)
            .map(|(_, r)| r.effort)
            .next()
            .unwrap_or(1.0)
    }

    /// Workers as a number, when the stage has a fixed count.
    pub fn workers(&self) -> Option<u32> {
        match self.capacity {
            Capacity::Workers(n) => Some(n),
            _ => None,
        }
    }
}

/// The most items partly filled batches can hold between them while waiting to
/// fill (handoff batches without `max_wait`, process batches below `min`). A stream
/// WIP limit at or below it could leave every item stuck in such a batch.
pub fn held_by_partial_batches(stages: &[Stage]) -> u64 {
    stages
        .iter()
        .map(|s| {
            let h = s
                .handoff
                .as_ref()
                .filter(|h| h.max_wait.is_none())
                .map_or(0, |h| u64::from(h.size) - 1);
            let p = s.process.as_ref().map_or(0, |p| u64::from(p.min) - 1);
            h + p
        })
        .sum()
}

/// Whether the stream WIP limit (if any) leaves room for every partial batch.
pub fn wip_limit_ok(model: &Model) -> bool {
    model
        .wip_limit
        .is_none_or(|l| u64::from(l) > held_by_partial_batches(&model.stages))
}

/// One variant to simulate: the baseline or an intervention applied to it.
#[derive(Debug, Clone)]
pub struct Variant {
    /// `baseline`, or the intervention's name.
    pub name: String,
    /// The model it runs.
    pub model: Model,
    /// What the intervention costs once, when given.
    pub cost: Option<f64>,
    /// What it costs every year, when given.
    pub cost_per_year: Option<f64>,
}

impl Variant {
    /// The baseline variant of a model.
    pub fn baseline(model: &Model) -> Variant {
        Variant {
            name: "baseline".into(),
            model: model.clone(),
            cost: None,
            cost_per_year: None,
        }
    }
}
