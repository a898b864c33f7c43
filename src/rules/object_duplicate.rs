//! `object-duplicate`: the input defines the same object twice.

use crate::model::Object;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an object whose kind (API group and kind; the version is not compared),
    /// namespace and name are those of an object earlier in the input. The later one is
    /// reported, with the first as a related location. Objects named by `generateName` only
    /// are exempt: each gets a fresh name.
    ///
    /// ## Why it matters
    ///
    /// `kubectl apply` applies both, in order: the later silently replaces the earlier, so an
    /// edit to the first copy has no effect (or one copy's fields are merged into the other's
    /// in surprising ways). Usually one copy is stale: a file copied and not renamed, a base
    /// and its rendered output linted together, two charts shipping the same ConfigMap.
    /// kustomize refuses such input outright (`may not add resource with an already registered
    /// id`).
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web-config
    /// data:
    ///   LOG_LEVEL: info
    /// ---
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web-config
    /// data:
    ///   LOG_LEVEL: debug
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web-config
    /// data:
    ///   LOG_LEVEL: info
    /// ---
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web-config-debug
    /// data:
    ///   LOG_LEVEL: debug
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Linting a kustomize base together with its rendered output (`pake-lint fixtures/pake`)
    /// reports every object twice, rightly for that run: lint one or the other. The same
    /// resource served under two groups (`extensions` and `apps` Deployments) is not seen as a
    /// duplicate.
    ObjectDuplicate {
        id: "object-duplicate",
        category: Reliability,
        severity: Error,
        enabled: true,
        kinds: &["*"],
        summary: "two objects in the input have the same kind, namespace and name",
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ObjectDuplicate {}

impl Rule for ObjectDuplicate {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if object.name.is_empty() {
            return;
        }
        let Some(first) = cx
            .index
            .lookup(
                object.namespace.as_deref(),
                object.group,
                object.kind,
                &object.name,
            )
            .min_by_key(|o| o.id)
        else {
            return;
        };
        if first.id == object.id {
            return;
        }
        let place = match &object.namespace {
            Some(ns) => format!(" in namespace `{ns}`"),
            None => String::new(),
        };
        cx.report(
            object,
            object.anchor(),
            format!(
                "{} `{}`{place} is defined twice: this copy replaces the first at apply time",
                object.kind, object.name
            ),
        )
        .help("remove one of the copies, or rename one if both are meant to exist")
        .related(
            first,
            first.anchor(),
            format!("the first {} `{}` is defined here", first.kind, first.name),
        );
    }
}
