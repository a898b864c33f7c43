//! Container image references (`registry:5000/team/app:1.2@sha256:...`) split into their parts
//! the way the container runtime reads them, for the rules about tags and digests.

/// A parsed image reference. Parts borrow from the reference as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// The registry host (with its port), when the first path component names one:
    /// it contains a `.` or a `:`, or is `localhost`. Docker Hub images have none.
    pub registry: Option<&'a str>,
    /// The repository path without registry, tag or digest (`library/nginx`, `team/app`).
    pub repository: &'a str,
    /// The tag after the last `:` of the last path component, if any.
    pub tag: Option<&'a str>,
    /// The digest after `@` (`sha256:...`), if any.
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    /// Splits a reference. Returns `None` for references that are not literal images: empty
    /// ones, unrendered templates (`{{ .Values.image }}`, `${IMAGE}`, `$(IMAGE)`) and
    /// placeholders (`<image_url>`), which the rules cannot judge.
    pub fn parse(reference: &'a str) -> Option<Self> {
        let reference = reference.trim();
        // Only the characters a reference may hold: anything else is a template or a
        // placeholder (`<your-image>`) that no runtime would pull.
        if reference.is_empty()
            || !reference.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':' | b'/' | b'@')
            })
        {
            return None;
        }
        let (name, digest) = match reference.split_once('@') {
            Some((name, digest)) => (name, Some(digest).filter(|d| !d.is_empty())),
            None => (reference, None),
        };
        // A `:` is a tag separator only after the last `/`: in `registry:5000/app` it belongs
        // to the registry's port.
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (
                &name[..last_slash + i],
                Some(&name[last_slash + i + 1..]).filter(|t| !t.is_empty()),
            ),
            None => (name, None),
        };
        let (registry, repository) = match path.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first), rest)
            }
            _ => (None, path),
        };
        Some(ImageRef {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// Whether the reference pins a content digest (`@sha256:...` or another algorithm).
    pub fn has_digest(&self) -> bool {
        self.digest.is_some_and(|d| d.contains(':'))
    }
}

#[cfg(test)]
mod tests {
    use super::ImageRef;

    fn parts(s: &str) -> (Option<&str>, &str, Option<&str>, Option<&str>) {
        let r = ImageRef::parse(s).unwrap();
        (r.registry, r.repository, r.tag, r.digest)
    }

    #[test]
    fn docker_hub_names() {
        assert_eq!(parts("nginx"), (None, "nginx", None, None));
        assert_eq!(parts("nginx:1.27"), (None, "nginx", Some("1.27"), None));
        assert_eq!(
            parts("library/nginx:latest"),
            (None, "library/nginx", Some("latest"), None)
        );
    }

    #[test]
    fn registries_with_ports_are_not_tags() {
        assert_eq!(
            parts("registry:5000/app"),
            (Some("registry:5000"), "app", None, None)
        );
        assert_eq!(
            parts("registry:5000/team/app:v2"),
            (Some("registry:5000"), "team/app", Some("v2"), None)
        );
        assert_eq!(
            parts("localhost/app:dev"),
            (Some("localhost"), "app", Some("dev"), None)
        );
        assert_eq!(
            parts("ghcr.io/org/app"),
            (Some("ghcr.io"), "org/app", None, None)
        );
    }

    #[test]
    fn digests() {
        let d = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let with_tag = format!("nginx:1.27@{d}");
        let r = ImageRef::parse(&with_tag).unwrap();
        assert_eq!((r.tag, r.digest), (Some("1.27"), Some(d)));
        assert!(r.has_digest());
        let bare = format!("registry:5000/app@{d}");
        let r = ImageRef::parse(&bare).unwrap();
        assert_eq!(
            (r.registry, r.repository, r.tag),
            (Some("registry:5000"), "app", None)
        );
        assert!(r.has_digest());
        assert!(!ImageRef::parse("nginx:1.27").unwrap().has_digest());
        assert!(!ImageRef::parse("nginx@").unwrap().has_digest());
    }

    #[test]
    fn templates_and_empty_are_not_references() {
        assert_eq!(ImageRef::parse(""), None);
        assert_eq!(ImageRef::parse("{{ .Values.image }}"), None);
        assert_eq!(ImageRef::parse("${IMAGE}"), None);
        assert_eq!(ImageRef::parse("$(IMAGE)"), None);
        assert_eq!(ImageRef::parse("<YOUR-CONTAINER>"), None);
    }
}
