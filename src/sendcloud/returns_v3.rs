//! v3 returns as the Abgleich reads them: `GET /v3/returns` (required
//! `from_date`/`to_date`, optional `parent_parcel_status`, `page_size` ≤ 40)
//! page by page, the cursor taken from the body's `next` URL (`returns.yml`
//! documents `next`/`previous` in the body for this list, no `Link` header),
//! and `GET /v3/returns/{id}`. The spec's `Return` lists no `id` and no
//! outgoing parcel: the id is read when present, and the outgoing parcel is
//! found by the return's order number (see `sync::returns`).

use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sendcloud::client::SendcloudClient;
use crate::sendcloud::de::{self, ApiDateTime};
use crate::sendcloud::error::Result;
use crate::sendcloud::paging::{self, Page, PageBody, Protocol};
use crate::sendcloud::shipments::{Code, V3Address};

/// `{value, currency}` with the value as a JSON number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Money {
    #[serde(deserialize_with = "de::opt_decimal")]
    pub value: Option<Decimal>,
    pub currency: Option<String>,
}

/// `{id, description}` why the customer returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReturnReason {
    pub id: Option<i64>,
    pub description: Option<String>,
}

/// `{refund_type, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReturnRefund {
    pub refund_type: Option<String>,
    pub message: Option<String>,
}

/// One entry of `status_history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct StatusEntry {
    pub carrier_update_timestamp: Option<String>,
    pub parent_status: Option<String>,
    pub carrier_code: Option<String>,
    pub carrier_message: Option<String>,
}

/// A v3 return (spec `Return`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct V3Return {
    #[serde(deserialize_with = "de::opt_id_lenient")]
    pub id: Option<i64>,
    pub from_address: Option<V3Address>,
    pub shipping_product: Option<Code>,
    pub shipping_option: Option<Code>,
    pub brand_id: Option<i64>,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    #[serde(deserialize_with = "de::null_default")]
    pub status_history: Vec<StatusEntry>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub created_at: Option<ApiDateTime>,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub delivered_at_iso: Option<ApiDateTime>,
    pub reason: Option<ReturnReason>,
    pub refund: Option<ReturnRefund>,
    pub return_fee: Option<Money>,
    pub label_cost: Option<Money>,
    #[serde(deserialize_with = "de::null_default")]
    pub order_number: String,
    /// open | requested | request_rejected | awaiting_payment | payment_failed.
    pub status: Option<String>,
}

impl V3Return {
    /// The carrier code: the shipping product code up to `:`.
    pub fn carrier(&self) -> Option<String> {
        let code = self.shipping_product.as_ref()?.code.as_deref()?;
        Some(code.split(':').next().unwrap_or(code).to_string()).filter(|c| !c.is_empty())
    }

    /// The latest `parent_status` of the return parcel.
    pub fn parcel_status(&self) -> Option<String> {
        self.status_history
            .iter()
            .max_by(|a, b| a.carrier_update_timestamp.cmp(&b.carrier_update_timestamp))
            .and_then(|s| s.parent_status.clone())
    }
}

/// Filters of `GET /v3/returns` (`from_date` and `to_date` are required).
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnFilter {
    pub from_date: DateTime<Utc>,
    pub to_date: DateTime<Utc>,
    pub parent_parcel_status: Option<String>,
    /// 1–40.
    pub page_size: Option<u32>,
    /// Resume from a saved cursor.
    pub cursor: Option<String>,
}

impl ReturnFilter {
    fn query(&self) -> Vec<(&'static str, String)> {
        // The spec's form: `2022-04-06 00:00:00` (UTC here).
        let ts = |t: &DateTime<Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
        let mut q = vec![
            ("from_date", ts(&self.from_date)),
            ("to_date", ts(&self.to_date)),
        ];
        if let Some(s) = &self.parent_parcel_status {
            q.push(("parent_parcel_status", s.clone()));
        }
        if let Some(n) = self.page_size {
            q.push(("page_size", n.clamp(1, 40).to_string()));
        }
        if let Some(c) = &self.cursor {
            q.push(("cursor", c.clone()));
        }
        q
    }
}

/// A page of returns with each return's raw JSON kept beside the typed one.
#[derive(Debug, Clone, PartialEq)]
pub struct RawReturn {
    pub parsed: V3Return,
    pub raw: Value,
}

impl<'de> Deserialize<'de> for RawReturn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = Value::deserialize(d)?;
        let parsed = V3Return::deserialize(&raw).map_err(serde::de::Error::custom)?;
        Ok(RawReturn { parsed, raw })
    }
}

#[derive(Deserialize)]
struct ListBody {
    #[serde(default, deserialize_with = "de::opt_string_or_number")]
    next: Option<String>,
    #[serde(default, deserialize_with = "de::null_default")]
    data: Vec<RawReturn>,
}

impl PageBody<RawReturn> for ListBody {
    fn split(self) -> (Vec<RawReturn>, Option<String>) {
        (self.data, self.next)
    }
}

impl SendcloudClient {
    /// `GET /v3/returns` page by page (cursor from the body's `next`),
    /// starting at `filter.cursor` or the beginning.
    pub fn return_v3_pages(
        &self,
        filter: &ReturnFilter,
    ) -> impl Stream<Item = Result<Page<RawReturn>>> + Send + 'static {
        let url = self.v3_url("/returns", &filter.query());
        let client = self.clone();
        paging::from_url_result(url, move |url| {
            paging::pages::<RawReturn, ListBody>(client, url, Protocol::BodyNext)
        })
    }

    /// `GET /v3/returns` return by return.
    pub fn returns_v3(
        &self,
        filter: &ReturnFilter,
    ) -> impl Stream<Item = Result<RawReturn>> + Send + 'static {
        paging::items(self.return_v3_pages(filter)).boxed()
    }

    /// `GET /v3/returns/{id}`.
    pub async fn get_return_v3(&self, id: i64) -> Result<RawReturn> {
        let url = self.v3_url(&format!("/returns/{id}"), &[])?;
        self.get_json(url).await
    }
}
