//! Stage 1: YAML text to the typed model as written ([`model::Model`]), with locations.

pub mod convert;
pub mod model;
pub mod quantity;
pub mod yaml;

use crate::diagnostics::Sink;

/// Reads a model. Returns the typed model (possibly incomplete) when the YAML could be read;
/// every problem found is in `sink`.
pub fn parse(source: &str, sink: &mut Sink) -> Option<model::Model> {
    let root = match yaml::read(source) {
        Ok(root) => root,
        Err(d) => {
            sink.push(d);
            return None;
        }
    };
    convert::Converter { sink }.model(&root)
}
