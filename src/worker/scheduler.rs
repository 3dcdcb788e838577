//! The scheduler: turns intervals into jobs. Each tick, for every connected
//! company, it enqueues an Abgleich of the object types whose interval (the
//! company's settings, defaults from `plugin.toml`) has passed since their last
//! successful sync, the scheduled order push (new and changed orders, when
//! the company enabled it, at its interval), the delivery of host events
//! that are due, and the daily log purge. It only enqueues: the dedupe keys
//! make ticks on several instances at once harmless, and the workers do the
//! work.

use chrono::{Duration, NaiveDateTime};

use super::purge::PurgeJob;
use crate::config::Manifest;
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
    /// Companies whose scheduled order push was enqueued.
    pub order_pushes: Vec<i64>,
    /// Companies whose due host events got a delivery job.
    pub host_events: Vec<i64>,
    pub purge: bool,
}

/// Enqueue what is due at `now`.
pub fn tick(conn: &mut DbConn, manifest: &Manifest, now: NaiveDateTime) -> DbResult<Tick> {
    let mut out = Tick::default();
    for company_id in crate::account::connected_companies(conn)? {
        let settings = crate::settings::load(conn, company_id, manifest)?;
        let due = crate::sync::due_objects(conn, company_id, &settings.sync_intervals, now)?;
        if !due.is_empty()
            && crate::integrations::enqueue_sync(conn, company_id, "schedule", &due)?.is_some()
        {
            out.syncs.push((company_id, due));
        }
        // Auto-label: deliveries created since the last look that still lack
        // a label (a lost call from the host costs a minute, not a label).
        if settings.auto_create_label {
            enqueue_job(conn, &crate::labels::SweepJob { company_id })?;
        }
        // New and changed orders, when the company pushes on a schedule.
        if crate::orders::schedule_due(conn, company_id, &settings.order_push, now)?.is_some() {
            out.order_pushes.push(company_id);
        }
        // Parcel events that arrived while their processing job was finishing.
        if crate::webhooks::inbox::parcel_events_waiting(conn, company_id)?
            && crate::webhooks::inbox::enqueue_processing(conn, company_id)?
        {
            out.webhooks.push(company_id);
        }
    }
    // Host events due again after a failed attempt (new ones enqueue their
    // delivery themselves).
    for company_id in crate::hostevents::due_companies(conn, now)? {
        if enqueue_job(conn, &crate::hostevents::DeliverJob { company_id })?.is_some() {
            out.host_events.push(company_id);
        }
    }
    // The log purge, at the manifest's interval.
    let every = manifest.job_interval(PurgeJob::KIND).unwrap_or(0);
    if every > 0 {
        let last_purge = crate::jobs::last_enqueued::<PurgeJob>(conn)?;
        if last_purge.is_none_or(|t| now - t >= Duration::minutes(i64::from(every))) {
            out.purge = enqueue_job(conn, &PurgeJob {})?.is_some();
        }
    }
    Ok(out)
}
