//! The report's opening paragraphs, written from the numbers.

use crate::model::Model;
use crate::sim::results::{Delta, Outcome, VariantResult};
use crate::stats::fmt_sig;

fn n(x: f64) -> String {
    fmt_sig(x, 3)
}

fn range(lo: f64, hi: f64) -> String {
    format!("{}–{}", n(lo), n(hi))
}

fn clear(v: &VariantResult) -> bool {
    v.delta
        .as_ref()
        .is_some_and(|d| d.lead_time_mean_ci95[1] < 0.0 || d.lead_time_mean_ci95[0] > 0.0)
}

/// A few sentences a leader can quote: the stream as it is, then what each
/// intervention changes (ranked), with confidence intervals.
pub fn summary(model: &Model, outcome: &Outcome) -> Vec<String> {
    let base = &outcome.variants[0];
    let mut out: Vec<String> = value_first(model, outcome).into_iter().collect();
    out.push(today(model, base));
    if let (Some(w), Some(start)) = (base.done_by, model.start) {
        out.push(format!(
            "Starting on {}, the whole backlog is done by {} in half of the runs and by {} with 85% confidence.",
            start.date().strftime("%a %-d %b %Y"),
            w.p50.strftime("%a %-d %b %Y"),
            w.p85.strftime("%a %-d %b %Y"),
        ));
    }
    let mut ranked: Vec<&VariantResult> = outcome.variants[1..].iter().collect();
    ranked.sort_by(|a, b| {
        let da = a.delta.as_ref().map_or(0.0, |d| d.lead_time_mean);
        let db = b.delta.as_ref().map_or(0.0, |d| d.lead_time_mean);
        da.total_cmp(&db)
    });
    let mut unclear = Vec::new();
    let mut overloaded = Vec::new();
    for v in ranked {
        let Some(d) = &v.delta else { continue };
        if !v.overloaded.is_empty() || !base.overloaded.is_empty() {
            overloaded.push(format!("“{}”", v.name));
        } else if !clear(v) {
            unclear.push(format!("“{}”", v.name));
        } else {
            out.push(change(model, base, v, d));
        }
    }
    out.extend(caveats(base, &overloaded, &unclear));
    out
}

/// The stream as it is: lead time, flow efficiency, and where items wait most.
fn today(model: &Model, base: &VariantResult) -> String {
    let unit = model.time_unit.name();
    let waiting = base
        .stages
        .iter()
        .find(|s| s.name == base.bottleneck)
        .map(|s| s.wait_per_item)
        .unwrap_or(0.0);
    format!(
        "Today an item takes {} {unit} on average from arrival to delivery (95% CI {}); 85% are delivered within {} {unit}. \
         Items are worked on for {:.1}% of that time (flow efficiency); the rest is waiting, most of it at {} ({} {unit} per item).",
        n(base.lead_time.mean),
        range(base.lead_time.mean_ci95[0], base.lead_time.mean_ci95[1]),
        n(base.lead_time.p85),
        base.flow_efficiency * 100.0,
        base.bottleneck,
        n(waiting),
    )
}

/// What variant `v` (with a clear change) does to mean lead time, where the
/// bottleneck goes, and what it is worth.
fn change(model: &Model, base: &VariantResult, v: &VariantResult, d: &Delta) -> String {
    let unit = model.time_unit.name();
    let verb = if d.lead_time_mean < 0.0 {
        "cuts"
    } else {
        "raises"
    };
    let bottleneck = if v.bottleneck == base.bottleneck {
        format!("{} stays the bottleneck", v.bottleneck)
    } else {
        format!("the bottleneck moves to {}", v.bottleneck)
    };
    let worth = match v.economics.as_ref().and_then(|e| e.value.map(|x| (x, e))) {
        Some((value, e)) if value > 0.0 => format!(
            " Worth about {}{} {}.",
            if e.currency.is_empty() {
                String::new()
            } else {
                format!("{} ", e.currency)
            },
            crate::report::money(value),
            e.basis
        ),
        _ => String::new(),
    };
    format!(
        "“{}” {verb} mean lead time from {} to {} {unit} (change {} {unit}, 95% CI {} to {}; faster in {:.0}% of runs); {bottleneck}.{worth}",
        v.name,
        n(base.lead_time.mean),
        n(v.lead_time.mean),
        signed(d.lead_time_mean),
        signed(d.lead_time_mean_ci95[0]),
        signed(d.lead_time_mean_ci95[1]),
        d.share_of_runs_faster * 100.0,
    )
}

/// What the numbers above cannot say: an overloaded stream or variants, and
/// variants that made no clear difference.
fn caveats(base: &VariantResult, overloaded: &[String], unclear: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if !base.overloaded.is_empty() {
        out.push(format!(
            "As it is, the stream is overloaded at {}: work arrives faster than it can be done there, so its \
             queue grows without bound and the lead times above only measure how long a run lasts.",
            base.overloaded.join(", ")
        ));
    } else if !overloaded.is_empty() {
        out.push(format!(
            "{} overload{} a stage (the queue grows without bound), so {} change in lead time is not a finding.",
            overloaded.join(", "),
            if overloaded.len() == 1 { "s" } else { "" },
            if overloaded.len() == 1 { "its" } else { "their" },
        ));
    }
    if !unclear.is_empty() {
        out.push(format!(
            "{} made no clear difference to mean lead time: the 95% confidence interval of the change includes zero.",
            unclear.join(", ")
        ));
    }
    out
}

fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", n(x))
    } else {
        n(x).replacen('-', "−", 1)
    }
}

/// With a cost of delay, the sentence a report leads with: what delay costs
/// each way of working, and — when they deliver the same throughput — that
/// throughput does not tell them apart.
fn value_first(model: &Model, outcome: &Outcome) -> Option<String> {
    let base = &outcome.variants[0];
    let c = base.cost_of_delay.as_ref()?;
    let cur = if c.currency.is_empty() {
        String::new()
    } else {
        format!("{} ", c.currency)
    };
    let m = |x: f64| format!("{cur}{}", crate::report::money(x));
    let ci = |v: &VariantResult| {
        v.cost_of_delay.as_ref().map_or(String::new(), |c| {
            format!("95% CI {}–{}", m(c.mean_ci95[0]), m(c.mean_ci95[1]))
        })
    };
    if outcome.variants.len() == 1 {
        return Some(format!(
            "Delay costs this stream {} {} ({}).",
            m(c.mean),
            c.basis,
            ci(base)
        ));
    }
    let comparable: Vec<&VariantResult> = outcome
        .variants
        .iter()
        .filter(|v| v.overloaded.is_empty() && v.cost_of_delay.is_some())
        .collect();
    if comparable.len() < 2 {
        return None;
    }
    let cod = |v: &VariantResult| v.cost_of_delay.as_ref().map_or(f64::NAN, |c| c.mean);
    let mut by_cost = comparable.clone();
    by_cost.sort_by(|a, b| cod(a).total_cmp(&cod(b)));
    let (best, worst) = (by_cost[0], by_cost[by_cost.len() - 1]);
    let unit = model.time_unit.name().trim_end_matches('s').to_string();
    let spread = comparable
        .iter()
        .map(|v| (v.throughput / base.throughput - 1.0).abs())
        .fold(0.0, f64::max);
    let ratio = cod(worst) / cod(best);
    let costs = format!(
        "delay costs {} {} with “{}” ({}) and {} with “{}” ({}){}",
        m(cod(best)),
        c.basis,
        best.name,
        ci(best),
        m(cod(worst)),
        worst.name,
        ci(worst),
        if ratio.is_finite() && ratio >= 1.2 {
            format!(", {}× as much", n(ratio))
        } else {
            String::new()
        }
    );
    Some(if spread <= 0.02 {
        format!(
            "Throughput does not tell these ways of working apart: all {} deliver {} items per {unit} ({}). \
             Value does: {costs}.",
            comparable.len(),
            n(base.throughput),
            if spread < 0.0005 {
                "to within 0.05%".to_string()
            } else {
                format!("within {:.1}%", spread * 100.0)
            }
        )
    } else {
        let mut s = costs;
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        format!("{s}.")
    })
}
