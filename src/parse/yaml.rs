//! YAML text to a tree of located nodes.
//!
//! serde-saphyr does the YAML work: it rejects duplicate keys with their location, enforces a
//! budget against alias bombs and absurd nesting, and gives every node its line, column and
//! byte range. We read the document into a schema-free tree first (rather than straight into
//! typed structs) so that the conversion to the typed model can report *every* problem of a
//! file, each at its own line, instead of stopping at the first.

use crate::diagnostics::{Diagnostic, Pos};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// Deepest nesting of YAML collections accepted. Real models nest a few levels per block;
/// this bound keeps every recursive walk of the tree far from the stack limit.
pub const MAX_DEPTH: usize = 200;

/// Most YAML nodes accepted (a 100,000-component model uses about 700,000).
pub const MAX_NODES: usize = 20_000_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A plain number, with its text as written so that `0.999999999999999999` keeps its
    /// digits (the complement 1e-18 is computed from them exactly).
    Number {
        value: f64,
        text: String,
    },
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    /// What kind of YAML value this is, for messages such as "expected a list, found a number".
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Number { .. } => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Reads one YAML document. A syntax error, a duplicate key or a budget breach is one
/// diagnostic at its location (YAML cannot be read past such a point).
pub fn read(source: &str) -> Result<Node, Diagnostic> {
    if source.trim().is_empty() {
        return Err(Diagnostic::error(Pos::FILE, "the file is empty")
            .with_hint("a model needs at least a `system:` block; see `hacalc schema`"));
    }
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_nodes: MAX_NODES,
            max_events: 4 * MAX_NODES,
            max_depth: MAX_DEPTH,
            max_documents: 1,
            max_total_scalar_bytes: 512 * 1024 * 1024,
        },
        strict_booleans: true,
        with_snippet: false,
    };
    match serde_saphyr::from_str_with_options::<Spanned<RawValue>>(source, options) {
        Ok(raw) => Ok(lift(source, raw)),
        Err(e) => Err(yaml_error(source, &e)),
    }
}

fn yaml_error(source: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let pos = e
        .location()
        .map(|l| location_pos(source, &l))
        .unwrap_or(Pos::FILE);
    let text = e.without_snippet().to_string();
    // serde-saphyr prefixes its messages with "line L column C: "; we print the location ourselves.
    let msg = match text.find(": ") {
        Some(i) if text.starts_with("line ") => text[i + 2..].to_string(),
        _ => text,
    };
    let msg = msg.lines().next().unwrap_or("").trim().to_string();
    let lower = msg.to_lowercase();
    let hint = if lower.contains("duplicate") {
        Some("each key may appear once in a mapping; remove or rename one of them".to_string())
    } else if lower.contains("budget") || lower.contains("alias") || lower.contains("depth") {
        Some(format!(
            "hacalc limits YAML to {MAX_DEPTH} levels of nesting and {MAX_NODES} nodes, aliases included"
        ))
    } else {
        None
    };
    Diagnostic::error(pos, format!("invalid YAML: {msg}")).maybe_hint(hint)
}

fn location_pos(source: &str, l: &serde_saphyr::Location) -> Pos {
    let span = l.span();
    let offset = span
        .byte_offset()
        .map(|o| o as usize)
        .unwrap_or_else(|| offset_of(source, l.line(), l.column()));
    Pos {
        line: l.line().max(1) as u32,
        column: l.column().max(1) as u32,
        offset: offset.min(source.len()),
        len: span.byte_len().unwrap_or(0) as usize,
    }
}

fn offset_of(source: &str, line: u64, column: u64) -> usize {
    let mut off = 0;
    for (i, l) in source.split_inclusive('\n').enumerate() {
        if i as u64 + 1 == line {
            return off
                + l.char_indices()
                    .nth(column.saturating_sub(1) as usize)
                    .map_or(l.len(), |(b, _)| b);
        }
        off += l.len();
    }
    source.len()
}

/// Converts the serde-level tree to located nodes, recovering each number's text from the
/// source by its byte range.
fn lift(source: &str, raw: Spanned<RawValue>) -> Node {
    let pos = location_pos(source, &raw.referenced);
    let value = match raw.value {
        RawValue::Null => Value::Null,
        RawValue::Bool(b) => Value::Bool(b),
        RawValue::Number(v) => {
            let written = source
                .get(pos.offset..pos.offset + pos.len)
                .map(str::trim)
                .filter(|t| t.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)));
            Value::Number {
                value: v,
                text: written.map_or_else(|| v.to_string(), str::to_string),
            }
        }
        RawValue::Str(s) => Value::Str(s),
        RawValue::Seq(items) => Value::Seq(items.into_iter().map(|n| lift(source, n)).collect()),
        RawValue::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let kpos = location_pos(source, &k.referenced);
                    (
                        Key {
                            name: k.value,
                            pos: kpos,
                        },
                        lift(source, v),
                    )
                })
                .collect(),
        ),
    };
    Node { value, pos }
}

/// The schema-free value serde-saphyr fills in.
enum RawValue {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    Seq(Vec<Spanned<RawValue>>),
    Map(Vec<(Spanned<String>, Spanned<RawValue>)>),
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_none<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawValue, E> {
        Ok(RawValue::Number(v as f64))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawValue, E> {
        Ok(RawValue::Number(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<RawValue, E> {
        Ok(RawValue::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
        Ok(RawValue::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
        Ok(RawValue::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::with_capacity(a.size_hint().unwrap_or(0).min(1024));
        while let Some(x) = a.next_element()? {
            items.push(x);
        }
        Ok(RawValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawValue, A::Error> {
        let mut entries = Vec::with_capacity(a.size_hint().unwrap_or(0).min(1024));
        while let Some(entry) = a.next_entry()? {
            entries.push(entry);
        }
        Ok(RawValue::Map(entries))
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawValue, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_number_text_and_positions() {
        let src = "a:\n  b: 0.999999999999999999\n  c: [x, 2]\n";
        let n = read(src).unwrap();
        let Value::Map(top) = &n.value else { panic!() };
        let Value::Map(inner) = &top[0].1.value else {
            panic!()
        };
        assert_eq!(inner[0].0.name, "b");
        assert_eq!((inner[0].0.pos.line, inner[0].0.pos.column), (2, 3));
        match &inner[0].1.value {
            Value::Number { text, .. } => assert_eq!(text, "0.999999999999999999"),
            v => panic!("{v:?}"),
        }
        assert_eq!((inner[1].1.pos.line, inner[1].1.pos.column), (3, 6));
    }

    #[test]
    fn duplicate_keys_are_rejected_with_location() {
        let d = read("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(d.pos.line, 3);
        assert!(d.message.contains("duplicate"), "{}", d.message);
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(read(&src).is_err());
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let src = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let d = read(&src).unwrap_err();
        assert!(d.message.starts_with("invalid YAML"));
    }
}
