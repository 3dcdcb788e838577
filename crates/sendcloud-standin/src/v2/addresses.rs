//! `GET /user/addresses/sender` and `/user/addresses/sender/{id}`: the account's sender
//! addresses.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::{not_found, path_id, Caller, Data};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/user/addresses/sender", web::get().to(sender_addresses))
        .route("/user/addresses/sender/{id}", web::get().to(sender_address));
}

async fn sender_addresses(data: Data, Caller(ctx): Caller) -> HttpResponse {
    let s = data.state();
    let list = s
        .accounts
        .get(&ctx.account)
        .map(|a| a.sender_addresses.clone())
        .unwrap_or_default();
    HttpResponse::Ok().json(json!({ "sender_addresses": list }))
}

async fn sender_address(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
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
