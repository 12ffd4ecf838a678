//! `classes` and `queue`: classes of service (item types that queues treat
//! alike, with a priority, a due date and a WIP exemption) and the queue
//! policies of the stages (issue 13).

use serde_saphyr::Spanned;

use super::{Builder, loc};
use crate::error::{ScenarioError, nearest};
use crate::model::{Class, Economics, ItemType, Pool, QueuePolicy, Stage, Timescale};
use crate::scenario::raw::{RawClasses, RawScenario};

/// The class item types named by no class belong to.
const STANDARD: &str = "standard";

impl Builder<'_> {
    /// The classes of service, most urgent first, and per item type the index
    /// of its class (both empty without `classes`). Types no class names
    /// belong to the class `standard`: the declared one of that name, or an
    /// implicit one after every other class.
    pub(super) fn classes(
        &self,
        raw: Option<&Spanned<RawClasses>>,
        types: &[ItemType],
        elapsed: &Timescale,
    ) -> Result<(Vec<Class>, Vec<usize>), ScenarioError> {
        let Some(raw) = raw else {
            return Ok((Vec::new(), Vec::new()));
        };
        if raw.value.0.is_empty() {
            return Err(self.err(
                loc(raw),
                "classes lists no class",
                "e.g. `classes: {expedite: {types: [incident], priority: 0}}`, or remove `classes`",
            ));
        }
        let mut owner: Vec<Option<usize>> = vec![None; types.len()];
        let mut classes: Vec<Class> = Vec::with_capacity(raw.value.0.len() + 1);
        for (name, c) in &raw.value.0 {
            let n = name.value.trim();
            if n.is_empty() {
                return Err(self.err(
                    loc(name),
                    "a class name is empty",
                    "give every class a name",
                ));
            }
            if classes.iter().any(|k| k.name == name.value) {
                return Err(self.err(
                    loc(name),
                    format!("classes: two classes are named `{}`", name.value),
                    "class names must be unique; rename one",
                ));
            }
            let ctx = |f: &str| format!("class `{}`: {f}", name.value);
            let members = self.class_types(
                &c.value.types,
                types,
                &mut owner,
                classes.len(),
                &classes,
                &ctx,
            )?;
            let due = match &c.value.due {
                None => None,
                Some(d) => {
                    let v = self.duration(d, elapsed, &ctx("due"))?;
                    if v <= 0.0 {
                        return Err(self.err(
                            loc(d),
                            ctx("due must be longer than 0"),
                            "due is the time from arrival to the due date, e.g. `due: 20d`",
                        ));
                    }
                    Some(v)
                }
            };
            classes.push(Class {
                name: name.value.clone(),
                types: members,
                priority: c.value.priority.as_ref().map(|p| p.value),
                due,
                wip_exempt: c.value.wip_exempt.as_ref().is_some_and(|w| w.value),
            });
        }
        let rest: Vec<usize> = (0..types.len()).filter(|&t| owner[t].is_none()).collect();
        if !rest.is_empty() {
            match classes.iter_mut().find(|c| c.name == STANDARD) {
                Some(c) => {
                    c.types.extend(rest);
                    c.types.sort_unstable();
                }
                None => classes.push(Class {
                    name: STANDARD.into(),
                    types: rest,
                    priority: None,
                    due: None,
                    wip_exempt: false,
                }),
            }
        }
        // Most urgent first: by priority, classes without one after, file order within.
        let mut order: Vec<usize> = (0..classes.len()).collect();
        order.sort_by_key(|&i| (classes[i].priority.is_none(), classes[i].priority, i));
        let classes: Vec<Class> = order.iter().map(|&i| classes[i].clone()).collect();
        let mut type_class = vec![0; types.len()];
        for (c, class) in classes.iter().enumerate() {
            for &t in &class.types {
                type_class[t] = c;
            }
        }
        Ok((classes, type_class))
    }

    /// The item types one class lists, each in no other class.
    fn class_types(
        &self,
        list: &Spanned<Vec<String>>,
        types: &[ItemType],
        owner: &mut [Option<usize>],
        this: usize,
        earlier: &[Class],
        ctx: &dyn Fn(&str) -> String,
    ) -> Result<Vec<usize>, ScenarioError> {
        if list.value.is_empty() {
            return Err(self.err(
                loc(list),
                ctx("types lists no item type"),
                "list the item types of arrivals.mix in this class, e.g. `types: [incident]`",
            ));
        }
        let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        let mut members = Vec::new();
        for t in &list.value {
            let Some(k) = names.iter().position(|n| n == t) else {
                let hint = nearest(t, names.iter().copied())
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                let what = if types.len() == 1 && types[0].name == "item" {
                    "there is no arrivals.mix, so the one item type is `item`".to_string()
                } else {
                    format!("item types are: {}", names.join(", "))
                };
                return Err(self.err(
                    loc(list),
                    ctx(&format!(
                        "types names an item type `{t}` that is not in arrivals.mix"
                    )),
                    format!("{hint}{what}"),
                ));
            };
            match owner[k] {
                Some(o) if o == this => {}
                Some(o) => {
                    return Err(self.err(
                        loc(list),
                        ctx(&format!(
                            "item type `{t}` is already in class `{}`",
                            earlier[o].name
                        )),
                        "an item type belongs to one class of service; remove it from one of them",
                    ));
                }
                None => {
                    owner[k] = Some(this);
                    members.push(k);
                }
            }
        }
        members.sort_unstable();
        Ok(members)
    }

    /// A queue policy written by name (`ctx` names where, for messages).
    pub(super) fn queue_policy(
        &self,
        q: &Spanned<String>,
        ctx: &str,
    ) -> Result<QueuePolicy, ScenarioError> {
        let word = q.value.trim();
        if let Some((_, p)) = QueuePolicy::ALL.iter().find(|(n, _)| *n == word) {
            return Ok(*p);
        }
        let names = QueuePolicy::ALL.map(|(n, _)| n);
        let hint = nearest(word, names)
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        Err(self.err(
            loc(q),
            format!("{ctx} `{}` is not a queue policy", q.value),
            format!("{hint}queue policies are: {}", names.join(", ")),
        ))
    }

    /// Whether every stage's queue policy has what it needs: `priority` some
    /// classes, `due_date` a class with a due date, `wsjf` a cost of delay; and
    /// whether the stages of one shared pool agree on a policy.
    pub(super) fn check_queues(
        &self,
        raw: &RawScenario,
        stages: &[Stage],
        classes: &[Class],
        economics: Option<&Economics>,
        pools: &[Pool],
    ) -> Result<(), ScenarioError> {
        for (rs, s) in raw.stages.value.iter().zip(stages) {
            let Some(q) = rs.queue.as_ref().or(raw.queue.as_ref()) else {
                continue;
            };
            let at = loc(q);
            let whose = if rs.queue.is_some() {
                format!("stage `{}`: queue", s.name)
            } else {
                format!("queue (the policy of stage `{}`)", s.name)
            };
            match s.queue {
                QueuePolicy::Priority if classes.is_empty() => {
                    return Err(self.err(
                        at,
                        format!("{whose} is priority, but the scenario has no classes of service"),
                        "declare them at the top level, e.g. `classes: {expedite: {types: [incident], priority: 0}}`; \
                         without classes every item has the same priority",
                    ));
                }
                QueuePolicy::DueDate if classes.iter().all(|c| c.due.is_none()) => {
                    return Err(self.err(
                        at,
                        format!("{whose} is due_date, but no class of service has a due date"),
                        "give a class a due time after arrival, e.g. `classes: {fixed_date: {types: [regulatory], due: 20d}}`",
                    ));
                }
                QueuePolicy::Wsjf if economics.is_none_or(|e| e.cost_of_delay.is_none()) => {
                    return Err(self.err(
                        at,
                        format!("{whose} is wsjf, but the scenario has no cost of delay"),
                        "wsjf ranks items by cost of delay ÷ remaining work; add \
                         `economics: {cost_of_delay: 4000}` (per item per week)",
                    ));
                }
                _ => {}
            }
        }
        for (p, pool) in pools.iter().enumerate() {
            let mut first: Option<&Stage> = None;
            for (rs, s) in raw.stages.value.iter().zip(stages) {
                if s.capacity != crate::model::Capacity::Pool(p) {
                    continue;
                }
                match first {
                    None => first = Some(s),
                    Some(f) if f.queue != s.queue => {
                        let at = rs
                            .queue
                            .as_ref()
                            .or(raw.queue.as_ref())
                            .map_or_else(|| loc(&rs.name), loc);
                        return Err(self.err(
                            at,
                            format!(
                                "stage `{}`: queue is {}, but stage `{}` of the same pool `{}` uses {}",
                                s.name,
                                s.queue.name(),
                                f.name,
                                pool.name,
                                f.queue.name()
                            ),
                            "one pool's people choose their next item across its stages by one policy; \
                             give the pool's stages the same `queue`",
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(())
    }
}
