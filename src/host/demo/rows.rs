//! The rows the demo inserts, one `Insertable` struct per host table.
//! `None` binds as NULL (not as the column default), so that a slice of
//! rows is one multi-row INSERT on both backends.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::*;
use crate::db::types::DecValue;

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = companies)]
pub(super) struct NewCompany<'a> {
    pub(super) name: &'a str,
    pub(super) street: &'a str,
    pub(super) house_number: Option<&'a str>,
    pub(super) postal_code: &'a str,
    pub(super) city: &'a str,
    pub(super) country: &'a str,
    pub(super) vat_number: Option<&'a str>,
    pub(super) eori_number: Option<&'a str>,
    pub(super) email: Option<&'a str>,
    pub(super) phone: Option<&'a str>,
    pub(super) currency: &'a str,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = warehouses)]
pub(super) struct NewWarehouse<'a> {
    pub(super) company_id: i64,
    pub(super) code: &'a str,
    pub(super) name: &'a str,
    pub(super) street: &'a str,
    pub(super) house_number: Option<&'a str>,
    pub(super) postal_code: &'a str,
    pub(super) city: &'a str,
    pub(super) country: &'a str,
    pub(super) active: bool,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = customers)]
pub(super) struct NewCustomer {
    pub(super) company_id: i64,
    pub(super) account_number: String,
    pub(super) name: String,
    pub(super) is_company: bool,
    pub(super) email: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) street: String,
    pub(super) house_number: Option<String>,
    pub(super) address_2: Option<String>,
    pub(super) postal_code: String,
    pub(super) city: String,
    pub(super) state: Option<String>,
    pub(super) country: String,
    pub(super) vat_number: Option<String>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = contacts)]
pub(super) struct NewContact {
    pub(super) customer_id: i64,
    pub(super) name: String,
    pub(super) email: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) street: Option<String>,
    pub(super) house_number: Option<String>,
    pub(super) address_2: Option<String>,
    pub(super) postal_code: Option<String>,
    pub(super) city: Option<String>,
    pub(super) state: Option<String>,
    pub(super) country: Option<String>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = products)]
pub(super) struct NewProduct {
    pub(super) company_id: i64,
    pub(super) sku: String,
    pub(super) name: String,
    pub(super) weight_kg: Option<DecValue>,
    pub(super) price: DecValue,
    pub(super) ean: Option<String>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = sales_orders)]
pub(super) struct NewOrder {
    pub(super) company_id: i64,
    pub(super) order_number: String,
    pub(super) order_date: NaiveDateTime,
    pub(super) customer_id: i64,
    pub(super) contact_id: Option<i64>,
    pub(super) warehouse_id: Option<i64>,
    pub(super) status: String,
    pub(super) approved: bool,
    pub(super) payment_status: String,
    pub(super) currency: String,
    pub(super) total_amount: DecValue,
    pub(super) shipping_method_ref: Option<String>,
    pub(super) service_point_ref: Option<String>,
    pub(super) your_ref: Option<String>,
    pub(super) remarks: Option<String>,
    pub(super) updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = sales_order_lines)]
pub(super) struct NewOrderLine {
    pub(super) order_id: i64,
    pub(super) line_no: i32,
    pub(super) product_id: i64,
    pub(super) description: String,
    pub(super) quantity: DecValue,
    pub(super) unit_price: DecValue,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = deliveries)]
pub(super) struct NewDelivery {
    pub(super) company_id: i64,
    pub(super) delivery_number: String,
    pub(super) order_id: i64,
    pub(super) warehouse_id: i64,
    pub(super) created_at: NaiveDateTime,
    pub(super) status: String,
    pub(super) remarks: Option<String>,
    pub(super) updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = delivery_lines)]
pub(super) struct NewDeliveryLine {
    pub(super) delivery_id: i64,
    pub(super) order_line_id: i64,
    pub(super) product_id: i64,
    pub(super) quantity: DecValue,
}
