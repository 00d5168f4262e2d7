//! The model as written: typed, every value with its location.
//!
//! These types are what the parser fills in, and `hacalc schema` derives the JSON Schema from
//! these same types (schemars), so the published schema and the accepted format cannot drift
//! apart: each struct's `KEYS` (the keys the parser accepts) is checked against its schema in
//! a test.

use crate::diagnostics::Pos;
use crate::probability::Probability;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Located<T> {
    pub fn new(value: T, pos: Pos) -> Self {
        Located { value, pos }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Located<U> {
        Located {
            value: f(self.value),
            pos: self.pos,
        }
    }
}

impl<T: JsonSchema> JsonSchema for Located<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A duration in hours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hours(pub f64);

impl JsonSchema for Hours {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A duration with a unit: ms, s, m (or min), h, d, w, y (365 days); compounds such as 1h30m.",
            "pattern": r"^\s*([0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*(ms|s|min|m|h|d|w|y)\s*)+$",
            "examples": ["30m", "4h", "1h30m", "90d", "5y"]
        })
    }
}

/// A component parameter's value, or a distribution over it for `--uncertainty`:
/// `{ median, error_factor }` (lognormal) or `{ low, high, log }` (uniform, log-uniform).
pub struct OrDistribution<T>(std::marker::PhantomData<T>);

impl<T: JsonSchema> JsonSchema for OrDistribution<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("{}OrDistribution", T::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<T>();
        json_schema!({
            "anyOf": [
                value,
                {
                    "type": "object",
                    "description": "Lognormal: the median and the error factor (95th percentile over the median).",
                    "properties": { "median": value, "error_factor": { "type": "number", "minimum": 1 } },
                    "required": ["median", "error_factor"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "description": "Uniform between low and high (log-uniform with log: true).",
                    "properties": { "low": value, "high": value, "log": { "type": "boolean" } },
                    "required": ["low", "high"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// A duration (exponential with that mean) or a time law (`{ dist: ..., ... }`).
pub struct DurationOrLaw;

impl JsonSchema for DurationOrLaw {
    fn schema_name() -> Cow<'static, str> {
        "DurationOrLaw".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let duration = generator.subschema_for::<Hours>();
        let law = generator.subschema_for::<LawSpec>();
        json_schema!({ "anyOf": [duration, law] })
    }
}

/// A rate in events per hour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerHour(pub f64);

impl JsonSchema for PerHour {
    fn schema_name() -> Cow<'static, str> {
        "Rate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "Events per unit of time, e.g. 2e-5/h, 3/y or 1/30d.",
            "pattern": r"^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*/\s*([0-9]*\.?[0-9]+)?\s*(ms|s|min|m|h|d|w|y)\s*$",
            "examples": ["2e-5/h", "3/y"]
        })
    }
}

impl JsonSchema for Probability {
    fn schema_name() -> Cow<'static, str> {
        "Probability".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A probability or availability: a percentage such as 99.95% or a number in [0, 1].",
            "oneOf": [
                { "type": "number", "minimum": 0, "maximum": 1 },
                { "type": "string", "pattern": r"^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*%\s*$" }
            ],
            "examples": ["99.95%", 0.999]
        })
    }
}

/// A hacalc model: components, how they are composed, and optional targets.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(title = "hacalc model", deny_unknown_fields)]
pub struct Model {
    /// Name of the system; defaults to the file stem.
    pub name: Option<Located<String>>,
    /// Free text shown in reports.
    pub description: Option<Located<String>>,
    /// Period that downtime and failure counts are stated for (default 1y).
    pub horizon: Option<Located<Hours>>,
    /// Targets that `hacalc check` gates on.
    pub targets: Option<Targets>,
    /// Two-state components (up/down) with exponential times, by name.
    #[schemars(with = "Option<BTreeMap<String, ComponentSpec>>")]
    pub components: Vec<(Located<String>, ComponentSpec)>,
    /// Named sub-diagrams, usable by name like components. A named block may also say
    /// `shared: true` (one instance wherever it is used).
    #[schemars(with = "Option<BTreeMap<String, Block>>")]
    pub blocks: Vec<(Located<String>, Located<Block>)>,
    /// `shared: true` of each named block (same order as `blocks`).
    #[schemars(skip)]
    pub shared_blocks: Vec<Option<Located<bool>>>,
    /// The root block of the system.
    #[schemars(required, with = "Block")]
    pub system: Option<Located<Block>>,
    /// Repair teams shared by several components (`team:` on a component), by name.
    #[schemars(with = "Option<BTreeMap<String, TeamSpec>>")]
    pub teams: Vec<(Located<String>, TeamSpec)>,
    /// What the system promises to others (its SLO): `check` reports a promise higher than
    /// the system's availability as a missed target.
    pub slo: Option<Located<Probability>>,
    /// `slo:` of each named block (same order as `blocks`).
    #[schemars(skip)]
    pub block_slos: Vec<Option<Located<Probability>>>,
    /// Named sets of assignments (`PATH: VALUE`, as `--set` takes them), solved with
    /// `--variant NAME` and side by side by `hacalc compare`.
    #[schemars(with = "Option<BTreeMap<String, BTreeMap<String, serde_json::Value>>>")]
    pub variants: Vec<Located<String>>,
    /// Data sets and how they are kept (replicas, backups), for durability.
    #[schemars(with = "Option<BTreeMap<String, DataSpec>>")]
    pub data: Vec<(Located<String>, DataSpec)>,
}

/// A data set: `replicas` (n copies on a component, rebuilt after a loss) or an explicit
/// `markov` chain with `absorbing` loss states; optional `backups`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct DataSpec {
    #[schemars(skip)]
    pub pos: Pos,
    /// `replicas` or `markov` is written (a broken one is reported where it is wrong).
    #[schemars(skip)]
    pub kept_written: bool,
    pub replicas: Option<ReplicasSpec>,
    pub markov: Option<MarkovSpec>,
    pub backups: Option<BackupsSpec>,
}

impl DataSpec {
    pub const KEYS: &'static [&'static str] = &["replicas", "markov", "backups"];
}

/// `replicas: { n: 3, of: disk, rebuild: 6h, crews: 1 }`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ReplicasSpec {
    #[schemars(skip)]
    pub pos: Pos,
    /// Copies of the data; it is lost when every copy is lost before one is rebuilt.
    #[schemars(required, range(min = 1))]
    pub n: Option<Located<u64>>,
    /// The component each copy lives on (its failure rate loses the copy).
    #[schemars(required, with = "String")]
    pub of: Option<Located<String>>,
    /// Mean time to rebuild a lost copy (default: the component's mttr).
    pub rebuild: Option<Located<Hours>>,
    /// Copies rebuilt at once (default: every lost copy).
    #[schemars(range(min = 1))]
    pub crews: Option<Located<u64>>,
}

impl ReplicasSpec {
    pub const KEYS: &'static [&'static str] = &["n", "of", "rebuild", "crews"];
}

/// `backups: { every: 24h, restore: 4h, fails: 1%, keep: 7 }`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct BackupsSpec {
    #[schemars(skip)]
    pub pos: Pos,
    /// Time between backups (periodic).
    #[schemars(required)]
    pub every: Option<Located<Hours>>,
    /// Time to restore the data from a backup.
    #[schemars(required)]
    pub restore: Option<Located<Hours>>,
    /// Probability that a backup is unusable (default 0).
    pub fails: Option<Located<Probability>>,
    /// Backups kept (default 7): a loss is unrecoverable when all of them failed.
    #[schemars(range(min = 1))]
    pub keep: Option<Located<u64>>,
}

impl BackupsSpec {
    pub const KEYS: &'static [&'static str] = &["every", "restore", "fails", "keep"];
}

impl Model {
    pub const KEYS: &'static [&'static str] = &[
        "name",
        "description",
        "horizon",
        "targets",
        "components",
        "blocks",
        "system",
        "teams",
        "slo",
        "variants",
        "data",
    ];
}

/// A repair team: `size` repairers shared by every component that names it with `team:`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TeamSpec {
    /// Where the team is declared (its name).
    #[schemars(skip)]
    pub pos: Pos,
    /// Repairers (default 1).
    #[schemars(range(min = 1))]
    pub size: Option<Located<u64>>,
    /// `priority` (default: the listed components first, preemptively) or `shared`
    /// (repairers shared equally among every failed unit).
    #[schemars(with = "Option<TeamDiscipline>")]
    pub discipline: Option<Located<String>>,
    /// Components in the order they are repaired under `priority`; those not listed come
    /// after, in the order of the file.
    #[schemars(with = "Option<Vec<String>>")]
    pub priority: Option<Vec<Located<String>>>,
}

/// How a team's repairers are assigned, for the schema.
#[derive(JsonSchema)]
#[allow(dead_code)]
enum TeamDiscipline {
    #[schemars(rename = "priority")]
    Priority,
    #[schemars(rename = "shared")]
    Shared,
}

impl TeamSpec {
    pub const KEYS: &'static [&'static str] = &["size", "discipline", "priority"];
    pub const DISCIPLINES: &'static [&'static str] = &["priority", "shared"];
}

/// Targets that `hacalc check` gates on.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Targets {
    /// System availability must be at least this.
    pub availability: Option<Located<Probability>>,
    /// Expected downtime per horizon must be at most this.
    pub downtime: Option<Located<Hours>>,
    /// The expected fraction of requests served (degraded capacity counted) must be at
    /// least this.
    pub served: Option<Located<Probability>>,
    /// Each data set's probability of no unrecoverable loss in a year must be at least this.
    pub durability: Option<Located<Probability>>,
}

impl Targets {
    pub const KEYS: &'static [&'static str] = &["availability", "downtime", "served", "durability"];
}

/// A component: give `mtbf` + `mttr`, `failure_rate` + (`mttr` or `repair_rate`),
/// `availability` alone (static), or `availability` + `mttr`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ComponentSpec {
    /// Where the component is declared (its name).
    #[schemars(skip)]
    pub pos: Pos,
    /// Mean time between failures (mean up time).
    #[schemars(with = "Option<OrDistribution<Hours>>")]
    pub mtbf: Option<Located<Hours>>,
    /// Mean time to repair (mean down time).
    #[schemars(with = "Option<OrDistribution<Hours>>")]
    pub mttr: Option<Located<Hours>>,
    /// Failure rate, e.g. 2e-5/h (instead of mtbf).
    #[schemars(with = "Option<OrDistribution<PerHour>>")]
    pub failure_rate: Option<Located<PerHour>>,
    /// Repair rate, e.g. 0.25/h (instead of mttr).
    #[schemars(with = "Option<OrDistribution<PerHour>>")]
    pub repair_rate: Option<Located<PerHour>>,
    /// Steady-state availability, e.g. 99.99% (static when given alone).
    #[schemars(with = "Option<OrDistribution<Probability>>")]
    pub availability: Option<Located<Probability>>,
    /// Free text.
    pub description: Option<Located<String>>,
    /// One instance wherever the component is used (default: each use an independent copy).
    pub shared: Option<Located<bool>>,
    /// The repair team (under `teams:`) that repairs every copy of this component.
    #[schemars(with = "Option<String>")]
    pub team: Option<Located<String>>,
    /// The relative cost of improving this component, for `hacalc allocate`'s balanced
    /// allocation (default 1; costlier components are asked to improve less).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub cost: Option<Located<f64>>,
    /// (The laws and the maintenance are boxed: rarely written, and 500 bytes each inline,
    /// they made every component of a 100,000-component model weigh 1.6 KB while read.)
    /// The law of the up times, instead of `mtbf`: a duration (exponential with that mean)
    /// or `{ dist: weibull | lognormal | gamma | fixed | uniform | empirical | exponential, ... }`.
    #[schemars(with = "Option<DurationOrLaw>")]
    pub time_to_failure: Option<Box<Located<LawSpec>>>,
    /// The law of the repair times, instead of `mttr` (the same forms).
    #[schemars(with = "Option<DurationOrLaw>")]
    pub time_to_repair: Option<Box<Located<LawSpec>>>,
    /// Planned maintenance: every copy out of service for `duration` every `every`.
    pub maintenance: Option<Box<Located<MaintenanceSpec>>>,
    /// Parameters written as distributions (`mtbf: { median: 30d, error_factor: 3 }`); the
    /// parameter itself holds the nominal value.
    #[schemars(skip)]
    pub uncertain: Vec<super::distribution::Uncertain>,
    /// False when a parameter could not be read (already reported): the component is then
    /// known by name but not checked further, so no follow-up errors appear.
    #[schemars(skip)]
    pub readable: bool,
}

/// `maintenance: { every: 30d, duration: 1h, staggered: true }`: planned downtime of every
/// copy, periodic and deterministic.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct MaintenanceSpec {
    /// Time from one maintenance of a copy to the next.
    #[schemars(required)]
    pub every: Option<Located<Hours>>,
    /// How long each maintenance keeps the copy out of service.
    #[schemars(required)]
    pub duration: Option<Located<Hours>>,
    /// Copies maintained one after another, never two at once (default: all at once).
    #[schemars(with = "Option<bool>")]
    pub staggered: Option<Located<bool>>,
}

impl MaintenanceSpec {
    pub const KEYS: &'static [&'static str] = &["every", "duration", "staggered"];
}

/// A time law as written: `30d` (exponential with that mean), or a mapping with `dist` and
/// the law's parameters (`weibull: shape, scale`; `lognormal: median, error_factor` or `mu,
/// sigma`; `gamma: shape, scale`; `fixed: value`; `uniform: low, high`; `empirical:
/// samples`; `exponential: mean`).
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LawSpec {
    /// The law: weibull, lognormal, gamma, fixed, uniform, empirical or exponential.
    #[schemars(with = "Option<String>")]
    pub dist: Option<Located<String>>,
    /// Mean (exponential).
    pub mean: Option<Located<Hours>>,
    /// Shape (weibull, gamma).
    #[schemars(with = "Option<f64>")]
    pub shape: Option<Located<f64>>,
    /// Scale (weibull, gamma).
    pub scale: Option<Located<Hours>>,
    /// Median (lognormal).
    pub median: Option<Located<Hours>>,
    /// Error factor (lognormal): the 95th percentile over the median, exp(1.645 sigma).
    #[schemars(with = "Option<f64>")]
    pub error_factor: Option<Located<f64>>,
    /// Mean of ln(hours) (lognormal, with sigma).
    #[schemars(with = "Option<f64>")]
    pub mu: Option<Located<f64>>,
    /// Deviation of ln(hours) (lognormal).
    #[schemars(with = "Option<f64>")]
    pub sigma: Option<Located<f64>>,
    /// The one value (fixed).
    pub value: Option<Located<Hours>>,
    /// Bounds (uniform).
    pub low: Option<Located<Hours>>,
    pub high: Option<Located<Hours>>,
    /// Observed durations (empirical).
    #[schemars(with = "Option<Vec<String>>")]
    pub samples: Option<Located<Vec<Located<Hours>>>>,
}

impl LawSpec {
    pub const KEYS: &'static [&'static str] = &[
        "dist",
        "mean",
        "shape",
        "scale",
        "median",
        "error_factor",
        "mu",
        "sigma",
        "value",
        "low",
        "high",
        "samples",
    ];

    /// `30d`: exponential with that mean.
    pub fn exponential(mean: Located<Hours>) -> LawSpec {
        LawSpec {
            dist: None,
            mean: Some(mean),
            shape: None,
            scale: None,
            median: None,
            error_factor: None,
            mu: None,
            sigma: None,
            value: None,
            low: None,
            high: None,
            samples: None,
        }
    }
}

impl ComponentSpec {
    pub const KEYS: &'static [&'static str] = &[
        "mtbf",
        "mttr",
        "failure_rate",
        "repair_rate",
        "availability",
        "description",
        "shared",
        "team",
        "cost",
        "time_to_failure",
        "time_to_repair",
        "maintenance",
    ];

    /// A component whose parameters could not be read (already reported): known by name,
    /// so that its uses are not reported again as unknown.
    pub fn unreadable(pos: Pos) -> Self {
        ComponentSpec {
            pos,
            mtbf: None,
            mttr: None,
            failure_rate: None,
            repair_rate: None,
            availability: None,
            description: None,
            time_to_failure: None,
            time_to_repair: None,
            maintenance: None,
            uncertain: Vec::new(),
            shared: None,
            team: None,
            cost: None,
            readable: false,
        }
    }
}

/// A block of the diagram.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A component or a named block.
    Ref(String),
    /// Up when all are up.
    Series(Vec<Located<Block>>),
    /// Up when at least one is up.
    Parallel(Parallel),
    /// Up when at least k are up.
    KofN(Box<KofNSpec>),
    Standby(Box<StandbySpec>),
    Markov(Box<MarkovSpec>),
    Network(Box<NetworkSpec>),
    /// Requests partitioned by key over `n` shards: the fraction served is the (weighted)
    /// fraction of shards up.
    Shards(Box<ShardsSpec>),
    /// Interchangeable servers behind a load balancer: the fraction served is
    /// min(up, demand) / demand.
    Pool(Box<PoolSpec>),
    /// A block that could not be read (already reported); keeps its place in lists so that
    /// counts stay right and no follow-up errors appear. Never present in a valid model.
    Invalid,
}

impl Block {
    /// The keys that select a block kind.
    pub const KINDS: &'static [&'static str] = &[
        "series", "parallel", "k_of_n", "standby", "markov", "network", "shards", "pool",
    ];

    pub fn kind_name(&self) -> &'static str {
        match self {
            Block::Ref(_) => "reference",
            Block::Series(_) => "series",
            Block::Parallel(_) => "parallel",
            Block::KofN(_) => "k_of_n",
            Block::Standby(_) => "standby",
            Block::Markov(_) => "markov",
            Block::Network(_) => "network",
            Block::Shards(_) => "shards",
            Block::Pool(_) => "pool",
            Block::Invalid => "invalid",
        }
    }
}

impl JsonSchema for Block {
    fn schema_name() -> Cow<'static, str> {
        "Block".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let block = g.subschema_for::<Block>();
        let copies = g.subschema_for::<CopiesSpec>();
        let kofn = g.subschema_for::<KofNSpec>();
        let standby = g.subschema_for::<StandbySpec>();
        let markov = g.subschema_for::<MarkovSpec>();
        let network = g.subschema_for::<NetworkSpec>();
        let shards = g.subschema_for::<ShardsSpec>();
        let pool = g.subschema_for::<PoolSpec>();
        let probability = g.subschema_for::<Probability>();
        let one = |key: &str, schema: Schema| {
            json_schema!({
                "type": "object",
                "properties": {
                    key: schema,
                    "shared": {
                        "type": "boolean",
                        "description": "Named blocks only: one instance wherever the block is used."
                    },
                    "slo": probability.clone()
                },
                "required": [key],
                "additionalProperties": false
            })
        };
        let list = json_schema!({ "type": "array", "items": block, "minItems": 1 });
        json_schema!({
            "description": "A component or named block by name, or one of series, parallel, k_of_n, standby, markov, network, shards, pool.",
            "oneOf": [
                { "type": "string", "description": "Name of a component or a named block." },
                one("series", list.clone()),
                one("parallel", json_schema!({ "oneOf": [list, copies] })),
                one("k_of_n", kofn),
                one("standby", standby),
                one("markov", markov),
                one("network", network),
                one("shards", shards),
                one("pool", pool),
            ]
        })
    }
}

/// `parallel: [a, b]` or `parallel: { n: 2, of: db }`.
#[derive(Debug, Clone, PartialEq)]
pub enum Parallel {
    List(Vec<Located<Block>>),
    Copies(Box<CopiesSpec>),
}

/// The `of` of a `k_of_n`: a list of blocks, or one block copied `n` times.
#[derive(Debug, Clone, PartialEq)]
pub enum Members {
    List(Vec<Located<Block>>),
    One(Box<Located<Block>>),
}

impl JsonSchema for Members {
    fn schema_name() -> Cow<'static, str> {
        "Members".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let block = g.subschema_for::<Block>();
        json_schema!({
            "description": "A list of blocks, or one block (with `n` copies).",
            "oneOf": [ { "type": "array", "items": block, "minItems": 1 }, block ]
        })
    }
}

/// N independent copies of one block: `parallel: { n: 2, of: db }`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CopiesSpec {
    #[schemars(skip)]
    pub pos: Pos,
    /// Number of copies.
    #[schemars(range(min = 1))]
    pub n: Option<Located<u64>>,
    /// The block that is copied.
    #[schemars(required, with = "Block")]
    pub of: Option<Box<Located<Block>>>,
    /// Repair crews shared by the copies (fewer than n makes failed copies queue).
    #[schemars(range(min = 1))]
    pub crews: Option<Located<u64>>,
    /// Beta-factor common-cause failures of the copies.
    pub common_cause: Option<Box<CommonCauseSpec>>,
}

impl CopiesSpec {
    pub const KEYS: &'static [&'static str] = &["n", "of", "crews", "common_cause"];
}

/// `k_of_n: { k: 2, n: 3, of: web }` or `k_of_n: { k: 3, of: [a, b, c, d, e] }`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct KofNSpec {
    #[schemars(skip)]
    pub pos: Pos,
    /// Up when at least k members are up.
    #[schemars(range(min = 1))]
    pub k: Option<Located<u64>>,
    /// Number of copies (with `of` naming one block).
    #[schemars(range(min = 1))]
    pub n: Option<Located<u64>>,
    /// The members: a list, or one block copied n times.
    #[schemars(required)]
    pub of: Option<Located<Members>>,
    /// Repair crews shared by the copies.
    #[schemars(range(min = 1))]
    pub crews: Option<Located<u64>>,
    /// Beta-factor common-cause failures of the copies.
    pub common_cause: Option<Box<CommonCauseSpec>>,
}

impl KofNSpec {
    pub const KEYS: &'static [&'static str] = &["k", "n", "of", "crews", "common_cause"];
}

/// `shards: { n: 8, of: cache }`: requests partitioned by key over n shards, each an
/// independent copy of `of`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ShardsSpec {
    #[schemars(skip)]
    pub pos: Pos,
    /// Number of shards.
    #[schemars(required, range(min = 1))]
    pub n: Option<Located<u64>>,
    /// The block each shard is a copy of.
    #[schemars(required, with = "Block")]
    pub of: Option<Box<Located<Block>>>,
    /// The share of the keys on each shard (default: equal), one positive number per shard.
    #[schemars(with = "Option<Vec<f64>>")]
    pub weights: Option<Located<Vec<Located<f64>>>>,
    /// Up, for the binary availability, while at least k shards are up (default: all n).
    #[schemars(range(min = 1))]
    pub k: Option<Located<u64>>,
}

impl ShardsSpec {
    pub const KEYS: &'static [&'static str] = &["n", "of", "weights", "k"];
}

/// `pool: { n: 6, of: app, demand: 4 }`: interchangeable servers behind a load balancer.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PoolSpec {
    #[schemars(skip)]
    pub pos: Pos,
    /// Number of servers.
    #[schemars(required, range(min = 1))]
    pub n: Option<Located<u64>>,
    /// The block each server is a copy of.
    #[schemars(required, with = "Block")]
    pub of: Option<Box<Located<Block>>>,
    /// Servers the full load needs: the fraction served is min(up, demand) / demand.
    #[schemars(required, range(min = 1))]
    pub demand: Option<Located<u64>>,
    /// Up, for the binary availability, while at least k servers are up (default: demand).
    #[schemars(range(min = 1))]
    pub k: Option<Located<u64>>,
    /// Repair crews shared by the servers (`of` must then be a component with rates).
    #[schemars(range(min = 1))]
    pub crews: Option<Located<u64>>,
}

impl PoolSpec {
    pub const KEYS: &'static [&'static str] = &["n", "of", "demand", "k", "crews"];
}

/// Common cause among copies: give `beta` (beta factor: a fraction beta of each copy's failure
/// rate takes all copies down), `mgl` (multiple Greek letters) or `alpha` (alpha factors).
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CommonCauseSpec {
    #[schemars(skip)]
    pub pos: Pos,
    /// Fraction of each copy's failure rate that is a shared event, e.g. 5%.
    pub beta: Option<Located<Probability>>,
    /// `together` (default with `beta`): the shared event is one repair in the component's
    /// mttr; `each`: it takes every copy down and each is then repaired on its own.
    #[schemars(with = "Option<CommonCauseRepair>")]
    pub repair: Option<Located<String>>,
    /// Multiple Greek letters for 2 to 4 copies: `{ beta: 10%, gamma: 20%, delta: 30% }`.
    pub mgl: Option<Box<MglSpec>>,
    /// Alpha factors alpha_1 .. alpha_n (summing to 1): the fraction of failure events that
    /// take down 1, 2, ..., n copies.
    #[schemars(with = "Option<Vec<f64>>")]
    pub alpha: Option<Vec<Located<Probability>>>,
}

impl CommonCauseSpec {
    pub const KEYS: &'static [&'static str] = &["beta", "repair", "mgl", "alpha"];
    pub const REPAIRS: &'static [&'static str] = &["together", "each"];
}

/// The multiple Greek letter parameters.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct MglSpec {
    #[schemars(skip)]
    pub pos: Pos,
    /// Probability that a failure is shared with at least one other copy.
    pub beta: Option<Located<Probability>>,
    /// Given that, with at least two others (3 or more copies).
    pub gamma: Option<Located<Probability>>,
    /// Given that, with at least three others (4 copies).
    pub delta: Option<Located<Probability>>,
}

impl MglSpec {
    pub const KEYS: &'static [&'static str] = &["beta", "gamma", "delta"];
}

/// How a common-cause event is repaired, for the schema.
#[derive(JsonSchema)]
#[allow(dead_code)]
enum CommonCauseRepair {
    #[schemars(rename = "together")]
    Together,
    #[schemars(rename = "each")]
    Each,
}

/// Standby redundancy: K active units of a component and N - K spares.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StandbySpec {
    #[schemars(skip)]
    pub pos: Pos,
    /// The component that is replicated.
    #[schemars(required, with = "String")]
    pub of: Option<Located<String>>,
    /// Number of units, active and spare.
    #[schemars(required, range(min = 1))]
    pub n: Option<Located<u64>>,
    /// Number of active units (default 1).
    #[schemars(range(min = 1))]
    pub active: Option<Located<u64>>,
    /// cold: spares do not fail; warm: they fail at spare_factor x rate; hot: at the full rate.
    #[schemars(with = "StandbyModeSchema")]
    pub mode: Option<Located<String>>,
    /// Failure rate of a warm spare relative to an active unit.
    pub spare_factor: Option<Located<f64>>,
    /// Time to switch to a spare (the block is down meanwhile); default 0s.
    #[schemars(with = "Option<DurationOrLaw>")]
    pub switchover: Option<Located<LawSpec>>,
    /// Probability that the automatic switchover works (default 100%).
    pub coverage: Option<Located<Probability>>,
    /// Time of a manual switchover when the automatic one fails.
    pub manual_switchover: Option<Located<Hours>>,
    /// Repair crews (default: every failed unit under repair at once).
    #[schemars(range(min = 1))]
    pub crews: Option<Located<u64>>,
}

impl StandbySpec {
    pub const KEYS: &'static [&'static str] = &[
        "of",
        "n",
        "active",
        "mode",
        "spare_factor",
        "switchover",
        "coverage",
        "manual_switchover",
        "crews",
    ];
    pub const MODES: &'static [&'static str] = &["cold", "warm", "hot"];
}

/// The standby modes, for the schema.
#[derive(JsonSchema)]
#[schemars(rename = "StandbyMode")]
#[allow(dead_code)]
enum StandbyModeSchema {
    #[schemars(rename = "cold")]
    Cold,
    #[schemars(rename = "warm")]
    Warm,
    #[schemars(rename = "hot")]
    Hot,
}

/// An explicit continuous-time Markov chain.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct MarkovSpec {
    #[schemars(skip)]
    pub pos: Pos,
    /// The states; the first is the initial state for transient measures.
    #[schemars(length(min = 1))]
    pub states: Vec<Located<String>>,
    /// The states in which the block is up.
    pub up: Vec<Located<String>>,
    /// Transitions with a rate or a mean time (`after`).
    pub transitions: Vec<TransitionSpec>,
    /// The fraction of requests served in each state (default: 1 in up states, 0 in the
    /// others), for degraded states that serve part of the load.
    #[schemars(with = "Option<BTreeMap<String, Probability>>")]
    pub serves: Vec<(Located<String>, Located<Probability>)>,
    /// States with no way out (data lost), for durability under `data:`; such a chain has
    /// no steady state.
    #[schemars(with = "Option<Vec<String>>")]
    pub absorbing: Vec<Located<String>>,
    /// False when a transition could not be read (already reported): the chain's shape is
    /// then not checked, so the problem is not echoed as an unreachable state.
    #[schemars(skip)]
    pub complete: bool,
}

impl MarkovSpec {
    pub const KEYS: &'static [&'static str] =
        &["states", "up", "transitions", "serves", "absorbing"];
}

/// One transition of a `markov` block.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TransitionSpec {
    #[schemars(skip)]
    pub pos: Pos,
    #[schemars(required, with = "String")]
    pub from: Option<Located<String>>,
    #[schemars(required, with = "String")]
    pub to: Option<Located<String>>,
    /// Rate of the transition, e.g. 1/1000h... written as `1e-3/h`.
    pub rate: Option<Located<PerHour>>,
    /// Mean time to the transition (rate = 1 / after).
    pub after: Option<Located<Hours>>,
}

impl TransitionSpec {
    pub const KEYS: &'static [&'static str] = &["from", "to", "rate", "after"];
}

/// A reliability graph: up when an all-up path of links joins `from` to `to`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct NetworkSpec {
    #[schemars(skip)]
    pub pos: Pos,
    #[schemars(required, with = "String")]
    pub from: Option<Located<String>>,
    #[schemars(required, with = "String")]
    pub to: Option<Located<String>>,
    #[schemars(length(min = 1))]
    pub links: Vec<LinkSpec>,
    /// Links carry one way only (default: both ways).
    pub directed: Option<Located<bool>>,
}

impl NetworkSpec {
    pub const KEYS: &'static [&'static str] = &["from", "to", "links", "directed"];
}

/// A link of a network, up when its block is up.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LinkSpec {
    #[schemars(skip)]
    pub pos: Pos,
    #[schemars(required, with = "String")]
    pub from: Option<Located<String>>,
    #[schemars(required, with = "String")]
    pub to: Option<Located<String>>,
    #[schemars(required, with = "Block")]
    pub via: Option<Located<Block>>,
}

impl LinkSpec {
    pub const KEYS: &'static [&'static str] = &["from", "to", "via"];
}
