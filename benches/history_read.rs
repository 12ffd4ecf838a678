//! Reading a delivery history is linear: a 1,000,000-row Jira-style export
//! (`key,resolution,resolved` with Jira's `20/Jul/22 20:51` dates, one row in
//! ten not delivered) must read in a few seconds.
//!
//! `cargo bench --bench history_read` builds the text once and prints the time
//! of one full `History::read_bytes` with a `--where` filter (rows per second
//! as `item/s`).

use divan::counter::ItemsCount;
use flowcast::analysis::forecast::{Filter, History, HistoryOptions};

const ROWS: usize = 1_000_000;

fn main() {
    divan::main();
}

/// The export: about 137 deliveries a day from 2020-01-01, every tenth row
/// unresolved, every fifth a Duplicate.
fn export() -> Vec<u8> {
    let mut text = String::from("key,resolution,resolved\n");
    let first = jiff::civil::date(2020, 1, 1);
    for i in 0..ROWS {
        let day = first
            .checked_add(jiff::Span::new().days((i / 137) as i64))
            .expect("dates within range");
        let resolution = if i % 5 == 0 { "Duplicate" } else { "Fixed" };
        if i % 10 == 3 {
            text.push_str(&format!("FC-{i},,\n"));
        } else {
            let when = day.strftime("%d/%b/%y");
            text.push_str(&format!(
                "FC-{i},{resolution},{when} {:02}:{:02}\n",
                i % 24,
                i % 60
            ));
        }
    }
    text.into_bytes()
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn read_one_million_rows(bencher: divan::Bencher) {
    let bytes = export();
    let opts = HistoryOptions {
        filters: vec![Filter::parse("resolution=Fixed,").expect("a filter")],
        ..HistoryOptions::default()
    };
    bencher.counter(ItemsCount::new(ROWS)).bench(|| {
        let (h, summary) = History::read_bytes(&bytes, &opts).expect("the history reads");
        assert_eq!(summary.rows, ROWS as u64);
        h.deliveries()
    });
}
