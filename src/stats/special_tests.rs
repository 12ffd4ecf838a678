//! Tests of the special functions against closed forms and tabulated values (reference values
//! from closed forms, Abramowitz & Stegun tables, or 60-digit evaluations of the finite sum
//! Q(n, x) = e⁻ˣ Σₖ₍ₖ₌₀..ₙ₋₁₎ xᵏ/k! for integer n).

use super::special::*;
use std::f64::consts::PI;

/// Euler–Mascheroni constant.
const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

fn rel_close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs().max(f64::MIN_POSITIVE)
}

// Proves ln Γ at half-integers, integers (ln of factorials), large and tiny arguments and
// across the reflection formula.
#[test]
fn ln_gamma_known_values() {
    let cases = [
        (0.5, PI.sqrt().ln()),
        (1.5, (0.5 * PI.sqrt()).ln()),
        (10.0, 362_880f64.ln()),
        (100.0, 359.134_205_369_575_4),
        (1e-8, 18.420_680_738_180_21),
        (-0.5, (2.0 * PI.sqrt()).ln()),
        (-2.5, (8.0 * PI.sqrt() / 15.0).ln()),
    ];
    for (x, want) in cases {
        assert!(
            rel_close(ln_gamma(x), want, 1e-13),
            "ln_gamma({x}) = {}",
            ln_gamma(x)
        );
    }
    assert!(ln_gamma(1.0).abs() < 1e-15 && ln_gamma(2.0).abs() < 1e-15);
    assert_eq!(ln_gamma(0.0), f64::INFINITY);
    assert_eq!(ln_gamma(-3.0), f64::INFINITY);
    assert!(ln_gamma(f64::NAN).is_nan());
}

// Proves ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, the recurrence ψ(x + 1) = ψ(x) + 1/x at a large x,
// and the reflection formula at a negative x.
#[test]
fn digamma_known_values() {
    assert!((digamma(1.0) + 0.577_215_664_901_532_9).abs() < 1e-15);
    assert!((digamma(0.5) + EULER_GAMMA + 2.0 * 2f64.ln()).abs() < 1e-14);
    // ψ(10) = −γ + H₉.
    let h9: f64 = (1..10).map(|k| 1.0 / k as f64).sum();
    assert!((digamma(10.0) - (h9 - EULER_GAMMA)).abs() < 1e-14);
    assert!((digamma(51.5) - digamma(50.5) - 1.0 / 50.5).abs() < 1e-14);
    // ψ(−½) = ψ(3/2) + π cot(−π/2) = ψ(½) + 2.
    assert!((digamma(-0.5) - (digamma(0.5) + 2.0)).abs() < 1e-13);
    assert!(digamma(0.0).is_nan() && digamma(-2.0).is_nan());
}

// Proves ψ₁(1) = π²/6, ψ₁(½) = π²/2, ψ₁(2) = π²/6 − 1 and the large-x behaviour ≈ 1/x.
#[test]
fn trigamma_known_values() {
    assert!(rel_close(trigamma(1.0), PI * PI / 6.0, 1e-14));
    assert!(rel_close(trigamma(0.5), PI * PI / 2.0, 1e-14));
    assert!(rel_close(trigamma(2.0), PI * PI / 6.0 - 1.0, 1e-14));
    // ψ₁(x) = 1/x + 1/(2x²) + 1/(6x³) + O(x⁻⁵).
    let x = 1e4;
    assert!(rel_close(
        trigamma(x),
        1.0 / x + 0.5 / (x * x) + 1.0 / (6.0 * x * x * x),
        1e-15
    ));
    // Reflection: ψ₁(−½) + ψ₁(3/2) = π² / sin²(−π/2) = π², with ψ₁(3/2) = π²/2 − 4.
    assert!(rel_close(trigamma(-0.5), PI * PI / 2.0 + 4.0, 1e-13));
}

// Proves P(1, x) = 1 − e⁻ˣ, P(3, x) = 1 − e⁻ˣ(1 + x + x²/2) on both sides of the
// series/continued-fraction switch, P(½, x) = erf(√x), and large-a values.
#[test]
fn gamma_p_known_values() {
    for x in [1e-6_f64, 0.1, 0.9, 1.0, 2.0, 5.0, 20.0, 50.0] {
        let want = -(-x).exp_m1();
        assert!(rel_close(gamma_p(1.0, x), want, 1e-14), "P(1, {x})");
        let q3 = (-x).exp() * (1.0 + x + 0.5 * x * x);
        assert!((gamma_p(3.0, x) - (1.0 - q3)).abs() < 1e-14, "P(3, {x})");
        assert!(rel_close(gamma_q(3.0, x), q3, 1e-12), "Q(3, {x})");
    }
    assert!(rel_close(gamma_p(3.0, 2.5), 0.456_186_884_116_670_5, 1e-13));
    assert!(rel_close(
        gamma_p(100.0, 100.0),
        0.513_298_798_279_148_7,
        1e-12
    ));
    assert!(rel_close(
        gamma_p(100.0, 80.0),
        0.017_108_313_035_133_11,
        1e-11
    ));
    assert!(rel_close(
        gamma_q(100.0, 130.0),
        0.002_750_408_367_306_526,
        1e-11
    ));
    assert!(rel_close(
        gamma_q(5.0, 30.0),
        3.624_300_952_061_488e-9,
        1e-11
    ));
    assert_eq!(gamma_p(2.0, 0.0), 0.0);
    assert_eq!(gamma_p(2.0, f64::INFINITY), 1.0);
    assert!(gamma_p(0.0, 1.0).is_nan() && gamma_p(1.0, -1.0).is_nan());
}

// Proves erf against the A&S 7.1 table (odd symmetry included) and Φ at 0, ±1, the 97.5 %
// quantile and deep in the lower tail, where Φ(−10) must keep its relative precision.
#[test]
fn erf_and_normal_cdf_tables() {
    let table = [
        (0.5, 0.520_499_877_813_046_5),
        (1.0, 0.842_700_792_949_714_9),
        (2.0, 0.995_322_265_018_952_7),
        (3.0, 0.999_977_909_503_001_4),
    ];
    for (x, want) in table {
        assert!(rel_close(erf(x), want, 1e-14), "erf({x}) = {}", erf(x));
        assert!(rel_close(erf(-x), -want, 1e-14));
    }
    assert_eq!(erf(0.0), 0.0);
    assert_eq!(normal_cdf(0.0), 0.5);
    assert!(rel_close(normal_cdf(-1.0), 0.158_655_253_931_457_07, 1e-13));
    assert!(rel_close(
        normal_cdf(1.0),
        1.0 - 0.158_655_253_931_457_07,
        1e-14
    ));
    assert!(rel_close(normal_cdf(1.959_963_984_540_054), 0.975, 1e-14));
    assert!(rel_close(
        normal_cdf(-10.0),
        7.619_853_024_160_527e-24,
        1e-10
    ));
    assert!(normal_cdf(f64::NAN).is_nan());
}
