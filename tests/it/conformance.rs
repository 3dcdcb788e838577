//! Conformance of the client and the stand-in to Sendcloud's official OpenAPI specs
//! (`spec/sendcloud/openapi-v2.json` and `openapi-v3.json`, OpenAPI 3.0.3; and the verbatim
//! v3 files `spec/sendcloud/v3/shipments.yml`, `returns.yml`, `parcel-documents.yml` and
//! `integrations.yml`, OpenAPI 3.1 YAML, read with
//! `serde_yaml_ng`: a `/api/v3` exchange is checked against the YAML file that has its path,
//! else against `openapi-v3.json`).
//!
//! A capturing proxy sits between the real client and a spawned stand-in. A scenario drives
//! the client through the main endpoints; afterwards (a) every JSON request body the client
//! sent and (b) every JSON response body the stand-in returned is validated against the
//! schema the spec gives for that operation and status. The result is printed per endpoint
//! (`cargo test --test it conformance -- --nocapture`).
//!
//! OpenAPI 3.0 schemas are turned into JSON Schema 2020-12 before validation:
//! - `nullable: true` becomes a `type` union with `"null"` (plus `null` in an `enum`), or
//!   `anyOf: [schema, {type: null}]` where there is no `type` (`$ref`, `allOf`, ...);
//! - `readOnly` properties are not required in requests, `writeOnly` ones not in responses;
//! - annotations that are not JSON Schema (`example`, `discriminator`, `x-*`, ...) are dropped;
//! - alternatives of a `oneOf`/`anyOf` that declare `properties` but no `required` (e.g. the
//!   single/batch bodies of `POST /parcels`) must contain at least one of their properties;
//!   otherwise every object would match every alternative and nothing would be checked;
//! - `format` is asserted (date-time, date, email, uri, uuid, ...).
//!
//! Where the official spec itself is wrong or inconsistent, the exact endpoint, direction and
//! instance path are allow-listed in [`ALLOWED`] with the reason; they are reported, not failed.
//! The spec files are read from the repository's `spec/sendcloud/` (copies; see its README), or
//! from `SENDCLOUD_OPENAPI_DIR`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use futures_util::TryStreamExt;
use serde_json::{json, Map, Value};

use sendcloud_plugin::sendcloud::orders_v3::{Order, OrderFilter};
use sendcloud_plugin::sendcloud::parcels::{NewParcel, ParcelFilter, ParcelItem, ShipmentRef};
use sendcloud_plugin::sendcloud::service_points::ServicePointFilter;
use sendcloud_plugin::sendcloud::shipments_v3 as v3s;
use sendcloud_plugin::sendcloud::shipping_methods::{SenderAddressFilter, ShippingMethodFilter};
use sendcloud_plugin::sendcloud::shipping_options::{
    FilterParcel, FilterWeight, ShippingOptionFilter,
};
use sendcloud_plugin::sendcloud::IntegrationUpdate;
use sendcloud_plugin::sendcloud::{ReturnFilter, Shipment, ShipmentFilter};
use sendcloud_standin::{spawn, AccountKeys, SeedSpec, StandinConfig, StandinHandle};

use crate::client_standin::{announced_parcel, client_at, new_parcel};

// ------------------------------------------------------------------ spec handling

fn spec_dir() -> std::path::PathBuf {
    match std::env::var("SENDCLOUD_OPENAPI_DIR") {
        Ok(d) if !d.is_empty() => d.into(),
        _ => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/sendcloud"),
    }
}

fn load_spec(version: &str) -> Value {
    let path = spec_dir().join(format!("openapi-{version}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "OpenAPI spec {} not readable ({e}); set SENDCLOUD_OPENAPI_DIR",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("spec is JSON")
}

/// A verbatim v3 spec file (`spec/sendcloud/v3/{file}.yml`) as JSON.
fn load_yaml_spec(file: &str) -> Value {
    let path = spec_dir().join("v3").join(format!("{file}.yml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("v3 spec {} not readable ({e})", path.display()));
    serde_yaml_ng::from_str(&text).expect("spec is YAML")
}

/// The v3 YAML specs the conformance test reads.
const V3_YAML: [&str; 4] = ["shipments", "returns", "parcel-documents", "integrations"];

/// Which side of the exchange a schema is used for (decides readOnly/writeOnly handling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Direction {
    Request,
    Response,
}

const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "$defs", "definitions"];
const SCHEMA_ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
];
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
const DROPPED: &[&str] = &[
    "example",
    "examples",
    "discriminator",
    "xml",
    "externalDocs",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
];

fn flag(s: &Value, key: &str) -> bool {
    s.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Converts one OpenAPI 3.0 schema object to JSON Schema 2020-12 (see the module docs).
fn convert(schema: &Value, dir: Direction) -> Value {
    let Some(obj) = schema.as_object() else {
        return schema.clone();
    };
    if let Some(merged) = merge_shape_union(obj) {
        return convert(&merged, dir);
    }
    let mut out = Map::new();
    for (k, v) in obj {
        if DROPPED.contains(&k.as_str()) || k.starts_with("x-") {
            continue;
        }
        let nv = if SCHEMA_MAPS.contains(&k.as_str()) {
            match v.as_object() {
                Some(m) => Value::Object(
                    m.iter()
                        .map(|(name, s)| (name.clone(), convert(s, dir)))
                        .collect(),
                ),
                None => v.clone(),
            }
        } else if SCHEMA_ONE.contains(&k.as_str()) {
            convert(v, dir)
        } else if SCHEMA_LISTS.contains(&k.as_str()) {
            match v.as_array() {
                Some(list) => {
                    let disjoint = k == "oneOf" || k == "anyOf";
                    Value::Array(
                        list.iter()
                            .map(|alt| {
                                let mut c = convert(alt, dir);
                                if disjoint {
                                    require_some_property(alt, &mut c);
                                }
                                c
                            })
                            .collect(),
                    )
                }
                None => v.clone(),
            }
        } else if k == "required" {
            let props = obj.get("properties").and_then(Value::as_object);
            let skip = |name: &str| {
                props.and_then(|p| p.get(name)).is_some_and(|p| match dir {
                    Direction::Request => flag(p, "readOnly"),
                    Direction::Response => flag(p, "writeOnly"),
                })
            };
            Value::Array(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .filter(|n| !n.as_str().is_some_and(skip))
                    .cloned()
                    .collect(),
            )
        } else if (k == "exclusiveMinimum" || k == "exclusiveMaximum") && v.is_boolean() {
            // OpenAPI 3.0 / draft 4 booleans: turn into the 2020-12 numeric form.
            let bound = if k == "exclusiveMinimum" {
                "minimum"
            } else {
                "maximum"
            };
            match (v.as_bool(), obj.get(bound)) {
                (Some(true), Some(b)) => b.clone(),
                _ => continue,
            }
        } else {
            v.clone()
        };
        out.insert(k.clone(), nv);
    }
    // A boolean exclusive bound replaces the inclusive one.
    for (ex, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if obj.get(ex) == Some(&Value::Bool(true)) {
            out.remove(bound);
        }
    }
    if flag(schema, "nullable") {
        if let Some(Value::Array(e)) = out.get_mut("enum") {
            if !e.contains(&Value::Null) {
                e.push(Value::Null);
            }
        }
        match out.get("type").cloned() {
            Some(Value::String(t)) => {
                out.insert("type".into(), json!([t, "null"]));
            }
            Some(Value::Array(mut ts)) => {
                if !ts.contains(&json!("null")) {
                    ts.push(json!("null"));
                }
                out.insert("type".into(), Value::Array(ts));
            }
            _ => return json!({"anyOf": [Value::Object(out), {"type": "null"}]}),
        }
    }
    Value::Object(out)
}

/// A `oneOf`/`anyOf` whose alternatives are all objects with disjoint `properties` and no
/// `required` (the single/batch/failed bodies of `POST /parcels`) is a union of shapes: merge
/// it into one object schema that must hold at least one of the keys. Unlike `oneOf`, this
/// accepts the documented combination `{"parcels": [...], "failed_parcels": [...]}` of a
/// verbose create, and reports a wrong field at its own path instead of at the root.
fn merge_shape_union(obj: &Map<String, Value>) -> Option<Value> {
    let key = ["oneOf", "anyOf"]
        .into_iter()
        .find(|k| obj.contains_key(*k))?;
    let alts = obj[key].as_array()?;
    if alts.len() < 2 {
        return None;
    }
    let mut props = Map::new();
    for alt in alts {
        let alt = alt.as_object()?;
        if alt.contains_key("required") || alt.get("type").is_some_and(|t| t != "object") {
            return None;
        }
        for (name, schema) in alt.get("properties")?.as_object()? {
            if props.insert(name.clone(), schema.clone()).is_some() {
                return None;
            }
        }
    }
    let mut merged = obj.clone();
    merged.remove(key);
    merged.insert("type".into(), json!("object"));
    let any: Vec<Value> = props.keys().map(|p| json!({"required": [p]})).collect();
    merged.insert("properties".into(), Value::Object(props));
    merged.insert("anyOf".into(), Value::Array(any));
    Some(Value::Object(merged))
}

/// See the module docs: an alternative with properties but no `required` must contain at
/// least one of its properties.
fn require_some_property(original: &Value, converted: &mut Value) {
    let Some(props) = original.get("properties").and_then(Value::as_object) else {
        return;
    };
    if original.get("required").is_some() || props.is_empty() {
        return;
    }
    let any: Vec<Value> = props.keys().map(|p| json!({"required": [p]})).collect();
    if let Some(o) = converted.as_object_mut() {
        o.insert("minProperties".into(), json!(1));
        let mut all = o
            .remove("allOf")
            .and_then(|a| a.as_array().cloned())
            .unwrap_or_default();
        all.push(json!({"anyOf": any}));
        o.insert("allOf".into(), Value::Array(all));
    }
}

/// One spec with its components converted for both directions.
struct Spec {
    name: &'static str,
    raw: Value,
    components: BTreeMap<Direction, Value>,
}

impl Spec {
    fn load(name: &'static str) -> Spec {
        Spec::from_raw(name, load_spec(name))
    }

    fn load_yaml(name: &'static str) -> Spec {
        Spec::from_raw(name, load_yaml_spec(name))
    }

    fn from_raw(name: &'static str, raw: Value) -> Spec {
        let mut components = BTreeMap::new();
        for dir in [Direction::Request, Direction::Response] {
            let mut c = Map::new();
            if let Some(all) = raw["components"].as_object() {
                for (kind, entries) in all {
                    if kind == "schemas" {
                        let converted: Map<String, Value> = entries
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(n, s)| (n.clone(), convert(s, dir)))
                            .collect();
                        c.insert(kind.clone(), Value::Object(converted));
                    }
                }
            }
            components.insert(dir, Value::Object(c));
        }
        Spec {
            name,
            raw,
            components,
        }
    }

    /// Follows a local `#/...` reference in the raw spec.
    fn deref<'a>(&'a self, v: &'a Value) -> &'a Value {
        let mut v = v;
        for _ in 0..8 {
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) if r.starts_with("#/") => {
                    v = self.raw.pointer(&r[1..]).unwrap_or(&Value::Null);
                }
                _ => break,
            }
        }
        v
    }

    /// The spec path template matching a concrete path (literal segments win over params).
    fn template(&self, path: &str) -> Option<String> {
        let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut best: Option<(usize, &String)> = None;
        for t in self.raw["paths"].as_object()?.keys() {
            let tsegs: Vec<&str> = t.trim_end_matches('/').split('/').collect();
            if tsegs.len() != segs.len() {
                continue;
            }
            let mut literal = 0;
            let matches = tsegs.iter().zip(&segs).all(|(a, b)| {
                if a.starts_with('{') {
                    true
                } else {
                    literal += 1;
                    a == b
                }
            });
            if matches && best.is_none_or(|(l, _)| literal > l) {
                best = Some((literal, t));
            }
        }
        best.map(|(_, t)| t.clone())
    }

    fn operation(&self, method: &str, template: &str) -> Option<&Value> {
        self.raw["paths"][template]
            .get(method.to_ascii_lowercase())
            .filter(|o| o.is_object())
    }

    fn json_schema_of(&self, content: &Value) -> Option<Value> {
        let content = content.as_object()?;
        let media = content
            .iter()
            .find(|(k, _)| k.contains("json"))
            .map(|(_, v)| v)?;
        media.get("schema").cloned()
    }

    fn request_schema(&self, op: &Value) -> Option<Value> {
        let body = self.deref(op.get("requestBody")?);
        self.json_schema_of(body.get("content")?)
    }

    /// `Ok(None)`: the spec documents the status without a JSON body. `Err`: status undocumented.
    fn response_schema(&self, op: &Value, status: u16) -> Result<Option<Value>, String> {
        let responses = op.get("responses").and_then(Value::as_object);
        let Some(responses) = responses else {
            return Err("operation has no responses".into());
        };
        let resp = responses
            .get(&status.to_string())
            .or_else(|| responses.get(&format!("{}XX", status / 100)))
            .or_else(|| responses.get("default"));
        let Some(resp) = resp else {
            return Err(format!(
                "status {status} is not documented (documented: {})",
                responses.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        };
        let resp = self.deref(resp);
        Ok(resp.get("content").and_then(|c| self.json_schema_of(c)))
    }

    /// Validates `instance` against `schema` (raw OpenAPI); returns `(instance path, message)`.
    fn validate(&self, schema: &Value, dir: Direction, instance: &Value) -> Vec<(String, String)> {
        let mut root = match convert(schema, dir) {
            Value::Object(m) => m,
            other => {
                let mut m = Map::new();
                m.insert("allOf".into(), json!([other]));
                m
            }
        };
        root.insert("components".into(), self.components[&dir].clone());
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&Value::Object(root))
            .unwrap_or_else(|e| panic!("{}: schema does not compile: {e}", self.name));
        validator
            .iter_errors(instance)
            .map(|e| {
                let msg = generic_message(&e.to_string());
                (e.instance_path().to_string(), short(&msg))
            })
            .collect()
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 160 {
        format!("{}…", s.chars().take(160).collect::<String>())
    } else {
        s.to_string()
    }
}

// -------------------------------------------------------------------- allow-list

/// A place where the official spec is wrong or inconsistent, so that a correct body cannot
/// satisfy it. Only errors at exactly these (normalized) instance paths whose message contains
/// `message` are allowed; any other problem at the same place still fails.
struct Allow {
    spec: &'static str,
    /// `METHOD /template` of the spec.
    endpoints: &'static [&'static str],
    dir: Direction,
    /// Response status (`None` for requests or any status).
    status: Option<u16>,
    /// Exact instance paths, array indices written as `*`; `""` is the root or the status.
    paths: Vec<String>,
    message: &'static str,
    why: &'static str,
    /// Set when the entry allowed something; unused entries fail the test (stale list).
    used: std::cell::Cell<bool>,
}

/// Parcel fields that the spec types without `nullable` although Sendcloud sends `null` when
/// there is no value (API-NOTES §2.14 "expect nullable and absent fields everywhere";
/// unannounced parcels have `label: null`, Webador/sendcloud#4).
const PARCEL_NULLS: &[&str] = &[
    "carrier",
    "customs_information",
    "date_announced",
    "label",
    "shipment",
    "shipment_uuid",
    "to_service_point",
    "to_state",
    "total_order_value",
    "total_order_value_currency",
    "tracking_url",
];

const RETURN_NULLS: &[&str] = &[
    "delivered_at",
    "incoming_parcel",
    "incoming_parcel_data",
    "outgoing_parcel_data",
    "outgoing_parcel_data/tracking_url",
    "incoming_parcel_data/tracking_url",
    "refund/refunded_at",
    "store_location",
];

const NULL_WHY: &str = "the spec omits `nullable`, but Sendcloud answers null for an absent value \
                        (API-NOTES §2.14; label null on unannounced parcels, Webador/sendcloud#4)";

fn paths(prefixes: &[&str], fields: &[&str]) -> Vec<String> {
    prefixes
        .iter()
        .flat_map(|p| fields.iter().map(move |f| format!("{p}/{f}")))
        .collect()
}

fn allow_list() -> Vec<Allow> {
    use Direction::{Request, Response};
    vec![
        Allow {
            spec: "v2",
            endpoints: &[
                "GET /parcels",
                "GET /parcels/{id}",
                "POST /parcels",
                "PUT /parcels",
            ],
            dir: Response,
            status: Some(200),
            paths: paths(&["/parcel", "/parcels/*"], PARCEL_NULLS),
            message: "null is not of type",
            used: Default::default(),
            why: NULL_WHY,
        },
        Allow {
            spec: "v2",
            endpoints: &["GET /returns", "GET /returns/{id}"],
            dir: Response,
            status: Some(200),
            paths: paths(&["", "/returns/*"], RETURN_NULLS),
            message: "null is not of type",
            used: Default::default(),
            why: NULL_WHY,
        },
        Allow {
            spec: "v2",
            endpoints: &["GET /integrations", "GET /integrations/{id}"],
            dir: Response,
            status: Some(200),
            paths: paths(&["", "/*"], &["failing_since", "last_fetch"]),
            message: "null is not of type",
            used: Default::default(),
            why: "an integration that never failed / was never fetched has no such time; \
                  the spec omits `nullable` (API-NOTES §2.14)",
        },
        Allow {
            spec: "v2",
            endpoints: &["GET /integrations", "GET /integrations/{id}"],
            dir: Response,
            status: Some(200),
            paths: paths(&["", "/*"], &["webhook_url"]),
            message: "is shorter than 1 character",
            used: Default::default(),
            why: "an integration without a webhook has an empty webhook_url; the spec's \
                  minLength 1 leaves no way to say \"no webhook\"",
        },
        Allow {
            spec: "v2",
            endpoints: &["GET /brands", "GET /brands/{id}"],
            dir: Response,
            status: Some(200),
            paths: paths(&["", "/brands/*"], &["google_analytics_id"]),
            message: "does not match",
            used: Default::default(),
            why: "a brand without Google Analytics has an empty id; the spec's pattern \
                  ^G-\\d{10}$ leaves no way to say \"none\"",
        },
        Allow {
            spec: "v2",
            endpoints: &["GET /integrations", "GET /integrations/{id}"],
            dir: Response,
            status: Some(200),
            paths: paths(&["", "/*"], &["webhook_url"]),
            message: "is not a \"uri\"",
            used: Default::default(),
            why: "an integration without a webhook has an empty webhook_url (see above)",
        },
        Allow {
            spec: "v2",
            endpoints: &["GET /brands", "GET /brands/{id}"],
            dir: Response,
            status: Some(200),
            paths: paths(
                &["", "/brands/*"],
                &[
                    "customization_settings/header/contact_url",
                    "customization_settings/header/faq_url",
                ],
            ),
            message: "is not a \"uri\"",
            used: Default::default(),
            why: "a brand without contact/FAQ pages has empty URLs; format uri leaves no way \
                  to say \"none\"",
        },
        Allow {
            spec: "v2",
            endpoints: &["GET /returns", "GET /returns/{id}"],
            dir: Response,
            status: Some(200),
            paths: paths(
                &["", "/returns/*"],
                &[
                    "outgoing_parcel_data/from_email",
                    "incoming_parcel_data/from_email",
                ],
            ),
            message: "is not a \"email\"",
            used: Default::default(),
            why: "a parcel created without a customer e-mail has an empty from_email; \
                  format email leaves no way to say \"none\"",
        },
        Allow {
            spec: "v2",
            endpoints: &["GET /user/invoices/{id}"],
            dir: Response,
            status: Some(200),
            paths: vec!["/invoice/date".into()],
            message: "is not a \"date-time\"",
            used: Default::default(),
            why: "the spec declares format date-time, but its own example is \
                  \"05-10-2020 02:12:01\" (DD-MM-YYYY HH:MM:SS, like the invoice list; \
                  API-NOTES §2.14)",
        },
        Allow {
            spec: "v2",
            endpoints: &["GET /parcels"],
            dir: Response,
            status: Some(200),
            paths: vec!["/next".into(), "/previous".into()],
            message: "is not of types \"null\", \"integer\"",
            used: Default::default(),
            why: "the spec types next/previous as integers, but they are page URLs with a \
                  cursor (API-NOTES §1.5; picqer FindAll, PR #53)",
        },
        Allow {
            spec: "v2",
            endpoints: &["PUT /parcels"],
            dir: Request,
            status: None,
            paths: vec!["/parcel".into()],
            message: "is a required property",
            used: Default::default(),
            why: "the spec reuses ParcelCreation (name, address, ... required) for updates, \
                  while its own text announces with {\"parcel\":{\"id\":N,\"request_label\":true}} \
                  (API-NOTES §2.4.4)",
        },
        Allow {
            spec: "v2",
            endpoints: &["PUT /parcels"],
            dir: Response,
            status: Some(200),
            paths: vec!["/parcel".into()],
            message: "is not of type \"array\"",
            used: Default::default(),
            why: "the spec's update answer has `parcel` as an array; clients in production \
                  (picqer, Pipedream) read an object. The client accepts both; the stand-in \
                  answers an object (API-NOTES §2.4.4)",
        },
        Allow {
            spec: "v2",
            endpoints: &["PUT /parcels"],
            dir: Response,
            status: Some(400),
            paths: vec![String::new()],
            message: "is not documented",
            used: Default::default(),
            why: "the spec lists only 200 and 404 for updates, but invalid updates (e.g. \
                  announcing without a shipping method) are refused with the usual v2 400 error",
        },
        Allow {
            spec: "shipments",
            endpoints: &["GET /shipments"],
            dir: Response,
            status: Some(404),
            paths: vec![String::new()],
            message: "is not of type \"array\"",
            used: Default::default(),
            why: "shipments.yml types the `errors` body as a bare array, but the same \
                  operation's InvalidCursor example (like every v3 error answer) is an object \
                  `{\"errors\": [...]}`; the stand-in answers the example's shape",
        },
        Allow {
            spec: "shipments",
            endpoints: &["POST /shipments/announce", "POST /shipments/{id}/cancel"],
            dir: Response,
            status: None,
            paths: vec![String::new()],
            message: "is not of type \"array\"",
            used: Default::default(),
            why: "shipments.yml types the `errors` body as a bare array, but the examples of \
                  these operations' 400/409 answers are objects `{\"errors\": [...]}`; the \
                  stand-in answers the examples' shape",
        },
        Allow {
            spec: "shipments",
            endpoints: &["POST /shipments/announce"],
            dir: Response,
            status: Some(409),
            paths: vec![String::new()],
            message: "is not documented",
            used: Default::default(),
            why: "shipments.yml lists 201, 400 and 404 only, but Sendcloud refuses a reused \
                  external_reference_id with 409 (V3-FIRST.md: the idempotency of announce)",
        },
        Allow {
            spec: "v3",
            endpoints: &["GET /orders"],
            dir: Response,
            status: Some(200),
            paths: vec!["/data/*/id".into()],
            message: "is not of type \"string\"",
            used: Default::default(),
            why: "orders-order types id as a string, but the same spec's GET /orders example \
                  and POST /orders answer give integers (API-NOTES §2.10.3)",
        },
    ]
}

fn allowed(
    list: &[Allow],
    spec: &str,
    endpoint: &str,
    dir: Direction,
    status: u16,
    path: &str,
    message: &str,
) -> Option<&'static str> {
    list.iter()
        .find(|a| {
            a.spec == spec
                && a.endpoints.contains(&endpoint)
                && a.dir == dir
                && a.status.is_none_or(|s| s == status)
                && a.paths.iter().any(|p| p == path)
                && message.contains(a.message)
        })
        .map(|a| {
            a.used.set(true);
            a.why
        })
}

// ------------------------------------------------------------------ capturing proxy

/// One request/response pair seen by the proxy.
#[derive(Debug, Clone)]
struct Exchange {
    method: String,
    path: String,
    request: Option<Value>,
    status: u16,
    content_type: String,
    response: Option<Value>,
}

type Log = Arc<Mutex<Vec<Exchange>>>;

/// A proxy on a random port forwarding everything to `target`, recording each exchange.
async fn capturing_proxy(target: String) -> (String, Log, actix_web::dev::ServerHandle) {
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let l = log.clone();
    let http = reqwest::Client::new();
    let (addr, handle) = serve_double!(HttpServer::new(move || {
        let l = l.clone();
        let http = http.clone();
        let target = target.clone();
        App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
            let l = l.clone();
            let http = http.clone();
            let target = target.clone();
            async move {
                let url = match req.query_string() {
                    "" => format!("{target}{}", req.path()),
                    q => format!("{target}{}?{q}", req.path()),
                };
                let method =
                    reqwest::Method::from_bytes(req.method().as_str().as_bytes()).expect("method");
                let mut fwd = http.request(method, &url).body(body.to_vec());
                for (name, value) in req.headers() {
                    if name == "host" || name == "content-length" {
                        continue;
                    }
                    fwd = fwd.header(name.as_str(), value.as_bytes());
                }
                let resp = match fwd.send().await {
                    Ok(r) => r,
                    Err(e) => return HttpResponse::BadGateway().body(e.to_string()),
                };
                let status = resp.status().as_u16();
                let mut out = HttpResponse::build(
                    actix_web::http::StatusCode::from_u16(status).expect("status"),
                );
                let mut content_type = String::new();
                for (name, value) in resp.headers() {
                    if name == "content-length" || name == "transfer-encoding" {
                        continue;
                    }
                    if name == "content-type" {
                        content_type = value.to_str().unwrap_or("").to_string();
                    }
                    out.insert_header((name.as_str(), value.as_bytes()));
                }
                let bytes = resp.bytes().await.unwrap_or_default();
                l.lock().unwrap().push(Exchange {
                    method: req.method().to_string(),
                    path: req.path().to_string(),
                    request: serde_json::from_slice(&body).ok(),
                    status,
                    response: if content_type.contains("json") {
                        serde_json::from_slice(&bytes).ok()
                    } else {
                        None
                    },
                    content_type,
                });
                out.body(bytes)
            }
        }))
    }));
    (format!("http://{addr}"), log, handle)
}

// ------------------------------------------------------------------------ scenario

fn fixture_json(name: &str) -> Value {
    let path = format!(
        "{}/tests/it/fixtures/sendcloud/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON")
}

fn orders_from(name: &str, integration: u64, prefix: &str) -> Vec<Order> {
    let mut raw = fixture_json(name);
    if raw.is_object() {
        raw = json!([raw]);
    }
    for (i, o) in raw.as_array_mut().expect("orders").iter_mut().enumerate() {
        o["order_details"]["integration"] = json!({"id": integration});
        o["order_id"] = json!(format!("{prefix}-{i}"));
        if let Some(m) = o.as_object_mut() {
            m.remove("id");
        }
    }
    serde_json::from_value(raw).expect("orders parse")
}

/// Drives the client through the main endpoints, through the proxy.
async fn scenario(h: &StandinHandle, keys: &AccountKeys, origin: &str) {
    let c = client_at(origin, keys);
    let s = h.standin();
    let addresses = c.list_sender_addresses().await.expect("addresses");
    c.get_sender_address(addresses[0].id)
        .await
        .expect("address");
    let _ = c.get_sender_address(987_654_321).await;
    c.list_shipping_methods(&ShippingMethodFilter {
        sender_address: Some(SenderAddressFilter::All),
        ..Default::default()
    })
    .await
    .expect("methods");
    c.list_shipping_methods(&ShippingMethodFilter {
        service_point_id: Some(123),
        to_country: Some("DE".into()),
        ..Default::default()
    })
    .await
    .expect("sp methods");
    c.get_shipping_method(1301, &ShippingMethodFilter::default())
        .await
        .expect("method");
    let _ = c
        .get_shipping_method(0, &ShippingMethodFilter::default())
        .await;
    c.parcel_statuses().await.expect("statuses");
    c.shipping_options(&ShippingOptionFilter::default())
        .await
        .expect("options");
    c.shipping_options(&ShippingOptionFilter {
        from_country_code: Some("DE".into()),
        to_country_code: Some("AT".into()),
        parcels: vec![FilterParcel {
            weight: FilterWeight {
                value: "2.5".into(),
                unit: "kg".into(),
            },
        }],
        calculate_quotes: Some(true),
        ..Default::default()
    })
    .await
    .expect("options with quotes");
    c.compat_shipping_options(&[1301, 8, 1302, 987_654])
        .await
        .expect("compat options");
    let v3_addresses: Vec<_> = c
        .sender_addresses_v3()
        .try_collect()
        .await
        .expect("v3 addresses");
    c.sender_address_v3(v3_addresses[0].id)
        .await
        .expect("v3 address");
    let _ = c.sender_address_v3(987_654_321).await;
    c.parcel_status_codes().await.expect("v3 statuses");

    // Parcels: the spec's own example request, a rich one, an unannounced one, refusals.
    let spec_parcel: NewParcel = serde_json::from_value(
        fixture_json("v2_post_parcels__req_CreateParcel.json")["parcel"].clone(),
    )
    .expect("spec parcel");
    let _ = c
        .create_parcel(&NewParcel {
            shipment: Some(ShipmentRef {
                id: 1301,
                name: None,
            }),
            sender_address: None,
            ..spec_parcel
        })
        .await;
    let rich = NewParcel {
        company_name: Some("Schmidt GmbH".into()),
        telephone: Some("+4930123456".into()),
        email: Some("anna@example.com".into()),
        total_order_value: Some("12.50".parse().unwrap()),
        total_order_value_currency: Some("EUR".into()),
        parcel_items: Some(vec![ParcelItem {
            description: "Kerze".into(),
            quantity: 2,
            weight: "0.400".parse().unwrap(),
            value: "6.25".parse().unwrap(),
            hs_code: Some("340600".into()),
            origin_country: Some("DE".into()),
            sku: Some("K-1".into()),
            ..ParcelItem::default()
        }]),
        ..announced_parcel(Some("conf-1"))
    };
    let p = c.create_parcel(&rich).await.expect("create");
    let plain = c
        .create_parcel(&new_parcel("Hauptstraße 8", Some("conf-2")))
        .await
        .expect("create plain");
    let _ = c.create_parcel(&new_parcel("Hauptstraße", None)).await;
    let _ = c
        .create_parcels(&[
            new_parcel("Hauptstraße 1", Some("conf-3")),
            new_parcel("Hauptstraße", Some("conf-4")),
        ])
        .await
        .expect("batch");
    c.update_parcel(
        plain.id,
        &NewParcel {
            name: "Anna S.".into(),
            ..NewParcel::default()
        },
    )
    .await
    .expect("update");
    let _ = c.announce_parcel(plain.id).await;
    c.get_parcel(p.id).await.expect("get");
    let _ = c.get_parcel(987_654_321).await;
    s.seed(
        keys.account_id,
        SeedSpec {
            parcels: 60,
            returns: 5,
            invoices: 0,
        },
    );
    let all: Vec<_> = c
        .parcels(&ParcelFilter::default())
        .try_collect()
        .await
        .expect("list");
    assert!(all.len() > 60);
    c.find_parcel_by_external_reference("conf-1")
        .await
        .expect("lookup");
    // Cancel: 200 cancelled, 202 queued, 200 deleted, 400, 404, 410.
    let en_route = c.create_parcel(&announced_parcel(None)).await.unwrap();
    s.advance_statuses(Some(keys.account_id), Some(en_route.id as u64), 1)
        .await;
    c.cancel_parcel(en_route.id).await.expect("cancelled");
    c.cancel_parcel(p.id).await.expect("queued");
    let unannounced = c.create_parcel(&new_parcel("Weg 3", None)).await.unwrap();
    c.cancel_parcel(unannounced.id).await.expect("deleted");
    let delivered = c.create_parcel(&announced_parcel(None)).await.unwrap();
    s.advance_statuses(Some(keys.account_id), Some(delivered.id as u64), 3)
        .await;
    c.cancel_parcel(delivered.id).await.expect("rejected");
    c.cancel_parcel(987_654_321).await.expect("not found");
    let failed = c.create_parcel(&announced_parcel(None)).await.unwrap();
    s.set_parcel_status(keys.account_id, failed.id as u64, 1002)
        .await;
    c.cancel_parcel(failed.id).await.expect("gone");

    // Labels (JSON parts; PDFs are not JSON).
    let labelled = c.create_parcel(&announced_parcel(None)).await.unwrap();
    c.get_label(labelled.id).await.expect("label");
    c.bulk_label_urls(&[labelled.id, en_route.id])
        .await
        .expect("bulk labels");

    // Returns, invoices, brands, integrations.
    s.create_return(keys.account_id, Some(labelled.id as u64), 1, "Zu klein")
        .await
        .expect("return");
    let returns: Vec<_> = c.returns().try_collect().await.expect("returns");
    c.get_return(returns[0].id).await.expect("return");
    let invoices = c.list_invoices().await.expect("invoices");
    c.get_invoice(invoices[0].id).await.expect("invoice");
    let _ = c.get_invoice(1).await;
    let brands: Vec<_> = c.brands().try_collect().await.expect("brands");
    c.get_brand(brands[0].id).await.expect("brand");
    let _ = c.get_brand(987_654_321).await;
    let id = keys.integration_id as i64;
    c.list_integrations(None).await.expect("integrations");
    c.get_integration(id).await.expect("integration");
    c.update_integration(
        id,
        &IntegrationUpdate {
            webhook_url: Some("https://shop.example/hook".into()),
            webhook_active: Some(true),
            ..IntegrationUpdate::default()
        },
    )
    .await
    .expect("patch");
    c.replace_integration(
        id,
        &IntegrationUpdate {
            shop_name: Some("Conformance shop".into()),
            shop_url: Some("https://shop.example".into()),
            service_point_enabled: Some(true),
            service_point_carriers: Some(vec!["dhl_de".into()]),
            webhook_active: Some(false),
            webhook_url: Some("https://shop.example/hook".into()),
        },
    )
    .await
    .expect("put");

    // Service points.
    let points = c
        .list_service_points(&ServicePointFilter {
            country: "DE".into(),
            ..Default::default()
        })
        .await
        .expect("points");
    c.get_service_point(points[0].id).await.expect("point");

    // v3 orders: every spec request example, sent by the client.
    for (i, name) in [
        "v3_post_orders__req_CreateBasicOrder.json",
        "v3_post_orders__req_CreateInternationalOrder.json",
        "v3_post_orders__req_CreateOrderProductImage.json",
        "v3_post_orders__req_CreateOrderShipWith.json",
        "v3_post_orders__req_CreateServicePointOrder.json",
        "v3_post_orders__req_CreateSpecifiedBillingOrder.json",
        "v3_post_orders__req_CreateSpecifiedMeasurementsOrder.json",
        "v3_post_orders__req_UpdateBatchOrders.json",
    ]
    .iter()
    .enumerate()
    {
        let orders = orders_from(name, keys.integration_id, &format!("conf{i}"));
        c.upsert_orders(&orders).await.expect(name);
    }
    let _ = c
        .upsert_orders(&orders_from(
            "v3_post_orders__req_CreateBasicOrder.json",
            999_999,
            "bad",
        ))
        .await;
    let orders: Vec<_> = c
        .orders(&OrderFilter {
            page_size: Some(5),
            ..OrderFilter::default()
        })
        .try_collect()
        .await
        .expect("orders");
    assert!(orders.len() >= 8);

    // v3 shipments (the parcel Abgleich) and returns, paged, one by id, a bad cursor.
    assert!(h.standin().seed(
        keys.account_id,
        SeedSpec {
            parcels: 12,
            returns: 7,
            ..Default::default()
        }
    ));
    let shipments: Vec<Shipment> = c
        .shipments(&ShipmentFilter {
            page_size: Some(5),
            updated_after: Some(chrono::Utc::now() - chrono::Duration::days(400)),
            ..Default::default()
        })
        .try_collect()
        .await
        .expect("shipments");
    assert!(shipments.len() >= 12);
    let id = shipments[0].id.clone().expect("shipment id");
    c.get_shipment(&id).await.expect("shipment");
    let bad = c
        .shipment_pages(&ShipmentFilter {
            cursor: Some("bm8tc3VjaC1jdXJzb3I".into()),
            ..Default::default()
        })
        .try_collect::<Vec<_>>()
        .await;
    assert!(bad.is_err(), "a bad cursor is refused");
    let returns: Vec<_> = c
        .returns_v3(&ReturnFilter {
            from_date: chrono::Utc::now() - chrono::Duration::days(400),
            to_date: chrono::Utc::now() + chrono::Duration::days(1),
            parent_parcel_status: None,
            page_size: Some(3),
            cursor: None,
        })
        .try_collect()
        .await
        .expect("returns");
    assert!(returns.len() >= 7);
    let rid = returns[0].parsed.id.expect("return id");
    c.get_return_v3(rid).await.expect("return");

    // Labels through v3 (issue 11): announce (201), the same reference again (409 with the
    // existing shipment), a refusal (400), the look-up by reference, documents one and in
    // bulk (PDF, ZPL; 404 answers as JSON), cancel (200, then 409).
    let option = c
        .shipping_options(&ShippingOptionFilter {
            from_country_code: Some("DE".into()),
            to_country_code: Some("DE".into()),
            ..Default::default()
        })
        .await
        .expect("options")
        .into_iter()
        .next()
        .expect("an option to DE")
        .code;
    let announce = |reference: &str, house_number: Option<&str>| v3s::AnnounceRequest {
        label_details: Some(v3s::LabelDetails {
            mime_type: "application/pdf".into(),
            dpi: 72,
        }),
        to_address: v3s::Address {
            name: "Erika Muster".into(),
            company_name: Some("Muster GmbH".into()),
            address_line_1: "Hauptstraße".into(),
            house_number: house_number.map(str::to_string),
            postal_code: "10115".into(),
            city: "Berlin".into(),
            country_code: "DE".into(),
            email: Some("erika@example.com".into()),
            phone_number: Some("+49301234567".into()),
            ..Default::default()
        },
        from_address: v3s::FromAddress::Address(Box::new(v3s::Address {
            name: "Lager Nord".into(),
            address_line_1: "Lagerweg".into(),
            house_number: Some("1".into()),
            postal_code: "20095".into(),
            city: "Hamburg".into(),
            country_code: "DE".into(),
            ..Default::default()
        })),
        ship_with: v3s::ShipWith::option(&option),
        order_number: Some("AU-CONF-1".into()),
        total_order_price: Some(v3s::Money {
            value: "39.80".into(),
            currency: "EUR".into(),
        }),
        external_reference_id: reference.into(),
        reference: Some("LS-CONF-1".into()),
        to_service_point: None,
        customs_information: None,
        parcels: vec![v3s::NewParcel {
            weight: v3s::Weight::kg("1.250".into()),
            dimensions: Some(v3s::Dimensions {
                length: "30".into(),
                width: "20".into(),
                height: "10".into(),
                unit: "cm".into(),
            }),
            parcel_items: vec![v3s::ParcelItem {
                item_id: Some("1".into()),
                description: "Teekanne".into(),
                quantity: 2,
                weight: Some(v3s::Weight::kg("0.500".into())),
                price: v3s::Money {
                    value: "19.90".into(),
                    currency: "EUR".into(),
                },
                hs_code: Some("69120000".into()),
                origin_country: Some("DE".into()),
                sku: Some("SKU-1".into()),
                product_id: None,
            }],
        }],
    };
    let created = match c
        .announce_shipment(&announce("conf-label-1", Some("12")))
        .await
        .expect("announce")
    {
        v3s::Announced::Created(s) => s,
        other => panic!("expected a new shipment, got {other:?}"),
    };
    match c
        .announce_shipment(&announce("conf-label-1", Some("12")))
        .await
        .expect("announce again")
    {
        v3s::Announced::Exists(Some(s)) => assert_eq!(s.id, created.id),
        other => panic!("expected the existing shipment, got {other:?}"),
    }
    assert!(c
        .announce_shipment(&announce("conf-label-2", None))
        .await
        .is_err());
    let found = c
        .shipment_by_reference("conf-label-1")
        .await
        .expect("by reference")
        .expect("found");
    assert_eq!(found.id, created.id);
    let parcel = created.parcels[0].id;
    for format in [v3s::DocumentFormat::Pdf, v3s::DocumentFormat::Zpl] {
        c.parcel_document(parcel, "label", format, Some(v3s::PaperSize::A6))
            .await
            .expect("label");
        c.parcel_documents(&[parcel], "label", format, Some(v3s::PaperSize::A4))
            .await
            .expect("labels");
    }
    assert!(c
        .parcel_document(
            parcel,
            "customs-declaration",
            v3s::DocumentFormat::Pdf,
            None
        )
        .await
        .is_err());
    assert!(c
        .parcel_documents(&[987_654_321], "label", v3s::DocumentFormat::Pdf, None)
        .await
        .is_err());
    assert!(c
        .parcel_document(parcel, "label", v3s::DocumentFormat::Pdf, None)
        .await
        .is_ok());
    assert_eq!(
        c.cancel_shipment(&created.id).await.expect("cancel"),
        v3s::CancelAnswer::Cancelled
    );
    assert!(matches!(
        c.cancel_shipment(&created.id).await.expect("cancel again"),
        v3s::CancelAnswer::Refused(_)
    ));
    // A failed label in Sendcloud's integration log (issue 11 item 7), the body exactly as
    // the labels job builds it: 201, and 404 for an integration the account does not have.
    let config = sendcloud_plugin::config::Config::from_lookup(|_| None).expect("config");
    let job = sendcloud_plugin::labels::IntegrationLogJob {
        company_id: 1,
        delivery_id: 42,
        order_number: "AB-1001".into(),
        external_reference_id: "sc-1-42".into(),
        problems: vec![
            sendcloud_plugin::labels::Problem::check(
                "house_number_missing",
                "to_address.house_number",
                "",
            ),
            sendcloud_plugin::labels::Problem::sendcloud(
                Some("to_address.postal_code"),
                "Invalid postal code",
            ),
        ],
        status: Some(400),
        failed_at: chrono::Utc::now().naive_utc(),
        fingerprint: "0".repeat(64),
    };
    let i18n = sendcloud_plugin::i18n::I18n::shared().expect("i18n");
    let entry = sendcloud_plugin::labels::integration_log::entry(&config, &job, i18n, "de");
    c.create_integration_log(keys.integration_id as i64, &entry)
        .await
        .expect("integration log entry");
    assert!(c.create_integration_log(987_654_321, &entry).await.is_err());
}

// ------------------------------------------------------------------------- report

#[derive(Default)]
struct EndpointReport {
    requests_ok: usize,
    responses_ok: usize,
    statuses: std::collections::BTreeSet<u16>,
    allowed: Vec<String>,
    failures: Vec<String>,
}

/// The endpoints the scenario must have exercised (and validated at least one body of).
const MAIN_ENDPOINTS: &[&str] = &[
    "v2 GET /user/addresses/sender",
    "v2 GET /user/addresses/sender/{id}",
    "v2 GET /shipping_methods",
    "v2 GET /shipping_methods/{id}",
    "v2 GET /parcels/statuses",
    "v2 POST /parcels",
    "v2 PUT /parcels",
    "v2 GET /parcels",
    "v2 GET /parcels/{id}",
    "v2 POST /parcels/{id}/cancel",
    "v2 GET /labels/{parcel_id}",
    "v2 POST /labels",
    "v2 GET /returns",
    "v2 GET /returns/{id}",
    "v2 GET /user/invoices",
    "v2 GET /user/invoices/{id}",
    "v2 GET /brands",
    "v2 GET /brands/{id}",
    "v2 GET /integrations",
    "v2 GET /integrations/{id}",
    "v2 PATCH /integrations/{id}",
    "v2 PUT /integrations/{id}",
    "v2 GET /service-points",
    "v2 GET /service-points/{service_point_id}",
    "v3 POST /orders",
    "v3 GET /orders",
    "shipments GET /shipments",
    "shipments GET /shipments/{id}",
    "shipments POST /shipments/announce",
    "shipments POST /shipments/{id}/cancel",
    "parcel-documents GET /parcels/{id}/documents/{type}",
    "parcel-documents GET /parcel-documents/{type}",
    "returns GET /returns",
    "integrations POST /integrations/{id}/logs",
    "returns GET /returns/{id}",
    "v3 POST /shipping-options",
    "v3 POST /compat/shipping-options",
    "v3 GET /addresses/sender-addresses",
    "v3 GET /addresses/sender-addresses/{id}",
    "v3 GET /parcels/statuses",
];

/// The per-endpoint report, and the allow-list entries that allowed nothing.
fn check_exchanges(
    v2: &Spec,
    v3: &Spec,
    v3_yaml: &[Spec],
    exchanges: &[Exchange],
) -> (BTreeMap<String, EndpointReport>, Vec<String>) {
    let allow = allow_list();
    let mut report: BTreeMap<String, EndpointReport> = BTreeMap::new();
    for x in exchanges {
        let (spec, rest) = if let Some(r) = x.path.strip_prefix("/api/v2") {
            (v2, r)
        } else if let Some(r) = x.path.strip_prefix("/api/v3") {
            let yaml = v3_yaml.iter().find(|s| s.template(r).is_some());
            (yaml.unwrap_or(v3), r)
        } else {
            continue;
        };
        let Some(template) = spec.template(rest) else {
            report
                .entry(format!("{} {} {}", spec.name, x.method, rest))
                .or_default()
                .failures
                .push("path not in the spec".into());
            continue;
        };
        let endpoint = format!("{} {template}", x.method);
        let key = format!("{} {endpoint}", spec.name);
        let entry = report.entry(key).or_default();
        entry.statuses.insert(x.status);
        let Some(op) = spec.operation(&x.method, &template) else {
            entry.failures.push("method not in the spec".into());
            continue;
        };
        let mut record = |dir: Direction, status: u16, errors: Vec<(String, String)>| {
            let mut bad = false;
            let mut unique = std::collections::BTreeSet::new();
            for (path, msg) in errors {
                let path = normalize(&path);
                if !unique.insert((path.clone(), msg.clone())) {
                    continue;
                }
                let what = format!(
                    "{} {}{path}: {msg}",
                    match dir {
                        Direction::Request => "request".to_string(),
                        Direction::Response => format!("response {status}"),
                    },
                    if path.is_empty() { "/" } else { "" }
                );
                match allowed(&allow, spec.name, &endpoint, dir, status, &path, &msg) {
                    Some(why) => entry.allowed.push(format!("{what} (allowed: {why})")),
                    None => {
                        bad = true;
                        entry.failures.push(what);
                    }
                }
            }
            !bad
        };
        if let (Some(body), Some(schema)) = (&x.request, spec.request_schema(op)) {
            if record(
                Direction::Request,
                0,
                spec.validate(&schema, Direction::Request, body),
            ) {
                entry.requests_ok += 1;
            }
        }
        match spec.response_schema(op, x.status) {
            Err(e) => {
                let e = format!("response {}: {e}", x.status);
                let status = x.status;
                match allowed(
                    &allow,
                    spec.name,
                    &endpoint,
                    Direction::Response,
                    status,
                    "",
                    &e,
                ) {
                    Some(why) => entry.allowed.push(format!("{e} (allowed: {why})")),
                    None => entry.failures.push(e),
                }
            }
            Ok(None) => {}
            Ok(Some(schema)) => match &x.response {
                Some(body) => {
                    if record(
                        Direction::Response,
                        x.status,
                        spec.validate(&schema, Direction::Response, body),
                    ) {
                        entry.responses_ok += 1;
                    }
                }
                None if x.status == 204 => {}
                None => entry.failures.push(format!(
                    "response {}: not JSON ({})",
                    x.status, x.content_type
                )),
            },
        }
    }
    let unused = allow
        .iter()
        .filter(|a| !a.used.get())
        .map(|a| format!("{} {:?} {:?} {:?}", a.spec, a.endpoints, a.dir, a.paths))
        .collect();
    (report, unused)
}

/// Array indices become `*`, so one problem in every list item is reported once.
fn normalize(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if !seg.is_empty() && seg.chars().all(|c| c.is_ascii_digit()) {
                "*"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `"x" is not of type "string"` → `null is not of type "string"` stays; long values are cut.
fn generic_message(msg: &str) -> String {
    if let Some((value, rest)) = msg.split_once(" is ") {
        if !value.starts_with("null") && value.len() > 40 {
            return format!("<value> is {rest}");
        }
    }
    msg.to_string()
}

fn print_report(report: &BTreeMap<String, EndpointReport>) {
    println!("conformance report (requests ok / responses ok / statuses seen)");
    for (k, r) in report {
        println!(
            "  {k:<48} req {:>3}  resp {:>3}  {:?}{}",
            r.requests_ok,
            r.responses_ok,
            r.statuses,
            if r.failures.is_empty() {
                ""
            } else {
                "  FAILED"
            }
        );
        let allowed: std::collections::BTreeSet<&String> = r.allowed.iter().collect();
        for a in allowed {
            println!("      ~ {a}");
        }
        let failures: std::collections::BTreeSet<&String> = r.failures.iter().collect();
        for f in failures {
            println!("      ✗ {f}");
        }
    }
}

async fn start() -> (StandinHandle, AccountKeys) {
    let h = spawn(StandinConfig {
        rate_limits: false,
        page_size: 25,
        ..StandinConfig::default()
    })
    .await
    .expect("stand-in");
    let keys = h.standin().demo_keys().expect("demo keys");
    (h, keys)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_client_requests_and_standin_responses_match_the_specs() {
    let (h, keys) = start().await;
    let (origin, log, proxy) = capturing_proxy(h.base_url().to_string()).await;
    scenario(&h, &keys, &origin).await;
    proxy.stop(true).await;
    let exchanges = log.lock().unwrap().clone();
    h.stop().await;
    let (v2, v3, v3_yaml) = tokio::task::spawn_blocking(|| {
        (
            Spec::load("v2"),
            Spec::load("v3"),
            V3_YAML.map(Spec::load_yaml),
        )
    })
    .await
    .unwrap();
    let (report, unused) =
        tokio::task::spawn_blocking(move || check_exchanges(&v2, &v3, &v3_yaml, &exchanges))
            .await
            .unwrap();
    print_report(&report);
    assert!(
        unused.is_empty(),
        "allow-list entries that allowed nothing (remove them): {unused:?}"
    );
    let missing: Vec<&&str> = MAIN_ENDPOINTS
        .iter()
        .filter(|e| {
            report
                .get(**e)
                .is_none_or(|r| r.requests_ok + r.responses_ok == 0)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "endpoints without a validated body: {missing:?}"
    );
    let failed: Vec<&String> = report
        .iter()
        .filter(|(_, r)| !r.failures.is_empty())
        .map(|(k, _)| k)
        .collect();
    assert!(
        failed.is_empty(),
        "endpoints not conforming: {failed:?} (see the report above)"
    );
}

/// The validation is not vacuous: a wrong type in a real stand-in answer or a real client
/// request is reported at the right place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_detects_wrong_field_types() {
    let (h, keys) = start().await;
    let (origin, log, proxy) = capturing_proxy(h.base_url().to_string()).await;
    let c = client_at(&origin, &keys);
    let p = c
        .create_parcel(&announced_parcel(Some("types-1")))
        .await
        .expect("create");
    c.get_parcel(p.id).await.expect("get");
    proxy.stop(true).await;
    h.stop().await;
    let exchanges = log.lock().unwrap().clone();
    let v2 = tokio::task::spawn_blocking(|| Spec::load("v2"))
        .await
        .unwrap();
    let create = exchanges
        .iter()
        .find(|x| x.method == "POST")
        .expect("POST captured");
    let get = exchanges
        .iter()
        .find(|x| x.method == "GET")
        .expect("GET captured");
    let post_op = v2.operation("POST", "/parcels").unwrap();
    let get_op = v2.operation("GET", "/parcels/{id}").unwrap();
    let req_schema = v2.request_schema(post_op).unwrap();
    let resp_schema = v2.response_schema(get_op, 200).unwrap().unwrap();

    let body = create.request.clone().unwrap();
    assert!(v2
        .validate(&req_schema, Direction::Request, &body)
        .is_empty());
    let mut wrong = body.clone();
    wrong["parcel"]["name"] = json!(42);
    let errors = v2.validate(&req_schema, Direction::Request, &wrong);
    assert!(
        errors.iter().any(|(p, _)| p == "/parcel/name"),
        "{errors:?}"
    );

    let answer = get.response.clone().unwrap();
    let before = v2.validate(&resp_schema, Direction::Response, &answer);
    for (pointer, value) in [
        ("/parcel/id", json!("not a number")),
        ("/parcel/weight", json!(2.5)),
        ("/parcel/status", json!("Ready to send")),
    ] {
        let mut wrong = answer.clone();
        *wrong.pointer_mut(pointer).unwrap() = value;
        assert!(before.iter().all(|(p, _)| p != pointer), "{before:?}");
        let errors = v2.validate(&resp_schema, Direction::Response, &wrong);
        assert!(
            errors.iter().any(|(p, _)| p == pointer),
            "{pointer}: {errors:?}"
        );
    }
}

#[test]
fn conversion_of_openapi_features() {
    let s = json!({
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "readOnly": true},
            "name": {"type": "string", "nullable": true, "example": "x"},
            "kind": {"type": "string", "enum": ["a", "b"], "nullable": true},
            "ref": {"$ref": "#/components/schemas/X", "nullable": true},
            "example": {"type": "number", "minimum": 1, "exclusiveMinimum": true}
        }
    });
    let req = convert(&s, Direction::Request);
    assert_eq!(req["required"], json!(["name"]));
    assert_eq!(req["properties"]["name"]["type"], json!(["string", "null"]));
    assert!(req["properties"]["name"].get("example").is_none());
    assert_eq!(req["properties"]["kind"]["enum"], json!(["a", "b", null]));
    assert_eq!(
        req["properties"]["ref"],
        json!({"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}]})
    );
    // A property named like a dropped keyword is kept.
    assert_eq!(
        req["properties"]["example"],
        json!({"type": "number", "exclusiveMinimum": 1})
    );
    let resp = convert(&s, Direction::Response);
    assert_eq!(resp["required"], json!(["id", "name"]));
}
