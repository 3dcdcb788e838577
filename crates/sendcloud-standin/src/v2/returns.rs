//! `GET /returns` (cursor-paged) and `/returns/{id}`: the account's returns.

use actix_web::{web, HttpRequest, HttpResponse};

use super::{get_value, list_values, Caller, Data};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/returns", web::get().to(list_returns))
        .route("/returns/{id}", web::get().to(get_return));
}

async fn list_returns(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    list_values(&req, &data, ctx, "returns", |a| &a.returns)
}

async fn get_return(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    get_value(
        &req,
        &data,
        ctx,
        "No Return matches the given query.",
        |a| &a.returns,
    )
}
