//! Parcels (v2): create (single, batch, idempotent by `external_reference`),
//! get, list with filters and cursor paging, update/announce via
//! `PUT /parcels`, cancel with every documented outcome, and the parcel
//! status list. Creates always send `errors=verbose-carrier`.

use std::time::Instant;

use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sendcloud::client::{Accept, RetryMode, SendcloudClient};
use crate::sendcloud::de::{self, ApiDateTime};
use crate::sendcloud::error::{self, Error, FieldError, Result};
use crate::sendcloud::labels::LabelUrls;
use crate::sendcloud::paging::{self, Page, PageBody, Protocol};

fn is_false(b: &Option<bool>) -> bool {
    b.is_none()
}

/// A shipping method reference `{"id": N}` (`name` only in answers).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ShipmentRef {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
}

/// One customs line (spec `parcel-item`). Weight in kg per unit; value per unit.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ParcelItem {
    #[serde(default, deserialize_with = "de::null_default")]
    pub description: String,
    #[serde(default)]
    pub quantity: i64,
    /// kg per unit, sent as a string (`"0.500"`).
    #[serde(default, deserialize_with = "de::decimal")]
    pub weight: Decimal,
    /// Per unit, sent as a JSON number.
    #[serde(
        default,
        deserialize_with = "de::decimal",
        serialize_with = "de::decimal_as_number"
    )]
    pub value: Decimal,
    #[serde(default)]
    pub hs_code: Option<String>,
    #[serde(default)]
    pub origin_country: Option<String>,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub item_id: Option<String>,
    #[serde(default)]
    pub properties: Option<Value>,
    #[serde(default)]
    pub return_reason: Option<i64>,
    #[serde(default)]
    pub return_message: Option<String>,
    #[serde(default)]
    pub mid_code: Option<String>,
    #[serde(default)]
    pub material_content: Option<String>,
    #[serde(default)]
    pub intended_use: Option<String>,
    #[serde(default)]
    pub dangerous_goods: Option<Value>,
    #[serde(default)]
    pub dds_reference: Option<String>,
    #[serde(default)]
    pub taric_doc_code: Option<String>,
}

/// Customs data (spec `ParcelCustomsInformation`); nested objects kept raw.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CustomsInformation {
    #[serde(default)]
    pub customs_invoice_nr: Option<String>,
    /// 0 gift, 1 documents, 2 commercial goods, 3 commercial sample, 4 returned goods.
    #[serde(default)]
    pub customs_shipment_type: Option<i64>,
    /// private | commercial_b2c | commercial_b2b.
    #[serde(default)]
    pub export_type: Option<String>,
    #[serde(default)]
    pub invoice_date: Option<String>,
    #[serde(default, deserialize_with = "de::opt_decimal")]
    pub discount_granted: Option<Decimal>,
    #[serde(default, deserialize_with = "de::opt_decimal")]
    pub freight_costs: Option<Decimal>,
    #[serde(default, deserialize_with = "de::opt_decimal")]
    pub insurance_costs: Option<Decimal>,
    #[serde(default, deserialize_with = "de::opt_decimal")]
    pub other_costs: Option<Decimal>,
    #[serde(default)]
    pub general_notes: Option<String>,
    #[serde(default)]
    pub additional_declaration_statements: Option<Vec<String>>,
    #[serde(default)]
    pub importer_of_record: Option<Value>,
    #[serde(default)]
    pub tax_numbers: Option<Value>,
    #[serde(default)]
    pub return_data: Option<Value>,
}

/// A parcel to create or the changes of an update (spec `ParcelCreation`).
/// `name`, `address`, `city`, `postal_code` and `country` are required on
/// create; empty strings are left out of the JSON (for updates).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NewParcel {
    /// Only for updates (set by [`SendcloudClient::update_parcel`]).
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default)]
    pub company_name: Option<String>,
    #[serde(default)]
    pub contract: Option<i64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
    #[serde(default)]
    pub address_2: Option<String>,
    /// Leave `None` (or empty) to let Sendcloud split it from `address`.
    #[serde(default)]
    pub house_number: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub city: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub postal_code: String,
    #[serde(default)]
    pub telephone: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub request_label: Option<bool>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub data: Option<Value>,
    /// ISO-2.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
    /// Shipping method.
    #[serde(default)]
    pub shipment: Option<ShipmentRef>,
    /// kg, sent as a string.
    #[serde(default, deserialize_with = "de::opt_decimal")]
    pub weight: Option<Decimal>,
    #[serde(default)]
    pub order_number: Option<String>,
    #[serde(default)]
    pub insured_value: Option<i64>,
    #[serde(default)]
    pub total_order_value_currency: Option<String>,
    /// Sent as a string (`"11.11"`).
    #[serde(default, deserialize_with = "de::opt_decimal")]
    pub total_order_value: Option<Decimal>,
    /// Multicollo count 1..=20.
    #[serde(default)]
    pub quantity: Option<i64>,
    #[serde(default)]
    pub shipping_method_checkout_name: Option<String>,
    #[serde(default)]
    pub to_post_number: Option<String>,
    #[serde(default)]
    pub country_state: Option<String>,
    #[serde(default)]
    pub sender_address: Option<i64>,
    #[serde(default)]
    pub customs_invoice_nr: Option<String>,
    #[serde(default)]
    pub customs_shipment_type: Option<i64>,
    /// Unique per parcel; the idempotency key.
    #[serde(default)]
    pub external_reference: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub to_service_point: Option<i64>,
    #[serde(default)]
    pub total_insured_value: Option<i64>,
    #[serde(default)]
    pub shipment_uuid: Option<String>,
    #[serde(default)]
    pub parcel_items: Option<Vec<ParcelItem>>,
    #[serde(default)]
    pub is_return: Option<bool>,
    /// cm, sent as strings; give all three or none.
    #[serde(default, deserialize_with = "de::opt_decimal")]
    pub length: Option<Decimal>,
    #[serde(default, deserialize_with = "de::opt_decimal")]
    pub width: Option<Decimal>,
    #[serde(default, deserialize_with = "de::opt_decimal")]
    pub height: Option<Decimal>,
    #[serde(default)]
    pub request_label_async: Option<bool>,
    #[serde(default)]
    pub apply_shipping_rules: Option<bool>,
    #[serde(default)]
    pub from_name: Option<String>,
    #[serde(default)]
    pub from_company_name: Option<String>,
    #[serde(default)]
    pub from_address_1: Option<String>,
    #[serde(default)]
    pub from_address_2: Option<String>,
    #[serde(default)]
    pub from_house_number: Option<String>,
    #[serde(default)]
    pub from_city: Option<String>,
    #[serde(default)]
    pub from_postal_code: Option<String>,
    #[serde(default)]
    pub from_country: Option<String>,
    #[serde(default)]
    pub from_telephone: Option<String>,
    #[serde(default)]
    pub from_email: Option<String>,
    #[serde(default)]
    pub from_vat_number: Option<String>,
    #[serde(default)]
    pub from_eori_number: Option<String>,
    #[serde(default)]
    pub from_inbound_vat_number: Option<String>,
    #[serde(default)]
    pub from_inbound_eori_number: Option<String>,
    #[serde(default)]
    pub from_ioss_number: Option<String>,
    #[serde(default)]
    pub customs_information: Option<CustomsInformation>,
}

/// `{street, house_number}` as split by Sendcloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AddressDivided {
    #[serde(deserialize_with = "de::opt_string_or_number")]
    pub street: Option<String>,
    #[serde(deserialize_with = "de::opt_string_or_number")]
    pub house_number: Option<String>,
}

/// Country object of parcel answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Country {
    pub iso_2: Option<String>,
    pub iso_3: Option<String>,
    pub name: Option<String>,
}

/// Carrier object `{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CarrierRef {
    pub code: Option<String>,
}

/// Parcel status `{id, message}` (also the items of `GET /parcels/statuses`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ParcelStatus {
    pub id: i64,
    #[serde(deserialize_with = "de::null_default")]
    pub message: String,
}

/// A document link of a parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Document {
    /// label | cp71 | cn23 | commercial-invoice | cn23-default.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// a4 | a6.
    pub size: Option<String>,
    pub link: Option<String>,
}

/// A parcel as Sendcloud returns it (spec `ParcelResponseFull`/`Short`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Parcel {
    pub id: i64,
    pub name: Option<String>,
    pub company_name: Option<String>,
    pub address: Option<String>,
    pub address_2: Option<String>,
    pub address_divided: Option<AddressDivided>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub telephone: Option<String>,
    pub email: Option<String>,
    pub country: Option<Country>,
    pub to_state: Option<String>,
    /// A string in answers (an integer in requests).
    #[serde(deserialize_with = "de::opt_string_or_number")]
    pub to_service_point: Option<String>,
    pub to_post_number: Option<String>,
    pub carrier: Option<CarrierRef>,
    pub contract: Option<i64>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub date_created: Option<ApiDateTime>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub date_updated: Option<ApiDateTime>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub date_announced: Option<ApiDateTime>,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    /// kg.
    #[serde(deserialize_with = "de::opt_decimal")]
    pub weight: Option<Decimal>,
    #[serde(deserialize_with = "de::opt_decimal")]
    pub length: Option<Decimal>,
    #[serde(deserialize_with = "de::opt_decimal")]
    pub width: Option<Decimal>,
    #[serde(deserialize_with = "de::opt_decimal")]
    pub height: Option<Decimal>,
    /// `None` on unannounced parcels.
    pub label: Option<LabelUrls>,
    #[serde(deserialize_with = "de::null_default")]
    pub documents: Vec<Document>,
    pub customs_declaration: Option<Value>,
    pub status: Option<ParcelStatus>,
    pub shipment: Option<ShipmentRef>,
    pub order_number: Option<String>,
    pub external_reference: Option<String>,
    pub reference: Option<String>,
    pub shipment_uuid: Option<String>,
    pub colli_uuid: Option<String>,
    pub collo_nr: Option<i64>,
    pub collo_count: Option<i64>,
    pub is_return: Option<bool>,
    #[serde(deserialize_with = "de::opt_decimal")]
    pub insured_value: Option<Decimal>,
    #[serde(deserialize_with = "de::opt_decimal")]
    pub total_insured_value: Option<Decimal>,
    #[serde(deserialize_with = "de::opt_decimal")]
    pub total_order_value: Option<Decimal>,
    pub total_order_value_currency: Option<String>,
    #[serde(deserialize_with = "de::null_default")]
    pub parcel_items: Vec<ParcelItem>,
    pub customs_invoice_nr: Option<String>,
    pub customs_shipment_type: Option<i64>,
    pub customs_information: Option<CustomsInformation>,
    pub awb_tracking_number: Option<String>,
    pub box_number: Option<i64>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub shipping_method_checkout_name: Option<String>,
    pub note: Option<String>,
    pub data: Option<Value>,
    /// Carrier errors `{field: [msgs], non_field_errors: [msgs]}`, raw.
    pub errors: Option<Value>,
}

impl Parcel {
    /// Carrier errors attached to the parcel, as clerk-readable lines.
    pub fn carrier_errors(&self) -> Vec<FieldError> {
        self.errors
            .as_ref()
            .map(error::parse_field_map)
            .unwrap_or_default()
    }
}

/// A parcel Sendcloud refused in a `verbose` create.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedParcel {
    /// The partial parcel echo (raw JSON).
    pub parcel: Value,
    /// Why it failed.
    pub errors: Vec<FieldError>,
}

impl FailedParcel {
    /// `external_reference` of the refused parcel, if echoed.
    pub fn external_reference(&self) -> Option<&str> {
        self.parcel
            .get("external_reference")
            .and_then(Value::as_str)
    }

    /// `order_number` of the refused parcel, if echoed.
    pub fn order_number(&self) -> Option<&str> {
        self.parcel.get("order_number").and_then(Value::as_str)
    }
}

impl<'de> Deserialize<'de> for FailedParcel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            parcel: Value,
            #[serde(default)]
            errors: Value,
        }
        let raw = Raw::deserialize(d)?;
        Ok(Self {
            parcel: raw.parcel,
            errors: error::parse_field_map(&raw.errors),
        })
    }
}

/// Result of a batch create: created parcels and refused ones.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CreateParcelsOutcome {
    pub created: Vec<Parcel>,
    pub failed: Vec<FailedParcel>,
}

/// Outcome of `POST /parcels/{id}/cancel`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelOutcome {
    /// 200: the label was cancelled.
    Cancelled { message: String },
    /// 200 with status `deleted` (unannounced parcel removed) or 410
    /// (announcement had failed; the parcel was deleted).
    Deleted { message: String },
    /// 202: cancellation queued (watched for 14 days).
    Queued { message: String },
    /// 400: cancellation refused (already cancelled, delivered, >42 days).
    Rejected { message: String },
    /// 404: no such parcel.
    NotFound { message: String },
}

/// Filters of `GET /parcels`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParcelFilter {
    pub updated_after: Option<DateTime<Utc>>,
    pub announced_after: Option<DateTime<Utc>>,
    pub external_reference: Option<String>,
    pub order_number: Option<String>,
    pub tracking_number: Option<String>,
    pub parcel_status: Option<i64>,
    /// At most 100.
    pub ids: Vec<i64>,
    /// Resume from a saved cursor.
    pub cursor: Option<String>,
}

impl ParcelFilter {
    fn query(&self) -> Result<Vec<(&'static str, String)>> {
        let mut q = Vec::new();
        if let Some(t) = self.updated_after {
            q.push((
                "updated_after",
                de::wire_timestamp(&t, de::WireStyle::Micros),
            ));
        }
        if let Some(t) = self.announced_after {
            q.push((
                "announced_after",
                de::wire_timestamp(&t, de::WireStyle::Micros),
            ));
        }
        if let Some(r) = &self.external_reference {
            q.push(("external_reference", r.clone()));
        }
        if let Some(o) = &self.order_number {
            q.push(("order_number", o.clone()));
        }
        if let Some(t) = &self.tracking_number {
            q.push(("tracking_number", t.clone()));
        }
        if let Some(s) = self.parcel_status {
            q.push(("parcel_status", s.to_string()));
        }
        if !self.ids.is_empty() {
            if self.ids.len() > 100 {
                return Err(Error::InvalidRequest(format!(
                    "at most 100 parcel ids per request, got {}",
                    self.ids.len()
                )));
            }
            let ids: Vec<String> = self.ids.iter().map(i64::to_string).collect();
            q.push(("ids", ids.join(",")));
        }
        if let Some(c) = &self.cursor {
            q.push(("cursor", c.clone()));
        }
        Ok(q)
    }
}

#[derive(Deserialize)]
struct ListBody {
    #[serde(default, deserialize_with = "de::opt_string_or_number")]
    next: Option<String>,
    #[serde(default, deserialize_with = "de::null_default")]
    parcels: Vec<Parcel>,
}

impl PageBody<Parcel> for ListBody {
    fn split(self) -> (Vec<Parcel>, Option<String>) {
        (self.parcels, self.next)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CreateBody {
    parcel: Option<Parcel>,
    #[serde(deserialize_with = "de::null_default")]
    parcels: Vec<Parcel>,
    #[serde(deserialize_with = "de::null_default")]
    failed_parcels: Vec<FailedParcel>,
}

#[derive(Deserialize)]
struct OneBody {
    parcel: Parcel,
}

#[derive(Deserialize)]
struct UpdateBody {
    #[serde(deserialize_with = "de::one_or_many")]
    parcel: Vec<Parcel>,
}

#[derive(Deserialize)]
struct CancelBody {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

impl SendcloudClient {
    async fn post_parcels(&self, body: &Value) -> Result<CreateBody> {
        let url = self.v2_url("/parcels", &[("errors", "verbose-carrier".to_string())])?;
        self.send_json(reqwest::Method::POST, url, body, RetryMode::RateLimitOnly)
            .await
    }

    /// `POST /parcels?errors=verbose-carrier` with `{"parcel": ...}`. Never
    /// retried on timeouts or 5xx (use [`Self::create_parcel_idempotent`]).
    /// A refused parcel gives [`Error::ParcelRejected`].
    pub async fn create_parcel(&self, parcel: &NewParcel) -> Result<Parcel> {
        let body = serde_json::json!({ "parcel": parcel });
        let mut resp = self.post_parcels(&body).await?;
        if let Some(p) = resp.parcel.take() {
            return Ok(p);
        }
        if let Some(p) = resp.parcels.into_iter().next() {
            return Ok(p);
        }
        match resp.failed_parcels.into_iter().next() {
            Some(failed) => Err(Error::ParcelRejected {
                errors: failed.errors,
            }),
            None => Err(Error::MalformedResponse(
                "create answer holds no parcel".into(),
            )),
        }
    }

    /// `POST /parcels?errors=verbose-carrier` with `{"parcels": [...]}`: good
    /// parcels are created, refused ones come back in `failed`.
    pub async fn create_parcels(&self, parcels: &[NewParcel]) -> Result<CreateParcelsOutcome> {
        if parcels.is_empty() {
            return Ok(CreateParcelsOutcome::default());
        }
        let body = serde_json::json!({ "parcels": parcels });
        let resp = self.post_parcels(&body).await?;
        let mut created = resp.parcels;
        created.extend(resp.parcel);
        Ok(CreateParcelsOutcome {
            created,
            failed: resp.failed_parcels,
        })
    }

    /// Creates a parcel exactly once, keyed by its `external_reference`.
    ///
    /// On a timeout, connection loss or 5xx the parcel is first looked up with
    /// `GET /parcels?external_reference=...`: if found it is returned; only
    /// when the lookup proves it absent is the create sent again (within the
    /// retry policy). If the lookup itself fails, [`Error::Uncertain`] is
    /// returned and nothing is re-sent.
    pub async fn create_parcel_idempotent(&self, parcel: &NewParcel) -> Result<Parcel> {
        let reference = match parcel.external_reference.as_deref().map(str::trim) {
            Some(r) if !r.is_empty() => r.to_string(),
            _ => {
                return Err(Error::InvalidRequest(
                    "an idempotent create needs an external_reference".into(),
                ))
            }
        };
        let policy = self.config().retry.clone();
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let err = match self.create_parcel(parcel).await {
                Ok(p) => return Ok(p),
                Err(e) => e,
            };
            let duplicate = err
                .field_errors()
                .iter()
                .any(|f| f.field.as_deref() == Some("external_reference"));
            if !err.is_ambiguous() && !duplicate {
                return Err(err);
            }
            tracing::warn!(error = %err, reference = %reference, "parcel create interrupted; looking it up");
            match self.find_parcel_by_external_reference(&reference).await {
                Ok(Some(found)) => return Ok(found),
                Ok(None) if duplicate => return Err(err),
                Ok(None) => {}
                Err(lookup) => {
                    tracing::warn!(error = %lookup, "lookup after interrupted create failed");
                    return Err(Error::Uncertain {
                        reference,
                        cause: Box::new(err),
                    });
                }
            }
            if attempt >= policy.max_attempts || started.elapsed() >= policy.max_total_time {
                return Err(err);
            }
            let delay = policy
                .base_delay
                .saturating_mul(2u32.saturating_pow(attempt - 1))
                .min(policy.max_delay);
            tokio::time::sleep(delay).await;
        }
    }

    /// `GET /parcels?external_reference=...`: the parcel with exactly this
    /// reference, if any.
    pub async fn find_parcel_by_external_reference(
        &self,
        reference: &str,
    ) -> Result<Option<Parcel>> {
        let filter = ParcelFilter {
            external_reference: Some(reference.to_string()),
            ..ParcelFilter::default()
        };
        let url = self.v2_url("/parcels", &filter.query()?)?;
        let body: ListBody = self.get_json(url).await?;
        Ok(body
            .parcels
            .into_iter()
            .find(|p| p.external_reference.as_deref() == Some(reference)))
    }

    /// `GET /parcels/{id}`.
    pub async fn get_parcel(&self, id: i64) -> Result<Parcel> {
        let url = self.v2_url(&format!("/parcels/{id}"), &[])?;
        Ok(self.get_json::<OneBody>(url).await?.parcel)
    }

    /// `GET /parcels` page by page (lazy; save `next_cursor` to resume).
    pub fn parcel_pages(
        &self,
        filter: &ParcelFilter,
    ) -> impl Stream<Item = Result<Page<Parcel>>> + Send + 'static {
        let url = filter.query().and_then(|q| self.v2_url("/parcels", &q));
        let client = self.clone();
        paging::from_url_result(url, move |url| {
            paging::pages::<Parcel, ListBody>(client, url, Protocol::BodyNext)
        })
    }

    /// `GET /parcels` item by item (one page in memory at a time).
    pub fn parcels(
        &self,
        filter: &ParcelFilter,
    ) -> impl Stream<Item = Result<Parcel>> + Send + 'static {
        paging::items(self.parcel_pages(filter)).boxed()
    }

    /// `PUT /parcels` with `{"parcel": {"id": id, ...changes}}` (only for
    /// parcels not yet announced). Answers with the parcel as object or array.
    pub async fn update_parcel(&self, id: i64, changes: &NewParcel) -> Result<Parcel> {
        let mut changes = changes.clone();
        changes.id = Some(id);
        let body = serde_json::json!({ "parcel": changes });
        let url = self.v2_url("/parcels", &[])?;
        // A write (announcing even buys a label): retried only after a 429.
        let resp: UpdateBody = self
            .send_json(reqwest::Method::PUT, url, &body, RetryMode::RateLimitOnly)
            .await?;
        resp.parcel
            .into_iter()
            .next()
            .ok_or_else(|| Error::MalformedResponse("update answer holds no parcel".into()))
    }

    /// Announces a created parcel: `PUT /parcels` `{"parcel":{"id":N,"request_label":true}}`.
    pub async fn announce_parcel(&self, id: i64) -> Result<Parcel> {
        let changes = NewParcel {
            request_label: Some(true),
            ..NewParcel::default()
        };
        self.update_parcel(id, &changes).await
    }

    /// `POST /parcels/{id}/cancel`, mapping every documented status to a
    /// [`CancelOutcome`].
    pub async fn cancel_parcel(&self, id: i64) -> Result<CancelOutcome> {
        let url = self.v2_url(&format!("/parcels/{id}/cancel"), &[])?;
        let resp = self
            .execute_accepting(
                reqwest::Method::POST,
                url,
                None,
                Accept::Json,
                RetryMode::RateLimitOnly,
                &[400, 404, 410],
            )
            .await?;
        let parsed: Option<CancelBody> = serde_json::from_slice(&resp.body).ok();
        let status_word = parsed
            .as_ref()
            .and_then(|b| b.status.clone())
            .unwrap_or_default();
        let message = parsed.and_then(|b| b.message).unwrap_or_else(|| {
            error::parse_error_body(&resp.body)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        });
        Ok(match resp.status {
            202 => CancelOutcome::Queued { message },
            400 => CancelOutcome::Rejected { message },
            404 => CancelOutcome::NotFound { message },
            410 => CancelOutcome::Deleted { message },
            _ if status_word == "deleted" => CancelOutcome::Deleted { message },
            _ if status_word == "queued" => CancelOutcome::Queued { message },
            _ => CancelOutcome::Cancelled { message },
        })
    }

    /// `GET /parcels/statuses` (bare array).
    pub async fn parcel_statuses(&self) -> Result<Vec<ParcelStatus>> {
        let url = self.v2_url("/parcels/statuses", &[])?;
        self.get_json(url).await
    }
}
