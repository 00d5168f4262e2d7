//! Rules of shared instances: a shared component or named block is one instance wherever it
//! is used, so it cannot be copied; and a warning where a model probably meant one instance
//! but wrote independent copies (the same name in two redundant branches).

use crate::diagnostics::{Diagnostic, Pos, Sink};
use crate::model::{Block, BlockKind, Model};
use std::collections::HashMap;

pub fn check(model: &Model, sink: &mut Sink) {
    let name_of = |b: &Block| -> Option<(String, bool)> {
        match &b.kind {
            BlockKind::Component(c) => {
                let c = &model.components[*c];
                Some((c.name.clone(), c.shared))
            }
            BlockKind::Named(i) => {
                let n = &model.blocks[*i];
                Some((n.name.clone(), n.shared))
            }
            BlockKind::Series(_)
            | BlockKind::KofN { .. }
            | BlockKind::Copies { .. }
            | BlockKind::SharedCopies(_)
            | BlockKind::Standby(_)
            | BlockKind::Markov(_)
            | BlockKind::Network(_)
            | BlockKind::Capacity { .. } => None,
        }
    };
    let roots = model.blocks.iter().map(|b| &b.block).chain([&model.system]);
    for root in roots {
        root.visit(&mut |b| match &b.kind {
            BlockKind::Copies { of, .. } => {
                if let Some((name, true)) = name_of(of) {
                    sink.push(
                        Diagnostic::error(of.pos, format!("`{name}` is shared (one instance): copies of it would all be that one instance"))
                            .with_hint(format!("use `{name}` by name where it is needed, or copy a block that is not shared")),
                    );
                }
            }
            BlockKind::SharedCopies(s) if model.components[s.component].shared => {
                sink.push(
                    Diagnostic::error(b.pos, format!("`{}` is shared (one instance): shared repair and common cause model copies", model.components[s.component].name))
                        .with_hint("give the copies their own component without `shared: true`"),
                );
            }
            BlockKind::Standby(s) if model.components[s.component].shared => {
                sink.push(
                    Diagnostic::error(b.pos, format!("`{}` is shared (one instance): a standby block needs units of its own", model.components[s.component].name))
                        .with_hint("give the standby units their own component without `shared: true`"),
                );
            }
            BlockKind::KofN { members, .. } => redundant_copies(members.iter(), &name_of, sink),
            BlockKind::Network(n) => redundant_copies(n.links.iter(), &name_of, sink),
            BlockKind::Component(_)
            | BlockKind::Named(_)
            | BlockKind::Series(_)
            | BlockKind::SharedCopies(_)
            | BlockKind::Standby(_)
            | BlockKind::Markov(_)
            | BlockKind::Capacity { .. } => {}
        });
    }
}

/// A warning, at the second use, for each name that is not shared and appears in two or more
/// alternative branches: they are independent copies, which is rarely what a diagram of one
/// database behind two paths means.
fn redundant_copies<'a>(
    branches: impl Iterator<Item = &'a Block>,
    name_of: &dyn Fn(&Block) -> Option<(String, bool)>,
    sink: &mut Sink,
) {
    // name -> (branches it is in, where it appears in the second one)
    let mut seen: HashMap<String, (usize, Option<Pos>)> = HashMap::new();
    for branch in branches {
        // A branch that is just a name (`parallel: [app, app]`) says "copies" on purpose.
        if name_of(branch).is_some() {
            continue;
        }
        let mut here: HashMap<String, Pos> = HashMap::new();
        branch.visit(&mut |b| {
            if let Some((name, false)) = name_of(b) {
                here.entry(name).or_insert(b.pos);
            }
        });
        for (name, pos) in here {
            let e = seen.entry(name).or_insert((0, None));
            e.0 += 1;
            if e.0 == 2 {
                e.1 = Some(pos);
            }
        }
    }
    let mut found: Vec<(String, usize, Pos)> = seen
        .into_iter()
        .filter_map(|(n, (count, pos))| Some((n, count, pos?)))
        .collect();
    found.sort_by_key(|(_, _, p)| (p.line, p.column));
    for (name, count, pos) in found {
        sink.push(
            Diagnostic::warning(
                pos,
                format!("`{name}` is used in {count} redundant branches as independent copies"),
            )
            .with_hint(format!(
                "if it is one instance (one database behind both paths), add `shared: true` to `{name}`; copies are counted as failing independently"
            )),
        );
    }
}
