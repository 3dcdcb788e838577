//! `POST /api/v1/companies/{company}/syncs` (start an Abgleich) and
//! `GET /api/v1/companies/{company}/syncs/{run}` (a run's progress).

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{covered, idempotent, refuse, respond, utc, Body};
use crate::web::auth::{Api, ApiCtx};
use crate::web::error::{ApiError, WebError};
use crate::web::AppState;

/// A run as the API returns it: state, objects with their counts, the
/// problem (stable code and Sendcloud's detail), times in UTC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RunBody {
    pub id: i64,
    pub company_id: i64,
    pub trigger: String,
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub current_object: Option<String>,
    /// Per object: `object`, `state`, `counts`, and its `problem`.
    #[serde(default)]
    #[schemars(with = "Vec<serde_json::Value>")]
    pub objects: Vec<crate::sync::ObjectProgress>,
    /// `fetched`, `created`, `updated`, `unchanged`, `failed`.
    #[schemars(with = "serde_json::Value")]
    pub counts: crate::sync::Counts,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<RunErrorBody>,
    pub started_at: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub finished_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RunErrorBody {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub object: Option<String>,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub detail: Option<String>,
}

impl RunBody {
    pub fn of(run: crate::sync::Run) -> RunBody {
        let error = run.problem().map(|(o, p)| RunErrorBody {
            object: o.map(|o| o.as_str().to_string()),
            code: p.code.as_str().to_string(),
            field: p.field,
            detail: p.detail,
        });
        RunBody {
            objects: run.object_progress(),
            counts: crate::sync::Counts {
                fetched: run.fetched,
                created: run.created,
                updated: run.updated,
                unchanged: run.unchanged,
                failed: run.failed,
            },
            error,
            started_at: utc(&run.started_at),
            finished_at: run.finished_at.as_ref().map(utc),
            id: run.id,
            company_id: run.company_id,
            trigger: run.trigger,
            state: run.state,
            current_object: run.current_object,
        }
    }
}

/// `POST /api/v1/companies/{company}/syncs`: what to synchronise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartSync {
    /// Object keys (`parcels`, `sender_addresses`, …). In XML one
    /// `<objects>` element per key.
    pub objects: Vec<String>,
    /// Read everything again (resets the objects' positions).
    #[serde(default)]
    pub full: bool,
}

/// `POST /api/v1/companies/{company}/syncs` `{"objects": [...], "full": false}`:
/// start an Abgleich; 202 with the run (`Location` its URL). 409
/// `already_running` while one is under way, `not_connected` without keys;
/// 422 for an unknown object.
pub async fn start_sync(
    state: web::Data<AppState>,
    ApiCtx { user, .. }: ApiCtx<Api>,
    req: HttpRequest,
    path: web::Path<i64>,
    body: Body<StartSync>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    covered(&user, company_id)?;
    let mut objects = vec![];
    for key in &body.value.objects {
        match crate::sync::SyncObject::parse(key).filter(|o| o.info().available) {
            Some(o) => objects.push(o),
            None => {
                return Err(refuse(
                    "validation_failed",
                    format!("unknown object type {key:?}"),
                ))
            }
        }
    }
    if objects.is_empty() {
        return Err(refuse("validation_failed", "name at least one object type"));
    }
    let key = super::idempotency_key(&req)?;
    let (full, name) = (body.value.full, user.name.clone());
    let (mut res, run) = idempotent(&state, &req, &user, &body.canonical, "run", move |c| {
        let requested = crate::sync::request_run(
            c,
            company_id,
            &crate::sync::SyncRequest {
                trigger: "api",
                objects: &objects,
                full,
                user: Some(&name),
                key: key.as_deref(),
            },
        )?;
        match requested {
            crate::sync::Requested::Started(id) => {
                let run = crate::sync::run_of(c, company_id, id)?.ok_or(WebError::NotFound)?;
                Ok((StatusCode::ACCEPTED, RunBody::of(run)))
            }
            crate::sync::Requested::AlreadyRunning => Err(refuse(
                "already_running",
                "an Abgleich is already queued or running for this company",
            )),
            crate::sync::Requested::NotConnected => Err(refuse(
                "not_connected",
                "the company has no connected Sendcloud account",
            )),
            _ => Err(refuse("validation_failed", "name at least one object type")),
        }
    })
    .await?;
    {
        let id = run.id;
        res.headers_mut().insert(
            header::LOCATION,
            header::HeaderValue::from_str(&format!(
                "{}/api/v1/companies/{company_id}/syncs/{id}",
                state.config.mount_path()
            ))
            .map_err(|e| WebError::Internal(e.to_string()))?,
        );
    }
    Ok(res)
}

/// `GET /api/v1/companies/{company}/syncs/{run}`: a run's progress and result.
pub async fn sync_run(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (company_id, run_id) = path.into_inner();
    covered(&user, company_id)?;
    let run = state
        .db
        .run(move |c| crate::sync::run_of(c, company_id, run_id))
        .await?
        .ok_or(WebError::NotFound)?;
    respond(&req, "run", &RunBody::of(run))
}
