//! v3 shipments, the label side (`spec/sendcloud/v3/shipments.yml`,
//! `parcel-documents.yml`): `POST /v3/shipments/announce` (one collo, the
//! label in the answer), the look-up of a shipment by our
//! `external_reference_id` (`GET /v3/shipments?external_reference_id=`),
//! `POST /v3/shipments/{id}/cancel`, and parcel documents (one parcel, or
//! up to 20 in one document) as PDF or ZPL.
//!
//! Announce carries an `external_reference_id` that Sendcloud keeps unique
//! per user and answers a reuse with 409: so announce is safe to repeat and
//! is retried like a read (429, 5xx, timeouts); a 409 comes back as
//! [`Announced::Exists`] (with the existing shipment when the body has it).
//! This replaces v2 `POST /parcels` (closed to accounts created after
//! 2026-04-13, V3-FIRST.md), which stays in `parcels.rs` for legacy use.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sendcloud::client::{Accept, RetryMode, SendcloudClient};
use crate::sendcloud::de;
use crate::sendcloud::error::{self, Error, FieldError, Result};

/// Most parcels in one bulk document request (`parcels` `maxItems`).
pub const MAX_DOCUMENTS_PER_REQUEST: usize = 20;

/// An address of a shipment (`address`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    #[serde(default)]
    pub name: String,
    pub company_name: Option<String>,
    #[serde(default)]
    pub address_line_1: String,
    pub house_number: Option<String>,
    pub address_line_2: Option<String>,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
    pub po_box: Option<String>,
    pub state_province_code: Option<String>,
    #[serde(default)]
    pub country_code: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
}

/// The sender: a configured sender address of the account, or a full address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FromAddress {
    SenderAddress { sender_address_id: i64 },
    Address(Box<Address>),
}

/// `ship_with` with a shipping option code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipWith {
    #[serde(rename = "type")]
    pub kind: String,
    pub properties: ShipWithProperties,
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipWithProperties {
    pub shipping_option_code: String,
    pub contract_id: Option<i64>,
}

impl ShipWith {
    pub fn option(code: &str) -> ShipWith {
        ShipWith {
            kind: "shipping_option_code".into(),
            properties: ShipWithProperties {
                shipping_option_code: code.into(),
                contract_id: None,
            },
        }
    }
}

/// Money as a decimal string with currency (`required-price`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub value: String,
    pub currency: String,
}

/// A weight in kg as a decimal string (`str-weight`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weight {
    pub value: String,
    pub unit: String,
}

impl Weight {
    pub fn kg(value: String) -> Weight {
        Weight {
            value,
            unit: "kg".into(),
        }
    }
}

/// Dimensions in cm (`str-dimensions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimensions {
    pub length: String,
    pub width: String,
    pub height: String,
    pub unit: String,
}

/// One item of a parcel (`parcel-item`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParcelItem {
    pub item_id: Option<String>,
    pub description: String,
    /// Whole pieces (Sendcloud refuses fractions).
    pub quantity: i64,
    /// Weight of one piece. Sent with a JSON number as `value` (the spec's
    /// `weight`, unlike the parcel's `str-weight`).
    #[serde(default, with = "number_weight")]
    pub weight: Option<Weight>,
    /// Value of one piece.
    pub price: Money,
    pub hs_code: Option<String>,
    pub origin_country: Option<String>,
    pub sku: Option<String>,
    pub product_id: Option<String>,
}

/// One parcel of an announce request.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewParcel {
    pub weight: Weight,
    pub dimensions: Option<Dimensions>,
    pub parcel_items: Vec<ParcelItem>,
}

/// Customs information for parcels leaving the EU customs area.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomsInformation {
    pub invoice_number: String,
    /// `gift`, `documents`, `commercial_goods`, `commercial_sample`, `returned_goods`.
    pub export_reason: String,
    /// `private` or `commercial_b2c` / `commercial_b2b`.
    pub export_type: Option<String>,
    pub invoice_date: Option<String>,
}

/// The service point to deliver to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePointRef {
    pub id: String,
}

/// Label format wanted in the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelDetails {
    pub mime_type: String,
    pub dpi: i64,
}

/// `POST /v3/shipments/announce` body (`shipment-request-sync-announce`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnounceRequest {
    pub label_details: Option<LabelDetails>,
    pub to_address: Address,
    pub from_address: FromAddress,
    pub ship_with: ShipWith,
    pub order_number: Option<String>,
    pub total_order_price: Option<Money>,
    pub external_reference_id: String,
    pub reference: Option<String>,
    pub to_service_point: Option<ServicePointRef>,
    pub customs_information: Option<CustomsInformation>,
    pub parcels: Vec<NewParcel>,
}

/// `{code, message}` of a parcel status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Status {
    #[serde(default, deserialize_with = "de::null_default")]
    pub code: String,
    #[serde(default, deserialize_with = "de::null_default")]
    pub message: String,
}

/// A document link of a parcel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Document {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub document_type: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
}

/// A parcel of a shipment answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ShipmentParcel {
    pub id: i64,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub tracking_number: Option<String>,
    #[serde(default)]
    pub tracking_url: Option<String>,
    #[serde(default, deserialize_with = "de::null_default")]
    pub documents: Vec<Document>,
}

/// The carrier of a shipment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Carrier {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// A shipment as Sendcloud answers it (the fields the module uses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Shipment {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    #[serde(default)]
    pub external_reference_id: Option<String>,
    #[serde(default)]
    pub order_number: Option<String>,
    #[serde(default, deserialize_with = "de::null_default")]
    pub parcels: Vec<ShipmentParcel>,
    #[serde(default)]
    pub carrier: Option<Carrier>,
}

fn string_or_number<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected a shipment id, got {other}"
        ))),
    }
}

#[derive(Deserialize)]
struct One<T> {
    data: T,
}

#[derive(Deserialize)]
struct Many {
    #[serde(default = "Vec::new", deserialize_with = "de::null_default")]
    data: Vec<Shipment>,
}

#[derive(Deserialize)]
struct Conflict {
    #[serde(default)]
    data: Option<Shipment>,
}

/// What an announce did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announced {
    /// 201: the shipment was created now.
    Created(Shipment),
    /// 409: a shipment with this `external_reference_id` exists; the body's
    /// shipment when it had one (else look it up by reference).
    Exists(Option<Shipment>),
}

/// Sendcloud's answer to a cancellation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelAnswer {
    /// 200: cancelled.
    Cancelled,
    /// 202: queued; Sendcloud cancels it unless the parcel moves.
    Queued,
    /// 409: refused, with Sendcloud's message (already cancelled, too late
    /// after 42 days, delivered).
    Refused(String),
    /// 404: Sendcloud does not know the shipment.
    NotFound,
}

/// Paper size of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaperSize {
    A4,
    A5,
    A6,
}

impl PaperSize {
    pub fn as_str(self) -> &'static str {
        match self {
            PaperSize::A4 => "A4",
            PaperSize::A5 => "A5",
            PaperSize::A6 => "A6",
        }
    }
}

/// Format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentFormat {
    Pdf,
    Zpl,
}

impl SendcloudClient {
    /// `POST /v3/shipments/announce`. Retried on 429, 5xx and lost answers:
    /// the `external_reference_id` makes a repeat answer 409 instead of a
    /// second label.
    pub async fn announce_shipment(&self, req: &AnnounceRequest) -> Result<Announced> {
        if req.external_reference_id.trim().is_empty() {
            return Err(Error::InvalidRequest(
                "an announce needs an external_reference_id".into(),
            ));
        }
        let url = self.v3_url("/shipments/announce", &[])?;
        let body = serde_json::to_value(req)
            .map_err(|e| Error::InvalidRequest(format!("could not encode request: {e}")))?;
        let resp = self
            .execute_accepting(
                Method::POST,
                url,
                Some(&body),
                Accept::Json,
                RetryMode::Safe,
                &[409],
            )
            .await?;
        if resp.status == 409 {
            // The body shape of the 409 is not in the spec: take a shipment when it has one.
            let c: Conflict = resp.json().unwrap_or(Conflict { data: None });
            return Ok(Announced::Exists(c.data));
        }
        let one: One<Shipment> = resp.json()?;
        Ok(Announced::Created(one.data))
    }

    /// `GET /v3/shipments?external_reference_id=…`: the shipment made with
    /// our reference, if any.
    pub async fn shipment_by_reference(&self, reference: &str) -> Result<Option<Shipment>> {
        let url = self.v3_url(
            "/shipments",
            &[("external_reference_id", reference.to_string())],
        )?;
        let many: Many = self.get_json(url).await?;
        Ok(many.data.into_iter().find(|s| {
            s.external_reference_id
                .as_deref()
                .is_none_or(|r| r == reference)
        }))
    }

    /// `POST /v3/shipments/{id}/cancel`.
    pub async fn cancel_shipment(&self, shipment_id: &str) -> Result<CancelAnswer> {
        let url = self.v3_url(
            &format!("/shipments/{}/cancel", urlencode(shipment_id)),
            &[],
        )?;
        let resp = self
            .execute_accepting(
                Method::POST,
                url,
                None,
                Accept::Json,
                RetryMode::RateLimitOnly,
                &[404, 409],
            )
            .await?;
        Ok(match resp.status {
            404 => CancelAnswer::NotFound,
            409 => {
                let errors = error::parse_error_body(&resp.body);
                CancelAnswer::Refused(
                    errors
                        .first()
                        .map(|e: &FieldError| e.message.clone())
                        .unwrap_or_default(),
                )
            }
            202 => CancelAnswer::Queued,
            _ => CancelAnswer::Cancelled,
        })
    }

    /// `GET /v3/parcels/{id}/documents/{type}` (type `label` or
    /// `customs-declaration`) as PDF or ZPL.
    pub async fn parcel_document(
        &self,
        parcel_id: i64,
        kind: &str,
        format: DocumentFormat,
        paper: Option<PaperSize>,
    ) -> Result<Vec<u8>> {
        let query: Vec<(&str, String)> = paper
            .map(|p| vec![("paper_size", p.as_str().to_string())])
            .unwrap_or_default();
        let url = self.v3_url(
            &format!("/parcels/{parcel_id}/documents/{}", urlencode(kind)),
            &query,
        )?;
        self.document(url, format).await
    }

    /// `GET /v3/parcel-documents/{type}?parcels=…`: one document for up to
    /// 20 parcels (more are refused before sending).
    pub async fn parcel_documents(
        &self,
        parcel_ids: &[i64],
        kind: &str,
        format: DocumentFormat,
        paper: Option<PaperSize>,
    ) -> Result<Vec<u8>> {
        if parcel_ids.is_empty() || parcel_ids.len() > MAX_DOCUMENTS_PER_REQUEST {
            return Err(Error::InvalidRequest(format!(
                "1 to {MAX_DOCUMENTS_PER_REQUEST} parcels per document request, got {}",
                parcel_ids.len()
            )));
        }
        let ids: Vec<String> = parcel_ids.iter().map(i64::to_string).collect();
        let mut query = vec![("parcels", ids.join(","))];
        if let Some(p) = paper {
            query.push(("paper_size", p.as_str().to_string()));
        }
        let url = self.v3_url(&format!("/parcel-documents/{}", urlencode(kind)), &query)?;
        self.document(url, format).await
    }

    async fn document(&self, url: url::Url, format: DocumentFormat) -> Result<Vec<u8>> {
        let accept = match format {
            DocumentFormat::Pdf => Accept::Pdf,
            DocumentFormat::Zpl => Accept::Zpl,
        };
        Ok(self
            .execute(Method::GET, url, None, accept, RetryMode::Safe)
            .await?
            .body)
    }
}

/// An item's weight: `value` is a number in `parcel-item` (`weight`), a
/// string for the parcel (`str-weight`). Kept as the decimal string in Rust.
mod number_weight {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    use super::Weight;

    #[derive(Serialize)]
    struct Out<'a> {
        value: serde_json::Number,
        unit: &'a str,
    }

    pub fn serialize<S: Serializer>(w: &Option<Weight>, s: S) -> Result<S::Ok, S::Error> {
        match w {
            None => s.serialize_none(),
            Some(w) => {
                let value: serde_json::Number = w
                    .value
                    .trim()
                    .parse()
                    .map_err(|_| serde::ser::Error::custom("item weight is not a number"))?;
                Out {
                    value,
                    unit: &w.unit,
                }
                .serialize(s)
            }
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Weight>, D::Error> {
        let v = Option::<Value>::deserialize(d)?;
        Ok(v.and_then(|v| {
            let value = match v.get("value")? {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            let unit = v.get("unit").and_then(Value::as_str).unwrap_or("kg");
            Some(Weight {
                value,
                unit: unit.to_string(),
            })
        }))
    }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
