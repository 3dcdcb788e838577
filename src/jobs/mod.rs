//! The job queue: long work (Abgleich, order push, label creation, webhook
//! processing, log purge) runs as rows in `sendcloud_jobs`, never inside an
//! HTTP request.
//!
//! - Claimed with a lease: PostgreSQL `FOR UPDATE SKIP LOCKED`, SQLite a
//!   conditional `UPDATE` inside an immediate transaction. A worker that dies
//!   leaves a lease that runs out; the job is claimed again (survives restarts).
//! - Deduplicated by key while queued or running (a unique partial index), so
//!   several instances never run the same Abgleich twice at once.
//! - Retried with exponential backoff up to `max_attempts`, then `failed`.
//!
//! What a job of a kind does lives in `runner.rs`; tests call
//! [`Runner::run_pending`] instead of sleeping.

mod runner;
pub mod scheduler;

pub use runner::Runner;

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};

use crate::db::schema::sendcloud_jobs as j;
use crate::db::{DbConn, DbError, DbResult};

pub const STATE_QUEUED: &str = "queued";
pub const STATE_RUNNING: &str = "running";
pub const STATE_DONE: &str = "done";
pub const STATE_FAILED: &str = "failed";

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub company_id: Option<i64>,
    pub payload: serde_json::Value,
    /// Jobs with the same key never exist twice while queued or running.
    pub dedupe_key: Option<String>,
    pub max_attempts: i32,
    pub run_after: NaiveDateTime,
}

impl NewJob {
    pub fn new(kind: &str, company_id: Option<i64>, payload: serde_json::Value) -> NewJob {
        NewJob {
            kind: kind.into(),
            company_id,
            payload,
            dedupe_key: None,
            max_attempts: 5,
            run_after: Utc::now().naive_utc(),
        }
    }

    pub fn dedupe(mut self, key: impl Into<String>) -> NewJob {
        self.dedupe_key = Some(key.into());
        self
    }
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq, QueryableByName, Queryable, Selectable)]
#[diesel(table_name = j)]
pub struct Job {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub company_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub payload: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub dedupe_key: Option<String>,
    #[diesel(sql_type = Text)]
    pub state: String,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Integer)]
    pub max_attempts: i32,
    #[diesel(sql_type = Timestamp)]
    pub run_after: NaiveDateTime,
    #[diesel(sql_type = Nullable<Text>)]
    pub last_error: Option<String>,
}

/// Enqueue a job. `Ok(None)` when a job with the same dedupe key is already
/// queued or running.
pub fn enqueue(conn: &mut DbConn, job: &NewJob) -> DbResult<Option<i64>> {
    // The common duplicate is answered by a look-up; the unique index still
    // settles a race (an error on PostgreSQL costs a savepoint round trip).
    if let Some(key) = &job.dedupe_key {
        let pending: i64 = j::table
            .filter(j::dedupe_key.eq(key))
            .filter(j::state.eq_any([STATE_QUEUED, STATE_RUNNING]))
            .count()
            .get_result(conn)?;
        if pending > 0 {
            return Ok(None);
        }
    }
    let now = Utc::now().naive_utc();
    let values = (
        j::kind.eq(&job.kind),
        j::company_id.eq(job.company_id),
        j::payload.eq(job.payload.to_string()),
        j::dedupe_key.eq(&job.dedupe_key),
        j::state.eq(STATE_QUEUED),
        j::attempts.eq(0),
        j::max_attempts.eq(job.max_attempts),
        j::run_after.eq(job.run_after),
        j::created_at.eq(now),
        j::updated_at.eq(now),
    );
    let result = match conn {
        // In its own (sub)transaction: on PostgreSQL a unique violation
        // would otherwise abort a caller's surrounding transaction.
        DbConn::Postgres(pg) => pg.transaction(|pg| {
            diesel::insert_into(j::table)
                .values(values)
                .returning(j::id)
                .get_result::<i64>(pg)
        }),
        DbConn::Sqlite(lite) => diesel::insert_into(j::table)
            .values(values)
            .execute(lite)
            .and_then(|_| {
                diesel::select(diesel::dsl::sql::<BigInt>("last_insert_rowid()")).get_result(lite)
            }),
    };
    match result {
        Ok(id) => Ok(Some(id)),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Claim the next due job for `worker`, holding it for `lease`. Expired
/// leases of crashed workers count as due.
pub fn claim(conn: &mut DbConn, worker: &str, lease: Duration) -> DbResult<Option<Job>> {
    let now = Utc::now().naive_utc();
    let until = now + lease;
    match conn {
        DbConn::Postgres(pg) => Ok(diesel::sql_query(
            "UPDATE sendcloud_jobs SET state = 'running', locked_by = $1, locked_until = $2, \
             attempts = attempts + 1, updated_at = $3 \
             WHERE id = (SELECT id FROM sendcloud_jobs \
                WHERE (state = 'queued' AND run_after <= $3) OR (state = 'running' AND locked_until < $3) \
                ORDER BY run_after, id FOR UPDATE SKIP LOCKED LIMIT 1) \
             RETURNING id, kind, company_id, payload, dedupe_key, state, attempts, max_attempts, run_after, last_error",
        )
        .bind::<Text, _>(worker)
        .bind::<Timestamp, _>(until)
        .bind::<Timestamp, _>(now)
        .get_result::<Job>(pg)
        .optional()?),
        DbConn::Sqlite(lite) => lite.immediate_transaction(|c| {
            let due = j::table
                .filter(
                    j::state
                        .eq(STATE_QUEUED)
                        .and(j::run_after.le(now))
                        .or(j::state.eq(STATE_RUNNING).and(j::locked_until.lt(now))),
                )
                .order((j::run_after, j::id))
                .select(j::id)
                .first::<i64>(c)
                .optional()?;
            let Some(id) = due else { return Ok(None) };
            diesel::update(j::table.find(id))
                .set((
                    j::state.eq(STATE_RUNNING),
                    j::locked_by.eq(worker),
                    j::locked_until.eq(until),
                    j::attempts.eq(j::attempts + 1),
                    j::updated_at.eq(now),
                ))
                .execute(c)?;
            Ok::<_, DbError>(Some(
                j::table
                    .find(id)
                    .select((
                        j::id,
                        j::kind,
                        j::company_id,
                        j::payload,
                        j::dedupe_key,
                        j::state,
                        j::attempts,
                        j::max_attempts,
                        j::run_after,
                        j::last_error,
                    ))
                    .first::<Job>(c)?,
            ))
        }),
    }
}

/// Mark a job done.
pub fn complete(conn: &mut DbConn, id: i64) -> DbResult<()> {
    let now = Utc::now().naive_utc();
    diesel::update(j::table.find(id))
        .set((
            j::state.eq(STATE_DONE),
            j::locked_by.eq(None::<String>),
            j::locked_until.eq(None::<NaiveDateTime>),
            j::finished_at.eq(now),
            j::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The delay before attempt `n + 1`: 30 s, 1 min, 2 min, … at most 1 h.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 8) - 1;
    Duration::seconds((30i64 << exp).min(3600))
}

/// Record a failure: queue again after the backoff, or give up after the
/// last attempt. Returns whether it will be retried.
pub fn fail(conn: &mut DbConn, job: &Job, error: &str) -> DbResult<bool> {
    let now = Utc::now().naive_utc();
    let retry = job.attempts < job.max_attempts;
    diesel::update(j::table.find(job.id))
        .set((
            j::state.eq(if retry { STATE_QUEUED } else { STATE_FAILED }),
            j::run_after.eq(now + backoff(job.attempts)),
            j::last_error.eq(error),
            j::locked_by.eq(None::<String>),
            j::locked_until.eq(None::<NaiveDateTime>),
            j::updated_at.eq(now),
            j::finished_at.eq(if retry { None } else { Some(now) }),
        ))
        .execute(conn)?;
    Ok(retry)
}

/// Counts by state (for health and tests).
pub fn counts(conn: &mut DbConn) -> DbResult<Vec<(String, i64)>> {
    Ok(j::table
        .group_by(j::state)
        .select((j::state, diesel::dsl::count_star()))
        .load(conn)?)
}
