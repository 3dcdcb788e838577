//! v3 shipments as the Abgleich reads them: `GET /v3/shipments` (filters
//! `updated_after`/`updated_before`, `external_reference_id`, `order_number`,
//! `tracking_number`, `parcel_status`, `ids`, `page_size`) page by page with
//! the cursor from the `Link` header, and `GET /v3/shipments/{id}`. Only the
//! fields the module stores are typed; a shipment holds one parcel per collo,
//! and the parcel id is the same id v2 and the webhooks use.

use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::sendcloud::client::SendcloudClient;
use crate::sendcloud::de::{self, ApiDateTime};
use crate::sendcloud::error::Result;
use crate::sendcloud::paging::{self, Page, PageBody, Protocol};

/// `{code, message}` status of a v3 parcel (e.g. `READY_TO_SEND`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct V3Status {
    #[serde(deserialize_with = "de::null_default")]
    pub code: String,
    #[serde(deserialize_with = "de::null_default")]
    pub message: String,
}

/// `{value, unit}` with the value as a decimal string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Measure {
    #[serde(deserialize_with = "de::opt_decimal")]
    pub value: Option<Decimal>,
    pub unit: Option<String>,
}

impl Measure {
    /// The value in kilograms (`g`, `lbs`, `oz` converted).
    pub fn kg(&self) -> Option<Decimal> {
        let v = self.value?;
        let factor = match self.unit.as_deref().unwrap_or("kg") {
            "g" => Decimal::new(1, 3),
            "lbs" => Decimal::new(45359237, 8),
            "oz" => Decimal::new(28349523, 9),
            _ => Decimal::ONE,
        };
        Some(v * factor)
    }
}

/// A v3 address (`address`), the parts the module stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct V3Address {
    pub name: Option<String>,
    pub company_name: Option<String>,
    pub address_line_1: Option<String>,
    pub house_number: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country_code: Option<String>,
    pub email: Option<String>,
}

/// `{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Code {
    pub code: Option<String>,
}

/// `ship_with.properties`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ShipWithProperties {
    pub shipping_option_code: Option<String>,
    pub contract_id: Option<i64>,
}

/// `ship_with`: how the shipment ships (`shipping_option_code`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ShipWith {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub properties: Option<ShipWithProperties>,
}

/// One parcel (collo) of a shipment (`parcels-array-response`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ShipmentParcel {
    pub id: i64,
    pub status: Option<V3Status>,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    pub weight: Option<Measure>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub created_at: Option<ApiDateTime>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub updated_at: Option<ApiDateTime>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub announced_at: Option<ApiDateTime>,
}

/// A v3 shipment (`shipment-response`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Shipment {
    /// A string (UUID) in v3, unlike the integer parcel ids.
    #[serde(deserialize_with = "de::opt_string_or_number")]
    pub id: Option<String>,
    pub order_number: Option<String>,
    pub external_reference_id: Option<String>,
    pub reference: Option<String>,
    pub to_address: Option<V3Address>,
    pub carrier: Option<Code>,
    pub ship_with: Option<ShipWith>,
    #[serde(deserialize_with = "de::null_default")]
    pub parcels: Vec<ShipmentParcel>,
}

impl Shipment {
    /// The shipping option code it ships with.
    pub fn shipping_option_code(&self) -> Option<&str> {
        self.ship_with
            .as_ref()?
            .properties
            .as_ref()?
            .shipping_option_code
            .as_deref()
    }
}

/// Filters of `GET /v3/shipments`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShipmentFilter {
    pub updated_after: Option<DateTime<Utc>>,
    pub updated_before: Option<DateTime<Utc>>,
    pub external_reference_id: Option<String>,
    pub order_number: Option<String>,
    pub tracking_number: Option<String>,
    /// A v3 status code or a v2 status id.
    pub parcel_status: Option<String>,
    /// Parcel ids, at most 100.
    pub ids: Vec<i64>,
    /// 1–100 (Sendcloud's default is 40).
    pub page_size: Option<u32>,
    /// Resume from a saved cursor.
    pub cursor: Option<String>,
}

impl ShipmentFilter {
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        let ts = |t: &DateTime<Utc>| de::wire_timestamp(t, de::WireStyle::Micros);
        if let Some(t) = &self.updated_after {
            q.push(("updated_after", ts(t)));
        }
        if let Some(t) = &self.updated_before {
            q.push(("updated_before", ts(t)));
        }
        let opts: [(&'static str, &Option<String>); 4] = [
            ("external_reference_id", &self.external_reference_id),
            ("order_number", &self.order_number),
            ("tracking_number", &self.tracking_number),
            ("parcel_status", &self.parcel_status),
        ];
        for (k, v) in opts {
            if let Some(v) = v {
                q.push((k, v.clone()));
            }
        }
        if !self.ids.is_empty() {
            let ids: Vec<String> = self.ids.iter().map(i64::to_string).collect();
            q.push(("ids", ids.join(",")));
        }
        if let Some(n) = self.page_size {
            q.push(("page_size", n.clamp(1, 100).to_string()));
        }
        if let Some(c) = &self.cursor {
            q.push(("cursor", c.clone()));
        }
        q
    }
}

#[derive(Deserialize)]
struct ListBody {
    #[serde(default, deserialize_with = "de::null_default")]
    data: Vec<Shipment>,
}

impl PageBody<Shipment> for ListBody {
    fn split(self) -> (Vec<Shipment>, Option<String>) {
        (self.data, None)
    }
}

#[derive(Deserialize)]
struct OneBody {
    data: Shipment,
}

impl SendcloudClient {
    /// `GET /v3/shipments` page by page (cursor from the `Link` header),
    /// starting at `filter.cursor` or the beginning.
    pub fn shipment_pages(
        &self,
        filter: &ShipmentFilter,
    ) -> impl Stream<Item = Result<Page<Shipment>>> + Send + 'static {
        let url = self.v3_url("/shipments", &filter.query());
        let client = self.clone();
        paging::from_url_result(url, move |url| {
            paging::pages::<Shipment, ListBody>(client, url, Protocol::LinkHeader)
        })
    }

    /// `GET /v3/shipments` shipment by shipment.
    pub fn shipments(
        &self,
        filter: &ShipmentFilter,
    ) -> impl Stream<Item = Result<Shipment>> + Send + 'static {
        paging::items(self.shipment_pages(filter)).boxed()
    }

    /// `GET /v3/shipments/{id}`.
    pub async fn get_shipment(&self, id: &str) -> Result<Shipment> {
        let url = self.v3_url(&format!("/shipments/{id}"), &[])?;
        Ok(self.get_json::<OneBody>(url).await?.data)
    }
}
