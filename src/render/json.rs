//! `--format json`: the keys the contract fixes (README, "JSON") and more, times in hours,
//! numbers as JSON numbers, `null` for what a static availability leaves unknown.

use super::{Exporter, Section, finite};
use crate::analysis::targets::{TargetKind, Verdict};
use crate::analysis::uncertainty::{Spread, TargetChance};
use crate::analysis::{Analysis, Importance};
use crate::solve::Measures;
use crate::solve::transient::Transient;
use crate::units::{MONTH_HOURS, YEAR_HOURS};
use serde::Serialize;
use std::io;

/// The JSON object of `solve`, or with `check: true` that of `check` (a top-level `met`).
pub struct Json {
    pub check: bool,
}

impl Exporter for Json {
    fn sections(&self) -> &'static [Section] {
        &[
            Section::Headline,
            Section::Targets,
            Section::Blocks,
            Section::Components,
            Section::MarkovBlocks,
            Section::OverTime,
            Section::Warnings,
        ]
    }

    /// Streamed: a 100,000-component result is tens of megabytes.
    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
        let mut json = build(a, self.check.then(|| a.targets_met()));
        json.transient = a.over_time.as_ref().map(|t| transient_json(a, t));
        super::write_json(&mut *out, &json)?;
        out.write_all(b"\n")
    }
}

/// The component rows, written as they are made, never held together: a 100,000-component
/// result's rows took 23 MB as a vector (a fifth of the whole run's peak memory).
pub struct ComponentRows<'a> {
    a: &'a Analysis,
    ranked: Vec<&'a crate::solve::ComponentResult>,
    hours: f64,
}

impl Serialize for ComponentRows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.ranked
                .iter()
                .map(|c| component_json(self.a, c, self.hours)),
        )
    }
}

fn component_json<'a>(
    a: &'a Analysis,
    c: &'a crate::solve::ComponentResult,
    h: f64,
) -> ComponentJson<'a> {
    ComponentJson {
        name: &c.name,
        description: a.model.components[c.index].description.as_deref(),
        copies: Count(c.copies),
        availability: c.measures.availability(),
        unavailability: c.measures.unavailability(),
        mtbf_hours: c.rates.map(|r| r.mtbf()),
        mttr_hours: c.rates.map(|r| r.mttr()),
        failures: c.measures.frequency.map(|f| f * h),
        birnbaum: c.birnbaum,
        downtime_saved_hours: c.unavailability_saved * h,
        downtime_share: a.share(c.unavailability_saved),
        system_failures_caused: c.system_failures_caused.map(|f| f * h),
        importance: a.importance(
            c.birnbaum,
            c.measures.unavailability(),
            c.unavailability_saved,
            c.unavailability_added,
        ),
    }
}

#[derive(Serialize)]
pub struct SolveJson<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    /// The variant solved (`--variant`), when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<&'a str>,
    /// The `--set` assignments applied, when there were any.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub set: &'a [String],
    pub horizon_hours: f64,
    pub availability: f64,
    pub unavailability: f64,
    pub nines: Option<f64>,
    /// Expected downtime per horizon.
    pub downtime_hours: f64,
    pub downtime_hours_per_month: f64,
    pub downtime_hours_per_year: f64,
    /// Expected system failures (up-to-down transitions) per horizon.
    pub failures: Option<f64>,
    pub mtbf_hours: Option<f64>,
    pub mttr_hours: Option<f64>,
    pub targets: Vec<TargetJson>,
    /// Present in `hacalc check --format json`: every target met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met: Option<bool>,
    pub blocks: Vec<BlockJson<'a>>,
    pub components: ComponentRows<'a>,
    /// Every block solved as a Markov chain.
    pub markov_blocks: Vec<MarkovJson<'a>>,
    /// Repair teams shared across components (absent without teams).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<TeamJson<'a>>,
    /// With `--at`: A(t), R(t) and MTTF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transient: Option<TransientJson<'a>>,
    /// The fraction of requests served (models with degraded capacity, a `served` target or
    /// `--served-at`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub served: Option<ServedJson>,
    /// Each data set's durability (absent without `data:`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<DataJson>,
    /// What planned maintenance adds (models with `maintenance:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub planned_maintenance: Option<PlannedJson>,
    /// The spread over the uncertain parameters (`--uncertainty N`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<UncertaintyJson<'a>>,
    /// Problems that did not stop the analysis, as FILE:LINE:COLUMN: message.
    pub warnings: Vec<String>,
    pub hacalc_version: &'static str,
}

/// A count of copies: an integer in the JSON (a float only beyond 2^53, where integers stop
/// being exact in a double).
pub struct Count(pub f64);

impl Serialize for Count {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 >= 0.0 && self.0 < 9_007_199_254_740_992.0 && self.0.fract() == 0.0 {
            s.serialize_u64(self.0 as u64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

#[derive(Serialize)]
pub struct TargetJson {
    pub kind: TargetKind,
    /// Availability asked for, or maximum downtime per horizon in hours.
    pub target: f64,
    /// The system's availability, or its downtime per horizon in hours.
    pub actual: f64,
    pub met: bool,
    /// Downtime per horizon beyond the target's budget, hours (negative: to spare).
    pub excess_downtime_hours: f64,
    pub summary: String,
    /// The named block whose promise (`slo`) this is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
    /// The error budget per 28 days, 30 days, quarter and year.
    pub budgets: Vec<crate::analysis::targets::Budget>,
    /// The share of the budget the expected downtime uses (null: no downtime allowed).
    pub budget_used: Option<f64>,
}

#[derive(Serialize)]
pub struct BlockJson<'a> {
    pub name: &'a str,
    pub copies: Count,
    pub availability: f64,
    pub unavailability: f64,
    pub failures: Option<f64>,
    pub mtbf_hours: Option<f64>,
    pub mttr_hours: Option<f64>,
    pub birnbaum: Option<f64>,
    pub downtime_saved_hours: f64,
    pub downtime_share: f64,
    pub importance: Importance,
}

#[derive(Serialize)]
pub struct ComponentJson<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    /// Copies of the component in the whole system.
    pub copies: Count,
    pub availability: f64,
    pub unavailability: f64,
    pub mtbf_hours: Option<f64>,
    pub mttr_hours: Option<f64>,
    /// Failures of one copy per horizon.
    pub failures: Option<f64>,
    /// dA_sys / dA_component, every copy moving together.
    pub birnbaum: f64,
    /// (U_sys - U_sys with the component perfect) x horizon.
    pub downtime_saved_hours: f64,
    pub downtime_share: f64,
    /// System failures per horizon that start with a failure of this component.
    pub system_failures_caused: Option<f64>,
    /// Birnbaum, criticality, Fussell-Vesely, risk achievement and reduction worth,
    /// improvement potential.
    pub importance: Importance,
}

/// Most states (and their transitions) listed per Markov block; larger chains give counts only.
pub const LISTED_STATES: usize = 1000;

#[derive(Serialize)]
pub struct MarkovJson<'a> {
    pub name: &'a str,
    pub kind: &'static str,
    /// Line of the block in the model.
    pub line: u32,
    pub state_count: usize,
    pub transition_count: usize,
    /// How the steady state was found.
    pub method: &'static str,
    /// ||pi Q||_inf of the steady-state distribution.
    pub residual: f64,
    /// The residual over the largest probability flux pi_i q_i.
    pub relative_residual: f64,
    pub iterations: usize,
    pub availability: f64,
    pub unavailability: f64,
    pub failures: f64,
    pub mtbf_hours: Option<f64>,
    pub mttr_hours: Option<f64>,
    /// States with their steady-state probabilities (left out above LISTED_STATES states).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub states: Option<Vec<StateJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transitions: Option<Vec<TransitionJson>>,
}

#[derive(Serialize)]
pub struct StateJson {
    pub name: String,
    pub up: bool,
    pub probability: f64,
}

#[derive(Serialize)]
pub struct TransitionJson {
    pub from: String,
    pub to: String,
    pub rate_per_hour: f64,
}

pub fn markov_json<'a>(a: &'a Analysis) -> Vec<MarkovJson<'a>> {
    let h = a.solution.horizon_hours;
    a.markov_blocks()
        .map(|(block, s, node)| {
            let m = &s.measures;
            let c = &block.chain;
            let listed = c.states() <= LISTED_STATES;
            let names = &block.names;
            MarkovJson {
                name: &node.label,
                kind: block.spec.kind(),
                line: node.pos.line,
                state_count: c.states(),
                transition_count: c.transitions(),
                method: s.method.name(),
                residual: s.residual,
                relative_residual: s.relative_residual,
                iterations: s.iterations,
                availability: m.availability(),
                unavailability: m.unavailability(),
                failures: m.frequency.unwrap_or(0.0) * h,
                mtbf_hours: m.mtbf().and_then(finite),
                mttr_hours: m.mttr().and_then(finite),
                states: listed.then(|| {
                    (0..c.states())
                        .map(|i| StateJson {
                            name: names.name(i),
                            up: c.up[i],
                            probability: s.pi[i],
                        })
                        .collect()
                }),
                transitions: listed.then(|| {
                    (0..c.states())
                        .flat_map(|i| c.out(i).map(move |(j, r)| (i, j, r)))
                        .map(|(i, j, r)| TransitionJson {
                            from: names.name(i),
                            to: names.name(j),
                            rate_per_hour: r,
                        })
                        .collect()
                }),
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct TeamJson<'a> {
    pub name: &'a str,
    pub size: u64,
    pub discipline: &'static str,
    /// Its components, most important first.
    pub priority: Vec<&'a str>,
    pub state_count: usize,
    pub relative_residual: f64,
    /// Expected repairers at work.
    pub busy_repairers: f64,
    /// Probability that every repairer is at work.
    pub all_busy_probability: f64,
    /// Expected failed units waiting for a repairer.
    pub waiting_units: f64,
}

fn teams_json(a: &Analysis) -> Vec<TeamJson<'_>> {
    a.solution
        .team_chains()
        .iter()
        .map(|ch| {
            let t = &a.model.teams[ch.team];
            TeamJson {
                name: &t.name,
                size: t.size,
                discipline: t.discipline.name(),
                priority: super::team_order(a, t),
                state_count: ch.chain.states(),
                relative_residual: ch.relative_residual,
                busy_repairers: ch.busy,
                all_busy_probability: ch.all_busy,
                waiting_units: ch.waiting,
            }
        })
        .collect()
}

fn measures_per(m: &Measures, h: f64) -> (Option<f64>, Option<f64>, Option<f64>) {
    (
        m.frequency.map(|f| f * h),
        m.mtbf().and_then(finite),
        m.mttr().and_then(finite),
    )
}

pub fn target_json(v: &Verdict) -> TargetJson {
    TargetJson {
        kind: v.kind,
        target: v.availability.map_or(v.target_downtime_hours, |t| t.p),
        actual: v.actual,
        met: v.met,
        excess_downtime_hours: v.excess_hours,
        summary: v.summary.clone(),
        block: v.block.clone(),
        budgets: v.budgets.clone(),
        budget_used: v.budget_used.filter(|u| u.is_finite()),
    }
}

/// The JSON object of `solve` (and, with `met`, of `check`).
pub fn build(a: &Analysis, met: Option<bool>) -> SolveJson<'_> {
    let s = &a.solution;
    let h = s.horizon_hours;
    let u_sys = s.system.unavailability();
    let (failures, mtbf, mttr) = measures_per(&s.system, h);
    SolveJson {
        name: &s.name,
        description: a.model.description.as_deref(),
        variant: a.edits.variant.as_deref(),
        set: &a.edits.sets,
        horizon_hours: h,
        availability: s.system.availability(),
        unavailability: u_sys,
        nines: finite(s.system.nines()),
        downtime_hours: u_sys * h,
        downtime_hours_per_month: u_sys * MONTH_HOURS,
        downtime_hours_per_year: u_sys * YEAR_HOURS,
        failures,
        mtbf_hours: mtbf,
        mttr_hours: mttr,
        targets: a.verdicts.iter().map(target_json).collect(),
        met,
        blocks: a
            .ranked_blocks()
            .into_iter()
            .map(|b| {
                let (failures, mtbf_hours, mttr_hours) = measures_per(&b.measures, h);
                BlockJson {
                    name: &b.name,
                    copies: Count(b.copies),
                    availability: b.measures.availability(),
                    unavailability: b.measures.unavailability(),
                    failures,
                    mtbf_hours,
                    mttr_hours,
                    birnbaum: finite(b.birnbaum),
                    downtime_saved_hours: b.unavailability_saved * h,
                    downtime_share: a.share(b.unavailability_saved),
                    importance: a.importance(
                        b.birnbaum,
                        b.measures.unavailability(),
                        b.unavailability_saved,
                        b.unavailability_added,
                    ),
                }
            })
            .collect(),
        components: ComponentRows {
            a,
            ranked: a.ranked_components(),
            hours: h,
        },
        markov_blocks: markov_json(a),
        teams: teams_json(a),
        transient: None,
        served: a.served.as_ref().map(served_json),
        data: a.durability.iter().map(data_json).collect(),
        planned_maintenance: a.planned.map(|p| PlannedJson {
            included: p.included,
            unavailability: p.unavailability,
            downtime_hours: p.unavailability * a.solution.horizon_hours,
        }),
        uncertainty: a
            .uncertainty
            .as_ref()
            .and_then(|u| u.as_ref().ok())
            .map(|u| UncertaintyJson {
                samples: u.samples,
                seed: u.seed,
                parameters: &u.parameters,
                availability: u.availability,
                unavailability: u.unavailability,
                downtime_hours: u.downtime_hours,
                failures: u.failures,
                targets: &u.targets,
            }),
        warnings: a
            .warnings
            .iter()
            .map(|w| format!("{}:{}:{}: {}", a.file, w.pos.line, w.pos.column, w.message))
            .collect(),
        hacalc_version: env!("CARGO_PKG_VERSION"),
    }
}

#[derive(Serialize)]
pub struct PlannedJson {
    /// Whether the figures include it (`--planned include`, the default).
    pub included: bool,
    /// U with maintenance − U without, and that per horizon.
    pub unavailability: f64,
    pub downtime_hours: f64,
}

#[derive(Serialize)]
pub struct UncertaintyJson<'a> {
    pub samples: usize,
    pub seed: u64,
    /// The parameters drawn, as `component.key`.
    pub parameters: &'a [String],
    pub availability: Spread,
    pub unavailability: Spread,
    pub downtime_hours: Spread,
    pub failures: Option<Spread>,
    pub targets: &'a [TargetChance],
}

#[derive(Serialize)]
pub struct DataJson {
    pub name: String,
    /// Mean time to data loss (null: infinite, where some state reached never leads to a
    /// loss, or beyond a double's range).
    pub mttdl_hours: Option<f64>,
    /// Present and true when the loss is certain but its mean time overflows a double.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub mttdl_beyond_range: bool,
    /// P(loss within the horizon), and within a year (null: past the work bound).
    pub loss_probability: Option<f64>,
    pub loss_probability_year: Option<f64>,
    /// P(no unrecoverable loss within a year), and its complement computed directly.
    pub durability_year: Option<f64>,
    pub unrecoverable_loss_probability_year: Option<f64>,
    pub durability_nines: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backups: Option<BackupsJson>,
}

#[derive(Serialize)]
pub struct BackupsJson {
    pub recovered_probability: f64,
    pub unrecoverable_probability: f64,
    /// Null when no backup is ever good.
    pub recovery_point_hours: Option<f64>,
    pub incidents_per_year: f64,
    pub data_lost_hours_per_year: f64,
    pub restore_hours_per_year: f64,
}

fn data_json(d: &crate::solve::durability::Durability) -> DataJson {
    DataJson {
        name: d.name.clone(),
        mttdl_hours: Some(d.mttdl_hours).filter(|x| x.is_finite()),
        mttdl_beyond_range: d.mttdl_beyond_range,
        loss_probability: d.loss_horizon.map(|l| l.p),
        loss_probability_year: d.loss_year.map(|l| l.p),
        durability_year: d.durability_year.map(|y| y.p),
        unrecoverable_loss_probability_year: d.durability_year.map(|y| y.q),
        durability_nines: d
            .durability_year
            .map(|y| y.nines())
            .filter(|x| x.is_finite()),
        backups: d.backups.map(|b| BackupsJson {
            recovered_probability: b.recovered.p,
            unrecoverable_probability: b.recovered.q,
            recovery_point_hours: Some(b.recovery_point_hours).filter(|x| x.is_finite()),
            incidents_per_year: b.incidents_per_year,
            data_lost_hours_per_year: b.data_lost_hours_per_year,
            restore_hours_per_year: b.restore_hours_per_year,
        }),
    }
}

/// One value of a distribution, or P(S >= fraction).
#[derive(Serialize)]
pub struct FractionJson {
    pub fraction: f64,
    pub probability: f64,
}

#[derive(Serialize)]
pub struct ServedJson {
    /// E[S]; null when not computed.
    pub expected: Option<f64>,
    /// 1 - E[S], computed directly.
    pub shortfall: Option<f64>,
    /// A bound on the absolute error of the shortfall and of every probability (0 unless
    /// very large distributions dropped their least probable values).
    pub error_bound: Option<f64>,
    /// P(S >= fraction) at 50%, 90%, 99% and each `--served-at`.
    pub at_least: Vec<FractionJson>,
    /// P(S < fraction) at the same fractions, summed directly.
    pub below: Vec<FractionJson>,
    /// The distribution of S (at most 1,000 values, the most probable).
    pub distribution: Vec<FractionJson>,
    /// Why it is not computed, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_computed: Option<String>,
}

fn served_json(
    s: &Result<crate::solve::served::Served, crate::solve::served::ServedError>,
) -> ServedJson {
    match s {
        Err(e) => ServedJson {
            expected: None,
            shortfall: None,
            error_bound: None,
            at_least: Vec::new(),
            below: Vec::new(),
            distribution: Vec::new(),
            not_computed: Some(e.to_string()),
        },
        Ok(s) => {
            let mut points = s.distribution.points.clone();
            if points.len() > 1000 {
                points.sort_by(|a, b| b.1.total_cmp(&a.1));
                points.truncate(1000);
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
            }
            let pair = |fraction: f64, probability: f64| FractionJson {
                fraction,
                probability,
            };
            ServedJson {
                expected: Some(s.expected),
                shortfall: Some(s.shortfall),
                error_bound: Some(s.error_bound),
                at_least: s.at_least.iter().map(|(x, p)| pair(*x, p.p)).collect(),
                below: s.at_least.iter().map(|(x, p)| pair(*x, p.q)).collect(),
                distribution: points.into_iter().map(|(x, p)| pair(x, p)).collect(),
                not_computed: None,
            }
        }
    }
}

#[derive(Serialize)]
pub struct TransientJson<'a> {
    pub times_hours: Vec<f64>,
    /// Point availability A(t), everything up at t = 0.
    pub availability: Vec<f64>,
    pub unavailability: Vec<f64>,
    /// R(t): no system failure up to t (null where not computed; see `notes`).
    pub reliability: Vec<Option<f64>>,
    /// 1 - R(t), computed directly.
    pub failure_probability: Vec<Option<f64>>,
    /// Mean time to the first system failure.
    pub mttf_hours: Option<f64>,
    pub notes: &'a [String],
    pub markov_blocks: Vec<ChainTransientJson<'a>>,
}

#[derive(Serialize)]
pub struct ChainTransientJson<'a> {
    pub name: &'a str,
    pub line: u32,
    pub availability: Option<Vec<f64>>,
    pub reliability: Option<Vec<f64>>,
    pub mttf_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

pub fn transient_json<'a>(a: &'a Analysis, t: &'a Transient) -> TransientJson<'a> {
    TransientJson {
        times_hours: t.points.iter().map(|p| p.hours).collect(),
        availability: t.points.iter().map(|p| p.availability).collect(),
        unavailability: t.points.iter().map(|p| p.unavailability).collect(),
        reliability: t
            .points
            .iter()
            .map(|p| p.reliability.map(|r| r.0))
            .collect(),
        failure_probability: t
            .points
            .iter()
            .map(|p| p.reliability.map(|r| r.1))
            .collect(),
        mttf_hours: t.mttf.and_then(finite),
        notes: &t.notes,
        markov_blocks: t
            .chains
            .iter()
            .map(|c| {
                let node = &a.structure.nodes[c.node];
                ChainTransientJson {
                    name: &node.label,
                    line: node.pos.line,
                    availability: c
                        .availability
                        .as_ref()
                        .ok()
                        .map(|v| v.iter().map(|x| x.0).collect()),
                    reliability: c
                        .reliability
                        .as_ref()
                        .ok()
                        .map(|v| v.iter().map(|x| x.0).collect()),
                    mttf_hours: c.mttf.and_then(finite),
                    note: c
                        .availability
                        .as_ref()
                        .err()
                        .or(c.reliability.as_ref().err())
                        .cloned(),
                }
            })
            .collect(),
    }
}
