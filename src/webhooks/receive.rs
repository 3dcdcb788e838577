//! Receipt of one webhook call: token, JSON (nesting at most
//! [`MAX_JSON_DEPTH`]), signature, then the inbox and the integration events
//! (see the module doc of `webhooks`). Refused calls are counted per company
//! and hour ([`count_refusal`]), not logged one row each. Integration events
//! are judged against the integration's last applied event time (which
//! outlives the inbox purge) and refused when older than
//! [`REPLAY_WINDOW_DAYS`].

use chrono::{Duration, NaiveDateTime, Timelike};
use diesel::prelude::*;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::inbox::{self, NewEntry, STATE_DONE, STATE_STALE};
use super::signature_ok;
use super::targets::{KnownTarget, TargetCache};
use crate::actionlog::Fact;
use crate::crypto::SecretBox;
use crate::db::schema::sendcloud_webhook_refusals as wr;
use crate::db::{DbConn, DbError, DbResult};
use crate::integrations::{self, IntegrationPayload};

/// How deep a webhook body's JSON may nest (Sendcloud's go 4 or 5 deep).
/// Deeper bodies are refused (400) before anything is stored.
pub const MAX_JSON_DEPTH: usize = 32;

/// Integration events whose payload timestamp is older than this are
/// refused (a replay; Sendcloud's own retries end within a day). The inbox
/// keeps what deduplication needs longer than this (see `inbox::purge`).
pub const REPLAY_WINDOW_DAYS: i64 = 7;

/// Refused calls are counted in windows of this many minutes; the first
/// refusal of a window writes one action-log row.
pub const REFUSAL_WINDOW_MINUTES: i64 = 60;

/// What a webhook call led to (all answered 200).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// An empty ping (`{}`): the URL answers, nothing changed.
    Pong,
    /// The event was stored and, for integration events, applied.
    Accepted(String),
    /// The same event arrived before: nothing changed.
    Duplicate(String),
    /// An integration event older than one already applied: stored, not applied.
    Stale(String),
}

/// Why a webhook call was refused. The web layer maps these to statuses.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("unknown webhook address")]
    UnknownTarget,
    #[error("signature missing or wrong")]
    BadSignature,
    #[error("no connection is waiting for credentials for this company")]
    NotWaiting,
    #[error("malformed webhook: {0}")]
    Malformed(String),
    #[error("event older than the replay window ({REPLAY_WINDOW_DAYS} days): not applied")]
    TooOld,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for WebhookError {
    fn from(e: diesel::result::Error) -> Self {
        WebhookError::Db(e.into())
    }
}

/// The parts of a webhook body the receipt looks at. Everything else stays
/// in the stored raw body.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    timestamp: Option<serde_json::Value>,
    #[serde(default)]
    public_key: Option<String>,
    #[serde(default)]
    secret_key: Option<String>,
    #[serde(default)]
    integration_id: Option<serde_json::Value>,
    #[serde(default)]
    integration: Option<IntegrationPayload>,
    /// `parcel_status_changed` (any JSON: a broken parcel is stored and
    /// marked failed by its processing, not refused and lost)
    #[serde(default)]
    parcel: Option<serde_json::Value>,
    /// `return_created`
    #[serde(default)]
    data: Option<serde_json::Value>,
}

/// An id or timestamp that Sendcloud may send as a number or a string.
fn integer(v: Option<&serde_json::Value>) -> Option<i64> {
    match v? {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Envelope {
    /// The parcel, return or integration the event is about.
    fn object_id(&self) -> Option<i64> {
        let nested = |o: &Option<serde_json::Value>| integer(o.as_ref().and_then(|o| o.get("id")));
        nested(&self.parcel)
            .or_else(|| nested(&self.data))
            .or_else(|| self.integration.as_ref().and_then(IntegrationPayload::id))
    }
}

pub use crate::text::json_depth;

/// Count a refused call of the company: one row per company and
/// [`REFUSAL_WINDOW_MINUTES`] in `sendcloud_webhook_refusals`; the first of a
/// window also writes one action-log row saying that more are only counted.
pub fn count_refusal(
    conn: &mut DbConn,
    company_id: i64,
    action: &str,
    reason: &str,
    now: NaiveDateTime,
) -> DbResult<()> {
    let minute = now.minute() as i64;
    let start = now
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now)
        - Duration::minutes(minute % REFUSAL_WINDOW_MINUTES);
    let bump = |c: &mut DbConn| {
        diesel::update(
            wr::table
                .filter(wr::company_id.eq(company_id))
                .filter(wr::window_start.eq(start)),
        )
        .set((wr::refused.eq(wr::refused + 1), wr::last_reason.eq(reason)))
        .execute(c)
    };
    if bump(conn)? > 0 {
        return Ok(());
    }
    let inserted = diesel::insert_into(wr::table)
        .values((
            wr::company_id.eq(company_id),
            wr::window_start.eq(start),
            wr::refused.eq(1i64),
            wr::last_reason.eq(reason),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => {
            let until = start + Duration::minutes(REFUSAL_WINDOW_MINUTES);
            integrations::log_webhook(
                conn,
                company_id,
                action,
                false,
                &Fact::new("log-webhook-refused")
                    .arg("reason", reason)
                    .arg("until", format!("{} UTC", until.format("%Y-%m-%d %H:%M")))
                    .to_message(),
            )
        }
        // Another call of the same window inserted first: count on its row.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => bump(conn).map(|_| ()).map_err(Into::into),
        Err(e) => Err(e.into()),
    }
}

/// How many calls of the company were refused since `since`.
pub fn refused_count(conn: &mut DbConn, company_id: i64, since: NaiveDateTime) -> DbResult<i64> {
    let rows: Vec<i64> = wr::table
        .filter(wr::company_id.eq(company_id))
        .filter(wr::window_start.ge(since - Duration::minutes(REFUSAL_WINDOW_MINUTES)))
        .select(wr::refused)
        .load(conn)?;
    Ok(rows.iter().sum())
}

fn is_integration_event(action: &str) -> bool {
    matches!(
        action,
        "integration_connected" | "integration_updated" | "integration_deleted"
    )
}

/// Handle a webhook for `company_id` arriving at the URL with `token`.
/// `body` is the raw request body; signatures are checked over exactly it.
/// Reads the integration row every time (see [`handle_webhook_cached`]).
pub fn handle_webhook(
    conn: &mut DbConn,
    secrets: &SecretBox,
    company_id: i64,
    token: &str,
    signature_header: Option<&str>,
    body: &[u8],
    now: NaiveDateTime,
) -> Result<WebhookOutcome, WebhookError> {
    handle_from_row(
        conn,
        secrets,
        None,
        company_id,
        token,
        signature_header,
        body,
        now,
        0,
    )
}

/// [`handle_webhook`] with the process's [`TargetCache`]: a parcel or
/// return event for a company whose target is cached (same token, signature
/// good with the cached secret) is stored in one round trip, by the
/// statement that also checks that the integration row still carries the
/// cached token and sealed secret. Anything else (a cache miss, another
/// action, a bad signature, a changed row) takes the path through the row,
/// which decides every refusal.
#[allow(clippy::too_many_arguments)]
pub fn handle_webhook_cached(
    conn: &mut DbConn,
    secrets: &SecretBox,
    cache: &TargetCache,
    company_id: i64,
    token: &str,
    signature_header: Option<&str>,
    body: &[u8],
    now: NaiveDateTime,
) -> Result<WebhookOutcome, WebhookError> {
    if let Some(known) = cache.get(company_id) {
        if bool::from(known.token.as_bytes().ct_eq(token.as_bytes())) {
            match receive_known(conn, cache, &known, company_id, signature_header, body, now)? {
                Fast::Done(outcome) => return Ok(outcome),
                Fast::NotForMe => {}
                Fast::Stale => cache.forget(company_id),
            }
        } else {
            cache.forget(company_id);
        }
    }
    handle_from_row(
        conn,
        secrets,
        Some(cache),
        company_id,
        token,
        signature_header,
        body,
        now,
        0,
    )
}

/// What the cached path made of a call.
enum Fast {
    Done(WebhookOutcome),
    /// Not a stored parcel or return event (ping, integration event,
    /// malformed): the path through the row handles it.
    NotForMe,
    /// The cached target does not fit (signature, or the row changed).
    Stale,
}

/// The hot path with a cached target (token already compared).
fn receive_known(
    conn: &mut DbConn,
    cache: &TargetCache,
    known: &KnownTarget,
    company_id: i64,
    signature_header: Option<&str>,
    body: &[u8],
    now: NaiveDateTime,
) -> Result<Fast, WebhookError> {
    if json_depth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH {
        return Ok(Fast::NotForMe);
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return Ok(Fast::NotForMe);
    };
    let Ok(event) = serde_json::from_str::<Envelope>(&crate::text::storable_json_str(text)) else {
        return Ok(Fast::NotForMe);
    };
    let Some(action) = event.action.as_deref() else {
        return Ok(Fast::NotForMe);
    };
    if action == "integration_credentials" || is_integration_event(action) {
        return Ok(Fast::NotForMe);
    }
    if !signature_ok(&known.secret, body, signature_header) {
        return Ok(Fast::Stale);
    }
    let checked = inbox::Checked {
        token: &known.token,
        secret_key_enc: &known.secret_key_enc,
    };
    Ok(
        match store_event(
            conn,
            Some(&cache.group),
            checked,
            company_id,
            action,
            &event,
            text,
            now,
        )? {
            Some(outcome) => Fast::Done(outcome),
            None => Fast::Stale,
        },
    )
}

/// Store a signed parcel or return event (`inbox::receive`, grouped with
/// concurrent receipts when `group` is given); `None` when the integration
/// row no longer matches `checked` (nothing stored).
#[allow(clippy::too_many_arguments)]
fn store_event(
    conn: &mut DbConn,
    group: Option<&super::group::ReceiptGroup>,
    checked: inbox::Checked<'_>,
    company_id: i64,
    action: &str,
    event: &Envelope,
    text: &str,
    now: NaiveDateTime,
) -> Result<Option<WebhookOutcome>, WebhookError> {
    let entry = NewEntry::new(
        action,
        event.object_id(),
        integer(event.timestamp.as_ref()),
        text,
    );
    let job = if inbox::PROCESSED_ACTIONS.contains(&action) {
        Some(crate::jobs::NewJob::of(&inbox::ProcessJob { company_id })?)
    } else {
        None
    };
    let receipt = match group {
        Some(group) => group.receive(
            conn,
            super::group::Pending {
                company_id,
                token: checked.token.to_string(),
                secret_key_enc: checked.secret_key_enc.to_string(),
                entry,
                job,
                now,
            },
        )?,
        None => inbox::receive(conn, company_id, checked, &entry, job.as_ref(), now)?,
    };
    Ok(match receipt {
        inbox::Receipt::Stored(_) => Some(WebhookOutcome::Accepted(action.to_string())),
        inbox::Receipt::Duplicate => Some(WebhookOutcome::Duplicate(action.to_string())),
        inbox::Receipt::TargetChanged => None,
    })
}

/// How often the path through the row reads the row again when it changed
/// between the read and the storing statement.
const ROW_ATTEMPTS: u32 = 3;

/// The receipt judged from the integration row (read first).
#[allow(clippy::too_many_arguments)]
fn handle_from_row(
    conn: &mut DbConn,
    secrets: &SecretBox,
    cache: Option<&TargetCache>,
    company_id: i64,
    token: &str,
    signature_header: Option<&str>,
    body: &[u8],
    now: NaiveDateTime,
    attempt: u32,
) -> Result<WebhookOutcome, WebhookError> {
    let Some(target) = integrations::webhook_target(conn, company_id)? else {
        return Err(WebhookError::UnknownTarget);
    };
    if !bool::from(target.token.as_bytes().ct_eq(token.as_bytes())) {
        return Err(WebhookError::UnknownTarget);
    }
    if json_depth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH {
        return Err(WebhookError::Malformed(format!(
            "JSON nested deeper than {MAX_JSON_DEPTH} levels"
        )));
    }
    let text = std::str::from_utf8(body).map_err(|e| WebhookError::Malformed(e.to_string()))?;
    let event: Envelope = serde_json::from_str(&crate::text::storable_json_str(text))
        .map_err(|e| WebhookError::Malformed(e.to_string()))?;
    let Some(action) = event.action.clone() else {
        return Ok(WebhookOutcome::Pong);
    };
    let refuse = |conn: &mut DbConn, message: &str, error: WebhookError| {
        count_refusal(conn, company_id, &action, message, now)?;
        Err(error)
    };

    if action == "integration_credentials" {
        let (Some(public), Some(secret)) =
            (event.public_key.as_deref(), event.secret_key.as_deref())
        else {
            return Err(WebhookError::Malformed(
                "integration_credentials without keys".into(),
            ));
        };
        if !signature_ok(secret, body, signature_header) {
            return refuse(
                conn,
                "credentials_bad_signature",
                WebhookError::BadSignature,
            );
        }
        if !integrations::waiting_for_credentials(&target, now) {
            return refuse(conn, "credentials_not_waiting", WebhookError::NotWaiting);
        }
        let integration_id = integer(event.integration_id.as_ref());
        integrations::accept_credentials(
            conn,
            secrets,
            company_id,
            public,
            secret,
            integration_id,
        )?;
        return Ok(WebhookOutcome::Accepted("connected".into()));
    }

    // Every other event is signed with the stored secret.
    let Some(secret) = target.secret(secrets, company_id)? else {
        return refuse(conn, "not_connected", WebhookError::BadSignature);
    };
    if !signature_ok(&secret, body, signature_header) {
        return refuse(conn, "bad_signature", WebhookError::BadSignature);
    }
    let event_ts = integer(event.timestamp.as_ref());
    if is_integration_event(&action) {
        let Some(ts) = event_ts else {
            return Err(WebhookError::Malformed(format!(
                "{action} without a timestamp"
            )));
        };
        let oldest = (now - Duration::days(REPLAY_WINDOW_DAYS))
            .and_utc()
            .timestamp_millis();
        // Sendcloud documents milliseconds; a value that can only be seconds
        // (before 1973 as milliseconds) is read as seconds for the window.
        let ts_ms = if ts < 100_000_000_000 {
            ts.saturating_mul(1000)
        } else {
            ts
        };
        if ts_ms < oldest {
            return refuse(conn, "too_old", WebhookError::TooOld);
        }
    }
    if !is_integration_event(&action) {
        // The hot path (parcel status news): one round trip where the
        // database allows it (`inbox::receive`), guarded by the row just read.
        let Some(sealed) = target.sealed_secret() else {
            return refuse(conn, "not_connected", WebhookError::BadSignature);
        };
        let checked = inbox::Checked {
            token: &target.token,
            secret_key_enc: sealed,
        };
        return match store_event(conn, None, checked, company_id, &action, &event, text, now)? {
            Some(outcome) => {
                if let Some(cache) = cache {
                    cache.put(
                        company_id,
                        KnownTarget {
                            token: target.token.clone(),
                            secret_key_enc: sealed.to_string(),
                            secret,
                        },
                    );
                }
                Ok(outcome)
            }
            // The row changed between the read and the statement: judge
            // the call again from the new row.
            None if attempt + 1 < ROW_ATTEMPTS => handle_from_row(
                conn,
                secrets,
                cache,
                company_id,
                token,
                signature_header,
                body,
                now,
                attempt + 1,
            ),
            None => Err(WebhookError::UnknownTarget),
        };
    }
    let entry = NewEntry::new(&action, event.object_id(), event_ts, text);
    let result = conn.write_transaction(|c| {
        let Some(id) = inbox::insert(c, company_id, &entry, now)? else {
            return Ok(WebhookOutcome::Duplicate(action.clone()));
        };
        // Stale: a newer event was applied (the inbox says so while it keeps
        // the rows; the integration row says so for ever).
        let applied = integrations::last_event_ts(c, company_id)?;
        let replayed = matches!((applied, entry.event_ts), (Some(a), Some(t)) if t <= a);
        if replayed || inbox::newer_processed(c, company_id, "integration_", entry.event_ts)? {
            inbox::finish(c, id, STATE_STALE, None, now)?;
            integrations::log_webhook(
                c,
                company_id,
                &action,
                true,
                &Fact::new("log-webhook-stale").to_message(),
            )?;
            return Ok(WebhookOutcome::Stale(action.clone()));
        }
        let message = integrations::apply_integration_event(
            c,
            company_id,
            &action,
            event.integration.as_ref(),
            now,
        )?;
        inbox::finish(c, id, STATE_DONE, None, now)?;
        if let Some(ts) = entry.event_ts {
            integrations::record_event_ts(c, company_id, ts)?;
        }
        integrations::log_webhook(
            c,
            company_id,
            &action,
            true,
            &Fact::new(message).to_message(),
        )?;
        Ok::<_, WebhookError>(WebhookOutcome::Accepted(action.clone()))
    });
    let outcome = match result {
        // Two deliveries of one event raced past the look-up: the unique
        // index let one in; this one is the duplicate.
        Err(WebhookError::Db(DbError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )))) => WebhookOutcome::Duplicate(action.clone()),
        other => other?,
    };
    if matches!(outcome, WebhookOutcome::Duplicate(_)) {
        integrations::log_webhook(
            conn,
            company_id,
            &action,
            true,
            &Fact::new("log-webhook-duplicate").to_message(),
        )?;
    }
    Ok(outcome)
}
