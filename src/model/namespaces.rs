//! Objects by namespace and kind, built once with the index: the ResourceQuotas and LimitRanges
//! of a namespace, the workloads it holds, without scanning every object per object.

use rustc_hash::FxHashMap;

use crate::model::kinds::POD_BEARING;
use crate::model::{Object, ObjectId};

/// Namespaced objects grouped by namespace, then kind, then API group, in input order. Nested
/// so that a lookup borrows its three names instead of building a key of owned strings (it runs
/// for every workload), and each name is copied once per group, not once per object.
#[derive(Debug, Default)]
pub struct Namespaces {
    by_kind: FxHashMap<String, FxHashMap<String, FxHashMap<String, Vec<ObjectId>>>>,
    /// Pod-bearing objects (PodTemplates excepted: they run nothing) per namespace.
    workloads: FxHashMap<String, Vec<ObjectId>>,
}

impl Namespaces {
    pub fn build(objects: &[Object<'_>]) -> Self {
        let mut n = Namespaces::default();
        for o in objects {
            let Some(ns) = &o.namespace else { continue };
            let kinds = entry(&mut n.by_kind, ns);
            entry(entry(kinds, o.kind), o.group).push(o.id);
            if POD_BEARING.contains(&o.kind) && o.kind != "PodTemplate" {
                entry(&mut n.workloads, ns).push(o.id);
            }
        }
        n
    }

    /// Ids of the objects of `kind` in API `group` in `namespace`, in input order.
    pub fn of_kind(&self, namespace: &str, group: &str, kind: &str) -> &[ObjectId] {
        self.by_kind
            .get(namespace)
            .and_then(|kinds| kinds.get(kind))
            .and_then(|groups| groups.get(group))
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

/// The value under `key`, inserted empty if absent; the key is copied only then.
fn entry<'m, V: Default>(map: &'m mut FxHashMap<String, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(key.to_string(), V::default());
    }
    map.get_mut(key).expect("inserted above")
}
