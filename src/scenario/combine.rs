//! Combining interventions for `flowcast invest`: which pairs touch the same
//! setting (and so cannot be combined), one intervention made of several, and
//! "one more person" candidates.

use crate::error::{Error, Loc};
use crate::model::{Capacity, Model};
use crate::scenario::interventions::{Change, Intervention};
use crate::scenario::tree::Node;

/// The settings an intervention changes, as paths: `release.schedule.every`,
/// a removed or added stage's name (all of it), `@after:STAGE` for where a
/// stage is added, and the arrival form for `arrivals.rate|interval|backlog`.
pub fn touched(iv: &Intervention) -> Vec<String> {
    let mut out = Vec::new();
    for c in &iv.changes {
        match c {
            Change::Set(path, _) => {
                let form = ["arrivals.rate", "arrivals.interval", "arrivals.backlog"]
                    .iter()
                    .any(|f| path == f || path.starts_with(&format!("{f}.")));
                out.push(if form {
                    "arrivals.rate|interval|backlog".to_string()
                } else {
                    path.clone()
                });
            }
            Change::Remove(stage) => {
                out.push(stage.clone());
                out.push(format!("@after:{stage}"));
            }
            Change::Add { after, stage } => {
                if let Some(name) = stage.get("name").and_then(Node::text) {
                    out.push(name.to_string());
                }
                out.push(format!("@after:{}", after.as_deref().unwrap_or("")));
            }
        }
    }
    out
}

/// Whether `a` is `b` or a setting inside it (on a dot boundary).
fn within(a: &str, b: &str) -> bool {
    a == b || (a.starts_with(b) && a[b.len()..].starts_with('.'))
}

/// Why `a` and `b` cannot be combined, when they touch the same setting.
pub fn conflict(a: &Intervention, b: &Intervention) -> Option<String> {
    let (ta, tb) = (touched(a), touched(b));
    for x in &ta {
        for y in &tb {
            if !(within(x, y) || within(y, x)) {
                continue;
            }
            let what = |p: &str| match p.strip_prefix("@after:") {
                Some("") => "the start of the stream".to_string(),
                Some(s) => format!("the place after stage {s}"),
                None => p.to_string(),
            };
            let shorter = if x.len() <= y.len() { x } else { y };
            return Some(format!(
                "`{}` and `{}` both change {}",
                a.name,
                b.name,
                what(shorter)
            ));
        }
    }
    None
}

/// One intervention applying `members` in the order given (file order), its
/// costs the sums of theirs; named `A + B + …`.
pub fn combine(members: &[&Intervention]) -> Intervention {
    let sum = |f: &dyn Fn(&Intervention) -> Option<f64>| -> Option<f64> {
        let xs: Vec<f64> = members.iter().filter_map(|m| f(m)).collect();
        (!xs.is_empty()).then(|| xs.iter().sum())
    };
    Intervention {
        name: members
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
        changes: members.iter().flat_map(|m| m.changes.clone()).collect(),
        cost: sum(&|m| m.cost),
        cost_per_year: sum(&|m| m.cost_per_year),
        loc: Loc::UNKNOWN,
        origin: members
            .first()
            .map_or_else(String::new, |m| m.origin.clone()),
    }
}

/// "One more person" at each of `targets` (stage or pool names; all stages
/// with their own workers and all pools when empty), each costing `salary` a
/// year. Refuses names that are neither.
pub fn hires(model: &Model, targets: &[String], salary: f64) -> Result<Vec<Intervention>, Error> {
    let mut all: Vec<(String, String, u32)> = Vec::new();
    for s in &model.stages {
        if let Capacity::Workers(w) = s.capacity {
            all.push((s.name.clone(), format!("{}.workers", s.name), w));
        }
    }
    for p in &model.pools {
        all.push((p.name.clone(), format!("resources.{}", p.name), p.workers));
    }
    let chosen: Vec<&(String, String, u32)> = if targets.is_empty() {
        all.iter().collect()
    } else {
        let mut out = Vec::new();
        for t in targets {
            match all.iter().find(|(n, _, _)| n == t) {
                Some(x) => out.push(x),
                None => {
                    let names: Vec<&str> = all.iter().map(|(n, _, _)| n.as_str()).collect();
                    return Err(Error::Usage(format!(
                        "--hire {t}: there is no stage with its own workers or shared pool named `{t}`; \
                         those that have people are: {}",
                        if names.is_empty() {
                            "none".to_string()
                        } else {
                            names.join(", ")
                        }
                    )));
                }
            }
        }
        out
    };
    let mut out = Vec::new();
    for (name, path, w) in chosen {
        let value = Node::parse(&(w + 1).to_string(), true)
            .map_err(|e| Error::Usage(format!("cannot write {} workers: {e}", w + 1)))?;
        out.push(Intervention {
            name: format!("one more person at {name}"),
            changes: vec![Change::Set(path.clone(), value)],
            cost: None,
            cost_per_year: Some(salary),
            loc: Loc::UNKNOWN,
            origin: format!("--hire {name}"),
        });
    }
    Ok(out)
}
