//! `/parcels`: create (single and batch, `request_label`, `errors=verbose|verbose-carrier` with
//! `failed_parcels`), get, list (filters and cursors), update/announce via `PUT /parcels`,
//! cancel, `return_portal_url`, `GET /parcels/statuses`, and the `parcel_status_changed`
//! webhook.
//!
//! Stand-in choices where Sendcloud's behaviour is undocumented (API-NOTES §7):
//! - Cancel: 999 (no label) → deleted, 200 `{"status":"deleted",...}`; 1000 → 202 queued
//!   (status 1999, becomes 2000 on the next status step); other announced, undelivered
//!   statuses → 200 cancelled (2000); 2000/1999 → 400 already cancelled; 11 → 400
//!   delivered; 1002 → 410 deleted.
//! - Duplicate `external_reference` → 400 field error `external_reference`.

pub(super) mod answer;
mod input;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};

use self::answer::{parcel_json, ParcelOut};
use self::input::{build_parcel, NewParcel};
use super::fields::{add_err, flatten_errors, FieldErrors};
use super::paging::{cursor_page, cursor_param, page_url};
use super::{bad_request, not_found, parse_body, path_id, unauthorized, Caller, Data};
use crate::state::{country, next_status, Account, Parcel, State, PARCEL_STATUSES};
use crate::webhooks::Job;
use crate::{query, v2_error};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/parcels/statuses", web::get().to(parcel_statuses))
        .route("/parcels", web::get().to(list_parcels))
        .route("/parcels", web::post().to(create_parcels))
        .route("/parcels", web::put().to(update_parcel))
        .route("/parcels/{id}", web::get().to(get_parcel))
        .route("/parcels/{id}/cancel", web::post().to(cancel_parcel))
        .route(
            "/parcels/{id}/return_portal_url",
            web::get().to(return_portal_url),
        );
}

async fn parcel_statuses(_caller: Caller) -> HttpResponse {
    let list: Vec<Value> = PARCEL_STATUSES
        .iter()
        .map(|(id, m)| json!({"id": id, "message": m}))
        .collect();
    HttpResponse::Ok().json(list)
}

/// A made-up tracking number in the style of the parcel's carrier (from its id).
pub(crate) fn carrier_tracking_number(p: &Parcel) -> String {
    let id = p.id;
    match p.shipment.as_ref().map_or("", |s| s.2.as_str()) {
        c if c.starts_with("dhl") => format!("JJD00{id:016}"),
        c if c.starts_with("dpd") => format!("0{id:013}"),
        c if c.starts_with("postnl") => format!("3SDEVC{id:09}"),
        c if c.starts_with("gls") => format!("{id:011}"),
        "ups" => format!("1Z999AA1{id:010}"),
        _ => format!("SC{id:012}"),
    }
}

/// The parcel of a `failed_parcels` entry. The spec types it as a parcel *answer* (its example
/// carries an id, `address_divided` and dates), so the input is echoed in that shape: a fresh
/// id, `country` as `{iso_2, iso_3, name}` when known, and `to_service_point` as a string.
fn failed_echo(state: &mut State, input: &Value) -> Value {
    let mut echo = input.as_object().cloned().unwrap_or_default();
    echo.insert("id".into(), json!(state.next_id()));
    let iso = echo
        .get("country")
        .and_then(Value::as_str)
        .map(str::to_ascii_uppercase);
    match iso.as_deref().and_then(country) {
        Some((iso2, iso3, name)) => {
            echo.insert(
                "country".into(),
                json!({"iso_2": iso2, "iso_3": iso3, "name": name}),
            );
        }
        None => {
            echo.remove("country");
        }
    }
    if let Some(sp) = echo.get("to_service_point").filter(|v| v.is_number()) {
        let sp = sp.to_string();
        echo.insert("to_service_point".into(), json!(sp));
    }
    Value::Object(echo)
}

fn store_parcel(state: &mut State, account_id: u64, new: NewParcel) -> Vec<Parcel> {
    let n = new.quantity.max(1);
    let first = state.reserve_ids(u64::from(n));
    let Some(account) = state.accounts.get_mut(&account_id) else {
        return vec![];
    };
    let mut out = Vec::new();
    for i in 0..n {
        let mut p = new.parcel.clone();
        p.id = first + u64::from(i);
        p.collo_nr = i;
        p.collo_count = n;
        if p.announced() {
            p.tracking_number = carrier_tracking_number(&p);
        }
        if i == 0 {
            if let Some(r) = &p.external_reference {
                account.external_refs.insert(r.clone(), p.id);
            }
        } else {
            p.external_reference = None;
        }
        if next_status(p.status).is_some() {
            account.active.insert(p.id);
        }
        account.parcels.insert(p.id, p.clone());
        out.push(p);
    }
    out
}

async fn create_parcels(
    req: HttpRequest,
    body: web::Bytes,
    data: Data,
    Caller(ctx): Caller,
) -> HttpResponse {
    let doc = match parse_body(&req, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let q = query(&req);
    let verbose = matches!(
        q.get("errors").map(String::as_str),
        Some("verbose") | Some("verbose-carrier")
    );
    let (single, inputs): (bool, Vec<Value>) = match (doc.get("parcel"), doc.get("parcels")) {
        (Some(p), None) => (true, vec![p.clone()]),
        (None, Some(Value::Array(ps))) => (false, ps.clone()),
        (None, Some(_)) => return bad_request(&req, "parcels: \"Expected a list of items.\""),
        _ => {
            return bad_request(
                &req,
                "non_field_errors: \"Request body must contain either 'parcel' or 'parcels'.\"",
            )
        }
    };
    if inputs.is_empty() {
        return bad_request(&req, "parcels: \"This list may not be empty.\"");
    }
    if inputs.len() > 100 {
        return bad_request(
            &req,
            "parcels: \"Ensure this field has no more than 100 elements.\"",
        );
    }
    let base = data.base_url().to_string();
    let now = Utc::now();
    let mut state = data.state();
    let Some(account) = state.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    if account.sender_addresses.is_empty() {
        return v2_error(
            &req,
            StatusCode::PRECONDITION_FAILED,
            "User has no address data",
        );
    }
    // Validate everything first (duplicates inside the batch count too).
    let mut built: Vec<Result<NewParcel, (Value, FieldErrors)>> = Vec::new();
    let mut batch_refs = std::collections::HashSet::new();
    for input in &inputs {
        let Some(obj) = input.as_object() else {
            let mut e = FieldErrors::new();
            add_err(
                &mut e,
                "non_field_errors",
                "Invalid data. Expected a dictionary.",
            );
            built.push(Err((input.clone(), e)));
            continue;
        };
        match build_parcel(obj, account, ctx.integration, now) {
            Ok(np) => {
                if let Some(r) = &np.parcel.external_reference {
                    if !batch_refs.insert(r.clone()) {
                        let mut e = FieldErrors::new();
                        add_err(
                            &mut e,
                            "external_reference",
                            "Parcel with this external reference already exists.",
                        );
                        built.push(Err((input.clone(), e)));
                        continue;
                    }
                }
                built.push(Ok(np))
            }
            Err(e) => built.push(Err((input.clone(), e))),
        }
    }
    if !verbose {
        if let Some(Err((_, e))) = built.iter().find(|b| b.is_err()) {
            return bad_request(&req, &flatten_errors(e));
        }
    }
    let mut created = Vec::new();
    let mut failed = Vec::new();
    for b in built {
        match b {
            Ok(np) => created.extend(store_parcel(&mut state, ctx.account, np)),
            Err((input, errors)) => {
                let echo = failed_echo(&mut state, &input);
                failed.push(json!({"parcel": echo, "errors": errors}))
            }
        }
    }
    drop(state);
    let parcels: Vec<Value> = created
        .iter()
        .map(|p| parcel_json(&base, p, true))
        .collect();
    if verbose {
        let mut out = json!({"parcels": parcels});
        if !failed.is_empty() {
            out["failed_parcels"] = Value::Array(failed);
        }
        if single && created.len() == 1 {
            out = json!({"parcel": parcels[0]});
        }
        return HttpResponse::Ok().json(out);
    }
    if single {
        HttpResponse::Ok().json(json!({"parcel": parcels.first()}))
    } else {
        HttpResponse::Ok().json(json!({"parcels": parcels}))
    }
}

async fn get_parcel(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let id = path_id(&req, "id");
    let s = data.state();
    match id.and_then(|id| s.accounts.get(&ctx.account)?.parcels.get(&id)) {
        Some(p) => {
            HttpResponse::Ok().json(json!({"parcel": parcel_json(data.base_url(), p, true)}))
        }
        None => not_found(&req, "No Parcel matches the given query."),
    }
}

/// Parses an ISO-8601 date or date-time (naive values are UTC).
pub(crate) fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

async fn list_parcels(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let q = query(&req);
    let cursor = match cursor_param(&req, &q) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let mut errors = FieldErrors::new();
    let date = |key: &str, errors: &mut FieldErrors| -> Option<DateTime<Utc>> {
        let v = q.get(key).filter(|v| !v.is_empty())?;
        let t = parse_datetime(v);
        if t.is_none() {
            add_err(errors, key, "Enter a valid date/time.");
        }
        t
    };
    let updated_after = date("updated_after", &mut errors);
    let announced_after = date("announced_after", &mut errors);
    let status = q
        .get("parcel_status")
        .filter(|v| !v.is_empty())
        .and_then(|v| {
            let n = v.parse::<u32>().ok();
            if n.is_none() {
                add_err(&mut errors, "parcel_status", "Enter a whole number.");
            }
            n
        });
    let ids: Option<Vec<u64>> = q.get("ids").filter(|v| !v.is_empty()).map(|v| {
        let parsed: Vec<Option<u64>> = v.split(',').map(|x| x.trim().parse().ok()).collect();
        if parsed.iter().any(Option::is_none) {
            add_err(&mut errors, "ids", "Enter a comma-separated list of ids.");
        }
        if parsed.len() > 100 {
            add_err(
                &mut errors,
                "ids",
                "Ensure this field has no more than 100 elements.",
            );
        }
        parsed.into_iter().flatten().collect()
    });
    if !errors.is_empty() {
        return bad_request(&req, &flatten_errors(&errors));
    }
    let external_reference = q.get("external_reference").filter(|v| !v.is_empty());
    let order_number = q.get("order_number").filter(|v| !v.is_empty());
    let tracking_number = q.get("tracking_number").filter(|v| !v.is_empty());
    let base = data.base_url().to_string();
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    let keep = |p: &Parcel| {
        updated_after.is_none_or(|t| p.date_updated >= t)
            && announced_after.is_none_or(|t| p.date_announced.is_some_and(|a| a >= t))
            && status.is_none_or(|st| p.status == st)
            && ids.as_ref().is_none_or(|ids| ids.contains(&p.id))
            && external_reference.is_none_or(|r| p.external_reference.as_ref() == Some(r))
            && order_number.is_none_or(|o| &p.order_number == o)
            && tracking_number.is_none_or(|t| &p.tracking_number == t)
    };
    // Fast paths for the idempotency look-up by external reference.
    let (items, next, prev) = if let (Some(r), None) = (external_reference, cursor) {
        let hit: Vec<&Parcel> = account
            .external_refs
            .get(r)
            .and_then(|id| account.parcels.get(id))
            .filter(|p| keep(p))
            .into_iter()
            .collect();
        (hit, None, None)
    } else {
        cursor_page(&account.parcels, cursor, data.page_size(), keep)
    };
    #[derive(Serialize)]
    struct ListOut<'a> {
        next: Option<String>,
        previous: Option<String>,
        parcels: Vec<ParcelOut<'a>>,
    }
    // Serialised straight from the state (no intermediate `Value`): pages are hot in benchmarks.
    let body = serde_json::to_vec(&ListOut {
        next: next.map(|c| page_url(&base, &req, &c)),
        previous: prev.map(|c| page_url(&base, &req, &c)),
        parcels: items
            .iter()
            .map(|p| ParcelOut::new(&base, p, false))
            .collect(),
    });
    drop(s);
    match body {
        Ok(body) => HttpResponse::Ok()
            .content_type("application/json")
            .body(body),
        Err(e) => v2_error(&req, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

async fn update_parcel(
    req: HttpRequest,
    body: web::Bytes,
    data: Data,
    Caller(ctx): Caller,
) -> HttpResponse {
    let doc = match parse_body(&req, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(input) = doc.get("parcel").and_then(Value::as_object) else {
        return bad_request(&req, "parcel: \"This field is required.\"");
    };
    let Some(id) = input.get("id").and_then(|v| {
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
    }) else {
        return bad_request(&req, "Parcel ID is missing");
    };
    let base = data.base_url().to_string();
    let now = Utc::now();
    let mut state = data.state();
    let Some(account) = state.accounts.get_mut(&ctx.account) else {
        return unauthorized(&req);
    };
    let Some(existing) = account.parcels.get(&id).cloned() else {
        return not_found(&req, "No Parcel matches the given query.");
    };
    if existing.announced() || existing.status != 999 {
        return bad_request(
            &req,
            "non_field_errors: \"Parcel has already been announced and cannot be updated.\"",
        );
    }
    // Merge: stored creation input (or the stored values) + new fields.
    let mut merged = if existing.input.is_empty() {
        parcel_json(&base, &existing, true)
            .as_object()
            .cloned()
            .unwrap_or_default()
    } else {
        existing.input.clone()
    };
    if existing.input.is_empty() {
        merged.insert("country".into(), json!(existing.country));
        merged.insert(
            "shipment".into(),
            json!(existing.shipment.as_ref().map(|s| json!({"id": s.0}))),
        );
        merged.insert("sender_address".into(), json!(existing.sender_address));
        merged.insert("house_number".into(), json!(existing.house_number));
        merged.insert("address".into(), json!(existing.street));
        merged.insert("country_state".into(), json!(existing.to_state));
        merged.remove("status");
    }
    for (k, v) in input {
        if k != "id" {
            merged.insert(k.clone(), v.clone());
        }
    }
    merged.remove("quantity");
    // The parcel's own external reference is not a duplicate of itself.
    if let Some(r) = &existing.external_reference {
        account.external_refs.remove(r);
    }
    let built = build_parcel(&merged, account, existing.integration_id, now);
    let mut new = match built {
        Ok(np) => np.parcel,
        Err(e) => {
            if let Some(r) = &existing.external_reference {
                account.external_refs.insert(r.clone(), id);
            }
            return bad_request(&req, &flatten_errors(&e));
        }
    };
    new.id = id;
    new.date_created = existing.date_created;
    new.colli_uuid = existing.colli_uuid.clone();
    if new.announced() {
        new.tracking_number = carrier_tracking_number(&new);
    }
    if let Some(r) = &new.external_reference {
        account.external_refs.insert(r.clone(), id);
    }
    if next_status(new.status).is_some() {
        account.active.insert(id);
    }
    let changed = new.status != existing.status;
    let out = parcel_json(&base, &new, true);
    account.parcels.insert(id, new.clone());
    let jobs = if changed {
        parcel_webhook(account, &new, &base).into_iter().collect()
    } else {
        vec![]
    };
    drop(state);
    data.spawn_webhooks(jobs);
    HttpResponse::Ok().json(json!({"parcel": out}))
}

/// The `parcel_status_changed` job for a parcel, if its integration has webhooks on.
pub(crate) fn parcel_webhook(account: &Account, p: &Parcel, base: &str) -> Option<Job> {
    let i = account.integrations.get(&p.integration_id)?;
    if !i.webhook_active || i.webhook_url.is_empty() {
        return None;
    }
    let now = Utc::now();
    let mut parcel = parcel_json(base, p, false);
    parcel["date_created"] = json!(p.date_created.format("%Y-%m-%dT%H:%M:%S").to_string());
    parcel["external_order_id"] = json!(p
        .input
        .get("external_order_id")
        .cloned()
        .unwrap_or(Value::Null));
    parcel["external_shipment_id"] = json!(p
        .input
        .get("external_shipment_id")
        .cloned()
        .unwrap_or(Value::Null));
    Some(Job {
        url: i.webhook_url.clone(),
        secret: i.secret_key.clone(),
        payload: json!({
            "action": "parcel_status_changed",
            "timestamp": now.timestamp_millis(),
            "carrier_status_change_timestamp": now.timestamp_millis(),
            "parcel": parcel,
        }),
    })
}

async fn cancel_parcel(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let id = path_id(&req, "id");
    let base = data.base_url().to_string();
    let now = Utc::now();
    let mut state = data.state();
    let Some(account) = state.accounts.get_mut(&ctx.account) else {
        return unauthorized(&req);
    };
    let Some(p) = id.and_then(|id| account.parcels.get_mut(&id)) else {
        return not_found(&req, "No Parcel matches the given query.");
    };
    let body = |status: &str, message: &str| json!({"status": status, "message": message});
    let (code, out, new_status) = match p.status {
        999 | 1001 => (
            StatusCode::OK,
            body("deleted", "Parcel has been deleted"),
            None,
        ),
        1002 => (
            StatusCode::GONE,
            body("deleted", "Parcel has been deleted"),
            None,
        ),
        1998..=2001 => (
            StatusCode::BAD_REQUEST,
            body("failed", "Parcel has already been cancelled"),
            Some(p.status),
        ),
        11 | 93 => (
            StatusCode::BAD_REQUEST,
            body(
                "failed",
                "Parcel has already been delivered and cannot be cancelled",
            ),
            Some(p.status),
        ),
        _ if p
            .date_announced
            .is_some_and(|a| now - a > chrono::Duration::days(42)) =>
        {
            (
                StatusCode::BAD_REQUEST,
                body(
                    "failed",
                    "Parcel was announced more than 42 days ago and cannot be cancelled",
                ),
                Some(p.status),
            )
        }
        1000 => (
            StatusCode::ACCEPTED,
            body("queued", "Parcel cancellation has been queued"),
            Some(1999),
        ),
        _ => (
            StatusCode::OK,
            body("cancelled", "Parcel has been cancelled"),
            Some(2000),
        ),
    };
    let pid = p.id;
    let mut jobs = Vec::new();
    match new_status {
        None => {
            if let Some(p) = account.parcels.remove(&pid) {
                if let Some(r) = &p.external_reference {
                    account.external_refs.remove(r);
                }
            }
            account.active.remove(&pid);
        }
        Some(s) if s != p.status => {
            p.status = s;
            p.date_updated = now;
            let snapshot = p.clone();
            if next_status(s).is_some() {
                account.active.insert(pid);
            } else {
                account.active.remove(&pid);
            }
            jobs.extend(parcel_webhook(account, &snapshot, &base));
        }
        Some(_) => {}
    }
    drop(state);
    data.spawn_webhooks(jobs);
    HttpResponse::build(code).json(out)
}

async fn return_portal_url(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let id = path_id(&req, "id");
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    let parcel = id.and_then(|id| account.parcels.get(&id));
    match (parcel, account.brands.values().next()) {
        (Some(_), Some(b)) => HttpResponse::Ok().json(json!({
            "url": format!("https://{}.shipping-portal.com/rp/", b["domain"].as_str().unwrap_or("brand"))
        })),
        _ => not_found(&req, "No return portal is configured."),
    }
}
