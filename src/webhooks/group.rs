//! Group commit of webhook receipts on PostgreSQL: receipts that arrive
//! while another one is being written are stored together, by one statement
//! and one commit, and each caller still gets its own answer only after that
//! commit (so an acknowledged event is as durable as before).
//!
//! Why: on PostgreSQL a receipt is one guarded statement ([`store_batch`];
//! `inbox::receive` runs it for a group of one),
//! and what bounds a busy webhook endpoint is the server's CPU per statement
//! and commit (planning, WAL flush), not the round trip. Sendcloud delivers
//! status news in bursts; a burst of N concurrent receipts now costs about
//! one statement instead of N.
//!
//! How: leader/follower, with no thread of its own. A caller queues its
//! request; when no batch is being written, it becomes the leader, takes
//! everything queued (its own request included) and writes it with
//! [`store_batch`], then hands every caller its result. Callers arriving
//! meanwhile wait and form the next batch. A lone receipt is written at once
//! (no waiting for company). When the batch statement fails as a whole
//! (a deadlock with another instance, a row the database refuses), the
//! leader stores the batch's events one by one with the single statement
//! ([`store_each`]), so one bad receipt never refuses the others.
//!
//! SQLite has one writer anyway; there [`ReceiptGroup::receive`] is simply
//! `inbox::receive`.
//!
//! Every receipt keeps what `inbox::receive` promises, row by row: nothing is
//! written unless the company's integration row still carries the checked
//! token and sealed secret; an event is stored once per company and dedupe key
//! (the first of two identical deliveries in one batch stores it, the second
//! is a duplicate); the processing job is queued when an event was new; and
//! every delivery, duplicate or not, gets its action-log line.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::inbox::{self, Checked, NewEntry, Receipt};
use crate::db::{DbConn, DbError, DbResult};
use crate::jobs::NewJob;

/// One receipt to store: what `inbox::receive` takes, owned. (No `Debug`:
/// it holds the sealed secret.)
#[derive(Clone)]
pub struct Pending {
    pub company_id: i64,
    /// The webhook token the receipt was checked against.
    pub token: String,
    /// The sealed secret the receipt was checked against.
    pub secret_key_enc: String,
    pub entry: NewEntry,
    /// The job to queue when the event is new.
    pub job: Option<NewJob>,
    pub now: NaiveDateTime,
}

impl Pending {
    fn checked(&self) -> Checked<'_> {
        Checked {
            token: &self.token,
            secret_key_enc: &self.secret_key_enc,
        }
    }
}

/// The receipts of one process waiting to be written together (one per
/// process, inside `TargetCache`).
#[derive(Default)]
pub struct ReceiptGroup {
    state: Mutex<GroupState>,
    turn: Condvar,
    /// Batches written and receipts in them, since the start.
    batches: AtomicU64,
    receipts: AtomicU64,
}

impl std::fmt::Debug for ReceiptGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceiptGroup")
    }
}

#[derive(Default)]
struct GroupState {
    next_ticket: u64,
    queue: Vec<(u64, Pending)>,
    /// Results of a written batch, until their callers pick them up.
    done: HashMap<u64, DbResult<Receipt>>,
    /// Leaders writing a batch now.
    writing: usize,
}

/// How many batches may be written at once. One: with two or four, the
/// batches shrank (2.3 and 1.4 receipts per statement against 4.0 with eight
/// clients) and receipt got slower (docs/BENCHMARKS.md, "Webhook ingestion").
const WRITERS: usize = 1;

/// The most receipts one statement stores (bounds the statement's size:
/// bodies are up to the webhook size limit each).
const MAX_BATCH: usize = 64;

impl ReceiptGroup {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many batches were written and how many receipts they held (on
    /// PostgreSQL), for benchmarks and diagnosis.
    pub fn written(&self) -> (u64, u64) {
        (
            self.batches.load(Ordering::Relaxed),
            self.receipts.load(Ordering::Relaxed),
        )
    }

    /// Store `pending` as `inbox::receive` would, grouped with the receipts
    /// of other threads on PostgreSQL.
    pub fn receive(&self, conn: &mut DbConn, pending: Pending) -> DbResult<Receipt> {
        if !matches!(conn, DbConn::Postgres(_)) {
            return receive_alone(conn, &pending);
        }
        let mut state = self.lock();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.queue.push((ticket, pending));
        loop {
            if let Some(answer) = state.done.remove(&ticket) {
                return answer;
            }
            if state.writing < WRITERS && !state.queue.is_empty() {
                // Lead: take what is queued (this caller's request is
                // among it unless an earlier leader took it: then its answer
                // is already in `done` and was picked up above).
                let take = state.queue.len().min(MAX_BATCH);
                let batch: Vec<(u64, Pending)> = state.queue.drain(..take).collect();
                state.writing += 1;
                drop(state);
                self.batches.fetch_add(1, Ordering::Relaxed);
                self.receipts
                    .fetch_add(batch.len() as u64, Ordering::Relaxed);
                let mut lead = Lead {
                    group: self,
                    batch,
                    answered: false,
                };
                let results = {
                    let requests: Vec<&Pending> = lead.batch.iter().map(|(_, p)| p).collect();
                    store_each_refs(conn, &requests)
                };
                lead.answer(results);
                state = self.lock();
                continue;
            }
            state = self
                .turn
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    fn lock(&self) -> MutexGuard<'_, GroupState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A batch being written. Dropped without an answer (the write panicked), it
/// still releases the group and answers every caller with an error (a 5xx:
/// Sendcloud delivers again), so no caller waits forever.
struct Lead<'a> {
    group: &'a ReceiptGroup,
    batch: Vec<(u64, Pending)>,
    answered: bool,
}

impl Lead<'_> {
    fn answer(&mut self, results: Vec<DbResult<Receipt>>) {
        let batch = std::mem::take(&mut self.batch);
        let mut results = results.into_iter();
        let mut state = self.group.lock();
        for (ticket, _) in batch {
            let result = results.next().unwrap_or_else(|| {
                Err(DbError::Task(
                    "the webhook receipt group's writer stopped".into(),
                ))
            });
            state.done.insert(ticket, result);
        }
        state.writing -= 1;
        self.answered = true;
        drop(state);
        self.group.turn.notify_all();
    }
}

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        if !self.answered {
            self.answer(Vec::new());
        }
    }
}

fn receive_alone(conn: &mut DbConn, p: &Pending) -> DbResult<Receipt> {
    inbox::receive(
        conn,
        p.company_id,
        p.checked(),
        &p.entry,
        p.job.as_ref(),
        p.now,
    )
}

/// Store receipts as [`store_batch`] does; when that statement fails as a
/// whole, store them one by one with `inbox::receive`, so each gets its own
/// result.
pub fn store_each(conn: &mut DbConn, requests: &[Pending]) -> Vec<DbResult<Receipt>> {
    let refs: Vec<&Pending> = requests.iter().collect();
    store_each_refs(conn, &refs)
}

fn store_each_refs(conn: &mut DbConn, requests: &[&Pending]) -> Vec<DbResult<Receipt>> {
    if matches!(conn, DbConn::Postgres(_)) {
        // One statement: when it fails, nothing of it was written.
        if let Ok(receipts) = store_batch_refs(conn, requests) {
            return receipts.into_iter().map(Ok).collect();
        }
    }
    requests.iter().map(|p| receive_alone(conn, p)).collect()
}

/// Store receipts with one statement on PostgreSQL (one receipt after the
/// other on SQLite), answering each as `inbox::receive` would, in order.
pub fn store_batch(conn: &mut DbConn, requests: &[Pending]) -> DbResult<Vec<Receipt>> {
    let refs: Vec<&Pending> = requests.iter().collect();
    store_batch_refs(conn, &refs)
}

fn store_batch_refs(conn: &mut DbConn, requests: &[&Pending]) -> DbResult<Vec<Receipt>> {
    let DbConn::Postgres(pg) = conn else {
        return requests.iter().map(|p| receive_alone(conn, p)).collect();
    };
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    use diesel::sql_types::{Array, BigInt, Bool, Integer, Nullable, Text, Timestamp};
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Nullable<BigInt>)]
        id: Option<i64>,
        #[diesel(sql_type = Bool)]
        valid: bool,
    }
    let col = |f: &dyn Fn(&Pending) -> String| requests.iter().map(|p| f(p)).collect::<Vec<_>>();
    let companies: Vec<i64> = requests.iter().map(|p| p.company_id).collect();
    let objects: Vec<Option<i64>> = requests.iter().map(|p| p.entry.object_id).collect();
    let stamps: Vec<Option<i64>> = requests.iter().map(|p| p.entry.event_ts).collect();
    let nows: Vec<NaiveDateTime> = requests.iter().map(|p| p.now).collect();
    let want_job: Vec<bool> = requests.iter().map(|p| p.job.is_some()).collect();
    let job_dedupe: Vec<Option<String>> = requests
        .iter()
        .map(|p| p.job.as_ref().and_then(|j| j.dedupe_key.clone()))
        .collect();
    let job_max: Vec<i32> = requests
        .iter()
        .map(|p| p.job.as_ref().map_or(0, |j| j.max_attempts))
        .collect();
    let rows: Vec<Row> = diesel::sql_query(RECEIVE_BATCH_PG)
        .bind::<Array<BigInt>, _>(companies)
        .bind::<Array<Text>, _>(col(&|p| p.entry.action.clone()))
        .bind::<Array<Nullable<BigInt>>, _>(objects)
        .bind::<Array<Nullable<BigInt>>, _>(stamps)
        .bind::<Array<Text>, _>(col(&|p| p.entry.dedupe_key.clone()))
        .bind::<Array<Text>, _>(col(&|p| p.entry.body.clone()))
        .bind::<Array<Timestamp>, _>(nows)
        .bind::<Array<Bool>, _>(want_job)
        .bind::<Array<Text>, _>(col(&|p| {
            p.job.as_ref().map_or(String::new(), |j| j.kind.clone())
        }))
        .bind::<Array<Text>, _>(col(&|p| {
            p.job
                .as_ref()
                .map_or(String::new(), |j| j.payload.to_string())
        }))
        .bind::<Array<Nullable<Text>>, _>(job_dedupe)
        .bind::<Array<Integer>, _>(job_max)
        .bind::<Array<Text>, _>(col(&|p| p.token.clone()))
        .bind::<Array<Text>, _>(col(&|p| p.secret_key_enc.clone()))
        .bind::<Text, _>(crate::actionlog::Direction::Incoming.as_str())
        .bind::<Text, _>(inbox::LOG_TARGET)
        .bind::<Text, _>(inbox::receipt_fact(Receipt::Duplicate))
        .load(pg)?;
    if rows.len() != requests.len() {
        return Err(DbError::Invalid(format!(
            "webhook batch: {} answers for {} receipts",
            rows.len(),
            requests.len()
        )));
    }
    Ok(rows
        .into_iter()
        .map(|r| match r {
            Row { id: Some(id), .. } => Receipt::Stored(id),
            Row { valid: true, .. } => Receipt::Duplicate,
            Row { valid: false, .. } => Receipt::TargetChanged,
        })
        .collect())
}

/// The receipt statement for many receipts (`inbox::receive` on PostgreSQL
/// is this statement for one): the arrays `$1`–`$14` hold one
/// receipt per index, `$15`–`$17` the log row's direction, target and
/// duplicate fact. The statement itself is the PL/pgSQL function of the
/// migration `2026-12-07-000050_webhook_receipt_group`, so that PostgreSQL
/// plans it once per session instead of on every call. There, `ok` keeps the
/// receipts whose integration row still matches, `first` the first receipt
/// of each (company, dedupe key) among them, so two identical deliveries in
/// one batch store the event once; rows are inserted in key order, so two
/// instances writing overlapping batches wait for each other instead of
/// deadlocking. One row back per receipt, in order: the new inbox id (NULL
/// for a duplicate or a changed target) and whether the target matched.
const RECEIVE_BATCH_PG: &str = "SELECT inbox_id AS id, target_ok AS valid \
     FROM sendcloud_receive_webhooks($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
