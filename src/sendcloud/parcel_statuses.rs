//! Parcel statuses of v3 (`GET /parcels/statuses`): string codes with their
//! messages. The v2 list (`GET /v2/parcels/statuses`, in `parcels.rs`) has
//! the integer ids the v2 `parcel_status_changed` webhooks send; the two
//! lists share the message, which is how the Abgleich links a code to an id.

use serde::Deserialize;

use crate::sendcloud::client::SendcloudClient;
use crate::sendcloud::de;
use crate::sendcloud::error::Result;

/// A v3 parcel status (spec `ParcelStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(default)]
pub struct StatusCode {
    /// `READY_TO_SEND`, `ANNOUNCED`, …
    #[serde(deserialize_with = "de::null_default")]
    pub code: String,
    #[serde(deserialize_with = "de::null_default")]
    pub message: String,
}

#[derive(Deserialize)]
struct ListBody {
    #[serde(default, deserialize_with = "de::null_default")]
    data: Vec<StatusCode>,
}

impl SendcloudClient {
    /// v3 `GET /parcels/statuses` (one unpaged list).
    pub async fn parcel_status_codes(&self) -> Result<Vec<StatusCode>> {
        let url = self.v3_url("/parcels/statuses", &[])?;
        Ok(self.get_json::<ListBody>(url).await?.data)
    }
}
