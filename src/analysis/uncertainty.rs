//! Uncertainty on the inputs (`--uncertainty N`): parameters written as distributions
//! (`mtbf: { median: 30d, error_factor: 3 }`, `{ low, high }`, `{ low, high, log: true }`) are
//! drawn N times, each draw solved exactly, and the spread of the results given as
//! percentiles, with the probability that each target is met.
//!
//! Draw i takes its numbers from stream i of the seeded generator the simulator uses, so the
//! result depends on the seed and N only, not on the threads that share the draws.

use super::Options;
use super::targets::{self, Verdict};
use crate::model::{Model, Targets};
use crate::solve::simulate::rng::Stream;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Why the draws could not be made: where (the parameter, or what the solver pointed at) and
/// what.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertaintyError {
    pub pos: crate::diagnostics::Pos,
    pub message: String,
}

impl std::fmt::Display for UncertaintyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What `--uncertainty` asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UncertaintyRequest {
    pub samples: usize,
    pub seed: u64,
    pub threads: usize,
}

/// Most draws of one run.
pub const MAX_SAMPLES: usize = 1_000_000;

/// The 5th, 50th and 95th percentiles (linear between order statistics) and the mean.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Spread {
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    pub mean: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TargetChance {
    pub kind: &'static str,
    /// The availability asked for, or the downtime allowed per horizon in hours.
    pub target: f64,
    pub probability_met: f64,
    #[serde(skip)]
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    pub samples: usize,
    pub seed: u64,
    /// The parameters drawn (component `name`.`key`).
    pub parameters: Vec<String>,
    pub availability: Spread,
    pub unavailability: Spread,
    /// Per the model's horizon.
    pub downtime_hours: Spread,
    /// Per the model's horizon; None when static components leave it unknown.
    pub failures: Option<Spread>,
    /// Every draw's unavailability, sorted (for the report's distribution).
    pub sorted_unavailability: Vec<f64>,
    pub targets: Vec<TargetChance>,
}

/// One draw's results.
#[derive(Clone, Default)]
struct Draw {
    a: f64,
    u: f64,
    f: Option<f64>,
    met: Vec<bool>,
}

fn spread(mut x: Vec<f64>) -> Spread {
    x.sort_by(f64::total_cmp);
    let at = |p: f64| {
        let r = p * (x.len() - 1) as f64;
        let (i, frac) = (r.floor() as usize, r - r.floor());
        if i + 1 < x.len() {
            x[i] + frac * (x[i + 1] - x[i])
        } else {
            x[i]
        }
    };
    Spread {
        p5: at(0.05),
        p50: at(0.5),
        p95: at(0.95),
        mean: x.iter().sum::<f64>() / x.len() as f64,
    }
}

/// A drawn value in its range: an availability's U kept within [0, 1] (a lognormal on U has
/// a tail past 1), a duration or the mean time of a rate within the durations a model may
/// use, else an error at the parameter.
fn checked(
    p: &crate::model::Uncertain,
    v: f64,
    name: &str,
    i: usize,
) -> Result<f64, UncertaintyError> {
    use crate::parse::quantity::{MAX_DURATION_HOURS, MIN_DURATION_HOURS};
    let hours = match p.key {
        "availability" => return Ok(v.clamp(0.0, 1.0)),
        "failure_rate" | "repair_rate" => 1.0 / v,
        _ => v,
    };
    if (MIN_DURATION_HOURS..=MAX_DURATION_HOURS).contains(&hours) {
        Ok(v)
    } else {
        Err(UncertaintyError {
            pos: p.pos,
            message: format!(
                "draw {} gives {name}.{} a value of {v:.3e} ({}), outside the durations a model may use (a nanosecond to a billion years): the distribution is too wide",
                i + 1,
                p.key,
                if p.key.ends_with("rate") {
                    "per hour"
                } else {
                    "hours"
                }
            ),
        })
    }
}

fn draw(
    model: &Model,
    targets: &Targets,
    options: &Options,
    seed: u64,
    i: usize,
) -> Result<Draw, UncertaintyError> {
    let mut rng = Stream::new(seed, i as u64);
    let mut m = model.clone();
    for c in m.components.iter_mut().filter(|c| !c.uncertain.is_empty()) {
        let mut values: Vec<(&str, f64)> = Vec::with_capacity(c.uncertain.len());
        for p in &c.uncertain {
            // Both numbers drawn for every parameter: the stream's use does not depend on
            // the kinds of distribution.
            let (u, z) = (rng.uniform(), rng.normal());
            values.push((p.key, checked(p, p.dist.at(u, z), &c.name, i)?));
        }
        *c = c.with_values(&values);
    }
    let fail = |d: Vec<crate::diagnostics::Diagnostic>| {
        d.first().map_or_else(
            || UncertaintyError {
                pos: model.system.pos,
                message: format!("draw {} could not be solved", i + 1),
            },
            |d| UncertaintyError {
                pos: d.pos,
                message: format!("draw {} could not be solved: {}", i + 1, d.message),
            },
        )
    };
    let structure = crate::compile::compile(&m, &options.limits).map_err(fail)?;
    let solution = crate::solve::solve(&m, &structure, &options.solver).map_err(fail)?;
    let (solution, _) =
        super::maintenance::solve(&m, solution, options, options.planned_excluded).map_err(fail)?;
    let s = &solution.system;
    let verdicts: Vec<Verdict> = targets::evaluate(&solution, targets);
    Ok(Draw {
        a: s.availability(),
        u: s.unavailability(),
        f: s.frequency,
        met: verdicts.iter().map(|v| v.met).collect(),
    })
}

/// Draws and solves the model `request.samples` times; an error names the first draw that
/// could not be solved.
pub fn uncertainty(
    model: &Model,
    targets: &Targets,
    options: &Options,
    nominal: &[Verdict],
    request: &UncertaintyRequest,
) -> Result<Uncertainty, UncertaintyError> {
    let n = request.samples.clamp(1, MAX_SAMPLES);
    let progress = AtomicU64::new(0);
    let done = crate::parallel::run(
        n,
        request.threads,
        ("parameter draws solved", n as u64, &progress),
        |_, i| {
            let r = draw(model, targets, options, request.seed, i);
            progress.fetch_add(1, Relaxed);
            r
        },
    );
    let mut draws = Vec::with_capacity(n);
    for d in done {
        draws.push(d?);
    }
    let h = model.horizon_hours;
    let column = |f: &dyn Fn(&Draw) -> f64| draws.iter().map(f).collect::<Vec<f64>>();
    let mut sorted_u = column(&|d| d.u);
    sorted_u.sort_by(f64::total_cmp);
    let targets = nominal
        .iter()
        .enumerate()
        .map(|(k, v)| TargetChance {
            kind: match v.kind {
                targets::TargetKind::Downtime => "downtime",
                _ => "availability",
            },
            target: v.availability.map_or(v.target_downtime_hours, |a| a.p),
            probability_met: draws.iter().filter(|d| d.met.get(k) == Some(&true)).count() as f64
                / n as f64,
            summary: v.summary.clone(),
        })
        .collect();
    Ok(Uncertainty {
        samples: n,
        seed: request.seed,
        parameters: model
            .components
            .iter()
            .flat_map(|c| {
                c.uncertain
                    .iter()
                    .map(move |p| format!("{}.{}", c.name, p.key))
            })
            .collect(),
        availability: spread(column(&|d| d.a)),
        unavailability: spread(sorted_u.clone()),
        downtime_hours: spread(column(&|d| d.u * h)),
        failures: draws
            .iter()
            .map(|d| d.f.map(|f| f * h))
            .collect::<Option<Vec<f64>>>()
            .map(spread),
        sorted_unavailability: sorted_u,
        targets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_known_values() {
        let s = spread((1..=101).map(f64::from).collect());
        assert_eq!((s.p5, s.p50, s.p95, s.mean), (6.0, 51.0, 96.0, 51.0));
        let s = spread(vec![2.0, 1.0]);
        assert_eq!((s.p5, s.p50), (1.05, 1.5));
    }
}
