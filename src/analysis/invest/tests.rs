//! Unit tests of the pure parts of racing and the Pareto front.

use super::*;

// Proves the waves double from 50 and end at the runs asked for.
#[test]
fn waves_double_and_end_at_runs() {
    assert_eq!(waves(400), vec![50, 100, 200, 400]);
    assert_eq!(waves(300), vec![50, 100, 200, 300]);
    assert_eq!(waves(30), vec![30]);
}

// Proves the leader drops what is clearly worse and keeps what is within noise.
#[test]
fn drop_dominated_keeps_the_noisy_and_drops_the_clear() {
    let base: Vec<f64> = (0..50).map(|i| f64::from(i % 7)).collect();
    let close: Vec<f64> = base
        .iter()
        .enumerate()
        .map(|(i, x)| x + if i % 2 == 0 { 0.1 } else { -0.1 })
        .collect();
    let far: Vec<f64> = base.iter().map(|x| x - 3.0).collect();
    let d = drop_dominated(&[base, close, far], 0.05);
    assert_eq!(d, vec![false, false, true]);
}

// Proves the front: nothing else costs as little and saves as much.
#[test]
fn pareto_front() {
    let p = pareto(&[
        (0.0, 0.0),
        (10.0, 5.0),
        (10.0, 4.0),
        (20.0, 5.0),
        (30.0, 9.0),
    ]);
    assert_eq!(p, vec![true, true, false, false, true]);
}

// Proves subsets skip conflicting pairs and count those over the budget.
#[test]
fn subsets_skip_conflicts_and_count_over_budget() {
    let conflicts = vec![(0, 1, "x".to_string())];
    let cost = |k: &[usize]| if k.contains(&2) { 100.0 } else { 0.0 };
    let (s, over) = subsets(&[0, 1, 2], 3, &conflicts, &cost, Some(50.0));
    assert_eq!(s, vec![vec![0], vec![1]]);
    assert_eq!(over, 3);
}
