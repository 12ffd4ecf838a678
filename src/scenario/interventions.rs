//! Interventions: named changes applied to a copy of the baseline (SPEC §2.3).
//!
//! Changes are applied to the scenario as a tree (the YAML as written), then the
//! changed tree is read and validated exactly like a scenario file. So every path
//! a scenario can express can be set, and a change that makes the stream invalid
//! is reported like any other scenario error, naming the intervention.

use serde_json::{Map, Value};

use crate::error::{Error, Loc, ScenarioError, Source, edit_distance, nearest};
use crate::model::{Model, Variant};
use crate::scenario::Scenario;
use crate::scenario::raw::{RawValue, from_tree, parse_tree};
use crate::scenario::validate;

/// One change of an intervention.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// `PATH = VALUE`.
    Set(String, Value),
    /// Drop a stage.
    Remove(String),
    /// Insert a stage after (or before) another.
    Add {
        /// Stage to insert after (`None`: at the start).
        after: Option<String>,
        /// The stage, as written.
        stage: Value,
    },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Set(path, value) => write!(f, "{path} = {}", yamlish(value)),
            Change::Remove(stage) => write!(f, "remove stage {stage}"),
            Change::Add { after, stage } => {
                let name = stage.get("name").and_then(Value::as_str).unwrap_or("?");
                match after {
                    Some(a) => write!(f, "add stage {name} after {a}"),
                    None => write!(f, "add stage {name} at the start"),
                }
            }
        }
    }
}

/// A value as it would be written in a scenario: `1w`, `[mon, tue]`, `{dist: exponential, mean: 2}`.
fn yamlish(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() || s.contains([':', ',', '{', '}', '[', ']', '#']) => {
            format!("\"{s}\"")
        }
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(yamlish).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, x)| format!("{k}: {}", yamlish(x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A named set of changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervention {
    /// Shown as the variant's name.
    pub name: String,
    /// Applied in order.
    pub changes: Vec<Change>,
    /// What it costs once, when given.
    pub cost: Option<f64>,
    /// What it costs every year, when given (a salary, a licence).
    pub cost_per_year: Option<f64>,
    /// Where it was written (file line, or unknown for `--what-if`).
    pub loc: Loc,
    /// Where it came from, for messages: the file name or `--what-if '…'`.
    pub origin: String,
}

const STAGE_FIELDS: [&str; 10] = [
    "name",
    "workers",
    "work",
    "wait",
    "rework",
    "handoff_batch",
    "process_batch",
    "schedule",
    "wip_limit",
    "skip",
];
const NESTED: [(&str, &[&str]); 4] = [
    ("rework", &["probability", "to", "effort"]),
    ("handoff_batch", &["size", "max_wait"]),
    ("process_batch", &["max", "min"]),
    ("schedule", &["every", "first", "capacity", "on", "at"]),
];
const DIST_PARAMS: [&str; 12] = [
    "dist", "value", "mean", "min", "max", "mode", "cv", "p50", "p90", "shape", "scale", "samples",
];

/// The interventions written in the scenario file.
pub fn from_file(scenario: &Scenario) -> Result<Vec<Intervention>, Error> {
    let src = &scenario.source;
    let mut out = Vec::new();
    for spanned in &scenario.raw.interventions {
        let iv = &spanned.value;
        let loc = Loc::from_yaml(&iv.name.referenced);
        let mut changes = Vec::new();
        if let Some(set) = &iv.set {
            let RawValue::Map(entries) = &set.value else {
                return Err(src
                    .error(
                        Loc::from_yaml(&set.referenced),
                        format!("intervention `{}`: set is not a mapping", iv.name.value),
                        Some("write `set: {review.workers: 2, develop.handoff_batch: 5}`".into()),
                    )
                    .into());
            };
            for (path, value) in entries {
                let v = serde_json::to_value(value).expect("raw values are plain data");
                changes.push(Change::Set(path.clone(), v));
            }
        }
        if let Some(remove) = &iv.remove {
            changes.extend(remove.value.iter().cloned().map(Change::Remove));
        }
        if let Some(add) = &iv.add {
            for a in &add.value {
                let bad = || {
                    src.error(
                        Loc::from_yaml(&add.referenced),
                        format!("intervention `{}`: each `add` entry is `{{after: STAGE, stage: {{...}}}}`", iv.name.value),
                        Some("e.g. `add: [{after: develop, stage: {name: pairing, work: 2h}}]`".into()),
                    )
                };
                let RawValue::Map(m) = a else {
                    return Err(bad().into());
                };
                let mut after = None;
                let mut stage = None;
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("after", RawValue::Str(s)) => after = Some(s.clone()),
                        ("stage", RawValue::Map(_)) => {
                            stage =
                                Some(serde_json::to_value(v).expect("raw values are plain data"))
                        }
                        _ => return Err(bad().into()),
                    }
                }
                let Some(stage) = stage else {
                    return Err(bad().into());
                };
                changes.push(Change::Add { after, stage });
            }
        }
        for c in [&iv.cost, &iv.cost_per_year].into_iter().flatten() {
            if !(c.value.is_finite() && c.value >= 0.0) {
                return Err(src
                    .error(
                        Loc::from_yaml(&c.referenced),
                        format!(
                            "intervention `{}`: a cost of {} is not an amount of money",
                            iv.name.value, c.value
                        ),
                        Some("costs are 0 or more, in the scenario's currency".into()),
                    )
                    .into());
            }
        }
        out.push(Intervention {
            name: iv.name.value.clone(),
            changes,
            cost: iv.cost.as_ref().map(|c| c.value),
            cost_per_year: iv.cost_per_year.as_ref().map(|c| c.value),
            loc,
            origin: src.name.clone(),
        });
    }
    Ok(out)
}

/// Reads `--what-if 'PATH=VALUE[,PATH=VALUE…]'`: one variant, named by its text.
/// Commas inside braces, brackets or quotes do not split changes.
pub fn parse_what_if(text: &str) -> Result<Intervention, Error> {
    let origin = format!("--what-if '{text}'");
    let usage = |msg: String| {
        Error::Scenario(Box::new(ScenarioError {
            file: origin.clone(),
            loc: Loc::UNKNOWN,
            message: msg,
            help: Some(
                "write PATH=VALUE, e.g. --what-if 'review.workers=2' or --what-if 'develop.handoff_batch=5,test.rework.probability=0.1'"
                    .into(),
            ),
            snippet: None,
        }))
    };
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0usize);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    let mut changes = Vec::new();
    for part in parts {
        let Some((path, value)) = part.split_once('=') else {
            return Err(usage(format!("`{}` has no `=`", part.trim())));
        };
        let (path, value) = (path.trim(), value.trim());
        if path.is_empty() || value.is_empty() {
            return Err(usage(format!(
                "`{}` needs both a path and a value",
                part.trim()
            )));
        }
        let v: Value = serde_saphyr::from_str(value).map_err(|e| {
            usage(format!(
                "cannot read the value `{value}`: {}",
                e.without_snippet()
            ))
        })?;
        changes.push(Change::Set(path.to_string(), v));
    }
    Ok(Intervention {
        name: text.to_string(),
        changes,
        cost: None,
        cost_per_year: None,
        loc: Loc::UNKNOWN,
        origin,
    })
}

/// The baseline followed by one variant per intervention, each validated.
pub fn build(scenario: &Scenario, interventions: &[Intervention]) -> Result<Vec<Variant>, Error> {
    let mut variants = vec![Variant::baseline(&scenario.model)];
    if interventions.is_empty() {
        return Ok(variants);
    }
    let mut tree = parse_tree(&scenario.source)?;
    if let Value::Object(m) = &mut tree {
        m.remove("interventions");
    }
    for iv in interventions {
        if variants.iter().any(|v| v.name == iv.name) {
            return Err(fail(
                scenario,
                iv,
                format!("two variants are named `{}`", iv.name),
                None,
            ));
        }
        let model = apply(scenario, &tree, iv)?;
        variants.push(Variant {
            name: iv.name.clone(),
            model,
            cost: iv.cost,
            cost_per_year: iv.cost_per_year,
        });
    }
    Ok(variants)
}

fn fail(scenario: &Scenario, iv: &Intervention, message: String, help: Option<String>) -> Error {
    let message = if iv.loc.line > 0 {
        format!("intervention `{}`: {message}", iv.name)
    } else {
        message
    };
    if iv.loc.line > 0 {
        scenario.source.error(iv.loc, message, help).into()
    } else {
        Error::Scenario(Box::new(ScenarioError {
            file: iv.origin.clone(),
            loc: Loc::UNKNOWN,
            message,
            help,
            snippet: None,
        }))
    }
}

/// Applies one intervention to the baseline tree and validates the result.
pub fn apply(scenario: &Scenario, base: &Value, iv: &Intervention) -> Result<Model, Error> {
    let mut tree = base.clone();
    for change in &iv.changes {
        match change {
            Change::Set(path, value) => set(&mut tree, path, value.clone())
                .map_err(|(m, h)| fail(scenario, iv, m, Some(h)))?,
            Change::Remove(name) => {
                let stages = stages_mut(&mut tree);
                let names = stage_names(stages);
                let Some(i) = names.iter().position(|n| n == name) else {
                    return Err(fail(
                        scenario,
                        iv,
                        format!("cannot remove stage `{name}`: there is no such stage"),
                        Some(hint_list(name, &names, "stages are")),
                    ));
                };
                stages.remove(i);
                if stages.is_empty() {
                    return Err(fail(scenario, iv, "it removes every stage".into(), None));
                }
            }
            Change::Add { after, stage } => {
                let stages = stages_mut(&mut tree);
                let names = stage_names(stages);
                let at = match after {
                    None => 0,
                    Some(a) => match names.iter().position(|n| n == a) {
                        Some(i) => i + 1,
                        None => {
                            return Err(fail(
                                scenario,
                                iv,
                                format!("cannot add a stage after `{a}`: there is no such stage"),
                                Some(hint_list(a, &names, "stages are")),
                            ));
                        }
                    },
                };
                stages.insert(at, stage.clone());
            }
        }
    }
    let src = Source {
        name: if iv.loc.line > 0 {
            format!("{} (intervention `{}`)", scenario.source.name, iv.name)
        } else {
            iv.origin.clone()
        },
        text: String::new(),
    };
    let raw = from_tree(&src, tree)?;
    validate::model(&raw, &src).map_err(Error::from)
}

fn stages_mut(tree: &mut Value) -> &mut Vec<Value> {
    match tree.get_mut("stages") {
        Some(Value::Array(a)) => a,
        _ => unreachable!("a validated scenario has a list of stages"),
    }
}

fn stage_names(stages: &[Value]) -> Vec<String> {
    stages
        .iter()
        .filter_map(|s| s.get("name").and_then(Value::as_str).map(str::to_string))
        .collect()
}

fn hint_list(word: &str, options: &[String], label: &str) -> String {
    let near = nearest(word, options.iter().map(String::as_str))
        .map(|n| format!("did you mean `{n}`? "))
        .unwrap_or_default();
    format!("{near}{label}: {}", options.join(", "))
}

/// Every path `set` accepts on this tree, for suggestions.
pub fn valid_paths(tree: &Value) -> Vec<String> {
    let mut out: Vec<String> = [
        "wip_limit",
        "commitment",
        "arrivals.rate",
        "arrivals.interval",
        "arrivals.backlog",
        "arrivals.mix",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(Value::Object(mix)) = tree.get("arrivals").and_then(|a| a.get("mix")) {
        out.extend(mix.keys().map(|k| format!("arrivals.mix.{k}")));
    }
    if let Some(Value::Object(iv)) = tree.get("arrivals").and_then(|a| a.get("interval")) {
        out.extend(iv.keys().map(|k| format!("arrivals.interval.{k}")));
    }
    if let Some(Value::Array(stages)) = tree.get("stages") {
        for s in stages {
            let Some(name) = s.get("name").and_then(Value::as_str) else {
                continue;
            };
            for f in STAGE_FIELDS.iter().filter(|f| **f != "name") {
                out.push(format!("{name}.{f}"));
            }
            for (f, subs) in NESTED {
                for sub in subs {
                    out.push(format!("{name}.{f}.{sub}"));
                }
            }
            for f in ["work", "wait"] {
                if let Some(Value::Object(m)) = s.get(f) {
                    for (k, v) in m {
                        out.push(format!("{name}.{f}.{k}"));
                        if let Value::Object(inner) = v {
                            out.extend(inner.keys().map(|p| format!("{name}.{f}.{k}.{p}")));
                        }
                    }
                }
            }
        }
    }
    out
}

/// Sets `path` (a stage name or top-level key, then field names) to `value`.
fn set(tree: &mut Value, path: &str, value: Value) -> Result<(), (String, String)> {
    let paths = valid_paths(tree);
    let suggest = |what: String| -> (String, String) {
        let mut near: Vec<(usize, &String)> =
            paths.iter().map(|p| (edit_distance(path, p), p)).collect();
        near.sort();
        let list: Vec<&str> = near.iter().take(4).map(|(_, p)| p.as_str()).collect();
        (what, format!("nearest valid paths: {}", list.join(", ")))
    };
    let stages = match tree.get("stages") {
        Some(Value::Array(a)) => stage_names(a),
        _ => Vec::new(),
    };
    // The longest stage name the path starts with (names may contain dots).
    let stage = stages
        .iter()
        .filter(|n| path.starts_with(n.as_str()) && path[n.len()..].starts_with('.'))
        .max_by_key(|n| n.len())
        .cloned();
    let (root, rest): (&mut Value, Vec<&str>) = match &stage {
        Some(name) => {
            let fields: Vec<&str> = path[name.len() + 1..].split('.').collect();
            let f0 = fields[0];
            if !STAGE_FIELDS.contains(&f0) || f0 == "name" {
                return Err(suggest(format!("`{path}`: a stage has no field `{f0}`")));
            }
            if let Some((_, subs)) = NESTED.iter().find(|(f, _)| *f == f0)
                && let Some(sub) = fields.get(1)
                && (!subs.contains(sub) || fields.len() > 2)
            {
                return Err(suggest(format!(
                    "`{path}`: {f0} has no field `{}`",
                    fields[1..].join(".")
                )));
            }
            if (f0 == "work" || f0 == "wait") && fields.len() > 1 {
                let last = fields[fields.len() - 1];
                if fields.len() > 3
                    || (!DIST_PARAMS.contains(&last) && !paths.iter().any(|p| p == path))
                {
                    return Err(suggest(format!(
                        "`{path}` is not a parameter of this stage's {f0}"
                    )));
                }
            }
            let arr = match tree.get_mut("stages") {
                Some(Value::Array(a)) => a,
                _ => unreachable!("stages were listed above"),
            };
            let node = arr
                .iter_mut()
                .find(|s| s.get("name").and_then(Value::as_str) == Some(name.as_str()))
                .expect("the stage was found by name above");
            (node, fields)
        }
        None => {
            let fields: Vec<&str> = path.split('.').collect();
            let top_ok = match fields.as_slice() {
                ["wip_limit"] | ["commitment"] => true,
                ["arrivals", "rate" | "interval" | "backlog" | "mix"] => true,
                ["arrivals", "mix" | "interval", _] => {
                    paths.iter().any(|p| p == path) || fields[1] == "interval"
                }
                _ => false,
            };
            if !top_ok {
                return Err(match fields[0] {
                    "simulation" | "seed" | "time_unit" | "name" | "economics" | "start"
                    | "calendar" => (
                        format!(
                            "`{path}` cannot differ between variants: every variant runs with the same runs, items, seed, \
                             time unit, calendar and economics, so that they can be compared"
                        ),
                        "change it in the scenario file itself, for all variants".to_string(),
                    ),
                    _ => suggest(format!(
                        "`{path}` is not a stage field or a setting that can be changed"
                    )),
                });
            }
            (tree, fields)
        }
    };
    let mut node = root;
    for (i, f) in rest.iter().enumerate() {
        let Value::Object(m) = node else {
            // Setting a parameter inside a value written as a plain number: make it a map.
            return Err(suggest(format!(
                "`{path}`: `{}` is not written as a mapping in the scenario, so it has no `{f}`; set the whole value instead",
                rest[..i].join(".")
            )));
        };
        if i + 1 == rest.len() {
            if rest.len() == 2
                && rest[0] == "arrivals"
                && ["rate", "interval", "backlog"].contains(f)
            {
                // Switching the arrival form replaces the others (rate ↔ interval ↔ backlog).
                m.remove("rate");
                m.remove("interval");
                m.remove("backlog");
            }
            m.insert((*f).to_string(), value);
            return Ok(());
        }
        node = m
            .entry((*f).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    unreachable!("paths have at least one field")
}
