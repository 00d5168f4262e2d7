//! Where planned maintenance can be solved exactly: on components that are independent
//! parts (not inside a Markov block, not repaired by a team, not shared instances), and,
//! staggered, with every copy in one place (a `parallel`/`k_of_n`/`shards`/`pool` of copies or
//! a lone use) so that one copy out of service is one change of the model.

use crate::diagnostics::{Diagnostic, Sink};
use crate::model::{Block, BlockKind, Model};

/// The places (uses in the model's trees) of component `c`, each with its copies there: a
/// copies block of it counts its n once (its `of` is not another place).
pub fn places(model: &Model, c: usize) -> Vec<u64> {
    fn walk(b: &Block, c: usize, out: &mut Vec<u64>) {
        match &b.kind {
            BlockKind::Copies { n, of, .. } if matches!(of.kind, BlockKind::Component(x) if x == c) => {
                out.push(*n)
            }
            BlockKind::Component(x) if *x == c => out.push(1),
            BlockKind::Series(list) | BlockKind::KofN { members: list, .. } => {
                list.iter().for_each(|x| walk(x, c, out))
            }
            BlockKind::Copies { of, .. } => walk(of, c, out),
            BlockKind::Capacity { inner, .. } => walk(inner, c, out),
            BlockKind::Network(n) => n.links.iter().for_each(|x| walk(x, c, out)),
            BlockKind::Named(_)
            | BlockKind::Component(_)
            | BlockKind::SharedCopies(_)
            | BlockKind::Standby(_)
            | BlockKind::Markov(_) => {}
        }
    }
    let mut out = Vec::new();
    for root in model.blocks.iter().map(|b| &b.block).chain([&model.system]) {
        walk(root, c, &mut out);
    }
    out
}

pub fn check(model: &Model, sink: &mut Sink) {
    for (c, comp) in model.components.iter().enumerate() {
        let Some(m) = comp.maintenance else { continue };
        let err = |what: &str| {
            Diagnostic::error(
                m.pos,
                format!("component `{}` has maintenance but {what}", comp.name),
            )
        };
        if comp.team.is_some() {
            sink.push(err("is repaired by a team: its schedule and the team's queue are not solved together").with_hint("remove `team:` or `maintenance:`"));
            continue;
        }
        if comp.shared {
            sink.push(
                err("is a shared instance").with_hint("remove `shared: true` or `maintenance:`"),
            );
            continue;
        }
        let mut in_chain = false;
        for root in model.blocks.iter().map(|b| &b.block).chain([&model.system]) {
            root.visit(&mut |b: &Block| match &b.kind {
                BlockKind::SharedCopies(s) if s.component == c => in_chain = true,
                BlockKind::Standby(s) if s.component == c => in_chain = true,
                _ => {}
            });
        }
        if in_chain {
            sink.push(err("is inside a Markov block (crews, common cause or standby): a fixed schedule is not a Markov chain").with_hint("model its copies without crews, common cause or standby, or leave maintenance out"));
            continue;
        }
        let places = places(model, c);
        let used_in_named = model.blocks.iter().any(|b| {
            let mut found = false;
            b.block.visit(&mut |x: &Block| {
                found |= matches!(x.kind, BlockKind::Component(y) if y == c);
            });
            found
        });
        if m.staggered && (places.len() != 1 || used_in_named) {
            sink.push(
                err("is staggered across several places")
                    .with_hint("staggered maintenance is solved for copies in one place of the system (a parallel, k_of_n, shards or pool of the component, not inside a named block); use it there, or drop `staggered`"),
            );
            continue;
        }
        let n: u64 = places.iter().sum();
        if m.staggered && n as f64 * m.duration > m.every {
            sink.push(err(&format!(
                "its {n} copies cannot be staggered: {n} maintenances of {} do not fit in {}",
                crate::units::duration(m.duration),
                crate::units::duration(m.every)
            )));
        }
    }
}
