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
//! This module is the queue only. A job kind is a type implementing
//! [`JobKind`] (its name, its payload as the type itself through serde, its
//! dedupe key, and `run`), owned by the service whose work it is (`sync`,
//! `orders`, `webhooks`); the worker at the top (`crate::worker`) keeps the
//! registry, claims, renews leases while a job runs and records the outcome.
//! Tests call `Runner::run_pending` instead of sleeping.

use futures_util::future::BoxFuture;
use serde::{de::DeserializeOwned, Serialize};

use crate::context::Context;

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};

use crate::db::schema::sendcloud_jobs as j;
use crate::db::{DbConn, DbError, DbResult};

pub const STATE_QUEUED: &str = "queued";
pub const STATE_RUNNING: &str = "running";
pub const STATE_DONE: &str = "done";
pub const STATE_FAILED: &str = "failed";

/// How long a claim holds a job before another worker may take it over.
/// The running worker renews it every [`HEARTBEAT`], so a job is only taken
/// over when its worker died or lost the database; then within about a
/// minute.
pub const LEASE: Duration = Duration::seconds(60);
/// How often a running job's lease is renewed.
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(15);

/// A job's failure as the queue records it (`last_error`): for operators,
/// not for the UI (services store what users see in their own rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError(pub String);

impl<E: std::fmt::Display> From<E> for JobError {
    fn from(e: E) -> JobError {
        JobError(e.to_string())
    }
}

/// One kind of job: the type is its payload.
pub trait JobKind: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The stored `kind` (stable: queued rows outlive a release).
    const KIND: &'static str;
    /// Attempts before the job is `failed`.
    const MAX_ATTEMPTS: i32 = 5;

    /// The company the job works for, if any.
    fn company_id(&self) -> Option<i64>;

    /// Jobs with the same key never exist twice while queued or running.
    fn dedupe_key(&self) -> Option<String>;

    /// Do the work.
    fn run(self, ctx: Context) -> BoxFuture<'static, Result<(), JobError>>;
}

/// Enqueue a typed job. `Ok(None)` when one with its dedupe key is queued or
/// running.
pub fn enqueue_job<J: JobKind>(conn: &mut DbConn, job: &J) -> DbResult<Option<i64>> {
    enqueue(conn, &NewJob::of(job)?)
}

/// Is a job of kind `J` queued or running for the company?
pub fn is_pending<J: JobKind>(conn: &mut DbConn, company_id: i64) -> DbResult<bool> {
    let n: i64 = j::table
        .filter(j::company_id.eq(company_id))
        .filter(j::kind.eq(J::KIND))
        .filter(j::state.eq_any([STATE_QUEUED, STATE_RUNNING]))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The id of the queued or running job with `job`'s dedupe key, if any.
pub fn pending_with_key<J: JobKind>(conn: &mut DbConn, job: &J) -> DbResult<Option<i64>> {
    let Some(key) = job.dedupe_key() else {
        return Ok(None);
    };
    Ok(j::table
        .filter(j::dedupe_key.eq(key))
        .filter(j::state.eq_any([STATE_QUEUED, STATE_RUNNING]))
        .select(j::id)
        .first(conn)
        .optional()?)
}

/// One job by id (the plugin API shows a label job's state).
pub fn get(conn: &mut DbConn, id: i64) -> DbResult<Option<Job>> {
    Ok(j::table
        .find(id)
        .select(Job::as_select())
        .first(conn)
        .optional()?)
}

/// When a job of kind `J` was last enqueued (any state).
pub fn last_enqueued<J: JobKind>(conn: &mut DbConn) -> DbResult<Option<NaiveDateTime>> {
    Ok(j::table
        .filter(j::kind.eq(J::KIND))
        .select(j::created_at)
        .order(j::created_at.desc())
        .first(conn)
        .optional()?)
}

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

    /// The row a typed job is stored as (kind, payload, dedupe key, attempts).
    pub fn of<J: JobKind>(job: &J) -> DbResult<NewJob> {
        let payload =
            serde_json::to_value(job).map_err(|e| DbError::Invalid(format!("job payload: {e}")))?;
        let mut new = NewJob::new(J::KIND, job.company_id(), payload);
        new.dedupe_key = job.dedupe_key();
        new.max_attempts = J::MAX_ATTEMPTS;
        Ok(new)
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
    // One statement: a queued or running job with the same dedupe key meets
    // the partial unique index, and `ON CONFLICT DO NOTHING` answers "no new
    // job" (also when the two race; PostgreSQL waits for the other's commit).
    // No look-up first and no savepoint: the webhook receipt enqueues on
    // every parcel event.
    match conn {
        DbConn::Postgres(pg) => Ok(diesel::insert_into(j::table)
            .values(values)
            .on_conflict_do_nothing()
            .returning(j::id)
            .get_result::<i64>(pg)
            .optional()?),
        DbConn::Sqlite(lite) => {
            let inserted = diesel::insert_into(j::table)
                .values(values)
                .on_conflict_do_nothing()
                .execute(lite)?;
            if inserted == 0 {
                return Ok(None);
            }
            Ok(Some(
                diesel::select(diesel::dsl::sql::<BigInt>("last_insert_rowid()"))
                    .get_result(lite)?,
            ))
        }
    }
}

/// Claim the next due job for `worker`, holding it for `lease`. Expired
/// leases of crashed workers count as due.
pub fn claim(conn: &mut DbConn, worker: &str, lease: Duration) -> DbResult<Option<Job>> {
    claim_at(conn, worker, Utc::now().naive_utc(), lease)
}

/// [`claim`] at a given time (tests move the clock instead of sleeping).
pub fn claim_at(
    conn: &mut DbConn,
    worker: &str,
    now: NaiveDateTime,
    lease: Duration,
) -> DbResult<Option<Job>> {
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

/// Renew the lease of a running job held by `worker` until `now + lease`.
/// `false` when the worker no longer holds it (its lease ran out and another
/// worker claimed it, or the job was finished elsewhere): the worker must
/// stop working on it.
pub fn heartbeat(
    conn: &mut DbConn,
    id: i64,
    worker: &str,
    now: NaiveDateTime,
    lease: Duration,
) -> DbResult<bool> {
    let n = diesel::update(
        j::table
            .find(id)
            .filter(j::state.eq(STATE_RUNNING))
            .filter(j::locked_by.eq(worker)),
    )
    .set((j::locked_until.eq(now + lease), j::updated_at.eq(now)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Mark a job done if `worker` still holds it. `false` when another worker
/// took it over (its result then stands, not this one).
pub fn complete_owned(conn: &mut DbConn, id: i64, worker: &str) -> DbResult<bool> {
    finish_done(conn, id, Some(worker))
}

/// Mark a job done.
pub fn complete(conn: &mut DbConn, id: i64) -> DbResult<()> {
    finish_done(conn, id, None).map(|_| ())
}

fn finish_done(conn: &mut DbConn, id: i64, worker: Option<&str>) -> DbResult<bool> {
    let now = Utc::now().naive_utc();
    let values = (
        j::state.eq(STATE_DONE),
        j::locked_by.eq(None::<String>),
        j::locked_until.eq(None::<NaiveDateTime>),
        j::finished_at.eq(now),
        j::updated_at.eq(now),
    );
    let n = match worker {
        Some(w) => diesel::update(
            j::table
                .find(id)
                .filter(j::state.eq(STATE_RUNNING))
                .filter(j::locked_by.eq(w)),
        )
        .set(values)
        .execute(conn)?,
        None => diesel::update(j::table.find(id))
            .set(values)
            .execute(conn)?,
    };
    Ok(n == 1)
}

/// The delay before attempt `n + 1`: 30 s, 1 min, 2 min, … at most 1 h.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 8) - 1;
    Duration::seconds((30i64 << exp).min(3600))
}

/// Record a failure: queue again after the backoff, or give up after the
/// last attempt. Returns whether it will be retried.
pub fn fail(conn: &mut DbConn, job: &Job, error: &str) -> DbResult<bool> {
    fail_owned(conn, job, None, error)
}

/// [`fail`], only while `worker` (if given) still holds the job.
pub fn fail_owned(
    conn: &mut DbConn,
    job: &Job,
    worker: Option<&str>,
    error: &str,
) -> DbResult<bool> {
    let now = Utc::now().naive_utc();
    let retry = job.attempts < job.max_attempts;
    let values = || {
        (
            j::state.eq(if retry { STATE_QUEUED } else { STATE_FAILED }),
            j::run_after.eq(now + backoff(job.attempts)),
            j::last_error.eq(error),
            j::locked_by.eq(None::<String>),
            j::locked_until.eq(None::<NaiveDateTime>),
            j::updated_at.eq(now),
            j::finished_at.eq(if retry { None } else { Some(now) }),
        )
    };
    match worker {
        Some(w) => diesel::update(
            j::table
                .find(job.id)
                .filter(j::state.eq(STATE_RUNNING))
                .filter(j::locked_by.eq(w)),
        )
        .set(values())
        .execute(conn)?,
        None => diesel::update(j::table.find(job.id))
            .set(values())
            .execute(conn)?,
    };
    Ok(retry)
}

/// Counts by state (for health and tests).
pub fn counts(conn: &mut DbConn) -> DbResult<Vec<(String, i64)>> {
    Ok(j::table
        .group_by(j::state)
        .select((j::state, diesel::dsl::count_star()))
        .load(conn)?)
}
