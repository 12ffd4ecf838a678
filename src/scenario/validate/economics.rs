//! `economics`: cost of delay (one figure, or one per item type or class of
//! service), for valuing interventions, pricing the delay a stream incurs and
//! ranking queues by WSJF.

use serde_saphyr::Spanned;

use super::{Builder, loc};
use crate::error::{ScenarioError, nearest};
use crate::model::{Class, Economics, ItemType};
use crate::scenario::raw::{RawEconomics, RawValue};

const HELP: &str = "cost_of_delay is money per item per week of lead time: one number \
     (`cost_of_delay: 4000`) or one per item type or class of service \
     (`cost_of_delay: {feature: 8000, defect: 2000}`)";

impl Builder<'_> {
    /// Cost of delay per item type and the currency it is in.
    pub(super) fn economics(
        &self,
        e: &Spanned<RawEconomics>,
        types: &[ItemType],
        classes: &[Class],
    ) -> Result<Economics, ScenarioError> {
        let cod = match &e.value.cost_of_delay {
            None => None,
            Some(c) => Some(self.cost_of_delay(c, types, classes)?),
        };
        Ok(Economics {
            cost_of_delay: cod,
            currency: e.value.currency.clone().unwrap_or_default(),
        })
    }

    /// One figure for every type, or a mapping that gives every item type of
    /// the mix one: by its name, or by the name of its class of service (a
    /// class's figure applies to all its types; a type's own figure wins).
    fn cost_of_delay(
        &self,
        c: &Spanned<RawValue>,
        types: &[ItemType],
        classes: &[Class],
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
        let mut own = vec![None; types.len()];
        let mut by_class: Vec<Option<f64>> = vec![None; classes.len()];
        for (k, v) in entries {
            let slot = if let Some(t) = names.iter().position(|n| n == k) {
                &mut own[t]
            } else if let Some(k2) = classes.iter().position(|x| x.name == *k) {
                &mut by_class[k2]
            } else {
                return Err(self.unknown_cost_key(c, k, &names, classes));
            };
            if slot.is_some() {
                return Err(self.err(loc(c), format!("cost_of_delay names `{k}` twice"), HELP));
            }
            *slot = Some(amount(v, &format!("cost_of_delay of `{k}`"))?);
        }
        for (k, class) in classes.iter().enumerate() {
            for &t in &class.types {
                own[t] = own[t].or(by_class[k]);
            }
        }
        let missing: Vec<&str> = names
            .iter()
            .zip(&own)
            .filter(|(_, x)| x.is_none())
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            return Err(self.err(
                loc(c),
                format!("cost_of_delay gives no figure for {}", missing.join(", ")),
                if classes.is_empty() {
                    "give every item type of the mix a cost of delay (0 when its delay costs nothing)"
                } else {
                    "give every item type of the mix a cost of delay, by its name or its class's \
                     (0 when its delay costs nothing)"
                },
            ));
        }
        Ok(own.into_iter().map(|x| x.unwrap_or(0.0)).collect())
    }

    /// A `cost_of_delay` key that names neither an item type nor a class.
    fn unknown_cost_key(
        &self,
        c: &Spanned<RawValue>,
        k: &str,
        names: &[&str],
        classes: &[Class],
    ) -> ScenarioError {
        let candidates = names
            .iter()
            .copied()
            .chain(classes.iter().map(|x| x.name.as_str()));
        let hint = nearest(k, candidates)
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        if classes.is_empty() {
            self.err(
                loc(c),
                format!("cost_of_delay names `{k}`, which is not an item type of the mix"),
                format!("{hint}item types: {}", names.join(", ")),
            )
        } else {
            let class_names: Vec<&str> = classes.iter().map(|x| x.name.as_str()).collect();
            self.err(
                loc(c),
                format!(
                    "cost_of_delay names `{k}`, which is neither an item type of the mix nor a class of service"
                ),
                format!(
                    "{hint}item types: {}; classes: {}",
                    names.join(", "),
                    class_names.join(", ")
                ),
            )
        }
    }
}
