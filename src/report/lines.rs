//! Byte offsets to 1-based lines and columns, computed only when printing. Columns count Unicode
//! characters, as editors and SARIF's `unicodeCodePoints` do.

use crate::load::tree::Span;

pub struct LineIndex {
    /// Byte offset where each line starts.
    starts: Vec<u32>,
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0u32];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        LineIndex { starts }
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    pub fn position(&self, text: &str, offset: u32) -> Position {
        let offset = offset.min(text.len() as u32);
        let line = self.line_of(offset);
        let start = self.starts[line] as usize;
        let column = text
            .get(start..offset as usize)
            .map_or(offset as usize - start, |s| s.chars().count())
            + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// Start and end positions of a span (the end is exclusive, as in SARIF and LSP).
    pub fn span(&self, text: &str, span: Span) -> (Position, Position) {
        (
            self.position(text, span.start),
            self.position(text, span.end.max(span.start)),
        )
    }

    /// The byte range of 0-based line `line`, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(line).map_or(text.len(), |&s| s as usize);
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&s| s as usize - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "a: 1\nnäme: x\r\nz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        let x = text.find('x').unwrap() as u32;
        assert_eq!(idx.position(text, x), Position { line: 2, column: 7 });
        assert_eq!(&text[idx.line_range(text, 1)], "näme: x");
        assert_eq!(
            idx.position(text, text.len() as u32),
            Position { line: 3, column: 2 }
        );
    }
}
