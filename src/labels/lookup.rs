//! What the plugin API reads about labels beyond the list and a delivery's
//! detail (`list.rs`): the shipping options that fit a delivery or a
//! destination and weight, a label or cancel job's state, and a delivery's
//! documents (label PDF/ZPL, customs declaration) fetched from Sendcloud.

use crate::context::Context;
use crate::db::{DbConn, DbError, DbResult};
use crate::host::{CustomsAttributeKeys, Host};
use crate::sendcloud::shipments_v3::DocumentFormat;
use crate::shipping_options::{self, ShippingOption};

use super::{CancelJob, LabelJob};
use crate::jobs::JobKind;

/// Where a parcel goes and what it weighs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// ISO-2 country it leaves from.
    pub from_country: String,
    /// ISO-2 country it goes to.
    pub to_country: String,
    pub postal_code: Option<String>,
    pub weight_g: i64,
}

/// The destination and weight of a delivery (products × quantities; sent
/// from its warehouse's country, else the company's); `None` when it is not
/// the company's.
pub fn destination_of(
    conn: &mut DbConn,
    host: &dyn Host,
    company_id: i64,
    delivery_id: i64,
) -> DbResult<Option<Destination>> {
    let keys = CustomsAttributeKeys {
        hs_code: "hs_code".into(),
        origin_country: "origin_country".into(),
    };
    let Some(d) = host.delivery_for_label(conn, company_id, delivery_id, &keys)? else {
        return Ok(None);
    };
    let from = match &d.warehouse {
        Some(w) if !w.country.trim().is_empty() => w.country.clone(),
        _ => company_country(conn, host, company_id)?.unwrap_or_default(),
    };
    let kg = super::content::parcel_weight(&d);
    use rust_decimal::prelude::ToPrimitive;
    let weight_g = (kg * rust_decimal::Decimal::new(1000, 0))
        .round()
        .to_i64()
        .unwrap_or(0);
    Ok(Some(Destination {
        from_country: from,
        to_country: d.customer.country.clone(),
        postal_code: Some(d.customer.postal_code.clone()),
        weight_g,
    }))
}

/// The company's own country (parcels without a warehouse country leave
/// from there).
pub fn company_country(
    conn: &mut DbConn,
    host: &dyn Host,
    company_id: i64,
) -> DbResult<Option<String>> {
    Ok(host.company(conn, company_id)?.map(|c| c.country))
}

/// The company's active shipping options that can carry the parcel
/// (`shipping_options::fits`), by carrier and name.
pub fn fitting_options(
    conn: &mut DbConn,
    company_id: i64,
    dest: &Destination,
) -> DbResult<Vec<ShippingOption>> {
    Ok(shipping_options::list(conn, company_id)?
        .into_iter()
        .filter(|o| {
            shipping_options::fits(o, dest.weight_g, &dest.from_country, &dest.to_country).is_ok()
        })
        .collect())
}

/// A label or cancel job as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobView {
    pub id: i64,
    /// `labels.create` or `labels.cancel`.
    pub kind: String,
    /// `queued`, `running`, `done`, `failed`.
    pub state: String,
    pub attempts: i32,
    pub delivery_id: i64,
}

/// A label or cancel job of the company; `None` for another company's job
/// or another kind.
pub fn job(conn: &mut DbConn, company_id: i64, job_id: i64) -> DbResult<Option<JobView>> {
    let Some(j) = crate::jobs::get(conn, job_id)? else {
        return Ok(None);
    };
    if j.company_id != Some(company_id) {
        return Ok(None);
    }
    let delivery_id = match j.kind.as_str() {
        LabelJob::KIND => serde_json::from_str::<LabelJob>(&j.payload)
            .ok()
            .map(|l| l.delivery_id),
        CancelJob::KIND => serde_json::from_str::<CancelJob>(&j.payload)
            .ok()
            .map(|l| l.delivery_id),
        _ => None,
    };
    Ok(delivery_id.map(|delivery_id| JobView {
        id: j.id,
        kind: j.kind,
        state: j.state,
        attempts: j.attempts,
        delivery_id,
    }))
}

/// A document of a delivery's parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Label,
    CustomsDeclaration,
}

impl DocumentKind {
    pub fn parse(s: &str) -> Option<DocumentKind> {
        match s {
            "label" => Some(DocumentKind::Label),
            "customs-declaration" => Some(DocumentKind::CustomsDeclaration),
            _ => None,
        }
    }

    /// Sendcloud's name of the document type.
    pub fn as_str(&self) -> &'static str {
        match self {
            DocumentKind::Label => "label",
            DocumentKind::CustomsDeclaration => "customs-declaration",
        }
    }
}

/// Why a document cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The delivery is not the company's.
    #[error("no such delivery")]
    UnknownDelivery,
    /// The delivery has no label (yet, or any more).
    #[error("the delivery has no label")]
    NoLabel,
    /// Sendcloud has no such document for the parcel (no customs needed).
    #[error("Sendcloud has no such document for this parcel")]
    NotAvailable,
    #[error("the company has no connected Sendcloud account")]
    NotConnected,
    #[error("Sendcloud: {0}")]
    Sendcloud(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// A delivery's document from Sendcloud, as PDF or ZPL.
pub async fn document(
    ctx: &Context,
    company_id: i64,
    delivery_id: i64,
    kind: DocumentKind,
    format: DocumentFormat,
) -> Result<Vec<u8>, DocumentError> {
    let host = ctx.host.clone();
    let (exists, label) = ctx
        .db
        .run(move |c| {
            let exists = host
                .deliveries(
                    c,
                    company_id,
                    &crate::host::DeliveryQuery {
                        ids: Some(vec![delivery_id]),
                        limit: 1,
                        ..Default::default()
                    },
                )?
                .into_iter()
                .next()
                .is_some();
            Ok((exists, super::label_of(c, company_id, delivery_id)?))
        })
        .await?;
    if !exists {
        return Err(DocumentError::UnknownDelivery);
    }
    let Some(parcel_id) = label
        .filter(|l| l.state == super::STATE_CREATED || l.state == super::STATE_CANCEL_REQUESTED)
        .and_then(|l| l.parcel_id)
    else {
        return Err(DocumentError::NoLabel);
    };
    let client = crate::account::client_for(ctx, company_id)
        .await
        .map_err(|e| match e {
            crate::account::ClientError::NotConnected => DocumentError::NotConnected,
            crate::account::ClientError::Db(e) => DocumentError::Db(e),
            other => DocumentError::Sendcloud(other.to_string()),
        })?;
    client
        .parcel_document(parcel_id, kind.as_str(), format, None)
        .await
        .map_err(|e| match e {
            crate::sendcloud::Error::NotFound { .. } => DocumentError::NotAvailable,
            other => DocumentError::Sendcloud(other.to_string()),
        })
}
