//! Tests of the fits that need no simulation (a child of `fit`, so they reach
//! its private detectors).

mod basics {
    use super::super::*;

    #[test]
    fn weekend_time_is_counted_in_utc_days() {
        // 2025-01-04 is a Saturday: 1970-01-01 + 20092 days.
        let sat = 20_092 * DAY;
        assert_eq!(weekend_ms(sat, sat + 2 * DAY), 2 * DAY);
        assert_eq!(weekend_ms(sat - DAY, sat + DAY), DAY);
        assert_eq!(weekend_ms(sat + 2 * DAY, sat + 7 * DAY), 0);
        assert!(
            (weekend_share(&[sat, sat + 2 * DAY, sat + 3 * DAY, sat + DAY]) - 0.5).abs() < 1e-12
        );
    }

    #[test]
    fn a_weekly_cadence_is_found_from_exits() {
        let week = 7 * DAY;
        let mut so = StageObservation::default();
        for k in 0..10 {
            for _ in 0..3 {
                so.exits.push(k * week + 5 * DAY);
            }
        }
        let span = (0, 10 * week);
        match detect_schedule(&so, span) {
            Some(Capacity::Schedule {
                every,
                first,
                per_instant,
                ..
            }) => {
                assert_eq!(every, 7.0);
                assert!((per_instant - 3.0).abs() < 1e-12);
                // last exit at 9w + 5d; next at 10w + 5d: 5 days after the end.
                assert!((first - 5.0).abs() < 1e-9);
            }
            other => panic!("no schedule: {other:?}"),
        }
    }

    #[test]
    fn rework_probability_is_sent_back_over_finished() {
        let so = StageObservation {
            sent_back: vec![3, 1, 0],
            moved_on: 16,
            ..Default::default()
        };
        let r = fit_rework(&so).unwrap();
        assert!((r.probability - 0.2).abs() < 1e-12);
        assert_eq!(r.to, 0);
        assert_eq!(r.n, 20);
        assert!((r.se - (0.2f64 * 0.8 / 20.0).sqrt()).abs() < 1e-12);
    }
}

mod more {
    use super::super::*;
    use crate::analysis::calibrate::observe::{Observation, StageObservation};

    /// 2025-01-06 is a Monday (1970-01-01 + 20094 days).
    const MONDAY: Millis = 20_094 * DAY;

    fn weekday_stage(batch_starts: bool) -> StageObservation {
        let mut so = StageObservation::default();
        for k in 0..60 {
            let week = k / 5;
            let day = k % 5; // Monday to Friday
            // Irregular times of day: no cadence, no fixed weekday time.
            let start =
                MONDAY + week * 7 * DAY + day * DAY + 9 * 3_600_000 + (k * 37 % 420) * 60_000;
            let d = 0.25 + 0.01 * (k % 7) as f64;
            for copy in 0..(if batch_starts { 2 } else { 1 }) {
                so.work.push((d, None, start));
                so.starts.push(start);
                so.exits.push(start + (d * DAY as f64) as Millis + copy);
                so.queue.push(0.1);
                so.active_intervals
                    .push((start, start + (d * DAY as f64) as Millis));
            }
        }
        so.visits = so.work.len();
        so.first_visits = so.visits;
        so.moved_on = so.visits;
        so.sent_back = vec![0];
        so
    }

    fn observation(so: StageObservation) -> Observation {
        let moves = so.starts.clone();
        Observation {
            arrivals: so.starts.clone(),
            span: (MONDAY, MONDAY + 12 * 7 * DAY),
            stages: vec![so],
            moves,
            ..Observation::default()
        }
    }

    #[test]
    fn a_stream_that_rests_on_weekends_gets_a_weekday_calendar() {
        let mut obs = observation(weekday_stage(false));
        // 100 moves needed before a calendar is chosen.
        let extra: Vec<Millis> = obs.moves.iter().map(|t| t + 3_600_000).collect();
        obs.moves.extend(extra);
        let cal = fit(&obs, &["build".into()], &[true], None);
        assert!(cal.weekdays_only, "weekend share {}", cal.weekend_share);
        assert_eq!(cal.weekend_share, 0.0);
        // Forcing it off is honoured.
        assert!(!fit(&obs, &["build".into()], &[true], Some(false)).weekdays_only);
    }

    #[test]
    fn work_over_a_weekend_leaves_the_weekend_out() {
        // Friday 12:00 to Monday 12:00 is 3 elapsed days, 1 working day.
        let friday_noon = MONDAY + 4 * DAY + DAY / 2;
        assert!((working_days(3.0, friday_noon, true) - 1.0).abs() < 1e-9);
        assert!((working_days(3.0, friday_noon, false) - 3.0).abs() < 1e-9);
    }

    #[test]
    fn items_started_together_are_a_process_batch() {
        let so = weekday_stage(true);
        assert_eq!(detect_batch(&so), Some(Batch::Process(2)));
        let single = weekday_stage(false);
        assert_eq!(detect_batch(&single), None);
    }

    #[test]
    fn a_weekday_scenario_with_a_batch_is_written_so_that_run_reads_it() {
        use crate::analysis::calibrate::scenario_text::{Provenance, scenario_text};
        use crate::analysis::calibrate::workflow::{Workflow, WorkflowStage};
        let mut obs = observation(weekday_stage(true));
        let extra: Vec<Millis> = obs.moves.iter().map(|t| t + 3_600_000).collect();
        obs.moves.extend(extra);
        let cal = fit(&obs, &["build".into()], &[true], None);
        let wf = Workflow {
            stages: vec![WorkflowStage {
                stage: "build".into(),
                queue: vec!["Ready".into()],
                active: vec!["Doing".into()],
            }],
            done: vec!["Done".into()],
            ..Workflow::default()
        };
        let prov = Provenance {
            name: "weekdays".into(),
            start: Some("2025-03-31".into()),
            ..Provenance::default()
        };
        let text = scenario_text(&cal, &wf, &prov);
        let scenario = crate::scenario::Scenario::from_text("w.yaml", &text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(scenario.model.calendar.is_some(), "{text}");
        assert!(scenario.model.stages[0].process.is_some(), "{text}");
    }

    #[test]
    fn releases_on_tuesdays_and_thursdays_are_a_weekday_schedule() {
        let mut so = StageObservation::default();
        // Weeks 0..12, skipping every third week, Tue and Thu at 10:00, 3 items each.
        for week in (0..12).filter(|w| w % 3 != 2) {
            for day in [1, 3] {
                let t = MONDAY + week * 7 * DAY + day * DAY + 10 * 3_600_000;
                for _ in 0..3 {
                    so.starts.push(t);
                    so.exits.push(t + 1_800_000);
                }
            }
        }
        let span = (MONDAY, MONDAY + 12 * 7 * DAY);
        match detect_schedule(&so, span) {
            Some(Capacity::Weekdays {
                days,
                at_minute,
                per_instant,
                share,
            }) => {
                assert_eq!(days, vec![1, 3]);
                assert_eq!(at_minute, 600);
                assert!((per_instant - 3.0).abs() < 1e-12);
                assert_eq!(share, 1.0);
            }
            other => panic!("not a weekday schedule: {other:?}"),
        }
        assert_eq!(weekday_of(MONDAY), 0);
        assert_eq!(weekday_of(MONDAY + 5 * DAY), 5);
    }
}
