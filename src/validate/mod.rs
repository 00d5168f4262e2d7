//! Stage 2: the model as written to a checked model.
//!
//! Normalises every component to its availability, unavailability and rates, resolves every
//! name, finds cycles between named blocks, and checks each block's own rules. Every problem
//! is reported with its location; the result is complete only when there were no errors.

mod blocks;
mod components;
mod markov;

pub use blocks::for_each_ref;
pub use components::{Component, Rates};

use crate::diagnostics::{Diagnostic, Sink};
use crate::parse::model::{Block, ComponentSpec, Located, Model};
use crate::parse::quantity::Probability;
use std::collections::HashMap;

/// Default period for downtime and failure counts: one year of 365 days, in hours.
pub const DEFAULT_HORIZON_HOURS: f64 = 8760.0;

/// A model that passed validation.
#[derive(Debug, Clone)]
pub struct Valid {
    pub name: String,
    pub description: Option<String>,
    pub horizon_hours: f64,
    pub targets: Targets,
    /// Components in declaration order.
    pub components: Vec<Component>,
    /// The parameters as written, beside `components` (same order), for reports.
    pub component_specs: Vec<ComponentSpec>,
    pub component_index: HashMap<String, usize>,
    /// Named blocks in declaration order.
    pub blocks: Vec<(Located<String>, Located<Block>)>,
    pub block_index: HashMap<String, usize>,
    pub system: Located<Block>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Targets {
    pub availability: Option<Probability>,
    pub downtime_hours: Option<f64>,
}

/// Checks `model`. `default_name` is used when the model has no `name` (the file stem).
pub fn validate(model: Model, default_name: &str, sink: &mut Sink) -> Option<Valid> {
    let name = model
        .name
        .as_ref()
        .map_or_else(|| default_name.to_string(), |n| n.value.clone());
    let horizon_hours = match &model.horizon {
        Some(h) if h.value.0 <= 0.0 => {
            sink.push(
                Diagnostic::error(h.pos, "horizon must be longer than zero")
                    .with_hint("e.g. `horizon: 1y` or `horizon: 30d`"),
            );
            DEFAULT_HORIZON_HOURS
        }
        Some(h) => h.value.0,
        None => DEFAULT_HORIZON_HOURS,
    };
    let targets = Targets {
        availability: model
            .targets
            .as_ref()
            .and_then(|t| t.availability.as_ref())
            .map(|a| a.value),
        downtime_hours: model
            .targets
            .as_ref()
            .and_then(|t| t.downtime.as_ref())
            .map(|d| d.value.0),
    };

    let mut components = Vec::with_capacity(model.components.len());
    let mut component_specs = Vec::with_capacity(model.components.len());
    let mut component_index = HashMap::with_capacity(model.components.len());
    for (cname, spec) in &model.components {
        if let Some(c) = components::normalise(&cname.value, spec, sink) {
            component_index.insert(cname.value.clone(), components.len());
            components.push(c);
            component_specs.push(spec.clone());
        }
    }
    let mut block_index = HashMap::with_capacity(model.blocks.len());
    for (i, (bname, _)) in model.blocks.iter().enumerate() {
        if let Some(&ci) = component_index.get(&bname.value) {
            sink.push(
                Diagnostic::error(
                    bname.pos,
                    format!("`{}` is both a component and a named block", bname.value),
                )
                .with_hint(format!(
                    "rename one of them (the component is declared at line {})",
                    components[ci].pos.line
                )),
            );
        }
        block_index.insert(bname.value.clone(), i);
    }
    let names = Names {
        components: &components,
        component_index: &component_index,
        blocks: &model.blocks,
        block_index: &block_index,
        all_component_names: model
            .components
            .iter()
            .map(|(n, _)| n.value.as_str())
            .collect(),
    };
    let mut used = Usage::new(components.len(), model.blocks.len());
    for (_, b) in &model.blocks {
        blocks::check(b, &names, sink);
    }
    if let Some(system) = &model.system {
        blocks::check(system, &names, sink);
        mark_used(system, &names, &mut used);
    }
    blocks::check_cycles(&model.blocks, &block_index, sink);
    if model.system.is_some() && !sink.has_errors() {
        for (i, c) in components.iter().enumerate() {
            if !used.components[i] {
                sink.push(Diagnostic::warning(
                    c.pos,
                    format!("component `{}` is not used by the system", c.name),
                ));
            }
        }
        for (i, (bname, _)) in model.blocks.iter().enumerate() {
            if !used.blocks[i] {
                sink.push(Diagnostic::warning(
                    bname.pos,
                    format!("named block `{}` is not used by the system", bname.value),
                ));
            }
        }
    }
    if sink.has_errors() {
        return None;
    }
    Some(Valid {
        name,
        description: model.description.map(|d| d.value),
        horizon_hours,
        targets,
        components,
        component_specs,
        component_index,
        blocks: model.blocks,
        block_index,
        system: model.system?,
    })
}

/// Name tables used while checking blocks.
pub(crate) struct Names<'a> {
    pub components: &'a [Component],
    pub component_index: &'a HashMap<String, usize>,
    pub blocks: &'a [(Located<String>, Located<Block>)],
    pub block_index: &'a HashMap<String, usize>,
    /// Every declared component name, valid or not, so an invalid one is not also "unknown".
    pub all_component_names: Vec<&'a str>,
}

pub(crate) struct Usage {
    pub components: Vec<bool>,
    pub blocks: Vec<bool>,
}

impl Usage {
    fn new(c: usize, b: usize) -> Self {
        Usage {
            components: vec![false; c],
            blocks: vec![false; b],
        }
    }
}

/// Marks what the system reaches, following named blocks once each (no recursion through
/// names, so long chains of named blocks cannot exhaust the stack).
fn mark_used(system: &Located<Block>, names: &Names, used: &mut Usage) {
    let mut todo: Vec<&Located<Block>> = vec![system];
    while let Some(b) = todo.pop() {
        blocks::for_each_ref(b, &mut |name, _pos| {
            if let Some(&i) = names.component_index.get(name) {
                used.components[i] = true;
            } else if let Some(&i) = names.block_index.get(name)
                && !used.blocks[i]
            {
                used.blocks[i] = true;
                todo.push(&names.blocks[i].1);
            }
        });
    }
}
