//! Bestellungen abgleichen as a job ([`PushJob`], kind `orders.push`): the
//! page, the first sync, the scheduler (new and changed orders since the
//! high-water mark, [`schedule_due`]) and *Erneut senden* (named orders,
//! [`PushJob::orders`]) enqueue it; running it
//! builds the [`PushRequest`] from the company's settings, finds the
//! Sendcloud integration id (stored by the connect flow, else looked up in
//! the account's integrations), pushes, and records the summary as facts
//! (counts and failures as JSON in the action log) for the page to render in
//! the reader's language.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

use super::{push_orders, CustomsDefaults, PushRequest, PushSummary, RecipientMapping};
use crate::actionlog::{self, Action, Direction, Entry};
use crate::context::Context;
use crate::db::schema::sendcloud_action_log as al;
use crate::db::schema::sendcloud_order_push_marks as pm;
use crate::db::{DbConn, DbResult};
use crate::host::{CustomsAttributeKeys, OrderSelection};
use crate::jobs::{enqueue_job, is_pending, JobError, JobKind};

/// The action-log action that holds a push's summary.
pub const SUMMARY_ACTION: &str = "orders.push.summary";

/// The stored form of `since` (payloads queued by earlier versions use it).
const SINCE_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// Push a company's orders from `since`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushJob {
    pub company_id: i64,
    #[serde(with = "since_format")]
    pub since: NaiveDateTime,
    /// `OrderSelection` as stored (`None`: the default selection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<String>,
    /// `manual`, `connect`, `schedule`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// Who asked (`None`: the module itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Only these order numbers, sent even when unchanged and held
    /// (*Erneut senden*, the plugin API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orders: Option<Vec<String>>,
}

/// The trigger of the scheduled push (reads and moves the high-water mark).
pub const TRIGGER_SCHEDULE: &str = "schedule";
/// Orders changed this long before the high-water mark are looked at again
/// (a host transaction that commits late with an older `updated_at`); the
/// push records make that cost nothing.
const OVERLAP_SECONDS: i64 = 60;

mod since_format {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format(super::SINCE_FORMAT).to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let s = String::deserialize(d)?;
        NaiveDateTime::parse_from_str(&s, super::SINCE_FORMAT).map_err(serde::de::Error::custom)
    }
}

impl PushJob {
    pub fn new(company_id: i64, since: NaiveDateTime, trigger: &str) -> PushJob {
        PushJob {
            company_id,
            since,
            selection: None,
            trigger: Some(trigger.into()),
            user: None,
            orders: None,
        }
    }

    /// Send these orders again by hand.
    pub fn orders(company_id: i64, numbers: Vec<String>, trigger: &str) -> PushJob {
        PushJob {
            orders: Some(numbers),
            ..PushJob::new(
                company_id,
                chrono::DateTime::UNIX_EPOCH.naive_utc(),
                trigger,
            )
        }
    }

    fn is_scheduled(&self) -> bool {
        self.orders.is_none() && self.trigger.as_deref() == Some(TRIGGER_SCHEDULE)
    }
}

impl JobKind for PushJob {
    const KIND: &'static str = "orders.push";

    fn company_id(&self) -> Option<i64> {
        Some(self.company_id)
    }

    fn dedupe_key(&self) -> Option<String> {
        Some(match &self.orders {
            // Sending named orders does not wait for a running push; the
            // same orders asked for twice are one job.
            Some(numbers) => {
                use sha2::Digest;
                let digest = sha2::Sha256::digest(numbers.join("\n").as_bytes());
                format!(
                    "orders.push:{}:orders:{}",
                    self.company_id,
                    &hex::encode(digest)[..16]
                )
            }
            None => format!("orders.push:{}", self.company_id),
        })
    }

    fn run(self, ctx: Context) -> BoxFuture<'static, Result<(), JobError>> {
        Box::pin(async move { run_push(&ctx, self).await })
    }
}

/// What became of a push someone asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushRequested {
    Started,
    AlreadyRunning,
    NotConnected,
}

/// A push asked for by a user: enqueued when the company is connected.
pub fn request_push(conn: &mut DbConn, job: &PushJob) -> DbResult<PushRequested> {
    Ok(request_push_job(conn, job)?.0)
}

/// [`request_push`], with the id of the job it enqueued.
pub fn request_push_job(
    conn: &mut DbConn,
    job: &PushJob,
) -> DbResult<(PushRequested, Option<i64>)> {
    if crate::account::view(conn, job.company_id)?.state != crate::account::STATE_CONNECTED {
        return Ok((PushRequested::NotConnected, None));
    }
    Ok(match enqueue_job(conn, job)? {
        Some(id) => (PushRequested::Started, Some(id)),
        None => (PushRequested::AlreadyRunning, None),
    })
}

/// The scheduled push's high-water mark of a company, if it ever ran.
pub fn high_water(conn: &mut DbConn, company_id: i64) -> DbResult<Option<NaiveDateTime>> {
    Ok(pm::table
        .find(company_id)
        .select(pm::high_water)
        .first(conn)
        .optional()?)
}

fn set_mark(
    conn: &mut DbConn,
    company_id: i64,
    high_water: Option<NaiveDateTime>,
    last_run_at: Option<NaiveDateTime>,
) -> DbResult<()> {
    let current: Option<(NaiveDateTime, NaiveDateTime)> = pm::table
        .find(company_id)
        .select((pm::high_water, pm::last_run_at))
        .first(conn)
        .optional()?;
    match current {
        Some((hw, last)) => {
            diesel::update(pm::table.find(company_id))
                .set((
                    pm::high_water.eq(high_water.unwrap_or(hw)),
                    pm::last_run_at.eq(last_run_at.unwrap_or(last)),
                ))
                .execute(conn)?;
        }
        None => {
            let now = chrono::Utc::now().naive_utc();
            diesel::insert_into(pm::table)
                .values((
                    pm::company_id.eq(company_id),
                    pm::high_water
                        .eq(high_water
                            .unwrap_or(now - chrono::Duration::days(super::FIRST_SYNC_DAYS))),
                    pm::last_run_at.eq(last_run_at.unwrap_or(now)),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The scheduler's part: when the company pushes on a schedule and its
/// interval has passed since the last scheduled push was enqueued, enqueue
/// one (trigger `schedule`). Returns the job id.
pub fn schedule_due(
    conn: &mut DbConn,
    company_id: i64,
    push: &crate::settings::OrderPush,
    now: NaiveDateTime,
) -> DbResult<Option<i64>> {
    if !push.enabled {
        return Ok(None);
    }
    let last: Option<NaiveDateTime> = pm::table
        .find(company_id)
        .select(pm::last_run_at)
        .first(conn)
        .optional()?;
    let every = chrono::Duration::minutes(i64::from(push.interval_minutes.max(1)));
    if last.is_some_and(|t| now - t < every) {
        return Ok(None);
    }
    conn.write_transaction(|c| {
        let id = enqueue_job(
            c,
            &PushJob::new(
                company_id,
                chrono::DateTime::UNIX_EPOCH.naive_utc(),
                TRIGGER_SCHEDULE,
            ),
        )?;
        if id.is_some() {
            set_mark(c, company_id, None, Some(now))?;
        }
        Ok(id)
    })
}

/// The stored summary of a push (the action-log row's message is this as
/// JSON: facts, rendered by the page in the reader's language).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSummary {
    pub selected: usize,
    pub pushed: usize,
    pub skipped_unchanged: usize,
    pub failed: usize,
    /// Orders Sendcloud was still processing from an earlier request: sent
    /// again by the next push.
    #[serde(default)]
    pub deferred: usize,
    /// Orders held back by the company's hold rule.
    #[serde(default)]
    pub held: usize,
    /// `ORDER-NUMBER: Sendcloud's message`, as Sendcloud said it.
    #[serde(default)]
    pub errors: Vec<String>,
    /// Set when the push could not start (no integration id, keys refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<PushProblem>,
}

/// Why a push could not run at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushProblem {
    /// The account's integration id is unknown and could not be determined
    /// (none or several integrations, none of them ours).
    IntegrationUnknown,
}

impl StoredSummary {
    fn from_summary(s: &PushSummary) -> StoredSummary {
        StoredSummary {
            selected: s.selected,
            pushed: s.pushed,
            skipped_unchanged: s.skipped_unchanged,
            failed: s.failed,
            deferred: s.deferred,
            held: s.held,
            errors: s.errors.clone(),
            problem: None,
        }
    }

    /// Read a stored summary; rows written by earlier versions hold a
    /// German sentence and give `None` (the page then shows the text).
    pub fn parse(message: &str) -> Option<StoredSummary> {
        serde_json::from_str(message).ok()
    }
}

/// The newest push summary of a company and whether a push is waiting or
/// running.
pub fn last_push(conn: &mut DbConn, company_id: i64) -> DbResult<(Option<Entry>, bool)> {
    let last = al::table
        .filter(
            al::company_id
                .eq(company_id)
                .and(al::action.eq(SUMMARY_ACTION)),
        )
        .order(al::id.desc())
        .select(Entry::as_select())
        .first(conn)
        .optional()?;
    Ok((last, is_pending::<PushJob>(conn, company_id)?))
}

async fn run_push(ctx: &Context, job: PushJob) -> Result<(), JobError> {
    let company_id = job.company_id;
    let manifest = ctx.config.manifest.clone();
    let (stored_id, settings) = ctx
        .db
        .run(move |c| {
            Ok((
                crate::account::view(c, company_id)?.sendcloud_integration_id,
                crate::settings::load(c, company_id, &manifest)?,
            ))
        })
        .await?;
    let client = crate::account::client_for(ctx, company_id).await?;
    let integration_id = match stored_id {
        Some(id) => Some(id),
        None => crate::account::discover_integration_id(ctx, &client, company_id).await?,
    };
    let Some(integration_id) = integration_id else {
        let summary = StoredSummary {
            problem: Some(PushProblem::IntegrationUnknown),
            ..StoredSummary::default()
        };
        record_summary(ctx, company_id, job.user.clone(), &summary, false).await?;
        return Ok(());
    };
    let mut req = PushRequest::new(company_id, integration_id, job.since);
    req.statuses = job
        .selection
        .as_deref()
        .and_then(OrderSelection::parse)
        .unwrap_or_default();
    req.attribute_keys = CustomsAttributeKeys {
        hs_code: settings.hs_code_attribute.clone(),
        origin_country: settings.origin_attribute.clone(),
    };
    req.user_name = job.user.clone();
    req.mapping = match settings.customer_mapping {
        crate::settings::CustomerMapping::Manual => {
            RecipientMapping::Manual(settings.manual_mapping)
        }
        _ => RecipientMapping::Dynamic,
    };
    req.customs = CustomsDefaults {
        shipment_type: settings.customs_shipment_type.code(),
        hs_code: settings.customs_hs_code.clone(),
        origin_country: settings.customs_origin_country.clone(),
    };
    let scheduled = job.is_scheduled();
    match &job.orders {
        // By hand: these orders, even unchanged, even held.
        Some(numbers) => {
            req.order_numbers = Some(numbers.clone());
            req.force = true;
        }
        None => {
            req.hold = Some(settings.order_push.hold.clone()).filter(|h| h.is_active());
        }
    }
    if scheduled {
        let mark = ctx.db.run(move |c| high_water(c, company_id)).await?;
        let from =
            mark.unwrap_or(job.since.max(
                chrono::Utc::now().naive_utc() - chrono::Duration::days(super::FIRST_SYNC_DAYS),
            ));
        req.updated_since = Some(from - chrono::Duration::seconds(OVERLAP_SECONDS));
    }
    let started = chrono::Utc::now().naive_utc();
    let summary = push_orders(&ctx.db, ctx.host.clone(), &client, &req, |_| {}).await?;
    if scheduled {
        // Orders that must be looked at again keep the mark where they are;
        // a host clock ahead of ours never moves it past this run's start.
        let retry_from = summary.retry_from;
        let next = retry_from.or(summary.newest_change).map(|t| t.min(started));
        if let Some(next) = next {
            ctx.db
                .run(move |c| {
                    let current = high_water(c, company_id)?;
                    let next = match (retry_from, current) {
                        (Some(_), _) | (None, None) => next,
                        (None, Some(cur)) => cur.max(next),
                    };
                    set_mark(c, company_id, Some(next), None)
                })
                .await?;
        }
    }
    let stored = StoredSummary::from_summary(&summary);
    // Orders that failed stay in the summary and are retried by the next
    // push; the job itself succeeded.
    record_summary(ctx, company_id, job.user, &stored, summary.failed == 0).await?;
    Ok(())
}

async fn record_summary(
    ctx: &Context,
    company_id: i64,
    user: Option<String>,
    summary: &StoredSummary,
    ok: bool,
) -> Result<(), JobError> {
    let message = serde_json::to_string(summary)?;
    ctx.db
        .run(move |c| {
            actionlog::record(
                c,
                &Action {
                    company_id: Some(company_id),
                    direction: Direction::Internal,
                    action: SUMMARY_ACTION,
                    target: "orders",
                    ok,
                    status_code: None,
                    message: &message,
                    user_name: user.as_deref(),
                },
            )
        })
        .await?;
    Ok(())
}
