//! The YAML layer: scenario files as written, before validation.
//!
//! Raw structs mirror SPEC §2 one to one (`deny_unknown_fields` everywhere, so a
//! typo is an error with the nearest valid key). Values that come in several
//! shapes — a distribution may be a number, a duration string or a map — are kept
//! as [`RawValue`] with their location and interpreted by [`crate::scenario::validate`].

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::error::{Error, Loc, ScenarioError, Source};
use crate::model::{TimeUnit, Timescale};
use crate::scenario::messages;
use crate::scenario::tree::Node;

/// A YAML value whose shape is decided later (distributions, durations, mixes).
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Any number.
    Num(f64),
    /// Any string (durations such as `4h` arrive here).
    Str(String),
    /// A list.
    Seq(Vec<RawValue>),
    /// A mapping, in file order.
    Map(Vec<(String, RawValue)>),
}

impl RawValue {
    /// The value as YAML-ish text, for messages.
    pub fn show(&self) -> String {
        match self {
            RawValue::Null => "nothing".into(),
            RawValue::Bool(b) => b.to_string(),
            // Rust writes 1e300 with 300 zeros; people write it with an exponent.
            RawValue::Num(n) if *n != 0.0 && (n.abs() >= 1e15 || n.abs() < 1e-6) => {
                format!("{n:e}")
            }
            RawValue::Num(n) => n.to_string(),
            RawValue::Str(s) => format!("\"{s}\""),
            RawValue::Seq(v) => format!(
                "[{}]",
                v.iter().map(RawValue::show).collect::<Vec<_>>().join(", ")
            ),
            RawValue::Map(m) => format!(
                "{{{}}}",
                m.iter()
                    .map(|(k, v)| format!("{k}: {}", v.show()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, a text, a list or a mapping")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<RawValue, D2::Error> {
                RawValue::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
                Ok(RawValue::Num(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Num(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Str(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<RawValue, E> {
                Ok(RawValue::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<RawValue, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(RawValue::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawValue, A::Error> {
                let mut v: Vec<(String, RawValue)> = Vec::new();
                while let Some((k, x)) = a.next_entry::<KeyText, RawValue>()? {
                    v.push((k.0, x));
                }
                Ok(RawValue::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for RawValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            RawValue::Null => s.serialize_unit(),
            RawValue::Bool(b) => s.serialize_bool(*b),
            RawValue::Num(n) => {
                if n.fract() == 0.0 && n.abs() < 9e15 {
                    s.serialize_i64(*n as i64)
                } else {
                    s.serialize_f64(*n)
                }
            }
            RawValue::Str(t) => s.serialize_str(t),
            RawValue::Seq(v) => {
                let mut q = s.serialize_seq(Some(v.len()))?;
                for x in v {
                    q.serialize_element(x)?;
                }
                q.end()
            }
            RawValue::Map(m) => {
                let mut q = s.serialize_map(Some(m.len()))?;
                for (k, x) in m {
                    q.serialize_entry(k, x)?;
                }
                q.end()
            }
        }
    }
}

/// A mapping key written as text or a number (`2: x` is allowed as a key).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match RawValue::deserialize(d)? {
            RawValue::Str(s) => Ok(KeyText(s)),
            RawValue::Num(n) => Ok(KeyText(n.to_string())),
            RawValue::Bool(b) => Ok(KeyText(b.to_string())),
            other => Err(de::Error::custom(format!(
                "a mapping key must be a name, not {}",
                other.show()
            ))),
        }
    }
}

/// A whole scenario file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Display name of the stream.
    pub name: Option<String>,
    /// minutes | hours | days | weeks.
    pub time_unit: Option<Spanned<String>>,
    /// Default seed.
    pub seed: Option<u64>,
    /// The date (or date and time) simulated time starts at.
    pub start: Option<Spanned<RawValue>>,
    /// Working time of the people in the stream.
    pub calendar: Option<Spanned<RawCalendar>>,
    /// How work arrives.
    pub arrivals: Spanned<RawArrivals>,
    /// Whole-stream WIP limit (CONWIP).
    pub wip_limit: Option<Spanned<u64>>,
    /// Shared pools of workers: name → people.
    pub resources: Option<Spanned<RawPools>>,
    /// Stage whose entry starts cycle time.
    pub commitment: Option<Spanned<String>>,
    /// Classes of service: name → item types, priority, due date, WIP exemption.
    pub classes: Option<Spanned<RawClasses>>,
    /// The queue policy of every stage that gives none: fifo, priority, wsjf,
    /// shortest_first or due_date.
    pub queue: Option<Spanned<String>>,
    /// The stages, in order.
    pub stages: Spanned<Vec<RawStage>>,
    /// Proposed changes, each a variant.
    #[serde(default)]
    pub interventions: Vec<Spanned<RawIntervention>>,
    /// Cost of delay, for valuing interventions.
    pub economics: Option<Spanned<RawEconomics>>,
    /// Runs, items and warm-up.
    pub simulation: Option<Spanned<RawSimulation>>,
}

/// `resources:` as written: pool name → workers, in file order, each located.
#[derive(Debug, Clone, Default)]
pub struct RawPools(pub Vec<(Spanned<String>, Spanned<RawValue>)>);

impl<'de> Deserialize<'de> for RawPools {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPools;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a mapping of pool names to numbers of workers, e.g. `{qa: 3, platform: 2}`",
                )
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawPools, A::Error> {
                let mut v = Vec::new();
                while let Some(entry) = a.next_entry::<Spanned<String>, Spanned<RawValue>>()? {
                    v.push(entry);
                }
                Ok(RawPools(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// `classes:` as written: class name → its settings, in file order, each located.
#[derive(Debug, Clone, Default)]
pub struct RawClasses(pub Vec<(Spanned<String>, Spanned<RawClass>)>);

impl<'de> Deserialize<'de> for RawClasses {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawClasses;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a mapping of class names to their settings, e.g. `{expedite: {types: [incident], priority: 0}}`",
                )
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawClasses, A::Error> {
                let mut v = Vec::new();
                while let Some(entry) = a.next_entry::<Spanned<String>, Spanned<RawClass>>()? {
                    v.push(entry);
                }
                Ok(RawClasses(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// One class of service as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClass {
    /// The item types (of `arrivals.mix`) in the class.
    pub types: Spanned<Vec<String>>,
    /// Smaller = more urgent (default: after the classes with one, in file order).
    pub priority: Option<Spanned<u64>>,
    /// Time after arrival by which its items are due.
    pub due: Option<Spanned<RawValue>>,
    /// Its items may pass stage and stream WIP limits.
    pub wip_exempt: Option<Spanned<bool>>,
}

/// `arrivals:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    /// Poisson rate, items per time unit.
    pub rate: Option<Spanned<f64>>,
    /// Distribution of the time between arrivals.
    pub interval: Option<Spanned<RawValue>>,
    /// Items all waiting at time 0.
    pub backlog: Option<Spanned<u64>>,
    /// Item types and their shares.
    pub mix: Option<Spanned<RawValue>>,
}

/// One stage as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStage {
    /// Unique name.
    pub name: Spanned<String>,
    /// A number, `unlimited`, or a pool name (later).
    pub workers: Option<Spanned<RawValue>>,
    /// Work per visit: a distribution, or a map of item type → distribution.
    pub work: Option<Spanned<RawValue>>,
    /// Handoff delay before the item may be picked up.
    pub wait: Option<Spanned<RawValue>>,
    /// Sending items back.
    pub rework: Option<Spanned<RawRework>>,
    /// Blocked work `{probability, duration, holds_worker, at}`.
    pub blocked: Option<Spanned<RawBlocked>>,
    /// Transfer batch: `N` or `{size, max_wait}`.
    pub handoff_batch: Option<Spanned<RawValue>>,
    /// Process batch `{max, min}`.
    pub process_batch: Option<Spanned<RawProcessBatch>>,
    /// Scheduled instants `{every, first, capacity}`.
    pub schedule: Option<Spanned<RawSchedule>>,
    /// Most items in the stage at once.
    pub wip_limit: Option<Spanned<u64>>,
    /// Item types that pass this stage by.
    pub skip: Option<Spanned<Vec<String>>>,
    /// How the queue chooses the next item (default: the stream's `queue`, else fifo).
    pub queue: Option<Spanned<String>>,
    /// Splitting items into parts when they finish here.
    pub split: Option<Spanned<RawSplit>>,
}

/// `split:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSplit {
    /// How many parts: a number or a distribution of numbers.
    pub into: Spanned<RawValue>,
    /// Item types that split (default: all).
    pub types: Option<Spanned<Vec<String>>>,
    /// The item type of the parts (default: the item's own).
    #[serde(rename = "as")]
    pub as_type: Option<Spanned<String>>,
}

/// `rework:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRework {
    /// Probability of being sent back.
    pub probability: Spanned<f64>,
    /// Stage sent back to (default: this one).
    pub to: Option<Spanned<String>>,
    /// Work multiplier on the way round again.
    pub effort: Option<Spanned<f64>>,
}

/// `blocked:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBlocked {
    /// Probability that a visit is blocked.
    pub probability: Spanned<f64>,
    /// How long a block lasts: a distribution, as for `wait`.
    pub duration: Spanned<RawValue>,
    /// Whether the worker stays with the item during the block (default false).
    pub holds_worker: Option<Spanned<bool>>,
    /// Share of the work done when the block starts (default drawn uniformly).
    pub at: Option<Spanned<f64>>,
}

/// `process_batch:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProcessBatch {
    /// Most items per batch.
    pub max: Spanned<u64>,
    /// Fewest items to start a batch.
    pub min: Option<Spanned<u64>>,
}

/// `calendar:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    /// Working hours per working day (default 8).
    pub hours_per_day: Option<Spanned<f64>>,
    /// Working weekdays (default mon–fri).
    pub days: Option<Spanned<Vec<String>>>,
    /// When a working day starts (default 09:00).
    pub day_starts: Option<Spanned<RawValue>>,
    /// Dates nobody works.
    pub holidays: Option<Spanned<Vec<RawValue>>>,
}

/// `schedule:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchedule {
    /// Time between instants.
    pub every: Option<Spanned<RawValue>>,
    /// Weekdays it happens on (instead of `every`).
    pub on: Option<Spanned<Vec<String>>>,
    /// Time of day with `on` (default the calendar's day start, else 09:00).
    pub at: Option<Spanned<RawValue>>,
    /// The first instant.
    pub first: Option<Spanned<RawValue>>,
    /// Most items taken per instant.
    pub capacity: Option<Spanned<u64>>,
}

/// One intervention as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntervention {
    /// Its name.
    pub name: Spanned<String>,
    /// Dotted path → new value.
    pub set: Option<Spanned<RawValue>>,
    /// Stages dropped.
    pub remove: Option<Spanned<Vec<String>>>,
    /// Stages inserted: `{after, stage}`.
    pub add: Option<Spanned<Vec<RawValue>>>,
    /// What it costs once, in the scenario's currency.
    pub cost: Option<Spanned<f64>>,
    /// What it costs every year (salaries, licences).
    pub cost_per_year: Option<Spanned<f64>>,
}

/// `economics:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEconomics {
    /// Cost of delay per item per week of lead time: one number, or a mapping
    /// of item types to numbers.
    pub cost_of_delay: Option<Spanned<RawValue>>,
    /// Currency shown with money.
    pub currency: Option<String>,
}

/// `simulation:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    /// Replications per variant.
    pub runs: Option<Spanned<u64>>,
    /// Deliveries per run (open streams).
    pub items: Option<Spanned<u64>>,
    /// Deliveries left out at the start (open streams).
    pub warmup: Option<Spanned<u64>>,
}

/// The largest scenario file flowcast reads: 16 MiB. A scenario is a few
/// hundred lines; anything near this size is the wrong file (or `/dev/zero`),
/// and reading stops here instead of filling memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads and parses a scenario file; a missing, unreadable, oversized or
/// non-UTF-8 file, or bad YAML, is an error that names the file (and the line
/// and column when there is one).
pub fn load(path: &Path) -> Result<(Source, RawScenario), Error> {
    let text = read_text(path)?;
    let source = Source {
        name: path.display().to_string(),
        text,
    };
    let raw = parse(&source)?;
    Ok((source, raw))
}

/// The file's text: at most [`MAX_FILE_BYTES`], and UTF-8.
fn read_text(path: &Path) -> Result<String, Error> {
    use std::io::Read;
    let name = path.display().to_string();
    let whole = |message: String, help: &str| -> Error {
        Source {
            name: name.clone(),
            text: String::new(),
        }
        .error(Loc::UNKNOWN, message, Some(help.to_string()))
        .into()
    };
    let io = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::PermissionDenied => whole(
            "cannot read the file: permission denied".into(),
            "check that you may read it (`ls -l`), or copy it somewhere you can",
        ),
        _ => Error::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        },
    };
    if std::fs::metadata(path).map_err(io)?.is_dir() {
        return Err(whole(
            "is a folder, not a scenario file".into(),
            "give the path of a scenario's .yaml file, e.g. scenarios/change-board.yaml",
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(whole(
            "is larger than 16 MiB, far more than any scenario".into(),
            "a scenario is a few hundred lines of YAML; check that this is the scenario file",
        ));
    }
    String::from_utf8(bytes).map_err(|e| not_utf8(&name, e.as_bytes(), e.utf8_error()))
}

/// A located error at the first byte that is not UTF-8.
fn not_utf8(name: &str, bytes: &[u8], e: std::str::Utf8Error) -> Error {
    let good = e.valid_up_to();
    let line_start = bytes[..good]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let line = bytes[..good].iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let column =
        std::str::from_utf8(&bytes[line_start..good]).map_or(0, |t| t.chars().count()) as u64 + 1;
    let source = Source {
        name: name.to_string(),
        text: String::from_utf8_lossy(bytes).into_owned(),
    };
    source
        .error(
            Loc { line, column },
            format!(
                "the file is not UTF-8 text: byte 0x{:02X} cannot start a character",
                bytes[good]
            ),
            Some("save the file as UTF-8 (most editors offer it under Save As or Encoding)".into()),
        )
        .into()
}

/// Parses scenario text.
pub fn parse(source: &Source) -> Result<RawScenario, ScenarioError> {
    serde_saphyr::from_str::<RawScenario>(&source.text).map_err(|e| yaml_error(source, &e))
}

/// Parses scenario text into a located tree (used to apply interventions).
pub fn parse_tree(source: &Source) -> Result<Node, ScenarioError> {
    Node::parse(&source.text, false).map_err(|e| yaml_error(source, &e))
}

/// A YAML error as a located scenario error, in the user's words.
fn yaml_error(source: &Source, e: &serde_saphyr::Error) -> ScenarioError {
    let loc = e.location().map(|l| Loc::from_yaml(&l)).unwrap_or_default();
    let (message, help) = messages::describe(e, &source.text, loc);
    source.error(loc, message, help)
}

/// What a YAML error says, in the user's words, for text that is not a file
/// (a `--what-if` value): the message and how to fix it.
pub fn yaml_message(e: &serde_saphyr::Error) -> (String, Option<String>) {
    messages::describe(e, "", Loc::UNKNOWN)
}

/// Reads a unit word: `minutes`, `h`, `day`, `2 weeks`' `weeks` …
fn unit_word(word: &str) -> Option<TimeUnit> {
    Some(match word.trim().to_ascii_lowercase().as_str() {
        "m" | "min" | "mins" | "minute" | "minutes" => TimeUnit::Minutes,
        "h" | "hr" | "hrs" | "hour" | "hours" => TimeUnit::Hours,
        "d" | "day" | "days" => TimeUnit::Days,
        "w" | "wk" | "wks" | "week" | "weeks" => TimeUnit::Weeks,
        _ => return None,
    })
}

/// Reads a duration written as text (`90m`, `4h`, `1.5d`, `2 weeks`, or a bare
/// number) into the scale's unit: elapsed time, or working time under a
/// calendar (where `1d` is a working day). The result may be huge or infinite
/// after conversion; the caller bounds it.
pub fn parse_duration(text: &str, scale: &Timescale) -> Result<f64, String> {
    let t = text.trim();
    // The number is the longest prefix that reads as one; the rest is the unit.
    let split = (1..=t.len())
        .rev()
        .filter(|&i| t.is_char_boundary(i))
        .find(|&i| t[..i].trim().parse::<f64>().is_ok());
    let Some(split) = split else {
        return Err(format!(
            "`{text}` is not a duration; write a number with a unit, e.g. 90m, 4h, 3d or 2w"
        ));
    };
    let (num, word) = t.split_at(split);
    let value: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if !value.is_finite() {
        return Err(format!("`{text}` is not a finite duration"));
    }
    let word = word.trim();
    if word.is_empty() {
        return Ok(value);
    }
    match unit_word(word) {
        Some(u) => Ok(scale.convert(value, u)),
        None => Err(format!(
            "unknown duration unit `{word}` in `{text}`; use m, h, d or w (e.g. 90m, 4h, 3d, 2w or 2 weeks)"
        )),
    }
}

/// Reads a start written as a date (`2026-12-01`, midnight) or a date and time
/// (`2026-12-01T09:00` or `2026-12-01 09:00`).
pub fn parse_start(text: &str) -> Result<jiff::civil::DateTime, String> {
    let t = text.trim();
    if let Ok(dt) = t.parse::<jiff::civil::DateTime>() {
        return Ok(dt);
    }
    if let Ok(dt) = t.replacen(' ', "T", 1).parse::<jiff::civil::DateTime>() {
        return Ok(dt);
    }
    t.parse::<jiff::civil::Date>()
        .map(|d| d.at(0, 0, 0, 0))
        .map_err(|_| format!("`{t}` is not a date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elapsed(unit: TimeUnit) -> Timescale {
        Timescale::elapsed(unit)
    }

    // Proves durations with every unit convert into the scenario's unit.
    #[test]
    fn durations_convert() {
        let (hours, days) = (elapsed(TimeUnit::Hours), elapsed(TimeUnit::Days));
        assert_eq!(parse_duration("90m", &hours).unwrap(), 1.5);
        assert_eq!(parse_duration("4h", &days).unwrap(), 4.0 / 24.0);
        assert_eq!(parse_duration("3d", &hours).unwrap(), 72.0);
        assert_eq!(parse_duration("2w", &days).unwrap(), 14.0);
        assert_eq!(parse_duration("2 weeks", &days).unwrap(), 14.0);
        assert_eq!(parse_duration("1.5d", &days).unwrap(), 1.5);
        assert_eq!(parse_duration("7", &days).unwrap(), 7.0);
    }

    // Proves that in working time a day is the calendar's working day and a week
    // its working week, whatever the time unit: 8 h/day, Mon–Fri → 1d = 8 h, 1w = 40 h.
    #[test]
    fn working_durations_convert() {
        use crate::model::calendar::Calendar;
        use jiff::civil::{Weekday::*, time};
        let cal = Calendar::new(
            8.0,
            &[Monday, Tuesday, Wednesday, Thursday, Friday],
            time(9, 0, 0, 0),
            vec![],
        )
        .unwrap();
        let w = |u| Timescale::working(u, &cal);
        assert_eq!(parse_duration("8h", &w(TimeUnit::Days)).unwrap(), 1.0);
        assert_eq!(parse_duration("1d", &w(TimeUnit::Hours)).unwrap(), 8.0);
        assert_eq!(parse_duration("1w", &w(TimeUnit::Hours)).unwrap(), 40.0);
        assert_eq!(parse_duration("1w", &w(TimeUnit::Days)).unwrap(), 5.0);
        assert_eq!(parse_duration("2d", &w(TimeUnit::Weeks)).unwrap(), 0.4);
        assert_eq!(parse_duration("30m", &w(TimeUnit::Minutes)).unwrap(), 30.0);
        assert_eq!(parse_duration("480m", &w(TimeUnit::Days)).unwrap(), 1.0);
        assert_eq!(parse_duration("3", &w(TimeUnit::Days)).unwrap(), 3.0);
    }

    // Proves an unknown unit is refused with the units we accept.
    #[test]
    fn unknown_unit_is_refused() {
        let e = parse_duration("3y", &elapsed(TimeUnit::Days)).unwrap_err();
        assert!(e.contains("unknown duration unit `y`"), "{e}");
        assert!(e.contains("m, h, d or w"), "{e}");
        assert!(parse_duration("soon", &elapsed(TimeUnit::Days)).is_err());
    }
}
