//! What a run reports: its sums over the counting window, per stage and per item
//! type, and why a run could not finish.

use crate::model::MAX_LIVE_ITEMS;

/// What one run measured over its counting window (a few hundred bytes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    /// Items counted (deliveries after the warm-up).
    pub delivered: u64,
    /// Σ lead time of counted items.
    pub lead_sum: f64,
    /// Longest lead time.
    pub lead_max: f64,
    /// This run's median lead time (nearest rank).
    pub lead_p50: f64,
    /// This run's 85th percentile lead time (nearest rank).
    pub lead_p85: f64,
    /// This run's 95th percentile lead time (nearest rank).
    pub lead_p95: f64,
    /// Σ active time.
    pub active_sum: f64,
    /// Σ per-item flow efficiency.
    pub efficiency_sum: f64,
    /// Σ cycle time (from entering the commitment stage) and how many had one.
    pub cycle_sum: f64,
    /// Items with a cycle time.
    pub cycle_n: u64,
    /// Σ time held at the entrance (stream WIP limit, full first stage).
    pub entry_wait_sum: f64,
    /// Length of the counting window.
    pub window: f64,
    /// ∫ WIP dt over the window.
    pub wip_area: f64,
    /// Simulated time at the end of the run.
    pub end_time: f64,
    /// Working time within the window, with a calendar, in hours ÷ the unit's hours
    /// (the same measure as active time).
    pub window_working: f64,
    /// Deliveries (all, warm-up included) before the deadline set by
    /// [`Engine::set_deadline`](super::Engine::set_deadline).
    pub delivered_by: u64,
    /// Events processed.
    pub events: u64,
    /// Items that arrived in the run (created at the entrance).
    pub arrived: u64,
    /// Deliveries in the run, warm-up included.
    pub delivered_all: u64,
    /// Items still in the stream (or held at its entrance) when the run ended;
    /// `arrived == delivered_all + remaining` always.
    pub remaining: u64,
    /// Per stage, in file order.
    pub stages: Vec<StageSummary>,
    /// Per item type, in mix order.
    pub types: Vec<TypeSummary>,
    /// Per class of service, most urgent first (empty without classes).
    pub classes: Vec<ClassSummary>,
    /// Items that split (features), counted as the items above are: each
    /// delivered when its last child is; `area` is ∫ split items in the stream
    /// dt over the window, from their arrival to their last child's delivery.
    pub parents: LevelSummary,
    /// Children of splits (stories), counted when delivered inside the window
    /// (after its first instant, to the end of the run); lead time from the
    /// split; `area` is ∫ children in the stream dt over the window.
    pub children: LevelSummary,
    /// Items that split in the run, warm-up included.
    pub parents_made: u64,
    /// Children made in the run; `children_made == children_delivered_all + children_remaining`.
    pub children_made: u64,
    /// Children delivered in the run, warm-up included.
    pub children_delivered_all: u64,
    /// Children still in the stream when the run ended.
    pub children_remaining: u64,
}

/// One level of a split stream (the items that split, or their children) over
/// the counting window of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LevelSummary {
    /// Counted deliveries.
    pub delivered: u64,
    /// Σ their lead time.
    pub lead_sum: f64,
    /// The longest.
    pub lead_max: f64,
    /// Σ their active time.
    pub active_sum: f64,
    /// ∫ items of this level in the stream dt over the window.
    pub area: f64,
}

impl LevelSummary {
    /// Counts one delivery.
    #[inline]
    pub(super) fn add(&mut self, lead: f64, active: f64) {
        self.delivered += 1;
        self.lead_sum += lead;
        self.lead_max = self.lead_max.max(lead);
        self.active_sum += active;
    }
}

/// Per-stage sums of one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StageSummary {
    /// Visits by counted items.
    pub visits: u64,
    /// Σ time from entering the stage to starting work, counted items.
    pub wait: f64,
    /// Σ active time here, counted items.
    pub work: f64,
    /// Σ time in the outbox (batching, blocked by a full next stage), counted items.
    pub outbox: f64,
    /// Σ time in work outside working hours (nights, weekends), counted items.
    pub off_hours: f64,
    /// Σ time blocked here (waiting on someone outside the stage while in
    /// work), counted items.
    pub blocked: f64,
    /// ∫ busy workers dt over the window.
    pub busy_area: f64,
    /// ∫ items waiting (entered, not started) dt over the window.
    pub queue_area: f64,
}

/// Per-item-type sums of one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeSummary {
    /// Counted deliveries of this type.
    pub delivered: u64,
    /// Σ their lead time.
    pub lead_sum: f64,
    /// Σ their active time.
    pub active_sum: f64,
}

/// Per-class-of-service sums of one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClassSummary {
    /// Counted deliveries of the class.
    pub delivered: u64,
    /// Σ their lead time.
    pub lead_sum: f64,
    /// Those delivered by their due date (all of them when the class has none).
    pub on_time: u64,
}

/// Why a run could not finish.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// More items piled up than memory allows.
    #[error(
        "more than {MAX_LIVE_ITEMS} items piled up in the stream after {delivered} deliveries: it is overloaded far beyond \
         its capacity. Lower the arrival rate or add capacity (see `flowcast check`)."
    )]
    Runaway {
        /// Deliveries before it stopped.
        delivered: u64,
    },
    /// Nothing can move any more.
    #[error(
        "the stream stopped flowing at time {time} with {stuck} items inside; no batch or stage can move them"
    )]
    Stuck {
        /// Simulated time.
        time: f64,
        /// Items left.
        stuck: u64,
    },
}
