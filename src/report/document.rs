//! The report's content, independent of format: what HTML and Markdown render.

use crate::analysis::sensitivity::Effect;
use crate::describe;
use crate::model::Model;
use crate::report::charts::{self, Chart};
use crate::report::{SENSITIVITY_HEADER, money, ranked, sensitivity_rows, words};
use crate::sim::results::{Outcome, VALUE_FORMULA, VALUE_FORMULA_BACKLOG, VariantResult};
use crate::stats::fmt_sig;

/// A table as text cells.
#[derive(Debug, Clone, Default)]
pub struct TableData {
    /// Column titles.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// Everything a report says.
#[derive(Debug, Clone)]
pub struct Document {
    /// The stream's name.
    pub title: String,
    /// Runs, seed, items, time unit.
    pub meta: String,
    /// Opening paragraphs written from the numbers.
    pub summary: Vec<String>,
    /// Ranked comparison with CIs.
    pub comparison: TableData,
    /// Economics: an introduction, the table and the formula.
    pub economics: Option<(String, TableData, String)>,
    /// The baseline per stage (with the time blocked per item when a stage has
    /// blocked work).
    pub stages: TableData,
    /// Flow distribution per item type (when there is a mix).
    pub types: Option<TableData>,
    /// Lead time and on-time share per class of service (when there are classes).
    pub classes: Option<TableData>,
    /// A stream that splits items: a sentence and the levels per variant.
    pub split: Option<(String, TableData)>,
    /// ±20% sensitivity, when computed.
    pub sensitivity: Option<TableData>,
    /// The charts, in reading order.
    pub charts: Vec<Chart>,
    /// Overload warnings shown before the run.
    pub warnings: Vec<String>,
    /// How the numbers were made.
    pub assumptions: Vec<String>,
    /// The scenario file's name and text, for the appendix.
    pub scenario: (String, String),
}

/// Everything the report is built from.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The baseline model.
    pub model: &'a Model,
    /// The simulation results.
    pub outcome: &'a Outcome,
    /// Runs per variant.
    pub runs: u64,
    /// Seed.
    pub seed: u64,
    /// Overload warnings.
    pub warnings: &'a [String],
    /// The representative run and its trace.
    pub trace: (u64, &'a [(f64, u16)]),
    /// Sensitivity effects, when computed.
    pub sensitivity: Option<&'a [Effect]>,
    /// Scenario file name and text.
    pub scenario: (&'a str, &'a str),
}

fn n(x: f64) -> String {
    fmt_sig(x, 3)
}

fn pct(x: f64) -> String {
    if x.is_nan() {
        "–".into()
    } else {
        format!("{:.1}%", x * 100.0)
    }
}

/// Builds the report's content.
pub fn build(i: &Inputs) -> Document {
    let model = i.model;
    let outcome = i.outcome;
    let unit = model.time_unit.name();
    let base = &outcome.variants[0];
    let charts = vec![
        charts::lead_time_cdf(model, outcome),
        charts::value_stream_map(model, base),
        charts::where_time_goes(model, outcome),
        charts::cumulative_flow(model, i.trace.1, i.trace.0, base),
        charts::wip_over_time(model, i.trace.1, base),
    ];
    Document {
        title: model.name.clone(),
        meta: format!(
            "flowcast report · {} runs per variant · seed {} · times in {unit}",
            i.runs, i.seed
        ),
        summary: words::summary(model, outcome),
        comparison: comparison(model, outcome),
        economics: economics(model, outcome),
        stages: stages(model, base),
        types: types(model, outcome),
        classes: classes(model, outcome),
        split: split(model, outcome),
        sensitivity: i.sensitivity.map(sensitivity),
        charts,
        warnings: i.warnings.to_vec(),
        assumptions: assumptions(i),
        scenario: (i.scenario.0.to_string(), i.scenario.1.to_string()),
    }
}

/// The ranked comparison of every variant, with dates and changes when there
/// are some.
fn comparison(model: &Model, outcome: &Outcome) -> TableData {
    let unit = model.time_unit.name();
    let base = &outcome.variants[0];
    let compare = outcome.variants.len() > 1;
    let mut comparison = TableData {
        header: [
            "variant",
            &format!("mean lead time ({unit})"),
            "95% CI",
            "p50",
            "p85",
            "p95",
            "flow efficiency",
            &format!("throughput (per {})", unit.trim_end_matches('s')),
            "WIP",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: Vec::new(),
    };
    let dated = base.done_by.is_some();
    if dated {
        comparison.header.push("all done by (85%)".into());
    }
    if compare {
        comparison.header.extend(
            [
                "change in mean lead time (95% CI)",
                "faster in",
                "bottleneck",
            ]
            .map(String::from),
        );
    }
    for v in ranked(outcome) {
        let l = &v.lead_time;
        let mut row = vec![
            v.name.clone(),
            n(l.mean),
            format!("{}–{}", n(l.mean_ci95[0]), n(l.mean_ci95[1])),
            n(l.p50),
            n(l.p85),
            n(l.p95),
            pct(v.flow_efficiency),
            n(v.throughput),
            n(v.wip),
        ];
        if dated {
            row.push(v.done_by.map_or("–".into(), |w| w.p85.to_string()));
        }
        if compare {
            match (&v.delta, crate::report::change_cell(v, base)) {
                (Some(d), Some(change)) => {
                    let settled = v.overloaded.is_empty() && base.overloaded.is_empty();
                    row.push(change);
                    row.push(if settled {
                        format!("{:.0}% of runs", d.share_of_runs_faster * 100.0)
                    } else {
                        "–".into()
                    });
                }
                _ => row.extend(["baseline".to_string(), "".into()]),
            }
            row.push(v.bottleneck.clone());
        }
        comparison.rows.push(row);
    }
    comparison
}

/// The baseline per stage (with the time blocked per item when a stage has
/// blocked work).
fn stages(model: &Model, base: &VariantResult) -> TableData {
    let unit = model.time_unit.name();
    let mut stages = TableData {
        header: [
            "stage",
            "workers",
            "busy",
            "wait per visit",
            "work per visit",
            "outbox per visit",
            "queue (items)",
            "visits per item",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    let blocking = model.stages.iter().any(|s| s.blocked.is_some());
    if blocking {
        stages.header.push("blocked per item".into());
    }
    for (s, r) in model.stages.iter().zip(&base.stages) {
        let mut row = vec![
            if r.name == base.bottleneck {
                format!("{} (bottleneck)", s.name)
            } else {
                s.name.clone()
            },
            describe::workers(model, &s.capacity, Some(unit)),
            r.utilization
                .map_or("–".into(), |u| format!("{:.0}%", u * 100.0)),
            n(r.wait),
            n(r.work),
            n(r.outbox_wait),
            n(r.queue),
            n(r.visits),
        ];
        if blocking {
            row.push(if s.blocked.is_some() {
                n(r.time_blocked)
            } else {
                "–".into()
            });
        }
        stages.rows.push(row);
    }
    stages
}

/// The items that split and their children, per variant: lead time,
/// throughput and WIP of each level.
fn split(model: &Model, outcome: &Outcome) -> Option<(String, TableData)> {
    let first = outcome.variants[0].split.as_ref()?;
    let unit = model.time_unit.name();
    let (parents, children) = (
        describe::plural(&first.parents.name),
        describe::plural(&first.children.name),
    );
    let intro = format!(
        "Items split at {}: {parents} become {} {children} each on average, and a {} is delivered when \
         the last of them is. Lead time of {parents} runs from their arrival, of {children} from the split.",
        first.stage,
        n(first.children_per_parent),
        first.parents.name
    );
    let mut t = TableData {
        header: [
            "variant",
            "level",
            &format!("mean lead time ({unit})"),
            "95% CI",
            "max",
            "flow efficiency",
            &format!("throughput (per {})", unit.trim_end_matches('s')),
            "WIP",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: Vec::new(),
    };
    for v in super::ranked(outcome) {
        let Some(sp) = &v.split else { continue };
        for (k, l) in [&sp.parents, &sp.children].into_iter().enumerate() {
            let ci = l.lead_time.mean_ci95;
            t.rows.push(vec![
                if k == 0 {
                    v.name.clone()
                } else {
                    String::new()
                },
                describe::plural(&l.name),
                n(l.lead_time.mean),
                if ci[0].is_nan() {
                    "–".into()
                } else {
                    format!("{}–{}", n(ci[0]), n(ci[1]))
                },
                n(l.lead_time.max),
                pct(l.flow_efficiency),
                n(l.throughput),
                n(l.wip),
            ]);
        }
    }
    Some((intro, t))
}

/// Share and mean lead time per item type, when there is a mix.
fn types(model: &Model, outcome: &Outcome) -> Option<TableData> {
    let unit = model.time_unit.name();
    (model.arriving_types().count() > 1).then(|| {
        let mut t = TableData {
            header: vec!["variant".into()],
            rows: Vec::new(),
        };
        for ty in model.arriving_types() {
            t.header
                .push(format!("{} (share, mean lead time)", ty.name));
        }
        for v in &outcome.variants {
            let mut row = vec![v.name.clone()];
            for ty in model.arriving_types() {
                row.push(match v.types.iter().find(|x| x.name == ty.name) {
                    Some(x) => format!("{:.0}%, {} {unit}", x.share * 100.0, n(x.lead_time_mean)),
                    None => "–".into(),
                });
            }
            t.rows.push(row);
        }
        t
    })
}

/// Per variant and class of service: share of deliveries, mean lead time with
/// its 95% CI, p85, and for classes with a due date the share delivered by it
/// (with its CI across runs). `None` without classes.
pub fn classes(model: &Model, outcome: &Outcome) -> Option<TableData> {
    if model.classes.is_empty() {
        return None;
    }
    let unit = model.time_unit.name();
    let range = |ci: [f64; 2], f: fn(f64) -> String| {
        if ci[0].is_nan() {
            "–".to_string()
        } else {
            format!("{}–{}", f(ci[0]), f(ci[1]))
        }
    };
    let share = |x: f64| {
        if x.is_nan() {
            "–".into()
        } else {
            format!("{:.0}%", x * 100.0)
        }
    };
    let mut t = TableData {
        header: [
            "variant",
            "class",
            "share",
            &format!("mean lead time ({unit})"),
            "95% CI",
            "p85",
            "on time",
            "95% CI",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for v in &outcome.variants {
        for c in &v.classes {
            let l = &c.lead_time;
            t.rows.push(vec![
                v.name.clone(),
                c.name.clone(),
                share(c.share),
                n(l.mean),
                range(l.mean_ci95, n),
                n(l.p85),
                c.on_time.map_or("–".into(), share),
                c.on_time_ci95.map_or("–".into(), |ci| range(ci, share)),
            ]);
        }
    }
    Some(t)
}

/// The ±20% sensitivity table, largest swing first.
fn sensitivity(effects: &[Effect]) -> TableData {
    TableData {
        header: SENSITIVITY_HEADER.map(String::from).to_vec(),
        rows: sensitivity_rows(effects),
    }
}

/// How the numbers were made: runs and seed, run length, common random
/// numbers, the intervals, Little's law, the time unit.
fn assumptions(i: &Inputs) -> Vec<String> {
    let model = i.model;
    let outcome = i.outcome;
    let unit = model.time_unit.name();
    let base = &outcome.variants[0];
    let compare = outcome.variants.len() > 1;
    let little = base.throughput * base.lead_time.mean;
    let mut assumptions = vec![
        format!(
            "{} runs per variant, seed {} (the same seed reproduces every number in this report).",
            i.runs, i.seed
        ),
        if model.is_backlog() {
            format!(
                "A backlog of {} items, all waiting at the start; each run lasts until every item is delivered.",
                model.items_per_run()
            )
        } else {
            format!(
                "Each run lasts {} deliveries; the first {} are left out as warm-up, so the stream is measured once it has filled up.",
                model.items_per_run(),
                model.warmup()
            )
        },
        "Variants are compared with common random numbers: run r of every variant sees the same arrivals and the same work for the same item at the same stage and visit, so differences come from the policy, not from luck. Confidence intervals of changes come from the paired per-run differences.".to_string(),
        "Mean lead time has a 95% confidence interval across runs; p50, p85 and p95 are pooled over every counted item (relative error at most 0.2%).".to_string(),
        format!(
            "Little's law check (baseline): WIP {} ≈ throughput {} × mean lead time {} = {}.",
            n(base.wip),
            n(base.throughput),
            n(base.lead_time.mean),
            n(little)
        ),
        format!("Times are in {unit}; a day is 24 hours of elapsed time."),
    ];
    if let (Some(c), Some(sp)) = (describe::split_counting(model), &base.split) {
        assumptions.push(format!(
            "{c} A split item's time after the split is its last part's (per stage, active time, flow efficiency). \
             Little's law per level (baseline): {} WIP {} ≈ {} × {} = {}; {} WIP {} ≈ {} × {} = {}.",
            describe::plural(&sp.parents.name),
            n(sp.parents.wip),
            n(sp.parents.throughput),
            n(sp.parents.lead_time.mean),
            n(sp.parents.throughput * sp.parents.lead_time.mean),
            describe::plural(&sp.children.name),
            n(sp.children.wip),
            n(sp.children.throughput),
            n(sp.children.lead_time.mean),
            n(sp.children.throughput * sp.children.lead_time.mean),
        ));
    }
    if compare {
        assumptions.push(format!(
            "Simulated events: {} across all runs and variants.",
            money(outcome.events as f64)
        ));
    }
    assumptions
}

/// The economics section: an introduction, the table, and the formula. With a
/// cost of delay it leads with what delay costs each variant (lowest first) and
/// what each intervention saves against the baseline; with costs only, it lists
/// them beside the lead time saved.
pub fn economics(model: &Model, outcome: &Outcome) -> Option<(String, TableData, String)> {
    let eco = model.economics.as_ref();
    let priced = outcome.variants[0].cost_of_delay.is_some();
    let valued: Vec<&VariantResult> = ranked(outcome)
        .into_iter()
        .filter(|v| v.economics.is_some())
        .collect();
    if !priced && valued.is_empty() {
        return None;
    }
    let cur = eco.map_or("", |e| e.currency.as_str());
    let with_cur = |x: f64| {
        if cur.is_empty() {
            money(x)
        } else {
            format!("{cur} {}", money(x))
        }
    };
    let range = |c: [f64; 2]| {
        if c[0].is_nan() {
            "–".to_string()
        } else {
            format!("{} to {}", money(c[0]), money(c[1]))
        }
    };
    if !priced {
        return Some(costs_only(model, &valued, &with_cur));
    }
    let basis = outcome.variants[0]
        .cost_of_delay
        .as_ref()
        .map_or("per year", |c| c.basis);
    let intro = format!(
        "With {}, the delay each variant incurs costs (Σ over delivered items of cost of delay × lead time, {basis}), \
         least first:",
        describe_cost_of_delay(model, &with_cur)
    );
    let mut t = TableData {
        header: vec![
            "variant".to_string(),
            format!("cost of delay {basis}"),
            "95% CI".into(),
            format!("saved {basis}"),
            "95% CI".into(),
            "cost".into(),
            "cost per year".into(),
            "payback".into(),
        ],
        rows: Vec::new(),
    };
    let mut rows: Vec<&VariantResult> = outcome.variants.iter().collect();
    rows.sort_by(|a, b| cod_mean(a).total_cmp(&cod_mean(b)));
    for v in rows {
        let c = v
            .cost_of_delay
            .as_ref()
            .expect("a priced scenario prices every variant");
        let mut row = vec![v.name.clone(), with_cur(c.mean), range(c.mean_ci95)];
        match (&v.economics, &v.delta) {
            (Some(e), Some(_)) => {
                row.push(e.value.map_or("–".into(), with_cur));
                row.push(e.value_ci95.map_or("–".into(), range));
                row.push(e.cost.map_or("–".into(), with_cur));
                row.push(e.cost_per_year.map_or("–".into(), with_cur));
                row.push(payback(e));
            }
            (None, Some(_)) => {
                // An overloaded variant (or baseline): its delay cost only measures the run's length.
                row.extend(["overloaded: not comparable".to_string()]);
                row.extend(std::iter::repeat_n("–".to_string(), 4));
            }
            _ => row.extend(std::iter::repeat_n("–".to_string(), 5)),
        }
        t.rows.push(row);
    }
    let formula = if valued.is_empty() {
        crate::sim::results::COST_OF_DELAY_FORMULA.to_string()
    } else {
        format!(
            "{}; {}",
            crate::sim::results::COST_OF_DELAY_FORMULA,
            if model.is_backlog() {
                VALUE_FORMULA_BACKLOG
            } else {
                VALUE_FORMULA
            }
        )
    };
    Some((intro, t, formula))
}

/// A variant's mean cost of delay (NaN unpriced), for ranking.
fn cod_mean(v: &VariantResult) -> f64 {
    v.cost_of_delay.as_ref().map_or(f64::NAN, |c| c.mean)
}

/// The scenario's cost of delay in words: `a cost of delay of EUR 1,000 per
/// item per week of lead time`, or one figure per item type.
pub fn describe_cost_of_delay(model: &Model, with_cur: &dyn Fn(f64) -> String) -> String {
    let Some(e) = model.economics.as_ref() else {
        return "no cost of delay".into();
    };
    if let Some(c) = e.uniform_cost_of_delay() {
        return format!(
            "a cost of delay of {} per item per week of lead time",
            with_cur(c)
        );
    }
    let each: Vec<String> = model
        .types
        .iter()
        .enumerate()
        .map(|(t, ty)| format!("{} per {}", with_cur(e.cost_of_delay_of(t)), ty.name))
        .collect();
    format!(
        "costs of delay of {} per week of lead time",
        each.join(", ")
    )
}

/// When an intervention's cost comes back.
fn payback(e: &crate::sim::results::EconomicValue) -> String {
    match (e.payback_weeks, e.net_value_per_year) {
        (Some(w), _) => format!("{} weeks", n(w)),
        (None, Some(x)) if e.cost.is_none() && e.cost_per_year.is_some() && x > 0.0 => {
            format!("pays its way (+{} a year)", money(x))
        }
        (None, Some(_)) if e.cost.is_some() || e.cost_per_year.is_some() => "never".into(),
        _ => "–".into(),
    }
}

/// Costs without a cost of delay: shown beside the lead time saved, with no value.
fn costs_only(
    model: &Model,
    rows: &[&VariantResult],
    with_cur: &dyn Fn(f64) -> String,
) -> (String, TableData, String) {
    let unit = model.time_unit.name();
    let mut t = TableData {
        header: vec![
            "intervention".to_string(),
            format!("lead time saved ({unit})"),
            "cost".into(),
            "cost per year".into(),
        ],
        rows: Vec::new(),
    };
    for v in rows {
        let e = v.economics.as_ref().expect("filtered on economics above");
        let d = v.delta.as_ref().expect("valued variants have a delta");
        t.rows.push(vec![
            v.name.clone(),
            n(-d.lead_time_mean).replacen('-', "−", 1),
            e.cost.map_or("–".into(), with_cur),
            e.cost_per_year.map_or("–".into(), with_cur),
        ]);
    }
    (
        "The scenario gives costs but no cost of delay, so no value is computed.".to_string(),
        t,
        String::new(),
    )
}
