//! Labels through the API: `POST /api/v1/companies/{company}/labels`
//! (one or many deliveries; 202 with a job per delivery),
//! `POST …/deliveries/{delivery}/cancel` (202 with the cancel job) and
//! `GET …/jobs/{job}` (a label or cancel job; once it is done, the
//! delivery with its shipment or the cancel outcome). The work is the
//! label service's jobs (`crate::labels`), the same path as the button.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::deliveries::{self, DeliveryBody};
use super::{covered, idempotent, refuse, respond, Body};
use crate::labels::Requested;
use crate::web::auth::{Api, ApiCtx};
use crate::web::error::{ApiError, WebError};
use crate::web::AppState;

/// Most deliveries one request may name.
pub const MAX_DELIVERIES: usize = 500;

/// `POST …/labels` and `POST …/logs/retry`: the deliveries to label. In
/// XML one `<deliveries>` element per id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelRequest {
    pub deliveries: Vec<i64>,
}

/// What a label request did, per delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LabelJobs {
    #[serde(default)]
    pub job: Vec<JobRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct JobRef {
    pub delivery_id: i64,
    /// `queued` (follow `job_id`), `already_labelled`, `unknown_delivery`.
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub job_id: Option<i64>,
}

/// Check a list of deliveries (1 to [`MAX_DELIVERIES`], repeats dropped).
fn deliveries_of(req: &LabelRequest) -> Result<Vec<i64>, ApiError> {
    if req.deliveries.is_empty() || req.deliveries.len() > MAX_DELIVERIES {
        return Err(refuse(
            "validation_failed",
            format!("name 1 to {MAX_DELIVERIES} deliveries"),
        ));
    }
    let mut ids = Vec::with_capacity(req.deliveries.len());
    for id in &req.deliveries {
        if !ids.contains(id) {
            ids.push(*id);
        }
    }
    Ok(ids)
}

/// Enqueue label jobs (the API's and the Logs' retry) under the request's
/// idempotency key.
pub async fn request(
    state: &AppState,
    req: &HttpRequest,
    user: &crate::users::User,
    company_id: i64,
    body: &Body<LabelRequest>,
    trigger: &'static str,
) -> Result<HttpResponse, ApiError> {
    covered(user, company_id)?;
    let ids = deliveries_of(&body.value)?;
    let host = state.host.clone();
    let (res, _) = idempotent(state, req, user, &body.canonical, "label_jobs", move |c| {
        let each = crate::labels::request_labels_each(c, host.as_ref(), company_id, &ids, trigger)?;
        let job = each
            .into_iter()
            .map(|(delivery_id, r)| match r {
                Requested::Queued(job_id) => JobRef {
                    delivery_id,
                    outcome: "queued".into(),
                    job_id,
                },
                Requested::Already => JobRef {
                    delivery_id,
                    outcome: "already_labelled".into(),
                    job_id: None,
                },
                Requested::Unknown => JobRef {
                    delivery_id,
                    outcome: "unknown_delivery".into(),
                    job_id: None,
                },
            })
            .collect();
        Ok((StatusCode::ACCEPTED, LabelJobs { job }))
    })
    .await?;
    Ok(res)
}

/// `POST /api/v1/companies/{company}/labels` `{"deliveries": [1, 2]}`.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    body: Body<LabelRequest>,
) -> Result<HttpResponse, ApiError> {
    request(&state, &req, &user, path.into_inner(), &body, "api").await
}

/// The cancel job of a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CancelAccepted {
    pub delivery_id: i64,
    pub job_id: i64,
}

/// `POST /api/v1/companies/{company}/deliveries/{delivery}/cancel` (no
/// body): 202 with the cancel job; 409 `no_label` when the delivery has
/// no label to cancel. Sendcloud's answer arrives as the shipment's
/// `cancel_outcome`.
pub async fn cancel(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (company_id, delivery_id) = path.into_inner();
    covered(&user, company_id)?;
    let name = user.name.clone();
    let (res, _) = idempotent(&state, &req, &user, "", "cancel", move |c| {
        let label = crate::labels::label_of(c, company_id, delivery_id)?;
        let cancellable = label.is_some_and(|l| {
            l.state == crate::labels::STATE_CREATED
                || l.state == crate::labels::STATE_CANCEL_REQUESTED
        });
        if !cancellable {
            return Err(refuse(
                "no_label",
                "the delivery has no label to cancel (unknown delivery, no label, or cancelled)",
            ));
        }
        let job_id = crate::labels::request_cancel_job(c, company_id, delivery_id, &name)?
            .ok_or_else(|| WebError::Internal("cancel job not enqueued".into()))?;
        Ok((
            StatusCode::ACCEPTED,
            CancelAccepted {
                delivery_id,
                job_id,
            },
        ))
    })
    .await?;
    Ok(res)
}

/// A label or cancel job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct JobBody {
    pub id: i64,
    /// `labels.create` or `labels.cancel`.
    pub kind: String,
    /// `queued`, `running`, `done`, `failed` (gave up after its retries).
    pub state: String,
    pub attempts: i32,
    pub delivery_id: i64,
    /// The delivery with its shipment (or its problems), once the job is
    /// done or failed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub delivery: Option<DeliveryBody>,
}

/// `GET /api/v1/companies/{company}/jobs/{job}`.
pub async fn job(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (company_id, job_id) = path.into_inner();
    covered(&user, company_id)?;
    let job = state
        .db
        .run(move |c| crate::labels::lookup::job(c, company_id, job_id))
        .await?
        .ok_or(WebError::NotFound)?;
    let finished = job.state == crate::jobs::STATE_DONE || job.state == crate::jobs::STATE_FAILED;
    let delivery = if finished {
        deliveries::load(&state, company_id, job.delivery_id).await?
    } else {
        None
    };
    respond(
        &req,
        "job",
        &JobBody {
            id: job.id,
            kind: job.kind,
            state: job.state,
            attempts: job.attempts,
            delivery_id: job.delivery_id,
            delivery,
        },
    )
}
