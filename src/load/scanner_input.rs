//! The text the YAML scanner reads: saphyr-parser's own [`StrInput`], except for the chunk size
//! it announces.
//!
//! For every plain scalar, saphyr-parser 0.3 allocates a 32-byte `String` and, after its first
//! character, reserves [`Input::bufmaxlen`] more bytes. `StrInput` announces 128, so nearly every
//! scalar (keys included) was reallocated once: about a sixth of the parser's instructions
//! (callgrind, the benchmark's tree). Announcing 16 keeps the first reservation inside the 32
//! bytes already there.
//!
//! For `StrInput` the chunk size changes nothing else: the whole text is always there, so
//! `lookahead` only records the largest count asked for, and the scanner's loops over a chunk
//! (plain scalars, block-scalar indentation) end on the same characters whatever its size.
//! Every other method is `StrInput`'s own, forwarded, so none falls back to the trait's slower
//! defaults.

use saphyr_parser::input::SkipTabs;
use saphyr_parser::{Input, StrInput};

/// The chunk size announced to the scanner: below 32 - 1, the capacity left in a plain scalar's
/// first allocation after its first character, and above the 2 characters of lookahead the
/// scanner's chunked loops need.
const CHUNK: usize = 16;

pub(crate) struct ScannerInput<'a>(StrInput<'a>);

impl<'a> ScannerInput<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        ScannerInput(StrInput::new(text))
    }
}

impl Input for ScannerInput<'_> {
    #[inline]
    fn lookahead(&mut self, count: usize) {
        self.0.lookahead(count);
    }
    #[inline]
    fn buflen(&self) -> usize {
        self.0.buflen()
    }
    #[inline]
    fn bufmaxlen(&self) -> usize {
        CHUNK
    }
    #[inline]
    fn buf_is_empty(&self) -> bool {
        self.0.buf_is_empty()
    }
    #[inline]
    fn raw_read_ch(&mut self) -> char {
        self.0.raw_read_ch()
    }
    #[inline]
    fn raw_read_non_breakz_ch(&mut self) -> Option<char> {
        self.0.raw_read_non_breakz_ch()
    }
    #[inline]
    fn skip(&mut self) {
        self.0.skip();
    }
    #[inline]
    fn skip_n(&mut self, count: usize) {
        self.0.skip_n(count);
    }
    #[inline]
    fn peek(&self) -> char {
        self.0.peek()
    }
    #[inline]
    fn peek_nth(&self, n: usize) -> char {
        self.0.peek_nth(n)
    }
    #[inline]
    fn peek_opt(&self) -> Option<char> {
        self.0.peek_opt()
    }
    #[inline]
    fn look_ch(&mut self) -> char {
        self.0.look_ch()
    }
    #[inline]
    fn next_char_is(&self, c: char) -> bool {
        self.0.next_char_is(c)
    }
    #[inline]
    fn nth_char_is(&self, n: usize, c: char) -> bool {
        self.0.nth_char_is(n, c)
    }
    #[inline]
    fn next_2_are(&self, c1: char, c2: char) -> bool {
        self.0.next_2_are(c1, c2)
    }
    #[inline]
    fn next_3_are(&self, c1: char, c2: char, c3: char) -> bool {
        self.0.next_3_are(c1, c2, c3)
    }
    #[inline]
    fn next_is_document_indicator(&self) -> bool {
        self.0.next_is_document_indicator()
    }
    #[inline]
    fn next_is_document_start(&self) -> bool {
        self.0.next_is_document_start()
    }
    #[inline]
    fn next_is_document_end(&self) -> bool {
        self.0.next_is_document_end()
    }
    #[inline]
    fn skip_ws_to_eol(&mut self, skip_tabs: SkipTabs) -> (usize, Result<SkipTabs, &'static str>) {
        self.0.skip_ws_to_eol(skip_tabs)
    }
    #[inline]
    fn next_can_be_plain_scalar(&self, in_flow: bool) -> bool {
        self.0.next_can_be_plain_scalar(in_flow)
    }
    #[inline]
    fn next_is_blank_or_break(&self) -> bool {
        self.0.next_is_blank_or_break()
    }
    #[inline]
    fn next_is_blank_or_breakz(&self) -> bool {
        self.0.next_is_blank_or_breakz()
    }
    #[inline]
    fn next_is_blank(&self) -> bool {
        self.0.next_is_blank()
    }
    #[inline]
    fn next_is_break(&self) -> bool {
        self.0.next_is_break()
    }
    #[inline]
    fn next_is_breakz(&self) -> bool {
        self.0.next_is_breakz()
    }
    #[inline]
    fn next_is_z(&self) -> bool {
        self.0.next_is_z()
    }
    #[inline]
    fn next_is_flow(&self) -> bool {
        self.0.next_is_flow()
    }
    #[inline]
    fn next_is_digit(&self) -> bool {
        self.0.next_is_digit()
    }
    #[inline]
    fn next_is_alpha(&self) -> bool {
        self.0.next_is_alpha()
    }
    #[inline]
    fn skip_while_non_breakz(&mut self) -> usize {
        self.0.skip_while_non_breakz()
    }
    #[inline]
    fn skip_while_blank(&mut self) -> usize {
        self.0.skip_while_blank()
    }
    #[inline]
    fn fetch_while_is_alpha(&mut self, out: &mut String) -> usize {
        self.0.fetch_while_is_alpha(out)
    }
    #[inline]
    fn fetch_while_is_yaml_non_space(&mut self, out: &mut String) -> usize {
        self.0.fetch_while_is_yaml_non_space(out)
    }
}

#[cfg(test)]
mod tests {
    use saphyr_parser::{Event, Parser};

    use super::*;

    /// The events and their spans, from a parser over `input`.
    fn events<T: Input>(mut parser: Parser<'_, T>) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(next) = parser.next_event() {
            match next {
                Ok((event, span)) => {
                    let done = matches!(event, Event::StreamEnd);
                    out.push(format!("{event:?} {span:?}"));
                    if done {
                        break;
                    }
                }
                Err(e) => {
                    out.push(format!("error {e:?}"));
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn the_scanner_reads_the_same_events_as_from_str_input() {
        let long = "x".repeat(300);
        let deep = format!(
            "{}key: |\n{}  a\n{}  b\n",
            " ".repeat(20),
            " ".repeat(20),
            " ".repeat(20)
        );
        let cases = [
            "a: b\nc: [d, e]\n".to_string(),
            format!("plain: {long} continued\n  on the next line\n"),
            format!("k:\n  - {long}\n  - short\n"),
            format!("outer:\n{deep}"),
            "block: >-\n                    folded deep\n                    text\n".to_string(),
            "s: 'single'\nd: \"dou\\tble\"\n# comment\n---\nsecond: doc\n...\n".to_string(),
            "é: ünïcödé plain scalar with multi-byte characters that runs past sixteen\n"
                .to_string(),
            "a: b: c\n".to_string(),
            "key: value # comment\n\ttab: bad\n".to_string(),
            "- &anchor x\n- *anchor\n- !!str 5\n".to_string(),
        ];
        for case in &cases {
            assert_eq!(
                events(Parser::new(ScannerInput::new(case))),
                events(Parser::new_from_str(case)),
                "{case:?}"
            );
        }
    }
}
