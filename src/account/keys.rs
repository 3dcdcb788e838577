//! Storing, loading and checking a company's Sendcloud keys, and building the
//! API client from them.

use chrono::Utc;
use diesel::prelude::*;

use crate::context::Context;
use crate::crypto::{random_token, SecretBox};
use crate::db::schema::sendcloud_integrations as si;
use crate::db::{DbConn, DbError, DbResult};
use crate::sendcloud::{ClientConfig, Credentials, SendcloudClient};

fn ctx_public(company_id: i64) -> String {
    format!("integration:{company_id}:public_key")
}

fn ctx_secret(company_id: i64) -> String {
    format!("integration:{company_id}:secret_key")
}

/// The company's integration row, created (disconnected, with a fresh
/// webhook token) when missing. Returns the webhook token.
pub fn ensure_row(conn: &mut DbConn, company_id: i64) -> DbResult<String> {
    if let Some(token) = si::table
        .filter(si::company_id.eq(company_id))
        .select(si::webhook_token)
        .first::<String>(conn)
        .optional()?
    {
        return Ok(token);
    }
    let now = Utc::now().naive_utc();
    let token = random_token();
    diesel::insert_into(si::table)
        .values((
            si::company_id.eq(company_id),
            si::state.eq("disconnected"),
            si::webhook_token.eq(&token),
            si::webhook_active.eq(false),
            si::created_at.eq(now),
            si::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Store keys (encrypted) and mark the integration connected.
pub fn store_keys(
    conn: &mut DbConn,
    secrets: &SecretBox,
    company_id: i64,
    public_key: &str,
    secret_key: &str,
    sendcloud_integration_id: Option<i64>,
) -> DbResult<()> {
    ensure_row(conn, company_id)?;
    let now = Utc::now().naive_utc();
    diesel::update(si::table.filter(si::company_id.eq(company_id)))
        .set((
            si::state.eq("connected"),
            si::public_key_enc.eq(secrets.seal(public_key, &ctx_public(company_id))),
            si::secret_key_enc.eq(secrets.seal(secret_key, &ctx_secret(company_id))),
            si::sendcloud_integration_id.eq(sendcloud_integration_id),
            si::connected_at.eq(now),
            si::connect_started_at.eq(None::<chrono::NaiveDateTime>),
            si::failing_since.eq(None::<chrono::NaiveDateTime>),
            si::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forget the keys; synced data stays (read-only until connected again).
/// A new webhook token makes old callback URLs useless.
pub fn disconnect(conn: &mut DbConn, company_id: i64) -> DbResult<()> {
    let now = Utc::now().naive_utc();
    diesel::update(si::table.filter(si::company_id.eq(company_id)))
        .set((
            si::state.eq("disconnected"),
            si::public_key_enc.eq(None::<String>),
            si::secret_key_enc.eq(None::<String>),
            si::webhook_active.eq(false),
            si::webhook_token.eq(random_token()),
            si::connect_started_at.eq(None::<chrono::NaiveDateTime>),
            si::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The decrypted keys of a connected company, for building a client.
pub(crate) fn load_credentials(
    conn: &mut DbConn,
    secrets: &SecretBox,
    company_id: i64,
) -> DbResult<Option<Credentials>> {
    let row: Option<(String, Option<String>, Option<String>)> = si::table
        .filter(si::company_id.eq(company_id))
        .select((si::state, si::public_key_enc, si::secret_key_enc))
        .first(conn)
        .optional()?;
    match row {
        Some((state, Some(p), Some(s))) if state == "connected" => {
            let public = secrets
                .open(&p, &ctx_public(company_id))
                .map_err(|e| DbError::Invalid(e.to_string()))?;
            let secret = secrets
                .open(&s, &ctx_secret(company_id))
                .map_err(|e| DbError::Invalid(e.to_string()))?;
            Ok(Some(Credentials::new(public, secret)))
        }
        _ => Ok(None),
    }
}

/// Open a secret key sealed by [`store_keys`] for the company.
pub(crate) fn open_secret(
    secrets: &SecretBox,
    company_id: i64,
    sealed: Option<&str>,
) -> DbResult<Option<String>> {
    sealed
        .map(|s| {
            secrets
                .open(s, &ctx_secret(company_id))
                .map_err(|e| DbError::Invalid(e.to_string()))
        })
        .transpose()
}

/// A client for the given keys against the configured Sendcloud, on the
/// process's shared connection pool (`ctx.sendcloud_http`), with its own
/// credentials and the account's rate limiter.
pub fn client_with(
    ctx: &Context,
    credentials: Credentials,
) -> Result<SendcloudClient, crate::sendcloud::Error> {
    let mut cfg = ClientConfig::new(credentials);
    cfg.api_base = ctx.config.sendcloud_api_url.clone();
    SendcloudClient::with_pool(cfg, &ctx.sendcloud_http)
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("Für diesen Mandanten ist kein Sendcloud-Konto verbunden.")]
    NotConnected,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("Sendcloud: {0}")]
    Sendcloud(#[from] crate::sendcloud::Error),
}

/// The API client of a connected company.
pub async fn client_for(ctx: &Context, company_id: i64) -> Result<SendcloudClient, ClientError> {
    let secrets = ctx.secrets.clone();
    let creds = ctx
        .db
        .run(move |c| load_credentials(c, &secrets, company_id))
        .await?
        .ok_or(ClientError::NotConnected)?;
    Ok(client_with(ctx, creds)?)
}

/// Whether loading the company's keys fails (test support: a ciphertext
/// copied from another company must not decrypt).
#[doc(hidden)]
pub fn client_error_for_test(conn: &mut DbConn, secrets: &SecretBox, company_id: i64) -> bool {
    load_credentials(conn, secrets, company_id).is_err()
}
