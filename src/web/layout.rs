//! What every page shares: the layout (title, language, menu, company
//! switcher, CSRF token, flash messages), the HTML and redirect responses,
//! the check of redirect targets and the error page.

use actix_session::Session;
use actix_web::{http::header, HttpRequest, HttpResponse};
use askama::filters::Safe;
use askama::Template;
use chrono::NaiveDateTime;
use chrono_tz::Tz;

use super::i18n::{I18n, LANGUAGES};
use super::session::{self, Flash};
use super::AppState;
use crate::host::Company;
use crate::users::User;

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
    /// The zone times are shown in (see [`reader_time_zone`]).
    pub tz: Tz,
    pub(crate) i18n: std::sync::Arc<I18n>,
}

/// The zone a reader sees times in: the one they chose (kept in the
/// session), else the browser's (the cookie app.js sets), else
/// Europe/Berlin. Unknown names are ignored.
pub fn reader_time_zone(req: &HttpRequest, session: &Session) -> Tz {
    session::time_zone(session)
        .and_then(|z| z.parse::<Tz>().ok())
        .or_else(|| {
            req.cookie(session::BROWSER_TZ_COOKIE)
                .and_then(|c| c.value().parse::<Tz>().ok())
        })
        .unwrap_or(chrono_tz::Europe::Berlin)
}

/// A UTC time as the reader reads it: in `tz`, in the language's usual
/// form (German `04.12.2026, 19:05`, English `4 Dec 2026, 19:05`, Dutch
/// `04-12-2026 19:05`, French `04/12/2026 19:05`).
pub fn local_time_text(lang: &str, tz: Tz, utc: &NaiveDateTime) -> String {
    let local = utc.and_utc().with_timezone(&tz);
    let pattern = match lang {
        "en" => "%-d %b %Y, %H:%M",
        "nl" => "%d-%m-%Y %H:%M",
        "fr" => "%d/%m/%Y %H:%M",
        _ => "%d.%m.%Y, %H:%M",
    };
    local.format(pattern).to_string()
}

impl Layout {
    /// Translate a message id into the page's language.
    pub fn t(&self, id: &str) -> String {
        self.i18n.text(&self.lang, id)
    }

    /// A stored (UTC) time for the page: a `<time>` element in the reader's
    /// zone and language, the UTC time in its tooltip. The one way pages
    /// show a time.
    pub fn datetime(&self, utc: &NaiveDateTime) -> Safe<String> {
        Safe(format!(
            "<time datetime=\"{}\" title=\"{}\">{}</time>",
            utc.format("%Y-%m-%dT%H:%M:%SZ"),
            utc.format("%Y-%m-%d %H:%M UTC"),
            local_time_text(&self.lang, self.tz, utc)
        ))
    }

    /// [`Layout::datetime`] for an optional time (`–` when there is none).
    pub fn datetime_or_dash(&self, utc: &Option<NaiveDateTime>) -> Safe<String> {
        match utc {
            Some(t) => self.datetime(t),
            None => Safe("–".to_string()),
        }
    }

    /// Is this the company selected in the switcher?
    pub fn is_selected(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.company_id == Some(*id.borrow())
    }

    pub(crate) fn new(
        state: &AppState,
        req: &HttpRequest,
        session: &Session,
        nav: &'static str,
    ) -> Layout {
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
            tz: reader_time_zone(req, session),
            i18n: state.i18n.clone(),
        }
    }
}

pub(crate) fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Only paths inside the module are valid redirect targets; anything else
/// (another site, a control character such as CR/LF) goes to the default page.
pub(crate) fn safe_next(state: &AppState, next: Option<&str>) -> String {
    let mount = state.config.mount_path();
    match next {
        Some(n)
            if n.starts_with(mount)
                && !n.starts_with("//")
                && !n.contains("://")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n.to_string()
        }
        _ => format!("{mount}/admin/config"),
    }
}

/// The page's company context: the companies a user may see and the one selected.
pub struct Companies<'a> {
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
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    status: u16,
    message: String,
}

/// Render an error page in the user's language (used by the error-handler
/// middleware for every HTML error response). The user's name is the one
/// the request claims (shown, never trusted).
pub fn error_page(state: &AppState, req: &HttpRequest, status: u16, message_id: &str) -> String {
    let session = actix_session::SessionExt::get_session(req);
    let mut l = Layout::new(state, req, &session, "error");
    match session::claimed_user(req, state) {
        Ok(session::Claim::Token(user)) | Ok(session::Claim::Session { user, .. }) => {
            l.user = Some(user.name)
        }
        _ => {}
    }
    l.title = status.to_string();
    let message = l.t(message_id);
    ErrorPage { l, status, message }
        .render()
        .unwrap_or_else(|_| message_id.to_string())
}
