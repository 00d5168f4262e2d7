//! What every fuzz target checks of an analysis: numbers that hold, bounded work.

use hacalc::{Analysis, Options};

/// Limits small enough that one input cannot take long: the fuzzer looks for crashes and
/// wrong numbers, and a slow input only slows the search.
pub fn options() -> Options {
    let mut o = Options::default();
    o.limits.max_states = 5_000;
    o
}

/// Every figure finite, in range, A + U = 1.
pub fn check_numbers(a: &Analysis) {
    let s = &a.solution.system;
    assert!(s.avail.is_sound(), "system {:?}", s.avail);
    assert!(s.frequency.is_none_or(|f| f.is_finite() && f >= 0.0));
    for c in &a.solution.components {
        assert!(c.measures.avail.is_sound());
        assert!(c.birnbaum.is_finite() && c.birnbaum >= 0.0, "{}", c.birnbaum);
        assert!(c.unavailability_saved.is_finite() && c.unavailability_saved >= 0.0);
    }
    for v in &a.solution.nodes {
        assert!(v.measures.avail.is_sound());
    }
}

/// No character that would not print as itself reaches a text output.
pub fn check_text(out: &str) {
    for c in out.chars() {
        let u = c as u32;
        let control = (u < 0x20 && !matches!(c, '\n' | '\t'))
            || (0x7F..=0x9F).contains(&u)
            || (0x202A..=0x202E).contains(&u)
            || (0x2066..=0x2069).contains(&u)
            || u & 0xFFFE == 0xFFFE;
        assert!(!control, "U+{u:04X} in output");
    }
}
