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
    let n = c.states();
    let seen = c.reachable(0);
    let mut stack = Vec::new();
    if let Some(s) = seen.iter().position(|&x| !x) {
        return Err(StructureError::Unreachable(s));
    }
    if let Some(s) = (0..n).find(|&i| c.out(i).next().is_none()) {
        return Err(StructureError::Absorbing(s));
    }
    let (start, from) = (&inc.start, &inc.from);
    let mut back = vec![false; n];
    stack.push(0);
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
