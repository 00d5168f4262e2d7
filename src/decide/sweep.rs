//! `hacalc sweep`: availability and downtime against one parameter (or a grid of two), with
//! the point where each target stops being met found by bisection on re-solved models, not
//! read off the grid.

use super::{Outcome, Quantity, Session, bisect};
use crate::analysis::targets::TargetKind;
use crate::diagnostics::{Diagnostic, Pos, Report};

/// Most solves a sweep makes (grid points and bisection steps), unless raised.
pub const DEFAULT_MAX_SOLVES: usize = 10_000;

/// Relative width to which a crossing is found.
pub const CROSSING_TOLERANCE: f64 = 1e-9;

/// One swept parameter.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Axis {
    /// The assignment path, as `--set` takes it (`db.mttr`).
    pub path: String,
    pub quantity: Quantity,
    pub from: f64,
    pub to: f64,
    /// Points from `from` to `to`, both included.
    pub steps: usize,
    /// Spaced evenly in the logarithm (a geometric progression).
    pub log: bool,
}

impl Axis {
    /// Reads `--param PATH --from A --to B`: both ends of the same kind of quantity.
    pub fn new(path: &str, from: &str, to: &str, steps: usize, log: bool) -> Result<Axis, String> {
        let (kf, f) = Quantity::read(from).map_err(|e| format!("--from {from}: {e}"))?;
        let (kt, t) = Quantity::read(to).map_err(|e| format!("--to {to}: {e}"))?;
        let quantity = match (kf, kt) {
            (a, b) if a == b => a,
            (Quantity::Count, Quantity::Number) | (Quantity::Number, Quantity::Count) => {
                Quantity::Number
            }
            _ => {
                return Err(format!(
                    "--from {from} and --to {to} are different kinds of quantity; give both as durations, rates, percentages or numbers"
                ));
            }
        };
        if steps < 2 {
            return Err(format!("--steps {steps}: a sweep needs at least 2 points"));
        }
        if log && (f <= 0.0 || t <= 0.0) {
            return Err("--log needs --from and --to above zero".to_string());
        }
        if f == t {
            return Err(format!("--from and --to are the same value ({from})"));
        }
        Ok(Axis {
            path: path.to_string(),
            quantity,
            from: f,
            to: t,
            steps,
            log,
        })
    }

    /// How many values the axis has (counts step by whole numbers, so a short range of them
    /// has fewer than `steps`), computed without building them.
    pub fn point_count(&self) -> usize {
        match self.whole_span() {
            Some(span) => span as usize + 1,
            None => self.steps,
        }
    }

    /// For counts over a range shorter than the steps: the number of whole steps in it.
    fn whole_span(&self) -> Option<f64> {
        let span = (self.to.round() - self.from.round()).abs();
        (self.quantity == Quantity::Count && span + 1.0 <= self.steps as f64).then_some(span)
    }

    /// The values of the axis, in order from `from` to `to`; counts are whole and distinct.
    pub fn values(&self) -> Vec<f64> {
        if let Some(span) = self.whole_span() {
            let (a, step) = (self.from.round(), (self.to - self.from).signum());
            return (0..=span as usize).map(|i| a + step * i as f64).collect();
        }
        let n = self.steps;
        let mut v: Vec<f64> = (0..n)
            .map(|i| {
                let s = i as f64 / (n - 1) as f64;
                if i == n - 1 {
                    self.to
                } else if self.log {
                    (self.from.ln() + s * (self.to.ln() - self.from.ln())).exp()
                } else {
                    self.from + s * (self.to - self.from)
                }
            })
            .collect();
        if self.quantity == Quantity::Count {
            v.iter_mut().for_each(|x| *x = x.round());
            v.dedup();
        }
        v
    }
}

/// Whether an axis's values can stand where the file writes a value of `kind`.
fn kind_fits(kind: Quantity, axis: &Axis) -> bool {
    let whole = |x: f64| x.fract() == 0.0;
    kind == axis.quantity
        || (kind == Quantity::Count
            && axis.quantity == Quantity::Number
            && whole(axis.from)
            && whole(axis.to))
        || (kind == Quantity::Number && axis.quantity == Quantity::Count)
}

fn kind_words(q: Quantity) -> &'static str {
    match q {
        Quantity::Duration => "a duration",
        Quantity::Rate => "a rate",
        Quantity::Percent => "a percentage",
        Quantity::Count => "a whole number",
        Quantity::Number => "a number",
    }
}

/// One point of the sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The value of each axis.
    pub values: Vec<f64>,
    pub outcome: Outcome,
}

/// Where a target changes from met to missed along the (first) axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossing {
    pub kind: TargetKind,
    /// The target's summary at the base model (what is being crossed).
    pub target: String,
    /// The parameter's value at the crossing.
    pub value: f64,
    /// True when the target is met below the value (and missed above).
    pub met_below: bool,
    /// "the availability target 99.95% is met while db.mttr <= 1h47m".
    pub statement: String,
}

/// A finished sweep.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub axes: Vec<Axis>,
    pub points: Vec<Point>,
    pub crossings: Vec<Crossing>,
    /// The model as it is (without the swept change), for reference lines.
    pub base: Outcome,
    pub name: String,
    pub solves: usize,
}

/// Sweeps the axes (one, or two for a grid), then finds each target's crossings along a
/// one-parameter sweep.
pub fn sweep(session: &Session, axes: Vec<Axis>, max_solves: usize) -> Result<Sweep, Report> {
    let base_analysis = session.analyse()?;
    let base = Outcome::of(&base_analysis);
    let name = base_analysis.solution.name.clone();
    drop(base_analysis);
    // The size first: a grid is not built before it is known to fit the budget.
    let size = axes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.point_count()))
        .unwrap_or(usize::MAX);
    if size > max_solves {
        return Err(session.option_error(
            &format!("--max-solves {max_solves}"),
            Diagnostic::error(
                Pos::FILE,
                format!("the sweep asks for {size} points, more than --max-solves {max_solves}"),
            )
            .with_hint("raise --max-solves, or ask for fewer --steps"),
        ));
    }
    // The swept value must be of the kind the file writes there (a duration for an mttr,
    // a whole number for a count).
    for axis in &axes {
        if let Some(written) = session.written(&axis.path)
            && let Ok((kind, _)) = Quantity::read(&written)
            && !kind_fits(kind, axis)
        {
            return Err(session.option_error(
                &format!("--param {}", axis.path),
                Diagnostic::error(
                    Pos::FILE,
                    format!(
                        "`{}` is {} (the file says `{written}`), but --from and --to give {}",
                        axis.path,
                        kind_words(kind),
                        kind_words(axis.quantity)
                    ),
                )
                .with_hint(format!("give --from and --to as {}", kind_words(kind))),
            ));
        }
    }
    let grid: Vec<Vec<f64>> = match axes.as_slice() {
        [a] => a.values().into_iter().map(|x| vec![x]).collect(),
        [a, b] => {
            let bv = b.values();
            a.values()
                .into_iter()
                .flat_map(|x| bv.iter().map(move |&y| vec![x, y]))
                .collect()
        }
        _ => unreachable!("one or two axes"),
    };
    let option = format!("--max-solves {max_solves}");
    let too_many = |what: String| {
        session.option_error(
            &option,
            Diagnostic::error(Pos::FILE, what)
                .with_hint("raise --max-solves, or ask for fewer --steps"),
        )
    };
    if grid.len() > max_solves {
        return Err(too_many(format!(
            "the sweep has {} points, more than --max-solves {max_solves}",
            grid.len()
        )));
    }
    let mut solves = 0;
    let mut progress = crate::progress::start("sweeping", grid.len() as u64);
    let mut points = Vec::with_capacity(grid.len());
    for values in grid {
        let changes: Vec<(String, String)> = axes
            .iter()
            .zip(&values)
            .map(|(a, &x)| (a.path.clone(), a.quantity.text(x)))
            .collect();
        let a = session.analyse_with("--param", &changes)?;
        solves += 1;
        progress.set(solves as u64);
        points.push(Point {
            values,
            outcome: Outcome::of(&a),
        });
    }
    drop(progress);
    let mut crossings = Vec::new();
    if let [axis] = axes.as_slice() {
        let mut budget = max_solves - solves;
        for (t, verdict) in base.verdicts.iter().enumerate() {
            for pair in points.windows(2) {
                let (met_a, met_b) = (
                    pair[0].outcome.verdicts[t].met,
                    pair[1].outcome.verdicts[t].met,
                );
                if met_a == met_b {
                    continue;
                }
                let mut steps = 0;
                let (lo, hi) = bisect(
                    pair[0].values[0],
                    pair[1].values[0],
                    axis.log,
                    CROSSING_TOLERANCE,
                    200,
                    |x| {
                        if steps >= budget {
                            return Err(too_many(format!(
                                "finding where `{}` crosses its target takes more than --max-solves {max_solves} solves",
                                axis.path
                            )));
                        }
                        steps += 1;
                        let a = session.analyse_with(
                            "--param",
                            &[(axis.path.clone(), axis.quantity.text(x))],
                        )?;
                        Ok(a.verdicts.get(t).is_some_and(|v| v.met) == met_a)
                    },
                )?;
                budget -= steps;
                solves += steps;
                // The value on the met side, so that the statement holds as printed.
                let value = if met_a { lo } else { hi };
                let met_below = met_a == (pair[0].values[0] < pair[1].values[0]);
                let what = match verdict.kind {
                    TargetKind::Availability => format!(
                        "the availability target {}",
                        crate::units::percent_exact(
                            verdict.availability.map_or(0.0, |p| p.p),
                            verdict.availability.map_or(1.0, |p| p.q)
                        )
                    ),
                    TargetKind::Downtime => format!(
                        "the downtime target {}",
                        crate::units::duration(verdict.target_downtime_hours)
                    ),
                    TargetKind::Durability => format!(
                        "`{}`'s durability target",
                        verdict.block.as_deref().unwrap_or("data")
                    ),
                    TargetKind::Served => format!(
                        "the served target {}",
                        crate::units::percent_exact(
                            verdict.availability.map_or(0.0, |p| p.p),
                            verdict.availability.map_or(1.0, |p| p.q)
                        )
                    ),
                    TargetKind::Slo => match &verdict.block {
                        Some(b) => format!("`{b}`'s promise"),
                        None => "the system's promise".to_string(),
                    },
                };
                // Shown rounded into the met side, so that the value as printed meets it.
                let statement = format!(
                    "{what} is met while {} {} {}",
                    axis.path,
                    if met_below { "<=" } else { ">=" },
                    axis.quantity.show_rounded(value, !met_below)
                );
                crossings.push(Crossing {
                    kind: verdict.kind,
                    target: verdict.summary.clone(),
                    value,
                    met_below,
                    statement,
                });
            }
        }
    }
    Ok(Sweep {
        axes,
        points,
        crossings,
        base,
        name,
        solves,
    })
}
