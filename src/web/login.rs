//! Who is using the module: the login form and its submit (throttled, the
//! password checked off the database pool), logout, the host's `/sso`
//! hand-over, and the language and company switches.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::auth::AdminUser;
use super::error::WebError;
use super::i18n::I18n;
use super::layout::{html, safe_next, see_other, Layout};
use super::session::{self, CsrfForm, Flash};
use super::AppState;
use crate::users;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    next: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    q: web::Query<NextQuery>,
) -> Result<HttpResponse, WebError> {
    let mut l = Layout::new(&state, &req, &session, "login");
    l.title = l.t("login-title");
    let next = safe_next(&state, q.next.as_deref());
    Ok(html(LoginPage { l, next }.render()?))
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn login_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    form: CsrfForm<LoginForm>,
) -> Result<HttpResponse, WebError> {
    let LoginForm {
        username,
        password,
        next,
    } = form.0;
    let username = username.trim().to_string();
    let address = req.peer_addr().map(|a| a.ip());
    if !state.throttle.allow(&username, address) {
        tracing::warn!("login throttled");
        let mut l = Layout::new(&state, &req, &session, "login");
        l.title = l.t("login-title");
        l.flash = vec![Flash {
            level: "error".into(),
            text: l.t("login-throttled"),
        }];
        let next = safe_next(&state, next.as_deref());
        let mut res = html(LoginPage { l, next }.render()?);
        *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        res.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("60"),
        );
        return Ok(res);
    }
    // Look the user up, give the connection back, then hash.
    let name = username.clone();
    let candidate = state
        .db
        .run(move |c| users::login_candidate(c, &name))
        .await?;
    let user = tokio::task::spawn_blocking(move || users::check_password(candidate, &password))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    match user {
        Some(user) => {
            tracing::info!(user = %user.name, "login");
            let name = user.name.clone();
            let now = chrono::Utc::now().naive_utc();
            let sid = state
                .db
                .run(move |c| users::start_session(c, &name, users::SESSION_LOCAL, now))
                .await?;
            session::login(&session, &user, &sid);
            remember_time_zone(&state, &session, &user.name).await?;
            Ok(see_other(&safe_next(&state, next.as_deref())))
        }
        None => {
            tracing::warn!("failed login");
            let lang = session::language(&session);
            session::push_flash(&session, "error", state.i18n.text(&lang, "login-failed"));
            let target = format!(
                "{}/login?next={}",
                state.config.mount_path(),
                url::form_urlencoded::byte_serialize(safe_next(&state, next.as_deref()).as_bytes())
                    .collect::<String>()
            );
            Ok(see_other(&target))
        }
    }
}

#[derive(Deserialize)]
pub struct Empty {}

/// Log out: the server-side session ends, so a saved copy of the cookie
/// opens nothing afterwards.
pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    if let Some(sid) = session::logout(&session) {
        state.db.run(move |c| users::end_session(c, &sid)).await?;
    }
    let lang = session::language(&session);
    session::push_flash(&session, "info", state.i18n.text(&lang, "logged-out"));
    Ok(see_other(&format!("{}/login", state.config.mount_path())))
}

/// The host hands its user over: `GET /sso?token=<host token>&next=…`.
#[derive(Deserialize)]
pub struct SsoQuery {
    token: String,
    next: Option<String>,
}

pub async fn sso(
    state: web::Data<AppState>,
    session: Session,
    q: web::Query<SsoQuery>,
) -> Result<HttpResponse, WebError> {
    let user = users::verify_host_token(state.config.host_token_secret.as_deref(), &q.token)
        .map_err(|e| WebError::ApiUnauthorized(e.to_string()))?;
    let name = user.name.clone();
    let now = chrono::Utc::now().naive_utc();
    let sid = state
        .db
        .run(move |c| users::start_session(c, &name, users::SESSION_HOST, now))
        .await?;
    session::login(&session, &user, &sid);
    remember_time_zone(&state, &session, &user.name).await?;
    Ok(see_other(&safe_next(&state, q.next.as_deref())))
}

/// Put the user's chosen time zone (if any) into the fresh session.
async fn remember_time_zone(
    state: &AppState,
    session: &Session,
    username: &str,
) -> Result<(), WebError> {
    let name = username.to_string();
    let zone = state
        .db
        .run(move |c| crate::prefs::time_zone_of(c, &name))
        .await?;
    session::set_time_zone(session, zone.as_deref());
    Ok(())
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

pub async fn set_language(
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<LanguageForm>,
) -> Result<HttpResponse, WebError> {
    if !I18n::supports(&form.0.lang) {
        return Err(WebError::BadRequest(format!(
            "unknown language {:?}",
            form.0.lang
        )));
    }
    session::set_language(&session, &form.0.lang);
    session::push_flash(
        &session,
        "info",
        state.i18n.text(&form.0.lang, "language-switched"),
    );
    Ok(see_other(&safe_next(&state, form.0.next.as_deref())))
}

#[derive(Deserialize)]
pub struct CompanyForm {
    company_id: i64,
    next: Option<String>,
}

pub async fn set_company(
    state: web::Data<AppState>,
    session: Session,
    AdminUser(user): AdminUser,
    form: CsrfForm<CompanyForm>,
) -> Result<HttpResponse, WebError> {
    let id = form.0.company_id;
    let host = state.host.clone();
    let exists = state.db.run(move |c| host.company(c, id)).await?.is_some();
    if !exists || !user.may_see_company(id) {
        // Same answer for "does not exist" and "not yours".
        return Err(WebError::NoCompany);
    }
    session::set_company(&session, id);
    let lang = session::language(&session);
    session::push_flash(
        &session,
        "success",
        state.i18n.text(&lang, "company-switched"),
    );
    Ok(see_other(&safe_next(&state, form.0.next.as_deref())))
}
