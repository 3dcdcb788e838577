//! The session cookie (actix-session, private cookie encrypted with a key
//! derived from the module's master key) and what it carries: the user and
//! the id of their server-side session (checked by `web::auth` on every
//! request), the language, the selected company, the CSRF token and at most
//! [`MAX_FLASHES`] flash messages. Host tokens (`Authorization: Bearer`) are
//! read here too.

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
const KEY_SID: &str = "sid";
const KEY_TZ: &str = "tz";

/// The cookie app.js sets to the browser's time zone (an IANA name; read
/// only as a fallback when the user chose none, and checked before use).
pub const BROWSER_TZ_COOKIE: &str = "sendcloud_tz";

/// The most flash messages a cookie keeps (the newest); more would make the
/// cookie outgrow what browsers store (4 KiB).
pub const MAX_FLASHES: usize = 3;

/// A message shown once on the next page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    /// `info`, `success` or `error`.
    pub level: String,
    pub text: String,
}

/// A message for the next page. Every flash ends with a full stop (or
/// another closing mark): one is added when the text has none, so texts
/// that end in a quoted value (an address, Sendcloud's message) read alike.
pub fn push_flash(session: &Session, level: &str, text: String) {
    let text = with_full_stop(text);
    let mut list: Vec<Flash> = session.get(KEY_FLASH).ok().flatten().unwrap_or_default();
    // The same message twice in a row says nothing new.
    if list
        .last()
        .is_some_and(|f| f.level == level && f.text == text)
    {
        return;
    }
    list.push(Flash {
        level: level.into(),
        text,
    });
    let excess = list.len().saturating_sub(MAX_FLASHES);
    list.drain(..excess);
    let _ = session.insert(KEY_FLASH, list);
}

/// `text` ending in `.`, `!`, `?` or `…` (a `.` is added otherwise).
pub fn with_full_stop(text: String) -> String {
    let trimmed = text.trim_end();
    if trimmed.is_empty() || trimmed.ends_with(['.', '!', '?', '…']) {
        return text;
    }
    format!("{trimmed}.")
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

/// The time zone the user chose (their preference, put into the session
/// at login and when they change it); `None`: the browser's.
pub fn time_zone(session: &Session) -> Option<String> {
    session.get::<String>(KEY_TZ).ok().flatten()
}

pub fn set_time_zone(session: &Session, zone: Option<&str>) {
    match zone {
        Some(z) => {
            let _ = session.insert(KEY_TZ, z);
        }
        None => {
            session.remove(KEY_TZ);
        }
    }
}

pub fn set_company(session: &Session, company_id: i64) {
    let _ = session.insert(KEY_COMPANY, company_id);
}

pub fn selected_company(session: &Session) -> Option<i64> {
    session.get::<i64>(KEY_COMPANY).ok().flatten()
}

/// Log a user in: a fresh session (no fixation), a fresh CSRF token, the
/// id of the server-side session (see `users::start_session`).
pub fn login(session: &Session, user: &User, session_id: &str) {
    let lang = session.get::<String>(KEY_LANG).ok().flatten();
    session.clear();
    session.renew();
    let _ = session.insert(KEY_USER, user);
    let _ = session.insert(KEY_SID, session_id);
    if let Some(lang) = lang {
        let _ = session.insert(KEY_LANG, lang);
    }
    let _ = session.insert(KEY_CSRF, crate::crypto::random_token());
}

/// Log out: the cookie keeps only the language. Returns the id of the
/// server-side session to end.
pub fn logout(session: &Session) -> Option<String> {
    let sid = session.get::<String>(KEY_SID).ok().flatten();
    let lang = session.get::<String>(KEY_LANG).ok().flatten();
    session.clear();
    session.renew();
    if let Some(lang) = lang {
        let _ = session.insert(KEY_LANG, lang);
    }
    sid
}

/// Drop the user of a cookie whose server-side session has ended.
pub fn forget_user(session: &Session) {
    session.remove(KEY_USER);
    session.remove(KEY_SID);
    session.remove(KEY_CSRF);
}

/// Who a request says it is, before the server-side session is checked.
pub enum Claim {
    /// A valid host token in `Authorization: Bearer` (needs no session).
    Token(User),
    /// The session cookie's user and the id of their server-side session.
    Session {
        user: User,
        session_id: String,
    },
    None,
}

/// The user a request claims: a valid host token in `Authorization: Bearer`
/// wins; otherwise the session's user (which `web::auth` checks against the
/// server-side session before trusting it).
pub fn claimed_user(req: &HttpRequest, state: &AppState) -> Result<Claim, WebError> {
    if let Some(token) = bearer(req) {
        return verify_host_token(state.config.host_token_secret.as_deref(), token)
            .map(Claim::Token)
            .map_err(|e| {
                let code = match e {
                    crate::users::TokenError::Expired => "token_expired",
                    crate::users::TokenError::Invalid(_) => "token_invalid",
                    crate::users::TokenError::Disabled => "unauthorized",
                };
                WebError::Api(super::error::ApiProblem {
                    status: actix_web::http::StatusCode::UNAUTHORIZED,
                    code,
                    detail: e.to_string(),
                })
            });
    }
    let session = req.get_session();
    let user = session.get::<User>(KEY_USER).ok().flatten();
    let sid = session.get::<String>(KEY_SID).ok().flatten();
    Ok(match (user, sid) {
        (Some(user), Some(session_id)) => Claim::Session { user, session_id },
        _ => Claim::None,
    })
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
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
