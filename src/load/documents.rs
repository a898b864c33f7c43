//! From parsed YAML documents to Kubernetes objects: which documents are objects, which are
//! lists to expand, which are plain Prometheus rule files (read as synthetic
//! `PrometheusRuleFile` objects), which are skipped (no `apiVersion`/`kind`, kustomizations),
//! and which are broken objects.

use std::path::Path;

use crate::diagnostic::{Diagnostic, FileId};
use crate::load::Bump;
use crate::load::tree::Node;
use crate::load::yaml::{self, Limits, ParseProblemKind};
use crate::load::{ParsedFile, SourceFile, normalize_path};
use crate::model::Object;

/// File names kustomize reads as a kustomization.
pub const KUSTOMIZATION_FILE_NAMES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

pub(super) fn parse_documents<'s>(
    id: FileId,
    source: &'s SourceFile,
    arena: &'s Bump,
    limits: Limits,
) -> ParsedFile<'s> {
    let text = source.text.as_str();
    let stream = yaml::parse_stream(text, arena, limits);
    let mut out = ParsedFile::default();
    for problem in &stream.problems {
        let rule = match problem.kind {
            ParseProblemKind::Syntax => "yaml-syntax",
            ParseProblemKind::DuplicateKey => "yaml-duplicate-key",
            ParseProblemKind::AliasBomb => "yaml-alias-bomb",
            ParseProblemKind::TooDeep => "yaml-too-deep",
        };
        let mut d = Diagnostic::new(rule, id, problem.span, problem.message.clone());
        if let Some((span, note)) = problem.related {
            d = d.with_related(id, span, note);
        }
        d.help = Some(
            match problem.kind {
                ParseProblemKind::Syntax => {
                    "fix the YAML syntax; the rest of this document was not linted"
                }
                ParseProblemKind::DuplicateKey => {
                    "remove one of the keys: kubectl rejects the document"
                }
                ParseProblemKind::AliasBomb => {
                    "aliases are expanded by every consumer; write the values out"
                }
                ParseProblemKind::TooDeep => {
                    "no Kubernetes object nests this deep; this document was not linted"
                }
            }
            .into(),
        );
        out.diagnostics.push(d);
    }
    out.stats.failed_documents = stream.failed_documents;
    out.stats.documents = stream.failed_documents;

    let file_name = source
        .path
        .as_deref()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str());
    let is_kustomization_file = file_name.is_some_and(|n| KUSTOMIZATION_FILE_NAMES.contains(&n));
    // A Helm chart's metadata (`apiVersion: v2`, `name`, `version`, no `kind`) is not an object.
    let is_chart_file = file_name == Some("Chart.yaml");

    let mut previous_end = 0usize;
    for (index, doc) in stream.documents.into_iter().enumerate() {
        let Some(root) = doc.root else { continue };
        if root.is_null() {
            continue;
        }
        out.stats.documents += 1;
        let origin = helm_source(
            &text[previous_end.min(root.span().start as usize)..root.span().start as usize],
        );
        previous_end = doc.span.end as usize;

        let api_version = root.get("apiVersion");
        let kind = root.get("kind").and_then(Node::as_str);
        let is_kustomization = is_kustomization_file
            || (matches!(kind, Some("Kustomization" | "Component"))
                && api_version
                    .and_then(Node::as_str)
                    .is_some_and(|v| v.starts_with("kustomize.config.k8s.io/")));
        if is_kustomization {
            out.stats.skipped_documents += 1;
            if let Some(dir) = source.path.as_deref().and_then(Path::parent) {
                collect_patch_paths(&root, dir, &mut out.kustomize_patches);
            }
            continue;
        }
        if api_version.is_none() && root.get("kind").is_none() && is_prometheus_rule_file(&root) {
            // A plain Prometheus rule file (`groups:` at the top): the alerting rules read it
            // as a synthetic `PrometheusRuleFile` object, counted as an object document.
            out.stats.objects += 1;
            out.stats.object_documents += 1;
            // Named after the file as displayed (and the document, past the first), so two
            // rule files never look like the same object.
            let name = if index == 0 {
                source.name.clone()
            } else {
                format!("{}#{index}", source.name)
            };
            out.objects
                .push(Object::rule_file(id, root, index as u32, name, origin));
            continue;
        }
        if root.as_mapping().is_none()
            || is_chart_file
            || (api_version.is_none() && root.get("kind").is_none())
            || is_configuration_file(&root)
        {
            // Helm values, CI workflows, Prometheus configuration...: not Kubernetes objects.
            out.stats.skipped_documents += 1;
            continue;
        }
        let is_list = kind.is_some_and(|k| k.ends_with("List"))
            && root.get("items").is_some_and(|i| i.as_sequence().is_some());
        if is_list {
            out.stats.list_documents += 1;
            let items = root.get("items").map_or(&[][..], Node::items);
            // A null item (`- null`, what some tools print for an empty resource) is the
            // list's version of an empty document: nothing to lint.
            for &item in items.iter().filter(|item| !item.is_null()) {
                push_object(id, item, index as u32, origin.clone(), &mut out, false);
            }
            continue;
        }
        push_object(id, root, index as u32, origin, &mut out, true);
    }
    out
}

/// A Prometheus rule file: a mapping whose only key is `groups`, a sequence of mappings that
/// each have `rules` (or at least a `name`). Helm values with a `groups:` key have other keys too.
fn is_prometheus_rule_file(root: &Node<'_>) -> bool {
    let Some(entries) = root.as_mapping() else {
        return false;
    };
    let Some(groups) = root.get("groups").and_then(Node::as_sequence) else {
        return false;
    };
    entries.len() == 1
        && !groups.is_empty()
        && groups.iter().all(|g| {
            g.as_mapping().is_some() && (g.get("rules").is_some() || g.get("name").is_some())
        })
}

/// Tool configuration files look like objects (`apiVersion`, `kind`) but have no `metadata`:
/// kubeconfigs (`v1 Config`), kind cluster configs, scheduler policies, component configs.
/// They are never applied to a cluster, so they are skipped rather than called invalid. A
/// built-in API kind without metadata is still reported, since kubectl would reject it.
fn is_configuration_file(root: &Node<'_>) -> bool {
    if root.get("metadata").is_some() {
        return false;
    }
    let group = root
        .get("apiVersion")
        .and_then(Node::as_str)
        .map(crate::model::kinds::group_of);
    let kind = root.get("kind").and_then(Node::as_str).unwrap_or_default();
    !group.is_some_and(crate::model::kinds::is_builtin_group) || matches!(kind, "Config" | "Policy")
}

fn push_object<'s>(
    id: FileId,
    node: Node<'s>,
    document: u32,
    origin: Option<String>,
    out: &mut ParsedFile<'s>,
    whole_document: bool,
) {
    match Object::from_node(id, node, document, origin) {
        Ok(mut object) => {
            // Kustomize's `buildMetadata: [originAnnotations]` names the source file of each
            // object; Helm's `# Source:` comment, when present, wins.
            if object.origin.is_none() {
                object.origin = object
                    .annotation(crate::load::kustomize::ORIGIN_ANNOTATION)
                    .and_then(crate::load::kustomize::origin_of);
            }
            out.stats.objects += 1;
            if whole_document {
                out.stats.object_documents += 1;
            }
            out.objects.push(object);
        }
        Err(problem) => {
            if whole_document {
                out.stats.invalid_documents += 1;
            }
            out.diagnostics.push(
                Diagnostic::new("invalid-object", id, problem.span, problem.message)
                    .with_help("kubectl cannot read this object; fix its structure"),
            );
        }
    }
}

/// The chart path from Helm's `# Source: chart/templates/x.yaml` comment before a document.
fn helm_source(preamble: &str) -> Option<String> {
    preamble
        .lines()
        .rev()
        .find_map(|line| line.trim_start().strip_prefix("# Source:"))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Patch files named by a kustomization hold partial objects; they must not be linted as whole
/// objects. Inline patches (text with a newline) are not files.
fn collect_patch_paths(root: &Node<'_>, dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut add = |node: Option<&Node<'_>>| {
        if let Some(p) = node.and_then(Node::as_str)
            && !p.contains('\n')
        {
            out.push(normalize_path(&dir.join(p)));
        }
    };
    for key in ["patches", "patchesJson6902", "replacements"] {
        for item in root.get(key).map(Node::items).unwrap_or_default() {
            add(item.get("path"));
        }
    }
    for item in root
        .get("patchesStrategicMerge")
        .map(Node::items)
        .unwrap_or_default()
    {
        add(Some(item));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, text: &str) -> (Vec<String>, crate::load::LoadStats) {
        let source = SourceFile {
            name: name.to_string(),
            path: None,
            text: text.to_string(),
            readable: true,
        };
        let arena = Bump::new();
        let parsed = parse_documents(FileId(0), &source, &arena, Limits::default());
        let kinds = parsed
            .objects
            .iter()
            .map(|o| format!("{} {}", o.kind, o.name))
            .collect();
        (kinds, parsed.stats)
    }

    #[test]
    fn plain_rule_files_are_objects() {
        let (kinds, stats) = parse(
            "rules/web.yaml",
            "groups:\n  - name: web\n    rules:\n      - alert: WebDown\n        expr: up == 0\n---\ngroups:\n  - name: other\n    rules: []\n",
        );
        assert_eq!(
            kinds,
            [
                "PrometheusRuleFile rules/web.yaml",
                "PrometheusRuleFile rules/web.yaml#1"
            ]
        );
        assert_eq!(stats.documents, 2);
        assert_eq!(stats.object_documents, 2);
        assert_eq!(stats.skipped_documents, 0);
    }

    #[test]
    fn values_files_with_groups_are_skipped() {
        let (kinds, stats) = parse(
            "values.yaml",
            "groups:\n  - name: web\n    rules: []\nreplicaCount: 2\n---\ngroups: []\n",
        );
        assert!(kinds.is_empty());
        assert_eq!(stats.skipped_documents, 2);
    }

    #[test]
    fn helm_source_comment() {
        assert_eq!(
            helm_source("---\n# Source: web/templates/svc.yaml\n"),
            Some("web/templates/svc.yaml".into())
        );
        assert_eq!(helm_source("---\n# other\n"), None);
    }
}
