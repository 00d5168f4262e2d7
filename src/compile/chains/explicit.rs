//! An explicit `markov` block: the chain as written.

use super::StateNames;
use crate::compile::ctmc::Ctmc;
use crate::model::MarkovChain;

pub fn build(m: &MarkovChain) -> (Ctmc, StateNames) {
    (
        Ctmc::new(m.states.len(), m.transitions.iter().copied(), m.up.clone()),
        StateNames::Listed {
            names: m.states.clone(),
            grid: None,
        },
    )
}
