//! What `flowcast invest` shows: the ranked combinations, the interactions and
//! where to add a person in the terminal (within 100 columns), as JSON, and as
//! a report folder with the Pareto charts of cost against what is saved.

use std::fmt::Write as _;

use askama::Template;
use plotters::prelude::*;
use serde::Serialize;

use super::charts::{Chart, INK, MUTED, color, frame, legend};
use super::document::TableData;
use super::money;
use crate::analysis::invest::{Combination, Est, Invest, Plan};
use crate::model::Model;
use crate::stats::fmt_sig;

const WIDTH: usize = 100;

fn n(x: f64) -> String {
    if x.is_finite() {
        fmt_sig(x, 3)
    } else {
        "–".into()
    }
}

fn name(c: &Combination) -> String {
    if c.members.is_empty() {
        "fund nothing (the baseline)".into()
    } else {
        c.members.join(" + ")
    }
}

fn est_time(e: &Est) -> String {
    format!("{} ({} to {})", n(e.mean), n(e.ci95[0]), n(e.ci95[1]))
}

fn est_money(e: &Est) -> String {
    format!(
        "{} ({} to {})",
        money(e.mean),
        money(e.ci95[0]),
        money(e.ci95[1])
    )
}

fn currency(model: &Model) -> &str {
    model.economics.as_ref().map_or("", |e| e.currency.as_str())
}

/// Words wrapped at [`WIDTH`] columns, each line after the first indented by `indent`.
fn wrap(text: &str, indent: usize) -> String {
    let mut out = String::new();
    let lead = text.len() - text.trim_start().len();
    let mut line = " ".repeat(lead);
    for w in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + w.chars().count() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = " ".repeat(indent);
        } else if !line.trim().is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

fn marks(c: &Combination) -> String {
    let mut m = Vec::new();
    if c.dropped {
        m.push("dropped".to_string());
    } else if c.as_good_as_best {
        m.push("≈ best".to_string());
    }
    if c.pareto {
        m.push("front".to_string());
    }
    m.join(", ")
}

/// The terminal text.
pub fn terminal(model: &Model, plan: &Plan, r: &Invest) -> String {
    let unit = model.time_unit.name();
    let cur = currency(model);
    let mut s = String::new();
    let _ = writeln!(s, "Which changes to fund: {}", model.name);
    let budget = plan.budget.map_or("no budget limit".to_string(), |b| {
        format!("budget {cur} {} for one-off costs", money(b))
    });
    s.push_str(&wrap(
        &format!(
            "{} candidates; evaluated {}. {budget}. Up to {} runs each, seed {}, times in {unit}; ranked by {}.",
            plan.candidates.iter().filter(|c| c.combine).count(),
            r.search,
            plan.runs,
            plan.seed,
            r.ranked_by
        ),
        0,
    ));
    for why in &r.refused {
        s.push_str(&wrap(&format!("Not combined: {why}."), 2));
    }
    if r.over_budget > 0 {
        let _ = writeln!(
            s,
            "Left out: {} combinations over the budget.",
            r.over_budget
        );
    }
    for u in &r.unsettled {
        s.push_str(&wrap(
            &format!("Left out: `{u}` cannot settle (its queues grow without bound)."),
            2,
        ));
    }
    s.push('\n');
    let priced = r
        .combinations
        .iter()
        .any(|c| c.cost_of_delay_avoided.is_some());
    let value_head = if priced {
        format!("{} ({cur})", r.ranked_by)
    } else {
        String::new()
    };
    let _ = writeln!(
        s,
        " #  {:>9} {:>9}  {:<32} {:<20} {:>4}",
        "one-off",
        "per year",
        value_head,
        format!("{unit} saved per item"),
        "runs"
    );
    let _ = writeln!(s, "{}", "─".repeat(WIDTH));
    let shown: Vec<&Combination> = r
        .combinations
        .iter()
        .filter(|c| !c.dropped)
        .chain(r.combinations.iter().filter(|c| c.dropped).take(5))
        .collect();
    for (i, c) in shown.iter().enumerate() {
        let value = match (c.net_value_per_year, c.cost_of_delay_avoided) {
            (Some(v), _) | (None, Some(v)) => est_money(&v),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "{:>2}  {:>9} {:>9}  {:<32} {:<20} {:>4}  {}",
            i + 1,
            money(c.cost),
            money(c.cost_per_year),
            value,
            est_time(&c.lead_time_saved),
            c.runs,
            marks(c)
        );
        s.push_str(&wrap(&format!("    {}", name(c)), 4));
    }
    let dropped = r.combinations.iter().filter(|c| c.dropped).count();
    if dropped > 5 {
        let _ = writeln!(
            s,
            "    … and {} more dropped by racing (all in --json).",
            dropped - 5
        );
    }
    s.push_str(&wrap(
        "≈ best: its paired difference from the best is within noise (95% CI includes 0); \
         front: nothing else saves more for less; dropped: racing stopped it early.",
        2,
    ));
    s.push('\n');
    s.push_str(&wrap(&format!("Racing: {}.", r.racing), 2));
    s.push_str(&wrap(
        &format!(
            "{} runs simulated in all (combination × run).",
            r.simulated_runs
        ),
        2,
    ));
    if !r.interactions.is_empty() {
        let _ = writeln!(
            s,
            "\nInteractions in the top combinations (paired on the same runs):"
        );
        for x in &r.interactions {
            s.push_str(&wrap(&format!("  {}", interaction_words(x, unit)), 4));
        }
    }
    if !r.hires.is_empty() {
        let _ = writeln!(
            s,
            "\nWhere to add a person (at {cur} {} a year each), best value per {cur} of salary first:",
            money(
                plan.candidates
                    .iter()
                    .find(|c| c.hire)
                    .map_or(0.0, |c| c.cost_per_year)
            )
        );
        for h in &r.hires {
            let mut line = format!(
                "  {}: saves {} {unit} per item (95% CI {} to {})",
                h.name,
                n(h.lead_time_saved.mean),
                n(h.lead_time_saved.ci95[0]),
                n(h.lead_time_saved.ci95[1])
            );
            if let Some(v) = h.net_value_per_year {
                let _ = write!(line, "; net value {cur} {} a year", est_money(&v));
            }
            if let Some(p) = h.value_per_cost {
                let _ = write!(line, "; {} of delay cost avoided per {cur} of salary", n(p));
            }
            s.push_str(&wrap(&line, 4));
        }
    }
    s
}

/// "A + B save 8.3 days together (CI …), 1.3 days more than the two alone add up to".
pub fn interaction_words(x: &crate::analysis::invest::Interaction, unit: &str) -> String {
    let i = x.interaction.mean;
    let (more, amount) = if i >= 0.0 { ("more", i) } else { ("less", -i) };
    let noise = x.interaction.ci95[0] <= 0.0 && x.interaction.ci95[1] >= 0.0;
    format!(
        "{} + {} save {} {unit} per item together (95% CI {} to {}), {} {unit} {more} than the two \
         alone add up to ({}; interaction CI {} to {}{}).",
        x.members[0],
        x.members[1],
        n(x.together.mean),
        n(x.together.ci95[0]),
        n(x.together.ci95[1]),
        n(amount),
        n(x.alone_sum),
        n(x.interaction.ci95[0]),
        n(x.interaction.ci95[1]),
        if noise { ", within noise" } else { "" }
    )
}

#[derive(Serialize)]
struct Json<'a> {
    scenario: &'a str,
    time_unit: &'static str,
    currency: &'a str,
    runs: u64,
    seed: u64,
    budget: Option<f64>,
    ranked_by: &'static str,
    search: &'a str,
    racing: &'a str,
    refused: &'a [String],
    over_budget: usize,
    unsettled: &'a [String],
    simulated_runs: u64,
    combinations: &'a [Combination],
    interactions: &'a [crate::analysis::invest::Interaction],
    hires: &'a [crate::analysis::invest::Hire],
}

/// The results as JSON (`NaN` bounds, from a single run, become null).
pub fn json(model: &Model, plan: &Plan, r: &Invest) -> String {
    let j = Json {
        scenario: &model.name,
        time_unit: model.time_unit.name(),
        currency: currency(model),
        runs: plan.runs,
        seed: plan.seed,
        budget: plan.budget,
        ranked_by: r.ranked_by,
        search: &r.search,
        racing: &r.racing,
        refused: &r.refused,
        over_budget: r.over_budget,
        unsettled: &r.unsettled,
        simulated_runs: r.simulated_runs,
        combinations: &r.combinations,
        interactions: &r.interactions,
        hires: &r.hires,
    };
    let mut s = serde_json::to_string_pretty(&j).expect("plain data serialises");
    s.push('\n');
    s
}

/// The Pareto chart of first-year cost against `gain` (lead time saved, or
/// cost of delay avoided): every combination with its CI bar, the front
/// joined, the budget line.
fn pareto_chart(
    r: &Invest,
    plan: &Plan,
    file: &'static str,
    title: String,
    y_desc: String,
    gain: &dyn Fn(&Combination) -> Option<(Est, bool)>,
) -> Chart {
    let pts: Vec<(f64, Est, bool, bool)> = r
        .combinations
        .iter()
        .filter_map(|c| gain(c).map(|(e, front)| (c.first_year_cost(), e, front, c.dropped)))
        .collect();
    let x_max = pts
        .iter()
        .map(|p| p.0)
        .chain(plan.budget)
        .fold(1.0_f64, f64::max)
        * 1.1;
    let lo = pts
        .iter()
        .map(|p| p.1.ci95[0])
        .filter(|x| x.is_finite())
        .fold(0.0_f64, f64::min);
    let hi = pts
        .iter()
        .map(|p| p.1.ci95[1])
        .filter(|x| x.is_finite())
        .fold(1e-9_f64, f64::max);
    let pad = (hi - lo) * 0.08;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 520)).into_drawing_area();
        let built = frame(&root, &title, 20, 80)
            .build_cartesian_2d(-x_max * 0.03..x_max, (lo - pad)..(hi + pad));
        if let Ok(mut chart) = built {
            let _ = chart
                .configure_mesh()
                .x_desc("one-off cost + one year of yearly costs")
                .y_desc(y_desc)
                .x_label_formatter(&|v| money(*v))
                .y_label_formatter(&|v| fmt_sig(*v, 3))
                .light_line_style(TRANSPARENT)
                .draw();
            if let Some(b) = plan.budget {
                let style = MUTED.stroke_width(1);
                if let Ok(s) = chart.draw_series(DashedLineSeries::new(
                    [(b, lo - pad), (b, hi + pad)],
                    6,
                    4,
                    style,
                )) {
                    s.label("budget (one-off costs)")
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], style));
                }
            }
            let mut front: Vec<(f64, f64)> = pts
                .iter()
                .filter(|p| p.2)
                .map(|p| (p.0, p.1.mean))
                .collect();
            front.sort_by(|a, b| a.0.total_cmp(&b.0));
            let line = color(1).stroke_width(2);
            if let Ok(s) = chart.draw_series(LineSeries::new(front, line)) {
                s.label("the front: nothing saves more for less")
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], line));
            }
            for (x, e, _, dropped) in &pts {
                let col = if *dropped { MUTED } else { color(0) };
                if e.ci95[0].is_finite() {
                    let _ = chart.draw_series(std::iter::once(PathElement::new(
                        vec![(*x, e.ci95[0]), (*x, e.ci95[1])],
                        col.stroke_width(1),
                    )));
                }
                let style = if *dropped {
                    col.stroke_width(1)
                } else {
                    col.filled()
                };
                let _ = chart.draw_series(std::iter::once(Circle::new((*x, e.mean), 4, style)));
            }
            let ink = INK.filled();
            if let Ok(s) = chart.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>()) {
                s.label("a combination (95% CI bar; hollow: dropped by racing)")
                    .legend(move |(x, y)| Circle::new((x + 11, y), 4, ink));
            }
            legend(&mut chart, SeriesLabelPosition::LowerRight, 13);
        }
        let _ = root.present();
    }
    Chart { file, title, svg }
}

/// The report's charts: lead time saved against cost, and cost of delay avoided when priced.
pub fn charts(model: &Model, plan: &Plan, r: &Invest) -> Vec<Chart> {
    let unit = model.time_unit.name();
    let mut out = vec![pareto_chart(
        r,
        plan,
        "pareto-lead-time.svg",
        "What each combination costs and the lead time it saves".into(),
        format!("{unit} saved per item"),
        &|c| Some((c.lead_time_saved, c.pareto)),
    )];
    if r.combinations
        .iter()
        .any(|c| c.cost_of_delay_avoided.is_some())
    {
        out.push(pareto_chart(
            r,
            plan,
            "pareto-cost-of-delay.svg",
            "What each combination costs and the cost of delay it avoids".into(),
            format!("cost of delay avoided ({})", currency(model)),
            &|c| {
                c.cost_of_delay_avoided
                    .map(|v| (v, c.pareto_cost_of_delay.unwrap_or(false)))
            },
        ));
    }
    out
}

/// The report page's content.
#[derive(Debug, Clone)]
pub struct Page {
    /// Title.
    pub title: String,
    /// One line on the inputs.
    pub meta: String,
    /// Opening paragraphs.
    pub summary: Vec<String>,
    /// The combinations.
    pub table: TableData,
    /// Where to add a person.
    pub extra: TableData,
    /// Its title.
    pub extra_title: String,
    /// Charts.
    pub charts: Vec<Chart>,
    /// How to read it.
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "invest.html")]
struct Html<'a> {
    doc: &'a Page,
}

fn page(model: &Model, plan: &Plan, r: &Invest) -> Page {
    let unit = model.time_unit.name();
    let mut table = TableData {
        header: [
            "combination",
            "one-off cost",
            "cost per year",
            r.ranked_by,
            &format!("{unit} saved per item (95% CI)"),
            "runs",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: Vec::new(),
    };
    for c in &r.combinations {
        table.rows.push(vec![
            name(c),
            money(c.cost),
            money(c.cost_per_year),
            c.net_value_per_year
                .or(c.cost_of_delay_avoided)
                .map_or_else(String::new, |v| est_money(&v)),
            est_time(&c.lead_time_saved),
            c.runs.to_string(),
            marks(c),
        ]);
    }
    let mut extra = TableData::default();
    if !r.hires.is_empty() {
        extra.header = [
            "one more person",
            "salary a year",
            "saved per item (95% CI)",
            "net value per year (95% CI)",
            "value per unit of salary",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for h in &r.hires {
            extra.rows.push(vec![
                h.name.clone(),
                money(h.salary),
                est_time(&h.lead_time_saved),
                h.net_value_per_year
                    .map_or_else(String::new, |v| est_money(&v)),
                h.value_per_cost.map_or_else(String::new, n),
            ]);
        }
    }
    let mut summary = Vec::new();
    if let Some(best) = r.combinations.first() {
        summary.push(format!(
            "Best: {} — {} {unit} saved per item (95% CI {} to {}){}.",
            name(best),
            n(best.lead_time_saved.mean),
            n(best.lead_time_saved.ci95[0]),
            n(best.lead_time_saved.ci95[1]),
            best.net_value_per_year
                .map(|v| format!(", net value {} {} a year", currency(model), est_money(&v)))
                .unwrap_or_default()
        ));
    }
    summary.extend(r.interactions.iter().map(|x| interaction_words(x, unit)));
    summary.extend(r.refused.iter().map(|w| format!("Not combined: {w}.")));
    Page {
        title: format!("Which changes to fund: {}", model.name),
        meta: format!(
            "flowcast invest · up to {} runs per combination · seed {} · times in {unit}",
            plan.runs, plan.seed
        ),
        summary,
        table,
        extra,
        extra_title: "Where to add a person".into(),
        charts: charts(model, plan, r),
        notes: vec![
            format!("Evaluated {}.", r.search),
            format!("Racing: {}.", r.racing),
            "Every combination applies its members in file order to the baseline and runs on the \
             same random draws (common random numbers), so differences are paired run by run."
                .into(),
            "The interaction of two changes is, run by run, what they save together minus what \
             each saves alone; near zero means their effects simply add up."
                .into(),
        ],
    }
}

fn markdown(p: &Page) -> String {
    let mut s = format!("# {}\n\n{}\n\n", p.title, p.meta);
    for para in &p.summary {
        let _ = writeln!(s, "{para}\n");
    }
    let tables = [
        ("Combinations, best first", &p.table),
        (p.extra_title.as_str(), &p.extra),
    ];
    for (title, t) in tables.into_iter().filter(|(_, t)| !t.header.is_empty()) {
        let _ = write!(s, "## {title}\n\n| {} |\n|", t.header.join(" | "));
        for _ in &t.header {
            s.push_str("---|");
        }
        s.push('\n');
        for r in &t.rows {
            let _ = writeln!(s, "| {} |", r.join(" | "));
        }
        s.push('\n');
    }
    for c in &p.charts {
        let _ = writeln!(s, "## {}\n\n![{}]({})\n", c.title, c.title, c.file);
    }
    let _ = writeln!(s, "## How to read it\n");
    for note in &p.notes {
        let _ = writeln!(s, "- {note}");
    }
    s
}

/// The report folder's files.
pub fn files(model: &Model, plan: &Plan, r: &Invest, json_text: &str) -> Vec<(String, Vec<u8>)> {
    let p = page(model, plan, r);
    let html = Html { doc: &p }
        .render()
        .expect("the invest template renders plain strings and cannot fail");
    let mut files = vec![
        ("report.html".to_string(), html.into_bytes()),
        ("report.md".to_string(), markdown(&p).into_bytes()),
        ("summary.json".to_string(), json_text.as_bytes().to_vec()),
    ];
    files.extend(
        p.charts
            .iter()
            .map(|c| (c.file.to_string(), c.svg.clone().into_bytes())),
    );
    files
}
