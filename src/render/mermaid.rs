//! The block diagram as a Mermaid flowchart, which GitHub renders in Markdown: series as a
//! chain of boxes, parallel and k-of-n as a fan between a split and a join labelled "2 of 3"
//! (a few copies of a component drawn one box each), named blocks as subgraphs captioned with
//! their name (down to the depth that keeps the chart under [`MAX_NODES`] boxes, deeper ones
//! as boxes of their own), and Markov blocks as boxes of their own.

use super::diagram::fit_depth;
use crate::analysis::Analysis;
use crate::compile::{NodeId, NodeKind};
use crate::units;
use std::fmt::Write;

/// Most boxes before deeper groups collapse into summary boxes.
const MAX_NODES: usize = 120;

/// Copies of a component drawn one box each; more are one box "k of n × name".
const MAX_FAN: u64 = 5;

/// Escapes a label for a quoted Mermaid node label: Mermaid reads `#name;` entity codes, and
/// any markup characters or quotes must not reach the renderer as such.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

struct Flow<'a> {
    a: &'a Analysis,
    out: String,
    count: usize,
    depth_limit: usize,
}

impl Flow<'_> {
    fn id(&mut self) -> String {
        self.count += 1;
        format!("n{}", self.count)
    }

    fn label(&self, id: NodeId, prefix: &str) -> String {
        let node = &self.a.structure.nodes[id];
        let v = self.a.solution.nodes[id].measures.avail;
        escape(&format!(
            "{prefix}{} · {}",
            node.label,
            units::percent(v.p, v.q)
        ))
    }

    /// The join of a redundant group: "parallel · A" or "2 of 3 · A".
    fn group_label(&self, id: NodeId, k: usize, n: usize) -> String {
        let v = self.a.solution.nodes[id].measures.avail;
        let what = if k == 1 {
            "parallel".to_string()
        } else {
            format!("{k} of {n}")
        };
        escape(&format!("{what} · {}", units::percent(v.p, v.q)))
    }

    fn leaf(&mut self, label: String, shape: (&str, &str)) -> (String, String) {
        let id = self.id();
        let _ = writeln!(self.out, "  {id}{}\"{label}\"{}", shape.0, shape.1);
        (id.clone(), id)
    }

    /// Emits the block; returns its entry and exit node ids.
    /// The split and join points of a fan of n branches, the join labelled "k of n".
    fn fan(&mut self, id: NodeId, k: usize, n: usize) -> (String, String) {
        let split = self.id();
        let join = self.id();
        let _ = writeln!(self.out, "  {split}(( ))");
        let _ = writeln!(self.out, "  {join}((\"{}\"))", self.group_label(id, k, n));
        (split, join)
    }

    /// One branch of a fan: from the split to the part's entry, from its exit to the join.
    fn branch(&mut self, split: &str, (entry, exit): (String, String), join: &str) {
        let _ = writeln!(self.out, "  {split} --> {entry}");
        let _ = writeln!(self.out, "  {exit} --> {join}");
    }

    fn block(&mut self, id: NodeId, depth: usize, top: bool) -> (String, String) {
        let node = &self.a.structure.nodes[id];
        if node.named.is_some() && !top {
            // A named block that is one Markov block is one box: a frame around a lone box
            // would say nothing more.
            if matches!(node.kind, NodeKind::Markov(_)) {
                let l = self.label(id, "▣ Markov: ");
                return self.leaf(l, ("[/", "/]"));
            }
            if depth >= self.depth_limit || node.kind.children().is_empty() {
                let l = self.label(id, "▣ ");
                return self.leaf(l, ("[[", "]]"));
            }
            // Expanded as a subgraph captioned with its name and availability; the edges
            // join the subgraph itself, so that its own layout (left to right) is kept.
            let caption = self.label(id, "▣ ");
            let sub = self.id();
            let _ = writeln!(self.out, "  subgraph {sub}[\"{caption}\"]");
            let _ = writeln!(self.out, "  direction LR");
            self.block(id, depth + 1, true);
            self.out.push_str("  end\n");
            return (sub.clone(), sub);
        }
        if depth >= self.depth_limit && !node.kind.children().is_empty() {
            let l = self.label(id, "");
            return self.leaf(l, ("[", "]"));
        }
        match &node.kind {
            NodeKind::Component(_) | NodeKind::Unit { .. } => {
                let l = self.label(id, "");
                self.leaf(l, ("[", "]"))
            }
            NodeKind::Network {
                graph, children, ..
            } => self.network(id, graph, children),
            NodeKind::Markov(_) => {
                let l = self.label(id, "Markov: ");
                self.leaf(l, ("[/", "/]"))
            }
            NodeKind::Copies { k, n, child }
                if *n <= MAX_FAN
                    && matches!(
                        self.a.structure.nodes[*child].kind,
                        NodeKind::Component(_) | NodeKind::Unit { .. }
                    ) =>
            {
                // A few copies of a component: the fan itself, one box per copy.
                let (k, n, child) = (*k, *n, *child);
                let (split, join) = self.fan(id, k as usize, n as usize);
                for _ in 0..n {
                    let l = self.label(child, "");
                    let part = self.leaf(l, ("[", "]"));
                    self.branch(&split, part, &join);
                }
                (split, join)
            }
            NodeKind::Copies { k, n, child } => {
                let inner = &self.a.structure.nodes[*child];
                let v = self.a.solution.nodes[id].measures.avail;
                let l = escape(&format!(
                    "{k} of {n} × {} · {}",
                    inner.label,
                    units::percent(v.p, v.q)
                ));
                self.leaf(l, ("[", "]"))
            }
            NodeKind::Series(children) => {
                let shown = super::diagram::parts_shown(self.a, children);
                let mut parts: Vec<(String, String)> = shown
                    .kept
                    .iter()
                    .map(|&i| self.block(children[i], depth + 1, false))
                    .collect();
                if shown.hidden > 0 {
                    let l = escape(&format!(
                        "… {} more in series, each ≥ {}",
                        shown.hidden, shown.bound
                    ));
                    parts.push(self.leaf(l, ("[", "]")));
                }
                for w in parts.windows(2) {
                    let _ = writeln!(self.out, "  {} --> {}", w[0].1, w[1].0);
                }
                (parts[0].0.clone(), parts[parts.len() - 1].1.clone())
            }
            NodeKind::KofN { k, children } => {
                let (split, join) = self.fan(id, *k, children.len());
                let shown = super::diagram::parts_shown(self.a, children);
                for &i in &shown.kept {
                    let part = self.block(children[i], depth + 1, false);
                    self.branch(&split, part, &join);
                }
                if shown.hidden > 0 {
                    let l = escape(&format!("… {} more, each ≥ {}", shown.hidden, shown.bound));
                    let part = self.leaf(l, ("[", "]"));
                    self.branch(&split, part, &join);
                }
                (split, join)
            }
        }
    }
}

impl Flow<'_> {
    /// A network block expanded: one rounded node per network node (terminals as stadiums)
    /// inside a subgraph captioned with the block's availability, one edge per link labelled
    /// with the block it is up with. Entry at the source, exit at the target.
    fn network(
        &mut self,
        id: NodeId,
        graph: &crate::model::Graph,
        links: &[NodeId],
    ) -> (String, String) {
        let caption = self.label(id, "");
        let box_id = self.id();
        let _ = writeln!(self.out, "  subgraph {box_id}[\"{caption}\"]");
        let ids: Vec<String> = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let nid = self.id();
                let terminal = i == graph.source as usize || i == graph.target as usize;
                let (open, close) = if terminal { ("([", "])") } else { ("(", ")") };
                let _ = writeln!(self.out, "    {nid}{open}\"{}\"{close}", escape(name));
                nid
            })
            .collect();
        let arrow = if graph.directed { "-->" } else { "---" };
        for (&(a, b), &via) in graph.links.iter().zip(links) {
            let l = self.label(via, "");
            let _ = writeln!(
                self.out,
                "    {} {arrow}|\"{l}\"| {}",
                ids[a as usize], ids[b as usize]
            );
        }
        self.out.push_str("  end\n");
        (
            ids[graph.source as usize].clone(),
            ids[graph.target as usize].clone(),
        )
    }
}

/// A fenced Mermaid block of the system's diagram.
pub fn flowchart(a: &Analysis) -> String {
    let (out, _) = fit_depth(MAX_NODES, 8, |depth_limit| {
        let mut f = Flow {
            a,
            out: String::new(),
            count: 0,
            depth_limit,
        };
        f.block(a.structure.root, 0, true);
        (f.out, f.count)
    });
    format!("```mermaid\nflowchart LR\n{out}```\n")
}
