//! Bestellungen abgleichen: push orders from a chosen date to Sendcloud,
//! see the recent orders with their push state and send one again by hand
//! (*Erneut senden*). The handlers only enqueue an `orders.push` job; the
//! push itself is `crate::orders` run by the job worker.

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
use crate::orders::state::OrderPushLine;
use crate::orders::{self, PushJob, PushRequested};

#[derive(Template)]
#[template(path = "orders.html")]
struct OrdersPage {
    l: Layout,
    company: Company,
    since: String,
    /// The order selection in the form (`approved_open`, …).
    selection: &'static str,
    last: Option<Entry>,
    pending: bool,
    /// The recent orders with their push state.
    recent: Vec<OrderPushLine>,
    /// Does anything hold orders back (the state column explains it)?
    hold_active: bool,
}

/// How many recent orders the page lists.
const RECENT: i64 = 50;

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
    q: web::Query<FormQuery>,
) -> Result<HttpResponse, WebError> {
    let id = company.id;
    let (host, manifest) = (state.host.clone(), state.config.manifest.clone());
    let ((last, pending), recent, hold_active) = state
        .db
        .run(move |c| {
            let hold = crate::settings::load(c, id, &manifest)?.order_push.hold;
            Ok((
                orders::last_push(c, id)?,
                orders::state::recent_orders(c, host.as_ref(), id, &hold, RECENT)?,
                hold.is_active(),
            ))
        })
        .await?;
    // The date and selection of the last submit come back in the query,
    // so a refused or started push keeps what was chosen.
    let since = q
        .since
        .as_deref()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| (Utc::now() - Duration::days(30)).date_naive())
        .format("%Y-%m-%d")
        .to_string();
    let selection = q
        .selection
        .as_deref()
        .and_then(OrderSelection::parse)
        .map(|s| s.as_str())
        .unwrap_or("approved_open");
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
        selection,
        last,
        pending,
        recent,
        hold_active,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// What the form held at its last submit (see [`start`]).
#[derive(Deserialize)]
pub struct FormQuery {
    since: Option<String>,
    selection: Option<String>,
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
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("since", form.0.since.trim())
        .append_pair("selection", &form.0.selection)
        .finish();
    let back = HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("{}/admin/orders?{query}", state.config.mount_path()),
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
        orders: None,
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

#[derive(Deserialize)]
pub struct ResendForm {
    order_number: String,
}

/// *Erneut senden*: push one order again now (even unchanged, even held).
pub async fn resend(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { user, company, .. }: AdminCtx<Configure>,
    form: CsrfForm<ResendForm>,
) -> Result<HttpResponse, WebError> {
    let lang = session::language(&session);
    let number = form.0.order_number.trim().to_string();
    let (id, host) = (company.id, state.host.clone());
    let mut job = PushJob::orders(id, vec![number.clone()], "resend");
    job.user = Some(user.name.clone());
    let outcome = state
        .db
        .run(move |c| {
            if !orders::state::order_exists(c, host.as_ref(), id, &number)? {
                return Ok(None);
            }
            Ok(Some(orders::request_push(c, &job)?))
        })
        .await?;
    let (level, msg) = match outcome {
        None => ("error", "orders-resend-unknown"),
        Some(PushRequested::Started) => ("info", "orders-resend-started"),
        Some(PushRequested::AlreadyRunning) => ("info", "orders-already-running"),
        Some(PushRequested::NotConnected) => ("error", "needs-connection"),
    };
    session::push_flash(&session, level, state.i18n.text(&lang, msg));
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("{}/admin/orders", state.config.mount_path()),
        ))
        .finish())
}
