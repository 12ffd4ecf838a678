//! The calibrated history forecast: the recent pace, widened by how far the
//! team's own past forecasts of that kind were off.
//!
//! Daily resampling draws every future day independently, so a forecast of a
//! multi-week total is only as wide as day-to-day noise allows. Real
//! throughput is autocorrelated (good and bad weeks come in runs, the pace
//! drifts), and on real histories its "85%" comes true one time in three less
//! often than it says. This method measures instead of assuming:
//!
//! 1. The **pace** is the mean deliveries per day over the last
//!    `level_days` of the history (12 weeks unless the window says otherwise).
//! 2. For every earlier day `o` of the history that has `level_days` before
//!    it and `t` days after it (a *past origin*), the **ratio** of what was
//!    actually delivered in those `t` days to what that origin's own pace
//!    promised (`pace(o) × t`). These are rolling-origin backtests of the
//!    plain pace forecast at every horizon `t`.
//!    Only the latest [`RECENT_PAST_HORIZONS`] × `t` origins count, so the
//!    ratios describe the team as it has been lately.
//! 3. The forecast of the next `t` days at confidence `p` is
//!    `pace × t × (the (1 − p) quantile of the ratios for t)`, the quantile
//!    taken with split-conformal's finite-sample correction over the number of
//!    *independent* past horizons (`origins ÷ t`, since neighbouring origins
//!    overlap), which widens it when the history holds few.
//!
//! Runs share one quantile across horizons (run `i` of `n` is the
//! `(i + ½)/n` quantile at every horizon; its burn-up is kept monotone), so
//! "how many by" and "when" read the same distribution in opposite
//! directions, as for the other methods. It draws no random numbers.
//!
//! Horizons beyond [`LONGEST_CALIBRATED_DAYS`], or beyond what the history can
//! calibrate (at least [`MIN_PAST_HORIZONS`] independent past horizons), use
//! the ratios of the longest horizon calibrated: the uncertainty of the pace
//! does not shrink with the horizon. A history too short to calibrate two
//! weeks is refused with the days it would need
//! ([`HistoryError::TooShortToCalibrate`]).

use std::collections::BTreeMap;

use super::{HistoryError, HowMany, Mask};

/// The pace is measured over this many days unless the window says otherwise.
pub const LEVEL_DAYS: usize = 84;
/// Horizons calibrated from the history, at most (26 weeks); longer ones use
/// this one's ratios.
pub const LONGEST_CALIBRATED_DAYS: usize = 182;
/// A horizon is calibrated only when the history holds at least this many
/// independent past horizons of it.
pub const MIN_PAST_HORIZONS: usize = 4;
/// The ratios of a horizon come from at most this many of the latest
/// independent past horizons (52 × `t` days of origins): recent enough to be
/// the team as it is, and enough that the 15% quantile's standard error is
/// about 5 points (√(0.15 × 0.85 / 52)).
pub const RECENT_PAST_HORIZONS: usize = 52;
/// The shortest horizon that must be calibrated for the method to be used.
pub const SHORTEST_CALIBRATED_DAYS: usize = 14;

/// The calibration of one history at one cut-off: its pace and its past
/// ratios at every horizon it can calibrate.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// Mean deliveries per day over the last `level_days`.
    pace: f64,
    level_days: usize,
    /// `ratios[t − 1]`: the past ratios at horizon `t` days, ascending.
    ratios: Vec<Vec<f64>>,
    /// `independent[t − 1]`: origins ÷ `t`, the independent past horizons.
    independent: Vec<f64>,
}

impl Calibration {
    /// Calibrates `daily` (deliveries per calendar day, oldest first), the
    /// pace taken over its last `level_days`.
    pub fn new(daily: &[u32], level_days: usize) -> Result<Calibration, HistoryError> {
        let n = daily.len();
        let level_days = level_days.max(1);
        let needed = Calibration::days_needed(level_days);
        if n < needed {
            return Err(HistoryError::TooShortToCalibrate {
                days: n,
                needed,
                level_days,
            });
        }
        let mut prefix = Vec::with_capacity(n + 1);
        prefix.push(0u64);
        for d in daily {
            prefix.push(prefix.last().copied().unwrap_or(0) + u64::from(*d));
        }
        let sum = |a: usize, b: usize| (prefix[b] - prefix[a]) as f64;
        let pace = sum(n - level_days, n) / level_days as f64;
        let mut ratios = Vec::new();
        let mut independent = Vec::new();
        for t in 1..=LONGEST_CALIBRATED_DAYS {
            // Origins o = level_days ..= n − t, the latest RECENT_PAST_HORIZONS × t of them.
            let origins = (n + 1).saturating_sub(level_days + t);
            if origins < MIN_PAST_HORIZONS * t {
                break;
            }
            let earliest = level_days.max((n + 1).saturating_sub(t + RECENT_PAST_HORIZONS * t));
            let mut r: Vec<f64> = (earliest..=n - t)
                .filter_map(|o| {
                    let promised = sum(o - level_days, o) / level_days as f64 * t as f64;
                    (promised > 0.0).then(|| sum(o, o + t) / promised)
                })
                .collect();
            if r.is_empty() {
                break;
            }
            r.sort_by(f64::total_cmp);
            independent.push(r.len() as f64 / t as f64);
            ratios.push(r);
        }
        if ratios.len() < SHORTEST_CALIBRATED_DAYS {
            return Err(HistoryError::TooShortToCalibrate {
                days: n,
                needed,
                level_days,
            });
        }
        Ok(Calibration {
            pace,
            level_days,
            ratios,
            independent,
        })
    }

    /// The days of history the method needs with a pace over `level_days`:
    /// enough origins for [`MIN_PAST_HORIZONS`] independent two-week horizons.
    pub fn days_needed(level_days: usize) -> usize {
        level_days + (MIN_PAST_HORIZONS + 1) * SHORTEST_CALIBRATED_DAYS - 1
    }

    /// Deliveries per day over the pace's days.
    pub fn pace(&self) -> f64 {
        self.pace
    }

    /// The days the pace is measured over.
    pub fn level_days(&self) -> usize {
        self.level_days
    }

    /// The longest horizon, in days, calibrated from the history itself.
    pub fn longest_calibrated(&self) -> usize {
        self.ratios.len()
    }

    /// The ratio of actual to promised deliveries at quantile `u` (0 to 1) for
    /// a horizon of `t` days, with the finite-sample correction: the lower
    /// tail uses rank ⌊u (m + 1)⌋ of m independent past horizons, the upper
    /// tail its mirror, so few of them widen both tails.
    pub fn ratio(&self, t: usize, u: f64) -> f64 {
        let i = t.clamp(1, self.ratios.len()) - 1;
        let (r, m) = (&self.ratios[i], self.independent[i]);
        let corrected = if u <= 0.5 {
            ((u * (m + 1.0)).floor() / m).min(u)
        } else {
            1.0 - (((1.0 - u) * (m + 1.0)).floor() / m).min(1.0 - u)
        };
        // Nearest rank: the ⌈q·len⌉-th smallest.
        let rank = (corrected * r.len() as f64).ceil() as usize;
        r[rank.clamp(1, r.len()) - 1]
    }

    /// Deliveries in the next `t` days at quantile `u` (0 to 1): the least
    /// whole number at or above `pace × t × ratio`. Deliveries are whole, so
    /// a past origin whose actual reached its ratio `r` of the promise
    /// reached ⌈r × promised⌉: rounding up is the same event, while rounding
    /// down would make every range a little more cautious than it says (on
    /// steady Poisson throughput, 90% instead of 85% at two weeks).
    pub fn count(&self, t: usize, u: f64) -> u64 {
        // Less a hair, so a product that is whole but for rounding stays whole.
        (self.pace * t as f64 * self.ratio(t, u) - 1e-9)
            .ceil()
            .max(0.0) as u64
    }

    /// The counts of one run, day by day from day 1: `path[d]` is the items
    /// delivered by the end of day `d + 1` at quantile `u`, never falling.
    /// Extends `path` until its last count reaches `until` and it spans at
    /// least `days` days, giving up after `horizon` days.
    pub(super) fn extend(
        &self,
        u: f64,
        until: u64,
        days: usize,
        horizon: usize,
        path: &mut Vec<u64>,
    ) -> bool {
        self.extend_on(u, until, days, horizon, None, path)
    }

    /// [`Calibration::extend`] over calendar days of which only `mask`'s
    /// working days deliver (every day without one): the horizon of day `d`
    /// is the working days through it, so days off add nothing. The
    /// calibration is then of working days.
    pub(super) fn extend_on(
        &self,
        u: f64,
        until: u64,
        days: usize,
        horizon: usize,
        mask: Option<&Mask>,
        path: &mut Vec<u64>,
    ) -> bool {
        let mut t = match mask {
            None => path.len(),
            Some(m) => m.count(path.len()),
        };
        while path.len() < days || path.last().copied().unwrap_or(0) < until {
            if path.len() >= horizon {
                return false;
            }
            if mask.is_none_or(|m| m.at(path.len())) {
                t += 1;
            }
            let c = if t == 0 { 0 } else { self.count(t, u) };
            let c = c.max(path.last().copied().unwrap_or(0));
            path.push(c);
        }
        true
    }

    /// "How many by" `t` days at the four levels, capped at `left` and with
    /// `done` added: the same answers the runs give.
    pub fn how_many(&self, by: jiff::civil::Date, t: usize, runs: u64) -> Option<HowMany> {
        let mut counts = BTreeMap::new();
        let mut path = Vec::new();
        for i in 0..runs {
            path.clear();
            self.extend(quantile_of_run(i, runs), 0, t, t, &mut path);
            *counts.entry(path.last().copied().unwrap_or(0)).or_insert(0) += 1;
        }
        super::how_many_from_counts(by, &counts)
    }
}

/// The quantile run `i` of `runs` stands for: the middle of its slice.
pub(super) fn quantile_of_run(i: u64, runs: u64) -> f64 {
    (i as f64 + 0.5) / runs as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves a steady team is forecast at its pace with no spread: one a day,
    // every past ratio is 1, so every quantile at every horizon is t items.
    #[test]
    fn a_steady_pace_has_no_spread() {
        let cal = Calibration::new(&[1; 200], LEVEL_DAYS).expect("long enough");
        assert_eq!(cal.pace(), 1.0);
        for t in [1, 14, 28, 56, 182, 400] {
            for u in [0.01, 0.15, 0.5, 0.85, 0.99] {
                assert_eq!(cal.count(t, u), t as u64, "t {t}, u {u}");
            }
        }
    }

    // Proves the ratios and their quantiles by hand. Deliveries alternate
    // 1, 3, 1, 3 … and the pace is the last 2 days' (always 2 a day). At
    // t = 1 the past ratios are 1/2 (26 origins) and 3/2 (26): the latest 52
    // origins of a 100-day history. The 85% "how many" (u = 0.15): m = 52
    // independent horizons, corrected rank ⌊0.15 × 53⌋ = 7 of 52, the 7th
    // smallest ratio, 1/2, so ⌊2 × 1 × 0.5⌋ = 1 item; at u = 0.85 the 45th
    // smallest, 3/2, so 3 items. At even t every window holds t/2 pairs: the
    // ratio is exactly 1.
    #[test]
    fn ratios_and_quantiles_by_hand() {
        let daily: Vec<u32> = (0..100).map(|i| if i % 2 == 0 { 1 } else { 3 }).collect();
        let cal = Calibration::new(&daily, 2).expect("long enough");
        assert_eq!(cal.pace(), 2.0);
        assert_eq!(cal.ratios[0].len(), 52);
        assert_eq!(cal.ratios[0].iter().filter(|r| **r == 0.5).count(), 26);
        assert_eq!(cal.ratio(1, 0.15), 0.5);
        assert_eq!(cal.ratio(1, 0.85), 1.5);
        assert_eq!(cal.count(1, 0.15), 1);
        assert_eq!(cal.count(1, 0.85), 3);
        for t in [2, 4, 10, 14] {
            assert_eq!(cal.count(t, 0.05), 2 * t as u64, "t {t}");
            assert_eq!(cal.count(t, 0.95), 2 * t as u64, "t {t}");
        }
        // t = 3: windows of 1+3+1 or 3+1+3 against a promise of 6.
        assert_eq!(cal.ratio(3, 0.15), 5.0 / 6.0);
        assert_eq!(cal.ratio(3, 0.85), 7.0 / 6.0);
    }

    // Proves the finite-sample correction: with only 4 independent past
    // two-week horizons (the least the method accepts), ⌊0.15 × 5⌋ = 0, so
    // the 85% bound is the worst past ratio, wider than the plain 15%
    // quantile; with 52 it is the 7th of 52 (0.13), close to plain.
    #[test]
    fn few_past_horizons_widen_the_range() {
        let level = 28;
        let n = Calibration::days_needed(level);
        assert_eq!(n, 28 + 5 * 14 - 1);
        // Irregular deliveries (a fixed linear congruential sequence, 0 to 6 a day).
        let mut x = 12345u64;
        let daily: Vec<u32> = (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 33) % 7) as u32
            })
            .collect();
        let cal = Calibration::new(&daily, level).expect("exactly long enough");
        let t = SHORTEST_CALIBRATED_DAYS;
        let r = &cal.ratios[t - 1];
        assert_eq!(r.len(), 4 * t, "origins 28 ..= n − 14");
        assert_eq!(cal.ratio(t, 0.15), r[0], "the worst past ratio");
        assert_eq!(cal.ratio(t, 0.85), r[r.len() - 1], "the best past ratio");
        let plain = r[(0.15 * r.len() as f64).ceil() as usize - 1];
        assert!(cal.ratio(t, 0.15) < plain);
    }

    // Proves a history one day short of what the method needs is refused
    // with the days it has and needs, and one day more is accepted.
    #[test]
    fn too_short_to_calibrate() {
        let needed = Calibration::days_needed(LEVEL_DAYS);
        assert_eq!(needed, 153);
        let err = Calibration::new(&vec![2; needed - 1], LEVEL_DAYS).expect_err("too short");
        assert_eq!(
            err,
            HistoryError::TooShortToCalibrate {
                days: 152,
                needed: 153,
                level_days: 84
            }
        );
        let cal = Calibration::new(&vec![2; needed], LEVEL_DAYS).expect("long enough");
        assert_eq!(cal.longest_calibrated(), SHORTEST_CALIBRATED_DAYS);
        // Longer horizons use the longest calibrated one's ratios.
        assert_eq!(cal.ratio(100, 0.15), cal.ratio(14, 0.15));
    }

    // Proves every run's burn-up never falls, reaches what was asked, and
    // that lower quantiles never deliver more than higher ones on any day.
    #[test]
    fn runs_are_monotone_and_ordered() {
        let daily: Vec<u32> = (0..400u32).map(|i| (i * 37 % 11) / 3).collect();
        let cal = Calibration::new(&daily, LEVEL_DAYS).expect("long enough");
        let runs = 50;
        let paths: Vec<Vec<u64>> = (0..runs)
            .map(|i| {
                let mut p = Vec::new();
                assert!(cal.extend(quantile_of_run(i, runs), 300, 10, 100_000, &mut p));
                p
            })
            .collect();
        for p in &paths {
            assert!(p.windows(2).all(|w| w[0] <= w[1]));
            assert!(*p.last().expect("a day") >= 300);
        }
        for w in paths.windows(2) {
            let days = w[0].len().min(w[1].len());
            assert!((0..days).all(|d| w[0][d] <= w[1][d]));
        }
        // Giving up after the horizon.
        let mut p = Vec::new();
        assert!(!cal.extend(0.5, 1_000_000, 1, 30, &mut p));
        assert_eq!(p.len(), 30);
    }
}
