//! Validation: a [`RawScenario`] becomes a [`Model`], or a located error that
//! says how to fix it. Nothing downstream re-checks the model.
//!
//! One function per section of the file, called in file order, so the first
//! error a user sees is the first one in the file: `arrivals` (rate,
//! interval, backlog, mix), `pools` (the shared pools of `resources`),
//! `classes` (classes of service and queue policies), `split` (the stage that
//! splits items, and the children's type), `stages` (each stage, the stream's
//! WIP limit and commitment point; `blocked` for a stage's blocked work),
//! `calendar` (time unit, start, working calendar),
//! `simulation` (runs, items, warm-up), `economics` (cost of delay), and
//! `dist` (durations and distributions, used by all of them).

mod arrivals;
mod blocked;
mod calendar;
mod classes;
mod dist;
mod economics;
mod pools;
mod simulation;
mod split;
mod stages;

use serde_saphyr::Spanned;

use crate::error::{Loc, ScenarioError, Source, nearest};
use crate::model::{Model, QueuePolicy, Timescale};
use crate::scenario::raw::RawScenario;

/// Validates a parsed scenario.
pub fn model(raw: &RawScenario, src: &Source) -> Result<Model, ScenarioError> {
    Builder {
        src,
        place: &|l| Some(l),
    }
    .build(raw)
}

/// Validates a scenario whose text was written from a tree (an intervention
/// applied to the baseline): `place` maps a place in that text back to where
/// the value was written in the file (`None`: not in the file), for messages
/// that mention a second place.
pub fn model_written_from(
    raw: &RawScenario,
    src: &Source,
    place: &dyn Fn(Loc) -> Option<Loc>,
) -> Result<Model, ScenarioError> {
    Builder { src, place }.build(raw)
}

struct Builder<'a> {
    src: &'a Source,
    /// Where a place in `src` was written, for second places named in messages.
    place: &'a dyn Fn(Loc) -> Option<Loc>,
}

/// How the scenario's durations are read: `elapsed` for waits, intervals,
/// schedules and `max_wait`; `work` for work, which is working time under a
/// calendar (SPEC §2.6) and elapsed time otherwise.
#[derive(Debug, Clone, Copy)]
struct Scales {
    elapsed: Timescale,
    work: Timescale,
}

/// A number for messages: up to four significant digits, no exponent for
/// everyday sizes ("0.0002778", "87,660,000" is written "87660000").
fn show_number(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return x.to_string();
    }
    if x != 0.0 && (x.abs() >= 1e12 || x.abs() < 1e-6) {
        return format!("{x:.3e}");
    }
    let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
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
        let time_unit = self.time_unit(raw.time_unit.as_ref())?;
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
        let elapsed = Timescale::elapsed(time_unit);
        let scales = Scales {
            elapsed,
            work: calendar
                .as_ref()
                .map_or(elapsed, |c| Timescale::working(time_unit, c)),
        };
        let (arrivals, mut types) = self.arrivals(&raw.arrivals, &elapsed)?;
        let pools = self.pools(raw.resources.as_ref())?;
        let split_at = self.split_at(&raw.stages.value, &mut types)?;
        let (classes, type_class) = self.classes(raw.classes.as_ref(), &types, &elapsed)?;
        let queue = match &raw.queue {
            None => QueuePolicy::Fifo,
            Some(q) => self.queue_policy(q, "queue")?,
        };
        let stages = self.stages(&raw.stages, &types, &pools, &scales, queue, split_at)?;
        let (wip_limit, commitment) = self.stream_limits(raw, &stages)?;
        let simulation = self.simulation(raw.simulation.as_ref())?;
        let economics = match &raw.economics {
            None => None,
            Some(e) => Some(self.economics(e, &types, &classes)?),
        };
        self.check_queues(raw, &stages, &classes, economics.as_ref(), &pools)?;

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
            pools,
            simulation,
            economics,
            classes,
            type_class,
        })
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
                "write a whole number without quotes, e.g. 5",
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
}
