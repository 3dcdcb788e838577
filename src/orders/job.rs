//! Bestellungen abgleichen as a job ([`PushJob`], kind `orders.push`): the
//! page, the first sync and (later) the scheduler enqueue it; running it
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
}

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
        }
    }
}

impl JobKind for PushJob {
    const KIND: &'static str = "orders.push";

    fn company_id(&self) -> Option<i64> {
        Some(self.company_id)
    }

    fn dedupe_key(&self) -> Option<String> {
        Some(format!("orders.push:{}", self.company_id))
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
    if crate::account::view(conn, job.company_id)?.state != crate::account::STATE_CONNECTED {
        return Ok(PushRequested::NotConnected);
    }
    Ok(match enqueue_job(conn, job)? {
        Some(_) => PushRequested::Started,
        None => PushRequested::AlreadyRunning,
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
    let summary = push_orders(&ctx.db, ctx.host.clone(), &client, &req, |_| {}).await?;
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
