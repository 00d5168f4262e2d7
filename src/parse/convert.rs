//! Located YAML nodes to the typed model, reporting every problem found on the way.
//!
//! Each reader returns `None` after recording a diagnostic, and the walk goes on with the
//! next key, so one run lists all the mistakes of a file.

use super::quantity::{self, QuantityError};
use super::written::*;
use super::yaml::{Key, Node, Value};
use crate::diagnostics::{Diagnostic, Pos, Sink, did_you_mean};
use crate::probability::Probability;

/// The keys of one YAML mapping, consumed one by one; whatever is left over is unknown.
struct Fields<'n> {
    entries: &'n [(Key<'n>, Node<'n>)],
    taken: Vec<bool>,
}

impl<'n> Fields<'n> {
    fn new(entries: &'n [(Key<'n>, Node<'n>)]) -> Self {
        Fields {
            entries,
            taken: vec![false; entries.len()],
        }
    }

    fn get(&mut self, key: &str) -> Option<&'n Node<'n>> {
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.taken[i] = true;
        Some(&self.entries[i].1)
    }

    /// The value under a key nobody asked for that looks like a misspelling of `key`
    /// (`component:` for `components:`). It is still reported by [`Fields::finish`]; the
    /// caller reads it as if spelt right, so that what it declares does not come back as
    /// "unknown" everywhere it is used.
    fn misspelt(&self, key: &str) -> Option<&'n Node<'n>> {
        self.entries
            .iter()
            .enumerate()
            .find(|(i, (k, _))| !self.taken[*i] && did_you_mean(&k.name, [key]).is_some())
            .map(|(_, (_, n))| n)
    }

    /// Reports the keys nobody asked for, with a suggestion among `allowed`; true if any.
    fn finish(self, sink: &mut Sink, allowed: &[&str], what: &str) -> bool {
        let mut unknown = false;
        for (i, (k, _)) in self.entries.iter().enumerate() {
            if !self.taken[i] {
                let hint = did_you_mean(&k.name, allowed.iter().copied())
                    .unwrap_or_else(|| format!("{what} accepts: {}", allowed.join(", ")));
                sink.push(
                    Diagnostic::error(k.pos, format!("unknown key `{}` in {what}", k.name))
                        .with_hint(hint),
                );
                unknown = true;
            }
        }
        unknown
    }
}

/// The value under `key` in a mapping, taken out (a null left in its place, so that the key
/// still counts as given).
fn take_value<'s>(node: &mut Node<'s>, key: &str) -> Option<Node<'s>> {
    let Value::Map(entries) = &mut node.value else {
        return None;
    };
    let (_, value) = entries.iter_mut().find(|(k, _)| k.name == key)?;
    let pos = value.pos;
    Some(std::mem::replace(
        value,
        Node {
            value: Value::Null,
            pos,
        },
    ))
}

pub struct Converter<'s> {
    pub sink: &'s mut Sink,
}

impl Converter<'_> {
    fn error(&mut self, pos: Pos, msg: impl Into<String>) {
        self.sink.error(pos, msg);
    }

    fn fields<'n>(&mut self, node: &'n Node<'n>, what: &str) -> Option<Fields<'n>> {
        match &node.value {
            Value::Map(entries) => Some(Fields::new(entries)),
            _ => {
                self.error(
                    node.pos,
                    format!("{what} must be a mapping of keys, found {}", node.kind()),
                );
                None
            }
        }
    }

    fn quantity_error(&mut self, pos: Pos, key: &str, e: QuantityError) {
        self.sink
            .push(Diagnostic::error(pos, format!("{key}: {}", e.message)).maybe_hint(e.hint));
    }

    /// Reads the model; the components' YAML is dropped from `root` as each is read.
    pub fn model(&mut self, root: &mut Node) -> Option<Model> {
        // `components`, most of a large file, is taken out of the tree and each component's
        // YAML dropped once read, so that the tree and the typed model are never both whole
        // (a 100,000-component model's peak was 50 MB higher).
        let mut components_node = take_value(root, "components");
        let mut f = self.fields(root, "the model")?;
        let name = f.get("name").and_then(|n| self.text(n, "name"));
        let description = f
            .get("description")
            .and_then(|n| self.text(n, "description"));
        let horizon = f.get("horizon").and_then(|n| self.duration(n, "horizon"));
        let targets = f.get("targets").and_then(|n| self.targets(n));
        let components = match (components_node.as_mut(), f.get("components")) {
            (Some(n), _) => self.components(n),
            (None, _) => match f.misspelt("components") {
                Some(n) => self.components(&mut n.clone()),
                None => Vec::new(),
            },
        };
        let (blocks, shared_blocks, block_slos) =
            match f.get("blocks").or_else(|| f.misspelt("blocks")) {
                Some(n) => self.named_blocks(n),
                None => (Vec::new(), Vec::new(), Vec::new()),
            };
        let slo = f.get("slo").and_then(|n| self.probability(n, "slo"));
        let data = match f.get("data") {
            Some(n) => self.data(n),
            None => Vec::new(),
        };
        let variants = match f.get("variants") {
            Some(n) => {
                super::assign::check_variants(n, self.sink);
                match &n.value {
                    Value::Map(entries) => entries
                        .iter()
                        .map(|(k, _)| Located::new(k.name.to_string(), k.pos))
                        .collect(),
                    _ => Vec::new(),
                }
            }
            None => Vec::new(),
        };
        let teams = match f.get("teams").or_else(|| f.misspelt("teams")) {
            Some(n) => self.teams(n),
            None => Vec::new(),
        };
        let system = match f.get("system") {
            Some(n) => Some(self.block_or_invalid(n)),
            None => {
                self.sink.push(
                    Diagnostic::error(root.pos, "the model has no `system` block")
                        .with_hint("add `system:` with the root block, e.g. `system: { series: [lb, web, db] }`"),
                );
                None
            }
        };
        f.finish(self.sink, Model::KEYS, "the model");
        Some(Model {
            name,
            description,
            horizon,
            targets,
            components,
            blocks,
            shared_blocks,
            system,
            teams,
            slo,
            block_slos,
            variants,
            data,
        })
    }

    fn teams(&mut self, node: &Node) -> Vec<(Located<String>, TeamSpec)> {
        let Value::Map(entries) = &node.value else {
            self.error(
                node.pos,
                format!(
                    "`teams` must be a mapping from team names to their parameters, found {}",
                    node.kind()
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let what = format!("team `{}`", key.name);
            let mut spec = TeamSpec {
                pos: key.pos,
                size: None,
                discipline: None,
                priority: None,
            };
            if !matches!(value.value, Value::Null)
                && let Some(mut f) = self.fields(value, &what)
            {
                spec.size = f.get("size").and_then(|n| self.count(n, "size", 1));
                spec.discipline = f.get("discipline").and_then(|n| self.text(n, "discipline"));
                spec.priority = f.get("priority").map(|n| self.name_list(n, "priority"));
                f.finish(self.sink, TeamSpec::KEYS, &what);
            }
            out.push((Located::new(key.name.to_string(), key.pos), spec));
        }
        out
    }

    fn targets(&mut self, node: &Node) -> Option<Targets> {
        let mut f = self.fields(node, "`targets`")?;
        let availability = f
            .get("availability")
            .and_then(|n| self.probability(n, "availability"));
        let downtime = f.get("downtime").and_then(|n| self.duration(n, "downtime"));
        let served = f.get("served").and_then(|n| self.probability(n, "served"));
        let durability = f
            .get("durability")
            .and_then(|n| self.probability(n, "durability"));
        f.finish(self.sink, Targets::KEYS, "`targets`");
        Some(Targets {
            availability,
            downtime,
            served,
            durability,
        })
    }

    fn components(&mut self, node: &mut Node) -> Vec<(Located<String>, ComponentSpec)> {
        let (pos, kind) = (node.pos, node.kind());
        let Value::Map(entries) = &mut node.value else {
            self.error(
                pos,
                format!("`components` must be a mapping from names to parameters, found {kind}"),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        let mut skip = 0;
        for i in 0..entries.len() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let (key, value) = &entries[i];
            // `web:` with nothing under it, followed by `mtbf: 30d` at the same level: the
            // parameters are not indented under their component. One error says so, rather
            // than one for `web` and one for each parameter taken for a component.
            if matches!(value.value, Value::Null) {
                let stray: Vec<&str> = entries[i + 1..]
                    .iter()
                    .take_while(|(k, v)| {
                        ComponentSpec::KEYS.contains(&k.name.as_ref())
                            && !matches!(v.value, Value::Map(_))
                    })
                    .map(|(k, _)| k.name.as_ref())
                    .collect();
                if !stray.is_empty() {
                    skip = stray.len();
                    let listed = stray
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.sink.push(
                        Diagnostic::error(
                            key.pos,
                            format!(
                                "component `{}` has no parameters: {listed} below it {} not indented under it",
                                key.name,
                                if stray.len() == 1 { "is" } else { "are" }
                            ),
                        )
                        .with_hint(format!(
                            "indent the parameters one level deeper than `{}:`, or write `{}: {{ mtbf: 30d, mttr: 2h }}`",
                            key.name, key.name
                        )),
                    );
                    out.push((
                        Located::new(key.name.to_string(), key.pos),
                        ComponentSpec::unreadable(key.pos),
                    ));
                    continue;
                }
            }
            let spec = self
                .component(key, value)
                .unwrap_or_else(|| ComponentSpec::unreadable(key.pos));
            out.push((Located::new(key.name.to_string(), key.pos), spec));
            // Read: its YAML is no longer needed (only the entries after it are looked at).
            entries[i].1.value = Value::Null;
        }
        out
    }

    fn component(&mut self, key: &Key, node: &Node) -> Option<ComponentSpec> {
        let what = format!("component `{}`", key.name);
        let Value::Map(entries) = &node.value else {
            let hint = match &node.value {
                Value::Str(_) | Value::Number { .. } => {
                    "give its parameters, e.g. `{ mtbf: 30d, mttr: 2h }` or `{ availability: 99.9% }`"
                }
                Value::Null => {
                    "give its parameters indented under it, or as `{ mtbf: 30d, mttr: 2h }`"
                }
                _ => "a component is a mapping such as `{ mtbf: 30d, mttr: 2h }`",
            };
            self.sink.push(
                Diagnostic::error(
                    node.pos,
                    format!(
                        "{what} must be a mapping of parameters, found {}",
                        node.kind()
                    ),
                )
                .with_hint(hint),
            );
            return None;
        };
        let mut f = Fields::new(entries);
        let before = self.sink.items.len();
        let mut uncertain = Vec::new();
        let mut spec = ComponentSpec {
            pos: key.pos,
            mtbf: f
                .get("mtbf")
                .and_then(|n| self.param(n, "mtbf", &mut uncertain))
                .map(|l| l.map(Hours)),
            mttr: f
                .get("mttr")
                .and_then(|n| self.param(n, "mttr", &mut uncertain))
                .map(|l| l.map(Hours)),
            failure_rate: f
                .get("failure_rate")
                .and_then(|n| self.param(n, "failure_rate", &mut uncertain))
                .map(|l| l.map(PerHour)),
            repair_rate: f
                .get("repair_rate")
                .and_then(|n| self.param(n, "repair_rate", &mut uncertain))
                .map(|l| l.map(PerHour)),
            availability: f
                .get("availability")
                .and_then(|n| self.param(n, "availability", &mut uncertain))
                .map(|l| l.map(|q| Probability { p: 1.0 - q, q })),
            description: f
                .get("description")
                .and_then(|n| self.text(n, "description")),
            shared: f.get("shared").and_then(|n| self.boolean(n, "shared")),
            team: f.get("team").and_then(|n| self.text(n, "team")),
            cost: f.get("cost").and_then(|n| self.number(n, "cost")),
            time_to_failure: f
                .get("time_to_failure")
                .and_then(|n| self.law(n, "time_to_failure"))
                .map(Box::new),
            time_to_repair: f
                .get("time_to_repair")
                .and_then(|n| self.law(n, "time_to_repair"))
                .map(Box::new),
            maintenance: f
                .get("maintenance")
                .and_then(|n| self.maintenance(n))
                .map(Box::new),
            uncertain,
            readable: true,
        };
        spec.readable = self.sink.items.len() == before;
        // A misspelt key is probably a parameter: do not also report it as missing.
        spec.readable &= !f.finish(self.sink, ComponentSpec::KEYS, &what);
        Some(spec)
    }

    /// Named blocks, each with its `shared:` flag when it has one.
    #[allow(clippy::type_complexity)]
    /// Named blocks, with their `shared:` and `slo:` (written beside the block's kind).
    #[allow(clippy::type_complexity)]
    fn named_blocks(
        &mut self,
        node: &Node,
    ) -> (
        Vec<(Located<String>, Located<Block>)>,
        Vec<Option<Located<bool>>>,
        Vec<Option<Located<Probability>>>,
    ) {
        let Value::Map(entries) = &node.value else {
            self.error(
                node.pos,
                format!(
                    "`blocks` must be a mapping from names to blocks, found {}",
                    node.kind()
                ),
            );
            return (Vec::new(), Vec::new(), Vec::new());
        };
        let mut blocks = Vec::with_capacity(entries.len());
        let mut shared = Vec::with_capacity(entries.len());
        let mut slos = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            let name = Located::new(k.name.to_string(), k.pos);
            match &v.value {
                Value::Map(fields)
                    if fields
                        .iter()
                        .any(|(f, _)| f.name == "shared" || f.name == "slo") =>
                {
                    let (extra, rest): (Vec<_>, Vec<_>) = fields
                        .iter()
                        .cloned()
                        .partition(|(f, _)| f.name == "shared" || f.name == "slo");
                    let get = |key: &str| extra.iter().find(|(f, _)| f.name == key);
                    shared.push(get("shared").and_then(|(_, n)| self.boolean(n, "shared")));
                    slos.push(get("slo").and_then(|(_, n)| self.probability(n, "slo")));
                    let block = Node {
                        value: Value::Map(rest),
                        pos: v.pos,
                    };
                    blocks.push((name, self.block_or_invalid(&block)));
                }
                _ => {
                    shared.push(None);
                    slos.push(None);
                    blocks.push((name, self.block_or_invalid(v)));
                }
            }
        }
        (blocks, shared, slos)
    }

    fn boolean(&mut self, node: &Node, key: &str) -> Option<Located<bool>> {
        match node.value {
            Value::Bool(b) => Some(Located::new(b, node.pos)),
            _ => {
                self.error(
                    node.pos,
                    format!("`{key}` must be true or false, found {}", node.kind()),
                );
                None
            }
        }
    }

    /// A block: a name, or a mapping with exactly one of the block kinds.
    pub fn block(&mut self, node: &Node) -> Option<Located<Block>> {
        let block = match &node.value {
            Value::Str(name) => Block::Ref(name.to_string()),
            Value::Number { text, .. } => Block::Ref(text.to_string()),
            Value::Map(entries) => return self.block_map(node, entries),
            Value::Seq(_) => {
                self.sink.push(
                    Diagnostic::error(node.pos, "a block must be a name or a mapping, found a list")
                        .with_hint("to compose the list, say how: `series: [...]`, `parallel: [...]` or `k_of_n: { k: 2, of: [...] }`"),
                );
                return None;
            }
            _ => {
                self.sink.push(Diagnostic::error(
                    node.pos,
                    format!("a block must be a name or a mapping, found {}", node.kind()),
                ));
                return None;
            }
        };
        Some(Located::new(block, node.pos))
    }

    /// A block, or the `Invalid` placeholder where it could not be read.
    fn block_or_invalid(&mut self, node: &Node) -> Located<Block> {
        self.block(node)
            .unwrap_or(Located::new(Block::Invalid, node.pos))
    }

    fn block_map(&mut self, node: &Node, entries: &[(Key, Node)]) -> Option<Located<Block>> {
        let kinds: Vec<&(Key, Node)> = entries
            .iter()
            .filter(|(k, _)| Block::KINDS.contains(&k.name.as_ref()))
            .collect();
        for (k, _) in entries {
            if Block::KINDS.contains(&k.name.as_ref()) {
                continue;
            }
            let hint = if k.name == "shared" {
                "`shared` applies to components and named blocks: declare this block under `blocks:` with `shared: true` and use it by name".to_string()
            } else if ComponentSpec::KEYS.contains(&k.name.as_ref()) {
                "component parameters belong under `components:`; refer to the component by name here".to_string()
            } else {
                did_you_mean(&k.name, Block::KINDS.iter().copied())
                    .unwrap_or_else(|| format!("a block is one of: {}", Block::KINDS.join(", ")))
            };
            self.sink.push(
                Diagnostic::error(k.pos, format!("unknown block kind `{}`", k.name))
                    .with_hint(hint),
            );
        }
        match kinds.as_slice() {
            [] => {
                if entries.is_empty() {
                    self.sink.push(
                        Diagnostic::error(node.pos, "empty block").with_hint(format!(
                            "a block is a name or one of: {}",
                            Block::KINDS.join(", ")
                        )),
                    );
                }
                None
            }
            [(key, value)] => {
                let block = match key.name.as_ref() {
                    "series" => Block::Series(self.block_list(value, "series")?),
                    "parallel" => Block::Parallel(self.parallel(value)?),
                    "k_of_n" => Block::KofN(Box::new(self.k_of_n(value)?)),
                    "standby" => Block::Standby(Box::new(self.standby(value)?)),
                    "markov" => Block::Markov(Box::new(self.markov(value, false)?)),
                    "network" => Block::Network(Box::new(self.network(value)?)),
                    "shards" => Block::Shards(Box::new(self.shards(value)?)),
                    "pool" => Block::Pool(Box::new(self.pool(value)?)),
                    _ => unreachable!("filtered to Block::KINDS"),
                };
                Some(Located::new(block, node.pos))
            }
            [_, (second, _), ..] => {
                self.sink.push(
                    Diagnostic::error(
                        second.pos,
                        format!(
                            "a block has one kind, but `{}` is a second one",
                            second.name
                        ),
                    )
                    .with_hint("nest the blocks instead, e.g. `series: [a, { parallel: [b, c] }]`"),
                );
                None
            }
        }
    }

    fn block_list(&mut self, node: &Node, what: &str) -> Option<Vec<Located<Block>>> {
        let Value::Seq(items) = &node.value else {
            self.sink.push(
                Diagnostic::error(
                    node.pos,
                    format!("`{what}` needs a list of blocks, found {}", node.kind()),
                )
                .with_hint(format!("write `{what}: [a, b]`")),
            );
            return None;
        };
        if items.is_empty() {
            self.sink.push(
                Diagnostic::error(node.pos, format!("`{what}` has an empty list"))
                    .with_hint("list at least one block"),
            );
            return None;
        }
        Some(items.iter().map(|n| self.block_or_invalid(n)).collect())
    }

    fn parallel(&mut self, node: &Node) -> Option<Parallel> {
        match &node.value {
            Value::Map(_) => {
                let mut f = self.fields(node, "`parallel`")?;
                let spec = CopiesSpec {
                    pos: node.pos,
                    n: f.get("n").and_then(|n| self.count(n, "n", 1)),
                    of: f.get("of").and_then(|n| self.block(n)).map(Box::new),
                    crews: f.get("crews").and_then(|n| self.count(n, "crews", 1)),
                    common_cause: f
                        .get("common_cause")
                        .and_then(|n| self.common_cause(n))
                        .map(Box::new),
                };
                let complete = self.require(node.pos, "parallel", "n", spec.n.is_some(), &f)
                    & self.require(node.pos, "parallel", "of", spec.of.is_some(), &f);
                f.finish(self.sink, CopiesSpec::KEYS, "`parallel`");
                complete.then_some(Parallel::Copies(Box::new(spec)))
            }
            _ => self.block_list(node, "parallel").map(Parallel::List),
        }
    }

    /// Reports a missing required key (unless it was written but invalid, already reported).
    fn require(&mut self, pos: Pos, what: &str, key: &str, present: bool, f: &Fields) -> bool {
        if present {
            return true;
        }
        if !f.entries.iter().any(|(k, _)| k.name == key) {
            self.sink.push(
                Diagnostic::error(pos, format!("`{what}` needs `{key}`")).maybe_hint(match (what, key) {
                    ("parallel", "n") => Some("write `parallel: { n: 2, of: db }`, or list the members: `parallel: [a, b]`".into()),
                    ("k_of_n", "k") => Some("write `k_of_n: { k: 2, n: 3, of: web }`".into()),
                    ("common_cause", "beta") => Some("write `common_cause: { beta: 5% }`, or give `mgl` or `alpha`".into()),
                    _ => None,
                }),
            );
        }
        false
    }

    fn k_of_n(&mut self, node: &Node) -> Option<KofNSpec> {
        let mut f = self.fields(node, "`k_of_n`")?;
        let of = f.get("of").and_then(|n| match &n.value {
            Value::Seq(_) => self
                .block_list(n, "k_of_n")
                .map(|l| Located::new(Members::List(l), n.pos)),
            _ => self
                .block(n)
                .map(|b| Located::new(Members::One(Box::new(b)), n.pos)),
        });
        let spec = KofNSpec {
            pos: node.pos,
            k: f.get("k").and_then(|n| self.count(n, "k", 1)),
            n: f.get("n").and_then(|n| self.count(n, "n", 1)),
            of,
            crews: f.get("crews").and_then(|n| self.count(n, "crews", 1)),
            common_cause: f
                .get("common_cause")
                .and_then(|n| self.common_cause(n))
                .map(Box::new),
        };
        // `n` written but unreadable (already reported): no follow-up "needs `n`".
        let n_readable = spec.n.is_some() || !f.entries.iter().any(|(k, _)| k.name == "n");
        let complete = self.require(node.pos, "k_of_n", "k", spec.k.is_some(), &f)
            & self.require(node.pos, "k_of_n", "of", spec.of.is_some(), &f)
            & n_readable;
        f.finish(self.sink, KofNSpec::KEYS, "`k_of_n`");
        complete.then_some(spec)
    }

    fn common_cause(&mut self, node: &Node) -> Option<CommonCauseSpec> {
        let mut f = self.fields(node, "`common_cause`")?;
        let before = self.sink.items.len();
        let spec = CommonCauseSpec {
            pos: node.pos,
            beta: f.get("beta").and_then(|n| self.probability(n, "beta")),
            repair: f.get("repair").and_then(|n| self.text(n, "repair")),
            mgl: f.get("mgl").and_then(|n| self.mgl(n)).map(Box::new),
            alpha: f.get("alpha").map(|n| self.probabilities(n, "alpha")),
        };
        let given = [
            spec.beta.is_some(),
            spec.mgl.is_some(),
            spec.alpha.is_some(),
        ];
        let read = self.sink.items.len() == before;
        let ok = match given.iter().filter(|x| **x).count() {
            1 => true,
            // A key that could not be read is already reported.
            0 if !read => false,
            0 => self.require(node.pos, "common_cause", "beta", false, &f),
            _ => {
                self.sink.push(
                    Diagnostic::error(node.pos, "`common_cause` takes one of `beta`, `mgl` and `alpha`")
                        .with_hint("the beta factor, the multiple Greek letters and the alpha factors are three ways to say the same thing: keep one"),
                );
                false
            }
        };
        f.finish(self.sink, CommonCauseSpec::KEYS, "`common_cause`");
        (ok && read).then_some(spec)
    }

    fn mgl(&mut self, node: &Node) -> Option<MglSpec> {
        let mut f = self.fields(node, "`mgl`")?;
        let spec = MglSpec {
            pos: node.pos,
            beta: f.get("beta").and_then(|n| self.probability(n, "beta")),
            gamma: f.get("gamma").and_then(|n| self.probability(n, "gamma")),
            delta: f.get("delta").and_then(|n| self.probability(n, "delta")),
        };
        f.finish(self.sink, MglSpec::KEYS, "`mgl`");
        Some(spec)
    }

    fn probabilities(&mut self, node: &Node, key: &str) -> Vec<Located<Probability>> {
        let Value::Seq(items) = &node.value else {
            self.error(
                node.pos,
                format!("`{key}` must be a list of fractions, found {}", node.kind()),
            );
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|n| self.probability(n, key))
            .collect()
    }

    fn standby(&mut self, node: &Node) -> Option<StandbySpec> {
        let mut f = self.fields(node, "`standby`")?;
        let spec = StandbySpec {
            pos: node.pos,
            of: f.get("of").and_then(|n| self.text(n, "of")),
            n: f.get("n").and_then(|n| self.count(n, "n", 1)),
            active: f.get("active").and_then(|n| self.count(n, "active", 1)),
            mode: f.get("mode").and_then(|n| self.text(n, "mode")),
            spare_factor: f
                .get("spare_factor")
                .and_then(|n| self.number(n, "spare_factor")),
            switchover: f.get("switchover").and_then(|n| self.law(n, "switchover")),
            coverage: f
                .get("coverage")
                .and_then(|n| self.probability(n, "coverage")),
            manual_switchover: f
                .get("manual_switchover")
                .and_then(|n| self.duration(n, "manual_switchover")),
            crews: f.get("crews").and_then(|n| self.count(n, "crews", 1)),
        };
        let ok = self.require(node.pos, "standby", "of", spec.of.is_some(), &f)
            & self.require(node.pos, "standby", "n", spec.n.is_some(), &f);
        f.finish(self.sink, StandbySpec::KEYS, "`standby`");
        ok.then_some(spec)
    }

    /// A `markov` block, or with `data` the chain of a data set: that one names its loss
    /// states under `absorbing` and has no up states.
    fn markov(&mut self, node: &Node, data: bool) -> Option<MarkovSpec> {
        let mut f = self.fields(node, "`markov`")?;
        let states = f.get("states").map(|n| self.name_list(n, "states"));
        let up = f.get("up").map(|n| self.name_list(n, "up"));
        let transitions = f.get("transitions").map(|n| self.transitions(n));
        let serves = f.get("serves").map(|n| self.serves(n)).unwrap_or_default();
        let absorbing = f
            .get("absorbing")
            .map(|n| self.name_list(n, "absorbing"))
            .unwrap_or_default();
        // A chain of a data set needs its loss states and has no up states.
        let kind = if data {
            if let Some(u) = f.entries.iter().find(|(k, _)| k.name == "up") {
                self.sink.push(
                    Diagnostic::error(u.0.pos, "the chain of a data set has no `up` states: it names the states in which the data is lost under `absorbing`")
                        .with_hint("remove `up:`; every state that is not absorbing keeps the data"),
                );
            }
            if absorbing.is_empty()
                && let Some(a) = f.entries.iter().find(|(k, _)| k.name == "absorbing")
                && matches!(&a.1.value, Value::Seq(v) if v.is_empty())
            {
                self.sink.push(
                    Diagnostic::error(a.0.pos, "`absorbing` lists no states: a data set's chain needs the states in which the data is lost")
                        .with_hint("e.g. `absorbing: [lost]`"),
                );
            }
            self.require(node.pos, "markov", "absorbing", !absorbing.is_empty(), &f)
                & !f.entries.iter().any(|(k, _)| k.name == "up")
        } else {
            !absorbing.is_empty() || self.require(node.pos, "markov", "up", up.is_some(), &f)
        };
        let ok = self.require(node.pos, "markov", "states", states.is_some(), &f)
            & kind
            & self.require(node.pos, "markov", "transitions", transitions.is_some(), &f);
        f.finish(self.sink, MarkovSpec::KEYS, "`markov`");
        let (transitions, complete) = transitions.unwrap_or((Vec::new(), false));
        ok.then(|| MarkovSpec {
            pos: node.pos,
            states: states.unwrap_or_default(),
            up: up.unwrap_or_default(),
            transitions,
            serves,
            absorbing,
            complete,
        })
    }

    /// `data: { NAME: { replicas | markov, backups } }`.
    fn data(&mut self, node: &Node) -> Vec<(Located<String>, DataSpec)> {
        let Value::Map(entries) = &node.value else {
            self.error(
                node.pos,
                format!(
                    "`data` must be a mapping from data set names to how they are kept, found {}",
                    node.kind()
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in entries {
            let what = format!("data set `{}`", key.name);
            let Some(mut f) = self.fields(value, &what) else {
                continue;
            };
            let kept_written = f
                .entries
                .iter()
                .any(|(k, _)| k.name == "replicas" || k.name == "markov");
            let spec = DataSpec {
                pos: key.pos,
                kept_written,
                replicas: f.get("replicas").and_then(|n| self.replicas(n)),
                markov: f.get("markov").and_then(|n| self.markov(n, true)),
                backups: f.get("backups").and_then(|n| self.backups(n)),
            };
            f.finish(self.sink, DataSpec::KEYS, &what);
            out.push((Located::new(key.name.to_string(), key.pos), spec));
        }
        out
    }

    fn replicas(&mut self, node: &Node) -> Option<ReplicasSpec> {
        let mut f = self.fields(node, "`replicas`")?;
        let spec = ReplicasSpec {
            pos: node.pos,
            n: f.get("n").and_then(|n| self.count(n, "n", 1)),
            of: f.get("of").and_then(|n| self.text(n, "of")),
            rebuild: f.get("rebuild").and_then(|n| self.duration(n, "rebuild")),
            crews: f.get("crews").and_then(|n| self.count(n, "crews", 1)),
        };
        let complete = self.require(node.pos, "replicas", "n", spec.n.is_some(), &f)
            & self.require(node.pos, "replicas", "of", spec.of.is_some(), &f);
        f.finish(self.sink, ReplicasSpec::KEYS, "`replicas`");
        complete.then_some(spec)
    }

    fn backups(&mut self, node: &Node) -> Option<BackupsSpec> {
        let mut f = self.fields(node, "`backups`")?;
        let spec = BackupsSpec {
            pos: node.pos,
            every: f.get("every").and_then(|n| self.duration(n, "every")),
            restore: f.get("restore").and_then(|n| self.duration(n, "restore")),
            fails: f.get("fails").and_then(|n| self.probability(n, "fails")),
            keep: f.get("keep").and_then(|n| self.count(n, "keep", 1)),
        };
        let complete = self.require(node.pos, "backups", "every", spec.every.is_some(), &f)
            & self.require(node.pos, "backups", "restore", spec.restore.is_some(), &f);
        f.finish(self.sink, BackupsSpec::KEYS, "`backups`");
        complete.then_some(spec)
    }

    /// `serves: { state: fraction }` of a Markov block.
    fn serves(&mut self, node: &Node) -> Vec<(Located<String>, Located<Probability>)> {
        let Value::Map(entries) = &node.value else {
            self.sink.push(
                Diagnostic::error(
                    node.pos,
                    format!(
                        "`serves` must be a mapping from states to the fraction of requests served, found {}",
                        node.kind()
                    ),
                )
                .with_hint("e.g. `serves: { degraded: 50% }`"),
            );
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(k, v)| {
                let fraction = self.probability(v, "serves")?;
                Some((Located::new(k.name.to_string(), k.pos), fraction))
            })
            .collect()
    }

    /// `shards: { n, of, weights, k }`.
    fn shards(&mut self, node: &Node) -> Option<ShardsSpec> {
        let mut f = self.fields(node, "`shards`")?;
        let spec = ShardsSpec {
            pos: node.pos,
            n: f.get("n").and_then(|n| self.count(n, "n", 1)),
            of: f.get("of").and_then(|n| self.block(n)).map(Box::new),
            weights: f
                .get("weights")
                .and_then(|n| self.number_list(n, "weights")),
            k: f.get("k").and_then(|n| self.count(n, "k", 1)),
        };
        let complete = self.require(node.pos, "shards", "n", spec.n.is_some(), &f)
            & self.require(node.pos, "shards", "of", spec.of.is_some(), &f);
        f.finish(self.sink, ShardsSpec::KEYS, "`shards`");
        complete.then_some(spec)
    }

    /// `pool: { n, of, demand, k, crews }`.
    fn pool(&mut self, node: &Node) -> Option<PoolSpec> {
        let mut f = self.fields(node, "`pool`")?;
        let spec = PoolSpec {
            pos: node.pos,
            n: f.get("n").and_then(|n| self.count(n, "n", 1)),
            of: f.get("of").and_then(|n| self.block(n)).map(Box::new),
            demand: f.get("demand").and_then(|n| self.count(n, "demand", 1)),
            k: f.get("k").and_then(|n| self.count(n, "k", 1)),
            crews: f.get("crews").and_then(|n| self.count(n, "crews", 1)),
        };
        let complete = self.require(node.pos, "pool", "n", spec.n.is_some(), &f)
            & self.require(node.pos, "pool", "of", spec.of.is_some(), &f)
            & self.require(node.pos, "pool", "demand", spec.demand.is_some(), &f);
        f.finish(self.sink, PoolSpec::KEYS, "`pool`");
        complete.then_some(spec)
    }

    fn maintenance(&mut self, node: &Node) -> Option<Located<MaintenanceSpec>> {
        let mut f = self.fields(node, "`maintenance`")?;
        let spec = MaintenanceSpec {
            every: f.get("every").and_then(|n| self.duration(n, "every")),
            duration: f.get("duration").and_then(|n| self.duration(n, "duration")),
            staggered: f
                .get("staggered")
                .and_then(|n| self.boolean(n, "staggered")),
        };
        let complete = self.require(node.pos, "maintenance", "every", spec.every.is_some(), &f)
            & self.require(
                node.pos,
                "maintenance",
                "duration",
                spec.duration.is_some(),
                &f,
            );
        f.finish(self.sink, MaintenanceSpec::KEYS, "`maintenance`");
        complete.then(|| Located::new(spec, node.pos))
    }

    /// One value of a component parameter in its natural unit (hours, per hour, or the
    /// unavailability U of an availability).
    fn param_value(&mut self, node: &Node, param: &str, key: &str) -> Option<Located<f64>> {
        match param {
            "mtbf" | "mttr" => self.duration(node, key).map(|l| l.map(|h| h.0)),
            "failure_rate" | "repair_rate" => self.rate(node, key).map(|l| l.map(|r| r.0)),
            _ => self.probability(node, key).map(|l| l.map(|p| p.q)),
        }
    }

    /// A component parameter: a value, or a distribution over it (`{ median, error_factor }`,
    /// `{ low, high }`, `{ low, high, log: true }`) recorded in `uncertain`, whose nominal
    /// value (the median, or the middle) is returned to stand for it.
    fn param(
        &mut self,
        node: &Node,
        key: &'static str,
        uncertain: &mut Vec<super::distribution::Uncertain>,
    ) -> Option<Located<f64>> {
        use super::distribution::ParamDist;
        if !matches!(node.value, Value::Map(_)) {
            return self.param_value(node, key, key);
        }
        let what = format!("`{key}`");
        let mut f = self.fields(node, &what)?;
        let before = self.sink.items.len();
        let median = f
            .get("median")
            .and_then(|n| self.param_value(n, key, "median"));
        let ef = f
            .get("error_factor")
            .and_then(|n| self.number(n, "error_factor"));
        let low = f.get("low").and_then(|n| self.param_value(n, key, "low"));
        let high = f.get("high").and_then(|n| self.param_value(n, key, "high"));
        let log = f.get("log").and_then(|n| self.boolean(n, "log"));
        let unknown = f.finish(
            self.sink,
            &["median", "error_factor", "low", "high", "log"],
            &what,
        );
        if unknown || self.sink.items.len() > before {
            return None;
        }
        // An availability's bounds are on A; its distribution is on U, so they swap.
        let (low, high) = if key == "availability" {
            (high, low)
        } else {
            (low, high)
        };
        let dist = match (median, ef, low, high) {
            (Some(m), Some(ef), None, None) if log.is_none() => {
                if !(ef.value >= 1.0 && ef.value.is_finite()) {
                    self.error(
                        ef.pos,
                        format!("`error_factor` must be at least 1, found {}", ef.value),
                    );
                    return None;
                }
                if m.value <= 0.0 {
                    self.error(
                        m.pos,
                        if key == "availability" {
                            "an availability's median must be below 100% for an error factor (the factor spreads its unavailability)".to_string()
                        } else {
                            format!("the median of {what} must be above zero for an error factor")
                        },
                    );
                    return None;
                }
                ParamDist::LogNormal {
                    median: m.value,
                    sigma: ef.value.ln() / super::distribution::EF_Z,
                }
            }
            (None, None, Some(lo), Some(hi)) => {
                if hi.value <= lo.value {
                    let at = if key == "availability" {
                        lo.pos
                    } else {
                        hi.pos
                    };
                    self.sink.push(
                        Diagnostic::error(at, "`high` must be above `low`")
                            .with_hint("for a value known exactly, write it alone"),
                    );
                    return None;
                }
                if log.is_some_and(|l| l.value) {
                    if lo.value <= 0.0 {
                        self.error(
                            lo.pos,
                            "a log-uniform range must start above zero".to_string(),
                        );
                        return None;
                    }
                    ParamDist::LogUniform {
                        low: lo.value,
                        high: hi.value,
                    }
                } else {
                    ParamDist::Uniform {
                        low: lo.value,
                        high: hi.value,
                    }
                }
            }
            _ => {
                self.sink.push(
                    Diagnostic::error(node.pos, format!("{what} as a distribution needs `median` and `error_factor` (lognormal), or `low` and `high` (uniform; `log: true` for log-uniform)"))
                        .with_hint(format!("e.g. `{key}: {{ median: {}, error_factor: 3 }}`", match key { "availability" => "99.9%", "failure_rate" | "repair_rate" => "1/30d", _ => "30d" })),
                );
                return None;
            }
        };
        uncertain.push(super::distribution::Uncertain {
            key,
            pos: node.pos,
            dist,
        });
        Some(Located::new(dist.nominal(), node.pos))
    }

    /// A time law: a duration (exponential with that mean) or `{ dist: ..., parameters }`;
    /// which parameters a law needs is checked in validation.
    fn law(&mut self, node: &Node, key: &str) -> Option<Located<LawSpec>> {
        if !matches!(node.value, Value::Map(_)) {
            return self
                .duration(node, key)
                .map(|d| Located::new(LawSpec::exponential(d), node.pos));
        }
        let what = format!("`{key}`");
        let mut f = self.fields(node, &what)?;
        let before = self.sink.items.len();
        let spec = LawSpec {
            dist: f.get("dist").and_then(|n| self.text(n, "dist")),
            mean: f.get("mean").and_then(|n| self.duration(n, "mean")),
            shape: f.get("shape").and_then(|n| self.number(n, "shape")),
            scale: f.get("scale").and_then(|n| self.duration(n, "scale")),
            median: f.get("median").and_then(|n| self.duration(n, "median")),
            error_factor: f
                .get("error_factor")
                .and_then(|n| self.number(n, "error_factor")),
            mu: f.get("mu").and_then(|n| self.number(n, "mu")),
            sigma: f.get("sigma").and_then(|n| self.number(n, "sigma")),
            value: f.get("value").and_then(|n| self.duration(n, "value")),
            low: f.get("low").and_then(|n| self.duration(n, "low")),
            high: f.get("high").and_then(|n| self.duration(n, "high")),
            samples: f
                .get("samples")
                .and_then(|n| self.duration_list(n, "samples")),
        };
        let complete = self.require(node.pos, key, "dist", spec.dist.is_some(), &f);
        let unknown = f.finish(self.sink, LawSpec::KEYS, &what);
        (complete && !unknown && self.sink.items.len() == before)
            .then(|| Located::new(spec, node.pos))
    }

    /// A list of durations (`samples: [2h, 30m, 5h]`).
    fn duration_list(&mut self, node: &Node, key: &str) -> Option<Located<Vec<Located<Hours>>>> {
        let Value::Seq(items) = &node.value else {
            self.error(
                node.pos,
                format!("`{key}` must be a list of durations, found {}", node.kind()),
            );
            return None;
        };
        let list: Option<Vec<Located<Hours>>> =
            items.iter().map(|n| self.duration(n, key)).collect();
        list.map(|l| Located::new(l, node.pos))
    }

    /// A list of numbers (`weights: [2, 1, 1]`).
    fn number_list(&mut self, node: &Node, key: &str) -> Option<Located<Vec<Located<f64>>>> {
        let Value::Seq(items) = &node.value else {
            self.error(
                node.pos,
                format!("`{key}` must be a list of numbers, found {}", node.kind()),
            );
            return None;
        };
        let list: Option<Vec<Located<f64>>> = items.iter().map(|n| self.number(n, key)).collect();
        list.map(|l| Located::new(l, node.pos))
    }

    /// The transitions that could be read, and whether every one could.
    fn transitions(&mut self, node: &Node) -> (Vec<TransitionSpec>, bool) {
        let Value::Seq(items) = &node.value else {
            self.error(
                node.pos,
                format!("`transitions` must be a list, found {}", node.kind()),
            );
            return (Vec::new(), false);
        };
        let mut complete = true;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let before = self.sink.items.len();
            let Some(mut f) = self.fields(item, "a transition") else {
                complete = false;
                continue;
            };
            let t = TransitionSpec {
                pos: item.pos,
                from: f.get("from").and_then(|n| self.text(n, "from")),
                to: f.get("to").and_then(|n| self.text(n, "to")),
                rate: f.get("rate").and_then(|n| self.transition_rate(n)),
                after: f.get("after").and_then(|n| self.duration(n, "after")),
            };
            let ok = self.require(item.pos, "transition", "from", t.from.is_some(), &f)
                & self.require(item.pos, "transition", "to", t.to.is_some(), &f);
            f.finish(self.sink, TransitionSpec::KEYS, "a transition");
            // A transition with an unreadable value is already reported; leaving it out
            // avoids a second message about what it lacks.
            if ok && self.sink.items.len() == before {
                out.push(t);
            } else {
                complete = false;
            }
        }
        (out, complete)
    }

    fn network(&mut self, node: &Node) -> Option<NetworkSpec> {
        let mut f = self.fields(node, "`network`")?;
        let from = f.get("from").and_then(|n| self.text(n, "from"));
        let to = f.get("to").and_then(|n| self.text(n, "to"));
        let directed = f.get("directed").and_then(|n| self.boolean(n, "directed"));
        let links = f.get("links").map(|n| self.links(n));
        let ok = self.require(node.pos, "network", "from", from.is_some(), &f)
            & self.require(node.pos, "network", "to", to.is_some(), &f)
            & self.require(node.pos, "network", "links", links.is_some(), &f);
        f.finish(self.sink, NetworkSpec::KEYS, "`network`");
        ok.then(|| NetworkSpec {
            pos: node.pos,
            from,
            to,
            links: links.unwrap_or_default(),
            directed,
        })
    }

    fn links(&mut self, node: &Node) -> Vec<LinkSpec> {
        let Value::Seq(items) = &node.value else {
            self.error(
                node.pos,
                format!("`links` must be a list, found {}", node.kind()),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let Some(mut f) = self.fields(item, "a link") else {
                continue;
            };
            let l = LinkSpec {
                pos: item.pos,
                from: f.get("from").and_then(|n| self.text(n, "from")),
                to: f.get("to").and_then(|n| self.text(n, "to")),
                via: f.get("via").and_then(|n| self.block(n)),
            };
            let ok = self.require(item.pos, "link", "from", l.from.is_some(), &f)
                & self.require(item.pos, "link", "to", l.to.is_some(), &f)
                & self.require(item.pos, "link", "via", l.via.is_some(), &f);
            f.finish(self.sink, LinkSpec::KEYS, "a link");
            if ok {
                out.push(l);
            }
        }
        out
    }

    fn name_list(&mut self, node: &Node, what: &str) -> Vec<Located<String>> {
        let Value::Seq(items) = &node.value else {
            self.error(
                node.pos,
                format!("`{what}` must be a list of names, found {}", node.kind()),
            );
            return Vec::new();
        };
        items.iter().filter_map(|n| self.text(n, what)).collect()
    }

    // ---- scalars ----

    fn text(&mut self, node: &Node, key: &str) -> Option<Located<String>> {
        match &node.value {
            Value::Str(s) => Some(Located::new(s.to_string(), node.pos)),
            Value::Number { text, .. } => Some(Located::new(text.to_string(), node.pos)),
            Value::Bool(b) => Some(Located::new(b.to_string(), node.pos)),
            _ => {
                self.error(
                    node.pos,
                    format!("`{key}` must be text, found {}", node.kind()),
                );
                None
            }
        }
    }

    fn duration(&mut self, node: &Node, key: &str) -> Option<Located<Hours>> {
        let r = match &node.value {
            Value::Str(s) => quantity::parse_duration(s),
            Value::Number { text, .. } => Err(QuantityError {
                message: format!("`{text}` needs a time unit"),
                hint: Some(format!(
                    "write `{text}h` for hours, `{text}m` for minutes or `{text}d` for days ({})",
                    quantity::UNIT_LIST
                )),
            }),
            _ => Err(QuantityError {
                message: format!("expected a duration such as `4h`, found {}", node.kind()),
                hint: None,
            }),
        };
        match r {
            Ok(h) => Some(Located::new(Hours(h), node.pos)),
            Err(e) => {
                self.quantity_error(node.pos, key, e);
                None
            }
        }
    }

    /// A transition's `rate`; `rate: 1h` (a mean time) is meant as `after: 1h`.
    fn transition_rate(&mut self, node: &Node) -> Option<Located<PerHour>> {
        if let Value::Str(s) = &node.value
            && !s.contains('/')
            && quantity::parse_duration(s).is_ok()
        {
            let t = s.trim();
            self.sink.push(
                Diagnostic::error(node.pos, format!("rate: `{t}` is a duration, not a rate"))
                    .with_hint(format!(
                        "for a transition taken after a mean time of {t}, write `after: {t}` (or `rate: 1/{t}`)"
                    )),
            );
            return None;
        }
        self.rate(node, "rate")
    }

    fn rate(&mut self, node: &Node, key: &str) -> Option<Located<PerHour>> {
        let r = match &node.value {
            Value::Str(s) => quantity::parse_rate(s),
            Value::Number { text, .. } => Err(QuantityError {
                message: format!("`{text}` needs a time unit"),
                hint: Some(format!(
                    "write events per unit of time, e.g. `{text}/h` or `{text}/y`"
                )),
            }),
            _ => Err(QuantityError {
                message: format!("expected a rate such as `2e-5/h`, found {}", node.kind()),
                hint: None,
            }),
        };
        match r {
            Ok(v) => Some(Located::new(PerHour(v), node.pos)),
            Err(e) => {
                self.quantity_error(node.pos, key, e);
                None
            }
        }
    }

    fn probability(&mut self, node: &Node, key: &str) -> Option<Located<Probability>> {
        let r = match &node.value {
            Value::Str(s) => quantity::parse_probability(s, false),
            Value::Number { text, .. } => quantity::parse_probability(text, true),
            _ => Err(QuantityError {
                message: format!(
                    "expected a percentage such as `99.9%`, found {}",
                    node.kind()
                ),
                hint: None,
            }),
        };
        match r {
            Ok(p) => Some(Located::new(p, node.pos)),
            Err(e) => {
                self.quantity_error(node.pos, key, e);
                None
            }
        }
    }

    fn count(&mut self, node: &Node, key: &str, min: u64) -> Option<Located<u64>> {
        let r = match &node.value {
            Value::Number { value, text } => quantity::parse_count(*value, text, min),
            _ => Err(QuantityError {
                message: format!("expected a whole number, found {}", node.kind()),
                hint: None,
            }),
        };
        match r {
            Ok(v) => Some(Located::new(v, node.pos)),
            Err(e) => {
                self.quantity_error(node.pos, key, e);
                None
            }
        }
    }

    fn number(&mut self, node: &Node, key: &str) -> Option<Located<f64>> {
        match &node.value {
            Value::Number { value, .. } => Some(Located::new(*value, node.pos)),
            Value::Str(s) if s.trim().ends_with('%') => {
                match quantity::parse_probability(s, false) {
                    Ok(p) => Some(Located::new(p.p, node.pos)),
                    Err(e) => {
                        self.quantity_error(node.pos, key, e);
                        None
                    }
                }
            }
            _ => {
                self.error(
                    node.pos,
                    format!("`{key}` must be a number, found {}", node.kind()),
                );
                None
            }
        }
    }
}
