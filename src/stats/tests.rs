//! Tests of the statistics: critical values, intervals, deltas, the histogram, formatting.

use super::*;

/// SplitMix64: tiny deterministic PRNG for test data.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    fn next_open01(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Lognormal(mu, sigma) via Box–Muller.
    fn lognormal(&mut self, mu: f64, sigma: f64) -> f64 {
        let u1 = self.next_open01();
        let u2 = self.next_open01();
        let n = (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos();
        (mu + sigma * n).exp()
    }
}

fn sample(seed: u64, n: usize) -> Vec<f64> {
    let mut rng = SplitMix64(seed);
    (0..n)
        .map(|i| {
            if i % 5 == 0 {
                // Exponential component to mix shapes.
                -rng.next_open01().ln() * 20.0
            } else {
                rng.lognormal(1.0, 1.5)
            }
        })
        .collect()
}

fn hist_of(xs: &[f64]) -> LogHistogram {
    let mut h = LogHistogram::new();
    for &x in xs {
        h.record(x);
    }
    h
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

// ---- t critical values ----

// Proves the brief's reference values are met to 1e-4 for small, medium and large df.
#[test]
fn t_critical_matches_reference_table() {
    let table = [
        (1, 12.7062),
        (2, 4.3027),
        (3, 3.1824),
        (5, 2.5706),
        (10, 2.2281),
        (30, 2.0423),
        (100, 1.9840),
        (1_000_000_000, 1.95996),
    ];
    for (df, want) in table {
        let got = t_critical_95(df);
        assert!(close(got, want, 1e-4), "df={df}: got {got}, want {want}");
    }
}

// Proves 1e-9 accuracy against high-precision values (mpmath, 30 digits) incl. both methods.
#[test]
fn t_critical_high_precision() {
    let table = [
        (1, 12.706_204_736_174_704),
        (2, 4.302_652_729_749_464),
        (3, 3.182_446_305_283_71),
        (4, 2.776_445_105_197_794),
        (5, 2.570_581_835_636_316),
        (7, 2.364_624_251_592_785),
        (10, 2.228_138_851_986_275),
        (30, 2.042_272_456_301_238),
        (100, 1.983_971_518_523_552),
        (999, 1.962_341_461_133_45),
        (1000, 1.962_339_080_826_409),
        (1001, 1.962_336_705_280_88),
        (5000, 1.960_438_551_706_508),
        (1_000_000, 1.959_966_356_814_107),
    ];
    for (df, want) in table {
        let got = t_critical_95(df);
        assert!(close(got, want, 1e-9), "df={df}: got {got}, want {want}");
    }
}

// Proves df = 0 is NaN and huge df converges to the normal quantile.
#[test]
fn t_critical_edge_df() {
    assert!(t_critical_95(0).is_nan());
    assert!(close(t_critical_95(u64::MAX), Z_975, 1e-12));
}

// Proves the critical value decreases strictly with df across the series/expansion switch.
#[test]
fn t_critical_monotone() {
    let mut prev = t_critical_95(1);
    for df in 2..=1200 {
        let t = t_critical_95(df);
        assert!(t < prev, "not decreasing at df={df}: {prev} -> {t}");
        prev = t;
    }
}

// Proves the large-df expansion agrees with the exact series inversion near the switch point.
#[test]
fn t_expansion_agrees_with_series() {
    for df in [200, 500, 1000] {
        let a = invert_t_central(df, CENTRAL_95);
        let b = t_quantile_expansion(df as f64);
        assert!(close(a, b, 1e-11), "df={df}: series {a} vs expansion {b}");
    }
}

// ---- mean_ci95 ----

// Proves mean and interval for 1..5 (s² = 2.5, t(4) = 2.7764451, hw = 1.96324316).
#[test]
fn mean_ci_hand_computed() {
    let ci = mean_ci95(&[1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!(ci.n, 5);
    assert!(close(ci.mean, 3.0, 1e-15));
    assert!(close(ci.half_width(), 1.963_243_161_477_558, 1e-12));
    assert!(close(ci.lo, 3.0 - 1.963_243_161_477_558, 1e-12));
    assert!(close(ci.hi, 3.0 + 1.963_243_161_477_558, 1e-12));
    assert!(ci.excludes_zero());
}

// Proves n = 0 gives all NaN and n = 1 gives a mean but no interval.
#[test]
fn mean_ci_small_n() {
    let e = mean_ci95(&[]);
    assert_eq!(e.n, 0);
    assert!(e.mean.is_nan() && e.lo.is_nan() && e.hi.is_nan());
    assert!(!e.excludes_zero());
    let one = mean_ci95(&[4.25]);
    assert_eq!(one.n, 1);
    assert_eq!(one.mean, 4.25);
    assert!(one.lo.is_nan() && one.hi.is_nan() && one.half_width().is_nan());
    assert!(!one.excludes_zero());
}

// Proves identical values (even ones like 0.1 whose naive sum/n is inexact) give exactly [x, x].
#[test]
fn mean_ci_identical_values_exact() {
    for x in [0.1, 1.0 / 3.0, 7.77, -2.5e-7] {
        let ci = mean_ci95(&[x; 7]);
        assert_eq!(ci.mean, x);
        assert_eq!(ci.lo, x);
        assert_eq!(ci.hi, x);
        assert_eq!(ci.half_width(), 0.0);
    }
}

// Proves an interval straddling zero is reported as not excluding zero.
#[test]
fn mean_ci_straddles_zero() {
    let ci = mean_ci95(&[-1.0, 1.0, -2.0, 2.0]);
    assert_eq!(ci.mean, 0.0);
    assert!(ci.lo < 0.0 && ci.hi > 0.0);
    assert!(!ci.excludes_zero());
    let neg = mean_ci95(&[-10.0, -11.0, -9.0, -10.5]);
    assert!(neg.excludes_zero());
}

// ---- paired_delta ----

// Proves a hand-computed case: variant [10,12,9,14] vs baseline [8,12,10,11] gives
// diffs [2,0,-1,3], mean 1, s² = 10/3, hw = t(3)·√(10/3)/2 = 2.90516271575;
// strictly lower in 1 of 4 pairs (0.25), strictly higher in 2 of 4 (0.5).
#[test]
fn paired_delta_hand_computed() {
    let v = [10.0, 12.0, 9.0, 14.0];
    let b = [8.0, 12.0, 10.0, 11.0];
    let hw = 2.905_162_715_754_767;
    let d = paired_delta(&v, &b, true);
    assert_eq!(d.n, 4);
    assert_eq!(d.mean, 1.0);
    assert!(close(d.lo, 1.0 - hw, 1e-12), "lo {}", d.lo);
    assert!(close(d.hi, 1.0 + hw, 1e-12), "hi {}", d.hi);
    assert_eq!(d.share_better, 0.25);
    let d2 = paired_delta(&v, &b, false);
    assert_eq!(d2.share_better, 0.5);
    assert_eq!(d2.mean, d.mean);
}

// Proves all-zero differences give exactly mean = lo = hi = 0 and share_better = 0.
#[test]
fn paired_delta_all_equal_is_exact_zero() {
    let xs = [3.3, 0.1, 1e9, 42.0, 0.0];
    for lower in [true, false] {
        let d = paired_delta(&xs, &xs, lower);
        assert_eq!(d.mean.to_bits(), 0.0f64.to_bits());
        assert_eq!(d.lo.to_bits(), 0.0f64.to_bits());
        assert_eq!(d.hi.to_bits(), 0.0f64.to_bits());
        assert_eq!(d.share_better, 0.0);
    }
}

// Proves unequal lengths use the shorter prefix and empty input gives NaN share.
#[test]
fn paired_delta_lengths() {
    let d = paired_delta(&[1.0, 2.0, 3.0], &[0.0, 0.0], true);
    assert_eq!(d.n, 2);
    assert_eq!(d.mean, 1.5);
    assert_eq!(d.share_better, 0.0);
    let e = paired_delta(&[], &[1.0], true);
    assert_eq!(e.n, 0);
    assert!(e.mean.is_nan() && e.share_better.is_nan());
}

// ---- LogHistogram ----

// Proves the stated bound constant equals √(257/256) − 1.
#[test]
fn bound_constant_is_exact() {
    assert!(close(
        REL_ERROR_BOUND,
        (257.0f64 / 256.0).sqrt() - 1.0,
        1e-16
    ));
}

// Proves every regular bucket satisfies the bound at its edges and the indexing is consistent.
#[test]
fn bucket_representatives_within_bound() {
    for index in 1..OVERFLOW {
        let (lo, hi) = bucket_bounds(index);
        assert_eq!(bucket_index(lo), index);
        let just_below_hi = f64::from_bits(hi.to_bits() - 1);
        assert_eq!(bucket_index(just_below_hi), index);
        assert_eq!(bucket_index(hi), index + 1);
        let m = bucket_representative(index);
        assert!(lo < m && m < hi);
        for v in [lo, just_below_hi] {
            let rel = (m - v).abs() / v;
            assert!(
                rel <= REL_ERROR_BOUND * (1.0 + 1e-12),
                "index {index}: {rel}"
            );
        }
    }
    // The bound is attained (tight) at the lower edge of the first sub-bucket of an octave.
    let m = bucket_representative(1);
    assert!(close((m - LOWEST) / LOWEST, REL_ERROR_BOUND, 1e-15));
    assert_eq!(bucket_index(0.0), UNDERFLOW);
    assert_eq!(
        bucket_index(f64::from_bits(LOWEST.to_bits() - 1)),
        UNDERFLOW
    );
    assert_eq!(bucket_index(HIGHEST), OVERFLOW);
    assert_eq!(bucket_index(f64::INFINITY), OVERFLOW);
}

// Proves the nearest-rank helper is ⌈q·n⌉ without float-noise off-by-ones.
#[test]
fn nearest_rank_definition() {
    assert_eq!(nearest_rank(0.07, 100), 7);
    assert_eq!(nearest_rank(0.85, 100), 85);
    assert_eq!(nearest_rank(0.5, 4), 2);
    assert_eq!(nearest_rank(0.5, 3), 2);
    assert_eq!(nearest_rank(0.951, 100), 96);
    assert_eq!(nearest_rank(0.0, 10), 1);
    assert_eq!(nearest_rank(1.0, 10), 10);
    assert_eq!(nearest_rank(-3.0, 10), 1);
    assert_eq!(nearest_rank(7.0, 10), 10);
}

// Proves p50/p85/p95/p99 of 100k samples are within the documented bound of the exact order statistics.
#[test]
fn quantiles_within_bound_of_exact() {
    let xs = sample(0x0F10_CA57, 100_000);
    let h = hist_of(&xs);
    let mut sorted = xs.clone();
    sorted.sort_by(f64::total_cmp);
    assert_eq!(h.count(), 100_000);
    assert_eq!(h.min(), sorted[0]);
    assert_eq!(h.max(), sorted[sorted.len() - 1]);
    for q in [0.5, 0.85, 0.95, 0.99, 0.001, 0.3333, 0.9999] {
        let exact = sorted[nearest_rank(q, h.count()) as usize - 1];
        let got = h.quantile(q);
        let rel = (got - exact).abs() / exact;
        assert!(
            rel <= REL_ERROR_BOUND * (1.0 + 1e-12),
            "q={q}: got {got}, exact {exact}, rel {rel}"
        );
    }
}

// Proves merge(A, B) equals the histogram of A∪B exactly and is order-independent bit for bit.
#[test]
fn merge_is_exact_and_order_independent() {
    let xs = sample(12345, 100_000);
    let (a, b) = xs.split_at(37_000);
    let all = hist_of(&xs);
    let ha = hist_of(a);
    let hb = hist_of(b);
    let mut ab = ha.clone();
    ab.merge(&hb);
    let mut ba = hb.clone();
    ba.merge(&ha);
    for m in [&ab, &ba] {
        assert_eq!(m.counts, all.counts);
        assert_eq!(m.count(), all.count());
        assert_eq!(m.min().to_bits(), all.min().to_bits());
        assert_eq!(m.max().to_bits(), all.max().to_bits());
    }
    for q in [0.0, 0.01, 0.5, 0.85, 0.95, 0.99, 1.0] {
        let want = all.quantile(q).to_bits();
        assert_eq!(ab.quantile(q).to_bits(), want, "q={q}");
        assert_eq!(ba.quantile(q).to_bits(), want, "q={q}");
    }
    // Merging an empty histogram is a no-op.
    let mut same = all.clone();
    same.merge(&LogHistogram::new());
    assert_eq!(same.counts, all.counts);
    assert_eq!(same.min().to_bits(), all.min().to_bits());
}

// Proves an empty histogram reports zero count and NaN statistics.
#[test]
fn empty_histogram() {
    let h = LogHistogram::default();
    assert_eq!(h.count(), 0);
    assert!(h.min().is_nan() && h.max().is_nan());
    for q in [0.0, 0.5, 1.0] {
        assert!(h.quantile(q).is_nan());
    }
}

// Proves a single value is returned exactly for every quantile (clamping into [min, max]).
#[test]
fn single_value_exact() {
    let mut h = LogHistogram::new();
    h.record(3.7);
    for q in [0.0, 0.1, 0.5, 0.99, 1.0] {
        assert_eq!(h.quantile(q), 3.7);
    }
}

// Proves all-zero input (and negative/NaN/−0 treated as 0) yields 0 everywhere.
#[test]
fn zeros_negatives_nan() {
    let mut h = LogHistogram::new();
    for x in [0.0, -0.0, -5.0, f64::NAN, 0.0] {
        h.record(x);
    }
    assert_eq!(h.count(), 5);
    assert_eq!(h.min().to_bits(), 0.0f64.to_bits());
    assert_eq!(h.max().to_bits(), 0.0f64.to_bits());
    for q in [0.0, 0.5, 0.85, 1.0] {
        assert_eq!(h.quantile(q).to_bits(), 0.0f64.to_bits());
    }
    assert!(h.quantile(f64::NAN).is_nan());
}

// Proves q = 0 and q = 1 return the exact min and max, not bucket midpoints.
#[test]
fn extreme_quantiles_exact() {
    let xs = sample(99, 1000);
    let h = hist_of(&xs);
    let mn = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let mx = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(h.quantile(0.0), mn);
    assert_eq!(h.quantile(1.0), mx);
    assert_eq!(h.quantile(-1.0), mn);
    assert_eq!(h.quantile(2.0), mx);
}

// Proves underflow values report within 2^-24 and overflow values report as max.
#[test]
fn underflow_and_overflow() {
    let mut h = LogHistogram::new();
    for x in [1e-9, 2e-9, 3e-9, 1.0] {
        h.record(x);
    }
    assert_eq!(h.quantile(0.5), 1e-9); // underflow rep 0 clamped to min
    let mut o = LogHistogram::new();
    for x in [1.0, 2e12, 3e12, 4e12] {
        o.record(x);
    }
    assert_eq!(o.quantile(0.5), 4e12); // overflow rep is max
    o.record(f64::INFINITY);
    assert_eq!(o.max(), f64::INFINITY);
}

// Proves clear() empties the histogram and it can be reused.
#[test]
fn clear_resets() {
    let mut h = hist_of(&sample(7, 500));
    h.clear();
    assert_eq!(h.count(), 0);
    assert!(h.quantile(0.5).is_nan());
    assert!(h.counts.iter().all(|&c| c == 0));
    assert_eq!(h.counts.len(), N_BUCKETS);
    h.record(2.0);
    assert_eq!(h.quantile(0.5), 2.0);
    assert!(format!("{h:?}").contains("count: 1"));
}

// ---- fmt_sig ----

// Proves the examples from the spec.
#[test]
fn fmt_sig_spec_examples() {
    assert_eq!(fmt_sig(31.234, 3), "31.2");
    assert_eq!(fmt_sig(0.08123, 2), "0.081");
    assert_eq!(fmt_sig(1234.5, 3), "1235");
    assert_eq!(fmt_sig(0.0, 3), "0");
    assert_eq!(fmt_sig(-0.0, 3), "0");
    assert_eq!(fmt_sig(f64::NAN, 3), "–");
}

// Proves trailing zeros are kept, rounding carries bump the magnitude, and signs work.
#[test]
fn fmt_sig_rounding_and_padding() {
    assert_eq!(fmt_sig(2.0, 3), "2.00");
    assert_eq!(fmt_sig(9.996, 3), "10.0");
    assert_eq!(fmt_sig(99.96, 3), "100");
    assert_eq!(fmt_sig(999.6, 3), "1000");
    assert_eq!(fmt_sig(0.5, 1), "0.5");
    assert_eq!(fmt_sig(2.5, 1), "3");
    assert_eq!(fmt_sig(0.125, 2), "0.13");
    assert_eq!(fmt_sig(-31.234, 3), "-31.2");
    assert_eq!(fmt_sig(-0.000_123_45, 2), "-0.00012");
    assert_eq!(fmt_sig(123_456_789.0, 3), "123456789");
    assert_eq!(fmt_sig(1.0, 0), "1");
}

// Proves exponent notation outside [1e-4, 1e9) and the infinity rendering.
#[test]
fn fmt_sig_exponent_range() {
    assert_eq!(fmt_sig(1.234e10, 3), "1.23e10");
    assert_eq!(fmt_sig(4.5678e-5, 3), "4.57e-5");
    assert_eq!(fmt_sig(9.999e-5, 2), "1.0e-4");
    assert_eq!(fmt_sig(1e9, 1), "1e9");
    assert_eq!(fmt_sig(f64::INFINITY, 3), "∞");
    assert_eq!(fmt_sig(f64::NEG_INFINITY, 3), "-∞");
}

// Proves the one-sided t critical value: at α = 2.5% it is the two-sided 95% value,
// and at other levels it matches tables (t(0.05, 10) = 1.812461, t(0.001, 20) = 3.551808,
// z(1e-4) = 3.719016 for large df).
#[test]
fn t_critical_upper_matches_tables() {
    for df in [1, 2, 3, 10, 49, 999, 5000] {
        let a = t_critical_upper(0.025, df);
        let b = t_critical_95(df);
        assert!((a - b).abs() < 1e-6 * b, "df {df}: {a} vs {b}");
    }
    assert!((t_critical_upper(0.05, 10) - 1.812_461).abs() < 1e-5);
    assert!((t_critical_upper(0.001, 20) - 3.551_808).abs() < 1e-5);
    assert!((t_critical_upper(1e-4, 1_000_000) - 3.719_016).abs() < 1e-4);
    assert!(t_critical_upper(0.5, 10).is_nan());
}
