//! Invoices (v2 `GET /user/invoices`, `GET /user/invoices/{id}`). Note the
//! camelCase `isPayed` and that `items` is a URL in the list but an array in
//! the detail.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::sendcloud::client::SendcloudClient;
use crate::sendcloud::de::{self, ApiDateTime};
use crate::sendcloud::error::Result;

/// An invoice in the list (spec `Invoice`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Invoice {
    pub id: i64,
    /// e.g. `EU-CENTRAL-1-0-22-NL0063503`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// periodic | forced | initial_payment | other | unblock_payment.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(deserialize_with = "de::decimal")]
    pub price_incl: Decimal,
    #[serde(deserialize_with = "de::decimal")]
    pub price_excl: Decimal,
    #[serde(rename = "isPayed", alias = "is_payed")]
    pub is_paid: bool,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub date: Option<ApiDateTime>,
    /// URL of the detail (list form).
    pub items: Option<String>,
}

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct InvoiceItem {
    pub id: i64,
    #[serde(deserialize_with = "de::null_default")]
    pub name: String,
}

/// An invoice with its items (spec `InvoiceDetail`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct InvoiceDetail {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(deserialize_with = "de::decimal")]
    pub price_incl: Decimal,
    #[serde(deserialize_with = "de::decimal")]
    pub price_excl: Decimal,
    #[serde(rename = "isPayed", alias = "is_payed")]
    pub is_paid: bool,
    #[serde(deserialize_with = "de::opt_datetime")]
    pub date: Option<ApiDateTime>,
    #[serde(deserialize_with = "items_array")]
    pub items: Vec<InvoiceItem>,
}

/// Accepts the item array; a URL string (list form) yields no items.
fn items_array<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<InvoiceItem>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Array(a) => {
            serde_json::from_value(serde_json::Value::Array(a)).map_err(serde::de::Error::custom)
        }
        _ => Ok(Vec::new()),
    }
}

#[derive(Deserialize)]
struct ListBody {
    #[serde(default, deserialize_with = "de::null_default")]
    invoices: Vec<Invoice>,
}

#[derive(Deserialize)]
struct OneBody {
    invoice: InvoiceDetail,
}

impl SendcloudClient {
    /// `GET /user/invoices`.
    pub async fn list_invoices(&self) -> Result<Vec<Invoice>> {
        let url = self.v2_url("/user/invoices", &[])?;
        Ok(self.get_json::<ListBody>(url).await?.invoices)
    }

    /// `GET /user/invoices/{id}` with its items.
    pub async fn get_invoice(&self, id: i64) -> Result<InvoiceDetail> {
        let url = self.v2_url(&format!("/user/invoices/{id}"), &[])?;
        Ok(self.get_json::<OneBody>(url).await?.invoice)
    }
}
