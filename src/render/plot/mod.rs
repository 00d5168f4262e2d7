//! Charts of the report, one file per chart, written as plain SVG (no fonts needed: text is
//! emitted as SVG text, laid out with the size estimate of [`axis::text_width`], which the
//! tests use too to check that no two texts overlap).

pub mod axis;
pub mod bars;
pub mod curves;
pub mod downtime;
pub mod served;
pub mod states;
pub mod sweep;
pub mod tornado;
pub mod uncertainty;

/// Width of a chart in the report, pixels.
pub const WIDTH: u32 = 820;

/// A colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RGBColor(pub u8, pub u8, pub u8);
