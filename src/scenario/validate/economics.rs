//! `economics`: cost of delay, for valuing interventions.

use serde_saphyr::Spanned;

use super::{Builder, loc};
use crate::error::ScenarioError;
use crate::model::Economics;
use crate::scenario::raw::RawEconomics;

impl Builder<'_> {
    /// Cost of delay and the currency it is in.
    pub(super) fn economics(&self, e: &Spanned<RawEconomics>) -> Result<Economics, ScenarioError> {
        let cod = match &e.value.cost_of_delay {
            None => None,
            Some(c) if c.value.is_finite() && c.value >= 0.0 => Some(c.value),
            Some(c) => {
                return Err(self.err(
                    loc(c),
                    format!("cost_of_delay is {}; it must be 0 or more", c.value),
                    "cost_of_delay is money per item per week of lead time",
                ));
            }
        };
        Ok(Economics {
            cost_of_delay: cod,
            currency: e.value.currency.clone().unwrap_or_default(),
        })
    }
}
