//! Which statuses belong to which stage: given in a workflow file, or inferred.

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
