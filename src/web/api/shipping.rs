//! `GET /api/v1/companies/{company}/shipping-options`: the company's
//! shipping options that fit a delivery (`?delivery=`) or a destination and
//! weight (`?country=&postal_code=&weight=` in kg), only those that fit.

use actix_web::{web, HttpRequest, HttpResponse};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{bad_parameter, covered, respond};
use crate::labels::lookup::{self, Destination};
use crate::web::auth::{Api, ApiCtx};
use crate::web::error::{ApiError, WebError};
use crate::web::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionsQuery {
    delivery: Option<i64>,
    country: Option<String>,
    postal_code: Option<String>,
    /// Kilograms, decimal point (`1.25`).
    weight: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OptionList {
    pub from_country: String,
    pub to_country: String,
    pub weight_g: i64,
    #[serde(default)]
    pub option: Vec<OptionItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OptionItem {
    /// The option code labels are announced with (`postnl:standard/signature`).
    pub code: String,
    pub name: String,
    pub carrier_code: String,
    pub carrier_name: String,
    pub product_name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub min_weight_g: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub max_weight_g: Option<i64>,
    pub service_point_required: bool,
    /// Customs documents are needed.
    pub export_documents: bool,
    /// The v2 shipping method an order may name for this option.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub v2_method_id: Option<i64>,
}

/// The query as a destination, or what is wrong with it.
fn destination(q: &OptionsQuery) -> Result<Option<(String, Option<String>, i64)>, ApiError> {
    match (&q.country, &q.weight) {
        (None, None) => Ok(None),
        (Some(c), Some(w)) => {
            let country = c.trim().to_ascii_uppercase();
            if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(bad_parameter("country is an ISO 3166-1 alpha-2 code"));
            }
            let kg: Decimal = w
                .trim()
                .parse()
                .map_err(|_| bad_parameter("weight is in kg with a decimal point (1.25)"))?;
            if kg <= Decimal::ZERO || kg > Decimal::new(100_000, 0) {
                return Err(bad_parameter("weight is more than 0 and at most 100000 kg"));
            }
            let grams = (kg * Decimal::new(1000, 0)).round().to_i64().unwrap_or(0);
            Ok(Some((country, q.postal_code.clone(), grams.max(1))))
        }
        _ => Err(bad_parameter("name a delivery, or a country and a weight")),
    }
}

pub async fn options(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    q: web::Query<OptionsQuery>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    covered(&user, company_id)?;
    let given = destination(&q)?;
    let delivery = q.delivery;
    if delivery.is_some() == given.is_some() {
        return Err(bad_parameter(
            "name either a delivery, or a country and a weight",
        ));
    }
    let host = state.host.clone();
    let found = state
        .db
        .run(move |c| {
            let dest = match (delivery, given) {
                (Some(d), _) => lookup::destination_of(c, host.as_ref(), company_id, d)?,
                (None, Some((to_country, postal_code, weight_g))) => Some(Destination {
                    from_country: lookup::company_country(c, host.as_ref(), company_id)?
                        .unwrap_or_default(),
                    to_country,
                    postal_code,
                    weight_g,
                }),
                _ => None,
            };
            let Some(dest) = dest else {
                return Ok(None);
            };
            let options = lookup::fitting_options(c, company_id, &dest)?;
            Ok(Some((dest, options)))
        })
        .await?;
    let (dest, options) = found.ok_or(WebError::NotFound)?;
    respond(
        &req,
        "shipping_options",
        &OptionList {
            from_country: dest.from_country,
            to_country: dest.to_country,
            weight_g: dest.weight_g,
            option: options
                .into_iter()
                .map(|o| OptionItem {
                    min_weight_g: o.min_weight_g(),
                    max_weight_g: o.max_weight_g(),
                    code: o.code,
                    name: o.name,
                    carrier_code: o.carrier_code,
                    carrier_name: o.carrier_name,
                    product_name: o.product_name,
                    service_point_required: o.service_point_required,
                    export_documents: o.export_documents,
                    v2_method_id: o.v2_method_id,
                })
                .collect(),
        },
    )
}
