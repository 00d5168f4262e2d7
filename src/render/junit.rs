//! `hacalc check --format junit`: one test case per target, for CI systems that show JUnit.

use super::xml_escape;
use crate::check::{TargetKind, Verdict};

pub fn render(name: &str, verdicts: &[Verdict]) -> String {
    let failures = verdicts.iter().filter(|v| !v.met).count();
    let name = xml_escape(name);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"hacalc check\" tests=\"{}\" failures=\"{failures}\">\n",
        verdicts.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failures}\">\n",
        verdicts.len()
    ));
    for v in verdicts {
        let case = match v.kind {
            TargetKind::Availability => "availability target",
            TargetKind::Downtime => "downtime target",
        };
        let summary = xml_escape(&v.summary);
        if v.met {
            out.push_str(&format!(
                "    <testcase classname=\"hacalc.{name}\" name=\"{case}\">\n      <system-out>{summary}</system-out>\n    </testcase>\n"
            ));
        } else {
            out.push_str(&format!(
                "    <testcase classname=\"hacalc.{name}\" name=\"{case}\">\n      <failure message=\"{summary}\" type=\"target missed\">{summary}</failure>\n    </testcase>\n"
            ));
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
