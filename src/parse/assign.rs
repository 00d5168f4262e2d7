//! Assignments `PATH=VALUE`: `--set` on the command line and the model's `variants:`.
//!
//! An assignment edits the YAML tree before it is converted, so an edited model goes through
//! exactly the checks of a file with that text: `--set db.mttr=30m` and a file that says
//! `mttr: 30m` under `db` give the same numbers, bit for bit, and the same errors.
//!
//! A command-line value has no place in the file, so its nodes are placed past the end of the
//! model's text: [`Edits::base`] gives each argument its own range there, and
//! [`crate::diagnostics::Report`] shows a problem in that range against the argument it came
//! from (`--set db.mttr=-5m:1:12: error: ...`).
//!
//! A path names keys as the file does, separated by dots. Its first name is a top-level key
//! (`horizon`, `targets.availability`, `teams.oncall.size`), a component (`db.mttr`) or a
//! named block (`frontend.k`); inside a block the kind's own mapping is implied
//! (`frontend.k` is `blocks.frontend.k_of_n.k`); a list is indexed from 0
//! (`system.series.1`). Names that contain dots are matched whole first.

use super::written::{Block, Model};
use super::yaml::{self, Key, Node, Value};
use crate::diagnostics::{Diagnostic, Pos, did_you_mean};
use std::borrow::Cow;

/// What changes a model before it is read: a variant of the file, then `--set` assignments
/// (so that a `--set` wins over the variant).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edits {
    /// `--variant NAME`: the assignments under `variants: { NAME: ... }` of the file.
    pub variant: Option<String>,
    /// `--set PATH=VALUE`, as written.
    pub sets: Vec<String>,
    /// Assignments made by a command rather than typed with `--set` (a sweep's point, an
    /// allocation's proposal): the flag or word they are shown under, and `PATH=VALUE`.
    pub generated: Vec<(String, String)>,
}

impl Edits {
    pub fn is_empty(&self) -> bool {
        self.variant.is_none() && self.sets.is_empty() && self.generated.is_empty()
    }

    /// Only the variant.
    pub fn variant(name: &str) -> Edits {
        Edits {
            variant: Some(name.to_string()),
            ..Edits::default()
        }
    }

    /// The command-line arguments as they are shown in messages, in the order of their
    /// ranges past the model's text.
    pub fn arguments(&self) -> Vec<String> {
        self.variant
            .iter()
            .map(|v| format!("--variant {v}"))
            .chain(self.sets.iter().map(|s| format!("--set {s}")))
            .chain(self.generated.iter().map(|(f, s)| format!("{f} {s}")))
            .collect()
    }

    /// Where argument `i` (of [`Edits::arguments`]) starts in the offsets past a model text of
    /// `source_len` bytes.
    pub fn base(arguments: &[String], source_len: usize, i: usize) -> usize {
        source_len + 1 + arguments[..i].iter().map(|a| a.len() + 1).sum::<usize>()
    }

    /// A short label of the edits for output headers: `variant fast; db.mttr=30m`.
    pub fn label(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .variant
            .iter()
            .map(|v| format!("variant {v}"))
            .chain(self.sets.iter().cloned())
            .chain(self.generated.iter().map(|(_, s)| s.clone()))
            .collect();
        Some(parts.join("; "))
    }
}

/// One name of a path and where it is written.
#[derive(Debug, Clone)]
pub struct Segment {
    pub name: String,
    pub pos: Pos,
    /// Written in double quotes: matched as one whole name (it may hold dots or `=`).
    pub quoted: bool,
}

/// `PATH=VALUE`, read.
#[derive(Debug, Clone)]
pub struct Assignment<'s> {
    pub path: Vec<Segment>,
    pub value: Node<'s>,
    /// The whole assignment (for errors about it as a whole).
    pub pos: Pos,
}

/// Reads `--set TEXT`, where the argument as shown (`--set TEXT`) starts at `base`.
pub fn parse_argument(text: &str, base: usize) -> Result<Assignment<'_>, Diagnostic> {
    parse_flagged(text, base, "--set")
}

/// The first `=` outside double quotes.
fn assignment_sign(text: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '=' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// Reads `PATH=VALUE` shown after `flag` (`--set`, `--param`...), the argument as shown
/// (`FLAG TEXT`) starting at `base`.
pub fn parse_flagged<'t>(
    text: &'t str,
    base: usize,
    flag: &str,
) -> Result<Assignment<'t>, Diagnostic> {
    let prefix = flag.len() + 1;
    let at = |offset: usize, len: usize| Pos {
        line: 1,
        column: (prefix + text[..offset].chars().count()) as u32 + 1,
        offset: (base + prefix + offset) as u32,
        len: len as u32,
    };
    let whole = at(0, text.len());
    let Some(eq) = assignment_sign(text) else {
        return Err(
            Diagnostic::error(whole, format!("`{text}` is not an assignment: no `=`"))
                .with_hint("write PATH=VALUE, e.g. --set db.mttr=30m (quote a name that holds `=`: \"a=b\".mttr=1h)"),
        );
    };
    if text.contains('\n') || text.contains('\r') {
        return Err(Diagnostic::error(whole, "an assignment must be one line"));
    }
    let path = segments(&text[..eq], at)?;
    let value_text = &text[eq + 1..];
    if value_text.trim().is_empty() {
        return Err(
            Diagnostic::error(at(eq, 1), format!("`{}` is given no value", &text[..eq]))
                .with_hint("write the value after `=`, e.g. --set db.mttr=30m"),
        );
    }
    let mut value = yaml::read(value_text).map_err(|mut d| {
        d.pos = at(
            eq + 1 + (d.pos.offset as usize).min(value_text.len()),
            d.pos.len.max(1) as usize,
        );
        d
    })?;
    let shift_columns = (prefix + text[..eq + 1].chars().count()) as u32;
    shift(&mut value, base + prefix + eq + 1, shift_columns);
    Ok(Assignment {
        path,
        value,
        pos: whole,
    })
}

/// The assignments of the file's variant `name` (a mapping of paths to values); an unknown
/// name is an error at `argument`.
pub fn variant<'s>(
    root: &Node<'s>,
    name: &str,
    argument: Pos,
) -> Result<Vec<Assignment<'s>>, Diagnostic> {
    let names = variant_names(root);
    let Some(node) = field(root, "variants").and_then(|v| field(v, name)) else {
        let d = Diagnostic::error(argument, format!("the model has no variant `{name}`"));
        return Err(if names.is_empty() {
            d.with_hint("declare it under `variants:` in the model, e.g. `variants: { fast: { db.mttr: 10m } }`")
        } else {
            d.with_hint(
                did_you_mean(name, names.iter().map(String::as_str))
                    .unwrap_or_else(|| format!("the model's variants: {}", names.join(", "))),
            )
        });
    };
    variant_assignments(node)
}

/// The assignments written under one variant.
pub fn variant_assignments<'s>(node: &Node<'s>) -> Result<Vec<Assignment<'s>>, Diagnostic> {
    let Value::Map(entries) = &node.value else {
        return Err(Diagnostic::error(
            node.pos,
            format!(
                "a variant must be a mapping of PATH: VALUE assignments, found {}",
                node.kind()
            ),
        )
        .with_hint("e.g. `fast-failover: { db.mttr: 10m }`"));
    };
    entries
        .iter()
        .map(|(key, value)| {
            // A quoted key's text starts one byte in; columns are approximate then.
            let quoted = key.pos.len as usize > key.name.len();
            let start = usize::from(quoted);
            let path = segments(&key.name, |offset, len| Pos {
                line: key.pos.line,
                column: key.pos.column + (start + offset) as u32,
                offset: key.pos.offset + (start + offset) as u32,
                len: len as u32,
            })?;
            Ok(Assignment {
                path,
                value: value.clone(),
                pos: key.pos,
            })
        })
        .collect()
}

/// The names of the file's variants, in the order written.
pub fn variant_names(root: &Node) -> Vec<String> {
    match field(root, "variants").map(|v| &v.value) {
        Some(Value::Map(entries)) => entries.iter().map(|(k, _)| k.name.to_string()).collect(),
        _ => Vec::new(),
    }
}

fn field<'a, 's>(node: &'a Node<'s>, key: &str) -> Option<&'a Node<'s>> {
    match &node.value {
        Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
        _ => None,
    }
}

/// A path as a command gives it (no place to point at): its names.
pub fn path_of(path: &str) -> Result<Vec<Segment>, Diagnostic> {
    segments(path, |_, _| Pos::FILE)
}

/// A dotted path split into located names; a name in double quotes is one name whatever it
/// holds (`components."db.primary".mttr`).
fn segments(path: &str, at: impl Fn(usize, usize) -> Pos) -> Result<Vec<Segment>, Diagnostic> {
    let mut out = Vec::new();
    let bytes = path.as_bytes();
    let mut i = 0;
    let empty = |start: usize, len: usize| {
        Diagnostic::error(
            at(start, len.max(1)),
            format!("`{path}` has an empty name in its path"),
        )
        .with_hint("a path is names separated by single dots, e.g. db.mttr; quote a name that holds dots: \"db.primary\".mttr")
    };
    loop {
        let lead = path[i..].len() - path[i..].trim_start().len();
        let start = i + lead;
        if bytes.get(start) == Some(&b'"') {
            let Some(close) = path[start + 1..].find('"') else {
                return Err(Diagnostic::error(
                    at(start, path.len() - start),
                    format!("`{path}` has a quote that is not closed"),
                ));
            };
            let name = &path[start + 1..start + 1 + close];
            if name.is_empty() {
                return Err(empty(start, 2));
            }
            out.push(Segment {
                name: name.to_string(),
                pos: at(start, close + 2),
                quoted: true,
            });
            let after = start + close + 2;
            let rest = &path[after..];
            let trail = rest.len() - rest.trim_start().len();
            match rest.trim_start().as_bytes().first() {
                None => return Ok(out),
                Some(b'.') => i = after + trail + 1,
                Some(_) => {
                    return Err(Diagnostic::error(
                        at(after, rest.len()),
                        format!("`{path}`: a quoted name must be followed by `.` or the end"),
                    ));
                }
            }
            continue;
        }
        let end = path[i..].find('.').map_or(path.len(), |d| i + d);
        let part = &path[i..end];
        let trimmed = part.trim();
        if trimmed.is_empty() {
            return Err(empty(i, part.len()));
        }
        out.push(Segment {
            name: trimmed.to_string(),
            pos: at(start, trimmed.len()),
            quoted: false,
        });
        if end == path.len() {
            return Ok(out);
        }
        i = end + 1;
    }
}

/// Moves every position of a tree read from a value's own text to where the value is shown.
fn shift(node: &mut Node, offset: usize, columns: u32) {
    node.pos.offset += offset as u32;
    if node.pos.line == 1 {
        node.pos.column += columns;
    }
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, offset, columns)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            k.pos.offset += offset as u32;
            if k.pos.line == 1 {
                k.pos.column += columns;
            }
            shift(v, offset, columns);
        }),
        _ => {}
    }
}

/// Applies an assignment to the model's tree.
pub fn apply<'s>(root: &mut Node<'s>, a: Assignment<'s>) -> Result<(), Diagnostic> {
    let Assignment { path, value, .. } = a;
    let first = &path[0];
    let is_top = |name: &str| Model::KEYS.contains(&name);
    let Value::Map(entries) = &mut root.value else {
        return Err(Diagnostic::error(first.pos, "the model is not a mapping"));
    };
    if first.name == "variants" {
        return Err(Diagnostic::error(
            first.pos,
            "variants cannot be changed by an assignment",
        ));
    }
    // A top-level key, written or not: `horizon=30d` also adds a horizon to a model without.
    if !first.quoted && (is_top(&first.name) || entries.iter().any(|(k, _)| k.name == first.name)) {
        return assign(root, &path, value, "the model");
    }
    // A component or a named block, by name (the longest dotted name that matches).
    for section in ["components", "blocks"] {
        let Some((_, node)) = entries.iter_mut().find(|(k, _)| k.name == section) else {
            continue;
        };
        if let Value::Map(named) = &node.value
            && candidates(&path)
                .iter()
                .any(|(c, _)| named.iter().any(|(k, _)| k.name == *c))
        {
            return assign(node, &path, value, section);
        }
    }
    let names: Vec<String> = entries
        .iter()
        .filter(|(k, _)| k.name == "components" || k.name == "blocks")
        .flat_map(|(_, n)| match &n.value {
            Value::Map(named) => named.iter().map(|(k, _)| k.name.to_string()).collect(),
            _ => Vec::new(),
        })
        .collect();
    let hint = did_you_mean(
        &first.name,
        names
            .iter()
            .map(String::as_str)
            .chain(Model::KEYS.iter().copied()),
    )
    .unwrap_or_else(|| {
        "a path starts with a component, a named block or a top-level key (horizon, targets, teams, system...)"
            .to_string()
    });
    Err(Diagnostic::error(
        first.pos,
        format!("no component, named block or model key `{}`", first.name),
    )
    .with_hint(hint))
}

fn joined(path: &[Segment]) -> String {
    path.iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

/// The names the path's first segments may stand for, longest first, with how many segments
/// each takes: unquoted names joined by dots (a name may hold dots), a quoted one alone.
fn candidates(path: &[Segment]) -> Vec<(String, usize)> {
    if path[0].quoted {
        return vec![(path[0].name.clone(), 1)];
    }
    let run = path.iter().take_while(|s| !s.quoted).count();
    (1..=run).rev().map(|j| (joined(&path[..j]), j)).collect()
}

/// A path to `key` of component `name` that resolves to it and nothing else, written as
/// simply as it can be: `db.mttr`, or `components."db.primary".mttr` for a name that holds
/// a dot, a quote or `=`, or that is also a top-level key.
pub fn component_path(name: &str, key: &str) -> String {
    let plain = !name.contains(['.', '=', '"'])
        && !Model::KEYS.contains(&name)
        && name.trim() == name
        && !name.is_empty()
        && name.parse::<f64>().is_err();
    if plain {
        format!("{name}.{key}")
    } else {
        format!("components.\"{name}\".{key}")
    }
}

/// Walks `path` down from `node` and puts `value` at its end.
fn assign<'s>(
    node: &mut Node<'s>,
    path: &[Segment],
    value: Node<'s>,
    what: &str,
) -> Result<(), Diagnostic> {
    let Some(first) = path.first() else {
        *node = value;
        return Ok(());
    };
    let kind = node.kind();
    match &mut node.value {
        Value::Map(entries) => {
            // The longest dotted name first, so that a component `db.primary` is found whole.
            for (name, j) in candidates(path) {
                if let Some(i) = entries.iter().position(|(k, _)| k.name == name) {
                    return assign(&mut entries[i].1, &path[j..], value, &name);
                }
            }
            // `shared` and `slo` of a named block sit beside its kind, not inside it.
            let beside_kind = path.len() == 1
                && matches!(first.name.as_str(), "shared" | "slo")
                && entries
                    .iter()
                    .any(|(k, _)| Block::KINDS.contains(&k.name.as_ref()));
            // Inside a block, the kind's mapping is implied: `frontend.k` is `k_of_n.k`.
            let kinds: Vec<usize> = entries
                .iter()
                .enumerate()
                .filter(|(_, (k, v))| {
                    Block::KINDS.contains(&k.name.as_ref()) && matches!(v.value, Value::Map(_))
                })
                .map(|(i, _)| i)
                .collect();
            if let [i] = kinds[..]
                && !beside_kind
            {
                let name = entries[i].0.name.to_string();
                return assign(&mut entries[i].1, path, value, &name);
            }
            if path.len() == 1 {
                // A key not written yet: added, and checked like the file's own keys.
                entries.push((
                    Key {
                        name: Cow::Owned(first.name.clone()),
                        pos: first.pos,
                    },
                    value,
                ));
                return Ok(());
            }
            let hint = did_you_mean(&first.name, entries.iter().map(|(k, _)| k.name.as_ref()))
                .unwrap_or_else(|| {
                    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_ref()).collect();
                    format!("`{what}` has: {}", keys.join(", "))
                });
            Err(
                Diagnostic::error(first.pos, format!("`{what}` has no `{}`", first.name))
                    .with_hint(hint),
            )
        }
        Value::Seq(items) => {
            let len = items.len();
            match first.name.parse::<usize>() {
                Ok(i) if i < len => {
                    assign(&mut items[i], &path[1..], value, &format!("{what}.{i}"))
                }
                _ => Err(Diagnostic::error(
                    first.pos,
                    format!(
                        "`{what}` is a list of {len}: `{}` is not an index of it",
                        first.name
                    ),
                )
                .with_hint(format!(
                    "index its items from 0 to {}",
                    len.saturating_sub(1)
                ))),
            }
        }
        _ => Err(Diagnostic::error(
            first.pos,
            format!("`{what}` is {kind}, so it has no `{}`", first.name),
        )
        .with_hint(format!("assign `{what}` itself instead"))),
    }
}

/// Applies `edits` to a tree read from a text of `source_len` bytes, reporting the problem of
/// each edit that does not apply (the others are still applied).
pub fn apply_edits<'s>(
    root: &mut Node<'s>,
    source_len: usize,
    edits: &'s Edits,
) -> Result<(), Vec<Diagnostic>> {
    let arguments = edits.arguments();
    let mut problems = Vec::new();
    let mut index = 0;
    if let Some(name) = &edits.variant {
        let base = Edits::base(&arguments, source_len, 0);
        let argument = Pos {
            line: 1,
            column: "--variant ".len() as u32 + 1,
            offset: (base + "--variant ".len()) as u32,
            len: name.len() as u32,
        };
        match variant(root, name, argument) {
            Ok(assignments) => {
                for a in assignments {
                    if let Err(d) = apply(root, a) {
                        problems.push(d);
                    }
                }
            }
            Err(d) => problems.push(d),
        }
        index += 1;
    }
    let flagged = edits.sets.iter().map(|s| ("--set", s.as_str())).chain(
        edits
            .generated
            .iter()
            .map(|(f, s)| (f.as_str(), s.as_str())),
    );
    for (flag, text) in flagged {
        let base = Edits::base(&arguments, source_len, index);
        if let Err(d) = parse_flagged(text, base, flag).and_then(|a| apply(root, a)) {
            problems.push(d);
        }
        index += 1;
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The variants' names as the converter sees them: checked to be a mapping of mappings.
pub fn check_variants(node: &Node, sink: &mut crate::diagnostics::Sink) {
    let Value::Map(entries) = &node.value else {
        sink.push(
            Diagnostic::error(
                node.pos,
                format!(
                    "`variants` must be a mapping from variant names to assignments, found {}",
                    node.kind()
                ),
            )
            .with_hint("e.g. `variants: { fast-failover: { db.mttr: 10m } }`"),
        );
        return;
    };
    for (_, v) in entries {
        if let Err(d) = variant_assignments(v) {
            sink.push(d);
        }
    }
}
