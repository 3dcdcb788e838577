//! Host events through the API (issue 12 item 4): the host says a delivery
//! was created, changed or cancelled (`POST …/deliveries/{delivery}/events`,
//! the label service's `crate::labels::delivery_event`), reads the outbox
//! of events for it (`GET …/events`), sends parked ones again
//! (`POST …/events/retry`) and sets where events go (`POST …/events/hook`;
//! the secret is stored encrypted by `crate::hostevents` and never
//! answered, logged or debug-printed).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{bad_parameter, covered, idempotent, refuse, reply, respond, utc, Body};
use crate::hostevents::{self, OutboxRow, SecretChange};
use crate::labels::{DeliveryEvent, EventOutcome};
use crate::web::auth::{Api, ApiCtx};
use crate::web::error::ApiError;
use crate::web::AppState;

/// `POST …/deliveries/{delivery}/events`: what happened to the delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRequest {
    /// `created`, `changed` or `cancelled`.
    pub event: String,
}

/// What the module did with a host event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventAnswer {
    pub company_id: i64,
    pub delivery_id: i64,
    pub event: String,
    /// `label_requested`, `label_retried`, `cancel_requested` (a job was
    /// queued, 202); `already_labelled`, `label_was_cancelled`, `not_due`,
    /// `auto_label_off`, `nothing_to_cancel`, `already_shipped`,
    /// `already_cancelled` (nothing to do, 200).
    pub outcome: String,
}

/// `POST /api/v1/companies/{company}/deliveries/{delivery}/events`
/// `{"event": "created"}`: 202 when a label or cancel job was queued, 200
/// when nothing was to do; 404 `not_found` for a delivery the company does
/// not have, 422 `validation_failed` for an unknown event. Under an
/// `Idempotency-Key` a repeat answers the first answer.
pub async fn delivery_event(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<(i64, i64)>,
    body: Body<EventRequest>,
) -> Result<HttpResponse, ApiError> {
    let (company_id, delivery_id) = path.into_inner();
    covered(&user, company_id)?;
    let name = body.value.event.trim().to_string();
    let event = DeliveryEvent::parse(&name).ok_or_else(|| {
        refuse(
            "validation_failed",
            format!("unknown event {name:?} (created, changed, cancelled)"),
        )
    })?;
    let (host, manifest) = (state.host.clone(), state.config.manifest.clone());
    let (res, _) = idempotent(&state, &req, &user, &body.canonical, "event", move |c| {
        let outcome = crate::labels::delivery_event(
            c,
            host.as_ref(),
            &manifest,
            company_id,
            delivery_id,
            event,
        )?;
        if outcome == EventOutcome::UnknownDelivery {
            return Err(refuse(
                "not_found",
                format!("company {company_id} has no delivery {delivery_id}"),
            ));
        }
        let status = if outcome.started() {
            StatusCode::ACCEPTED
        } else {
            StatusCode::OK
        };
        Ok((
            status,
            EventAnswer {
                company_id,
                delivery_id,
                event: name,
                outcome: outcome.as_str().to_string(),
            },
        ))
    })
    .await?;
    Ok(res)
}

/// `GET …/events?state=`: which events.
#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    state: Option<String>,
}

/// How many events of the company are in each state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventCounts {
    pub pending: i64,
    pub parked: i64,
    pub delivered: i64,
}

/// The outbox in one state, oldest first (at most 500).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventList {
    pub counts: EventCounts,
    #[serde(default)]
    pub event: Vec<EventItem>,
}

/// One event for the host, as it is sent (see README) plus its delivery
/// state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventItem {
    pub event_id: String,
    /// `label.created`, `label.status_changed`, `label.delivered`,
    /// `label.failed`, `label.cancelled`.
    pub event: String,
    pub sequence: i64,
    pub delivery_id: i64,
    /// `pending`, `parked` or `delivered`.
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub last_status: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub last_error: Option<String>,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub delivered_at: Option<String>,
}

impl EventItem {
    fn of(r: OutboxRow) -> EventItem {
        EventItem {
            next_attempt_at: utc(&r.next_attempt_at),
            created_at: utc(&r.created_at),
            delivered_at: r.delivered_at.as_ref().map(utc),
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
    covered(&user, company_id)?;
    let wanted = q.state.as_deref().unwrap_or(hostevents::STATE_PENDING);
    let wanted = [
        hostevents::STATE_PENDING,
        hostevents::STATE_PARKED,
        hostevents::STATE_DELIVERED,
    ]
    .into_iter()
    .find(|s| *s == wanted)
    .ok_or_else(|| {
        bad_parameter(format!(
            "unknown state {wanted:?} (pending, parked, delivered)"
        ))
    })?;
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
            counts: EventCounts {
                pending: counts.pending,
                parked: counts.parked,
                delivered: counts.delivered,
            },
            event: rows.into_iter().map(EventItem::of).collect(),
        },
    )
}

/// How many parked events were queued again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Requeued {
    pub requeued: i64,
}

/// `POST /api/v1/companies/{company}/events/retry` (no body): send the
/// parked events again (202). Repeating it does no harm: a second call
/// finds nothing parked.
pub async fn retry_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    covered(&user, company_id)?;
    let requeued = state
        .db
        .run(move |c| hostevents::requeue_parked(c, company_id))
        .await?;
    reply(
        &req,
        StatusCode::ACCEPTED,
        "events",
        &Requeued {
            requeued: i64::try_from(requeued).unwrap_or(i64::MAX),
        },
    )
}

/// `POST …/events/hook`: where the host wants its events. An empty `url`
/// switches events off; no `secret` keeps the stored one, `""` removes it.
/// No `Debug`: the secret must not reach a log.
#[derive(Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HookRequest {
    pub url: String,
    /// At least 16 characters; signs the events (HMAC-SHA256). Write-only.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub secret: Option<String>,
}

/// The hook as stored (never the secret, only whether there is one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HookAnswer {
    pub enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
    pub has_secret: bool,
}

/// `POST /api/v1/companies/{company}/events/hook`
/// `{"url": "https://…", "secret": "…"}`: 200 with the hook; 422
/// `validation_failed` for a URL that is not http(s) or a short secret.
pub async fn set_hook(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    body: Body<HookRequest>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    covered(&user, company_id)?;
    let HookRequest { url, secret } = body.value;
    if !url.trim().is_empty() && !hostevents::valid_url(&url) {
        return Err(refuse("validation_failed", "url must be an http(s) URL"));
    }
    let secret = match secret {
        None => SecretChange::Keep,
        Some(s) if s.is_empty() => SecretChange::Clear,
        Some(s) if s.trim().chars().count() < 16 => {
            return Err(refuse(
                "validation_failed",
                "secret must have at least 16 characters",
            ))
        }
        Some(s) => SecretChange::Set(s),
    };
    let (secrets, name) = (state.secrets.clone(), user.name.clone());
    let hook = state
        .db
        .run(move |c| {
            hostevents::save_hook(c, &secrets, company_id, &url, secret, &name)?;
            hostevents::hook(c, company_id)
        })
        .await?;
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
