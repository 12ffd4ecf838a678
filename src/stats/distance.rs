//! Distances between two samples' empirical distributions: the two-sample
//! Kolmogorov–Smirnov distance and the 1-Wasserstein (earth mover's) distance,
//! both by one merge of the sorted samples, O((n + m) log(n + m)).
//!
//! ```
//! use flowcast::stats::distance::{ks_two_sample, wasserstein_1};
//! assert!((ks_two_sample(&[1.0, 2.0, 3.0], &[2.0, 3.0, 4.0]) - 1.0 / 3.0).abs() < 1e-12);
//! assert!((wasserstein_1(&[0.0, 1.0], &[1.0, 2.0]) - 1.0).abs() < 1e-12);
//! ```
//!
//! Samples need not be sorted or of equal size. An empty sample gives NaN; NaN
//! values are not meaningful (they sort last, as `f64::total_cmp` puts them).

/// Sorted copies of both samples.
fn sorted(a: &[f64], b: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    (a, b)
}

/// Walks the distinct values of two sorted samples in increasing order, calling
/// `step(x, f1, f2)` with both empirical CDFs just after each value `x`.
fn merge_walk(a: &[f64], b: &[f64], mut step: impl FnMut(f64, f64, f64)) {
    let (n, m) = (a.len() as f64, b.len() as f64);
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let x = match (a.get(i), b.get(j)) {
            (Some(&p), Some(&q)) => p.min(q),
            (Some(&p), None) => p,
            (None, Some(&q)) => q,
            (None, None) => unreachable!("the loop runs while a value is left"),
        };
        // Ties within and across samples: every value equal to x jumps at once.
        while i < a.len() && a[i] <= x {
            i += 1;
        }
        while j < b.len() && b[j] <= x {
            j += 1;
        }
        step(x, i as f64 / n, j as f64 / m);
    }
}

/// The two-sample Kolmogorov–Smirnov distance sup |F₁ − F₂| between the
/// empirical CDFs of `a` and `b` (exact, ties handled). NaN when either is empty.
pub fn ks_two_sample(a: &[f64], b: &[f64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return f64::NAN;
    }
    let (a, b) = sorted(a, b);
    let mut d: f64 = 0.0;
    merge_walk(&a, &b, |_, f1, f2| d = d.max((f1 - f2).abs()));
    d
}

/// The 1-Wasserstein (earth mover's) distance ∫ |F₁(x) − F₂(x)| dx between the
/// empirical distributions of `a` and `b`, in the samples' unit (for equal sizes,
/// the mean absolute difference of the sorted samples). NaN when either is empty.
pub fn wasserstein_1(a: &[f64], b: &[f64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return f64::NAN;
    }
    let (a, b) = sorted(a, b);
    let mut w = 0.0;
    let mut prev: Option<(f64, f64)> = None;
    merge_walk(&a, &b, |x, f1, f2| {
        if let Some((px, diff)) = prev {
            w += diff * (x - px);
        }
        prev = Some((x, (f1 - f2).abs()));
    });
    w
}

/// The asymptotic 5 % critical value of the two-sample KS distance for sizes
/// `n` and `m`, 1.358 · √((n + m) / (n·m)).
pub fn ks_critical_5_two_sample(n: usize, m: usize) -> f64 {
    let (n, m) = (n as f64, m as f64);
    1.358 * ((n + m) / (n * m)).sqrt()
}
