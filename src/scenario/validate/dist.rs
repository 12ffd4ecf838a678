//! Durations and distributions: a number or duration (constant), or
//! `{dist: …}`, wherever the file gives one (work, wait, intervals).

use serde_saphyr::Spanned;

use super::{Builder, loc};
use crate::describe;
use crate::error::{Loc, ScenarioError, nearest};
use crate::model::dist::{Dist, DistSpec};
use crate::model::{ItemType, MAX_DURATION_SECS, Timescale};
use crate::scenario::raw::{RawValue, parse_duration};

impl Builder<'_> {
    pub(super) fn duration(
        &self,
        v: &Spanned<RawValue>,
        scale: &Timescale,
        ctx: &str,
    ) -> Result<f64, ScenarioError> {
        let d = self.duration_value(&v.value, scale, ctx, loc(v))?;
        if d < 0.0 {
            return Err(self.err(
                loc(v),
                format!("{ctx} is negative"),
                "durations cannot be negative",
            ));
        }
        Ok(d)
    }

    pub(super) fn duration_value(
        &self,
        v: &RawValue,
        scale: &Timescale,
        ctx: &str,
        at: Loc,
    ) -> Result<f64, ScenarioError> {
        let d = match v {
            RawValue::Num(n) => *n,
            RawValue::Str(t) => {
                parse_duration(t, scale).map_err(|m| self.err(at, format!("{ctx}: {m}"), ""))?
            }
            other => {
                return Err(self.err(
                    at,
                    format!("{ctx} is {}, not a duration", other.show()),
                    "write a number (in the scenario's time_unit) or a duration such as 90m, 4h, 3d or 2w",
                ));
            }
        };
        self.bounded(d, v, scale, ctx, at)
    }

    /// Refuses a duration that is not finite or longer than [`MAX_DURATION_SECS`]
    /// once converted (`1e308w`, `1e300`), naming the bound in the scenario's unit.
    fn bounded(
        &self,
        d: f64,
        written: &RawValue,
        scale: &Timescale,
        ctx: &str,
        at: Loc,
    ) -> Result<f64, ScenarioError> {
        let max = scale.from_seconds(MAX_DURATION_SECS);
        if d.is_finite() && d.abs() <= max {
            return Ok(d);
        }
        let shown = match written {
            RawValue::Str(t) => t.trim().to_string(),
            RawValue::Num(n) => super::show_number(*n),
            other => other.show(),
        };
        let unit = scale.unit.name();
        let working = if scale.is_working() { "working " } else { "" };
        Err(self.err(
            at,
            if d.is_finite() {
                format!("{ctx}: {shown} is longer than the longest duration flowcast accepts, 10,000 years")
            } else {
                format!("{ctx}: {shown} is not a finite duration")
            },
            format!(
                "durations are at most 10,000 years ({} {working}{unit}); give a realistic value, \
                 e.g. 3d or {{dist: lognormal, mean: 3d, cv: 0.8}}",
                super::show_number(max)
            ),
        ))
    }

    pub(super) fn work(
        &self,
        w: &Spanned<RawValue>,
        types: &[ItemType],
        skip: &[bool],
        scale: &Timescale,
        stage: &str,
    ) -> Result<Vec<Dist>, ScenarioError> {
        let is_per_type =
            matches!(&w.value, RawValue::Map(m) if !m.iter().any(|(k, _)| k == "dist"));
        if !is_per_type {
            let d = self.dist(w, scale, &format!("stage `{stage}`: work"))?;
            return Ok(vec![d; types.len()]);
        }
        let RawValue::Map(m) = &w.value else {
            unreachable!("is_per_type implies a map")
        };
        let type_names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        let mut out: Vec<Option<Dist>> = vec![None; types.len()];
        for (k, v) in m {
            let Some(t) = types.iter().position(|x| x.name == *k) else {
                let known = DIST_KEYS.contains(&k.as_str());
                return Err(if known {
                    self.err(
                        loc(w),
                        format!("stage `{stage}`: work has `{k}` but no `dist`"),
                        "name the distribution, e.g. `{dist: exponential, mean: 2}`",
                    )
                } else {
                    let hint = nearest(k, type_names.iter().copied())
                        .map(|n| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    self.err(
                        loc(w),
                        format!("stage `{stage}`: work names an item type `{k}` that is not in arrivals.mix"),
                        format!("{hint}item types are: {}", type_names.join(", ")),
                    )
                });
            };
            let sp = Spanned::new(v.clone(), w.referenced, w.defined);
            out[t] = Some(self.dist(&sp, scale, &format!("stage `{stage}`: work for `{k}`"))?);
        }
        out.into_iter()
            .enumerate()
            .map(|(t, d)| {
                if skip[t] {
                    // Never drawn: the type passes this stage by.
                    return Ok(d.unwrap_or(Dist::constant(0.0)));
                }
                d.ok_or_else(|| {
                    self.err(
                        loc(w),
                        format!("stage `{stage}`: work has no entry for item type `{}`", types[t].name),
                        format!(
                            "add `{}: …` to work, or `skip: [{}]` if that type passes this stage by",
                            types[t].name, types[t].name
                        ),
                    )
                })
            })
            .collect()
    }

    /// Interprets a distribution: a number or duration (constant), or `{dist: …}`.
    pub(super) fn dist(
        &self,
        v: &Spanned<RawValue>,
        scale: &Timescale,
        ctx: &str,
    ) -> Result<Dist, ScenarioError> {
        let at = loc(v);
        let spec = match &v.value {
            RawValue::Num(_) | RawValue::Str(_) => {
                DistSpec::Constant(self.duration_value(&v.value, scale, ctx, at)?)
            }
            RawValue::Map(m) => self.dist_map(m, scale, ctx, at)?,
            other => {
                return Err(self.err(
                    at,
                    format!("{ctx} is {}, not a duration or distribution", other.show()),
                    "write a duration (e.g. 4h) or a distribution (e.g. `{dist: lognormal, mean: 3, cv: 0.8}`)",
                ));
            }
        };
        let d = Dist::new(&spec).map_err(|m| self.err(at, format!("{ctx}: {m}"), ""))?;
        // Bounded parameters can still make an unbounded mean (a Weibull shape of 0.001).
        let max = scale.from_seconds(MAX_DURATION_SECS);
        if !(d.mean().is_finite() && d.mean() <= max) {
            return Err(self.err(
                at,
                format!(
                    "{ctx}: {} has a mean longer than 10,000 years",
                    describe::dist(&d)
                ),
                format!(
                    "durations are at most 10,000 years ({} {}); check the shape and scale",
                    super::show_number(max),
                    scale.unit.name()
                ),
            ));
        }
        Ok(d)
    }

    fn dist_map(
        &self,
        m: &[(String, RawValue)],
        scale: &Timescale,
        ctx: &str,
        at: Loc,
    ) -> Result<DistSpec, ScenarioError> {
        let (kind, allowed) = self.dist_kind(m, ctx, at)?;
        // Shape parameters (cv, shape) are plain numbers; the rest are durations.
        let get = |name: &str| -> Result<Option<f64>, ScenarioError> {
            match m.iter().find(|(k, _)| k == name) {
                None => Ok(None),
                Some((_, v)) if name == "cv" || name == "shape" => match v {
                    RawValue::Num(n) => Ok(Some(*n)),
                    other => Err(self.err(
                        at,
                        format!("{ctx}: {name} is {}, not a number", other.show()),
                        "",
                    )),
                },
                Some((_, v)) => self
                    .duration_value(v, scale, &format!("{ctx}: {name}"), at)
                    .map(Some),
            }
        };
        let need = |name: &str| -> Result<f64, ScenarioError> {
            get(name)?.ok_or_else(|| {
                self.err(
                    at,
                    format!("{ctx}: {kind} needs `{name}`"),
                    format!("{kind} takes {}", allowed.join(", ")),
                )
            })
        };
        Ok(match kind.as_str() {
            "constant" => DistSpec::Constant(need("value")?),
            "exponential" => DistSpec::Exponential(need("mean")?),
            "uniform" => DistSpec::Uniform(need("min")?, need("max")?),
            "triangular" => DistSpec::Triangular(need("min")?, need("mode")?, need("max")?),
            "pert" => DistSpec::Pert(need("min")?, need("mode")?, need("max")?),
            "lognormal" => match (get("mean")?, get("cv")?, get("p50")?, get("p90")?) {
                (Some(mean), Some(cv), None, None) => DistSpec::LogNormalMeanCv(mean, cv),
                (None, None, Some(p50), Some(p90)) => DistSpec::LogNormalP50P90(p50, p90),
                _ => {
                    return Err(self.err(
                        at,
                        format!("{ctx}: lognormal needs either `mean` and `cv`, or `p50` and `p90`"),
                        "e.g. `{dist: lognormal, mean: 3, cv: 0.8}` or `{dist: lognormal, p50: 3d, p90: 8d}`",
                    ));
                }
            },
            "gamma" => DistSpec::Gamma(need("mean")?, need("cv")?),
            "weibull" => DistSpec::Weibull(need("shape")?, need("scale")?),
            "empirical" => DistSpec::Empirical(self.samples(m, scale, ctx, at)?),
            _ => unreachable!("distribution names were checked above"),
        })
    }

    /// The distribution's name and the parameters it takes; refuses unknown ones.
    fn dist_kind(
        &self,
        m: &[(String, RawValue)],
        ctx: &str,
        at: Loc,
    ) -> Result<(String, &'static [&'static str]), ScenarioError> {
        let kind = match m.iter().find(|(k, _)| k == "dist") {
            Some((_, RawValue::Str(s))) => s.trim().to_ascii_lowercase(),
            Some((_, other)) => {
                return Err(self.err(
                    at,
                    format!("{ctx}: dist is {}, not a name", other.show()),
                    DIST_HELP,
                ));
            }
            None => return Err(self.err(at, format!("{ctx} has no `dist`"), DIST_HELP)),
        };
        let allowed: &'static [&'static str] = match kind.as_str() {
            "constant" => &["value"],
            "exponential" => &["mean"],
            "uniform" => &["min", "max"],
            "triangular" | "pert" => &["min", "mode", "max"],
            "lognormal" => &["mean", "cv", "p50", "p90"],
            "gamma" => &["mean", "cv"],
            "weibull" => &["shape", "scale"],
            "empirical" => &["samples"],
            other => {
                let hint = nearest(other, DIST_NAMES)
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                return Err(self.err(
                    at,
                    format!("{ctx}: unknown distribution `{other}`"),
                    format!("{hint}{DIST_HELP}"),
                ));
            }
        };
        for (k, _) in m {
            if k != "dist" && !allowed.contains(&k.as_str()) {
                let hint = nearest(k, allowed.iter().copied())
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                return Err(self.err(
                    at,
                    format!("{ctx}: {kind} has no parameter `{k}`"),
                    format!("{hint}{kind} takes {}", allowed.join(", ")),
                ));
            }
        }
        Ok((kind, allowed))
    }

    /// The observed values of an empirical distribution.
    fn samples(
        &self,
        m: &[(String, RawValue)],
        scale: &Timescale,
        ctx: &str,
        at: Loc,
    ) -> Result<Vec<f64>, ScenarioError> {
        Ok(match m.iter().find(|(k, _)| k == "samples") {
            Some((_, RawValue::Seq(items))) => items
                .iter()
                .map(|x| self.duration_value(x, scale, &format!("{ctx}: samples"), at))
                .collect::<Result<Vec<f64>, _>>()?,
            Some((_, other)) => {
                return Err(self.err(
                    at,
                    format!("{ctx}: samples is {}, not a list", other.show()),
                    "e.g. `samples: [2, 3, 3, 5, 8]`",
                ));
            }
            None => {
                return Err(self.err(
                    at,
                    format!("{ctx}: empirical needs `samples`"),
                    "e.g. `samples: [2, 3, 3, 5, 8]`",
                ));
            }
        })
    }
}

const DIST_NAMES: [&str; 9] = [
    "constant",
    "exponential",
    "uniform",
    "triangular",
    "pert",
    "lognormal",
    "gamma",
    "weibull",
    "empirical",
];
const DIST_KEYS: [&str; 13] = [
    "value", "mean", "min", "max", "mode", "cv", "p50", "p90", "shape", "scale", "samples", "dist",
    "mode",
];
const DIST_HELP: &str = "distributions are constant, exponential, uniform, triangular, pert, lognormal, gamma, weibull, empirical \
     (e.g. `{dist: triangular, min: 1d, mode: 2d, max: 5d}`)";
