//! Host events out: the module tells the host what changed about a
//! delivery's label (created, status changed, delivered, failed, cancelled)
//! through a signed webhook, with an **outbox** so nothing is lost.
//!
//! - Where a label changes (`crate::tracking`: `store_created`,
//!   `mark_failed`, `apply_parcel_news`, `store_cancel_outcome`), [`record`]
//!   writes one `sendcloud_outbox` row **in the caller's transaction** and
//!   enqueues the [`DeliverJob`] there too: the change and its event commit
//!   together or not at all, so a process that dies loses nothing. No hook
//!   configured for the company: no row (nothing accumulates unread).
//! - [`DeliverJob`] (`events.deliver`, one per company at a time through its
//!   dedupe key) posts the due rows in id order; a delivery's later events
//!   wait while an earlier one is undelivered, so the host sees each
//!   delivery's events in order. The first failure ends the run (a host that
//!   is down costs one request per run, not one per event); the row is tried
//!   again after the queue's backoff (`jobs::backoff`: 30 s doubling to 1 h),
//!   and after [`MAX_ATTEMPTS`] it is *parked*: shown on the notifications
//!   page and through the API, sent again by [`requeue_parked`]. The
//!   scheduler enqueues the job whenever a company has due rows.
//! - The body carries facts and a stable `event_id` (the host dedupes on it:
//!   an answer lost on the way makes the module send again). Signed like the
//!   notification webhook (`crate::notify::sign`, header
//!   `X-Sendcloud-Plugin-Signature: sha256=<hex>`) with the company's events
//!   secret (sealed with the master key), else the host token secret.
//! - Delivered rows are purged with the company's log retention
//!   ([`purge_delivered`], called by the log purge).

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::actionlog::{self, Action, Direction, Fact};
use crate::context::Context;
use crate::crypto::SecretBox;
use crate::db::schema::{sendcloud_event_hooks as eh, sendcloud_outbox as ob};
use crate::db::{DbConn, DbError, DbResult};
use crate::jobs::{enqueue_job, JobError, JobKind};

pub const STATE_PENDING: &str = "pending";
pub const STATE_DELIVERED: &str = "delivered";
pub const STATE_PARKED: &str = "parked";

/// Attempts before an event is parked.
pub const MAX_ATTEMPTS: i32 = 10;
/// Rows looked at per round of a delivery run.
const BATCH: i64 = 200;
/// Header naming the event type.
pub const EVENT_HEADER: &str = "X-Sendcloud-Plugin-Event";
/// Header carrying the event id.
pub const EVENT_ID_HEADER: &str = "X-Sendcloud-Plugin-Event-Id";

/// What happened to a delivery's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "label.created")]
    LabelCreated,
    #[serde(rename = "label.status_changed")]
    StatusChanged,
    #[serde(rename = "label.delivered")]
    Delivered,
    #[serde(rename = "label.failed")]
    LabelFailed,
    #[serde(rename = "label.cancelled")]
    LabelCancelled,
}

impl EventType {
    pub fn as_str(&self) -> &'static str {
        match self {
            EventType::LabelCreated => "label.created",
            EventType::StatusChanged => "label.status_changed",
            EventType::Delivered => "label.delivered",
            EventType::LabelFailed => "label.failed",
            EventType::LabelCancelled => "label.cancelled",
        }
    }
}

/// The facts of a label at the moment of the event (what the host gets).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelFacts {
    pub delivery_id: i64,
    pub order_number: String,
    pub external_reference_id: String,
    pub shipment_id: Option<String>,
    pub parcel_id: Option<i64>,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    pub carrier: Option<String>,
    /// Sendcloud's v2 status id and v3 status code.
    pub status_id: Option<i64>,
    pub status_code: Option<String>,
    /// Sendcloud's status message, verbatim.
    pub status_message: Option<String>,
    /// For `label.failed`: the problem codes (ours) or fields (Sendcloud's).
    #[serde(default)]
    pub problems: Vec<String>,
    /// For `label.cancelled`: the outcome code (`cancelled`, `already_cancelled`).
    pub cancel_outcome: Option<String>,
    pub test_mode: bool,
}

/// The company's event hook, if set (the URL; whether a secret is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventHook {
    pub url: String,
    pub has_secret: bool,
}

/// Does the company want events? (One primary-key look-up.)
pub fn enabled(conn: &mut DbConn, company_id: i64) -> DbResult<bool> {
    let n: i64 = eh::table
        .filter(eh::company_id.eq(company_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The company's event hook.
pub fn hook(conn: &mut DbConn, company_id: i64) -> DbResult<Option<EventHook>> {
    let row: Option<(String, Option<String>)> = eh::table
        .find(company_id)
        .select((eh::url, eh::secret_sealed))
        .first(conn)
        .optional()?;
    Ok(row.map(|(url, secret)| EventHook {
        url,
        has_secret: secret.is_some(),
    }))
}

fn secret_context(company_id: i64) -> String {
    format!("event-hook:{company_id}:secret")
}

/// Is `url` a usable hook URL (http or https)?
pub fn valid_url(url: &str) -> bool {
    url::Url::parse(url.trim()).is_ok_and(|u| u.scheme() == "https" || u.scheme() == "http")
}

/// What to do with the stored secret when saving a hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretChange {
    Keep,
    Clear,
    Set(String),
}

/// Set (or, with an empty URL, remove) the company's event hook; the secret
/// is sealed with the master key. `Err(Invalid)` for a URL that is not
/// http(s) or a secret shorter than 16 characters.
pub fn save_hook(
    conn: &mut DbConn,
    secrets: &SecretBox,
    company_id: i64,
    url: &str,
    secret: SecretChange,
    user: &str,
) -> DbResult<()> {
    let url = url.trim();
    if !url.is_empty() && !valid_url(url) {
        return Err(DbError::Invalid("events-error-url".into()));
    }
    if let SecretChange::Set(s) = &secret {
        if s.trim().chars().count() < 16 {
            return Err(DbError::Invalid("events-error-secret".into()));
        }
    }
    let now = Utc::now().naive_utc();
    conn.write_transaction(|c| {
        if url.is_empty() {
            diesel::delete(eh::table.find(company_id)).execute(c)?;
        } else {
            let current: Option<Option<String>> = eh::table
                .find(company_id)
                .select(eh::secret_sealed)
                .first(c)
                .optional()?;
            let sealed = match &secret {
                SecretChange::Keep => current.clone().flatten(),
                SecretChange::Clear => None,
                SecretChange::Set(s) => Some(secrets.seal(s.trim(), &secret_context(company_id))),
            };
            if current.is_some() {
                diesel::update(eh::table.find(company_id))
                    .set((
                        eh::url.eq(url),
                        eh::secret_sealed.eq(sealed),
                        eh::updated_at.eq(now),
                    ))
                    .execute(c)?;
            } else {
                diesel::insert_into(eh::table)
                    .values((
                        eh::company_id.eq(company_id),
                        eh::url.eq(url),
                        eh::secret_sealed.eq(sealed),
                        eh::updated_at.eq(now),
                    ))
                    .execute(c)?;
            }
        }
        actionlog::record(
            c,
            &Action {
                company_id: Some(company_id),
                direction: Direction::Internal,
                action: "events.hook",
                target: "notifications",
                ok: true,
                status_code: None,
                message: &Fact::new("log-events-hook").to_message(),
                user_name: Some(user),
            },
        )
    })
}

/// Write an event for the host in the caller's transaction (and enqueue its
/// delivery). Nothing when the company has no hook. `Ok(true)` when written.
pub fn record(
    conn: &mut DbConn,
    company_id: i64,
    event: EventType,
    facts: &LabelFacts,
) -> DbResult<bool> {
    if !enabled(conn, company_id)? {
        return Ok(false);
    }
    let now = Utc::now().naive_utc();
    let payload = serde_json::to_string(facts).map_err(|e| DbError::Invalid(e.to_string()))?;
    let event_id = format!("evt_{}", crate::crypto::random_token());
    diesel::insert_into(ob::table)
        .values((
            ob::company_id.eq(company_id),
            ob::event_id.eq(&event_id),
            ob::event_type.eq(event.as_str()),
            ob::delivery_id.eq(facts.delivery_id),
            ob::payload.eq(payload),
            ob::state.eq(STATE_PENDING),
            ob::attempts.eq(0),
            ob::next_attempt_at.eq(now),
            ob::created_at.eq(now),
        ))
        .execute(conn)?;
    enqueue_job(conn, &DeliverJob { company_id })?;
    Ok(true)
}

/// One outbox row.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = ob)]
pub struct OutboxRow {
    pub id: i64,
    pub company_id: i64,
    pub event_id: String,
    pub event_type: String,
    pub delivery_id: i64,
    pub payload: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

impl OutboxRow {
    /// The translation id of a failure without an HTTP status (`connect`,
    /// `timeout`, `request`), for the page.
    pub fn error_label_id(&self) -> &'static str {
        match self.last_error.as_deref() {
            Some("connect") => "events-error-connect",
            Some("timeout") => "events-error-timeout",
            _ => "events-error-request",
        }
    }
}

/// The company's events in a state, oldest first (the page and the API).
pub fn events(
    conn: &mut DbConn,
    company_id: i64,
    state: &str,
    limit: i64,
) -> DbResult<Vec<OutboxRow>> {
    Ok(ob::table
        .filter(ob::company_id.eq(company_id))
        .filter(ob::state.eq(state))
        .order(ob::id)
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)?)
}

/// How many events of the company are pending, parked, delivered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxCounts {
    pub pending: i64,
    pub parked: i64,
    pub delivered: i64,
}

pub fn counts(conn: &mut DbConn, company_id: i64) -> DbResult<OutboxCounts> {
    let rows: Vec<(String, i64)> = ob::table
        .filter(ob::company_id.eq(company_id))
        .group_by(ob::state)
        .select((ob::state, diesel::dsl::count_star()))
        .load(conn)?;
    let mut c = OutboxCounts::default();
    for (state, n) in rows {
        match state.as_str() {
            STATE_PENDING => c.pending = n,
            STATE_PARKED => c.parked = n,
            STATE_DELIVERED => c.delivered = n,
            _ => {}
        }
    }
    Ok(c)
}

/// Send the company's parked events again (from the first attempt).
/// Returns how many.
pub fn requeue_parked(conn: &mut DbConn, company_id: i64) -> DbResult<usize> {
    let now = Utc::now().naive_utc();
    conn.write_transaction(|c| {
        let n = diesel::update(
            ob::table
                .filter(ob::company_id.eq(company_id))
                .filter(ob::state.eq(STATE_PARKED)),
        )
        .set((
            ob::state.eq(STATE_PENDING),
            ob::attempts.eq(0),
            ob::next_attempt_at.eq(now),
        ))
        .execute(c)?;
        if n > 0 {
            enqueue_job(c, &DeliverJob { company_id })?;
        }
        Ok(n)
    })
}

/// Companies with pending events due at `now` (the scheduler enqueues
/// their delivery).
pub fn due_companies(conn: &mut DbConn, now: NaiveDateTime) -> DbResult<Vec<i64>> {
    Ok(ob::table
        .filter(ob::state.eq(STATE_PENDING))
        .filter(ob::next_attempt_at.le(now))
        .select(ob::company_id)
        .distinct()
        .load(conn)?)
}

/// Delete the company's delivered events older than `days`.
pub fn purge_delivered(
    conn: &mut DbConn,
    company_id: i64,
    days: i64,
    now: NaiveDateTime,
) -> DbResult<usize> {
    Ok(diesel::delete(
        ob::table
            .filter(ob::company_id.eq(company_id))
            .filter(ob::state.eq(STATE_DELIVERED))
            .filter(ob::delivered_at.lt(now - chrono::Duration::days(days))),
    )
    .execute(conn)?)
}

/// Deliver the company's due events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliverJob {
    pub company_id: i64,
}

impl JobKind for DeliverJob {
    const KIND: &'static str = "events.deliver";

    fn company_id(&self) -> Option<i64> {
        Some(self.company_id)
    }

    fn dedupe_key(&self) -> Option<String> {
        Some(format!("events.deliver:{}", self.company_id))
    }

    fn run(self, ctx: Context) -> BoxFuture<'static, Result<(), JobError>> {
        Box::pin(async move {
            deliver_due(&ctx, self.company_id, Utc::now().naive_utc()).await?;
            Ok(())
        })
    }
}

/// What a delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DeliverReport {
    pub delivered: usize,
    pub failed: usize,
    pub parked: usize,
}

/// The body the host receives.
#[derive(Debug, Serialize)]
struct Body<'a> {
    event_id: &'a str,
    event: &'a str,
    /// Increases with every event of the module (order within a delivery).
    sequence: i64,
    company_id: i64,
    delivery_id: i64,
    delivery_number: Option<String>,
    occurred_at: String,
    #[serde(flatten)]
    facts: LabelFacts,
}

/// Post the company's events that are due at `now`, in order per delivery
/// (see the module docs). Tests pass a later `now` instead of waiting.
pub async fn deliver_due(
    ctx: &Context,
    company_id: i64,
    now: NaiveDateTime,
) -> Result<DeliverReport, JobError> {
    let mut report = DeliverReport::default();
    let loaded = ctx
        .db
        .run(move |c| {
            let hook: Option<(String, Option<String>)> = eh::table
                .find(company_id)
                .select((eh::url, eh::secret_sealed))
                .first(c)
                .optional()?;
            Ok(hook)
        })
        .await?;
    // No hook (removed after the events were written): they wait.
    let Some((url, sealed)) = loaded else {
        return Ok(report);
    };
    let secret: Vec<u8> = match sealed {
        Some(s) => ctx
            .secrets
            .open(&s, &secret_context(company_id))
            .map_err(|e| JobError(format!("event hook secret: {e}")))?
            .into_bytes(),
        None => match &ctx.config.host_token_secret {
            Some(s) => s.as_bytes().to_vec(),
            None => ctx.secrets.derive("notify-webhook").to_vec(),
        },
    };
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .map_err(|e| JobError(e.to_string()))?;
    let mut after_id = 0i64;
    let mut blocked = std::collections::HashSet::new();
    loop {
        let rows = ctx
            .db
            .run(move |c| {
                Ok(ob::table
                    .filter(ob::company_id.eq(company_id))
                    .filter(ob::state.eq_any([STATE_PENDING, STATE_PARKED]))
                    .filter(ob::id.gt(after_id))
                    .order(ob::id)
                    .limit(BATCH)
                    .select(OutboxRow::as_select())
                    .load::<OutboxRow>(c)?)
            })
            .await?;
        let Some(last) = rows.last() else {
            return Ok(report);
        };
        after_id = last.id;
        let numbers = delivery_numbers(ctx, company_id, &rows).await?;
        for row in rows {
            if blocked.contains(&row.delivery_id) {
                continue;
            }
            if row.state != STATE_PENDING || row.next_attempt_at > now {
                // An earlier event of this delivery waits: so do the later.
                blocked.insert(row.delivery_id);
                continue;
            }
            let facts: LabelFacts = serde_json::from_str(&row.payload).unwrap_or_default();
            let body = Body {
                event_id: &row.event_id,
                event: &row.event_type,
                sequence: row.id,
                company_id,
                delivery_id: row.delivery_id,
                delivery_number: numbers.get(&row.delivery_id).cloned(),
                occurred_at: row.created_at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
                facts,
            };
            let bytes = serde_json::to_vec(&body)?;
            let sent = client
                .post(&url)
                .header("content-type", "application/json")
                .header(
                    crate::notify::SIGNATURE_HEADER,
                    crate::notify::sign(&secret, &bytes),
                )
                .header(EVENT_HEADER, &row.event_type)
                .header(EVENT_ID_HEADER, &row.event_id)
                .header("Idempotency-Key", &row.event_id)
                .body(bytes)
                .send()
                .await;
            let (ok, status, error) = match sent {
                Ok(res) if res.status().is_success() => (true, Some(res.status().as_u16()), None),
                Ok(res) => (
                    false,
                    Some(res.status().as_u16()),
                    Some(format!("HTTP {}", res.status().as_u16())),
                ),
                Err(e) => (
                    false,
                    None,
                    Some(if e.is_timeout() {
                        "timeout".to_string()
                    } else if e.is_connect() {
                        "connect".to_string()
                    } else {
                        "request".to_string()
                    }),
                ),
            };
            let id = row.id;
            let attempts = row.attempts + 1;
            let parked = !ok && attempts >= MAX_ATTEMPTS;
            ctx.db
                .run(move |c| {
                    c.write_transaction(|c| {
                        let at = Utc::now().naive_utc();
                        let status = status.map(i32::from);
                        if ok {
                            diesel::update(ob::table.find(id))
                                .set((
                                    ob::state.eq(STATE_DELIVERED),
                                    ob::attempts.eq(attempts),
                                    ob::last_status.eq(status),
                                    ob::last_error.eq(None::<String>),
                                    ob::delivered_at.eq(Some(at)),
                                ))
                                .execute(c)?;
                        } else {
                            diesel::update(ob::table.find(id))
                                .set((
                                    ob::state.eq(if parked { STATE_PARKED } else { STATE_PENDING }),
                                    ob::attempts.eq(attempts),
                                    ob::next_attempt_at.eq(now + crate::jobs::backoff(attempts)),
                                    ob::last_status.eq(status),
                                    ob::last_error.eq(error.as_deref()),
                                ))
                                .execute(c)?;
                        }
                        if parked {
                            actionlog::record(
                                c,
                                &Action {
                                    company_id: Some(company_id),
                                    direction: Direction::Outgoing,
                                    action: "events.parked",
                                    target: "events",
                                    ok: false,
                                    status_code: status,
                                    message: &Fact::new("log-events-parked")
                                        .arg("attempts", attempts.to_string())
                                        .to_message(),
                                    user_name: None,
                                },
                            )?;
                        }
                        Ok::<_, DbError>(())
                    })
                })
                .await?;
            if ok {
                report.delivered += 1;
            } else {
                report.failed += 1;
                if parked {
                    report.parked += 1;
                }
                // The host is down or refuses: try again after the backoff.
                return Ok(report);
            }
        }
    }
}

async fn delivery_numbers(
    ctx: &Context,
    company_id: i64,
    rows: &[OutboxRow],
) -> Result<std::collections::HashMap<i64, String>, JobError> {
    let mut ids: Vec<i64> = rows.iter().map(|r| r.delivery_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let host = ctx.host.clone();
    Ok(ctx
        .db
        .run(move |c| {
            let limit = ids.len().max(1) as i64;
            let rows = host.deliveries(
                c,
                company_id,
                &crate::host::DeliveryQuery {
                    ids: Some(ids),
                    limit,
                    ..Default::default()
                },
            )?;
            Ok(rows
                .into_iter()
                .map(|r| (r.delivery.id, r.delivery.delivery_number))
                .collect())
        })
        .await?)
}
