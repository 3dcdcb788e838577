//! Integration exception logs (v3 `POST /integrations/{id}/logs`, spec
//! `v3/integrations.yml`, schema `integration-log-create`): an entry in the
//! connection issue log of the user's integration in Sendcloud's panel. The
//! module writes its failed labels there when a company asks for it
//! (`crate::labels::integration_log`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sendcloud::client::{RetryMode, SendcloudClient};
use crate::sendcloud::error::Result;

/// The request body (`integration-log-create`; the spec forbids other
/// fields). Optional fields left `None` are not sent.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewIntegrationLog {
    /// Base URL of the shop (required, at least one character).
    pub base_url: String,
    /// Full URL of the resource where the error happened.
    pub full_url: Option<String>,
    /// HTTP method that caused the error.
    pub method: Option<String>,
    /// HTTP status code of the failure (≥ 0).
    pub response_code: Option<i32>,
    pub response: Option<LogResponse>,
    pub request: Option<LogRequest>,
    /// When the failure happened (`de::wire_timestamp`); Sendcloud uses the
    /// current time when absent.
    pub created_at: Option<String>,
    /// A machine-readable kind of failure (Sendcloud: "to suggest our users
    /// the ways how they can fix issues").
    pub exception_type: Option<String>,
    /// Human-readable description of the failure.
    pub exception: Option<String>,
}

/// `response` of an entry: headers (an object) and the body (text or object).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogResponse {
    pub headers: Option<serde_json::Map<String, Value>>,
    pub body: Option<Value>,
}

/// `request` of an entry: headers and the payload (text or object). Never
/// put credentials here.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogRequest {
    pub headers: Option<serde_json::Map<String, Value>>,
    pub payload: Option<Value>,
}

/// The created entry as far as the module reads it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct IntegrationLog {
    pub id: i64,
    pub integration_id: Option<i64>,
    pub base_url: String,
    pub exception_type: Option<String>,
    pub exception: Option<String>,
}

#[derive(Deserialize)]
struct Created {
    data: IntegrationLog,
}

impl SendcloudClient {
    /// `POST /v3/integrations/{id}/logs` (201). A write: it waits for the
    /// account's write limiter and is retried only after a 429, never after
    /// a timeout or 5xx (a lost answer would write the entry twice).
    pub async fn create_integration_log(
        &self,
        integration_id: i64,
        entry: &NewIntegrationLog,
    ) -> Result<IntegrationLog> {
        let url = self.v3_url(&format!("/integrations/{integration_id}/logs"), &[])?;
        let created: Created = self
            .send_json(reqwest::Method::POST, url, entry, RetryMode::RateLimitOnly)
            .await?;
        Ok(created.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_fields_are_not_sent() {
        let body = serde_json::to_value(NewIntegrationLog {
            base_url: "https://office.example.com/sendcloud".into(),
            exception: Some("label failed".into()),
            request: Some(LogRequest {
                headers: None,
                payload: Some(serde_json::json!({"order_number": "A-1"})),
            }),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "base_url": "https://office.example.com/sendcloud",
                "exception": "label failed",
                "request": {"payload": {"order_number": "A-1"}}
            })
        );
    }
}
