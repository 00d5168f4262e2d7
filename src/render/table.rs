//! `--format table`: the system summary, then named blocks and components ranked by their
//! share of system downtime, as aligned terminal tables; with `--at`, the measures over time.
//! Warnings go to standard error with their source lines (the CLI prints them), not here.

use super::text::{key_values, lines, table};
use super::{Exporter, Section, headline::headline};
use crate::analysis::Analysis;
use crate::solve::transient::Transient;
use crate::units;
use comfy_table::Cell;
use std::io;

/// The terminal tables; `top` limits the rows of the ranked tables (0: all); `importance`
/// adds every importance measure to the components table.
pub struct Tables {
    pub top: usize,
    pub importance: bool,
}

impl Exporter for Tables {
    fn sections(&self) -> &'static [Section] {
        &[
            Section::Headline,
            Section::Targets,
            Section::Blocks,
            Section::Components,
            Section::MarkovBlocks,
            Section::OverTime,
        ]
    }

    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
        let mut text = render(a, self.top, self.importance);
        if let Some(t) = &a.over_time {
            text.push_str(&over_time(a, t));
        }
        out.write_all(text.as_bytes())
    }
}

fn opt_duration(h: Option<f64>) -> String {
    h.map_or_else(|| "unknown".to_string(), units::duration)
}

/// A share of downtime: one decimal, or two significant digits for small shares.
pub fn share_percent(x: f64) -> String {
    units::share(x)
}

/// A count of copies: an integer.
pub fn copies(x: f64) -> String {
    if x < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.2e}")
    }
}

fn render(a: &Analysis, top: usize, all_importance: bool) -> String {
    let s = &a.solution;
    let sys = &s.system;
    let h = s.horizon_hours;
    let head = headline(a);
    let per = &head.per;
    let mut out = String::new();
    out.push_str(&format!("{} (horizon {per})\n", s.name));
    if let Some(label) = a.edits.label() {
        out.push_str(&format!("with {label}\n"));
    }
    if let Some(d) = &a.model.description {
        out.push_str(d);
        out.push('\n');
    }

    let mut summary = key_values();
    let mut row = |k: &str, v: String| {
        summary.add_row(vec![Cell::new(k), Cell::new(v)]);
    };
    row(
        "availability",
        format!("{} ({} nines)", head.availability, head.nines),
    );
    row("unavailability", head.unavailability.clone());
    row("expected downtime", head.downtime_summary.clone());
    row(
        "failures",
        if sys.frequency.is_some() {
            format!("{} per {per}", head.failures_horizon)
        } else {
            "unknown (static availabilities)".to_string()
        },
    );
    row("MTBF", head.mtbf.clone());
    row("mean outage (MTTR)", head.mttr.clone());
    if let Some(p) = &head.planned {
        row("planned maintenance", p.clone());
    }
    if a.model
        .components
        .iter()
        .any(|c| c.failure_law.is_some() || c.repair_law.is_some())
    {
        // Where the mean is not exact, a warning says so at the component.
        row(
            "time laws",
            "steady state from their means: exact for independent parts; `hacalc simulate` draws them".to_string(),
        );
    }
    for (k, v) in super::headline::served_rows(a) {
        row(&k, v);
    }
    for v in &a.verdicts {
        row(
            if v.met {
                "target: PASS"
            } else {
                "target: FAIL"
            },
            v.summary.clone(),
        );
        if !v.budgets.is_empty() {
            row(
                "  error budget",
                v.budget_line().replacen("error budget ", "", 1),
            );
        }
    }
    out.push_str(&lines(&summary));
    out.push('\n');

    let all_blocks = a.ranked_blocks();
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
                copies(b.copies),
                units::percent(m.availability(), m.unavailability()),
                units::duration(m.unavailability() * h),
                opt_duration(m.mtbf()),
                units::duration(b.unavailability_saved * h),
                share_percent(a.share(b.unavailability_saved)),
                units::significant(b.birnbaum, 3),
            ]);
        }
        out.push_str(&format!(
            "\nNamed blocks, by share of system downtime (per {per})\n"
        ));
        out.push_str(&lines(&t));
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
        for (block, steady, node) in a.markov_blocks() {
            let m = &steady.measures;
            t.add_row(vec![
                node.label.clone(),
                node.pos.line.to_string(),
                block.chain.states().to_string(),
                units::percent(m.availability(), m.unavailability()),
                opt_duration(m.mtbf()),
                steady.method.name().to_string(),
                format!("{:.1e}", steady.residual),
            ]);
        }
        out.push_str("\nMarkov blocks (each solved on its own, then composed)\n");
        out.push_str(&lines(&t));
        out.push('\n');
    }
    if let Some(u) = super::headline::uncertainty_view(a) {
        let mut t = table(&["measure", "5%", "50%", "95%", "mean"]);
        for r in &u.rows {
            t.add_row(r.to_vec());
        }
        out.push_str(&format!(
            "\nUncertainty ({} of {})\n",
            u.draws, u.parameters
        ));
        out.push_str(&lines(&t));
        out.push('\n');
        for line in &u.targets {
            out.push_str(&format!(" {line}\n"));
        }
    }
    let data = super::headline::durability_rows(a);
    if !data.is_empty() {
        let per = units::duration(a.solution.horizon_hours);
        let mut t = table(&[
            "data set",
            "MTTDL",
            &format!("P(loss) per {per}"),
            "durability per year",
        ]);
        for r in &data {
            t.add_row(vec![
                r.name.clone(),
                r.mttdl.clone(),
                r.loss.clone(),
                r.durability.clone(),
            ]);
        }
        out.push_str("\nData durability (MTTDL: mean time to data loss; with backups, only unrecoverable losses count against durability)\n");
        out.push_str(&lines(&t));
        out.push('\n');
        if data.iter().any(|r| r.backups.is_some()) {
            let mut t = table(&[
                "data set",
                "recovered from a backup",
                "writes lost per incident",
                "writes lost per year",
                "restoring per year",
            ]);
            for r in &data {
                if let Some([a, b, c, d]) = &r.backups {
                    t.add_row(vec![
                        r.name.clone(),
                        a.clone(),
                        b.clone(),
                        c.clone(),
                        d.clone(),
                    ]);
                }
            }
            out.push_str("\nBackups (writes lost: the mean age of the backup restored)\n");
            out.push_str(&lines(&t));
            out.push('\n');
        }
    }
    let teams = super::team_rows(a);
    if !teams.is_empty() {
        let mut t = table(&[
            "repair team",
            "repairers",
            "discipline",
            "order",
            "states",
            "busy on average",
            "all busy",
            "units waiting",
        ]);
        for r in teams {
            t.add_row(vec![
                r.name,
                r.size.to_string(),
                r.discipline.to_string(),
                r.order,
                r.states.to_string(),
                r.busy,
                r.all_busy,
                r.waiting,
            ]);
        }
        out.push_str(
            "\nRepair teams (their components' availability includes waiting for a repairer)\n",
        );
        out.push_str(&lines(&t));
        out.push('\n');
    }

    let comps = a.ranked_components();
    let shown = super::shown(comps.len(), top);
    let mut headers = vec![
        "component",
        "copies",
        "availability",
        "MTBF",
        "MTTR",
        "saved if perfect",
        "share",
        "Birnbaum",
    ];
    if all_importance {
        headers.extend(["criticality", "RAW", "RRW"]);
    }
    let mut t = table(&headers);
    let measure = |x: Option<f64>| x.map_or_else(|| "—".to_string(), |x| units::significant(x, 3));
    for c in &comps[..shown] {
        let m = &c.measures;
        let mut row = vec![
            c.name.clone(),
            copies(c.copies),
            units::percent(m.availability(), m.unavailability()),
            opt_duration(c.rates.map(|r| r.mtbf())),
            opt_duration(c.rates.map(|r| r.mttr())),
            units::duration(c.unavailability_saved * h),
            share_percent(a.share(c.unavailability_saved)),
            units::significant(c.birnbaum, 3),
        ];
        if all_importance {
            let i = a.importance(
                c.birnbaum,
                m.unavailability(),
                c.unavailability_saved,
                c.unavailability_added,
            );
            row.extend([measure(i.criticality), measure(i.raw), measure(i.rrw)]);
        }
        t.add_row(row);
    }
    out.push_str(&format!(
        "\nComponents, by share of system downtime (per {per})\n"
    ));
    out.push_str(&lines(&t));
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
fn over_time(a: &Analysis, t: &Transient) -> String {
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
    out.push_str(&lines(&tab));
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
