//! Order push through the API (issue 12 item 5): `POST …/orders/push`
//! (the orders from a date, or named orders) and
//! `POST …/orders/{order_number}/push` (one order now, even unchanged or
//! held). Both queue the order service's push job (`crate::orders`, the
//! same path as *Bestellungen abgleichen* and the schedule) under the
//! request's `Idempotency-Key`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{covered, idempotent, refuse, utc, Body};
use crate::orders::{self, PushJob, PushRequested};
use crate::web::auth::{Api, ApiCtx};
use crate::web::error::{ApiError, WebError};
use crate::web::AppState;

/// Most orders one request may name.
pub const MAX_ORDERS: usize = 1000;

/// `POST …/orders/push`: either `since` (`YYYY-MM-DD` or an RFC 3339 time)
/// or `order_numbers` (in XML one `<order_numbers>` element per number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub order_numbers: Option<Vec<String>>,
}

/// The queued push job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PushAccepted {
    pub company_id: i64,
    pub job_id: i64,
    /// `orders.push`.
    pub kind: String,
    /// `queued`.
    pub state: String,
    /// The start (UTC) of a push from a date.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub since: Option<String>,
    /// The orders of a push of named orders.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub order_numbers: Option<Vec<String>>,
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

/// The push job a request asks for (422 `validation_failed` when it is
/// neither or both, a date that is none or lies ahead, or no order).
fn job_of(company_id: i64, body: &PushRequest) -> Result<PushJob, ApiError> {
    match (body.since.as_deref(), body.order_numbers.as_ref()) {
        (Some(s), None) => {
            let since = parse_since(s).ok_or_else(|| {
                refuse(
                    "validation_failed",
                    format!("since {s:?} is not a date (YYYY-MM-DD) or an RFC 3339 time"),
                )
            })?;
            if since > chrono::Utc::now().naive_utc() {
                return Err(refuse("validation_failed", "since lies in the future"));
            }
            Ok(PushJob::new(company_id, since, "api"))
        }
        (None, Some(numbers)) => {
            let mut numbers: Vec<String> = numbers
                .iter()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
            numbers.sort();
            numbers.dedup();
            if numbers.is_empty() || numbers.len() > MAX_ORDERS {
                return Err(refuse(
                    "validation_failed",
                    format!("order_numbers needs 1 to {MAX_ORDERS} order numbers"),
                ));
            }
            Ok(PushJob::orders(company_id, numbers, "api"))
        }
        _ => Err(refuse(
            "validation_failed",
            "give either since or order_numbers",
        )),
    }
}

/// Queue `job` in the idempotent transaction: 202 with the job; 409
/// `not_connected`, 409 `already_running` (the same push is queued or
/// running); `check` runs first in the same transaction.
async fn enqueue(
    state: &AppState,
    req: &HttpRequest,
    user: &crate::users::User,
    canonical: &str,
    job: PushJob,
    check: impl FnOnce(&mut crate::db::DbConn) -> Result<(), ApiError> + Send + 'static,
) -> Result<HttpResponse, ApiError> {
    let (res, _) = idempotent(state, req, user, canonical, "push", move |c| {
        check(c)?;
        let (company_id, numbers) = (job.company_id, job.orders.clone());
        let since = numbers.is_none().then(|| utc(&job.since));
        match orders::request_push_job(c, &job)? {
            (PushRequested::Started, Some(job_id)) => Ok((
                StatusCode::ACCEPTED,
                PushAccepted {
                    company_id,
                    job_id,
                    kind: <PushJob as crate::jobs::JobKind>::KIND.to_string(),
                    state: crate::jobs::STATE_QUEUED.to_string(),
                    since,
                    order_numbers: numbers,
                },
            )),
            (PushRequested::NotConnected, _) => Err(refuse(
                "not_connected",
                "the company has no connected Sendcloud account",
            )),
            (PushRequested::Started, None) => {
                Err(WebError::Internal("push job not enqueued".into()).into())
            }
            _ => Err(refuse(
                "already_running",
                "the same order push is already queued or running for this company",
            )),
        }
    })
    .await?;
    Ok(res)
}

/// `POST /api/v1/companies/{company}/orders/push` `{"since": "2026-12-01"}`
/// or `{"order_numbers": ["AU-1001"]}`: 202 with the push job.
pub async fn push_orders(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    body: Body<PushRequest>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    covered(&user, company_id)?;
    let mut job = job_of(company_id, &body.value)?;
    job.user = Some(user.name.clone());
    enqueue(&state, &req, &user, &body.canonical, job, |_| Ok(())).await
}

/// `POST /api/v1/companies/{company}/orders/{order_number}/push` (no
/// body): send one order again now (even unchanged, even held); 404
/// `not_found` for an order that is not one of the company's approved and
/// open orders.
pub async fn push_order(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, ApiError> {
    let (company_id, number) = path.into_inner();
    covered(&user, company_id)?;
    let host = state.host.clone();
    let wanted = number.clone();
    let mut job = PushJob::orders(company_id, vec![number], "api");
    job.user = Some(user.name.clone());
    enqueue(&state, &req, &user, "", job, move |c| {
        if orders::state::order_exists(c, host.as_ref(), company_id, &wanted)? {
            Ok(())
        } else {
            Err(refuse(
                "not_found",
                format!("{wanted:?} is not an approved open order of company {company_id}"),
            ))
        }
    })
    .await
}
