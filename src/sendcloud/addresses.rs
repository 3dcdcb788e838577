//! Sender addresses (v2 `GET /user/addresses/sender[/{id}]`).

use serde::{Deserialize, Serialize};

use crate::sendcloud::client::SendcloudClient;
use crate::sendcloud::de;
use crate::sendcloud::error::Result;

/// A sender address of the account (spec schema `address`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SenderAddress {
    /// Id, used as `sender_address` on parcels and shipping method queries.
    pub id: i64,
    #[serde(deserialize_with = "de::null_default")]
    pub company_name: String,
    #[serde(deserialize_with = "de::null_default")]
    pub contact_name: String,
    #[serde(deserialize_with = "de::null_default")]
    pub email: String,
    #[serde(deserialize_with = "de::null_default")]
    pub telephone: String,
    #[serde(deserialize_with = "de::null_default")]
    pub street: String,
    #[serde(deserialize_with = "de::null_default")]
    pub house_number: String,
    #[serde(deserialize_with = "de::null_default")]
    pub postal_box: String,
    #[serde(deserialize_with = "de::null_default")]
    pub postal_code: String,
    #[serde(deserialize_with = "de::null_default")]
    pub city: String,
    /// ISO-2 country.
    #[serde(deserialize_with = "de::null_default")]
    pub country: String,
    /// State code; `None` also for the spec's bogus `"null,"` string.
    #[serde(deserialize_with = "country_state")]
    pub country_state: Option<String>,
    #[serde(deserialize_with = "de::null_default")]
    pub vat_number: String,
    #[serde(deserialize_with = "de::null_default")]
    pub eori_number: String,
    #[serde(deserialize_with = "de::opt_id_lenient")]
    pub brand_id: Option<i64>,
    #[serde(deserialize_with = "de::null_default")]
    pub label: String,
    #[serde(deserialize_with = "de::null_default")]
    pub signature_full_name: String,
    #[serde(deserialize_with = "de::null_default")]
    pub signature_initials: String,
}

fn country_state<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    Ok(s.filter(|s| {
        let t = s.trim().trim_end_matches(',');
        !t.is_empty() && t != "null"
    }))
}

#[derive(Deserialize)]
struct ListBody {
    #[serde(default, deserialize_with = "de::null_default")]
    sender_addresses: Vec<SenderAddress>,
}

#[derive(Deserialize)]
struct OneBody {
    sender_address: SenderAddress,
}

impl SendcloudClient {
    /// `GET /user/addresses/sender`: all sender addresses.
    pub async fn list_sender_addresses(&self) -> Result<Vec<SenderAddress>> {
        let url = self.v2_url("/user/addresses/sender", &[])?;
        Ok(self.get_json::<ListBody>(url).await?.sender_addresses)
    }

    /// `GET /user/addresses/sender/{id}`.
    pub async fn get_sender_address(&self, id: i64) -> Result<SenderAddress> {
        let url = self.v2_url(&format!("/user/addresses/sender/{id}"), &[])?;
        Ok(self.get_json::<OneBody>(url).await?.sender_address)
    }
}
