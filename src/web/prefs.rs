//! The user's own preferences (`/admin/preferences`, any logged-in user):
//! the time zone times are shown in. Thin: storage is `crate::prefs`; the
//! chosen zone is kept in the session too (`session::time_zone`), so pages
//! read it without a query.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::auth::{company_context, AdminUser};
use super::error::WebError;
use super::layout::{html, layout_for, see_other, Companies, Layout};
use super::session::{self, CsrfForm};
use super::AppState;
use crate::prefs;

#[derive(Template)]
#[template(path = "preferences.html")]
struct PreferencesPage {
    l: Layout,
    zones: Vec<&'static str>,
    /// The zone the user chose; empty: the browser's.
    chosen: String,
    /// The zone pages use now (the chosen one, else the browser's, else Berlin).
    effective: String,
}

impl PreferencesPage {
    fn is_chosen(&self, zone: &str) -> bool {
        self.chosen == zone
    }
}

pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    AdminUser(user): AdminUser,
) -> Result<HttpResponse, WebError> {
    let (companies, company) = company_context(&state, &req, &user).await?;
    let l = layout_for(
        &state,
        &req,
        &session,
        "preferences",
        &user,
        Companies {
            visible: &companies,
            selected: &company,
        },
        "prefs-title",
    );
    let page = PreferencesPage {
        zones: prefs::time_zones(),
        chosen: session::time_zone(&session).unwrap_or_default(),
        effective: l.tz.name().to_string(),
        l,
    };
    Ok(html(page.render()?))
}

#[derive(Deserialize)]
pub struct PreferencesForm {
    time_zone: String,
}

pub async fn save(
    state: web::Data<AppState>,
    session: Session,
    AdminUser(user): AdminUser,
    form: CsrfForm<PreferencesForm>,
) -> Result<HttpResponse, WebError> {
    let lang = session::language(&session);
    let zone = form.0.time_zone.trim().to_string();
    let zone = (!zone.is_empty()).then_some(zone);
    let back = see_other(&format!("{}/admin/preferences", state.config.mount_path()));
    if zone.as_deref().is_some_and(|z| !prefs::valid_time_zone(z)) {
        session::push_flash(
            &session,
            "error",
            state.i18n.text(&lang, "prefs-tz-unknown"),
        );
        return Ok(back);
    }
    let name = user.name.clone();
    let stored = zone.clone();
    state
        .db
        .run(move |c| prefs::save_time_zone(c, &name, stored.as_deref()))
        .await?;
    session::set_time_zone(&session, zone.as_deref());
    session::push_flash(&session, "success", state.i18n.text(&lang, "prefs-saved"));
    Ok(back)
}
