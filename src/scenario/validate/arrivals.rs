//! `arrivals`: how work arrives (rate, interval or backlog) and the item mix.

use serde_saphyr::Spanned;

use super::{Builder, loc};
use crate::error::ScenarioError;
use crate::model::{Arrivals, ItemType, MAX_BACKLOG, Timescale};
use crate::scenario::raw::{RawArrivals, RawValue};

/// The most item types a mix may name.
const MAX_TYPES: usize = 64;

impl Builder<'_> {
    /// How work arrives, and the item types it comes in.
    pub(super) fn arrivals(
        &self,
        raw: &Spanned<RawArrivals>,
        scale: &Timescale,
    ) -> Result<(Arrivals, Vec<ItemType>), ScenarioError> {
        let time_unit = scale.unit;
        let arr = &raw.value;
        let given = [
            arr.rate.is_some(),
            arr.interval.is_some(),
            arr.backlog.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if given != 1 {
            return Err(self.err(
                loc(raw),
                if given == 0 {
                    "arrivals has none of rate, interval or backlog"
                } else {
                    "arrivals has more than one of rate, interval and backlog"
                },
                "give exactly one: `rate: 1.5` (items per time unit), `interval: {dist: exponential, mean: 0.7}`, or `backlog: 40`",
            ));
        }
        let arrivals = if let Some(r) = &arr.rate {
            if !(r.value.is_finite() && r.value > 0.0) {
                return Err(self.err(
                    loc(r),
                    format!("arrival rate is {}; it must be greater than 0", r.value),
                    format!(
                        "rate is items per {} (e.g. 1.5)",
                        time_unit.name().trim_end_matches('s')
                    ),
                ));
            }
            Arrivals::Rate(r.value)
        } else if let Some(i) = &arr.interval {
            let d = self.dist(i, scale, "arrivals.interval")?;
            if d.mean() <= 0.0 {
                return Err(self.err(
                    loc(i),
                    "arrivals.interval has a mean of 0: items would arrive infinitely fast",
                    "give a positive mean time between arrivals",
                ));
            }
            Arrivals::Interval(d)
        } else {
            let b = arr
                .backlog
                .as_ref()
                .expect("exactly one arrival form is present");
            if b.value == 0 {
                return Err(self.err(loc(b), "backlog is 0", "a backlog needs at least one item"));
            }
            if b.value > MAX_BACKLOG {
                return Err(self.err(
                    loc(b),
                    format!("a backlog of {} items is too large", b.value),
                    format!(
                        "flowcast simulates at most {MAX_BACKLOG} items waiting at once; model a part of \
                         the backlog (the next release, say) or an open stream with `rate`"
                    ),
                ));
            }
            Arrivals::Backlog(b.value)
        };
        let types = self.mix(arr.mix.as_ref())?;
        Ok((arrivals, types))
    }

    fn mix(&self, mix: Option<&Spanned<RawValue>>) -> Result<Vec<ItemType>, ScenarioError> {
        let Some(m) = mix else {
            return Ok(vec![ItemType {
                name: "item".into(),
                share: 1.0,
            }]);
        };
        let RawValue::Map(entries) = &m.value else {
            return Err(self.err(
                loc(m),
                format!(
                    "mix is {}, not a mapping of item types to shares",
                    m.value.show()
                ),
                "write e.g. `mix: {feature: 0.6, defect: 0.3, debt: 0.1}`",
            ));
        };
        if entries.is_empty() || entries.len() > MAX_TYPES {
            return Err(self.err(
                loc(m),
                format!("mix has {} item types", entries.len()),
                format!("give between 1 and {MAX_TYPES} item types"),
            ));
        }
        let mut types = Vec::new();
        let mut sum = 0.0;
        for (k, v) in entries {
            let RawValue::Num(share) = v else {
                return Err(self.err(
                    loc(m),
                    format!("mix share of `{k}` is {}, not a number", v.show()),
                    "shares are numbers between 0 and 1 that add up to 1",
                ));
            };
            if !(share.is_finite() && *share >= 0.0 && *share <= 1.0) {
                return Err(self.err(
                    loc(m),
                    format!("mix share of `{k}` is {share}; shares lie between 0 and 1"),
                    "shares are numbers between 0 and 1 that add up to 1",
                ));
            }
            if types.iter().any(|t: &ItemType| t.name == *k) {
                return Err(self.err(loc(m), format!("mix names `{k}` twice"), ""));
            }
            sum += share;
            types.push(ItemType {
                name: k.clone(),
                share: *share,
            });
        }
        if (sum - 1.0).abs() > 1e-6 {
            return Err(self.err(
                loc(m),
                format!("mix shares add up to {}, not 1", (sum * 1e6).round() / 1e6),
                "make the shares add up to 1 (e.g. 0.6, 0.3, 0.1)",
            ));
        }
        Ok(types)
    }
}
