//! The scenario as a located tree, for interventions: every value remembers
//! where it was written (a line and column of the file, or the `--what-if`
//! flag), and every scalar keeps its text as written.
//!
//! Interventions change a copy of the tree; [`Node::render`] writes it back as
//! one line of flow YAML (scalars exactly as written, texts quoted) with a
//! table of where each value came from, and that text is read and validated
//! like any scenario file. An error in it is then moved back to the place the
//! value was written, so a bad value in `set:` or `add:` is reported at its
//! line and column, and a stage named `1` stays the name `1` everywhere.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::error::Loc;

/// Where a value of the tree was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// In the scenario file, at this place.
    File(Loc),
    /// In a `--what-if` flag (no line).
    Flag,
}

/// One value of the tree and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where it was written.
    pub origin: Origin,
    /// What it is.
    pub kind: Kind,
}

/// The shapes a value can have.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `~`, `null` or nothing.
    Null,
    /// A number or a boolean, exactly as written (`1`, `1.50`, `1e3`, `true`).
    Plain(String),
    /// Any other text.
    Text(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in file order; keys are nodes too.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A node of `kind` written at `origin`.
    pub fn new(origin: Origin, kind: Kind) -> Node {
        Node { origin, kind }
    }

    /// The value as a name or text, as a scenario reads it where it expects
    /// text: `develop`, and also `1` or `2026` written without quotes.
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Plain(t) | Kind::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The value under `key`, when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(m) => m
                .iter()
                .find(|(k, _)| k.text() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value under `key`, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.kind {
            Kind::Map(m) => m
                .iter_mut()
                .find(|(k, _)| k.text() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The keys of a mapping (none for other values).
    pub fn keys(&self) -> Vec<&str> {
        match &self.kind {
            Kind::Map(m) => m.iter().filter_map(|(k, _)| k.text()).collect(),
            _ => Vec::new(),
        }
    }

    /// Sets `key` to `value` in a mapping (replacing the value, keeping the
    /// key's place), or adds it at the end. Does nothing to other values.
    pub fn insert(&mut self, key: &str, value: Node) {
        let origin = value.origin;
        if let Kind::Map(m) = &mut self.kind {
            match m.iter_mut().find(|(k, _)| k.text() == Some(key)) {
                Some((_, v)) => *v = value,
                None => m.push((Node::new(origin, Kind::Text(key.to_string())), value)),
            }
        }
    }

    /// Removes `key` from a mapping.
    pub fn remove(&mut self, key: &str) {
        if let Kind::Map(m) = &mut self.kind {
            m.retain(|(k, _)| k.text() != Some(key));
        }
    }

    /// The list, when this is one.
    pub fn seq_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.kind {
            Kind::Seq(v) => Some(v),
            _ => None,
        }
    }

    /// Writes the tree as one line of flow YAML, with where each value in it
    /// came from: `(column, origin)` pairs in increasing column order (1-based
    /// columns, in characters).
    pub fn render(&self) -> (String, Vec<(u64, Origin)>) {
        let mut w = Writer {
            out: String::new(),
            chars: 0,
            marks: Vec::new(),
        };
        w.node(self);
        (w.out, w.marks)
    }

    /// Reads YAML `text` into a tree. Its values come from the file at their
    /// line and column, or from a `--what-if` flag when `flag` is set.
    pub fn parse(text: &str, flag: bool) -> Result<Node, serde_saphyr::Error> {
        let parsed: Spanned<Parsed> = serde_saphyr::from_str(text)?;
        Ok(convert(parsed, text, flag))
    }
}

/// Where a rendered column came from: the origin of the last value that starts
/// at or before it.
pub fn origin_at(marks: &[(u64, Origin)], column: u64) -> Option<Origin> {
    let i = marks.partition_point(|(c, _)| *c <= column);
    i.checked_sub(1).map(|i| marks[i].1)
}

struct Writer {
    out: String,
    chars: u64,
    marks: Vec<(u64, Origin)>,
}

impl Writer {
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
        self.chars += s.chars().count() as u64;
    }

    fn node(&mut self, n: &Node) {
        self.marks.push((self.chars + 1, n.origin));
        match &n.kind {
            Kind::Null => self.push("null"),
            Kind::Plain(t) => self.push(t),
            Kind::Text(t) => {
                let quoted = serde_json::to_string(t).expect("a string always serialises");
                self.push(&quoted);
            }
            Kind::Seq(v) => {
                self.push("[");
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.node(x);
                }
                self.push("]");
            }
            Kind::Map(m) => {
                self.push("{");
                for (i, (k, x)) in m.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.node(k);
                    self.push(": ");
                    self.node(x);
                }
                self.push("}");
            }
        }
    }
}

/// A YAML value as serde-saphyr hands it over, with the place of every part.
#[derive(Debug)]
enum Parsed {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Parsed>>),
    Map(Vec<(Spanned<Parsed>, Spanned<Parsed>)>),
}

impl<'de> Deserialize<'de> for Parsed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Parsed;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, a text, a list or a mapping")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Parsed, E> {
                Ok(Parsed::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Parsed, E> {
                Ok(Parsed::Null)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Parsed, D2::Error> {
                Parsed::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Parsed, E> {
                Ok(Parsed::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Parsed, E> {
                Ok(Parsed::Int(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Parsed, E> {
                Ok(Parsed::Int(v.into()))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Parsed, E> {
                Ok(Parsed::Int(v))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Parsed, E> {
                Ok(Parsed::Int(i128::try_from(v).unwrap_or(i128::MAX)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Parsed, E> {
                Ok(Parsed::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Parsed, E> {
                Ok(Parsed::Str(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Parsed, E> {
                Ok(Parsed::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Parsed, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(Parsed::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Parsed, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_entry()? {
                    v.push(x);
                }
                Ok(Parsed::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

fn convert(p: Spanned<Parsed>, text: &str, flag: bool) -> Node {
    let origin = if flag {
        Origin::Flag
    } else {
        Origin::File(Loc::from_yaml(&p.referenced))
    };
    let kind = match p.value {
        Parsed::Null => Kind::Null,
        Parsed::Str(s) => Kind::Text(s),
        Parsed::Bool(b) => Kind::Plain(as_written(text, &p.defined).unwrap_or(b.to_string())),
        Parsed::Int(n) => Kind::Plain(as_written(text, &p.defined).unwrap_or(n.to_string())),
        Parsed::Float(x) => Kind::Plain(as_written(text, &p.defined).unwrap_or_else(|| {
            if x.is_nan() {
                ".nan".into()
            } else if x.is_infinite() {
                if x > 0.0 {
                    ".inf".into()
                } else {
                    "-.inf".into()
                }
            } else {
                format!("{x:?}")
            }
        })),
        Parsed::Seq(v) => Kind::Seq(v.into_iter().map(|x| convert(x, text, flag)).collect()),
        Parsed::Map(m) => Kind::Map(
            m.into_iter()
                .map(|(k, x)| (convert(k, text, flag), convert(x, text, flag)))
                .collect(),
        ),
    };
    Node { origin, kind }
}

/// The text of a plain number or boolean as it stands in the source, so that
/// writing it back reads the same (`1.50` stays `1.50`, not `1.5`).
fn as_written(text: &str, at: &serde_saphyr::Location) -> Option<String> {
    let span = at.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len()?).ok()?;
    let t = text.get(start..start.checked_add(len)?)?;
    let plain = !t.is_empty()
        && !t
            .chars()
            .any(|c| c.is_whitespace() || ",[]{}#&*!|>'\"%@`:".contains(c));
    plain.then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves a tree renders back to text that reads the same, with numbers as
    // written, names that look like numbers kept, and the place of every value.
    #[test]
    fn renders_as_written_with_places() {
        let text =
            "name: 2026\nstages:\n  - {name: 1, work: 1.50}\n  - name: \"x, y\"\n    work: 4h\n";
        let tree = Node::parse(text, false).unwrap();
        let (out, marks) = tree.render();
        assert_eq!(
            out,
            r#"{"name": 2026, "stages": [{"name": 1, "work": 1.50}, {"name": "x, y", "work": "4h"}]}"#
        );
        let stage = &tree.get("stages").unwrap().kind;
        let Kind::Seq(stages) = stage else { panic!() };
        assert_eq!(stages[0].get("name").unwrap().text(), Some("1"));
        // `1.50` was written at 3:21; so is every column of it in the rendered line.
        let col = out.find("1.50").unwrap() as u64 + 1;
        for c in col..col + 4 {
            assert_eq!(
                origin_at(&marks, c),
                Some(Origin::File(Loc {
                    line: 3,
                    column: 21
                }))
            );
        }
    }
}
