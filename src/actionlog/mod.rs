//! Aktions-Logging: what went where and when, per company. Every call to and
//! from Sendcloud and every change a user makes is one row. Rows never hold a
//! secret: callers pass messages, not request bodies, and [`record_with`]
//! masks the message and any payload ([`mask`]) before it is stored; the
//! reports mask again when they render (rows written before masking).

pub mod mask;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::sendcloud_action_log as al;
use crate::db::{DbConn, DbResult};

/// Which way an action went (stored as `out`, `in`, `internal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
pub enum Direction {
    /// We called Sendcloud.
    #[strum(serialize = "out")]
    Outgoing,
    /// Sendcloud called us (webhooks).
    #[strum(serialize = "in")]
    Incoming,
    /// A user or the scheduler changed something in the module.
    #[strum(serialize = "internal")]
    Internal,
}

impl Direction {
    pub fn as_str(&self) -> &'static str {
        self.into()
    }
}

/// One entry to record.
#[derive(Debug, Clone)]
pub struct Action<'a> {
    pub company_id: Option<i64>,
    pub direction: Direction,
    /// What was done, e.g. `settings.save`, `sync.sender_addresses`, `webhook.parcel_status_changed`.
    pub action: &'a str,
    /// What it was done to, e.g. `GET /api/v2/user/addresses/sender` or `Lieferung LS-2026-01001`.
    pub target: &'a str,
    pub ok: bool,
    pub status_code: Option<i32>,
    pub message: &'a str,
    pub user_name: Option<&'a str>,
}

/// What a caller may add to an entry: how long it took and a payload
/// (request or answer body) for the detail view. Both optional.
#[derive(Debug, Clone, Default)]
pub struct Extra<'a> {
    pub duration_ms: Option<i64>,
    pub payload: Option<&'a serde_json::Value>,
}

/// Record an action.
pub fn record(conn: &mut DbConn, a: &Action<'_>) -> DbResult<()> {
    record_with(conn, a, &Extra::default())
}

/// Record an action with its duration and payload. The message and the
/// payload are masked first: no secret or personal datum reaches the table.
pub fn record_with(conn: &mut DbConn, a: &Action<'_>, extra: &Extra<'_>) -> DbResult<()> {
    let message = mask::text(a.message);
    let target = mask::text(a.target);
    let payload = extra
        .payload
        .map(|p| serde_json::to_string(&mask::json(p)).unwrap_or_default());
    diesel::insert_into(al::table)
        .values((
            al::company_id.eq(a.company_id),
            al::at.eq(Utc::now().naive_utc()),
            al::direction.eq(a.direction.as_str()),
            al::action.eq(a.action),
            al::target.eq(target.as_ref()),
            al::result.eq(if a.ok { "ok" } else { "error" }),
            al::status_code.eq(a.status_code),
            al::message.eq(message.as_ref()),
            al::user_name.eq(a.user_name),
            al::duration_ms.eq(extra.duration_ms),
            al::payload.eq(payload),
        ))
        .execute(conn)?;
    Ok(())
}

/// A recorded action, for reports.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = al)]
pub struct Entry {
    pub id: i64,
    pub company_id: Option<i64>,
    pub at: NaiveDateTime,
    pub direction: String,
    pub action: String,
    pub target: String,
    pub result: String,
    pub status_code: Option<i32>,
    pub message: String,
    pub user_name: Option<String>,
    pub duration_ms: Option<i64>,
    pub payload: Option<String>,
}

/// The newest entries of a company, newest first.
pub fn recent(conn: &mut DbConn, company_id: i64, limit: i64) -> DbResult<Vec<Entry>> {
    Ok(al::table
        .filter(al::company_id.eq(company_id))
        .order(al::id.desc())
        .limit(limit)
        .select(Entry::as_select())
        .load(conn)?)
}
