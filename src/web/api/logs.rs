//! The Logs through the API: `GET /api/v1/companies/{company}/logs` (failed
//! labels with their problems as codes and Sendcloud's detail, newest
//! delivery first, `?before=<delivery id>&limit=`) and
//! `POST …/logs/retry` (label them again, the same as *Erneut versuchen*).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::deliveries::{ProblemBody, ShipmentBody};
use super::labels::LabelRequest;
use super::{covered, respond, Body};
use crate::web::auth::{Api, ApiCtx};
use crate::web::error::ApiError;
use crate::web::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogsQuery {
    /// The last delivery id of the previous page.
    before: Option<i64>,
    /// 1 to 200, default 50.
    limit: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LogPage {
    #[serde(default)]
    pub entry: Vec<LogEntry>,
    /// The `before` of the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub next_before: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LogEntry {
    pub delivery_id: i64,
    pub order_number: String,
    pub shipment: ShipmentBody,
    #[serde(default)]
    pub problem: Vec<ProblemBody>,
}

/// `GET /api/v1/companies/{company}/logs`.
pub async fn logs(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    q: web::Query<LogsQuery>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    covered(&user, company_id)?;
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let before = q.before;
    let labels = state
        .db
        .run(move |c| {
            crate::labels::labels_in_states(
                c,
                company_id,
                &[crate::labels::STATE_FAILED],
                before,
                limit + 1,
            )
        })
        .await?;
    let more = labels.len() as i64 > limit;
    let entry: Vec<LogEntry> = labels
        .iter()
        .take(limit as usize)
        .map(|l| LogEntry {
            delivery_id: l.delivery_id,
            order_number: l.order_number.clone(),
            shipment: ShipmentBody::of(l),
            problem: l.problems().iter().map(ProblemBody::of).collect(),
        })
        .collect();
    let next_before = if more {
        entry.last().map(|e| e.delivery_id)
    } else {
        None
    };
    respond(&req, "logs", &LogPage { entry, next_before })
}

/// `POST /api/v1/companies/{company}/logs/retry` `{"deliveries": [..]}`:
/// 202 with a job per delivery (as `POST …/labels`).
pub async fn retry(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    body: Body<LabelRequest>,
) -> Result<HttpResponse, ApiError> {
    super::labels::request(&state, &req, &user, path.into_inner(), &body, "retry").await
}
