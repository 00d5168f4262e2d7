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
