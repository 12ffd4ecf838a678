//! `flowcast invest`: which combination of the file's interventions to fund
//! for a budget, raced on common random numbers.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::analysis::invest::{self, Candidate, Plan};
use crate::error::Error;
use crate::report;
use crate::scenario::Scenario;
use crate::scenario::combine;
use crate::scenario::interventions as variants;

use super::args::{ReportArgs, SimArgs};
use super::output::{check_outputs, write_file, write_stdout};

/// Arguments of `flowcast invest`.
#[derive(Debug, clap::Args)]
pub struct InvestArgs {
    /// The scenario file (YAML), with its `interventions`.
    pub scenario: PathBuf,
    /// Most one-off cost a combination may have (the interventions' `cost`).
    #[arg(long, value_name = "AMOUNT")]
    pub budget: Option<f64>,
    /// Most interventions in a combination (default: all of them when there are at
    /// most 8 candidates; beyond that a greedy search).
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..=64))]
    pub max_size: Option<u64>,
    /// One more person at these stages or pools is a candidate too (comma-separated;
    /// without names: every stage with its own workers and every pool).
    #[arg(long, value_name = "STAGES|POOLS", num_args = 0..=1, default_missing_value = "", value_delimiter = ',')]
    pub hire: Option<Vec<String>>,
    /// The yearly cost of one more person (for --hire and "where to add a person").
    #[arg(long, value_name = "AMOUNT", default_value_t = 90_000.0)]
    pub salary: f64,
    /// Runs, seed and threads.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Write the results as JSON to FILE, or to standard output with `-`.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// The report folder.
    #[command(flatten)]
    pub report: ReportArgs,
    /// No progress bar and no table.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `flowcast invest`.
pub fn run(args: InvestArgs) -> Result<u8, Error> {
    let scenario = Scenario::load(&args.scenario)?;
    check_outputs(args.json.as_deref(), &args.report)?;
    for (flag, v) in [("--budget", args.budget), ("--salary", Some(args.salary))] {
        if let Some(x) = v
            && !(x.is_finite() && x >= 0.0)
        {
            return Err(Error::Usage(format!(
                "{flag} {x} is not an amount of money: give 0 or more"
            )));
        }
    }
    let model = &scenario.model;
    let options = Options {
        budget: args.budget,
        max_size: args.max_size.map(|k| k as usize),
        hire: args.hire.clone(),
        salary: args.salary,
        runs: args.sim.runs,
        seed: args.sim.seed,
        threads: args.sim.threads.map(|t| t as usize),
    };
    let show = !args.quiet && std::io::stderr().is_terminal();
    let bar = spinner(show);
    let (plan, result) = evaluate(&scenario, &options, &|k| bar.inc(k))?;
    bar.finish_and_clear();
    let json = report::invest::json(model, &plan, &result);
    if let Some(dir) = &args.report.report {
        let files = report::invest::files(model, &plan, &result, &json);
        report::folder::write(dir, &files, args.report.force)?;
        if !args.quiet {
            eprintln!("Report written to {}/report.html", dir.display());
        }
    }
    let to_stdout = args.json.as_deref() == Some("-");
    if let Some(target) = &args.json {
        if to_stdout {
            write_stdout(&json)?;
        } else {
            write_file(Path::new(target), &json)?;
        }
    }
    if !args.quiet {
        let table = report::invest::terminal(model, &plan, &result);
        if to_stdout {
            let _ = std::io::stderr().lock().write_all(table.as_bytes());
        } else {
            write_stdout(&table)?;
        }
    }
    Ok(0)
}

/// What `flowcast invest` is asked, without the output flags.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--budget`.
    pub budget: Option<f64>,
    /// `--max-size`.
    pub max_size: Option<usize>,
    /// `--hire` (an empty list: every stage with workers and every pool).
    pub hire: Option<Vec<String>>,
    /// `--salary`.
    pub salary: f64,
    /// `--runs` (default: the file's).
    pub runs: Option<u64>,
    /// `--seed` (default: the file's, else 1).
    pub seed: Option<u64>,
    /// `--threads`.
    pub threads: Option<usize>,
}

/// Builds the plan from the scenario's interventions (and hires) and evaluates it.
pub fn evaluate(
    scenario: &Scenario,
    o: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Plan, invest::Invest), Error> {
    let model = &scenario.model;
    let mut ivs = variants::from_file(scenario)?;
    let n_file = ivs.len();
    let targets: Vec<String> = o
        .hire
        .iter()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    ivs.extend(combine::hires(model, &targets, o.salary)?);
    if n_file == 0 && o.hire.is_none() {
        return Err(Error::Usage(format!(
            "{} has no interventions to fund; add some under `interventions:` or pass --hire",
            scenario.source.name
        )));
    }
    // Every candidate must be valid alone before anything runs.
    let single = variants::build(scenario, &ivs)?;
    drop(single);
    let candidates: Vec<Candidate> = ivs
        .iter()
        .enumerate()
        .map(|(i, iv)| Candidate {
            name: iv.name.clone(),
            cost: iv.cost.unwrap_or(0.0),
            cost_per_year: iv.cost_per_year.unwrap_or(0.0),
            hire: i >= n_file,
            combine: i < n_file || o.hire.is_some(),
        })
        .collect();
    let mut conflicts = Vec::new();
    for a in 0..ivs.len() {
        for b in a + 1..ivs.len() {
            if !(candidates[a].combine && candidates[b].combine) {
                continue;
            }
            if let Some(why) = combine::conflict(&ivs[a], &ivs[b]) {
                conflicts.push((a, b, why));
            }
        }
    }
    let runs = o.runs.unwrap_or(model.simulation.runs);
    let seed = o.seed.or(model.seed).unwrap_or(1);
    let plan = Plan {
        candidates,
        conflicts,
        budget: o.budget,
        max_size: o.max_size,
        runs,
        seed,
        threads: o.threads,
    };
    let mut tree = crate::scenario::raw::parse_tree(&scenario.source)?;
    tree.remove("interventions");
    let build = |key: &[usize]| -> Result<crate::model::Variant, Error> {
        let members: Vec<&variants::Intervention> = key.iter().map(|&i| &ivs[i]).collect();
        let iv = combine::combine(&members);
        let model = variants::apply(scenario, &tree, &iv)?;
        Ok(crate::model::Variant {
            name: iv.name.clone(),
            model,
            cost: iv.cost,
            cost_per_year: iv.cost_per_year,
        })
    };
    let base = crate::model::Variant::baseline(model);
    let result = invest::evaluate(&plan, &base, &build, progress)?;
    Ok((plan, result))
}

/// A spinner counting variant-runs on stderr, or a hidden one.
fn spinner(show: bool) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let b = indicatif::ProgressBar::new_spinner();
    b.set_style(
        indicatif::ProgressStyle::with_template("{spinner} racing combinations: {pos} runs")
            .expect("the progress template is valid"),
    );
    b
}
