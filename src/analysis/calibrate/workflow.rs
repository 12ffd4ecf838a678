//! Which statuses belong to which stage: given in a workflow file, or inferred.
//!
//! The file (YAML):
//!
//! ```yaml
//! workflow:
//!   - stage: analyse
//!     queue: [Open, Ready for analysis]     # waiting for this stage
//!     active: [In analysis]                 # being worked on
//!   - stage: develop
//!     queue: [Selected for development]
//!     active: [In Progress, In Review]
//! done: [Done, Released]
//! not_delivered: [Cancelled, Won't do]
//! blocked: [Blocked, Waiting for info]
//! commitment: develop
//! ```

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::History;
use crate::Error;
use crate::error::{Loc, Source};

pub use super::infer::infer;

/// One stage of the workflow and its statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowStage {
    /// The stage name written into the scenario.
    pub stage: String,
    /// Statuses that mean "waiting for this stage".
    pub queue: Vec<String>,
    /// Statuses that mean "being worked on in this stage".
    pub active: Vec<String>,
}

/// Status → stage mapping (the workflow file's shape).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Workflow {
    /// Stages in flow order.
    pub stages: Vec<WorkflowStage>,
    /// Statuses that mean delivered.
    pub done: Vec<String>,
    /// Statuses where items end without being delivered (cancelled, won't do).
    pub not_delivered: Vec<String>,
    /// Statuses whose time counts as waiting at the item's current stage.
    pub blocked: Vec<String>,
    /// The stage whose entry starts cycle time, when given.
    pub commitment: Option<String>,
}

/// What a status means under a workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Waiting for the stage with this index.
    Queue(u32),
    /// Being worked on in the stage with this index.
    Active(u32),
    /// Waiting at the item's current stage.
    Blocked,
    /// Delivered.
    Done,
    /// Ended without delivery.
    NotDelivered,
    /// Not in the workflow (its time counts as queue time of the current stage).
    Unmapped,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkflow {
    workflow: Spanned<Vec<RawStage>>,
    #[serde(default)]
    done: Vec<Spanned<String>>,
    #[serde(default)]
    not_delivered: Vec<Spanned<String>>,
    #[serde(default)]
    blocked: Vec<Spanned<String>>,
    #[serde(default)]
    commitment: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    stage: Spanned<String>,
    #[serde(default)]
    queue: Vec<Spanned<String>>,
    #[serde(default)]
    active: Vec<Spanned<String>>,
}

impl Workflow {
    /// Reads a workflow file; errors name the file, line and column.
    pub fn load(path: &Path) -> Result<Workflow, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        })?;
        Workflow::from_text(&path.display().to_string(), &text)
    }

    /// Reads workflow text; `name` is shown as the file in errors.
    pub fn from_text(name: &str, text: &str) -> Result<Workflow, Error> {
        let src = Source {
            name: name.to_string(),
            text: text.to_string(),
        };
        let raw: RawWorkflow = serde_saphyr::from_str(text).map_err(|e| {
            let loc = e.location().map(|l| Loc::from_yaml(&l)).unwrap_or_default();
            let (message, help) = crate::scenario::raw::yaml_message(&e);
            src.error(loc, message, help.or_else(|| Some(FORMAT_HELP.into())))
        })?;
        validate(&src, raw)
    }

    /// What `status` means here ([`Role::Unmapped`] when it is not listed).
    pub fn role(&self, status: &str) -> Role {
        for (i, s) in self.stages.iter().enumerate() {
            if s.queue.iter().any(|q| q == status) {
                return Role::Queue(i as u32);
            }
            if s.active.iter().any(|a| a == status) {
                return Role::Active(i as u32);
            }
        }
        if self.done.iter().any(|d| d == status) {
            Role::Done
        } else if self.not_delivered.iter().any(|d| d == status) {
            Role::NotDelivered
        } else if self.blocked.iter().any(|d| d == status) {
            Role::Blocked
        } else {
            Role::Unmapped
        }
    }

    /// The index of the stage called `name`.
    pub fn stage_index(&self, name: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.stage == name)
    }

    /// The workflow as a file that [`Workflow::from_text`] reads back equal.
    pub fn to_yaml(&self) -> String {
        let list = |v: &[String]| {
            let names: Vec<String> = v.iter().map(|s| quote(s)).collect();
            format!("[{}]", names.join(", "))
        };
        let mut out = String::from("workflow:\n");
        for s in &self.stages {
            out.push_str(&format!("  - stage: {}\n", quote(&s.stage)));
            out.push_str(&format!("    queue: {}\n", list(&s.queue)));
            out.push_str(&format!("    active: {}\n", list(&s.active)));
        }
        out.push_str(&format!("done: {}\n", list(&self.done)));
        out.push_str(&format!("not_delivered: {}\n", list(&self.not_delivered)));
        out.push_str(&format!("blocked: {}\n", list(&self.blocked)));
        if let Some(c) = &self.commitment {
            out.push_str(&format!("commitment: {}\n", quote(c)));
        }
        out
    }

    /// The role of every status of `history`, by status index.
    pub fn roles(&self, history: &History) -> Vec<Role> {
        history.statuses.iter().map(|s| self.role(s)).collect()
    }
}

const FORMAT_HELP: &str = "a workflow file has `workflow:` (a list of `- stage: NAME` with `queue: [...]` and `active: [...]`), and optional `done`, `not_delivered`, `blocked` lists and `commitment: STAGE`";

/// A YAML double-quoted scalar (JSON's escapes are YAML's).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.replace('"', "'")))
}

/// The workflow as written, checked rule by rule (each with its located error).
///
/// Long on purpose: the rules in the order a reader of the file meets them.
fn validate(src: &Source, raw: RawWorkflow) -> Result<Workflow, Error> {
    let at = |s: &Spanned<String>| Loc::from_yaml(&s.referenced);
    if raw.workflow.value.is_empty() {
        return Err(src
            .error(
                Loc::from_yaml(&raw.workflow.referenced),
                "the workflow lists no stages",
                Some(FORMAT_HELP.into()),
            )
            .into());
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut check = |s: &Spanned<String>, place: String| -> Result<String, Error> {
        let name = s.value.trim().to_string();
        if name.is_empty() {
            return Err(src
                .error(at(s), format!("an empty status name in {place}"), None)
                .into());
        }
        if let Some(first) = seen.insert(name.clone(), place.clone()) {
            return Err(src
                .error(
                    at(s),
                    format!("status `{name}` is listed twice: in {first} and in {place}"),
                    Some("a status belongs to one place only; remove one of them".into()),
                )
                .into());
        }
        Ok(name)
    };
    let mut stages = Vec::new();
    for st in &raw.workflow.value {
        let name = st.stage.value.trim().to_string();
        if stages.iter().any(|s: &WorkflowStage| s.stage == name) {
            return Err(src
                .error(
                    at(&st.stage),
                    format!("stage `{name}` is listed twice"),
                    None,
                )
                .into());
        }
        if st.queue.is_empty() && st.active.is_empty() {
            return Err(src
                .error(
                    at(&st.stage),
                    format!("stage `{name}` lists no statuses"),
                    Some("give it `queue: [...]` and/or `active: [...]`".into()),
                )
                .into());
        }
        let place = |kind: &str| format!("stage `{name}`'s {kind}");
        let queue = st
            .queue
            .iter()
            .map(|s| check(s, place("queue")))
            .collect::<Result<_, _>>()?;
        let active = st
            .active
            .iter()
            .map(|s| check(s, place("active")))
            .collect::<Result<_, _>>()?;
        stages.push(WorkflowStage {
            stage: name,
            queue,
            active,
        });
    }
    let mut list = |v: &[Spanned<String>], key: &str| -> Result<Vec<String>, Error> {
        v.iter().map(|s| check(s, format!("`{key}`"))).collect()
    };
    let done = list(&raw.done, "done")?;
    let not_delivered = list(&raw.not_delivered, "not_delivered")?;
    let blocked = list(&raw.blocked, "blocked")?;
    let commitment = match &raw.commitment {
        None => None,
        Some(c) => {
            let name = c.value.trim();
            if !stages.iter().any(|s| s.stage == name) {
                let names: Vec<&str> = stages.iter().map(|s| s.stage.as_str()).collect();
                let near = crate::error::nearest(name, names.iter().copied());
                return Err(src
                    .error(
                        at(c),
                        format!("commitment `{name}` is not a stage of the workflow"),
                        Some(match near {
                            Some(n) => {
                                format!("did you mean `{n}`? the stages are {}", names.join(", "))
                            }
                            None => format!("the stages are {}", names.join(", ")),
                        }),
                    )
                    .into());
            }
            Some(name.to_string())
        }
    };
    Ok(Workflow {
        stages,
        done,
        not_delivered,
        blocked,
        commitment,
    })
}
