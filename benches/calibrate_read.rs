//! Reading a status history is linear: a 1,000,000-row long CSV (100,000 items
//! × 10 statuses, ISO 8601 timestamps with an offset) must read in a few seconds.
//!
//! `cargo bench --bench calibrate_read` writes the file once into a temporary
//! folder and prints the time of one full `read` (rows per second as `item/s`).

use std::io::Write;
use std::path::PathBuf;

use divan::counter::ItemsCount;
use flowcast::analysis::calibrate::{ReadOptions, read};

const ITEMS: usize = 100_000;
const STATUSES: [&str; 10] = [
    "Open",
    "Ready",
    "In Progress",
    "In Review",
    "Ready for QA",
    "Testing",
    "Blocked",
    "Testing",
    "Ready to release",
    "Done",
];

fn main() {
    divan::main();
}

/// Writes the 1,000,000-row file (interleaved items, as trackers export them).
fn history_file(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("history.csv");
    let file = std::fs::File::create(&path).expect("temporary file");
    let mut w = std::io::BufWriter::new(file);
    writeln!(w, "key,type,status,timestamp").expect("write");
    for (step, status) in STATUSES.iter().enumerate() {
        for i in 0..ITEMS {
            let minutes = i * 7 + step * 600 + (i * 31 + step * 17) % 300;
            let (day, rest) = (minutes / 1440, minutes % 1440);
            let date = jiff::civil::date(2024, 1, 1)
                .checked_add(jiff::Span::new().days(day as i64))
                .expect("date in range");
            writeln!(
                w,
                "FC-{i},{},{},{date}T{:02}:{:02}:{:02}.123-05:00",
                if i % 3 == 0 { "Bug" } else { "Story" },
                status,
                rest / 60,
                rest % 60,
                i % 60
            )
            .expect("write");
        }
    }
    w.flush().expect("write");
    path
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn read_one_million_rows(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = history_file(dir.path());
    let paths = vec![path];
    bencher
        .counter(ItemsCount::new(ITEMS * STATUSES.len()))
        .bench(|| {
            let h = read(&paths, &ReadOptions::default()).expect("the history reads");
            assert_eq!(h.quality.rows, ITEMS * STATUSES.len());
            h.items.len()
        });
}
