//! `hacalc simulate`: Monte-Carlo estimates with their 95% intervals, beside the exact values.

use super::text::table as terminal_table;
use crate::analysis::Analysis;
use crate::solve::simulate::{Estimate, SimResult};
use crate::units::{self, YEAR_HOURS};
use serde::Serialize;

/// Fewer system failures than this make the batch-means intervals unreliable.
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
    let mut out = format!(
        "{}: simulated {} (seed {}), {} parts, {} events\n",
        a.solution.name,
        units::duration(r.hours),
        r.seed,
        r.parts,
        r.events
    );
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
    out.push_str(&super::text::lines(&t));
    out.push_str("\nAn exact value outside its interval happens 1 time in 20 by chance; often, or far outside, is a sign of a modelling error.\n");
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
        out.push_str(&format!(
            "warning: {} system failure{} simulated: the intervals are not to be trusted; simulate longer with --horizon{need}.\n",
            r.system_failures,
            if r.system_failures == 1 { "" } else { "s" }
        ));
    }
    out
}

#[derive(Serialize)]
struct SimJson<'a> {
    name: &'a str,
    simulated_hours: f64,
    seed: u64,
    parts: usize,
    events: u64,
    system_failures: u64,
    availability: Estimate,
    unavailability: Estimate,
    failures_per_year: Estimate,
    exact: Exact,
}

#[derive(Serialize)]
struct Exact {
    availability: f64,
    unavailability: f64,
    failures_per_year: Option<f64>,
}

pub fn json(a: &Analysis, r: &SimResult) -> String {
    let s = &a.solution.system;
    let per_year = |e: Estimate| Estimate {
        estimate: e.estimate * YEAR_HOURS,
        low: e.low * YEAR_HOURS,
        high: e.high * YEAR_HOURS,
    };
    let j = SimJson {
        name: &a.solution.name,
        simulated_hours: r.hours,
        seed: r.seed,
        parts: r.parts,
        events: r.events,
        system_failures: r.system_failures,
        availability: r.availability,
        unavailability: r.unavailability,
        failures_per_year: per_year(r.frequency),
        exact: Exact {
            availability: s.availability(),
            unavailability: s.unavailability(),
            failures_per_year: s.frequency.map(|f| f * YEAR_HOURS),
        },
    };
    let mut out = Vec::new();
    super::write_json(&mut out, &j).expect("plain data serialises");
    out.push(b'\n');
    String::from_utf8(out).expect("JSON is UTF-8")
}
