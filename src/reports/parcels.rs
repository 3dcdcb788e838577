//! The *Pakete* report: the company's parcels (`sendcloud_parcels`) with
//! filters for status, creation date, carrier, order number (prefix),
//! tracking number (prefix), returns and free text; sorted by last update,
//! order number, tracking number or status; keyset pages; one parcel's
//! detail.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{
    contains_pattern, given, int_key, keyset, lower, prefix_pattern, text_key, Cursor, DateRange,
    Dir, Page, ReportError, ReportResult,
};
use crate::db::schema::sendcloud_parcels as p;
use crate::db::DbConn;

/// The filters of the Pakete tab (all optional, combined with AND).
#[derive(Debug, Clone, Default)]
pub struct ParcelFilter {
    /// Sendcloud status id.
    pub status_id: Option<i64>,
    /// Creation date at Sendcloud.
    pub created: DateRange,
    /// Carrier code, exactly.
    pub carrier: Option<String>,
    /// Order number, its beginning.
    pub order_number: Option<String>,
    /// Tracking number, its beginning.
    pub tracking_number: Option<String>,
    /// `Some(true)`: returns only, `Some(false)`: outgoing only.
    pub is_return: Option<bool>,
    /// Free text: recipient name, company, city, postal code, order or
    /// tracking number, status.
    pub text: Option<String>,
}

/// The columns staff sort parcels by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParcelSort {
    /// The time of the stored state (webhook or Abgleich), newest first by
    /// default.
    #[default]
    Updated,
    OrderNumber,
    TrackingNumber,
    Status,
}

impl ParcelSort {
    pub const ALL: [ParcelSort; 4] = [
        ParcelSort::Updated,
        ParcelSort::OrderNumber,
        ParcelSort::TrackingNumber,
        ParcelSort::Status,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            ParcelSort::Updated => "updated",
            ParcelSort::OrderNumber => "order_number",
            ParcelSort::TrackingNumber => "tracking_number",
            ParcelSort::Status => "status",
        }
    }

    pub fn parse(s: &str) -> Option<ParcelSort> {
        ParcelSort::ALL.into_iter().find(|o| o.as_str() == s)
    }

    fn key_of(&self, r: &ParcelRow) -> Cursor {
        let key = match self {
            ParcelSort::Updated => r.as_of_ms.to_string(),
            ParcelSort::OrderNumber => r.order_number.clone(),
            ParcelSort::TrackingNumber => r.tracking_number.clone(),
            ParcelSort::Status => r.status_message.clone(),
        };
        Cursor { key, id: r.id }
    }
}

/// A parcel as the list and the CSV show it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = p)]
pub struct ParcelRow {
    pub id: i64,
    pub sendcloud_id: i64,
    pub order_number: String,
    pub name: String,
    pub company_name: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub tracking_number: String,
    pub carrier: Option<String>,
    pub shipping_method_name: Option<String>,
    pub status_id: Option<i64>,
    pub status_message: String,
    pub is_return: bool,
    pub date_created: Option<NaiveDateTime>,
    pub as_of_ms: i64,
}

/// Everything stored of one parcel.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = p)]
pub struct ParcelDetail {
    pub id: i64,
    pub sendcloud_id: i64,
    pub external_reference: Option<String>,
    pub order_number: String,
    pub name: String,
    pub company_name: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub tracking_number: String,
    pub tracking_url: Option<String>,
    pub carrier: Option<String>,
    pub shipping_method_id: Option<i64>,
    pub shipping_method_name: Option<String>,
    pub status_id: Option<i64>,
    pub status_message: String,
    pub weight: Option<Decimal>,
    pub is_return: bool,
    pub date_created: Option<NaiveDateTime>,
    pub date_updated: Option<NaiveDateTime>,
    pub date_announced: Option<NaiveDateTime>,
    pub as_of_ms: i64,
    pub synced_at: NaiveDateTime,
}

/// One page of the company's parcels: `limit` rows after `after`.
pub fn list(
    conn: &mut DbConn,
    company_id: i64,
    f: &ParcelFilter,
    sort: ParcelSort,
    dir: Dir,
    after: Option<&Cursor>,
    limit: i64,
) -> ReportResult<Page<ParcelRow>> {
    let mut q = p::table
        .filter(p::company_id.eq(company_id))
        .select(ParcelRow::as_select())
        .into_boxed();
    if let Some(s) = f.status_id {
        q = q.filter(p::status_id.eq(s));
    }
    if let Some(t) = f.created.start() {
        q = q.filter(p::date_created.ge(t));
    }
    if let Some(t) = f.created.end() {
        q = q.filter(p::date_created.lt(t));
    }
    if let Some(c) = given(&f.carrier) {
        q = q.filter(p::carrier.eq(c.to_string()));
    }
    if let Some(o) = given(&f.order_number) {
        q = q.filter(p::order_number.like(prefix_pattern(o)).escape('\\'));
    }
    if let Some(t) = given(&f.tracking_number) {
        q = q.filter(p::tracking_number.like(prefix_pattern(t)).escape('\\'));
    }
    if let Some(r) = f.is_return {
        q = q.filter(p::is_return.eq(r));
    }
    if let Some(t) = given(&f.text) {
        let pat = contains_pattern(t);
        q = q.filter(
            lower(p::name)
                .like(pat.clone())
                .escape('\\')
                .or(lower(p::company_name).like(pat.clone()).escape('\\'))
                .or(lower(p::city).like(pat.clone()).escape('\\'))
                .or(lower(p::postal_code).like(pat.clone()).escape('\\'))
                .or(lower(p::order_number).like(pat.clone()).escape('\\'))
                .or(lower(p::tracking_number).like(pat.clone()).escape('\\'))
                .or(lower(p::status_message).like(pat).escape('\\')),
        );
    }
    let q = match sort {
        ParcelSort::Updated => keyset!(q, p::as_of_ms, p::id, dir, after, int_key),
        ParcelSort::OrderNumber => keyset!(q, p::order_number, p::id, dir, after, text_key),
        ParcelSort::TrackingNumber => keyset!(q, p::tracking_number, p::id, dir, after, text_key),
        ParcelSort::Status => keyset!(q, p::status_message, p::id, dir, after, text_key),
    };
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, limit, |r| sort.key_of(r)))
}

/// One parcel of the company; `None` if it is not the company's.
pub fn detail(conn: &mut DbConn, company_id: i64, id: i64) -> ReportResult<Option<ParcelDetail>> {
    p::table
        .filter(p::company_id.eq(company_id))
        .filter(p::id.eq(id))
        .select(ParcelDetail::as_select())
        .first(conn)
        .optional()
        .map_err(ReportError::from)
}

/// Carrier codes and (status id, message) pairs for the filter selects.
pub type FilterOptions = (Vec<String>, Vec<(i64, String)>);

/// The carriers and statuses the company's parcels use, for the filter
/// selects: (carrier codes, (status id, message)).
pub fn filter_options(conn: &mut DbConn, company_id: i64) -> ReportResult<FilterOptions> {
    use crate::db::schema::{sendcloud_carriers as c, sendcloud_parcel_statuses as s};
    let carriers = c::table
        .filter(c::company_id.eq(company_id))
        .order(c::code)
        .select(c::code)
        .load(conn)?;
    let statuses = s::table
        .filter(s::company_id.eq(company_id))
        .order(s::status_id)
        .select((s::status_id, s::message))
        .load(conn)?;
    Ok((carriers, statuses))
}
