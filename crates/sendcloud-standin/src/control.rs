//! The control API under `/_standin/` (JSON, no authentication: a local test tool) and the
//! matching Rust methods on [`Standin`]: accounts and integrations, bulk seeding, faults,
//! the request log, advancing parcel statuses, setting a status, creating returns (fires
//! `return_created`), and the log of sent webhooks.
//!
//! Routes:
//! - `GET  /_standin/health`
//! - `GET  /_standin/accounts`, `POST /_standin/accounts` `{name?, sender_address?: bool,
//!   webhook_url?}` → keys
//! - `POST /_standin/accounts/{id}/integrations` `{shop_name?, system?, webhook_url?}` → keys
//! - `POST /_standin/accounts/{id}/seed` `{parcels, returns, invoices}`
//! - `POST /_standin/accounts/{id}/returns` `{outgoing_parcel?, reason?, message?}`
//! - `POST /_standin/accounts/{id}/parcels/{pid}/status` `{status}`
//! - `POST /_standin/advance` `{account_id?, parcel_id?, steps?}`
//! - `GET|PUT|DELETE /_standin/faults` (`Faults` JSON)
//! - `GET|DELETE /_standin/requests`
//! - `GET|DELETE /_standin/webhooks`

// Helpers return a ready `HttpResponse` as their error so handlers can answer early.
#![allow(clippy::result_large_err)]

use std::time::Instant;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};

use super::faults::Faults;
use super::state::{next_status, return_json, SeedSpec};
use super::v2::{carrier_tracking_number, parcel_webhook};
use super::webhooks::{deliver, Job};
use super::{lock, Standin};

type Data = web::Data<Standin>;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/health",
        web::get().to(|| async { HttpResponse::Ok().json(json!({"ok": true})) }),
    )
    .route("/accounts", web::get().to(list_accounts))
    .route("/accounts", web::post().to(create_account))
    .route(
        "/accounts/{id}/integrations",
        web::post().to(create_integration),
    )
    .route("/accounts/{id}/seed", web::post().to(seed))
    .route("/accounts/{id}/returns", web::post().to(create_return))
    .route(
        "/accounts/{id}/parcels/{pid}/status",
        web::post().to(set_status),
    )
    .route("/advance", web::post().to(advance))
    .route("/faults", web::get().to(get_faults))
    .route("/faults", web::put().to(put_faults))
    .route("/faults", web::post().to(put_faults))
    .route("/faults", web::delete().to(reset_faults))
    .route("/requests", web::get().to(get_requests))
    .route("/requests", web::delete().to(clear_requests))
    .route("/webhooks", web::get().to(get_webhooks))
    .route("/webhooks", web::delete().to(clear_webhooks));
}

fn bad(msg: &str) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({"error": msg}))
}

fn missing_account() -> HttpResponse {
    HttpResponse::NotFound().json(json!({"error": "no such account"}))
}

/// Parses an optional JSON body (empty body = `{}`).
fn body_json<T: for<'de> Deserialize<'de> + Default>(body: &[u8]) -> Result<T, HttpResponse> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| bad(&format!("invalid JSON: {e}")))
}

fn account_id(req: &HttpRequest) -> Option<u64> {
    req.match_info().get("id")?.parse().ok()
}

impl Standin {
    pub(crate) fn page_size(&self) -> usize {
        self.0.config.page_size.max(1)
    }

    /// Advances parcel statuses `steps` times (all accounts, one account, or one parcel) and
    /// returns the number of status changes and the webhooks to send.
    pub(crate) fn advance_collect(
        &self,
        account: Option<u64>,
        parcel: Option<u64>,
        steps: u32,
    ) -> (usize, Vec<Job>) {
        let base = self.base_url().to_string();
        let mut s = self.state();
        let mut changed = 0;
        let mut jobs = Vec::new();
        let now = Utc::now();
        for (id, a) in s.accounts.iter_mut() {
            if account.is_some_and(|x| x != *id) {
                continue;
            }
            let ids: Vec<u64> = match parcel {
                Some(p) => vec![p],
                None => a.active.iter().copied().collect(),
            };
            for pid in ids {
                let Some(p) = a.parcels.get_mut(&pid) else {
                    continue;
                };
                let mut moved = false;
                for _ in 0..steps {
                    let Some(next) = next_status(p.status) else {
                        break;
                    };
                    p.status = next;
                    p.date_updated = now;
                    if next == 1000 && p.date_announced.is_none() {
                        p.date_announced = Some(now);
                        p.tracking_number = carrier_tracking_number(p);
                    }
                    changed += 1;
                    moved = true;
                }
                let done = next_status(p.status).is_none();
                let snapshot = p.clone();
                if done {
                    a.active.remove(&pid);
                }
                if moved {
                    jobs.extend(parcel_webhook(a, &snapshot, &base));
                }
            }
        }
        (changed, jobs)
    }

    /// Advances statuses now and waits until the resulting webhooks have been delivered.
    /// Returns the number of status changes.
    pub async fn advance_statuses(
        &self,
        account: Option<u64>,
        parcel: Option<u64>,
        steps: u32,
    ) -> usize {
        let (n, jobs) = self.advance_collect(account, parcel, steps);
        self.send_webhooks(jobs).await;
        n
    }

    /// Sets a parcel's status directly (e.g. 1002 or 11 for tests) and delivers the webhook.
    /// `false` if the parcel does not exist.
    pub async fn set_parcel_status(&self, account: u64, parcel: u64, status: u32) -> bool {
        let base = self.base_url().to_string();
        let job = {
            let mut s = self.state();
            let Some(a) = s.accounts.get_mut(&account) else {
                return false;
            };
            let Some(p) = a.parcels.get_mut(&parcel) else {
                return false;
            };
            p.status = status;
            p.date_updated = Utc::now();
            if status != 999 && p.date_announced.is_none() {
                p.date_announced = Some(p.date_updated);
            }
            let snapshot = p.clone();
            if next_status(status).is_some() {
                a.active.insert(parcel);
            } else {
                a.active.remove(&parcel);
            }
            parcel_webhook(a, &snapshot, &base)
        };
        self.send_webhooks(job.into_iter().collect()).await;
        true
    }

    /// Creates a return (v2 `Return` object) and delivers `return_created` to the integration
    /// of the outgoing parcel (or every integration with active webhooks).
    pub async fn create_return(
        &self,
        account: u64,
        outgoing_parcel: Option<u64>,
        reason: u64,
        message: &str,
    ) -> Option<Value> {
        let (ret, jobs) = {
            let mut s = self.state();
            let id = s.next_id();
            let a = s.accounts.get_mut(&account)?;
            let outgoing = outgoing_parcel.and_then(|p| a.parcels.get(&p)).cloned();
            let mut ret = return_json(
                id,
                outgoing.as_ref().map(|p| p.id),
                None,
                Utc::now(),
                reason,
                message,
            );
            if let Some(p) = &outgoing {
                ret["outgoing_parcel_data"] = json!({
                    "tracking_url": null,
                    "tracking_number": p.tracking_number,
                    "parcel_status": p.status,
                    "global_status_slug": if p.status == 11 { "delivered" } else { "shipment-on-route" },
                    "brand_name": a.brands.values().next().and_then(|b| b["name"].as_str()).unwrap_or(""),
                    "order_number": p.order_number,
                    "from_email": p.email,
                    "deleted": false,
                    "collo_count": p.collo_count,
                    "from_country": p.country,
                    "from_name": p.name,
                    "shipping_method": p.shipment.as_ref().map(|s| s.0),
                    "extra_data": {}
                });
            }
            a.returns.insert(id, ret.clone());
            let payload = json!({
                "action": "return_created",
                "timestamp": Utc::now().timestamp_millis(),
                "data": {
                    "id": id,
                    "brand_id": a.brands.keys().next(),
                    "order_number": outgoing.as_ref().map(|p| p.order_number.clone()),
                    "return_reason_id": reason,
                    "return_address_id": a.sender_addresses.first().map(|s| s.id),
                    "paid_return": false,
                    "delivery_choice": "drop_off_point",
                    "refund_type": "money",
                    "items": outgoing.as_ref().map(|p| p.parcel_items.as_array().cloned().unwrap_or_default()
                        .iter().map(|it| json!({
                            "item_id": it.get("item_id").cloned().unwrap_or(Value::Null),
                            "description": it.get("description").cloned().unwrap_or(Value::Null),
                            "quantity": it.get("quantity").cloned().unwrap_or(json!(1)),
                            "sku": it.get("sku").cloned().unwrap_or(Value::Null),
                            "hs_code": it.get("hs_code").cloned().unwrap_or(Value::Null),
                            "return_reason_id": reason,
                        })).collect::<Vec<_>>()).unwrap_or_default(),
                }
            });
            let jobs: Vec<Job> = a
                .integrations
                .values()
                .filter(|i| i.webhook_active && !i.webhook_url.is_empty())
                .filter(|i| outgoing.as_ref().is_none_or(|p| p.integration_id == i.id))
                .map(|i| Job {
                    url: i.webhook_url.clone(),
                    secret: i.secret_key.clone(),
                    payload: payload.clone(),
                })
                .collect();
            (ret, jobs)
        };
        self.send_webhooks(jobs).await;
        Some(ret)
    }

    /// Delivers webhooks one after another and records them.
    pub(crate) async fn send_webhooks(&self, jobs: Vec<Job>) {
        for job in jobs {
            let d = deliver(&self.0.http, &job).await;
            lock(&self.0.deliveries).push(d);
        }
    }

    /// Delivers webhooks in the background.
    pub(crate) fn spawn_webhooks(&self, jobs: Vec<Job>) {
        if jobs.is_empty() {
            return;
        }
        let s = self.clone();
        tokio::spawn(async move { s.send_webhooks(jobs).await });
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewAccount {
    name: Option<String>,
    sender_address: Option<bool>,
    webhook_url: Option<String>,
}

async fn create_account(body: web::Bytes, data: Data) -> HttpResponse {
    let input: NewAccount = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut s = data.state();
    let keys = s.create_account(input.name.as_deref().unwrap_or("Stand-in account"));
    s.add_brand(keys.account_id, "Stand-in Shop");
    if input.sender_address.unwrap_or(true) {
        s.add_sender_address(
            keys.account_id,
            "Stand-in Shop GmbH",
            "Erika Mustermann",
            "Friedrichstraße",
            "123",
            "10117",
            "Berlin",
            "DE",
        );
    }
    if let Some(url) = input.webhook_url.filter(|u| !u.is_empty()) {
        if let Some(i) = s
            .accounts
            .get_mut(&keys.account_id)
            .and_then(|a| a.integrations.get_mut(&keys.integration_id))
        {
            i.webhook_url = url;
            i.webhook_active = true;
        }
    }
    HttpResponse::Created().json(keys)
}

async fn list_accounts(data: Data) -> HttpResponse {
    let s = data.state();
    let list: Vec<Value> = s
        .accounts
        .values()
        .map(|a| {
            json!({
                "id": a.id,
                "name": a.name,
                "demo": s.demo_account == Some(a.id),
                "integrations": a.integrations.values().map(|i| json!({
                    "id": i.id, "shop_name": i.shop_name, "system": i.system,
                    "public_key": i.public_key, "secret_key": i.secret_key,
                    "webhook_active": i.webhook_active, "webhook_url": i.webhook_url,
                })).collect::<Vec<_>>(),
                "sender_addresses": a.sender_addresses.len(),
                "parcels": a.parcels.len(),
                "returns": a.returns.len(),
                "invoices": a.invoices.len(),
                "orders": a.orders.len(),
            })
        })
        .collect();
    HttpResponse::Ok().json(list)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewIntegration {
    shop_name: Option<String>,
    shop_url: Option<String>,
    system: Option<String>,
    webhook_url: Option<String>,
}

async fn create_integration(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let input: NewIntegration = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(id) = account_id(&req) else {
        return missing_account();
    };
    let keys = data.state().add_integration(
        id,
        input.shop_name.as_deref().unwrap_or("Sendcloud API"),
        input.shop_url.as_deref().unwrap_or(""),
        input.system.as_deref().unwrap_or("api"),
        input.webhook_url.as_deref().unwrap_or(""),
    );
    match keys {
        Some(k) => HttpResponse::Created().json(k),
        None => missing_account(),
    }
}

async fn seed(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let spec: SeedSpec = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if spec.parcels > 5_000_000 || spec.returns > 1_000_000 || spec.invoices > 1_000_000 {
        return bad("data set too large");
    }
    let Some(id) = account_id(&req) else {
        return missing_account();
    };
    let started = Instant::now();
    if !data.seed(id, spec) {
        return missing_account();
    }
    HttpResponse::Ok().json(json!({
        "parcels": spec.parcels, "returns": spec.returns, "invoices": spec.invoices,
        "elapsed_ms": started.elapsed().as_millis() as u64,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewReturn {
    outgoing_parcel: Option<u64>,
    reason: Option<u64>,
    message: Option<String>,
}

async fn create_return(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let input: NewReturn = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(id) = account_id(&req) else {
        return missing_account();
    };
    match data
        .create_return(
            id,
            input.outgoing_parcel,
            input.reason.unwrap_or(1),
            input.message.as_deref().unwrap_or(""),
        )
        .await
    {
        Some(r) => HttpResponse::Created().json(r),
        None => missing_account(),
    }
}

#[derive(Debug, Default, Deserialize)]
struct NewStatus {
    status: u32,
}

async fn set_status(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let input: NewStatus = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad(&format!("invalid JSON: {e}")),
    };
    let (Some(id), Some(pid)) = (
        account_id(&req),
        req.match_info().get("pid").and_then(|p| p.parse().ok()),
    ) else {
        return HttpResponse::NotFound().json(json!({"error": "no such parcel"}));
    };
    if data.set_parcel_status(id, pid, input.status).await {
        HttpResponse::Ok().json(json!({"id": pid, "status": input.status}))
    } else {
        HttpResponse::NotFound().json(json!({"error": "no such parcel"}))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Advance {
    account_id: Option<u64>,
    parcel_id: Option<u64>,
    steps: Option<u32>,
}

async fn advance(body: web::Bytes, data: Data) -> HttpResponse {
    let input: Advance = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (changed, jobs) = data.advance_collect(
        input.account_id,
        input.parcel_id,
        input.steps.unwrap_or(1).min(10),
    );
    let webhooks = jobs.len();
    data.send_webhooks(jobs).await;
    HttpResponse::Ok().json(json!({"changed": changed, "webhooks": webhooks}))
}

async fn get_faults(data: Data) -> HttpResponse {
    HttpResponse::Ok().json(data.faults())
}

async fn put_faults(body: web::Bytes, data: Data) -> HttpResponse {
    let faults: Faults = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !(0.0..=1.0).contains(&faults.error_rate) || !(0.0..=1.0).contains(&faults.drop_rate) {
        return bad("error_rate and drop_rate must be between 0 and 1");
    }
    data.set_faults(faults.clone());
    HttpResponse::Ok().json(faults)
}

async fn reset_faults(data: Data) -> HttpResponse {
    data.set_faults(Faults::default());
    HttpResponse::Ok().json(Faults::default())
}

async fn get_requests(data: Data) -> HttpResponse {
    HttpResponse::Ok().json(data.requests())
}

async fn clear_requests(data: Data) -> HttpResponse {
    data.clear_requests();
    HttpResponse::NoContent().finish()
}

async fn get_webhooks(data: Data) -> HttpResponse {
    HttpResponse::Ok().json(data.webhook_deliveries())
}

async fn clear_webhooks(data: Data) -> HttpResponse {
    lock(&data.get_ref().0.deliveries).clear();
    HttpResponse::NoContent().finish()
}
