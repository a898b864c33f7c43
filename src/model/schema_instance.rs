//! The YAML tree as a JSON Schema instance. jsonschema validates instances in any in-memory
//! representation that implements its [`jsonschema::json`] traits, so schema validation reads
//! the tree in place instead of building a `serde_json::Value` copy of every object, which cost
//! more than validating it.
//!
//! The instance is exactly what [`super::schema::to_json`] would build: scalars resolved with
//! the YAML 1.1 rules kubectl applies, a non-finite float kept as its text. That copy drops
//! entries with a non-scalar key and every repeat of a key after its first; a tree with either
//! is not [`plain`] and is validated through the copy instead.

use std::borrow::Cow;

use jsonschema::json::{Array, Json, JsonNumber, Node as JsonNode, NodeIdentity, Object};
use jsonschema::types::JsonType;
use serde_json::Value;

use crate::load::tree::{Entry, Node, NodeKind, Resolved};

/// The representation's marker type, for `jsonschema::options_for::<YamlTree>()`.
pub struct YamlTree;

/// One value of the instance.
#[derive(Clone, Copy)]
pub enum Instance<'a> {
    Mapping(&'a Node<'a>, &'a [Entry<'a>]),
    Sequence(&'a Node<'a>, &'a [Node<'a>]),
    /// A scalar, resolved once when the instance is made.
    Scalar(&'a Node<'a>, Resolved<'a>),
    /// A property name standing alone, for `propertyNames`.
    Name(&'a str),
}

impl<'a> Instance<'a> {
    pub fn of(node: &'a Node<'a>) -> Self {
        match node.kind() {
            NodeKind::Mapping(entries) => Instance::Mapping(node, entries),
            NodeKind::Sequence(items) => Instance::Sequence(node, items),
            NodeKind::Scalar(s) => Instance::Scalar(
                node,
                match s.resolve() {
                    // JSON has no infinity or NaN: the copy keeps the text as written.
                    Resolved::Float(f) if !f.is_finite() => Resolved::Str(s.text),
                    resolved => resolved,
                },
            ),
        }
    }
}

/// Whether every mapping of the tree has scalar keys, each once: the trees that [`Instance`]
/// represents exactly.
pub fn plain(node: &Node<'_>) -> bool {
    match node.kind() {
        NodeKind::Scalar(_) => true,
        NodeKind::Sequence(items) => items.iter().all(plain),
        NodeKind::Mapping(entries) => {
            if entries.iter().any(|e| e.key.as_scalar().is_none()) {
                return false;
            }
            // Mappings are small: comparing pairs beats sorting or hashing until they are not.
            let unique = if entries.len() <= 16 {
                entries.iter().enumerate().all(|(i, later)| {
                    let text = key_text(later);
                    entries[..i].iter().all(|e| key_text(e) != text)
                })
            } else {
                let mut keys: Vec<&str> = entries.iter().map(key_text).collect();
                keys.sort_unstable();
                keys.windows(2).all(|pair| pair[0] != pair[1])
            };
            unique && entries.iter().all(|e| plain(&e.value))
        }
    }
}

fn key_text<'a>(entry: &'a Entry<'a>) -> &'a str {
    entry.key.as_scalar().map_or("", |s| s.text)
}

impl Json for YamlTree {
    type Node<'a> = Instance<'a>;
    type PreparedKey = Box<str>;
    type StringBuffer = ();

    // A lookup scans the mapping's entries, so one pass over them is never dearer than the
    // lookups it replaces: as good as unbounded, yet small enough that jsonschema's product of
    // it and a count of keys cannot overflow.
    const KEYS_PER_LOOKUP: usize = 1 << 20;
    // Aliases are expanded into copies: no node contains itself.
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> Box<str> {
        key.into()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(Instance<'_>) -> T) -> T {
        f(Instance::Name(string))
    }
}

/// A resolved number: an integer or a finite float, as `serde_json::Number` would hold it.
#[derive(Clone, Copy)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl JsonNumber for Number {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            Number::Int(i) => u64::try_from(i).ok(),
            Number::Float(_) => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::Int(i) => Some(i),
            Number::Float(_) => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match *self {
            Number::Int(i) => Some(i as f64),
            Number::Float(f) => Some(f),
        }
    }

    fn as_str(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_number().to_string())
    }

    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        Cow::Owned(match *self {
            Number::Int(i) => serde_json::Number::from(i),
            // Only finite floats become numbers (see `Instance::of`).
            Number::Float(f) => serde_json::Number::from_f64(f).unwrap_or_else(|| 0.into()),
        })
    }

    fn is_written_as_integer(&self) -> bool {
        // serde_json writes a float with a fraction or an exponent, always.
        matches!(self, Number::Int(_))
    }
}

impl<'a> JsonNode<'a, YamlTree> for Instance<'a> {
    type Object = Members<'a>;
    type Array = Items<'a>;
    type Number = Number;

    fn as_object(&self) -> Option<Members<'a>> {
        match *self {
            Instance::Mapping(_, entries) => Some(Members(entries)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<Items<'a>> {
        match *self {
            Instance::Sequence(_, items) => Some(Items(items)),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match *self {
            Instance::Scalar(_, Resolved::Str(s)) | Instance::Name(s) => Some(Cow::Borrowed(s)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<Number> {
        match *self {
            Instance::Scalar(_, Resolved::Int(i)) => Some(Number::Int(i)),
            Instance::Scalar(_, Resolved::Float(f)) => Some(Number::Float(f)),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match *self {
            Instance::Scalar(_, Resolved::Bool(b)) => Some(b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Instance::Scalar(_, Resolved::Null))
    }

    fn json_type(&self) -> JsonType {
        match self {
            Instance::Mapping(..) => JsonType::Object,
            Instance::Sequence(..) => JsonType::Array,
            Instance::Name(_) => JsonType::String,
            Instance::Scalar(_, resolved) => match resolved {
                Resolved::Null => JsonType::Null,
                Resolved::Bool(_) => JsonType::Boolean,
                Resolved::Int(_) | Resolved::Float(_) => JsonType::Number,
                Resolved::Str(_) => JsonType::String,
            },
        }
    }

    fn equals_value(&self, expected: &Value) -> bool {
        match *self {
            Instance::Scalar(_, Resolved::Null) => expected.is_null(),
            Instance::Scalar(_, Resolved::Bool(b)) => expected.as_bool() == Some(b),
            Instance::Scalar(_, Resolved::Str(s)) | Instance::Name(s) => {
                expected.as_str() == Some(s)
            }
            _ => jsonschema::json::cmp::equal(&self.to_value(), expected),
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(match *self {
            Instance::Mapping(node, _)
            | Instance::Sequence(node, _)
            | Instance::Scalar(node, _) => super::schema::to_json(node),
            Instance::Name(s) => Value::String(s.to_string()),
        })
    }

    fn identity(&self) -> Option<NodeIdentity> {
        match *self {
            Instance::Mapping(node, _)
            | Instance::Sequence(node, _)
            | Instance::Scalar(node, _) => {
                Some(NodeIdentity::new(std::ptr::from_ref(node) as usize))
            }
            // Short-lived and never a container: no identity needed.
            Instance::Name(_) => None,
        }
    }
}

/// A mapping's entries as a JSON object.
pub struct Members<'a>(&'a [Entry<'a>]);

impl<'a> Object<'a, YamlTree> for Members<'a> {
    type Node = Instance<'a>;
    type MemberName = &'a str;
    type MembersIter = std::iter::Map<
        std::slice::Iter<'a, Entry<'a>>,
        fn(&'a Entry<'a>) -> (&'a str, Instance<'a>),
    >;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn get(&self, key: &Box<str>) -> Option<Instance<'a>> {
        self.0
            .iter()
            .find(|e| key_text(e) == &**key)
            .map(|e| Instance::of(&e.value))
    }

    fn members(&self) -> Self::MembersIter {
        self.0.iter().map(|e| (key_text(e), Instance::of(&e.value)))
    }
}

/// A sequence's items as a JSON array.
pub struct Items<'a>(&'a [Node<'a>]);

impl<'a> Array<'a, YamlTree> for Items<'a> {
    type Node = Instance<'a>;
    type ElementsIter =
        std::iter::Map<std::slice::Iter<'a, Node<'a>>, fn(&'a Node<'a>) -> Instance<'a>>;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn elements(&self) -> Self::ElementsIter {
        self.0.iter().map(Instance::of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{Limits, parse_stream};

    fn with_root<T>(src: &str, f: impl FnOnce(&Node<'_>) -> T) -> T {
        let arena = crate::load::Bump::new();
        let stream = parse_stream(src, &arena, Limits::default());
        f(stream.documents[0].root.as_ref().expect("a document"))
    }

    #[test]
    fn the_tree_meets_the_validators_contract() {
        // jsonschema's conformance document, written in YAML.
        let src = r#"
string: "héllo"
integer: 42
float: 1.5
boolean: true
null: null
array: [10, 20, 30]
duplicates: [1, {a: 1}, {a: 1}]
object: {nested: value}
"#;
        with_root(src, |root| {
            jsonschema::json::conformance::assert_conformance::<YamlTree>(&Instance::of(root));
        });
    }

    #[test]
    fn the_instance_is_the_json_copy() {
        let src = "a: yes\nb: 0755\nc: .inf\nd: '1'\ne: [~, 1.5, -3]\nf: {g: h}\n";
        with_root(src, |root| {
            let instance = Instance::of(root);
            assert_eq!(
                instance.to_value().into_owned(),
                super::super::schema::to_json(root)
            );
            let members = instance.as_object().unwrap();
            let get = |k: &str| members.get(&YamlTree::prepare_key(k)).unwrap();
            assert_eq!(get("a").as_boolean(), Some(true));
            assert_eq!(get("b").as_number().and_then(|n| n.as_i64()), Some(493));
            assert_eq!(get("c").as_string().as_deref(), Some(".inf"));
            assert_eq!(get("d").as_string().as_deref(), Some("1"));
            assert_eq!(get("e").as_array().unwrap().len(), 3);
            assert_eq!(get("f").json_type(), JsonType::Object);
        });
    }

    #[test]
    fn trees_with_repeated_or_complex_keys_are_not_plain() {
        with_root("a: 1\nb: {c: 2}\n", |root| assert!(plain(root)));
        with_root("a: 1\nb: {c: 2, c: 3}\n", |root| assert!(!plain(root)));
        with_root("? [a]\n: 1\n", |root| assert!(!plain(root)));
    }
}
