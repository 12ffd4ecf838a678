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

use crate::error::{Error, Loc, ScenarioError, Source, nearest};
use crate::model::TimeUnit;

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
    /// Stage whose entry starts cycle time.
    pub commitment: Option<Spanned<String>>,
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
    /// Cost of delay per item per week of lead time.
    pub cost_of_delay: Option<Spanned<f64>>,
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

/// Reads and parses a scenario file; a missing file or bad YAML is a located error.
pub fn load(path: &Path) -> Result<(Source, RawScenario), Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    let source = Source {
        name: path.display().to_string(),
        text,
    };
    let raw = parse(&source)?;
    Ok((source, raw))
}

/// Parses scenario text.
pub fn parse(source: &Source) -> Result<RawScenario, ScenarioError> {
    serde_saphyr::from_str::<RawScenario>(&source.text).map_err(|e| {
        let loc = e.location().map(|l| Loc::from_yaml(&l)).unwrap_or_default();
        let raw = e.without_snippet().to_string();
        let message = strip_location_suffix(&raw);
        yaml_error(source, loc, &message)
    })
}

/// Parses scenario text into a generic tree (used to apply interventions).
pub fn parse_tree(source: &Source) -> Result<serde_json::Value, ScenarioError> {
    serde_saphyr::from_str::<serde_json::Value>(&source.text).map_err(|e| {
        let loc = e.location().map(|l| Loc::from_yaml(&l)).unwrap_or_default();
        let raw = e.without_snippet().to_string();
        yaml_error(source, loc, &strip_location_suffix(&raw))
    })
}

/// Re-reads a changed tree as a scenario (interventions, `--what-if`); errors have no line.
pub fn from_tree(source: &Source, tree: serde_json::Value) -> Result<RawScenario, ScenarioError> {
    serde_json::from_value::<RawScenario>(tree)
        .map_err(|e| yaml_error(source, Loc::UNKNOWN, &e.to_string()))
}

fn strip_location_suffix(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains("column") => msg[..i].to_string(),
        _ => msg.to_string(),
    }
}

/// Turns serde's words into ours, with the nearest valid key for unknown ones.
fn yaml_error(source: &Source, loc: Loc, message: &str) -> ScenarioError {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((field, tail)) = rest.split_once('`') {
            let expected: Vec<&str> = tail
                .trim_start_matches(", expected one of ")
                .trim_start_matches(", expected ")
                .split(',')
                .map(|s| s.trim().trim_matches('`'))
                .filter(|s| !s.is_empty())
                .collect();
            let help = match nearest(field, expected.iter().copied()) {
                Some(n) => format!(
                    "did you mean `{n}`? Valid keys here: {}",
                    expected.join(", ")
                ),
                None => format!("valid keys here: {}", expected.join(", ")),
            };
            return source.error(loc, format!("unknown key `{field}`"), Some(help));
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        let help = match field {
            "arrivals" => "add `arrivals:` with one of rate, interval or backlog (e.g. `arrivals: {rate: 1.0}`)".to_string(),
            "stages" => "add `stages:` with at least one stage (e.g. `- {name: develop, work: 2}`)".to_string(),
            "name" => "every stage needs a unique `name:`".to_string(),
            other => format!("add `{other}:`"),
        };
        return source.error(loc, format!("`{field}` is missing"), Some(help));
    }
    source.error(loc, message.to_string(), None)
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
/// number) into `unit`s.
pub fn parse_duration(text: &str, unit: TimeUnit) -> Result<f64, String> {
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
        Some(u) => Ok(value * u.hours() / unit.hours()),
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

    // Proves durations with every unit convert into the scenario's unit.
    #[test]
    fn durations_convert() {
        assert_eq!(parse_duration("90m", TimeUnit::Hours).unwrap(), 1.5);
        assert_eq!(parse_duration("4h", TimeUnit::Days).unwrap(), 4.0 / 24.0);
        assert_eq!(parse_duration("3d", TimeUnit::Hours).unwrap(), 72.0);
        assert_eq!(parse_duration("2w", TimeUnit::Days).unwrap(), 14.0);
        assert_eq!(parse_duration("2 weeks", TimeUnit::Days).unwrap(), 14.0);
        assert_eq!(parse_duration("1.5d", TimeUnit::Days).unwrap(), 1.5);
        assert_eq!(parse_duration("7", TimeUnit::Days).unwrap(), 7.0);
    }

    // Proves an unknown unit is refused with the units we accept.
    #[test]
    fn unknown_unit_is_refused() {
        let e = parse_duration("3y", TimeUnit::Days).unwrap_err();
        assert!(e.contains("unknown duration unit `y`"), "{e}");
        assert!(e.contains("m, h, d or w"), "{e}");
        assert!(parse_duration("soon", TimeUnit::Days).is_err());
    }
}
