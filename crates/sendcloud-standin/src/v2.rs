//! API v2 handlers (`/api/v2/...`): sender addresses, shipping methods, parcel statuses,
//! parcels (create/get/list/update/cancel), labels and parcel documents (PDF), returns,
//! invoices, brands and integrations, with Sendcloud's shapes and error bodies.
//!
//! Stand-in choices where Sendcloud's behaviour is undocumented (API-NOTES §7):
//! - Cancel: 999 (no label) → deleted, 200 `{"status":"deleted",...}`; 1000 → 202 queued
//!   (status 1999, becomes 2000 on the next status step); other announced, undelivered
//!   statuses → 200 cancelled (2000); 2000/1999 → 400 already cancelled; 11 → 400
//!   delivered; 1002 → 410 deleted.
//! - Duplicate `external_reference` → 400 field error `external_reference`.
//! - `GET /parcels` pages in ascending id order; cursors are base64 of `p=<id>`
//!   (`r=1&p=<id>` backwards), like Sendcloud's opaque `o/r/p` cursors.

// Helpers return a ready `HttpResponse` as their error so handlers can answer early.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::pdf::{self, PageSize};
use super::state::{
    country, dmy, next_status, random_uuid, status_message, Account, Invoice, Parcel, State,
    PARCEL_STATUSES,
};
use super::webhooks::Job;
use super::{auth, query, v2_error, Standin};

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/user/addresses/sender", web::get().to(sender_addresses))
        .route("/user/addresses/sender/{id}", web::get().to(sender_address))
        .route("/shipping_methods", web::get().to(shipping_methods))
        .route("/shipping_methods/{id}", web::get().to(shipping_method))
        .route("/parcels/statuses", web::get().to(parcel_statuses))
        .route("/parcels", web::get().to(list_parcels))
        .route("/parcels", web::post().to(create_parcels))
        .route("/parcels", web::put().to(update_parcel))
        .route("/parcels/{id}", web::get().to(get_parcel))
        .route("/parcels/{id}/cancel", web::post().to(cancel_parcel))
        .route(
            "/parcels/{id}/documents/{doc}",
            web::get().to(parcel_document),
        )
        .route(
            "/parcels/{id}/return_portal_url",
            web::get().to(return_portal_url),
        )
        .route("/labels", web::post().to(bulk_labels))
        .route(
            "/customs_declaration/normal_printer",
            web::get().to(customs_pdf),
        )
        .route(
            "/customs_declaration/normal_printer/{id}",
            web::get().to(customs_pdf),
        )
        .route("/returns", web::get().to(list_returns))
        .route("/returns/{id}", web::get().to(get_return))
        .route("/user/invoices", web::get().to(list_invoices))
        .route("/user/invoices/{id}", web::get().to(get_invoice))
        .route("/brands", web::get().to(list_brands))
        .route("/brands/{id}", web::get().to(get_brand))
        .route("/integrations", web::get().to(list_integrations))
        .route("/integrations/{id}", web::get().to(get_integration))
        .route("/integrations/{id}", web::put().to(put_integration))
        .route("/integrations/{id}", web::patch().to(patch_integration))
        .route("/integrations/{id}", web::delete().to(delete_integration));
    for prefix in ["/labels", "/label"] {
        cfg.route(
            &format!("{prefix}/normal_printer"),
            web::get().to(normal_printer),
        )
        .route(
            &format!("{prefix}/normal_printer/{{id}}"),
            web::get().to(normal_printer),
        )
        .route(
            &format!("{prefix}/label_printer"),
            web::get().to(label_printer),
        )
        .route(
            &format!("{prefix}/label_printer/{{id}}"),
            web::get().to(label_printer),
        );
    }
    cfg.route("/labels/{id}", web::get().to(get_label))
        .route("/label/{id}", web::get().to(get_label));
}

type Data = web::Data<Standin>;

fn unauthorized(req: &HttpRequest) -> HttpResponse {
    v2_error(req, StatusCode::UNAUTHORIZED, "Invalid username/password.")
}

/// Path parameter `name` as an id; `None` if absent or not a number.
fn path_id(req: &HttpRequest, name: &str) -> Option<u64> {
    req.match_info().get(name)?.parse().ok()
}

fn bad_request(req: &HttpRequest, msg: &str) -> HttpResponse {
    v2_error(req, StatusCode::BAD_REQUEST, msg)
}

fn not_found(req: &HttpRequest, msg: &str) -> HttpResponse {
    v2_error(req, StatusCode::NOT_FOUND, msg)
}

/// Parses a JSON body, answering 400 with a v2 error body when malformed.
fn parse_body(req: &HttpRequest, body: &[u8]) -> Result<Value, HttpResponse> {
    serde_json::from_slice(body).map_err(|e| {
        bad_request(
            req,
            &format!("JSON parse error - {}", e.to_string().replace('"', "'")),
        )
    })
}

/// Field errors `{field: [messages]}` flattened like Sendcloud: `field: "msg", other: "msg"`.
fn flatten_errors(errors: &BTreeMap<String, Vec<String>>) -> String {
    errors
        .iter()
        .map(|(k, v)| format!("{k}: \"{}\"", v.join(" ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An opaque cursor: base64 of `p=<id>` or `r=1&p=<id>`.
fn encode_cursor(reverse: bool, position: u64) -> String {
    let raw = if reverse {
        format!("r=1&p={position}")
    } else {
        format!("p={position}")
    };
    base64::engine::general_purpose::URL_SAFE.encode(raw)
}

fn decode_cursor(cursor: &str) -> Option<(bool, u64)> {
    let raw = base64::engine::general_purpose::URL_SAFE
        .decode(cursor)
        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(cursor))
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let mut reverse = false;
    let mut position = None;
    for pair in text.split('&') {
        match pair.split_once('=')? {
            ("r", v) => reverse = v == "1",
            ("p", v) => position = Some(v.parse().ok()?),
            ("o", _) => {}
            _ => return None,
        }
    }
    Some((reverse, position?))
}

/// Full URL of the current path with the given query (`cursor` replaced).
fn page_url(base: &str, req: &HttpRequest, cursor: &str) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        if k != "cursor" {
            ser.append_pair(&k, &v);
        }
    }
    ser.append_pair("cursor", cursor);
    format!("{base}{}?{}", req.path(), ser.finish())
}

/// One page of a cursor-paged id-ordered collection: (items, next cursor, previous cursor).
fn cursor_page<T>(
    map: &BTreeMap<u64, T>,
    cursor: Option<(bool, u64)>,
    size: usize,
    keep: impl Fn(&T) -> bool,
) -> (Vec<&T>, Option<String>, Option<String>) {
    let size = size.max(1);
    match cursor {
        Some((true, pos)) => {
            let mut items: Vec<(u64, &T)> = map
                .range(..pos)
                .rev()
                .filter(|(_, v)| keep(v))
                .take(size + 1)
                .map(|(k, v)| (*k, v))
                .collect();
            let more = items.len() > size;
            items.truncate(size);
            items.reverse();
            let prev = more.then(|| encode_cursor(true, items[0].0));
            let next = items.last().map(|(k, _)| encode_cursor(false, *k));
            (items.into_iter().map(|(_, v)| v).collect(), next, prev)
        }
        other => {
            let start = other.map(|(_, p)| p);
            let iter: Box<dyn Iterator<Item = (&u64, &T)>> = match start {
                Some(p) => Box::new(map.range(p.saturating_add(1)..)),
                None => Box::new(map.iter()),
            };
            let mut items: Vec<(u64, &T)> = iter
                .filter(|(_, v)| keep(v))
                .take(size + 1)
                .map(|(k, v)| (*k, v))
                .collect();
            let more = items.len() > size;
            items.truncate(size);
            let next = if more {
                items.last().map(|(k, _)| encode_cursor(false, *k))
            } else {
                None
            };
            let prev = if start.is_some() {
                items.first().map(|(k, _)| encode_cursor(true, *k))
            } else {
                None
            };
            (items.into_iter().map(|(_, v)| v).collect(), next, prev)
        }
    }
}

/// Reads the cursor param: `Ok(None)` without one, `Err` (404 Invalid cursor) when bad.
fn cursor_param(
    req: &HttpRequest,
    q: &std::collections::HashMap<String, String>,
) -> Result<Option<(bool, u64)>, HttpResponse> {
    match q.get("cursor") {
        None => Ok(None),
        Some(c) if c.is_empty() => Ok(None),
        Some(c) => decode_cursor(c)
            .map(Some)
            .ok_or_else(|| not_found(req, "Invalid cursor")),
    }
}

// ---------------------------------------------------------------------------------------------
// Sender addresses

async fn sender_addresses(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let s = data.state();
    let list = s
        .accounts
        .get(&ctx.account)
        .map(|a| a.sender_addresses.clone())
        .unwrap_or_default();
    HttpResponse::Ok().json(json!({ "sender_addresses": list }))
}

async fn sender_address(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let id = path_id(&req, "id");
    let s = data.state();
    match s
        .accounts
        .get(&ctx.account)
        .and_then(|a| a.sender_addresses.iter().find(|x| Some(x.id) == id))
    {
        Some(a) => HttpResponse::Ok().json(json!({ "sender_address": a })),
        None => not_found(&req, "No sender address matches the given query."),
    }
}

// ---------------------------------------------------------------------------------------------
// Shipping methods

fn truthy(v: Option<&String>) -> Option<bool> {
    v.map(|s| matches!(s.to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
}

/// Methods matching the documented filters, or an error response.
fn filtered_methods(
    req: &HttpRequest,
    account: &Account,
    q: &std::collections::HashMap<String, String>,
) -> Result<Vec<Value>, HttpResponse> {
    let from_country: Option<String> = match q.get("sender_address").map(String::as_str) {
        Some("all") => None,
        Some(id) => {
            let id: Option<u64> = id.parse().ok();
            match account.sender_addresses.iter().find(|a| Some(a.id) == id) {
                Some(a) => Some(a.country.clone()),
                None => {
                    return Err(bad_request(
                        req,
                        "sender_address: \"Invalid sender address.\"",
                    ))
                }
            }
        }
        None => account.sender_addresses.first().map(|a| a.country.clone()),
    };
    let to_country = q.get("to_country").filter(|c| !c.is_empty());
    let service_point = q.get("service_point_id").filter(|c| !c.is_empty());
    if let Some(sp) = service_point {
        if sp.parse::<u64>().is_err() {
            return Err(bad_request(
                req,
                "service_point_id: \"A valid integer is required.\"",
            ));
        }
    }
    let is_return = truthy(q.get("is_return")).unwrap_or(false);
    Ok(account
        .shipping_methods
        .iter()
        .filter(|m| m.enabled)
        .filter(|m| m.is_return == is_return)
        .filter(|m| {
            from_country
                .as_ref()
                .is_none_or(|c| m.from_countries.contains(c))
        })
        .filter(|m| to_country.is_none_or(|c| m.ships_to(c)))
        .filter(|m| service_point.is_none() || m.service_point_input == "required")
        .map(|m| m.to_json(to_country.map(String::as_str)))
        .collect())
}

async fn shipping_methods(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let q = query(&req);
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    let methods = match filtered_methods(&req, account, &q) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let Some(limit) = q.get("limit") else {
        return HttpResponse::Ok()
            .json(json!({"next": null, "previous": null, "shipping_methods": methods}));
    };
    let Ok(limit) = limit.parse::<usize>() else {
        return bad_request(&req, "limit: \"A valid integer is required.\"");
    };
    let limit = limit.clamp(1, 500);
    let offset = match q.get("cursor").map(|c| c.parse::<usize>()) {
        None => 0,
        Some(Ok(o)) => o,
        Some(Err(_)) => return not_found(&req, "Invalid cursor"),
    };
    let page: Vec<Value> = methods.iter().skip(offset).take(limit).cloned().collect();
    let base = data.base_url();
    let next = (offset + limit < methods.len())
        .then(|| page_url(base, &req, &(offset + limit).to_string()));
    let previous =
        (offset > 0).then(|| page_url(base, &req, &offset.saturating_sub(limit).to_string()));
    HttpResponse::Ok().json(json!({"next": next, "previous": previous, "shipping_methods": page}))
}

async fn shipping_method(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let q = query(&req);
    let id = path_id(&req, "id");
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    let methods = match filtered_methods(&req, account, &q) {
        Ok(m) => m,
        Err(r) => return r,
    };
    match methods.into_iter().find(|m| m["id"].as_u64() == id) {
        Some(m) => HttpResponse::Ok().json(json!({ "shipping_method": m })),
        None => not_found(&req, "Not found."),
    }
}

async fn parcel_statuses(req: HttpRequest) -> HttpResponse {
    if auth(&req).is_none() {
        return unauthorized(&req);
    }
    let list: Vec<Value> = PARCEL_STATUSES
        .iter()
        .map(|(id, m)| json!({"id": id, "message": m}))
        .collect();
    HttpResponse::Ok().json(list)
}

// ---------------------------------------------------------------------------------------------
// Parcels: rendering

pub(crate) fn carrier_tracking_number(carrier: &str, id: u64) -> String {
    match carrier {
        c if c.starts_with("dhl") => format!("JJD00{id:016}"),
        c if c.starts_with("dpd") => format!("0{id:013}"),
        c if c.starts_with("postnl") => format!("3SDEVC{id:09}"),
        c if c.starts_with("gls") => format!("{id:011}"),
        "ups" => format!("1Z999AA1{id:010}"),
        _ => format!("SC{id:012}"),
    }
}

/// The parcel's label block (`null` without a label).
pub(crate) fn label_json(base: &str, p: &Parcel) -> Value {
    if !p.announced() {
        return Value::Null;
    }
    json!({
        "normal_printer": (0..4)
            .map(|i| format!("{base}/api/v2/labels/normal_printer/{}?start_from={i}", p.id))
            .collect::<Vec<_>>(),
        "label_printer": format!("{base}/api/v2/labels/label_printer/{}", p.id),
    })
}

/// The parcel of a `failed_parcels` entry. The spec types it as a parcel *answer* (its example
/// carries an id, `address_divided` and dates), so the input is echoed in that shape: a fresh
/// id, `country` as `{iso_2, iso_3, name}` when known, and `to_service_point` as a string.
fn failed_echo(state: &mut State, input: &Value) -> Value {
    let mut echo = input.as_object().cloned().unwrap_or_default();
    echo.insert("id".into(), json!(state.next_id()));
    let iso = echo
        .get("country")
        .and_then(Value::as_str)
        .map(str::to_ascii_uppercase);
    match iso.as_deref().and_then(country) {
        Some((iso2, iso3, name)) => {
            echo.insert(
                "country".into(),
                json!({"iso_2": iso2, "iso_3": iso3, "name": name}),
            );
        }
        None => {
            echo.remove("country");
        }
    }
    if let Some(sp) = echo.get("to_service_point").filter(|v| v.is_number()) {
        let sp = sp.to_string();
        echo.insert("to_service_point".into(), json!(sp));
    }
    Value::Object(echo)
}

fn needs_customs(country: &str) -> bool {
    matches!(country, "CH" | "GB" | "US")
}

/// A v2 parcel object (`ParcelResponseFull` when `full`, else `ParcelResponseShort`).
/// `{}`
#[derive(Serialize)]
struct Empty {}

#[derive(Serialize)]
struct AddressDividedOut<'a> {
    street: &'a str,
    house_number: &'a str,
}

#[derive(Serialize)]
struct LabelOut {
    normal_printer: Vec<String>,
    label_printer: String,
}

#[derive(Serialize)]
struct DocumentOut {
    #[serde(rename = "type")]
    kind: &'static str,
    size: &'static str,
    link: String,
}

#[derive(Serialize)]
struct StatusOut {
    id: u32,
    message: &'static str,
}

#[derive(Serialize)]
struct CountryOut {
    iso_3: &'static str,
    iso_2: &'static str,
    name: &'static str,
}

#[derive(Serialize)]
struct ShipmentOut<'a> {
    id: u64,
    name: &'a str,
}

#[derive(Serialize)]
struct CarrierOut<'a> {
    code: &'a str,
}

/// A parcel as Sendcloud answers it (`ParcelResponseShort`, plus `customs_information` for
/// `ParcelResponseFull`). Serialised directly by list pages (no intermediate `Value`), and
/// the single source of [`parcel_json`].
#[derive(Serialize)]
pub(crate) struct ParcelOut<'a> {
    id: u64,
    name: &'a str,
    company_name: &'a str,
    contract: Option<u64>,
    address: String,
    address_2: &'a str,
    address_divided: AddressDividedOut<'a>,
    city: &'a str,
    postal_code: &'a str,
    telephone: &'a str,
    email: &'a str,
    date_created: String,
    date_updated: String,
    date_announced: Option<String>,
    tracking_number: &'a str,
    tracking_url: Option<String>,
    weight: String,
    label: Option<LabelOut>,
    customs_declaration: Empty,
    status: StatusOut,
    data: Empty,
    country: CountryOut,
    shipment: Option<ShipmentOut<'a>>,
    carrier: Option<CarrierOut<'a>>,
    order_number: &'a str,
    shipment_uuid: Option<&'a str>,
    external_reference: Option<&'a str>,
    reference: &'a str,
    is_return: bool,
    insured_value: u64,
    total_insured_value: u64,
    total_order_value: Option<&'a str>,
    total_order_value_currency: Option<&'a str>,
    to_state: Option<&'a str>,
    to_service_point: Option<&'a str>,
    colli_uuid: &'a str,
    collo_nr: u32,
    collo_count: u32,
    awb_tracking_number: Option<()>,
    box_number: Option<()>,
    length: Option<&'a str>,
    width: Option<&'a str>,
    height: Option<&'a str>,
    parcel_items: &'a Value,
    documents: Vec<DocumentOut>,
    customs_invoice_nr: &'a str,
    customs_shipment_type: Option<u64>,
    #[serde(rename = "type")]
    kind: &'static str,
    shipping_method_checkout_name: &'a str,
    note: &'static str,
    errors: Empty,
    #[serde(skip_serializing_if = "Option::is_none")]
    customs_information: Option<&'a Value>,
}

impl<'a> ParcelOut<'a> {
    pub(crate) fn new(base: &str, p: &'a Parcel, full: bool) -> ParcelOut<'a> {
        let (iso_2, iso_3, name) = country(&p.country).unwrap_or(("XX", "XXX", "Unknown"));
        let mut documents = Vec::new();
        if p.announced() {
            documents.push(DocumentOut {
                kind: "label",
                size: "a6",
                link: format!("{base}/api/v2/parcels/{}/documents/label", p.id),
            });
            if needs_customs(&p.country) {
                documents.push(DocumentOut {
                    kind: "cn23",
                    size: "a4",
                    link: format!("{base}/api/v2/parcels/{}/documents/cn23", p.id),
                });
            }
        }
        let tracking_url = (!p.tracking_number.is_empty()).then(|| {
            format!(
                "https://tracking.sendcloud.sc/forward?carrier={}&code={}&destination={}&lang=en-us&source={}&type=parcel&verification={}",
                p.shipment.as_ref().map(|s| s.2.as_str()).unwrap_or("sendcloud"),
                p.tracking_number,
                p.country,
                p.sender_country,
                p.postal_code.replace(' ', "")
            )
        });
        let label = p.announced().then(|| LabelOut {
            normal_printer: (0..4)
                .map(|i| {
                    format!(
                        "{base}/api/v2/labels/normal_printer/{}?start_from={i}",
                        p.id
                    )
                })
                .collect(),
            label_printer: format!("{base}/api/v2/labels/label_printer/{}", p.id),
        });
        ParcelOut {
            id: p.id,
            name: &p.name,
            company_name: &p.company_name,
            contract: p.contract,
            address: format!("{} {}", p.street, p.house_number)
                .trim()
                .to_string(),
            address_2: &p.address_2,
            address_divided: AddressDividedOut {
                street: &p.street,
                house_number: &p.house_number,
            },
            city: &p.city,
            postal_code: &p.postal_code,
            telephone: &p.telephone,
            email: &p.email,
            date_created: dmy(p.date_created),
            date_updated: dmy(p.date_updated),
            date_announced: p.date_announced.map(dmy),
            tracking_number: &p.tracking_number,
            tracking_url,
            weight: format!("{:.3}", p.weight),
            label,
            customs_declaration: Empty {},
            status: StatusOut {
                id: p.status,
                message: status_message(p.status),
            },
            data: Empty {},
            country: CountryOut { iso_3, iso_2, name },
            shipment: p.shipment.as_ref().map(|s| ShipmentOut {
                id: s.0,
                name: &s.1,
            }),
            carrier: p.shipment.as_ref().map(|s| CarrierOut { code: &s.2 }),
            order_number: &p.order_number,
            shipment_uuid: p.shipment_uuid.as_deref(),
            external_reference: p.external_reference.as_deref(),
            reference: &p.reference,
            is_return: p.is_return,
            insured_value: p.insured_value,
            total_insured_value: p.total_insured_value,
            total_order_value: p.total_order_value.as_deref(),
            total_order_value_currency: p.total_order_value_currency.as_deref(),
            to_state: p.to_state.as_deref(),
            to_service_point: p.to_service_point.as_deref(),
            colli_uuid: &p.colli_uuid,
            collo_nr: p.collo_nr,
            collo_count: p.collo_count,
            awb_tracking_number: None,
            box_number: None,
            length: p.length.as_deref(),
            width: p.width.as_deref(),
            height: p.height.as_deref(),
            parcel_items: &p.parcel_items,
            documents,
            customs_invoice_nr: &p.customs_invoice_nr,
            customs_shipment_type: p.customs_shipment_type,
            kind: "parcel",
            shipping_method_checkout_name: &p.shipping_method_checkout_name,
            note: "",
            errors: Empty {},
            customs_information: full.then_some(&p.customs_information),
        }
    }
}

/// A parcel as Sendcloud answers it, as JSON (`full` adds `customs_information`).
pub(crate) fn parcel_json(base: &str, p: &Parcel, full: bool) -> Value {
    serde_json::to_value(ParcelOut::new(base, p, full)).unwrap_or(Value::Null)
}

// ---------------------------------------------------------------------------------------------
// Parcels: validation and creation

type FieldErrors = BTreeMap<String, Vec<String>>;

fn add_err(errors: &mut FieldErrors, field: &str, msg: &str) {
    errors
        .entry(field.to_string())
        .or_default()
        .push(msg.to_string());
}

/// A string-ish field: absent → `Ok(None)`, null → `Err(null)`, number → its text.
enum Field {
    Absent,
    Null,
    Text(String),
    Invalid,
}

fn field(input: &Map<String, Value>, key: &str) -> Field {
    match input.get(key) {
        None => Field::Absent,
        Some(Value::Null) => Field::Null,
        Some(Value::String(s)) => Field::Text(s.clone()),
        Some(Value::Number(n)) => Field::Text(n.to_string()),
        Some(_) => Field::Invalid,
    }
}

/// An optional free-text field (absent/null → empty).
fn opt_text(input: &Map<String, Value>, key: &str, errors: &mut FieldErrors) -> String {
    match field(input, key) {
        Field::Text(s) => s,
        Field::Invalid => {
            add_err(errors, key, "Not a valid string.");
            String::new()
        }
        _ => String::new(),
    }
}

fn required_text(input: &Map<String, Value>, key: &str, errors: &mut FieldErrors) -> String {
    match field(input, key) {
        Field::Absent => add_err(errors, key, "This field is required."),
        Field::Null => add_err(errors, key, "This field may not be null."),
        Field::Invalid => add_err(errors, key, "Not a valid string."),
        Field::Text(s) if s.trim().is_empty() => {
            add_err(errors, key, "This field may not be blank.")
        }
        Field::Text(s) => return s.trim().to_string(),
    }
    String::new()
}

fn opt_bool(input: &Map<String, Value>, key: &str, errors: &mut FieldErrors) -> Option<bool> {
    match input.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) if s == "true" || s == "false" => Some(s == "true"),
        Some(_) => {
            add_err(errors, key, "Must be a valid boolean.");
            None
        }
    }
}

fn opt_uint(input: &Map<String, Value>, key: &str, errors: &mut FieldErrors) -> Option<u64> {
    match input.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
        Some(Value::String(s)) if s.trim().parse::<u64>().is_ok() => s.trim().parse().ok(),
        Some(Value::String(s)) if s.is_empty() => None,
        Some(_) => {
            add_err(errors, key, "A valid integer is required.");
            None
        }
    }
}

/// Splits "Street 12a" / "12 Rue X" into (street, number).
fn split_address(address: &str) -> Option<(String, String)> {
    let tokens: Vec<&str> = address.split_whitespace().collect();
    if tokens.len() < 2 {
        return None;
    }
    let digit = |t: &str| t.chars().next().is_some_and(|c| c.is_ascii_digit());
    let last = tokens[tokens.len() - 1];
    if digit(last) {
        return Some((tokens[..tokens.len() - 1].join(" "), last.to_string()));
    }
    // "Kerkstraat 12 a"
    if tokens.len() >= 3 && last.len() == 1 && digit(tokens[tokens.len() - 2]) {
        return Some((
            tokens[..tokens.len() - 2].join(" "),
            format!("{} {}", tokens[tokens.len() - 2], last),
        ));
    }
    if digit(tokens[0]) {
        return Some((tokens[1..].join(" "), tokens[0].to_string()));
    }
    None
}

/// What a valid creation payload turns into (before ids are assigned).
pub(crate) struct NewParcel {
    parcel: Parcel,
    quantity: u32,
}

/// Validates one `ParcelCreation` like Sendcloud and builds the parcel (id 0).
pub(crate) fn build_parcel(
    input: &Map<String, Value>,
    account: &Account,
    integration: u64,
    now: DateTime<Utc>,
) -> Result<NewParcel, FieldErrors> {
    let mut e = FieldErrors::new();
    let name = required_text(input, "name", &mut e);
    let address = required_text(input, "address", &mut e);
    let city = required_text(input, "city", &mut e);
    let postal_code = required_text(input, "postal_code", &mut e);
    let country_code = required_text(input, "country", &mut e).to_ascii_uppercase();
    if !country_code.is_empty() && country(&country_code).is_none() {
        add_err(
            &mut e,
            "country",
            &format!("\"{country_code}\" is not a valid choice."),
        );
    }
    let (street, house_number) = match field(input, "house_number") {
        Field::Null => {
            add_err(&mut e, "house_number", "This field may not be null.");
            (address.clone(), String::new())
        }
        Field::Invalid => {
            add_err(&mut e, "house_number", "Not a valid string.");
            (address.clone(), String::new())
        }
        Field::Text(hn) if !hn.trim().is_empty() => {
            let hn = hn.trim().to_string();
            let street = address
                .strip_suffix(&hn)
                .map(|s| s.trim_end().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| address.clone());
            (street, hn)
        }
        _ => match split_address(&address) {
            Some(split) => split,
            None => {
                if !address.is_empty() {
                    add_err(&mut e, "house_number", "This field cannot be blank.");
                }
                (address.clone(), String::new())
            }
        },
    };
    if house_number.chars().count() > 20 {
        add_err(
            &mut e,
            "house_number",
            "Ensure this field has no more than 20 characters.",
        );
    }
    let company_name = opt_text(input, "company_name", &mut e);
    let address_2 = opt_text(input, "address_2", &mut e);
    let telephone = opt_text(input, "telephone", &mut e);
    let email = opt_text(input, "email", &mut e);
    let to_state = Some(opt_text(input, "country_state", &mut e)).filter(|s| !s.is_empty());
    if matches!(country_code.as_str(), "US" | "IT") && to_state.is_none() {
        add_err(
            &mut e,
            "to_state",
            "This field is required for this country.",
        );
    }
    let to_service_point = opt_uint(input, "to_service_point", &mut e).map(|n| n.to_string());
    let to_post_number = opt_text(input, "to_post_number", &mut e);
    let order_number = opt_text(input, "order_number", &mut e);
    let reference = Some(opt_text(input, "reference", &mut e))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "0".to_string());
    let external_reference =
        Some(opt_text(input, "external_reference", &mut e)).filter(|s| !s.is_empty());
    if let Some(r) = &external_reference {
        if account.external_refs.contains_key(r) {
            add_err(
                &mut e,
                "external_reference",
                "Parcel with this external reference already exists.",
            );
        }
    }
    let shipment_uuid = Some(opt_text(input, "shipment_uuid", &mut e)).filter(|s| !s.is_empty());
    let shipping_method_checkout_name = opt_text(input, "shipping_method_checkout_name", &mut e);
    let customs_invoice_nr = opt_text(input, "customs_invoice_nr", &mut e);
    let customs_shipment_type = opt_uint(input, "customs_shipment_type", &mut e);
    if customs_shipment_type.is_some_and(|t| t > 4) {
        add_err(
            &mut e,
            "customs_shipment_type",
            "Invalid customs shipment type.",
        );
    }
    let contract = opt_uint(input, "contract", &mut e);
    let is_return = opt_bool(input, "is_return", &mut e).unwrap_or(false);
    let request_label = opt_bool(input, "request_label", &mut e)
        .or_else(|| opt_bool(input, "requestLabel", &mut e))
        .unwrap_or(false);
    let request_label_async = opt_bool(input, "request_label_async", &mut e).unwrap_or(false);
    let quantity = opt_uint(input, "quantity", &mut e).unwrap_or(1);
    if !(1..=20).contains(&quantity) {
        add_err(&mut e, "quantity", "Ensure this value is between 1 and 20.");
    }
    let insured_value = opt_uint(input, "insured_value", &mut e).unwrap_or(0);
    let total_insured_value = opt_uint(input, "total_insured_value", &mut e).unwrap_or(0);
    if insured_value > 5000 {
        add_err(
            &mut e,
            "insured_value",
            "Ensure this value is less than or equal to 5000.",
        );
    }
    if insured_value > 0 && total_insured_value > 0 {
        add_err(
            &mut e,
            "non_field_errors",
            "insured_value and total_insured_value are mutually exclusive.",
        );
    }
    let insured_value = if insured_value > 0 {
        insured_value.max(2)
    } else {
        0
    };
    let total_order_value =
        Some(opt_text(input, "total_order_value", &mut e)).filter(|s| !s.is_empty());
    if let Some(v) = &total_order_value {
        if v.parse::<f64>().is_err() {
            add_err(&mut e, "total_order_value", "A valid number is required.");
        }
    }
    let total_order_value_currency =
        Some(opt_text(input, "total_order_value_currency", &mut e)).filter(|s| !s.is_empty());
    let weight = match field(input, "weight") {
        Field::Absent | Field::Null => 1.0,
        Field::Text(t) if t.is_empty() => 1.0,
        Field::Text(t) => match t.trim().parse::<f64>() {
            Ok(w) if w.is_finite() && w >= 0.001 => w,
            Ok(_) => {
                add_err(
                    &mut e,
                    "weight",
                    "Ensure this value is greater than or equal to 0.001.",
                );
                1.0
            }
            Err(_) => {
                add_err(&mut e, "weight", "A valid number is required.");
                1.0
            }
        },
        Field::Invalid => {
            add_err(&mut e, "weight", "A valid number is required.");
            1.0
        }
    };
    let dims: Vec<Option<String>> = ["length", "width", "height"]
        .iter()
        .map(|k| Some(opt_text(input, k, &mut e)).filter(|s| !s.is_empty()))
        .collect();
    let given = dims.iter().filter(|d| d.is_some()).count();
    if given != 0 && given != 3 {
        add_err(
            &mut e,
            "non_field_errors",
            "length, width and height must be given together.",
        );
    }
    let parcel_items = match input.get("parcel_items") {
        None | Some(Value::Null) => json!([]),
        Some(Value::Array(items)) => {
            for (i, it) in items.iter().enumerate() {
                let Some(obj) = it.as_object() else {
                    add_err(
                        &mut e,
                        "parcel_items",
                        &format!("Item {i}: expected an object."),
                    );
                    continue;
                };
                for req in ["description", "quantity", "weight", "value"] {
                    if obj.get(req).is_none_or(Value::is_null) {
                        add_err(
                            &mut e,
                            "parcel_items",
                            &format!("Item {i}: {req}: This field is required."),
                        );
                    }
                }
                if let Some(q) = obj.get("quantity") {
                    if q.as_u64().is_none_or(|q| q < 1) {
                        add_err(
                            &mut e,
                            "parcel_items",
                            &format!("Item {i}: quantity: A valid integer is required."),
                        );
                    }
                }
            }
            Value::Array(items.clone())
        }
        Some(_) => {
            add_err(&mut e, "parcel_items", "Expected a list of items.");
            json!([])
        }
    };
    let customs_information = input
        .get("customs_information")
        .cloned()
        .unwrap_or(Value::Null);

    // Sender address.
    let sender = match opt_uint(input, "sender_address", &mut e) {
        Some(id) => match account.sender_addresses.iter().find(|a| a.id == id) {
            Some(a) => Some(a),
            None => {
                add_err(
                    &mut e,
                    "sender_address",
                    &format!("Invalid pk \"{id}\" - object does not exist."),
                );
                None
            }
        },
        None => account.sender_addresses.first(),
    };
    let (sender_id, sender_country) = sender
        .map(|s| (s.id, s.country.clone()))
        .unwrap_or((0, String::new()));

    // Shipping method.
    let shipment_id = match input.get("shipment") {
        None | Some(Value::Null) => None,
        Some(Value::Object(o)) => match o.get("id") {
            Some(Value::Number(n)) => n.as_u64().or(Some(0)),
            Some(Value::String(s)) => Some(s.parse().unwrap_or(0)),
            _ => {
                add_err(&mut e, "shipment", "id: This field is required.");
                None
            }
        },
        Some(_) => {
            add_err(&mut e, "shipment", "Invalid data. Expected a dictionary.");
            None
        }
    };
    let mut shipment = None;
    if let Some(id) = shipment_id {
        let method = account.shipping_methods.iter().find(|m| {
            m.id == id
                && m.enabled
                && (sender_country.is_empty() || m.from_countries.contains(&sender_country))
                && (country_code.is_empty() || m.ships_to(&country_code))
        });
        match method {
            None => add_err(&mut e, "shipping_method", "Invalid shipping method"),
            Some(m) => {
                if weight < m.min_weight || weight > m.max_weight {
                    add_err(
                        &mut e,
                        "weight",
                        &format!(
                            "Weight must be between {:.3} and {:.3} kg for this shipping method.",
                            m.min_weight, m.max_weight
                        ),
                    );
                }
                if m.service_point_input == "required" && to_service_point.is_none() {
                    add_err(
                        &mut e,
                        "to_service_point",
                        "This shipping method requires a service point.",
                    );
                }
                shipment = Some((m.id, m.name.clone(), m.carrier.clone()));
            }
        }
    } else if request_label || request_label_async {
        add_err(
            &mut e,
            "shipment",
            "This field is required when requesting a label.",
        );
    }
    if !e.is_empty() {
        return Err(e);
    }
    let (status, announced) = if request_label {
        (1000, Some(now))
    } else if request_label_async {
        (1001, None)
    } else {
        (999, None)
    };
    Ok(NewParcel {
        quantity: quantity as u32,
        parcel: Parcel {
            id: 0,
            integration_id: integration,
            name,
            company_name,
            street,
            house_number,
            address_2,
            city,
            postal_code,
            country: country_code,
            to_state,
            telephone,
            email,
            to_service_point,
            to_post_number,
            shipment,
            contract,
            sender_address: sender_id,
            sender_country,
            weight,
            length: dims[0].clone(),
            width: dims[1].clone(),
            height: dims[2].clone(),
            order_number,
            external_reference,
            reference,
            shipment_uuid,
            colli_uuid: random_uuid(),
            collo_nr: 0,
            collo_count: 1,
            is_return,
            insured_value,
            total_insured_value,
            total_order_value,
            total_order_value_currency,
            parcel_items,
            customs_information,
            customs_invoice_nr,
            customs_shipment_type,
            shipping_method_checkout_name,
            status,
            tracking_number: String::new(),
            date_created: now,
            date_updated: now,
            date_announced: announced,
            input: input.clone(),
        },
    })
}

/// Gives a built parcel its ids (one per collo) and stores it; returns the stored parcels.
fn store_parcel(state: &mut State, account_id: u64, new: NewParcel) -> Vec<Parcel> {
    let n = new.quantity.max(1);
    let first = state.reserve_ids(u64::from(n));
    let Some(account) = state.accounts.get_mut(&account_id) else {
        return vec![];
    };
    let mut out = Vec::new();
    for i in 0..n {
        let mut p = new.parcel.clone();
        p.id = first + u64::from(i);
        p.collo_nr = i;
        p.collo_count = n;
        if p.announced() {
            let carrier = p.shipment.as_ref().map(|s| s.2.clone()).unwrap_or_default();
            p.tracking_number = carrier_tracking_number(&carrier, p.id);
        }
        if i == 0 {
            if let Some(r) = &p.external_reference {
                account.external_refs.insert(r.clone(), p.id);
            }
        } else {
            p.external_reference = None;
        }
        if next_status(p.status).is_some() {
            account.active.insert(p.id);
        }
        account.parcels.insert(p.id, p.clone());
        out.push(p);
    }
    out
}

async fn create_parcels(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let doc = match parse_body(&req, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let q = query(&req);
    let verbose = matches!(
        q.get("errors").map(String::as_str),
        Some("verbose") | Some("verbose-carrier")
    );
    let (single, inputs): (bool, Vec<Value>) = match (doc.get("parcel"), doc.get("parcels")) {
        (Some(p), None) => (true, vec![p.clone()]),
        (None, Some(Value::Array(ps))) => (false, ps.clone()),
        (None, Some(_)) => return bad_request(&req, "parcels: \"Expected a list of items.\""),
        _ => {
            return bad_request(
                &req,
                "non_field_errors: \"Request body must contain either 'parcel' or 'parcels'.\"",
            )
        }
    };
    if inputs.is_empty() {
        return bad_request(&req, "parcels: \"This list may not be empty.\"");
    }
    if inputs.len() > 100 {
        return bad_request(
            &req,
            "parcels: \"Ensure this field has no more than 100 elements.\"",
        );
    }
    let base = data.base_url().to_string();
    let now = Utc::now();
    let mut state = data.state();
    let Some(account) = state.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    if account.sender_addresses.is_empty() {
        return v2_error(
            &req,
            StatusCode::PRECONDITION_FAILED,
            "User has no address data",
        );
    }
    // Validate everything first (duplicates inside the batch count too).
    let mut built: Vec<Result<NewParcel, (Value, FieldErrors)>> = Vec::new();
    let mut batch_refs = std::collections::HashSet::new();
    for input in &inputs {
        let Some(obj) = input.as_object() else {
            let mut e = FieldErrors::new();
            add_err(
                &mut e,
                "non_field_errors",
                "Invalid data. Expected a dictionary.",
            );
            built.push(Err((input.clone(), e)));
            continue;
        };
        match build_parcel(obj, account, ctx.integration, now) {
            Ok(np) => {
                if let Some(r) = &np.parcel.external_reference {
                    if !batch_refs.insert(r.clone()) {
                        let mut e = FieldErrors::new();
                        add_err(
                            &mut e,
                            "external_reference",
                            "Parcel with this external reference already exists.",
                        );
                        built.push(Err((input.clone(), e)));
                        continue;
                    }
                }
                built.push(Ok(np))
            }
            Err(e) => built.push(Err((input.clone(), e))),
        }
    }
    if !verbose {
        if let Some(Err((_, e))) = built.iter().find(|b| b.is_err()) {
            return bad_request(&req, &flatten_errors(e));
        }
    }
    let mut created = Vec::new();
    let mut failed = Vec::new();
    for b in built {
        match b {
            Ok(np) => created.extend(store_parcel(&mut state, ctx.account, np)),
            Err((input, errors)) => {
                let echo = failed_echo(&mut state, &input);
                failed.push(json!({"parcel": echo, "errors": errors}))
            }
        }
    }
    drop(state);
    let parcels: Vec<Value> = created
        .iter()
        .map(|p| parcel_json(&base, p, true))
        .collect();
    if verbose {
        let mut out = json!({"parcels": parcels});
        if !failed.is_empty() {
            out["failed_parcels"] = Value::Array(failed);
        }
        if single && created.len() == 1 {
            out = json!({"parcel": parcels[0]});
        }
        return HttpResponse::Ok().json(out);
    }
    if single {
        HttpResponse::Ok().json(json!({"parcel": parcels.first()}))
    } else {
        HttpResponse::Ok().json(json!({"parcels": parcels}))
    }
}

async fn get_parcel(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let id = path_id(&req, "id");
    let s = data.state();
    match id.and_then(|id| s.accounts.get(&ctx.account)?.parcels.get(&id)) {
        Some(p) => {
            HttpResponse::Ok().json(json!({"parcel": parcel_json(data.base_url(), p, true)}))
        }
        None => not_found(&req, "No Parcel matches the given query."),
    }
}

/// Parses an ISO-8601 date or date-time (naive values are UTC).
pub(crate) fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

async fn list_parcels(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let q = query(&req);
    let cursor = match cursor_param(&req, &q) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let mut errors = FieldErrors::new();
    let date = |key: &str, errors: &mut FieldErrors| -> Option<DateTime<Utc>> {
        let v = q.get(key).filter(|v| !v.is_empty())?;
        let t = parse_datetime(v);
        if t.is_none() {
            add_err(errors, key, "Enter a valid date/time.");
        }
        t
    };
    let updated_after = date("updated_after", &mut errors);
    let announced_after = date("announced_after", &mut errors);
    let status = q
        .get("parcel_status")
        .filter(|v| !v.is_empty())
        .and_then(|v| {
            let n = v.parse::<u32>().ok();
            if n.is_none() {
                add_err(&mut errors, "parcel_status", "Enter a whole number.");
            }
            n
        });
    let ids: Option<Vec<u64>> = q.get("ids").filter(|v| !v.is_empty()).map(|v| {
        let parsed: Vec<Option<u64>> = v.split(',').map(|x| x.trim().parse().ok()).collect();
        if parsed.iter().any(Option::is_none) {
            add_err(&mut errors, "ids", "Enter a comma-separated list of ids.");
        }
        if parsed.len() > 100 {
            add_err(
                &mut errors,
                "ids",
                "Ensure this field has no more than 100 elements.",
            );
        }
        parsed.into_iter().flatten().collect()
    });
    if !errors.is_empty() {
        return bad_request(&req, &flatten_errors(&errors));
    }
    let external_reference = q.get("external_reference").filter(|v| !v.is_empty());
    let order_number = q.get("order_number").filter(|v| !v.is_empty());
    let tracking_number = q.get("tracking_number").filter(|v| !v.is_empty());
    let base = data.base_url().to_string();
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    let keep = |p: &Parcel| {
        updated_after.is_none_or(|t| p.date_updated >= t)
            && announced_after.is_none_or(|t| p.date_announced.is_some_and(|a| a >= t))
            && status.is_none_or(|st| p.status == st)
            && ids.as_ref().is_none_or(|ids| ids.contains(&p.id))
            && external_reference.is_none_or(|r| p.external_reference.as_ref() == Some(r))
            && order_number.is_none_or(|o| &p.order_number == o)
            && tracking_number.is_none_or(|t| &p.tracking_number == t)
    };
    // Fast paths for the idempotency look-up by external reference.
    let (items, next, prev) = if let (Some(r), None) = (external_reference, cursor) {
        let hit: Vec<&Parcel> = account
            .external_refs
            .get(r)
            .and_then(|id| account.parcels.get(id))
            .filter(|p| keep(p))
            .into_iter()
            .collect();
        (hit, None, None)
    } else {
        cursor_page(&account.parcels, cursor, data.page_size(), keep)
    };
    #[derive(Serialize)]
    struct ListOut<'a> {
        next: Option<String>,
        previous: Option<String>,
        parcels: Vec<ParcelOut<'a>>,
    }
    // Serialised straight from the state (no intermediate `Value`): pages are hot in benchmarks.
    let body = serde_json::to_vec(&ListOut {
        next: next.map(|c| page_url(&base, &req, &c)),
        previous: prev.map(|c| page_url(&base, &req, &c)),
        parcels: items
            .iter()
            .map(|p| ParcelOut::new(&base, p, false))
            .collect(),
    });
    drop(s);
    match body {
        Ok(body) => HttpResponse::Ok()
            .content_type("application/json")
            .body(body),
        Err(e) => v2_error(&req, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

async fn update_parcel(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let doc = match parse_body(&req, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(input) = doc.get("parcel").and_then(Value::as_object) else {
        return bad_request(&req, "parcel: \"This field is required.\"");
    };
    let Some(id) = input.get("id").and_then(|v| {
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
    }) else {
        return bad_request(&req, "Parcel ID is missing");
    };
    let base = data.base_url().to_string();
    let now = Utc::now();
    let mut state = data.state();
    let Some(account) = state.accounts.get_mut(&ctx.account) else {
        return unauthorized(&req);
    };
    let Some(existing) = account.parcels.get(&id).cloned() else {
        return not_found(&req, "No Parcel matches the given query.");
    };
    if existing.announced() || existing.status != 999 {
        return bad_request(
            &req,
            "non_field_errors: \"Parcel has already been announced and cannot be updated.\"",
        );
    }
    // Merge: stored creation input (or the stored values) + new fields.
    let mut merged = if existing.input.is_empty() {
        parcel_json(&base, &existing, true)
            .as_object()
            .cloned()
            .unwrap_or_default()
    } else {
        existing.input.clone()
    };
    if existing.input.is_empty() {
        merged.insert("country".into(), json!(existing.country));
        merged.insert(
            "shipment".into(),
            json!(existing.shipment.as_ref().map(|s| json!({"id": s.0}))),
        );
        merged.insert("sender_address".into(), json!(existing.sender_address));
        merged.insert("house_number".into(), json!(existing.house_number));
        merged.insert("address".into(), json!(existing.street));
        merged.insert("country_state".into(), json!(existing.to_state));
        merged.remove("status");
    }
    for (k, v) in input {
        if k != "id" {
            merged.insert(k.clone(), v.clone());
        }
    }
    merged.remove("quantity");
    // The parcel's own external reference is not a duplicate of itself.
    if let Some(r) = &existing.external_reference {
        account.external_refs.remove(r);
    }
    let built = build_parcel(&merged, account, existing.integration_id, now);
    let mut new = match built {
        Ok(np) => np.parcel,
        Err(e) => {
            if let Some(r) = &existing.external_reference {
                account.external_refs.insert(r.clone(), id);
            }
            return bad_request(&req, &flatten_errors(&e));
        }
    };
    new.id = id;
    new.date_created = existing.date_created;
    new.colli_uuid = existing.colli_uuid.clone();
    if new.announced() {
        let carrier = new
            .shipment
            .as_ref()
            .map(|s| s.2.clone())
            .unwrap_or_default();
        new.tracking_number = carrier_tracking_number(&carrier, id);
    }
    if let Some(r) = &new.external_reference {
        account.external_refs.insert(r.clone(), id);
    }
    if next_status(new.status).is_some() {
        account.active.insert(id);
    }
    let changed = new.status != existing.status;
    let out = parcel_json(&base, &new, true);
    account.parcels.insert(id, new.clone());
    let jobs = if changed {
        parcel_webhook(account, &new, &base).into_iter().collect()
    } else {
        vec![]
    };
    drop(state);
    data.spawn_webhooks(jobs);
    HttpResponse::Ok().json(json!({"parcel": out}))
}

/// The `parcel_status_changed` job for a parcel, if its integration has webhooks on.
pub(crate) fn parcel_webhook(account: &Account, p: &Parcel, base: &str) -> Option<Job> {
    let i = account.integrations.get(&p.integration_id)?;
    if !i.webhook_active || i.webhook_url.is_empty() {
        return None;
    }
    let now = Utc::now();
    let mut parcel = parcel_json(base, p, false);
    parcel["date_created"] = json!(p.date_created.format("%Y-%m-%dT%H:%M:%S").to_string());
    parcel["external_order_id"] = json!(p
        .input
        .get("external_order_id")
        .cloned()
        .unwrap_or(Value::Null));
    parcel["external_shipment_id"] = json!(p
        .input
        .get("external_shipment_id")
        .cloned()
        .unwrap_or(Value::Null));
    Some(Job {
        url: i.webhook_url.clone(),
        secret: i.secret_key.clone(),
        payload: json!({
            "action": "parcel_status_changed",
            "timestamp": now.timestamp_millis(),
            "carrier_status_change_timestamp": now.timestamp_millis(),
            "parcel": parcel,
        }),
    })
}

async fn cancel_parcel(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let id = path_id(&req, "id");
    let base = data.base_url().to_string();
    let now = Utc::now();
    let mut state = data.state();
    let Some(account) = state.accounts.get_mut(&ctx.account) else {
        return unauthorized(&req);
    };
    let Some(p) = id.and_then(|id| account.parcels.get_mut(&id)) else {
        return not_found(&req, "No Parcel matches the given query.");
    };
    let body = |status: &str, message: &str| json!({"status": status, "message": message});
    let (code, out, new_status) = match p.status {
        999 | 1001 => (
            StatusCode::OK,
            body("deleted", "Parcel has been deleted"),
            None,
        ),
        1002 => (
            StatusCode::GONE,
            body("deleted", "Parcel has been deleted"),
            None,
        ),
        1998..=2001 => (
            StatusCode::BAD_REQUEST,
            body("failed", "Parcel has already been cancelled"),
            Some(p.status),
        ),
        11 | 93 => (
            StatusCode::BAD_REQUEST,
            body(
                "failed",
                "Parcel has already been delivered and cannot be cancelled",
            ),
            Some(p.status),
        ),
        _ if p
            .date_announced
            .is_some_and(|a| now - a > chrono::Duration::days(42)) =>
        {
            (
                StatusCode::BAD_REQUEST,
                body(
                    "failed",
                    "Parcel was announced more than 42 days ago and cannot be cancelled",
                ),
                Some(p.status),
            )
        }
        1000 => (
            StatusCode::ACCEPTED,
            body("queued", "Parcel cancellation has been queued"),
            Some(1999),
        ),
        _ => (
            StatusCode::OK,
            body("cancelled", "Parcel has been cancelled"),
            Some(2000),
        ),
    };
    let pid = p.id;
    let mut jobs = Vec::new();
    match new_status {
        None => {
            if let Some(p) = account.parcels.remove(&pid) {
                if let Some(r) = &p.external_reference {
                    account.external_refs.remove(r);
                }
            }
            account.active.remove(&pid);
        }
        Some(s) if s != p.status => {
            p.status = s;
            p.date_updated = now;
            let snapshot = p.clone();
            if next_status(s).is_some() {
                account.active.insert(pid);
            } else {
                account.active.remove(&pid);
            }
            jobs.extend(parcel_webhook(account, &snapshot, &base));
        }
        Some(_) => {}
    }
    drop(state);
    data.spawn_webhooks(jobs);
    HttpResponse::build(code).json(out)
}

async fn return_portal_url(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let id = path_id(&req, "id");
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    let parcel = id.and_then(|id| account.parcels.get(&id));
    match (parcel, account.brands.values().next()) {
        (Some(_), Some(b)) => HttpResponse::Ok().json(json!({
            "url": format!("https://{}.shipping-portal.com/rp/", b["domain"].as_str().unwrap_or("brand"))
        })),
        _ => not_found(&req, "No return portal is configured."),
    }
}

// ---------------------------------------------------------------------------------------------
// Labels and documents

async fn get_label(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let id = path_id(&req, "id");
    let s = data.state();
    match id.and_then(|id| s.accounts.get(&ctx.account)?.parcels.get(&id)) {
        Some(p) if p.announced() => HttpResponse::Ok().json(json!({
            "label": label_json(data.base_url(), p),
            "customs_declaration": {},
        })),
        Some(_) => not_found(&req, "No label found for this parcel."),
        None => not_found(&req, "No Parcel matches the given query."),
    }
}

async fn bulk_labels(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let doc = match parse_body(&req, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(ids) = doc
        .pointer("/label/parcels")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(Value::as_u64).collect::<Option<Vec<u64>>>())
    else {
        return bad_request(&req, "label: \"parcels: This field is required.\"");
    };
    let Some(ids) = ids.filter(|v| !v.is_empty()) else {
        return bad_request(
            &req,
            "label: \"parcels: A list of parcel ids is required.\"",
        );
    };
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    if ids
        .iter()
        .any(|id| !account.parcels.get(id).is_some_and(Parcel::announced))
    {
        return not_found(&req, "No Parcel matches the given query.");
    }
    let list = ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
    let base = data.base_url();
    HttpResponse::Ok().json(json!({"label": {
        "normal_printer": (0..4)
            .map(|i| format!("{base}/api/v2/labels/normal_printer?ids={list}&start_from={i}"))
            .collect::<Vec<_>>(),
        "label_printer": format!("{base}/api/v2/labels/label_printer?ids={list}"),
    }}))
}

fn pdf_response(bytes: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}.pdf\""),
        ))
        .body(bytes)
}

/// Text lines printed on a label.
fn label_lines(account: &Account, p: &Parcel, title: &str) -> Vec<String> {
    let mut lines = vec![title.to_string()];
    if let Some((_, name, carrier)) = &p.shipment {
        lines.push(format!("{} - {}", carrier.to_uppercase(), name));
    }
    if let Some(s) = account
        .sender_addresses
        .iter()
        .find(|s| s.id == p.sender_address)
    {
        lines.push(format!(
            "From: {}, {} {}, {} {}, {}",
            s.company_name, s.street, s.house_number, s.postal_code, s.city, s.country
        ));
    }
    lines.push(String::new());
    lines.push("To:".to_string());
    lines.push(p.name.clone());
    if !p.company_name.is_empty() {
        lines.push(p.company_name.clone());
    }
    lines.push(format!("{} {}", p.street, p.house_number));
    if !p.address_2.is_empty() {
        lines.push(p.address_2.clone());
    }
    lines.push(format!("{} {}", p.postal_code, p.city));
    lines.push(p.country.clone());
    lines.push(String::new());
    lines.push(format!("Tracking: {}", p.tracking_number));
    lines.push(format!("Parcel {} / Order {}", p.id, p.order_number));
    lines.push(format!("Weight {:.3} kg", p.weight));
    lines
}

/// Parcels named by `{id}` in the path or `ids=` in the query, all announced.
fn label_parcels(req: &HttpRequest, account: &Account) -> Result<Vec<Parcel>, HttpResponse> {
    let q = query(req);
    let ids: Vec<u64> = if let Some(id) = req.match_info().get("id") {
        match id.parse() {
            Ok(id) => vec![id],
            Err(_) => return Err(not_found(req, "No Parcel matches the given query.")),
        }
    } else {
        let Some(raw) = q.get("ids").filter(|s| !s.is_empty()) else {
            return Err(bad_request(req, "ids: \"This field is required.\""));
        };
        match raw
            .split(',')
            .map(|s| s.trim().parse().ok())
            .collect::<Option<Vec<u64>>>()
        {
            Some(v) => v,
            None => {
                return Err(bad_request(
                    req,
                    "ids: \"Enter a comma-separated list of ids.\"",
                ))
            }
        }
    };
    let mut out = Vec::new();
    for id in ids {
        match account.parcels.get(&id) {
            Some(p) if p.announced() => out.push(p.clone()),
            _ => return Err(not_found(req, "No Parcel matches the given query.")),
        }
    }
    Ok(out)
}

/// One PDF with a page per parcel named in the query (`ids`), each page titled `title`.
fn parcels_pdf(
    req: &HttpRequest,
    data: &Data,
    size: PageSize,
    title: &str,
    start_from: u8,
    file: &str,
) -> HttpResponse {
    let Some(ctx) = auth(req) else {
        return unauthorized(req);
    };
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(req);
    };
    let parcels = match label_parcels(req, account) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let pages: Vec<Vec<String>> = parcels
        .iter()
        .map(|p| label_lines(account, p, title))
        .collect();
    pdf_response(pdf::build(size, &pages, start_from), file)
}

async fn normal_printer(req: HttpRequest, data: Data) -> HttpResponse {
    // As Sendcloud: the keys are checked before the query.
    if auth(&req).is_none() {
        return unauthorized(&req);
    }
    let q = query(&req);
    let start_from = match q.get("start_from").map(|s| s.parse::<u8>()) {
        None => 0,
        Some(Ok(n)) if n <= 3 => n,
        Some(_) => return bad_request(&req, "start_from: \"Must be between 0 and 3.\""),
    };
    parcels_pdf(
        &req,
        &data,
        PageSize::A4,
        "SHIPPING LABEL (A4)",
        start_from,
        "labels",
    )
}

async fn label_printer(req: HttpRequest, data: Data) -> HttpResponse {
    parcels_pdf(&req, &data, PageSize::A6, "SHIPPING LABEL", 0, "labels")
}

async fn customs_pdf(req: HttpRequest, data: Data) -> HttpResponse {
    parcels_pdf(
        &req,
        &data,
        PageSize::A4,
        "CUSTOMS DECLARATION CN23",
        0,
        "customs_declaration",
    )
}

async fn parcel_document(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let id = path_id(&req, "id");
    let doc = req.match_info().get("doc").unwrap_or("").to_string();
    let (size, title) = match doc.as_str() {
        "label" => (PageSize::A6, "SHIPPING LABEL"),
        "cp71" => (PageSize::A4, "CP71 DISPATCH NOTE"),
        "cn23" | "cn23-default" => (PageSize::A4, "CUSTOMS DECLARATION CN23"),
        "commercial-invoice" => (PageSize::A4, "COMMERCIAL INVOICE"),
        _ => return not_found(&req, "Unknown document type."),
    };
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    match id.and_then(|id| account.parcels.get(&id)) {
        Some(p) if p.announced() => {
            pdf_response(pdf::build(size, &[label_lines(account, p, title)], 0), &doc)
        }
        Some(_) => not_found(&req, "No document found for this parcel."),
        None => not_found(&req, "No Parcel matches the given query."),
    }
}

// ---------------------------------------------------------------------------------------------
// Returns, invoices, brands

/// A cursor-paged list of one of the account's JSON collections under `key`.
fn list_values(
    req: &HttpRequest,
    data: &Data,
    key: &str,
    pick: fn(&Account) -> &BTreeMap<u64, Value>,
) -> HttpResponse {
    let Some(ctx) = auth(req) else {
        return unauthorized(req);
    };
    let q = query(req);
    let cursor = match cursor_param(req, &q) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let base = data.base_url().to_string();
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(req);
    };
    let (items, next, prev) = cursor_page(pick(account), cursor, data.page_size(), |_| true);
    HttpResponse::Ok().json(json!({
        "next": next.map(|c| page_url(&base, req, &c)),
        "previous": prev.map(|c| page_url(&base, req, &c)),
        key: items,
    }))
}

/// One object of one of the account's JSON collections, or Sendcloud's 404.
fn get_value(
    req: &HttpRequest,
    data: &Data,
    missing: &str,
    pick: fn(&Account) -> &BTreeMap<u64, Value>,
) -> HttpResponse {
    let Some(ctx) = auth(req) else {
        return unauthorized(req);
    };
    let id = path_id(req, "id");
    let s = data.state();
    match id.and_then(|id| pick(s.accounts.get(&ctx.account)?).get(&id)) {
        Some(v) => HttpResponse::Ok().json(v),
        None => not_found(req, missing),
    }
}

async fn list_returns(req: HttpRequest, data: Data) -> HttpResponse {
    list_values(&req, &data, "returns", |a| &a.returns)
}

async fn get_return(req: HttpRequest, data: Data) -> HttpResponse {
    get_value(&req, &data, "No Return matches the given query.", |a| {
        &a.returns
    })
}

/// An invoice as Sendcloud shows it; `items` is a link in the list and the
/// items themselves in the single view.
fn invoice_json(i: &Invoice, items: Value) -> Value {
    json!({
        "id": i.id,
        "ref": i.reference,
        "type": i.kind,
        "price_incl": i.price_incl,
        "price_excl": i.price_excl,
        "isPayed": i.is_payed,
        "date": dmy(i.date),
        "items": items,
    })
}

async fn list_invoices(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let base = data.base_url().to_string();
    let s = data.state();
    let list: Vec<Value> = s
        .accounts
        .get(&ctx.account)
        .map(|a| {
            a.invoices
                .values()
                .map(|i| invoice_json(i, json!(format!("{base}/api/v2/user/invoices/{}", i.id))))
                .collect()
        })
        .unwrap_or_default();
    HttpResponse::Ok().json(json!({ "invoices": list }))
}

async fn get_invoice(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let id = path_id(&req, "id");
    let s = data.state();
    match id.and_then(|id| s.accounts.get(&ctx.account)?.invoices.get(&id)) {
        Some(i) => {
            let items: Vec<Value> = i
                .items
                .iter()
                .map(|(id, name)| json!({"id": id, "name": name}))
                .collect();
            HttpResponse::Ok().json(json!({ "invoice": invoice_json(i, json!(items)) }))
        }
        None => not_found(&req, "No Invoice matches the given query."),
    }
}

async fn list_brands(req: HttpRequest, data: Data) -> HttpResponse {
    list_values(&req, &data, "brands", |a| &a.brands)
}

async fn get_brand(req: HttpRequest, data: Data) -> HttpResponse {
    get_value(&req, &data, "No Brand matches the given query.", |a| {
        &a.brands
    })
}

// ---------------------------------------------------------------------------------------------
// Integrations

async fn list_integrations(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let q = query(&req);
    let s = data.state();
    let mut list: Vec<Value> = s
        .accounts
        .get(&ctx.account)
        .map(|a| a.integrations.values().map(|i| i.to_json()).collect())
        .unwrap_or_default();
    if let Some(field) = q.get("ordering").filter(|f| !f.is_empty()) {
        let (desc, key) = match field.strip_prefix('-') {
            Some(k) => (true, k.to_string()),
            None => (false, field.clone()),
        };
        list.sort_by(|a, b| {
            let o = a[&key].to_string().cmp(&b[&key].to_string());
            if desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    HttpResponse::Ok().json(list)
}

async fn get_integration(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let id = path_id(&req, "id");
    let s = data.state();
    match id.and_then(|id| s.accounts.get(&ctx.account)?.integrations.get(&id)) {
        Some(i) => HttpResponse::Ok().json(i.to_json()),
        None => not_found(&req, "No Integration matches the given query."),
    }
}

async fn put_integration(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    write_integration(req, body, data, false).await
}

async fn patch_integration(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    write_integration(req, body, data, true).await
}

async fn write_integration(
    req: HttpRequest,
    body: web::Bytes,
    data: Data,
    partial: bool,
) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let doc = match parse_body(&req, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(input) = doc.as_object() else {
        return bad_request(
            &req,
            "non_field_errors: \"Invalid data. Expected a dictionary.\"",
        );
    };
    let id = path_id(&req, "id");
    let mut e = FieldErrors::new();
    let text = |key: &str, e: &mut FieldErrors| -> Option<String> {
        match input.get(key) {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                add_err(e, key, "Not a valid string.");
                None
            }
        }
    };
    let shop_name = text("shop_name", &mut e);
    let shop_url = text("shop_url", &mut e);
    let webhook_url = text("webhook_url", &mut e);
    let webhook_active = opt_bool(input, "webhook_active", &mut e);
    let service_point_enabled = opt_bool(input, "service_point_enabled", &mut e);
    let carriers = match input.get("service_point_carriers") {
        None => None,
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .or_else(|| {
                add_err(
                    &mut e,
                    "service_point_carriers",
                    "Expected a list of strings.",
                );
                None
            }),
        Some(_) => {
            add_err(
                &mut e,
                "service_point_carriers",
                "Expected a list of items.",
            );
            None
        }
    };
    if !partial && shop_name.is_none() {
        add_err(&mut e, "shop_name", "This field is required.");
    }
    if let Some(n) = &shop_name {
        if n.is_empty() || n.chars().count() > 250 {
            add_err(
                &mut e,
                "shop_name",
                "Ensure this field has 1 to 250 characters.",
            );
        }
    }
    for (k, v) in [("shop_url", &shop_url), ("webhook_url", &webhook_url)] {
        if let Some(u) = v {
            if !(u.is_empty() || u.starts_with("http://") || u.starts_with("https://")) {
                add_err(&mut e, k, "Enter a valid URL.");
            }
        }
    }
    if !e.is_empty() {
        return bad_request(&req, &flatten_errors(&e));
    }
    let mut s = data.state();
    let Some(i) = id.and_then(|id| s.accounts.get_mut(&ctx.account)?.integrations.get_mut(&id))
    else {
        return not_found(&req, "No Integration matches the given query.");
    };
    if let Some(v) = shop_name {
        i.shop_name = v;
    }
    if let Some(v) = shop_url {
        i.shop_url = v;
    }
    if let Some(v) = webhook_url {
        i.webhook_url = v;
    }
    if let Some(v) = webhook_active {
        i.webhook_active = v;
    }
    if let Some(v) = service_point_enabled {
        i.service_point_enabled = v;
    }
    if let Some(v) = carriers {
        i.service_point_carriers = v;
    }
    i.last_updated_at = Utc::now();
    let out = i.to_json();
    let job = (i.webhook_active && !i.webhook_url.is_empty()).then(|| Job {
        url: i.webhook_url.clone(),
        secret: i.secret_key.clone(),
        payload: json!({
            "action": "integration_updated",
            "timestamp": Utc::now().timestamp_millis(),
            "integration": out,
        }),
    });
    drop(s);
    data.spawn_webhooks(job.into_iter().collect());
    HttpResponse::Ok().json(out)
}

async fn delete_integration(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let id = path_id(&req, "id");
    let mut s = data.state();
    let removed = id.and_then(|id| s.accounts.get_mut(&ctx.account)?.integrations.remove(&id));
    match removed {
        Some(i) => {
            s.keys.remove(&i.public_key);
            HttpResponse::NoContent().finish()
        }
        None => not_found(&req, "No Integration matches the given query."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The former `Value`-building `parcel_json`, kept to prove the typed one equivalent.
    fn parcel_json_reference(base: &str, p: &Parcel, full: bool) -> Value {
        let (iso2, iso3, cname) = country(&p.country).unwrap_or(("XX", "XXX", "Unknown"));
        let mut documents = Vec::new();
        if p.announced() {
            documents.push(json!({"type": "label", "size": "a6",
                "link": format!("{base}/api/v2/parcels/{}/documents/label", p.id)}));
            if needs_customs(&p.country) {
                documents.push(json!({"type": "cn23", "size": "a4",
                    "link": format!("{base}/api/v2/parcels/{}/documents/cn23", p.id)}));
            }
        }
        let tracking_url = (!p.tracking_number.is_empty()).then(|| {
            format!(
                "https://tracking.sendcloud.sc/forward?carrier={}&code={}&destination={}&lang=en-us&source={}&type=parcel&verification={}",
                p.shipment.as_ref().map(|s| s.2.as_str()).unwrap_or("sendcloud"),
                p.tracking_number,
                p.country,
                p.sender_country,
                p.postal_code.replace(' ', "")
            )
        });
        let mut v = json!({
            "id": p.id,
            "name": p.name,
            "company_name": p.company_name,
            "contract": p.contract,
            "address": format!("{} {}", p.street, p.house_number).trim().to_string(),
            "address_2": p.address_2,
            "address_divided": {"street": p.street, "house_number": p.house_number},
            "city": p.city,
            "postal_code": p.postal_code,
            "telephone": p.telephone,
            "email": p.email,
            "date_created": dmy(p.date_created),
            "date_updated": dmy(p.date_updated),
            "date_announced": p.date_announced.map(dmy),
            "tracking_number": p.tracking_number,
            "tracking_url": tracking_url,
            "weight": format!("{:.3}", p.weight),
            "label": label_json(base, p),
            "customs_declaration": {},
            "status": {"id": p.status, "message": status_message(p.status)},
            "data": {},
            "country": {"iso_3": iso3, "iso_2": iso2, "name": cname},
            "shipment": p.shipment.as_ref().map(|s| json!({"id": s.0, "name": s.1})),
            "carrier": p.shipment.as_ref().map(|s| json!({"code": s.2})),
        });
        let more = json!({
            "order_number": p.order_number,
            "shipment_uuid": p.shipment_uuid,
            "external_reference": p.external_reference,
            "reference": p.reference,
            "is_return": p.is_return,
            "insured_value": p.insured_value,
            "total_insured_value": p.total_insured_value,
            "total_order_value": p.total_order_value,
            "total_order_value_currency": p.total_order_value_currency,
            "to_state": p.to_state,
            "to_service_point": p.to_service_point,
            "colli_uuid": p.colli_uuid,
            "collo_nr": p.collo_nr,
            "collo_count": p.collo_count,
            "awb_tracking_number": null,
            "box_number": null,
            "length": p.length,
            "width": p.width,
            "height": p.height,
            "parcel_items": p.parcel_items,
            "documents": documents,
            "customs_invoice_nr": p.customs_invoice_nr,
            "customs_shipment_type": p.customs_shipment_type,
            "type": "parcel",
            "shipping_method_checkout_name": p.shipping_method_checkout_name,
            "note": "",
            "errors": {},
        });
        if let (Some(v), Value::Object(more)) = (v.as_object_mut(), more) {
            v.extend(more);
        }
        if full {
            v["customs_information"] = p.customs_information.clone();
        }
        v
    }

    #[test]
    fn typed_parcel_answer_equals_the_value_built_one() {
        let mut state = State::default();
        let keys = state.seed_demo_account();
        state.seed_bulk(
            keys.account_id,
            super::super::state::SeedSpec {
                parcels: 60,
                returns: 0,
                invoices: 0,
            },
        );
        let account = &state.accounts[&keys.account_id];
        let mut checked = 0;
        for p in account.parcels.values() {
            for full in [false, true] {
                assert_eq!(
                    parcel_json("http://h", p, full),
                    parcel_json_reference("http://h", p, full),
                    "parcel {}",
                    p.id
                );
            }
            checked += 1;
        }
        assert_eq!(checked, 60);
        for t in [
            "2026-01-02T03:04:05Z",
            "1999-12-31T23:59:59Z",
            "2026-11-24T00:00:00.999Z",
        ] {
            let t: DateTime<Utc> = t.parse().unwrap();
            assert_eq!(dmy(t), t.format("%d-%m-%Y %H:%M:%S").to_string());
        }
    }

    #[test]
    fn splits_house_numbers() {
        assert_eq!(
            split_address("Stadhuisplein 10"),
            Some(("Stadhuisplein".into(), "10".into()))
        );
        assert_eq!(
            split_address("Kerkstraat 12 a"),
            Some(("Kerkstraat".into(), "12 a".into()))
        );
        assert_eq!(
            split_address("10 Rue de Rivoli"),
            Some(("Rue de Rivoli".into(), "10".into()))
        );
        assert_eq!(split_address("Hauptstraße"), None);
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        assert_eq!(decode_cursor(&encode_cursor(false, 42)), Some((false, 42)));
        assert_eq!(decode_cursor(&encode_cursor(true, 7)), Some((true, 7)));
        assert_eq!(decode_cursor("not-a-cursor!!"), None);
        assert_eq!(decode_cursor("eD0x"), None); // "x=1"
    }
}
