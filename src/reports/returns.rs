//! The *Retouren* and *Rechnungen* reports. Returns (`sendcloud_returns`):
//! filters for return status, creation date, carrier, order number and
//! tracking number (prefix), free text; sorted by last update or order
//! number. Invoices (`sendcloud_invoices`, with their items): filters for
//! paid or not, kind, invoice date, free text; sorted by Sendcloud's
//! invoice number or reference. Keyset pages; a detail each (an invoice's
//! with its items in their order).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{
    contains_pattern, given, int_key, keyset, lower, prefix_pattern, text_key, Cursor, DateRange,
    Dir, Page, ReportError, ReportResult,
};
use crate::db::schema::{
    sendcloud_invoice_items as ii, sendcloud_invoices as inv, sendcloud_returns as r,
};
use crate::db::DbConn;

#[derive(Debug, Clone, Default)]
pub struct ReturnFilter {
    /// v3 return status (`open`, `requested`, …).
    pub status: Option<String>,
    pub created: DateRange,
    pub carrier: Option<String>,
    pub order_number: Option<String>,
    pub tracking_number: Option<String>,
    /// Free text: sender name, order and tracking number, reason.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReturnSort {
    #[default]
    Updated,
    OrderNumber,
}

impl ReturnSort {
    pub fn parse(s: &str) -> Option<ReturnSort> {
        match s {
            "updated" => Some(ReturnSort::Updated),
            "order_number" => Some(ReturnSort::OrderNumber),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = r)]
pub struct ReturnRow {
    pub id: i64,
    pub sendcloud_id: i64,
    pub status: Option<String>,
    pub parcel_status: Option<String>,
    pub order_number: String,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    pub carrier: Option<String>,
    pub shipping_option_code: Option<String>,
    pub reason: Option<String>,
    pub refund_type: Option<String>,
    pub return_fee: Option<Decimal>,
    pub return_fee_currency: Option<String>,
    pub label_cost: Option<Decimal>,
    pub label_currency: Option<String>,
    pub from_name: Option<String>,
    pub from_country: Option<String>,
    pub outgoing_parcel_id: Option<i64>,
    pub incoming_parcel_id: Option<i64>,
    pub delivery_id: Option<i64>,
    pub created_at: Option<NaiveDateTime>,
    pub delivered_at: Option<NaiveDateTime>,
    pub raw: Option<String>,
    pub as_of_ms: i64,
    pub synced_at: NaiveDateTime,
}

pub fn list(
    conn: &mut DbConn,
    company_id: i64,
    f: &ReturnFilter,
    sort: ReturnSort,
    dir: Dir,
    after: Option<&Cursor>,
    limit: i64,
) -> ReportResult<Page<ReturnRow>> {
    let mut q = r::table
        .filter(r::company_id.eq(company_id))
        .select(ReturnRow::as_select())
        .into_boxed();
    if let Some(s) = given(&f.status) {
        q = q.filter(r::status.eq(s.to_string()));
    }
    if let Some(t) = f.created.start() {
        q = q.filter(r::created_at.ge(t));
    }
    if let Some(t) = f.created.end() {
        q = q.filter(r::created_at.lt(t));
    }
    if let Some(c) = given(&f.carrier) {
        q = q.filter(r::carrier.eq(c.to_string()));
    }
    if let Some(o) = given(&f.order_number) {
        q = q.filter(r::order_number.like(prefix_pattern(o)).escape('\\'));
    }
    if let Some(t) = given(&f.tracking_number) {
        q = q.filter(
            r::tracking_number
                .assume_not_null()
                .like(prefix_pattern(t))
                .escape('\\'),
        );
    }
    if let Some(t) = given(&f.text) {
        let pat = contains_pattern(t);
        q = q.filter(
            lower(r::order_number)
                .like(pat.clone())
                .escape('\\')
                .or(lower(r::from_name.assume_not_null())
                    .like(pat.clone())
                    .escape('\\'))
                .or(lower(r::tracking_number.assume_not_null())
                    .like(pat.clone())
                    .escape('\\'))
                .or(lower(r::reason.assume_not_null()).like(pat).escape('\\')),
        );
    }
    let q = match sort {
        ReturnSort::Updated => keyset!(q, r::as_of_ms, r::id, dir, after, int_key),
        ReturnSort::OrderNumber => keyset!(q, r::order_number, r::id, dir, after, text_key),
    };
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, limit, |row: &ReturnRow| Cursor {
        key: match sort {
            ReturnSort::Updated => row.as_of_ms.to_string(),
            ReturnSort::OrderNumber => row.order_number.clone(),
        },
        id: row.id,
    }))
}

pub fn detail(conn: &mut DbConn, company_id: i64, id: i64) -> ReportResult<Option<ReturnRow>> {
    r::table
        .filter(r::company_id.eq(company_id))
        .filter(r::id.eq(id))
        .select(ReturnRow::as_select())
        .first(conn)
        .optional()
        .map_err(ReportError::from)
}

/// The return statuses and carriers the company's returns have (filter
/// choices).
pub fn return_options(
    conn: &mut DbConn,
    company_id: i64,
) -> ReportResult<(Vec<String>, Vec<String>)> {
    let statuses: Vec<Option<String>> = r::table
        .filter(r::company_id.eq(company_id))
        .select(r::status)
        .distinct()
        .order(r::status)
        .load(conn)?;
    let carriers: Vec<Option<String>> = r::table
        .filter(r::company_id.eq(company_id))
        .select(r::carrier)
        .distinct()
        .order(r::carrier)
        .load(conn)?;
    Ok((
        statuses.into_iter().flatten().collect(),
        carriers.into_iter().flatten().collect(),
    ))
}

#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    pub paid: Option<bool>,
    /// `periodic`, `forced`, `initial_payment`, `other`, `unblock_payment`.
    pub kind: Option<String>,
    pub date: DateRange,
    /// Free text in the reference.
    pub text: Option<String>,
}

pub const INVOICE_KINDS: [&str; 5] = [
    "periodic",
    "forced",
    "initial_payment",
    "other",
    "unblock_payment",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InvoiceSort {
    /// Sendcloud's invoice id: the order they were issued in.
    #[default]
    Number,
    Reference,
}

impl InvoiceSort {
    pub fn parse(s: &str) -> Option<InvoiceSort> {
        match s {
            "number" => Some(InvoiceSort::Number),
            "reference" => Some(InvoiceSort::Reference),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = inv)]
pub struct InvoiceRow {
    pub id: i64,
    pub sendcloud_id: i64,
    pub reference: String,
    pub kind: String,
    pub price_incl: Decimal,
    pub price_excl: Decimal,
    pub currency: Option<String>,
    pub is_paid: bool,
    pub invoice_date: Option<NaiveDateTime>,
    pub item_count: i64,
    pub synced_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = ii)]
pub struct InvoiceItem {
    pub id: i64,
    pub sendcloud_id: i64,
    pub description: String,
    pub amount: Option<Decimal>,
    pub quantity: Option<Decimal>,
    pub parcel_id: Option<i64>,
    pub tracking_number: Option<String>,
    pub position: i64,
}

pub fn invoices(
    conn: &mut DbConn,
    company_id: i64,
    f: &InvoiceFilter,
    sort: InvoiceSort,
    dir: Dir,
    after: Option<&Cursor>,
    limit: i64,
) -> ReportResult<Page<InvoiceRow>> {
    let mut q = inv::table
        .filter(inv::company_id.eq(company_id))
        .select(InvoiceRow::as_select())
        .into_boxed();
    if let Some(p) = f.paid {
        q = q.filter(inv::is_paid.eq(p));
    }
    if let Some(k) = given(&f.kind) {
        q = q.filter(inv::kind.eq(k.to_string()));
    }
    if let Some(t) = f.date.start() {
        q = q.filter(inv::invoice_date.ge(t));
    }
    if let Some(t) = f.date.end() {
        q = q.filter(inv::invoice_date.lt(t));
    }
    if let Some(t) = given(&f.text) {
        q = q.filter(lower(inv::reference).like(contains_pattern(t)).escape('\\'));
    }
    let q = match sort {
        InvoiceSort::Number => keyset!(q, inv::sendcloud_id, inv::id, dir, after, int_key),
        InvoiceSort::Reference => keyset!(q, inv::reference, inv::id, dir, after, text_key),
    };
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, limit, |row: &InvoiceRow| Cursor {
        key: match sort {
            InvoiceSort::Number => row.sendcloud_id.to_string(),
            InvoiceSort::Reference => row.reference.clone(),
        },
        id: row.id,
    }))
}

/// One invoice of the company with its items in their order.
pub fn invoice(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
) -> ReportResult<Option<(InvoiceRow, Vec<InvoiceItem>)>> {
    let Some(row) = inv::table
        .filter(inv::company_id.eq(company_id))
        .filter(inv::id.eq(id))
        .select(InvoiceRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let items = ii::table
        .filter(ii::company_id.eq(company_id))
        .filter(ii::invoice_id.eq(id))
        .order((ii::position, ii::id))
        .select(InvoiceItem::as_select())
        .load(conn)?;
    Ok(Some((row, items)))
}
