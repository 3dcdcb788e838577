//! `GET /shipping_methods` and `/shipping_methods/{id}`: the account's enabled methods with
//! the documented filters (`sender_address` id or `all`, `service_point_id`, `is_return`,
//! `to_country`) and the optional `limit` paging (offsets as cursors).

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::paging::page_url;
use super::{bad_request, not_found, path_id, unauthorized, Caller, Data};
use crate::query;
use crate::AuthCtx;

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/shipping_methods", web::get().to(shipping_methods))
        .route("/shipping_methods/{id}", web::get().to(shipping_method));
}

fn truthy(v: Option<&String>) -> Option<bool> {
    v.map(|s| matches!(s.to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
}

/// The caller's enabled methods matching the documented filters of the query, or an error
/// response.
fn filtered_methods(
    req: &HttpRequest,
    data: &Data,
    ctx: AuthCtx,
) -> Result<Vec<Value>, HttpResponse> {
    let q = query(req);
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return Err(unauthorized(req));
    };
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

async fn shipping_methods(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let methods = match filtered_methods(&req, &data, ctx) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let q = query(&req);
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

async fn shipping_method(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let id = path_id(&req, "id");
    let methods = match filtered_methods(&req, &data, ctx) {
        Ok(m) => m,
        Err(r) => return r,
    };
    match methods.into_iter().find(|m| m["id"].as_u64() == id) {
        Some(m) => HttpResponse::Ok().json(json!({ "shipping_method": m })),
        None => not_found(&req, "Not found."),
    }
}
