//! The node tree the loader builds: every key, value and sequence item keeps its byte span and,
//! for scalars, the text as written and its quoting style, so rules can point at exact places and
//! resolve values the way kubectl does.
//!
//! The tree lives in an arena ([`bumpalo::Bump`], one per input file) that shares the source
//! text's lifetime: collections are exactly sized arena slices and scalar text is borrowed from
//! the source or, when unescaping or folding changed it, copied into the arena. Nodes are
//! therefore `Copy` (an alias is a copy of the anchored node, its children shared), and the
//! whole tree is freed at once with its arena. A node is 24 bytes, an entry 48: what a node
//! holds is packed beside its span (see [`Node`]) and rebuilt on demand by [`Node::kind`].

use std::borrow::Cow;
use std::marker::PhantomData;
use std::ptr::NonNull;

/// A byte range in one source file. Offsets are `u32`: files are capped at 2 GiB (see
/// [`crate::load::LARGEST_FILE_SIZE`]).
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

/// What a node holds, as [`Node::kind`] rebuilds it from the node's packed form.
#[derive(Clone, Copy, Debug)]
pub enum NodeKind<'s> {
    Scalar(Scalar<'s>),
    /// The entries, in the arena.
    Mapping(&'s [Entry<'s>]),
    /// The items, in the arena.
    Sequence(&'s [Node<'s>]),
}

/// A node: its span and, packed into 16 bytes, what [`NodeKind`] would hold in 24 (the address
/// and length of the scalar's text, of the entries or of the items, which of the three it is,
/// and a scalar's style and tag). Build one with [`Node::scalar`], [`Node::mapping`] or
/// [`Node::sequence`]; read it with [`Node::kind`] and the accessors.
#[derive(Clone, Copy)]
pub struct Node<'s> {
    pub span: Span,
    /// The start of the text (`u8`), the entries (`Entry<'s>`) or the items (`Node<'s>`),
    /// taken from a `&'s str` or `&'s [_]` of `len` elements by the constructors.
    ptr: NonNull<u8>,
    len: u32,
    shape: Shape,
    /// For scalars only: `Plain` and `None` for collections.
    style: ScalarStyle,
    tag: ScalarTag,
    _borrow: PhantomData<&'s ()>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Scalar,
    Mapping,
    Sequence,
}

// SAFETY: a node stands for a `NodeKind<'s>`, that is a `&'s str`, a `&'s [Entry<'s>]` or a
// `&'s [Node<'s>]`: shared borrows of data that nothing mutates while they live (an arena's
// slices are written once, when allocated, and the text is a `str`) and that has no interior
// mutability. Such borrows are `Send` and `Sync`; the raw pointer only hides that from the
// compiler. Nothing is ever written through the pointer, which is read only by `kind` and the
// accessors as the shared borrow it came from.
unsafe impl Send for Node<'_> {}
// SAFETY: as for `Send` above.
unsafe impl Sync for Node<'_> {}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("span", &self.span)
            .field("kind", &self.kind())
            .finish()
    }
}

// The tree's footprint: a node is a span and 16 bytes (an address, a `u32` length and three
// one-byte tags), an entry two nodes. `NodeKind` as a field would take 24 of its own.
const _: () = assert!(std::mem::size_of::<Node<'static>>() == 24);
const _: () = assert!(std::mem::size_of::<Entry<'static>>() == 48);
const _: () = assert!(std::mem::size_of::<Option<Node<'static>>>() == 24);

/// A length as stored in a node. A collection has fewer items than its file has bytes, and a
/// scalar's text is at most 1.5 times its source (`\L` and `\P`, two bytes, unescape to
/// three), so the loader's cap of 2 GiB per file (`LARGEST_FILE_SIZE`) keeps every length
/// below 4 GiB. Saturating instead would not do: a text cut short could end inside a
/// character, and `kind` trusts the text to be UTF-8.
fn packed_len(len: usize) -> u32 {
    u32::try_from(len).expect("a tree node longer than 4 GiB")
}

impl<'s> Node<'s> {
    pub fn scalar(span: Span, scalar: Scalar<'s>) -> Self {
        Node {
            span,
            ptr: NonNull::from(scalar.text.as_bytes()).cast(),
            len: packed_len(scalar.text.len()),
            shape: Shape::Scalar,
            style: scalar.style,
            tag: scalar.tag,
            _borrow: PhantomData,
        }
    }

    pub fn mapping(span: Span, entries: &'s [Entry<'s>]) -> Self {
        Node {
            span,
            ptr: NonNull::from(entries).cast(),
            len: packed_len(entries.len()),
            shape: Shape::Mapping,
            style: ScalarStyle::Plain,
            tag: ScalarTag::None,
            _borrow: PhantomData,
        }
    }

    pub fn sequence(span: Span, items: &'s [Node<'s>]) -> Self {
        Node {
            span,
            ptr: NonNull::from(items).cast(),
            len: packed_len(items.len()),
            shape: Shape::Sequence,
            style: ScalarStyle::Plain,
            tag: ScalarTag::None,
            _borrow: PhantomData,
        }
    }

    /// What the node holds.
    #[inline]
    pub fn kind(&self) -> NodeKind<'s> {
        match self.shape {
            Shape::Scalar => NodeKind::Scalar(Scalar {
                text: self.text_unchecked(),
                style: self.style,
                tag: self.tag,
            }),
            // SAFETY: a mapping's `ptr` and `len` come from a `&'s [Entry<'s>]` (`Node::mapping`),
            // whose elements live, unchanged, for `'s`.
            Shape::Mapping => NodeKind::Mapping(unsafe {
                std::slice::from_raw_parts(self.ptr.cast::<Entry<'s>>().as_ptr(), self.len as usize)
            }),
            // SAFETY: a sequence's `ptr` and `len` come from a `&'s [Node<'s>]`
            // (`Node::sequence`), whose elements live, unchanged, for `'s`.
            Shape::Sequence => NodeKind::Sequence(unsafe {
                std::slice::from_raw_parts(self.ptr.cast::<Node<'s>>().as_ptr(), self.len as usize)
            }),
        }
    }

    /// A scalar's text, for a node known to be a scalar.
    #[inline]
    fn text_unchecked(&self) -> &'s str {
        debug_assert_eq!(self.shape, Shape::Scalar);
        // SAFETY: a scalar's `ptr` and `len` come from a `&'s str` (`Node::scalar`): `len`
        // bytes of valid UTF-8 that live, unchanged, for `'s`. Only scalars call this.
        unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(
                self.ptr.as_ptr(),
                self.len as usize,
            ))
        }
    }

    /// Whether the node is a scalar whose text is `text`, without building its [`Scalar`]:
    /// the test [`Node::entry`] makes of every key it passes.
    #[inline]
    fn has_text(&self, text: &str) -> bool {
        self.shape == Shape::Scalar
            && self.len as usize == text.len()
            && self.text_unchecked().as_bytes() == text.as_bytes()
    }

    pub fn as_mapping(&self) -> Option<&'s [Entry<'s>]> {
        match self.kind() {
            NodeKind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&'s [Node<'s>]> {
        match self.kind() {
            NodeKind::Sequence(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<Scalar<'s>> {
        match self.kind() {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entry for `key` in a mapping (the first one, should the key be duplicated).
    pub fn entry(&self, key: &str) -> Option<&'s Entry<'s>> {
        self.as_mapping()?.iter().find(|e| e.key.has_text(key))
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
        self.as_scalar().map(|s| s.resolve())
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
        match self.kind() {
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
        match self.kind() {
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

impl<'s> Scalar<'s> {
    pub fn resolve(&self) -> Resolved<'s> {
        let text: &'s str = self.text;
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
    // Most scalars reaching here (`100m`, `128Mi`, `1.27.3`) have no `_`: copy only those that do.
    let s: Cow<'_, str> = if text.contains('_') {
        text.replace('_', "").into()
    } else {
        text.into()
    };
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

    fn scalar<'s>(at: u32, text: &'s str, style: ScalarStyle, tag: ScalarTag) -> Node<'s> {
        let end = at + text.len() as u32;
        Node::scalar(Span::new(at, end), Scalar { text, style, tag })
    }

    fn text_of<'s>(node: &Node<'s>) -> &'s str {
        match node.kind() {
            NodeKind::Scalar(s) => s.text,
            other => panic!("not a scalar: {other:?}"),
        }
    }

    /// Every kind of node goes through its packed form and comes back as built: the text and
    /// slices at the same addresses with the same lengths, the style and tag as given.
    #[test]
    fn nodes_round_trip_through_their_packed_form() {
        fn shared<T: Send + Sync + Copy>() {}
        shared::<Node<'static>>();
        shared::<Entry<'static>>();

        let arena = bumpalo::Bump::new();
        let src = String::from("name: web\nport: '80'\n");
        let borrowed = &src[0..4];
        let unescaped: &str = arena.alloc_str("line\nbreak");
        let key = scalar(0, borrowed, ScalarStyle::Plain, ScalarTag::None);
        let web = scalar(6, &src[6..9], ScalarStyle::Plain, ScalarTag::None);
        let quoted = scalar(16, &src[17..19], ScalarStyle::SingleQuoted, ScalarTag::None);
        let folded = scalar(30, unescaped, ScalarStyle::Folded, ScalarTag::Str);
        let empty = scalar(40, "", ScalarStyle::Plain, ScalarTag::None);
        let tagged = scalar(41, "12", ScalarStyle::DoubleQuoted, ScalarTag::Int);

        let Some(s) = key.as_scalar() else {
            panic!("a scalar")
        };
        assert!(std::ptr::eq(s.text, borrowed));
        assert_eq!((s.style, s.tag), (ScalarStyle::Plain, ScalarTag::None));
        assert!(std::ptr::eq(text_of(&folded), unescaped));
        let f = folded.as_scalar().expect("a scalar");
        assert_eq!(
            (f.text, f.style, f.tag),
            ("line\nbreak", ScalarStyle::Folded, ScalarTag::Str)
        );
        assert_eq!(quoted.as_str(), Some("80"));
        assert_eq!(tagged.resolve(), Some(Resolved::Int(12)));
        assert_eq!(text_of(&empty), "");
        assert!(empty.is_null());
        assert_eq!(empty.type_name(), "null");
        for leaf in [key, web, quoted, folded, empty, tagged] {
            assert!(leaf.entries().is_empty() && leaf.items().is_empty());
            assert!(leaf.as_mapping().is_none() && leaf.as_sequence().is_none());
            assert_eq!(leaf.count(), 1);
        }

        // Empty collections: a literal's dangling pointer, an empty arena slice, and the empty
        // slice just past the end of a full one.
        let no_entries: &[Entry<'_>] = &[];
        let no_items: &[Node<'_>] = arena.alloc_slice_copy(&[]);
        let empty_map = Node::mapping(Span::new(50, 52), no_entries);
        let empty_seq = Node::sequence(Span::new(53, 55), no_items);
        assert!(matches!(empty_map.kind(), NodeKind::Mapping(e) if e.is_empty()));
        assert!(matches!(empty_seq.kind(), NodeKind::Sequence(i) if i.is_empty()));
        assert!(empty_map.as_scalar().is_none() && empty_seq.as_scalar().is_none());
        assert_eq!(
            (empty_map.type_name(), empty_seq.type_name()),
            ("mapping", "sequence")
        );
        assert!(empty_map.get("name").is_none());

        let entries: &[Entry<'_>] = arena.alloc_slice_copy(&[
            Entry { key, value: web },
            Entry {
                key: scalar(10, &src[10..14], ScalarStyle::Plain, ScalarTag::None),
                value: quoted,
            },
            Entry {
                key: tagged,
                value: empty_seq,
            },
        ]);
        let mapping = Node::mapping(Span::new(0, 20), entries);
        let past_end = Node::mapping(Span::new(20, 20), &entries[entries.len()..]);
        assert!(past_end.entries().is_empty());
        let items: &[Node<'_>] =
            arena.alloc_slice_copy(&[mapping, empty_map, folded, empty, empty_seq]);
        let sequence = Node::sequence(Span::new(0, 60), items);
        let root_entries: &[Entry<'_>] = arena.alloc_slice_copy(&[Entry {
            key: scalar(0, "items", ScalarStyle::Plain, ScalarTag::None),
            value: sequence,
        }]);
        let root = Node::mapping(Span::new(0, 60), root_entries);

        assert!(std::ptr::eq(root.entries(), root_entries));
        let seq = root.get("items").expect("items");
        assert_eq!(seq.span, Span::new(0, 60));
        assert!(std::ptr::eq(seq.items(), items));
        assert_eq!(seq.items().len(), 5);
        let first = &seq.items()[0];
        assert!(std::ptr::eq(first.entries(), entries));
        assert_eq!(first.get("name").and_then(Node::as_str), Some("web"));
        assert_eq!(
            first.path(&["port"]).and_then(Node::scalar_text),
            Some("80")
        );
        // A key matches on its text alone: `"12"` (quoted, tagged `!!int`) is found as "12".
        assert!(first.get("12").is_some_and(|n| n.items().is_empty()));
        assert!(first.get("nam").is_none() && first.get("names").is_none());
        assert!(first.get("").is_none());
        assert!(std::ptr::eq(
            first.entry("port").expect("port"),
            &entries[1]
        ));
        assert!(seq.items()[1].entries().is_empty());
        assert_eq!(text_of(&seq.items()[2]), "line\nbreak");
        assert!(seq.items()[3].is_null());
        assert!(seq.items()[4].items().is_empty());
        // The root, its key, the sequence, and the sequence's items: the mapping (1 + 6), the
        // empty mapping, two scalars and the empty sequence.
        assert_eq!(root.count(), 1 + 1 + 1 + 7 + 1 + 2 + 1);

        let debug = format!("{root:?}");
        assert!(debug.starts_with("Node { span: Span { start: 0, end: 60 }, kind: Mapping(["));
        assert!(debug.contains("text: \"web\""));
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
        // Underscores are dropped from floats too.
        assert_eq!(plain("1_000.5"), Resolved::Float(1000.5));
        assert_eq!(plain("-2_0e1"), Resolved::Float(-200.0));
        assert_eq!(plain("1_000Mi"), Resolved::Str("1_000Mi"));
        assert_eq!(plain("~"), Resolved::Null);
        assert_eq!(plain("1.2.3"), Resolved::Str("1.2.3"));
        assert_eq!(plain("500m"), Resolved::Str("500m"));
        assert_eq!(plain("-"), Resolved::Str("-"));
        // go-yaml v2 reads `09` (not octal) as the float 9, as kubectl does.
        assert_eq!(plain("09"), Resolved::Float(9.0));
    }
}
