//! `hacalc check --format text`: one verdict line per target, then the overall result.

use crate::check::Verdict;

/// Plain text; the CLI adds colour on a terminal.
pub fn render(name: &str, verdicts: &[Verdict]) -> String {
    let mut out = String::new();
    for v in verdicts {
        out.push_str(&format!(
            "{} {}\n",
            if v.met { "PASS" } else { "FAIL" },
            v.summary
        ));
    }
    let failed = verdicts.iter().filter(|v| !v.met).count();
    if failed == 0 {
        out.push_str(&format!("{name}: all {} targets met\n", verdicts.len()));
    } else {
        out.push_str(&format!(
            "{name}: {failed} of {} targets missed\n",
            verdicts.len()
        ));
    }
    out
}
