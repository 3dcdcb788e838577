//! API v3 handlers (`/api/v3/...`): the Orders API (`POST /orders` batch upsert keyed on
//! `order_id` + integration id, all-or-nothing validation, at most 100 per request;
//! `GET /orders` with `Link`-header cursor paging) and `GET /user/auth/metadata`; the other
//! v3 resources each in their own file: `shipments.rs` (the list and one shipment, for the
//! Abgleich), `announce.rs` (announce and cancel, for labels), `returns.rs` (`paging.rs` their cursors),
//! `documents.rs` (parcel documents), `integration_logs.rs` (an integration's connection issue
//! log).

mod paging;
mod returns;
mod shipments;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine as _;
use chrono::Utc;
use serde_json::{json, Map, Value};

pub(crate) mod announce;
pub(crate) mod documents;
mod integration_logs;

use super::state::iso;
use super::{auth, query, v3_error, Standin};

pub mod addresses;
pub mod shipping_options;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    shipping_options::configure(cfg);
    addresses::configure(cfg);
    cfg.route("/orders", web::post().to(upsert_orders))
        .route("/orders", web::get().to(list_orders))
        .route("/orders/{id}", web::get().to(get_order))
        .route("/orders/{id}", web::delete().to(delete_order))
        .route("/user/auth/metadata", web::get().to(auth_metadata))
        .configure(announce::configure)
        .configure(shipments::configure)
        .configure(returns::configure)
        .configure(documents::configure)
        .configure(integration_logs::configure);
}

type Data = web::Data<Standin>;

fn unauthorized() -> HttpResponse {
    v3_error(
        StatusCode::UNAUTHORIZED,
        "authentication_failed",
        "Invalid username/password.",
        None,
    )
}

/// One validation error: (detail, pointer).
type Problem = (String, String);

fn integration_id(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn check_money(v: Option<&Value>, ptr: &str, out: &mut Vec<Problem>) {
    match v.and_then(Value::as_object) {
        None => out.push(("Field required".into(), ptr.into())),
        Some(m) => {
            if !m
                .get("value")
                .is_some_and(|v| v.is_number() || v.is_string())
            {
                out.push(("Field required".into(), format!("{ptr}/value")));
            }
            match m.get("currency").and_then(Value::as_str) {
                Some("EUR" | "GBP" | "USD") => {}
                Some(_) => out.push((
                    "Input should be 'EUR', 'GBP' or 'USD'".into(),
                    format!("{ptr}/currency"),
                )),
                None => out.push(("Field required".into(), format!("{ptr}/currency"))),
            }
        }
    }
}

fn check_status(v: Option<&Value>, ptr: &str, out: &mut Vec<Problem>) {
    match v.and_then(Value::as_object) {
        None => out.push(("Field required".into(), ptr.into())),
        Some(m) => {
            for k in ["code", "message"] {
                if !m.get(k).is_some_and(Value::is_string) {
                    out.push(("Field required".into(), format!("{ptr}/{k}")));
                }
            }
        }
    }
}

fn non_empty_str(o: &Map<String, Value>, key: &str) -> Option<String> {
    o.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

/// Validates one order; returns (order_id, integration id) when valid.
fn validate(
    i: usize,
    order: &Value,
    integrations: &[u64],
    out: &mut Vec<Problem>,
) -> Option<(String, u64)> {
    let base = format!("/data/attributes/[{i}]");
    let Some(o) = order.as_object() else {
        out.push(("Input should be a valid dictionary".into(), base));
        return None;
    };
    let before = out.len();
    let order_id = non_empty_str(o, "order_id");
    if order_id.is_none() {
        out.push(("Field required".into(), format!("{base}/order_id")));
    }
    if non_empty_str(o, "order_number").is_none() {
        out.push(("Field required".into(), format!("{base}/order_number")));
    }
    if let Some(id) = o.get("id") {
        if !id.is_string() {
            out.push((
                "Input should be a valid string".into(),
                format!("{base}/id"),
            ));
        }
    }
    let mut integration = None;
    match o.get("order_details").and_then(Value::as_object) {
        None => out.push(("Field required".into(), format!("{base}/order_details"))),
        Some(d) => {
            let ptr = format!("{base}/order_details");
            match d.get("integration").and_then(Value::as_object) {
                None => out.push(("Field required".into(), format!("{ptr}/integration"))),
                Some(int) => match integration_id(int.get("id")) {
                    None => out.push(("Field required".into(), format!("{ptr}/integration/id"))),
                    Some(id) if !integrations.contains(&id) => out.push((
                        format!("Integration with id {id} does not exist"),
                        format!("{ptr}/integration/id"),
                    )),
                    Some(id) => integration = Some(id),
                },
            }
            check_status(d.get("status"), &format!("{ptr}/status"), out);
            if !d.get("order_created_at").is_some_and(Value::is_string) {
                out.push(("Field required".into(), format!("{ptr}/order_created_at")));
            }
            match d.get("order_items").and_then(Value::as_array) {
                None => out.push(("Field required".into(), format!("{ptr}/order_items"))),
                Some(items) => {
                    for (n, item) in items.iter().enumerate() {
                        let ip = format!("{ptr}/order_items/{n}");
                        let Some(it) = item.as_object() else {
                            out.push(("Input should be a valid dictionary".into(), ip));
                            continue;
                        };
                        if non_empty_str(it, "name").is_none() {
                            out.push(("Field required".into(), format!("{ip}/name")));
                        }
                        match it.get("quantity") {
                            None => out.push(("Field required".into(), format!("{ip}/quantity"))),
                            Some(q) if q.as_i64().is_none_or(|q| q <= 0) => out.push((
                                "Input should be greater than 0".into(),
                                format!("{ip}/quantity"),
                            )),
                            Some(_) => {}
                        }
                        check_money(it.get("total_price"), &format!("{ip}/total_price"), out);
                    }
                }
            }
        }
    }
    match o.get("payment_details").and_then(Value::as_object) {
        None => out.push(("Field required".into(), format!("{base}/payment_details"))),
        Some(p) => {
            let ptr = format!("{base}/payment_details");
            check_money(p.get("total_price"), &format!("{ptr}/total_price"), out);
            check_status(p.get("status"), &format!("{ptr}/status"), out);
        }
    }
    if out.len() > before {
        return None;
    }
    Some((order_id?, integration?))
}

fn errors_response(problems: Vec<Problem>) -> HttpResponse {
    let errors: Vec<Value> = problems
        .into_iter()
        .map(|(detail, pointer)| {
            json!({"status": "400", "code": "invalid", "detail": detail, "source": {"pointer": pointer}})
        })
        .collect();
    HttpResponse::BadRequest().json(json!({ "errors": errors }))
}

async fn upsert_orders(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let wrong_format = || {
        HttpResponse::BadRequest().json(json!({"errors": [{
            "status": "400", "code": "non_field_errors", "title": "Wrong format",
            "detail": "Wrong request format, expected list of objects"}]}))
    };
    let Ok(doc) = serde_json::from_slice::<Value>(&body) else {
        return wrong_format();
    };
    let Some(orders) = doc.as_array() else {
        return wrong_format();
    };
    if orders.len() > 100 {
        return v3_error(
            StatusCode::BAD_REQUEST,
            "invalid",
            &format!(
                "Orders list should have at most 100 items, not {}",
                orders.len()
            ),
            Some("/data/attributes/"),
        );
    }
    if orders.is_empty() {
        return v3_error(
            StatusCode::BAD_REQUEST,
            "invalid",
            "Orders list should have at least 1 item, not 0",
            Some("/data/attributes/"),
        );
    }
    let now = iso(Utc::now());
    let mut state = data.state();
    let ids_needed: usize = orders.len();
    let first_id = state.reserve_ids(ids_needed as u64);
    let Some(account) = state.accounts.get_mut(&ctx.account) else {
        return unauthorized();
    };
    let integrations: Vec<u64> = account.integrations.keys().copied().collect();
    let mut problems = Vec::new();
    let mut keyed = Vec::new();
    for (i, order) in orders.iter().enumerate() {
        if let Some(key) = validate(i, order, &integrations, &mut problems) {
            keyed.push((i, key));
        }
    }
    // Explicit ids must exist and keep their order_id.
    for (i, (order_id, _)) in &keyed {
        let Some(id) = orders[*i].get("id").and_then(Value::as_str) else {
            continue;
        };
        let existing = id
            .parse::<u64>()
            .ok()
            .and_then(|id| account.orders.get(&id));
        match existing {
            None => problems.push((
                format!("Order with id {id} does not exist"),
                format!("/data/attributes/[{i}]/id"),
            )),
            Some(o) if o["order_id"].as_str() != Some(order_id.as_str()) => problems.push((
                format!(
                    "Order id {} cannot be changed",
                    o["order_id"].as_str().unwrap_or("")
                ),
                format!("/data/attributes/[{i}]/order_id"),
            )),
            Some(_) => {}
        }
    }
    if !problems.is_empty() {
        return errors_response(problems);
    }
    let mut result = Vec::new();
    for (n, (i, (order_id, integration))) in keyed.into_iter().enumerate() {
        let existing = account
            .orders
            .iter()
            .find(|(_, o)| {
                o["order_id"].as_str() == Some(order_id.as_str())
                    && integration_id(o.pointer("/order_details/integration/id"))
                        == Some(integration)
            })
            .map(|(id, o)| (*id, o["created_at"].clone()));
        let (id, created_at) = match existing {
            Some((id, created)) => (id, created),
            None => (first_id + n as u64, json!(now)),
        };
        let mut stored = orders[i].clone();
        stored["id"] = json!(id);
        stored["created_at"] = created_at;
        stored["modified_at"] = json!(now);
        let order_number = stored["order_number"].clone();
        account.orders.insert(id, stored);
        result.push(json!({"id": id, "order_id": order_id, "order_number": order_number}));
    }
    HttpResponse::Created().json(json!({ "data": result }))
}

fn encode_offset(o: usize) -> String {
    base64::engine::general_purpose::URL_SAFE.encode(format!("o={o}"))
}

fn decode_offset(c: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE.decode(c).ok()?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix("o=")?
        .parse()
        .ok()
}

async fn list_orders(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let q = query(&req);
    let page_size = match q.get("page_size").map(|s| s.parse::<usize>()) {
        None => 100,
        Some(Ok(n)) if n >= 1 => n.min(200),
        Some(_) => {
            return v3_error(
                StatusCode::BAD_REQUEST,
                "invalid",
                "Input should be a valid integer greater than 0",
                None,
            )
        }
    };
    let offset = match q.get("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => match decode_offset(c) {
            Some(o) => o,
            None => return v3_error(StatusCode::BAD_REQUEST, "invalid", "Invalid cursor", None),
        },
    };
    let list_filter = |key: &str| -> Option<Vec<String>> {
        q.get(key)
            .filter(|v| !v.is_empty())
            .map(|v| v.split(',').map(|s| s.trim().to_lowercase()).collect())
    };
    let integrations = list_filter("integration");
    let order_numbers = list_filter("order_number");
    let order_ids = list_filter("order_id");
    let statuses = list_filter("status");
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized();
    };
    let lower = |v: &Value| match v {
        Value::String(s) => s.to_lowercase(),
        other => other.to_string(),
    };
    let matches =
        |f: &Option<Vec<String>>, v: &Value| f.as_ref().is_none_or(|f| f.contains(&lower(v)));
    let mut list: Vec<&Value> = account
        .orders
        .values()
        .filter(|o| {
            matches(
                &integrations,
                o.pointer("/order_details/integration/id")
                    .unwrap_or(&Value::Null),
            ) && matches(&order_numbers, &o["order_number"])
                && matches(&order_ids, &o["order_id"])
                && matches(
                    &statuses,
                    o.pointer("/order_details/status/code")
                        .unwrap_or(&Value::Null),
                )
        })
        .collect();
    if let Some(sort) = q.get("sort").filter(|s| !s.is_empty()) {
        let (desc, key) = match sort.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, sort.as_str()),
        };
        let ptr = match key {
            "integration" => "/order_details/integration/id",
            "order_number" => "/order_number",
            "order_id" => "/order_id",
            "order_created_at" => "/order_details/order_created_at",
            "order_updated_at" => "/order_details/order_updated_at",
            "created_at" => "/created_at",
            _ => "/id",
        };
        list.sort_by(|a, b| {
            let ka = a.pointer(ptr).map(lower).unwrap_or_default();
            let kb = b.pointer(ptr).map(lower).unwrap_or_default();
            let o = ka.cmp(&kb);
            if desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    let total = list.len();
    let page: Vec<Value> = list
        .into_iter()
        .skip(offset)
        .take(page_size)
        .cloned()
        .collect();
    let link_for = |o: usize| {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
            if k != "cursor" {
                ser.append_pair(&k, &v);
            }
        }
        ser.append_pair("cursor", &encode_offset(o));
        format!("{}{}?{}", data.base_url(), req.path(), ser.finish())
    };
    let mut links = Vec::new();
    if offset + page_size < total {
        links.push(format!("<{}>; rel=\"next\"", link_for(offset + page_size)));
    }
    if offset > 0 {
        links.push(format!(
            "<{}>; rel=\"prev\"",
            link_for(offset.saturating_sub(page_size))
        ));
    }
    let mut resp = HttpResponse::Ok();
    if !links.is_empty() {
        resp.insert_header(("Link", links.join(", ")));
    }
    resp.json(json!({ "data": page }))
}

async fn get_order(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let id: Option<u64> = req.match_info().get("id").and_then(|s| s.parse().ok());
    let s = data.state();
    match id.and_then(|id| s.accounts.get(&ctx.account)?.orders.get(&id)) {
        Some(o) => HttpResponse::Ok().json(json!({ "data": o })),
        None => v3_error(StatusCode::NOT_FOUND, "not_found", "Not found.", None),
    }
}

async fn delete_order(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let id: Option<u64> = req.match_info().get("id").and_then(|s| s.parse().ok());
    let mut s = data.state();
    match id.and_then(|id| s.accounts.get_mut(&ctx.account)?.orders.remove(&id)) {
        Some(_) => HttpResponse::NoContent().finish(),
        None => v3_error(StatusCode::NOT_FOUND, "not_found", "Not found.", None),
    }
}

async fn auth_metadata(req: HttpRequest) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    HttpResponse::Ok()
        .json(json!({"data": {"user_id": ctx.account, "integration_id": ctx.integration}}))
}
