//! The report's charts, drawn with plotters into self-contained SVG (text as SVG
//! `<text>` in a generic sans-serif family, so no font files are needed).
//!
//! Every chart has a title, axis labels with units, and a legend when it shows more
//! than one series.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::describe;
use crate::model::{Capacity, Model};
use crate::sim::results::{Outcome, VariantResult};
use crate::stats::{LogHistogram, fmt_sig};

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

/// A value stream map of the baseline: one box per stage and the ladder of wait
/// (up) and active (down) time under it, with lead time and flow efficiency.
pub fn value_stream_map(model: &Model, base: &VariantResult) -> Chart {
    let unit = model.time_unit.name();
    let short = short_unit(model.time_unit);
    let title = "Value stream map (baseline)".to_string();
    let stages = model.stages.len() as i32;
    let width = (MAP.x0 * 2 + stages * MAP.bw + (stages - 1) * MAP.gap + 40).max(900) as u32;
    let height = 420u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        draw_text(
            &root,
            &title,
            width as i32 / 2,
            12,
            &text_style(20.0, INK, HPos::Center, VPos::Top),
        );
        let sub = format!(
            "Lead time {} {unit} · active {} {unit} · flow efficiency {:.1}% · times are means per item",
            n(base.lead_time.mean),
            n(base.lead_time.mean * base.flow_efficiency),
            base.flow_efficiency * 100.0
        );
        draw_text(
            &root,
            &sub,
            width as i32 / 2,
            42,
            &text_style(14.0, MUTED, HPos::Center, VPos::Top),
        );
        for (i, (s, r)) in model.stages.iter().zip(&base.stages).enumerate() {
            let is_b = r.name == base.bottleneck;
            stage_box(&root, i, &stage_lines(s, r, short), &s.name, is_b);
            if i + 1 < model.stages.len() {
                stage_arrow(&root, i);
            }
        }
        ladder(&root, base, short);
        let _ = root.present();
    }
    Chart {
        file: "value-stream-map.svg",
        title,
        svg,
    }
}

/// The value stream map's geometry: box width, gap between boxes, left margin,
/// top of the boxes and their height.
struct MapGeometry {
    bw: i32,
    gap: i32,
    x0: i32,
    top: i32,
    bh: i32,
}

const MAP: MapGeometry = MapGeometry {
    bw: 150,
    gap: 28,
    x0: 70,
    top: 80,
    bh: 150,
};

impl MapGeometry {
    /// The left edge of stage `i`'s box.
    fn x(&self, i: usize) -> i32 {
        self.x0 + i as i32 * (self.bw + self.gap)
    }
}

/// The time unit in a few letters, for tight labels.
fn short_unit(unit: crate::model::TimeUnit) -> &'static str {
    match unit {
        crate::model::TimeUnit::Minutes => "min",
        crate::model::TimeUnit::Hours => "h",
        crate::model::TimeUnit::Days => "d",
        crate::model::TimeUnit::Weeks => "wk",
    }
}

/// What a stage's box says under its name: capacity, busy, batches, %C&A,
/// work and wait per item.
fn stage_lines(
    s: &crate::model::Stage,
    r: &crate::sim::results::StageResult,
    short: &str,
) -> Vec<String> {
    let mut lines = vec![match &s.capacity {
        Capacity::Workers(w) => format!("{w} worker{}", if *w == 1 { "" } else { "s" }),
        Capacity::Unlimited => "automated (no queue)".to_string(),
        Capacity::Schedule(sc) => describe::schedule(sc, short),
    }];
    if let Some(u) = r.utilization {
        lines.push(format!("busy {:.0}%", u * 100.0));
    }
    if let Some(h) = &s.handoff {
        lines.push(format!("handoff batch {}", h.size));
    }
    if let Some(p) = &s.process {
        lines.push(format!("batch {}–{}", p.min, p.max));
    }
    if let Some(rw) = &s.rework {
        lines.push(format!("%C&A {:.0}%", (1.0 - rw.probability) * 100.0));
    }
    lines.push(format!("work {} {short}", n(r.work)));
    lines.push(format!("wait {} {short}", n(r.wait_per_item)));
    lines
}

/// Stage `i`'s box: its name on a coloured band, up to six lines under it, and
/// a red border and label when it is the bottleneck.
fn stage_box(
    root: &DrawingArea<SVGBackend, Shift>,
    i: usize,
    lines: &[String],
    name: &str,
    is_b: bool,
) {
    let MapGeometry { bw, top, bh, .. } = MAP;
    let x = MAP.x(i);
    let border = if is_b {
        RGBColor(0xc0, 0x39, 0x2b)
    } else {
        ACTIVE
    };
    let _ = root.draw(&Rectangle::new(
        [(x, top), (x + bw, top + bh)],
        RGBColor(0xf4, 0xf7, 0xfb).filled(),
    ));
    let _ = root.draw(&Rectangle::new(
        [(x, top), (x + bw, top + bh)],
        border.stroke_width(if is_b { 3 } else { 1 }),
    ));
    let _ = root.draw(&Rectangle::new(
        [(x, top), (x + bw, top + 28)],
        border.filled(),
    ));
    let name = if name.chars().count() > 18 {
        format!("{}…", name.chars().take(17).collect::<String>())
    } else {
        name.to_string()
    };
    draw_text(
        root,
        &name,
        x + bw / 2,
        top + 14,
        &text_style(14.0, WHITE, HPos::Center, VPos::Center),
    );
    for (k, l) in lines.iter().take(6).enumerate() {
        draw_text(
            root,
            l,
            x + 10,
            top + 38 + k as i32 * 19,
            &text_style(14.0, INK, HPos::Left, VPos::Top),
        );
    }
    if is_b {
        draw_text(
            root,
            "bottleneck",
            x + bw / 2,
            top + bh + 6,
            &text_style(12.0, RGBColor(0xc0, 0x39, 0x2b), HPos::Center, VPos::Top),
        );
    }
}

/// The arrow from stage `i`'s box to the next.
fn stage_arrow(root: &DrawingArea<SVGBackend, Shift>, i: usize) {
    let MapGeometry {
        bw, gap, top, bh, ..
    } = MAP;
    let x = MAP.x(i);
    let ay = top + bh / 2;
    let _ = root.draw(&PathElement::new(
        vec![(x + bw + 4, ay), (x + bw + gap - 6, ay)],
        MUTED.stroke_width(2),
    ));
    let _ = root.draw(&Polygon::new(
        vec![
            (x + bw + gap - 4, ay),
            (x + bw + gap - 11, ay - 5),
            (x + bw + gap - 11, ay + 5),
        ],
        MUTED.filled(),
    ));
}

/// The ladder under the boxes: waiting up, working down, per stage, with the
/// time of each step.
fn ladder(root: &DrawingArea<SVGBackend, Shift>, base: &VariantResult, short: &str) {
    let MapGeometry {
        bw,
        gap,
        x0,
        top,
        bh,
    } = MAP;
    let (ly_wait, ly_work) = (top + bh + 62, top + bh + 112);
    draw_text(
        root,
        "waiting",
        8,
        ly_wait,
        &text_style(13.0, RGBColor(0xa0, 0x5a, 0x10), HPos::Left, VPos::Center),
    );
    draw_text(
        root,
        "working",
        8,
        ly_work,
        &text_style(13.0, ACTIVE, HPos::Left, VPos::Center),
    );
    let mut path: Vec<(i32, i32)> = Vec::new();
    for (i, r) in base.stages.iter().enumerate() {
        let x = MAP.x(i);
        let (wa, wb) = (x - gap / 2, x + bw / 2 - 6);
        let (aa, ab) = (x + bw / 2 + 6, x + bw + gap / 2);
        path.extend([
            (wa.max(x0), ly_wait),
            (wb, ly_wait),
            (wb, ly_work),
            (aa, ly_work),
            (ab, ly_work),
        ]);
        if i + 1 < base.stages.len() {
            path.push((ab, ly_wait));
        }
        let wait = if i == 0 {
            r.wait_per_item + base.entry_wait
        } else {
            r.wait_per_item
        };
        draw_text(
            root,
            &format!("{} {short}", n(wait)),
            (wa.max(x0) + wb) / 2,
            ly_wait - 6,
            &text_style(13.0, RGBColor(0xa0, 0x5a, 0x10), HPos::Center, VPos::Bottom),
        );
        draw_text(
            root,
            &format!("{} {short}", n(r.active_per_item)),
            (aa + ab) / 2,
            ly_work + 6,
            &text_style(13.0, ACTIVE, HPos::Center, VPos::Top),
        );
    }
    let _ = root.draw(&PathElement::new(path, INK.stroke_width(2)));
}

/// Where the time goes: per stage, waiting and working per item, baseline beside
/// each variant (horizontal stacked bars).
pub fn where_time_goes(model: &Model, outcome: &Outcome) -> Chart {
    let unit = model.time_unit.name();
    let title = "Where the time goes: waiting and working per item, by stage".to_string();
    let variants = &outcome.variants;
    let held = variants.iter().any(|v| v.entry_wait > 0.0);
    let groups = time_groups(model, variants, held);
    let max = groups
        .iter()
        .flat_map(|g| variants.iter().filter_map(move |v| time_spent(v, g, held)))
        .map(|(w, a)| w + a)
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let nv = variants.len() as i32;
    let legend_rows = if nv > 1 {
        variants
            .iter()
            .map(|v| 30 + 7 * v.name.chars().count() as i32)
            .sum::<i32>()
            / 520
            + 1
    } else {
        0
    };
    let top = 84i32 + legend_rows * 20;
    let width = 900i32;
    let height = top + groups.len() as i32 * bar_group_height(nv) + 56;
    let step = nice_step(max, 5.0);
    let axis = BarAxis {
        left: 190,
        plot_w: width - 190 - 90,
        axis_max: (max / step).ceil() * step,
    };
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        let _ = root.fill(&WHITE);
        draw_text(
            &root,
            &title,
            width / 2,
            12,
            &text_style(20.0, INK, HPos::Center, VPos::Top),
        );
        time_legend(&root, variants, axis.left, width);
        let bottom = height - 40;
        time_grid(&root, &axis, step, top, bottom, unit);
        for (gi, g) in groups.iter().enumerate() {
            let gy = top + gi as i32 * bar_group_height(nv);
            time_bars(&root, &axis, variants, g, gy, held);
        }
        let _ = root.present();
    }
    Chart {
        file: "where-time-goes.svg",
        title,
        svg,
    }
}

/// Bar height in "where the time goes".
const BAR_H: i32 = 16;

/// The height of one stage's group of bars, one bar per variant.
fn bar_group_height(variants: i32) -> i32 {
    variants * (BAR_H + 3) + 14
}

/// The horizontal axis of "where the time goes": where the plot starts, its
/// width, and the value at its right end.
struct BarAxis {
    left: i32,
    plot_w: i32,
    axis_max: f64,
}

impl BarAxis {
    /// The x pixel of value `x`.
    fn x(&self, x: f64) -> i32 {
        self.left + (x / self.axis_max * self.plot_w as f64).round() as i32
    }
}

/// The groups of bars, in flow order: every stage of the model, stages that
/// only variants have next to the stage they follow, and "held outside" first
/// when some variant holds items before the stream (`held`).
fn time_groups(model: &Model, variants: &[VariantResult], held: bool) -> Vec<String> {
    let names = crate::report::stage_names(model, variants);
    if held {
        std::iter::once("held outside".to_string())
            .chain(names.iter().cloned())
            .collect()
    } else {
        names
    }
}

/// Waiting and working per item of variant `v` in group `g` (`None`: the
/// variant has no such stage).
fn time_spent(v: &VariantResult, g: &str, held: bool) -> Option<(f64, f64)> {
    if held && g == "held outside" {
        return Some((v.entry_wait, 0.0));
    }
    v.stages
        .iter()
        .find(|s| s.name == g)
        .map(|s| (s.wait_per_item, s.active_per_item))
}

/// The legend: waiting and working, and with several variants their bar order,
/// wrapped onto as many lines as they need.
fn time_legend(
    root: &DrawingArea<SVGBackend, Shift>,
    variants: &[VariantResult],
    left: i32,
    width: i32,
) {
    let mut lx = left;
    let ly = 48;
    for (label, c) in [("waiting", WAIT), ("working", ACTIVE)] {
        let _ = root.draw(&Rectangle::new([(lx, ly), (lx + 14, ly + 12)], c.filled()));
        draw_text(
            root,
            label,
            lx + 20,
            ly + 6,
            &text_style(13.0, INK, HPos::Left, VPos::Center),
        );
        lx += 100;
    }
    if variants.len() <= 1 {
        return;
    }
    let (mut vx, mut vy) = (left, ly + 24);
    draw_text(
        root,
        "bars, top to bottom:",
        vx,
        vy + 6,
        &text_style(13.0, MUTED, HPos::Left, VPos::Center),
    );
    vx += 140;
    for (i, v) in variants.iter().enumerate() {
        let label = format!("{}. {}", i + 1, v.name);
        let w = 24 + 7 * label.chars().count() as i32;
        if vx + w > width - 10 {
            vx = left + 140;
            vy += 20;
        }
        let _ = root.draw(&Rectangle::new(
            [(vx, vy), (vx + 4, vy + 12)],
            color(i).filled(),
        ));
        draw_text(
            root,
            &label,
            vx + 9,
            vy + 6,
            &text_style(13.0, INK, HPos::Left, VPos::Center),
        );
        vx += w;
    }
}

/// Vertical grid lines at every `step`, their values, and the axis title.
fn time_grid(
    root: &DrawingArea<SVGBackend, Shift>,
    axis: &BarAxis,
    step: f64,
    top: i32,
    bottom: i32,
    unit: &str,
) {
    let mut x = 0.0;
    while x <= axis.axis_max + 1e-9 {
        let px = axis.x(x);
        let _ = root.draw(&PathElement::new(
            vec![(px, top - 6), (px, bottom)],
            RGBColor(0xe6, 0xe6, 0xe6).stroke_width(1),
        ));
        draw_text(
            root,
            &n(x),
            px,
            bottom + 4,
            &text_style(12.0, MUTED, HPos::Center, VPos::Top),
        );
        x += step;
    }
    draw_text(
        root,
        &format!("{unit} per item"),
        axis.left + axis.plot_w / 2,
        bottom + 20,
        &text_style(13.0, INK, HPos::Center, VPos::Top),
    );
}

/// One group's label and its bars, one per variant from `gy` down: waiting
/// then working, the total at the end, or "(removed)".
fn time_bars(
    root: &DrawingArea<SVGBackend, Shift>,
    axis: &BarAxis,
    variants: &[VariantResult],
    g: &str,
    gy: i32,
    held: bool,
) {
    let nv = variants.len() as i32;
    draw_text(
        root,
        g,
        axis.left - 10,
        gy + (nv * (BAR_H + 3)) / 2,
        &text_style(14.0, INK, HPos::Right, VPos::Center),
    );
    for (vi, v) in variants.iter().enumerate() {
        let y = gy + vi as i32 * (BAR_H + 3);
        let Some((w, a)) = time_spent(v, g, held) else {
            draw_text(
                root,
                "(removed)",
                axis.x(0.0) + 4,
                y + BAR_H / 2,
                &text_style(12.0, MUTED, HPos::Left, VPos::Center),
            );
            continue;
        };
        let _ = root.draw(&Rectangle::new(
            [(axis.x(0.0), y), (axis.x(w), y + BAR_H)],
            WAIT.filled(),
        ));
        let _ = root.draw(&Rectangle::new(
            [(axis.x(w), y), (axis.x(w + a), y + BAR_H)],
            ACTIVE.filled(),
        ));
        if nv > 1 {
            let _ = root.draw(&Rectangle::new(
                [(axis.x(0.0) - 6, y), (axis.x(0.0) - 2, y + BAR_H)],
                color(vi).filled(),
            ));
        }
        draw_text(
            root,
            &n(w + a),
            axis.x(w + a) + 5,
            y + BAR_H / 2,
            &text_style(12.0, MUTED, HPos::Left, VPos::Center),
        );
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
