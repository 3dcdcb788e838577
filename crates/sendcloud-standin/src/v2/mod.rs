//! API v2 (`/api/v2/...`), one file per resource as the client in `sendcloud-plugin`'s
//! `src/sendcloud/` is split: `addresses.rs` (sender addresses), `shipping_methods.rs`,
//! `parcels/` (parcels and their statuses; `answer.rs` the parcel shape, `input.rs` the
//! creation payload's validation), `labels.rs` (label links, label and document PDFs),
//! `returns.rs`, `invoices.rs`, `brands.rs`, `integrations.rs`; `paging.rs` the cursors and
//! `fields.rs` the field errors. Answers and error bodies have Sendcloud's shapes.
//!
//! This file holds what every handler shares: the [`Caller`] extractor (401 with the v2 error
//! body before a handler runs when the keys are wrong), the 400/404 answers, the JSON body
//! parser and the list/get of the account's plain JSON collections (returns, brands).

// Helpers return a ready `HttpResponse` as their error so handlers can answer early.
#![allow(clippy::result_large_err)]

mod addresses;
mod brands;
mod fields;
mod integrations;
mod invoices;
pub(crate) mod labels;
mod paging;
pub(crate) mod parcels;
mod returns;
mod shipping_methods;

use std::collections::BTreeMap;
use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use crate::state::Account;
use crate::{auth, query, v2_error, AuthCtx, Standin};

pub(crate) use parcels::{carrier_tracking_number, parcel_webhook, parse_datetime};

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.configure(addresses::configure)
        .configure(shipping_methods::configure)
        .configure(parcels::configure)
        .configure(labels::configure)
        .configure(returns::configure)
        .configure(invoices::configure)
        .configure(brands::configure)
        .configure(integrations::configure);
}

type Data = web::Data<Standin>;

pub(super) fn unauthorized(req: &HttpRequest) -> HttpResponse {
    v2_error(req, StatusCode::UNAUTHORIZED, "Invalid username/password.")
}

/// Path parameter `name` as an id; `None` if absent or not a number.
pub(super) fn path_id(req: &HttpRequest, name: &str) -> Option<u64> {
    req.match_info().get(name)?.parse().ok()
}

pub(super) fn bad_request(req: &HttpRequest, msg: &str) -> HttpResponse {
    v2_error(req, StatusCode::BAD_REQUEST, msg)
}

pub(super) fn not_found(req: &HttpRequest, msg: &str) -> HttpResponse {
    v2_error(req, StatusCode::NOT_FOUND, msg)
}

/// Parses a JSON body, answering 400 with a v2 error body when malformed.
pub(super) fn parse_body(req: &HttpRequest, body: &[u8]) -> Result<Value, HttpResponse> {
    serde_json::from_slice(body).map_err(|e| {
        bad_request(
            req,
            &format!("JSON parse error - {}", e.to_string().replace('"', "'")),
        )
    })
}

/// The account and integration whose keys authenticated the request. Extracting it answers
/// 401 "Invalid username/password." (v2 error body) when the keys are missing or wrong.
pub(super) struct Caller(pub(super) AuthCtx);

impl FromRequest for Caller {
    type Error = actix_web::Error;
    type Future = Ready<Result<Caller, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            auth(req).map(Caller).ok_or_else(|| {
                InternalError::from_response("unauthorized", unauthorized(req)).into()
            }),
        )
    }
}

/// A cursor-paged list of one of the account's JSON collections under `key`.
pub(super) fn list_values(
    req: &HttpRequest,
    data: &Data,
    ctx: AuthCtx,
    key: &str,
    pick: fn(&Account) -> &BTreeMap<u64, Value>,
) -> HttpResponse {
    let q = query(req);
    let cursor = match paging::cursor_param(req, &q) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let base = data.base_url().to_string();
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(req);
    };
    let (items, next, prev) =
        paging::cursor_page(pick(account), cursor, data.page_size(), |_| true);
    HttpResponse::Ok().json(json!({
        "next": next.map(|c| paging::page_url(&base, req, &c)),
        "previous": prev.map(|c| paging::page_url(&base, req, &c)),
        key: items,
    }))
}

/// One object of one of the account's JSON collections, or Sendcloud's 404.
pub(super) fn get_value(
    req: &HttpRequest,
    data: &Data,
    ctx: AuthCtx,
    missing: &str,
    pick: fn(&Account) -> &BTreeMap<u64, Value>,
) -> HttpResponse {
    let id = path_id(req, "id");
    let s = data.state();
    match id.and_then(|id| pick(s.accounts.get(&ctx.account)?).get(&id)) {
        Some(v) => HttpResponse::Ok().json(v),
        None => not_found(req, missing),
    }
}
