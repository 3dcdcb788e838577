//! The Abgleich: pulling Sendcloud objects into the module's tables.
//!
//! Each run is a row in `sendcloud_sync_runs` (who started it, which
//! objects, counts fetched/created/updated/unchanged/failed, error) updated
//! as it goes, so the UI shows progress while it runs and a summary after.
//! Small lists (sender addresses, shipping methods with their carriers,
//! parcel statuses, brands) are snapshots: upserted by Sendcloud id per company, rows
//! that vanished at Sendcloud are marked inactive, never deleted (warehouse
//! links and old parcels keep pointing at them). One transaction per object.
//!
//! Parcels are incremental (`parcels`): only what changed since the last
//! run, page by page, with the position saved with every page. Returns and
//! invoices plug into the same run loop with their position in
//! `sendcloud_sync_cursors`.

mod job;
mod object;
pub mod parcels;
mod snapshot;

pub use job::{enqueue, request, Requested, SyncJob};
pub use object::{ObjectInfo, PerObject, SyncObject};

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use futures_util::TryStreamExt;
use serde::Serialize;

use crate::actionlog::{self, Action, Direction};
use crate::context::Context;
use crate::db::schema::sendcloud_sync_runs as runs;
use crate::db::{DbConn, DbError, DbResult};
use crate::sendcloud::{SendcloudClient, SenderAddressFilter, ShippingMethodFilter};

/// Counts of one object type or a whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Counts {
    pub fetched: i32,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub failed: i32,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.fetched += o.fetched;
        self.created += o.created;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
        self.failed += o.failed;
    }

    fn minus(self, o: Counts) -> Counts {
        Counts {
            fetched: (self.fetched - o.fetched).max(0),
            created: (self.created - o.created).max(0),
            updated: (self.updated - o.updated).max(0),
            unchanged: (self.unchanged - o.unchanged).max(0),
            failed: (self.failed - o.failed).max(0),
        }
    }

    fn of_run(r: &Run) -> Counts {
        Counts {
            fetched: r.fetched,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            failed: r.failed,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("Sendcloud: {0}")]
    Sendcloud(#[from] crate::sendcloud::Error),
    #[error("{0}")]
    NotConnected(String),
}

/// A run as the UI shows it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = runs)]
pub struct Run {
    pub id: i64,
    pub company_id: i64,
    pub trigger: String,
    pub objects: String,
    pub state: String,
    pub current_object: Option<String>,
    pub fetched: i32,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub failed: i32,
    pub error: Option<String>,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub started_by: Option<String>,
    pub object_counts: Option<String>,
}

/// The counts of a run per object type, as stored in the run's
/// `object_counts` (JSON keyed by the object's stored key).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ObjectCounts(pub std::collections::BTreeMap<String, Counts>);

impl ObjectCounts {
    /// The stored JSON read back; nothing (or unreadable) is no counts.
    pub fn parse(stored: Option<&str>) -> ObjectCounts {
        stored
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// (object, counts) in [`SyncObject::ALL`] order.
    pub fn in_order(&self) -> Vec<(SyncObject, Counts)> {
        SyncObject::ALL
            .into_iter()
            .filter_map(|o| self.0.get(o.as_str()).map(|c| (o, *c)))
            .collect()
    }
}

/// Record who started a run (a user's name; the trigger says what else).
pub fn set_started_by(conn: &mut DbConn, run_id: i64, user: &str) -> DbResult<()> {
    diesel::update(runs::table.find(run_id))
        .set(runs::started_by.eq(Some(user)))
        .execute(conn)?;
    Ok(())
}

/// Create the run row (state `queued`) for a job to pick up.
pub fn create_run(
    conn: &mut DbConn,
    company_id: i64,
    trigger: &str,
    objects: &[SyncObject],
) -> DbResult<i64> {
    let list = objects
        .iter()
        .map(|o| o.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let now = Utc::now().naive_utc();
    diesel::insert_into(runs::table)
        .values((
            runs::company_id.eq(company_id),
            runs::trigger.eq(trigger),
            runs::objects.eq(&list),
            runs::state.eq("queued"),
            runs::started_at.eq(now),
        ))
        .execute(conn)?;
    Ok(runs::table
        .filter(runs::company_id.eq(company_id))
        .order(runs::id.desc())
        .select(runs::id)
        .first(conn)?)
}

/// The newest run of a company.
pub fn latest_run(conn: &mut DbConn, company_id: i64) -> DbResult<Option<Run>> {
    Ok(runs::table
        .filter(runs::company_id.eq(company_id))
        .order(runs::id.desc())
        .select(Run::as_select())
        .first(conn)
        .optional()?)
}

fn set_progress(
    conn: &mut DbConn,
    run_id: i64,
    state: &str,
    current: Option<&str>,
    c: Counts,
    error: Option<&str>,
) -> DbResult<()> {
    let finished = matches!(state, "done" | "failed").then(|| Utc::now().naive_utc());
    diesel::update(runs::table.find(run_id))
        .set((
            runs::state.eq(state),
            runs::current_object.eq(current),
            runs::fetched.eq(c.fetched),
            runs::created.eq(c.created),
            runs::updated.eq(c.updated),
            runs::unchanged.eq(c.unchanged),
            runs::failed.eq(c.failed),
            runs::error.eq(error),
            runs::finished_at.eq(finished),
        ))
        .execute(conn)?;
    Ok(())
}

/// Run a queued run: each object in turn, progress written after each.
/// An object that fails is recorded and the others still run; the run ends
/// `failed` with the first error when any object failed.
pub async fn execute(
    ctx: &Context,
    client: &SendcloudClient,
    run_id: i64,
) -> Result<Counts, SyncError> {
    let run: Run = ctx
        .db
        .run(move |c| Ok(runs::table.find(run_id).select(Run::as_select()).first(c)?))
        .await?;
    let objects: Vec<SyncObject> = run
        .objects
        .split(',')
        .filter_map(SyncObject::parse)
        .collect();
    // A run that was already running died (kill, lost lease) and is
    // resumed: the objects before the one it was on are done and counted in
    // the row; the parcel pages it wrote are counted in its resume record.
    let mut total = Counts::default();
    let mut skip = 0;
    if run.state == "running" {
        if let Some(at) = run.current_object.as_deref().and_then(SyncObject::parse) {
            skip = objects.iter().position(|o| *o == at).unwrap_or(0);
            let company_id = run.company_id;
            let partial = if at == SyncObject::Parcels {
                ctx.db
                    .run(move |c| parcels::position(c, company_id))
                    .await?
                    .resume
                    .filter(|r| r.run_id == Some(run_id))
                    .map(|r| r.counts)
                    .unwrap_or_default()
            } else {
                Counts::default()
            };
            total = Counts::of_run(&run).minus(partial);
        }
    }
    let mut first_error: Option<String> = None;
    let mut per_object = ObjectCounts::parse(run.object_counts.as_deref());
    for object in objects.into_iter().skip(skip) {
        let started = std::time::Instant::now();
        ctx.db
            .run(move |c| set_progress(c, run_id, "running", Some(object.as_str()), total, None))
            .await?;
        let company_id = run.company_id;
        let (done, result) = sync_object(ctx, client, company_id, object, run_id, total).await;
        let (counts, message, ok) = match &result {
            Ok(()) => (
                done,
                format!(
                    "{} geholt, {} neu, {} geändert, {} unverändert",
                    done.fetched, done.created, done.updated, done.unchanged
                ),
                true,
            ),
            Err(e) => (
                Counts {
                    failed: done.failed + 1,
                    ..done
                },
                e.to_string(),
                false,
            ),
        };
        if let Err(e) = &result {
            first_error.get_or_insert_with(|| format!("{}: {e}", object.as_str()));
        } else {
            ctx.db
                .run(move |c| mark_synced(c, company_id, object))
                .await?;
        }
        total.add(counts);
        per_object.0.insert(object.as_str().to_string(), counts);
        let stored = per_object.to_json();
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        ctx.db
            .run(move |c| {
                diesel::update(runs::table.find(run_id))
                    .set(runs::object_counts.eq(&stored))
                    .execute(c)?;
                actionlog::record_with(
                    c,
                    &Action {
                        company_id: Some(company_id),
                        direction: Direction::Outgoing,
                        action: &format!("sync.{}", object.as_str()),
                        target: object.endpoint(),
                        ok,
                        status_code: None,
                        message: &message,
                        user_name: None,
                    },
                    &actionlog::Extra {
                        duration_ms: Some(duration_ms),
                        payload: None,
                    },
                )
            })
            .await?;
    }
    let state = if first_error.is_some() {
        "failed"
    } else {
        "done"
    };
    let company_id = run.company_id;
    ctx.db
        .run(move |c| {
            set_progress(c, run_id, state, None, total, first_error.as_deref())?;
            diesel::update(crate::db::schema::sendcloud_integrations::table)
                .filter(crate::db::schema::sendcloud_integrations::company_id.eq(company_id))
                .set(
                    crate::db::schema::sendcloud_integrations::last_sync_at
                        .eq(Utc::now().naive_utc()),
                )
                .execute(c)?;
            Ok(())
        })
        .await?;
    Ok(total)
}

/// Sync one object type of a company as part of run `run_id` (whose
/// earlier objects counted `base`): what it counted, also when it failed
/// halfway (the parcel pages written before the failure).
async fn sync_object(
    ctx: &Context,
    client: &SendcloudClient,
    company_id: i64,
    object: SyncObject,
    run_id: i64,
    base: Counts,
) -> (Counts, Result<(), SyncError>) {
    if object == SyncObject::Parcels {
        let run = parcels::RunProgress { run_id, base };
        return parcels::sync_in_run(ctx, client, company_id, run).await;
    }
    match sync_snapshot(ctx, client, company_id, object).await {
        Ok(c) => (c, Ok(())),
        Err(e) => (Counts::default(), Err(e)),
    }
}

/// The snapshot objects: fetch the whole list, store it in one transaction.
async fn sync_snapshot(
    ctx: &Context,
    client: &SendcloudClient,
    company_id: i64,
    object: SyncObject,
) -> Result<Counts, SyncError> {
    match object {
        SyncObject::SenderAddresses => {
            let list = client.list_sender_addresses().await?;
            Ok(ctx
                .db
                .run(move |c| snapshot::store_sender_addresses(c, company_id, &list))
                .await?)
        }
        SyncObject::ShippingMethods => {
            let filter = ShippingMethodFilter {
                sender_address: Some(SenderAddressFilter::All),
                ..Default::default()
            };
            let list = client.list_shipping_methods(&filter).await?;
            let mut counts = ctx
                .db
                .run(move |c| snapshot::store_shipping_methods(c, company_id, &list))
                .await?;
            counts.add(sync_shipping_options(ctx, client, company_id).await?);
            Ok(counts)
        }
        SyncObject::Brands => {
            // A handful per account: the snapshot needs the whole list anyway.
            let list: Vec<crate::sendcloud::Brand> = client.brands().try_collect().await?;
            Ok(ctx
                .db
                .run(move |c| snapshot::store_brands(c, company_id, &list))
                .await?)
        }
        SyncObject::ParcelStatuses => {
            let list = client.parcel_statuses().await?;
            let items: Vec<(i64, String)> = list.into_iter().map(|s| (s.id, s.message)).collect();
            Ok(ctx
                .db
                .run(move |c| snapshot::store_parcel_statuses(c, company_id, &items))
                .await?)
        }
        SyncObject::Parcels | SyncObject::Returns | SyncObject::Invoices => Err(
            SyncError::NotConnected(format!("no syncer for {} yet", object.as_str())),
        ),
    }
}

/// The v3 side of the shipping methods object: the options (one
/// `POST /shipping-options` with an empty filter lists every option of the
/// account) and the v2 → v3 link (`POST /compat/shipping-options`, at most
/// 100 ids a call). The compat calls ask only for methods not linked yet,
/// or for all of them when the options changed; with nothing new they are
/// skipped, so such a run makes two requests for this object: the v2 list
/// (the ids orders and the settings' default carry) and the v3 options.
async fn sync_shipping_options(
    ctx: &Context,
    client: &SendcloudClient,
    company_id: i64,
) -> Result<Counts, SyncError> {
    let options = client
        .shipping_options(&crate::sendcloud::ShippingOptionFilter::default())
        .await?;
    let counts = ctx
        .db
        .run(move |c| snapshot::store_shipping_options(c, company_id, &options))
        .await?;
    let changed = counts.created + counts.updated > 0;
    let ids = ctx
        .db
        .run(move |c| snapshot::method_ids_to_link(c, company_id, changed))
        .await?;
    if ids.is_empty() {
        ctx.db
            .run(move |c| snapshot::refresh_option_links(c, company_id))
            .await?;
        return Ok(counts);
    }
    let mut answer = std::collections::BTreeMap::new();
    for chunk in ids.chunks(crate::sendcloud::shipping_options::COMPAT_MAX_IDS) {
        answer.extend(client.compat_shipping_options(chunk).await?);
    }
    ctx.db
        .run(move |c| snapshot::link_options(c, company_id, &ids, &answer))
        .await?;
    Ok(counts)
}

/// What the module holds of a company's Sendcloud account, per object type:
/// active rows for the snapshot lists (still listed at Sendcloud), every
/// row for the incremental ones.
pub type Synced = PerObject<i64>;

/// What the module holds of a company's Sendcloud account.
pub fn synced_counts(conn: &mut DbConn, company_id: i64) -> DbResult<Synced> {
    let mut out = Synced::default();
    for o in SyncObject::available() {
        out.set(o, stored_count(conn, company_id, o)?);
    }
    Ok(out)
}

/// How many rows of one object type the module holds for a company.
fn stored_count(conn: &mut DbConn, company_id: i64, object: SyncObject) -> DbResult<i64> {
    use crate::db::schema::{
        sendcloud_brands as b, sendcloud_parcel_statuses as ps, sendcloud_sender_addresses as sa,
        sendcloud_shipping_methods as sm,
    };
    Ok(match object {
        SyncObject::SenderAddresses => sa::table
            .filter(sa::company_id.eq(company_id).and(sa::active.eq(true)))
            .count()
            .get_result(conn)?,
        SyncObject::ShippingMethods => sm::table
            .filter(sm::company_id.eq(company_id).and(sm::active.eq(true)))
            .count()
            .get_result(conn)?,
        SyncObject::ParcelStatuses => ps::table
            .filter(ps::company_id.eq(company_id).and(ps::active.eq(true)))
            .count()
            .get_result(conn)?,
        SyncObject::Parcels => parcels::count(conn, company_id)?,
        SyncObject::Brands => b::table
            .filter(b::company_id.eq(company_id).and(b::active.eq(true)))
            .count()
            .get_result(conn)?,
        SyncObject::Returns | SyncObject::Invoices => 0,
    })
}

/// The object types (with a syncer) whose interval has passed at `now`
/// since their last successful sync; never synced counts as due, an
/// interval of 0 as never.
pub fn due_objects(
    conn: &mut DbConn,
    company_id: i64,
    intervals: &PerObject<u32>,
    now: NaiveDateTime,
) -> DbResult<Vec<SyncObject>> {
    use crate::db::schema::sendcloud_sync_cursors as cur;
    let last: Vec<(String, NaiveDateTime)> = cur::table
        .filter(cur::company_id.eq(company_id))
        .select((cur::object, cur::updated_at))
        .load(conn)?;
    Ok(SyncObject::available()
        .filter(|o| {
            let minutes = intervals.get(*o);
            if minutes == 0 {
                return false;
            }
            match last.iter().find(|(name, _)| name == o.as_str()) {
                None => true,
                Some((_, at)) => now - *at >= chrono::Duration::minutes(i64::from(minutes)),
            }
        })
        .collect())
}

/// Remember when an object type was last synced successfully (the
/// scheduler's clock; incremental types also keep their cursor here).
fn mark_synced(conn: &mut DbConn, company_id: i64, object: SyncObject) -> DbResult<()> {
    use crate::db::schema::sendcloud_sync_cursors as cur;
    let now = Utc::now().naive_utc();
    let n = diesel::update(
        cur::table.filter(
            cur::company_id
                .eq(company_id)
                .and(cur::object.eq(object.as_str())),
        ),
    )
    .set(cur::updated_at.eq(now))
    .execute(conn)?;
    if n == 0 {
        diesel::insert_into(cur::table)
            .values((
                cur::company_id.eq(company_id),
                cur::object.eq(object.as_str()),
                cur::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
