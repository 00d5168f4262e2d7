//! `hacalc check --format text`: one verdict line per target, then the overall result,
//! coloured (the CLI's writer drops the colour where the output is not a terminal).

use super::{Exporter, Section};
use crate::analysis::Analysis;
use anstyle::AnsiColor;
use std::io;

pub struct CheckText;

impl Exporter for CheckText {
    fn sections(&self) -> &'static [Section] {
        &[Section::Targets]
    }

    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
        let pass = AnsiColor::Green.on_default().bold();
        let fail = AnsiColor::Red.on_default().bold();
        for v in &a.verdicts {
            let (style, word) = if v.met {
                (pass, "PASS")
            } else {
                (fail, "FAIL")
            };
            writeln!(out, "{style}{word}{style:#} {}", v.summary)?;
        }
        let n = a.verdicts.len();
        let failed = a.verdicts.iter().filter(|v| !v.met).count();
        let name = &a.solution.name;
        if failed == 0 {
            writeln!(out, "{name}: all {n} targets met")
        } else {
            writeln!(out, "{fail}{name}: {failed} of {n} targets missed{fail:#}")
        }
    }
}
