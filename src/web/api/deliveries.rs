//! A delivery's shipment, shipping state and tracking history
//! (`GET /api/v1/companies/{company}/deliveries/{delivery}`) and its
//! documents from Sendcloud (`…/documents/{label|customs-declaration}`,
//! `?format=pdf|zpl`). The bodies here are shared by the label jobs and
//! the Logs.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{bad_parameter, covered, refuse, respond, utc, utc_ms};
use crate::labels::list::DeliveryDetail;
use crate::labels::lookup::{self, DocumentError, DocumentKind};
use crate::labels::{Label, Problem, TrackingEvent};
use crate::sendcloud::shipments_v3::DocumentFormat;
use crate::web::auth::{Api, ApiCtx};
use crate::web::error::{ApiError, WebError};
use crate::web::AppState;

/// A delivery with its label and tracking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeliveryBody {
    pub id: i64,
    pub delivery_number: String,
    pub order_number: String,
    pub customer_name: String,
    /// The host's delivery status (`draft`, `done`, `cancelled`).
    pub status: String,
    /// `no_label`, `label_created`, `in_transit`, `delivered`, `failed`,
    /// `cancelled`.
    pub shipping_state: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shipment: Option<ShipmentBody>,
    /// Why the label failed (the Logs), as codes with Sendcloud's detail.
    #[serde(default)]
    pub problem: Vec<ProblemBody>,
    /// The tracking history, oldest first.
    #[serde(default)]
    pub event: Vec<EventBody>,
}

/// The label (Sendcloud shipment) of a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ShipmentBody {
    /// `pending`, `created`, `failed`, `cancel_requested`, `cancelled`.
    pub state: String,
    /// Our `external_reference_id` at Sendcloud.
    pub reference: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shipment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parcel_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tracking_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tracking_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub carrier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub option_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_message: Option<String>,
    /// Sendcloud's answer to a cancellation as a stable code: `cancelled`,
    /// `queued`, `too_late`, `delivered`, `already_cancelled`,
    /// `not_found`, `no_label`, `failed`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cancel_outcome: Option<String>,
    pub test_mode: bool,
    pub attempts: i32,
    pub created_at: String,
    pub updated_at: String,
}

/// A problem of a failed label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProblemBody {
    /// `check` (found before calling Sendcloud) or `sendcloud`.
    pub source: String,
    /// Our code (`house_number_missing`, …) or `sendcloud`.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub field: Option<String>,
    /// Values of the check, or Sendcloud's message verbatim.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub detail: Option<String>,
}

/// One tracking event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventBody {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_code: Option<String>,
    pub message: String,
    pub at: String,
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.is_empty())
}

impl ProblemBody {
    pub fn of(p: &Problem) -> ProblemBody {
        ProblemBody {
            source: p.source.clone(),
            code: p.code.clone(),
            field: some(&p.field),
            detail: some(&p.detail),
        }
    }
}

impl ShipmentBody {
    pub fn of(l: &Label) -> ShipmentBody {
        ShipmentBody {
            state: l.state.clone(),
            reference: l.external_reference_id.clone(),
            shipment_id: l.shipment_id.clone(),
            parcel_id: l.parcel_id,
            tracking_number: l.tracking_number.clone(),
            tracking_url: l.tracking_url.clone(),
            carrier: l.carrier.clone(),
            option_code: l.option_code.clone(),
            status_id: l.status_id,
            status_code: l.status_code.clone(),
            status_message: l.status_message.clone().filter(|m| !m.is_empty()),
            cancel_outcome: l.cancel_outcome.clone(),
            test_mode: l.test_mode,
            attempts: l.attempts,
            created_at: utc(&l.created_at),
            updated_at: utc(&l.updated_at),
        }
    }
}

impl DeliveryBody {
    pub fn of(d: DeliveryDetail) -> DeliveryBody {
        let v = d.view;
        let problem = match &v.label {
            Some(l) if l.state == crate::labels::STATE_FAILED => {
                l.problems().iter().map(ProblemBody::of).collect()
            }
            _ => vec![],
        };
        DeliveryBody {
            id: v.row.delivery.id,
            delivery_number: v.row.delivery.delivery_number.clone(),
            order_number: v.row.order_number.clone(),
            customer_name: v.row.customer_name.clone(),
            status: v.row.delivery.status.clone(),
            shipping_state: v.state.as_str().to_string(),
            shipment: v.label.as_ref().map(ShipmentBody::of),
            problem,
            event: d.history.iter().map(EventBody::of).collect(),
        }
    }
}

impl EventBody {
    pub fn of(e: &TrackingEvent) -> EventBody {
        EventBody {
            status_id: e.status_id,
            status_code: e.status_code.clone(),
            message: e.message.clone(),
            at: utc_ms(e.as_of_ms),
        }
    }
}

/// The delivery's detail as the API answers it; `None`: not the company's.
pub async fn load(
    state: &AppState,
    company_id: i64,
    delivery_id: i64,
) -> Result<Option<DeliveryBody>, ApiError> {
    let host = state.host.clone();
    Ok(state
        .db
        .run(move |c| crate::labels::list::detail(c, host.as_ref(), company_id, delivery_id))
        .await?
        .map(DeliveryBody::of))
}

/// `GET /api/v1/companies/{company}/deliveries/{delivery}`.
pub async fn delivery(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (company_id, delivery_id) = path.into_inner();
    covered(&user, company_id)?;
    let body = load(&state, company_id, delivery_id)
        .await?
        .ok_or(WebError::NotFound)?;
    respond(&req, "delivery", &body)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    /// `pdf` (default) or `zpl`.
    format: Option<String>,
}

/// `GET /api/v1/companies/{company}/deliveries/{delivery}/documents/{kind}`:
/// the label or the customs declaration, as PDF or ZPL, from Sendcloud.
pub async fn document(
    state: web::Data<AppState>,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<(i64, i64, String)>,
    q: web::Query<DocumentQuery>,
) -> Result<HttpResponse, ApiError> {
    let (company_id, delivery_id, kind) = path.into_inner();
    covered(&user, company_id)?;
    let kind = DocumentKind::parse(&kind)
        .ok_or_else(|| bad_parameter("the document is `label` or `customs-declaration`"))?;
    let (format, content_type, ext) = match q.format.as_deref().unwrap_or("pdf") {
        "pdf" => (DocumentFormat::Pdf, "application/pdf", "pdf"),
        "zpl" => (DocumentFormat::Zpl, "application/zpl", "zpl"),
        _ => return Err(bad_parameter("format is `pdf` or `zpl`")),
    };
    let bytes = lookup::document(&state.ctx(), company_id, delivery_id, kind, format)
        .await
        .map_err(|e| match e {
            DocumentError::UnknownDelivery => ApiError::from(WebError::NotFound),
            DocumentError::NoLabel => refuse("no_label", e.to_string()),
            DocumentError::NotAvailable => refuse("document_unavailable", e.to_string()),
            DocumentError::NotConnected => refuse("not_connected", e.to_string()),
            DocumentError::Sendcloud(m) => refuse("sendcloud_error", m),
            DocumentError::Db(e) => ApiError::from(e),
        })?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{}-{delivery_id}.{ext}\"", kind.as_str()),
        ))
        .body(bytes))
}
