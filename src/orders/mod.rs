//! The order push service: pushes the host's sales orders to Sendcloud's v3
//! Orders API ("Bestellungen abgleichen", and the first sync on connect: the
//! last 30 days' approved and open orders). No HTTP handler lives here; the
//! web layer and the job runner call [`push_orders`].
//!
//! How a push runs:
//! 1. The company's orders dated `since` or later in the chosen statuses are
//!    read through the [`Host`] trait, with account, delivery contact, lines,
//!    product data and customs attributes.
//! 2. Orders pushed before whose `updated_at` is not newer than the recorded
//!    one (`sendcloud_order_pushes`) are skipped, so a second run sends
//!    nothing. Everything else is sent again; `POST /v3/orders` is an upsert
//!    keyed on `order_id` (the host order id) and the integration, so an order
//!    already in Sendcloud is updated, never duplicated.
//! 3. Orders are mapped ([`mapping::to_v3_order`], customer data mapping in
//!    dynamic mode) and sent in batches of at most 100. Sendcloud accepts or
//!    rejects a batch as a whole; when it rejects one, the orders its errors
//!    point at are sent one by one (to confirm them and get their own
//!    message) and the rest is sent again as one batch; when the errors point
//!    nowhere, every order of the batch is sent one by one. One bad order
//!    thus never blocks the good ones.
//! 4. Each accepted order is recorded in `sendcloud_order_pushes`; each call
//!    to Sendcloud is one action log entry (`orders.push`).
//!
//! A failure that is not about the orders' content (wrong keys, Sendcloud
//! unreachable, rate limit exhausted) stops the run: the orders not yet sent
//! are reported as failed with that message.
//!
//! Sendcloud's "still processing a previous request" (another request for
//! the same `order_id` is running) is no rejection: the client retries it
//! after a short backoff, within its retry bounds; if it still answers so,
//! the orders of that call are *deferred* (counted apart, not recorded, so
//! the next push sends them again) and the run goes on.

mod job;
pub mod mapping;
pub mod state;

pub use job::{
    high_water, last_push, request_push, request_push_job, schedule_due, PushJob, PushProblem,
    PushRequested, StoredSummary, SUMMARY_ACTION, TRIGGER_SCHEDULE,
};

use std::collections::{HashMap, HashSet};

use futures_util::StreamExt;
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::actionlog::{self, Action, Direction};
use crate::db::schema::sendcloud_order_pushes as op;
use crate::db::{Db, DbConn, DbError, DbResult};
use crate::host::{CustomsAttributeKeys, Host, OrderFilter, OrderSelection};
use crate::sendcloud::orders_v3::{Order, OrderUpsertResult, MAX_ORDERS_PER_BATCH};
use crate::sendcloud::{self, SendcloudClient};
use crate::settings::OrderHold;

pub use mapping::{
    dynamic_recipient, manual_recipient, to_v3_order, CustomsDefaults, Recipient, RecipientMapping,
    EU_CUSTOMS_AREA,
};

/// How far back the first sync after connecting reaches.
pub const FIRST_SYNC_DAYS: i64 = 30;

/// The action log name of a push call.
pub const ACTION: &str = "orders.push";
/// The action log target of a push call.
pub const TARGET: &str = "POST /api/v3/orders";

/// Errors of the order push service.
#[derive(Debug, thiserror::Error)]
pub enum OrdersError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("company {0} does not exist")]
    UnknownCompany(i64),
    #[error("invalid order push request: {0}")]
    InvalidRequest(String),
}

/// What to push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushRequest {
    /// The host company (Mandant).
    pub company_id: i64,
    /// Sendcloud's id of the company's integration (the upsert key with the order id).
    pub integration_id: i64,
    /// Orders dated at or after this moment (UTC).
    pub since: NaiveDateTime,
    /// Which orders (default: approved and open).
    pub statuses: OrderSelection,
    /// The product attributes holding HS code and origin (a company setting).
    pub attribute_keys: CustomsAttributeKeys,
    /// Who started the push, for the action log (`None`: the scheduler).
    pub user_name: Option<String>,
    /// The company's customer-data mapping (default: dynamic).
    pub mapping: RecipientMapping,
    /// The company's customs defaults (for orders leaving the EU).
    pub customs: CustomsDefaults,
    /// Only orders changed at or after this moment (the scheduled push).
    pub updated_since: Option<NaiveDateTime>,
    /// Only these order numbers (sent again by hand).
    pub order_numbers: Option<Vec<String>>,
    /// Send even orders unchanged since their last push (by hand).
    pub force: bool,
    /// What holds an order back (`None`: nothing; sending by hand ignores it).
    pub hold: Option<OrderHold>,
}

impl PushRequest {
    /// Approved and open orders since `since`, default attribute keys.
    pub fn new(company_id: i64, integration_id: i64, since: NaiveDateTime) -> Self {
        PushRequest {
            company_id,
            integration_id,
            since,
            statuses: OrderSelection::default(),
            attribute_keys: CustomsAttributeKeys::default(),
            user_name: None,
            mapping: RecipientMapping::Dynamic,
            customs: CustomsDefaults::default(),
            updated_since: None,
            order_numbers: None,
            force: false,
            hold: None,
        }
    }

    /// The first sync on connect: approved and open orders of the last
    /// [`FIRST_SYNC_DAYS`] days before `now`.
    pub fn first_sync(company_id: i64, integration_id: i64, now: NaiveDateTime) -> Self {
        Self::new(
            company_id,
            integration_id,
            now - Duration::days(FIRST_SYNC_DAYS),
        )
    }
}

/// Progress of a running push, reported after the selection and after each
/// batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PushProgress {
    /// Orders matching the request.
    pub selected: usize,
    /// Orders skipped because they are unchanged since their last push.
    pub skipped_unchanged: usize,
    /// Orders to send in this run.
    pub to_send: usize,
    /// Of those, accepted, failed or deferred so far.
    pub processed: usize,
    pub pushed: usize,
    pub failed: usize,
    /// Not pushed because Sendcloud was still processing an earlier request
    /// for them; the next push sends them again.
    pub deferred: usize,
    /// Batches (of at most 100 orders) sent so far.
    pub batches: usize,
    /// Orders held back by the company's hold rule.
    pub held: usize,
}

/// One order that could not be pushed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushFailure {
    /// The host order id.
    pub order_id: i64,
    pub order_number: String,
    /// Sendcloud's message (or ours when the order was not sent).
    pub message: String,
}

/// The outcome of a push.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PushSummary {
    /// Orders matching the request.
    pub selected: usize,
    /// Orders Sendcloud accepted (created or updated).
    pub pushed: usize,
    /// Orders not sent because they are unchanged since their last push.
    pub skipped_unchanged: usize,
    /// Orders not pushed (see `failures`).
    pub failed: usize,
    /// Orders not pushed because Sendcloud was still processing an earlier
    /// request for them (no rejection; the next push sends them again; see
    /// `deferrals`).
    pub deferred: usize,
    /// Batches of at most 100 orders sent.
    pub batches: usize,
    /// Calls to `POST /v3/orders`, including the ones isolating rejected orders.
    pub requests: usize,
    /// One line per failed order: `ORDER-NUMBER: message`.
    pub errors: Vec<String>,
    /// The failed orders.
    pub failures: Vec<PushFailure>,
    /// The deferred orders, with Sendcloud's message.
    pub deferrals: Vec<PushFailure>,
    /// Orders held back by the company's hold rule (not sent).
    pub held: usize,
    /// The order numbers held back.
    pub held_orders: Vec<String>,
    /// The newest `updated_at` of the selected orders (the scheduled push's
    /// next high-water mark when nothing must be sent again).
    pub newest_change: Option<NaiveDateTime>,
    /// The oldest `updated_at` of the orders that must be looked at again
    /// (deferred, or not sent because the run stopped).
    pub retry_from: Option<NaiveDateTime>,
}

/// One order ready to send.
struct Outgoing {
    order_id: i64,
    order_number: String,
    updated_at: NaiveDateTime,
    order: Order,
}

/// Push the company's orders selected by `req` to Sendcloud. See the module
/// docs. `Err` only when nothing could be done (database unavailable, unknown
/// company, invalid request); failures of single orders or calls are in the
/// summary.
pub async fn push_orders(
    db: &Db,
    host: Arc<dyn Host>,
    client: &SendcloudClient,
    req: &PushRequest,
    progress: impl Fn(PushProgress) + Send,
) -> Result<PushSummary, OrdersError> {
    if req.integration_id <= 0 {
        return Err(OrdersError::InvalidRequest(format!(
            "Sendcloud integration id {} is not valid",
            req.integration_id
        )));
    }
    let company_id = req.company_id;
    let (selection, keys) = (req.statuses, req.attribute_keys.clone());
    let filter = OrderFilter {
        dated_since: Some(req.since),
        updated_since: req.updated_since,
        order_numbers: req.order_numbers.clone(),
    };
    let (orders, pushed_before) = db
        .run(move |conn| {
            if host.company(conn, company_id)?.is_none() {
                return Ok(None);
            }
            let orders =
                host.orders_for_push_filtered(conn, company_id, &filter, selection, &keys)?;
            let pushed = recorded_pushes(conn, company_id)?;
            Ok(Some((orders, pushed)))
        })
        .await?
        .ok_or(OrdersError::UnknownCompany(company_id))?;

    let mut summary = PushSummary {
        selected: orders.len(),
        ..PushSummary::default()
    };
    summary.newest_change = orders.iter().map(|o| o.order.updated_at).max();
    let mut outgoing = Vec::new();
    for o in &orders {
        let unchanged = pushed_before
            .get(&o.order.id)
            .is_some_and(|recorded| o.order.updated_at <= *recorded);
        if unchanged && !req.force {
            summary.skipped_unchanged += 1;
            continue;
        }
        if req.hold.as_ref().is_some_and(|h| h.holds(&o.order)) {
            summary.held += 1;
            summary.held_orders.push(o.order.order_number.clone());
            continue;
        }
        match mapping::to_v3_order(o, req.integration_id, &req.mapping, &req.customs) {
            Ok(order) => outgoing.push(Outgoing {
                order_id: o.order.id,
                order_number: o.order.order_number.clone(),
                updated_at: o.order.updated_at,
                order,
            }),
            Err(message) => summary.fail(o.order.id, &o.order.order_number, message),
        }
    }
    drop(orders);
    let to_send = outgoing.len() + summary.failed;
    progress(summary.progress(to_send));

    let mut stopped: Option<String> = None;
    let mut recording: Option<tokio::task::JoinHandle<DbResult<()>>> = None;
    let chunks: Vec<&[Outgoing]> = outgoing.chunks(MAX_ORDERS_PER_BATCH).collect();
    // Up to IN_FLIGHT batches are on their way at once (distinct orders, so
    // Sendcloud never sees one order twice at a time): the write budget,
    // not Sendcloud's answer time, sets the pace. Results are taken in
    // order.
    let sends: Vec<futures_util::future::BoxFuture<'_, SentChunk>> = chunks
        .iter()
        .map(|chunk| Box::pin(send_chunk(client, chunk)) as _)
        .collect();
    let mut results = futures_util::stream::iter(sends).buffered(IN_FLIGHT);
    let mut taken = 0;
    while let Some((mut out, fatal)) = results.next().await {
        let chunk = chunks[taken];
        taken += 1;
        summary.batches += 1;
        summary.requests += out.calls.len();

        let now = Utc::now().naive_utc();
        let accepted: Vec<(i64, Option<i64>, NaiveDateTime)> = out
            .accepted
            .iter()
            .map(|(i, sc_id)| (chunk[*i].order_id, *sc_id, chunk[*i].updated_at))
            .collect();
        let calls = std::mem::take(&mut out.calls);
        let user = req.user_name.clone();
        // The batch is recorded while the next ones are on their way: each
        // record waits for the one before it (so records stay in order)
        // inside its own task, and this loop never waits for the database,
        // so the batches in flight keep being driven (awaiting the previous
        // record here stalled them: the order push benchmark used 69-79 % of
        // the allowed write rate). A crash before a record is written makes
        // the next push send those orders again: an upsert, never a
        // duplicate.
        let previous = recording.take();
        let db2 = db.clone();
        recording = Some(tokio::spawn(async move {
            if let Some(previous) = previous {
                previous.await.map_err(|e| DbError::Task(e.to_string()))??;
            }
            db2.run(move |conn| {
                conn.write_transaction(|conn| {
                    for (order_id, sc_id, updated_at) in &accepted {
                        record_push(conn, company_id, *order_id, *sc_id, *updated_at, now)?;
                    }
                    for call in &calls {
                        actionlog::record(
                            conn,
                            &Action {
                                company_id: Some(company_id),
                                direction: Direction::Outgoing,
                                action: ACTION,
                                target: TARGET,
                                ok: call.ok,
                                status_code: call.status,
                                message: &call.message,
                                user_name: user.as_deref(),
                            },
                        )?;
                    }
                    Ok::<_, DbError>(())
                })
            })
            .await
        }));

        summary.pushed += out.accepted.len();
        let done: HashSet<usize> = out.accepted.iter().map(|(i, _)| *i).collect();
        let mut rejected: HashSet<usize> = HashSet::new();
        for (i, message) in out.rejected {
            rejected.insert(i);
            summary.fail(chunk[i].order_id, &chunk[i].order_number, message);
        }
        for (i, message) in out.deferred {
            rejected.insert(i);
            summary.defer(chunk[i].order_id, &chunk[i].order_number, message);
            summary.again_from(chunk[i].updated_at);
        }
        if let Some(e) = fatal {
            let reason = e.to_string();
            for (i, o) in chunk.iter().enumerate() {
                if !done.contains(&i) && !rejected.contains(&i) {
                    summary.fail(o.order_id, &o.order_number, reason.clone());
                    summary.again_from(o.updated_at);
                }
            }
            stopped = Some(reason);
        }
        progress(summary.progress(to_send));
        if stopped.is_some() {
            break;
        }
    }
    // A batch still on its way when the run stopped is dropped (if
    // Sendcloud took it, the next push updates those orders again).
    drop(results);
    if let Some(reason) = &stopped {
        for chunk in &chunks[taken..] {
            for o in chunk.iter() {
                summary.fail(o.order_id, &o.order_number, format!("not sent: {reason}"));
                summary.again_from(o.updated_at);
            }
        }
    }
    if let Some(last) = recording.take() {
        finish_record(last).await?;
    }
    Ok(summary)
}

/// A batch's outcome and the error that stops the run, if any.
type SentChunk = (ChunkOutcome, Option<sendcloud::Error>);

async fn send_chunk(client: &SendcloudClient, chunk: &[Outgoing]) -> SentChunk {
    let mut out = ChunkOutcome::default();
    let fatal = push_chunk(client, chunk, (0..chunk.len()).collect(), &mut out)
        .await
        .err();
    (out, fatal)
}

async fn finish_record(task: tokio::task::JoinHandle<DbResult<()>>) -> Result<(), OrdersError> {
    task.await
        .map_err(|e| DbError::Task(e.to_string()))?
        .map_err(OrdersError::from)
}

impl PushSummary {
    fn progress(&self, to_send: usize) -> PushProgress {
        PushProgress {
            selected: self.selected,
            skipped_unchanged: self.skipped_unchanged,
            to_send,
            processed: self.pushed + self.failed + self.deferred,
            pushed: self.pushed,
            failed: self.failed,
            deferred: self.deferred,
            batches: self.batches,
            held: self.held,
        }
    }

    fn again_from(&mut self, updated_at: NaiveDateTime) {
        self.retry_from = Some(self.retry_from.map_or(updated_at, |t| t.min(updated_at)));
    }

    fn defer(&mut self, order_id: i64, order_number: &str, message: String) {
        self.deferred += 1;
        self.deferrals.push(PushFailure {
            order_id,
            order_number: order_number.to_string(),
            message,
        });
    }

    fn fail(&mut self, order_id: i64, order_number: &str, message: String) {
        self.failed += 1;
        self.errors.push(format!("{order_number}: {message}"));
        self.failures.push(PushFailure {
            order_id,
            order_number: order_number.to_string(),
            message,
        });
    }
}

/// One call to `POST /v3/orders`, for the action log.
struct CallRecord {
    ok: bool,
    status: Option<i32>,
    message: String,
}

/// What happened to the orders of one batch (indices into the batch).
#[derive(Default)]
struct ChunkOutcome {
    /// Accepted, with Sendcloud's order id when the answer named it.
    accepted: Vec<(usize, Option<i64>)>,
    /// Rejected by Sendcloud, with its message.
    rejected: Vec<(usize, String)>,
    /// Sendcloud was still processing an earlier request for them.
    deferred: Vec<(usize, String)>,
    calls: Vec<CallRecord>,
}

/// Batches on their way to Sendcloud at once.
const IN_FLIGHT: usize = 3;

/// Longest message kept in an action log entry.
const LOG_MESSAGE_MAX: usize = 500;

fn shorten(s: &str) -> String {
    if s.chars().count() <= LOG_MESSAGE_MAX {
        return s.to_string();
    }
    let mut out: String = s.chars().take(LOG_MESSAGE_MAX).collect();
    out.push('…');
    out
}

/// The HTTP status an error came with, if any.
fn status_of(e: &sendcloud::Error) -> Option<i32> {
    use sendcloud::Error as E;
    match e {
        E::Unauthorized { .. } => Some(401),
        E::Forbidden { .. } => Some(403),
        E::NotFound { .. } => Some(404),
        E::NoSenderAddress { .. } => Some(412),
        E::RateLimited { .. } => Some(429),
        E::StillProcessing { .. } => Some(400),
        E::Validation { status, .. } | E::Server { status, .. } | E::Http { status, .. } => {
            Some(i32::from(*status))
        }
        _ => None,
    }
}

/// Sends the orders at `subset` (indices into `chunk`) as one call.
async fn call(
    client: &SendcloudClient,
    chunk: &[Outgoing],
    subset: &[usize],
    out: &mut ChunkOutcome,
) -> sendcloud::Result<Vec<OrderUpsertResult>> {
    let batch: Vec<Order> = subset.iter().map(|&i| chunk[i].order.clone()).collect();
    let result = client.upsert_orders(&batch).await;
    let numbers = || {
        let mut list: Vec<&str> = subset
            .iter()
            .take(3)
            .map(|&i| chunk[i].order_number.as_str())
            .collect();
        if subset.len() > 3 {
            list.push("…");
        }
        list.join(", ")
    };
    let record = match &result {
        Ok(_) => CallRecord {
            ok: true,
            status: Some(201),
            message: format!("{} orders created or updated ({})", subset.len(), numbers()),
        },
        Err(e) => CallRecord {
            ok: false,
            status: status_of(e),
            message: shorten(&format!(
                "{} orders {} ({}): {e}",
                subset.len(),
                if e.is_still_processing() {
                    "deferred"
                } else {
                    "rejected"
                },
                numbers()
            )),
        },
    };
    out.calls.push(record);
    result
}

/// Match Sendcloud's answer to the orders sent, by `order_id`: an order the
/// answer names is accepted with Sendcloud's id; one it does not name is not
/// counted as pushed (Sendcloud did not confirm it) and is reported, so the
/// next push sends it again (the upsert makes that safe).
fn accept(
    chunk: &[Outgoing],
    subset: &[usize],
    results: &[OrderUpsertResult],
    out: &mut ChunkOutcome,
) {
    let ids: HashMap<&str, i64> = results
        .iter()
        .map(|r| (r.order_id.as_str(), r.id))
        .collect();
    for &i in subset {
        match ids.get(chunk[i].order.order_id.as_str()) {
            Some(&sc_id) if sc_id > 0 => out.accepted.push((i, Some(sc_id))),
            _ => out.rejected.push((i, UNCONFIRMED.to_string())),
        }
    }
}

/// The failure message of an order Sendcloud's answer did not name.
pub const UNCONFIRMED: &str =
    "Sendcloud's answer does not confirm this order; it is sent again with the next push";

/// Marks the orders at `subset` as deferred (see the module docs).
fn defer(subset: &[usize], e: &sendcloud::Error, out: &mut ChunkOutcome) {
    let message = e.to_string();
    out.deferred
        .extend(subset.iter().map(|&i| (i, message.clone())));
}

/// `[3].order_details.x` → `(3, Some("order_details.x"))`; `[3]` → `(3, None)`.
fn split_index(field: &str) -> Option<(usize, Option<&str>)> {
    let rest = field.strip_prefix('[')?;
    let (n, rest) = rest.split_once(']')?;
    let n = n.parse().ok()?;
    let rest = rest.trim_start_matches('.');
    Some((n, (!rest.is_empty()).then_some(rest)))
}

/// The message of a rejected single order, without the batch position.
fn single_message(errors: &[sendcloud::FieldError]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| match e.field.as_deref().map(|f| (f, split_index(f))) {
            Some((_, Some((_, Some(field))))) => format!("{field}: {}", e.message),
            Some((_, Some((_, None)))) | None => e.message.clone(),
            Some((field, None)) => format!("{field}: {}", e.message),
        })
        .collect();
    if parts.is_empty() {
        "Sendcloud rejected the order".to_string()
    } else {
        parts.join("; ")
    }
}

/// Positions (into the sent list of `len` orders) the errors point at;
/// `None` when any error points at no order.
fn flagged_positions(errors: &[sendcloud::FieldError], len: usize) -> Option<Vec<usize>> {
    let mut flagged = Vec::new();
    for e in errors {
        let (n, _) = split_index(e.field.as_deref()?)?;
        if n >= len {
            return None;
        }
        if !flagged.contains(&n) {
            flagged.push(n);
        }
    }
    (!flagged.is_empty()).then_some(flagged)
}

/// Sends one batch, isolating rejected orders. `Err` is a failure not about
/// the content (the run stops).
async fn push_chunk(
    client: &SendcloudClient,
    chunk: &[Outgoing],
    subset: Vec<usize>,
    out: &mut ChunkOutcome,
) -> sendcloud::Result<()> {
    let errors = match call(client, chunk, &subset, out).await {
        Ok(results) => {
            accept(chunk, &subset, &results, out);
            return Ok(());
        }
        Err(e) if e.is_still_processing() => {
            defer(&subset, &e, out);
            return Ok(());
        }
        Err(sendcloud::Error::Validation { errors, .. }) => errors,
        Err(e) => return Err(e),
    };
    if subset.len() == 1 {
        out.rejected.push((subset[0], single_message(&errors)));
        return Ok(());
    }
    match flagged_positions(&errors, subset.len()) {
        Some(flagged) if flagged.len() < subset.len() => {
            let suspects: Vec<usize> = flagged.iter().map(|&p| subset[p]).collect();
            let rest: Vec<usize> = subset
                .iter()
                .copied()
                .filter(|i| !suspects.contains(i))
                .collect();
            match call(client, chunk, &rest, out).await {
                Ok(results) => accept(chunk, &rest, &results, out),
                Err(e) if e.is_still_processing() => defer(&rest, &e, out),
                Err(sendcloud::Error::Validation { .. }) => {
                    one_by_one(client, chunk, &rest, out).await?
                }
                Err(e) => return Err(e),
            }
            one_by_one(client, chunk, &suspects, out).await
        }
        _ => one_by_one(client, chunk, &subset, out).await,
    }
}

async fn one_by_one(
    client: &SendcloudClient,
    chunk: &[Outgoing],
    subset: &[usize],
    out: &mut ChunkOutcome,
) -> sendcloud::Result<()> {
    for &i in subset {
        match call(client, chunk, &[i], out).await {
            Ok(results) => accept(chunk, &[i], &results, out),
            Err(e) if e.is_still_processing() => defer(&[i], &e, out),
            Err(sendcloud::Error::Validation { errors, .. }) => {
                out.rejected.push((i, single_message(&errors)))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// `order_id → order_updated_at` of the company's pushed orders.
fn recorded_pushes(conn: &mut DbConn, company_id: i64) -> DbResult<HashMap<i64, NaiveDateTime>> {
    Ok(op::table
        .filter(op::company_id.eq(company_id))
        .select((op::order_id, op::order_updated_at))
        .load::<(i64, NaiveDateTime)>(conn)?
        .into_iter()
        .collect())
}

/// Insert or update the push record of an order (same SQL on both backends).
fn record_push(
    conn: &mut DbConn,
    company_id: i64,
    order_id: i64,
    sendcloud_order_id: Option<i64>,
    updated_at: NaiveDateTime,
    now: NaiveDateTime,
) -> DbResult<()> {
    let update = |conn: &mut DbConn| -> DbResult<usize> {
        let target = op::table
            .filter(op::company_id.eq(company_id))
            .filter(op::order_id.eq(order_id));
        Ok(match sendcloud_order_id {
            Some(id) => diesel::update(target)
                .set((
                    op::sendcloud_order_id.eq(id),
                    op::order_updated_at.eq(updated_at),
                    op::pushed_at.eq(now),
                ))
                .execute(conn)?,
            None => diesel::update(target)
                .set((op::order_updated_at.eq(updated_at), op::pushed_at.eq(now)))
                .execute(conn)?,
        })
    };
    if update(conn)? > 0 {
        return Ok(());
    }
    // In a savepoint: when a concurrent push inserted the row meanwhile, the
    // failed insert is rolled back alone and the row is updated instead.
    let inserted = conn.write_transaction(|conn| {
        diesel::insert_into(op::table)
            .values((
                op::company_id.eq(company_id),
                op::order_id.eq(order_id),
                op::sendcloud_order_id.eq(sendcloud_order_id),
                op::order_updated_at.eq(updated_at),
                op::pushed_at.eq(now),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => update(conn).map(|_| ()),
        Err(e) => Err(e.into()),
    }
}

/// Forget which orders of a company were pushed, so that the next push sends
/// them all again (upserts, no duplicates). Call it when the company is
/// connected to a different Sendcloud integration: the records do not name
/// the integration. Returns the number of records removed.
pub fn forget_pushes(conn: &mut DbConn, company_id: i64) -> DbResult<usize> {
    Ok(diesel::delete(op::table.filter(op::company_id.eq(company_id))).execute(conn)?)
}

/// The push record of an order: (Sendcloud's order id, the `updated_at`
/// pushed, when). For reports and tests.
pub fn push_record(
    conn: &mut DbConn,
    company_id: i64,
    order_id: i64,
) -> DbResult<Option<(Option<i64>, NaiveDateTime, NaiveDateTime)>> {
    Ok(op::table
        .filter(op::company_id.eq(company_id))
        .filter(op::order_id.eq(order_id))
        .select((op::sendcloud_order_id, op::order_updated_at, op::pushed_at))
        .first(conn)
        .optional()?)
}

/// Compile-time check: a push can run on a multi-threaded executor
/// (`tokio::spawn`, actix handlers).
#[allow(dead_code)]
fn push_future_is_send(db: &Db, host: Arc<dyn Host>, client: &SendcloudClient, req: &PushRequest) {
    fn is_send<T: Send>(_: &T) {}
    let fut = push_orders(db, host, client, req, |_| {});
    is_send(&fut);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sendcloud::FieldError;

    fn fe(field: Option<&str>, message: &str) -> FieldError {
        FieldError {
            field: field.map(str::to_string),
            message: message.to_string(),
        }
    }

    #[test]
    fn selection_names_round_trip() {
        for s in [
            OrderSelection::ApprovedAndOpen,
            OrderSelection::ApprovedOpenAndPaid,
        ] {
            assert_eq!(OrderSelection::parse(s.as_str()), Some(s));
        }
        assert_eq!(OrderSelection::parse("paid"), None);
    }

    #[test]
    fn first_sync_reaches_back_30_days() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .unwrap_or_default();
        let req = PushRequest::first_sync(1, 2, now);
        assert_eq!(now - req.since, Duration::days(30));
        assert_eq!(req.statuses, OrderSelection::ApprovedAndOpen);
        assert_eq!(req.attribute_keys.hs_code, "hs_code");
        assert_eq!(req.attribute_keys.origin_country, "origin_country");
    }

    #[test]
    fn positions_come_from_pointers() {
        let errors = [
            fe(Some("[3].order_details.order_items.0.quantity"), "bad"),
            fe(Some("[7]"), "bad"),
            fe(Some("[3].payment_details"), "bad"),
        ];
        assert_eq!(flagged_positions(&errors, 10), Some(vec![3, 7]));
        assert_eq!(flagged_positions(&errors, 5), None);
        assert_eq!(flagged_positions(&[fe(None, "still processing")], 5), None);
        assert_eq!(flagged_positions(&[], 5), None);
    }

    #[test]
    fn single_message_drops_the_position() {
        let errors = [
            fe(
                Some("[0].order_details.order_items.0.quantity"),
                "Input should be greater than 0",
            ),
            fe(None, "Something else"),
        ];
        assert_eq!(
            single_message(&errors),
            "order_details.order_items.0.quantity: Input should be greater than 0; Something else"
        );
    }
}
