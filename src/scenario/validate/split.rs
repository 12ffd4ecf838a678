//! `split`: a stage where items become several child items (features into
//! stories, issue 13). The stage that splits and the children's item type are
//! read before the stages, since a child type that does not arrive on its own
//! joins the item types every stage's `work` and `skip` are read against.

use serde_saphyr::Spanned;

use super::{Builder, Scales, loc, show_number};
use crate::error::{ScenarioError, nearest};
use crate::model::{ItemType, MAX_PARTS, Split};
use crate::scenario::raw::{RawSplit, RawStage, RawValue};

/// Where the stream splits: the stage's index; when the children's type
/// arrives only through splits (share 0), that type — it passes by the stages
/// up to and including the split; and when the children are of another type
/// than their parents, the parents' types — which pass by the stages after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SplitAt {
    pub(super) stage: usize,
    pub(super) child_only: Option<usize>,
    pub(super) parent_only: Vec<usize>,
}

const INTO_HELP: &str = "give the number of parts one item becomes, e.g. `into: 4`, or a distribution of it, \
     e.g. `into: {dist: uniform, min: 2, max: 6}` (draws are rounded to whole parts)";

impl Builder<'_> {
    /// Finds the one stage with a `split` and adds its `as` type to `types`
    /// (share 0) when the mix does not name it.
    pub(super) fn split_at(
        &self,
        stages: &[RawStage],
        types: &mut Vec<ItemType>,
    ) -> Result<Option<SplitAt>, ScenarioError> {
        let mut found: Option<usize> = None;
        for (i, s) in stages.iter().enumerate() {
            let Some(sp) = &s.split else { continue };
            if let Some(first) = found {
                let line = (self.place)(loc(stages[first].split.as_ref().expect("found splits")))
                    .map(|l| format!(" on line {}", l.line))
                    .unwrap_or_default();
                return Err(self.err(
                    loc(sp),
                    format!(
                        "stage `{}` splits items, and so does stage `{}`{line}; only one stage may split",
                        s.name.value, stages[first].name.value
                    ),
                    "split once, where the work is broken down (features into stories); splitting \
                     the parts again (stories into tasks) is not supported yet",
                ));
            }
            found = Some(i);
        }
        let Some(stage) = found else {
            return Ok(None);
        };
        let sp = &stages[stage].split.as_ref().expect("found above").value;
        let child_only = match &sp.as_type {
            None => None,
            Some(a) => {
                let name = a.value.trim();
                if name.is_empty() {
                    return Err(self.err(
                        loc(a),
                        format!("stage `{}`: split.as is empty", stages[stage].name.value),
                        "name the item type of the parts, e.g. `as: story`, or leave `as` out to keep the item's own type",
                    ));
                }
                match types.iter().position(|t| t.name == name) {
                    Some(t) => (types[t].share == 0.0).then_some(t),
                    None => {
                        types.push(ItemType {
                            name: name.to_string(),
                            share: 0.0,
                        });
                        Some(types.len() - 1)
                    }
                }
            }
        };
        let child = sp
            .as_type
            .as_ref()
            .and_then(|a| types.iter().position(|t| t.name == a.value.trim()));
        let skipped = |name: &str| {
            stages[stage]
                .skip
                .as_ref()
                .is_some_and(|k| k.value.iter().any(|x| x == name))
        };
        let parent_only = match child {
            None => Vec::new(),
            Some(c) => (0..types.len())
                .filter(|&t| t != c && !skipped(&types[t].name))
                .filter(|&t| match &sp.types {
                    Some(list) => list.value.contains(&types[t].name),
                    None => types[t].share > 0.0,
                })
                .collect(),
        };
        Ok(Some(SplitAt {
            stage,
            child_only,
            parent_only,
        }))
    }

    /// A stage's `split`, read against the item types (children's type included).
    pub(super) fn split(
        &self,
        raw: &Spanned<RawSplit>,
        types: &[ItemType],
        at: &SplitAt,
        scales: &Scales,
        ctx: &dyn Fn(&str) -> String,
    ) -> Result<Split, ScenarioError> {
        let into = &raw.value.into;
        if let Some(t) = duration_text(&into.value) {
            return Err(self.err(
                loc(into),
                ctx(&format!(
                    "split.into has `{t}`, a duration; it is a number of parts"
                )),
                INTO_HELP,
            ));
        }
        let d = self.dist(into, &scales.elapsed, &ctx("split.into"))?;
        let mean = d.mean();
        if mean.is_nan() || mean < 1.0 {
            return Err(self.err(
                loc(into),
                ctx(&format!(
                    "split.into is {}; an item splits into at least 1 part",
                    if d.is_constant() {
                        show_number(mean)
                    } else {
                        format!("a distribution with mean {}", show_number(mean))
                    }
                )),
                INTO_HELP,
            ));
        }
        if mean > f64::from(MAX_PARTS) {
            return Err(self.err(
                loc(into),
                ctx(&format!(
                    "split.into has a mean of {} parts, more than the {MAX_PARTS} flowcast supports",
                    show_number(mean)
                )),
                "split into the pieces people plan and track (stories), not into hours or tasks",
            ));
        }
        let split_types = match &raw.value.types {
            None => types.iter().map(|t| t.share > 0.0).collect(),
            Some(list) => self.split_types(list, types, ctx)?,
        };
        let child_type = raw
            .value
            .as_type
            .as_ref()
            .and_then(|a| types.iter().position(|t| t.name == a.value.trim()));
        debug_assert!(at.child_only.is_none() || at.child_only == child_type);
        Ok(Split::new(d, split_types, child_type))
    }

    /// `split.types`: item types of the mix, at least one.
    fn split_types(
        &self,
        list: &Spanned<Vec<String>>,
        types: &[ItemType],
        ctx: &dyn Fn(&str) -> String,
    ) -> Result<Vec<bool>, ScenarioError> {
        if list.value.is_empty() {
            return Err(self.err(
                loc(list),
                ctx("split.types lists no item type"),
                "name the item types that split, e.g. `types: [feature]`, or leave `types` out so every type splits",
            ));
        }
        let mut out = vec![false; types.len()];
        for t in &list.value {
            match types.iter().position(|x| x.name == *t) {
                Some(k) => out[k] = true,
                None => {
                    let hint = nearest(t, types.iter().map(|x| x.name.as_str()))
                        .map(|n| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    return Err(self.err(
                        loc(list),
                        ctx(&format!(
                            "split.types names an item type `{t}` that is not in arrivals.mix"
                        )),
                        format!(
                            "{hint}item types are: {}",
                            types
                                .iter()
                                .map(|x| x.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(out)
    }
}

/// The first text in a count distribution other than the distribution's name
/// (`3d`, `"4"`): counts are plain numbers, never durations.
fn duration_text(v: &RawValue) -> Option<String> {
    match v {
        RawValue::Str(t) => Some(t.clone()),
        RawValue::Map(m) => m
            .iter()
            .filter(|(k, _)| k != "dist")
            .find_map(|(_, x)| duration_text(x)),
        RawValue::Seq(v) => v.iter().find_map(duration_text),
        _ => None,
    }
}
