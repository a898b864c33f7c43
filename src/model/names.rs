//! The API server's name syntaxes (k8s.io/apimachinery/pkg/util/validation): DNS-1123 labels
//! and subdomains for object names, qualified names for label and annotation keys, label
//! values, and which syntax each kind's `metadata.name` must follow.

/// A syntax an object name must follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameSyntax {
    /// Lowercase letters, digits and `-`, starting and ending alphanumeric, at most 63.
    Dns1123Label,
    /// A DNS-1123 label that starts with a letter (Services: the name becomes a DNS label and
    /// an environment variable prefix).
    Dns1035Label,
    /// Dot-separated DNS-1123 labels, at most 253 characters.
    Dns1123Subdomain,
    /// Anything usable as one URL path segment: not `.` or `..`, no `/` or `%` (RBAC objects,
    /// whose names are often `system:...`).
    PathSegment,
}

impl NameSyntax {
    pub fn describe(self) -> &'static str {
        match self {
            NameSyntax::Dns1123Label => "a DNS-1123 label",
            NameSyntax::Dns1035Label => "a DNS-1035 label",
            NameSyntax::Dns1123Subdomain => "a DNS-1123 subdomain",
            NameSyntax::PathSegment => "a path segment",
        }
    }

    /// What is wrong with `name` under this syntax, or `None` when it is valid.
    pub fn check(self, name: &str) -> Option<String> {
        match self {
            NameSyntax::Dns1123Label => dns1123_label(name),
            NameSyntax::Dns1035Label => dns1123_label(name).or_else(|| {
                (!name.starts_with(|c: char| c.is_ascii_lowercase()))
                    .then(|| "must start with a lowercase letter".to_string())
            }),
            NameSyntax::Dns1123Subdomain => dns1123_subdomain(name),
            NameSyntax::PathSegment => {
                if name == "." || name == ".." {
                    Some("may not be `.` or `..`".to_string())
                } else if name.contains(['/', '%']) {
                    Some("may not contain `/` or `%`".to_string())
                } else {
                    None
                }
            }
        }
    }
}

/// The syntax of `metadata.name` for a built-in kind, from the API server's validation of each
/// kind (`ValidateNamespaceName`, `ValidateServiceName`, `ValidateRBACName`...). Kinds not
/// listed use a DNS-1123 subdomain, the default of `ValidateObjectMeta` callers.
pub fn name_syntax(group: &str, kind: &str) -> NameSyntax {
    match (group, kind) {
        ("", "Namespace") => NameSyntax::Dns1123Label,
        ("", "Service") => NameSyntax::Dns1035Label,
        ("rbac.authorization.k8s.io", _) => NameSyntax::PathSegment,
        _ => NameSyntax::Dns1123Subdomain,
    }
}

/// The longest name of a kind, when shorter than its syntax allows: a CronJob's name gets an
/// 11-character suffix for its Jobs, whose names must fit in a 63-character label value.
pub fn max_name_length(group: &str, kind: &str) -> Option<usize> {
    match (group, kind) {
        ("batch", "CronJob") => Some(52),
        _ => None,
    }
}

fn is_alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn dns1123_label(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("must not be empty".into());
    }
    if s.len() > 63 {
        return Some(format!(
            "must be at most 63 characters (it has {})",
            s.len()
        ));
    }
    if let Some(c) = s.chars().find(|&c| !(is_alnum_lower(c) || c == '-')) {
        return Some(bad_char(c, "lowercase letters, digits and `-`"));
    }
    if !s.starts_with(is_alnum_lower) || !s.ends_with(is_alnum_lower) {
        return Some("must start and end with a lowercase letter or digit".into());
    }
    None
}

fn dns1123_subdomain(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("must not be empty".into());
    }
    if s.len() > 253 {
        return Some(format!(
            "must be at most 253 characters (it has {})",
            s.len()
        ));
    }
    if let Some(c) = s
        .chars()
        .find(|&c| !(is_alnum_lower(c) || c == '-' || c == '.'))
    {
        return Some(bad_char(c, "lowercase letters, digits, `-` and `.`"));
    }
    if s.split('.').any(|part| {
        part.is_empty() || !part.starts_with(is_alnum_lower) || !part.ends_with(is_alnum_lower)
    }) {
        return Some(
            "each `.`-separated part must start and end with a lowercase letter or digit".into(),
        );
    }
    None
}

fn bad_char(c: char, allowed: &str) -> String {
    if c.is_ascii_uppercase() {
        format!("must be lowercase (`{c}`); only {allowed} are allowed")
    } else {
        format!(
            "contains `{}`; only {allowed} are allowed",
            c.escape_debug()
        )
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// A label value or the name part of a qualified name: at most 63 characters of
/// `[A-Za-z0-9-_.]`, starting and ending alphanumeric; empty when `allow_empty`.
fn name_part(s: &str, allow_empty: bool) -> Option<String> {
    if s.is_empty() {
        return (!allow_empty).then(|| "the name part must not be empty".to_string());
    }
    if s.len() > 63 {
        return Some(format!(
            "must be at most 63 characters (it has {})",
            s.len()
        ));
    }
    if let Some(c) = s.chars().find(|&c| !is_name_char(c)) {
        return Some(format!(
            "contains `{}`; only letters, digits, `-`, `_` and `.` are allowed",
            c.escape_debug()
        ));
    }
    if !s.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !s.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Some("must start and end with a letter or digit".into());
    }
    None
}

/// What is wrong with a label or annotation key (`[prefix/]name`: the prefix a DNS-1123
/// subdomain, the name at most 63 characters), or `None`.
pub fn qualified_name(key: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if name.contains('/') {
            return Some("may contain at most one `/`".into());
        }
        if let Some(problem) = dns1123_subdomain(prefix) {
            return Some(format!("prefix `{prefix}` {problem}"));
        }
    }
    if name.is_empty() {
        return Some("the name part after the prefix must not be empty".into());
    }
    name_part(name, false).map(|p| {
        if prefix.is_some() {
            format!("name part `{name}` {p}")
        } else {
            p
        }
    })
}

/// What is wrong with a label value (at most 63 characters, may be empty), or `None`.
pub fn label_value(value: &str) -> Option<String> {
    name_part(value, true)
}

/// The API server's limit on the total size of an object's annotations (keys and values).
pub const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(
            NameSyntax::Dns1123Subdomain
                .check("web.example-1")
                .is_none()
        );
        assert!(NameSyntax::Dns1123Subdomain.check("Web").is_some());
        assert!(NameSyntax::Dns1123Subdomain.check("web_api").is_some());
        assert!(NameSyntax::Dns1123Subdomain.check("web..x").is_some());
        assert!(NameSyntax::Dns1123Label.check("a.b").is_some());
        assert!(NameSyntax::Dns1123Label.check(&"a".repeat(64)).is_some());
        assert!(NameSyntax::Dns1035Label.check("1web").is_some());
        assert!(NameSyntax::Dns1035Label.check("web-1").is_none());
        assert!(
            NameSyntax::PathSegment
                .check("system:controller:x")
                .is_none()
        );
        assert!(NameSyntax::PathSegment.check("a/b").is_some());
    }

    #[test]
    fn keys_and_values() {
        assert!(qualified_name("app.kubernetes.io/name").is_none());
        assert!(qualified_name("app").is_none());
        assert!(qualified_name("Team_Name.x").is_none());
        assert!(qualified_name("a/b/c").is_some());
        assert!(qualified_name("Example.com/x").is_some());
        assert!(qualified_name("example.com/").is_some());
        assert!(qualified_name("-app").is_some());
        assert!(qualified_name(&format!("x/{}", "a".repeat(64))).is_some());
        assert!(label_value("").is_none());
        assert!(label_value("v1.2_3-A").is_none());
        assert!(label_value("a b").is_some());
        assert!(label_value("-x").is_some());
        assert!(label_value(&"a".repeat(64)).is_some());
    }
}
