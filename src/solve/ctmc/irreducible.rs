//! A steady state in the usual sense needs one closed class: every state reachable from the
//! initial state, and the initial state reachable from every state.

use crate::compile::ctmc::{Ctmc, Incoming};

#[derive(Debug, Clone, PartialEq)]
pub enum StructureError {
    /// The state cannot be reached from the initial state (state 0).
    Unreachable(usize),
    /// The state has no way out at all.
    Absorbing(usize),
    /// The state can be reached but never leads back to the initial state.
    NoReturn(usize),
}

impl std::fmt::Display for StructureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StructureError::Unreachable(s) => {
                write!(f, "state {s} cannot be reached from the initial state")
            }
            StructureError::Absorbing(s) => {
                write!(f, "state {s} has no transition out (absorbing)")
            }
            StructureError::NoReturn(s) => write!(
                f,
                "from state {s} the chain never returns to the initial state"
            ),
        }
    }
}

/// Checks that the chain is irreducible; names the first offending state.
pub fn require(c: &Ctmc, inc: &Incoming) -> Result<(), StructureError> {
    require_forward(c)?;
    require_backward(c, inc)
}

/// The half of [`require`] that needs only the outgoing transitions (so it can run while the
/// incoming ones are built): every state reached from state 0, none absorbing.
pub fn require_forward(c: &Ctmc) -> Result<(), StructureError> {
    let seen = c.reachable(0);
    if let Some(s) = seen.iter().position(|&x| !x) {
        return Err(StructureError::Unreachable(s));
    }
    match (0..c.states()).find(|&i| c.out(i).next().is_none()) {
        Some(s) => Err(StructureError::Absorbing(s)),
        None => Ok(()),
    }
}

/// The other half: state 0 reached from every state.
pub fn require_backward(c: &Ctmc, inc: &Incoming) -> Result<(), StructureError> {
    let n = c.states();
    let (start, from) = (&inc.start, &inc.from);
    let mut stack = vec![0];
    let mut back = vec![false; n];
    back[0] = true;
    while let Some(j) = stack.pop() {
        for &i in &from[start[j]..start[j + 1]] {
            let i = i as usize;
            if !back[i] {
                back[i] = true;
                stack.push(i);
            }
        }
    }
    match back.iter().position(|&x| !x) {
        Some(s) => Err(StructureError::NoReturn(s)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each way a chain fails to be one closed class, found by `require` and said in words.
    #[test]
    fn require_names_the_offending_state() {
        let check = |t: &[(usize, usize, f64)], want: StructureError, words: &str| {
            let c = Ctmc::new(3, t.iter().copied(), vec![true; 3]);
            let e = require(&c, &c.incoming()).unwrap_err();
            assert_eq!(e, want);
            assert_eq!(e.to_string(), words);
        };
        check(
            &[(0, 1, 1.0), (1, 0, 1.0), (2, 0, 1.0)],
            StructureError::Unreachable(2),
            "state 2 cannot be reached from the initial state",
        );
        check(
            &[(0, 1, 1.0), (1, 0, 1.0), (1, 2, 1.0)],
            StructureError::Absorbing(2),
            "state 2 has no transition out (absorbing)",
        );
        check(
            &[(0, 1, 1.0), (1, 2, 1.0), (2, 1, 1.0)],
            StructureError::NoReturn(1),
            "from state 1 the chain never returns to the initial state",
        );
        let ring = Ctmc::new(3, [(0, 1, 1.0), (1, 2, 1.0), (2, 0, 1.0)], vec![true; 3]);
        assert_eq!(require(&ring, &ring.incoming()), Ok(()));
    }
}
