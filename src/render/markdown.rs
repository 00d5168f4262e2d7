//! `--format markdown`: the results as GitHub-flavoured Markdown tables, for pull requests.

use super::{ranked_blocks, ranked_components, share};
use crate::Analysis;
use crate::check::Verdict;
use crate::units::{self, MONTH_HOURS, YEAR_HOURS};

/// Escapes text for a Markdown table cell: pipes, HTML and emphasis characters.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '*' | '_' | '`' | '[' | ']' | '\\' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub fn render(a: &Analysis, verdicts: &[Verdict], top: usize) -> String {
    let s = &a.solution;
    let sys = &s.system;
    let h = s.horizon_hours;
    let per = units::duration(h);
    let mut out = format!("## Availability of {}\n\n", escape(&s.name));
    for v in verdicts {
        out.push_str(&format!(
            "- **{}** {}\n",
            if v.met { "PASS" } else { "FAIL" },
            escape(&v.summary)
        ));
    }
    if !verdicts.is_empty() {
        out.push('\n');
    }
    out.push_str("| measure | value |\n|---|---|\n");
    out.push_str(&format!(
        "| availability | {} ({} nines) |\n",
        units::percent(sys.availability, sys.unavailability),
        units::nines(sys.unavailability)
    ));
    out.push_str(&format!(
        "| unavailability | {:.3e} |\n",
        sys.unavailability
    ));
    out.push_str(&format!(
        "| downtime per {per} | {} |\n",
        units::duration(sys.unavailability * h)
    ));
    out.push_str(&format!(
        "| downtime per 30-day month | {} |\n",
        units::duration(sys.unavailability * MONTH_HOURS)
    ));
    out.push_str(&format!(
        "| downtime per year | {} |\n",
        units::duration(sys.unavailability * YEAR_HOURS)
    ));
    let unknown = || "unknown".to_string();
    out.push_str(&format!(
        "| failures per {per} | {} |\n",
        sys.frequency
            .map_or_else(unknown, |f| units::significant(f * h, 3))
    ));
    out.push_str(&format!(
        "| MTBF | {} |\n",
        sys.mtbf().map_or_else(unknown, units::duration)
    ));
    out.push_str(&format!(
        "| mean outage | {} |\n",
        sys.mttr().map_or_else(unknown, units::duration)
    ));

    let blocks = ranked_blocks(a);
    let blocks = &blocks[..super::shown(blocks.len(), top)];
    if !blocks.is_empty() {
        out.push_str(&format!("\n### Named blocks\n\n| block | availability | saved if perfect (per {per}) | share |\n|---|---:|---:|---:|\n"));
        for b in blocks {
            out.push_str(&format!(
                "| {} | {} | {} | {:.1}% |\n",
                escape(&b.name),
                units::percent(b.measures.availability, b.measures.unavailability),
                units::duration(b.unavailability_saved * h),
                share(b.unavailability_saved, sys.unavailability) * 100.0
            ));
        }
    }
    let comps = ranked_components(a);
    let shown = super::shown(comps.len(), top);
    out.push_str(&format!(
        "\n### Top contributors to downtime\n\n| component | copies | availability | saved if perfect (per {per}) | share |\n|---|---:|---:|---:|---:|\n"
    ));
    for c in &comps[..shown] {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {:.1}% |\n",
            escape(&c.name),
            c.occurrences,
            units::percent(c.measures.availability, c.measures.unavailability),
            units::duration(c.unavailability_saved * h),
            share(c.unavailability_saved, sys.unavailability) * 100.0
        ));
    }
    if shown < comps.len() {
        out.push_str(&format!(
            "\n_{} more components not shown._\n",
            comps.len() - shown
        ));
    }
    out
}
