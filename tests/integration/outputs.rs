//! Output paths are checked before anything is simulated: a `--json` file in a
//! missing folder, a `--report` folder under a file, or the current folder as a
//! report are refused at once with exit 2, for `run` and `forecast`.

use predicates::prelude::*;

use crate::common::{flowcast, temp_file};

/// A million runs of this take many minutes: a path error reported after simulating
/// would make these tests hang, not pass.
const SLOW_RUN: &str = "name: slow\narrivals: {rate: 0.5}\nsimulation: {runs: 1000000, items: 2000}\nstages:\n  - {name: a, workers: 1, work: {dist: exponential, mean: 1}}\n";
const SLOW_FORECAST: &str = "name: slow\ntime_unit: days\nstart: 2027-01-04\narrivals: {backlog: 2000}\nsimulation: {runs: 1000000}\nstages:\n  - {name: a, workers: 1, work: {dist: exponential, mean: 1}}\n";

/// Runs `command` on `yaml` in a fresh folder with `args` (relative to it) and
/// asserts exit 2 with a message containing `says`, and that nothing was written.
fn refused(command: &str, yaml: &str, args: &[&str], says: &str) {
    let (dir, path) = temp_file("s.yaml", yaml);
    std::fs::write(dir.path().join("afile"), "not a folder").expect("write afile");
    flowcast()
        .current_dir(dir.path())
        .arg(command)
        .arg(&path)
        .args(args)
        .args(["--quiet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(says))
        .stderr(predicate::str::contains("nothing was run"));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["afile", "s.yaml"],
        "{command} {args:?} wrote something"
    );
}

// Proves `--json missing/dir/x.json` is refused before running, naming the missing folder.
#[test]
fn json_in_a_missing_folder_is_refused_before_running() {
    for (cmd, yaml) in [("run", SLOW_RUN), ("forecast", SLOW_FORECAST)] {
        refused(
            cmd,
            yaml,
            &["--json", "missing/dir/x.json"],
            "the folder missing/dir does not exist",
        );
    }
}

// Proves `--report afile/sub` (a folder under a file) is refused before running.
#[test]
fn report_under_a_file_is_refused_before_running() {
    for (cmd, yaml) in [("run", SLOW_RUN), ("forecast", SLOW_FORECAST)] {
        refused(
            cmd,
            yaml,
            &["--report", "afile/sub"],
            "afile is a file, not a folder",
        );
    }
}

// Proves `--report .` (the current folder, which is not a flowcast report) is refused
// before running, and so are `..` and `./`.
#[test]
fn report_in_the_current_folder_is_refused_before_running() {
    for (cmd, yaml) in [("run", SLOW_RUN), ("forecast", SLOW_FORECAST)] {
        for dir in [".", "./", ".."] {
            refused(cmd, yaml, &["--report", dir], "is not a folder of its own");
        }
    }
}
