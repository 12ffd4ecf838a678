//! Distances between the empirical distributions of two samples: the two-sample
//! Kolmogorov–Smirnov statistic and the 1-Wasserstein (earth mover's) distance, both exact,
//! by one walk over the merged sorted samples in O((n + m) log(n + m)).
//!
//! ```
//! use flowcast::stats::distance::{ks_two_sample, wasserstein_1};
//! assert!((ks_two_sample(&[1.0, 2.0, 3.0], &[2.0, 3.0, 4.0]) - 1.0 / 3.0).abs() < 1e-12);
//! assert!((wasserstein_1(&[1.0, 2.0, 3.0], &[2.0, 3.0, 4.0]) - 1.0).abs() < 1e-12);
//! ```
//!
//! Samples need not be sorted nor of equal size. NaN values are ignored; a sample that is
//! empty (after dropping NaN) makes both distances NaN. Infinite values are allowed in the
//! KS statistic; in the Wasserstein distance they make the result infinite or NaN.

/// A sorted copy of the sample without its NaN values.
fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Walks the distinct values of two sorted, NaN-free samples in increasing order and calls
/// `step(x, fa, fb)` with both empirical CDFs evaluated at each value `x` (right-continuous,
/// so every copy of a tied value has been counted).
fn merge_walk(a: &[f64], b: &[f64], mut step: impl FnMut(f64, f64, f64)) {
    let (n, m) = (a.len() as f64, b.len() as f64);
    let (mut i, mut j) = (0, 0);
    loop {
        let x = match (a.get(i), b.get(j)) {
            (Some(&p), Some(&q)) => p.min(q),
            (Some(&p), None) => p,
            (None, Some(&q)) => q,
            (None, None) => return,
        };
        while a.get(i).is_some_and(|&v| v <= x) {
            i += 1;
        }
        while b.get(j).is_some_and(|&v| v <= x) {
            j += 1;
        }
        step(x, i as f64 / n, j as f64 / m);
    }
}

/// Two-sample Kolmogorov–Smirnov statistic sup |F_a − F_b| (exact, ties handled).
///
/// The supremum of the difference of two step functions is attained at one of the sample
/// values, so it is the largest difference over the merged distinct values. The result is in
/// [0, 1]; NaN if either sample is empty (NaN values are ignored).
pub fn ks_two_sample(a: &[f64], b: &[f64]) -> f64 {
    let (a, b) = (sorted(a), sorted(b));
    if a.is_empty() || b.is_empty() {
        return f64::NAN;
    }
    let mut d: f64 = 0.0;
    merge_walk(&a, &b, |_, fa, fb| d = d.max((fa - fb).abs()));
    d
}

/// 5% critical value for the two-sample KS test: 1.358 * sqrt((n+m)/(n*m)).
///
/// This is the asymptotic (Smirnov) value; reject "same distribution" at 5% when
/// [`ks_two_sample`] exceeds it. NaN if `n` or `m` is zero.
pub fn ks_critical_5_two_sample(n: usize, m: usize) -> f64 {
    if n == 0 || m == 0 {
        return f64::NAN;
    }
    let (n, m) = (n as f64, m as f64);
    1.358 * ((n + m) / (n * m)).sqrt()
}

/// 1-Wasserstein (earth mover's) distance between the two empirical distributions:
/// ∫ |F_a − F_b| dx, exact on the merged sorted samples.
///
/// The CDFs are constant between consecutive merged values, so the integral is a finite sum
/// of |F_a − F_b| times the gap. The result is in the samples' unit (for equal sizes it is the
/// mean absolute difference of the sorted samples). NaN if either sample is empty (NaN values
/// are ignored).
pub fn wasserstein_1(a: &[f64], b: &[f64]) -> f64 {
    let (a, b) = (sorted(a), sorted(b));
    if a.is_empty() || b.is_empty() {
        return f64::NAN;
    }
    let mut w = 0.0;
    let mut prev: Option<(f64, f64)> = None;
    merge_walk(&a, &b, |x, fa, fb| {
        if let Some((px, diff)) = prev {
            w += diff * (x - px);
        }
        prev = Some((x, (fa - fb).abs()));
    });
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    // Proves both distances on the brief's hand case: F_a − F_b = 1/3 on [1, 4), so KS 1/3
    // and W1 = 3 · 1/3 = 1.
    #[test]
    fn shifted_by_one_hand_case() {
        let (a, b) = ([3.0, 1.0, 2.0], [4.0, 2.0, 3.0]);
        assert!(close(ks_two_sample(&a, &b), 1.0 / 3.0));
        assert!(close(wasserstein_1(&a, &b), 1.0));
    }

    // Proves ties within and across samples jump together: at 1, F_a = 2/3 and F_b = 1/3;
    // from 2 on both are 1. KS 1/3, W1 = 1/3 · (2 − 1).
    #[test]
    fn ties_jump_at_once() {
        let (a, b) = ([1.0, 1.0, 2.0], [1.0, 2.0, 2.0]);
        assert!(close(ks_two_sample(&a, &b), 1.0 / 3.0));
        assert!(close(wasserstein_1(&a, &b), 1.0 / 3.0));
    }

    // Proves different sizes: a = {1,2,3,4} against the point mass at 2. KS is 1 − 1/2 at
    // 2; W1 is the mean |x − 2| = (1 + 0 + 1 + 2) / 4 = 1. And ½δ₀ + ½δ₁ against δ½: each
    // half moves by ½, W1 = ½; KS = ½.
    #[test]
    fn different_sizes() {
        assert!(close(ks_two_sample(&[1.0, 2.0, 3.0, 4.0], &[2.0]), 0.5));
        assert!(close(wasserstein_1(&[1.0, 2.0, 3.0, 4.0], &[2.0]), 1.0));
        assert!(close(ks_two_sample(&[0.0, 1.0], &[0.5]), 0.5));
        assert!(close(wasserstein_1(&[0.0, 1.0], &[0.5]), 0.5));
        // Disjoint supports: KS is 1.
        assert!(close(ks_two_sample(&[0.0, 1.0, 2.0], &[5.0, 6.0]), 1.0));
    }

    // Proves identical samples (in any order) are at distance 0.
    #[test]
    fn identical_samples_are_at_zero() {
        let a = [5.0, 1.0, 3.0, 3.0, 9.5];
        let b = [3.0, 9.5, 5.0, 1.0, 3.0];
        assert_eq!(ks_two_sample(&a, &b), 0.0);
        assert_eq!(wasserstein_1(&a, &b), 0.0);
    }

    // Proves a shift by c moves every unit of mass by exactly c (values, shift and the CDF
    // steps i/1024 are exact binary fractions, so the sum is exact).
    #[test]
    fn shift_by_c_is_c() {
        let a: Vec<f64> = (0..1024)
            .map(|i| ((i * 7919) % 1024) as f64 * 0.25)
            .collect();
        let b: Vec<f64> = a.iter().map(|x| x + 3.5).collect();
        assert_eq!(wasserstein_1(&a, &b), 3.5);
        assert_eq!(wasserstein_1(&b, &a), 3.5);
    }

    // Proves empty samples (or all-NaN ones) give NaN instead of a number or a panic, and NaN
    // values are ignored otherwise.
    #[test]
    fn empty_is_nan_and_nan_is_ignored() {
        assert!(ks_two_sample(&[], &[1.0]).is_nan());
        assert!(ks_two_sample(&[1.0], &[]).is_nan());
        assert!(wasserstein_1(&[], &[]).is_nan());
        assert!(wasserstein_1(&[f64::NAN], &[1.0]).is_nan());
        assert!(close(wasserstein_1(&[1.0, f64::NAN], &[2.0]), 1.0));
        assert!(close(
            ks_two_sample(&[f64::NAN, 1.0], &[1.0, f64::NAN]),
            0.0
        ));
        assert!(ks_critical_5_two_sample(0, 3).is_nan());
    }

    // Proves the critical value formula: n = m = 100 gives 1.358 · √(200 / 10⁴) = 0.19205….
    #[test]
    fn two_sample_critical_value() {
        assert!((ks_critical_5_two_sample(100, 100) - 0.192_050_2).abs() < 1e-7);
        assert!(close(
            ks_critical_5_two_sample(10, 40),
            1.358 * (50.0_f64 / 400.0).sqrt()
        ));
    }

    proptest! {
        // Proves W1 is symmetric, non-negative and at most the span of the merged samples;
        // KS is symmetric and in [0, 1]; W1 of a sample with itself is 0.
        #[test]
        fn distances_are_symmetric_and_bounded(
            a in prop::collection::vec(-1e6f64..1e6, 1..60),
            b in prop::collection::vec(-1e6f64..1e6, 1..60),
        ) {
            let ks = ks_two_sample(&a, &b);
            prop_assert!((0.0..=1.0).contains(&ks));
            prop_assert_eq!(ks, ks_two_sample(&b, &a));
            let w = wasserstein_1(&a, &b);
            let wr = wasserstein_1(&b, &a);
            prop_assert!((w - wr).abs() <= 1e-9 * (1.0 + w.abs()));
            let lo = a.iter().chain(&b).copied().fold(f64::INFINITY, f64::min);
            let hi = a.iter().chain(&b).copied().fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(w >= 0.0 && w <= (hi - lo) * (1.0 + 1e-12));
            prop_assert_eq!(wasserstein_1(&a, &a), 0.0);
        }

        // Proves, for equal sizes, W1 equals the mean absolute difference of the sorted
        // samples (the quantile-coupling form of the same integral).
        #[test]
        fn equal_sizes_match_sorted_pairs(
            pairs in prop::collection::vec((-1e3f64..1e3, -1e3f64..1e3), 1..60),
        ) {
            let (mut a, mut b): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
            let w = wasserstein_1(&a, &b);
            a.sort_by(f64::total_cmp);
            b.sort_by(f64::total_cmp);
            let direct = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).sum::<f64>() / a.len() as f64;
            prop_assert!((w - direct).abs() <= 1e-9 * (1.0 + direct));
        }
    }
}
