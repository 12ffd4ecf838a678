//! Tests of the distribution fits: closed forms of each family, MLE recovery of known
//! parameters within 4 standard errors (derived below), the choice between families, and the
//! edge cases (empty, constant, garbage, mixtures).

use super::fit::*;
use super::special::trigamma;
use proptest::prelude::*;
use rand::SeedableRng;
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Weibull};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::f64::consts::PI;

/// Sample size of the recovery tests (the brief's 20,000).
const N: usize = 20_000;

/// Euler–Mascheroni constant.
const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

fn draw<D: Distribution<f64>>(d: D, seed: u64) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..N).map(|_| d.sample(&mut rng)).collect()
}

/// The fitted distribution of the family called `name`.
fn family(all: &[Fit], name: &str) -> Dist {
    match all.iter().find(|f| f.dist.name() == name) {
        Some(f) => f.dist,
        None => panic!("{name} was not fitted: {all:?}"),
    }
}

/// The chosen fit; fails the test unless the choice is `Fitted`.
fn fitted(xs: &[f64]) -> Fit {
    match best_fit(xs) {
        FitChoice::Fitted { best, .. } => best,
        other => panic!("expected a fitted family, got {other:?}"),
    }
}

fn within(got: f64, want: f64, se: f64, what: &str) {
    assert!(
        (got - want).abs() < 4.0 * se,
        "{what}: got {got}, true {want}, 4 se = {}",
        4.0 * se
    );
}

// Proves the exponential MLE is the mean (SE = mean/√n), and that an exponential sample is
// fitted by a family with that mean (gamma and Weibull with shape ≈ 1 nest the exponential,
// so which of the three wins AIC is a coin toss and not asserted).
#[test]
fn exponential_is_recovered() {
    let mean = 3.0;
    let xs = draw(Exp::new(1.0 / mean).unwrap(), 1);
    let all = fit_all(&xs);
    let Dist::Exponential { mean: got } = family(&all, "exponential") else {
        unreachable!()
    };
    let se = mean / (N as f64).sqrt();
    within(got, mean, se, "exponential mean");
    within(fitted(&xs).dist.mean(), mean, se, "chosen fit's mean");
}

// Proves the lognormal MLE (μ SE = σ/√n, σ SE = σ/√(2n)) and that a lognormal sample with
// σ = 0.8 is told apart from gamma and Weibull.
#[test]
fn lognormal_is_recovered_and_chosen() {
    let (mu, sigma) = (1.0, 0.8);
    let xs = draw(LogNormal::new(mu, sigma).unwrap(), 2);
    let Dist::LogNormal { mu: m, sigma: s } = family(&fit_all(&xs), "lognormal") else {
        unreachable!()
    };
    let n = N as f64;
    within(m, mu, sigma / n.sqrt(), "lognormal mu");
    within(s, sigma, sigma / (2.0 * n).sqrt(), "lognormal sigma");
    assert_eq!(fitted(&xs).dist.name(), "lognormal");
}

// Proves the gamma MLE and that shape 3 (cv 0.58) is told apart from lognormal and Weibull.
// Standard errors from the inverse Fisher information of (k, θ), whose per-sample matrix is
// [[ψ₁(k), 1/θ], [1/θ, k/θ²]] with determinant (kψ₁(k) − 1)/θ²:
// Var k̂ = k / (n (kψ₁(k) − 1)), Var θ̂ = θ² ψ₁(k) / (n (kψ₁(k) − 1)).
#[test]
fn gamma_is_recovered_and_chosen() {
    let (k, theta) = (3.0, 2.0);
    let xs = draw(Gamma::new(k, theta).unwrap(), 3);
    let Dist::Gamma { shape, scale } = family(&fit_all(&xs), "gamma") else {
        unreachable!()
    };
    let n = N as f64;
    let det = k * trigamma(k) - 1.0;
    within(shape, k, (k / (n * det)).sqrt(), "gamma shape");
    within(
        scale,
        theta,
        (theta * theta * trigamma(k) / (n * det)).sqrt(),
        "gamma scale",
    );
    assert_eq!(fitted(&xs).dist.name(), "gamma");
}

// Proves the Weibull MLE and that shape 0.7 (cv 1.46) is told apart from the others.
// Inverse Fisher information of (k, λ): Var k̂ = 6k² / (π² n),
// Var λ̂ = λ² (1 + 6(1 − γ)²/π²) / (k² n), γ the Euler–Mascheroni constant.
#[test]
fn weibull_is_recovered_and_chosen() {
    let (k, lambda) = (0.7, 5.0);
    let xs = draw(Weibull::new(lambda, k).unwrap(), 4);
    let Dist::Weibull { shape, scale } = family(&fit_all(&xs), "weibull") else {
        unreachable!()
    };
    let n = N as f64;
    within(
        shape,
        k,
        (6.0 * k * k / (PI * PI * n)).sqrt(),
        "weibull shape",
    );
    let lambda_var = lambda * lambda * (1.0 + 6.0 * (1.0 - EULER_GAMMA).powi(2) / (PI * PI));
    within(
        scale,
        lambda,
        (lambda_var / (k * k * n)).sqrt(),
        "weibull scale",
    );
    assert_eq!(fitted(&xs).dist.name(), "weibull");
}

// Proves every fit is a local maximum of the likelihood: nudging any parameter by ±0.1 %
// lowers the log-likelihood; and that the stored lnL, AIC and KS agree with their
// definitions and the list is sorted by AIC.
#[test]
fn fits_maximise_the_likelihood_and_are_sorted() {
    let xs = draw(Gamma::new(1.7, 0.5).unwrap(), 5);
    let all = fit_all(&xs);
    assert_eq!(all.len(), 4);
    assert!(all.windows(2).all(|w| w[0].aic <= w[1].aic));
    let ln_l = |d: &Dist| xs.iter().map(|&x| d.ln_pdf(x)).sum::<f64>();
    for f in &all {
        assert_eq!(f.n, N);
        assert!((f.log_likelihood - ln_l(&f.dist)).abs() < 1e-9 * f.log_likelihood.abs());
        assert_eq!(f.aic, 2.0 * f.dist.params() as f64 - 2.0 * f.log_likelihood);
        assert_eq!(f.ks, ks_one_sample(&xs, &f.dist));
        for nudge in [0.999, 1.001] {
            let moved = match f.dist {
                Dist::Exponential { mean } => vec![Dist::Exponential { mean: mean * nudge }],
                Dist::LogNormal { mu, sigma } => vec![
                    Dist::LogNormal {
                        mu: mu + 1e-3 * (nudge - 1.0).signum(),
                        sigma,
                    },
                    Dist::LogNormal {
                        mu,
                        sigma: sigma * nudge,
                    },
                ],
                Dist::Gamma { shape, scale } => vec![
                    Dist::Gamma {
                        shape: shape * nudge,
                        scale,
                    },
                    Dist::Gamma {
                        shape,
                        scale: scale * nudge,
                    },
                ],
                Dist::Weibull { shape, scale } => vec![
                    Dist::Weibull {
                        shape: shape * nudge,
                        scale,
                    },
                    Dist::Weibull {
                        shape,
                        scale: scale * nudge,
                    },
                ],
            };
            for d in moved {
                assert!(ln_l(&d) < f.log_likelihood, "{d:?} beats {:?}", f.dist);
            }
        }
    }
}

// Proves the hand cases of the MLEs: exponential of {1, 2, 3} has mean 2; lognormal of
// {1, e²} has μ = 1 and (divide-by-n) σ = 1.
#[test]
fn hand_computed_mles() {
    let all = fit_all(&[1.0, 2.0, 3.0]);
    assert_eq!(family(&all, "exponential"), Dist::Exponential { mean: 2.0 });
    let Dist::LogNormal { mu, sigma } = family(&fit_all(&[1.0, 2f64.exp()]), "lognormal") else {
        unreachable!()
    };
    assert!((mu - 1.0).abs() < 1e-15 && (sigma - 1.0).abs() < 1e-15);
}

// Proves each family's CDF, density, mean and cv against closed forms and nestings.
#[test]
fn family_closed_forms() {
    let exp = Dist::Exponential { mean: 2.0 };
    let gamma1 = Dist::Gamma {
        shape: 1.0,
        scale: 2.0,
    };
    let weibull1 = Dist::Weibull {
        shape: 1.0,
        scale: 2.0,
    };
    for x in [0.1, 1.0, 3.0, 10.0] {
        let want = 1.0 - (-x / 2.0f64).exp();
        for d in [exp, gamma1, weibull1] {
            assert!((d.cdf(x) - want).abs() < 1e-14, "{d:?} cdf({x})");
            assert!(
                (d.ln_pdf(x) - (0.5f64.ln() - x / 2.0)).abs() < 1e-13,
                "{d:?}"
            );
        }
    }
    // Gamma(2, 1): density x e⁻ˣ, mean 2, cv 1/√2.
    let g = Dist::Gamma {
        shape: 2.0,
        scale: 1.0,
    };
    assert!((g.ln_pdf(3.0) - (3f64.ln() - 3.0)).abs() < 1e-14);
    assert!((g.mean() - 2.0).abs() < 1e-15 && (g.cv() - 0.5f64.sqrt()).abs() < 1e-15);
    // Weibull(2, λ) is Rayleigh: mean λ√π/2, cv √(4/π − 1).
    let w = Dist::Weibull {
        shape: 2.0,
        scale: 3.0,
    };
    assert!((w.mean() - 1.5 * PI.sqrt()).abs() < 1e-13);
    assert!((w.cv() - (4.0 / PI - 1.0).sqrt()).abs() < 1e-13);
    assert!((weibull1.cv() - 1.0).abs() < 1e-13);
    // Lognormal: median e^μ, mean e^(μ + σ²/2), cv √(e^σ² − 1).
    let l = Dist::LogNormal {
        mu: 1.0,
        sigma: 0.5,
    };
    assert!((l.cdf(1f64.exp()) - 0.5).abs() < 1e-15);
    assert!((l.mean() - 1.125f64.exp()).abs() < 1e-14);
    assert!((l.cv() - (0.25f64.exp() - 1.0).sqrt()).abs() < 1e-14);
    for d in [exp, g, w, l] {
        assert_eq!(d.cdf(0.0), 0.0);
        assert_eq!(d.cdf(-1.0), 0.0);
        assert_eq!(d.ln_pdf(-1.0), f64::NEG_INFINITY);
    }
    assert_eq!(exp.params(), 1);
    assert_eq!((l.params(), g.params(), w.params()), (2, 2, 2));
    let names = [exp.name(), l.name(), g.name(), w.name()];
    assert_eq!(names, ["exponential", "lognormal", "gamma", "weibull"]);
}

// Proves the one-sample KS statistic by hand: against Exp(1), x = −ln(1 − F) puts samples at
// chosen F values. At F = 0.2, 0.9 the gaps are ½ − 0.2, 0.2 − 0, 1 − 0.9 and 0.9 − ½, so
// D = 0.4; one sample at the median gives ½; a tie at F = ½ is a jump of 1 (D = ½).
#[test]
fn ks_one_sample_by_hand() {
    let d = Dist::Exponential { mean: 1.0 };
    let at = |f: f64| -(1.0 - f).ln();
    assert!((ks_one_sample(&[at(0.9), at(0.2)], &d) - 0.4).abs() < 1e-12);
    assert!((ks_one_sample(&[at(0.5)], &d) - 0.5).abs() < 1e-12);
    assert!((ks_one_sample(&[at(0.5), at(0.5)], &d) - 0.5).abs() < 1e-12);
    // Four samples at F = 0.1, 0.3, 0.6, 0.7: the gaps above F are 0.15, 0.2, 0.15, 0.3 and
    // those below 0.1, 0.05, 0.1, −0.05, so D = 0.3 (at the top).
    let xs = [at(0.6), at(0.1), at(0.7), at(0.3)];
    assert!((ks_one_sample(&xs, &d) - 0.3).abs() < 1e-12);
    assert!(ks_one_sample(&[], &d).is_nan());
}

// Proves Stephens' corrected critical value at n = 1 and n = 100, and its asymptote.
#[test]
fn ks_critical_values() {
    assert!((ks_critical_5(1) - 1.358 / 1.23).abs() < 1e-15);
    assert!((ks_critical_5(100) - 1.358 / 10.131).abs() < 1e-15);
    let n: f64 = 1e8;
    assert!((ks_critical_5(100_000_000) * n.sqrt() / 1.358 - 1.0).abs() < 1e-4);
    assert!(ks_critical_5(0).is_nan());
}

// Proves the edge cases: no usable value is Unfit, equal values are Constant, garbage is
// skipped (the fits equal those of the clean values), and tiny samples do not break.
#[test]
fn empty_constant_and_garbage() {
    assert_eq!(best_fit(&[]), FitChoice::Unfit);
    assert_eq!(
        best_fit(&[0.0, -1.0, f64::NAN, f64::INFINITY]),
        FitChoice::Unfit
    );
    assert!(fit_all(&[f64::NAN]).is_empty());
    assert_eq!(best_fit(&[4.0; 10]), FitChoice::Constant(4.0));
    assert_eq!(best_fit(&[7.5]), FitChoice::Constant(7.5));
    let FitChoice::Constant(c) = best_fit(&[1.0, 1.0 + 1e-12, 1.0 - 1e-12]) else {
        panic!("a spread of 2e-12 is constant")
    };
    assert!((c - 1.0).abs() < 1e-12);
    // Constant samples still get the exponential fit; the two-parameter MLEs fail.
    let all = fit_all(&[2.0, 2.0]);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].dist, Dist::Exponential { mean: 2.0 });
    let clean = [1.0, 2.5, 3.0, 7.0];
    let dirty = [
        f64::NAN,
        1.0,
        -3.0,
        2.5,
        0.0,
        3.0,
        f64::INFINITY,
        7.0,
        f64::NEG_INFINITY,
    ];
    assert_eq!(fit_all(&dirty), fit_all(&clean));
    assert_eq!(best_fit(&dirty), best_fit(&clean));
    assert_eq!(fit_all(&[1.0, 2.0]).len(), 4);
}

// Proves a bimodal sample (two lognormals e^0 and e^4 apart, half each) is left Empirical:
// no unimodal family comes within the KS critical value 0.0096 of it.
#[test]
fn far_apart_mixture_is_empirical() {
    let low = draw(LogNormal::new(0.0, 0.3).unwrap(), 6);
    let high = draw(LogNormal::new(4.0, 0.3).unwrap(), 7);
    let xs: Vec<f64> = low[..N / 2].iter().chain(&high[..N / 2]).copied().collect();
    match best_fit(&xs) {
        FitChoice::Empirical { all, critical } => {
            assert_eq!(all.len(), 4);
            assert!(all.iter().all(|f| f.ks >= critical));
            assert_eq!(critical, ks_critical_5(N));
        }
        other => panic!("expected Empirical, got {other:?}"),
    }
}

/// A synthetic fit with the given AIC and KS statistic.
fn fake(mean: f64, aic: f64, ks: f64) -> Fit {
    Fit {
        dist: Dist::Exponential { mean },
        log_likelihood: 1.0 - aic / 2.0,
        aic,
        ks,
        n: 100,
    }
}

// Proves the choice rule: the lowest-AIC fit that passes KS is chosen even when the overall
// lowest AIC fails; ties with the critical value fail (D < critical is required); none
// passing is Empirical.
#[test]
fn choice_is_lowest_aic_among_passing() {
    let all = vec![
        fake(1.0, 10.0, 0.2),
        fake(2.0, 11.0, 0.05),
        fake(3.0, 12.0, 0.01),
    ];
    let FitChoice::Fitted { best, .. } = choose_fit(all.clone(), 0.1) else {
        panic!("the second fit passes")
    };
    assert_eq!(best, all[1]);
    let FitChoice::Fitted { best, .. } = choose_fit(all.clone(), 0.3) else {
        panic!("all pass")
    };
    assert_eq!(best, all[0]);
    assert_eq!(
        choose_fit(all.clone(), 0.01),
        FitChoice::Empirical {
            all,
            critical: 0.01
        }
    );
    assert_eq!(
        choose_fit(Vec::new(), 0.1),
        FitChoice::Empirical {
            all: Vec::new(),
            critical: 0.1
        }
    );
    // On a real sample the chosen fit is the first passing one in AIC order.
    let xs = draw(Weibull::new(2.0, 1.5).unwrap(), 8);
    let FitChoice::Fitted {
        best,
        all,
        critical,
    } = best_fit(&xs)
    else {
        panic!("a Weibull sample is fitted")
    };
    assert_eq!(Some(&best), all.iter().find(|f| f.ks < critical));
}

proptest! {
    // Proves fitting never panics on arbitrary values (NaN, infinities, negatives, huge and
    // tiny), returns KS statistics in [0, 1] and finite AICs sorted ascending.
    #[test]
    fn fitting_never_panics(xs in prop::collection::vec(prop::num::f64::ANY, 0..40)) {
        let all = fit_all(&xs);
        prop_assert!(all.windows(2).all(|w| w[0].aic <= w[1].aic));
        for f in &all {
            prop_assert!((0.0..=1.0).contains(&f.ks) && f.aic.is_finite());
        }
        let _ = best_fit(&xs);
    }
}

proptest! {
    // Proves every family can be fitted to any small sample of at least two distinct positive
    // values spread over nine orders of magnitude, and that the gamma fit solves its
    // likelihood equation ln k − ψ(k) = ln x̄ − mean(ln x) and keeps the sample mean, and the
    // Weibull fit solves its profile equation.
    #[test]
    fn every_family_fits_distinct_positive_samples(
        xs in prop::collection::vec(1e-3f64..1e6, 2..50),
    ) {
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        prop_assume!(hi - lo > 1e-6 * hi);
        let all = fit_all(&xs);
        prop_assert_eq!(all.len(), 4, "{:?}", all);
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let s = mean.ln() - xs.iter().map(|x| x.ln()).sum::<f64>() / n;
        if let Dist::Gamma { shape, scale } = family(&all, "gamma") {
            let residual = shape.ln() - super::special::digamma(shape) - s;
            prop_assert!(residual.abs() < 1e-9 * s, "residual {} of s {}", residual, s);
            prop_assert!((shape * scale / mean - 1.0).abs() < 1e-12);
        }
        if let Dist::Weibull { shape: k, scale } = family(&all, "weibull") {
            // Profile equation Σ yᵏ ln y / Σ yᵏ − 1/k = mean(ln y) and (λ/max)ᵏ = mean yᵏ,
            // with y = x / max(x) (the equations are scale-free).
            let ln_y: Vec<f64> = xs.iter().map(|x| (x / hi).ln()).collect();
            let s0: f64 = ln_y.iter().map(|l| (k * l).exp()).sum();
            let s1: f64 = ln_y.iter().map(|l| (k * l).exp() * l).sum();
            let mean_ln_y = ln_y.iter().sum::<f64>() / n;
            let residual = s1 / s0 - 1.0 / k - mean_ln_y;
            prop_assert!(residual.abs() < 1e-9 * (1.0 / k), "profile residual {}", residual);
            prop_assert!(((scale / hi).powf(k) / (s0 / n) - 1.0).abs() < 1e-9);
        }
    }
}
