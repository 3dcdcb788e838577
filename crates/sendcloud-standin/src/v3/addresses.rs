//! v3 sender addresses and parcel statuses, served from the same account data as their v2
//! counterparts: `GET /addresses/sender-addresses` (`page_size` ≤ 100, cursor paging through
//! the `Link` header as the spec shows), `GET /addresses/sender-addresses/{id}`, and
//! `GET /parcels/statuses` (string codes with their messages; the v2 list has the same
//! messages with integer ids, which is how a client links the two).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine as _;
use serde_json::{json, Value};

use crate::state::{SenderAddress, PARCEL_STATUSES};
use crate::{auth, query, v3_error, Standin};

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/addresses/sender-addresses",
        web::get().to(list_sender_addresses),
    )
    .route(
        "/addresses/sender-addresses/{id}",
        web::get().to(get_sender_address),
    )
    .route("/parcels/statuses", web::get().to(parcel_statuses));
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

/// The v3 code of a status message ("Ready to send" → `READY_TO_SEND`).
pub fn status_code(message: &str) -> String {
    if message.starts_with("Unknown status") {
        return "UNKNOWN_STATUS".into();
    }
    let mut out = String::new();
    for c in message.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// The v3 `SenderAddressResponse` of an address.
fn address_json(a: &SenderAddress) -> Value {
    let mut taxes = Vec::new();
    if !a.vat_number.is_empty() {
        taxes.push(json!({"name": "VAT", "country_code": a.country, "value": a.vat_number}));
    }
    if !a.eori_number.is_empty() {
        taxes.push(json!({"name": "EORI", "country_code": a.country, "value": a.eori_number}));
    }
    let mut v = json!({
        "id": a.id,
        "name": a.contact_name,
        "company_name": a.company_name,
        "address_line_1": a.street,
        "house_number": a.house_number,
        "address_line_2": "",
        "postal_code": a.postal_code,
        "city": a.city,
        "po_box": a.postal_box,
        "country_code": a.country,
        "email": a.email,
        "phone_number": a.telephone,
        "tax_numbers": taxes,
        "signature": {"full_name": a.signature_full_name, "initials": a.signature_initials},
    });
    if let Some(state) = &a.country_state {
        v["state_province_code"] = json!(state);
    }
    v
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

async fn list_sender_addresses(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let q = query(&req);
    let page_size = match q.get("page_size").map(|s| s.parse::<usize>()) {
        None => 100,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        Some(_) => {
            return v3_error(
                StatusCode::BAD_REQUEST,
                "invalid",
                "Input should be less than or equal to 100",
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
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized();
    };
    let total = account.sender_addresses.len();
    let page: Vec<Value> = account
        .sender_addresses
        .iter()
        .skip(offset)
        .take(page_size)
        .map(address_json)
        .collect();
    drop(s);
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
    if offset > 0 {
        links.push(format!(
            "<{}>; rel=\"prev\"",
            link_for(offset.saturating_sub(page_size))
        ));
    }
    if offset + page_size < total {
        links.push(format!("<{}>; rel=\"next\"", link_for(offset + page_size)));
    }
    let mut resp = HttpResponse::Ok();
    if !links.is_empty() {
        resp.insert_header(("Link", links.join(", ")));
    }
    resp.json(json!({ "data": page }))
}

async fn get_sender_address(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let id: Option<u64> = req.match_info().get("id").and_then(|s| s.parse().ok());
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized();
    };
    match account.sender_addresses.iter().find(|a| Some(a.id) == id) {
        Some(a) => HttpResponse::Ok().json(json!({ "data": address_json(a) })),
        None => v3_error(StatusCode::NOT_FOUND, "not_found", "Not found.", None),
    }
}

async fn parcel_statuses(req: HttpRequest) -> HttpResponse {
    if auth(&req).is_none() {
        return unauthorized();
    }
    let list: Vec<Value> = PARCEL_STATUSES
        .iter()
        .map(|(_, m)| json!({"code": status_code(m), "message": m}))
        .collect();
    HttpResponse::Ok().json(json!({ "data": list }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_follow_sendclouds_examples() {
        assert_eq!(status_code("Ready to send"), "READY_TO_SEND");
        assert_eq!(status_code("Announced"), "ANNOUNCED");
        assert_eq!(
            status_code("Announced: not collected"),
            "ANNOUNCED_NOT_COLLECTED"
        );
        assert_eq!(
            status_code("Unknown status - check carrier track & trace page for more insights"),
            "UNKNOWN_STATUS"
        );
    }
}
