//! Rules of `data:` sets: each kept by `replicas` (copies on a rated component, rebuilt after
//! a loss) or by an explicit `markov` chain with `absorbing` loss states, with optional
//! `backups`. The replicas become the birth-death chain of the count of lost copies.

use super::names::{Name, Names};
use crate::diagnostics::{Diagnostic, Sink, did_you_mean};
use crate::model::{Backups, DataSet, LossChain};
use crate::parse::written::{DataSpec, Located};
use crate::probability::Probability;

/// Default backups kept.
pub const DEFAULT_KEEP: u64 = 7;

/// Most copies of a data set's replicas (the chain has one state per count lost).
pub const MAX_REPLICAS: u64 = 1_000;

/// Most states of a data set's explicit chain (its mean time to loss is a dense
/// elimination: 2,000 states take 32 MB and a few seconds).
pub const MAX_CHAIN_STATES: usize = 2_000;

pub fn resolve(
    data: &[(Located<String>, DataSpec)],
    names: &Names,
    sink: &mut Sink,
) -> Option<Vec<DataSet>> {
    let mut out = Vec::with_capacity(data.len());
    let mut ok = true;
    for (name, spec) in data {
        let mut component = None;
        super::text::check_name(&name.value, "a data set's name", name.pos, sink);
        let chain = match (&spec.replicas, &spec.markov) {
            (Some(_), Some(m)) => {
                sink.push(
                    Diagnostic::error(m.pos, format!("data set `{}` has both `replicas` and `markov`", name.value))
                        .with_hint("keep one: `replicas` for n copies rebuilt after a loss, `markov` for a chain of your own"),
                );
                None
            }
            (None, None) if spec.kept_written => None,
            (None, None) => {
                sink.push(
                    Diagnostic::error(name.pos, format!("data set `{}` says neither how it is kept (`replicas`) nor its chain (`markov`)", name.value))
                        .with_hint("e.g. `replicas: { n: 3, of: disk, rebuild: 6h }`"),
                );
                None
            }
            (Some(r), None) => replicas(r, names, sink).map(|(c, id)| {
                component = Some(id);
                c
            }),
            (None, Some(m)) if m.states.len() > MAX_CHAIN_STATES => {
                sink.push(
                    Diagnostic::error(m.pos, format!("the chain of data set `{}` has {} states, more than the {MAX_CHAIN_STATES} a data set's chain may have", name.value, m.states.len()))
                        .with_hint("lump states that behave alike; a loss chain needs the counts of lost copies, not every copy"),
                );
                None
            }
            (None, Some(m)) => {
                super::markov::resolve_absorbing(m, sink).map(|(c, absorbing)| LossChain {
                    states: c.states,
                    transitions: c.transitions,
                    absorbing,
                    birth_death: None,
                })
            }
        };
        let backups = match &spec.backups {
            None => Some(None),
            Some(b) => {
                let every = b.every.as_ref().map(|e| e.value.0);
                if let Some(e) = &b.every
                    && e.value.0 <= 0.0
                {
                    sink.push(Diagnostic::error(e.pos, "`every` must be longer than zero"));
                }
                let keep = b.keep.as_ref().map_or(DEFAULT_KEEP, |k| k.value);
                match (every, &b.restore) {
                    (Some(every), Some(restore)) if every > 0.0 => Some(Some(Backups {
                        every,
                        restore: restore.value.0,
                        fails: b
                            .fails
                            .as_ref()
                            .map_or(Probability { p: 0.0, q: 1.0 }, |f| f.value),
                        keep,
                    })),
                    _ => None,
                }
            }
        };
        match (chain, backups) {
            (Some(chain), Some(backups)) => out.push(DataSet {
                name: name.value.clone(),
                pos: name.pos,
                chain,
                backups,
                component,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn replicas(
    r: &crate::parse::written::ReplicasSpec,
    names: &Names,
    sink: &mut Sink,
) -> Option<(LossChain, usize)> {
    let (n, of) = (r.n.as_ref()?, r.of.as_ref()?);
    if n.value > MAX_REPLICAS {
        sink.push(
            Diagnostic::error(n.pos, format!("{} replicas: a data set keeps at most {MAX_REPLICAS} copies", n.value))
                .with_hint("durability past a few copies is beyond what any figure can say; model the copies you run"),
        );
        return None;
    }
    let (rates, id) = match names.get(&of.value) {
        Some(Name::Component(c)) => match names.components[c].as_ref()?.rates {
            Some(rates) => (rates, c),
            None => {
                sink.push(
                    Diagnostic::error(of.pos, format!("replicas need a failure rate, but component `{}` has only an availability", of.value))
                        .with_hint("give the component `mtbf` (or `failure_rate`) and `mttr`"),
                );
                return None;
            }
        },
        Some(Name::BrokenComponent) => return None,
        Some(Name::Block(_)) => {
            sink.push(
                Diagnostic::error(
                    of.pos,
                    format!(
                        "replicas live on a component, but `{}` is a named block",
                        of.value
                    ),
                )
                .with_hint("name the component (disk, node) whose failure loses a copy"),
            );
            return None;
        }
        None => {
            sink.push(
                Diagnostic::error(of.pos, format!("unknown component `{}`", of.value))
                    .maybe_hint(did_you_mean(&of.value, names.component_names())),
            );
            return None;
        }
    };
    let mu = match &r.rebuild {
        Some(h) if h.value.0 > 0.0 => 1.0 / h.value.0,
        Some(h) => {
            sink.push(Diagnostic::error(
                h.pos,
                "`rebuild` must be longer than zero",
            ));
            return None;
        }
        None => rates.repair,
    };
    let n = n.value as usize;
    let crews = r.crews.as_ref().map_or(n, |c| c.value as usize);
    // State f: f copies lost (f = n: the data is lost, absorbing).
    let up: Vec<f64> = (0..n).map(|f| (n - f) as f64 * rates.failure).collect();
    let down: Vec<f64> = (0..n).map(|f| f.min(crews) as f64 * mu).collect();
    let mut transitions = Vec::new();
    for f in 0..n {
        transitions.push((f, f + 1, up[f]));
        if f > 0 {
            transitions.push((f, f - 1, down[f]));
        }
    }
    Some((
        LossChain {
            states: (0..=n)
                .map(|f| {
                    if f == n {
                        "lost".to_string()
                    } else {
                        format!("{f} lost")
                    }
                })
                .collect(),
            transitions,
            absorbing: (0..=n).map(|f| f == n).collect(),
            birth_death: Some((up, down)),
        },
        id,
    ))
}
