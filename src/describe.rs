//! The model in words: a distribution, a working calendar, a schedule and an
//! overloaded stage as a person reads them ("lognormal, mean 3", "8 h a day from
//! 09:00, Mon–Fri", "Tue, Thu at 10:00", "stage `review` is overloaded: …").
//!
//! The model itself formats no text; these functions are the one place its
//! values become sentences. Both the scenario's error messages and the reports
//! use them, so they live below both. May use `model` and `stats`.

use jiff::civil::Weekday;

use crate::model::calendar::Calendar;
use crate::model::dist::{Dist, DistSpec};
use crate::model::{Blocking, Capacity, Class, Model, Schedule};
use crate::stats::fmt_sig;

/// Three significant digits, as every description shows numbers.
fn n(x: f64) -> String {
    fmt_sig(x, 3)
}

/// A distribution in a few words, e.g. `lognormal, mean 3` or `triangular
/// 1/2/4`; a constant is just its value.
pub fn dist(d: &Dist) -> String {
    // Three-point estimates with min = max and a lognormal with p50 = p90 are
    // sampled as constants, and read as one.
    if d.is_constant() {
        return n(d.mean());
    }
    match d.spec() {
        DistSpec::Constant(v) => n(*v),
        DistSpec::Exponential(mean) => format!("exponential, mean {}", n(*mean)),
        DistSpec::Uniform(min, max) => format!("uniform {}–{}", n(*min), n(*max)),
        DistSpec::Triangular(min, mode, max) => {
            format!("triangular {}/{}/{}", n(*min), n(*mode), n(*max))
        }
        DistSpec::Pert(min, mode, max) => format!("pert {}/{}/{}", n(*min), n(*mode), n(*max)),
        DistSpec::LogNormalMeanCv(..) | DistSpec::LogNormalP50P90(..) => {
            format!("lognormal, mean {}", n(d.mean()))
        }
        DistSpec::Gamma(..) => format!("gamma, mean {}", n(d.mean())),
        DistSpec::Weibull(..) => format!("weibull, mean {}", n(d.mean())),
        DistSpec::Empirical(samples) => {
            format!("{} observed values, mean {}", samples.len(), n(d.mean()))
        }
    }
}

/// A stage's blocked work in a few words: "blocked 30% of visits for
/// lognormal, mean 4.2, worker freed (at a random point of the work)".
pub fn blocking(b: &Blocking) -> String {
    let at = match b.at {
        Some(a) => format!("after {:.0}% of the work", a * 100.0),
        None => "at a random point of the work".to_string(),
    };
    format!(
        "blocked {:.0}% of visits for {}, {at}, worker {}",
        b.probability * 100.0,
        dist(&b.duration),
        if b.holds_worker { "held" } else { "freed" }
    )
}

/// A weekday in three letters, as scenarios write it: `Mon` … `Sun`.
pub fn weekday_short(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    }
}

/// The calendar in a sentence, for reports: "8 h a day from 09:00, Mon–Fri,
/// 4 holidays".
pub fn calendar(c: &Calendar) -> String {
    const WEEK: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];
    let working = c.working_weekdays();
    let days: Vec<&str> = (0..7)
        .filter(|i| working[*i])
        .map(|i| weekday_short(WEEK[i]))
        .collect();
    // A run of consecutive days reads as a range.
    let first = (0..7).find(|i| working[*i]).unwrap_or(0);
    let contiguous = days.len() > 2 && (first..first + days.len()).all(|i| working[i % 7]);
    let days = if contiguous {
        format!("{}–{}", days[0], days[days.len() - 1])
    } else {
        days.join(", ")
    };
    let hours = c.hours_per_day();
    let holidays = match c.holidays().len() {
        0 => String::new(),
        1 => ", 1 holiday".to_string(),
        n => format!(", {n} holidays"),
    };
    format!(
        "{hours} h a day from {}, {days}{holidays}",
        c.day_starts().strftime("%H:%M")
    )
}

/// When a schedule happens, as the user wrote it: "Tue, Thu at 10:00", or
/// "every 3.5 d" (with `unit`, the time unit as the reader should see it).
pub fn schedule(s: &Schedule, unit: &str) -> String {
    let up_to = s.capacity.map_or(String::new(), |c| format!(", up to {c}"));
    match &s.weekly {
        Some((days, at)) => format!(
            "{} at {}{up_to}",
            days.iter()
                .map(|d| weekday_short(*d))
                .collect::<Vec<_>>()
                .join(", "),
            at.strftime("%H:%M")
        ),
        None => format!("every {} {unit}{up_to}", n(s.every)),
    }
}

/// What an item is when the stream splits, for forecasts and reports: "an
/// item is one of the backlog's items as it arrives: a feature split at
/// analysis into stories counts once, when its last story is done". `None`
/// without a split.
pub fn split_counting(model: &Model) -> Option<String> {
    let k = model.split_stage()?;
    let sp = model.stages[k].split.as_ref()?;
    let parents: Vec<&str> = model
        .types
        .iter()
        .zip(&sp.types)
        .filter(|(_, s)| **s)
        .map(|(t, _)| t.name.as_str())
        .collect();
    let children = sp
        .child_type
        .map_or("parts".to_string(), |c| plural(&model.types[c].name));
    Some(format!(
        "Items are counted as they arrive: a {} split at {} into {children} counts once, when the last of them is done.",
        parents.join(" or "),
        model.stages[k].name
    ))
}

/// An item type's name in the plural, as output says it: `features`,
/// `stories`, `parts of feature`, `features and defects`.
pub fn plural(name: &str) -> String {
    if let Some((a, b)) = name.split_once(" and ") {
        return format!("{} and {}", plural(a), plural(b));
    }
    match name.split_once(' ') {
        Some((head, rest)) => format!("{} {rest}", plural(head)),
        None if name.ends_with('s') => name.to_string(),
        None if name.ends_with('y') && !name.ends_with("ey") && !name.ends_with("ay") => {
            format!("{}ies", &name[..name.len() - 1])
        }
        None => format!("{name}s"),
    }
}

/// Who works at a stage, in a table cell: `3`, `unlimited`, `scheduled` (or
/// `schedule` in words), or a shared pool as `qa pool (3)`.
pub fn workers(model: &Model, c: &Capacity, schedule_words: Option<&str>) -> String {
    match c {
        Capacity::Workers(n) => n.to_string(),
        Capacity::Pool(p) => pool(model, *p),
        Capacity::Unlimited => "unlimited".into(),
        Capacity::Schedule(sc) => match schedule_words {
            Some(unit) => schedule(sc, unit),
            None => "scheduled".into(),
        },
    }
}

/// A shared pool as a stage's workers: `qa pool (3)`.
pub fn pool(model: &Model, p: usize) -> String {
    let pool = &model.pools[p];
    format!("{} pool ({})", pool.name, pool.workers)
}

/// A class of service in a few words: `expedite (incident; priority 0; due
/// 20 days; passes WIP limits)`.
pub fn class(model: &Model, c: &Class) -> String {
    let mut parts = vec![
        c.types
            .iter()
            .map(|&t| model.types[t].name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    ];
    if let Some(p) = c.priority {
        parts.push(format!("priority {p}"));
    }
    if let Some(d) = c.due {
        parts.push(format!("due {} {}", n(d), model.time_unit.name()));
    }
    if c.wip_exempt {
        parts.push("passes WIP limits".into());
    }
    format!("{} ({})", c.name, parts.join("; "))
}

/// Stages and shared pools whose offered load exceeds capacity, as warnings a user can act on.
pub fn overload_warnings(model: &Model) -> Vec<String> {
    let unit = model.time_unit.name();
    model
        .loads()
        .iter()
        .zip(&model.stages)
        .filter_map(|(l, s)| {
            let load = l.load?;
            (load > 1.0).then(|| {
                format!(
                    "stage `{}` is overloaded: {}, so its queue grows for as long as the stream \
                     runs (lead times below depend on how long that is, here {} deliveries per run, \
                     in {unit}). Add capacity there or lower the arrival rate.",
                    s.name,
                    pace(load, &capacity_words(model, &s.capacity)),
                    model.items_per_run()
                )
            })
        })
        .chain(pool_overloads(model))
        .collect()
}

/// The overload warnings of shared pools: the sum of their stages' loads above 1.
fn pool_overloads(model: &Model) -> Vec<String> {
    let pools = model.pool_loads();
    model
        .pools
        .iter()
        .zip(&pools)
        .filter_map(|(p, l)| {
            let load = l.load?;
            (load > 1.0).then(|| {
                let stages: Vec<String> = model
                    .pool_stages(model.pools.iter().position(|x| x == p).unwrap_or(0))
                    .map(|i| format!("`{}`", model.stages[i].name))
                    .collect();
                format!(
                    "pool `{}` is overloaded: across {}, {}, so its queues grow for as long as the \
                     stream runs (lead times below depend on how long that is, here {} deliveries per run). \
                     Add people to the pool or lower the arrival rate.",
                    p.name,
                    stages.join(", "),
                    pace(load, &workers_words(p.workers)),
                    model.items_per_run()
                )
            })
        })
        .collect()
}

fn workers_words(c: u32) -> String {
    format!("{} worker{}", c, if c == 1 { "" } else { "s" })
}

/// What does the work of a stage, for "work arrives at 130% of what … can do".
fn capacity_words(model: &Model, capacity: &Capacity) -> String {
    match capacity {
        Capacity::Schedule(_) => "its scheduled capacity".to_string(),
        Capacity::Workers(c) => workers_words(*c),
        Capacity::Pool(p) => format!("its share of pool `{}`", model.pools[*p].name),
        Capacity::Unlimited => "its capacity".to_string(),
    }
}

/// How much faster work arrives than `capacity` can do it, at offered `load` > 1.
fn pace(load: f64, what: &str) -> String {
    // Percentages read well up to a few times over; beyond, say how many times.
    if load < 10.0 {
        format!("work arrives at {:.0}% of what {what} can do", load * 100.0)
    } else if load.is_finite() && load < 1e6 {
        format!(
            "work arrives {} times faster than {what} can do it",
            fmt_sig(load, 2)
        )
    } else {
        format!("work arrives over a million times faster than {what} can do it")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    // Proves the calendar's sentence in reports: ranges for consecutive days,
    // lists otherwise, and the holiday count.
    #[test]
    fn describes_itself() {
        let weekdays: Vec<Weekday> = "mon tue wed thu fri"
            .split(' ')
            .filter_map(Calendar::parse_weekday)
            .collect();
        let c = Calendar::new(8.0, &weekdays, time(9, 0, 0, 0), vec![]).expect("valid");
        assert_eq!(calendar(&c), "8 h a day from 09:00, Mon–Fri");
        let c = Calendar::new(
            7.5,
            &[Weekday::Monday, Weekday::Wednesday, Weekday::Saturday],
            time(8, 30, 0, 0),
            vec![date(2026, 12, 25), date(2026, 12, 25), date(2027, 1, 1)],
        )
        .expect("valid");
        assert_eq!(
            calendar(&c),
            "7.5 h a day from 08:30, Mon, Wed, Sat, 2 holidays"
        );
    }
}
