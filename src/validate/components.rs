//! Component parameters to availability, unavailability and rates.

use crate::diagnostics::{Diagnostic, Sink};
use crate::model::{Component, Rates};
use crate::parse::written::Hours;
use crate::parse::written::{ComponentSpec, LawSpec, Located};
use crate::probability::Probability;

fn positive<T>(
    v: &Option<Located<T>>,
    get: impl Fn(&T) -> f64,
    key: &str,
    sink: &mut Sink,
) -> bool {
    match v {
        Some(l) if !(get(&l.value) > 0.0 && get(&l.value).is_finite()) => {
            sink.push(
                Diagnostic::error(l.pos, format!("{key} must be greater than zero and finite"))
                    .with_hint(match key {
                        "mttr" | "repair_rate" => {
                            "a component that is never down can be written `availability: 100%`"
                        }
                        _ => "a component that never fails can be written `availability: 100%`",
                    }),
            );
            false
        }
        _ => true,
    }
}

fn conflict<A, B>(
    a: &Option<Located<A>>,
    ka: &str,
    b: &Option<Located<B>>,
    kb: &str,
    sink: &mut Sink,
) -> bool {
    match (a, b) {
        (Some(_), Some(second)) => {
            sink.push(
                Diagnostic::error(second.pos, format!("both `{ka}` and `{kb}` are given"))
                    .with_hint(format!(
                        "they say the same thing; keep one of `{ka}` and `{kb}`"
                    )),
            );
            true
        }
        _ => false,
    }
}

/// Checks one component's parameters and computes its A, U and rates.
pub fn normalise(name: &str, s: &ComponentSpec, sink: &mut Sink) -> Option<Component> {
    if !s.readable {
        return None;
    }
    let before = sink.items.len();
    // A law stands for the mean it has: the rest of the checks see `mtbf`/`mttr`.
    let failure_law = s
        .time_to_failure
        .as_ref()
        .and_then(|l| super::laws::resolve(l, "time_to_failure", sink));
    let repair_law = s
        .time_to_repair
        .as_ref()
        .and_then(|l| super::laws::resolve(l, "time_to_repair", sink));
    let mut ok = true;
    if let Some(l) = &s.time_to_failure {
        for (k, pos) in [
            ("mtbf", s.mtbf.as_ref().map(|x| x.pos)),
            ("failure_rate", s.failure_rate.as_ref().map(|x| x.pos)),
            ("availability", s.availability.as_ref().map(|x| x.pos)),
        ] {
            if let Some(pos) = pos {
                sink.push(
                    Diagnostic::error(pos, format!("both `time_to_failure` and `{k}` are given"))
                        .with_hint(format!(
                            "`time_to_failure` (line {}) says the up times; keep one",
                            l.pos.line
                        )),
                );
                ok = false;
            }
        }
    }
    if let Some(l) = &s.time_to_repair {
        for (k, pos) in [
            ("mttr", s.mttr.as_ref().map(|x| x.pos)),
            ("repair_rate", s.repair_rate.as_ref().map(|x| x.pos)),
        ] {
            if let Some(pos) = pos {
                sink.push(
                    Diagnostic::error(pos, format!("both `time_to_repair` and `{k}` are given"))
                        .with_hint(format!(
                            "`time_to_repair` (line {}) says the repair times; keep one",
                            l.pos.line
                        )),
                );
                ok = false;
            }
        }
    }
    if sink.items.len() > before {
        return None;
    }
    let maintenance = s.maintenance.as_ref().and_then(|m| {
        let (every, duration) = (m.value.every.as_ref()?, m.value.duration.as_ref()?);
        if duration.value.0 >= every.value.0 {
            sink.push(
                Diagnostic::error(
                    duration.pos,
                    "a maintenance must be shorter than the time between two",
                )
                .with_hint(
                    "`duration` is how long each maintenance takes, `every` how often one starts",
                ),
            );
            return None;
        }
        Some(crate::model::Maintenance {
            every: every.value.0,
            duration: duration.value.0,
            staggered: m.value.staggered.as_ref().is_some_and(|b| b.value),
            pos: m.pos,
        })
    });
    if sink.items.len() > before {
        return None;
    }
    let mut effective = s.clone();
    if let (Some(law), Some(l)) = (&failure_law, &s.time_to_failure) {
        effective.mtbf = Some(Located::new(Hours(law.mean()), l.pos));
    }
    if let (Some(law), Some(l)) = (&repair_law, &s.time_to_repair) {
        effective.mttr = Some(Located::new(Hours(law.mean()), l.pos));
    }
    let s = &effective;
    ok &= positive(&s.mtbf, |h| h.0, "mtbf", sink);
    ok &= positive(&s.mttr, |h| h.0, "mttr", sink);
    ok &= positive(&s.failure_rate, |r| r.0, "failure_rate", sink);
    ok &= positive(&s.repair_rate, |r| r.0, "repair_rate", sink);
    if let Some(c) = &s.cost
        && !(c.value.is_finite() && c.value > 0.0)
    {
        sink.push(
            Diagnostic::error(c.pos, format!("cost must be a number above zero, found {}", c.value))
                .with_hint("cost weighs how hard a component is to improve, relative to the others (default 1)"),
        );
        ok = false;
    }
    ok &= !conflict(&s.mtbf, "mtbf", &s.failure_rate, "failure_rate", sink);
    ok &= !conflict(&s.mttr, "mttr", &s.repair_rate, "repair_rate", sink);
    let failure_side = s
        .mtbf
        .as_ref()
        .map(|l| l.pos)
        .or(s.failure_rate.as_ref().map(|l| l.pos));
    if let (Some(a), Some(_)) = (&s.availability, failure_side) {
        sink.push(
            Diagnostic::error(a.pos, "`availability` conflicts with `mtbf`/`failure_rate`")
                .with_hint("availability follows from mtbf and mttr; give either mtbf + mttr or availability (+ mttr)"),
        );
        ok = false;
    }
    if !ok || sink.items.len() > before {
        return None;
    }
    let mttr = s
        .mttr
        .as_ref()
        .map(|l| l.value.0)
        .or(s.repair_rate.as_ref().map(|l| 1.0 / l.value.0));
    let law_pos = |l: &Option<Box<Located<LawSpec>>>| l.as_ref().map(|l| l.pos);
    let (ttf, ttr) = (law_pos(&s.time_to_failure), law_pos(&s.time_to_repair));
    // Sized exactly (usually two entries): grown from empty it reserves four, 160 bytes a
    // component kept for the whole run.
    let mut written: Vec<(&'static str, crate::diagnostics::Pos)> = Vec::with_capacity(2);
    written.extend(
        [
            ("time_to_failure", ttf),
            ("time_to_repair", ttr),
            (
                "mtbf",
                s.mtbf.as_ref().map(|l| l.pos).filter(|_| ttf.is_none()),
            ),
            ("failure_rate", s.failure_rate.as_ref().map(|l| l.pos)),
            (
                "mttr",
                s.mttr.as_ref().map(|l| l.pos).filter(|_| ttr.is_none()),
            ),
            ("repair_rate", s.repair_rate.as_ref().map(|l| l.pos)),
            ("availability", s.availability.as_ref().map(|l| l.pos)),
        ]
        .into_iter()
        .filter_map(|(k, p)| Some((k, p?))),
    );
    let component = |p: f64, q: f64, rates: Option<Rates>| Component {
        name: name.to_string(),
        pos: s.pos,
        description: s.description.as_ref().map(|d| d.value.clone()),
        avail: Probability { p, q },
        rates,
        written,
        shared: s.shared.as_ref().is_some_and(|x| x.value),
        // Resolved with the teams ([`super::teams`]).
        team: None,
        cost: s.cost.as_ref().map(|c| c.value),
        failure_law: failure_law.clone().filter(|l| !l.is_exponential()),
        repair_law: repair_law.clone().filter(|l| !l.is_exponential()),
        uncertain: s.uncertain.clone(),
        maintenance,
    };
    match (&s.availability, &s.mtbf, &s.failure_rate, mttr) {
        (Some(a), None, None, None) => Some(component(a.value.p, a.value.q, None)),
        (Some(a), None, None, Some(mttr)) => {
            if a.value.q <= 0.0 || a.value.p <= 0.0 {
                sink.push(
                    Diagnostic::error(a.pos, "with `mttr`, availability must lie strictly between 0% and 100%")
                        .with_hint("the mean time between failures is mttr x A / (1 - A), which needs 0 < A < 1"),
                );
                return None;
            }
            let failure = a.value.q / (a.value.p * mttr);
            let mtbf = 1.0 / failure;
            if !crate::parse::quantity::duration_in_range(mtbf) {
                let what = crate::parse::quantity::out_of_range(mtbf);
                sink.push(
                    Diagnostic::error(a.pos, format!("with this mttr, availability {} implies an mtbf {what}", crate::units::percent_exact(a.value.p, a.value.q)))
                        .with_hint(format!("durations must lie in {}; give the availability alone (static), or other figures", crate::parse::quantity::DURATION_RANGE)),
                );
                return None;
            }
            Some(component(
                a.value.p,
                a.value.q,
                Some(Rates {
                    failure,
                    repair: 1.0 / mttr,
                }),
            ))
        }
        (None, Some(mtbf), None, Some(mttr)) => {
            let (up, down) = (mtbf.value.0, mttr);
            Some(component(
                up / (up + down),
                down / (up + down),
                Some(Rates {
                    failure: 1.0 / up,
                    repair: 1.0 / down,
                }),
            ))
        }
        (None, None, Some(rate), Some(mttr)) => {
            // A = 1 / (1 + lambda mttr), U = lambda mttr / (1 + lambda mttr)
            let x = rate.value.0 * mttr;
            Some(component(
                1.0 / (1.0 + x),
                x / (1.0 + x),
                Some(Rates {
                    failure: rate.value.0,
                    repair: 1.0 / mttr,
                }),
            ))
        }
        (None, _, _, None) if failure_side.is_some() => {
            sink.push(
                Diagnostic::error(
                    failure_side.unwrap_or(s.pos),
                    format!("component `{name}` has no `mttr`"),
                )
                .with_hint(
                    "add the mean time to repair, e.g. `mttr: 2h` (or `repair_rate: 0.5/h`)",
                ),
            );
            None
        }
        (None, None, None, Some(_)) => {
            sink.push(
                Diagnostic::error(
                    s.pos,
                    format!("component `{name}` has a repair time but no failure rate"),
                )
                .with_hint("add `mtbf: 30d` (or `failure_rate: 2e-5/h`), or `availability: 99.9%`"),
            );
            None
        }
        _ => {
            sink.push(
                Diagnostic::error(s.pos, format!("component `{name}` has no parameters"))
                    .with_hint("give `mtbf` + `mttr`, `failure_rate` + `mttr`, or `availability`, e.g. `{ mtbf: 30d, mttr: 2h }`"),
            );
            None
        }
    }
}
