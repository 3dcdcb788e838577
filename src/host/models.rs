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
