//! CustomResourceDefinitions, from the input and from `--crd` files, and validation of custom
//! resources against the `openAPIV3Schema` of the version they use. The OpenAPI v3 schema of a
//! CRD is converted to a JSON Schema the validator understands: `nullable`,
//! `x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields` and
//! `x-kubernetes-embedded-resource` are honoured, a required field with a `default` is not
//! required (the API server defaults it before validating), and unknown fields are refused
//! where the API server would prune them.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde_json::{Map, Value, json};

use crate::model::kinds;
use crate::model::schema::{self, SchemaError};
use crate::model::{Object, ObjectId};

/// Where a CRD was read.
#[derive(Clone, Debug)]
pub enum CrdSource {
    /// An object of the input.
    Input(ObjectId),
    /// A file given with `--crd`.
    File(String),
}

#[derive(Debug)]
pub struct Crd {
    /// `metadata.name`: `<plural>.<group>`.
    pub name: String,
    pub group: String,
    pub kind: String,
    pub source: CrdSource,
    versions: Vec<CrdVersion>,
}

struct CrdVersion {
    name: String,
    served: bool,
    /// The converted schema; `None` when the version declares none.
    schema: Option<Value>,
    validator: OnceLock<Option<jsonschema::Validator>>,
}

impl std::fmt::Debug for CrdVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrdVersion")
            .field("name", &self.name)
            .field("served", &self.served)
            .finish_non_exhaustive()
    }
}

/// What validating a custom resource found.
pub enum CrdCheck {
    /// The CRD does not define or serve the version the object uses.
    VersionNotServed {
        served: Vec<String>,
    },
    /// The version has no schema: nothing to check.
    NoSchema,
    Errors(Vec<SchemaError>),
}

/// Every CRD known to a run, by (group, kind).
#[derive(Debug, Default)]
pub struct CrdCatalog {
    crds: Vec<Crd>,
    by_kind: FxHashMap<(String, String), usize>,
}

impl CrdCatalog {
    /// CRDs of the input first (their versions win over those of `--crd` files defining the
    /// same kind), then the extra ones: (source file, CRD object as JSON).
    pub fn build(objects: &[Object<'_>], extra: &[(String, Value)]) -> Self {
        let mut catalog = CrdCatalog::default();
        for o in objects {
            if o.kind == "CustomResourceDefinition" && o.group == "apiextensions.k8s.io" {
                catalog.add(&schema::to_json(&o.root), CrdSource::Input(o.id));
            }
        }
        for (file, crd) in extra {
            catalog.add(crd, CrdSource::File(file.clone()));
        }
        catalog
    }

    fn add(&mut self, crd: &Value, source: CrdSource) {
        let spec = &crd["spec"];
        let (Some(group), Some(kind)) = (spec["group"].as_str(), spec["names"]["kind"].as_str())
        else {
            return;
        };
        let key = (group.to_string(), kind.to_string());
        // apiextensions.k8s.io/v1beta1 CRDs could declare one schema for all versions.
        let shared = spec["validation"]["openAPIV3Schema"]
            .as_object()
            .map(|_| convert_root(&spec["validation"]["openAPIV3Schema"]));
        let mut versions = Vec::new();
        if let Some(list) = spec["versions"].as_array() {
            for v in list {
                let Some(name) = v["name"].as_str() else {
                    continue;
                };
                let schema = v["schema"]["openAPIV3Schema"]
                    .as_object()
                    .map(|_| convert_root(&v["schema"]["openAPIV3Schema"]))
                    .or_else(|| shared.clone());
                versions.push(CrdVersion {
                    name: name.to_string(),
                    served: v["served"].as_bool().unwrap_or(true),
                    schema,
                    validator: OnceLock::new(),
                });
            }
        } else if let Some(name) = spec["version"].as_str() {
            versions.push(CrdVersion {
                name: name.to_string(),
                served: true,
                schema: shared,
                validator: OnceLock::new(),
            });
        }
        // A kind defined twice (a CRD and its newer revision in another file): the versions
        // of the first definition win, the others are added.
        if let Some(&i) = self.by_kind.get(&key) {
            let existing = &mut self.crds[i].versions;
            for v in versions {
                if !existing.iter().any(|e| e.name == v.name) {
                    existing.push(v);
                }
            }
            return;
        }
        self.by_kind.insert(key, self.crds.len());
        self.crds.push(Crd {
            name: crd["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            group: group.to_string(),
            kind: kind.to_string(),
            source,
            versions,
        });
    }

    /// The CRD that defines `kind` in `group`.
    pub fn find(&self, group: &str, kind: &str) -> Option<&Crd> {
        self.by_kind
            .get(&(group.to_string(), kind.to_string()))
            .map(|&i| &self.crds[i])
    }

    pub fn is_empty(&self) -> bool {
        self.crds.is_empty()
    }
}

/// Whether an object is a custom resource: its API group is not one Kubernetes serves.
pub fn is_custom_resource(object: &Object<'_>) -> bool {
    !object.group.is_empty() && !kinds::is_builtin_group(object.group)
}

impl Crd {
    /// Validates a custom resource of this CRD.
    pub fn check(&self, object: &Object<'_>) -> CrdCheck {
        let version = object
            .api_version
            .rsplit_once('/')
            .map_or(object.api_version, |(_, v)| v);
        let Some(v) = self.versions.iter().find(|v| v.name == version && v.served) else {
            return CrdCheck::VersionNotServed {
                served: self
                    .versions
                    .iter()
                    .filter(|v| v.served)
                    .map(|v| v.name.clone())
                    .collect(),
            };
        };
        let Some(schema_root) = &v.schema else {
            return CrdCheck::NoSchema;
        };
        let validator = v.validator.get_or_init(|| {
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(false)
                .build(schema_root)
                .ok()
        });
        let Some(validator) = validator else {
            return CrdCheck::NoSchema;
        };
        let instance = schema::to_json(&object.root);
        CrdCheck::Errors(schema::collect_errors(validator, &instance, |path| {
            schema::walk_schema(schema_root, path, |s| s)
        }))
    }
}

/// The object's schema: `apiVersion`, `kind` and `metadata` are always allowed (the API server
/// validates metadata itself).
fn convert_root(schema: &Value) -> Value {
    let mut root = convert(schema);
    if let Some(obj) = root.as_object_mut() {
        let props = obj
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(props) = props.as_object_mut() {
            props.insert("apiVersion".into(), json!({"type": "string"}));
            props.insert("kind".into(), json!({"type": "string"}));
            props.insert("metadata".into(), json!({"type": "object"}));
        }
        if !obj.contains_key("additionalProperties")
            && schema["x-kubernetes-preserve-unknown-fields"] != Value::Bool(true)
        {
            obj.insert("additionalProperties".into(), Value::Bool(false));
        }
    }
    root
}

/// Converts one OpenAPI v3 (structural) schema node to JSON Schema 2020-12.
fn convert(schema: &Value) -> Value {
    let Some(obj) = schema.as_object() else {
        return schema.clone();
    };
    let flag = |k: &str| obj.get(k) == Some(&Value::Bool(true));
    let preserve = flag("x-kubernetes-preserve-unknown-fields");
    let embedded = flag("x-kubernetes-embedded-resource");
    let mut out = Map::new();
    for (k, v) in obj {
        match k.as_str() {
            "properties" => {
                let props = v
                    .as_object()
                    .map(|p| {
                        p.iter()
                            .map(|(name, sub)| (name.clone(), convert(sub)))
                            .collect()
                    })
                    .unwrap_or_default();
                out.insert(k.clone(), Value::Object(props));
            }
            "items" | "not" => {
                out.insert(k.clone(), convert(v));
            }
            "additionalProperties" => {
                out.insert(
                    k.clone(),
                    if v.is_boolean() {
                        v.clone()
                    } else {
                        convert(v)
                    },
                );
            }
            "allOf" | "anyOf" | "oneOf" => {
                let list = v
                    .as_array()
                    .map(|a| a.iter().map(convert).collect())
                    .unwrap_or_default();
                out.insert(k.clone(), Value::Array(list));
            }
            "type" | "enum" | "pattern" | "minimum" | "maximum" | "minLength" | "maxLength"
            | "minItems" | "maxItems" | "uniqueItems" | "multipleOf" | "minProperties"
            | "maxProperties" => {
                out.insert(k.clone(), v.clone());
            }
            "required" => {
                // The API server applies defaults before validating: a defaulted field is
                // never missing.
                let props = obj.get("properties");
                let list: Vec<Value> = v
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter(|name| {
                                name.as_str()
                                    .and_then(|n| props.and_then(|p| p.get(n)))
                                    .is_none_or(|p| p.get("default").is_none())
                            })
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                out.insert(k.clone(), Value::Array(list));
            }
            _ => {}
        }
    }
    // OpenAPI 3.0's boolean exclusive bounds are JSON Schema's numeric ones.
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if flag(exclusive)
            && let Some(b) = out.remove(bound)
        {
            out.insert(exclusive.into(), b);
        }
    }
    if flag("x-kubernetes-int-or-string") {
        out.remove("anyOf");
        out.remove("oneOf");
        out.insert("type".into(), json!(["integer", "string"]));
    }
    if flag("nullable") {
        match out.get("type").cloned() {
            Some(Value::String(t)) => {
                out.insert("type".into(), json!([t, "null"]));
            }
            Some(Value::Array(mut a)) => {
                a.push(json!("null"));
                out.insert("type".into(), Value::Array(a));
            }
            _ => {}
        }
        if let Some(Value::Array(e)) = out.get_mut("enum") {
            e.push(Value::Null);
        }
    }
    if embedded && let Some(Value::Object(props)) = out.get_mut("properties") {
        for field in ["apiVersion", "kind", "metadata"] {
            props.entry(field).or_insert_with(|| json!({}));
        }
    }
    // Unknown fields are pruned by the API server, so they never take effect: refuse them,
    // unless the schema keeps them.
    if out.contains_key("properties") && !out.contains_key("additionalProperties") && !preserve {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_kubernetes_extensions() {
        let s = convert(&json!({
            "type": "object",
            "required": ["port", "mode"],
            "properties": {
                "port": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                "mode": {"type": "string", "default": "auto", "enum": ["auto", "off"], "nullable": true},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"a": {"type": "string"}}},
                "n": {"type": "integer", "minimum": 0, "exclusiveMinimum": true}
            }
        }));
        assert_eq!(s["required"], json!(["port"]));
        assert_eq!(
            s["properties"]["port"],
            json!({"type": ["integer", "string"]})
        );
        assert_eq!(s["properties"]["mode"]["type"], json!(["string", "null"]));
        assert_eq!(
            s["properties"]["mode"]["enum"],
            json!(["auto", "off", null])
        );
        assert_eq!(s["additionalProperties"], json!(false));
        assert!(
            s["properties"]["extra"]
                .get("additionalProperties")
                .is_none()
        );
        assert_eq!(s["properties"]["n"]["exclusiveMinimum"], json!(0));
    }
}
