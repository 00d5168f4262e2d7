//! The pages of the decision commands (`compare`, `sweep`, `diff`, `allocate`): each command
//! builds one [`Page`] (a headline, then titled sections of notes, charts and a table), and
//! this file writes it as terminal text, Markdown (details folded for pull-request comments)
//! or a self-contained HTML page. JSON is each command's own (its keys are a contract).

use super::report::{Stamp, environment, template_error};
use super::text::{lines, markdown_escape, table};
use minijinja::context;
use minijinja::value::Value;
use serde::Serialize;
use std::io;

/// The tone of a headline line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Plain,
    Good,
    Bad,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub text: String,
    pub tone: Tone,
}

/// A titled part of a page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Part {
    pub title: String,
    pub notes: Vec<String>,
    /// SVG charts (HTML only).
    #[serde(skip)]
    pub charts: Vec<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Folded under `<details>` in Markdown (the headline stays in view).
    pub folded: bool,
}

/// A page: a title, headline lines and parts.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub title: String,
    pub lede: Vec<Line>,
    pub parts: Vec<Part>,
}

impl Page {
    pub fn line(&mut self, text: impl Into<String>, tone: Tone) {
        self.lede.push(Line {
            text: text.into(),
            tone,
        });
    }

    /// Terminal text: the headline, then each part's notes and table.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n", self.title);
        for l in &self.lede {
            out.push_str(&format!("{}\n", l.text));
        }
        for p in &self.parts {
            out.push_str(&format!("\n{}\n", p.title));
            for n in &p.notes {
                out.push_str(&format!("{n}\n"));
            }
            if !p.headers.is_empty() {
                let headers: Vec<&str> = p.headers.iter().map(String::as_str).collect();
                let mut t = table(&headers);
                for r in &p.rows {
                    t.add_row(r.iter().map(|c| super::text::printable(c).into_owned()));
                }
                out.push_str(&lines(&t));
                out.push('\n');
            }
        }
        out
    }

    /// Markdown: the headline in view, folded parts under `<details>`.
    pub fn markdown(&self) -> String {
        let mut out = format!("### {}\n\n", markdown_escape(&self.title));
        for l in &self.lede {
            let text = markdown_escape(&l.text);
            match l.tone {
                Tone::Bad => out.push_str(&format!("**{text}**\n\n")),
                _ => out.push_str(&format!("{text}\n\n")),
            }
        }
        for p in &self.parts {
            if p.folded {
                out.push_str(&format!(
                    "<details><summary>{}</summary>\n\n",
                    markdown_escape(&p.title)
                ));
            } else {
                out.push_str(&format!("#### {}\n\n", markdown_escape(&p.title)));
            }
            for n in &p.notes {
                out.push_str(&format!("{}\n\n", markdown_escape(n)));
            }
            if !p.headers.is_empty() {
                let cells = |r: &[String]| {
                    format!(
                        "| {} |\n",
                        r.iter()
                            .map(|c| markdown_escape(c))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    )
                };
                out.push_str(&cells(&p.headers));
                let align: Vec<&str> = (0..p.headers.len())
                    .map(|i| if i == 0 { "---" } else { "---:" })
                    .collect();
                out.push_str(&format!("| {} |\n", align.join(" | ")));
                for r in &p.rows {
                    out.push_str(&cells(r));
                }
                out.push('\n');
            }
            if p.folded {
                out.push_str("</details>\n\n");
            }
        }
        out
    }

    /// A self-contained HTML page.
    pub fn html(&self, stamp: &Stamp) -> io::Result<String> {
        let env = environment();
        let sections: Vec<Value> = self
            .parts
            .iter()
            .map(|p| {
                context! {
                    title => p.title.clone(),
                    notes => p.notes.clone(),
                    charts => p.charts.iter().map(|c| Value::from_safe_string(c.clone())).collect::<Vec<_>>(),
                    headers => p.headers.clone(),
                    rows => p.rows.clone(),
                }
            })
            .collect();
        env.get_template("decision.html")
            .and_then(|t| {
                t.render(context! {
                    title => self.title.clone(),
                    lede => Value::from(minijinja::value::Serde(&self.lede)),
                    sections => sections,
                    version => env!("CARGO_PKG_VERSION"),
                    generated => stamp.generated.clone(),
                })
            })
            .map_err(template_error)
    }
}

/// The figures of one solve, as the decision commands' JSON gives them.
#[derive(Serialize)]
pub struct OutcomeJson {
    pub availability: f64,
    pub unavailability: f64,
    pub nines: Option<f64>,
    pub downtime_hours: f64,
    pub failures: Option<f64>,
    /// Every target met (true when there is none).
    pub met: bool,
    pub targets: Vec<super::json::TargetJson>,
}

pub fn outcome_json(o: &crate::decide::Outcome) -> OutcomeJson {
    OutcomeJson {
        availability: o.availability.p,
        unavailability: o.availability.q,
        nines: Some(o.availability.nines()).filter(|x| x.is_finite()),
        downtime_hours: o.downtime_hours(),
        failures: o.failures.filter(|x| x.is_finite()),
        met: o.met(),
        targets: o.verdicts.iter().map(super::json::target_json).collect(),
    }
}

/// Pretty JSON with a final newline.
pub fn to_json(value: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// Availability with its nines, as the tables show it.
pub fn availability(o: &crate::decide::Outcome) -> String {
    crate::units::percent(o.availability.p, o.availability.q)
}

/// Failures per horizon, or "unknown".
pub fn failures(o: &crate::decide::Outcome) -> String {
    o.failures
        .map_or("unknown".to_string(), |f| crate::units::significant(f, 3))
}

/// "met", or "missed (N of M)".
pub fn verdict_word(o: &crate::decide::Outcome) -> String {
    let missed = o.verdicts.iter().filter(|v| !v.met).count();
    match (o.verdicts.len(), missed) {
        (0, _) => "no target".to_string(),
        (_, 0) => "met".to_string(),
        (n, m) => format!("missed ({m} of {n})"),
    }
}

/// A signed duration: "+1h2m", "-30s", "±0".
pub fn signed_duration(hours: f64) -> String {
    if hours == 0.0 {
        "±0".to_string()
    } else if hours > 0.0 {
        format!("+{}", crate::units::duration(hours))
    } else {
        format!("-{}", crate::units::duration(-hours))
    }
}
