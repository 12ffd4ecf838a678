//! The calibrated scenario as YAML text, every number with its provenance in
//! a comment. `flowcast run` reads it unchanged (tested).

use std::fmt::Write as _;

use super::fit::{Batch, Calibration, Capacity, Fitted, StageFit};
use super::workflow::Workflow;
use crate::stats::fit::Dist;
use crate::stats::fmt_sig;

/// Where the history came from, for the header.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// The scenario's name.
    pub name: String,
    /// The history files, as given.
    pub files: Vec<String>,
    /// Data rows read.
    pub rows: usize,
    /// Items with a journey.
    pub items: usize,
    /// Items delivered.
    pub delivered: usize,
    /// The window, as dates.
    pub window: (String, String),
    /// The scenario's `start` (the history's end, a date).
    pub start: Option<String>,
    /// The flowcast version.
    pub version: String,
}

/// A number as written in the scenario: 4 significant digits.
pub fn num(x: f64) -> String {
    fmt_sig(x, 4)
}

/// A YAML string: plain when safe, double-quoted otherwise.
pub fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '(' | ')' | '/'))
        && !s.starts_with([' ', '-', '.'])
        && !s.ends_with(' ')
        && s.parse::<f64>().is_err()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n" | "~"
        );
    if plain {
        s.to_string()
    } else {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c if c.is_control() => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

/// A distribution of days as a scenario value.
pub fn dist_yaml(f: &Fitted) -> String {
    match f {
        Fitted::Zero => "0".to_string(),
        Fitted::Constant(v) => num(*v),
        Fitted::Family { dist, .. } => match *dist {
            Dist::Exponential { mean } => format!("{{dist: exponential, mean: {}}}", num(mean)),
            Dist::LogNormal { .. } => format!(
                "{{dist: lognormal, mean: {}, cv: {}}}",
                num(dist.mean()),
                num(dist.cv())
            ),
            Dist::Gamma { .. } => format!(
                "{{dist: gamma, mean: {}, cv: {}}}",
                num(dist.mean()),
                num(dist.cv())
            ),
            Dist::Weibull { shape, scale } => format!(
                "{{dist: weibull, shape: {}, scale: {}}}",
                num(shape),
                num(scale)
            ),
        },
        Fitted::Empirical { samples, .. } => {
            let xs: Vec<String> = samples.iter().map(|x| num(*x)).collect();
            format!("{{dist: empirical, samples: [{}]}}", xs.join(", "))
        }
    }
}

/// Where a fitted distribution came from, in words.
pub fn dist_note(f: &Fitted, what: &str) -> String {
    match f {
        Fitted::Zero => format!("no measurable {what}"),
        Fitted::Constant(v) => format!("every {what} took {} d", num(*v)),
        Fitted::Family {
            dist,
            ks,
            critical,
            n,
        } => format!(
            "{} fitted to {n} {what}s by maximum likelihood, chosen by AIC; \
             KS distance {} (5% critical {})",
            dist.name(),
            fmt_sig(*ks, 2),
            fmt_sig(*critical, 2)
        ),
        Fitted::Empirical { n, best_ks, .. } => match best_ks {
            Some(ks) => format!(
                "the {n} observed {what}s resampled: no family fits (best KS distance {})",
                fmt_sig(*ks, 2)
            ),
            None => format!("the {n} observed {what}s resampled (too few to fit a family)"),
        },
    }
}

/// The scenario text.
pub fn scenario_text(cal: &Calibration, workflow: &Workflow, prov: &Provenance) -> String {
    let mut o = String::new();
    header(&mut o, cal, prov);
    let _ = writeln!(o, "name: {}", yaml_str(&prov.name));
    o.push_str("time_unit: days\n");
    if let Some(start) = &prov.start {
        let _ = writeln!(
            o,
            "start: {start}                # the end of the history: forecasts start from today"
        );
    }
    if cal.weekdays_only {
        let _ = writeln!(
            o,
            "calendar: {{hours_per_day: 24, day_starts: \"00:00\", days: [mon, tue, wed, thu, fri]}}   # {}% of status changes on weekends: nothing is worked Sat–Sun (work below is in weekday time)",
            fmt_sig(cal.weekend_share * 100.0, 2)
        );
    }
    arrivals(&mut o, cal, workflow);
    if let Some(c) = &workflow.commitment {
        let _ = writeln!(o, "commitment: {}", yaml_str(c));
    }
    o.push_str("\nstages:\n");
    for (s, st) in cal.stages.iter().enumerate() {
        stage(&mut o, cal, workflow, s, st);
    }
    o
}

fn header(o: &mut String, cal: &Calibration, prov: &Provenance) {
    let _ = writeln!(o, "# {}", prov.name);
    let _ = writeln!(
        o,
        "#\n# Calibrated by flowcast {} from {}:",
        prov.version,
        prov.files.join(", ")
    );
    let _ = writeln!(
        o,
        "# {} rows, {} items, {} delivered, {} .. {} ({} days).",
        prov.rows,
        prov.items,
        prov.delivered,
        prov.window.0,
        prov.window.1,
        num(cal.arrivals.days)
    );
    o.push_str(
        "# Every number says where it came from. WIP limits cannot be seen in a\n\
         # history: each stage's observed maximum WIP is noted instead. Check the\n\
         # fit with `flowcast calibrate … --report DIR` before trusting a what-if.\n",
    );
    for w in &cal.warnings {
        let _ = writeln!(o, "# warning: {w}");
    }
    o.push('\n');
}

fn arrivals(o: &mut String, cal: &Calibration, workflow: &Workflow) {
    let a = &cal.arrivals;
    let first = workflow.stages.first().map_or("", |s| s.stage.as_str());
    o.push_str("\narrivals:\n");
    match &a.interval {
        Some(f) => {
            let _ = writeln!(
                o,
                "  interval: {}   # times between the {} entries into {first}: cv {} (far from Poisson's 1); {}",
                dist_yaml(f),
                a.count,
                fmt_sig(a.interval_cv, 2),
                dist_note(f, "interval")
            );
        }
        None => {
            let _ = writeln!(
                o,
                "  rate: {}   # {} items entered {first} in {} days (± {} a day, 1 SE); intervals cv {}: Poisson",
                num(a.rate),
                a.count,
                num(a.days),
                fmt_sig(a.rate_se, 2),
                fmt_sig(a.interval_cv, 2)
            );
        }
    }
    if !cal.types.is_empty() {
        let shares = rounded_shares(&cal.types.iter().map(|t| t.share).collect::<Vec<_>>());
        let parts: Vec<String> = cal
            .types
            .iter()
            .zip(&shares)
            .map(|(t, s)| format!("{}: {}", yaml_str(&t.name), s))
            .collect();
        let counts: Vec<String> = cal
            .types
            .iter()
            .map(|t| format!("{} {}", t.count, t.name))
            .collect();
        let _ = writeln!(
            o,
            "  mix: {{{}}}   # {}",
            parts.join(", "),
            counts.join(", ")
        );
    }
}

/// Shares to 4 decimals that add up to exactly 1 (the largest absorbs the rest).
fn rounded_shares(shares: &[f64]) -> Vec<String> {
    let mut units: Vec<i64> = shares
        .iter()
        .map(|s| (s * 10_000.0).round() as i64)
        .collect();
    let diff = 10_000 - units.iter().sum::<i64>();
    if let Some(i) = (0..units.len()).rev().max_by_key(|&i| units[i]) {
        units[i] += diff;
    }
    units
        .iter()
        .map(|u| {
            let s = format!("{}.{:04}", u / 10_000, u % 10_000);
            let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
            if s.is_empty() { "0".into() } else { s }
        })
        .collect()
}

fn stage(o: &mut String, cal: &Calibration, workflow: &Workflow, s: usize, st: &StageFit) {
    let wf = workflow.stages.get(s);
    let statuses = |v: Option<&Vec<String>>| v.map_or(String::new(), |v| v.join(", "));
    let _ = writeln!(o, "  - name: {}", yaml_str(&st.name));
    let _ = writeln!(
        o,
        "    # {} visits ({} first, {} rework); queue statuses: {}; active: {}",
        st.visits,
        st.first_visits,
        st.visits - st.first_visits,
        or_none(&statuses(wf.map(|w| &w.queue))),
        or_none(&statuses(wf.map(|w| &w.active)))
    );
    capacity(o, st);
    work(o, st);
    waits(o, st);
    rework_and_batch(o, cal, st);
    let _ = writeln!(
        o,
        "    # observed maximum WIP: {} items (waiting, in work, blocked); zero-length stays: {}",
        st.max_wip, st.zero_length
    );
}

fn or_none(s: &str) -> &str {
    if s.is_empty() { "none" } else { s }
}

fn dist_note_or(f: &Fitted, what: &str) -> String {
    match f {
        Fitted::Family { .. } | Fitted::Empirical { .. } => {
            format!("{what}: {}", dist_note(f, "stay"))
        }
        _ => what.to_string(),
    }
}

fn work(o: &mut String, st: &StageFit) {
    if !st.work_by_type.is_empty() {
        o.push_str("    work:   # per item type: each type had enough visits\n");
        for (t, f) in &st.work_by_type {
            let _ = writeln!(
                o,
                "      {}: {}   # {}",
                yaml_str(t),
                dist_yaml(f),
                dist_note(f, "visit")
            );
        }
        return;
    }
    let _ = writeln!(
        o,
        "    work: {}   # time in active statuses per first visit: {}",
        dist_yaml(&st.work),
        dist_note(&st.work, "visit")
    );
}

/// `workers:` or `schedule:`, with where the number came from.
fn capacity(o: &mut String, st: &StageFit) {
    match &st.capacity {
        Capacity::Workers(w) => {
            let tried: Vec<String> = st
                .tried
                .iter()
                .map(|(c, q)| format!("{c} → {} d", fmt_sig(*q, 3)))
                .collect();
            let _ = writeln!(
                o,
                "    workers: {w}   # at most {} items at once in active statuses (mean {}); simulated queue per visit with {}; observed {} d",
                st.max_concurrency,
                fmt_sig(st.mean_concurrency, 2),
                if tried.is_empty() {
                    "-".to_string()
                } else {
                    tried.join(", ")
                },
                fmt_sig(st.observed_queue, 3)
            );
        }
        Capacity::Unlimited => {
            let _ = writeln!(
                o,
                "    workers: unlimited   # no active statuses: time here is a delay, nobody's capacity"
            );
        }
        Capacity::Weekdays {
            days,
            at_minute,
            per_instant,
            share,
        } => {
            let on = super::fit::weekday_names(days);
            let _ = writeln!(
                o,
                "    schedule: {{on: [{}], at: \"{:02}:{:02}\"}}   # items are taken together, {} at a time; {}% of those instants on these days (UTC)",
                on.join(", "),
                at_minute / 60,
                at_minute % 60,
                fmt_sig(*per_instant, 2),
                fmt_sig(share * 100.0, 2)
            );
        }
        Capacity::Schedule {
            every,
            first,
            per_instant,
            on_cadence,
        } => {
            let _ = writeln!(
                o,
                "    schedule: {{every: {}, first: {}}}   # items leave together, {} at a time, {}% of departures on a {}-day cadence",
                num(*every),
                num(*first),
                fmt_sig(*per_instant, 2),
                fmt_sig(on_cadence * 100.0, 2),
                num(*every)
            );
        }
    }
}

/// `wait:`: a pure delay's fitted stay, or the queue time workers leave unexplained.
fn waits(o: &mut String, st: &StageFit) {
    if let Some(w) = &st.wait {
        let what = match st.capacity {
            Capacity::Unlimited => "stay".to_string(),
            _ => format!(
                "queue time capacity does not explain (observed {} d per visit)",
                fmt_sig(st.observed_queue, 3)
            ),
        };
        let _ = writeln!(
            o,
            "    wait: {}   # {}",
            dist_yaml(w),
            dist_note_or(w, &what)
        );
    }
    if let Some(w) = st.leftover_wait {
        let sim = st
            .tried
            .iter()
            .find(|(c, _)| matches!(st.capacity, Capacity::Workers(w) if w == *c))
            .map_or(f64::NAN, |t| t.1);
        let _ = writeln!(
            o,
            "    wait: {{dist: exponential, mean: {}}}   # queue time the workers do not explain: observed {} d per visit, simulated {} d",
            num(w),
            fmt_sig(st.observed_queue, 3),
            fmt_sig(sim, 3)
        );
    }
}

/// `rework:` and a detected batch.
fn rework_and_batch(o: &mut String, cal: &Calibration, st: &StageFit) {
    if let Some(r) = &st.rework {
        let to = cal
            .stages
            .get(r.to)
            .map_or(st.name.as_str(), |t| t.name.as_str());
        let _ = writeln!(
            o,
            "    rework: {{probability: {}, to: {}, effort: {}}}   # {} of {} finished visits went back (± {}, 1 SE); effort: rework visits' work ÷ first visits'",
            num(r.probability),
            yaml_str(to),
            num(r.effort),
            (r.probability * r.n as f64).round(),
            r.n,
            fmt_sig(r.se, 2)
        );
    }
    match st.batch {
        Some(Batch::Handoff(n)) => {
            let _ = writeln!(
                o,
                "    handoff_batch: {n}   # items left this stage {n} at a time (same minute)"
            );
        }
        Some(Batch::Process(n)) => {
            let _ = writeln!(
                o,
                "    process_batch: {{max: {n}}}   # items started here {n} at a time (same minute)"
            );
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_only_when_needed() {
        assert_eq!(yaml_str("develop"), "develop");
        assert_eq!(
            yaml_str("Writing Report (Part C)"),
            "Writing Report (Part C)"
        );
        assert_eq!(yaml_str("a: b"), "\"a: b\"");
        assert_eq!(yaml_str("yes"), "\"yes\"");
        assert_eq!(yaml_str("12"), "\"12\"");
        assert_eq!(yaml_str("Won't do"), "\"Won't do\"");
        assert_eq!(yaml_str("say \"hi\""), "\"say \\\"hi\\\"\"");
    }

    #[test]
    fn shares_add_up_to_one() {
        let s = rounded_shares(&[1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]);
        assert_eq!(s, vec!["0.3334", "0.3333", "0.3333"]);
        assert_eq!(rounded_shares(&[0.25, 0.75]), vec!["0.25", "0.75"]);
    }
}
