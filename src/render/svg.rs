//! `hacalc report --format svg`: the system's block diagram alone, as a standalone SVG file.

use super::{Exporter, Section, diagram};
use crate::analysis::Analysis;
use std::io;

pub struct Svg;

impl Exporter for Svg {
    fn sections(&self) -> &'static [Section] {
        &[]
    }

    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
        let d = diagram::diagram(a, a.structure.root, true);
        // The name is in the SVG's aria-label; a comment could not hold every name ("--").
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- block diagram made by hacalc -->\n{}\n",
            d.svg
        )
    }
}
