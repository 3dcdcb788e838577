//! "Sendcloud Connect" (API-NOTES §4): `GET /shops/{shop_type}/connect/?url_webshop=…&
//! webhook_url=…&shop_name=…` renders a small page where the (auto-logged-in) demo account
//! approves the connection; `POST /shops/{shop_type}/connect/approve` creates an integration
//! with fresh keys, POSTs `integration_credentials` (signed with the new secret key) and then
//! `integration_connected` to `webhook_url`, and redirects the browser back to `url_webshop`.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde_json::json;

use super::webhooks::Job;
use super::{query, Standin};

type Data = web::Data<Standin>;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/shops/{shop_type}/connect/", web::get().to(page))
        .route("/shops/{shop_type}/connect", web::get().to(page))
        .route(
            "/shops/{shop_type}/connect/approve",
            web::post().to(approve),
        );
}

/// Escapes text for HTML content and attribute values.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn is_http_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

fn html(status: actix_web::http::StatusCode, title: &str, body: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(format!(
            "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>{}</title>\
             <style>body{{font-family:sans-serif;max-width:40em;margin:3em auto}}\
             button{{font-size:1.1em;padding:.5em 1.2em;margin-right:1em}}</style></head>\
             <body>{}</body></html>\n",
            esc(title),
            body
        ))
}

fn shop_type(req: &HttpRequest) -> String {
    req.match_info()
        .get("shop_type")
        .unwrap_or("api")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .take(50)
        .collect()
}

/// The demo account (created on first use), as (id, display name).
fn demo_account(data: &Standin) -> (u64, String) {
    let mut s = data.state();
    let id = match s.demo_account {
        Some(id) if s.accounts.contains_key(&id) => id,
        _ => s.seed_demo_account().account_id,
    };
    let name = s
        .accounts
        .get(&id)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    (id, name)
}

async fn page(req: HttpRequest, data: Data) -> HttpResponse {
    let q = query(&req);
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let (url_webshop, webhook_url, shop_name) =
        (get("url_webshop"), get("webhook_url"), get("shop_name"));
    if !is_http_url(&url_webshop) || !is_http_url(&webhook_url) || shop_name.trim().is_empty() {
        return html(
            actix_web::http::StatusCode::BAD_REQUEST,
            "Sendcloud Connect",
            "<h1>Ungültige Anfrage / Invalid request</h1>\
             <p>url_webshop, webhook_url (http/https) and shop_name are required.</p>",
        );
    }
    let (account_id, account_name) = demo_account(&data);
    let st = shop_type(&req);
    let body = format!(
        "<h1>Sendcloud Connect</h1>\
         <p>Angemeldet als / Logged in as: <strong>{account}</strong> (Konto {account_id})</p>\
         <p><strong>{shop}</strong> ({st}) möchte sich mit Ihrem Sendcloud-Konto verbinden.<br>\
         <em>{shop}</em> wants to connect to your Sendcloud account.</p>\
         <p>Shop: {url}</p>\
         <form method=\"post\" action=\"/shops/{st}/connect/approve\">\
         <input type=\"hidden\" name=\"url_webshop\" value=\"{url}\">\
         <input type=\"hidden\" name=\"webhook_url\" value=\"{hook}\">\
         <input type=\"hidden\" name=\"shop_name\" value=\"{shop}\">\
         <button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Verbindung erlauben / Approve</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Abbrechen / Cancel</button>\
         </form>",
        account = esc(&account_name),
        shop = esc(&shop_name),
        url = esc(&url_webshop),
        hook = esc(&webhook_url),
    );
    html(actix_web::http::StatusCode::OK, "Sendcloud Connect", &body)
}

async fn approve(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let form: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (url_webshop, webhook_url, shop_name) =
        (get("url_webshop"), get("webhook_url"), get("shop_name"));
    if !is_http_url(&url_webshop) || !is_http_url(&webhook_url) || shop_name.trim().is_empty() {
        return html(
            actix_web::http::StatusCode::BAD_REQUEST,
            "Sendcloud Connect",
            "<h1>Ungültige Anfrage / Invalid request</h1>",
        );
    }
    if get("decision") == "deny" {
        return HttpResponse::SeeOther()
            .insert_header((header::LOCATION, url_webshop))
            .finish();
    }
    let (account_id, _) = demo_account(&data);
    let st = shop_type(&req);
    let (keys, integration) = {
        let mut s = data.state();
        let Some(keys) = s.add_integration(
            account_id,
            shop_name.trim(),
            &url_webshop,
            &st,
            &webhook_url,
        ) else {
            return HttpResponse::InternalServerError().finish();
        };
        let integration = s
            .accounts
            .get(&account_id)
            .and_then(|a| a.integrations.get(&keys.integration_id))
            .map(|i| i.to_json())
            .unwrap_or_default();
        (keys, integration)
    };
    let now = Utc::now().timestamp_millis();
    let jobs = vec![
        Job {
            url: webhook_url.clone(),
            secret: keys.secret_key.clone(),
            payload: json!({
                "action": "integration_credentials",
                "public_key": keys.public_key,
                "secret_key": keys.secret_key,
                "integration_id": keys.integration_id,
            }),
        },
        Job {
            url: webhook_url,
            secret: keys.secret_key.clone(),
            payload: json!({
                "action": "integration_connected",
                "timestamp": now,
                "integration": integration,
            }),
        },
    ];
    data.send_webhooks(jobs).await;
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, url_webshop))
        .finish()
}
