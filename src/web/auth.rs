//! Who may call a route, by structure: the extractors every `/admin` and
//! `/api` handler takes instead of writing its own prologue.
//!
//! - [`AdminUser`]: a logged-in user (host token or an open server-side
//!   session), else a redirect to the login;
//! - [`AdminCtx<P>`]: that, plus the permission `P` the route declares
//!   (403 without it) and the company context (the companies the user may see
//!   and the selected one);
//! - [`ApiCtx<P>`]: a caller of the plugin API with permission `P` (401/403
//!   as problem+json).
//!
//! The route table in `web/mod.rs` says which routes need what; the web test
//! walks that table and checks every route refuses anonymous callers and
//! forms without a CSRF token.

use std::marker::PhantomData;

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use super::error::{ApiError, WebError};
use super::session;
use super::AppState;
use crate::host::Company;
use crate::users::{User, PERM_API, PERM_CONFIGURE, PERM_REPORTS};

/// A permission a route declares by the type of its extractor.
pub trait Permission: 'static {
    const ID: &'static str;
}

/// `sendcloud.configure`: Konfiguration → Lager → Sendcloud.
pub struct Configure;
impl Permission for Configure {
    const ID: &'static str = PERM_CONFIGURE;
}

/// `sendcloud.reports`: Berichte → Lager → Sendcloud.
pub struct Reports;
impl Permission for Reports {
    const ID: &'static str = PERM_REPORTS;
}

/// `sendcloud.api`: the plugin API.
pub struct Api;
impl Permission for Api {
    const ID: &'static str = PERM_API;
}

fn state_of(req: &HttpRequest) -> Result<web::Data<AppState>, WebError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| WebError::Internal("app state missing".into()))
}

fn login_redirect(req: &HttpRequest, state: &AppState) -> WebError {
    let next = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    WebError::LoginRequired {
        login_url: format!(
            "{}/login?next={}",
            state.config.mount_path(),
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        ),
    }
}

/// The user behind the request, checked against the database (an ended
/// session is no user). `None`: anonymous.
async fn verified_user(req: &HttpRequest, state: &AppState) -> Result<Option<User>, WebError> {
    match session::claimed_user(req, state)? {
        session::Claim::Token(user) => Ok(Some(user)),
        session::Claim::None => Ok(None),
        session::Claim::Session { user, session_id } => {
            let now = chrono::Utc::now().naive_utc();
            let open = state
                .db
                .run(move |c| crate::users::session_open(c, &session_id, now))
                .await?;
            if open {
                Ok(Some(user))
            } else {
                // Logged out elsewhere or reset: forget the cookie's user.
                session::forget_user(&req.get_session());
                Ok(None)
            }
        }
    }
}

/// A logged-in user of the admin UI. Without one, the request is redirected
/// to the login page (and comes back afterwards).
pub struct AdminUser(pub User);

impl FromRequest for AdminUser {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            match verified_user(&req, &state).await? {
                Some(user) => Ok(AdminUser(user)),
                None => Err(login_redirect(&req, &state)),
            }
        })
    }
}

/// The companies a user may see, and the one selected in the session (the
/// first one when nothing valid is selected).
pub(crate) async fn company_context(
    state: &AppState,
    req: &HttpRequest,
    user: &User,
) -> Result<(Vec<Company>, Company), WebError> {
    let host = state.host.clone();
    let all = state.db.run(move |c| host.companies(c)).await?;
    let visible: Vec<Company> = all
        .into_iter()
        .filter(|c| user.may_see_company(c.id))
        .collect();
    let selected = session::selected_company(&req.get_session())
        .and_then(|id| visible.iter().find(|c| c.id == id))
        .or(visible.first())
        .cloned()
        .ok_or(WebError::NoCompany)?;
    Ok((visible, selected))
}

/// An admin route's context: the logged-in user, who holds the route's
/// permission `P`, the companies they may see and the selected one.
pub struct AdminCtx<P: Permission> {
    pub user: User,
    pub companies: Vec<Company>,
    pub company: Company,
    _permission: PhantomData<P>,
}

impl<P: Permission> AdminCtx<P> {
    /// The company context for the layout.
    pub fn companies(&self) -> super::layout::Companies<'_> {
        super::layout::Companies {
            visible: &self.companies,
            selected: &self.company,
        }
    }
}

impl<P: Permission> FromRequest for AdminCtx<P> {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let Some(user) = verified_user(&req, &state).await? else {
                return Err(login_redirect(&req, &state));
            };
            if !user.has(P::ID) {
                return Err(WebError::Forbidden);
            }
            let (companies, company) = company_context(&state, &req, &user).await?;
            Ok(AdminCtx {
                user,
                companies,
                company,
                _permission: PhantomData,
            })
        })
    }
}

/// A caller of the plugin API holding permission `P`: a valid host token (or
/// an open admin session, so that the admin UI's own scripts can call the
/// API). Without one: 401; without the permission: 403.
pub struct ApiCtx<P: Permission> {
    pub user: User,
    _permission: PhantomData<P>,
}

impl<P: Permission> FromRequest for ApiCtx<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let Some(user) = verified_user(&req, &state).await? else {
                return Err(WebError::ApiUnauthorized(
                    "send a host token as 'Authorization: Bearer <token>'".into(),
                )
                .into());
            };
            if !user.has(P::ID) {
                return Err(WebError::Forbidden.into());
            }
            Ok(ApiCtx {
                user,
                _permission: PhantomData,
            })
        })
    }
}
