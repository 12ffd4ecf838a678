//! `resources`: shared pools of workers, each a name and a number of people,
//! that stages name in `workers` (SPEC §2.2, issue 13).

use serde_saphyr::Spanned;

use super::{Builder, loc};
use crate::error::{ScenarioError, nearest};
use crate::model::Pool;
use crate::scenario::raw::{RawPools, RawValue};

/// The most pools a stream may have (more than its stages makes no sense).
const MAX_POOLS: usize = 1000;

impl Builder<'_> {
    /// The pools of `resources:`, in file order, with unique names and at least one worker each.
    pub(super) fn pools(
        &self,
        raw: Option<&Spanned<RawPools>>,
    ) -> Result<Vec<Pool>, ScenarioError> {
        let Some(raw) = raw else {
            return Ok(Vec::new());
        };
        if raw.value.0.len() > MAX_POOLS {
            return Err(self.err(
                loc(raw),
                format!(
                    "{} pools is more than the {MAX_POOLS} flowcast supports",
                    raw.value.0.len()
                ),
                "a pool is a group of people several stages share; a stream has a handful",
            ));
        }
        let mut pools: Vec<Pool> = Vec::with_capacity(raw.value.0.len());
        for (name, workers) in &raw.value.0 {
            let n = name.value.trim();
            if n.is_empty() || n == "unlimited" || n.parse::<f64>().is_ok() {
                return Err(self.err(
                    loc(name),
                    format!("resources: `{}` cannot name a pool", name.value),
                    "a pool's name is a word that stages write as `workers: NAME`, e.g. `resources: {qa: 3}`; \
                     it cannot be empty, a number or `unlimited`",
                ));
            }
            if pools.iter().any(|p| p.name == name.value) {
                return Err(self.err(
                    loc(name),
                    format!("resources: two pools are named `{}`", name.value),
                    "pool names must be unique; rename one",
                ));
            }
            pools.push(Pool {
                name: name.value.clone(),
                workers: self.pool_workers(&name.value, workers)?,
            });
        }
        Ok(pools)
    }

    fn pool_workers(&self, name: &str, w: &Spanned<RawValue>) -> Result<u32, ScenarioError> {
        match &w.value {
            RawValue::Num(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= f64::from(u32::MAX) => {
                Ok(*n as u32)
            }
            other => Err(self.err(
                loc(w),
                format!(
                    "resources: pool `{name}` has {} workers; it must be a whole number of at least 1",
                    other.show()
                ),
                format!("give the number of people in the pool, e.g. `{name}: 3`"),
            )),
        }
    }

    /// A stage's `workers: NAME` that names no pool: the nearest pool, or how to declare one.
    pub(super) fn unknown_pool(
        &self,
        w: &Spanned<RawValue>,
        name: &str,
        pools: &[Pool],
        ctx: &dyn Fn(&str) -> String,
    ) -> ScenarioError {
        let names: Vec<&str> = pools.iter().map(|p| p.name.as_str()).collect();
        let help = if names.is_empty() {
            format!(
                "give a whole number of workers, `unlimited` for an automated step with no queue, or share \
                 people between stages: declare `resources: {{{name}: 2}}` at the top of the file"
            )
        } else {
            let hint = nearest(name, names.iter().copied())
                .map(|n| format!("did you mean `{n}`? "))
                .unwrap_or_default();
            format!(
                "{hint}pools (under `resources:`) are: {}; or give a whole number of workers, or `unlimited`",
                names.join(", ")
            )
        };
        self.err(
            loc(w),
            ctx(&format!(
                "workers `{name}` is not a number and names no pool"
            )),
            help,
        )
    }
}
