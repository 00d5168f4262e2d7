//! `hacalc allocate`: working back from a target to what the components must achieve.
//!
//! First the single changes that alone would meet the target (or that none does), then a
//! balanced allocation: one improvement factor for every component that matters (weighted by
//! `cost:` where components carry one). Each proposal is found by bisection on re-solved
//! models, rounded to four significant digits on the safe side, and solved again as printed
//! before it is shown.

use super::{Outcome, Quantity, Session, bisect, decimals, duration_unit, round_sig};
use crate::diagnostics::Report;
use crate::parse::assign::component_path;

/// What a proposal changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// Repair faster: mttr (or repair_rate).
    Mttr,
    /// Fail less often: mtbf (or failure_rate).
    Mtbf,
    /// The component's unavailability (through mttr for components with rates).
    Availability,
}

/// Components considered: those with at least this share of downtime...
pub const MIN_SHARE: f64 = 1e-3;
/// ... and at most this many, the largest first.
pub const MAX_COMPONENTS: usize = 10;
/// Largest improvement factor tried (a component 10^9 times better is as good as perfect).
const MAX_FACTOR: f64 = 1e9;

/// One parameter change of a proposal.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Assignment {
    pub component: String,
    /// The path, as `--set` takes it (`db.mttr`).
    pub path: String,
    /// The value as written before.
    pub from: String,
    /// The value proposed, as `--set` takes it.
    pub to: String,
    /// How many times better the component gets (mttr / mttr', mtbf' / mtbf, U / U').
    pub factor: f64,
    /// True when the proposal is an upper bound (mttr, failure_rate: at most this), false
    /// for a lower one (mtbf, repair_rate, availability: at least this).
    pub at_most: bool,
}

/// A proposal, verified: the model with these changes meets the target.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub changes: Vec<Assignment>,
    pub outcome: Outcome,
}

impl Proposal {
    /// The assignments, each as one `--set` takes it: `db.mttr=41.27m`.
    pub fn sets(&self) -> Vec<String> {
        self.changes
            .iter()
            .map(|c| format!("{}={}", c.path, c.to))
            .collect()
    }
}

/// What one component alone can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Single {
    /// This change alone meets the target.
    Meets(Proposal),
    /// Not even a perfect component meets it.
    Insufficient { component: String },
    /// The component has no parameter of this kind (a static availability with --by mttr).
    NotApplicable { component: String, why: String },
}

/// The answer of `allocate`.
#[derive(Debug, Clone)]
pub struct Allocation {
    pub name: String,
    pub by: By,
    /// The model as it is.
    pub current: Outcome,
    /// True when the model meets the targets already (nothing is proposed).
    pub already_met: bool,
    pub singles: Vec<Single>,
    /// Every considered component improved together (None: even all perfect do not suffice,
    /// or nothing to improve).
    pub balanced: Option<Proposal>,
}

/// A parameter that improves a component.
#[derive(Debug, Clone)]
struct Lever {
    component: String,
    path: String,
    quantity: Quantity,
    written: String,
    current: f64,
    /// True when a better component has a smaller value (mttr, failure_rate).
    smaller_is_better: bool,
    /// The value is an availability (the factor divides its unavailability).
    availability: bool,
    cost: f64,
}

impl Lever {
    /// The value `factor` times better, exactly.
    fn value(&self, factor: f64) -> f64 {
        if self.availability {
            1.0 - (1.0 - self.current) / factor
        } else if self.smaller_is_better {
            self.current / factor
        } else {
            self.current * factor
        }
    }

    /// The value `factor` times better, rounded to four significant digits on the better
    /// side, as `--set` text, with the factor it amounts to.
    fn rounded(&self, factor: f64) -> (String, f64) {
        let x = self.value(factor);
        if self.availability {
            let q = round_sig(1.0 - x, false);
            let text = format!("{:.*}%", decimals(q * 100.0), 100.0 - q * 100.0);
            return (text, (1.0 - self.current) / q);
        }
        let r = round_sig(x, !self.smaller_is_better);
        let f = if self.smaller_is_better {
            self.current / r
        } else {
            r / self.current
        };
        let text = match self.quantity {
            // In the unit that reads best: 31.35m rather than 0.5226h.
            Quantity::Duration => {
                let (unit, per_hour) = duration_unit(x);
                let v = round_sig(x * per_hour, !self.smaller_is_better);
                return (
                    format!("{:.*}{unit}", decimals(v), v),
                    if self.smaller_is_better {
                        self.current / (v / per_hour)
                    } else {
                        v / per_hour / self.current
                    },
                );
            }
            // As one per a mean time (1/258.3d), rounded on the safe side of the rate.
            Quantity::Rate => {
                let (unit, per_hour) = duration_unit(1.0 / x);
                let mean = round_sig(per_hour / x, self.smaller_is_better);
                let rate = per_hour / mean;
                return (
                    format!("1/{:.*}{unit}", decimals(mean), mean),
                    if self.smaller_is_better {
                        self.current / rate
                    } else {
                        rate / self.current
                    },
                );
            }
            _ => format!("{:.*}", decimals(r), r),
        };
        (text, f)
    }

    /// The largest factor that keeps the value inside what the format accepts.
    fn max_factor(&self) -> f64 {
        use crate::parse::quantity::{MAX_DURATION_HOURS, MIN_DURATION_HOURS};
        // Durations and the mean times of rates stay within the format's range, with room
        // for rounding.
        let mean = match self.quantity {
            Quantity::Duration => self.current,
            Quantity::Rate => 1.0 / self.current,
            _ => return MAX_FACTOR,
        };
        let longer = self.smaller_is_better == (self.quantity == Quantity::Rate);
        let room = if longer {
            MAX_DURATION_HOURS * 0.5 / mean
        } else {
            mean / (MIN_DURATION_HOURS * 2.0)
        };
        room.clamp(1.0, MAX_FACTOR)
    }
}

/// The lever of `component` for `by`, from what its file says.
fn lever(session: &Session, component: &str, by: By, cost: f64) -> Result<Lever, String> {
    let read = |key: &'static str| {
        session
            .written(&component_path(component, key))
            .and_then(|t| Quantity::read(&t).ok().map(|(q, x)| (key, t, q, x)))
    };
    let static_or_fixed = read("availability");
    let lever = |(key, written, quantity, current): (&str, String, Quantity, f64),
                 smaller: bool,
                 availability: bool| Lever {
        component: component.to_string(),
        path: component_path(component, key),
        quantity,
        written,
        current,
        smaller_is_better: smaller,
        availability,
        cost,
    };
    if let Some(a) = static_or_fixed {
        // With `availability:` written, mttr or mtbf alone does not move it.
        return match by {
            By::Availability => Ok(lever(a, false, true)),
            _ => Err(
                "its availability is given (`availability:`); use --by availability".to_string(),
            ),
        };
    }
    let found = match by {
        By::Mttr | By::Availability => read("mttr")
            .map(|m| (m, true))
            .or_else(|| read("repair_rate").map(|r| (r, false))),
        By::Mtbf => read("mtbf")
            .map(|m| (m, false))
            .or_else(|| read("failure_rate").map(|r| (r, true))),
    };
    match found {
        Some((p, smaller)) => Ok(lever(p, smaller, false)),
        None => Err("it has no parameter of this kind written".to_string()),
    }
}

/// Whether every target and promise is met: a proposal passes `check` as it stands.
fn met(o: &Outcome) -> bool {
    o.met()
}

/// Solves the model with `levers` each `factors[i]` times better (rounded as printed).
fn try_factors(
    session: &Session,
    levers: &[Lever],
    factors: &[f64],
    rounded: bool,
) -> Result<(Outcome, Vec<Assignment>), Report> {
    let changes: Vec<Assignment> = levers
        .iter()
        .zip(factors)
        .map(|(l, &f)| {
            let (to, factor) = if rounded {
                l.rounded(f)
            } else {
                (
                    if l.availability {
                        Quantity::Percent.text(l.value(f))
                    } else {
                        l.quantity.text(l.value(f))
                    },
                    f,
                )
            };
            Assignment {
                component: l.component.clone(),
                path: l.path.clone(),
                from: l.written.clone(),
                to,
                factor,
                at_most: l.smaller_is_better && !l.availability,
            }
        })
        .collect();
    let sets: Vec<(String, String)> = changes
        .iter()
        .map(|c| (c.path.clone(), c.to.clone()))
        .collect();
    let a = session.analyse_with("proposal", &sets)?;
    Ok((Outcome::of(&a), changes))
}

/// The smallest common improvement `g` (each lever `g^weight` times better) that meets the
/// targets, verified as printed; None when even `MAX_FACTOR` does not.
fn smallest_factor(
    session: &Session,
    levers: &[Lever],
    weights: &[f64],
) -> Result<Option<Proposal>, Report> {
    let factors = |g: f64| -> Vec<f64> { weights.iter().map(|w| g.powf(*w)).collect() };
    // The largest common factor every lever can take.
    let top = levers
        .iter()
        .zip(weights)
        .map(|(l, w)| l.max_factor().powf(1.0 / w))
        .fold(MAX_FACTOR, f64::min);
    let (at_max, _) = try_factors(session, levers, &factors(top), false)?;
    if !met(&at_max) {
        return Ok(None);
    }
    let (_, hi) = bisect(1.0, top, true, 1e-6, 200, |g| {
        let (o, _) = try_factors(session, levers, &factors(g), false)?;
        Ok(!met(&o))
    })?;
    // Rounded on the safe side, the printed values still meet: check, and step up if the
    // rounding lost it (it cannot lose more than 1e-3 relative).
    let mut g = hi;
    for _ in 0..8 {
        let (o, changes) = try_factors(session, levers, &factors(g), true)?;
        if met(&o) {
            return Ok(Some(Proposal {
                changes,
                outcome: o,
            }));
        }
        g *= 1.0 + 1e-3;
    }
    Ok(None)
}

/// Proposes parameter values that meet the targets (`session`'s request carries them).
pub fn allocate(session: &Session, by: By) -> Result<Allocation, Report> {
    let a = session.analyse()?;
    let current = Outcome::of(&a);
    let name = a.solution.name.clone();
    let already_met = met(&current);
    let u = a.solution.system.unavailability();
    let candidates: Vec<(String, f64)> = a
        .ranked_components()
        .into_iter()
        .filter(|c| u > 0.0 && c.unavailability_saved / u >= MIN_SHARE)
        .take(MAX_COMPONENTS)
        .map(|c| {
            let cost = a
                .model
                .components
                .iter()
                .find(|m| m.name == c.name)
                .and_then(|m| m.cost)
                .unwrap_or(1.0);
            (c.name.clone(), cost)
        })
        .collect();
    drop(a);
    let mut singles = Vec::new();
    let mut levers = Vec::new();
    if !already_met {
        let mut progress = crate::progress::start("allocating", candidates.len() as u64 + 1);
        for (i, (component, cost)) in candidates.iter().enumerate() {
            progress.set(i as u64);
            match lever(session, component, by, *cost) {
                Err(why) => singles.push(Single::NotApplicable {
                    component: component.clone(),
                    why,
                }),
                Ok(l) => {
                    let one = std::slice::from_ref(&l);
                    singles.push(match smallest_factor(session, one, &[1.0])? {
                        Some(p) => Single::Meets(p),
                        None => Single::Insufficient {
                            component: component.clone(),
                        },
                    });
                    levers.push(l);
                }
            }
        }
    }
    let balanced = if levers.is_empty() {
        None
    } else {
        // Cheaper components improve more: each by g^(w), w = (1/cost) / max(1/cost).
        let inv: Vec<f64> = levers.iter().map(|l| 1.0 / l.cost).collect();
        let top = inv.iter().cloned().fold(0.0, f64::max);
        let weights: Vec<f64> = inv.iter().map(|x| x / top).collect();
        smallest_factor(session, &levers, &weights)?
    };
    Ok(Allocation {
        name,
        by,
        current,
        already_met,
        singles,
        balanced,
    })
}
