//! Classes of service and queue policies (issue 13): which item types are
//! urgent, when they are due, and how a stage's queue picks its next item.

use super::Model;

/// A class of service (`classes: {expedite: {types: [incident], priority: 0}}`):
/// a set of item types that queues may treat alike.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    /// Its name, as the file writes it (`standard` for the implicit class).
    pub name: String,
    /// The item types in it, by index into [`Model::types`], in mix order.
    pub types: Vec<usize>,
    /// The priority as written (smaller = more urgent), when given. The order
    /// of [`Model::classes`] is the urgency: by priority, classes without one
    /// after those with one, ties in file order.
    pub priority: Option<u64>,
    /// Elapsed time after arrival by which an item of this class is due.
    pub due: Option<f64>,
    /// Its items may enter a stage over the stage's `wip_limit` and the stream
    /// over the stream's (an expedite lane).
    pub wip_exempt: bool,
}

/// How a stage's queue chooses the next item to start (`queue:`). Every policy
/// is non-preemptive: work once started is never interrupted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueuePolicy {
    /// First in, first out (the default).
    #[default]
    Fifo,
    /// By class of service, most urgent first; first in, first out within a class.
    Priority,
    /// Weighted shortest job first: the item type's cost of delay ÷ its
    /// expected remaining work (the mean work of the stages still ahead, this
    /// one included), highest first.
    Wsjf,
    /// The item whose type's mean work at this stage is shortest first
    /// (non-clairvoyant: the type's mean, not the item's own draw).
    ShortestFirst,
    /// Earliest due date first; items without one after every item with one.
    DueDate,
}

impl QueuePolicy {
    /// Every policy with its name in scenario files, in the order help lists them.
    pub const ALL: [(&'static str, QueuePolicy); 5] = [
        ("fifo", QueuePolicy::Fifo),
        ("priority", QueuePolicy::Priority),
        ("wsjf", QueuePolicy::Wsjf),
        ("shortest_first", QueuePolicy::ShortestFirst),
        ("due_date", QueuePolicy::DueDate),
    ];

    /// The policy's name as scenario files write it.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map_or("fifo", |(n, _)| n)
    }
}

impl Model {
    /// The class of item type `t`, when the scenario has classes.
    pub fn class_of(&self, t: usize) -> Option<&Class> {
        self.type_class.get(t).map(|&c| &self.classes[c])
    }

    /// Whether any stage's queue orders items by something other than arrival.
    pub fn has_queue_policies(&self) -> bool {
        self.stages.iter().any(|s| s.queue != QueuePolicy::Fifo)
    }

    /// The expected work still ahead of an item of type `t` that is about to be
    /// worked at stage `s`: the mean work of every stage from `s` on that the
    /// type visits, each once (rework it may still meet is not foreseen).
    pub fn remaining_work(&self, t: usize, s: usize) -> f64 {
        self.stages[s..]
            .iter()
            .filter(|st| !st.skip[t])
            .map(|st| st.work[t].mean())
            .sum()
    }

    /// How stage `s`'s queue ranks an item of type `t`, smaller first; ties
    /// go first in, first out. For `due_date` this is the time from arrival to
    /// the due date (infinite without one), to which the item's arrival is added.
    pub fn queue_rank(&self, s: usize, t: usize) -> f64 {
        let rank = match self.stages[s].queue {
            QueuePolicy::Fifo => 0.0,
            QueuePolicy::Priority => self.type_class.get(t).map_or(0.0, |&c| c as f64),
            QueuePolicy::Wsjf => {
                let cod = self
                    .economics
                    .as_ref()
                    .map_or(0.0, |e| e.cost_of_delay_of(t));
                let rest = self.remaining_work(t, s);
                let score = if rest > 0.0 {
                    cod / rest
                } else if cod > 0.0 {
                    f64::INFINITY
                } else {
                    0.0
                };
                -score
            }
            QueuePolicy::ShortestFirst => self.stages[s].work[t].mean(),
            QueuePolicy::DueDate => self
                .class_of(t)
                .and_then(|c| c.due)
                .unwrap_or(f64::INFINITY),
        };
        // −0 and 0 are one rank.
        if rank == 0.0 { 0.0 } else { rank }
    }
}
