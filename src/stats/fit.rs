//! Maximum-likelihood fits of four positive families (exponential, lognormal, gamma, Weibull)
//! to a sample, ranked by AIC and checked with the one-sample Kolmogorov–Smirnov test.
//!
//! ```
//! use flowcast::stats::fit::{best_fit, Dist, FitChoice};
//! assert_eq!(best_fit(&[]), FitChoice::Unfit);
//! assert_eq!(best_fit(&[2.0, 2.0, 2.0]), FitChoice::Constant(2.0));
//! let d = Dist::Exponential { mean: 2.0 };
//! assert!((d.cdf(2.0) - (1.0 - (-1f64).exp())).abs() < 1e-15);
//! ```
//!
//! Only finite, strictly positive values are used; anything else is skipped, never a panic.
//!
//! The KS critical value assumes a fully specified distribution. Here the parameters are
//! estimated from the same sample, which makes the test conservative (Lilliefors): a family
//! that truly generated the data passes more often than 95 % of the time.

use super::special::{digamma, gamma_p, ln_gamma, normal_cdf, trigamma};

/// ½ ln(2π), the normal density's constant.
const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// Relative step at which the gamma and Weibull Newton iterations stop.
const SHAPE_TOL: f64 = 1e-12;

/// Iteration cap of the shape solvers (they converge in well under 50 steps).
const MAX_ITER: usize = 200;

/// Relative spread (max − min) / mean below which a sample counts as constant.
const CONSTANT_SPREAD: f64 = 1e-9;

/// A fitted distribution of positive values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dist {
    /// Exponential with the given mean.
    Exponential {
        /// The mean (1 / rate).
        mean: f64,
    },
    /// Lognormal: ln x is normal with mean `mu` and standard deviation `sigma`.
    LogNormal {
        /// Mean of ln x.
        mu: f64,
        /// Standard deviation of ln x.
        sigma: f64,
    },
    /// Gamma with density x^(shape−1) e^(−x/scale) / (Γ(shape) scale^shape).
    Gamma {
        /// Shape k.
        shape: f64,
        /// Scale θ (mean = kθ).
        scale: f64,
    },
    /// Weibull with CDF 1 − exp(−(x/scale)^shape).
    Weibull {
        /// Shape k.
        shape: f64,
        /// Scale λ.
        scale: f64,
    },
}

impl Dist {
    /// The family's name: "exponential", "lognormal", "gamma" or "weibull".
    pub fn name(&self) -> &'static str {
        match self {
            Dist::Exponential { .. } => "exponential",
            Dist::LogNormal { .. } => "lognormal",
            Dist::Gamma { .. } => "gamma",
            Dist::Weibull { .. } => "weibull",
        }
    }

    /// P(X ≤ x); 0 for x ≤ 0.
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        if x <= 0.0 {
            return 0.0;
        }
        match *self {
            Dist::Exponential { mean } => -(-x / mean).exp_m1(),
            Dist::LogNormal { mu, sigma } => normal_cdf((x.ln() - mu) / sigma),
            Dist::Gamma { shape, scale } => gamma_p(shape, x / scale),
            Dist::Weibull { shape, scale } => -(-(x / scale).powf(shape)).exp_m1(),
        }
    }

    /// Natural log of the density at x; −∞ for x ≤ 0 (the families are fitted on (0, ∞)).
    pub fn ln_pdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        if x <= 0.0 {
            return f64::NEG_INFINITY;
        }
        match *self {
            Dist::Exponential { mean } => -mean.ln() - x / mean,
            Dist::LogNormal { mu, sigma } => {
                let z = (x.ln() - mu) / sigma;
                -x.ln() - sigma.ln() - HALF_LN_2PI - 0.5 * z * z
            }
            Dist::Gamma { shape, scale } => {
                (shape - 1.0) * x.ln() - x / scale - ln_gamma(shape) - shape * scale.ln()
            }
            Dist::Weibull { shape, scale } => {
                let y = x / scale;
                shape.ln() - scale.ln() + (shape - 1.0) * y.ln() - y.powf(shape)
            }
        }
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Exponential { mean } => mean,
            Dist::LogNormal { mu, sigma } => (mu + 0.5 * sigma * sigma).exp(),
            Dist::Gamma { shape, scale } => shape * scale,
            Dist::Weibull { shape, scale } => scale * ln_gamma(1.0 + 1.0 / shape).exp(),
        }
    }

    /// The coefficient of variation, standard deviation / mean.
    pub fn cv(&self) -> f64 {
        match *self {
            Dist::Exponential { .. } => 1.0,
            Dist::LogNormal { sigma, .. } => (sigma * sigma).exp_m1().sqrt(),
            Dist::Gamma { shape, .. } => 1.0 / shape.sqrt(),
            Dist::Weibull { shape, .. } => {
                // Var / mean² = Γ(1 + 2/k) / Γ(1 + 1/k)² − 1.
                (ln_gamma(1.0 + 2.0 / shape) - 2.0 * ln_gamma(1.0 + 1.0 / shape))
                    .exp_m1()
                    .sqrt()
            }
        }
    }

    /// Number of fitted parameters (1 or 2), for AIC.
    pub fn params(&self) -> usize {
        match self {
            Dist::Exponential { .. } => 1,
            Dist::LogNormal { .. } | Dist::Gamma { .. } | Dist::Weibull { .. } => 2,
        }
    }
}

/// One family fitted to a sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The maximum-likelihood distribution.
    pub dist: Dist,
    /// Log-likelihood of the sample under `dist`.
    pub log_likelihood: f64,
    /// Akaike information criterion, 2·params − 2·log_likelihood (lower is better).
    pub aic: f64,
    /// One-sample KS statistic of the sample against `dist`.
    pub ks: f64,
    /// Number of samples used (finite and positive).
    pub n: usize,
}

/// Maximum-likelihood fit of each family to positive samples; zeros, negatives, infinities and
/// NaN are skipped.
///
/// Returns the fits sorted by AIC, best first (ties keep the order exponential, lognormal,
/// gamma, Weibull); families whose MLE fails (e.g. a constant sample for the two-parameter
/// families, or too few samples) are left out. Empty when no value is usable.
///
/// * exponential: mean = x̄;
/// * lognormal: μ, σ are the mean and the MLE (divide by n) standard deviation of ln x;
/// * gamma: Newton on ln k − ψ(k) = ln x̄ − mean(ln x) from Minka's starting point, θ = x̄/k;
/// * Weibull: safeguarded Newton on the profile equation
///   Σ xᵏ ln x / Σ xᵏ − 1/k = mean(ln x), then λ = (mean xᵏ)^(1/k).
pub fn fit_all(xs: &[f64]) -> Vec<Fit> {
    let clean = usable(xs);
    if clean.is_empty() {
        return Vec::new();
    }
    let candidates = [
        fit_exponential(&clean),
        fit_lognormal(&clean),
        fit_gamma(&clean),
        fit_weibull(&clean),
    ];
    let mut fits: Vec<Fit> = candidates
        .into_iter()
        .flatten()
        .filter_map(|dist| evaluate(&clean, dist))
        .collect();
    fits.sort_by(|a, b| a.aic.total_cmp(&b.aic));
    fits
}

/// The outcome of choosing a distribution for a sample.
#[derive(Debug, Clone, PartialEq)]
pub enum FitChoice {
    /// No usable samples.
    Unfit,
    /// All samples (nearly) equal: relative spread < 1e-9.
    Constant(f64),
    /// The best family by AIC passes the one-sample KS test at 5% (D < critical).
    ///
    /// If the family with the lowest AIC fails the KS test but another passes, `best` is the
    /// lowest-AIC family among those that pass.
    Fitted {
        /// The chosen fit.
        best: Fit,
        /// Every family that could be fitted, sorted by AIC.
        all: Vec<Fit>,
        /// The 5 % KS critical value for this sample size ([`ks_critical_5`]).
        critical: f64,
    },
    /// No family passes: use the samples themselves.
    Empirical {
        /// Every family that could be fitted, sorted by AIC (all fail the KS test).
        all: Vec<Fit>,
        /// The 5 % KS critical value for this sample size ([`ks_critical_5`]).
        critical: f64,
    },
}

/// Chooses a distribution for a sample: [`FitChoice::Unfit`] without usable (finite,
/// positive) values, [`FitChoice::Constant`] (their mean) when they are all nearly equal,
/// otherwise the lowest-AIC family whose KS statistic is below the 5 % critical value
/// ([`FitChoice::Fitted`]), or [`FitChoice::Empirical`] when none passes.
pub fn best_fit(xs: &[f64]) -> FitChoice {
    let clean = usable(xs);
    if clean.is_empty() {
        return FitChoice::Unfit;
    }
    let n = clean.len() as f64;
    let mean = clean.iter().sum::<f64>() / n;
    let lo = clean.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = clean.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if (hi - lo) <= CONSTANT_SPREAD * mean {
        return FitChoice::Constant(mean);
    }
    choose_fit(fit_all(&clean), ks_critical_5(clean.len()))
}

/// The choice rule of [`best_fit`] on fits already made: the first fit of `all` (sorted by
/// AIC, as [`fit_all`] returns them) whose KS statistic is below `critical` is
/// [`FitChoice::Fitted`]; if none is, [`FitChoice::Empirical`].
pub fn choose_fit(all: Vec<Fit>, critical: f64) -> FitChoice {
    match all.iter().position(|f| f.ks < critical) {
        Some(i) => FitChoice::Fitted {
            best: all[i].clone(),
            all,
            critical,
        },
        None => FitChoice::Empirical { all, critical },
    }
}

/// One-sample KS statistic of samples against a distribution.
///
/// sup |F_n − F| over the empirical CDF F_n of `xs` (NaN values ignored; ties handled);
/// NaN if no value is left.
pub fn ks_one_sample(xs: &[f64], dist: &Dist) -> f64 {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len() as f64;
    // With ties the largest gap above F sits at the last copy and the largest gap below at
    // the first, which is where these two terms look.
    v.iter().enumerate().fold(0.0, |d: f64, (i, &x)| {
        let f = dist.cdf(x);
        d.max((i + 1) as f64 / n - f).max(f - i as f64 / n)
    })
}

/// 5% critical value of the one-sample KS test, asymptotically 1.358/√n.
///
/// Uses Stephens' (1970) small-sample correction 1.358 / (√n + 0.12 + 0.11/√n), within about
/// 1 % of the exact value for n ≥ 5 and tending to 1.358/√n. NaN for n = 0.
pub fn ks_critical_5(n: usize) -> f64 {
    if n == 0 {
        return f64::NAN;
    }
    let r = (n as f64).sqrt();
    1.358 / (r + 0.12 + 0.11 / r)
}

/// The finite, strictly positive values of `xs`.
fn usable(xs: &[f64]) -> Vec<f64> {
    xs.iter()
        .copied()
        .filter(|x| x.is_finite() && *x > 0.0)
        .collect()
}

/// Log-likelihood, AIC and KS statistic of `dist` on `xs`; `None` if the likelihood is not
/// finite (a failed fit).
fn evaluate(xs: &[f64], dist: Dist) -> Option<Fit> {
    let log_likelihood: f64 = xs.iter().map(|&x| dist.ln_pdf(x)).sum();
    if !log_likelihood.is_finite() {
        return None;
    }
    Some(Fit {
        dist,
        log_likelihood,
        aic: 2.0 * dist.params() as f64 - 2.0 * log_likelihood,
        ks: ks_one_sample(xs, &dist),
        n: xs.len(),
    })
}

/// Mean of a non-empty slice.
fn mean_of(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Exponential MLE: the sample mean.
fn fit_exponential(xs: &[f64]) -> Option<Dist> {
    let mean = mean_of(xs);
    (mean.is_finite() && mean > 0.0).then_some(Dist::Exponential { mean })
}

/// Lognormal MLE: mean and (divide-by-n) standard deviation of ln x.
fn fit_lognormal(xs: &[f64]) -> Option<Dist> {
    let logs: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
    let mu = mean_of(&logs);
    let var = logs.iter().map(|l| (l - mu) * (l - mu)).sum::<f64>() / logs.len() as f64;
    let sigma = var.sqrt();
    (mu.is_finite() && sigma.is_finite() && sigma > 0.0).then_some(Dist::LogNormal { mu, sigma })
}

/// Gamma MLE: Newton on ln k − ψ(k) = s with s = ln x̄ − mean(ln x) > 0, started at Minka's
/// approximation k₀ = (3 − s + √((s − 3)² + 24s)) / (12s), then θ = x̄ / k.
fn fit_gamma(xs: &[f64]) -> Option<Dist> {
    let mean = mean_of(xs);
    let mean_ln = xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64;
    let s = mean.ln() - mean_ln;
    if !(s.is_finite() && s > 0.0) {
        return None;
    }
    let mut k = (3.0 - s + ((s - 3.0) * (s - 3.0) + 24.0 * s).sqrt()) / (12.0 * s);
    for _ in 0..MAX_ITER {
        // f(k) = ln k − ψ(k) − s is decreasing and convex, so Newton from either side
        // converges; halving guards the step from leaving k > 0.
        let f = k.ln() - digamma(k) - s;
        let df = 1.0 / k - trigamma(k);
        let mut next = k - f / df;
        if !(next.is_finite() && next > 0.0) {
            next = 0.5 * k;
        }
        let done = (next - k).abs() <= SHAPE_TOL * k;
        k = next;
        if done {
            break;
        }
    }
    let scale = mean / k;
    (k.is_finite() && k > 0.0 && scale.is_finite() && scale > 0.0)
        .then_some(Dist::Gamma { shape: k, scale })
}

/// Sums over y = x / max(x) (so yᵏ ≤ 1 never overflows) for the Weibull profile equation.
struct WeibullSums {
    /// ln y of every sample (all ≤ 0).
    ln_y: Vec<f64>,
    /// mean(ln y).
    mean_ln_y: f64,
}

impl WeibullSums {
    /// The profile function g(k) = Σ yᵏ ln y / Σ yᵏ − 1/k − mean(ln y), increasing in k, and
    /// its derivative; the MLE shape is its root.
    fn profile(&self, k: f64) -> (f64, f64) {
        let (mut s0, mut s1, mut s2) = (0.0, 0.0, 0.0);
        for &l in &self.ln_y {
            let w = (k * l).exp();
            s0 += w;
            s1 += w * l;
            s2 += w * l * l;
        }
        let ratio = s1 / s0;
        let g = ratio - 1.0 / k - self.mean_ln_y;
        let dg = s2 / s0 - ratio * ratio + 1.0 / (k * k);
        (g, dg)
    }
}

/// Weibull MLE: the shape k solves the profile equation, found by Newton steps kept inside a
/// bisection bracket; then λ = max(x) · (mean yᵏ)^(1/k).
fn fit_weibull(xs: &[f64]) -> Option<Dist> {
    let top = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ln_y: Vec<f64> = xs.iter().map(|x| (x / top).ln()).collect();
    let mean_ln_y = mean_of(&ln_y);
    let var = ln_y.iter().map(|l| (l - mean_ln_y).powi(2)).sum::<f64>() / ln_y.len() as f64;
    if !(top.is_finite() && var.is_finite() && var > 0.0) {
        return None;
    }
    let sums = WeibullSums { ln_y, mean_ln_y };
    // ln x of a Weibull is Gumbel with standard deviation π / (k √6).
    let mut k = std::f64::consts::PI / (6.0 * var).sqrt();
    let (mut lo, mut hi) = bracket_weibull_shape(&sums, k)?;
    for _ in 0..MAX_ITER {
        let (g, dg) = sums.profile(k);
        if g < 0.0 {
            lo = k;
        } else {
            hi = k;
        }
        let mut next = k - g / dg;
        if !(next.is_finite() && next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        let done = (next - k).abs() <= SHAPE_TOL * k || hi - lo <= SHAPE_TOL * k;
        k = next;
        if done {
            break;
        }
    }
    let mean_pow = sums.ln_y.iter().map(|l| (k * l).exp()).sum::<f64>() / sums.ln_y.len() as f64;
    let scale = top * mean_pow.powf(1.0 / k);
    (k.is_finite() && k > 0.0 && scale.is_finite() && scale > 0.0)
        .then_some(Dist::Weibull { shape: k, scale })
}

/// A bracket [lo, hi] around the Weibull shape with g(lo) < 0 < g(hi), grown geometrically
/// from `start`: g → −∞ as k → 0 and g → −mean(ln y) > 0 as k → ∞ for non-constant data.
fn bracket_weibull_shape(sums: &WeibullSums, start: f64) -> Option<(f64, f64)> {
    let (mut lo, mut hi) = (start, start);
    for _ in 0..MAX_ITER {
        if sums.profile(lo).0 < 0.0 {
            break;
        }
        lo *= 0.5;
    }
    for _ in 0..MAX_ITER {
        if sums.profile(hi).0 > 0.0 {
            break;
        }
        hi *= 2.0;
    }
    let ok = sums.profile(lo).0 < 0.0 && sums.profile(hi).0 > 0.0;
    ok.then_some((lo, hi))
}
