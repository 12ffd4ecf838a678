//! The command line: argument definitions and what each command does.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::error::Error;
use crate::montecarlo::{Settings, simulate};
use crate::{Scenario, report, variants};

/// Simulate a software-delivery value stream and see how lead time, flow
/// efficiency and throughput change — with honest uncertainty.
#[derive(Debug, Parser)]
#[command(name = "flowcast", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and print lead time, flow efficiency, throughput and the bottleneck.
    Run(RunArgs),
    /// Forecast delivery dates for a backlog: when will N items be done, and how many by a date.
    Forecast(ForecastArgs),
    /// Validate a scenario and print it back with each stage's expected load.
    Check {
        /// The scenario file (YAML).
        scenario: PathBuf,
    },
    /// Write a commented starter scenario (never over an existing file).
    New {
        /// File to write; `.yaml` is added when missing.
        #[arg(default_value = "scenario.yaml")]
        name: String,
    },
    /// Print a shell completion script, e.g. `flowcast completions bash > ~/.local/share/bash-completion/completions/flowcast`.
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

/// How many runs, from which seed, on how many threads (`run` and `forecast`).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct SimArgs {
    /// Replications (default: the file's simulation.runs, else 1000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub runs: Option<u64>,
    /// Seed for reproducible output (default: the file's seed, else 1).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores); the output does not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
}

/// Where to write a report folder (`run` and `forecast`).
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Write a report folder: report.html, report.md, summary.json and the charts as SVG.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Replace the --report folder even if it is not empty and not a flowcast report.
    #[arg(long)]
    pub force: bool,
}

impl ReportArgs {
    /// Refuses, before anything is simulated, a --report folder that would be
    /// refused after: a file, or a foreign non-empty folder without --force.
    pub fn check_before_running(&self) -> Result<(), Error> {
        let Some(dir) = &self.report else {
            return Ok(());
        };
        if dir.is_file() {
            return Err(Error::Usage(format!(
                "{} is a file, not a folder; choose a folder name for --report",
                dir.display()
            )));
        }
        if !self.force && !report::folder::replaceable(dir)? {
            return Err(Error::Usage(format!(
                "{} is not empty and is not a flowcast report; nothing was run or written. \
                 Choose another folder for --report, or pass --force to replace it",
                dir.display()
            )));
        }
        Ok(())
    }
}

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
    /// The report folder.
    #[command(flatten)]
    pub report: ReportArgs,
    /// No progress bar and no table (warnings and errors still go to stderr).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `flowcast forecast`.
#[derive(Debug, clap::Args)]
pub struct ForecastArgs {
    /// The scenario file (YAML); optional with --history.
    pub scenario: Option<PathBuf>,
    /// A CSV of past delivery dates (column `date`, a Jira-style `resolved`, or the first).
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// Resample history only from these dates: FROM..TO (either side may be left out).
    #[arg(long, value_name = "FROM..TO")]
    pub window: Option<String>,
    /// Items in the backlog (default: the scenario's `arrivals: {backlog: N}`).
    #[arg(long, value_name = "N")]
    pub backlog: Option<u64>,
    /// Items of the backlog already done (a forecast re-run mid-project).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub done: u64,
    /// Also answer "how many items by this date" (ISO date, e.g. 2027-02-01).
    #[arg(long, value_name = "DATE")]
    pub by: Option<String>,
    /// Day 1 of the forecast (default: the scenario's `start`; with history alone, the
    /// day after the last delivery).
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// Runs, seed and threads.
    #[command(flatten)]
    pub sim: SimArgs,
    /// A what-if variant to forecast beside the scenario's interventions: `PATH=VALUE`,
    /// or several changes as `A=1,B=2` (repeatable), as in `run`.
    #[arg(long = "what-if", value_name = "PATH=VALUE")]
    pub what_if: Vec<String>,
    /// Write the forecast as JSON to FILE, or to standard output with `-`.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// The report folder.
    #[command(flatten)]
    pub report: ReportArgs,
    /// No progress bar and no table.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs a parsed command line; returns the exit code.
pub fn execute(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Run(args) => run(args),
        Command::Forecast(args) => crate::forecast_cmd::run(args),
        Command::Check { scenario } => check(&scenario),
        Command::New { name } => new(&name),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "flowcast",
                &mut out,
            );
            write_stdout(&String::from_utf8_lossy(&out))?;
            Ok(0)
        }
    }
}

fn run(args: RunArgs) -> Result<u8, Error> {
    let scenario = Scenario::load(&args.scenario)?;
    args.report.check_before_running()?;
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
        crate::sensitivity::probes(model)
    } else {
        Vec::new()
    };
    let sens_runs = args.sim.runs.unwrap_or(runs.min(200));
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let total = runs + if args.sensitivity { sens_runs } else { 0 };
    let bar = if show_progress {
        let b = indicatif::ProgressBar::new(total);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} simulating {pos}/{len} runs [{bar:30}] {eta} left",
            )
            .expect("the progress template is valid")
            .progress_chars("=> "),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let outcome = simulate(&variants, &settings, &|| bar.inc(1))?;
    let effects = if args.sensitivity {
        let sv = crate::sensitivity::variants(model, &probes);
        let s_settings = Settings {
            runs: sens_runs,
            ..settings.clone()
        };
        let so = simulate(&sv, &s_settings, &|| bar.inc(1))?;
        Some(crate::sensitivity::effects(&probes, &so))
    } else {
        None
    };
    bar.finish_and_clear();

    if let Some(dir) = &args.report.report {
        let (run, trace) =
            crate::montecarlo::representative_trace(model, &outcome.per_run[0], seed)?;
        let json = report::json(model, runs, seed, &warnings, &outcome, effects.as_deref());
        let doc = report::document::build(&report::document::Inputs {
            model,
            outcome: &outcome,
            runs,
            seed,
            warnings: &warnings,
            trace: (run, &trace),
            sensitivity: effects.as_deref(),
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
    }

    let json_to_stdout = args.json.as_deref() == Some("-");
    if let Some(target) = &args.json {
        let text = report::json(model, runs, seed, &warnings, &outcome, effects.as_deref());
        if json_to_stdout {
            write_stdout(&text)?;
        } else {
            write_file(Path::new(target), &text)?;
        }
    }
    if !args.quiet {
        let mut table = report::terminal(model, runs, seed, &outcome);
        if let Some(e) = &effects {
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
    Ok(0)
}

fn check(path: &Path) -> Result<u8, Error> {
    let scenario = Scenario::load(path)?;
    let interventions = variants::from_file(&scenario)?;
    let built = variants::build(&scenario, &interventions)?;
    let mut text = report::check(&scenario.model);
    if !interventions.is_empty() {
        text.push_str("\nInterventions (each runs as a variant beside the baseline):\n");
        for iv in &interventions {
            let changes: Vec<String> = iv.changes.iter().map(ToString::to_string).collect();
            let mut line = format!("  {}: {}", iv.name, changes.join("; "));
            if let Some(c) = iv.cost {
                line.push_str(&format!(" · cost {}", report::money(c)));
            }
            if let Some(c) = iv.cost_per_year {
                line.push_str(&format!(" · {} a year", report::money(c)));
            }
            text.push_str(&line);
            text.push('\n');
        }
    }
    let warnings = overload_warnings(&built);
    for w in &warnings {
        text.push_str(&format!("\nwarning: {w}\n"));
    }
    if warnings.is_empty() {
        text.push_str(&format!("\n{} is valid.\n", path.display()));
    }
    write_stdout(&text)?;
    Ok(0)
}

/// Overload warnings of every variant, naming the intervention that causes them.
fn overload_warnings(variants: &[crate::montecarlo::Variant]) -> Vec<String> {
    let mut out = Vec::new();
    for v in variants {
        for w in v.model.overload_warnings() {
            out.push(if v.name == "baseline" {
                w
            } else {
                format!("in `{}`: {w}", v.name)
            });
        }
    }
    out
}

/// The starter scenario `flowcast new` writes.
pub const TEMPLATE: &str = include_str!("template.yaml");

fn new(name: &str) -> Result<u8, Error> {
    let file = if name.ends_with(".yaml") || name.ends_with(".yml") {
        name.to_string()
    } else {
        format!("{name}.yaml")
    };
    let path = Path::new(&file);
    let stem = path
        .file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
    let text = TEMPLATE.replacen("name: My value stream", &format!("name: {stem}"), 1);
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Usage(format!(
                "{file} already exists; flowcast never overwrites a scenario. Choose another name: `flowcast new NAME`"
            )));
        }
        Err(source) => {
            return Err(Error::Io {
                action: "create",
                path: path.to_path_buf(),
                source,
            });
        }
    };
    f.write_all(text.as_bytes()).map_err(|source| Error::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    })?;
    println!("Wrote {file}. Next: `flowcast check {file}`, then `flowcast run {file}`.");
    Ok(0)
}

fn write_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Io {
            action: "write",
            path: PathBuf::from("<stdout>"),
            source,
        }),
    }
}

fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|source| Error::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    })
}
