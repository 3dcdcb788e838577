//! actix-web wiring. [`configure`] mounts every route of the module under the
//! manifest's mount path, which is all a Rust host needs:
//!
//! ```text
//! App::new().configure(sendcloud_plugin::web::configure(state))
//! ```
//!
//! Every route is in one table, [`ROUTES`], with what it needs (public, a
//! login, a permission); `configure` registers exactly that table and the
//! web test walks it. Who may call a route is the handler's extractor
//! (`auth.rs`: `AdminUser`, `AdminCtx<P>`, `ApiCtx<P>`); a form's CSRF token
//! is `session::CsrfForm`. Every response gets the security headers of
//! [`security_headers`]. Handlers are thin (extract, call a service, render);
//! errors map to responses in `error.rs`. [`serve`] runs the module
//! standalone, with an access log that never shows a token.

pub mod api;
pub mod auth;
pub mod deliveries;
pub mod error;
pub use crate::i18n;
pub mod integration;
pub mod layout;
pub mod login;
pub mod method_mapping;
pub mod notifications;
pub mod orders;
pub mod pages;
pub mod prefs;
pub mod reports;
pub mod session;
pub mod settings;
mod summaries;
pub mod throttle;
pub mod warehouses;

use std::sync::Arc;

use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::cookie::{time::Duration as CookieDuration, Key, SameSite};
use actix_web::dev::ServiceResponse;
use actix_web::http::Method;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, HttpResponse, Route};

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
    /// Login attempts per user name and client address.
    pub throttle: Arc<throttle::LoginThrottle>,
    /// Webhook targets known to this process (`webhooks::TargetCache`).
    pub webhook_targets: Arc<crate::webhooks::TargetCache>,
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
            throttle: Arc::new(throttle::LoginThrottle::default()),
            webhook_targets: Arc::new(crate::webhooks::TargetCache::new()),
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

/// What a route needs before its handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (login form, health, static files, the host's `/sso`).
    Public,
    /// A logged-in user (`auth::AdminUser`).
    Login,
    /// A logged-in user with this permission (`auth::AdminCtx<P>`).
    Admin(&'static str),
    /// A plugin API caller with this permission (`auth::ApiCtx<P>`).
    Api(&'static str),
}

/// One route of the module, below the mount path.
pub struct RouteDef {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// Does the handler take a `CsrfForm` (403 without the session's token)?
    pub csrf: bool,
    route: fn() -> Route,
}

macro_rules! routes {
    ($($method:ident $path:literal $access:expr, $csrf:literal => $handler:path;)*) => {
        &[$(RouteDef {
            method: Method::$method,
            path: $path,
            access: $access,
            csrf: $csrf,
            route: || web::method(Method::$method).to($handler),
        },)*]
    };
}

use crate::users::{PERM_API, PERM_CONFIGURE, PERM_REPORTS};
use Access::{Admin, Api, Login, Public};

/// Every route of the module but Sendcloud's webhook (which is signed, has
/// its own body limit and no session: see `configure`). `configure`
/// registers exactly these; the web tests walk them.
pub static ROUTES: &[RouteDef] = routes![
    GET "" Public, false => pages::root;
    GET "/" Public, false => pages::root;
    GET "/healthz" Public, false => healthz;
    GET "/static/app.css" Public, false => static_css;
    GET "/static/app.js" Public, false => static_js;
    GET "/login" Public, false => login::login_form;
    POST "/login" Public, true => login::login_submit;
    POST "/logout" Public, true => login::logout;
    GET "/sso" Public, false => login::sso;
    POST "/language" Public, true => login::set_language;
    POST "/admin/company" Login, true => login::set_company;
    GET "/admin/preferences" Login, false => prefs::page;
    POST "/admin/preferences" Login, true => prefs::save;
    GET "/admin/config" Admin(PERM_CONFIGURE), false => pages::config_page;
    GET "/admin/reports" Admin(PERM_REPORTS), false => reports::reports_page;
    GET "/admin/reports/export" Admin(PERM_REPORTS), false => reports::export;
    POST "/admin/setup" Admin(PERM_CONFIGURE), true => integration::setup;
    POST "/admin/keys" Admin(PERM_CONFIGURE), true => integration::keys;
    POST "/admin/test" Admin(PERM_CONFIGURE), true => integration::test;
    POST "/admin/disconnect" Admin(PERM_CONFIGURE), true => integration::disconnect;
    POST "/admin/sync" Admin(PERM_CONFIGURE), true => integration::sync;
    GET "/admin/progress" Admin(PERM_CONFIGURE), false => integration::progress;
    POST "/admin/resync" Admin(PERM_CONFIGURE), true => integration::resync;
    GET "/admin/notifications" Admin(PERM_CONFIGURE), false => notifications::page;
    POST "/admin/notifications" Admin(PERM_CONFIGURE), true => notifications::save;
    GET "/admin/orders" Admin(PERM_CONFIGURE), false => orders::page;
    POST "/admin/orders" Admin(PERM_CONFIGURE), true => orders::start;
    GET "/admin/warehouses" Admin(PERM_CONFIGURE), false => warehouses::page;
    POST "/admin/warehouses" Admin(PERM_CONFIGURE), true => warehouses::save;
    GET "/admin/method-mapping" Admin(PERM_CONFIGURE), false => method_mapping::page;
    POST "/admin/method-mapping" Admin(PERM_CONFIGURE), true => method_mapping::save;
    GET "/admin/deliveries" Admin(PERM_CONFIGURE), false => deliveries::page;
    POST "/admin/deliveries/labels" Admin(PERM_CONFIGURE), true => deliveries::create;
    POST "/admin/deliveries/cancel" Admin(PERM_CONFIGURE), true => deliveries::cancel;
    POST "/admin/deliveries/print" Admin(PERM_CONFIGURE), true => deliveries::print;
    POST "/admin/deliveries/test-mode" Admin(PERM_CONFIGURE), true => deliveries::test_mode;
    GET "/admin/logs" Admin(PERM_CONFIGURE), false => deliveries::logs;
    GET "/admin/settings" Admin(PERM_CONFIGURE), false => settings::settings_page;
    POST "/admin/settings" Admin(PERM_CONFIGURE), true => settings::settings_save;
    GET "/api/v1/openapi.json" Public, false => api::openapi::openapi_json;
    GET "/api/v1/docs" Public, false => api::openapi::docs;
    GET "/api/v1/companies" Api(PERM_API), false => api::companies::companies;
    GET "/api/v1/companies/{company}" Api(PERM_API), false => api::companies::company;
    GET "/api/v1/companies/{company}/shipping-options" Api(PERM_API), false => api::shipping::options;
    POST "/api/v1/companies/{company}/labels" Api(PERM_API), false => api::labels::create;
    GET "/api/v1/companies/{company}/jobs/{job}" Api(PERM_API), false => api::labels::job;
    GET "/api/v1/companies/{company}/deliveries/{delivery}" Api(PERM_API), false => api::deliveries::delivery;
    GET "/api/v1/companies/{company}/deliveries/{delivery}/documents/{kind}" Api(PERM_API), false => api::deliveries::document;
    POST "/api/v1/companies/{company}/deliveries/{delivery}/cancel" Api(PERM_API), false => api::labels::cancel;
    GET "/api/v1/companies/{company}/logs" Api(PERM_API), false => api::logs::logs;
    POST "/api/v1/companies/{company}/logs/retry" Api(PERM_API), false => api::logs::retry;
    POST "/api/v1/companies/{company}/syncs" Api(PERM_API), false => api::syncs::start_sync;
    GET "/api/v1/companies/{company}/syncs/{run}" Api(PERM_API), false => api::syncs::sync_run;
    GET "/api/v1/companies/{company}/reports/parcels" Api(PERM_API), false => api::reports::parcels;
    GET "/api/v1/companies/{company}/reports/returns" Api(PERM_API), false => api::reports::returns;
    GET "/api/v1/companies/{company}/reports/invoices" Api(PERM_API), false => api::reports::invoices;
    POST "/admin/orders/resend" Admin(PERM_CONFIGURE), true => orders::resend;
    POST "/admin/notifications/events" Admin(PERM_CONFIGURE), true => notifications::save_events;
    POST "/admin/notifications/events/retry" Admin(PERM_CONFIGURE), true => notifications::retry_events;
    POST "/api/v1/companies/{company}/deliveries/{delivery}/events" Api(PERM_API), false => api::events::delivery_event;
    GET "/api/v1/companies/{company}/events" Api(PERM_API), false => api::events::events;
    POST "/api/v1/companies/{company}/events/retry" Api(PERM_API), false => api::events::retry_events;
    POST "/api/v1/companies/{company}/events/hook" Api(PERM_API), false => api::events::set_hook;
    POST "/api/v1/companies/{company}/orders/push" Api(PERM_API), false => api::orders::push_orders;
    POST "/api/v1/companies/{company}/orders/{order_number}/push" Api(PERM_API), false => api::orders::push_order;
];

/// The headers every response of the module carries: a Content-Security-
/// Policy without inline script or style (framing allowed for
/// `SENDCLOUD_PLUGIN_FRAME_ANCESTORS` only; forms may go to Sendcloud's
/// connect page), `X-Frame-Options` when the setting is `'self'` or
/// `'none'` (a list of hosts has no X-Frame-Options form), `nosniff` and a
/// referrer policy that sends no path or query (tokens) to other sites.
pub fn security_headers(config: &Config) -> DefaultHeaders {
    let panel = url::Url::parse(&config.sendcloud_panel_url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; form-action 'self' {panel}; frame-ancestors {}; \
         base-uri 'none'; object-src 'none'",
        config.frame_ancestors
    );
    let mut headers = DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, csp))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "strict-origin-when-cross-origin"));
    match config.frame_ancestors.trim() {
        "'none'" => headers = headers.add((header::X_FRAME_OPTIONS, "DENY")),
        "'self'" => headers = headers.add((header::X_FRAME_OPTIONS, "SAMEORIGIN")),
        _ => {}
    }
    headers
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
                    PersistentSession::default()
                        .session_ttl(CookieDuration::hours(crate::users::SESSION_TTL_HOURS)),
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
                .wrap(security_headers(&state.config))
                .route(web::post().to(integration::webhook)),
        );
        let mut scope = web::scope(&mount)
            .app_data(web::Data::new(state.clone()))
            .app_data(web::FormConfig::default().limit(64 * 1024));
        for r in ROUTES {
            scope = scope.route(r.path, (r.route)());
        }
        cfg.service(
            scope
                .default_service(web::to(not_found))
                .wrap(actix_web::middleware::from_fn(api::problem_format))
                .wrap(errors)
                .wrap(session)
                .wrap(security_headers(&state.config)),
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
    let page = layout::error_page(&state, &req, status.as_u16(), &message_id);
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

/// The access log: request line, status, time. Tokens never appear: the
/// value of a `token` query parameter (the host token of `/sso`) and the
/// token segment of the webhook URL are replaced by `[redacted]`.
fn access_log(config: &Config) -> actix_web::middleware::Logger {
    let mount = config.mount_path().to_string();
    let webhook = config.manifest.webhooks.sendcloud.clone();
    actix_web::middleware::Logger::new("%{request}xi %s %Dms")
        .custom_request_replace("request", move |req| {
            let target = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            format!(
                "{} {} {:?}",
                req.method(),
                redact_target(target, &mount, &webhook),
                req.version()
            )
        })
        .exclude("/healthz")
}

/// A request target fit for the log (see [`access_log`]).
pub fn redact_target(target: &str, mount: &str, webhook_pattern: &str) -> String {
    const HIDDEN: &str = "[redacted]";
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let mut out = String::with_capacity(target.len());
    // The webhook URL: `{mount}/webhooks/sendcloud/{company}/{token}`.
    let pattern: Vec<&str> = webhook_pattern.split('/').collect();
    let segments: Vec<&str> = path
        .strip_prefix(mount)
        .unwrap_or(path)
        .split('/')
        .collect();
    let is_webhook = path.starts_with(mount)
        && segments.len() == pattern.len()
        && pattern
            .iter()
            .zip(&segments)
            .all(|(p, s)| p.starts_with('{') || p == s);
    if is_webhook {
        out.push_str(mount);
        let shown: Vec<&str> = pattern
            .iter()
            .zip(&segments)
            .map(|(p, s)| if *p == "{token}" { HIDDEN } else { *s })
            .collect();
        out.push_str(&shown.join("/"));
    } else {
        out.push_str(path);
    }
    if let Some(query) = query {
        out.push('?');
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if is_secret_param(k) => format!("{k}={HIDDEN}"),
                _ if is_secret_param(pair) => format!("{pair}={HIDDEN}"),
                _ => pair.to_string(),
            })
            .collect();
        out.push_str(&pairs.join("&"));
    }
    out
}

fn is_secret_param(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["token", "secret", "password", "key"]
        .iter()
        .any(|s| key.contains(s))
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
            .wrap(security_headers(&state.config))
            .wrap(access_log(&state.config))
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

#[cfg(test)]
mod tests {
    use super::redact_target;

    const HOOK: &str = "/webhooks/sendcloud/{company}/{token}";

    #[test]
    fn tokens_are_redacted_in_logged_request_targets() {
        assert_eq!(
            redact_target(
                "/sendcloud/sso?token=eyJ.abc.def&next=/x",
                "/sendcloud",
                HOOK
            ),
            "/sendcloud/sso?token=[redacted]&next=/x"
        );
        assert_eq!(
            redact_target(
                "/sendcloud/webhooks/sendcloud/3/s3cr3tT0ken",
                "/sendcloud",
                HOOK
            ),
            "/sendcloud/webhooks/sendcloud/3/[redacted]"
        );
        assert_eq!(
            redact_target("/sendcloud/admin/config?tab=a", "/sendcloud", HOOK),
            "/sendcloud/admin/config?tab=a"
        );
    }
}
