//! *Lieferungen* (the company's goods deliveries with their shipping state;
//! select many → *Label erstellen*; a delivery's detail with its parcel,
//! tracking history and cancel) and *Logs* (failed labels with the fix-list
//! or Sendcloud's messages, *Erneut versuchen*), *Drucken* (the selected
//! deliveries' labels as one PDF or ZPL, `crate::labels::print`), plus the
//! test-mode switch.
//! Thin: the rules are in `crate::labels`; work reaches Sendcloud through
//! jobs only.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use askama::Template;
use fluent_bundle::FluentValue;

use super::auth::{AdminCtx, Configure};
use super::error::WebError;
use super::layout::{layout_for, Companies, Layout};
use super::session::{self, CsrfForm};
use super::AppState;
use crate::labels::list::{self, DeliveryView, ListFilter};
use crate::labels::print::{self, PrintError, PrintFormat};
use crate::labels::{self, CancelOutcome, Problem, ShippingState};

/// Rows per page.
const PAGE: i64 = 50;

/// One list row as the template shows it.
pub struct Row {
    pub id: i64,
    pub number: String,
    pub order_number: String,
    pub customer: String,
    pub created: String,
    pub state: String,
    pub state_key: &'static str,
    pub tracking: String,
    pub problems: Vec<String>,
}

/// A problem in the reader's language: our fix-list entry or Sendcloud's
/// message for a field.
pub fn problem_text(state: &AppState, lang: &str, p: &Problem) -> String {
    if p.is_check() {
        let parts: Vec<&str> = p.detail.split('|').collect();
        let arg = |i: usize| FluentValue::from(parts.get(i).copied().unwrap_or("").to_string());
        state.i18n.text_with(
            lang,
            &format!("problem-{}", p.code.replace('_', "-")),
            &[
                ("field", FluentValue::from(p.field.clone())),
                ("a", arg(0)),
                ("b", arg(1)),
                ("c", arg(2)),
                ("d", arg(3)),
            ],
        )
    } else {
        state.i18n.text_with(
            lang,
            "problem-sendcloud",
            &[
                ("field", FluentValue::from(p.field.clone())),
                ("message", FluentValue::from(p.detail.clone())),
            ],
        )
    }
}

fn row_of(state: &AppState, lang: &str, v: &DeliveryView) -> Row {
    let d = &v.row.delivery;
    Row {
        id: d.id,
        number: d.delivery_number.clone(),
        order_number: v.row.order_number.clone(),
        customer: v.row.customer_name.clone(),
        created: d.created_at.format("%Y-%m-%d %H:%M").to_string(),
        state: state.i18n.text(lang, &v.state.label_id()),
        state_key: v.state.as_str(),
        tracking: v
            .label
            .as_ref()
            .and_then(|l| l.tracking_number.clone())
            .unwrap_or_default(),
        problems: v
            .label
            .as_ref()
            .map(|l| {
                l.problems()
                    .iter()
                    .map(|p| problem_text(state, lang, p))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "deliveries.html")]
struct ListPage {
    l: Layout,
    rows: Vec<Row>,
    states: Vec<(&'static str, String)>,
    filter_state: String,
    search: String,
    next: Option<i64>,
    test_mode: bool,
    logs: bool,
}

async fn render_list(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: AdminCtx<Configure>,
    query: HashMap<String, String>,
    logs: bool,
) -> Result<HttpResponse, WebError> {
    let AdminCtx {
        user,
        companies,
        company,
        ..
    } = ctx;
    let lang = session::language(&session);
    let filter_state = if logs {
        Some(ShippingState::Failed)
    } else {
        query.get("state").and_then(|s| ShippingState::parse(s))
    };
    let search = query.get("q").cloned().unwrap_or_default();
    let filter = ListFilter {
        state: filter_state,
        search: Some(search.clone()).filter(|s| !s.trim().is_empty()),
        before: query.get("before").and_then(|b| b.parse().ok()),
        limit: PAGE,
    };
    let host = state.host.clone();
    let id = company.id;
    let ((views, next), settings) = state
        .db
        .run(move |c| {
            Ok((
                list::list(c, host.as_ref(), id, &filter)?,
                labels::label_settings(c, id)?,
            ))
        })
        .await?;
    let rows = views.iter().map(|v| row_of(&state, &lang, v)).collect();
    let states = ShippingState::ALL
        .iter()
        .map(|s| (s.as_str(), state.i18n.text(&lang, &s.label_id())))
        .collect();
    let page = ListPage {
        l: layout_for(
            &state,
            &req,
            &session,
            if logs { "logs" } else { "deliveries" },
            &user,
            Companies {
                visible: &companies,
                selected: &company,
            },
            if logs {
                "logs-title"
            } else {
                "deliveries-title"
            },
        ),
        rows,
        states,
        filter_state: filter_state
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        search,
        next,
        test_mode: settings.test_mode,
        logs,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// GET /admin/deliveries
pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: AdminCtx<Configure>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let query = query.into_inner();
    if let Some(id) = query.get("id") {
        let id = id
            .parse()
            .map_err(|_| WebError::BadRequest(format!("bad delivery id {id:?}")))?;
        return detail(state, req, session, ctx, id).await;
    }
    render_list(state, req, session, ctx, query, false).await
}

/// GET /admin/logs
pub async fn logs(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: AdminCtx<Configure>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    render_list(state, req, session, ctx, query.into_inner(), true).await
}

fn selected(form: &HashMap<String, String>) -> Result<Vec<i64>, WebError> {
    let mut ids = Vec::new();
    for key in form.keys() {
        if let Some(id) = key.strip_prefix("d_") {
            ids.push(
                id.parse()
                    .map_err(|_| WebError::BadRequest(format!("bad field {key}")))?,
            );
        }
    }
    ids.sort_unstable();
    Ok(ids)
}

fn back(state: &AppState, form: &HashMap<String, String>) -> HttpResponse {
    let to = match form.get("back").map(String::as_str) {
        Some("logs") => "/admin/logs".to_string(),
        Some(d) if d.starts_with("delivery:") => {
            format!("/admin/deliveries?id={}", d.trim_start_matches("delivery:"))
        }
        _ => "/admin/deliveries".to_string(),
    };
    HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("{}{to}", state.config.mount_path()),
        ))
        .finish()
}

/// POST /admin/deliveries/labels: *Label erstellen* (and *Erneut versuchen*)
/// for the selected deliveries: jobs, never the call itself.
pub async fn create(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { company, .. }: AdminCtx<Configure>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let ids = selected(&form.0)?;
    let lang = session::language(&session);
    if ids.is_empty() {
        session::push_flash(
            &session,
            "error",
            state.i18n.text(&lang, "deliveries-none-selected"),
        );
        return Ok(back(&state, &form.0));
    }
    let host = state.host.clone();
    let id = company.id;
    let trigger = if form.0.get("back").is_some_and(|b| b == "logs") {
        "retry"
    } else {
        "button"
    };
    let s = state
        .db
        .run(move |c| labels::request_labels(c, host.as_ref(), id, &ids, trigger))
        .await?;
    session::push_flash(
        &session,
        "success",
        state.i18n.text_with(
            &lang,
            "deliveries-labels-queued",
            &[
                ("queued", FluentValue::from(s.enqueued)),
                ("already", FluentValue::from(s.already)),
            ],
        ),
    );
    Ok(back(&state, &form.0))
}

/// POST /admin/deliveries/print: *Drucken*, the selected deliveries' labels
/// as one document (a download), or back to the page with what stopped it
/// (per delivery, in the reader's language).
pub async fn print(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { company, .. }: AdminCtx<Configure>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let ids = selected(&form.0)?;
    let lang = session::language(&session);
    let format = form
        .0
        .get("format")
        .and_then(|f| PrintFormat::parse(f, form.0.get("start").map(String::as_str)))
        .ok_or_else(|| WebError::BadRequest("bad print format".into()))?;
    let company_id = company.id;
    match print::merged_documents(&state.ctx(), company_id, &ids, format).await {
        Ok(doc) => Ok(HttpResponse::Ok()
            .content_type(doc.content_type)
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", doc.file_name),
            ))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(doc.bytes)),
        Err(PrintError::NothingSelected) => {
            session::push_flash(
                &session,
                "error",
                state.i18n.text(&lang, "deliveries-none-selected"),
            );
            Ok(back(&state, &form.0))
        }
        Err(PrintError::Unprintable(problems)) => {
            let host = state.host.clone();
            let ids: Vec<i64> = problems.iter().map(|(id, _)| *id).collect();
            let numbers: HashMap<i64, String> = state
                .db
                .run(move |c| {
                    let mut out = HashMap::new();
                    for id in ids {
                        if let Some(d) = list::detail(c, host.as_ref(), company_id, id)? {
                            out.insert(id, d.view.row.delivery.delivery_number);
                        }
                    }
                    Ok(out)
                })
                .await?;
            for (id, why) in &problems {
                let number = numbers.get(id).cloned().unwrap_or_else(|| id.to_string());
                session::push_flash(
                    &session,
                    "error",
                    state.i18n.text_with(
                        &lang,
                        &format!("print-problem-{}", why.code()),
                        &[
                            ("number", FluentValue::from(number)),
                            ("detail", FluentValue::from(why.detail().to_string())),
                        ],
                    ),
                );
            }
            Ok(back(&state, &form.0))
        }
        Err(PrintError::Merge(detail)) => {
            session::push_flash(
                &session,
                "error",
                state.i18n.text_with(
                    &lang,
                    "print-merge-failed",
                    &[("detail", FluentValue::from(detail))],
                ),
            );
            Ok(back(&state, &form.0))
        }
        Err(PrintError::Db(e)) => Err(e.into()),
    }
}

/// POST /admin/deliveries/cancel: cancel the selected deliveries' labels (jobs).
pub async fn cancel(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { user, company, .. }: AdminCtx<Configure>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let ids = selected(&form.0)?;
    let lang = session::language(&session);
    let id = company.id;
    let name = user.name.clone();
    let n = state
        .db
        .run(move |c| {
            let mut n = 0;
            for d in &ids {
                if labels::request_cancel(c, id, *d, &name)? {
                    n += 1;
                }
            }
            Ok(n)
        })
        .await?;
    session::push_flash(
        &session,
        "success",
        state.i18n.text_with(
            &lang,
            "deliveries-cancel-queued",
            &[("count", FluentValue::from(n))],
        ),
    );
    Ok(back(&state, &form.0))
}

/// POST /admin/deliveries/test-mode: switch test mode on or off.
pub async fn test_mode(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { user, company, .. }: AdminCtx<Configure>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let on = form.0.get("on").is_some_and(|v| v == "1");
    let id = company.id;
    let name = user.name.clone();
    state
        .db
        .run(move |c| labels::set_test_mode(c, id, on, &name))
        .await?;
    let lang = session::language(&session);
    session::push_flash(
        &session,
        "success",
        state
            .i18n
            .text(&lang, if on { "test-mode-on" } else { "test-mode-off" }),
    );
    Ok(back(&state, &form.0))
}

#[derive(Template)]
#[template(path = "delivery.html")]
struct DetailPage {
    l: Layout,
    row: Row,
    label: Option<labels::Label>,
    cancel_outcome: Option<String>,
    history: Vec<(String, String)>,
    test_mode: bool,
}

/// GET /admin/deliveries?id=…
async fn detail(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    AdminCtx {
        user,
        companies,
        company,
        ..
    }: AdminCtx<Configure>,
    delivery_id: i64,
) -> Result<HttpResponse, WebError> {
    let lang = session::language(&session);
    let host = state.host.clone();
    let id = company.id;
    let (found, settings) = state
        .db
        .run(move |c| {
            Ok((
                list::detail(c, host.as_ref(), id, delivery_id)?,
                labels::label_settings(c, id)?,
            ))
        })
        .await?;
    let Some(d) = found else {
        return Err(WebError::NotFound);
    };
    let row = row_of(&state, &lang, &d.view);
    let cancel_outcome = d
        .view
        .label
        .as_ref()
        .and_then(|l| l.cancel_outcome.as_deref())
        .and_then(CancelOutcome::parse)
        .map(|o| state.i18n.text(&lang, &o.label_id()));
    let history = d
        .history
        .iter()
        .map(|e| {
            let at = chrono::DateTime::from_timestamp_millis(e.as_of_ms)
                .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                .unwrap_or_default();
            (at, e.message.clone())
        })
        .collect();
    let page = DetailPage {
        l: layout_for(
            &state,
            &req,
            &session,
            "deliveries",
            &user,
            Companies {
                visible: &companies,
                selected: &company,
            },
            "deliveries-title",
        ),
        row,
        label: d.view.label,
        cancel_outcome,
        history,
        test_mode: settings.test_mode,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}
