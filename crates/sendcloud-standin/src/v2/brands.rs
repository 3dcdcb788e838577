//! `GET /brands` (cursor-paged) and `/brands/{id}`: the account's brands.

use actix_web::{web, HttpRequest, HttpResponse};

use super::{get_value, list_values, Caller, Data};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/brands", web::get().to(list_brands))
        .route("/brands/{id}", web::get().to(get_brand));
}

async fn list_brands(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    list_values(&req, &data, ctx, "brands", |a| &a.brands)
}

async fn get_brand(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    get_value(&req, &data, ctx, "No Brand matches the given query.", |a| {
        &a.brands
    })
}
