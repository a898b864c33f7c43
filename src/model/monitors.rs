//! ServiceMonitors and PodMonitors (Prometheus operator, `monitoring.coreos.com`) wired to what
//! they scrape: the Services and pods they select, honouring `namespaceSelector`, and the `job`
//! and `service` labels the scraped series carry, honouring `jobLabel`.

use rustc_hash::FxHashMap;

use crate::load::tree::{Node, Span};
use crate::model::selector::LabelSelector;
use crate::model::{Index, Object, ObjectId};

pub const MONITORING_GROUP: &str = "monitoring.coreos.com";

/// Kinds that tell Prometheus what to scrape.
pub const MONITOR_KINDS: &[&str] = &["ServiceMonitor", "PodMonitor"];

/// An endpoint of a monitor that names a port: `endpoints[].port` of a ServiceMonitor (a Service
/// port name), `podMetricsEndpoints[].port` of a PodMonitor (a container port name).
#[derive(Clone, Debug)]
pub struct EndpointPort {
    pub name: String,
    pub span: Span,
}

/// One ServiceMonitor or PodMonitor and what it selects.
#[derive(Clone, Debug)]
pub struct Monitor {
    pub object: ObjectId,
    pub pod_monitor: bool,
    /// The namespaces it looks in: its own by default, `matchNames`, or every namespace of the
    /// input for `any: true`.
    pub namespaces: Vec<String>,
    /// Whether it selects the API server's built-in `default/kubernetes` Service.
    pub selects_builtin: bool,
    /// Whether `namespaceSelector` says `any: true`.
    pub any_namespace: bool,
    /// Whether the input defines Services (ServiceMonitor) or pod-bearing objects (PodMonitor)
    /// in one of its namespaces: if not, what it scrapes is deployed elsewhere and it cannot be
    /// judged.
    pub judged: bool,
    /// Services (ServiceMonitor) or pod-bearing objects (PodMonitor) it selects.
    pub selected: Vec<ObjectId>,
    /// Pod-bearing objects whose pods are scraped.
    pub workloads: Vec<ObjectId>,
    pub ports: Vec<EndpointPort>,
    /// Port names the selected Services (or the selected pods' containers) have.
    pub available_ports: Vec<String>,
    /// The `selector:` key (or the `spec:` key when there is none), for findings.
    pub selector_span: Span,
}

/// Every monitor of the input, and per workload the monitors scraping it and the labels its
/// series get.
#[derive(Debug, Default)]
pub struct Monitors {
    pub list: Vec<Monitor>,
    by_object: FxHashMap<ObjectId, usize>,
    monitors_of: FxHashMap<ObjectId, Vec<usize>>,
    jobs_of: FxHashMap<ObjectId, Vec<String>>,
    services_of: FxHashMap<ObjectId, Vec<String>>,
    /// Every `job` some monitor gives its series, sorted: the jobs of the targets in the input,
    /// and, for a ServiceMonitor whose `jobLabel` is one of its selector's `matchLabels`, the
    /// value that label must have (the Services may be deployed elsewhere: the kubelet's).
    all_jobs: Vec<String>,
}

impl Monitors {
    pub fn build(index: &Index<'_>) -> Self {
        let mut m = Monitors::default();
        let objects = MONITOR_KINDS
            .iter()
            .flat_map(|k| index.of_kind(k))
            .filter(|o| o.group == MONITORING_GROUP);
        for object in objects {
            let Some(monitor) = m.read(index, object) else {
                continue;
            };
            let i = m.list.len();
            m.by_object.insert(object.id, i);
            for w in &monitor.workloads {
                let list = m.monitors_of.entry(*w).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
            m.list.push(monitor);
        }
        for list in m.jobs_of.values_mut().chain(m.services_of.values_mut()) {
            list.sort();
            list.dedup();
        }
        let mut all: Vec<String> = m.jobs_of.values().flatten().cloned().collect();
        all.append(&mut m.all_jobs);
        all.sort();
        all.dedup();
        m.all_jobs = all;
        m
    }

    fn read(&mut self, index: &Index<'_>, object: &Object<'_>) -> Option<Monitor> {
        let own = object.namespace.as_deref()?;
        let spec = object.spec()?;
        let pod_monitor = object.kind == "PodMonitor";
        let ns_selector = spec.get("namespaceSelector");
        let any_namespace = ns_selector
            .and_then(|n| n.get("any"))
            .and_then(Node::as_bool)
            == Some(true);
        let namespaces: Vec<String> = if any_namespace {
            index.namespaces().to_vec()
        } else if let Some(names) = ns_selector.and_then(|n| n.get("matchNames")) {
            names
                .items()
                .iter()
                .filter_map(|n| n.scalar_text().map(str::to_string))
                .collect()
        } else {
            vec![own.to_string()]
        };
        let selector_node = spec.get("selector").filter(|n| !n.is_null());
        // The operator requires a selector; an empty one selects everything in the namespaces.
        let selector = match selector_node {
            Some(n) => LabelSelector::parse(n).ok()?,
            None => LabelSelector::default(),
        };
        let selector_span = spec
            .entry("selector")
            .or_else(|| object.root.entry("spec"))
            .map(|e| e.key.span())
            .unwrap_or(object.root.span());
        let job_label = spec.get("jobLabel").and_then(Node::as_str);
        if let Some(l) = job_label
            && let Some(v) = selector_node
                .and_then(|n| n.path(&["matchLabels", l]))
                .and_then(Node::scalar_text)
        {
            self.all_jobs.push(v.to_string());
        }
        let ports_key = if pod_monitor {
            "podMetricsEndpoints"
        } else {
            "endpoints"
        };
        let ports = spec
            .get(ports_key)
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| {
                let n = e.get("port")?;
                Some(EndpointPort {
                    name: n.scalar_text()?.to_string(),
                    span: n.span(),
                })
            })
            .collect();
        let mut selected = Vec::new();
        let mut workloads = Vec::new();
        let mut available_ports = Vec::new();
        if pod_monitor {
            let default_job = format!("{own}/{}", object.name);
            self.all_jobs.push(default_job.clone());
            for ns in &namespaces {
                for pod in index.select_pods(ns, &selector) {
                    selected.push(pod.id);
                    workloads.push(pod.id);
                    let template = crate::model::pod::PodTemplate::of(pod);
                    if let Some(t) = template {
                        for c in t.containers() {
                            for p in c.node.get("ports").map(Node::items).unwrap_or_default() {
                                if let Some(name) = p.get("name").and_then(Node::scalar_text) {
                                    available_ports.push(name.to_string());
                                }
                            }
                        }
                    }
                    let job = job_label
                        .and_then(|l| {
                            template
                                .map(|t| t.labels())
                                .and_then(|ls| ls.get(l).map(str::to_string))
                        })
                        .unwrap_or_else(|| default_job.clone());
                    self.jobs_of.entry(pod.id).or_default().push(job);
                }
            }
        } else {
            for service in index.of_kind("Service").filter(|s| {
                s.group.is_empty()
                    && s.namespace
                        .as_deref()
                        .is_some_and(|ns| namespaces.iter().any(|n| n == ns))
                    && selector.matches(&s.labels)
            }) {
                selected.push(service.id);
                for p in service
                    .root
                    .path(&["spec", "ports"])
                    .map(Node::items)
                    .unwrap_or_default()
                {
                    if let Some(name) = p.get("name").and_then(Node::scalar_text) {
                        available_ports.push(name.to_string());
                    }
                }
                let job = job_label
                    .and_then(|l| service.labels.get(l))
                    .unwrap_or(&service.name)
                    .to_string();
                // Known even when the pods behind the Service are not in the input (the
                // operator's Prometheus StatefulSet).
                self.all_jobs.push(job.clone());
                for w in Index::related(&index.relations().service_pods, service.id) {
                    workloads.push(*w);
                    self.jobs_of.entry(*w).or_default().push(job.clone());
                    self.services_of
                        .entry(*w)
                        .or_default()
                        .push(service.name.to_string());
                }
            }
        }
        // The API server's own Service, `default/kubernetes`, exists in every cluster without
        // being in any input.
        let mut selects_builtin = false;
        if !pod_monitor
            && selected.is_empty()
            && namespaces.iter().any(|n| n == "default")
            && selector.matches(&crate::model::Labels::from_pairs([
                ("component", "apiserver"),
                ("provider", "kubernetes"),
            ]))
        {
            selects_builtin = true;
            available_ports.push("https".to_string());
            let job = job_label
                .map(|l| {
                    if l == "component" {
                        "apiserver"
                    } else {
                        "kubernetes"
                    }
                })
                .unwrap_or("kubernetes");
            self.all_jobs.push(job.to_string());
        }
        workloads.sort();
        workloads.dedup();
        available_ports.sort();
        available_ports.dedup();
        let judged = namespaces.iter().any(|ns| {
            if pod_monitor {
                !index.pods_in(ns).is_empty()
            } else {
                index
                    .of_kind("Service")
                    .any(|s| s.group.is_empty() && s.namespace.as_deref() == Some(ns))
            }
        });
        Some(Monitor {
            object: object.id,
            pod_monitor,
            selects_builtin,
            any_namespace,
            judged,
            namespaces,
            selected,
            workloads,
            ports,
            available_ports,
            selector_span,
        })
    }

    /// The monitor read from `object`, if it is one.
    pub fn of_object(&self, object: ObjectId) -> Option<&Monitor> {
        self.by_object.get(&object).map(|&i| &self.list[i])
    }

    /// Monitors scraping the pods of a workload.
    pub fn monitors_of(&self, workload: ObjectId) -> impl Iterator<Item = &Monitor> {
        self.monitors_of
            .get(&workload)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|&i| &self.list[i])
    }

    /// The `job` labels of a workload's scraped series.
    pub fn jobs_of(&self, workload: ObjectId) -> &[String] {
        self.jobs_of
            .get(&workload)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The `service` labels of a workload's scraped series (ServiceMonitor targets only).
    pub fn services_of(&self, workload: ObjectId) -> &[String] {
        self.services_of
            .get(&workload)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Every `job` label the monitors of the input produce, sorted.
    pub fn all_jobs(&self) -> &[String] {
        &self.all_jobs
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}
