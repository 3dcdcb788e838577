//! The small snapshot reports: *Brands*, *Versandmethoden* (shipping
//! methods with their carriers) and *Absenderadressen*. Filters: active or
//! not, carrier (methods), free text; sorted by name (or carrier, city);
//! keyset pages; one row's detail.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{
    contains_pattern, given, keyset, lower, text_key, Cursor, Dir, Page, ReportError, ReportResult,
};
use crate::db::schema::{
    sendcloud_brands as b, sendcloud_sender_addresses as sa, sendcloud_shipping_methods as m,
};
use crate::db::DbConn;

/// The filters the three tabs share (carrier: methods only).
#[derive(Debug, Clone, Default)]
pub struct CatalogFilter {
    /// `Some(true)`: only what Sendcloud still lists; `Some(false)`: only
    /// what vanished there.
    pub active: Option<bool>,
    pub carrier: Option<String>,
    pub text: Option<String>,
}

/// How a catalog tab sorts: by its name column or its second column
/// (methods: carrier; sender addresses: city; brands: domain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CatalogSort {
    #[default]
    Name,
    Second,
}

impl CatalogSort {
    pub fn parse(s: &str) -> Option<CatalogSort> {
        match s {
            "name" => Some(CatalogSort::Name),
            "second" => Some(CatalogSort::Second),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            CatalogSort::Name => "name",
            CatalogSort::Second => "second",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = b)]
pub struct BrandRow {
    pub id: i64,
    pub sendcloud_id: i64,
    pub name: String,
    pub domain: String,
    pub website: Option<String>,
    pub color: Option<String>,
    pub screen_logo_url: Option<String>,
    pub reply_to_email: Option<String>,
    pub active: bool,
    pub synced_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = m)]
pub struct MethodRow {
    pub id: i64,
    pub sendcloud_id: i64,
    pub name: String,
    pub carrier: String,
    pub min_weight: Decimal,
    pub max_weight: Decimal,
    pub service_point_input: String,
    pub countries: String,
    pub active: bool,
    pub synced_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = sa)]
pub struct SenderRow {
    pub id: i64,
    pub sendcloud_id: i64,
    pub company_name: String,
    pub contact_name: String,
    pub email: String,
    pub telephone: String,
    pub street: String,
    pub house_number: String,
    pub postal_box: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub country_state: Option<String>,
    pub vat_number: String,
    pub eori_number: String,
    pub brand_id: Option<i64>,
    pub label: String,
    pub active: bool,
    pub synced_at: NaiveDateTime,
}

pub fn brands(
    conn: &mut DbConn,
    company_id: i64,
    f: &CatalogFilter,
    sort: CatalogSort,
    dir: Dir,
    after: Option<&Cursor>,
    limit: i64,
) -> ReportResult<Page<BrandRow>> {
    let mut q = b::table
        .filter(b::company_id.eq(company_id))
        .select(BrandRow::as_select())
        .into_boxed();
    if let Some(a) = f.active {
        q = q.filter(b::active.eq(a));
    }
    if let Some(t) = given(&f.text) {
        let pat = contains_pattern(t);
        q = q.filter(
            lower(b::name)
                .like(pat.clone())
                .escape('\\')
                .or(lower(b::domain).like(pat).escape('\\')),
        );
    }
    let q = match sort {
        CatalogSort::Name => keyset!(q, b::name, b::id, dir, after, text_key),
        CatalogSort::Second => keyset!(q, b::domain, b::id, dir, after, text_key),
    };
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, limit, |r: &BrandRow| Cursor {
        key: match sort {
            CatalogSort::Name => r.name.clone(),
            CatalogSort::Second => r.domain.clone(),
        },
        id: r.id,
    }))
}

pub fn brand(conn: &mut DbConn, company_id: i64, id: i64) -> ReportResult<Option<BrandRow>> {
    b::table
        .filter(b::company_id.eq(company_id))
        .filter(b::id.eq(id))
        .select(BrandRow::as_select())
        .first(conn)
        .optional()
        .map_err(ReportError::from)
}

pub fn methods(
    conn: &mut DbConn,
    company_id: i64,
    f: &CatalogFilter,
    sort: CatalogSort,
    dir: Dir,
    after: Option<&Cursor>,
    limit: i64,
) -> ReportResult<Page<MethodRow>> {
    let mut q = m::table
        .filter(m::company_id.eq(company_id))
        .select(MethodRow::as_select())
        .into_boxed();
    if let Some(a) = f.active {
        q = q.filter(m::active.eq(a));
    }
    if let Some(c) = given(&f.carrier) {
        q = q.filter(m::carrier.eq(c.to_string()));
    }
    if let Some(t) = given(&f.text) {
        let pat = contains_pattern(t);
        q = q.filter(
            lower(m::name)
                .like(pat.clone())
                .escape('\\')
                .or(lower(m::carrier).like(pat).escape('\\')),
        );
    }
    let q = match sort {
        CatalogSort::Name => keyset!(q, m::name, m::id, dir, after, text_key),
        CatalogSort::Second => keyset!(q, m::carrier, m::id, dir, after, text_key),
    };
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, limit, |r: &MethodRow| Cursor {
        key: match sort {
            CatalogSort::Name => r.name.clone(),
            CatalogSort::Second => r.carrier.clone(),
        },
        id: r.id,
    }))
}

pub fn method(conn: &mut DbConn, company_id: i64, id: i64) -> ReportResult<Option<MethodRow>> {
    m::table
        .filter(m::company_id.eq(company_id))
        .filter(m::id.eq(id))
        .select(MethodRow::as_select())
        .first(conn)
        .optional()
        .map_err(ReportError::from)
}

/// The carriers of the company's shipping methods, for the filter select.
pub fn method_carriers(conn: &mut DbConn, company_id: i64) -> ReportResult<Vec<String>> {
    m::table
        .filter(m::company_id.eq(company_id))
        .select(m::carrier)
        .distinct()
        .order(m::carrier)
        .load(conn)
        .map_err(ReportError::from)
}

pub fn senders(
    conn: &mut DbConn,
    company_id: i64,
    f: &CatalogFilter,
    sort: CatalogSort,
    dir: Dir,
    after: Option<&Cursor>,
    limit: i64,
) -> ReportResult<Page<SenderRow>> {
    let mut q = sa::table
        .filter(sa::company_id.eq(company_id))
        .select(SenderRow::as_select())
        .into_boxed();
    if let Some(a) = f.active {
        q = q.filter(sa::active.eq(a));
    }
    if let Some(t) = given(&f.text) {
        let pat = contains_pattern(t);
        q = q.filter(
            lower(sa::company_name)
                .like(pat.clone())
                .escape('\\')
                .or(lower(sa::label).like(pat.clone()).escape('\\'))
                .or(lower(sa::street).like(pat.clone()).escape('\\'))
                .or(lower(sa::city).like(pat.clone()).escape('\\'))
                .or(lower(sa::postal_code).like(pat).escape('\\')),
        );
    }
    let q = match sort {
        CatalogSort::Name => keyset!(q, sa::company_name, sa::id, dir, after, text_key),
        CatalogSort::Second => keyset!(q, sa::city, sa::id, dir, after, text_key),
    };
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, limit, |r: &SenderRow| Cursor {
        key: match sort {
            CatalogSort::Name => r.company_name.clone(),
            CatalogSort::Second => r.city.clone(),
        },
        id: r.id,
    }))
}

pub fn sender(conn: &mut DbConn, company_id: i64, id: i64) -> ReportResult<Option<SenderRow>> {
    sa::table
        .filter(sa::company_id.eq(company_id))
        .filter(sa::id.eq(id))
        .select(SenderRow::as_select())
        .first(conn)
        .optional()
        .map_err(ReportError::from)
}
