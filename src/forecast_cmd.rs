//! `flowcast forecast`: when will the backlog be done, and how many items by a date —
//! from the model, from delivery history, or both side by side.

use std::io::Write;
use std::path::Path;

use jiff::civil::Date;
use serde::Serialize;

use crate::cli::ForecastArgs;
use crate::error::Error;
use crate::forecast::{History, HowMany, When, how_many, when};
use crate::model::{Arrivals, parse_start};
use crate::{Scenario, montecarlo};

/// The JSON of SPEC §4: the model's forecast at the top level, history beside it.
#[derive(Debug, Serialize)]
struct Json<'a> {
    scenario: Option<&'a str>,
    start: Date,
    backlog: u64,
    done: u64,
    runs: u64,
    seed: u64,
    #[serde(flatten)]
    top: Answer,
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<Answer>,
}

/// One forecast: the dates and the counts.
#[derive(Debug, Clone, Copy, Serialize)]
struct Answer {
    when: When,
    how_many: Option<HowMany>,
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
    if args.scenario.is_none() && args.history.is_none() {
        return Err(usage(
            "forecast needs a scenario, a delivery history (--history FILE), or both",
        ));
    }
    let by = args
        .by
        .as_deref()
        .map(|b| date_arg("--by", b))
        .transpose()?;
    let scenario = args.scenario.as_deref().map(Scenario::load).transpose()?;
    let history = match &args.history {
        None => None,
        Some(path) => Some(load_history(path, args.window.as_deref())?),
    };
    let model = scenario.as_ref().map(|s| &s.model);
    let runs = args
        .runs
        .or(model.map(|m| m.simulation.runs))
        .unwrap_or(1000);
    let seed = args.seed.or(model.and_then(|m| m.seed)).unwrap_or(1);
    let backlog = match (args.backlog, model.map(|m| &m.arrivals)) {
        (Some(n), _) => n,
        (None, Some(Arrivals::Backlog(n))) => *n,
        _ => {
            return Err(usage(
                "how many items are left? Give --backlog N (or `arrivals: {backlog: N}` in the scenario)",
            ));
        }
    };
    if args.done > backlog {
        return Err(usage(format!(
            "--done {} is more than the backlog of {backlog}",
            args.done
        )));
    }
    let left = backlog - args.done;
    let start = match (&args.start, model.and_then(|m| m.start)) {
        (Some(s), _) => parse_start(s).map_err(|m| usage(format!("--start: {m}")))?,
        (None, Some(s)) => s,
        (None, None) => match &history {
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
    };
    let quiet = args.quiet;
    let bar = if !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::new(runs)
    } else {
        indicatif::ProgressBar::hidden()
    };

    let model_answer = match &scenario {
        None => None,
        Some(sc) => {
            let mut m = sc.model.clone();
            m.arrivals = Arrivals::Backlog(left.max(1));
            m.start = Some(start);
            let clock = m.clock().expect("a model with a start date has a clock");
            let deadline = match by {
                Some(d) => clock.at(d
                    .tomorrow()
                    .map_err(|_| usage("--by is too late"))?
                    .at(0, 0, 0, 0)),
                None => f64::INFINITY,
            };
            let results = montecarlo::completions(
                &m,
                runs,
                seed,
                args.threads.map(|t| t as usize),
                deadline,
                &|| bar.inc(1),
            )?;
            let dates: Vec<Date> = results
                .iter()
                .map(|(end, _)| {
                    if left == 0 {
                        start.date()
                    } else {
                        clock.date(*end)
                    }
                })
                .collect();
            let counts: Vec<u64> = results
                .iter()
                .map(|(_, n)| args.done + if left == 0 { 0 } else { *n })
                .collect();
            Some(Answer {
                when: when(&dates).ok_or_else(|| usage("no runs"))?,
                how_many: by.and_then(|b| how_many(b, &counts)),
            })
        }
    };
    bar.finish_and_clear();
    let history_answer = match &history {
        None => None,
        Some(h) => {
            let (w, hm) = h
                .forecast(start.date(), left, by, runs, seed)
                .map_err(|e| usage(format!("history: {e}")))?;
            Some(Answer {
                when: w,
                // Resampled throughput does not stop at the backlog: no more than what is
                // left can be done.
                how_many: hm.map(|mut x| {
                    for n in [&mut x.p50, &mut x.p70, &mut x.p85, &mut x.p95] {
                        *n = (*n).min(left) + args.done;
                    }
                    x
                }),
            })
        }
    };
    let (top, side) = match (model_answer, history_answer) {
        (Some(m), h) => (m, h),
        (None, Some(h)) => (h, None),
        (None, None) => unreachable!("a scenario or a history was required above"),
    };
    let name = model.map(|m| m.name.as_str());
    if let Some(target) = &args.json {
        let doc = Json {
            scenario: name,
            start: start.date(),
            backlog,
            done: args.done,
            runs,
            seed,
            top,
            history: side,
        };
        let mut text = serde_json::to_string_pretty(&doc).expect("forecasts are plain data");
        text.push('\n');
        if target == "-" {
            let _ = std::io::stdout().write_all(text.as_bytes());
        } else {
            std::fs::write(target, text).map_err(|source| Error::Io {
                action: "write",
                path: target.into(),
                source,
            })?;
        }
    }
    if !quiet {
        let head = Heading {
            name,
            start: start.date(),
            backlog,
            done: args.done,
            runs,
            from_model: model.is_some(),
        };
        let table = render(&head, &top, side.as_ref());
        if args.json.as_deref() == Some("-") {
            eprint!("{table}");
        } else {
            let _ = std::io::stdout().write_all(table.as_bytes());
        }
    }
    Ok(0)
}

fn load_history(path: &Path, window_text: Option<&str>) -> Result<History, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    let h = History::from_csv(&text).map_err(|e| usage(format!("{}: {e}", path.display())))?;
    match window_text {
        None => Ok(h),
        Some(w) => {
            let (from, to) = window(w)?;
            h.window(from, to)
                .map_err(|e| usage(format!("{}: {e}", path.display())))
        }
    }
}

/// What the forecast table's heading says.
struct Heading<'a> {
    name: Option<&'a str>,
    start: Date,
    backlog: u64,
    done: u64,
    runs: u64,
    from_model: bool,
}

fn render(head: &Heading, top: &Answer, history: Option<&Answer>) -> String {
    let Heading {
        name,
        start,
        backlog,
        done,
        runs,
        from_model,
    } = *head;
    let mut out = String::new();
    let left = backlog - done;
    out.push_str(&format!(
        "Forecast{}: {left} items left{}, day 1 is {start}, {runs} runs\n\n",
        name.map(|n| format!(" for {n}")).unwrap_or_default(),
        if done > 0 {
            format!(" of {backlog} ({done} done)")
        } else {
            String::new()
        },
    ));
    let src = if from_model { "model" } else { "history" };
    let mut header = vec!["confidence".to_string(), format!("all done by ({src})")];
    if history.is_some() {
        header.push("all done by (history)".into());
    }
    if let Some(h) = &top.how_many {
        header.push(format!("items done by {} ({src})", h.by));
        if history.is_some() {
            header.push(format!("items done by {} (history)", h.by));
        }
    }
    let rows: Vec<Vec<String>> = [50, 70, 85, 95]
        .iter()
        .map(|&p| {
            let pick_date = |w: &When| match p {
                50 => w.p50,
                70 => w.p70,
                85 => w.p85,
                _ => w.p95,
            };
            let pick_n = |h: &HowMany| match p {
                50 => h.p50,
                70 => h.p70,
                85 => h.p85,
                _ => h.p95,
            };
            let mut r = vec![format!("{p}%"), pick_date(&top.when).to_string()];
            if let Some(h) = history {
                r.push(pick_date(&h.when).to_string());
            }
            if let Some(hm) = &top.how_many {
                r.push(pick_n(hm).to_string());
                if let Some(h) = history.and_then(|h| h.how_many.as_ref()) {
                    r.push(pick_n(h).to_string());
                }
            }
            r
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            std::iter::once(&header[c])
                .chain(rows.iter().map(|r| &r[c]))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut l = String::from("  ");
        for (c, cell) in cells.iter().enumerate() {
            if c > 0 {
                l.push_str("   ");
            }
            l.push_str(&format!("{cell:>w$}", w = widths[c]));
        }
        l.push('\n');
        l
    };
    out.push_str(&line(&header));
    for r in &rows {
        out.push_str(&line(r));
    }
    out.push_str(
        "\nRead a row as: with this confidence, everything is done by that date, and at least that many\n\
         items are done by the date asked about. Higher confidence means a later date and fewer items.\n",
    );
    out
}
