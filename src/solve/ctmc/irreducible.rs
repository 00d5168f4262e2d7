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
