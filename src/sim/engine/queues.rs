//! Stage queues: first in, first out (a `VecDeque` kept in (time listed,
//! arrival) order, as every stage had before queue policies), or ranked by the
//! stage's queue policy (a binary heap on (rank, time listed, arrival)). The
//! rank of an item at a stage never changes while it waits there, so a heap
//! keeps the best in front; every key is the item's own, so the choice never
//! depends on the order in which same-time events were recorded.

use super::*;

/// A waiting item of a ranked queue with its key: smaller `rank` first, then
/// first in, first out.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ranked {
    rank: f64,
    listed: f64,
    idx: u64,
    slot: u32,
}

impl Ranked {
    fn key(&self) -> (f64, f64, u64) {
        (self.rank, self.listed, self.idx)
    }
}

impl PartialEq for Ranked {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Ranked {
    // Reversed, so the std max-heap pops the smallest key first.
    fn cmp(&self, o: &Self) -> Ordering {
        o.rank
            .total_cmp(&self.rank)
            .then(o.listed.total_cmp(&self.listed))
            .then(o.idx.cmp(&self.idx))
    }
}

/// One stage's queue of items entered and not yet started.
#[derive(Debug, Default)]
pub(super) struct Queue {
    /// The queue of a first-in-first-out stage (empty at ranked stages).
    pub(super) fifo: VecDeque<u32>,
    /// The queue of a ranked stage (empty at first-in-first-out stages).
    ranked: BinaryHeap<Ranked>,
    /// Whether the stage's policy ranks items.
    is_ranked: bool,
}

impl Queue {
    /// An empty queue, ranked when the stage's policy is not first in, first out.
    pub(super) fn new(is_ranked: bool) -> Queue {
        Queue {
            is_ranked,
            ..Queue::default()
        }
    }

    #[inline]
    pub(super) fn is_ranked(&self) -> bool {
        self.is_ranked
    }

    #[inline]
    pub(super) fn len(&self) -> usize {
        self.fifo.len() + self.ranked.len()
    }

    #[inline]
    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item that starts next.
    #[inline]
    pub(super) fn front(&self) -> Option<u32> {
        if self.is_ranked {
            self.ranked.peek().map(|r| r.slot)
        } else {
            self.fifo.front().copied()
        }
    }

    /// Takes the item that starts next.
    #[inline]
    pub(super) fn pop_front(&mut self) -> Option<u32> {
        if self.is_ranked {
            self.ranked.pop().map(|r| r.slot)
        } else {
            self.fifo.pop_front()
        }
    }

    /// Every waiting item, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &u32> {
        self.fifo.iter().chain(self.ranked.iter().map(|r| &r.slot))
    }

    pub(super) fn clear(&mut self) {
        self.fifo.clear();
        self.ranked.clear();
    }
}

impl Engine<'_> {
    /// The rank of the item in `slot` at stage `s` (smaller first).
    #[inline]
    fn rank_at(&self, slot: u32, s: usize) -> f64 {
        let it = &self.items[slot as usize];
        let r = self.ranks[s * self.n_types + it.ty as usize];
        if self.model.stages[s].queue == QueuePolicy::DueDate {
            // The part of a split item is due by its parent's arrival plus its
            // class's time to the due date, as the item it came from.
            let origin = if it.parent == NONE32 {
                it.arrival
            } else {
                self.items[it.parent as usize].arrival
            };
            origin + r
        } else {
            r
        }
    }

    /// Puts `slot` into the ranked queue of `s`, listed now; an item resuming
    /// after a block goes ahead of every new item (behind those that resumed
    /// earlier).
    pub(super) fn join_ranked(&mut self, slot: u32, s: usize, resumed: bool) {
        let rank = if resumed {
            f64::NEG_INFINITY
        } else {
            self.rank_at(slot, s)
        };
        let it = &mut self.items[slot as usize];
        it.listed = self.now;
        let entry = Ranked {
            rank,
            listed: self.now,
            idx: it.idx,
            slot,
        };
        self.st[s].queue.ranked.push(entry);
    }

    /// The key of the item that starts next at `s` — (rank, time listed,
    /// arrival); rank 0 at a first-in-first-out stage, and −∞ for an item
    /// resuming after a block — to compare queues.
    #[inline]
    pub(super) fn front_key(&self, s: usize) -> Option<(f64, f64, u64)> {
        let q = &self.st[s].queue;
        if q.is_ranked {
            q.ranked.peek().map(Ranked::key)
        } else {
            let rank = if self.st[s].resumed > 0 {
                f64::NEG_INFINITY
            } else {
                0.0
            };
            q.fifo.front().map(|&slot| {
                let it = &self.items[slot as usize];
                (rank, it.listed, it.idx)
            })
        }
    }
}

/// Per (stage, item type), `s × types + t`: the rank the stage's queue policy
/// gives the type there ([`Model::queue_rank`]).
pub(super) fn rank_table(model: &Model) -> Vec<f64> {
    let nt = model.types.len();
    (0..model.stages.len() * nt)
        .map(|k| model.queue_rank(k / nt, k % nt))
        .collect()
}
