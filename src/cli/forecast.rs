//! `flowcast forecast`: when will the backlog be done, and how many items by a date —
//! from the model, from delivery history, or both side by side.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::{Date, DateTime};
use serde::Serialize;

use crate::analysis::forecast::{
    self, Filter, Forecast, History, HistoryOptions, HowMany, Method, ReadSummary,
};
use crate::describe;
use crate::error::Error;
use crate::model::{Arrivals, MAX_BACKLOG, Model, Variant};
use crate::report;
use crate::report::forecast::{
    self as forecast_report, Inputs, Source, SourceKind, VariantForecast,
};
use crate::scenario::Scenario;
use crate::scenario::interventions as variants;
use crate::scenario::raw::parse_start;
use crate::sim::results::When;

use super::args::{ReportArgs, SimArgs};
use super::backtest::MethodArg;

/// Arguments of `flowcast forecast`.
#[derive(Debug, clap::Args)]
pub struct ForecastArgs {
    /// The scenario file (YAML); optional with --history.
    pub scenario: Option<PathBuf>,
    /// A CSV of past delivery dates (column `date`, a Jira-style `resolved`, or the first).
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// The history's date column (default: `date`, `done`, `resolved`, `closed_at`, … or the first).
    #[arg(long, value_name = "NAME", requires = "history")]
    pub column: Option<String>,
    /// Only rows whose COLUMN is one of the VALUEs are deliveries (repeatable; all must hold).
    #[arg(
        long = "where",
        value_name = "COLUMN=VALUE[,VALUE…]",
        requires = "history"
    )]
    pub filters: Vec<String>,
    /// A strftime format for the history's dates in another form (e.g. %m/%d/%Y).
    #[arg(long, value_name = "FORMAT", requires = "history")]
    pub date_format: Option<String>,
    /// The team's time zone (IANA, e.g. America/New_York): delivery times move into its day.
    #[arg(long, value_name = "ZONE", requires = "history")]
    pub tz: Option<String>,
    /// Resample history only from these dates: FROM..TO (either side may be left out).
    #[arg(long, value_name = "FROM..TO")]
    pub window: Option<String>,
    /// How the history forecast turns past deliveries into ranges (default: calibrated,
    /// which needs about 22 weeks of history; daily is ActionableAgile's resampling).
    #[arg(long, value_enum, value_name = "METHOD", requires = "history")]
    pub method: Option<MethodArg>,
    /// The team's working days for the history: mon-fri, every-day, or weekdays as
    /// mon,tue,wed (default: the scenario's calendar); only working days are resampled,
    /// deliveries on a day off count toward the next, forecast dates step over days off.
    #[arg(long, value_name = "DAYS", requires = "history")]
    pub calendar: Option<String>,
    /// A file of holidays (one ISO date per line, # comments): days off for the history.
    #[arg(long, value_name = "FILE", requires = "history")]
    pub holidays: Option<PathBuf>,
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

/// The JSON of SPEC §4: the model's forecast at the top level, history beside it.
#[derive(Debug, Serialize)]
struct Json<'a> {
    scenario: Option<&'a str>,
    start: Date,
    backlog: u64,
    done: u64,
    runs: u64,
    seed: u64,
    /// What the history forecast rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    sample: Option<SampleJson<'a>>,
    #[serde(flatten)]
    top: Answer,
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<Answer>,
    /// With interventions: the model's forecast for each, baseline first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    variants: Vec<VariantJson<'a>>,
}

/// The deliveries a history forecast resamples.
#[derive(Debug, Serialize)]
struct SampleJson<'a> {
    deliveries: u64,
    from: Date,
    to: Date,
    days: usize,
    column: &'a str,
    /// `calibrated` or `daily`.
    method: Option<&'static str>,
    /// The calibrated method's pace: the last this many days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pace_days: Option<usize>,
    /// How often this method's forecasts of this history came true in the past.
    #[serde(skip_serializing_if = "Option::is_none")]
    track_record: Option<TrackRecord>,
}

/// One line of a backtest of the method on the history itself.
#[derive(Debug, Clone, Serialize)]
struct TrackRecord {
    cutoffs: usize,
    horizon_days: usize,
    came_true_85: f64,
    came_true_50: f64,
    #[serde(skip)]
    sentence: String,
}

/// The history's forecast by the method asked (calibrated unless said), the
/// method used, and its track record on this history when it is long enough.
/// Without `--method`, a history too short to calibrate falls back to daily
/// resampling with a warning.
fn history_forecast(
    args: &ForecastArgs,
    windowed: &History,
    full: &History,
    plan: &forecast::Plan,
) -> Result<(Forecast, Method, Option<TrackRecord>), Error> {
    let level_days = if args.window.is_some() {
        windowed.daily().len()
    } else {
        forecast::calibrated::LEVEL_DAYS
    };
    let asked = args
        .method
        .unwrap_or(MethodArg::Calibrated)
        .method(level_days);
    let go = |m: Method| {
        let source = if m == Method::Daily { windowed } else { full };
        source.forecast_with(
            m,
            plan.start.date(),
            plan.backlog,
            plan.done,
            plan.by,
            plan.runs,
            plan.seed,
        )
    };
    let (forecast, method) = match go(asked) {
        Ok(f) => (f, asked),
        Err(forecast::HistoryError::TooShortToCalibrate { days, needed, .. })
            if args.method.is_none() =>
        {
            eprintln!(
                "warning: the history spans {days} days, too short to calibrate (the \
                 calibrated method needs {needed}), so this forecast uses daily resampling \
                 instead; on real teams its ranges come true less often than they say. Give \
                 a longer history, or --method daily to silence this"
            );
            let f = go(Method::Daily).map_err(|e| usage(format!("history: {e}")))?;
            (f, Method::Daily)
        }
        Err(e) => return Err(usage(format!("history: {e}"))),
    };
    Ok((forecast, method, track_record(full, method, level_days)))
}

/// The method's record on this history's last three years: how often its
/// "how many in 4 weeks" came true; `None` when the history is too short.
fn track_record(full: &History, method: Method, level_days: usize) -> Option<TrackRecord> {
    let opts = forecast::backtest::Options {
        every: 28,
        window: level_days,
        horizons: vec![28],
        methods: vec![method],
        last: Some(156 * 7),
        runs: 500,
        seed: 1,
    };
    let b = forecast::backtest::run(full, &opts).ok()?;
    let h = b.methods.first()?.horizons.first()?;
    if h.cutoffs < 6 {
        return None;
    }
    let (p85, p50) = (h.how_many_came_true[2], h.how_many_came_true[0]);
    Some(TrackRecord {
        cutoffs: h.cutoffs,
        horizon_days: 28,
        came_true_85: p85,
        came_true_50: p50,
        sentence: format!(
            "Track record: over the last {} four-weekly cut-offs of this history, this \
             method's 85% \"how many in 4 weeks\" came true {:.0}% of the time and its 50% \
             {:.0}% (flowcast backtest shows more)",
            h.cutoffs,
            p85 * 100.0,
            p50 * 100.0
        ),
    })
}

/// The method in words, for the History line.
fn describe_method(m: Method, full: &History) -> String {
    match m {
        Method::Daily => "daily resampling (each future day drawn from a past day)".into(),
        Method::Calibrated { level_days } => {
            let daily = full.daily();
            let recent = &daily[daily.len().saturating_sub(level_days)..];
            let pace = recent.iter().map(|d| f64::from(*d)).sum::<f64>() / recent.len() as f64;
            format!(
                "calibrated (the pace of the last {level_days} days, {} a week, widened by how \
                 far such forecasts of this history were off)",
                crate::stats::fmt_sig(pace * 7.0, 2)
            )
        }
    }
}

/// One variant's forecast in the JSON.
#[derive(Debug, Serialize)]
struct VariantJson<'a> {
    name: &'a str,
    #[serde(flatten)]
    answer: Answer,
    /// The change in completion date against the baseline, run by run (null for
    /// the baseline).
    completion_change_days: Option<ChangeJson>,
}

/// A paired change in days, with its 95% confidence interval.
#[derive(Debug, Serialize)]
struct ChangeJson {
    mean: f64,
    mean_ci95: [f64; 2],
    share_of_runs_earlier: f64,
}

/// One forecast's answers.
#[derive(Debug, Clone, Copy, Serialize)]
struct Answer {
    when: When,
    how_many: Option<HowMany>,
    /// The share of runs in which the whole backlog is done by `by`.
    #[serde(skip_serializing_if = "Option::is_none")]
    chance_all_done_by: Option<f64>,
}

fn usage(m: impl Into<String>) -> Error {
    Error::Usage(m.into())
}

fn date_arg(flag: &str, text: &str) -> Result<Date, Error> {
    text.trim().parse::<Date>().map_err(|_| {
        usage(format!(
            "{flag} `{text}` is not a date; write it as 2027-02-01"
        ))
    })
}

fn window(text: &str) -> Result<(Option<Date>, Option<Date>), Error> {
    let Some((a, b)) = text.split_once("..") else {
        return Err(usage(format!(
            "--window `{text}` is not a range; write FROM..TO, e.g. 2026-06-01..2026-11-30 (either side may be left out)"
        )));
    };
    let side = |s: &str| -> Result<Option<Date>, Error> {
        if s.trim().is_empty() {
            Ok(None)
        } else {
            date_arg("--window", s).map(Some)
        }
    };
    Ok((side(a)?, side(b)?))
}

/// Runs `flowcast forecast`.
pub fn run(args: ForecastArgs) -> Result<u8, Error> {
    check_sources(&args)?;
    let by = args
        .by
        .as_deref()
        .map(|b| date_arg("--by", b))
        .transpose()?;
    let scenario = args.scenario.as_deref().map(Scenario::load).transpose()?;
    let base = scenario
        .as_ref()
        .and_then(|s| s.model.calendar.as_ref())
        .map(forecast::WorkDays::from_calendar);
    let days = super::backtest::workdays(args.calendar.as_deref(), args.holidays.as_deref(), base)?;
    let history = match &args.history {
        None => None,
        Some(path) => Some(load_history(path, &args, days)?),
    };
    let variants = match &scenario {
        None => Vec::new(),
        Some(sc) => {
            let mut interventions = variants::from_file(sc)?;
            for w in &args.what_if {
                interventions.push(variants::parse_what_if(w)?);
            }
            variants::build(sc, &interventions)?
        }
    };
    super::output::check_outputs(args.json.as_deref(), &args.report)?;
    let model = scenario.as_ref().map(|s| &s.model);
    let history_read = history.as_ref().map(|(_, _, summary)| summary);
    let history_full = history.as_ref().map(|(_, full, _)| full);
    let history = history.as_ref().map(|(h, _, _)| h);
    let plan = plan(&args, model, history, by)?;
    let (model_forecast, compared) = simulate(&variants, &plan, args.quiet)?;
    let history_forecast = history
        .zip(history_full)
        .map(|(h, full)| history_forecast(&args, h, full, &plan))
        .transpose()?;
    let about_history = history
        .zip(history_read)
        .zip(history_full)
        .zip(history_forecast.as_ref())
        .map(|(((h, summary), full), (_, method, record))| {
            let mut about = describe_read(h, summary);
            about.push_str(&format!("; method: {}", describe_method(*method, full)));
            if let Some(r) = record {
                about.push_str(&format!(". {}", r.sentence));
            }
            about
        });
    let track_record = history_forecast.as_ref().and_then(|(_, _, r)| r.clone());
    let method_used = history_forecast.as_ref().map(|(_, m, _)| *m);
    let history_forecast = history_forecast.map(|(f, _, _)| f);
    let mut sources = Vec::new();
    if let Some(f) = &model_forecast {
        sources.push(Source {
            kind: SourceKind::Model,
            forecast: f,
        });
    }
    if let (Some(f), Some(about)) = (&history_forecast, about_history) {
        sources.push(Source {
            kind: SourceKind::History(about),
            forecast: f,
        });
    }
    let name = model.map(|m| m.name.as_str());
    let sample = history.zip(history_read).map(|(h, summary)| SampleJson {
        deliveries: h.deliveries(),
        from: h.span().0,
        to: h.span().1,
        days: h.daily().len(),
        column: &summary.column,
        method: method_used.map(Method::name),
        pace_days: match method_used {
            Some(Method::Calibrated { level_days }) => Some(level_days),
            _ => None,
        },
        track_record,
    });
    let json = json_text(name, &plan, sample, &sources, &compared);
    let inputs = Inputs {
        name,
        start: plan.start.date(),
        backlog: plan.backlog,
        done: plan.done,
        runs: plan.runs,
        seed: plan.seed,
        by,
        sources: &sources,
        variants: &compared,
        calendar: model.and_then(describe_calendar),
        scenario: scenario
            .as_ref()
            .map(|s| (s.source.name.as_str(), s.source.text.as_str())),
        counting: model.and_then(crate::describe::split_counting),
    };
    write_outputs(&args, &inputs, &json)?;
    Ok(0)
}

/// Refuses a forecast with nothing to forecast from, or a `--what-if` without
/// the scenario it changes.
fn check_sources(args: &ForecastArgs) -> Result<(), Error> {
    if args.scenario.is_none() && args.history.is_none() {
        return Err(usage(
            "forecast needs a scenario, a delivery history (--history FILE), or both",
        ));
    }
    if args.scenario.is_none() && !args.what_if.is_empty() {
        return Err(usage(
            "--what-if changes a scenario's model; give the scenario too",
        ));
    }
    Ok(())
}

/// What the forecast is asked, from the flags and else the scenario: runs,
/// seed, the backlog and how much of it is done, and day 1.
fn plan(
    args: &ForecastArgs,
    model: Option<&Model>,
    history: Option<&History>,
    by: Option<Date>,
) -> Result<forecast::Plan, Error> {
    let runs = args
        .sim
        .runs
        .or(model.map(|m| m.simulation.runs))
        .unwrap_or(1000);
    let seed = args.sim.seed.or(model.and_then(|m| m.seed)).unwrap_or(1);
    let backlog = match (args.backlog, model.map(|m| &m.arrivals)) {
        (Some(n), _) => n,
        (None, Some(Arrivals::Backlog(n))) => *n,
        _ => {
            return Err(usage(
                "how many items are left? Give --backlog N (or `arrivals: {backlog: N}` in the scenario)",
            ));
        }
    };
    if model.is_some() && backlog > MAX_BACKLOG {
        return Err(usage(format!(
            "--backlog {backlog} is too large: the model simulates at most {MAX_BACKLOG} items \
             waiting at once; forecast a part of the backlog (the next release, say), or use --history"
        )));
    }
    if args.done > backlog {
        return Err(usage(format!(
            "--done {} is more than the backlog of {backlog}",
            args.done
        )));
    }
    let start = start(args, model, history)?;
    if let Some(by) = by {
        if by < start.date() {
            return Err(usage(format!(
                "--by {by} is before the start date {}; ask about a date on or after the start \
                 (or move the start with --start)",
                start.date()
            )));
        }
    }
    Ok(forecast::Plan {
        start,
        backlog,
        done: args.done,
        by,
        runs,
        seed,
        threads: args.sim.threads.map(|t| t as usize),
    })
}

/// Day 1: `--start`, else the scenario's `start`, else (history alone) the day
/// after the last delivery.
fn start(
    args: &ForecastArgs,
    model: Option<&Model>,
    history: Option<&History>,
) -> Result<DateTime, Error> {
    Ok(match (&args.start, model.and_then(|m| m.start)) {
        (Some(s), _) => parse_start(s).map_err(|m| usage(format!("--start: {m}")))?,
        (None, Some(s)) => s,
        (None, None) => match history {
            Some(h) if model.is_none() => h
                .span()
                .1
                .tomorrow()
                .map_err(|_| usage("the history ends too late"))?
                .at(0, 0, 0, 0),
            _ => {
                return Err(usage(
                    "when does the work start? Give --start DATE (or `start: 2027-01-04` in the scenario)",
                ));
            }
        },
    })
}

/// The model's forecast of every variant (refused first if it would take too
/// long): the baseline's, and with interventions each variant's beside it.
fn simulate(
    variants: &[Variant],
    plan: &forecast::Plan,
    quiet: bool,
) -> Result<(Option<Forecast>, Vec<VariantForecast>), Error> {
    let bar = if !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::new(plan.runs * variants.len().max(1) as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    // Every variant runs the same seeds, so their dates compare run by run.
    let models: Vec<&Model> = variants.iter().map(|v| &v.model).collect();
    let left = plan.backlog - plan.done;
    let events: f64 = models
        .iter()
        .map(|m| crate::sim::montecarlo::events_per_run(m, left))
        .sum();
    crate::sim::montecarlo::check_duration(events, plan.runs, plan.threads)?;
    let simulated = if models.is_empty() {
        Vec::new()
    } else {
        forecast::from_models(&models, plan, &|| bar.inc(variants.len() as u64))?
    };
    bar.finish_and_clear();
    let compared: Vec<VariantForecast> = if variants.len() > 1 {
        variants
            .iter()
            .zip(&simulated)
            .map(|(v, (f, change))| VariantForecast {
                name: v.name.clone(),
                forecast: f.clone(),
                change: *change,
            })
            .collect()
    } else {
        Vec::new()
    };
    let model_forecast = simulated.into_iter().next().map(|(f, _)| f);
    Ok((model_forecast, compared))
}

/// One source's or variant's answers, as the JSON gives them.
fn answer(f: &Forecast, by: Option<Date>) -> Answer {
    Answer {
        when: f.when,
        how_many: f.how_many,
        chance_all_done_by: by.map(|b| f.spread.chance_done_by(b)),
    }
}

/// The forecast as pretty-printed JSON (SPEC §4), with a final newline.
fn json_text(
    name: Option<&str>,
    plan: &forecast::Plan,
    sample: Option<SampleJson>,
    sources: &[Source],
    compared: &[VariantForecast],
) -> String {
    let doc = Json {
        scenario: name,
        start: plan.start.date(),
        backlog: plan.backlog,
        done: plan.done,
        runs: plan.runs,
        seed: plan.seed,
        sample,
        top: answer(sources[0].forecast, plan.by),
        history: sources.get(1).map(|s| answer(s.forecast, plan.by)),
        variants: compared
            .iter()
            .map(|v| VariantJson {
                name: &v.name,
                answer: answer(&v.forecast, plan.by),
                completion_change_days: v.change.map(|d| ChangeJson {
                    mean: d.mean,
                    mean_ci95: [d.lo, d.hi],
                    share_of_runs_earlier: d.share_better,
                }),
            })
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&doc).expect("forecasts are plain data");
    json.push('\n');
    json
}

/// Writes the report folder and the JSON where asked, and the table unless quiet
/// (to standard error when the JSON goes to standard output).
fn write_outputs(args: &ForecastArgs, inputs: &Inputs, json: &str) -> Result<(), Error> {
    let quiet = args.quiet;
    if let Some(dir) = &args.report.report {
        report::folder::write(
            dir,
            &forecast_report::files(inputs, json),
            args.report.force,
        )?;
        if !quiet {
            eprintln!("Report written to {}/report.html", dir.display());
        }
    }
    if let Some(target) = &args.json {
        if target == "-" {
            let _ = std::io::stdout().write_all(json.as_bytes());
        } else {
            std::fs::write(target, json).map_err(|source| Error::Io {
                action: "write",
                path: target.into(),
                source,
            })?;
        }
    }
    if !quiet {
        let mut table = forecast_report::terminal(inputs);
        for source in inputs.sources {
            if let SourceKind::History(about) = &source.kind {
                table.push_str(&format!("History: {about}\n"));
            }
        }
        if args.json.as_deref() == Some("-") {
            eprint!("{table}");
        } else {
            let _ = std::io::stdout().write_all(table.as_bytes());
        }
    }
    Ok(())
}

/// One line on the model's working calendar, if it has one.
fn describe_calendar(model: &Model) -> Option<String> {
    let c = model.calendar.as_ref()?;
    Some(describe::calendar(c))
}

/// The history as the report and terminal describe it: its deliveries and pace,
/// the column read, and the rows that were not deliveries.
fn describe_read(h: &History, summary: &ReadSummary) -> String {
    let mut about = format!(
        "{}, read from column `{}`",
        forecast_report::describe_history(h),
        summary.column
    );
    if let Some(w) = h.workdays() {
        about.push_str(&format!("; working days only ({})", w.describe()));
    }
    if summary.not_delivered > 0 {
        about.push_str(&format!(
            "; {} not delivered (no date) skipped",
            rows(summary.not_delivered)
        ));
    }
    if summary.filtered_out > 0 {
        about.push_str(&format!(
            "; {} left out by --where",
            rows(summary.filtered_out)
        ));
    }
    about
}

/// `1 row`, `2 rows`.
fn rows(n: u64) -> String {
    if n == 1 {
        "1 row".into()
    } else {
        format!("{n} rows")
    }
}

/// Reads the history under the reading flags, cut to `--window`, and checks
/// that it is enough to forecast from (refused with one delivery, a warning
/// with fewer than 10 or under 14 days).
fn load_history(
    path: &Path,
    args: &ForecastArgs,
    days: Option<forecast::WorkDays>,
) -> Result<(History, History, ReadSummary), Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    let located = |e: forecast::HistoryError| usage(format!("{}: {e}", path.display()));
    let opts = HistoryOptions {
        column: args.column.clone(),
        date_format: args.date_format.clone(),
        tz: args.tz.clone(),
        filters: args
            .filters
            .iter()
            .map(|f| Filter::parse(f).map_err(usage))
            .collect::<Result<_, _>>()?,
    };
    let (read, summary) = History::read_bytes(&bytes, &opts).map_err(located)?;
    let read = match days {
        Some(w) => read.with_workdays(w),
        None => read,
    };
    let (h, full) = match args.window.as_deref() {
        None => (read.clone(), read),
        Some(w) => {
            let (from, to) = window(w)?;
            let h = read.window(from, to).map_err(located)?;
            // The calibrated method learns from everything up to the window's end.
            let full = read.window(None, Some(h.span().1)).map_err(located)?;
            (h, full)
        }
    };
    let (deliveries, days) = (h.deliveries(), h.daily().len());
    let (first, last) = h.span();
    if deliveries <= 1 {
        return Err(usage(format!(
            "{}: only one delivery (on {first}, from column `{}`); a forecast needs a pace, \
             so give a history of at least 10 deliveries over two weeks or more",
            path.display(),
            summary.column
        )));
    }
    if deliveries < 10 || days < 14 {
        eprintln!(
            "warning: the history forecast rests on too little: {deliveries} deliveries over \
             {days} days ({first} to {last}); at least 10 deliveries over 14 days or more \
             give a pace worth quoting"
        );
    }
    Ok((h, full, summary))
}
