//! Receipt of one webhook call: token, JSON, signature, then the inbox and
//! the integration events (see the module doc of `webhooks`).

use chrono::NaiveDateTime;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::inbox::{self, NewEntry, STATE_DONE, STATE_STALE};
use super::signature_ok;
use crate::crypto::SecretBox;
use crate::db::{DbConn, DbError};
use crate::integrations::{self, IntegrationPayload};

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

fn is_integration_event(action: &str) -> bool {
    matches!(
        action,
        "integration_connected" | "integration_updated" | "integration_deleted"
    )
}

/// Handle a webhook for `company_id` arriving at the URL with `token`.
/// `body` is the raw request body; signatures are checked over exactly it.
pub fn handle_webhook(
    conn: &mut DbConn,
    secrets: &SecretBox,
    company_id: i64,
    token: &str,
    signature_header: Option<&str>,
    body: &[u8],
    now: NaiveDateTime,
) -> Result<WebhookOutcome, WebhookError> {
    let Some(target) = integrations::webhook_target(conn, company_id)? else {
        return Err(WebhookError::UnknownTarget);
    };
    if !bool::from(target.token.as_bytes().ct_eq(token.as_bytes())) {
        return Err(WebhookError::UnknownTarget);
    }
    let text = std::str::from_utf8(body).map_err(|e| WebhookError::Malformed(e.to_string()))?;
    let event: Envelope = serde_json::from_str(&crate::text::storable_json_str(text))
        .map_err(|e| WebhookError::Malformed(e.to_string()))?;
    let Some(action) = event.action.clone() else {
        return Ok(WebhookOutcome::Pong);
    };
    let refuse = |conn: &mut DbConn, message: &str, error: WebhookError| {
        integrations::log_webhook(conn, company_id, &action, false, message)?;
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
                "Signatur ungültig: Zugangsdaten verworfen",
                WebhookError::BadSignature,
            );
        }
        if !integrations::waiting_for_credentials(&target, now) {
            return refuse(
                conn,
                "Zugangsdaten kamen, ohne dass eine Verbindung erwartet wurde: verworfen",
                WebhookError::NotWaiting,
            );
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
    let Some(secret) = integrations::load_secret(conn, secrets, company_id)? else {
        return Err(WebhookError::BadSignature);
    };
    if !signature_ok(&secret, body, signature_header) {
        return refuse(
            conn,
            "Signatur ungültig: Ereignis verworfen",
            WebhookError::BadSignature,
        );
    }
    let entry = NewEntry::new(
        &action,
        event.object_id(),
        integer(event.timestamp.as_ref()),
        text,
    );
    let result = conn.write_transaction(|c| {
        let Some(id) = inbox::insert(c, company_id, &entry, now)? else {
            return Ok(WebhookOutcome::Duplicate(action.clone()));
        };
        if action == "parcel_status_changed" {
            inbox::enqueue_processing(c, company_id)?;
        }
        if !is_integration_event(&action) {
            integrations::log_webhook(
                c,
                company_id,
                &action,
                true,
                &format!("Ereignis {action} empfangen und gespeichert (Eingang {id})"),
            )?;
            return Ok(WebhookOutcome::Accepted(action.clone()));
        }
        if inbox::newer_processed(c, company_id, "integration_", entry.event_ts)? {
            inbox::finish(c, id, STATE_STALE, None, now)?;
            integrations::log_webhook(
                c,
                company_id,
                &action,
                true,
                "Veraltetes Ereignis: ein neueres wurde schon übernommen; nicht angewendet",
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
        integrations::log_webhook(c, company_id, &action, true, message)?;
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
            "Ereignis wurde schon empfangen (erneute Zustellung): ignoriert",
        )?;
    }
    Ok(outcome)
}
