//! `GET /integrations`, `GET / PUT / PATCH / DELETE /integrations/{id}`: the account's
//! integrations; a write sends `integration_updated` to the integration's webhook.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde_json::{json, Value};

use super::fields::{add_err, flatten_errors, opt_bool, FieldErrors};
use super::{bad_request, not_found, parse_body, path_id, Caller, Data};
use crate::webhooks::Job;
use crate::{query, AuthCtx};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/integrations", web::get().to(list_integrations))
        .route("/integrations/{id}", web::get().to(get_integration))
        .route("/integrations/{id}", web::put().to(put_integration))
        .route("/integrations/{id}", web::patch().to(patch_integration))
        .route("/integrations/{id}", web::delete().to(delete_integration));
}

async fn list_integrations(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let q = query(&req);
    let s = data.state();
    let mut list: Vec<Value> = s
        .accounts
        .get(&ctx.account)
        .map(|a| a.integrations.values().map(|i| i.to_json()).collect())
        .unwrap_or_default();
    if let Some(field) = q.get("ordering").filter(|f| !f.is_empty()) {
        let (desc, key) = match field.strip_prefix('-') {
            Some(k) => (true, k.to_string()),
            None => (false, field.clone()),
        };
        list.sort_by(|a, b| {
            let o = a[&key].to_string().cmp(&b[&key].to_string());
            if desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    HttpResponse::Ok().json(list)
}

async fn get_integration(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let id = path_id(&req, "id");
    let s = data.state();
    match id.and_then(|id| s.accounts.get(&ctx.account)?.integrations.get(&id)) {
        Some(i) => HttpResponse::Ok().json(i.to_json()),
        None => not_found(&req, "No Integration matches the given query."),
    }
}

async fn put_integration(
    req: HttpRequest,
    body: web::Bytes,
    data: Data,
    Caller(ctx): Caller,
) -> HttpResponse {
    write_integration(&req, &body, &data, ctx, false)
}

async fn patch_integration(
    req: HttpRequest,
    body: web::Bytes,
    data: Data,
    Caller(ctx): Caller,
) -> HttpResponse {
    write_integration(&req, &body, &data, ctx, true)
}

/// `PUT` (every field; `shop_name` required) or `PATCH` (`partial`: only the given fields).
fn write_integration(
    req: &HttpRequest,
    body: &[u8],
    data: &Data,
    ctx: AuthCtx,
    partial: bool,
) -> HttpResponse {
    let doc = match parse_body(req, body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(input) = doc.as_object() else {
        return bad_request(
            req,
            "non_field_errors: \"Invalid data. Expected a dictionary.\"",
        );
    };
    let id = path_id(req, "id");
    let mut e = FieldErrors::new();
    let text = |key: &str, e: &mut FieldErrors| -> Option<String> {
        match input.get(key) {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                add_err(e, key, "Not a valid string.");
                None
            }
        }
    };
    let shop_name = text("shop_name", &mut e);
    let shop_url = text("shop_url", &mut e);
    let webhook_url = text("webhook_url", &mut e);
    let webhook_active = opt_bool(input, "webhook_active", &mut e);
    let service_point_enabled = opt_bool(input, "service_point_enabled", &mut e);
    let carriers = match input.get("service_point_carriers") {
        None => None,
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .or_else(|| {
                add_err(
                    &mut e,
                    "service_point_carriers",
                    "Expected a list of strings.",
                );
                None
            }),
        Some(_) => {
            add_err(
                &mut e,
                "service_point_carriers",
                "Expected a list of items.",
            );
            None
        }
    };
    if !partial && shop_name.is_none() {
        add_err(&mut e, "shop_name", "This field is required.");
    }
    if let Some(n) = &shop_name {
        if n.is_empty() || n.chars().count() > 250 {
            add_err(
                &mut e,
                "shop_name",
                "Ensure this field has 1 to 250 characters.",
            );
        }
    }
    for (k, v) in [("shop_url", &shop_url), ("webhook_url", &webhook_url)] {
        if let Some(u) = v {
            if !(u.is_empty() || u.starts_with("http://") || u.starts_with("https://")) {
                add_err(&mut e, k, "Enter a valid URL.");
            }
        }
    }
    if !e.is_empty() {
        return bad_request(req, &flatten_errors(&e));
    }
    let mut s = data.state();
    let Some(i) = id.and_then(|id| s.accounts.get_mut(&ctx.account)?.integrations.get_mut(&id))
    else {
        return not_found(req, "No Integration matches the given query.");
    };
    if let Some(v) = shop_name {
        i.shop_name = v;
    }
    if let Some(v) = shop_url {
        i.shop_url = v;
    }
    if let Some(v) = webhook_url {
        i.webhook_url = v;
    }
    if let Some(v) = webhook_active {
        i.webhook_active = v;
    }
    if let Some(v) = service_point_enabled {
        i.service_point_enabled = v;
    }
    if let Some(v) = carriers {
        i.service_point_carriers = v;
    }
    i.last_updated_at = Utc::now();
    let out = i.to_json();
    let job = (i.webhook_active && !i.webhook_url.is_empty()).then(|| Job {
        url: i.webhook_url.clone(),
        secret: i.secret_key.clone(),
        payload: json!({
            "action": "integration_updated",
            "timestamp": Utc::now().timestamp_millis(),
            "integration": out,
        }),
    });
    drop(s);
    data.spawn_webhooks(job.into_iter().collect());
    HttpResponse::Ok().json(out)
}

async fn delete_integration(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let id = path_id(&req, "id");
    let mut s = data.state();
    let removed = id.and_then(|id| s.accounts.get_mut(&ctx.account)?.integrations.remove(&id));
    match removed {
        Some(i) => {
            s.keys.remove(&i.public_key);
            HttpResponse::NoContent().finish()
        }
        None => not_found(&req, "No Integration matches the given query."),
    }
}
