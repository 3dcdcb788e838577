//! The reports page, Berichte → Lager → Sendcloud (`/admin/reports`): its
//! tabs for the selected company.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::auth::{AdminCtx, Reports};
use super::error::WebError;
use super::layout::{html, layout_for, Layout};
use super::AppState;
use crate::host::Company;

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
    ctx: AdminCtx<Reports>,
    q: web::Query<TabQuery>,
) -> Result<HttpResponse, WebError> {
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
            &ctx.user,
            ctx.companies(),
            "reports-title",
        ),
        company: ctx.company.clone(),
        tabs: REPORT_TABS.to_vec(),
        active,
    };
    Ok(html(page.render()?))
}
