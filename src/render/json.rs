//! `--format json`: the contract's keys (FORMAT.md section 4) and more, times in hours,
//! numbers as JSON numbers, `null` for what a static availability leaves unknown.

use super::{finite, ranked_blocks, ranked_components, share};
use crate::Analysis;
use crate::check::{TargetKind, Verdict};
use crate::solve::Measures;
use crate::solve::transient::Transient;
use crate::units::{MONTH_HOURS, YEAR_HOURS};
use serde::Serialize;

#[derive(Serialize)]
pub struct SolveJson<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
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
    pub components: Vec<ComponentJson<'a>>,
    /// Every block solved as a Markov chain.
    pub markov_blocks: Vec<MarkovJson<'a>>,
    /// With `--at`: A(t), R(t) and MTTF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transient: Option<TransientJson<'a>>,
    pub warnings: Vec<String>,
    pub hacalc_version: &'static str,
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
}

#[derive(Serialize)]
pub struct BlockJson<'a> {
    pub name: &'a str,
    pub copies: f64,
    pub availability: f64,
    pub unavailability: f64,
    pub failures: Option<f64>,
    pub mtbf_hours: Option<f64>,
    pub mttr_hours: Option<f64>,
    pub birnbaum: f64,
    pub downtime_saved_hours: f64,
    pub downtime_share: f64,
}

#[derive(Serialize)]
pub struct ComponentJson<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    /// Copies of the component in the whole system.
    pub copies: f64,
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
    super::markov_blocks(a)
        .map(|(block, result, node)| {
            let s = &result.steady;
            let m = result.measures();
            let listed = result.states <= LISTED_STATES;
            let (chain, names) = if listed {
                let (c, n) = block.spec.build();
                (Some(c), Some(n))
            } else {
                (None, None)
            };
            MarkovJson {
                name: &node.label,
                kind: block.spec.kind(),
                line: node.pos.line,
                state_count: result.states,
                transition_count: result.transitions,
                method: s.method.name(),
                residual: s.residual,
                relative_residual: s.relative_residual,
                iterations: s.iterations,
                availability: s.availability,
                unavailability: s.unavailability,
                failures: s.frequency * h,
                mtbf_hours: m.mtbf().and_then(finite),
                mttr_hours: m.mttr().and_then(finite),
                states: chain.as_ref().zip(names.as_ref()).map(|(c, names)| {
                    (0..c.states())
                        .map(|i| StateJson {
                            name: names.name(i),
                            up: c.up[i],
                            probability: s.pi[i],
                        })
                        .collect()
                }),
                transitions: chain.as_ref().zip(names.as_ref()).map(|(c, names)| {
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
        target: match v.kind {
            TargetKind::Availability => v.target.p,
            TargetKind::Downtime => v.target_downtime_hours,
        },
        actual: v.actual,
        met: v.met,
        excess_downtime_hours: v.excess_hours,
        summary: v.summary.clone(),
    }
}

/// The JSON object of `solve` (and, with `met`, of `check`).
pub fn build<'a>(a: &'a Analysis, verdicts: &[Verdict], met: Option<bool>) -> SolveJson<'a> {
    let s = &a.solution;
    let h = s.horizon_hours;
    let u_sys = s.system.unavailability;
    let (failures, mtbf, mttr) = measures_per(&s.system, h);
    SolveJson {
        name: &s.name,
        description: a.model.description.as_deref(),
        horizon_hours: h,
        availability: s.system.availability,
        unavailability: u_sys,
        nines: finite(s.system.nines()),
        downtime_hours: u_sys * h,
        downtime_hours_per_month: u_sys * MONTH_HOURS,
        downtime_hours_per_year: u_sys * YEAR_HOURS,
        failures,
        mtbf_hours: mtbf,
        mttr_hours: mttr,
        targets: verdicts.iter().map(target_json).collect(),
        met,
        blocks: ranked_blocks(a)
            .into_iter()
            .map(|b| {
                let (failures, mtbf_hours, mttr_hours) = measures_per(&b.measures, h);
                BlockJson {
                    name: &b.name,
                    copies: b.occurrences,
                    availability: b.measures.availability,
                    unavailability: b.measures.unavailability,
                    failures,
                    mtbf_hours,
                    mttr_hours,
                    birnbaum: b.birnbaum,
                    downtime_saved_hours: b.unavailability_saved * h,
                    downtime_share: share(b.unavailability_saved, u_sys),
                }
            })
            .collect(),
        components: ranked_components(a)
            .into_iter()
            .map(|c| ComponentJson {
                name: &c.name,
                description: a.model.components[c.index].description.as_deref(),
                copies: c.occurrences,
                availability: c.measures.availability,
                unavailability: c.measures.unavailability,
                mtbf_hours: c.rates.map(|r| r.mtbf()),
                mttr_hours: c.rates.map(|r| r.mttr()),
                failures: c.measures.frequency.map(|f| f * h),
                birnbaum: c.birnbaum,
                downtime_saved_hours: c.unavailability_saved * h,
                downtime_share: share(c.unavailability_saved, u_sys),
                system_failures_caused: c.system_failures_caused.map(|f| f * h),
            })
            .collect(),
        markov_blocks: markov_json(a),
        transient: None,
        warnings: a
            .warnings
            .iter()
            .map(|w| format!("{}:{}:{}: {}", a.file, w.pos.line, w.pos.column, w.message))
            .collect(),
        hacalc_version: env!("CARGO_PKG_VERSION"),
    }
}

/// Writes the JSON to `w` (streamed: a 100,000-component result is tens of megabytes).
pub fn write(
    a: &Analysis,
    verdicts: &[Verdict],
    met: Option<bool>,
    w: impl std::io::Write,
) -> std::io::Result<()> {
    write_with(a, verdicts, met, None, w)
}

/// As [`write`], with the time-dependent measures of `hacalc solve --at`.
pub fn write_with(
    a: &Analysis,
    verdicts: &[Verdict],
    met: Option<bool>,
    transient: Option<&Transient>,
    mut w: impl std::io::Write,
) -> std::io::Result<()> {
    let mut json = build(a, verdicts, met);
    json.transient = transient.map(|t| transient_json(a, t));
    serde_json::to_writer_pretty(&mut w, &json)?;
    w.write_all(b"\n")
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

pub fn render(a: &Analysis, verdicts: &[Verdict], met: Option<bool>) -> String {
    let mut out = Vec::new();
    write(a, verdicts, met, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}
