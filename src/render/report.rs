//! What the pages of `hacalc report` share: the template environment, the stamp, the
//! contributors table and the verdict rows. The pages themselves are [`super::html`] (the
//! design-review report) and [`super::pr_comment`] (Markdown for a pull request).
//!
//! The pages are minijinja templates from `templates/` (compiled into the binary). HTML
//! templates escape automatically; the Markdown template escapes through a formatter of its
//! own, and undefined variables are errors, so a misspelt name fails a test instead of
//! printing nothing. SVG pieces are built with every user-controlled string escaped and
//! passed to the templates as safe strings.

use super::table::copies;
use super::text::{markdown_escape, printable};
use crate::analysis::Analysis;
use crate::units;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;
use std::io;

const HTML_TEMPLATE: &str = include_str!("../../templates/report.html");
const MARKDOWN_TEMPLATE: &str = include_str!("../../templates/report.md");
const DECISION_TEMPLATE: &str = include_str!("../../templates/decision.html");

/// Rows of the contributors table and chart.
pub const CONTRIBUTORS: usize = 20;

/// How a report is stamped.
#[derive(Debug, Clone, Default)]
pub struct Stamp {
    /// The time of generation to print (None: left out, for reports that can be diffed).
    pub generated: Option<String>,
}

impl Stamp {
    /// The current time, unless `--reproducible` or SOURCE_DATE_EPOCH asks to leave it out.
    pub fn from_environment(reproducible: bool) -> Self {
        let leave_out = reproducible || std::env::var_os("SOURCE_DATE_EPOCH").is_some();
        Stamp {
            generated: (!leave_out).then(|| {
                format!(
                    "generated {}",
                    humantime::format_rfc3339_seconds(std::time::SystemTime::now())
                )
            }),
        }
    }
}

pub fn environment() -> Environment<'static> {
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
            out.write_str(&markdown_escape(&value.to_string()))
                .map_err(|e| {
                    minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write")
                        .with_source(e)
                })
        } else if !value.is_safe() && value.as_str().is_some() {
            // Text that would not print as itself (a bidi override in a YAML comment shown in
            // the source appendix) is made visible before HTML escaping.
            let text = value.as_str().unwrap_or_default();
            let clean = minijinja::Value::from(printable(text).into_owned());
            minijinja::escape_formatter(out, state, &clean)
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env.add_template("report.html", HTML_TEMPLATE)
        .expect("the HTML template parses");
    env.add_template("report.md", MARKDOWN_TEMPLATE)
        .expect("the Markdown template parses");
    env.add_template("decision.html", DECISION_TEMPLATE)
        .expect("the decision template parses");
    env
}

/// A template's failure as an I/O error of the exporter.
pub fn template_error(e: minijinja::Error) -> io::Error {
    io::Error::other(format!("cannot render the report: {e}"))
}

#[derive(Serialize)]
pub struct VerdictRow {
    met: bool,
    summary: String,
    /// TARGET, or PROMISE for an `slo:`.
    what: &'static str,
}

pub fn verdicts(a: &Analysis) -> Vec<VerdictRow> {
    a.verdicts
        .iter()
        .map(|v| VerdictRow {
            met: v.met,
            summary: v.summary.clone(),
            what: if v.kind == crate::analysis::targets::TargetKind::Slo {
                "PROMISE"
            } else {
                "TARGET"
            },
        })
        .collect()
}

#[derive(Serialize)]
pub struct Contributor {
    name: String,
    copies: String,
    availability: String,
    saved: String,
    share: String,
    birnbaum: String,
}

/// A row of the downtime-share chart: name, share, whether it is a named block.
pub type ShareRow = (String, f64, bool);

/// The parts with the largest share of downtime, components and named blocks together: the
/// table rows, the chart rows, and how many more there are.
pub fn contributors(a: &Analysis) -> (Vec<Contributor>, Vec<ShareRow>, usize) {
    /// A component or named block, as far as this table is concerned.
    struct Part<'a> {
        name: &'a str,
        copies: f64,
        measures: &'a crate::solve::Measures,
        saved: f64,
        birnbaum: f64,
        block: bool,
    }
    let h = a.solution.horizon_hours;
    let components = a.ranked_components().into_iter().map(|c| Part {
        name: &c.name,
        copies: c.copies,
        measures: &c.measures,
        saved: c.unavailability_saved,
        birnbaum: c.birnbaum,
        block: false,
    });
    let blocks = a.ranked_blocks().into_iter().map(|b| Part {
        name: &b.name,
        copies: b.copies,
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
            copies: copies(p.copies),
            availability: units::percent(p.measures.availability(), p.measures.unavailability()),
            saved: units::duration(p.saved * h),
            share: format!("{}%", units::significant(a.share(p.saved) * 100.0, 3)),
            birnbaum: units::significant(p.birnbaum, 3),
        })
        .collect();
    let chart = rows
        .iter()
        .map(|p| (p.name.to_string(), a.share(p.saved), p.block))
        .collect();
    (table, chart, more)
}

pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Warnings as "line N: message", for the pages.
pub fn warning_lines(a: &Analysis) -> Vec<String> {
    a.warnings
        .iter()
        .map(|w| format!("line {}: {}", w.pos.line, w.message))
        .collect()
}
