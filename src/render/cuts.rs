//! `hacalc cuts`: the minimal cut sets (which combinations of failures take the system down),
//! single points of failure first, as a table, JSON or Markdown; and the rows the report pages
//! show.

use super::text::{markdown_escape, table};
use super::{Exporter, Section};
use crate::analysis::Analysis;
use crate::solve::cuts::{CutSet, CutSets};
use crate::units;
use serde::Serialize;
use std::io;

/// One cut set for people and programs.
#[derive(Debug, Clone, Serialize)]
pub struct CutRow {
    pub order: usize,
    pub members: Vec<String>,
    /// Probability that every member is down at once.
    pub probability: f64,
    /// Expected time per horizon with every member down.
    pub downtime_hours: f64,
    /// The same, as text.
    #[serde(skip)]
    pub downtime: String,
}

/// The cut sets of an analysis (None when not computed), the error when they failed.
pub fn rows(a: &Analysis, top: usize) -> Result<(Vec<CutRow>, usize), String> {
    let c = match &a.cut_sets {
        Some(Ok(c)) => c,
        Some(Err(e)) => return Err(e.clone()),
        None => return Ok((Vec::new(), 0)),
    };
    let shown = super::shown(c.sets.len(), top);
    let h = a.solution.horizon_hours;
    Ok((
        c.sets[..shown].iter().map(|s| row(c, s, h)).collect(),
        c.sets.len() - shown,
    ))
}

fn row(c: &CutSets, s: &CutSet, h: f64) -> CutRow {
    CutRow {
        order: s.members.len(),
        members: s
            .members
            .iter()
            .map(|&m| c.instances[m as usize].name.clone())
            .collect(),
        probability: s.probability,
        downtime_hours: s.probability * h,
        downtime: units::duration(s.probability * h),
    }
}

/// The single points of failure (cut sets of one member).
pub fn single_points(a: &Analysis) -> Vec<CutRow> {
    match &a.cut_sets {
        Some(Ok(c)) => {
            let h = a.solution.horizon_hours;
            c.sets
                .iter()
                .filter(|s| s.members.len() == 1)
                .map(|s| row(c, s, h))
                .collect()
        }
        _ => Vec::new(),
    }
}

pub struct CutsTable {
    pub top: usize,
}

impl Exporter for CutsTable {
    fn sections(&self) -> &'static [Section] {
        &[Section::CutSets]
    }

    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
        let (rows, more) = rows(a, self.top).map_err(io::Error::other)?;
        let order = a
            .cut_sets
            .as_ref()
            .and_then(|c| c.as_ref().ok())
            .map_or(0, |c| c.max_order);
        let total = rows.len() + more;
        let bound = if order == usize::MAX {
            "of any size".to_string()
        } else {
            format!("of at most {order}")
        };
        writeln!(
            out,
            "{}: {total} minimal cut set{} {bound} (per {})",
            a.solution.name,
            if total == 1 { "" } else { "s" },
            units::duration(a.solution.horizon_hours)
        )?;
        let mut t = table(&["#", "order", "fails together", "probability", "downtime"]);
        for (i, r) in rows.iter().enumerate() {
            t.add_row(vec![
                (i + 1).to_string(),
                r.order.to_string(),
                r.members.join(" + "),
                format!("{:.3e}", r.probability),
                r.downtime.clone(),
            ]);
        }
        writeln!(out, "{}", super::text::lines(&t))?;
        if more > 0 {
            writeln!(out, "... {more} more (--top 0 lists every one)")?;
        }
        if rows.iter().any(|r| r.order == 1) {
            writeln!(
                out,
                "Order 1 is a single point of failure: that part alone takes the system down."
            )?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct CutsJsonOut<'a> {
    name: &'a str,
    horizon_hours: f64,
    /// null: no bound.
    max_order: Option<usize>,
    count: usize,
    single_points_of_failure: Vec<&'a str>,
    cut_sets: &'a [CutRow],
}

pub struct CutsJson {
    pub top: usize,
}

impl Exporter for CutsJson {
    fn sections(&self) -> &'static [Section] {
        &[Section::CutSets]
    }

    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
        let (rows, more) = rows(a, self.top).map_err(io::Error::other)?;
        let max_order = a
            .cut_sets
            .as_ref()
            .and_then(|c| c.as_ref().ok())
            .map_or(0, |c| c.max_order);
        // Every single point of failure, however few rows --top shows.
        let spof_rows = single_points(a);
        let spof: Vec<&str> = spof_rows.iter().map(|r| r.members[0].as_str()).collect();
        let j = CutsJsonOut {
            name: &a.solution.name,
            horizon_hours: a.solution.horizon_hours,
            max_order: (max_order != usize::MAX).then_some(max_order),
            count: rows.len() + more,
            single_points_of_failure: spof,
            cut_sets: &rows,
        };
        super::write_json(&mut *out, &j)?;
        out.write_all(b"\n")
    }
}

pub struct CutsMarkdown {
    pub top: usize,
}

impl Exporter for CutsMarkdown {
    fn sections(&self) -> &'static [Section] {
        &[Section::CutSets]
    }

    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
        let (rows, more) = rows(a, self.top).map_err(io::Error::other)?;
        writeln!(
            out,
            "## Minimal cut sets of {}\n",
            markdown_escape(&a.solution.name)
        )?;
        writeln!(
            out,
            "| # | order | fails together | probability | downtime per {} |",
            units::duration(a.solution.horizon_hours)
        )?;
        writeln!(out, "|---:|---:|---|---:|---:|")?;
        for (i, r) in rows.iter().enumerate() {
            writeln!(
                out,
                "| {} | {} | {} | {:.3e} | {} |",
                i + 1,
                r.order,
                markdown_escape(&r.members.join(" + ")),
                r.probability,
                r.downtime
            )?;
        }
        if more > 0 {
            writeln!(out, "\n_{more} more not shown._")?;
        }
        Ok(())
    }
}
