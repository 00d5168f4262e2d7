//! `hacalc compare`: the model and each of its variants, side by side.

use super::{Outcome, Session, scalar_text};
use crate::diagnostics::{Pos, Report};
use crate::parse::assign;

/// The model or one variant, solved.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The variant's name; None for the model as written.
    pub variant: Option<String>,
    /// The variant's assignments, `PATH=VALUE` as `--set` takes them.
    pub assignments: Vec<String>,
    pub outcome: Outcome,
}

/// The model and its variants.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub name: String,
    pub rows: Vec<Row>,
}

impl Comparison {
    /// The model as written (the first row).
    pub fn base(&self) -> &Row {
        &self.rows[0]
    }
}

/// Solves the model and every variant of it (each with the command line's `--set` on top).
pub fn compare(session: &Session) -> Result<Comparison, Report> {
    let base = session.analyse()?;
    let name = base.solution.name.clone();
    let mut rows = vec![Row {
        variant: None,
        assignments: session.edits.sets.clone(),
        outcome: Outcome::of(&base),
    }];
    drop(base);
    for v in session.variants() {
        let a = session.analyse_variant(&v)?;
        let assignments = assign::variant(&session.root, &v, Pos::FILE)
            .map(|list| {
                list.iter()
                    .map(|a| {
                        let path: Vec<&str> = a.path.iter().map(|s| s.name.as_str()).collect();
                        format!("{}={}", path.join("."), scalar_text(&a.value))
                    })
                    .chain(session.edits.sets.iter().cloned())
                    .collect()
            })
            .unwrap_or_default();
        rows.push(Row {
            variant: Some(v),
            assignments,
            outcome: Outcome::of(&a),
        });
    }
    Ok(Comparison { name, rows })
}
