//! actix-web wiring. [`configure`] mounts every route of the module under the
//! manifest's mount path, which is all a Rust host needs:
//!
//! ```text
//! App::new().configure(sendcloud_plugin::web::configure(state))
//! ```
//!
//! Handlers are thin (extract, call a service, render); errors map to
//! responses in `error.rs`. [`serve`] runs the module standalone.

pub mod api;
pub mod error;
pub mod i18n;
pub mod integration;
pub mod orders;
pub mod pages;
pub mod session;
pub mod settings;
mod summaries;
pub mod warehouses;

use std::sync::Arc;

use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::cookie::{time::Duration as CookieDuration, Key, SameSite};
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, HttpResponse};

use crate::config::Config;
use crate::crypto::SecretBox;
use crate::db::Db;
use crate::host::Host;

/// Everything a request handler may use. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub secrets: SecretBox,
    pub host: Arc<dyn Host>,
    pub i18n: Arc<i18n::I18n>,
    /// The Sendcloud connection pool of the process (see `Context`).
    pub sendcloud_http: crate::sendcloud::HttpPool,
}

impl AppState {
    pub fn new(
        db: Db,
        config: Config,
        secrets: SecretBox,
        host: Arc<dyn Host>,
    ) -> Result<AppState, String> {
        Ok(AppState {
            db,
            config: Arc::new(config),
            secrets,
            host,
            i18n: Arc::new(i18n::I18n::load()?),
            sendcloud_http: crate::sendcloud::HttpPool::new().map_err(|e| e.to_string())?,
        })
    }

    /// The services' view of the state.
    pub fn ctx(&self) -> crate::context::Context {
        crate::context::Context {
            db: self.db.clone(),
            config: self.config.clone(),
            secrets: self.secrets.clone(),
            host: self.host.clone(),
            sendcloud_http: self.sendcloud_http.clone(),
        }
    }

    /// The key of the session cookie, derived from the master key.
    fn session_key(&self) -> Key {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(&self.secrets.derive("session-cookie/1"));
        bytes.extend_from_slice(&self.secrets.derive("session-cookie/2"));
        Key::from(&bytes)
    }
}

/// Mount the module: admin UI, plugin API, static assets and health check,
/// all below `plugin.mount_path`.
pub fn configure(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        let mount = state.config.mount_path().to_string();
        let session =
            SessionMiddleware::builder(CookieSessionStore::default(), state.session_key())
                .cookie_name("sendcloud_session".into())
                .cookie_path(mount.clone())
                .cookie_http_only(true)
                .cookie_secure(state.config.secure_cookies)
                .cookie_same_site(SameSite::Lax)
                .cookie_content_security(CookieContentSecurity::Private)
                .session_lifecycle(
                    PersistentSession::default().session_ttl(CookieDuration::hours(10)),
                )
                .build();
        let errors = ErrorHandlers::new()
            .handler(StatusCode::BAD_REQUEST, render_error)
            .handler(StatusCode::FORBIDDEN, render_error)
            .handler(StatusCode::NOT_FOUND, render_error)
            .handler(StatusCode::INTERNAL_SERVER_ERROR, render_error)
            .handler(StatusCode::SERVICE_UNAVAILABLE, render_error);
        let webhook_limit = state.config.manifest.webhooks.max_body_bytes;
        let webhook_path = state
            .config
            .manifest
            .webhooks
            .sendcloud
            .replace("{company}", "{company:\\d+}");
        // Sendcloud's webhooks: no session, no CSRF, a hard body limit (413).
        cfg.service(
            web::resource(format!("{mount}{webhook_path}"))
                .app_data(web::Data::new(state.clone()))
                .app_data(web::PayloadConfig::new(webhook_limit))
                .route(web::post().to(integration::webhook)),
        );
        cfg.service(
            web::scope(&mount)
                .app_data(web::Data::new(state))
                .app_data(web::FormConfig::default().limit(64 * 1024))
                .wrap(errors)
                .wrap(session)
                .route("", web::get().to(pages::root))
                .route("/", web::get().to(pages::root))
                .route("/healthz", web::get().to(healthz))
                .route("/static/app.css", web::get().to(static_css))
                .route("/static/app.js", web::get().to(static_js))
                .route("/login", web::get().to(pages::login_form))
                .route("/login", web::post().to(pages::login_submit))
                .route("/logout", web::post().to(pages::logout))
                .route("/sso", web::get().to(pages::sso))
                .route("/language", web::post().to(pages::set_language))
                .route("/admin/company", web::post().to(pages::set_company))
                .route("/admin/config", web::get().to(pages::config_page))
                .route("/admin/reports", web::get().to(pages::reports_page))
                .route("/admin/setup", web::post().to(integration::setup))
                .route("/admin/keys", web::post().to(integration::keys))
                .route("/admin/test", web::post().to(integration::test))
                .route("/admin/disconnect", web::post().to(integration::disconnect))
                .route("/admin/sync", web::post().to(integration::sync))
                .route("/admin/progress", web::get().to(integration::progress))
                .route("/admin/orders", web::get().to(orders::page))
                .route("/admin/orders", web::post().to(orders::start))
                .route("/admin/warehouses", web::get().to(warehouses::page))
                .route("/admin/warehouses", web::post().to(warehouses::save))
                .route("/admin/settings", web::get().to(settings::settings_page))
                .route("/admin/settings", web::post().to(settings::settings_save))
                .route("/api/v1/companies", web::get().to(api::companies))
                .default_service(web::to(not_found)),
        );
    }
}

async fn not_found() -> Result<HttpResponse, error::WebError> {
    Err(error::WebError::NotFound)
}

/// Replace the plain-text body of an HTML error with a page in the user's
/// language. API responses (problem+json) and redirects pass unchanged.
fn render_error<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/plain"));
    let Some(state) = res.request().app_data::<web::Data<AppState>>().cloned() else {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    };
    if !is_plain {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, res) = res.into_parts();
    let body = res.into_body();
    let message_id = match actix_web::body::to_bytes_limited(body, 256).now_or_never_bytes() {
        Some(b) if b.starts_with(b"error-") => String::from_utf8_lossy(&b).into_owned(),
        _ => "error-internal".into(),
    };
    let page = pages::error_page(&state, &req, status.as_u16(), &message_id);
    let new = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, new).map_into_right_body(),
    ))
}

/// Reading an in-memory error body needs no waiting; this takes it if ready.
trait NowOrNever {
    fn now_or_never_bytes(self) -> Option<web::Bytes>;
}

impl<F, E> NowOrNever for F
where
    F: std::future::Future<
        Output = Result<Result<web::Bytes, E>, actix_web::body::BodyLimitExceeded>,
    >,
{
    fn now_or_never_bytes(self) -> Option<web::Bytes> {
        use futures_util::FutureExt;
        match self.now_or_never() {
            Some(Ok(Ok(b))) => Some(b),
            _ => None,
        }
    }
}

#[allow(dead_code)]
type Boxed = EitherBody<BoxBody>;

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({
            "status": "ok",
            "database": state.db.backend().to_string(),
            "version": env!("CARGO_PKG_VERSION"),
        })),
        Err(e) => HttpResponse::ServiceUnavailable().json(serde_json::json!({
            "status": "error",
            "database": state.db.backend().to_string(),
            "error": e.to_string(),
        })),
    }
}

async fn static_css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../admin_ui/static/app.css"))
}

async fn static_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../admin_ui/static/app.js"))
}

/// Run the module standalone: the routes under the mount path, `/healthz` at
/// the root as well, and `/` redirecting to the admin UI.
pub async fn serve(
    state: AppState,
    listener: std::net::TcpListener,
) -> std::io::Result<actix_web::dev::Server> {
    let mount = state.config.mount_path().to_string();
    let server = actix_web::HttpServer::new(move || {
        let state = state.clone();
        let mount = mount.clone();
        actix_web::App::new()
            .wrap(actix_web::middleware::Logger::new("%r %s %Dms").exclude("/healthz"))
            .app_data(web::Data::new(state.clone()))
            .route("/healthz", web::get().to(healthz))
            .route(
                "/",
                web::get().to(move || {
                    let target = format!("{mount}/admin/config");
                    async move {
                        HttpResponse::SeeOther()
                            .insert_header((header::LOCATION, target))
                            .finish()
                    }
                }),
            )
            .configure(configure(state))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
