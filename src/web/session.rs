//! Who is asking, in which language, for which company: the session cookie
//! (actix-session, private cookie encrypted with a key derived from the
//! module's master key), host tokens (`Authorization: Bearer` or the `/sso`
//! hand-over), CSRF tokens and flash messages.

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::error::WebError;
use super::AppState;
use crate::users::{verify_host_token, User};

const KEY_USER: &str = "user";
const KEY_CSRF: &str = "csrf";
const KEY_LANG: &str = "lang";
const KEY_COMPANY: &str = "company";
const KEY_FLASH: &str = "flash";

/// A message shown once on the next page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    /// `info`, `success` or `error`.
    pub level: String,
    pub text: String,
}

pub fn push_flash(session: &Session, level: &str, text: String) {
    let mut list: Vec<Flash> = session.get(KEY_FLASH).ok().flatten().unwrap_or_default();
    list.push(Flash {
        level: level.into(),
        text,
    });
    let _ = session.insert(KEY_FLASH, list);
}

pub fn take_flash(session: &Session) -> Vec<Flash> {
    session
        .remove_as::<Vec<Flash>>(KEY_FLASH)
        .and_then(Result::ok)
        .unwrap_or_default()
}

/// The session's CSRF token, created on first use.
pub fn csrf_token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(KEY_CSRF) {
        return t;
    }
    let t = crate::crypto::random_token();
    let _ = session.insert(KEY_CSRF, &t);
    t
}

pub fn check_csrf(session: &Session, submitted: Option<&str>) -> Result<(), WebError> {
    let expected = session
        .get::<String>(KEY_CSRF)
        .ok()
        .flatten()
        .ok_or(WebError::Csrf)?;
    let submitted = submitted.ok_or(WebError::Csrf)?;
    if expected.as_bytes().ct_eq(submitted.as_bytes()).into() {
        Ok(())
    } else {
        Err(WebError::Csrf)
    }
}

pub fn language(session: &Session) -> String {
    session
        .get::<String>(KEY_LANG)
        .ok()
        .flatten()
        .filter(|l| super::i18n::I18n::supports(l))
        .unwrap_or_else(|| super::i18n::DEFAULT_LANGUAGE.to_string())
}

pub fn set_language(session: &Session, lang: &str) {
    let _ = session.insert(KEY_LANG, lang);
}

pub fn set_company(session: &Session, company_id: i64) {
    let _ = session.insert(KEY_COMPANY, company_id);
}

pub fn selected_company(session: &Session) -> Option<i64> {
    session.get::<i64>(KEY_COMPANY).ok().flatten()
}

/// Log a user in: a fresh session (no fixation), a fresh CSRF token.
pub fn login(session: &Session, user: &User) {
    let lang = session.get::<String>(KEY_LANG).ok().flatten();
    session.clear();
    session.renew();
    let _ = session.insert(KEY_USER, user);
    if let Some(lang) = lang {
        let _ = session.insert(KEY_LANG, lang);
    }
    let _ = session.insert(KEY_CSRF, crate::crypto::random_token());
}

pub fn logout(session: &Session) {
    let lang = session.get::<String>(KEY_LANG).ok().flatten();
    session.clear();
    session.renew();
    if let Some(lang) = lang {
        let _ = session.insert(KEY_LANG, lang);
    }
}

/// The user behind a request: a valid host token in `Authorization: Bearer`
/// wins; otherwise the session's user.
pub fn current_user(req: &HttpRequest, state: &AppState) -> Result<Option<User>, WebError> {
    if let Some(token) = bearer(req) {
        return verify_host_token(state.config.host_token_secret.as_deref(), token)
            .map(Some)
            .map_err(|e| WebError::ApiUnauthorized(e.to_string()));
    }
    Ok(req.get_session().get::<User>(KEY_USER).ok().flatten())
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A logged-in user of the admin UI. Without one, the request is redirected
/// to the login page (and comes back afterwards).
pub struct AdminUser(pub User);

impl FromRequest for AdminUser {
    type Error = WebError;
    type Future = std::future::Ready<Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready((|| {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| WebError::Internal("app state missing".into()))?;
            match current_user(req, state)? {
                Some(user) => Ok(AdminUser(user)),
                None => {
                    let next = req
                        .uri()
                        .path_and_query()
                        .map(|p| p.as_str())
                        .unwrap_or("/");
                    Err(WebError::LoginRequired {
                        login_url: format!(
                            "{}/login?next={}",
                            state.config.mount_path(),
                            url::form_urlencoded::byte_serialize(next.as_bytes())
                                .collect::<String>()
                        ),
                    })
                }
            }
        })())
    }
}

/// A caller of the plugin API: a valid host token (or an admin session, so
/// that the admin UI's own scripts can call the API). Without one: 401.
pub struct ApiUser(pub User);

impl FromRequest for ApiUser {
    type Error = super::error::ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready((|| {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| WebError::Internal("app state missing".into()))?;
            match current_user(req, state)? {
                Some(user) => Ok(ApiUser(user)),
                None => Err(WebError::ApiUnauthorized(
                    "send a host token as 'Authorization: Bearer <token>'".into(),
                )
                .into()),
            }
        })())
    }
}

/// A form whose `csrf_token` field matched the session's token. The rest of
/// the form deserialises into `T` (which must not deny unknown fields).
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body
                .await
                .map_err(|e| WebError::BadRequest(format!("cannot read the form: {e}")))?;
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|e| WebError::BadRequest(format!("malformed form: {e}")))?;
            let token = pairs
                .iter()
                .find(|(k, _)| k == "csrf_token")
                .map(|(_, v)| v.as_str());
            check_csrf(&session, token)?;
            let value = serde_urlencoded::from_bytes::<T>(&body)
                .map_err(|e| WebError::BadRequest(format!("invalid form: {e}")))?;
            Ok(CsrfForm(value))
        })
    }
}
