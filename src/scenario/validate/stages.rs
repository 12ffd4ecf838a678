//! `stages`: each stage (capacity, schedule, work, wait, rework, batches,
//! blocked work, WIP limit), then the stream's WIP limit and commitment point.

use serde_saphyr::Spanned;

use super::split::SplitAt;
use super::{Builder, Scales, loc};
use crate::error::{ScenarioError, nearest};
use crate::model::calendar::Calendar;
use crate::model::dist::Dist;
use crate::model::keys::name_key;
use crate::model::{
    Capacity, HandoffBatch, ItemType, MIN_PERIOD_SECS, Pool, ProcessBatch, QueuePolicy, Rework,
    Schedule, Stage, TimeUnit, Timescale, held_by_partial_batches,
};
use crate::scenario::raw::{
    RawProcessBatch, RawRework, RawScenario, RawSchedule, RawStage, RawValue,
};

/// The most stages a stream may have.
const MAX_STAGES: usize = 1000;

/// Names a field of one stage in messages: "stage `review`: wip_limit".
type Ctx<'c> = &'c dyn Fn(&str) -> String;

impl Builder<'_> {
    /// The stages, in flow order, with unique names.
    pub(super) fn stages(
        &self,
        raw: &Spanned<Vec<RawStage>>,
        types: &[ItemType],
        pools: &[Pool],
        scales: &Scales,
        queue: QueuePolicy,
        split_at: Option<SplitAt>,
    ) -> Result<Vec<Stage>, ScenarioError> {
        if raw.value.is_empty() {
            return Err(self.err(
                loc(raw),
                "the stream has no stages",
                "list at least one stage, e.g. `stages: [{name: develop, work: 2}]`",
            ));
        }
        if raw.value.len() > MAX_STAGES {
            return Err(self.err(
                loc(raw),
                format!(
                    "{} stages is more than the {MAX_STAGES} flowcast supports",
                    raw.value.len()
                ),
                "a value stream map has a handful to a few dozen stages; merge steps that \
                 the same people do one after the other into one stage",
            ));
        }
        let names: Vec<&str> = raw.value.iter().map(|s| s.name.value.as_str()).collect();
        for (i, s) in raw.value.iter().enumerate() {
            if s.name.value.trim().is_empty() {
                return Err(self.err(
                    loc(&s.name),
                    "a stage name is empty",
                    "give every stage a name",
                ));
            }
            if let Some(j) = names[..i].iter().position(|n| *n == s.name.value) {
                let first = (self.place)(loc(&raw.value[j].name))
                    .map(|l| format!(" (the first is on line {})", l.line))
                    .unwrap_or_default();
                return Err(self.err(
                    loc(&s.name),
                    format!("two stages are named `{}`{first}", s.name.value),
                    "stage names must be unique; rename one",
                ));
            }
        }
        let mut stages = Vec::with_capacity(raw.value.len());
        for (i, s) in raw.value.iter().enumerate() {
            let mut stage = self.stage(s, i, &names, types, pools, scales, split_at.as_ref())?;
            stage.queue = match &s.queue {
                None => queue,
                Some(q) => self.queue_policy(q, &format!("stage `{}`: queue", stage.name))?,
            };
            stages.push(stage);
        }
        Ok(stages)
    }

    /// The stream's WIP limit and commitment stage.
    pub(super) fn stream_limits(
        &self,
        raw: &RawScenario,
        stages: &[Stage],
    ) -> Result<(Option<u32>, Option<usize>), ScenarioError> {
        let names: Vec<&str> = raw
            .stages
            .value
            .iter()
            .map(|s| s.name.value.as_str())
            .collect();
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
            let held = held_by_partial_batches(stages);
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
        Ok((wip_limit, commitment))
    }

    #[allow(clippy::too_many_arguments)]
    fn stage(
        &self,
        s: &RawStage,
        index: usize,
        names: &[&str],
        types: &[ItemType],
        pools: &[Pool],
        scales: &Scales,
        split_at: Option<&SplitAt>,
    ) -> Result<Stage, ScenarioError> {
        let elapsed = &scales.elapsed;
        let name = s.name.value.clone();
        let ctx = |field: &str| format!("stage `{name}`: {field}");

        let capacity = self.capacity(s, elapsed, pools, &ctx)?;
        let mut skip = self.skip(s, types, &ctx)?;
        // A type made only by the split passes by the stages up to it, and
        // items that split into another type pass by the stages after it.
        if let Some(at) = split_at {
            if let Some(c) = at.child_only
                && index <= at.stage
            {
                skip[c] = true;
            }
            if index > at.stage {
                at.parent_only.iter().for_each(|&t| skip[t] = true);
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
            Some(w) => self.work(w, types, &skip, &scales.work, &name)?,
        };
        let wait = match &s.wait {
            None => None,
            Some(w) => Some(self.dist(w, elapsed, &ctx("wait"))?),
        };

        let rework = match &s.rework {
            None => None,
            Some(r) => Some(self.rework(r, index, names, &ctx)?),
        };

        let handoff = match &s.handoff_batch {
            None => None,
            Some(h) => Some(self.handoff(h, elapsed, &ctx("handoff_batch"))?),
        };
        let process = match &s.process_batch {
            None => None,
            Some(p) => Some(self.process_batch(p, &capacity, &ctx)?),
        };
        let blocked = match &s.blocked {
            None => None,
            Some(b) => Some(self.blocked(b, &capacity, process.as_ref(), scales, &ctx)?),
        };
        let wip_limit = match &s.wip_limit {
            None => None,
            Some(w) => Some(self.stage_wip_limit(w, handoff.as_ref(), process.as_ref(), &ctx)?),
        };
        let split = match (&s.split, split_at) {
            (Some(sp), Some(at)) => Some(self.split(sp, types, at, scales, &ctx)?),
            _ => None,
        };
        Ok(Stage {
            key: name_key(&name),
            name,
            capacity,
            work,
            wait,
            rework,
            blocked,
            handoff,
            process,
            wip_limit,
            skip,
            queue: QueuePolicy::Fifo,
            split,
        })
    }

    /// Who works at the stage: workers, unlimited, or a schedule.
    fn capacity(
        &self,
        s: &RawStage,
        unit: &Timescale,
        pools: &[Pool],
        ctx: Ctx,
    ) -> Result<Capacity, ScenarioError> {
        Ok(match (&s.schedule, &s.workers) {
            (Some(_), Some(w)) => {
                return Err(self.err(
                    loc(w),
                    ctx("has both a schedule and workers"),
                    "a scheduled stage works only at its instants and needs no workers; remove `workers`",
                ));
            }
            (Some(sc), None) => self.schedule(sc, unit, ctx)?,
            (None, None) => Capacity::Workers(1),
            (None, Some(w)) => self.workers(w, pools, ctx)?,
        })
    }

    fn workers(
        &self,
        w: &Spanned<RawValue>,
        pools: &[Pool],
        ctx: Ctx,
    ) -> Result<Capacity, ScenarioError> {
        Ok(match &w.value {
            RawValue::Num(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= f64::from(u32::MAX) => {
                Capacity::Workers(*n as u32)
            }
            RawValue::Str(t) if t.trim() == "unlimited" => Capacity::Unlimited,
            RawValue::Str(t) => match pools.iter().position(|p| p.name == *t) {
                Some(p) => Capacity::Pool(p),
                None => return Err(self.unknown_pool(w, t, pools, ctx)),
            },
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
        })
    }

    fn schedule(
        &self,
        sc: &Spanned<RawSchedule>,
        unit: &Timescale,
        ctx: Ctx,
    ) -> Result<Capacity, ScenarioError> {
        let v = &sc.value;
        let capacity = match &v.capacity {
            None => None,
            Some(c) => Some(self.count(c, &ctx("schedule.capacity"))?),
        };
        Ok(match (&v.every, &v.on) {
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
            (Some(e), None) => self.every(v, e, capacity, unit, ctx)?,
            (None, Some(on)) => self.weekly(v, on, capacity, unit, ctx)?,
        })
    }

    /// A schedule at a fixed interval: `every`, optionally `first`.
    fn every(
        &self,
        v: &RawSchedule,
        e: &Spanned<RawValue>,
        capacity: Option<u32>,
        unit: &Timescale,
        ctx: Ctx,
    ) -> Result<Capacity, ScenarioError> {
        let every = self.duration(e, unit, &ctx("schedule.every"))?;
        let shortest = unit.from_seconds(MIN_PERIOD_SECS);
        if every < shortest {
            return Err(self.err(
                loc(e),
                ctx(&format!(
                    "schedule.every is {}; a schedule period must be at least one second ({} {})",
                    e.value.show(),
                    super::show_number(shortest),
                    unit.unit.name()
                )),
                "give the time between two instants, e.g. `every: 1w` for a weekly board or `every: 1d` for a daily release",
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
        Ok(Capacity::Schedule(Schedule {
            every,
            first,
            capacity,
            weekly: None,
        }))
    }

    /// A schedule on weekdays: `on`, optionally `at`.
    fn weekly(
        &self,
        v: &RawSchedule,
        on: &Spanned<Vec<String>>,
        capacity: Option<u32>,
        unit: &Timescale,
        ctx: Ctx,
    ) -> Result<Capacity, ScenarioError> {
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
        Ok(Capacity::Schedule(Schedule {
            every: unit.convert(1.0, TimeUnit::Weeks) / days.len() as f64,
            first: 0.0,
            capacity,
            weekly: Some((days, at)),
        }))
    }

    /// Per item type: whether it passes the stage by.
    fn skip(&self, s: &RawStage, types: &[ItemType], ctx: Ctx) -> Result<Vec<bool>, ScenarioError> {
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
        Ok(skip)
    }

    fn rework(
        &self,
        r: &Spanned<RawRework>,
        index: usize,
        names: &[&str],
        ctx: Ctx,
    ) -> Result<Rework, ScenarioError> {
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
        Ok(Rework {
            probability: p.value,
            to,
            effort,
        })
    }

    fn process_batch(
        &self,
        p: &Spanned<RawProcessBatch>,
        capacity: &Capacity,
        ctx: Ctx,
    ) -> Result<ProcessBatch, ScenarioError> {
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
            Capacity::Pool(_) => {
                return Err(self.err(
                    loc(p),
                    ctx("has a process_batch and a shared pool"),
                    "process batches are not yet supported on stages served by a pool; give the stage its own \
                     workers (e.g. `workers: 1` for one test environment)",
                ));
            }
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
        Ok(ProcessBatch { min, max })
    }

    /// The stage's own WIP limit, which must leave room for its batches.
    fn stage_wip_limit(
        &self,
        w: &Spanned<u64>,
        handoff: Option<&HandoffBatch>,
        process: Option<&ProcessBatch>,
        ctx: Ctx,
    ) -> Result<u32, ScenarioError> {
        let n = self.count(w, &ctx("wip_limit"))?;
        if let Some(h) = handoff
            && n < h.size
        {
            return Err(self.err(
                        loc(w),
                        ctx(&format!("wip_limit {n} is below its handoff_batch of {}", h.size)),
                        "the limit counts the outbox too, so it could never fill the batch; raise wip_limit to at least the batch size",
                    ));
        }
        if let Some(p) = process
            && n < p.min
        {
            return Err(self.err(
                        loc(w),
                        ctx(&format!("wip_limit {n} is below its process_batch min of {}", p.min)),
                        "the queue could never hold enough items to start a batch; raise wip_limit or lower min",
                    ));
        }
        if let (Some(h), Some(p)) = (handoff, process)
            && h.max_wait.is_none()
            && n < p.min + h.size - 1
        {
            // The outbox may hold size − 1 items waiting for a partner while the queue
            // waits for min: with fewer places than both, the stage stops for good.
            return Err(self.err(
                loc(w),
                ctx(&format!(
                    "wip_limit {n} can stop the stage: its outbox may hold {} waiting for a full handoff batch while its queue needs {} to start a process batch",
                    if h.size == 2 { "1 item".to_string() } else { format!("{} items", h.size - 1) },
                    p.min
                )),
                format!(
                    "raise wip_limit to at least {} (process_batch min + handoff_batch − 1), or give the handoff batch a max_wait",
                    p.min + h.size - 1
                ),
            ));
        }
        Ok(n)
    }

    fn handoff(
        &self,
        h: &Spanned<RawValue>,
        unit: &Timescale,
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
}
