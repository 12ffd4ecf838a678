//! The opt-in event log of a run: every entry of an item into a status, in time
//! order, for `flowcast run --events` and the ground truth of `flowcast calibrate`.
//!
//! When a run is not recorded, each place an item changes status costs one
//! predictable branch on a flag: no allocation, no call through a pointer. When
//! it is, records go into a buffer the engine reuses and reach the caller's sink
//! in chunks. Entries that only the end of an instant can tell — an item held at
//! the entrance, or kept in an outbox, for a positive time — are written when the
//! instant is over, so the log stays in time order and has no zero-length rows.

use super::*;

/// Records buffered before they are handed to the sink.
const CHUNK: usize = 4096;

/// Where a recorded run hands full buffers of its log (`None`: not recorded).
pub(super) type Sink<'a> = Option<&'a mut dyn FnMut(&[Record])>;

/// The status an item enters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Arrived and held at the entrance of the stream (by the stream's WIP limit
    /// or a full first stage) for a positive time.
    Arrived,
    /// Entered stage `n` (index in the model's order): its handoff wait and queue.
    Waiting(u16),
    /// Work at stage `n` started: a worker, a process batch or a scheduled instant took it.
    InWork(u16),
    /// Finished at stage `n` and kept in its outbox (a forming handoff batch, or
    /// blocked by the next stage's WIP limit) for a positive time.
    Finished(u16),
    /// Delivered: it left the stream.
    Done,
}

/// One entry of an item into a status.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Record {
    /// The item's number, from 1 in order of arrival (a child's: its parent's).
    pub item: u64,
    /// A child of a split: its number among its parent's children, from 1
    /// (0: the item itself, not a child).
    pub part: u32,
    /// Its item type: an index into the model's types (the order of `mix`).
    pub ty: u16,
    /// The status it entered.
    pub status: Status,
    /// When, in simulated time (the scenario's time unit).
    pub time: f64,
}

/// The recording state an [`Engine`] keeps between runs (buffers reused).
#[derive(Debug, Default)]
pub(super) struct Recorder {
    /// Whether the current run is recorded.
    pub(super) on: bool,
    /// Records not yet handed to the sink.
    pub(super) buf: Vec<Record>,
    /// Items written at the end of the instant `closed_at` (an instant can be
    /// closed twice when a stuck run is released), so none is written twice.
    noted: Vec<u32>,
    closed_at: f64,
    /// Candidates found at the end of an instant.
    tmp: Vec<(u32, Status)>,
}

impl Recorder {
    /// Starts a run: recording or not, nothing buffered.
    pub(super) fn reset(&mut self, on: bool) {
        self.on = on;
        self.buf.clear();
        self.noted.clear();
        self.closed_at = f64::NAN;
    }
}

impl Engine<'_> {
    /// Runs once like [`Engine::run`] and hands every entry of an item into a
    /// status to `sink`, in time order (same-time entries in the order the
    /// engine made them), in chunks; the random draws are those of
    /// [`Engine::run`] with the same `run_key`.
    pub fn run_recorded(
        &mut self,
        run_key: u64,
        hist: &mut LogHistogram,
        sink: &mut dyn FnMut(&[Record]),
    ) -> Result<RunSummary, SimError> {
        self.rec.reset(true);
        let res = self.run_with(run_key, hist, Some(&mut *sink));
        if !self.rec.buf.is_empty() {
            sink(&self.rec.buf);
        }
        self.rec.reset(false);
        res
    }

    /// Notes that `slot` entered `status` now, when recording.
    #[inline(always)]
    pub(super) fn note(&mut self, slot: u32, status: Status) {
        if self.rec.on {
            self.note_now(slot, status);
        }
    }

    #[inline(never)]
    fn note_now(&mut self, slot: u32, status: Status) {
        let it = &self.items[slot as usize];
        let (item, part) = split::item_number(it.idx);
        self.rec.buf.push(Record {
            item,
            part,
            ty: it.ty,
            status,
            time: self.now,
        });
    }

    /// The instant is over: items that arrived now and are still held at the
    /// entrance, and items that finished now and are still in an outbox, stay
    /// there for a positive time — their entries are written now. Hands a full
    /// buffer to `sink`.
    pub(super) fn close_instant(&mut self, sink: &mut Sink<'_>) {
        if !self.rec.on {
            return;
        }
        let now = self.now;
        let reopened = self.rec.closed_at == now;
        if !reopened {
            self.rec.noted.clear();
            self.rec.closed_at = now;
        }
        let mut tmp = std::mem::take(&mut self.rec.tmp);
        tmp.clear();
        let items = &self.items;
        let held = self
            .entrance
            .iter()
            .rev()
            .take_while(|&&slot| items[slot as usize].arrival == now)
            .count();
        let first = self.entrance.len() - held;
        tmp.extend(self.entrance.range(first..).map(|&s| (s, Status::Arrived)));
        for rt in &self.st {
            for list in [&rt.forming, &rt.blocked] {
                let fresh = list
                    .iter()
                    .rev()
                    .take_while(|&&slot| items[slot as usize].listed == now)
                    .count();
                let from = list.len() - fresh;
                tmp.extend(
                    list.range(from..)
                        .map(|&slot| (slot, &items[slot as usize]))
                        .filter(|(_, it)| it.since == now)
                        .map(|(slot, it)| (slot, Status::Finished(it.stage))),
                );
            }
        }
        for &(slot, status) in &tmp {
            if reopened && self.rec.noted.contains(&slot) {
                continue;
            }
            self.rec.noted.push(slot);
            self.note_now(slot, status);
        }
        self.rec.tmp = tmp;
        if self.rec.buf.len() >= CHUNK
            && let Some(f) = sink
        {
            f(&self.rec.buf);
            self.rec.buf.clear();
        }
    }
}
