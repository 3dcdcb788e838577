//! The API's description: [`OPERATIONS`] (every `/api/v1` route with its
//! parameters, body, answer and error codes), the OpenAPI 3.1 document
//! built from it and the body types' JSON Schemas (schemars, from the very
//! serde types the handlers use, so the document cannot drift from the
//! wire), served at `/api/v1/openapi.json`, and a page that renders it
//! (`/api/v1/docs`, server-side, no script, no CDN; headings, the
//! operations' summaries, their parameters', the schema fields' and the
//! error codes' descriptions in the reader's language, `api-op-{id}`,
//! `api-param-…`, `api-field-…` and `api-code-{code}` in the i18n files; the
//! JSON document is English). Both are public: they describe the API and carry no
//! data, and a host developer or a code generator needs them before any
//! token exists. A test keeps [`OPERATIONS`] and `web::ROUTES` in step.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::CODES;
use crate::web::error::WebError;
use crate::web::layout::{html, Layout};
use crate::web::AppState;

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    Path,
    Query,
}

/// A path or query parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub at: In,
    /// `integer` or `string`.
    pub kind: &'static str,
    pub required: bool,
    pub about: &'static str,
}

/// What an operation answers on success.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    /// A body of this schema (JSON or XML) under this XML root.
    Body {
        schema: &'static str,
        root: &'static str,
    },
    /// Bytes of these media types.
    Binary(&'static [&'static str]),
    /// A document of its own (the OpenAPI JSON, the HTML page).
    Document(&'static str),
}

/// One operation of the API.
#[derive(Debug, Clone, Copy)]
pub struct Op {
    pub method: &'static str,
    /// Below the mount path, as in `web::ROUTES`.
    pub path: &'static str,
    pub id: &'static str,
    /// In English, for the JSON document; the page shows the translation
    /// [`summary_id`] names.
    pub summary: &'static str,
    pub params: &'static [Param],
    /// The request body's schema (JSON or XML) and XML root.
    pub body: Option<(&'static str, &'static str)>,
    pub status: u16,
    pub answer: Answer,
    /// Error codes beyond those every authenticated call can meet.
    pub errors: &'static [&'static str],
    /// Takes an `Idempotency-Key`.
    pub idempotent: bool,
    /// Needs a host token.
    pub secured: bool,
}

/// The i18n id of an operation's summary on the page.
pub fn summary_id(op: &Op) -> String {
    format!("api-op-{}", op.id)
}

/// The i18n id of an error code's description on the page (the JSON
/// document's `x-error-codes` keep the English of [`CODES`]).
pub fn code_id(code: &str) -> String {
    format!("api-code-{code}")
}

/// The i18n id of a schema field's description on the page: the schema's
/// own (`api-field-{schema}-{field}`) where the field means something else
/// there, else the one for every field of that name (`api-field-{field}`).
pub fn field_id(i18n: &crate::i18n::I18n, schema: &str, field: &str) -> String {
    let own = format!("api-field-{schema}-{field}");
    if i18n.has(crate::i18n::DEFAULT_LANGUAGE, &own) {
        own
    } else {
        format!("api-field-{field}")
    }
}

/// The i18n id of a parameter's description on the page: the operation's
/// own (`api-param-{op}-{name}`) where the name means something else
/// there, else the one for every parameter of that name.
pub fn param_id(i18n: &crate::i18n::I18n, op: &Op, p: &Param) -> String {
    let own = format!("api-param-{}-{}", op.id, p.name);
    if i18n.has(crate::i18n::DEFAULT_LANGUAGE, &own) {
        own
    } else {
        format!("api-param-{}", p.name)
    }
}

const fn path(name: &'static str, about: &'static str) -> Param {
    Param {
        name,
        at: In::Path,
        kind: "integer",
        required: true,
        about,
    }
}

const fn query(name: &'static str, kind: &'static str, about: &'static str) -> Param {
    Param {
        name,
        at: In::Query,
        kind,
        required: false,
        about,
    }
}

const COMPANY: Param = path("company", "The company's id (the token must cover it).");
const DELIVERY: Param = path("delivery", "The delivery's id in the host.");
const CARRIER: Param = query("carrier", "string", "Carrier code.");
const ORDER: Param = query("order", "string", "Order number, its beginning.");
const TRACKING: Param = query("tracking", "string", "Tracking number, its beginning.");
const TEXT: Param = query("q", "string", "Free text.");

/// The report lists' common parameters.
const PAGE: [Param; 5] = [
    query("from", "string", "First day, YYYY-MM-DD (UTC), included."),
    query("to", "string", "Last day, YYYY-MM-DD (UTC), included."),
    query("dir", "string", "`asc` or `desc` (default)."),
    query(
        "after",
        "string",
        "The `next_after` of the previous page (keyset cursor).",
    ),
    query("limit", "integer", "Rows per page, 1 to 200 (default 50)."),
];

/// A report list's parameters: the company, the list's own filters and
/// sort, then [`PAGE`]. `M` is `N + 6` (checked when compiling).
const fn report<const N: usize, const M: usize>(own: [Param; N]) -> [Param; M] {
    assert!(M == 1 + N + PAGE.len());
    let mut out = [COMPANY; M];
    let mut i = 0;
    while i < N {
        out[1 + i] = own[i];
        i += 1;
    }
    let mut i = 0;
    while i < PAGE.len() {
        out[1 + N + i] = PAGE[i];
        i += 1;
    }
    out
}

/// Error codes every call with a token can meet.
pub const COMMON_ERRORS: &[&str] = &[
    "unauthorized",
    "token_expired",
    "token_invalid",
    "permission_missing",
    "internal_error",
    "unavailable",
];

/// Error codes of a call that reads a body.
const BODY_ERRORS: &[&str] = &[
    "unsupported_media_type",
    "malformed_body",
    "unknown_field",
    "invalid_value",
    "too_deep",
    "body_too_large",
    "validation_failed",
    "idempotency_key_invalid",
    "idempotency_key_reused",
];

/// Error codes of a call with an `Idempotency-Key`.
const IDEMPOTENCY_ERRORS: &[&str] = &["idempotency_key_invalid", "idempotency_key_reused"];

/// Error code of a call on a company (`{company}` in the path).
const COMPANY_ERRORS: &[&str] = &["company_not_covered"];

/// What an operation may name beyond those every call of its kind meets.
const NOT_FOUND: &[&str] = &["not_found"];
const BAD_PARAMETER: &[&str] = &["bad_parameter"];
/// A call that starts work on Sendcloud's side.
const STARTS_WORK: &[&str] = &["already_running", "not_connected"];

/// A secured `GET` answering 200; the rows say what differs.
const GET: Op = Op {
    method: "get",
    path: "",
    id: "",
    summary: "",
    params: &[],
    body: None,
    status: 200,
    answer: Answer::Document(""),
    errors: &[],
    idempotent: false,
    secured: true,
};

/// A secured `POST` answering 202 (work queued) with an `Idempotency-Key`.
const POST: Op = Op {
    method: "post",
    status: 202,
    idempotent: true,
    ..GET
};

/// Every `/api/v1` route.
pub static OPERATIONS: &[Op] = &[
    Op {
        path: "/api/v1/companies",
        id: "listCompanies",
        summary: "The companies the token covers, with their integration state.",
        answer: Answer::Body { schema: "CompanyList", root: "companies" },
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}",
        id: "getCompany",
        summary: "A company's Sendcloud integration status (state, last Abgleich, failing since, failed labels).",
        params: &[COMPANY],
        answer: Answer::Body { schema: "CompanyStatus", root: "company" },
        errors: NOT_FOUND,
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}/shipping-options",
        id: "listShippingOptions",
        summary: "The shipping options that fit a delivery, or a destination and weight (only those that fit).",
        params: &[
            COMPANY,
            query("delivery", "integer", "A delivery: its destination and weight (products × quantities)."),
            query("country", "string", "Destination country, ISO 3166-1 alpha-2 (with `weight`, instead of `delivery`)."),
            query("postal_code", "string", "Destination postal code."),
            query("weight", "string", "Parcel weight in kg, decimal point (`1.25`)."),
        ],
        answer: Answer::Body { schema: "OptionList", root: "shipping_options" },
        errors: &["not_found", "bad_parameter"],
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}/labels",
        id: "createLabels",
        summary: "Create the labels of one or many deliveries: 202 with a job per delivery; follow `GET …/jobs/{job}` or the delivery.",
        params: &[COMPANY],
        body: Some(("LabelRequest", "labels")),
        answer: Answer::Body { schema: "LabelJobs", root: "label_jobs" },
        ..POST
    },
    Op {
        path: "/api/v1/companies/{company}/jobs/{job}",
        id: "getJob",
        summary: "A label or cancel job; once done (or failed), the delivery with its shipment, its problems or the cancel outcome.",
        params: &[COMPANY, path("job", "The job's id from a 202 answer.")],
        answer: Answer::Body { schema: "JobBody", root: "job" },
        errors: NOT_FOUND,
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}/deliveries/{delivery}",
        id: "getDelivery",
        summary: "A delivery's shipment (label), shipping state, problems and tracking history.",
        params: &[COMPANY, DELIVERY],
        answer: Answer::Body { schema: "DeliveryBody", root: "delivery" },
        errors: NOT_FOUND,
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}/deliveries/{delivery}/documents/{kind}",
        id: "getDocument",
        summary: "A document of the delivery's parcel from Sendcloud: the label or the customs declaration, as PDF or ZPL.",
        params: &[
            COMPANY,
            DELIVERY,
            Param { name: "kind", at: In::Path, kind: "string", required: true, about: "`label` or `customs-declaration`." },
            query("format", "string", "`pdf` (default) or `zpl`."),
        ],
        answer: Answer::Binary(&["application/pdf", "application/zpl"]),
        errors: &["not_found", "bad_parameter", "no_label", "document_unavailable", "not_connected", "sendcloud_error"],
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}/deliveries/{delivery}/cancel",
        id: "cancelLabel",
        summary: "Cancel the delivery's label (no body): 202 with the cancel job; Sendcloud's answer becomes the shipment's `cancel_outcome`.",
        params: &[COMPANY, DELIVERY],
        answer: Answer::Body { schema: "CancelAccepted", root: "cancel" },
        errors: &["no_label"],
        ..POST
    },
    Op {
        path: "/api/v1/companies/{company}/logs",
        id: "listLogs",
        summary: "The Logs: failed labels with their problems (codes, fields, Sendcloud's detail), newest delivery first.",
        params: &[
            COMPANY,
            query("before", "integer", "The `next_before` of the previous page."),
            query("limit", "integer", "Entries per page, 1 to 200 (default 50)."),
        ],
        answer: Answer::Body { schema: "LogPage", root: "logs" },
        errors: BAD_PARAMETER,
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}/logs/retry",
        id: "retryLabels",
        summary: "Try the labels of these deliveries again (after fixing the data): 202 with a job per delivery.",
        params: &[COMPANY],
        body: Some(("LabelRequest", "labels")),
        answer: Answer::Body { schema: "LabelJobs", root: "label_jobs" },
        ..POST
    },
    Op {
        path: "/api/v1/companies/{company}/syncs",
        id: "startSync",
        summary: "Start an Abgleich of these objects: 202 with the run (`Location` is its URL).",
        params: &[COMPANY],
        body: Some(("StartSync", "sync")),
        answer: Answer::Body { schema: "RunBody", root: "run" },
        errors: STARTS_WORK,
        ..POST
    },
    Op {
        path: "/api/v1/companies/{company}/syncs/{run}",
        id: "getSync",
        summary: "An Abgleich run's progress and result (objects, counts, the problem as a code with Sendcloud's detail).",
        params: &[COMPANY, path("run", "The run's id.")],
        answer: Answer::Body { schema: "RunBody", root: "run" },
        errors: NOT_FOUND,
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}/reports/parcels",
        id: "listParcels",
        summary: "The parcels report (Berichte → Pakete): filters, sort and keyset pages as on the page.",
        params: &report::<7, 13>([
            query("status", "integer", "Sendcloud status id."),
            CARRIER,
            ORDER,
            TRACKING,
            query("kind", "string", "`return` or `outgoing`."),
            TEXT,
            query("sort", "string", "`updated` (default), `order_number`, `tracking_number`, `status`."),
        ]),
        answer: Answer::Body { schema: "ParcelPage", root: "parcels" },
        errors: BAD_PARAMETER,
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}/reports/returns",
        id: "listReturns",
        summary: "The returns report (Berichte → Retouren).",
        params: &report::<6, 12>([
            query("status", "string", "Return status (`open`, `requested`, …)."),
            CARRIER,
            ORDER,
            TRACKING,
            TEXT,
            query("sort", "string", "`updated` (default), `order_number`."),
        ]),
        answer: Answer::Body { schema: "ReturnPage", root: "returns" },
        errors: BAD_PARAMETER,
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}/reports/invoices",
        id: "listInvoices",
        summary: "The invoices report (Berichte → Rechnungen).",
        params: &report::<4, 10>([
            query("paid", "string", "`yes` or `no`."),
            query("kind", "string", "`periodic`, `forced`, `initial_payment`, `other`, `unblock_payment`."),
            query("q", "string", "Free text in the reference."),
            query("sort", "string", "`number` (default), `reference`."),
        ]),
        answer: Answer::Body { schema: "InvoicePage", root: "invoices" },
        errors: BAD_PARAMETER,
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}/deliveries/{delivery}/events",
        id: "postDeliveryEvent",
        summary: "The host says a delivery was created, changed or cancelled: 202 when a label or cancel job was queued, 200 when nothing was to do (`outcome` says why). The same event twice makes one label / one cancellation.",
        params: &[COMPANY, DELIVERY],
        body: Some(("EventRequest", "event")),
        answer: Answer::Body { schema: "EventAnswer", root: "event" },
        errors: NOT_FOUND,
        ..POST
    },
    Op {
        path: "/api/v1/companies/{company}/events",
        id: "listEvents",
        summary: "The outbox of events for the host in one state (oldest first, at most 500), with the counts per state.",
        params: &[COMPANY, query("state", "string", "`pending` (default), `parked` or `delivered`.")],
        answer: Answer::Body { schema: "EventList", root: "events" },
        errors: BAD_PARAMETER,
        ..GET
    },
    Op {
        path: "/api/v1/companies/{company}/events/retry",
        id: "retryEvents",
        summary: "Send the parked events again (no body): 202 with how many were queued again.",
        params: &[COMPANY],
        answer: Answer::Body { schema: "Requeued", root: "events" },
        idempotent: false,
        ..POST
    },
    Op {
        path: "/api/v1/companies/{company}/events/hook",
        id: "setEventsHook",
        summary: "Where the module posts the host's events: `url` (empty switches them off) and `secret` (write-only, ≥ 16 characters; absent keeps the stored one, empty removes it). The answer never carries the secret.",
        params: &[COMPANY],
        body: Some(("HookRequest", "hook")),
        status: 200,
        answer: Answer::Body { schema: "HookAnswer", root: "hook" },
        idempotent: false,
        ..POST
    },
    Op {
        path: "/api/v1/companies/{company}/orders/push",
        id: "pushOrders",
        summary: "Push the approved orders changed since a date, or named orders (even unchanged or held back), to Sendcloud: 202 with the push job.",
        params: &[COMPANY],
        body: Some(("PushRequest", "push")),
        answer: Answer::Body { schema: "PushAccepted", root: "push" },
        errors: STARTS_WORK,
        ..POST
    },
    Op {
        path: "/api/v1/companies/{company}/orders/{order_number}/push",
        id: "pushOrder",
        summary: "Push one order now, even unchanged or held back (no body): 202 with the push job.",
        params: &[
            COMPANY,
            Param { name: "order_number", at: In::Path, kind: "string", required: true, about: "The order's number in the host (an approved, open order)." },
        ],
        answer: Answer::Body { schema: "PushAccepted", root: "push" },
        errors: &["not_found", "already_running", "not_connected"],
        ..POST
    },
    Op {
        path: "/api/v1/openapi.json",
        id: "getOpenApi",
        summary: "This document (public).",
        answer: Answer::Document("application/json"),
        secured: false,
        ..GET
    },
    Op {
        path: "/api/v1/docs",
        id: "getDocs",
        summary: "This document as a readable page (public; `?lang=de|en|nl|fr`).",
        params: &[query("lang", "string", "`de` (default), `en`, `nl`, `fr`.")],
        answer: Answer::Document("text/html"),
        secured: false,
        ..GET
    },
];

/// The JSON Schemas of every named body type, as `components.schemas`.
fn schemas() -> Map<String, Value> {
    use super::{companies, deliveries, events, labels, logs, orders, reports, shipping, syncs};
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings.meta_schema = None;
    let mut g = settings.into_generator();
    fn add<T: JsonSchema>(g: &mut schemars::SchemaGenerator) {
        let _ = g.subschema_for::<T>();
    }
    add::<companies::CompanyList>(&mut g);
    add::<companies::CompanyStatus>(&mut g);
    add::<shipping::OptionList>(&mut g);
    add::<labels::LabelRequest>(&mut g);
    add::<labels::LabelJobs>(&mut g);
    add::<labels::JobBody>(&mut g);
    add::<labels::CancelAccepted>(&mut g);
    add::<deliveries::DeliveryBody>(&mut g);
    add::<logs::LogPage>(&mut g);
    add::<syncs::StartSync>(&mut g);
    add::<syncs::RunBody>(&mut g);
    add::<reports::ParcelPage>(&mut g);
    add::<reports::ReturnPage>(&mut g);
    add::<reports::InvoicePage>(&mut g);
    add::<events::EventRequest>(&mut g);
    add::<events::EventAnswer>(&mut g);
    add::<events::EventList>(&mut g);
    add::<events::Requeued>(&mut g);
    add::<events::HookRequest>(&mut g);
    add::<events::HookAnswer>(&mut g);
    add::<orders::PushRequest>(&mut g);
    add::<orders::PushAccepted>(&mut g);
    let mut defs = g.take_definitions(true);
    defs.insert(
        "Problem".into(),
        json!({
            "type": "object",
            "description": "RFC 9457 problem details; `code` is stable (see x-error-codes). XML: <problem xmlns=\"urn:ietf:rfc:7807\"> with the same members as elements.",
            "required": ["type", "title", "status", "code", "detail"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "code": {"type": "string", "enum": CODES.iter().map(|c| c.0).collect::<Vec<_>>()},
                "detail": {"type": "string"}
            }
        }),
    );
    defs
}

/// The error codes of an operation, by status.
pub fn error_codes(op: &Op) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = vec![];
    if op.secured {
        out.extend(COMMON_ERRORS);
    }
    if op.body.is_some() {
        out.extend(BODY_ERRORS);
    }
    if op.idempotent {
        out.extend(IDEMPOTENCY_ERRORS);
    }
    if op
        .params
        .iter()
        .any(|p| p.at == In::Path && p.name == COMPANY.name)
    {
        out.extend(COMPANY_ERRORS);
    }
    out.extend(op.errors);
    out.sort();
    out.dedup();
    out
}

fn status_of(code: &str) -> u16 {
    CODES
        .iter()
        .find(|c| c.0 == code)
        .map(|c| c.1)
        .unwrap_or(400)
}

/// The OpenAPI 3.1 document; `server` is the mount path.
pub fn document(server: &str) -> Value {
    let mut paths = Map::new();
    for op in OPERATIONS {
        let mut o = Map::new();
        o.insert("operationId".into(), json!(op.id));
        o.insert("summary".into(), json!(op.summary));
        let mut params: Vec<Value> = op
            .params
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "in": if p.at == In::Path { "path" } else { "query" },
                    "required": p.required,
                    "description": p.about,
                    "schema": {"type": p.kind},
                })
            })
            .collect();
        if op.idempotent {
            params.push(json!({
                "name": "Idempotency-Key",
                "in": "header",
                "required": false,
                "description": "1 to 200 characters. A repeated request with the same key and body answers the first answer (header `Idempotent-Replayed: true`); the same key with another body is 422 `idempotency_key_reused`. Kept 24 hours.",
                "schema": {"type": "string", "maxLength": 200},
            }));
        }
        o.insert("parameters".into(), Value::Array(params));
        if let Some((schema, root)) = op.body {
            let s = json!({"$ref": format!("#/components/schemas/{schema}")});
            o.insert(
                "requestBody".into(),
                json!({
                    "required": true,
                    "description": format!("JSON, or XML under <{root}> (a list is its element repeated). Unknown fields are refused; at most 64 KiB and 16 levels deep."),
                    "content": {
                        "application/json": {"schema": s},
                        "application/xml": {"schema": s},
                    }
                }),
            );
        }
        let mut responses = Map::new();
        let ok = match op.answer {
            Answer::Body { schema, root } => {
                let s = json!({"$ref": format!("#/components/schemas/{schema}")});
                json!({
                    "description": format!("JSON by default; XML under <{root}> with `Accept: application/xml` (or an XML request body)."),
                    "content": {
                        "application/json": {"schema": s},
                        "application/xml": {"schema": s},
                    }
                })
            }
            Answer::Binary(types) => {
                let mut content = Map::new();
                for t in types {
                    content.insert(
                        (*t).into(),
                        json!({"schema": {"type": "string", "contentMediaType": t}}),
                    );
                }
                json!({"description": "The document.", "content": content})
            }
            Answer::Document(t) => json!({
                "description": "The document.",
                "content": {t: {"schema": {"type": if t == "application/json" { "object" } else { "string" }}}}
            }),
        };
        responses.insert(op.status.to_string(), ok);
        let mut by_status: std::collections::BTreeMap<u16, Vec<&str>> = Default::default();
        for code in error_codes(op) {
            by_status.entry(status_of(code)).or_default().push(code);
        }
        for (status, codes) in by_status {
            let p = json!({"$ref": "#/components/schemas/Problem"});
            responses.insert(
                status.to_string(),
                json!({
                    "description": format!("Problem details; `code` one of: {}.", codes.join(", ")),
                    "content": {
                        "application/problem+json": {"schema": p},
                        "application/problem+xml": {"schema": p},
                    },
                    "x-error-codes": codes,
                }),
            );
        }
        o.insert("responses".into(), Value::Object(responses));
        if !op.secured {
            o.insert("security".into(), json!([]));
        }
        let entry = paths
            .entry(op.path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = entry {
            m.insert(op.method.into(), Value::Object(o));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Sendcloud plugin API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The plugin API for the host: JSON by default, XML with `Accept`/`Content-Type: application/xml`, the same schema both ways. Authenticate with a host token (`Authorization: Bearer <token>`, HS256 signed with SENDCLOUD_PLUGIN_HOST_SECRET, permission `sendcloud.api`). Errors are RFC 9457 problem details with a stable `code`.",
        },
        "servers": [{"url": server}],
        "security": [{"hostToken": []}],
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "hostToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            }
        },
        "x-error-codes": CODES.iter().map(|(c, s, m)| json!({"code": c, "status": s, "meaning": m})).collect::<Vec<_>>(),
    })
}

/// `GET /api/v1/openapi.json` (public).
pub async fn openapi_json(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(document(state.config.mount_path()))
}

/// An operation as the page shows it.
pub struct OpView {
    pub method: String,
    pub path: String,
    pub id: &'static str,
    /// In the reader's language.
    pub summary: String,
    /// Name, where, type and the description in the reader's language.
    pub params: Vec<(String, String, String, String)>,
    pub body: Option<String>,
    pub status: u16,
    pub answer: String,
    pub errors: Vec<(u16, &'static str)>,
    pub idempotent: bool,
}

/// A schema as the page shows it: its fields with type and whether required.
pub struct SchemaView {
    pub name: String,
    pub fields: Vec<(String, String, bool, String)>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage {
    l: Layout,
    ops: Vec<OpView>,
    schemas: Vec<SchemaView>,
    /// Code, HTTP status, the description in the reader's language.
    codes: Vec<(&'static str, u16, String)>,
}

/// The document's schemas with their fields (name, type, required, the
/// English description, empty where there is none).
fn schema_views(doc: &Value) -> Vec<SchemaView> {
    let mut schemas = vec![];
    if let Some(Value::Object(defs)) = doc.pointer("/components/schemas") {
        for (name, s) in defs {
            let required: Vec<&str> = s
                .get("required")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let fields = s
                .get("properties")
                .and_then(Value::as_object)
                .map(|props| {
                    props
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                type_text(v),
                                required.contains(&k.as_str()),
                                v.get("description")
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            schemas.push(SchemaView {
                name: name.clone(),
                fields,
            });
        }
    }
    schemas
}

fn type_text(v: &Value) -> String {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    match v.get("type") {
        Some(Value::String(t)) if t == "array" => {
            format!("[{}]", v.get("items").map(type_text).unwrap_or_default())
        }
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => v
            .get("anyOf")
            .or(v.get("oneOf"))
            .and_then(Value::as_array)
            .map(|a| a.iter().map(type_text).collect::<Vec<_>>().join(" | "))
            .unwrap_or_else(|| "any".into()),
    }
}

#[derive(Deserialize)]
pub struct DocsQuery {
    lang: Option<String>,
}

/// `GET /api/v1/docs` (public): the document as a page.
pub async fn docs(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    q: web::Query<DocsQuery>,
) -> Result<HttpResponse, WebError> {
    let mut l = Layout::new(&state, &req, &session, "api-docs");
    if let Some(lang) = q.lang.as_deref().filter(|l| crate::i18n::I18n::supports(l)) {
        l.lang = lang.to_string();
    }
    l.title = l.t("api-docs-title");
    let doc = document(state.config.mount_path());
    let ops = OPERATIONS
        .iter()
        .map(|op| OpView {
            method: op.method.to_uppercase(),
            path: op.path.to_string(),
            id: op.id,
            summary: l.t(&summary_id(op)),
            params: op
                .params
                .iter()
                .map(|p| {
                    (
                        p.name.to_string(),
                        if p.at == In::Path { "path" } else { "query" }.to_string(),
                        p.kind.to_string(),
                        l.t(&param_id(&l.i18n, op, p)),
                    )
                })
                .collect(),
            body: op.body.map(|(s, _)| s.to_string()),
            status: op.status,
            answer: match op.answer {
                Answer::Body { schema, .. } => schema.to_string(),
                Answer::Binary(t) => t.join(", "),
                Answer::Document(t) => t.to_string(),
            },
            errors: error_codes(op)
                .into_iter()
                .map(|c| (status_of(c), c))
                .collect(),
            idempotent: op.idempotent,
        })
        .collect();
    let schemas = schema_views(&doc)
        .into_iter()
        .map(|mut s| {
            for f in &mut s.fields {
                if !f.3.is_empty() {
                    f.3 = l.t(&field_id(&l.i18n, &s.name, &f.0));
                }
            }
            s
        })
        .collect();
    let codes = CODES
        .iter()
        .map(|(c, s, _)| (*c, *s, l.t(&code_id(c))))
        .collect();
    Ok(html(
        DocsPage {
            l,
            ops,
            schemas,
            codes,
        }
        .render()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{I18n, LANGUAGES};

    #[test]
    fn every_operation_has_its_summary_and_parameters_in_every_language() {
        let i18n = I18n::load().unwrap();
        for op in OPERATIONS {
            let id = summary_id(op);
            for (lang, _, _) in LANGUAGES {
                assert!(i18n.has(lang, &id), "{lang}.ftl lacks {id}");
            }
            // The page's English is the document's.
            assert_eq!(i18n.text("en", &id), op.summary, "{id}");
            for p in op.params {
                let id = param_id(&i18n, op, p);
                for (lang, _, _) in LANGUAGES {
                    assert!(i18n.has(lang, &id), "{lang}.ftl lacks {id}");
                }
                assert_eq!(i18n.text("en", &id), p.about, "{} {id}", op.id);
            }
        }
    }

    #[test]
    fn every_error_code_and_field_description_is_in_every_language() {
        let i18n = I18n::load().unwrap();
        // Each language's own messages (`has` would take the German one).
        let own: Vec<(&str, Vec<String>)> = LANGUAGES
            .iter()
            .map(|(lang, _, _)| (*lang, I18n::ids(lang)))
            .collect();
        for (code, _, meaning) in CODES {
            let id = code_id(code);
            for (lang, ids) in &own {
                assert!(ids.contains(&id), "{lang}.ftl lacks {id}");
            }
            assert_eq!(i18n.text("en", &id), *meaning, "{id}");
        }
        let mut described = 0;
        for s in schema_views(&document("")) {
            for (field, _, _, about) in &s.fields {
                if about.is_empty() {
                    continue;
                }
                described += 1;
                let id = field_id(&i18n, &s.name, field);
                for (lang, ids) in &own {
                    assert!(ids.contains(&id), "{lang}.ftl lacks {id} ({})", s.name);
                }
                assert_eq!(&i18n.text("en", &id), about, "{} {id}", s.name);
            }
        }
        // The schemas do describe their fields (the loop checked something).
        assert!(described > 20, "{described}");
    }
}
