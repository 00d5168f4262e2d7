//! Rules of `network`: links between named nodes, terminals that are ends of links.

use super::blocks::Resolver;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::{Graph, Network};
use crate::parse::written::NetworkSpec;

pub fn resolve(n: &NetworkSpec, r: &mut Resolver) -> Option<Network> {
    if n.links.is_empty() {
        r.sink.push(
            Diagnostic::error(n.pos, "a `network` needs at least one link")
                .with_hint("write `links: [{ from: a, to: b, via: block }]`"),
        );
        return None;
    }
    let before = r.sink.items.len();
    // Nodes numbered by first appearance, terminals first.
    let mut nodes: Vec<String> = Vec::new();
    let mut numbers: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut index = |name: &str| -> u32 {
        *numbers.entry(name.to_string()).or_insert_with(|| {
            nodes.push(name.to_string());
            (nodes.len() - 1) as u32
        })
    };
    let (source, target) = match (&n.from, &n.to) {
        (Some(a), Some(b)) => (index(&a.value), index(&b.value)),
        _ => (0, 0),
    };
    for name in n
        .links
        .iter()
        .flat_map(|l| [&l.from, &l.to])
        .chain([&n.from, &n.to])
        .flatten()
    {
        super::text::check_name(&name.value, "a node name", name.pos, r.sink);
    }
    let mut ends: Vec<&str> = Vec::new();
    let mut end_set: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut links = Vec::with_capacity(n.links.len());
    let mut vias = Vec::with_capacity(n.links.len());
    for l in &n.links {
        if let (Some(a), Some(b)) = (&l.from, &l.to) {
            if a.value == b.value {
                r.sink.push(
                    Diagnostic::error(
                        l.pos,
                        format!("a link from `{}` to itself joins nothing", a.value),
                    )
                    .with_hint("remove it"),
                );
            }
            for e in [a.value.as_str(), b.value.as_str()] {
                if end_set.insert(e) {
                    ends.push(e);
                }
            }
            links.push((index(&a.value), index(&b.value)));
        }
        vias.push(l.via.as_ref().and_then(|via| r.block(via)));
    }
    for t in [&n.from, &n.to].into_iter().flatten() {
        if !end_set.contains(t.value.as_str()) {
            r.sink.push(
                Diagnostic::error(
                    t.pos,
                    format!("terminal `{}` is not an end of any link", t.value),
                )
                .maybe_hint(did_you_mean(&t.value, ends.iter().copied())),
            );
        }
    }
    if let (Some(a), Some(b)) = (&n.from, &n.to)
        && a.value == b.value
    {
        r.sink.push(
            Diagnostic::error(
                b.pos,
                "`from` and `to` are the same node: the network would always be up",
            )
            .with_hint("name two different nodes"),
        );
    }
    if r.sink.items.len() > before || links.len() != n.links.len() {
        return None;
    }
    Some(Network {
        graph: Graph {
            nodes,
            source,
            target,
            links,
            directed: n.directed.as_ref().is_some_and(|d| d.value),
        },
        links: vias.into_iter().collect::<Option<_>>()?,
    })
}
