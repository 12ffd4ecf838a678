//! The forecast's charts: when each source is done (the distribution of
//! completion dates) and its burn-up, on shared date axes; and, with
//! interventions, the chance of being done by each date under each.

use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{Inputs, LEVELS, Source, SourceKind, percent, pick_date};
use crate::analysis::forecast::Spread;
use crate::report::charts::{Chart, INK, MUTED, color, frame, legend, text_style};
use crate::sim::montecarlo::BEYOND;

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
        // Runs done after the last date that can be shown stay off the axis.
        let mut d = spread
            .completion_days()
            .iter()
            .map(|(day, _)| *day)
            .filter(|day| *day != BEYOND);
        if let Some(a) = d.next() {
            let b = d.next_back().unwrap_or(a);
            lo = lo.min(i64::from(a));
            hi = hi.max(i64::from(b));
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
///
/// Long on purpose: one plotters chart drawn top to bottom.
pub(super) fn completion_by_variant(inputs: &Inputs) -> Chart {
    // Over 80 lines: one plotters chart drawn in order inside its drawing scope
    // (mesh, series, marks); its chart context's type makes helpers awkward.
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
                let n = v.forecast.spread.runs().max(1) as f64;
                // A step up at the end of each day on which runs finished.
                let mut pts = vec![(xd(x0), 0.0)];
                let (mut k, mut done) = (0, 0u64);
                for d in lo..=hi {
                    while k < days.len() && i64::from(days[k].0) <= d {
                        done += days[k].1;
                        k += 1;
                    }
                    let y = done as f64 / n * 100.0;
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

/// The bar width in days and the share of runs (%) finishing in each bar of
/// `span`: a day a bar up to 120 days; then weeks, or several weeks so there
/// are at most about 300 bars whatever the span.
fn completion_shares(spread: &Spread, span: Days) -> (i64, Vec<f64>) {
    let days = spread.completion_days();
    let width = span.hi - span.lo;
    let bin: i64 = if width > 120 {
        7 * (width / (7 * 300) + 1)
    } else {
        1
    };
    let bins = ((span.hi - span.lo) / bin + 1) as usize;
    let mut counts = vec![0u64; bins];
    for (d, n) in days {
        let k = ((i64::from(*d) - span.lo).max(0) / bin) as usize;
        if let Some(slot) = counts.get_mut(k) {
            *slot += n;
        }
    }
    let runs = spread.runs().max(1) as f64;
    let shares = counts.iter().map(|n| *n as f64 / runs * 100.0).collect();
    (bin, shares)
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
    // Over 80 lines: one plotters chart drawn in order inside its drawing scope
    // (mesh, series, marks); its chart context's type makes helpers awkward.
    let spread = &source.forecast.spread;
    let title = format!("When the backlog is done{from}");
    let (bin, shares) = completion_shares(spread, span);
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
///
/// Long on purpose: one plotters chart drawn top to bottom.
fn burn_up(
    inputs: &Inputs,
    source: &Source,
    span: Days,
    c: RGBColor,
    file: &'static str,
    from: &str,
) -> Chart {
    // Over 80 lines: one plotters chart drawn in order inside its drawing scope
    // (mesh, series, marks); its chart context's type makes helpers awkward.
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
