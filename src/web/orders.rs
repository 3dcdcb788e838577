//! Bestellungen abgleichen: push orders from a chosen date to Sendcloud.
//! The handler only enqueues an `orders.push` job; the push itself is
//! `crate::orders` run by the job worker.

use actix_session::Session;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{Duration, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use super::auth::{AdminCtx, Configure};
use super::error::WebError;
use super::layout::{layout_for, Companies, Layout};
use super::session::{self, CsrfForm};
use super::AppState;
use crate::actionlog::Entry;
use crate::db::schema::{sendcloud_action_log as al, sendcloud_jobs as jobs};
use crate::host::{Company, OrderSelection};
use crate::jobs::NewJob;

#[derive(Template)]
#[template(path = "orders.html")]
struct OrdersPage {
    l: Layout,
    company: Company,
    since: String,
    last: Option<Entry>,
    pending: bool,
}

/// The newest push summary of a company and whether a push is waiting or running.
pub fn last_push(
    conn: &mut crate::db::DbConn,
    company_id: i64,
) -> crate::db::DbResult<(Option<Entry>, bool)> {
    let last = al::table
        .filter(
            al::company_id
                .eq(company_id)
                .and(al::action.eq("orders.push.summary")),
        )
        .order(al::id.desc())
        .select(Entry::as_select())
        .first(conn)
        .optional()?;
    let pending: i64 = jobs::table
        .filter(jobs::company_id.eq(company_id))
        .filter(jobs::kind.eq("orders.push"))
        .filter(jobs::state.eq_any(["queued", "running"]))
        .count()
        .get_result(conn)?;
    Ok((last, pending > 0))
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
    let (last, pending) = state.db.run(move |c| last_push(c, id)).await?;
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
    let company_id = company.id;
    let connected = state
        .db
        .run(move |c| {
            Ok(crate::integrations::view(c, company_id)?.state
                == crate::integrations::STATE_CONNECTED)
        })
        .await?;
    if !connected {
        session::push_flash(
            &session,
            "error",
            state.i18n.text(&lang, "needs-connection"),
        );
        return Ok(back);
    }
    let since = date
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let payload = serde_json::json!({ "since": since, "selection": selection.as_str(), "trigger": "manual", "user": user.name });
    let queued = state
        .db
        .run(move |c| {
            crate::jobs::enqueue(
                c,
                &NewJob::new("orders.push", Some(company_id), payload)
                    .dedupe(format!("orders.push:{company_id}")),
            )
        })
        .await?;
    let msg = if queued.is_some() {
        "orders-started"
    } else {
        "orders-already-running"
    };
    session::push_flash(&session, "info", state.i18n.text(&lang, msg));
    Ok(back)
}
