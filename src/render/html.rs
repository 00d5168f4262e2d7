//! `hacalc report`: the self-contained HTML page for design reviews (inline CSS and SVG,
//! nothing fetched): verdict, headline, block diagrams, where the downtime comes from, the
//! tornado chart, every Markov block, U(t) and R(t), parameters, warnings and the source.

use super::headline::headline;
use super::report::{self, Stamp, contributors, environment, sha256_hex, template_error};
use super::{Exporter, Section, diagram, plot};
use crate::analysis::Analysis;
use crate::compile::NodeKind;
use crate::diagnostics::Pos;
use crate::units;
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Serialize;
use std::io;

/// Rows of the parameter table.
const PARAMETERS: usize = 500;
/// Boxes over all drawn diagrams.
const DIAGRAM_BUDGET: usize = 1500;
/// Model source shown in the appendix.
const SOURCE_LIMIT: usize = 200_000;
/// States listed with their probabilities per Markov block (the most likely first).
const LISTED_STATES: usize = 30;
/// Markov blocks drawn and listed; past it, those with the highest unavailability.
const MARKOV_SECTIONS: usize = 25;

pub struct Html {
    pub stamp: Stamp,
}

impl Exporter for Html {
    fn sections(&self) -> &'static [Section] {
        &[
            Section::Headline,
            Section::Targets,
            Section::Blocks,
            Section::Components,
            Section::MarkovBlocks,
            Section::OverTime,
            Section::Tornado,
            Section::Warnings,
            Section::CutSets,
        ]
    }

    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
        let (diagrams, omitted) = diagram::all(a, DIAGRAM_BUDGET);
        let diagrams: Vec<Value> = diagrams
            .into_iter()
            .map(|d| context! { title => d.title, svg => Value::from_safe_string(d.svg), collapsed => d.collapsed })
            .collect();
        let (contributors, chart_rows, more_contributors) = contributors(a);
        let (parameters, more_parameters) = parameters(a);
        let (source, source_truncated) = if a.source.len() > SOURCE_LIMIT {
            let mut end = SOURCE_LIMIT;
            while !a.source.is_char_boundary(end) {
                end -= 1;
            }
            (
                a.source[..end].to_string(),
                Some(format!("{:.1} MB", a.source.len() as f64 / 1e6)),
            )
        } else {
            (a.source.clone(), None)
        };
        let tornado_svg =
            plot::tornado::chart(&a.tornado, &units::duration(a.solution.horizon_hours));
        let (markov, more_markov) = markov_sections(a);
        let ctx = context! {
            name => a.solution.name.clone(),
            edits => a.edits.label(),
            description => a.model.description.clone(),
            version => env!("CARGO_PKG_VERSION"),
            file => a.file.clone(),
            sha256 => sha256_hex(&a.source),
            generated => self.stamp.generated.clone(),
            per => units::duration(a.solution.horizon_hours),
            verdicts => Value::from(Serde(report::verdicts(a))),
            headline => Value::from(Serde(headline(a))),
            diagrams => diagrams,
            has_network => a.structure.nodes.iter().any(|n| matches!(n.kind, NodeKind::Network { .. })),
            omitted_diagrams => omitted,
            downtime_chart => Value::from_safe_string(plot::downtime::chart(&chart_rows)),
            served_rows => super::headline::served_rows(a),
            data_rows => Value::from(Serde(super::headline::durability_rows(a))),
            uncertainty => super::headline::uncertainty_view(a).map(|u| Value::from(Serde(u))),
            uncertainty_chart => match &a.uncertainty {
                Some(Ok(u)) => Some(Value::from_safe_string(plot::uncertainty::chart(&u.sorted_unavailability, a.solution.horizon_hours))),
                _ => None,
            },
            served_chart => match &a.served {
                Some(Ok(s)) => Some(Value::from_safe_string(plot::served::chart(&s.distribution, a.solution.horizon_hours))),
                _ => None,
            },
            contributors => Value::from(Serde(&contributors)),
            more_contributors => more_contributors,
            tornado_chart => (!tornado_svg.is_empty()).then(|| Value::from_safe_string(tornado_svg)),
            markov => markov,
            more_markov => more_markov,
            teams => Value::from(Serde(&super::team_rows(a))),
            curves => curves(a),
            parameters => Value::from(Serde(&parameters)),
            more_parameters => more_parameters,
            warnings => report::warning_lines(a),
            cuts => cut_section(a),
            source => source,
            source_truncated => source_truncated,
        };
        let page = environment()
            .get_template("report.html")
            .and_then(|t| t.render(ctx))
            .map_err(template_error)?;
        out.write_all(page.as_bytes())
    }
}

#[derive(Serialize)]
struct Parameter {
    name: String,
    written: String,
    copies: String,
    availability: String,
    unavailability: String,
    mtbf: String,
    mttr: String,
}

#[derive(Serialize)]
struct StateRow {
    name: String,
    up: bool,
    p: String,
}

/// The parameters of each used component, as written (source text) and as normalised.
fn parameters(a: &Analysis) -> (Vec<Parameter>, usize) {
    let used: Vec<usize> = (0..a.model.components.len())
        .filter(|&i| a.solution.components[i].copies > 0.0)
        .collect();
    let more = used.len().saturating_sub(PARAMETERS);
    let text = |pos: Pos| {
        a.source
            .get(pos.offset as usize..(pos.offset + pos.len) as usize)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let rows = used
        .into_iter()
        .take(PARAMETERS)
        .map(|i| {
            let c = &a.model.components[i];
            let written: Vec<String> = c
                .written
                .iter()
                .map(|&(key, pos)| format!("{key}: {}", text(pos)))
                .collect();
            let r = &a.solution.components[i];
            Parameter {
                name: c.name.clone(),
                written: written.join(", "),
                copies: super::table::copies(r.copies),
                availability: units::percent(c.avail.p, c.avail.q),
                unavailability: format!("{:.3e}", c.avail.q),
                mtbf: c
                    .rates
                    .map_or_else(|| "—".to_string(), |r| units::duration(r.mtbf())),
                mttr: c
                    .rates
                    .map_or_else(|| "—".to_string(), |r| units::duration(r.mttr())),
            }
        })
        .collect();
    (rows, more)
}

/// The Markov blocks' sections, and how many more were left out: all of them in the
/// model's order when there are at most [`MARKOV_SECTIONS`], otherwise the most unavailable
/// first (10,000 state diagrams made a 79 MB page).
fn markov_sections(a: &Analysis) -> (Vec<Value>, usize) {
    let mut blocks: Vec<_> = a.markov_blocks().collect();
    let more = blocks.len().saturating_sub(MARKOV_SECTIONS);
    if more > 0 {
        blocks.sort_by(|x, y| {
            let u = |b: &(_, &crate::solve::ctmc::SteadyState, _)| b.1.measures.unavailability();
            u(y).total_cmp(&u(x))
        });
        blocks.truncate(MARKOV_SECTIONS);
    }
    let sections = blocks
        .into_iter()
        .map(|(block, s, node)| {
            let chain = &block.chain;
            let state_names = &block.names;
            let names: Vec<String> = if chain.states() <= plot::states::MAX_DRAWN {
                (0..chain.states()).map(|i| state_names.name(i)).collect()
            } else {
                Vec::new()
            };
            let grid = (0..chain.states())
                .map(|i| state_names.grid(i))
                .collect::<Option<Vec<_>>>();
            let diagram = plot::states::diagram(chain, &names, &s.pi, grid);
            let mut order: Vec<usize> = (0..s.pi.len()).collect();
            if s.pi.len() > LISTED_STATES {
                order.sort_by(|&x, &y| s.pi[y].total_cmp(&s.pi[x]));
            }
            let listed = order.len().min(LISTED_STATES);
            let probabilities: Vec<StateRow> = order[..listed]
                .iter()
                .map(|&i| StateRow {
                    name: state_names.name(i),
                    up: chain.up[i],
                    p: plot::states::probability_with(s.pi[i], 4),
                })
                .collect();
            let m = &s.measures;
            context! {
                name => node.label.clone(),
                line => node.pos.line,
                kind => block.spec.kind(),
                states => chain.states(),
                transitions => chain.transitions(),
                availability => units::percent(m.availability(), m.unavailability()),
                method => s.method.name(),
                residual => format!("{:.1e}", s.residual),
                diagram => diagram.map(Value::from_safe_string),
                probabilities => Value::from(Serde(&probabilities)),
                more_states => s.pi.len() - listed,
            }
        })
        .collect();
    (sections, more)
}

/// Cut sets shown: the ten most important, and the single points of failure.
const CUT_ROWS: usize = 10;

fn cut_section(a: &Analysis) -> Option<Value> {
    a.cut_sets.as_ref()?;
    let order = a
        .cut_sets
        .as_ref()
        .and_then(|c| c.as_ref().ok())
        .map_or(0, |c| c.max_order);
    Some(match super::cuts::rows(a, CUT_ROWS) {
        Ok((rows, more)) => {
            let rows: Vec<Value> = rows
                .iter()
                .map(|r| context! { order => r.order, members => r.members.clone(), probability => format!("{:.3e}", r.probability), downtime => r.downtime.clone() })
                .collect();
            let spof: Vec<Value> = super::cuts::single_points(a)
                .iter()
                .map(|r| context! { members => r.members.clone(), downtime => r.downtime.clone() })
                .collect();
            context! { rows => rows, more => more, spof => spof, order => order, error => Option::<String>::None }
        }
        Err(e) => {
            context! { rows => Vec::<Value>::new(), more => 0, spof => Vec::<Value>::new(), order => order, error => Some(e) }
        }
    })
}

/// U(t) and R(t) curves, or None when there is nothing to draw.
fn curves(a: &Analysis) -> Option<Value> {
    let t = a.over_time.as_ref()?;
    if t.points.len() < 2 {
        // Say why rather than leave the section out.
        return Some(context! {
            unavailability => "",
            reliability => "",
            mttf => t.mttf.map_or_else(|| "not computed".to_string(), units::duration),
            notes => t.notes.clone(),
        });
    }
    let u: Vec<(f64, f64)> = t
        .points
        .iter()
        .map(|p| (p.hours, p.unavailability))
        .collect();
    let r: Vec<(f64, f64)> = t
        .points
        .iter()
        .filter_map(|p| p.reliability.map(|r| (p.hours, r.0)))
        .collect();
    Some(context! {
        unavailability => Value::from_safe_string(plot::curves::chart(&u, "U(t): probability of being down", "U(t)", false)),
        reliability => Value::from_safe_string(plot::curves::chart(&r, "R(t): no failure yet", "R(t)", true)),
        mttf => t.mttf.map_or_else(|| "not computed".to_string(), units::duration),
        notes => t.notes.clone(),
    })
}
