//! Row types of the host's reference tables, as the module uses them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::db::schema::*;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = companies)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub street: String,
    pub house_number: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub vat_number: Option<String>,
    pub eori_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = warehouses)]
pub struct Warehouse {
    pub id: i64,
    pub company_id: i64,
    pub code: String,
    pub name: String,
    pub street: String,
    pub house_number: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = products)]
pub struct Product {
    pub id: i64,
    pub company_id: i64,
    pub sku: String,
    pub name: String,
    pub weight_kg: Option<Decimal>,
    pub price: Decimal,
    pub ean: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = sales_orders)]
pub struct SalesOrder {
    pub id: i64,
    pub company_id: i64,
    pub order_number: String,
    pub order_date: NaiveDateTime,
    pub customer_id: i64,
    pub contact_id: Option<i64>,
    pub warehouse_id: Option<i64>,
    pub status: String,
    pub approved: bool,
    pub payment_status: String,
    pub currency: String,
    pub total_amount: Decimal,
    pub shipping_method_ref: Option<String>,
    pub service_point_ref: Option<String>,
    pub your_ref: Option<String>,
    pub remarks: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// Counts shown on overviews.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HostStats {
    pub warehouses: i64,
    pub customers: i64,
    pub products: i64,
    pub sales_orders: i64,
    pub deliveries: i64,
}

/// The tracking fields of a delivery the module may write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrackingUpdate {
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    pub carrier: Option<String>,
    pub shipping_status: Option<String>,
    pub label_pdf: Option<Vec<u8>>,
    pub remarks: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = customers)]
pub struct Customer {
    pub id: i64,
    pub company_id: i64,
    pub account_number: String,
    /// The account name.
    pub name: String,
    pub is_company: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub street: String,
    pub house_number: Option<String>,
    pub address_2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub state: Option<String>,
    pub country: String,
    pub vat_number: Option<String>,
}

/// A contact person (Ansprechpartner) of an account. An empty address means
/// "use the account's address".
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = contacts)]
pub struct Contact {
    pub id: i64,
    pub customer_id: i64,
    /// May be empty.
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub address_2: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
}

/// Which sales orders to push to Sendcloud. Its stable name (forms, job
/// payloads, serde) is derived: `approved_open`, `approved_open_paid`.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
pub enum OrderSelection {
    /// Approved and open: `approved = true and status in ('open','partial')`.
    #[default]
    #[serde(rename = "approved_open")]
    #[strum(serialize = "approved_open")]
    ApprovedAndOpen,
    /// Approved and open orders that are also paid (`payment_status = 'paid'`).
    #[serde(rename = "approved_open_paid")]
    #[strum(serialize = "approved_open_paid")]
    ApprovedOpenAndPaid,
}

impl OrderSelection {
    /// The stable name used in forms and job payloads.
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    /// The selection named by [`OrderSelection::as_str`] (surrounding blanks
    /// ignored).
    pub fn parse(s: &str) -> Option<Self> {
        s.trim().parse().ok()
    }
}

/// Which orders a push looks at beyond the selection: all unset means every
/// order of the selection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrderFilter {
    /// Orders dated at or after this moment.
    pub dated_since: Option<NaiveDateTime>,
    /// Orders changed (`updated_at`) at or after this moment.
    pub updated_since: Option<NaiveDateTime>,
    /// Only these order numbers.
    pub order_numbers: Option<Vec<String>>,
}

impl OrderFilter {
    /// Does `order` pass the filter?
    pub fn matches(&self, order: &SalesOrder) -> bool {
        self.dated_since.is_none_or(|t| order.order_date >= t)
            && self.updated_since.is_none_or(|t| order.updated_at >= t)
            && self
                .order_numbers
                .as_ref()
                .is_none_or(|n| n.iter().any(|x| x == &order.order_number))
    }
}

/// The product attribute keys holding customs data (a per-company setting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomsAttributeKeys {
    /// The key holding the HS code, default `hs_code`.
    pub hs_code: String,
    /// The key holding the country of origin, default `origin_country`.
    pub origin_country: String,
}

impl Default for CustomsAttributeKeys {
    fn default() -> Self {
        CustomsAttributeKeys {
            hs_code: "hs_code".into(),
            origin_country: "origin_country".into(),
        }
    }
}

/// One order line with what the module needs of its product.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderLineForPush {
    pub id: i64,
    pub line_no: i32,
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub product_id: i64,
    pub sku: String,
    pub product_name: String,
    pub weight_kg: Option<Decimal>,
    pub ean: Option<String>,
    /// From the product attribute named by [`CustomsAttributeKeys::hs_code`].
    pub hs_code: Option<String>,
    /// From the product attribute named by [`CustomsAttributeKeys::origin_country`].
    pub origin_country: Option<String>,
}

/// A sales order with everything needed to push it to Sendcloud.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderForPush {
    pub order: SalesOrder,
    /// The account (Debitor).
    pub customer: Customer,
    /// The delivery contact, if the order names one.
    pub contact: Option<Contact>,
    /// By line number.
    pub lines: Vec<OrderLineForPush>,
}

/// A goods delivery (Lieferung) without its label document.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = deliveries)]
pub struct Delivery {
    pub id: i64,
    pub company_id: i64,
    pub delivery_number: String,
    pub order_id: i64,
    pub warehouse_id: i64,
    pub created_at: NaiveDateTime,
    pub status: String,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    pub carrier: Option<String>,
    pub shipping_status: Option<String>,
    pub remarks: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// A delivery as the Lieferungen list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryListRow {
    pub delivery: Delivery,
    pub order_number: String,
    pub customer_name: String,
}

/// Which deliveries a list wants: newest first, keyset-paged by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryQuery {
    /// Only ids below this one (the last id of the previous page).
    pub before_id: Option<i64>,
    pub limit: i64,
    /// Host status (`draft`, `done`, `cancelled`).
    pub status: Option<String>,
    /// Part of the delivery or order number.
    pub search: Option<String>,
    /// Only these deliveries.
    pub ids: Option<Vec<i64>>,
}

/// One delivery line with what a label needs of its product and order line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryLineForLabel {
    pub id: i64,
    pub product_id: i64,
    pub sku: String,
    pub product_name: String,
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub weight_kg: Option<Decimal>,
    /// From the product attribute named by [`CustomsAttributeKeys::hs_code`].
    pub hs_code: Option<String>,
    /// From the product attribute named by [`CustomsAttributeKeys::origin_country`].
    pub origin_country: Option<String>,
}

/// A delivery with everything needed to ship it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryForLabel {
    pub delivery: Delivery,
    pub order: SalesOrder,
    pub customer: Customer,
    pub contact: Option<Contact>,
    pub warehouse: Option<Warehouse>,
    pub lines: Vec<DeliveryLineForLabel>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn order_selection_names_are_the_serde_names() {
        let names: Vec<&str> = OrderSelection::iter().map(|s| s.as_str()).collect();
        assert_eq!(names, ["approved_open", "approved_open_paid"]);
        for s in OrderSelection::iter() {
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::Value::from(s.as_str()))
            );
            assert_eq!(OrderSelection::parse(&format!(" {s} ")), Some(s));
        }
    }
}
