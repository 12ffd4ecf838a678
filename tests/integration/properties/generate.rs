//! Random *valid* scenarios for the property tests, kept as data so that a test
//! can transform one (scale its durations, add a worker, rename a stage) and
//! write both versions out as YAML.
//!
//! Every duration is a multiple of 1/8 day below 100, so sums of durations are
//! exact in binary floating point, and scaling them by 2, ½ or 10 stays exact:
//! ties between events stay ties in a scaled copy. The arrival interval is
//! derived from the stages' offered load (`Model::loads`) so that every stage is
//! at most about half busy and runs finish quickly.

use std::fmt;

use proptest::prelude::*;

use flowcast::Scenario;
use flowcast::model::Model;

/// A distribution of work or wait.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dist {
    /// Always this long.
    Const(f64),
    /// Exponential with this mean.
    Exp(f64),
    /// Uniform between the two.
    Uniform(f64, f64),
}

/// Who works at a stage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cap {
    /// N workers, FIFO.
    Workers(u32),
    /// No queue.
    Unlimited,
    /// Scheduled instants.
    Schedule {
        every: f64,
        first: Option<f64>,
        capacity: Option<u32>,
    },
}

/// One stage.
#[derive(Clone, Debug, PartialEq)]
pub struct StageSpec {
    pub name: String,
    pub cap: Cap,
    pub work: Dist,
    pub wait: Option<Dist>,
    /// (size, max_wait)
    pub handoff: Option<(u32, Option<f64>)>,
    /// (max, min)
    pub process: Option<(u32, Option<u32>)>,
    pub wip_limit: Option<u32>,
    /// (probability, index of the target stage, effort)
    pub rework: Option<(f64, usize, Option<f64>)>,
    /// Indices of the item types that pass this stage by.
    pub skip: Vec<usize>,
    /// Blocked work: (probability, duration, holds_worker, at).
    pub blocked: Option<(f64, Dist, bool, Option<f64>)>,
    /// Items split here into this many parts (`split: {into}`).
    pub split: Option<Parts>,
}

/// How many parts an item splits into.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Parts {
    /// Always this many.
    Const(u32),
    /// Drawn uniformly between the two and rounded.
    Uniform(u32, u32),
}

/// How work arrives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arr {
    /// Poisson, items per day.
    Rate(f64),
    /// Constant interval.
    Interval(f64),
    /// Items waiting at time 0.
    Backlog(u32),
}

/// A class of service for the first item type and a queue policy for every stage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    /// `priority`, `shortest_first` or `due_date`.
    pub queue: &'static str,
    /// Whether the class passes WIP limits.
    pub exempt: bool,
    /// Its due time after arrival.
    pub due: f64,
}

/// A whole scenario.
#[derive(Clone, PartialEq)]
pub struct Spec {
    pub arrivals: Arr,
    /// Shares of the item types (empty: no mix).
    pub mix: Vec<f64>,
    /// Classes of service and a queue policy (only with a mix).
    pub policy: Option<Policy>,
    pub stream_wip: Option<u32>,
    pub stages: Vec<StageSpec>,
    pub items: u32,
    pub warmup: u32,
}

/// proptest shows the minimal failing case through `Debug`: show it as the YAML
/// it stands for, ready to paste into a file.
impl fmt::Debug for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{}", self.yaml())
    }
}

fn num(x: f64) -> String {
    // `Display` of f64 is the shortest text that reads back to the same number.
    format!("{x}")
}

impl Dist {
    fn yaml(self) -> String {
        match self {
            Dist::Const(v) => num(v),
            Dist::Exp(m) => format!("{{dist: exponential, mean: {}}}", num(m)),
            Dist::Uniform(a, b) => format!("{{dist: uniform, min: {}, max: {}}}", num(a), num(b)),
        }
    }

    fn mean(self) -> f64 {
        match self {
            Dist::Const(v) | Dist::Exp(v) => v,
            Dist::Uniform(a, b) => (a + b) / 2.0,
        }
    }

    fn scaled(self, k: f64) -> Dist {
        match self {
            Dist::Const(v) => Dist::Const(v * k),
            Dist::Exp(m) => Dist::Exp(m * k),
            Dist::Uniform(a, b) => Dist::Uniform(a * k, b * k),
        }
    }
}

/// The name of item type `t`.
pub fn type_name(t: usize) -> String {
    format!("type{t}")
}

impl StageSpec {
    fn yaml(&self, stages: &[StageSpec]) -> String {
        let mut f = vec![format!("name: {}", self.name)];
        match self.cap {
            Cap::Workers(n) => f.push(format!("workers: {n}")),
            Cap::Unlimited => f.push("workers: unlimited".into()),
            Cap::Schedule {
                every,
                first,
                capacity,
            } => {
                let mut s = vec![format!("every: {}", num(every))];
                if let Some(x) = first {
                    s.push(format!("first: {}", num(x)));
                }
                if let Some(c) = capacity {
                    s.push(format!("capacity: {c}"));
                }
                f.push(format!("schedule: {{{}}}", s.join(", ")));
            }
        }
        f.push(format!("work: {}", self.work.yaml()));
        if let Some(w) = self.wait {
            f.push(format!("wait: {}", w.yaml()));
        }
        match self.handoff {
            Some((n, None)) => f.push(format!("handoff_batch: {n}")),
            Some((n, Some(mw))) => f.push(format!(
                "handoff_batch: {{size: {n}, max_wait: {}}}",
                num(mw)
            )),
            None => {}
        }
        match self.process {
            Some((max, None)) => f.push(format!("process_batch: {{max: {max}}}")),
            Some((max, Some(min))) => f.push(format!("process_batch: {{max: {max}, min: {min}}}")),
            None => {}
        }
        if let Some(w) = self.wip_limit {
            f.push(format!("wip_limit: {w}"));
        }
        if let Some((p, to, effort)) = self.rework {
            let mut r = vec![
                format!("probability: {}", num(p)),
                format!("to: {}", stages[to].name),
            ];
            if let Some(e) = effort {
                r.push(format!("effort: {}", num(e)));
            }
            f.push(format!("rework: {{{}}}", r.join(", ")));
        }
        if !self.skip.is_empty() {
            let names: Vec<String> = self.skip.iter().map(|&t| type_name(t)).collect();
            f.push(format!("skip: [{}]", names.join(", ")));
        }
        if let Some((p, d, holds, at)) = self.blocked {
            let mut b = vec![
                format!("probability: {}", num(p)),
                format!("duration: {}", d.yaml()),
                format!("holds_worker: {holds}"),
            ];
            if let Some(a) = at {
                b.push(format!("at: {}", num(a)));
            }
            f.push(format!("blocked: {{{}}}", b.join(", ")));
        }
        match self.split {
            Some(Parts::Const(n)) => f.push(format!("split: {{into: {n}}}")),
            Some(Parts::Uniform(a, b)) => f.push(format!(
                "split: {{into: {{dist: uniform, min: {a}, max: {b}}}}}"
            )),
            None => {}
        }
        format!("  - {{{}}}\n", f.join(", "))
    }
}

impl Spec {
    /// The scenario file.
    pub fn yaml(&self) -> String {
        let mut arr = match self.arrivals {
            Arr::Rate(r) => format!("rate: {}", num(r)),
            Arr::Interval(d) => format!("interval: {}", num(d)),
            Arr::Backlog(n) => format!("backlog: {n}"),
        };
        if !self.mix.is_empty() {
            let m: Vec<String> = self
                .mix
                .iter()
                .enumerate()
                .map(|(t, s)| format!("{}: {}", type_name(t), num(*s)))
                .collect();
            arr.push_str(&format!(", mix: {{{}}}", m.join(", ")));
        }
        let mut y = format!("name: property\ntime_unit: days\narrivals: {{{arr}}}\n");
        if let Some(w) = self.stream_wip {
            y.push_str(&format!("wip_limit: {w}\n"));
        }
        if let Some(p) = self.policy {
            y.push_str(&format!(
                "classes: {{first: {{types: [{}], priority: 0, wip_exempt: {}, due: {}}}}}\nqueue: {}\n",
                type_name(0),
                p.exempt,
                num(p.due),
                p.queue
            ));
        }
        y.push_str("stages:\n");
        for s in &self.stages {
            y.push_str(&s.yaml(&self.stages));
        }
        if !self.is_backlog() {
            y.push_str(&format!(
                "simulation: {{items: {}, warmup: {}}}\n",
                self.items, self.warmup
            ));
        }
        y
    }

    /// The validated model (panics on an invalid scenario: generators only make valid ones).
    pub fn model(&self) -> Model {
        match Scenario::from_text("property.yaml", &self.yaml()) {
            Ok(s) => s.model,
            Err(e) => panic!("generated scenario is invalid:\n{}\n{e}", self.yaml()),
        }
    }

    /// Whether it parses and validates.
    pub fn is_valid(&self) -> bool {
        Scenario::from_text("property.yaml", &self.yaml()).is_ok()
    }

    pub fn is_backlog(&self) -> bool {
        matches!(self.arrivals, Arr::Backlog(_))
    }

    /// Deliveries counted per run when nothing is wrong.
    pub fn counted(&self) -> u64 {
        match self.arrivals {
            Arr::Backlog(n) => u64::from(n),
            _ => u64::from(self.items - self.warmup),
        }
    }

    /// The same scenario with every duration multiplied by `k` (and the rate divided by it).
    pub fn scaled(&self, k: f64) -> Spec {
        let mut s = self.clone();
        s.arrivals = match s.arrivals {
            Arr::Rate(r) => Arr::Rate(r / k),
            Arr::Interval(d) => Arr::Interval(d * k),
            b => b,
        };
        if let Some(p) = &mut s.policy {
            p.due *= k;
        }
        for st in &mut s.stages {
            st.work = st.work.scaled(k);
            st.wait = st.wait.map(|w| w.scaled(k));
            if let Some((_, d, _, _)) = &mut st.blocked {
                *d = d.scaled(k);
            }
            if let Some((_, Some(mw))) = &mut st.handoff {
                *mw *= k;
            }
            if let Cap::Schedule { every, first, .. } = &mut st.cap {
                *every *= k;
                if let Some(f) = first {
                    *f *= k;
                }
            }
        }
        s
    }

    /// Sets the arrival interval so that every stage is at most about `1/slack` busy.
    fn stabilise(mut self, slack: f64) -> Spec {
        if self.is_backlog() {
            return self;
        }
        let probe = Spec {
            arrivals: Arr::Rate(1.0),
            ..self.clone()
        };
        let Ok(sc) = Scenario::from_text("probe.yaml", &probe.yaml()) else {
            return self; // invalid anyway; the filter drops it
        };
        let loads = sc.model.loads();
        // Load at one arrival per day = the interval at which a stage is 100% busy.
        let busiest = loads.iter().filter_map(|l| l.load).fold(0.125, f64::max);
        // A WIP limit caps throughput at limit ÷ (time an item spends inside);
        // bound the latter by the work, wait, schedule period and batching of the
        // stages it covers, twice over.
        let time_in = |s: &StageSpec, visits: f64| {
            let every = match s.cap {
                Cap::Schedule { every, first, .. } => every + first.unwrap_or(0.0),
                _ => 0.0,
            };
            let batch = s.handoff.map_or(0.0, |(n, mw)| {
                mw.unwrap_or(f64::from(n) * 2.0 * busiest * slack)
            }) + s.process.map_or(0.0, |(_, min)| {
                f64::from(min.unwrap_or(1)) * 2.0 * busiest * slack
            });
            let blocked = s.blocked.map_or(0.0, |(p, d, _, _)| p * d.mean());
            2.0 * visits
                * (s.work.mean() + s.wait.map_or(0.0, Dist::mean) + blocked + every + batch)
        };
        let mut bound = busiest;
        let mut whole = 0.0;
        for (s, l) in self.stages.iter().zip(&loads) {
            let t = time_in(s, l.visits.max(1.0));
            whole += t;
            if let Some(w) = s.wip_limit {
                bound = bound.max(t / f64::from(w));
            }
        }
        if let Some(w) = self.stream_wip {
            bound = bound.max(whole / f64::from(w));
        }
        let interval = (bound * slack * 8.0).ceil() / 8.0;
        self.arrivals = match self.arrivals {
            Arr::Rate(_) => Arr::Rate(1.0 / interval),
            Arr::Interval(_) => Arr::Interval(interval),
            b => b,
        };
        self
    }
}

/// What a generated scenario may contain.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Only constant work and waits (exact arithmetic, for scaling).
    pub constant_only: bool,
    /// Which arrivals: 0 any, 1 open only, 2 Poisson only, 3 backlog only.
    pub arrivals: u8,
    /// At least two item types.
    pub mix: bool,
    /// Allow WIP limits (stream and stage).
    pub wip_limits: bool,
    /// Allow a stream WIP limit.
    pub stream_wip: bool,
    /// Allow classes of service and queue policies (with a mix).
    pub policies: bool,
    /// Let one stage split items into parts (features into stories).
    pub splits: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            constant_only: false,
            arrivals: 0,
            mix: false,
            wip_limits: true,
            stream_wip: true,
            policies: true,
            splits: false,
        }
    }
}

/// A duration: 1/8 to 4 days in steps of 1/8.
pub fn dur() -> impl Strategy<Value = f64> + Clone {
    (1u32..=32).prop_map(|n| f64::from(n) / 8.0)
}

fn dist(constant_only: bool) -> BoxedStrategy<Dist> {
    if constant_only {
        dur().prop_map(Dist::Const).boxed()
    } else {
        prop_oneof![
            3 => dur().prop_map(Dist::Const),
            2 => dur().prop_map(Dist::Exp),
            2 => (dur(), dur()).prop_map(|(a, b)| Dist::Uniform(a, a + b)),
        ]
        .boxed()
    }
}

fn cap() -> impl Strategy<Value = Cap> {
    prop_oneof![
        5 => (1u32..=4).prop_map(Cap::Workers),
        1 => Just(Cap::Unlimited),
        1 => (
            dur(),
            proptest::option::weighted(0.5, (0u32..=16).prop_map(|n| f64::from(n) / 8.0)),
            proptest::option::weighted(0.5, 1u32..=6),
        )
            .prop_map(|(every, first, capacity)| Cap::Schedule { every, first, capacity }),
    ]
}

/// One stage at position `i` of a stream with `types` item types.
fn stage(i: usize, types: usize, o: Options) -> impl Strategy<Value = StageSpec> {
    let effort = proptest::option::of(prop_oneof![Just(0.5), Just(1.5), Just(2.0)]);
    let rework = proptest::option::weighted(
        0.25,
        ((1u32..=9).prop_map(|n| f64::from(n) / 20.0), 0..=i, effort),
    );
    // Blocked work: a fixed point of the work (exact in binary) or a drawn one,
    // which the constant-only scenarios leave out so that scaling stays exact.
    let at = if o.constant_only {
        prop_oneof![Just(Some(0.0)), Just(Some(0.5)), Just(Some(1.0))].boxed()
    } else {
        prop_oneof![
            Just(None),
            Just(Some(0.0)),
            Just(Some(0.5)),
            Just(Some(1.0))
        ]
        .boxed()
    };
    let blocked = proptest::option::weighted(
        0.25,
        (
            prop_oneof![Just(0.25), Just(0.5), Just(1.0)],
            dist(o.constant_only),
            proptest::bool::weighted(0.3),
            at,
        ),
    );
    let wip = if o.wip_limits {
        proptest::option::weighted(0.25, 1u32..=8).boxed()
    } else {
        Just(None).boxed()
    };
    let split = if o.splits {
        let uniform = if o.constant_only {
            (1u32..=3).prop_map(Parts::Const).boxed()
        } else {
            (1u32..=2, 0u32..=3)
                .prop_map(|(a, d)| Parts::Uniform(a, a + d))
                .boxed()
        };
        proptest::option::weighted(0.4, prop_oneof![(1u32..=3).prop_map(Parts::Const), uniform])
            .boxed()
    } else {
        Just(None).boxed()
    };
    (
        (
            cap(),
            dist(o.constant_only),
            proptest::option::weighted(0.25, dist(o.constant_only)),
            proptest::option::weighted(0.25, (1u32..=4, proptest::option::of(dur()))),
            proptest::option::weighted(0.25, (1u32..=5, 1u32..=5)),
            wip,
            rework,
            proptest::collection::vec(proptest::bool::weighted(0.2), types),
        ),
        blocked,
        split,
    )
        .prop_map(
            move |((cap, work, wait, handoff, process, wip, rework, skip), blocked, split)| {
                // A process batch needs a number of workers.
                let process = match cap {
                    Cap::Workers(_) => process.map(|(a, b)| {
                        let (max, min) = (a.max(b), a.min(b));
                        (max, (min > 1).then_some(min))
                    }),
                    _ => None,
                };
                // A stage WIP limit counts the outbox: at least the handoff batch, and
                // room for a process batch's `min` beside a partly filled outbox
                // (validation only asks for each alone; see
                // `properties::wip_limit_below_process_min_plus_handoff_batch_is_an_error`).
                let floor = handoff.map_or(0, |h| h.0 - 1) + process.and_then(|p| p.1).unwrap_or(1);
                StageSpec {
                    name: format!("s{i}"),
                    cap,
                    work,
                    wait,
                    handoff,
                    process,
                    wip_limit: wip.map(|w| w.max(floor)),
                    rework: rework.map(|(p, back, e)| (p, i - back, e)),
                    skip: skip
                        .iter()
                        .enumerate()
                        .filter_map(|(t, &s)| s.then_some(t))
                        .collect(),
                    // Blocking needs work item by item: no schedule, no process batch.
                    blocked: blocked
                        .filter(|_| !matches!(cap, Cap::Schedule { .. }) && process.is_none()),
                    split,
                }
            },
        )
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        prop_oneof![Just("priority"), Just("shortest_first"), Just("due_date")],
        proptest::bool::ANY,
        dur(),
    )
        .prop_map(|(queue, exempt, due)| Policy { queue, exempt, due })
}

fn mix(need: bool) -> BoxedStrategy<Vec<f64>> {
    let some = prop_oneof![
        Just(vec![0.5, 0.5]),
        Just(vec![0.25, 0.75]),
        Just(vec![0.25, 0.25, 0.5]),
    ];
    if need {
        some.boxed()
    } else {
        prop_oneof![2 => Just(Vec::new()), 1 => some].boxed()
    }
}

fn arrivals(which: u8) -> BoxedStrategy<Arr> {
    // The rate and interval are placeholders until `stabilise` sets them.
    let backlog = (1u32..=60).prop_map(Arr::Backlog);
    match which {
        1 => prop_oneof![Just(Arr::Rate(1.0)), Just(Arr::Interval(1.0))].boxed(),
        2 => Just(Arr::Rate(1.0)).boxed(),
        3 => backlog.boxed(),
        _ => prop_oneof![Just(Arr::Rate(1.0)), Just(Arr::Interval(1.0)), backlog].boxed(),
    }
}

/// Valid scenarios with 1–6 stages.
pub fn spec(o: Options) -> impl Strategy<Value = Spec> {
    (mix(o.mix), 1usize..=6)
        .prop_flat_map(move |(mix, n)| {
            let types = mix.len();
            let stages: Vec<_> = (0..n).map(|i| stage(i, types, o)).collect();
            let stream_wip = if o.wip_limits && o.stream_wip {
                proptest::option::weighted(0.2, 1u32..=20).boxed()
            } else {
                Just(None).boxed()
            };
            let policy = if o.policies && types > 0 {
                proptest::option::weighted(0.3, policy()).boxed()
            } else {
                Just(None).boxed()
            };
            (
                Just(mix),
                stages,
                arrivals(o.arrivals),
                stream_wip,
                50u32..=300,
                0u32..=60,
                prop_oneof![Just(2.0), Just(3.0), Just(4.0)],
                policy,
            )
        })
        .prop_map(
            |(mix, stages, arrivals, stream_wip, items, warmup, slack, policy)| {
                let mut spec = Spec {
                    arrivals,
                    mix,
                    policy,
                    stream_wip,
                    stages,
                    items,
                    warmup: warmup.min(items / 4),
                };
                // One stage at most splits.
                let mut seen = false;
                for st in &mut spec.stages {
                    if st.split.is_some() && std::mem::replace(&mut seen, true) {
                        st.split = None;
                    }
                }
                // A stream WIP limit must exceed what partial batches can hold.
                if let Some(w) = &mut spec.stream_wip {
                    let held: u32 = spec
                        .stages
                        .iter()
                        .map(|s| {
                            s.handoff.filter(|h| h.1.is_none()).map_or(0, |h| h.0 - 1)
                                + s.process.and_then(|p| p.1).map_or(0, |m| m - 1)
                        })
                        .sum();
                    *w = (*w).max(held + 1);
                }
                spec.stabilise(slack)
            },
        )
        .prop_filter("the scenario validates", Spec::is_valid)
}
