//! Plugin API v1: host events and order push (issue 12 items 4 and 5).
//! Thin handlers: they extract, call `crate::labels::delivery_event`,
//! `crate::hostevents` or `crate::orders`, and answer through
//! `super::api::respond` (JSON, or XML when asked).
//!
//! - `POST …/deliveries/{delivery}/events` `{"event": "created"|"changed"|"cancelled"}`
//! - `GET …/events?state=pending|parked|delivered`, `POST …/events/retry`,
//!   `POST …/events/hook` `{"url": "...", "secret": "..."}`
//! - `POST …/orders/push` `{"since": "2026-12-01"}` or `{"order_numbers": [...]}`
//! - `POST …/orders/{order_number}/push`

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::api::respond;
use super::auth::{Api, ApiCtx};
use super::error::{ApiError, WebError};
use super::AppState;
use crate::hostevents::{self, OutboxRow, SecretChange};
use crate::labels::{DeliveryEvent, EventOutcome};
use crate::orders::{self, PushJob, PushRequested};

fn visible(user: &crate::users::User, company_id: i64) -> Result<(), ApiError> {
    if user.may_see_company(company_id) {
        Ok(())
    } else {
        Err(WebError::NotFound.into())
    }
}

fn with_status(mut res: HttpResponse, status: StatusCode) -> HttpResponse {
    *res.status_mut() = status;
    res
}

/// The body of a host event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventBody {
    event: String,
}

#[derive(Serialize)]
struct EventAnswer {
    company_id: i64,
    delivery_id: i64,
    event: String,
    outcome: &'static str,
}

/// `POST /api/v1/companies/{company}/deliveries/{delivery}/events`: the host
/// says a delivery was created, changed or cancelled. 202 when a label or a
/// cancellation job was queued, 200 when nothing was to do (the outcome
/// says why), 404 for a delivery the company does not have, 422 for an
/// unknown event.
pub async fn delivery_event(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<(i64, i64)>,
    body: web::Json<EventBody>,
) -> Result<HttpResponse, ApiError> {
    let (company_id, delivery_id) = path.into_inner();
    visible(&user, company_id)?;
    let event = DeliveryEvent::parse(&body.event).ok_or_else(|| {
        WebError::Unprocessable(format!(
            "unknown event {:?} (created, changed, cancelled)",
            body.event
        ))
    })?;
    let (host, manifest) = (state.host.clone(), state.config.manifest.clone());
    let outcome = state
        .db
        .run(move |c| {
            crate::labels::delivery_event(
                c,
                host.as_ref(),
                &manifest,
                company_id,
                delivery_id,
                event,
            )
        })
        .await?;
    if outcome == EventOutcome::UnknownDelivery {
        return Err(WebError::NotFound.into());
    }
    let answer = EventAnswer {
        company_id,
        delivery_id,
        event: body.event.trim().to_string(),
        outcome: outcome.as_str(),
    };
    let res = respond(&req, "event", &answer)?;
    Ok(if outcome.started() {
        with_status(res, StatusCode::ACCEPTED)
    } else {
        res
    })
}

#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    state: Option<String>,
}

#[derive(Serialize)]
struct EventList {
    counts: hostevents::OutboxCounts,
    event: Vec<EventItem>,
}

#[derive(Serialize)]
struct EventItem {
    event_id: String,
    event: String,
    sequence: i64,
    delivery_id: i64,
    state: String,
    attempts: i32,
    next_attempt_at: String,
    last_status: Option<i32>,
    last_error: Option<String>,
    created_at: String,
    delivered_at: Option<String>,
}

fn ts(t: &NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl EventItem {
    fn of(r: OutboxRow) -> EventItem {
        EventItem {
            next_attempt_at: ts(&r.next_attempt_at),
            created_at: ts(&r.created_at),
            delivered_at: r.delivered_at.as_ref().map(ts),
            event_id: r.event_id,
            event: r.event_type,
            sequence: r.id,
            delivery_id: r.delivery_id,
            state: r.state,
            attempts: r.attempts,
            last_status: r.last_status,
            last_error: r.last_error,
        }
    }
}

/// `GET /api/v1/companies/{company}/events?state=parked`: the events for
/// the host in a state (default `pending`), oldest first, with the counts.
pub async fn events(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    q: web::Query<EventsQuery>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    visible(&user, company_id)?;
    let wanted = q.state.as_deref().unwrap_or(hostevents::STATE_PENDING);
    let wanted = [
        hostevents::STATE_PENDING,
        hostevents::STATE_PARKED,
        hostevents::STATE_DELIVERED,
    ]
    .into_iter()
    .find(|s| *s == wanted)
    .ok_or_else(|| WebError::Unprocessable(format!("unknown state {wanted:?}")))?;
    let (counts, rows) = state
        .db
        .run(move |c| {
            Ok((
                hostevents::counts(c, company_id)?,
                hostevents::events(c, company_id, wanted, 500)?,
            ))
        })
        .await?;
    respond(
        &req,
        "events",
        &EventList {
            counts,
            event: rows.into_iter().map(EventItem::of).collect(),
        },
    )
}

#[derive(Serialize)]
struct Requeued {
    requeued: usize,
}

/// `POST /api/v1/companies/{company}/events/retry`: send the parked events
/// again.
pub async fn retry_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    visible(&user, company_id)?;
    let requeued = state
        .db
        .run(move |c| hostevents::requeue_parked(c, company_id))
        .await?;
    Ok(with_status(
        respond(&req, "events", &Requeued { requeued })?,
        StatusCode::ACCEPTED,
    ))
}

/// `POST …/events/hook`: where the host wants its events. An empty URL
/// switches events off; no `secret` keeps the stored one, `""` removes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookBody {
    url: String,
    #[serde(default)]
    secret: Option<String>,
}

pub async fn set_hook(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    body: web::Json<HookBody>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    visible(&user, company_id)?;
    let body = body.into_inner();
    if !body.url.trim().is_empty() && !hostevents::valid_url(&body.url) {
        return Err(WebError::Unprocessable("url must be an http(s) URL".into()).into());
    }
    let secret = match body.secret {
        None => SecretChange::Keep,
        Some(s) if s.is_empty() => SecretChange::Clear,
        Some(s) if s.trim().chars().count() < 16 => {
            return Err(
                WebError::Unprocessable("secret must have at least 16 characters".into()).into(),
            )
        }
        Some(s) => SecretChange::Set(s),
    };
    let (secrets, name) = (state.secrets.clone(), user.name.clone());
    let hook = state
        .db
        .run(move |c| {
            hostevents::save_hook(c, &secrets, company_id, &body.url, secret, &name)?;
            hostevents::hook(c, company_id)
        })
        .await?;
    #[derive(Serialize)]
    struct HookAnswer {
        enabled: bool,
        url: Option<String>,
        has_secret: bool,
    }
    respond(
        &req,
        "hook",
        &HookAnswer {
            enabled: hook.is_some(),
            has_secret: hook.as_ref().is_some_and(|h| h.has_secret),
            url: hook.map(|h| h.url),
        },
    )
}

/// `POST /api/v1/companies/{company}/orders/push`: push the orders from a
/// date (`since`: `YYYY-MM-DD` or a UTC date-time), or named orders
/// (`order_numbers`, sent even when unchanged or held).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushBody {
    #[serde(default)]
    since: Option<String>,
    #[serde(default)]
    order_numbers: Option<Vec<String>>,
}

#[derive(Serialize)]
struct PushAnswer {
    company_id: i64,
    job_id: i64,
    kind: &'static str,
    state: &'static str,
    since: Option<String>,
    order_numbers: Option<Vec<String>>,
}

fn parse_since(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .or_else(|| {
            chrono::DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.naive_utc())
        })
}

async fn enqueue_push(
    state: &AppState,
    req: &HttpRequest,
    job: PushJob,
) -> Result<HttpResponse, ApiError> {
    let (company_id, since, numbers) = (job.company_id, job.since, job.orders.clone());
    let (requested, id) = state
        .db
        .run(move |c| orders::request_push_job(c, &job))
        .await?;
    match (requested, id) {
        (PushRequested::Started, Some(job_id)) => Ok(with_status(
            respond(
                req,
                "push",
                &PushAnswer {
                    company_id,
                    job_id,
                    kind: <PushJob as crate::jobs::JobKind>::KIND,
                    state: crate::jobs::STATE_QUEUED,
                    since: numbers.is_none().then(|| ts(&since)),
                    order_numbers: numbers,
                },
            )?,
            StatusCode::ACCEPTED,
        )),
        (PushRequested::NotConnected, _) => {
            Err(WebError::Conflict("the company has no connected Sendcloud account".into()).into())
        }
        _ => Err(WebError::Conflict(
            "an order push is already queued or running for this company".into(),
        )
        .into()),
    }
}

pub async fn push_orders(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    body: web::Json<PushBody>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    visible(&user, company_id)?;
    let body = body.into_inner();
    let mut job = match (body.since.as_deref(), body.order_numbers) {
        (Some(s), None) => {
            let since = parse_since(s).ok_or_else(|| {
                WebError::Unprocessable(format!(
                    "since {s:?} is not a date (YYYY-MM-DD) or an RFC 3339 time"
                ))
            })?;
            if since > chrono::Utc::now().naive_utc() {
                return Err(WebError::Unprocessable("since lies in the future".into()).into());
            }
            PushJob::new(company_id, since, "api")
        }
        (None, Some(numbers)) => {
            let mut numbers: Vec<String> = numbers
                .into_iter()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
            numbers.sort();
            numbers.dedup();
            if numbers.is_empty() || numbers.len() > 1000 {
                return Err(WebError::Unprocessable(
                    "order_numbers needs 1 to 1000 order numbers".into(),
                )
                .into());
            }
            PushJob::orders(company_id, numbers, "api")
        }
        _ => {
            return Err(WebError::Unprocessable("give either since or order_numbers".into()).into())
        }
    };
    job.user = Some(user.name.clone());
    enqueue_push(&state, &req, job).await
}

/// `POST /api/v1/companies/{company}/orders/{order_number}/push`: send one
/// order again now (even unchanged, even held). 404 for an order that is
/// not one of the company's approved and open orders.
pub async fn push_order(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, ApiError> {
    let (company_id, number) = path.into_inner();
    visible(&user, company_id)?;
    let host = state.host.clone();
    let n2 = number.clone();
    let exists = state
        .db
        .run(move |c| orders::state::order_exists(c, host.as_ref(), company_id, &n2))
        .await?;
    if !exists {
        return Err(WebError::NotFound.into());
    }
    let mut job = PushJob::orders(company_id, vec![number], "api");
    job.user = Some(user.name.clone());
    enqueue_push(&state, &req, job).await
}
