//! `hacalc simulate`: Monte-Carlo estimates with their 95% intervals, beside the exact values.

use super::text::table as terminal_table;
use crate::analysis::Analysis;
use crate::solve::simulate::{Estimate, SimResult};
use crate::units::{self, YEAR_HOURS};
use serde::Serialize;

/// Fewer system failures than this make the intervals unreliable.
const FEW_FAILURES: u64 = 10;

fn within(e: &Estimate, exact: Option<f64>, r: &SimResult) -> &'static str {
    match exact {
        _ if r.system_failures < FEW_FAILURES => "too few failures",
        Some(x) if e.contains(x) => "yes",
        Some(_) => "NO",
        None => "—",
    }
}

pub fn table(a: &Analysis, r: &SimResult) -> String {
    let s = &a.solution.system;
    let mut out = if r.cycles > 0 {
        format!(
            "{}: {} regenerative cycles with failure biasing (seed {}), {} parts, {} moves\n",
            a.solution.name, r.cycles, r.seed, r.parts, r.events
        )
    } else {
        format!(
            "{}: simulated {} in {} replications (seed {}), {} parts, {} events\n",
            a.solution.name,
            units::duration(r.observed_hours),
            r.replications,
            r.seed,
            r.parts,
            r.events
        )
    };
    let mut t = terminal_table(&[
        "measure",
        "simulated (95% interval)",
        "exact",
        "exact within?",
    ]);
    // The estimates to the decimals of the exact value beside them (at least enough to tell
    // the interval's ends apart), so that the columns read alike.
    let exact = units::percent(s.availability(), s.unavailability());
    let decimals = exact
        .trim_end_matches('%')
        .split_once('.')
        .map_or(0, |(_, f)| f.len());
    let width = r.availability.high - r.availability.low;
    let needed = if width > 0.0 {
        (-(width * 100.0).log10()).ceil().max(0.0) as usize + 1
    } else {
        0
    };
    let decimals = decimals.max(needed).min(12);
    let pct = |x: f64| format!("{:.decimals$}%", x * 100.0);
    t.add_row(vec![
        "availability".to_string(),
        format!(
            "{} [{} .. {}]",
            pct(r.availability.estimate),
            pct(r.availability.low),
            pct(r.availability.high)
        ),
        pct(s.availability()),
        within(&r.availability, Some(s.availability()), r).to_string(),
    ]);
    let dt = |u: f64| units::duration(u * YEAR_HOURS);
    t.add_row(vec![
        "downtime per year".to_string(),
        format!(
            "{} [{} .. {}]",
            dt(r.unavailability.estimate),
            dt(r.unavailability.low.max(0.0)),
            dt(r.unavailability.high)
        ),
        dt(s.unavailability()),
        within(&r.unavailability, Some(s.unavailability()), r).to_string(),
    ]);
    let fy = |f: f64| units::significant(f * YEAR_HOURS, 3);
    t.add_row(vec![
        "failures per year".to_string(),
        format!(
            "{} [{} .. {}]",
            fy(r.frequency.estimate),
            fy(r.frequency.low.max(0.0)),
            fy(r.frequency.high)
        ),
        s.frequency.map_or_else(|| "unknown".to_string(), fy),
        within(&r.frequency, s.frequency, r).to_string(),
    ]);
    if let Some((served, short)) = &r.served {
        let exact = a.served.as_ref().and_then(|s| s.as_ref().ok());
        let pct = |x: f64, y: f64| units::percent(x, y);
        t.add_row(vec![
            "requests served".to_string(),
            format!(
                "{} [{} .. {}]",
                pct(served.estimate, short.estimate),
                pct(served.low, short.high),
                pct(served.high, short.low)
            ),
            exact.map_or_else(
                || "not computed".to_string(),
                |e| pct(e.expected, e.shortfall),
            ),
            within(short, exact.map(|e| e.shortfall), r).to_string(),
        ]);
    }
    for (d, exact) in r.data.iter().zip(&a.durability) {
        let e = d.mttdl_hours;
        t.add_row(vec![
            format!("MTTDL of {}", d.name),
            if e.estimate.is_finite() {
                format!(
                    "{} [{} .. {}]",
                    units::duration(e.estimate),
                    units::duration(e.low),
                    units::duration(e.high)
                )
            } else {
                "no loss seen".to_string()
            },
            units::duration(exact.mttdl_hours),
            if exact.mttdl_hours.is_finite() && e.estimate.is_finite() {
                if e.contains(exact.mttdl_hours) {
                    "yes"
                } else {
                    "NO"
                }
            } else {
                "—"
            }
            .to_string(),
        ]);
    }
    out.push_str(&super::text::lines(&t));
    if r.cycles == 0 && r.longest_outage_hours > 0.0 {
        out.push_str(&format!(
            "\nlongest outage simulated: {}\n",
            units::duration(r.longest_outage_hours)
        ));
    }
    out.push_str("\nAn exact value outside its interval happens 1 time in 20 by chance; often, or far outside, is a sign of a modelling error.\n");
    for w in warnings(a, r) {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}

/// What the reader must know before trusting the intervals.
fn warnings(a: &Analysis, r: &SimResult) -> Vec<String> {
    let s = &a.solution.system;
    let mut out = Vec::new();
    if r.truncated && r.cycles > 0 {
        out.push(format!(
            "the event budget (--max-events {}) stopped the run after {} cycles, before U's interval was within --rel-error: raise --max-events for a tighter interval",
            r.max_events, r.cycles
        ));
    } else if r.truncated {
        out.push(format!(
            "the event budget (--max-events {}) cut the run to {} of the {} asked for: the estimates are of what was simulated; raise --max-events to simulate it all",
            r.max_events,
            units::duration(r.observed_hours),
            units::duration(r.hours)
        ));
    }
    if r.system_failures < FEW_FAILURES {
        let need = s
            .frequency
            .filter(|f| *f > 0.0)
            .map(|f| {
                format!(
                    " (about {} for 30 failures at the exact rate)",
                    units::duration(30.0 / f)
                )
            })
            .unwrap_or_default();
        out.push(if r.system_failures == 0 {
            format!(
                "0 system failures simulated: the failure interval is an upper bound (the rule of three: below {} per year at 95%), and the availability intervals say nothing; simulate longer with --horizon{need}, or use --method biased, made for rare failures",
                units::significant(r.frequency.high * YEAR_HOURS, 3)
            )
        } else {
            format!(
                "{} system failure{} simulated: the intervals are not to be trusted; simulate longer with --horizon{need}, or use --method biased, made for rare failures",
                r.system_failures,
                if r.system_failures == 1 { "" } else { "s" }
            )
        });
    }
    out
}

/// An estimate beside its exact value, and whether the interval holds it (null when there
/// is no exact value, or too few failures to say).
#[derive(Serialize)]
struct Measure {
    estimate: f64,
    low: f64,
    high: f64,
    exact: Option<f64>,
    within: Option<bool>,
}

impl Measure {
    fn new(e: Estimate, exact: Option<f64>, r: &SimResult) -> Measure {
        Measure {
            estimate: e.estimate,
            low: e.low,
            high: e.high,
            exact,
            within: exact
                .filter(|_| r.system_failures >= FEW_FAILURES)
                .map(|x| e.contains(x)),
        }
    }
}

#[derive(Serialize)]
struct SimJson<'a> {
    name: &'a str,
    horizon_hours: f64,
    simulated_hours: f64,
    observed_hours: f64,
    seed: u64,
    replications: usize,
    parts: usize,
    events: u64,
    system_failures: u64,
    /// The longest system outage simulated, hours (0 for failure biasing).
    longest_outage_hours: f64,
    truncated: bool,
    /// Under the keys of `solve`: per the model's horizon where `solve` is.
    availability: Measure,
    unavailability: Measure,
    downtime_hours: Measure,
    failures: Measure,
    failures_per_year: Estimate,
    /// The expected fraction of requests served, and its shortfall (models with degraded
    /// capacity).
    #[serde(skip_serializing_if = "Option::is_none")]
    served: Option<Measure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    served_shortfall: Option<Measure>,
    exact: Exact,
    /// Each data set's MTTDL, hours, beside the exact one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    data: Vec<DataMeasure>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct DataMeasure {
    name: String,
    mttdl_hours: Measure,
    cycles: u64,
}

#[derive(Serialize)]
struct Exact {
    availability: f64,
    unavailability: f64,
    failures_per_year: Option<f64>,
}

pub fn json(a: &Analysis, r: &SimResult) -> String {
    let s = &a.solution.system;
    let h = a.solution.horizon_hours;
    let j = SimJson {
        name: &a.solution.name,
        horizon_hours: h,
        simulated_hours: r.simulated_hours,
        observed_hours: r.observed_hours,
        seed: r.seed,
        replications: r.replications,
        parts: r.parts,
        events: r.events,
        system_failures: r.system_failures,
        longest_outage_hours: r.longest_outage_hours,
        truncated: r.truncated,
        availability: Measure::new(r.availability, Some(s.availability()), r),
        unavailability: Measure::new(r.unavailability, Some(s.unavailability()), r),
        downtime_hours: Measure::new(r.unavailability.scaled(h), Some(s.unavailability() * h), r),
        failures: Measure::new(r.frequency.scaled(h), s.frequency.map(|f| f * h), r),
        failures_per_year: r.frequency.scaled(YEAR_HOURS),
        served: r.served.map(|(e, _)| {
            let exact = a
                .served
                .as_ref()
                .and_then(|s| s.as_ref().ok())
                .map(|s| s.expected);
            Measure::new(e, exact, r)
        }),
        served_shortfall: r.served.map(|(_, e)| {
            let exact = a
                .served
                .as_ref()
                .and_then(|s| s.as_ref().ok())
                .map(|s| s.shortfall);
            Measure::new(e, exact, r)
        }),
        exact: Exact {
            availability: s.availability(),
            unavailability: s.unavailability(),
            failures_per_year: s.frequency.map(|f| f * YEAR_HOURS),
        },
        data: r
            .data
            .iter()
            .zip(&a.durability)
            .map(|(d, exact)| DataMeasure {
                name: d.name.clone(),
                mttdl_hours: Measure {
                    estimate: d.mttdl_hours.estimate,
                    low: d.mttdl_hours.low,
                    high: d.mttdl_hours.high,
                    exact: Some(exact.mttdl_hours).filter(|x| x.is_finite()),
                    within: Some(d.mttdl_hours.contains(exact.mttdl_hours))
                        .filter(|_| exact.mttdl_hours.is_finite()),
                },
                cycles: d.cycles,
            })
            .collect(),
        warnings: warnings(a, r),
    };
    let mut out = Vec::new();
    super::write_json(&mut out, &j).expect("plain data serialises");
    out.push(b'\n');
    String::from_utf8(out).expect("JSON is UTF-8")
}
