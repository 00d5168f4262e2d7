//! `hacalc check --format junit`: one test case per target, for CI systems that show JUnit.

use crate::check::{TargetKind, Verdict};

/// Escapes text for XML attributes and content.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

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
