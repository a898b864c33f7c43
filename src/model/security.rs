//! Helpers for the security-context rules that more than one rule needs: Linux capability
//! names as the container runtime reads them.

use crate::load::tree::Node;
use crate::model::pod::{Container, PodTemplate};

/// A capability name as the runtime reads it: case-insensitive, with an optional `CAP_`
/// prefix (`cap_sys_admin`, `SYS_ADMIN` and `CAP_SYS_ADMIN` are the same capability).
pub fn normalize_capability(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    match upper.strip_prefix("CAP_") {
        Some(rest) => rest.to_string(),
        None => upper,
    }
}

/// The items of the container's `securityContext.capabilities.<list>` (`add` or `drop`) that
/// are strings, with their nodes.
pub fn capability_items<'a, 's>(
    container: &Container<'a, 's>,
    list: &str,
) -> impl Iterator<Item = (String, &'a Node<'s>)> {
    container
        .security_field("capabilities")
        .and_then(|c| c.get(list))
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_str().map(|s| (normalize_capability(s), n)))
}

/// Whether the container adds `capability` (given normalised, e.g. `SYS_ADMIN`).
pub fn adds_capability(container: &Container<'_, '_>, capability: &str) -> bool {
    capability_items(container, "add").any(|(c, _)| c == capability)
}

/// Whether the pod declares it runs on Windows (`spec.os.name: windows`). Linux-only settings
/// (`allowPrivilegeEscalation`, capabilities, seccomp, `readOnlyRootFilesystem`) do not apply
/// to such pods, and the Pod Security Standards exempt them from those checks.
pub fn is_windows(pod: &PodTemplate<'_, '_>) -> bool {
    pod.field("os")
        .and_then(|os| os.get("name"))
        .and_then(Node::as_str)
        == Some("windows")
}

#[cfg(test)]
mod tests {
    use super::normalize_capability;

    #[test]
    fn capability_names_normalise() {
        assert_eq!(normalize_capability("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(normalize_capability("SYS_ADMIN"), "SYS_ADMIN");
        assert_eq!(normalize_capability("all"), "ALL");
    }
}
