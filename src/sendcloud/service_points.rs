//! Service points, served from their own host
//! (`https://servicepoints.sendcloud.sc/api/v2`): list with filters, get one.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sendcloud::client::SendcloudClient;
use crate::sendcloud::de;
use crate::sendcloud::error::Result;

/// Filters of `GET /service-points`; `country` is required by Sendcloud.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServicePointFilter {
    /// ISO-2, required.
    pub country: String,
    /// Carrier codes (sent comma separated).
    pub carriers: Vec<String>,
    pub latitude: Option<String>,
    pub longitude: Option<String>,
    pub ne_latitude: Option<String>,
    pub ne_longitude: Option<String>,
    pub sw_latitude: Option<String>,
    pub sw_longitude: Option<String>,
    /// Street address or postal code.
    pub address: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub house_number: Option<String>,
    /// Metres, 100..=50000.
    pub radius: Option<u32>,
    /// kg.
    pub weight: Option<Decimal>,
    pub pudo_id: Option<String>,
    pub shop_type: Option<String>,
    /// servicepoint, locker, post_office, carrier_depot (sent comma separated).
    pub general_shop_types: Vec<String>,
}

impl ServicePointFilter {
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = vec![("country", self.country.clone())];
        if !self.carriers.is_empty() {
            q.push(("carrier", self.carriers.join(",")));
        }
        let opts: [(&'static str, &Option<String>); 11] = [
            ("latitude", &self.latitude),
            ("longitude", &self.longitude),
            ("ne_latitude", &self.ne_latitude),
            ("ne_longitude", &self.ne_longitude),
            ("sw_latitude", &self.sw_latitude),
            ("sw_longitude", &self.sw_longitude),
            ("address", &self.address),
            ("city", &self.city),
            ("postal_code", &self.postal_code),
            ("house_number", &self.house_number),
            ("pudo_id", &self.pudo_id),
        ];
        for (k, v) in opts {
            if let Some(v) = v {
                q.push((k, v.clone()));
            }
        }
        if let Some(r) = self.radius {
            q.push(("radius", r.to_string()));
        }
        if let Some(w) = self.weight {
            q.push(("weight", w.normalize().to_string()));
        }
        if let Some(s) = &self.shop_type {
            q.push(("shop_type", s.clone()));
        }
        if !self.general_shop_types.is_empty() {
            q.push(("general_shop_type", self.general_shop_types.join(",")));
        }
        q
    }
}

/// A service point (spec `service-point`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ServicePoint {
    /// Use as `to_service_point` on a parcel. Accepted as number or string.
    #[serde(deserialize_with = "de::id_lenient")]
    pub id: i64,
    #[serde(deserialize_with = "de::null_default")]
    pub code: String,
    /// Data freshness, not whether the point is open.
    pub is_active: bool,
    pub shop_type: Option<String>,
    pub general_shop_type: Option<String>,
    pub extra_data: Option<Value>,
    #[serde(deserialize_with = "de::null_default")]
    pub name: String,
    #[serde(deserialize_with = "de::null_default")]
    pub street: String,
    #[serde(deserialize_with = "de::null_default")]
    pub house_number: String,
    #[serde(deserialize_with = "de::null_default")]
    pub postal_code: String,
    #[serde(deserialize_with = "de::null_default")]
    pub city: String,
    #[serde(deserialize_with = "de::opt_decimal")]
    pub latitude: Option<Decimal>,
    #[serde(deserialize_with = "de::opt_decimal")]
    pub longitude: Option<Decimal>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub homepage: Option<String>,
    #[serde(deserialize_with = "de::null_default")]
    pub carrier: String,
    #[serde(deserialize_with = "de::null_default")]
    pub country: String,
    /// Weekday ("0".."6") → opening ranges like `10:00 - 20:00`.
    #[serde(deserialize_with = "de::null_default")]
    pub formatted_opening_times: BTreeMap<String, Vec<String>>,
    pub open_tomorrow: bool,
    pub open_upcoming_week: bool,
    /// Metres from the reference point.
    #[serde(deserialize_with = "de::opt_decimal")]
    pub distance: Option<Decimal>,
}

impl SendcloudClient {
    /// `GET {service_points}/service-points` (bare array).
    pub async fn list_service_points(
        &self,
        filter: &ServicePointFilter,
    ) -> Result<Vec<ServicePoint>> {
        let url = self.service_points_url("/service-points", &filter.query())?;
        self.get_json(url).await
    }

    /// `GET {service_points}/service-points/{id}`.
    pub async fn get_service_point(&self, id: i64) -> Result<ServicePoint> {
        let url = self.service_points_url(&format!("/service-points/{id}"), &[])?;
        self.get_json(url).await
    }
}
