//! The per-stage charts: the value stream map of the baseline and where the
//! time goes in every variant.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{ACTIVE, Chart, INK, MUTED, WAIT, color, draw_text, n, nice_step, text_style};
use crate::describe;
use crate::model::{Capacity, Model};
use crate::sim::results::{Outcome, VariantResult};

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
            stage_box(&root, i, &stage_lines(model, s, r, short), &s.name, is_b);
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
/// share of visits blocked, work and wait per item.
fn stage_lines(
    model: &crate::model::Model,
    s: &crate::model::Stage,
    r: &crate::sim::results::StageResult,
    short: &str,
) -> Vec<String> {
    let mut lines = vec![match &s.capacity {
        Capacity::Workers(w) => format!("{w} worker{}", if *w == 1 { "" } else { "s" }),
        Capacity::Pool(p) => format!("{} pool", model.pools[*p].name),
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
    if let Some(b) = &s.blocked {
        lines.push(format!("blocked {:.0}%", b.probability * 100.0));
    }
    lines.push(format!("work {} {short}", n(r.work)));
    lines.push(format!("wait {} {short}", n(r.wait_per_item)));
    lines
}

/// Stage `i`'s box: its name on a coloured band, up to seven lines under it
/// (closer together beyond six), and a red border and label when it is the
/// bottleneck.
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
    let step = if lines.len() > 6 { 16 } else { 19 };
    for (k, l) in lines.iter().take(7).enumerate() {
        draw_text(
            root,
            l,
            x + 10,
            top + 38 + k as i32 * step,
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
/// time of each step and, under a stage's wait, the part of it blocked.
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
        if r.time_blocked > 0.0 {
            draw_text(
                root,
                &format!("{} {short} blocked", n(r.time_blocked)),
                (wa.max(x0) + wb) / 2,
                ly_wait + 6,
                &text_style(12.0, RGBColor(0xc0, 0x39, 0x2b), HPos::Center, VPos::Top),
            );
        }
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
