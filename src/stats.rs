//! Small, dependency-free statistics used to summarise Monte Carlo runs.
//!
//! * [`t_critical_95`] — two-sided 95 % critical value of Student's t.
//! * [`mean_ci95`] / [`MeanCi`] — sample mean with a t-based 95 % confidence interval.
//! * [`paired_delta`] / [`PairedDelta`] — paired comparison of a variant against a baseline
//!   (common random numbers: run `i` of both used the same seed).
//! * [`LogHistogram`] — a mergeable, fixed-resolution log-linear histogram for pooled
//!   percentiles of non-negative durations without storing the samples.
//! * [`special`] — log-gamma, digamma, trigamma, incomplete gamma, erf, the normal CDF.
//! * [`fit`] — maximum-likelihood fits of exponential, lognormal, gamma and Weibull
//!   distributions, ranked by AIC and checked by the one-sample KS test.
//! * [`distance`] — two-sample KS and 1-Wasserstein distances between samples.
//! * [`fmt_sig`] — formatting with a given number of significant digits for terminal tables.
//!
//! Everything here is deterministic: sums are taken in slice order and histogram merges are
//! integer additions, so results do not depend on thread scheduling.

pub mod distance;
pub mod fit;
pub mod special;

use std::f64::consts::{FRAC_2_PI, PI};
use std::fmt;

// ---------------------------------------------------------------------------------------------
// Student's t critical value
// ---------------------------------------------------------------------------------------------

/// Largest `df` for which [`t_critical_95`] inverts the exact finite-series t CDF; above it the
/// Cornish–Fisher (Hill) expansion is used, whose truncation error there is below 1e-13.
const SERIES_MAX_DF: u64 = 1000;

/// Central probability P(|T| ≤ 0.975 quantile) for a two-sided 95 % interval.
const CENTRAL_95: f64 = 0.95;

/// Standard normal 0.975 quantile, Φ⁻¹(0.975).
const Z_975: f64 = 1.959_963_984_540_054;

/// Two-sided 95 % critical value of Student's t with `df` degrees of freedom (its 0.975
/// quantile), for building `mean ± t·s/√n` confidence intervals.
///
/// `df = 0` returns `NaN`. `df = 1` and `df = 2` use exact closed forms; `3 ≤ df ≤ 1000`
/// numerically inverts the exact finite series for the t CDF (Abramowitz & Stegun 26.7.3/4)
/// by bisection down to floating-point resolution; larger `df` use the Cornish–Fisher
/// expansion of the t quantile in powers of `1/df` (Hill 1970), exact to ~1e-13 there.
/// The result is accurate to well below 1e-9 for every `df ≥ 1` and tends to 1.959964.
pub fn t_critical_95(df: u64) -> f64 {
    match df {
        0 => f64::NAN,
        // Cauchy: t = tan(π(p − ½)) with p = 0.975, i.e. cot(π/40).
        1 => 1.0 / (PI / 40.0).tan(),
        // P(|T| ≤ t) = t/√(2 + t²) = 0.95  ⇒  t = 0.95·√(2 / (1 − 0.95²)).
        2 => CENTRAL_95 * (2.0 / (1.0 - CENTRAL_95 * CENTRAL_95)).sqrt(),
        _ if df <= SERIES_MAX_DF => invert_t_central(df, CENTRAL_95),
        _ => t_quantile_expansion(df as f64),
    }
}

/// One-sided critical value of Student's t: the `t` with P(T > t) = `alpha`, for
/// `df ≥ 1` degrees of freedom and `0 < alpha < ½` (`NaN` outside). Used by tests at
/// levels other than 5% (e.g. a Bonferroni-corrected level when racing variants).
///
/// `df ≤ 1000` bisects the exact finite series for the t CDF; larger `df` use the
/// normal quantile (bisection on Φ) with the Cornish–Fisher expansion in `1/df`.
pub fn t_critical_upper(alpha: f64, df: u64) -> f64 {
    if df == 0 || !(alpha > 0.0 && alpha < 0.5) {
        return f64::NAN;
    }
    let central = 1.0 - 2.0 * alpha;
    // The smallest x > 0 with f(x) true (f is monotone), to floating-point resolution.
    let bisect = |f: &dyn Fn(f64) -> bool| {
        let mut hi = 1.0_f64;
        while !f(hi) && hi < 1e12 {
            hi *= 2.0;
        }
        let mut lo = 0.0_f64;
        loop {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                return hi;
            }
            if f(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
    };
    if df <= SERIES_MAX_DF {
        return bisect(&|t| t_central_prob(t, df) >= central);
    }
    let z = bisect(&|z| special::normal_cdf(z) >= 1.0 - alpha);
    let (z2, nu) = (z * z, df as f64);
    let g1 = (z2 * z + z) / 4.0;
    let g2 = (5.0 * z2 * z2 * z + 16.0 * z2 * z + 3.0 * z) / 96.0;
    z + g1 / nu + g2 / (nu * nu)
}

/// P(|T| ≤ t) for Student's t with integer `df ≥ 1`, via the exact finite trigonometric series
/// of Abramowitz & Stegun 26.7.3 (odd df) and 26.7.4 (even df). All summed terms are positive.
fn t_central_prob(t: f64, df: u64) -> f64 {
    let theta = (t / (df as f64).sqrt()).atan();
    let (sin, cos) = theta.sin_cos();
    let cos2 = cos * cos;
    if df & 1 == 0 {
        // sinθ · [1 + ½cos²θ + (1·3)/(2·4)cos⁴θ + … + (1·3⋯(ν−3))/(2·4⋯(ν−2))cos^(ν−2)θ]
        let mut term = 1.0;
        let mut sum = 1.0;
        let mut k: u64 = 1;
        while 2 * k < df {
            term *= (2 * k - 1) as f64 / (2 * k) as f64 * cos2;
            sum += term;
            k += 1;
        }
        sin * sum
    } else {
        // (2/π) · {θ + sinθ · [cosθ + ⅔cos³θ + … + (2·4⋯(ν−3))/(1·3⋯(ν−2))cos^(ν−2)θ]}
        if df == 1 {
            return FRAC_2_PI * theta;
        }
        let mut term = cos;
        let mut sum = cos;
        let mut k: u64 = 1;
        while 2 * k + 1 < df {
            term *= (2 * k) as f64 / (2 * k + 1) as f64 * cos2;
            sum += term;
            k += 1;
        }
        FRAC_2_PI * (theta + sin * sum)
    }
}

/// Solves `P(|T| ≤ t) = central` for `t` by bisection until the bracket cannot shrink further.
/// Valid for `df ≥ 3` and `central = 0.95`, where the root lies in (1.9, 3.2).
fn invert_t_central(df: u64, central: f64) -> f64 {
    let (mut lo, mut hi) = (1.5_f64, 4.0_f64);
    loop {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            return mid;
        }
        if t_central_prob(mid, df) < central {
            lo = mid;
        } else {
            hi = mid;
        }
    }
}

/// Cornish–Fisher expansion of the t 0.975 quantile in powers of `1/nu` (Hill 1970, terms
/// through `nu⁻⁴`), used for large degrees of freedom.
fn t_quantile_expansion(nu: f64) -> f64 {
    let z = Z_975;
    let z2 = z * z;
    let z3 = z2 * z;
    let z5 = z3 * z2;
    let z7 = z5 * z2;
    let z9 = z7 * z2;
    let g1 = (z3 + z) / 4.0;
    let g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
    let g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
    let g4 = (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / 92160.0;
    let inv = 1.0 / nu;
    z + inv * (g1 + inv * (g2 + inv * (g3 + inv * g4)))
}

// ---------------------------------------------------------------------------------------------
// Mean with confidence interval
// ---------------------------------------------------------------------------------------------

/// Sample mean of per-run values together with its two-sided 95 % t confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// Sample mean (`NaN` when `n = 0`).
    pub mean: f64,
    /// Lower end of the 95 % interval (`NaN` when `n < 2`).
    pub lo: f64,
    /// Upper end of the 95 % interval (`NaN` when `n < 2`).
    pub hi: f64,
    /// Number of values the statistic was computed from.
    pub n: u64,
}

impl MeanCi {
    /// Half the width of the interval, `(hi − lo) / 2`, i.e. the "±" part (`NaN` when `n < 2`).
    pub fn half_width(&self) -> f64 {
        (self.hi - self.lo) / 2.0
    }

    /// Whether the interval lies strictly on one side of zero (a "significant" non-zero mean).
    /// `false` when the interval is undefined (`NaN` bounds) or touches zero.
    pub fn excludes_zero(&self) -> bool {
        self.lo > 0.0 || self.hi < 0.0
    }
}

/// Sample mean and t-based 95 % confidence interval of the mean of `xs`:
/// `mean ± t_critical_95(n − 1) · s / √n`, with `s` the sample standard deviation (divisor `n − 1`).
///
/// Deterministic two-pass computation in slice order: the mean is `x₀ + Σ(xᵢ − x₀)/n` (shifted
/// by the first value for accuracy), then the squared deviations from that mean are summed.
/// Consequently, if all values are identical the mean is exactly that value and the interval
/// is exactly `[mean, mean]`.
///
/// `n = 0` gives all-`NaN` bounds and mean; `n = 1` gives the value as mean but `lo = hi = NaN`
/// (no interval from one value). Non-finite inputs propagate as `NaN`/infinities.
pub fn mean_ci95(xs: &[f64]) -> MeanCi {
    let n = xs.len() as u64;
    let Some(&first) = xs.first() else {
        return MeanCi {
            mean: f64::NAN,
            lo: f64::NAN,
            hi: f64::NAN,
            n: 0,
        };
    };
    let nf = n as f64;
    let shift_sum: f64 = xs.iter().map(|&x| x - first).sum();
    let mean = first + shift_sum / nf;
    if n < 2 {
        return MeanCi {
            mean,
            lo: f64::NAN,
            hi: f64::NAN,
            n,
        };
    }
    let ss: f64 = xs
        .iter()
        .map(|&x| {
            let d = x - mean;
            d * d
        })
        .sum();
    let sd = (ss / (nf - 1.0)).sqrt();
    let half = t_critical_95(n - 1) * sd / nf.sqrt();
    MeanCi {
        mean,
        lo: mean - half,
        hi: mean + half,
        n,
    }
}

// ---------------------------------------------------------------------------------------------
// Paired comparison
// ---------------------------------------------------------------------------------------------

/// Result of a paired variant-vs-baseline comparison over runs that share random seeds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedDelta {
    /// Mean of the per-run differences `variant[i] − baseline[i]`.
    pub mean: f64,
    /// Lower end of the 95 % t interval of the mean difference (`NaN` when `n < 2`).
    pub lo: f64,
    /// Upper end of the 95 % t interval of the mean difference (`NaN` when `n < 2`).
    pub hi: f64,
    /// Number of pairs compared.
    pub n: u64,
    /// Fraction of pairs in which the variant is strictly better than the baseline
    /// (`NaN` when `n = 0`).
    pub share_better: f64,
}

/// Compares `variant` against `baseline` run by run: mean of `variant[i] − baseline[i]` with its
/// 95 % t interval (see [`mean_ci95`]) and the share of runs where the variant is strictly
/// better — strictly lower if `lower_is_better`, strictly higher otherwise (pairs involving `NaN`
/// never count as better).
///
/// The slices should have equal length; if they do not, only the first
/// `min(variant.len(), baseline.len())` pairs are used. If every difference is exactly zero
/// the result is exactly `mean = lo = hi = 0` (for `n ≥ 2`; with fewer pairs the bounds are `NaN`).
pub fn paired_delta(variant: &[f64], baseline: &[f64], lower_is_better: bool) -> PairedDelta {
    let diffs: Vec<f64> = variant.iter().zip(baseline).map(|(&v, &b)| v - b).collect();
    let better = variant
        .iter()
        .zip(baseline)
        .filter(|&(&v, &b)| if lower_is_better { v < b } else { v > b })
        .count();
    let ci = mean_ci95(&diffs);
    let share_better = if diffs.is_empty() {
        f64::NAN
    } else {
        better as f64 / diffs.len() as f64
    };
    PairedDelta {
        mean: ci.mean,
        lo: ci.lo,
        hi: ci.hi,
        n: ci.n,
        share_better,
    }
}

// ---------------------------------------------------------------------------------------------
// Log-linear histogram
// ---------------------------------------------------------------------------------------------

/// log2 of the number of linear sub-buckets per power of two.
const SUB_BITS: u32 = 8;
/// Linear sub-buckets per power of two (octave).
const SUB_BUCKETS: usize = 1 << SUB_BITS;
/// Binary exponent of the smallest regular bucket: values below 2^MIN_EXP underflow.
const MIN_EXP: i32 = -24;
/// Binary exponent bounding the regular buckets: values ≥ 2^MAX_EXP overflow.
const MAX_EXP: i32 = 40;
/// Number of octaves covered by regular buckets.
const OCTAVES: usize = (MAX_EXP - MIN_EXP) as usize;
/// Index of the underflow bucket (values in [0, 2^-24), reported as 0 clamped to `min`).
const UNDERFLOW: usize = 0;
/// Index of the overflow bucket (values ≥ 2^40, reported as `max`).
const OVERFLOW: usize = 1 + OCTAVES * SUB_BUCKETS;
/// Total number of buckets.
const N_BUCKETS: usize = OVERFLOW + 1;
/// IEEE-754 exponent bias of f64.
const EXP_BIAS: i32 = 1023;
/// 2^-24, the lower edge of the regular range.
const LOWEST: f64 = pow2(MIN_EXP);
/// 2^40, the upper edge of the regular range.
const HIGHEST: f64 = pow2(MAX_EXP);

/// Worst-case relative error of [`LogHistogram::quantile`] for ranks whose value lies in
/// [2^-24, 2^40): `√(257/256) − 1 ≈ 1.9512e-3`.
#[cfg(test)]
const REL_ERROR_BOUND: f64 = 0.001_951_221_367_587_335_3;

/// 2^e as an f64 for exponents in the normal range (exact).
const fn pow2(e: i32) -> f64 {
    f64::from_bits(((e + EXP_BIAS) as u64) << 52)
}

/// Bucket index of a sanitized (non-negative, non-NaN) value.
fn bucket_index(x: f64) -> usize {
    if x < LOWEST {
        UNDERFLOW
    } else if x >= HIGHEST {
        OVERFLOW
    } else {
        // x is a normal float in [2^-24, 2^40): exponent and top mantissa bits select the bucket.
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i32 - EXP_BIAS;
        let sub = ((bits >> (52 - SUB_BITS)) as usize) & (SUB_BUCKETS - 1);
        1 + (exp - MIN_EXP) as usize * SUB_BUCKETS + sub
    }
}

/// Half-open value range `[lo, hi)` of a regular bucket (`1 ≤ index < OVERFLOW`). Exact.
fn bucket_bounds(index: usize) -> (f64, f64) {
    let j = index - 1;
    let octave = j / SUB_BUCKETS;
    let sub = (j % SUB_BUCKETS) as f64;
    let unit = pow2(MIN_EXP + octave as i32 - SUB_BITS as i32);
    let base = SUB_BUCKETS as f64;
    ((base + sub) * unit, (base + sub + 1.0) * unit)
}

/// Unclamped representative value of a bucket: 0 for underflow, +∞ for overflow (both then get
/// clamped into `[min, max]`), otherwise the geometric midpoint `√(lo·hi)` (the product is
/// exact, so this is a correctly rounded, deterministic value).
fn bucket_representative(index: usize) -> f64 {
    match index {
        UNDERFLOW => 0.0,
        OVERFLOW => f64::INFINITY,
        _ => {
            let (lo, hi) = bucket_bounds(index);
            (lo * hi).sqrt()
        }
    }
}

/// Nearest-rank position (1-based) of quantile `q` among `count ≥ 1` values:
/// `⌈q·count⌉` clamped to `[1, count]`, where a product within a few ulps of an integer is taken
/// as that integer (so `q = 0.07`, `count = 100` gives rank 7, not 8). `q` is clamped to [0, 1].
fn nearest_rank(q: f64, count: u64) -> u64 {
    let q = q.clamp(0.0, 1.0);
    let r = q * count as f64;
    let nearest = r.round();
    let rank = if (r - nearest).abs() <= r * 8.0 * f64::EPSILON {
        nearest
    } else {
        r.ceil()
    };
    (rank as u64).clamp(1, count)
}

/// How many of `n` values a `level`% answer must cover: ⌈level × n / 100⌉, at
/// least 1 (the nearest-rank method, for whole-percent levels).
pub fn percent_rank(level: usize, n: usize) -> usize {
    (level * n).div_ceil(100).clamp(1, n)
}

/// Mergeable fixed-resolution histogram of non-negative durations, for pooled percentiles
/// (p50/p85/p95…) over millions of items without storing them.
///
/// Layout: one underflow bucket for `[0, 2^-24)`, then 256 equal-width (linear) sub-buckets
/// per power of two covering `[2^-24, 2^40)` (64 octaves, 16 384 buckets), then one overflow
/// bucket for values `≥ 2^40`. The count vector is allocated once in [`new`](Self::new);
/// [`record`](Self::record) never allocates. Exact `min`, `max` and `count` are kept.
///
/// Negative values and `NaN` are recorded as `0` (the simulator never produces them).
///
/// [`merge`](Self::merge) adds integer counts and takes min/max, so merging partial histograms
/// in any order gives bit-identical results.
#[derive(Clone)]
pub struct LogHistogram {
    counts: Vec<u64>,
    count: u64,
    min: f64,
    max: f64,
}

impl Default for LogHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for LogHistogram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nonempty = self.counts.iter().filter(|&&c| c > 0).count();
        f.debug_struct("LogHistogram")
            .field("count", &self.count)
            .field("min", &self.min())
            .field("max", &self.max())
            .field("nonempty_buckets", &nonempty)
            .finish()
    }
}

impl LogHistogram {
    /// Creates an empty histogram (allocates its 16 386 bucket counters once).
    pub fn new() -> Self {
        Self {
            counts: vec![0; N_BUCKETS],
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// Records one value; negative values and `NaN` are recorded as `0`. Never allocates.
    pub fn record(&mut self, x: f64) {
        // `!(x > 0)` also catches NaN and −0.0, so min/max never see a signed zero or NaN.
        let x = if x > 0.0 { x } else { 0.0 };
        self.counts[bucket_index(x)] += 1;
        self.count += 1;
        if x < self.min {
            self.min = x;
        }
        if x > self.max {
            self.max = x;
        }
    }

    /// Adds all values recorded in `other` to `self` (integer adds; order-independent).
    pub fn merge(&mut self, other: &LogHistogram) {
        for (a, &b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Resets to empty while keeping the allocated buckets for reuse.
    pub fn clear(&mut self) {
        self.counts.fill(0);
        self.count = 0;
        self.min = f64::INFINITY;
        self.max = f64::NEG_INFINITY;
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Exact smallest recorded value (`NaN` when empty).
    pub fn min(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.min }
    }

    /// Exact largest recorded value (`NaN` when empty).
    pub fn max(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.max }
    }

    /// Approximate nearest-rank quantile: the smallest recorded value `v` such that at least
    /// `⌈q·count⌉` values are `≤ v` (`q` clamped to `[0, 1]`; `q = 0` gives `min`, `q = 1`
    /// gives `max`, both exact; `NaN` for an empty histogram or `q = NaN`).
    ///
    /// The value is reported as the geometric midpoint of the bucket holding that rank,
    /// clamped into `[min, max]`; the first and last ranks return the exact `min` / `max`.
    ///
    /// Error bound: a regular bucket `[lo, hi)` has `hi/lo ≤ 257/256`, so when the true
    /// order statistic `v` lies in `[2^-24, 2^40)` the result `r` satisfies
    /// `|r − v| / v ≤ √(257/256) − 1 ≈ 1.9512e-3` (≈ 0.195 %). If `v < 2^-24` the absolute
    /// error is below 2^-24; if `v ≥ 2^40` the result is `max` (no bound).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 || q.is_nan() {
            return f64::NAN;
        }
        let rank = nearest_rank(q, self.count);
        if rank <= 1 {
            return self.min;
        }
        if rank >= self.count {
            return self.max;
        }
        let mut seen = 0u64;
        for (index, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                // count > 0 here, so min ≤ max and neither is NaN: clamp cannot panic.
                return bucket_representative(index).clamp(self.min, self.max);
            }
        }
        // Unreachable: the bucket counts sum to `count ≥ rank`.
        self.max
    }
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

/// Formats `x` for a terminal table with `sig` significant digits (`sig = 0` is treated as 1).
///
/// Magnitudes in `[1e-4, 1e9)` are printed without exponent, keeping trailing zeros
/// (`fmt_sig(2.0, 3) == "2.00"`); integer digits are never rounded away, so values with at
/// least `sig` integer digits get no decimals (`fmt_sig(1234.5, 3) == "1235"`). Other non-zero
/// magnitudes use `d.dde±N` notation (`"1.23e10"`, `"4.56e-5"`). Rounding is half away from zero
/// on the shortest round-trip decimal representation of `x`. `0` prints as `"0"`, `NaN` as
/// `"–"` (en dash), infinities as `"∞"` / `"-∞"`.
pub fn fmt_sig(x: f64, sig: usize) -> String {
    if x.is_nan() {
        return "–".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "∞" } else { "-∞" }.to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let sig = sig.max(1);
    let sign = if x < 0.0 { "-" } else { "" };
    let ax = x.abs();
    let (digits, exp) = decimal_digits(ax);
    let plain = (1e-4..1e9).contains(&ax);

    if plain {
        let decimals_for = |e: i64| (sig as i64 - 1 - e).max(0);
        let keep = exp + 1 + decimals_for(exp);
        let (digits, exp) = round_digits(&digits, exp, keep);
        let decimals = decimals_for(exp);
        let len = (exp + 1 + decimals) as usize;
        let mut d = digits;
        d.resize(len, b'0');
        let mut out = String::from(sign);
        if exp >= 0 {
            let int_len = (exp + 1) as usize;
            out.push_str(&String::from_utf8_lossy(&d[..int_len]));
            if decimals > 0 {
                out.push('.');
                out.push_str(&String::from_utf8_lossy(&d[int_len..]));
            }
        } else {
            out.push_str("0.");
            for _ in 0..(-exp - 1) {
                out.push('0');
            }
            out.push_str(&String::from_utf8_lossy(&d));
        }
        out
    } else {
        let (mut d, exp) = round_digits(&digits, exp, sig as i64);
        d.resize(sig, b'0');
        let mut out = String::from(sign);
        out.push(char::from(d[0]));
        if sig > 1 {
            out.push('.');
            out.push_str(&String::from_utf8_lossy(&d[1..]));
        }
        out.push('e');
        out.push_str(&exp.to_string());
        out
    }
}

/// Shortest round-trip decimal digits of a finite `ax > 0` and the power of ten of the first
/// digit: `ax ≈ d₁.d₂d₃… × 10^exp`.
fn decimal_digits(ax: f64) -> (Vec<u8>, i64) {
    let s = format!("{ax:e}");
    let (mantissa, exp) = s
        .split_once('e')
        .expect("invariant: `{:e}` output of a finite float contains 'e'");
    let exp: i64 = exp
        .parse()
        .expect("invariant: `{:e}` exponent is a decimal integer");
    let digits = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    (digits, exp)
}

/// Rounds the digit string (first digit at 10^exp) to `keep ≥ 1` digits, half away from zero.
/// Returns the (possibly shorter, never longer than `keep`) digits and the new exponent, which
/// grows by one when rounding carries out of the leading digit (e.g. 9.99 → 10.0).
fn round_digits(digits: &[u8], exp: i64, keep: i64) -> (Vec<u8>, i64) {
    let keep = keep.max(1) as usize;
    if digits.len() <= keep {
        return (digits.to_vec(), exp);
    }
    let mut kept = digits[..keep].to_vec();
    if digits[keep] >= b'5' {
        let mut i = keep;
        loop {
            if i == 0 {
                // Carry out of the leading digit: all kept digits were 9.
                return (vec![b'1'], exp + 1);
            }
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    (kept, exp)
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod fit_tests;
#[cfg(test)]
mod special_tests;
#[cfg(test)]
mod tests;
