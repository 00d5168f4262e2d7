//! Time laws (`time_to_failure`, `time_to_repair`): each `dist` with exactly its
//! parameters, each parameter in its range, and a mean within the durations the format
//! allows (the analysis works with the mean).

use crate::diagnostics::{Diagnostic, Pos, Sink, did_you_mean};
use crate::model::{EF_Z, Law};
use crate::parse::quantity::duration_in_range;
use crate::parse::written::{LawSpec, Located};

/// The laws and the parameters each takes.
const LAWS: &[(&str, &[&str])] = &[
    ("exponential", &["mean"]),
    ("weibull", &["shape", "scale"]),
    ("lognormal", &["median", "error_factor", "mu", "sigma"]),
    ("gamma", &["shape", "scale"]),
    ("fixed", &["value"]),
    ("uniform", &["low", "high"]),
    ("empirical", &["samples"]),
];

/// Most observed durations of an empirical law.
pub const MAX_SAMPLES: usize = 1_000_000;

/// The parameters written, with where.
fn written(s: &LawSpec) -> Vec<(&'static str, Pos)> {
    let hours = |v: &Option<Located<crate::parse::written::Hours>>| v.as_ref().map(|l| l.pos);
    let number = |v: &Option<Located<f64>>| v.as_ref().map(|l| l.pos);
    [
        ("mean", hours(&s.mean)),
        ("shape", number(&s.shape)),
        ("scale", hours(&s.scale)),
        ("median", hours(&s.median)),
        ("error_factor", number(&s.error_factor)),
        ("mu", number(&s.mu)),
        ("sigma", number(&s.sigma)),
        ("value", hours(&s.value)),
        ("low", hours(&s.low)),
        ("high", hours(&s.high)),
        ("samples", s.samples.as_ref().map(|l| l.pos)),
    ]
    .into_iter()
    .filter_map(|(k, p)| Some((k, p?)))
    .collect()
}

/// The law written at `spec` (under `key`), or the errors that say why not.
pub fn resolve(spec: &Located<LawSpec>, key: &str, sink: &mut Sink) -> Option<Law> {
    let s = &spec.value;
    let before = sink.items.len();
    let name = s.dist.as_ref().map_or("exponential", |d| d.value.as_str());
    let dist_pos = s.dist.as_ref().map_or(spec.pos, |d| d.pos);
    let Some(&(name, allowed)) = LAWS.iter().find(|(n, _)| *n == name.to_ascii_lowercase()) else {
        sink.push(
            Diagnostic::error(dist_pos, format!("unknown law `{name}` in `{key}`")).with_hint(
                did_you_mean(name, LAWS.iter().map(|(n, _)| *n)).unwrap_or_else(|| {
                    format!(
                        "the laws are {}",
                        LAWS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                    )
                }),
            ),
        );
        return None;
    };
    let given = written(s);
    for &(k, pos) in &given {
        if !allowed.contains(&k) {
            sink.push(
                Diagnostic::error(pos, format!("`{k}` is not a parameter of the {name} law"))
                    .with_hint(format!("a {name} law takes {}", list(allowed))),
            );
        }
    }
    let need = |present: bool, k: &str, sink: &mut Sink| {
        if !present {
            sink.push(
                Diagnostic::error(spec.pos, format!("the {name} law in `{key}` needs `{k}`"))
                    .with_hint(format!("a {name} law takes {}", list(allowed))),
            );
        }
    };
    let positive = |v: &Option<Located<f64>>, k: &str, sink: &mut Sink| -> Option<f64> {
        let l = v.as_ref()?;
        if l.value > 0.0 && l.value.is_finite() {
            Some(l.value)
        } else {
            sink.push(Diagnostic::error(
                l.pos,
                format!(
                    "`{k}` must be greater than zero and finite, found {}",
                    l.value
                ),
            ));
            None
        }
    };
    let hours = |v: &Option<Located<crate::parse::written::Hours>>| v.as_ref().map(|l| l.value.0);
    let law = match name {
        "exponential" => {
            need(s.mean.is_some(), "mean", sink);
            hours(&s.mean).map(|mean| Law::Exponential { mean })
        }
        "weibull" | "gamma" => {
            need(s.shape.is_some(), "shape", sink);
            need(s.scale.is_some(), "scale", sink);
            let shape = positive(&s.shape, "shape", sink);
            match (shape, hours(&s.scale)) {
                (Some(shape), Some(scale)) if name == "weibull" => {
                    Some(Law::Weibull { shape, scale })
                }
                (Some(shape), Some(scale)) => Some(Law::Gamma { shape, scale }),
                _ => None,
            }
        }
        "lognormal" => lognormal(s, spec.pos, key, sink),
        "fixed" => {
            need(s.value.is_some(), "value", sink);
            hours(&s.value).map(|value| Law::Fixed { value })
        }
        "uniform" => {
            need(s.low.is_some(), "low", sink);
            need(s.high.is_some(), "high", sink);
            match (&s.low, &s.high) {
                (Some(low), Some(high)) if high.value.0 <= low.value.0 => {
                    sink.push(
                        Diagnostic::error(high.pos, "`high` must be longer than `low`")
                            .with_hint("for one value, write `{ dist: fixed, value: ... }`"),
                    );
                    None
                }
                (Some(low), Some(high)) => Some(Law::Uniform {
                    low: low.value.0,
                    high: high.value.0,
                }),
                _ => None,
            }
        }
        _ => {
            need(s.samples.is_some(), "samples", sink);
            match &s.samples {
                Some(l) if l.value.is_empty() => {
                    sink.push(Diagnostic::error(l.pos, "`samples` lists no durations"));
                    None
                }
                Some(l) if l.value.len() > MAX_SAMPLES => {
                    sink.push(
                        Diagnostic::error(
                            l.pos,
                            format!(
                                "`samples` lists {} durations, more than {MAX_SAMPLES}",
                                l.value.len()
                            ),
                        )
                        .with_hint("fit a law to them (weibull, lognormal, gamma) instead"),
                    );
                    None
                }
                Some(l) => Some(Law::Empirical {
                    samples: l.value.iter().map(|d| d.value.0).collect(),
                }),
                None => None,
            }
        }
    };
    if sink.items.len() > before {
        return None;
    }
    let law = law?;
    let mean = law.mean();
    if !duration_in_range(mean) {
        sink.push(
            Diagnostic::error(spec.pos, format!("the mean of this {name} law is {mean:.3e} hours, outside the durations a model may use (a nanosecond to a billion years)"))
                .with_hint(match name {
                    "weibull" | "gamma" => "check the parameters: a shape far below 1 has an enormous mean",
                    "lognormal" => "check the parameters: the mean is the median x exp(sigma^2 / 2), and a large error factor makes it enormous",
                    _ => "durations must be longer than zero and at most a billion years",
                }),
        );
        return None;
    }
    Some(law)
}

/// `median` + `error_factor`, or `mu` + `sigma`.
fn lognormal(s: &LawSpec, pos: Pos, key: &str, sink: &mut Sink) -> Option<Law> {
    match (&s.median, &s.error_factor, &s.mu, &s.sigma) {
        (Some(m), Some(ef), None, None) => {
            if !(ef.value >= 1.0 && ef.value.is_finite()) {
                sink.push(
                    Diagnostic::error(ef.pos, format!("`error_factor` must be at least 1, found {}", ef.value))
                        .with_hint("the error factor is the 95th percentile over the median: 3 means the 95th percentile is 3 x the median"),
                );
                return None;
            }
            Some(Law::Lognormal {
                mu: m.value.0.ln(),
                sigma: ef.value.ln() / EF_Z,
            })
        }
        (None, None, Some(mu), Some(sigma)) => {
            if !(sigma.value >= 0.0 && sigma.value.is_finite() && mu.value.is_finite()) {
                sink.push(Diagnostic::error(
                    sigma.pos,
                    "`sigma` must be zero or more and finite, and `mu` finite",
                ));
                return None;
            }
            Some(Law::Lognormal {
                mu: mu.value,
                sigma: sigma.value,
            })
        }
        _ => {
            sink.push(
                Diagnostic::error(pos, format!("the lognormal law in `{key}` needs `median` and `error_factor`, or `mu` and `sigma` (of ln hours)"))
                    .with_hint("e.g. `{ dist: lognormal, median: 4h, error_factor: 3 }`"),
            );
            None
        }
    }
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
