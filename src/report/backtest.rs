//! How a backtest reads: the terminal table, the verdict in plain words, and
//! the report folder (a reliability diagram and forecast fans).

use std::fmt::Write as _;

use askama::Template;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::charts::{Chart, INK, MUTED, color, frame, legend, text_style};
use super::document::TableData;
use crate::analysis::forecast::backtest::{Backtest, HorizonScore};

/// A horizon in words: `2 weeks`, `10 days`.
pub fn horizon(days: usize) -> String {
    if days % 7 == 0 {
        let w = days / 7;
        format!("{w} week{}", if w == 1 { "" } else { "s" })
    } else {
        format!("{days} days")
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The index of level 85 in the scored levels.
const I85: usize = 2;

/// The horizon the verdict speaks of: the middle one.
fn middle(b: &Backtest) -> Option<&HorizonScore> {
    let hs = &b.methods.first()?.horizons;
    hs.get(hs.len() / 2)
}

/// Whether `observed` (a share of `m` cut-offs) is as often as `nominal`
/// (both 0 to 1), by the Wilson 95% interval around the observed share.
pub fn judged(observed: f64, nominal: f64, m: usize) -> &'static str {
    let (lo, hi) = wilson(observed, m);
    if nominal < lo {
        "more often than they say"
    } else if nominal > hi {
        "less often than they say"
    } else {
        "about as often as they say"
    }
}

/// The Wilson score 95% interval of a share `p` of `m` trials.
pub fn wilson(p: f64, m: usize) -> (f64, f64) {
    let n = m.max(1) as f64;
    let z = 1.96f64;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    (centre - half, centre + half)
}

/// The verdict in one sentence, about the first method at the middle horizon.
pub fn verdict(b: &Backtest) -> String {
    let (Some(m), Some(h)) = (b.methods.first(), middle(b)) else {
        return String::new();
    };
    let came = h.how_many_came_true[I85];
    format!(
        "Over the last {} cut-offs, the {} method's 85% forecasts of how many items in {} \
         came true {} of the time: {}.",
        h.cutoffs,
        m.method,
        horizon(h.days),
        pct(came),
        judged(came, 0.85, h.cutoffs)
    )
}

/// One row per method and horizon: how often each level came true.
pub fn table(b: &Backtest) -> TableData {
    let mut header = vec!["method".to_string(), "horizon".to_string()];
    for l in b.levels {
        header.push(format!("how many {l}%"));
    }
    for l in b.levels {
        header.push(format!("when {l}%"));
    }
    header.push("median off by".into());
    let rows = b
        .methods
        .iter()
        .flat_map(|m| {
            m.horizons.iter().map(move |h| {
                let mut r = vec![m.method.to_string(), horizon(h.days)];
                r.extend(h.how_many_came_true.iter().map(|x| pct(*x)));
                r.extend(h.when_came_true.iter().map(|x| pct(*x)));
                r.push(format!(
                    "{:.1} items ({:.0}%)",
                    h.median_abs_error,
                    100.0 * h.median_abs_error / h.mean_delivered.max(1e-9)
                ));
                r
            })
        })
        .collect();
    TableData { header, rows }
}

/// The terminal's account: what was scored, the table, the verdict.
pub fn terminal(b: &Backtest) -> String {
    let mut s = format!(
        "Forecasting the past: {} cut-offs every {} from {} to {}, each from the {} before it.\n\
         Share of cut-offs where the forecast came true (it should match the level):\n\n",
        b.cutoffs,
        horizon(b.every_days),
        b.first_cutoff,
        b.last_cutoff,
        horizon(b.window_days)
    );
    let t = table(b);
    // Level columns are as wide as their level ("85%") or their values.
    let shown = |i: usize| -> usize {
        let h = &t.header[i];
        if i >= 2 && i < t.header.len() - 1 {
            h.rsplit(' ').next().unwrap_or(h).chars().count()
        } else {
            h.chars().count()
        }
    };
    let widths: Vec<usize> = (0..t.header.len())
        .map(|i| {
            t.rows
                .iter()
                .map(|r| r[i].chars().count())
                .chain([shown(i)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    // Two header lines keep the table narrow: the question, then the level.
    let mut top = String::new();
    let mut bottom = String::new();
    for (i, h) in t.header.iter().enumerate() {
        let (a, z) = match h.rsplit_once(' ') {
            Some((a, z)) if i >= 2 && i < t.header.len() - 1 => (a.to_string(), z.to_string()),
            _ => (String::new(), h.clone()),
        };
        let w = widths[i].max(z.chars().count());
        let shown_a = if i == 2 || i == 6 { a } else { String::new() };
        let _ = write!(
            top,
            "{:<w$}  ",
            shown_a,
            w = if shown_a.is_empty() {
                w
            } else {
                w.max(shown_a.chars().count())
            }
        );
        let _ = write!(bottom, "{:<w$}  ", z);
    }
    let _ = writeln!(s, "{}", top.trim_end());
    let _ = writeln!(s, "{}", bottom.trim_end());
    for r in &t.rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = widths[i];
                if i < 2 {
                    format!("{c:<w$}")
                } else {
                    format!("{c:>w$}")
                }
            })
            .collect();
        let _ = writeln!(s, "{}", line.join("  ").trim_end());
    }
    let _ = writeln!(s, "\n{}", verdict(b));
    let _ = writeln!(
        s,
        "\"how many\" came true when at least the forecast number was delivered; \"when\" \
         when the next N items\n(N = the window's pace over the horizon) were done by the \
         forecast date. Cut-offs closer together\nthan the horizon overlap, so treat \
         differences of a few points as noise."
    );
    s
}

/// Nominal against observed coverage of "how many", one line per method and
/// horizon: a method whose line follows the diagonal says what it means.
pub fn reliability(b: &Backtest) -> Chart {
    let title = "Reliability: how often each confidence level came true".to_string();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 520)).into_drawing_area();
        let built = frame(&root, &title, 20, 56).build_cartesian_2d(40.0..100.0, 0.0..100.0);
        if let Ok(mut chart) = built {
            let _ = chart
                .configure_mesh()
                .x_desc("the forecast's confidence level (%)")
                .y_desc("cut-offs where it came true (%)")
                .x_label_formatter(&|v| format!("{v:.0}%"))
                .y_label_formatter(&|v| format!("{v:.0}%"))
                .light_line_style(TRANSPARENT)
                .draw();
            let _ = chart.draw_series(LineSeries::new(
                [(40.0, 40.0), (100.0, 100.0)],
                MUTED.stroke_width(1),
            ));
            let _ = chart.draw_series(std::iter::once(Text::new(
                "came true as often as it says".to_string(),
                (72.0, 70.0),
                text_style(12.0, MUTED, HPos::Left, VPos::Top),
            )));
            for (mi, m) in b.methods.iter().enumerate() {
                for (hi, h) in m.horizons.iter().enumerate() {
                    let col = color(mi);
                    let width = 1 + hi as u32;
                    let pts: Vec<(f64, f64)> = b
                        .levels
                        .iter()
                        .zip(h.how_many_came_true)
                        .map(|(l, x)| (*l as f64, x * 100.0))
                        .collect();
                    let dashed = mi > 0;
                    let style = col.stroke_width(width + 1);
                    let drawn = if dashed {
                        chart.draw_series(DashedLineSeries::new(pts.clone(), 6, 4, style))
                    } else {
                        chart.draw_series(LineSeries::new(pts.clone(), style))
                    };
                    if let Ok(s) = drawn {
                        s.label(format!("{}, {}", m.method, horizon(h.days)))
                            .legend(move |(x, y)| {
                                PathElement::new(vec![(x, y), (x + 22, y)], style)
                            });
                    }
                    let _ = chart.draw_series(
                        pts.iter()
                            .map(|p| Circle::new(*p, 3 + hi as i32, col.filled())),
                    );
                }
            }
            legend(&mut chart, SeriesLabelPosition::LowerRight, 13);
        }
        let _ = root.present();
    }
    Chart {
        file: "reliability.svg",
        title,
        svg,
    }
}

/// The first method's forecast fan at one cut-off against what was delivered.
pub fn fan(b: &Backtest, k: usize) -> Option<Chart> {
    let f = b.fans.get(k)?;
    let method = b.methods.first()?.method;
    let title = format!(
        "From {}: the {method} forecast against what happened",
        f.cutoff
    );
    let days = f.actual.len().min(f.bands.first()?.len());
    let y_max = f
        .bands
        .iter()
        .filter_map(|b| b.get(days.saturating_sub(1)))
        .chain(f.actual.last())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1) as f64
        * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 420)).into_drawing_area();
        let built = frame(&root, &title, 18, 56).build_cartesian_2d(0.0..days as f64, 0.0..y_max);
        if let Ok(mut chart) = built {
            let _ = chart
                .configure_mesh()
                .x_desc("days after the cut-off")
                .y_desc("items delivered")
                .x_label_formatter(&|v| format!("{v:.0}"))
                .y_label_formatter(&|v| format!("{v:.0}"))
                .light_line_style(TRANSPARENT)
                .draw();
            let band = |i: usize| -> Vec<(f64, f64)> {
                f.bands[i]
                    .iter()
                    .take(days)
                    .enumerate()
                    .map(|(d, c)| ((d + 1) as f64, *c as f64))
                    .collect()
            };
            // The 50%–95% range shaded, then each level's line.
            let mut area = band(0);
            area.extend(band(3).into_iter().rev());
            let _ = chart.draw_series(std::iter::once(Polygon::new(
                area,
                color(0).mix(0.15).filled(),
            )));
            for (i, l) in b.levels.iter().enumerate() {
                let style = color(0).mix(1.0 - 0.2 * i as f64).stroke_width(2);
                if let Ok(s) = chart.draw_series(LineSeries::new(band(i), style)) {
                    s.label(format!("{l}%: at least this many"))
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], style));
                }
            }
            let actual: Vec<(f64, f64)> = f
                .actual
                .iter()
                .take(days)
                .enumerate()
                .map(|(d, c)| ((d + 1) as f64, *c as f64))
                .collect();
            let ink = INK.stroke_width(3);
            if let Ok(s) = chart.draw_series(LineSeries::new(actual, ink)) {
                s.label("what was delivered")
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], ink));
            }
            legend(&mut chart, SeriesLabelPosition::UpperLeft, 13);
        }
        let _ = root.present();
    }
    Some(Chart {
        file: ["fan-1.svg", "fan-2.svg", "fan-3.svg"][k.min(2)],
        title,
        svg,
    })
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
    /// The scores.
    pub table: TableData,
    /// Charts.
    pub charts: Vec<Chart>,
    /// How to read it.
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "backtest.html")]
struct Html<'a> {
    doc: &'a Page,
}

fn page(b: &Backtest, about: &str) -> Page {
    let mut summary = vec![verdict(b)];
    if let (Some(first), Some(second)) = (b.methods.first(), b.methods.get(1)) {
        let line: Vec<String> = first
            .horizons
            .iter()
            .zip(&second.horizons)
            .map(|(a, z)| {
                format!(
                    "{}: {} against {}",
                    horizon(a.days),
                    pct(a.how_many_came_true[I85]),
                    pct(z.how_many_came_true[I85])
                )
            })
            .collect();
        summary.push(format!(
            "The 85% \"how many\" came true, {} against {}: {}.",
            first.method,
            second.method,
            line.join("; ")
        ));
    }
    let mut charts = vec![reliability(b)];
    charts.extend((0..b.fans.len()).filter_map(|k| fan(b, k)));
    Page {
        title: "Backtest: how often the forecasts came true".into(),
        meta: format!(
            "{about} · {} cut-offs every {}, {} to {} · window {}",
            b.cutoffs,
            horizon(b.every_days),
            b.first_cutoff,
            b.last_cutoff,
            horizon(b.window_days)
        ),
        summary,
        table: table(b),
        charts,
        notes: vec![
            "At each cut-off, each method forecast from what was known then (the window's \
             pace; the calibrated method also the whole history before the cut-off) and was \
             scored on what happened after it."
                .into(),
            "\"How many\" at p% came true when at least the forecast number was delivered \
             within the horizon. \"When\" at p% came true when the next N items (N = the \
             window's pace times the horizon) were all delivered by the forecast date."
                .into(),
            "The median's error is the mean distance between the 50% forecast and what was \
             delivered, in items and as a share of the mean delivered."
                .into(),
            "Cut-offs closer together than the horizon share days, so the shares are less \
             certain than their count suggests: treat a few points as noise."
                .into(),
        ],
    }
}

fn markdown(p: &Page) -> String {
    let mut s = format!("# {}\n\n{}\n\n", p.title, p.meta);
    for para in &p.summary {
        let _ = writeln!(s, "{para}\n");
    }
    let _ = write!(s, "## Scores\n\n| {} |\n|", p.table.header.join(" | "));
    for _ in &p.table.header {
        s.push_str("---|");
    }
    s.push('\n');
    for r in &p.table.rows {
        let _ = writeln!(s, "| {} |", r.join(" | "));
    }
    for c in &p.charts {
        let _ = writeln!(s, "\n## {}\n\n![{}]({})", c.title, c.title, c.file);
    }
    let _ = writeln!(s, "\n## How to read it\n");
    for note in &p.notes {
        let _ = writeln!(s, "- {note}");
    }
    s
}

/// The report folder's files.
pub fn files(b: &Backtest, about: &str, json_text: &str) -> Vec<(String, Vec<u8>)> {
    let p = page(b, about);
    let html = Html { doc: &p }
        .render()
        .expect("the backtest template renders plain strings and cannot fail");
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
