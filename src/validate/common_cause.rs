//! Common cause among copies: the beta factor (repaired together or each copy on its own),
//! the multiple Greek letters and the alpha factors, turned into the rate of the event on
//! each given set of j copies as a multiple of the component's failure rate (the form the
//! chain of `compile::chains::crews::CommonCauseChain` takes). In each model every copy's
//! failure rate adds up to lambda: sum over j of C(n - 1, j - 1) x multiplier_j = 1.

use crate::diagnostics::{Diagnostic, Sink};
use crate::model::CommonCause;
use crate::parse::written::{CommonCauseSpec, Located};
use crate::probability::Probability;
use crate::probability::binomial;

/// Most copies the alpha factors are given for (a list of that length).
const MAX_ALPHA_COPIES: u64 = 16;

pub fn resolve(cc: &CommonCauseSpec, n: u64, sink: &mut Sink) -> Option<CommonCause> {
    if n == 1 {
        sink.push(
            Diagnostic::warning(cc.pos, "a common cause among one copy has no one to share with: with `beta` the copy is modelled as two parts in series")
                .with_hint("remove `common_cause`, or give more copies"),
        );
    }
    let repair = match cc.repair.as_ref().map(|r| (r, r.value.as_str())) {
        None => None,
        Some((_, "together")) => Some(false),
        Some((_, "each")) => Some(true),
        Some((r, other)) => {
            sink.push(
                Diagnostic::error(
                    r.pos,
                    format!("`{other}` is not a common-cause repair: use `together` or `each`"),
                )
                .maybe_hint(crate::diagnostics::did_you_mean(
                    other,
                    CommonCauseSpec::REPAIRS.iter().copied(),
                )),
            );
            return None;
        }
    };
    if let Some(beta) = &cc.beta {
        let beta = beta.value;
        return Some(if repair == Some(true) {
            CommonCause::Each {
                multipliers: (1..=n)
                    .map(|j| match j {
                        1 if n > 1 => beta.q,
                        1 => 1.0,
                        j if j == n => beta.p,
                        _ => 0.0,
                    })
                    .collect(),
            }
        } else {
            CommonCause::Together { beta }
        });
    }
    // MGL and alpha factors take groups of every size down: only their own repair fits.
    if let (Some(false), Some(r)) = (repair, &cc.repair) {
        sink.push(
            Diagnostic::error(r.pos, "with `mgl` or `alpha`, common-cause events take down sets of different sizes, each copy then repaired on its own: `repair: together` does not apply")
                .with_hint("remove `repair`, or write `repair: each`"),
        );
        return None;
    }
    if let Some(mgl) = &cc.mgl {
        if !(2..=4).contains(&n) {
            sink.push(
                Diagnostic::error(mgl.pos, format!("the multiple Greek letters are given here for 2 to 4 copies, and this block has {n}"))
                    .with_hint("for more copies give the alpha factors: `alpha: [a1, a2, ..., an]`"),
            );
            return None;
        }
        // rho_1 = 1, rho_2 = beta, rho_3 = gamma, rho_4 = delta, rho_(n+1) = 0.
        let letters = [
            ("beta", &mgl.beta),
            ("gamma", &mgl.gamma),
            ("delta", &mgl.delta),
        ];
        let mut rho = vec![1.0];
        for (i, (name, value)) in letters.iter().enumerate() {
            let needed = (i as u64) < n - 1;
            match (needed, value) {
                (true, Some(v)) => rho.push(v.value.p),
                (true, None) => {
                    sink.push(
                        Diagnostic::error(mgl.pos, format!("`mgl` for {n} copies needs `{name}`"))
                            .with_hint(format!(
                                "{n} copies take {} letters: {}",
                                n - 1,
                                ["beta", "gamma", "delta"][..(n - 1) as usize].join(", ")
                            )),
                    );
                    return None;
                }
                (false, Some(v)) => {
                    sink.push(
                        Diagnostic::error(
                            v.pos,
                            format!(
                                "`{name}` is for groups of {} or more copies; this block has {n}",
                                i + 2
                            ),
                        )
                        .with_hint(format!("remove `{name}`")),
                    );
                    return None;
                }
                (false, None) => {}
            }
        }
        rho.push(0.0);
        let multipliers = (1..=n)
            .map(|j| {
                let product: f64 = rho[..j as usize].iter().product();
                product * (1.0 - rho[j as usize]) / binomial(n - 1, j - 1)
            })
            .collect();
        return Some(CommonCause::Each { multipliers });
    }
    let alpha: &Vec<Located<Probability>> = cc.alpha.as_ref()?;
    if n > MAX_ALPHA_COPIES || alpha.len() as u64 != n {
        sink.push(
            Diagnostic::error(cc.pos, format!("`alpha` lists {} factors for {n} copies: it needs one for each number of copies an event can take down (1 to {n}){}", alpha.len(), if n > MAX_ALPHA_COPIES { format!(", for at most {MAX_ALPHA_COPIES} copies") } else { String::new() }))
                .with_hint("e.g. for 3 copies `alpha: [95%, 3%, 2%]`"),
        );
        return None;
    }
    let sum: f64 = alpha.iter().map(|a| a.value.p).sum();
    if (sum - 1.0).abs() > 1e-6 {
        sink.push(
            Diagnostic::error(cc.pos, format!("the alpha factors add up to {sum}, not 1"))
                .with_hint("alpha_j is the fraction of failure events that take down j copies: together they are every event"),
        );
        return None;
    }
    // Non-staggered testing (NUREG/CR-5485): Q_j = j / C(n - 1, j - 1) x alpha_j / alpha_t,
    // alpha_t = sum of j alpha_j.
    let total: f64 = alpha
        .iter()
        .enumerate()
        .map(|(i, a)| (i + 1) as f64 * a.value.p)
        .sum();
    Some(CommonCause::Each {
        multipliers: alpha
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let j = i as u64 + 1;
                j as f64 / binomial(n - 1, j - 1) * a.value.p / total
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn each(cc: &str, n: u64) -> Vec<f64> {
        let yaml = format!(
            "components:\n  a: {{ mtbf: 10h, mttr: 1h }}\nsystem: {{ parallel: {{ n: {n}, of: a, common_cause: {cc} }} }}\n"
        );
        let a = crate::analyse("c.yaml", &yaml).unwrap_or_else(|r| panic!("{}", r.to_plain()));
        let crate::model::BlockKind::SharedCopies(s) = &a.model.system.kind else {
            panic!("copies with a common cause");
        };
        match &s.common_cause {
            Some(CommonCause::Each { multipliers }) => multipliers.clone(),
            other => panic!("{other:?}"),
        }
    }

    /// Every copy's failure rate adds up to lambda in every model; MGL for two copies and
    /// with gamma = 1 is the beta factor; the textbook MGL rates for three copies.
    #[test]
    fn the_models_share_out_lambda() {
        let total = |m: &[f64]| -> f64 {
            let n = m.len() as u64;
            m.iter()
                .enumerate()
                .map(|(i, x)| binomial(n - 1, i as u64) * x)
                .sum()
        };
        for (cc, n) in [
            ("{ beta: 20%, repair: each }", 3),
            ("{ mgl: { beta: 10%, gamma: 30% } }", 3),
            ("{ mgl: { beta: 10%, gamma: 30%, delta: 50% } }", 4),
            ("{ alpha: [95%, 3%, 2%] }", 3),
        ] {
            assert!((total(&each(cc, n)) - 1.0).abs() < 1e-15, "{cc}");
        }
        assert_eq!(
            each("{ mgl: { beta: 15% } }", 2),
            each("{ beta: 15%, repair: each }", 2)
        );
        let m = each("{ mgl: { beta: 20%, gamma: 100% } }", 3);
        let b = each("{ beta: 20%, repair: each }", 3);
        assert!(
            m.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-17),
            "{m:?} {b:?}"
        );
        let m = each("{ mgl: { beta: 10%, gamma: 30% } }", 3);
        let want = [0.9, 0.1 * 0.7 / 2.0, 0.1 * 0.3];
        assert!(
            m.iter().zip(want).all(|(x, y)| (x - y).abs() < 1e-16),
            "{m:?}"
        );
    }
}
