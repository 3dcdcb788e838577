//! v3 `GET /returns` (required `from_date`/`to_date` on `created_at`, optional
//! `parent_parcel_status` and `page_size` ≤ 40; cursor paging through the body's `next` /
//! `previous` URLs, as `returns.yml` describes for this operation: unlike `/shipments` it
//! states no `Link` header) and `GET /returns/{id}`, served from the same returns the v2
//! endpoints serve (stored in the v2 shape; the v3 view is derived here).
//!
//! Stand-in choices where the spec is silent: the `Return` schema lists no `id` although
//! `/returns/{id}` needs one, so the answer carries it; `from_address` is the outgoing
//! parcel's recipient (the customer), `to_address` the account's first sender address;
//! `parent_status` in `status_history` is the status slug `parent_parcel_status` filters on;
//! the return's `order_number` is the outgoing parcel's (the link back to it).

// Helpers return a ready `HttpResponse` as their error so handlers can answer early.
#![allow(clippy::result_large_err)]

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::paging::{self, address};
use crate::state::Account;
use crate::v2::parse_datetime;
use crate::{auth, query, v3_error, Standin};

type Data = web::Data<Standin>;

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/returns", web::get().to(list_returns))
        .route("/returns/{id}", web::get().to(get_return));
}

fn unauthorized() -> HttpResponse {
    v3_error(
        StatusCode::UNAUTHORIZED,
        "authentication_failed",
        "Invalid username/password.",
        None,
    )
}

fn created_at(r: &Value) -> Option<DateTime<Utc>> {
    r["created_at"].as_str().and_then(parse_datetime)
}

fn slug(r: &Value) -> &str {
    r.pointer("/incoming_parcel_status/global_status_slug")
        .and_then(Value::as_str)
        .unwrap_or("ready-to-send")
}

fn money(v: &Value, currency: &Value) -> Value {
    let value = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim_matches('"').parse().ok(),
        _ => None,
    };
    match value {
        Some(value) => json!({"value": value, "currency": currency.as_str().unwrap_or("EUR")}),
        None => Value::Null,
    }
}

/// The v3 `Return` object of a stored (v2-shaped) return.
fn return_json(account: &Account, r: &Value) -> Value {
    let outgoing = r["outgoing_parcel"]
        .as_u64()
        .and_then(|id| account.parcels.get(&id));
    let from_address = match outgoing {
        Some(p) => json!({
            "name": p.name, "company_name": p.company_name, "address_line_1": p.street,
            "house_number": p.house_number, "postal_code": p.postal_code, "city": p.city,
            "country_code": p.country, "email": p.email,
        }),
        None => json!({"name": "Customer", "address_line_1": "Unknown", "postal_code": "0000",
            "city": "Unknown", "country_code": "NL"}),
    };
    let to_address = match account.sender_addresses.first() {
        Some(a) => json!({
            "name": if a.contact_name.is_empty() { &a.company_name } else { &a.contact_name },
            "company_name": a.company_name, "address_line_1": a.street,
            "house_number": a.house_number, "postal_code": a.postal_code, "city": a.city,
            "country_code": a.country, "email": a.email,
        }),
        None => json!({"name": "Sendcloud", "address_line_1": "Stadhuisplein",
            "house_number": "10", "postal_code": "5611 EM", "city": "Eindhoven",
            "country_code": "NL"}),
    };
    let carrier = outgoing
        .and_then(|p| p.shipment.as_ref())
        .map(|s| s.2.clone())
        .unwrap_or_else(|| "postnl".to_string());
    let created = r["created_at"].clone();
    let refund_type = r.pointer("/refund/refund_type/code").cloned();
    json!({
        "id": r["id"],
        "from_address": address(from_address),
        "to_address": address(to_address),
        "shipping_product": {"code": format!("{carrier}:standard/return")},
        "shipping_option": {"code": format!("{carrier}:standard/return")},
        "weight": {"value": outgoing.map_or(1.0, |p| p.weight.max(0.001)), "unit": "kg"},
        "collo_count": 1,
        "parcel_items": [],
        "send_tracking_emails": false,
        "label_url": null,
        "tracking_number": null,
        "tracking_url": null,
        "is_cancellable": r["is_cancellable"].as_bool().unwrap_or(false),
        "status_history": [{
            "carrier_update_timestamp": created,
            "parcel_status_history_id": "1",
            "parent_status": slug(r),
            "carrier_code": carrier,
            "carrier_message": r.pointer("/incoming_parcel_status/message")
                .cloned().unwrap_or(json!("Ready to send")),
        }],
        "created_at": created,
        "delivered_at": null,
        "delivered_at_iso": null,
        "reason": {"id": r["reason"].as_u64().unwrap_or(1).max(1),
            "description": r["message"].as_str().unwrap_or("")},
        "refund": {"refund_type": refund_type.unwrap_or(json!("money")),
            "message": r.pointer("/refund/message").cloned().unwrap_or(Value::Null)},
        "return_fee": money(&r["return_fee"], &r["return_fee_currency"]),
        "label_cost": money(&r["label_cost"], &r["label_currency"]),
        "order_number": outgoing.map(|p| p.order_number.as_str()).unwrap_or(""),
        "delivery_option": r["delivery_option"],
        "images": [],
        "status": "open",
    })
}

async fn list_returns(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let q = query(&req);
    let date = |k: &str| -> Result<DateTime<Utc>, HttpResponse> {
        let v = q.get(k).filter(|v| !v.is_empty()).ok_or_else(|| {
            v3_error(
                StatusCode::BAD_REQUEST,
                "required",
                "This field is required.",
                Some(&format!("/{k}")),
            )
        })?;
        parse_datetime(v).ok_or_else(|| {
            v3_error(
                StatusCode::BAD_REQUEST,
                "invalid",
                "Enter a valid date/time.",
                Some(&format!("/{k}")),
            )
        })
    };
    let (from, to, after, size) = match (
        date("from_date"),
        date("to_date"),
        paging::cursor(&q),
        paging::size(&q, 40, data.page_size()),
    ) {
        (Ok(f), Ok(t), Ok(c), Ok(s)) => (f, t, c, s),
        (Err(r), ..) | (_, Err(r), ..) | (_, _, Err(r), _) | (.., Err(r)) => return r,
    };
    let status = q.get("parent_parcel_status").filter(|v| !v.is_empty());
    let base = data.base_url().to_string();
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized();
    };
    let start = after.map_or(0, |p| p.saturating_add(1));
    let mut page = Vec::new();
    let mut more = false;
    for (id, r) in account.returns.range(start..) {
        let keep = created_at(r).is_some_and(|c| c >= from && c <= to)
            && status.is_none_or(|st| slug(r) == st);
        if !keep {
            continue;
        }
        if page.len() == size {
            more = true;
            break;
        }
        page.push((*id, return_json(account, r)));
    }
    drop(s);
    let next = match (more, page.last()) {
        (true, Some((last, _))) => Some(paging::page_url(&base, &req, &paging::encode(*last))),
        _ => None,
    };
    let mut body = json!({ "data": page.into_iter().map(|(_, v)| v).collect::<Vec<_>>() });
    if let Some(next) = next {
        body["next"] = json!(next);
    }
    HttpResponse::Ok().json(body)
}

async fn get_return(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let id: Option<u64> = req.match_info().get("id").and_then(|s| s.parse().ok());
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized();
    };
    match id.and_then(|id| account.returns.get(&id)) {
        Some(r) => HttpResponse::Ok().json(return_json(account, r)),
        None => v3_error(StatusCode::NOT_FOUND, "not_found", "Not found.", None),
    }
}
