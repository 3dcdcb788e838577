//! Integrations (v2 `GET /integrations`, `GET|PUT|PATCH /integrations/{id}`).

use serde::{Deserialize, Serialize};

use crate::sendcloud::client::{RetryMode, SendcloudClient};
use crate::sendcloud::de::{self, ApiDateTime};
use crate::sendcloud::error::Result;

/// A shop integration (spec `Integration`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Integration {
    /// Absent in PUT/PATCH answers.
    pub id: Option<i64>,
    #[serde(deserialize_with = "de::null_default")]
    pub shop_name: String,
    pub shop_url: Option<String>,
    /// e.g. `api`, `magento`; absent in PUT/PATCH answers.
    pub system: Option<String>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub failing_since: Option<ApiDateTime>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub last_fetch: Option<ApiDateTime>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub last_updated_at: Option<ApiDateTime>,
    pub service_point_enabled: bool,
    #[serde(deserialize_with = "de::null_default")]
    pub service_point_carriers: Vec<String>,
    pub webhook_active: bool,
    pub webhook_url: Option<String>,
}

/// Writable fields (spec `IntegrationUpdate`). For PUT send all of them;
/// for PATCH unset fields are left out of the body.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IntegrationUpdate {
    pub shop_name: Option<String>,
    pub shop_url: Option<String>,
    pub service_point_enabled: Option<bool>,
    pub service_point_carriers: Option<Vec<String>>,
    pub webhook_active: Option<bool>,
    pub webhook_url: Option<String>,
}

impl SendcloudClient {
    /// `GET /integrations` (bare array), optionally `ordering=<field>`.
    pub async fn list_integrations(&self, ordering: Option<&str>) -> Result<Vec<Integration>> {
        let query: Vec<(&str, String)> = ordering
            .map(|o| vec![("ordering", o.to_string())])
            .unwrap_or_default();
        let url = self.v2_url("/integrations", &query)?;
        self.get_json(url).await
    }

    /// `GET /integrations/{id}`.
    pub async fn get_integration(&self, id: i64) -> Result<Integration> {
        let url = self.v2_url(&format!("/integrations/{id}"), &[])?;
        self.get_json(url).await
    }

    /// `PUT /integrations/{id}` (full update). Like every write it is
    /// retried only after a 429, never after a timeout or 5xx.
    pub async fn replace_integration(
        &self,
        id: i64,
        update: &IntegrationUpdate,
    ) -> Result<Integration> {
        let url = self.v2_url(&format!("/integrations/{id}"), &[])?;
        self.send_json(reqwest::Method::PUT, url, update, RetryMode::RateLimitOnly)
            .await
    }

    /// `PATCH /integrations/{id}` (partial update; fields left `None` are not sent).
    pub async fn update_integration(
        &self,
        id: i64,
        update: &IntegrationUpdate,
    ) -> Result<Integration> {
        let url = self.v2_url(&format!("/integrations/{id}"), &[])?;
        self.send_json(
            reqwest::Method::PATCH,
            url,
            update,
            RetryMode::RateLimitOnly,
        )
        .await
    }
}
