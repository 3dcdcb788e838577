//! Sender addresses: v3 `GET /addresses/sender-addresses[/{id}]` (what the
//! Abgleich reads; `Link`-header cursor paging) and v2
//! `GET /user/addresses/sender[/{id}]`, both in the v2 shape the module stores.

use futures_util::{Stream, TryStreamExt};
use serde::{Deserialize, Serialize};

use crate::sendcloud::client::SendcloudClient;
use crate::sendcloud::de;
use crate::sendcloud::error::Result;
use crate::sendcloud::paging::{self, PageBody, Protocol};

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

/// One tax number of a v3 sender address.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct TaxNumber {
    #[serde(deserialize_with = "de::null_default")]
    name: String,
    #[serde(deserialize_with = "de::null_default")]
    country_code: String,
    #[serde(deserialize_with = "de::null_default")]
    value: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct Signature {
    #[serde(deserialize_with = "de::null_default")]
    full_name: String,
    #[serde(deserialize_with = "de::null_default")]
    initials: String,
}

/// A v3 sender address (spec `SenderAddressResponse`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct V3SenderAddress {
    #[serde(deserialize_with = "de::id_lenient")]
    id: i64,
    #[serde(deserialize_with = "de::null_default")]
    name: String,
    #[serde(deserialize_with = "de::null_default")]
    company_name: String,
    #[serde(deserialize_with = "de::null_default")]
    address_line_1: String,
    #[serde(deserialize_with = "de::null_default")]
    house_number: String,
    #[serde(deserialize_with = "de::null_default")]
    address_line_2: String,
    #[serde(deserialize_with = "de::null_default")]
    postal_code: String,
    #[serde(deserialize_with = "de::null_default")]
    city: String,
    #[serde(deserialize_with = "de::null_default")]
    po_box: String,
    #[serde(deserialize_with = "country_state")]
    state_province_code: Option<String>,
    #[serde(deserialize_with = "de::null_default")]
    country_code: String,
    #[serde(deserialize_with = "de::null_default")]
    email: String,
    #[serde(deserialize_with = "de::null_default")]
    phone_number: String,
    #[serde(deserialize_with = "de::null_default")]
    tax_numbers: Vec<TaxNumber>,
    #[serde(deserialize_with = "de::null_default")]
    signature: Signature,
}

impl V3SenderAddress {
    /// The tax number `kind` for the address's own country, else the first.
    fn tax(&self, kind: &str) -> String {
        let of_kind = || {
            self.tax_numbers
                .iter()
                .filter(|t| t.name.eq_ignore_ascii_case(kind))
        };
        of_kind()
            .find(|t| t.country_code.eq_ignore_ascii_case(&self.country_code))
            .or_else(|| of_kind().next())
            .map(|t| t.value.clone())
            .unwrap_or_default()
    }
}

impl From<V3SenderAddress> for SenderAddress {
    /// The v2 shape the module stores. v3 publishes no `brand_id` and no
    /// `label`: they stay empty; `address_line_2` joins the street.
    fn from(a: V3SenderAddress) -> SenderAddress {
        let street = if a.address_line_2.trim().is_empty() {
            a.address_line_1.clone()
        } else {
            format!("{} {}", a.address_line_1.trim(), a.address_line_2.trim())
        };
        SenderAddress {
            id: a.id,
            vat_number: a.tax("VAT"),
            eori_number: a.tax("EORI"),
            company_name: a.company_name,
            contact_name: a.name,
            email: a.email,
            telephone: a.phone_number,
            street,
            house_number: a.house_number,
            postal_box: a.po_box,
            postal_code: a.postal_code,
            city: a.city,
            country: a.country_code,
            country_state: a.state_province_code,
            brand_id: None,
            label: String::new(),
            signature_full_name: a.signature.full_name,
            signature_initials: a.signature.initials,
        }
    }
}

#[derive(Deserialize)]
struct V3ListBody {
    #[serde(default, deserialize_with = "de::null_default")]
    data: Vec<V3SenderAddress>,
}

impl PageBody<V3SenderAddress> for V3ListBody {
    fn split(self) -> (Vec<V3SenderAddress>, Option<String>) {
        (self.data, None)
    }
}

#[derive(Deserialize)]
struct V3OneBody {
    data: V3SenderAddress,
}

impl SendcloudClient {
    /// v3 `GET /addresses/sender-addresses`, 100 a page, following the
    /// `Link` header lazily; items in the v2 shape the module stores.
    pub fn sender_addresses_v3(
        &self,
    ) -> impl Stream<Item = Result<SenderAddress>> + Send + 'static {
        let url = self.v3_url(
            "/addresses/sender-addresses",
            &[("page_size", "100".to_string())],
        );
        let client = self.clone();
        paging::from_url_result(url, move |url| {
            paging::items(paging::pages::<V3SenderAddress, V3ListBody>(
                client,
                url,
                Protocol::LinkHeader,
            ))
            .map_ok(SenderAddress::from)
        })
    }

    /// v3 `GET /addresses/sender-addresses/{id}`.
    pub async fn sender_address_v3(&self, id: i64) -> Result<SenderAddress> {
        let url = self.v3_url(&format!("/addresses/sender-addresses/{id}"), &[])?;
        Ok(self.get_json::<V3OneBody>(url).await?.data.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example_reads_into_the_stored_shape() {
        let body = serde_json::json!({"data": {
            "city": "Eindhoven", "company_name": "Sendcloud", "name": "John Doe",
            "country_code": "NL", "state_province_code": "null",
            "email": "johndoe@sendcloud.com", "house_number": "10", "id": 1,
            "address_line_2": "", "postal_code": "5611 EM", "address_line_1": "Stadhuisplein",
            "phone_number": "+31626262626",
            "tax_numbers": [
                {"name": "VAT", "country_code": "GB", "value": "GB123456789"},
                {"name": "VAT", "country_code": "NL", "value": "NL123456789B01"},
                {"name": "EORI", "country_code": "NL", "value": "NL123456789"}
            ],
            "signature": {"full_name": "John Doe", "initials": "JD"}
        }});
        let a: SenderAddress = serde_json::from_value::<V3OneBody>(body)
            .unwrap()
            .data
            .into();
        assert_eq!(a.contact_name, "John Doe");
        assert_eq!(a.street, "Stadhuisplein");
        assert_eq!(a.country_state, None, "the spec's \"null\" string");
        assert_eq!(a.vat_number, "NL123456789B01", "the address country's VAT");
        assert_eq!(a.eori_number, "NL123456789");
        assert_eq!(a.signature_initials, "JD");
    }
}
