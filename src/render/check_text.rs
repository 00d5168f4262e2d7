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
            if !v.budgets.is_empty() {
                writeln!(out, "     {}", v.budget_line())?;
            }
        }
        let n = a.verdicts.len();
        let failed = a.verdicts.iter().filter(|v| !v.met).count();
        let name = &a.solution.name;
        writeln!(out, "{}", overall(name, n, failed, (pass, fail)))
    }
}

/// The last line: "the target met", "both targets met", "all 3 targets met", "the target
/// missed", "1 of 2 targets missed".
fn overall(
    name: &str,
    n: usize,
    failed: usize,
    (_, fail): (anstyle::Style, anstyle::Style),
) -> String {
    match (n, failed) {
        (1, 0) => format!("{name}: the target met"),
        (2, 0) => format!("{name}: both targets met"),
        (n, 0) => format!("{name}: all {n} targets met"),
        (1, _) => format!("{fail}{name}: the target missed{fail:#}"),
        (2, 2) => format!("{fail}{name}: both targets missed{fail:#}"),
        (n, f) => format!("{fail}{name}: {f} of {n} targets missed{fail:#}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wording_agrees_with_the_count() {
        let plain = (anstyle::Style::new(), anstyle::Style::new());
        let line = |n, f| super::overall("m", n, f, plain);
        assert_eq!(line(1, 0), "m: the target met");
        assert_eq!(line(1, 1), "m: the target missed");
        assert_eq!(line(2, 0), "m: both targets met");
        assert_eq!(line(2, 1), "m: 1 of 2 targets missed");
        assert_eq!(line(2, 2), "m: both targets missed");
        assert_eq!(line(3, 0), "m: all 3 targets met");
        assert_eq!(line(3, 1), "m: 1 of 3 targets missed");
    }
}
