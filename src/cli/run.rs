//! `flowcast run`: simulate a scenario and its variants, print and write the results.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::analysis::sensitivity;
use crate::error::Error;
use crate::report;
use crate::scenario::Scenario;
use crate::scenario::interventions as variants;
use crate::sim::montecarlo::{self, Settings, simulate};

use super::args::{ReportArgs, SimArgs};
use super::check::overload_warnings;
use super::output::{check_outputs, write_file, write_stdout};

/// Arguments of `flowcast run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (YAML).
    pub scenario: PathBuf,
    /// Runs, seed and threads.
    #[command(flatten)]
    pub sim: SimArgs,
    /// A what-if variant: `PATH=VALUE`, or several changes as `A=1,B=2` (repeatable).
    /// Example: --what-if 'review.workers=2' --what-if 'release.schedule.every=1w'
    #[arg(long = "what-if", value_name = "PATH=VALUE")]
    pub what_if: Vec<String>,
    /// Also vary each numeric parameter of the baseline by ±20%, one at a time, and
    /// rank them by their effect on mean lead time (runs: --runs, else at most 200).
    #[arg(long)]
    pub sensitivity: bool,
    /// Write the results as JSON to FILE, or to standard output with `-`.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// Write the event log of run 1 of the baseline to FILE as CSV (key, type,
    /// status, timestamp: one row per entry into a status); an existing FILE is
    /// replaced only with --force.
    #[arg(long, value_name = "FILE.csv")]
    pub events: Option<PathBuf>,
    /// The report folder.
    #[command(flatten)]
    pub report: ReportArgs,
    /// No progress bar and no table (warnings and errors still go to stderr).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `flowcast run`.
///
/// Long on purpose: the command's steps in order (read, refuse what cannot
/// finish, simulate, write); each output has its own function.
pub fn run(args: RunArgs) -> Result<u8, Error> {
    let scenario = Scenario::load(&args.scenario)?;
    check_outputs(args.json.as_deref(), &args.report)?;
    super::events::check_target(args.events.as_deref(), args.report.force)?;
    let model = &scenario.model;
    let runs = args.sim.runs.unwrap_or(model.simulation.runs);
    let seed = args.sim.seed.or(model.seed).unwrap_or(1);
    let mut interventions = variants::from_file(&scenario)?;
    for w in &args.what_if {
        interventions.push(variants::parse_what_if(w)?);
    }
    let variants = variants::build(&scenario, &interventions)?;
    let warnings = overload_warnings(&variants);
    let mut err = std::io::stderr().lock();
    for w in &warnings {
        let _ = writeln!(err, "warning: {w}");
    }
    drop(err);
    let settings = Settings {
        runs,
        seed,
        threads: args.sim.threads.map(|t| t as usize),
    };
    let probes = if args.sensitivity {
        sensitivity::probes(model)
    } else {
        Vec::new()
    };
    let sens_runs = args.sim.runs.unwrap_or(runs.min(200));
    let sens_variants = if args.sensitivity {
        sensitivity::variants(model, &probes)
    } else {
        Vec::new()
    };
    // Refuse what could not finish before running anything.
    let events = |vs: &[crate::model::Variant]| -> f64 {
        vs.iter()
            .map(|v| montecarlo::events_per_run(&v.model, v.model.items_per_run()))
            .sum()
    };
    montecarlo::check_duration(events(&variants), runs, settings.threads)?;
    montecarlo::check_duration(events(&sens_variants), sens_runs, settings.threads)?;
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let total = runs + if args.sensitivity { sens_runs } else { 0 };
    let bar = progress_bar(show_progress, total);
    let outcome = simulate(&variants, &settings, &|| bar.inc(1))?;
    let effects = if args.sensitivity {
        let sv = sens_variants;
        let s_settings = Settings {
            runs: sens_runs,
            ..settings.clone()
        };
        let so = simulate(&sv, &s_settings, &|| bar.inc(1))?;
        Some(sensitivity::effects(&probes, &so))
    } else {
        None
    };
    bar.finish_and_clear();

    let results = Results {
        runs,
        seed,
        warnings: &warnings,
        outcome: &outcome,
        effects: effects.as_deref(),
    };
    if let Some(dir) = &args.report.report {
        write_report(dir, &scenario, &results, &args)?;
    }

    if let Some(path) = &args.events {
        super::events::write(model, seed, path, args.report.force, args.quiet)?;
    }

    print_results(model, &results, sens_runs, &args)?;
    Ok(0)
}

/// A progress bar on stderr, or a hidden one.
fn progress_bar(show: bool, total: u64) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let b = indicatif::ProgressBar::new(total);
    b.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} simulating {pos}/{len} runs [{bar:30}] {eta} left",
        )
        .expect("the progress template is valid")
        .progress_chars("=> "),
    );
    b
}

/// What a run produced, for the outputs.
struct Results<'a> {
    runs: u64,
    seed: u64,
    warnings: &'a [String],
    outcome: &'a crate::sim::results::Outcome,
    effects: Option<&'a [sensitivity::Effect]>,
}

/// Writes the `--report` folder.
fn write_report(dir: &Path, scenario: &Scenario, r: &Results, args: &RunArgs) -> Result<(), Error> {
    let model = &scenario.model;
    let (runs, seed, warnings, outcome) = (r.runs, r.seed, r.warnings, r.outcome);
    let (run, trace) = montecarlo::representative_trace(model, &outcome.baseline_lead_means, seed)?;
    let json = report::json(model, runs, seed, warnings, outcome, r.effects);
    let doc = report::document::build(&report::document::Inputs {
        model,
        outcome,
        runs,
        seed,
        warnings,
        trace: (run, &trace),
        sensitivity: r.effects,
        scenario: (&scenario.source.name, &scenario.source.text),
    });
    let mut files = vec![
        (
            "report.html".to_string(),
            report::html::render(&doc).into_bytes(),
        ),
        (
            "report.md".to_string(),
            report::markdown::render(&doc).into_bytes(),
        ),
        ("summary.json".to_string(), json.into_bytes()),
    ];
    files.extend(
        doc.charts
            .iter()
            .map(|c| (c.file.to_string(), c.svg.clone().into_bytes())),
    );
    report::folder::write(dir, &files, args.report.force)?;
    if !args.quiet {
        eprintln!("Report written to {}/report.html", dir.display());
    }
    Ok(())
}

/// `--json` and the terminal table.
fn print_results(
    model: &crate::model::Model,
    r: &Results,
    sens_runs: u64,
    args: &RunArgs,
) -> Result<(), Error> {
    let (runs, seed, outcome) = (r.runs, r.seed, r.outcome);
    let json_to_stdout = args.json.as_deref() == Some("-");
    if let Some(target) = &args.json {
        let text = report::json(model, runs, seed, r.warnings, outcome, r.effects);
        if json_to_stdout {
            write_stdout(&text)?;
        } else {
            write_file(Path::new(target), &text)?;
        }
    }
    if !args.quiet {
        let mut table = report::terminal(model, runs, seed, outcome);
        if let Some(e) = r.effects {
            table.push_str(&report::sensitivity(model, sens_runs, e));
        }
        if json_to_stdout {
            eprint!("{table}");
        } else {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            write_stdout(&if color {
                report::colorize(&table)
            } else {
                table
            })?;
        }
    }
    Ok(())
}
