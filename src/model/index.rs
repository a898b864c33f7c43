//! The index over every object of a run: built once after loading, immutable, shared by all rule
//! threads. It owns the semantics no rule may re-implement: effective namespaces, lookups by
//! (namespace, group, kind, name), and which pod templates a selector selects.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

use crate::model::Labels;
use crate::model::Object;
use crate::model::api_versions::KubeVersion;
use crate::model::crd::CrdCatalog;
use crate::model::kinds;
use crate::model::namespaces::Namespaces;
use crate::model::rbac::RbacIndex;
use crate::model::references::RefKind;
use crate::model::relations::{Relations, TargetRef};
use crate::model::selector::LabelSelector;
use crate::model::storage::StorageIndex;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId(pub u32);

/// A pod template in the index, with the labels its pods carry.
#[derive(Debug)]
pub struct PodEntry {
    pub object: ObjectId,
    pub labels: Labels,
}

#[derive(Debug, Default)]
pub struct IndexOptions {
    /// The namespace of objects that declare none (`--namespace`).
    pub default_namespace: String,
    /// The Kubernetes release the input is judged against (`--kubernetes-version`).
    pub kubernetes_version: KubeVersion,
    /// CustomResourceDefinitions given with `--crd`: (file, CRD object as JSON).
    pub extra_crds: Vec<(String, serde_json::Value)>,
}

#[derive(Debug)]
pub struct Index<'s> {
    objects: Vec<Object<'s>>,
    lookups: LookupMaps,
    relations: Relations,
    /// The text of each input file by [`FileId`](crate::diagnostic::FileId), when the engine
    /// provides it (to map positions inside a scalar's value back into the file).
    sources: Vec<&'s str>,
    /// Alerts, monitors and coverage, built on first use.
    alerting: std::sync::OnceLock<crate::model::alerts::Alerting>,
    /// Objects declared to exist outside the input (`external:` in the configuration).
    external: std::sync::Arc<crate::config::External>,
    /// The alert coverage model's signals, when the configuration adds to the defaults.
    signals: Option<std::sync::Arc<Vec<crate::model::signals::Signal>>>,
    /// Objects by (namespace, group, kind), and the workloads of each namespace.
    by_namespace: Namespaces,
    storage: StorageIndex,
    rbac: RbacIndex,
    kubernetes_version: KubeVersion,
    /// Distinct for every index built in this process, so per-thread caches keyed by object
    /// never serve one run's results to another.
    run_id: u64,
    crds: CrdCatalog,
    /// The keys of each ConfigMap and Secret with more than [`LARGE_DATA`] of them, and how
    /// many they are as written (a key written twice counts twice, as in a scan).
    large_data: FxHashMap<ObjectId, (rustc_hash::FxHashSet<&'s str>, usize)>,
}

/// Above this many keys a ConfigMap's or Secret's keys are looked up in a set: a scan of all
/// of them for every reference made 10,000 references into one ConfigMap of 100,000 keys
/// take 16 s of rule time. Below it a scan is cheaper than a set.
const LARGE_DATA: usize = 32;

/// The index's lookup tables over objects: by name and by kind, pods by namespace and by label,
/// the namespaces in use, and custom resources by namespace.
#[derive(Debug)]
struct LookupMaps {
    by_name: FxHashMap<String, Vec<ObjectId>>,
    by_kind: FxHashMap<String, Vec<ObjectId>>,
    pods_by_namespace: FxHashMap<String, NamespacePods>,
    /// Namespaces that hold at least one namespaced object, sorted.
    namespaces: Vec<String>,
    /// Namespaced objects of API groups Kubernetes does not serve itself (custom resources),
    /// by namespace: operators create pods from some of them.
    custom_by_namespace: FxHashMap<String, Vec<ObjectId>>,
}

/// The pod templates of one namespace, in input order.
#[derive(Debug, Default)]
struct NamespacePods {
    pods: Vec<PodEntry>,
    /// Pods by one of their labels: the hash of a `key=value` pair -> positions in `pods`, so a
    /// selector with an equality requirement only tests the pods that carry that label. Two
    /// pairs with the same hash share a list: that only adds candidates, which the selector
    /// then rejects.
    by_label: FxHashMap<u64, Vec<u32>>,
    /// Whether every pair hashes alike (a test of the collision path), fixed when the lists
    /// are built so that lookups hash as they were built.
    #[cfg(test)]
    every_hash_collides: bool,
}

/// Set by a test so that the indexes built meanwhile give every label pair the same hash.
/// Another test building an index then gets one that takes the collision path on every
/// lookup, which must give the same answers.
#[cfg(test)]
static EVERY_LABEL_HASH_COLLIDES: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

impl NamespacePods {
    fn new() -> Self {
        NamespacePods {
            pods: Vec::new(),
            by_label: FxHashMap::default(),
            #[cfg(test)]
            every_hash_collides: EVERY_LABEL_HASH_COLLIDES
                .load(std::sync::atomic::Ordering::Relaxed),
        }
    }

    fn label_hash(&self, key: &str, value: &str) -> u64 {
        #[cfg(test)]
        if self.every_hash_collides {
            return 0;
        }
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut hasher = rustc_hash::FxBuildHasher.build_hasher();
        key.hash(&mut hasher);
        value.hash(&mut hasher);
        hasher.finish()
    }
}

/// Appends `value` to the list of `key`, allocating the key only the first time it is seen.
fn push_to<V>(map: &mut FxHashMap<String, Vec<V>>, key: &str, value: V) {
    match map.get_mut(key) {
        Some(list) => list.push(value),
        None => {
            map.insert(key.to_string(), vec![value]);
        }
    }
}

impl<'s> Index<'s> {
    /// Frees the index on all threads. The trees live in the engine's arenas, but the objects'
    /// labels and defaulted namespaces, the lookups and the alert model are a few hundred
    /// thousand small allocations on a large tree: dropped in one piece, that was the longest serial stretch
    /// at the end of a run.
    pub fn dispose(mut self) {
        let objects = std::mem::take(&mut self.objects);
        let alerting = self.alerting.take();
        rayon::join(
            move || objects.into_par_iter().with_min_len(1024).for_each(drop),
            move || rayon::join(move || drop(alerting), move || drop(self)),
        );
    }

    pub fn build(mut objects: Vec<Object<'s>>, options: &IndexOptions) -> Self {
        // CustomResourceDefinitions in the input say which custom kinds are cluster-scoped.
        let mut custom_cluster_scoped: Vec<(String, String)> = Vec::new();
        for o in &objects {
            if o.kind == "CustomResourceDefinition"
                && o.root.path(&["spec", "scope"]).and_then(|n| n.as_str()) == Some("Cluster")
            {
                let group = o
                    .root
                    .path(&["spec", "group"])
                    .and_then(|n| n.as_str())
                    .unwrap_or_default();
                let kind = o
                    .root
                    .path(&["spec", "names", "kind"])
                    .and_then(|n| n.as_str())
                    .unwrap_or_default();
                custom_cluster_scoped.push((group.to_string(), kind.to_string()));
            }
        }
        // On all threads: an object without a namespace of its own gets a copy of the default.
        objects.par_iter_mut().enumerate().for_each(|(i, o)| {
            o.id = ObjectId(i as u32);
            let cluster_scoped = kinds::is_builtin_cluster_scoped(o.group, o.kind)
                || custom_cluster_scoped
                    .iter()
                    .any(|(g, k)| *g == o.group && *k == o.kind);
            o.namespace = if cluster_scoped {
                None
            } else {
                Some(o.declared_namespace.map_or_else(
                    || Cow::Owned(options.default_namespace.clone()),
                    Cow::Borrowed,
                ))
            };
        });
        // The lookup tables are independent of each other: built side by side.
        let (lookups, ((by_namespace, storage), (rbac, crds))) = rayon::join(
            || Self::lookup_maps(&objects),
            || {
                rayon::join(
                    || (Namespaces::build(&objects), StorageIndex::build(&objects)),
                    || {
                        (
                            RbacIndex::build(&objects),
                            CrdCatalog::build(&objects, &options.extra_crds),
                        )
                    },
                )
            },
        );
        let large_data = objects
            .iter()
            .filter_map(|o| {
                let kind = RefKind::of(o)?;
                (kind.keys(o).nth(LARGE_DATA).is_some())
                    .then(|| (o.id, (kind.keys(o).collect(), kind.keys(o).count())))
            })
            .collect();
        let mut index = Index {
            large_data,
            objects,
            lookups,
            relations: Relations::default(),
            sources: Vec::new(),
            alerting: std::sync::OnceLock::new(),
            external: Default::default(),
            signals: None,
            by_namespace,
            storage,
            rbac,
            kubernetes_version: options.kubernetes_version,
            run_id: {
                static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
            crds,
        };
        index.relations = Relations::build(&index);
        index
    }

    /// The lookup tables, in three independent passes over the objects run side by side.
    fn lookup_maps(objects: &[Object<'s>]) -> LookupMaps {
        let ids = || (0..objects.len()).map(|i| ObjectId(i as u32)).zip(objects);
        let by_name_and_kind = || {
            let mut by_name: FxHashMap<String, Vec<ObjectId>> = FxHashMap::default();
            let mut by_kind: FxHashMap<String, Vec<ObjectId>> = FxHashMap::default();
            for (id, o) in ids() {
                push_to(&mut by_name, &o.name, id);
                push_to(&mut by_kind, o.kind, id);
            }
            (by_name, by_kind)
        };
        let namespaces = || {
            let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
            let mut custom_by_namespace: FxHashMap<String, Vec<ObjectId>> = FxHashMap::default();
            for (id, o) in ids() {
                let Some(ns) = o.namespace.as_deref() else {
                    continue;
                };
                seen.insert(ns);
                if !kinds::is_builtin_group(o.group) {
                    push_to(&mut custom_by_namespace, ns, id);
                }
            }
            let mut namespaces: Vec<String> = seen.into_iter().map(str::to_string).collect();
            namespaces.sort_unstable();
            (namespaces, custom_by_namespace)
        };
        let pods = || {
            let mut pods_by_namespace: FxHashMap<String, NamespacePods> = FxHashMap::default();
            for (id, o) in ids() {
                let Some(ns) = o.namespace.as_deref() else {
                    continue;
                };
                let Some(labels) = crate::model::pod::pod_labels(o) else {
                    continue;
                };
                let entry = PodEntry { object: id, labels };
                match pods_by_namespace.get_mut(ns) {
                    Some(pods) => pods.pods.push(entry),
                    None => {
                        let mut pods = NamespacePods::new();
                        pods.pods.push(entry);
                        pods_by_namespace.insert(ns.to_string(), pods);
                    }
                }
            }
            for namespace in pods_by_namespace.values_mut() {
                for (i, pod) in namespace.pods.iter().enumerate() {
                    for (k, v) in pod.labels.iter() {
                        let hash = namespace.label_hash(k, v);
                        let list = namespace.by_label.entry(hash).or_default();
                        // Two labels of one pod may share a hash: list the pod once.
                        if list.last() != Some(&(i as u32)) {
                            list.push(i as u32);
                        }
                    }
                }
            }
            pods_by_namespace
        };
        let ((by_name, by_kind), ((namespaces, custom_by_namespace), pods_by_namespace)) =
            rayon::join(by_name_and_kind, || rayon::join(namespaces, pods));
        LookupMaps {
            by_name,
            by_kind,
            pods_by_namespace,
            namespaces,
            custom_by_namespace,
        }
    }

    /// Gives the index the text of the input files, by file id.
    pub fn with_sources(mut self, sources: Vec<&'s str>) -> Self {
        self.sources = sources;
        self
    }

    /// The text of an input file, when the engine gave it.
    pub fn source(&self, file: crate::diagnostic::FileId) -> Option<&'s str> {
        self.sources.get(file.0 as usize).copied()
    }

    /// Prometheus alerts with their parsed expressions and signals, ServiceMonitors and
    /// PodMonitors with what they scrape: built once, on first use. The build runs parallel
    /// loops of its own, so it must not first happen inside a parallel loop whose other tasks
    /// also ask for it: a thread waiting for the build may pick up such a task, which then
    /// waits on the same cell forever. The engine builds it before running the rules.
    pub fn alerting(&self) -> &crate::model::alerts::Alerting {
        self.alerting
            .get_or_init(|| crate::model::alerts::Alerting::build(self))
    }

    /// Declares the objects that exist outside the input (`external:` in the configuration).
    pub fn with_external(mut self, external: std::sync::Arc<crate::config::External>) -> Self {
        self.external = external;
        self
    }

    /// Gives the alert coverage model its signals table (the defaults with the configuration's
    /// additions).
    pub fn with_signals(
        mut self,
        signals: std::sync::Arc<Vec<crate::model::signals::Signal>>,
    ) -> Self {
        self.signals = Some(signals);
        self
    }

    /// The signals table alerts are judged with.
    pub fn signals(&self) -> &[crate::model::signals::Signal] {
        match &self.signals {
            Some(table) => table,
            None => crate::model::signals::default_signals(),
        }
    }

    /// Objects that exist in the cluster but not in the input: a reference to one of them is
    /// not dangling.
    pub fn external(&self) -> &crate::config::External {
        &self.external
    }

    /// The Kubernetes release the run targets (`--kubernetes-version`).
    pub fn kubernetes_version(&self) -> KubeVersion {
        self.kubernetes_version
    }

    /// The CustomResourceDefinitions of the input and of `--crd` files.
    pub fn crds(&self) -> &CrdCatalog {
        &self.crds
    }

    /// A number no other index built in this process has.
    pub fn run_id(&self) -> u64 {
        self.run_id
    }

    /// The objects behind a list of ids from one of the index's maps (none for a missing key).
    fn objects_by<'a>(
        &'a self,
        ids: Option<&'a Vec<ObjectId>>,
    ) -> impl Iterator<Item = &'a Object<'s>> + 'a {
        ids.map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|id| self.get(*id))
    }

    /// The reverse lookups (HPAs of a workload, PDBs covering it...).
    pub fn relations(&self) -> &Relations {
        &self.relations
    }

    /// Objects of `kind` in API `group` in `namespace`, in input order.
    pub fn in_namespace<'a>(
        &'a self,
        namespace: &str,
        group: &str,
        kind: &str,
    ) -> impl Iterator<Item = &'a Object<'s>> + 'a {
        self.by_namespace
            .of_kind(namespace, group, kind)
            .iter()
            .map(|id| self.get(*id))
    }

    /// The workloads (objects that run pods, PodTemplates excepted) in `namespace`, in input
    /// order.
    pub fn workloads_in<'a>(
        &'a self,
        namespace: &str,
    ) -> impl Iterator<Item = &'a Object<'s>> + 'a {
        self.by_namespace
            .workloads(namespace)
            .iter()
            .map(|id| self.get(*id))
    }

    /// The object a `scaleTargetRef`/`targetRef` names in `namespace`: kind and name must match,
    /// and the group too when the reference gives an `apiVersion` (the version is not compared).
    pub fn resolve_target(&self, namespace: &str, target: &TargetRef<'_>) -> Option<&Object<'s>> {
        self.lookups
            .by_name
            .get(target.name)?
            .iter()
            .map(|id| self.get(*id))
            .find(|o| {
                o.kind == target.kind
                    && o.namespace.as_deref() == Some(namespace)
                    && target.group.is_none_or(|g| g == o.group)
            })
    }

    /// Ids related to `id` in one of the relation maps.
    pub fn related(map: &FxHashMap<ObjectId, Vec<ObjectId>>, id: ObjectId) -> &[ObjectId] {
        map.get(&id).map(Vec::as_slice).unwrap_or_default()
    }

    pub fn objects(&self) -> &[Object<'s>] {
        &self.objects
    }

    pub fn get(&self, id: ObjectId) -> &Object<'s> {
        &self.objects[id.0 as usize]
    }

    pub fn into_objects(self) -> Vec<Object<'s>> {
        self.objects
    }

    /// Objects of `kind` in API `group` named `name` in `namespace` (`None` for cluster-scoped).
    /// Usually one; more when the input defines the same object twice.
    pub fn lookup<'a>(
        &'a self,
        namespace: Option<&'a str>,
        group: &'a str,
        kind: &'a str,
        name: &str,
    ) -> impl Iterator<Item = &'a Object<'s>> + 'a {
        self.objects_by(self.lookups.by_name.get(name))
            .filter(move |o| {
                o.kind == kind && o.group == group && o.namespace.as_deref() == namespace
            })
    }

    /// Every object named `name`, in any namespace and of any kind, in input order.
    pub fn named<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Object<'s>> + 'a {
        self.objects_by(self.lookups.by_name.get(name))
    }

    /// Whether a ConfigMap or Secret holds `key` in the fields a reference reads
    /// ([`RefKind::data_fields`]).
    pub fn has_data_key(&self, target: &Object<'s>, kind: RefKind, key: &str) -> bool {
        match self.large_data.get(&target.id) {
            Some((keys, _)) => keys.contains(key),
            None => kind.keys(target).any(|k| k == key),
        }
    }

    /// How many keys a ConfigMap or Secret holds in those fields.
    pub fn data_key_count(&self, target: &Object<'s>, kind: RefKind) -> usize {
        match self.large_data.get(&target.id) {
            Some((_, count)) => *count,
            None => kind.keys(target).count(),
        }
    }

    /// Objects of `kind` in API `group` named `name`, in any namespace, in input order.
    pub fn lookup_any_namespace<'a, 'q>(
        &'a self,
        group: &'q str,
        kind: &'q str,
        name: &str,
    ) -> impl Iterator<Item = &'a Object<'s>> + 'q
    where
        'a: 'q,
    {
        self.objects_by(self.lookups.by_name.get(name))
            .filter(move |o| o.kind == kind && o.group == group)
    }

    /// The first object matching [`Index::lookup`].
    pub fn find(
        &self,
        namespace: Option<&str>,
        group: &str,
        kind: &str,
        name: &str,
    ) -> Option<&Object<'s>> {
        self.lookups
            .by_name
            .get(name)?
            .iter()
            .map(|id| self.get(*id))
            .find(|o| o.kind == kind && o.group == group && o.namespace.as_deref() == namespace)
    }

    /// Every object of a kind (any group), in input order.
    pub fn of_kind<'a>(&'a self, kind: &str) -> impl Iterator<Item = &'a Object<'s>> + 'a {
        self.objects_by(self.lookups.by_kind.get(kind))
    }

    /// Namespaces that hold namespaced objects, sorted.
    pub fn namespaces(&self) -> &[String] {
        &self.lookups.namespaces
    }

    /// Custom resources (objects of API groups Kubernetes does not serve) in a namespace, in
    /// input order.
    pub fn custom_resources_in<'a>(
        &'a self,
        namespace: &str,
    ) -> impl Iterator<Item = &'a Object<'s>> + 'a {
        self.objects_by(self.lookups.custom_by_namespace.get(namespace))
    }

    /// Pod templates (and pods) in a namespace, in input order.
    pub fn pods_in(&self, namespace: &str) -> &[PodEntry] {
        self.lookups
            .pods_by_namespace
            .get(namespace)
            .map(|n| n.pods.as_slice())
            .unwrap_or_default()
    }

    /// Pod templates in `namespace` that `selector` selects, in input order. An empty selector
    /// selects them all.
    pub fn select_pods<'a>(
        &'a self,
        namespace: &str,
        selector: &'a LabelSelector,
    ) -> impl Iterator<Item = &'a Object<'s>> + 'a {
        let in_namespace = self.lookups.pods_by_namespace.get(namespace);
        let pods = in_namespace.map(|n| n.pods.as_slice()).unwrap_or_default();
        // Narrow to the pods carrying one of the selector's `key=value` labels, when it has one.
        let candidates: Option<&[u32]> = selector
            .requirements
            .iter()
            .filter(|r| r.operator == crate::model::selector::Operator::In && r.values.len() == 1)
            .map(|r| {
                in_namespace
                    .and_then(|n| n.by_label.get(&n.label_hash(&r.key, &r.values[0])))
                    .map(Vec::as_slice)
                    .unwrap_or_default()
            })
            .min_by_key(|c| c.len());
        let positions: Box<dyn Iterator<Item = usize> + 'a> = match candidates {
            Some(c) => Box::new(c.iter().map(|&i| i as usize)),
            None => Box::new(0..pods.len()),
        };
        positions
            .map(move |i| &pods[i])
            .filter(move |p| selector.matches(&p.labels))
            .map(|p| self.get(p.object))
    }

    /// Which StatefulSets use which StorageClass.
    pub fn storage(&self) -> &StorageIndex {
        &self.storage
    }

    /// ClusterRole aggregation.
    pub fn rbac(&self) -> &RbacIndex {
        &self.rbac
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::FileId;
    use crate::load::{self, Limits, SourceFile};
    use crate::model::selector::LabelSelector;

    const PODS: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: [{name: web, image: web}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-canary, namespace: shop}
spec:
  selector: {matchLabels: {app: web, track: canary}}
  template:
    metadata: {labels: {app: web, tier: back, track: canary}}
    spec: {containers: [{name: web, image: web}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db, tier: back}}
    spec: {containers: [{name: db, image: db}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: blog}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: back}}
    spec: {containers: [{name: web, image: web}]}
";

    /// Small and large ConfigMaps and Secrets answer alike: a large one from its set of keys,
    /// a small one by a scan, both over the fields of their kind only.
    #[test]
    fn data_keys_are_found_in_the_fields_of_their_kind_whatever_the_size() {
        let mut text = String::new();
        for (kind, size) in [
            ("ConfigMap", 3),
            ("ConfigMap", 40),
            ("Secret", 3),
            ("Secret", 40),
        ] {
            text.push_str(&format!(
                "---\napiVersion: v1\nkind: {kind}\nmetadata: {{name: x{size}}}\ndata:\n"
            ));
            for k in 0..size {
                text.push_str(&format!("  k{k}: dg==\n"));
            }
            text.push_str("binaryData: {bin: dg==}\nstringData: {plain: v}\n");
        }
        let source = SourceFile::in_memory("data.yaml", &text);
        let arena = load::Bump::new();
        let parsed = load::parse_file(FileId(0), &source, &arena, Limits::default());
        let index = Index::build(parsed.objects, &IndexOptions::default());
        assert_eq!(
            index.large_data.len(),
            2,
            "only the two of 40 keys get a set"
        );
        for object in index.objects() {
            let kind = RefKind::of(object).unwrap();
            let size = if object.name == "x3" { 3 } else { 40 };
            let (own, other) = match kind {
                RefKind::ConfigMap => ("bin", "plain"),
                RefKind::Secret => ("plain", "bin"),
            };
            let has = |key: &str| index.has_data_key(object, kind, key);
            assert!(
                has("k0") && has(&format!("k{}", size - 1)) && has(own),
                "{}",
                object.name
            );
            assert!(
                !has(&format!("k{size}")) && !has(other) && !has(""),
                "{}",
                object.name
            );
            assert_eq!(
                index.data_key_count(object, kind),
                size + 1,
                "{}",
                object.name
            );
        }
    }

    /// For each namespace and selector, the names of the pod sources it selects, in order.
    fn selections() -> Vec<Vec<String>> {
        let source = SourceFile::in_memory("pods.yaml", PODS);
        let arena = load::Bump::new();
        let parsed = load::parse_file(FileId(0), &source, &arena, Limits::default());
        let index = Index::build(parsed.objects, &IndexOptions::default());
        let selectors = [
            "matchLabels: {app: web}",
            "matchLabels: {app: web, tier: back}",
            "matchLabels: {tier: back}",
            "matchLabels: {track: canary, app: web}",
            "matchLabels: {app: nope}",
            "matchExpressions: [{key: app, operator: In, values: [web, db]}]",
            "{}",
        ];
        let mut all = Vec::new();
        for namespace in ["shop", "blog", "none"] {
            for text in selectors {
                let selector_arena = load::Bump::new();
                let root = load::yaml::parse_stream(text, &selector_arena, Limits::default())
                    .documents
                    .remove(0)
                    .root
                    .expect("a selector");
                let selector = LabelSelector::parse(&root).expect("a valid selector");
                all.push(
                    index
                        .select_pods(namespace, &selector)
                        .map(|o| format!("{}/{}", o.kind, o.name))
                        .collect(),
                );
            }
        }
        all
    }

    /// Pods are found by the hash of one of their labels; pairs that share a hash share a list,
    /// which must only add candidates that the selector then rejects. With every pair given the
    /// same hash, every selector must still select exactly the same pods in the same order.
    #[test]
    fn pods_are_selected_the_same_when_every_label_hash_collides() {
        let honest = selections();
        assert_eq!(
            honest[..4],
            [
                vec!["Deployment/web".to_string(), "Deployment/web-canary".into()],
                vec!["Deployment/web-canary".to_string()],
                vec!["Deployment/web-canary".to_string(), "StatefulSet/db".into()],
                vec!["Deployment/web-canary".to_string()],
            ]
        );
        assert!(honest[4].is_empty());
        EVERY_LABEL_HASH_COLLIDES.store(true, std::sync::atomic::Ordering::Relaxed);
        let colliding = selections();
        EVERY_LABEL_HASH_COLLIDES.store(false, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(colliding, honest);
    }
}
