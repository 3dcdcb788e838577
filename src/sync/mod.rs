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
//! Parcels are incremental (`parcels`, from v3 shipments): only what changed
//! since the last run, page by page, with the position saved with every
//! page. Returns (`returns`, v3) are incremental on their creation time the
//! same way; invoices (`invoices`, v2: v3 publishes none to us) are read as a
//! list, with the items fetched once per new invoice.

pub mod invoices;
mod job;
mod object;
pub mod parcels;
pub mod returns;
mod snapshot;

pub use job::{enqueue, request, request_run, Requested, SyncJob, SyncRequest};
pub use object::{ObjectInfo, PerObject, SyncObject};

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use futures_util::TryStreamExt;
use serde::Serialize;

use crate::actionlog::{self, Action, Direction, Fact};
use crate::context::Context;
use crate::db::schema::sendcloud_sync_runs as runs;
use crate::db::{DbConn, DbError, DbResult};
use crate::problem::{Problem, ProblemCode};
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

impl SyncError {
    /// The error as a stored fact (code and Sendcloud's detail).
    pub fn problem(&self) -> Problem {
        match self {
            SyncError::Db(e) => Problem::from_db(e),
            SyncError::Sendcloud(e) => Problem::from_sendcloud(e),
            SyncError::NotConnected(m) => Problem::new(ProblemCode::Internal).with_detail(m),
        }
    }
}

/// Where one object of a run stands (`queued`, `running`, `done`,
/// `failed`), what it counted and why it failed; a run keeps a list of
/// them as JSON in `progress`.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ObjectProgress {
    pub object: SyncObject,
    pub state: String,
    pub counts: Counts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}

/// The triggers of runs nobody asked for at that moment: their failures
/// set *Fehlerhaft seit* and count towards a notification.
pub const AUTOMATIC_TRIGGERS: &[&str] = &["schedule"];

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
    /// The problem code of the first object that failed.
    pub error: Option<String>,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    /// Which object failed first, and Sendcloud's detail.
    pub error_object: Option<String>,
    pub error_detail: Option<String>,
    /// JSON list of [`ObjectProgress`].
    pub progress: Option<String>,
    /// The plugin API's `Idempotency-Key`.
    #[serde(skip)]
    pub request_key: Option<String>,
    pub started_by: Option<String>,
    pub object_counts: Option<String>,
}

impl Run {
    /// The objects of the run, in order.
    pub fn object_list(&self) -> Vec<SyncObject> {
        self.objects
            .split(',')
            .filter_map(SyncObject::parse)
            .collect()
    }

    /// Each object's state and counts. The object being synced shows what
    /// it counted so far (the run's totals minus the finished objects).
    /// Runs of earlier versions (no `progress`) show their whole-run state.
    pub fn object_progress(&self) -> Vec<ObjectProgress> {
        let stored: Vec<ObjectProgress> = self
            .progress
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default();
        let mut out: Vec<ObjectProgress> = self
            .object_list()
            .into_iter()
            .map(|o| {
                stored
                    .iter()
                    .find(|p| p.object == o)
                    .cloned()
                    .unwrap_or_else(|| ObjectProgress {
                        object: o,
                        state: match self.state.as_str() {
                            "done" | "failed" if self.progress.is_none() => self.state.clone(),
                            _ => "queued".into(),
                        },
                        counts: Counts::default(),
                        problem: None,
                    })
            })
            .collect();
        let mut finished = Counts::default();
        for p in out.iter().filter(|p| p.state != "running") {
            finished.add(p.counts);
        }
        if let Some(p) = out.iter_mut().find(|p| p.state == "running") {
            p.counts = Counts::of_run(self).minus(finished);
        }
        out
    }

    /// The problem of the first object that failed, if the run failed.
    pub fn problem(&self) -> Option<(Option<SyncObject>, Problem)> {
        let code = self.error.as_deref()?;
        let object = self.error_object.as_deref().and_then(SyncObject::parse);
        let from_progress = object.and_then(|o| {
            self.object_progress()
                .into_iter()
                .find(|p| p.object == o)
                .and_then(|p| p.problem)
        });
        let problem = from_progress.or_else(|| {
            ProblemCode::parse(code).map(|c| Problem {
                detail: self.error_detail.clone(),
                ..Problem::new(c)
            })
        })?;
        Some((object, problem))
    }

    pub fn is_active(&self) -> bool {
        self.state == "queued" || self.state == "running"
    }
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

/// A run of a company by id.
pub fn run_of(conn: &mut DbConn, company_id: i64, run_id: i64) -> DbResult<Option<Run>> {
    Ok(runs::table
        .filter(runs::company_id.eq(company_id).and(runs::id.eq(run_id)))
        .select(Run::as_select())
        .first(conn)
        .optional()?)
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

/// Write the per-object states of a run.
fn set_object_progress(conn: &mut DbConn, run_id: i64, list: &[ObjectProgress]) -> DbResult<()> {
    let json = serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
    diesel::update(runs::table.find(run_id))
        .set(runs::progress.eq(json))
        .execute(conn)?;
    Ok(())
}

/// End a run as failed before any object ran (the company's client could
/// not be built): every object failed with `problem`; counts as a failed
/// run for *Fehlerhaft seit* and the notifications like any other.
pub fn fail_run(
    conn: &mut DbConn,
    notify: &crate::config::NotifyDefaults,
    run_id: i64,
    problem: &Problem,
) -> DbResult<()> {
    let run: Run = runs::table
        .find(run_id)
        .select(Run::as_select())
        .first(conn)?;
    let list: Vec<ObjectProgress> = run
        .object_progress()
        .into_iter()
        .map(|mut p| {
            if p.state != "done" {
                p.state = "failed".into();
                p.problem = Some(problem.clone());
            }
            p
        })
        .collect();
    let first = list.iter().find(|p| p.state == "failed").map(|p| p.object);
    conn.write_transaction(|c| {
        set_progress(
            c,
            run_id,
            "failed",
            None,
            Counts::of_run(&run),
            Some(problem.code.as_str()),
        )?;
        set_object_progress(c, run_id, &list)?;
        diesel::update(runs::table.find(run_id))
            .set((
                runs::error_object.eq(first.map(|o| o.as_str())),
                runs::error_detail.eq(problem.detail.as_deref()),
            ))
            .execute(c)?;
        let automatic = AUTOMATIC_TRIGGERS.contains(&run.trigger.as_str());
        record_outcome(c, run.company_id, automatic, false)?;
        let failed = first.map(|o| (o.as_str(), problem));
        let now = Utc::now().naive_utc();
        crate::notify::sync_outcome(c, notify, run.company_id, automatic, failed, now)
    })
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
    let objects = run.object_list();
    // A run that was already running died (kill, lost lease) and is
    // resumed: the objects before the one it was on are done and counted in
    // the row; the parcel pages it wrote are counted in its resume record.
    let mut total = Counts::default();
    let mut skip = 0;
    if run.state == "running" {
        if let Some(at) = run.current_object.as_deref().and_then(SyncObject::parse) {
            skip = objects.iter().position(|o| *o == at).unwrap_or(0);
            let company_id = run.company_id;
            let partial = match at {
                SyncObject::Parcels => ctx
                    .db
                    .run(move |c| parcels::position(c, company_id))
                    .await?
                    .resume
                    .filter(|r| r.run_id == Some(run_id))
                    .map(|r| r.counts)
                    .unwrap_or_default(),
                SyncObject::Returns => ctx
                    .db
                    .run(move |c| returns::position(c, company_id))
                    .await?
                    .resume
                    .filter(|r| r.run_id == Some(run_id))
                    .map(|r| r.counts)
                    .unwrap_or_default(),
                _ => Counts::default(),
            };
            total = Counts::of_run(&run).minus(partial);
        }
    }
    let mut progress = run.object_progress();
    let mut first_error: Option<(SyncObject, Problem)> = None;
    let mut per_object = ObjectCounts::parse(run.object_counts.as_deref());
    for object in objects.into_iter().skip(skip) {
        let started = std::time::Instant::now();
        let at = progress.iter().position(|p| p.object == object);
        if let Some(i) = at {
            progress[i].state = "running".into();
            progress[i].counts = Counts::default();
            progress[i].problem = None;
        }
        let list = progress.clone();
        ctx.db
            .run(move |c| {
                c.write_transaction(|c| {
                    set_progress(c, run_id, "running", Some(object.as_str()), total, None)?;
                    set_object_progress(c, run_id, &list)
                })
            })
            .await?;
        let company_id = run.company_id;
        let (done, result) = sync_object(ctx, client, company_id, object, run_id, total).await;
        let (counts, fact, ok) = match &result {
            Ok(()) => (
                done,
                Fact::new("log-sync-done")
                    .arg("object", object.as_str())
                    .arg("fetched", done.fetched)
                    .arg("created", done.created)
                    .arg("updated", done.updated)
                    .arg("unchanged", done.unchanged)
                    .arg("failed", done.failed),
                true,
            ),
            Err(e) => (
                Counts {
                    failed: done.failed + 1,
                    ..done
                },
                Fact::new("log-sync-failed")
                    .arg("object", object.as_str())
                    .arg("fetched", done.fetched)
                    .with_problem(e.problem()),
                false,
            ),
        };
        if let Some(i) = at {
            progress[i].state = if ok { "done" } else { "failed" }.into();
            progress[i].counts = counts;
            progress[i].problem = fact.problem.clone();
        }
        if let Err(e) = &result {
            tracing::warn!(run_id, object = object.as_str(), error = %e, "Abgleich object failed");
            first_error.get_or_insert_with(|| (object, e.problem()));
        } else {
            ctx.db
                .run(move |c| mark_synced(c, company_id, object))
                .await?;
        }
        total.add(counts);
        let message = fact.to_message();
        let status_code = fact.problem.as_ref().and_then(|p| p.status).map(i32::from);
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
                        status_code,
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
    let automatic = AUTOMATIC_TRIGGERS.contains(&run.trigger.as_str());
    let notify = ctx.config.manifest.notifications;
    ctx.db
        .run(move |c| {
            c.write_transaction(|c| {
                let code = first_error.as_ref().map(|(_, p)| p.code.as_str());
                set_progress(c, run_id, state, None, total, code)?;
                set_object_progress(c, run_id, &progress)?;
                diesel::update(runs::table.find(run_id))
                    .set((
                        runs::error_object.eq(first_error.as_ref().map(|(o, _)| o.as_str())),
                        runs::error_detail
                            .eq(first_error.as_ref().and_then(|(_, p)| p.detail.as_deref())),
                    ))
                    .execute(c)?;
                record_outcome(c, company_id, automatic, first_error.is_none())?;
                let failed = first_error.as_ref().map(|(o, p)| (o.as_str(), p));
                let now = Utc::now().naive_utc();
                crate::notify::sync_outcome(c, &notify, company_id, automatic, failed, now)
            })
        })
        .await?;
    Ok(total)
}

/// The integration's side of a run's end: `last_sync_at`, and
/// *Fehlerhaft seit* set by the first failed automatic run (kept by later
/// ones) and cleared by the next run that succeeds.
fn record_outcome(conn: &mut DbConn, company_id: i64, automatic: bool, ok: bool) -> DbResult<()> {
    use crate::db::schema::sendcloud_integrations as si;
    let now = Utc::now().naive_utc();
    diesel::update(si::table.filter(si::company_id.eq(company_id)))
        .set(si::last_sync_at.eq(now))
        .execute(conn)?;
    if ok {
        diesel::update(si::table.filter(si::company_id.eq(company_id)))
            .set(si::failing_since.eq(None::<NaiveDateTime>))
            .execute(conn)?;
    } else if automatic {
        diesel::update(
            si::table.filter(
                si::company_id
                    .eq(company_id)
                    .and(si::failing_since.is_null()),
            ),
        )
        .set(si::failing_since.eq(now))
        .execute(conn)?;
    }
    Ok(())
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
    match object {
        SyncObject::Parcels => {
            let run = parcels::RunProgress { run_id, base };
            return parcels::sync_in_run(ctx, client, company_id, run).await;
        }
        SyncObject::Returns => {
            return returns::sync_in_run(ctx, client, company_id, Some(run_id)).await;
        }
        SyncObject::Invoices => {
            return match invoices::sync(ctx, client, company_id).await {
                Ok(c) => (c, Ok(())),
                Err(e) => (Counts::default(), Err(e)),
            };
        }
        _ => {}
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
            // v3, 100 a page (a handful per account: the snapshot needs the
            // whole list anyway).
            let list: Vec<crate::sendcloud::SenderAddress> =
                client.sender_addresses_v3().try_collect().await?;
            Ok(ctx
                .db
                .run(move |c| snapshot::store_sender_addresses(c, company_id, &list))
                .await?)
        }
        SyncObject::ShippingMethods => {
            // v3 options first. The v2 methods (ids the orders carry,
            // countries per method) are asked again only when the options
            // changed or the last read is older than
            // `METHODS_REFRESH_HOURS`: an Abgleich with nothing new costs
            // one request here as for every other object type.
            let (mut counts, options_changed) =
                sync_shipping_options(ctx, client, company_id).await?;
            let since = Utc::now().naive_utc() - chrono::Duration::hours(METHODS_REFRESH_HOURS);
            let known = !options_changed
                && ctx
                    .db
                    .run(move |c| snapshot::methods_read_since(c, company_id, since))
                    .await?;
            // Not asked: nothing read, nothing changed.
            let methods = if known {
                Counts::default()
            } else {
                let filter = ShippingMethodFilter {
                    sender_address: Some(SenderAddressFilter::All),
                    ..Default::default()
                };
                let list = client.list_shipping_methods(&filter).await?;
                ctx.db
                    .run(move |c| snapshot::store_shipping_methods(c, company_id, &list))
                    .await?
            };
            counts.add(methods);
            counts.add(link_shipping_options(ctx, client, company_id, options_changed).await?);
            Ok(counts)
        }
        SyncObject::Brands => {
            // v2: Sendcloud publishes no v3 brands endpoint (neither
            // openapi-v3.json nor the v3 YAML specs have one).
            // A handful per account: the snapshot needs the whole list anyway.
            let list: Vec<crate::sendcloud::Brand> = client.brands().try_collect().await?;
            Ok(ctx
                .db
                .run(move |c| snapshot::store_brands(c, company_id, &list))
                .await?)
        }
        SyncObject::ParcelStatuses => {
            // v3 has the string codes, v2 the integer ids the
            // `parcel_status_changed` webhooks send; they share the message.
            // The v2 list is asked only when the v3 list differs from what
            // is stored (statuses change rarely).
            let codes = client.parcel_status_codes().await?;
            let probe = codes.clone();
            if let Some(counts) = ctx
                .db
                .run(move |c| snapshot::touch_if_status_codes_known(c, company_id, &probe))
                .await?
            {
                return Ok(counts);
            }
            let list = client.parcel_statuses().await?;
            let items: Vec<(i64, String)> = list.into_iter().map(|s| (s.id, s.message)).collect();
            Ok(ctx
                .db
                .run(move |c| snapshot::store_parcel_statuses(c, company_id, &items, &codes))
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
/// How long a stored list of v2 shipping methods is trusted while the v3
/// options stay the same.
pub const METHODS_REFRESH_HOURS: i64 = 24;

/// Read and store the v3 shipping options; whether any changed.
async fn sync_shipping_options(
    ctx: &Context,
    client: &SendcloudClient,
    company_id: i64,
) -> Result<(Counts, bool), SyncError> {
    let options = client
        .shipping_options(&crate::sendcloud::ShippingOptionFilter::default())
        .await?;
    let counts = ctx
        .db
        .run(move |c| snapshot::store_shipping_options(c, company_id, &options))
        .await?;
    let changed = counts.created + counts.updated > 0;
    Ok((counts, changed))
}

/// Link the v2 methods to v3 option codes (`POST /compat/shipping-options`,
/// asked only for methods not linked yet, or all when the options changed).
async fn link_shipping_options(
    ctx: &Context,
    client: &SendcloudClient,
    company_id: i64,
    changed: bool,
) -> Result<Counts, SyncError> {
    let ids = ctx
        .db
        .run(move |c| snapshot::method_ids_to_link(c, company_id, changed))
        .await?;
    if ids.is_empty() {
        ctx.db
            .run(move |c| snapshot::refresh_option_links(c, company_id))
            .await?;
        return Ok(Counts::default());
    }
    let mut answer = std::collections::BTreeMap::new();
    for chunk in ids.chunks(crate::sendcloud::shipping_options::COMPAT_MAX_IDS) {
        answer.extend(client.compat_shipping_options(chunk).await?);
    }
    ctx.db
        .run(move |c| snapshot::link_options(c, company_id, &ids, &answer))
        .await?;
    Ok(Counts::default())
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
        SyncObject::Returns => returns::count(conn, company_id)?,
        SyncObject::Invoices => invoices::count(conn, company_id)?,
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
