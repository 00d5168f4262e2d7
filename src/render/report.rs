//! `hacalc report`: a self-contained HTML report for design reviews, Markdown for pull
//! requests, or the block diagram alone as SVG.
//!
//! The pages are minijinja templates from `templates/` (compiled into the binary). HTML
//! templates escape automatically; the Markdown template escapes through a formatter of its
//! own, and undefined variables are errors, so a misspelt name fails a test instead of
//! printing nothing. SVG pieces are built here with every user-controlled string escaped and
//! passed to the templates as safe strings.

use super::{
    diagram, markdown, mermaid, plot, ranked_blocks, ranked_components, share, xml_escape,
};
use crate::Analysis;
use crate::check;
use crate::solve::sensitivity;
use crate::units::{self, MONTH_HOURS, YEAR_HOURS};
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, context};
use serde::Serialize;

const HTML_TEMPLATE: &str = include_str!("../../templates/report.html");
const MARKDOWN_TEMPLATE: &str = include_str!("../../templates/report.md");

/// Rows of the contributors table and chart.
const CONTRIBUTORS: usize = 20;
/// Components in the tornado chart.
const TORNADO: usize = 12;
/// Rows of the parameter table.
const PARAMETERS: usize = 500;
/// Boxes over all drawn diagrams.
const DIAGRAM_BUDGET: usize = 1500;
/// Model source shown in the appendix.
const SOURCE_LIMIT: usize = 200_000;

/// How a report is stamped.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// The time of generation to print (None: left out, for reports that can be diffed).
    pub generated: Option<String>,
}

impl ReportOptions {
    /// The current time, unless `--reproducible` or SOURCE_DATE_EPOCH asks to leave it out.
    pub fn from_environment(reproducible: bool) -> Self {
        let leave_out = reproducible || std::env::var_os("SOURCE_DATE_EPOCH").is_some();
        ReportOptions {
            generated: (!leave_out).then(|| {
                format!(
                    "generated {}",
                    humantime::format_rfc3339_seconds(std::time::SystemTime::now())
                )
            }),
        }
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // .html escapes as HTML by default; Markdown needs its own escaping, set before the
    // templates are added.
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".md") {
            AutoEscape::Custom("markdown".into())
        } else if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), AutoEscape::Custom(name) if name == "markdown")
            && !value.is_safe()
        {
            out.write_str(&markdown::escape(&value.to_string()))
                .map_err(|e| {
                    minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write")
                        .with_source(e)
                })
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env.add_template("report.html", HTML_TEMPLATE)
        .expect("the HTML template parses");
    env.add_template("report.md", MARKDOWN_TEMPLATE)
        .expect("the Markdown template parses");
    env
}

#[derive(Serialize)]
struct VerdictRow {
    met: bool,
    summary: String,
}

#[derive(Serialize)]
struct Headline {
    availability: String,
    nines: String,
    unavailability: String,
    downtime_year: String,
    downtime_month: String,
    horizon_note: Option<String>,
    failures_year: String,
    failures_month: String,
    failures_horizon: Option<String>,
    mtbf: String,
    mttr: String,
    unknown_note: Option<String>,
}

#[derive(Serialize)]
struct Contributor {
    name: String,
    copies: String,
    availability: String,
    saved: String,
    share: String,
    birnbaum: String,
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

fn headline(a: &Analysis) -> Headline {
    let s = &a.solution.system;
    let h = a.solution.horizon_hours;
    let unknown = || "unknown".to_string();
    let per_horizon = h != YEAR_HOURS && h != MONTH_HOURS;
    Headline {
        availability: units::percent(s.availability, s.unavailability),
        nines: units::nines(s.unavailability),
        unavailability: format!("{:.3e}", s.unavailability),
        downtime_year: units::duration(s.unavailability * YEAR_HOURS),
        downtime_month: units::duration(s.unavailability * MONTH_HOURS),
        horizon_note: per_horizon.then(|| format!("{} per {}", units::duration(s.unavailability * h), units::duration(h))),
        failures_year: s.frequency.map_or_else(unknown, |f| units::significant(f * YEAR_HOURS, 3)),
        failures_month: s.frequency.map_or_else(unknown, |f| units::significant(f * MONTH_HOURS, 3)),
        failures_horizon: per_horizon
            .then(|| s.frequency.map_or_else(unknown, |f| format!("{} per {}", units::significant(f * h, 3), units::duration(h)))),
        mtbf: s.mtbf().map_or_else(unknown, units::duration),
        mttr: s.mttr().map_or_else(unknown, units::duration),
        unknown_note: s.frequency.is_none().then(|| {
            "Failures, MTBF and mean outage are unknown: some components are known only by a static availability, which says nothing about how often or how long they fail.".to_string()
        }),
    }
}

/// The parts with the largest share of downtime: components and named blocks together.
fn contributors(a: &Analysis) -> (Vec<Contributor>, Vec<(String, f64, bool)>, usize) {
    /// A component or named block, as far as this table is concerned.
    struct Part<'a> {
        name: &'a str,
        occurrences: f64,
        measures: &'a crate::solve::Measures,
        saved: f64,
        birnbaum: f64,
        block: bool,
    }
    let h = a.solution.horizon_hours;
    let u = a.solution.system.unavailability;
    let components = ranked_components(a).into_iter().map(|c| Part {
        name: &c.name,
        occurrences: c.occurrences,
        measures: &c.measures,
        saved: c.unavailability_saved,
        birnbaum: c.birnbaum,
        block: false,
    });
    let blocks = ranked_blocks(a).into_iter().map(|b| Part {
        name: &b.name,
        occurrences: b.occurrences,
        measures: &b.measures,
        saved: b.unavailability_saved,
        birnbaum: b.birnbaum,
        block: true,
    });
    let mut rows: Vec<Part> = components.chain(blocks).collect();
    rows.sort_by(|x, y| y.saved.total_cmp(&x.saved));
    let more = rows.len().saturating_sub(CONTRIBUTORS);
    rows.truncate(CONTRIBUTORS);
    let table = rows
        .iter()
        .map(|p| Contributor {
            name: if p.block {
                format!("▣ {}", p.name)
            } else {
                p.name.to_string()
            },
            copies: format!("{}", p.occurrences),
            availability: units::percent(p.measures.availability, p.measures.unavailability),
            saved: units::duration(p.saved * h),
            share: format!("{}%", units::significant(share(p.saved, u) * 100.0, 3)),
            birnbaum: units::significant(p.birnbaum, 3),
        })
        .collect();
    let chart = rows
        .iter()
        .map(|p| (p.name.to_string(), share(p.saved, u), p.block))
        .collect();
    (table, chart, more)
}

/// The parameters of each used component, as written (source text) and as normalised.
fn parameters(a: &Analysis) -> (Vec<Parameter>, usize) {
    let used: Vec<usize> = (0..a.model.components.len())
        .filter(|&i| a.solution.components[i].occurrences > 0.0)
        .collect();
    let more = used.len().saturating_sub(PARAMETERS);
    let rows = used
        .into_iter()
        .take(PARAMETERS)
        .map(|i| {
            let c = &a.model.components[i];
            let spec = &a.model.component_specs[i];
            let text = |pos: crate::diagnostics::Pos| {
                a.source
                    .get(pos.offset..pos.offset + pos.len)
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            let mut written = Vec::new();
            let mut add = |key: &str, pos: Option<crate::diagnostics::Pos>| {
                if let Some(p) = pos {
                    written.push(format!("{key}: {}", text(p)));
                }
            };
            add("mtbf", spec.mtbf.as_ref().map(|l| l.pos));
            add("failure_rate", spec.failure_rate.as_ref().map(|l| l.pos));
            add("mttr", spec.mttr.as_ref().map(|l| l.pos));
            add("repair_rate", spec.repair_rate.as_ref().map(|l| l.pos));
            add("availability", spec.availability.as_ref().map(|l| l.pos));
            let r = &a.solution.components[i];
            Parameter {
                name: c.name.clone(),
                written: written.join(", "),
                copies: format!("{}", r.occurrences),
                availability: units::percent(c.availability, c.unavailability),
                unavailability: format!("{:.3e}", c.unavailability),
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

fn markov_sections(a: &Analysis) -> Vec<Value> {
    super::markov_blocks(a)
        .map(|(block, result, node)| {
            let s = &result.steady;
            let (chain, state_names) = block.spec.build();
            let names: Vec<String> = if chain.states() <= plot::states::MAX_DRAWN {
                (0..chain.states()).map(|i| state_names.name(i)).collect()
            } else {
                Vec::new()
            };
            let grid = (0..chain.states())
                .map(|i| state_names.grid(i))
                .collect::<Option<Vec<_>>>();
            let diagram = plot::states::diagram(&chain, &names, &s.pi, grid);
            let mut order: Vec<usize> = (0..s.pi.len()).collect();
            if s.pi.len() > 30 {
                order.sort_by(|&x, &y| s.pi[y].total_cmp(&s.pi[x]));
            }
            let listed = order.len().min(30);
            let probabilities: Vec<StateRow> = order[..listed]
                .iter()
                .map(|&i| StateRow {
                    name: state_names.name(i),
                    up: chain.up[i],
                    p: format!("{:.6e}", s.pi[i]),
                })
                .collect();
            context! {
                name => node.label.clone(),
                line => node.pos.line,
                kind => block.spec.kind(),
                states => result.states,
                transitions => result.transitions,
                availability => units::percent(s.availability, s.unavailability),
                method => s.method.name(),
                residual => format!("{:.1e}", s.residual),
                diagram => diagram.map(Value::from_safe_string),
                probabilities => Value::from(Serde(&probabilities)),
                more_states => s.pi.len() - listed,
            }
        })
        .collect()
}

/// U(t) and R(t) curves, or None when there is nothing to draw.
fn curves(a: &Analysis) -> Option<Value> {
    let s = &a.solution.system;
    let horizon = a.solution.horizon_hours;
    let points = if a.structure.nodes.len() > 20_000 {
        12
    } else {
        36
    };
    let (t0, t1) = (
        1.0 / 60.0,
        horizon
            .max(s.mtbf().unwrap_or(0.0) * 3.0)
            .min(100.0 * YEAR_HOURS),
    );
    let times: Vec<f64> = (0..points)
        .map(|i| t0 * (t1 / t0).powf(i as f64 / (points - 1) as f64))
        .collect();
    let t = a.transient(&times, &crate::Options::default());
    if t.points.len() < 2 {
        return None;
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

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn verdicts(a: &Analysis) -> Vec<VerdictRow> {
    check::evaluate(&a.solution, &a.model.targets)
        .into_iter()
        .map(|v| VerdictRow {
            met: v.met,
            summary: v.summary,
        })
        .collect()
}

/// The self-contained HTML report.
pub fn html(a: &Analysis, opts: &ReportOptions) -> Result<String, minijinja::Error> {
    let (diagrams, omitted) = diagram::all(a, DIAGRAM_BUDGET);
    let diagrams: Vec<Value> = diagrams
        .into_iter()
        .map(|d| context! { title => d.title, svg => Value::from_safe_string(d.svg), collapsed => d.collapsed })
        .collect();
    let (contributors, chart_rows, more_contributors) = contributors(a);
    let tornado = sensitivity::tornado(
        &a.model,
        &a.structure,
        &a.solution,
        &crate::Options::default().solver,
        TORNADO,
    );
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
    let warnings: Vec<String> = a
        .warnings
        .iter()
        .map(|w| format!("line {}: {}", w.pos.line, w.message))
        .collect();
    let tornado_svg = plot::tornado::chart(&tornado);
    let ctx = context! {
        name => a.solution.name.clone(),
        description => a.model.description.clone(),
        version => env!("CARGO_PKG_VERSION"),
        file => a.file.clone(),
        sha256 => sha256_hex(&a.source),
        generated => opts.generated.clone(),
        per => units::duration(a.solution.horizon_hours),
        verdicts => Value::from(Serde(verdicts(a))),
        headline => Value::from(Serde(headline(a))),
        diagrams => diagrams,
        omitted_diagrams => omitted,
        downtime_chart => Value::from_safe_string(plot::downtime::chart(&chart_rows)),
        contributors => Value::from(Serde(&contributors)),
        more_contributors => more_contributors,
        tornado_chart => (!tornado_svg.is_empty()).then(|| Value::from_safe_string(tornado_svg)),
        markov => markov_sections(a),
        curves => curves(a),
        parameters => Value::from(Serde(&parameters)),
        more_parameters => more_parameters,
        warnings => warnings,
        source => source,
        source_truncated => source_truncated,
    };
    environment().get_template("report.html")?.render(ctx)
}

/// The Markdown summary for pull requests: verdict, headline table, top contributors and
/// the diagram as Mermaid.
pub fn markdown_report(a: &Analysis, opts: &ReportOptions) -> Result<String, minijinja::Error> {
    let (mut contributors, _, _) = contributors(a);
    contributors.truncate(10);
    let ctx = context! {
        name => a.solution.name.clone(),
        version => env!("CARGO_PKG_VERSION"),
        sha256 => sha256_hex(&a.source),
        generated => opts.generated.clone(),
        per => units::duration(a.solution.horizon_hours),
        verdicts => Value::from(Serde(verdicts(a))),
        headline => Value::from(Serde(headline(a))),
        contributors => Value::from(Serde(&contributors)),
        mermaid => Value::from_safe_string(mermaid::flowchart(a)),
    };
    environment().get_template("report.md")?.render(ctx)
}

/// The system's block diagram alone, as a standalone SVG file.
pub fn svg(a: &Analysis) -> String {
    let d = diagram::diagram(a, a.structure.root, true);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- block diagram of {} made by hacalc -->\n{}\n",
        xml_escape(&d.title).replace("--", "- -"),
        d.svg
    )
}
