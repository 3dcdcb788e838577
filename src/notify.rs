//! Failures reach a person: incidents and their notifications.
//!
//! An *incident* is a failure that lasts (`sendcloud_incidents`, at most one
//! open per company and kind). [`notify_failure`] records each failure and,
//! once the [`Threshold`] is reached, tells the company's responsible person
//! exactly once: the incident's `notified_at` is set in the same transaction
//! that queues the [`NotifyJob`]s (one per channel: e-mail over SMTP with
//! `lettre`, a signed webhook POST to the host), so a restart, a second
//! instance or a retried job never tells twice. [`notify_recovered`] closes
//! the incident and, if someone was told, queues the all-clear.
//!
//! The automatic Abgleich calls [`sync_outcome`] at the end of each run
//! (thresholds from the company's settings, defaults in plugin.toml
//! `[notifications]`); other features call [`notify_failure`] /
//! [`notify_recovered`] with their own kind (e.g. `label`) and
//! [`Threshold::IMMEDIATE`].
//!
//! What is sent is rendered from facts (the stored [`Problem`]) in the
//! recipient's language when the job runs.

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use fluent_bundle::FluentValue;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::actionlog::{self, Action, Direction, Fact};
use crate::config::NotifyDefaults;
use crate::context::Context;
use crate::db::schema::{sendcloud_incidents as inc, sendcloud_notify_settings as ns};
use crate::db::{DbConn, DbResult};
use crate::i18n::I18n;
use crate::jobs::{enqueue_job, JobError, JobKind};
use crate::problem::Problem;

/// The incident kind of the automatic Abgleich.
pub const KIND_SYNC: &str = "sync";

/// Who hears of failures of a company, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifySettings {
    pub email: Option<String>,
    pub webhook_url: Option<String>,
    /// Notify after this many failures in a row (0: not by count).
    pub after_failed_runs: i32,
    /// Notify when the first failure is this many hours old (0: not by time).
    pub after_hours: i32,
    /// The language of the e-mails and webhook texts.
    pub language: String,
}

impl NotifySettings {
    pub fn defaults(d: &NotifyDefaults, language: &str) -> NotifySettings {
        NotifySettings {
            email: None,
            webhook_url: None,
            after_failed_runs: d.after_failed_runs,
            after_hours: d.after_hours,
            language: language.to_string(),
        }
    }

    pub fn threshold(&self) -> Threshold {
        Threshold {
            after_failures: self.after_failed_runs,
            after_hours: self.after_hours,
        }
    }
}

/// A company's notification settings (the defaults until saved).
pub fn settings(
    conn: &mut DbConn,
    company_id: i64,
    defaults: &NotifyDefaults,
    language: &str,
) -> DbResult<NotifySettings> {
    type Row = (Option<String>, Option<String>, i32, i32, String);
    let row: Option<Row> = ns::table
        .find(company_id)
        .select((
            ns::email,
            ns::webhook_url,
            ns::after_failed_runs,
            ns::after_hours,
            ns::language,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((email, webhook_url, after_failed_runs, after_hours, language)) => NotifySettings {
            email,
            webhook_url,
            after_failed_runs,
            after_hours,
            language,
        },
        None => NotifySettings::defaults(defaults, language),
    })
}

/// A field of the notification form that was refused, with its message id.
pub type FieldProblem = (&'static str, &'static str);

/// Check what the form sent; the message ids say what is wrong per field.
pub fn validate(
    email: &str,
    webhook_url: &str,
    after_failed_runs: &str,
    after_hours: &str,
    language: &str,
) -> Result<NotifySettings, Vec<FieldProblem>> {
    let mut errors = vec![];
    let email = email.trim();
    let email = if email.is_empty() {
        None
    } else if email.parse::<lettre::Address>().is_ok() {
        Some(email.to_string())
    } else {
        errors.push(("notify_email", "notify-error-email"));
        None
    };
    let url = webhook_url.trim();
    let webhook_url = if url.is_empty() {
        None
    } else if url::Url::parse(url).is_ok_and(|u| u.scheme() == "https" || u.scheme() == "http") {
        Some(url.to_string())
    } else {
        errors.push(("notify_webhook_url", "notify-error-url"));
        None
    };
    let number = |s: &str, field: &'static str, errors: &mut Vec<FieldProblem>| match s
        .trim()
        .parse::<i32>()
    {
        Ok(n) if (0..=1000).contains(&n) => n,
        _ => {
            errors.push((field, "notify-error-number"));
            0
        }
    };
    let after_failed_runs = number(after_failed_runs, "notify_after_failed_runs", &mut errors);
    let after_hours = number(after_hours, "notify_after_hours", &mut errors);
    if !crate::i18n::I18n::supports(language) {
        errors.push(("notify_language", "notify-error-language"));
    }
    if errors.is_empty() {
        Ok(NotifySettings {
            email,
            webhook_url,
            after_failed_runs,
            after_hours,
            language: language.to_string(),
        })
    } else {
        Err(errors)
    }
}

/// Save a company's notification settings, with an action-log entry.
pub fn save_settings(
    conn: &mut DbConn,
    company_id: i64,
    s: &NotifySettings,
    user: &str,
) -> DbResult<()> {
    let now = Utc::now().naive_utc();
    conn.write_transaction(|c| {
        let values = (
            ns::email.eq(s.email.as_deref()),
            ns::webhook_url.eq(s.webhook_url.as_deref()),
            ns::after_failed_runs.eq(s.after_failed_runs),
            ns::after_hours.eq(s.after_hours),
            ns::language.eq(&s.language),
            ns::updated_at.eq(now),
        );
        let n = diesel::update(ns::table.find(company_id))
            .set(values)
            .execute(c)?;
        if n == 0 {
            diesel::insert_into(ns::table)
                .values((ns::company_id.eq(company_id), values))
                .execute(c)?;
        }
        actionlog::record(
            c,
            &Action {
                company_id: Some(company_id),
                direction: Direction::Internal,
                action: "notify.settings",
                target: "notifications",
                ok: true,
                status_code: None,
                message: &Fact::new("log-notify-settings").to_message(),
                user_name: Some(user),
            },
        )
    })
}

/// When a failure is worth telling someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold {
    /// After this many failures in a row (0: not by count).
    pub after_failures: i32,
    /// When the first failure is this many hours old (0: not by time).
    pub after_hours: i32,
}

impl Threshold {
    /// Tell at the first failure.
    pub const IMMEDIATE: Threshold = Threshold {
        after_failures: 1,
        after_hours: 0,
    };

    fn reached(&self, failures: i32, opened_at: NaiveDateTime, now: NaiveDateTime) -> bool {
        (self.after_failures > 0 && failures >= self.after_failures)
            || (self.after_hours > 0
                && now - opened_at >= Duration::hours(i64::from(self.after_hours)))
    }
}

/// A failure someone may have to hear of.
#[derive(Debug, Clone)]
pub struct Incident<'a> {
    pub company_id: i64,
    /// What failed: [`KIND_SYNC`], `label`, … (one open incident per kind).
    pub kind: &'a str,
    pub problem: Problem,
    /// What it concerns, shown in the message (e.g. an object type key or a
    /// delivery number); facts, not a sentence.
    pub subject: Option<&'a str>,
}

/// An incident as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = inc)]
pub struct IncidentRow {
    pub id: i64,
    pub company_id: i64,
    pub kind: String,
    pub opened_at: NaiveDateTime,
    pub failures: i32,
    pub last_failure_at: NaiveDateTime,
    pub problem: String,
    pub subject: Option<String>,
    pub notified_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub all_clear_at: Option<NaiveDateTime>,
}

fn open_incident(conn: &mut DbConn, company_id: i64, kind: &str) -> DbResult<Option<IncidentRow>> {
    Ok(inc::table
        .filter(
            inc::company_id
                .eq(company_id)
                .and(inc::kind.eq(kind))
                .and(inc::resolved_at.is_null()),
        )
        .select(IncidentRow::as_select())
        .first(conn)
        .optional()?)
}

/// The incidents of a company, newest first.
pub fn incidents(conn: &mut DbConn, company_id: i64) -> DbResult<Vec<IncidentRow>> {
    Ok(inc::table
        .filter(inc::company_id.eq(company_id))
        .order(inc::id.desc())
        .select(IncidentRow::as_select())
        .load(conn)?)
}

/// Record a failure. Opens the incident at the first failure, counts the
/// later ones, and once `threshold` is reached queues the notification
/// (once per incident). `Ok(true)` when it queued one now. Call it inside
/// the transaction that records the failure.
pub fn notify_failure(
    conn: &mut DbConn,
    incident: &Incident<'_>,
    threshold: Threshold,
    now: NaiveDateTime,
) -> DbResult<bool> {
    let problem = incident.problem.to_json();
    let row = match open_incident(conn, incident.company_id, incident.kind)? {
        Some(row) => {
            diesel::update(inc::table.find(row.id))
                .set((
                    inc::failures.eq(row.failures + 1),
                    inc::last_failure_at.eq(now),
                    inc::problem.eq(&problem),
                    inc::subject.eq(incident.subject),
                ))
                .execute(conn)?;
            IncidentRow {
                failures: row.failures + 1,
                ..row
            }
        }
        None => {
            diesel::insert_into(inc::table)
                .values((
                    inc::company_id.eq(incident.company_id),
                    inc::kind.eq(incident.kind),
                    inc::opened_at.eq(now),
                    inc::failures.eq(1),
                    inc::last_failure_at.eq(now),
                    inc::problem.eq(&problem),
                    inc::subject.eq(incident.subject),
                ))
                .execute(conn)?;
            open_incident(conn, incident.company_id, incident.kind)?
                .ok_or_else(|| crate::db::DbError::Query(diesel::result::Error::NotFound))?
        }
    };
    if row.notified_at.is_some() || !threshold.reached(row.failures, row.opened_at, now) {
        return Ok(false);
    }
    // Only the caller that sets `notified_at` queues: once per incident.
    let claimed =
        diesel::update(inc::table.filter(inc::id.eq(row.id).and(inc::notified_at.is_null())))
            .set(inc::notified_at.eq(now))
            .execute(conn)?;
    if claimed == 0 {
        return Ok(false);
    }
    queue_jobs(conn, row.company_id, row.id, Event::Failure)?;
    Ok(true)
}

/// The failure of `kind` is over: close the open incident and, if someone
/// was told of it, queue the all-clear. `Ok(true)` when it queued one.
pub fn notify_recovered(
    conn: &mut DbConn,
    company_id: i64,
    kind: &str,
    now: NaiveDateTime,
) -> DbResult<bool> {
    let Some(row) = open_incident(conn, company_id, kind)? else {
        return Ok(false);
    };
    let closed =
        diesel::update(inc::table.filter(inc::id.eq(row.id).and(inc::resolved_at.is_null())))
            .set(inc::resolved_at.eq(now))
            .execute(conn)?;
    if closed == 0 || row.notified_at.is_none() {
        return Ok(false);
    }
    diesel::update(inc::table.find(row.id))
        .set(inc::all_clear_at.eq(now))
        .execute(conn)?;
    queue_jobs(conn, company_id, row.id, Event::Recovered)?;
    Ok(true)
}

/// The end of an Abgleich run: a failed automatic run counts towards the
/// incident (thresholds from the company's settings), any run that
/// succeeds ends it.
pub fn sync_outcome(
    conn: &mut DbConn,
    defaults: &NotifyDefaults,
    company_id: i64,
    automatic: bool,
    failed: Option<(&str, &Problem)>,
    now: NaiveDateTime,
) -> DbResult<()> {
    match failed {
        None => {
            notify_recovered(conn, company_id, KIND_SYNC, now)?;
        }
        Some((object, problem)) if automatic => {
            let threshold =
                settings(conn, company_id, defaults, crate::i18n::DEFAULT_LANGUAGE)?.threshold();
            notify_failure(
                conn,
                &Incident {
                    company_id,
                    kind: KIND_SYNC,
                    problem: problem.clone(),
                    subject: Some(object),
                },
                threshold,
                now,
            )?;
        }
        Some(_) => {}
    }
    Ok(())
}

/// What a notification says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Failure,
    Recovered,
}

/// The way a notification goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Webhook,
}

impl Channel {
    fn as_str(&self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }
}

fn queue_jobs(conn: &mut DbConn, company_id: i64, incident_id: i64, event: Event) -> DbResult<()> {
    for channel in [Channel::Email, Channel::Webhook] {
        enqueue_job(
            conn,
            &NotifyJob {
                company_id,
                incident_id,
                event,
                channel,
            },
        )?;
    }
    Ok(())
}

/// Send one notification of an incident on one channel (a channel the
/// company has not set up is skipped). Retried with the queue's backoff
/// when the server does not take it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotifyJob {
    pub company_id: i64,
    pub incident_id: i64,
    pub event: Event,
    pub channel: Channel,
}

impl JobKind for NotifyJob {
    const KIND: &'static str = "notify";

    fn company_id(&self) -> Option<i64> {
        Some(self.company_id)
    }

    fn dedupe_key(&self) -> Option<String> {
        Some(format!(
            "notify:{}:{:?}:{}",
            self.incident_id,
            self.event,
            self.channel.as_str()
        ))
    }

    fn run(self, ctx: Context) -> BoxFuture<'static, Result<(), JobError>> {
        Box::pin(async move { send(&ctx, &self).await })
    }
}

fn i18n() -> Result<&'static I18n, JobError> {
    I18n::shared().map_err(JobError)
}

/// The text of a notification: subject and body lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// Render a notification in `lang`.
pub fn render(
    i18n: &I18n,
    lang: &str,
    company: &str,
    incident: &IncidentRow,
    event: Event,
    link: &str,
) -> Message {
    let problem = Problem::from_json(&incident.problem);
    let what = incident
        .subject
        .as_deref()
        .map(|s| match incident.kind.as_str() {
            KIND_SYNC => i18n.text(lang, &format!("object-{}", s.replace('_', "-"))),
            _ => s.to_string(),
        });
    let kind = i18n.text(lang, &format!("notify-kind-{}", incident.kind));
    let v = |s: &str| FluentValue::from(s.to_string());
    let since = incident.opened_at.format("%d.%m.%Y %H:%M UTC").to_string();
    let args = [
        ("company", v(company)),
        ("kind", v(&kind)),
        ("since", v(&since)),
        ("failures", FluentValue::from(incident.failures)),
        ("link", v(link)),
    ];
    match event {
        Event::Failure => {
            let cause = problem
                .map(|p| p.render(i18n, lang, what.as_deref()))
                .unwrap_or_default();
            Message {
                subject: i18n.text_with(lang, "notify-failure-subject", &args),
                body: [
                    i18n.text_with(lang, "notify-failure-intro", &args),
                    cause,
                    i18n.text_with(lang, "notify-failure-action", &args),
                    i18n.text(lang, "notify-once"),
                ]
                .join("\n\n"),
            }
        }
        Event::Recovered => Message {
            subject: i18n.text_with(lang, "notify-recovered-subject", &args),
            body: i18n.text_with(lang, "notify-recovered-body", &args),
        },
    }
}

async fn send(ctx: &Context, job: &NotifyJob) -> Result<(), JobError> {
    let (company_id, incident_id) = (job.company_id, job.incident_id);
    let defaults = ctx.config.manifest.notifications;
    let lang = ctx.config.manifest.plugin.default_language.clone();
    let host = ctx.host.clone();
    let loaded = ctx
        .db
        .run(move |c| {
            let s = settings(c, company_id, &defaults, &lang)?;
            let incident: Option<IncidentRow> = inc::table
                .find(incident_id)
                .select(IncidentRow::as_select())
                .first(c)
                .optional()?;
            let company = host.company(c, company_id)?.map(|co| co.name);
            Ok((s, incident, company))
        })
        .await?;
    let (s, Some(incident), company) = loaded else {
        return Ok(());
    };
    let company = company.unwrap_or_else(|| format!("#{company_id}"));
    let link = ctx.config.public_link("/admin/config");
    let message = render(i18n()?, &s.language, &company, &incident, job.event, &link);
    let result = match job.channel {
        Channel::Email => match (&s.email, &ctx.config.smtp_url) {
            (Some(to), Some(url)) => send_mail(url, &ctx.config.smtp_from, to, &message).await,
            (Some(_), None) => Err("no SMTP server configured (SENDCLOUD_PLUGIN_SMTP_URL)".into()),
            (None, _) => return Ok(()),
        },
        Channel::Webhook => match &s.webhook_url {
            Some(url) => send_webhook(ctx, url, job, &incident, &company, &message).await,
            None => return Ok(()),
        },
    };
    let ok = result.is_ok();
    let fact = Fact::new(if ok {
        "log-notify-sent"
    } else {
        "log-notify-failed"
    })
    .arg("channel", job.channel.as_str())
    .arg(
        "event",
        match job.event {
            Event::Failure => "failure",
            Event::Recovered => "recovered",
        },
    );
    let fact = match &result {
        Err(e) => fact.arg("detail", e.clone()),
        Ok(()) => fact,
    };
    let action = format!("notify.{}", job.channel.as_str());
    ctx.db
        .run(move |c| {
            actionlog::record(
                c,
                &Action {
                    company_id: Some(company_id),
                    direction: Direction::Outgoing,
                    action: &action,
                    target: "notifications",
                    ok,
                    status_code: None,
                    message: &fact.to_message(),
                    user_name: None,
                },
            )
        })
        .await?;
    result.map_err(JobError)
}

/// One e-mail over SMTP (`smtp://` plain or with `?tls=required`,
/// `smtps://` TLS; user and password in the URL).
async fn send_mail(url: &str, from: &str, to: &str, m: &Message) -> Result<(), String> {
    use lettre::message::header::ContentType;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
    let email = lettre::Message::builder()
        .from(from.parse().map_err(|e| format!("sender {from:?}: {e}"))?)
        .to(to.parse().map_err(|e| format!("recipient: {e}"))?)
        .subject(&m.subject)
        .header(ContentType::TEXT_PLAIN)
        .body(m.body.clone())
        .map_err(|e| format!("message: {e}"))?;
    // The URL may hold a password: errors never quote it.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| format!("SMTP URL: {e}"))?
        .timeout(Some(std::time::Duration::from_secs(20)))
        .build();
    transport
        .send(email)
        .await
        .map(|_| ())
        .map_err(|e| format!("SMTP: {e}"))
}

/// The body of a notification webhook.
#[derive(Debug, Serialize)]
struct WebhookBody<'a> {
    event: &'static str,
    company_id: i64,
    company: &'a str,
    kind: &'a str,
    incident_id: i64,
    opened_at: String,
    failures: i32,
    subject: Option<&'a str>,
    problem: Option<Problem>,
    /// The notification rendered in the recipient's language.
    title: &'a str,
    text: &'a str,
}

/// Header with the HMAC-SHA256 (hex) of the body under the host secret.
pub const SIGNATURE_HEADER: &str = "X-Sendcloud-Plugin-Signature";

/// The signature of a webhook body (`sha256=<hex>`).
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

async fn send_webhook(
    ctx: &Context,
    url: &str,
    job: &NotifyJob,
    incident: &IncidentRow,
    company: &str,
    m: &Message,
) -> Result<(), String> {
    let body = WebhookBody {
        event: match job.event {
            Event::Failure => "incident.opened",
            Event::Recovered => "incident.resolved",
        },
        company_id: job.company_id,
        company,
        kind: &incident.kind,
        incident_id: incident.id,
        opened_at: crate::sendcloud::de::wire_naive(&incident.opened_at),
        failures: incident.failures,
        subject: incident.subject.as_deref(),
        problem: Problem::from_json(&incident.problem),
        title: &m.subject,
        text: &m.body,
    };
    let bytes = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
    // Signed with the host's token secret (the host already holds it); a
    // module without one signs with a key derived from its master key.
    let secret: Vec<u8> = match &ctx.config.host_token_secret {
        Some(s) => s.as_bytes().to_vec(),
        None => ctx.secrets.derive("notify-webhook").to_vec(),
    };
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .map_err(|e| e.to_string())?;
    let res = client
        .post(url)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, sign(&secret, &bytes))
        .header("Idempotency-Key", job.dedupe_key().unwrap_or_default())
        .body(bytes)
        .send()
        .await
        .map_err(|e| format!("webhook: {}", e.without_url()))?;
    if res.status().is_success() {
        Ok(())
    } else {
        Err(format!("webhook: HTTP {}", res.status().as_u16()))
    }
}
