//! `--format table`: the system summary, then named blocks and components ranked by their
//! share of system downtime, as aligned terminal tables.

use super::{ranked_blocks, ranked_components, share};
use crate::Analysis;
use crate::check::Verdict;
use crate::units::{self, MONTH_HOURS, YEAR_HOURS};
use comfy_table::{Cell, CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};

/// A rule under the header and nothing else: quiet, and easy to read in a narrow terminal.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

fn table(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(STYLE)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers.iter().map(Cell::new));
    for i in 1..headers.len() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

fn opt_duration(h: Option<f64>) -> String {
    h.map_or_else(|| "unknown".to_string(), units::duration)
}

fn share_pct(x: f64) -> String {
    if x >= 0.001 {
        format!("{:.1}%", x * 100.0)
    } else {
        format!("{}%", units::significant(x * 100.0, 2))
    }
}

fn copies(x: f64) -> String {
    if x < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.2e}")
    }
}

/// Renders the summary and the ranked tables. `top` limits the component rows (0: all).
pub fn render(a: &Analysis, verdicts: &[Verdict], top: usize) -> String {
    let s = &a.solution;
    let sys = &s.system;
    let h = s.horizon_hours;
    let per = units::duration(h);
    let mut out = String::new();
    out.push_str(&format!("{} (horizon {per})\n", s.name));
    if let Some(d) = &a.model.description {
        out.push_str(d);
        out.push('\n');
    }

    let mut summary = Table::new();
    summary
        .load_style(STYLE)
        .set_content_arrangement(ContentArrangement::Disabled);
    let mut row = |k: &str, v: String| {
        summary.add_row(vec![Cell::new(k), Cell::new(v)]);
    };
    row(
        "availability",
        format!(
            "{} ({} nines)",
            units::percent(sys.availability, sys.unavailability),
            units::nines(sys.unavailability)
        ),
    );
    row("unavailability", format!("{:.3e}", sys.unavailability));
    row("expected downtime", {
        let mut parts = vec![format!(
            "{} per {per}",
            units::duration(sys.unavailability * h)
        )];
        if h != MONTH_HOURS {
            parts.push(format!(
                "{} per 30d month",
                units::duration(sys.unavailability * MONTH_HOURS)
            ));
        }
        if h != YEAR_HOURS {
            parts.push(format!(
                "{} per year",
                units::duration(sys.unavailability * YEAR_HOURS)
            ));
        }
        parts.join(" · ")
    });
    row(
        "failures",
        sys.frequency.map_or_else(
            || "unknown (static availabilities)".to_string(),
            |f| format!("{} per {per}", units::significant(f * h, 3)),
        ),
    );
    row("MTBF", opt_duration(sys.mtbf()));
    row("mean outage (MTTR)", opt_duration(sys.mttr()));
    for v in verdicts {
        row(
            if v.met {
                "target: PASS"
            } else {
                "target: FAIL"
            },
            v.summary.clone(),
        );
    }
    out.push_str(&summary.to_string());
    out.push('\n');

    let all_blocks = ranked_blocks(a);
    let blocks = &all_blocks[..super::shown(all_blocks.len(), top)];
    if !blocks.is_empty() {
        let mut t = table(&[
            "block",
            "copies",
            "availability",
            "downtime/copy",
            "MTBF",
            "saved if perfect",
            "share",
            "Birnbaum",
        ]);
        for b in blocks {
            let m = &b.measures;
            t.add_row(vec![
                b.name.clone(),
                copies(b.occurrences),
                units::percent(m.availability, m.unavailability),
                units::duration(m.unavailability * h),
                opt_duration(m.mtbf()),
                units::duration(b.unavailability_saved * h),
                share_pct(share(b.unavailability_saved, sys.unavailability)),
                units::significant(b.birnbaum, 3),
            ]);
        }
        out.push_str(&format!(
            "\nNamed blocks, by share of system downtime (per {per})\n"
        ));
        out.push_str(&t.to_string());
        out.push('\n');
    }

    if !a.structure.chains.is_empty() {
        let mut t = table(&[
            "Markov block",
            "line",
            "states",
            "availability",
            "MTBF",
            "method",
            "residual",
        ]);
        for (_, result, node) in super::markov_blocks(a) {
            let s = &result.steady;
            let m = result.measures();
            t.add_row(vec![
                node.label.clone(),
                node.pos.line.to_string(),
                result.states.to_string(),
                units::percent(s.availability, s.unavailability),
                opt_duration(m.mtbf()),
                s.method.name().to_string(),
                format!("{:.1e}", s.residual),
            ]);
        }
        out.push_str("\nMarkov blocks (each solved on its own, then composed)\n");
        out.push_str(&t.to_string());
        out.push('\n');
    }

    let comps = ranked_components(a);
    let shown = super::shown(comps.len(), top);
    let mut t = table(&[
        "component",
        "copies",
        "availability",
        "MTBF",
        "MTTR",
        "saved if perfect",
        "share",
        "Birnbaum",
    ]);
    for c in &comps[..shown] {
        let m = &c.measures;
        t.add_row(vec![
            c.name.clone(),
            copies(c.occurrences),
            units::percent(m.availability, m.unavailability),
            opt_duration(c.rates.map(|r| r.mtbf())),
            opt_duration(c.rates.map(|r| r.mttr())),
            units::duration(c.unavailability_saved * h),
            share_pct(share(c.unavailability_saved, sys.unavailability)),
            units::significant(c.birnbaum, 3),
        ]);
    }
    out.push_str(&format!(
        "\nComponents, by share of system downtime (per {per})\n"
    ));
    out.push_str(&t.to_string());
    out.push('\n');
    if shown < comps.len() {
        out.push_str(&format!(
            "... {} more components (--top 0 shows all; --format json lists every one)\n",
            comps.len() - shown
        ));
    }
    out
}

/// The `--at` section: A(t), R(t) and MTTF.
pub fn transient(a: &Analysis, t: &crate::solve::transient::Transient) -> String {
    let mut out = String::from("\nOver time, everything up at t = 0\n");
    let mut tab = table(&[
        "t",
        "A(t)",
        "U(t)",
        "R(t) (no failure yet)",
        "P(failed by t)",
    ]);
    for p in &t.points {
        tab.add_row(vec![
            units::duration(p.hours),
            units::percent(p.availability, p.unavailability),
            format!("{:.3e}", p.unavailability),
            p.reliability
                .map_or_else(|| "not computed".to_string(), |r| units::percent(r.0, r.1)),
            p.reliability
                .map_or_else(|| "not computed".to_string(), |r| format!("{:.3e}", r.1)),
        ]);
    }
    out.push_str(&tab.to_string());
    out.push('\n');
    out.push_str(&format!(
        "MTTF (mean time to the first system failure): {}\n",
        t.mttf
            .map_or_else(|| "not computed".to_string(), units::duration)
    ));
    for c in &t.chains {
        let node = &a.structure.nodes[c.node];
        out.push_str(&format!(
            "  Markov block `{}` (line {}): MTTF {}{}\n",
            node.label,
            node.pos.line,
            c.mttf
                .map_or_else(|| "not computed".to_string(), units::duration),
            c.availability
                .as_ref()
                .err()
                .map_or_else(String::new, |e| format!("; {e}"))
        ));
    }
    for n in &t.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}
