//! The field path of a place in an object (`spec.template.spec.containers[web].image`), for
//! baselines: it names where a finding is without naming a line, so edits elsewhere in the
//! file do not change it. Sequence items are named by their `name` when they have one, and
//! short scalars by their value, so reordering containers or capabilities does not change it
//! either.

use crate::load::tree::{Node, NodeKind, Span};

/// The path of the deepest key or value in `root` whose span contains `span`; empty for the
/// object itself.
pub fn field_path(root: &Node<'_>, span: Span) -> String {
    let mut path = String::new();
    let mut node = root;
    'descend: loop {
        match node.kind() {
            NodeKind::Mapping(entries) => {
                for e in entries.iter() {
                    let in_key = contains(e.key.span(), span);
                    if in_key || contains(e.value.span(), span) {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(e.key.as_scalar().map_or("?", |s| s.text));
                        if in_key {
                            break 'descend;
                        }
                        node = &e.value;
                        continue 'descend;
                    }
                }
                break;
            }
            NodeKind::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    if contains(item.span(), span) {
                        // A named item by its name, a short scalar by its value (`add[NET_ADMIN]`),
                        // anything else by its position.
                        let label = item
                            .get("name")
                            .and_then(Node::scalar_text)
                            .or_else(|| item.scalar_text().filter(|t| t.len() <= 64));
                        match label {
                            Some(label) => path.push_str(&format!("[{label}]")),
                            None => path.push_str(&format!("[{i}]")),
                        }
                        node = item;
                        continue 'descend;
                    }
                }
                break;
            }
            NodeKind::Scalar(_) => break,
        }
    }
    path
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && !(outer.is_empty() && inner != outer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{Limits, parse_stream};

    #[test]
    fn paths_name_keys_and_named_items() {
        let src = "spec:\n  containers:\n    - name: web\n      image: nginx\n      args: [--debug]\n    - image: x\n";
        let arena = crate::load::Bump::new();
        let stream = parse_stream(src, &arena, Limits::default());
        let root = stream.documents[0].root.as_ref().unwrap();
        let at = |needle: &str| {
            let start = src.find(needle).unwrap() as u32;
            Span::new(start, start + needle.len() as u32)
        };
        assert_eq!(field_path(root, at("nginx")), "spec.containers[web].image");
        assert_eq!(field_path(root, at("image: x")), "spec.containers[1]");
        assert_eq!(field_path(root, at("containers")), "spec.containers");
        assert_eq!(
            field_path(root, at("--debug")),
            "spec.containers[web].args[--debug]"
        );
        assert_eq!(field_path(root, root.span()), "");
    }
}
