//! What `flowcast forecast` shows: the terminal table, and with `--report` a
//! folder with `report.html`, `report.md`, `summary.json` and two charts per
//! forecast — when the backlog is done (the distribution of completion dates,
//! percentiles marked) and a burn-up with its 50/85/95% lines.
//!
//! With a model and a delivery history, each gets its own pair of charts on the
//! same date axes, so the two can be compared at a glance.

use askama::Template;
use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::analysis::forecast::{Forecast, History, HowMany, Spread};
use crate::report::charts::{Chart, INK, MUTED, color, frame, legend, text_style};
use crate::report::document::TableData;
use crate::sim::results::When;
use crate::stats::{PairedDelta, fmt_sig};

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
    let t = table(inputs);
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
    if let Some(by) = inputs.by {
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
        out.push_str(&format!(
            "\nChance that everything is done by {by}: {}\n",
            chances.join(", ")
        ));
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

/// The opening paragraphs, written from the numbers.
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

/// The days a chart spans: from `lo` to `hi`, day numbers from day 1 = 0.
#[derive(Debug, Clone, Copy)]
struct Days {
    lo: i64,
    hi: i64,
}

/// The completion days every chart of the forecast must show, the date asked
/// about included when it is not far off.
fn completion_span<'s>(spreads: impl Iterator<Item = &'s Spread>, by: Option<Date>) -> Days {
    let mut lo = i64::MAX;
    let mut hi = 0i64;
    let mut day_of_by = None;
    for spread in spreads {
        let d = spread.completion_days();
        if let (Some(a), Some(b)) = (d.first(), d.last()) {
            lo = lo.min(i64::from(*a));
            hi = hi.max(i64::from(*b));
        }
        day_of_by = by.map(|b| spread.day_of(b));
    }
    if lo > hi {
        lo = 0;
    }
    if let Some(b) = day_of_by {
        // Only when it is near: a date years away would squeeze the bars flat.
        let reach = (hi - lo) + 7;
        if b >= 0 && b >= lo - reach && b <= hi + reach {
            lo = lo.min(b);
            hi = hi.max(b);
        }
    }
    Days { lo, hi }
}

/// The charts, in reading order: per source, when it is done and the burn-up.
pub fn charts(inputs: &Inputs) -> Vec<Chart> {
    if inputs.backlog == inputs.done {
        // Nothing left: no dates to spread, no line to climb.
        return Vec::new();
    }
    let span = completion_span(inputs.sources.iter().map(|s| &s.forecast.spread), inputs.by);
    let two = inputs.sources.len() > 1;
    let mut out = Vec::new();
    for (i, s) in inputs.sources.iter().enumerate() {
        let (dates_file, burn_file) = if i == 0 {
            ("completion-dates.svg", "burn-up.svg")
        } else {
            ("completion-dates-history.svg", "burn-up-history.svg")
        };
        let from = match (&s.kind, two) {
            (SourceKind::Model, false) => String::new(),
            (SourceKind::Model, true) => " (model)".to_string(),
            (SourceKind::History(_), _) => " (delivery history)".to_string(),
        };
        let c = color(if s.kind == SourceKind::Model { 0 } else { 1 });
        out.push(completion_dates(inputs, s, span, c, dates_file, &from));
        out.push(burn_up(inputs, s, span, c, burn_file, &from));
    }
    out
}

/// The chance of being done by each date under each intervention: per
/// variant, the share of runs that had delivered the whole backlog by then.
fn completion_by_variant(inputs: &Inputs) -> Chart {
    let title = "Chance that everything is done by each date, per intervention".to_string();
    let spread = &inputs.variants[0].forecast.spread;
    let Days { lo, hi } = completion_span(
        inputs.variants.iter().map(|v| &v.forecast.spread),
        inputs.by,
    );
    let by_day = inputs.by.map(|b| spread.day_of(b));
    let (x0, x1) = (lo as f64 - 1.0, hi as f64 + 1.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 460)).into_drawing_area();
        let built = frame(&root, &title, 18, 56).build_cartesian_2d(
            (xd(x0)..xd(x1)).with_key_points(monday_ticks(spread, x0, x1)),
            0.0..100.0,
        );
        if let Ok(mut chart) = built {
            let _ = chart
                .configure_mesh()
                .x_desc(format!("done by, {}", date_axis(spread, x0, x1)))
                .y_desc("runs with everything done (%)")
                .x_label_formatter(&|v| date_label(spread, *v, long_axis(x0, x1)))
                .y_label_formatter(&|v| format!("{v:.0}%"))
                .light_line_style(TRANSPARENT)
                .draw();
            let _ = chart.draw_series(DashedLineSeries::new(
                vec![(xd(x0), 85.0), (xd(x1), 85.0)],
                5,
                4,
                MUTED.mix(0.6).stroke_width(1),
            ));
            let _ = chart.draw_series(std::iter::once(Text::new(
                "85%",
                (xd(x0) + 2, 85.0),
                text_style(12.0, MUTED, HPos::Left, VPos::Bottom),
            )));
            if let Some(b) = by_day.filter(|b| (lo..=hi).contains(b)) {
                let red = RGBColor(0xc0, 0x39, 0x2b);
                let _ = chart.draw_series(LineSeries::new(
                    vec![(xd(b as f64), 0.0), (xd(b as f64), 100.0)],
                    red.stroke_width(2),
                ));
            }
            for (i, v) in inputs.variants.iter().enumerate() {
                let c = color(i);
                // The baseline is drawn wider, so it shows where a variant follows it.
                let width = if i == 0 { 4 } else { 2 };
                let days = v.forecast.spread.completion_days();
                let n = days.len().max(1) as f64;
                // A step up at the end of each day on which runs finished.
                let mut pts = vec![(xd(x0), 0.0)];
                let mut k = 0;
                for d in lo..=hi {
                    while k < days.len() && i64::from(days[k]) <= d {
                        k += 1;
                    }
                    let y = k as f64 / n * 100.0;
                    let last = pts.last().map_or(0.0, |p| p.1);
                    if y != last {
                        pts.push((xd(d as f64), last));
                        pts.push((xd(d as f64), y));
                    }
                }
                pts.push((xd(x1), pts.last().map_or(0.0, |p| p.1)));
                if let Ok(series) = chart.draw_series(LineSeries::new(pts, c.stroke_width(width))) {
                    series.label(v.name.clone()).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 22, y)], c.stroke_width(3))
                    });
                }
            }
            legend(&mut chart, SeriesLabelPosition::LowerRight, 14);
        }
        let _ = root.present();
    }
    Chart {
        file: "completion-by-intervention.svg",
        title,
        svg,
    }
}

/// Date axes count tenths of a day, so bars can sit inside their day: plotters
/// takes custom tick positions (Mondays) only on an integer axis.
const TENTHS: f64 = 10.0;

/// The axis position of day number `day` (fractions allowed).
fn xd(day: f64) -> i32 {
    (day * TENTHS).round() as i32
}

/// A tick's date: day and month, or month and year on axes longer than half
/// a year.
fn date_label(spread: &Spread, x: i32, long: bool) -> String {
    if x < 0 {
        return String::new();
    }
    spread
        .date((f64::from(x) / TENTHS).round() as u32)
        .strftime(if long { "%b %Y" } else { "%-d %b" })
        .to_string()
}

/// Whether an axis from day `lo` to `hi` shows months and years.
fn long_axis(lo: f64, hi: f64) -> bool {
    hi - lo > 180.0
}

/// Where a label at `x` on an axis from `x0` to `x1` should hang from, so it
/// stays inside the chart near either edge.
fn anchor(x: i32, x0: i32, x1: i32) -> HPos {
    let frac = f64::from(x - x0) / f64::from((x1 - x0).max(1));
    if frac < 0.2 {
        HPos::Left
    } else if frac > 0.7 {
        HPos::Right
    } else {
        HPos::Center
    }
}

/// Tick positions for a date axis from day `lo` to `hi`: Mondays, one, two or
/// four weeks apart, so that there are at most about ten.
fn monday_ticks(spread: &Spread, lo: f64, hi: f64) -> Vec<i32> {
    let weeks = ((hi - lo) / 7.0).max(1.0);
    let step = [1.0, 2.0, 4.0, 8.0, 13.0, 26.0, 52.0]
        .into_iter()
        .find(|w| weeks / w <= 10.0)
        .unwrap_or((weeks / 10.0).ceil())
        * 7.0;
    // Day 0's weekday: the first Monday on or after `lo`.
    let offset = f64::from(spread.start().weekday().to_monday_zero_offset());
    let first_monday = ((lo + offset) / 7.0).ceil() * 7.0 - offset;
    let mut ticks = Vec::new();
    let mut x = first_monday;
    while x <= hi {
        ticks.push(xd(x));
        x += step;
    }
    ticks
}

/// How the date axis reads: its ticks are Mondays, and the years it covers.
fn date_axis(spread: &Spread, lo: f64, hi: f64) -> String {
    let (a, b) = (
        spread.date(lo.max(0.0) as u32).year(),
        spread.date(hi.max(0.0) as u32).year(),
    );
    let years = if a == b {
        a.to_string()
    } else {
        format!("{a}–{b}")
    };
    format!("{years} (ticks on Mondays)")
}

/// The distribution of completion dates: the share of runs finishing on each
/// day (or week, over long spans), with the 50/70/85/95% dates marked.
fn completion_dates(
    inputs: &Inputs,
    source: &Source,
    span: Days,
    c: RGBColor,
    file: &'static str,
    from: &str,
) -> Chart {
    let spread = &source.forecast.spread;
    let days = spread.completion_days();
    let title = format!("When the backlog is done{from}");
    // A day a bar up to 120 days; then weeks, or several weeks so there are at
    // most about 300 bars whatever the span.
    let width = span.hi - span.lo;
    let bin: i64 = if width > 120 {
        7 * (width / (7 * 300) + 1)
    } else {
        1
    };
    let bins = ((span.hi - span.lo) / bin + 1) as usize;
    let mut counts = vec![0u64; bins];
    for d in days {
        let k = ((i64::from(*d) - span.lo).max(0) / bin) as usize;
        if let Some(slot) = counts.get_mut(k) {
            *slot += 1;
        }
    }
    let runs = days.len().max(1) as f64;
    let shares: Vec<f64> = counts.iter().map(|n| *n as f64 / runs * 100.0).collect();
    let top = (shares.iter().copied().fold(0.0, f64::max) * 1.45).max(5.0);
    let (x0, x1) = (span.lo as f64 - 1.0, (span.hi + bin) as f64);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 440)).into_drawing_area();
        let built = frame(&root, &title, 20, 56).build_cartesian_2d(
            (xd(x0)..xd(x1)).with_key_points(monday_ticks(spread, x0, x1)),
            0.0..top,
        );
        if let Ok(mut chart) = built {
            let _ = chart
                .configure_mesh()
                .x_desc(format!("finished on, {}", date_axis(spread, x0, x1)))
                .y_desc(match bin {
                    1 => "runs finishing that day (%)".to_string(),
                    7 => "runs finishing that week (%)".to_string(),
                    b => format!("runs finishing in those {} weeks (%)", b / 7),
                })
                .x_label_formatter(&|v| date_label(spread, *v, long_axis(x0, x1)))
                .y_label_formatter(&|v| format!("{v:.0}%"))
                .light_line_style(TRANSPARENT)
                .draw();
            let _ = chart.draw_series(shares.iter().enumerate().filter(|(_, s)| **s > 0.0).map(
                |(k, s)| {
                    let x = (span.lo + k as i64 * bin) as f64;
                    Rectangle::new(
                        [(xd(x - 0.4), 0.0), (xd(x + bin as f64 - 0.6), *s)],
                        c.mix(0.8).filled(),
                    )
                },
            ));
            // The percentile dates, labels stacked so close dates do not overlap.
            for (row, level) in LEVELS.iter().enumerate() {
                let d = pick_date(&source.forecast.when, *level);
                let x = xd(spread.day_of(d) as f64 + (bin as f64 - 1.0) / 2.0);
                let y_text = top * (0.97 - 0.075 * row as f64);
                let _ = chart.draw_series(DashedLineSeries::new(
                    vec![(x, 0.0), (x, y_text)],
                    5,
                    3,
                    INK.mix(0.7).stroke_width(1),
                ));
                let (text, pos) = match anchor(x, xd(x0), xd(x1)) {
                    HPos::Right => (format!("{level}%: {d} "), HPos::Right),
                    _ => (format!(" {level}%: {d}"), HPos::Left),
                };
                let _ = chart.draw_series(std::iter::once(Text::new(
                    text,
                    (x, y_text),
                    text_style(13.0, INK, pos, VPos::Center),
                )));
            }
            if let Some(by) = inputs.by {
                let b = spread.day_of(by);
                if (span.lo..=span.hi).contains(&b) {
                    let x = xd(b as f64);
                    let red = RGBColor(0xc0, 0x39, 0x2b);
                    let _ = chart.draw_series(LineSeries::new(
                        vec![(x, 0.0), (x, top * 0.66)],
                        red.stroke_width(2),
                    ));
                    let _ = chart.draw_series(std::iter::once(Text::new(
                        format!(
                            "by {}: all done in {} of runs",
                            by.strftime("%-d %b"),
                            percent(spread.chance_done_by(by))
                        ),
                        (x, top * 0.68),
                        text_style(13.0, red, anchor(x, xd(x0), xd(x1)), VPos::Bottom),
                    )));
                }
            }
        }
        let _ = root.present();
    }
    Chart { file, title, svg }
}

/// The items done by the end of each day from `from` to `to` at `level`%.
///
/// Over long spans it samples at most about 1,500 days, evenly, so the chart
/// stays small; the last day is always included.
fn curve(spread: &Spread, level: usize, from: i64, to: i64) -> Vec<(i32, f64)> {
    let band = spread.band(level);
    let mut k = 0;
    let mut value = spread.done();
    let step = ((to - from) / 1500).max(1) as usize;
    (from..=to)
        .step_by(step)
        .chain((((to - from) as usize) % step != 0).then_some(to))
        .map(|d| {
            while k < band.len() && i64::from(band[k].0) <= d {
                value = band[k].1;
                k += 1;
            }
            (xd(d as f64), value as f64)
        })
        .collect()
}

/// The burn-up: items done by each date at 50, 85 and 95% confidence, the
/// band between 50% and 95% shaded, the whole backlog as the line to reach.
fn burn_up(
    inputs: &Inputs,
    source: &Source,
    span: Days,
    c: RGBColor,
    file: &'static str,
    from: &str,
) -> Chart {
    let spread = &source.forecast.spread;
    let total = spread.total();
    let title = format!("Burn-up: items done by each date{from}");
    let hi = span.hi + 1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 460)).into_drawing_area();
        let built = frame(&root, &title, 20, 56).build_cartesian_2d(
            (0..xd(hi as f64)).with_key_points(monday_ticks(spread, 0.0, hi as f64)),
            0.0..(total.max(1) as f64) * 1.1,
        );
        if let Ok(mut chart) = built {
            let _ = chart
                .configure_mesh()
                .x_desc(date_axis(spread, 0.0, hi as f64))
                .y_desc("items done")
                .x_label_formatter(&|v| date_label(spread, *v, long_axis(0.0, hi as f64)))
                .y_label_formatter(&|v| format!("{v:.0}"))
                .light_line_style(TRANSPARENT)
                .draw();
            let p50 = curve(spread, 50, 0, hi);
            let p85 = curve(spread, 85, 0, hi);
            let p95 = curve(spread, 95, 0, hi);
            let mut band = p50.clone();
            band.extend(p95.iter().rev());
            if let Ok(s) = chart.draw_series(std::iter::once(Polygon::new(band, c.mix(0.15)))) {
                s.label("50–95% of runs").legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 22, y + 6)], c.mix(0.15).filled())
                });
            }
            let _ = chart.draw_series(DashedLineSeries::new(
                vec![(0, total as f64), (xd(hi as f64), total as f64)],
                6,
                4,
                MUTED.stroke_width(1),
            ));
            let _ = chart.draw_series(std::iter::once(Text::new(
                format!("all {total} items"),
                (xd(0.5), total as f64),
                text_style(13.0, MUTED, HPos::Left, VPos::Bottom),
            )));
            for (pts, level, width, alpha) in
                [(p50, 50, 3, 1.0), (p85, 85, 2, 0.8), (p95, 95, 2, 0.5)]
            {
                let style = c.mix(alpha).stroke_width(width);
                if let Ok(s) = chart.draw_series(LineSeries::new(pts, style)) {
                    s.label(format!("{level}% confidence"))
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], style));
                }
            }
            if let (Some(by), Some(h)) = (inputs.by, &source.forecast.how_many) {
                let b = spread.day_of(by);
                if (0..=hi).contains(&b) {
                    let x = xd(b as f64);
                    let red = RGBColor(0xc0, 0x39, 0x2b);
                    let _ = chart.draw_series(LineSeries::new(
                        vec![(x, 0.0), (x, total as f64 * 1.04)],
                        red.stroke_width(2),
                    ));
                    let _ = chart.draw_series(std::iter::once(Text::new(
                        format!(
                            "by {}: {} / {} / {} items at 50 / 85 / 95%",
                            by.strftime("%-d %b"),
                            h.p50,
                            h.p85,
                            h.p95
                        ),
                        (x, total as f64 * 1.05),
                        text_style(13.0, red, anchor(x, 0, xd(hi as f64)), VPos::Bottom),
                    )));
                }
            }
            legend(&mut chart, SeriesLabelPosition::LowerRight, 14);
        }
        let _ = root.present();
    }
    Chart { file, title, svg }
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
