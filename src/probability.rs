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

    /// Two probabilities that add up to `total` (e.g. the up and down mass of a distribution),
    /// normalised; the smaller one keeps its digits, the larger is its complement only where
    /// that is exact (below one half the sums are both accurate).
    pub fn from_masses(up: f64, down: f64) -> Probability {
        let total = up + down;
        Probability {
            p: up / total,
            q: down / total,
        }
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
        -self.q.log10()
    }
}
