//! Shipping methods (v2 `GET /shipping_methods[/{id}]`) and their filters.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::sendcloud::client::SendcloudClient;
use crate::sendcloud::de;
use crate::sendcloud::error::Result;

/// `sender_address` filter: one address id or the literal `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SenderAddressFilter {
    /// Methods for this sender address.
    Id(i64),
    /// Methods for every sender address (`sender_address=all`).
    All,
}

/// Query filters of `GET /shipping_methods`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShippingMethodFilter {
    pub sender_address: Option<SenderAddressFilter>,
    pub service_point_id: Option<i64>,
    pub is_return: Option<bool>,
    pub from_postal_code: Option<String>,
    pub to_postal_code: Option<String>,
    /// ISO-2.
    pub to_country: Option<String>,
}

impl ShippingMethodFilter {
    pub(crate) fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        match self.sender_address {
            Some(SenderAddressFilter::Id(id)) => q.push(("sender_address", id.to_string())),
            Some(SenderAddressFilter::All) => q.push(("sender_address", "all".to_string())),
            None => {}
        }
        if let Some(sp) = self.service_point_id {
            q.push(("service_point_id", sp.to_string()));
        }
        if let Some(r) = self.is_return {
            q.push(("is_return", r.to_string()));
        }
        if let Some(p) = &self.from_postal_code {
            q.push(("from_postal_code", p.clone()));
        }
        if let Some(p) = &self.to_postal_code {
            q.push(("to_postal_code", p.clone()));
        }
        if let Some(c) = &self.to_country {
            q.push(("to_country", c.clone()));
        }
        q
    }
}

/// One entry of `price_breakdown`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PriceBreakdown {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(deserialize_with = "de::null_default")]
    pub label: String,
    #[serde(deserialize_with = "de::decimal")]
    pub value: Decimal,
}

/// Price of a method for one destination country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct MethodCountry {
    pub id: i64,
    #[serde(deserialize_with = "de::null_default")]
    pub name: String,
    #[serde(deserialize_with = "de::decimal")]
    pub price: Decimal,
    #[serde(deserialize_with = "de::null_default")]
    pub iso_2: String,
    #[serde(deserialize_with = "de::null_default")]
    pub iso_3: String,
    pub lead_time_hours: Option<i64>,
    #[serde(deserialize_with = "de::null_default")]
    pub price_breakdown: Vec<PriceBreakdown>,
}

/// A shipping method (spec `shipping-methods-shipping-method`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ShippingMethod {
    pub id: i64,
    #[serde(deserialize_with = "de::null_default")]
    pub name: String,
    /// Carrier code, e.g. `postnl`.
    #[serde(deserialize_with = "de::null_default")]
    pub carrier: String,
    /// kg.
    #[serde(deserialize_with = "de::decimal")]
    pub min_weight: Decimal,
    /// kg.
    #[serde(deserialize_with = "de::decimal")]
    pub max_weight: Decimal,
    /// `required` or `none`.
    #[serde(deserialize_with = "de::null_default")]
    pub service_point_input: String,
    /// Deprecated, always 0.
    #[serde(deserialize_with = "de::decimal")]
    pub price: Decimal,
    #[serde(deserialize_with = "de::null_default")]
    pub countries: Vec<MethodCountry>,
}

impl ShippingMethod {
    /// `true` if the method delivers to a service point.
    pub fn requires_service_point(&self) -> bool {
        self.service_point_input == "required"
    }
}

#[derive(Deserialize)]
struct ListBody {
    #[serde(default, deserialize_with = "de::null_default")]
    shipping_methods: Vec<ShippingMethod>,
}

#[derive(Deserialize)]
struct OneBody {
    shipping_method: ShippingMethod,
}

impl SendcloudClient {
    /// `GET /shipping_methods` with filters (unpaged: without `limit`
    /// Sendcloud returns all methods in one answer).
    pub async fn list_shipping_methods(
        &self,
        filter: &ShippingMethodFilter,
    ) -> Result<Vec<ShippingMethod>> {
        let url = self.v2_url("/shipping_methods", &filter.query())?;
        Ok(self.get_json::<ListBody>(url).await?.shipping_methods)
    }

    /// `GET /shipping_methods/{id}` with the same filters.
    pub async fn get_shipping_method(
        &self,
        id: i64,
        filter: &ShippingMethodFilter,
    ) -> Result<ShippingMethod> {
        let url = self.v2_url(&format!("/shipping_methods/{id}"), &filter.query())?;
        Ok(self.get_json::<OneBody>(url).await?.shipping_method)
    }
}
