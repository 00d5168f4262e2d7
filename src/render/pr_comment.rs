//! `hacalc report --format markdown`: a short page for a pull-request comment: verdict,
//! headline table, top contributors, the diagram as Mermaid, and any warnings.

use super::headline::headline;
use super::report::{self, Stamp, contributors, environment, sha256_hex, template_error};
use super::{Exporter, Section, mermaid};
use crate::analysis::Analysis;
use crate::units;
use minijinja::context;
use minijinja::value::{Serde, Value};
use std::io;

/// Contributors listed in the comment.
const CONTRIBUTORS: usize = 10;

/// Cut sets listed in the comment.
const CUT_ROWS: usize = 10;

/// The cut-set table's context: rows, how many more, the order searched; or the reason
/// they were not computed. None when not asked for.
fn cut_sets(a: &Analysis) -> Option<Value> {
    let order = a.cut_sets.as_ref()?.as_ref().map_or(0, |c| c.max_order);
    Some(match super::cuts::rows(a, CUT_ROWS) {
        Ok((rows, more)) => context! {
            rows => rows
                .iter()
                .map(|r| context! {
                    order => r.order,
                    members => r.members.clone(),
                    probability => format!("{:.3e}", r.probability),
                    downtime => r.downtime.clone(),
                })
                .collect::<Vec<_>>(),
            more => more,
            order => order,
            error => Option::<String>::None,
        },
        Err(e) => {
            context! { rows => Vec::<Value>::new(), more => 0, order => order, error => Some(e) }
        }
    })
}

pub struct PrComment {
    pub stamp: Stamp,
}

impl Exporter for PrComment {
    fn sections(&self) -> &'static [Section] {
        &[
            Section::Headline,
            Section::Targets,
            Section::Components,
            Section::CutSets,
            Section::Warnings,
        ]
    }

    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
        let (mut contributors, _, _) = contributors(a);
        contributors.truncate(CONTRIBUTORS);
        let ctx = context! {
            name => a.solution.name.clone(),
            edits => a.edits.label(),
            served_rows => super::headline::served_rows(a),
            data_rows => Value::from(Serde(super::headline::durability_rows(a))),
            version => env!("CARGO_PKG_VERSION"),
            sha256 => sha256_hex(&a.source),
            generated => self.stamp.generated.clone(),
            per => units::duration(a.solution.horizon_hours),
            verdicts => Value::from(Serde(report::verdicts(a))),
            headline => Value::from(Serde(headline(a))),
            contributors => Value::from(Serde(&contributors)),
            mermaid => Value::from_safe_string(mermaid::flowchart(a)),
            warnings => report::warning_lines(a),
            spof => super::cuts::single_points(a)
                .iter()
                .map(|r| format!("{} alone takes the system down ({} per {})", r.members[0], r.downtime, units::duration(a.solution.horizon_hours)))
                .collect::<Vec<_>>(),
            cuts => cut_sets(a),
        };
        let page = environment()
            .get_template("report.md")
            .and_then(|t| t.render(ctx))
            .map_err(template_error)?;
        out.write_all(page.as_bytes())
    }
}
