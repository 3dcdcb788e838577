//! The Abgleich as a job: [`enqueue`] creates the run row and its `sync` job
//! in one transaction (one per company at a time), [`request`] is what the
//! Abgleich button asks for, and [`SyncJob`] runs the run with the company's
//! client.

use diesel::prelude::*;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

use super::{create_run, execute, SyncObject};
use crate::context::Context;
use crate::db::{DbConn, DbResult};
use crate::jobs::{enqueue_job, JobError, JobKind};

/// Run the queued run `run_id` of a company.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SyncJob {
    pub company_id: i64,
    pub run_id: i64,
}

impl JobKind for SyncJob {
    const KIND: &'static str = "sync";

    fn company_id(&self) -> Option<i64> {
        Some(self.company_id)
    }

    fn dedupe_key(&self) -> Option<String> {
        Some(format!("sync:{}", self.company_id))
    }

    fn run(self, ctx: Context) -> BoxFuture<'static, Result<(), JobError>> {
        Box::pin(async move {
            use crate::account::ClientError;
            use crate::problem::{Problem, ProblemCode};
            let client = match crate::account::client_for(&ctx, self.company_id).await {
                Ok(c) => c,
                Err(ClientError::Db(e)) => return Err(e.into()),
                // No keys (disconnected meanwhile) or keys that do not make
                // a client: the run ends failed with the reason instead of
                // staying queued.
                Err(e) => {
                    let problem = match &e {
                        ClientError::Sendcloud(s) => Problem::from_sendcloud(s),
                        _ => Problem::new(ProblemCode::NotConnected),
                    };
                    let (run_id, notify) = (self.run_id, ctx.config.manifest.notifications);
                    ctx.db
                        .run(move |c| super::fail_run(c, &notify, run_id, &problem))
                        .await?;
                    return Ok(());
                }
            };
            execute(&ctx, &client, self.run_id).await?;
            Ok(())
        })
    }
}

/// Enqueue an Abgleich of `objects`. `Ok(None)` if one is already queued or
/// running for the company.
pub fn enqueue(
    conn: &mut DbConn,
    company_id: i64,
    trigger: &str,
    objects: &[SyncObject],
) -> DbResult<Option<i64>> {
    conn.write_transaction(|c| {
        let run_id = create_run(c, company_id, trigger, objects)?;
        let job = enqueue_job(c, &SyncJob { company_id, run_id })?;
        if job.is_none() {
            // An Abgleich is already under way: drop the extra run row.
            diesel::delete(crate::db::schema::sendcloud_sync_runs::table.find(run_id))
                .execute(c)?;
            return Ok(None);
        }
        Ok(Some(run_id))
    })
}

/// What became of an Abgleich someone asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// The run is queued.
    Started(i64),
    /// One is already queued or running for the company.
    AlreadyRunning,
    /// The company has no connected integration.
    NotConnected,
    /// No object type (that has a syncer) was chosen.
    NothingSelected,
}

/// An Abgleich of `objects` asked for by a user (or the API): checks that
/// something was chosen and that the company is connected, then enqueues.
pub fn request(
    conn: &mut DbConn,
    company_id: i64,
    trigger: &str,
    objects: &[SyncObject],
) -> DbResult<Requested> {
    request_run(
        conn,
        company_id,
        &SyncRequest {
            trigger,
            objects,
            ..SyncRequest::default()
        },
    )
}

/// What someone asks for: the objects, whether from scratch, who, and the
/// caller's idempotency key.
#[derive(Debug, Clone, Copy, Default)]
pub struct SyncRequest<'a> {
    /// `manual`, `api`, `cli`, `resync`, …
    pub trigger: &'a str,
    pub objects: &'a [SyncObject],
    /// A full resync: each object's high-water mark and resume position in
    /// `sendcloud_sync_cursors` are reset first (in the same transaction as
    /// the enqueue), so the run reads everything again.
    pub full: bool,
    /// Who asked (action log of a full resync).
    pub user: Option<&'a str>,
    /// The same key again answers the run it started (plugin API
    /// `Idempotency-Key`).
    pub key: Option<&'a str>,
}

/// Start an Abgleich as asked ([`SyncRequest`]). Nothing changes unless a
/// run is queued: a full resync asked for while a run is under way resets
/// nothing.
pub fn request_run(
    conn: &mut DbConn,
    company_id: i64,
    req: &SyncRequest<'_>,
) -> DbResult<Requested> {
    use crate::db::schema::{sendcloud_sync_cursors as cur, sendcloud_sync_runs as runs};
    if let Some(key) = req.key {
        let earlier: Option<i64> = runs::table
            .filter(
                runs::company_id
                    .eq(company_id)
                    .and(runs::request_key.eq(key)),
            )
            .select(runs::id)
            .first(conn)
            .optional()?;
        if let Some(run) = earlier {
            return Ok(Requested::Started(run));
        }
    }
    let objects: Vec<SyncObject> = SyncObject::available()
        .filter(|o| req.objects.contains(o))
        .collect();
    if objects.is_empty() {
        return Ok(Requested::NothingSelected);
    }
    if crate::account::view(conn, company_id)?.state != crate::account::STATE_CONNECTED {
        return Ok(Requested::NotConnected);
    }
    conn.write_transaction(|c| {
        if req.full {
            for o in &objects {
                diesel::update(
                    cur::table.filter(
                        cur::company_id
                            .eq(company_id)
                            .and(cur::object.eq(o.as_str())),
                    ),
                )
                .set((
                    cur::high_water.eq(None::<chrono::NaiveDateTime>),
                    cur::cursor.eq(None::<String>),
                ))
                .execute(c)?;
            }
        }
        let Some(run) = enqueue(c, company_id, req.trigger, &objects)? else {
            // Roll the reset back: the run under way keeps its position.
            return Err(crate::db::DbError::Query(
                diesel::result::Error::RollbackTransaction,
            ));
        };
        if let Some(key) = req.key {
            diesel::update(runs::table.find(run))
                .set(runs::request_key.eq(key))
                .execute(c)?;
        }
        if req.full {
            for o in &objects {
                crate::actionlog::record(
                    c,
                    &crate::actionlog::Action {
                        company_id: Some(company_id),
                        direction: crate::actionlog::Direction::Internal,
                        action: "sync.resync",
                        target: o.as_str(),
                        ok: true,
                        status_code: None,
                        message: &crate::actionlog::Fact::new("log-resync")
                            .arg("object", o.as_str())
                            .to_message(),
                        user_name: req.user,
                    },
                )?;
            }
        }
        Ok(Requested::Started(run))
    })
    .or_else(|e| match e {
        crate::db::DbError::Query(diesel::result::Error::RollbackTransaction) => {
            Ok(Requested::AlreadyRunning)
        }
        other => Err(other),
    })
}
