//! The scheduler: turns intervals into jobs. Each tick, for every connected
//! company, it enqueues an Abgleich of the object types whose interval (the
//! company's settings, defaults from `plugin.toml`) has passed since their last
//! successful sync, and the daily log purge. It only enqueues: the dedupe keys
//! make ticks on several instances at once harmless, and the workers do the
//! work.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::purge::PurgeJob;
use crate::config::Manifest;
use crate::db::schema::{
    sendcloud_integrations as si, sendcloud_jobs as j, sendcloud_sync_cursors as cur,
};
use crate::db::{DbConn, DbResult};
use crate::jobs::{enqueue_job, JobKind};
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
        let due: Vec<SyncObject> = SyncObject::available()
            .filter(|o| {
                let minutes = settings.sync_intervals.get(*o);
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
    let every = manifest.job_interval(PurgeJob::KIND).unwrap_or(0);
    if every > 0 {
        let last_purge: Option<NaiveDateTime> = j::table
            .filter(j::kind.eq(PurgeJob::KIND))
            .select(j::created_at)
            .order(j::created_at.desc())
            .first(conn)
            .optional()?;
        if last_purge.is_none_or(|t| now - t >= Duration::minutes(i64::from(every))) {
            out.purge = enqueue_job(conn, &PurgeJob {})?.is_some();
        }
    }
    Ok(out)
}
