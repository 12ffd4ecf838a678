//! Splitting (`split:` on a stage): an item that finishes its work there
//! becomes N child items in the stage's outbox, which flow on as items of
//! their own; the parent waits outside the stages and is delivered when its
//! last child is.
//!
//! Children's identities are derived from the parent's arrival index and the
//! child's number ([`child_idx`]), so every child draws the same work in every
//! variant (common random numbers), and the number of children is drawn from
//! the parent's own stream. Children rank after every item that is not a
//! child among same-instant ties, and among themselves by parent and number.
//!
//! A parent's time after the split is its last child's: when that child is
//! delivered, its per-stage time and active time are added to the parent's,
//! so a parent's lead time is still the sum of its parts (its critical path).
//! The levels' time integrals (∫ parents in the stream dt, from arrival to the
//! last child's delivery; ∫ children dt, from the split to delivery) are kept
//! over the counting window, for Little's law per level. An item is in the
//! parents' level from its arrival when its type splits (it reaches the split
//! stage, whose `types` name it): the level is known when it arrives.

use super::*;

/// The high bit marks a child's arrival index.
pub(super) const CHILD: u64 = 1 << 63;
/// Bits of a child's index that hold its number (1 ..= `MAX_PARTS` < 2¹⁴).
pub(super) const CHILD_BITS: u32 = 14;

/// The arrival index of child `k` (from 1) of the item with index `parent`.
#[inline]
pub(super) fn child_idx(parent: u64, k: u32) -> u64 {
    CHILD | (parent << CHILD_BITS) | u64::from(k)
}

/// For records: (the item's number from 1, the child's number or 0).
#[inline]
pub(super) fn item_number(idx: u64) -> (u64, u32) {
    if idx & CHILD == 0 {
        (idx + 1, 0)
    } else {
        let k = (idx & ((1 << CHILD_BITS) - 1)) as u32;
        (((idx & !CHILD) >> CHILD_BITS) + 1, k)
    }
}

/// The split state of one run.
#[derive(Debug, Default)]
pub(super) struct Levels {
    /// Parents waiting for children, and ∫ of them dt in the window so far.
    parents_live: u64,
    parents_area: f64,
    parents_last: f64,
    /// Children in the stream, and ∫ of them dt in the window so far.
    kids_live: u64,
    kids_area: f64,
    kids_last: f64,
    /// Too many items for memory: the run stops at the end of the instant.
    pub(super) overflow: bool,
}

impl Engine<'_> {
    /// Splits the item in `slot`, which finished its work at `s`, into its
    /// children, each put in the outbox of `s`. False (and nothing done) when
    /// the children would not fit in memory: the run then stops.
    pub(super) fn split(&mut self, slot: u32, s: usize) -> bool {
        let stage = &self.model.stages[s];
        let sp = stage.split.as_ref().expect("only a split stage splits");
        let p = self.items[slot as usize];
        let draw = sp
            .into
            .sample(&mut self.rng(DRAW_SPLIT, p.idx, stage.key, 0));
        let n = Split::parts(draw);
        let ty = sp.child_type.map_or(p.ty, |t| t as u16);
        if self.items.len() - self.free.len() + n as usize > MAX_LIVE_ITEMS {
            self.sp.overflow = true;
            return false;
        }
        // The parent leaves the stage; each child holds a place there and in
        // the stream (so the stream's and the stage's WIP count children).
        self.touch(s);
        self.st[s].count -= 1;
        self.unfront(slot);
        let m = &mut self.items[slot as usize];
        m.phase = Phase::Split;
        m.fq = NONE16;
        m.kids = n;
        self.in_stream += n - 1;
        self.out.parents_made += 1;
        self.touch_kids();
        self.sp.kids_live += u64::from(n);
        self.out.children_made += u64::from(n);
        for k in 1..=n {
            let c = self.alloc(Item {
                idx: child_idx(p.idx, k),
                arrival: self.now,
                since: self.now,
                listed: self.now,
                commit: p.commit,
                active: 0.0,
                entry_wait: 0.0,
                rest: f64::NAN,
                effort: 1.0,
                redo_upto: -1,
                ty,
                stage: s as u16,
                phase: Phase::Outbox,
                fq: NONE16,
                fc: NONE16,
                band: 0,
                parent: slot,
                kids: 0,
            });
            self.st[s].count += 1;
            self.put_in_outbox(c, s);
        }
        true
    }

    /// Counts the children among this instant's deliveries (`list`, sorted by
    /// index, so they are at its end) and replaces them by the parents they
    /// complete, re-sorted into arrival order.
    pub(super) fn settle_children(&mut self, list: &mut Vec<u32>) {
        let items = &self.items;
        let first = list.partition_point(|&slot| items[slot as usize].idx & CHILD == 0);
        if first == list.len() {
            return;
        }
        self.touch_kids();
        let end = list.len();
        for i in first..end {
            let c = list[i];
            let it = self.items[c as usize];
            self.sp.kids_live -= 1;
            self.out.children_delivered_all += 1;
            if self.counting {
                self.out.children.add(self.now - it.arrival, it.active);
            }
            let p = it.parent as usize;
            self.items[p].kids -= 1;
            if self.items[p].kids == 0 {
                self.inherit(p, c as usize, it.active);
                list.push(p as u32);
            }
            self.free.push(c);
        }
        list.drain(first..end);
        if list.len() > first {
            let items = &self.items;
            list.sort_unstable_by_key(|&slot| items[slot as usize].idx);
        }
    }

    /// The parent in slot `p` is done with its last child, in slot `c`: the
    /// child's visits and times become the parent's after the split.
    fn inherit(&mut self, p: usize, c: usize, active: f64) {
        let s = self.n_stages;
        for j in 0..s {
            self.visits[p * s + j] += self.visits[c * s + j];
        }
        for j in 0..s * ACC {
            self.acc[p * s * ACC + j] += self.acc[c * s * ACC + j];
        }
        self.items[p].active += active;
        self.note(p as u32, Status::Done);
    }

    /// An item of a type that splits arrived: it is in the parents' level from
    /// now (whose integral therefore never depends on the order of same-time
    /// splits).
    #[inline]
    pub(super) fn parent_arrived(&mut self) {
        self.touch_parents();
        self.sp.parents_live += 1;
    }

    /// A parent delivered now (counted or not): it leaves the parents' level.
    #[inline]
    pub(super) fn parent_done(&mut self) {
        self.touch_parents();
        self.sp.parents_live -= 1;
    }

    #[inline]
    fn touch_parents(&mut self) {
        if self.counting {
            self.sp.parents_area += self.sp.parents_live as f64 * (self.now - self.sp.parents_last);
        }
        self.sp.parents_last = self.now;
    }

    #[inline]
    fn touch_kids(&mut self) {
        if self.counting {
            self.sp.kids_area += self.sp.kids_live as f64 * (self.now - self.sp.kids_last);
        }
        self.sp.kids_last = self.now;
    }

    /// The window opens now: the levels' integrals count from here.
    pub(super) fn open_levels(&mut self) {
        self.sp.parents_last = self.now;
        self.sp.kids_last = self.now;
    }

    /// The run is over: the levels' integrals and what is left, into the summary.
    pub(super) fn finish_levels(&mut self) {
        self.touch_parents();
        self.touch_kids();
        self.out.parents.area = self.sp.parents_area;
        self.out.children.area = self.sp.kids_area;
        self.out.children_remaining = self.sp.kids_live;
    }
}
