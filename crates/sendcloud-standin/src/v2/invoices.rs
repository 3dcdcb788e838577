//! `GET /user/invoices` and `/user/invoices/{id}`: the account's invoices (the list links
//! to each invoice; the single view carries its items).

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::{not_found, path_id, Caller, Data};
use crate::state::{dmy, Invoice};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/user/invoices", web::get().to(list_invoices))
        .route("/user/invoices/{id}", web::get().to(get_invoice));
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

async fn list_invoices(data: Data, Caller(ctx): Caller) -> HttpResponse {
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

async fn get_invoice(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
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
