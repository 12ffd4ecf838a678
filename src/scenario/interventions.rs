//! Interventions: named changes applied to a copy of the baseline (SPEC §2.3).
//!
//! Changes are applied to the scenario as a tree (the YAML as written), then the
//! changed tree is read and validated exactly like a scenario file. So every path
//! a scenario can express can be set, and a change that makes the stream invalid
//! is reported like any other scenario error, naming the intervention.

use crate::error::{Error, Loc, ScenarioError, Source, edit_distance, nearest};
use crate::model::{Model, Variant};
use crate::scenario::Scenario;
use crate::scenario::raw::{self, RawIntervention, RawValue, parse_tree};
use crate::scenario::tree::{Kind, Node, Origin, origin_at};
use crate::scenario::validate;

/// One change of an intervention.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// `PATH = VALUE`; the value remembers where it was written.
    Set(String, Node),
    /// Drop a stage.
    Remove(String),
    /// Insert a stage after (or before) another.
    Add {
        /// Stage to insert after (`None`: at the start).
        after: Option<String>,
        /// The stage, as written.
        stage: Node,
    },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Set(path, value) => write!(f, "{path} = {}", yamlish(value)),
            Change::Remove(stage) => write!(f, "remove stage {stage}"),
            Change::Add { after, stage } => {
                let name = stage.get("name").and_then(Node::text).unwrap_or("?");
                match after {
                    Some(a) => write!(f, "add stage {name} after {a}"),
                    None => write!(f, "add stage {name} at the start"),
                }
            }
        }
    }
}

/// A value as it would be written in a scenario: `1w`, `[mon, tue]`, `{dist: exponential, mean: 2}`.
fn yamlish(v: &Node) -> String {
    match &v.kind {
        Kind::Null => "null".into(),
        Kind::Plain(t) => t.clone(),
        Kind::Text(s) if s.is_empty() || s.contains([':', ',', '{', '}', '[', ']', '#']) => {
            format!("\"{s}\"")
        }
        Kind::Text(s) => s.clone(),
        Kind::Seq(a) => format!("[{}]", a.iter().map(yamlish).collect::<Vec<_>>().join(", ")),
        Kind::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, x)| format!("{}: {}", yamlish(k), yamlish(x)))
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

const STAGE_FIELDS: [&str; 13] = [
    "name",
    "workers",
    "work",
    "wait",
    "rework",
    "blocked",
    "handoff_batch",
    "process_batch",
    "schedule",
    "wip_limit",
    "skip",
    "queue",
    "split",
];
const NESTED: [(&str, &[&str]); 6] = [
    ("rework", &["probability", "to", "effort"]),
    (
        "blocked",
        &["probability", "duration", "holds_worker", "at"],
    ),
    ("handoff_batch", &["size", "max_wait"]),
    ("process_batch", &["max", "min"]),
    ("schedule", &["every", "first", "capacity", "on", "at"]),
    ("split", &["into", "types", "as"]),
];
const DIST_PARAMS: [&str; 12] = [
    "dist", "value", "mean", "min", "max", "mode", "cv", "p50", "p90", "shape", "scale", "samples",
];

/// The interventions written in the scenario file, their values located where
/// they are written.
pub fn from_file(scenario: &Scenario) -> Result<Vec<Intervention>, Error> {
    let src = &scenario.source;
    if scenario.raw.interventions.is_empty() {
        return Ok(Vec::new());
    }
    let tree = parse_tree(src)?;
    let nodes: &[Node] = match tree.get("interventions").map(|n| &n.kind) {
        Some(Kind::Seq(v)) => v,
        _ => &[],
    };
    let mut out = Vec::new();
    for (spanned, node) in scenario.raw.interventions.iter().zip(nodes) {
        let iv = &spanned.value;
        let mut changes = Vec::new();
        if let Some(set) = &iv.set {
            changes.extend(set_changes(src, iv, set, node.get("set"))?);
        }
        if let Some(remove) = &iv.remove {
            changes.extend(remove.value.iter().cloned().map(Change::Remove));
        }
        if let Some(add) = &iv.add {
            let entries: &[Node] = match node.get("add").map(|n| &n.kind) {
                Some(Kind::Seq(v)) => v,
                _ => &[],
            };
            for a in entries {
                changes.push(add_change(src, iv, add, a)?);
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
            loc: Loc::from_yaml(&iv.name.referenced),
            origin: src.name.clone(),
        });
    }
    Ok(out)
}

/// The `set:` entries of one intervention, each value with its place in the file.
fn set_changes(
    src: &Source,
    iv: &RawIntervention,
    set: &serde_saphyr::Spanned<RawValue>,
    node: Option<&Node>,
) -> Result<Vec<Change>, Error> {
    let not_a_map = || {
        src.error(
            Loc::from_yaml(&set.referenced),
            format!("intervention `{}`: set is not a mapping", iv.name.value),
            Some("write `set: {review.workers: 2, develop.handoff_batch: 5}`".into()),
        )
    };
    let Some(Kind::Map(entries)) = node.map(|n| &n.kind) else {
        return Err(not_a_map().into());
    };
    let mut out = Vec::new();
    for (key, value) in entries {
        let Some(path) = key.text() else {
            return Err(not_a_map().into());
        };
        out.push(Change::Set(path.to_string(), value.clone()));
    }
    Ok(out)
}

/// One `add:` entry: `{after: STAGE, stage: {...}}`.
fn add_change(
    src: &Source,
    iv: &RawIntervention,
    add: &serde_saphyr::Spanned<Vec<RawValue>>,
    a: &Node,
) -> Result<Change, Error> {
    let at = match a.origin {
        Origin::File(l) => l,
        Origin::Flag => Loc::from_yaml(&add.referenced),
    };
    let bad = || {
        src.error(
            at,
            format!(
                "intervention `{}`: each `add` entry is `{{after: STAGE, stage: {{...}}}}`",
                iv.name.value
            ),
            Some("e.g. `add: [{after: develop, stage: {name: pairing, work: 2h}}]`".into()),
        )
    };
    let Kind::Map(m) = &a.kind else {
        return Err(bad().into());
    };
    let mut after = None;
    let mut stage = None;
    for (k, v) in m {
        match (k.text(), &v.kind) {
            (Some("after"), Kind::Plain(s) | Kind::Text(s)) => after = Some(s.clone()),
            (Some("stage"), Kind::Map(_)) => stage = Some(v.clone()),
            _ => return Err(bad().into()),
        }
    }
    let Some(stage) = stage else {
        return Err(bad().into());
    };
    Ok(Change::Add { after, stage })
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
        let v = Node::parse(value, true).map_err(|e| {
            usage(format!(
                "cannot read the value `{value}`: {}",
                raw::yaml_message(&e).0
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
    tree.remove("interventions");
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

/// Applies one intervention to the baseline tree and validates the result; an
/// error is reported where the offending value was written.
pub fn apply(scenario: &Scenario, base: &Node, iv: &Intervention) -> Result<Model, Error> {
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
    // The changed tree is read exactly like a scenario file.
    let (text, marks) = tree.render();
    let src = Source {
        name: scenario.source.name.clone(),
        text,
    };
    let place = |l: Loc| match origin_at(&marks, l.column) {
        Some(Origin::File(at)) if l.line > 0 && at.line > 0 => Some(at),
        _ => None,
    };
    raw::parse(&src)
        .and_then(|raw| validate::model_written_from(&raw, &src, &place))
        .map_err(|e| relocate(scenario, iv, &marks, e))
}

/// Moves an error in the rendered variant back to where the value was
/// written: the file's line and column, or the `--what-if` flag.
fn relocate(
    scenario: &Scenario,
    iv: &Intervention,
    marks: &[(u64, Origin)],
    e: ScenarioError,
) -> Error {
    let origin = (e.loc.line > 0)
        .then(|| origin_at(marks, e.loc.column))
        .flatten();
    match origin {
        Some(Origin::File(loc)) if loc.line > 0 => {
            let by = if iv.loc.line > 0 {
                format!("intervention `{}`", iv.name)
            } else {
                format!("with {}", iv.origin)
            };
            scenario
                .source
                .error(loc, format!("{by}: {}", e.message), e.help)
                .into()
        }
        Some(Origin::Flag) if iv.loc.line == 0 => Error::Scenario(Box::new(ScenarioError {
            file: iv.origin.clone(),
            loc: Loc::UNKNOWN,
            message: e.message,
            help: e.help,
            snippet: None,
        })),
        _ => fail(scenario, iv, e.message, e.help),
    }
}

fn stages_mut(tree: &mut Node) -> &mut Vec<Node> {
    tree.get_mut("stages")
        .and_then(Node::seq_mut)
        .expect("a validated scenario has a list of stages")
}

fn stage_names(stages: &[Node]) -> Vec<String> {
    stages
        .iter()
        .filter_map(|s| s.get("name").and_then(Node::text).map(str::to_string))
        .collect()
}

fn hint_list(word: &str, options: &[String], label: &str) -> String {
    let near = nearest(word, options.iter().map(String::as_str))
        .map(|n| format!("did you mean `{n}`? "))
        .unwrap_or_default();
    format!("{near}{label}: {}", options.join(", "))
}

/// Every path `set` accepts on this tree, for suggestions.
pub fn valid_paths(tree: &Node) -> Vec<String> {
    let mut out: Vec<String> = [
        "wip_limit",
        "commitment",
        "queue",
        "arrivals.rate",
        "arrivals.interval",
        "arrivals.backlog",
        "arrivals.mix",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(r) = tree.get("resources") {
        out.extend(r.keys().iter().map(|k| format!("resources.{k}")));
    }
    let arrivals = tree.get("arrivals");
    if let Some(mix) = arrivals.and_then(|a| a.get("mix")) {
        out.extend(mix.keys().iter().map(|k| format!("arrivals.mix.{k}")));
    }
    if let Some(iv) = arrivals.and_then(|a| a.get("interval")) {
        out.extend(iv.keys().iter().map(|k| format!("arrivals.interval.{k}")));
    }
    if let Some(Kind::Seq(stages)) = tree.get("stages").map(|n| &n.kind) {
        for s in stages {
            if let Some(name) = s.get("name").and_then(Node::text) {
                stage_paths(s, name, &mut out);
            }
        }
    }
    out
}

fn stage_paths(s: &Node, name: &str, out: &mut Vec<String>) {
    for f in STAGE_FIELDS.iter().filter(|f| **f != "name") {
        out.push(format!("{name}.{f}"));
    }
    for (f, subs) in NESTED {
        for sub in subs {
            out.push(format!("{name}.{f}.{sub}"));
        }
    }
    if let Some(d) = s.get("blocked").and_then(|b| b.get("duration")) {
        out.extend(
            d.keys()
                .iter()
                .map(|p| format!("{name}.blocked.duration.{p}")),
        );
    }
    if let Some(into) = s.get("split").and_then(|sp| sp.get("into")) {
        out.extend(into.keys().iter().map(|p| format!("{name}.split.into.{p}")));
    }
    for f in ["work", "wait"] {
        if let Some(Kind::Map(m)) = s.get(f).map(|n| &n.kind) {
            for (k, v) in m {
                let Some(k) = k.text() else { continue };
                out.push(format!("{name}.{f}.{k}"));
                out.extend(v.keys().iter().map(|p| format!("{name}.{f}.{k}.{p}")));
            }
        }
    }
}

/// Why a path cannot be set, and the nearest valid paths.
type PathError = (String, String);

/// Sets `path` (a stage name or top-level key, then field names) to `value`.
fn set(tree: &mut Node, path: &str, value: Node) -> Result<(), PathError> {
    let paths = valid_paths(tree);
    let suggest = |what: String| -> PathError {
        let mut near: Vec<(usize, &String)> =
            paths.iter().map(|p| (edit_distance(path, p), p)).collect();
        near.sort();
        let list: Vec<&str> = near.iter().take(4).map(|(_, p)| p.as_str()).collect();
        (what, format!("nearest valid paths: {}", list.join(", ")))
    };
    let stages = match tree.get("stages").map(|n| &n.kind) {
        Some(Kind::Seq(a)) => stage_names(a),
        _ => Vec::new(),
    };
    // The longest stage name the path starts with (names may contain dots).
    let stage = stages
        .iter()
        .filter(|n| path.starts_with(n.as_str()) && path[n.len()..].starts_with('.'))
        .max_by_key(|n| n.len())
        .cloned();
    let (root, rest): (&mut Node, Vec<&str>) = match &stage {
        Some(name) => {
            let fields: Vec<&str> = path[name.len() + 1..].split('.').collect();
            check_stage_path(path, &fields, &paths).map_err(suggest)?;
            let node = stages_mut(tree)
                .iter_mut()
                .find(|s| s.get("name").and_then(Node::text) == Some(name.as_str()))
                .expect("the stage was found by name above");
            (node, fields)
        }
        None => {
            let fields: Vec<&str> = path.split('.').collect();
            check_top_path(path, &fields, &paths, &suggest)?;
            (tree, fields)
        }
    };
    let mut node = root;
    for (i, f) in rest.iter().enumerate() {
        if i + 1 == rest.len() && *f == "value" && matches!(node.kind, Kind::Plain(_)) {
            // A constant written as a bare number: its value is the number itself.
            *node = value;
            return Ok(());
        }
        if !matches!(node.kind, Kind::Map(_)) {
            return Err(suggest(format!(
                "`{path}`: `{}` is not written as a mapping in the scenario, so it has no `{f}`; set the whole value instead",
                rest[..i].join(".")
            )));
        }
        if i + 1 == rest.len() {
            if rest.len() == 2
                && rest[0] == "arrivals"
                && ["rate", "interval", "backlog"].contains(f)
            {
                // Switching the arrival form replaces the others (rate ↔ interval ↔ backlog).
                for form in ["rate", "interval", "backlog"] {
                    node.remove(form);
                }
            }
            node.insert(f, value);
            return Ok(());
        }
        if node.get(f).is_none() {
            node.insert(f, Node::new(value.origin, Kind::Map(Vec::new())));
        }
        node = node.get_mut(f).expect("the field was just made");
    }
    unreachable!("paths have at least one field")
}

/// Whether `fields` (after the stage name) name something a stage has.
fn check_stage_path(path: &str, fields: &[&str], paths: &[String]) -> Result<(), String> {
    let f0 = fields[0];
    if !STAGE_FIELDS.contains(&f0) || f0 == "name" {
        return Err(format!("`{path}`: a stage has no field `{f0}`"));
    }
    // A block's duration and `split.into` are distributions: their parameters
    // may be set one by one.
    let dist_param = matches!(fields, ["blocked", "duration", p] | ["split", "into", p] if DIST_PARAMS.contains(p));
    if let Some((_, subs)) = NESTED.iter().find(|(f, _)| *f == f0)
        && let Some(sub) = fields.get(1)
        && (!subs.contains(sub) || fields.len() > 2)
        && !dist_param
    {
        return Err(format!(
            "`{path}`: {f0} has no field `{}`",
            fields[1..].join(".")
        ));
    }
    if (f0 == "work" || f0 == "wait") && fields.len() > 1 {
        let last = fields[fields.len() - 1];
        if fields.len() > 3 || (!DIST_PARAMS.contains(&last) && !paths.iter().any(|p| p == path)) {
            return Err(format!("`{path}` is not a parameter of this stage's {f0}"));
        }
    }
    Ok(())
}

/// Whether a path that names no stage is a setting variants may change;
/// `suggest` turns a complaint into one with the nearest valid paths.
fn check_top_path(
    path: &str,
    fields: &[&str],
    paths: &[String],
    suggest: &dyn Fn(String) -> PathError,
) -> Result<(), PathError> {
    let ok = match fields {
        ["wip_limit"] | ["commitment"] | ["queue"] => true,
        ["arrivals", "rate" | "interval" | "backlog" | "mix"] => true,
        ["arrivals", "mix" | "interval", _] => {
            paths.iter().any(|p| p == path) || fields[1] == "interval"
        }
        // A shared pool's size: `resources.qa: 4` (the pool must exist).
        ["resources", _] => paths.iter().any(|p| p == path),
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(match fields[0] {
        "simulation" | "seed" | "time_unit" | "name" | "economics" | "start" | "calendar"
        | "classes" => (
            format!(
                "`{path}` cannot differ between variants: every variant runs with the same runs, items, seed, \
                 time unit, calendar, economics and classes of service, so that they can be compared"
            ),
            "change it in the scenario file itself, for all variants".to_string(),
        ),
        _ => suggest(format!(
            "`{path}` is not a stage field or a setting that can be changed"
        )),
    })
}
