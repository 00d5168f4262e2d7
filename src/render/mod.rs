//! Stage 5: results for people and programs, one module per output format.

pub mod check_text;
pub mod diagram;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod mermaid;
pub mod plot;
pub mod report;
pub mod simulation;
pub mod table;

use crate::Analysis;
use crate::solve::{BlockResult, ComponentResult};

/// Share of system downtime that would go if this part never failed (need not add up to 1).
pub fn share(saved_u: f64, system_u: f64) -> f64 {
    if system_u > 0.0 {
        saved_u / system_u
    } else {
        0.0
    }
}

/// Components used by the system, largest share of downtime first (ties: declaration order).
pub fn ranked_components(a: &Analysis) -> Vec<&ComponentResult> {
    let mut v: Vec<&ComponentResult> = a
        .solution
        .components
        .iter()
        .filter(|c| c.occurrences > 0.0)
        .collect();
    v.sort_by(|x, y| {
        y.unavailability_saved
            .total_cmp(&x.unavailability_saved)
            .then(x.index.cmp(&y.index))
    });
    v
}

/// Named blocks used by the system, largest share of downtime first.
pub fn ranked_blocks(a: &Analysis) -> Vec<&BlockResult> {
    let mut v: Vec<&BlockResult> = a
        .solution
        .blocks
        .iter()
        .filter(|b| b.occurrences > 0.0)
        .collect();
    v.sort_by(|x, y| {
        y.unavailability_saved
            .total_cmp(&x.unavailability_saved)
            .then(x.index.cmp(&y.index))
    });
    v
}

/// How many of `len` rows to show for `--top N` (0: all).
pub fn shown(len: usize, top: usize) -> usize {
    if top == 0 { len } else { top.min(len) }
}

/// Every Markov block with its solution and its node.
pub fn markov_blocks(
    a: &Analysis,
) -> impl Iterator<
    Item = (
        &crate::compile::ChainBlock,
        &crate::solve::ChainResult,
        &crate::compile::Node,
    ),
> {
    a.structure
        .chains
        .iter()
        .zip(&a.solution.chains)
        .map(|(b, r)| (b, r, &a.structure.nodes[b.node]))
}

/// A finite number, or None (JSON null) for infinities and NaN.
pub fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Escapes text for XML and HTML attributes and content (SVG, JUnit).
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
