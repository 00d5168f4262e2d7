//! Block rules: names resolve, counts fit, dependent blocks have what they need, and named
//! blocks do not contain themselves.

use super::{Names, markov};
use crate::diagnostics::{Diagnostic, Pos, Sink, did_you_mean};
use crate::parse::model::{Block, KofNSpec, Located, Members, NetworkSpec, Parallel};
use std::collections::HashMap;

/// Calls `f` for every name a block refers to (components and named blocks), without
/// following named blocks.
pub fn for_each_ref<'a>(b: &'a Located<Block>, f: &mut impl FnMut(&'a str, Pos)) {
    match &b.value {
        Block::Ref(name) => f(name, b.pos),
        Block::Series(list) | Block::Parallel(Parallel::List(list)) => {
            list.iter().for_each(|x| for_each_ref(x, f))
        }
        Block::Parallel(Parallel::Copies(c)) => {
            if let Some(of) = &c.of {
                for_each_ref(of, f)
            }
        }
        Block::KofN(k) => match k.of.as_ref().map(|o| &o.value) {
            Some(Members::List(list)) => list.iter().for_each(|x| for_each_ref(x, f)),
            Some(Members::One(one)) => for_each_ref(one, f),
            None => {}
        },
        Block::Standby(s) => {
            if let Some(of) = &s.of {
                f(&of.value, of.pos)
            }
        }
        Block::Markov(_) | Block::Invalid => {}
        Block::Network(n) => n
            .links
            .iter()
            .filter_map(|l| l.via.as_ref())
            .for_each(|x| for_each_ref(x, f)),
    }
}

/// Checks one block tree (not following named blocks: each is checked where it is defined).
pub fn check(b: &Located<Block>, names: &Names, sink: &mut Sink) {
    match &b.value {
        Block::Ref(name) => check_name(name, b.pos, names, sink),
        Block::Series(list) | Block::Parallel(Parallel::List(list)) => {
            list.iter().for_each(|x| check(x, names, sink))
        }
        Block::Parallel(Parallel::Copies(c)) => {
            if let Some(of) = &c.of {
                check(of, names, sink);
            }
            if let Some(of) = &c.of {
                if c.crews.is_some() {
                    markov::rated_component(of, "shared repair (`crews`)", names, sink);
                } else if c.common_cause.is_some() {
                    markov::rated_component(of, "`common_cause`", names, sink);
                }
            }
        }
        Block::KofN(k) => check_k_of_n(k, names, sink),
        Block::Standby(s) => markov::standby(s, names, sink),
        Block::Markov(m) => markov::markov(m, sink),
        Block::Network(n) => check_network(n, names, sink),
        Block::Invalid => {}
    }
}

fn check_network(n: &NetworkSpec, names: &Names, sink: &mut Sink) {
    use crate::solve::network::MAX_LINKS;
    if n.links.is_empty() {
        sink.push(
            Diagnostic::error(n.pos, "a `network` needs at least one link")
                .with_hint("write `links: [{ from: a, to: b, via: block }]`"),
        );
        return;
    }
    if n.links.len() > MAX_LINKS {
        sink.push(
            Diagnostic::error(n.links[MAX_LINKS].pos, format!("a network of {} links is too large to enumerate exactly (at most {MAX_LINKS})", n.links.len()))
                .with_hint("split it into series-parallel parts and smaller networks, or group links into named blocks"),
        );
    }
    let mut ends: Vec<&str> = Vec::new();
    for l in &n.links {
        if let (Some(a), Some(b)) = (&l.from, &l.to) {
            if a.value == b.value {
                sink.push(
                    Diagnostic::error(
                        l.pos,
                        format!("a link from `{}` to itself joins nothing", a.value),
                    )
                    .with_hint("remove it"),
                );
            }
            for e in [a.value.as_str(), b.value.as_str()] {
                if !ends.contains(&e) {
                    ends.push(e);
                }
            }
        }
        if let Some(via) = &l.via {
            check(via, names, sink);
        }
    }
    for t in [&n.from, &n.to].into_iter().flatten() {
        if !ends.contains(&t.value.as_str()) {
            sink.push(
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
        sink.push(
            Diagnostic::error(
                b.pos,
                "`from` and `to` are the same node: the network would always be up",
            )
            .with_hint("name two different nodes"),
        );
    }
}

fn check_name(name: &str, pos: Pos, names: &Names, sink: &mut Sink) {
    if names.component_index.contains_key(name)
        || names.block_index.contains_key(name)
        || names.all_component_names.contains(&name)
    {
        return;
    }
    let candidates = names
        .all_component_names
        .iter()
        .copied()
        .chain(names.blocks.iter().map(|(n, _)| n.value.as_str()));
    let hint = did_you_mean(name, candidates).unwrap_or_else(|| {
        if Block::KINDS.contains(&name) {
            format!("`{name}` is a block kind: write `{name}: [...]` as a mapping")
        } else {
            "declare it under `components:` or `blocks:`".to_string()
        }
    });
    sink.push(
        Diagnostic::error(pos, format!("unknown component or block `{name}`")).with_hint(hint),
    );
}

fn check_k_of_n(k: &KofNSpec, names: &Names, sink: &mut Sink) {
    let (Some(kv), Some(of)) = (&k.k, &k.of) else {
        return;
    };
    let n = match &of.value {
        Members::List(list) => {
            list.iter().for_each(|x| check(x, names, sink));
            if let Some(n) = &k.n
                && n.value as usize != list.len()
            {
                sink.push(
                    Diagnostic::error(
                        n.pos,
                        format!("n is {} but `of` lists {} blocks", n.value, list.len()),
                    )
                    .with_hint("leave `n` out when `of` is a list; it is the length of the list"),
                );
            }
            for (key, pos) in [
                ("crews", k.crews.as_ref().map(|c| c.pos)),
                ("common_cause", k.common_cause.as_ref().map(|c| c.pos)),
            ] {
                if let Some(pos) = pos {
                    sink.push(
                        Diagnostic::error(pos, format!("`{key}` needs the copies form of k_of_n"))
                            .with_hint("write `k_of_n: { k: 2, n: 3, of: node, ... }` with one component as `of`"),
                    );
                }
            }
            Some(list.len() as u64)
        }
        Members::One(one) => {
            check(one, names, sink);
            if k.n.is_none() {
                sink.push(
                    Diagnostic::error(of.pos, "`k_of_n` of one block needs `n`, the number of copies")
                        .with_hint("write `k_of_n: { k: 2, n: 3, of: web }`, or list the members: `of: [a, b, c]`"),
                );
            }
            if k.crews.is_some() {
                markov::rated_component(one, "shared repair (`crews`)", names, sink);
            } else if k.common_cause.is_some() {
                markov::rated_component(one, "`common_cause`", names, sink);
            }
            k.n.as_ref().map(|n| n.value)
        }
    };
    if let Some(n) = n
        && kv.value > n
    {
        sink.push(
            Diagnostic::error(
                kv.pos,
                format!("k is {} but there are only {n} members", kv.value),
            )
            .with_hint("k counts how many members must be up; it cannot exceed n"),
        );
    }
}

/// Reports every named block that contains itself, at the reference that closes the cycle.
pub fn check_cycles(
    blocks: &[(Located<String>, Located<Block>)],
    index: &HashMap<String, usize>,
    sink: &mut Sink,
) {
    let edges: Vec<Vec<(usize, Pos)>> = blocks
        .iter()
        .map(|(_, b)| {
            let mut out = Vec::new();
            for_each_ref(b, &mut |name, pos| {
                if let Some(&j) = index.get(name) {
                    out.push((j, pos));
                }
            });
            out
        })
        .collect();
    // Iterative depth-first search: 0 = unseen, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; blocks.len()];
    for start in 0..blocks.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&(child, pos)) = edges[node].get(*next) {
                *next += 1;
                match state[child] {
                    0 => {
                        state[child] = 1;
                        stack.push((child, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|&(n, _)| n == child).unwrap_or(0);
                        let mut path: Vec<&str> = stack[from..]
                            .iter()
                            .map(|&(n, _)| blocks[n].0.value.as_str())
                            .collect();
                        path.push(&blocks[child].0.value);
                        sink.push(
                            Diagnostic::error(
                                pos,
                                format!(
                                    "named block `{}` contains itself: {}",
                                    blocks[child].0.value,
                                    path.join(" -> ")
                                ),
                            )
                            .with_hint(
                                "a block cannot be part of its own diagram; break the cycle",
                            ),
                        );
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
}
