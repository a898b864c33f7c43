//! Objects by namespace and kind, built once with the index: the ResourceQuotas and LimitRanges
//! of a namespace, the workloads it holds, without scanning every object per object.

use rustc_hash::FxHashMap;

use crate::model::kinds::POD_BEARING;
use crate::model::{Object, ObjectId};

/// Namespaced objects grouped by (namespace, API group, kind), in input order.
#[derive(Debug, Default)]
pub struct Namespaces {
    by_kind: FxHashMap<(String, String, String), Vec<ObjectId>>,
    /// Pod-bearing objects (PodTemplates excepted: they run nothing) per namespace.
    workloads: FxHashMap<String, Vec<ObjectId>>,
}

impl Namespaces {
    pub fn build(objects: &[Object<'_>]) -> Self {
        let mut n = Namespaces::default();
        for o in objects {
            let Some(ns) = &o.namespace else { continue };
            n.by_kind
                .entry((ns.clone(), o.group.clone(), o.kind.clone()))
                .or_default()
                .push(o.id);
            if POD_BEARING.contains(&o.kind.as_str()) && o.kind != "PodTemplate" {
                n.workloads.entry(ns.clone()).or_default().push(o.id);
            }
        }
        n
    }

    /// Ids of the objects of `kind` in API `group` in `namespace`, in input order.
    pub fn of_kind(&self, namespace: &str, group: &str, kind: &str) -> &[ObjectId] {
        self.by_kind
            .get(&(namespace.to_string(), group.to_string(), kind.to_string()))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Ids of the workloads (objects that run pods) in `namespace`, in input order.
    pub fn workloads(&self, namespace: &str) -> &[ObjectId] {
        self.workloads
            .get(namespace)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}
