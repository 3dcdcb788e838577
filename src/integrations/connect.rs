//! Connecting a company to Sendcloud and what the webhooks about its
//! integration change.
//!
//! Connect flow: the user presses *Setup*; we check that our own webhook URL
//! answers, mark the company `pending` and send the browser to Sendcloud's
//! connect page with a per-company webhook URL carrying an unguessable token.
//! Sendcloud posts `integration_credentials` there, signed with the secret
//! key inside the payload. `crate::webhooks` receives it (token, HMAC) and
//! hands it here only for a company that is waiting (`pending`, within
//! [`CONNECT_WINDOW_MINUTES`]). Later events (`integration_connected`,
//! `integration_updated`, `integration_deleted`), signed with the stored
//! secret, are applied by [`apply_integration_event`]. We never call
//! Sendcloud back from a webhook (no ping-pong).
//!
//! Fallback: keys entered by hand are checked against Sendcloud before they
//! are saved. Either way the first synchronisation is enqueued as jobs (the
//! same Abgleich and order push every later run uses).

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use crate::account::{self as keys, ensure_row, store_keys};
use crate::actionlog::{self, Action, Direction, Fact};
use crate::context::Context;
use crate::crypto::SecretBox;
use crate::db::schema::sendcloud_integrations as si;
use crate::db::{DbConn, DbError, DbResult};
use crate::jobs;
use crate::orders::PushJob;
use crate::problem::{Problem, ProblemCode};
use crate::sendcloud::Credentials;
use crate::sync::{self, SyncObject};

/// Enqueue an Abgleich (kept under its old name: it is `sync::enqueue`).
pub use crate::sync::enqueue as enqueue_sync;

/// How long after pressing *Setup* the credentials may arrive.
pub const CONNECT_WINDOW_MINUTES: i64 = 30;

/// The shop type in Sendcloud's connect URL.
pub const SHOP_TYPE: &str = "api";

/// Start the connect flow: mark the company pending and return the URL of
/// Sendcloud's connect page.
pub fn begin_connect(
    ctx: &Context,
    conn: &mut DbConn,
    company_id: i64,
    shop_name: &str,
) -> DbResult<String> {
    let token = ensure_row(conn, company_id)?;
    let now = Utc::now().naive_utc();
    diesel::update(si::table.filter(si::company_id.eq(company_id).and(si::state.ne("connected"))))
        .set((
            si::state.eq("pending"),
            si::connect_started_at.eq(now),
            si::updated_at.eq(now),
        ))
        .execute(conn)?;
    // Sendcloud sends the browser back here whether the user approved or
    // cancelled; the marker lets the page tell "back, still no keys".
    let back = ctx.config.public_link(RETURN_PATH);
    let hook = keys::webhook_url(ctx, company_id, &token);
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("url_webshop", &back)
        .append_pair("webhook_url", &hook)
        .append_pair("shop_name", shop_name)
        .finish();
    Ok(format!(
        "{}/shops/{SHOP_TYPE}/connect/?{query}",
        ctx.config.sendcloud_panel_url
    ))
}

/// Where Sendcloud's connect page sends the browser back to (approved or
/// cancelled alike).
pub const RETURN_PATH: &str = "/admin/config?connect=returned";

/// How far a connect flow started with *Setup* got, for the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectAttempt {
    /// No Setup waiting (never started, connected, or disconnected).
    None,
    /// Setup pressed; Sendcloud may send the keys until `until`.
    Waiting {
        started_at: NaiveDateTime,
        until: NaiveDateTime,
    },
    /// Setup pressed, but no keys came within [`CONNECT_WINDOW_MINUTES`]:
    /// the attempt has expired and Setup must be started again.
    Expired { started_at: NaiveDateTime },
}

/// The company's connect attempt at `now`.
pub fn connect_attempt(
    conn: &mut DbConn,
    company_id: i64,
    now: NaiveDateTime,
) -> DbResult<ConnectAttempt> {
    let Some(target) = webhook_target(conn, company_id)? else {
        return Ok(ConnectAttempt::None);
    };
    Ok(match (target.state.as_str(), target.connect_started_at) {
        ("pending", Some(started_at)) => {
            if waiting_for_credentials(&target, now) {
                ConnectAttempt::Waiting {
                    started_at,
                    until: started_at + Duration::minutes(CONNECT_WINDOW_MINUTES),
                }
            } else {
                ConnectAttempt::Expired { started_at }
            }
        }
        _ => ConnectAttempt::None,
    })
}

/// Where a company's webhooks go, as their receipt needs it: read in one
/// query with the sealed secret, which stays sealed until the token passed.
pub(crate) struct WebhookTarget {
    pub token: String,
    pub state: String,
    pub connect_started_at: Option<NaiveDateTime>,
    secret_key_enc: Option<String>,
}

impl WebhookTarget {
    /// The stored secret key (`None`: no keys stored, not connected).
    pub fn secret(&self, secrets: &SecretBox, company_id: i64) -> DbResult<Option<String>> {
        keys::open_secret(secrets, company_id, self.secret_key_enc.as_deref())
    }

    /// The secret as sealed in the row (`None`: no keys stored).
    pub fn sealed_secret(&self) -> Option<&str> {
        self.secret_key_enc.as_deref()
    }
}

/// The company's webhook token, connection state and sealed secret
/// (`None`: the company never started a connection).
pub(crate) fn webhook_target(
    conn: &mut DbConn,
    company_id: i64,
) -> DbResult<Option<WebhookTarget>> {
    let row: Option<(String, String, Option<NaiveDateTime>, Option<String>)> = si::table
        .filter(si::company_id.eq(company_id))
        .select((
            si::webhook_token,
            si::state,
            si::connect_started_at,
            si::secret_key_enc,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(
        |(token, state, connect_started_at, secret_key_enc)| WebhookTarget {
            token,
            state,
            connect_started_at,
            secret_key_enc,
        },
    ))
}

/// Is the company waiting for its credentials at `now` (pending, and within
/// [`CONNECT_WINDOW_MINUTES`] of pressing *Setup*)?
pub(crate) fn waiting_for_credentials(target: &WebhookTarget, now: NaiveDateTime) -> bool {
    target.state == "pending"
        && target
            .connect_started_at
            .is_some_and(|t| now - t <= Duration::minutes(CONNECT_WINDOW_MINUTES))
}

/// The keys of `integration_credentials` (signature and window already
/// checked): store them encrypted, mark the company connected and enqueue
/// the first synchronisation, in one transaction.
pub(crate) fn accept_credentials(
    conn: &mut DbConn,
    secrets: &SecretBox,
    company_id: i64,
    public_key: &str,
    secret_key: &str,
    integration_id: Option<i64>,
) -> DbResult<()> {
    conn.write_transaction(|c| {
        store_keys(
            c,
            secrets,
            company_id,
            public_key,
            secret_key,
            integration_id,
        )?;
        let id = integration_id
            .map(|i| i.to_string())
            .unwrap_or_else(|| "?".into());
        log_webhook(
            c,
            company_id,
            "integration_credentials",
            true,
            &crate::actionlog::Fact::new("log-integration-connected")
                .arg("integration", id)
                .to_message(),
        )?;
        enqueue_first_sync(c, company_id)
    })
}

/// The `integration` object of Sendcloud's integration webhooks.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct IntegrationPayload {
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    shop_name: Option<String>,
    #[serde(default)]
    system: Option<String>,
    #[serde(default)]
    webhook_active: Option<bool>,
    #[serde(default)]
    failing_since: Option<String>,
}

impl IntegrationPayload {
    pub(crate) fn id(&self) -> Option<i64> {
        self.id
    }
}

/// Apply a signed, fresh `integration_connected`, `integration_updated` or
/// `integration_deleted` to the company's integration. Nothing is sent back
/// to Sendcloud (no ping-pong). Returns the id of its action-log fact.
pub(crate) fn apply_integration_event(
    conn: &mut DbConn,
    company_id: i64,
    action: &str,
    integration: Option<&IntegrationPayload>,
    now: NaiveDateTime,
) -> DbResult<&'static str> {
    if action == "integration_deleted" {
        keys::disconnect(conn, company_id)?;
        return Ok("log-integration-deleted");
    }
    if let Some(i) = integration {
        let failing = i.failing_since.as_deref().and_then(|s| {
            NaiveDateTime::parse_from_str(s.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f").ok()
        });
        diesel::update(si::table.filter(si::company_id.eq(company_id)))
            .set((
                si::sendcloud_integration_id.eq(i.id),
                si::shop_name.eq(&i.shop_name),
                si::system.eq(&i.system),
                si::webhook_active.eq(i.webhook_active.unwrap_or(false)),
                si::failing_since.eq(failing),
                si::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok("log-integration-updated")
}

/// The payload timestamp (ms) of the newest integration event applied to the
/// company, kept on the integration row: it outlives the inbox purge, so a
/// replayed older event is recognised as stale however old it is.
pub(crate) fn last_event_ts(conn: &mut DbConn, company_id: i64) -> DbResult<Option<i64>> {
    Ok(si::table
        .filter(si::company_id.eq(company_id))
        .select(si::last_event_ts)
        .first::<Option<i64>>(conn)
        .optional()?
        .flatten())
}

/// Remember that an integration event of time `event_ts` was applied.
pub(crate) fn record_event_ts(conn: &mut DbConn, company_id: i64, event_ts: i64) -> DbResult<()> {
    diesel::update(si::table.filter(si::company_id.eq(company_id)))
        .set(si::last_event_ts.eq(event_ts))
        .execute(conn)?;
    Ok(())
}

/// An action-log entry for a webhook Sendcloud sent the company.
pub(crate) fn log_webhook(
    conn: &mut DbConn,
    company_id: i64,
    action: &str,
    ok: bool,
    message: &str,
) -> DbResult<()> {
    actionlog::record(
        conn,
        &Action {
            company_id: Some(company_id),
            direction: Direction::Incoming,
            action: &format!("webhook.{action}"),
            target: "Sendcloud → Webhook",
            ok,
            status_code: None,
            message,
            user_name: None,
        },
    )
}

/// Does our webhook URL answer from outside? *Setup* asks before sending the
/// user to Sendcloud, which must be able to post the keys back; it posts an
/// empty JSON object like Sendcloud's own check would (answered with a pong).
pub async fn webhook_reachable(url: &str) -> bool {
    let Ok(client) = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
    else {
        return false;
    };
    client
        .post(url)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

/// *Trennen* by a user: keys deleted, the company disconnected (synced data
/// stays), one action-log entry naming the user.
pub fn disconnect_by(conn: &mut DbConn, company_id: i64, user: &str) -> DbResult<()> {
    conn.write_transaction(|c| {
        keys::disconnect(c, company_id)?;
        actionlog::record(
            c,
            &Action {
                company_id: Some(company_id),
                direction: Direction::Internal,
                action: "integration.disconnect",
                target: "Integration",
                ok: true,
                status_code: None,
                message: &Fact::new("log-disconnected").to_message(),
                user_name: Some(user),
            },
        )
    })
}

/// The first synchronisation after connecting: the Abgleich of sender
/// addresses, shipping methods and parcel statuses, then the push of the
/// last N days' approved and open orders (N from plugin.toml). Both are the
/// ordinary jobs every later run uses.
pub fn enqueue_first_sync(conn: &mut DbConn, company_id: i64) -> DbResult<()> {
    let objects: Vec<SyncObject> = SyncObject::available().collect();
    sync::enqueue(conn, company_id, "connect", &objects)?;
    let since = Utc::now().naive_utc() - Duration::days(30);
    jobs::enqueue_job(conn, &PushJob::new(company_id, since, "connect"))?;
    Ok(())
}

/// Why connecting or testing failed: a [`Problem`] (rendered in the
/// reader's language by the page), or our database.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Keys missing or refused, Sendcloud unreachable, …
    #[error("{0}")]
    Problem(Problem),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl ConnectError {
    pub fn problem(&self) -> Problem {
        match self {
            ConnectError::Problem(p) => p.clone(),
            ConnectError::Db(e) => Problem::from_db(e),
        }
    }
}

fn check_error(e: crate::sendcloud::Error) -> ConnectError {
    ConnectError::Problem(Problem::from_sendcloud(&e))
}

/// Keys entered by hand: check them against Sendcloud, then save them and
/// start the first synchronisation. Nothing is saved when the check fails.
pub async fn connect_with_keys(
    ctx: &Context,
    company_id: i64,
    public_key: &str,
    secret_key: &str,
    user: &str,
) -> Result<(), ConnectError> {
    let (public_key, secret_key) = (public_key.trim().to_string(), secret_key.trim().to_string());
    if public_key.is_empty() || secret_key.is_empty() {
        return Err(ConnectError::Problem(Problem::new(
            ProblemCode::MissingKeys,
        )));
    }
    let client = keys::client_with(
        ctx,
        Credentials::new(public_key.clone(), secret_key.clone()),
    )
    .map_err(check_error)?;
    let integrations = client.list_integrations(None).await.map_err(check_error)?;
    let token = ctx.db.run(move |c| ensure_row(c, company_id)).await?;
    let hook = keys::webhook_url(ctx, company_id, &token);
    let integration_id = keys::pick_integration(&integrations, &hook);
    let secrets = ctx.secrets.clone();
    let user = user.to_string();
    ctx.db
        .run(move |c| {
            c.write_transaction(|c| {
                store_keys(
                    c,
                    &secrets,
                    company_id,
                    &public_key,
                    &secret_key,
                    integration_id,
                )?;
                actionlog::record(
                    c,
                    &Action {
                        company_id: Some(company_id),
                        direction: Direction::Internal,
                        action: "integration.keys",
                        target: "Integration",
                        ok: true,
                        status_code: None,
                        message: &Fact::new("log-keys-saved").to_message(),
                        user_name: Some(&user),
                    },
                )?;
                enqueue_first_sync(c, company_id)
            })
        })
        .await?;
    Ok(())
}

/// The connection test: one cheap authenticated call. Returns the number of
/// sender addresses Sendcloud reports.
pub async fn test_connection(ctx: &Context, company_id: i64) -> Result<usize, ConnectError> {
    let client = keys::client_for(ctx, company_id)
        .await
        .map_err(|e| match e {
            keys::ClientError::Db(d) => ConnectError::Db(d),
            keys::ClientError::Sendcloud(s) => check_error(s),
            keys::ClientError::NotConnected => {
                ConnectError::Problem(Problem::new(ProblemCode::NotConnected))
            }
        })?;
    let result = client.list_sender_addresses().await;
    let (ok, message, status_code) = match &result {
        Ok(list) => (
            true,
            Fact::new("log-test-ok")
                .arg("count", list.len())
                .to_message(),
            None,
        ),
        Err(e) => {
            let problem = Problem::from_sendcloud(e);
            let status = problem.status.map(i32::from);
            (
                false,
                Fact::new("log-test-failed")
                    .with_problem(problem)
                    .to_message(),
                status,
            )
        }
    };
    ctx.db
        .run(move |c| {
            if ok {
                diesel::update(si::table.filter(si::company_id.eq(company_id)))
                    .set(si::failing_since.eq(None::<NaiveDateTime>))
                    .execute(c)?;
            }
            actionlog::record(
                c,
                &Action {
                    company_id: Some(company_id),
                    direction: Direction::Outgoing,
                    action: "integration.test",
                    target: "GET /api/v2/user/addresses/sender",
                    ok,
                    status_code,
                    message: &message,
                    user_name: None,
                },
            )?;
            Ok(())
        })
        .await?;
    result.map(|l| l.len()).map_err(check_error)
}
