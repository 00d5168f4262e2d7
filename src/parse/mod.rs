//! Stage 1: YAML text to the typed model as written ([`written::Model`]), with locations.
//!
//! [`schema`] derives the JSON Schema of the format from the same types, so the published
//! schema and what the parser accepts cannot drift apart.

pub mod assign;
pub mod convert;
pub mod distribution;
pub mod quantity;
pub mod schema;
pub mod written;
pub mod yaml;

use crate::diagnostics::{Diagnostic, Pos, Sink};

/// The model's bytes as text, or a located error at the first byte that is not UTF-8 (with
/// the text decoded lossily, so the error can show the line).
pub fn decode(bytes: Vec<u8>) -> Result<String, (Diagnostic, String)> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..at]);
            let line = before.matches('\n').count() as u32 + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            let d = Diagnostic::error(
                Pos {
                    line,
                    column,
                    offset: at as u32,
                    len: 1,
                },
                format!(
                    "the file is not UTF-8 text: byte {at} (0x{:02X}) starts no character",
                    bytes[at]
                ),
            )
            .with_hint("save the model as UTF-8 (YAML files are UTF-8)");
            Err((d, String::from_utf8_lossy(&bytes).into_owned()))
        }
    }
}

/// Reads a model. Returns the typed model (possibly incomplete) when the YAML could be read;
/// every problem found is in `sink`.
pub fn parse(source: &str, sink: &mut Sink) -> Option<written::Model> {
    let mut root = match yaml::read(source) {
        Ok(root) => root,
        Err(d) => {
            sink.push(d);
            return None;
        }
    };
    convert::Converter { sink }.model(&mut root)
}

/// Reads a model changed by `edits` (a variant, `--set` assignments): the same checks as a
/// file that says what the edits say.
pub fn parse_edited(
    source: &str,
    edits: &assign::Edits,
    sink: &mut Sink,
) -> Option<written::Model> {
    if edits.is_empty() {
        return parse(source, sink);
    }
    let mut root = match yaml::read(source) {
        Ok(root) => root,
        Err(d) => {
            sink.push(d);
            return None;
        }
    };
    // The edits that apply are applied and the model read on, so that every problem, of the
    // edits and of the edited model, is listed in one run.
    if let Err(problems) = assign::apply_edits(&mut root, source.len(), edits) {
        problems.into_iter().for_each(|d| sink.push(d));
    }
    convert::Converter { sink }.model(&mut root)
}
