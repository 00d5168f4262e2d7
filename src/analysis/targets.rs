//! Target verdicts (what `hacalc check` gates on): is the system's availability or downtime
//! within what was asked, and by how much.

use crate::model::Targets;
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
        out.push(Verdict {
            kind: TargetKind::Availability,
            availability: Some(t),
            target_downtime_hours: budget,
            actual: s.availability(),
            met,
            excess_hours: downtime - budget,
            horizon_hours: h,
            summary,
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
        out.push(Verdict {
            kind: TargetKind::Downtime,
            availability: None,
            target_downtime_hours: max,
            actual: downtime,
            met,
            excess_hours: downtime - max,
            horizon_hours: h,
            summary,
        });
    }
    out
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
    }
}
