//! Bestellungen abgleichen: push orders from a chosen date to Sendcloud.
//! The handler only enqueues an `orders.push` job; the push itself is
//! `crate::orders` run by the job worker.

use actix_session::Session;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{Duration, NaiveDate, Utc};
use serde::Deserialize;

use super::auth::{AdminCtx, Configure};
use super::error::WebError;
use super::layout::{layout_for, Companies, Layout};
use super::session::{self, CsrfForm};
use super::AppState;
use crate::actionlog::Entry;
use crate::host::{Company, OrderSelection};
use crate::orders::{self, PushJob, PushRequested};

#[derive(Template)]
#[template(path = "orders.html")]
struct OrdersPage {
    l: Layout,
    company: Company,
    since: String,
    last: Option<Entry>,
    pending: bool,
}

pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    AdminCtx {
        user,
        companies,
        company,
        ..
    }: AdminCtx<Configure>,
) -> Result<HttpResponse, WebError> {
    let id = company.id;
    let (last, pending) = state.db.run(move |c| orders::last_push(c, id)).await?;
    let since = (Utc::now() - Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    let page = OrdersPage {
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
            "btn-orders",
        ),
        company,
        since,
        last,
        pending,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

#[derive(Deserialize)]
pub struct OrdersForm {
    since: String,
    selection: String,
}

pub async fn start(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { user, company, .. }: AdminCtx<Configure>,
    form: CsrfForm<OrdersForm>,
) -> Result<HttpResponse, WebError> {
    let lang = session::language(&session);
    let back = HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("{}/admin/orders", state.config.mount_path()),
        ))
        .finish();
    let Ok(date) = NaiveDate::parse_from_str(form.0.since.trim(), "%Y-%m-%d") else {
        session::push_flash(&session, "error", state.i18n.text(&lang, "orders-bad-date"));
        return Ok(back);
    };
    if date > Utc::now().date_naive() {
        session::push_flash(&session, "error", state.i18n.text(&lang, "orders-bad-date"));
        return Ok(back);
    }
    let selection = OrderSelection::parse(&form.0.selection)
        .ok_or_else(|| WebError::BadRequest(format!("unknown selection {:?}", form.0.selection)))?;
    let job = PushJob {
        company_id: company.id,
        since: date.and_hms_opt(0, 0, 0).unwrap_or_default(),
        selection: Some(selection.as_str().to_string()),
        trigger: Some("manual".into()),
        user: Some(user.name.clone()),
    };
    let msg = match state.db.run(move |c| orders::request_push(c, &job)).await? {
        PushRequested::Started => "orders-started",
        PushRequested::AlreadyRunning => "orders-already-running",
        PushRequested::NotConnected => "needs-connection",
    };
    let level = if msg == "needs-connection" {
        "error"
    } else {
        "info"
    };
    session::push_flash(&session, level, state.i18n.text(&lang, msg));
    Ok(back)
}
