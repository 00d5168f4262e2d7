//! Stage 2: the model as written to the validated model ([`crate::model::Model`]).
//!
//! Normalises every component to its availability, unavailability and rates, resolves every
//! name to an id, orders the named blocks (reporting cycles), and checks each block's own
//! rules while turning it into its typed form with every default applied. Every problem is
//! reported with its location; a model comes out only when there was no error.
//!
//! One file per concern: [`components`] (parameters), [`names`] (resolution and the order of
//! named blocks), [`blocks`] (series, parallel, k-of-n and copies), [`standby`], [`markov`]
//! and [`network`] (the rules of those block kinds).

mod blocks;
mod common_cause;
mod components;
mod data;
mod laws;
mod maintenance;
pub use maintenance::places as maintenance_places;
mod markov;
mod names;
mod network;
mod sanity;
mod shared;
mod standby;
mod teams;
mod text;

use crate::diagnostics::{Diagnostic, Sink};
use crate::model::{self, DEFAULT_HORIZON_HOURS, Model, NamedBlock, Targets};
use crate::parse::written;
use names::Names;

/// Checks `model` and resolves it. `default_name` is used when the model has no `name` (the
/// file stem).
pub fn validate(written: written::Model, default_name: &str, sink: &mut Sink) -> Option<Model> {
    let model = &written;
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
        served: model
            .targets
            .as_ref()
            .and_then(|t| t.served.as_ref())
            .map(|a| a.value),
        durability: model
            .targets
            .as_ref()
            .and_then(|t| t.durability.as_ref())
            .map(|a| a.value),
    };

    check_names(model, sink);
    let mut components: Vec<Option<model::Component>> = model
        .components
        .iter()
        .map(|(cname, spec)| components::normalise(&cname.value, spec, sink))
        .collect();
    let teams = teams::resolve(model, &mut components, sink);
    let names = Names::new(&model.components, &components, &model.blocks, sink);
    let order = names.named_block_order(&model.blocks, sink);

    let mut resolver = blocks::Resolver {
        names: &names,
        sink,
    };
    let resolved: Vec<Option<model::Block>> = model
        .blocks
        .iter()
        .map(|(_, b)| resolver.block(b))
        .collect();
    let system = model.system.as_ref().and_then(|s| resolver.block(s));
    let data = data::resolve(&model.data, &names, sink);
    if sink.has_errors() {
        return None;
    }
    let order = order?;
    let blocks: Vec<NamedBlock> = model
        .blocks
        .iter()
        .zip(resolved)
        .zip(&model.shared_blocks)
        .zip(&model.block_slos)
        .map(|((((bname, _), block), shared), slo)| {
            Some(NamedBlock {
                name: bname.value.clone(),
                pos: bname.pos,
                block: block?,
                shared: shared.as_ref().is_some_and(|s| s.value),
                slo: slo.as_ref().map(|s| (s.value, s.pos)),
            })
        })
        .collect::<Option<_>>()?;
    let model = Model {
        name,
        description: model.description.as_ref().map(|d| d.value.clone()),
        horizon_hours,
        targets,
        components: components.into_iter().collect::<Option<_>>()?,
        blocks,
        block_order: order,
        system: system?,
        teams,
        slo: model.slo.as_ref().map(|s| (s.value, s.pos)),
        variants: model.variants.iter().map(|v| v.value.clone()).collect(),
        data: data?,
    };
    shared::check(&model, sink);
    maintenance::check(&model, sink);
    let roots: Vec<&model::Block> = model
        .blocks
        .iter()
        .map(|b| &b.block)
        .chain([&model.system])
        .collect();
    teams::check_blocks(&model.components, &model.teams, &roots, sink);
    if sink.has_errors() {
        return None;
    }
    warn_unused(&model, sink);
    sanity::check(&written, &model, sink);
    Some(model)
}

/// Every name and description prints safely (see [`text`]).
fn check_names(model: &written::Model, sink: &mut Sink) {
    if let Some(n) = &model.name {
        text::check_name(&n.value, "the model's name", n.pos, sink);
    }
    for d in model.description.iter().chain(
        model
            .components
            .iter()
            .filter_map(|(_, c)| c.description.as_ref()),
    ) {
        text::check_description(&d.value, d.pos, sink);
    }
    for (n, _) in &model.components {
        text::check_name(
            &n.value,
            &format!("component name `{}`", n.value.escape_debug()),
            n.pos,
            sink,
        );
    }
    for (n, _) in &model.blocks {
        text::check_name(
            &n.value,
            &format!("block name `{}`", n.value.escape_debug()),
            n.pos,
            sink,
        );
    }
}

/// A warning for each component and named block that the system does not reach.
fn warn_unused(model: &Model, sink: &mut Sink) {
    let (mut components, blocks) = model.usage();
    for c in model.data.iter().filter_map(|d| d.component) {
        components[c] = true;
    }
    for (c, used) in model.components.iter().zip(components) {
        if !used {
            sink.push(Diagnostic::warning(
                c.pos,
                format!("component `{}` is not used by the system", c.name),
            ));
        }
    }
    for (b, used) in model.blocks.iter().zip(blocks) {
        if !used {
            sink.push(Diagnostic::warning(
                b.pos,
                format!("named block `{}` is not used by the system", b.name),
            ));
        }
    }
}
