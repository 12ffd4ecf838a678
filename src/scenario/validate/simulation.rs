//! `simulation`: runs, deliveries per run and warm-up.

use serde_saphyr::Spanned;

use super::{Builder, loc};
use crate::error::ScenarioError;
use crate::model::Simulation;
use crate::scenario::raw::RawSimulation;

impl Builder<'_> {
    /// Run settings, with their defaults.
    pub(super) fn simulation(
        &self,
        raw: Option<&Spanned<RawSimulation>>,
    ) -> Result<Simulation, ScenarioError> {
        let sim = raw.map(|s| &s.value);
        let runs = match sim.and_then(|s| s.runs.as_ref()) {
            None => 1000,
            Some(r) => self.count(r, "simulation.runs")?.into(),
        };
        let items = match sim.and_then(|s| s.items.as_ref()) {
            None => 2000,
            Some(r) => self.count(r, "simulation.items")?.into(),
        };
        let warmup = match sim.and_then(|s| s.warmup.as_ref()) {
            None => items / 10,
            Some(w) => {
                if w.value >= items {
                    return Err(self.err(
                        loc(w),
                        format!("warmup ({}) leaves no deliveries out of {items} to count", w.value),
                        "warmup must be smaller than simulation.items (the default is 10% of items)",
                    ));
                }
                w.value
            }
        };
        Ok(Simulation {
            runs,
            items,
            warmup,
        })
    }
}
