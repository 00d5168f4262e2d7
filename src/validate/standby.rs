//! Rules of `standby`: a rated component, active units within n, a known mode with the spare
//! factor it needs, and a manual switchover when the automatic one may fail.

use super::blocks::Resolver;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::{Standby, StandbyMode};
use crate::parse::written::StandbySpec;
use crate::probability::Probability;

pub fn resolve(s: &StandbySpec, r: &mut Resolver) -> Option<Standby> {
    let component = s.of.as_ref().and_then(|of| {
        if r.names.get(&of.value).is_none() {
            r.sink.push(
                Diagnostic::error(of.pos, format!("unknown component `{}`", of.value))
                    .maybe_hint(did_you_mean(&of.value, r.names.component_names())),
            );
            None
        } else {
            r.rated_component(&of.value, of.pos, "`standby`")
        }
    });
    let n = s.n.as_ref().map_or(1, |n| n.value);
    let active = s.active.as_ref().map_or(1, |a| a.value);
    if let Some(a) = &s.active
        && a.value > n
    {
        r.sink.push(
            Diagnostic::error(
                a.pos,
                format!("active is {} but there are only {n} units", a.value),
            )
            .with_hint("`n` counts all units, active and spare"),
        );
    }
    let mode = match &s.mode {
        None if s.spare_factor.is_some() => Some(StandbyMode::Warm),
        None => Some(StandbyMode::Cold),
        Some(m) => match m.value.as_str() {
            "cold" => Some(StandbyMode::Cold),
            "warm" => Some(StandbyMode::Warm),
            "hot" => Some(StandbyMode::Hot),
            other => {
                r.sink.push(
                    Diagnostic::error(m.pos, format!("unknown standby mode `{other}`")).with_hint(
                        did_you_mean(other, StandbySpec::MODES.iter().copied())
                            .unwrap_or_else(|| "use cold, warm or hot".into()),
                    ),
                );
                None
            }
        },
    };
    let spare_factor = match (&s.spare_factor, mode) {
        (Some(f), Some(m @ (StandbyMode::Cold | StandbyMode::Hot))) => {
            r.sink.push(
                Diagnostic::error(
                    f.pos,
                    format!("`spare_factor` applies to warm standby, not {}", m.name()),
                )
                .with_hint(
                    "cold spares never fail and hot spares fail at the full rate; use `mode: warm`",
                ),
            );
            None
        }
        (Some(f), _) if !(0.0..=1.0).contains(&f.value) || f.value.is_nan() => {
            r.sink.push(
                Diagnostic::error(f.pos, "spare_factor must lie between 0 and 1")
                    .with_hint("a warm spare fails at spare_factor x the active failure rate"),
            );
            None
        }
        (None, Some(StandbyMode::Warm)) => {
            r.sink.push(
                Diagnostic::error(
                    s.mode.as_ref().map_or(s.pos, |m| m.pos),
                    "warm standby needs `spare_factor`",
                )
                .with_hint(
                    "e.g. `spare_factor: 0.1` for spares that fail at a tenth of the active rate",
                ),
            );
            None
        }
        (Some(f), Some(StandbyMode::Warm)) => Some(f.value),
        (_, Some(StandbyMode::Hot)) => Some(1.0),
        (_, Some(StandbyMode::Cold)) => Some(0.0),
        (_, None) => None,
    };
    let coverage = s.coverage.as_ref().map_or(Probability::ONE, |c| c.value);
    if coverage.q > 0.0 && s.manual_switchover.is_none() {
        r.sink.push(
            Diagnostic::error(s.coverage.as_ref().map_or(s.pos, |c| c.pos), "coverage below 100% needs `manual_switchover`")
                .with_hint("say how long the switchover takes when the automatic one fails, e.g. `manual_switchover: 15m`"),
        );
    }
    if let Some(m) = &s.manual_switchover
        && m.value.0 <= 0.0
    {
        r.sink.push(Diagnostic::error(
            m.pos,
            "manual_switchover must be longer than zero",
        ));
    }
    // A bare duration keeps its old meaning (0s: instantaneous); a law needs a mean in range.
    let switchover_law = match &s.switchover {
        Some(l) if l.value.dist.is_some() => Some(super::laws::resolve(l, "switchover", r.sink)?),
        _ => None,
    };
    if active > n || (coverage.q > 0.0 && s.manual_switchover.is_none()) {
        return None;
    }
    let (component, _) = component?;
    Some(Standby {
        component,
        n,
        active,
        mode: mode?,
        spare_factor: spare_factor?,
        switchover_hours: match &switchover_law {
            Some(l) => l.mean(),
            None => s
                .switchover
                .as_ref()
                .and_then(|h| h.value.mean.as_ref())
                .map_or(0.0, |h| h.value.0),
        },
        switchover_law: switchover_law.filter(|l| !l.is_exponential()),
        coverage,
        manual_switchover_hours: s.manual_switchover.as_ref().map_or(0.0, |h| h.value.0),
        crews: s.crews.as_ref().map_or(n, |c| c.value),
    })
}
