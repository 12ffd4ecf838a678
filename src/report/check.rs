//! The `check` listing: the model read back, with each stage's expected load.

use super::{Table, num, pct, singular, times};
use crate::describe;
use crate::model::{Arrivals, Capacity, Model, QueuePolicy, Stage, StageLoad};
use crate::stats::fmt_sig;

/// The `check` listing: the model read back, with expected loads per stage.
pub fn check(model: &Model) -> String {
    let unit = model.time_unit.name();
    let mut out = check_heading(model);
    let loads = model.loads();
    let mut t = Table::new(&[
        "stage",
        "workers",
        "work per visit",
        "visits",
        "policies",
        if model.is_backlog() {
            "drain time"
        } else {
            "load"
        },
    ]);
    for (i, (s, l)) in model.stages.iter().zip(&loads).enumerate() {
        t.row(vec![
            s.name.clone(),
            check_workers(model, &s.capacity, unit),
            check_work(model, i, s),
            fmt_sig(l.visits, 3),
            check_policies(model, i, s).join("; "),
            check_load(model, l),
        ]);
    }
    out.push('\n');
    out.push_str(&t.render("  "));
    out.push_str(&check_pools(model, &loads));
    if model.stages.iter().any(|s| s.process.is_some()) && !model.is_backlog() {
        out.push_str(
            "\nA process-batch stage's load assumes full batches (work ÷ batch max); its people are busier \
             when batches run part-full.",
        );
    }
    out.push_str(if model.is_backlog() {
        "\ndrain time = items × work per item ÷ workers: how long each stage alone needs for the whole \
         backlog; the longest sets the pace.\n"
    } else {
        "\nload = arrivals × work per item ÷ capacity; above 100% the queue grows without bound.\n"
    });
    if model
        .stages
        .iter()
        .any(|s| s.blocked.as_ref().is_some_and(|b| b.holds_worker))
    {
        out.push_str(
            "A block that holds the worker counts in the load as work does: the worker can do nothing else meanwhile.\n",
        );
    }
    out.push_str(&format!(
        "Simulation: {} runs, {}.\n",
        model.simulation.runs,
        if model.is_backlog() {
            "each until the backlog is done".to_string()
        } else {
            format!(
                "{} deliveries each, first {} left out",
                model.simulation.items, model.simulation.warmup
            )
        }
    ));
    out
}

/// The stream's name, arrivals, item mix, WIP limit, day 1 and working calendar.
fn check_heading(model: &Model) -> String {
    let unit = model.time_unit.name();
    let mut out = String::new();
    out.push_str(&format!("{} — times in {unit}\n", model.name));
    match &model.arrivals {
        Arrivals::Rate(r) => out.push_str(&format!(
            "Arrivals: {} items per {} (Poisson)\n",
            num(*r),
            singular(unit)
        )),
        Arrivals::Interval(d) => out.push_str(&format!(
            "Arrivals: one every {} {unit} on average ({})\n",
            num(d.mean()),
            describe::dist(d)
        )),
        Arrivals::Backlog(n) => out.push_str(&format!("Backlog: {n} items waiting at the start\n")),
    }
    if model.arriving_types().count() > 1 {
        let parts: Vec<String> = model
            .arriving_types()
            .map(|t| format!("{} {}", t.name, pct(t.share)))
            .collect();
        out.push_str(&format!("Item mix: {}\n", parts.join(", ")));
    }
    if !model.classes.is_empty() {
        let parts: Vec<String> = model
            .classes
            .iter()
            .map(|c| describe::class(model, c))
            .collect();
        out.push_str(&format!(
            "Classes of service, most urgent first: {}\n",
            parts.join(", ")
        ));
    }
    if let Some(k) = model.split_stage() {
        let sp = model.stages[k]
            .split
            .as_ref()
            .expect("the split stage splits");
        let children = sp
            .child_type
            .map_or("parts of the same type".to_string(), |c| {
                describe::plural(&model.types[c].name)
            });
        out.push_str(&format!(
            "Split at {}: into {children}, each an item of its own from there on; an item that splits \
             is delivered when its last part is\n",
            model.stages[k].name
        ));
    }
    if let Some(w) = model.wip_limit {
        out.push_str(&format!("Stream WIP limit: {w} items\n"));
    }
    if let Some(start) = model.start {
        out.push_str(&format!(
            "Day 1: {}\n",
            if start.time() == jiff::civil::Time::midnight() {
                start.strftime("%a %-d %b %Y").to_string()
            } else {
                start.strftime("%a %-d %b %Y, %H:%M").to_string()
            }
        ));
    }
    if let Some(c) = &model.calendar {
        out.push_str(&format!(
            "Working calendar: {}; work is in working time ({unit} of {} h), waits and lead times in elapsed time\n",
            describe::calendar(c),
            c.hours_per_day()
        ));
    }
    out
}

/// A stage's capacity: workers, unlimited, or when its schedule runs.
fn check_workers(model: &Model, c: &Capacity, unit: &str) -> String {
    match c {
        Capacity::Workers(n) => n.to_string(),
        Capacity::Pool(p) => describe::pool(model, *p),
        Capacity::Unlimited => "unlimited".into(),
        Capacity::Schedule(sc) if sc.weekly.is_some() => describe::schedule(sc, unit),
        Capacity::Schedule(sc) => {
            format!("{}, first {}", describe::schedule(sc, unit), num(sc.first))
        }
    }
}

/// A stage's work per visit: one distribution, or the mean per item type when
/// the types differ.
fn check_work(model: &Model, i: usize, s: &Stage) -> String {
    // The types a split keeps away from this stage do no work here.
    let visiting: Vec<(&str, &crate::model::dist::Dist)> = model
        .types
        .iter()
        .zip(&s.work)
        .enumerate()
        .filter(|(t, _)| !model.passes_by_split(i, *t))
        .map(|(_, (ty, d))| (ty.name.as_str(), d))
        .collect();
    if visiting.is_empty()
        || visiting
            .windows(2)
            .all(|w| describe::dist(w[0].1) == describe::dist(w[1].1))
    {
        describe::dist(visiting.first().map_or(&s.work[0], |v| v.1))
    } else {
        visiting
            .iter()
            .map(|(t, d)| format!("{t}: {}", num(d.mean())))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A stage's policies: wait, rework, blocked work, batches, WIP limit, queue policy, split, skipping types.
fn check_policies(model: &Model, i: usize, s: &Stage) -> Vec<String> {
    let mut pol = Vec::new();
    if let Some(w) = &s.wait {
        pol.push(format!("wait {}", num(w.mean())));
    }
    if let Some(r) = &s.rework {
        pol.push(format!(
            "%C&A {} (rework to {})",
            pct(1.0 - r.probability),
            model.stages[r.to].name
        ));
    }
    if let Some(b) = &s.blocked {
        pol.push(describe::blocking(b));
    }
    if let Some(h) = &s.handoff {
        pol.push(format!(
            "handoff batch {}{}",
            h.size,
            h.max_wait
                .map_or(String::new(), |m| format!(" (max wait {})", num(m)))
        ));
    }
    if let Some(p) = &s.process {
        pol.push(format!("process batch {}–{}", p.min, p.max));
    }
    if let Some(w) = s.wip_limit {
        pol.push(format!("WIP limit {w}"));
    }
    if s.queue != QueuePolicy::Fifo {
        pol.push(format!("queue {}", s.queue.name()));
    }
    if let Some(sp) = &s.split {
        let of: Vec<&str> = model
            .types
            .iter()
            .zip(&sp.types)
            .filter(|(_, k)| **k)
            .map(|(t, _)| t.name.as_str())
            .collect();
        let into = if sp.into.is_constant() {
            format!("{}", sp.mean_parts.round())
        } else {
            format!("{} (mean {})", describe::dist(&sp.into), num(sp.mean_parts))
        };
        let parts = match sp.child_type {
            Some(c) => describe::plural(&model.types[c].name),
            None => "parts".into(),
        };
        let whose = if of.len() == model.types.iter().filter(|t| t.share > 0.0).count() {
            String::new()
        } else {
            format!(" ({} only)", of.join(", "))
        };
        pol.push(format!("split into {into} {parts}{whose}"));
    }
    let skipped: Vec<&str> = model
        .types
        .iter()
        .zip(&s.skip)
        .enumerate()
        .filter(|(t, (_, k))| **k && !model.passes_by_split(i, *t))
        .map(|(_, (t, _))| t.name.as_str())
        .collect();
    if !skipped.is_empty() {
        pol.push(format!("skipped by {}", skipped.join(", ")));
    }
    pol
}

/// A stage's drain time (backlogs) or offered load, flagged when overloaded.
fn check_load(model: &Model, l: &StageLoad) -> String {
    let unit = model.time_unit.name();
    if model.is_backlog() {
        let working = if model.calendar.is_some() {
            "working "
        } else {
            ""
        };
        l.drain_time
            .map_or("–".into(), |d| format!("{} {working}{unit}", num(d)))
    } else {
        match l.load {
            Some(x) if x >= 10.0 => format!("{} OVERLOADED", times(x)),
            Some(x) if x > 1.0 => format!("{} OVERLOADED", pct(x)),
            Some(x) => pct(x),
            None => "–".into(),
        }
    }
}

/// One line per shared pool: who it serves and its load, the sum of its stages'.
fn check_pools(model: &Model, loads: &[StageLoad]) -> String {
    let mut out = String::new();
    for (p, (pool, l)) in model
        .pools
        .iter()
        .zip(model.pool_loads_from(loads))
        .enumerate()
    {
        let stages: Vec<&str> = model
            .pool_stages(p)
            .map(|i| model.stages[i].name.as_str())
            .collect();
        let load = StageLoad {
            visits: 1.0,
            work_per_item: l.work_per_item,
            load: l.load,
            drain_time: l.drain_time,
        };
        let what = if model.is_backlog() {
            "drain time"
        } else {
            "load"
        };
        out.push_str(&format!(
            "  pool `{}`: {} {} serve {} — {what} {} (the sum of its stages')\n",
            pool.name,
            pool.workers,
            if pool.workers == 1 {
                "person"
            } else {
                "people"
            },
            if stages.is_empty() {
                "no stage".to_string()
            } else {
                stages.join(", ")
            },
            check_load(model, &load)
        ));
    }
    out
}
