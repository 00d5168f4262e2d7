//! Stage 6: an analysis for people and programs, one file per output format.
//!
//! Every format implements [`Exporter`] (in the spirit of hyperfine's exporters and
//! criterion's reports): it says which [`Section`]s of an analysis it shows and writes them.
//! Exporters format; they never solve. The headline figures are formatted once
//! ([`headline`]), text is made safe for each medium once ([`text`]), and the charts are one
//! file each under [`plot`].

pub mod allocate;
pub mod check_text;
pub mod compare;
pub mod cuts;
pub mod decision;
pub mod diagram;
pub mod diff;
pub mod headline;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod mermaid;
pub mod network_layout;
pub mod plot;
pub mod pr_comment;
pub mod report;
pub mod simulation;
pub mod svg;
pub mod sweep;
pub mod table;
pub mod text;

use crate::analysis::Analysis;
pub use crate::analysis::Section;
use std::io;

/// An output format.
pub trait Exporter {
    /// The sections of an analysis that this format shows when the analysis has them.
    fn sections(&self) -> &'static [Section];

    /// Writes the analysis.
    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()>;

    /// The output as a string (for tests and for writing a file in one piece).
    fn render(&self, a: &Analysis) -> io::Result<String> {
        let mut out = Vec::new();
        self.write(a, &mut out)?;
        String::from_utf8(out).map_err(io::Error::other)
    }
}

/// A finite number, or None (JSON null) for infinities and NaN.
/// A repair team as the tables show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TeamRow {
    pub name: String,
    pub size: u64,
    pub discipline: &'static str,
    /// Its components, most important first: "db > lb > web".
    pub order: String,
    pub states: usize,
    /// Expected repairers at work, and the probability that every one is.
    pub busy: String,
    pub all_busy: String,
    /// Expected failed units waiting for a repairer.
    pub waiting: String,
}

/// A team's components by name, most important first.
pub fn team_order<'a>(a: &'a Analysis, t: &crate::model::Team) -> Vec<&'a str> {
    t.order
        .iter()
        .map(|&c| a.model.components[c].name.as_str())
        .collect()
}

/// Every repair team's row (empty without teams).
pub fn team_rows(a: &Analysis) -> Vec<TeamRow> {
    a.solution
        .team_chains()
        .iter()
        .map(|ch| {
            let t = &a.model.teams[ch.team];
            TeamRow {
                name: t.name.clone(),
                size: t.size,
                discipline: t.discipline.name(),
                // Under `shared` there is no order, only the components.
                order: team_order(a, t).join(match t.discipline {
                    crate::model::Discipline::Priority => " > ",
                    crate::model::Discipline::Shared => ", ",
                }),
                states: ch.chain.states(),
                busy: crate::units::significant(ch.busy, 3),
                all_busy: crate::units::percent(ch.all_busy, 1.0 - ch.all_busy),
                waiting: crate::units::significant(ch.waiting, 3),
            }
        })
        .collect()
}

pub fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// How many of `len` rows to show for `--top N` (0: all).
pub fn shown(len: usize, top: usize) -> usize {
    if top == 0 { len } else { top.min(len) }
}

/// Writes `value` as pretty JSON, the way every JSON output of hacalc is written: a negative
/// zero (a product or difference that came out as -0.0) is written `0.0`, since a reader
/// comparing `x < 0` or printing the value should not see a sign that means nothing.
pub fn write_json<T: serde::Serialize + ?Sized>(
    out: &mut dyn io::Write,
    value: &T,
) -> io::Result<()> {
    // serde_json writes in pieces of a few bytes; through `dyn Write` each is a call that
    // cannot be inlined. A buffer of a known type here takes them at the cost of a copy
    // (3% of the instructions of `solve --format json` on 100,000 components, 45 MB).
    use io::Write as _;
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    let mut ser =
        serde_json::Serializer::with_formatter(&mut buffered, Unsigned(Default::default()));
    value.serialize(&mut ser).map_err(io::Error::from)?;
    buffered.flush()
}

/// serde_json's pretty formatter, with -0.0 written as 0.0.
struct Unsigned(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for Unsigned {
    fn write_f64<W: ?Sized + io::Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        self.0.write_f64(w, value + 0.0)
    }
    fn write_f32<W: ?Sized + io::Write>(&mut self, w: &mut W, value: f32) -> io::Result<()> {
        self.0.write_f32(w, value + 0.0)
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod json_tests {
    #[test]
    fn negative_zero_is_written_as_zero() {
        let mut out = Vec::new();
        super::write_json(&mut out, &serde_json::json!({ "a": [-0.0, 1.5, -2.0] })).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("-0.0"), "{text}");
        assert!(text.contains("0.0") && text.contains("-2.0"), "{text}");
    }
}
