//! The webhook inbox (`sendcloud_webhook_inbox`): every signed event about a
//! company's parcels, returns and integration is stored here before the 200
//! goes back, so an acknowledged event is never lost.
//!
//! An event is stored once per company and dedupe key (Sendcloud retries a
//! delivery up to ten times, and a duplicate must change nothing). Events
//! carry the payload's `timestamp`; delivery order is not guaranteed, so a
//! processor works through the inbox by that timestamp and marks an event
//! `stale` when a newer one about the same object was processed first.
//! Integration events are processed on receipt; parcel status events by the
//! `webhooks.process` job ([`process_parcel_events`]), which applies them to
//! `sendcloud_parcels` in payload order and never lets an older event undo a
//! newer state, and applies `return_created` events to `sendcloud_returns`
//! through the returns Abgleich's store path ([`process_return_events`]).
//! `integration_credentials` is never stored: its body holds the secret key.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::sendcloud_webhook_inbox as wi;
use crate::db::{DbConn, DbError, DbResult};

/// Waiting to be processed.
pub const STATE_PENDING: &str = "pending";
/// Processed.
pub const STATE_DONE: &str = "done";
/// Not applied: a newer event about the same object was processed first.
pub const STATE_STALE: &str = "stale";
/// Could not be processed (the body does not hold what its action needs).
pub const STATE_FAILED: &str = "failed";

/// The job that works through a company's inbox.
pub const PROCESS_JOB: &str = "webhooks.process";

/// The actions the `webhooks.process` job applies.
pub const PROCESSED_ACTIONS: [&str; 2] = ["parcel_status_changed", "return_created"];

/// How many events one pass of [`process_parcel_events`] takes.
const BATCH: i64 = 500;

/// An event to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub action: String,
    /// The parcel, return or integration the event is about.
    pub object_id: Option<i64>,
    /// The payload's `timestamp` (milliseconds since the epoch).
    pub event_ts: Option<i64>,
    pub dedupe_key: String,
    /// The raw body, exactly as signed.
    pub body: String,
}

impl NewEntry {
    pub fn new(action: &str, object_id: Option<i64>, event_ts: Option<i64>, body: &str) -> Self {
        NewEntry {
            action: action.to_string(),
            object_id,
            event_ts,
            dedupe_key: dedupe_key(action, object_id, event_ts, body),
            body: body.to_string(),
        }
    }
}

/// What identifies one event across Sendcloud's retries: action, object and
/// the payload's timestamp when the payload has both (a retry carries the
/// same ones, however it is serialised); otherwise the SHA-256 of the body.
pub fn dedupe_key(
    action: &str,
    object_id: Option<i64>,
    event_ts: Option<i64>,
    body: &str,
) -> String {
    match (object_id, event_ts) {
        (Some(object), Some(ts)) => format!("{action}:{object}:{ts}"),
        _ => format!("sha256:{}", hex::encode(Sha256::digest(body.as_bytes()))),
    }
}

/// Store an event as `pending`. `Ok(None)` when the company already has an
/// event with the same dedupe key. (Two identical deliveries racing past the
/// look-up meet the unique index; the caller's transaction then fails with a
/// unique violation, which the receipt also treats as a duplicate.)
pub(crate) fn insert(
    conn: &mut DbConn,
    company_id: i64,
    entry: &NewEntry,
    now: NaiveDateTime,
) -> DbResult<Option<i64>> {
    let by_key = wi::table
        .filter(wi::company_id.eq(company_id))
        .filter(wi::dedupe_key.eq(&entry.dedupe_key));
    if by_key
        .select(wi::id)
        .first::<i64>(conn)
        .optional()?
        .is_some()
    {
        return Ok(None);
    }
    diesel::insert_into(wi::table)
        .values((
            wi::company_id.eq(company_id),
            wi::action.eq(&entry.action),
            wi::object_id.eq(entry.object_id),
            wi::event_ts.eq(entry.event_ts),
            wi::dedupe_key.eq(&entry.dedupe_key),
            wi::body.eq(&entry.body),
            wi::state.eq(STATE_PENDING),
            wi::attempts.eq(0),
            wi::received_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(by_key.select(wi::id).first(conn)?))
}

/// What the receipt of a signed, non-integration event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// Stored as `pending` with this inbox id.
    Stored(i64),
    /// The company already has an event with the same dedupe key.
    Duplicate,
    /// The integration row no longer carries the token and sealed secret the
    /// receipt was checked against: nothing was stored.
    TargetChanged,
}

/// The webhook target a receipt was checked against: the statement that
/// stores the event stores it only while the integration row still carries
/// exactly this token and sealed secret (see `webhooks::targets`).
#[derive(Debug, Clone, Copy)]
pub struct Checked<'a> {
    pub token: &'a str,
    pub secret_key_enc: &'a str,
}

/// How the receipt appears in the action log: facts, rendered per language
/// by whoever reads the log (`fact` is the translation id, `args` its
/// values; the shape of `actionlog::Fact`).
pub(crate) fn receipt_fact(receipt: Receipt) -> String {
    match receipt {
        Receipt::Stored(id) => {
            format!(r#"{{"fact":"log-webhook-stored","args":{{"inbox":{id}}}}}"#)
        }
        Receipt::Duplicate | Receipt::TargetChanged => {
            r#"{"fact":"log-webhook-duplicate"}"#.to_string()
        }
    }
}

/// Receive a signed event that is not an integration event: store it
/// (unless the company already has it), queue `job` when it was new, and
/// record the receipt in the action log, all or nothing, and only while the
/// company's integration row still matches `checked` (else
/// [`Receipt::TargetChanged`], nothing written).
///
/// On PostgreSQL this is ONE statement, `webhooks::group`'s function for a
/// group of one (data-modifying CTEs in autocommit: one round trip per
/// receipt, new or duplicate); on SQLite one `BEGIN IMMEDIATE` transaction of
/// four in-process statements. A duplicate racing
/// the original waits for it at the unique index and then inserts nothing.
pub(crate) fn receive(
    conn: &mut DbConn,
    company_id: i64,
    checked: Checked<'_>,
    entry: &NewEntry,
    job: Option<&crate::jobs::NewJob>,
    now: NaiveDateTime,
) -> DbResult<Receipt> {
    use crate::actionlog::{self, Action, Direction};
    if matches!(conn, DbConn::Postgres(_)) {
        let one = super::group::Pending {
            company_id,
            token: checked.token.to_string(),
            secret_key_enc: checked.secret_key_enc.to_string(),
            entry: entry.clone(),
            job: job.cloned(),
            now,
        };
        return super::group::store_batch(conn, std::slice::from_ref(&one))?
            .pop()
            .ok_or_else(|| DbError::Invalid("webhook receipt: no answer".into()));
    }
    let log_action = format!("webhook.{}", entry.action);
    conn.write_transaction(|c| {
        use crate::db::schema::sendcloud_integrations as si;
        let current: i64 = si::table
            .filter(si::company_id.eq(company_id))
            .filter(si::webhook_token.eq(checked.token))
            .filter(si::secret_key_enc.eq(checked.secret_key_enc))
            .count()
            .get_result(c)?;
        if current == 0 {
            return Ok(Receipt::TargetChanged);
        }
        let new_row = diesel::insert_into(wi::table)
            .values((
                wi::company_id.eq(company_id),
                wi::action.eq(&entry.action),
                wi::object_id.eq(entry.object_id),
                wi::event_ts.eq(entry.event_ts),
                wi::dedupe_key.eq(&entry.dedupe_key),
                wi::body.eq(&entry.body),
                wi::state.eq(STATE_PENDING),
                wi::attempts.eq(0),
                wi::received_at.eq(now),
            ))
            .on_conflict((wi::company_id, wi::dedupe_key))
            .do_nothing();
        let inserted = match c {
            DbConn::Sqlite(lite) => new_row.execute(lite)?,
            DbConn::Postgres(pg) => new_row.execute(pg)?,
        };
        let receipt = if inserted == 0 {
            Receipt::Duplicate
        } else {
            Receipt::Stored(
                wi::table
                    .filter(wi::company_id.eq(company_id))
                    .filter(wi::dedupe_key.eq(&entry.dedupe_key))
                    .select(wi::id)
                    .first(c)?,
            )
        };
        if let (Receipt::Stored(_), Some(job)) = (receipt, job) {
            crate::jobs::enqueue(c, job)?;
        }
        actionlog::record(
            c,
            &Action {
                company_id: Some(company_id),
                direction: Direction::Incoming,
                action: &log_action,
                target: LOG_TARGET,
                ok: true,
                status_code: None,
                message: &receipt_fact(receipt),
                user_name: None,
            },
        )?;
        Ok(receipt)
    })
}

/// The action log's target of a webhook receipt.
pub(crate) const LOG_TARGET: &str = "Sendcloud → Webhook";

/// Mark an event processed (`done`, `stale`, or `failed` with why).
pub(crate) fn finish(
    conn: &mut DbConn,
    id: i64,
    state: &str,
    error: Option<&str>,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::update(wi::table.find(id))
        .set((
            wi::state.eq(state),
            wi::attempts.eq(wi::attempts + 1),
            wi::error.eq(error),
            wi::processed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Has an event whose action starts with `action_prefix` and that is newer
/// than `event_ts` already been processed for the company? (Then an event
/// with `event_ts` arrived out of order and is stale.)
pub(crate) fn newer_processed(
    conn: &mut DbConn,
    company_id: i64,
    action_prefix: &str,
    event_ts: Option<i64>,
) -> DbResult<bool> {
    let Some(ts) = event_ts else { return Ok(false) };
    let n: i64 = wi::table
        .filter(wi::company_id.eq(company_id))
        .filter(wi::action.like(format!("{action_prefix}%")))
        .filter(wi::state.eq(STATE_DONE))
        .filter(wi::event_ts.gt(ts))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Apply the company's pending `parcel_status_changed` events to its
/// parcels, oldest payload timestamp first, in batches of [`BATCH`] (one
/// write transaction each). Returns how many events were done.
pub fn process_parcel_events(
    conn: &mut DbConn,
    host: &dyn crate::host::Host,
    company_id: i64,
    now: NaiveDateTime,
) -> DbResult<usize> {
    #[derive(serde::Deserialize)]
    struct Body {
        parcel: crate::sendcloud::Parcel,
    }
    let mut done = 0;
    loop {
        let n = conn.write_transaction(|c| {
            let batch: Vec<(i64, Option<i64>, String, NaiveDateTime)> = wi::table
                .filter(wi::company_id.eq(company_id))
                .filter(wi::action.eq("parcel_status_changed"))
                .filter(wi::state.eq(STATE_PENDING))
                .order((wi::event_ts.asc(), wi::id.asc()))
                .limit(BATCH)
                .select((wi::id, wi::event_ts, wi::body, wi::received_at))
                .load(c)?;
            for (id, event_ts, body, received_at) in &batch {
                match serde_json::from_str::<Body>(&crate::text::storable_json_str(body)) {
                    Ok(b) => {
                        let as_of = event_ts.unwrap_or(received_at.and_utc().timestamp_millis());
                        // In a savepoint: a parcel the database refuses (a
                        // value it cannot hold) fails this event alone.
                        // The news also reaches the delivery's label and the
                        // host's tracking fields (same savepoint).
                        let stored = c.transaction(|c| {
                            let news = crate::tracking::news_of_parcel(&b.parcel, as_of);
                            crate::sync::parcels::store_parcels(
                                c,
                                company_id,
                                &[b.parcel],
                                as_of,
                                now,
                            )?;
                            crate::tracking::apply_parcel_news(c, host, company_id, &[news])
                        });
                        match stored {
                            Ok(_) => finish(c, *id, STATE_DONE, None, now)?,
                            Err(crate::db::DbError::Query(
                                diesel::result::Error::DatabaseError(_, info),
                            )) => {
                                let why = crate::text::storable(info.message()).into_owned();
                                finish(c, *id, STATE_FAILED, Some(&why), now)?;
                            }
                            Err(e) => return Err(e),
                        }
                    }
                    Err(e) => {
                        let why = format!("Paketdaten unlesbar: {e}");
                        finish(c, *id, STATE_FAILED, Some(&why), now)?;
                    }
                }
            }
            Ok::<_, crate::db::DbError>(batch.len())
        })?;
        done += n;
        if (n as i64) < BATCH {
            return Ok(done);
        }
    }
}

/// Apply the company's pending `return_created` events to its returns,
/// oldest payload timestamp first (one write transaction per batch), each
/// linked to its outgoing parcel and the host's delivery where one exists.
/// Returns how many events were done.
pub fn process_return_events(
    conn: &mut DbConn,
    host: &dyn crate::host::Host,
    company_id: i64,
    now: NaiveDateTime,
) -> DbResult<usize> {
    #[derive(serde::Deserialize)]
    struct Body {
        data: serde_json::Value,
    }
    let mut done = 0;
    loop {
        let n = conn.write_transaction(|c| {
            let batch: Vec<(i64, Option<i64>, String, NaiveDateTime)> = wi::table
                .filter(wi::company_id.eq(company_id))
                .filter(wi::action.eq("return_created"))
                .filter(wi::state.eq(STATE_PENDING))
                .order((wi::event_ts.asc(), wi::id.asc()))
                .limit(BATCH)
                .select((wi::id, wi::event_ts, wi::body, wi::received_at))
                .load(c)?;
            for (id, event_ts, body, received_at) in &batch {
                let ret = serde_json::from_str::<Body>(&crate::text::storable_json_str(body))
                    .ok()
                    .and_then(|b| crate::sync::returns::from_webhook(&b.data));
                let Some(ret) = ret else {
                    finish(c, *id, STATE_FAILED, Some("Retourendaten unlesbar"), now)?;
                    continue;
                };
                let as_of = event_ts.unwrap_or(received_at.and_utc().timestamp_millis());
                let stored = c.transaction(|c| {
                    crate::sync::returns::store_returns(c, host, company_id, &[ret], as_of)
                });
                match stored {
                    Ok(_) => finish(c, *id, STATE_DONE, None, now)?,
                    Err(crate::db::DbError::Query(diesel::result::Error::DatabaseError(
                        _,
                        info,
                    ))) => {
                        let why = crate::text::storable(info.message()).into_owned();
                        finish(c, *id, STATE_FAILED, Some(&why), now)?;
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok::<_, crate::db::DbError>(batch.len())
        })?;
        done += n;
        if (n as i64) < BATCH {
            return Ok(done);
        }
    }
}

/// Does the company have parcel status or return events waiting?
pub fn parcel_events_waiting(conn: &mut DbConn, company_id: i64) -> DbResult<bool> {
    let n: i64 = wi::table
        .filter(wi::company_id.eq(company_id))
        .filter(wi::action.eq_any(PROCESSED_ACTIONS))
        .filter(wi::state.eq(STATE_PENDING))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Queue the processing of the company's inbox (once: deduplicated while one
/// is queued or running). Whether a job was queued. A job that is already
/// running may miss an event that arrives as it finishes; the scheduler's
/// tick queues another for whatever still waits.
pub fn enqueue_processing(conn: &mut DbConn, company_id: i64) -> DbResult<bool> {
    Ok(crate::jobs::enqueue_job(conn, &ProcessJob { company_id })?.is_some())
}

/// Apply the company's pending parcel status and return events (kind
/// `webhooks.process`, one per company at a time).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ProcessJob {
    pub company_id: i64,
}

impl crate::jobs::JobKind for ProcessJob {
    const KIND: &'static str = PROCESS_JOB;

    fn company_id(&self) -> Option<i64> {
        Some(self.company_id)
    }

    fn dedupe_key(&self) -> Option<String> {
        Some(format!("{PROCESS_JOB}:{}", self.company_id))
    }

    fn run(
        self,
        ctx: crate::context::Context,
    ) -> futures_util::future::BoxFuture<'static, Result<(), crate::jobs::JobError>> {
        Box::pin(async move {
            let company_id = self.company_id;
            let host = ctx.host.clone();
            let n = ctx
                .db
                .run(move |c| {
                    let now = chrono::Utc::now().naive_utc();
                    let parcels = process_parcel_events(c, host.as_ref(), company_id, now)?;
                    // After the parcels: a return links to its outgoing parcel.
                    Ok(parcels + process_return_events(c, host.as_ref(), company_id, now)?)
                })
                .await?;
            tracing::debug!(company_id, n, "webhook events processed");
            Ok(())
        })
    }
}

/// How many events of the company wait to be processed.
pub fn pending_count(conn: &mut DbConn, company_id: i64) -> DbResult<i64> {
    Ok(wi::table
        .filter(wi::company_id.eq(company_id))
        .filter(wi::state.eq(STATE_PENDING))
        .count()
        .get_result(conn)?)
}

/// Processed events are kept at least this long, whatever the action log's
/// retention: deduplication needs them for as long as an event can still be
/// accepted (the replay window, plus a day).
pub const DEDUPE_KEEP_DAYS: i64 = super::REPLAY_WINDOW_DAYS + 1;

/// Delete processed events (done, stale or failed) received more than `days`
/// ago (at least [`DEDUPE_KEEP_DAYS`]). Pending events are kept whatever
/// their age: they are not handled yet.
pub(crate) fn purge(
    conn: &mut DbConn,
    company_id: i64,
    days: i64,
    now: NaiveDateTime,
) -> DbResult<usize> {
    let days = days.max(DEDUPE_KEEP_DAYS);
    Ok(diesel::delete(
        wi::table
            .filter(wi::company_id.eq(company_id))
            .filter(wi::state.eq_any([STATE_DONE, STATE_STALE, STATE_FAILED]))
            .filter(wi::received_at.lt(now - Duration::days(days))),
    )
    .execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_has_the_same_key_however_it_is_serialised() {
        let a = NewEntry::new("parcel_status_changed", Some(7), Some(1_700), r#"{"a": 1}"#);
        let b = NewEntry::new("parcel_status_changed", Some(7), Some(1_700), r#"{"a":1}"#);
        assert_eq!(a.dedupe_key, b.dedupe_key);
        let later = NewEntry::new("parcel_status_changed", Some(7), Some(1_701), r#"{"a":1}"#);
        assert_ne!(a.dedupe_key, later.dedupe_key);
    }

    #[test]
    fn without_object_or_timestamp_the_body_decides() {
        let a = NewEntry::new("x", None, Some(1), "{}");
        let b = NewEntry::new("x", None, Some(1), "{ }");
        assert_ne!(a.dedupe_key, b.dedupe_key);
        assert_eq!(
            a.dedupe_key,
            NewEntry::new("x", None, Some(1), "{}").dedupe_key
        );
    }
}
