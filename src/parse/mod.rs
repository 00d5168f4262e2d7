//! Stage 1: YAML text to the typed model as written ([`written::Model`]), with locations.
//!
//! [`schema`] derives the JSON Schema of the format from the same types, so the published
//! schema and what the parser accepts cannot drift apart.

pub mod convert;
pub mod quantity;
pub mod schema;
pub mod written;
pub mod yaml;

use crate::diagnostics::Sink;

/// Reads a model. Returns the typed model (possibly incomplete) when the YAML could be read;
/// every problem found is in `sink`.
pub fn parse(source: &str, sink: &mut Sink) -> Option<written::Model> {
    let root = match yaml::read(source) {
        Ok(root) => root,
        Err(d) => {
            sink.push(d);
            return None;
        }
    };
    convert::Converter { sink }.model(&root)
}
