//! The validated model the engine runs: stages, capacities, batches, schedules.
//!
//! [`Model::from_raw`] turns a [`RawScenario`] into a [`Model`] or a located
//! error that says how to fix it. Nothing downstream re-checks the model.

use crate::calendar::{Calendar, Clock};
use crate::dist::{Dist, DistSpec};
use crate::error::{Loc, ScenarioError, Source, nearest};
use crate::scenario::{RawScenario, RawStage, RawValue, TimeUnit, parse_duration};
use serde_saphyr::Spanned;

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
    /// Run settings.
    pub simulation: Simulation,
    /// Cost of delay, when given.
    pub economics: Option<Economics>,
}

/// The largest backlog a scenario may have: every item of a backlog is in the
/// stream from the start, and a run holds at most this many at once.
pub const MAX_BACKLOG: u64 = crate::engine::MAX_LIVE_ITEMS as u64;

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
    /// Transfer batch.
    pub handoff: Option<HandoffBatch>,
    /// Process batch.
    pub process: Option<ProcessBatch>,
    /// Most items in the stage at once.
    pub wip_limit: Option<u32>,
    /// Per item type: passes this stage by.
    pub skip: Vec<bool>,
}

/// Who works at a stage.
#[derive(Debug, Clone, PartialEq)]
pub enum Capacity {
    /// N items at once, FIFO queue.
    Workers(u32),
    /// No queue at all.
    Unlimited,
    /// Only at scheduled instants.
    Schedule(Schedule),
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

impl Schedule {
    /// When it happens, as the user wrote it: "Tue, Thu at 10:00", or "every
    /// 3.5 d" (with `unit`, the time unit as the reader should see it).
    pub fn describe(&self, unit: &str) -> String {
        let up_to = self
            .capacity
            .map_or(String::new(), |c| format!(", up to {c}"));
        match &self.weekly {
            Some((days, at)) => format!(
                "{} at {}{up_to}",
                days.iter()
                    .map(|d| crate::calendar::weekday_short(*d))
                    .collect::<Vec<_>>()
                    .join(", "),
                at.strftime("%H:%M")
            ),
            None => format!(
                "every {} {unit}{up_to}",
                crate::stats::fmt_sig(self.every, 3)
            ),
        }
    }
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
    /// Per item per week of lead time.
    pub cost_of_delay: Option<f64>,
    /// Currency label.
    pub currency: String,
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

const MAX_STAGES: usize = 1000;
/// The start used for a calendar without a `start` date: a Monday, 00:00.
pub const DEFAULT_START: jiff::civil::DateTime = jiff::civil::date(2026, 1, 5).at(0, 0, 0, 0);
const MAX_TYPES: usize = 64;

impl Model {
    /// Validates a parsed scenario.
    pub fn from_raw(raw: &RawScenario, src: &Source) -> Result<Model, ScenarioError> {
        Builder { src }.build(raw)
    }

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
    /// equations of the rework loops.
    pub fn expected_visits(&self, t: usize) -> Vec<f64> {
        let n = self.stages.len();
        let next = |from: usize| (from..n).find(|&j| !self.stages[j].skip[t]);
        // v = e + vP, solved as (I - Pᵀ) v = e by Gaussian elimination.
        let mut a = vec![vec![0.0; n + 1]; n];
        for (i, row) in a.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        if let Some(first) = next(0) {
            a[first][n] = 1.0;
        }
        for (q, stage) in self.stages.iter().enumerate() {
            if stage.skip[t] {
                continue;
            }
            let p = stage.rework.as_ref().map_or(0.0, |r| r.probability);
            if let Some(j) = next(q + 1) {
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

    /// Expected visits, work and load per stage, averaged over the item mix.
    pub fn loads(&self) -> Vec<StageLoad> {
        let rate = self.arrivals.rate();
        let visits_by_type: Vec<Vec<f64>> = (0..self.types.len())
            .map(|t| self.expected_visits(t))
            .collect();
        self.stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut visits = 0.0;
                let mut work = 0.0;
                for (t, ty) in self.types.iter().enumerate() {
                    let v = visits_by_type[t][i];
                    let e = s.rework_effort_hint(self, i);
                    let w = s.work[t].mean() * (v.min(1.0) + e * (v - 1.0).max(0.0));
                    visits += ty.share * v;
                    work += ty.share * w;
                }
                let per_server = match &s.capacity {
                    Capacity::Workers(c) => {
                        let batch = s.process.as_ref().map_or(1, |p| p.max) as f64;
                        Some(work / (*c as f64 * batch))
                    }
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

    /// Stages whose offered load exceeds capacity, as warnings a user can act on.
    pub fn overload_warnings(&self) -> Vec<String> {
        let unit = self.time_unit.name();
        self.loads()
            .iter()
            .zip(&self.stages)
            .filter_map(|(l, s)| {
                let load = l.load?;
                (load > 1.0).then(|| {
                    let what = match &s.capacity {
                        Capacity::Schedule(_) => "its scheduled capacity".to_string(),
                        Capacity::Workers(c) => format!(
                            "{} worker{}",
                            c,
                            if *c == 1 { "" } else { "s" }
                        ),
                        Capacity::Unlimited => "its capacity".to_string(),
                    };
                    // Percentages read well up to a few times over; beyond, say how many times.
                    let pace = if load < 10.0 {
                        format!("work arrives at {:.0}% of what {what} can do", load * 100.0)
                    } else if load.is_finite() && load < 1e6 {
                        format!(
                            "work arrives {} times faster than {what} can do it",
                            crate::stats::fmt_sig(load, 2)
                        )
                    } else {
                        format!("work arrives over a million times faster than {what} can do it")
                    };
                    format!(
                        "stage `{}` is overloaded: {pace}, so its queue grows for as long as the stream \
                         runs (lead times below depend on how long that is, here {} deliveries per run, \
                         in {unit}). Add capacity there or lower the arrival rate.",
                        s.name,
                        self.items_per_run()
                    )
                })
            })
            .collect()
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

/// Reads a start written as a date (`2026-12-01`, midnight) or a date and time
/// (`2026-12-01T09:00` or `2026-12-01 09:00`).
pub fn parse_start(text: &str) -> Result<jiff::civil::DateTime, String> {
    let t = text.trim();
    if let Ok(dt) = t.parse::<jiff::civil::DateTime>() {
        return Ok(dt);
    }
    if let Ok(dt) = t.replacen(' ', "T", 1).parse::<jiff::civil::DateTime>() {
        return Ok(dt);
    }
    t.parse::<jiff::civil::Date>()
        .map(|d| d.at(0, 0, 0, 0))
        .map_err(|_| format!("`{t}` is not a date"))
}

/// A stable 64-bit key from a stage name (FNV-1a, then mixed).
pub fn name_key(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    crate::engine::mix64(h)
}

struct Builder<'a> {
    src: &'a Source,
}

fn loc<T>(s: &Spanned<T>) -> Loc {
    Loc::from_yaml(&s.referenced)
}

impl Builder<'_> {
    fn err(&self, at: Loc, msg: impl Into<String>, help: impl Into<String>) -> ScenarioError {
        let help: String = help.into();
        self.src
            .error(at, msg, if help.is_empty() { None } else { Some(help) })
    }

    fn build(&self, raw: &RawScenario) -> Result<Model, ScenarioError> {
        let time_unit = match &raw.time_unit {
            None => TimeUnit::Hours,
            Some(u) => match u.value.trim() {
                "minutes" => TimeUnit::Minutes,
                "hours" => TimeUnit::Hours,
                "days" => TimeUnit::Days,
                "weeks" => TimeUnit::Weeks,
                other => {
                    let hint = nearest(other, ["minutes", "hours", "days", "weeks"])
                        .map(|n| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    return Err(self.err(
                        loc(u),
                        format!("unknown time_unit `{other}`"),
                        format!("{hint}time_unit is one of minutes, hours, days, weeks"),
                    ));
                }
            },
        };
        let name = raw.name.clone().unwrap_or_else(|| {
            std::path::Path::new(&self.src.name)
                .file_stem()
                .map_or_else(
                    || "scenario".to_string(),
                    |s| s.to_string_lossy().into_owned(),
                )
        });

        let start = match &raw.start {
            None => None,
            Some(v) => Some(self.start(v)?),
        };
        let calendar = match &raw.calendar {
            None => None,
            Some(c) => Some(self.calendar(c)?),
        };

        // Arrivals and the item mix.
        let arr = &raw.arrivals.value;
        let given = [
            arr.rate.is_some(),
            arr.interval.is_some(),
            arr.backlog.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if given != 1 {
            return Err(self.err(
                loc(&raw.arrivals),
                if given == 0 {
                    "arrivals has none of rate, interval or backlog"
                } else {
                    "arrivals has more than one of rate, interval and backlog"
                },
                "give exactly one: `rate: 1.5` (items per time unit), `interval: {dist: exponential, mean: 0.7}`, or `backlog: 40`",
            ));
        }
        let arrivals = if let Some(r) = &arr.rate {
            if !(r.value.is_finite() && r.value > 0.0) {
                return Err(self.err(
                    loc(r),
                    format!("arrival rate is {}; it must be greater than 0", r.value),
                    format!(
                        "rate is items per {} (e.g. 1.5)",
                        time_unit.name().trim_end_matches('s')
                    ),
                ));
            }
            Arrivals::Rate(r.value)
        } else if let Some(i) = &arr.interval {
            let d = self.dist(i, time_unit, "arrivals.interval")?;
            if d.mean() <= 0.0 {
                return Err(self.err(
                    loc(i),
                    "arrivals.interval has a mean of 0: items would arrive infinitely fast",
                    "give a positive mean time between arrivals",
                ));
            }
            Arrivals::Interval(d)
        } else {
            let b = arr
                .backlog
                .as_ref()
                .expect("exactly one arrival form is present");
            if b.value == 0 {
                return Err(self.err(loc(b), "backlog is 0", "a backlog needs at least one item"));
            }
            if b.value > MAX_BACKLOG {
                return Err(self.err(
                    loc(b),
                    format!("a backlog of {} items is too large", b.value),
                    format!(
                        "flowcast simulates at most {MAX_BACKLOG} items waiting at once; model a part of \
                         the backlog (the next release, say) or an open stream with `rate`"
                    ),
                ));
            }
            Arrivals::Backlog(b.value)
        };
        let types = self.mix(arr.mix.as_ref())?;

        // Stages.
        if raw.stages.value.is_empty() {
            return Err(self.err(
                loc(&raw.stages),
                "the stream has no stages",
                "list at least one stage, e.g. `stages: [{name: develop, work: 2}]`",
            ));
        }
        if raw.stages.value.len() > MAX_STAGES {
            return Err(self.err(
                loc(&raw.stages),
                format!(
                    "{} stages is more than the {MAX_STAGES} flowcast supports",
                    raw.stages.value.len()
                ),
                "",
            ));
        }
        let names: Vec<&str> = raw
            .stages
            .value
            .iter()
            .map(|s| s.name.value.as_str())
            .collect();
        for (i, s) in raw.stages.value.iter().enumerate() {
            if s.name.value.trim().is_empty() {
                return Err(self.err(
                    loc(&s.name),
                    "a stage name is empty",
                    "give every stage a name",
                ));
            }
            if let Some(j) = names[..i].iter().position(|n| *n == s.name.value) {
                let first = &raw.stages.value[j].name;
                return Err(self.err(
                    loc(&s.name),
                    format!(
                        "two stages are named `{}` (the first is on line {})",
                        s.name.value,
                        first.referenced.line()
                    ),
                    "stage names must be unique; rename one",
                ));
            }
        }
        let mut stages = Vec::with_capacity(raw.stages.value.len());
        for (i, s) in raw.stages.value.iter().enumerate() {
            stages.push(self.stage(s, i, &names, &types, time_unit)?);
        }

        let wip_limit = match &raw.wip_limit {
            None => None,
            Some(w) => Some(self.count(w, "wip_limit")?),
        };
        let commitment = match &raw.commitment {
            None => None,
            Some(c) => Some(
                names
                    .iter()
                    .position(|n| *n == c.value)
                    .ok_or_else(|| self.unknown_stage(loc(c), &c.value, &names, "commitment"))?,
            ),
        };
        if let Some(limit) = wip_limit {
            let held = held_by_partial_batches(&stages);
            if u64::from(limit) <= held {
                let at = raw.wip_limit.as_ref().map(loc).unwrap_or_default();
                return Err(self.err(
                    at,
                    format!(
                        "wip_limit {limit} can stop the stream: partly filled batches can hold {held} items between them, \
                         and with {limit} items in the stream none might ever fill"
                    ),
                    format!(
                        "raise wip_limit above {held}, give handoff batches a max_wait, or make the batches smaller"
                    ),
                ));
            }
        }

        let sim = raw.simulation.as_ref().map(|s| &s.value);
        let runs = match sim.and_then(|s| s.runs.as_ref()) {
            None => 1000,
            Some(r) => self.count(r, "simulation.runs")?.into(),
        };
        let items = match sim.and_then(|s| s.items.as_ref()) {
            None => 2000,
            Some(r) => self.count(r, "simulation.items")?.into(),
        };
        let warmup = match sim.and_then(|s| s.warmup.as_ref()) {
            None => items / 10,
            Some(w) => {
                if w.value >= items {
                    return Err(self.err(
                        loc(w),
                        format!("warmup ({}) leaves no deliveries out of {items} to count", w.value),
                        "warmup must be smaller than simulation.items (the default is 10% of items)",
                    ));
                }
                w.value
            }
        };

        let economics = match &raw.economics {
            None => None,
            Some(e) => {
                let cod = match &e.value.cost_of_delay {
                    None => None,
                    Some(c) if c.value.is_finite() && c.value >= 0.0 => Some(c.value),
                    Some(c) => {
                        return Err(self.err(
                            loc(c),
                            format!("cost_of_delay is {}; it must be 0 or more", c.value),
                            "cost_of_delay is money per item per week of lead time",
                        ));
                    }
                };
                Some(Economics {
                    cost_of_delay: cod,
                    currency: e.value.currency.clone().unwrap_or_default(),
                })
            }
        };

        Ok(Model {
            name,
            time_unit,
            seed: raw.seed,
            start,
            calendar,
            arrivals,
            types,
            wip_limit,
            commitment,
            stages,
            simulation: Simulation {
                runs,
                items,
                warmup,
            },
            economics,
        })
    }

    fn start(&self, v: &Spanned<RawValue>) -> Result<jiff::civil::DateTime, ScenarioError> {
        let text = match &v.value {
            RawValue::Str(t) => t.trim().to_string(),
            other => other.show(),
        };
        parse_start(&text).map_err(|m| {
            self.err(
                loc(v),
                format!("start: {m}"),
                "write a date such as 2026-12-01, or a date and time such as 2026-12-01T09:00",
            )
        })
    }

    fn time_of_day(
        &self,
        v: &Spanned<RawValue>,
        ctx: &str,
    ) -> Result<jiff::civil::Time, ScenarioError> {
        let text = match &v.value {
            RawValue::Str(t) => t.trim().to_string(),
            other => {
                return Err(self.err(
                    loc(v),
                    format!("{ctx} is {}, not a time of day", other.show()),
                    "write the time in quotes, e.g. \"10:00\"",
                ));
            }
        };
        text.parse::<jiff::civil::Time>().map_err(|_| {
            self.err(
                loc(v),
                format!("{ctx}: `{text}` is not a time of day"),
                "write e.g. \"09:00\" or \"14:30\"",
            )
        })
    }

    fn calendar(
        &self,
        c: &Spanned<crate::scenario::RawCalendar>,
    ) -> Result<Calendar, ScenarioError> {
        let v = &c.value;
        let hours = v.hours_per_day.as_ref().map_or(8.0, |h| h.value);
        let days = match &v.days {
            None => vec![
                jiff::civil::Weekday::Monday,
                jiff::civil::Weekday::Tuesday,
                jiff::civil::Weekday::Wednesday,
                jiff::civil::Weekday::Thursday,
                jiff::civil::Weekday::Friday,
            ],
            Some(d) => {
                let mut out = Vec::new();
                for name in &d.value {
                    let w = Calendar::parse_weekday(name).ok_or_else(|| {
                        self.err(
                            loc(d),
                            format!("calendar.days: `{name}` is not a weekday"),
                            "weekdays are mon, tue, wed, thu, fri, sat, sun",
                        )
                    })?;
                    if !out.contains(&w) {
                        out.push(w);
                    }
                }
                out
            }
        };
        let starts = match &v.day_starts {
            None => jiff::civil::time(9, 0, 0, 0),
            Some(t) => self.time_of_day(t, "calendar.day_starts")?,
        };
        let mut holidays = Vec::new();
        if let Some(h) = &v.holidays {
            for d in &h.value {
                let text = match d {
                    RawValue::Str(t) => t.trim().to_string(),
                    other => other.show(),
                };
                let date = text.parse::<jiff::civil::Date>().map_err(|_| {
                    self.err(
                        loc(h),
                        format!("calendar.holidays: `{text}` is not a date"),
                        "write dates as 2026-12-25",
                    )
                })?;
                holidays.push(date);
            }
        }
        Calendar::new(hours, &days, starts, holidays)
            .map_err(|m| self.err(loc(c), format!("calendar: {m}"), ""))
    }

    fn count(&self, v: &Spanned<u64>, field: &str) -> Result<u32, ScenarioError> {
        if v.value == 0 || v.value > u64::from(u32::MAX) {
            return Err(self.err(
                loc(v),
                format!(
                    "{field} is {}; it must be a whole number from 1 to {}",
                    v.value,
                    u32::MAX
                ),
                "",
            ));
        }
        Ok(v.value as u32)
    }

    fn unknown_stage(&self, at: Loc, name: &str, names: &[&str], field: &str) -> ScenarioError {
        let hint = nearest(name, names.iter().copied())
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        self.err(
            at,
            format!("{field} names a stage `{name}` that does not exist"),
            format!("{hint}stages are: {}", names.join(", ")),
        )
    }

    fn mix(&self, mix: Option<&Spanned<RawValue>>) -> Result<Vec<ItemType>, ScenarioError> {
        let Some(m) = mix else {
            return Ok(vec![ItemType {
                name: "item".into(),
                share: 1.0,
            }]);
        };
        let RawValue::Map(entries) = &m.value else {
            return Err(self.err(
                loc(m),
                format!(
                    "mix is {}, not a mapping of item types to shares",
                    m.value.show()
                ),
                "write e.g. `mix: {feature: 0.6, defect: 0.3, debt: 0.1}`",
            ));
        };
        if entries.is_empty() || entries.len() > MAX_TYPES {
            return Err(self.err(
                loc(m),
                format!("mix has {} item types", entries.len()),
                format!("give between 1 and {MAX_TYPES} item types"),
            ));
        }
        let mut types = Vec::new();
        let mut sum = 0.0;
        for (k, v) in entries {
            let RawValue::Num(share) = v else {
                return Err(self.err(
                    loc(m),
                    format!("mix share of `{k}` is {}, not a number", v.show()),
                    "shares are numbers between 0 and 1 that add up to 1",
                ));
            };
            if !(share.is_finite() && *share >= 0.0 && *share <= 1.0) {
                return Err(self.err(
                    loc(m),
                    format!("mix share of `{k}` is {share}; shares lie between 0 and 1"),
                    "shares are numbers between 0 and 1 that add up to 1",
                ));
            }
            if types.iter().any(|t: &ItemType| t.name == *k) {
                return Err(self.err(loc(m), format!("mix names `{k}` twice"), ""));
            }
            sum += share;
            types.push(ItemType {
                name: k.clone(),
                share: *share,
            });
        }
        if (sum - 1.0).abs() > 1e-6 {
            return Err(self.err(
                loc(m),
                format!("mix shares add up to {}, not 1", (sum * 1e6).round() / 1e6),
                "make the shares add up to 1 (e.g. 0.6, 0.3, 0.1)",
            ));
        }
        Ok(types)
    }

    fn stage(
        &self,
        s: &RawStage,
        index: usize,
        names: &[&str],
        types: &[ItemType],
        unit: TimeUnit,
    ) -> Result<Stage, ScenarioError> {
        let name = s.name.value.clone();
        let ctx = |field: &str| format!("stage `{name}`: {field}");

        // Capacity.
        let capacity = match (&s.schedule, &s.workers) {
            (Some(_), Some(w)) => {
                return Err(self.err(
                    loc(w),
                    ctx("has both a schedule and workers"),
                    "a scheduled stage works only at its instants and needs no workers; remove `workers`",
                ));
            }
            (Some(sc), None) => {
                let v = &sc.value;
                let capacity = match &v.capacity {
                    None => None,
                    Some(c) => Some(self.count(c, &ctx("schedule.capacity"))?),
                };
                match (&v.every, &v.on) {
                    (Some(_), Some(on)) => {
                        return Err(self.err(
                            loc(on),
                            ctx("schedule has both `every` and `on`"),
                            "use `every: 1w` for a fixed interval, or `on: [tue, thu]` with `at: \"10:00\"` for weekdays",
                        ));
                    }
                    (None, None) => {
                        return Err(self.err(
                            loc(sc),
                            ctx("schedule has neither `every` nor `on`"),
                            "e.g. `schedule: {every: 1w}` or `schedule: {on: [tue], at: \"10:00\"}`",
                        ));
                    }
                    (Some(e), None) => {
                        let every = self.duration(e, unit, &ctx("schedule.every"))?;
                        if every <= 0.0 {
                            return Err(self.err(
                                loc(e),
                                ctx("schedule.every must be longer than 0"),
                                "e.g. `every: 1w` for a weekly board",
                            ));
                        }
                        if let Some(at) = &v.at {
                            return Err(self.err(
                                loc(at),
                                ctx("schedule.at goes with `on` (weekdays), not with `every`"),
                                "write `on: [tue], at: \"10:00\"`, or use `first` to place the first instant",
                            ));
                        }
                        let first = match &v.first {
                            None => every,
                            Some(f) => self.duration(f, unit, &ctx("schedule.first"))?,
                        };
                        Capacity::Schedule(Schedule {
                            every,
                            first,
                            capacity,
                            weekly: None,
                        })
                    }
                    (None, Some(on)) => {
                        if let Some(f) = &v.first {
                            return Err(self.err(
                                loc(f),
                                ctx("schedule.first goes with `every`, not with `on`"),
                                "a weekday schedule starts on the first listed weekday after the start",
                            ));
                        }
                        let mut days = Vec::new();
                        for d in &on.value {
                            match Calendar::parse_weekday(d) {
                                Some(w) if !days.contains(&w) => days.push(w),
                                Some(_) => {}
                                None => {
                                    return Err(self.err(
                                        loc(on),
                                        ctx(&format!("schedule.on: `{d}` is not a weekday")),
                                        "weekdays are mon, tue, wed, thu, fri, sat, sun",
                                    ));
                                }
                            }
                        }
                        if days.is_empty() {
                            return Err(self.err(
                                loc(on),
                                ctx("schedule.on lists no weekday"),
                                "e.g. `on: [tue]`",
                            ));
                        }
                        let at = match &v.at {
                            None => None,
                            Some(a) => Some(self.time_of_day(a, &ctx("schedule.at"))?),
                        };
                        let at = at.unwrap_or(jiff::civil::time(9, 0, 0, 0));
                        Capacity::Schedule(Schedule {
                            every: 168.0 / unit.hours() / days.len() as f64,
                            first: 0.0,
                            capacity,
                            weekly: Some((days, at)),
                        })
                    }
                }
            }
            (None, None) => Capacity::Workers(1),
            (None, Some(w)) => match &w.value {
                RawValue::Num(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= f64::from(u32::MAX) => {
                    Capacity::Workers(*n as u32)
                }
                RawValue::Str(t) if t.trim() == "unlimited" => Capacity::Unlimited,
                RawValue::Str(t) => {
                    return Err(self.err(
                        loc(w),
                        ctx(&format!("workers `{t}` is not a number")),
                        "give a whole number of workers, or `unlimited` for an automated step with no queue \
                         (shared pools are not supported yet)",
                    ));
                }
                other => {
                    return Err(self.err(
                        loc(w),
                        ctx(&format!(
                            "workers is {}; it must be a whole number of at least 1",
                            other.show()
                        )),
                        "give a whole number of workers, or `unlimited`",
                    ));
                }
            },
        };

        let mut skip = vec![false; types.len()];
        if let Some(sk) = &s.skip {
            for t in &sk.value {
                match types.iter().position(|x| x.name == *t) {
                    Some(k) => skip[k] = true,
                    None => {
                        let hint = nearest(t, types.iter().map(|x| x.name.as_str()))
                            .map(|n| format!("did you mean `{n}`? "))
                            .unwrap_or_default();
                        return Err(self.err(
                            loc(sk),
                            ctx(&format!(
                                "skip names an item type `{t}` that is not in arrivals.mix"
                            )),
                            format!(
                                "{hint}item types are: {}",
                                types
                                    .iter()
                                    .map(|x| x.name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                }
            }
        }
        // Work, per item type.
        let work = match &s.work {
            None => {
                if matches!(capacity, Capacity::Schedule(_)) {
                    vec![Dist::constant(0.0); types.len()]
                } else {
                    return Err(self.err(
                        loc(&s.name),
                        ctx("has no work"),
                        "add how long one item takes here, e.g. `work: 4h` or `work: {dist: lognormal, mean: 3, cv: 0.8}`",
                    ));
                }
            }
            Some(w) => self.work(w, types, &skip, unit, &name)?,
        };
        let wait = match &s.wait {
            None => None,
            Some(w) => Some(self.dist(w, unit, &ctx("wait"))?),
        };

        let rework = match &s.rework {
            None => None,
            Some(r) => {
                let p = &r.value.probability;
                if !(p.value.is_finite() && p.value >= 0.0 && p.value < 1.0) {
                    return Err(self.err(
                        loc(p),
                        ctx(&format!("rework probability is {}", p.value)),
                        "it must be at least 0 and below 1 (1 would send every item back forever); \
                         %C&A of 70% is probability 0.3",
                    ));
                }
                let to = match &r.value.to {
                    None => index,
                    Some(t) => {
                        let j = names.iter().position(|n| *n == t.value).ok_or_else(|| {
                            self.unknown_stage(loc(t), &t.value, names, &ctx("rework.to"))
                        })?;
                        if j > index {
                            return Err(self.err(
                                loc(t),
                                ctx(&format!("rework goes forward to `{}`", t.value)),
                                "rework sends items back to this stage or an earlier one",
                            ));
                        }
                        j
                    }
                };
                let effort = match &r.value.effort {
                    None => 1.0,
                    Some(e) if e.value.is_finite() && e.value > 0.0 => e.value,
                    Some(e) => {
                        return Err(self.err(
                            loc(e),
                            ctx(&format!("rework effort is {}", e.value)),
                            "effort multiplies the work on the way round again; it must be greater than 0 (0.5 = half)",
                        ));
                    }
                };
                Some(Rework {
                    probability: p.value,
                    to,
                    effort,
                })
            }
        };

        let handoff = match &s.handoff_batch {
            None => None,
            Some(h) => Some(self.handoff(h, unit, &ctx("handoff_batch"))?),
        };
        let process = match &s.process_batch {
            None => None,
            Some(p) => {
                let max = self.count(&p.value.max, &ctx("process_batch.max"))?;
                let min = match &p.value.min {
                    None => 1,
                    Some(m) => self.count(m, &ctx("process_batch.min"))?,
                };
                if min > max {
                    return Err(self.err(
                        loc(p),
                        ctx(&format!("process_batch min ({min}) is above max ({max})")),
                        "min is the fewest items a batch starts with; it cannot exceed max",
                    ));
                }
                match capacity {
                    Capacity::Workers(_) => {}
                    Capacity::Unlimited => {
                        return Err(self.err(
                            loc(p),
                            ctx("has a process_batch but unlimited workers"),
                            "a process batch needs a number of workers (e.g. `workers: 1` for one test environment)",
                        ));
                    }
                    Capacity::Schedule(_) => {
                        return Err(self.err(
                            loc(p),
                            ctx("has a process_batch and a schedule"),
                            "a schedule already takes waiting items together; use schedule.capacity to cap it",
                        ));
                    }
                }
                Some(ProcessBatch { min, max })
            }
        };
        let wip_limit = match &s.wip_limit {
            None => None,
            Some(w) => {
                let n = self.count(w, &ctx("wip_limit"))?;
                if let Some(h) = &handoff
                    && n < h.size
                {
                    return Err(self.err(
                        loc(w),
                        ctx(&format!("wip_limit {n} is below its handoff_batch of {}", h.size)),
                        "the limit counts the outbox too, so it could never fill the batch; raise wip_limit to at least the batch size",
                    ));
                }
                if let Some(p) = &process
                    && n < p.min
                {
                    return Err(self.err(
                        loc(w),
                        ctx(&format!("wip_limit {n} is below its process_batch min of {}", p.min)),
                        "the queue could never hold enough items to start a batch; raise wip_limit or lower min",
                    ));
                }
                Some(n)
            }
        };
        Ok(Stage {
            key: name_key(&name),
            name,
            capacity,
            work,
            wait,
            rework,
            handoff,
            process,
            wip_limit,
            skip,
        })
    }

    fn handoff(
        &self,
        h: &Spanned<RawValue>,
        unit: TimeUnit,
        ctx: &str,
    ) -> Result<HandoffBatch, ScenarioError> {
        let bad = || {
            self.err(
                loc(h),
                format!("{ctx} is {}", h.value.show()),
                "write a whole number of items (e.g. `handoff_batch: 5`) or `{size: 5, max_wait: 3d}`",
            )
        };
        let size_of = |v: &RawValue| match v {
            RawValue::Num(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= 1e9 => Ok(*n as u32),
            _ => Err(bad()),
        };
        match &h.value {
            RawValue::Num(_) => Ok(HandoffBatch {
                size: size_of(&h.value)?,
                max_wait: None,
            }),
            RawValue::Map(m) => {
                let mut size = None;
                let mut max_wait = None;
                for (k, v) in m {
                    match k.as_str() {
                        "size" => size = Some(size_of(v)?),
                        "max_wait" => {
                            let w = self.duration_value(v, unit, ctx, loc(h))?;
                            if w <= 0.0 {
                                return Err(self.err(
                                    loc(h),
                                    format!("{ctx}.max_wait must be longer than 0"),
                                    "",
                                ));
                            }
                            max_wait = Some(w);
                        }
                        other => {
                            let hint = nearest(other, ["size", "max_wait"])
                                .map(|n| format!("did you mean `{n}`? "))
                                .unwrap_or_default();
                            return Err(self.err(
                                loc(h),
                                format!("{ctx}: unknown key `{other}`"),
                                format!("{hint}valid keys here: size, max_wait"),
                            ));
                        }
                    }
                }
                let size = size.ok_or_else(|| {
                    self.err(loc(h), format!("{ctx} has no size"), "add `size: N`")
                })?;
                Ok(HandoffBatch { size, max_wait })
            }
            _ => Err(bad()),
        }
    }

    fn duration(
        &self,
        v: &Spanned<RawValue>,
        unit: TimeUnit,
        ctx: &str,
    ) -> Result<f64, ScenarioError> {
        let d = self.duration_value(&v.value, unit, ctx, loc(v))?;
        if d < 0.0 {
            return Err(self.err(
                loc(v),
                format!("{ctx} is negative"),
                "durations cannot be negative",
            ));
        }
        Ok(d)
    }

    fn duration_value(
        &self,
        v: &RawValue,
        unit: TimeUnit,
        ctx: &str,
        at: Loc,
    ) -> Result<f64, ScenarioError> {
        match v {
            RawValue::Num(n) if n.is_finite() => Ok(*n),
            RawValue::Str(t) => parse_duration(t, unit).map_err(|m| self.err(at, format!("{ctx}: {m}"), "")),
            other => Err(self.err(
                at,
                format!("{ctx} is {}, not a duration", other.show()),
                "write a number (in the scenario's time_unit) or a duration such as 90m, 4h, 3d or 2w",
            )),
        }
    }

    fn work(
        &self,
        w: &Spanned<RawValue>,
        types: &[ItemType],
        skip: &[bool],
        unit: TimeUnit,
        stage: &str,
    ) -> Result<Vec<Dist>, ScenarioError> {
        let is_per_type =
            matches!(&w.value, RawValue::Map(m) if !m.iter().any(|(k, _)| k == "dist"));
        if !is_per_type {
            let d = self.dist(w, unit, &format!("stage `{stage}`: work"))?;
            return Ok(vec![d; types.len()]);
        }
        let RawValue::Map(m) = &w.value else {
            unreachable!("is_per_type implies a map")
        };
        let type_names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        let mut out: Vec<Option<Dist>> = vec![None; types.len()];
        for (k, v) in m {
            let Some(t) = types.iter().position(|x| x.name == *k) else {
                let known = DIST_KEYS.contains(&k.as_str());
                return Err(if known {
                    self.err(
                        loc(w),
                        format!("stage `{stage}`: work has `{k}` but no `dist`"),
                        "name the distribution, e.g. `{dist: exponential, mean: 2}`",
                    )
                } else {
                    let hint = nearest(k, type_names.iter().copied())
                        .map(|n| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    self.err(
                        loc(w),
                        format!("stage `{stage}`: work names an item type `{k}` that is not in arrivals.mix"),
                        format!("{hint}item types are: {}", type_names.join(", ")),
                    )
                });
            };
            let sp = Spanned::new(v.clone(), w.referenced, w.defined);
            out[t] = Some(self.dist(&sp, unit, &format!("stage `{stage}`: work for `{k}`"))?);
        }
        out.into_iter()
            .enumerate()
            .map(|(t, d)| {
                if skip[t] {
                    // Never drawn: the type passes this stage by.
                    return Ok(d.unwrap_or(Dist::constant(0.0)));
                }
                d.ok_or_else(|| {
                    self.err(
                        loc(w),
                        format!("stage `{stage}`: work has no entry for item type `{}`", types[t].name),
                        format!(
                            "add `{}: …` to work, or `skip: [{}]` if that type passes this stage by",
                            types[t].name, types[t].name
                        ),
                    )
                })
            })
            .collect()
    }

    /// Interprets a distribution: a number or duration (constant), or `{dist: …}`.
    fn dist(
        &self,
        v: &Spanned<RawValue>,
        unit: TimeUnit,
        ctx: &str,
    ) -> Result<Dist, ScenarioError> {
        let at = loc(v);
        let spec = match &v.value {
            RawValue::Num(_) | RawValue::Str(_) => {
                DistSpec::Constant(self.duration_value(&v.value, unit, ctx, at)?)
            }
            RawValue::Map(m) => self.dist_map(m, unit, ctx, at)?,
            other => {
                return Err(self.err(
                    at,
                    format!("{ctx} is {}, not a duration or distribution", other.show()),
                    "write a duration (e.g. 4h) or a distribution (e.g. `{dist: lognormal, mean: 3, cv: 0.8}`)",
                ));
            }
        };
        Dist::new(&spec).map_err(|m| self.err(at, format!("{ctx}: {m}"), ""))
    }

    fn dist_map(
        &self,
        m: &[(String, RawValue)],
        unit: TimeUnit,
        ctx: &str,
        at: Loc,
    ) -> Result<DistSpec, ScenarioError> {
        let kind = match m.iter().find(|(k, _)| k == "dist") {
            Some((_, RawValue::Str(s))) => s.trim().to_ascii_lowercase(),
            Some((_, other)) => {
                return Err(self.err(
                    at,
                    format!("{ctx}: dist is {}, not a name", other.show()),
                    DIST_HELP,
                ));
            }
            None => return Err(self.err(at, format!("{ctx} has no `dist`"), DIST_HELP)),
        };
        let allowed: &[&str] = match kind.as_str() {
            "constant" => &["value"],
            "exponential" => &["mean"],
            "uniform" => &["min", "max"],
            "triangular" | "pert" => &["min", "mode", "max"],
            "lognormal" => &["mean", "cv", "p50", "p90"],
            "gamma" => &["mean", "cv"],
            "weibull" => &["shape", "scale"],
            "empirical" => &["samples"],
            other => {
                let hint = nearest(other, DIST_NAMES)
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                return Err(self.err(
                    at,
                    format!("{ctx}: unknown distribution `{other}`"),
                    format!("{hint}{DIST_HELP}"),
                ));
            }
        };
        for (k, _) in m {
            if k != "dist" && !allowed.contains(&k.as_str()) {
                let hint = nearest(k, allowed.iter().copied())
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                return Err(self.err(
                    at,
                    format!("{ctx}: {kind} has no parameter `{k}`"),
                    format!("{hint}{kind} takes {}", allowed.join(", ")),
                ));
            }
        }
        // Shape parameters (cv, shape) are plain numbers; the rest are durations.
        let get = |name: &str| -> Result<Option<f64>, ScenarioError> {
            match m.iter().find(|(k, _)| k == name) {
                None => Ok(None),
                Some((_, v)) if name == "cv" || name == "shape" => match v {
                    RawValue::Num(n) => Ok(Some(*n)),
                    other => Err(self.err(
                        at,
                        format!("{ctx}: {name} is {}, not a number", other.show()),
                        "",
                    )),
                },
                Some((_, v)) => self
                    .duration_value(v, unit, &format!("{ctx}: {name}"), at)
                    .map(Some),
            }
        };
        let need = |name: &str| -> Result<f64, ScenarioError> {
            get(name)?.ok_or_else(|| {
                self.err(
                    at,
                    format!("{ctx}: {kind} needs `{name}`"),
                    format!("{kind} takes {}", allowed.join(", ")),
                )
            })
        };
        Ok(match kind.as_str() {
            "constant" => DistSpec::Constant(need("value")?),
            "exponential" => DistSpec::Exponential(need("mean")?),
            "uniform" => DistSpec::Uniform(need("min")?, need("max")?),
            "triangular" => DistSpec::Triangular(need("min")?, need("mode")?, need("max")?),
            "pert" => DistSpec::Pert(need("min")?, need("mode")?, need("max")?),
            "lognormal" => match (get("mean")?, get("cv")?, get("p50")?, get("p90")?) {
                (Some(mean), Some(cv), None, None) => DistSpec::LogNormalMeanCv(mean, cv),
                (None, None, Some(p50), Some(p90)) => DistSpec::LogNormalP50P90(p50, p90),
                _ => {
                    return Err(self.err(
                        at,
                        format!("{ctx}: lognormal needs either `mean` and `cv`, or `p50` and `p90`"),
                        "e.g. `{dist: lognormal, mean: 3, cv: 0.8}` or `{dist: lognormal, p50: 3d, p90: 8d}`",
                    ));
                }
            },
            "gamma" => DistSpec::Gamma(need("mean")?, need("cv")?),
            "weibull" => DistSpec::Weibull(need("shape")?, need("scale")?),
            "empirical" => {
                let samples = match m.iter().find(|(k, _)| k == "samples") {
                    Some((_, RawValue::Seq(items))) => items
                        .iter()
                        .map(|x| self.duration_value(x, unit, &format!("{ctx}: samples"), at))
                        .collect::<Result<Vec<f64>, _>>()?,
                    Some((_, other)) => {
                        return Err(self.err(
                            at,
                            format!("{ctx}: samples is {}, not a list", other.show()),
                            "e.g. `samples: [2, 3, 3, 5, 8]`",
                        ));
                    }
                    None => {
                        return Err(self.err(
                            at,
                            format!("{ctx}: empirical needs `samples`"),
                            "e.g. `samples: [2, 3, 3, 5, 8]`",
                        ));
                    }
                };
                DistSpec::Empirical(samples)
            }
            _ => unreachable!("distribution names were checked above"),
        })
    }
}

const DIST_NAMES: [&str; 9] = [
    "constant",
    "exponential",
    "uniform",
    "triangular",
    "pert",
    "lognormal",
    "gamma",
    "weibull",
    "empirical",
];
const DIST_KEYS: [&str; 13] = [
    "value", "mean", "min", "max", "mode", "cv", "p50", "p90", "shape", "scale", "samples", "dist",
    "mode",
];
const DIST_HELP: &str = "distributions are constant, exponential, uniform, triangular, pert, lognormal, gamma, weibull, empirical \
     (e.g. `{dist: triangular, min: 1d, mode: 2d, max: 5d}`)";
