//! The one place that knows the YAML library: saphyr-parser's event stream is turned into our
//! span-keeping [`Node`] tree, one document at a time. Anchors and aliases are expanded under a
//! node budget, merge keys (`<<`) are applied, duplicate keys are found, and nesting is bounded.
//! A document that fails (syntax error, alias bomb, nesting too deep) is reported and parsing
//! resumes at the next `---` line, so one broken document never hides the others.

use std::borrow::Cow;

use bumpalo::Bump;
use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, Span as SaphyrSpan};

use super::scanner_input::ScannerInput;
use super::tree::{Entry, Node, NodeKind, Scalar, ScalarStyle, ScalarTag, SourceText, Span};

/// Bounds that keep hostile input cheap.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The deepest nesting of mappings and sequences accepted in one document.
    pub max_depth: usize,
    /// How many nodes alias expansion may add to one file (a billion-laughs defence). The
    /// budget is per file, not per document, so a file of many documents that each stay just
    /// under it cannot multiply the cost.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_alias_nodes: 1_000_000,
        }
    }
}

/// One YAML document of a stream.
#[derive(Debug)]
pub struct RawDocument<'s> {
    /// The document's content; `None` for an empty document.
    pub root: Option<Node<'s>>,
    /// From the document's first byte (its `---` marker if explicit) to its last node.
    pub span: Span,
}

/// A problem found while parsing; the loader turns it into a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseProblemKind {
    Syntax,
    DuplicateKey,
    AliasBomb,
    TooDeep,
}

#[derive(Debug, Clone)]
pub struct ParseProblem {
    pub kind: ParseProblemKind,
    pub span: Span,
    pub message: String,
    /// A second location and what it is: for a duplicate key, the first occurrence; for a
    /// syntax error inside a flow collection, where that collection opens.
    pub related: Option<(Span, &'static str)>,
}

#[derive(Debug, Default)]
pub struct ParsedStream<'s> {
    pub documents: Vec<RawDocument<'s>>,
    pub problems: Vec<ParseProblem>,
    /// Documents abandoned because of a problem (counted so nothing goes unaccounted for).
    pub failed_documents: usize,
    /// Nodes added by alias expansion in the documents kept so far (the file's budget).
    alias_nodes: usize,
}

/// Parses a whole multi-document stream (YAML or JSON). The trees are allocated in `arena`,
/// which must live as long as the source text they borrow from.
pub fn parse_stream<'s>(src: &'s str, arena: &'s Bump, limits: Limits) -> ParsedStream<'s> {
    let positions = Positions::new(src);
    // Recorded once in the arena for every document of the stream and every retry.
    let source = SourceText::new_in(arena, src);
    let mut out = ParsedStream::default();
    let mut base = 0usize;
    loop {
        let input = Input {
            text: &src[base..],
            positions: &positions,
            base_char: positions.char_index(base),
            remap: None,
        };
        let Some(failure) = parse_from(src, source, arena, &input, limits, &mut out) else {
            break;
        };
        if let Some(after_bom) = bom_at_document_start(src, &failure) {
            base = after_bom;
            continue;
        }
        let next = next_document_marker(src, failure.problem.span.start as usize)
            .filter(|&next| next > base);
        let doc_end = next.unwrap_or(src.len());
        if let Some(failure) =
            recover_indentation(src, source, arena, failure, doc_end, limits, &mut out)
        {
            out.problems.extend(failure.pending);
            out.problems.push(failure.problem);
            out.failed_documents += 1;
        }
        match next {
            Some(next) => base = next,
            None => break,
        }
    }
    out
}

/// Files joined with `cat` carry each one's byte order mark after a `---` line. kubectl splits
/// the stream at `---` lines and decodes each part alone, so it accepts them; the parser does
/// not. When nothing but the marker, blanks and comments precede the mark in its document,
/// parsing resumes just after it (offsets unchanged), as a new document.
fn bom_at_document_start(src: &str, failure: &Failure) -> Option<usize> {
    let at = failure.problem.span.start as usize;
    let start = (failure.doc_start as usize).min(at);
    if failure.problem.kind != ParseProblemKind::Syntax || !src[at..].starts_with('\u{feff}') {
        return None;
    }
    let only_marker = src[start..at].lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line.starts_with("--- #")
    });
    only_marker.then_some(at + '\u{feff}'.len_utf8())
}

/// Why a document was abandoned, with what is needed to retry it.
struct Failure {
    problem: ParseProblem,
    /// Problems already found in the abandoned document (duplicate keys).
    pending: Vec<ParseProblem>,
    doc_start: u32,
    /// The outermost flow collection open when the parser stopped.
    flow_start: Option<u32>,
}

/// The text handed to the parser: the source from some offset, or a patched copy of one
/// document whose offsets `remap` translates back to the source.
struct Input<'p> {
    text: &'p str,
    positions: &'p Positions,
    base_char: usize,
    remap: Option<&'p Remap>,
}

impl Input<'_> {
    fn byte(&self, char_index: usize) -> u32 {
        let at = self.positions.byte(self.base_char + char_index);
        self.remap.map_or(at, |r| r.to_source(at))
    }
}

/// Spaces inserted into a copy of one document, and how to map the copy's offsets back.
struct Remap {
    /// Where the copy starts in the source.
    start: u32,
    /// (offset in the copy where spaces were inserted, how many, total inserted up to here).
    inserts: Vec<(u32, u32, u32)>,
}

impl Remap {
    fn to_source(&self, at: u32) -> u32 {
        let i = self.inserts.partition_point(|&(pos, _, _)| pos <= at);
        let relative = match i.checked_sub(1).map(|i| self.inserts[i]) {
            None => at,
            // Inside the inserted spaces: the line's first byte in the source.
            Some((pos, count, total)) if at < pos + count => pos - (total - count),
            Some((_, _, total)) => at - total,
        };
        self.start + relative
    }
}

/// kubectl (go-yaml, a libyaml port) ignores indentation inside flow collections and quoted
/// scalars; saphyr-parser follows the YAML spec, which wants their continuation lines indented
/// past the key that owns them. Real manifests break that rule (a `]` back at its key's column,
/// a JSON annotation in single quotes). So when a document fails with an indentation error
/// inside such a construct, it is parsed again from a copy whose under-indented continuation
/// lines get the missing spaces, with every offset mapped back to the source. Returns
/// `None` when the document was recovered (its objects and problems are then in `out`), else
/// the failure to report.
fn recover_indentation<'s>(
    src: &'s str,
    source: SourceText<'s>,
    arena: &'s Bump,
    failure: Failure,
    doc_end: usize,
    limits: Limits,
    out: &mut ParsedStream<'s>,
) -> Option<Failure> {
    let doc_start = failure.doc_start as usize;
    let mut current = failure;
    let mut inserts: Vec<(usize, usize)> = Vec::new();
    // Each round fixes one construct; a document rarely has more than a few.
    for _ in 0..8 {
        let problem = &current.problem;
        if problem.kind != ParseProblemKind::Syntax
            || !problem.message.starts_with("invalid indentation")
        {
            return Some(current);
        }
        let at = problem.span.start as usize;
        let open = match current.flow_start {
            Some(open) => open as usize,
            None if matches!(src.as_bytes().get(at), Some(b'\'' | b'"')) => at,
            None => return Some(current),
        };
        if open < doc_start || open >= doc_end {
            return Some(current);
        }
        let Some(close) = construct_end(src, open).filter(|&end| end <= doc_end) else {
            return Some(current);
        };
        let needed = owner_column(src, open) + 1;
        let before = inserts.len();
        let mut line = memchr::memchr(b'\n', &src.as_bytes()[open..close]).map(|i| open + i + 1);
        while let Some(start) = line.filter(|&l| l < close) {
            let rest = &src.as_bytes()[start..];
            let indent = rest.iter().take_while(|&&b| b == b' ').count();
            let blank = matches!(rest.get(indent), None | Some(b'\n' | b'\r'));
            if !blank && indent < needed && !inserts.iter().any(|&(p, _)| p == start) {
                inserts.push((start, needed - indent));
            }
            line = memchr::memchr(b'\n', rest).map(|i| start + i + 1);
        }
        if inserts.len() == before {
            return Some(current);
        }
        inserts.sort_unstable();

        let mut text = String::with_capacity(doc_end - doc_start + inserts.len() * 8);
        let mut remap = Remap {
            start: doc_start as u32,
            inserts: Vec::with_capacity(inserts.len()),
        };
        let mut copied = doc_start;
        let mut total = 0;
        for &(pos, count) in &inserts {
            text.push_str(&src[copied..pos]);
            let in_copy = text.len() as u32;
            text.extend(std::iter::repeat_n(' ', count));
            total += count as u32;
            remap.inserts.push((in_copy, count as u32, total));
            copied = pos;
        }
        text.push_str(&src[copied..doc_end]);
        let positions = Positions::new(&text);
        let input = Input {
            text: &text,
            positions: &positions,
            base_char: 0,
            remap: Some(&remap),
        };
        let mut attempt = ParsedStream {
            alias_nodes: out.alias_nodes,
            ..ParsedStream::default()
        };
        match parse_from(src, source, arena, &input, limits, &mut attempt) {
            None => {
                out.documents.append(&mut attempt.documents);
                out.problems.append(&mut attempt.problems);
                out.alias_nodes = attempt.alias_nodes;
                return None;
            }
            // Report what stops the patched copy: the earlier problem is one kubectl accepts.
            Some(next) => current = next,
        }
    }
    Some(current)
}

/// The column of the key or sequence entry that owns the construct opening at `at`: the
/// line's indentation, past any `- ` entry markers.
fn owner_column(src: &str, at: usize) -> usize {
    let line_start = memchr::memrchr(b'\n', &src.as_bytes()[..at]).map_or(0, |i| i + 1);
    let line = &src.as_bytes()[line_start..at];
    let mut column = line.iter().take_while(|&&b| b == b' ').count();
    while line.get(column) == Some(&b'-') && line.get(column + 1) == Some(&b' ') {
        column += 1 + line[column + 1..]
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
    }
    column
}

/// Whether the byte at `i` of a flow collection starts a token: the previous non-blank byte is
/// a flow indicator or a `:`.
fn starts_token(bytes: &[u8], i: usize) -> bool {
    bytes[..i]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace())
        .is_none_or(|b| matches!(b, b'[' | b'{' | b',' | b':'))
}

/// The offset just past the flow collection or quoted scalar opening at `open`.
fn construct_end(src: &str, open: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    match bytes[open] {
        b'\'' | b'"' => quoted_end(&src[open..]).map(|len| open + len),
        b'[' | b'{' => {
            let mut depth = 0usize;
            let mut i = open;
            while i < bytes.len() {
                match bytes[i] {
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    // A quote opens a quoted scalar only where a token starts (`it's` is plain).
                    b'\'' | b'"' if starts_token(bytes, i) => {
                        i = construct_end(src, i)?;
                        continue;
                    }
                    b'#' if i > 0 && bytes[i - 1].is_ascii_whitespace() => {
                        i += memchr::memchr(b'\n', &bytes[i..])?;
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => None,
    }
}

/// Runs the YAML parser alone over `src`, building nothing, and returns the number of events
/// (or of events up to the first error): the floor that the benchmark compares pake-lint with.
pub fn count_events(src: &str) -> usize {
    let mut parser = Parser::new(ScannerInput::new(src));
    let mut events = 0;
    while let Some(Ok(_)) = parser.next_event() {
        events += 1;
    }
    events
}

/// The byte offset of the first line starting with `---` at or after the line holding `from`.
fn next_document_marker(src: &str, from: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let from = from.min(bytes.len());
    let mut line_start = memchr::memrchr(b'\n', &bytes[..from]).map_or(0, |i| i + 1);
    while line_start < bytes.len() {
        let rest = &bytes[line_start..];
        if rest.starts_with(b"---") && rest.get(3).is_none_or(|b| b.is_ascii_whitespace()) {
            return Some(line_start);
        }
        line_start = match memchr::memchr(b'\n', rest) {
            Some(i) => line_start + i + 1,
            None => return None,
        };
    }
    None
}

/// Converts saphyr's character indices into byte offsets.
struct Positions {
    /// Byte offset of each character; empty when the source is ASCII (offsets are then equal).
    char_to_byte: Vec<u32>,
    len: u32,
}

impl Positions {
    fn new(src: &str) -> Self {
        let char_to_byte = if src.is_ascii() {
            Vec::new()
        } else {
            let mut table: Vec<u32> = src.char_indices().map(|(b, _)| b as u32).collect();
            table.push(src.len() as u32);
            table
        };
        Positions {
            char_to_byte,
            len: src.len() as u32,
        }
    }

    /// The character index of a byte offset that starts a character.
    fn char_index(&self, byte: usize) -> usize {
        if self.char_to_byte.is_empty() {
            byte
        } else {
            self.char_to_byte.partition_point(|&b| (b as usize) < byte)
        }
    }

    fn byte(&self, char_index: usize) -> u32 {
        if self.char_to_byte.is_empty() {
            (char_index as u32).min(self.len)
        } else {
            self.char_to_byte
                .get(char_index)
                .copied()
                .unwrap_or(self.len)
        }
    }
}

/// An open collection. Its children wait on the builder's shared stacks from `first` on, and
/// are copied into an exactly sized arena slice when it closes: no growth slack is kept in the
/// tree and the allocator is not called at all.
enum Frame<'s> {
    Mapping {
        start: u32,
        anchor: usize,
        first: usize,
        key: Option<Node<'s>>,
    },
    Sequence {
        start: u32,
        anchor: usize,
        first: usize,
    },
}

struct Builder<'s, 'p> {
    src: &'s str,
    /// `src` as recorded in the arena, for the scalars that are their span's text.
    source: SourceText<'s>,
    arena: &'s Bump,
    input: &'p Input<'p>,
    limits: Limits,
    stack: Vec<Frame<'s>>,
    /// Entries of the open mappings, innermost last.
    open_entries: Vec<Entry<'s>>,
    /// Items of the open sequences, innermost last.
    open_items: Vec<Node<'s>>,
    /// Completed anchored nodes by anchor id, with their node counts.
    anchors: Vec<Option<(Node<'s>, usize)>>,
    alias_nodes: usize,
    root: Option<Node<'s>>,
    doc_start: u32,
    problems: Vec<ParseProblem>,
}

/// The length of the quoted scalar at the start of `raw`, closing quote included: `"a\"b"`
/// (backslash escapes) or `'it''s'` (a doubled quote is a quote).
fn quoted_end(raw: &str) -> Option<usize> {
    let bytes = raw.as_bytes();
    let quote = *bytes.first().filter(|b| matches!(b, b'"' | b'\''))?;
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

impl<'s> Builder<'s, '_> {
    fn span(&self, span: &SaphyrSpan) -> Span {
        Span::new(
            self.input.byte(span.start.index()),
            self.input.byte(span.end.index()),
        )
    }

    fn scalar(
        &self,
        text: Cow<'_, str>,
        style: SaphyrStyle,
        tag: ScalarTag,
        span: Span,
    ) -> Node<'s> {
        let style = match style {
            SaphyrStyle::Plain => ScalarStyle::Plain,
            SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            SaphyrStyle::Literal => ScalarStyle::Literal,
            SaphyrStyle::Folded => ScalarStyle::Folded,
        };
        // A block scalar that ends the file without a final line break has no line break to
        // keep: go-yaml gives `x`, saphyr-parser `x\n`.
        let text = match text {
            Cow::Borrowed(t) => Cow::Borrowed(t),
            Cow::Owned(mut t) => {
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    && span.end as usize >= self.src.len()
                    && !self.src.ends_with('\n')
                    && t.ends_with('\n')
                {
                    t.pop();
                }
                Cow::Owned(t)
            }
        };
        let span = self.scalar_span(span);
        // The parser hands out owned strings; keep a borrow of the source when the value is the
        // text as written (almost every plain scalar), so the tree costs little beyond the input.
        let raw = &self.src[span.range()];
        let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
        let inner = raw.get(1..raw.len().saturating_sub(1));
        let text: &'s str = if *text == *raw {
            raw
        } else if quoted && inner == Some(&*text) {
            inner.unwrap_or_default()
        } else {
            self.arena.alloc_str(&text)
        };
        if tag == ScalarTag::None
            && let Some(node) = Node::in_source(self.source, span, style, text)
        {
            return node;
        }
        Node::scalar_in(self.arena, span, Scalar { text, style, tag })
    }

    /// Where a collection ends: just after its closing bracket for a flow collection (the end
    /// event's span can run on over blanks and a trailing comment), else after its last child.
    fn collection_end(&self, end_event: Span, last_child: u32, bracket: u8) -> u32 {
        if end_event.is_empty() {
            return last_child;
        }
        let bytes = self.src.as_bytes();
        let from = end_event.start as usize;
        let to = (end_event.end as usize).min(bytes.len());
        match bytes
            .get(from..to)
            .and_then(|window| memchr::memchr(bracket, window))
        {
            Some(i) => (from + i + 1) as u32,
            None => last_child.max(end_event.start),
        }
    }

    fn remember(&mut self, anchor: usize, node: Node<'s>) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize_with(anchor + 1, || None);
        }
        self.anchors[anchor] = Some((node, node.count()));
    }

    /// Adds a completed node to its parent, or makes it the document's root.
    fn push(&mut self, node: Node<'s>) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Sequence { .. }) => self.open_items.push(node),
            Some(Frame::Mapping { key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => self.open_entries.push(Entry {
                    key: k,
                    value: node,
                }),
            },
        }
    }

    /// Closes the mapping whose entries are on the shared stack from `first` on.
    fn finish_mapping(
        &mut self,
        start: u32,
        end_span: Span,
        first: usize,
        dangling: Option<Node<'s>>,
    ) -> Node<'s> {
        if let Some(k) = dangling {
            // A key with no value event cannot happen with a well-formed stream; keep it as null.
            let at = k.span().end;
            self.open_entries.push(Entry {
                key: k,
                value: Node::null_at(at),
            });
        }
        let open = &self.open_entries[first..];
        report_duplicates(open, &mut self.problems);
        let merged;
        let entries: &[Entry<'s>] = if open.iter().any(is_merge_entry) {
            merged = apply_merge_keys(open);
            &merged
        } else {
            open
        };
        // The furthest end among the entries as written, not the last entry's: merged entries
        // (added after them) and alias values carry their anchor's span, earlier in the file,
        // and would end the mapping before it starts.
        let last_end = open
            .iter()
            .map(|e| e.value.span().end.max(e.key.span().end))
            .fold(start, u32::max);
        // Flow mappings end at their `}`; block mappings at their furthest entry.
        let end = self.collection_end(end_span, last_end, b'}');
        let node = Node::mapping_in(self.arena, Span::new(start, end), entries);
        self.open_entries.truncate(first);
        node
    }

    /// A scalar's span without its anchor or tag (`&a`, `!!str`) in front, which are not the
    /// value, and without the blanks and line breaks the parser includes after quoted and block
    /// scalars, so a caret covers exactly the value.
    fn scalar_span(&self, span: Span) -> Span {
        let bytes = self.src.as_bytes();
        let (mut start, mut end) = (span.start as usize, span.end as usize);
        while start < end && matches!(bytes[start], b'&' | b'!') {
            while start < end && !bytes[start].is_ascii_whitespace() {
                start += 1;
            }
            while start < end && bytes[start].is_ascii_whitespace() {
                start += 1;
            }
        }
        // A quoted scalar ends at its closing quote.
        if let Some(len) = quoted_end(&self.src[start..end]) {
            end = start + len;
        }
        while end > start && matches!(bytes[end - 1], b' ' | b'\t' | b'\r' | b'\n') {
            end -= 1;
        }
        Span::new(start as u32, end as u32)
    }

    /// The outermost flow collection still open.
    fn outermost_flow_collection(&self) -> Option<u32> {
        self.stack.iter().find_map(|frame| {
            let (Frame::Mapping { start, .. } | Frame::Sequence { start, .. }) = frame;
            matches!(self.src.as_bytes().get(*start as usize), Some(b'[' | b'{')).then_some(*start)
        })
    }

    /// The innermost flow collection still open (an unclosed `[` or `{` is the usual cause of
    /// a syntax error reported lines later).
    fn open_flow_collection(&self) -> Option<(Span, &'static str)> {
        self.stack.iter().rev().find_map(|frame| {
            let (Frame::Mapping { start, .. } | Frame::Sequence { start, .. }) = frame;
            let what = match self.src.as_bytes().get(*start as usize) {
                Some(b'[') => "the flow sequence opens here",
                Some(b'{') => "the flow mapping opens here",
                _ => return None,
            };
            Some((Span::new(*start, *start + 1), what))
        })
    }
}

/// Reports each key of a mapping that repeats an earlier one (merge keys aside).
fn report_duplicates<'s>(entries: &[Entry<'s>], problems: &mut Vec<ParseProblem>) {
    let key_text = |e: &Entry<'s>| e.key.as_scalar().map(|s| s.text);
    let mut duplicate = |key: &str, span: Span, first: Span| {
        problems.push(ParseProblem {
            kind: ParseProblemKind::DuplicateKey,
            span,
            message: format!("duplicate key `{key}`"),
            related: Some((first, "first defined here")),
        });
    };
    if entries.len() <= 24 {
        for (i, later) in entries.iter().enumerate() {
            let Some(text) = key_text(later) else {
                continue;
            };
            if text == "<<" {
                continue;
            }
            if let Some(first) = entries[..i].iter().find(|e| key_text(e) == Some(text)) {
                duplicate(text, later.key.span(), first.key.span());
            }
        }
    } else {
        let mut seen: rustc_hash::FxHashMap<&str, Span> = Default::default();
        for e in entries {
            let Some(text) = key_text(e) else { continue };
            if text == "<<" {
                continue;
            }
            if let Some(first) = seen.get(text) {
                let first = *first;
                duplicate(text, e.key.span(), first);
            } else {
                seen.insert(text, e.key.span());
            }
        }
    }
}

fn is_merge_entry(e: &Entry<'_>) -> bool {
    matches!(e.key.kind(), NodeKind::Scalar(s) if s.style == ScalarStyle::Plain && s.text == "<<")
}

/// Applies YAML merge keys: explicit keys win, then earlier merge sources win over later ones.
fn apply_merge_keys<'s>(entries: &[Entry<'s>]) -> Vec<Entry<'s>> {
    let (merges, mut explicit): (Vec<_>, Vec<_>) =
        entries.iter().copied().partition(is_merge_entry);
    for merge in merges {
        let sources: &[Node<'s>] = match merge.value.kind() {
            NodeKind::Mapping(_) => std::slice::from_ref(&merge.value),
            NodeKind::Sequence(items) => items,
            NodeKind::Scalar(_) => &[],
        };
        for source in sources {
            if let NodeKind::Mapping(inherited) = source.kind() {
                for &e in inherited {
                    let key = e.key.as_scalar().map(|s| s.text);
                    let present = key.is_some_and(|k| {
                        explicit
                            .iter()
                            .any(|x| x.key.as_scalar().is_some_and(|s| s.text == k))
                    });
                    if !present {
                        explicit.push(e);
                    }
                }
            }
        }
    }
    explicit
}

fn tag_of(tag: Option<&saphyr_parser::Tag>) -> ScalarTag {
    match tag {
        None => ScalarTag::None,
        Some(t) if t.handle == "tag:yaml.org,2002:" || t.handle == "!!" => {
            match t.suffix.as_str() {
                "str" => ScalarTag::Str,
                "int" => ScalarTag::Int,
                "float" => ScalarTag::Float,
                "bool" => ScalarTag::Bool,
                "null" => ScalarTag::Null,
                _ => ScalarTag::Other,
            }
        }
        Some(_) => ScalarTag::Other,
    }
}

/// The parser starts a sequence written at its key's indentation (`key:\n- a`) after its first
/// `- `; the sequence starts at that dash, which is where a reader looks.
fn indentless_sequence_start(src: &str, start: u32) -> u32 {
    let before = src[..start as usize].trim_end_matches([' ', '\t']);
    if before.len() < start as usize && before.ends_with('-') {
        (before.len() - 1) as u32
    } else {
        start
    }
}

/// saphyr-parser counts flow levels in a `u8`: it fails past this depth whatever our limit.
const SAPHYR_MAX_FLOW_LEVEL: usize = 255;

/// Parses documents from `base` to the end; returns the problem that stopped it, if any.
fn parse_from<'s>(
    src: &'s str,
    source: SourceText<'s>,
    arena: &'s Bump,
    input: &Input<'_>,
    limits: Limits,
    out: &mut ParsedStream<'s>,
) -> Option<Failure> {
    let mut parser = Parser::new(ScannerInput::new(input.text));
    let mut b = Builder {
        src,
        source,
        arena,
        input,
        limits,
        stack: Vec::new(),
        open_entries: Vec::new(),
        open_items: Vec::new(),
        anchors: Vec::new(),
        alias_nodes: 0,
        root: None,
        doc_start: input.byte(0),
        problems: Vec::new(),
    };
    let fail = |b: &mut Builder<'s, '_>, problem: ParseProblem| {
        Some(Failure {
            problem,
            pending: std::mem::take(&mut b.problems),
            doc_start: b.doc_start,
            flow_start: b.outermost_flow_collection(),
        })
    };
    loop {
        let (event, saphyr_span) = match parser.next_event() {
            None => return None,
            Some(Ok(ev)) => ev,
            Some(Err(err)) => {
                let at = input.byte(err.marker().index());
                // The parser caps flow nesting itself (`[[[[...`) before our own depth check
                // sees the events: that is the same problem as a too-deep block nesting.
                if err.info() == "recursion limit exceeded" {
                    let problem = ParseProblem {
                        kind: ParseProblemKind::TooDeep,
                        span: Span::new(at, at),
                        message: format!(
                            "nesting deeper than {} levels",
                            b.limits.max_depth.min(SAPHYR_MAX_FLOW_LEVEL)
                        ),
                        related: None,
                    };
                    return fail(&mut b, problem);
                }
                // At the end of the input the parser's position is past the last line; the end of
                // the last token is where a reader looks.
                let at = at.min(src.trim_end().len() as u32);
                let problem = ParseProblem {
                    kind: ParseProblemKind::Syntax,
                    span: Span::new(at, at),
                    message: err.info().to_string(),
                    related: b.open_flow_collection(),
                };
                return fail(&mut b, problem);
            }
        };
        let span = b.span(&saphyr_span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                b.doc_start = span.start;
                b.root = None;
                b.anchors.clear();
                b.alias_nodes = 0;
            }
            Event::DocumentEnd => {
                let root = b.root.take();
                let end = root
                    .as_ref()
                    .map_or(span.start.max(b.doc_start), |r| r.span().end);
                out.problems.append(&mut b.problems);
                out.alias_nodes += b.alias_nodes;
                b.alias_nodes = 0;
                out.documents.push(RawDocument {
                    root,
                    span: Span::new(b.doc_start, end),
                });
                b.doc_start = span.end;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let node = b.scalar(text, style, tag_of(tag.as_deref()), span);
                b.remember(anchor, node);
                b.push(node);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if b.stack.len() >= b.limits.max_depth {
                    let problem = ParseProblem {
                        kind: ParseProblemKind::TooDeep,
                        span: Span::new(span.start, span.start),
                        message: format!("nesting deeper than {} levels", b.limits.max_depth),
                        related: None,
                    };
                    return fail(&mut b, problem);
                }
                b.stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Mapping {
                        start: span.start,
                        anchor,
                        first: b.open_entries.len(),
                        key: None,
                    }
                } else {
                    Frame::Sequence {
                        start: indentless_sequence_start(src, span.start),
                        anchor,
                        first: b.open_items.len(),
                    }
                });
            }
            Event::SequenceEnd => {
                let frame = b.stack.pop();
                if let Some(Frame::Mapping { first, .. }) = frame {
                    // Unbalanced events (the parser never sends them): the mapping's entries
                    // must not be left for its parent to take.
                    b.open_entries.truncate(first);
                }
                if let Some(Frame::Sequence {
                    start,
                    anchor,
                    first,
                }) = frame
                {
                    let items = &b.open_items[first..];
                    let last = items.last().map_or(start, |n| n.span().end);
                    let end = b.collection_end(span, last, b']');
                    let node = Node::sequence_in(b.arena, Span::new(start, end), items);
                    b.open_items.truncate(first);
                    b.remember(anchor, node);
                    b.push(node);
                }
            }
            Event::MappingEnd => {
                let frame = b.stack.pop();
                if let Some(Frame::Sequence { first, .. }) = frame {
                    b.open_items.truncate(first);
                }
                if let Some(Frame::Mapping {
                    start,
                    anchor,
                    first,
                    key,
                }) = frame
                {
                    let node = b.finish_mapping(start, span, first, key);
                    b.remember(anchor, node);
                    b.push(node);
                }
            }
            Event::Alias(id) => {
                let Some(Some((node, count))) = b.anchors.get(id) else {
                    continue;
                };
                b.alias_nodes += count;
                if out.alias_nodes + b.alias_nodes > b.limits.max_alias_nodes {
                    let scope = if out.alias_nodes > 0 {
                        "this file"
                    } else {
                        "this document"
                    };
                    let problem = ParseProblem {
                        kind: ParseProblemKind::AliasBomb,
                        span,
                        message: format!(
                            "aliases expand to more than {} nodes in {scope}",
                            b.limits.max_alias_nodes
                        ),
                        related: None,
                    };
                    return fail(&mut b, problem);
                }
                let node = *node;
                b.push(node);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<'s>(src: &'s str, arena: &'s Bump) -> ParsedStream<'s> {
        parse_stream(src, arena, Limits::default())
    }

    #[test]
    fn spans_are_bytes_even_after_multibyte_text() {
        let arena = Bump::new();
        let src = "a: \"héllo\"\nb: x\n";
        let s = parse(src, &arena);
        let root = s.documents[0].root.as_ref().unwrap();
        let b = root.get("b").unwrap();
        assert_eq!(&src[b.span().range()], "x");
        let a = root.get("a").unwrap();
        assert_eq!(&src[a.span().range()], "\"héllo\"");
        assert_eq!(a.as_str(), Some("héllo"));
    }

    #[test]
    fn scalar_spans_cover_the_value_only() {
        let arena = Bump::new();
        let src = "a: 'q'  # c\nb: &anc val\nc: !!str 12\nd: |\n  lit\n  more\n\ne: *anc\nf: &x !!str \"y\"\n";
        let s = parse(src, &arena);
        let root = s.documents[0].root.as_ref().unwrap();
        let text = |k: &str| &src[root.get(k).unwrap().span().range()];
        assert_eq!(text("a"), "'q'");
        assert_eq!(text("b"), "val");
        assert_eq!(text("c"), "12");
        assert_eq!(text("d"), "lit\n  more");
        // An alias is the anchored value, where it is written.
        assert_eq!(text("e"), "val");
        assert_eq!(text("f"), "\"y\"");
        assert_eq!(root.get("f").and_then(Node::as_str), Some("y"));
        let src = "a: |\n  lit\n# after\n\nb: \"x\" # c\n";
        let s = parse(src, &arena);
        let root = s.documents[0].root.as_ref().unwrap();
        assert_eq!(&src[root.get("a").unwrap().span().range()], "lit");
        assert_eq!(&src[root.get("b").unwrap().span().range()], "\"x\"");
    }

    #[test]
    fn quoted_scalar_spans_end_at_the_closing_quote() {
        let arena = Bump::new();
        let src = "a:\n  - \"*\" # note\n  - 'it''s'   # note\n  - \"a\\\"b\"\nb: \"x\"  # c\n";
        let s = parse(src, &arena);
        let root = s.documents[0].root.as_ref().unwrap();
        let items = root.get("a").unwrap().items();
        assert_eq!(&src[items[0].span().range()], "\"*\"");
        assert_eq!(&src[items[1].span().range()], "'it''s'");
        assert_eq!(items[1].as_str(), Some("it's"));
        assert_eq!(&src[items[2].span().range()], "\"a\\\"b\"");
        assert_eq!(&src[root.get("b").unwrap().span().range()], "\"x\"");
    }

    #[test]
    fn a_byte_order_mark_after_a_document_marker_is_accepted() {
        let arena = Bump::new();
        let src = "a: 1\n---\n\u{feff}b: 2\n---\n\u{feff}# c\nc: 3\n";
        let s = parse(src, &arena);
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        let roots: Vec<_> = s.documents.iter().filter_map(|d| d.root.as_ref()).collect();
        assert_eq!(roots.len(), 3);
        let b = roots[1].get("b").unwrap();
        assert_eq!(&src[b.span().range()], "2");
        // Inside a document it is still an error.
        let s = parse("a: 1\nb: \u{feff}x\n", &arena);
        assert_eq!(s.failed_documents, 1);
    }

    #[test]
    fn a_block_scalar_at_the_end_of_a_file_without_a_line_break() {
        let arena = Bump::new();
        for (src, value) in [
            ("a: |\n  x\n  y", "x\ny"),
            ("a: |\n  x\n  y\n", "x\ny\n"),
            ("a: |+\n  x", "x"),
            ("a: >\n  x\n  y", "x y"),
            ("a: |-\n  x\n", "x"),
        ] {
            let s = parse(src, &arena);
            let root = s.documents[0].root.as_ref().unwrap();
            assert_eq!(root.get("a").and_then(Node::as_str), Some(value), "{src:?}");
        }
    }

    #[test]
    fn flow_collections_end_at_their_bracket() {
        let arena = Bump::new();
        let src = "a: {x: 1} # note\nb: [1, 2]   # more\nc: []\n";
        let s = parse(src, &arena);
        let root = s.documents[0].root.as_ref().unwrap();
        for (key, text) in [("a", "{x: 1}"), ("b", "[1, 2]"), ("c", "[]")] {
            assert_eq!(&src[root.get(key).unwrap().span().range()], text);
        }
    }

    #[test]
    fn sequences_start_at_their_first_dash() {
        let arena = Bump::new();
        let src = "a:\n- x\n- y\nb:\n  - - z\n    - w\nc: [q]\n";
        let s = parse(src, &arena);
        let root = s.documents[0].root.as_ref().unwrap();
        let text = |k: &str| &src[root.get(k).unwrap().span().range()];
        assert_eq!(text("a"), "- x\n- y");
        assert_eq!(text("b"), "- - z\n    - w");
        assert_eq!(text("c"), "[q]");
    }

    #[test]
    fn flow_and_quoted_continuation_lines_indented_like_kubectl_accepts() {
        let arena = Bump::new();
        // saphyr-parser rejects both (the YAML spec wants continuation lines indented past
        // their key); go-yaml, hence kubectl, accepts them.
        let src = "a: 1\n---\nspec:\n  args: [\n      \"-x\", \"é\",\n  ]\n  note: '[\n    {\"k\": 1}\n  ]'\n  env: z\n---\nb: 2\n";
        let s = parse(src, &arena);
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        assert_eq!(s.failed_documents, 0);
        assert_eq!(s.documents.len(), 3);
        let root = s.documents[1].root.as_ref().unwrap();
        let spec = root.get("spec").unwrap();
        let args = spec.get("args").unwrap();
        assert_eq!(&src[args.span().range()], "[\n      \"-x\", \"é\",\n  ]");
        let items: Vec<_> = args
            .items()
            .iter()
            .map(|n| &src[n.span().range()])
            .collect();
        assert_eq!(items, ["\"-x\"", "\"é\""]);
        let note = spec.get("note").unwrap();
        assert_eq!(note.as_str(), Some("[ {\"k\": 1} ]"));
        assert_eq!(&src[note.span().range()], "'[\n    {\"k\": 1}\n  ]'");
        let env = spec.get("env").unwrap();
        assert_eq!(&src[env.span().range()], "z");
        assert_eq!(&src[s.documents[1].span.start as usize..][..3], "---");
        assert!(s.documents[2].root.as_ref().unwrap().get("b").is_some());
    }

    #[test]
    fn misindented_block_content_is_still_an_error() {
        let arena = Bump::new();
        let s = parse("a:\n  b: 1\n c: 2\n", &arena);
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].kind, ParseProblemKind::Syntax);
        // Nor is a flow collection that go-yaml rejects too.
        let s = parse("a:\n  b: [1,\n  c: 2\n  d: [3]\n", &arena);
        assert_eq!(s.failed_documents, 1);
        let s = parse("a:\n  b: [1,\n  c: 2\n  d: [3]\n  ]\n", &arena);
        assert_eq!(s.failed_documents, 1);
        // An apostrophe in a plain scalar does not start a quoted scalar: the region ends at
        // the `]`, and the block after it keeps its structure.
        let src = "a:\n  b: [it's,\n  ]\n  c: 1\nd: 'x'\n";
        let s = parse(src, &arena);
        assert_eq!(s.failed_documents, 0, "{:?}", s.problems);
        let root = s.documents[0].root.as_ref().unwrap();
        assert_eq!(
            root.path(&["a", "b"]).unwrap().items()[0].as_str(),
            Some("it's")
        );
        assert_eq!(root.path(&["a", "c"]).and_then(Node::as_i64), Some(1));
        assert_eq!(root.get("d").and_then(Node::as_str), Some("x"));
        // Content at the key's column inside a flow collection, which go-yaml accepts.
        let s = parse("a:\n  b: [1,\n  c: 2\n  ]\nd: [\n\"x\",\n]\n", &arena);
        assert_eq!(s.failed_documents, 0, "{:?}", s.problems);
        let root = s.documents[0].root.as_ref().unwrap();
        assert_eq!(root.path(&["a", "b"]).unwrap().items().len(), 2);
        assert_eq!(root.get("d").unwrap().items()[0].as_str(), Some("x"));
    }

    #[test]
    fn merge_keys_and_anchors() {
        let arena = Bump::new();
        let src = "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n";
        let s = parse(src, &arena);
        let d = s.documents[0]
            .root
            .as_ref()
            .unwrap()
            .get("derived")
            .unwrap();
        assert_eq!(d.get("x").and_then(Node::as_i64), Some(1));
        assert_eq!(d.get("y").and_then(Node::as_i64), Some(3));
        assert!(d.get("<<").is_none());
        // The merged mapping still spans its own text, though its last entries are merged from
        // the anchor, earlier in the file.
        assert_eq!(&src[d.span().range()], "<<: *b\n  y: 3");
        let flow = "base: &b {x: 1}\nm: {<<: *b, z: 3}\n";
        let s = parse(flow, &arena);
        let m = s.documents[0]
            .root
            .as_ref()
            .and_then(|r| r.get("m"))
            .unwrap();
        assert_eq!(&flow[m.span().range()], "{<<: *b, z: 3}");
        assert_eq!(m.entries().len(), 2);
    }

    /// Scalars that are their span's text take it from the source itself, without a copy;
    /// the others keep the text, style and tag they were written with.
    #[test]
    fn scalars_borrow_the_source_where_they_are_written_as_is() {
        let arena = Bump::new();
        let src = "plain: web\nsingle: 'it'\ndouble: \"80\"\ntagged: !!str 'x'\n\
                   escaped: \"a\\\"b\"\nblock: |\n  line\nfolded: a\n  b\nempty: ''\nnone:\n";
        let s = parse(src, &arena);
        assert_eq!(s.failed_documents, 0, "{:?}", s.problems);
        let root = s.documents[0].root.as_ref().unwrap();
        let scalar = |key: &str| root.get(key).and_then(Node::as_scalar).unwrap();
        let at = |text: &str| src.find(text).unwrap();
        for (key, written) in [
            ("plain", "web"),
            ("single", "it"),
            ("double", "80"),
            ("empty", ""),
        ] {
            let s = scalar(key);
            assert_eq!(s.text, written, "{key}");
            assert_eq!(s.tag, ScalarTag::None, "{key}");
            if !written.is_empty() {
                assert!(
                    std::ptr::eq(s.text.as_ptr(), &src.as_bytes()[at(written)]),
                    "{key}"
                );
            }
        }
        let key = root.entries()[0].key.as_scalar().unwrap();
        assert!(std::ptr::eq(key.text.as_ptr(), src.as_ptr()));
        assert_eq!(scalar("single").style, ScalarStyle::SingleQuoted);
        assert_eq!(scalar("double").style, ScalarStyle::DoubleQuoted);
        let tagged = scalar("tagged");
        assert_eq!(
            (tagged.text, tagged.style, tagged.tag),
            ("x", ScalarStyle::SingleQuoted, ScalarTag::Str)
        );
        assert_eq!(
            (scalar("escaped").text, scalar("escaped").style),
            ("a\"b", ScalarStyle::DoubleQuoted)
        );
        assert_eq!(
            (scalar("block").text, scalar("block").style),
            ("line\n", ScalarStyle::Literal)
        );
        assert_eq!(
            (scalar("folded").text, scalar("folded").style),
            ("a b", ScalarStyle::Plain)
        );
        assert!(root.get("none").is_some_and(Node::is_null));
        assert_eq!(root.get("empty").and_then(Node::as_str), Some(""));
    }

    #[test]
    fn duplicate_keys_are_reported_with_the_first() {
        let arena = Bump::new();
        let src = "a: 1\nb: 2\na: 3\n";
        let s = parse(src, &arena);
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].kind, ParseProblemKind::DuplicateKey);
        assert_eq!(s.problems[0].span, Span::new(10, 11));
        assert_eq!(s.problems[0].related.map(|r| r.0), Some(Span::new(0, 1)));
    }

    #[test]
    fn a_broken_document_does_not_hide_the_next() {
        let arena = Bump::new();
        let src = "a: 1\n---\nb: [1, 2\n---\nc: 3\n";
        let s = parse(src, &arena);
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].kind, ParseProblemKind::Syntax);
        assert_eq!(s.failed_documents, 1);
        let roots: Vec<_> = s.documents.iter().filter_map(|d| d.root.as_ref()).collect();
        assert_eq!(roots.len(), 2);
        assert!(roots[1].get("c").is_some());
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let arena = Bump::new();
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            src.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let s = parse(&src, &arena);
        assert_eq!(s.problems[0].kind, ParseProblemKind::AliasBomb);
    }

    #[test]
    fn alias_budget_is_per_file() {
        let arena = Bump::new();
        // Each document alone stays within the budget; together they do not.
        let doc = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a, *a]\n";
        let src = [doc; 10].join("---\n");
        let s = parse_stream(
            &src,
            &arena,
            Limits {
                max_alias_nodes: 200,
                ..Limits::default()
            },
        );
        // 55 nodes per document: three fit in 200, the fourth and every later one do not.
        assert_eq!(s.documents.len(), 3);
        assert_eq!(s.failed_documents, 7);
        assert!(
            s.problems
                .iter()
                .all(|p| p.kind == ParseProblemKind::AliasBomb)
        );
        assert!(s.problems[0].message.ends_with("in this file"));
    }

    #[test]
    fn unclosed_flow_collection_points_at_its_opening() {
        let arena = Bump::new();
        let src = "a: {b: c\n---\nd: e\n";
        let s = parse(src, &arena);
        assert_eq!(s.problems[0].kind, ParseProblemKind::Syntax);
        let (span, note) = s.problems[0].related.unwrap();
        assert_eq!(span, Span::new(3, 4));
        assert_eq!(note, "the flow mapping opens here");
    }

    #[test]
    fn deep_flow_nesting_is_too_deep_not_a_syntax_error() {
        let arena = Bump::new();
        let src = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let s = parse(&src, &arena);
        assert_eq!(s.problems[0].kind, ParseProblemKind::TooDeep);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let arena = Bump::new();
        let src = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let s = parse_stream(
            &src,
            &arena,
            Limits {
                max_depth: 100,
                ..Limits::default()
            },
        );
        assert_eq!(s.problems[0].kind, ParseProblemKind::TooDeep);
        let block: String = (0..5000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let s = parse(&block, &arena);
        assert_eq!(s.problems[0].kind, ParseProblemKind::TooDeep);
    }
}

#[cfg(test)]
mod quoted_span_tests {
    use super::quoted_end;

    #[test]
    fn quoted_scalars_end_at_their_closing_quote() {
        assert_eq!(quoted_end(r#""1.5"   # comment"#), Some(5));
        assert_eq!(quoted_end(r#""a\"b" x"#), Some(6));
        assert_eq!(quoted_end("'it''s' # c"), Some(7));
        assert_eq!(quoted_end("!!str x"), None);
    }
}
