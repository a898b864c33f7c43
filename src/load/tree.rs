//! The node tree the loader builds: every key, value and sequence item keeps its byte span and,
//! for scalars, the text as written and its quoting style, so rules can point at exact places and
//! resolve values the way kubectl does.
//!
//! The tree lives in an arena ([`bumpalo::Bump`], one per input file) that shares the source
//! text's lifetime: collections are exactly sized arena records and scalar text is the source's
//! or, when unescaping or folding changed it, copied into the arena. Nodes are therefore `Copy`
//! (an alias is a copy of the anchored node, its children shared), and the whole tree is freed
//! at once with its arena. A node is 16 bytes, an entry 32: a span and a tagged address (see
//! [`Node`]), what the node holds rebuilt on demand by [`Node::kind`].

use std::borrow::Cow;
use std::marker::PhantomData;
use std::ptr::NonNull;

use bumpalo::Bump;

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

/// A node: its span and the tagged address of what it holds, 16 bytes in all.
///
/// Most scalars are their span's text (`name`, `web`, `'80'` without its quotes): those point
/// at the file's [`SourceText`] and take their text from the span, so a plain key or value costs
/// nothing beyond its node. Other scalars (escaped, tagged, block scalars, plain ones folded
/// over lines) point at a record of their text, style and tag in the arena, or at a shared
/// static one for a value left out; collections at their length, followed by their elements,
/// or at a shared static length of zero when empty. The low three bits of the address say which
/// (every record is 8-aligned). Build a node with [`Node::in_source`], [`Node::scalar_in`],
/// [`Node::mapping_in`] or [`Node::sequence_in`]; read it with [`Node::kind`] and the accessors.
#[derive(Clone, Copy)]
pub struct Node<'s> {
    /// Private and never changed: an in-source scalar's text is its span's.
    span: Span,
    word: NonNull<u8>,
    _borrow: PhantomData<&'s ()>,
}

/// What a node's address points at, in its low three bits.
const IN_SOURCE_PLAIN: usize = 0;
const IN_SOURCE_SINGLE_QUOTED: usize = 1;
const IN_SOURCE_DOUBLE_QUOTED: usize = 2;
const SCALAR_RECORD: usize = 3;
const MAPPING: usize = 4;
const SEQUENCE: usize = 5;
const TAG_BITS: usize = 0b111;

/// The text of the file a tree is parsed from, recorded once in its arena: what in-source
/// scalars point at.
#[derive(Clone, Copy)]
pub struct SourceText<'s>(&'s SourceRecord<'s>);

struct SourceRecord<'s> {
    text: &'s str,
}

/// A collection's length, written in the arena just before its elements.
type Header = usize;
const HEADER: usize = std::mem::size_of::<Header>();

/// The length of every empty collection, which then costs nothing in the arena.
static EMPTY_COLLECTION: Header = 0;

/// The record of every empty plain scalar made without an arena (a value left out). The record
/// of a scalar that is not its span's text as written is its [`Scalar`] itself.
static EMPTY_PLAIN: Scalar<'static> = Scalar {
    text: "",
    style: ScalarStyle::Plain,
    tag: ScalarTag::None,
};

// The tag needs three free bits in every address a node holds, and a collection's elements
// start right after its header, whatever their type.
const _: () = assert!(std::mem::align_of::<SourceRecord<'static>>() >= 8);
const _: () = assert!(std::mem::align_of::<Scalar<'static>>() >= 8);
const _: () = assert!(std::mem::align_of::<Header>() >= 8);
const _: () = assert!(HEADER.is_multiple_of(std::mem::align_of::<Entry<'static>>()));
const _: () = assert!(HEADER.is_multiple_of(std::mem::align_of::<Node<'static>>()));

// The tree's footprint: a node is a span and an address, an entry two nodes.
const _: () = assert!(std::mem::size_of::<Node<'static>>() == 16);
const _: () = assert!(std::mem::size_of::<Entry<'static>>() == 32);
const _: () = assert!(std::mem::size_of::<Option<Node<'static>>>() == 16);

// SAFETY: a node stands for a `NodeKind<'s>`, that is a `&'s str`, a `&'s [Entry<'s>]` or a
// `&'s [Node<'s>]`, reached through a record that is written once, when allocated, and never
// after: shared borrows of data without interior mutability. Such borrows are `Send` and
// `Sync`; the raw pointer only hides that from the compiler. Nothing is ever written through
// it, and it is read only by `kind` and the accessors, as the shared borrow it came from.
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

impl<'s> SourceText<'s> {
    pub fn new_in(arena: &'s Bump, text: &'s str) -> Self {
        SourceText(arena.alloc(SourceRecord { text }))
    }
}

/// Copies `elements` into the arena after their length; returns the header's address.
fn alloc_collection<T: Copy>(arena: &Bump, elements: &[T]) -> NonNull<u8> {
    if elements.is_empty() {
        // No element is ever read past it: the slice after the header is empty.
        return NonNull::from(&EMPTY_COLLECTION).cast();
    }
    let layout = std::alloc::Layout::from_size_align(
        HEADER + std::mem::size_of_val(elements),
        std::mem::align_of::<Header>(),
    )
    .expect("a collection smaller than the file it was parsed from");
    let at = arena.alloc_layout(layout);
    // SAFETY: `at` is a fresh allocation of `layout`: 8-aligned, with room for the header and,
    // right after it (`HEADER` is a multiple of the elements' alignment, asserted above), for
    // the elements, which `copy_nonoverlapping` copies (they are `Copy`).
    unsafe {
        at.cast::<Header>().write(elements.len());
        std::ptr::copy_nonoverlapping(
            elements.as_ptr(),
            at.as_ptr().add(HEADER).cast::<T>(),
            elements.len(),
        );
    }
    at
}

/// A record's address with `tag` in its low bits: the record is 8-aligned, so the address
/// stays inside it and keeps its provenance.
fn tagged<T>(record: NonNull<T>, tag: usize) -> NonNull<u8> {
    record.cast::<u8>().map_addr(|a| a | tag)
}

impl<'s> Node<'s> {
    /// A scalar whose text is its span's as written, `text` being that slice of `source`: all
    /// of the span for `Plain`, or within its quotes for `SingleQuoted` and `DoubleQuoted` (so
    /// without escapes). Untagged. `None` when `text` is not that slice of `source`: build the
    /// node with [`Node::scalar_in`].
    #[inline]
    pub fn in_source(
        source: SourceText<'s>,
        span: Span,
        style: ScalarStyle,
        text: &'s str,
    ) -> Option<Self> {
        let (tag, quotes) = match style {
            ScalarStyle::Plain => (IN_SOURCE_PLAIN, 0),
            ScalarStyle::SingleQuoted => (IN_SOURCE_SINGLE_QUOTED, 1),
            ScalarStyle::DoubleQuoted => (IN_SOURCE_DOUBLE_QUOTED, 1),
            ScalarStyle::Literal | ScalarStyle::Folded => return None,
        };
        // `text` is a `str` slice of the source (so in bounds and on character boundaries)
        // exactly where the span says, which is what `scalar_unchecked` relies on.
        let source_start = source.0.text.as_ptr().addr();
        let at = (span.start as usize).checked_add(quotes)?;
        let len = (span.end as usize).checked_sub(at)?.checked_sub(quotes)?;
        let within = text.as_ptr().addr().checked_sub(source_start)? == at
            && text.len() == len
            && at + len <= source.0.text.len();
        within.then(|| Node {
            span,
            word: tagged(NonNull::from(source.0), tag),
            _borrow: PhantomData,
        })
    }

    /// Any scalar: its text, style and tag recorded in the arena.
    pub fn scalar_in(arena: &'s Bump, span: Span, scalar: Scalar<'s>) -> Self {
        let record = arena.alloc(scalar);
        Node {
            span,
            word: tagged(NonNull::from(record), SCALAR_RECORD),
            _borrow: PhantomData,
        }
    }

    /// An empty plain scalar at `at`: a value left out, which reads as null.
    pub fn null_at(at: u32) -> Self {
        Node {
            span: Span::new(at, at),
            word: tagged(NonNull::from(&EMPTY_PLAIN), SCALAR_RECORD),
            _borrow: PhantomData,
        }
    }

    pub fn mapping_in(arena: &'s Bump, span: Span, entries: &[Entry<'s>]) -> Self {
        Node {
            span,
            word: tagged(alloc_collection(arena, entries), MAPPING),
            _borrow: PhantomData,
        }
    }

    pub fn sequence_in(arena: &'s Bump, span: Span, items: &[Node<'s>]) -> Self {
        Node {
            span,
            word: tagged(alloc_collection(arena, items), SEQUENCE),
            _borrow: PhantomData,
        }
    }

    /// Where the node is in its file.
    #[inline]
    pub fn span(&self) -> Span {
        self.span
    }

    #[inline]
    fn tag(&self) -> usize {
        self.word.addr().get() & TAG_BITS
    }

    /// The address of the record the node points at, without the tag.
    #[inline]
    fn record(&self) -> NonNull<u8> {
        // SAFETY (of the `unwrap_unchecked`): records are 8-aligned and not null, so clearing
        // the low three bits leaves their non-zero address.
        self.word.map_addr(|a| unsafe {
            std::num::NonZeroUsize::new(a.get() & !TAG_BITS).unwrap_unchecked()
        })
    }

    /// What the node holds.
    #[inline]
    pub fn kind(&self) -> NodeKind<'s> {
        match self.tag() {
            MAPPING => NodeKind::Mapping(self.elements::<Entry<'s>>()),
            SEQUENCE => NodeKind::Sequence(self.elements::<Node<'s>>()),
            _ => NodeKind::Scalar(self.scalar_unchecked()),
        }
    }

    /// A collection's elements, for a node known to be a collection of `T`.
    #[inline]
    fn elements<T>(&self) -> &'s [T] {
        debug_assert!(matches!(self.tag(), MAPPING | SEQUENCE));
        // SAFETY: a mapping's or a sequence's record was written by `alloc_collection` from a
        // `&[Entry<'s>]` or a `&[Node<'s>]` (the tag says which, and `kind` asks for that type)
        // in an arena that lives for `'s`: a header holding the length, then that many
        // elements, never written again; or it is `EMPTY_COLLECTION`, whose zero elements
        // start, aligned and not null, just past it.
        unsafe {
            let at = self.record();
            let len = at.cast::<Header>().read();
            std::slice::from_raw_parts(at.as_ptr().add(HEADER).cast::<T>(), len)
        }
    }

    /// A scalar's text, style and tag, for a node known to be a scalar.
    #[inline]
    fn scalar_unchecked(&self) -> Scalar<'s> {
        let tag = self.tag();
        debug_assert!(tag <= SCALAR_RECORD);
        if tag == SCALAR_RECORD {
            // SAFETY: the record was written by `scalar_in`, in an arena that lives for `'s`,
            // or is `EMPTY_PLAIN`; neither is written again.
            return unsafe { *self.record().cast::<Scalar<'s>>().as_ref() };
        }
        let (start, end) = (self.span.start as usize, self.span.end as usize);
        let (range, style) = match tag {
            IN_SOURCE_PLAIN => (start..end, ScalarStyle::Plain),
            IN_SOURCE_SINGLE_QUOTED => (start + 1..end - 1, ScalarStyle::SingleQuoted),
            _ => (start + 1..end - 1, ScalarStyle::DoubleQuoted),
        };
        // SAFETY: `in_source` checked that these bytes of the source are the bytes of a `str`
        // (in bounds, so UTF-8; an empty one may sit anywhere, even inside a character, which
        // is why the bytes are sliced rather than the `str`), and the span has not changed
        // since: the field is private and nothing writes it.
        let text = unsafe {
            std::str::from_utf8_unchecked(self.source_text().as_bytes().get_unchecked(range))
        };
        Scalar {
            text,
            style,
            tag: ScalarTag::None,
        }
    }

    /// The source text an in-source scalar points at.
    #[inline]
    fn source_text(&self) -> &'s str {
        debug_assert!(self.tag() < SCALAR_RECORD);
        // SAFETY: an in-source scalar points at a `SourceRecord<'s>` (`in_source`), in an arena
        // that lives for `'s`, whose text lives for `'s` too.
        unsafe { self.record().cast::<SourceRecord<'s>>().as_ref() }.text
    }

    /// Whether the node is a scalar whose text is `text`, without building its [`Scalar`]:
    /// the test [`Node::entry`] makes of every key it passes.
    #[inline]
    fn has_text(&self, text: &str) -> bool {
        let tag = self.tag();
        if tag == IN_SOURCE_PLAIN {
            // Most keys: told apart by their length, else compared where they are.
            let range = self.span.range();
            return range.len() == text.len()
                // SAFETY: as in `scalar_unchecked`, the span is in bounds of the source.
                && unsafe { self.source_text().as_bytes().get_unchecked(range) } == text.as_bytes();
        }
        tag <= SCALAR_RECORD && self.scalar_unchecked().text == text
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
    #[inline]
    pub fn entry(&self, key: &str) -> Option<&'s Entry<'s>> {
        self.as_mapping()?.iter().find(|e| e.key.has_text(key))
    }

    /// The value for `key` in a mapping; `None` when absent or when `self` is not a mapping.
    // Inlined across codegen units like `entry`: rules and the model call it everywhere, and
    // whether the compiler inlined it otherwise moved with unrelated code (50 million
    // instructions on the 10,000-document tree).
    #[inline]
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

    fn text_of<'s>(node: &Node<'s>) -> &'s str {
        match node.kind() {
            NodeKind::Scalar(s) => s.text,
            other => panic!("not a scalar: {other:?}"),
        }
    }

    fn style_and_tag(node: &Node<'_>) -> (ScalarStyle, ScalarTag) {
        let s = node.as_scalar().expect("a scalar");
        (s.style, s.tag)
    }

    /// Every kind of node goes through its packed form and comes back as built: in-source text
    /// as the slice of the source its span names, recorded text at its own address, the style
    /// and tag as given, collections with their elements in order.
    #[test]
    fn nodes_round_trip_through_their_packed_form() {
        fn shared<T: Send + Sync + Copy>() {}
        shared::<Node<'static>>();
        shared::<Entry<'static>>();

        let arena = Bump::new();
        let src = String::from("name: web\nport: '80'\nsay: \"hi\"\nx: é\n");
        let source = SourceText::new_in(&arena, &src);
        let in_source = |start: u32, end: u32, style| {
            let quotes = usize::from(style != ScalarStyle::Plain);
            let text = &src[start as usize + quotes..end as usize - quotes];
            Node::in_source(source, Span::new(start, end), style, text)
        };
        let key = in_source(0, 4, ScalarStyle::Plain).expect("plain");
        let web = in_source(6, 9, ScalarStyle::Plain).expect("plain");
        let port = in_source(10, 14, ScalarStyle::Plain).expect("plain");
        let quoted = in_source(16, 20, ScalarStyle::SingleQuoted).expect("single-quoted");
        let said = in_source(26, 30, ScalarStyle::DoubleQuoted).expect("double-quoted");
        let unescaped: &str = arena.alloc_str("line\nbreak");
        let folded = Node::scalar_in(
            &arena,
            Span::new(40, 45),
            Scalar {
                text: unescaped,
                style: ScalarStyle::Folded,
                tag: ScalarTag::Str,
            },
        );
        let tagged = Node::scalar_in(
            &arena,
            Span::new(16, 20),
            Scalar {
                text: &src[17..19],
                style: ScalarStyle::SingleQuoted,
                tag: ScalarTag::Int,
            },
        );
        let empty = Node::null_at(45);
        let empty_in_source = in_source(9, 9, ScalarStyle::Plain).expect("empty plain");

        assert!(std::ptr::eq(text_of(&key), &src[0..4]));
        assert!(std::ptr::eq(text_of(&quoted), &src[17..19]));
        assert!(std::ptr::eq(text_of(&said), &src[27..29]));
        assert_eq!(style_and_tag(&key), (ScalarStyle::Plain, ScalarTag::None));
        assert_eq!(
            style_and_tag(&quoted),
            (ScalarStyle::SingleQuoted, ScalarTag::None)
        );
        assert_eq!(
            style_and_tag(&said),
            (ScalarStyle::DoubleQuoted, ScalarTag::None)
        );
        assert_eq!((quoted.as_str(), said.as_str()), (Some("80"), Some("hi")));
        assert_eq!(quoted.span(), Span::new(16, 20));
        assert!(std::ptr::eq(text_of(&folded), unescaped));
        assert_eq!(
            style_and_tag(&folded),
            (ScalarStyle::Folded, ScalarTag::Str)
        );
        assert_eq!(tagged.resolve(), Some(Resolved::Int(80)));
        assert_eq!(
            style_and_tag(&tagged),
            (ScalarStyle::SingleQuoted, ScalarTag::Int)
        );
        for null in [empty, empty_in_source] {
            assert_eq!(text_of(&null), "");
            assert!(null.is_null());
            assert_eq!(null.type_name(), "null");
        }
        assert_eq!(empty.span(), Span::new(45, 45));
        for leaf in [key, web, quoted, said, folded, empty, tagged] {
            assert!(leaf.entries().is_empty() && leaf.items().is_empty());
            assert!(leaf.as_mapping().is_none() && leaf.as_sequence().is_none());
            assert_eq!(leaf.count(), 1);
        }

        // Text that is not the slice of the source its span and style name: past the end, the
        // same words elsewhere, within the quotes of a plain span, quoted spans too short for
        // two quotes, spans at the end of the range, block scalars (never their span's text).
        let not_in_source = |start: u32, end: u32, style, text: &str| {
            Node::in_source(source, Span::new(start, end), style, text).is_none()
        };
        let copy = String::from("name");
        assert!(not_in_source(30, 200, ScalarStyle::Plain, &src[30..]));
        assert!(not_in_source(0, 4, ScalarStyle::Plain, &copy));
        assert!(not_in_source(0, 4, ScalarStyle::Plain, &src[0..3]));
        assert!(not_in_source(16, 20, ScalarStyle::Plain, &src[17..19]));
        assert!(not_in_source(
            16,
            20,
            ScalarStyle::DoubleQuoted,
            &src[16..20]
        ));
        assert!(not_in_source(
            16,
            17,
            ScalarStyle::SingleQuoted,
            &src[17..17]
        ));
        assert!(not_in_source(
            16,
            16,
            ScalarStyle::DoubleQuoted,
            &src[16..16]
        ));
        assert!(not_in_source(
            u32::MAX,
            u32::MAX,
            ScalarStyle::SingleQuoted,
            ""
        ));
        assert!(not_in_source(0, 4, ScalarStyle::Literal, &src[0..4]));
        assert!(not_in_source(0, 4, ScalarStyle::Folded, &src[0..4]));
        assert!(not_in_source(0, 4, ScalarStyle::Plain, &src[6..10]));
        assert!(not_in_source(
            u32::MAX - 1,
            u32::MAX,
            ScalarStyle::SingleQuoted,
            ""
        ));
        assert!(not_in_source(u32::MAX, u32::MAX, ScalarStyle::Plain, ""));
        // Only the bounds tell these apart: the text is the right slice of a longer string, of
        // which the source is a prefix.
        let prefix = SourceText::new_in(&arena, &src[..10]);
        assert!(
            Node::in_source(prefix, Span::new(10, 14), ScalarStyle::Plain, &src[10..14]).is_none()
        );
        assert!(
            Node::in_source(prefix, Span::new(6, 10), ScalarStyle::Plain, &src[6..10]).is_some()
        );
        let e = src.find('é').expect("é") as u32;
        let accented = in_source(e, e + 2, ScalarStyle::Plain).expect("plain");
        assert_eq!(accented.as_str(), Some("é"));
        // The text may end where the source does, and an empty one may sit anywhere, even
        // within a character: it reads as empty.
        let end = src.len() as u32;
        assert_eq!(
            in_source(end - 1, end, ScalarStyle::Plain)
                .and_then(|n| n.as_scalar())
                .map(|s| s.text),
            Some("\n")
        );
        // Not `&src[..]`, which panics there: only the bytes can be sliced inside a character.
        #[allow(clippy::string_from_utf8_as_bytes)]
        let inside =
            std::str::from_utf8(&src.as_bytes()[e as usize + 1..e as usize + 1]).expect("empty");
        let within = Node::in_source(source, Span::new(e + 1, e + 1), ScalarStyle::Plain, inside);
        assert_eq!(within.map(|n| text_of(&n)), Some(""));
        let quotes = String::from("a: ''\nb: \"\"\n");
        let quotes_source = SourceText::new_in(&arena, &quotes);
        let empty_single = Node::in_source(
            quotes_source,
            Span::new(3, 5),
            ScalarStyle::SingleQuoted,
            &quotes[4..4],
        );
        let empty_double = Node::in_source(
            quotes_source,
            Span::new(9, 11),
            ScalarStyle::DoubleQuoted,
            &quotes[10..10],
        );
        for n in [empty_single, empty_double] {
            assert_eq!(n.map(|n| text_of(&n)), Some(""));
        }

        let empty_map = Node::mapping_in(&arena, Span::new(50, 52), &[]);
        let empty_seq = Node::sequence_in(&arena, Span::new(53, 55), &[]);
        assert!(matches!(empty_map.kind(), NodeKind::Mapping(e) if e.is_empty()));
        assert!(matches!(empty_seq.kind(), NodeKind::Sequence(i) if i.is_empty()));
        assert!(empty_map.as_scalar().is_none() && empty_seq.as_scalar().is_none());
        assert_eq!(
            (empty_map.type_name(), empty_seq.type_name()),
            ("mapping", "sequence")
        );
        assert!(empty_map.get("name").is_none());

        let entries = [
            Entry { key, value: web },
            Entry {
                key: port,
                value: quoted,
            },
            Entry {
                key: tagged,
                value: empty_seq,
            },
        ];
        let mapping = Node::mapping_in(&arena, Span::new(0, 20), &entries);
        let items = [mapping, empty_map, folded, empty, empty_seq, said];
        let sequence = Node::sequence_in(&arena, Span::new(0, 60), &items);
        let root_key = Node::scalar_in(
            &arena,
            Span::new(0, 0),
            Scalar {
                text: "items",
                style: ScalarStyle::Plain,
                tag: ScalarTag::None,
            },
        );
        let root = Node::mapping_in(
            &arena,
            Span::new(0, 60),
            &[Entry {
                key: root_key,
                value: sequence,
            }],
        );

        assert_eq!(root.entries().len(), 1);
        let seq = root.get("items").expect("items");
        assert_eq!(seq.span(), Span::new(0, 60));
        assert_eq!(seq.items().len(), 6);
        let first = &seq.items()[0];
        assert_eq!(first.entries().len(), 3);
        assert_eq!(first.get("name").and_then(Node::as_str), Some("web"));
        assert_eq!(
            first.path(&["port"]).and_then(Node::scalar_text),
            Some("80")
        );
        // A key matches on its text alone: `'80'` (quoted, tagged `!!int`) is found as "80",
        // as is a quoted key taken from the source.
        assert!(first.get("80").is_some_and(|n| n.items().is_empty()));
        let by_quoted_key = Node::mapping_in(
            &arena,
            Span::new(0, 30),
            &[Entry {
                key: said,
                value: web,
            }],
        );
        assert_eq!(by_quoted_key.get("hi").and_then(Node::as_str), Some("web"));
        assert!(by_quoted_key.get("\"hi\"").is_none());
        assert!(first.get("nam").is_none() && first.get("names").is_none());
        assert!(first.get("").is_none() && first.get("web").is_none());
        assert_eq!(
            first.entry("port").map(|e| e.value.span()),
            Some(Span::new(16, 20))
        );
        assert!(seq.items()[1].entries().is_empty());
        assert_eq!(text_of(&seq.items()[2]), "line\nbreak");
        assert!(seq.items()[3].is_null());
        assert!(seq.items()[4].items().is_empty());
        assert_eq!(seq.items()[5].as_str(), Some("hi"));
        // The root, its key, the sequence, and the sequence's items: the mapping (1 + 6), the
        // empty mapping, two scalars, the empty sequence and the last scalar.
        assert_eq!(root.count(), 1 + 1 + 1 + 7 + 1 + 2 + 1 + 1);

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
