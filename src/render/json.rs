//! `--format json`: the contract's keys (FORMAT.md section 4) and more, times in hours,
//! numbers as JSON numbers, `null` for what a static availability leaves unknown.

use super::{finite, ranked_blocks, ranked_components, share};
use crate::Analysis;
use crate::check::{TargetKind, Verdict};
use crate::solve::Measures;
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
    mut w: impl std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut w, &build(a, verdicts, met))?;
    w.write_all(b"\n")
}

pub fn render(a: &Analysis, verdicts: &[Verdict], met: Option<bool>) -> String {
    let mut out = Vec::new();
    write(a, verdicts, met, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}
