//! The block diagram as SVG, drawn from the compiled structure: series left to right,
//! parallel and k-of-n stacked between two rails (labelled "2 of 3"), copies drawn once as a
//! stack, Markov-backed blocks marked, every box and group annotated with its availability.
//!
//! Named blocks collapse into a box of their own inside the diagram that uses them and get a
//! diagram of their own below, so a model of hundreds of components stays legible. A diagram
//! with too many boxes is drawn to a shallower depth, deeper groups collapsing into summary
//! boxes.

use super::text::{Tenths, shorten, xml_escape};
use crate::analysis::Analysis;
use crate::compile::{NodeId, NodeKind};
use crate::units;
use std::fmt::Write;

/// Most boxes in one diagram before deeper groups collapse.
pub const MAX_BOXES: usize = 300;

const FONT: f64 = 12.0;
const CHAR_W: f64 = 7.0;
const BOX_H: f64 = 40.0;
const GAP: f64 = 18.0;
const RAIL: f64 = 22.0;
const CAPTION_H: f64 = 20.0;
/// A series wider than this is wrapped onto several rows, each row's end joined to the next
/// row's start, so that a long chain reads without scrolling sideways.
const MAX_ROW_W: f64 = 940.0;
/// Room on each side of a wrapped series for the lines between rows.
const WRAP_MARGIN: f64 = 12.0;

/// The rows of a series of parts with these widths: as many parts per row as fit in
/// [`MAX_ROW_W`] (at least one), as index ranges.
fn wrap_rows(widths: &[f64]) -> Vec<std::ops::Range<usize>> {
    let total = widths.iter().sum::<f64>() + GAP * widths.len().saturating_sub(1) as f64;
    if total <= MAX_ROW_W {
        return std::iter::once(0..widths.len()).collect();
    }
    let inner = MAX_ROW_W - 2.0 * WRAP_MARGIN;
    let mut rows = Vec::new();
    let (mut start, mut used) = (0, 0.0);
    for (i, &w) in widths.iter().enumerate() {
        if i > start && used + GAP + w > inner {
            rows.push(start..i);
            start = i;
            used = w;
        } else {
            used += if i > start { GAP + w } else { w };
        }
    }
    rows.push(start..widths.len());
    rows
}
const MAX_NAME: usize = 26;

#[derive(Debug, Clone, Copy, PartialEq)]
enum BoxKind {
    Component,
    NamedBlock,
    Markov,
    Unit,
    Summary,
}

#[derive(Debug, Clone)]
enum Shape {
    Box {
        title: String,
        subtitle: String,
        kind: BoxKind,
        stacked: u64,
        tooltip: String,
    },
    Series {
        caption: Option<String>,
        children: Vec<Shape>,
    },
    Stack {
        caption: String,
        children: Vec<Shape>,
    },
    Group {
        caption: String,
        inner: Box<Shape>,
        stacked: u64,
    },
    /// A network block drawn as its graph.
    Network(Box<NetworkShape>),
}

/// A network block's graph, laid out in columns (source first, target last).
#[derive(Debug, Clone)]
struct NetworkShape {
    caption: String,
    /// Name, column, row of each node.
    nodes: Vec<(String, usize, usize)>,
    source: usize,
    target: usize,
    /// From, to, label drawn beside the link (small networks only), tooltip.
    links: Vec<(usize, usize, Option<String>, String)>,
    directed: bool,
    /// Left edge and width of each column.
    columns: Vec<(f64, f64)>,
    rows: usize,
}

/// Height of a row of network nodes, and of a node's pill.
const NET_ROW_H: f64 = 48.0;
const NET_NODE_H: f64 = 24.0;
/// Networks with more links than this show link labels as tooltips only.
const NET_MAX_LABELLED_LINKS: usize = 24;
const NET_MAX_LINK_LABEL: usize = 14;

impl NetworkShape {
    fn size(&self) -> (f64, f64) {
        let w = self.columns.last().map_or(0.0, |&(x, w)| x + w);
        (
            w.max(caption_width(&self.caption)),
            CAPTION_H + self.rows as f64 * NET_ROW_H,
        )
    }

    /// Centre and half width of node `i`'s pill, the shape's corner at (x, y).
    fn node_at(&self, i: usize, x: f64, y: f64) -> (f64, f64, f64) {
        let (name, col, row) = &self.nodes[i];
        let (left, width) = self.columns[*col];
        (
            x + left + width / 2.0,
            y + CAPTION_H + (*row as f64 + 0.5) * NET_ROW_H,
            pill_width(name) / 2.0,
        )
    }

    fn draw(&self, x: f64, y: f64, out: &mut String) -> (f64, f64) {
        caption_text(x + 2.0, y + 11.0, &self.caption, out);
        for (a, b, label, tooltip) in &self.links {
            let (ax, ay, aw) = self.node_at(*a, x, y);
            let (bx, by, bw) = self.node_at(*b, x, y);
            // From pill edge to pill edge.
            let (x1, y1) = pill_edge(ax, ay, aw, bx, by);
            let (x2, y2) = pill_edge(bx, by, bw, ax, ay);
            let _ = write!(
                out,
                "<g class=\"link\"><title>{}</title>",
                xml_escape(tooltip)
            );
            line(x1, y1, x2, y2, out);
            if self.directed {
                arrowhead(x1, y1, x2, y2, out);
            }
            if let Some(l) = label {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"{:.0}\" fill=\"#444\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                    (x1 + x2) / 2.0,
                    (y1 + y2) / 2.0 + 3.0,
                    FONT - 3.0,
                    xml_escape(l)
                );
            }
            out.push_str("</g>");
        }
        for (i, (name, _, _)) in self.nodes.iter().enumerate() {
            let (cx, cy, hw) = self.node_at(i, x, y);
            let terminal = i == self.source || i == self.target;
            let (fill, stroke) = if terminal {
                ("#fff4d6", "#a07800")
            } else {
                ("#ffffff", "#555555")
            };
            let _ = write!(
                out,
                "<g class=\"net-node\"><title>network node {}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{NET_NODE_H}\" rx=\"12\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.2\"/><text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"{:.0}\">{}</text></g>",
                xml_escape(name),
                cx - hw,
                cy - NET_NODE_H / 2.0,
                2.0 * hw,
                cy + 4.0,
                FONT - 1.0,
                xml_escape(name)
            );
        }
        let (_, sy, _) = self.node_at(self.source, x, y);
        let (_, ty, _) = self.node_at(self.target, x, y);
        (sy, ty)
    }
}

/// Width of a network node's pill.
fn pill_width(name: &str) -> f64 {
    (name.chars().count() as f64 * CHAR_W + 16.0).max(36.0)
}

/// Where the line from a pill's centre (cx, cy) towards (tx, ty) leaves the pill's box.
fn pill_edge(cx: f64, cy: f64, half_w: f64, tx: f64, ty: f64) -> (f64, f64) {
    let (dx, dy) = (tx - cx, ty - cy);
    let sx = if dx.abs() > 1e-9 {
        half_w / dx.abs()
    } else {
        f64::INFINITY
    };
    let sy = if dy.abs() > 1e-9 {
        (NET_NODE_H / 2.0) / dy.abs()
    } else {
        f64::INFINITY
    };
    let s = sx.min(sy).min(1.0);
    (cx + dx * s, cy + dy * s)
}

/// A small filled arrowhead at (x2, y2), pointing along the line from (x1, y1).
fn arrowhead(x1: f64, y1: f64, x2: f64, y2: f64, out: &mut String) {
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-9 {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (x2 - 8.0 * ux, y2 - 8.0 * uy);
    let _ = write!(
        out,
        "<polygon points=\"{x2:.1},{y2:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"#555\"/>",
        bx - 4.0 * uy,
        by + 4.0 * ux,
        bx + 4.0 * uy,
        by - 4.0 * ux
    );
}

impl Shape {
    fn size(&self) -> (f64, f64) {
        match self {
            Shape::Box {
                title,
                subtitle,
                stacked,
                ..
            } => {
                let w =
                    (title.chars().count().max(subtitle.chars().count()) as f64) * CHAR_W + 20.0;
                let extra = if *stacked > 1 { 8.0 } else { 0.0 };
                (w.max(70.0) + extra, BOX_H + extra)
            }
            Shape::Series { caption, children } => {
                let sizes: Vec<(f64, f64)> = children.iter().map(Shape::size).collect();
                let widths: Vec<f64> = sizes.iter().map(|s| s.0).collect();
                let rows = wrap_rows(&widths);
                let margin = if rows.len() > 1 { WRAP_MARGIN } else { 0.0 };
                let row_w = |r: &std::ops::Range<usize>| {
                    widths[r.clone()].iter().sum::<f64>() + GAP * (r.len() - 1) as f64
                };
                let row_h = |r: &std::ops::Range<usize>| {
                    sizes[r.clone()].iter().map(|s| s.1).fold(0.0, f64::max)
                };
                let w = (rows.iter().map(row_w).fold(0.0, f64::max) + 2.0 * margin)
                    .max(caption.as_ref().map_or(0.0, |c| caption_width(c)));
                let h = rows.iter().map(row_h).sum::<f64>() + GAP * (rows.len() - 1) as f64;
                let cap = caption.as_ref().map_or(0.0, |_| CAPTION_H);
                (w, h + cap)
            }
            Shape::Stack { caption, children } => {
                let w = (children.iter().map(|c| c.size().0).fold(0.0, f64::max) + 2.0 * RAIL)
                    .max(caption_width(caption));
                let h: f64 = children.iter().map(|c| c.size().1).sum::<f64>()
                    + GAP * (children.len().saturating_sub(1)) as f64;
                (w, h + CAPTION_H)
            }
            Shape::Group {
                caption,
                inner,
                stacked,
            } => {
                let (w, h) = inner.size();
                let extra = if *stacked > 1 { 8.0 } else { 0.0 };
                (
                    (w + 20.0).max(caption_width(caption) + 16.0) + extra,
                    h + CAPTION_H + 16.0 + extra,
                )
            }
            Shape::Network(net) => net.size(),
        }
    }

    fn boxes(&self) -> usize {
        match self {
            Shape::Box { .. } => 1,
            Shape::Series { children, .. } | Shape::Stack { children, .. } => {
                children.iter().map(Shape::boxes).sum()
            }
            Shape::Group { inner, .. } => inner.boxes(),
            Shape::Network(net) => net.nodes.len(),
        }
    }

    /// Draws the shape with its top-left corner at (x, y); returns the heights at which
    /// lines enter it (on the left) and leave it (on the right).
    fn draw(&self, x: f64, y: f64, out: &mut String) -> (f64, f64) {
        let (w, h) = self.size();
        match self {
            Shape::Box {
                title,
                subtitle,
                kind,
                stacked,
                tooltip,
            } => {
                let (fill, stroke, dash) = match kind {
                    BoxKind::Component => ("#e8f1fb", "#2f6db5", ""),
                    BoxKind::Unit => ("#fdf3e3", "#b5772f", " stroke-dasharray=\"2 2\""),
                    BoxKind::NamedBlock => ("#eeeeee", "#333333", ""),
                    BoxKind::Markov => ("#f1e8fb", "#6b2fb5", " stroke-dasharray=\"6 3\""),
                    BoxKind::Summary => ("#f6f6f6", "#777777", " stroke-dasharray=\"1 3\""),
                };
                let bw = w - if *stacked > 1 { 8.0 } else { 0.0 };
                let (bx, by) = (x, y + if *stacked > 1 { 8.0 } else { 0.0 });
                let _ = write!(
                    out,
                    "<g class=\"box {}\"><title>{}</title>",
                    kind_class(*kind),
                    xml_escape(tooltip)
                );
                if *stacked > 1 {
                    copies_behind(
                        bx,
                        by,
                        bw,
                        BOX_H,
                        5.0,
                        &format!("fill=\"{fill}\" stroke=\"{stroke}\"{dash}"),
                        out,
                    );
                }
                let width = if *kind == BoxKind::NamedBlock {
                    2.5
                } else {
                    1.2
                };
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BOX_H}\" rx=\"5\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{width}\"{dash}/>",
                    Tenths(bx),
                    Tenths(by),
                    Tenths(bw)
                );
                let weight = if *kind == BoxKind::NamedBlock {
                    " font-weight=\"bold\""
                } else {
                    ""
                };
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{FONT}\"{weight}>{}</text>",
                    Tenths(bx + bw / 2.0),
                    Tenths(by + 16.0),
                    xml_escape(title)
                );
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{:.0}\" fill=\"#444\">{}</text></g>",
                    Tenths(bx + bw / 2.0),
                    Tenths(by + 32.0),
                    FONT - 2.0,
                    xml_escape(subtitle)
                );
                (by + BOX_H / 2.0, by + BOX_H / 2.0)
            }
            Shape::Series { caption, children } => {
                let mut cy = y;
                if let Some(c) = caption {
                    caption_text(x, y + 11.0, c, out);
                    cy += CAPTION_H;
                }
                let sizes: Vec<(f64, f64)> = children.iter().map(Shape::size).collect();
                let rows = wrap_rows(&sizes.iter().map(|s| s.0).collect::<Vec<_>>());
                let margin = if rows.len() > 1 { WRAP_MARGIN } else { 0.0 };
                let mut last: Option<(f64, f64)> = None;
                let (mut entry, mut exit) = (cy, cy);
                for (r, row) in rows.iter().enumerate() {
                    let row_h = sizes[row.clone()].iter().map(|s| s.1).fold(0.0, f64::max);
                    let mid = cy + row_h / 2.0;
                    let mut cx = x + margin;
                    for i in row.clone() {
                        let (cw, ch) = sizes[i];
                        let (cin, cout) = children[i].draw(cx, mid - ch / 2.0, out);
                        if i == 0 {
                            entry = cin;
                        }
                        match last {
                            // The previous row's end: out to the right margin, down into the
                            // gap between the rows, back to the left margin, down and in.
                            Some((lx, ly)) if i == row.start => {
                                let gap_y = cy - GAP / 2.0;
                                let (right, left) = (x + w - margin / 2.0, x + margin / 2.0);
                                let [lx, ly, right, gap_y, left, cin, cx] =
                                    [lx, ly, right, gap_y, left, cin, cx].map(Tenths);
                                let _ = write!(
                                    out,
                                    "<polyline points=\"{lx},{ly} {right},{ly} {right},{gap_y} {left},{gap_y} {left},{cin} {cx},{cin}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\"/>"
                                );
                            }
                            Some((lx, ly)) => elbow(lx, ly, cx, cin, out),
                            None => {}
                        }
                        last = Some((cx + cw, cout));
                        exit = cout;
                        cx += cw + GAP;
                    }
                    // A wrapped series is entered and left at its edges.
                    if r == 0 && margin > 0.0 {
                        line(x, entry, x + margin, entry, out);
                    }
                    cy += row_h + GAP;
                }
                if margin > 0.0
                    && let Some((lx, ly)) = last
                {
                    line(lx, ly, x + w, ly, out);
                }
                (entry, exit)
            }
            Shape::Stack { caption, children } => {
                caption_text(x + 2.0, y + 11.0, caption, out);
                let top = y + CAPTION_H;
                let mid = top + (h - CAPTION_H) / 2.0;
                let (left, right) = (x + 6.0, x + w - 6.0);
                let mut cy = top;
                let (mut lo, mut hi) = (mid, mid);
                for c in children {
                    let (cw, ch) = c.size();
                    let cx = x + RAIL + (w - 2.0 * RAIL - cw) / 2.0;
                    let (cin, cout) = c.draw(cx, cy, out);
                    line(left, cin, cx, cin, out);
                    line(cx + cw, cout, right, cout, out);
                    lo = lo.min(cin).min(cout);
                    hi = hi.max(cin).max(cout);
                    cy += ch + GAP;
                }
                line(left, lo, left, hi, out);
                line(right, lo, right, hi, out);
                line(x, mid, left, mid, out);
                line(right, mid, x + w, mid, out);
                (mid, mid)
            }
            Shape::Group {
                caption,
                inner,
                stacked,
            } => {
                let extra = if *stacked > 1 { 8.0 } else { 0.0 };
                let (gx, gy, gw, gh) = (x, y + extra, w - extra, h - extra);
                if *stacked > 1 {
                    copies_behind(gx, gy, gw, gh, 8.0, "fill=\"#fafafa\" stroke=\"#999\"", out);
                }
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"#fafafa\" stroke=\"#999\"/>",
                    Tenths(gx),
                    Tenths(gy),
                    Tenths(gw),
                    Tenths(gh)
                );
                caption_text(gx + 8.0, gy + 13.0, caption, out);
                let (iw, _) = inner.size();
                let ix = gx + (gw - iw) / 2.0;
                let (cin, cout) = inner.draw(ix, gy + CAPTION_H + 8.0, out);
                // Lines cross the group's border to reach its content.
                line(gx, cin, ix, cin, out);
                line(ix + iw, cout, gx + gw, cout, out);
                (cin, cout)
            }
            Shape::Network(net) => net.draw(x, y, out),
        }
    }
}

fn kind_class(k: BoxKind) -> &'static str {
    match k {
        BoxKind::Component => "component",
        BoxKind::NamedBlock => "named",
        BoxKind::Markov => "markov",
        BoxKind::Unit => "unit",
        BoxKind::Summary => "summary",
    }
}

fn caption_text(x: f64, y: f64, text: &str, out: &mut String) {
    let (x, y) = (Tenths(x), Tenths(y));
    let _ = write!(
        out,
        "<text x=\"{x}\" y=\"{y}\" font-size=\"{:.0}\" fill=\"#555\">{}</text>",
        FONT - 1.0,
        xml_escape(text)
    );
}

/// Two offset outlines behind a shape, drawn first, to show that it stands for copies.
fn copies_behind(x: f64, y: f64, w: f64, h: f64, rx: f64, paint: &str, out: &mut String) {
    for k in [2.0, 1.0] {
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{rx}\" {paint}/>",
            Tenths(x + 4.0 * k),
            Tenths(y - 4.0 * k),
            Tenths(w),
            Tenths(h)
        );
    }
}

/// Width of a caption's text.
fn caption_width(text: &str) -> f64 {
    text.chars().count() as f64 * 6.4 + 6.0
}

/// A connector from (x1, y1) to (x2, y2): straight when level, else a right-angled elbow.
fn elbow(x1: f64, y1: f64, x2: f64, y2: f64, out: &mut String) {
    if (y1 - y2).abs() < 0.5 {
        line(x1, y1, x2, y2, out);
    } else {
        let xm = Tenths((x1 + x2) / 2.0);
        let (x1, y1, x2, y2) = (Tenths(x1), Tenths(y1), Tenths(x2), Tenths(y2));
        let _ = write!(
            out,
            "<polyline points=\"{x1},{y1} {xm},{y1} {xm},{y2} {x2},{y2}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\"/>"
        );
    }
}

fn line(x1: f64, y1: f64, x2: f64, y2: f64, out: &mut String) {
    let (x1, y1, x2, y2) = (Tenths(x1), Tenths(y1), Tenths(x2), Tenths(y2));
    let _ = write!(
        out,
        "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"#555\" stroke-width=\"1.2\"/>"
    );
}

/// The deepest nesting at which a drawing (built by `build` for a depth limit, returning the
/// drawing and its number of boxes) has at most `max_boxes` boxes: everything when it fits,
/// else from `first_limit` levels down to one. Returns the drawing and whether it was cut.
pub fn fit_depth<T>(
    max_boxes: usize,
    first_limit: usize,
    mut build: impl FnMut(usize) -> (T, usize),
) -> (T, bool) {
    let mut limit = usize::MAX;
    loop {
        let (drawing, boxes) = build(limit);
        if boxes <= max_boxes || limit <= 1 {
            return (drawing, limit != usize::MAX);
        }
        limit = if limit == usize::MAX {
            first_limit
        } else {
            limit - 1
        };
    }
}

struct Builder<'a> {
    a: &'a Analysis,
    depth_limit: usize,
    /// Named blocks met, to draw below.
    named: Vec<NodeId>,
}

impl Builder<'_> {
    fn avail(&self, id: NodeId) -> String {
        let v = self.a.solution.nodes[id].measures.avail;
        units::percent(v.p, v.q)
    }

    /// Whether the block is one box (a component, a unit, a Markov block, or a series of one
    /// such), which a diagram of its own would only frame.
    fn lone(&self, id: NodeId) -> bool {
        let nodes = &self.a.structure.nodes;
        match &nodes[id].kind {
            NodeKind::Series(c) if c.len() == 1 => nodes[c[0]].named.is_none() && self.lone(c[0]),
            k => k.children().is_empty(),
        }
    }

    fn shape(&mut self, id: NodeId, depth: usize, top: bool) -> Shape {
        let node = &self.a.structure.nodes[id];
        let avail = self.avail(id);
        let label = node.label.clone();
        let leaf = |subtitle: String, kind: BoxKind, tooltip: String| Shape::Box {
            title: shorten(&label, MAX_NAME),
            subtitle,
            kind,
            stacked: 1,
            tooltip,
        };
        // A named block that misses its promise (`slo:`) says so in its box.
        let missed =
            self.a.verdicts.iter().find(|v| {
                !v.met && node.named.is_some() && v.block.as_deref() == Some(label.as_str())
            });
        let promise = missed
            .and_then(|v| v.availability)
            .map(|p| units::percent_exact(p.p, p.q));
        // A named block that is one Markov block (or one component) is drawn as that box,
        // named: a diagram of its own would be a frame around one lone box.
        if node.named.is_some() && !top && matches!(node.kind, NodeKind::Markov(_)) {
            return leaf(
                match &promise {
                    Some(p) => format!("Markov · {avail} ✗ slo {p}"),
                    None => format!("Markov · {avail}"),
                },
                BoxKind::Markov,
                format!("named block {label}, solved as a Markov chain: availability {avail}"),
            );
        }
        if node.named.is_some() && !top && self.lone(id) {
            return leaf(
                match &promise {
                    Some(p) => format!("{avail} ✗ slo {p}"),
                    None => avail.clone(),
                },
                BoxKind::Component,
                format!("named block {label}: availability {avail}"),
            );
        }
        if node.named.is_some() && !top {
            if !self.named.contains(&id) {
                self.named.push(id);
            }
            return leaf(
                match &promise {
                    Some(p) => format!("{avail} ✗ slo {p} · ↓"),
                    None => format!("{avail} · block ↓"),
                },
                BoxKind::NamedBlock,
                match &promise {
                    Some(p) => format!(
                        "named block {label}: availability {avail}, below its promise (slo) of {p}; diagram below"
                    ),
                    None => format!("named block {label}: availability {avail}, diagram below"),
                },
            );
        }
        if depth >= self.depth_limit && !node.kind.children().is_empty() {
            return leaf(
                avail.clone(),
                BoxKind::Summary,
                format!("{label} (collapsed: the model is large): availability {avail}"),
            );
        }
        match &node.kind {
            NodeKind::Component(_) => leaf(
                avail.clone(),
                BoxKind::Component,
                format!("component {label}: availability {avail}"),
            ),
            NodeKind::Unit { .. } => leaf(
                avail.clone(),
                BoxKind::Unit,
                format!("{label}: availability {avail}"),
            ),
            NodeKind::Network {
                graph, children, ..
            } => self.network(graph, children, format!("{label} · {avail}")),
            NodeKind::Markov(_) => leaf(
                format!("Markov · {avail}"),
                BoxKind::Markov,
                format!("{label} (solved as a Markov chain): availability {avail}"),
            ),
            NodeKind::Series(children) => Shape::Series {
                caption: (!top).then(|| format!("series · {avail}")),
                children: self.parts(children, depth),
            },
            NodeKind::KofN { k, children } => Shape::Stack {
                caption: if *k == 1 {
                    format!("parallel · {avail}")
                } else {
                    format!("{k} of {} · {avail}", children.len())
                },
                children: self.parts(children, depth),
            },
            NodeKind::Copies { k, n, child } => {
                let inner = self.shape(*child, depth + 1, false);
                // "2 of 3 × web", never "2 of 3 ×" with nothing after it.
                let what = shorten(&self.a.structure.nodes[*child].label, MAX_NAME);
                let caption = if *k == 1 {
                    format!("parallel {n} × {what} · {avail}")
                } else {
                    format!("{k} of {n} × {what} · {avail}")
                };
                match inner {
                    Shape::Box {
                        title,
                        subtitle,
                        kind,
                        tooltip,
                        ..
                    } => Shape::Group {
                        caption,
                        inner: Box::new(Shape::Box {
                            title,
                            subtitle,
                            kind,
                            stacked: *n,
                            tooltip,
                        }),
                        stacked: 1,
                    },
                    other => Shape::Group {
                        caption,
                        inner: Box::new(other),
                        stacked: *n,
                    },
                }
            }
        }
    }
}

/// Parts drawn side by side in one block; past it, the least available and one box for the
/// rest (a k-of-n of 10,000 blocks drew a 580,000-pixel column, and a 900 KB Mermaid chart).
pub const MAX_PARTS_DRAWN: usize = 12;

/// Which parts of a block a drawing shows.
pub struct Shown {
    /// Indices into the block's parts, in their order.
    pub kept: Vec<usize>,
    /// Parts left out.
    pub hidden: usize,
    /// The availability every part left out reaches at least (the best of those kept).
    pub bound: String,
}

/// All of a block's parts, or past [`MAX_PARTS_DRAWN`] the least available but one: the
/// parts left out are each at least as available as the best of those drawn.
pub fn parts_shown(a: &Analysis, children: &[NodeId]) -> Shown {
    if children.len() <= MAX_PARTS_DRAWN {
        return Shown {
            kept: (0..children.len()).collect(),
            hidden: 0,
            bound: String::new(),
        };
    }
    let u = |c: NodeId| a.solution.nodes[c].measures.unavailability();
    let mut worst: Vec<usize> = (0..children.len()).collect();
    worst.sort_by(|&x, &y| u(children[y]).total_cmp(&u(children[x])).then(x.cmp(&y)));
    let mut kept = worst[..MAX_PARTS_DRAWN - 1].to_vec();
    kept.sort_unstable();
    let bound = kept
        .iter()
        .map(|&i| a.solution.nodes[children[i]].measures.avail)
        .max_by(|x, y| y.q.total_cmp(&x.q))
        .map_or_else(String::new, |v| units::percent(v.p, v.q));
    Shown {
        hidden: children.len() - kept.len(),
        kept,
        bound,
    }
}

impl Builder<'_> {
    /// The shapes of a block's parts: all of them, or the [`MAX_PARTS_DRAWN`] - 1 least
    /// available (in their order) and a box that counts the others.
    fn parts(&mut self, children: &[NodeId], depth: usize) -> Vec<Shape> {
        let shown = parts_shown(self.a, children);
        let mut shapes: Vec<Shape> = shown
            .kept
            .iter()
            .map(|&i| self.shape(children[i], depth + 1, false))
            .collect();
        if shown.hidden > 0 {
            let (hidden, bound) = (shown.hidden, shown.bound);
            shapes.push(Shape::Box {
                title: format!("… {hidden} more"),
                subtitle: format!("each ≥ {bound}"),
                kind: BoxKind::Summary,
                stacked: 1,
                tooltip: format!(
                    "{hidden} more parts, each at least as available as those drawn (≥ {bound}); hacalc solve --format json lists every one"
                ),
            });
        }
        shapes
    }

    /// A network block as its graph: nodes in columns, each link labelled with the block it
    /// is up with (named blocks among them get diagrams of their own below).
    fn network(&mut self, graph: &crate::model::Graph, links: &[NodeId], caption: String) -> Shape {
        let layout = super::network_layout::layout(graph);
        let nodes: Vec<(String, usize, usize)> = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(i, name)| (shorten(name, MAX_NAME), layout.column[i], layout.row[i]))
            .collect();
        let labelled = links.len() <= NET_MAX_LABELLED_LINKS;
        let mut label_w: f64 = 0.0;
        let links: Vec<(usize, usize, Option<String>, String)> = graph
            .links
            .iter()
            .zip(links)
            .map(|(&(a, b), &via)| {
                let node = &self.a.structure.nodes[via];
                if node.named.is_some() && !self.lone(via) && !self.named.contains(&via) {
                    self.named.push(via);
                }
                let avail = self.avail(via);
                let label = labelled.then(|| shorten(&node.label, NET_MAX_LINK_LABEL));
                if let Some(l) = &label {
                    label_w = label_w.max(caption_width(l));
                }
                let arrow = if graph.directed { "→" } else { "—" };
                let tooltip = format!(
                    "{} {arrow} {} via {}: availability {avail}",
                    graph.nodes[a as usize], graph.nodes[b as usize], node.label
                );
                (a as usize, b as usize, label, tooltip)
            })
            .collect();
        let gap = (label_w + 24.0).max(56.0);
        let mut columns = Vec::with_capacity(layout.columns);
        let mut left = 0.0;
        for c in 0..layout.columns {
            let w = nodes
                .iter()
                .filter(|n| n.1 == c)
                .map(|n| pill_width(&n.0))
                .fold(0.0, f64::max);
            columns.push((left, w));
            left += w + gap;
        }
        Shape::Network(Box::new(NetworkShape {
            caption,
            nodes,
            source: graph.source as usize,
            target: graph.target as usize,
            links,
            directed: graph.directed,
            columns,
            rows: layout.rows,
        }))
    }
}

/// One diagram: the SVG and the named blocks it refers to.
pub struct Diagram {
    pub title: String,
    pub svg: String,
    pub named: Vec<NodeId>,
    pub collapsed: bool,
}

/// The diagram of the block at `id` (the system root or a named block).
pub fn diagram(a: &Analysis, id: NodeId, standalone: bool) -> Diagram {
    let ((shape, named), collapsed) = fit_depth(MAX_BOXES, 12, |depth_limit| {
        let mut b = Builder {
            a,
            depth_limit,
            named: Vec::new(),
        };
        let s = b.shape(id, 0, true);
        let boxes = s.boxes();
        ((s, b.named), boxes)
    });
    let (w, h) = shape.size();
    let (width, height) = (w + 40.0, h + 40.0);
    let mut body = String::new();
    shape.draw(20.0, 20.0, &mut body);
    let xmlns = if standalone {
        " xmlns=\"http://www.w3.org/2000/svg\""
    } else {
        ""
    };
    let title = a.structure.nodes[id].label.clone();
    let svg = format!(
        "<svg{xmlns} class=\"diagram\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"system-ui, sans-serif\" role=\"img\" aria-label=\"block diagram of {}\">{body}</svg>",
        xml_escape(&title)
    );
    Diagram {
        title,
        svg,
        named,
        collapsed,
    }
}

/// The system's diagram and those of the named blocks it uses, breadth first, up to a total
/// box budget (a 100,000-component model gets its top levels).
pub fn all(a: &Analysis, budget: usize) -> (Vec<Diagram>, usize) {
    let mut out = vec![diagram(a, a.structure.root, false)];
    let mut queue: std::collections::VecDeque<NodeId> = out[0].named.iter().copied().collect();
    let mut seen: std::collections::HashSet<NodeId> = queue.iter().copied().collect();
    let mut used = out[0].svg.matches("<rect").count();
    let mut omitted = 0;
    while let Some(id) = queue.pop_front() {
        if used > budget {
            omitted += 1;
            continue;
        }
        let d = diagram(a, id, false);
        used += d.svg.matches("<rect").count();
        for &n in &d.named {
            if seen.insert(n) {
                queue.push_back(n);
            }
        }
        out.push(d);
    }
    (out, omitted)
}
