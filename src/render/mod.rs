//! Stage 6: an analysis for people and programs, one file per output format.
//!
//! Every format implements [`Exporter`] (in the spirit of hyperfine's exporters and
//! criterion's reports): it says which [`Section`]s of an analysis it shows and writes them.
//! Exporters format; they never solve. The headline figures are formatted once
//! ([`headline`]), text is made safe for each medium once ([`text`]), and the charts are one
//! file each under [`plot`].

pub mod check_text;
pub mod cuts;
pub mod diagram;
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
pub fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// How many of `len` rows to show for `--top N` (0: all).
pub fn shown(len: usize, top: usize) -> usize {
    if top == 0 { len } else { top.min(len) }
}
