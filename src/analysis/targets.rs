//! Target verdicts (what `hacalc check` gates on): is the system's availability or downtime
//! within what was asked, and by how much.

use crate::model::{Model, Targets};
use crate::probability::Probability;
use crate::solve::Solution;
use crate::units;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// System availability must be at least the target.
    Availability,
    /// Expected downtime per horizon must be at most the target (hours).
    Downtime,
    /// A promise (`slo:`) of the system or a named block: its availability must be at least
    /// what it promises.
    Slo,
    /// The expected fraction of requests served must be at least the target.
    Served,
    /// A data set's probability of no unrecoverable loss in a year must be at least this.
    Durability,
}

/// Windows an SRE error budget is stated for.
pub const BUDGET_WINDOWS: [(&str, f64); 4] = [
    ("28d", 28.0 * 24.0),
    ("30d", 30.0 * 24.0),
    ("quarter", units::YEAR_HOURS / 4.0),
    ("year", units::YEAR_HOURS),
];

/// The error budget of a target over one window.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Budget {
    /// `28d`, `30d`, `quarter` (a quarter of 365 days) or `year`.
    pub window: &'static str,
    pub window_hours: f64,
    /// Downtime the target allows over the window, hours.
    pub budget_hours: f64,
    /// Expected downtime over the window, hours.
    pub expected_downtime_hours: f64,
}

/// One target and how the system fares against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub kind: TargetKind,
    /// The availability asked for (with its exact complement); None for a downtime target.
    pub availability: Option<Probability>,
    /// The downtime per horizon that the target allows, hours.
    pub target_downtime_hours: f64,
    /// The system's availability, or its downtime per horizon in hours.
    pub actual: f64,
    pub met: bool,
    /// Expected downtime per horizon minus the budget the target allows, hours
    /// (negative: to spare).
    pub excess_hours: f64,
    pub horizon_hours: f64,
    /// One line for people: "99.93% < target 99.95%: 1h45m over the 4h23m budget".
    pub summary: String,
    /// The named block whose promise this is (SLO verdicts of named blocks).
    pub block: Option<String>,
    /// The error budget per window.
    pub budgets: Vec<Budget>,
    /// The share of the budget that the expected downtime uses (the same in every window;
    /// above 1 when the target is missed; None for a budget of zero).
    pub budget_used: Option<f64>,
}

impl Verdict {
    /// "error budget 21m36s per 30d, 20m10s per 28d, 1h5m per quarter: 11% used".
    pub fn budget_line(&self) -> String {
        let windows: Vec<String> = self
            .budgets
            .iter()
            .filter(|b| b.window != "year")
            .map(|b| format!("{} per {}", units::duration(b.budget_hours), b.window))
            .collect();
        let used = match self.budget_used {
            Some(u) => format!("{} used", units::share(u)),
            None => "no downtime allowed".to_string(),
        };
        format!("error budget {}: {used}", windows.join(", "))
    }
}

/// The budgets of a target that allows `budget_hours` of downtime per `horizon_hours`, for a
/// part with expected downtime `downtime_hours` per horizon.
fn budgets(
    budget_hours: f64,
    downtime_hours: f64,
    horizon_hours: f64,
) -> (Vec<Budget>, Option<f64>) {
    let list = BUDGET_WINDOWS
        .iter()
        .map(|&(window, w)| Budget {
            window,
            window_hours: w,
            budget_hours: budget_hours * w / horizon_hours,
            expected_downtime_hours: downtime_hours * w / horizon_hours,
        })
        .collect();
    let used = (budget_hours > 0.0).then(|| downtime_hours / budget_hours);
    (list, used)
}

/// Evaluates every target. Availability is compared in unavailability space, so a target of
/// 99.9999999% is judged exactly.
pub fn evaluate(solution: &Solution, targets: &Targets) -> Vec<Verdict> {
    let s = &solution.system;
    let h = solution.horizon_hours;
    let downtime = s.unavailability() * h;
    let per = units::duration(h);
    let mut out = Vec::new();
    if let Some(t) = targets.availability {
        let budget = t.q * h;
        let met = s.unavailability() <= t.q;
        let actual = units::percent(s.availability(), s.unavailability());
        let target = units::percent_exact(t.p, t.q);
        let summary = if met {
            format!(
                "availability {actual} >= target {target}: {} under the {} budget per {per}",
                units::duration(budget - downtime),
                units::duration(budget)
            )
        } else {
            format!(
                "availability {actual} < target {target}: {} over the {} budget per {per}",
                units::duration(downtime - budget),
                units::duration(budget)
            )
        };
        let (budgets, budget_used) = budgets(budget, downtime, h);
        out.push(Verdict {
            kind: TargetKind::Availability,
            availability: Some(t),
            target_downtime_hours: budget,
            actual: s.availability(),
            met,
            excess_hours: downtime - budget,
            horizon_hours: h,
            summary,
            block: None,
            budgets,
            budget_used,
        });
    }
    if let Some(max) = targets.downtime_hours {
        let met = downtime <= max;
        let summary = if met {
            format!(
                "downtime {} <= max {} per {per}: {} to spare",
                units::duration(downtime),
                units::duration(max),
                units::duration(max - downtime)
            )
        } else {
            format!(
                "downtime {} > max {} per {per}: {} over",
                units::duration(downtime),
                units::duration(max),
                units::duration(downtime - max)
            )
        };
        let (budgets, budget_used) = budgets(max, downtime, h);
        out.push(Verdict {
            kind: TargetKind::Downtime,
            availability: None,
            target_downtime_hours: max,
            actual: downtime,
            met,
            excess_hours: downtime - max,
            horizon_hours: h,
            summary,
            block: None,
            budgets,
            budget_used,
        });
    }
    out
}

/// The `served` target against the served fraction (or, when that could not be computed, a
/// missed target that says why: a gate never passes on a figure it does not have).
pub fn served_verdict(
    target: Probability,
    served: &Result<crate::solve::served::Served, crate::solve::served::ServedError>,
    horizon_hours: f64,
) -> Verdict {
    let h = horizon_hours;
    let per = units::duration(h);
    let budget = target.q * h;
    let t = units::percent_exact(target.p, target.q);
    let (met, actual, shortfall, summary) = match served {
        Ok(s) => {
            let met = s.shortfall <= target.q;
            let shown = units::percent(s.expected, s.shortfall);
            let outage = units::duration(s.shortfall * h);
            let summary = if met {
                format!(
                    "requests served {shown} >= target {t}: the shortfall is worth {outage} of full outage per {per}, within the {} budget",
                    units::duration(budget)
                )
            } else {
                format!(
                    "requests served {shown} < target {t}: the shortfall is worth {outage} of full outage per {per}, over the {} budget",
                    units::duration(budget)
                )
            };
            (met, s.expected, s.shortfall, summary)
        }
        Err(e) => (
            false,
            f64::NAN,
            f64::NAN,
            format!("requests served: not computed ({e}), so the target {t} is not met"),
        ),
    };
    let (budgets, budget_used) = if shortfall.is_finite() {
        budgets(budget, shortfall * h, h)
    } else {
        (Vec::new(), None)
    };
    Verdict {
        kind: TargetKind::Served,
        availability: Some(target),
        target_downtime_hours: budget,
        actual,
        met,
        excess_hours: shortfall * h - budget,
        horizon_hours: h,
        summary,
        block: None,
        budgets,
        budget_used,
    }
}

/// The `durability` target against each data set's durability per year.
pub fn durability_verdicts(
    target: Probability,
    data: &[crate::solve::durability::Durability],
    horizon_hours: f64,
) -> Vec<Verdict> {
    let t = units::percent_exact(target.p, target.q);
    data.iter()
        .map(|d| {
            let (met, actual, summary) = match d.durability_year {
                Some(y) => {
                    let shown = units::percent(y.p, y.q);
                    let nines = units::nines(y.q);
                    if y.q <= target.q {
                        (true, y.p, format!("data `{}`: durability {shown} per year ({nines} nines) >= target {t}", d.name))
                    } else {
                        (false, y.p, format!("data `{}`: durability {shown} per year ({nines} nines) < target {t}", d.name))
                    }
                }
                None => (
                    false,
                    f64::NAN,
                    format!("data `{}`: durability not computed (past the work bound), so the target {t} is not met", d.name),
                ),
            };
            Verdict {
                kind: TargetKind::Durability,
                availability: Some(target),
                target_downtime_hours: 0.0,
                actual,
                met,
                excess_hours: 0.0,
                horizon_hours,
                summary,
                block: Some(d.name.clone()),
                budgets: Vec::new(),
                budget_used: None,
            }
        })
        .collect()
}

/// The promises (`slo:`) of the system and of its named blocks, each against the
/// availability its structure gives: a block that promises more than its dependencies allow
/// misses its promise.
pub fn promises(model: &Model, solution: &Solution) -> Vec<Verdict> {
    let h = solution.horizon_hours;
    let per = units::duration(h);
    let system = model.slo.map(|(p, _)| (None, p, solution.system.avail));
    let blocks = model.blocks.iter().filter_map(|b| {
        let (p, _) = b.slo?;
        let r = solution.blocks.iter().find(|r| r.name == b.name)?;
        Some((Some(b.name.clone()), p, r.measures.avail))
    });
    system
        .into_iter()
        .chain(blocks)
        .map(|(block, promise, actual)| {
            let budget = promise.q * h;
            let downtime = actual.q * h;
            let met = actual.q <= promise.q;
            let who = match &block {
                Some(name) => format!("`{name}`"),
                None => "the system".to_string(),
            };
            let (a, p) = (
                units::percent(actual.p, actual.q),
                units::percent_exact(promise.p, promise.q),
            );
            let summary = if met {
                format!(
                    "{who} promises {p} and its structure gives {a}: {} under the promise's {} budget per {per}",
                    units::duration(budget - downtime),
                    units::duration(budget)
                )
            } else {
                format!(
                    "{who} promises {p} but its structure gives at most {a}: {} over the promise's {} budget per {per}",
                    units::duration(downtime - budget),
                    units::duration(budget)
                )
            };
            let (budgets, budget_used) = budgets(budget, downtime, h);
            Verdict {
                kind: TargetKind::Slo,
                availability: Some(promise),
                target_downtime_hours: budget,
                actual: actual.p,
                met,
                excess_hours: downtime - budget,
                horizon_hours: h,
                summary,
                block,
                budgets,
                budget_used,
            }
        })
        .collect()
}

/// Targets from the file, with any given on the command line taking the place of the file's
/// target of the same kind.
pub fn merge(
    file: Targets,
    availability: Option<Probability>,
    downtime_hours: Option<f64>,
) -> Targets {
    Targets {
        availability: availability.or(file.availability),
        downtime_hours: downtime_hours.or(file.downtime_hours),
        served: file.served,
        durability: file.durability,
    }
}
