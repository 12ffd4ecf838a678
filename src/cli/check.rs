//! `flowcast check`: validate a scenario and print it back with each stage's expected load.

use std::path::Path;

use crate::describe;
use crate::error::Error;
use crate::model::Variant;
use crate::report;
use crate::scenario::Scenario;
use crate::scenario::interventions as variants;

use super::output::write_stdout;

/// Runs `flowcast check`.
pub fn run(path: &Path) -> Result<u8, Error> {
    let scenario = Scenario::load(path)?;
    let interventions = variants::from_file(&scenario)?;
    let built = variants::build(&scenario, &interventions)?;
    let mut text = report::check(&scenario.model);
    if !interventions.is_empty() {
        text.push_str("\nInterventions (each runs as a variant beside the baseline):\n");
        for iv in &interventions {
            let changes: Vec<String> = iv.changes.iter().map(ToString::to_string).collect();
            let mut line = format!("  {}: {}", iv.name, changes.join("; "));
            if let Some(c) = iv.cost {
                line.push_str(&format!(" · cost {}", report::money(c)));
            }
            if let Some(c) = iv.cost_per_year {
                line.push_str(&format!(" · {} a year", report::money(c)));
            }
            text.push_str(&line);
            text.push('\n');
        }
    }
    let warnings = overload_warnings(&built);
    for w in &warnings {
        text.push_str(&format!("\nwarning: {w}\n"));
    }
    if warnings.is_empty() {
        text.push_str(&format!("\n{} is valid.\n", path.display()));
    }
    write_stdout(&text)?;
    Ok(0)
}

/// Overload warnings of every variant, naming the intervention that causes them.
pub(super) fn overload_warnings(variants: &[Variant]) -> Vec<String> {
    let mut out = Vec::new();
    for v in variants {
        for w in describe::overload_warnings(&v.model) {
            out.push(if v.name == "baseline" {
                w
            } else {
                format!("in `{}`: {w}", v.name)
            });
        }
    }
    out
}
