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
            let client = crate::account::client_for(&ctx, self.company_id).await?;
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
    let objects: Vec<SyncObject> = SyncObject::available()
        .filter(|o| objects.contains(o))
        .collect();
    if objects.is_empty() {
        return Ok(Requested::NothingSelected);
    }
    if crate::account::view(conn, company_id)?.state != crate::account::STATE_CONNECTED {
        return Ok(Requested::NotConnected);
    }
    Ok(match enqueue(conn, company_id, trigger, &objects)? {
        Some(run) => Requested::Started(run),
        None => Requested::AlreadyRunning,
    })
}
