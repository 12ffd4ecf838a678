//! `flowcast backtest`: forecast the past of a delivery history at cut-offs
//! through it, and say how often each method's forecasts came true.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::forecast::backtest::{self, Backtest};
use crate::analysis::forecast::{
    self, Filter, History, HistoryOptions, Method, ReadSummary, WorkDays,
};
use crate::error::Error;
use crate::report;

use super::args::ReportArgs;

/// Arguments of `flowcast backtest`.
#[derive(Debug, clap::Args)]
pub struct BacktestArgs {
    /// A CSV of past delivery dates (column `date`, a Jira-style `resolved`, `closed_at`, …).
    pub history: PathBuf,
    /// Days between cut-offs: `4w`, `28d`.
    #[arg(long, value_name = "DURATION", default_value = "4w")]
    pub every: String,
    /// The pace before each cut-off that a forecast uses: `12w`.
    #[arg(long, value_name = "DURATION", default_value = "12w")]
    pub window: String,
    /// The horizons scored after each cut-off, comma-separated.
    #[arg(long, value_name = "D,D,…", default_value = "2w,4w,8w")]
    pub horizons: String,
    /// The methods compared (repeatable; default: calibrated, then daily).
    #[arg(long, value_enum, value_name = "METHOD")]
    pub method: Vec<MethodArg>,
    /// Only cut-offs in the history's last DURATION (e.g. 156w for three years).
    #[arg(long, value_name = "DURATION")]
    pub last: Option<String>,
    /// The history's date column (default: `date`, `done`, `resolved`, `closed_at`, … or the first).
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// Only rows whose COLUMN is one of the VALUEs are deliveries (repeatable; all must hold).
    #[arg(long = "where", value_name = "COLUMN=VALUE[,VALUE…]")]
    pub filters: Vec<String>,
    /// A strftime format for the history's dates in another form (e.g. %m/%d/%Y).
    #[arg(long, value_name = "FORMAT")]
    pub date_format: Option<String>,
    /// The team's time zone (IANA, e.g. America/New_York): delivery times move into its day.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// The team's working days: mon-fri, every-day, or weekdays as mon,tue,wed; only
    /// working days are resampled, deliveries on a day off count toward the next.
    #[arg(long, value_name = "DAYS")]
    pub calendar: Option<String>,
    /// A file of holidays (one ISO date per line, # comments): days off for the history.
    #[arg(long, value_name = "FILE")]
    pub holidays: Option<PathBuf>,
    /// Also backtest the fitted model: HISTORY is then a status history (as
    /// `calibrate` reads it), a scenario is fitted on each window and simulated.
    #[arg(long)]
    pub model: bool,
    /// With --model: which statuses belong to which stage (YAML); inferred when not given.
    #[arg(long, value_name = "FILE", requires = "model")]
    pub workflow: Option<PathBuf>,
    /// With --model: column names of a long CSV: key=…,status=…,timestamp=…,type=…
    #[arg(long, value_name = "SPEC", requires = "model")]
    pub columns: Option<String>,
    /// With --model: simulated runs of the fitted model at each cut-off.
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub model_runs: u64,
    /// Runs of daily resampling at each cut-off.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub runs: u64,
    /// Seed for reproducible output.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Write the scores as JSON to FILE, or to standard output with `-`.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// The report folder.
    #[command(flatten)]
    pub report: ReportArgs,
    /// No table.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A history forecast method, as `--method` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// The recent pace, widened by how far the team's own past forecasts were off (default).
    Calibrated,
    /// Each future day drawn from a past day (ActionableAgile's method), for comparison.
    Daily,
}

impl MethodArg {
    /// The method, its pace measured over `window` days.
    pub fn method(self, window: usize) -> Method {
        match self {
            MethodArg::Calibrated => Method::Calibrated { level_days: window },
            MethodArg::Daily => Method::Daily,
        }
    }
}

fn usage(m: impl Into<String>) -> Error {
    Error::Usage(m.into())
}

/// Days in `4w`, `28d` or `28`.
pub fn duration_days(flag: &str, text: &str) -> Result<usize, Error> {
    let t = text.trim();
    let (number, unit) = match t.strip_suffix(['w', 'W']) {
        Some(n) => (n, 7),
        None => (t.strip_suffix(['d', 'D']).unwrap_or(t), 1),
    };
    match number.trim().parse::<usize>() {
        Ok(n) if n > 0 && n <= 100 * 365 => Ok(n * unit),
        _ => Err(usage(format!(
            "{flag} `{text}` is not a duration; write weeks or days, e.g. 4w or 28d"
        ))),
    }
}

/// The working days of `--calendar` and `--holidays` (holidays alone mean
/// Monday to Friday unless `base` says otherwise), else `base` (a scenario's
/// calendar); `None`: every day works.
pub fn workdays(
    calendar: Option<&str>,
    holidays: Option<&Path>,
    base: Option<WorkDays>,
) -> Result<Option<WorkDays>, Error> {
    let days = calendar
        .map(WorkDays::parse_days)
        .transpose()
        .map_err(usage)?;
    let extra = match holidays {
        None => Vec::new(),
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|source| Error::Io {
                action: "read",
                path: path.to_path_buf(),
                source,
            })?;
            let text = String::from_utf8_lossy(&bytes);
            WorkDays::read_holidays(&text)
                .map_err(|e| usage(format!("{}:{}: {}", path.display(), e.line, e.message)))?
        }
    };
    let chosen = match (days, base) {
        (Some(d), base) => {
            let kept = base.map(|b| b.holidays().to_vec()).unwrap_or_default();
            WorkDays::new(d, kept)
        }
        (None, Some(b)) => Some(b),
        (None, None) if holidays.is_some() => {
            WorkDays::new(WorkDays::parse_days("mon-fri").expect("valid"), Vec::new())
        }
        (None, None) => None,
    };
    Ok(chosen.map(|w| w.with_holidays(&extra)))
}

/// Reads a delivery history under the reading flags: refused with one delivery.
pub fn read_history(path: &Path, opts: &HistoryOptions) -> Result<(History, ReadSummary), Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    History::read_bytes(&bytes, opts).map_err(|e| usage(format!("{}: {e}", path.display())))
}

/// The JSON of a backtest.
#[derive(Debug, Serialize)]
struct Json<'a> {
    history: String,
    column: &'a str,
    deliveries: u64,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
    #[serde(flatten)]
    backtest: &'a Backtest,
    verdict: String,
}

/// Runs `flowcast backtest`.
pub fn run(args: BacktestArgs) -> Result<u8, Error> {
    let every = duration_days("--every", &args.every)?;
    let window = duration_days("--window", &args.window)?;
    let mut horizons = args
        .horizons
        .split(',')
        .map(|h| duration_days("--horizons", h))
        .collect::<Result<Vec<_>, _>>()?;
    horizons.sort_unstable();
    horizons.dedup();
    let last = args
        .last
        .as_deref()
        .map(|l| duration_days("--last", l))
        .transpose()?;
    let mut methods = if args.method.is_empty() {
        vec![MethodArg::Calibrated, MethodArg::Daily]
    } else {
        args.method.clone()
    };
    methods.dedup();
    super::output::check_outputs(args.json.as_deref(), &args.report)?;
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
    let status_read = crate::analysis::calibrate::ReadOptions {
        columns: match &args.columns {
            Some(spec) => crate::analysis::calibrate::Columns::parse(spec)?,
            None => crate::analysis::calibrate::Columns::default(),
        },
        date_format: args.date_format.clone(),
        tz: args.tz.clone(),
        ..Default::default()
    };
    let status_paths = vec![args.history.clone()];
    let (history, summary, workflow) = if args.model {
        let given = args
            .workflow
            .as_deref()
            .map(crate::analysis::calibrate::workflow::Workflow::load)
            .transpose()?;
        let (dates, workflow) = crate::analysis::calibrate::backtest::delivery_dates(
            &status_paths,
            &status_read,
            given.as_ref(),
        )?;
        let history = History::from_dates(&dates).ok_or_else(|| {
            usage(format!(
                "{}: no item reached a done status of the workflow ({}); check its `done`",
                args.history.display(),
                workflow.done.join(", ")
            ))
        })?;
        let summary = ReadSummary {
            column: format!("first entry into {}", workflow.done.join(" or ")),
            rows: dates.len() as u64,
            not_delivered: 0,
            filtered_out: 0,
        };
        (history, summary, Some(workflow))
    } else {
        let (h, s) = read_history(&args.history, &opts)?;
        (h, s, None)
    };
    let days = workdays(args.calendar.as_deref(), args.holidays.as_deref(), None)?;
    let history = match days {
        Some(w) => history.with_workdays(w),
        None => history,
    };
    let options = backtest::Options {
        every,
        window,
        horizons,
        methods: methods.iter().map(|m| m.method(window)).collect(),
        last,
        runs: args.runs,
        seed: args.seed,
    };
    let first = history.span().0;
    let fitted = workflow
        .as_ref()
        .map(|w| crate::analysis::calibrate::backtest::ModelForecast {
            paths: &status_paths,
            read: &status_read,
            workflow: w,
            runs: args.model_runs,
            seed: args.seed,
        });
    let model_paths = |c: usize, days: usize| -> Result<Vec<Vec<u64>>, String> {
        let f = fitted.as_ref().expect("only with --model");
        let date = |d: usize| {
            first
                .checked_add(jiff::Span::new().days(d as i64))
                .unwrap_or(first)
        };
        f.paths(date(c.saturating_sub(window)), date(c), days)
            .map_err(|e| e.to_string())
    };
    let external: Vec<backtest::External> = if fitted.is_some() {
        vec![backtest::External {
            name: "model",
            needs_days: window,
            paths: &model_paths,
        }]
    } else {
        Vec::new()
    };
    let result = backtest::run_with(&history, &options, &external)
        .map_err(|e: forecast::HistoryError| usage(format!("{}: {e}", args.history.display())))?;
    let shown_name = args.history.file_name().map_or_else(
        || args.history.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let verdict = report::backtest::verdict(&result);
    let (from, to) = history.span();
    let doc = Json {
        history: shown_name.clone(),
        column: &summary.column,
        deliveries: history.deliveries(),
        from,
        to,
        backtest: &result,
        verdict: verdict.clone(),
    };
    let mut json = serde_json::to_string_pretty(&doc).expect("scores are plain data");
    json.push('\n');
    let mut about = format!(
        "{shown_name}: {} deliveries from {from} to {to}, read from column `{}`",
        history.deliveries(),
        summary.column
    );
    if let Some(w) = history.workdays() {
        about.push_str(&format!("; working days: {}", w.describe()));
    }
    if let Some(dir) = &args.report.report {
        report::folder::write(
            dir,
            &report::backtest::files(&result, &about, &json),
            args.report.force,
        )?;
        if !args.quiet {
            eprintln!("Report written to {}/report.html", dir.display());
        }
    }
    if let Some(target) = &args.json {
        if target == "-" {
            let _ = std::io::stdout().write_all(json.as_bytes());
        } else {
            std::fs::write(target, &json).map_err(|source| Error::Io {
                action: "write",
                path: target.into(),
                source,
            })?;
        }
    }
    if !args.quiet {
        let text = format!("{about}\n\n{}", report::backtest::terminal(&result));
        if args.json.as_deref() == Some("-") {
            eprint!("{text}");
        } else {
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
    }
    Ok(0)
}
