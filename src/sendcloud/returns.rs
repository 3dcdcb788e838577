//! Returns (v2 `GET /returns` paged, `GET /returns/{id}`).

use futures_util::Stream;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sendcloud::client::SendcloudClient;
use crate::sendcloud::de::{self, ApiDateTime};
use crate::sendcloud::error::Result;
use crate::sendcloud::paging::{self, Page, PageBody, Protocol};

/// How a return is refunded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct RefundType {
    /// money | credit | exchange.
    #[serde(deserialize_with = "de::null_default")]
    pub code: String,
    #[serde(deserialize_with = "de::null_default")]
    pub label: String,
    pub require_message: bool,
}

/// Refund data of a return.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Refund {
    /// Sendcloud sends this as a quoted string (`"\"10.00\""`).
    #[serde(deserialize_with = "de::opt_decimal")]
    pub total_refund: Option<Decimal>,
    /// Milliseconds since the epoch.
    pub refunded_at: Option<i64>,
    pub message: Option<String>,
    pub refund_type: Option<RefundType>,
}

/// Parcel data of the outgoing or incoming parcel (spec `ReturnParcel`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReturnParcel {
    pub tracking_url: Option<String>,
    pub tracking_number: Option<String>,
    pub parcel_status: Option<i64>,
    pub global_status_slug: Option<String>,
    pub brand_name: Option<String>,
    pub order_number: Option<String>,
    pub from_email: Option<String>,
    pub deleted: bool,
    pub collo_count: Option<i64>,
    pub from_country: Option<String>,
    pub from_name: Option<String>,
    pub shipping_method: Option<i64>,
    pub extra_data: Option<Value>,
    /// Deprecated rules list, raw.
    pub rules: Option<Value>,
    /// Incoming parcels only.
    pub customs_information: Option<Value>,
}

/// A rule applied to the return.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct RuleModification {
    pub rule_name: Option<String>,
    pub field: Option<String>,
    pub value: Option<Value>,
    pub action: Option<String>,
    pub friendly_name: Option<String>,
    pub priority: Option<i64>,
    pub item_id: Option<Value>,
}

/// Status of the incoming parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct IncomingParcelStatus {
    pub id: Option<i64>,
    pub message: Option<String>,
    pub global_status_slug: Option<String>,
}

/// A return (spec `Return`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Return {
    pub id: i64,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub created_at: Option<ApiDateTime>,
    pub reason: Option<i64>,
    pub outgoing_parcel: Option<i64>,
    pub incoming_parcel: Option<i64>,
    pub message: Option<String>,
    pub refund: Option<Refund>,
    pub is_cancellable: bool,
    #[serde(deserialize_with = "de::opt_decimal")]
    pub return_fee: Option<Decimal>,
    pub return_fee_currency: Option<String>,
    #[serde(deserialize_with = "de::opt_decimal")]
    pub label_cost: Option<Decimal>,
    pub label_currency: Option<String>,
    #[serde(deserialize_with = "de::opt_decimal")]
    pub items_cost: Option<Decimal>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub delivered_at: Option<ApiDateTime>,
    /// drop_off_point | drop_off_labelless | in_store | pickup.
    pub delivery_option: Option<String>,
    pub store_location: Option<i64>,
    pub outgoing_parcel_data: Option<ReturnParcel>,
    pub incoming_parcel_data: Option<ReturnParcel>,
    pub incoming_parcel_status: Option<IncomingParcelStatus>,
    #[serde(deserialize_with = "de::null_default")]
    pub images: Vec<Value>,
    #[serde(deserialize_with = "de::null_default")]
    pub rule_modifications: Vec<RuleModification>,
}

#[derive(Deserialize)]
struct ListBody {
    #[serde(default, deserialize_with = "de::opt_string_or_number")]
    next: Option<String>,
    #[serde(default, deserialize_with = "de::null_default")]
    returns: Vec<Return>,
}

impl PageBody<Return> for ListBody {
    fn split(self) -> (Vec<Return>, Option<String>) {
        (self.returns, self.next)
    }
}

impl SendcloudClient {
    /// `GET /returns`, page by page, starting at `cursor` (or the beginning).
    pub fn return_pages(
        &self,
        cursor: Option<&str>,
    ) -> impl Stream<Item = Result<Page<Return>>> + Send + 'static {
        let query: Vec<(&str, String)> = cursor
            .map(|c| vec![("cursor", c.to_string())])
            .unwrap_or_default();
        let url = self.v2_url("/returns", &query);
        let client = self.clone();
        paging::from_url_result(url, move |url| {
            paging::pages::<Return, ListBody>(client, url, Protocol::BodyNext)
        })
    }

    /// `GET /returns`, item by item (pages fetched lazily).
    pub fn returns(&self) -> impl Stream<Item = Result<Return>> + Send + 'static {
        paging::items(self.return_pages(None))
    }

    /// `GET /returns/{id}`.
    pub async fn get_return(&self, id: i64) -> Result<Return> {
        let url = self.v2_url(&format!("/returns/{id}"), &[])?;
        self.get_json(url).await
    }
}
