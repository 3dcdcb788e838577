//! Shipping options (v3 `POST /shipping-options`) and the v2 → v3 link
//! (v3 `POST /compat/shipping-options`). The deprecated
//! `POST /fetch-shipping-options` is not used.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::sendcloud::client::{RetryMode, SendcloudClient};
use crate::sendcloud::de;
use crate::sendcloud::error::Result;

/// Most v2 method ids `POST /compat/shipping-options` takes per call.
pub const COMPAT_MAX_IDS: usize = 100;

/// A code with its display name (carrier, product).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CodeName {
    #[serde(deserialize_with = "de::null_default")]
    pub code: String,
    #[serde(deserialize_with = "de::null_default")]
    pub name: String,
}

/// A weight with its unit (`kg`, `g`, `lbs`, `oz`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Weight {
    #[serde(deserialize_with = "de::decimal")]
    pub value: Decimal,
    pub unit: String,
}

/// The weight range an option accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct WeightRange {
    pub min: Option<Weight>,
    pub max: Option<Weight>,
}

/// Maximum parcel dimensions of an option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimensions {
    #[serde(deserialize_with = "de::decimal")]
    pub length: Decimal,
    #[serde(deserialize_with = "de::decimal")]
    pub width: Decimal,
    #[serde(deserialize_with = "de::decimal")]
    pub height: Decimal,
    pub unit: String,
}

/// The carrier contract an option uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Contract {
    pub id: Option<i64>,
    #[serde(deserialize_with = "de::null_default")]
    pub client_id: String,
    #[serde(deserialize_with = "de::null_default")]
    pub carrier_code: String,
    #[serde(deserialize_with = "de::null_default")]
    pub name: String,
}

/// What shipping with an option requires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Requirements {
    /// `to_email`, `to_telephone`, `length`, `width`, `height`.
    #[serde(deserialize_with = "de::null_default")]
    pub fields: Vec<String>,
    pub export_documents: bool,
    pub is_service_point_required: bool,
}

/// A shipping option (spec schema `shipping-option`): a carrier product with
/// a set of functionalities; its `code` is what v3 shipments announce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ShippingOption {
    #[serde(deserialize_with = "de::null_default")]
    pub code: String,
    #[serde(deserialize_with = "de::null_default")]
    pub name: String,
    #[serde(deserialize_with = "de::null_default")]
    pub carrier: CodeName,
    #[serde(deserialize_with = "de::null_default")]
    pub product: CodeName,
    /// The functionalities object as Sendcloud sends it (its keys grow).
    #[serde(deserialize_with = "de::null_default")]
    pub functionalities: serde_json::Map<String, serde_json::Value>,
    pub max_dimensions: Option<Dimensions>,
    #[serde(deserialize_with = "de::null_default")]
    pub weight: WeightRange,
    pub contract: Option<Contract>,
    #[serde(deserialize_with = "de::null_default")]
    pub requirements: Requirements,
    pub charging_type: Option<String>,
}

/// The filter body of `POST /shipping-options` (spec
/// `shipping-option-filter`); everything optional. An empty filter lists
/// every option of the account, without quotes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ShippingOptionFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_service_point_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_option_code: Option<String>,
    /// One parcel per weight (the `parcels[].weight`), if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parcels: Vec<FilterParcel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calculate_quotes: Option<bool>,
}

/// One parcel of a [`ShippingOptionFilter`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilterParcel {
    pub weight: FilterWeight,
}

/// A weight as the filter wants it (decimal string and unit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilterWeight {
    pub value: String,
    pub unit: String,
}

#[derive(Deserialize)]
struct ListBody {
    #[serde(default, deserialize_with = "de::null_default")]
    data: Vec<ShippingOption>,
}

#[derive(Serialize)]
struct CompatBody<'a> {
    shipping_method_ids: &'a [i64],
}

#[derive(Deserialize)]
struct CompatAnswer {
    #[serde(default, deserialize_with = "de::null_default")]
    data: BTreeMap<String, Option<String>>,
}

impl SendcloudClient {
    /// `POST /v3/shipping-options` with a filter (a read: safe to retry).
    pub async fn shipping_options(
        &self,
        filter: &ShippingOptionFilter,
    ) -> Result<Vec<ShippingOption>> {
        let url = self.v3_url("/shipping-options", &[])?;
        Ok(self
            .send_json::<_, ListBody>(reqwest::Method::POST, url, filter, RetryMode::Safe)
            .await?
            .data)
    }

    /// `POST /v3/compat/shipping-options`: the option code of each v2
    /// shipping method id (at most [`COMPAT_MAX_IDS`]; call once per
    /// chunk). `None` where the method has no option (Sendcloud's example
    /// answers JSON `null` and the string `"null"`: both mean none); ids
    /// Sendcloud does not know are left out.
    pub async fn compat_shipping_options(
        &self,
        method_ids: &[i64],
    ) -> Result<BTreeMap<i64, Option<String>>> {
        let url = self.v3_url("/compat/shipping-options", &[])?;
        let body = CompatBody {
            shipping_method_ids: method_ids,
        };
        let answer: CompatAnswer = self
            .send_json(reqwest::Method::POST, url, &body, RetryMode::Safe)
            .await?;
        Ok(answer
            .data
            .into_iter()
            .filter_map(|(k, v)| {
                let id = k.trim().parse::<i64>().ok()?;
                let code = v.filter(|c| !c.is_empty() && c != "null");
                Some((id, code))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example_option_reads() {
        let body = serde_json::json!({"data": [{
            "code": "postnl:standard/signature",
            "name": "PostNL Standard + Handtekening",
            "carrier": {"code": "postnl", "name": "PostNL"},
            "product": {"code": "postnl:standard", "name": "PostNL Standard"},
            "functionalities": {"signature": true, "last_mile": "home_delivery"},
            "contract": {"id": 60, "client_id": "", "carrier_code": "postnl", "name": "PostNL Test"},
            "weight": {"min": {"value": "0.001", "unit": "kg"}, "max": {"value": "23.001", "unit": "kg"}},
            "max_dimensions": {"length": "175.00", "width": "78.00", "height": "58.00", "unit": "cm"},
            "requirements": {"fields": [], "export_documents": false, "is_service_point_required": false},
            "charging_type": "label_creation",
            "quotes": null
        }]});
        let list: ListBody = serde_json::from_value(body).unwrap();
        let o = &list.data[0];
        assert_eq!(o.code, "postnl:standard/signature");
        assert_eq!(o.carrier.name, "PostNL");
        assert_eq!(o.weight.max.as_ref().unwrap().value, Decimal::new(23001, 3));
        assert_eq!(o.max_dimensions.as_ref().unwrap().unit, "cm");
        assert_eq!(o.contract.as_ref().unwrap().id, Some(60));
    }

    #[test]
    fn compat_null_and_the_string_null_both_mean_none() {
        let a: CompatAnswer = serde_json::from_value(
            serde_json::json!({"data": {"1": "postnl:standard", "2": null, "3": "null"}}),
        )
        .unwrap();
        assert_eq!(a.data.len(), 3);
        assert_eq!(a.data["2"], None);
        assert_eq!(a.data["3"].as_deref(), Some("null"));
    }
}
