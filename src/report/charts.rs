//! The report's charts, drawn with plotters into self-contained SVG (text as SVG
//! `<text>` in a generic sans-serif family, so no font files are needed).
//!
//! Every chart has a title, axis labels with units, and a legend when it shows more
//! than one series.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::model::Model;
use crate::sim::results::{Outcome, VariantResult};
use crate::stats::{LogHistogram, fmt_sig};

mod stages;

pub use stages::{value_stream_map, where_time_goes};

pub(crate) const FONT: &str = "sans-serif";
/// Colours of variants: baseline first.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x1f, 0x4e, 0x79),
    RGBColor(0xd9, 0x82, 0x2b),
    RGBColor(0x2e, 0x8b, 0x57),
    RGBColor(0x8e, 0x44, 0xad),
    RGBColor(0xc0, 0x39, 0x2b),
    RGBColor(0x16, 0xa0, 0x85),
    RGBColor(0x7f, 0x8c, 0x8d),
    RGBColor(0xb7, 0x95, 0x0b),
];
const WAIT: RGBColor = RGBColor(0xe8, 0xa3, 0x3d);
const ACTIVE: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(crate) const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);

/// One chart: its file name, its title and the SVG text.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File name in the report folder, e.g. `lead-time.svg`.
    pub file: &'static str,
    /// The chart's title (also drawn inside it).
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// A colour for variant `i`.
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

pub(crate) fn n(x: f64) -> String {
    fmt_sig(x, 3)
}

pub(crate) fn text_style(size: f64, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle {
        font: (FONT, size).into_font(),
        color: color.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

pub(crate) fn draw_text(
    area: &DrawingArea<SVGBackend, Shift>,
    s: &str,
    x: i32,
    y: i32,
    style: &TextStyle,
) {
    // Drawing on an SVG string cannot fail; a failure here is not worth losing a report over.
    let _ = area.draw(&Text::new(s.to_string(), (x, y), style.clone()));
}

/// The frame every plotted chart shares: a white page, the title on top, room
/// for the axis labels (`y_area` pixels for the y labels).
pub(crate) fn frame<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    title: &str,
    title_size: u32,
    y_area: u32,
) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let _ = root.fill(&WHITE);
    let mut b = ChartBuilder::on(root);
    b.caption(title, (FONT, title_size).into_font().color(&INK))
        .margin(16)
        .x_label_area_size(46)
        .y_label_area_size(y_area);
    b
}

/// The legend every chart shares: a white box with a light border at `pos`.
pub(crate) fn legend<'a, 'b: 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, CT>,
    pos: SeriesLabelPosition,
    font_size: u32,
) {
    let _ = chart
        .configure_series_labels()
        .position(pos)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(0xcc, 0xcc, 0xcc))
        .label_font((FONT, font_size))
        .draw();
}

/// A "nice" axis step for a range of `max` split into about `ticks` parts.
fn nice_step(max: f64, ticks: f64) -> f64 {
    let raw = (max / ticks).max(1e-12);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Lead-time distribution of every variant on one chart (CDF), p50/p85/p95 marked.
pub fn lead_time_cdf(model: &Model, outcome: &Outcome) -> Chart {
    let unit = model.time_unit.name();
    let title = "How long items take: lead-time distribution".to_string();
    let hists: &[LogHistogram] = &outcome.histograms;
    let x_max = hists
        .iter()
        .map(|h| h.quantile(0.99))
        .fold(0.0f64, f64::max)
        .max(1e-9)
        * 1.08;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 440)).into_drawing_area();
        let built = frame(&root, &title, 20, 56).build_cartesian_2d(0.0..x_max, 0.0..100.0);
        if let Ok(mut chart) = built {
            let _ = chart
                .configure_mesh()
                .x_desc(format!("lead time ({unit})"))
                .y_desc("items delivered within (%)")
                .y_label_formatter(&|v| format!("{v:.0}%"))
                .x_label_formatter(&|v| n(*v))
                .light_line_style(TRANSPARENT)
                .draw();
            for q in [50.0, 85.0, 95.0] {
                let _ = chart.draw_series(DashedLineSeries::new(
                    vec![(0.0, q), (x_max, q)],
                    4,
                    4,
                    MUTED.mix(0.6).stroke_width(1),
                ));
                let _ = chart.draw_series(std::iter::once(Text::new(
                    format!("p{q:.0}"),
                    (x_max * 0.995, q - 1.0),
                    text_style(12.0, MUTED, HPos::Right, VPos::Top),
                )));
            }
            for (i, (v, h)) in outcome.variants.iter().zip(hists).enumerate() {
                if h.count() == 0 {
                    continue;
                }
                let c = color(i);
                let points: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
                    .chain((1..=199).map(|k| {
                        let q = k as f64 / 200.0;
                        (h.quantile(q).min(x_max), q * 100.0)
                    }))
                    .collect();
                if let Ok(series) = chart.draw_series(LineSeries::new(points, c.stroke_width(2))) {
                    series.label(v.name.clone()).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 22, y)], c.stroke_width(3))
                    });
                }
                let marks = [
                    (v.lead_time.p50, 50.0),
                    (v.lead_time.p85, 85.0),
                    (v.lead_time.p95, 95.0),
                ];
                let _ = chart.draw_series(
                    marks
                        .iter()
                        .filter(|(x, _)| *x <= x_max)
                        .map(|&(x, y)| Circle::new((x, y), 4, c.filled())),
                );
            }
            if outcome.variants.len() > 1 {
                legend(&mut chart, SeriesLabelPosition::LowerRight, 14);
            }
        }
        let _ = root.present();
    }
    Chart {
        file: "lead-time.svg",
        title,
        svg,
    }
}

/// Cumulative counts per band at `samples` evenly spaced instants of a trace.
fn band_counts(trace: &[(f64, u16)], bands: usize, samples: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let end = trace.last().map_or(1.0, |t| t.0).max(1e-9);
    band_counts_between(trace, bands, samples, 0.0, end)
}

/// Cumulative counts per band at `samples` evenly spaced instants in [from, to].
fn band_counts_between(
    trace: &[(f64, u16)],
    bands: usize,
    samples: usize,
    from: f64,
    to: f64,
) -> (Vec<f64>, Vec<Vec<f64>>) {
    let to = to.max(from + 1e-9);
    let times: Vec<f64> = (0..=samples)
        .map(|k| from + (to - from) * k as f64 / samples as f64)
        .collect();
    let mut counts = vec![vec![0.0; times.len()]; bands];
    let mut cur = vec![0.0; bands];
    let mut j = 0;
    for (k, &t) in times.iter().enumerate() {
        while j < trace.len() && trace[j].0 <= t {
            cur[trace[j].1 as usize] += 1.0;
            j += 1;
        }
        for b in 0..bands {
            counts[b][k] = cur[b];
        }
    }
    (times, counts)
}

/// The span of the trace a cumulative flow diagram shows: all of a backlog's
/// run; for an open stream, a window of five mean lead times after the
/// warm-up, counted from the window's start, so the bands are wide enough to read.
fn cfd_window(model: &Model, trace: &[(f64, u16)], baseline: &VariantResult) -> (f64, f64) {
    let s = model.stages.len();
    if model.is_backlog() {
        (0.0, trace.last().map_or(1.0, |t| t.0))
    } else {
        let delivered: Vec<f64> = trace
            .iter()
            .filter(|t| t.1 as usize == s + 1)
            .map(|t| t.0)
            .collect();
        let start = delivered
            .get(model.warmup().saturating_sub(1) as usize)
            .copied()
            .unwrap_or(0.0);
        let end = trace.last().map_or(1.0, |t| t.0);
        (start, (start + 5.0 * baseline.lead_time.mean).min(end))
    }
}

/// A cumulative flow diagram of one run: items that have reached each stage, over time.
///
/// Long on purpose: it draws one plotters chart top to bottom, and its pieces
/// share the chart context.
pub fn cumulative_flow(
    model: &Model,
    trace: &[(f64, u16)],
    run: u64,
    baseline: &VariantResult,
) -> Chart {
    // Over 80 lines: one plotters chart drawn in order inside its drawing scope
    // (mesh, series, marks); its chart context's type makes helpers awkward.
    let unit = model.time_unit.name();
    let s = model.stages.len();
    let (from, to) = cfd_window(model, trace, baseline);
    let title = if model.is_backlog() {
        format!(
            "Cumulative flow of one representative run (run {}, the median by lead time)",
            run + 1
        )
    } else {
        format!(
            "Cumulative flow of one representative run (run {}), {} {unit} after the warm-up",
            run + 1,
            n(to - from)
        )
    };
    let (times, mut counts) = band_counts_between(trace, s + 2, 300, from, to);
    let offset = counts[s + 1].first().copied().unwrap_or(0.0);
    for band in &mut counts {
        for c in band.iter_mut() {
            *c -= offset;
        }
    }
    let end = *times.last().unwrap_or(&1.0);
    let start = *times.first().unwrap_or(&0.0);
    let top = counts[0].last().copied().unwrap_or(1.0).max(1.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 460)).into_drawing_area();
        let built = frame(&root, &title, 18, 60).build_cartesian_2d(start..end, 0.0..top * 1.02);
        if let Ok(mut chart) = built {
            let _ = chart
                .configure_mesh()
                .x_desc(format!("time since the start ({unit})"))
                .y_desc("items (cumulative)")
                .x_label_formatter(&|v| n(*v))
                .y_label_formatter(&|v| format!("{v:.0}"))
                .light_line_style(TRANSPARENT)
                .draw();
            let labels: Vec<String> = std::iter::once("waiting to start".to_string())
                .chain(model.stages.iter().map(|st| st.name.clone()))
                .chain(std::iter::once("delivered".to_string()))
                .collect();
            let band_color = |b: usize| -> RGBColor {
                if b == s + 1 {
                    RGBColor(0x2e, 0x8b, 0x57)
                } else if b == 0 {
                    RGBColor(0xbd, 0xc3, 0xc7)
                } else {
                    let cycle = [
                        RGBColor(0x1f, 0x4e, 0x79),
                        RGBColor(0xe8, 0xa3, 0x3d),
                        RGBColor(0x5d, 0x8a, 0xa8),
                        RGBColor(0xc0, 0x39, 0x2b),
                        RGBColor(0x8e, 0x44, 0xad),
                        RGBColor(0x16, 0xa0, 0x85),
                        RGBColor(0xb7, 0x95, 0x0b),
                        RGBColor(0x7f, 0x8c, 0x8d),
                    ];
                    cycle[(b - 1) % cycle.len()]
                }
            };
            // Each band is the area under its cumulative line; later bands paint over earlier ones.
            for b in 0..=s + 1 {
                let c = band_color(b);
                let pts: Vec<(f64, f64)> = times
                    .iter()
                    .copied()
                    .zip(counts[b].iter().copied())
                    .collect();
                if let Ok(series) = chart.draw_series(
                    AreaSeries::new(pts, 0.0, c.mix(0.85)).border_style(c.stroke_width(1)),
                ) {
                    series.label(labels[b].clone()).legend(move |(x, y)| {
                        Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled())
                    });
                }
            }
            legend(&mut chart, SeriesLabelPosition::UpperLeft, 13);
        }
        let _ = root.present();
    }
    Chart {
        file: "cumulative-flow.svg",
        title,
        svg,
    }
}

/// WIP over time in the same representative run.
pub fn wip_over_time(model: &Model, trace: &[(f64, u16)], baseline: &VariantResult) -> Chart {
    let unit = model.time_unit.name();
    let title = "Work in progress over time (the same run)".to_string();
    let s = model.stages.len();
    let (times, counts) = band_counts(trace, s + 2, 400);
    let wip: Vec<f64> = counts[0]
        .iter()
        .zip(&counts[s + 1])
        .map(|(a, d)| a - d)
        .collect();
    let end = *times.last().unwrap_or(&1.0);
    let top = wip.iter().copied().fold(1.0f64, f64::max) * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 320)).into_drawing_area();
        let built = frame(&root, &title, 18, 60).build_cartesian_2d(0.0..end, 0.0..top);
        if let Ok(mut chart) = built {
            let _ = chart
                .configure_mesh()
                .x_desc(format!("time since the start ({unit})"))
                .y_desc("items in progress")
                .x_label_formatter(&|v| n(*v))
                .y_label_formatter(&|v| format!("{v:.0}"))
                .light_line_style(TRANSPARENT)
                .draw();
            let pts: Vec<(f64, f64)> = times.iter().copied().zip(wip.iter().copied()).collect();
            if let Ok(series) = chart.draw_series(LineSeries::new(pts, ACTIVE.stroke_width(2))) {
                series.label("WIP in this run").legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 22, y)], ACTIVE.stroke_width(3))
                });
            }
            let mean = baseline.wip;
            if let Ok(series) = chart.draw_series(DashedLineSeries::new(
                vec![(0.0, mean), (end, mean)],
                6,
                4,
                WAIT.stroke_width(2),
            )) {
                series
                    .label(format!("mean over all runs: {}", n(mean)))
                    .legend(|(x, y)| {
                        PathElement::new(vec![(x, y), (x + 22, y)], WAIT.stroke_width(3))
                    });
            }
            legend(&mut chart, SeriesLabelPosition::UpperRight, 13);
        }
        let _ = root.present();
    }
    Chart {
        file: "wip.svg",
        title,
        svg,
    }
}
