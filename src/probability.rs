//! The one type for a probability and its complement, each carried to full relative precision.
//!
//! Availability is a probability near 1 whose interesting digits are in its complement: a
//! system with U = 1e-18 must report 1e-18, and `1.0 - A` would give 0. So every availability
//! in hacalc travels as the pair (p, q) = (A, U), each computed directly, never one as 1 minus
//! the other where that would cancel. The same type carries a parsed probability such as a
//! coverage or a beta factor, whose complement is computed from the decimal digits as written.

/// A probability `p` and its complement `q = 1 - p`, both to full relative precision.
/// For an availability, `p` is A and `q` is U.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Probability {
    pub p: f64,
    pub q: f64,
}

impl Probability {
    /// Certain: always up.
    pub const ONE: Probability = Probability { p: 1.0, q: 0.0 };
    /// Impossible: always down.
    pub const ZERO: Probability = Probability { p: 0.0, q: 1.0 };

    /// From a value known only in binary (no decimal text to take the complement of). Exact
    /// for p <= 1/2 and for p near 1 to the precision p itself carries.
    pub fn from_f64(p: f64) -> Probability {
        Probability { p, q: 1.0 - p }
    }

    /// From the complement: `q` is the number with the digits (an unavailability).
    pub fn from_complement(q: f64) -> Probability {
        Probability { p: 1.0 - q, q }
    }

    /// The pair made consistent for output: each side in [0, 1], no -0.0, and the larger one
    /// derived from the smaller (which the solvers compute directly, to full relative
    /// precision), so that p + q = 1 to within one rounding and a tiny q keeps its digits.
    /// NaN stays NaN, for the final check to refuse.
    pub fn settled(self) -> Probability {
        let p = self.p.clamp(0.0, 1.0) + 0.0;
        let q = self.q.clamp(0.0, 1.0) + 0.0;
        if q <= p {
            Probability { p: 1.0 - q, q }
        } else {
            Probability { p, q: 1.0 - p }
        }
    }

    /// Whether both sides are finite probabilities that add up to 1 (within rounding).
    pub fn is_sound(self) -> bool {
        (0.0..=1.0).contains(&self.p)
            && (0.0..=1.0).contains(&self.q)
            && (self.p + self.q - 1.0).abs() <= 4.0 * f64::EPSILON
    }

    /// Up and down exchanged (the complement event).
    pub fn complement(self) -> Probability {
        Probability {
            p: self.q,
            q: self.p,
        }
    }

    /// ln p, accurate whether p is near 0 or near 1.
    pub fn ln_p(self) -> f64 {
        if self.p < 0.5 {
            self.p.ln()
        } else {
            (-self.q).ln_1p()
        }
    }

    /// -log10(q): "nines" of an availability.
    pub fn nines(self) -> f64 {
        -self.q.log10() + 0.0
    }
}

/// C(n, r) as a float (exact below 2^53; the common-cause models use it for a handful of
/// copies, and with r = n or r = 0 for a million).
pub fn binomial(n: u64, r: u64) -> f64 {
    if r > n {
        return 0.0;
    }
    let r = r.min(n - r);
    (0..r).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_take_the_complement() {
        assert_eq!(
            Probability::from_f64(0.25),
            Probability { p: 0.25, q: 0.75 }
        );
        assert_eq!(
            Probability::from_complement(0.25),
            Probability { p: 0.75, q: 0.25 }
        );
        assert_eq!(
            Probability { p: 0.25, q: 0.75 }.complement(),
            Probability { p: 0.75, q: 0.25 }
        );
    }

    /// The smaller side is kept, the larger derived from it; no -0.0 either side.
    #[test]
    fn settled_keeps_the_smaller_side() {
        // q = 1e-18 would be lost as 1 - p.
        let s = Probability { p: 1.0, q: 1e-18 }.settled();
        assert_eq!((s.p, s.q), (1.0, 1e-18));
        let s = Probability { p: 1e-18, q: 1.0 }.settled();
        assert_eq!((s.p, s.q), (1e-18, 1.0));
        // Inconsistent inputs: the larger side is replaced by 1 - the smaller.
        let s = Probability { p: 0.5, q: 0.25 }.settled();
        assert_eq!((s.p, s.q), (0.75, 0.25));
        let s = Probability { p: 0.25, q: 0.5 }.settled();
        assert_eq!((s.p, s.q), (0.25, 0.75));
        // Clamped into [0, 1], and -0.0 becomes +0.0 on either side.
        let s = Probability { p: 1.5, q: -0.0 }.settled();
        assert_eq!((s.p, s.q), (1.0, 0.0));
        assert!(s.q.is_sign_positive());
        let s = Probability { p: -0.0, q: 2.0 }.settled();
        assert_eq!((s.p, s.q), (0.0, 1.0));
        assert!(s.p.is_sign_positive());
    }

    #[test]
    fn soundness() {
        assert!(Probability { p: 0.25, q: 0.75 }.is_sound());
        assert!(Probability::ONE.is_sound() && Probability::ZERO.is_sound());
        // Adds up to 1, but one side is outside [0, 1].
        assert!(!Probability { p: 1.0, q: -1e-17 }.is_sound());
        assert!(!Probability { p: -1e-17, q: 1.0 }.is_sound());
        // Each side in [0, 1], but not adding up to 1.
        assert!(!Probability { p: 0.5, q: 0.6 }.is_sound());
        assert!(
            !Probability {
                p: 0.5,
                q: 0.5 + 8.0 * f64::EPSILON
            }
            .is_sound()
        );
        assert!(
            Probability {
                p: 0.5,
                q: 0.5 + f64::EPSILON
            }
            .is_sound()
        );
        assert!(
            !Probability {
                p: f64::NAN,
                q: 0.5
            }
            .is_sound()
        );
    }

    #[test]
    fn ln_p_near_zero_and_near_one() {
        // ln 0.25 = -2 ln 2.
        let x = Probability::from_f64(0.25).ln_p();
        assert!((x + 2.0 * std::f64::consts::LN_2).abs() <= 1e-15);
        // p = 1e-300: ln p = -300 ln 10 (1 - p would round to 1).
        let x = Probability { p: 1e-300, q: 1.0 }.ln_p();
        assert!((x / (-300.0 * std::f64::consts::LN_10) - 1.0).abs() <= 1e-15);
        // p = 1 - 1e-18: ln p = -1e-18 to first order (p itself rounds to 1).
        let x = Probability::from_complement(1e-18).ln_p();
        assert!((x / -1e-18 - 1.0).abs() <= 1e-15);
    }

    #[test]
    fn nines_of_the_complement() {
        assert_eq!(Probability::from_complement(1e-3).nines(), 3.0);
        assert_eq!(Probability::from_complement(1e-18).nines(), 18.0);
        let n = Probability::ZERO.nines();
        assert_eq!(n, 0.0);
        assert!(n.is_sign_positive());
    }
}
