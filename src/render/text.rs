//! Text made safe and short for each medium, in one place: XML/HTML escaping, Markdown table
//! cells, shortened labels, and the style of terminal tables.

pub use crate::diagnostics::printable;
use comfy_table::{Cell, CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};

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
    for ch in s.chars() {
        match ch {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
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

/// A terminal table of key-value rows without a header.
pub fn key_values() -> Table {
    let mut t = Table::new();
    t.load_style(TABLE_STYLE)
        .set_content_arrangement(ContentArrangement::Disabled);
    t
}
