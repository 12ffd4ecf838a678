//! Probability distributions for work, wait and arrival intervals.
//!
//! A [`Dist`] is built from validated parameters (see [`Dist::new`]) and sampled
//! from a generator the caller owns. Every distribution also knows its mean, which
//! `check` uses for offered loads and overload warnings.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1, Gamma, LogNormal, Pert, Triangular, Weibull};

/// One distribution of durations (in the scenario's time unit), ready to sample.
#[derive(Debug, Clone)]
pub struct Dist {
    spec: DistSpec,
    sampler: Sampler,
}

/// How a distribution is sampled.
#[derive(Debug, Clone)]
enum Sampler {
    /// Always the same value.
    Constant(f64),
    /// Exponential with the given mean.
    Exponential {
        /// Mean duration.
        mean: f64,
    },
    /// Uniform between `min` and `max`.
    Uniform {
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
    },
    /// Triangular three-point estimate.
    Triangular {
        /// The sampler.
        inner: Triangular<f64>,
        /// `(min, mode, max)` as given.
        params: [f64; 3],
    },
    /// Beta-PERT three-point estimate (λ = 4).
    Pert {
        /// The sampler.
        inner: Pert<f64>,
        /// `(min, mode, max)` as given.
        params: [f64; 3],
    },
    /// Log-normal.
    LogNormal {
        /// The sampler.
        inner: LogNormal<f64>,
        /// Its mean.
        mean: f64,
    },
    /// Gamma.
    Gamma {
        /// The sampler.
        inner: Gamma<f64>,
        /// Its mean.
        mean: f64,
    },
    /// Weibull.
    Weibull {
        /// The sampler.
        inner: Weibull<f64>,
        /// Its mean.
        mean: f64,
    },
    /// Resampling with replacement from observed values.
    Empirical {
        /// The observed values.
        samples: Vec<f64>,
    },
}

/// The parameters of a distribution as the scenario gives them, already converted
/// into the scenario's time unit.
#[derive(Debug, Clone, PartialEq)]
pub enum DistSpec {
    /// `{dist: constant, value}` or a bare number/duration.
    Constant(f64),
    /// `{dist: exponential, mean}`.
    Exponential(f64),
    /// `{dist: uniform, min, max}`.
    Uniform(f64, f64),
    /// `{dist: triangular, min, mode, max}`.
    Triangular(f64, f64, f64),
    /// `{dist: pert, min, mode, max}`.
    Pert(f64, f64, f64),
    /// `{dist: lognormal, mean, cv}`.
    LogNormalMeanCv(f64, f64),
    /// `{dist: lognormal, p50, p90}`.
    LogNormalP50P90(f64, f64),
    /// `{dist: gamma, mean, cv}`.
    Gamma(f64, f64),
    /// `{dist: weibull, shape, scale}`.
    Weibull(f64, f64),
    /// `{dist: empirical, samples}`.
    Empirical(Vec<f64>),
}

/// The 0.9 quantile of the standard normal distribution.
const Z90: f64 = 1.281_551_565_544_600_5;

impl DistSpec {
    /// The same shape with every duration multiplied by `f` (shape parameters such as
    /// cv stay), e.g. for "work takes 20% longer".
    pub fn scaled(&self, f: f64) -> DistSpec {
        match self {
            DistSpec::Constant(v) => DistSpec::Constant(v * f),
            DistSpec::Exponential(m) => DistSpec::Exponential(m * f),
            DistSpec::Uniform(a, b) => DistSpec::Uniform(a * f, b * f),
            DistSpec::Triangular(a, m, b) => DistSpec::Triangular(a * f, m * f, b * f),
            DistSpec::Pert(a, m, b) => DistSpec::Pert(a * f, m * f, b * f),
            DistSpec::LogNormalMeanCv(m, cv) => DistSpec::LogNormalMeanCv(m * f, *cv),
            DistSpec::LogNormalP50P90(a, b) => DistSpec::LogNormalP50P90(a * f, b * f),
            DistSpec::Gamma(m, cv) => DistSpec::Gamma(m * f, *cv),
            DistSpec::Weibull(k, scale) => DistSpec::Weibull(*k, scale * f),
            DistSpec::Empirical(v) => DistSpec::Empirical(v.iter().map(|x| x * f).collect()),
        }
    }
}

impl Dist {
    /// Builds a distribution, or says in words which parameter is wrong and why.
    pub fn new(spec: &DistSpec) -> Result<Dist, String> {
        Ok(Dist {
            spec: spec.clone(),
            sampler: Sampler::new(spec)?,
        })
    }

    /// A constant.
    pub fn constant(v: f64) -> Dist {
        Dist {
            spec: DistSpec::Constant(v),
            sampler: Sampler::Constant(v),
        }
    }

    /// The parameters it was built from.
    pub fn spec(&self) -> &DistSpec {
        &self.spec
    }

    /// The same distribution with every duration multiplied by `f` (> 0).
    pub fn scaled(&self, f: f64) -> Dist {
        Dist::new(&self.spec.scaled(f))
            .expect("scaling valid parameters by a positive factor keeps them valid")
    }

    /// The expected value of one draw.
    pub fn mean(&self) -> f64 {
        self.sampler.mean()
    }

    /// Whether every draw is the same value.
    pub fn is_constant(&self) -> bool {
        matches!(self.sampler, Sampler::Constant(_))
    }

    /// Draws one duration; never negative.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sampler.sample(rng)
    }
}

impl Sampler {
    // One flat match over the distribution kinds, each arm checking its own
    // parameters: splitting it would scatter the one table of what each kind needs.
    fn new(spec: &DistSpec) -> Result<Sampler, String> {
        Ok(match *spec {
            DistSpec::Constant(v) => Sampler::Constant(non_negative("value", v)?),
            DistSpec::Exponential(mean) => Sampler::Exponential {
                mean: positive("mean", mean)?,
            },
            DistSpec::Uniform(min, max) => {
                non_negative("min", min)?;
                finite("max", max)?;
                if min > max {
                    return Err(format!("min ({min}) is greater than max ({max})"));
                }
                Sampler::Uniform { min, max }
            }
            DistSpec::Triangular(min, mode, max) => {
                three_point(min, mode, max)?;
                if min == max {
                    Sampler::Constant(min)
                } else {
                    Sampler::Triangular {
                        inner: Triangular::new(min, max, mode).map_err(|e| e.to_string())?,
                        params: [min, mode, max],
                    }
                }
            }
            DistSpec::Pert(min, mode, max) => {
                three_point(min, mode, max)?;
                if min == max {
                    Sampler::Constant(min)
                } else {
                    Sampler::Pert {
                        inner: Pert::new(min, max)
                            .with_mode(mode)
                            .map_err(|e| e.to_string())?,
                        params: [min, mode, max],
                    }
                }
            }
            DistSpec::LogNormalMeanCv(mean, cv) => {
                positive("mean", mean)?;
                positive("cv", cv)?;
                Sampler::LogNormal {
                    inner: LogNormal::from_mean_cv(mean, cv).map_err(|e| e.to_string())?,
                    mean,
                }
            }
            DistSpec::LogNormalP50P90(p50, p90) => {
                positive("p50", p50)?;
                positive("p90", p90)?;
                if p90 < p50 {
                    return Err(format!(
                        "p90 ({p90}) is below p50 ({p50}); 9 in 10 items cannot take less than the typical one"
                    ));
                }
                if p90 == p50 {
                    Sampler::Constant(p50)
                } else {
                    let mu = p50.ln();
                    let sigma = (p90.ln() - mu) / Z90;
                    Sampler::LogNormal {
                        inner: LogNormal::new(mu, sigma).map_err(|e| e.to_string())?,
                        mean: (mu + sigma * sigma / 2.0).exp(),
                    }
                }
            }
            DistSpec::Gamma(mean, cv) => {
                positive("mean", mean)?;
                positive("cv", cv)?;
                let shape = 1.0 / (cv * cv);
                let scale = mean / shape;
                Sampler::Gamma {
                    inner: Gamma::new(shape, scale).map_err(|e| e.to_string())?,
                    mean,
                }
            }
            DistSpec::Weibull(shape, scale) => {
                positive("shape", shape)?;
                positive("scale", scale)?;
                Sampler::Weibull {
                    inner: Weibull::new(scale, shape).map_err(|e| e.to_string())?,
                    mean: scale * gamma_fn(1.0 + 1.0 / shape),
                }
            }
            DistSpec::Empirical(ref samples) => {
                if samples.is_empty() {
                    return Err("samples is empty; give at least one observed duration".into());
                }
                for &s in samples {
                    non_negative("every sample", s)?;
                }
                Sampler::Empirical {
                    samples: samples.clone(),
                }
            }
        })
    }

    fn mean(&self) -> f64 {
        match self {
            Sampler::Constant(v) => *v,
            Sampler::Exponential { mean } => *mean,
            Sampler::Uniform { min, max } => (min + max) / 2.0,
            Sampler::Triangular { params, .. } => (params[0] + params[1] + params[2]) / 3.0,
            Sampler::Pert { params, .. } => (params[0] + 4.0 * params[1] + params[2]) / 6.0,
            Sampler::LogNormal { mean, .. }
            | Sampler::Gamma { mean, .. }
            | Sampler::Weibull { mean, .. } => *mean,
            Sampler::Empirical { samples } => samples.iter().sum::<f64>() / samples.len() as f64,
        }
    }

    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = match self {
            Sampler::Constant(v) => *v,
            Sampler::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Sampler::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Sampler::Triangular { inner, .. } => inner.sample(rng),
            Sampler::Pert { inner, .. } => inner.sample(rng),
            Sampler::LogNormal { inner, .. } => inner.sample(rng),
            Sampler::Gamma { inner, .. } => inner.sample(rng),
            Sampler::Weibull { inner, .. } => inner.sample(rng),
            Sampler::Empirical { samples } => samples[rng.random_range(0..samples.len())],
        };
        x.max(0.0)
    }
}

/// `v`, when it is a finite number.
fn finite(name: &str, v: f64) -> Result<f64, String> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("{name} must be a finite number"))
    }
}

/// `v`, when it is a finite number ≥ 0.
fn non_negative(name: &str, v: f64) -> Result<f64, String> {
    finite(name, v)?;
    if v < 0.0 {
        Err(format!("{name} is {v}; durations cannot be negative"))
    } else {
        Ok(v)
    }
}

/// `v`, when it is a finite number > 0.
fn positive(name: &str, v: f64) -> Result<f64, String> {
    finite(name, v)?;
    if v <= 0.0 {
        Err(format!("{name} is {v}; it must be greater than 0"))
    } else {
        Ok(v)
    }
}

/// Checks a three-point estimate: min ≥ 0, min ≤ mode ≤ max, all finite.
fn three_point(min: f64, mode: f64, max: f64) -> Result<(), String> {
    non_negative("min", min)?;
    finite("mode", mode)?;
    finite("max", max)?;
    if min > max {
        return Err(format!("min ({min}) is greater than max ({max})"));
    }
    if mode < min || mode > max {
        return Err(format!(
            "mode ({mode}) must lie between min ({min}) and max ({max})"
        ));
    }
    Ok(())
}

/// The gamma function Γ(x) for x > 0, used for the Weibull mean: see
/// [`crate::stats::special::gamma`].
pub fn gamma_fn(x: f64) -> f64 {
    crate::stats::special::gamma(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn sample_mean(d: &Dist, n: usize) -> f64 {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        (0..n).map(|_| d.sample(&mut rng)).sum::<f64>() / n as f64
    }

    // Proves each distribution's stated mean is what sampling gives (within 4 standard errors).
    #[test]
    fn sampled_means_match_stated_means() {
        let specs = [
            DistSpec::Exponential(2.0),
            DistSpec::Uniform(1.0, 3.0),
            DistSpec::Triangular(0.5, 1.0, 3.0),
            DistSpec::Pert(0.5, 1.0, 3.0),
            DistSpec::LogNormalMeanCv(3.0, 0.8),
            DistSpec::LogNormalP50P90(3.0, 8.0),
            DistSpec::Gamma(2.0, 0.5),
            DistSpec::Weibull(1.5, 2.0),
            DistSpec::Empirical(vec![1.0, 2.0, 6.0]),
        ];
        let n = 200_000;
        for spec in &specs {
            let d = Dist::new(spec).unwrap();
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
            let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
            let m = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n as f64 - 1.0);
            let se = (var / n as f64).sqrt();
            assert!(
                (m - d.mean()).abs() < 4.0 * se,
                "{spec:?}: sampled {m}, stated {}, se {se}",
                d.mean()
            );
        }
    }

    // Proves the p50/p90 form of the lognormal puts the median and 90th percentile where the user said.
    #[test]
    fn lognormal_p50_p90_hits_its_percentiles() {
        let d = Dist::new(&DistSpec::LogNormalP50P90(3.0, 8.0)).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut xs: Vec<f64> = (0..100_000).map(|_| d.sample(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        // The sample quantile of 100,000 draws has a standard error of about 0.5% here.
        assert!((xs[50_000] / 3.0 - 1.0).abs() < 0.02, "p50 {}", xs[50_000]);
        assert!((xs[90_000] / 8.0 - 1.0).abs() < 0.03, "p90 {}", xs[90_000]);
    }

    // Proves invalid parameters are refused with words that name the parameter.
    #[test]
    fn invalid_parameters_are_refused() {
        let bad = [
            (DistSpec::Exponential(-1.0), "mean"),
            (DistSpec::Uniform(3.0, 1.0), "min"),
            (DistSpec::Triangular(1.0, 5.0, 3.0), "mode"),
            (DistSpec::LogNormalMeanCv(3.0, 0.0), "cv"),
            (DistSpec::LogNormalP50P90(3.0, 2.0), "p90"),
            (DistSpec::Empirical(vec![]), "samples"),
            (DistSpec::Constant(-2.0), "value"),
            (DistSpec::Weibull(0.0, 1.0), "shape"),
        ];
        for (spec, word) in bad {
            let err = Dist::new(&spec).unwrap_err();
            assert!(err.contains(word), "{spec:?}: {err}");
        }
    }

    // Proves the Lanczos gamma function against known values.
    #[test]
    fn gamma_function_known_values() {
        assert!((gamma_fn(5.0) - 24.0).abs() < 1e-10);
        assert!((gamma_fn(0.5) - std::f64::consts::PI.sqrt()).abs() < 1e-12);
        assert!((gamma_fn(1.5) - 0.886_226_925_452_758).abs() < 1e-12);
    }

    // Proves a constant draws exactly its value.
    #[test]
    fn constant_is_exact() {
        assert_eq!(sample_mean(&Dist::constant(2.5), 10), 2.5);
    }
}
