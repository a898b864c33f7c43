//! The deterministic manifest generator behind `examples/gen_tree.rs` and the `cargo bench`
//! benchmarks, so the two measure the same kind of tree.
//!
//! Each application is a realistic bundle (Deployment with a full pod spec, Service, HPA,
//! PDB, NetworkPolicy, ConfigMap, ServiceAccount, Ingress, PrometheusRule, StatefulSet) written
//! as one multi-document stream, spread over namespaces; about one object in seven carries a
//! mistake so that rules have findings to report, as on a real tree.
// Each includer uses part of it.
#![allow(dead_code)]

use std::fmt::Write as _;

/// Documents in one [`app`] bundle.
pub const DOCS_PER_APP: usize = 10;

/// Application `i`'s bundle, as text.
pub fn app(i: usize) -> String {
    let ns = format!("team-{}", i % 20);
    let name = format!("svc-{i}");
    let flawed = i.is_multiple_of(7);
    let read_only = if flawed { "false" } else { "true" };
    let tag = if i.is_multiple_of(11) {
        "latest".to_string()
    } else {
        format!("1.{}.{}", i % 9, i % 5)
    };
    let replicas = if flawed { 1 } else { 3 };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: bench
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
        tier: backend
    spec:
      serviceAccountName: {name}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: {name}
      initContainers:
        - name: migrate
          image: registry.example.com/bench/{name}-migrate:{tag}
          command: ["/bin/migrate", "--wait"]
          resources:
            requests: {{cpu: 50m, memory: 64Mi}}
            limits: {{cpu: 200m, memory: 128Mi}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
      containers:
        - name: app
          image: registry.example.com/bench/{name}:{tag}
          args: ["--port=8080", "--metrics-port=9090", "--log-level=info"]
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
          env:
            - name: DATABASE_HOST
              valueFrom:
                configMapKeyRef:
                  name: {name}-config
                  key: database_host
            - name: DATABASE_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {name}-secret
                  key: password
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              cpu: "1"
              memory: 1Gi
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            periodSeconds: 5
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: {read_only}
            capabilities:
              drop: ["ALL"]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {{}}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  selector:
    app.kubernetes.io/name: {name}
  ports:
    - name: http
      port: 80
      targetPort: http
    - name: metrics
      port: 9090
      targetPort: metrics
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
  namespace: {ns}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {name}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: 80
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
  namespace: {ns}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}
  namespace: {ns}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {name}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchExpressions:
              - key: tier
                operator: In
                values: [frontend, backend]
      ports:
        - port: http
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {ns}
data:
  database_host: db.{ns}.svc.cluster.local
  log_level: info
  feature_flags: |
    search=true
    export=false
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
  namespace: {ns}
automountServiceAccountToken: false
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {ns}
spec:
  ingressClassName: nginx
  tls:
    - hosts: [{name}.example.com]
      secretName: {name}-tls
  rules:
    - host: {name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {name}
                port:
                  name: http
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {name}
  namespace: {ns}
spec:
  groups:
    - name: {name}.rules
      rules:
        - alert: {name}Down
          expr: kube_deployment_status_replicas_available{{namespace="{ns}", deployment="{name}"}} == 0
          for: 1m
          labels:
            severity: critical
          annotations:
            summary: "{name} has no available replicas"
            description: "No pod of {name} in {ns} is available."
        - alert: {name}HighLatency
          expr: |
            histogram_quantile(0.95,
              sum by (le) (rate(http_request_duration_seconds_bucket{{namespace="{ns}", service="{name}"}}[5m]))
            ) > 0.5
          for: 5m
          labels:
            severity: warning
          annotations:
            summary: "{name} p95 latency above 500ms"
            description: "p95 latency of {name} has been above 500ms for 5 minutes."
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {name}-cache
  namespace: {ns}
spec:
  serviceName: {name}-cache
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}-cache
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}-cache
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 999
        seccompProfile: {{type: RuntimeDefault}}
      containers:
        - name: redis
          image: redis:7.2.4
          ports:
            - name: redis
              containerPort: 6379
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 512Mi}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {{drop: [ALL]}}
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: fast-ssd
        resources:
          requests:
            storage: 10Gi
"#
    );
    s
}

/// Documents in one [`rbac`] bundle.
pub const RBAC_DOCS_PER_APP: usize = 2;

/// Application `i`'s Role and RoleBinding, for the benchmarks of the RBAC rules. Not part of
/// [`app`], so the trees `gen_tree` writes (and the README's end-to-end figures) stay as they
/// were; about one Role in seven grants `*` verbs.
pub fn rbac(i: usize) -> String {
    let ns = format!("team-{}", i % 20);
    let name = format!("svc-{i}");
    let verbs = if i.is_multiple_of(7) {
        r#"["*"]"#
    } else {
        r#"["get", "list", "watch"]"#
    };
    format!(
        r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {name}
  namespace: {ns}
rules:
  - apiGroups: [""]
    resources: ["configmaps", "endpoints"]
    verbs: {verbs}
  - apiGroups: ["apps"]
    resources: ["deployments"]
    resourceNames: ["{name}"]
    verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {name}
  namespace: {ns}
subjects:
  - kind: ServiceAccount
    name: {name}
    namespace: {ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {name}
"#
    )
}
