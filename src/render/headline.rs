//! The system's headline figures, formatted once for every format that shows them.

use crate::analysis::Analysis;
use crate::units::{self, MONTH_HOURS, YEAR_HOURS};
use serde::Serialize;

/// The system's figures as text.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    /// "99.9942%"
    pub availability: String,
    /// "4.24"
    pub nines: String,
    /// "5.775e-5"
    pub unavailability: String,
    /// The horizon, "1y".
    pub per: String,
    pub downtime_horizon: String,
    pub downtime_month: String,
    pub downtime_year: String,
    /// "30m21s per 1y · 2m30s per 30d month", with the year too when the horizon is not one.
    pub downtime_summary: String,
    /// "... per <horizon>" when the horizon is neither a year nor a month, for pages that
    /// lead with the year and the month.
    pub horizon_note: Option<String>,
    /// Failures per horizon, month and year ("unknown" with static availabilities).
    pub failures_horizon: String,
    pub failures_month: String,
    pub failures_year: String,
    /// Failures per horizon when the horizon is neither a year nor a month.
    pub failures_horizon_note: Option<String>,
    pub mtbf: String,
    pub mttr: String,
    /// Why failures, MTBF and mean outage are unknown, when they are.
    pub unknown_note: Option<String>,
    /// What planned maintenance adds to the downtime (models with `maintenance:`).
    pub planned: Option<String>,
}

const UNKNOWN: &str = "unknown";

pub fn headline(a: &Analysis) -> Headline {
    let s = &a.solution.system;
    let u = s.unavailability();
    let h = a.solution.horizon_hours;
    let per = units::duration(h);
    let per_horizon = h != YEAR_HOURS && h != MONTH_HOURS;
    let failures = |period: f64| {
        s.frequency.map_or_else(
            || UNKNOWN.to_string(),
            |f| units::significant(f * period, 3),
        )
    };
    let mut downtime = vec![format!("{} per {per}", units::duration(u * h))];
    if h != MONTH_HOURS {
        downtime.push(format!(
            "{} per 30d month",
            units::duration(u * MONTH_HOURS)
        ));
    }
    if h != YEAR_HOURS {
        downtime.push(format!("{} per year", units::duration(u * YEAR_HOURS)));
    }
    Headline {
        availability: units::percent(s.availability(), u),
        nines: units::nines(u),
        unavailability: format!("{u:.3e}"),
        downtime_horizon: units::duration(u * h),
        downtime_month: units::duration(u * MONTH_HOURS),
        downtime_year: units::duration(u * YEAR_HOURS),
        downtime_summary: downtime.join(" · "),
        horizon_note: per_horizon.then(|| format!("{} per {per}", units::duration(u * h))),
        failures_horizon: failures(h),
        failures_month: failures(MONTH_HOURS),
        failures_year: failures(YEAR_HOURS),
        failures_horizon_note: per_horizon.then(|| format!("{} per {per}", failures(h))),
        mtbf: s.mtbf().map_or_else(|| UNKNOWN.to_string(), units::duration),
        mttr: s.mttr().map_or_else(|| UNKNOWN.to_string(), units::duration),
        unknown_note: s.frequency.is_none().then(|| {
            "Failures, MTBF and mean outage are unknown: some components are known only by a static availability, which says nothing about how often or how long they fail.".to_string()
        }),
        planned: planned_line(a),
        per,
    }
}

/// The served fraction's rows (measure, value), when the analysis has one: the expected
/// fraction with its shortfall, then P(S >= x) at each level; or why it is not computed.
pub fn served_rows(a: &Analysis) -> Vec<(String, String)> {
    match &a.served {
        None => Vec::new(),
        Some(Err(e)) => vec![("requests served".to_string(), format!("not computed: {e}"))],
        Some(Ok(s)) => {
            let mut rows = vec![(
                "requests served".to_string(),
                format!(
                    "{} expected (shortfall {}, worth {} of full outage per {})",
                    units::percent(s.expected, s.shortfall),
                    units::significant(s.shortfall, 4),
                    units::duration(s.shortfall * a.solution.horizon_hours),
                    units::duration(a.solution.horizon_hours)
                ),
            )];
            for (x, p) in &s.at_least {
                rows.push((
                    format!("P(served >= {})", units::fraction(*x)),
                    format!("{} of the time", units::percent(p.p, p.q)),
                ));
            }
            rows
        }
    }
}

/// A data set's durability as text, for every format that shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DurabilityRow {
    pub name: String,
    pub mttdl: String,
    /// P(loss within the horizon).
    pub loss: String,
    /// Durability per year, with nines.
    pub durability: String,
    /// Recovered from a backup, recovery point, writes lost per year, restore per year.
    pub backups: Option<[String; 4]>,
}

pub fn durability_rows(a: &Analysis) -> Vec<DurabilityRow> {
    let not = || "not computed".to_string();
    a.durability
        .iter()
        .map(|d| DurabilityRow {
            name: d.name.clone(),
            mttdl: if d.mttdl_hours.is_finite() {
                units::duration(d.mttdl_hours)
            } else if d.mttdl_beyond_range {
                "over 2e304y".to_string()
            } else {
                "infinite (may never be lost)".to_string()
            },
            loss: d
                .loss_horizon
                .map_or_else(not, |l| units::significant(l.p, 3)),
            durability: d.durability_year.map_or_else(not, |y| {
                format!("{} ({} nines)", units::percent(y.p, y.q), units::nines(y.q))
            }),
            backups: d.backups.map(|b| {
                [
                    units::percent(b.recovered.p, b.recovered.q),
                    if b.recovery_point_hours.is_finite() {
                        units::duration(b.recovery_point_hours)
                    } else {
                        "none restored".to_string()
                    },
                    units::duration(b.data_lost_hours_per_year),
                    units::duration(b.restore_hours_per_year),
                ]
            }),
        })
        .collect()
}

/// The spread of the results over the uncertain parameters, as text for every format.
#[derive(Debug, Clone, Serialize)]
pub struct UncertaintyView {
    pub samples: usize,
    /// "1 draw", "10000 draws".
    pub draws: String,
    pub parameters: String,
    /// measure, 5%, 50%, 95%, mean.
    pub rows: Vec<[String; 5]>,
    /// "availability >= 99.95%: met in 87.3% of the draws".
    pub targets: Vec<String>,
}

pub fn uncertainty_view(a: &Analysis) -> Option<UncertaintyView> {
    let u = a.uncertainty.as_ref()?.as_ref().ok()?;
    let (av, un) = (&u.availability, &u.unavailability);
    // A's 5th percentile is 1 - U's 95th: each shown with its exact complement.
    let mut rows = vec![[
        "availability".to_string(),
        units::percent(av.p5, un.p95),
        units::percent(av.p50, un.p50),
        units::percent(av.p95, un.p5),
        units::percent(av.mean, un.mean),
    ]];
    let per = units::duration(a.solution.horizon_hours);
    let d = &u.downtime_hours;
    rows.push([
        format!("downtime per {per}"),
        units::duration(d.p5),
        units::duration(d.p50),
        units::duration(d.p95),
        units::duration(d.mean),
    ]);
    if let Some(f) = &u.failures {
        let g = |x: f64| units::significant(x, 3);
        rows.push([
            format!("failures per {per}"),
            g(f.p5),
            g(f.p50),
            g(f.p95),
            g(f.mean),
        ]);
    }
    let targets = u
        .targets
        .iter()
        .map(|t| {
            let what = match t.kind {
                "downtime" => format!("downtime <= {}", units::duration(t.target)),
                _ => format!(
                    "availability >= {}",
                    units::percent_exact(t.target, 1.0 - t.target)
                ),
            };
            format!(
                "{what}: met in {} of the draws",
                units::percent(t.probability_met, 1.0 - t.probability_met)
            )
        })
        .collect();
    Some(UncertaintyView {
        samples: u.samples,
        draws: format!(
            "{} draw{}",
            u.samples,
            if u.samples == 1 { "" } else { "s" }
        ),
        parameters: match u.parameters.len() {
            0 => "no parameter written as a distribution, so every draw is the nominal model"
                .to_string(),
            n if n > 6 => format!("{} and {} more", u.parameters[..5].join(", "), n - 5),
            _ => u.parameters.join(", "),
        },
        rows,
        targets,
    })
}

/// "2h3m of downtime per 1y, included in the figures" (or left out of them).
pub fn planned_line(a: &Analysis) -> Option<String> {
    let p = a.planned?;
    let h = a.solution.horizon_hours;
    Some(format!(
        "{} of downtime per {}, {}",
        units::duration(p.unavailability * h),
        units::duration(h),
        if p.included {
            "included in the figures (--planned exclude leaves it out)"
        } else {
            "left out of the figures (--planned exclude)"
        }
    ))
}
