//! `hacalc report --format svg`: the system's block diagram alone, as a standalone SVG file.

use super::text::xml_escape;
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
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- block diagram of {} made by hacalc -->\n{}\n",
            xml_escape(&d.title).replace("--", "- -"),
            d.svg
        )
    }
}
