//! YAML text to a tree of located nodes.
//!
//! The tree is built from granit-parser's event stream (the YAML 1.2 parser behind
//! serde-saphyr), which gives every event its line, column and byte offset. Going through
//! events rather than serde keeps the number's text as written and is about three times faster
//! on a 100,000-component model. What the serde layer did for us is done here: duplicate keys
//! are rejected at their location, nesting is bounded, and aliases are expanded under a budget
//! so that an alias bomb stops with an error instead of exhausting memory.
//!
//! We read the document into a schema-free tree first (rather than straight into typed
//! structs) so that the conversion to the typed model can report *every* problem of a file,
//! each at its own line, instead of stopping at the first.

use crate::diagnostics::{Diagnostic, Pos};
use granit_parser::{Event, Parser, ScalarStyle, Span};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Deepest nesting of YAML collections accepted. Real models nest a few levels per block;
/// this bound keeps every recursive walk of the tree far from the stack limit.
pub const MAX_DEPTH: usize = 200;

/// Most YAML nodes accepted (a 100,000-component model has about 700,000).
pub const MAX_NODES: usize = 20_000_000;

/// Most nodes that aliases may add by expansion (against "billion laughs").
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// Text borrows from the source where YAML allows (plain scalars), so reading a large model
/// does not allocate a string per scalar.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'s> {
    Null,
    Bool(bool),
    /// A plain number, with its text as written so that `0.999999999999999999` keeps its
    /// digits (the complement 1e-18 is computed from them exactly).
    Number {
        value: f64,
        text: Cow<'s, str>,
    },
    Str(Cow<'s, str>),
    Seq(Vec<Node<'s>>),
    Map(Vec<(Key<'s>, Node<'s>)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node<'s> {
    pub value: Value<'s>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key<'s> {
    pub name: Cow<'s, str>,
    pub pos: Pos,
}

impl Node<'_> {
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

    fn size(&self) -> usize {
        match &self.value {
            Value::Seq(v) => 1 + v.iter().map(Node::size).sum::<usize>(),
            Value::Map(v) => 1 + v.iter().map(|(_, n)| 1 + n.size()).sum::<usize>(),
            _ => 1,
        }
    }
}

fn pos_of(span: &Span) -> Pos {
    let start = span.start.byte_offset().unwrap_or(0);
    let end = span.end.byte_offset().unwrap_or(start);
    Pos {
        line: span.start.line().max(1) as u32,
        column: span.start.col() as u32 + 1,
        offset: start as u32,
        len: end.saturating_sub(start) as u32,
    }
}

/// A collection being filled while its events arrive.
enum Open<'s> {
    Seq(Node<'s>, Vec<Node<'s>>),
    /// The mapping node, its entries, a key waiting for its value, and the keys seen (for
    /// duplicate detection in large mappings).
    Map(
        Node<'s>,
        Vec<(Key<'s>, Node<'s>)>,
        Option<Key<'s>>,
        HashSet<Cow<'s, str>>,
    ),
}

struct Builder<'s> {
    stack: Vec<(Open<'s>, usize)>,
    anchors: HashMap<usize, Node<'s>>,
    nodes: usize,
    alias_nodes: usize,
    root: Option<Node<'s>>,
}

/// What an empty file is told: a skeleton to start from.
pub const EMPTY_FILE_HINT: &str = "a model needs at least a `system:` block; start from this \
skeleton (the format: `hacalc help format`)

    name: my-service
    horizon: 1y
    targets:
      availability: 99.95%
    components:
      lb:  { mtbf: 2y,  mttr: 30m }
      web: { mtbf: 30d, mttr: 10m }
      db:  { mtbf: 90d, mttr: 2h }
    system:
      series:
        - lb
        - k_of_n: { k: 2, n: 3, of: web }
        - parallel: [db, db]";

/// Reads one YAML document. A syntax error, a duplicate key or a budget breach is one
/// diagnostic at its location (YAML cannot be read past such a point).
pub fn read(source: &str) -> Result<Node<'_>, Diagnostic> {
    if source.trim().is_empty() {
        return Err(Diagnostic::error(Pos::FILE, "the file is empty").with_hint(EMPTY_FILE_HINT));
    }
    // Positions are held in 32 bits.
    if u32::try_from(source.len()).is_err() {
        return Err(Diagnostic::error(
            Pos::FILE,
            format!(
                "the model is {} bytes, more than the 4 GiB a model can be",
                source.len()
            ),
        ));
    }
    let mut b = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        alias_nodes: 0,
        root: None,
    };
    let mut documents = 0;
    for event in Parser::new_from_str(source) {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            let offset = m.byte_offset().unwrap_or(0).min(source.len());
            Diagnostic::error(
                Pos {
                    line: m.line().max(1) as u32,
                    column: m.col() as u32 + 1,
                    offset: offset as u32,
                    len: 1,
                },
                format!(
                    "invalid YAML: {}",
                    e.info().lines().next().unwrap_or("syntax error")
                ),
            )
        })?;
        let pos = pos_of(&span);
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(Diagnostic::error(
                        pos,
                        "invalid YAML: a second document (`---`) in the file",
                    )
                    .with_hint("a model is one YAML document; split it into separate files"));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let plain = style == ScalarStyle::Plain
                    && tag
                        .as_ref()
                        .is_none_or(|t| !t.is_yaml_core_schema_tag("str"));
                let value = if plain {
                    resolve_plain(text)
                } else {
                    Value::Str(text)
                };
                b.add(Node { value, pos }, anchor)?;
            }
            Event::SequenceStart(_, anchor, _) => b.open(
                Open::Seq(
                    Node {
                        value: Value::Null,
                        pos,
                    },
                    Vec::new(),
                ),
                anchor,
            )?,
            Event::MappingStart(_, anchor, _) => b.open(
                Open::Map(
                    Node {
                        value: Value::Null,
                        pos,
                    },
                    Vec::new(),
                    None,
                    HashSet::new(),
                ),
                anchor,
            )?,
            Event::SequenceEnd | Event::MappingEnd => b.close()?,
            Event::Alias(id) => {
                let Some(node) = b.anchors.get(&id) else {
                    return Err(Diagnostic::error(
                        pos,
                        "invalid YAML: alias to an unknown anchor",
                    ));
                };
                let size = node.size();
                b.alias_nodes += size;
                if b.alias_nodes > MAX_ALIAS_NODES {
                    return Err(Diagnostic::error(pos, "invalid YAML: aliases expand to too many nodes")
                        .with_hint(format!("hacalc expands at most {MAX_ALIAS_NODES} nodes through aliases (a guard against alias bombs)")));
                }
                let mut copy = node.clone();
                copy.pos = pos;
                b.add(copy, 0)?;
            }
            _ => {}
        }
    }
    b.root
        .ok_or_else(|| Diagnostic::error(Pos::FILE, "the file has no YAML document"))
}

impl<'s> Builder<'s> {
    fn count(&mut self, pos: Pos) -> Result<(), Diagnostic> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(Diagnostic::error(
                pos,
                format!("invalid YAML: more than {MAX_NODES} nodes"),
            )
            .with_hint(
                "split the model, or use copies (`n:`) and named blocks instead of repeating parts",
            ));
        }
        Ok(())
    }

    fn open(&mut self, open: Open<'s>, anchor: usize) -> Result<(), Diagnostic> {
        let pos = match &open {
            Open::Seq(n, _) | Open::Map(n, ..) => n.pos,
        };
        self.count(pos)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(Diagnostic::error(pos, format!("invalid YAML: nested deeper than {MAX_DEPTH} levels"))
                .with_hint("hacalc limits nesting to keep every walk of the model bounded; use named blocks to flatten it"));
        }
        self.stack.push((open, anchor));
        Ok(())
    }

    fn close(&mut self) -> Result<(), Diagnostic> {
        let Some((open, anchor)) = self.stack.pop() else {
            return Ok(());
        };
        let node = match open {
            Open::Seq(mut n, items) => {
                n.value = Value::Seq(items);
                n
            }
            Open::Map(mut n, entries, _, _) => {
                n.value = Value::Map(entries);
                n
            }
        };
        self.add(node, anchor)
    }

    /// Adds a finished node to the collection being filled (or makes it the root).
    fn add(&mut self, node: Node<'s>, anchor: usize) -> Result<(), Diagnostic> {
        if !matches!(node.value, Value::Seq(_) | Value::Map(_)) {
            self.count(node.pos)?;
        }
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some((Open::Seq(_, items), _)) => items.push(node),
            Some((Open::Map(_, entries, pending, seen), _)) => match pending.take() {
                Some(key) => entries.push((key, node)),
                None => {
                    let name = match node.value {
                        Value::Str(s) => s,
                        Value::Number { text, .. } => text,
                        Value::Bool(b) => Cow::Owned(b.to_string()),
                        Value::Null => Cow::Borrowed("null"),
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(Diagnostic::error(
                                node.pos,
                                "invalid YAML: a key must be plain text, not a list or mapping",
                            ));
                        }
                    };
                    // Small mappings are scanned; large ones keep a set of their keys.
                    let duplicate = if entries.len() < 16 {
                        entries.iter().any(|(k, _)| k.name == name)
                    } else {
                        if seen.is_empty() {
                            seen.extend(entries.iter().map(|(k, _)| k.name.clone()));
                        }
                        !seen.insert(name.clone())
                    };
                    if duplicate {
                        let first = entries
                            .iter()
                            .find(|(k, _)| k.name == name)
                            .map_or(0, |(k, _)| k.pos.line);
                        return Err(Diagnostic::error(node.pos, format!("invalid YAML: duplicate key `{name}`"))
                            .with_hint(format!("`{name}` is already defined at line {first}; each key may appear once in a mapping")));
                    }
                    *pending = Some(Key {
                        name,
                        pos: node.pos,
                    });
                }
            },
        }
        Ok(())
    }
}

/// The YAML 1.2 core schema for plain scalars: null, booleans, numbers, else a string.
fn resolve_plain(text: Cow<'_, str>) -> Value<'_> {
    match &*text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return number(f64::INFINITY, text);
        }
        "-.inf" | "-.Inf" | "-.INF" => return number(f64::NEG_INFINITY, text),
        ".nan" | ".NaN" | ".NAN" => return number(f64::NAN, text),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::Str(text);
    }
    if let Some(hex) = text.strip_prefix("0x")
        && let Ok(v) = u64::from_str_radix(hex, 16)
    {
        return number(v as f64, text.clone());
    }
    if let Some(oct) = text.strip_prefix("0o")
        && let Ok(v) = u64::from_str_radix(oct, 8)
    {
        return number(v as f64, text.clone());
    }
    // Decimal integers and floats; Rust's parser also takes "inf"/"nan", which YAML spells
    // differently, so require a digit.
    if text.bytes().any(|c| c.is_ascii_digit())
        && text
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E'))
        && let Ok(v) = text.parse::<f64>()
    {
        return number(v, text);
    }
    Value::Str(text)
}

fn number(value: f64, text: Cow<'_, str>) -> Value<'_> {
    Value::Number { value, text }
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
    fn scalars_follow_the_core_schema() {
        let n = read("[1, 2.5, -3e2, '4', yes, true, null, ~, 30m, 99.9%, .inf, 0x1F]").unwrap();
        let Value::Seq(v) = n.value else { panic!() };
        let kinds: Vec<&str> = v.iter().map(Node::kind).collect();
        assert_eq!(
            kinds,
            [
                "a number",
                "a number",
                "a number",
                "a string",
                "a string",
                "a boolean",
                "nothing (null)",
                "nothing (null)",
                "a string",
                "a string",
                "a number",
                "a number"
            ]
        );
    }

    #[test]
    fn duplicate_keys_are_rejected_with_location() {
        let d = read("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!((d.pos.line, d.pos.column), (3, 1));
        assert!(d.message.contains("duplicate key `a`"), "{}", d.message);
        assert!(d.hint.unwrap().contains("line 1"));
        let many: String = (0..40).map(|i| format!("k{i}: 1\n")).collect::<String>() + "k7: 2\n";
        assert!(
            read(&many)
                .unwrap_err()
                .message
                .contains("duplicate key `k7`")
        );
    }

    #[test]
    fn aliases_expand_and_bombs_are_bounded() {
        let n = read("a: &x [1, 2]\nb: *x\n").unwrap();
        let Value::Map(m) = n.value else { panic!() };
        assert_eq!(m[0].1.value, m[1].1.value);
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(read(&src).unwrap_err().message.contains("aliases expand"));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let src = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let d = read(&src).unwrap_err();
        assert!(d.message.starts_with("invalid YAML"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let d = read("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(d.pos.line, 2);
        assert!(d.message.starts_with("invalid YAML"));
        assert!(
            read("a: 1\n---\nb: 2\n")
                .unwrap_err()
                .message
                .contains("second document")
        );
    }
}
