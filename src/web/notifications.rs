//! Konfiguration → Lager → Sendcloud → Benachrichtigungen
//! (`/admin/notifications`): who hears of a failing automatic Abgleich, and
//! the company's incidents; and where the host hears of label changes (the
//! events hook, its outbox counts and parked events, `crate::hostevents`).
//! Thin: the rules are in `crate::notify` and `crate::hostevents`.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::auth::{AdminCtx, Configure};
use super::error::WebError;
use super::layout::{html, layout_for, see_other, Layout};
use super::session::{self, CsrfForm};
use super::AppState;
use crate::host::Company;
use crate::notify::{self, FieldProblem, IncidentRow, NotifySettings};
use crate::problem::Problem;
use crate::sync::SyncObject;

/// The form's values as typed (kept after a refused save).
pub struct FormValues {
    pub email: String,
    pub webhook_url: String,
    pub after_failed_runs: String,
    pub after_hours: String,
    pub language: String,
}

impl FormValues {
    fn of(s: &NotifySettings) -> FormValues {
        FormValues {
            email: s.email.clone().unwrap_or_default(),
            webhook_url: s.webhook_url.clone().unwrap_or_default(),
            after_failed_runs: s.after_failed_runs.to_string(),
            after_hours: s.after_hours.to_string(),
            language: s.language.clone(),
        }
    }
}

/// An incident as the page lists it.
pub struct IncidentLine {
    pub opened: chrono::NaiveDateTime,
    pub failures: i32,
    pub state: String,
    pub problem: String,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    l: Layout,
    company: Company,
    form: FormValues,
    errors: Vec<FieldProblem>,
    smtp_configured: bool,
    incidents: Vec<IncidentLine>,
    /// The host events hook (URL; whether a secret is stored).
    events_hook: Option<crate::hostevents::EventHook>,
    events_counts: crate::hostevents::OutboxCounts,
    parked: Vec<crate::hostevents::OutboxRow>,
}

impl NotificationsPage {
    fn error_of(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| *m)
    }
}

fn line(l: &Layout, i: &IncidentRow) -> IncidentLine {
    let mut state = l.t(if i.resolved_at.is_some() {
        "notify-resolved"
    } else {
        "notify-open"
    });
    state.push_str(", ");
    state.push_str(&l.t(if i.notified_at.is_some() {
        "notify-notified"
    } else {
        "notify-not-notified"
    }));
    let object = (i.kind == notify::KIND_SYNC)
        .then(|| i.subject.as_deref().and_then(SyncObject::parse))
        .flatten();
    IncidentLine {
        opened: i.opened_at,
        failures: i.failures,
        state,
        problem: Problem::from_json(&i.problem)
            .map(|p| l.problem(object, &p))
            .unwrap_or_default(),
    }
}

async fn render(
    state: &AppState,
    req: &HttpRequest,
    session: &Session,
    ctx: &AdminCtx<Configure>,
    form: Option<(FormValues, Vec<FieldProblem>)>,
) -> Result<HttpResponse, WebError> {
    let company_id = ctx.company.id;
    let defaults = state.config.manifest.notifications;
    let lang = session::language(session);
    let (saved, incidents, events_hook, events_counts, parked) = state
        .db
        .run(move |c| {
            Ok((
                notify::settings(c, company_id, &defaults, &lang)?,
                notify::incidents(c, company_id)?,
                crate::hostevents::hook(c, company_id)?,
                crate::hostevents::counts(c, company_id)?,
                crate::hostevents::events(c, company_id, crate::hostevents::STATE_PARKED, 20)?,
            ))
        })
        .await?;
    let l = layout_for(
        state,
        req,
        session,
        "config",
        &ctx.user,
        ctx.companies(),
        "notify-title",
    );
    let (form, errors) = form.unwrap_or_else(|| (FormValues::of(&saved), vec![]));
    let status_ok = errors.is_empty();
    let page = NotificationsPage {
        incidents: incidents.iter().take(20).map(|i| line(&l, i)).collect(),
        l,
        company: ctx.company.clone(),
        form,
        errors,
        smtp_configured: state.config.smtp_url.is_some(),
        events_hook,
        events_counts,
        parked,
    };
    let body = page.render()?;
    Ok(if status_ok {
        html(body)
    } else {
        HttpResponse::UnprocessableEntity()
            .content_type("text/html; charset=utf-8")
            .body(body)
    })
}

pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: AdminCtx<Configure>,
) -> Result<HttpResponse, WebError> {
    render(&state, &req, &session, &ctx, None).await
}

#[derive(Deserialize)]
pub struct NotifyForm {
    #[serde(default)]
    notify_email: String,
    #[serde(default)]
    notify_webhook_url: String,
    #[serde(default)]
    notify_after_failed_runs: String,
    #[serde(default)]
    notify_after_hours: String,
    #[serde(default)]
    notify_language: String,
}

pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: AdminCtx<Configure>,
    form: CsrfForm<NotifyForm>,
) -> Result<HttpResponse, WebError> {
    let f = form.0;
    match notify::validate(
        &f.notify_email,
        &f.notify_webhook_url,
        &f.notify_after_failed_runs,
        &f.notify_after_hours,
        &f.notify_language,
    ) {
        Ok(settings) => {
            let (company_id, user) = (ctx.company.id, ctx.user.name.clone());
            state
                .db
                .run(move |c| notify::save_settings(c, company_id, &settings, &user))
                .await?;
            let text = state
                .i18n
                .text(&session::language(&session), "notify-saved");
            session::push_flash(&session, "success", text);
            Ok(see_other(&format!(
                "{}/admin/notifications",
                state.config.mount_path()
            )))
        }
        Err(errors) => {
            let values = FormValues {
                email: f.notify_email,
                webhook_url: f.notify_webhook_url,
                after_failed_runs: f.notify_after_failed_runs,
                after_hours: f.notify_after_hours,
                language: f.notify_language,
            };
            render(&state, &req, &session, &ctx, Some((values, errors))).await
        }
    }
}

#[derive(Deserialize)]
pub struct EventsForm {
    #[serde(default)]
    events_url: String,
    /// Empty: keep the stored secret.
    #[serde(default)]
    events_secret: String,
    /// Ticked: remove the stored secret (sign with the host token secret).
    #[serde(default)]
    events_secret_clear: Option<String>,
}

/// Save where the host hears of label changes.
pub async fn save_events(
    state: web::Data<AppState>,
    session: Session,
    ctx: AdminCtx<Configure>,
    form: CsrfForm<EventsForm>,
) -> Result<HttpResponse, WebError> {
    let f = form.0;
    let lang = session::language(&session);
    let secret = if f.events_secret_clear.is_some() {
        crate::hostevents::SecretChange::Clear
    } else if f.events_secret.trim().is_empty() {
        crate::hostevents::SecretChange::Keep
    } else {
        crate::hostevents::SecretChange::Set(f.events_secret)
    };
    let (company_id, user, secrets) =
        (ctx.company.id, ctx.user.name.clone(), state.secrets.clone());
    let saved = state
        .db
        .run(move |c| {
            match crate::hostevents::save_hook(
                c,
                &secrets,
                company_id,
                &f.events_url,
                secret,
                &user,
            ) {
                Ok(()) => Ok(None),
                Err(crate::db::DbError::Invalid(id)) => Ok(Some(id)),
                Err(e) => Err(e),
            }
        })
        .await?;
    match saved {
        None => session::push_flash(&session, "success", state.i18n.text(&lang, "events-saved")),
        Some(id) => session::push_flash(&session, "error", state.i18n.text(&lang, &id)),
    }
    Ok(see_other(&format!(
        "{}/admin/notifications",
        state.config.mount_path()
    )))
}

/// Send the parked events again.
pub async fn retry_events(
    state: web::Data<AppState>,
    session: Session,
    ctx: AdminCtx<Configure>,
    _form: CsrfForm<RetryForm>,
) -> Result<HttpResponse, WebError> {
    let company_id = ctx.company.id;
    let n = state
        .db
        .run(move |c| crate::hostevents::requeue_parked(c, company_id))
        .await?;
    let text = state.i18n.text_with(
        &session::language(&session),
        "events-requeued",
        &[("n", fluent_bundle::FluentValue::from(n as u64))],
    );
    session::push_flash(&session, "success", text);
    Ok(see_other(&format!(
        "{}/admin/notifications",
        state.config.mount_path()
    )))
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize)]
pub struct RetryForm {}
