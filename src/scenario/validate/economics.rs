//! `economics`: cost of delay (one figure, or one per item type), for valuing
//! interventions and pricing the delay a stream incurs.

use serde_saphyr::Spanned;

use super::{Builder, loc};
use crate::error::ScenarioError;
use crate::model::{Economics, ItemType};
use crate::scenario::raw::{RawEconomics, RawValue};

const HELP: &str = "cost_of_delay is money per item per week of lead time: one number \
     (`cost_of_delay: 4000`) or one per item type (`cost_of_delay: {feature: 8000, defect: 2000}`)";

impl Builder<'_> {
    /// Cost of delay per item type and the currency it is in.
    pub(super) fn economics(
        &self,
        e: &Spanned<RawEconomics>,
        types: &[ItemType],
    ) -> Result<Economics, ScenarioError> {
        let cod = match &e.value.cost_of_delay {
            None => None,
            Some(c) => Some(self.cost_of_delay(c, types)?),
        };
        Ok(Economics {
            cost_of_delay: cod,
            currency: e.value.currency.clone().unwrap_or_default(),
        })
    }

    /// One figure for every type, or a mapping that names every item type of the mix once.
    fn cost_of_delay(
        &self,
        c: &Spanned<RawValue>,
        types: &[ItemType],
    ) -> Result<Vec<f64>, ScenarioError> {
        let amount = |v: &RawValue, what: &str| -> Result<f64, ScenarioError> {
            match v {
                RawValue::Num(x) if x.is_finite() && *x >= 0.0 => Ok(*x),
                RawValue::Num(x) => {
                    Err(self.err(loc(c), format!("{what} is {x}; it must be 0 or more"), HELP))
                }
                other => Err(self.err(
                    loc(c),
                    format!("{what} is {}, not an amount of money", other.show()),
                    HELP,
                )),
            }
        };
        let entries = match &c.value {
            RawValue::Map(m) => m,
            v => return Ok(vec![amount(v, "cost_of_delay")?; types.len()]),
        };
        let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        let mut out = vec![None; types.len()];
        for (k, v) in entries {
            let Some(t) = names.iter().position(|n| n == k) else {
                return Err(self.err(
                    loc(c),
                    format!("cost_of_delay names `{k}`, which is not an item type of the mix"),
                    format!("item types: {}", names.join(", ")),
                ));
            };
            if out[t].is_some() {
                return Err(self.err(loc(c), format!("cost_of_delay names `{k}` twice"), HELP));
            }
            out[t] = Some(amount(v, &format!("cost_of_delay of `{k}`"))?);
        }
        let missing: Vec<&str> = names
            .iter()
            .zip(&out)
            .filter(|(_, x)| x.is_none())
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            return Err(self.err(
                loc(c),
                format!("cost_of_delay gives no figure for {}", missing.join(", ")),
                "give every item type of the mix a cost of delay (0 when its delay costs nothing)",
            ));
        }
        Ok(out.into_iter().map(|x| x.unwrap_or(0.0)).collect())
    }
}
