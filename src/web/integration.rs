//! Handlers of Konfiguration → Lager → Sendcloud → Integration: Setup (the
//! connect flow), hand-entered keys, connection test, disconnect, Abgleich,
//! its progress, and Sendcloud's webhook endpoint. Thin: the work is in
//! `crate::integrations`, `crate::sync` and `crate::jobs`.

use actix_session::Session;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::auth::{AdminCtx, Configure};
use super::error::WebError;
use super::session::{self, CsrfForm};
use super::AppState;
use crate::integrations::{self, ConnectError};
use crate::sync::{self, Requested, SyncObject};
use crate::webhooks::{self, WebhookError, WebhookOutcome};

fn back(state: &AppState) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("{}/admin/config", state.config.mount_path()),
        ))
        .finish()
}

fn t(state: &AppState, session: &Session, id: &str) -> String {
    state.i18n.text(&session::language(session), id)
}

/// A connect or test failure in the session's language.
fn problem_text(state: &AppState, session: &Session, e: &ConnectError) -> String {
    e.problem()
        .render(&state.i18n, &session::language(session), None)
}

#[derive(Deserialize)]
pub struct Empty {}

/// *Setup*: check that our webhook URL answers, then go to Sendcloud's
/// connect page.
pub async fn setup(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { company, .. }: AdminCtx<Configure>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    let (company_id, name) = (company.id, company.name);
    let ctx = state.ctx();
    let token = state
        .db
        .run(move |c| integrations::ensure_row(c, company_id))
        .await?;
    let hook = integrations::webhook_url(&ctx, company_id, &token);
    let reachable = integrations::webhook_reachable(&hook).await;
    if !reachable {
        session::push_flash(
            &session,
            "error",
            format!(
                "{} {}",
                t(&state, &session, "setup-unreachable"),
                state.config.public_url
            ),
        );
        return Ok(back(&state));
    }
    let ctx2 = ctx.clone();
    let shop_name = format!("{name} (Back-Office)");
    let url = state
        .db
        .run(move |c| integrations::begin_connect(&ctx2, c, company_id, &shop_name))
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, url))
        .finish())
}

#[derive(Deserialize)]
pub struct KeysForm {
    public_key: String,
    secret_key: String,
}

/// Keys entered by hand, checked against Sendcloud before they are saved.
pub async fn keys(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { user, company, .. }: AdminCtx<Configure>,
    form: CsrfForm<KeysForm>,
) -> Result<HttpResponse, WebError> {
    let company_id = company.id;
    match integrations::connect_with_keys(
        &state.ctx(),
        company_id,
        &form.0.public_key,
        &form.0.secret_key,
        &user.name,
    )
    .await
    {
        Ok(()) => session::push_flash(&session, "success", t(&state, &session, "keys-saved")),
        Err(ConnectError::Db(e)) => return Err(e.into()),
        Err(e) => session::push_flash(&session, "error", problem_text(&state, &session, &e)),
    }
    Ok(back(&state))
}

pub async fn test(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { company, .. }: AdminCtx<Configure>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    let company_id = company.id;
    match integrations::test_connection(&state.ctx(), company_id).await {
        Ok(n) => session::push_flash(
            &session,
            "success",
            state.i18n.text_with(
                &session::language(&session),
                "test-ok-count",
                &[("n", fluent_bundle::FluentValue::from(n as u64))],
            ),
        ),
        Err(ConnectError::Db(e)) => return Err(e.into()),
        Err(e) => session::push_flash(&session, "error", problem_text(&state, &session, &e)),
    }
    Ok(back(&state))
}

pub async fn disconnect(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { user, company, .. }: AdminCtx<Configure>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    let company_id = company.id;
    let name = user.name.clone();
    state
        .db
        .run(move |c| integrations::disconnect_by(c, company_id, &name))
        .await?;
    session::push_flash(&session, "info", t(&state, &session, "disconnected"));
    Ok(back(&state))
}

/// The Abgleich form: one checkbox per object type, named by its key
/// (`sender_addresses=1`, …).
#[derive(Deserialize)]
pub struct SyncForm {
    #[serde(flatten)]
    fields: std::collections::HashMap<String, String>,
}

/// *Abgleich*: enqueue a run of the ticked objects.
pub async fn sync(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { company, user, .. }: AdminCtx<Configure>,
    form: CsrfForm<SyncForm>,
) -> Result<HttpResponse, WebError> {
    let company_id = company.id;
    let objects: Vec<SyncObject> = SyncObject::ALL
        .into_iter()
        .filter(|o| form.0.fields.contains_key(o.as_str()))
        .collect();
    let user_name = user.name.clone();
    let outcome = state
        .db
        .run(move |c| {
            let outcome = sync::request(c, company_id, "manual", &objects)?;
            if let Requested::Started(run_id) = outcome {
                sync::set_started_by(c, run_id, &user_name)?;
            }
            Ok(outcome)
        })
        .await?;
    let (level, msg) = match outcome {
        Requested::Started(_) => ("info", "sync-started"),
        Requested::AlreadyRunning => ("info", "sync-already-running"),
        Requested::NotConnected => ("error", "needs-connection"),
        Requested::NothingSelected => ("error", "sync-none-selected"),
    };
    session::push_flash(&session, level, t(&state, &session, msg));
    Ok(back(&state))
}

/// The full-resync form: the object, and `confirm=1` from the second step.
#[derive(Deserialize)]
pub struct ResyncForm {
    object: String,
    #[serde(default)]
    confirm: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "resync_confirm.html")]
struct ResyncConfirm {
    l: super::layout::Layout,
    company: crate::host::Company,
    object: &'static str,
    text: String,
}

/// *Vollständig neu abgleichen*: first a page that says what will happen
/// and asks again (a form, so it works without JavaScript), then with
/// `confirm=1` the reset and the run.
pub async fn resync(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: AdminCtx<Configure>,
    form: CsrfForm<ResyncForm>,
) -> Result<HttpResponse, WebError> {
    let Some(object) = SyncObject::parse(&form.0.object).filter(|o| o.info().available) else {
        session::push_flash(&session, "error", t(&state, &session, "resync-unknown"));
        return Ok(back(&state));
    };
    if form.0.confirm.as_deref() != Some("1") {
        let l = super::layout::layout_for(
            &state,
            &req,
            &session,
            "config",
            &ctx.user,
            ctx.companies(),
            "resync-confirm-title",
        );
        let text = state.i18n.text_with(
            &l.lang,
            "resync-confirm-text",
            &[(
                "object",
                fluent_bundle::FluentValue::from(l.t(object.label_id())),
            )],
        );
        let page = ResyncConfirm {
            l,
            company: ctx.company.clone(),
            object: object.as_str(),
            text,
        };
        return Ok(super::layout::html(askama::Template::render(&page)?));
    }
    let (company_id, user) = (ctx.company.id, ctx.user.name.clone());
    let outcome = state
        .db
        .run(move |c| {
            sync::request_run(
                c,
                company_id,
                &sync::SyncRequest {
                    trigger: "resync",
                    objects: &[object],
                    full: true,
                    user: Some(&user),
                    key: None,
                },
            )
        })
        .await?;
    let (level, msg) = match outcome {
        Requested::Started(_) => ("info", "resync-started"),
        Requested::AlreadyRunning => ("info", "sync-already-running"),
        Requested::NotConnected => ("error", "needs-connection"),
        Requested::NothingSelected => ("error", "resync-unknown"),
    };
    session::push_flash(&session, level, t(&state, &session, msg));
    Ok(back(&state))
}

/// Progress of the newest Abgleich run and of the order push (polled by the
/// integration page): the run as data, whether anything is still under
/// way, and the Abgleich panel rendered in the user's language for the
/// page to swap in.
pub async fn progress(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    AdminCtx { company, .. }: AdminCtx<Configure>,
) -> Result<HttpResponse, WebError> {
    let company_id = company.id;
    let (run, push) = state
        .db
        .run(move |c| {
            Ok((
                crate::sync::latest_run(c, company_id)?,
                crate::orders::last_push(c, company_id)?,
            ))
        })
        .await?;
    let objects = run.as_ref().map(|r| r.object_progress());
    let panel = super::pages::RunPanel::new(
        super::layout::Layout::fragment(&state, &req, &session),
        run.clone(),
        push,
    );
    let live = panel.live;
    let html = askama::Template::render(&panel)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({
            "run": run,
            "objects": objects,
            "live": live,
            "html": html,
        })))
}

/// `POST /webhooks/sendcloud/{company}/{token}`: Sendcloud's callbacks. The
/// raw body is checked (size limit, signature) before anything changes.
pub async fn webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(i64, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebhookError> {
    let (company_id, token) = path.into_inner();
    let signature = req
        .headers()
        .get("Sendcloud-Signature")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let secrets = state.secrets.clone();
    let targets = state.webhook_targets.clone();
    let outcome = state
        .db
        .run(move |c| {
            Ok(webhooks::handle_webhook_cached(
                c,
                &secrets,
                &targets,
                company_id,
                &token,
                signature.as_deref(),
                &body,
                chrono::Utc::now().naive_utc(),
            ))
        })
        .await??;
    let message = match outcome {
        WebhookOutcome::Pong => "pong".to_string(),
        WebhookOutcome::Accepted(what) => what,
        WebhookOutcome::Duplicate(what) => format!("{what}: duplicate, ignored"),
        WebhookOutcome::Stale(what) => format!("{what}: stale, not applied"),
    };
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": 200, "message": message })))
}
