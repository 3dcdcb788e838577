//! `GET /api/v1/companies` (the companies the token covers) and
//! `GET /api/v1/companies/{company}` (one company's integration status).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{covered, respond, utc};
use crate::web::auth::{Api, ApiCtx};
use crate::web::error::{ApiError, WebError};
use crate::web::AppState;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CompanyList {
    #[serde(default)]
    pub company: Vec<CompanyItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CompanyItem {
    pub id: i64,
    pub name: String,
    pub country: String,
    /// `disconnected`, `pending`, `connected`.
    pub integration_state: String,
}

/// A company's Sendcloud integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CompanyStatus {
    pub id: i64,
    pub name: String,
    pub country: String,
    /// `disconnected`, `pending`, `connected`.
    pub integration_state: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sendcloud_integration_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shop_name: Option<String>,
    pub webhook_active: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub last_sync_at: Option<String>,
    /// Since when the connection fails (Sendcloud refuses the keys).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub failing_since: Option<String>,
    /// Labels in the Logs (failed, waiting for a fix and a retry).
    pub failed_labels: i64,
}

/// `GET /api/v1/companies`: the companies the token may see, with the state
/// of their Sendcloud integration.
pub async fn companies(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
) -> Result<HttpResponse, ApiError> {
    let host = state.host.clone();
    let list = state
        .db
        .run(move |c| {
            let mut out = vec![];
            for co in host.companies(c)? {
                if user.may_see_company(co.id) {
                    let view = crate::integrations::view(c, co.id)?;
                    out.push(CompanyItem {
                        id: co.id,
                        name: co.name,
                        country: co.country,
                        integration_state: view.state.as_str_static().to_string(),
                    });
                }
            }
            Ok(out)
        })
        .await?;
    respond(&req, "companies", &CompanyList { company: list })
}

/// `GET /api/v1/companies/{company}`: the company's integration status.
pub async fn company(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    covered(&user, company_id)?;
    let host = state.host.clone();
    let found = state
        .db
        .run(move |c| {
            let Some(co) = host.company(c, company_id)? else {
                return Ok(None);
            };
            let view = crate::integrations::view(c, company_id)?;
            let failed = crate::labels::failed_count(c, company_id)?;
            Ok(Some((co, view, failed)))
        })
        .await?;
    let (co, view, failed) = found.ok_or(WebError::NotFound)?;
    respond(
        &req,
        "company",
        &CompanyStatus {
            id: co.id,
            name: co.name,
            country: co.country,
            integration_state: view.state.as_str_static().to_string(),
            sendcloud_integration_id: view.sendcloud_integration_id,
            shop_name: view.shop_name,
            webhook_active: view.webhook_active,
            last_sync_at: view.last_sync_at.as_ref().map(utc),
            failing_since: view.failing_since.as_ref().map(utc),
            failed_labels: failed,
        },
    )
}
