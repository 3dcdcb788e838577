//! The report lists through the API, with the filters, sort columns and
//! keyset cursors of the *Berichte* pages (`crate::reports`):
//! `GET /api/v1/companies/{company}/reports/parcels`, `…/returns`,
//! `…/invoices`. Dates (`from`, `to`: whole days, both included) are UTC
//! days; `after` is the `next_after` of the previous page.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{bad_parameter, covered, respond, utc, utc_ms};
use crate::db::DbConn;
use crate::reports::{self, parcels, returns, Cursor, DateRange, Dir, ReportError, ReportResult};
use crate::web::auth::{Api, ApiCtx};
use crate::web::error::ApiError;
use crate::web::AppState;

/// The filters, sort and paging of the report lists (each list reads the
/// ones it offers; unknown parameters are refused).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    /// Parcels: Sendcloud status id; returns: return status.
    status: Option<String>,
    carrier: Option<String>,
    /// Order number, its beginning.
    order: Option<String>,
    /// Tracking number, its beginning.
    tracking: Option<String>,
    /// Parcels: `return` or `outgoing`; invoices: the invoice kind.
    kind: Option<String>,
    /// Free text.
    q: Option<String>,
    /// First day (`YYYY-MM-DD`, UTC).
    from: Option<String>,
    /// Last day (`YYYY-MM-DD`, UTC), included.
    to: Option<String>,
    /// Invoices: `yes` paid, `no` unpaid.
    paid: Option<String>,
    sort: Option<String>,
    /// `asc` or `desc`.
    dir: Option<String>,
    after: Option<String>,
    /// 1 to 200, default 50.
    limit: Option<i64>,
}

impl ReportParams {
    fn given(&self, v: &Option<String>) -> Option<String> {
        reports::given(v).map(str::to_string)
    }

    fn dates(&self) -> Result<DateRange, ApiError> {
        let day = |s: &Option<String>, name: &str| -> Result<Option<NaiveDate>, ApiError> {
            match reports::given(s) {
                None => Ok(None),
                Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| bad_parameter(format!("{name} is a day, YYYY-MM-DD"))),
            }
        };
        Ok(DateRange {
            from: day(&self.from, "from")?,
            to: day(&self.to, "to")?,
            zone: None,
        })
    }

    fn dir(&self) -> Result<Dir, ApiError> {
        match reports::given(&self.dir) {
            None => Ok(Dir::Desc),
            Some(d) => Dir::parse(d).ok_or_else(|| bad_parameter("dir is `asc` or `desc`")),
        }
    }

    fn cursor(&self) -> Result<Option<Cursor>, ApiError> {
        match reports::given(&self.after) {
            None => Ok(None),
            Some(s) => Cursor::decode(s)
                .map(Some)
                .ok_or_else(|| bad_parameter("after is not a cursor of this list")),
        }
    }

    fn limit(&self) -> i64 {
        self.limit.unwrap_or(reports::PAGE_SIZE).clamp(1, 200)
    }

    fn sort<S>(
        &self,
        parse: impl Fn(&str) -> Option<S>,
        names: &str,
    ) -> Result<Option<S>, ApiError> {
        match reports::given(&self.sort) {
            None => Ok(None),
            Some(s) => parse(s)
                .map(Some)
                .ok_or_else(|| bad_parameter(format!("sort is one of {names}"))),
        }
    }

    fn yes_no(v: &Option<String>, name: &str) -> Result<Option<bool>, ApiError> {
        match reports::given(v) {
            None => Ok(None),
            Some("yes") => Ok(Some(true)),
            Some("no") => Ok(Some(false)),
            Some(_) => Err(bad_parameter(format!("{name} is `yes` or `no`"))),
        }
    }
}

fn report_error(e: ReportError) -> ApiError {
    match e {
        ReportError::BadCursor => bad_parameter("after is not a cursor of this list and sort"),
        ReportError::Db(e) => e.into(),
    }
}

/// A report list's query in `crate::reports`: company, filter, sort,
/// direction, cursor, limit.
type ListFn<F, S, R> =
    fn(&mut DbConn, i64, &F, S, Dir, Option<&Cursor>, i64) -> ReportResult<reports::Page<R>>;

/// A page of one report list as the API answers it: which list of
/// `crate::reports` it reads, with what filter and sort, and how its rows
/// become the page's items.
trait ListPage: Serialize + Sized {
    type Filter: Send + 'static;
    type Sort: Default + Send + 'static;
    type Row: Send + 'static;
    type Item: From<Self::Row>;
    /// The XML root of the page.
    const ROOT: &'static str;
    /// The list's query.
    const LIST: ListFn<Self::Filter, Self::Sort, Self::Row>;
    /// The `sort` parameter's parser, and its values (for the refusal).
    const PARSE_SORT: fn(&str) -> Option<Self::Sort>;
    const SORTS: &'static str;

    fn of(items: Vec<Self::Item>, next_after: Option<String>) -> Self;
}

/// Read one page of the list with the query's sort, direction, cursor and
/// limit and answer it.
async fn answer<P: ListPage>(
    state: &AppState,
    req: &HttpRequest,
    q: &ReportParams,
    company_id: i64,
    filter: P::Filter,
) -> Result<HttpResponse, ApiError> {
    let sort = q.sort(P::PARSE_SORT, P::SORTS)?.unwrap_or_default();
    let (dir, after, limit) = (q.dir()?, q.cursor()?, q.limit());
    let page = state
        .db
        .run(move |c| {
            Ok(P::LIST(
                c,
                company_id,
                &filter,
                sort,
                dir,
                after.as_ref(),
                limit,
            ))
        })
        .await?
        .map_err(report_error)?;
    respond(
        req,
        P::ROOT,
        &P::of(
            page.rows.into_iter().map(P::Item::from).collect(),
            page.next.map(|c| c.encode()),
        ),
    )
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ParcelPage {
    #[serde(default)]
    pub parcel: Vec<ParcelItem>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub next_after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ParcelItem {
    pub id: i64,
    pub sendcloud_id: i64,
    pub order_number: String,
    pub name: String,
    pub company_name: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub tracking_number: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub carrier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shipping_method_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_id: Option<i64>,
    pub status_message: String,
    pub is_return: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_created: Option<String>,
    pub updated_at: String,
}

/// `GET /api/v1/companies/{company}/reports/parcels`: filters `status`
/// (status id), `from`/`to` (created), `carrier`, `order`, `tracking`,
/// `kind` (`return`, `outgoing`), `q`; sort `updated` (default),
/// `order_number`, `tracking_number`, `status`.
pub async fn parcels(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    q: web::Query<ReportParams>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    covered(&user, company_id)?;
    let filter = parcels::ParcelFilter {
        status_id: match reports::given(&q.status) {
            None => None,
            Some(s) => Some(
                s.parse()
                    .map_err(|_| bad_parameter("status is a Sendcloud status id"))?,
            ),
        },
        created: q.dates()?,
        carrier: q.given(&q.carrier),
        order_number: q.given(&q.order),
        tracking_number: q.given(&q.tracking),
        is_return: match reports::given(&q.kind) {
            None => None,
            Some("return") => Some(true),
            Some("outgoing") => Some(false),
            Some(_) => return Err(bad_parameter("kind is `return` or `outgoing`")),
        },
        text: q.given(&q.q),
    };
    answer::<ParcelPage>(&state, &req, &q, company_id, filter).await
}

impl ListPage for ParcelPage {
    type Filter = parcels::ParcelFilter;
    type Sort = parcels::ParcelSort;
    type Row = parcels::ParcelRow;
    type Item = ParcelItem;
    const ROOT: &'static str = "parcels";
    const LIST: ListFn<Self::Filter, Self::Sort, Self::Row> = parcels::list;
    const PARSE_SORT: fn(&str) -> Option<Self::Sort> = parcels::ParcelSort::parse;
    const SORTS: &'static str = "updated, order_number, tracking_number, status";

    fn of(parcel: Vec<ParcelItem>, next_after: Option<String>) -> Self {
        ParcelPage { parcel, next_after }
    }
}

impl From<parcels::ParcelRow> for ParcelItem {
    fn from(r: parcels::ParcelRow) -> Self {
        ParcelItem {
            id: r.id,
            sendcloud_id: r.sendcloud_id,
            order_number: r.order_number,
            name: r.name,
            company_name: r.company_name,
            city: r.city,
            postal_code: r.postal_code,
            country: r.country,
            tracking_number: r.tracking_number,
            carrier: r.carrier,
            shipping_method_name: r.shipping_method_name,
            status_id: r.status_id,
            status_message: r.status_message,
            is_return: r.is_return,
            date_created: r.date_created.as_ref().map(utc),
            updated_at: utc_ms(r.as_of_ms),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReturnPage {
    #[serde(default, rename = "return")]
    pub returns: Vec<ReturnItem>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub next_after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReturnItem {
    pub id: i64,
    pub sendcloud_id: i64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parcel_status: Option<String>,
    pub order_number: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tracking_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub carrier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub from_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub from_country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub delivery_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub delivered_at: Option<String>,
    pub updated_at: String,
}

/// `GET /api/v1/companies/{company}/reports/returns`: filters `status`,
/// `from`/`to` (created), `carrier`, `order`, `tracking`, `q`; sort
/// `updated` (default), `order_number`.
pub async fn returns(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    q: web::Query<ReportParams>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    covered(&user, company_id)?;
    let filter = returns::ReturnFilter {
        status: q.given(&q.status),
        created: q.dates()?,
        carrier: q.given(&q.carrier),
        order_number: q.given(&q.order),
        tracking_number: q.given(&q.tracking),
        text: q.given(&q.q),
    };
    answer::<ReturnPage>(&state, &req, &q, company_id, filter).await
}

impl ListPage for ReturnPage {
    type Filter = returns::ReturnFilter;
    type Sort = returns::ReturnSort;
    type Row = returns::ReturnRow;
    type Item = ReturnItem;
    const ROOT: &'static str = "returns";
    const LIST: ListFn<Self::Filter, Self::Sort, Self::Row> = returns::list;
    const PARSE_SORT: fn(&str) -> Option<Self::Sort> = returns::ReturnSort::parse;
    const SORTS: &'static str = "updated, order_number";

    fn of(returns: Vec<ReturnItem>, next_after: Option<String>) -> Self {
        ReturnPage {
            returns,
            next_after,
        }
    }
}

impl From<returns::ReturnRow> for ReturnItem {
    fn from(r: returns::ReturnRow) -> Self {
        ReturnItem {
            id: r.id,
            sendcloud_id: r.sendcloud_id,
            status: r.status,
            parcel_status: r.parcel_status,
            order_number: r.order_number,
            tracking_number: r.tracking_number,
            carrier: r.carrier,
            reason: r.reason,
            from_name: r.from_name,
            from_country: r.from_country,
            delivery_id: r.delivery_id,
            created_at: r.created_at.as_ref().map(utc),
            delivered_at: r.delivered_at.as_ref().map(utc),
            updated_at: utc_ms(r.as_of_ms),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InvoicePage {
    #[serde(default)]
    pub invoice: Vec<InvoiceItem>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub next_after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InvoiceItem {
    pub id: i64,
    pub sendcloud_id: i64,
    pub reference: String,
    pub kind: String,
    /// Decimal as text (`12.34`).
    pub price_incl: String,
    pub price_excl: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub currency: Option<String>,
    pub is_paid: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub invoice_date: Option<String>,
    pub item_count: i64,
}

/// `GET /api/v1/companies/{company}/reports/invoices`: filters `paid`
/// (`yes`, `no`), `kind`, `from`/`to` (invoice date), `q`; sort `number`
/// (default), `reference`.
pub async fn invoices(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<i64>,
    q: web::Query<ReportParams>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    covered(&user, company_id)?;
    let filter = returns::InvoiceFilter {
        paid: ReportParams::yes_no(&q.paid, "paid")?,
        kind: q.given(&q.kind),
        date: q.dates()?,
        text: q.given(&q.q),
    };
    answer::<InvoicePage>(&state, &req, &q, company_id, filter).await
}

impl ListPage for InvoicePage {
    type Filter = returns::InvoiceFilter;
    type Sort = returns::InvoiceSort;
    type Row = returns::InvoiceRow;
    type Item = InvoiceItem;
    const ROOT: &'static str = "invoices";
    const LIST: ListFn<Self::Filter, Self::Sort, Self::Row> = returns::invoices;
    const PARSE_SORT: fn(&str) -> Option<Self::Sort> = returns::InvoiceSort::parse;
    const SORTS: &'static str = "number, reference";

    fn of(invoice: Vec<InvoiceItem>, next_after: Option<String>) -> Self {
        InvoicePage {
            invoice,
            next_after,
        }
    }
}

impl From<returns::InvoiceRow> for InvoiceItem {
    fn from(r: returns::InvoiceRow) -> Self {
        InvoiceItem {
            id: r.id,
            sendcloud_id: r.sendcloud_id,
            reference: r.reference,
            kind: r.kind,
            price_incl: r.price_incl.to_string(),
            price_excl: r.price_excl.to_string(),
            currency: r.currency,
            is_paid: r.is_paid,
            invoice_date: r.invoice_date.as_ref().map(utc),
            item_count: r.item_count,
        }
    }
}
