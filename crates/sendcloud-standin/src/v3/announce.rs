//! v3 shipments, the label side (`shipments.yml`): `POST /shipments/announce` (synchronous,
//! one collo, label in the answer) and `POST /shipments/{id}/cancel`.
//!
//! An announced shipment is stored as a parcel of the account (the same store the v2 API,
//! the status ticker, the webhooks and `GET /v3/shipments` read), keyed by its parcel id; the
//! shipment id is the parcel id as a string. Its request is kept in `Parcel::input` (the
//! answer echoes it).
//!
//! Stand-in choices where Sendcloud's behaviour is undocumented:
//! - A reused `external_reference_id` answers 409 with `errors` *and* the existing shipment
//!   in `data` (V3-FIRST: "409 with the existing shipment"; the body shape is not in the spec).
//! - Validation (400, JSON:API errors with `source.pointer`): required address fields, the
//!   house number for countries that need one (`This field cannot be blank.`), an unknown or
//!   disabled shipping option, a weight outside the option's range, a destination the option
//!   does not serve, e-mail (and phone outside the EU) where the option needs it, item prices
//!   with more than 2 decimals, fractional or zero quantities, items heavier than the parcel,
//!   zero dimensions, customs data (HS code, origin) for parcels leaving the EU customs area.
//! - Cancel (V3-FIRST): 200 cancelled for a label announced today and not handed over yet
//!   (1000, the same-day case), and for 999/1001; 202 queued otherwise (status 1999, 2000 on
//!   the next status step; the spec: a ready-to-send parcel "will be watched for 14 days");
//!   409 when already cancelled, delivered, or announced more than 42 days ago.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde_json::{json, Map, Value};

use super::shipping_options::option_code;
use crate::state::{iso, next_status, random_uuid, Account, Parcel, ShippingMethod};
use crate::v2::parcels::{carrier_tracking_number, parcel_webhook};
use crate::{auth, v3_error, Standin};

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/shipments/announce", web::post().to(announce))
        .route("/shipments/{id}/cancel", web::post().to(cancel));
}

type Data = web::Data<Standin>;

/// Countries of the EU customs area (parcels between them need no customs data).
const EU: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MC", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Countries whose carriers need a house number (it may also be part of `address_line_1`).
const HOUSE_NUMBER_COUNTRIES: &[&str] = &[
    "AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FR", "IT", "LU", "NL", "PL", "SE",
];

/// The enabled outgoing method behind a shipping option code.
pub(crate) fn method_for_option<'a>(
    account: &'a Account,
    code: &str,
) -> Option<&'a ShippingMethod> {
    account
        .shipping_methods
        .iter()
        .find(|m| m.enabled && !m.is_return && option_code(m).as_deref() == Some(code))
}

/// Whether shipments with this option must carry the recipient's e-mail (service-point
/// products notify by e-mail; DPD and UPS require it).
pub fn option_needs_email(m: &ShippingMethod) -> bool {
    m.service_point_input == "required" || m.carrier == "dpd" || m.carrier == "ups"
}

/// The v3 status (code, message) of a parcel status id.
pub fn v3_status(id: u32) -> (&'static str, &'static str) {
    match id {
        999 => ("NO_LABEL", "No label"),
        1000 => ("READY_TO_SEND", "Ready to send"),
        1001 => ("ANNOUNCING", "Being announced"),
        1002 => ("ANNOUNCEMENT_FAILED", "Announcement failed"),
        3 => ("EN_ROUTE_TO_SORTING_CENTER", "En route to sorting center"),
        91 => ("PARCEL_EN_ROUTE", "Parcel en route"),
        11 => ("DELIVERED", "Delivered"),
        1999 => ("CANCELLATION_REQUESTED", "Cancellation requested"),
        2000 => ("CANCELLED", "Cancelled"),
        _ => ("UNKNOWN_STATUS", crate::state::status_message(id)),
    }
}

/// One validation problem: (code, detail, pointer).
type Problem = (&'static str, String, String);

fn errors(status: StatusCode, problems: Vec<Problem>) -> HttpResponse {
    let list: Vec<Value> = problems
        .into_iter()
        .map(|(code, detail, pointer)| {
            json!({"status": status.as_u16().to_string(), "code": code, "detail": detail,
                   "source": {"pointer": pointer}})
        })
        .collect();
    HttpResponse::build(status).json(json!({ "errors": list }))
}

fn text<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    o.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A decimal given as number or string ("1.320", 1.32); `None` when unreadable.
fn decimal(v: Option<&Value>) -> Option<(f64, usize)> {
    let s = match v? {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    let places = s.split_once('.').map_or(0, |(_, f)| f.len());
    s.parse::<f64>().ok().map(|f| (f, places))
}

/// A weight object `{value, unit}` in kg.
fn weight_kg(v: Option<&Value>) -> Option<f64> {
    let o = v?.as_object()?;
    let (value, _) = decimal(o.get("value"))?;
    Some(
        match o.get("unit").and_then(Value::as_str).unwrap_or("kg") {
            "g" => value / 1000.0,
            "lbs" => value * 0.453_592,
            "oz" => value * 0.028_35,
            _ => value,
        },
    )
}

fn check_address(o: Option<&Value>, ptr: &str, out: &mut Vec<Problem>) {
    let Some(a) = o.and_then(Value::as_object) else {
        out.push(("required", "This field is required.".into(), ptr.into()));
        return;
    };
    for key in [
        "name",
        "address_line_1",
        "postal_code",
        "city",
        "country_code",
    ] {
        if text(a, key).is_none() {
            out.push((
                "required",
                "This field is required.".into(),
                format!("{ptr}/{key}"),
            ));
        }
    }
    let country = text(a, "country_code").unwrap_or("").to_ascii_uppercase();
    let in_line = text(a, "address_line_1").is_some_and(|l| l.chars().any(|c| c.is_ascii_digit()));
    if HOUSE_NUMBER_COUNTRIES.contains(&country.as_str())
        && text(a, "house_number").is_none()
        && !in_line
    {
        out.push((
            "invalid",
            "This field cannot be blank.".into(),
            format!("{ptr}/house_number"),
        ));
    }
}

/// Validates an announce request; the method of its option when valid.
fn validate(account: &Account, doc: &Value) -> Result<ShippingMethod, Vec<Problem>> {
    let mut out: Vec<Problem> = Vec::new();
    let Some(o) = doc.as_object() else {
        return Err(vec![(
            "invalid",
            "Input should be a valid dictionary".into(),
            "/".into(),
        )]);
    };
    check_address(o.get("to_address"), "/to_address", &mut out);
    match o.get("from_address").and_then(Value::as_object) {
        Some(f) if f.contains_key("sender_address_id") => {
            let id = f.get("sender_address_id").and_then(Value::as_u64);
            if !id.is_some_and(|id| account.sender_addresses.iter().any(|s| s.id == id)) {
                out.push((
                    "invalid",
                    "Sender address not found.".into(),
                    "/from_address/sender_address_id".into(),
                ));
            }
        }
        other => check_address(other.map(|_| &o["from_address"]), "/from_address", &mut out),
    }
    let code = o
        .get("ship_with")
        .and_then(|s| s.pointer("/properties/shipping_option_code"))
        .and_then(Value::as_str);
    let method = match code {
        None => {
            out.push((
                "required",
                "This field is required.".into(),
                "/ship_with/properties/shipping_option_code".into(),
            ));
            None
        }
        Some(c) => match method_for_option(account, c) {
            None => {
                out.push((
                    "invalid",
                    format!("Shipping option '{c}' is not available for this account."),
                    "/ship_with/properties/shipping_option_code".into(),
                ));
                None
            }
            Some(m) => Some(m.clone()),
        },
    };
    let to = o.get("to_address").and_then(Value::as_object);
    let to_country = to
        .and_then(|t| text(t, "country_code"))
        .unwrap_or("")
        .to_ascii_uppercase();
    let leaves_eu = !to_country.is_empty() && !EU.contains(&to_country.as_str());
    if let (Some(m), Some(t)) = (&method, to) {
        if !to_country.is_empty() && !m.ships_to(&to_country) {
            out.push((
                "invalid",
                format!(
                    "Shipping option '{}' does not ship to {to_country}.",
                    code.unwrap_or_default()
                ),
                "/to_address/country_code".into(),
            ));
        }
        if option_needs_email(m) && text(t, "email").is_none() {
            out.push((
                "required",
                "This field is required for the selected shipping option.".into(),
                "/to_address/email".into(),
            ));
        }
        if leaves_eu && text(t, "phone_number").is_none() {
            out.push((
                "required",
                "This field is required for international shipments.".into(),
                "/to_address/phone_number".into(),
            ));
        }
        if m.service_point_input == "required"
            && o.get("to_service_point")
                .and_then(|s| s.get("id"))
                .is_none_or(Value::is_null)
        {
            out.push((
                "required",
                "A service point is required for the selected shipping option.".into(),
                "/to_service_point/id".into(),
            ));
        }
    }
    let parcels = o.get("parcels").and_then(Value::as_array);
    match parcels {
        None => out.push((
            "required",
            "This field is required.".into(),
            "/parcels".into(),
        )),
        Some(list) if list.len() != 1 => out.push((
            "invalid",
            "Exactly one parcel is supported by this stand-in's synchronous announce.".into(),
            "/parcels".into(),
        )),
        Some(list) => {
            let p = &list[0];
            let ptr = "/parcels/0";
            let weight = weight_kg(p.get("weight"));
            match weight {
                None => out.push((
                    "required",
                    "This field is required.".into(),
                    format!("{ptr}/weight"),
                )),
                Some(w) if w <= 0.0 => out.push((
                    "invalid",
                    "Ensure this value is greater than 0.".into(),
                    format!("{ptr}/weight/value"),
                )),
                Some(w) => {
                    if let Some(m) = &method {
                        if w < m.min_weight || w > m.max_weight {
                            out.push((
                                "invalid",
                                format!(
                                    "Weight {w:.3} kg is outside the range of shipping option '{}' ({:.3}-{:.3} kg).",
                                    code.unwrap_or_default(),
                                    m.min_weight,
                                    m.max_weight
                                ),
                                format!("{ptr}/weight/value"),
                            ));
                        }
                    }
                }
            }
            if let Some(d) = p.get("dimensions").and_then(Value::as_object) {
                for k in ["length", "width", "height"] {
                    if decimal(d.get(k)).is_some_and(|(v, _)| v <= 0.0) {
                        out.push((
                            "invalid",
                            "Ensure this value is greater than 0.".into(),
                            format!("{ptr}/dimensions/{k}"),
                        ));
                    }
                }
            }
            let items = p.get("parcel_items").and_then(Value::as_array);
            let mut items_weight = 0.0;
            for (i, item) in items.into_iter().flatten().enumerate() {
                let ip = format!("{ptr}/parcel_items/{i}");
                match item.get("quantity") {
                    Some(q) if q.as_u64().is_some_and(|q| q >= 1) => {}
                    Some(q) if q.is_f64() => out.push((
                        "invalid",
                        "A valid integer is required.".into(),
                        format!("{ip}/quantity"),
                    )),
                    Some(_) => out.push((
                        "invalid",
                        "Ensure this value is greater than or equal to 1.".into(),
                        format!("{ip}/quantity"),
                    )),
                    None => out.push((
                        "required",
                        "This field is required.".into(),
                        format!("{ip}/quantity"),
                    )),
                }
                if let Some((_, places)) = decimal(item.pointer("/price/value")) {
                    if places > 2 {
                        out.push((
                            "invalid",
                            "Ensure that there are no more than 2 decimal places.".into(),
                            format!("{ip}/price/value"),
                        ));
                    }
                }
                let q = item.get("quantity").and_then(Value::as_f64).unwrap_or(1.0);
                items_weight += weight_kg(item.get("weight")).unwrap_or(0.0) * q;
                if leaves_eu {
                    for k in ["hs_code", "origin_country"] {
                        if item
                            .get(k)
                            .and_then(Value::as_str)
                            .is_none_or(|s| s.trim().is_empty())
                        {
                            out.push((
                                "required",
                                "This field is required for shipments outside the EU.".into(),
                                format!("{ip}/{k}"),
                            ));
                        }
                    }
                }
            }
            if let Some(w) = weight {
                if items_weight > w + 1e-9 {
                    out.push((
                        "invalid",
                        "The total weight of the parcel items exceeds the weight of the parcel."
                            .into(),
                        format!("{ptr}/weight/value"),
                    ));
                }
            }
            if leaves_eu && items.is_none_or(|i| i.is_empty()) {
                out.push((
                    "required",
                    "Parcel items are required for shipments that require customs documents."
                        .into(),
                    format!("{ptr}/parcel_items"),
                ));
            }
        }
    }
    match (out.is_empty(), method) {
        (true, Some(m)) => Ok(m),
        _ => Err(out),
    }
}

/// Drops `null` members (the spec types most optional fields without `null`).
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The v3 shipment (`sync-shipment-response`) of an announced parcel.
pub fn shipment_json(base: &str, p: &Parcel) -> Value {
    without_nulls(shipment_value(base, p))
}

fn shipment_value(base: &str, p: &Parcel) -> Value {
    let input = &p.input;
    let (code, message) = v3_status(p.status);
    let documents: Vec<Value> = if p.announced() {
        let mut d = vec![
            json!({"type": "label", "document_type": "label", "size": "a6",
            "link": format!("{base}/api/v3/parcels/{}/documents/label", p.id)}),
        ];
        if !p.customs_information.is_null() {
            d.push(
                json!({"type": "cn23", "document_type": "customs-declaration", "size": "a4",
                "link": format!("{base}/api/v3/parcels/{}/documents/customs-declaration", p.id)}),
            );
        }
        d
    } else {
        vec![]
    };
    let parcel_in = input
        .get("parcels")
        .and_then(|l| l.get(0))
        .cloned()
        .unwrap_or_else(|| json!({}));
    let carrier = p.shipment.as_ref().map(|s| s.2.clone()).unwrap_or_default();
    json!({
        "id": super::shipments::shipment_id(p),
        "label_details": input.get("label_details").cloned().unwrap_or(json!({"mime_type": "application/pdf", "dpi": 72})),
        "order_number": p.order_number,
        "external_reference_id": p.external_reference,
        "reference": input.get("reference").cloned().unwrap_or(Value::Null),
        "total_order_price": input.get("total_order_price").cloned().unwrap_or(Value::Null),
        "parcels": [{
            "id": p.id,
            "status": {"code": code, "message": message},
            "documents": documents,
            "dimensions": parcel_in.get("dimensions").cloned().unwrap_or(Value::Null),
            "weight": {"value": format!("{:.3}", p.weight), "unit": "kg"},
            "tracking_url": format!("https://tracking.sendcloud.sc/forward?carrier={carrier}&code={}&destination={}", p.tracking_number, p.country),
            "tracking_number": p.tracking_number,
            "created_at": iso(p.date_created),
            "updated_at": iso(p.date_updated),
            "announced_at": p.date_announced.map(iso),
            "parcel_items": parcel_in.get("parcel_items").cloned().unwrap_or(json!([])),
        }],
        "from_address": input.get("from_address").cloned().unwrap_or(Value::Null),
        "to_address": input.get("to_address").cloned().unwrap_or(Value::Null),
        "to_service_point": input.get("to_service_point").cloned().unwrap_or(Value::Null),
        "ship_with": input.get("ship_with").cloned().unwrap_or(Value::Null),
        "customs_information": input.get("customs_information").cloned().unwrap_or(Value::Null),
        "carrier": {"code": carrier, "name": carrier.to_uppercase()},
        "errors": [],
    })
}

/// A v3 parcel item in the v2 `parcel_items` shape.
fn v2_item(i: &Value) -> Value {
    let text = |k: &str| i.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    json!({
        "description": text("description"),
        "quantity": i.get("quantity").and_then(Value::as_u64).unwrap_or(1),
        "weight": format!("{:.3}", weight_kg(i.get("weight")).unwrap_or(0.0)),
        "value": decimal(i.pointer("/price/value")).map_or("0.00".to_string(), |(v, _)| format!("{v:.2}")),
        "hs_code": text("hs_code"),
        "origin_country": text("origin_country"),
        "sku": text("sku"),
        "product_id": text("product_id"),
        "properties": {},
    })
}

fn build_parcel(account: &Account, integration: u64, doc: &Value, m: &ShippingMethod) -> Parcel {
    let now = Utc::now();
    let o = doc.as_object().cloned().unwrap_or_default();
    let empty = Map::new();
    let to = o
        .get("to_address")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let s = |k: &str| text(to, k).unwrap_or("").to_string();
    let from = o.get("from_address").and_then(Value::as_object);
    let sender = from
        .and_then(|f| f.get("sender_address_id"))
        .and_then(Value::as_u64)
        .and_then(|id| account.sender_addresses.iter().find(|a| a.id == id));
    let sender_country = match (sender, from) {
        (Some(a), _) => a.country.clone(),
        (None, Some(f)) => text(f, "country_code").unwrap_or("").to_ascii_uppercase(),
        _ => String::new(),
    };
    let parcel_in = o
        .get("parcels")
        .and_then(|l| l.get(0))
        .cloned()
        .unwrap_or_default();
    let dims = parcel_in.get("dimensions");
    let dim = |k: &str| {
        dims.and_then(|d| decimal(d.get(k)))
            .map(|(v, _)| format!("{v:.2}"))
    };
    Parcel {
        id: 0,
        integration_id: integration,
        name: s("name"),
        company_name: s("company_name"),
        street: s("address_line_1"),
        house_number: s("house_number"),
        address_2: s("address_line_2"),
        city: s("city"),
        postal_code: s("postal_code"),
        country: s("country_code").to_ascii_uppercase(),
        to_state: text(to, "state_province_code").map(str::to_string),
        telephone: s("phone_number"),
        email: s("email"),
        to_service_point: o
            .get("to_service_point")
            .and_then(|p| p.get("id"))
            .filter(|v| !v.is_null())
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)),
        to_post_number: String::new(),
        shipment: Some((m.id, m.name.clone(), m.carrier.clone())),
        contract: None,
        sender_address: sender.map_or(0, |a| a.id),
        sender_country,
        weight: weight_kg(parcel_in.get("weight")).unwrap_or(0.0),
        length: dim("length"),
        width: dim("width"),
        height: dim("height"),
        order_number: o
            .get("order_number")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        external_reference: o
            .get("external_reference_id")
            .and_then(Value::as_str)
            .map(str::to_string),
        reference: o
            .get("reference")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        shipment_uuid: Some(random_uuid()),
        colli_uuid: random_uuid(),
        collo_nr: 0,
        collo_count: 1,
        is_return: false,
        insured_value: 0,
        total_insured_value: 0,
        total_order_value: o
            .get("total_order_price")
            .and_then(|p| decimal(p.get("value")))
            .map(|(v, _)| format!("{v:.2}")),
        total_order_value_currency: o
            .get("total_order_price")
            .and_then(|p| p.get("currency"))
            .and_then(Value::as_str)
            .map(str::to_string),
        // Kept in the v2 shape (the v2 parcel answer shows them).
        parcel_items: Value::Array(
            parcel_in
                .get("parcel_items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(v2_item)
                .collect(),
        ),
        customs_information: o.get("customs_information").cloned().unwrap_or(Value::Null),
        customs_invoice_nr: String::new(),
        customs_shipment_type: None,
        shipping_method_checkout_name: m.name.clone(),
        status: 1000,
        tracking_number: String::new(),
        date_created: now,
        date_updated: now,
        date_announced: Some(now),
        input: o,
    }
}

async fn announce(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return v3_error(
            StatusCode::UNAUTHORIZED,
            "authentication_failed",
            "Invalid username/password.",
            None,
        );
    };
    let Ok(doc) = serde_json::from_slice::<Value>(&body) else {
        return v3_error(
            StatusCode::BAD_REQUEST,
            "parse_error",
            "JSON parse error",
            None,
        );
    };
    let base = data.base_url().to_string();
    let mut state = data.state();
    let id = state.next_id();
    let Some(account) = state.accounts.get_mut(&ctx.account) else {
        return v3_error(
            StatusCode::UNAUTHORIZED,
            "authentication_failed",
            "Invalid username/password.",
            None,
        );
    };
    let reference = doc
        .get("external_reference_id")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(r) = &reference {
        if let Some(existing) = account
            .external_refs
            .get(r)
            .and_then(|pid| account.parcels.get(pid))
        {
            return HttpResponse::Conflict().json(json!({
                "errors": [{"status": "409", "code": "conflict",
                    "detail": "A shipment with this external_reference_id already exists.",
                    "source": {"pointer": "/external_reference_id"}}],
                "data": shipment_json(&base, existing),
            }));
        }
    }
    let method = match validate(account, &doc) {
        Ok(m) => m,
        Err(problems) => return errors(StatusCode::BAD_REQUEST, problems),
    };
    let mut p = build_parcel(account, ctx.integration, &doc, &method);
    p.id = id;
    p.tracking_number = carrier_tracking_number(&p);
    if let Some(r) = &reference {
        account.external_refs.insert(r.clone(), id);
    }
    if next_status(p.status).is_some() {
        account.active.insert(id);
    }
    let out = shipment_json(&base, &p);
    let hook = parcel_webhook(account, &p, &base);
    account.parcels.insert(id, p);
    drop(state);
    data.spawn_webhooks(hook.into_iter().collect());
    HttpResponse::Created().json(json!({ "data": out }))
}

/// The parcel of a shipment id (the parcel id, or the shipment uuid).
fn find_parcel<'a>(account: &'a mut Account, id: &str) -> Option<&'a mut Parcel> {
    if let Ok(n) = id.parse::<u64>() {
        if account.parcels.contains_key(&n) {
            return account.parcels.get_mut(&n);
        }
    }
    account
        .parcels
        .values_mut()
        .find(|p| p.shipment_uuid.as_deref() == Some(id))
}

async fn cancel(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return v3_error(
            StatusCode::UNAUTHORIZED,
            "authentication_failed",
            "Invalid username/password.",
            None,
        );
    };
    let id = req.match_info().get("id").unwrap_or("").to_string();
    let base = data.base_url().to_string();
    let now = Utc::now();
    let mut state = data.state();
    let Some(account) = state.accounts.get_mut(&ctx.account) else {
        return v3_error(StatusCode::NOT_FOUND, "not_found", "Not found", None);
    };
    let Some(p) = find_parcel(account, &id) else {
        return v3_error(StatusCode::NOT_FOUND, "not_found", "Not found", None);
    };
    let conflict = |detail: &str| v3_error(StatusCode::CONFLICT, "conflict", detail, None);
    let answer = match p.status {
        1998..=2001 => return conflict("The shipment has already been cancelled."),
        11 | 93 => {
            return conflict("The shipment has been delivered and can no longer be cancelled.")
        }
        _ if p
            .date_announced
            .is_some_and(|a| now - a > chrono::Duration::days(42)) =>
        {
            return conflict(
                "The shipment was announced more than 42 days ago and can no longer be cancelled.",
            )
        }
        999 | 1001 => {
            p.status = 2000;
            (
                StatusCode::OK,
                json!({"data": {"status": "cancelled", "message": "Shipment has been cancelled"}}),
            )
        }
        1000 if p
            .date_announced
            .is_none_or(|a| a.date_naive() == now.date_naive()) =>
        {
            p.status = 2000;
            (
                StatusCode::OK,
                json!({"data": {"status": "cancelled", "message": "Shipment has been cancelled"}}),
            )
        }
        _ => {
            p.status = 1999;
            (
                StatusCode::ACCEPTED,
                json!({"data": {"status": "queued", "message": "Shipment cancellation has been queued"}}),
            )
        }
    };
    p.date_updated = now;
    let pid = p.id;
    let snapshot = p.clone();
    if next_status(snapshot.status).is_some() {
        account.active.insert(pid);
    } else {
        account.active.remove(&pid);
    }
    let hook = parcel_webhook(account, &snapshot, &base);
    drop(state);
    data.spawn_webhooks(hook.into_iter().collect());
    HttpResponse::build(answer.0).json(answer.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_count_places() {
        assert_eq!(decimal(Some(&json!("12.345"))), Some((12.345, 3)));
        assert_eq!(decimal(Some(&json!(3))), Some((3.0, 0)));
    }
}
