//! Charts of the report, one file per chart, drawn with plotters' SVG backend (no fonts
//! needed: text is emitted as SVG text, sized by estimate).

pub mod bars;
pub mod curves;
pub mod downtime;
pub mod states;
pub mod tornado;

/// Width of a chart in the report, pixels.
pub const WIDTH: u32 = 820;

/// Pixels for a label of `chars` characters at the charts' font size.
pub fn label_width(chars: usize) -> u32 {
    (chars as u32 * 7 + 16).clamp(60, 260)
}

/// plotters writes a standalone SVG; inline in HTML the namespace declaration is not needed
/// (and a report should not contain any URL).
pub fn inline(svg: String) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

/// The label of a category row in a horizontal bar chart whose first row is at the top.
pub fn row_label(labels: &[String], v: &plotters::prelude::SegmentValue<i32>) -> String {
    match v {
        plotters::prelude::SegmentValue::CenterOf(i) => labels
            .get((labels.len() as i32 - 1 - *i) as usize)
            .cloned()
            .unwrap_or_default(),
        _ => String::new(),
    }
}
