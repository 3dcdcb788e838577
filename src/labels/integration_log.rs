//! Label failures in Sendcloud's integration log (issue 11 item 7, optional;
//! per-company setting `integration_log`, off by default): besides the Logs
//! entry and the notification, a failed label is written once to the
//! connection issue log of the company's integration in Sendcloud
//! (v3 `POST /integrations/{id}/logs`).
//!
//! **Never in the label's path.** [`note_failure`] runs inside the
//! transaction that marks the label failed and only enqueues an
//! [`IntegrationLogJob`] (so the entry goes out after the commit, or not at
//! all when the failure rolls back); the job posts. Whatever Sendcloud
//! answers, the job ends: a refusal, an outage or a missing connection is
//! one action-log row (`labels.integration_log`, not ok, the problem as a
//! fact) and no retry, so a Sendcloud outage never multiplies writes.
//!
//! **Once per failure.** The label row keeps the fingerprint of the failure
//! last written (`sendcloud_labels.integration_logged`: SHA-256 over the
//! problems' source, code and field); a retry that fails the same way writes
//! nothing, a retry that fails differently writes the new failure, and a
//! label that is made clears it ([`forget`]).
//!
//! **At most [`PER_HOUR`] entries per company in any hour** ([`admit`]): the
//! writes share the account's ~100 writes a minute with label creation, so
//! a mass failure (500 deliveries failing the pre-flight) must not turn into
//! 500 writes. Each entry written is a row in
//! `sendcloud_integration_log_writes` (reserved before the post, pruned
//! after an hour); a failure beyond the cap is not posted but counted in
//! `sendcloud_integration_log_unwritten` (one action-log row when the
//! counting starts, not one per failure). The next failure the window
//! allows first writes ONE summary entry with that count (a fact in its
//! payload), then its own. The failures themselves are all in the module's
//! Logs; nothing is retried.
//!
//! **What goes out**: the module's address as `base_url`, the Logs page as
//! `full_url`, Sendcloud's status of a refusal as `response_code`, the kind
//! (`label_check`: our pre-flight; `field_rejected`: Sendcloud refused) as
//! `exception_type`, one line naming order, delivery, reference and the
//! codes/fields as `exception` — rendered in the company's language (its
//! notification language, German by default: the company's staff read it
//! in Sendcloud's panel), codes kept as codes, Sendcloud's message quoted —
//! and the same as facts in `request.payload` (delivery id, order number,
//! reference, problems with Sendcloud's message per field). No headers, no
//! keys; free text goes through `actionlog::mask` first.

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use fluent_bundle::FluentValue;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Label, Problem};
use crate::actionlog::{self, Action, Direction, Fact};
use crate::config::Manifest;
use crate::context::Context;
use crate::db::schema::{
    sendcloud_integration_log_unwritten as un, sendcloud_integration_log_writes as w,
    sendcloud_labels as l, sendcloud_settings as ss,
};
use crate::db::{DbConn, DbResult};
use crate::i18n::I18n;
use crate::jobs::{enqueue_job, JobError, JobKind};
use crate::sendcloud::de::{wire_timestamp, WireStyle};
use crate::sendcloud::{LogRequest, NewIntegrationLog};

/// The action-log action of an entry written (or not) to Sendcloud.
pub const ACTION: &str = "labels.integration_log";

/// At most this many entries per company in any hour (of the account's
/// ~100 writes a minute, shared with label creation).
pub const PER_HOUR: i64 = 20;

/// The `exception_type` of the summary entry.
pub const SUMMARY_TYPE: &str = "label_failures_not_written";

/// The window of [`PER_HOUR`].
pub fn window() -> Duration {
    Duration::hours(1)
}

/// Write one label failure to Sendcloud's integration log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationLogJob {
    pub company_id: i64,
    pub delivery_id: i64,
    pub order_number: String,
    pub external_reference_id: String,
    pub problems: Vec<Problem>,
    /// Sendcloud's HTTP status when it refused the label; `None` for our
    /// pre-flight checks.
    #[serde(default)]
    pub status: Option<u16>,
    /// When the label failed (UTC).
    pub failed_at: NaiveDateTime,
    /// The failure's fingerprint (see the module doc).
    pub fingerprint: String,
}

impl JobKind for IntegrationLogJob {
    const KIND: &'static str = "labels.integration_log";
    /// A write that must not be repeated blindly: one attempt.
    const MAX_ATTEMPTS: i32 = 1;

    fn company_id(&self) -> Option<i64> {
        Some(self.company_id)
    }

    fn dedupe_key(&self) -> Option<String> {
        Some(format!(
            "{}:{}:{}:{}",
            Self::KIND,
            self.company_id,
            self.delivery_id,
            &self.fingerprint[..self.fingerprint.len().min(16)]
        ))
    }

    fn run(self, ctx: Context) -> BoxFuture<'static, Result<(), JobError>> {
        Box::pin(async move {
            write(&ctx, &self).await?;
            Ok(())
        })
    }
}

/// The fingerprint of a failure: what failed (source, code, field), not
/// how Sendcloud worded it.
pub fn fingerprint(problems: &[Problem]) -> String {
    let mut parts: Vec<String> = problems
        .iter()
        .map(|p| format!("{}\u{1f}{}\u{1f}{}", p.source, p.code, p.field))
        .collect();
    parts.sort();
    parts.dedup();
    hex::encode(Sha256::digest(parts.join("\u{1e}").as_bytes()))
}

/// Is the company's setting on (the manifest's default when it never saved)?
pub fn enabled(conn: &mut DbConn, company_id: i64, manifest: &Manifest) -> DbResult<bool> {
    let saved: Option<bool> = ss::table
        .find(company_id)
        .select(ss::integration_log)
        .first(conn)
        .optional()?;
    Ok(saved.unwrap_or(manifest.settings.integration_log))
}

/// In the transaction that marks `label` failed: when the company wants its
/// failures in Sendcloud's integration log, the integration's id is known
/// and this failure was not written for this label yet, remember it and
/// enqueue the [`IntegrationLogJob`]. Returns whether a job was enqueued.
pub fn note_failure(
    conn: &mut DbConn,
    manifest: &Manifest,
    label: &Label,
    problems: &[Problem],
    status: Option<u16>,
) -> DbResult<bool> {
    if problems.is_empty() || !enabled(conn, label.company_id, manifest)? {
        return Ok(false);
    }
    if crate::account::view(conn, label.company_id)?
        .sendcloud_integration_id
        .is_none()
    {
        return Ok(false);
    }
    let print = fingerprint(problems);
    let logged: Option<String> = l::table
        .find(label.id)
        .select(l::integration_logged)
        .first(conn)
        .optional()?
        .flatten();
    if logged.as_deref() == Some(print.as_str()) {
        return Ok(false);
    }
    diesel::update(l::table.find(label.id))
        .set(l::integration_logged.eq(&print))
        .execute(conn)?;
    let job = IntegrationLogJob {
        company_id: label.company_id,
        delivery_id: label.delivery_id,
        order_number: label.order_number.clone(),
        external_reference_id: label.external_reference_id.clone(),
        problems: problems.to_vec(),
        status,
        failed_at: Utc::now().naive_utc(),
        fingerprint: print,
    };
    Ok(enqueue_job(conn, &job)?.is_some())
}

/// The label was made: a later failure of the delivery is a new one.
pub fn forget(conn: &mut DbConn, label_id: i64) -> DbResult<()> {
    diesel::update(l::table.find(label_id))
        .set(l::integration_logged.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}

/// The language of a company's entries: its notification language
/// (German, the manifest's default, until it chose one).
pub fn language(conn: &mut DbConn, company_id: i64, manifest: &Manifest) -> DbResult<String> {
    Ok(crate::notify::settings(
        conn,
        company_id,
        &manifest.notifications,
        &manifest.plugin.default_language,
    )?
    .language)
}

/// What one problem says in the entry: `code (field)`; Sendcloud's as
/// `sendcloud (field)` with its message quoted (masked).
fn describe(i18n: &I18n, lang: &str, p: &Problem) -> String {
    let what = if p.is_check() {
        p.code.as_str()
    } else {
        "sendcloud"
    };
    let s = match p.field.as_str() {
        "" => what.to_string(),
        f => format!("{what} ({f})"),
    };
    if p.is_check() || p.detail.is_empty() {
        return s;
    }
    i18n.text_with(
        lang,
        "ilog-sendcloud-detail",
        &[
            ("problem", FluentValue::from(s)),
            (
                "detail",
                FluentValue::from(actionlog::mask::text(&p.detail)),
            ),
        ],
    )
}

/// The entry for Sendcloud, its line in `lang` (see the module doc).
pub fn entry(
    config: &crate::config::Config,
    job: &IntegrationLogJob,
    i18n: &I18n,
    lang: &str,
) -> NewIntegrationLog {
    let kind = if job.problems.iter().all(Problem::is_check) {
        crate::problem::ProblemCode::LabelCheck
    } else {
        crate::problem::ProblemCode::FieldRejected
    };
    let exception = i18n.text_with(
        lang,
        "ilog-entry",
        &[
            ("order", FluentValue::from(job.order_number.as_str())),
            ("delivery", FluentValue::from(job.delivery_id.to_string())),
            (
                "reference",
                FluentValue::from(job.external_reference_id.as_str()),
            ),
            (
                "problems",
                FluentValue::from(
                    job.problems
                        .iter()
                        .map(|p| describe(i18n, lang, p))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            ),
        ],
    );
    let problems: Vec<serde_json::Value> = job
        .problems
        .iter()
        .map(|p| {
            serde_json::json!({
                "source": p.source,
                "code": p.code,
                "field": p.field,
                "detail": actionlog::mask::text(&p.detail),
            })
        })
        .collect();
    NewIntegrationLog {
        base_url: config.public_link(""),
        full_url: Some(config.public_link("/admin/logs")),
        method: None,
        response_code: job.status.map(i32::from),
        response: None,
        request: Some(LogRequest {
            headers: None,
            payload: Some(serde_json::json!({
                "delivery_id": job.delivery_id,
                "order_number": job.order_number,
                "external_reference_id": job.external_reference_id,
                "problems": problems,
            })),
        }),
        created_at: Some(wire_timestamp(&job.failed_at.and_utc(), WireStyle::Compact)),
        exception_type: Some(kind.as_str().to_string()),
        exception: Some(exception),
    }
}

/// The summary entry: `unwritten` failures were not written individually.
pub fn summary_entry(
    config: &crate::config::Config,
    unwritten: &Unwritten,
    now: NaiveDateTime,
    i18n: &I18n,
    lang: &str,
) -> NewIntegrationLog {
    let exception = i18n.text_with(
        lang,
        "ilog-summary",
        &[
            ("count", FluentValue::from(unwritten.failures)),
            ("cap", FluentValue::from(PER_HOUR)),
        ],
    );
    NewIntegrationLog {
        base_url: config.public_link(""),
        full_url: Some(config.public_link("/admin/logs")),
        method: None,
        response_code: None,
        response: None,
        request: Some(LogRequest {
            headers: None,
            payload: Some(serde_json::json!({
                "failures_not_written": unwritten.failures,
                "first_not_written_at": unwritten
                    .since
                    .map(|t| wire_timestamp(&t.and_utc(), WireStyle::Compact)),
                "per_hour": PER_HOUR,
            })),
        }),
        created_at: Some(wire_timestamp(&now.and_utc(), WireStyle::Compact)),
        exception_type: Some(SUMMARY_TYPE.to_string()),
        exception: Some(exception),
    }
}

/// Failures not written individually since the last summary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Unwritten {
    pub failures: i32,
    /// When the first of them was counted.
    pub since: Option<NaiveDateTime>,
}

/// What the cap allows for one failure (see [`admit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission {
    /// Write this summary entry first.
    pub summary: Option<Unwritten>,
    /// Write the failure's own entry (otherwise it was counted).
    pub entry: bool,
    /// The failure is the first one counted since the last summary (the
    /// action log says so, once).
    pub first_counted: bool,
}

/// The company's failures not written individually so far.
pub fn unwritten(conn: &mut DbConn, company_id: i64) -> DbResult<Unwritten> {
    let row: Option<(i32, Option<NaiveDateTime>)> = un::table
        .find(company_id)
        .select((un::failures, un::since))
        .first(conn)
        .optional()?;
    Ok(row
        .map(|(failures, since)| Unwritten { failures, since })
        .unwrap_or_default())
}

/// Decide, at `now`, what one failure of the company may write, and reserve
/// it: a pending summary first, then the failure's own entry, each taking
/// one of the [`PER_HOUR`] writes of the last hour; what does not fit is
/// counted. One transaction holding the company's row, so concurrent jobs
/// of a company never reserve more than the cap.
pub fn admit(conn: &mut DbConn, company_id: i64, now: NaiveDateTime) -> DbResult<Admission> {
    conn.write_transaction(|c| {
        let fresh = (
            un::company_id.eq(company_id),
            un::failures.eq(0),
            un::since.eq(None::<NaiveDateTime>),
        );
        match c {
            DbConn::Postgres(pg) => diesel::insert_into(un::table)
                .values(fresh)
                .on_conflict_do_nothing()
                .execute(pg)?,
            DbConn::Sqlite(lite) => diesel::insert_into(un::table)
                .values(fresh)
                .on_conflict_do_nothing()
                .execute(lite)?,
        };
        // Take the row's lock (PostgreSQL; SQLite's write transaction holds
        // the database's) before counting.
        diesel::update(un::table.find(company_id))
            .set(un::failures.eq(un::failures))
            .execute(c)?;
        let mine = w::table.filter(w::company_id.eq(company_id));
        diesel::delete(mine.filter(w::written_at.le(now - window()))).execute(c)?;
        let written: i64 = mine.count().get_result(c)?;
        let mut free = PER_HOUR - written;
        let mut pending = unwritten(c, company_id)?;
        let mut admission = Admission {
            summary: None,
            entry: false,
            first_counted: false,
        };
        let reserve = |c: &mut DbConn| {
            diesel::insert_into(w::table)
                .values((w::company_id.eq(company_id), w::written_at.eq(now)))
                .execute(c)
        };
        if pending.failures > 0 && free > 0 {
            admission.summary = Some(pending);
            pending = Unwritten::default();
            free -= 1;
            reserve(c)?;
        }
        if free > 0 {
            admission.entry = true;
            reserve(c)?;
        } else {
            admission.first_counted = pending.failures == 0;
            pending.failures += 1;
            pending.since = pending.since.or(Some(now));
        }
        diesel::update(un::table.find(company_id))
            .set((
                un::failures.eq(pending.failures),
                un::since.eq(pending.since),
            ))
            .execute(c)?;
        Ok(admission)
    })
}

/// What [`write`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    /// Sendcloud took it: the entry's id.
    Entry(i64),
    /// Not written; the action log has the problem.
    Not(crate::problem::Problem),
    /// Beyond the cap: counted for the next summary entry.
    Counted,
}

/// Post the entry, within the cap ([`admit`]): first a pending summary,
/// then the failure's own entry, or count it. Every post is one action-log
/// row (and the start of counting one more); only our own database failing
/// is an error.
pub async fn write(ctx: &Context, job: &IntegrationLogJob) -> Result<Written, JobError> {
    use crate::problem::{Problem as Fact_, ProblemCode};
    let company_id = job.company_id;
    let config = ctx.config.clone();
    let now = Utc::now().naive_utc();
    let (integration, lang, admission) = ctx
        .db
        .run(move |c| {
            let integration = crate::account::view(c, company_id)?.sendcloud_integration_id;
            let lang = language(c, company_id, &config.manifest)?;
            let admission = match integration {
                Some(_) => Some(admit(c, company_id, now)?),
                None => None,
            };
            Ok((integration, lang, admission))
        })
        .await?;
    let (Some(id), Some(admission)) = (integration, admission) else {
        let outcome = Written::Not(Fact_::new(ProblemCode::NotConnected));
        record(ctx, job, &outcome, None).await?;
        return Ok(outcome);
    };
    let i18n = I18n::shared().map_err(JobError)?;
    if let Some(summary) = admission.summary {
        let entry = summary_entry(&ctx.config, &summary, now, i18n, &lang);
        let started = std::time::Instant::now();
        let outcome = post(ctx, company_id, id, &entry).await?;
        let ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let (ok, status, fact) = match &outcome {
            Ok(e) => (
                true,
                Some(201),
                Fact::new("log-integration-log-summary").arg("entry", *e),
            ),
            Err(problem) => (
                false,
                problem.status.map(i32::from),
                Fact::new("log-integration-log-summary-failed").with_problem(problem.clone()),
            ),
        };
        let fact = fact.arg("count", summary.failures);
        log(
            ctx,
            company_id,
            "summary",
            Direction::Outgoing,
            (ok, status),
            fact,
            Some(ms),
        )
        .await?;
    }
    if !admission.entry {
        if admission.first_counted {
            let fact = Fact::new("log-integration-log-capped")
                .arg("delivery", job.delivery_id)
                .arg("cap", PER_HOUR);
            log(
                ctx,
                company_id,
                &job.external_reference_id,
                Direction::Internal,
                (true, None),
                fact,
                None,
            )
            .await?;
        }
        return Ok(Written::Counted);
    }
    let started = std::time::Instant::now();
    let entry = entry(&ctx.config, job, i18n, &lang);
    let outcome = match post(ctx, company_id, id, &entry).await? {
        Ok(created) => Written::Entry(created),
        Err(problem) => Written::Not(problem),
    };
    let ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    record(ctx, job, &outcome, Some(ms)).await?;
    Ok(outcome)
}

/// One post to the integration's log: the entry's id, or why not.
async fn post(
    ctx: &Context,
    company_id: i64,
    integration_id: i64,
    entry: &NewIntegrationLog,
) -> Result<Result<i64, crate::problem::Problem>, JobError> {
    use crate::problem::{Problem as Fact_, ProblemCode};
    Ok(match crate::account::client_for(ctx, company_id).await {
        Err(crate::account::ClientError::Sendcloud(e)) => Err(Fact_::from_sendcloud(&e)),
        Err(crate::account::ClientError::Db(e)) => return Err(e.into()),
        Err(crate::account::ClientError::NotConnected) => {
            Err(Fact_::new(ProblemCode::NotConnected))
        }
        Ok(client) => match client.create_integration_log(integration_id, entry).await {
            Ok(created) => Ok(created.id),
            Err(e) => Err(Fact_::from_sendcloud(&e)),
        },
    })
}

/// The action-log row of a failure's own entry.
async fn record(
    ctx: &Context,
    job: &IntegrationLogJob,
    outcome: &Written,
    ms: Option<i64>,
) -> Result<(), JobError> {
    let (ok, status, fact) = match outcome {
        Written::Entry(entry) => (
            true,
            Some(201),
            Fact::new("log-integration-log-written")
                .arg("delivery", job.delivery_id)
                .arg("entry", *entry),
        ),
        Written::Not(problem) => (
            false,
            problem.status.map(i32::from),
            Fact::new("log-integration-log-failed")
                .arg("delivery", job.delivery_id)
                .with_problem(problem.clone()),
        ),
        Written::Counted => return Ok(()),
    };
    log(
        ctx,
        job.company_id,
        &job.external_reference_id,
        Direction::Outgoing,
        (ok, status),
        fact,
        ms,
    )
    .await
}

/// One `labels.integration_log` action-log row.
async fn log(
    ctx: &Context,
    company_id: i64,
    target: &str,
    direction: Direction,
    (ok, status): (bool, Option<i32>),
    fact: Fact,
    ms: Option<i64>,
) -> Result<(), JobError> {
    let target = target.to_string();
    let message = fact.to_message();
    ctx.db
        .run(move |c| {
            actionlog::record_with(
                c,
                &Action {
                    company_id: Some(company_id),
                    direction,
                    action: ACTION,
                    target: &target,
                    ok,
                    status_code: status,
                    message: &message,
                    user_name: None,
                },
                &actionlog::Extra {
                    duration_ms: ms,
                    payload: None,
                },
            )
        })
        .await?;
    Ok(())
}
