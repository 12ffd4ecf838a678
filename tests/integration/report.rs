//! Report folders: charts that parse, self-contained HTML, safe writes, and
//! byte-stable output.

use std::path::Path;

use predicates::prelude::*;

use crate::common::{flowcast, temp_file};

const SMALL: &str = "name: Small report stream
time_unit: days
seed: 9
arrivals: {rate: 0.9, mix: {feature: 0.7, defect: 0.3}}
commitment: develop
stages:
  - {name: analyse, workers: 1, work: {dist: triangular, min: 0.2, mode: 0.5, max: 1.5}}
  - {name: develop, workers: 2, work: {feature: {dist: lognormal, mean: 1.5, cv: 0.8}, defect: 0.5}, handoff_batch: 3}
  - {name: review, workers: 1, wait: 0.5, work: {dist: exponential, mean: 0.3}, rework: {probability: 0.2, to: develop, effort: 0.5}}
  - {name: release, schedule: {every: 1w}}
interventions:
  - {name: no batch, set: {develop.handoff_batch: 1}}
  - {name: daily release, set: {release.schedule.every: 1d}, cost: 20000}
economics: {cost_of_delay: 500, currency: EUR}
simulation: {runs: 30, items: 600, warmup: 60}
";

fn write_report(yaml: &str, dir: &Path) -> std::process::Output {
    // The scenario sits beside the report folder, under one name, so two reports of it
    // are comparable byte for byte (the report names its scenario file).
    let path = dir.with_extension("yaml");
    std::fs::write(&path, yaml).expect("write the scenario");
    flowcast()
        .current_dir(dir.parent().expect("a parent folder"))
        .arg("run")
        .arg(path.file_name().expect("a file name"))
        .arg("--report")
        .arg(dir)
        .arg("--quiet")
        .output()
        .expect("flowcast runs")
}

// Proves every chart is well-formed XML containing its title, and the report has every
// file SPEC §5 asks for.
#[test]
fn charts_parse_and_carry_their_titles() {
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("report");
    let o = write_report(SMALL, &dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["report.html", "report.md", "summary.json"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let titles = [
        ("lead-time.svg", "lead-time distribution"),
        ("value-stream-map.svg", "Value stream map"),
        ("where-time-goes.svg", "Where the time goes"),
        ("cumulative-flow.svg", "Cumulative flow"),
        ("wip.svg", "Work in progress over time"),
    ];
    for (file, title) in titles {
        let text = std::fs::read_to_string(dir.join(file)).expect(file);
        let doc =
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file} is not XML: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        let all_text: String = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(all_text.contains(title), "{file} lacks its title `{title}`");
        let md = std::fs::read_to_string(dir.join("report.md")).expect("report.md");
        assert!(
            md.contains(&format!("]({file})")),
            "report.md does not show {file}"
        );
    }
    // The value stream map shows every stage; the legend of the CDF every variant.
    let vsm = std::fs::read_to_string(dir.join("value-stream-map.svg")).expect("vsm");
    for stage in [
        "analyse",
        "develop",
        "review",
        "release",
        "%C&amp;A 80%",
        "handoff batch 3",
    ] {
        assert!(vsm.contains(stage), "value stream map lacks {stage}");
    }
    let cdf = std::fs::read_to_string(dir.join("lead-time.svg")).expect("cdf");
    for v in ["baseline", "no batch", "daily release", "p85"] {
        assert!(cdf.contains(v), "lead-time chart lacks {v}");
    }
}

// Proves report.html is self-contained: no scripts, no stylesheets or images fetched,
// no links out; the only URL is the SVG namespace.
#[test]
fn html_has_no_external_references() {
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("r");
    assert!(write_report(SMALL, &dir).status.success());
    let html = std::fs::read_to_string(dir.join("report.html")).expect("html");
    for bad in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(bad), "report.html contains `{bad}`");
    }
    let stripped = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(
        !stripped.contains("http://") && !stripped.contains("https://"),
        "a URL in report.html"
    );
    // The words, the tables and the appendix are there.
    for s in [
        "Comparison",
        "What it is worth",
        "Assumptions",
        "Appendix",
        "Little&#39;s law",
        "“no batch”",
    ] {
        assert!(html.contains(s), "report.html lacks {s}");
    }
    assert!(
        html.contains("name: Small report stream"),
        "the scenario appendix is missing"
    );
}

// Proves summary.json is exactly what --json prints for the same run.
#[test]
fn summary_json_equals_json_output() {
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("r");
    let (_d, path) = temp_file("small.yaml", SMALL);
    let o = flowcast()
        .arg("run")
        .arg(&path)
        .arg("--report")
        .arg(&dir)
        .args(["--json", "-", "--quiet"])
        .output()
        .expect("runs");
    assert!(o.status.success());
    let summary = std::fs::read(dir.join("summary.json")).expect("summary.json");
    assert_eq!(summary, o.stdout);
}

// Proves a report is byte-stable: the same scenario and seed give identical files, and
// one small report's summary.json matches the committed golden copy
// (regenerate with `UPDATE_GOLDEN=1 cargo test --release golden` after an intended change).
#[test]
fn golden_summary_is_byte_stable() {
    let out = tempfile::tempdir().expect("temp dir");
    let (a, b) = (
        out.path().join("x").join("rep"),
        out.path().join("y").join("rep"),
    );
    std::fs::create_dir_all(a.parent().expect("parent")).expect("mkdir");
    std::fs::create_dir_all(b.parent().expect("parent")).expect("mkdir");
    assert!(write_report(SMALL, &a).status.success());
    assert!(write_report(SMALL, &b).status.success());
    for f in [
        "report.html",
        "report.md",
        "summary.json",
        "lead-time.svg",
        "cumulative-flow.svg",
    ] {
        assert!(
            std::fs::read(a.join(f)).expect("a") == std::fs::read(b.join(f)).expect("b"),
            "{f} differs between two identical runs"
        );
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/small-summary.json");
    let now = std::fs::read_to_string(a.join("summary.json")).expect("summary");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &now).expect("write golden");
    }
    let want = std::fs::read_to_string(&golden).expect("tests/golden/small-summary.json exists");
    assert!(
        now == want,
        "summary.json changed; if intended, regenerate the golden file"
    );
}

// Proves a folder that is not a flowcast report is never replaced without --force (and
// nothing runs), and that --force and an earlier report are replaced whole.
#[test]
fn refuses_foreign_folders_and_replaces_reports() {
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("mine");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "my notes").expect("write");
    let (_d, path) = temp_file("small.yaml", SMALL);
    flowcast()
        .arg("run")
        .arg(&path)
        .arg("--report")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is not empty and is not a flowcast report",
        ))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).expect("kept"),
        "my notes"
    );
    // An earlier report is replaced without asking; stale files go with it.
    let rep = out.path().join("rep");
    assert!(write_report(SMALL, &rep).status.success());
    std::fs::write(rep.join("stale.svg"), "<svg/>").expect("write");
    assert!(write_report(SMALL, &rep).status.success());
    assert!(
        !rep.join("stale.svg").exists(),
        "the old report was not replaced whole"
    );
    // --force replaces a foreign folder.
    flowcast()
        .arg("run")
        .arg(&path)
        .arg("--report")
        .arg(&dir)
        .args(["--force", "--quiet"])
        .assert()
        .success();
    assert!(dir.join("report.html").is_file() && !dir.join("notes.txt").exists());
    // No temporary folders are left beside the report.
    let leftovers: Vec<String> = std::fs::read_dir(out.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.contains(".writing") || n.contains(".old"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

// Proves a run that fails leaves the previous report untouched (the new one is only
// moved into place once complete).
#[test]
fn failed_run_keeps_the_old_report() {
    let out = tempfile::tempdir().expect("temp dir");
    let rep = out.path().join("rep");
    assert!(write_report(SMALL, &rep).status.success());
    let before = std::fs::read(rep.join("summary.json")).expect("summary");
    let (_d, path) = temp_file("small.yaml", SMALL);
    flowcast()
        .arg("run")
        .arg(&path)
        .arg("--report")
        .arg(&rep)
        .args(["--what-if", "develop.wokers=3"])
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read(rep.join("summary.json")).expect("still there"),
        before
    );
}
