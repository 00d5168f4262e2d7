//! `hacalc schema`: the JSON Schema of the model format, derived from the parser's own types
//! ([`crate::parse::written`]), for editor completion and validation (e.g. the YAML language
//! server's `# yaml-language-server: $schema=...` comment).

use crate::parse::written::Model;
use schemars::generate::SchemaSettings;

/// The schema as a JSON value.
pub fn schema() -> serde_json::Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<Model>().to_value();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".to_string(),
            serde_json::Value::String("https://hacalc.dev/schema/model.json".to_string()),
        );
    }
    schema
}

/// The schema as pretty-printed JSON text.
pub fn schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).expect("schema serialises");
    s.push('\n');
    s
}
