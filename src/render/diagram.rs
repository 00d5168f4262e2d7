//! The block diagram as SVG, drawn from the compiled structure: series left to right,
//! parallel and k-of-n stacked between two rails (labelled "2 of 3"), copies drawn once as a
//! stack, Markov-backed blocks marked, every box and group annotated with its availability.
//!
//! Named blocks collapse into a box of their own inside the diagram that uses them and get a
//! diagram of their own below, so a model of hundreds of components stays legible. A diagram
//! with too many boxes is drawn to a shallower depth, deeper groups collapsing into summary
//! boxes.

use super::text::{shorten, xml_escape};
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
                let w: f64 = (children.iter().map(|c| c.size().0).sum::<f64>()
                    + GAP * (children.len().saturating_sub(1)) as f64)
                    .max(caption.as_ref().map_or(0.0, |c| caption_width(c)));
                let h = children.iter().map(|c| c.size().1).fold(0.0, f64::max);
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
        }
    }

    fn boxes(&self) -> usize {
        match self {
            Shape::Box { .. } => 1,
            Shape::Series { children, .. } | Shape::Stack { children, .. } => {
                children.iter().map(Shape::boxes).sum()
            }
            Shape::Group { inner, .. } => inner.boxes(),
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
                    "<rect x=\"{bx:.1}\" y=\"{by:.1}\" width=\"{bw:.1}\" height=\"{BOX_H}\" rx=\"5\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{width}\"{dash}/>"
                );
                let weight = if *kind == BoxKind::NamedBlock {
                    " font-weight=\"bold\""
                } else {
                    ""
                };
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"{FONT}\"{weight}>{}</text>",
                    bx + bw / 2.0,
                    by + 16.0,
                    xml_escape(title)
                );
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"{:.0}\" fill=\"#444\">{}</text></g>",
                    bx + bw / 2.0,
                    by + 32.0,
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
                let inner_h = h - (cy - y);
                let mid = cy + inner_h / 2.0;
                let mut cx = x;
                let mut last: Option<(f64, f64)> = None;
                let (mut entry, mut exit) = (mid, mid);
                for (i, c) in children.iter().enumerate() {
                    let (cw, ch) = c.size();
                    let (cin, cout) = c.draw(cx, mid - ch / 2.0, out);
                    if i == 0 {
                        entry = cin;
                    }
                    if let Some((lx, ly)) = last {
                        elbow(lx, ly, cx, cin, out);
                    }
                    last = Some((cx + cw, cout));
                    exit = cout;
                    cx += cw + GAP;
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
                    "<rect x=\"{gx:.1}\" y=\"{gy:.1}\" width=\"{gw:.1}\" height=\"{gh:.1}\" rx=\"8\" fill=\"#fafafa\" stroke=\"#999\"/>"
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
    let _ = write!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{:.0}\" fill=\"#555\">{}</text>",
        FONT - 1.0,
        xml_escape(text)
    );
}

/// Two offset outlines behind a shape, drawn first, to show that it stands for copies.
fn copies_behind(x: f64, y: f64, w: f64, h: f64, rx: f64, paint: &str, out: &mut String) {
    for k in [2.0, 1.0] {
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"{rx}\" {paint}/>",
            x + 4.0 * k,
            y - 4.0 * k
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
        let xm = (x1 + x2) / 2.0;
        let _ = write!(
            out,
            "<polyline points=\"{x1:.1},{y1:.1} {xm:.1},{y1:.1} {xm:.1},{y2:.1} {x2:.1},{y2:.1}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\"/>"
        );
    }
}

fn line(x1: f64, y1: f64, x2: f64, y2: f64, out: &mut String) {
    let _ = write!(
        out,
        "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"#555\" stroke-width=\"1.2\"/>"
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
        if node.named.is_some() && !top {
            if !self.named.contains(&id) {
                self.named.push(id);
            }
            return leaf(
                format!("{avail} · block ↓"),
                BoxKind::NamedBlock,
                format!("named block {label}: availability {avail}, diagram below"),
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
            NodeKind::Network { children, .. } => leaf(
                format!("network · {avail}"),
                BoxKind::Summary,
                format!(
                    "{label} with {} links: availability {avail}",
                    children.len()
                ),
            ),
            NodeKind::Markov(_) => leaf(
                format!("Markov · {avail}"),
                BoxKind::Markov,
                format!("{label} (solved as a Markov chain): availability {avail}"),
            ),
            NodeKind::Series(children) => Shape::Series {
                caption: (!top).then(|| format!("series · {avail}")),
                children: children
                    .iter()
                    .map(|&c| self.shape(c, depth + 1, false))
                    .collect(),
            },
            NodeKind::KofN { k, children } => Shape::Stack {
                caption: if *k == 1 {
                    format!("parallel · {avail}")
                } else {
                    format!("{k} of {} · {avail}", children.len())
                },
                children: children
                    .iter()
                    .map(|&c| self.shape(c, depth + 1, false))
                    .collect(),
            },
            NodeKind::Copies { k, n, child } => {
                let inner = self.shape(*child, depth + 1, false);
                let caption = if *k == 1 {
                    format!("parallel {n} × · {avail}")
                } else {
                    format!("{k} of {n} × · {avail}")
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
