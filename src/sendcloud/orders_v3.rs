//! The v3 Orders API: batch upsert `POST /v3/orders` (at most 100 orders,
//! refused client-side beyond that; idempotent by `order_id`, so retried) and
//! `GET /v3/orders` with `Link`-header cursor paging.

use futures_util::{Stream, StreamExt};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sendcloud::client::{RetryMode, SendcloudClient};
use crate::sendcloud::de::{self, ApiDateTime};
use crate::sendcloud::error::{Error, Result};
use crate::sendcloud::paging::{self, Page, PageBody, Protocol};

/// Most orders per `POST /v3/orders`.
pub const MAX_ORDERS_PER_BATCH: usize = 100;

/// Money as a JSON number with currency (`orders-price`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Price {
    #[serde(
        deserialize_with = "de::decimal",
        serialize_with = "de::decimal_as_number"
    )]
    pub value: Decimal,
    pub currency: String,
}

/// Money as a decimal string with currency (`costs-object`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Costs {
    #[serde(deserialize_with = "de::decimal")]
    pub value: Decimal,
    pub currency: String,
}

/// `{code, message}` status of an order or payment.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StatusCode {
    pub code: String,
    #[serde(default)]
    pub message: Option<String>,
}

/// `{id}` reference to an integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IntegrationRef {
    #[serde(deserialize_with = "de::id_lenient")]
    pub id: i64,
}

/// A value with unit (`{value, unit}`), weight or volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Quantity {
    #[serde(
        deserialize_with = "de::decimal",
        serialize_with = "de::decimal_as_number"
    )]
    pub value: Decimal,
    pub unit: String,
}

/// Dimensions with unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Dimension {
    #[serde(
        deserialize_with = "de::decimal",
        serialize_with = "de::decimal_as_number"
    )]
    pub length: Decimal,
    #[serde(
        deserialize_with = "de::decimal",
        serialize_with = "de::decimal_as_number"
    )]
    pub width: Decimal,
    #[serde(
        deserialize_with = "de::decimal",
        serialize_with = "de::decimal_as_number"
    )]
    pub height: Decimal,
    pub unit: String,
}

/// Measurements of an item or shipment.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Measurement {
    #[serde(default)]
    pub dimension: Option<Dimension>,
    #[serde(default)]
    pub weight: Option<Quantity>,
    #[serde(default)]
    pub volume: Option<Quantity>,
}

/// One order line (`order-items`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct OrderItem {
    #[serde(default)]
    pub item_id: Option<String>,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub variant_id: Option<String>,
    #[serde(default)]
    pub image_url: Option<String>,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub quantity: i64,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub hs_code: Option<String>,
    #[serde(default)]
    pub country_of_origin: Option<String>,
    #[serde(default)]
    pub properties: Option<Value>,
    #[serde(default)]
    pub unit_price: Option<Price>,
    pub total_price: Price,
    #[serde(default)]
    pub measurement: Option<Measurement>,
    #[serde(default)]
    pub ean: Option<String>,
    #[serde(default)]
    pub delivery_dates: Option<Value>,
    #[serde(default)]
    pub mid_code: Option<String>,
    #[serde(default)]
    pub material_content: Option<String>,
    #[serde(default)]
    pub intended_use: Option<String>,
    #[serde(default)]
    pub dangerous_goods: Option<Value>,
}

/// `order_details`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDetails {
    pub integration: IntegrationRef,
    pub status: StatusCode,
    pub order_created_at: ApiDateTime,
    #[serde(default, deserialize_with = "de::opt_datetime")]
    pub order_updated_at: Option<ApiDateTime>,
    #[serde(default)]
    pub order_items: Vec<OrderItem>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
}

/// `payment_details`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PaymentDetails {
    #[serde(default)]
    pub is_cash_on_delivery: Option<bool>,
    pub total_price: Price,
    #[serde(default)]
    pub subtotal_price: Option<Price>,
    #[serde(default)]
    pub estimated_shipping_price: Option<Price>,
    #[serde(default)]
    pub estimated_tax_price: Option<Price>,
    pub status: StatusCode,
    #[serde(default)]
    pub invoice_date: Option<String>,
    #[serde(default)]
    pub discount_granted: Option<Costs>,
    #[serde(default)]
    pub insurance_costs: Option<Costs>,
    #[serde(default)]
    pub freight_costs: Option<Costs>,
    #[serde(default)]
    pub other_costs: Option<Costs>,
}

/// A tax number `{name, country_code, value}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TaxNumber {
    pub name: String,
    pub country_code: String,
    pub value: String,
}

/// Tax numbers of the parties.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TaxNumbers {
    #[serde(default)]
    pub sender: Option<Vec<TaxNumber>>,
    #[serde(default)]
    pub receiver: Option<Vec<TaxNumber>>,
    #[serde(default)]
    pub importer_of_record: Option<Vec<TaxNumber>>,
}

/// `customs_details`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomsDetails {
    #[serde(default)]
    pub commercial_invoice_number: Option<String>,
    /// gift | documents | commercial_goods | commercial_sample | returned_goods.
    #[serde(default)]
    pub shipment_type: Option<String>,
    #[serde(default)]
    pub export_type: Option<String>,
    #[serde(default)]
    pub tax_numbers: Option<TaxNumbers>,
}

/// `customer_details`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerDetails {
    pub name: String,
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// Billing or shipping address.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OrderAddress {
    pub name: String,
    #[serde(default)]
    pub company_name: Option<String>,
    pub address_line_1: String,
    #[serde(default)]
    pub house_number: Option<String>,
    #[serde(default)]
    pub address_line_2: Option<String>,
    pub postal_code: String,
    pub city: String,
    #[serde(default)]
    pub po_box: Option<String>,
    #[serde(default)]
    pub state_province_code: Option<String>,
    pub country_code: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
}

/// `ship_with`: how to ship (e.g. a shipping option code).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ShipWith {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub properties: Option<Value>,
}

/// `shipping_details`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ShippingDetails {
    #[serde(default)]
    pub is_local_pickup: Option<bool>,
    #[serde(default)]
    pub delivery_indicator: Option<String>,
    #[serde(default)]
    pub measurement: Option<Measurement>,
    #[serde(default)]
    pub ship_with: Option<ShipWith>,
}

/// `service_point_details`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServicePointDetails {
    /// A string on the wire; numbers are accepted.
    #[serde(deserialize_with = "string_id")]
    pub id: String,
    #[serde(default)]
    pub extra_data: Option<Value>,
}

fn string_id<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(de::opt_string_or_number(d)?.unwrap_or_default())
}

fn opt_string_id<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    de::opt_string_or_number(d)
}

/// A v3 order (`orders-order`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// Sendcloud's id: an integer in answers, sent back as a string.
    #[serde(default, deserialize_with = "opt_string_id")]
    pub id: Option<String>,
    /// The shop's order id (immutable; the upsert key with the integration).
    pub order_id: String,
    pub order_number: String,
    /// Read-only.
    #[serde(default, deserialize_with = "de::opt_datetime")]
    pub created_at: Option<ApiDateTime>,
    /// Read-only.
    #[serde(default, deserialize_with = "de::opt_datetime")]
    pub modified_at: Option<ApiDateTime>,
    pub order_details: OrderDetails,
    pub payment_details: PaymentDetails,
    #[serde(default)]
    pub customs_details: Option<CustomsDetails>,
    #[serde(default)]
    pub customer_details: Option<CustomerDetails>,
    #[serde(default)]
    pub billing_address: Option<OrderAddress>,
    #[serde(default)]
    pub shipping_address: Option<OrderAddress>,
    #[serde(default)]
    pub shipping_details: Option<ShippingDetails>,
    #[serde(default)]
    pub service_point_details: Option<ServicePointDetails>,
}

/// One entry of the upsert answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OrderUpsertResult {
    #[serde(deserialize_with = "de::id_lenient")]
    pub id: i64,
    pub order_id: String,
    #[serde(default)]
    pub order_number: Option<String>,
}

/// Filters of `GET /v3/orders`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// Integration ids (sent comma separated).
    pub integrations: Vec<i64>,
    pub order_number: Option<String>,
    pub order_id: Option<String>,
    pub status: Option<String>,
    /// Dates like `2023-04-28`.
    pub order_created_at_min: Option<String>,
    pub order_created_at_max: Option<String>,
    pub order_updated_at_min: Option<String>,
    pub order_updated_at_max: Option<String>,
    /// e.g. `order_number` or `-integration`.
    pub sort: Option<String>,
    /// Default 100, max 200.
    pub page_size: Option<u32>,
    /// Resume from a saved cursor.
    pub cursor: Option<String>,
}

impl OrderFilter {
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if !self.integrations.is_empty() {
            let ids: Vec<String> = self.integrations.iter().map(i64::to_string).collect();
            q.push(("integration", ids.join(",")));
        }
        let opts: [(&'static str, &Option<String>); 8] = [
            ("order_number", &self.order_number),
            ("order_id", &self.order_id),
            ("status", &self.status),
            ("order_created_at_min", &self.order_created_at_min),
            ("order_created_at_max", &self.order_created_at_max),
            ("order_updated_at_min", &self.order_updated_at_min),
            ("order_updated_at_max", &self.order_updated_at_max),
            ("sort", &self.sort),
        ];
        for (k, v) in opts {
            if let Some(v) = v {
                q.push((k, v.clone()));
            }
        }
        if let Some(size) = self.page_size {
            q.push(("page_size", size.to_string()));
        }
        if let Some(c) = &self.cursor {
            q.push(("cursor", c.clone()));
        }
        q
    }
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "T: serde::de::DeserializeOwned"))]
struct DataBody<T> {
    #[serde(default = "Vec::new", deserialize_with = "de::null_default")]
    data: Vec<T>,
}

impl PageBody<Order> for DataBody<Order> {
    fn split(self) -> (Vec<Order>, Option<String>) {
        (self.data, None)
    }
}

impl SendcloudClient {
    /// `POST /v3/orders`: creates or updates up to 100 orders (all or
    /// nothing). More than 100 are refused before sending.
    pub async fn upsert_orders(&self, orders: &[Order]) -> Result<Vec<OrderUpsertResult>> {
        if orders.len() > MAX_ORDERS_PER_BATCH {
            return Err(Error::InvalidRequest(format!(
                "at most {MAX_ORDERS_PER_BATCH} orders per batch, got {}",
                orders.len()
            )));
        }
        if orders.is_empty() {
            return Ok(Vec::new());
        }
        let url = self.v3_url("/orders", &[])?;
        let body: DataBody<OrderUpsertResult> = self
            .send_json(reqwest::Method::POST, url, orders, RetryMode::Safe)
            .await?;
        Ok(body.data)
    }

    /// `GET /v3/orders` page by page, following the `Link` header lazily.
    pub fn order_pages(
        &self,
        filter: &OrderFilter,
    ) -> impl Stream<Item = Result<Page<Order>>> + Send + 'static {
        let url = self.v3_url("/orders", &filter.query());
        let client = self.clone();
        paging::from_url_result(url, move |url| {
            paging::pages::<Order, DataBody<Order>>(client, url, Protocol::LinkHeader)
        })
    }

    /// `GET /v3/orders` item by item.
    pub fn orders(
        &self,
        filter: &OrderFilter,
    ) -> impl Stream<Item = Result<Order>> + Send + 'static {
        paging::items(self.order_pages(filter)).boxed()
    }
}
