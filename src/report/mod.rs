//! Output formats: the terminal table, JSON, and the `check` listing.
//!
//! Every format is a function returning text; only the command line writes files.

pub mod backtest;
pub mod calibrate;
pub mod charts;
mod check;
pub mod document;
pub mod events;
pub mod folder;
pub mod forecast;
pub mod html;
pub mod invest;
pub mod markdown;
pub mod words;

pub use check::check;

use serde::Serialize;

use crate::describe;
use crate::model::Model;
use crate::sim::results::{OVERLOADED, Outcome, VariantResult};
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
    /// How an intervention's value is computed (present when one is valued).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_formula: Option<&'static str>,
    /// How each variant's `cost_of_delay` is computed (present when the scenario prices delay).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_of_delay_formula: Option<&'static str>,
    /// Baseline first.
    pub variants: &'a [VariantResult],
    /// ±20% one-at-a-time effects on mean lead time (with `--sensitivity`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<&'a [crate::analysis::sensitivity::Effect]>,
}

/// The JSON text of an outcome.
pub fn json(
    model: &Model,
    runs: u64,
    seed: u64,
    warnings: &[String],
    outcome: &Outcome,
    sensitivity: Option<&[crate::analysis::sensitivity::Effect]>,
) -> String {
    let doc = JsonReport {
        scenario: &model.name,
        time_unit: model.time_unit.name(),
        runs,
        seed,
        events: outcome.events,
        items_per_run: model.items_per_run(),
        warmup: model.warmup(),
        warnings,
        value_formula: outcome
            .variants
            .iter()
            .any(|v| v.economics.is_some())
            .then_some(if model.is_backlog() {
                crate::sim::results::VALUE_FORMULA_BACKLOG
            } else {
                crate::sim::results::VALUE_FORMULA
            }),
        cost_of_delay_formula: outcome.variants[0]
            .cost_of_delay
            .is_some()
            .then_some(crate::sim::results::COST_OF_DELAY_FORMULA),
        variants: &outcome.variants,
        sensitivity,
    };
    let mut s =
        serde_json::to_string_pretty(&doc).expect("results contain only serialisable values");
    s.push('\n');
    s
}

/// A table with a header row; numbers right-aligned, the first column left.
pub(crate) struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table of text cells, its header first.
    pub(crate) fn from_data(t: &document::TableData) -> Table {
        Table {
            rows: std::iter::once(t.header.clone())
                .chain(t.rows.iter().cloned())
                .collect(),
        }
    }

    fn new(header: &[&str]) -> Table {
        Table {
            rows: vec![header.iter().map(|s| s.to_string()).collect()],
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Aligned text: the first column to the left, the rest to the right, a rule
    /// under the header.
    pub(crate) fn render(&self, indent: &str) -> String {
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

/// A load far over 100% as "35×", saturating at "> 10⁶×".
fn times(x: f64) -> String {
    if x.is_finite() && x < 1e6 {
        format!("{}×", fmt_sig(x, 2))
    } else {
        "> 10⁶×".to_string()
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

/// A change with its CI in words: `−3.1 (−3.4 to −2.8)`, or "no clear difference".
pub fn signed_change(mean: f64, ci: [f64; 2]) -> String {
    signed(mean, ci, num)
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
    if mean == 0.0 && ci == [0.0, 0.0] {
        return "no difference at all".into();
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

/// Emphasis for a terminal: the title and the bottleneck line in bold, changes that
/// help in green and changes that hurt in red. Call only when colour is wanted (a
/// terminal, and `NO_COLOR` unset).
pub fn colorize(text: &str) -> String {
    const BOLD: &str = "\x1b[1m";
    const GREEN: &str = "\x1b[32m";
    const RED: &str = "\x1b[31m";
    const RESET: &str = "\x1b[0m";
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in text.lines().enumerate() {
        if i == 0 || line.starts_with("Bottleneck") {
            out.push_str(&format!("{BOLD}{line}{RESET}\n"));
            continue;
        }
        // Colour a change with its interval: `−3.1 (−3.4 to −2.8)` or `+0.5 (+0.1 to +0.9)`.
        let colored = match (line.find(" (−"), line.find(" (+")) {
            (Some(p), _) => paint(line, p, GREEN),
            (_, Some(p)) => paint(line, p, RED),
            _ => line.to_string(),
        };
        out.push_str(&colored);
        out.push('\n');
    }
    out
}

fn paint(line: &str, paren: usize, color: &str) -> String {
    let start = line[..paren].rfind(' ').map_or(0, |i| i + 1);
    let end = line[paren..]
        .find(')')
        .map_or(line.len(), |i| paren + i + 1);
    format!(
        "{}{color}{}\x1b[0m{}",
        &line[..start],
        &line[start..end],
        &line[end..]
    )
}

/// Money with thousands separators and no decimals: `1,234,567`.
pub fn money(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let neg = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg { format!("−{out}") } else { out }
}

/// For a backlog with a start date: when it is all delivered, per variant (or
/// at which confidence levels that is after the last date that can be shown).
fn done_by(model: &Model, outcome: &Outcome) -> String {
    let rows: Vec<(&str, String)> = ranked(outcome)
        .into_iter()
        .filter_map(|v| {
            let text = match (&v.done_by, v.done_by_beyond_9999.is_empty()) {
                (Some(w), _) => format!("{} (50%)  {} (85%)  {} (95%)", w.p50, w.p85, w.p95),
                (None, false) => format!(
                    "after 9999-12-31 at {} confidence, beyond the last date that can be shown",
                    crate::sim::results::levels_text(&v.done_by_beyond_9999)
                ),
                (None, true) => return None,
            };
            Some((v.name.as_str(), text))
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let start = model
        .start
        .map(|s| s.date().to_string())
        .unwrap_or_default();
    let mut out = format!(
        "\nThe whole backlog is done by (day 1 is {start}; `flowcast forecast` also answers how many by a date):\n"
    );
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    for (name, text) in rows {
        let name = if outcome.variants.len() > 1 { name } else { "" };
        out.push_str(&format!("  {name:<width$}  {text}\n"));
    }
    out
}

/// The terminal summary of a run: the ranked comparison, where the time goes,
/// the bottleneck, and what each intervention is worth.
pub fn terminal(model: &Model, runs: u64, seed: u64, outcome: &Outcome) -> String {
    let mut out = terminal_heading(model, runs, seed, outcome);
    out.push_str(&comparison_table(model, outcome).render(""));
    out.push_str(&split_levels(model, outcome));
    out.push_str(&done_by(model, outcome));
    if outcome.variants.len() > 1 {
        out.push_str(&where_time_goes(model, outcome));
    } else {
        out.push_str(&stage_table(model, &outcome.variants[0]));
    }
    out.push_str(&flow_findings(model, outcome));
    if let Some(t) = document::classes(model, outcome) {
        out.push_str(
            "\nClasses of service, most urgent first (on time: delivered by the due date):\n",
        );
        out.push_str(&Table::from_data(&t).render("  "));
    }
    out.push_str(&economics(model, outcome));
    out
}

/// The stream's name, what was run, and with variants how to read the table.
fn terminal_heading(model: &Model, runs: u64, seed: u64, outcome: &Outcome) -> String {
    let unit = model.time_unit.name();
    let mut out = String::new();
    let compare = outcome.variants.len() > 1;
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
    if compare {
        out.push_str(&format!(
            "Lead time by variant, most improved first; changes are variant − baseline with 95% CIs from {runs} paired runs:\n"
        ));
    }
    out
}

/// Lead time by variant, ranked, with changes against the baseline when there
/// are variants.
fn comparison_table(model: &Model, outcome: &Outcome) -> Table {
    let unit = model.time_unit.name();
    let base = &outcome.variants[0];
    let compare = outcome.variants.len() > 1;
    let per = format!("done/{}", singular(unit));
    let mut header = vec![
        "",
        "lead time",
        "95% CI",
        "p50",
        "p85",
        "p95",
        "flow eff.",
        per.as_str(),
        "WIP",
    ];
    let cycle = model.commitment.is_some();
    if cycle {
        header.push("cycle time");
    }
    if compare {
        header.extend(["change in lead time", "faster in", "bottleneck"]);
    }
    let mut t = Table::new(&header);
    for v in ranked(outcome) {
        let l = &v.lead_time;
        let mut row = vec![
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
        ];
        if cycle {
            row.push(v.cycle_time.map_or("–".into(), num));
        }
        if compare {
            match (&v.delta, change_cell(v, base)) {
                (Some(d), Some(change)) => {
                    let settled = v.overloaded.is_empty() && base.overloaded.is_empty();
                    row.push(change);
                    row.push(if settled {
                        format!("{} of runs", pct(d.share_of_runs_faster))
                    } else {
                        "–".into()
                    });
                }
                _ => row.extend(["".into(), "".into()]),
            }
            row.push(v.bottleneck.clone());
        }
        t.row(row);
    }
    t
}

/// A stream that splits items: lead time, throughput and WIP of the items
/// that split and of their children, per variant.
fn split_levels(model: &Model, outcome: &Outcome) -> String {
    let Some(first) = outcome.variants[0].split.as_ref() else {
        return String::new();
    };
    let unit = model.time_unit.name();
    let compare = outcome.variants.len() > 1;
    let per = format!("done/{}", singular(unit));
    let mut header = vec![];
    if compare {
        header.push("variant");
    }
    header.extend([
        "level",
        "lead time",
        "95% CI",
        "max",
        "flow eff.",
        per.as_str(),
        "WIP",
    ]);
    let mut t = Table::new(&header);
    for v in ranked(outcome) {
        let Some(sp) = &v.split else { continue };
        for (i, l) in [&sp.parents, &sp.children].into_iter().enumerate() {
            let mut row = vec![];
            if compare {
                row.push(if i == 0 {
                    v.name.clone()
                } else {
                    String::new()
                });
            }
            let ci = l.lead_time.mean_ci95;
            row.extend([
                describe::plural(&l.name),
                num(l.lead_time.mean),
                if ci[0].is_nan() {
                    "–".into()
                } else {
                    format!("{}–{}", num(ci[0]), num(ci[1]))
                },
                num(l.lead_time.max),
                pct(l.flow_efficiency),
                num(l.throughput),
                num(l.wip),
            ]);
            t.row(row);
        }
    }
    let (parents, children) = (
        describe::plural(&first.parents.name),
        describe::plural(&first.children.name),
    );
    format!(
        "\nSplit at {}: {parents} become {} {children} each on average and are done when the last of them is; \
         lead time of {parents} from arrival, of {children} from the split:\n{}",
        first.stage,
        num(first.children_per_parent),
        t.render("  ")
    )
}

/// Where the time goes, stage by stage, for a run without variants; with a
/// "blocked" column (the part of waiting spent blocked) when a stage has
/// blocked work.
fn stage_table(model: &Model, base: &VariantResult) -> String {
    let unit = model.time_unit.name();
    let blocking = model.stages.iter().any(|s| s.blocked.is_some());
    let mut out = String::new();
    out.push_str(&format!("\nWhere the time goes (mean per item, {unit}):\n"));
    let mut header = vec!["stage", "workers", "busy", "waiting"];
    if blocking {
        header.push("of it blocked");
    }
    header.extend(["working", "visits", ""]);
    let mut t = Table::new(&header);
    if base.entry_wait > 0.0 {
        let mut row: Vec<String> = vec![
            "(held before the first stage)".into(),
            "".into(),
            "".into(),
            num(base.entry_wait),
        ];
        if blocking {
            row.push("".into());
        }
        row.extend(["".into(), "".into(), "".into()]);
        t.row(row);
    }
    for (s, r) in model.stages.iter().zip(&base.stages) {
        let mark = if r.name == base.bottleneck {
            "◀ bottleneck"
        } else {
            ""
        };
        let mut row = vec![
            s.name.clone(),
            describe::workers(model, &s.capacity, None),
            r.utilization.map_or("".into(), pct),
            num(r.wait_per_item),
        ];
        if blocking {
            row.push(if s.blocked.is_some() {
                num(r.time_blocked)
            } else {
                "".into()
            });
        }
        row.extend([num(r.active_per_item), fmt_sig(r.visits, 3), mark.into()]);
        t.row(row);
    }
    out.push_str(&t.render("  "));
    out
}

/// The bottleneck and the busiest people, flow efficiency, cycle time, and
/// the flow distribution over item types.
fn flow_findings(model: &Model, outcome: &Outcome) -> String {
    let unit = model.time_unit.name();
    let base = &outcome.variants[0];
    let compare = outcome.variants.len() > 1;
    let mut out = String::new();
    out.push('\n');
    if let Some(b) = base.stages.iter().find(|s| s.name == base.bottleneck) {
        let share = b.wait_per_item / base.lead_time.mean;
        out.push_str(&format!(
            "Bottleneck{}: {} — items wait {} {unit} there, {} of their lead time.",
            if compare { " of the baseline" } else { "" },
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
                .or_else(|| {
                    base.pools
                        .iter()
                        .find(|p| format!("{} pool", p.name) == *mu)
                        .map(|p| p.utilization)
                })
                .unwrap_or(f64::NAN);
            out.push_str(&format!(" Busiest people: {mu} ({} busy).", pct(u)));
        }
        out.push('\n');
    }
    out.push_str(&blocked_finding(model, base, compare));
    out.push_str(&format!(
        "Flow efficiency {}: of {} {unit} lead time, items are worked on for {}.\n",
        pct(base.flow_efficiency),
        num(base.lead_time.mean),
        num(base.lead_time.mean * base.flow_efficiency)
    ));
    if let Some(c) = base.cycle_time {
        out.push_str(&format!("Cycle time from commitment: {} {unit}.\n", num(c)));
    }
    if model.arriving_types().count() > 1 {
        out.push_str("Flow distribution (share of deliveries, mean lead time):\n");
        for v in &outcome.variants {
            let parts: Vec<String> = v
                .types
                .iter()
                .zip(&model.types)
                .filter(|(_, ty)| ty.share > 0.0)
                .map(|(t, _)| t)
                .map(|t| format!("{} {} ({})", t.name, pct(t.share), num(t.lead_time_mean)))
                .collect();
            out.push_str(&format!("  {}: {}\n", v.name, parts.join(", ")));
        }
    }
    out
}

/// Where items are blocked (stages with blocked work), per item, in one line;
/// empty when no stage has blocked work.
fn blocked_finding(model: &Model, base: &VariantResult, compare: bool) -> String {
    let unit = model.time_unit.name();
    let parts: Vec<String> = model
        .stages
        .iter()
        .zip(&base.stages)
        .filter(|(s, _)| s.blocked.is_some())
        .map(|(s, r)| {
            format!(
                "{} {unit} per item at {}, of the {} they wait there",
                num(r.time_blocked),
                s.name,
                num(r.wait_per_item)
            )
        })
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    format!(
        "Blocked work{}: {}.\n",
        if compare { " in the baseline" } else { "" },
        parts.join(", ")
    )
}

/// Baseline first, then the variants by mean lead-time change, best first;
/// variants that overload a stage last, since their change is not a finding.
pub(crate) fn ranked(outcome: &Outcome) -> Vec<&VariantResult> {
    let mut order: Vec<&VariantResult> = outcome.variants.iter().collect();
    order[1..].sort_by(|a, b| {
        let da = a.delta.as_ref().map_or(0.0, |d| d.lead_time_mean);
        let db = b.delta.as_ref().map_or(0.0, |d| d.lead_time_mean);
        (!a.overloaded.is_empty())
            .cmp(&!b.overloaded.is_empty())
            .then(da.total_cmp(&db))
    });
    order
}

/// Every stage of the model and of the variants, in flow order: a stage only
/// variants have goes right after the stage it follows in the first of them
/// (in `variants`' order) that has it.
pub(crate) fn stage_names<'a>(
    model: &Model,
    variants: impl IntoIterator<Item = &'a VariantResult>,
) -> Vec<String> {
    let mut names: Vec<String> = model.stages.iter().map(|s| s.name.clone()).collect();
    for v in variants {
        for (i, s) in v.stages.iter().enumerate() {
            if !names.contains(&s.name) {
                let at = match i.checked_sub(1) {
                    Some(p) => names
                        .iter()
                        .position(|n| *n == v.stages[p].name)
                        .map_or(names.len(), |k| k + 1),
                    None => 0,
                };
                names.insert(at, s.name.clone());
            }
        }
    }
    names
}

/// The ±20% sensitivity table's columns.
pub(crate) const SENSITIVITY_HEADER: [&str; 6] =
    ["parameter", "as is", "−20%", "change", "+20%", "change"];

/// The ±20% sensitivity table's rows, largest swing first.
pub(crate) fn sensitivity_rows(
    effects: &[crate::analysis::sensitivity::Effect],
) -> Vec<Vec<String>> {
    let mut sorted: Vec<&crate::analysis::sensitivity::Effect> = effects.iter().collect();
    sorted.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    sorted
        .iter()
        .map(|e| {
            vec![
                e.parameter.clone(),
                e.values[0].clone(),
                e.values[1].clone(),
                effect_cell(e.low, e.low_ci95, e.low_overloaded),
                e.values[2].clone(),
                effect_cell(e.high, e.high_ci95, e.high_overloaded),
            ]
        })
        .collect()
}

/// Per stage and variant: waiting + working per item, so the table explains why
/// a variant moves lead time.
fn where_time_goes(model: &Model, outcome: &Outcome) -> String {
    let unit = model.time_unit.name();
    let variants = ranked(outcome);
    let names = stage_names(model, variants.iter().copied());
    let mut header: Vec<String> = vec!["stage".into()];
    header.extend(variants.iter().map(|v| v.name.clone()));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = Table::new(&header_refs);
    if variants.iter().any(|v| v.entry_wait > 0.0) {
        let mut row = vec!["(held before the first stage)".to_string()];
        row.extend(variants.iter().map(|v| num(v.entry_wait)));
        t.row(row);
    }
    for name in &names {
        let mut row = vec![name.clone()];
        for v in &variants {
            row.push(match v.stages.iter().find(|s| &s.name == name) {
                Some(s) => format!("{} + {}", num(s.wait_per_item), num(s.active_per_item)),
                None => "—".into(),
            });
        }
        t.row(row);
    }
    let mut total = vec!["lead time".to_string()];
    total.extend(variants.iter().map(|v| num(v.lead_time.mean)));
    t.row(total);
    format!(
        "\nWhere the time goes: waiting + working per item at each stage, in {unit}:\n{}",
        t.render("  ")
    )
}

fn economics(model: &Model, outcome: &Outcome) -> String {
    let Some((intro, data, formula)) = document::economics(model, outcome) else {
        return String::new();
    };
    let header: Vec<&str> = data.header.iter().map(String::as_str).collect();
    let mut t = Table::new(&header);
    for r in &data.rows {
        t.row(r.clone());
    }
    let mut out = format!("\n{intro}\n{}", t.render("  "));
    if !formula.is_empty() {
        out.push_str(&format!("  {formula}\n"));
    }
    out
}

/// One end of a sensitivity probe: the change with its CI, or why there is none.
pub(crate) fn effect_cell(value: Option<f64>, ci: Option<[f64; 2]>, overloaded: bool) -> String {
    match (overloaded, value, ci) {
        (true, _, _) => OVERLOADED.to_string(),
        (false, Some(x), Some(ci)) => signed(x, ci, num),
        _ => "–".to_string(),
    }
}

/// The change column of a variant's row: its lead-time delta, or — when it or
/// the baseline overloads a stage — why the delta is not a finding. `None` for
/// the baseline.
pub(crate) fn change_cell(v: &VariantResult, base: &VariantResult) -> Option<String> {
    let d = v.delta.as_ref()?;
    Some(if !v.overloaded.is_empty() {
        format!("{OVERLOADED} ({})", v.overloaded.join(", "))
    } else if !base.overloaded.is_empty() {
        "baseline overloaded: no comparison".to_string()
    } else {
        signed(d.lead_time_mean, d.lead_time_mean_ci95, num)
    })
}

/// The sensitivity tornado: parameters ranked by how much ±20% moves mean lead time.
/// A probe that overloads a stage says so in place of a number, and ranks first.
pub fn sensitivity(
    model: &Model,
    runs: u64,
    effects: &[crate::analysis::sensitivity::Effect],
) -> String {
    let unit = model.time_unit.name();
    let mut out = format!(
        "\nSensitivity: change in mean lead time ({unit}) when one parameter is 20% lower or higher, \
         {runs} paired runs each, largest effect first:\n"
    );
    let mut t = Table::new(&SENSITIVITY_HEADER);
    for row in sensitivity_rows(effects) {
        t.row(row);
    }
    out.push_str(&t.render("  "));
    if effects
        .iter()
        .any(|e| e.low_overloaded || e.high_overloaded)
    {
        out.push_str(
            "  A probe marked overloaded gives some stage more work than it can do, so its queue grows for as long \
             as the stream runs: it was not simulated, since its lead time would only measure the run's length.\n",
        );
    }
    out
}
