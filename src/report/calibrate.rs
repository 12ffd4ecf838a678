//! `flowcast calibrate`'s output: the terminal summary and fit table, the JSON,
//! and the report folder (observed beside simulated lead-time CDFs and
//! per-stage bars).

use std::fmt::Write as _;

use askama::Template;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde_json::{Value, json};

use crate::analysis::calibrate::check::{DistanceRow, FitCheck, NumberRow, Quantiles};
use crate::analysis::calibrate::fit::{Capacity, Fitted};
use crate::analysis::calibrate::pipeline::{Outcome, date_of};
use crate::analysis::calibrate::time::format_millis;
use crate::report::Table;
use crate::report::charts::{Chart, MUTED, color, frame, legend, n, text_style};
use crate::report::document::TableData;
use crate::stats::fmt_sig;

fn items(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

/// An axis tick: whole numbers without decimals.
fn tick(v: f64) -> String {
    if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        n(v)
    }
}

fn pct(x: f64) -> String {
    format!("{}%", fmt_sig(x * 100.0, 3))
}

fn dist_word(f: &Fitted) -> String {
    match f {
        Fitted::Zero => "0".into(),
        Fitted::Constant(v) => format!("{} d", n(*v)),
        Fitted::Family { dist, .. } => format!(
            "{} {} d, cv {}",
            dist.name(),
            n(dist.mean()),
            fmt_sig(dist.cv(), 2)
        ),
        Fitted::Empirical { .. } => format!("observed values, mean {} d", n(f.mean())),
    }
}

/// The fitted stages as a table.
pub fn stages_table(o: &Outcome) -> TableData {
    let header = [
        "stage",
        "visits",
        "people",
        "work per visit",
        "wait",
        "rework",
    ]
    .map(String::from)
    .to_vec();
    let rows = o
        .calibration
        .stages
        .iter()
        .map(|s| {
            let people = match &s.capacity {
                Capacity::Workers(w) => w.to_string(),
                Capacity::Unlimited => "any".into(),
                Capacity::Schedule { every, .. } => format!("every {} d", n(*every)),
                Capacity::Weekdays {
                    days, at_minute, ..
                } => {
                    let on = crate::analysis::calibrate::fit::weekday_names(days);
                    format!(
                        "{} {:02}:{:02}",
                        on.join(", "),
                        at_minute / 60,
                        at_minute % 60
                    )
                }
            };
            let work = if s.work_by_type.is_empty() {
                dist_word(&s.work)
            } else {
                s.work_by_type
                    .iter()
                    .map(|(t, f)| format!("{t}: {}", dist_word(f)))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let wait = match (&s.wait, s.leftover_wait) {
                (Some(f), _) => dist_word(f),
                (None, Some(w)) => format!("exponential {} d", n(w)),
                (None, None) => "–".into(),
            };
            let rework = s.rework.as_ref().map_or("–".into(), |r| {
                let to = o
                    .calibration
                    .stages
                    .get(r.to)
                    .map_or("?", |t| t.name.as_str());
                format!("{} to {to}", pct(r.probability))
            });
            vec![
                s.name.clone(),
                s.visits.to_string(),
                people,
                work,
                wait,
                rework,
            ]
        })
        .collect();
    TableData { header, rows }
}

fn number_row(name: &str, r: &NumberRow, f: &dyn Fn(f64) -> String) -> Vec<String> {
    vec![
        name.into(),
        f(r.observed),
        f(r.simulated),
        "".into(),
        "".into(),
        r.verdict.word().into(),
    ]
}

fn distance_cells(d: &DistanceRow) -> (String, String) {
    if d.ks.is_nan() {
        return ("–".into(), "–".into());
    }
    (
        // KS distances never exceed 1: a larger critical value means the
        // samples are too small to tell anything apart.
        format!(
            "{} (crit. {})",
            fmt_sig(d.ks, 2),
            fmt_sig(d.critical.min(1.0), 2)
        ),
        format!("{} d", n(d.wasserstein)),
    )
}

/// The fit check as a table: observed beside simulated.
pub fn fit_table(c: &FitCheck) -> TableData {
    let header = [
        "",
        "observed",
        "simulated",
        "KS distance",
        "Wasserstein",
        "verdict",
    ]
    .map(String::from)
    .to_vec();
    let days = |x: f64| format!("{} d", n(x));
    let q = |name: &str, get: fn(&Quantiles) -> f64| {
        vec![
            name.to_string(),
            days(get(&c.lead_observed)),
            days(get(&c.lead_simulated)),
            String::new(),
            String::new(),
            String::new(),
        ]
    };
    let (ks, w1) = distance_cells(&c.lead);
    let mut rows = vec![
        vec![
            "lead time (distribution)".to_string(),
            items(c.lead.n_observed),
            items(c.lead.n_simulated),
            ks,
            w1,
            c.lead.verdict.word().into(),
        ],
        q("  p50", |q| q.p50),
        q("  p85", |q| q.p85),
        q("  p95", |q| q.p95),
        q("  mean", |q| q.mean),
        number_row("throughput per week", &c.throughput, &|x| n(x)),
        number_row("WIP (items in the stream)", &c.wip, &|x| n(x)),
        number_row("flow efficiency", &c.flow_efficiency, &pct),
        number_row("reworked items", &c.rework_share, &pct),
    ];
    for s in &c.stages {
        let (ks, w1) = distance_cells(&s.distance);
        rows.push(vec![
            format!("{}: waiting / in work", s.name),
            format!("{} / {}", days(s.observed_queue), days(s.observed_active)),
            format!("{} / {}", days(s.simulated_queue), days(s.simulated_active)),
            ks,
            w1,
            s.distance.verdict.word().into(),
        ]);
    }
    TableData { header, rows }
}

/// Lines for the terminal.
pub fn terminal(o: &Outcome, written: Option<&str>) -> String {
    let mut out = String::new();
    let q = &o.quality;
    let _ = writeln!(
        out,
        "Read {} rows: {} items with a journey, {} delivered, {} .. {}.",
        q.rows,
        o.items,
        o.delivered,
        date_of(o.window.0),
        date_of(o.window.1)
    );
    let odd = [
        (q.out_of_order, "items with rows out of time order (sorted)"),
        (q.duplicates, "repeated statuses (collapsed)"),
        (q.single_status, "items with one status only"),
        (q.mixed_offsets, "items with mixed UTC offsets"),
        (q.outside_window, "rows outside --window (left out)"),
    ];
    for (count, what) in odd.iter().filter(|(c, _)| *c > 0) {
        let _ = writeln!(out, "  {count} {what}");
    }
    if !o.unmapped.is_empty() {
        let list: Vec<String> = o
            .unmapped
            .iter()
            .map(|(s, c)| format!("{s} ({c})"))
            .collect();
        let _ = writeln!(
            out,
            "  statuses not in the workflow, counted as waiting where they occur: {}",
            list.join(", ")
        );
    }
    if o.inferred {
        let _ = writeln!(
            out,
            "\nInferred workflow (save it with --write-workflow FILE and correct it):"
        );
        for line in o.workflow.to_yaml().lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = writeln!(out, "\nFitted stream:");
    out.push_str(&Table::from_data(&stages_table(o)).render("  "));
    let _ = writeln!(
        out,
        "\nFit check: the calibrated scenario simulated over the same {} days ({} runs), beside the history:",
        n(o.calibration.arrivals.days),
        o.check.runs
    );
    out.push_str(&Table::from_data(&fit_table(&o.check)).render("  "));
    out.push_str(
        "  close: a two-sample KS test (5%) cannot tell them apart, or within 10%; \
         fair: within twice that, or 25%.\n",
    );
    for w in &o.calibration.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    if let Some(path) = written {
        let _ = writeln!(
            out,
            "\nScenario written to {path}: try `flowcast run {path}`."
        );
    }
    out
}

fn quantiles(q: &Quantiles) -> Value {
    json!({"p50": q.p50, "p85": q.p85, "p95": q.p95, "mean": q.mean})
}

fn workflow_json(o: &Outcome) -> Value {
    let w = &o.workflow;
    json!({
        "stages": w.stages.iter().map(|s| json!({"stage": s.stage, "queue": s.queue, "active": s.active})).collect::<Vec<_>>(),
        "done": w.done,
        "not_delivered": w.not_delivered,
        "blocked": w.blocked,
        "commitment": w.commitment,
        "inferred": o.inferred,
    })
}

/// The JSON document (`--json`).
pub fn json(o: &Outcome, scenario: Option<&str>) -> Value {
    let c = &o.check;
    let q = &o.quality;
    json!({
        "scenario": scenario,
        "items": o.items,
        "delivered": o.delivered,
        "window": [format_millis(o.window.0), format_millis(o.window.1)],
        "quality": {
            "rows": q.rows, "out_of_order": q.out_of_order, "duplicates": q.duplicates,
            "single_status": q.single_status, "mixed_offsets": q.mixed_offsets,
            "outside_window": q.outside_window,
            "unmapped": o.unmapped.iter().map(|(s, c)| json!({"status": s, "entries": c})).collect::<Vec<_>>(),
        },
        "workflow": workflow_json(o),
        "fit": {
            "runs": c.runs,
            "lead_time": {
                "observed": quantiles(&c.lead_observed),
                "simulated": quantiles(&c.lead_simulated),
                "ks": c.lead.ks, "ks_critical": c.lead.critical,
                "wasserstein": c.lead.wasserstein, "verdict": c.lead.verdict.word(),
            },
            "throughput": number_json(&c.throughput),
            "wip": number_json(&c.wip),
            "flow_efficiency": number_json(&c.flow_efficiency),
            "rework_share": number_json(&c.rework_share),
            "stages": c.stages.iter().map(|s| json!({
                "name": s.name,
                "observed_queue": s.observed_queue, "simulated_queue": s.simulated_queue,
                "observed_active": s.observed_active, "simulated_active": s.simulated_active,
                "ks": s.distance.ks, "ks_critical": s.distance.critical,
                "wasserstein": s.distance.wasserstein, "verdict": s.distance.verdict.word(),
            })).collect::<Vec<_>>(),
        },
        "warnings": o.calibration.warnings,
    })
}

fn number_json(r: &NumberRow) -> Value {
    json!({"observed": r.observed, "simulated": r.simulated, "verdict": r.verdict.word()})
}

/// Observed and simulated lead-time CDFs on one chart.
pub fn lead_time_overlay(c: &FitCheck) -> Chart {
    let title = "Lead time: history beside the calibrated simulation".to_string();
    let (obs, sim) = (&c.lead_samples.0, &c.lead_samples.1);
    let p99 = |v: &[f64]| {
        v.get(((v.len() as f64 - 1.0) * 0.99) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let x_max = p99(obs).max(p99(sim)).max(1e-9) * 1.08;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 440)).into_drawing_area();
        let built = frame(&root, &title, 20, 56).build_cartesian_2d(0.0..x_max, 0.0..100.0);
        if let Ok(mut chart) = built {
            let _ = chart
                .configure_mesh()
                .x_desc("lead time (days)")
                .y_desc("items delivered within (%)")
                .y_label_formatter(&|v| format!("{v:.0}%"))
                .x_label_formatter(&|v| tick(*v))
                .light_line_style(TRANSPARENT)
                .draw();
            for (i, (v, name)) in [(obs, "history"), (sim, "simulated")]
                .into_iter()
                .enumerate()
            {
                if v.is_empty() {
                    continue;
                }
                let col = color(i);
                let len = v.len() as f64;
                let points: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
                    .chain(v.iter().enumerate().flat_map(|(k, &x)| {
                        let x = x.min(x_max);
                        [
                            (x, k as f64 / len * 100.0),
                            (x, (k + 1) as f64 / len * 100.0),
                        ]
                    }))
                    .collect();
                let thin = if points.len() > 4000 {
                    points.len() / 2000
                } else {
                    1
                };
                let points: Vec<(f64, f64)> = points.into_iter().step_by(thin).collect();
                if let Ok(s) = chart.draw_series(LineSeries::new(points, col.stroke_width(2))) {
                    s.label(format!("{name} ({} items)", v.len()))
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 22, y)], col.stroke_width(3))
                        });
                }
            }
            let _ = chart.draw_series(std::iter::once(Text::new(
                format!(
                    "KS distance {} · Wasserstein {} d",
                    fmt_sig(c.lead.ks, 2),
                    n(c.lead.wasserstein)
                ),
                (x_max * 0.01, 97.0),
                text_style(13.0, MUTED, HPos::Left, VPos::Top),
            )));
            legend(&mut chart, SeriesLabelPosition::LowerRight, 14);
        }
        let _ = root.present();
    }
    Chart {
        file: "lead-time-fit.svg",
        title,
        svg,
    }
}

/// Per stage: waiting and in-work days per delivered item, history beside simulation.
///
/// Long on purpose: one plotters chart drawn top to bottom.
pub fn stage_bars(c: &FitCheck) -> Chart {
    let title = "Where the time goes, per stage: history beside simulation".to_string();
    let k = c.stages.len().max(1);
    let y_max = c
        .stages
        .iter()
        .map(|s| (s.observed_queue + s.observed_active).max(s.simulated_queue + s.simulated_active))
        .fold(0.0f64, f64::max)
        .max(1e-9)
        * 1.15;
    let height = (140 + 80 * k) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, height)).into_drawing_area();
        let built = frame(&root, &title, 20, 20).build_cartesian_2d(0.0..y_max, 0.0..(k as f64));
        if let Ok(mut chart) = built {
            let _ = chart
                .configure_mesh()
                .x_desc("days per delivered item")
                .x_label_formatter(&|v| tick(*v))
                .disable_y_mesh()
                .disable_y_axis()
                .light_line_style(TRANSPARENT)
                .draw();
            let wait = RGBColor(0xe8, 0xa3, 0x3d);
            let active = RGBColor(0x1f, 0x4e, 0x79);
            for (i, s) in c.stages.iter().enumerate() {
                let top = (k - i) as f64;
                let _ = chart.draw_series(std::iter::once(Text::new(
                    s.name.clone(),
                    (y_max * 0.005, top - 0.04),
                    text_style(14.0, crate::report::charts::INK, HPos::Left, VPos::Top),
                )));
                for (row, (q, a)) in [
                    (s.observed_queue, s.observed_active),
                    (s.simulated_queue, s.simulated_active),
                ]
                .into_iter()
                .enumerate()
                {
                    let y0 = top - 0.3 - 0.33 * row as f64;
                    let y1 = y0 - 0.29;
                    let alpha = if row == 0 { 1.0 } else { 0.5 };
                    let _ = chart.draw_series([
                        Rectangle::new([(0.0, y1), (q, y0)], wait.mix(alpha).filled()),
                        Rectangle::new([(q, y1), (q + a, y0)], active.mix(alpha).filled()),
                    ]);
                    let _ = chart.draw_series(std::iter::once(Text::new(
                        format!(
                            "{} {} d",
                            if row == 0 { "history" } else { "simulated" },
                            n(q + a)
                        ),
                        (q + a + y_max * 0.01, (y0 + y1) / 2.0),
                        text_style(12.0, MUTED, HPos::Left, VPos::Center),
                    )));
                }
            }
            let _ = chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, 0.0), (0.0, 0.0)],
                    wait.filled(),
                )))
                .map(|s| {
                    s.label("waiting").legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 16, y + 5)], wait.filled())
                    })
                });
            let _ = chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, 0.0), (0.0, 0.0)],
                    active.filled(),
                )))
                .map(|s| {
                    s.label("in work").legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 16, y + 5)], active.filled())
                    })
                });
            legend(&mut chart, SeriesLabelPosition::UpperRight, 13);
        }
        let _ = root.present();
    }
    Chart {
        file: "stages-fit.svg",
        title,
        svg,
    }
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
    /// The fitted stream.
    pub stages: TableData,
    /// Observed beside simulated.
    pub fit: TableData,
    /// Charts.
    pub charts: Vec<Chart>,
    /// Warnings and data quality notes.
    pub notes: Vec<String>,
    /// The scenario file name and text.
    pub scenario: (String, String),
}

#[derive(Template)]
#[template(path = "calibrate.html")]
struct Html<'a> {
    doc: &'a Page,
}

fn page(o: &Outcome, scenario_name: &str) -> Page {
    let c = &o.check;
    let verdicts = c
        .stages
        .iter()
        .filter(|s| s.distance.verdict.word() == "close")
        .count();
    let summary = vec![
        format!(
            "{} items entered the workflow between {} and {}; {} were delivered. \
             The calibrated scenario, simulated {} times over the same {} days, delivers items \
             with a median lead time of {} days against {} days observed (p85 {} against {}).",
            o.items,
            date_of(o.window.0),
            date_of(o.window.1),
            o.delivered,
            c.runs,
            n(o.calibration.arrivals.days),
            n(c.lead_simulated.p50),
            n(c.lead_observed.p50),
            n(c.lead_simulated.p85),
            n(c.lead_observed.p85),
        ),
        format!(
            "Lead-time distributions: KS distance {} (5% critical value {}), 1-Wasserstein {} days: {}. \
             {} of {} stages are close.",
            fmt_sig(c.lead.ks, 2),
            fmt_sig(c.lead.critical, 2),
            n(c.lead.wasserstein),
            c.lead.verdict.word(),
            verdicts,
            c.stages.len()
        ),
    ];
    let mut notes: Vec<String> = o.calibration.warnings.clone();
    if !o.unmapped.is_empty() {
        notes.push(format!(
            "Statuses not in the workflow, counted as waiting where they occur: {}.",
            o.unmapped
                .iter()
                .map(|(s, c)| format!("{s} ({c})"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes.push(
        "Both columns are measured the same way: journeys through the workflow's statuses, \
         delivered items only, cut at the window's end; the simulation starts empty."
            .into(),
    );
    Page {
        title: format!("Calibration: {}", scenario_name),
        meta: format!(
            "{} rows · {} items · {} delivered",
            o.quality.rows, o.items, o.delivered
        ),
        summary,
        stages: stages_table(o),
        fit: fit_table(c),
        charts: vec![lead_time_overlay(c), stage_bars(c)],
        notes,
        scenario: (scenario_name.to_string(), o.text.clone()),
    }
}

fn markdown_table(t: &TableData) -> String {
    let mut s = format!("| {} |\n|", t.header.join(" | "));
    for _ in &t.header {
        s.push_str("---|");
    }
    s.push('\n');
    for r in &t.rows {
        let _ = writeln!(s, "| {} |", r.join(" | "));
    }
    s
}

fn markdown(p: &Page) -> String {
    let mut s = format!("# {}\n\n{}\n\n", p.title, p.meta);
    for para in &p.summary {
        let _ = writeln!(s, "{para}\n");
    }
    let _ = writeln!(s, "## Fit check\n\n{}", markdown_table(&p.fit));
    let _ = writeln!(s, "## The fitted stream\n\n{}", markdown_table(&p.stages));
    for c in &p.charts {
        let _ = writeln!(s, "## {}\n\n![{}]({})\n", c.title, c.title, c.file);
    }
    let _ = writeln!(s, "## Notes\n");
    for note in &p.notes {
        let _ = writeln!(s, "- {note}");
    }
    let _ = writeln!(
        s,
        "\n## The scenario ({})\n\n```yaml\n{}```",
        p.scenario.0, p.scenario.1
    );
    s
}

/// The report folder's files.
pub fn files(o: &Outcome, scenario_name: &str, json_text: &str) -> Vec<(String, Vec<u8>)> {
    let p = page(o, scenario_name);
    let html = Html { doc: &p }
        .render()
        .expect("the calibrate template renders plain strings and cannot fail");
    let mut files = vec![
        ("report.html".to_string(), html.into_bytes()),
        ("report.md".to_string(), markdown(&p).into_bytes()),
        ("summary.json".to_string(), json_text.as_bytes().to_vec()),
        ("scenario.yaml".to_string(), o.text.clone().into_bytes()),
    ];
    files.extend(
        p.charts
            .iter()
            .map(|c| (c.file.to_string(), c.svg.clone().into_bytes())),
    );
    files
}
