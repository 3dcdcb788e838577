//! The scheduler: turns intervals into jobs. Each tick, for every connected
//! company, it enqueues an Abgleich of the object types whose interval (the
//! company's settings, defaults from `plugin.toml`) has passed since their last
//! successful sync, and the daily log purge. It only enqueues: the dedupe keys
//! make ticks on several instances at once harmless, and the workers do the
//! work.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::{enqueue, NewJob};
use crate::config::Manifest;
use crate::db::schema::{
    sendcloud_action_log as al, sendcloud_integrations as si, sendcloud_jobs as j,
    sendcloud_sync_cursors as cur,
};
use crate::db::{DbConn, DbResult};
use crate::sync::SyncObject;

/// What one tick enqueued.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tick {
    /// (company, objects) of each Abgleich enqueued.
    pub syncs: Vec<(i64, Vec<SyncObject>)>,
    /// Companies whose waiting webhook events got a processing job.
    pub webhooks: Vec<i64>,
    pub purge: bool,
}

/// Enqueue what is due at `now`.
pub fn tick(conn: &mut DbConn, manifest: &Manifest, now: NaiveDateTime) -> DbResult<Tick> {
    let mut out = Tick::default();
    let companies: Vec<i64> = si::table
        .filter(si::state.eq("connected"))
        .select(si::company_id)
        .order(si::company_id)
        .load(conn)?;
    for company_id in companies {
        let settings = crate::settings::load(conn, company_id, manifest)?;
        let last: Vec<(String, NaiveDateTime)> = cur::table
            .filter(cur::company_id.eq(company_id))
            .select((cur::object, cur::updated_at))
            .load(conn)?;
        let due: Vec<SyncObject> = SyncObject::ALL
            .iter()
            .copied()
            .filter(|o| {
                let minutes = crate::settings::SyncObject::ALL
                    .iter()
                    .find(|s| s.key() == o.as_str())
                    .map(|s| settings.sync_intervals.get(*s))
                    .unwrap_or(0);
                if minutes == 0 {
                    return false;
                }
                match last.iter().find(|(name, _)| name == o.as_str()) {
                    None => true,
                    Some((_, at)) => now - *at >= Duration::minutes(i64::from(minutes)),
                }
            })
            .collect();
        if !due.is_empty()
            && crate::integrations::enqueue_sync(conn, company_id, "schedule", &due)?.is_some()
        {
            out.syncs.push((company_id, due));
        }
        // Parcel events that arrived while their processing job was finishing.
        if crate::webhooks::inbox::parcel_events_waiting(conn, company_id)?
            && crate::webhooks::inbox::enqueue_processing(conn, company_id)?
        {
            out.webhooks.push(company_id);
        }
    }
    // The log purge, at the manifest's interval.
    let every = manifest.job_interval("logs.purge").unwrap_or(0);
    if every > 0 {
        let last_purge: Option<NaiveDateTime> = j::table
            .filter(j::kind.eq("logs.purge"))
            .select(j::created_at)
            .order(j::created_at.desc())
            .first(conn)
            .optional()?;
        if last_purge.is_none_or(|t| now - t >= Duration::minutes(i64::from(every))) {
            out.purge = enqueue(
                conn,
                &NewJob::new("logs.purge", None, serde_json::json!({})).dedupe("logs.purge"),
            )?
            .is_some();
        }
    }
    Ok(out)
}

/// Delete action log entries and processed webhook events older than each
/// company's retention, and finished jobs older than 30 days. Returns (log
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
            .filter(j::state.eq_any([super::STATE_DONE, super::STATE_FAILED]))
            .filter(j::updated_at.lt(now - Duration::days(30))),
    )
    .execute(conn)?;
    Ok((logs, jobs))
}
