//! Pretty JSON whose one big array (SARIF `results`, JSON `diagnostics`) is built and
//! serialized on all threads. With tens of thousands of findings, building and printing them one
//! by one through a writer took longer than linting; here each chunk of findings is rendered
//! into its own buffer in parallel and the buffers are written in order, so the bytes are
//! exactly those `serde_json::to_writer_pretty` would give, whatever the thread count.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

/// Findings per parallel chunk: large enough that a chunk's work dwarfs scheduling, small enough
/// that both threads stay busy on a few thousand findings.
const CHUNK: usize = 256;

/// Writes `envelope` pretty-printed, with the empty array at its last `"<key>": []` replaced by
/// `make(item)` for every item. `depth` is how many objects and arrays enclose the array's
/// elements (SARIF `results` elements sit at depth 4: log, runs, run, results).
pub fn write_with_array<'i, E, I, R>(
    out: &mut dyn Write,
    envelope: &E,
    key: &str,
    depth: usize,
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
    let at = find_last(&head, placeholder.as_bytes()).ok_or_else(|| {
        io::Error::other(format!("the report has no empty `{key}` array to fill"))
    })?;
    let array_at = at + placeholder.len() - 2;
    out.write_all(&head[..array_at])?;
    if items.is_empty() {
        out.write_all(&head[array_at..])?;
        return Ok(());
    }
    let indent = " ".repeat(depth * 2);
    // A window of chunks at a time: both threads stay busy while the rendered text held in
    // memory stays bounded, however many findings there are.
    let window = CHUNK * rayon::current_num_threads().max(1) * 4;
    for (w, group) in items.chunks(window).enumerate() {
        let chunks: Vec<io::Result<Vec<u8>>> = group
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(c, chunk)| {
                let mut buf = Vec::with_capacity(chunk.len() * 1024);
                let mut one = Vec::with_capacity(2048);
                for (i, item) in chunk.iter().enumerate() {
                    let n = w * window + c * CHUNK + i;
                    buf.extend_from_slice(if n == 0 { b"[" } else { b"," });
                    buf.push(b'\n');
                    buf.extend_from_slice(indent.as_bytes());
                    one.clear();
                    serde_json::to_writer_pretty(&mut one, &make(n, item))
                        .map_err(super::json_error)?;
                    // A newline in pretty JSON is always layout (newlines in strings are
                    // escaped), so nesting the element is indenting every line after its first.
                    for (k, line) in one.split(|&b| b == b'\n').enumerate() {
                        if k > 0 {
                            buf.push(b'\n');
                            buf.extend_from_slice(indent.as_bytes());
                        }
                        buf.extend_from_slice(line);
                    }
                }
                Ok(buf)
            })
            .collect();
        for chunk in chunks {
            out.write_all(&chunk?)?;
        }
    }
    out.write_all(b"\n")?;
    out.write_all(&indent.as_bytes()[2..])?;
    out.write_all(b"]")?;
    out.write_all(&head[array_at + 2..])
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Envelope {
        version: u32,
        nested: Nested,
        after: &'static str,
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
                after: "y",
            };
            let expected = serde_json::to_vec_pretty(&whole).unwrap();
            let shell = Envelope {
                version: 1,
                nested: Nested {
                    name: "x",
                    items: Vec::new(),
                },
                after: "y",
            };
            let mut got = Vec::new();
            write_with_array(&mut got, &shell, "items", 3, &all, |_, item| item.clone()).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(expected).unwrap(),
                "{n} items"
            );
        }
    }
}
