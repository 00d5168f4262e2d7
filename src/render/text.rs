//! Text made safe and short for each medium, in one place: XML/HTML escaping, Markdown table
//! cells, shortened labels, and the style of terminal tables.

pub use crate::diagnostics::printable;
use comfy_table::{Cell, CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};

/// A coordinate written with one decimal, exactly as `{:.1}` writes it, without the exact
/// float formatter's cost (a large diagram writes tens of thousands): a value that is a whole
/// number of tenths (every coordinate of a diagram laid out in whole and half pixels) is
/// written from integers; any other falls back to `{:.1}`.
#[derive(Clone, Copy)]
pub struct Tenths(pub f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0;
        let tenths = v * 10.0;
        // Within ±2^53 a whole product is exact enough: v is then within half an ulp of
        // tenths / 10, far from any rounding tie of one decimal.
        if tenths.fract() == 0.0 && tenths.abs() < 9.0e15 {
            let t = tenths.abs() as u64;
            let sign = if v.is_sign_negative() { "-" } else { "" };
            write!(f, "{sign}{}.{}", t / 10, t % 10)
        } else {
            write!(f, "{v:.1}")
        }
    }
}

/// Escapes text for XML and HTML attributes and content (SVG, JUnit). Characters that would
/// not print as themselves (controls, bidi overrides, noncharacters, which XML also forbids)
/// become `?` first.
pub fn xml_escape(s: &str) -> String {
    let s = printable(s);
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a Markdown table cell: pipes, HTML and emphasis characters (and, as for
/// XML, characters that would not print as themselves).
pub fn markdown_escape(s: &str) -> String {
    let s = printable(s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(ch) = chars.next() {
        let next = chars.peek().copied();
        match ch {
            '|' => out.push_str("\\|"),
            // `<` opens HTML only before a letter, `/`, `!` or `?`; `&` starts an entity only
            // before a letter or `#`. Elsewhere (`>=`, `a < b`, `x & y`) they are written as
            // they are, so that the Markdown reads as well as it renders.
            '<' if next
                .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?')) =>
            {
                out.push_str("&lt;")
            }
            '&' if next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '#') => {
                out.push_str("&amp;")
            }
            // A `>` opens a block quote only at the start of a line.
            '>' if out.is_empty() => out.push_str("\\>"),
            '"' => out.push_str("&quot;"),
            '*' | '_' | '`' | '[' | ']' | '\\' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `name` cut to `max` characters, with an ellipsis when cut.
pub fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(max - 1).collect::<String>())
    }
}

/// A rule under the header and nothing else: quiet, and easy to read in a narrow terminal.
const TABLE_STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// A terminal table with these headers, every column but the first aligned right.
pub fn table(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(TABLE_STYLE)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers.iter().map(Cell::new));
    for i in 1..headers.len() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// A table as text, every line without the blanks that pad its last column: a line that
/// ends in spaces is noise in a diff, a pasted ticket and an editor that shows them.
pub fn lines(t: &Table) -> String {
    let mut out = String::new();
    for line in t.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.pop();
    out
}

/// A terminal table of key-value rows without a header.
pub fn key_values() -> Table {
    let mut t = Table::new();
    t.load_style(TABLE_STYLE)
        .set_content_arrangement(ContentArrangement::Disabled);
    t
}

#[cfg(test)]
mod tests {
    use super::Tenths;
    use super::markdown_escape as md;

    /// The fast path writes what `{:.1}` writes: whole and half pixels, tenths that are not
    /// exact in binary, signs (negative zero included), values with more digits (the fallback),
    /// and numbers too large for the integer path.
    #[test]
    fn tenths_write_what_the_float_formatter_writes() {
        let mut values = vec![
            0.0, -0.0, 0.05, -0.05, 0.25, 0.35, 1e15, 9.1e15, 1e300, -1e300,
        ];
        for i in -3000..3000 {
            values.push(i as f64 / 2.0);
            values.push(i as f64 / 10.0);
            values.push(i as f64 * 0.1);
            values.push(i as f64 / 3.0);
            values.push(i as f64 * 7.0 + 20.0);
        }
        for v in values {
            assert_eq!(Tenths(v).to_string(), format!("{v:.1}"), "{v:e}");
        }
    }

    #[test]
    fn markdown_comparisons_read_as_written() {
        assert_eq!(md("99.99% >= target 99.9%"), "99.99% >= target 99.9%");
        assert_eq!(md("30m <= max 4h"), "30m <= max 4h");
        assert_eq!(md("a < b & c"), "a < b & c");
        // What would be HTML, an entity or a block quote is still escaped.
        assert_eq!(md("<script>"), "&lt;script>");
        assert_eq!(md("</b>"), "&lt;/b>");
        assert_eq!(md("&amp;"), "&amp;amp;");
        assert_eq!(md("> quote"), "\\> quote");
        assert_eq!(md("a|b"), "a\\|b");
    }
}
