//! Output formats: the terminal table, JSON, and the `check` listing.
//!
//! Every format is a function returning text; only the command line writes files.

use serde::Serialize;

use crate::model::{Arrivals, Capacity, Model};
use crate::results::{Outcome, VariantResult};
use crate::stats::fmt_sig;

/// The JSON document of SPEC §4.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// Scenario name.
    pub scenario: &'a str,
    /// Unit of every time.
    pub time_unit: &'a str,
    /// Runs per variant.
    pub runs: u64,
    /// Seed used.
    pub seed: u64,
    /// Events processed.
    pub events: u64,
    /// Deliveries per run (warm-up included).
    pub items_per_run: u64,
    /// Deliveries left out at the start of each run.
    pub warmup: u64,
    /// Overload warnings shown before the run.
    pub warnings: &'a [String],
    /// Baseline first.
    pub variants: &'a [VariantResult],
}

/// The JSON text of an outcome.
pub fn json(model: &Model, runs: u64, seed: u64, warnings: &[String], outcome: &Outcome) -> String {
    let doc = JsonReport {
        scenario: &model.name,
        time_unit: model.time_unit.name(),
        runs,
        seed,
        events: outcome.events,
        items_per_run: model.items_per_run(),
        warmup: model.warmup(),
        warnings,
        variants: &outcome.variants,
    };
    let mut s =
        serde_json::to_string_pretty(&doc).expect("results contain only serialisable values");
    s.push('\n');
    s
}

/// A table with a header row; numbers right-aligned, the first column left.
struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(header: &[&str]) -> Table {
        Table {
            rows: vec![header.iter().map(|s| s.to_string()).collect()],
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn render(&self, indent: &str) -> String {
        let cols = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let width: Vec<usize> = (0..cols)
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for (i, r) in self.rows.iter().enumerate() {
            let mut line = indent.to_string();
            for (c, cell) in r.iter().enumerate() {
                let pad = width[c] - cell.chars().count();
                if c == 0 {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                } else {
                    line.push_str("  ");
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            if i == 0 {
                let total: usize = width.iter().sum::<usize>() + 2 * (cols.saturating_sub(1));
                out.push_str(indent);
                out.push_str(&"─".repeat(total));
                out.push('\n');
            }
        }
        out
    }
}

fn pct(x: f64) -> String {
    if x.is_nan() {
        "–".into()
    } else if x < 0.1 && x > 0.0 {
        format!("{:.1}%", x * 100.0)
    } else {
        format!("{:.0}%", x * 100.0)
    }
}

fn num(x: f64) -> String {
    fmt_sig(x, 3)
}

fn singular(unit: &str) -> &str {
    unit.strip_suffix('s').unwrap_or(unit)
}

/// A signed difference with its CI, or "no clear difference" when the CI spans 0.
fn signed(mean: f64, ci: [f64; 2], fmt: fn(f64) -> String) -> String {
    if ci[0].is_nan() || ci[1].is_nan() {
        return format!(
            "{}{} (one run: no CI)",
            if mean > 0.0 { "+" } else { "" },
            fmt(mean)
        );
    }
    if ci[0] <= 0.0 && ci[1] >= 0.0 {
        return "no clear difference".into();
    }
    let s = |x: f64| {
        if x > 0.0 {
            format!("+{}", fmt(x))
        } else {
            fmt(x).replace('-', "−")
        }
    };
    format!("{} ({} to {})", s(mean), s(ci[0]), s(ci[1]))
}

/// The terminal summary of a run: comparison table, where the time goes, bottleneck.
pub fn terminal(model: &Model, runs: u64, seed: u64, outcome: &Outcome) -> String {
    let unit = model.time_unit.name();
    let mut out = String::new();
    let base = &outcome.variants[0];
    out.push_str(&format!("{}\n", model.name));
    let what = if model.is_backlog() {
        format!("a backlog of {} items", model.items_per_run())
    } else {
        format!(
            "{} deliveries each, the first {} left out as warm-up",
            model.items_per_run(),
            model.warmup()
        )
    };
    out.push_str(&format!(
        "{runs} runs of {what} · seed {seed} · times in {unit}\n\n"
    ));

    let mut t = Table::new(&[
        "",
        "lead time",
        "95% CI",
        "p50",
        "p85",
        "p95",
        "flow eff.",
        &format!("done/{}", singular(unit)),
        "WIP",
        "lead time vs baseline",
    ]);
    let mut order: Vec<&VariantResult> = outcome.variants.iter().collect();
    order[1..].sort_by(|a, b| {
        let da = a.delta.as_ref().map_or(0.0, |d| d.lead_time_mean);
        let db = b.delta.as_ref().map_or(0.0, |d| d.lead_time_mean);
        da.total_cmp(&db)
    });
    for v in order {
        let l = &v.lead_time;
        t.row(vec![
            v.name.clone(),
            num(l.mean),
            if l.mean_ci95[0].is_nan() {
                "–".into()
            } else {
                format!("{}–{}", num(l.mean_ci95[0]), num(l.mean_ci95[1]))
            },
            num(l.p50),
            num(l.p85),
            num(l.p95),
            pct(v.flow_efficiency),
            num(v.throughput),
            num(v.wip),
            match &v.delta {
                None => "".into(),
                Some(d) => signed(d.lead_time_mean, d.lead_time_mean_ci95, num),
            },
        ]);
    }
    out.push_str(&t.render(""));

    out.push_str(&format!(
        "\nWhere the time goes in the {} (mean per item, {unit}):\n",
        if outcome.variants.len() > 1 {
            "baseline"
        } else {
            "stream"
        }
    ));
    let mut t = Table::new(&[
        "stage", "workers", "busy", "waiting", "working", "visits", "",
    ]);
    if base.entry_wait > 0.0 {
        t.row(vec![
            "(held before the first stage)".into(),
            "".into(),
            "".into(),
            num(base.entry_wait),
            "".into(),
            "".into(),
            "".into(),
        ]);
    }
    for (s, r) in model.stages.iter().zip(&base.stages) {
        let workers = match &s.capacity {
            Capacity::Workers(n) => n.to_string(),
            Capacity::Unlimited => "unlimited".into(),
            Capacity::Schedule(_) => "scheduled".into(),
        };
        let mark = if r.name == base.bottleneck {
            "◀ bottleneck"
        } else {
            ""
        };
        t.row(vec![
            s.name.clone(),
            workers,
            r.utilization.map_or("".into(), pct),
            num(r.wait_per_item),
            num(r.active_per_item),
            fmt_sig(r.visits, 3),
            mark.into(),
        ]);
    }
    out.push_str(&t.render("  "));
    let b = base.stages.iter().find(|s| s.name == base.bottleneck);
    if let Some(b) = b {
        let share = b.wait_per_item / base.lead_time.mean;
        out.push_str(&format!(
            "\nBottleneck: {} — items wait {} {unit} there, {} of their lead time.",
            b.name,
            num(b.wait_per_item),
            pct(share)
        ));
        if let Some(mu) = &base.most_utilized {
            let u = base
                .stages
                .iter()
                .find(|s| &s.name == mu)
                .and_then(|s| s.utilization)
                .unwrap_or(f64::NAN);
            out.push_str(&format!(" Busiest people: {mu} ({} busy).", pct(u)));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "Flow efficiency {}: of {} {unit} lead time, items are worked on for {}.\n",
        pct(base.flow_efficiency),
        num(base.lead_time.mean),
        num(base.lead_time.mean * base.flow_efficiency)
    ));
    if let Some(c) = base.cycle_time {
        out.push_str(&format!("Cycle time from commitment: {} {unit}.\n", num(c)));
    }
    if model.types.len() > 1 {
        let parts: Vec<String> = base
            .types
            .iter()
            .map(|t| {
                format!(
                    "{} {} ({} {unit})",
                    t.name,
                    pct(t.share),
                    num(t.lead_time_mean)
                )
            })
            .collect();
        out.push_str(&format!("Flow distribution: {}.\n", parts.join(", ")));
    }
    out
}

/// The `check` listing: the model read back, with expected loads per stage.
pub fn check(model: &Model) -> String {
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
            d.describe()
        )),
        Arrivals::Backlog(n) => out.push_str(&format!("Backlog: {n} items waiting at the start\n")),
    }
    if model.types.len() > 1 {
        let parts: Vec<String> = model
            .types
            .iter()
            .map(|t| format!("{} {}", t.name, pct(t.share)))
            .collect();
        out.push_str(&format!("Item mix: {}\n", parts.join(", ")));
    }
    if let Some(w) = model.wip_limit {
        out.push_str(&format!("Stream WIP limit: {w} items\n"));
    }
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
    for (s, l) in model.stages.iter().zip(&loads) {
        let workers = match &s.capacity {
            Capacity::Workers(n) => n.to_string(),
            Capacity::Unlimited => "unlimited".into(),
            Capacity::Schedule(sc) => format!(
                "every {}, first {}{}",
                num(sc.every),
                num(sc.first),
                sc.capacity
                    .map_or(String::new(), |c| format!(", up to {c}"))
            ),
        };
        let work = if s
            .work
            .windows(2)
            .all(|w| w[0].describe() == w[1].describe())
        {
            s.work[0].describe()
        } else {
            model
                .types
                .iter()
                .zip(&s.work)
                .map(|(t, d)| format!("{}: {}", t.name, num(d.mean())))
                .collect::<Vec<_>>()
                .join(", ")
        };
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
        let skipped: Vec<&str> = model
            .types
            .iter()
            .zip(&s.skip)
            .filter(|(_, k)| **k)
            .map(|(t, _)| t.name.as_str())
            .collect();
        if !skipped.is_empty() {
            pol.push(format!("skipped by {}", skipped.join(", ")));
        }
        let last = if model.is_backlog() {
            l.drain_time
                .map_or("–".into(), |d| format!("{} {unit}", num(d)))
        } else {
            match l.load {
                Some(x) if x > 1.0 => format!("{} OVERLOADED", pct(x)),
                Some(x) => pct(x),
                None => "–".into(),
            }
        };
        t.row(vec![
            s.name.clone(),
            workers,
            work,
            fmt_sig(l.visits, 3),
            pol.join("; "),
            last,
        ]);
    }
    out.push('\n');
    out.push_str(&t.render("  "));
    if model.stages.iter().any(|s| s.process.is_some()) && !model.is_backlog() {
        out.push_str(
            "\nA process-batch stage's load assumes full batches (work ÷ batch max); its people are busier \
             when batches run part-full.",
        );
    }
    out.push_str(&format!(
        "\nload = arrivals × work per item ÷ capacity; above 100% the queue grows without bound.\n\
         Simulation: {} runs, {}.\n",
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
