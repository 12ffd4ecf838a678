//! What `flowcast forecast` shows: the terminal table, and with `--report` a
//! folder with `report.html`, `report.md`, `summary.json` and two charts per
//! forecast — when the backlog is done (the distribution of completion dates,
//! percentiles marked) and a burn-up with its 50/85/95% lines.
//!
//! With a model and a delivery history, each gets its own pair of charts on the
//! same date axes, so the two can be compared at a glance.

mod charts;

use askama::Template;
use jiff::civil::Date;

use crate::analysis::forecast::{Forecast, History, HowMany};
use crate::report::charts::Chart;
use crate::report::document::TableData;
use crate::sim::results::When;
use crate::stats::{PairedDelta, fmt_sig};
pub use charts::charts;
use charts::completion_by_variant;

/// Where a forecast's pace comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// Simulated from the scenario's stages.
    Model,
    /// Resampled from delivery history; the text says which deliveries.
    History(String),
}

/// One forecast and where it comes from.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// Model or history.
    pub kind: SourceKind,
    /// Its answers and runs.
    pub forecast: &'a Forecast,
}

impl Source<'_> {
    fn label(&self) -> &'static str {
        match self.kind {
            SourceKind::Model => "model",
            SourceKind::History(_) => "history",
        }
    }
}

/// The model's forecast under one intervention, compared run by run with the
/// baseline's.
#[derive(Debug, Clone)]
pub struct VariantForecast {
    /// `baseline` or the intervention's name.
    pub name: String,
    /// Its answers and runs.
    pub forecast: Forecast,
    /// The change in completion date (days) against the baseline, over paired
    /// runs; `None` for the baseline.
    pub change: Option<PairedDelta>,
}

/// Everything the forecast's outputs are made from.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// The scenario's name, when there is one.
    pub name: Option<&'a str>,
    /// Day 1.
    pub start: Date,
    /// The whole backlog, done items included.
    pub backlog: u64,
    /// Items done before day 1.
    pub done: u64,
    /// Runs per forecast.
    pub runs: u64,
    /// Seed.
    pub seed: u64,
    /// The date "how many" is asked for.
    pub by: Option<Date>,
    /// The forecasts: the model's first when there is a model.
    pub sources: &'a [Source<'a>],
    /// With interventions: the model's forecast for each, baseline first
    /// (empty otherwise).
    pub variants: &'a [VariantForecast],
    /// The model's working calendar in a sentence.
    pub calendar: Option<String>,
    /// The scenario file's name and text.
    pub scenario: Option<(&'a str, &'a str)>,
    /// When the model splits items: what counts as an item, in a sentence.
    pub counting: Option<String>,
}

const LEVELS: [usize; 4] = [50, 70, 85, 95];

fn pick_date(w: &When, level: usize) -> Date {
    match level {
        50 => w.p50,
        70 => w.p70,
        85 => w.p85,
        _ => w.p95,
    }
}

fn pick_count(h: &HowMany, level: usize) -> u64 {
    match level {
        50 => h.p50,
        70 => h.p70,
        85 => h.p85,
        _ => h.p95,
    }
}

/// A date as people say it: "Tue 26 Jan 2027".
fn spoken(d: Date) -> String {
    d.strftime("%a %-d %b %Y").to_string()
}

fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p > 0.0 && p < 1.0 {
        "under 1%".to_string()
    } else if p < 100.0 && p > 99.0 {
        "over 99%".to_string()
    } else {
        format!("{p:.0}%")
    }
}

/// The table of dates and counts at each confidence, every source side by side.
pub fn table(inputs: &Inputs) -> TableData {
    let two = inputs.sources.len() > 1;
    let tag = |s: &Source| {
        if two || s.kind != SourceKind::Model {
            format!(" ({})", s.label())
        } else {
            String::new()
        }
    };
    let mut header = vec!["confidence".to_string()];
    for s in inputs.sources {
        header.push(format!("all done by{}", tag(s)));
    }
    if let Some(by) = inputs.by {
        for s in inputs.sources {
            header.push(format!("items done by {by}{}", tag(s)));
        }
    }
    let rows = LEVELS
        .iter()
        .map(|&level| {
            let mut r = vec![format!("{level}%")];
            for s in inputs.sources {
                r.push(pick_date(&s.forecast.when, level).to_string());
            }
            for s in inputs.sources {
                if let Some(h) = &s.forecast.how_many {
                    r.push(pick_count(h, level).to_string());
                }
            }
            r
        })
        .collect();
    TableData { header, rows }
}

/// What each intervention changes, at 85% confidence: the date, the change in
/// completion date over paired runs, and the answers for the `by` date.
pub fn variant_table(inputs: &Inputs) -> Option<TableData> {
    if inputs.variants.is_empty() {
        return None;
    }
    let mut header = vec![
        "variant".to_string(),
        "all done by".to_string(),
        "change, days (95% CI)".to_string(),
        "runs earlier".to_string(),
    ];
    if let Some(by) = inputs.by {
        header.push(format!("items by {}", by.strftime("%-d %b")));
        header.push("chance all done".to_string());
    }
    let rows = inputs
        .variants
        .iter()
        .map(|v| {
            let f = &v.forecast;
            let mut r = vec![v.name.clone(), f.when.p85.to_string()];
            match &v.change {
                None => r.extend(["–".to_string(), "–".to_string()]),
                Some(d) => {
                    r.push(crate::report::signed_change(d.mean, [d.lo, d.hi]));
                    r.push(percent(d.share_better));
                }
            }
            if let Some(by) = inputs.by {
                r.push(f.how_many.map_or("–".into(), |h| h.p85.to_string()));
                r.push(percent(f.spread.chance_done_by(by)));
            }
            r
        })
        .collect();
    Some(TableData { header, rows })
}

/// The width in characters of each column, header included.
fn column_widths(header: &[String], rows: &[Vec<String>]) -> Vec<usize> {
    (0..header.len())
        .map(|c| {
            std::iter::once(&header[c])
                .chain(rows.iter().map(|r| &r[c]))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// The forecast as the terminal shows it: a heading, the table, the chance of
/// being done by the date asked about, and how to read it.
pub fn terminal(inputs: &Inputs) -> String {
    let left = inputs.backlog - inputs.done;
    let mut out = format!(
        "Forecast{}: {left} items left{}, day 1 is {}, {} runs\n\n",
        inputs.name.map(|n| format!(" for {n}")).unwrap_or_default(),
        if inputs.done > 0 {
            format!(" of {} ({} done)", inputs.backlog, inputs.done)
        } else {
            String::new()
        },
        inputs.start,
        inputs.runs,
    );
    if let Some(c) = &inputs.counting {
        out.push_str(&format!("{c}\n\n"));
    }
    out.push_str(&grouped_table(inputs));
    if let Some(by) = inputs.by {
        out.push_str(&chance_done_by(inputs, by));
    }
    out.push_str(
        "\nRead a row as: with this confidence, everything is done by that date, and at least that many\n\
         items are done by the date asked about. Higher confidence means a later date and fewer items.\n",
    );
    if let Some(t) = variant_table(inputs) {
        out.push_str(&format!(
            "\nWhat the interventions change, at 85% confidence (the model, the same {} runs for each;\n\
             the change is the mean change in completion date against the baseline, run by run{}):\n\n",
            inputs.runs,
            inputs
                .by
                .map(|b| format!(";\nthe last two columns are for {b}"))
                .unwrap_or_default()
        ));
        out.push_str(&crate::report::Table::from_data(&t).render("  "));
    }
    out
}

/// The table of dates and counts by confidence; with two sources, the columns
/// grouped under the question they answer and headed by their source, which
/// keeps the table narrow.
fn grouped_table(inputs: &Inputs) -> String {
    let t = table(inputs);
    let mut out = String::new();
    let n = inputs.sources.len();
    // With two sources, the columns are grouped under the question they answer
    // and headed by their source, which keeps the table narrow.
    let mut groups: Vec<(String, usize)> = Vec::new();
    let mut header = t.header.clone();
    if n > 1 {
        groups.push(("all done by".to_string(), n));
        if let Some(by) = inputs.by {
            groups.push((format!("items done by {by}"), n));
        }
        header = std::iter::once("confidence".to_string())
            .chain(
                groups
                    .iter()
                    .flat_map(|_| inputs.sources.iter().map(|s| s.label().to_string())),
            )
            .collect();
    }
    let mut widths = column_widths(&header, &t.rows);
    const GAP: &str = "   ";
    let mut group_line = format!("  {:w$}", "", w = widths[0]);
    let mut col = 1;
    for (label, span) in &groups {
        let cols = col..col + span;
        let room: usize = widths[cols.clone()].iter().sum::<usize>() + GAP.len() * (span - 1);
        let need = label.chars().count();
        if need > room {
            // Spread the extra width over the group's columns.
            let extra = need - room;
            for (k, c) in cols.clone().enumerate() {
                widths[c] += extra / span + usize::from(k < extra % span);
            }
        }
        let room = room.max(need);
        group_line.push_str(&format!("{GAP}{label:>room$}"));
        col = cols.end;
    }
    let line = |cells: &[String]| {
        let mut l = String::from("  ");
        for (c, cell) in cells.iter().enumerate() {
            if c > 0 {
                l.push_str(GAP);
            }
            l.push_str(&format!("{cell:>w$}", w = widths[c]));
        }
        l.push('\n');
        l
    };
    if !groups.is_empty() {
        out.push_str(group_line.trim_end());
        out.push('\n');
    }
    out.push_str(&line(&header));
    for r in &t.rows {
        out.push_str(&line(r));
    }
    out
}

/// The chance, per source, that everything is done by `by`.
fn chance_done_by(inputs: &Inputs, by: Date) -> String {
    let chances: Vec<String> = inputs
        .sources
        .iter()
        .map(|s| {
            let c = percent(s.forecast.spread.chance_done_by(by));
            if inputs.sources.len() > 1 {
                format!("{c} ({})", s.label())
            } else {
                c
            }
        })
        .collect();
    format!(
        "\nChance that everything is done by {by}: {}\n",
        chances.join(", ")
    )
}

/// The opening paragraphs, written from the numbers.
///
/// Long on purpose: one sentence after another, in reading order.
fn summary(inputs: &Inputs) -> Vec<String> {
    let mut out = Vec::new();
    let left = inputs.backlog - inputs.done;
    let Some(first) = inputs.sources.first() else {
        return out;
    };
    let f = first.forecast;
    let from = match &first.kind {
        SourceKind::Model => "the model".to_string(),
        SourceKind::History(_) => "the delivery history".to_string(),
    };
    if left == 0 {
        out.push(format!(
            "All {} items are already done: there is nothing left to forecast.",
            inputs.backlog
        ));
        return out;
    }
    let items = if inputs.done > 0 {
        format!("the {left} items left of {}", inputs.backlog)
    } else {
        format!("all {left} items")
    };
    out.push(format!(
        "With 85% confidence, {items} are done by {}, according to {from}; half of the runs are done by {} and 95% by {}.",
        spoken(f.when.p85),
        spoken(f.when.p50),
        spoken(f.when.p95),
    ));
    if let (Some(by), Some(h)) = (inputs.by, &f.how_many) {
        out.push(format!(
            "By {}, at least {} of the {} items are done with 85% confidence ({} at 50%, {} at 95%). \
             Everything is done by then in {} of the runs.",
            spoken(by),
            h.p85,
            inputs.backlog,
            h.p50,
            h.p95,
            percent(f.spread.chance_done_by(by)),
        ));
    }
    if let Some(line) = best_intervention(inputs) {
        out.push(line);
    }
    if let Some(other) = inputs.sources.get(1)
        && let SourceKind::History(about) = &other.kind
    {
        let days = |a: Date, b: Date| a.until(b).map(|s| s.get_days()).unwrap_or(0);
        let hw = &other.forecast.when;
        let (gap50, gap85) = (days(f.when.p50, hw.p50), days(f.when.p85, hw.p85));
        let near = |g: i32| g.abs() <= 3;
        let verdict = if gap50 > 3 {
            "The team has delivered more slowly than the model assumes: compare the model's work \
             times, rework and waits with what really happens before quoting its date."
        } else if gap50 < -3 {
            "The model is more cautious than the record: check that the history's window holds \
             work like what is left, or whether the model's times are too long."
        } else if near(gap85) {
            "The two agree within a few days: the model's pace matches what the team has delivered."
        } else if gap85 > 0 {
            "They agree on the typical pace, but real weeks have varied more than the model's: \
             look for what the model leaves out (interruptions, blocked work, absences) before \
             quoting its 85% date."
        } else {
            "They agree on the typical pace, but the model varies more than real weeks have: \
             its spread of work times may be wider than the team's."
        };
        let relative = |g: i32| match g {
            0 => "the same day as the model".to_string(),
            g if g > 0 => format!("{g} day{} later than the model", plural(g)),
            g => format!("{} day{} earlier than the model", -g, plural(g)),
        };
        out.push(format!(
            "The delivery history ({about}) says {} at 85% confidence, {}; and {} at 50%, {}. {verdict}",
            spoken(hw.p85),
            relative(gap85),
            spoken(hw.p50),
            relative(gap50),
        ));
    }
    out
}

/// A sentence on the intervention that brings the date forward most, among
/// those whose change is clear (its interval excludes zero).
fn best_intervention(inputs: &Inputs) -> Option<String> {
    let (base, others) = inputs.variants.split_first()?;
    let clear: Vec<(&VariantForecast, PairedDelta)> = others
        .iter()
        .filter_map(|v| v.change.map(|d| (v, d)))
        .filter(|(_, d)| d.hi < 0.0)
        .collect();
    let Some((v, d)) = clear
        .iter()
        .min_by(|a, b| a.1.mean.total_cmp(&b.1.mean).then(a.0.name.cmp(&b.0.name)))
    else {
        return Some(format!(
            "None of the {} intervention{} brings the completion date clearly forward.",
            others.len(),
            if others.len() == 1 { "" } else { "s" }
        ));
    };
    let n = |x: f64| fmt_sig(-x, 2);
    Some(format!(
        "Of the interventions, “{}” brings the date forward most: done by {} with 85% confidence \
         instead of {}, on average {} days earlier (95% CI {} to {}), earlier in {} of the runs.",
        v.name,
        spoken(v.forecast.when.p85),
        spoken(base.forecast.when.p85),
        n(d.mean),
        n(d.hi),
        n(d.lo),
        percent(d.share_better),
    ))
}

fn plural(n: i32) -> &'static str {
    if n.abs() == 1 { "" } else { "s" }
}

/// How the numbers were made.
fn assumptions(inputs: &Inputs) -> Vec<String> {
    let mut out = vec![
        format!(
            "Day 1 is {}; an item delivered on a date counts as done by that date.",
            spoken(inputs.start)
        ),
        "“All done by” at 85% is the date by which the whole backlog is delivered in 85% of runs; \
         “items done by” at 85% is the count reached by that date in at least 85% of runs, so it \
         falls as confidence rises. The burn-up's lines apply the same rule to every day."
            .to_string(),
    ];
    for s in inputs.sources {
        match &s.kind {
            SourceKind::Model => out.push(format!(
                "The model simulates the scenario's stages {} times with seed {}, starting with the {} \
                 items left all waiting at the first stage.{}",
                inputs.runs,
                inputs.seed,
                inputs.backlog - inputs.done,
                inputs
                    .calendar
                    .as_ref()
                    .map(|c| format!(
                        " People work only in working time ({c}); dates count every calendar day."
                    ))
                    .unwrap_or_default()
            )),
            SourceKind::History(about) => out.push(format!(
                "The history forecast draws each calendar day's deliveries at random from the record \
                 ({about}; days without a delivery count as zero), {} times with seed {} — the method of \
                 ActionableAgile and the public forecasting spreadsheets. It assumes the coming weeks \
                 look like those days.",
                inputs.runs, inputs.seed
            )),
        }
    }
    if inputs.variants.len() > 1 {
        out.push(
            "Each intervention is forecast with the same random draws as the baseline (common \
             random numbers), so a change in the dates comes from the intervention, not from luck."
                .to_string(),
        );
    }
    if inputs.done > 0 {
        out.push(format!(
            "{} of the {} items were done before day 1; every count includes them.",
            inputs.done, inputs.backlog
        ));
    }
    out
}

/// How to read the interventions' table, in the report.
const VARIANTS_NOTE: &str = "The model's forecast under each intervention, at 85% confidence. \
Every variant runs the same random draws, so the change is the mean change in completion date \
against the baseline, run by run, with its 95% confidence interval; “no clear difference” means \
the interval includes zero. The last two columns, when shown, are for the date asked about.";

/// The forecast report's content, independent of format.
#[derive(Debug, Clone)]
struct Page {
    title: String,
    meta: String,
    summary: Vec<String>,
    table: TableData,
    charts: Vec<Chart>,
    /// What the interventions change: the table and the chart.
    variants: Option<(TableData, Chart)>,
    assumptions: Vec<String>,
    scenario: Option<(String, String)>,
}

fn page(inputs: &Inputs) -> Page {
    let sources: Vec<&str> = inputs.sources.iter().map(|s| s.label()).collect();
    Page {
        title: format!(
            "Forecast: {}",
            inputs.name.unwrap_or("from delivery history")
        ),
        meta: format!(
            "flowcast {} · {} items{} · day 1 is {} · {} runs · seed {} · from the {}",
            env!("CARGO_PKG_VERSION"),
            inputs.backlog,
            if inputs.done > 0 {
                format!(" ({} done)", inputs.done)
            } else {
                String::new()
            },
            inputs.start,
            inputs.runs,
            inputs.seed,
            sources.join(" and the "),
        ),
        summary: summary(inputs),
        table: table(inputs),
        charts: charts(inputs),
        variants: variant_table(inputs)
            .filter(|_| inputs.backlog > inputs.done)
            .map(|t| (t, completion_by_variant(inputs))),
        assumptions: assumptions(inputs),
        scenario: inputs
            .scenario
            .map(|(name, text)| (name.to_string(), text.to_string())),
    }
}

#[derive(Template)]
#[template(path = "forecast.html")]
struct Html<'a> {
    doc: &'a Page,
    note: &'static str,
}

fn markdown(doc: &Page) -> String {
    let mut out = format!("# {}\n\n_{}_\n\n", doc.title, doc.meta);
    for p in &doc.summary {
        out.push_str(&format!("> {p}\n>\n"));
    }
    out.push_str("\n## Dates and counts\n\n");
    out.push_str(&crate::report::markdown::table(&doc.table));
    for c in &doc.charts {
        out.push_str(&format!("\n## {}\n\n![{}]({})\n", c.title, c.title, c.file));
    }
    if let Some((t, c)) = &doc.variants {
        out.push_str(&format!(
            "\n## What the interventions change\n\n{VARIANTS_NOTE}\n\n"
        ));
        out.push_str(&crate::report::markdown::table(t));
        out.push_str(&format!("\n![{}]({})\n", c.title, c.file));
    }
    out.push_str("\n## Assumptions\n\n");
    for a in &doc.assumptions {
        out.push_str(&format!("- {a}\n"));
    }
    if let Some((name, text)) = &doc.scenario {
        out.push_str(&format!(
            "\n## Appendix: the scenario ({name})\n\n```yaml\n{}\n```\n",
            text.trim_end()
        ));
    }
    out
}

/// The report folder's files: `report.html`, `report.md`, `summary.json`
/// (`json`, the same text as `--json`) and the charts.
pub fn files(inputs: &Inputs, json: &str) -> Vec<(String, Vec<u8>)> {
    let doc = page(inputs);
    let html = Html {
        doc: &doc,
        note: VARIANTS_NOTE,
    }
    .render()
    .expect("the forecast template renders plain strings and cannot fail");
    let mut files = vec![
        ("report.html".to_string(), html.into_bytes()),
        ("report.md".to_string(), markdown(&doc).into_bytes()),
        ("summary.json".to_string(), json.as_bytes().to_vec()),
    ];
    files.extend(
        doc.charts
            .iter()
            .chain(doc.variants.as_ref().map(|(_, c)| c))
            .map(|c| (c.file.to_string(), c.svg.clone().into_bytes())),
    );
    files
}

/// One line on where the history's pace comes from.
pub fn describe_history(h: &History) -> String {
    let (first, last) = h.span();
    let items: u64 = h.daily().iter().map(|n| u64::from(*n)).sum();
    let days = h.daily().len() as f64;
    format!(
        "{items} deliveries from {first} to {last}, {} a day or {} a week",
        fmt_sig(items as f64 / days, 2),
        fmt_sig(items as f64 / days * 7.0, 2),
    )
}
