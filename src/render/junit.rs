//! `hacalc check --format junit`: one test case per target, for CI systems that show JUnit;
//! warnings go to the suite's `<system-err>`.

use super::text::xml_escape;
use super::{Exporter, Section};
use crate::analysis::Analysis;
use crate::analysis::targets::TargetKind;
use std::fmt::Write as _;
use std::io;

pub struct Junit;

impl Exporter for Junit {
    fn sections(&self) -> &'static [Section] {
        &[Section::Targets, Section::Warnings]
    }

    fn write(&self, a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
        let verdicts = &a.verdicts;
        let failures = verdicts.iter().filter(|v| !v.met).count();
        let name = xml_escape(&a.solution.name);
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            s,
            "<testsuites name=\"hacalc check\" tests=\"{}\" failures=\"{failures}\">",
            verdicts.len()
        );
        let _ = writeln!(
            s,
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failures}\">",
            verdicts.len()
        );
        for v in verdicts {
            let case = match v.kind {
                TargetKind::Availability => "availability target",
                TargetKind::Downtime => "downtime target",
                TargetKind::Slo => "promise (slo)",
                TargetKind::Served => "served target",
                TargetKind::Durability => "durability target",
            };
            let summary = xml_escape(&v.summary);
            if v.met {
                let _ = writeln!(
                    s,
                    "    <testcase classname=\"hacalc.{name}\" name=\"{case}\">\n      <system-out>{summary}</system-out>\n    </testcase>"
                );
            } else {
                let _ = writeln!(
                    s,
                    "    <testcase classname=\"hacalc.{name}\" name=\"{case}\">\n      <failure message=\"{summary}\" type=\"target missed\">{summary}</failure>\n    </testcase>"
                );
            }
        }
        if !a.warnings.is_empty() {
            let lines: Vec<String> = a
                .warnings
                .iter()
                .map(|w| {
                    xml_escape(&format!(
                        "{}:{}:{}: warning: {}",
                        a.file, w.pos.line, w.pos.column, w.message
                    ))
                })
                .collect();
            let _ = writeln!(s, "    <system-err>{}</system-err>", lines.join("\n"));
        }
        s.push_str("  </testsuite>\n</testsuites>\n");
        out.write_all(s.as_bytes())
    }
}

/// A JUnit file for a model that could not be analysed: one failing test case holding every
/// problem, so that CI shows a failure rather than an empty or missing report.
pub fn invalid_model(report: &crate::diagnostics::Report) -> String {
    let name = xml_escape(&report.file);
    let problems = xml_escape(&report.to_plain());
    let errors = report.errors().count();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hacalc check\" tests=\"1\" failures=\"1\">\n  <testsuite name=\"{name}\" tests=\"1\" failures=\"1\">\n    <testcase classname=\"hacalc.{name}\" name=\"model is valid\">\n      <failure message=\"{errors} problem{} in the model\" type=\"invalid model\">{problems}</failure>\n    </testcase>\n  </testsuite>\n</testsuites>\n",
        if errors == 1 { "" } else { "s" }
    )
}
