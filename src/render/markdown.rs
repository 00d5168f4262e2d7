//! `solve --format markdown`: the results as GitHub-flavoured Markdown tables, for pull
//! requests and job summaries.

use super::headline::headline;
use super::table::share_percent;
use super::text::markdown_escape as escape;
use super::{Exporter, Section};
use crate::analysis::Analysis;
use crate::units;
use std::fmt::Write as _;
use std::io;

/// Markdown tables; `top` limits the rows of the ranked tables (0: all).
pub struct Markdown {
    pub top: usize,
}

impl Exporter for Markdown {
    fn sections(&self) -> &'static [Section] {
        &[
            Section::Headline,
            Section::Targets,
            Section::Blocks,
            Section::Components,
            Section::MarkovBlocks,
            Section::OverTime,
            Section::Warnings,
        ]
    }

    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(render(a, self.top).as_bytes())
    }
}

fn render(a: &Analysis, top: usize) -> String {
    let s = &a.solution;
    let h = s.horizon_hours;
    let head = headline(a);
    let per = &head.per;
    let mut out = format!("## Availability of {}\n\n", escape(&s.name));
    for v in &a.verdicts {
        let _ = writeln!(
            out,
            "- **{}** {}",
            if v.met { "PASS" } else { "FAIL" },
            escape(&v.summary)
        );
    }
    if !a.verdicts.is_empty() {
        out.push('\n');
    }
    out.push_str("| measure | value |\n|---|---|\n");
    let _ = writeln!(
        out,
        "| availability | {} ({} nines) |",
        head.availability, head.nines
    );
    let _ = writeln!(out, "| unavailability | {} |", head.unavailability);
    let _ = writeln!(out, "| downtime per {per} | {} |", head.downtime_horizon);
    let _ = writeln!(
        out,
        "| downtime per 30-day month | {} |",
        head.downtime_month
    );
    let _ = writeln!(out, "| downtime per year | {} |", head.downtime_year);
    let _ = writeln!(out, "| failures per {per} | {} |", head.failures_horizon);
    let _ = writeln!(out, "| MTBF | {} |", head.mtbf);
    let _ = writeln!(out, "| mean outage | {} |", head.mttr);
    if let Some(p) = super::headline::planned_line(a) {
        let _ = writeln!(out, "| planned maintenance | {} |", escape(&p));
    }
    for (k, v) in super::headline::served_rows(a) {
        let _ = writeln!(out, "| {} | {} |", escape(&k), escape(&v));
    }

    if let Some(u) = super::headline::uncertainty_view(a) {
        out.push_str(&format!(
            "\n### Uncertainty\n\n{} of {}.\n\n| measure | 5% | 50% | 95% | mean |\n|---|---:|---:|---:|---:|\n",
            u.draws,
            escape(&u.parameters)
        ));
        for r in &u.rows {
            let cells: Vec<String> = r.iter().map(|c| escape(c)).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        for t in &u.targets {
            out.push_str(&format!("\n- {t}"));
        }
        out.push('\n');
    }
    let data = super::headline::durability_rows(a);
    if !data.is_empty() {
        let _ = write!(
            out,
            "\n### Data durability\n\n| data set | MTTDL | P(loss) per {per} | durability per year |\n|---|---:|---:|---:|\n"
        );
        for r in &data {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                escape(&r.name),
                r.mttdl,
                r.loss,
                r.durability
            );
        }
    }

    let blocks = a.ranked_blocks();
    let blocks = &blocks[..super::shown(blocks.len(), top)];
    if !blocks.is_empty() {
        let _ = write!(
            out,
            "\n### Named blocks\n\n| block | availability | saved if perfect (per {per}) | share |\n|---|---:|---:|---:|\n"
        );
        for b in blocks {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                escape(&b.name),
                units::percent(b.measures.availability(), b.measures.unavailability()),
                units::duration(b.unavailability_saved * h),
                share_percent(a.share(b.unavailability_saved))
            );
        }
    }
    let comps = a.ranked_components();
    let shown = super::shown(comps.len(), top);
    let _ = write!(
        out,
        "\n### Top contributors to downtime\n\n| component | copies | availability | saved if perfect (per {per}) | share |\n|---|---:|---:|---:|---:|\n"
    );
    for c in &comps[..shown] {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            escape(&c.name),
            super::table::copies(c.copies),
            units::percent(c.measures.availability(), c.measures.unavailability()),
            units::duration(c.unavailability_saved * h),
            share_percent(a.share(c.unavailability_saved))
        );
    }
    if shown < comps.len() {
        let _ = write!(
            out,
            "\n_{} more components not shown._\n",
            comps.len() - shown
        );
    }
    if !a.structure.chains.is_empty() {
        out.push_str(
            "\n### Markov blocks\n\n| block | line | states | availability | method | residual |\n|---|---:|---:|---:|---|---:|\n",
        );
        for (block, steady, node) in a.markov_blocks() {
            let m = &steady.measures;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {:.1e} |",
                escape(&node.label),
                node.pos.line,
                block.chain.states(),
                units::percent(m.availability(), m.unavailability()),
                steady.method.name(),
                steady.residual
            );
        }
    }
    let teams = super::team_rows(a);
    if !teams.is_empty() {
        out.push_str(
            "\n### Repair teams\n\n| team | repairers | discipline | order | states | busy on average | all busy | units waiting |\n|---|---:|---|---|---:|---:|---:|---:|\n",
        );
        for r in teams {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                escape(&r.name),
                r.size,
                r.discipline,
                escape(&r.order),
                r.states,
                r.busy,
                r.all_busy,
                r.waiting
            );
        }
    }
    if let Some(t) = &a.over_time {
        out.push_str(
            "\n### Over time, everything up at t = 0\n\n| t | A(t) | U(t) | R(t) (no failure yet) | P(failed by t) |\n|---|---:|---:|---:|---:|\n",
        );
        let not = || "not computed".to_string();
        for p in &t.points {
            let _ = writeln!(
                out,
                "| {} | {} | {:.3e} | {} | {} |",
                units::duration(p.hours),
                units::percent(p.availability, p.unavailability),
                p.unavailability,
                p.reliability.map_or_else(not, |r| units::percent(r.0, r.1)),
                p.reliability.map_or_else(not, |r| format!("{:.3e}", r.1)),
            );
        }
        let _ = writeln!(
            out,
            "\nMTTF (mean time to the first system failure): {}",
            t.mttf.map_or_else(not, units::duration)
        );
        for n in &t.notes {
            let _ = writeln!(out, "\n_{}_", escape(n));
        }
    }
    if !a.warnings.is_empty() {
        out.push_str("\n### Warnings\n\n");
        for w in &a.warnings {
            let _ = writeln!(out, "- line {}: {}", w.pos.line, escape(&w.message));
        }
    }
    out
}
