//! Reading status histories for `flowcast calibrate`: the three formats, every
//! timestamp form, `--columns`, `--window`, bad input, quality counters, the
//! workflow file, inference, journeys (hand cases) and the real AEA history.

use std::path::{Path, PathBuf};

use flowcast::Error;
use flowcast::analysis::calibrate::time::date_millis;
use flowcast::analysis::calibrate::{
    Columns, DAY, End, Entry, HOUR, History, ItemHistory, Millis, Quality, ReadOptions, Role,
    Visit, Workflow, infer, journeys, read, window,
};

const MIN: Millis = 60_000;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn read_one(path: &Path, opts: &ReadOptions) -> History {
    match read(&[path.to_path_buf()], opts) {
        Ok(h) => h,
        Err(e) => panic!("{e}"),
    }
}

fn read_err(path: &Path, opts: &ReadOptions) -> Error {
    match read(&[path.to_path_buf()], opts) {
        Ok(h) => panic!("expected an error, got {h:?}"),
        Err(e) => e,
    }
}

/// (key, [(status, ms)]) pairs as a History: statuses interned in order of appearance.
fn history(items: &[(&str, &[(&str, Millis)])]) -> History {
    let mut h = History::default();
    for (key, entries) in items {
        let mut it = ItemHistory {
            key: key.to_string(),
            kind: None,
            entries: Vec::new(),
        };
        for (s, at) in entries.iter() {
            let status = match h.statuses.iter().position(|x| x == s) {
                Some(i) => i as u32,
                None => {
                    h.statuses.push(s.to_string());
                    h.statuses.len() as u32 - 1
                }
            };
            it.entries.push(Entry { status, at: *at });
        }
        h.quality.rows += it.entries.len();
        h.items.push(it);
    }
    h
}

fn t0() -> Millis {
    date_millis(2025, 1, 6)
}

// The two-item history every format below encodes: A moved to Done, B is open.
fn expected_two_items() -> History {
    let t = t0();
    let mut h = history(&[
        (
            "A-1",
            &[
                ("Open", t + 9 * HOUR),
                ("In Progress", t + DAY + 10 * HOUR),
                ("Done", t + 3 * DAY + 12 * HOUR),
            ],
        ),
        (
            "B-2",
            &[
                ("Open", t + 10 * HOUR),
                ("In Progress", t + 2 * DAY + 9 * HOUR + 30 * MIN),
            ],
        ),
    ]);
    h.items[0].kind = Some("Story".into());
    h.items[1].kind = Some("Bug".into());
    h
}

// Proves the long CSV, Jira JSON split over two pages (one an object page, one
// a bare array) and the wide CSV give the same History.
#[test]
fn three_formats_same_history() {
    let dir = tempfile::tempdir().unwrap();
    let long = write(
        dir.path(),
        "long.csv",
        "Issue key,Issue Type,To Status,Changed,Author\n\
         A-1,Story,Open,2025-01-06T09:00:00Z,x\n\
         A-1,Story,In Progress,2025-01-07T10:00:00Z,x\n\
         A-1,Story,Done,2025-01-09T12:00:00Z,y\n\
         B-2,Bug,Open,2025-01-06T10:00:00Z,x\n\
         B-2,Bug,In Progress,2025-01-08T09:30:00Z,x\n",
    );
    let page1 = write(
        dir.path(),
        "page1.json",
        r#"{"startAt": 0, "total": 2, "issues": [{"key": "A-1",
          "fields": {"issuetype": {"name": "Story"}, "created": "2025-01-06T09:00:00.000+0000", "status": {"name": "Done"}},
          "changelog": {"histories": [
            {"created": "2025-01-09T12:00:00.000+0000", "items": [{"field": "status", "fromString": "In Progress", "toString": "Done"}]},
            {"created": "2025-01-07T10:00:00.000+0000", "items": [{"field": "assignee", "toString": "x"},
                                                                  {"field": "status", "fromString": "Open", "toString": "In Progress"}]}]}}]}"#,
    );
    let page2 = write(
        dir.path(),
        "page2.txt",
        r#"  [{"key": "B-2", "fields": {"issuetype": {"name": "Bug"}, "created": "2025-01-06T10:00:00.000+0000"},
          "changelog": {"histories": [{"created": "2025-01-08T09:30:00.000+0000",
             "items": [{"field": "status", "fromString": "Open", "toString": "In Progress"}]}]}}]"#,
    );
    let wide = write(
        dir.path(),
        "wide.csv",
        "ID,Name,Type,Open,In Progress,Done\n\
         A-1,First thing,Story,2025-01-06 09:00,2025-01-07 10:00,2025-01-09 12:00\n\
         B-2,Second thing,Bug,2025-01-06 10:00,2025-01-08 09:30,\n",
    );
    let opts = ReadOptions::default();
    let want = expected_two_items();
    assert_eq!(read_one(&long, &opts), want, "long CSV");
    assert_eq!(read(&[page1, page2], &opts).unwrap(), want, "Jira JSON");
    assert_eq!(read_one(&wide, &opts), want, "wide CSV");
}

// Proves Jira's export forms, --tz (New York is UTC-5 in January) and
// --date-format land on hand-computed instants.
#[test]
fn timestamp_forms_zone_and_format() {
    let dir = tempfile::tempdir().unwrap();
    let jira = write(
        dir.path(),
        "j.csv",
        "key,status,created\nA,Open,06/Jan/25 9:05 AM\nA,Doing,06/Jan/25 20:51\nA,Done,2025-01-07\n",
    );
    let opts = ReadOptions {
        tz: Some("America/New_York".into()),
        ..ReadOptions::default()
    };
    let h = read_one(&jira, &opts);
    let at: Vec<Millis> = h.items[0].entries.iter().map(|e| e.at).collect();
    let t = t0();
    assert_eq!(
        at,
        vec![
            t + 14 * HOUR + 5 * MIN,
            t + DAY + HOUR + 51 * MIN,
            t + DAY + 5 * HOUR
        ]
    );
    let custom = write(
        dir.path(),
        "c.csv",
        "key,status,date\nA,Open,06.01.2025 09:00\nA,Done,07.01.2025 10:30\n",
    );
    let opts = ReadOptions {
        date_format: Some("%d.%m.%Y %H:%M".into()),
        ..ReadOptions::default()
    };
    let h = read_one(&custom, &opts);
    assert_eq!(h.items[0].entries[1].at, t + DAY + 10 * HOUR + 30 * MIN);
    assert!(!h.undated);
}

// Proves plain numbers read as an undated log in the given time unit, and a
// file mixing them with dates is an error at the mixing row.
#[test]
fn undated_log() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "u.csv",
        "key,status,timestamp\n1,queue,0\n1,work,1.5\n",
    );
    let opts = ReadOptions {
        undated_unit: HOUR,
        ..ReadOptions::default()
    };
    let h = read_one(&p, &opts);
    assert!(h.undated);
    assert_eq!(h.items[0].entries[1].at, 3 * HOUR / 2);
    let mixed = write(
        dir.path(),
        "m.csv",
        "key,status,timestamp\n1,queue,0\n1,work,2025-01-06\n",
    );
    match read_err(&mixed, &opts) {
        Error::Input { line, message, .. } => {
            assert_eq!(line, 3);
            assert!(message.contains("plain numbers"), "{message}");
        }
        e => panic!("{e}"),
    }
}

// Proves --columns picks named columns (case-insensitively), and naming a
// column the header lacks is an error on line 1.
#[test]
fn columns_option() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "c.csv",
        "Ticket,State,When,Category,To\nT-1,Open,2025-01-06,Task,zzz\nT-1,Done,2025-01-07,Task,zzz\n",
    );
    let columns = Columns::parse("key=ticket,status=State,timestamp=when,type=category").unwrap();
    let opts = ReadOptions {
        columns,
        ..ReadOptions::default()
    };
    let h = read_one(&p, &opts);
    assert_eq!(h.statuses, vec!["Open", "Done"]);
    assert_eq!(h.items[0].kind.as_deref(), Some("Task"));
    assert_eq!(h.items[0].entries[1].at, t0() + DAY);
    let bad = ReadOptions {
        columns: Columns::parse("status=Stage").unwrap(),
        ..ReadOptions::default()
    };
    match read_err(&p, &bad) {
        Error::Input {
            line: 1, message, ..
        } => assert!(message.contains("`Stage`"), "{message}"),
        e => panic!("{e}"),
    }
    assert_eq!(Columns::parse("colour=red").unwrap_err().exit_code(), 2);
    assert_eq!(Columns::parse("key").unwrap_err().exit_code(), 2);
}

// Proves --window keeps rows inside [FROM, end of TO's day] and counts the rest.
#[test]
fn window_keeps_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "w.csv",
        "key,status,timestamp\nA,Open,2024-12-31T23:59:59Z\nA,Doing,2025-01-01T00:00:00Z\nA,Done,2025-01-31T23:59:59Z\nB,Open,2025-02-01T00:00:00Z\n",
    );
    let opts = ReadOptions {
        window: Some(window("2025-01-01..2025-01-31").unwrap()),
        ..ReadOptions::default()
    };
    let h = read_one(&p, &opts);
    assert_eq!(h.items.len(), 1);
    assert_eq!(h.items[0].entries.len(), 2);
    assert_eq!(h.quality.rows, 4);
    assert_eq!(h.quality.outside_window, 2);
    let none = ReadOptions {
        window: Some(window("2030-01-01..2030-01-02").unwrap()),
        ..ReadOptions::default()
    };
    assert_eq!(read_err(&p, &none).exit_code(), 2);
}

// Proves a malformed row is an exit-2 error naming file:line and the fix.
#[test]
fn malformed_rows() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "bad.csv",
        "key,status,timestamp\nA,Open,2025-01-06\nA,Done,32/13/22\n",
    );
    let e = read_err(&p, &ReadOptions::default());
    assert_eq!(e.exit_code(), 2);
    let text = e.to_string();
    assert!(text.starts_with(&format!("{}:3: ", p.display())), "{text}");
    assert!(
        text.contains("`32/13/22`") && text.contains("--date-format"),
        "{text}"
    );
    let short = write(
        dir.path(),
        "short.csv",
        "key,status,timestamp\nA,Open,2025-01-06\nA,Done\n",
    );
    match read_err(&short, &ReadOptions::default()) {
        Error::Input {
            line: 3, message, ..
        } => assert!(message.contains("timestamp"), "{message}"),
        e => panic!("{e}"),
    }
    let nokey = write(
        dir.path(),
        "nokey.csv",
        "key,status,timestamp\n,Open,2025-01-06\n",
    );
    assert!(matches!(
        read_err(&nokey, &ReadOptions::default()),
        Error::Input { line: 2, .. }
    ));
    let empty = write(dir.path(), "empty.csv", "");
    assert_eq!(read_err(&empty, &ReadOptions::default()).exit_code(), 2);
    let header = write(dir.path(), "header.csv", "key,status,timestamp\n");
    assert!(
        read_err(&header, &ReadOptions::default())
            .to_string()
            .contains("no rows")
    );
    let json = write(dir.path(), "bad.json", "{\"issues\": [\n{\"key\": 3}]}");
    match read_err(&json, &ReadOptions::default()) {
        Error::Input { line: 2, .. } => {}
        e => panic!("{e}"),
    }
}

// Proves each quality counter counts exactly the crafted oddities.
#[test]
fn quality_counters() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "q.csv",
        "key,status,timestamp\n\
         A,Open,2025-01-06T10:00:00Z\n\
         A,Done,2025-01-08T10:00:00Z\n\
         A,Doing,2025-01-07T10:00:00Z\n\
         B,Open,2025-01-06T10:00:00Z\n\
         B,Open,2025-01-06T11:00:00Z\n\
         B,Open,2025-01-06T12:00:00Z\n\
         B,Doing,2025-01-06T13:00:00Z\n\
         C,Open,2025-01-06T10:00:00-05:00\n\
         D,Open,2025-01-06T10:00:00-05:00\n\
         D,Doing,2025-07-06T10:00:00-04:00\n",
    );
    let h = read_one(&p, &ReadOptions::default());
    let q = Quality {
        rows: 10,
        out_of_order: 1,
        duplicates: 2,
        single_status: 1,
        mixed_offsets: 1,
        outside_window: 0,
    };
    assert_eq!(h.quality, q);
    let a: Vec<&str> = h.items[0]
        .entries
        .iter()
        .map(|e| h.statuses[e.status as usize].as_str())
        .collect();
    assert_eq!(a, vec!["Open", "Doing", "Done"]);
    assert_eq!(
        h.items[1].entries[0].at,
        t0() + 10 * HOUR,
        "a collapsed run keeps its first entry"
    );
}

const HAND: &str = "workflow:
  - stage: dev
    queue: [Ready]
    active: [Doing]
  - stage: test
    queue: [To test]
    active: [Testing]
done: [Done]
not_delivered: [Cancelled]
blocked: [Blocked]
commitment: dev
";

// Proves the workflow file reads, maps roles, and writes back equal (also for
// the AEA workflow and odd names that need quoting).
#[test]
fn workflow_round_trip() {
    let w = Workflow::from_text("hand.yaml", HAND).unwrap();
    assert_eq!(w.role("Ready"), Role::Queue(0));
    assert_eq!(w.role("Testing"), Role::Active(1));
    assert_eq!(w.role("Blocked"), Role::Blocked);
    assert_eq!(w.role("Done"), Role::Done);
    assert_eq!(w.role("Cancelled"), Role::NotDelivered);
    assert_eq!(w.role("Elsewhere"), Role::Unmapped);
    assert_eq!(w.stage_index("test"), Some(1));
    assert_eq!(w.commitment.as_deref(), Some("dev"));
    assert_eq!(Workflow::from_text("again", &w.to_yaml()).unwrap(), w);
    let aea = Workflow::load(Path::new("scenarios/workflows/aea-jira.workflow.yaml")).unwrap();
    assert_eq!(Workflow::from_text("again", &aea.to_yaml()).unwrap(), aea);
    let mut odd = w.clone();
    odd.stages[0]
        .queue
        .push("Won't do: \"yes\" # no, [x]".into());
    assert_eq!(Workflow::from_text("odd", &odd.to_yaml()).unwrap(), odd);
}

// Proves workflow mistakes are errors at their file:line:column.
#[test]
fn workflow_errors() {
    let err = |text: &str| match Workflow::from_text("w.yaml", text) {
        Ok(w) => panic!("expected an error, got {w:?}"),
        Err(e) => {
            assert_eq!(e.exit_code(), 2);
            e.to_string()
        }
    };
    let twice = err(&HAND.replace("blocked: [Blocked]", "blocked: [Blocked, Doing]"));
    assert!(
        twice.starts_with("w.yaml:10:20: status `Doing` is listed twice"),
        "{twice}"
    );
    let commit = err(&HAND.replace("commitment: dev", "commitment: deb"));
    assert!(
        commit.starts_with("w.yaml:11:13: commitment `deb` is not a stage"),
        "{commit}"
    );
    assert!(commit.contains("did you mean `dev`"), "{commit}");
    let empty = err("workflow: []\ndone: [Done]\n");
    assert!(empty.contains("lists no stages"), "{empty}");
    let unknown = err(&HAND.replace("done:", "dne:"));
    assert!(unknown.starts_with("w.yaml:8:1:"), "{unknown}");
    let bare = err("workflow:\n  - stage: a\n");
    assert!(bare.contains("stage `a` lists no statuses"), "{bare}");
}

// Proves journeys on hand cases: queue/active/blocked split, rework, unmapped
// time as queue, not delivered, open (censored at the span's end), leaving done
// again, zero-length stays; all milliseconds computed by hand.
#[test]
fn journeys_hand_case() {
    let w = Workflow::from_text("hand.yaml", HAND).unwrap();
    let t = t0();
    let h_ = |x: i64| t + x * HOUR;
    let h = history(&[
        (
            "1",
            &[
                ("Ready", h_(0)),
                ("Doing", h_(2)),
                ("Blocked", h_(5)),
                ("Doing", h_(6)),
                ("To test", h_(8)),
                ("Testing", h_(9)),
                ("Doing", h_(10)),
                ("Testing", h_(11)),
                ("Done", h_(13)),
            ],
        ),
        (
            "2",
            &[
                ("Triage", h_(0)),
                ("Ready", h_(1)),
                ("Parked", h_(3)),
                ("Doing", h_(4)),
                ("Cancelled", h_(6)),
            ],
        ),
        ("3", &[("Ready", h_(2)), ("Doing", h_(3))]),
        ("4", &[("Triage", h_(0)), ("Done", h_(20))]),
        (
            "5",
            &[
                ("Ready", h_(0)),
                ("Doing", h_(1)),
                ("Done", h_(2)),
                ("Doing", h_(4)),
                ("Done", h_(5)),
            ],
        ),
        (
            "6",
            &[
                ("Ready", h_(0)),
                ("To test", t + 30_000),
                ("Testing", h_(1)),
                ("Done", h_(2)),
            ],
        ),
    ]);
    let j = journeys(&h, &w);
    assert_eq!(j.span, (t, h_(20)));
    assert_eq!(
        j.unmapped,
        vec![("Triage".to_string(), 2), ("Parked".to_string(), 1)]
    );
    assert_eq!(j.zero_length, vec![1, 0]);
    let items: Vec<u32> = j.journeys.iter().map(|x| x.item).collect();
    assert_eq!(items, vec![0, 1, 2, 4, 5], "item 4 never enters a stage");
    let v = |stage, entered, started, left: Option<Millis>, q, a, b, rework| Visit {
        stage,
        entered,
        started,
        left,
        queue: q,
        active: a,
        blocked: b,
        rework,
    };
    let j1 = &j.journeys[0];
    assert_eq!(j1.arrived, t);
    assert_eq!(j1.end, End::Delivered(h_(13)));
    assert_eq!(
        j1.visits,
        vec![
            v(
                0,
                h_(0),
                Some(h_(2)),
                Some(h_(8)),
                2 * HOUR,
                5 * HOUR,
                HOUR,
                false
            ),
            v(1, h_(8), Some(h_(9)), Some(h_(10)), HOUR, HOUR, 0, false),
            v(0, h_(10), Some(h_(10)), Some(h_(11)), 0, HOUR, 0, true),
            v(1, h_(11), Some(h_(11)), Some(h_(13)), 0, 2 * HOUR, 0, false),
        ]
    );
    let j2 = &j.journeys[1];
    assert_eq!((j2.arrived, j2.end), (h_(1), End::NotDelivered(h_(6))));
    assert_eq!(
        j2.visits,
        vec![v(
            0,
            h_(1),
            Some(h_(4)),
            Some(h_(6)),
            3 * HOUR,
            2 * HOUR,
            0,
            false
        )]
    );
    let j3 = &j.journeys[2];
    assert_eq!(j3.end, End::Open);
    assert_eq!(
        j3.visits,
        vec![v(0, h_(2), Some(h_(3)), None, HOUR, 17 * HOUR, 0, false)]
    );
    let j5 = &j.journeys[3];
    assert_eq!(j5.end, End::Delivered(h_(5)));
    assert_eq!(
        j5.visits,
        vec![v(
            0,
            h_(0),
            Some(h_(1)),
            Some(h_(5)),
            HOUR,
            2 * HOUR,
            2 * HOUR,
            false
        )]
    );
    let j6 = &j.journeys[4];
    assert_eq!(
        j6.visits[0],
        v(0, t, None, Some(t + 30_000), 30_000, 0, 0, false)
    );
    assert_eq!(
        j6.visits[1],
        v(
            1,
            t + 30_000,
            Some(h_(1)),
            Some(h_(2)),
            HOUR - 30_000,
            HOUR,
            0,
            false
        )
    );
}

// Proves inference orders stages by flow (not by first appearance), puts
// waiting statuses in the next stage's queue, and classifies done, not
// delivered and blocked by name; without a done-like name, the usual final
// status is done.
#[test]
fn infer_synthetic() {
    let d = |x: i64| t0() + x * DAY;
    let mut items: Vec<(String, Vec<(&str, Millis)>)> = vec![(
        "odd".into(),
        vec![
            ("In Progress", d(0)),
            ("Blocked", d(1)),
            ("Code Review", d(2)),
        ],
    )];
    for i in 0..20 {
        let mut path = vec![("Backlog", d(i))];
        if i % 3 != 0 {
            path.push(("Selected for Development", d(i) + HOUR));
        }
        path.push(("In Progress", d(i) + 2 * HOUR));
        if i % 4 == 0 {
            path.push(("Blocked", d(i) + 3 * HOUR));
            path.push(("In Progress", d(i) + 4 * HOUR));
        }
        if i % 5 == 0 {
            path.push(("Won't Do", d(i) + 5 * HOUR));
        } else {
            path.push(("Code Review", d(i) + 5 * HOUR));
            path.push(("Ready for QA", d(i) + 6 * HOUR));
            path.push(("Testing", d(i) + 7 * HOUR));
            path.push(("Done", d(i) + 8 * HOUR));
        }
        items.push((format!("S-{i}"), path));
    }
    let refs: Vec<(&str, &[(&str, Millis)])> = items
        .iter()
        .map(|(k, p)| (k.as_str(), p.as_slice()))
        .collect();
    let w = infer(&history(&refs));
    let want = "workflow:
  - stage: \"in_progress\"
    queue: [\"Backlog\", \"Selected for Development\"]
    active: [\"In Progress\"]
  - stage: \"code_review\"
    queue: []
    active: [\"Code Review\"]
  - stage: \"testing\"
    queue: [\"Ready for QA\"]
    active: [\"Testing\"]
done: [\"Done\"]
not_delivered: [\"Won't Do\"]
blocked: [\"Blocked\"]
";
    assert_eq!(w.to_yaml(), want);
    let live = history(&[
        ("1", &[("Backlog", d(0)), ("Build", d(1)), ("Live", d(2))]),
        ("2", &[("Backlog", d(0)), ("Build", d(1)), ("Live", d(3))]),
        ("3", &[("Backlog", d(0)), ("Build", d(2))]),
    ]);
    let w = infer(&live);
    assert_eq!(w.done, vec!["Live"]);
    assert_eq!(w.stages.len(), 1);
    assert_eq!(w.stages[0].queue, vec!["Backlog"]);
}

fn aea() -> History {
    read_one(
        Path::new("scenarios/data/aea-jira/transitions.csv"),
        &ReadOptions::default(),
    )
}

fn median_days(mut v: Vec<Millis>) -> f64 {
    v.sort_unstable();
    if v.is_empty() {
        f64::NAN
    } else {
        v[v.len() / 2] as f64 / DAY as f64
    }
}

// Proves the real AEA history reads whole (6,403 rows, 649 items, 21 statuses
// per its SOURCE.md), maps fully under its workflow, and its inferred workflow
// is sensible; prints the journey summary quoted in the report.
#[test]
fn aea_history() {
    let h = aea();
    assert_eq!(h.quality.rows, 6403);
    assert_eq!(h.items.len(), 649);
    assert_eq!(h.statuses.len(), 21);
    assert_eq!(
        h.quality.duplicates, 0,
        "SOURCE.md: repeated statuses were collapsed"
    );
    assert!(!h.undated);
    let w = Workflow::load(Path::new("scenarios/workflows/aea-jira.workflow.yaml")).unwrap();
    let j = journeys(&h, &w);
    assert!(j.unmapped.is_empty(), "{:?}", j.unmapped);
    let delivered = j
        .journeys
        .iter()
        .filter(|x| matches!(x.end, End::Delivered(_)))
        .count();
    // AEAREP-7213's only row is `Done`: it never enters a stage, so has no journey.
    assert_eq!(j.journeys.len(), 648);
    println!("quality {:?}", h.quality);
    println!(
        "journeys {} delivered {delivered} zero_length {:?}",
        j.journeys.len(),
        j.zero_length
    );
    for (s, st) in w.stages.iter().enumerate() {
        let vs: Vec<&Visit> = j
            .journeys
            .iter()
            .flat_map(|x| &x.visits)
            .filter(|v| v.stage as usize == s)
            .collect();
        let closed: Vec<&&Visit> = vs.iter().filter(|v| v.left.is_some()).collect();
        println!(
            "{}: visits {} (closed {}, rework {}) median queue {:.2} d active {:.2} d blocked>0 {}",
            st.stage,
            vs.len(),
            closed.len(),
            vs.iter().filter(|v| v.rework).count(),
            median_days(closed.iter().map(|v| v.queue).collect()),
            median_days(closed.iter().map(|v| v.active).collect()),
            vs.iter().filter(|v| v.blocked > 0).count(),
        );
    }
    let inferred = infer(&h);
    println!("{}", inferred.to_yaml());
    assert_eq!(inferred.done, vec!["Done"]);
    assert!(inferred.blocked.contains(&"Blocked".to_string()));
    let open = inferred.role("Open");
    let progress = inferred.role("In Progress");
    let stage = |r: Role| match r {
        Role::Queue(s) | Role::Active(s) => s,
        _ => u32::MAX,
    };
    assert!(
        stage(open) <= stage(progress)
            && stage(progress) < stage(inferred.role("Pending publication"))
    );
    assert_eq!(
        Workflow::from_text("inferred", &inferred.to_yaml()).unwrap(),
        inferred
    );
}

// Proves a Jira issue that never moved enters `fields.status.name` at
// `fields.created`, and a wide CSV's unreadable cell names its line and column.
#[test]
fn jira_unmoved_and_wide_bad_cell() {
    let dir = tempfile::tempdir().unwrap();
    let j = write(
        dir.path(),
        "one.json",
        r#"{"issues": [{"key": "N-1", "fields": {"created": "2025-01-06T10:00:00Z", "status": {"name": "Backlog"}}}]}"#,
    );
    let h = read_one(&j, &ReadOptions::default());
    assert_eq!(h.statuses, vec!["Backlog"]);
    assert_eq!(
        h.items[0].entries,
        vec![Entry {
            status: 0,
            at: t0() + 10 * HOUR
        }]
    );
    assert_eq!(h.items[0].kind, None);
    assert_eq!(h.quality.single_status, 1);
    let wide = write(
        dir.path(),
        "wide.csv",
        "key,Open,Doing\nA,2025-01-06,2025-01-07\nB,2025-01-06,2025-01-08\nC,2025-01-06,soon\n",
    );
    match read_err(&wide, &ReadOptions::default()) {
        Error::Input {
            line: 4, message, ..
        } => assert!(
            message.contains("`Doing`") && message.contains("`soon`"),
            "{message}"
        ),
        e => panic!("{e}"),
    }
}
