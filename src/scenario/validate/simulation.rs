//! `simulation`: runs, deliveries per run and warm-up.

use serde_saphyr::Spanned;

use super::{Builder, loc};
use crate::error::ScenarioError;
use crate::model::{MAX_ITEMS, MAX_RUNS, Simulation};
use crate::scenario::raw::RawSimulation;

impl Builder<'_> {
    /// A count from 1 to `max`, refused with `why` above it.
    fn at_most(
        &self,
        v: &Spanned<u64>,
        field: &str,
        max: u64,
        why: &str,
    ) -> Result<u64, ScenarioError> {
        if v.value > max {
            return Err(self.err(
                loc(v),
                format!("{field} is {}, more than the {max} flowcast runs", v.value),
                format!("{why} (at most {max})"),
            ));
        }
        Ok(self.count(v, field)?.into())
    }

    /// Run settings, with their defaults.
    pub(super) fn simulation(
        &self,
        raw: Option<&Spanned<RawSimulation>>,
    ) -> Result<Simulation, ScenarioError> {
        let sim = raw.map(|s| &s.value);
        let runs = match sim.and_then(|s| s.runs.as_ref()) {
            None => 1000,
            Some(r) => self.at_most(r, "simulation.runs", MAX_RUNS,
                "runs are replications: a few hundred to a few thousand give tight intervals; \
                 each run keeps a summary until the end, so more than a million would not fit in memory")?,
        };
        let items = match sim.and_then(|s| s.items.as_ref()) {
            None => 2000,
            Some(r) => self.at_most(
                r,
                "simulation.items",
                MAX_ITEMS,
                "items are the deliveries one run simulates; a few thousand reach a steady state, \
                 and ten million already take minutes per run: lower items, or raise runs instead",
            )?,
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
