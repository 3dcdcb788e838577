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
//! **What goes out**: the module's address as `base_url`, the Logs page as
//! `full_url`, Sendcloud's status of a refusal as `response_code`, the kind
//! (`label_check`: our pre-flight; `field_rejected`: Sendcloud refused) as
//! `exception_type`, one line naming order, delivery, reference and the
//! codes/fields as `exception`, and the same as facts in `request.payload`
//! (delivery id, order number, reference, problems with Sendcloud's message
//! per field). No headers, no keys; free text goes through
//! `actionlog::mask` first.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Label, Problem};
use crate::actionlog::{self, Action, Direction, Fact};
use crate::config::Manifest;
use crate::context::Context;
use crate::db::schema::{sendcloud_labels as l, sendcloud_settings as ss};
use crate::db::{DbConn, DbResult};
use crate::jobs::{enqueue_job, JobError, JobKind};
use crate::sendcloud::de::{wire_timestamp, WireStyle};
use crate::sendcloud::{LogRequest, NewIntegrationLog};

/// The action-log action of an entry written (or not) to Sendcloud.
pub const ACTION: &str = "labels.integration_log";

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

/// What one problem says in the entry: `code (field)`, Sendcloud's with its
/// message.
fn describe(p: &Problem) -> String {
    let what = if p.is_check() {
        p.code.as_str()
    } else {
        "sendcloud"
    };
    let mut s = match p.field.as_str() {
        "" => what.to_string(),
        f => format!("{what} ({f})"),
    };
    if !p.is_check() && !p.detail.is_empty() {
        s.push_str(": ");
        s.push_str(&actionlog::mask::text(&p.detail));
    }
    s
}

/// The entry for Sendcloud (see the module doc).
pub fn entry(config: &crate::config::Config, job: &IntegrationLogJob) -> NewIntegrationLog {
    let kind = if job.problems.iter().all(Problem::is_check) {
        crate::problem::ProblemCode::LabelCheck
    } else {
        crate::problem::ProblemCode::FieldRejected
    };
    let exception = format!(
        "Label not created for order {} (delivery {}, reference {}): {}",
        job.order_number,
        job.delivery_id,
        job.external_reference_id,
        job.problems
            .iter()
            .map(describe)
            .collect::<Vec<_>>()
            .join("; ")
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

/// What [`write`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    /// Sendcloud took it: the entry's id.
    Entry(i64),
    /// Not written; the action log has the problem.
    Not(crate::problem::Problem),
}

/// Post the entry. Every outcome is one action-log row; only our own
/// database failing is an error.
pub async fn write(ctx: &Context, job: &IntegrationLogJob) -> Result<Written, JobError> {
    use crate::problem::{Problem as Fact_, ProblemCode};
    let company_id = job.company_id;
    let integration = ctx
        .db
        .run(move |c| Ok(crate::account::view(c, company_id)?.sendcloud_integration_id))
        .await?;
    let started = std::time::Instant::now();
    let outcome = match integration {
        None => Written::Not(Fact_::new(ProblemCode::NotConnected)),
        Some(id) => match crate::account::client_for(ctx, company_id).await {
            Err(crate::account::ClientError::Sendcloud(e)) => {
                Written::Not(Fact_::from_sendcloud(&e))
            }
            Err(crate::account::ClientError::Db(e)) => return Err(e.into()),
            Err(crate::account::ClientError::NotConnected) => {
                Written::Not(Fact_::new(ProblemCode::NotConnected))
            }
            Ok(client) => match client
                .create_integration_log(id, &entry(&ctx.config, job))
                .await
            {
                Ok(created) => Written::Entry(created.id),
                Err(e) => Written::Not(Fact_::from_sendcloud(&e)),
            },
        },
    };
    let ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (ok, status, message) = match &outcome {
        Written::Entry(entry) => (
            true,
            Some(201),
            Fact::new("log-integration-log-written")
                .arg("delivery", job.delivery_id)
                .arg("entry", *entry)
                .to_message(),
        ),
        Written::Not(problem) => (
            false,
            problem.status.map(i32::from),
            Fact::new("log-integration-log-failed")
                .arg("delivery", job.delivery_id)
                .with_problem(problem.clone())
                .to_message(),
        ),
    };
    let target = job.external_reference_id.clone();
    ctx.db
        .run(move |c| {
            actionlog::record_with(
                c,
                &Action {
                    company_id: Some(company_id),
                    direction: Direction::Outgoing,
                    action: ACTION,
                    target: &target,
                    ok,
                    status_code: status,
                    message: &message,
                    user_name: None,
                },
                &actionlog::Extra {
                    duration_ms: Some(ms),
                    payload: None,
                },
            )
        })
        .await?;
    Ok(outcome)
}
