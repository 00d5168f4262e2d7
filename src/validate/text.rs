//! Names that print safely: no character that could forge a line of output, reorder what a
//! reader sees, or make XML ill-formed.

use crate::diagnostics::{Diagnostic, Pos, Sink};

/// Why `c` may not appear in a name, if it may not.
pub fn forbidden(c: char) -> Option<&'static str> {
    let u = c as u32;
    match u {
        0x0A => Some("a line feed"),
        0x0D => Some("a carriage return"),
        0x09 => Some("a tab"),
        0x1B => Some("an escape (ESC)"),
        0x00..=0x1F | 0x7F => Some("a control character"),
        0x80..=0x9F => Some("a C1 control character"),
        0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C => {
            Some("a bidirectional-text control (it can reorder what a reader sees)")
        }
        0xFDD0..=0xFDEF => Some("a noncharacter"),
        _ if u & 0xFFFE == 0xFFFE => Some("a noncharacter"),
        _ => None,
    }
}

/// Reports the first forbidden character of a name, if any; true when the name is clean.
pub fn check_name(name: &str, what: &str, pos: Pos, sink: &mut Sink) -> bool {
    let Some((i, c, why)) = name
        .chars()
        .enumerate()
        .find_map(|(i, c)| forbidden(c).map(|w| (i, c, w)))
    else {
        return true;
    };
    sink.push(
        Diagnostic::error(
            pos,
            format!(
                "{what} contains U+{:04X}, {why}, at character {}",
                c as u32,
                i + 1
            ),
        )
        .with_hint("names may not contain control, bidirectional-override or noncharacter code points (they would print as something else); use letters, digits, spaces and punctuation"),
    );
    false
}

/// A description may hold line breaks and tabs, nothing else that `check_name` forbids.
pub fn check_description(text: &str, pos: Pos, sink: &mut Sink) -> bool {
    let Some((i, c, why)) = text
        .chars()
        .enumerate()
        .filter(|(_, c)| !matches!(c, '\n' | '\t'))
        .find_map(|(i, c)| forbidden(c).map(|w| (i, c, w)))
    else {
        return true;
    };
    sink.push(
        Diagnostic::error(
            pos,
            format!(
                "the description contains U+{:04X}, {why}, at character {}",
                c as u32,
                i + 1
            ),
        )
        .with_hint("descriptions may hold line breaks but no other control, bidirectional-override or noncharacter code points"),
    );
    false
}
