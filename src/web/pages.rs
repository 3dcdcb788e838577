//! Admin UI handlers: thin, they extract, call a service and render.
//! Menu: Konfiguration → Lager → Sendcloud (`/admin/config`) and
//! Berichte → Lager → Sendcloud (`/admin/reports`).

use actix_session::Session;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::error::WebError;
use super::i18n::{I18n, LANGUAGES};
use super::session::{self, AdminUser, CsrfForm, Flash};
use super::AppState;
use crate::host::{Company, HostStats, Warehouse};
use crate::integrations::{self, IntegrationView};
use crate::users::{self, User, PERM_CONFIGURE, PERM_REPORTS};

/// What every page's layout needs.
pub struct Layout {
    pub title: String,
    pub lang: String,
    pub mount: String,
    pub path: String,
    pub nav: &'static str,
    pub csrf: String,
    pub user: Option<String>,
    pub companies: Vec<(i64, String)>,
    pub company_id: Option<i64>,
    pub languages: Vec<(&'static str, &'static str)>,
    pub flash: Vec<Flash>,
    pub(crate) i18n: std::sync::Arc<I18n>,
}

impl Layout {
    /// Translate a message id into the page's language.
    pub fn t(&self, id: &str) -> String {
        self.i18n.text(&self.lang, id)
    }

    /// Is this the company selected in the switcher?
    pub fn is_selected(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.company_id == Some(*id.borrow())
    }

    fn new(state: &AppState, req: &HttpRequest, session: &Session, nav: &'static str) -> Layout {
        Layout {
            title: String::new(),
            lang: session::language(session),
            mount: state.config.mount_path().to_string(),
            path: req
                .uri()
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            nav,
            csrf: session::csrf_token(session),
            user: None,
            companies: vec![],
            company_id: None,
            languages: LANGUAGES.iter().map(|(c, n, _)| (*c, *n)).collect(),
            flash: session::take_flash(session),
            i18n: state.i18n.clone(),
        }
    }
}

pub(super) fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

pub(super) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Only paths inside the module are valid redirect targets.
fn safe_next(state: &AppState, next: Option<&str>) -> String {
    let mount = state.config.mount_path();
    match next {
        Some(n) if n.starts_with(mount) && !n.starts_with("//") && !n.contains("://") => {
            n.to_string()
        }
        _ => format!("{mount}/admin/config"),
    }
}

/// The companies a user may see, and the one selected in the session (the
/// first one when nothing valid is selected).
pub(crate) async fn company_context(
    state: &AppState,
    session: &Session,
    user: &User,
) -> Result<(Vec<Company>, Company), WebError> {
    let host = state.host.clone();
    let all = state.db.run(move |c| host.companies(c)).await?;
    let visible: Vec<Company> = all
        .into_iter()
        .filter(|c| user.may_see_company(c.id))
        .collect();
    let selected = session::selected_company(session)
        .and_then(|id| visible.iter().find(|c| c.id == id))
        .or(visible.first())
        .cloned()
        .ok_or(WebError::NoCompany)?;
    Ok((visible, selected))
}

/// The page's company context: the companies a user may see and the one selected.
pub(crate) struct Companies<'a> {
    pub visible: &'a [Company],
    pub selected: &'a Company,
}

pub(crate) fn layout_for(
    state: &AppState,
    req: &HttpRequest,
    session: &Session,
    nav: &'static str,
    user: &User,
    cos: Companies<'_>,
    title_id: &str,
) -> Layout {
    let (companies, selected) = (cos.visible, cos.selected);
    let mut l = Layout::new(state, req, session, nav);
    l.user = Some(user.name.clone());
    l.companies = companies.iter().map(|c| (c.id, c.name.clone())).collect();
    l.company_id = Some(selected.id);
    l.title = l.t(title_id);
    l
}

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
    session: Session,
    form: CsrfForm<LoginForm>,
) -> Result<HttpResponse, WebError> {
    let LoginForm {
        username,
        password,
        next,
    } = form.0;
    let user = state
        .db
        .run(move |c| users::verify_login(c, username.trim(), &password))
        .await?;
    match user {
        Some(user) => {
            tracing::info!(user = %user.name, "login");
            session::login(&session, &user);
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

pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    session::logout(&session);
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
    session::login(&session, &user);
    Ok(see_other(&safe_next(&state, q.next.as_deref())))
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

#[derive(Template)]
#[template(path = "config.html")]
struct ConfigPage {
    l: Layout,
    company: Company,
    connected: bool,
    state: &'static str,
    state_label: &'static str,
    integration_id: Option<i64>,
    shop_name: Option<String>,
    webhook_active: bool,
    last_sync: Option<String>,
    failing_since: Option<String>,
    /// Webhook events stored in the inbox and not processed yet.
    webhook_pending: i64,
    warehouses: Vec<Warehouse>,
    stats: HostStats,
    objects: Vec<(&'static str, &'static str)>,
    /// (count, object label id) of what the module holds.
    synced: Vec<(i64, &'static str)>,
    /// Anything synced at all (sender addresses: the first thing a sync brings).
    has_synced: bool,
    run: Option<crate::sync::Run>,
    run_active: bool,
    run_state_label: &'static str,
    sender_labels: Vec<(i64, String)>,
    last_push: Option<crate::actionlog::Entry>,
    push_pending: bool,
}

impl ConfigPage {
    /// The sender address linked to a warehouse, if any.
    fn sender_label(&self, warehouse_id: &i64) -> Option<&str> {
        self.sender_labels
            .iter()
            .find(|(w, _)| w == warehouse_id)
            .map(|(_, l)| l.as_str())
    }
}

pub async fn config_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    AdminUser(user): AdminUser,
) -> Result<HttpResponse, WebError> {
    if !user.has(PERM_CONFIGURE) {
        return Err(WebError::Forbidden);
    }
    let (companies, company) = company_context(&state, &session, &user).await?;
    let host = state.host.clone();
    let company_id = company.id;
    let (
        view,
        warehouses,
        stats,
        synced,
        run,
        sender_labels,
        (last_push, push_pending),
        webhook_pending,
    ) = state
        .db
        .run(move |c| {
            let options = crate::warehouses::sender_options(c, company_id)?;
            let labels = crate::warehouses::links(c, host.as_ref(), company_id)?
                .into_iter()
                .filter_map(|(w, s)| {
                    let s = s?;
                    let label = options
                        .iter()
                        .find(|o| o.sendcloud_id == s)
                        .map(|o| o.label.clone())
                        .unwrap_or_else(|| format!("#{s}"));
                    Some((w.id, label))
                })
                .collect::<Vec<_>>();
            Ok((
                integrations::view(c, company_id)?,
                host.warehouses(c, company_id)?,
                host.stats(c, company_id)?,
                crate::sync::synced_counts(c, company_id)?,
                crate::sync::latest_run(c, company_id)?,
                labels,
                crate::orders::last_push(c, company_id)?,
                crate::webhooks::inbox::pending_count(c, company_id)?,
            ))
        })
        .await?;
    let run_active = run
        .as_ref()
        .is_some_and(|r| r.state == "queued" || r.state == "running");
    let run_state_label = match run.as_ref().map(|r| r.state.as_str()) {
        Some("queued") => "run-queued",
        Some("running") => "run-running",
        Some("failed") => "run-failed-state",
        _ => "run-done",
    };
    let IntegrationView {
        state: istate,
        sendcloud_integration_id,
        shop_name,
        webhook_active,
        last_sync_at,
        failing_since,
    } = view;
    let fmt =
        |t: Option<chrono::NaiveDateTime>| t.map(|t| t.format("%d.%m.%Y %H:%M UTC").to_string());
    let page = ConfigPage {
        l: layout_for(
            &state,
            &req,
            &session,
            "config",
            &user,
            Companies {
                visible: &companies,
                selected: &company,
            },
            "integration-title",
        ),
        connected: istate == integrations::STATE_CONNECTED,
        state: istate.as_str_static(),
        state_label: istate.label_id(),
        integration_id: sendcloud_integration_id,
        shop_name,
        webhook_active,
        last_sync: fmt(last_sync_at),
        failing_since: fmt(failing_since),
        webhook_pending,
        company,
        warehouses,
        stats,
        objects: crate::sync::SyncObject::available()
            .map(|o| (o.as_str(), o.label_id()))
            .collect(),
        has_synced: synced.get(crate::sync::SyncObject::SenderAddresses) > 0,
        synced: crate::sync::SyncObject::available()
            .map(|o| (synced.get(o), o.label_id()))
            .collect(),
        run,
        run_active,
        run_state_label,
        sender_labels,
        last_push,
        push_pending,
    };
    Ok(html(page.render()?))
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    l: Layout,
    company: Company,
    tabs: Vec<(&'static str, &'static str)>,
    active: String,
}

#[derive(Deserialize)]
pub struct TabQuery {
    tab: Option<String>,
}

const REPORT_TABS: &[(&str, &str)] = &[
    ("parcels", "report-parcels"),
    ("returns", "report-returns"),
    ("invoices", "report-invoices"),
    ("brands", "report-brands"),
    ("actions", "report-actions"),
];

pub async fn reports_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    AdminUser(user): AdminUser,
    q: web::Query<TabQuery>,
) -> Result<HttpResponse, WebError> {
    if !user.has(PERM_REPORTS) {
        return Err(WebError::Forbidden);
    }
    let (companies, company) = company_context(&state, &session, &user).await?;
    let active = q
        .tab
        .clone()
        .filter(|t| REPORT_TABS.iter().any(|(id, _)| id == t))
        .unwrap_or_else(|| "parcels".into());
    let page = ReportsPage {
        l: layout_for(
            &state,
            &req,
            &session,
            "reports",
            &user,
            Companies {
                visible: &companies,
                selected: &company,
            },
            "reports-title",
        ),
        company,
        tabs: REPORT_TABS.to_vec(),
        active,
    };
    Ok(html(page.render()?))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    status: u16,
    message: String,
}

/// Render an error page in the user's language (used by the error-handler
/// middleware for every HTML error response).
pub fn error_page(state: &AppState, req: &HttpRequest, status: u16, message_id: &str) -> String {
    let session = actix_session::SessionExt::get_session(req);
    let mut l = Layout::new(state, req, &session, "error");
    if let Ok(Some(user)) = session::current_user(req, state) {
        l.user = Some(user.name);
    }
    l.title = status.to_string();
    let message = l.t(message_id);
    ErrorPage { l, status, message }
        .render()
        .unwrap_or_else(|_| message_id.to_string())
}

pub async fn root(state: web::Data<AppState>) -> HttpResponse {
    see_other(&format!("{}/admin/config", state.config.mount_path()))
}
