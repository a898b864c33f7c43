//! The node tree the loader builds: every key, value and sequence item keeps its byte span and,
//! for scalars, the text as written and its quoting style, so rules can point at exact places and
//! resolve values the way kubectl does.
//!
//! The tree lives in an arena ([`bumpalo::Bump`], one per input file) that shares the source
//! text's lifetime: collections are exactly sized arena slices and scalar text is borrowed from
//! the source or, when unescaping or folding changed it, copied into the arena. Nodes are
//! therefore `Copy` (an alias is a copy of the anchored node, its children shared), and the
//! whole tree is freed at once with its arena.

/// A byte range in one source file. Offsets are `u32`: files are capped far below 4 GiB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }
}

/// How a scalar was written. Quoted scalars are always strings; plain ones are resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// An explicit core-schema tag (`!!str 123`), which overrides resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarTag {
    None,
    Str,
    Int,
    Float,
    Bool,
    Null,
    Other,
}

#[derive(Clone, Copy, Debug)]
pub struct Scalar<'s> {
    /// The scalar's value after unescaping and folding: borrowed from the source when
    /// identical, else allocated in the arena.
    pub text: &'s str,
    pub style: ScalarStyle,
    pub tag: ScalarTag,
}

/// A scalar resolved with the YAML 1.1 rules that kubectl (sigs.k8s.io/yaml over go-yaml v2)
/// applies, which differ from YAML 1.2: `on`, `yes`, `y` are booleans and `0755` is octal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

#[derive(Clone, Copy, Debug)]
pub struct Entry<'s> {
    pub key: Node<'s>,
    pub value: Node<'s>,
}

#[derive(Clone, Copy, Debug)]
pub enum NodeKind<'s> {
    Scalar(Scalar<'s>),
    /// The entries, in the arena.
    Mapping(&'s [Entry<'s>]),
    /// The items, in the arena.
    Sequence(&'s [Node<'s>]),
}

#[derive(Clone, Copy, Debug)]
pub struct Node<'s> {
    pub span: Span,
    pub kind: NodeKind<'s>,
}

// The tree's footprint: a node is a span and a 24-byte kind (a scalar's text and its style and
// tag fit beside the slice the collections hold), an entry two nodes.
const _: () = assert!(std::mem::size_of::<Node<'static>>() == 32);
const _: () = assert!(std::mem::size_of::<Entry<'static>>() == 64);

impl<'s> Node<'s> {
    pub fn as_mapping(&self) -> Option<&'s [Entry<'s>]> {
        match self.kind {
            NodeKind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&'s [Node<'s>]> {
        match self.kind {
            NodeKind::Sequence(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar<'s>> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entry for `key` in a mapping (the first one, should the key be duplicated).
    pub fn entry(&self, key: &str) -> Option<&'s Entry<'s>> {
        self.as_mapping()?
            .iter()
            .find(|e| matches!(&e.key.kind, NodeKind::Scalar(s) if s.text == key))
    }

    /// The value for `key` in a mapping; `None` when absent or when `self` is not a mapping.
    pub fn get(&self, key: &str) -> Option<&'s Node<'s>> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follows a path of mapping keys; a null value counts as absent.
    pub fn path(&self, keys: &[&str]) -> Option<&Node<'s>> {
        let mut node = self;
        for key in keys {
            node = node.get(key)?;
        }
        if node.is_null() { None } else { Some(node) }
    }

    /// Mapping entries, or nothing for any other node (rules treat a wrong shape as absent and
    /// leave reporting it to schema validation).
    pub fn entries(&self) -> &'s [Entry<'s>] {
        self.as_mapping().unwrap_or(&[])
    }

    /// Sequence items, or nothing for any other node.
    pub fn items(&self) -> &'s [Node<'s>] {
        self.as_sequence().unwrap_or(&[])
    }

    pub fn resolve(&self) -> Option<Resolved<'_>> {
        self.as_scalar().map(Scalar::resolve)
    }

    pub fn is_null(&self) -> bool {
        matches!(self.resolve(), Some(Resolved::Null))
    }

    /// The scalar's text when it resolves to a string. Numbers and booleans are not strings.
    pub fn as_str(&self) -> Option<&str> {
        match self.resolve()? {
            Resolved::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Any non-null scalar's text as written (numbers and booleans included): for label values
    /// and ports, where the user's intent is the text.
    pub fn scalar_text(&self) -> Option<&str> {
        let s = self.as_scalar()?;
        if matches!(s.resolve(), Resolved::Null) {
            return None;
        }
        Some(s.text)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.resolve()? {
            Resolved::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.resolve()? {
            Resolved::Int(i) => Some(i),
            Resolved::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.resolve()? {
            Resolved::Int(i) => Some(i as f64),
            Resolved::Float(f) => Some(f),
            _ => None,
        }
    }

    /// A short name for the node's shape, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Mapping(_) => "mapping",
            NodeKind::Sequence(_) => "sequence",
            NodeKind::Scalar(s) => match s.resolve() {
                Resolved::Null => "null",
                Resolved::Bool(_) => "boolean",
                Resolved::Int(_) => "integer",
                Resolved::Float(_) => "number",
                Resolved::Str(_) => "string",
            },
        }
    }

    /// The number of nodes in this subtree, for the alias-expansion budget.
    pub fn count(&self) -> usize {
        match &self.kind {
            NodeKind::Scalar(_) => 1,
            NodeKind::Mapping(e) => {
                1 + e
                    .iter()
                    .map(|e| e.key.count() + e.value.count())
                    .sum::<usize>()
            }
            NodeKind::Sequence(i) => 1 + i.iter().map(Node::count).sum::<usize>(),
        }
    }
}

impl Scalar<'_> {
    pub fn resolve(&self) -> Resolved<'_> {
        let text: &str = self.text;
        match self.tag {
            ScalarTag::Str | ScalarTag::Other => return Resolved::Str(text),
            ScalarTag::Null => return Resolved::Null,
            ScalarTag::Bool => {
                return resolve_bool(text).map_or(Resolved::Str(text), Resolved::Bool);
            }
            ScalarTag::Int | ScalarTag::Float | ScalarTag::None => {}
        }
        if self.style != ScalarStyle::Plain && self.tag == ScalarTag::None {
            return Resolved::Str(text);
        }
        resolve_plain(text)
    }
}

fn resolve_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Some(false)
        }
        _ => None,
    }
}

/// Resolves a plain scalar with YAML 1.1's implicit types, as go-yaml v2 does.
pub fn resolve_plain(text: &str) -> Resolved<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    if let Some(b) = resolve_bool(text) {
        return Resolved::Bool(b);
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Resolved::Str(text);
    }
    if let Some(i) = resolve_int(text) {
        return Resolved::Int(i);
    }
    if let Some(f) = resolve_float(text) {
        return Resolved::Float(f);
    }
    Resolved::Str(text)
}

fn resolve_int(text: &str) -> Option<i64> {
    let cleaned: String;
    let mut s = text;
    if s.contains('_') {
        cleaned = s.replace('_', "");
        s = &cleaned;
    }
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(bin) = digits.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        // YAML 1.1 octal: `0755` is 493.
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()?
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}

fn resolve_float(text: &str) -> Option<f64> {
    // YAML 1.1 floats: `1.5`, `-2.0e+3`, `.5`, `1e3` (go-yaml accepts the last too).
    let s = text.replace('_', "");
    let body = s.strip_prefix(['-', '+']).unwrap_or(&s);
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
    {
        return None;
    }
    if !body.as_bytes()[0].is_ascii_digit() && body.as_bytes()[0] != b'.' {
        return None;
    }
    s.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Resolved<'_> {
        resolve_plain(text)
    }

    #[test]
    fn yaml_1_1_booleans_and_octal() {
        assert_eq!(plain("on"), Resolved::Bool(true));
        assert_eq!(plain("NO"), Resolved::Bool(false));
        assert_eq!(plain("y"), Resolved::Bool(true));
        assert_eq!(plain("0755"), Resolved::Int(0o755));
        assert_eq!(plain("0x1F"), Resolved::Int(31));
        assert_eq!(plain("-12"), Resolved::Int(-12));
        assert_eq!(plain("1_000"), Resolved::Int(1000));
        assert_eq!(plain("1e3"), Resolved::Float(1000.0));
        assert_eq!(plain("0.5"), Resolved::Float(0.5));
        assert_eq!(plain("~"), Resolved::Null);
        assert_eq!(plain("1.2.3"), Resolved::Str("1.2.3"));
        assert_eq!(plain("500m"), Resolved::Str("500m"));
        assert_eq!(plain("-"), Resolved::Str("-"));
        // go-yaml v2 reads `09` (not octal) as the float 9, as kubectl does.
        assert_eq!(plain("09"), Resolved::Float(9.0));
    }
}
