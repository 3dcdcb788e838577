//! Lager konfigurieren: pick a synced sender address per warehouse. Thin:
//! the rules are in `crate::warehouses`.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use askama::Template;

use super::auth::{AdminCtx, Configure};
use super::error::WebError;
use super::layout::{layout_for, Companies, Layout};
use super::session::{self, CsrfForm};
use super::AppState;
use crate::host::Company;
use crate::warehouses::{self, SenderOption};

pub struct Row {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub address: String,
    pub selected: Option<i64>,
    /// (warehouse country, sender address country) when they differ.
    pub mismatch: Option<(String, String)>,
}

impl Row {
    /// Is this sender address the one linked to the warehouse?
    pub fn is(&self, sender: impl std::borrow::Borrow<i64>) -> bool {
        self.selected == Some(*sender.borrow())
    }
}

#[derive(Template)]
#[template(path = "warehouses.html")]
struct WarehousesPage {
    l: Layout,
    company: Company,
    rows: Vec<Row>,
    options: Vec<SenderOption>,
    /// Is the company connected to Sendcloud (else the page says so and
    /// links to Setup)?
    connected: bool,
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
    let host = state.host.clone();
    let id = company.id;
    let (links, options, connected) = state
        .db
        .run(move |c| {
            Ok((
                warehouses::links(c, host.as_ref(), id)?,
                warehouses::sender_options(c, id)?,
                crate::integrations::view(c, id)?.state == crate::integrations::STATE_CONNECTED,
            ))
        })
        .await?;
    let rows = links
        .into_iter()
        .map(|(w, selected)| Row {
            mismatch: warehouses::country_mismatch(&w.country, selected, &options),
            id: w.id,
            address: format!(
                "{} {}, {} {}, {}",
                w.street,
                w.house_number.clone().unwrap_or_default(),
                w.postal_code,
                w.city,
                w.country
            ),
            code: w.code,
            name: w.name,
            selected,
        })
        .collect();
    let page = WarehousesPage {
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
            "btn-warehouses",
        ),
        company,
        rows,
        options,
        connected,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

pub async fn save(
    state: web::Data<AppState>,
    session: Session,
    AdminCtx { user, company, .. }: AdminCtx<Configure>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let mut choices = vec![];
    for (key, value) in &form.0 {
        let Some(id) = key.strip_prefix("wh_") else {
            continue;
        };
        let wid: i64 = id
            .parse()
            .map_err(|_| WebError::BadRequest(format!("bad field {key}")))?;
        let sender = if value.is_empty() {
            None
        } else {
            Some(
                value
                    .parse::<i64>()
                    .map_err(|_| WebError::BadRequest(format!("bad sender address {value:?}")))?,
            )
        };
        choices.push((wid, sender));
    }
    let host = state.host.clone();
    let name = user.name.clone();
    let company_id = company.id;
    let lang = session::language(&session);
    match state
        .db
        .run(move |c| warehouses::save_links(c, host.as_ref(), company_id, &choices, &name))
        .await
    {
        Ok(_) => session::push_flash(&session, "success", state.i18n.text(&lang, "wh-saved")),
        Err(crate::db::DbError::Invalid(msg)) => session::push_flash(&session, "error", msg),
        Err(e) => return Err(e.into()),
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("{}/admin/warehouses", state.config.mount_path()),
        ))
        .finish())
}
