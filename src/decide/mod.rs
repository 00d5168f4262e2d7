//! Decisions: the model solved again with parameters changed, to answer what an availability
//! figure alone does not (`compare`, `sweep`, `diff`, `allocate`).
//!
//! A [`Session`] reads the file's YAML once and keeps its tree; every variant, sweep point or
//! proposal is an assignment applied to a copy of that tree and checked like the file (see
//! `parse::assign`), so a changed parameter gives exactly the numbers of a file that says it.

pub mod allocate;
pub mod compare;
pub mod diff;
pub mod sweep;

use crate::analysis::targets::Verdict;
use crate::diagnostics::{Diagnostic, Pos, Report};
use crate::parse::assign::{self, Assignment, Edits};
use crate::parse::quantity;
use crate::parse::yaml::{self, Node, Value};
use crate::probability::Probability;
use crate::{Analysis, Options, Request};
use std::borrow::Cow;

/// A model read once, solved as often as asked with assignments on top of the command
/// line's edits.
pub struct Session<'s> {
    pub file: String,
    pub source: &'s str,
    edits: Edits,
    /// The file's tree with the command line's edits applied.
    root: Node<'s>,
    pub options: Options,
    pub request: Request,
    /// Most solves this session makes (None: no bound), and how many it has made.
    pub max_solves: Option<usize>,
    solves: std::cell::Cell<usize>,
}

/// Most solves `allocate` makes, unless raised (about 35 per component considered).
pub const DEFAULT_MAX_SOLVES: usize = 2_000;

impl<'s> Session<'s> {
    /// Reads `source` and applies `edits`; the model is checked by [`Session::analyse`].
    pub fn open(
        file: &str,
        source: &'s str,
        edits: &'s Edits,
        options: Options,
        request: Request,
    ) -> Result<Self, Report> {
        let report = |d: Vec<Diagnostic>| Report {
            arguments: edits.arguments(),
            ..Report::new(file, source, d)
        };
        let mut root = yaml::read(source).map_err(|d| report(vec![d]))?;
        assign::apply_edits(&mut root, source.len(), edits).map_err(report)?;
        Ok(Session {
            file: file.to_string(),
            source,
            edits: edits.clone(),
            root,
            options,
            request,
            max_solves: None,
            solves: std::cell::Cell::new(0),
        })
    }

    /// The model's variants, in the order written.
    pub fn variants(&self) -> Vec<String> {
        assign::variant_names(&self.root)
    }

    /// The model as edited on the command line, analysed.
    pub fn analyse(&self) -> Result<Analysis, Report> {
        self.analyse_tree(&self.root, &self.edits)
    }

    /// The model with the file's variant `name` applied (before the command line's `--set`,
    /// which the variant does not override).
    pub fn analyse_variant(&self, name: &str) -> Result<Analysis, Report> {
        let edits = Edits {
            variant: Some(name.to_string()),
            ..self.edits.clone()
        };
        let mut root = yaml::read(self.source).map_err(|d| self.report(&edits, vec![d]))?;
        assign::apply_edits(&mut root, self.source.len(), &edits)
            .map_err(|d| self.report(&edits, d))?;
        self.analyse_tree(&root, &edits)
    }

    /// The model with `changes` (`PATH`, `VALUE` as `--set` takes them) on top; a problem
    /// of a change is shown against `flag` (`--param`, `proposal`...) and the change.
    pub fn analyse_with(
        &self,
        flag: &str,
        changes: &[(String, String)],
    ) -> Result<Analysis, Report> {
        let mut root = self.root.clone();
        let mut edits = self.edits.clone();
        for (path, value) in changes {
            let text = format!("{path}={value}");
            edits.generated.push((flag.to_string(), text.clone()));
            let arguments = edits.arguments();
            let base = Edits::base(&arguments, self.source.len(), arguments.len() - 1);
            assign::parse_flagged(&text, base, flag)
                .map(owned_assignment)
                .and_then(|a| assign::apply(&mut root, a))
                .map_err(|d| self.report(&edits, vec![d]))?;
        }
        self.analyse_tree(&root, &edits)
    }

    /// How many solves this session has made.
    pub fn solves(&self) -> usize {
        self.solves.get()
    }

    fn analyse_tree(&self, root: &Node, edits: &Edits) -> Result<Analysis, Report> {
        if let Some(max) = self.max_solves
            && self.solves.get() >= max
        {
            return Err(self.option_error(
                &format!("--max-solves {max}"),
                Diagnostic::error(
                    Pos::FILE,
                    format!("this needs more than --max-solves {max} solves of the model"),
                )
                .with_hint("raise --max-solves (each solve is bounded by the engine's own limits)"),
            ));
        }
        self.solves.set(self.solves.get() + 1);
        let validated = crate::validate_tree(&self.file, self.source, root, edits)?;
        crate::analyse_validated(
            &self.file,
            self.source,
            edits,
            validated,
            &self.options,
            &self.request,
        )
    }

    fn report(&self, edits: &Edits, d: Vec<Diagnostic>) -> Report {
        Report {
            arguments: edits.arguments(),
            ..Report::new(&self.file, self.source, d)
        }
    }

    /// A report of a problem with a command-line option (`--max-solves 20`), shown against it.
    pub fn option_error(&self, option: &str, d: Diagnostic) -> Report {
        let mut d = d;
        d.pos = Pos {
            line: 1,
            column: 1,
            offset: (self.source.len() + 1) as u32,
            len: option.len() as u32,
        };
        Report {
            arguments: vec![option.to_string()],
            ..Report::new(&self.file, self.source, vec![d])
        }
    }

    /// The value written at `path` (after the command line's edits), as text.
    pub fn written(&self, path: &str) -> Option<String> {
        let mut probe = self.root.clone();
        let marker = Node {
            value: Value::Str(Cow::Borrowed("\u{0}probe")),
            pos: Pos::FILE,
        };
        // Find the node by assigning a marker to a copy, then reading what was there.
        let segments = assign::path_of(path).ok()?;
        let before = self.root.clone();
        assign::apply(
            &mut probe,
            Assignment {
                path: segments,
                value: marker,
                pos: Pos::FILE,
            },
        )
        .ok()?;
        find_replaced(&before, &probe).map(scalar_text)
    }
}

/// The node of `before` that `after` replaced with the probe marker.
fn find_replaced<'a, 's>(before: &'a Node<'s>, after: &Node) -> Option<&'a Node<'s>> {
    match (&before.value, &after.value) {
        (_, Value::Str(s)) if s == "\u{0}probe" => Some(before),
        (Value::Map(b), Value::Map(a)) => b
            .iter()
            .zip(a)
            .find_map(|((_, bv), (_, av))| find_replaced(bv, av)),
        (Value::Seq(b), Value::Seq(a)) => {
            b.iter().zip(a).find_map(|(bv, av)| find_replaced(bv, av))
        }
        _ => None,
    }
}

/// A scalar's text as written (a collection as flow YAML).
pub fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number { text, .. } => text.to_string(),
        Value::Str(s) => s.to_string(),
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(scalar_text).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", k.name, scalar_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// An assignment that owns its text (generated values outlive no argument).
fn owned_assignment(a: Assignment) -> Assignment<'static> {
    Assignment {
        path: a.path,
        value: owned(a.value),
        pos: a.pos,
    }
}

fn owned(n: Node) -> Node<'static> {
    let value = match n.value {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(b),
        Value::Number { value, text } => Value::Number {
            value,
            text: Cow::Owned(text.into_owned()),
        },
        Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
        Value::Seq(items) => Value::Seq(items.into_iter().map(owned).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    (
                        yaml::Key {
                            name: Cow::Owned(k.name.into_owned()),
                            pos: k.pos,
                        },
                        owned(v),
                    )
                })
                .collect(),
        ),
    };
    Node { value, pos: n.pos }
}

/// What kind of quantity a parameter is, as its value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// A duration, in hours.
    Duration,
    /// A rate, per hour.
    Rate,
    /// A percentage (availability, beta...), as a fraction.
    Percent,
    /// A count (k, n, crews, size).
    Count,
    /// A plain number.
    Number,
}

impl Quantity {
    /// Reads a value as written on the command line or in the file: the kind and the number
    /// (hours, per hour, a fraction, or the number itself).
    pub fn read(text: &str) -> Result<(Quantity, f64), String> {
        let t = text.trim();
        let message = |e: quantity::QuantityError| match e.hint {
            Some(h) => format!("{} ({h})", e.message),
            None => e.message,
        };
        if t.ends_with('%') {
            return quantity::parse_probability(t, false)
                .map(|p| (Quantity::Percent, p.p))
                .map_err(message);
        }
        if t.contains('/') {
            return quantity::parse_rate(t)
                .map(|r| (Quantity::Rate, r))
                .map_err(message);
        }
        if let Ok(x) = t.parse::<f64>() {
            if !x.is_finite() {
                return Err(format!("`{t}` is not a finite number"));
            }
            let count = x.fract() == 0.0 && x >= 0.0 && !t.contains(['.', 'e', 'E']);
            return Ok((
                if count {
                    Quantity::Count
                } else {
                    Quantity::Number
                },
                x,
            ));
        }
        quantity::parse_duration(t)
            .map(|h| (Quantity::Duration, h))
            .map_err(message)
    }

    /// The text of `x` for an assignment, exact (the shortest text that reads back as `x`).
    pub fn text(self, x: f64) -> String {
        match self {
            Quantity::Duration => format!("{}h", shortest(x)),
            Quantity::Rate => format!("{}/h", shortest(x)),
            Quantity::Percent => format!("{}%", shortest(x * 100.0)),
            Quantity::Count => format!("{}", x.round()),
            Quantity::Number => shortest(x),
        }
    }

    /// `x` for people, rounded up or down (never the other way): a value shown for a
    /// crossing must itself be on the crossing's met side. The readable form (`1h47m`) when
    /// it reads back on that side, else four significant digits rounded that way.
    pub fn show_rounded(self, x: f64, up: bool) -> String {
        let fine = |shown: &str| {
            Quantity::read(shown).is_ok_and(|(_, v)| if up { v >= x } else { v <= x })
        };
        let pretty = self.show(x);
        if fine(&pretty) {
            return pretty;
        }
        match self {
            Quantity::Duration => {
                let (unit, per_hour) = duration_unit(x);
                let v = round_sig(x * per_hour, up);
                format!("{:.*}{unit}", decimals(v), v)
            }
            Quantity::Rate => format!("{:.*}/h", decimals(x), round_sig(x, up)),
            Quantity::Percent => {
                let q = round_sig(1.0 - x, !up);
                format!("{:.*}%", decimals(q * 100.0), 100.0 - q * 100.0)
            }
            Quantity::Count => format!("{}", if up { x.ceil() } else { x.floor() }),
            Quantity::Number => {
                let v = round_sig(x, up);
                format!("{:.*}", decimals(v), v)
            }
        }
    }

    /// `x` for people: `1h47m`, `2.5e-5/h`, `99.95%`, `3`.
    pub fn show(self, x: f64) -> String {
        match self {
            Quantity::Duration => crate::units::duration(x),
            Quantity::Rate => format!("{}/h", crate::units::significant(x, 4)),
            Quantity::Percent => format!("{}%", crate::units::significant(x * 100.0, 6)),
            Quantity::Count => format!("{}", x.round()),
            Quantity::Number => crate::units::significant(x, 6),
        }
    }
}

/// The shortest decimal text that reads back as `x`, without an exponent a YAML reader would
/// take for a string (`1e-5` is fine, `inf` is not produced: callers pass finite values).
fn shortest(x: f64) -> String {
    let s = format!("{x:?}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// The figures of one solve that the decision commands show.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub availability: Probability,
    pub horizon_hours: f64,
    /// Failures per horizon (None: static availabilities leave it unknown).
    pub failures: Option<f64>,
    pub verdicts: Vec<Verdict>,
}

impl Outcome {
    pub fn of(a: &Analysis) -> Outcome {
        let s = &a.solution.system;
        Outcome {
            availability: s.avail,
            horizon_hours: a.solution.horizon_hours,
            failures: s.frequency.map(|f| f * a.solution.horizon_hours),
            verdicts: a.verdicts.clone(),
        }
    }

    pub fn downtime_hours(&self) -> f64 {
        self.availability.q * self.horizon_hours
    }

    pub fn met(&self) -> bool {
        self.verdicts.iter().all(|v| v.met)
    }
}

/// Bisection of a monotone predicate between `lo` (where `good(lo)` is `at_lo`) and `hi`
/// (where it is not), to `rel` relative width; in log space when `log`. Returns the last
/// point on `lo`'s side and the first on `hi`'s.
pub fn bisect(
    mut lo: f64,
    mut hi: f64,
    log: bool,
    rel: f64,
    max_steps: usize,
    mut side_of_lo: impl FnMut(f64) -> Result<bool, Report>,
) -> Result<(f64, f64), Report> {
    for _ in 0..max_steps {
        if (hi - lo).abs() <= rel * lo.abs().max(hi.abs()) {
            break;
        }
        let mid = if log && lo > 0.0 && hi > 0.0 {
            (lo.ln() * 0.5 + hi.ln() * 0.5).exp()
        } else {
            0.5 * (lo + hi)
        };
        if mid == lo || mid == hi {
            break;
        }
        if side_of_lo(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok((lo, hi))
}

/// The unit a duration of `hours` reads best in, and how many of it make an hour.
pub fn duration_unit(hours: f64) -> (&'static str, f64) {
    if hours < 1.0 / 60.0 {
        ("s", 3600.0)
    } else if hours < 1.0 {
        ("m", 60.0)
    } else if hours < 48.0 {
        ("h", 1.0)
    } else {
        ("d", 1.0 / 24.0)
    }
}

/// Decimals that show four significant digits of `x`.
pub fn decimals(x: f64) -> usize {
    (3 - x.log10().floor() as i32).max(0) as usize
}

/// `x` to four significant digits, rounded up or down.
pub fn round_sig(x: f64, up: bool) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(3 - x.log10().floor() as i32);
    if up {
        (x * scale).ceil() / scale
    } else {
        (x * scale).floor() / scale
    }
}
