//! The log purge job: action log entries and processed webhook events older
//! than each company's retention (and events delivered to the host,
//! `crate::hostevents`), and finished jobs older than 30 days.

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::config::Manifest;
use crate::context::Context;
use crate::db::schema::{sendcloud_action_log as al, sendcloud_jobs as j};
use crate::db::{DbConn, DbResult};
use crate::jobs::{JobError, JobKind, STATE_DONE, STATE_FAILED};

/// The purge, enqueued by the scheduler at the manifest's `logs.purge`
/// interval.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PurgeJob {}

impl JobKind for PurgeJob {
    const KIND: &'static str = "logs.purge";

    fn company_id(&self) -> Option<i64> {
        None
    }

    fn dedupe_key(&self) -> Option<String> {
        Some(Self::KIND.into())
    }

    fn run(self, ctx: Context) -> BoxFuture<'static, Result<(), JobError>> {
        Box::pin(async move {
            let manifest = ctx.config.manifest.clone();
            let (logs, jobs) = ctx
                .db
                .run(move |c| purge(c, &manifest, Utc::now().naive_utc()))
                .await?;
            tracing::info!(logs, jobs, "purged old log entries and finished jobs");
            Ok(())
        })
    }
}

/// Delete action log entries and processed webhook events older than each
/// company's retention, the plugin API's idempotency keys older than a day,
/// and finished jobs older than 30 days. Returns (log
/// rows incl. webhook events, job rows) deleted.
pub fn purge(
    conn: &mut DbConn,
    manifest: &Manifest,
    now: NaiveDateTime,
) -> DbResult<(usize, usize)> {
    let companies: Vec<i64> = crate::db::schema::companies::table
        .select(crate::db::schema::companies::id)
        .load(conn)?;
    let mut logs = 0;
    for company_id in companies {
        let days = crate::settings::load(conn, company_id, manifest)?
            .log_retention_days
            .max(1);
        logs += diesel::delete(
            al::table.filter(
                al::company_id
                    .eq(company_id)
                    .and(al::at.lt(now - Duration::days(i64::from(days)))),
            ),
        )
        .execute(conn)?;
        logs += crate::webhooks::inbox::purge(conn, company_id, i64::from(days), now)?;
        logs += crate::hostevents::purge_delivered(conn, company_id, i64::from(days), now)?;
    }
    let default_days = i64::from(manifest.settings.log_retention_days.max(1));
    logs += diesel::delete(
        al::table.filter(
            al::company_id
                .is_null()
                .and(al::at.lt(now - Duration::days(default_days))),
        ),
    )
    .execute(conn)?;
    let jobs = diesel::delete(
        j::table
            .filter(j::state.eq_any([STATE_DONE, STATE_FAILED]))
            .filter(j::updated_at.lt(now - Duration::days(30))),
    )
    .execute(conn)?;
    // The plugin API's idempotency keys live a day.
    logs += crate::idempotency::purge(conn, now - Duration::hours(crate::idempotency::KEEP_HOURS))?;
    Ok((logs, jobs))
}
