//! Versandmethoden-Zuordnung: staff pick the v3 shipping option for a v2
//! shipping method (what orders carry) where Sendcloud names none, or
//! override Sendcloud's. Thin: the rules are in `crate::shipping_options`.

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
use crate::shipping_options::{self, MappingError, MethodMapping, ShippingOption};

#[derive(Template)]
#[template(path = "method_mapping.html")]
struct MappingPage {
    l: Layout,
    company: Company,
    rows: Vec<MethodMapping>,
    options: Vec<ShippingOption>,
}

impl MappingPage {
    /// Is `code` the staff pick of `row`?
    fn picked(&self, row: &MethodMapping, code: &str) -> bool {
        row.manual_code.as_deref() == Some(code)
    }
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
    let (rows, options) = state
        .db
        .run(move |c| {
            Ok((
                shipping_options::mappings(c, id)?,
                shipping_options::list(c, id)?,
            ))
        })
        .await?;
    let page = MappingPage {
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
            "mm-title",
        ),
        company,
        rows,
        options,
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
        let Some(id) = key.strip_prefix("m_") else {
            continue;
        };
        let method: i64 = id
            .parse()
            .map_err(|_| WebError::BadRequest(format!("bad field {key}")))?;
        let code = Some(value.trim().to_string()).filter(|v| !v.is_empty());
        choices.push((method, code));
    }
    let name = user.name.clone();
    let company_id = company.id;
    let lang = session::language(&session);
    let outcome = state
        .db
        .run(move |c| shipping_options::save_mappings(c, company_id, &choices, &name))
        .await?;
    let (kind, id) = match outcome {
        Ok(_) => ("success", "mm-saved"),
        Err(MappingError::UnknownMethod(_)) => ("error", "mm-error-method"),
        Err(MappingError::UnknownOption(_)) => ("error", "mm-error-option"),
    };
    session::push_flash(&session, kind, state.i18n.text(&lang, id));
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("{}/admin/method-mapping", state.config.mount_path()),
        ))
        .finish())
}
