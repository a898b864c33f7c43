//! Pretty JSON whose one big array (SARIF `results`, JSON `diagnostics`) is built and
//! serialized on all threads. With tens of thousands of findings, building and printing them one
//! by one through a writer took longer than linting; here each chunk of findings is rendered
//! into its own buffer in parallel and the buffers are written in order, so the bytes are
//! exactly those `serde_json::to_writer_pretty` would give, whatever the thread count.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

/// Findings per parallel chunk: large enough that a chunk's work dwarfs scheduling, small enough
/// that every thread gets several chunks of a few thousand findings.
const CHUNK: usize = 256;

/// Writes `envelope` pretty-printed, with the empty array of its last `"<key>": []` replaced by
/// `make(index, item)` for every item. That array must be the envelope's last field at every
/// level (only closing brackets follow it): an error says so otherwise, rather than splicing
/// into the wrong place. Inside JSON strings every `"` is escaped, so no value can forge the
/// placeholder.
pub fn write_with_array<'i, E, I, R>(
    out: &mut dyn Write,
    envelope: &E,
    key: &str,
    items: &'i [I],
    make: impl Fn(usize, &'i I) -> R + Sync,
) -> io::Result<()>
where
    E: Serialize,
    I: Sync,
    R: Serialize,
{
    let head = serde_json::to_vec_pretty(envelope).map_err(super::json_error)?;
    let placeholder = format!("\"{key}\": []");
    let misplaced = || io::Error::other(format!("no trailing empty `{key}` array to fill"));
    let at = memchr::memmem::rfind(&head, placeholder.as_bytes()).ok_or_else(misplaced)?;
    let array_at = at + placeholder.len() - 2;
    let tail = &head[array_at + 2..];
    if !tail.iter().all(|b| matches!(b, b' ' | b'\n' | b'}' | b']')) {
        return Err(misplaced());
    }
    out.write_all(&head[..array_at])?;
    if items.is_empty() {
        return out.write_all(&head[array_at..]);
    }
    // The key's line gives the nesting: elements one level deeper, the closing bracket level
    // with the key.
    let line_start = memchr::memrchr(b'\n', &head[..at]).map_or(0, |i| i + 1);
    let key_indent = &head[line_start..at];
    let indent = [key_indent, b"  "].concat();
    let indent = indent.as_slice();
    // A window of chunks at a time: every thread stays busy while the rendered text held in
    // memory stays bounded, however many findings there are.
    let window = CHUNK * rayon::current_num_threads() * 4;
    for (w, group) in items.chunks(window).enumerate() {
        let chunks: Vec<io::Result<Vec<u8>>> = group
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(c, chunk)| {
                let mut buf = Vec::with_capacity(chunk.len() * 1024);
                for (i, item) in chunk.iter().enumerate() {
                    let n = w * window + c * CHUNK + i;
                    buf.extend_from_slice(if n == 0 { b"[" } else { b"," });
                    buf.push(b'\n');
                    buf.extend_from_slice(indent);
                    // Straight into the chunk's buffer, already nested.
                    let mut ser =
                        serde_json::Serializer::with_formatter(&mut buf, Nested::new(indent));
                    make(n, item)
                        .serialize(&mut ser)
                        .map_err(super::json_error)?;
                }
                Ok(buf)
            })
            .collect();
        for chunk in chunks {
            out.write_all(&chunk?)?;
        }
    }
    out.write_all(b"\n")?;
    out.write_all(key_indent)?;
    out.write_all(b"]")?;
    out.write_all(tail)
}

/// serde_json's pretty layout (two spaces a level) for a value nested in a document: every
/// line after the first starts with `base`, the indentation of the value's own line. Since a
/// newline in pretty JSON is always layout (newlines in strings are escaped), the bytes are
/// those of `to_writer_pretty` with `base` inserted after each newline, without printing the
/// value elsewhere first.
struct Nested<'a> {
    base: &'a [u8],
    depth: usize,
    has_value: bool,
}

impl<'a> Nested<'a> {
    fn new(base: &'a [u8]) -> Self {
        Nested {
            base,
            depth: 0,
            has_value: false,
        }
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// `]` or `}`, on a line of its own unless the collection is empty.
    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(writer, false)?;
        }
        writer.write_all(bracket)
    }

    fn newline<W: ?Sized + Write>(&self, writer: &mut W, comma: bool) -> io::Result<()> {
        // Two spaces a level, written in one call where the prefix allows: SARIF reports of
        // hundreds of megabytes spent a tenth of their time here, one level at a time.
        const SPACES: &[u8; 64] = &[b' '; 64];
        writer.write_all(if comma { b",\n" } else { b"\n" })?;
        writer.write_all(self.base)?;
        let mut indent = 2 * self.depth;
        while indent > 0 {
            let n = indent.min(SPACES.len());
            writer.write_all(&SPACES[..n])?;
            indent -= n;
        }
        Ok(())
    }
}

/// The same methods as serde_json's `PrettyFormatter`, with [`Nested::newline`] for its
/// newline-and-indent.
impl serde_json::ser::Formatter for Nested<'_> {
    #[inline]
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    #[inline]
    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    #[inline]
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.newline(writer, !first)
    }

    #[inline]
    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    #[inline]
    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    #[inline]
    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    #[inline]
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.newline(writer, !first)
    }

    #[inline]
    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    #[inline]
    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Envelope {
        version: u32,
        before: &'static str,
        nested: Nested,
    }

    #[derive(Serialize)]
    struct Nested {
        name: &'static str,
        items: Vec<Item>,
    }

    #[derive(Serialize, Clone)]
    struct Item {
        id: usize,
        text: String,
        tags: Vec<&'static str>,
    }

    fn items(n: usize) -> Vec<Item> {
        (0..n)
            .map(|id| Item {
                id,
                text: format!("line one\nline \"two\" {id}"),
                tags: if id % 2 == 0 { vec!["a", "b"] } else { vec![] },
            })
            .collect()
    }

    /// An array followed by another field cannot be filled: the error says so.
    #[test]
    fn refuses_an_array_that_is_not_last() {
        #[derive(Serialize)]
        struct Misplaced {
            items: Vec<Item>,
            after: &'static str,
        }
        let shell = Misplaced {
            items: Vec::new(),
            after: "\"items\": []",
        };
        let mut got = Vec::new();
        let error = write_with_array(&mut got, &shell, "items", &items(3), |_, i| i.clone());
        assert!(error.is_err());
    }

    /// The spliced output is byte for byte what serde_json prints for the whole value, for
    /// empty, single, chunk-sized and multi-chunk arrays.
    #[test]
    fn same_bytes_as_serde_json() {
        for n in [
            0,
            1,
            2,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            3 * CHUNK + 7,
            40 * CHUNK + 3,
        ] {
            let all = items(n);
            let whole = Envelope {
                version: 1,
                nested: Nested {
                    name: "x",
                    items: all.clone(),
                },
                before: "y",
            };
            let expected = serde_json::to_vec_pretty(&whole).unwrap();
            let shell = Envelope {
                version: 1,
                nested: Nested {
                    name: "x",
                    items: Vec::new(),
                },
                before: "y",
            };
            for threads in [1, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let mut got = Vec::new();
                pool.install(|| {
                    write_with_array(&mut got, &shell, "items", &all, |_, item| item.clone())
                })
                .unwrap();
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    String::from_utf8(expected.clone()).unwrap(),
                    "{n} items on {threads} threads"
                );
            }
        }
    }
}
